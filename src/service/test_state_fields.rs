//! TestState's `fieldValidationMode`: a mocked Task result checked against the response shape of
//! the API it stands for. STRICT (the default) checks the fields it knows, at any depth (types,
//! enum values, lengths, ranges) and that required fields are there; PRESENT checks only the fields
//! that are there; NONE checks nothing. Fields the shape does not know are accepted in every mode,
//! and field names are case-sensitive (recorded: `executionArn` is an unknown field, so STRICT
//! then misses `ExecutionArn`). The messages are AWS's, as recorded.

use serde_json::{Map, Value};

/// The shape of one field of a response, as the API's model gives it.
enum Shape {
    /// A string, with the API's minimum length and, for an enum, its values.
    Str { min_len: usize, values: &'static [&'static str] },
    /// An integer (or long) with the API's range.
    Int { min: Option<i64>, max: Option<i64> },
    Float,
    Bool,
    /// A timestamp: JSON text, so a string.
    Timestamp,
    /// Binary data: base64 text, so a string, with the API's minimum length.
    Blob { min_len: usize },
    List(Box<Shape>),
    /// A map (DynamoDB items, S3 metadata): an object whose members are not checked.
    Map,
    Struct(Vec<Field>),
    /// A payload of any JSON type (lambda:invoke's Payload).
    Any,
}

struct Field {
    name: &'static str,
    shape: Shape,
    required: bool,
}

fn opt(name: &'static str, shape: Shape) -> Field {
    Field { name, shape, required: false }
}

fn req(name: &'static str, shape: Shape) -> Field {
    Field { name, shape, required: true }
}

fn string() -> Shape {
    Shape::Str { min_len: 0, values: &[] }
}

fn non_empty() -> Shape {
    Shape::Str { min_len: 1, values: &[] }
}

fn one_of(values: &'static [&'static str]) -> Shape {
    Shape::Str { min_len: 0, values }
}

fn int() -> Shape {
    Shape::Int { min: None, max: None }
}

fn int_in(min: i64, max: i64) -> Shape {
    Shape::Int { min: Some(min), max: Some(max) }
}

/// DynamoDB's ConsumedCapacity (every write and read returns it).
fn consumed_capacity() -> Shape {
    let capacity = || Shape::Struct(vec![opt("ReadCapacityUnits", Shape::Float), opt("WriteCapacityUnits", Shape::Float), opt("CapacityUnits", Shape::Float)]);
    Shape::Struct(vec![
        opt("TableName", string()),
        opt("CapacityUnits", Shape::Float),
        opt("ReadCapacityUnits", Shape::Float),
        opt("WriteCapacityUnits", Shape::Float),
        opt("Table", capacity()),
        opt("LocalSecondaryIndexes", Shape::Map),
        opt("GlobalSecondaryIndexes", Shape::Map),
    ])
}

/// S3's storage classes (GetObject, HeadObject, PutObject's answers).
const S3_STORAGE_CLASSES: &[&str] = &[
    "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER",
    "DEEP_ARCHIVE", "OUTPOSTS", "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE", "FSX_OPENZFS",
];

