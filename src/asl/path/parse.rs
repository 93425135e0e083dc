//! Reading a path's text into tokens, after Jayway's PathCompiler: the root (`$`, `$$`,
//! `$name`), names, brackets, indexes, slices, wildcards, `..` and functions. Filter
//! expressions inside `[?( )]` are read by `parse_filter.rs`, on the same [`Parser`].

use super::functions::Func;
use super::misses::fragments;
use super::{Path, Root, Seg, Slice};

/// How deeply filters and parentheses may nest in a path, and how many tokens and filter terms a
/// path may have in all (beyond them parsing fails, instead of evaluation or drop exhausting the
/// stack: a page's wasm stack is small).
pub(super) const MAX_NESTING: usize = 64;
pub(super) const MAX_TOKENS: usize = 256;

pub(super) fn segs_definite(segs: &[Seg]) -> bool {
    let n = segs.len();
    segs.iter().enumerate().all(|(i, s)| match s {
        Seg::Name(_) | Seg::Index(_) | Seg::Function(_) => true,
        // A multi-name token at the end merges into one object.
        Seg::Names(_) => i + 1 == n,
        _ => false,
    })
}

impl Path {
    /// Parses any JSONPath AWS accepts: `$`, `$.a.b`, `$['a b']`, `$["a"]`, `$.a[0]`, `$.a[-1]`,
    /// `$.a[*]`, `$.*`, `$..name`, `$.a[1:3]`, `$.a[:2]`, `$.a[0,2]`, `$['a','b']`, filters
    /// `$.a[?(@.price < 10)]`, `$.a[?(@.x == 'y' && @.z)]`, `$[?(@.k)]`, functions
    /// `$.a.length()`, `$$.Execution.Input`, `$var.field`.
    /// Errors are a human message naming what is wrong.
    pub fn parse(text: &str) -> Result<Path, String> {
        // Jayway trims the text (Java's trim: characters up to U+0020); a leading blank still
        // fails, as AWS wants the text to start with '$'.
        let body = text.trim_end_matches(|c: char| c <= ' ');
        let mut p = Parser {
            text: body,
            b: body.as_bytes(),
            i: 0,
            depth: 0,
            tokens: 0,
        };
        let root = p.root()?;
        let segs = p.segments(false)?;
        if p.i < p.b.len() {
            return Err(p.err("unexpected character"));
        }
        let definite = segs_definite(&segs);
        let normalized = format!("${}", fragments(&segs));
        Ok(Path {
            root,
            segs,
            text: text.to_string(),
            definite,
            normalized,
        })
    }

    /// A reference path (ResultPath, ItemsPath, the *Path fields of Wait/Task/Map...): only names
    /// and single non-negative indexes, no wildcards, filters, slices, unions, functions or `..`.
    pub fn parse_reference(text: &str) -> Result<Path, String> {
        let p = Path::parse(text)?;
        for seg in &p.segs {
            let why = match seg {
                Seg::Name(_) => continue,
                Seg::Index(i) if *i >= 0 => continue,
                Seg::Index(_) => "a negative index",
                Seg::Names(_) => "several names in one bracket",
                Seg::Indexes(_) => "several indexes in one bracket",
                Seg::Slice(_) => "a slice",
                Seg::Wildcard => "a wildcard",
                Seg::Scan => "'..'",
                Seg::Filter(_) => "a filter",
                Seg::Function(_) => "a function",
            };
            return Err(format!(
                "'{text}' is not a valid reference path: it uses {why} (only names and indexes are allowed)"
            ));
        }
        Ok(p)
    }
}

pub(super) struct Parser<'t> {
    pub(super) text: &'t str,
    b: &'t [u8],
    pub(super) i: usize,
    pub(super) depth: usize,
    /// Tokens and filter terms read so far.
    pub(super) tokens: usize,
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Characters that end a path inside a filter (Jayway's readPath stops at relational-operator
/// characters, blanks and a closing parenthesis; `&`, `|` and `,` are added for sanity).
pub(super) fn ends_filter_path(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\n' | b'\r' | b')' | b'<' | b'>' | b'=' | b'~' | b'!' | b'&' | b'|' | b','
    )
}

