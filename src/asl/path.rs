//! JSONPath as AWS Step Functions evaluates it, and reference paths.
//!
//! AWS evaluates JSONPath with the Java Jayway JsonPath library, in an old release (2.2-era): this
//! module reproduces that library's parser and evaluator, quirks included, and the texts of the
//! errors it throws, which AWS copies into `States.Runtime` causes
//! (`Invalid path '<text>' : <Jayway message>`).
//!
//! # What the evidence shows
//!
//! Recorded against AWS (`aws-recorded.jsonl`, category `scenarios/test_base_scenarios`,
//! `test_invalid_jsonpath[...]`):
//! - a missing leaf of a definite path: `Invalid path '$.NoSuchInputPath' : No results for path:
//!   $['NoSuchInputPath']` (InputPath, OutputPath, TimeoutSecondsPath, HeartbeatSecondsPath): the
//!   text after the colon is Jayway's `"No results for path: " + path.toString()`, the whole path
//!   normalised to bracket notation.
//! - indefinite paths that match nothing give `[]`, never an error
//!   (`test_json_path_array_wildcard_or_slice_with_no_input[...]`: with input `{}`,
//!   `$.items[*]`, `$.items[1:]`, `$.items[:1]`, `$.item.items[1:5]`, `$[*]`,
//!   `$.items[*].itemValue`, `$.items[1:].itemValue` all give `[]`). That is Jayway 2.2's rule:
//!   an absent intermediate property only throws when the path from there on is definite.
//! - `$.items[0]`, `$.items[10]` select elements (`test_json_path_array_access`).
//! - `$.users[?(@.status == 0)]` filters objects by a numeric comparison
//!   (`test_state_pass_regex_json_path_base`).
//! - `$['Test\""Name"']` selects the key `Test\""Name"`: inside a bracket-quoted name nothing is
//!   an escape, the name runs to the next quote of the same kind
//!   (`test_escape_sequence_parsing[ESCAPE_SEQUENCES_JSONPATH]`).
//! - `$[0]`, `$[1]`, `$x`, `$x.y` and similar on variables (`test_reference_assign[...]`).
//!
//! From other real-AWS sources (not in the corpus):
//! - facts sheet §3.2: a missing intermediate property of a definite path:
//!   `Invalid path '$.no.such.result.path' : Missing property in path $['no']` (the path up to and
//!   including the missing property).
//! - AWS console output quoted in a public gist: `InputPath: "$['a', 'b'].v"` fails at run time
//!   with `Multi properties can only be used as path leafs: $['a', 'b']` (Jayway ≤ 2.2 text, note
//!   the `", "` separator), and `$['a', 'b']` gives the object `{"a": …, "b": …}`.
//! - AWS re:Post: `$.Jobs.sum()` is accepted by CreateStateMachine and fails at run time (`sum()`
//!   does not exist in Jayway 2.2; `length()`, `min()`, `max()`, `avg()`, `stddev()` do).
//! - AWS documentation on paths: regular-expression filters and non-symbolic operators (other
//!   than the brief's `in`/`nin`) are not supported; "the `@` operator … does not match scalar
//!   values. It only matches objects" — so a filter only ever selects objects here.
//!
//! Jayway source (2.1/2.2, read from the library's repository) for everything else: the texts
//! `Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.String'.
//! This is not a json object according to the JsonProvider: '…'.`, `The path $['a'] is null`,
//! `Filter: [0] can only be applied to arrays. Current context is: {x=1}`, the `..` walk (document
//! order, a node before its children, and the quirk that `..[i].rest` on an array applies `rest`
//! to every element), slices (`[a:]`, `[:b]` count negative bounds from the end; `[a:b]` clamps
//! only `b` to the length, and a negative index inside the range counts from the end; a third
//! `:step` part is ignored), out-of-range indexes silently match nothing.
//!
//! Guesses, marked as such: the JSON provider's class name (Jackson: AWS prints objects the way
//! `java.util.LinkedHashMap` does, e.g. `States.Format` gives `{Arg1=1, Arg2=[]}`), and the texts
//! of [`Path::assign`] failures (no recording shows one).
//!
//! Choices where the evidence is silent:
//! - An indefinite path never fails (but for the multi-name case above): Jayway 2.2 can still
//!   throw inside one when every token from some point on is definite (`$[*].a.b` on
//!   `[{"a": 1}]`); whether AWS reports that is unknown, so such nodes just match nothing.
//! - A negative index counts from the end (`[-1]` is the last element), as in the Jayway
//!   releases that read it through `effectiveIndex`; the exact release AWS runs is unknown.
//! - `$$...` and `$var...` paths are written with a plain `$` root in messages (AWS hands Jayway
//!   the context object or the variable's value); `$` inside a filter is the value the whole path
//!   is evaluated against.
//! - Trailing blanks are trimmed, as Jayway trims; a leading blank is an error (AWS wants `$`
//!   first).
//! - Paths are limited to 256 tokens and filter terms and 64 levels of nesting.
//! - [`Path::assign`] refuses to go through null or a scalar (it does not replace them by an
//!   object), and cannot create arrays.

use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::cmp::Ordering;

/// The JSON provider AWS's Jayway is configured with, as named in its "not a json object" message.
/// ⚠ A guess (see the module documentation).
const JSON_PROVIDER: &str = "com.jayway.jsonpath.spi.json.JacksonJsonProvider";

/// How deeply filters and parentheses may nest in a path, and how many tokens and filter terms a
/// path may have in all (beyond them parsing fails, instead of evaluation or drop exhausting the
/// stack: a page's wasm stack is small).
const MAX_NESTING: usize = 64;
const MAX_TOKENS: usize = 256;

/// Which value a path starts from: `$...` the state input/data, `$$...` the context object,
/// `$name...` a workflow variable named `name` (identifier chars: Unicode letters, digits, `_`).
#[derive(Debug, Clone, PartialEq)]
pub enum Root {
    Data,
    Context,
    Variable(String),
}

/// A parsed JSONPath. Parse once, evaluate many times: evaluation never re-reads the text.
#[derive(Debug, Clone)]
pub struct Path {
    root: Root,
    segs: Vec<Seg>,
    text: String,
    definite: bool,
    /// `$['a']['b']`: Jayway's `path.toString()`, for the "No results for path" message.
    normalized: String,
}

/// A path that matched nothing (or could not be applied); `message` is Jayway's text, e.g.
/// "No results for path: $['NoSuchInputPath']" or "Missing property in path $['no']".
#[derive(Debug, Clone, PartialEq)]
pub struct PathMiss {
    pub message: String,
}

/// One token of a path, as Jayway's compiler produces them.
#[derive(Debug, Clone, PartialEq)]
enum Seg {
    /// `.name`, `['name']`
    Name(Box<str>),
    /// `['a','b']`: at the end of a path, an object of the named members that exist; elsewhere
    /// a run-time error ("Multi properties can only be used as path leafs").
    Names(Vec<Box<str>>),
    /// `[0]`, `[-1]` (negative counts from the end).
    Index(i32),
    /// `[0,2]`
    Indexes(Vec<i32>),
    /// `[a:]`, `[:b]`, `[a:b]`
    Slice(Slice),
    /// `.*`, `[*]`: the values of an object or the elements of an array.
    Wildcard,
    /// `..`: always followed by another token, which is looked for at every depth.
    Scan,
    /// `[?(...)]`
    Filter(Box<Expr>),
    /// `.length()` and friends; always the last token.
    Function(Func),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Slice {
    From(i32),
    To(i32),
    Between(i32, i32),
}

#[derive(Debug, Clone, PartialEq)]
enum Func {
    Length,
    Min,
    Max,
    Avg,
    Stddev,
    /// Parses (Jayway resolves function names at evaluation time) but fails when evaluated.
    Unknown(Box<str>),
}

/// A filter expression.
#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    /// `@.x` (should_exist) or `!@.x`.
    Exists(FPath, bool),
    Rel(Operand, RelOp, Operand),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum RelOp {
    Eq,
    Ne,
    TsEq,
    TsNe,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Nin,
}

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Path(FPath),
    Lit(Value),
}

/// A path inside a filter: from the current item (`@`) or from the root (`$`).
#[derive(Debug, Clone, PartialEq)]
struct FPath {
    from_root: bool,
    segs: Vec<Seg>,
    definite: bool,
}

fn segs_definite(segs: &[Seg]) -> bool {
    let n = segs.len();
    segs.iter().enumerate().all(|(i, s)| match s {
        Seg::Name(_) | Seg::Index(_) | Seg::Function(_) => true,
        // A multi-name token at the end merges into one object.
        Seg::Names(_) => i + 1 == n,
        _ => false,
    })
}

impl Path {
    /// Parses any JSONPath AWS accepts: `$`, `$.a.b`, `$['a b']`, `$["a"]`, `$.a[0]`, `$.a[-1]`,
    /// `$.a[*]`, `$.*`, `$..name`, `$.a[1:3]`, `$.a[:2]`, `$.a[0,2]`, `$['a','b']`, filters
    /// `$.a[?(@.price < 10)]`, `$.a[?(@.x == 'y' && @.z)]`, `$[?(@.k)]`, functions
    /// `$.a.length()`, `$$.Execution.Input`, `$var.field`.
    /// Errors are a human message naming what is wrong.
    pub fn parse(text: &str) -> Result<Path, String> {
        // Jayway trims the text (Java's trim: characters up to U+0020); a leading blank still
        // fails, as AWS wants the text to start with '$'.
        let body = text.trim_end_matches(|c: char| c <= ' ');
        let mut p = Parser {
            text: body,
            b: body.as_bytes(),
            i: 0,
            depth: 0,
            tokens: 0,
        };
        let root = p.root()?;
        let segs = p.segments(false)?;
        if p.i < p.b.len() {
            return Err(p.err("unexpected character"));
        }
        let definite = segs_definite(&segs);
        let normalized = format!("${}", fragments(&segs));
        Ok(Path {
            root,
            segs,
            text: text.to_string(),
            definite,
            normalized,
        })
    }

    /// A reference path (ResultPath, ItemsPath, the *Path fields of Wait/Task/Map...): only names
    /// and single non-negative indexes, no wildcards, filters, slices, unions, functions or `..`.
    pub fn parse_reference(text: &str) -> Result<Path, String> {
        let p = Path::parse(text)?;
        for seg in &p.segs {
            let why = match seg {
                Seg::Name(_) => continue,
                Seg::Index(i) if *i >= 0 => continue,
                Seg::Index(_) => "a negative index",
                Seg::Names(_) => "several names in one bracket",
                Seg::Indexes(_) => "several indexes in one bracket",
                Seg::Slice(_) => "a slice",
                Seg::Wildcard => "a wildcard",
                Seg::Scan => "'..'",
                Seg::Filter(_) => "a filter",
                Seg::Function(_) => "a function",
            };
            return Err(format!(
                "'{text}' is not a valid reference path: it uses {why} (only names and indexes are allowed)"
            ));
        }
        Ok(p)
    }

    pub fn root(&self) -> &Root {
        &self.root
    }

    /// The original text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The first property name, when the path starts with one (`$$.Map.Item` gives `Map`).
    pub fn first_name(&self) -> Option<&str> {
        match self.segs.first() {
            Some(Seg::Name(n)) => Some(n),
            _ => None,
        }
    }

    /// True when the path can only ever select one node (no wildcard, `..`, slice, union,
    /// filter).
    pub fn is_definite(&self) -> bool {
        self.definite
    }

    /// True when this is a reference path (names and non-negative indexes only).
    pub fn is_reference(&self) -> bool {
        self.segs
            .iter()
            .all(|s| matches!(s, Seg::Name(_)) || matches!(s, Seg::Index(i) if *i >= 0))
    }

    /// Jayway's normalised form of the whole path, `$['a'][0]` (the root is always written `$`).
    pub fn normalized(&self) -> &str {
        &self.normalized
    }

