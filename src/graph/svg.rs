//! A scene as a self-contained SVG document: inline styles, light theme, no scripts or fonts to
//! fetch. A background rect (`class="background"`), Parallel and Map boxes and their branch
//! frames (outer before inner), then edges (arrowheads; back edges dashed orange, Catch edges
//! dashed red), edge labels on a background, then the states, and the Start and End markers as
//! dark pills.
//!
//! A state's type is its border's hue and a small type word at its box's top left (`<text
//! class="type">`); every box is filled white, so the page can show a run's status as the fill
//! (CSS on `g.state[data-state=…] > rect`, the box being the group's only direct child rect).
//! Arrowheads are sized in px (`markerUnits="userSpaceOnUse"`), so a thicker edge keeps a
//! normal-sized head; `#arrow-taken` is a green one for the edges a run took.

use super::flow::{LinkKind, StepKind};
use super::layout::metrics::{NAME_LINE, TYPE_INSET, TYPE_LINE};
use super::scene::{Collapsed, Edge, Frame, Node, Rect, Scene};
use super::text::{FONT_SIZE, LINE_STEP, TYPE_FONT_SIZE};
use std::fmt::Write;

/// The fill of every state's box: neutral, so that a run's status can be the fill.
const BOX_FILL: &str = "#ffffff";
/// The Start and End pills.
const MARKER_FILL: &str = "#2f3b4c";

/// A state type's hue: its box's border and its type word. Kept away from the run's status
/// colours (visited green, active blue, failed red) and dark enough for small text on white.
fn hue(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Task => "#3a64a8",
        StepKind::Choice => "#9a6200",
        StepKind::Pass => "#66707c",
        StepKind::Wait => "#7048b8",
        StepKind::Succeed => "#0b7470",
        StepKind::Fail => "#a8326e",
        StepKind::Parallel => "#6e7a8f",
        StepKind::Map => "#3f7896",
        StepKind::Start | StepKind::End => MARKER_FILL,
    }
}

/// The word drawn at a state's top left.
pub fn type_word(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Start => "Start",
        StepKind::End => "End",
        StepKind::Task => "Task",
        StepKind::Choice => "Choice",
        StepKind::Pass => "Pass",
        StepKind::Wait => "Wait",
        StepKind::Succeed => "Succeed",
        StepKind::Fail => "Fail",
        StepKind::Parallel => "Parallel",
        StepKind::Map => "Map",
    }
}

/// A collapsed Parallel's or Map's type line: its type and what it holds (`Parallel · 3 branches`).
pub fn collapsed_word(kind: StepKind, c: &Collapsed) -> String {
    format!("{} · {}", type_word(kind), c.summary)
}

/// The arrowheads: plain, back edge, Catch edge, and green for the edges a run took (the page
/// sets `marker-end: url(#arrow-taken)` on them).
pub const MARKERS: [(&str, &str); 4] = [
    ("arrow", "#5f6b7a"),
    ("arrow-back", "#d9730d"),
    ("arrow-catch", "#c62828"),
    ("arrow-taken", "#1d8a4a"),
];
/// An arrowhead's length and width, in px.
pub const ARROW_SIZE: f64 = 9.0;

