//! Files the command line reads as documents: definitions, test files and mock configurations,
//! in JSON or YAML (`.yaml`, `.yml`, `.asl.yaml` as SAM projects keep definitions). A YAML file
//! becomes JSON text for the engine, and keeps where each of its nodes was, so a diagnostic's
//! JSON pointer is reported at the YAML line and column.

use serde_json::{Map, Number, Value};
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};
use yaml_rust2::Yaml;

/// JSON pointer → (line, column) of a YAML node, both from 1.
pub type Marks = HashMap<String, (usize, usize)>;

/// A document as read: the JSON text the engine gets and where its parts are in the file.
pub struct Source {
    pub path: String,
    /// JSON text: the file itself, or the YAML file converted.
    pub json: String,
    /// For YAML: JSON pointer → (line, column) of the node in the file, both from 1.
    yaml_marks: Option<Marks>,
}

pub fn is_yaml(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// Reads `path` (`what` names it in the error): JSON as is, YAML converted to JSON.
pub fn read(path: &str, what: &str) -> Result<Source, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {what} '{path}': {e}"))?;
    if !is_yaml(path) {
        return Ok(Source { path: path.to_string(), json: text, yaml_marks: None });
    }
    let (value, marks) = yaml_to_json(&text).map_err(|e| format!("{what} '{path}' is not valid YAML: {e}"))?;
    let json = serde_json::to_string_pretty(&value).map_err(|e| format!("{what} '{path}': {e}"))?;
    Ok(Source { path: path.to_string(), json, yaml_marks: Some(marks) })
}

/// Reads `path` as a JSON value (YAML converted). Err names the file and, for JSON, the line.
pub fn read_value(path: &str, what: &str) -> Result<Value, String> {
    let source = read(path, what)?;
    serde_json::from_str(&source.json).map_err(|e| format!("{what} '{path}' is not JSON: {e}"))
}

impl Source {
    /// Line and column (from 1) of a diagnostic's location: a JSON pointer (the member, or the
    /// nearest parent that exists), or a JSON parser's `line: L, column: C`.
    pub fn line_column(&self, location: Option<&str>) -> Option<(usize, usize)> {
        let location = location.unwrap_or("");
        if let Some(marks) = &self.yaml_marks {
            let mut pointer = location;
            loop {
                if let Some(at) = marks.get(pointer) {
                    return Some(*at);
                }
                pointer = &pointer[..pointer.rfind('/')?];
            }
        }
        let (from, _) = sfnsim::asl::locate::span_of(&self.json, location)?;
        Some(utf16_line_column(&self.json, from))
    }
}

/// The line and column (from 1, in characters) of a UTF-16 offset.
fn utf16_line_column(text: &str, offset: usize) -> (usize, usize) {
    let (mut line, mut column, mut at) = (1, 1, 0);
    for c in text.chars() {
        if at >= offset {
            break;
        }
        at += c.len_utf16();
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line, column)
}

/// A YAML document as JSON, and the line and column of each node by JSON pointer.
pub fn yaml_to_json(text: &str) -> Result<(Value, Marks), String> {
    let mut b = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut b, false).map_err(|e| e.to_string())?;
    if let Some(e) = b.error {
        return Err(e);
    }
    let value = b.done.unwrap_or(Value::Null);
    Ok((value, b.marks))
}

/// Builds JSON from the parser's events, as YAML 1.2's core schema types plain scalars.
#[derive(Default)]
struct Builder {
    /// Open collections: the value so far, and for a mapping the key awaiting its value.
    stack: Vec<(Value, Option<String>, usize)>,
    anchors: HashMap<usize, Value>,
    marks: Marks,
    /// The pointer of each open collection.
    pointers: Vec<String>,
    done: Option<Value>,
    error: Option<String>,
}

impl Builder {
    /// The pointer the next node gets: its parent's, plus the pending key or the next index.
    fn next_pointer(&self) -> String {
        let (Some((parent, key, _)), Some(at)) = (self.stack.last(), self.pointers.last()) else {
            return String::new();
        };
        match (parent, key) {
            (Value::Array(a), _) => format!("{at}/{}", a.len()),
            (_, Some(k)) => format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
            _ => at.clone(),
        }
    }