    /// Evaluates the path against `root_value` (the caller picks the data, context or variable
    /// value according to `root()`). Definite path: the value, or Err(PathMiss) if it does not
    /// exist. Indefinite path: Ok(array of matches), possibly empty `[]` (AWS returns [] —
    /// recorded); the one error is a multi-name bracket that is not at the end of the path on an
    /// object (Jayway throws; recorded on AWS's console).
    pub fn select(&self, root_value: &Value) -> Result<Value, PathMiss> {
        self.select_cow(root_value).map(Cow::into_owned)
    }

    /// [`Path::select`] without copying: a definite path borrows the selected node.
    pub fn select_cow<'a>(&'a self, root_value: &'a Value) -> Result<Cow<'a, Value>, PathMiss> {
        if self.definite {
            walk_definite(&self.segs, root_value).map_err(|m| PathMiss {
                message: self.miss_message(&m),
            })
        } else {
            let mut cx = Eval {
                root: root_value,
                out: Vec::new(),
                trail: Vec::new(),
            };
            cx.eval(&self.segs, 0, root_value)?;
            Ok(Cow::Owned(Value::Array(
                cx.out.into_iter().map(Cow::into_owned).collect(),
            )))
        }
    }

    /// Like [`Path::select_cow`] but without building an error message: `None` when `select`
    /// would fail.
    pub fn find<'a>(&'a self, root_value: &'a Value) -> Option<Cow<'a, Value>> {
        if self.definite {
            walk_definite(&self.segs, root_value).ok()
        } else {
            self.select_cow(root_value).ok()
        }
    }

    fn miss_message(&self, m: &Miss<'_>) -> String {
        let upto = |i: usize| format!("${}", fragments(self.segs.get(..i).unwrap_or_default()));
        match *m {
            Miss::NoResults => format!("No results for path: {}", self.normalized),
            Miss::MissingProperty(i) => format!("Missing property in path {}", upto(i + 1)),
            Miss::NotObject(i, found) => format!(
                "Expected to find an object with property {} in path {} but found '{}'. This is not a json object according to the JsonProvider: '{}'.",
                self.segs.get(i).map(fragment).unwrap_or_default(),
                upto(i),
                java_class(found),
                JSON_PROVIDER
            ),
            Miss::Null(i) => format!("The path {} is null", upto(i)),
            Miss::NotArray(i, found) => format!(
                "Filter: {} can only be applied to arrays. Current context is: {}",
                fragments(self.segs.get(i..).unwrap_or_default()),
                java_to_string(found)
            ),
            Miss::Function(ref name) => format!("Function of name: {name} cannot be created"),
        }
    }

    /// Writes `value` at this (reference) path inside `target`, creating intermediate objects as
    /// needed, as AWS ResultPath does ("$" replaces the whole target). Existing members keep
    /// their position. Err(message) when it cannot: a node on the way (or the target itself) is
    /// not an object where a name follows, not an array where an index follows, or an index is
    /// out of range; or the path is not a reference path.
    pub fn assign(&self, target: Value, value: Value) -> Result<Value, String> {
        if !self.is_reference() {
            return Err(format!(
                "'{}' is not a reference path: only names and indexes can be written to",
                self.text
            ));
        }
        let mut target = target;
        let mut value = Some(value);
        let mut cur = &mut target;
        let n = self.segs.len();
        for (i, seg) in self.segs.iter().enumerate() {
            let last = i + 1 == n;
            match seg {
                Seg::Name(name) => {
                    let m = match cur {
                        Value::Object(m) => m,
                        other => {
                            return Err(format!(
                                "Unable to set the property {} of {}: it is {}, not an object",
                                fragment(seg),
                                self.prefix(i),
                                describe(other)
                            ))
                        }
                    };
                    if last {
                        m.insert(name.to_string(), value.take().unwrap_or(Value::Null));
                        break;
                    }
                    cur = m
                        .entry(name.to_string())
                        .or_insert_with(|| Value::Object(Map::new()));
                }
                Seg::Index(k) => {
                    let a = match cur {
                        Value::Array(a) => a,
                        other => {
                            return Err(format!(
                                "Unable to set the element {} of {}: it is {}, not an array",
                                fragment(seg),
                                self.prefix(i),
                                describe(other)
                            ))
                        }
                    };
                    let len = a.len();
                    let Some(slot) = effective_index(*k, len).and_then(|x| a.get_mut(x)) else {
                        return Err(format!(
                            "Unable to set the element {} of {}: the array has {} element(s)",
                            fragment(seg),
                            self.prefix(i),
                            len
                        ));
                    };
                    if last {
                        *slot = value.take().unwrap_or(Value::Null);
                        break;
                    }
                    cur = slot;
                }
                _ => {
                    return Err(format!(
                        "'{}' is not a reference path: only names and indexes can be written to",
                        self.text
                    ))
                }
            }
        }
        match value {
            // An empty path ("$"): the value replaces the whole target.
            Some(v) => Ok(v),
            None => Ok(target),
        }
    }

    fn prefix(&self, i: usize) -> String {
        format!("${}", fragments(self.segs.get(..i).unwrap_or_default()))
    }
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

// ---------------------------------------------------------------------------------------------
// Normalised text (Jayway's PathToken.toString)

fn fragment(seg: &Seg) -> String {
    match seg {
        Seg::Name(n) => format!("['{n}']"),
        Seg::Names(ns) => {
            let parts: Vec<String> = ns.iter().map(|n| format!("'{n}'")).collect();
            format!("[{}]", parts.join(", "))
        }
        Seg::Index(i) => format!("[{i}]"),
        Seg::Indexes(is) => {
            let parts: Vec<String> = is.iter().map(|i| i.to_string()).collect();
            format!("[{}]", parts.join(","))
        }
        Seg::Slice(Slice::From(a)) => format!("[{a}:]"),
        Seg::Slice(Slice::To(b)) => format!("[:{b}]"),
        Seg::Slice(Slice::Between(a, b)) => format!("[{a}:{b}]"),
        Seg::Wildcard => "[*]".to_string(),
        Seg::Scan => "..".to_string(),
        Seg::Filter(_) => "[?]".to_string(),
        Seg::Function(f) => format!(".{}()", f.name()),
    }
}

fn fragments(segs: &[Seg]) -> String {
    segs.iter().map(fragment).collect()
}

impl Func {
    fn from_name(n: &str) -> Func {
        match n {
            "length" => Func::Length,
            "min" => Func::Min,
            "max" => Func::Max,
            "avg" => Func::Avg,
            "stddev" => Func::Stddev,
            other => Func::Unknown(other.into()),
        }
    }
    fn name(&self) -> &str {
        match self {
            Func::Length => "length",
            Func::Min => "min",
            Func::Max => "max",
            Func::Avg => "avg",
            Func::Stddev => "stddev",
            Func::Unknown(n) => n,
        }
    }
    /// Jayway 2.2's functions: `length()` of an array or object; the aggregations over the
    /// numbers of an array give doubles (`min` of none is Double.MAX_VALUE, `max` of none is
    /// Double.MIN_VALUE — Jayway's starting values); anything else gives null.
    fn apply(&self, v: &Value) -> Result<Value, String> {
        let nums = || -> Option<Vec<f64>> {
            v.as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
        };
        Ok(match self {
            Func::Length => match v {
                Value::Array(a) => Value::from(a.len()),
                Value::Object(m) => Value::from(m.len()),
                _ => Value::Null,
            },
            Func::Min => match nums() {
                Some(n) => double(n.into_iter().fold(f64::MAX, f64::min)),
                None => Value::Null,
            },
            Func::Max => match nums() {
                Some(n) => double(n.into_iter().fold(f64::from_bits(1), f64::max)),
                None => Value::Null,
            },
            Func::Avg => match nums() {
                Some(n) if n.is_empty() => double(0.0),
                Some(n) => double(n.iter().sum::<f64>() / n.len() as f64),
                None => Value::Null,
            },
            Func::Stddev => match nums() {
                Some(n) => {
                    let c = n.len() as f64;
                    let sum: f64 = n.iter().sum();
                    let sq: f64 = n.iter().map(|x| x * x).sum();
                    double((sq / c - sum * sum / c / c).sqrt())
                }
                None => Value::Null,
            },
            Func::Unknown(n) => return Err(n.to_string()),
        })
    }
}

fn double(f: f64) -> Value {
    Number::from_f64(f)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

// ---------------------------------------------------------------------------------------------
// Java renderings used in Jayway's messages

/// The Java class Jackson maps a JSON value to.
fn java_class(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "java.lang.Boolean",
        Value::String(_) => "java.lang.String",
        Value::Array(_) => "java.util.ArrayList",
        Value::Object(_) => "java.util.LinkedHashMap",
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                if i32::try_from(i).is_ok() {
                    "java.lang.Integer"
                } else {
                    "java.lang.Long"
                }
            } else if n.is_u64() {
                "java.math.BigInteger"
            } else {
                "java.lang.Double"
            }
        }
    }
}

/// `Object.toString()` of the Java value Jackson maps a JSON value to: `{a=1, b=[x, y]}`.
fn java_to_string(v: &Value) -> String {
    let mut s = String::new();
    java_write(v, &mut s);
    s
}

fn java_write(v: &Value, s: &mut String) {
    match v {
        Value::Null => s.push_str("null"),
        Value::Bool(b) => s.push_str(if *b { "true" } else { "false" }),
        Value::String(t) => s.push_str(t),
        Value::Number(n) => s.push_str(&java_number(n)),
        Value::Array(a) => {
            s.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                java_write(x, s);
            }
            s.push(']');
        }
        Value::Object(m) => {
            s.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                s.push_str(k);
                s.push('=');
                java_write(x, s);
            }
            s.push('}');
        }
    }
}

fn java_number(n: &Number) -> String {
    match n.as_f64() {
        Some(f) if !(n.is_i64() || n.is_u64()) => java_double(f),
        _ => n.to_string(),
    }
}

/// Java's `Double.toString`: `1.0`, `0.001`, `1234567.0`, `1.0E7`, `1.0E-4`.
fn java_double(d: f64) -> String {
    if d == 0.0 {
        return if d.is_sign_negative() { "-0.0" } else { "0.0" }.to_string();
    }
    if !d.is_finite() {
        return if d.is_nan() {
            "NaN"
        } else if d > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        }
        .to_string();
    }
    let sci = format!("{:e}", d.abs());
    let (mant, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let sign = if d < 0.0 { "-" } else { "" };
    let a = d.abs();
    if (1e-3..1e7).contains(&a) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                format!("{sign}{digits}{}.0", "0".repeat(int_len - digits.len()))
            } else {
                let (i, f) = digits.split_at(int_len);
                format!("{sign}{i}.{f}")
            }
        } else {
            format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize))
        }
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let rest = if rest.is_empty() { "0" } else { rest };
        format!("{sign}{first}.{rest}E{exp}")
    }
}

