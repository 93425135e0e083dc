//! Test tooling that ships in the library, so the command line can run it as well as `cargo test`:
//! - [`conformance`]: replays the cases recorded against the real AWS service and compares;
//! - [`checks`]: the lessons' checks (and a future `sfnsim test`'s expectations): predicates over
//!   a finished execution and its history, in one vocabulary (see DESIGN.md, Checks).

pub mod checks;
pub mod conformance;
pub mod test_state_cases;
