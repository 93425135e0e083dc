//! `sfnsim serve`: the Step Functions API over HTTP, in AWS's JSON 1.0 protocol (POST /,
//! `X-Amz-Target: AWSStepFunctions.<Operation>`), so the AWS CLI, boto3 and the SDKs work with
//! `--endpoint-url`. Signatures are accepted unchecked.
//!
//! Clock: by default the service's virtual clock follows wall time (every request first advances
//! it to now; long polls re-check every 100 ms). With `--virtual-clock` time only moves when a
//! caller asks (`AWSStepFunctions.SfnsimAdvanceClock {"seconds": N}`) or an operation waits
//! (GetActivityTask's long poll, StartSyncExecution), which then takes no real time at all.
//!
//! tiny_http serves each request on its own thread; the service sits behind one mutex.

use serde_json::{json, Value};
use sfnsim::service::{Service, ServiceConfig, ServiceError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub struct Options {
    pub host: String,
    pub port: u16,
    pub virtual_clock: bool,
    pub config: ServiceConfig,
}

fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

struct Shared {
    service: Mutex<Service>,
    virtual_clock: bool,
}

impl Shared {
    /// Runs `f` on the service, first bringing a wall clock up to date.
    fn with<T>(&self, f: impl FnOnce(&mut Service) -> T) -> T {
        let mut s = self.service.lock().unwrap_or_else(|p| p.into_inner());
        if !self.virtual_clock {
            let now = wall_ms().max(s.now_ms());
            s.advance_to(now);
        }
        f(&mut s)
    }
}

/// Serves until the process is stopped.
pub fn serve(opts: Options) -> Result<(), String> {
    let addr = format!("{}:{}", opts.host, opts.port);
    let server = tiny_http::Server::http(&addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let mut config = opts.config;
    config.start_time_ms = wall_ms();
    let shared = Arc::new(Shared {
        service: Mutex::new(Service::new(config)),
        virtual_clock: opts.virtual_clock,
    });
    eprintln!(
        "sfnsim serve: AWS Step Functions API (JSON 1.0) on http://{addr} — clock: {}",
        if opts.virtual_clock { "virtual (advance with SfnsimAdvanceClock)" } else { "wall time" }
    );
    for request in server.incoming_requests() {
        let shared = shared.clone();
        std::thread::spawn(move || handle(request, &shared));
    }
    Ok(())
}

fn respond(request: tiny_http::Request, status: u16, body: &Value, request_id: &str) {
    let text = body.to_string();
    let headers = [
        tiny_http::Header::from_bytes("Content-Type", "application/x-amz-json-1.0"),
        tiny_http::Header::from_bytes("x-amzn-RequestId", request_id),
    ];
    let mut response = tiny_http::Response::from_string(text).with_status_code(status);
    for h in headers.into_iter().flatten() {
        response.add_header(h);
    }
    let _ = request.respond(response);
}

fn handle(mut request: tiny_http::Request, shared: &Shared) {
    let request_id = format!("{:032x}", wall_ms() as u128 * 7919 + request.remote_addr().map(|a| a.port() as u128).unwrap_or(0));
    let target = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("X-Amz-Target"))
        .map(|h| h.value.as_str().to_string());
    let mut body = String::new();
    if std::io::Read::read_to_string(request.as_reader(), &mut body).is_err() {
        let e = ServiceError::new("SerializationException", "The request body is not UTF-8 text");
        return respond(request, 400, &e.body(), &request_id);
    }
    let operation = match target.as_deref().and_then(|t| t.strip_prefix("AWSStepFunctions.")) {
        Some(op) if *request.method() == tiny_http::Method::Post => op.to_string(),
        _ => {
            let e = ServiceError::new(
                "UnknownOperationException",
                "Expected POST with X-Amz-Target: AWSStepFunctions.<Operation>",
            );
            return respond(request, 400, &e.body(), &request_id);
        }
    };
    let input: Value = if body.trim().is_empty() {
        json!({})
    } else {
        match serde_json::from_str(&body) {
            Ok(v) => v,
            Err(e) => {
                let e = ServiceError::new("SerializationException", format!("The request body is not JSON: {e}"));
                return respond(request, 400, &e.body(), &request_id);
            }
        }
    };
    match dispatch(shared, &operation, &input) {
        Ok(v) => respond(request, 200, &v, &request_id),
        Err(e) => {
            let status = e.http_status();
            respond(request, status, &e.body(), &request_id)
        }
    }
}

fn dispatch(shared: &Shared, operation: &str, input: &Value) -> Result<Value, ServiceError> {
    match operation {
        "SfnsimAdvanceClock" => {
            if !shared.virtual_clock {
                return Err(ServiceError::new(
                    "ValidationException",
                    "The clock follows wall time; start sfnsim serve with --virtual-clock to advance it",
                ));
            }
            let seconds = input.get("seconds").and_then(Value::as_f64).unwrap_or(0.0);
            if !(0.0..=31_622_400.0).contains(&seconds) {
                return Err(ServiceError::new("ValidationException", "seconds must be between 0 and 31622400"));
            }
            shared.with(|s| {
                let t = s.now_ms() + (seconds * 1000.0) as i64;
                s.advance_to(t);
                Ok(json!({"now": s.now_ms() as f64 / 1000.0}))
            })
        }
        "SfnsimGetClock" => shared.with(|s| Ok(json!({"now": s.now_ms() as f64 / 1000.0, "virtual": shared.virtual_clock}))),
        "GetActivityTask" if !shared.virtual_clock => {
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                let answer = shared.with(|s| s.poll_activity_task(input))?;
                if answer.get("taskToken").is_some() || Instant::now() >= deadline {
                    return Ok(answer);
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        "StartSyncExecution" if !shared.virtual_clock => {
            let started = shared.with(|s| s.start_sync_execution_async(input))?;
            let arn = started["executionArn"].as_str().unwrap_or_default().to_string();
            loop {
                if let Some(done) = shared.with(|s| s.sync_result(&arn)) {
                    return Ok(done);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        op => shared.with(|s| s.call(op, input)),
    }
}
