//! The density histogram's cache: the spans of the current filters and the histogram last binned
//! from them. A derived cache like the visible set, kept with it; the timeline panel paints it.

use crate::model::Day;
use crate::timeline::{BinSize, Density, DensitySpans};

/// The density spans of the current filters, and the histogram last drawn from them: binning
/// walks every span, so it runs when the axis moves, not on every frame of a sliding window.
pub struct Histogram {
    spans: DensitySpans,
    drawn: Option<((Day, Day, BinSize), Density)>,
}

impl Histogram {
    pub fn new(spans: DensitySpans) -> Histogram {
        Histogram { spans, drawn: None }
    }

    /// The histogram over `first..=last`, binned only if the axis moved since the last call.
    pub fn density(&mut self, first: Day, last: Day, bin: BinSize) -> (&Density, &DensitySpans) {
        let key = (first, last, bin);
        if !matches!(&self.drawn, Some((k, _)) if *k == key) {
            self.drawn = None;
        }
        let spans = &self.spans;
        let (_, density) = self
            .drawn
            .get_or_insert_with(|| (key, Density::build(spans, first, last, bin)));
        (density, spans)
    }
}
