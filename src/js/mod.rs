//! The JavaScript API: what the npm package `sfnsim` exports and the embeds call (wasm-bindgen).
//!
//! Values cross the boundary as plain JS objects through serde-wasm-bindgen, never as JSON text
//! the caller must parse; a definition is accepted as an object or as JSON text everywhere. The
//! TypeScript definitions come from the Rust types: tsify's derive (on the scene, the world, the
//! highlights, the share payload and the types below) writes them into wasm-bindgen's `.d.ts`.
//!
//! - [`diagram`]: validate, layout, renderSvg, highlights (what the diagram shows of a run);
//! - [`simulator`]: the Step Functions API on a virtual clock, with an event stream;
//! - [`links`]: the playground's share payload, both ways;
//! - [`lessons`]: lesson files read and checked (the embeds' `data-lesson`);
//! - [`bench`]: the entry points the node benchmark harness times.

mod bench;
mod convert;
mod diagram;
mod lessons;
mod links;
mod simulator;

pub use bench::{run, run_status, LoadedMachine};
pub use diagram::{highlights, layout, render_svg, validate};
pub use lessons::{check_lesson, markdown_html, parse_lesson};
pub use links::{decode_share, encode_share};
pub use simulator::Simulator;
