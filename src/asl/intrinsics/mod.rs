//! The `States.*` intrinsic functions of JSONPath payload templates
//! (`"key.$": "States.Format('Hello {}', $.name)"`): parsing and evaluation.
//!
//! Evidence tags used in the comments below:
//! - `[rec <id>]`: a case in `shared/conformance/aws-recorded.jsonl` (recorded against AWS);
//! - `[facts §n]`: `shared/aws-facts.md`;
//! - `[aws-obs]`: behaviour of real AWS reported by third parties (an AWS-run characterisation
//!   suite of another emulator, GitHub issues quoting AWS messages); plausible, not recorded here;
//! - `[guess]`: nothing found; chosen to be the most plausible Java behaviour.
//!
//! Where AWS fails at run time the error is `States.Runtime` [aws-obs: several independent
//! sources show `States.Runtime` with a cause containing `Invalid arguments in States.<Name>`;
//! `States.IntrinsicFailure`, named by the spec, was never seen]. The cause returned here is the
//! part after the engine's `An error occurred while executing the state ...` prefix.
//!
//! Argument-count errors are run-time errors, not definition errors [aws-obs: `States.Hash()`,
//! `States.StringToJson($.a, $.b)`, `States.ArrayContains($.arr)` ... fail with `States.Runtime`
//! when executed]; the exception is `States.JsonMerge`, whose arity AWS treats differently
//! [aws-obs] and which is rejected by [`parse()`] here [guess]. [`Call::arity_error`] reports the
//! static problem for a validator that wants to warn.
//!
//! # Where things are
//!
//! This file holds the call's model ([`Func`], [`Arg`], [`Call`], [`IntrinsicError`]) and the
//! dispatch from a function to its implementation; `parse.rs` reads the call's text. The
//! functions are grouped as AWS's documentation groups them: `format.rs` (generic:
//! States.Format), `arrays.rs`, `encoding.rs` (encoding, decoding and hashing), `json.rs` (JSON
//! manipulation), `math.rs`, `strings.rs` and `uuid.rs` (unique identifiers). `java.rs` has the
//! Java renderings and number conversions several groups share.

mod arrays;
mod encoding;
mod format;
mod java;
mod json;
mod math;
mod parse;
mod strings;
#[cfg(test)]
mod tests;
mod uuid;

pub use self::uuid::uuid_v4;
pub use parse::parse;

use arrays::java_hash_set_order;
use format::Piece;
use json::jackson_compact;
use super::meter;
use serde_json::{Number, Value};

/// The error name of every run-time intrinsic failure.
pub const RUNTIME_ERROR: &str = "States.Runtime";
/// At most this many calls nested in one another, the outermost included [facts §3.4: "up to 10
/// levels"; whether an 11th level is a definition or a run-time error is a guess].
pub const MAX_NESTING: usize = 10;
/// Longest string (in UTF-16 code units, as Java counts) accepted by Base64Encode/Base64Decode/Hash:
/// 10,000 passes, 10,001 fails [facts §3.4][aws-obs].
pub const MAX_STRING_LENGTH: usize = 10_000;
/// Most elements States.ArrayRange may produce: 1000 passes, 1001 fails [facts §3.4][aws-obs].
pub const MAX_RANGE_ELEMENTS: i64 = 1000;

/// The intrinsic functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Func {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayPartition,
    ArrayContains,
    ArrayRange,
    ArrayGetItem,
    ArrayLength,
    ArrayUnique,
    Base64Encode,
    Base64Decode,
    Hash,
    JsonMerge,
    MathRandom,
    MathAdd,
    StringSplit,
    Uuid,
}

const FUNCS: [(Func, &str); 18] = [
    (Func::Format, "States.Format"),
    (Func::StringToJson, "States.StringToJson"),
    (Func::JsonToString, "States.JsonToString"),
    (Func::Array, "States.Array"),
    (Func::ArrayPartition, "States.ArrayPartition"),
    (Func::ArrayContains, "States.ArrayContains"),
    (Func::ArrayRange, "States.ArrayRange"),
    (Func::ArrayGetItem, "States.ArrayGetItem"),
    (Func::ArrayLength, "States.ArrayLength"),
    (Func::ArrayUnique, "States.ArrayUnique"),
    (Func::Base64Encode, "States.Base64Encode"),
    (Func::Base64Decode, "States.Base64Decode"),
    (Func::Hash, "States.Hash"),
    (Func::JsonMerge, "States.JsonMerge"),
    (Func::MathRandom, "States.MathRandom"),
    (Func::MathAdd, "States.MathAdd"),
    (Func::StringSplit, "States.StringSplit"),
    (Func::Uuid, "States.UUID"),
];

