//! Test tooling that ships in the library, so the command line can run it as well as `cargo test`:
//! - [`conformance`]: replays the cases recorded against the real AWS service and compares.
//!
//! A future `sfnsim test` (test cases over mocked runs) and the lessons' checks belong beside it:
//! predicates over a finished execution and its history, in one vocabulary (see DESIGN.md, Checks).

pub mod conformance;
