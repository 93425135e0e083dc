//! The Examples menu: each entry loads a definition and an input.

pub struct Example {
    pub name: &'static str,
    pub definition: &'static str,
    pub input: &'static str,
}

pub const EXAMPLES: &[Example] = &[
    Example { name: "Hello world (Choice, Pass, Fail)", definition: super::DEFAULT_DEFINITION, input: super::DEFAULT_INPUT },
    Example {
        name: "Retry and Catch",
        definition: r#"{
  "Comment": "A step that always fails: retried twice with back-off (2 s, then 4 s of virtual time), then caught",
  "StartAt": "Flaky",
  "States": {
    "Flaky": {
      "Type": "Parallel",
      "Branches": [
        { "StartAt": "Boom", "States": { "Boom": { "Type": "Fail", "Error": "Flaky.Error", "Cause": "always fails" } } }
      ],
      "Retry": [ { "ErrorEquals": ["Flaky.Error"], "IntervalSeconds": 2, "MaxAttempts": 2, "BackoffRate": 2 } ],
      "Catch": [ { "ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Recover" } ],
      "End": true
    },
    "Recover": { "Type": "Pass", "End": true }
  }
}"#,
        input: r#"{ "order": 42 }"#,
    },
    Example {
        name: "Map over items",
        definition: r#"{
  "StartAt": "EachItem",
  "States": {
    "EachItem": {
      "Type": "Map",
      "ItemsPath": "$.items",
      "MaxConcurrency": 2,
      "ItemProcessor": {
        "ProcessorConfig": { "Mode": "INLINE" },
        "StartAt": "Double",
        "States": {
          "Double": { "Type": "Pass", "Parameters": { "value.$": "States.MathAdd($, $)" }, "End": true }
        }
      },
      "End": true
    }
  }
}"#,
        input: r#"{ "items": [1, 2, 3, 4] }"#,
    },
    Example {
        name: "Parallel branches with a Wait",
        definition: r#"{
  "StartAt": "Both",
  "States": {
    "Both": {
      "Type": "Parallel",
      "Branches": [
        { "StartAt": "Slow", "States": { "Slow": { "Type": "Wait", "Seconds": 10, "Next": "SlowDone" }, "SlowDone": { "Type": "Pass", "Result": "slow", "End": true } } },
        { "StartAt": "Fast", "States": { "Fast": { "Type": "Pass", "Result": "fast", "End": true } } }
      ],
      "End": true
    }
  }
}"#,
        input: "{}",
    },
    Example {
        name: "Callback with a task token",
        definition: r#"{
  "Comment": "Waits until the token is answered from the Pending tasks pane",
  "StartAt": "AskForApproval",
  "States": {
    "AskForApproval": {
      "Type": "Task",
      "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters": {
        "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
        "MessageBody": { "request.$": "$", "token.$": "$$.Task.Token" }
      },
      "HeartbeatSeconds": 3600,
      "End": true
    }
  }
}"#,
        input: r#"{ "amount": 120 }"#,
    },
];
