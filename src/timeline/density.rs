//! Collect a histogram of the incidents that pass the filters per day, week, month or year bin,
//! stacked by side, spreading each incident evenly over the bins its date interval covers, so the
//! UI paints data and never walks incidents.
//!
//! Two steps, because they change at different rates: [`DensitySpans`] (when the filters or
//! the datasets change) reduces every passing incident to its interval, side and weight;
//! [`Density::build`] (when the time axis is zoomed or panned) bins those spans with a difference
//! array, so one span costs O(1) however many bins it covers.

use std::sync::{Arc, OnceLock};

use crate::model::{Dataset, Day, Rgb};
use crate::view::query::Indexed;
use crate::view::{FilterPass, Filters, IncidentColumns};

/// The width of one bin of the histogram.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum BinSize {
    Day,
    /// Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
    /// A calendar year: only when even months would be thinner than the minimum width (decades
    /// of data on a narrow strip).
    Year,
}

/// Narrower bins than this many pixels read as noise.
pub const MIN_BIN_PX: f32 = 3.0;

impl BinSize {
    /// The finest bin at least [`MIN_BIN_PX`] wide when `span_days` are drawn over `width_px`.
    pub fn for_view(span_days: i64, width_px: f32) -> BinSize {
        let px_per_day = f64::from(width_px.max(1.0)) / span_days.max(1) as f64;
        let min = f64::from(MIN_BIN_PX);
        // The shortest month and year, so every bin of the size is wide enough.
        [
            (BinSize::Day, 1.0),
            (BinSize::Week, 7.0),
            (BinSize::Month, 28.0),
        ]
        .into_iter()
        .find(|&(_, days)| days * px_per_day >= min)
        .map_or(BinSize::Year, |(bin, _)| bin)
    }

    /// The number of the bin a day falls in; consecutive bins have consecutive numbers.
    pub fn bin_of(self, day: Day) -> i64 {
        let d = i64::from(day.0);
        match self {
            BinSize::Day => d,
            // 1970-01-01 (day 0) was a Thursday: Monday is day -3.
            BinSize::Week => (d + 3).div_euclid(7),
            BinSize::Month => {
                let (y, m, _) = civil_from_days(d);
                y * 12 + m - 1
            }
            BinSize::Year => civil_from_days(d).0,
        }
    }

