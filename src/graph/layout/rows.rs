//! Phase 5: the rows' heights and y positions. A row is as tall as its tallest vertex; rows are
//! [`ROW_GAP`] apart, and every vertex is centred vertically in its row.

use super::layered::Layered;
use super::metrics::ROW_GAP;

pub struct Rows {
    pub top: Vec<f64>,
    pub height: Vec<f64>,
}

impl Rows {
    pub fn measure(g: &Layered) -> Rows {
        let mut height = vec![0.0f64; g.rows.len()];
        for v in &g.verts {
            height[v.layer] = height[v.layer].max(v.height);
        }
        let mut top = Vec::with_capacity(height.len());
        let mut y = 0.0;
        for h in &height {
            top.push(y);
            y += h + ROW_GAP;
        }
        Rows { top, height }
    }

    pub fn bottom(&self, l: usize) -> f64 {
        self.top[l] + self.height[l]
    }

    pub fn middle(&self, l: usize) -> f64 {
        self.top[l] + self.height[l] / 2.0
    }

    /// Total height (no gap after the last row).
    pub fn total(&self) -> f64 {
        self.top
            .last()
            .map_or(0.0, |_| self.bottom(self.top.len() - 1))
    }
}
