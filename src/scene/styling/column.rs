//! Classing a layer's incidents by one of its columns, a stretch of rows at a time: read each
//! row's value in the order of the file, keep only the number of the value, then class the
//! numbers. A large table's values are read back from its file, so ten million rows take seconds;
//! the window draws between stretches ([`crate::scene::derived`]) instead of freezing, and each
//! row holds five bytes while it waits, where a string each held over half a gigabyte.

use std::borrow::Cow;

use crate::fxhash::FxMap;
use crate::model::{Dataset, Properties, texts_of};
use crate::parallel;

use super::{
    CATEGORICAL, COUNT_LABELS, LayerClasses, MAX_DISTINCT, NOT_GIVEN, OTHER_VALUES, count_class,
    in_count_classes,
};

/// A row without a value.
const NO_VALUE: u32 = u32::MAX;
/// A row whose value came after [`MAX_KEPT`] others: it is classed with "other values".
const NOT_KEPT: u32 = u32::MAX - 1;
/// Distinct values kept by name. Past [`MAX_DISTINCT`] met by date the rest are "other values"
/// anyway; a column with this many (a free-text one) would only fill memory with them.
const MAX_KEPT: usize = 1 << 16;
/// Rows are read in stretches of the file this long (in any order within one), which the reads
/// of [`texts_of`] (two megabytes at once) take whole.
const STRETCH_BYTES: u64 = 1 << 20;
/// The class of a row whose value is no number (or none), among the count classes.
const NOT_A_COUNT: u8 = COUNT_LABELS.len() as u8;

/// A classing by column `name` under way.
pub struct ColumnClassing {
    name: String,
    /// The rows in the order they are read.
    order: Vec<u32>,
    /// How many of `order` are read.
    read: usize,
    /// Per row (in the dataset's order), the number of its value in `values`, or [`NO_VALUE`],
    /// or [`NOT_KEPT`].
    value_of: Vec<u32>,
    /// The distinct values, in the order read.
    values: Vec<Box<str>>,
    numbers: FxMap<Box<str>, u32>,
    /// Whether every value read is a non-negative number: then a column of counts.
    counts: bool,
    /// Per row, its count class, while `counts` holds.
    count_class: Vec<u8>,
}

impl ColumnClassing {
    /// A classing of `dataset`'s incidents by column `name`, no row read yet.
    pub fn new(dataset: &Dataset, name: &str) -> ColumnClassing {
        let rows = dataset.incidents().len();
        ColumnClassing {
            name: name.to_owned(),
            order: file_order(dataset),
            read: 0,
            value_of: vec![NO_VALUE; rows],
            values: Vec::new(),
            numbers: FxMap::default(),
            counts: true,
            count_class: vec![NOT_A_COUNT; rows],
        }
    }

    /// The share of rows read, from 0 to 1.
    pub fn progress(&self) -> f32 {
        if self.order.is_empty() {
            1.0
        } else {
            self.read as f32 / self.order.len() as f32
        }
    }

    pub fn is_read(&self) -> bool {
        self.read == self.order.len()
    }

    /// Reads the values of up to `rows` more rows, on every core.
    pub fn read(&mut self, dataset: &Dataset, rows: usize) {
        /// Rows below which one thread reads them all sooner than two start: a millisecond's
        /// worth, well below the window's stretch of a frame.
        const PARALLEL_MIN_ROWS: usize = 4_096;
        let incidents = dataset.incidents();
        debug_assert_eq!(incidents.len(), self.value_of.len(), "the dataset classed");
        let end = (self.read + rows.max(1)).min(self.order.len());
        // Lent out while the rows it names take their values.
        let order = std::mem::take(&mut self.order);
        let stretch = &order[self.read..end];
        let threads = parallel::threads_for(stretch.len(), PARALLEL_MIN_ROWS);
        let pieces: Vec<&[u32]> = stretch
            .chunks(stretch.len().div_ceil(threads).max(1))
            .collect();
        let name = &self.name;
        let read = parallel::map(pieces, threads, |_, piece| {
            let rows: Vec<&Properties> = piece
                .iter()
                .map(|&i| &incidents[i as usize].extra)
                .collect();
            (piece, PieceValues::of(texts_of(&rows, name)))
        });
        for done in read {
            let (piece, values) = parallel::raised(done, "reading a column's values");
            self.take(piece, values);
        }
        self.order = order;
        self.read = end;
    }

