//! Task resources: activities, Lambda function ARNs, optimised integrations and AWS SDK calls.
//! The grammar of a Task's `Resource` ARN, by kind and service integration pattern.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Pattern {
    RequestResponse,
    Sync,
    Sync2,
    WaitForTaskToken,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    Activity,
    Lambda,
    Integration(Pattern),
    /// A `<<opaque:...>>` corpus placeholder for some real ARN.
    Opaque,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Problem {
    NotAnArn,
    Unrecognized,
}

const R: u8 = 1;
const S: u8 = 2;
const S2: u8 = 4;
const W: u8 = 8;

/// Optimised integrations (service, action, patterns), from the AWS developer guide's table.
const INTEGRATIONS: &[(&str, &str, u8)] = &[
    ("lambda", "invoke", R | W),
    ("sqs", "sendMessage", R | W),
    ("sns", "publish", R | W),
    ("dynamodb", "getItem", R),
    ("dynamodb", "putItem", R),
    ("dynamodb", "updateItem", R),
    ("dynamodb", "deleteItem", R),
    ("events", "putEvents", R | W),
    ("apigateway", "invoke", R | W),
    ("http", "invoke", R),
    ("states", "startExecution", R | S | S2 | W),
    ("ecs", "runTask", R | S | W),
    ("batch", "submitJob", R | S),
    ("glue", "startJobRun", R | S),
    ("databrew", "startJobRun", R | S),
    ("athena", "startQueryExecution", R | S),
    ("athena", "stopQueryExecution", R),
    ("athena", "getQueryExecution", R),
    ("athena", "getQueryResults", R),
    ("codebuild", "startBuild", R | S),
    ("codebuild", "stopBuild", R),
    ("codebuild", "batchDeleteBuilds", R),
    ("codebuild", "batchGetReports", R),
    ("codebuild", "startBuildBatch", R | S),
    ("codebuild", "stopBuildBatch", R),
    ("codebuild", "retryBuildBatch", R | S),
    ("codebuild", "deleteBuildBatch", R),
    ("elasticmapreduce", "createCluster", R | S),
    ("elasticmapreduce", "terminateCluster", R | S),
    ("elasticmapreduce", "addStep", R | S),
    ("elasticmapreduce", "cancelStep", R),
    ("elasticmapreduce", "setClusterTerminationProtection", R),
    ("elasticmapreduce", "modifyInstanceFleetByName", R),
    ("elasticmapreduce", "modifyInstanceGroupByName", R),
    ("emr-containers", "createVirtualCluster", R),
    ("emr-containers", "deleteVirtualCluster", R | S),
    ("emr-containers", "startJobRun", R | S),
    ("emr-serverless", "createApplication", R | S),
    ("emr-serverless", "startApplication", R | S),
    ("emr-serverless", "stopApplication", R | S),
    ("emr-serverless", "deleteApplication", R | S),
    ("emr-serverless", "startJobRun", R | S),
    ("emr-serverless", "cancelJobRun", R | S),
    ("eks", "createCluster", R | S),
    ("eks", "deleteCluster", R | S),
    ("eks", "createFargateProfile", R | S),
    ("eks", "deleteFargateProfile", R | S),
    ("eks", "createNodegroup", R | S),
    ("eks", "deleteNodegroup", R | S),
    ("eks", "runJob", R | S),
    ("eks", "call", R),
    ("sagemaker", "createEndpoint", R),
    ("sagemaker", "createEndpointConfig", R),
    ("sagemaker", "createHyperParameterTuningJob", R | S),
    ("sagemaker", "createLabelingJob", R | S),
    ("sagemaker", "createModel", R),
    ("sagemaker", "createProcessingJob", R | S),
    ("sagemaker", "createTrainingJob", R | S),
    ("sagemaker", "createTransformJob", R | S),
    ("sagemaker", "updateEndpoint", R),
    ("mediaconvert", "createJob", R | S),
    ("bedrock", "invokeModel", R),
    ("bedrock", "createModelCustomizationJob", R | S | W),
];

