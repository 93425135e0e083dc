//! Text size without font metrics: a fixed width per character (monospace-ish), the same natively
//! and in the page, so a scene computed anywhere draws the same. The SVG uses a monospace font at
//! [`FONT_SIZE`], whose advance is close to [`CHAR_WIDTH`].

/// Font size of every text in a scene, in px.
pub const FONT_SIZE: f64 = 12.0;
/// Font size of a state's type word (above its name).
pub const TYPE_FONT_SIZE: f64 = 10.5;
/// Estimated advance of one character at [`FONT_SIZE`] (0.6 em, a typical monospace advance).
pub const CHAR_WIDTH: f64 = 7.2;
/// Longest node label shown in full; longer names are shortened with an ellipsis.
pub const NODE_LABEL_MAX: usize = 40;
/// Longest edge label shown in full.
pub const EDGE_LABEL_MAX: usize = 36;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_shortening() {
        assert_eq!(width("abcd"), 4.0 * CHAR_WIDTH);
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("ééééé", 3).chars().count(), 3);
    }
}
