//! The predefined error names (States.*) and how Retry/Catch match them.

pub const ALL: &str = "States.ALL";
pub const RUNTIME: &str = "States.Runtime";
pub const TIMEOUT: &str = "States.Timeout";
pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
pub const TASK_FAILED: &str = "States.TaskFailed";
pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";

/// A failure travelling through an execution: AWS's `Error` and `Cause` (either may be absent, e.g. a
/// Fail state with neither, or SendTaskFailure without them).
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub error: Option<String>,
    pub cause: Option<String>,
    /// Set for a heartbeat expiry: the event says States.Timeout, but a catcher naming
    /// States.HeartbeatTimeout also matches (aws-facts §3.8).
    pub heartbeat: bool,
}

impl Failure {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Failure {
            error: Some(error.into()),
            cause: Some(cause.into()),
            heartbeat: false,
        }
    }
    pub fn error_only(error: impl Into<String>) -> Self {
        Failure {
            error: Some(error.into()),
            cause: None,
            heartbeat: false,
        }
    }
    /// States.Runtime is never retried or caught (recorded: test_catch_states_runtime).
    pub fn is_terminal(&self) -> bool {
        self.error.as_deref() == Some(RUNTIME)
    }
    /// The error output a Catcher passes on: `{"Error": ..., "Cause": ...}` (null when absent).
    pub fn error_output(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert(
            "Error".into(),
            self.error
                .clone()
                .map(Into::into)
                .unwrap_or(serde_json::Value::Null),
        );
        // A timeout's event has no cause, but what a Catcher receives has an empty one (recorded:
        // a lambda:invoke TimeoutSeconds caught, `{"Error": "States.Timeout", "Cause": ""}`).
        let cause = match (&self.cause, self.error.as_deref()) {
            (Some(c), _) => c.clone().into(),
            (None, Some(TIMEOUT)) => "".into(),
            (None, _) => serde_json::Value::Null,
        };
        m.insert("Cause".into(), cause);
        serde_json::Value::Object(m)
    }
}

/// Whether a Retrier's or Catcher's `ErrorEquals` list matches `failure`.
pub fn matches(error_equals: &[String], failure: &Failure) -> bool {
    if failure.is_terminal() {
        return false;
    }
    let name = failure.error.as_deref().unwrap_or("");
    error_equals.iter().any(|e| {
        e == ALL
            || e == name
            || (failure.heartbeat && e == HEARTBEAT_TIMEOUT)
            // States.TaskFailed matches any task error except a timeout (AWS error-handling docs).
            || (e == TASK_FAILED && name != TIMEOUT)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn all_matches_everything_but_runtime() {
        assert!(matches(
            &list(&["States.ALL"]),
            &Failure::error_only("Boom")
        ));
        assert!(matches(
            &list(&["States.ALL"]),
            &Failure::error_only(TIMEOUT)
        ));
        assert!(!matches(
            &list(&["States.ALL"]),
            &Failure::error_only(RUNTIME)
        ));
        assert!(!matches(
            &list(&["States.Runtime"]),
            &Failure::error_only(RUNTIME)
        ));
    }

    #[test]
    fn names_are_exact_and_case_sensitive() {
        assert!(matches(&list(&["A", "B"]), &Failure::error_only("B")));
        assert!(!matches(&list(&["b"]), &Failure::error_only("B")));
    }

    #[test]
    fn heartbeat_expiry_matches_both_names() {
        let mut f = Failure::error_only(TIMEOUT);
        f.heartbeat = true;
        assert!(matches(&list(&[HEARTBEAT_TIMEOUT]), &f));
        assert!(matches(&list(&[TIMEOUT]), &f));
        assert!(!matches(
            &list(&[HEARTBEAT_TIMEOUT]),
            &Failure::error_only(TIMEOUT)
        ));
    }

    #[test]
    fn error_output_has_nulls_for_absent_parts() {
        let f = Failure {
            error: None,
            cause: None,
            heartbeat: false,
        };
        assert_eq!(
            f.error_output(),
            serde_json::json!({"Error": null, "Cause": null})
        );
    }
}
