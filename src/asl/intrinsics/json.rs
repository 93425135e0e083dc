//! JSON manipulation: States.StringToJson, States.JsonToString (compact JSON as Jackson writes
//! it) and States.JsonMerge.

use super::java::java_number;
use super::{arg, Call, IntrinsicError};
use serde_json::{Map, Value};

impl Call {
    /// States.StringToJson: `""` and whitespace-only give null [rec
    /// intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_string_to_json#exec_hist_resp_0
    /// and #exec_hist_resp_1]; malformed JSON and non-strings fail [aws-obs].
    pub(super) fn string_to_json(&self, a: &[Value]) -> Result<Value, IntrinsicError> {
        let Value::String(s) = arg(a, 0) else {
            return Err(self.invalid());
        };
        if s.chars().all(|c| matches!(c, ' ' | '\t' | '\n' | '\r')) {
            return Ok(Value::Null);
        }
        // Strict JSON; Jackson's readTree would ignore trailing tokens after the first value [guess].
        serde_json::from_str::<Value>(&integer_minus_zero_to_zero(s)).map_err(|_| self.invalid())
    }

    /// States.JsonMerge: shallow; the second object's keys replace the first's (new keys are
    /// appended) [rec assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_reference_assign[BASE_REFERENCE_IN_INTRINSIC_FUNCTION]].
    /// Both must be objects; a third argument `true` fails (deep merge unsupported), any other
    /// third value acts as `false` [aws-obs: the string "false" is accepted].
    pub(super) fn json_merge(&self, a: &[Value]) -> Result<Value, IntrinsicError> {
        let (Value::Object(left), Value::Object(right)) = (arg(a, 0), arg(a, 1)) else {
            return Err(self.invalid());
        };
        if arg(a, 2) == &Value::Bool(true) {
            return Err(self.invalid());
        }
        let mut merged: Map<String, Value> = left.clone();
        for (k, v) in right {
            merged.insert(k.clone(), v.clone());
        }
        Ok(Value::Object(merged))
    }
}

/// Rewrites every number token `-0` (no fraction or exponent) outside strings to `0`: Jackson reads
/// it as the integer 0 [rec intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_string_to_json#exec_hist_resp_3],
/// serde_json as the double -0.0.
fn integer_minus_zero_to_zero(s: &str) -> std::borrow::Cow<'_, str> {
    let b = s.as_bytes();
    let mut hits = Vec::new();
    let mut in_string = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if in_string {
            if c == b'\\' {
                i += 1;
            } else if c == b'"' {
                in_string = false;
            }
        } else if c == b'"' {
            in_string = true;
        } else if c == b'-'
            && b.get(i + 1) == Some(&b'0')
            && !matches!(b.get(i + 2), Some(b'.' | b'e' | b'E' | b'0'..=b'9'))
            && !matches!(
                i.checked_sub(1).and_then(|j| b.get(j)),
                Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
            )
        {
            hits.push(i);
        }
        i += 1;
    }
    if hits.is_empty() {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for h in hits {
        out.push_str(s.get(last..h).unwrap_or(""));
        last = h + 1; // drop the '-'
    }
    out.push_str(s.get(last..).unwrap_or(""));
    std::borrow::Cow::Owned(out)
}

/// Compact JSON as Jackson writes it (AWS's JSON library): like serde_json's compact form except
/// doubles as Java's `Double.toString` (`1.0E20`) and `\u00XX` escapes in upper case [guess for
/// both differences; `{"Arg1":1,"Arg2":[]}`, `"\"HelloWorld\""`, `null` are recorded: rec
/// intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_json_to_string#exec_hist_resp_7].
pub(super) fn jackson_compact(v: &Value) -> String {
    let mut out = String::new();
    write_jackson(v, &mut out);
    out
}

fn write_jackson(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&java_number(n)),
        Value::String(s) => write_jackson_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_jackson(item, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_jackson_string(k, out);
                out.push(':');
                write_jackson(item, out);
            }
            out.push('}');
        }
    }
}

