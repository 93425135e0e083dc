//! Choice rules (JSONPath): a typed model parsed from the definition, evaluation with AWS's
//! semantics, a trace of why for the inspector, and short labels for diagram edges.
//!
//! The rules below are the ones the recorded AWS cases (`choice_operators/*`, 399 cases) show, plus
//! the States Language spec where nothing was recorded:
//! - A type mismatch is `false`, never an error: `StringEquals` against null, numbers, arrays,
//!   objects or booleans; `NumericEquals` against strings, booleans or null; `BooleanEquals` against
//!   `0`/`1`/strings; `TimestampEquals` against a non-timestamp string.
//! - Numbers compare by value (`0` = `0.0`, `1` = `1.0`); strings compare ordinally, with no
//!   trimming or case folding (`"A" < "AB"`, `"" = ""`, `"\t\n"` ≠ `"\t\r\n"`).
//! - `Is*` operators take a boolean, `false` negates; `IsPresent` is true for `null`.
//! - Timestamps compare as instants (see [`super::timestamp`]).
//! - A comparison whose `Variable` path matches nothing is a run-time error (States.Runtime), except
//!   for `IsPresent`; so is a `...Path` operand that matches nothing. The cause text is the one AWS
//!   production executions report: `Invalid path '$.x': The choice state's condition path references
//!   an invalid value.` (seen in field reports, not in the recordings).
//! - `And` / `Or` stop at the first sub-rule that decides them.
//!
//! # Where things are
//!
//! `rules.rs`: the model ([`Rule`], [`Comparison`], [`Op`], [`Choice`]) and its parsing from the
//! definition's JSON; `eval.rs`: evaluation ([`compare`], the number and string orders,
//! [`string_matches`]); `trace.rs`: the explanation of an evaluation ([`Trace`],
//! [`CompareTrace`]) and the short labels of rules.

mod eval;
mod rules;
#[cfg(test)]
mod tests;
mod trace;

pub use eval::{compare, java_string_cmp, missing_path_cause, number_cmp, string_matches, Env};
pub use rules::{Choice, Comparison, Op, Operand, Rule};
pub use trace::{CompareTrace, Outcome, Trace, TraceNode};
