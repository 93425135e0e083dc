//! The States.* intrinsic functions of JSONPath payload templates: a parser to an AST and an
//! evaluator with AWS's argument rules and its Java implementation's quirks.

use base64::Engine as _;
use serde_json::{Map, Number, Value};

/// Escaped braces inside string literals, kept apart from placeholders until Format has run.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';
const MAX_DEPTH: usize = 10;

#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Str(String),
    Number(Number),
    Bool(bool),
    Null,
    Path(String),
    Call(Call),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    name: String,
    args: Vec<Arg>,
}

pub trait Env {
    /// The value at `path`; Err(cause) when it matches nothing.
    fn resolve(&mut self, path: &str) -> Result<Value, String>;
    fn random_u64(&mut self) -> u64;
}

#[derive(Debug, Clone, PartialEq)]
pub struct IntrinsicError {
    pub error: String,
    pub cause: String,
}

const FUNCTIONS: [(&str, usize, Option<usize>); 18] = [
    ("States.Format", 1, None),
    ("States.StringToJson", 1, Some(1)),
    ("States.JsonToString", 1, Some(1)),
    ("States.Array", 0, None),
    ("States.ArrayPartition", 2, Some(2)),
    ("States.ArrayContains", 2, Some(2)),
    ("States.ArrayRange", 3, Some(3)),
    ("States.ArrayGetItem", 2, Some(2)),
    ("States.ArrayLength", 1, Some(1)),
    ("States.ArrayUnique", 1, Some(1)),
    ("States.Base64Encode", 1, Some(1)),
    ("States.Base64Decode", 1, Some(1)),
    ("States.Hash", 2, Some(2)),
    ("States.JsonMerge", 3, Some(3)),
    ("States.MathRandom", 2, Some(3)),
    ("States.MathAdd", 2, Some(2)),
    ("States.StringSplit", 2, Some(2)),
    ("States.UUID", 0, Some(0)),
];

pub fn is_call(text: &str) -> bool {
    text.trim_start().starts_with("States.")
}

pub fn parse(text: &str) -> Result<Call, String> {
    let mut p = Parser { s: text.as_bytes(), text, i: 0 };
    p.ws();
    let call = p.call(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(format!("unexpected text after the call at character {}", p.i + 1));
    }
    Ok(call)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }
    fn call(&mut self, depth: usize) -> Result<Call, String> {
        if depth >= MAX_DEPTH {
            return Err(format!("intrinsic functions nest at most {MAX_DEPTH} levels"));
        }
        let start = self.i;
        while self.s.get(self.i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'.') {
            self.i += 1;
        }
        let name = &self.text[start..self.i];
        let Some(&(_, min, max)) = FUNCTIONS.iter().find(|(n, _, _)| *n == name) else {
            return Err(format!("unknown intrinsic function '{name}'"));
        };
        self.ws();
        if self.s.get(self.i) != Some(&b'(') {
            return Err(format!("expected '(' after {name}"));
        }
        self.i += 1;
        let mut args = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b')') {
            self.i += 1;
        } else {
            loop {
                self.ws();
                args.push(self.arg(depth)?);
                self.ws();
                match self.s.get(self.i) {
                    Some(b',') => self.i += 1,
                    Some(b')') => {
                        self.i += 1;
                        break;
                    }
                    _ => return Err(format!("expected ',' or ')' in {name} at character {}", self.i + 1)),
                }
            }
        }
        if args.len() < min || max.is_some_and(|m| args.len() > m) {
            return Err(format!("{name} takes {} arguments, got {}", arity(min, max), args.len()));
        }
        Ok(Call { name: name.to_string(), args })
    }
    fn arg(&mut self, depth: usize) -> Result<Arg, String> {
        match self.s.get(self.i) {
            Some(b'\'') => self.string().map(Arg::Str),
            Some(b'$') => {
                let start = self.i;
                let (mut bracket, mut quote) = (0i32, None::<u8>);
                while let Some(&c) = self.s.get(self.i) {
                    match (quote, c) {
                        (Some(q), c) if c == q => quote = None,
                        (Some(_), _) => {}
                        (None, b'\'' | b'"') => quote = Some(c),
                        (None, b'[' | b'(') => bracket += 1,
                        (None, b']') => bracket -= 1,
                        (None, b')') if bracket > 0 => bracket -= 1,
                        (None, b',' | b')') if bracket == 0 => break,
                        _ => {}
                    }
                    self.i += 1;
                }
                Ok(Arg::Path(self.text[start..self.i].trim_end().to_string()))
            }
            Some(b'S') => self.call(depth + 1).map(Arg::Call),
            Some(c) if c.is_ascii_digit() || *c == b'-' => {
                let start = self.i;
                self.i += 1;
                while self.s.get(self.i).is_some_and(|c| c.is_ascii_digit() || b".eE+-".contains(c)) {
                    self.i += 1;
                }
                let t = &self.text[start..self.i];
                serde_json::from_str::<Number>(t).map(Arg::Number).map_err(|_| format!("'{t}' is not a number"))
            }
            _ => {
                for (word, arg) in [("true", Arg::Bool(true)), ("false", Arg::Bool(false)), ("null", Arg::Null)] {
                    if self.text[self.i..].starts_with(word) {
                        self.i += word.len();
                        return Ok(arg);
                    }
                }
                Err(format!("unexpected argument at character {}", self.i + 1))
            }
        }
    }
    /// A single-quoted literal with the escapes \' \{ \} \\.
    fn string(&mut self) -> Result<String, String> {
        self.i += 1;
        let mut out = String::new();
        let rest = &self.text[self.i..];
        let mut chars = rest.char_indices();
        while let Some((k, c)) = chars.next() {
            match c {
                '\'' => {
                    self.i += k + 1;
                    return Ok(out);
                }
                '\\' => match chars.next() {
                    Some((_, '\'')) => out.push('\''),
                    Some((_, '{')) => out.push(OPEN),
                    Some((_, '}')) => out.push(CLOSE),
                    Some((_, '\\')) => out.push('\\'),
                    Some((_, other)) => return Err(format!("invalid escape sequence '\\{other}' in a string literal")),
                    None => return Err("unterminated string literal".into()),
                },
                c => out.push(c),
            }
        }
        Err("unterminated string literal".into())
    }
}

