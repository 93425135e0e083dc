//! Parallel and Map boxes. Each nested flow (a branch, a processor) is laid out on its own — in
//! ASL no transition crosses a branch's border, so this is exact — and put in a frame; the frames
//! stand side by side under the box's title bar, and the box is as big as they need.

use super::metrics::{BOX_HEADER, BOX_PAD, FRAME_GAP, FRAME_PAD, FRAME_TITLE, NODE_PAD_X};
use crate::graph::flow::{Step, StepKind};
use crate::graph::scene::{Frame, Rect, Scene};
use crate::graph::text;

/// A compound node's laid-out contents, relative to its box's top-left corner.
pub struct Boxed {
    pub width: f64,
    pub height: f64,
    inner: Vec<(Scene, Rect, String)>,
}

pub fn lay_out(step: &Step) -> Boxed {
    let scenes: Vec<Scene> = step.inner.iter().map(super::layout_flow).collect();
    let frame_h = scenes
        .iter()
        .map(|s| FRAME_TITLE + s.height + FRAME_PAD)
        .fold(0.0, f64::max);
    let title_lines = title(step).split('\n').count();
    let header = header_height(title_lines);
    let mut x = BOX_PAD;
    let mut inner = Vec::with_capacity(scenes.len());
    for (s, title) in scenes.into_iter().zip(&step.inner_titles) {
        let w = (s.width + 2.0 * FRAME_PAD).max(text::width(title) + 2.0 * FRAME_PAD);
        inner.push((
            s,
            Rect {
                x,
                y: header,
                w,
                h: frame_h,
            },
            title.clone(),
        ));
        x += w + FRAME_GAP;
    }
    let content_w = x - FRAME_GAP + BOX_PAD;
    let title_w = title(step).split('\n').map(text::width).fold(0.0, f64::max) + 2.0 * NODE_PAD_X;
    let width = content_w.max(title_w);
    // A title wider than the frames: centre them.
    let shift = (width - content_w) / 2.0;
    for (_, r, _) in &mut inner {
        r.x += shift;
    }
    Boxed {
        width,
        height: header + frame_h + BOX_PAD,
        inner,
    }
}

/// The title bar's height for a title of `lines` lines.
pub fn header_height(lines: usize) -> f64 {
    BOX_HEADER + lines.saturating_sub(1) as f64 * text::LINE_STEP
}

/// What a compound box's title bar says: the state's name and its type, its lines joined by
/// `\n` (a long name wraps, as a state's does).
pub fn title(step: &Step) -> String {
    let kind = match step.kind {
        StepKind::Map => "Map",
        _ => "Parallel",
    };
    let mut lines = text::name_lines(&step.name);
    let single = lines.len() == 1;
    let last = lines.last_mut().expect("a line");
    let with_kind = format!("{last} · {kind}");
    if with_kind.chars().count() <= text::NODE_LABEL_MAX || single {
        *last = with_kind;
    } else {
        lines.push(format!("· {kind}"));
    }
    lines.join("\n")
}

/// Puts `boxed`'s frames and contents into `scene`, inside node `node`'s rectangle.
pub fn fill(scene: &mut Scene, node: usize, boxed: Boxed) {
    let at = scene.nodes[node].rect;
    let id = scene.nodes[node].id.clone();
    let kind = scene.nodes[node].kind;
    let count = boxed.inner.len();
    for (i, (inner, r, title)) in boxed.inner.into_iter().enumerate() {
        let rect = r.shifted(at.x, at.y);
        let frame = scene.frames.len();
        scene.frames.push(Frame {
            title,
            rect,
            owner: node,
        });
        let dx = rect.x + (rect.w - inner.width) / 2.0;
        let dy = rect.y + FRAME_TITLE;
        let prefix = if kind == StepKind::Parallel || count > 1 {
            format!("{id}/{}", i + 1)
        } else {
            id.clone()
        };
        scene.absorb(inner, dx, dy, frame, &prefix);
    }
}