fn edge_style(e: &Edge) -> (&'static str, &'static str, &'static str) {
    // (stroke, dash, marker)
    if e.back {
        ("#d9730d", "6 4", "arrow-back")
    } else if e.kind == LinkKind::Catch {
        ("#c62828", "4 3", "arrow-catch")
    } else {
        ("#5f6b7a", "", "arrow")
    }
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn n(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

/// A text's content: the text itself for one line; for lines joined by `\n`, one `<tspan>` a
/// line at `x`, the first at `y`, each next [`LINE_STEP`] lower.
fn lines_svg(text: &str, x: f64, y: f64) -> String {
    if !text.contains('\n') {
        return esc(text);
    }
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        let _ = write!(
            out,
            r#"<tspan x="{}" y="{}">{}</tspan>"#,
            n(x),
            n(y + i as f64 * LINE_STEP),
            esc(line)
        );
    }
    out
}

/// The y of the first of a label's lines, so that they are centred on `cy`.
fn first_line(text: &str, cy: f64) -> f64 {
    cy - (text.split('\n').count() - 1) as f64 * LINE_STEP / 2.0
}

fn rect_attrs(r: &Rect) -> String {
    format!(
        r#"x="{}" y="{}" width="{}" height="{}""#,
        n(r.x),
        n(r.y),
        n(r.w),
        n(r.h)
    )
}

impl Scene {
    /// The scene as an SVG document.
    pub fn to_svg(&self) -> String {
        let mut s = String::with_capacity(512 + 400 * (self.nodes.len() + self.edges.len()));
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace" font-size="{FONT_SIZE}">"#,
            w = n(self.width),
            h = n(self.height)
        );
        s.push_str("<defs>");
        // Sized in px, not in stroke widths: a taken edge drawn thicker keeps a normal head.
        // The tip reaches 0.9 px past the line's end, under the box's border.
        for (id, colour) in MARKERS {
            let _ = write!(
                s,
                r#"<marker id="{id}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="{m}" markerHeight="{m}" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>"#,
                m = n(ARROW_SIZE)
            );
        }
        s.push_str("</defs>");
        let _ = write!(
            s,
            r##"<rect class="background" width="100%" height="100%" fill="#ffffff"/>"##
        );
        self.boxes_svg(&mut s);
        for e in &self.edges {
            edge_svg(&mut s, e, &self.nodes[e.from].name, &self.nodes[e.to].name);
        }
        for e in &self.edges {
            if let Some(l) = &e.label {
                let (stroke, _, _) = edge_style(e);
                let c = l.rect.center();
                let y = first_line(&l.text, c.y);
                let _ = write!(
                    s,
                    r##"<g class="edge-label">{}<rect {} rx="3" fill="#ffffff" stroke="{stroke}" stroke-width="0.8"/><text x="{}" y="{}" text-anchor="middle" dominant-baseline="central" fill="#2b3340">{}</text></g>"##,
                    rules_title(e),
                    rect_attrs(&l.rect),
                    n(c.x),
                    n(y),
                    lines_svg(&l.text, c.x, y)
                );
            }
        }
        for node in self.nodes.iter().filter(|n| !n.is_box()) {
            node_svg(&mut s, node);
        }
        s.push_str("</svg>\n");
        s
    }

    /// Compound boxes and frames, outer ones first so inner ones are drawn over them.
    fn boxes_svg(&self, s: &mut String) {
        let depth = |mut frame: Option<usize>| {
            let mut d = 0;
            while let Some(f) = frame {
                d += 1;
                frame = self.nodes[self.frames[f].owner].frame;
            }
            d
        };
        // (depth, order, what): a box at 2·depth, its frames at 2·depth + 1.
        let mut items: Vec<(usize, usize, Result<&Node, &Frame>)> = Vec::new();
        for (i, node) in self.nodes.iter().enumerate().filter(|(_, n)| n.is_box()) {
            items.push((2 * depth(node.frame), i, Ok(node)));
        }
        for (i, f) in self.frames.iter().enumerate() {
            items.push((2 * depth(self.nodes[f.owner].frame) + 1, i, Err(f)));
        }
        items.sort_by_key(|(d, i, _)| (*d, *i));
        for (_, _, item) in items {
            match item {
                Ok(node) => {
                    let stroke = hue(node.kind);
                    let r = node.rect;
                    let _ = write!(
                        s,
                        r##"<g class="state {kind}" data-state="{name}"><title>{name}</title><rect {a} rx="8" fill="{BOX_FILL}" stroke="{stroke}" stroke-width="1.5" stroke-dasharray="6 3"/><text x="{tx}" y="{ty}" font-weight="bold" dominant-baseline="central" fill="#2b3340">{label}</text></g>"##,
                        kind = kind_class(node.kind),
                        name = esc(&node.name),
                        a = rect_attrs(&r),
                        tx = n(r.x + 12.0),
                        ty = n(r.y + 15.0),
                        label = lines_svg(&node.label, r.x + 12.0, r.y + 15.0)
                    );
                }
                Err(f) => {
                    // A Map's box has one frame, its item processor: the box's border is its
                    // frame, so the frame draws no border of its own (one border per level).
                    let border = if self.nodes[f.owner].kind == StepKind::Map {
                        r##"fill="none" stroke="none""##
                    } else {
                        r##"fill="#ffffff" fill-opacity="0.7" stroke="#b8c0cc" stroke-width="1" stroke-dasharray="3 3""##
                    };
                    let _ = write!(
                        s,
                        r##"<g class="frame"><rect {a} rx="6" {border}/><text x="{tx}" y="{ty}" font-size="10.5" dominant-baseline="central" fill="#6b7686">{t}</text></g>"##,
                        a = rect_attrs(&f.rect),
                        tx = n(f.rect.x + 8.0),
                        ty = n(f.rect.y + 10.0),
                        t = esc(&f.title)
                    );
                }
            }
        }
    }
}

