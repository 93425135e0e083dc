//! The one service all requests share, behind a mutex. A call runs on the request's own task when
//! the service is free (no hand-off to another thread, which under load costs more than the call),
//! and waits for it on tokio's blocking pool when it is busy, so that a slow call keeps at most one
//! runtime worker (accept, timeouts and shutdown go on with the other).
//!
//! Every call that may have changed something bumps a generation number that waiters
//! (GetActivityTask's long poll, StartSyncExecution, the timer task) watch, instead of polling on
//! a timer.

use super::clock::Clock;
use sfnsim::service::Service;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::time::Duration;
use tokio::sync::{oneshot, watch, Notify};

/// Whether a call may have changed the service (new tasks, ended executions): waiters re-check.
pub type Changed = bool;

/// A handle on the service; cheap to clone.
#[derive(Clone)]
pub struct SharedService {
    inner: Arc<Inner>,
}

struct Inner {
    service: Mutex<Service>,
    bump: watch::Sender<u64>,
    changes: watch::Receiver<u64>,
    clock: Clock,
    /// The service's next timer (virtual ms; i64::MAX: none), and the timer task's wake-up when
    /// it moves earlier.
    next_due: AtomicI64,
    timer: Notify,
}

/// The longest the timer task sleeps with nothing due (it re-checks the clock then).
const IDLE_WAKE: Duration = Duration::from_secs(3600);

impl SharedService {
    /// Wraps the service and starts the task that fires its timers when they fall due, with no
    /// request to carry them (must be called inside the tokio runtime).
    pub fn start(service: Service, clock: Clock) -> SharedService {
        let (bump, changes) = watch::channel(0u64);
        let next_due = AtomicI64::new(service.next_due_ms().unwrap_or(i64::MAX));
        let inner = Inner { service: Mutex::new(service), bump, changes, clock, next_due, timer: Notify::new() };
        let shared = SharedService { inner: Arc::new(inner) };
        tokio::spawn(fire_timers(shared.clone()));
        shared
    }

    pub fn clock(&self) -> Clock {
        self.inner.clock
    }

    /// A receiver that sees every later change (mark it seen before checking, then await it).
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.inner.changes.clone()
    }

    /// Runs `f` on the service, the clock first brought up to date, and returns its answer.
    /// `None`: the call panicked (a bug; that one request answers InternalFailure and the service
    /// goes on). A call is never started for a request whose client has gone (its future was
    /// dropped, or the reply it waits for is), so a long poll nobody waits for takes no task.
    pub async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Service) -> (T, Changed) + Send + 'static,
    ) -> Option<T> {
        let f = match self.inner.try_run(f) {
            Ok(answer) => return answer,
            Err(busy) => busy,
        };
        let inner = self.inner.clone();
        let (reply, answer) = oneshot::channel();
        tokio::task::spawn_blocking(move || {
            let guard = inner.service.lock().unwrap_or_else(|p| p.into_inner());
            if !reply.is_closed() {
                let _ = reply.send(inner.run(guard, f));
            }
        });
        answer.await.ok().flatten()
    }
}

impl Inner {
    /// Runs `f` at once if the service is free; hands `f` back if it is busy.
    fn try_run<T, F: FnOnce(&mut Service) -> (T, Changed)>(&self, f: F) -> Result<Option<T>, F> {
        match self.service.try_lock() {
            Ok(guard) => Ok(self.run(guard, f)),
            Err(TryLockError::Poisoned(p)) => Ok(self.run(p.into_inner(), f)),
            Err(TryLockError::WouldBlock) => Err(f),
        }
    }

    fn run<T>(&self, mut service: MutexGuard<'_, Service>, f: impl FnOnce(&mut Service) -> (T, Changed)) -> Option<T> {
        let fired = catch_up(&mut service, self.clock);
        let (value, changed) = match catch_unwind(AssertUnwindSafe(|| f(&mut service))) {
            Ok((value, changed)) => (Some(value), changed || fired),
            Err(_) => (None, true),
        };
        super::log::new_events(&service);
        let due = service.next_due_ms().unwrap_or(i64::MAX);
        drop(service);
        if due < self.next_due.swap(due, Ordering::Relaxed) {
            self.timer.notify_one();
        }
        if changed {
            self.bump.send_modify(|g| *g = g.wrapping_add(1));
        }
        value
    }
}

/// Brings the service's clock up to the wall clock (when it follows one), firing what fell due;
/// a self-moving virtual clock jumps over the timers nobody but time is waiting for.
fn catch_up(service: &mut Service, clock: Clock) -> Changed {
    if clock.moves_when_idle() {
        return service.advance_while_idle(i64::MAX);
    }
    let Some(target) = clock.target_ms(service.now_ms()) else {
        return false;
    };
    let due = service.next_due_ms();
    service.advance_to(target);
    due.is_some_and(|d| d <= target)
}

/// Sleeps until the service's next timer is due, then brings the service up to date (a call does
/// that first), so a Wait or a retry ends on time even when no request comes.
async fn fire_timers(shared: SharedService) {
    loop {
        let due = shared.inner.next_due.load(Ordering::Relaxed);
        let wait = Some(due)
            .filter(|&d| d != i64::MAX)
            .and_then(|d| shared.clock().wall_delay_until(d))
            .map_or(IDLE_WAKE, |w| w.max(Duration::from_millis(1)));
        tokio::select! {
            _ = shared.inner.timer.notified() => {}
            _ = tokio::time::sleep(wait) => {
                if shared.call(|_| ((), false)).await.is_none() {
                    return;
                }
            }
        }
    }
}
