//! A run drawn over the diagram: a style sheet keyed on each state group's `data-state` and each
//! edge's `data-from` / `data-to`, so the SVG itself never changes while a run moves. The page,
//! the embeds and `renderSvg(definition, { execution })` all use these rules.
//!
//! Status is the fill (a state's type is its border hue and type word): visited green, active
//! blue, failed red and dashed, each with its own outline too, so colour is never the only sign;
//! the transitions taken are thick green arrows.

/// What to mark: state names, and transitions as (from state, to state).
#[derive(Debug, Clone, Copy, Default)]
pub struct RunMarks<'a> {
    pub active: &'a [String],
    pub visited: &'a [String],
    pub failed: &'a [String],
    pub path: &'a [(String, String)],
}

/// A name inside a CSS attribute selector's double quotes. `<`, `>` and `&` become CSS escapes
/// too, so the rules can sit in an SVG file's `<style>` (XML: `&` would make the file invalid and
/// `</style>` would end the element and let markup in) and in a page's `<style>` alike.
pub fn css_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\a "),
            '<' => out.push_str("\\3c "),
            '>' => out.push_str("\\3e "),
            '&' => out.push_str("\\26 "),
            c => out.push(c),
        }
    }
    out
}

fn rules(prefix: &str, names: &[String], body: &str) -> String {
    if names.is_empty() {
        return String::new();
    }
    let sel: Vec<String> = names
        .iter()
        .map(|n| format!("{prefix}g.state[data-state=\"{}\"] > rect", css_str(n)))
        .collect();
    format!("{} {{ {body} }}\n", sel.join(", "))
}

/// The marks as CSS; `prefix` scopes the selectors (`#diagram ` in the page, nothing inside an
/// exported SVG or an embed's shadow root).
pub fn run_css(prefix: &str, m: &RunMarks) -> String {
    let edges: Vec<String> = m
        .path
        .iter()
        .map(|(a, b)| format!("{prefix}polyline.edge[data-from=\"{}\"][data-to=\"{}\"]", css_str(a), css_str(b)))
        .collect();
    let path = if edges.is_empty() {
        String::new()
    } else {
        format!("{} {{ stroke: #1d8a4a; stroke-width: 2.8px; marker-end: url(#arrow-taken); }}\n", edges.join(", "))
    };
    format!(
        "{path}{}{}{}",
        rules(prefix, m.visited, "stroke: #1d8a4a; stroke-width: 3px; fill: #dcf1e3;"),
        rules(prefix, m.active, "stroke: #1565d8; stroke-width: 4.5px; stroke-dasharray: none; fill: #d9e7fd;"),
        rules(prefix, m.failed, "stroke: #c62828; stroke-width: 4px; stroke-dasharray: 5 3; fill: #fde0e0;"),
    )
}

/// `svg` (a [`super::Scene::to_svg`] document) with the marks as a `<style>` in it.
pub fn marked_svg(svg: &str, m: &RunMarks) -> String {
    with_style(svg, &run_css("", m))
}

/// `svg` with `css` as a `<style>` element inside it (after `<defs>`, else first in the root), as
/// exported files carry their marks. Every name in rules from [`run_css`] is escaped already;
/// `<` and `&` are escaped again here so that no rule can end the element or break the XML.
pub fn with_style(svg: &str, css: &str) -> String {
    if css.is_empty() {
        return svg.to_string();
    }
    let css = css.replace('<', "\\3c ").replace('&', "\\26 ");
    if svg.contains("</defs>") {
        return svg.replacen("</defs>", &format!("</defs><style>{css}</style>"), 1);
    }
    match svg.find("<svg").and_then(|at| svg[at..].find('>').map(|end| at + end + 1)) {
        Some(open_end) => format!("{}<style>{css}</style>{}", &svg[..open_end], &svg[open_end..]),
        None => svg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_select_states_and_edges_by_name() {
        let (a, v, p) = (vec!["B".to_string()], vec!["A".to_string(), "B".into()], vec![("A".to_string(), "B".to_string())]);
        let css = run_css("#d ", &RunMarks { active: &a, visited: &v, failed: &[], path: &p });
        assert!(css.contains(r#"#d polyline.edge[data-from="A"][data-to="B"]"#), "{css}");
        assert!(css.contains(r#"#d g.state[data-state="A"] > rect, #d g.state[data-state="B"] > rect { stroke: #1d8a4a"#), "{css}");
        assert!(css.contains(r#"#d g.state[data-state="B"] > rect { stroke: #1565d8"#), "{css}");
        assert!(!css.contains("#c62828"), "nothing failed: {css}");
    }

    #[test]
    fn names_are_escaped_inside_selectors_and_the_style_element() {
        let f = vec!["say \"hi\" </style>".to_string()];
        let svg = marked_svg("<svg><defs></defs></svg>", &RunMarks { failed: &f, ..Default::default() });
        assert!(svg.contains(r#"[data-state="say \"hi\" \3c /style\3e "]"#), "{svg}");
        assert_eq!(svg.matches("</style>").count(), 1, "{svg}");
        assert_eq!(marked_svg("<svg><defs></defs></svg>", &RunMarks::default()), "<svg><defs></defs></svg>");
    }
}
