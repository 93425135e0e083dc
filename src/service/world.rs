//! The simulated world running on the service's clock: activity workers polling and answering,
//! callback responders answering task tokens, each after its virtual delay.

use super::Service;
use crate::engine::tasks::Pattern;
use crate::engine::{Status, TaskKind};
use crate::sim::workers::seconds_to_ms;
use crate::sim::{ActivityWorker, Answer, CallbackResponder};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub(crate) enum Action {
    Heartbeat { token: String },
    Answer { token: String, answer: Answer, worker: Option<usize> },
}

#[derive(Debug, Default)]
pub(crate) struct World {
    pub workers: Vec<(ActivityWorker, Option<String>)>,
    pub responders: Vec<CallbackResponder>,
    pub timers: BTreeMap<(i64, u64), Action>,
    pub seq: u64,
    /// Tokens a responder already took.
    pub answered: std::collections::HashSet<String>,
}

impl World {
    fn schedule(&mut self, at: i64, action: Action) {
        self.seq += 1;
        self.timers.insert((at, self.seq), action);
    }
}

impl Service {
    /// Adds a simulated worker; returns its index.
    pub fn add_worker(&mut self, worker: ActivityWorker) -> Result<usize, String> {
        seconds_to_ms(worker.latency_seconds, "latencySeconds")?;
        if let Some(h) = worker.heartbeat_seconds {
            if seconds_to_ms(h, "heartbeatSeconds")? == 0 {
                return Err("heartbeatSeconds must be more than 0".into());
            }
        }
        self.world.workers.push((worker, None));
        self.auto_settle();
        Ok(self.world.workers.len() - 1)
    }

    /// Replaces the simulated world with `spec`: its activities created (CreateActivity is
    /// idempotent by name), workers and responders instead of the current ones, its mock
    /// configuration. Tasks already open stay open.
    pub fn install_world(&mut self, spec: &crate::sim::WorldSpec) -> Result<(), super::ServiceError> {
        for a in &spec.activities {
            self.call("CreateActivity", &serde_json::json!({"name": a}))?;
        }
        self.clear_workers();
        self.clear_responders();
        let invalid = |e: String| super::ServiceError::new("ValidationException", e);
        for w in &spec.workers {
            self.add_worker(w.clone()).map_err(invalid)?;
        }
        for r in &spec.responders {
            self.add_responder(r.clone()).map_err(invalid)?;
        }
        self.set_mock_config(spec.mock_config.clone());
        Ok(())
    }

    pub fn workers(&self) -> Vec<ActivityWorker> {
        self.world.workers.iter().map(|(w, _)| w.clone()).collect()
    }

    /// Removes every worker (the task one was doing stays open).
    pub fn clear_workers(&mut self) {
        self.world.workers.clear();
        self.world.timers.retain(|_, a| !matches!(a, Action::Answer { worker: Some(_), .. }));
    }

    pub fn add_responder(&mut self, responder: CallbackResponder) -> Result<(), String> {
        seconds_to_ms(responder.delay_seconds, "delaySeconds")?;
        if let Some(h) = responder.heartbeat_seconds {
            if seconds_to_ms(h, "heartbeatSeconds")? == 0 {
                return Err("heartbeatSeconds must be more than 0".into());
            }
        }
        self.world.responders.push(responder);
        // It may take tasks that are open already.
        self.executions.touch_all_with_tasks();
        self.auto_settle();
        Ok(())
    }

    pub fn clear_responders(&mut self) {
        self.world.responders.clear();
    }

    pub(crate) fn world_next_due(&self) -> Option<i64> {
        self.world.timers.keys().next().map(|(t, _)| *t)
    }

