//! sfnsim: an Amazon States Language interpreter on a virtual clock.
//!
//! The pure layers (each only uses the ones above it in this list):
//! - [`asl`]: the language as pure functions over JSON (paths, intrinsics, templates, choice rules,
//!   validation, the typed model of a definition);
//! - [`engine`]: executions on a virtual clock, producing AWS history events;
//! - [`service`]: the Step Functions API (AWS-shaped requests and responses) over the engine;
//! - [`sim`]: the world outside Step Functions, simulated (activity workers, callbacks, mocks);
//! - [`graph`]: the definition as a petgraph model and its layered layout into a scene (SVG).
//!
//! Over them:
//! - [`playground`]: what the page, the embeds and the command line show and accept (console
//!   lines, the gallery, share links, replay highlights, the inspector), browser-free;
//! - [`testing`]: the conformance runner over cases recorded against AWS;
//! - `ui` (the Yew page) and `js` (the JavaScript API of the embeds), wasm32 only.
//!
//! None of these touches the browser, files, real time or threads, except `ui` and `js`.
//! ARCHITECTURE.md at the project root is the map.

pub mod asl;
pub mod engine;
pub mod graph;
pub mod service;
pub mod sim;

pub mod playground;
pub mod testing;

// Only in the embed's and the npm package's build (`--features js-api`): its exports would
// otherwise be linked into the page's wasm too.
#[cfg(all(target_arch = "wasm32", feature = "js-api"))]
pub mod js;
#[cfg(target_arch = "wasm32")]
pub mod ui;
