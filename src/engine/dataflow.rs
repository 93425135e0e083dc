//! JSONPath data flow: InputPath → Parameters → (work) → ResultSelector → ResultPath → OutputPath,
//! and the JSONPath Assign, with AWS's errors.

use super::context::ContextExtra;
use super::execution::Assigned;
use super::execution::{Execution, MAX_PAYLOAD_BYTES};
use crate::asl::errors::{self, Failure};
use crate::asl::model::{DataPath, State};
use crate::asl::template::{self, EvalError, Template};
use serde_json::{Map, Value};
use std::sync::Arc;

impl Execution {
    /// The sentence AWS puts before every run-time cause.
    pub(crate) fn runtime_prefix(&self, fid: usize) -> String {
        let f = &self.frames[fid];
        let name = f
            .machine
            .states
            .get(f.state)
            .map(|s| s.name.to_string())
            .unwrap_or_default();
        format!(
            "An error occurred while executing the state '{}' (entered at the event id #{}). ",
            name, f.entered_event
        )
    }

    /// A failure from an evaluation error, with the state's prefix on the cause.
    pub(crate) fn eval_failure(&self, fid: usize, e: EvalError) -> Failure {
        let prefix = self.runtime_prefix(fid);
        Failure::new(e.error, format!("{prefix}{}", e.cause))
    }

    pub(crate) fn runtime_failure(&self, fid: usize, cause: impl AsRef<str>) -> Failure {
        let prefix = self.runtime_prefix(fid);
        Failure::new(errors::RUNTIME, format!("{prefix}{}", cause.as_ref()))
    }

    /// InputPath then Parameters over the raw input.
    pub(crate) fn effective_input(
        &mut self,
        fid: usize,
        st: &State,
        raw: &Arc<Value>,
        extra: &ContextExtra,
    ) -> Result<Arc<Value>, Failure> {
        if st.jsonata {
            return self.jsonata_arguments(fid, st, raw, extra);
        }
        let after_input_path = self.apply_path(fid, &st.input_path, raw, extra)?;
        match &st.parameters {
            None => Ok(after_input_path),
            Some(t) => self
                .eval_template(fid, t, &after_input_path, extra)
                .map(Arc::new),
        }
    }

    /// An InputPath or OutputPath: `$` keeps the value, null gives `{}`, a path that matches nothing
    /// is States.Runtime ("Invalid path '$.x' : No results for path: $['x']").
    pub(crate) fn apply_path(
        &mut self,
        fid: usize,
        p: &DataPath,
        value: &Arc<Value>,
        extra: &ContextExtra,
    ) -> Result<Arc<Value>, Failure> {
        match p {
            DataPath::Default => Ok(value.clone()),
            DataPath::Null => Ok(Arc::new(Value::Object(Map::new()))),
            DataPath::Path(path) => {
                if path.text() == "$" {
                    return Ok(value.clone());
                }
                let r = self.with_scope(fid, value, extra, |s| template::select(path, s));
                match r {
                    Ok(v) => Ok(Arc::new(v)),
                    Err((msg, _)) => Err(self
                        .runtime_failure(fid, format!("Invalid path '{}' : {}", path.text(), msg))),
                }
            }
        }
    }

    pub(crate) fn eval_template(
        &mut self,
        fid: usize,
        t: &Template,
        data: &Value,
        extra: &ContextExtra,
    ) -> Result<Value, Failure> {
        let r = self.with_scope(fid, data, extra, |s| t.eval(s));
        r.map_err(|e| self.eval_failure(fid, e))
    }

    /// ResultPath: merges `result` into the raw input.
    pub(crate) fn apply_result_path(
        &mut self,
        fid: usize,
        p: &DataPath,
        raw: &Arc<Value>,
        result: Arc<Value>,
    ) -> Result<Arc<Value>, Failure> {
        match p {
            DataPath::Default => Ok(result),
            DataPath::Null => Ok(raw.clone()),
            DataPath::Path(path) => {
                if path.text() == "$" {
                    return Ok(result);
                }
                let target = (**raw).clone();
                let value = Arc::try_unwrap(result).unwrap_or_else(|a| (*a).clone());
                match path.assign(target, value) {
                    Ok(v) => Ok(Arc::new(v)),
                    Err(msg) => Err(self
                        .runtime_failure(fid, format!("Invalid path '{}' : {}", path.text(), msg))),
                }
            }
        }
    }

