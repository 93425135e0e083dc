//! JSONPath as AWS Step Functions evaluates it (AWS uses the Java Jayway library): `$` data, `$$`
//! context, `$name` variables; names, indexes, wildcards, slices, unions, `..` and filters; and
//! reference paths (names and indexes only) for ResultPath and the `...Path` fields.

use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub enum Root {
    Data,
    Context,
    Variable(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Name(String),
    Index(i64),
    Wildcard,
    Slice(Option<i64>, Option<i64>, i64),
    Names(Vec<String>),
    Indexes(Vec<i64>),
    Descend(Box<Seg>),
    Filter(Filter),
    /// `length()` and friends at the end of a path.
    Function(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Filter {
    Or(Box<Filter>, Box<Filter>),
    And(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Exists(Operand),
    Cmp(Operand, String, Operand),
}

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    /// `@...` relative to the current node; `$...` from the root.
    Current(Vec<Seg>),
    Root(Vec<Seg>),
    Literal(Value),
}

#[derive(Debug, Clone)]
pub struct Path {
    root: Root,
    segs: Vec<Seg>,
    text: String,
    definite: bool,
}

/// A path that matched nothing, with Jayway's message.
#[derive(Debug, Clone, PartialEq)]
pub struct PathMiss {
    pub message: String,
}

impl Path {
    pub fn parse(text: &str) -> Result<Path, String> {
        let mut p = Parser {
            s: text.as_bytes(),
            text,
            i: 0,
        };
        let root = p.root()?;
        let segs = p.segments(false)?;
        if p.i != p.s.len() {
            return Err(format!(
                "unexpected character '{}' at position {}",
                &text[p.i..].chars().next().unwrap_or(' '),
                p.i + 1
            ));
        }
        let definite = segs
            .iter()
            .all(|s| matches!(s, Seg::Name(_) | Seg::Index(_) | Seg::Function(_)));
        Ok(Path {
            root,
            segs,
            text: text.to_string(),
            definite,
        })
    }

    pub fn parse_reference(text: &str) -> Result<Path, String> {
        let p = Path::parse(text)?;
        if p.segs
            .iter()
            .all(|s| matches!(s, Seg::Name(_)) || matches!(s, Seg::Index(i) if *i >= 0))
        {
            Ok(p)
        } else {
            Err(format!(
                "'{text}' is not a reference path: only names and indexes are allowed"
            ))
        }
    }

    pub fn root(&self) -> &Root {
        &self.root
    }
    /// The first property name, when the path starts with one (`$$.Map.Item` gives `Map`).
    pub fn first_name(&self) -> Option<&str> {
        match self.segs.first() {
            Some(Seg::Name(n)) => Some(n),
            _ => None,
        }
    }
    pub fn text(&self) -> &str {
        &self.text
    }
    pub fn is_definite(&self) -> bool {
        self.definite
    }

    pub fn select(&self, root_value: &Value) -> Result<Value, PathMiss> {
        if self.definite {
            return self.select_definite(root_value);
        }
        let mut current: Vec<&Value> = vec![root_value];
        for seg in &self.segs {
            let mut next = Vec::new();
            for v in current {
                step(seg, v, root_value, &mut next);
            }
            current = next;
        }
        Ok(Value::Array(current.into_iter().cloned().collect()))
    }

    fn select_definite(&self, root_value: &Value) -> Result<Value, PathMiss> {
        let mut v = root_value;
        let last = self.segs.len().saturating_sub(1);
        for (i, seg) in self.segs.iter().enumerate() {
            let found = match seg {
                Seg::Name(n) => match v {
                    Value::Object(m) => m.get(n),
                    _ => None,
                },
                Seg::Index(k) => match v {
                    Value::Array(a) => index(a, *k).and_then(|k| a.get(k)),
                    _ => None,
                },
                Seg::Function(f) => {
                    return function(f, v).ok_or_else(|| PathMiss {
                        message: format!("Function {f}() cannot be applied here"),
                    })
                }
                _ => None,
            };
            match found {
                Some(x) => v = x,
                None => {
                    let shown = normalized(&self.segs[..=i]);
                    let message = if i == last || !matches!(seg, Seg::Name(_)) {
                        format!("No results for path: {}", normalized(&self.segs))
                    } else {
                        format!("Missing property in path {shown}")
                    };
                    return Err(PathMiss { message });
                }
            }
        }
        Ok(v.clone())
    }

    /// Writes `value` at this reference path in `target`, creating objects on the way.
    pub fn assign(&self, target: Value, value: Value) -> Result<Value, String> {
        if self.segs.is_empty() {
            return Ok(value);
        }
        let mut target = target;
        let mut cur = &mut target;
        for (i, seg) in self.segs.iter().enumerate() {
            let is_last = i + 1 == self.segs.len();
            match seg {
                Seg::Name(n) => {
                    if cur.is_null() && !is_last {
                        *cur = Value::Object(Map::new());
                    }
                    let Value::Object(m) = cur else {
                        return Err(format!(
                            "Unable to set the field '{n}' of {}: it is not an object",
                            normalized(&self.segs[..i])
                        ));
                    };
                    if is_last {
                        m.insert(n.clone(), value);
                        return Ok(target);
                    }
                    cur = m
                        .entry(n.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                }
                Seg::Index(k) => {
                    let Value::Array(a) = cur else {
                        return Err(format!(
                            "Unable to set index [{k}] of {}: it is not an array",
                            normalized(&self.segs[..i])
                        ));
                    };
                    let Some(k) = index(a, *k) else {
                        return Err(format!("Index [{k}] is out of bounds"));
                    };
                    if is_last {
                        a[k] = value;
                        return Ok(target);
                    }
                    cur = &mut a[k];
                }
                _ => return Err("ResultPath must be a reference path".into()),
            }
        }
        Ok(target)
    }
}

fn index(a: &[Value], k: i64) -> Option<usize> {
    let k = if k < 0 { a.len() as i64 + k } else { k };
    (k >= 0 && (k as usize) < a.len()).then_some(k as usize)
}

fn function(f: &str, v: &Value) -> Option<Value> {
    let nums = || {
        v.as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect::<Vec<_>>())
    };
    match f {
        "length" | "size" => match v {
            Value::Array(a) => Some(Value::from(a.len())),
            Value::String(s) => Some(Value::from(s.chars().count())),
            Value::Object(m) => Some(Value::from(m.len())),
            _ => None,
        },
        "min" => nums()?.into_iter().reduce(f64::min).map(num),
        "max" => nums()?.into_iter().reduce(f64::max).map(num),
        "sum" => Some(num(nums()?.into_iter().sum())),
        "avg" => {
            let n = nums()?;
            (!n.is_empty()).then(|| num(n.iter().sum::<f64>() / n.len() as f64))
        }
        _ => None,
    }
}

fn num(f: f64) -> Value {
    serde_json::Number::from_f64(f)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// Jayway's normalised form: `$['a'][0]`.
fn normalized(segs: &[Seg]) -> String {
    let mut s = String::from("$");
    for seg in segs {
        match seg {
            Seg::Name(n) => s.push_str(&format!("['{n}']")),
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
            Seg::Wildcard => s.push_str("[*]"),
            Seg::Function(f) => s.push_str(&format!(".{f}()")),
            _ => s.push_str("[?]"),
        }
    }
    s
}

fn step<'a>(seg: &Seg, v: &'a Value, root: &'a Value, out: &mut Vec<&'a Value>) {
    match seg {
        Seg::Name(n) => {
            if let Some(x) = v.as_object().and_then(|m| m.get(n)) {
                out.push(x)
            }
        }
        Seg::Names(ns) => {
            if let Some(m) = v.as_object() {
                out.extend(ns.iter().filter_map(|n| m.get(n)))
            }
        }
        Seg::Index(k) => {
            if let Some(a) = v.as_array() {
                if let Some(x) = index(a, *k).and_then(|k| a.get(k)) {
                    out.push(x)
                }
            }
        }
        Seg::Indexes(ks) => {
            if let Some(a) = v.as_array() {
                out.extend(
                    ks.iter()
                        .filter_map(|k| index(a, *k).and_then(|k| a.get(k))),
                )
            }
        }
        Seg::Wildcard => match v {
            Value::Array(a) => out.extend(a.iter()),
            Value::Object(m) => out.extend(m.values()),
            _ => {}
        },
        Seg::Slice(start, end, st) => {
            if let Some(a) = v.as_array() {
                let len = a.len() as i64;
                let norm = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) };
                let step = if *st == 0 { 1 } else { *st };
                if step > 0 {
                    let (s, e) = (start.map(norm).unwrap_or(0), end.map(norm).unwrap_or(len));
                    let mut i = s;
                    while i < e {
                        out.push(&a[i as usize]);
                        i += step;
                    }
                } else {
                    let s = start
                        .map(|x| if x < 0 { len + x } else { x.min(len - 1) })
                        .unwrap_or(len - 1);
                    let e = end.map(|x| if x < 0 { len + x } else { x }).unwrap_or(-1);
                    let mut i = s;
                    while i > e && i >= 0 {
                        out.push(&a[i as usize]);
                        i += step;
                    }
                }
            }
        }
        Seg::Descend(inner) => descend(inner, v, root, out),
        Seg::Filter(f) => {
            let items: Vec<&Value> = match v {
                Value::Array(a) => a.iter().collect(),
                Value::Object(_) => vec![v],
                _ => vec![],
            };
            out.extend(items.into_iter().filter(|x| filter(f, x, root)));
        }
        Seg::Function(f) => {
            // Functions return new values; keep them alive by leaking nothing: only length on arrays
            // of the current node is supported in indefinite paths via a static table.
            let _ = f;
        }
    }
}

fn descend<'a>(inner: &Seg, v: &'a Value, root: &'a Value, out: &mut Vec<&'a Value>) {
    step(inner, v, root, out);
    match v {
        Value::Array(a) => a.iter().for_each(|x| descend(inner, x, root, out)),
        Value::Object(m) => m.values().for_each(|x| descend(inner, x, root, out)),
        _ => {}
    }
}

