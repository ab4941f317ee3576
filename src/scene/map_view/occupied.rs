//! The screen areas a frame has taken so far — markers, cluster discs, place dots, labels — and
//! the test a new label makes against them. Each rectangle is filed under the squares of a grid
//! it covers, so a test looks at its neighbours instead of every marker on the map: at district
//! zoom a thousand markers and a few thousand candidate settlements made the linear scan millions
//! of comparisons a frame.
//!
//! The answers are [`Rect::intersects`] on the same rectangles as a scan of all of them: the grid
//! only narrows which are compared.

use egui::{Pos2, Rect};

/// A grid square's side in points: a few markers or one short label wide.
const SQUARE: f32 = 64.0;

/// The rectangles taken, in the order taken, filed by grid square.
pub struct Occupied {
    rects: Vec<Rect>,
    origin: Pos2,
    columns: usize,
    rows: usize,
    /// Per square (row-major), the indices of the rectangles that cover it, ascending.
    squares: Vec<Vec<u32>>,
}

impl Occupied {
    /// An empty set over `area`, where nearly all rectangles fall; those outside it are filed
    /// under its edge squares, so they are found all the same.
    pub fn new(area: Rect) -> Occupied {
        let (origin, columns, rows) = if area.is_finite() && area.is_positive() {
            let size = area.size() / SQUARE;
            (
                area.min,
                (size.x.ceil() as usize).clamp(1, 1024),
                (size.y.ceil() as usize).clamp(1, 1024),
            )
        } else {
            (Pos2::ZERO, 1, 1)
        };
        Occupied {
            rects: Vec::new(),
            origin,
            columns,
            rows,
            squares: vec![Vec::new(); columns * rows],
        }
    }

    pub fn len(&self) -> usize {
        self.rects.len()
    }

    pub fn push(&mut self, rect: Rect) {
        let index = self.rects.len() as u32;
        let (xs, ys) = self.span(rect);
        for y in ys {
            for x in xs.clone() {
                self.squares[y * self.columns + x].push(index);
            }
        }
        self.rects.push(rect);
    }

    /// Whether `rect` intersects any rectangle taken.
    pub fn overlaps(&self, rect: Rect) -> bool {
        self.overlaps_from(0, rect)
    }

    /// Whether `rect` intersects any rectangle taken at or after position `first` (those taken
    /// before it, the markers, are let through).
    pub fn overlaps_from(&self, first: usize, rect: Rect) -> bool {
        let (xs, ys) = self.span(rect);
        ys.into_iter().any(|y| {
            xs.clone().any(|x| {
                self.squares[y * self.columns + x]
                    .iter()
                    .any(|&i| i as usize >= first && self.rects[i as usize].intersects(rect))
            })
        })
    }

    /// The squares a rectangle covers, clamped to the grid. Its corners are taken in either
    /// order: two rectangles [`Rect::intersects`] calls meeting always share a square.
    fn span(
        &self,
        rect: Rect,
    ) -> (
        std::ops::RangeInclusive<usize>,
        std::ops::RangeInclusive<usize>,
    ) {
        let square = |v: f32, origin: f32, n: usize| -> usize {
            // NaN becomes 0 and infinities saturate, then the grid's edge is the limit.
            (((v - origin) / SQUARE).floor().max(0.0) as usize).min(n - 1)
        };
        let (x0, x1) = (rect.min.x.min(rect.max.x), rect.min.x.max(rect.max.x));
        let (y0, y1) = (rect.min.y.min(rect.max.y), rect.min.y.max(rect.max.y));
        (
            square(x0, self.origin.x, self.columns)..=square(x1, self.origin.x, self.columns),
            square(y0, self.origin.y, self.rows)..=square(y1, self.origin.y, self.rows),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{pos2, vec2};
    use proptest::prelude::*;

    fn scan(rects: &[Rect], first: usize, rect: Rect) -> bool {
        rects[first.min(rects.len())..]
            .iter()
            .any(|r| r.intersects(rect))
    }

    /// Markers, labels and the odd rectangle past the edge of the area.
    fn rectangle() -> impl Strategy<Value = Rect> {
        (
            -200.0f32..1900.0,
            -200.0f32..1200.0,
            4.0f32..124.0,
            4.0f32..24.0,
        )
            .prop_map(|(x, y, w, h)| Rect::from_min_size(pos2(x, y), vec2(w, h)))
    }

    proptest! {
        /// Each rectangle is tested (against all taken, and against those from a random position)
        /// and then taken or not: every answer is the scan's.
        #[test]
        fn answers_as_a_scan_of_every_rectangle(
            steps in proptest::collection::vec((rectangle(), 0.0f32..1.0, any::<bool>()), 1..600)
        ) {
            let area = Rect::from_min_size(pos2(10.0, 20.0), vec2(1600.0, 950.0));
            let mut occupied = Occupied::new(area);
            let mut all = Vec::new();
            for (rect, from, take) in steps {
                let first = (from * all.len() as f32) as usize;
                prop_assert_eq!(occupied.overlaps(rect), scan(&all, 0, rect));
                prop_assert_eq!(occupied.overlaps_from(first, rect), scan(&all, first, rect));
                if take {
                    occupied.push(rect);
                    all.push(rect);
                }
            }
            prop_assert_eq!(occupied.len(), all.len());
        }
    }

    #[test]
    fn touching_edges_on_a_square_boundary_overlap() {
        let area = Rect::from_min_size(Pos2::ZERO, vec2(640.0, 640.0));
        let mut occupied = Occupied::new(area);
        occupied.push(Rect::from_min_max(pos2(0.0, 0.0), pos2(64.0, 64.0)));
        // Rect::intersects counts a shared edge; so must the grid.
        assert!(occupied.overlaps(Rect::from_min_max(pos2(64.0, 10.0), pos2(80.0, 20.0))));
        assert!(!occupied.overlaps(Rect::from_min_max(pos2(64.5, 10.0), pos2(80.0, 20.0))));
    }

    #[test]
    fn odd_rectangles_and_areas_are_answered_as_a_scan() {
        let odd = [
            Rect::NOTHING,
            Rect::EVERYTHING,
            Rect::from_min_max(pos2(50.0, 50.0), pos2(10.0, 10.0)),
            Rect::from_min_max(pos2(f32::NAN, 0.0), pos2(10.0, 10.0)),
            Rect::from_min_size(pos2(1e9, -1e9), vec2(5.0, 5.0)),
            Rect::from_min_size(pos2(100.0, 100.0), vec2(0.0, 0.0)),
        ];
        for area in [
            Rect::from_min_size(Pos2::ZERO, vec2(300.0, 200.0)),
            Rect::NOTHING,
        ] {
            let mut occupied = Occupied::new(area);
            let mut all = Vec::new();
            for (n, rect) in odd.iter().enumerate() {
                for probe in odd
                    .iter()
                    .chain([&Rect::from_min_size(pos2(20.0, 20.0), vec2(40.0, 40.0))])
                {
                    assert_eq!(
                        occupied.overlaps(*probe),
                        scan(&all, 0, *probe),
                        "after {n} odd rectangles, {probe:?} in {area:?}"
                    );
                }
                occupied.push(*rect);
                all.push(*rect);
            }
        }
    }
}
