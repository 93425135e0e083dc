//! `--log` (one line per request: the wall time, the operation, the HTTP status and AWS's error
//! code, how long it took) and `--log-executions` (each execution's history events as they
//! happen), on stderr, for finding out why a test failed in CI.

use serde_json::Value;
use sfnsim::service::{Service, ServiceError};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

#[derive(Debug, Clone, Copy, Default)]
pub struct Settings {
    pub requests: bool,
    pub executions: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();
/// Events already logged, by execution ARN.
static LOGGED: OnceLock<Mutex<HashMap<String, usize>>> = OnceLock::new();

/// Set once, when the server starts.
pub fn set(settings: Settings) {
    let _ = SETTINGS.set(settings);
}

fn settings() -> Settings {
    SETTINGS.get().copied().unwrap_or_default()
}

/// `2026-12-04T05:06:07.089Z StartExecution 200 0.4 ms`, or `... 400 ExecutionDoesNotExist ...`.
pub fn request(operation: &str, answer: &Result<Value, ServiceError>, took: Duration) {
    if !settings().requests {
        return;
    }
    let (status, code) = match answer {
        Ok(_) => (200, String::new()),
        Err(e) => (e.http_status(), format!(" {}", e.code)),
    };
    let now = chrono::DateTime::from_timestamp_millis(super::clock::wall_ms()).map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()).unwrap_or_default();
    eprintln!("{now} {operation} {status}{code} {:.1} ms", took.as_secs_f64() * 1000.0);
}

/// The events every execution gained since the last call, one line each:
/// `execution Name #4 TaskScheduled {"resourceType":"lambda",...}`.
pub fn new_events(service: &Service) {
    if !settings().executions {
        return;
    }
    let mut logged = LOGGED.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    for arn in service.execution_arns() {
        let Some(exec) = service.execution(&arn) else { continue };
        let seen = logged.entry(arn.clone()).or_insert(0);
        let history = exec.history();
        if history.len() <= *seen {
            continue;
        }
        let name = arn.rsplit(':').next().unwrap_or(&arn);
        for e in &history[*seen..] {
            let aws = e.to_aws();
            let details = aws.as_object().and_then(|o| o.iter().find(|(k, _)| k.ends_with("EventDetails"))).map(|(_, v)| v.to_string()).unwrap_or_default();
            let details: String = if details.chars().count() > 300 { format!("{}…", details.chars().take(299).collect::<String>()) } else { details };
            eprintln!("execution {name} #{} {} {details}", e.id, e.kind);
        }
        *seen = history.len();
    }
}