fn arity(min: usize, max: Option<usize>) -> String {
    match max {
        Some(m) if m == min => min.to_string(),
        Some(m) => format!("{min} to {m}"),
        None => format!("at least {min}"),
    }
}

fn decode(s: &str) -> String {
    s.replace(OPEN, "{").replace(CLOSE, "}")
}

fn fail(cause: impl Into<String>) -> IntrinsicError {
    IntrinsicError { error: "States.Runtime".into(), cause: cause.into() }
}

impl Call {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn paths(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for a in &self.args {
            match a {
                Arg::Path(p) => out.push(p.as_str()),
                Arg::Call(c) => out.extend(c.paths()),
                _ => {}
            }
        }
        out
    }

    pub fn eval(&self, env: &mut dyn Env) -> Result<Value, IntrinsicError> {
        // Format needs its template with escaped braces still marked.
        let mut vals = Vec::with_capacity(self.args.len());
        for a in &self.args {
            vals.push(match a {
                Arg::Str(s) => Value::String(s.clone()),
                Arg::Number(n) => Value::Number(n.clone()),
                Arg::Bool(b) => Value::Bool(*b),
                Arg::Null => Value::Null,
                Arg::Path(p) => env.resolve(p).map_err(fail)?,
                Arg::Call(c) => c.eval(env)?,
            });
        }
        let name = self.name.as_str();
        let text = |i: usize| -> Result<String, IntrinsicError> {
            match &vals[i] {
                Value::String(s) => Ok(decode(s)),
                other => Err(fail(format!("The argument {} of {name} must be a string, but was {other}", i + 1))),
            }
        };
        let array = |i: usize| -> Result<&Vec<Value>, IntrinsicError> {
            vals[i].as_array().ok_or_else(|| fail(format!("The argument {} of {name} must be an array, but was {}", i + 1, vals[i])))
        };
        let int = |i: usize| -> Result<i64, IntrinsicError> {
            match &vals[i] {
                Value::Number(n) if n.as_i64().is_some() => Ok(n.as_i64().unwrap_or(0)),
                Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0 && f.abs() < 9e15) => Ok(n.as_f64().unwrap_or(0.0) as i64),
                other => Err(fail(format!("The argument {} of {name} must be an integer, but was {other}", i + 1))),
            }
        };
        Ok(match name {
            "States.Format" => {
                let template = match &vals[0] {
                    Value::String(s) => s.clone(),
                    other => return Err(fail(format!("The first argument of States.Format must be a string, but was {other}"))),
                };
                let pieces: Vec<&str> = template.split("{}").collect();
                if pieces.len() - 1 != vals.len() - 1 {
                    return Err(fail(format!(
                        "States.Format has {} placeholders but {} arguments to put in them",
                        pieces.len() - 1,
                        vals.len() - 1
                    )));
                }
                let mut out = String::from(pieces[0]);
                for (i, piece) in pieces[1..].iter().enumerate() {
                    out.push_str(&java_text(&vals[i + 1], true));
                    out.push_str(piece);
                }
                Value::String(decode(&out))
            }
            "States.StringToJson" => {
                let s = text(0)?;
                if s.trim().is_empty() {
                    Value::Null
                } else {
                    serde_json::from_str(&s).map_err(|e| fail(format!("States.StringToJson could not parse its argument as JSON: {e}")))?
                }
            }
            "States.JsonToString" => Value::String(serde_json::to_string(&decode_value(&vals[0])).unwrap_or_default()),
            "States.Array" => Value::Array(vals.iter().map(decode_value).collect()),
            "States.ArrayPartition" => {
                let arr = array(0)?;
                let size = int(1)?;
                if size <= 0 {
                    return Err(fail(format!("The chunk size of States.ArrayPartition must be positive, but was {size}")));
                }
                Value::Array(arr.chunks(size as usize).map(|c| Value::Array(c.to_vec())).collect())
            }
            "States.ArrayContains" => Value::Bool(array(0)?.iter().any(|v| json_eq(v, &vals[1]))),
            "States.ArrayRange" => {
                let (start, end, step) = (int(0)?, int(1)?, int(2)?);
                if step == 0 {
                    return Err(fail("The step of States.ArrayRange cannot be 0"));
                }
                let mut out = Vec::new();
                let mut x = start;
                while (step > 0 && x <= end) || (step < 0 && x >= end) {
                    out.push(Value::from(x));
                    if out.len() > 1000 {
                        return Err(fail("States.ArrayRange can produce at most 1000 elements"));
                    }
                    x = match x.checked_add(step) {
                        Some(n) => n,
                        None => break,
                    };
                }
                Value::Array(out)
            }
            "States.ArrayGetItem" => {
                let arr = array(0)?;
                let i = int(1)?;
                if i < 0 || i as usize >= arr.len() {
                    return Err(fail(format!("The index {i} is out of bounds for an array of length {}", arr.len())));
                }
                arr[i as usize].clone()
            }
            "States.ArrayLength" => Value::from(array(0)?.len()),
            "States.ArrayUnique" => {
                let mut out: Vec<Value> = Vec::new();
                for v in array(0)? {
                    if !out.iter().any(|o| json_eq(o, v)) {
                        out.push(v.clone());
                    }
                }
                Value::Array(out)
            }
            "States.Base64Encode" => {
                let s = text(0)?;
                if s.chars().count() > 10_000 {
                    return Err(fail("The input of States.Base64Encode is longer than 10000 characters"));
                }
                Value::String(base64::engine::general_purpose::STANDARD.encode(s.as_bytes()))
            }
            "States.Base64Decode" => {
                let s = text(0)?;
                if s.chars().count() > 10_000 {
                    return Err(fail("The input of States.Base64Decode is longer than 10000 characters"));
                }
                let bytes = base64::engine::general_purpose::STANDARD.decode(s.as_bytes()).map_err(|e| fail(format!("States.Base64Decode: {e}")))?;
                Value::String(String::from_utf8_lossy(&bytes).into_owned())
            }
            "States.Hash" => {
                let data = match &vals[0] {
                    Value::String(s) => decode(s),
                    other => java_text(other, false),
                };
                if data.chars().count() > 10_000 {
                    return Err(fail("The input of States.Hash is longer than 10000 characters"));
                }
                let alg = text(1)?;
                Value::String(hash(&alg, data.as_bytes()).ok_or_else(|| fail(format!("Unsupported hashing algorithm '{alg}': use MD5, SHA-1, SHA-256, SHA-384 or SHA-512")))?)
            }
            "States.JsonMerge" => {
                if vals[2] != Value::Bool(false) {
                    return Err(fail("States.JsonMerge supports only a shallow merge: its third argument must be false"));
                }
                match (&vals[0], &vals[1]) {
                    (Value::Object(a), Value::Object(b)) => {
                        let mut m: Map<String, Value> = a.clone();
                        for (k, v) in b {
                            m.insert(k.clone(), v.clone());
                        }
                        Value::Object(m)
                    }
                    _ => return Err(fail("Both arguments of States.JsonMerge must be objects")),
                }
            }
            "States.MathRandom" => {
                let (start, end) = (int(0)?, int(1)?);
                if end <= start {
                    return Err(fail(format!("The end of States.MathRandom must be greater than its start ({start}, {end})")));
                }
                let r = if vals.len() == 3 {
                    // With a seed the result depends on the seed alone.
                    let mut x = int(2)? as u64 ^ 0x9E37_79B9_7F4A_7C15;
                    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                    x ^ (x >> 31)
                } else {
                    env.random_u64()
                };
                let span = (end - start) as u64;
                Value::from(start + (r % span) as i64)
            }
            "States.MathAdd" => {
                let a = java_round(&vals[0]).ok_or_else(|| fail(format!("The arguments of States.MathAdd must be numbers, but the first was {}", vals[0])))?;
                let b = java_round(&vals[1]).ok_or_else(|| fail(format!("The arguments of States.MathAdd must be numbers, but the second was {}", vals[1])))?;
                Value::from(a.saturating_add(b))
            }
            "States.StringSplit" => {
                let (s, delims) = (text(0)?, text(1)?);
                Value::Array(s.split(|c| delims.contains(c)).filter(|p| !p.is_empty()).map(|p| Value::String(p.to_string())).collect())
            }
            "States.UUID" => {
                let (a, b) = (env.random_u64(), env.random_u64());
                let a = (a & 0xffff_ffff_ffff_0fff) | 0x4000;
                let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
                Value::String(format!("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xffff, b >> 48, b & 0xffff_ffff_ffff))
            }
            other => return Err(fail(format!("unknown intrinsic function '{other}'"))),
        })
    }
}

/// String literals inside arrays/objects built by intrinsics lose their escape markers.
fn decode_value(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(decode(s)),
        Value::Array(a) => Value::Array(a.iter().map(decode_value).collect()),
        other => other.clone(),
    }
}

