//! JSONata as the engine uses it: a `{% ... %}` string is an expression, evaluated over
//! `$states` and the workflow variables, with the virtual clock and the seeded generator.
//! This file is the one seam between the engine and the JSONata evaluator.

use serde_json::Value;

/// What went wrong evaluating an expression: the JSONata error code (T2001, D3030, ...) when it
/// has one, and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub code: Option<String>,
    pub message: String,
}

/// What an expression can see besides its own bindings.
pub struct QueryEnv<'a> {
    /// `$name` lookups: `states` and workflow variables.
    pub bindings: &'a dyn Fn(&str) -> Option<Value>,
    /// `$now()` and `$millis()`.
    pub now_ms: i64,
    /// `$random()`, `$uuid()`, `$shuffle()`.
    pub random: &'a mut dyn FnMut() -> u64,
}

/// The expression inside a `{% ... %}` string, if it is one.
pub fn expression(text: &str) -> Option<&str> {
    let t = text.trim();
    let inner = t.strip_prefix("{%")?.strip_suffix("%}")?;
    Some(inner.trim())
}

/// Evaluates one expression; `Ok(None)` is JSONata's undefined.
pub fn evaluate(src: &str, env: &mut QueryEnv) -> Result<Option<Value>, QueryError> {
    let _ = (src, &env.bindings, env.now_ms);
    Err(QueryError {
        code: None,
        message: "JSONata expressions cannot be evaluated by this build of sfnsim yet".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_are_braced_with_percent_signs() {
        assert_eq!(expression("{% $states.input %}"), Some("$states.input"));
        assert_eq!(expression("  {%1+2%} "), Some("1+2"));
        assert_eq!(expression("{% x"), None);
        assert_eq!(expression("plain"), None);
    }
}
