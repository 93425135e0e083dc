//! AWS errors of the Step Functions API: the exception name (`__type` on the wire, `Error.Code`
//! in SDKs), its message, and the HTTP status the JSON 1.0 protocol gives it.

use serde::Serialize;
use serde_json::{json, Value};

/// Serialized as `{code, message}` (the node benchmark harness answers it, src/js/bench.rs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceError {
    pub code: &'static str,
    pub message: String,
}

impl ServiceError {
    pub fn new(code: &'static str, message: impl Into<String>) -> ServiceError {
        ServiceError {
            code,
            message: message.into(),
        }
    }

    /// HTTP status: 400 for client errors, except the two the model documents otherwise.
    pub fn http_status(&self) -> u16 {
        match self.code {
            "ConflictException" => 409,
            "ServiceQuotaExceededException" => 402,
            "InternalFailure" | "ServiceUnavailable" => 500,
            "UnknownOperationException" => 400,
            _ => 400,
        }
    }

    /// The error body of the JSON 1.0 protocol.
    pub fn body(&self) -> Value {
        json!({"__type": format!("com.amazonaws.swf.service.v2.model#{}", self.code), "message": self.message})
    }

    pub fn invalid_arn(detail: impl std::fmt::Display) -> ServiceError {
        ServiceError::new("InvalidArn", format!("Invalid Arn: '{detail}'"))
    }

    /// InvalidDefinition for a reason the validator does not word (it accepted the text).
    pub fn invalid_definition(detail: impl std::fmt::Display) -> ServiceError {
        ServiceError::new("InvalidDefinition", format!("Invalid State Machine Definition: '{detail}'"))
    }

    pub fn invalid_name(name: &str) -> ServiceError {
        ServiceError::new("InvalidName", format!("Invalid Name: '{name}'"))
    }

    pub fn invalid_token() -> ServiceError {
        ServiceError::new("InvalidToken", "Invalid Token: 'Invalid token'")
    }

    /// Coral-style request validation text, e.g. for a missing or too long member.
    pub fn validation(value: &str, member: &str, constraint: &str) -> ServiceError {
        ServiceError::new(
            "ValidationException",
            format!("1 validation error detected: Value {value} at '{member}' failed to satisfy constraint: {constraint}"),
        )
    }
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}
