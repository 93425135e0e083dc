//! States.Format, the one function of AWS's "generic" group: a template whose `{}` placeholders
//! take the other arguments, rendered as Java prints them.

use super::java::java_to_string;
use super::parse::Annotated;
use super::{arg, Call, IntrinsicError};
use serde_json::Value;

/// A piece of a `States.Format` template.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Piece {
    Text(String),
    Hole,
}

impl Call {
    /// States.Format: one argument per `{}`; strings unquoted, everything else as Java's
    /// `toString` of the value (`null`, `1.1`, `{Arg1=1, Arg2=[]}`) [rec
    /// intrinsic_functions/test_generic.py::TestGeneric::test_format_2#exec_hist_resp_7].
    pub(super) fn format(&self, a: &[Value]) -> Result<Value, IntrinsicError> {
        let owned;
        let pieces: &[Piece] = match &self.template {
            Some(Ok(p)) => p,
            Some(Err(m)) => return Err(IntrinsicError::runtime(m.clone())),
            None => match arg(a, 0) {
                // A template from a path or a nested call: `{}` are placeholders; a backslash
                // before `{`, `}`, `\` or `'` escapes it, any other backslash is text [guess].
                Value::String(s) => {
                    owned = template_pieces(unescape_runtime_template(s))
                        .map_err(IntrinsicError::runtime)?;
                    &owned
                }
                _ => return Err(self.invalid()),
            },
        };
        let holes = pieces.iter().filter(|p| **p == Piece::Hole).count();
        let values = a.get(1..).unwrap_or(&[]);
        if holes != values.len() {
            // The count must match exactly [aws-obs: too few and too many both fail]; the
            // exact cause text is a guess.
            return Err(self.invalid());
        }
        let mut out = String::new();
        let mut next = values.iter();
        for piece in pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Hole => {
                    if let Some(v) = next.next() {
                        java_to_string(v, &mut out);
                    }
                }
            }
        }
        Ok(Value::String(out))
    }
}

