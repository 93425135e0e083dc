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

use super::{choice, intrinsics, path::Path, timestamp};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

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
/// [rec] The Type enumeration, in AWS's order.
const TYPES: [&str; 8] = ["Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map"];
/// Upper bound of TimeoutSeconds, HeartbeatSeconds, IntervalSeconds, MaxAttempts (aws-facts §3.14).
const MAX_SECONDS: i128 = 99_999_999;
/// MaxDelaySeconds must stay below this (aws-facts §3.7).
const MAX_DELAY_LIMIT: i128 = 31_622_401;
/// Templates and Choice rules nested deeper than this are not walked (serde_json itself stops
/// at 128 levels of JSON).
const MAX_DEPTH: usize = 256;
/// Branches / processors nested deeper than this are not walked.
const MAX_MACHINE_DEPTH: usize = 48;

/// Choice comparison operators (each but StringMatches also has a `...Path` twin).
const OPERATORS: [&str; 23] = [
    "StringEquals",
    "StringLessThan",
    "StringGreaterThan",
    "StringLessThanEquals",
    "StringGreaterThanEquals",
    "StringMatches",
    "NumericEquals",
    "NumericLessThan",
    "NumericGreaterThan",
    "NumericLessThanEquals",
    "NumericGreaterThanEquals",
    "BooleanEquals",
    "TimestampEquals",
    "TimestampLessThan",
    "TimestampGreaterThan",
    "TimestampLessThanEquals",
    "TimestampGreaterThanEquals",
    "IsNull",
    "IsPresent",
    "IsNumeric",
    "IsString",
    "IsBoolean",
    "IsTimestamp",
];

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
    match serde_json::from_str::<Value>(text) {
        Ok(v @ Value::Object(_)) => validate_value(&v, machine_type),
        Ok(_) => vec![not_an_object()],
        // serde_json takes no text Jackson's default grammar rejects, so the Jackson scan is only
        // needed for a message.
        Err(e) => match jackson::check(text) {
            Some(d) => vec![d],
            // What Jackson takes and serde_json does not (lone surrogate escapes, nesting deeper
            // than 128, numbers beyond f64).
            None => vec![jackson::generic(text, &e.to_string(), e.line(), e.column())],
        },
    }
}

/// The longest definition excerpt [`shorten_source_excerpts`] keeps, in characters.
pub const SHORT_EXCERPT_CHARS: usize = 60;

/// A diagnostic as the page lists it: for a JSON syntax error, each of Jackson's
/// `[Source: (String)"<the definition, up to 500 characters>"; line: L, column: C]` in the
/// message and the location is cut to [`SHORT_EXCERPT_CHARS`] (white space runs shown as one
/// space, "…" where it was cut), keeping line and column. The API keeps Jackson's full text:
/// AWS's recorded ValidateStateMachineDefinition / CreateStateMachine messages hold it.
pub fn short_diagnostic(d: &Diagnostic) -> Diagnostic {
    Diagnostic {
        severity: d.severity,
        code: d.code.clone(),
        message: shorten_source_excerpts(&d.message),
        location: d.location.as_deref().map(shorten_source_excerpts),
    }
}

/// Cuts every `[Source: (String)"…"…; line: L, column: C]` excerpt in `text` to
/// [`SHORT_EXCERPT_CHARS`]; other text is kept as it is.
pub fn shorten_source_excerpts(text: &str) -> String {
    const OPEN: &str = "[Source: (String)\"";
    let mut out = String::with_capacity(text.len().min(400));
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let body = start + OPEN.len();
        let Some((end, cut_len)) = excerpt_end(&rest[body..]) else { break };
        out.push_str(&rest[..body]);
        let excerpt = &rest[body..body + end];
        let was_truncated = cut_len > 1;
        let mut shown = String::new();
        let mut count = 0;
        let mut cut = was_truncated;
        let mut last_space = false;
        for c in excerpt.chars() {
            let space = c.is_whitespace();
            if space && last_space {
                continue;
            }
            last_space = space;
            if count == SHORT_EXCERPT_CHARS {
                cut = true;
                break;
            }
            shown.push(if space { ' ' } else { c });
            count += 1;
        }
        out.push_str(&shown);
        if cut {
            out.push('…');
        }
        out.push('"');
        rest = &rest[body + end + cut_len..];
    }
    out.push_str(rest);
    out
}

