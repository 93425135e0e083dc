//! Retry and Catch: what happens when a state's work fails.

use super::clock::TimerKind;
use super::context::ContextExtra;
use super::execution::{Execution, Phase};
use super::states::Outcome;
use crate::asl::errors::{self, Failure};
use crate::asl::model::{Kind, Retrier};
use rand_chacha::rand_core::RngCore;
use std::sync::Arc;

/// The back-off before retry number `attempt` (0-based), in milliseconds:
/// IntervalSeconds × BackoffRate^attempt, capped by MaxDelaySeconds, then FULL jitter if asked.
pub(crate) fn backoff_ms(r: &Retrier, attempt: u64, random: u64) -> i64 {
    let mut secs = r.interval_seconds * r.backoff_rate.powi(attempt.min(i32::MAX as u64) as i32);
    if let Some(max) = r.max_delay_seconds {
        secs = secs.min(max);
    }
    if r.jitter_full {
        // Uniform in [0, secs]: 53 random bits as a fraction.
        let frac = (random >> 11) as f64 / (1u64 << 53) as f64;
        secs *= frac;
    }
    let ms = (secs * 1000.0).round();
    if ms.is_finite() {
        ms.clamp(0.0, 1e15) as i64
    } else {
        0
    }
}

impl Execution {
    /// The current state's work failed: retry, catch, or fail the frame.
    pub(crate) fn state_failed(&mut self, fid: usize, failure: Failure) {
        let machine = self.frames[fid].machine.clone();
        let st = &machine.states[self.frames[fid].state];
        // States.Runtime is never retried or caught.
        let handleable = !failure.is_terminal();
        if handleable {
            if let Some(i) = st
                .retry
                .iter()
                .position(|r| errors::matches(&r.error_equals, &failure))
            {
                let r = &st.retry[i];
                let attempts = self.frames[fid].retry_counts.get(i).copied().unwrap_or(0);
                if attempts < r.max_attempts {
                    let random = if r.jitter_full {
                        self.rng.next_u64()
                    } else {
                        0
                    };
                    let delay = backoff_ms(r, attempts, random);
                    let f = &mut self.frames[fid];
                    if let Some(c) = f.retry_counts.get_mut(i) {
                        *c += 1;
                    }
                    f.retry_count += 1;
                    f.children_failed = false;
                    f.phase = Phase::Blocked;
                    f.epoch += 1;
                    let epoch = f.epoch;
                    self.runnable.retain(|&x| x != fid);
                    let at = self.clock.now() + delay;
                    self.clock
                        .schedule(at, TimerKind::RetryDue { frame: fid, epoch });
                    return;
                }
            }
        }
        if std::mem::take(&mut self.frames[fid].children_failed) {
            let kind = if matches!(st.kind, Kind::Map(_)) {
                "MapStateFailed"
            } else {
                "ParallelStateFailed"
            };
            self.emit_in(fid, kind, super::history::Details::None);
        }
        let catcher = if handleable {
            st.catch
                .iter()
                .enumerate()
                .find(|(_, c)| errors::matches(&c.error_equals, &failure))
        } else {
            None
        };
        if let Some((i, c)) = catcher.filter(|_| st.jsonata) {
            let error_output = Arc::new(failure.error_output());
            match self.jsonata_catch(fid, i, c, error_output) {
                Ok((output, assigned)) => {
                    self.frames[fid].phase = Phase::Exit {
                        output,
                        assigned,
                        next: Some(c.next),
                    };
                    self.run_next(fid);
                }
                Err(f) => self.frame_failed(fid, f),
            }
            return;
        }
        if let Some((_, c)) = catcher {
            let raw = self.frames[fid].input.clone();
            let error_output = Arc::new(failure.error_output());
            let extra = ContextExtra::default();
            let assigned = match &c.assign {
                Some(t) => match self.eval_assign(fid, t, &error_output, &extra) {
                    Ok(a) => Some(a),
                    Err(f) => return self.frame_failed(fid, f),
                },
                None => None,
            };
            match self.apply_result_path(fid, &c.result_path, &raw, error_output) {
                Ok(output) => {
                    self.frames[fid].phase = Phase::Exit {
                        output,
                        assigned,
                        next: Some(c.next),
                    };
                    self.run_next(fid);
                }
                Err(f) => self.frame_failed(fid, f),
            }
            return;
        }
        self.frame_failed(fid, failure);
    }

    /// A retry back-off ended: the state's work runs again (no new Entered event).
    pub(crate) fn retry_due(&mut self, fid: usize) {
        let machine = self.frames[fid].machine.clone();
        let st = &machine.states[self.frames[fid].state];
        let outcome = match &st.kind {
            Kind::Task(_) => self.start_task(fid),
            Kind::Parallel { .. } => self.start_parallel(fid),
            Kind::Map(_) => self.start_map(fid),
            _ => Outcome::Failed(
                self.runtime_failure(fid, "only Task, Parallel and Map states can be retried"),
            ),
        };
        self.run_next(fid);
        self.apply_outcome(fid, outcome);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retrier(interval: f64, rate: f64, max: Option<f64>, jitter: bool) -> Retrier {
        Retrier {
            error_equals: vec![],
            interval_seconds: interval,
            max_attempts: 3,
            backoff_rate: rate,
            max_delay_seconds: max,
            jitter_full: jitter,
        }
    }

    #[test]
    fn spec_example_waits_3_then_4_5_seconds() {
        let r = retrier(3.0, 1.5, None, false);
        assert_eq!(backoff_ms(&r, 0, 0), 3_000);
        assert_eq!(backoff_ms(&r, 1, 0), 4_500);
    }

    #[test]
    fn max_delay_caps_and_full_jitter_stays_below() {
        let r = retrier(10.0, 2.0, Some(15.0), false);
        assert_eq!(backoff_ms(&r, 3, 0), 15_000);
        let j = retrier(10.0, 2.0, None, true);
        for seed in [0u64, 1, u64::MAX, 12345678901234] {
            let d = backoff_ms(&j, 0, seed);
            assert!((0..=10_000).contains(&d));
        }
    }
}