/// Splits escape-annotated template characters at unescaped `{}`. An unescaped `{` must be
/// followed directly by an unescaped `}`; otherwise the template fails when the call runs [aws-obs:
/// AWS's cause is `Invalid template in States.Format: matching '}' not found for '{'.` (quoted
/// in aws-cdk issue 29261); the text for a lone `}` is a guess by symmetry].
pub(super) fn template_pieces(
    chars: impl IntoIterator<Item = (char, bool)>,
) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut it = chars.into_iter().peekable();
    while let Some((c, escaped)) = it.next() {
        match (c, escaped) {
            ('{', false) => {
                if it.next_if(|&(n, e)| n == '}' && !e).is_none() {
                    return Err(
                        "Invalid template in States.Format: matching '}' not found for '{'."
                            .to_string(),
                    );
                }
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(Piece::Hole);
            }
            ('}', false) => {
                return Err(
                    "Invalid template in States.Format: matching '{' not found for '}'."
                        .to_string(),
                )
            }
            _ => text.push(c),
        }
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

/// The characters of a template that came from a path or call, with backslash escapes marked.
fn unescape_runtime_template(s: &str) -> Annotated {
    let mut out = Vec::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\' {
            if let Some(n) = it.next_if(|n| matches!(n, '{' | '}' | '\\' | '\'')) {
                out.push((n, true));
                continue;
            }
        }
        out.push((c, false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{fails, invalid, ok, TestEnv};
    use super::super::{parse, RUNTIME_ERROR};
    use serde_json::json;

    #[test]
    fn format_strings_numbers_null() {
        // [rec intrinsic_functions/test_generic.py::TestGeneric::test_format_1#exec_hist_resp_1..6]
        let t = "States.Format('Formatting argument {}.', $.FunctionInput)";
        assert_eq!(
            ok(t, json!({"FunctionInput": " "})),
            json!("Formatting argument  .")
        );
        assert_eq!(
            ok(t, json!({"FunctionInput": "HelloWorld"})),
            json!("Formatting argument HelloWorld.")
        );
        assert_eq!(
            ok(t, json!({"FunctionInput": null})),
            json!("Formatting argument null.")
        );
        assert_eq!(
            ok(t, json!({"FunctionInput": 1})),
            json!("Formatting argument 1.")
        );
        assert_eq!(
            ok(t, json!({"FunctionInput": 1.1})),
            json!("Formatting argument 1.1.")
        );
        assert_eq!(
            ok(t, json!({"FunctionInput": "{\"Arg1\": 1, \"Arg2\": []}"})),
            json!("Formatting argument {\"Arg1\": 1, \"Arg2\": []}.")
        );
    }

    #[test]
    fn format_objects_java_map_style() {
        // [rec intrinsic_functions/test_generic.py::TestGeneric::test_format_2#exec_hist_resp_7]
        let t = "States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)";
        let v = json!({"FunctionInput": {"fst": {"Arg1": 1, "Arg2": []}, "snd": {"Arg1": 1, "Arg2": []}}});
        assert_eq!(
            ok(t, v),
            json!("Formatting arguments fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}.")
        );
        // [rec intrinsic_functions/test_generic.py::TestGeneric::test_format_2#exec_hist_resp_0]
        let v = json!({"FunctionInput": {"fst": "", "snd": ""}});
        assert_eq!(ok(t, v), json!("Formatting arguments fst= and snd=."));
        // Nested values: strings unquoted, lists `[a, b]` [guess for lists].
        assert_eq!(
            ok(
                "States.Format('{}', $.x)",
                json!({"x": {"a": ["s", 1.5, true, null, {"b": {}}]}})
            ),
            json!("{a=[s, 1.5, true, null, {b={}}]}")
        );
        assert_eq!(
            ok("States.Format('{}', $.x)", json!({"x": [1, 2]})),
            json!("[1, 2]")
        );
        assert_eq!(
            ok(
                "States.Format('{}|{}', $.a, $.b)",
                json!({"a": false, "b": -1})
            ),
            json!("false|-1")
        );
    }

    #[test]
    fn format_context_object() {
        // [rec intrinsic_functions/test_generic.py::TestGeneric::test_context_json_path]
        let mut env = TestEnv::new(json!({"FunctionInput": null}));
        env.context = json!({
            "Execution": {"Name": "<ExecArnPart_0idx>"},
            "StateMachine": {"Id": "arn:<partition>:states:<region>:111111111111:stateMachine:<ArnPart_0idx>", "Name": "<ArnPart_0idx>"}
        });
        let c = parse("States.Format('Formatting arguments fst={} and snd={}.', $$.Execution.Name, $$.StateMachine)").unwrap();
        assert_eq!(
            c.eval(&mut env).unwrap(),
            json!("Formatting arguments fst=<ExecArnPart_0idx> and snd={Id=arn:<partition>:states:<region>:111111111111:stateMachine:<ArnPart_0idx>, Name=<ArnPart_0idx>}.")
        );
    }

    #[test]
    fn format_with_variables_and_path_templates() {
        // [rec assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_reference_in_map_state[MAP_STATE_REFERENCE_IN_INTRINSIC_FUNCTION]]
        let mut env = TestEnv::new(json!({}));
        env.vars.insert("AnswerTemplate".into(), json!("It's {}!"));
        env.context = json!({"Map": {"Item": {"Value": "Pikachu"}}});
        let c = parse("States.Format($AnswerTemplate, $$.Map.Item.Value)").unwrap();
        assert_eq!(c.eval(&mut env).unwrap(), json!("It's Pikachu!"));
        // [rec ...test_reference_assign[BASE_REFERENCE_IN_INTRINSIC_FUNCTION]]
        env.vars.insert("name".into(), json!("John"));
        env.vars.insert("place".into(), json!("LocalStack"));
        let c = parse("States.Format('Hello {}, welcome to {}!', $name, $place)").unwrap();
        assert_eq!(
            c.eval(&mut env).unwrap(),
            json!("Hello John, welcome to LocalStack!")
        );
        // A template from a path honours backslash escapes of braces [guess].
        assert_eq!(
            ok("States.Format($.t, 'x')", json!({"t": "\\{{}\\} \\n"})),
            json!("{x} \\n")
        );
    }

    #[test]
    fn format_escaped_braces_are_text() {
        assert_eq!(
            ok(r"States.Format('\{\}{}\{', 'x')", json!({})),
            json!("{}x{")
        );
        assert_eq!(
            ok(
                r#"States.Format('\{"key":"{}"\}', $.v)"#,
                json!({"v": "test123"})
            ),
            json!("{\"key\":\"test123\"}")
        );
        assert_eq!(
            ok("States.Format('no placeholders')", json!({})),
            json!("no placeholders")
        );
        // [rec base/test_base.py::TestSnfBase::test_state_fail_intrinsic]
        assert_eq!(
            ok("States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)", json!({"Error": "error string", "Cause": "cause string"})),
            json!("This is a custom error message for error string, caused by cause string.")
        );
    }

    #[test]
    fn format_malformed_templates_fail_at_run_time() {
        // Accepted by parse (AWS deploys such definitions, aws-cdk issue 29261) ...
        for t in [
            "States.Format('Hello {', $.a)",
            "States.Format('Hello {{}}', $.a)",
            "States.Format('}')",
            r"States.Format('\\{ x \\}', $.a)",
        ] {
            let c = parse(t).unwrap();
            let e = c.eval(&mut TestEnv::new(json!({"a": "x"}))).unwrap_err();
            assert_eq!(e.error, RUNTIME_ERROR);
            assert!(
                e.cause
                    .starts_with("Invalid template in States.Format: matching"),
                "{t}: {}",
                e.cause
            );
        }
        assert_eq!(
            fails("States.Format('Hello {', $.a)", json!({"a": 1})).cause,
            "Invalid template in States.Format: matching '}' not found for '{'."
        );
        assert_eq!(
            fails("States.Format('}')", json!({})).cause,
            "Invalid template in States.Format: matching '{' not found for '}'."
        );
        // Placeholder count must match the arguments.
        assert_eq!(
            fails("States.Format('{} {}', $.a)", json!({"a": 1})).cause,
            invalid("Format")
        );
        assert_eq!(
            fails("States.Format('{}', $.a, $.a)", json!({"a": 1})).cause,
            invalid("Format")
        );
        // The template must be a string.
        assert_eq!(
            fails("States.Format($.t, 1)", json!({"t": 123})).cause,
            invalid("Format")
        );
        assert_eq!(
            fails("States.Format(1)", json!({})).cause,
            invalid("Format")
        );
    }
}
