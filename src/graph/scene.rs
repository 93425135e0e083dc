//! What a layout produces and the page draws: nodes with position, size, kind and label; the boxes
//! a Parallel or Map draws around each of its nested flows; edges as polylines with label places.
//! Coordinates are px, origin top left, y down.

use super::flow::{LinkKind, StepKind};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// An axis-aligned rectangle: top-left corner and size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn centered(cx: f64, cy: f64, w: f64, h: f64) -> Rect {
        Rect {
            x: cx - w / 2.0,
            y: cy - h / 2.0,
            w,
            h,
        }
    }

    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    pub fn center(&self) -> Point {
        Point {
            x: self.x + self.w / 2.0,
            y: self.y + self.h / 2.0,
        }
    }

    /// The interiors overlap (touching borders do not count).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }

    /// `o` lies inside `self` (borders may touch), within `eps`.
    pub fn contains(&self, o: &Rect, eps: f64) -> bool {
        o.x >= self.x - eps
            && o.y >= self.y - eps
            && o.right() <= self.right() + eps
            && o.bottom() <= self.bottom() + eps
    }

    /// `p` lies on the border, within `eps`.
    pub fn on_border(&self, p: Point, eps: f64) -> bool {
        let inside_x = p.x >= self.x - eps && p.x <= self.right() + eps;
        let inside_y = p.y >= self.y - eps && p.y <= self.bottom() + eps;
        let on_x = (p.x - self.x).abs() <= eps || (p.x - self.right()).abs() <= eps;
        let on_y = (p.y - self.y).abs() <= eps || (p.y - self.bottom()).abs() <= eps;
        (inside_x && on_y) || (inside_y && on_x)
    }

    /// The open segment a–b passes through the interior (shrunk by `eps`).
    pub fn crossed_by(&self, a: Point, b: Point, eps: f64) -> bool {
        let (x0, x1, y0, y1) = (
            self.x + eps,
            self.right() - eps,
            self.y + eps,
            self.bottom() - eps,
        );
        if x0 >= x1 || y0 >= y1 {
            return false;
        }
        // Liang–Barsky clipping of the segment against the shrunk rectangle.
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, a.x - x0),
            (dx, x1 - a.x),
            (-dy, a.y - y0),
            (dy, y1 - a.y),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        t0 < t1
    }

    pub(crate) fn shifted(self, dx: f64, dy: f64) -> Rect {
        Rect {
            x: self.x + dx,
            y: self.y + dy,
            ..self
        }
    }
}

/// A state or a marker. A Parallel or Map node's rectangle is the whole box around its contents.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Node {
    /// Unique in the scene: the state names from the top level down, joined by `/`, with the
    /// branch number for Parallel branches (`Fan/2/Step`).
    pub id: String,
    /// The state's name, in full.
    pub name: String,
    /// What is drawn (the name, shortened when long).
    pub label: String,
    pub kind: StepKind,
    pub rect: Rect,
    /// The frame this node lies in; None at the top level.
    pub frame: Option<usize>,
    /// A Parallel or Map drawn collapsed: one box, its contents hidden. Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub collapsed: Option<Collapsed>,
}

/// What a collapsed Parallel or Map box says of what it hides.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Collapsed {
    /// "3 branches" (a Parallel) or "4 states" (a Map: its item processor's states).
    pub summary: String,
    /// The states inside, at every depth, by name: a run's marks on them show on the box.
    pub inner: Vec<String>,
}

impl Node {
    /// A Parallel or Map drawn as a box around its contents (not collapsed).
    pub fn is_box(&self) -> bool {
        self.kind.is_compound() && self.collapsed.is_none()
    }
}

/// The box around one nested flow: a Parallel branch or a Map item processor.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Frame {
    pub title: String,
    pub rect: Rect,
    /// The Parallel or Map node this frame belongs to.
    pub owner: usize,
}

/// An edge label: its text and the rectangle it is drawn in (on the edge, with a background).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Label {
    pub text: String,
    pub rect: Rect,
}