impl<'t> Parser<'t> {
    pub(super) fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    pub(super) fn at(&self, k: usize) -> Option<u8> {
        self.b.get(k).copied()
    }
    pub(super) fn err(&self, what: &str) -> String {
        match self.text.get(self.i..).and_then(|r| r.chars().next()) {
            Some(c) => format!(
                "Invalid JSONPath '{}': {what} ('{c}' at position {})",
                self.text, self.i
            ),
            None => format!("Invalid JSONPath '{}': {what} (at the end)", self.text),
        }
    }
    pub(super) fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }
    /// Position of the next non-blank byte from `k`.
    pub(super) fn significant(&self, mut k: usize) -> usize {
        while matches!(self.at(k), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            k += 1;
        }
        k
    }
    pub(super) fn starts_with(&self, s: &str) -> bool {
        self.b
            .get(self.i..)
            .is_some_and(|r| r.starts_with(s.as_bytes()))
    }

    fn root(&mut self) -> Result<Root, String> {
        if self.peek() != Some(b'$') {
            return Err(format!(
                "Invalid JSONPath '{}': a path must start with '$'",
                self.text
            ));
        }
        self.i = 1;
        if self.peek() == Some(b'$') {
            self.i = 2;
            self.after_root()?;
            return Ok(Root::Context);
        }
        let rest = self.text.get(1..).unwrap_or("");
        let len: usize = rest
            .chars()
            .take_while(|c| is_ident_char(*c))
            .map(char::len_utf8)
            .sum();
        if len > 0 {
            let name = rest.get(..len).unwrap_or("").to_string();
            self.i = 1 + len;
            self.after_root()?;
            return Ok(Root::Variable(name));
        }
        self.after_root()?;
        Ok(Root::Data)
    }

    /// Jayway: the root must be followed by '.', '[' or nothing.
    fn after_root(&self) -> Result<(), String> {
        match self.peek() {
            None | Some(b'.' | b'[') => Ok(()),
            Some(_) => Err(self.err("expected '.' or '[' after the root")),
        }
    }

    /// Tokens up to the end of the text (or, inside a filter, up to the end of the operand).
    pub(super) fn segments(&mut self, in_filter: bool) -> Result<Vec<Seg>, String> {
        let mut segs = Vec::new();
        while let Some(c) = self.peek() {
            if in_filter && (ends_filter_path(c) || c == b']') {
                break;
            }
            self.count()?;
            if matches!(segs.last(), Some(Seg::Function(_))) {
                return Err(self.err("a function must be the last element of a path"));
            }
            match c {
                b'.' => {
                    if self.at(self.i + 1) == Some(b'.') {
                        self.i += 2;
                        if self.peek().is_none() {
                            return Err(self.err("a path must not end with '..'"));
                        }
                        if self.peek() == Some(b'.') {
                            return Err(self.err("'.' is not valid here"));
                        }
                        segs.push(Seg::Scan);
                    } else {
                        self.i += 1;
                        if self.peek().is_none() {
                            return Err(self.err("a path must not end with '.'"));
                        }
                    }
                    match self.peek() {
                        Some(b'[') => segs.push(self.bracket()?),
                        Some(b'*') => {
                            self.i += 1;
                            segs.push(Seg::Wildcard);
                        }
                        _ => segs.push(self.property(in_filter)?),
                    }
                }
                b'[' => segs.push(self.bracket()?),
                b'*' => {
                    self.i += 1;
                    segs.push(Seg::Wildcard);
                }
                _ => segs.push(self.property(in_filter)?),
            }
        }
        Ok(segs)
    }

    /// A dot-notation name, or a function `name()`.
    fn property(&mut self, in_filter: bool) -> Result<Seg, String> {
        let start = self.i;
        while let Some(c) = self.peek() {
            if c == b'.' || c == b'[' || c == b'(' {
                break;
            }
            if in_filter && ends_filter_path(c) {
                break;
            }
            if c == b' ' || c == b'\t' || c == b'\n' || c == b'\r' {
                return Err(self.err(
                    "use bracket notation ['my prop'] if a property name contains blank characters",
                ));
            }
            self.i += 1;
        }
        let name = self.text.get(start..self.i).unwrap_or("");
        if name.is_empty() {
            return Err(self.err("expected a property name"));
        }
        if self.peek() == Some(b'(') {
            if self.at(self.i + 1) != Some(b')') {
                return Err(self.err("functions take no arguments"));
            }
            self.i += 2;
            return Ok(Seg::Function(Func::from_name(name)));
        }
        Ok(Seg::Name(name.into()))
    }

    fn bracket(&mut self) -> Result<Seg, String> {
        let open = self.i;
        let j = self.significant(self.i + 1);
        match self.at(j) {
            Some(q @ (b'\'' | b'"')) => {
                self.i = j;
                self.quoted_names(q)
            }
            Some(b'0'..=b'9' | b'-' | b':') => self.array_token(),
            Some(b'*') => {
                let k = self.significant(j + 1);
                if self.at(k) != Some(b']') {
                    self.i = j + 1;
                    return Err(self.err("expected the wildcard token to end with ']'"));
                }
                self.i = k + 1;
                Ok(Seg::Wildcard)
            }
            Some(b'?') => {
                let k = self.significant(j + 1);
                if self.at(k) != Some(b'(') {
                    self.i = k;
                    return Err(self.err("expected '(' after '[?'"));
                }
                self.i = k + 1;
                self.depth += 1;
                if self.depth > MAX_NESTING {
                    return Err(self.err("filters are nested too deeply"));
                }
                let e = self.or()?;
                self.depth -= 1;
                self.skip_ws();
                if self.peek() != Some(b')') {
                    return Err(self.err("expected ')' closing the filter"));
                }
                self.i += 1;
                self.skip_ws();
                if self.peek() != Some(b']') {
                    return Err(self.err("expected ']' closing the filter"));
                }
                self.i += 1;
                Ok(Seg::Filter(Box::new(e)))
            }
            _ => {
                self.i = open;
                Err(self.err("could not parse the bracket: expected ?, ', \", 0-9, - , : or *"))
            }
        }
    }

    /// `['a']`, `["a"]`, `['a', 'b']`: a name runs to the next quote of the same kind; nothing
    /// inside is an escape (recorded: `$['Test\""Name"']` is the key `Test\""Name"`).
    fn quoted_names(&mut self, q: u8) -> Result<Seg, String> {
        let mut names: Vec<Box<str>> = Vec::new();
        loop {
            // At the opening quote.
            let start = self.i + 1;
            let Some(len) = self
                .b
                .get(start..)
                .and_then(|r| r.iter().position(|&c| c == q))
            else {
                return Err(self.err(&format!(
                    "the property has not been closed - missing closing {}",
                    q as char
                )));
            };
            names.push(self.text.get(start..start + len).unwrap_or("").into());
            self.i = self.significant(start + len + 1);
            match self.peek() {
                Some(b']') => {
                    self.i += 1;
                    break;
                }
                Some(b',') => {
                    self.i = self.significant(self.i + 1);
                    if self.peek() != Some(q) {
                        return Err(self.err("expected a quoted property after ','"));
                    }
                }
                _ => {
                    return Err(self
                        .err("properties must be separated by ',' and the bracket closed by ']'"))
                }
            }
        }
        if names.len() == 1 {
            Ok(Seg::Name(names.pop().unwrap_or_default()))
        } else {
            Ok(Seg::Names(names))
        }
    }

    /// `[0]`, `[-1]`, `[0,2]`, `[1:]`, `[:2]`, `[1:3]` (Jayway's ArrayIndexOperation and
    /// ArraySliceOperation).
    fn array_token(&mut self) -> Result<Seg, String> {
        let open = self.i;
        let Some(close) = self
            .b
            .get(open + 1..)
            .and_then(|r| r.iter().position(|&c| c == b']'))
            .map(|k| open + 1 + k)
        else {
            return Err(self.err("missing ']'"));
        };
        let expr = self.text.get(open + 1..close).unwrap_or("").trim();
        if !expr
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b',' | b'-' | b':' | b' '))
        {
            return Err(self.err("could not parse the array index or slice"));
        }
        let java_int = |t: &str| -> Result<i32, String> {
            t.trim().parse::<i32>().map_err(|_| {
                format!(
                    "Invalid JSONPath '{}': '{}' is not an integer index",
                    self.text,
                    t.trim()
                )
            })
        };
        let seg = if expr.contains(':') {
            if expr.contains(' ') || expr.contains(',') {
                return Err(format!(
                    "Invalid JSONPath '{}': failed to parse the slice '{expr}'",
                    self.text
                ));
            }
            // Java's split(":") drops trailing empty parts; a third part (a step) is ignored.
            let mut parts: Vec<&str> = expr.split(':').collect();
            while parts.last() == Some(&"") {
                parts.pop();
            }
            let read = |k: usize| -> Result<Option<i32>, String> {
                match parts.get(k) {
                    None | Some(&"") => Ok(None),
                    Some(t) => java_int(t).map(Some),
                }
            };
            match (read(0)?, read(1)?) {
                (Some(a), None) => Seg::Slice(Slice::From(a)),
                (None, Some(b)) => Seg::Slice(Slice::To(b)),
                (Some(a), Some(b)) => Seg::Slice(Slice::Between(a, b)),
                (None, None) => {
                    return Err(format!(
                        "Invalid JSONPath '{}': failed to parse the slice '{expr}'",
                        self.text
                    ))
                }
            }
        } else {
            let mut parts: Vec<&str> = expr.split(',').collect();
            while parts.last() == Some(&"") {
                parts.pop();
            }
            let mut ks = Vec::with_capacity(parts.len());
            for t in parts {
                ks.push(java_int(t)?);
            }
            match ks.as_slice() {
                [] => return Err(self.err("empty index")),
                [k] => Seg::Index(*k),
                _ => Seg::Indexes(ks),
            }
        };
        self.i = close + 1;
        Ok(seg)
    }
}