    /// Numbers the values a piece of rows read, and gives each row its number.
    fn take(&mut self, rows: &[u32], piece: PieceValues) {
        let numbers: Vec<u32> = piece
            .values
            .into_iter()
            .zip(&piece.count_classes)
            .map(|(value, &class)| {
                self.counts &= class != NOT_A_COUNT;
                if let Some(&n) = self.numbers.get(&*value) {
                    return n;
                }
                if self.values.len() >= MAX_KEPT {
                    return NOT_KEPT;
                }
                let n = self.values.len() as u32;
                self.values.push(value.clone());
                self.numbers.insert(value, n);
                n
            })
            .collect();
        for (&row, &local) in rows.iter().zip(&piece.of) {
            if local == NO_VALUE {
                continue;
            }
            self.value_of[row as usize] = numbers[local as usize];
            self.count_class[row as usize] = piece.count_classes[local as usize];
        }
    }

    /// The classes, once every row is read ([`ColumnClassing::is_read`]): a column of counts
    /// (every value a non-negative number, more of them than can each be named) in the count
    /// classes, any other by its values, in the order the incidents (by date) first have them.
    pub fn finish(self) -> LayerClasses {
        debug_assert!(self.is_read());
        let distinct = self.values.len() + usize::from(self.value_of.contains(&NOT_KEPT));
        if self.counts && distinct > CATEGORICAL.len() {
            return in_count_classes(self.count_class.iter().map(|&c| usize::from(c)));
        }
        let mut classes = NamedClasses::default();
        // Each value's class, found the first time a row has it.
        const UNSET: u16 = u16::MAX;
        let mut class_of_value = vec![UNSET; self.values.len()];
        let (mut not_given, mut not_kept) = (UNSET, UNSET);
        let of = self
            .value_of
            .iter()
            .map(|&number| {
                let (slot, label) = match number {
                    NO_VALUE => (&mut not_given, NOT_GIVEN),
                    NOT_KEPT => (&mut not_kept, OTHER_VALUES),
                    n => (&mut class_of_value[n as usize], &*self.values[n as usize]),
                };
                if *slot == UNSET {
                    *slot = classes.class_of(label);
                }
                classes.counts[usize::from(*slot)] += 1;
                *slot
            })
            .collect();
        classes.finish(of)
    }
}

/// The classes of named values, in the order first met; past [`MAX_DISTINCT`] the rest share
/// one.
#[derive(Default)]
pub(super) struct NamedClasses {
    index: FxMap<Box<str>, u16>,
    labels: Vec<Box<str>>,
    counts: Vec<u32>,
}

impl NamedClasses {
    /// The class of `label`, counted once more.
    pub fn count(&mut self, label: &str) -> u16 {
        let c = self.class_of(label);
        self.counts[usize::from(c)] += 1;
        c
    }

    /// The classes, each incident's given by `of`.
    pub fn finish(self, of: Vec<u16>) -> LayerClasses {
        LayerClasses {
            of,
            labels: self.labels,
            counts: self.counts,
            ordered: false,
        }
    }

    /// The class of `label`, made when it is new (not counted).
    fn class_of(&mut self, label: &str) -> u16 {
        if let Some(&c) = self.index.get(label) {
            return c;
        }
        let label = if self.labels.len() >= MAX_DISTINCT {
            OTHER_VALUES
        } else {
            label
        };
        if let Some(&c) = self.index.get(label) {
            return c;
        }
        let c = self.labels.len() as u16;
        self.labels.push(label.into());
        self.counts.push(0);
        self.index.insert(label.into(), c);
        c
    }
}

/// What one thread read of a piece of rows: each distinct value once, and per row which.
struct PieceValues {
    /// The distinct values, trimmed, none empty.
    values: Vec<Box<str>>,
    /// Per value, its count class, or [`NOT_A_COUNT`].
    count_classes: Vec<u8>,
    /// Per row, its value's place in `values`, or [`NO_VALUE`].
    of: Vec<u32>,
}

impl PieceValues {
    fn of(texts: Vec<Option<Cow<'_, str>>>) -> PieceValues {
        let mut piece = PieceValues {
            values: Vec::new(),
            count_classes: Vec::new(),
            of: Vec::with_capacity(texts.len()),
        };
        let mut seen: FxMap<Box<str>, u32> = FxMap::default();
        for text in texts {
            let value = text.as_deref().map(str::trim).filter(|v| !v.is_empty());
            let Some(value) = value else {
                piece.of.push(NO_VALUE);
                continue;
            };
            let n = match seen.get(value) {
                Some(&n) => n,
                None => {
                    let n = piece.values.len() as u32;
                    piece.values.push(value.into());
                    piece.count_classes.push(value_count_class(value));
                    seen.insert(value.into(), n);
                    n
                }
            };
            piece.of.push(n);
        }
        piece
    }
}

