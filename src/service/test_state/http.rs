//! TestState at TRACE for an HTTP Task (`arn:aws:states:::http:invoke`): `inspectionData.request`
//! and `.response`, the InspectionDataRequest {protocol, method, url, headers, body} and
//! InspectionDataResponse {protocol, statusCode, statusMessage, headers, body} of AWS's API, every
//! member a string. sfnsim makes no real call: the request is the one the Task's parameters
//! describe (QueryParameters in the URL, RequestBody as JSON or, with
//! `Transformation.RequestBodyEncoding: URL_ENCODED`, as a form), and the response is the Task's
//! (mocked) result in the HTTP Task's shape {StatusCode, StatusText, Headers, ResponseBody}.

use serde_json::{json, Map, Value};

/// Whether `resource` is the HTTP Task.
pub(super) fn is_http_task(resource: &str) -> bool {
    resource == "arn:aws:states:::http:invoke"
}

/// `inspectionData.request` for the Task's effective parameters.
pub(super) fn request(params: &Value) -> Value {
    let endpoint = params.get("ApiEndpoint").and_then(Value::as_str).unwrap_or_default();
    let query = params.get("QueryParameters").map(form).unwrap_or_default();
    let url = if query.is_empty() {
        endpoint.to_string()
    } else {
        let joiner = if endpoint.contains('?') { '&' } else { '?' };
        format!("{endpoint}{joiner}{query}")
    };
    let url_encoded = params["Transformation"]["RequestBodyEncoding"] == "URL_ENCODED";
    let body = match params.get("RequestBody") {
        None | Some(Value::Null) => String::new(),
        Some(b) if url_encoded => form(b),
        Some(Value::String(s)) => s.clone(),
        Some(b) => b.to_string(),
    };
    json!({
        "protocol": protocol(endpoint),
        "method": params.get("Method").and_then(Value::as_str).unwrap_or_default(),
        "url": url,
        "headers": params.get("Headers").map(Value::to_string).unwrap_or_default(),
        "body": body,
    })
}

/// `inspectionData.response` for the Task's result, when it has the HTTP Task's shape.
pub(super) fn response(params: &Value, result: &Value) -> Option<Value> {
    let status = result.get("StatusCode")?;
    let status = status.as_str().map(str::to_string).unwrap_or_else(|| status.to_string());
    let body = match result.get("ResponseBody") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(b) => b.to_string(),
    };
    let endpoint = params.get("ApiEndpoint").and_then(Value::as_str).unwrap_or_default();
    Some(json!({
        "protocol": protocol(endpoint),
        "statusCode": status,
        "statusMessage": result.get("StatusText").and_then(Value::as_str).unwrap_or_default(),
        "headers": result.get("Headers").map(Value::to_string).unwrap_or_default(),
        "body": body,
    }))
}

fn protocol(endpoint: &str) -> String {
    endpoint.split_once("://").map(|(scheme, _)| scheme.to_ascii_lowercase()).unwrap_or_else(|| "https".into())
}

/// `k=v&...` (percent-encoded); a list gives its key once per value, nested objects `a[b]=v`.
fn form(v: &Value) -> String {
    let mut pairs = Vec::new();
    flatten("", v, &mut pairs);
    pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => flatten_object(prefix, m, out),
        Value::Array(a) => a.iter().for_each(|x| flatten(prefix, x, out)),
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        Value::Null => out.push((prefix.to_string(), String::new())),
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

fn flatten_object(prefix: &str, m: &Map<String, Value>, out: &mut Vec<(String, String)>) {
    for (k, x) in m {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}[{k}]") };
        flatten(&key, x, out);
    }
}

/// Percent-encoding of everything but RFC 3986's unreserved characters.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_is_built_from_the_parameters() {
        let params = json!({
            "ApiEndpoint": "https://api.example.com/v1/customers", "Method": "POST",
            "QueryParameters": {"limit": 2, "tag": ["a b", "c"]},
            "Headers": {"x-id": "7"},
            "RequestBody": {"name": "Ann"}
        });
        let r = request(&params);
        assert_eq!(r["protocol"], "https");
        assert_eq!(r["method"], "POST");
        assert_eq!(r["url"], "https://api.example.com/v1/customers?limit=2&tag=a%20b&tag=c");
        assert_eq!(r["headers"], "{\"x-id\":\"7\"}");
        assert_eq!(r["body"], "{\"name\":\"Ann\"}");
        let form_body = json!({"ApiEndpoint": "https://e", "Method": "POST", "RequestBody": {"a": {"b": 1}},
            "Transformation": {"RequestBodyEncoding": "URL_ENCODED"}});
        assert_eq!(request(&form_body)["body"], "a%5Bb%5D=1");
    }

    #[test]
    fn the_response_is_the_result_in_the_http_task_shape() {
        let params = json!({"ApiEndpoint": "https://e", "Method": "GET"});
        let result = json!({"StatusCode": 200, "StatusText": "OK", "Headers": {"content-type": ["application/json"]}, "ResponseBody": {"ok": true}});
        let r = response(&params, &result).unwrap();
        assert_eq!(r, json!({"protocol": "https", "statusCode": "200", "statusMessage": "OK",
            "headers": "{\"content-type\":[\"application/json\"]}", "body": "{\"ok\":true}"}));
        assert_eq!(response(&params, &json!({"other": 1})), None);
    }
}
