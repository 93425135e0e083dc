//! The service on a thread of its own. Requests send it jobs and await the answer, so the async
//! runtime never blocks on the service (a slow call delays other calls, never accept, timeouts or
//! shutdown), and the thread also fires timers when no request comes.
//!
//! Every job that may have changed something bumps a generation number that waiters
//! (GetActivityTask's long poll, StartSyncExecution) watch, instead of polling on a timer.

use super::clock::Clock;
use sfnsim::service::Service;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::Duration;
use tokio::sync::{oneshot, watch};

/// Whether a job may have changed the service (new tasks, ended executions): waiters re-check.
pub type Changed = bool;

type Job = Box<dyn FnOnce(&mut Service) -> Changed + Send>;

/// A handle on the service thread; cheap to clone.
#[derive(Clone)]
pub struct ServiceThread {
    jobs: mpsc::Sender<Job>,
    changes: watch::Receiver<u64>,
    clock: Clock,
}

/// The longest the thread sleeps with nothing due (it re-checks the clock then).
const IDLE_WAKE: Duration = Duration::from_secs(3600);

impl ServiceThread {
    pub fn start(mut service: Service, clock: Clock) -> ServiceThread {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (bump, changes) = watch::channel(0u64);
        let spawned = std::thread::Builder::new().name("sfnsim-service".into()).spawn(move || loop {
            let wait = service
                .next_due_ms()
                .and_then(|due| clock.wall_delay_until(due))
                .unwrap_or(IDLE_WAKE);
            let job = match inbox.recv_timeout(wait) {
                Ok(job) => Some(job),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            };
            let mut changed = catch_up(&mut service, clock);
            if let Some(job) = job {
                // A panic is a bug; it answers that one request with InternalFailure (its reply
                // is dropped) and the service goes on serving.
                changed |= catch_unwind(AssertUnwindSafe(|| job(&mut service))).unwrap_or(true);
            }
            if changed {
                bump.send_modify(|g| *g = g.wrapping_add(1));
            }
        });
        if let Err(e) = spawned {
            eprintln!("sfnsim serve: cannot start the service thread: {e}");
        }
        ServiceThread { jobs, changes, clock }
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// A receiver that sees every later change (mark it seen before checking, then await it).
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.changes.clone()
    }

    /// Runs `f` on the service and returns its answer with whether it changed anything. `None`:
    /// the job panicked or the thread is gone. A job whose caller has gone (its client closed
    /// the connection) is skipped, so a long poll nobody waits for never takes a task.
    pub async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Service) -> (T, Changed) + Send + 'static,
    ) -> Option<T> {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |service| {
            if reply.is_closed() {
                return false;
            }
            let (value, changed) = f(service);
            let _ = reply.send(value);
            changed
        });
        self.jobs.send(job).ok()?;
        answer.await.ok()
    }
}

/// Brings the service's clock up to the wall clock (when it follows one), firing what fell due.
fn catch_up(service: &mut Service, clock: Clock) -> Changed {
    let Some(target) = clock.target_ms(service.now_ms()) else {
        return false;
    };
    let due = service.next_due_ms();
    service.advance_to(target);
    due.is_some_and(|d| d <= target)
}
