//! Phase 5: the rows' heights and y positions. A row is as tall as its tallest vertex; the gap
//! below a row is as tall as the edges' tracks in it need (at least `ROW_GAP`, see
//! [`super::route::Plan::gaps`]), and every vertex is centred vertically in its row.

use super::layered::Layered;

pub struct Rows {
    pub top: Vec<f64>,
    pub height: Vec<f64>,
}

impl Rows {
    /// `gaps[l]`: the height of the gap below row `l`.
    pub fn measure(g: &Layered, gaps: &[f64]) -> Rows {
        let mut height = vec![0.0f64; g.rows.len()];
        for v in &g.verts {
            height[v.layer] = height[v.layer].max(v.height);
        }
        let mut top = Vec::with_capacity(height.len());
        let mut y = 0.0;
        for (h, gap) in height.iter().zip(gaps) {
            top.push(y);
            y += h + gap;
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
