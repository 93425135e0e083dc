//! TestState's `fieldValidationMode`: a mocked Task result checked against the response shape of
//! the integration it stands for. STRICT (the default) checks the types of the fields it knows and
//! that required fields are there; PRESENT checks only the fields that are there; NONE checks
//! nothing. Fields the shape does not know are accepted in every mode (recorded).

use serde_json::Value;

#[derive(Clone, Copy)]
enum Ty {
    Str,
    Int,
    Timestamp,
    Array,
    Object,
}

/// (field, type, required) of the integrations' responses sfnsim knows.
fn shape(resource: &str) -> &'static [(&'static str, Ty, bool)] {
    let api = resource
        .trim_start_matches("arn:aws:states:::")
        .trim_end_matches(".sync:2")
        .trim_end_matches(".sync")
        .trim_end_matches(".waitForTaskToken");
    match api {
        "states:startExecution" => &[("ExecutionArn", Ty::Str, true), ("StartDate", Ty::Timestamp, true)],
        "events:putEvents" => &[("Entries", Ty::Array, false), ("FailedEntryCount", Ty::Int, false)],
        "sqs:sendMessage" => &[
            ("MD5OfMessageBody", Ty::Str, false),
            ("MD5OfMessageAttributes", Ty::Str, false),
            ("MessageId", Ty::Str, false),
            ("SequenceNumber", Ty::Str, false),
        ],
        "sns:publish" => &[("MessageId", Ty::Str, false), ("SequenceNumber", Ty::Str, false)],
        "lambda:invoke" => &[
            ("StatusCode", Ty::Int, false),
            ("ExecutedVersion", Ty::Str, false),
            ("FunctionError", Ty::Str, false),
            ("LogResult", Ty::Str, false),
        ],
        "dynamodb:getItem" => &[("Item", Ty::Object, false), ("ConsumedCapacity", Ty::Object, false)],
        "dynamodb:putItem" | "dynamodb:updateItem" | "dynamodb:deleteItem" => {
            &[("Attributes", Ty::Object, false), ("ConsumedCapacity", Ty::Object, false)]
        }
        _ => &[],
    }
}

fn fits(ty: Ty, v: &Value) -> bool {
    match ty {
        Ty::Str => v.is_string(),
        Ty::Int => v.is_i64() || v.is_u64(),
        Ty::Timestamp => v.is_string(),
        Ty::Array => v.is_array(),
        Ty::Object => v.is_object(),
    }
}

fn described(ty: Ty) -> &'static str {
    match ty {
        Ty::Str => "a string",
        Ty::Int => "a number",
        Ty::Timestamp => "a string",
        Ty::Array => "an array",
        Ty::Object => "an object",
    }
}

/// Checks a mocked result of the Task on `resource`; Err is the message after
/// "Mock result schema validation error: ".
pub(crate) fn check(resource: &str, result: &Value, mode: &str) -> Result<(), String> {
    if mode == "NONE" {
        return Ok(());
    }
    let fields = shape(resource);
    if fields.is_empty() {
        return Ok(());
    }
    let Value::Object(m) = result else {
        return Err("The mocked result must be a JSON object".into());
    };
    for (name, ty, required) in fields {
        match m.get(*name) {
            Some(v) if !fits(*ty, v) => return Err(format!("Field '{name}' must be {}", described(*ty))),
            None if *required && mode == "STRICT" => return Err(format!("Required field '{name}' is missing")),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;
    use serde_json::json;

    #[test]
    fn modes() {
        let sfn = "arn:aws:states:::states:startExecution";
        assert_eq!(check(sfn, &json!({}), "STRICT").unwrap_err(), "Required field 'ExecutionArn' is missing");
        assert!(check(sfn, &json!({}), "PRESENT").is_ok());
        assert!(check(sfn, &json!({"ExecutionArn": "a", "StartDate": true}), "PRESENT").is_err());
        assert!(check(sfn, &json!({"ExecutionArn": "a", "StartDate": true}), "NONE").is_ok());
        let events = "arn:aws:states:::events:putEvents";
        assert!(check(events, &json!({"random": "json"}), "STRICT").is_ok());
        assert_eq!(check(events, &json!({"Entries": 1}), "STRICT").unwrap_err(), "Field 'Entries' must be an array");
        assert_eq!(check(events, &json!({"FailedEntryCount": "1"}), "PRESENT").unwrap_err(), "Field 'FailedEntryCount' must be a number");
    }
}