fn write_jackson_string(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => {
                let b = c as usize;
                out.push_str("\\u00");
                out.push(HEX[b >> 4] as char);
                out.push(HEX[b & 0xf] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::super::tests::{fails, invalid, ok};
    use serde_json::json;

    #[test]
    fn string_to_json() {
        // [rec intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_string_to_json#exec_hist_resp_0,1,2,3,4,6,7,9]
        let t = "States.StringToJson($.FunctionInput)";
        for (input, expected) in [
            (json!(""), json!(null)),
            (json!(" "), json!(null)),
            (json!("null"), json!(null)),
            (json!("-0"), json!(0)),
            (json!("1"), json!(1)),
            (json!("true"), json!(true)),
            (json!("\"HelloWorld\""), json!("HelloWorld")),
            (
                json!("{\"Arg1\": 1, \"Arg2\": []}"),
                json!({"Arg1": 1, "Arg2": []}),
            ),
            (json!(" {\"a\":1} "), json!({"a": 1})),
            (json!("1.0"), json!(1.0)),
        ] {
            assert_eq!(
                ok(t, json!({"FunctionInput": input.clone()})),
                expected,
                "{input}"
            );
        }
        let zero = ok(t, json!({"FunctionInput": "-0"}));
        assert_eq!(serde_json::to_string(&zero).unwrap(), "0");
        let v = ok(
            t,
            json!({"FunctionInput": "[-0, -0.0, \"-0\", -0e1, 10, {\"k\": -0}]"}),
        );
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"[0,-0.0,"-0",-0.0,10,{"k":0}]"#
        );
        for bad in [
            json!("{bad json}"),
            json!("{\"a\":1"),
            json!("undefined"),
            json!(123),
            json!({"a": 1}),
            json!([1]),
        ] {
            assert_eq!(
                fails(t, json!({"FunctionInput": bad})).cause,
                invalid("StringToJson")
            );
        }
    }

    #[test]
    fn json_to_string() {
        // [rec intrinsic_functions/test_json_manipulation.py::TestJsonManipulation::test_json_to_string#exec_hist_resp_0,2,4,5,6,7]
        let t = "States.JsonToString($.FunctionInput)";
        for (input, expected) in [
            (json!(null), "null"),
            (json!(1), "1"),
            (json!(true), "true"),
            (json!("HelloWorld"), "\"HelloWorld\""),
            (json!([1, 2, "HelloWorld"]), "[1,2,\"HelloWorld\"]"),
            (json!({"Arg1": 1, "Arg2": []}), "{\"Arg1\":1,\"Arg2\":[]}"),
            (
                json!({"nested": {"a": 1}, "arr": [true, null]}),
                "{\"nested\":{\"a\":1},\"arr\":[true,null]}",
            ),
            (
                json!([-1, 3.5, 1e20, "a\"b\\c\n\u{1}"]),
                "[-1,3.5,1.0E20,\"a\\\"b\\\\c\\n\\u0001\"]",
            ),
        ] {
            assert_eq!(ok(t, json!({"FunctionInput": input})), json!(expected));
        }
        assert_eq!(ok("States.JsonToString('x')", json!({})), json!("\"x\""));
        // Round trip with StringToJson.
        assert_eq!(
            ok(
                "States.StringToJson(States.JsonToString($.o))",
                json!({"o": {"a": [1, {"b": null}]}})
            ),
            json!({"a": [1, {"b": null}]})
        );
    }

    #[test]
    fn json_merge() {
        // [rec assign/test_assign_reference_variables.py::TestAssignReferenceVariables::test_reference_assign[BASE_REFERENCE_IN_INTRINSIC_FUNCTION]]
        let v = ok(
            "States.JsonMerge($.a, $.b, false)",
            json!({"a": {"a": 1, "b": 2}, "b": {"c": 3, "d": 4}}),
        );
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"a":1,"b":2,"c":3,"d":4}"#
        );
        // Shallow: nested objects replaced whole; existing keys keep their place.
        let v = ok(
            "States.JsonMerge($.a, $.b, false)",
            json!({"a": {"x": {"a1": 1}, "k": 1}, "b": {"y": 0, "x": {"a3": 3}}}),
        );
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"x":{"a3":3},"k":1,"y":0}"#
        );
        assert_eq!(
            fails(
                "States.JsonMerge($.a, $.b, true)",
                json!({"a": {}, "b": {}})
            )
            .cause,
            invalid("JsonMerge")
        );
        assert_eq!(
            fails(
                "States.JsonMerge($.a, $.b, false)",
                json!({"a": null, "b": {}})
            )
            .cause,
            invalid("JsonMerge")
        );
        assert_eq!(
            fails(
                "States.JsonMerge($.a, $.b, false)",
                json!({"a": {}, "b": [1]})
            )
            .cause,
            invalid("JsonMerge")
        );
        // A non-boolean third argument acts as false [aws-obs].
        assert_eq!(
            ok(
                "States.JsonMerge($.a, $.b, 'false')",
                json!({"a": {"x": 1}, "b": {"y": 2}})
            ),
            json!({"x": 1, "y": 2})
        );
    }
}