fn walk<'a>(segs: &[Seg], v: &'a Value, root: &'a Value) -> Option<Value> {
    let mut cur: Vec<&Value> = vec![v];
    let definite = segs
        .iter()
        .all(|s| matches!(s, Seg::Name(_) | Seg::Index(_)));
    for seg in segs {
        if let Seg::Function(f) = seg {
            let target = if definite {
                cur.first().map(|x| (*x).clone())?
            } else {
                Value::Array(cur.into_iter().cloned().collect())
            };
            return function(f, &target);
        }
        let mut next = Vec::new();
        for x in cur {
            step(seg, x, root, &mut next);
        }
        cur = next;
    }
    if definite {
        cur.first().map(|x| (*x).clone())
    } else {
        Some(Value::Array(cur.into_iter().cloned().collect()))
    }
}

fn operand_value(o: &Operand, current: &Value, root: &Value) -> Option<Value> {
    match o {
        Operand::Literal(v) => Some(v.clone()),
        Operand::Current(segs) => walk(segs, current, root),
        Operand::Root(segs) => walk(segs, root, root),
    }
}

fn filter(f: &Filter, current: &Value, root: &Value) -> bool {
    match f {
        Filter::Or(a, b) => filter(a, current, root) || filter(b, current, root),
        Filter::And(a, b) => filter(a, current, root) && filter(b, current, root),
        Filter::Not(a) => !filter(a, current, root),
        Filter::Exists(o) => operand_value(o, current, root).is_some(),
        Filter::Cmp(a, op, b) => {
            let (Some(x), Some(y)) = (
                operand_value(a, current, root),
                operand_value(b, current, root),
            ) else {
                return op == "!=";
            };
            let ord = match (&x, &y) {
                (Value::Number(p), Value::Number(q)) => p
                    .as_f64()
                    .zip(q.as_f64())
                    .and_then(|(p, q)| p.partial_cmp(&q)),
                (Value::String(p), Value::String(q)) => Some(p.cmp(q)),
                _ => None,
            };
            use std::cmp::Ordering::*;
            match op.as_str() {
                "==" => ord == Some(Equal) || (ord.is_none() && x == y),
                "!=" => !(ord == Some(Equal) || (ord.is_none() && x == y)),
                "<" => ord == Some(Less),
                "<=" => matches!(ord, Some(Less | Equal)),
                ">" => ord == Some(Greater),
                ">=" => matches!(ord, Some(Greater | Equal)),
                "in" => y.as_array().is_some_and(|a| a.contains(&x)),
                "nin" => y.as_array().is_some_and(|a| !a.contains(&x)),
                _ => false,
            }
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

fn ident_char(c: u8) -> bool {
    !matches!(
        c,
        b'.' | b'['
            | b']'
            | b'('
            | b')'
            | b' '
            | b','
            | b'='
            | b'!'
            | b'<'
            | b'>'
            | b'&'
            | b'|'
            | b'\''
            | b'"'
            | b'?'
            | b'@'
            | b'$'
            | b'*'
    )
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn ws(&mut self) {
        while self.peek().is_some_and(|c| c == b' ') {
            self.i += 1;
        }
    }
    fn root(&mut self) -> Result<Root, String> {
        if !self.eat(b'$') {
            return Err(format!("a path must start with '$': '{}'", self.text));
        }
        if self.eat(b'$') {
            return Ok(Root::Context);
        }
        let start = self.i;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
                self.i += 1;
            } else {
                break;
            }
        }
        if self.i > start {
            return Ok(Root::Variable(self.text[start..self.i].to_string()));
        }
        Ok(Root::Data)
    }
    fn name(&mut self) -> Result<String, String> {
        let start = self.i;
        while self.peek().is_some_and(ident_char) {
            self.i += 1;
        }
        if self.i == start {
            return Err(format!(
                "expected a name at position {} of '{}'",
                self.i + 1,
                self.text
            ));
        }
        Ok(self.text[start..self.i].to_string())
    }
    /// Segments until the end (or, inside a filter, until an operator or ')').
    fn segments(&mut self, in_filter: bool) -> Result<Vec<Seg>, String> {
        let mut segs = Vec::new();
        loop {
            match self.peek() {
                Some(b'.') => {
                    self.i += 1;
                    if self.eat(b'.') {
                        let inner = if self.eat(b'*') {
                            Seg::Wildcard
                        } else if self.peek() == Some(b'[') {
                            self.bracket()?
                        } else {
                            Seg::Name(self.name()?)
                        };
                        segs.push(Seg::Descend(Box::new(inner)));
                    } else if self.eat(b'*') {
                        segs.push(Seg::Wildcard);
                    } else {
                        let n = self.name()?;
                        if self.peek() == Some(b'(') && self.s.get(self.i + 1) == Some(&b')') {
                            self.i += 2;
                            segs.push(Seg::Function(n));
                        } else {
                            segs.push(Seg::Name(n));
                        }
                    }
                }
                Some(b'[') => segs.push(self.bracket()?),
                None => break,
                Some(_) if in_filter => break,
                Some(c) => {
                    return Err(format!(
                        "unexpected character '{}' at position {} of '{}'",
                        c as char,
                        self.i + 1,
                        self.text
                    ))
                }
            }
        }
        Ok(segs)
    }
    fn quoted(&mut self) -> Result<String, String> {
        let q = self.peek().ok_or("unterminated")?;
        self.i += 1;
        let mut out = String::new();
        let rest = &self.text[self.i..];
        let mut chars = rest.char_indices();
        while let Some((k, c)) = chars.next() {
            if c == q as char {
                self.i += k + 1;
                return Ok(out);
            }
            // Jayway keeps a backslash literally unless it escapes the quote itself.
            if c == '\\' && rest[k + 1..].starts_with(q as char) {
                chars.next();
                out.push(q as char);
                continue;
            }
            out.push(c);
        }
        Err(format!("unterminated quoted name in '{}'", self.text))
    }
    fn int(&mut self) -> Option<i64> {
        let start = self.i;
        self.eat(b'-');
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        let r = self.text[start..self.i].parse().ok();
        if r.is_none() {
            self.i = start;
        }
        r
    }
    fn bracket(&mut self) -> Result<Seg, String> {
        self.i += 1;
        self.ws();
        let seg = if self.eat(b'*') {
            Seg::Wildcard
        } else if self.eat(b'?') {
            self.ws();
            if !self.eat(b'(') {
                return Err(format!("expected '(' after '?' in '{}'", self.text));
            }
            let f = self.or()?;
            self.ws();
            if !self.eat(b')') {
                return Err(format!(
                    "expected ')' closing the filter in '{}'",
                    self.text
                ));
            }
            Seg::Filter(f)
        } else if matches!(self.peek(), Some(b'\'' | b'"')) {
            let mut names = vec![self.quoted()?];
            self.ws();
            while self.eat(b',') {
                self.ws();
                names.push(self.quoted()?);
                self.ws();
            }
            if names.len() == 1 {
                Seg::Name(names.remove(0))
            } else {
                Seg::Names(names)
            }
        } else {
            let first = self.int();
            self.ws();
            if self.eat(b':') {
                let end = self.int();
                let step = if self.eat(b':') {
                    self.int().unwrap_or(1)
                } else {
                    1
                };
                Seg::Slice(first, end, step)
            } else {
                let Some(first) = first else {
                    return Err(format!("invalid bracket expression in '{}'", self.text));
                };
                let mut ks = vec![first];
                while self.eat(b',') {
                    self.ws();
                    ks.push(
                        self.int()
                            .ok_or_else(|| format!("expected an index in '{}'", self.text))?,
                    );
                    self.ws();
                }
                if ks.len() == 1 {
                    Seg::Index(first)
                } else {
                    Seg::Indexes(ks)
                }
            }
        };
        self.ws();
        if !self.eat(b']') {
            return Err(format!(
                "expected ']' at position {} of '{}'",
                self.i + 1,
                self.text
            ));
        }
        Ok(seg)
    }
    fn or(&mut self) -> Result<Filter, String> {
        let mut left = self.and()?;
        loop {
            self.ws();
            if self.text[self.i..].starts_with("||") {
                self.i += 2;
                let right = self.and()?;
                left = Filter::Or(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }
    fn and(&mut self) -> Result<Filter, String> {
        let mut left = self.unary()?;
        loop {
            self.ws();
            if self.text[self.i..].starts_with("&&") {
                self.i += 2;
                let right = self.unary()?;
                left = Filter::And(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }
    fn unary(&mut self) -> Result<Filter, String> {
        self.ws();
        if self.eat(b'!') {
            return Ok(Filter::Not(Box::new(self.unary()?)));
        }
        if self.eat(b'(') {
            let f = self.or()?;
            self.ws();
            if !self.eat(b')') {
                return Err(format!("expected ')' in '{}'", self.text));
            }
            return Ok(f);
        }
        let left = self.operand()?;
        self.ws();
        for op in [
            "==", "!=", "<=", ">=", "=~", "<", ">", " in ", " nin ", "in ", "nin ",
        ] {
            if self.text[self.i..].starts_with(op) {
                self.i += op.len();
                let right = self.operand()?;
                return Ok(Filter::Cmp(left, op.trim().to_string(), right));
            }
        }
        Ok(Filter::Exists(left))
    }
    fn operand(&mut self) -> Result<Operand, String> {
        self.ws();
        match self.peek() {
            Some(b'@') => {
                self.i += 1;
                Ok(Operand::Current(self.segments(true)?))
            }
            Some(b'$') => {
                self.i += 1;
                Ok(Operand::Root(self.segments(true)?))
            }
            Some(b'\'' | b'"') => Ok(Operand::Literal(Value::String(self.quoted()?))),
            Some(b'[') => {
                let start = self.i;
                let mut depth = 0;
                while let Some(c) = self.peek() {
                    self.i += 1;
                    if c == b'[' {
                        depth += 1;
                    } else if c == b']' {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                }
                let t = self.text[start..self.i].replace('\'', "\"");
                serde_json::from_str(&t)
                    .map(Operand::Literal)
                    .map_err(|_| format!("invalid list literal in '{}'", self.text))
            }
            Some(b'/') => Err(format!(
                "regular expressions are not supported in '{}'",
                self.text
            )),
            _ => {
                let start = self.i;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || b".-+".contains(&c))
                {
                    self.i += 1;
                }
                let t = &self.text[start..self.i];
                serde_json::from_str(t)
                    .map(Operand::Literal)
                    .map_err(|_| format!("invalid literal '{t}' in '{}'", self.text))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sel(p: &str, v: Value) -> Result<Value, String> {
        Path::parse(p).unwrap().select(&v).map_err(|m| m.message)
    }

    #[test]
    fn definite_paths_and_jayway_misses() {
        let v = json!({"a": {"b": [10, 20, 30]}, "x y": 1});
        assert_eq!(sel("$.a.b[1]", v.clone()), Ok(json!(20)));
        assert_eq!(sel("$.a.b[-1]", v.clone()), Ok(json!(30)));
        assert_eq!(sel("$['x y']", v.clone()), Ok(json!(1)));
        assert_eq!(sel("$", v.clone()), Ok(v.clone()));
        assert_eq!(
            sel("$.NoSuchInputPath", v.clone()),
            Err("No results for path: $['NoSuchInputPath']".into())
        );
        assert_eq!(
            sel("$.no.such.result.path", v.clone()),
            Err("Missing property in path $['no']".into())
        );
    }

    #[test]
    fn indefinite_paths_give_arrays_even_when_empty() {
        let v = json!({"items": [{"p": 1, "k": "a"}, {"p": 5, "k": "b"}, {"p": 9}]});
        assert_eq!(sel("$.items[*].p", v.clone()), Ok(json!([1, 5, 9])));
        assert_eq!(sel("$.items[1:].p", v.clone()), Ok(json!([5, 9])));
        assert_eq!(sel("$.items[?(@.p > 2)].p", v.clone()), Ok(json!([5, 9])));
        assert_eq!(
            sel("$.items[?(@.k == 'b' || @.p < 2)].p", v.clone()),
            Ok(json!([1, 5]))
        );
        assert_eq!(sel("$.items[?(@.k)].k", v.clone()), Ok(json!(["a", "b"])));
        assert_eq!(sel("$..p", v.clone()), Ok(json!([1, 5, 9])));
        assert_eq!(sel("$.items[0,2].p", v.clone()), Ok(json!([1, 9])));
        assert_eq!(sel("$.nothing[*]", v.clone()), Ok(json!([])));
        assert_eq!(sel("$.items.length()", v), Ok(json!(3)));
    }

    #[test]
    fn roots() {
        assert_eq!(
            Path::parse("$$.Execution.Id").unwrap().root(),
            &Root::Context
        );
        assert_eq!(
            Path::parse("$myVar.field").unwrap().root(),
            &Root::Variable("myVar".into())
        );
        assert_eq!(Path::parse("$.a").unwrap().root(), &Root::Data);
        assert!(Path::parse("a.b").is_err());
        assert!(Path::parse("$.a[").is_err());
        assert!(Path::parse_reference("$.a[*]").is_err());
        assert!(Path::parse_reference("$.a[0].b").is_ok());
    }

    #[test]
    fn assign_creates_objects() {
        let p = Path::parse("$.a.b").unwrap();
        assert_eq!(
            p.assign(json!({"x": 1}), json!(2)).unwrap(),
            json!({"x": 1, "a": {"b": 2}})
        );
        assert_eq!(
            Path::parse("$")
                .unwrap()
                .assign(json!({"x": 1}), json!(2))
                .unwrap(),
            json!(2)
        );
        assert!(p.assign(json!({"a": "str"}), json!(2)).is_err());
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(s in "\\$[.a-z\\[\\]0-9*?()@<>=!&|' :,-]{0,30}") {
            if let Ok(p) = Path::parse(&s) {
                let _ = p.select(&json!({"a": [1, {"b": 2}], "b": {"c": "d"}}));
                let _ = p.assign(json!({"a": {}}), json!(1));
            }
        }

        #[test]
        fn definite_select_finds_what_a_walk_finds(keys in proptest::collection::vec("[a-z]{1,3}", 1..5), leaf in 0i64..100) {
            let mut v = json!(leaf);
            for k in keys.iter().rev() {
                v = json!({ k.clone(): v });
            }
            let text = format!("${}", keys.iter().map(|k| format!(".{k}")).collect::<String>());
            let p = Path::parse(&text).unwrap();
            proptest::prop_assert_eq!(p.select(&v).unwrap(), json!(leaf));
            let written = p.assign(json!({}), json!("x")).unwrap();
            proptest::prop_assert_eq!(p.select(&written).unwrap(), json!("x"));
        }
    }
}
