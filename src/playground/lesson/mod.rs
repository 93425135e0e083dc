//! Lessons: Markdown files a teacher writes (www/lessons/*.md are the built-in ones), each a short
//! text teaching one idea, a task, a starting definition that does not yet meet it, the inputs
//! and simulated world it runs with, the checks that decide (src/testing/checks), hints and a
//! solution. The page's Learn view, the embeds and `sfnsim lesson check` all read them here.
//!
//! ````markdown
//! ---
//! id: retry-basics
//! title: Retry a flaky call
//! seed: 7
//! ---
//! Text of the lesson (Markdown).
//!
//! ## Task
//! What to do.
//!
//! ```asl start
//! { "StartAt": "Charge", "States": { … } }
//! ```
//! ```json input            (one or more; named ones: ```json input big)
//! ```json world            (optional: the playground's world JSON, wrapped or bare)
//! ```json checks           (an array of checks)
//!
//! ## Hints
//! - one hint a bullet, revealed one at a time
//!
//! ```asl solution          (optional)
//! ````
//!
//! - parse.rs: [`parse`], every error of a malformed file with its block and line;
//! - run.rs: [`check`], a definition run on every input and checked;
//! - html.rs: [`to_html`], the text as HTML for the page, raw HTML escaped.

mod html;
mod parse;
mod run;
#[cfg(test)]
mod tests;

pub use html::to_html;
pub use parse::parse;
pub use run::{check, run_facts};

use crate::testing::checks::Check;
use serde::Serialize;
use serde_json::Value;

/// A lesson, read from its file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Lesson {
    pub id: String,
    pub title: String,
    /// The seed of every run (retry jitter, States.UUID): a check always gives the same answer.
    pub seed: u64,
    /// The Markdown before `## Task`.
    pub intro: String,
    /// The Markdown of the Task section, its lesson blocks (```` ```asl start ```` …) removed.
    pub task: String,
    /// The definition the learner starts from, as written.
    pub start: String,
    /// The inputs the checks run on (none written: one unnamed `{}`).
    pub inputs: Vec<NamedInput>,
    /// The simulated world: `{"spec": WorldSpec, "machineName": …}` as share links write it, or
    /// a bare WorldSpec.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown"))]
    pub world: Option<Value>,
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>[]"))]
    pub checks: Vec<Check>,
    /// One Markdown text per hint, in order.
    pub hints: Vec<String>,
    pub solution: Option<String>,
}

/// One ```` ```json input [NAME] ```` block.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct NamedInput {
    pub name: Option<String>,
    /// The JSON text as written.
    pub text: String,
}

/// One thing wrong with a lesson file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct LessonError {
    /// "front matter", "asl start", "json input big", "checks", "Hints", …
    pub block: String,
    /// 1-based line in the file.
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for LessonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {} ({}): {}", self.line, self.block, self.message)
    }
}

/// The state machine's name when the world does not give one (the playground's).
pub const MACHINE_NAME: &str = "Playground";

impl Lesson {
    /// The simulated world to install, and the state machine's name (a mock configuration is
    /// keyed by it).
    pub fn world_spec(&self) -> Result<(crate::sim::WorldSpec, String), String> {
        run::world_of(self.world.as_ref())
    }
}

/// The built-in lessons: (file name, text), in course order.
pub fn builtin() -> Vec<(&'static str, &'static str)> {
    macro_rules! lessons {
        ($($f:literal),* $(,)?) => {
            vec![$(($f, include_str!(concat!("../../../www/lessons/", $f)))),*]
        };
    }
    lessons![
        "01-first-machine.md",
        "02-data-flow.md",
        "03-intrinsics.md",
        "04-choice.md",
        "05-fail.md",
        "06-retry.md",
        "07-catch.md",
        "08-wait.md",
        "09-parallel.md",
        "10-map.md",
        "11-callbacks.md",
        "12-jsonata.md",
        "13-variables.md",
    ]
}

/// A built-in lesson by id.
pub fn builtin_lesson(id: &str) -> Option<Lesson> {
    builtin().into_iter().filter_map(|(_, t)| parse(t).ok()).find(|l| l.id == id)
}
