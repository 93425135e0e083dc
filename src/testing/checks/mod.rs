//! Checks: one vocabulary for lessons and tests (DESIGN.md, "Checks"). A check is a predicate
//! over a finished (or quiescent) execution, its definition and its AWS history events; each
//! result says why in words, pointing at the state and the event that decided it.
//!
//! A check is written as a JSON object with exactly one kind key, and optionally the teacher's
//! `message` (shown with the why) and `input` (the name of the lesson input it applies to):
//!
//! | kind | value | passes when |
//! | --- | --- | --- |
//! | `status` | `"SUCCEEDED"`, `"FAILED"`, `"TIMED_OUT"`, `"ABORTED"`, `"RUNNING"` | the execution's status is that |
//! | `output` | any JSON | the output equals it (numbers by value: `1` = `1.0`) |
//! | `outputContains` | any JSON | the output contains it: an object every key of the expected one (recursively), an array of the same length element by element, anything else by equality |
//! | `error` | a name | the execution failed with that error |
//! | `cause` | a text | the execution's cause contains that text |
//! | `visited` / `notVisited` | a state name | the state was (not) entered, anywhere (Map iterations and branches included) |
//! | `attempts` | `{state, min?, max?}` | the state's work ran `min..=max` times in its busiest visit (1 + retries); `min` defaults to 1, so a state that never ran fails |
//! | `transitions` | `{min?, max?}` | the number of states entered (every `…StateEntered` event) is in range |
//! | `duration` | `{min?, max?}` | virtual seconds from ExecutionStarted to the execution's end (or its last event) are in range |
//! | `events` | `{TYPE: n}` or `{TYPE: {min?, max?}}` | the history has that many events of each AWS event type (`{"TaskFailed": 3}`) |
//! | `uses` | a word | the definition has it: a field of a state, Retrier, Catcher or Choice rule (`Retry`, `ResultPath`, `Assign`), a state type (`Map`), a top-level field (`QueryLanguage`), or a function it calls (`States.Format`, `$sum`) |
//! | `queryLanguage` | `"JSONata"` / `"JSONPath"` | every state evaluates in that language |
//!
//! - [`evaluate`] (evaluate.rs): the results, with their why;
//! - [`RunFacts`] (facts.rs): what is evaluated, read from history events or a service;
//! - events.rs: `events`, the counts of history event types, with AWS's type names;
//! - run.rs: what a run says for the why (its end, how a state was reached or why not, where
//!   the time went); definition.rs: what the definition says (states, Retry, `uses`);
//! - parse.rs: a check from its JSON and back; matching.rs: JSON equality and partial
//!   matching, with where they differ.

mod definition;
mod evaluate;
mod events;
mod facts;
mod matching;
mod parse;
mod run;
#[cfg(test)]
mod tests;

pub use evaluate::evaluate;
pub use facts::RunFacts;
pub use matching::{contains, equal};
pub(crate) use parse::distance;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One check: its kind, the teacher's words and the input it is limited to.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(try_from = "Value", into = "Value")]
pub struct Check {
    pub kind: CheckKind,
    /// The teacher's words, shown with the why.
    pub message: Option<String>,
    /// The name of the input (a lesson's ```` ```json input NAME ````) it applies to; all when None.
    pub input: Option<String>,
}

/// What a check asserts; see the module's table.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckKind {
    Status(String),
    Output(Value),
    OutputContains(Value),
    Error(String),
    Cause(String),
    Visited(String),
    NotVisited(String),
    Attempts { state: String, min: Option<u64>, max: Option<u64> },
    Transitions { min: Option<u64>, max: Option<u64> },
    Duration { min: Option<f64>, max: Option<f64> },
    /// How many events of each type the history has.
    Events(Vec<EventCount>),
    Uses(String),
    QueryLanguage(String),
}

/// The kind keys, as written.
pub const KINDS: &[&str] = &[
    "status",
    "output",
    "outputContains",
    "error",
    "cause",
    "visited",
    "notVisited",
    "attempts",
    "transitions",
    "duration",
    "events",
    "uses",
    "queryLanguage",
];

