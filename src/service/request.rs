//! Reading request members with AWS's validation messages.

use super::error::ServiceError;
use serde_json::Value;

/// One request's members.
pub struct Request<'a>(pub &'a Value);

fn quoted(s: &str) -> String {
    format!("'{s}'")
}

impl<'a> Request<'a> {
    fn get(&self, member: &str) -> Option<&'a Value> {
        self.0.get(member).filter(|v| !v.is_null())
    }

    /// A required string of `min..=max` characters.
    pub fn string(&self, member: &str, min: usize, max: usize) -> Result<&'a str, ServiceError> {
        match self.opt_string(member, min, max)? {
            Some(s) => Ok(s),
            None => Err(ServiceError::validation("null", member, "Member must not be null")),
        }
    }

    pub fn opt_string(
        &self,
        member: &str,
        min: usize,
        max: usize,
    ) -> Result<Option<&'a str>, ServiceError> {
        self.checked_string(member, min, max, false)
    }

    /// A required string AWS treats as sensitive (a definition): a length error names the member
    /// but does not echo the value (which may be megabytes long).
    pub fn sensitive_string(&self, member: &str, min: usize, max: usize) -> Result<&'a str, ServiceError> {
        match self.checked_string(member, min, max, true)? {
            Some(s) => Ok(s),
            None => Err(ServiceError::validation("null", member, "Member must not be null")),
        }
    }

    pub fn opt_sensitive_string(&self, member: &str, min: usize, max: usize) -> Result<Option<&'a str>, ServiceError> {
        self.checked_string(member, min, max, true)
    }

    fn checked_string(
        &self,
        member: &str,
        min: usize,
        max: usize,
        sensitive: bool,
    ) -> Result<Option<&'a str>, ServiceError> {
        let length_error = |s: &str, constraint: String| {
            if sensitive {
                ServiceError::new(
                    "ValidationException",
                    format!("1 validation error detected: Value at '{member}' failed to satisfy constraint: {constraint}"),
                )
            } else {
                ServiceError::validation(&quoted(s), member, &constraint)
            }
        };
        let Some(v) = self.get(member) else {
            return Ok(None);
        };
        let Some(s) = v.as_str() else {
            return Err(ServiceError::new(
                "SerializationException",
                format!("Unexpected value type for '{member}': expected a string"),
            ));
        };
        let n = s.chars().count();
        if n < min {
            return Err(length_error(s, format!("Member must have length greater than or equal to {min}")));
        }
        if n > max {
            return Err(length_error(s, format!("Member must have length less than or equal to {max}")));
        }
        Ok(Some(s))
    }

    pub fn opt_bool(&self, member: &str) -> Result<Option<bool>, ServiceError> {
        match self.get(member) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(ServiceError::new(
                "SerializationException",
                format!("Unexpected value type for '{member}': expected a boolean"),
            )),
        }
    }

    pub fn opt_int(&self, member: &str, min: i64, max: i64) -> Result<Option<i64>, ServiceError> {
        let Some(v) = self.get(member) else {
            return Ok(None);
        };
        let Some(n) = v.as_i64() else {
            return Err(ServiceError::new(
                "SerializationException",
                format!("Unexpected value type for '{member}': expected an integer"),
            ));
        };
        if n < min {
            return Err(ServiceError::validation(
                &quoted(&n.to_string()),
                member,
                &format!("Member must have value greater than or equal to {min}"),
            ));
        }
        if n > max {
            return Err(ServiceError::validation(
                &quoted(&n.to_string()),
                member,
                &format!("Member must have value less than or equal to {max}"),
            ));
        }
        Ok(Some(n))
    }

    /// An optional enum member.
    pub fn opt_enum(&self, member: &str, allowed: &[&str]) -> Result<Option<&'a str>, ServiceError> {
        let Some(s) = self.opt_string(member, 0, usize::MAX)? else {
            return Ok(None);
        };
        if allowed.contains(&s) {
            Ok(Some(s))
        } else {
            Err(ServiceError::validation(
                &quoted(s),
                member,
                &format!("Member must satisfy enum value set: [{}]", allowed.join(", ")),
            ))
        }
    }

    pub fn opt_value(&self, member: &str) -> Option<&'a Value> {
        self.get(member)
    }
}

#[cfg(test)]
mod tests {
    use crate::service::{Service, ServiceConfig};
    use serde_json::json;

    #[test]
    fn a_too_long_definition_is_named_but_not_echoed() {
        let mut service = Service::new(ServiceConfig::default());
        let definition = format!("{{\"Comment\": \"{}\"}}", "x".repeat(1_100_000));
        let role = "arn:aws:iam::123456789012:role/R";
        for (operation, request) in [
            ("CreateStateMachine", json!({"name": "m", "definition": definition, "roleArn": role})),
            ("ValidateStateMachineDefinition", json!({"definition": definition})),
        ] {
            let e = service.call(operation, &request).unwrap_err();
            assert_eq!(e.code, "ValidationException");
            assert_eq!(
                e.message,
                "1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length less than or equal to 1048576"
            );
        }
    }

    #[test]
    fn other_members_still_show_their_value() {
        let mut service = Service::new(ServiceConfig::default());
        let e = service.call("CreateActivity", &json!({"name": "n".repeat(81)})).unwrap_err();
        assert!(e.message.contains(&"n".repeat(81)), "{}", e.message);
    }
}
