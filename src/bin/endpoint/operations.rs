//! One API call: the sfnsim extensions (the clock), the calls that wait in wall time (the
//! GetActivityTask long poll, StartSyncExecution), and everything else straight to the service.

use super::journal;
use super::shared_service::SharedService;
use serde_json::{json, Value};
use sfnsim::service::ServiceError;
use std::time::Duration;
use tokio::time::Instant;

/// GetActivityTask's long poll (AWS's 60 s).
const LONG_POLL: Duration = Duration::from_secs(60);

/// Calls that only read: they wake no waiter (unless the clock fired something on the way).
fn reads_only(operation: &str) -> bool {
    ["Describe", "List", "Get", "Validate", "TestState", "SfnsimGet"]
        .iter()
        .any(|p| operation.starts_with(p))
}

fn internal_failure() -> ServiceError {
    ServiceError::new("InternalFailure", "The request processing has failed because of an unknown error.")
}

pub async fn dispatch(svc: &SharedService, operation: String, input: Value) -> Result<Value, ServiceError> {
    let wall = !svc.clock().is_virtual();
    match operation.as_str() {
        "SfnsimAdvanceClock" => advance_clock(svc, &input).await,
        "SfnsimGetClock" => {
            let virtual_clock = svc.clock().is_virtual();
            let now = svc.call(|s| (s.now_ms(), false)).await.ok_or_else(internal_failure)?;
            Ok(json!({"now": now as f64 / 1000.0, "virtual": virtual_clock}))
        }
        "GetActivityTask" if wall => long_poll_activity_task(svc, input).await,
        "StartSyncExecution" if wall => start_sync_execution(svc, input).await,
        _ => {
            let changes = !reads_only(&operation);
            svc.call(move |s| {
                let at = s.now_ms();
                let answer = s.call(&operation, &input);
                if changes {
                    journal::record(at, &operation, &input);
                }
                (answer, changes)
            })
                .await
                .unwrap_or_else(|| Err(internal_failure()))
        }
    }
}

async fn advance_clock(svc: &SharedService, input: &Value) -> Result<Value, ServiceError> {
    if !svc.clock().is_virtual() {
        return Err(ServiceError::new(
            "ValidationException",
            "The clock follows wall time; start sfnsim serve with --virtual-clock to advance it",
        ));
    }
    let seconds = input.get("seconds").and_then(Value::as_f64).unwrap_or(0.0);
    if !(0.0..=31_622_400.0).contains(&seconds) {
        return Err(ServiceError::new("ValidationException", "seconds must be between 0 and 31622400"));
    }
    let now = svc
        .call(move |s| {
            let t = s.now_ms() + (seconds * 1000.0) as i64;
            s.advance_to(t);
            journal::record_advance(t);
            (s.now_ms(), true)
        })
        .await
        .ok_or_else(internal_failure)?;
    Ok(json!({"now": now as f64 / 1000.0}))
}

/// Waits up to 60 s for a task, re-checking whenever the service changed. If the client goes
/// away meanwhile, this future is dropped and no later check runs (see SharedService::call).
async fn long_poll_activity_task(svc: &SharedService, input: Value) -> Result<Value, ServiceError> {
    let arn = input.get("activityArn").and_then(Value::as_str).unwrap_or_default();
    let _place = super::pollers::Poller::enter(arn)?;
    let deadline = Instant::now() + LONG_POLL;
    let mut changes = svc.changes();
    loop {
        changes.borrow_and_update();
        let request = input.clone();
        let answer = svc
            .call(move |s| {
                let at = s.now_ms();
                let answer = s.poll_activity_task(&request);
                let took = answer.as_ref().is_ok_and(|v| v.get("taskToken").is_some());
                if took {
                    journal::record(at, "GetActivityTask", &request);
                }
                (answer, took)
            })
            .await
            .unwrap_or_else(|| Err(internal_failure()))?;
        if answer.get("taskToken").is_some() || Instant::now() >= deadline {
            return Ok(answer);
        }
        tokio::select! {
            _ = changes.changed() => {}
            _ = tokio::time::sleep_until(deadline) => {}
        }
    }
}

/// Starts the execution, then waits until it ends (an Express execution ends within 5 minutes).
async fn start_sync_execution(svc: &SharedService, input: Value) -> Result<Value, ServiceError> {
    let mut changes = svc.changes();
    changes.borrow_and_update();
    let started = svc
        .call(move |s| {
            let at = s.now_ms();
            let started = s.start_sync_execution_async(&input);
            journal::record(at, "StartSyncExecution", &input);
            (started, true)
        })
        .await
        .unwrap_or_else(|| Err(internal_failure()))?;
    let arn = started["executionArn"].as_str().unwrap_or_default().to_string();
    loop {
        let arn = arn.clone();
        if let Some(done) = svc.call(move |s| (s.sync_result(&arn), false)).await.ok_or_else(internal_failure)? {
            return Ok(done);
        }
        if changes.changed().await.is_err() {
            return Err(internal_failure());
        }
        changes.borrow_and_update();
    }
}
