//! Simulated activity workers and callback responders: who answers tasks in the simulated world,
//! how long they take and what they say. The service runs them on its virtual clock.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a worker or responder answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub enum Answer {
    /// SendTaskSuccess with this output.
    Succeed {
        #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown"))]
        output: Value,
    },
    /// SendTaskFailure with this error and cause.
    Fail {
        #[serde(default)]
        error: Option<String>,
        #[serde(default)]
        cause: Option<String>,
    },
    /// Never answers (the task's TimeoutSeconds or HeartbeatSeconds ends it).
    Silent,
}

/// A worker polling one activity: takes a task, works `latency_seconds`, heartbeats every
/// `heartbeat_seconds` meanwhile (if set), then answers. One task at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ActivityWorker {
    /// Shown as ActivityStarted's workerName.
    pub name: String,
    pub activity_arn: String,
    #[serde(default)]
    pub latency_seconds: f64,
    #[serde(default)]
    pub heartbeat_seconds: Option<f64>,
    pub answer: Answer,
}

/// Answers `.waitForTaskToken` tasks (optionally only those of one state) after a delay, like the
/// system that received the token would.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct CallbackResponder {
    #[serde(default)]
    pub state_name: Option<String>,
    #[serde(default)]
    pub delay_seconds: f64,
    /// Heartbeats sent every this many seconds until the answer.
    #[serde(default)]
    pub heartbeat_seconds: Option<f64>,
    pub answer: Answer,
}

/// Seconds (as users write them) to virtual milliseconds, refusing nonsense.
pub fn seconds_to_ms(s: f64, what: &str) -> Result<i64, String> {
    if !s.is_finite() || !(0.0..=31_622_400.0).contains(&s) {
        return Err(format!("{what} must be between 0 and 31622400 seconds, got {s}"));
    }
    Ok((s * 1000.0).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn specs_read_from_json() {
        let w: ActivityWorker = serde_json::from_value(json!({
            "name": "w1", "activityArn": "arn:aws:states:us-east-1:123456789012:activity:A",
            "latencySeconds": 2.5, "heartbeatSeconds": 1,
            "answer": {"kind": "succeed", "output": {"ok": true}}})).unwrap();
        assert_eq!(w.answer, Answer::Succeed { output: json!({"ok": true}) });
        let r: CallbackResponder = serde_json::from_value(json!({"answer": {"kind": "fail", "error": "E"}})).unwrap();
        assert_eq!(r.answer, Answer::Fail { error: Some("E".into()), cause: None });
        assert!(seconds_to_ms(-1.0, "latency").is_err());
        assert_eq!(seconds_to_ms(1.5, "latency"), Ok(1500));
    }
}
