//! Text size without font metrics: a fixed width per character (monospace-ish), the same natively
//! and in the page, so a scene computed anywhere draws the same. The SVG uses a monospace font at
//! [`FONT_SIZE`], whose advance is close to [`CHAR_WIDTH`].

/// Font size of every text in a scene, in px.
pub const FONT_SIZE: f64 = 12.0;
/// Font size of a state's type word (above its name).
pub const TYPE_FONT_SIZE: f64 = 10.5;
/// Estimated advance of one character at [`FONT_SIZE`] (0.6 em, a typical monospace advance).
pub const CHAR_WIDTH: f64 = 7.2;
/// Longest state name drawn on one line; longer names wrap over up to [`NAME_LINES`] lines (more
/// characters a line when that is not enough), and are never cut.
pub const NODE_LABEL_MAX: usize = 40;
pub const NAME_LINES: usize = 3;
/// Longest edge-label line; a rule wraps over up to [`EDGE_LABEL_LINES`] lines, and beyond that
/// its paths are shortened before the operator, then it is cut.
pub const EDGE_LABEL_MAX: usize = 36;
pub const EDGE_LABEL_LINES: usize = 2;
/// Distance between the lines of a wrapped name or label, in px.
pub const LINE_STEP: f64 = 15.0;

/// Width of `s` in px.
pub fn width(s: &str) -> f64 {
    s.chars().count() as f64 * CHAR_WIDTH
}

/// Width of `s` at [`TYPE_FONT_SIZE`] in px.
pub fn type_width(s: &str) -> f64 {
    width(s) * TYPE_FONT_SIZE / FONT_SIZE
}

/// `s` cut to at most `max` characters, the last one an ellipsis when cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Width of the longest of `lines`.
pub fn lines_width(lines: &[String]) -> f64 {
    lines.iter().map(|l| width(l)).fold(0.0, f64::max)
}

/// A state name as lines: one when it fits [`NODE_LABEL_MAX`], else wrapped over as few lines as
/// that needs (at most [`NAME_LINES`], wider lines when a long name needs it). Every character is
/// kept.
pub fn name_lines(name: &str) -> Vec<String> {
    let len = name.chars().count();
    if len <= NODE_LABEL_MAX {
        return vec![name.to_string()];
    }
    let lines = len.div_ceil(NODE_LABEL_MAX).min(NAME_LINES);
    let mut max = len.div_ceil(lines);
    loop {
        let out = wrap(name, max);
        if out.len() <= lines || max >= len {
            return out;
        }
        max += 1;
    }
}

/// An edge label as lines: wrapped at [`EDGE_LABEL_MAX`] over [`EDGE_LABEL_LINES`] lines; when that
/// is not enough, the paths before operators are shortened to their last step (`$.a.b.c` to
/// `…c`), and what is still too long is cut with an ellipsis.
pub fn label_lines(label: &str) -> Vec<String> {
    let fits = |l: &[String]| l.len() <= EDGE_LABEL_LINES;
    let lines = wrap_at(label, EDGE_LABEL_MAX, &[' ']);
    if fits(&lines) {
        return lines;
    }
    let short = shorten_paths(label);
    let mut lines = wrap_at(&short, EDGE_LABEL_MAX, &[' ']);
    if !fits(&lines) {
        lines.truncate(EDGE_LABEL_LINES);
        let last = lines.last_mut().expect("a line");
        last.push('…');
        *last = shorten(last, EDGE_LABEL_MAX);
        if !last.ends_with('…') {
            last.pop();
            last.push('…');
        }
    }
    lines
}

