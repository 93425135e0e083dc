//! Running executions on a virtual clock. An [`Execution`] is a deterministic discrete-event
//! simulation: frames (the top level, Parallel branches, Map iterations) advance one small step at a
//! time, timers sit in one queue, randomness comes from a seeded generator, and everything observable
//! becomes an AWS history event.

mod branches;
mod child_executions;
pub mod clock;
mod context;
mod dataflow;
pub mod execution;
pub mod history;
pub mod items;
mod jsonata;
pub mod lambda_invoke;
pub mod map_runs;
mod redrive;
mod report;
mod retry;
mod states;
pub mod tasks;
pub mod test_state;

pub use execution::{ActivityRegistry, Config, Execution, Status, MAX_HISTORY_EVENTS, MAX_PAYLOAD_BYTES};
pub use history::{Details, Event};
pub use items::ObjectStore;
pub use map_runs::{ChildRun, ChildStatus, MapRun};
pub use report::RunReport;
pub(crate) use retry::backoff_ms as retry_backoff_ms;
pub use tasks::{PendingTask, TaskAnswerError, TaskKind};
