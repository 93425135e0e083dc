//! Validation as CreateStateMachine and ValidateStateMachineDefinition do it: every problem is a
//! diagnostic with AWS's code, message and JSON-pointer location, all reported at once.
//!
//! Evidence: messages marked [rec] in the comments are byte-for-byte AWS recordings (the conformance
//! corpus, aws-facts §4); [pub] are AWS answers quoted in public deploy logs or measured by a
//! third-party rule set; [?] are this module's own wording where no AWS text is known.
//!
//! Order of the output: schema problems in document order (depth first), then duplicate state
//! names, then missing transition targets, then unreachable states, then scopes without a terminal
//! state. The one recorded multi-problem message (aws-facts §4.1: a missing `Next` target, then an
//! unreachable state) follows this order.
//!
//! The pass is linear in the size of the definition: one walk over the JSON, a hash set for the
//! names, and one graph search per scope.
//!
//! # Where things are
//!
//! This file holds the diagnostic types, the entry points and the validator's reporting helpers.
//! Each concern of the walk has its own file, as `impl Validator` blocks: `transitions.rs` (a
//! state machine's scope: its fields, state names, transitions, reachability, terminal state),
//! `schema.rs` (the fields each state type takes and the per-state rules), `jsonata.rs` (query
//! languages and JSONata-only rules), `paths.rs` (JSONPath fields, payload templates, `Assign`),
//! `retry_catch.rs` (Retry and Catch), `choices.rs` (JSONPath Choice rules), `map.rs` (Map and
//! Distributed Map fields), `resource.rs` (the Task resource ARN grammar) and `jackson.rs` (JSON
//! syntax errors in Jackson's words, and their short form for the page).

mod choices;
mod jackson;
mod jsonata;
mod map;
mod paths;
mod resource;
mod retry_catch;
mod schema;
#[cfg(test)]
mod tests;
mod transitions;
mod warnings;

pub use jackson::{short_diagnostic, shorten_source_excerpts, SHORT_EXCERPT_CHARS};
pub use schema::state_takes;
pub use warnings::warnings;

use jsonata::{is_jsonata_expr, Ql};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Severity {
    #[serde(rename = "ERROR")]
    Error,
    #[serde(rename = "WARNING")]
    Warning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MachineType {
    Standard,
    Express,
}

const SCHEMA: &str = "SCHEMA_VALIDATION_FAILED";
const MISSING: &str = "MISSING_TRANSITION_TARGET";
const DUPLICATE: &str = "DUPLICATE_STATE_NAME";
const INVALID_JSON: &str = "INVALID_JSON_DESCRIPTION";
const NOT_AN_OBJECT: &str = "Definition must be a valid JSON object";
/// Upper bound of TimeoutSeconds, HeartbeatSeconds, IntervalSeconds, MaxAttempts (aws-facts §3.14).
const MAX_SECONDS: i128 = 99_999_999;
/// Templates and Choice rules nested deeper than this are not walked (serde_json itself stops
/// at 128 levels of JSON).
const MAX_DEPTH: usize = 256;

fn diag(code: &str, message: impl Into<String>, location: impl Into<String>) -> Diagnostic {
    Diagnostic { severity: Severity::Error, code: code.into(), message: message.into(), location: Some(location.into()) }
}

fn not_an_object() -> Diagnostic {
    Diagnostic { severity: Severity::Error, code: SCHEMA.into(), message: NOT_AN_OBJECT.into(), location: None }
}

/// All diagnostics for a definition text (empty = valid).
pub fn validate_text(text: &str, machine_type: MachineType) -> Vec<Diagnostic> {
    // Jackson's white space is exactly these four characters.
    if text.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
        return vec![not_an_object()];
    }
    match crate::asl::definition_json::parse(text) {
        Ok(v @ Value::Object(_)) => validate_value(&v, machine_type),
        Ok(_) => vec![not_an_object()],
        // serde_json takes no text Jackson's default grammar rejects, so the Jackson scan is only
        // needed for a message.
        Err(e) => match jackson::check(text) {
            Some(d) => vec![d],
            None => match crate::asl::definition_json::too_deep(text) {
                Some((depth, line, column)) => {
                    vec![jackson::generic(text, &crate::asl::definition_json::too_deep_message(depth), line, column)]
                }
                // What Jackson takes and serde_json does not (lone surrogate escapes, numbers
                // beyond f64).
                None => vec![jackson::generic(text, &e.to_string(), e.line(), e.column())],
            },
        },
    }
}

/// All diagnostics for an already-parsed definition (empty = valid).
pub fn validate_value(def: &Value, machine_type: MachineType) -> Vec<Diagnostic> {
    let Some(top) = def.as_object() else { return vec![not_an_object()] };
    let mut v = Validator::new(top);
    v.machine(top, "", Scope::Top, machine_type == MachineType::Express, 0);
    v.finish()
}

/// The CreateStateMachine InvalidDefinition message:
/// `Invalid State Machine Definition: '<CODE>: <message> at <location>, <CODE>: ...'`.
pub fn invalid_definition_message(diags: &[Diagnostic]) -> String {
    let parts: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| match &d.location {
            // A JSON syntax message already ends with Jackson's "\n at [Source: ...]".
            Some(l) if d.code != INVALID_JSON => format!("{}: {} at {}", d.code, d.message, l),
            _ => format!("{}: {}", d.code, d.message),
        })
        .collect();
    format!("Invalid State Machine Definition: '{}'", parts.join(", "))
}

