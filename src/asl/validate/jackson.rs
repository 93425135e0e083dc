//! JSON syntax errors in the words of Jackson 2.12–2.15 (AWS's parser): message, then
//! `\n at [Source: (String)"<text, ≤ 500 chars>"; line: L, column: C]`. The scan works on bytes
//! and decodes a character only for a message; positions outside strings are always character
//! boundaries because only ASCII is skipped there.
//!
//! Also the page's short form of those messages ([`short_diagnostic`]): the API keeps Jackson's
//! full text.

use super::{Diagnostic, Severity, INVALID_JSON};

const VALID_VALUES: &str = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const MAX_SNIPPET: usize = 500;
const MAX_TOKEN: usize = 256;

/// `[Source: (String)"..."; line: L, column: C]`.
fn source(text: &str, line: usize, column: usize) -> String {
    let shown: String = text.chars().take(MAX_SNIPPET).collect();
    let more = text.chars().count().saturating_sub(MAX_SNIPPET);
    let truncated = if more > 0 { format!("[truncated {more} chars]") } else { String::new() };
    format!("[Source: (String)\"{shown}\"{truncated}; line: {line}, column: {column}]")
}

fn diagnostic(text: &str, message: &str, line: usize, column: usize) -> Diagnostic {
    let at = source(text, line, column);
    Diagnostic { severity: Severity::Error, code: INVALID_JSON.into(), message: format!("{message}\n at {at}"), location: Some(at) }
}

/// For the rare text serde_json rejects and Jackson's grammar takes.
pub(super) fn generic(text: &str, message: &str, line: usize, column: usize) -> Diagnostic {
    let message = message.split(" at line ").next().unwrap_or(message);
    diagnostic(text, message, line.max(1), column.max(1))
}

/// Jackson's `_getCharDesc`.
fn desc(c: char) -> String {
    let n = c as u32;
    if c.is_control() {
        format!("(CTRL-CHAR, code {n})")
    } else if n > 255 {
        format!("'{c}' (code {n} / 0x{n:x})")
    } else {
        format!("'{c}' (code {n})")
    }
}

fn ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

fn ident_part(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

#[derive(Clone, Copy)]
enum Kind {
    Object,
    Array,
}

impl Kind {
    fn desc(self) -> &'static str {
        match self {
            Kind::Object => "Object",
            Kind::Array => "Array",
        }
    }
}

struct Open {
    kind: Kind,
    line: usize,
    /// Where the line of the opening bracket starts and where the bracket is (the column is
    /// only worked out for a message: doing it for every bracket would be quadratic).
    row_start: usize,
    at: usize,
    entries: bool,
}

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    /// Byte index of the next character.
    pos: usize,
    line: usize,
    /// Byte index where the current line starts.
    row_start: usize,
}

/// Error message plus the position Jackson reports.
type Fail = (String, usize, usize);