/// A transition: a polyline from a border of `from` to a border of `to` (the arrow's end).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: LinkKind,
    /// A loop back up the layering (e.g. a Choice retrying an earlier state).
    pub back: bool,
    pub points: Vec<Point>,
    pub label: Option<Label>,
    /// A Choice's rules that share this edge (it is labelled with their count); else empty.
    pub rules: Vec<String>,
}

/// A laid-out definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Scene {
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<Node>,
    pub frames: Vec<Frame>,
    pub edges: Vec<Edge>,
}

impl Scene {
    /// Appends `inner` moved by (dx, dy), its top-level nodes placed in frame `frame`, and
    /// prefixes its ids with `prefix`.
    pub(crate) fn absorb(
        &mut self,
        mut inner: Scene,
        dx: f64,
        dy: f64,
        frame: usize,
        prefix: &str,
    ) {
        inner.shift(dx, dy);
        let (n0, f0) = (self.nodes.len(), self.frames.len());
        for mut n in inner.nodes {
            n.frame = Some(n.frame.map_or(frame, |f| f + f0));
            n.id = format!("{prefix}/{}", n.id);
            self.nodes.push(n);
        }
        for mut f in inner.frames {
            f.owner += n0;
            self.frames.push(f);
        }
        for mut e in inner.edges {
            e.from += n0;
            e.to += n0;
            self.edges.push(e);
        }
    }

    /// Moves everything by (dx, dy).
    pub(crate) fn shift(&mut self, dx: f64, dy: f64) {
        for n in &mut self.nodes {
            n.rect = n.rect.shifted(dx, dy);
        }
        for f in &mut self.frames {
            f.rect = f.rect.shifted(dx, dy);
        }
        for e in &mut self.edges {
            for p in &mut e.points {
                p.x += dx;
                p.y += dy;
            }
            if let Some(l) = &mut e.label {
                l.rect = l.rect.shifted(dx, dy);
            }
        }
    }

    /// Rounds every coordinate to 1/100 px, so a scene serialises the same everywhere.
    pub(crate) fn round(&mut self) {
        let r = |v: &mut f64| *v = (*v * 100.0).round() / 100.0;
        let rr = |rect: &mut Rect| {
            r(&mut rect.x);
            r(&mut rect.y);
            r(&mut rect.w);
            r(&mut rect.h);
        };
        r(&mut self.width);
        r(&mut self.height);
        self.nodes.iter_mut().for_each(|n| rr(&mut n.rect));
        self.frames.iter_mut().for_each(|f| rr(&mut f.rect));
        for e in &mut self.edges {
            for p in &mut e.points {
                r(&mut p.x);
                r(&mut p.y);
            }
            if let Some(l) = &mut e.label {
                rr(&mut l.rect);
            }
        }
    }

    /// The node whose id is `id`.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rectangle_geometry() {
        let r = Rect {
            x: 0.0,
            y: 0.0,
            w: 10.0,
            h: 10.0,
        };
        let p = |x, y| Point { x, y };
        assert!(r.on_border(p(5.0, 0.0), 0.01));
        assert!(r.on_border(p(10.0, 3.0), 0.01));
        assert!(!r.on_border(p(5.0, 5.0), 0.01));
        assert!(r.crossed_by(p(-5.0, 5.0), p(15.0, 5.0), 0.5));
        assert!(
            !r.crossed_by(p(5.0, 10.0), p(5.0, 20.0), 0.5),
            "touching the border is fine"
        );
        assert!(!r.crossed_by(p(11.0, -5.0), p(11.0, 15.0), 0.5));
        assert!(r.overlaps(&Rect {
            x: 9.0,
            y: 9.0,
            w: 5.0,
            h: 5.0
        }));
        assert!(!r.overlaps(&Rect {
            x: 10.0,
            y: 0.0,
            w: 5.0,
            h: 5.0
        }));
    }
}