    /// Whether the next scalar is a mapping's key.
    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some((Value::Object(_), None, _)))
    }

    fn insert(&mut self, value: Value, anchor: usize, mark: Marker) {
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        match self.stack.last_mut() {
            None => self.done = Some(value),
            Some((Value::Array(a), _, _)) => a.push(value),
            Some((Value::Object(m), key, _)) => {
                if let Some(k) = key.take() {
                    if m.insert(k.clone(), value).is_some() {
                        self.error.get_or_insert(format!("duplicate key '{k}' at line {}, column {}", mark.line(), mark.col() + 1));
                    }
                }
            }
            Some(_) => {}
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        // Marker columns count from 0.
        let at = (mark.line(), mark.col() + 1);
        match ev {
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if self.expects_key() {
                    self.error = Some(format!("a key must be a text, at line {}, column {}", at.0, at.1));
                    return;
                }
                let pointer = self.next_pointer();
                // A mapping's or list's place is its key's, when it has one.
                self.marks.entry(pointer.clone()).or_insert(at);
                let empty = if matches!(ev, Event::MappingStart(..)) { Value::Object(Map::new()) } else { Value::Array(Vec::new()) };
                self.stack.push((empty, None, anchor));
                self.pointers.push(pointer);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.pointers.pop();
                if let Some((value, _, anchor)) = self.stack.pop() {
                    self.insert(value, anchor, mark);
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                if self.expects_key() {
                    let pointer = format!("{}/{}", self.pointers.last().cloned().unwrap_or_default(), text.replace('~', "~0").replace('/', "~1"));
                    self.marks.insert(pointer, at);
                    if let Some((_, key, _)) = self.stack.last_mut() {
                        *key = Some(text);
                    }
                    return;
                }
                let pointer = self.next_pointer();
                // A value's own place wins over its key's.
                self.marks.insert(pointer, at);
                let value = if style != TScalarStyle::Plain || tag.is_some() { Value::String(text) } else { plain_scalar(&text) };
                self.insert(value, anchor, mark);
            }
            Event::Alias(id) => {
                let value = self.anchors.get(&id).cloned().unwrap_or(Value::Null);
                if self.expects_key() {
                    self.error = Some(format!("an alias cannot be a key, at line {}, column {}", at.0, at.1));
                    return;
                }
                let pointer = self.next_pointer();
                self.marks.insert(pointer, at);
                self.insert(value, 0, mark);
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart | Event::DocumentEnd => {}
        }
    }
}

/// A plain scalar as YAML 1.2's core schema reads it: null, booleans, integers, floats, text.
fn plain_scalar(text: &str) -> Value {
    match Yaml::from_str(text) {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(i) => Value::Number(i.into()),
        Yaml::Real(r) => r.parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number).unwrap_or_else(|| Value::String(text.into())),
        _ => Value::String(text.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_becomes_json_with_each_node_located() {
        let text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Result: [1, 2.5, true, null, \"007\", yes]\n    End: true\n";
        let (v, marks) = yaml_to_json(text).unwrap();
        assert_eq!(v["States"]["A"]["Result"], serde_json::json!([1, 2.5, true, null, "007", "yes"]));
        assert_eq!(marks["/StartAt"], (1, 10));
        assert_eq!(marks["/States/A"], (3, 3));
        assert_eq!(marks["/States/A/Type"], (4, 11));
        assert_eq!(marks["/States/A/Result/1"], (5, 17));
    }

    #[test]
    fn yaml_errors_name_the_place() {
        assert!(yaml_to_json("a: 1\na: 2\n").unwrap_err().contains("duplicate key 'a'"));
        let e = yaml_to_json("a: [1, 2\n").unwrap_err();
        assert!(e.contains("line"), "{e}");
    }

    #[test]
    fn a_json_pointer_and_a_parser_location_become_a_line_and_column() {
        let s = Source { path: "x".into(), json: "{\n  \"StartAt\": \"A\",\n  \"States\": {}\n}".into(), yaml_marks: None };
        assert_eq!(s.line_column(Some("/States")), Some((3, 13)));
        assert_eq!(s.line_column(Some("/StartAt")), Some((2, 14)));
    }
}