impl Scanner<'_> {
    /// Jackson's 1-based column: UTF-16 units from the start of the line.
    fn column(&self, row_start: usize, pos: usize) -> usize {
        self.text.get(row_start.min(pos)..pos).map_or(0, |s| s.encode_utf16().count()) + 1
    }

    fn fail<T>(&self, message: String) -> Result<T, Fail> {
        Err((message, self.line, self.column(self.row_start, self.pos)))
    }

    /// The character at `pos`, consumed.
    fn take_char(&mut self) -> Option<char> {
        let c = self.text.get(self.pos..)?.chars().next()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn peek_char(&self) -> Option<char> {
        self.text.get(self.pos..)?.chars().next()
    }

    fn unexpected<T>(&self, c: char, comment: &str) -> Result<T, Fail> {
        self.fail(format!("Unexpected character ({}): {comment}", desc(c)))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Next character after white space (consumed), None at the end.
    fn skip_ws(&mut self) -> Result<Option<char>, Fail> {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    self.row_start = self.pos;
                }
                b'\r' => {
                    self.pos += 1;
                    if self.peek() == Some(b'\n') {
                        self.pos += 1;
                    }
                    self.line += 1;
                    self.row_start = self.pos;
                }
                b'/' => {
                    self.pos += 1;
                    return self
                        .unexpected('/', "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)");
                }
                b if b < 0x20 => {
                    self.pos += 1;
                    return self
                        .fail(format!("Illegal character ({}): only regular white space (\\r, \\n, \\t) is allowed between tokens", desc(b as char)));
                }
                _ => return Ok(self.take_char()),
            }
        }
        Ok(None)
    }

    fn eof<T>(&self, what: &str) -> Result<T, Fail> {
        self.fail(format!("Unexpected end-of-input{what}"))
    }

    /// The rest of a string whose opening quote was consumed.
    fn string(&mut self, name: bool) -> Result<(), Fail> {
        loop {
            let Some(b) = self.peek() else {
                return if name { self.eof(" in field name") } else { self.eof(": was expecting closing quote for a string value") };
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(());
                }
                b'\\' => {
                    self.pos += 1;
                    let Some(e) = self.take_char() else { return self.eof(" in character escape sequence") };
                    match e {
                        '"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' => {}
                        'u' => {
                            for _ in 0..4 {
                                let Some(h) = self.take_char() else { return self.eof(" in character escape sequence") };
                                if !h.is_ascii_hexdigit() {
                                    return self.unexpected(h, "expected a hex-digit for character escape sequence");
                                }
                            }
                        }
                        e => return self.fail(format!("Unrecognized character escape {}", desc(e))),
                    }
                }
                b if b < 0x20 => {
                    self.pos += 1;
                    let ctx = if name { "name" } else { "string value" };
                    return self
                        .fail(format!("Illegal unquoted character ({}): has to be escaped using backslash to be included in {ctx}", desc(b as char)));
                }
                // Any other byte, UTF-8 continuation bytes included.
                _ => self.pos += 1,
            }
        }
    }

    /// `Unrecognized token '...'` for the identifier run starting at `start`.
    fn bad_token<T>(&mut self, start: usize) -> Result<T, Fail> {
        let mut token: String = self.text.get(start..self.pos).unwrap_or("").to_string();
        let mut count = token.chars().count();
        while let Some(c) = self.peek_char() {
            if !ident_part(c) {
                break;
            }
            self.pos += c.len_utf8();
            token.push(c);
            count += 1;
            if count >= MAX_TOKEN {
                token.push_str("...");
                break;
            }
        }
        self.fail(format!("Unrecognized token '{token}': was expecting {VALID_VALUES}"))
    }

    /// `true`, `false`, `null`, `NaN`, `Infinity` (first letter consumed).
    fn literal(&mut self, word: &str) -> Result<(), Fail> {
        let start = self.pos - 1;
        for w in word.bytes().skip(1) {
            if self.peek() != Some(w) {
                return self.bad_token(start);
            }
            self.pos += 1;
        }
        if self.peek_char().is_some_and(ident_part) {
            return self.bad_token(start);
        }
        Ok(())
    }

    fn digits(&mut self) -> usize {
        let from = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - from
    }

    fn number_char<T>(&mut self, comment: &str) -> Result<T, Fail> {
        match self.take_char() {
            None => self.eof(" in numeric value"),
            Some(c) => self.fail(format!("Unexpected character ({}) in numeric value: {comment}", desc(c))),
        }
    }

    /// A number whose first character (digit or '-') was consumed.
    fn number(&mut self, first: char) -> Result<(), Fail> {
        let lead = if first == '-' {
            match self.peek() {
                Some(b) if b.is_ascii_digit() => {
                    self.pos += 1;
                    b
                }
                _ => return self.number_char("expected digit (0-9) to follow minus sign, for valid numeric value"),
            }
        } else {
            first as u8
        };
        if lead == b'0' {
            if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return self.fail("Invalid numeric value: Leading zeroes not allowed".into());
            }
        } else {
            self.digits();
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return self.number_char("Decimal point not followed by a digit");
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return self.number_char("Exponent indicator not followed by a digit");
            }
        }
        Ok(())
    }

    /// A value starting with `c` (consumed); containers are pushed on `stack`.
    fn value(&mut self, c: char, stack: &mut Vec<Open>) -> Result<(), Fail> {
        match c {
            '"' => self.string(false),
            '{' | '[' => {
                let kind = if c == '{' { Kind::Object } else { Kind::Array };
                stack.push(Open { kind, line: self.line, row_start: self.row_start, at: self.pos - 1, entries: false });
                Ok(())
            }
            't' => self.literal("true"),
            'f' => self.literal("false"),
            'n' => self.literal("null"),
            '-' | '0'..='9' => self.number(c),
            '}' => self.unexpected(c, "expected a value"),
            'N' | 'I' => {
                let word = if c == 'N' { "NaN" } else { "Infinity" };
                self.literal(word)?;
                self.fail(format!("Non-standard token '{word}': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow"))
            }
            c if ident_start(c) => self.bad_token(self.pos - c.len_utf8()),
            c => self.unexpected(c, &format!("expected a valid value {VALID_VALUES}")),
        }
    }

    fn start_marker(&self, open: &Open) -> String {
        source(self.text, open.line, self.column(open.row_start, open.at))
    }

    fn run(&mut self) -> Result<(), Fail> {
        let mut stack: Vec<Open> = Vec::new();
        let Some(c) = self.skip_ws()? else { return Ok(()) };
        self.value(c, &mut stack)?;
        while let Some(open) = stack.last() {
            let (kind, entries) = (open.kind, open.entries);
            let Some(mut c) = self.skip_ws()? else {
                let start = self.start_marker(open);
                return self.eof(&format!(": expected close marker for {} (start marker at {start})", kind.desc()));
            };
            if c == ']' || c == '}' {
                let expected = if matches!(kind, Kind::Object) { '}' } else { ']' };
                if c != expected {
                    let start = self.start_marker(open);
                    return self.fail(format!("Unexpected close marker '{c}': expected '{expected}' (for {} starting at {start})", kind.desc()));
                }
                stack.pop();
                continue;
            }
            if entries {
                if c != ',' {
                    return self.unexpected(c, &format!("was expecting comma to separate {} entries", kind.desc()));
                }
                match self.skip_ws()? {
                    Some(n) => c = n,
                    None => return self.eof(&format!(" within/between {} entries", kind.desc())),
                }
            }
            if let Some(top) = stack.last_mut() {
                top.entries = true;
            }
            if matches!(kind, Kind::Object) {
                if c != '"' {
                    return self.unexpected(c, "was expecting double-quote to start field name");
                }
                self.string(true)?;
                match self.skip_ws()? {
                    Some(':') => {}
                    Some(other) => return self.unexpected(other, "was expecting a colon to separate field name and value"),
                    None => return self.eof(" within/between Object entries"),
                }
                match self.skip_ws()? {
                    Some(v) => c = v,
                    None => return self.eof(" within/between Object entries"),
                }
            } else if c == ',' || c == ']' {
                return self.unexpected(c, &format!("expected a valid value {VALID_VALUES}"));
            }
            self.value(c, &mut stack)?;
        }
        // [?] Jackson's readTree would ignore what follows the root value; AWS's answer for
        // trailing text is not recorded, and the engine could not parse it, so it is rejected.
        if let Some(c) = self.skip_ws()? {
            return self.unexpected(c, "expected end-of-input");
        }
        Ok(())
    }
}

