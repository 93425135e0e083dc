//! Payload templates (Parameters, ResultSelector, ItemSelector, JSONPath Assign): keys ending in `.$`
//! take their value from a path (`$...`, `$$...`, `$var...`) or an intrinsic call; other values are literal.

use super::intrinsics::{self, Call};
use super::meter;
use super::path::{Path, Root};
use serde_json::{Map, Value};

/// A compiled template. Subtrees without any `.$` key are kept as literals (cloned, never walked).
#[derive(Debug, Clone)]
pub enum Template {
    Literal(Value),
    Object(Vec<(String, Template)>),
    Array(Vec<Template>),
    /// `"field.$": "$.path"`; `field` is the key as written (with `.$`), for error messages.
    Path {
        field: String,
        path: Path,
    },
    Call {
        field: String,
        call: Call,
    },
}

/// What a template or path reads: the data (`$`), the context object (`$$`), variables, randomness.
pub trait Scope {
    fn data(&self) -> &Value;
    /// The context object; built on demand because most states never read it.
    fn context(&mut self) -> Value;
    /// The context object with only its top-level member `name` (all of it when None): a path like
    /// `$$.Map.Item.Value` needs no Execution or StateMachine members built.
    fn context_part(&mut self, name: Option<&str>) -> Value {
        let _ = name;
        self.context()
    }
    fn variable(&self, name: &str) -> Option<Value>;
    fn random_u64(&mut self) -> u64;
}

/// Why evaluation failed; the engine prefixes the cause with the state's sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalError {
    pub error: String,
    pub cause: String,
}

impl EvalError {
    pub fn runtime(cause: impl Into<String>) -> Self {
        EvalError {
            error: super::errors::RUNTIME.into(),
            cause: cause.into(),
        }
    }
}

/// Compact JSON text, as AWS prints values inside causes and history payloads.
pub fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

impl Template {
    /// Compiles a template value. Err((message, location suffix)) for a `.$` value that is neither a
    /// path nor an intrinsic call (the validator reports these first; this is a second line).
    pub fn compile(v: &Value) -> Result<Template, String> {
        if !has_dynamic(v) {
            return Ok(Template::Literal(v.clone()));
        }
        Ok(match v {
            Value::Object(m) => {
                let mut out = Vec::with_capacity(m.len());
                for (k, val) in m {
                    if let Some(name) = k.strip_suffix(".$") {
                        let text = val.as_str().ok_or_else(|| invalid_field(k))?;
                        let t = if intrinsics::is_call(text) {
                            Template::Call {
                                field: k.clone(),
                                call: intrinsics::parse(text).map_err(|_| invalid_field(k))?,
                            }
                        } else {
                            Template::Path {
                                field: k.clone(),
                                path: Path::parse(text).map_err(|_| invalid_field(k))?,
                            }
                        };
                        out.push((name.to_string(), t));
                    } else {
                        out.push((k.clone(), Template::compile(val)?));
                    }
                }
                Template::Object(out)
            }
            Value::Array(a) => {
                Template::Array(a.iter().map(Template::compile).collect::<Result<_, _>>()?)
            }
            other => Template::Literal(other.clone()),
        })
    }

    /// Evaluates the template as one metered evaluation (`asl::meter`): its paths and calls
    /// share one size limit, since each `.$` field may copy the whole input.
    pub fn eval(&self, scope: &mut dyn Scope) -> Result<Value, EvalError> {
        meter::metered(meter::LIMIT, || self.eval_metered(scope))
    }

    fn eval_metered(&self, scope: &mut dyn Scope) -> Result<Value, EvalError> {
        match self {
            Template::Literal(v) => Ok(v.clone()),
            Template::Object(fields) => {
                let mut m = Map::with_capacity(fields.len());
                for (k, t) in fields {
                    m.insert(k.clone(), t.eval_metered(scope)?);
                }
                Ok(Value::Object(m))
            }
            Template::Array(items) => Ok(Value::Array(
                items
                    .iter()
                    .map(|t| t.eval_metered(scope))
                    .collect::<Result<_, _>>()?,
            )),
            Template::Path { field, path } => select_for_field(path, field, scope),
            Template::Call { call, .. } => {
                let mut env = IntrinsicScope { scope };
                call.eval(&mut env).map_err(|e| EvalError {
                    error: e.error,
                    cause: e.cause,
                })
            }
        }
    }
}

fn invalid_field(k: &str) -> String {
    format!(
        "The value for the field '{k}' must be a valid JSONPath or a valid intrinsic function call"
    )
}

fn has_dynamic(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.iter().any(|(k, v)| k.ends_with(".$") || has_dynamic(v)),
        Value::Array(a) => a.iter().any(has_dynamic),
        _ => false,
    }
}

/// The value at `path`, or Err with the Jayway miss message (no field context).
pub fn select(path: &Path, scope: &mut dyn Scope) -> Result<Value, (String, Value)> {
    match path.root() {
        Root::Data => path
            .select(scope.data())
            .map_err(|m| (m.message, scope.data().clone())),
        Root::Context => {
            let ctx = scope.context_part(path.first_name());
            path.select(&ctx).map_err(|m| (m.message, ctx))
        }
        Root::Variable(name) => match scope.variable(name) {
            Some(v) => path.select(&v).map_err(|m| (m.message, v)),
            None => Err((
                format!(
                    "Invalid path '{}': The variable '{}' is not defined",
                    path.text(),
                    name
                ),
                Value::Null,
            )),
        },
    }
}

/// A `.$` field's value: a miss is States.Runtime with AWS's "could not be found in the input" cause.
pub fn select_for_field(
    path: &Path,
    field: &str,
    scope: &mut dyn Scope,
) -> Result<Value, EvalError> {
    let too_large = || EvalError::runtime(format!("{} (the JSONPath '{}' specified for the field '{field}')", meter::EXCEEDED, path.text()));
    match select(path, scope) {
        Ok(v) if meter::spend_json(&v) => Ok(v),
        Ok(_) => Err(too_large()),
        Err(_) if meter::exhausted() => Err(too_large()),
        Err((_, input)) => Err(EvalError::runtime(format!(
            "The JSONPath '{}' specified for the field '{}' could not be found in the input '{}'",
            path.text(),
            field,
            compact(&input)
        ))),
    }
}

/// Parses a path given as text (Choice rules and intrinsic arguments hold text), remembering the
/// parsed form: the same few paths are evaluated millions of times in a loop.
pub fn parse_cached(text: &str) -> Result<std::rc::Rc<Path>, String> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::rc::Rc;
    thread_local! {
        static CACHE: RefCell<HashMap<String, Rc<Path>>> = RefCell::new(HashMap::new());
    }
    CACHE.with(|c| {
        if let Some(p) = c.borrow().get(text) {
            return Ok(p.clone());
        }
        let p = Rc::new(Path::parse(text)?);
        let mut c = c.borrow_mut();
        if c.len() >= 4096 {
            c.clear();
        }
        c.insert(text.to_string(), p.clone());
        Ok(p)
    })
}

struct IntrinsicScope<'a> {
    scope: &'a mut dyn Scope,
}

impl intrinsics::Env for IntrinsicScope<'_> {
    fn resolve(&mut self, text: &str) -> Result<Value, String> {
        let path = parse_cached(text)?;
        select(&path, self.scope).map_err(|(msg, _)| format!("Invalid path '{}' : {}", text, msg))
    }
    fn random_u64(&mut self) -> u64 {
        self.scope.random_u64()
    }
}
