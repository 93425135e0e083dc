//! Test tooling that ships in the library, so the command line can run it as well as `cargo test`:
//! - [`conformance`]: replays the cases recorded against the real AWS service and compares;
//! - [`checks`]: the lessons' checks and `sfnsim test`'s expectations: predicates over a
//!   finished execution and its history, in one vocabulary (see DESIGN.md, Checks);
//! - [`harness`]: one run of a definition with mocks and default answers (`sfnsim run`);
//! - [`suite`]: test files and gallery examples as cases, run and checked (`sfnsim test`).

pub mod checks;
pub mod conformance;
pub mod harness;
pub mod suite;
pub mod test_state_cases;
