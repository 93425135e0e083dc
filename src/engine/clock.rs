//! Virtual time: one clock and one timer queue ordered by (time, sequence number). Nothing sleeps.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// What happens when a timer fires. `epoch` guards against timers of a frame that has since moved on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TimerKind {
    /// A Wait state's delay ended.
    WaitEnded { frame: usize, epoch: u64 },
    /// A retry back-off ended: run the state's work again.
    RetryDue { frame: usize, epoch: u64 },
    /// A task's TimeoutSeconds elapsed.
    TaskTimeout { token: u64 },
    /// A task's HeartbeatSeconds elapsed without a heartbeat; `beat` is the heartbeat count it guards.
    HeartbeatTimeout { token: u64, beat: u64 },
    /// The execution's TimeoutSeconds elapsed.
    ExecutionTimeout,
}

#[derive(Debug, Default)]
pub struct Clock {
    now_ms: i64,
    seq: u64,
    queue: BinaryHeap<Reverse<(i64, u64, TimerKind)>>,
}

impl Clock {
    pub fn new(start_ms: i64) -> Self {
        Clock {
            now_ms: start_ms,
            seq: 0,
            queue: BinaryHeap::new(),
        }
    }
    pub fn now(&self) -> i64 {
        self.now_ms
    }
    /// Schedules `kind` at `at_ms` (never earlier than now).
    pub fn schedule(&mut self, at_ms: i64, kind: TimerKind) {
        self.seq += 1;
        self.queue
            .push(Reverse((at_ms.max(self.now_ms), self.seq, kind)));
    }
    /// The time of the next timer, if any.
    pub fn next_due(&self) -> Option<i64> {
        self.queue.peek().map(|Reverse((t, _, _))| *t)
    }
    /// Pops the next timer and moves the clock to its time.
    pub fn pop(&mut self) -> Option<TimerKind> {
        let Reverse((t, _, kind)) = self.queue.pop()?;
        self.now_ms = self.now_ms.max(t);
        Some(kind)
    }
    /// Moves the clock forward without firing anything (the caller checked nothing is due before `t`).
    pub fn advance_to(&mut self, t: i64) {
        self.now_ms = self.now_ms.max(t);
    }
    pub fn clear(&mut self) {
        self.queue.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timers_fire_in_time_then_sequence_order() {
        let mut c = Clock::new(0);
        c.schedule(5_000, TimerKind::ExecutionTimeout);
        c.schedule(1_000, TimerKind::WaitEnded { frame: 2, epoch: 0 });
        c.schedule(1_000, TimerKind::WaitEnded { frame: 1, epoch: 0 });
        assert_eq!(c.pop(), Some(TimerKind::WaitEnded { frame: 2, epoch: 0 }));
        assert_eq!(c.now(), 1_000);
        assert_eq!(c.pop(), Some(TimerKind::WaitEnded { frame: 1, epoch: 0 }));
        assert_eq!(c.pop(), Some(TimerKind::ExecutionTimeout));
        assert_eq!(c.now(), 5_000);
        assert_eq!(c.pop(), None);
    }

    #[test]
    fn a_timer_in_the_past_fires_now() {
        let mut c = Clock::new(10_000);
        c.schedule(0, TimerKind::ExecutionTimeout);
        assert_eq!(c.next_due(), Some(10_000));
    }
}
