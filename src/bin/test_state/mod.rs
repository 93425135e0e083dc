//! `sfnsim test-state FILE`: one state run alone as AWS's TestState API runs it, the response
//! printed as AWS writes it. FILE is one state, or a whole definition with `--state NAME`.

use serde_json::{json, Map, Value};
use sfnsim::service::{Service, ServiceConfig};

/// The command's flags.
pub struct Args {
    pub definition: String,
    pub state: Option<String>,
    pub input: String,
    pub mock_result: Option<String>,
    pub mock_error: Option<String>,
    pub mock_cause: Option<String>,
    pub inspection_level: String,
    pub role_arn: String,
    pub variables: Option<String>,
}

/// The TestState request the flags stand for.
pub fn request(a: &Args) -> Result<Value, String> {
    let mut req = Map::new();
    req.insert("definition".into(), json!(a.definition));
    req.insert("input".into(), json!(a.input));
    req.insert("roleArn".into(), json!(a.role_arn));
    req.insert("inspectionLevel".into(), json!(a.inspection_level.to_ascii_uppercase()));
    if let Some(s) = &a.state {
        req.insert("stateName".into(), json!(s));
    }
    if let Some(v) = &a.variables {
        req.insert("variables".into(), json!(v));
    }
    match (&a.mock_result, &a.mock_error) {
        (Some(_), Some(_)) => return Err("give --mock-result or --mock-error, not both".into()),
        (Some(r), None) => {
            req.insert("mock".into(), json!({"result": r}));
        }
        (None, Some(e)) => {
            let cause = a.mock_cause.clone().unwrap_or_default();
            req.insert("mock".into(), json!({"errorOutput": {"error": e, "cause": cause}}));
        }
        (None, None) => {
            if a.mock_cause.is_some() {
                return Err("--mock-cause needs --mock-error".into());
            }
        }
    }
    Ok(Value::Object(req))
}

/// Runs TestState: the response, or the AWS error as `Code: message`.
pub fn run(a: &Args) -> Result<Value, String> {
    let req = request(a)?;
    let mut svc = Service::new(ServiceConfig::default());
    svc.call("TestState", &req).map_err(|e| format!("{}: {}", e.code, e.message))
}
