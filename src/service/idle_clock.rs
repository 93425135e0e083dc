//! A virtual clock that moves by itself (`sfnsim serve --virtual-clock`): when nothing can happen
//! before the next timer without a client, the clock jumps to that timer. A client polling
//! DescribeExecution then sees a Wait, a retry's back-off or a simulated worker's latency pass at
//! once, as if it had waited; a task a client must answer (an activity nobody simulates, a task
//! token) holds the clock, so its timeouts do not fire under the client's feet.

use super::world::Action;
use super::Service;
use std::collections::HashSet;

/// At most this many timers per call, so a workflow that loops on a Wait forever cannot keep one
/// request busy; the next request goes on from there.
const MAX_JUMPS: usize = 1_000;

impl Service {
    /// Whether a running execution has a task open that only a client can answer: no mock, no
    /// default answer, no simulated worker or responder has it, and it is not a parent waiting
    /// for its own child execution.
    pub fn waits_for_a_client(&self) -> bool {
        let mut world_tokens: Option<HashSet<&str>> = None;
        self.executions.with_tasks().any(|(_, r)| {
            r.exec.pending_tasks().any(|t| {
                if self.waiting.iter().any(|w| w.token == t.token) {
                    return false;
                }
                let world = world_tokens.get_or_insert_with(|| {
                    self.world
                        .timers
                        .values()
                        .map(|a| match a {
                            Action::Heartbeat { token } | Action::Answer { token, .. } => token.as_str(),
                        })
                        .collect()
                });
                !world.contains(t.token.as_str())
            })
        })
    }

    /// Jumps from timer to timer (running what each makes happen) while nothing waits for a
    /// client; stops at `limit_ms`. True when the clock moved.
    pub fn advance_while_idle(&mut self, limit_ms: i64) -> bool {
        self.settle();
        let start = self.now_ms;
        for _ in 0..MAX_JUMPS {
            if self.waits_for_a_client() {
                break;
            }
            match self.next_due_ms() {
                Some(next) if next <= limit_ms => {
                    self.now_ms = self.now_ms.max(next);
                    self.settle();
                }
                _ => break,
            }
        }
        self.now_ms != start
    }
}

#[cfg(test)]
mod tests {
    use crate::service::{Service, ServiceConfig, Unmocked};
    use serde_json::{json, Value};

    fn start(s: &mut Service, def: Value) -> String {
        let role = s.scope().role("R");
        let sm = s.call("CreateStateMachine", &json!({"name": "M", "definition": def.to_string(), "roleArn": role})).unwrap();
        let e = s.call("StartExecution", &json!({"stateMachineArn": sm["stateMachineArn"]})).unwrap();
        e["executionArn"].as_str().unwrap().to_string()
    }

    fn status(s: &mut Service, arn: &str) -> String {
        s.call("DescribeExecution", &json!({"executionArn": arn})).unwrap()["status"].as_str().unwrap().to_string()
    }

    #[test]
    fn waits_and_back_offs_pass_at_once() {
        let mut s = Service::new(ServiceConfig::default());
        let t0 = s.now_ms();
        let arn = start(
            &mut s,
            json!({"StartAt": "W", "States": {
                "W": {"Type": "Wait", "Seconds": 3600, "Next": "F"},
                "F": {"Type": "Fail", "Error": "E"}}}),
        );
        assert_eq!(status(&mut s, &arn), "RUNNING");
        assert!(s.advance_while_idle(i64::MAX));
        assert_eq!(status(&mut s, &arn), "FAILED");
        assert_eq!(s.now_ms() - t0, 3_600_000);
    }

    #[test]
    fn a_task_a_client_must_answer_holds_the_clock() {
        let mut s = Service::new(ServiceConfig { unmocked: Unmocked::Wait, ..Default::default() });
        let arn = start(
            &mut s,
            json!({"StartAt": "T", "States": {
                "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "TimeoutSeconds": 60, "End": true}}}),
        );
        assert!(s.waits_for_a_client());
        assert!(!s.advance_while_idle(i64::MAX), "the task's 60 s timeout must not fire by itself");
        assert_eq!(status(&mut s, &arn), "RUNNING");
    }

    #[test]
    fn a_wait_loop_stops_after_a_bounded_number_of_jumps() {
        let mut s = Service::new(ServiceConfig::default());
        let arn = start(
            &mut s,
            json!({"StartAt": "W", "States": {
                "W": {"Type": "Wait", "Seconds": 1, "Next": "Again"},
                "Again": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}], "Default": "W"},
                "Done": {"Type": "Succeed"}}}),
        );
        let t0 = s.now_ms();
        assert!(s.advance_while_idle(i64::MAX));
        assert_eq!(status(&mut s, &arn), "RUNNING");
        assert!(s.now_ms() - t0 <= super::MAX_JUMPS as i64 * 1000);
    }
}
