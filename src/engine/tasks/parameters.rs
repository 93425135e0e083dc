//! Checks an integration makes of its Parameters before the call starts. A refused value fails the
//! state with States.Runtime ("The Parameters '…' could not be used to start the Task: […]")
//! before any TaskScheduled, as AWS records it.

use serde_json::Value;

/// What is wrong with `parameters` for the integration `resource_type:resource`, in AWS's words.
pub(crate) fn problem(resource_type: &str, resource: &str, parameters: &Value) -> Option<String> {
    if resource_type == "apigateway" && resource.starts_with("invoke") {
        return api_gateway_invoke(parameters);
    }
    None
}

/// API Gateway's Headers map each header name to a list of values (`{"h": ["v1", "v2"]}`); a
/// bare string value is refused (recorded: `{"custom_header": "singleStringHeader"}`).
fn api_gateway_invoke(parameters: &Value) -> Option<String> {
    let headers = parameters.get("Headers")?;
    let is_list_of_strings = |v: &Value| v.as_array().is_some_and(|a| a.iter().all(Value::is_string));
    let ok = match headers {
        Value::Null => true,
        Value::Object(m) => m.values().all(is_list_of_strings),
        _ => false,
    };
    (!ok).then(|| "The value of the field 'Headers' has an invalid format".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn api_gateway_headers_must_map_names_to_lists() {
        let single = json!({"Headers": {"custom_header": "singleStringHeader"}});
        assert_eq!(
            problem("apigateway", "invoke", &single).as_deref(),
            Some("The value of the field 'Headers' has an invalid format")
        );
        let list = json!({"Headers": {"custom_header": ["a", "b"]}});
        assert_eq!(problem("apigateway", "invoke", &list), None);
        assert_eq!(problem("apigateway", "invoke", &json!({"Method": "GET"})), None);
        // Other integrations are not checked here.
        assert_eq!(problem("lambda", "invoke", &single), None);
    }
}
