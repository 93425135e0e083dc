//! Tags on state machines and activities: TagResource, UntagResource, ListTagsForResource.

use super::arn::Arn;
use super::error::ServiceError;
use super::request::Request;
use super::Service;
use serde_json::{json, Value};

const MAX_TAGS: usize = 50;

/// Unicode letters, digits, white space and `_ . : / = + - @`.
fn tag_text_ok(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c))
}

fn check_key(key: &str, member: &str) -> Result<(), ServiceError> {
    let n = key.chars().count();
    if n == 0 || n > 128 {
        return Err(ServiceError::validation(
            &format!("'{key}'"),
            member,
            "Member must have length between 1 and 128",
        ));
    }
    if !tag_text_ok(key) {
        return Err(ServiceError::validation(
            &format!("'{key}'"),
            member,
            "Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$",
        ));
    }
    Ok(())
}

/// A `tags` member: `[{key, value}]`, checked as AWS checks it.
pub(crate) fn parse_tags(v: Option<&Value>) -> Result<Vec<(String, String)>, ServiceError> {
    let Some(v) = v else {
        return Ok(Vec::new());
    };
    let Some(list) = v.as_array() else {
        return Err(ServiceError::new("SerializationException", "tags must be a list of {key, value}"));
    };
    let mut out: Vec<(String, String)> = Vec::new();
    for (i, t) in list.iter().enumerate() {
        let key = t["key"].as_str().unwrap_or("");
        let value = t["value"].as_str().unwrap_or("");
        check_key(key, &format!("tags.{}.member.key", i + 1))?;
        if value.chars().count() > 256 || !tag_text_ok(value) {
            return Err(ServiceError::validation(
                &format!("'{value}'"),
                &format!("tags.{}.member.value", i + 1),
                "Member must have length less than or equal to 256 and satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$",
            ));
        }
        match out.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value.to_string(),
            None => out.push((key.to_string(), value.to_string())),
        }
    }
    if out.len() > MAX_TAGS {
        return Err(ServiceError::new("TooManyTags", format!("Too many tags: at most {MAX_TAGS} are allowed")));
    }
    Ok(out)
}

impl Service {
    fn tags_of(&mut self, arn: &str) -> Result<&mut Vec<(String, String)>, ServiceError> {
        let parsed = Arn::expect(arn, &["stateMachine", "activity"])?;
        let not_found = || ServiceError::new("ResourceNotFound", format!("Resource not found: '{arn}'"));
        if parsed.kind == "activity" {
            return self.activities.get_mut(arn).map(|a| &mut a.tags).ok_or_else(not_found);
        }
        if parsed.parts.len() != 1 {
            return Err(not_found());
        }
        self.state_machines.get_mut(arn).map(|s| &mut s.tags).ok_or_else(not_found)
    }

    pub(crate) fn tag_resource(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let arn = r.string("resourceArn", 1, 256)?.to_string();
        if r.opt_value("tags").is_none() {
            return Err(ServiceError::validation("null", "tags", "Member must not be null"));
        }
        let new = parse_tags(r.opt_value("tags"))?;
        let tags = self.tags_of(&arn)?;
        let mut merged = tags.clone();
        for (k, v) in new {
            match merged.iter_mut().find(|(key, _)| *key == k) {
                Some(slot) => slot.1 = v,
                None => merged.push((k, v)),
            }
        }
        if merged.len() > MAX_TAGS {
            return Err(ServiceError::new("TooManyTags", format!("Too many tags on resource: '{arn}'")));
        }
        *tags = merged;
        Ok(json!({}))
    }

    pub(crate) fn untag_resource(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let arn = r.string("resourceArn", 1, 256)?.to_string();
        let Some(keys) = r.opt_value("tagKeys").and_then(Value::as_array).cloned() else {
            return Err(ServiceError::validation("null", "tagKeys", "Member must not be null"));
        };
        let mut drop = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            let k = k.as_str().unwrap_or("");
            check_key(k, &format!("tagKeys.{}.member", i + 1))?;
            drop.push(k.to_string());
        }
        self.tags_of(&arn)?.retain(|(k, _)| !drop.contains(k));
        Ok(json!({}))
    }

    pub(crate) fn list_tags_for_resource(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let arn = Request(req).string("resourceArn", 1, 256)?.to_string();
        let tags: Vec<Value> = self
            .tags_of(&arn)?
            .iter()
            .map(|(k, v)| json!({"key": k, "value": v}))
            .collect();
        Ok(json!({"tags": tags}))
    }
}