/// In the text after `[Source: (String)"`: the byte offset of the excerpt's closing quote and
/// the length of that quote plus Jackson's `[truncated N chars]`, found where
/// `; line: L, column: C]` follows (the excerpt itself may hold quotes).
fn excerpt_end(body: &str) -> Option<(usize, usize)> {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let mut from = 0;
    while let Some(q) = body[from..].find('"') {
        let q = from + q;
        let after = &body[q + 1..];
        let mut marker = 0;
        if let Some(t) = after.strip_prefix("[truncated ") {
            let n = digits(t);
            if n > 0 && t[n..].starts_with(" chars]") {
                marker = "[truncated ".len() + n + " chars]".len();
            }
        }
        if let Some(l) = after[marker..].strip_prefix("; line: ") {
            let n = digits(l);
            if n > 0 {
                if let Some(c) = l[n..].strip_prefix(", column: ") {
                    let m = digits(c);
                    if m > 0 && c[m..].starts_with(']') {
                        return Some((q, 1 + marker));
                    }
                }
            }
        }
        from = q + 1;
    }
    None
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

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ql {
    JsonPath,
    Jsonata,
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

/// Where a state may go: the field that says so and the target name.
struct Edge<'a> {
    via: Via,
    target: &'a str,
}

/// `Next` / `Default`, or the `Next` of `Choices[i]` / `Catch[i]`.
#[derive(Clone, Copy)]
enum Via {
    Field(&'static str),
    Item(&'static str, usize),
}

impl Via {
    fn location(self, here: &str) -> String {
        match self {
            Via::Field(f) => format!("{here}/{f}"),
            Via::Item(f, i) => format!("{here}/{f}[{i}]/Next"),
        }
    }
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

fn is_jsonata_expr(s: &str) -> bool {
    s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}")
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

/// Fields every state accepts.
const COMMON: [&str; 3] = ["Type", "Comment", "QueryLanguage"];

/// Whether a state of type `ty` ("Pass", "Task", "Fail", …) takes `field` in its query language
/// (JSONata when `jsonata`), by the per-type lists CreateStateMachine checks (an inline Map's).
/// The inspector shows a data-flow step only for a field the state's type has: a Fail state has
/// no InputPath, a Succeed no ResultPath.
pub fn state_takes(ty: &str, jsonata: bool, field: &str) -> bool {
    allowed(ty, if jsonata { Ql::Jsonata } else { Ql::JsonPath }, false, field)
}

/// Fields a state of `ty` accepts in `ql` (besides [`COMMON`]); `distributed` adds the fields only
/// a Distributed Map takes. Sources: aws-facts §3.1 and §3.12, and a published measurement of
/// ValidateStateMachineDefinition over 8 types × 50 fields [pub]. `ToleratedFailure*` and `Label`
/// are taken on an inline Map too: AWS ran an inline JSONata Map with `ToleratedFailureCount`
/// [rec evaluate_jsonata/test_base_evaluate_expressions.py::TestBaseEvaluateJsonata::test_base_map].
fn allowed(ty: &str, ql: Ql, distributed: bool, field: &str) -> bool {
    if COMMON.contains(&field) {
        return true;
    }
    let list: &[&str] = match (ty, ql) {
        ("Pass", Ql::JsonPath) => &["Next", "End", "InputPath", "OutputPath", "Parameters", "ResultPath", "Result", "Assign"],
        ("Pass", Ql::Jsonata) => &["Next", "End", "Output", "Assign"],
        ("Task", Ql::JsonPath) => &[
            "Next",
            "End",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "Assign",
            "Resource",
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
            "Credentials",
        ],
        ("Task", Ql::Jsonata) => {
            &["Next", "End", "Output", "Assign", "Arguments", "Retry", "Catch", "Resource", "TimeoutSeconds", "HeartbeatSeconds", "Credentials"]
        }
        ("Choice", Ql::JsonPath) => &["InputPath", "OutputPath", "Choices", "Default", "Assign"],
        ("Choice", Ql::Jsonata) => &["Choices", "Default", "Output", "Assign"],
        ("Wait", Ql::JsonPath) => &["Next", "End", "InputPath", "OutputPath", "Assign", "Seconds", "Timestamp", "SecondsPath", "TimestampPath"],
        ("Wait", Ql::Jsonata) => &["Next", "End", "Output", "Assign", "Seconds", "Timestamp"],
        ("Succeed", Ql::JsonPath) => &["InputPath", "OutputPath"],
        ("Succeed", Ql::Jsonata) => &["Output"],
        ("Fail", Ql::JsonPath) => &["Error", "ErrorPath", "Cause", "CausePath"],
        ("Fail", Ql::Jsonata) => &["Error", "Cause"],
        ("Parallel", Ql::JsonPath) => {
            &["Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", "Assign", "Branches"]
        }
        ("Parallel", Ql::Jsonata) => &["Next", "End", "Output", "Assign", "Arguments", "Retry", "Catch", "Branches"],
        ("Map", Ql::JsonPath) => {
            if matches!(field, "ItemReader" | "ItemBatcher" | "ResultWriter") {
                return distributed;
            }
            &[
                "Next",
                "End",
                "InputPath",
                "OutputPath",
                "Parameters",
                "ResultSelector",
                "ResultPath",
                "Retry",
                "Catch",
                "Assign",
                "ItemProcessor",
                "Iterator",
                "ItemsPath",
                "ItemSelector",
                "MaxConcurrency",
                "MaxConcurrencyPath",
                "ToleratedFailurePercentage",
                "ToleratedFailurePercentagePath",
                "ToleratedFailureCount",
                "ToleratedFailureCountPath",
                "Label",
            ]
        }
        ("Map", Ql::Jsonata) => {
            if matches!(field, "ItemReader" | "ItemBatcher" | "ResultWriter") {
                return distributed;
            }
            &[
                "Next",
                "End",
                "Output",
                "Assign",
                "Retry",
                "Catch",
                "ItemProcessor",
                "Iterator",
                "Items",
                "ItemSelector",
                "MaxConcurrency",
                "ToleratedFailurePercentage",
                "ToleratedFailureCount",
                "Label",
            ]
        }
        _ => &[],
    };
    list.contains(&field)
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

    /// A JSONPath field: `reference` ones take only names and indexes. `null` is allowed where AWS
    /// gives it a meaning (InputPath, OutputPath, ResultPath).
    fn path_field(&mut self, field: &str, v: &Value, reference: bool, nullable: bool, location: impl Into<String>) {
        match v {
            Value::Null if nullable => {}
            Value::String(s) => {
                let ok = if reference { Path::parse_reference(s).is_ok() } else { Path::parse(s).is_ok() };
                if !ok {
                    // [?] on the pattern of the recorded "must be a valid JSONPath or a valid intrinsic function call".
                    let what = if reference { "ReferencePath" } else { "JSONPath" };
                    self.err(format!("The value for the field '{field}' must be a valid {what}"), location);
                }
            }
            _ => self.wrong_type(field, "a string", location),
        }
    }

    /// A path or an intrinsic function call (the value of a `.$` key, Fail ErrorPath/CausePath).
    fn dynamic_ok(v: &Value, reference: bool) -> bool {
        let Some(t) = v.as_str() else { return false };
        if intrinsics::is_call(t) {
            match intrinsics::parse(t) {
                Ok(call) => call.paths().iter().all(|p| Path::parse(p).is_ok()),
                Err(_) => false,
            }
        } else if reference {
            Path::parse_reference(t).is_ok()
        } else {
            Path::parse(t).is_ok()
        }
    }

    /// A JSONPath payload template: every `.$` key's value must be a path or an intrinsic call.
    /// The location is the template field itself [rec].
    fn template(&mut self, v: &Value, location: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match v {
            Value::Object(m) => {
                for (k, val) in m {
                    if k.ends_with(".$") {
                        if !Self::dynamic_ok(val, false) {
                            self.dynamic_error(k, location);
                        }
                    } else {
                        self.template(val, location, depth + 1);
                    }
                }
            }
            Value::Array(a) => {
                for x in a {
                    self.template(x, location, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn dynamic_error(&mut self, key: &str, location: &str) {
        // [rec] "The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic
        // function call at /States/IntrinsicEscape/Parameters".
        self.err(format!("The value for the field '{key}' must be a valid JSONPath or a valid intrinsic function call"), location);
    }

    /// `Assign`: variable names (no sub-paths, ≤ 80 characters, `states` reserved) and, in
    /// JSONPath, a payload template.
    fn assign(&mut self, v: &Value, ql: Ql, location: String) {
        let Some(m) = v.as_object() else {
            if !(ql == Ql::Jsonata && v.as_str().is_some_and(is_jsonata_expr)) {
                self.wrong_type("Assign", "an object", location);
            }
            return;
        };
        for (k, val) in m {
            let (name, dynamic) = match (ql, k.strip_suffix(".$")) {
                (Ql::JsonPath, Some(n)) => (n, true),
                _ => (k.as_str(), false),
            };
            // [?] wording; the rules are aws-facts §3.13.
            if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                self.err(format!("Invalid variable name '{name}': the variable name contains invalid characters."), location.clone());
            } else if name.chars().count() > 80 {
                self.err(format!("Invalid variable name '{name}': the variable name exceeds 80 characters."), location.clone());
            } else if name == "states" {
                self.err("Cannot assign to reserved variable '$states'.", location.clone());
            }
            if ql == Ql::JsonPath {
                if dynamic {
                    if !Self::dynamic_ok(val, false) {
                        self.dynamic_error(k, &location);
                    }
                } else {
                    self.template(val, &location, 0);
                }
            }
        }
    }

    /// One state machine: the definition itself, a Parallel branch or a Map processor.
    fn machine(&mut self, m: &'a Map<String, Value>, at: &str, scope: Scope, express: bool, depth: usize) {
        if depth > MAX_MACHINE_DEPTH {
            return;
        }
        let root = if at.is_empty() { "/".to_string() } else { at.to_string() };
        let mut missing = Vec::new();
        if !m.contains_key("States") {
            missing.push("States");
        }
        if !m.contains_key("StartAt") {
            missing.push("StartAt");
        }
        self.required(&missing, &root);
        for (k, v) in m {
            let here = format!("{at}/{k}");
            match (k.as_str(), scope) {
                ("StartAt", _) => {
                    self.expect_string(k, v, here);
                }
                ("States", _) => {
                    if !v.is_object() {
                        self.wrong_type(k, "an object", here);
                    }
                }
                ("Comment", _) => {
                    self.expect_string(k, v, here);
                }
                ("Version", Scope::Top) => self.enum_value(k, v, &["1.0"], here),
                ("TimeoutSeconds", Scope::Top) => self.int_field(k, v, 1, Some(MAX_SECONDS), Ql::JsonPath, here),
                ("QueryLanguage", Scope::Top) => self.enum_value(k, v, &["JSONPath", "JSONata"], here),
                ("ProcessorConfig", Scope::Processor) => self.processor_config(v, here),
                _ => self.not_supported(k, &root),
            }
        }
        let Some(states) = m.get("States").and_then(Value::as_object) else { return };
        let start = m.get("StartAt").and_then(Value::as_str);

        let index: HashMap<&str, usize> = states.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
        let mut adjacency: Vec<Vec<usize>> = vec![Vec::new(); states.len()];
        let mut terminal = states.is_empty();
        let mut edges = Vec::new();
        for (i, (name, s)) in states.iter().enumerate() {
            let here = format!("{at}/States/{name}");
            if !self.names.insert(name.as_str()) {
                // [pub, SFN Local] "Duplicate State name: <name>".
                self.duplicates.push(diag(DUPLICATE, format!("Duplicate State name: {name}"), here.clone()));
            }
            let count = name.encode_utf16().count();
            if count == 0 || count > 80 {
                // [?] INVALID_STATE_NAME is a documented code; the wording is ours.
                self.schema.push(diag("INVALID_STATE_NAME", format!("State name '{name}' must be between 1 and 80 characters long"), here.clone()));
            }
            edges.clear();
            terminal |= self.state(name, s, &here, express, depth, &mut edges);
            for e in &edges {
                match index.get(e.target) {
                    Some(&j) => adjacency[i].push(j),
                    // [rec] "Missing 'Next' target: pass3 at /States/pass1/Next".
                    None => self.missing.push(diag(MISSING, format!("Missing 'Next' target: {}", e.target), e.via.location(&here))),
                }
            }
        }
        let Some(start) = start else { return };
        let Some(&first) = index.get(start) else {
            self.missing.push(diag(MISSING, format!("Missing 'Next' target: {start}"), format!("{at}/StartAt")));
            return;
        };
        let mut seen = vec![false; states.len()];
        seen[first] = true;
        let mut stack = vec![first];
        while let Some(i) = stack.pop() {
            for &j in &adjacency[i] {
                if !seen[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        for (i, name) in states.keys().enumerate() {
            if !seen[i] {
                // [rec] "State \"pass2\" is not reachable. at /States/pass2".
                self.unreachable.push(diag(MISSING, format!("State \"{name}\" is not reachable."), format!("{at}/States/{name}")));
            }
        }
        if !terminal {
            // [pub] MISSING_END_STATE is a documented code ("The workflow does not have a terminal state").
            self.no_end.push(diag("MISSING_END_STATE", "Workflow has no terminal state", root));
        }
    }

    fn processor_config(&mut self, v: &Value, here: String) {
        let Some(m) = v.as_object() else {
            self.wrong_type("ProcessorConfig", "an object", here);
            return;
        };
        let mode = m.get("Mode").and_then(Value::as_str).unwrap_or("INLINE");
        for (k, val) in m {
            match k.as_str() {
                "Mode" => self.enum_value(k, val, &["INLINE", "DISTRIBUTED"], format!("{here}/Mode")),
                "ExecutionType" if mode == "DISTRIBUTED" => self.enum_value(k, val, &["STANDARD", "EXPRESS"], format!("{here}/ExecutionType")),
                _ => self.not_supported(k, &here),
            }
        }
        if mode == "DISTRIBUTED" && !m.contains_key("ExecutionType") {
            self.required(&["ExecutionType"], &here);
        }
    }

    /// Checks one state, adds its transitions to `edges`; true if it can end the machine.
    fn state(&mut self, name: &str, s: &'a Value, here: &str, express: bool, depth: usize, edges: &mut Vec<Edge<'a>>) -> bool {
        let Some(m) = s.as_object() else {
            self.wrong_type(name, "an object", here.to_string());
            return true;
        };
        let ty = match m.get("Type") {
            None => {
                self.required(&["Type"], here);
                collect_edges(m, edges);
                return true;
            }
            Some(t) => match t.as_str() {
                Some(t) if TYPES.contains(&t) => t,
                _ => {
                    // [rec]
                    self.err(format!("The field 'Type' should have one of these values: [{}]", TYPES.join(", ")), format!("{here}/Type"));
                    collect_edges(m, edges);
                    return true;
                }
            },
        };
        let ql = match m.get("QueryLanguage") {
            None => self.top_ql,
            Some(q) => match q.as_str() {
                Some("JSONata") => Ql::Jsonata,
                Some("JSONPath") => {
                    if self.top_ql == Ql::Jsonata {
                        // [rec]
                        self.err("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", here);
                    }
                    Ql::JsonPath
                }
                _ => {
                    self.enum_value("QueryLanguage", q, &["JSONPath", "JSONata"], format!("{here}/QueryLanguage"));
                    self.top_ql
                }
            },
        };
        let processor_key = if m.contains_key("ItemProcessor") { "ItemProcessor" } else { "Iterator" };
        let config = m.get(processor_key).and_then(|p| p.get("ProcessorConfig"));
        let distributed = ty == "Map" && config.and_then(|c| c.get("Mode")).and_then(Value::as_str) == Some("DISTRIBUTED");
        // Distributed children run as executions of their own type.
        let child_express = if distributed { config.and_then(|c| c.get("ExecutionType")).and_then(Value::as_str) == Some("EXPRESS") } else { express };

        let required: &[&str] = match ty {
            "Task" => &["Resource"],
            "Choice" => &["Choices"],
            "Parallel" => &["Branches"],
            _ => &[],
        };
        let missing: Vec<&str> = required.iter().copied().filter(|f| !m.contains_key(*f)).collect();
        self.required(&missing, here);

        for (k, v) in m {
            let k = k.as_str();
            if !allowed(ty, ql, distributed, k) {
                self.not_supported(k, here);
                continue;
            }
            let at = At(here, k);
            match k {
                "Type" => {}
                "Comment" => {
                    self.expect_string(k, v, at);
                }
                "QueryLanguage" => {}
                "Next" => {
                    if let Some(t) = v.as_str() {
                        edges.push(Edge { via: Via::Field("Next"), target: t });
                    } else {
                        self.wrong_type(k, "a string", at);
                    }
                }
                "End" if !v.is_boolean() => self.wrong_type(k, "a boolean", at),
                "InputPath" | "OutputPath" => self.path_field(k, v, false, true, at),
                "ResultPath" => self.path_field(k, v, true, true, at),
                "Parameters" | "ResultSelector" | "ItemSelector" if ql == Ql::JsonPath => self.template(v, &at.to_string(), 0),
                "Result" | "Output" | "Arguments" | "Items" => {}
                "Assign" => self.assign(v, ql, at.into()),
                "Retry" => self.retriers(v, ql, &at.to_string()),
                "Catch" => self.catchers(v, ql, &at.to_string(), edges),
                "Resource" => self.resource(v, express, at),
                "TimeoutSeconds" | "HeartbeatSeconds" => self.int_field(k, v, 1, Some(MAX_SECONDS), ql, at),
                "TimeoutSecondsPath"
                | "HeartbeatSecondsPath"
                | "SecondsPath"
                | "TimestampPath"
                | "MaxConcurrencyPath"
                | "ToleratedFailurePercentagePath"
                | "ToleratedFailureCountPath" => self.path_field(k, v, true, false, at),
                "Credentials" => self.credentials(v, ql, at.into()),
                "Choices" => self.choices(v, ql, &at.to_string(), edges),
                "Default" => {
                    if let Some(t) = v.as_str() {
                        edges.push(Edge { via: Via::Field("Default"), target: t });
                    } else {
                        self.wrong_type(k, "a string", at);
                    }
                }
                "Seconds" => self.int_field(k, v, 0, None, ql, at),
                "Timestamp" => {
                    let ok = v.as_str().is_some_and(|t| (ql == Ql::Jsonata && is_jsonata_expr(t)) || timestamp::parse(t).is_some());
                    if !ok {
                        // [rec]
                        self.err("String does not match RFC3339 timestamp", at);
                    }
                }
                "Error" | "Cause" => {
                    self.expect_string(k, v, at);
                }
                "ErrorPath" | "CausePath" if !Self::dynamic_ok(v, true) => {
                    self.err(format!("The value for the field '{k}' must be a valid JSONPath or a valid intrinsic function call"), at)
                }
                "Branches" => match v.as_array() {
                    Some(b) if !b.is_empty() => {
                        for (i, br) in b.iter().enumerate() {
                            let loc = format!("{at}[{i}]");
                            match br.as_object() {
                                Some(bm) => self.machine(bm, &loc, Scope::Branch, express, depth + 1),
                                None => self.wrong_type(&format!("Branches[{i}]"), "an object", loc),
                            }
                        }
                    }
                    // [rec] "Value cannot be empty at /States/<name>/Branches".
                    Some(_) => self.err("Value cannot be empty", at),
                    None => self.wrong_type(k, "an array", at),
                },
                "ItemProcessor" | "Iterator" => match v.as_object() {
                    Some(pm) => self.machine(pm, &at.to_string(), Scope::Processor, child_express, depth + 1),
                    None => self.wrong_type(k, "an object", at),
                },
                "ItemsPath" => self.path_field(k, v, true, false, at),
                "MaxConcurrency" => self.int_field(k, v, 0, None, ql, at),
                "ToleratedFailureCount" => self.int_field(k, v, 0, None, ql, at),
                "ToleratedFailurePercentage" if !(ql == Ql::Jsonata && v.as_str().is_some_and(is_jsonata_expr)) => match v.as_f64() {
                    Some(p) if (0.0..=100.0).contains(&p) => {}
                    Some(_) => self.err(format!("The value for the field '{k}' must be between 0 and 100"), at),
                    None => self.wrong_type(k, "a number", at),
                },
                "Label" => self.label(v, at),
                "ItemReader" => self.item_reader(v, ql, at.into()),
                "ItemBatcher" => self.item_batcher(v, ql, at.into()),
                "ResultWriter" => self.result_writer(v, ql, at.into()),
                _ => {}
            }
        }

        // Cross-field rules.
        let has = |f: &str| m.contains_key(f);
        let mut terminal = false;
        match ty {
            "Succeed" | "Fail" => terminal = true,
            "Choice" => {}
            _ => {
                let end = m.get("End") == Some(&Value::Bool(true));
                terminal = end;
                if has("Next") && has("End") {
                    self.only_one(&["Next", "End"], here);
                } else if !has("Next") && !end {
                    self.one_required(&["Next", "End"], here);
                }
            }
        }
        let pairs: &[[&str; 2]] = match ty {
            "Task" => &[["TimeoutSeconds", "TimeoutSecondsPath"], ["HeartbeatSeconds", "HeartbeatSecondsPath"]],
            "Fail" => &[["Error", "ErrorPath"], ["Cause", "CausePath"]],
            "Map" => &[
                ["ItemProcessor", "Iterator"],
                ["MaxConcurrency", "MaxConcurrencyPath"],
                ["ToleratedFailurePercentage", "ToleratedFailurePercentagePath"],
                ["ToleratedFailureCount", "ToleratedFailureCountPath"],
            ],
            _ => &[],
        };
        for pair in pairs {
            if has(pair[0]) && has(pair[1]) {
                self.only_one(pair, here);
            }
        }
        match ty {
            "Task" => {
                let t = m.get("TimeoutSeconds").and_then(int_of);
                let h = m.get("HeartbeatSeconds").and_then(int_of);
                if let (Some(h), Some(t)) = (h, t) {
                    if h >= t {
                        // [?]
                        self.err(
                            "The value for the field 'HeartbeatSeconds' must be smaller than the value for the field 'TimeoutSeconds'",
                            format!("{here}/HeartbeatSeconds"),
                        );
                    }
                }
            }
            "Wait" => {
                let fields: &[&str] = match ql {
                    // [pub] the order AWS lists them in.
                    Ql::JsonPath => &["SecondsPath", "Seconds", "TimestampPath", "Timestamp"],
                    Ql::Jsonata => &["Seconds", "Timestamp"],
                };
                let n = fields.iter().filter(|f| has(f)).count();
                if n > 1 {
                    self.only_one(fields, here);
                } else if n == 0 {
                    self.one_required(fields, here);
                }
            }
            "Map" if !has("ItemProcessor") && !has("Iterator") => self.one_required(&["ItemProcessor", "Iterator"], here),
            _ => {}
        }
        terminal
    }

    fn label(&mut self, v: &Value, at: At) {
        let Some(l) = v.as_str() else {
            self.wrong_type("Label", "a string", at);
            return;
        };
        // AWS's own texts for these are not recorded; these are LocalStack's (aws-facts §1.3).
        let msg = if l.is_empty() {
            Some("Label cannot be empty".to_string())
        } else if l.chars().count() > 40 {
            Some("Label cannot exceed 40 characters".to_string())
        } else {
            l.chars().find(|c| forbidden_name_char(*c)).map(|c| {
                let shown: String = if c.is_control() { c.escape_unicode().collect() } else { c.to_string() };
                format!("Label contains invalid character: '{shown}'")
            })
        };
        if let Some(msg) = msg {
            self.err(msg, at);
        }
    }

    fn credentials(&mut self, v: &Value, ql: Ql, at: String) {
        let Some(m) = v.as_object() else {
            if !(ql == Ql::Jsonata && v.as_str().is_some_and(is_jsonata_expr)) {
                self.wrong_type("Credentials", "an object", at);
            }
            return;
        };
        // [rec] Unknown fields beside a missing RoleArn are not reported separately.
        if !m.contains_key("RoleArn") && !m.contains_key("RoleArn.$") {
            self.err("The field 'RoleArn' is required but was missing", at);
            return;
        }
        if ql == Ql::JsonPath {
            self.template(v, &at, 0);
        }
    }

    fn resource(&mut self, v: &Value, express: bool, at: At) {
        let Some(r) = v.as_str() else {
            self.wrong_type("Resource", "a string", at);
            return;
        };
        let kind = match resource::classify(r) {
            Ok(k) => k,
            Err(resource::Problem::NotAnArn) => {
                // [pub] seen in a real deploy log for an unsubstituted "${...}" placeholder.
                self.err("Value is not a valid resource ARN", at);
                return;
            }
            Err(resource::Problem::Unrecognized) => {
                // [rec]
                self.err(
                    format!(
                        "The resource provided {r} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
                    ),
                    at,
                );
                return;
            }
        };
        if express {
            use resource::Kind;
            match kind {
                // [rec] both, the second with its trailing space.
                Kind::Integration(resource::Pattern::Sync | resource::Pattern::Sync2) => {
                    self.err("Express state machine does not support '.sync' service integration", at)
                }
                Kind::Integration(resource::Pattern::WaitForTaskToken) => {
                    self.err("Express state machine does not support '.waitForTaskToken' service integration ", at)
                }
                Kind::Activity => self.err("Express state machine does not support Activity ARN", at),
                _ => {}
            }
        }
    }

    fn error_equals(&mut self, entry: &Map<String, Value>, at: &str, last: bool) {
        let Some(v) = entry.get("ErrorEquals") else { return };
        let loc = format!("{at}/ErrorEquals");
        let Some(list) = v.as_array() else {
            self.wrong_type("ErrorEquals", "an array", loc);
            return;
        };
        if list.is_empty() {
            // [pub]
            self.err("Value cannot be empty", loc);
            return;
        }
        if list.iter().any(|e| !e.is_string()) {
            self.wrong_type("ErrorEquals", "an array of strings", loc.clone());
        }
        if list.iter().any(|e| e.as_str() == Some("States.ALL")) && (list.len() != 1 || !last) {
            // [pub] seen in a Terraform apply failure.
            self.err("States.ALL must appear alone and at end of list", loc);
        }
    }

    fn retriers(&mut self, v: &Value, ql: Ql, at: &str) {
        let Some(list) = v.as_array() else {
            self.wrong_type("Retry", "an array", at.to_string());
            return;
        };
        for (i, r) in list.iter().enumerate() {
            let here = format!("{at}[{i}]");
            let Some(m) = r.as_object() else {
                self.wrong_type(&format!("Retry[{i}]"), "an object", here);
                continue;
            };
            if !m.contains_key("ErrorEquals") {
                self.required(&["ErrorEquals"], &here);
            }
            for (k, val) in m {
                let loc = format!("{here}/{k}");
                match k.as_str() {
                    "ErrorEquals" | "Comment" => {}
                    "IntervalSeconds" => self.int_field(k, val, 1, Some(MAX_SECONDS), ql, loc),
                    "MaxAttempts" => self.int_field(k, val, 0, Some(MAX_SECONDS), ql, loc),
                    "MaxDelaySeconds" => self.int_field(k, val, 1, Some(MAX_DELAY_LIMIT - 1), ql, loc),
                    "BackoffRate" => {
                        if !(ql == Ql::Jsonata && val.as_str().is_some_and(is_jsonata_expr)) {
                            match val.as_f64() {
                                Some(b) if b >= 1.0 => {}
                                Some(_) => self.err("The value for the field 'BackoffRate' must be greater than or equal to 1.0", loc),
                                None => self.wrong_type(k, "a number", loc),
                            }
                        }
                    }
                    // [pub] values.
                    "JitterStrategy" => self.enum_value(k, val, &["FULL", "NONE"], loc),
                    _ => self.not_supported(k, &here),
                }
            }
            if let Some(c) = m.get("Comment") {
                self.expect_string("Comment", c, format!("{here}/Comment"));
            }
            self.error_equals(m, &here, i + 1 == list.len());
        }
    }

    fn catchers(&mut self, v: &'a Value, ql: Ql, at: &str, edges: &mut Vec<Edge<'a>>) {
        let Some(list) = v.as_array() else {
            self.wrong_type("Catch", "an array", at.to_string());
            return;
        };
        for (i, c) in list.iter().enumerate() {
            let here = format!("{at}[{i}]");
            let Some(m) = c.as_object() else {
                self.wrong_type(&format!("Catch[{i}]"), "an object", here);
                continue;
            };
            let missing: Vec<&str> = ["ErrorEquals", "Next"].into_iter().filter(|f| !m.contains_key(*f)).collect();
            self.required(&missing, &here);
            for (k, val) in m {
                let loc = format!("{here}/{k}");
                match (k.as_str(), ql) {
                    ("ErrorEquals", _) => {}
                    ("Comment", _) => {
                        self.expect_string(k, val, loc);
                    }
                    ("Next", _) => match val.as_str() {
                        Some(t) => edges.push(Edge { via: Via::Item("Catch", i), target: t }),
                        None => self.wrong_type(k, "a string", loc),
                    },
                    ("ResultPath", Ql::JsonPath) => self.path_field(k, val, true, true, loc),
                    ("Assign", _) => self.assign(val, ql, loc),
                    ("Output", Ql::Jsonata) => {}
                    _ => self.not_supported(k, &here),
                }
            }
            self.error_equals(m, &here, i + 1 == list.len());
        }
    }

    fn choices(&mut self, v: &'a Value, ql: Ql, at: &str, edges: &mut Vec<Edge<'a>>) {
        let Some(list) = v.as_array() else {
            self.wrong_type("Choices", "an array", at.to_string());
            return;
        };
        if list.is_empty() {
            // [pub]
            self.err("Value cannot be empty", at);
            return;
        }
        for (i, rule) in list.iter().enumerate() {
            let here = format!("{at}[{i}]");
            let Some(m) = rule.as_object() else {
                self.wrong_type(&format!("Choices[{i}]"), "an object", here);
                continue;
            };
            match m.get("Next") {
                None => self.required(&["Next"], &here),
                Some(Value::String(t)) => edges.push(Edge { via: Via::Item("Choices", i), target: t }),
                Some(_) => self.wrong_type("Next", "a string", format!("{here}/Next")),
            }
            match ql {
                Ql::Jsonata => {
                    for (k, val) in m {
                        match k.as_str() {
                            "Next" | "Output" => {}
                            "Comment" => {
                                self.expect_string(k, val, format!("{here}/Comment"));
                            }
                            "Assign" => self.assign(val, ql, format!("{here}/Assign")),
                            "Condition" => {
                                if !(val.is_boolean() || val.as_str().is_some_and(is_jsonata_expr)) {
                                    // [?]
                                    self.err("The field 'Condition' must be a boolean or a JSONata expression", format!("{here}/Condition"));
                                }
                            }
                            _ => self.not_supported(k, &here),
                        }
                    }
                    if !m.contains_key("Condition") {
                        self.required(&["Condition"], &here);
                    }
                }
                Ql::JsonPath => {
                    self.rule_fields(m, &here, true, 0);
                    if let Some(a) = m.get("Assign") {
                        self.assign(a, ql, format!("{here}/Assign"));
                    }
                    match choice::Rule::parse(rule, true) {
                        Ok(_) => self.rule_paths(m, &here, 0),
                        Err((msg, suffix)) => self.err(msg, format!("{here}{suffix}")),
                    }
                }
            }
        }
    }

    /// Unknown fields in a JSONPath Choice rule, at any depth (a nested `Next` is left to
    /// choice::Rule::parse).
    fn rule_fields(&mut self, m: &Map<String, Value>, here: &str, top: bool, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for (k, v) in m {
            let k = k.as_str();
            let known = matches!(k, "Variable" | "And" | "Or" | "Not" | "Comment")
                || OPERATORS.contains(&k)
                || k.strip_suffix("Path").is_some_and(|b| b != "StringMatches" && OPERATORS.contains(&b))
                || (k == "Next")
                || (top && k == "Assign");
            if !known {
                self.not_supported(k, here);
                continue;
            }
            match k {
                "And" | "Or" => {
                    for (i, r) in v.as_array().into_iter().flatten().enumerate() {
                        if let Some(rm) = r.as_object() {
                            self.rule_fields(rm, &format!("{here}/{k}[{i}]"), false, depth + 1);
                        }
                    }
                }
                "Not" => {
                    if let Some(rm) = v.as_object() {
                        self.rule_fields(rm, &format!("{here}/Not"), false, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    /// Path syntax of `Variable` and the `...Path` operands of a rule that choice::Rule::parse took.
    fn rule_paths(&mut self, m: &Map<String, Value>, here: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for (k, v) in m {
            let k = k.as_str();
            match k {
                "And" | "Or" => {
                    for (i, r) in v.as_array().into_iter().flatten().enumerate() {
                        if let Some(rm) = r.as_object() {
                            self.rule_paths(rm, &format!("{here}/{k}[{i}]"), depth + 1);
                        }
                    }
                }
                "Not" => {
                    if let Some(rm) = v.as_object() {
                        self.rule_paths(rm, &format!("{here}/Not"), depth + 1);
                    }
                }
                "Variable" => self.path_field(k, v, false, false, format!("{here}/{k}")),
                _ if k.strip_suffix("Path").is_some_and(|b| b != "StringMatches" && OPERATORS.contains(&b)) => {
                    self.path_field(k, v, false, false, format!("{here}/{k}"))
                }
                _ => {}
            }
        }
    }

    fn item_reader(&mut self, v: &Value, ql: Ql, at: String) {
        let Some(m) = v.as_object() else {
            self.wrong_type("ItemReader", "an object", at);
            return;
        };
        if !m.contains_key("Resource") {
            self.required(&["Resource"], &at);
        }
        for (k, val) in m {
            let loc = format!("{at}/{k}");
            match (k.as_str(), ql) {
                ("Resource", _) => self.s3_resource(val, &["getObject", "listObjectsV2"], loc),
                ("Parameters", Ql::JsonPath) => self.template(val, &loc, 0),
                ("Arguments", Ql::Jsonata) => {}
                ("ReaderConfig", _) => self.reader_config(val, ql, loc),
                _ => self.not_supported(k, &at),
            }
        }
    }

    fn reader_config(&mut self, v: &Value, ql: Ql, at: String) {
        let Some(m) = v.as_object() else {
            self.wrong_type("ReaderConfig", "an object", at);
            return;
        };
        for (k, val) in m {
            let loc = format!("{at}/{k}");
            match (k.as_str(), ql) {
                ("InputType", _) => self.enum_value(k, val, &["CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"], loc),
                ("CSVHeaderLocation", _) => self.enum_value(k, val, &["FIRST_ROW", "GIVEN"], loc),
                ("MaxItems", _) => self.int_field(k, val, 0, None, ql, loc),
                ("MaxItemsPath", Ql::JsonPath) => self.path_field(k, val, true, false, loc),
                ("CSVHeaders" | "CSVDelimiter" | "ItemsPointer" | "Transformation" | "ManifestType", _) => {}
                _ => self.not_supported(k, &at),
            }
        }
    }

    fn item_batcher(&mut self, v: &Value, ql: Ql, at: String) {
        let Some(m) = v.as_object() else {
            self.wrong_type("ItemBatcher", "an object", at);
            return;
        };
        for (k, val) in m {
            let loc = format!("{at}/{k}");
            match (k.as_str(), ql) {
                ("MaxItemsPerBatch" | "MaxInputBytesPerBatch", _) => self.int_field(k, val, 0, None, ql, loc),
                ("MaxItemsPerBatchPath" | "MaxInputBytesPerBatchPath", Ql::JsonPath) => self.path_field(k, val, true, false, loc),
                ("BatchInput", Ql::JsonPath) => self.template(val, &loc, 0),
                ("BatchInput", Ql::Jsonata) => {}
                _ => self.not_supported(k, &at),
            }
        }
    }

    fn result_writer(&mut self, v: &Value, ql: Ql, at: String) {
        let Some(m) = v.as_object() else {
            self.wrong_type("ResultWriter", "an object", at);
            return;
        };
        for (k, val) in m {
            let loc = format!("{at}/{k}");
            match (k.as_str(), ql) {
                ("Resource", _) => self.s3_resource(val, &["putObject"], loc),
                ("Parameters", Ql::JsonPath) => self.template(val, &loc, 0),
                ("Arguments", Ql::Jsonata) => {}
                ("WriterConfig", _) => match val.as_object() {
                    Some(w) => {
                        for (wk, wv) in w {
                            match wk.as_str() {
                                "OutputType" => self.enum_value(wk, wv, &["JSON", "JSONL"], format!("{loc}/{wk}")),
                                "Transformation" => self.enum_value(wk, wv, &["NONE", "COMPACT", "FLATTEN"], format!("{loc}/{wk}")),
                                _ => self.not_supported(wk, &loc),
                            }
                        }
                    }
                    None => self.wrong_type(k, "an object", loc),
                },
                _ => self.not_supported(k, &at),
            }
        }
    }

    /// ItemReader / ResultWriter resources: `arn:<partition>:states:::s3:<action>`.
    fn s3_resource(&mut self, v: &Value, actions: &[&str], at: String) {
        let Some(r) = v.as_str() else {
            self.wrong_type("Resource", "a string", at);
            return;
        };
        if r.contains("<<opaque:") {
            return;
        }
        let ok = r
            .strip_prefix("arn:")
            .and_then(|rest| rest.split_once(':'))
            .filter(|(partition, _)| resource::partition_ok(partition))
            .and_then(|(_, rest)| rest.strip_prefix("states:::s3:"))
            .is_some_and(|action| actions.contains(&action));
        if !ok {
            // [rec] wording of the Task resource message.
            self.err(
                format!("The resource provided {r} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."),
                at,
            );
        }
    }
}

/// Transitions of a state whose type is unknown (so reachability does not cascade).
fn collect_edges<'a>(m: &'a Map<String, Value>, edges: &mut Vec<Edge<'a>>) {
    for key in ["Next", "Default"] {
        if let Some(t) = m.get(key).and_then(Value::as_str) {
            edges.push(Edge { via: Via::Field(key), target: t });
        }
    }
    for key in ["Choices", "Catch"] {
        for (i, c) in m.get(key).and_then(Value::as_array).into_iter().flatten().enumerate() {
            if let Some(t) = c.get("Next").and_then(Value::as_str) {
                edges.push(Edge { via: Via::Item(key, i), target: t });
            }
        }
    }
}

/// Task resources: activities, Lambda function ARNs, optimised integrations and AWS SDK calls.
mod resource {
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub enum Pattern {
        RequestResponse,
        Sync,
        Sync2,
        WaitForTaskToken,
    }

    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub enum Kind {
        Activity,
        Lambda,
        Integration(Pattern),
        /// A `<<opaque:...>>` corpus placeholder for some real ARN.
        Opaque,
    }

    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub enum Problem {
        NotAnArn,
        Unrecognized,
    }

    const R: u8 = 1;
    const S: u8 = 2;
    const S2: u8 = 4;
    const W: u8 = 8;

    /// Optimised integrations (service, action, patterns), from the AWS developer guide's table.
    const INTEGRATIONS: &[(&str, &str, u8)] = &[
        ("lambda", "invoke", R | W),
        ("sqs", "sendMessage", R | W),
        ("sns", "publish", R | W),
        ("dynamodb", "getItem", R),
        ("dynamodb", "putItem", R),
        ("dynamodb", "updateItem", R),
        ("dynamodb", "deleteItem", R),
        ("events", "putEvents", R | W),
        ("apigateway", "invoke", R | W),
        ("http", "invoke", R),
        ("states", "startExecution", R | S | S2 | W),
        ("ecs", "runTask", R | S | W),
        ("batch", "submitJob", R | S),
        ("glue", "startJobRun", R | S),
        ("databrew", "startJobRun", R | S),
        ("athena", "startQueryExecution", R | S),
        ("athena", "stopQueryExecution", R),
        ("athena", "getQueryExecution", R),
        ("athena", "getQueryResults", R),
        ("codebuild", "startBuild", R | S),
        ("codebuild", "stopBuild", R),
        ("codebuild", "batchDeleteBuilds", R),
        ("codebuild", "batchGetReports", R),
        ("codebuild", "startBuildBatch", R | S),
        ("codebuild", "stopBuildBatch", R),
        ("codebuild", "retryBuildBatch", R | S),
        ("codebuild", "deleteBuildBatch", R),
        ("elasticmapreduce", "createCluster", R | S),
        ("elasticmapreduce", "terminateCluster", R | S),
        ("elasticmapreduce", "addStep", R | S),
        ("elasticmapreduce", "cancelStep", R),
        ("elasticmapreduce", "setClusterTerminationProtection", R),
        ("elasticmapreduce", "modifyInstanceFleetByName", R),
        ("elasticmapreduce", "modifyInstanceGroupByName", R),
        ("emr-containers", "createVirtualCluster", R),
        ("emr-containers", "deleteVirtualCluster", R | S),
        ("emr-containers", "startJobRun", R | S),
        ("emr-serverless", "createApplication", R | S),
        ("emr-serverless", "startApplication", R | S),
        ("emr-serverless", "stopApplication", R | S),
        ("emr-serverless", "deleteApplication", R | S),
        ("emr-serverless", "startJobRun", R | S),
        ("emr-serverless", "cancelJobRun", R | S),
        ("eks", "createCluster", R | S),
        ("eks", "deleteCluster", R | S),
        ("eks", "createFargateProfile", R | S),
        ("eks", "deleteFargateProfile", R | S),
        ("eks", "createNodegroup", R | S),
        ("eks", "deleteNodegroup", R | S),
        ("eks", "runJob", R | S),
        ("eks", "call", R),
        ("sagemaker", "createEndpoint", R),
        ("sagemaker", "createEndpointConfig", R),
        ("sagemaker", "createHyperParameterTuningJob", R | S),
        ("sagemaker", "createLabelingJob", R | S),
        ("sagemaker", "createModel", R),
        ("sagemaker", "createProcessingJob", R | S),
        ("sagemaker", "createTrainingJob", R | S),
        ("sagemaker", "createTransformJob", R | S),
        ("sagemaker", "updateEndpoint", R),
        ("mediaconvert", "createJob", R | S),
        ("bedrock", "invokeModel", R),
        ("bedrock", "createModelCustomizationJob", R | S | W),
    ];

    pub fn partition_ok(p: &str) -> bool {
        p == "aws" || (p.starts_with("aws-") && p.len() > 4 && p[4..].bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
    }

    fn name_ok(s: &str) -> bool {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
    }

    fn region_ok(s: &str) -> bool {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    }

    fn account_ok(s: &str) -> bool {
        s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
    }

    pub fn classify(r: &str) -> Result<Kind, Problem> {
        if r.contains("<<opaque:") {
            // The corpus's activity placeholders are named after what they stand for.
            return Ok(if r.contains("activity") { Kind::Activity } else { Kind::Opaque });
        }
        let Some(rest) = r.strip_prefix("arn:") else { return Err(Problem::NotAnArn) };
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        let [partition, service, region, account, resource] = parts[..] else { return Err(Problem::Unrecognized) };
        if !partition_ok(partition) {
            return Err(Problem::Unrecognized);
        }
        match service {
            "states" if region.is_empty() && account.is_empty() => integration(resource).map(Kind::Integration),
            "states" => match resource.strip_prefix("activity:") {
                Some(name) if region_ok(region) && account_ok(account) && name_ok(name) => Ok(Kind::Activity),
                _ => Err(Problem::Unrecognized),
            },
            "lambda" => {
                let Some(f) = resource.strip_prefix("function:") else { return Err(Problem::Unrecognized) };
                let (name, qualifier) = match f.split_once(':') {
                    Some((n, q)) => (n, Some(q)),
                    None => (f, None),
                };
                let qualifier_ok = |q: &str| q == "$LATEST" || name_ok(q);
                if region_ok(region) && account_ok(account) && name_ok(name) && qualifier.is_none_or(qualifier_ok) {
                    Ok(Kind::Lambda)
                } else {
                    Err(Problem::Unrecognized)
                }
            }
            _ => Err(Problem::Unrecognized),
        }
    }

    fn integration(resource: &str) -> Result<Pattern, Problem> {
        let (base, pattern) = if let Some(b) = resource.strip_suffix(".sync:2") {
            (b, Pattern::Sync2)
        } else if let Some(b) = resource.strip_suffix(".sync") {
            (b, Pattern::Sync)
        } else if let Some(b) = resource.strip_suffix(".waitForTaskToken") {
            (b, Pattern::WaitForTaskToken)
        } else {
            (resource, Pattern::RequestResponse)
        };
        if let Some(call) = base.strip_prefix("aws-sdk:") {
            let ok = call.split_once(':').is_some_and(|(svc, action)| name_ok(svc) && name_ok(action));
            return if ok && matches!(pattern, Pattern::RequestResponse | Pattern::WaitForTaskToken) { Ok(pattern) } else { Err(Problem::Unrecognized) };
        }
        let Some((service, action)) = base.split_once(':') else { return Err(Problem::Unrecognized) };
        let bit = match pattern {
            Pattern::RequestResponse => R,
            Pattern::Sync => S,
            Pattern::Sync2 => S2,
            Pattern::WaitForTaskToken => W,
        };
        if INTEGRATIONS.iter().any(|(s, a, p)| *s == service && *a == action && p & bit != 0) {
            Ok(pattern)
        } else {
            Err(Problem::Unrecognized)
        }
    }
}

/// JSON syntax errors in the words of Jackson 2.12–2.15 (AWS's parser): message, then
/// `\n at [Source: (String)"<text, ≤ 500 chars>"; line: L, column: C]`. The scan works on bytes
/// and decodes a character only for a message; positions outside strings are always character
/// boundaries because only ASCII is skipped there.
mod jackson {
    use super::{Diagnostic, Severity, INVALID_JSON};

    const VALID_VALUES: &str = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
    const MAX_SNIPPET: usize = 500;
    const MAX_TOKEN: usize = 256;

    /// `[Source: (String)"..."; line: L, column: C]`.
    fn source(text: &str, line: usize, column: usize) -> String {
        let shown: String = text.chars().take(MAX_SNIPPET).collect();
        let more = text.chars().count().saturating_sub(MAX_SNIPPET);
        let truncated = if more > 0 { format!("[truncated {more} chars]") } else { String::new() };
        format!("[Source: (String)\"{shown}\"{truncated}; line: {line}, column: {column}]")
    }

    fn diagnostic(text: &str, message: &str, line: usize, column: usize) -> Diagnostic {
        let at = source(text, line, column);
        Diagnostic { severity: Severity::Error, code: INVALID_JSON.into(), message: format!("{message}\n at {at}"), location: Some(at) }
    }

    /// For the rare text serde_json rejects and Jackson's grammar takes.
    pub fn generic(text: &str, message: &str, line: usize, column: usize) -> Diagnostic {
        let message = message.split(" at line ").next().unwrap_or(message);
        diagnostic(text, message, line.max(1), column.max(1))
    }

    /// Jackson's `_getCharDesc`.
    fn desc(c: char) -> String {
        let n = c as u32;
        if c.is_control() {
            format!("(CTRL-CHAR, code {n})")
        } else if n > 255 {
            format!("'{c}' (code {n} / 0x{n:x})")
        } else {
            format!("'{c}' (code {n})")
        }
    }

    fn ident_start(c: char) -> bool {
        c.is_alphabetic() || c == '_' || c == '$'
    }

    fn ident_part(c: char) -> bool {
        c.is_alphanumeric() || c == '_' || c == '$'
    }

    #[derive(Clone, Copy)]
    enum Kind {
        Object,
        Array,
    }

    impl Kind {
        fn desc(self) -> &'static str {
            match self {
                Kind::Object => "Object",
                Kind::Array => "Array",
            }
        }
    }

    struct Open {
        kind: Kind,
        line: usize,
        /// Where the line of the opening bracket starts and where the bracket is (the column is
        /// only worked out for a message: doing it for every bracket would be quadratic).
        row_start: usize,
        at: usize,
        entries: bool,
    }

    struct Scanner<'t> {
        text: &'t str,
        bytes: &'t [u8],
        /// Byte index of the next character.
        pos: usize,
        line: usize,
        /// Byte index where the current line starts.
        row_start: usize,
    }

    /// Error message plus the position Jackson reports.
    type Fail = (String, usize, usize);

    impl Scanner<'_> {
        /// Jackson's 1-based column: UTF-16 units from the start of the line.
        fn column(&self, row_start: usize, pos: usize) -> usize {
            self.text.get(row_start.min(pos)..pos).map_or(0, |s| s.encode_utf16().count()) + 1
        }

        fn fail<T>(&self, message: String) -> Result<T, Fail> {
            Err((message, self.line, self.column(self.row_start, self.pos)))
        }

        /// The character at `pos`, consumed.
        fn take_char(&mut self) -> Option<char> {
            let c = self.text.get(self.pos..)?.chars().next()?;
            self.pos += c.len_utf8();
            Some(c)
        }

        fn peek_char(&self) -> Option<char> {
            self.text.get(self.pos..)?.chars().next()
        }

        fn unexpected<T>(&self, c: char, comment: &str) -> Result<T, Fail> {
            self.fail(format!("Unexpected character ({}): {comment}", desc(c)))
        }

        fn peek(&self) -> Option<u8> {
            self.bytes.get(self.pos).copied()
        }

        /// Next character after white space (consumed), None at the end.
        fn skip_ws(&mut self) -> Result<Option<char>, Fail> {
            while let Some(b) = self.peek() {
                match b {
                    b' ' | b'\t' => self.pos += 1,
                    b'\n' => {
                        self.pos += 1;
                        self.line += 1;
                        self.row_start = self.pos;
                    }
                    b'\r' => {
                        self.pos += 1;
                        if self.peek() == Some(b'\n') {
                            self.pos += 1;
                        }
                        self.line += 1;
                        self.row_start = self.pos;
                    }
                    b'/' => {
                        self.pos += 1;
                        return self
                            .unexpected('/', "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)");
                    }
                    b if b < 0x20 => {
                        self.pos += 1;
                        return self
                            .fail(format!("Illegal character ({}): only regular white space (\\r, \\n, \\t) is allowed between tokens", desc(b as char)));
                    }
                    _ => return Ok(self.take_char()),
                }
            }
            Ok(None)
        }

        fn eof<T>(&self, what: &str) -> Result<T, Fail> {
            self.fail(format!("Unexpected end-of-input{what}"))
        }

        /// The rest of a string whose opening quote was consumed.
        fn string(&mut self, name: bool) -> Result<(), Fail> {
            loop {
                let Some(b) = self.peek() else {
                    return if name { self.eof(" in field name") } else { self.eof(": was expecting closing quote for a string value") };
                };
                match b {
                    b'"' => {
                        self.pos += 1;
                        return Ok(());
                    }
                    b'\\' => {
                        self.pos += 1;
                        let Some(e) = self.take_char() else { return self.eof(" in character escape sequence") };
                        match e {
                            '"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' => {}
                            'u' => {
                                for _ in 0..4 {
                                    let Some(h) = self.take_char() else { return self.eof(" in character escape sequence") };
                                    if !h.is_ascii_hexdigit() {
                                        return self.unexpected(h, "expected a hex-digit for character escape sequence");
                                    }
                                }
                            }
                            e => return self.fail(format!("Unrecognized character escape {}", desc(e))),
                        }
                    }
                    b if b < 0x20 => {
                        self.pos += 1;
                        let ctx = if name { "name" } else { "string value" };
                        return self
                            .fail(format!("Illegal unquoted character ({}): has to be escaped using backslash to be included in {ctx}", desc(b as char)));
                    }
                    // Any other byte, UTF-8 continuation bytes included.
                    _ => self.pos += 1,
                }
            }
        }

        /// `Unrecognized token '...'` for the identifier run starting at `start`.
        fn bad_token<T>(&mut self, start: usize) -> Result<T, Fail> {
            let mut token: String = self.text.get(start..self.pos).unwrap_or("").to_string();
            let mut count = token.chars().count();
            while let Some(c) = self.peek_char() {
                if !ident_part(c) {
                    break;
                }
                self.pos += c.len_utf8();
                token.push(c);
                count += 1;
                if count >= MAX_TOKEN {
                    token.push_str("...");
                    break;
                }
            }
            self.fail(format!("Unrecognized token '{token}': was expecting {VALID_VALUES}"))
        }

        /// `true`, `false`, `null`, `NaN`, `Infinity` (first letter consumed).
        fn literal(&mut self, word: &str) -> Result<(), Fail> {
            let start = self.pos - 1;
            for w in word.bytes().skip(1) {
                if self.peek() != Some(w) {
                    return self.bad_token(start);
                }
                self.pos += 1;
            }
            if self.peek_char().is_some_and(ident_part) {
                return self.bad_token(start);
            }
            Ok(())
        }

        fn digits(&mut self) -> usize {
            let from = self.pos;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.pos += 1;
            }
            self.pos - from
        }

        fn number_char<T>(&mut self, comment: &str) -> Result<T, Fail> {
            match self.take_char() {
                None => self.eof(" in numeric value"),
                Some(c) => self.fail(format!("Unexpected character ({}) in numeric value: {comment}", desc(c))),
            }
        }

        /// A number whose first character (digit or '-') was consumed.
        fn number(&mut self, first: char) -> Result<(), Fail> {
            let lead = if first == '-' {
                match self.peek() {
                    Some(b) if b.is_ascii_digit() => {
                        self.pos += 1;
                        b
                    }
                    _ => return self.number_char("expected digit (0-9) to follow minus sign, for valid numeric value"),
                }
            } else {
                first as u8
            };
            if lead == b'0' {
                if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    return self.fail("Invalid numeric value: Leading zeroes not allowed".into());
                }
            } else {
                self.digits();
            }
            if self.peek() == Some(b'.') {
                self.pos += 1;
                if self.digits() == 0 {
                    return self.number_char("Decimal point not followed by a digit");
                }
            }
            if matches!(self.peek(), Some(b'e' | b'E')) {
                self.pos += 1;
                if matches!(self.peek(), Some(b'+' | b'-')) {
                    self.pos += 1;
                }
                if self.digits() == 0 {
                    return self.number_char("Exponent indicator not followed by a digit");
                }
            }
            Ok(())
        }

        /// A value starting with `c` (consumed); containers are pushed on `stack`.
        fn value(&mut self, c: char, stack: &mut Vec<Open>) -> Result<(), Fail> {
            match c {
                '"' => self.string(false),
                '{' | '[' => {
                    let kind = if c == '{' { Kind::Object } else { Kind::Array };
                    stack.push(Open { kind, line: self.line, row_start: self.row_start, at: self.pos - 1, entries: false });
                    Ok(())
                }
                't' => self.literal("true"),
                'f' => self.literal("false"),
                'n' => self.literal("null"),
                '-' | '0'..='9' => self.number(c),
                '}' => self.unexpected(c, "expected a value"),
                'N' | 'I' => {
                    let word = if c == 'N' { "NaN" } else { "Infinity" };
                    self.literal(word)?;
                    self.fail(format!("Non-standard token '{word}': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow"))
                }
                c if ident_start(c) => self.bad_token(self.pos - c.len_utf8()),
                c => self.unexpected(c, &format!("expected a valid value {VALID_VALUES}")),
            }
        }

        fn start_marker(&self, open: &Open) -> String {
            source(self.text, open.line, self.column(open.row_start, open.at))
        }

        fn run(&mut self) -> Result<(), Fail> {
            let mut stack: Vec<Open> = Vec::new();
            let Some(c) = self.skip_ws()? else { return Ok(()) };
            self.value(c, &mut stack)?;
            while let Some(open) = stack.last() {
                let (kind, entries) = (open.kind, open.entries);
                let Some(mut c) = self.skip_ws()? else {
                    let start = self.start_marker(open);
                    return self.eof(&format!(": expected close marker for {} (start marker at {start})", kind.desc()));
                };
                if c == ']' || c == '}' {
                    let expected = if matches!(kind, Kind::Object) { '}' } else { ']' };
                    if c != expected {
                        let start = self.start_marker(open);
                        return self.fail(format!("Unexpected close marker '{c}': expected '{expected}' (for {} starting at {start})", kind.desc()));
                    }
                    stack.pop();
                    continue;
                }
                if entries {
                    if c != ',' {
                        return self.unexpected(c, &format!("was expecting comma to separate {} entries", kind.desc()));
                    }
                    match self.skip_ws()? {
                        Some(n) => c = n,
                        None => return self.eof(&format!(" within/between {} entries", kind.desc())),
                    }
                }
                if let Some(top) = stack.last_mut() {
                    top.entries = true;
                }
                if matches!(kind, Kind::Object) {
                    if c != '"' {
                        return self.unexpected(c, "was expecting double-quote to start field name");
                    }
                    self.string(true)?;
                    match self.skip_ws()? {
                        Some(':') => {}
                        Some(other) => return self.unexpected(other, "was expecting a colon to separate field name and value"),
                        None => return self.eof(" within/between Object entries"),
                    }
                    match self.skip_ws()? {
                        Some(v) => c = v,
                        None => return self.eof(" within/between Object entries"),
                    }
                } else if c == ',' || c == ']' {
                    return self.unexpected(c, &format!("expected a valid value {VALID_VALUES}"));
                }
                self.value(c, &mut stack)?;
            }
            // [?] Jackson's readTree would ignore what follows the root value; AWS's answer for
            // trailing text is not recorded, and the engine could not parse it, so it is rejected.
            if let Some(c) = self.skip_ws()? {
                return self.unexpected(c, "expected end-of-input");
            }
            Ok(())
        }
    }

    /// The Jackson diagnostic for a syntax error in `text`, None if Jackson would parse it.
    pub fn check(text: &str) -> Option<Diagnostic> {
        let mut s = Scanner { text, bytes: text.as_bytes(), pos: 0, line: 1, row_start: 0 };
        match s.run() {
            Ok(()) => None,
            Err((message, line, column)) => Some(diagnostic(text, &message, line, column)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn diags(def: &Value, mt: MachineType) -> Vec<(String, String, String)> {
        let text = serde_json::to_string(def).expect("json");
        let by_text = validate_text(&text, mt);
        assert_eq!(by_text, validate_value(def, mt), "validate_text and validate_value disagree");
        by_text.into_iter().map(|d| (d.code, d.message, d.location.unwrap_or_default())).collect()
    }

    /// The one diagnostic of a STANDARD definition, as (message, location); SCHEMA code expected.
    fn only(def: Value) -> (String, String) {
        only_as(def, MachineType::Standard)
    }

    fn only_as(def: Value, mt: MachineType) -> (String, String) {
        let d = diags(&def, mt);
        assert_eq!(d.len(), 1, "expected one diagnostic, got {d:#?}");
        let (code, message, location) = d.into_iter().next().unwrap_or_default();
        assert_eq!(code, SCHEMA, "{message}");
        (message, location)
    }

    fn ok(def: Value) {
        assert_eq!(diags(&def, MachineType::Standard), vec![], "{def}");
    }

    /// A machine of one state `A`.
    fn one(state: Value) -> Value {
        json!({"StartAt": "A", "States": {"A": state}})
    }

    /// `state` with the fields of `extra` added.
    fn with(mut state: Value, extra: Value) -> Value {
        for (k, v) in extra.as_object().into_iter().flatten() {
            state[k] = v.clone();
        }
        state
    }

    fn pair(m: &str, l: &str) -> (String, String) {
        (m.to_string(), l.to_string())
    }

    const NOT_RECOGNIZED: &str = "is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.";

    #[test]
    fn recorded_messages() {
        assert_eq!(
            invalid_definition_message(&validate_text(r#"{"StartAt": "A"}"#, MachineType::Standard)),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'"
        );
        assert_eq!(
            invalid_definition_message(&validate_text(
                r#"{"StartAt": "pass1", "States": {"pass1": {"Type": "Pass", "Next": "pass3"}, "pass2": {"Type": "Pass", "End": true}}}"#,
                MachineType::Standard
            )),
            "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'"
        );
    }

    #[test]
    fn message_and_serialisation() {
        let d = validate_text("{}", MachineType::Standard);
        assert_eq!(
            serde_json::to_value(&d).unwrap_or_default(),
            json!([{"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED", "message": "These fields are required: [States, StartAt]", "location": "/"}])
        );
        let d = validate_text(" ", MachineType::Standard);
        assert_eq!(
            serde_json::to_value(&d).unwrap_or_default(),
            json!([{"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED", "message": "Definition must be a valid JSON object"}])
        );
        assert_eq!(invalid_definition_message(&d), "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object'");
        let j = validate_text("nope", MachineType::Standard);
        assert_eq!(
            invalid_definition_message(&j),
            "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: Unrecognized token 'nope': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"nope\"; line: 1, column: 5]'"
        );
        let warning = Diagnostic { severity: Severity::Warning, code: "NO_DOLLAR".into(), message: "w".into(), location: None };
        assert_eq!(invalid_definition_message(&[warning]), "Invalid State Machine Definition: ''");
    }

    #[test]
    fn not_an_object() {
        for text in ["", " \n\t\r ", "[]", "1", "\"x\"", "null", "[{\"StartAt\": \"A\"}]"] {
            let d = validate_text(text, MachineType::Standard);
            assert_eq!(d.len(), 1);
            assert_eq!((d[0].code.as_str(), d[0].message.as_str(), d[0].location.as_deref()), (SCHEMA, NOT_AN_OBJECT, None), "{text:?}");
        }
        assert_eq!(validate_value(&json!([1]), MachineType::Standard)[0].message, NOT_AN_OBJECT);
    }

    fn json_error(text: &str) -> (String, String) {
        let d = validate_text(text, MachineType::Standard);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, INVALID_JSON);
        let location = d[0].location.clone().unwrap_or_default();
        let message = d[0].message.strip_suffix(&format!("\n at {location}")).map(str::to_string);
        (message.unwrap_or_else(|| panic!("message does not end with the location: {:?}", d[0].message)), location)
    }

    fn src(text: &str, line: usize, column: usize) -> String {
        format!("[Source: (String)\"{text}\"; line: {line}, column: {column}]")
    }

    #[test]
    fn json_syntax_errors_in_jacksons_words() {
        const VALUES: &str = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
        // [rec]
        assert_eq!(json_error("not a definition"), (format!("Unrecognized token 'not': was expecting {VALUES}"), src("not a definition", 1, 4)));
        assert_eq!(
            json_error("{"),
            (format!("Unexpected end-of-input: expected close marker for Object (start marker at {})", src("{", 1, 1)), src("{", 1, 2))
        );
        assert_eq!(
            json_error(r#"{"a":1,}"#),
            ("Unexpected character ('}' (code 125)): was expecting double-quote to start field name".into(), src(r#"{"a":1,}"#, 1, 9))
        );
        assert_eq!(json_error(r#"{a:1}"#), ("Unexpected character ('a' (code 97)): was expecting double-quote to start field name".into(), src("{a:1}", 1, 3)));
        assert_eq!(
            json_error(r#"{"a" 1}"#),
            ("Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value".into(), src(r#"{"a" 1}"#, 1, 7))
        );
        assert_eq!(
            json_error(r#"{"a":1 "b":2}"#),
            ("Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries".into(), src(r#"{"a":1 "b":2}"#, 1, 9))
        );
        assert_eq!(json_error("[1,]"), (format!("Unexpected character (']' (code 93)): expected a valid value {VALUES}"), src("[1,]", 1, 5)));
        assert_eq!(json_error("[1 2]"), ("Unexpected character ('2' (code 50)): was expecting comma to separate Array entries".into(), src("[1 2]", 1, 5)));
        assert_eq!(json_error(r#"{"a": tru}"#), (format!("Unrecognized token 'tru': was expecting {VALUES}"), src(r#"{"a": tru}"#, 1, 10)));
        assert_eq!(json_error(r#"{"a": nullx}"#).0, format!("Unrecognized token 'nullx': was expecting {VALUES}"));
        assert_eq!(json_error(r#"{"a":"b"#), ("Unexpected end-of-input: was expecting closing quote for a string value".into(), src(r#"{"a":"b"#, 1, 8)));
        assert_eq!(json_error(r#"{"a"#).0, "Unexpected end-of-input in field name");
        assert_eq!(json_error(r#"{"a":"#).0, "Unexpected end-of-input within/between Object entries");
        assert_eq!(json_error(r#"{"a":1,"#).0, "Unexpected end-of-input within/between Object entries");
        assert_eq!(json_error("[1,").0, "Unexpected end-of-input within/between Array entries");
        assert_eq!(json_error(r#"{"a":}"#).0, "Unexpected character ('}' (code 125)): expected a value");
        assert_eq!(
            json_error(r#"{"a":1]"#),
            (format!("Unexpected close marker ']': expected '}}' (for Object starting at {})", src(r#"{"a":1]"#, 1, 1)), src(r#"{"a":1]"#, 1, 8))
        );
        assert_eq!(
            json_error("{\"a\":\"x\ty\"}").0,
            "Illegal unquoted character ((CTRL-CHAR, code 9)): has to be escaped using backslash to be included in string value"
        );
        assert_eq!(json_error(r#"{"a":"\x"}"#).0, "Unrecognized character escape 'x' (code 120)");
        assert_eq!(json_error(r#"{"a":"\u12g4"}"#).0, "Unexpected character ('g' (code 103)): expected a hex-digit for character escape sequence");
        assert_eq!(json_error(r#"{"a":01}"#).0, "Invalid numeric value: Leading zeroes not allowed");
        assert_eq!(
            json_error(r#"{"a":-x}"#).0,
            "Unexpected character ('x' (code 120)) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value"
        );
        assert_eq!(json_error(r#"{"a":1.}"#).0, "Unexpected character ('}' (code 125)) in numeric value: Decimal point not followed by a digit");
        assert_eq!(json_error(r#"{"a":1e}"#).0, "Unexpected character ('}' (code 125)) in numeric value: Exponent indicator not followed by a digit");
        assert_eq!(json_error(r#"{"a":'x'}"#).0, format!("Unexpected character (''' (code 39)): expected a valid value {VALUES}"));
        assert_eq!(json_error(r#"{"a":NaN}"#).0, "Non-standard token 'NaN': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow");
        assert_eq!(
            json_error("{/* c */}").0,
            "Unexpected character ('/' (code 47)): maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)"
        );
        assert_eq!(json_error("{\u{b}}").0, "Illegal character ((CTRL-CHAR, code 11)): only regular white space (\\r, \\n, \\t) is allowed between tokens");
        assert_eq!(json_error("{\"a\": \"\u{e9}\u{20ac}\", x}").0, "Unexpected character ('x' (code 120)): was expecting double-quote to start field name");
        assert_eq!(json_error("{\"a\": \u{20ac}}").0, format!("Unexpected character ('\u{20ac}' (code 8364 / 0x20ac)): expected a valid value {VALUES}"));
        assert_eq!(json_error("{} x").0, "Unexpected character ('x' (code 120)): expected end-of-input");
    }

    #[test]
    fn json_error_lines_and_truncation() {
        let text = "{\n  \"a\": x\n}";
        assert_eq!(json_error(text).1, src(text, 2, 9));
        let crlf = "{\r\n\"a\":\r\n x}";
        assert_eq!(json_error(crlf).1, src(crlf, 3, 3));
        let long = format!("{{\"a\": \"{}\", x}}", "b".repeat(600));
        let (_, location) = json_error(&long);
        let shown: String = long.chars().take(500).collect();
        assert_eq!(location, format!("[Source: (String)\"{shown}\"[truncated {} chars]; line: 1, column: {}]", long.chars().count() - 500, 600 + 12));
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(99_999));
        assert!(json_error(&deep).0.starts_with("Unexpected end-of-input: expected close marker for Array"));
    }

    #[test]
    fn the_page_form_of_a_long_syntax_error_is_short_and_keeps_line_and_column() {
        // A 2,000-character definition with an error on its last line.
        let states: Vec<String> = (0..40).map(|i| format!("\"S{i}\": {{\"Type\": \"Pass\", \"Next\": \"S{}\"}}", i + 1)).collect();
        let text = format!("{{\n  \"StartAt\": \"S0\",\n  \"States\": {{\n    {},\n    \"S40\": {{\"Type\": \"Succeed\"}} x\n}}", states.join(",\n    "));
        assert!(text.len() > 1500);
        let d = validate_text(&text, MachineType::Standard);
        assert_eq!(d.len(), 1);
        // The API's message is Jackson's, with 500 characters of the definition (as AWS's).
        assert!(d[0].message.contains("[truncated "), "{}", d[0].message);
        assert!(d[0].message.len() > 500);
        let short = short_diagnostic(&d[0]);
        assert_eq!((short.code.as_str(), short.severity), (INVALID_JSON, Severity::Error));
        assert!(short.message.len() < 250, "{} chars: {}", short.message.len(), short.message);
        // The error is on the line before the closing brace.
        let line = text.lines().count() - 1;
        let (message, location) = (&short.message, short.location.as_deref().unwrap_or_default());
        let at = d[0].location.as_deref().unwrap();
        let place = &at[at.rfind("; line: ").unwrap()..];
        assert_eq!(place, format!("; line: {line}, column: 33]"));
        assert_eq!(
            *message,
            format!("Unexpected character ('x' (code 120)): was expecting comma to separate Object entries\n at {location}")
        );
        assert_eq!(location, format!("[Source: (String)\"{{ \"StartAt\": \"S0\", \"States\": {{ \"S0\": {{\"Type\": \"Pass\", \"Next\"…\"{place}"));
        // The editor still finds the place from the short location.
        assert_eq!(crate::asl::locate::span_of(&text, location), crate::asl::locate::span_of(&text, d[0].location.as_deref().unwrap()));

        // Two excerpts (an unclosed object names where it started), both cut; a short text stays.
        let open = format!("{{\"Comment\": \"{}\"", "c".repeat(100));
        let d = validate_text(&open, MachineType::Standard);
        let short = short_diagnostic(&d[0]);
        assert_eq!(short.message.matches('…').count(), 2, "{}", short.message);
        assert_eq!(short.message.matches("[Source: (String)").count(), 2);
        assert!(short.message.contains("; line: 1, column: 1])") && short.message.ends_with(&format!("; line: 1, column: {}]", open.len() + 1)));
        let d = validate_text("{\"a\" 1}", MachineType::Standard);
        assert_eq!(short_diagnostic(&d[0]), d[0]);
        // Not a syntax error: nothing to shorten.
        let d = validate_text("{}", MachineType::Standard);
        assert_eq!(short_diagnostic(&d[0]), d[0]);
        // Quotes inside the excerpt, multi-byte characters at the cut.
        let s = format!("[Source: (String)\"{}\"x\"; line: 2, column: 3]", "é".repeat(70));
        assert_eq!(shorten_source_excerpts(&s), format!("[Source: (String)\"{}…\"; line: 2, column: 3]", "é".repeat(60)));
        let s = "[Source: (String)\"a\"b\"; line: 2, column: 3]";
        assert_eq!(shorten_source_excerpts(s), s);
    }

    #[test]
    fn top_level_fields() {
        assert_eq!(only(json!({})), pair("These fields are required: [States, StartAt]", "/"));
        assert_eq!(only(json!({"States": {}})), pair("These fields are required: [StartAt]", "/"));
        let base = one(json!({"Type": "Succeed"}));
        let top = |k: &str, v: Value| with(base.clone(), json!({k: v}));
        ok(top("Version", json!("1.0")));
        ok(top("Comment", json!("c")));
        ok(top("TimeoutSeconds", json!(60)));
        ok(top("QueryLanguage", json!("JSONata")));
        assert_eq!(only(top("Version", json!("2.0"))), pair("The field 'Version' should have one of these values: [1.0]", "/Version"));
        assert_eq!(only(top("TimeoutSeconds", json!(0))), pair("The value for the field 'TimeoutSeconds' must be between 1 and 99999999", "/TimeoutSeconds"));
        assert_eq!(only(top("TimeoutSeconds", json!("60"))), pair("The field 'TimeoutSeconds' must be an integer", "/TimeoutSeconds"));
        assert_eq!(
            only(top("QueryLanguage", json!("XPath"))),
            pair("The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]", "/QueryLanguage")
        );
        assert_eq!(only(top("Foo", json!(1))), pair("Field 'Foo' is not supported", "/"));
        assert_eq!(only(top("StartAt", json!(1))), pair("The field 'StartAt' must be a string", "/StartAt"));
        assert_eq!(only(json!({"StartAt": "A", "States": []})), pair("The field 'States' must be an object", "/States"));
        assert_eq!(only(json!({"StartAt": "A", "States": {"A": 1}})), pair("The field 'A' must be an object", "/States/A"));
    }

    #[test]
    fn types() {
        assert_eq!(only(one(json!({"End": true}))), pair("These fields are required: [Type]", "/States/A"));
        let msg = "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]";
        assert_eq!(only(one(json!({"Type": "Foo", "End": true}))), pair(msg, "/States/A/Type"));
        assert_eq!(only(one(json!({"Type": 3, "End": true}))), pair(msg, "/States/A/Type"));
        // A state with a bad type still counts for reachability.
        assert_eq!(only(json!({"StartAt": "A", "States": {"A": {"Type": "Foo", "Next": "B"}, "B": {"Type": "Succeed"}}})), pair(msg, "/States/A/Type"));
    }

    #[test]
    fn query_language() {
        let jsonata_machine = |state: Value| json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": state}});
        assert_eq!(
            only(jsonata_machine(json!({"Type": "Pass", "QueryLanguage": "JSONPath", "End": true}))),
            pair("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", "/States/A")
        );
        ok(jsonata_machine(json!({"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input %}", "End": true})));
        ok(one(json!({"Type": "Pass", "QueryLanguage": "JSONata", "Output": {"a": "{% 1 %}"}, "Assign": {"x": 1}, "End": true})));
        assert_eq!(
            only(one(json!({"Type": "Pass", "QueryLanguage": "SQL", "End": true}))),
            pair("The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]", "/States/A/QueryLanguage")
        );
        // [rec] VALID_QUERY_LANGUAGE_PASS: a JSONPath state inside a JSONata Map of a JSONPath machine.
        ok(json!({"StartAt": "Map", "QueryLanguage": "JSONPath", "States": {"Map": {"Type": "Map", "QueryLanguage": "JSONata",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Pass",
            "States": {"Pass": {"QueryLanguage": "JSONPath", "Type": "Pass", "End": true}}}, "End": true}}}));
        // Fields of the other language.
        for (field, value) in [
            ("Parameters", json!({})),
            ("InputPath", json!("$")),
            ("ResultPath", json!("$.r")),
            ("OutputPath", json!("$")),
            ("ResultSelector", json!({})),
            ("TimeoutSecondsPath", json!("$.t")),
        ] {
            let state = json!({"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke", field: value, "End": true});
            assert_eq!(only(one(state)), pair(&format!("Field '{field}' is not supported"), "/States/A"));
        }
        for (field, value) in [("Output", json!({})), ("Arguments", json!({}))] {
            let state = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", field: value, "End": true});
            assert_eq!(only(one(state)), pair(&format!("Field '{field}' is not supported"), "/States/A"));
        }
        assert_eq!(
            only(one(json!({"Type": "Pass", "QueryLanguage": "JSONata", "Result": 1, "End": true}))),
            pair("Field 'Result' is not supported", "/States/A")
        );
    }

    #[test]
    fn fields_per_state_type() {
        assert_eq!(only(one(json!({"Type": "Pass", "Foo": 1, "End": true}))), pair("Field 'Foo' is not supported", "/States/A"));
        assert_eq!(only(one(json!({"Type": "Pass", "Retry": [], "End": true}))), pair("Field 'Retry' is not supported", "/States/A"));
        assert_eq!(only(one(json!({"Type": "Succeed", "Next": "A"}))), pair("Field 'Next' is not supported", "/States/A"));
        assert_eq!(only(one(json!({"Type": "Succeed", "End": true}))), pair("Field 'End' is not supported", "/States/A"));
        assert_eq!(only(one(json!({"Type": "Fail", "End": true}))), pair("Field 'End' is not supported", "/States/A"));
        assert_eq!(only(one(json!({"Type": "Fail", "InputPath": "$"}))), pair("Field 'InputPath' is not supported", "/States/A"));
        assert_eq!(only(one(json!({"Type": "Wait", "Seconds": 1, "Parameters": {}, "End": true}))), pair("Field 'Parameters' is not supported", "/States/A"));
        // Message.$ at state level instead of inside Parameters [pub].
        assert_eq!(
            only(one(json!({"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Message.$": "$.m", "End": true}))),
            pair("Field 'Message.$' is not supported", "/States/A")
        );
        assert_eq!(only(one(json!({"Type": "Pass", "Comment": 1, "End": true}))), pair("The field 'Comment' must be a string", "/States/A/Comment"));
        ok(one(json!({"Type": "Pass", "Comment": "c", "InputPath": null, "OutputPath": null, "ResultPath": null, "Result": {"a": 1}, "End": true})));
        ok(one(json!({"Type": "Succeed", "InputPath": "$$.Execution", "OutputPath": "$.x"})));
        ok(one(json!({"Type": "Fail", "Error": "E", "Cause": "C", "Comment": "c"})));
    }

    #[test]
    fn next_and_end() {
        let both = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B", "End": true}, "B": {"Type": "Succeed"}}});
        assert_eq!(only(both), pair("There should only be one of the following fields: [Next, End]", "/States/A"));
        assert_eq!(only(one(json!({"Type": "Pass", "Result": 1}))), pair("This object should have only one of the following fields: [Next, End]", "/States/A"));
        let d = diags(&one(json!({"Type": "Pass", "End": "yes"})), MachineType::Standard);
        assert_eq!(d[0], (SCHEMA.to_string(), "The field 'End' must be a boolean".to_string(), "/States/A/End".to_string()));
        assert_eq!(
            only(one(json!({"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "A"}], "End": true}))).0,
            "Field 'End' is not supported"
        );
    }

    #[test]
    fn transitions_and_reachability() {
        let d = diags(&json!({"StartAt": "B", "States": {"A": {"Type": "Succeed"}}}), MachineType::Standard);
        assert_eq!(d, vec![(MISSING.to_string(), "Missing 'Next' target: B".to_string(), "/StartAt".to_string())]);
        let def = json!({"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "X"}], "Default": "Y"},
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Z"}], "End": true}}});
        let d = diags(&def, MachineType::Standard);
        assert_eq!(
            d,
            vec![
                (MISSING.into(), "Missing 'Next' target: X".into(), "/States/C/Choices[0]/Next".into()),
                (MISSING.into(), "Missing 'Next' target: Y".into(), "/States/C/Default".into()),
                (MISSING.into(), "Missing 'Next' target: Z".into(), "/States/T/Catch[0]/Next".into()),
                (MISSING.into(), "State \"T\" is not reachable.".into(), "/States/T".into()),
            ]
        );
        // Every kind of edge makes its target reachable; cycles are fine when there is an end.
        ok(json!({"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "T"}], "Default": "W"},
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}], "Next": "C"},
            "W": {"Type": "Wait", "Seconds": 1, "Next": "S"},
            "S": {"Type": "Succeed"}, "F": {"Type": "Fail"}}}));
        // Transitions stay inside their scope.
        let def = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel",
            "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "Out"}}}], "Next": "Out"}, "Out": {"Type": "Succeed"}}});
        let d = diags(&def, MachineType::Standard);
        assert_eq!(d, vec![(MISSING.into(), "Missing 'Next' target: Out".into(), "/States/P/Branches[0]/States/B/Next".into())]);
    }

    #[test]
    fn missing_end_state() {
        let looping = json!({"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 1, "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}});
        assert_eq!(diags(&looping, MachineType::Standard), vec![("MISSING_END_STATE".into(), "Workflow has no terminal state".into(), "/".into())]);
        let branch = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true,
            "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Pass", "Next": "B"}}}]}}});
        assert_eq!(
            diags(&branch, MachineType::Standard),
            vec![("MISSING_END_STATE".into(), "Workflow has no terminal state".into(), "/States/P/Branches[0]".into())]
        );
    }

    #[test]
    fn duplicate_state_names() {
        let branch = |n: &str| json!({"StartAt": n, "States": {n: {"Type": "Succeed"}}});
        let def = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [branch("X"), branch("X"), branch("P")], "End": true}}});
        assert_eq!(
            diags(&def, MachineType::Standard),
            vec![
                (DUPLICATE.into(), "Duplicate State name: X".into(), "/States/P/Branches[1]/States/X".into()),
                (DUPLICATE.into(), "Duplicate State name: P".into(), "/States/P/Branches[2]/States/P".into()),
            ]
        );
    }

    #[test]
    fn state_names() {
        let long = "n".repeat(81);
        let d = diags(&json!({"StartAt": long, "States": {long.clone(): {"Type": "Succeed"}}}), MachineType::Standard);
        assert_eq!(d, vec![("INVALID_STATE_NAME".into(), format!("State name '{long}' must be between 1 and 80 characters long"), format!("/States/{long}"))]);
        ok(json!({"StartAt": "Pet was Added Successfully?", "States": {"Pet was Added Successfully?": {"Type": "Succeed"}}}));
        ok(json!({"StartAt": "n".repeat(80), "States": {"n".repeat(80): {"Type": "Succeed"}}}));
    }

    #[test]
    fn choice() {
        let machine = |choice: Value| json!({"StartAt": "A", "States": {"A": choice, "E": {"Type": "Succeed"}}});
        let c = |choices: Value| machine(json!({"Type": "Choice", "Choices": choices, "Default": "E"}));
        assert_eq!(only(machine(json!({"Type": "Choice", "Default": "E"}))), pair("These fields are required: [Choices]", "/States/A"));
        assert_eq!(only(c(json!([]))), pair("Value cannot be empty", "/States/A/Choices"));
        assert_eq!(only(c(json!({}))), pair("The field 'Choices' must be an array", "/States/A/Choices"));
        assert_eq!(only(c(json!([{"Variable": "$.x", "IsNull": true}]))), pair("These fields are required: [Next]", "/States/A/Choices[0]"));
        assert_eq!(only(c(json!([{"Variable": "$.x", "IsNull": true, "Next": "A", "Foo": 1}]))), pair("Field 'Foo' is not supported", "/States/A/Choices[0]"));
        assert_eq!(
            only(c(json!([{"And": [{"Variable": "$.x", "IsNull": true, "Next": "A"}], "Next": "A"}]))),
            pair("Field 'Next' is not supported", "/States/A/Choices[0]/And[0]")
        );
        assert_eq!(
            only(c(json!([{"Not": {"Variable": "$.x", "IsNull": true, "Bar": 1}, "Next": "A"}]))),
            pair("Field 'Bar' is not supported", "/States/A/Choices[0]/Not")
        );
        assert_eq!(
            only(c(json!([{"Variable": "x", "IsNull": true, "Next": "A"}]))),
            pair("The value for the field 'Variable' must be a valid JSONPath", "/States/A/Choices[0]/Variable")
        );
        assert_eq!(
            only(c(json!([{"Variable": "$.x", "StringEqualsPath": "y", "Next": "A"}]))),
            pair("The value for the field 'StringEqualsPath' must be a valid JSONPath", "/States/A/Choices[0]/StringEqualsPath")
        );
        assert_eq!(
            only(c(json!([{"Variable": "$.x", "IsNull": true, "Next": "A", "Assign": {"v.$": "nope"}}]))),
            pair("The value for the field 'v.$' must be a valid JSONPath or a valid intrinsic function call", "/States/A/Choices[0]/Assign")
        );
        assert_eq!(only(c(json!([{"Variable": "$.x", "IsNull": true, "Next": "A", "Condition": true}]))).0, "Field 'Condition' is not supported");
        ok(c(json!([
            {"Variable": "$$.Execution.Id", "IsPresent": true, "Next": "A", "Comment": "c", "Assign": {"v": 1, "w.$": "$.x"}},
            {"Or": [{"Variable": "$var", "StringMatches": "a*"}, {"Not": {"Variable": "$.y", "NumericEqualsPath": "$.z"}}], "Next": "A"}
        ])));
        // JSONata rules.
        let j = |choices: Value| {
            machine(json!({"Type": "Choice", "QueryLanguage": "JSONata", "Choices": choices, "Default": "E", "Output": {}, "Assign": {"x": 1}}))
        };
        ok(j(json!([
            {"Condition": "{% $states.input.x %}", "Next": "A", "Output": {"a": 1}, "Assign": {"y": "{% 2 %}"}, "Comment": "c"},
            {"Condition": true, "Next": "A"}
        ])));
        assert_eq!(only(j(json!([{"Next": "A"}]))), pair("These fields are required: [Condition]", "/States/A/Choices[0]"));
        assert_eq!(only(j(json!([{"Condition": true, "Next": "A", "Variable": "$.x"}]))), pair("Field 'Variable' is not supported", "/States/A/Choices[0]"));
        assert_eq!(
            only(j(json!([{"Condition": "x > 1", "Next": "A"}]))),
            pair("The field 'Condition' must be a boolean or a JSONata expression", "/States/A/Choices[0]/Condition")
        );
    }

    #[test]
    fn wait() {
        let w = |fields: Value| one(with(json!({"Type": "Wait", "End": true}), fields));
        ok(w(json!({"Seconds": 0})));
        ok(w(json!({"Timestamp": "2016-03-14T01:59:00Z"})));
        ok(w(json!({"Timestamp": "2016-03-14T01:59:00.123456789+02:00"})));
        ok(w(json!({"SecondsPath": "$.s"})));
        ok(w(json!({"TimestampPath": "$var.t"})));
        let all = "[SecondsPath, Seconds, TimestampPath, Timestamp]";
        assert_eq!(only(w(json!({}))), pair(&format!("This object should have only one of the following fields: {all}"), "/States/A"));
        assert_eq!(
            only(w(json!({"Seconds": 1, "SecondsPath": "$.s"}))),
            pair(&format!("There should only be one of the following fields: {all}"), "/States/A")
        );
        for bad in [
            "2016-12-05 21:29:29Z",
            "2016-12-05T21:29:29",
            "2016-13-05T21:29:29Z",
            "2016-12-05T25:29:29Z",
            "05-12-2016T21:29:29Z",
            "{% '2016-03-14T01:59:00Z' %}",
        ] {
            assert_eq!(only(w(json!({"Timestamp": bad}))), pair("String does not match RFC3339 timestamp", "/States/A/Timestamp"), "{bad}");
        }
        assert_eq!(only(w(json!({"Seconds": -1}))), pair("The value for the field 'Seconds' must be greater than or equal to 0", "/States/A/Seconds"));
        assert_eq!(only(w(json!({"Seconds": 1.5}))), pair("The field 'Seconds' must be an integer", "/States/A/Seconds"));
        assert_eq!(
            only(w(json!({"SecondsPath": "$.a[*]"}))),
            pair("The value for the field 'SecondsPath' must be a valid ReferencePath", "/States/A/SecondsPath")
        );
        // JSONata.
        let jw = |fields: Value| one(with(json!({"Type": "Wait", "QueryLanguage": "JSONata", "End": true}), fields));
        ok(jw(json!({"Seconds": "{% $states.input.s %}"})));
        ok(jw(json!({"Timestamp": "{% $now() %}"})));
        ok(jw(json!({"Timestamp": "2016-03-14T01:59:00Z"})));
        assert_eq!(only(jw(json!({}))), pair("This object should have only one of the following fields: [Seconds, Timestamp]", "/States/A"));
        assert_eq!(only(jw(json!({"Timestamp": "tomorrow"}))).0, "String does not match RFC3339 timestamp");
        let d = diags(&jw(json!({"SecondsPath": "$.s"})), MachineType::Standard);
        assert_eq!(d[0], (SCHEMA.into(), "Field 'SecondsPath' is not supported".into(), "/States/A".into()));
        assert_eq!(d[1].1, "This object should have only one of the following fields: [Seconds, Timestamp]");
    }

    #[test]
    fn fail() {
        ok(one(json!({"Type": "Fail", "ErrorPath": "$.e", "CausePath": "States.Format('{} failed', $.name)"})));
        ok(one(json!({"Type": "Fail", "QueryLanguage": "JSONata", "Error": "{% 'E' %}", "Cause": "c"})));
        assert_eq!(
            only(one(json!({"Type": "Fail", "Error": "E", "ErrorPath": "$.e"}))),
            pair("There should only be one of the following fields: [Error, ErrorPath]", "/States/A")
        );
        assert_eq!(
            only(one(json!({"Type": "Fail", "Cause": "C", "CausePath": "$.c"}))),
            pair("There should only be one of the following fields: [Cause, CausePath]", "/States/A")
        );
        assert_eq!(
            only(one(json!({"Type": "Fail", "CausePath": "cause"}))),
            pair("The value for the field 'CausePath' must be a valid JSONPath or a valid intrinsic function call", "/States/A/CausePath")
        );
        assert_eq!(only(one(json!({"Type": "Fail", "Error": 1}))), pair("The field 'Error' must be a string", "/States/A/Error"));
    }

    fn task(resource: &str) -> Value {
        one(json!({"Type": "Task", "Resource": resource, "End": true}))
    }

    #[test]
    fn task_resources() {
        for r in [
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "arn:aws:states:::states:startExecution.sync:2",
            "arn:aws:states:::states:startExecution.sync",
            "arn:aws:states:::ecs:runTask.sync",
            "arn:aws:states:::glue:startJobRun.sync",
            "arn:aws:states:::dynamodb:putItem",
            "arn:aws:states:::http:invoke",
            "arn:aws:states:::aws-sdk:s3:listBuckets",
            "arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken",
            "arn:aws-cn:states:::aws-sdk:dynamodb:query",
            "arn:aws:lambda:us-east-1:123456789012:function:my-fn",
            "arn:aws:lambda:us-east-1:123456789012:function:my-fn:$LATEST",
            "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f:prod",
            "arn:aws:states:us-east-1:123456789012:activity:my-activity",
            "<<opaque:function_arn>>",
            "<<opaque:create_1_res[CreateFunctionResponse][FunctionArn]>>",
        ] {
            ok(task(r));
        }
        assert_eq!(only(task("createToken")), pair("Value is not a valid resource ARN", "/States/A/Resource"));
        for r in [
            "arn:aws:states:::dynamodb:query",
            "arn:aws:states:::lambda:invoke.sync",
            "arn:aws:states:::sns:publish.sync",
            "arn:aws:states:::ecs:runTask.sync:2",
            "arn:aws:states:::aws-sdk:s3:listBuckets.sync",
            "arn:aws:states:::s3:getObject",
            "arn:aws:states:::foo:bar",
            "arn:aws:states:::aws-sdk:s3",
            "arn:aws:states:us-east-1:123456789012:stateMachine:x",
            "arn:aws:sns:us-east-1:123456789012:topic",
            "arn:foo:states:::lambda:invoke",
            "arn:aws:lambda:us-east-1:123:function:f",
        ] {
            assert_eq!(only(task(r)), pair(&format!("The resource provided {r} {NOT_RECOGNIZED}"), "/States/A/Resource"), "{r}");
        }
        assert_eq!(only(one(json!({"Type": "Task", "End": true}))), pair("These fields are required: [Resource]", "/States/A"));
        assert_eq!(only(one(json!({"Type": "Task", "Resource": 1, "End": true}))), pair("The field 'Resource' must be a string", "/States/A/Resource"));
    }

    #[test]
    fn express_restrictions() {
        let x = |r: &str| only_as(task(r), MachineType::Express);
        assert_eq!(
            x("arn:aws:states:::sns:publish.waitForTaskToken"),
            pair("Express state machine does not support '.waitForTaskToken' service integration ", "/States/A/Resource")
        );
        assert_eq!(
            x("arn:aws:states:::states:startExecution.sync"),
            pair("Express state machine does not support '.sync' service integration", "/States/A/Resource")
        );
        assert_eq!(x("arn:aws:states:::states:startExecution.sync:2").0, "Express state machine does not support '.sync' service integration");
        assert_eq!(x("arn:aws:states:us-east-1:123456789012:activity:a"), pair("Express state machine does not support Activity ARN", "/States/A/Resource"));
        assert_eq!(x("<<opaque:activity_arn>>").0, "Express state machine does not support Activity ARN");
        assert_eq!(diags(&task("arn:aws:states:::lambda:invoke"), MachineType::Express), vec![]);
        // A Distributed Map whose children are EXPRESS executions, in a STANDARD machine.
        let map = |execution_type: &str| {
            json!({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": execution_type}, "StartAt": "T",
                "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}}}}})
        };
        ok(map("STANDARD"));
        assert_eq!(only(map("EXPRESS")).1, "/States/M/ItemProcessor/States/T/Resource");
    }

    #[test]
    fn task_fields() {
        let t = |extra: Value| one(with(json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}), extra));
        ok(t(json!({"TimeoutSeconds": 10, "HeartbeatSeconds": 5, "ResultSelector": {"a.$": "$.Payload"}, "ResultPath": "$.r",
            "Parameters": {"FunctionName": "f", "Payload.$": "$"}})));
        ok(t(json!({"TimeoutSecondsPath": "$.t", "HeartbeatSecondsPath": "$.h", "Credentials": {"RoleArn.$": "$.role"}})));
        assert_eq!(
            only(t(json!({"TimeoutSeconds": 0}))),
            pair("The value for the field 'TimeoutSeconds' must be between 1 and 99999999", "/States/A/TimeoutSeconds")
        );
        assert_eq!(only(t(json!({"HeartbeatSeconds": 100000000}))).1, "/States/A/HeartbeatSeconds");
        assert_eq!(
            only(t(json!({"TimeoutSeconds": 5, "HeartbeatSeconds": 5}))),
            pair("The value for the field 'HeartbeatSeconds' must be smaller than the value for the field 'TimeoutSeconds'", "/States/A/HeartbeatSeconds")
        );
        assert_eq!(
            only(t(json!({"TimeoutSeconds": 5, "TimeoutSecondsPath": "$.t"}))),
            pair("There should only be one of the following fields: [TimeoutSeconds, TimeoutSecondsPath]", "/States/A")
        );
        assert_eq!(
            only(t(json!({"ResultPath": "$.a[*]"}))),
            pair("The value for the field 'ResultPath' must be a valid ReferencePath", "/States/A/ResultPath")
        );
        assert_eq!(only(t(json!({"InputPath": "a"}))), pair("The value for the field 'InputPath' must be a valid JSONPath", "/States/A/InputPath"));
        // [rec] EMPTY_CREDENTIALS and INVALID_CREDENTIALS_FIELD.
        assert_eq!(only(t(json!({"Credentials": {}}))), pair("The field 'RoleArn' is required but was missing", "/States/A/Credentials"));
        assert_eq!(
            only(t(json!({"Credentials": {"InvalidField": "invalid"}}))),
            pair("The field 'RoleArn' is required but was missing", "/States/A/Credentials")
        );
        assert_eq!(
            only(t(json!({"Credentials": {"RoleArn.$": "role"}}))),
            pair("The value for the field 'RoleArn.$' must be a valid JSONPath or a valid intrinsic function call", "/States/A/Credentials")
        );
        // JSONata.
        ok(one(json!({"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": "{% $states.input %}",
            "Credentials": {"RoleArn": "{% $role %}"}, "TimeoutSeconds": "{% 10 %}", "HeartbeatSeconds": 3, "Output": "{% $states.result %}", "End": true})));
    }

    #[test]
    fn retry() {
        let r = |retry: Value| one(json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": retry, "End": true}));
        ok(r(json!([
            {"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 3, "MaxAttempts": 0, "BackoffRate": 1.5, "MaxDelaySeconds": 10, "JitterStrategy": "FULL", "Comment": "c"},
            {"ErrorEquals": ["States.ALL"]}
        ])));
        assert_eq!(only(r(json!([{"MaxAttempts": 1}]))), pair("These fields are required: [ErrorEquals]", "/States/A/Retry[0]"));
        assert_eq!(only(r(json!([{"ErrorEquals": []}]))), pair("Value cannot be empty", "/States/A/Retry[0]/ErrorEquals"));
        let all = "States.ALL must appear alone and at end of list";
        assert_eq!(only(r(json!([{"ErrorEquals": ["States.ALL", "E"]}]))), pair(all, "/States/A/Retry[0]/ErrorEquals"));
        assert_eq!(only(r(json!([{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["E"]}]))), pair(all, "/States/A/Retry[0]/ErrorEquals"));
        assert_eq!(
            only(r(json!([{"ErrorEquals": ["E"], "IntervalSeconds": 0}]))),
            pair("The value for the field 'IntervalSeconds' must be between 1 and 99999999", "/States/A/Retry[0]/IntervalSeconds")
        );
        assert_eq!(
            only(r(json!([{"ErrorEquals": ["E"], "MaxAttempts": -1}]))),
            pair("The value for the field 'MaxAttempts' must be between 0 and 99999999", "/States/A/Retry[0]/MaxAttempts")
        );
        assert_eq!(
            only(r(json!([{"ErrorEquals": ["E"], "BackoffRate": 0.5}]))),
            pair("The value for the field 'BackoffRate' must be greater than or equal to 1.0", "/States/A/Retry[0]/BackoffRate")
        );
        assert_eq!(only(r(json!([{"ErrorEquals": ["E"], "MaxDelaySeconds": 31622401}]))).1, "/States/A/Retry[0]/MaxDelaySeconds");
        ok(r(json!([{"ErrorEquals": ["E"], "MaxDelaySeconds": 31622400}])));
        assert_eq!(
            only(r(json!([{"ErrorEquals": ["E"], "JitterStrategy": "SOME"}]))),
            pair("The field 'JitterStrategy' should have one of these values: [FULL, NONE]", "/States/A/Retry[0]/JitterStrategy")
        );
        assert_eq!(only(r(json!([{"ErrorEquals": ["E"], "_comment": "x"}]))), pair("Field '_comment' is not supported", "/States/A/Retry[0]"));
        assert_eq!(only(r(json!({}))), pair("The field 'Retry' must be an array", "/States/A/Retry"));
    }

    #[test]
    fn catch() {
        let c = |catch: Value| {
            json!({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": catch, "End": true},
                "H": {"Type": "Succeed"}}})
        };
        ok(c(json!([
            {"ErrorEquals": ["E"], "Next": "H", "ResultPath": "$.error", "Comment": "c", "Assign": {"x.$": "$.Cause"}},
            {"ErrorEquals": ["States.ALL"], "Next": "H", "ResultPath": null}
        ])));
        assert_eq!(
            only(c(json!([{"ErrorEquals": ["E"], "Next": "H"}, {"ErrorEquals": ["States.ALL"]}]))),
            pair("These fields are required: [Next]", "/States/A/Catch[1]")
        );
        // [pub] "Field '_comment' is not supported at /States/.../Catch[0]".
        assert_eq!(only(c(json!([{"ErrorEquals": ["E"], "Next": "H", "_comment": "x"}]))), pair("Field '_comment' is not supported", "/States/A/Catch[0]"));
        assert_eq!(only(c(json!([{"ErrorEquals": ["E"], "Next": "H", "Output": {}}]))), pair("Field 'Output' is not supported", "/States/A/Catch[0]"));
        assert_eq!(
            only(c(json!([{"ErrorEquals": ["E"], "Next": "H", "ResultPath": "$.."}]))),
            pair("The value for the field 'ResultPath' must be a valid ReferencePath", "/States/A/Catch[0]/ResultPath")
        );
        assert_eq!(only(c(json!([{"ErrorEquals": ["States.ALL", "E"], "Next": "H"}]))).1, "/States/A/Catch[0]/ErrorEquals");
        let j = json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H", "Output": "{% $states.errorOutput %}", "Assign": {"e": "{% $states.errorOutput %}"}}],
            "End": true}, "H": {"Type": "Succeed"}}});
        ok(j.clone());
        let mut bad = j;
        bad["States"]["A"]["Catch"][0]["ResultPath"] = json!("$.e");
        assert_eq!(only(bad), pair("Field 'ResultPath' is not supported", "/States/A/Catch[0]"));
    }

    #[test]
    fn parallel() {
        let p = |branches: Value| one(json!({"Type": "Parallel", "Branches": branches, "End": true}));
        ok(p(json!([{"StartAt": "B", "Comment": "c", "States": {"B": {"Type": "Succeed"}}}])));
        assert_eq!(only(one(json!({"Type": "Parallel", "End": true}))), pair("These fields are required: [Branches]", "/States/A"));
        // [rec]
        assert_eq!(only(p(json!([]))), pair("Value cannot be empty", "/States/A/Branches"));
        assert_eq!(only(p(json!([{"States": {"B": {"Type": "Succeed"}}}]))), pair("These fields are required: [StartAt]", "/States/A/Branches[0]"));
        assert_eq!(
            only(p(json!([{"StartAt": "B", "QueryLanguage": "JSONata", "States": {"B": {"Type": "Succeed"}}}]))),
            pair("Field 'QueryLanguage' is not supported", "/States/A/Branches[0]")
        );
        assert_eq!(only(p(json!([1]))), pair("The field 'Branches[0]' must be an object", "/States/A/Branches[0]"));
        assert_eq!(
            only(p(json!([{"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": 1, "Next": "C"}, "C": {"Type": "Bogus"}}}]))),
            pair(
                "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]",
                "/States/A/Branches[0]/States/C/Type"
            )
        );
        ok(one(json!({"Type": "Parallel", "QueryLanguage": "JSONata", "Arguments": {"a": 1}, "Output": "{% $states.result %}",
            "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}], "End": true})));
    }

    fn map(extra: Value) -> Value {
        one(with(json!({"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}), extra))
    }

    fn distributed(extra: Value) -> Value {
        let mut m = map(extra);
        m["States"]["A"]["ItemProcessor"]["ProcessorConfig"] = json!({"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"});
        m
    }

    #[test]
    fn map_state() {
        ok(map(json!({"ItemsPath": "$.items", "ItemSelector": {"v.$": "$$.Map.Item.Value"}, "MaxConcurrency": 0, "ResultPath": "$.out",
            "ToleratedFailureCount": 1})));
        ok(map(json!({"MaxConcurrencyPath": "$.c", "ItemsPath": "$items"})));
        ok(distributed(json!({"Label": "my-label_1.x", "ToleratedFailurePercentage": 5.5,
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": 10},
                "Parameters": {"Bucket.$": "$.b", "Key": "k"}},
            "ItemBatcher": {"MaxItemsPerBatch": 10, "BatchInput": {"x.$": "$.y"}},
            "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "p"}}})));
        // Legacy Iterator with Parameters.
        ok(one(
            json!({"Type": "Map", "Iterator": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "Parameters": {"i.$": "$$.Map.Item.Index"}, "End": true}),
        ));
        let mut neither = map(json!({}));
        if let Some(s) = neither["States"]["A"].as_object_mut() {
            s.remove("ItemProcessor");
        }
        assert_eq!(only(neither), pair("This object should have only one of the following fields: [ItemProcessor, Iterator]", "/States/A"));
        let both = map(json!({"Iterator": {"StartAt": "J", "States": {"J": {"Type": "Succeed"}}}}));
        assert_eq!(only(both), pair("There should only be one of the following fields: [ItemProcessor, Iterator]", "/States/A"));
        assert_eq!(
            only(map(json!({"MaxConcurrency": -1}))),
            pair("The value for the field 'MaxConcurrency' must be greater than or equal to 0", "/States/A/MaxConcurrency")
        );
        assert_eq!(
            only(map(json!({"ItemsPath": "$.items[*]"}))),
            pair("The value for the field 'ItemsPath' must be a valid ReferencePath", "/States/A/ItemsPath")
        );
        assert_eq!(only(map(json!({"ItemReader": {"Resource": "arn:aws:states:::s3:getObject"}}))), pair("Field 'ItemReader' is not supported", "/States/A"));
        assert_eq!(only(map(json!({"ItemSelector": {"v.$": "Map.Item"}}))).1, "/States/A/ItemSelector");
        assert_eq!(
            only(map(json!({"ToleratedFailurePercentage": 101}))),
            pair("The value for the field 'ToleratedFailurePercentage' must be between 0 and 100", "/States/A/ToleratedFailurePercentage")
        );
        assert_eq!(
            only(distributed(json!({"ItemReader": {"Resource": "arn:aws:states:::s3:putObject"}}))),
            pair(&format!("The resource provided arn:aws:states:::s3:putObject {NOT_RECOGNIZED}"), "/States/A/ItemReader/Resource")
        );
        assert_eq!(
            only(distributed(json!({"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "XML"}}}))),
            pair("The field 'InputType' should have one of these values: [CSV, JSON, JSONL, MANIFEST, PARQUET]", "/States/A/ItemReader/ReaderConfig/InputType")
        );
        // JSONata Map.
        ok(one(
            json!({"Type": "Map", "QueryLanguage": "JSONata", "Items": "{% $states.input.xs %}", "ItemSelector": {"v": "{% $states.context.Map.Item.Value %}"},
            "MaxConcurrency": "{% 2 %}", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "Output": {}, "End": true}),
        ));
        assert_eq!(
            only(one(json!({"Type": "Map", "QueryLanguage": "JSONata", "ItemsPath": "$.x",
                "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "End": true}))),
            pair("Field 'ItemsPath' is not supported", "/States/A")
        );
    }

    #[test]
    fn processor_config() {
        let cfg = |c: Value| {
            let mut m = map(json!({}));
            m["States"]["A"]["ItemProcessor"]["ProcessorConfig"] = c;
            m
        };
        ok(cfg(json!({"Mode": "INLINE"})));
        ok(cfg(json!({})));
        ok(cfg(json!({"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"})));
        assert_eq!(
            only(cfg(json!({"Mode": "PARALLEL"}))),
            pair("The field 'Mode' should have one of these values: [INLINE, DISTRIBUTED]", "/States/A/ItemProcessor/ProcessorConfig/Mode")
        );
        assert_eq!(only(cfg(json!({"Mode": "DISTRIBUTED"}))), pair("These fields are required: [ExecutionType]", "/States/A/ItemProcessor/ProcessorConfig"));
        assert_eq!(
            only(cfg(json!({"Mode": "INLINE", "ExecutionType": "STANDARD"}))),
            pair("Field 'ExecutionType' is not supported", "/States/A/ItemProcessor/ProcessorConfig")
        );
        assert_eq!(
            only(cfg(json!({"Mode": "DISTRIBUTED", "ExecutionType": "FAST"}))),
            pair("The field 'ExecutionType' should have one of these values: [STANDARD, EXPRESS]", "/States/A/ItemProcessor/ProcessorConfig/ExecutionType")
        );
        let mut branch =
            one(json!({"Type": "Parallel", "Branches": [{"StartAt": "B", "ProcessorConfig": {}, "States": {"B": {"Type": "Succeed"}}}], "End": true}));
        assert_eq!(only(branch.clone()), pair("Field 'ProcessorConfig' is not supported", "/States/A/Branches[0]"));
        if let Some(b) = branch["States"]["A"]["Branches"][0].as_object_mut() {
            b.remove("ProcessorConfig");
        }
        ok(branch);
    }

    #[test]
    fn map_label() {
        let label = |l: &str| only(distributed(json!({"Label": l})));
        assert_eq!(label(""), pair("Label cannot be empty", "/States/A/Label"));
        assert_eq!(label(&"1".repeat(41)), pair("Label cannot exceed 40 characters", "/States/A/Label"));
        ok(distributed(json!({"Label": "1".repeat(40)})));
        for c in ['?', '*', '<', '>', '{', '}', '[', ']', ':', ';', ',', '\\', '|', '^', '~', '$', '#', '%', '&', '`', '"', '/', ' '] {
            assert_eq!(label(&format!("label_{c}")), pair(&format!("Label contains invalid character: '{c}'"), "/States/A/Label"));
        }
        assert_eq!(label("label_\u{8d}").0, "Label contains invalid character: '\\u{8d}'");
        assert_eq!(label("label_\u{1}").0, "Label contains invalid character: '\\u{1}'");
    }

    #[test]
    fn payload_templates() {
        let pass = |params: Value| one(json!({"Type": "Pass", "Parameters": params, "End": true}));
        ok(pass(json!({"a.$": "$.x", "b": "$.literal", "c": {"d.$": "$$.Execution.Id", "e": [{"f.$": "$var.y"}]}, "g.$": "States.Format('{}', $.z)"})));
        let msg = |k: &str| format!("The value for the field '{k}' must be a valid JSONPath or a valid intrinsic function call");
        assert_eq!(only(pass(json!({"a.$": "x"}))), pair(&msg("a.$"), "/States/A/Parameters"));
        assert_eq!(only(pass(json!({"c": {"d": [{"e.$": 1}]}}))), pair(&msg("e.$"), "/States/A/Parameters"));
        assert_eq!(only(pass(json!({"a.$": "States.Format('{}', $.z"}))), pair(&msg("a.$"), "/States/A/Parameters"));
        // [rec] ESCAPE_SEQUENCES_ILLEGAL_INTRINSIC_FUNCTION.
        assert_eq!(
            only(pass(json!({"parsed.$": "States.StringToJson('{\"text\":\"An \\\"escaped double quote\\\" here\"}')"}))),
            pair(&msg("parsed.$"), "/States/A/Parameters")
        );
        let task = |field: &str, v: Value| one(json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", field: v, "End": true}));
        assert_eq!(only(task("ResultSelector", json!({"r.$": "?"}))), pair(&msg("r.$"), "/States/A/ResultSelector"));
        assert_eq!(only(task("Parameters", json!({"p.$": ""}))), pair(&msg("p.$"), "/States/A/Parameters"));
        // JSONata states take `.$`-free values as they are.
        ok(one(json!({"Type": "Pass", "QueryLanguage": "JSONata", "Output": {"a.$": "x"}, "End": true})));
    }

    #[test]
    fn assign() {
        let a = |assign: Value| one(json!({"Type": "Pass", "Assign": assign, "End": true}));
        ok(a(json!({"x": 1, "y.$": "$.y", "z": {"w.$": "$$.State.Name"}, "_u": "s", "caf\u{e9}": 2, "a1": [1]})));
        ok(a(json!({"n".repeat(80): 1})));
        let invalid = |n: &str| format!("Invalid variable name '{n}': the variable name contains invalid characters.");
        assert_eq!(only(a(json!({"x.y": 1}))), pair(&invalid("x.y"), "/States/A/Assign"));
        assert_eq!(only(a(json!({"x[2]": 1}))), pair(&invalid("x[2]"), "/States/A/Assign"));
        assert_eq!(only(a(json!({"": 1}))), pair(&invalid(""), "/States/A/Assign"));
        let long = "n".repeat(81);
        assert_eq!(
            only(a(json!({long.clone(): 1}))),
            pair(&format!("Invalid variable name '{long}': the variable name exceeds 80 characters."), "/States/A/Assign")
        );
        assert_eq!(only(a(json!({"states": 1}))), pair("Cannot assign to reserved variable '$states'.", "/States/A/Assign"));
        assert_eq!(
            only(a(json!({"x.$": "nope"}))),
            pair("The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call", "/States/A/Assign")
        );
        assert_eq!(only(a(json!([1]))), pair("The field 'Assign' must be an object", "/States/A/Assign"));
        let j = |assign: Value| one(json!({"Type": "Pass", "QueryLanguage": "JSONata", "Assign": assign, "End": true}));
        ok(j(json!({"x": "{% $states.input %}", "y": {"z": [1]}})));
        assert_eq!(only(j(json!({"x.$": "$.y"}))).0, invalid("x.$"));
    }

    #[test]
    fn several_problems_at_once() {
        let def = json!({"StartAt": "A", "Bogus": 1, "States": {
            "A": {"Type": "Pass", "Next": "Gone", "Foo": 1},
            "B": {"Type": "Wait", "End": true},
            "C": {"Type": "Parallel", "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}], "End": true}}});
        let got: Vec<String> = validate_text(&def.to_string(), MachineType::Standard)
            .iter()
            .map(|d| format!("{}: {} at {}", d.code, d.message, d.location.clone().unwrap_or_default()))
            .collect();
        assert_eq!(
            got,
            vec![
                "SCHEMA_VALIDATION_FAILED: Field 'Bogus' is not supported at /",
                "SCHEMA_VALIDATION_FAILED: Field 'Foo' is not supported at /States/A",
                "SCHEMA_VALIDATION_FAILED: This object should have only one of the following fields: [SecondsPath, Seconds, TimestampPath, Timestamp] at /States/B",
                "DUPLICATE_STATE_NAME: Duplicate State name: A at /States/C/Branches[0]/States/A",
                "MISSING_TRANSITION_TARGET: Missing 'Next' target: Gone at /States/A/Next",
                "MISSING_TRANSITION_TARGET: State \"B\" is not reachable. at /States/B",
                "MISSING_TRANSITION_TARGET: State \"C\" is not reachable. at /States/C",
            ]
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        // Parallel inside Parallel, 40 deep (serde_json's own limit is 128 levels of JSON).
        let mut def = json!({"StartAt": "S", "States": {"S": {"Type": "Succeed"}}});
        for i in 0..40 {
            def = json!({"StartAt": format!("P{i}"), "States": {format!("P{i}"): {"Type": "Parallel", "Branches": [def], "End": true}}});
        }
        let d = validate_value(&def, MachineType::Standard);
        assert!(d.iter().all(|d| d.code != SCHEMA), "{d:?}");
        let _ = validate_text(&def.to_string(), MachineType::Standard);
        let nested =
            format!("{{\"StartAt\":\"A\",\"States\":{{\"A\":{{\"Type\":\"Pass\",\"Parameters\":{}1{},\"End\":true}}}}}}", "[".repeat(120), "]".repeat(120));
        assert_eq!(validate_text(&nested, MachineType::Standard), vec![]);
        let too_deep = format!("{{\"a\":{}1{}}}", "[".repeat(5000), "]".repeat(5000));
        assert_eq!(validate_text(&too_deep, MachineType::Standard)[0].code, INVALID_JSON);
    }

    fn chain(n: usize) -> String {
        let mut states = Map::new();
        for i in 0..n {
            let s = if i + 1 == n {
                json!({"Type": "Succeed"})
            } else {
                json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"Payload.$": "$", "FunctionName": "f"},
                    "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}], "ResultPath": "$.r", "Next": format!("S{}", i + 1)})
            };
            states.insert(format!("S{i}"), s);
        }
        json!({"StartAt": "S0", "States": states}).to_string()
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_long_chain_is_fast() {
        let text = chain(1000);
        assert_eq!(validate_text(&text, MachineType::Standard), vec![]);
        let runs = 5;
        let started = std::time::Instant::now();
        for _ in 0..runs {
            assert!(validate_text(&text, MachineType::Standard).is_empty());
        }
        let each = started.elapsed() / runs;
        // Release builds take about a millisecond; the bound is loose for debug builds on a busy machine.
        assert!(each.as_millis() < 500, "{each:?} for 1,000 states");
        // Linear, not quadratic: 4x the states stays well under 16x the time.
        let big = chain(4000);
        let started = std::time::Instant::now();
        assert!(validate_text(&big, MachineType::Standard).is_empty());
        assert!(started.elapsed() < each * 10 + std::time::Duration::from_millis(50), "{:?} vs {each:?}", started.elapsed());
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod fuzz {
        use super::super::*;
        use proptest::prelude::*;
        use serde_json::json;

        fn arb_json() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(|i| json!(i)),
                (-1e6f64..1e6).prop_map(|f| json!(f)),
                "[$@.*a-zA-Z0-9 {}%'(),\\[\\]:<>?-]{0,12}".prop_map(Value::String),
                prop::sample::select(vec![
                    "$",
                    "$.a",
                    "$$.Execution.Id",
                    "$x",
                    "States.Format('{}', $.a)",
                    "{% 1 %}",
                    "2016-03-14T01:59:00Z",
                    "States.ALL",
                    "DISTRIBUTED",
                    "EXPRESS",
                    "arn:aws:states:::lambda:invoke.sync",
                    "arn:aws:states:us-east-1:123456789012:activity:a",
                    "S0",
                ])
                .prop_map(|s| Value::String(s.to_string())),
            ];
            leaf.prop_recursive(4, 48, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                    prop::collection::vec((field_name(), inner), 0..5).prop_map(|kv| Value::Object(kv.into_iter().collect())),
                ]
            })
        }

        fn field_name() -> impl Strategy<Value = String> {
            prop_oneof![
                prop::sample::select(vec![
                    "Type",
                    "Next",
                    "End",
                    "Comment",
                    "QueryLanguage",
                    "InputPath",
                    "OutputPath",
                    "ResultPath",
                    "Parameters",
                    "ResultSelector",
                    "Result",
                    "Retry",
                    "Catch",
                    "Assign",
                    "Output",
                    "Arguments",
                    "Resource",
                    "TimeoutSeconds",
                    "HeartbeatSeconds",
                    "TimeoutSecondsPath",
                    "Credentials",
                    "Choices",
                    "Default",
                    "Variable",
                    "And",
                    "Or",
                    "Not",
                    "Condition",
                    "StringEquals",
                    "IsPresent",
                    "NumericEqualsPath",
                    "Seconds",
                    "Timestamp",
                    "SecondsPath",
                    "Error",
                    "Cause",
                    "ErrorPath",
                    "Branches",
                    "ItemProcessor",
                    "Iterator",
                    "ProcessorConfig",
                    "Mode",
                    "ExecutionType",
                    "ItemsPath",
                    "Items",
                    "ItemSelector",
                    "ItemReader",
                    "ReaderConfig",
                    "ItemBatcher",
                    "ResultWriter",
                    "WriterConfig",
                    "MaxConcurrency",
                    "ToleratedFailurePercentage",
                    "Label",
                    "ErrorEquals",
                    "IntervalSeconds",
                    "MaxAttempts",
                    "BackoffRate",
                    "MaxDelaySeconds",
                    "JitterStrategy",
                    "RoleArn",
                    "StartAt",
                    "States",
                    "a.$",
                    "x",
                    "Version",
                ])
                .prop_map(str::to_string),
                "[a-zA-Z.$]{0,6}",
            ]
        }

        fn arb_state() -> impl Strategy<Value = Value> {
            (
                prop::sample::select(vec!["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map", "Bogus"]),
                prop::collection::vec((field_name(), arb_json()), 0..6),
                prop::option::of(prop::sample::select(vec!["S0", "S1", "S2", "gone"])),
                any::<bool>(),
            )
                .prop_map(|(ty, fields, next, end)| {
                    let mut m: Map<String, Value> = fields.into_iter().collect();
                    m.insert("Type".into(), json!(ty));
                    if let Some(n) = next {
                        m.insert("Next".into(), json!(n));
                    }
                    if end {
                        m.insert("End".into(), json!(true));
                    }
                    Value::Object(m)
                })
        }

        fn machine(states: Vec<Value>, ql: Option<&'static str>) -> Value {
            let mut m = Map::new();
            m.insert("StartAt".into(), json!("S0"));
            if let Some(q) = ql {
                m.insert("QueryLanguage".into(), json!(q));
            }
            m.insert("States".into(), Value::Object(states.into_iter().enumerate().map(|(i, s)| (format!("S{i}"), s)).collect()));
            Value::Object(m)
        }

        fn arb_machine() -> impl Strategy<Value = Value> {
            let inner = prop::collection::vec(arb_state(), 1..4).prop_map(|s| machine(s, None));
            (prop::collection::vec(arb_state(), 1..5), inner, prop::option::of(prop::sample::select(vec!["JSONPath", "JSONata", "x"]))).prop_map(
                |(mut states, sub, ql)| {
                    // The sub-machine as a branch and as a processor.
                    states.push(json!({"Type": "Parallel", "Branches": [sub.clone()], "End": true}));
                    states.push(json!({"Type": "Map", "ItemProcessor": sub, "End": true}));
                    machine(states, ql)
                },
            )
        }

        proptest! {
            #[test]
            fn never_panics_on_strings(s in "\\PC{0,80}") {
                let _ = validate_text(&s, MachineType::Standard);
            }

            #[test]
            fn jackson_agrees_with_serde_on_acceptance(s in "[{}\\[\\]\":,0-9a-z \\\\.eE+-]{0,40}") {
                let d = validate_text(&s, MachineType::Express);
                let _ = invalid_definition_message(&d);
                // The Jackson emulation flags exactly the texts serde_json rejects (on this alphabet
                // the two grammars agree).
                let blank = s.trim_matches([' ', '\t', '\n', '\r']).is_empty();
                if !blank {
                    prop_assert_eq!(jackson::check(&s).is_none(), serde_json::from_str::<Value>(&s).is_ok(), "{:?}", s);
                }
            }

            #[test]
            fn never_panics_on_definitions(def in arb_machine()) {
                let text = def.to_string();
                for mt in [MachineType::Standard, MachineType::Express] {
                    let d = validate_text(&text, mt);
                    prop_assert_eq!(&d, &validate_value(&def, mt));
                    let _ = invalid_definition_message(&d);
                }
                // Cut short anywhere: one JSON error, never a panic.
                for cut in [1, text.len() / 3, text.len() / 2, text.len() - 1] {
                    if let Some(prefix) = text.get(..cut) {
                        let d = validate_text(prefix, MachineType::Standard);
                        prop_assert_eq!(d.len(), 1);
                        prop_assert_eq!(d[0].code.as_str(), INVALID_JSON);
                    }
                }
            }

            #[test]
            fn never_panics_on_random_values(v in arb_json()) {
                let _ = validate_value(&v, MachineType::Standard);
                let _ = validate_text(&v.to_string(), MachineType::Express);
            }
        }
    }

    /// The conformance corpus: every `validation` case, and every `execution` case's definition
    /// (all ran on AWS, so none may be rejected).
    fn corpus() -> Option<String> {
        let local = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/conformance/aws-recorded.jsonl");
        [local, "/work/shared/conformance/aws-recorded.jsonl"].iter().find_map(|p| std::fs::read_to_string(p).ok())
    }

    fn case_type(case: &Value) -> MachineType {
        if case["state_machine_type"] == "EXPRESS" {
            MachineType::Express
        } else {
            MachineType::Standard
        }
    }

    /// (validation passed, validation total, failures, execution definitions rejected, total).
    fn run_corpus(text: &str) -> (usize, usize, Vec<String>, Vec<String>, usize) {
        let (mut passed, mut total, mut failures, mut rejected, mut executions) = (0, 0, Vec::new(), Vec::new(), 0);
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let case: Value = serde_json::from_str(line).expect("corpus line");
            let id = case["id"].as_str().unwrap_or("?").to_string();
            match case["kind"].as_str() {
                Some("validation") => {
                    total += 1;
                    let raw = case["definition_raw"].as_str().unwrap_or("");
                    let diags = validate_text(raw, case_type(&case));
                    let expected = &case["expected"];
                    let ok = if case["api"] == "CreateStateMachine" {
                        let want = expected["message"].as_str().unwrap_or("");
                        if want.starts_with("Error=ValueError") {
                            // LocalStack's text for a Map Label: AWS's is not recorded; any
                            // rejection of the Label passes.
                            diags.iter().any(|d| d.code == SCHEMA && d.location.as_deref().is_some_and(|l| l.ends_with("/Label")))
                        } else {
                            let got = invalid_definition_message(&diags).replace("arn:aws:", "arn:<partition>:");
                            if got != want {
                                failures.push(format!("{id}\n  want {want}\n  got  {got}"));
                            }
                            got == want
                        }
                    } else {
                        let result = if diags.iter().any(|d| d.severity == Severity::Error) { "FAIL" } else { "OK" };
                        let got = serde_json::to_value(&diags).unwrap_or_default();
                        let ok = expected["result"] == result && expected["diagnostics"] == got;
                        if !ok {
                            failures.push(format!("{id}\n  want {}\n  got  {got}", expected["diagnostics"]));
                        }
                        ok
                    };
                    passed += usize::from(ok);
                }
                Some("execution") => {
                    executions += 1;
                    let text = serde_json::to_string(&case["definition"]).unwrap_or_default();
                    let errors: Vec<String> = validate_text(&text, case_type(&case))
                        .into_iter()
                        .filter(|d| d.severity == Severity::Error)
                        .map(|d| format!("{}: {} at {}", d.code, d.message, d.location.unwrap_or_default()))
                        .collect();
                    if !errors.is_empty() {
                        rejected.push(format!("{id}\n  {}", errors.join("\n  ")));
                    }
                }
                _ => {}
            }
        }
        (passed, total, failures, rejected, executions)
    }

    #[test]
    fn conformance_corpus() {
        let Some(text) = corpus() else {
            eprintln!("conformance corpus not found; skipped");
            return;
        };
        let (passed, total, failures, rejected, executions) = run_corpus(&text);
        for f in &failures {
            eprintln!("VALIDATION FAIL {f}");
        }
        for r in &rejected {
            eprintln!("FALSE REJECTION {r}");
        }
        eprintln!("validation cases: {passed}/{total} pass; execution definitions: {} of {executions} wrongly rejected", rejected.len());
        assert_eq!(passed, total);
        assert!(rejected.is_empty());
    }
}
