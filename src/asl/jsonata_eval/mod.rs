//! A JSONata evaluator made for the engine: deterministic (the clock and the random generator
//! come from outside), bounded (every evaluation step and nesting level is counted against a
//! budget, so runaway expressions end in an error, never a hang or a stack overflow),
//! order-preserving (objects keep insertion order), and wasm-safe.
//!
//! parser.rs turns text into an AST; eval.rs runs it over values; functions.rs holds the
//! function library (JSONata's own and AWS's additions: $partition, $range, $hash, $random,
//! $uuid, $parse).

mod eval;
mod format;
mod functions;
mod parser;
mod resolve;
mod signature;
mod tuples;

use serde_json::Value;

/// A JSONata error: its code (T2001, D3030, S0201, ...) and message.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub code: String,
    pub message: String,
    pub position: Option<usize>,
}

impl Error {
    pub fn new(code: &str, message: impl Into<String>) -> Error {
        Error {
            code: code.into(),
            message: message.into(),
            position: None,
        }
    }
    pub fn at(mut self, pos: usize) -> Error {
        self.position = Some(pos);
        self
    }
}

/// Limits on one evaluation.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub max_steps: u64,
    pub max_depth: u32,
    /// What the evaluation may build or walk, in approximate bytes (see `asl::meter`).
    pub max_bytes: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_steps: 2_000_000,
            max_depth: 120,
            max_bytes: crate::asl::meter::LIMIT,
        }
    }
}

/// What an evaluation sees from outside.
pub struct Env<'a> {
    pub bindings: &'a dyn Fn(&str) -> Option<Value>,
    pub now_ms: i64,
    pub random: &'a mut dyn FnMut() -> u64,
    pub budget: Budget,
}

/// A parsed expression.
#[derive(Debug, Clone)]
pub struct Expression {
    ast: std::rc::Rc<parser::Node>,
}

impl Expression {
    pub fn parse(src: &str) -> Result<Expression, Error> {
        let toks = parser::tokenize(src)?;
        let mut p = parser::Parser::new(toks, src.len());
        let ast = resolve::resolve(p.parse_all()?)?;
        Ok(Expression {
            ast: std::rc::Rc::new(ast),
        })
    }

    /// Evaluates over `input`; `Ok(None)` is undefined.
    pub fn evaluate(&self, input: Option<&Value>, env: &mut Env) -> Result<Option<Value>, Error> {
        eval::run(&self.ast, input, env)
    }
}

#[cfg(test)]
mod tests;
