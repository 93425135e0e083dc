//! One state machine's scope (the definition, a Parallel branch or a Map processor): its own
//! fields, its states' names, their transitions, which states are reachable from `StartAt`,
//! and whether some state can end it.

use super::{diag, Ql, Scope, Validator, DUPLICATE, MAX_SECONDS, MISSING};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Branches / processors nested deeper than this are not walked.
const MAX_MACHINE_DEPTH: usize = 48;

/// Where a state may go: the field that says so and the target name.
pub(super) struct Edge<'a> {
    pub(super) via: Via,
    pub(super) target: &'a str,
}

/// `Next` / `Default`, or the `Next` of `Choices[i]` / `Catch[i]`.
#[derive(Clone, Copy)]
pub(super) enum Via {
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

impl<'a> Validator<'a> {
    /// One state machine: the definition itself, a Parallel branch or a Map processor.
    pub(super) fn machine(&mut self, m: &'a Map<String, Value>, at: &str, scope: Scope, express: bool, depth: usize) {
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
}

/// Transitions of a state whose type is unknown (so reachability does not cascade).
pub(super) fn collect_edges<'a>(m: &'a Map<String, Value>, edges: &mut Vec<Edge<'a>>) {
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

#[cfg(test)]
mod tests {
    use super::super::tests::{diags, ok, one, only, pair, with};
    use super::super::*;
    use serde_json::json;

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
}