impl Func {
    /// The full name, e.g. `States.Format`.
    pub fn name(self) -> &'static str {
        FUNCS
            .iter()
            .find(|(f, _)| *f == self)
            .map(|(_, n)| *n)
            .unwrap_or("States.?")
    }

    /// The function of a full name (`States.Format`); names are case-sensitive.
    pub fn from_name(name: &str) -> Option<Func> {
        FUNCS.iter().find(|(_, n)| *n == name).map(|(f, _)| *f)
    }

    /// (minimum, maximum) number of arguments; `None` means unbounded.
    pub fn arity(self) -> (usize, Option<usize>) {
        match self {
            Func::Format => (1, None),
            Func::Array => (0, None),
            Func::Uuid => (0, Some(0)),
            Func::StringToJson
            | Func::JsonToString
            | Func::ArrayLength
            | Func::ArrayUnique
            | Func::Base64Encode
            | Func::Base64Decode => (1, Some(1)),
            Func::ArrayPartition
            | Func::ArrayContains
            | Func::ArrayGetItem
            | Func::Hash
            | Func::MathAdd
            | Func::StringSplit => (2, Some(2)),
            Func::ArrayRange | Func::JsonMerge => (3, Some(3)),
            Func::MathRandom => (2, Some(3)),
        }
    }
}

/// One argument of a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A string literal, escapes already resolved (`'it\'s'` is `it's`).
    Str(String),
    Number(Number),
    Bool(bool),
    Null,
    /// A path (`$`, `$.a.b`, `$$.Execution.Id`, `$var.x`, `$.a[0]`), text exactly as written.
    Path(String),
    Call(Call),
}

/// A parsed intrinsic call (AST).
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    func: Func,
    args: Vec<Arg>,
    /// For `States.Format` with a string-literal template: the template split at its `{}`
    /// placeholders (escaped braces are text), or the run-time error a malformed template raises.
    template: Option<Result<Vec<Piece>, String>>,
}

/// The engine's side: resolves a path argument's text (the path module parses it) and gives
/// seeded randomness.
pub trait Env {
    /// The value at `path` (text exactly as written in the call, e.g. "$.a.b",
    /// "$$.Execution.Id", "$myVar"). Err(cause text) when it matches nothing; the cause is
    /// propagated unchanged as the `States.Runtime` cause.
    fn resolve(&mut self, path: &str) -> Result<Value, String>;
    fn random_u64(&mut self) -> u64;
}

/// A run-time failure: `error` is the AWS error name, `cause` the cause text.
#[derive(Debug, Clone, PartialEq)]
pub struct IntrinsicError {
    pub error: String,
    pub cause: String,
}

impl IntrinsicError {
    fn runtime(cause: impl Into<String>) -> Self {
        IntrinsicError {
            error: RUNTIME_ERROR.to_string(),
            cause: cause.into(),
        }
    }
}

/// True if `text` is meant as an intrinsic call (starts with "States.").
pub fn is_call(text: &str) -> bool {
    text.starts_with("States.")
}

impl Call {
    /// Evaluates the call: arguments left to right (nested calls first), then the function.
    /// Every argument and result is charged to the size meter (`asl::meter`): a call with many
    /// path arguments copies the input once per argument.
    pub fn eval(&self, env: &mut dyn Env) -> Result<Value, IntrinsicError> {
        meter::metered(meter::LIMIT, || {
            let mut values = Vec::with_capacity(self.args.len());
            for arg in &self.args {
                let v = match arg {
                    Arg::Str(s) => Value::String(s.clone()),
                    Arg::Number(n) => Value::Number(n.clone()),
                    Arg::Bool(b) => Value::Bool(*b),
                    Arg::Null => Value::Null,
                    Arg::Path(p) => env.resolve(p).map_err(IntrinsicError::runtime)?,
                    Arg::Call(c) => c.eval(env)?,
                };
                if !meter::spend_json(&v) {
                    return Err(self.too_large());
                }
                values.push(v);
            }
            if self.arity_error().is_some() {
                return Err(self.invalid());
            }
            let r = self.apply(&values, env)?;
            if !meter::spend_json(&r) {
                return Err(self.too_large());
            }
            Ok(r)
        })
    }