/// `new BigDecimal(text).toString()` for a Java number text; None when BigDecimal would reject it.
fn big_decimal_string(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut i = 0;
    let neg = match b.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let mut digits = String::new();
    let mut frac_len: i64 = 0;
    let mut seen_digit = false;
    let mut seen_point = false;
    while let Some(&c) = b.get(i) {
        if c.is_ascii_digit() {
            digits.push(c as char);
            seen_digit = true;
            if seen_point {
                frac_len += 1;
            }
        } else if c == b'.' && !seen_point {
            seen_point = true;
        } else {
            break;
        }
        i += 1;
    }
    if !seen_digit {
        return None;
    }
    let mut exp: i64 = 0;
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let rest = text.get(i + 1..)?;
        exp = rest.strip_prefix('+').unwrap_or(rest).parse().ok()?;
        if rest.starts_with("+-") || rest.starts_with("++") {
            return None;
        }
        i = b.len();
    }
    if i != b.len() {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    let digits = if trimmed.is_empty() { "0" } else { trimmed };
    // i128: no overflow whatever the exponent (Java's int scale would have rejected most).
    let scale = i128::from(frac_len) - i128::from(exp);
    let nd = digits.len() as i128;
    let adjusted = -scale + (nd - 1);
    let mut out = String::new();
    if neg && digits != "0" {
        out.push('-');
    }
    if scale == 0 {
        out.push_str(digits);
    } else if scale > 0 && adjusted >= -6 {
        if nd > scale {
            let (a, f) = digits.split_at((nd - scale) as usize);
            out.push_str(a);
            out.push('.');
            out.push_str(f);
        } else {
            out.push_str("0.");
            out.push_str(&"0".repeat((scale - nd) as usize));
            out.push_str(digits);
        }
    } else {
        let (a, f) = digits.split_at(1);
        out.push_str(a);
        if !f.is_empty() {
            out.push('.');
            out.push_str(f);
        }
        out.push('E');
        if adjusted > 0 {
            out.push('+');
        }
        out.push_str(&adjusted.to_string());
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/// Why a definite path failed; turned into Jayway's text only when a message is wanted.
enum Miss<'a> {
    /// A leaf (or an index anywhere) matched nothing: "No results for path: <whole path>".
    NoResults,
    /// The property of token `i` is absent and more tokens follow.
    MissingProperty(usize),
    /// Token `i` (a name) met a non-object.
    NotObject(usize, &'a Value),
    /// Token `i` (an index) met null.
    Null(usize),
    /// Token `i` (an index) met a non-array.
    NotArray(usize, &'a Value),
    /// An unknown function.
    Function(String),
}

fn effective_index(k: i32, len: usize) -> Option<usize> {
    if k < 0 {
        let back = usize::try_from(-(k as i64)).ok()?;
        len.checked_sub(back)
    } else {
        let k = k as usize;
        (k < len).then_some(k)
    }
}

/// A definite path, the way Jayway 2.2 evaluates one when every token is "upstream definite".
fn walk_definite<'a>(segs: &'a [Seg], root: &'a Value) -> Result<Cow<'a, Value>, Miss<'a>> {
    let mut cur = root;
    let n = segs.len();
    for (i, seg) in segs.iter().enumerate() {
        let leaf = i + 1 == n;
        match seg {
            Seg::Name(name) => {
                let Value::Object(m) = cur else {
                    return Err(Miss::NotObject(i, cur));
                };
                match m.get(&**name) {
                    Some(v) => cur = v,
                    None if leaf => return Err(Miss::NoResults),
                    None => return Err(Miss::MissingProperty(i)),
                }
            }
            Seg::Names(names) => {
                let Value::Object(m) = cur else {
                    return Err(Miss::NotObject(i, cur));
                };
                // Only ever the last token (otherwise the path is not definite).
                return Ok(Cow::Owned(Value::Object(merge_names(names, m))));
            }
            Seg::Index(k) => match cur {
                Value::Array(a) => match effective_index(*k, a.len()).and_then(|x| a.get(x)) {
                    Some(v) => cur = v,
                    // Jayway ignores an out-of-range index; nothing is found.
                    None => return Err(Miss::NoResults),
                },
                Value::Null => return Err(Miss::Null(i)),
                other => return Err(Miss::NotArray(i, other)),
            },
            Seg::Function(f) => {
                return f.apply(cur).map(Cow::Owned).map_err(Miss::Function);
            }
            // Not in a definite path.
            _ => return Err(Miss::NoResults),
        }
    }
    Ok(Cow::Borrowed(cur))
}

fn merge_names(names: &[Box<str>], m: &Map<String, Value>) -> Map<String, Value> {
    let mut merged = Map::new();
    for n in names {
        if let Some(v) = m.get(&**n) {
            merged.insert(n.to_string(), v.clone());
        }
    }
    merged
}

/// One step of the current location, for the one error an indefinite path can raise.
enum Step<'a> {
    Key(&'a str),
    Idx(usize),
}

struct Eval<'a> {
    root: &'a Value,
    out: Vec<Cow<'a, Value>>,
    trail: Vec<Step<'a>>,
}

impl<'a> Eval<'a> {
    fn trail_text(&self) -> String {
        let mut s = String::from("$");
        for st in &self.trail {
            match st {
                Step::Key(k) => {
                    s.push_str("['");
                    s.push_str(k);
                    s.push_str("']");
                }
                Step::Idx(i) => {
                    s.push('[');
                    s.push_str(&i.to_string());
                    s.push(']');
                }
            }
        }
        s
    }

    fn key(&mut self, segs: &'a [Seg], i: usize, k: &'a str, v: &'a Value) -> Result<(), PathMiss> {
        self.trail.push(Step::Key(k));
        let r = self.eval(segs, i, v);
        self.trail.pop();
        r
    }

    fn idx(&mut self, segs: &'a [Seg], i: usize, k: usize, v: &'a Value) -> Result<(), PathMiss> {
        self.trail.push(Step::Idx(k));
        let r = self.eval(segs, i, v);
        self.trail.pop();
        r
    }

    fn index_of(
        &mut self,
        segs: &'a [Seg],
        i: usize,
        a: &'a [Value],
        k: i32,
    ) -> Result<(), PathMiss> {
        if let Some(x) = effective_index(k, a.len()) {
            if let Some(v) = a.get(x) {
                return self.idx(segs, i, x, v);
            }
        }
        Ok(())
    }

    /// Applies `segs[i..]` to `node`, adding what matches to `out`. Absent members, wrong types
    /// and out-of-range indexes match nothing.
    fn eval(&mut self, segs: &'a [Seg], i: usize, node: &'a Value) -> Result<(), PathMiss> {
        let Some(seg) = segs.get(i) else {
            self.out.push(Cow::Borrowed(node));
            return Ok(());
        };
        let next = i + 1;
        let leaf = next == segs.len();
        match seg {
            Seg::Name(n) => {
                if let Value::Object(m) = node {
                    if let Some((k, v)) = m.get_key_value(&**n) {
                        self.key(segs, next, k, v)?;
                    }
                }
            }
            Seg::Names(names) => {
                if let Value::Object(m) = node {
                    if leaf {
                        self.out
                            .push(Cow::Owned(Value::Object(merge_names(names, m))));
                    } else {
                        return Err(PathMiss {
                            message: format!(
                                "Multi properties can only be used as path leafs: {}{}",
                                self.trail_text(),
                                fragment(seg)
                            ),
                        });
                    }
                }
            }
            Seg::Index(k) => {
                if let Value::Array(a) = node {
                    self.index_of(segs, next, a, *k)?;
                }
            }
            Seg::Indexes(ks) => {
                if let Value::Array(a) = node {
                    for k in ks {
                        self.index_of(segs, next, a, *k)?;
                    }
                }
            }
            Seg::Slice(s) => {
                if let Value::Array(a) = node {
                    let len = a.len() as i64;
                    let (from, to) = match *s {
                        Slice::From(f) => {
                            let f = f as i64;
                            ((if f < 0 { len + f } else { f }).max(0), len)
                        }
                        Slice::To(t) => {
                            let t = t as i64;
                            (0, (if t < 0 { len + t } else { t }).min(len))
                        }
                        // Jayway clamps only the end; a negative index in the range counts
                        // from the end when it is read.
                        Slice::Between(f, t) => (f as i64, (t as i64).min(len)),
                    };
                    if len > 0 {
                        // Positions before -len match nothing: skip them without looping.
                        let mut k = from.max(-len);
                        while k < to {
                            if let Ok(k32) = i32::try_from(k) {
                                self.index_of(segs, next, a, k32)?;
                            }
                            k += 1;
                        }
                    }
                }
            }
            Seg::Wildcard => match node {
                Value::Object(m) => {
                    for (k, v) in m {
                        self.key(segs, next, k, v)?;
                    }
                }
                Value::Array(a) => {
                    for (k, v) in a.iter().enumerate() {
                        self.idx(segs, next, k, v)?;
                    }
                }
                _ => {}
            },
            Seg::Scan => {
                if next < segs.len() {
                    self.walk(segs, next, node)?;
                }
            }
            Seg::Filter(e) => match node {
                Value::Object(_) if accept(e, node, self.root) => {
                    self.eval(segs, next, node)?;
                }
                Value::Array(a) => {
                    for (k, v) in a.iter().enumerate() {
                        // AWS: a filter only ever matches objects.
                        if v.is_object() && accept(e, v, self.root) {
                            self.idx(segs, next, k, v)?;
                        }
                    }
                }
                _ => {}
            },
            Seg::Function(f) => {
                let v = f.apply(node).map_err(|name| PathMiss {
                    message: format!("Function of name: {name} cannot be created"),
                })?;
                self.out.push(Cow::Owned(v));
            }
        }
        Ok(())
    }

    /// Jayway's `..`: looks for `segs[j]` at `node` and at every node below it, in document
    /// order (a node before its children).
    fn walk(&mut self, segs: &'a [Seg], j: usize, node: &'a Value) -> Result<(), PathMiss> {
        let Some(pt) = segs.get(j) else { return Ok(()) };
        match node {
            Value::Object(m) => {
                if self.scan_matches(pt, node) {
                    self.eval(segs, j, node)?;
                }
                for (k, v) in m {
                    self.trail.push(Step::Key(k));
                    let r = self.walk(segs, j, v);
                    self.trail.pop();
                    r?;
                }
            }
            Value::Array(a) => {
                if self.scan_matches(pt, node) {
                    if j + 1 == segs.len() {
                        self.eval(segs, j, node)?;
                    } else {
                        // Jayway's walkArray: the token after the matched one is applied to every
                        // element (for `..[*].x` that is the same thing; for `..[0].x` it is a
                        // Jayway quirk, reproduced).
                        for (k, v) in a.iter().enumerate() {
                            self.idx(segs, j + 1, k, v)?;
                        }
                    }
                }
                for (k, v) in a.iter().enumerate() {
                    self.trail.push(Step::Idx(k));
                    let r = self.walk(segs, j, v);
                    self.trail.pop();
                    r?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn scan_matches(&self, pt: &Seg, node: &Value) -> bool {
        match pt {
            Seg::Name(n) => node.as_object().is_some_and(|m| m.contains_key(&**n)),
            Seg::Names(ns) => node
                .as_object()
                .is_some_and(|m| ns.iter().all(|n| m.contains_key(&**n))),
            Seg::Index(_) | Seg::Indexes(_) | Seg::Slice(_) => node.is_array(),
            Seg::Wildcard => true,
            Seg::Filter(e) => accept(e, node, self.root),
            Seg::Scan | Seg::Function(_) => false,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Filters

/// The value of a filter operand; None is Jayway's "undefined".
fn operand_value<'a>(op: &'a Operand, item: &'a Value, root: &'a Value) -> Option<Cow<'a, Value>> {
    match op {
        Operand::Lit(v) => Some(Cow::Borrowed(v)),
        Operand::Path(p) => fpath_value(p, item, root),
    }
}

fn fpath_value<'a>(p: &'a FPath, item: &'a Value, root: &'a Value) -> Option<Cow<'a, Value>> {
    let base = if p.from_root { root } else { item };
    if p.segs.is_empty() {
        // AWS: "@" does not match scalar values, only objects.
        return (p.from_root || base.is_object()).then_some(Cow::Borrowed(base));
    }
    if p.definite {
        walk_definite(&p.segs, base).ok()
    } else {
        let mut cx = Eval {
            root,
            out: Vec::new(),
            trail: Vec::new(),
        };
        cx.eval(&p.segs, 0, base).ok()?;
        Some(Cow::Owned(Value::Array(
            cx.out.into_iter().map(Cow::into_owned).collect(),
        )))
    }
}

fn accept(e: &Expr, item: &Value, root: &Value) -> bool {
    match e {
        Expr::Or(a, b) => accept(a, item, root) || accept(b, item, root),
        Expr::And(a, b) => accept(a, item, root) && accept(b, item, root),
        Expr::Not(a) => !accept(a, item, root),
        Expr::Exists(p, should) => {
            let found = match fpath_value(p, item, root) {
                None => false,
                // An indefinite path "exists" when it matches something.
                Some(v) => {
                    p.definite || p.segs.is_empty() || v.as_array().is_some_and(|a| !a.is_empty())
                }
            };
            found == *should
        }
        Expr::Rel(l, op, r) => {
            let lv = operand_value(l, item, root);
            let rv = operand_value(r, item, root);
            relate(lv.as_deref(), *op, rv.as_deref())
        }
    }
}

/// Jayway's ValueNode kinds.
#[derive(PartialEq, Clone, Copy)]
enum Kind {
    Undefined,
    Null,
    Bool,
    Num,
    Str,
    Json,
}

fn kind(v: Option<&Value>) -> Kind {
    match v {
        None => Kind::Undefined,
        Some(Value::Null) => Kind::Null,
        Some(Value::Bool(_)) => Kind::Bool,
        Some(Value::Number(_)) => Kind::Num,
        Some(Value::String(_)) => Kind::Str,
        Some(Value::Array(_) | Value::Object(_)) => Kind::Json,
    }
}

fn relate(l: Option<&Value>, op: RelOp, r: Option<&Value>) -> bool {
    match op {
        RelOp::Eq => equals(l, r),
        RelOp::Ne => !equals(l, r),
        RelOp::TsEq => kind(l) == kind(r) && equals(l, r),
        RelOp::TsNe => !(kind(l) == kind(r) && equals(l, r)),
        RelOp::Lt => order(l, r) == Some(Ordering::Less),
        RelOp::Le => matches!(order(l, r), Some(Ordering::Less | Ordering::Equal)),
        RelOp::Gt => order(l, r) == Some(Ordering::Greater),
        RelOp::Ge => matches!(order(l, r), Some(Ordering::Greater | Ordering::Equal)),
        RelOp::In => contains(r, l),
        RelOp::Nin => !contains(r, l),
    }
}

/// Jayway's `left.equals(right)`: numbers compare numerically, and a number equals a string that
/// reads as the same number (left number) or a string equals a number's BigDecimal text (left
/// string); JSON values compare structurally; undefined equals nothing.
fn equals(l: Option<&Value>, r: Option<&Value>) -> bool {
    match (l, r) {
        (Some(Value::Number(a)), Some(Value::Number(b))) => num_cmp(a, b) == Some(Ordering::Equal),
        (Some(Value::Number(a)), Some(Value::String(s))) => {
            number_from_text(s).is_some_and(|b| num_cmp(a, &b) == Some(Ordering::Equal))
        }
        (Some(Value::String(s)), Some(Value::Number(b))) => {
            let text = match b.as_f64() {
                Some(f) if !(b.is_i64() || b.is_u64()) => java_double(f),
                _ => b.to_string(),
            };
            big_decimal_string(&text).is_some_and(|t| &t == s)
        }
        (Some(Value::String(a)), Some(Value::String(b))) => a == b,
        (Some(Value::Bool(a)), Some(Value::Bool(b))) => a == b,
        (Some(Value::Null), Some(Value::Null)) => true,
        (
            Some(a @ (Value::Array(_) | Value::Object(_))),
            Some(b @ (Value::Array(_) | Value::Object(_))),
        ) => a == b,
        _ => false,
    }
}

fn order(l: Option<&Value>, r: Option<&Value>) -> Option<Ordering> {
    match (l, r) {
        (Some(Value::Number(a)), Some(Value::Number(b))) => num_cmp(a, b),
        // Java String.compareTo: UTF-16 code units.
        (Some(Value::String(a)), Some(Value::String(b))) => {
            Some(a.encode_utf16().cmp(b.encode_utf16()))
        }
        _ => None,
    }
}

fn contains(list: Option<&Value>, x: Option<&Value>) -> bool {
    match list {
        Some(Value::Array(a)) => a.iter().any(|e| equals(x, Some(e))),
        _ => false,
    }
}

fn num_cmp(a: &Number, b: &Number) -> Option<Ordering> {
    let int = |n: &Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    match (int(a), int(b)) {
        (Some(x), Some(y)) => Some(x.cmp(&y)),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

/// A number as Java's BigDecimal reads it (digits, optional point, optional exponent).
fn number_from_text(t: &str) -> Option<Number> {
    big_decimal_string(t)?;
    if let Ok(i) = t.parse::<i64>() {
        return Some(Number::from(i));
    }
    if let Ok(u) = t.parse::<u64>() {
        return Some(Number::from(u));
    }
    t.parse::<f64>().ok().and_then(Number::from_f64)
}

// ---------------------------------------------------------------------------------------------
// Parser (after Jayway's PathCompiler and FilterCompiler)

struct Parser<'t> {
    text: &'t str,
    b: &'t [u8],
    i: usize,
    depth: usize,
    /// Tokens and filter terms read so far.
    tokens: usize,
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Characters that end a path inside a filter (Jayway's readPath stops at relational-operator
/// characters, blanks and a closing parenthesis; `&`, `|` and `,` are added for sanity).
fn ends_filter_path(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\n' | b'\r' | b')' | b'<' | b'>' | b'=' | b'~' | b'!' | b'&' | b'|' | b','
    )
}

impl<'t> Parser<'t> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn at(&self, k: usize) -> Option<u8> {
        self.b.get(k).copied()
    }
    fn err(&self, what: &str) -> String {
        match self.text.get(self.i..).and_then(|r| r.chars().next()) {
            Some(c) => format!(
                "Invalid JSONPath '{}': {what} ('{c}' at position {})",
                self.text, self.i
            ),
            None => format!("Invalid JSONPath '{}': {what} (at the end)", self.text),
        }
    }
    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }
    /// Position of the next non-blank byte from `k`.
    fn significant(&self, mut k: usize) -> usize {
        while matches!(self.at(k), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            k += 1;
        }
        k
    }
    fn starts_with(&self, s: &str) -> bool {
        self.b
            .get(self.i..)
            .is_some_and(|r| r.starts_with(s.as_bytes()))
    }

    fn root(&mut self) -> Result<Root, String> {
        if self.peek() != Some(b'$') {
            return Err(format!(
                "Invalid JSONPath '{}': a path must start with '$'",
                self.text
            ));
        }
        self.i = 1;
        if self.peek() == Some(b'$') {
            self.i = 2;
            self.after_root()?;
            return Ok(Root::Context);
        }
        let rest = self.text.get(1..).unwrap_or("");
        let len: usize = rest
            .chars()
            .take_while(|c| is_ident_char(*c))
            .map(char::len_utf8)
            .sum();
        if len > 0 {
            let name = rest.get(..len).unwrap_or("").to_string();
            self.i = 1 + len;
            self.after_root()?;
            return Ok(Root::Variable(name));
        }
        self.after_root()?;
        Ok(Root::Data)
    }

    /// Jayway: the root must be followed by '.', '[' or nothing.
    fn after_root(&self) -> Result<(), String> {
        match self.peek() {
            None | Some(b'.' | b'[') => Ok(()),
            Some(_) => Err(self.err("expected '.' or '[' after the root")),
        }
    }

    /// Tokens up to the end of the text (or, inside a filter, up to the end of the operand).
    fn segments(&mut self, in_filter: bool) -> Result<Vec<Seg>, String> {
        let mut segs = Vec::new();
        while let Some(c) = self.peek() {
            if in_filter && (ends_filter_path(c) || c == b']') {
                break;
            }
            self.count()?;
            if matches!(segs.last(), Some(Seg::Function(_))) {
                return Err(self.err("a function must be the last element of a path"));
            }
            match c {
                b'.' => {
                    if self.at(self.i + 1) == Some(b'.') {
                        self.i += 2;
                        if self.peek().is_none() {
                            return Err(self.err("a path must not end with '..'"));
                        }
                        if self.peek() == Some(b'.') {
                            return Err(self.err("'.' is not valid here"));
                        }
                        segs.push(Seg::Scan);
                    } else {
                        self.i += 1;
                        if self.peek().is_none() {
                            return Err(self.err("a path must not end with '.'"));
                        }
                    }
                    match self.peek() {
                        Some(b'[') => segs.push(self.bracket()?),
                        Some(b'*') => {
                            self.i += 1;
                            segs.push(Seg::Wildcard);
                        }
                        _ => segs.push(self.property(in_filter)?),
                    }
                }
                b'[' => segs.push(self.bracket()?),
                b'*' => {
                    self.i += 1;
                    segs.push(Seg::Wildcard);
                }
                _ => segs.push(self.property(in_filter)?),
            }
        }
        Ok(segs)
    }

    /// A dot-notation name, or a function `name()`.
    fn property(&mut self, in_filter: bool) -> Result<Seg, String> {
        let start = self.i;
        while let Some(c) = self.peek() {
            if c == b'.' || c == b'[' || c == b'(' {
                break;
            }
            if in_filter && ends_filter_path(c) {
                break;
            }
            if c == b' ' || c == b'\t' || c == b'\n' || c == b'\r' {
                return Err(self.err(
                    "use bracket notation ['my prop'] if a property name contains blank characters",
                ));
            }
            self.i += 1;
        }
        let name = self.text.get(start..self.i).unwrap_or("");
        if name.is_empty() {
            return Err(self.err("expected a property name"));
        }
        if self.peek() == Some(b'(') {
            if self.at(self.i + 1) != Some(b')') {
                return Err(self.err("functions take no arguments"));
            }
            self.i += 2;
            return Ok(Seg::Function(Func::from_name(name)));
        }
        Ok(Seg::Name(name.into()))
    }

    fn bracket(&mut self) -> Result<Seg, String> {
        let open = self.i;
        let j = self.significant(self.i + 1);
        match self.at(j) {
            Some(q @ (b'\'' | b'"')) => {
                self.i = j;
                self.quoted_names(q)
            }
            Some(b'0'..=b'9' | b'-' | b':') => self.array_token(),
            Some(b'*') => {
                let k = self.significant(j + 1);
                if self.at(k) != Some(b']') {
                    self.i = j + 1;
                    return Err(self.err("expected the wildcard token to end with ']'"));
                }
                self.i = k + 1;
                Ok(Seg::Wildcard)
            }
            Some(b'?') => {
                let k = self.significant(j + 1);
                if self.at(k) != Some(b'(') {
                    self.i = k;
                    return Err(self.err("expected '(' after '[?'"));
                }
                self.i = k + 1;
                self.depth += 1;
                if self.depth > MAX_NESTING {
                    return Err(self.err("filters are nested too deeply"));
                }
                let e = self.or()?;
                self.depth -= 1;
                self.skip_ws();
                if self.peek() != Some(b')') {
                    return Err(self.err("expected ')' closing the filter"));
                }
                self.i += 1;
                self.skip_ws();
                if self.peek() != Some(b']') {
                    return Err(self.err("expected ']' closing the filter"));
                }
                self.i += 1;
                Ok(Seg::Filter(Box::new(e)))
            }
            _ => {
                self.i = open;
                Err(self.err("could not parse the bracket: expected ?, ', \", 0-9, - , : or *"))
            }
        }
    }

    /// `['a']`, `["a"]`, `['a', 'b']`: a name runs to the next quote of the same kind; nothing
    /// inside is an escape (recorded: `$['Test\""Name"']` is the key `Test\""Name"`).
    fn quoted_names(&mut self, q: u8) -> Result<Seg, String> {
        let mut names: Vec<Box<str>> = Vec::new();
        loop {
            // At the opening quote.
            let start = self.i + 1;
            let Some(len) = self
                .b
                .get(start..)
                .and_then(|r| r.iter().position(|&c| c == q))
            else {
                return Err(self.err(&format!(
                    "the property has not been closed - missing closing {}",
                    q as char
                )));
            };
            names.push(self.text.get(start..start + len).unwrap_or("").into());
            self.i = self.significant(start + len + 1);
            match self.peek() {
                Some(b']') => {
                    self.i += 1;
                    break;
                }
                Some(b',') => {
                    self.i = self.significant(self.i + 1);
                    if self.peek() != Some(q) {
                        return Err(self.err("expected a quoted property after ','"));
                    }
                }
                _ => {
                    return Err(self
                        .err("properties must be separated by ',' and the bracket closed by ']'"))
                }
            }
        }
        if names.len() == 1 {
            Ok(Seg::Name(names.pop().unwrap_or_default()))
        } else {
            Ok(Seg::Names(names))
        }
    }

    /// `[0]`, `[-1]`, `[0,2]`, `[1:]`, `[:2]`, `[1:3]` (Jayway's ArrayIndexOperation and
    /// ArraySliceOperation).
    fn array_token(&mut self) -> Result<Seg, String> {
        let open = self.i;
        let Some(close) = self
            .b
            .get(open + 1..)
            .and_then(|r| r.iter().position(|&c| c == b']'))
            .map(|k| open + 1 + k)
        else {
            return Err(self.err("missing ']'"));
        };
        let expr = self.text.get(open + 1..close).unwrap_or("").trim();
        if !expr
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b',' | b'-' | b':' | b' '))
        {
            return Err(self.err("could not parse the array index or slice"));
        }
        let java_int = |t: &str| -> Result<i32, String> {
            t.trim().parse::<i32>().map_err(|_| {
                format!(
                    "Invalid JSONPath '{}': '{}' is not an integer index",
                    self.text,
                    t.trim()
                )
            })
        };
        let seg = if expr.contains(':') {
            if expr.contains(' ') || expr.contains(',') {
                return Err(format!(
                    "Invalid JSONPath '{}': failed to parse the slice '{expr}'",
                    self.text
                ));
            }
            // Java's split(":") drops trailing empty parts; a third part (a step) is ignored.
            let mut parts: Vec<&str> = expr.split(':').collect();
            while parts.last() == Some(&"") {
                parts.pop();
            }
            let read = |k: usize| -> Result<Option<i32>, String> {
                match parts.get(k) {
                    None | Some(&"") => Ok(None),
                    Some(t) => java_int(t).map(Some),
                }
            };
            match (read(0)?, read(1)?) {
                (Some(a), None) => Seg::Slice(Slice::From(a)),
                (None, Some(b)) => Seg::Slice(Slice::To(b)),
                (Some(a), Some(b)) => Seg::Slice(Slice::Between(a, b)),
                (None, None) => {
                    return Err(format!(
                        "Invalid JSONPath '{}': failed to parse the slice '{expr}'",
                        self.text
                    ))
                }
            }
        } else {
            let mut parts: Vec<&str> = expr.split(',').collect();
            while parts.last() == Some(&"") {
                parts.pop();
            }
            let mut ks = Vec::with_capacity(parts.len());
            for t in parts {
                ks.push(java_int(t)?);
            }
            match ks.as_slice() {
                [] => return Err(self.err("empty index")),
                [k] => Seg::Index(*k),
                _ => Seg::Indexes(ks),
            }
        };
        self.i = close + 1;
        Ok(seg)
    }

    // --- filter expressions

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        loop {
            self.skip_ws();
            if self.starts_with("||") {
                self.i += 2;
                let right = self.and()?;
                left = Expr::Or(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.and_operand()?;
        loop {
            self.skip_ws();
            if self.starts_with("&&") {
                self.i += 2;
                let right = self.and_operand()?;
                left = Expr::And(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn and_operand(&mut self) -> Result<Expr, String> {
        self.skip_ws();
        if self.peek() == Some(b'!') {
            let k = self.significant(self.i + 1);
            if !matches!(self.at(k), Some(b'@' | b'$')) {
                // `!( ... )` and `!!...`: a negation; `!@.x` is read as an operand below.
                self.i += 1;
                self.nest()?;
                let e = self.and_operand()?;
                self.depth -= 1;
                return Ok(Expr::Not(Box::new(e)));
            }
        }
        if self.peek() == Some(b'(') {
            self.i += 1;
            self.nest()?;
            let e = self.or()?;
            self.depth -= 1;
            self.skip_ws();
            if self.peek() != Some(b')') {
                return Err(self.err("expected ')'"));
            }
            self.i += 1;
            return Ok(e);
        }
        self.relation()
    }

    fn nest(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            Err(self.err("the filter is nested too deeply"))
        } else {
            Ok(())
        }
    }

    fn count(&mut self) -> Result<(), String> {
        self.tokens += 1;
        if self.tokens > MAX_TOKENS {
            Err(self.err("the path is too long"))
        } else {
            Ok(())
        }
    }

    fn relation(&mut self) -> Result<Expr, String> {
        self.count()?;
        let (left, negated) = self.value()?;
        let save = self.i;
        if let Some(op) = self.rel_op()? {
            let (right, _) = self.value()?;
            return Ok(Expr::Rel(left, op, right));
        }
        self.i = save;
        match left {
            Operand::Path(p) => Ok(Expr::Exists(p, !negated)),
            Operand::Lit(_) => Err(self.err("expected a comparison operator after a literal")),
        }
    }

    /// Jayway's readRelationalOperator: a run of operator characters, or a word up to a blank.
    fn rel_op(&mut self) -> Result<Option<RelOp>, String> {
        self.skip_ws();
        let start = self.i;
        let is_op = |c: u8| matches!(c, b'<' | b'>' | b'=' | b'~' | b'!');
        if self.peek().is_some_and(is_op) {
            while self.peek().is_some_and(is_op) {
                self.i += 1;
            }
            let op = match self.text.get(start..self.i).unwrap_or("") {
                "==" => RelOp::Eq,
                "!=" => RelOp::Ne,
                "===" => RelOp::TsEq,
                "!==" => RelOp::TsNe,
                "<" => RelOp::Lt,
                "<=" => RelOp::Le,
                ">" => RelOp::Gt,
                ">=" => RelOp::Ge,
                "=~" => {
                    self.i = start;
                    return Err(self.err(
                        "regular expression filters (=~) are not supported by Step Functions",
                    ));
                }
                other => {
                    let msg = format!("unknown operator '{other}'");
                    self.i = start;
                    return Err(self.err(&msg));
                }
            };
            return Ok(Some(op));
        }
        while self
            .peek()
            .is_some_and(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.i += 1;
        }
        let word = self
            .text
            .get(start..self.i)
            .unwrap_or("")
            .to_ascii_lowercase();
        match word.as_str() {
            "in" => Ok(Some(RelOp::In)),
            "nin" => Ok(Some(RelOp::Nin)),
            "subsetof" | "anyof" | "noneof" | "size" | "empty" | "contains" | "all" | "type"
            | "matches" => {
                self.i = start;
                Err(self.err(&format!(
                    "the operator '{word}' is not supported by Step Functions"
                )))
            }
            _ => Ok(None),
        }
    }

    /// An operand: `@...`, `$...`, `!@...` (negated existence) or a literal.
    fn value(&mut self) -> Result<(Operand, bool), String> {
        self.skip_ws();
        let mut negated = false;
        if self.peek() == Some(b'!') {
            self.i += 1;
            self.skip_ws();
            if !matches!(self.peek(), Some(b'@' | b'$')) {
                return Err(self.err("expected a path after '!'"));
            }
            negated = true;
        }
        match self.peek() {
            Some(c @ (b'@' | b'$')) => {
                self.i += 1;
                match self.peek() {
                    None | Some(b'.' | b'[') => {}
                    Some(c) if ends_filter_path(c) || c == b']' => {}
                    Some(_) => return Err(self.err("expected '.' or '[' after '@' or '$'")),
                }
                let segs = self.segments(true)?;
                let definite = segs_definite(&segs);
                Ok((
                    Operand::Path(FPath {
                        from_root: c == b'$',
                        segs,
                        definite,
                    }),
                    negated,
                ))
            }
            _ => Ok((Operand::Lit(self.literal()?), false)),
        }
    }

    fn literal(&mut self) -> Result<Value, String> {
        match self.peek() {
            Some(q @ (b'\'' | b'"')) => {
                let start = self.i + 1;
                let mut k = start;
                loop {
                    match self.at(k) {
                        None => {
                            return Err(self.err("unterminated string literal"));
                        }
                        Some(b'\\') => k += 2,
                        Some(c) if c == q => break,
                        Some(_) => k += 1,
                    }
                }
                let raw = self.text.get(start..k).unwrap_or("");
                self.i = k + 1;
                Ok(Value::String(java_unescape(raw)))
            }
            Some(b'[' | b'{') => {
                let start = self.i;
                let end = self.matching_close(start)?;
                let raw = self.text.get(start..end).unwrap_or("");
                self.i = end;
                lenient_json(raw).ok_or_else(|| {
                    format!(
                        "Invalid JSONPath '{}': '{raw}' is not a valid JSON literal",
                        self.text
                    )
                })
            }
            Some(b'/') => {
                Err(self.err("regular expression filters (=~) are not supported by Step Functions"))
            }
            Some(b't' | b'f' | b'n') => {
                for (word, v) in [
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("null", Value::Null),
                ] {
                    if self.starts_with(word) {
                        self.i += word.len();
                        return Ok(v);
                    }
                }
                Err(self.err("expected true, false or null"))
            }
            _ => {
                let start = self.i;
                while self.peek().is_some_and(|c| {
                    c.is_ascii_digit() || matches!(c, b'-' | b'.' | b'e' | b'E' | b'+')
                }) {
                    self.i += 1;
                }
                let t = self.text.get(start..self.i).unwrap_or("");
                match number_from_text(t) {
                    Some(n) => Ok(Value::Number(n)),
                    None => {
                        self.i = start;
                        Err(self.err("expected a literal (a number, a quoted string, true, false, null, or a JSON array/object)"))
                    }
                }
            }
        }
    }

    /// The index just past the bracket matching the one at `start`, skipping quoted strings.
    fn matching_close(&self, start: usize) -> Result<usize, String> {
        let mut depth = 0usize;
        let mut k = start;
        while let Some(c) = self.at(k) {
            match c {
                b'[' | b'{' => depth += 1,
                b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(k + 1);
                    }
                }
                b'\'' | b'"' => {
                    k += 1;
                    while let Some(d) = self.at(k) {
                        if d == b'\\' {
                            k += 1;
                        } else if d == c {
                            break;
                        }
                        k += 1;
                    }
                }
                _ => {}
            }
            k += 1;
        }
        Err(self.err("unbalanced brackets in a JSON literal"))
    }
}

/// Java-style unescaping of a filter string literal (Jayway's Utils.unescape).
fn java_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = (0..4).filter_map(|_| it.next()).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if hex.len() == 4 => out.push(ch),
                    _ => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// A JSON literal of a filter; single-quoted strings are accepted (as Jayway's examples write
/// `in ['S', 'M']`).
fn lenient_json(raw: &str) -> Option<Value> {
    let mut out = String::with_capacity(raw.len() + 8);
    let mut it = raw.chars();
    while let Some(c) = it.next() {
        match c {
            '\'' => {
                let mut s = String::new();
                loop {
                    match it.next()? {
                        '\\' => {
                            let e = it.next()?;
                            s.push('\\');
                            s.push(e);
                        }
                        '\'' => break,
                        '"' => s.push_str("\\\""),
                        ch => s.push(ch),
                    }
                }
                // Re-read as JSON string content to validate escapes.
                let v: String =
                    serde_json::from_str(&format!("\"{}\"", s.replace("\\'", "'"))).ok()?;
                out.push_str(&serde_json::to_string(&v).ok()?);
            }
            '"' => {
                out.push('"');
                loop {
                    let ch = it.next()?;
                    out.push(ch);
                    if ch == '\\' {
                        out.push(it.next()?);
                    } else if ch == '"' {
                        break;
                    }
                }
            }
            ch => out.push(ch),
        }
    }
    serde_json::from_str(&out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(t: &str) -> Path {
        match Path::parse(t) {
            Ok(p) => p,
            Err(e) => panic!("{t}: {e}"),
        }
    }
    fn sel(t: &str, v: &Value) -> Result<Value, String> {
        p(t).select(v).map_err(|m| m.message)
    }
    fn miss(t: &str, v: &Value) -> String {
        match p(t).select(v) {
            Ok(x) => panic!("{t} selected {x}"),
            Err(m) => m.message,
        }
    }
    const JACKSON: &str = "This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JacksonJsonProvider'.";

    // --- parsing -------------------------------------------------------------------------

    #[test]
    fn roots_and_text() {
        assert_eq!(p("$").root(), &Root::Data);
        assert_eq!(p("$.a").root(), &Root::Data);
        assert_eq!(p("$['a']").root(), &Root::Data);
        assert_eq!(p("$$").root(), &Root::Context);
        assert_eq!(p("$$.Execution.Input").root(), &Root::Context);
        assert_eq!(p("$$['Map']").root(), &Root::Context);
        assert_eq!(p("$myVar").root(), &Root::Variable("myVar".into()));
        assert_eq!(
            p("$my_var2.field").root(),
            &Root::Variable("my_var2".into())
        );
        assert_eq!(p("$x[0]").root(), &Root::Variable("x".into()));
        assert_eq!(p("$überVar.ä").root(), &Root::Variable("überVar".into()));
        assert_eq!(p("$.a.b").text(), "$.a.b");
        // Trailing blanks are trimmed (Jayway trims); the text is kept as written.
        assert_eq!(p("$.a.b \n").text(), "$.a.b \n");
        assert_eq!(p("$.a.b \n").normalized(), "$['a']['b']");
        assert_eq!(p("$$.Map.Item.Value").first_name(), Some("Map"));
        assert_eq!(p("$$").first_name(), None);
        assert_eq!(p("$[0]").first_name(), None);
        assert_eq!(p("$[\"a\"][0]").normalized(), "$['a'][0]");
    }

    #[test]
    fn accepted_syntax() {
        for t in [
            "$",
            "$.a",
            "$.a.b",
            "$['a b']",
            "$[\"a\"]",
            "$.a[0]",
            "$.a[-1]",
            "$.a[*]",
            "$.*",
            "$[*]",
            "$[ * ]",
            "$..name",
            "$..*",
            "$..[0]",
            "$..['a']",
            "$.a[1:3]",
            "$.a[:2]",
            "$.a[1:]",
            "$.a[-2:]",
            "$.a[0,2]",
            "$.a[0, 2]",
            "$['a','b']",
            "$['a', 'b']",
            "$.a[?(@.price < 10)]",
            "$.a[?(@.x == 'y' && @.z)]",
            "$[?(@.k)]",
            "$[?(!@.k)]",
            "$[ ?( @.k ) ]",
            "$.a[?(@.x in ['a','b'])]",
            "$.a[?(@.x nin [1, 2])]",
            "$.a[?((@.a > 1 || @.b) && !(@.c == \"d\"))]",
            "$.a[?(@.p > $.min)]",
            "$.a.length()",
            "$.length()",
            "$.a.sum()",
            "$$.Execution.Input",
            "$var.field",
            "$.destroy-status",
            "$.a:b",
            "$.abc.['def ghi']",
            "$['a']b",
            "$[0]*",
            "$['Test\\\"\"Name\"']",
            "$.a[?(@.t.length() > 1)]",
            "$.a[?(@ == 1)]",
            "$[?(@.a === 1 || @.b !== '1')]",
            "$.a[?(@.o == {'k': [1, 'x']})]",
            "$ ",
            "$.a\t",
        ] {
            assert!(Path::parse(t).is_ok(), "{t}: {:?}", Path::parse(t).err());
        }
    }

    #[test]
    fn rejected_syntax() {
        for t in [
            "",
            "a",
            "a.b",
            " $.a",
            "$.",
            "$..",
            "$.a.",
            "$. ",
            "$.a. ",
            "$.a..",
            "$...a",
            "$.a b",
            "$a b",
            "$*",
            "$$$",
            "$[",
            "$.a[",
            "$['a'",
            "$['a' 'b']",
            "$['a',]",
            "$[a]",
            "$[]",
            "$[0",
            "$[1:2:x]",
            "$[::]",
            "$[:]",
            "$[1: 2]",
            "$[0,,1]",
            "$[,0]",
            "$[1-2]",
            "$[99999999999]",
            "$[?(@.a <)]",
            "$[?(@.a =~ /x/)]",
            "$[?(@.a)",
            "$[?@.a]",
            "$[?(@.a size 2)]",
            "$[?(@.a subsetof ['x'])]",
            "$[?(1)]",
            "$[?(@.a == x)]",
            "$[?(@.a == 'x)]",
            "$.a.length().b",
            "$.a.length(1)",
            "$.()",
            "$[?(@.a == [1,)]",
            "$[?(@abc)]",
        ] {
            assert!(Path::parse(t).is_err(), "{t} should not parse");
        }
        let e = Path::parse("$.a b").err().unwrap_or_default();
        assert!(e.contains("bracket notation"), "{e}");
        let e = Path::parse("$[?(@.a =~ /x/)]").err().unwrap_or_default();
        assert!(e.contains("not supported"), "{e}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("$[?({}@.a{})]", "(".repeat(500), ")".repeat(500));
        assert!(Path::parse(&deep).is_err());
        let mut nested = String::from("@.a");
        for _ in 0..200 {
            nested = format!("@.b[?({nested})]");
        }
        assert!(Path::parse(&format!("$[?({nested})]")).is_err());
        let bangs = format!("$[?({}@.a == 1)]", "!(".repeat(300));
        assert!(Path::parse(&bangs).is_err());
        let long_or = format!("$[?(@.a{})]", " || @.a".repeat(100_000));
        assert!(Path::parse(&long_or).is_err());
        let filters = format!("${}", "[?(@)]".repeat(100_000));
        assert!(Path::parse(&filters).is_err());
        let names = format!("${}", ".a".repeat(100_000));
        assert!(Path::parse(&names).is_err());
        assert!(Path::parse(&format!("${}", ".a".repeat(200))).is_ok());
        // A huge slice start does not loop over billions of positions.
        assert_eq!(
            sel("$[-2147483648:1]", &json!([7, 8])),
            Ok(json!([7, 8, 7]))
        );
        assert_eq!(
            big_decimal_string("1234567e9223372036854775807"),
            Some("1.234567E+9223372036854775813".into())
        );
        assert_eq!(
            big_decimal_string("1e-9223372036854775808"),
            Some("1E-9223372036854775808".into())
        );
    }

    #[test]
    fn definiteness() {
        for t in [
            "$",
            "$.a",
            "$.a[0].b",
            "$.a[-1]",
            "$['a','b']",
            "$.a.length()",
            "$$.x",
            "$v.y",
        ] {
            assert!(p(t).is_definite(), "{t}");
        }
        for t in [
            "$[*]",
            "$.*",
            "$..a",
            "$.a[1:]",
            "$.a[0,1]",
            "$['a','b'].c",
            "$[?(@.a)]",
        ] {
            assert!(!p(t).is_definite(), "{t}");
        }
    }

    #[test]
    fn reference_paths() {
        for t in [
            "$",
            "$.a.b",
            "$.a[0]",
            "$['a b'][2].c",
            "$$.Map.Item.Value",
            "$var.x",
            "$x",
        ] {
            assert!(Path::parse_reference(t).is_ok(), "{t}");
            assert!(p(t).is_reference(), "{t}");
        }
        for t in [
            "$.a[*]",
            "$.*",
            "$.a[-1]",
            "$..a",
            "$.a[0,1]",
            "$.a[1:2]",
            "$.a[?(@.x)]",
            "$.a.length()",
            "$['a','b']",
            "a",
        ] {
            assert!(Path::parse_reference(t).is_err(), "{t}");
        }
        let e = Path::parse_reference("$.a[*]").err().unwrap_or_default();
        assert!(e.contains("wildcard"), "{e}");
    }

    // --- definite paths and Jayway's messages ---------------------------------------------

    #[test]
    fn definite_selection() {
        let v = json!({"a": {"b": [10, 20, {"c": "x"}]}, "x y": 1, "": 2, "q'q": 3, "Test\\\"\"Name\"": "V"});
        assert_eq!(sel("$", &v), Ok(v.clone()));
        assert_eq!(sel("$.a.b[1]", &v), Ok(json!(20)));
        assert_eq!(sel("$.a.b[-1].c", &v), Ok(json!("x")));
        assert_eq!(sel("$.a.b[-3]", &v), Ok(json!(10)));
        assert_eq!(sel("$['x y']", &v), Ok(json!(1)));
        assert_eq!(sel("$[\"x y\"]", &v), Ok(json!(1)));
        assert_eq!(sel("$.['x y']", &v), Ok(json!(1)));
        assert_eq!(sel("$['']", &v), Ok(json!(2)));
        assert_eq!(sel("$[\"q'q\"]", &v), Ok(json!(3)));
        assert_eq!(sel("$['a']b", &v), Ok(json!([10, 20, {"c": "x"}])));
        // Recorded (ESCAPE_SEQUENCES_JSONPATH): no escapes inside a bracket-quoted name.
        assert_eq!(sel("$['Test\\\"\"Name\"']", &v), Ok(json!("V")));
        // Recorded (test_json_path_array_access).
        let items: Vec<Value> = (0..11).map(|i| json!({ "item_key": i })).collect();
        let input = json!({ "items": items });
        assert_eq!(sel("$.items[0]", &input), Ok(json!({"item_key": 0})));
        assert_eq!(sel("$.items[10]", &input), Ok(json!({"item_key": 10})));
        // Borrowed, not copied.
        let path = p("$.a.b");
        assert!(matches!(path.select_cow(&v), Ok(Cow::Borrowed(_))));
        assert!(path.find(&v).is_some());
        assert!(p("$.zz").find(&v).is_none());
    }

    #[test]
    fn recorded_miss_messages() {
        // Recorded: ST.INVALID_JSONPATH_IN_INPUTPATH / _OUTPUTPATH / _TIMEOUTSECONDSPATH.
        let input = json!({"int-literal": 0});
        assert_eq!(
            miss("$.NoSuchInputPath", &input),
            "No results for path: $['NoSuchInputPath']"
        );
        assert_eq!(
            miss("$.NoSuchOutputPath", &input),
            "No results for path: $['NoSuchOutputPath']"
        );
        assert_eq!(
            miss("$.NoSuchTimeoutSecondsPath", &input),
            "No results for path: $['NoSuchTimeoutSecondsPath']"
        );
        // Facts sheet §3.2 (OutputPath): a missing intermediate property.
        assert_eq!(
            miss("$.no.such.result.path", &input),
            "Missing property in path $['no']"
        );
    }

    #[test]
    fn jayway_miss_messages() {
        let v = json!({"a": {"b": 1, "s": "str", "n": null, "i": 5, "l": 5000000000i64, "f": 1.5,
                             "arr": [1, {"k": "v"}], "o": {"x": 1, "y": [1, "z"]}}});
        assert_eq!(
            miss("$.a.missing", &v),
            "No results for path: $['a']['missing']"
        );
        assert_eq!(
            miss("$.a.no.c", &v),
            "Missing property in path $['a']['no']"
        );
        assert_eq!(
            miss("$[\"a\"][\"zz\"]", &v),
            "No results for path: $['a']['zz']"
        );
        assert_eq!(
            miss("$.a.s.x", &v),
            format!("Expected to find an object with property ['x'] in path $['a']['s'] but found 'java.lang.String'. {JACKSON}")
        );
        assert_eq!(
            miss("$.a.n.x.y", &v),
            format!("Expected to find an object with property ['x'] in path $['a']['n'] but found 'null'. {JACKSON}")
        );
        assert_eq!(
            miss("$.a.i.x", &v),
            format!("Expected to find an object with property ['x'] in path $['a']['i'] but found 'java.lang.Integer'. {JACKSON}")
        );
        assert_eq!(
            miss("$.a.l.x", &v),
            format!("Expected to find an object with property ['x'] in path $['a']['l'] but found 'java.lang.Long'. {JACKSON}")
        );
        assert_eq!(
            miss("$.a.f.x", &v),
            format!("Expected to find an object with property ['x'] in path $['a']['f'] but found 'java.lang.Double'. {JACKSON}")
        );
        assert_eq!(
            miss("$.a.arr.x", &v),
            format!("Expected to find an object with property ['x'] in path $['a']['arr'] but found 'java.util.ArrayList'. {JACKSON}")
        );
        assert_eq!(
            miss("$.x", &json!([1])),
            format!("Expected to find an object with property ['x'] in path $ but found 'java.util.ArrayList'. {JACKSON}")
        );
        assert_eq!(
            miss("$.a.arr[0].k", &v),
            format!("Expected to find an object with property ['k'] in path $['a']['arr'][0] but found 'java.lang.Integer'. {JACKSON}")
        );
        assert_eq!(
            miss("$.a.arr[1].zz", &v),
            "No results for path: $['a']['arr'][1]['zz']"
        );
        assert_eq!(
            miss("$.a.arr[5]", &v),
            "No results for path: $['a']['arr'][5]"
        );
        assert_eq!(
            miss("$.a.arr[-3].k", &v),
            "No results for path: $['a']['arr'][-3]['k']"
        );
        assert_eq!(miss("$.a.n[0]", &v), "The path $['a']['n'] is null");
        assert_eq!(
            miss("$.a.o[0].x", &v),
            "Filter: [0]['x'] can only be applied to arrays. Current context is: {x=1, y=[1, z]}"
        );
        assert_eq!(
            miss("$.a.f[0]", &v),
            "Filter: [0] can only be applied to arrays. Current context is: 1.5"
        );
        assert_eq!(
            miss("$['a']['o']['x', 'q'].z", &v),
            "Multi properties can only be used as path leafs: $['a']['o']['x', 'q']"
        );
    }

    // --- indefinite paths ------------------------------------------------------------------

    #[test]
    fn recorded_indefinite_paths_on_empty_input() {
        // Recorded: test_json_path_array_wildcard_or_slice_with_no_input[...] with input {}.
        for t in [
            "$.items[*]",
            "$.items[1:]",
            "$.items[:1]",
            "$.item.items[*]",
            "$.item.items[:1]",
            "$.item.items[1:5]",
            "$[*]",
            "$.items[*].itemValue",
            "$.items[1:].itemValue",
        ] {
            assert_eq!(sel(t, &json!({})), Ok(json!([])), "{t}");
        }
    }

    #[test]
    fn wildcards_and_unions() {
        let v = json!({"items": [{"p": 1, "k": "a"}, {"p": 5, "k": "b"}, {"p": 9}, 7],
                       "o": {"x": 1, "y": {"z": 2}}});
        assert_eq!(sel("$.items[*].p", &v), Ok(json!([1, 5, 9])));
        assert_eq!(sel("$.items[*].k", &v), Ok(json!(["a", "b"])));
        assert_eq!(sel("$.o.*", &v), Ok(json!([1, {"z": 2}])));
        assert_eq!(sel("$.o[*]", &v), Ok(json!([1, {"z": 2}])));
        assert_eq!(sel("$.*.x", &v), Ok(json!([1])));
        assert_eq!(sel("$.items[0,2].p", &v), Ok(json!([1, 9])));
        assert_eq!(sel("$.items[0,-1]", &v), Ok(json!([{"p": 1, "k": "a"}, 7])));
        assert_eq!(sel("$.items[0,9]", &v), Ok(json!([{"p": 1, "k": "a"}])));
        assert_eq!(sel("$.o.x[*]", &v), Ok(json!([])));
        assert_eq!(sel("$.nothing[*]", &v), Ok(json!([])));
        // Leaf multi-names merge into one object (real AWS output): a definite result.
        assert_eq!(sel("$.o['x','y']", &v), Ok(json!({"x": 1, "y": {"z": 2}})));
        assert_eq!(
            sel("$.o['y','x','q']", &v),
            Ok(json!({"y": {"z": 2}, "x": 1}))
        );
        assert_eq!(
            sel(
                "$['a', 'b']",
                &json!({"a": {"v": 1}, "b": {"v": 2}, "c": {"v": 3}})
            ),
            Ok(json!({"a": {"v": 1}, "b": {"v": 2}}))
        );
        // Real AWS console output: not at the end of a path they fail.
        assert_eq!(
            miss(
                "$['a', 'b'].v",
                &json!({"a": {"v": 1}, "b": {"v": 2}, "c": {"v": 3}})
            ),
            "Multi properties can only be used as path leafs: $['a', 'b']"
        );
        assert_eq!(
            miss("$.items[*]['p','k'].z", &v),
            "Multi properties can only be used as path leafs: $['items'][0]['p', 'k']"
        );
    }

    #[test]
    fn slices_follow_jayway() {
        let v = json!({"a": [0, 1, 2, 3, 4]});
        let s = |t: &str| sel(t, &v);
        assert_eq!(s("$.a[1:]"), Ok(json!([1, 2, 3, 4])));
        assert_eq!(s("$.a[-2:]"), Ok(json!([3, 4])));
        assert_eq!(s("$.a[-9:]"), Ok(json!([0, 1, 2, 3, 4])));
        assert_eq!(s("$.a[5:]"), Ok(json!([])));
        assert_eq!(s("$.a[:2]"), Ok(json!([0, 1])));
        assert_eq!(s("$.a[:-1]"), Ok(json!([0, 1, 2, 3])));
        assert_eq!(s("$.a[:-9]"), Ok(json!([])));
        assert_eq!(s("$.a[:99]"), Ok(json!([0, 1, 2, 3, 4])));
        assert_eq!(s("$.a[1:3]"), Ok(json!([1, 2])));
        assert_eq!(s("$.a[0:99]"), Ok(json!([0, 1, 2, 3, 4])));
        assert_eq!(s("$.a[3:1]"), Ok(json!([])));
        assert_eq!(s("$.a[-2:-1]"), Ok(json!([3])));
        // Jayway quirks: [a:b] clamps only b, and reads negative positions from the end.
        assert_eq!(s("$.a[1:-1]"), Ok(json!([])));
        assert_eq!(s("$.a[-3:2]"), Ok(json!([2, 3, 4, 0, 1])));
        assert_eq!(s("$.a[-7:1]"), Ok(json!([0, 1, 2, 3, 4, 0])));
        // A step is ignored.
        assert_eq!(s("$.a[0:4:2]"), Ok(json!([0, 1, 2, 3])));
        assert_eq!(sel("$[1:]", &json!([])), Ok(json!([])));
        assert_eq!(sel("$[1:]", &json!({"a": 1})), Ok(json!([])));
    }

    #[test]
    fn deep_scan_in_document_order() {
        let v = json!({"name": 1, "a": {"name": 2, "b": [{"name": 3}, {"x": {"name": 4}}]}, "c": [[5]]});
        assert_eq!(sel("$..name", &v), Ok(json!([1, 2, 3, 4])));
        assert_eq!(sel("$..['name']", &v), Ok(json!([1, 2, 3, 4])));
        assert_eq!(sel("$.a..name", &v), Ok(json!([2, 3, 4])));
        assert_eq!(
            sel("$..a", &json!({"a": {"a": 1}})),
            Ok(json!([{"a": 1}, 1]))
        );
        assert_eq!(sel("$..nothing", &v), Ok(json!([])));
        assert_eq!(
            sel("$..*", &json!({"a": {"b": 1}, "c": [2, 3]})),
            Ok(json!([{"b": 1}, [2, 3], 1, 2, 3]))
        );
        assert_eq!(
            sel("$..[0]", &json!({"a": [[1, 2], [3]]})),
            Ok(json!([[1, 2], 1, 3]))
        );
        assert_eq!(
            sel("$..[*]", &json!({"a": [1, [2]]})),
            Ok(json!([[1, [2]], 1, [2], 2]))
        );
        // Jayway's walkArray quirk: `..[0].x` applies `.x` to every element of a matched array.
        assert_eq!(
            sel("$..[0].x", &json!({"a": [{"x": 1}, {"x": 2}]})),
            Ok(json!([1, 2]))
        );
        assert_eq!(
            sel(
                "$..[?(@.p > 1)].p",
                &json!({"a": [{"p": 1}, {"p": 2, "q": {"p": 3}}]})
            ),
            Ok(json!([2, 3]))
        );
        assert_eq!(sel("$..length()", &v), Ok(json!([])));
        assert_eq!(sel("$..name", &json!(5)), Ok(json!([])));
    }

    // --- filters --------------------------------------------------------------------------

    #[test]
    fn recorded_filter() {
        // Recorded: test_state_pass_regex_json_path_base.
        let input = json!({"users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]});
        assert_eq!(
            sel("$.users[?(@.status == 0)]", &input),
            Ok(json!([{"year": 1997, "status": 0}]))
        );
    }

    #[test]
    fn filter_comparisons() {
        let v = json!({"min": 3, "items": [
            {"p": 1, "k": "a", "t": true},
            {"p": 5, "k": "b", "n": null, "tags": ["x", "y"]},
            {"p": 9.5, "k": "B", "s": "5"},
            {"k": "c", "arr": [1, 2]},
            7, "str", [1]
        ]});
        let ps = |f: &str| sel(&format!("$.items[?({f})].k"), &v);
        assert_eq!(ps("@.p < 5"), Ok(json!(["a"])));
        assert_eq!(ps("@.p <= 5"), Ok(json!(["a", "b"])));
        assert_eq!(ps("@.p > 5"), Ok(json!(["B"])));
        assert_eq!(ps("@.p >= 5"), Ok(json!(["b", "B"])));
        assert_eq!(ps("@.p == 9.5"), Ok(json!(["B"])));
        assert_eq!(ps("@.p==5"), Ok(json!(["b"])));
        assert_eq!(ps("@.p != 5"), Ok(json!(["a", "B", "c"])));
        assert_eq!(ps("@.p > -1e1"), Ok(json!(["a", "b", "B"])));
        assert_eq!(ps("@.p > $.min"), Ok(json!(["b", "B"])));
        // Strings compare ordinally (Java compareTo): "B" < "a" < "b" < "c".
        assert_eq!(ps("@.k < 'b'"), Ok(json!(["a", "B"])));
        assert_eq!(ps("@.k >= \"b\""), Ok(json!(["b", "c"])));
        assert_eq!(ps("@.k == 'B'"), Ok(json!(["B"])));
        // Mixed types never order; equality coerces between numbers and strings.
        assert_eq!(ps("@.k < 5"), Ok(json!([])));
        assert_eq!(ps("@.s == 5"), Ok(json!(["B"])));
        assert_eq!(ps("@.p == '5'"), Ok(json!(["b"])));
        assert_eq!(ps("@.p === '5'"), Ok(json!([])));
        assert_eq!(ps("@.p === 5"), Ok(json!(["b"])));
        assert_eq!(ps("@.p !== 5"), Ok(json!(["a", "B", "c"])));
        assert_eq!(ps("@.t == true"), Ok(json!(["a"])));
        assert_eq!(ps("@.n == null"), Ok(json!(["b"])));
        assert_eq!(ps("@.arr == [1, 2]"), Ok(json!(["c"])));
        assert_eq!(ps("@.tags == ['x', 'y']"), Ok(json!(["b"])));
        // Logic.
        assert_eq!(ps("@.p > 1 && @.k == 'b'"), Ok(json!(["b"])));
        assert_eq!(ps("@.p == 1 || @.k == 'c'"), Ok(json!(["a", "c"])));
        assert_eq!(ps("!(@.p > 1)"), Ok(json!(["a", "c"])));
        assert_eq!(ps("(@.p == 1 || @.p == 5) && @.k != 'a'"), Ok(json!(["b"])));
        assert_eq!(ps("@.p == 1 || @.p == 5 && @.k == 'x'"), Ok(json!(["a"])));
        // Existence.
        assert_eq!(ps("@.n"), Ok(json!(["b"])));
        assert_eq!(ps("@.tags"), Ok(json!(["b"])));
        assert_eq!(ps("!@.p"), Ok(json!(["c"])));
        assert_eq!(ps("@.tags[*]"), Ok(json!(["b"])));
        assert_eq!(ps("@.tags[5]"), Ok(json!([])));
        // in / nin.
        assert_eq!(ps("@.k in ['a', 'c']"), Ok(json!(["a", "c"])));
        assert_eq!(ps("@.p in [1, 9.5]"), Ok(json!(["a", "B"])));
        assert_eq!(ps("@.k nin ['a', 'c']"), Ok(json!(["b", "B"])));
        assert_eq!(ps("@.p nin [1]"), Ok(json!(["b", "B", "c"])));
        assert_eq!(ps("@.k IN [\"b\"]"), Ok(json!(["b"])));
        // Functions inside filters.
        assert_eq!(ps("@.tags.length() > 1"), Ok(json!(["b"])));
        // AWS: `@` only matches objects, so scalars and arrays are never selected.
        assert_eq!(sel("$.items[?(@ == 7)]", &v), Ok(json!([])));
        assert_eq!(
            sel("$.items[?(@.zz != 1)]", &v).map(|a| a.as_array().map(Vec::len)),
            Ok(Some(4))
        );
        // A filter on an object tests the object itself.
        assert_eq!(sel("$.items[1][?(@.p == 5)].k", &v), Ok(json!(["b"])));
        assert_eq!(
            sel("$[?(@.min)]", &v).map(|a| a.as_array().map(Vec::len)),
            Ok(Some(1))
        );
        assert_eq!(sel("$.min[?(@.x)]", &v), Ok(json!([])));
        // Nested filters.
        let w = json!({"a": [{"b": [{"c": 1}]}, {"b": [{"c": 2}]}]});
        assert_eq!(sel("$.a[?(@.b[?(@.c == 2)])].b[0].c", &w), Ok(json!([2])));
    }

    #[test]
    fn filter_string_literals_unescape() {
        let v = json!({"a": [{"s": "it's"}, {"s": "tab\there"}, {"s": "q\"q"}]});
        assert_eq!(sel(r"$.a[?(@.s == 'it\'s')].s", &v), Ok(json!(["it's"])));
        assert_eq!(
            sel(r"$.a[?(@.s == 'tab\there')].s", &v),
            Ok(json!(["tab\there"]))
        );
        assert_eq!(sel(r#"$.a[?(@.s == "q\"q")].s"#, &v), Ok(json!(["q\"q"])));
        assert_eq!(sel(r#"$.a[?(@.s in ['q"q'])].s"#, &v), Ok(json!(["q\"q"])));
    }

    // --- functions ------------------------------------------------------------------------

    #[test]
    fn functions() {
        let v = json!({"a": [3, 1, 2, "x"], "o": {"k": 1, "j": 2}, "s": "str", "e": [], "neg": [-2, -1]});
        assert_eq!(sel("$.a.length()", &v), Ok(json!(4)));
        assert_eq!(sel("$.o.length()", &v), Ok(json!(2)));
        assert_eq!(sel("$.length()", &v), Ok(json!(5)));
        assert_eq!(sel("$.s.length()", &v), Ok(Value::Null));
        assert_eq!(sel("$.a.min()", &v), Ok(json!(1.0)));
        assert_eq!(sel("$.a.max()", &v), Ok(json!(3.0)));
        assert_eq!(sel("$.a.avg()", &v), Ok(json!(2.0)));
        assert_eq!(sel("$.e.avg()", &v), Ok(json!(0.0)));
        assert_eq!(
            sel("$.a.stddev()", &v).map(|x| x.as_f64().map(|f| (f * 1e6).round())),
            Ok(Some(816497.0))
        );
        // Jayway's starting value for max is Double.MIN_VALUE.
        assert_eq!(sel("$.neg.max()", &v), Ok(json!(f64::from_bits(1))));
        assert_eq!(
            sel("$.a[*].length()", &v),
            Ok(json!([null, null, null, null]))
        );
        // sum() does not exist in AWS's Jayway (recorded on re:Post: a run-time failure).
        assert_eq!(
            miss("$.a.sum()", &v),
            "Function of name: sum cannot be created"
        );
        assert_eq!(
            miss("$.missing.length()", &v),
            "Missing property in path $['missing']"
        );
    }

    // --- assign ---------------------------------------------------------------------------

    #[test]
    fn assign_like_result_path() {
        let put = |t: &str, target: Value, v: Value| p(t).assign(target, v);
        assert_eq!(put("$", json!({"x": 1}), json!(2)), Ok(json!(2)));
        assert_eq!(
            put("$.a.b", json!({"x": 1}), json!(2)),
            Ok(json!({"x": 1, "a": {"b": 2}}))
        );
        // An existing member is replaced in place.
        let out = put("$.a", json!({"a": 1, "z": 2}), json!(3)).unwrap_or_default();
        assert_eq!(
            serde_json::to_string(&out).unwrap_or_default(),
            r#"{"a":3,"z":2}"#
        );
        assert_eq!(
            put(
                "$.detail.shipped_output",
                json!({"detail": {"shipped": [1]}}),
                json!([2])
            ),
            Ok(json!({"detail": {"shipped": [1], "shipped_output": [2]}}))
        );
        assert_eq!(
            put("$.a[1]", json!({"a": [1, 2]}), json!(9)),
            Ok(json!({"a": [1, 9]}))
        );
        assert_eq!(
            put("$.a[0].b", json!({"a": [{}]}), json!(9)),
            Ok(json!({"a": [{"b": 9}]}))
        );
        assert_eq!(put("$$.x", json!({}), json!(1)), Ok(json!({"x": 1})));
        assert!(put("$.a.b", json!({"a": "str"}), json!(2)).is_err());
        assert!(put("$.a.b", json!({"a": null}), json!(2)).is_err());
        assert!(put("$.a", json!("text"), json!(2)).is_err());
        assert!(put("$.a", json!([1]), json!(2)).is_err());
        assert!(put("$.a[5]", json!({"a": [1]}), json!(2)).is_err());
        assert!(put("$.a[0]", json!({}), json!(2)).is_err());
        assert!(put("$.a[*]", json!({"a": [1]}), json!(2)).is_err());
        let e = put("$.a.b", json!({"a": "str"}), json!(2))
            .err()
            .unwrap_or_default();
        assert!(e.contains("['b']") && e.contains("$['a']"), "{e}");
    }

    // --- Java renderings ------------------------------------------------------------------

    #[test]
    fn java_texts() {
        assert_eq!(java_double(1.0), "1.0");
        assert_eq!(java_double(1.5), "1.5");
        assert_eq!(java_double(-0.0), "-0.0");
        assert_eq!(java_double(100.0), "100.0");
        assert_eq!(java_double(0.001), "0.001");
        assert_eq!(java_double(1234567.0), "1234567.0");
        assert_eq!(java_double(1e7), "1.0E7");
        assert_eq!(java_double(1.25e-4), "1.25E-4");
        assert_eq!(java_double(-3e20), "-3.0E20");
        assert_eq!(big_decimal_string("1"), Some("1".into()));
        assert_eq!(big_decimal_string("1.50"), Some("1.50".into()));
        assert_eq!(big_decimal_string("1.0E20"), Some("1.0E+20".into()));
        assert_eq!(big_decimal_string("1.0E-5"), Some("0.000010".into()));
        assert_eq!(big_decimal_string("1.234E-7"), Some("1.234E-7".into()));
        assert_eq!(big_decimal_string("-0012"), Some("-12".into()));
        assert_eq!(big_decimal_string(".5"), Some("0.5".into()));
        assert_eq!(big_decimal_string("x"), None);
        assert_eq!(big_decimal_string("1e"), None);
        assert_eq!(big_decimal_string("Infinity"), None);
        assert_eq!(
            java_to_string(&json!({"a": [1, "b", null], "c": {"d": 2.5}})),
            "{a=[1, b, null], c={d=2.5}}"
        );
    }

    // --- properties -----------------------------------------------------------------------

    use proptest::prelude::*;

    fn arb_json() -> impl Strategy<Value = Value> {
        let key = prop_oneof![
            "[a-z]{1,4}",
            "[a-zA-Z_][a-zA-Z0-9_]{0,5}",
            "[ a-z.\\[\\]'\"*?@$()-]{0,5}",
            "\\PC{0,4}",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            "\\PC{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::vec((key.clone(), inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    /// Builds a definite path into `v` from `choices`, returning its text and the node a manual
    /// walk reaches.
    fn definite_path_into(v: &Value, choices: &[usize]) -> (String, Value) {
        let mut text = String::from("$");
        let mut cur = v;
        for &c in choices {
            match cur {
                Value::Object(m) if !m.is_empty() => {
                    let Some((k, next)) = m.iter().nth(c % m.len()) else {
                        break;
                    };
                    let simple = k
                        .chars()
                        .next()
                        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
                        && k.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_');
                    if simple && c % 3 != 0 {
                        text.push('.');
                        text.push_str(k);
                    } else if !k.contains('\'') {
                        text.push_str(&format!("['{k}']"));
                    } else if !k.contains('"') {
                        text.push_str(&format!("[\"{k}\"]"));
                    } else {
                        break;
                    }
                    cur = next;
                }
                Value::Array(a) if !a.is_empty() => {
                    let i = c % a.len();
                    if c % 2 == 0 {
                        text.push_str(&format!("[{i}]"));
                    } else {
                        text.push_str(&format!("[-{}]", a.len() - i));
                    }
                    let Some(next) = a.get(i) else { break };
                    cur = next;
                }
                _ => break,
            }
        }
        (text, cur.clone())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            if let Ok(path) = Path::parse(&s) {
                let doc = json!({"a": [1, {"b": 2}, [3]], "b": {"c": "d", "e": null}, "": 0});
                let _ = path.select(&doc);
                let _ = path.assign(doc.clone(), json!(1));
                let _ = path.is_definite();
            }
            let _ = Path::parse_reference(&s);
        }

        #[test]
        fn parse_never_panics_on_pathlike_text(
            s in "\\$[$.a-c0-9\\[\\]*?()@<>=!&|' \":,~/{}\\\\-]{0,40}",
            doc in arb_json(),
        ) {
            if let Ok(path) = Path::parse(&s) {
                let _ = path.select(&doc);
                let _ = path.find(&doc);
                let _ = path.assign(doc.clone(), json!(1));
            }
        }

        #[test]
        fn definite_select_finds_what_a_manual_walk_finds(
            doc in arb_json(),
            choices in proptest::collection::vec(any::<usize>(), 0..6),
        ) {
            let (text, expected) = definite_path_into(&doc, &choices);
            let path = Path::parse(&text);
            prop_assert!(path.is_ok(), "{} did not parse: {:?}", text, path.err());
            let path = path.unwrap_or_else(|_| unreachable!());
            prop_assert!(path.is_definite());
            prop_assert_eq!(path.select(&doc), Ok(expected));
        }

        #[test]
        fn assign_then_select_returns_the_value(
            target in arb_json(),
            names in proptest::collection::vec("[a-z]{1,3}", 0..5),
            value in arb_json(),
        ) {
            let text = format!("${}", names.iter().map(|n| format!(".{n}")).collect::<String>());
            let path = Path::parse_reference(&text).unwrap_or_else(|e| panic!("{e}"));
            // Into an empty object every name path can be written.
            let written = path.assign(json!({}), value.clone());
            prop_assert!(written.is_ok());
            prop_assert_eq!(path.select(&written.unwrap_or_default()), Ok(value.clone()));
            // Into an arbitrary target it either works or says why.
            if let Ok(out) = path.assign(target, value.clone()) {
                prop_assert_eq!(path.select(&out), Ok(value));
            }
        }

        #[test]
        fn assign_then_select_with_indexes(
            doc in arb_json(),
            choices in proptest::collection::vec(any::<usize>(), 0..6),
            value in arb_json(),
        ) {
            // Paths into existing nodes (non-negative indexes only: a reference path).
            let (text, _) = definite_path_into(&doc, &choices);
            if let Ok(path) = Path::parse_reference(&text) {
                let out = path.assign(doc.clone(), value.clone());
                prop_assert!(out.is_ok(), "{}: {:?}", text, out);
                prop_assert_eq!(path.select(&out.unwrap_or_default()), Ok(value));
            }
        }
    }
}