/// The fields of the response of the API behind `resource`, if sfnsim knows them.
fn response_shape(resource: &str) -> Option<Vec<Field>> {
    // `arn:<partition>:states:<region>:<account>:<service>:<action>`; region and account may be empty.
    let api = resource
        .splitn(6, ':')
        .nth(5)
        .filter(|_| resource.starts_with("arn:"))
        .unwrap_or(resource)
        .trim_end_matches(".sync:2")
        .trim_end_matches(".sync")
        .trim_end_matches(".waitForTaskToken");
    let fields = match api {
        "states:startExecution" => vec![req("ExecutionArn", Shape::Str { min_len: 1, values: &[] }), req("StartDate", Shape::Timestamp)],
        "events:putEvents" => vec![
            opt("FailedEntryCount", int()),
            opt("Entries", Shape::List(Box::new(Shape::Struct(vec![opt("EventId", string()), opt("ErrorCode", string()), opt("ErrorMessage", string())])))),
        ],
        "sqs:sendMessage" => vec![
            opt("MD5OfMessageBody", string()),
            opt("MD5OfMessageAttributes", string()),
            opt("MD5OfMessageSystemAttributes", string()),
            opt("MessageId", string()),
            opt("SequenceNumber", string()),
        ],
        "sns:publish" => vec![opt("MessageId", string()), opt("SequenceNumber", string())],
        "lambda:invoke" => vec![
            opt("StatusCode", int()),
            opt("FunctionError", string()),
            opt("LogResult", string()),
            opt("Payload", Shape::Any),
            opt("ExecutedVersion", non_empty()),
        ],
        "dynamodb:getItem" => vec![opt("Item", Shape::Map), opt("ConsumedCapacity", consumed_capacity())],
        "dynamodb:putItem" | "dynamodb:updateItem" | "dynamodb:deleteItem" => vec![
            opt("Attributes", Shape::Map),
            opt("ConsumedCapacity", consumed_capacity()),
            opt("ItemCollectionMetrics", Shape::Struct(vec![opt("ItemCollectionKey", Shape::Map), opt("SizeEstimateRangeGB", Shape::List(Box::new(Shape::Float)))])),
        ],
        "aws-sdk:s3:getObject" => vec![
            opt("Body", Shape::Any),
            opt("DeleteMarker", Shape::Bool),
            opt("AcceptRanges", string()),
            opt("Expiration", string()),
            opt("Restore", string()),
            opt("LastModified", Shape::Timestamp),
            opt("ContentLength", int()),
            opt("ETag", string()),
            opt("MissingMeta", int()),
            opt("VersionId", string()),
            opt("CacheControl", string()),
            opt("ContentDisposition", string()),
            opt("ContentEncoding", string()),
            opt("ContentLanguage", string()),
            opt("ContentRange", string()),
            opt("ContentType", string()),
            opt("WebsiteRedirectLocation", string()),
            opt("ServerSideEncryption", one_of(&["AES256", "aws:fsx", "aws:kms", "aws:kms:dsse"])),
            opt("Metadata", Shape::Map),
            opt("BucketKeyEnabled", Shape::Bool),
            opt("StorageClass", one_of(S3_STORAGE_CLASSES)),
            opt("RequestCharged", one_of(&["requester"])),
            opt("ReplicationStatus", one_of(&["COMPLETE", "PENDING", "FAILED", "REPLICA", "COMPLETED"])),
            opt("PartsCount", int()),
            opt("TagCount", int()),
            opt("ObjectLockMode", one_of(&["GOVERNANCE", "COMPLIANCE"])),
            opt("ObjectLockRetainUntilDate", Shape::Timestamp),
            opt("ObjectLockLegalHoldStatus", one_of(&["ON", "OFF"])),
        ],
        "aws-sdk:kms:encrypt" => vec![
            opt("CiphertextBlob", Shape::Blob { min_len: 1 }),
            opt("KeyId", non_empty()),
            opt("EncryptionAlgorithm", one_of(&["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"])),
        ],
        "aws-sdk:lambda:getFunction" => vec![
            opt(
                "Configuration",
                Shape::Struct(vec![
                    opt("FunctionName", non_empty()),
                    opt("FunctionArn", string()),
                    opt("Role", string()),
                    opt("Handler", string()),
                    opt("CodeSize", int()),
                    opt("Description", string()),
                    opt("Timeout", Shape::Int { min: Some(1), max: None }),
                    opt("MemorySize", int_in(128, 10240)),
                    opt("LastModified", string()),
                    opt("CodeSha256", string()),
                    opt("Version", non_empty()),
                    opt("PackageType", one_of(&["Zip", "Image"])),
                    opt("Architectures", Shape::List(Box::new(one_of(&["x86_64", "arm64"])))),
                ]),
            ),
            opt("Code", Shape::Struct(vec![opt("RepositoryType", string()), opt("Location", string())])),
            opt("Tags", Shape::Map),
            opt("Concurrency", Shape::Struct(vec![opt("ReservedConcurrentExecutions", Shape::Int { min: Some(0), max: None })])),
        ],
        _ => return None,
    };
    Some(fields)
}

