//! sfnsim: an Amazon States Language interpreter on a virtual clock.
//!
//! Layers (each only uses the ones above it in this list):
//! - [`asl`]: the language as pure functions over JSON (paths, intrinsics, templates, choice rules,
//!   validation, the typed model of a definition);
//! - [`engine`]: executions on a virtual clock, producing AWS history events;
//! - [`graph`]: the definition as a petgraph model and its layered layout into a scene (SVG);
//! - [`api`]: small entry points shared by the CLI, the page and the conformance runner.
//!
//! `asl`, `engine` and `graph` never touch the browser, files, real time or threads.

pub mod api;
pub mod asl;
pub mod engine;
pub mod service;
pub mod share;
pub mod sim;
pub mod graph;

pub mod conformance;
pub mod console;
pub mod examples;
pub mod inspect;
pub mod replay;
#[cfg(target_arch = "wasm32")]
pub mod js;
#[cfg(target_arch = "wasm32")]
pub mod ui;