    /// The error of a call whose values passed the size limit.
    fn too_large(&self) -> IntrinsicError {
        IntrinsicError::runtime(format!("{}: {}", self.func.name(), meter::EXCEEDED))
    }

    /// Every path argument's text, at any nesting depth, in order of appearance.
    pub fn paths(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_paths(&mut out);
        out
    }

    /// The function's full name, e.g. `States.Format`.
    pub fn name(&self) -> &str {
        self.func.name()
    }

    pub fn func(&self) -> Func {
        self.func
    }

    pub fn args(&self) -> &[Arg] {
        &self.args
    }

    /// A description of the first wrong argument count in this call or a nested one. AWS accepts
    /// such definitions and fails when the call runs [aws-obs]; a validator may warn with this.
    pub fn arity_error(&self) -> Option<String> {
        let (min, max) = self.func.arity();
        let n = self.args.len();
        if n < min || max.is_some_and(|m| n > m) {
            let expected = match max {
                Some(m) if m == min => format!("{min}"),
                Some(m) => format!("{min} to {m}"),
                None => format!("at least {min}"),
            };
            return Some(format!(
                "{} takes {expected} argument(s), got {n}",
                self.func.name()
            ));
        }
        self.args.iter().find_map(|a| match a {
            Arg::Call(c) => c.arity_error(),
            _ => None,
        })
    }

    fn collect_paths<'a>(&'a self, out: &mut Vec<&'a str>) {
        for a in &self.args {
            match a {
                Arg::Path(p) => out.push(p),
                Arg::Call(c) => c.collect_paths(out),
                _ => {}
            }
        }
    }

    /// `Invalid arguments in States.X`: the cause AWS gives for wrong argument types, counts and
    /// values [aws-obs: the text is quoted for MathAdd, StringToJson, ArrayRange, ArrayPartition,
    /// MathRandom; AWS may append details that were not captured].
    fn invalid(&self) -> IntrinsicError {
        IntrinsicError::runtime(format!("Invalid arguments in {}", self.func.name()))
    }

    fn apply(&self, a: &[Value], env: &mut dyn Env) -> Result<Value, IntrinsicError> {
        match self.func {
            Func::Format => self.format(a),
            Func::StringToJson => self.string_to_json(a),
            Func::JsonToString => Ok(Value::String(jackson_compact(arg(a, 0)))),
            Func::Array => Ok(Value::Array(a.to_vec())),
            Func::ArrayPartition => self.array_partition(a),
            Func::ArrayContains => self.array_contains(a),
            Func::ArrayRange => self.array_range(a),
            Func::ArrayGetItem => self.array_get_item(a),
            Func::ArrayLength => match arg(a, 0) {
                Value::Array(items) => Ok(Value::from(items.len() as u64)),
                _ => Err(self.invalid()),
            },
            Func::ArrayUnique => match arg(a, 0) {
                Value::Array(items) => Ok(Value::Array(java_hash_set_order(items))),
                _ => Err(self.invalid()),
            },
            Func::Base64Encode => self.base64_encode(a),
            Func::Base64Decode => self.base64_decode(a),
            Func::Hash => self.hash(a),
            Func::JsonMerge => self.json_merge(a),
            Func::MathRandom => self.math_random(a, env),
            Func::MathAdd => self.math_add(a),
            Func::StringSplit => self.string_split(a),
            Func::Uuid => Ok(Value::String(uuid_v4(env.random_u64(), env.random_u64()))),
        }
    }
}

/// The i-th argument value (null when absent; arity is checked before any function runs).
fn arg(a: &[Value], i: usize) -> &Value {
    a.get(i).unwrap_or(&Value::Null)
}
