//! Answers to task tokens: SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat.

use super::error::ServiceError;
use super::request::Request;
use super::Service;
use crate::engine::{TaskAnswerError, MAX_PAYLOAD_BYTES};
use serde_json::{json, Value};

impl Service {
    /// The execution a token belongs to.
    fn token_owner(&mut self, token: &str) -> Result<usize, ServiceError> {
        self.auto_settle();
        self.executions.token_owner(token).ok_or_else(ServiceError::invalid_token)
    }

    fn answer_error(e: TaskAnswerError) -> ServiceError {
        match e {
            TaskAnswerError::InvalidToken => ServiceError::invalid_token(),
            TaskAnswerError::TaskTimedOut => {
                ServiceError::new("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
            }
        }
    }

    pub(crate) fn send_task_success(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let token = r.string("taskToken", 1, 2048)?.to_string();
        let output = r.string("output", 0, MAX_PAYLOAD_BYTES)?;
        let value: Value = serde_json::from_str(output)
            .map_err(|e| ServiceError::new("InvalidOutput", format!("Invalid Output: '{e}'")))?;
        let i = self.token_owner(&token)?;
        self.executions
            .get_mut(i, self.now_ms)
            .exec
            .task_succeeded(&token, value)
            .map_err(Service::answer_error)?;
        self.auto_settle();
        self.forget_deleted();
        Ok(json!({}))
    }

    pub(crate) fn send_task_failure(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let token = r.string("taskToken", 1, 2048)?.to_string();
        let error = r.opt_string("error", 0, 256)?.map(str::to_string);
        let cause = r.opt_string("cause", 0, 32_768)?.map(str::to_string);
        let i = self.token_owner(&token)?;
        self.executions
            .get_mut(i, self.now_ms)
            .exec
            .task_failed(&token, error, cause)
            .map_err(Service::answer_error)?;
        self.auto_settle();
        self.forget_deleted();
        Ok(json!({}))
    }

    pub(crate) fn send_task_heartbeat(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let token = Request(req).string("taskToken", 1, 2048)?.to_string();
        let i = self.token_owner(&token)?;
        self.executions
            .get_mut(i, self.now_ms)
            .exec
            .task_heartbeat(&token)
            .map_err(Service::answer_error)?;
        Ok(json!({}))
    }
}
