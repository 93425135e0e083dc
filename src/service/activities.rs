//! Activities: CreateActivity, DescribeActivity, DeleteActivity, ListActivities and
//! GetActivityTask (a long poll of up to 60 virtual seconds).

use super::arn::Arn;
use super::error::ServiceError;
use super::pagination::cursor;
use super::request::Request;
use super::state_machines::check_name;
use super::tags::parse_tags;
use super::{ActivityRecord, Service};
use crate::engine::TaskKind;
use serde_json::{json, Value};
use std::ops::Bound;

/// AWS's quota of activities per account and region (aws-facts §3.14).
pub const MAX_ACTIVITIES: usize = 10_000;

/// How long GetActivityTask waits for a task before answering with no token.
pub const LONG_POLL_MS: i64 = 60_000;

impl Service {
    pub(crate) fn activity_arn(&self, text: &str) -> Result<String, ServiceError> {
        Arn::expect(text, &["activity"])?;
        Ok(text.to_string())
    }

    pub(crate) fn create_activity(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let name = r
            .string("name", 1, 80)
            .map_err(|e| match req.get("name").and_then(Value::as_str) {
                Some(n) => ServiceError::invalid_name(n),
                None => e,
            })?;
        check_name(name)?;
        let tags = parse_tags(r.opt_value("tags"))?;
        let arn = self.scope.activity(name);
        if let Some(a) = self.activities.get(&arn) {
            return Ok(json!({"activityArn": arn, "creationDate": Service::date(a.created_ms)}));
        }
        if self.activities.len() >= MAX_ACTIVITIES {
            return Err(ServiceError::new(
                "ActivityLimitExceeded",
                "The maximum number of activities has been reached. Existing activities must be deleted before a new activity can be created.",
            ));
        }
        self.activity_registry.insert(&arn);
        self.activities.insert(
            arn.clone(),
            ActivityRecord {
                arn: arn.clone(),
                name: name.to_string(),
                created_ms: self.now_ms,
                tags,
            },
        );
        Ok(json!({"activityArn": arn, "creationDate": Service::date(self.now_ms)}))
    }

    fn existing_activity(&self, text: &str) -> Result<&ActivityRecord, ServiceError> {
        let arn = self.activity_arn(text)?;
        self.activities
            .get(&arn)
            .ok_or_else(|| ServiceError::new("ActivityDoesNotExist", format!("Activity Does Not Exist: '{arn}'")))
    }

    pub(crate) fn describe_activity(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let arn = Request(req).string("activityArn", 1, 256)?;
        let a = self.existing_activity(arn)?;
        Ok(json!({
            "activityArn": a.arn,
            "name": a.name,
            "creationDate": Service::date(a.created_ms),
            "encryptionConfiguration": {"type": "AWS_OWNED_KEY"},
        }))
    }

    /// Deleting twice, or something that never existed, is fine (recorded).
    pub(crate) fn delete_activity(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let arn = self.activity_arn(Request(req).string("activityArn", 1, 256)?)?;
        self.activities.remove(&arn);
        self.activity_registry.remove(&arn);
        Ok(json!({}))
    }

    pub(crate) fn list_activities(&mut self, req: &Value) -> Result<Value, ServiceError> {
        // In ARN order (that is, by name); the token holds the last ARN listed.
        let c = cursor(&Request(req), "ListActivities", 1024)?;
        let after: Option<String> = c.after()?;
        let from = after.as_ref().map_or(Bound::Unbounded, Bound::Excluded);
        let activities = self.activities.range::<String, _>((from, Bound::Unbounded)).map(|(_, a)| a);
        let (items, next) = c.page(activities, |a| a.arn.clone(), |a| {
            json!({"activityArn": a.arn, "name": a.name, "creationDate": Service::date(a.created_ms)})
        });
        let mut out = json!({"activities": items});
        if let Some(t) = next {
            out["nextToken"] = json!(t);
        }
        Ok(out)
    }

    /// The oldest activity task of `arn` no worker has taken: (execution index, token, input).
    pub(crate) fn waiting_activity_task(&self, arn: &str) -> Option<(usize, String, String)> {
        for (i, rec) in self.executions.waiting_on_activity(arn) {
            for t in rec.exec.pending_tasks() {
                if t.kind == TaskKind::Activity && !t.started && t.resource == arn {
                    return Some((i, t.token.clone(), crate::asl::template::compact(&t.input)));
                }
            }
        }
        None
    }

    /// GetActivityTask. With `wait`, the virtual clock runs on (up to 60 s) until a task comes.
    pub(crate) fn get_activity_task(&mut self, req: &Value, wait: bool) -> Result<Value, ServiceError> {
        let r = Request(req);
        let arn = r.string("activityArn", 1, 256)?.to_string();
        let worker = r.opt_string("workerName", 1, 80)?.map(str::to_string);
        self.existing_activity(&arn)?;
        self.settle();
        let deadline = self.now_ms + LONG_POLL_MS;
        loop {
            if let Some((i, token, input)) = self.waiting_activity_task(&arn) {
                let _ = self.executions.get_mut(i, self.now_ms).exec.task_started(&token, worker.clone());
                self.executions.register_token(&token, i);
                self.settle();
                return Ok(json!({"taskToken": token, "input": input}));
            }
            if !wait || self.now_ms >= deadline {
                return Ok(json!({}));
            }
            match self.next_due_ms() {
                Some(t) if t <= deadline => self.advance(t),
                _ => self.advance(deadline),
            }
        }
    }
}
