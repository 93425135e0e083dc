//! `--compat sfn-local`: answers as Step Functions Local gives them, for test suites written
//! against it (AWS's own samples are). AWS's answers stay the default. The differences:
//!
//! - an aws-sdk task's events name the resource as `resourceType "aws-sdk"`, `resource
//!   "comprehend:detectSentiment"`, where AWS writes `resourceType "aws-sdk:comprehend"`,
//!   `resource "detectSentiment"` (GetExecutionHistory, in every Task… event's details).

use serde_json::Value;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compat {
    Aws,
    SfnLocal,
}

static MODE: OnceLock<Compat> = OnceLock::new();

/// Reads `--compat`: `aws` or `sfn-local`.
pub fn parse(word: &str) -> Result<Compat, String> {
    match word {
        "aws" => Ok(Compat::Aws),
        "sfn-local" => Ok(Compat::SfnLocal),
        other => Err(format!("--compat: expected aws or sfn-local, got '{other}'")),
    }
}

/// Set once, when the server starts.
pub fn set(mode: Compat) {
    let _ = MODE.set(mode);
}

fn mode() -> Compat {
    MODE.get().copied().unwrap_or(Compat::Aws)
}

/// Rewrites a successful answer of `operation` as the compatibility mode writes it.
pub fn rewrite(operation: &str, answer: &mut Value) {
    if mode() == Compat::SfnLocal && operation == "GetExecutionHistory" {
        for event in answer["events"].as_array_mut().into_iter().flatten() {
            sfn_local_event(event);
        }
    }
}

/// One history event in Step Functions Local's naming.
pub fn sfn_local_event(event: &mut Value) {
    let Some(obj) = event.as_object_mut() else { return };
    for (key, details) in obj.iter_mut() {
        if !(key.starts_with("task") && key.ends_with("EventDetails")) {
            continue;
        }
        let Some(service) = details["resourceType"].as_str().and_then(|t| t.strip_prefix("aws-sdk:")).map(str::to_string) else {
            continue;
        };
        let resource = details["resource"].as_str().unwrap_or_default().to_string();
        details["resourceType"] = Value::from("aws-sdk");
        details["resource"] = Value::from(format!("{service}:{resource}"));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn an_aws_sdk_task_event_names_its_resource_as_sfn_local_does() {
        let mut e = json!({"id": 3, "type": "TaskScheduled", "taskScheduledEventDetails": {"resourceType": "aws-sdk:comprehend", "resource": "detectSentiment", "region": "us-east-1"}});
        super::sfn_local_event(&mut e);
        assert_eq!(e["taskScheduledEventDetails"], json!({"resourceType": "aws-sdk", "resource": "comprehend:detectSentiment", "region": "us-east-1"}));
        let mut lambda = json!({"type": "TaskSucceeded", "taskSucceededEventDetails": {"resourceType": "lambda", "resource": "invoke"}});
        let before = lambda.clone();
        super::sfn_local_event(&mut lambda);
        assert_eq!(lambda, before, "only aws-sdk tasks differ");
    }
}