/// The Jackson diagnostic for a syntax error in `text`, None if Jackson would parse it.
pub(super) fn check(text: &str) -> Option<Diagnostic> {
    let mut s = Scanner { text, bytes: text.as_bytes(), pos: 0, line: 1, row_start: 0 };
    match s.run() {
        Ok(()) => None,
        Err((message, line, column)) => Some(diagnostic(text, &message, line, column)),
    }
}

/// The longest definition excerpt [`shorten_source_excerpts`] keeps, in characters.
pub const SHORT_EXCERPT_CHARS: usize = 60;

/// A diagnostic as the page lists it: for a JSON syntax error, each of Jackson's
/// `[Source: (String)"<the definition, up to 500 characters>"; line: L, column: C]` in the
/// message and the location is cut to [`SHORT_EXCERPT_CHARS`] (white space runs shown as one
/// space, "…" where it was cut), keeping line and column. The API keeps Jackson's full text:
/// AWS's recorded ValidateStateMachineDefinition / CreateStateMachine messages hold it.
pub fn short_diagnostic(d: &Diagnostic) -> Diagnostic {
    Diagnostic {
        severity: d.severity,
        code: d.code.clone(),
        message: shorten_source_excerpts(&d.message),
        location: d.location.as_deref().map(shorten_source_excerpts),
    }
}