/// One entry of an `events` check: an AWS event type and how many of it the history has.
#[derive(Debug, Clone, PartialEq)]
pub struct EventCount {
    pub event_type: String,
    pub min: Option<u64>,
    pub max: Option<u64>,
}

/// The statuses `status` takes (DescribeExecution's).
pub const STATUSES: &[&str] = &["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "RUNNING"];

/// The outcome of one check on one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct CheckResult {
    /// [`Check::describe`].
    pub check: String,
    pub passed: bool,
    /// Why, in words, naming the state and event that decided it.
    pub why: String,
    /// The teacher's message.
    pub message: Option<String>,
    /// The name of the input the run had.
    pub input: Option<String>,
    /// The state that decided it (for a link into the inspector).
    pub state: Option<String>,
    /// The event that decided it.
    pub event_id: Option<u64>,
}

impl Check {
    /// A check of this kind, with no message and on every input.
    pub fn new(kind: CheckKind) -> Check {
        Check { kind, message: None, input: None }
    }

    /// Whether the check reads the definition alone (`uses`, `queryLanguage`): its answer is the
    /// same on every input.
    pub fn is_static(&self) -> bool {
        matches!(self.kind, CheckKind::Uses(_) | CheckKind::QueryLanguage(_))
    }

    /// The check in words: "status is SUCCEEDED", "`Charge` is attempted at most 3 times".
    pub fn describe(&self) -> String {
        use CheckKind::*;
        match &self.kind {
            Status(s) => format!("status is {s}"),
            Output(v) => format!("output is {}", show(v)),
            OutputContains(v) => format!("output contains {}", show(v)),
            Error(e) => format!("error is {e}"),
            Cause(c) => format!("cause contains \"{c}\""),
            Visited(s) => format!("`{s}` is visited"),
            NotVisited(s) => format!("`{s}` is not visited"),
            Attempts { state, min, max } => format!("`{state}` is attempted {}", range_words(min.map(|m| m as f64), max.map(|m| m as f64), "time")),
            Transitions { min, max } => format!("{} state transitions", range_words(min.map(|m| m as f64), max.map(|m| m as f64), "").trim_end()),
            Duration { min, max } => format!("takes {} of virtual time", range_words(*min, *max, "s")),
            Events(counts) => events::describe(counts),
            Uses(w) => format!("the definition uses {w}"),
            QueryLanguage(l) => format!("every state uses {l}"),
        }
    }
}

/// "at most 3 times", "at least 1 time", "2 to 3 times", "at most 60 s".
pub(crate) fn range_words(min: Option<f64>, max: Option<f64>, unit: &str) -> String {
    let n = |v: f64| {
        let plural = unit == "time" && v != 1.0;
        let unit = if unit.is_empty() { String::new() } else { format!(" {unit}{}", if plural { "s" } else { "" }) };
        format!("{}{unit}", num(v))
    };
    match (min, max) {
        (Some(a), Some(b)) if a == b => format!("exactly {}", n(a)),
        (Some(a), Some(b)) => format!("{} to {}", num(a), n(b)),
        (Some(a), None) => format!("at least {}", n(a)),
        (None, Some(b)) => format!("at most {}", n(b)),
        (None, None) => "any number of times".into(),
    }
}

/// What a ranged check asks, after a fact: "the check allows at most 3", "the check wants
/// exactly 300 s".
pub(crate) fn wants(min: Option<f64>, max: Option<f64>, unit: &str) -> String {
    let r = range_words(min, max, unit);
    match min {
        None => format!("the check allows {r}"),
        Some(_) => format!("the check wants {r}"),
    }
}

/// A number as people write it: `3`, `2.5`.
pub(crate) fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Compact JSON, shortened to a readable length.
pub(crate) fn show(v: &Value) -> String {
    show_max(v, 80)
}

/// Compact JSON, shortened to `max` characters.
pub(crate) fn show_max(v: &Value, max: usize) -> String {
    let s = crate::asl::template::compact(v);
    if s.chars().count() <= max {
        s
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}