pub(super) fn partition_ok(p: &str) -> bool {
    p == "aws" || (p.starts_with("aws-") && p.len() > 4 && p[4..].bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
}

fn name_ok(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

fn region_ok(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn account_ok(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

pub(super) fn classify(r: &str) -> Result<Kind, Problem> {
    if r.contains("<<opaque:") {
        // The corpus's activity placeholders are named after what they stand for.
        return Ok(if r.contains("activity") { Kind::Activity } else { Kind::Opaque });
    }
    let Some(rest) = r.strip_prefix("arn:") else { return Err(Problem::NotAnArn) };
    let parts: Vec<&str> = rest.splitn(5, ':').collect();
    let [partition, service, region, account, resource] = parts[..] else { return Err(Problem::Unrecognized) };
    if !partition_ok(partition) {
        return Err(Problem::Unrecognized);
    }
    match service {
        "states" if region.is_empty() && account.is_empty() => integration(resource).map(Kind::Integration),
        "states" => match resource.strip_prefix("activity:") {
            Some(name) if region_ok(region) && account_ok(account) && name_ok(name) => Ok(Kind::Activity),
            // An integration with the region and account spelt out, as SAM templates deploy
            // them (`arn:aws:states:us-east-1:123456789012:lambda:invoke`).
            None if region_ok(region) && account_ok(account) => integration(resource).map(Kind::Integration),
            _ => Err(Problem::Unrecognized),
        },
        "lambda" => {
            let Some(f) = resource.strip_prefix("function:") else { return Err(Problem::Unrecognized) };
            let (name, qualifier) = match f.split_once(':') {
                Some((n, q)) => (n, Some(q)),
                None => (f, None),
            };
            let qualifier_ok = |q: &str| q == "$LATEST" || name_ok(q);
            if region_ok(region) && account_ok(account) && name_ok(name) && qualifier.is_none_or(qualifier_ok) {
                Ok(Kind::Lambda)
            } else {
                Err(Problem::Unrecognized)
            }
        }
        _ => Err(Problem::Unrecognized),
    }
}

fn integration(resource: &str) -> Result<Pattern, Problem> {
    let (base, pattern) = if let Some(b) = resource.strip_suffix(".sync:2") {
        (b, Pattern::Sync2)
    } else if let Some(b) = resource.strip_suffix(".sync") {
        (b, Pattern::Sync)
    } else if let Some(b) = resource.strip_suffix(".waitForTaskToken") {
        (b, Pattern::WaitForTaskToken)
    } else {
        (resource, Pattern::RequestResponse)
    };
    if let Some(call) = base.strip_prefix("aws-sdk:") {
        let ok = call.split_once(':').is_some_and(|(svc, action)| name_ok(svc) && name_ok(action));
        return if ok && matches!(pattern, Pattern::RequestResponse | Pattern::WaitForTaskToken) { Ok(pattern) } else { Err(Problem::Unrecognized) };
    }
    let Some((service, action)) = base.split_once(':') else { return Err(Problem::Unrecognized) };
    let bit = match pattern {
        Pattern::RequestResponse => R,
        Pattern::Sync => S,
        Pattern::Sync2 => S2,
        Pattern::WaitForTaskToken => W,
    };
    if INTEGRATIONS.iter().any(|(s, a, p)| *s == service && *a == action && p & bit != 0) {
        Ok(pattern)
    } else {
        Err(Problem::Unrecognized)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{diags, ok, one, only, only_as, pair, NOT_RECOGNIZED};
    use super::super::*;
    use serde_json::json;

    fn task(resource: &str) -> Value {
        one(json!({"Type": "Task", "Resource": resource, "End": true}))
    }

    #[test]
    fn task_resources() {
        for r in [
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "arn:aws:states:::states:startExecution.sync:2",
            "arn:aws:states:::states:startExecution.sync",
            "arn:aws:states:::ecs:runTask.sync",
            "arn:aws:states:::glue:startJobRun.sync",
            "arn:aws:states:::dynamodb:putItem",
            "arn:aws:states:::http:invoke",
            "arn:aws:states:::aws-sdk:s3:listBuckets",
            "arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken",
            "arn:aws-cn:states:::aws-sdk:dynamodb:query",
            "arn:aws:lambda:us-east-1:123456789012:function:my-fn",
            "arn:aws:lambda:us-east-1:123456789012:function:my-fn:$LATEST",
            "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f:prod",
            "arn:aws:states:us-east-1:123456789012:activity:my-activity",
            // Region and account spelt out, as published SAM templates deploy them.
            "arn:aws:states:us-east-1:123456789012:lambda:invoke",
            "arn:aws:states:eu-west-1:123456789012:aws-sdk:s3:getObject",
            "arn:aws:states:us-east-1:123456789012:states:startExecution.sync:2",
            "<<opaque:function_arn>>",
            "<<opaque:create_1_res[CreateFunctionResponse][FunctionArn]>>",
        ] {
            ok(task(r));
        }
        assert_eq!(only(task("createToken")), pair("Value is not a valid resource ARN", "/States/A/Resource"));
        for r in [
            "arn:aws:states:::dynamodb:query",
            "arn:aws:states:::lambda:invoke.sync",
            "arn:aws:states:::sns:publish.sync",
            "arn:aws:states:::ecs:runTask.sync:2",
            "arn:aws:states:::aws-sdk:s3:listBuckets.sync",
            "arn:aws:states:::s3:getObject",
            "arn:aws:states:::foo:bar",
            "arn:aws:states:::aws-sdk:s3",
            "arn:aws:states:us-east-1:123456789012:stateMachine:x",
            "arn:aws:sns:us-east-1:123456789012:topic",
            "arn:foo:states:::lambda:invoke",
            "arn:aws:lambda:us-east-1:123:function:f",
        ] {
            assert_eq!(only(task(r)), pair(&format!("The resource provided {r} {NOT_RECOGNIZED}"), "/States/A/Resource"), "{r}");
        }
        assert_eq!(only(one(json!({"Type": "Task", "End": true}))), pair("These fields are required: [Resource]", "/States/A"));
        assert_eq!(only(one(json!({"Type": "Task", "Resource": 1, "End": true}))), pair("The field 'Resource' must be a string", "/States/A/Resource"));
    }

    #[test]
    fn express_restrictions() {
        let x = |r: &str| only_as(task(r), MachineType::Express);
        assert_eq!(
            x("arn:aws:states:::sns:publish.waitForTaskToken"),
            pair("Express state machine does not support '.waitForTaskToken' service integration ", "/States/A/Resource")
        );
        assert_eq!(
            x("arn:aws:states:::states:startExecution.sync"),
            pair("Express state machine does not support '.sync' service integration", "/States/A/Resource")
        );
        assert_eq!(x("arn:aws:states:::states:startExecution.sync:2").0, "Express state machine does not support '.sync' service integration");
        assert_eq!(x("arn:aws:states:us-east-1:123456789012:activity:a"), pair("Express state machine does not support Activity ARN", "/States/A/Resource"));
        assert_eq!(x("<<opaque:activity_arn>>").0, "Express state machine does not support Activity ARN");
        assert_eq!(diags(&task("arn:aws:states:::lambda:invoke"), MachineType::Express), vec![]);
        // A Distributed Map whose children are EXPRESS executions, in a STANDARD machine.
        let map = |execution_type: &str| {
            json!({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": execution_type}, "StartAt": "T",
                "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}}}}})
        };
        ok(map("STANDARD"));
        assert_eq!(only(map("EXPRESS")).1, "/States/M/ItemProcessor/States/T/Resource");
    }
}
