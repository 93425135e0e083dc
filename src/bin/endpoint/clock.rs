//! How the service's virtual clock relates to wall time.
//!
//! `Wall`: virtual time follows wall time. Before each request the clock catches up to now, and
//! between requests the service thread sleeps until the next timer is due (a Wait, a retry
//! back-off, a timeout), so it fires on time with no request to carry it.
//! `Scaled` (`--time-scale F`): the same, F times faster than wall time from the server's start,
//! as Step Functions Local's WAIT_TIME_SCALE makes Waits and back-offs shorter.
//! `Virtual`: time moves when a caller asks (SfnsimAdvanceClock) or an operation waits, and
//! (unless `--virtual-clock=manual`) by itself whenever nothing can happen before the next timer
//! without a client (the service's `advance_while_idle`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Clock {
    Wall,
    /// Virtual time is `origin_ms + (wall - origin_ms) * factor`.
    Scaled { factor: f64, origin_ms: i64 },
    Virtual { by_itself: bool },
}

pub fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Clock {
    pub fn is_virtual(self) -> bool {
        matches!(self, Clock::Virtual { .. })
    }

    /// Whether the virtual clock jumps to the next timer when only time can make something happen.
    pub fn moves_when_idle(self) -> bool {
        self == Clock::Virtual { by_itself: true }
    }

    /// The virtual time the service should be at now, given where it is (`service_now_ms`).
    /// `None`: the clock does not move by itself.
    pub fn target_ms(self, service_now_ms: i64) -> Option<i64> {
        match self {
            Clock::Wall => Some(wall_ms().max(service_now_ms)),
            Clock::Scaled { factor, origin_ms } => {
                let scaled = origin_ms + ((wall_ms() - origin_ms) as f64 * factor) as i64;
                Some(scaled.max(service_now_ms))
            }
            Clock::Virtual { .. } => None,
        }
    }

    /// How long in wall time until the virtual time `due_ms` arrives by itself; `None` if it
    /// never does (a virtual clock).
    pub fn wall_delay_until(self, due_ms: i64) -> Option<Duration> {
        match self {
            Clock::Wall => Some(Duration::from_millis((due_ms - wall_ms()).max(0) as u64)),
            Clock::Scaled { factor, origin_ms } => {
                let wall_due = origin_ms as f64 + (due_ms - origin_ms) as f64 / factor;
                Some(Duration::from_millis((wall_due - wall_ms() as f64).max(0.0) as u64))
            }
            Clock::Virtual { .. } => None,
        }
    }
}