/// The count class of a value that is a non-negative number, else [`NOT_A_COUNT`].
fn value_count_class(value: &str) -> u8 {
    match value.parse::<f64>() {
        Ok(n) if n >= 0.0 => count_class(n) as u8,
        _ => NOT_A_COUNT,
    }
}

/// The incidents in stretches of the file of [`STRETCH_BYTES`], those not read from a file
/// first: a counting sort by stretch, where sorting ten million offsets took most of a second.
fn file_order(dataset: &Dataset) -> Vec<u32> {
    let incidents = dataset.incidents();
    let stretch = |i: usize| {
        incidents[i]
            .extra
            .file_offset()
            .map_or(0, |at| (at / STRETCH_BYTES) as usize + 1)
    };
    let stretches: Vec<u32> = (0..incidents.len()).map(|i| stretch(i) as u32).collect();
    let last = stretches.iter().copied().max().unwrap_or(0) as usize;
    let mut next = vec![0u32; last + 2];
    for &s in &stretches {
        next[s as usize + 1] += 1;
    }
    for s in 1..next.len() {
        next[s] += next[s - 1];
    }
    let mut order = vec![0u32; incidents.len()];
    for (i, &s) in stretches.iter().enumerate() {
        let at = &mut next[s as usize];
        order[*at as usize] = i as u32;
        *at += 1;
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Gazetteer;
    use crate::scene::styling::{ColourBy, classify, counted, named};

    /// The classes of `name` read row by row in the dataset's order, as a classing of a column
    /// was first written: every value a string, a column of counts when each parses.
    fn read_row_by_row(dataset: &Dataset, name: &str) -> LayerClasses {
        let values: Vec<Option<String>> = dataset
            .incidents()
            .iter()
            .map(|i| {
                let text = i.extra.get_text(name)?;
                let text = text.trim();
                (!text.is_empty()).then(|| text.to_owned())
            })
            .collect();
        let numbers: Option<Vec<Option<f64>>> = values
            .iter()
            .map(|v| match v {
                None => Some(None),
                Some(t) => t.parse::<f64>().ok().filter(|n| *n >= 0.0).map(Some),
            })
            .collect();
        let distinct: std::collections::HashSet<&String> = values.iter().flatten().collect();
        match numbers {
            Some(numbers) if distinct.len() > CATEGORICAL.len() => counted(numbers.into_iter()),
            _ => named(values.into_iter()),
        }
    }

    /// Read in the file's stretches, a few rows at a time or all at once, a column's classes are
    /// those read row by row: for names, counts, few numbers, sparse values and no such column,
    /// of a table loaded in memory and of the same rows read back from their file.
    #[test]
    fn a_column_read_in_stretches_classes_as_row_by_row() {
        let mut bytes = Vec::new();
        crate::bench::acled_file::write_acled(&mut bytes, 5000, 11).expect("generate");
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("acled.csv");
        std::fs::write(&path, &bytes).expect("write");
        let shown = path.display().to_string();
        let whole =
            crate::formats::load_bytes(&bytes, &shown, Gazetteer::embedded()).expect("load");
        let lazy = crate::formats::load_streamed_in_small_blocks(&path).expect("load");
        assert!(lazy.dataset.incidents()[0].extra.is_in_file());
        let columns = [
            "admin1",
            "timestamp",
            "geo_precision",
            "tags",
            "actor2",
            "iso",
            "none",
        ];
        for dataset in [&whole.dataset, &lazy.dataset] {
            for name in columns {
                let expected = read_row_by_row(dataset, name);
                assert_eq!(
                    classify(dataset, &ColourBy::Column(name.into()), ""),
                    expected,
                    "{name}"
                );
                let mut classing = ColumnClassing::new(dataset, name);
                let mut steps = 0;
                while !classing.is_read() {
                    classing.read(dataset, 777);
                    steps += 1;
                }
                assert_eq!(steps, 5000usize.div_ceil(777), "{name}");
                assert_eq!(classing.progress(), 1.0);
                assert_eq!(classing.finish(), expected, "{name}");
            }
        }
        let timestamps = classify(&lazy.dataset, &ColourBy::Column("timestamp".into()), "");
        assert!(timestamps.ordered, "a column of counts");
        let admin1 = classify(&lazy.dataset, &ColourBy::Column("admin1".into()), "");
        assert!(
            !admin1.ordered && admin1.labels.len() > 3,
            "{:?}",
            admin1.labels
        );
    }
}
