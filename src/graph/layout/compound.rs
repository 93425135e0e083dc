//! Parallel and Map boxes. Each nested flow (a branch, a processor) is laid out on its own — in
//! ASL no transition crosses a branch's border, so this is exact — and put in a frame; the frames
//! stand side by side under the box's title bar (top to bottom) or one under the other (left to
//! right, so that every branch reads along the flow), and the box is as big as they need.

use super::metrics::{
    BOX_HEADER, BOX_PAD, FRAME_GAP, FRAME_PAD, FRAME_TITLE, NODE_PAD_X, TOGGLE_ROOM,
};
use super::Direction;
use crate::graph::flow::{Step, StepKind};
use crate::graph::scene::{Frame, Rect, Scene};
use crate::graph::text;
use std::collections::BTreeSet;

/// A compound node's laid-out contents, relative to its box's top-left corner.
pub struct Boxed {
    pub width: f64,
    pub height: f64,
    inner: Vec<(Scene, Rect, String)>,
}

/// `step`'s contents laid out; `id` is the step's id, `collapsed` the ids drawn collapsed.
pub fn lay_out(step: &Step, id: &str, direction: Direction, collapsed: &BTreeSet<String>) -> Boxed {
    let scenes: Vec<Scene> = step
        .inner
        .iter()
        .enumerate()
        .map(|(i, f)| super::layout_flow(f, direction, collapsed, &step.inner_id(id, i)))
        .collect();
    let frame_w = |s: &Scene, title: &str| {
        (s.width + 2.0 * FRAME_PAD).max(text::width(title) + 2.0 * FRAME_PAD)
    };
    let frame_h = |s: &Scene| FRAME_TITLE + s.height + FRAME_PAD;
    let title_lines = title(step).split('\n').count();
    let header = header_height(title_lines);
    let mut inner = Vec::with_capacity(scenes.len());
    let content_w = match direction {
        Direction::TopDown => {
            let h = scenes.iter().map(frame_h).fold(0.0, f64::max);
            let mut x = BOX_PAD;
            for (s, title) in scenes.into_iter().zip(&step.inner_titles) {
                let w = frame_w(&s, title);
                inner.push((s, Rect { x, y: header, w, h }, title.clone()));
                x += w + FRAME_GAP;
            }
            x - FRAME_GAP + BOX_PAD
        }
        Direction::LeftRight => {
            let w = scenes
                .iter()
                .zip(&step.inner_titles)
                .map(|(s, t)| frame_w(s, t))
                .fold(0.0, f64::max);
            let mut y = header;
            for (s, title) in scenes.into_iter().zip(&step.inner_titles) {
                let h = frame_h(&s);
                inner.push((
                    s,
                    Rect {
                        x: BOX_PAD,
                        y,
                        w,
                        h,
                    },
                    title.clone(),
                ));
                y += h + FRAME_GAP;
            }
            BOX_PAD + w + BOX_PAD
        }
    };
    let content_h = inner
        .iter()
        .map(|(_, r, _)| r.bottom())
        .fold(header, f64::max);
    let title_w = title(step).split('\n').map(text::width).fold(0.0, f64::max)
        + 2.0 * NODE_PAD_X
        + TOGGLE_ROOM;
    let width = content_w.max(title_w);
    // A title wider than the frames: centre them.
    let shift = (width - content_w) / 2.0;
    for (_, r, _) in &mut inner {
        r.x += shift;
    }
    Boxed {
        width,
        height: content_h + BOX_PAD,
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
