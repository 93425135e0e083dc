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
//!
//! # Where things are
//!
//! One phase per file: `parse.rs` and `parse_filter.rs` read the text into the tokens below
//! (after Jayway's PathCompiler and FilterCompiler); `eval.rs` and `eval_filter.rs` apply
//! them; `misses.rs` words the errors of a definite path as Jayway does; `java.rs` renders
//! values the way Jayway's Java objects print; `functions.rs` holds `length()` and friends;
//! `assign.rs` writes at a reference path (ResultPath).

mod assign;
mod eval;
mod eval_filter;
mod functions;
mod java;
mod misses;
mod parse;
mod parse_filter;
#[cfg(test)]
mod tests;

use functions::Func;
use serde_json::Value;

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

impl Path {
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
}