    /// The first day of bin number `bin`.
    pub fn bin_start(self, bin: i64) -> Day {
        let d = match self {
            BinSize::Day => bin,
            BinSize::Week => bin * 7 - 3,
            BinSize::Month => days_from_civil(bin.div_euclid(12), bin.rem_euclid(12) + 1, 1),
            BinSize::Year => days_from_civil(bin, 1, 1),
        };
        Day(d.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
    }
}

/// (year, month 1–12, day 1–31) of a day number counted from 1970-01-01: Howard Hinnant's
/// `civil_from_days`, all integer arithmetic, because chrono's conversion is the hot spot of
/// month binning.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The inverse of [`civil_from_days`].
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A side the histogram stacks by; sides of different datasets with the same id are one.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct StackSide {
    pub id: String,
    pub name: String,
    pub colour: Rgb,
}

/// Passing incidents that start and end on the same days and give the same side the same
/// weight: binned as one. At ten million rows a few hundred thousand of these stand for twelve
/// million shares, so binning (every zoom or pan of the slider) walks those, not the incidents.
#[derive(Copy, Clone, Debug, PartialEq)]
struct Span {
    start: Day,
    end: Day,
    /// The dataset's own side (index into its sides) in a [`LayerSpans`].
    side: u32,
    /// Each incident's weight 1 split between its sides.
    weight: f32,
    /// How many incidents' shares this is.
    count: u32,
}

impl Span {
    fn same_group(&self, other: &Span) -> bool {
        self.end == other.end
            && self.side == other.side
            && self.weight.to_bits() == other.weight.to_bits()
    }
}

/// Groups of one start day looked up one by one up to this many; past it (a day of many
/// distinct ends or sides), they are sorted and merged when the day ends.
const RUN_SCAN: usize = 48;

/// One dataset's incidents that pass the filters, reduced to what binning needs, its sides the
/// dataset's own: what [`DensitySpans`] joins for the shown layers. Derived from one filter pass
/// of one layer, so a loading thread can build it with the layer's index and the first frame
/// only joins.
#[derive(Debug, Default)]
pub struct LayerSpans {
    spans: Vec<Span>,
    incidents: usize,
    /// Per [`BinSize`], each span's first and last bin, worked out the first time that size is
    /// drawn: zooming and panning then never convert a date again.
    bins: [OnceLock<Vec<(i32, i32)>>; 4],
}

impl LayerSpans {
    /// An incident's weight of 1 is split evenly between the sides of its visible claims,
    /// counting only party sides when there are any (a contested incident is half each party's;
    /// a media remark on it does not take a share). `passes` is the filter pass of `dataset`'s
    /// incidents ([`FilterPass::of_dataset`]) under `filters`.
    pub fn new(
        dataset: &Dataset,
        columns: &IncidentColumns,
        filters: &Filters,
        passes: &[bool],
    ) -> LayerSpans {
        debug_assert_eq!(passes.len(), columns.len());
        let prepared = filters.prepare(dataset);
        let mut out = LayerSpans::default();
        let mut sides_of = Vec::new();
        // The groups of the start day being read (incidents are sorted by start).
        let mut run: Vec<Span> = Vec::new();
        let mut scanning = true;
        let passing = passes
            .iter()
            .enumerate()
            .filter(|(_, p)| **p)
            .map(|(i, _)| i);
        for i in passing.take_while(|&i| i < columns.len()) {
            sides_of.clear();
            sides_of.extend(
                columns
                    .claimants(i)
                    .iter()
                    .filter(|&&c| prepared.claimant_visible_by_id(c))
                    .map(|&c| columns.side_of(c)),
            );
            if sides_of.iter().any(|&s| columns.is_party(s)) {
                sides_of.retain(|&s| columns.is_party(s));
            }
            sides_of.sort();
            sides_of.dedup();
            debug_assert!(
                !sides_of.is_empty(),
                "a passing incident has a visible claim"
            );
            let weight = 1.0 / sides_of.len().max(1) as f32;
            let (start, end) = (columns.start(i), columns.end(i));
            if run.first().is_some_and(|s| s.start != start) {
                flush(&mut run, &mut out.spans, &mut scanning);
            }
            for s in &sides_of {
                let span = Span {
                    start,
                    end,
                    side: s.0,
                    weight,
                    count: 1,
                };
                let found = if scanning {
                    run.iter_mut().find(|g| g.same_group(&span))
                } else {
                    None
                };
                match found {
                    Some(group) => group.count += 1,
                    None => {
                        scanning &= run.len() < RUN_SCAN;
                        run.push(span);
                    }
                }
            }
            out.incidents += 1;
        }
        flush(&mut run, &mut out.spans, &mut scanning);
        out.spans.shrink_to_fit();
        out
    }

    /// How many incidents the spans come from.
    pub fn incidents(&self) -> usize {
        self.incidents
    }

    /// Each span's first and last bin number at this size.
    fn bins(&self, bin: BinSize) -> &[(i32, i32)] {
        self.bins[bin as usize].get_or_init(|| {
            self.spans
                .iter()
                .map(|span| {
                    let clamp = |n: i64| n.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
                    (clamp(bin.bin_of(span.start)), clamp(bin.bin_of(span.end)))
                })
                .collect()
        })
    }
}

/// Moves one start day's groups to `spans`; those of a day past [`RUN_SCAN`] groups were pushed
/// one per share and are merged here.
fn flush(run: &mut Vec<Span>, spans: &mut Vec<Span>, scanning: &mut bool) {
    if !*scanning {
        run.sort_by(|a, b| {
            (a.end, a.side, a.weight.to_bits()).cmp(&(b.end, b.side, b.weight.to_bits()))
        });
        run.dedup_by(|later, kept| {
            let same = kept.same_group(later);
            if same {
                kept.count += later.count;
            }
            same
        });
    }
    spans.append(run);
    *scanning = true;
}

/// Every incident that passes the filters, reduced to what binning needs: each shown layer's
/// [`LayerSpans`], its sides mapped to the stacked ones.
#[derive(Clone, Debug, Default)]
pub struct DensitySpans {
    /// Per layer, its spans and its dataset's side index → stacked side index.
    parts: Vec<(Arc<LayerSpans>, Vec<u32>)>,
    sides: Vec<StackSide>,
    incidents: usize,
}

impl DensitySpans {
    /// An incident's weight of 1 is split evenly between the sides of its visible claims,
    /// counting only party sides when there are any (see [`LayerSpans::new`]).
    pub fn new(datasets: &[&Dataset], filters: &Filters, pass: &FilterPass) -> DensitySpans {
        let columns: Vec<IncidentColumns> =
            datasets.iter().map(|d| IncidentColumns::new(d)).collect();
        let indexed: Vec<Indexed<'_>> = datasets.iter().copied().zip(&columns).collect();
        DensitySpans::indexed(&indexed, filters, pass)
    }