    /// Lets the world act at the current time; true when it did something.
    /// `looked_at`: the executions that may have new open tasks (responders look at those).
    pub(crate) fn world_step(&mut self, looked_at: &[usize]) -> bool {
        let now = self.now_ms;
        let mut acted = false;
        // Due timers first.
        while let Some((&key, _)) = self.world.timers.iter().next() {
            if key.0 > now {
                break;
            }
            let action = self.world.timers.remove(&key).expect("present");
            acted = true;
            match action {
                Action::Heartbeat { token } => {
                    let alive = match self.executions.token_owner(&token) {
                        Some(i) => self.executions.get_mut(i, now).exec.task_heartbeat(&token).is_ok(),
                        None => false,
                    };
                    if !alive {
                        // The task is over: its remaining beats have nothing to beat for.
                        self.world.timers.retain(|_, a| !matches!(a, Action::Heartbeat { token: t } if *t == token));
                    }
                }
                Action::Answer { token, answer, worker } => {
                    if let Some(w) = worker {
                        if let Some(slot) = self.world.workers.get_mut(w) {
                            slot.1 = None;
                        }
                    }
                    if let Some(i) = self.executions.token_owner(&token) {
                        let mut rec = self.executions.get_mut(i, now);
                        let exec = &mut rec.exec;
                        let _ = match answer {
                            Answer::Succeed { output } => exec.task_succeeded(&token, output),
                            Answer::Fail { error, cause } => exec.task_failed(&token, error, cause),
                            Answer::Silent => Ok(()),
                        };
                    }
                }
            }
        }
        // Idle workers take waiting tasks of their activity.
        for w in 0..self.world.workers.len() {
            if self.world.workers[w].1.is_some() {
                continue;
            }
            let arn = self.world.workers[w].0.activity_arn.clone();
            if !self.activities.contains_key(&arn) {
                continue;
            }
            let Some((i, token, _)) = self.waiting_activity_task(&arn) else {
                continue;
            };
            let spec = self.world.workers[w].0.clone();
            let _ = self.executions.get_mut(i, now).exec.task_started(&token, Some(spec.name.clone()));
            self.executions.register_token(&token, i);
            self.world.workers[w].1 = Some(token.clone());
            self.plan(now, &token, spec.latency_seconds, spec.heartbeat_seconds, spec.answer, Some(w));
            acted = true;
        }
        // Responders take `.waitForTaskToken` tasks.
        if !self.world.responders.is_empty() {
            let mut open = Vec::new();
            for r in looked_at.iter().filter_map(|&i| self.executions.get(i)) {
                if r.exec.status() != Status::Running {
                    continue;
                }
                for t in r.exec.pending_tasks() {
                    let callback = matches!(t.kind, TaskKind::Integration { pattern: Pattern::WaitForTaskToken, .. });
                    if callback && !self.world.answered.contains(&t.token) {
                        open.push((t.token.clone(), t.state_name.to_string()));
                    }
                }
            }
            for (token, state) in open {
                let Some(r) = self
                    .world
                    .responders
                    .iter()
                    .find(|r| r.state_name.as_deref().is_none_or(|s| s == state))
                    .cloned()
                else {
                    continue;
                };
                self.world.answered.insert(token.clone());
                self.plan(now, &token, r.delay_seconds, r.heartbeat_seconds, r.answer, None);
                acted = true;
            }
        }
        acted
    }

    fn plan(&mut self, now: i64, token: &str, delay: f64, beat: Option<f64>, answer: Answer, worker: Option<usize>) {
        let delay = seconds_to_ms(delay, "delay").unwrap_or(0);
        let end = now + delay;
        if let Some(b) = beat.and_then(|b| seconds_to_ms(b, "heartbeat").ok()).filter(|b| *b > 0) {
            let mut t = now + b;
            // Silent workers keep beating until the task ends; cap the plan at a day of beats.
            let stop = if answer == Answer::Silent { now + 86_400_000 } else { end };
            while t < stop {
                self.world.schedule(t, Action::Heartbeat { token: token.to_string() });
                t += b;
            }
        }
        if answer != Answer::Silent {
            self.world.schedule(end, Action::Answer { token: token.to_string(), answer, worker });
        }
    }
}
