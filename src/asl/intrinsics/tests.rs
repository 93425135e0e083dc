//! The test environment shared by the intrinsics' tests, and tests of the whole pipeline: the
//! dispatch's argument-count and path errors, the recorded corpus cases, and properties.

use super::*;
use serde_json::{json, Map};

/// A test environment: `$...` reads `data`, `$$...` reads `context`, `$name...` a variable.
/// Paths are dot-separated keys and `[n]` indexes only.
pub(super) struct TestEnv {
    data: Value,
    pub(super) context: Value,
    pub(super) vars: Map<String, Value>,
    pub(super) rng: u64,
}

impl TestEnv {
    pub(super) fn new(data: Value) -> Self {
        TestEnv {
            data,
            context: json!({}),
            vars: Map::new(),
            rng: 0x1234_5678_9abc_def0,
        }
    }
}

fn walk(mut cur: Value, rest: &str) -> Option<Value> {
    for seg in rest.split('.').filter(|s| !s.is_empty()) {
        let (key, idx) = match seg.split_once('[') {
            Some((k, i)) => (k, i.strip_suffix(']').and_then(|i| i.parse::<usize>().ok())),
            None => (seg, None),
        };
        if !key.is_empty() {
            cur = cur.get(key)?.clone();
        }
        if let Some(i) = idx {
            cur = cur.get(i)?.clone();
        }
    }
    Some(cur)
}