/// Java's Math.round: floor(x + 0.5).
fn java_round(v: &Value) -> Option<i64> {
    let n = v.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    let f = n.as_f64()?;
    Some((f + 0.5).floor() as i64)
}

/// How AWS's Java code prints a value into text: strings bare (top level), maps as `{k=v, ...}`,
/// lists as `[a, b]`.
fn java_text(v: &Value, top: bool) -> String {
    match v {
        Value::String(s) => {
            let _ = top;
            s.clone()
        }
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => format!("[{}]", a.iter().map(|x| java_text(x, false)).collect::<Vec<_>>().join(", ")),
        Value::Object(m) => format!("{{{}}}", m.iter().map(|(k, x)| format!("{k}={}", java_text(x, false))).collect::<Vec<_>>().join(", ")),
    }
}

/// Deep equality with numbers compared by value.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w))),
        _ => a == b,
    }
}

fn hash(alg: &str, data: &[u8]) -> Option<String> {
    use sha2::Digest;
    let bytes: Vec<u8> = match alg {
        "MD5" => md5::Md5::digest(data).to_vec(),
        "SHA-1" => sha1::Sha1::digest(data).to_vec(),
        "SHA-256" => sha2::Sha256::digest(data).to_vec(),
        "SHA-384" => sha2::Sha384::digest(data).to_vec(),
        "SHA-512" => sha2::Sha512::digest(data).to_vec(),
        _ => return None,
    };
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Data(Value);
    impl Env for Data {
        fn resolve(&mut self, path: &str) -> Result<Value, String> {
            let key = path.strip_prefix("$.").ok_or("bad")?;
            self.0.get(key).cloned().ok_or_else(|| format!("no {path}"))
        }
        fn random_u64(&mut self) -> u64 {
            42
        }
    }

    fn run(text: &str, data: Value) -> Value {
        parse(text).unwrap().eval(&mut Data(data)).unwrap()
    }

    #[test]
    fn format_prints_like_java() {
        assert_eq!(run("States.Format('a {} b {}', $.x, $.y)", json!({"x": {"Arg1": 1, "Arg2": []}, "y": null})), json!("a {Arg1=1, Arg2=[]} b null"));
        assert_eq!(run("States.Format('\\{\\} {}', 'x')", json!({})), json!("{} x"));
        assert!(parse("States.Format('{}', 'a')").unwrap().eval(&mut Data(json!({}))).is_ok());
        assert!(parse("States.Format('{} {}', 'a')").unwrap().eval(&mut Data(json!({}))).is_err());
    }

    #[test]
    fn math_add_rounds_half_up_as_java() {
        for (a, b, want) in [(1.5, 0.0, 2), (2.5, 0.0, 3), (-0.5, 0.0, 0), (-1.5, 0.0, -1), (-2.5, 0.0, -2), (1.49, 1.5, 3), (-1.51, 0.0, -2)] {
            assert_eq!(run("States.MathAdd($.a, $.b)", json!({"a": a, "b": b})), json!(want), "{a} + {b}");
        }
        assert_eq!(run("States.MathAdd(1, 2)", json!({})), json!(3));
    }

    #[test]
    fn arrays() {
        assert_eq!(run("States.ArrayRange(0, 10, 3)", json!({})), json!([0, 3, 6, 9]));
        assert_eq!(run("States.ArrayPartition(States.Array(1, 2, 3), 2)", json!({})), json!([[1, 2], [3]]));
        assert_eq!(run("States.ArrayUnique($.a)", json!({"a": [1, 1.0, {"x": 1}, {"x": 1}]})), json!([1, {"x": 1}]));
        assert_eq!(run("States.ArrayContains($.a, $.b)", json!({"a": [[1, 2, 3]], "b": [1, 2, 3]})), json!(true));
        assert_eq!(run("States.ArrayGetItem(States.StringSplit('a-b', '-'), 1)", json!({})), json!("b"));
    }

    #[test]
    fn strings_and_encodings() {
        assert_eq!(run("States.StringSplit('This.is+a,test=string', '.+,=')", json!({})), json!(["This", "is", "a", "test", "string"]));
        assert_eq!(run("States.StringSplit(',,,,', ',')", json!({})), json!([]));
        assert_eq!(run("States.Base64Decode(States.Base64Encode('Hello World'))", json!({})), json!("Hello World"));
        assert_eq!(run("States.Hash('Hello World', 'SHA-256')", json!({})), json!("a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e"));
        assert_eq!(run("States.JsonToString($.a)", json!({"a": {"k": [1]}})), json!("{\"k\":[1]}"));
        assert_eq!(run("States.StringToJson(' ')", json!({})), json!(null));
        assert_eq!(run("States.JsonMerge($.a, $.b, false)", json!({"a": {"x": 1, "y": {"z": 1}}, "b": {"y": 2}})), json!({"x": 1, "y": 2}));
    }

    #[test]
    fn parse_errors_are_messages() {
        assert!(parse("States.Nope(1)").is_err());
        assert!(parse("States.MathAdd(1)").is_err());
        assert!(parse("States.Format('\\x')").is_err());
        assert!(parse("States.Format('unterminated)").is_err());
        assert_eq!(parse("States.Format('{}', $.a[0], $$.Execution.Id)").unwrap().paths(), vec!["$.a[0]", "$$.Execution.Id"]);
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(s in ".{0,60}") {
            let _ = parse(&s);
            let _ = parse(&format!("States.Format({s})"));
        }

        #[test]
        fn format_round_trips_literals(lit in "[a-zA-Z0-9 '{}\\\\.,]{0,20}") {
            let escaped: String = lit.chars().map(|c| match c { '\'' | '{' | '}' | '\\' => format!("\\{c}"), c => c.to_string() }).collect();
            let v = parse(&format!("States.Format('{{}}', '{escaped}')")).unwrap().eval(&mut Data(json!({}))).unwrap();
            proptest::prop_assert_eq!(v, json!(lit));
        }
    }
}
