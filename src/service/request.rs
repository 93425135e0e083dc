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
            return Err(ServiceError::validation(
                &quoted(s),
                member,
                &format!("Member must have length greater than or equal to {min}"),
            ));
        }
        if n > max {
            return Err(ServiceError::validation(
                &quoted(s),
                member,
                &format!("Member must have length less than or equal to {max}"),
            ));
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
