//! Filter expressions (`[?(@.price < 10 && @.kind == 'x')]`), after Jayway's FilterCompiler:
//! `||`, `&&`, `!`, parentheses, relational operators, operands (`@...`, `$...`, literals).
//! The rest of the path is read by `parse.rs`.

use super::java::number_from_text;
use super::parse::{ends_filter_path, segs_definite, Parser, MAX_NESTING, MAX_TOKENS};
use super::{Expr, FPath, Operand, RelOp};
use serde_json::Value;

impl Parser<'_> {
    pub(super) fn or(&mut self) -> Result<Expr, String> {
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

    pub(super) fn count(&mut self) -> Result<(), String> {
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