/// Checks a mocked result of the Task on `resource`; Err is the message after
/// "Mock result schema validation error: ".
pub(crate) fn check(resource: &str, result: &Value, mode: &str) -> Result<(), String> {
    if mode == "NONE" {
        return Ok(());
    }
    let Some(fields) = response_shape(resource) else {
        return Ok(());
    };
    let Value::Object(m) = result else {
        return Err("The mocked result must be a JSON object".into());
    };
    check_struct(&fields, m, mode == "STRICT")
}

fn check_struct(fields: &[Field], m: &Map<String, Value>, strict: bool) -> Result<(), String> {
    for f in fields {
        match m.get(f.name) {
            Some(v) => check_value(f.name, &f.shape, v, strict)?,
            None if f.required && strict => return Err(format!("Required field '{}' is missing", f.name)),
            None => {}
        }
    }
    Ok(())
}

/// A value of the field `name`; errors name the innermost field, as AWS's do (`EventId`).
fn check_value(name: &str, shape: &Shape, v: &Value, strict: bool) -> Result<(), String> {
    let wrong = |what: &str| Err(format!("Field '{name}' must be {what}"));
    match shape {
        Shape::Any => Ok(()),
        Shape::Str { min_len, values } => {
            let Some(s) = v.as_str() else { return wrong("a string") };
            if !values.is_empty() && !values.contains(&s) {
                return Err(format!("Field '{name}' is not an expected value"));
            }
            if s.chars().count() < *min_len {
                return Err(format!("Field '{name}' is smaller than the minimum length"));
            }
            Ok(())
        }
        Shape::Blob { min_len } => {
            let Some(s) = v.as_str() else { return wrong("a string") };
            if s.len() < *min_len {
                return Err(format!("Field '{name}' is smaller than the minimum length"));
            }
            Ok(())
        }
        Shape::Timestamp => if v.is_string() { Ok(()) } else { wrong("a string") },
        Shape::Bool => if v.is_boolean() { Ok(()) } else { wrong("a boolean") },
        Shape::Float => if v.is_number() { Ok(()) } else { wrong("a number") },
        Shape::Int { min, max } => {
            let Some(n) = v.as_i64().or_else(|| v.as_u64().map(|u| i64::try_from(u).unwrap_or(i64::MAX))) else {
                return wrong("a number");
            };
            if min.is_some_and(|lo| n < lo) {
                return Err(format!("Field '{name}' is less than the minimum value"));
            }
            if max.is_some_and(|hi| n > hi) {
                return Err(format!("Field '{name}' exceeds the maximum value"));
            }
            Ok(())
        }
        Shape::List(item) => {
            let Some(a) = v.as_array() else { return wrong("an array") };
            a.iter().try_for_each(|x| check_value(name, item, x, strict))
        }
        Shape::Map => if v.is_object() { Ok(()) } else { wrong("an object") },
        Shape::Struct(fields) => {
            let Some(m) = v.as_object() else { return wrong("an object") };
            check_struct(fields, m, strict)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use serde_json::json;

    fn err(resource: &str, result: serde_json::Value, mode: &str) -> String {
        check(&format!("arn:aws:states:::{resource}"), &result, mode).unwrap_err()
    }

    // The cases and messages of AWS's recordings (test_field_validation_mode*.py).
    #[test]
    fn modes() {
        let sfn = "arn:aws:states:::states:startExecution";
        assert_eq!(check(sfn, &json!({}), "STRICT").unwrap_err(), "Required field 'ExecutionArn' is missing");
        assert_eq!(
            check(sfn, &json!({"executionArn": "a", "startDate": "b"}), "STRICT").unwrap_err(),
            "Required field 'ExecutionArn' is missing"
        );
        assert!(check(sfn, &json!({}), "PRESENT").is_ok());
        assert_eq!(check(sfn, &json!({"StartDate": true}), "PRESENT").unwrap_err(), "Field 'StartDate' must be a string");
        assert_eq!(check(sfn, &json!({"ExecutionArn": 1764103483}), "PRESENT").unwrap_err(), "Field 'ExecutionArn' must be a string");
        assert!(check(sfn, &json!({"ExecutionArn": "a", "StartDate": true}), "NONE").is_ok());
        let events = "arn:aws:states:::events:putEvents";
        assert!(check(events, &json!({"random": "json"}), "STRICT").is_ok());
        assert_eq!(check(events, &json!({"Entries": 1}), "STRICT").unwrap_err(), "Field 'Entries' must be an array");
        assert_eq!(check(events, &json!({"FailedEntryCount": "1"}), "PRESENT").unwrap_err(), "Field 'FailedEntryCount' must be a number");
    }

    #[test]
    fn nested_fields_are_checked_and_named() {
        let bad_second = json!({"Entries": [{"EventId": "ok"}, {"EventId": ["not a string"]}]});
        assert_eq!(err("events:putEvents", bad_second, "PRESENT"), "Field 'EventId' must be a string");
        let capacity = json!({"ConsumedCapacity": {"CapacityUnits": "123.45"}});
        assert_eq!(err("dynamodb:putItem", capacity, "STRICT"), "Field 'CapacityUnits' must be a number");
        assert!(check("arn:aws:states:::dynamodb:putItem", &json!({"ConsumedCapacity": {"CapacityUnits": 1.5}}), "STRICT").is_ok());
        assert_eq!(err("lambda:invoke", json!({"StatusCode": "200"}), "PRESENT"), "Field 'StatusCode' must be a number");
    }

    #[test]
    fn enums_lengths_and_ranges() {
        assert_eq!(err("aws-sdk:s3:getObject", json!({"ContentLength": "9000"}), "STRICT"), "Field 'ContentLength' must be a number");
        assert_eq!(err("aws-sdk:s3:getObject", json!({"StorageClass": "Papyrus"}), "PRESENT"), "Field 'StorageClass' is not an expected value");
        assert!(check("arn:aws:states:::aws-sdk:s3:getObject", &json!({"StorageClass": "GLACIER"}), "STRICT").is_ok());
        // An ARN with a region and an account names the same API.
        let regional = "arn:aws:states:us-east-1:123456789012:aws-sdk:s3:getObject";
        assert_eq!(check(regional, &json!({"StorageClass": "Papyrus"}), "STRICT").unwrap_err(), "Field 'StorageClass' is not an expected value");
        assert_eq!(err("aws-sdk:kms:encrypt", json!({"CiphertextBlob": 123}), "STRICT"), "Field 'CiphertextBlob' must be a string");
        assert_eq!(
            err("aws-sdk:kms:encrypt", json!({"CiphertextBlob": ""}), "PRESENT"),
            "Field 'CiphertextBlob' is smaller than the minimum length"
        );
        let memory = |n: i64| json!({"Configuration": {"MemorySize": n}});
        assert_eq!(err("aws-sdk:lambda:getFunction", memory(127), "STRICT"), "Field 'MemorySize' is less than the minimum value");
        assert_eq!(err("aws-sdk:lambda:getFunction", memory(10241), "PRESENT"), "Field 'MemorySize' exceeds the maximum value");
        assert!(check("arn:aws:states:::aws-sdk:lambda:getFunction", &memory(128), "STRICT").is_ok());
    }
}