    /// Evaluates an Assign block to (name, value) pairs; `data` is what `$` means for this state.
    pub(crate) fn eval_assign(
        &mut self,
        fid: usize,
        t: &Template,
        data: &Value,
        extra: &ContextExtra,
    ) -> Result<Vec<(String, Value)>, Failure> {
        match self.eval_template(fid, t, data, extra)? {
            Value::Object(m) => Ok(m.into_iter().collect()),
            _ => Ok(Vec::new()),
        }
    }

    /// After a Task, Parallel or Map produced `result`: Assign (over the raw result), ResultSelector,
    /// ResultPath and OutputPath. Returns the state output and the variables to assign.
    pub(crate) fn process_result(
        &mut self,
        fid: usize,
        st: &State,
        raw: &Arc<Value>,
        result: Arc<Value>,
        extra: &ContextExtra,
    ) -> Result<(Arc<Value>, Assigned), Failure> {
        if st.jsonata {
            return self.jsonata_result(fid, st, raw, result, extra);
        }
        let assigned = match &st.assign {
            Some(t) => Some(self.eval_assign(fid, t, &result, extra)?),
            None => None,
        };
        let selected = match &st.result_selector {
            Some(t) => Arc::new(self.eval_template(fid, t, &result, extra)?),
            None => result,
        };
        let combined = self.apply_result_path(fid, &st.result_path, raw, selected)?;
        let output = self.apply_path(fid, &st.output_path, &combined, extra)?;
        Ok((output, assigned))
    }
}

/// The length of `v` as compact JSON text, without building the text.
pub(crate) fn json_size(v: &Value) -> usize {
    match v {
        Value::Null => 4,
        Value::Bool(b) => {
            if *b {
                4
            } else {
                5
            }
        }
        Value::Number(n) => number_size(n),
        Value::String(s) => string_size(s),
        Value::Array(a) => 2 + a.iter().map(json_size).sum::<usize>() + a.len().saturating_sub(1),
        Value::Object(m) => {
            2 + m
                .iter()
                .map(|(k, v)| string_size(k) + 1 + json_size(v))
                .sum::<usize>()
                + m.len().saturating_sub(1)
        }
    }
}

/// Digits of an integer without formatting it (this runs for every state output).
fn number_size(n: &serde_json::Number) -> usize {
    if let Some(u) = n.as_u64() {
        return u.checked_ilog10().map_or(1, |d| d as usize + 1);
    }
    if let Some(i) = n.as_i64() {
        return 1 + i
            .unsigned_abs()
            .checked_ilog10()
            .map_or(1, |d| d as usize + 1);
    }
    n.to_string().len()
}

fn string_size(s: &str) -> usize {
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{08}' | '\u{0c}' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8(),
        })
        .sum::<usize>()
}

/// True when `v` is over AWS's 256 KiB payload limit.
pub(crate) fn too_large(v: &Value) -> bool {
    json_size(v) > MAX_PAYLOAD_BYTES
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn number_sizes_match_their_text() {
        for v in [
            json!(0),
            json!(9),
            json!(10),
            json!(-1),
            json!(-10),
            json!(99_999),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(2.5),
        ] {
            assert_eq!(json_size(&v), v.to_string().len(), "{v}");
        }
    }

    #[test]
    fn json_size_matches_serialised_length() {
        for v in [
            json!(null),
            json!({"a": [1, 2.5, "x\"y\n"], "b": {"c": true}}),
            json!("é\u{1}"),
            json!([]),
        ] {
            assert_eq!(
                json_size(&v),
                serde_json::to_string(&v).unwrap().len(),
                "{v}"
            );
        }
    }
}
