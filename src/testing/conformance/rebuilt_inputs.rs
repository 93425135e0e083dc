//! Execution inputs the recorder replaced with a placeholder because the test built them from the
//! clock (`<timestamp>`): rebuilt from the recording's test code (test_wait.py at the recorded
//! commit) against this run's start time, so the Wait sees what AWS saw relative to its start.

use crate::asl::timestamp::format_millis;
use serde_json::{json, Value};

const DAY_MS: i64 = 86_400_000;

/// The input of a case whose input holds `<timestamp>`, if its test is one we know.
pub fn input(case: &Value, start_ms: i64) -> Option<Value> {
    if case["input"]["start_at"] != "<timestamp>" {
        return None;
    }
    let id = case["id"].as_str()?;
    let (function, param) = id.rsplit("::").next()?.split_once('[')?;
    let param = param.strip_suffix(']')?;
    // `strftime("%Y-%m-%dT%H:%M:%S")` of a moment, then the suffix the test adds.
    let seconds = |ms: i64| format_millis(ms).chars().take(19).collect::<String>();
    let start_at = match function {
        // `now` plus the parameter's suffix ("Z", ".000000Z", "" ...).
        "test_wait_timestamppath" => format!("{}{param}", seconds(start_ms)),
        // `now + timedelta(days=N)` with ".000Z".
        "test_timestamp_too_far_in_future_boundary" => {
            let days: i64 = param.parse().ok()?;
            format!("{}.000Z", seconds(start_ms.checked_add(days.checked_mul(DAY_MS)?)?))
        }
        _ => return None,
    };
    Some(json!({"start_at": start_at}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rebuilt_from_the_start_time() {
        let start = 1_735_689_600_000; // 2025-01-01T00:00:00Z
        let case = |id: &str| json!({"id": format!("t.py::TestSfnWait::{id}"), "input": {"start_at": "<timestamp>"}});
        assert_eq!(input(&case("test_wait_timestamppath[.00Z]"), start), Some(json!({"start_at": "2025-01-01T00:00:00.00Z"})));
        assert_eq!(input(&case("test_wait_timestamppath[]"), start), Some(json!({"start_at": "2025-01-01T00:00:00"})));
        assert_eq!(
            input(&case("test_timestamp_too_far_in_future_boundary[1]"), start),
            Some(json!({"start_at": "2025-01-02T00:00:00.000Z"}))
        );
        assert_eq!(input(&case("test_other[x]"), start), None);
        assert_eq!(input(&json!({"id": "a::test_wait_timestamppath[Z]", "input": {"start_at": "x"}}), start), None);
    }
}
