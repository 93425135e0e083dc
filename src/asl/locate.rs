//! Where a diagnostic is in the definition text: a JSON pointer (`/States/A/Next`) or a JSON
//! parser's `line: L, column: C` becomes a range of the text, so the editor can underline it.
//! Ranges are in UTF-16 code units, as the browser's strings (and CodeMirror) count them.

/// The range (from, to) the location names: a member's value when the pointer reaches one, else
/// the key of the deepest member on the pointer's way (a missing field is shown on its parent),
/// else the document's opening bracket.
pub fn span_of(text: &str, location: &str) -> Option<(usize, usize)> {
    if let Some((line, column)) = line_column(location) {
        return offset_of_line_column(text, line, column).map(|o| (o, (o + 1).min(utf16_len(text))));
    }
    if !location.starts_with('/') && !location.is_empty() {
        return None;
    }
    let want: Vec<String> = location
        .split('/')
        .skip(1)
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut s = Scanner { text: text.as_bytes(), at: 0, best: None, want: &want };
    s.ws();
    let top = s.at;
    s.value(0).ok()?;
    // Nothing on the pointer's way exists: the document's opening bracket.
    let (from, to) = s.best.unwrap_or((top, top + 1));
    Some((utf16_at(text, from), utf16_at(text, to)))
}

/// `... line: 3, column: 14]` (Jackson's and serde_json's way to say where).
fn line_column(location: &str) -> Option<(usize, usize)> {
    let l = location.rfind("line: ")?;
    let rest = &location[l + 6..];
    let line: usize = rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()?;
    let c = rest.find("column: ")?;
    let column: usize = rest[c + 8..].split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()?;
    Some((line, column))
}

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The UTF-16 offset of byte offset `b`.
fn utf16_at(text: &str, b: usize) -> usize {
    let b = b.min(text.len());
    let mut b = b;
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    utf16_len(&text[..b])
}

fn offset_of_line_column(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line.max(1) {
        start += text[start..].find('\n')? + 1;
    }
    let line_text = text[start..].split('\n').next().unwrap_or("");
    let col: usize = line_text.chars().take(column.saturating_sub(1)).map(char::len_utf8).sum();
    Some(utf16_at(text, start + col))
}

struct Scanner<'a> {
    text: &'a [u8],
    at: usize,
    /// The best range so far (byte offsets) and how many pointer parts it matched.
    best: Option<(usize, usize)>,
    want: &'a [String],
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while self.text.get(self.at).is_some_and(|c| c.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn string(&mut self) -> Result<String, ()> {
        let start = self.at;
        if self.text.get(self.at) != Some(&b'"') {
            return Err(());
        }
        self.at += 1;
        while let Some(&c) = self.text.get(self.at) {
            match c {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    let raw = std::str::from_utf8(&self.text[start..self.at]).map_err(|_| ())?;
                    return serde_json::from_str(raw).map_err(|_| ());
                }
                _ => self.at += 1,
            }
        }
        Err(())
    }

    /// Scans one value at `depth` pointer parts matched; records its range when it is the target.
    fn value(&mut self, depth: usize) -> Result<(), ()> {
        let start = self.at;
        if depth == self.want.len() {
            self.skip_value()?;
            self.best = Some((start, self.at));
            return Ok(());
        }
        match self.text.get(self.at) {
            Some(b'{') => {
                self.at += 1;
                self.ws();
                if self.text.get(self.at) == Some(&b'}') {
                    self.at += 1;
                    return Ok(());
                }
                loop {
                    self.ws();
                    let key_start = self.at;
                    let key = self.string()?;
                    let key_end = self.at;
                    self.ws();
                    if self.text.get(self.at) != Some(&b':') {
                        return Err(());
                    }
                    self.at += 1;
                    self.ws();
                    if key == self.want[depth] {
                        // The key stands for the member until its value is found deeper.
                        self.best = Some((key_start, key_end));
                        self.value(depth + 1)?;
                    } else {
                        self.skip_value()?;
                    }
                    self.ws();
                    match self.text.get(self.at) {
                        Some(b',') => self.at += 1,
                        Some(b'}') => {
                            self.at += 1;
                            return Ok(());
                        }
                        _ => return Err(()),
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                let wanted: Option<usize> = self.want[depth].parse().ok();
                let mut i = 0;
                self.ws();
                if self.text.get(self.at) == Some(&b']') {
                    self.at += 1;
                    return Ok(());
                }
                loop {
                    self.ws();
                    if Some(i) == wanted {
                        let s = self.at;
                        self.value(depth + 1)?;
                        if self.best.is_none() {
                            self.best = Some((s, self.at));
                        }
                    } else {
                        self.skip_value()?;
                    }
                    i += 1;
                    self.ws();
                    match self.text.get(self.at) {
                        Some(b',') => self.at += 1,
                        Some(b']') => {
                            self.at += 1;
                            return Ok(());
                        }
                        _ => return Err(()),
                    }
                }
            }
            _ => self.skip_value(),
        }
    }

    fn skip_value(&mut self) -> Result<(), ()> {
        match self.text.get(self.at) {
            Some(b'"') => self.string().map(|_| ()),
            Some(b'{') | Some(b'[') => {
                // Count brackets outside strings.
                let mut depth = 0usize;
                while let Some(&c) = self.text.get(self.at) {
                    match c {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.checked_sub(1).ok_or(())?;
                            if depth == 0 {
                                self.at += 1;
                                return Ok(());
                            }
                        }
                        _ => {}
                    }
                    self.at += 1;
                }
                Err(())
            }
            Some(_) => {
                while self.text.get(self.at).is_some_and(|c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace()) {
                    self.at += 1;
                }
                Ok(())
            }
            None => Err(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, r: Option<(usize, usize)>) -> String {
        let (a, b) = r.expect("a range");
        let units: Vec<u16> = text.encode_utf16().collect();
        String::from_utf16(&units[a..b]).unwrap()
    }

    #[test]
    fn pointers_find_values_keys_and_array_items() {
        let t = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"Next\": \"B\"},\n    \"P\": {\"Branches\": [{\"x\": 1}, {\"y\": [2, 3]}]}\n  }\n}";
        assert_eq!(slice(t, span_of(t, "/States/A/Next")), "\"B\"");
        assert_eq!(slice(t, span_of(t, "/States/A")), "{\"Type\": \"Pass\", \"Next\": \"B\"}");
        assert_eq!(slice(t, span_of(t, "/States/P/Branches/1/y")), "[2, 3]");
        // A missing member is shown on the deepest key that exists.
        assert_eq!(slice(t, span_of(t, "/States/A/Resource")), "\"A\"");
        assert_eq!(slice(t, span_of(t, "/Nope")), "{");
        assert_eq!(slice(t, span_of(t, "")), t);
    }

    #[test]
    fn escaped_keys_and_non_ascii_text_count_in_utf16() {
        let t = r#"{"Comment": "héllo 😀", "States": {"a/b": {"Next": "Z"}}}"#;
        assert_eq!(slice(t, span_of(t, "/States/a~1b/Next")), "\"Z\"");
    }

    #[test]
    fn parser_positions_and_bad_input() {
        let t = "{\n  \"a\": 1,\n  oops\n}";
        assert_eq!(slice(t, span_of(t, "[Source: (String)\"...\"; line: 3, column: 3]")), "o");
        assert_eq!(span_of("{", "/States"), None);
        assert_eq!(span_of(t, "not a location"), None);
    }
}
