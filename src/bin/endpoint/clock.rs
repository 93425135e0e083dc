//! How the service's virtual clock relates to wall time.
//!
//! `Wall`: virtual time follows wall time. Before each request the clock catches up to now, and
//! between requests the service thread sleeps until the next timer is due (a Wait, a retry
//! back-off, a timeout), so it fires on time with no request to carry it.
//! `Virtual`: time moves only when a caller asks (SfnsimAdvanceClock) or an operation waits.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    Wall,
    Virtual,
}

pub fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Clock {
    pub fn is_virtual(self) -> bool {
        self == Clock::Virtual
    }

    /// The virtual time the service should be at now, given where it is (`service_now_ms`).
    /// `None`: the clock does not move by itself.
    pub fn target_ms(self, service_now_ms: i64) -> Option<i64> {
        match self {
            Clock::Wall => Some(wall_ms().max(service_now_ms)),
            Clock::Virtual => None,
        }
    }

    /// How long in wall time until the virtual time `due_ms` arrives by itself; `None` if it
    /// never does (a virtual clock).
    pub fn wall_delay_until(self, due_ms: i64) -> Option<Duration> {
        match self {
            Clock::Wall => Some(Duration::from_millis((due_ms - wall_ms()).max(0) as u64)),
            Clock::Virtual => None,
        }
    }
}
