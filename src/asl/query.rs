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
/// The whole string must be the expression: `" {% x %} "` (spaces outside) is a literal (recorded).
pub fn expression(text: &str) -> Option<&str> {
    let inner = text.strip_prefix("{%")?.strip_suffix("%}")?;
    Some(inner.trim())
}

/// Evaluates one expression; `Ok(None)` is JSONata's undefined.
pub fn evaluate(src: &str, env: &mut QueryEnv) -> Result<Option<Value>, QueryError> {
    use super::jsonata_eval::{Budget, Env, Expression};
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, Expression>> = Default::default();
    }
    let parsed = CACHE.with(|c| c.borrow().get(src).cloned());
    let expr = match parsed {
        Some(e) => e,
        None => {
            let e = Expression::parse(src).map_err(|e| QueryError { code: Some(e.code), message: e.message })?;
            CACHE.with(|c| {
                let mut c = c.borrow_mut();
                if c.len() > 512 {
                    c.clear();
                }
                c.insert(src.to_string(), e.clone());
            });
            e
        }
    };
    let mut e = Env {
        bindings: env.bindings,
        now_ms: env.now_ms,
        random: env.random,
        budget: Budget::default(),
    };
    expr.evaluate(None, &mut e).map_err(|e| QueryError { code: Some(e.code), message: e.message })
}

/// A JSON value with `{% %}` strings in it, evaluated (objects and arrays walked). Errors are
/// texts naming the expression: `'<expr>' returned nothing (undefined)` or the evaluator's error.
/// All the expressions of one template share one size limit (`asl::meter`).
pub fn evaluate_template(v: &Value, env: &mut QueryEnv) -> Result<Value, String> {
    super::meter::metered(super::meter::LIMIT, || evaluate_template_metered(v, env))
}

fn evaluate_template_metered(v: &Value, env: &mut QueryEnv) -> Result<Value, String> {
    match v {
        Value::String(s) => match expression(s) {
            None => Ok(v.clone()),
            Some(e) => match evaluate(e, env) {
                Ok(Some(x)) => Ok(x),
                Ok(None) => Err(format!("The JSONata expression '{e}' returned nothing (undefined).")),
                Err(err) => Err(format!(
                    "The JSONata expression '{e}' threw an error during evaluation{}",
                    match &err.code {
                        Some(c) => format!(". {c}: {}", err.message),
                        None => format!(": {}", err.message),
                    }
                )),
            },
        },
        Value::Array(a) => a.iter().map(|x| evaluate_template_metered(x, env)).collect::<Result<Vec<_>, _>>().map(Value::Array),
        Value::Object(m) => {
            let mut out = serde_json::Map::new();
            for (k, x) in m {
                out.insert(k.clone(), evaluate_template_metered(x, env)?);
            }
            Ok(Value::Object(out))
        }
        other => Ok(other.clone()),
    }
}

/// Whether a value holds any `{% %}` expression.
pub fn has_expression(v: &Value) -> bool {
    match v {
        Value::String(s) => expression(s).is_some(),
        Value::Array(a) => a.iter().any(has_expression),
        Value::Object(m) => m.values().any(has_expression),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_are_braced_with_percent_signs() {
        assert_eq!(expression("{% $states.input %}"), Some("$states.input"));
        assert_eq!(expression("{%1+2%}"), Some("1+2"));
        assert_eq!(expression(" {% 1 %} "), None);
        assert_eq!(expression("{% x"), None);
        assert_eq!(expression("plain"), None);
    }
}
