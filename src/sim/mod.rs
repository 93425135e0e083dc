//! The world outside Step Functions, simulated on the virtual clock: mocked service integrations
//! (Step Functions Local's mock configuration, recorded AWS answers), activity workers and
//! callback responders.

pub mod mocks;

pub use mocks::{default_answer, run_with_mocks, MockStep, Mocks};
pub mod workers;

pub use workers::{ActivityWorker, Answer, CallbackResponder};
pub mod world_spec;
pub use world_spec::WorldSpec;
