//! A scene as a self-contained SVG document: inline styles, light theme, no scripts or fonts to
//! fetch. Parallel and Map boxes and their branch frames first (outer before inner), then edges
//! (arrowheads; back edges dashed orange, Catch edges dashed red), edge labels on a background,
//! then the states, coloured by type, and the Start and End markers as dark pills.

use super::flow::{LinkKind, StepKind};
use super::scene::{Edge, Frame, Node, Rect, Scene};
use super::text::FONT_SIZE;
use std::fmt::Write;

/// Fill and stroke of a state's box.
fn colours(kind: StepKind) -> (&'static str, &'static str) {
    match kind {
        StepKind::Task => ("#e8f1fd", "#3b78c4"),
        StepKind::Choice => ("#fff4dc", "#c98a10"),
        StepKind::Pass => ("#eef7ee", "#4a9a4a"),
        StepKind::Wait => ("#f1ecfa", "#7a5cc0"),
        StepKind::Succeed => ("#dff3e4", "#1f8a3b"),
        StepKind::Fail => ("#fde7e7", "#c62828"),
        StepKind::Parallel => ("#f7f8fa", "#8a94a6"),
        StepKind::Map => ("#f5f9fb", "#5b8aa6"),
        StepKind::Start | StepKind::End => ("#2f3b4c", "#2f3b4c"),
    }
}

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
        for (id, colour) in [
            ("arrow", "#5f6b7a"),
            ("arrow-back", "#d9730d"),
            ("arrow-catch", "#c62828"),
        ] {
            let _ = write!(
                s,
                r#"<marker id="{id}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>"#
            );
        }
        s.push_str("</defs>");
        let _ = write!(s, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
        self.boxes_svg(&mut s);
        for e in &self.edges {
            edge_svg(&mut s, e, &self.nodes[e.from].name, &self.nodes[e.to].name);
        }
        for e in &self.edges {
            if let Some(l) = &e.label {
                let (stroke, _, _) = edge_style(e);
                let _ = write!(
                    s,
                    r##"<g class="edge-label"><rect {} rx="3" fill="#ffffff" stroke="{stroke}" stroke-width="0.8"/><text x="{}" y="{}" text-anchor="middle" dominant-baseline="central" fill="#2b3340">{}</text></g>"##,
                    rect_attrs(&l.rect),
                    n(l.rect.center().x),
                    n(l.rect.center().y),
                    esc(&l.text)
                );
            }
        }
        for node in self.nodes.iter().filter(|n| !n.kind.is_compound()) {
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
        for (i, node) in self
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind.is_compound())
        {
            items.push((2 * depth(node.frame), i, Ok(node)));
        }
        for (i, f) in self.frames.iter().enumerate() {
            items.push((2 * depth(self.nodes[f.owner].frame) + 1, i, Err(f)));
        }
        items.sort_by_key(|(d, i, _)| (*d, *i));
        for (_, _, item) in items {
            match item {
                Ok(node) => {
                    let (fill, stroke) = colours(node.kind);
                    let r = node.rect;
                    let _ = write!(
                        s,
                        r##"<g class="state {kind}" data-state="{name}"><title>{name}</title><rect {a} rx="8" fill="{fill}" stroke="{stroke}" stroke-width="1.5" stroke-dasharray="6 3"/><text x="{tx}" y="{ty}" font-weight="bold" dominant-baseline="central" fill="#2b3340">{label}</text></g>"##,
                        kind = kind_class(node.kind),
                        name = esc(&node.name),
                        a = rect_attrs(&r),
                        tx = n(r.x + 12.0),
                        ty = n(r.y + 15.0),
                        label = esc(&node.label)
                    );
                }
                Err(f) => {
                    let _ = write!(
                        s,
                        r##"<g class="frame"><rect {a} rx="6" fill="#ffffff" fill-opacity="0.7" stroke="#b8c0cc" stroke-width="1" stroke-dasharray="3 3"/><text x="{tx}" y="{ty}" font-size="10.5" dominant-baseline="central" fill="#6b7686">{t}</text></g>"##,
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
        r#"<polyline class="edge" data-from="{}" data-to="{}" points="{}" fill="none" stroke="{stroke}" stroke-width="1.4" stroke-linejoin="round"{dash} marker-end="url(#{marker})"/>"#,
        esc(from),
        esc(to),
        pts.join(" ")
    );
}

fn node_svg(s: &mut String, node: &Node) {
    let (fill, stroke) = colours(node.kind);
    let r = node.rect;
    let c = r.center();
    let (rx, text_fill, weight) = if node.kind.is_marker() {
        (r.h / 2.0, "#ffffff", "bold")
    } else {
        (6.0, "#1d2530", "normal")
    };
    let _ = write!(
        s,
        r#"<g class="state {kind}" data-state="{name}"><title>{name}</title><rect {a} rx="{rx}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/><text x="{cx}" y="{cy}" text-anchor="middle" dominant-baseline="central" font-weight="{weight}" fill="{text_fill}">{label}</text></g>"#,
        kind = kind_class(node.kind),
        name = esc(&node.name),
        a = rect_attrs(&r),
        rx = n(rx),
        cx = n(c.x),
        cy = n(c.y),
        label = esc(&node.label)
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
}