/// Characters AWS forbids in names and Map labels (aws-facts §1.3).
pub fn forbidden_name_char(c: char) -> bool {
    c.is_whitespace()
        || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
        || ('\u{0}'..='\u{1f}').contains(&c)
        || ('\u{7f}'..='\u{9f}').contains(&c)
        || c == '\u{fffe}'
        || c == '\u{ffff}'
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The whole definition.
    Top,
    /// A Parallel branch.
    Branch,
    /// A Map ItemProcessor / Iterator.
    Processor,
}

struct Validator<'a> {
    top_ql: Ql,
    schema: Vec<Diagnostic>,
    duplicates: Vec<Diagnostic>,
    missing: Vec<Diagnostic>,
    unreachable: Vec<Diagnostic>,
    no_end: Vec<Diagnostic>,
    names: HashSet<&'a str>,
}

/// A field's location, `<parent>/<field>`, only turned into a string for a diagnostic.
#[derive(Clone, Copy)]
struct At<'x>(&'x str, &'x str);

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.0, self.1)
    }
}

impl From<At<'_>> for String {
    fn from(a: At<'_>) -> String {
        a.to_string()
    }
}

/// An integral JSON number (2 and 2.0 both count).
fn int_of(v: &Value) -> Option<i128> {
    if let Some(i) = v.as_i64() {
        return Some(i as i128);
    }
    if let Some(u) = v.as_u64() {
        return Some(u as i128);
    }
    let f = v.as_f64()?;
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e30 {
        Some(f as i128)
    } else {
        None
    }
}

impl<'a> Validator<'a> {
    fn new(top: &Map<String, Value>) -> Self {
        let top_ql = if top.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata") { Ql::Jsonata } else { Ql::JsonPath };
        Validator {
            top_ql,
            schema: Vec::new(),
            duplicates: Vec::new(),
            missing: Vec::new(),
            unreachable: Vec::new(),
            no_end: Vec::new(),
            names: HashSet::new(),
        }
    }

    fn finish(self) -> Vec<Diagnostic> {
        let mut out = self.schema;
        out.extend(self.duplicates);
        out.extend(self.missing);
        out.extend(self.unreachable);
        // A scope without a terminal state is mostly the echo of a broken state; alone it stands.
        if out.is_empty() {
            out.extend(self.no_end);
        }
        // The same problem found twice (e.g. by choice::Rule::parse and by this module) once.
        let mut seen = HashSet::new();
        out.retain(|d| seen.insert((d.code.clone(), d.message.clone(), d.location.clone())));
        out
    }

    fn err(&mut self, message: impl Into<String>, location: impl Into<String>) {
        self.schema.push(diag(SCHEMA, message, location));
    }

    fn not_supported(&mut self, field: &str, location: &str) {
        // [rec-pub] "Field '_comment' is not supported at /States/…/Catch[0]".
        self.err(format!("Field '{field}' is not supported"), location);
    }

    fn required(&mut self, fields: &[&str], location: &str) {
        if !fields.is_empty() {
            // [rec] "These fields are required: [States, StartAt]".
            self.err(format!("These fields are required: [{}]", fields.join(", ")), location);
        }
    }

    fn wrong_type(&mut self, field: &str, expected: &str, location: impl Into<String>) {
        // [?]
        self.err(format!("The field '{field}' must be {expected}"), location);
    }

    fn enum_value(&mut self, field: &str, v: &Value, values: &[&str], location: impl Into<String>) {
        if !v.as_str().is_some_and(|s| values.contains(&s)) {
            // Same template as the recorded Type message.
            self.err(format!("The field '{field}' should have one of these values: [{}]", values.join(", ")), location);
        }
    }

    fn only_one(&mut self, fields: &[&str], location: &str) {
        // [pub] measured wording for two fields present at once.
        self.err(format!("There should only be one of the following fields: [{}]", fields.join(", ")), location);
    }

    fn one_required(&mut self, fields: &[&str], location: &str) {
        // [pub] measured wording when none of the alternatives is present.
        self.err(format!("This object should have only one of the following fields: [{}]", fields.join(", ")), location);
    }

    fn expect_string(&mut self, field: &str, v: &Value, location: impl Into<String>) -> bool {
        if v.is_string() {
            true
        } else {
            self.wrong_type(field, "a string", location);
            false
        }
    }

    /// An integer field in [min, max] (`max` None = unbounded); in JSONata also a `{% %}` string.
    fn int_field(&mut self, field: &str, v: &Value, min: i128, max: Option<i128>, ql: Ql, location: impl Into<String>) {
        if ql == Ql::Jsonata && v.as_str().is_some_and(is_jsonata_expr) {
            return;
        }
        let Some(n) = int_of(v) else {
            self.wrong_type(field, "an integer", location);
            return;
        };
        if n < min || max.is_some_and(|m| n > m) {
            // [?]
            let msg = match max {
                Some(m) => format!("The value for the field '{field}' must be between {min} and {m}"),
                None => format!("The value for the field '{field}' must be greater than or equal to {min}"),
            };
            self.err(msg, location);
        }
    }
}
