//! Reading a call's text: `States.Name(arg, ...)` with string literals (`\'`, `\{`, `\}`, `\\`
//! escapes), numbers, `true`/`false`/`null`, paths (their syntax is the path module's) and nested
//! calls, up to [`MAX_NESTING`] levels.

use super::format::template_pieces;
use super::{Arg, Call, Func, MAX_NESTING};
use serde_json::Number;

/// Parses the whole text as one call. Err(message) for syntax errors, unknown function names,
/// invalid escapes in string literals (only `\'`, `\{`, `\}`, `\\` exist [rec
/// scenarios/test_base_scenarios.py::TestBaseScenarios::test_illegal_escapes
/// [ESCAPE_SEQUENCES_ILLEGAL_INTRINSIC_FUNCTION]]), nesting deeper than [`MAX_NESTING`], and a
/// `States.JsonMerge` without exactly 3 arguments. Other argument-count errors are run-time
/// errors (see the module docs and [`Call::arity_error`]).
pub fn parse(text: &str) -> Result<Call, String> {
    let mut p = Parser { s: text, pos: 0 };
    p.skip_ws();
    let call = p.call(1)?;
    p.skip_ws();
    if p.pos < p.s.len() {
        return Err(p.err("unexpected text after the closing parenthesis"));
    }
    Ok(call)
}