#[cfg(test)]
mod tests {
    use super::super::java::big_decimal_string;
    use super::super::tests::{p, sel};
    use super::super::{Path, Root};
    use serde_json::json;

    #[test]
    fn roots_and_text() {
        assert_eq!(p("$").root(), &Root::Data);
        assert_eq!(p("$.a").root(), &Root::Data);
        assert_eq!(p("$['a']").root(), &Root::Data);
        assert_eq!(p("$$").root(), &Root::Context);
        assert_eq!(p("$$.Execution.Input").root(), &Root::Context);
        assert_eq!(p("$$['Map']").root(), &Root::Context);
        assert_eq!(p("$myVar").root(), &Root::Variable("myVar".into()));
        assert_eq!(
            p("$my_var2.field").root(),
            &Root::Variable("my_var2".into())
        );
        assert_eq!(p("$x[0]").root(), &Root::Variable("x".into()));
        assert_eq!(p("$überVar.ä").root(), &Root::Variable("überVar".into()));
        assert_eq!(p("$.a.b").text(), "$.a.b");
        // Trailing blanks are trimmed (Jayway trims); the text is kept as written.
        assert_eq!(p("$.a.b \n").text(), "$.a.b \n");
        assert_eq!(p("$.a.b \n").normalized(), "$['a']['b']");
        assert_eq!(p("$$.Map.Item.Value").first_name(), Some("Map"));
        assert_eq!(p("$$").first_name(), None);
        assert_eq!(p("$[0]").first_name(), None);
        assert_eq!(p("$[\"a\"][0]").normalized(), "$['a'][0]");
    }

