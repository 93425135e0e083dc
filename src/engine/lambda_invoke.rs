//! What Lambda's Invoke API answers the `arn:aws:states:::lambda:invoke` integration, for a
//! simulated function that returns the event it was given (what an unmocked call does here).
//!
//! The shape is the recorded one (aws-facts §2.4.3): `ExecutedVersion`, `Payload`, the HTTP
//! headers twice (`AllHttpHeaders` as lists, `HttpHeaders` as strings, in AWS's order),
//! `HttpStatusCode`, `SdkResponseMetadata.RequestId` (the same id as `x-amzn-RequestId`) and
//! `StatusCode`. `Content-Length` is the length of the payload as a Python runtime writes it.

use serde_json::{json, Value};

/// The event a function receives for the request's `Payload`: Lambda hands a function invoked
/// with no payload (absent, or null in the Parameters) an empty object (recorded: such an echo
/// answers `{}`, Content-Length 2).
pub fn event_of(request: &Value) -> Value {
    match request.get("Payload") {
        None | Some(Value::Null) => json!({}),
        Some(p) => p.clone(),
    }
}

/// The Invoke response carrying `payload`, made at virtual time `now_ms`; its request and trace
/// ids are derived from `call` (the task's token), so a run replays byte for byte.
pub fn response(payload: Value, now_ms: i64, call: &str) -> Value {
    let trace_bits = stable_hash(call);
    let request_id = &crate::asl::intrinsics::uuid_v4(trace_bits, stable_hash(&format!("{call}/request")));
    let length = python_json(&payload).len().to_string();
    let date = chrono::DateTime::from_timestamp_millis(now_ms)
        .map(|t| t.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
        .unwrap_or_default();
    let trace = format!(
        "Root=1-{:08x}-{:024x};Parent={:016x};Sampled=0;Lineage=1:{:08x}:0",
        now_ms / 1000,
        u128::from(trace_bits) * 0x9e37_79b9,
        trace_bits.rotate_left(17),
        trace_bits >> 32
    );
    json!({
        "ExecutedVersion": "$LATEST",
        "Payload": payload,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {
                "X-Amz-Executed-Version": ["$LATEST"],
                "x-amzn-Remapped-Content-Length": ["0"],
                "Connection": ["keep-alive"],
                "x-amzn-RequestId": [request_id],
                "Content-Length": [length],
                "Date": [date],
                "X-Amzn-Trace-Id": [trace],
                "Content-Type": ["application/json"]
            },
            "HttpHeaders": {
                "Connection": "keep-alive",
                "Content-Length": length,
                "Content-Type": "application/json",
                "Date": date,
                "X-Amz-Executed-Version": "$LATEST",
                "x-amzn-Remapped-Content-Length": "0",
                "x-amzn-RequestId": request_id,
                "X-Amzn-Trace-Id": trace
            },
            "HttpStatusCode": 200
        },
        "SdkResponseMetadata": {"RequestId": request_id},
        "StatusCode": 200
    })
}

/// JSON text as Python's `json.dumps` writes it (`", "` and `": "` separators), which is how a
/// Python Lambda runtime's payloads and error payloads look.
pub fn python_json(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, x)| format!("{}: {}", Value::String(k.clone()), python_json(x)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(python_json).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// A 64-bit FNV-1a hash: ids derived from a task token, so the seeded generator's sequence (and
/// every later `$uuid()`) is the same whether or not a call is answered by the simulated world.
pub fn stable_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_has_aws_shape_and_python_content_length() {
        let r = response(json!({"a": [1, "x"]}), 1_700_000_000_000, "token");
        // Python writes {"a": [1, "x"]}: 15 bytes.
        assert_eq!(r["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"], "15");
        assert_eq!(r["SdkHttpMetadata"]["AllHttpHeaders"]["Content-Length"], json!(["15"]));
        assert_eq!(r["SdkHttpMetadata"]["HttpHeaders"]["Date"], "Tue, 14 Nov 2023 22:13:20 GMT");
        assert_eq!(r["SdkResponseMetadata"]["RequestId"], r["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-RequestId"]);
        let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"]);
        assert_eq!(r["StatusCode"], 200);
        assert_eq!(r, response(json!({"a": [1, "x"]}), 1_700_000_000_000, "token"), "the same call, the same answer");
        assert_ne!(r["SdkResponseMetadata"], response(json!({}), 0, "another")["SdkResponseMetadata"]);
    }

    #[test]
    fn no_payload_reaches_the_function_as_an_empty_object() {
        assert_eq!(event_of(&json!({"FunctionName": "f"})), json!({}));
        assert_eq!(event_of(&json!({"FunctionName": "f", "Payload": null})), json!({}));
        assert_eq!(event_of(&json!({"Payload": "s"})), json!("s"));
        assert_eq!(python_json(&event_of(&json!({}))).len(), 2);
    }
}