/// The characters of a string literal, each with "was escaped".
pub(super) type Annotated = Vec<(char, bool)>;

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.pos..).and_then(|r| r.chars().next())
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn rest(&self) -> &'a str {
        self.s.get(self.pos..).unwrap_or("")
    }

    /// The text from `start` to the current position.
    fn since(&self, start: usize) -> &'a str {
        self.s.get(start..self.pos).unwrap_or("")
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.pos += 1;
        }
    }

    fn err(&self, what: &str) -> String {
        let at = self
            .s
            .get(..self.pos)
            .map_or(0, |done| done.chars().count());
        format!(
            "Invalid intrinsic function call '{}': {what} at character {at}",
            self.s
        )
    }

    /// `States.Name(args)`; `depth` is 1 for the outermost call.
    fn call(&mut self, depth: usize) -> Result<Call, String> {
        if depth > MAX_NESTING {
            return Err(self.err(&format!(
                "intrinsic functions may be nested at most {MAX_NESTING} levels deep"
            )));
        }
        if !self.rest().starts_with("States.") {
            return Err(self.err("expected an intrinsic function (States.<Name>)"));
        }
        let start = self.pos;
        self.pos += "States.".len();
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '_') {
            self.pos += 1;
        }
        let name = self.since(start);
        let func = Func::from_name(name).ok_or_else(|| {
            format!(
                "Invalid intrinsic function call '{}': unknown function '{name}'",
                self.s
            )
        })?;
        self.skip_ws();
        if self.bump() != Some('(') {
            return Err(self.err("expected '('"));
        }
        self.skip_ws();
        let mut args = Vec::new();
        // The escape-annotated characters of a literal first argument, for States.Format.
        let mut first_literal: Option<Annotated> = None;
        if self.peek() == Some(')') {
            self.pos += 1;
        } else {
            loop {
                let (a, annotated) = self.arg(depth)?;
                if args.is_empty() {
                    first_literal = annotated;
                }
                args.push(a);
                self.skip_ws();
                match self.bump() {
                    Some(',') => self.skip_ws(),
                    Some(')') => break,
                    _ => return Err(self.err("expected ',' or ')'")),
                }
            }
        }
        if func == Func::JsonMerge && args.len() != 3 {
            // [guess] see the module docs.
            return Err(format!(
                "Invalid intrinsic function call '{}': States.JsonMerge takes 3 arguments, got {}",
                self.s,
                args.len()
            ));
        }
        let template = match (func, first_literal) {
            (Func::Format, Some(chars)) => Some(template_pieces(chars)),
            _ => None,
        };
        Ok(Call {
            func,
            args,
            template,
        })
    }

    /// One argument, and for a string literal its characters with "was escaped" marks.
    fn arg(&mut self, depth: usize) -> Result<(Arg, Option<Annotated>), String> {
        match self.peek() {
            Some('\'') => {
                let chars = self.string_literal()?;
                let value: String = chars.iter().map(|(c, _)| *c).collect();
                Ok((Arg::Str(value), Some(chars)))
            }
            Some('$') => Ok((Arg::Path(self.path()?), None)),
            Some(c) if c == '-' || c.is_ascii_digit() => Ok((Arg::Number(self.number()?), None)),
            Some('S') => Ok((Arg::Call(self.call(depth + 1)?), None)),
            Some(c) if c.is_ascii_alphabetic() => {
                let start = self.pos;
                while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '_') {
                    self.pos += 1;
                }
                match self.since(start) {
                    "true" => Ok((Arg::Bool(true), None)),
                    "false" => Ok((Arg::Bool(false), None)),
                    "null" => Ok((Arg::Null, None)),
                    _ => {
                        self.pos = start;
                        Err(self.err("expected an argument (string, number, true, false, null, path or call)"))
                    }
                }
            }
            _ => {
                Err(self
                    .err("expected an argument (string, number, true, false, null, path or call)"))
            }
        }
    }

    /// `'...'` with the escapes `\'`, `\{`, `\}`, `\\`; any other backslash is a definition error.
    fn string_literal(&mut self) -> Result<Annotated, String> {
        self.pos += 1; // the opening quote
        let mut out = Vec::new();
        loop {
            match self.bump() {
                None => return Err(self.err("unterminated string literal")),
                Some('\'') => return Ok(out),
                Some('\\') => match self.bump() {
                    Some(c @ ('\'' | '{' | '}' | '\\')) => out.push((c, true)),
                    Some(c) => {
                        return Err(self.err(&format!(
                            "invalid escape sequence '\\{c}' (only \\', \\{{, \\}} and \\\\ are allowed)"
                        )))
                    }
                    None => return Err(self.err("unterminated string literal")),
                },
                Some(c) => out.push((c, false)),
            }
        }
    }

    /// A path argument: from `$` to the first `,`, `)` or whitespace outside brackets, quotes
    /// and parentheses. Its syntax is left to the path module (see [`Call::paths`]).
    fn path(&mut self) -> Result<String, String> {
        let start = self.pos;
        let mut brackets = 0usize;
        let mut parens = 0usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek() {
            if let Some(q) = quote {
                self.pos += c.len_utf8();
                if c == '\\' {
                    self.bump();
                } else if c == q {
                    quote = None;
                }
                continue;
            }
            match c {
                '[' => brackets += 1,
                ']' => {
                    if brackets == 0 {
                        return Err(self.err("unbalanced ']' in path"));
                    }
                    brackets -= 1;
                }
                '\'' | '"' if brackets > 0 => quote = Some(c),
                '(' => parens += 1,
                ')' if parens > 0 => parens -= 1,
                ',' | ')' | ' ' | '\t' | '\n' | '\r' if brackets == 0 && parens == 0 => break,
                _ => {}
            }
            self.pos += c.len_utf8();
        }
        if brackets > 0 || parens > 0 || quote.is_some() {
            return Err(self.err("unterminated path"));
        }
        Ok(self.since(start).to_string())
    }

    /// A JSON number; integers stay integers.
    fn number(&mut self) -> Result<Number, String> {
        let start = self.pos;
        while matches!(self.peek(), Some(c) if c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        {
            self.pos += 1;
        }
        let token = self.since(start);
        if matches!(self.peek(), Some(c) if c.is_alphanumeric() || c == '_') {
            return Err(self.err(&format!("invalid number '{token}'")));
        }
        token.parse::<Number>().map_err(|_| {
            format!(
                "Invalid intrinsic function call '{}': invalid number '{token}'",
                self.s
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::is_call;
    use super::super::tests::ok;
    use super::*;
    use serde_json::json;

    #[test]
    fn is_call_needs_states_prefix() {
        assert!(is_call("States.Array()"));
        assert!(!is_call("$.States"));
        assert!(!is_call(" States.Array()"));
    }

    #[test]
    fn parses_every_argument_kind() {
        let c = parse("States.Array('a', -1.5, 2, true, false, null, $, $.a.b, $$.Execution.Id, $v.x, States.UUID())").unwrap();
        assert_eq!(c.name(), "States.Array");
        assert_eq!(c.args().len(), 11);
        assert_eq!(c.args()[0], Arg::Str("a".into()));
        assert_eq!(c.args()[1], Arg::Number(Number::from_f64(-1.5).unwrap()));
        assert_eq!(c.args()[2], Arg::Number(2.into()));
        assert_eq!(c.args()[3], Arg::Bool(true));
        assert_eq!(c.args()[5], Arg::Null);
        assert_eq!(c.paths(), vec!["$", "$.a.b", "$$.Execution.Id", "$v.x"]);
        assert!(matches!(&c.args()[10], Arg::Call(u) if u.name() == "States.UUID"));
    }

    #[test]
    fn paths_with_brackets_quotes_and_filters() {
        let c = parse("States.Array($['a,b'], $.x[0], $.y[?(@.z == 'q)')], $[\"k\"])").unwrap();
        assert_eq!(
            c.paths(),
            vec!["$['a,b']", "$.x[0]", "$.y[?(@.z == 'q)')]", "$[\"k\"]"]
        );
    }

    #[test]
    fn paths_are_collected_at_any_depth() {
        // [rec intrinsic_functions/test_generic.py::TestGeneric::test_nested_calls_2]
        let c = parse("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))").unwrap();
        assert_eq!(
            c.paths(),
            vec!["$$.StateMachine.Name", "$$.StateMachine.Name"]
        );
    }

    #[test]
    fn whitespace_between_tokens_is_allowed() {
        assert_eq!(
            ok("States.Array( $.a , $.b )", json!({"a": 1, "b": 2})),
            json!([1, 2])
        );
        assert_eq!(ok("States.Array (1,2)", json!({})), json!([1, 2]));
    }

    #[test]
    fn syntax_errors() {
        for bad in [
            "States.Array(",
            "States.Array",
            "States.Array($.a) trailing",
            "States.Array([1,2])",
            "States.Array(1.)",
            "States.Array(.5)",
            "States.Array(01)",
            "States.Array(1e309)",
            "States.Array(12abc)",
            "States.Array(1,)",
            "States.Array(,1)",
            "States.Array('abc)",
            "States.Array(True)",
            "States.Array(nul)",
            "States.Array($.a[0)",
            "States.Array(Foo.Bar())",
            "States.array()",
            "States.Unknown()",
            "States.",
            "",
            "$.a",
        ] {
            assert!(parse(bad).is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn unknown_function_is_named() {
        let e = parse("States.Format2('x')").unwrap_err();
        assert!(e.contains("unknown function 'States.Format2'"), "{e}");
    }

    #[test]
    fn escapes_in_string_literals() {
        // As written in the JSON definition, \\' is \' in the ASL text.
        assert_eq!(
            ok(r"States.Array('it\'s', '\{\}', 'back\\slash')", json!({})),
            json!(["it's", "{}", "back\\slash"])
        );
        // Any other escape is a definition error [rec scenarios/test_base_scenarios.py::TestBaseScenarios::test_illegal_escapes[ESCAPE_SEQUENCES_ILLEGAL_INTRINSIC_FUNCTION]].
        let e = parse(r#"States.StringToJson('{"text":"An \"escaped double quote\" here"}')"#)
            .unwrap_err();
        assert!(e.contains("invalid escape"), "{e}");
        // `\n` written as backslash-n is rejected too (aws-cdk issue 27304: SCHEMA_VALIDATION_FAILED).
        assert!(parse(r"States.Format('Hello\n{}', $.name)").is_err());
        assert!(parse(r"States.Format('x\')").is_err());
    }

    #[test]
    fn literal_control_characters_are_text() {
        // [rec intrinsic_functions/test_generic.py::TestGeneric::test_escape_sequence]: a real
        // newline inside the literals.
        assert_eq!(
            ok("States.StringSplit('Hello\nWorld', '\n')", json!({})),
            json!(["Hello", "World"])
        );
    }

    #[test]
    fn nesting_limit() {
        let nest = |n: usize| format!("{}1{}", "States.Array(".repeat(n), ")".repeat(n));
        assert!(parse(&nest(MAX_NESTING)).is_ok());
        assert!(parse(&nest(MAX_NESTING + 1)).is_err());
        // Very deep input is rejected without recursing further.
        assert!(parse(&nest(100_000)).is_err());
    }

    #[test]
    fn json_merge_arity_is_a_definition_error() {
        assert!(parse("States.JsonMerge($.a, $.b)").is_err());
        assert!(parse("States.JsonMerge($.a, $.b, false, 1)").is_err());
        assert!(parse("States.JsonMerge()").is_err());
    }
}