fn kind_class(k: StepKind) -> &'static str {
    match k {
        StepKind::Start => "start",
        StepKind::End => "end",
        StepKind::Task => "task",
        StepKind::Choice => "choice",
        StepKind::Pass => "pass",
        StepKind::Wait => "wait",
        StepKind::Succeed => "succeed",
        StepKind::Fail => "fail",
        StepKind::Parallel => "parallel",
        StepKind::Map => "map",
    }
}

/// An edge; `data-from`/`data-to` name its states so the page can mark the path a run took.
/// The rules an edge stands for, as a tooltip (`<title>`), one a line; nothing for one rule.
fn rules_title(e: &Edge) -> String {
    if e.rules.is_empty() {
        return String::new();
    }
    format!("<title>{}</title>", esc(&e.rules.join("\n")))
}

fn edge_svg(s: &mut String, e: &Edge, from: &str, to: &str) {
    let (stroke, dash, marker) = edge_style(e);
    let pts: Vec<String> = e
        .points
        .iter()
        .map(|p| format!("{},{}", n(p.x), n(p.y)))
        .collect();
    let dash = if dash.is_empty() {
        String::new()
    } else {
        format!(r#" stroke-dasharray="{dash}""#)
    };
    let _ = write!(
        s,
        r#"<polyline class="edge" data-from="{}" data-to="{}" points="{}" fill="none" stroke="{stroke}" stroke-width="1.4" stroke-linejoin="round"{dash} marker-end="url(#{marker})"{end}"#,
        esc(from),
        esc(to),
        pts.join(" "),
        end = match rules_title(e) {
            t if t.is_empty() => "/>".to_string(),
            t => format!(">{t}</polyline>"),
        }
    );
}

/// A state's group: its box (the only direct child rect, which the page's status CSS fills), then
/// its type word at the top left in the type's hue and its name below; a marker is a dark pill.
fn node_svg(s: &mut String, node: &Node) {
    let r = node.rect;
    let c = r.center();
    let kind = kind_class(node.kind);
    let name = esc(&node.name);
    let label = lines_svg(&node.label, r.center().x, r.y + NAME_LINE);
    if node.kind.is_marker() {
        let _ = write!(
            s,
            r##"<g class="state {kind}" data-state="{name}"><title>{name}</title><rect {a} rx="{rx}" fill="{MARKER_FILL}" stroke="{MARKER_FILL}" stroke-width="1.5"/><text class="name" x="{cx}" y="{cy}" text-anchor="middle" dominant-baseline="central" font-weight="bold" fill="#ffffff">{label}</text></g>"##,
            a = rect_attrs(&r),
            rx = n(r.h / 2.0),
            cx = n(c.x),
            cy = n(c.y),
        );
        return;
    }
    let stroke = hue(node.kind);
    // A collapsed Parallel or Map: its type line says what it holds, and a second, inner border
    // (in a group of its own, so that the run's marks fill the outer box only) says it holds more.
    let (word, collapsed, inner) = match &node.collapsed {
        Some(c) => (
            esc(&collapsed_word(node.kind, c)),
            " collapsed",
            format!(
                r##"<g class="fold"><rect {} rx="4" fill="none" stroke="{stroke}" stroke-width="0.8"/></g>"##,
                rect_attrs(&Rect {
                    x: r.x + 3.0,
                    y: r.y + 3.0,
                    w: r.w - 6.0,
                    h: r.h - 6.0
                })
            ),
        ),
        None => (type_word(node.kind).to_string(), "", String::new()),
    };
    let _ = write!(
        s,
        r##"<g class="state {kind}{collapsed}" data-state="{name}"><title>{name}</title><rect {a} rx="6" fill="{BOX_FILL}" stroke="{stroke}" stroke-width="1.5"/>{inner}<text class="type" x="{tx}" y="{ty}" dominant-baseline="central" font-size="{ts}" font-weight="bold" fill="{stroke}">{word}</text><text class="name" x="{cx}" y="{ny}" text-anchor="middle" dominant-baseline="central" fill="#1d2530">{label}</text></g>"##,
        a = rect_attrs(&r),
        tx = n(r.x + TYPE_INSET),
        ty = n(r.y + TYPE_LINE),
        ts = n(TYPE_FONT_SIZE),
        cx = n(c.x),
        ny = n(r.y + NAME_LINE),
    );
}

#[cfg(test)]
mod tests {
    use crate::asl::model::build;
    use crate::graph::scene_of;
    use serde_json::json;

    #[test]
    fn names_are_escaped_and_every_kind_is_drawn() {
        let def = json!({"StartAt": "a<&>\"'", "States": {
            "a<&>\"'": {"Type": "Choice", "Choices": [
                {"Variable": "$.s", "StringEquals": "<x>", "Next": "T"}], "Default": "P"},
            "T": {"Type": "Task", "Resource": "r", "Next": "W",
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}]},
            "W": {"Type": "Wait", "Seconds": 1, "Next": "M"},
            "M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {
                "I": {"Type": "Pass", "End": true}}}, "Next": "S"},
            "P": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {
                "B": {"Type": "Pass", "End": true}}}], "Next": "a<&>\"'"},
            "S": {"Type": "Succeed"},
            "F": {"Type": "Fail"}}});
        let svg = scene_of(&build(&def).unwrap(), None).to_svg();
        assert!(svg.contains("a&lt;&amp;&gt;&quot;&#39;"));
        assert!(svg.contains("$.s == &quot;&lt;x&gt;&quot;"));
        assert!(!svg.contains("a<&"));
        for class in [
            "start", "end", "task", "choice", "pass", "wait", "succeed", "fail", "parallel", "map",
        ] {
            assert!(svg.contains(&format!("class=\"state {class}\"")), "{class}");
        }
        assert!(svg.contains("arrow-back") && svg.contains("arrow-catch"));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
    }

    /// The attribute `name` of the first tag in `s`.
    fn attr<'a>(s: &'a str, name: &str) -> &'a str {
        let tag = &s[..s.find('>').unwrap()];
        let at = tag
            .find(&format!(" {name}=\""))
            .unwrap_or_else(|| panic!("{name} in {tag}"));
        let v = &tag[at + name.len() + 3..];
        &v[..v.find('"').unwrap()]
    }

    fn every_kind() -> crate::graph::Scene {
        let def = json!({"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [
                {"Variable": "$.s", "StringEquals": "x", "Next": "T"}], "Default": "P"},
            "T": {"Type": "Task", "Resource": "r", "Next": "W",
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}]},
            "W": {"Type": "Wait", "Seconds": 1, "Next": "M"},
            "M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {
                "I": {"Type": "Pass", "End": true}}}, "Next": "S"},
            "P": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {
                "B": {"Type": "Succeed"}}}], "Next": "S"},
            "S": {"Type": "Succeed"},
            "F": {"Type": "Fail"}}});
        scene_of(&build(&def).unwrap(), None)
    }

    #[test]
    fn boxes_are_white_with_the_type_as_border_hue_and_word() {
        let scene = every_kind();
        let svg = scene.to_svg();
        let mut hues = std::collections::BTreeMap::new();
        for (i, _) in svg.match_indices("<g class=\"state ") {
            let group = &svg[i..];
            let group = &group[..group.find("</g>").unwrap()];
            let class = attr(group, "class");
            // The first rect in the group is its box, and the only one directly in it.
            let rect = &group[group.find("<rect").unwrap()..];
            assert_eq!(group.matches("<rect").count(), 1, "{class}: one rect");
            let (fill, stroke) = (attr(rect, "fill"), attr(rect, "stroke"));
            if class.ends_with(" start") || class.ends_with(" end") {
                assert_eq!(
                    (fill, stroke),
                    ("#2f3b4c", "#2f3b4c"),
                    "{class}: a dark pill"
                );
                continue;
            }
            assert_eq!(
                fill, "#ffffff",
                "{class}: the fill is left to the run's status"
            );
            hues.entry(stroke).or_insert_with(Vec::new).push(class);
            if class.ends_with(" parallel") || class.ends_with(" map") {
                continue;
            }
            let t = &group[group
                .find("<text class=\"type\"")
                .unwrap_or_else(|| panic!("{class}: a type word"))..];
            let word = &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()];
            assert!(class.ends_with(&word.to_lowercase()), "{class}: {word}");
            assert_eq!(
                attr(t, "fill"),
                stroke,
                "{class}: the word in the border's hue"
            );
        }
        for bad in [
            "#1d8a4a", "#dcf1e3", "#1565d8", "#d9e7fd", "#c62828", "#fde0e0",
        ] {
            assert!(!hues.contains_key(bad), "a type looks like a status: {bad}");
        }
        let kinds: usize = hues.values().map(Vec::len).sum();
        assert_eq!(hues.len(), 8, "each type has its own hue: {hues:?}");
        assert!(kinds >= 8);
    }

    #[test]
    fn the_type_word_and_the_name_do_not_overlap() {
        use crate::graph::layout::metrics::{NAME_LINE, NODE_H, TYPE_INSET, TYPE_LINE};
        use crate::graph::text::{type_width, FONT_SIZE, TYPE_FONT_SIZE};
        const {
            assert!(
                TYPE_LINE - TYPE_FONT_SIZE / 2.0 >= 4.0,
                "room above the type word"
            )
        };
        const {
            assert!(
                TYPE_LINE + TYPE_FONT_SIZE / 2.0 + 3.0 <= NAME_LINE - FONT_SIZE / 2.0,
                "the name lies below the type word"
            )
        };
        const {
            assert!(
                NAME_LINE + FONT_SIZE / 2.0 + 6.0 <= NODE_H,
                "room below the name"
            )
        };
        for n in every_kind()
            .nodes
            .iter()
            .filter(|n| !n.kind.is_marker() && !n.kind.is_compound())
        {
            assert!(
                type_width(super::type_word(n.kind)) + 2.0 * TYPE_INSET <= n.rect.w,
                "{}",
                n.id
            );
            assert_eq!(n.rect.h, NODE_H);
        }
    }

    #[test]
    fn arrowheads_keep_their_size_and_the_background_has_a_class() {
        let svg = every_kind().to_svg();
        for id in ["arrow", "arrow-back", "arrow-catch", "arrow-taken"] {
            let m = &svg[svg
                .find(&format!("<marker id=\"{id}\""))
                .unwrap_or_else(|| panic!("{id}"))..];
            assert_eq!(attr(m, "markerUnits"), "userSpaceOnUse", "{id}");
            assert_eq!(attr(m, "markerWidth"), "9", "{id}");
            assert_eq!(attr(m, "markerHeight"), "9", "{id}");
        }
        let taken = &svg[svg.find("<marker id=\"arrow-taken\"").unwrap()..];
        assert_eq!(
            attr(&taken[taken.find("<path").unwrap()..], "fill"),
            "#1d8a4a"
        );
        let bg = &svg[svg.find("<rect").unwrap()..];
        assert_eq!(
            attr(bg, "class"),
            "background",
            "the first rect is the background"
        );
        assert_eq!(attr(bg, "width"), "100%");
    }
}