/// Each JSONPath-like word (`$.a.b`, `$$.Execution.Input.x`, `$states.input.y`) of more than one
/// step shortened to `…` and its last step.
fn shorten_paths(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let path = w.starts_with('$') && w.matches('.').count() >= 2;
            match w.rfind('.') {
                Some(i) if path => format!("…{}", &w[i + 1..]),
                _ => w.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `s` greedily wrapped into lines of at most `max` characters, breaking after a space or one of
/// `-_./,:`, in a word longer than a line also between a lower-case letter and an upper-case one;
/// a piece still longer is split where it reaches `max`. Spaces at a break are dropped, every other character kept.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    wrap_at(s, max, &[' ', '-', '_', '.', '/', ',', ':'])
}

/// [`wrap`], breaking only after the characters in `breaks` (an edge label breaks at spaces, so
/// a path such as `$.a.b` stays in one piece while it fits).
fn wrap_at(s: &str, max: usize, breaks: &[char]) -> Vec<String> {
    let max = max.max(1);
    // Pieces that end where a line may break: after a separator; inside a word longer than a
    // line, also between a lower-case and an upper-case letter.
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        cur.push(c);
        if breaks.contains(&c) {
            words.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    let mut pieces: Vec<String> = Vec::new();
    for w in words {
        if w.trim_end().chars().count() <= max {
            pieces.push(w);
            continue;
        }
        let chars: Vec<char> = w.chars().collect();
        let mut cur = String::new();
        for (i, &c) in chars.iter().enumerate() {
            if c.is_uppercase() && i > 0 && chars[i - 1].is_lowercase() && !cur.is_empty() {
                pieces.push(std::mem::take(&mut cur));
            }
            cur.push(c);
        }
        pieces.push(cur);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let count = |s: &str| s.chars().count();
    for piece in pieces {
        if count(line.trim_end()) + count(piece.trim_end()) > max && !line.is_empty() {
            lines.push(line.trim_end().to_string());
            line.clear();
        }
        if line.is_empty() && piece == " " {
            continue;
        }
        line.push_str(&piece);
        while count(&line) > max && count(line.trim_end()) > max {
            let head: String = line.chars().take(max).collect();
            line = line.chars().skip(max).collect();
            lines.push(head);
        }
    }
    if !line.trim_end().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_wrap_whole() {
        let name = "Transform data required for GetWorkflowRun and GetJobRun calls";
        let lines = name_lines(name);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= NODE_LABEL_MAX));
        assert_eq!(lines.join(" "), name);
        assert_eq!(name_lines("Short name"), ["Short name"]);
        let camel = "ThisIsAVeryLongStateNameWrittenInCamelCaseWithoutSpacesAtAll";
        assert_eq!(
            name_lines(camel),
            [
                "ThisIsAVeryLongStateNameWritten",
                "InCamelCaseWithoutSpacesAtAll"
            ],
            "broken between words of the camel case"
        );
        let lines = name_lines(camel);
        assert_eq!(lines.concat(), camel);
        assert!(lines.len() <= NAME_LINES);
        let huge = "x".repeat(200);
        let lines = name_lines(&huge);
        assert_eq!(lines.len(), NAME_LINES);
        assert_eq!(lines.concat(), huge, "never cut, however long");
    }

    #[test]
    fn rule_labels_wrap_then_shorten_paths() {
        let l = label_lines("$.detail.requestParameters.bucketName == \"my-bucket\"");
        assert!(l.len() <= EDGE_LABEL_LINES, "{l:?}");
        assert!(l.concat().contains("== \"my-bucket\""), "{l:?}");
        let long = "$.detail.requestParameters.bucketName == \"a\" && $.detail.eventSource.name == \"b\" && $.c.d.e == 3";
        let l = label_lines(long);
        assert_eq!(l.len(), EDGE_LABEL_LINES, "{l:?}");
        assert!(l[0].starts_with("…bucketName =="), "{l:?}");
        assert_eq!(label_lines("Default"), ["Default"]);
        let l = label_lines("$.monitored matches \"Yes\" and $.service matches \"ec2\"");
        assert_eq!(
            l,
            ["$.monitored matches \"Yes\" and", "$.service matches \"ec2\""],
            "a path is not broken after its $."
        );
    }

    #[test]
    fn widths_and_shortening() {
        assert_eq!(width("abcd"), 4.0 * CHAR_WIDTH);
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("ééééé", 3).chars().count(), 3);
    }
}
