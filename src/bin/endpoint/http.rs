//! One HTTP/1.1 connection and its requests, in AWS's JSON 1.0 protocol: `POST /` with
//! `X-Amz-Target: AWSStepFunctions.<Operation>`, a JSON body, a JSON answer with
//! `x-amzn-RequestId`. Bodies are bounded in size and in the time they take to arrive.

use super::connections::Slot;
use super::operations::dispatch;
use super::shared_service::SharedService;
use super::Limits;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{json, Value};
use sfnsim::service::ServiceError;
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::net::TcpStream;

/// Serves one connection until the client closes it, it idles past the header timeout, or it
/// is asked to close (shed for a newer client, or shutdown).
pub async fn serve_connection(stream: TcpStream, slot: Slot, svc: SharedService, limits: Arc<Limits>) {
    let _ = stream.set_nodelay(true);
    let close_when_idle = slot.close_when_idle.clone();
    let handler_limits = limits.clone();
    let in_flight = Arc::new(AtomicUsize::new(0));
    let counted = in_flight.clone();
    let service = hyper::service::service_fn(move |req| {
        let svc = svc.clone();
        let limits = handler_limits.clone();
        let busy = Busy::new(&counted);
        async move {
            let response = handle(req, &svc, &limits).await;
            drop(busy);
            Ok::<_, Infallible>(response)
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        // Also the keep-alive idle timeout: the timer starts when hyper waits for a request head.
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(limits.max_header_bytes)
        .keep_alive(true);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = close_when_idle.notified() => {
            // hyper closes a keep-alive connection between requests at once, but one that has
            // not sent a whole request head yet only at its header timeout: drop that one now.
            if in_flight.load(Ordering::Relaxed) > 0 {
                conn.as_mut().graceful_shutdown();
                let _ = conn.await;
            }
        }
    }
    drop(slot);
}

/// Counts a request from its head until its answer (or until the client goes).
struct Busy(Arc<AtomicUsize>);

impl Busy {
    fn new(count: &Arc<AtomicUsize>) -> Busy {
        count.fetch_add(1, Ordering::Relaxed);
        Busy(count.clone())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A request id in the UUID form AWS uses, unique across requests and server runs.
fn request_id() -> String {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let n = COUNT.fetch_add(1, Ordering::Relaxed);
    let a = super::mix(super::process_nonce() ^ n);
    let b = super::mix(a ^ n.rotate_left(32));
    sfnsim::asl::intrinsics::uuid_v4(a, b)
}

fn respond(status: u16, body: &Value, request_id: &str, close: bool) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/x-amz-json-1.0"));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-RequestId", v);
    }
    if close {
        headers.insert(CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

fn error(e: &ServiceError, request_id: &str) -> Response<Full<Bytes>> {
    respond(e.http_status(), &e.body(), request_id, false)
}

/// The refusal of a body over the size limit; the connection closes (the rest is not read).
fn too_large(limits: &Limits, request_id: &str) -> Response<Full<Bytes>> {
    let e = ServiceError::new(
        "RequestEntityTooLargeException",
        format!("The request is larger than the {} bytes the endpoint accepts", limits.max_body_bytes),
    );
    respond(413, &e.body(), request_id, true)
}

async fn handle(req: Request<Incoming>, svc: &SharedService, limits: &Limits) -> Response<Full<Bytes>> {
    let request_id = request_id();
    let target = req.headers().get("x-amz-target").and_then(|v| v.to_str().ok()).map(str::to_string);
    let operation = match target.as_deref().and_then(|t| t.strip_prefix("AWSStepFunctions.")) {
        Some(op) if req.method() == Method::POST => op.to_string(),
        _ => {
            let e = ServiceError::new(
                "UnknownOperationException",
                "Expected POST with X-Amz-Target: AWSStepFunctions.<Operation>",
            );
            return error(&e, &request_id);
        }
    };
    let declared = req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_body_bytes as u64) {
        return too_large(limits, &request_id);
    }
    let body = Limited::new(req.into_body(), limits.max_body_bytes).collect();
    let body = match tokio::time::timeout(limits.body_timeout, body).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => return too_large(limits, &request_id),
        Ok(Err(_)) => {
            // The client broke off mid-body; nobody reads this answer.
            let e = ServiceError::new("SerializationException", "The request body ended early");
            return respond(400, &e.body(), &request_id, true);
        }
        Err(_) => {
            let e = ServiceError::new(
                "RequestTimeoutException",
                format!("The request body did not arrive within {} s", limits.body_timeout.as_secs()),
            );
            return respond(408, &e.body(), &request_id, true);
        }
    };
    let Ok(text) = std::str::from_utf8(&body) else {
        let e = ServiceError::new("SerializationException", "The request body is not UTF-8 text");
        return error(&e, &request_id);
    };
    let input: Value = if text.trim().is_empty() {
        json!({})
    } else {
        match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                let e = ServiceError::new("SerializationException", format!("The request body is not JSON: {e}"));
                return error(&e, &request_id);
            }
        }
    };
    let started = std::time::Instant::now();
    let answer = dispatch(svc, operation.clone(), input).await;
    super::log::request(&operation, &answer, started.elapsed());
    match answer {
        Ok(mut v) => {
            super::compat::rewrite(&operation, &mut v);
            respond(200, &v, &request_id, false)
        }
        Err(e) => error(&e, &request_id),
    }
}