    #[test]
    fn accepted_syntax() {
        for t in [
            "$",
            "$.a",
            "$.a.b",
            "$['a b']",
            "$[\"a\"]",
            "$.a[0]",
            "$.a[-1]",
            "$.a[*]",
            "$.*",
            "$[*]",
            "$[ * ]",
            "$..name",
            "$..*",
            "$..[0]",
            "$..['a']",
            "$.a[1:3]",
            "$.a[:2]",
            "$.a[1:]",
            "$.a[-2:]",
            "$.a[0,2]",
            "$.a[0, 2]",
            "$['a','b']",
            "$['a', 'b']",
            "$.a[?(@.price < 10)]",
            "$.a[?(@.x == 'y' && @.z)]",
            "$[?(@.k)]",
            "$[?(!@.k)]",
            "$[ ?( @.k ) ]",
            "$.a[?(@.x in ['a','b'])]",
            "$.a[?(@.x nin [1, 2])]",
            "$.a[?((@.a > 1 || @.b) && !(@.c == \"d\"))]",
            "$.a[?(@.p > $.min)]",
            "$.a.length()",
            "$.length()",
            "$.a.sum()",
            "$$.Execution.Input",
            "$var.field",
            "$.destroy-status",
            "$.a:b",
            "$.abc.['def ghi']",
            "$['a']b",
            "$[0]*",
            "$['Test\\\"\"Name\"']",
            "$.a[?(@.t.length() > 1)]",
            "$.a[?(@ == 1)]",
            "$[?(@.a === 1 || @.b !== '1')]",
            "$.a[?(@.o == {'k': [1, 'x']})]",
            "$ ",
            "$.a\t",
        ] {
            assert!(Path::parse(t).is_ok(), "{t}: {:?}", Path::parse(t).err());
        }
    }