/// Cuts every `[Source: (String)"…"…; line: L, column: C]` excerpt in `text` to
/// [`SHORT_EXCERPT_CHARS`]; other text is kept as it is.
pub fn shorten_source_excerpts(text: &str) -> String {
    const OPEN: &str = "[Source: (String)\"";
    let mut out = String::with_capacity(text.len().min(400));
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let body = start + OPEN.len();
        let Some((end, cut_len)) = excerpt_end(&rest[body..]) else { break };
        out.push_str(&rest[..body]);
        let excerpt = &rest[body..body + end];
        let was_truncated = cut_len > 1;
        let mut shown = String::new();
        let mut count = 0;
        let mut cut = was_truncated;
        let mut last_space = false;
        for c in excerpt.chars() {
            let space = c.is_whitespace();
            if space && last_space {
                continue;
            }
            last_space = space;
            if count == SHORT_EXCERPT_CHARS {
                cut = true;
                break;
            }
            shown.push(if space { ' ' } else { c });
            count += 1;
        }
        out.push_str(&shown);
        if cut {
            out.push('…');
        }
        out.push('"');
        rest = &rest[body + end + cut_len..];
    }
    out.push_str(rest);
    out
}

/// In the text after `[Source: (String)"`: the byte offset of the excerpt's closing quote and
/// the length of that quote plus Jackson's `[truncated N chars]`, found where
/// `; line: L, column: C]` follows (the excerpt itself may hold quotes).
fn excerpt_end(body: &str) -> Option<(usize, usize)> {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let mut from = 0;
    while let Some(q) = body[from..].find('"') {
        let q = from + q;
        let after = &body[q + 1..];
        let mut marker = 0;
        if let Some(t) = after.strip_prefix("[truncated ") {
            let n = digits(t);
            if n > 0 && t[n..].starts_with(" chars]") {
                marker = "[truncated ".len() + n + " chars]".len();
            }
        }
        if let Some(l) = after[marker..].strip_prefix("; line: ") {
            let n = digits(l);
            if n > 0 {
                if let Some(c) = l[n..].strip_prefix(", column: ") {
                    let m = digits(c);
                    if m > 0 && c[m..].starts_with(']') {
                        return Some((q, 1 + marker));
                    }
                }
            }
        }
        from = q + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::*;

    fn json_error(text: &str) -> (String, String) {
        let d = validate_text(text, MachineType::Standard);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, INVALID_JSON);
        let location = d[0].location.clone().unwrap_or_default();
        let message = d[0].message.strip_suffix(&format!("\n at {location}")).map(str::to_string);
        (message.unwrap_or_else(|| panic!("message does not end with the location: {:?}", d[0].message)), location)
    }

    fn src(text: &str, line: usize, column: usize) -> String {
        format!("[Source: (String)\"{text}\"; line: {line}, column: {column}]")
    }

    #[test]
    fn json_syntax_errors_in_jacksons_words() {
        const VALUES: &str = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
        // [rec]
        assert_eq!(json_error("not a definition"), (format!("Unrecognized token 'not': was expecting {VALUES}"), src("not a definition", 1, 4)));
        assert_eq!(
            json_error("{"),
            (format!("Unexpected end-of-input: expected close marker for Object (start marker at {})", src("{", 1, 1)), src("{", 1, 2))
        );
        assert_eq!(
            json_error(r#"{"a":1,}"#),
            ("Unexpected character ('}' (code 125)): was expecting double-quote to start field name".into(), src(r#"{"a":1,}"#, 1, 9))
        );
        assert_eq!(json_error(r#"{a:1}"#), ("Unexpected character ('a' (code 97)): was expecting double-quote to start field name".into(), src("{a:1}", 1, 3)));
        assert_eq!(
            json_error(r#"{"a" 1}"#),
            ("Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value".into(), src(r#"{"a" 1}"#, 1, 7))
        );
        assert_eq!(
            json_error(r#"{"a":1 "b":2}"#),
            ("Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries".into(), src(r#"{"a":1 "b":2}"#, 1, 9))
        );
        assert_eq!(json_error("[1,]"), (format!("Unexpected character (']' (code 93)): expected a valid value {VALUES}"), src("[1,]", 1, 5)));
        assert_eq!(json_error("[1 2]"), ("Unexpected character ('2' (code 50)): was expecting comma to separate Array entries".into(), src("[1 2]", 1, 5)));
        assert_eq!(json_error(r#"{"a": tru}"#), (format!("Unrecognized token 'tru': was expecting {VALUES}"), src(r#"{"a": tru}"#, 1, 10)));
        assert_eq!(json_error(r#"{"a": nullx}"#).0, format!("Unrecognized token 'nullx': was expecting {VALUES}"));
        assert_eq!(json_error(r#"{"a":"b"#), ("Unexpected end-of-input: was expecting closing quote for a string value".into(), src(r#"{"a":"b"#, 1, 8)));
        assert_eq!(json_error(r#"{"a"#).0, "Unexpected end-of-input in field name");
        assert_eq!(json_error(r#"{"a":"#).0, "Unexpected end-of-input within/between Object entries");
        assert_eq!(json_error(r#"{"a":1,"#).0, "Unexpected end-of-input within/between Object entries");
        assert_eq!(json_error("[1,").0, "Unexpected end-of-input within/between Array entries");
        assert_eq!(json_error(r#"{"a":}"#).0, "Unexpected character ('}' (code 125)): expected a value");
        assert_eq!(
            json_error(r#"{"a":1]"#),
            (format!("Unexpected close marker ']': expected '}}' (for Object starting at {})", src(r#"{"a":1]"#, 1, 1)), src(r#"{"a":1]"#, 1, 8))
        );
        assert_eq!(
            json_error("{\"a\":\"x\ty\"}").0,
            "Illegal unquoted character ((CTRL-CHAR, code 9)): has to be escaped using backslash to be included in string value"
        );
        assert_eq!(json_error(r#"{"a":"\x"}"#).0, "Unrecognized character escape 'x' (code 120)");
        assert_eq!(json_error(r#"{"a":"\u12g4"}"#).0, "Unexpected character ('g' (code 103)): expected a hex-digit for character escape sequence");
        assert_eq!(json_error(r#"{"a":01}"#).0, "Invalid numeric value: Leading zeroes not allowed");
        assert_eq!(
            json_error(r#"{"a":-x}"#).0,
            "Unexpected character ('x' (code 120)) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value"
        );
        assert_eq!(json_error(r#"{"a":1.}"#).0, "Unexpected character ('}' (code 125)) in numeric value: Decimal point not followed by a digit");
        assert_eq!(json_error(r#"{"a":1e}"#).0, "Unexpected character ('}' (code 125)) in numeric value: Exponent indicator not followed by a digit");
        assert_eq!(json_error(r#"{"a":'x'}"#).0, format!("Unexpected character (''' (code 39)): expected a valid value {VALUES}"));
        assert_eq!(json_error(r#"{"a":NaN}"#).0, "Non-standard token 'NaN': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow");
        assert_eq!(
            json_error("{/* c */}").0,
            "Unexpected character ('/' (code 47)): maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)"
        );
        assert_eq!(json_error("{\u{b}}").0, "Illegal character ((CTRL-CHAR, code 11)): only regular white space (\\r, \\n, \\t) is allowed between tokens");
        assert_eq!(json_error("{\"a\": \"\u{e9}\u{20ac}\", x}").0, "Unexpected character ('x' (code 120)): was expecting double-quote to start field name");
        assert_eq!(json_error("{\"a\": \u{20ac}}").0, format!("Unexpected character ('\u{20ac}' (code 8364 / 0x20ac)): expected a valid value {VALUES}"));
        assert_eq!(json_error("{} x").0, "Unexpected character ('x' (code 120)): expected end-of-input");
    }

    #[test]
    fn json_error_lines_and_truncation() {
        let text = "{\n  \"a\": x\n}";
        assert_eq!(json_error(text).1, src(text, 2, 9));
        let crlf = "{\r\n\"a\":\r\n x}";
        assert_eq!(json_error(crlf).1, src(crlf, 3, 3));
        let long = format!("{{\"a\": \"{}\", x}}", "b".repeat(600));
        let (_, location) = json_error(&long);
        let shown: String = long.chars().take(500).collect();
        assert_eq!(location, format!("[Source: (String)\"{shown}\"[truncated {} chars]; line: 1, column: {}]", long.chars().count() - 500, 600 + 12));
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(99_999));
        assert!(json_error(&deep).0.starts_with("Unexpected end-of-input: expected close marker for Array"));
    }

    #[test]
    fn the_page_form_of_a_long_syntax_error_is_short_and_keeps_line_and_column() {
        // A 2,000-character definition with an error on its last line.
        let states: Vec<String> = (0..40).map(|i| format!("\"S{i}\": {{\"Type\": \"Pass\", \"Next\": \"S{}\"}}", i + 1)).collect();
        let text = format!("{{\n  \"StartAt\": \"S0\",\n  \"States\": {{\n    {},\n    \"S40\": {{\"Type\": \"Succeed\"}} x\n}}", states.join(",\n    "));
        assert!(text.len() > 1500);
        let d = validate_text(&text, MachineType::Standard);
        assert_eq!(d.len(), 1);
        // The API's message is Jackson's, with 500 characters of the definition (as AWS's).
        assert!(d[0].message.contains("[truncated "), "{}", d[0].message);
        assert!(d[0].message.len() > 500);
        let short = short_diagnostic(&d[0]);
        assert_eq!((short.code.as_str(), short.severity), (INVALID_JSON, Severity::Error));
        assert!(short.message.len() < 250, "{} chars: {}", short.message.len(), short.message);
        // The error is on the line before the closing brace.
        let line = text.lines().count() - 1;
        let (message, location) = (&short.message, short.location.as_deref().unwrap_or_default());
        let at = d[0].location.as_deref().unwrap();
        let place = &at[at.rfind("; line: ").unwrap()..];
        assert_eq!(place, format!("; line: {line}, column: 33]"));
        assert_eq!(
            *message,
            format!("Unexpected character ('x' (code 120)): was expecting comma to separate Object entries\n at {location}")
        );
        assert_eq!(location, format!("[Source: (String)\"{{ \"StartAt\": \"S0\", \"States\": {{ \"S0\": {{\"Type\": \"Pass\", \"Next\"…\"{place}"));
        // The editor still finds the place from the short location.
        assert_eq!(crate::asl::locate::span_of(&text, location), crate::asl::locate::span_of(&text, d[0].location.as_deref().unwrap()));

        // Two excerpts (an unclosed object names where it started), both cut; a short text stays.
        let open = format!("{{\"Comment\": \"{}\"", "c".repeat(100));
        let d = validate_text(&open, MachineType::Standard);
        let short = short_diagnostic(&d[0]);
        assert_eq!(short.message.matches('…').count(), 2, "{}", short.message);
        assert_eq!(short.message.matches("[Source: (String)").count(), 2);
        assert!(short.message.contains("; line: 1, column: 1])") && short.message.ends_with(&format!("; line: 1, column: {}]", open.len() + 1)));
        let d = validate_text("{\"a\" 1}", MachineType::Standard);
        assert_eq!(short_diagnostic(&d[0]), d[0]);
        // Not a syntax error: nothing to shorten.
        let d = validate_text("{}", MachineType::Standard);
        assert_eq!(short_diagnostic(&d[0]), d[0]);
        // Quotes inside the excerpt, multi-byte characters at the cut.
        let s = format!("[Source: (String)\"{}\"x\"; line: 2, column: 3]", "é".repeat(70));
        assert_eq!(shorten_source_excerpts(&s), format!("[Source: (String)\"{}…\"; line: 2, column: 3]", "é".repeat(60)));
        let s = "[Source: (String)\"a\"b\"; line: 2, column: 3]";
        assert_eq!(shorten_source_excerpts(s), s);
    }
}
