//! A definition's JSON text, parsed with nesting deeper than serde_json's default 128 levels
//! (Parallel states nested 32 deep need about 130) up to [`MAX_DEPTH`]. The depth is checked by a
//! scan before parsing, so no recursion over the value (parse, validation, the model, the engine,
//! drop) goes past it. Every definition's text becomes a `Value` here.

use serde::Deserialize;
use serde_json::Value;

/// The deepest nesting taken. AWS's parser (Jackson 2.12–2.15) takes up to 1,000 levels or has no
/// limit; 256 (Parallels nested 63 deep) is what loading and running fit in, with room to spare,
/// on the page's 1 MiB wasm stack: a release build needs about 1 MiB at 400 levels, 4 MiB at
/// 1,000. Deeper text is refused in Jackson 2.15's words for its own limit.
pub const MAX_DEPTH: usize = 256;

/// Where the text first nests deeper than [`MAX_DEPTH`]: (depth, line, column), 1-based.
pub fn too_deep(text: &str) -> Option<(usize, usize, usize)> {
    let (mut depth, mut line, mut line_start) = (0usize, 1usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    let column = text[line_start..=i].chars().count();
                    return Some((depth, line, column));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
    }
    None
}

/// Jackson's words for a text nested too deep.
pub fn too_deep_message(depth: usize) -> String {
    format!("Document nesting depth ({depth}) exceeds the maximum allowed ({MAX_DEPTH}, from `StreamReadConstraints.getMaxNestingDepth()`)")
}

/// Parses a definition's text (or any JSON text of the same trust: a recorded input, a history)
/// allowing up to [`MAX_DEPTH`] levels of nesting.
pub fn parse(text: &str) -> Result<Value, serde_json::Error> {
    if let Some((depth, line, column)) = too_deep(text) {
        return Err(serde::de::Error::custom(format!("{} at line {line} column {column}", too_deep_message(depth))));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let value = Value::deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn nesting_up_to_the_limit_parses() {
        assert!(serde_json::from_str::<Value>(&nested(200)).is_err(), "serde_json's own limit is lower");
        assert!(parse(&nested(MAX_DEPTH + 1)).is_err());
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
    }

    #[test]
    fn deeper_nesting_is_refused_with_where() {
        let text = format!("{{\"a\": \"[[[{{\",\n  \"b\": {}}}", nested(MAX_DEPTH));
        assert_eq!(too_deep(&text), Some((MAX_DEPTH + 1, 2, 7 + MAX_DEPTH)));
        let e = parse(&text).unwrap_err().to_string();
        assert!(e.starts_with("Document nesting depth (257) exceeds the maximum allowed (256, from"), "{e}");
    }

    #[test]
    fn brackets_inside_strings_do_not_count() {
        let text = format!("[\"{}\\\"{}\"]", "[".repeat(5000), "{".repeat(5000));
        assert_eq!(too_deep(&text), None);
        assert!(parse(&text).is_ok());
    }

    #[test]
    fn trailing_text_is_still_an_error() {
        assert!(parse("{} x").is_err());
    }
}