    /// As [`DensitySpans::new`], on columns already built from the datasets.
    pub fn indexed(datasets: &[Indexed<'_>], filters: &Filters, pass: &FilterPass) -> DensitySpans {
        let layers: Vec<(&Dataset, Arc<LayerSpans>)> = datasets
            .iter()
            .enumerate()
            .map(|(d, &(dataset, columns))| {
                let spans = LayerSpans::new(dataset, columns, filters, pass.of_dataset(d));
                (dataset, Arc::new(spans))
            })
            .collect();
        DensitySpans::join(&layers)
    }

    /// The spans of each layer's dataset stacked together: sides of different datasets with the
    /// same id are one. Reads the datasets' sides, not their incidents.
    pub fn join(layers: &[(&Dataset, Arc<LayerSpans>)]) -> DensitySpans {
        let mut out = DensitySpans::default();
        for (dataset, spans) in layers {
            // This dataset's side index → stacked side index.
            let slot: Vec<u32> = dataset
                .sides
                .iter()
                .map(|side| out.side_slot(side.id.as_ref(), side.name.as_ref(), side.colour))
                .collect();
            out.incidents += spans.incidents;
            out.parts.push((Arc::clone(spans), slot));
        }
        out
    }

    fn side_slot(&mut self, id: &str, name: &str, colour: Rgb) -> u32 {
        let index = match self.sides.iter().position(|s| s.id == id) {
            Some(i) => i,
            None => {
                self.sides.push(StackSide {
                    id: id.to_owned(),
                    name: name.to_owned(),
                    colour,
                });
                self.sides.len() - 1
            }
        };
        u32::try_from(index).unwrap_or(u32::MAX)
    }

    /// The stacked sides, in the order of the datasets' registries.
    pub fn sides(&self) -> &[StackSide] {
        &self.sides
    }

    /// How many incidents the spans come from.
    pub fn incidents(&self) -> usize {
        self.incidents
    }
}

/// The histogram over a range of days: per bin, a count per stacked side.
#[derive(Clone, Debug, PartialEq)]
pub struct Density {
    pub bin: BinSize,
    first_bin: i64,
    sides: usize,
    /// Bin-major: bin `b`, side `s` at `b * sides + s`.
    counts: Vec<f32>,
    max_total: f32,
}

/// More bins than any screen has pixels; a guard against binning decades by the day.
pub const MAX_BINS: i64 = 1 << 16;

impl Density {
    /// Bins the spans over the bins that cover `from..=to`. A span's weight is spread evenly
    /// over all the bins its interval covers; the share falling outside the range is not drawn.
    pub fn build(spans: &DensitySpans, from: Day, to: Day, bin: BinSize) -> Density {
        debug_assert!(from <= to, "range {from}..{to} is reversed");
        let sides = spans.sides.len();
        let first_bin = bin.bin_of(from);
        let last_bin = bin.bin_of(to).max(first_bin).min(first_bin + MAX_BINS - 1);
        let bins = (last_bin - first_bin + 1) as usize;
        // A difference array: +w where a span's clipped bins start, −w after they end.
        let mut diff = vec![0.0f64; (bins + 1) * sides];
        for (part, slot) in &spans.parts {
            for (span, &(a, b)) in part.spans.iter().zip(part.bins(bin)) {
                let (a, b) = (i64::from(a), i64::from(b));
                debug_assert!(a <= b);
                let (first, last) = (a.max(first_bin), b.min(last_bin));
                if first > last {
                    continue;
                }
                let share = f64::from(span.weight) * f64::from(span.count) / (b - a + 1) as f64;
                let side = slot[span.side as usize] as usize;
                diff[(first - first_bin) as usize * sides + side] += share;
                diff[(last - first_bin + 1) as usize * sides + side] -= share;
            }
        }
        let mut counts = vec![0.0f32; bins * sides];
        let mut running = vec![0.0f64; sides];
        let mut max_total = 0.0f32;
        for b in 0..bins {
            let mut total = 0.0;
            for s in 0..sides {
                running[s] += diff[b * sides + s];
                // Sums of shares cancel to a hair below zero; nothing is negative.
                let count = running[s].max(0.0) as f32;
                counts[b * sides + s] = count;
                total += count;
            }
            max_total = max_total.max(total);
        }
        Density {
            bin,
            first_bin,
            sides,
            counts,
            max_total,
        }
    }