impl Env for TestEnv {
    fn resolve(&mut self, path: &str) -> Result<Value, String> {
        let found = if let Some(rest) = path.strip_prefix("$$") {
            walk(self.context.clone(), rest)
        } else if let Some(rest) =
            path.strip_prefix("$.")
                .or(if path == "$" { Some("") } else { None })
        {
            walk(self.data.clone(), rest)
        } else if let Some(rest) = path.strip_prefix("$[") {
            walk(self.data.clone(), &format!("[{rest}"))
        } else {
            let name_end = path[1..].find(['.', '[']).map_or(path.len(), |i| i + 1);
            let name = &path[1..name_end];
            self.vars
                .get(name)
                .cloned()
                .and_then(|v| walk(v, &path[name_end..]))
        };
        found.ok_or_else(|| format!("Invalid path '{path}' : No results"))
    }
    fn random_u64(&mut self) -> u64 {
        // xorshift64*
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

pub(super) fn run(text: &str, input: Value) -> Result<Value, IntrinsicError> {
    let call = parse(text).unwrap_or_else(|e| panic!("parse {text}: {e}"));
    call.eval(&mut TestEnv::new(input))
}

pub(super) fn ok(text: &str, input: Value) -> Value {
    run(text, input).unwrap_or_else(|e| panic!("{text}: {e:?}"))
}

pub(super) fn fails(text: &str, input: Value) -> IntrinsicError {
    match run(text, input) {
        Ok(v) => panic!("{text}: expected failure, got {v}"),
        Err(e) => {
            assert_eq!(e.error, RUNTIME_ERROR);
            e
        }
    }
}

pub(super) fn invalid(name: &str) -> String {
    format!("Invalid arguments in States.{name}")
}

#[test]
fn other_arity_errors_fail_at_run_time() {
    for (text, name) in [
        ("States.Hash()", "Hash"),
        ("States.Hash('hello')", "Hash"),
        ("States.Hash('hello', 'SHA-256', 'extra')", "Hash"),
        ("States.StringToJson()", "StringToJson"),
        ("States.JsonToString($.a, $.b)", "JsonToString"),
        ("States.ArrayContains($.arr)", "ArrayContains"),
        ("States.ArrayRange(1, 5)", "ArrayRange"),
        ("States.MathRandom(1)", "MathRandom"),
        ("States.MathRandom(1, 10, 5, 99)", "MathRandom"),
        ("States.Base64Encode('a', 'b')", "Base64Encode"),
        ("States.Format()", "Format"),
        ("States.UUID(1)", "UUID"),
    ] {
        let c = parse(text).unwrap();
        assert!(c.arity_error().is_some(), "{text}");
        let e = c
            .eval(&mut TestEnv::new(json!({"a": 1, "b": 2, "arr": [1]})))
            .unwrap_err();
        assert_eq!(
            e,
            IntrinsicError {
                error: RUNTIME_ERROR.into(),
                cause: invalid(name)
            }
        );
    }
    let nested = parse("States.Array(States.MathAdd(1))").unwrap();
    assert!(nested.arity_error().unwrap().contains("States.MathAdd"));
    assert!(parse("States.Array(1, States.MathAdd(1, 2))")
        .unwrap()
        .arity_error()
        .is_none());
}

#[test]
fn path_errors_propagate_their_cause() {
    let e = fails("States.Format('{}', $.missing)", json!({}));
    assert_eq!(e.cause, "Invalid path '$.missing' : No results");
    // Nested calls too, and evaluation stops there.
    let e = fails("States.Array(1, States.ArrayLength($.nope))", json!({}));
    assert!(e.cause.contains("$.nope"));
}

/// Runs the recorded `intrinsic_functions/` cases of the conformance corpus that are a single
/// Pass state with one `.$` intrinsic in Parameters (skipped when the corpus is not beside
/// the project).
#[test]
fn recorded_corpus_cases() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/conformance/aws-recorded.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    let mut checked = 0;
    for line in text.lines() {
        let Ok(case) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let id = case["id"].as_str().unwrap_or("");
        if !case["category"]
            .as_str()
            .unwrap_or("")
            .starts_with("intrinsic_functions/")
        {
            continue;
        }
        let states = case["definition"]["States"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let Some(params) = states
            .values()
            .next()
            .and_then(|s| s.get("Parameters"))
            .and_then(|p| p.as_object())
        else {
            continue;
        };
        let Some(text) = params.get("FunctionResult.$").and_then(|v| v.as_str()) else {
            continue;
        };
        let expected = &case["expected"]["output"]["FunctionResult"];
        if expected == "RandomNumberGenerated" || expected == "generated-uuid" {
            continue;
        }
        let mut env = TestEnv::new(case["input"].clone());
        env.context = json!({
            "Execution": {"Input": case["input"].clone(), "Name": "<ExecArnPart_0idx>"},
            "StateMachine": {"Id": "arn:<partition>:states:<region>:111111111111:stateMachine:<ArnPart_0idx>", "Name": "<ArnPart_0idx>"}
        });
        let got = parse(text)
            .unwrap_or_else(|e| panic!("{id}: {e}"))
            .eval(&mut env)
            .unwrap_or_else(|e| panic!("{id}: {e:?}"));
        assert_eq!(&got, expected, "{id}");
        checked += 1;
    }
    assert!(checked >= 90, "only {checked} recorded cases checked");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn escape(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars() {
            if matches!(c, '\\' | '\'' | '{' | '}') {
                out.push('\\');
            }
            out.push(c);
        }
        out
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in ".*") {
            let _ = parse(&s);
        }

        #[test]
        fn parse_never_panics_on_call_like_text(s in "States\\.(Format|Array|MathAdd|StringSplit|JsonMerge)\\([-$.'\\\\{}(),a-z0-9 \\[\\]\"@?=]{0,40}\\)?") {
            if let Ok(c) = parse(&s) {
                let _ = c.paths();
                let _ = c.eval(&mut TestEnv::new(json!({"a": [1, "x", {"b": null}]})));
            }
        }

        #[test]
        fn format_round_trips_literals(s in any::<String>()) {
            let text = format!("States.Format('{{}}', '{}')", escape(&s));
            let call = parse(&text).map_err(TestCaseError::fail)?;
            prop_assert_eq!(call.eval(&mut TestEnv::new(json!({}))).unwrap(), Value::String(s.clone()));
            // As a template, the escaped literal is text too.
            let text = format!("States.Format('{}')", escape(&s));
            prop_assert_eq!(parse(&text).unwrap().eval(&mut TestEnv::new(json!({}))).unwrap(), Value::String(s));
        }

        #[test]
        fn eval_never_panics_on_any_values(a in arb_json(), b in arb_json(), c in arb_json()) {
            let input = json!({"a": a, "b": b, "c": c});
            for f in ["Format", "StringToJson", "JsonToString", "Array", "ArrayPartition", "ArrayContains", "ArrayRange", "ArrayGetItem", "ArrayLength", "ArrayUnique", "Base64Encode", "Base64Decode", "Hash", "MathRandom", "MathAdd", "StringSplit"] {
                for args in ["$.a", "$.a, $.b", "$.a, $.b, $.c"] {
                    let call = parse(&format!("States.{f}({args})")).unwrap();
                    let _ = call.eval(&mut TestEnv::new(input.clone()));
                }
            }
            let _ = parse("States.JsonMerge($.a, $.b, $.c)").unwrap().eval(&mut TestEnv::new(input));
        }
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-1e12f64..1e12).prop_map(|f| Number::from_f64(f)
                .map(Value::Number)
                .unwrap_or(Value::Null)),
            "[-0-9a-zA-Z{}=+/ ,.\\\\]{0,12}".prop_map(Value::String),
            Just(json!("{}{}")),
            Just(json!("MD5")),
        ];
        leaf.prop_recursive(3, 24, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec(("[a-c]{1,2}", inner), 0..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }
}