    #[test]
    fn rejected_syntax() {
        for t in [
            "",
            "a",
            "a.b",
            " $.a",
            "$.",
            "$..",
            "$.a.",
            "$. ",
            "$.a. ",
            "$.a..",
            "$...a",
            "$.a b",
            "$a b",
            "$*",
            "$$$",
            "$[",
            "$.a[",
            "$['a'",
            "$['a' 'b']",
            "$['a',]",
            "$[a]",
            "$[]",
            "$[0",
            "$[1:2:x]",
            "$[::]",
            "$[:]",
            "$[1: 2]",
            "$[0,,1]",
            "$[,0]",
            "$[1-2]",
            "$[99999999999]",
            "$[?(@.a <)]",
            "$[?(@.a =~ /x/)]",
            "$[?(@.a)",
            "$[?@.a]",
            "$[?(@.a size 2)]",
            "$[?(@.a subsetof ['x'])]",
            "$[?(1)]",
            "$[?(@.a == x)]",
            "$[?(@.a == 'x)]",
            "$.a.length().b",
            "$.a.length(1)",
            "$.()",
            "$[?(@.a == [1,)]",
            "$[?(@abc)]",
        ] {
            assert!(Path::parse(t).is_err(), "{t} should not parse");
        }
        let e = Path::parse("$.a b").err().unwrap_or_default();
        assert!(e.contains("bracket notation"), "{e}");
        let e = Path::parse("$[?(@.a =~ /x/)]").err().unwrap_or_default();
        assert!(e.contains("not supported"), "{e}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("$[?({}@.a{})]", "(".repeat(500), ")".repeat(500));
        assert!(Path::parse(&deep).is_err());
        let mut nested = String::from("@.a");
        for _ in 0..200 {
            nested = format!("@.b[?({nested})]");
        }
        assert!(Path::parse(&format!("$[?({nested})]")).is_err());
        let bangs = format!("$[?({}@.a == 1)]", "!(".repeat(300));
        assert!(Path::parse(&bangs).is_err());
        let long_or = format!("$[?(@.a{})]", " || @.a".repeat(100_000));
        assert!(Path::parse(&long_or).is_err());
        let filters = format!("${}", "[?(@)]".repeat(100_000));
        assert!(Path::parse(&filters).is_err());
        let names = format!("${}", ".a".repeat(100_000));
        assert!(Path::parse(&names).is_err());
        assert!(Path::parse(&format!("${}", ".a".repeat(200))).is_ok());
        // A huge slice start does not loop over billions of positions.
        assert_eq!(
            sel("$[-2147483648:1]", &json!([7, 8])),
            Ok(json!([7, 8, 7]))
        );
        assert_eq!(
            big_decimal_string("1234567e9223372036854775807"),
            Some("1.234567E+9223372036854775813".into())
        );
        assert_eq!(
            big_decimal_string("1e-9223372036854775808"),
            Some("1E-9223372036854775808".into())
        );
    }

    #[test]
    fn definiteness() {
        for t in [
            "$",
            "$.a",
            "$.a[0].b",
            "$.a[-1]",
            "$['a','b']",
            "$.a.length()",
            "$$.x",
            "$v.y",
        ] {
            assert!(p(t).is_definite(), "{t}");
        }
        for t in [
            "$[*]",
            "$.*",
            "$..a",
            "$.a[1:]",
            "$.a[0,1]",
            "$['a','b'].c",
            "$[?(@.a)]",
        ] {
            assert!(!p(t).is_definite(), "{t}");
        }
    }

    #[test]
    fn reference_paths() {
        for t in [
            "$",
            "$.a.b",
            "$.a[0]",
            "$['a b'][2].c",
            "$$.Map.Item.Value",
            "$var.x",
            "$x",
        ] {
            assert!(Path::parse_reference(t).is_ok(), "{t}");
            assert!(p(t).is_reference(), "{t}");
        }
        for t in [
            "$.a[*]",
            "$.*",
            "$.a[-1]",
            "$..a",
            "$.a[0,1]",
            "$.a[1:2]",
            "$.a[?(@.x)]",
            "$.a.length()",
            "$['a','b']",
            "a",
        ] {
            assert!(Path::parse_reference(t).is_err(), "{t}");
        }
        let e = Path::parse_reference("$.a[*]").err().unwrap_or_default();
        assert!(e.contains("wildcard"), "{e}");
    }
}