    pub fn len(&self) -> usize {
        self.counts.len().checked_div(self.sides).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first and last day of bin `i`.
    pub fn bin_days(&self, i: usize) -> (Day, Day) {
        let n = self.first_bin + i as i64;
        (
            self.bin.bin_start(n),
            self.bin.bin_start(n + 1).add_days(-1),
        )
    }

    /// Bin `i`'s count per stacked side ([`DensitySpans::sides`]); fractional where incidents
    /// are spread over several bins.
    pub fn stack(&self, i: usize) -> &[f32] {
        self.counts
            .get(i * self.sides..(i + 1) * self.sides)
            .unwrap_or(&[])
    }

    pub fn total(&self, i: usize) -> f32 {
        self.stack(i).iter().sum()
    }

    /// The tallest stack: what the UI scales the bars to.
    pub fn max_total(&self) -> f32 {
        self.max_total
    }

    /// Every bin of every side added up: the number of incidents in range, where incidents
    /// reaching out of the range count for the share inside it.
    pub fn sum(&self) -> f64 {
        self.counts.iter().map(|&c| f64::from(c)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_conversion_round_trips_against_chrono() {
        for d in (-800_000..800_000).step_by(997) {
            let (y, m, day) = civil_from_days(d);
            let naive = Day(d as i32).to_naive();
            assert_eq!(
                (y, m, day),
                (
                    i64::from(chrono::Datelike::year(&naive)),
                    i64::from(chrono::Datelike::month(&naive)),
                    i64::from(chrono::Datelike::day(&naive))
                ),
                "{d}"
            );
            assert_eq!(days_from_civil(y, m, day), d);
        }
    }

    #[test]
    fn bins_start_where_their_days_are() {
        let may26 = Day::from_ymd(2021, 5, 26).expect("date");
        for bin in [BinSize::Day, BinSize::Week, BinSize::Month, BinSize::Year] {
            let n = bin.bin_of(may26);
            assert!(
                bin.bin_start(n) <= may26 && may26 < bin.bin_start(n + 1),
                "{bin:?}"
            );
        }
        // 24 May 2021 was a Monday.
        assert_eq!(
            BinSize::Week.bin_start(BinSize::Week.bin_of(may26)),
            Day::from_ymd(2021, 5, 24).expect("date")
        );
        assert_eq!(
            BinSize::Month.bin_start(BinSize::Month.bin_of(may26)),
            Day::from_ymd(2021, 5, 1).expect("date")
        );
    }

    #[test]
    fn bins_are_at_least_three_pixels_wide() {
        assert_eq!(BinSize::for_view(30, 900.0), BinSize::Day);
        assert_eq!(BinSize::for_view(365, 900.0), BinSize::Week);
        assert_eq!(BinSize::for_view(3 * 365, 900.0), BinSize::Week);
        assert_eq!(BinSize::for_view(10 * 365, 900.0), BinSize::Month);
        // The reference dataset's 31 years on a 900 px strip: months would be 2.2 px.
        assert_eq!(BinSize::for_view(31 * 365, 900.0), BinSize::Year);
        assert_eq!(BinSize::for_view(1, 900.0), BinSize::Day);
        assert_eq!(
            BinSize::for_view(0, 0.0),
            BinSize::Week,
            "degenerate: 1 px a day"
        );
    }
}
