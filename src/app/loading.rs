//! Loading datasets on a background thread, so the window stays responsive while a large file
//! is read, with progress (bytes, rows per second) and Cancel. The same thread gives the layer
//! the user's sides and builds its index (columns, spatial grid, marker tones, and the filter
//! pass and slider density of the window's filters), so the first frame that shows it costs no
//! more than the next.

use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

use crate::formats::progress::{LoadControl, Phase};
use crate::formats::{self, ColumnMapping, LoadError, Loaded};
use crate::gazetteer::Gazetteer;
use crate::model::side_choices::SideChoices;
use crate::scene::DatasetLayer;
use crate::scene::text::thousands;
use crate::view::Filters;

pub struct PendingLoad {
    pub path: PathBuf,
    pub control: Arc<LoadControl>,
    handle: Option<JoinHandle<Result<DatasetLayer, LoadError>>>,
    started: Instant,
}

/// A loaded dataset as the window shows it: a layer with the user's sides and its index built,
/// with what `filters` give it. What a loading thread does after the load; the benchmark times it
/// the same way.
pub fn indexed_layer(
    loaded: Loaded,
    choices: &SideChoices,
    filters: &Filters,
    control: &LoadControl,
) -> DatasetLayer {
    control.set_phase(Phase::Indexing);
    let mut layer = DatasetLayer::new(loaded);
    layer.apply_side_choices(choices);
    layer.build_index(filters);
    control.set_phase(Phase::Done);
    layer
}

impl PendingLoad {
    /// Starts loading `path` (with a user's column mapping for tables, when given), its
    /// claimants given the sides of `choices` and its index what `filters` give it (the window
    /// applies its choices again when the layer arrives: only a choice made meanwhile costs an
    /// index built on the window's thread, and only filters changed meanwhile a filter pass).
    pub fn start(
        path: PathBuf,
        mapping: Option<ColumnMapping>,
        choices: SideChoices,
        filters: Filters,
        ctx: egui::Context,
    ) -> PendingLoad {
        let control = LoadControl::new();
        let thread_control = control.clone();
        let thread_path = path.clone();
        let handle = std::thread::spawn(move || {
            let result = formats::load_path_controlled(
                &thread_path,
                Gazetteer::embedded(),
                &thread_control,
                mapping.as_ref(),
            )
            .map(|loaded| indexed_layer(loaded, &choices, &filters, &thread_control));
            ctx.request_repaint();
            result
        });
        PendingLoad {
            path,
            control,
            handle: Some(handle),
            started: Instant::now(),
        }
    }

    pub fn is_finished(&self) -> bool {
        self.handle.as_ref().is_none_or(|h| h.is_finished())
    }

    /// The result, once the thread has finished.
    pub fn take(&mut self) -> Option<Result<DatasetLayer, LoadError>> {
        if !self.is_finished() {
            return None;
        }
        let handle = self.handle.take()?;
        Some(handle.join().unwrap_or_else(|_| {
            Err(LoadError::Unreadable {
                path: self.path.display().to_string(),
                line: 0,
                column: 0,
                message: "the loader stopped unexpectedly".into(),
            })
        }))
    }

    pub fn cancel(&self) {
        self.control.cancel();
    }

    /// "Parsing · 38% · 120,000 rows · 95,000 rows/s".
    pub fn describe(&self) -> String {
        let s = self.control.snapshot();
        let seconds = self.started.elapsed().as_secs_f64().max(1e-3);
        let mb = |b: u64| b as f64 / 1_048_576.0;
        match s.phase {
            Phase::Reading => format!(
                "Reading · {:.0} of {:.0} MB",
                mb(s.bytes_done),
                mb(s.bytes_total)
            ),
            Phase::Parsing => format!(
                "Parsing · {:.0}% · {} rows · {} rows/s",
                s.fraction() * 100.0,
                thousands(s.rows),
                thousands((s.rows as f64 / seconds) as u64)
            ),
            Phase::Placing => format!("Placing · {} rows", thousands(s.rows)),
            Phase::Indexing => format!("Indexing · {} rows", thousands(s.rows)),
            Phase::Done => "Finishing".into(),
        }
    }

    pub fn fraction(&self) -> f32 {
        let s = self.control.snapshot();
        match s.phase {
            Phase::Reading => s.fraction() * 0.2,
            Phase::Parsing => 0.2 + s.fraction() * 0.75,
            Phase::Placing | Phase::Done => 0.95,
            Phase::Indexing => 0.97,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::{DateWindow, SideId};
    use crate::scene::derived::{Derived, LayerIndex};
    use crate::scene::styling::ColourBy;
    use crate::view::Filters;

    /// A fixture whose claimants speak for both parties, loaded as the window loads a file.
    fn load(choices: SideChoices) -> DatasetLayer {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/acled_sided.csv");
        let mut load = PendingLoad::start(
            path,
            None,
            choices,
            Filters::default(),
            egui::Context::default(),
        );
        loop {
            if let Some(result) = load.take() {
                return result.expect("the fixture loads");
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }

    /// The index the window's caches draw the first layer with.
    fn index_drawn(derived: &mut Derived, layers: &[DatasetLayer]) -> Arc<LayerIndex> {
        let datasets: Vec<_> = layers.iter().map(|l| &l.loaded.dataset).collect();
        let (from, to) = crate::view::extent(&datasets).expect("incidents");
        derived.refresh(layers, &Filters::default(), &[]);
        let visible = derived.visible(layers, DateWindow { from, to }, &ColourBy::Side);
        assert!(!visible.is_empty());
        Arc::clone(&visible.parts[0].index)
    }

    /// `index` is what the layer's dataset gives now, tone by tone and cell by cell.
    fn assert_fresh(index: &LayerIndex, layer: &DatasetLayer) {
        let fresh = LayerIndex::new(&layer.loaded.dataset);
        assert_eq!(index.columns, fresh.columns);
        for i in 0..fresh.columns.len() {
            assert_eq!(index.tone(i), fresh.tone(i), "incident {i}");
            assert_eq!(index.grid.cell_of(i), fresh.grid.cell_of(i), "incident {i}");
        }
    }

    /// A party claimant of the layer and another party side: choosing it changes tones.
    fn side_swap(layer: &DatasetLayer) -> (String, crate::model::Side) {
        let dataset = &layer.loaded.dataset;
        let party = |s: SideId| dataset.side(s).party;
        let claimant = dataset
            .claimants
            .iter()
            .find(|c| party(c.side))
            .expect("a claimant speaks for a party");
        let other = dataset
            .sides
            .iter()
            .enumerate()
            .find(|(i, s)| s.party && SideId(*i as u32) != claimant.side)
            .map(|(_, s)| s.clone())
            .expect("two parties");
        (claimant.name.to_string(), other)
    }

    #[test]
    fn a_load_arrives_indexed_and_the_window_draws_with_that_index() {
        let layer = load(SideChoices::default());
        assert_eq!(
            layer.index().map(|i| i.columns.len()),
            Some(layer.loaded.dataset.incidents().len()),
            "the loading thread built the index"
        );
        let built = Arc::clone(layer.index().expect("indexed"));
        assert_fresh(&built, &layer);
        let layers = vec![layer];
        let mut derived = Derived::default();
        assert!(
            Arc::ptr_eq(&index_drawn(&mut derived, &layers), &built),
            "the caches took the loading thread's index rather than building their own"
        );
    }

    #[test]
    fn an_edit_or_a_side_choice_builds_the_index_again() {
        let mut layers = vec![load(SideChoices::default())];
        let mut derived = Derived::default();
        let built = index_drawn(&mut derived, &layers);

        layers[0].edit(|_| ());
        assert!(layers[0].index().is_none(), "the edit let the old index go");
        let edited = index_drawn(&mut derived, &layers);
        assert!(!Arc::ptr_eq(&edited, &built));
        assert_fresh(&edited, &layers[0]);

        let (claimant, side) = side_swap(&layers[0]);
        let mut choices = SideChoices::default();
        choices.assign(&claimant, &side);
        assert!(layers[0].apply_side_choices(&choices));
        assert!(
            layers[0].index().is_none(),
            "the side choice let the old index go"
        );
        let chosen = index_drawn(&mut derived, &layers);
        assert!(!Arc::ptr_eq(&chosen, &edited));
        assert_fresh(&chosen, &layers[0]);
        let n = layers[0].loaded.dataset.incidents().len();
        assert!(
            (0..n).any(|i| chosen.tone(i) != edited.tone(i)),
            "the choice recoloured some marker"
        );
    }

    #[test]
    fn a_side_chosen_before_the_load_is_in_the_loading_threads_index() {
        let (claimant, side) = side_swap(&load(SideChoices::default()));
        let mut choices = SideChoices::default();
        choices.assign(&claimant, &side);
        let mut layer = load(choices.clone());
        let built = Arc::clone(layer.index().expect("indexed"));
        assert_fresh(&built, &layer);
        // What the window does when the layer arrives, its choices unchanged meanwhile.
        assert!(!layer.apply_side_choices(&choices));
        assert!(layer.index().is_some_and(|i| Arc::ptr_eq(i, &built)));
    }
}

/// What a loading thread derives for the window's filters — the filter pass, the slider's density
/// and the visible set of the whole range — is what the window derives itself when it must (a
/// layer edited, filters changed meanwhile), and what it derived before any of it moved to the
/// loading thread.
#[cfg(test)]
mod derived_on_the_loading_thread {
    use std::sync::Arc;

    use super::*;
    use crate::model::{DateWindow, Day};
    use crate::scene::derived::{Derived, VisibleSet};
    use crate::scene::styling::ColourBy;
    use crate::timeline::{BinSize, Density};
    use crate::view::{FilterPass, IncidentColumns};

    /// Generated ACLED rows and the reference dataset, loaded as the window loads files.
    fn loads() -> Vec<Loaded> {
        let mut bytes = Vec::new();
        crate::bench::acled_file::write_acled(&mut bytes, 3_000, 5).expect("generate");
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("acled.csv");
        std::fs::write(&path, &bytes).expect("write");
        let gazetteer = Gazetteer::embedded();
        vec![
            formats::load_path(&path, gazetteer).expect("the generated rows load"),
            formats::load_reference(gazetteer),
        ]
    }

    /// The default filters and some of each kind, from what `layers` hold.
    fn filter_sets(layers: &[DatasetLayer]) -> Vec<Filters> {
        let dataset = &layers[0].loaded.dataset;
        let party = dataset.sides.iter().find(|s| s.party).expect("a party");
        let first = &dataset.incidents()[0];
        let mut sets = vec![Filters::default()];
        let mut f = Filters::default();
        f.hidden_sides.insert(party.id.to_string());
        sets.push(f);
        let mut f = Filters::default();
        f.set_category_shown(&first.category, false);
        f.exact_dates_only = true;
        sets.push(f);
        sets.push(Filters {
            contested_only: true,
            ..Filters::default()
        });
        sets.push(Filters {
            text: "killed".into(),
            ..Filters::default()
        });
        sets
    }

    /// The layers as a load hands them over: indexed for `filters`.
    fn loaded_layers(filters: &Filters) -> Vec<DatasetLayer> {
        loads()
            .into_iter()
            .map(|l| indexed_layer(l, &SideChoices::default(), filters, &LoadControl::default()))
            .collect()
    }

    fn extent(layers: &[DatasetLayer]) -> DateWindow {
        let datasets: Vec<_> = layers.iter().map(|l| &l.loaded.dataset).collect();
        let (from, to) = crate::view::extent(&datasets).expect("incidents");
        DateWindow { from, to }
    }

    fn assert_same_visible(a: &VisibleSet, b: &VisibleSet, at: &str) {
        assert_eq!(a.len(), b.len(), "{at}: incidents");
        assert_eq!(a.claims(), b.claims(), "{at}: claims");
        assert_eq!(a.unlocated(), b.unlocated(), "{at}: unlocated");
        assert_eq!(a.slots, b.slots, "{at}: slots");
        assert_eq!(a.slot_counts, b.slot_counts, "{at}: slot counts");
        assert_eq!(a.parts.len(), b.parts.len(), "{at}: parts");
        for (p, q) in a.parts.iter().zip(&b.parts) {
            assert_eq!(p.layer, q.layer, "{at}");
            assert_eq!(p.indices, q.indices, "{at}: layer {}", p.layer);
            assert_eq!(p.candidates, q.candidates, "{at}: layer {}", p.layer);
            assert_eq!(p.tallies, q.tallies, "{at}: layer {}", p.layer);
        }
    }

    /// The slider's density as it was binned before its spans were grouped: each passing
    /// incident's share of each of its sides added one by one (`DensitySpans` before).
    fn density_share_by_share(
        layers: &[DatasetLayer],
        filters: &Filters,
        pass: &FilterPass,
        (from, to, bin): (Day, Day, BinSize),
    ) -> Vec<f32> {
        let mut ids: Vec<String> = Vec::new();
        let mut shares: Vec<(Day, Day, usize, f32)> = Vec::new();
        for (d, layer) in layers.iter().enumerate() {
            let dataset = &layer.loaded.dataset;
            let slot: Vec<usize> = dataset
                .sides
                .iter()
                .map(|s| match ids.iter().position(|id| **id == *s.id) {
                    Some(i) => i,
                    None => {
                        ids.push(s.id.to_string());
                        ids.len() - 1
                    }
                })
                .collect();
            let prepared = filters.prepare(dataset);
            let columns = IncidentColumns::new(dataset);
            for (i, _) in pass.of_dataset(d).iter().enumerate().filter(|(_, p)| **p) {
                let mut sides: Vec<_> = columns
                    .claimants(i)
                    .iter()
                    .filter(|&&c| prepared.claimant_visible_by_id(c))
                    .map(|&c| columns.side_of(c))
                    .collect();
                if sides.iter().any(|&s| columns.is_party(s)) {
                    sides.retain(|&s| columns.is_party(s));
                }
                sides.sort();
                sides.dedup();
                let weight = 1.0 / sides.len().max(1) as f32;
                for s in sides {
                    shares.push((columns.start(i), columns.end(i), slot[s.0 as usize], weight));
                }
            }
        }
        let (first, last) = (bin.bin_of(from), bin.bin_of(to));
        let bins = (last - first + 1) as usize;
        let sides = ids.len();
        let mut diff = vec![0.0f64; (bins + 1) * sides];
        for (start, end, side, weight) in shares {
            let (a, b) = (bin.bin_of(start), bin.bin_of(end));
            let (lo, hi) = (a.max(first), b.min(last));
            if lo > hi {
                continue;
            }
            let share = f64::from(weight) / (b - a + 1) as f64;
            diff[(lo - first) as usize * sides + side] += share;
            diff[(hi - first + 1) as usize * sides + side] -= share;
        }
        let mut running = vec![0.0f64; sides];
        let mut out = Vec::with_capacity(bins * sides);
        for b in 0..bins {
            for s in 0..sides {
                running[s] += diff[b * sides + s];
                out.push(running[s].max(0.0) as f32);
            }
        }
        out
    }

    fn stacks(density: &Density) -> Vec<f32> {
        (0..density.len())
            .flat_map(|i| density.stack(i).to_vec())
            .collect()
    }

    #[test]
    fn the_loading_threads_pass_density_and_visible_set_are_the_windows() {
        for filters in filter_sets(&loaded_layers(&Filters::default())) {
            let mut layers = loaded_layers(&filters);
            let whole = extent(&layers);
            let month = DateWindow {
                from: whole.from.add_days(400),
                to: whole.from.add_days(430),
            };
            let axes: Vec<(Day, Day, BinSize)> =
                [BinSize::Day, BinSize::Week, BinSize::Month, BinSize::Year]
                    .into_iter()
                    .map(|bin| (whole.from.add_days(-30), whole.to.add_days(30), bin))
                    .chain([(month.from, month.to, BinSize::Day)])
                    .collect();
            // Drawn from what the loading thread derived...
            let built_passes: Vec<Arc<FilterPass>> = layers
                .iter()
                .map(|l| {
                    let index = l.index().expect("indexed on the loading thread");
                    Arc::clone(&index.filtered(&filters).expect("for these filters").pass)
                })
                .collect();
            let mut built = Derived::default();
            built.refresh(&layers, &filters, &[]);
            let built_whole = built.visible(&layers, whole, &ColourBy::Side);
            let built_month = built.visible(&layers, month, &ColourBy::Side);
            for (d, layer) in layers.iter().enumerate() {
                let index = layer.index().expect("indexed on the loading thread");
                let own = index.filtered(&filters).expect("for these filters");
                assert!(
                    Arc::ptr_eq(&built_whole.parts[d].indices, &own.whole.indices),
                    "{filters:?}: layer {d}'s whole range was counted on its loading thread"
                );
            }
            let histogram = built.histogram().expect("refreshed");
            let built_density: Vec<Density> = axes
                .iter()
                .map(|&(from, to, bin)| histogram.density(from, to, bin).0.clone())
                .collect();
            // ...and by the window itself, the layers' indexes let go.
            for layer in &mut layers {
                layer.edit(|_| ());
            }
            let mut window = Derived::default();
            window.refresh(&layers, &filters, &[]);
            let own_whole = window.visible(&layers, whole, &ColourBy::Side);
            let own_month = window.visible(&layers, month, &ColourBy::Side);
            assert_same_visible(&built_whole, &own_whole, &format!("{filters:?}, all dates"));
            assert_same_visible(&built_month, &own_month, &format!("{filters:?}, a month"));
            // The filter pass as the window tested it before, on all the shown layers at once.
            let datasets: Vec<_> = layers.iter().map(|l| &l.loaded.dataset).collect();
            let before = FilterPass::new(&datasets, &filters);
            assert_eq!(before.count(), built_whole.len(), "{filters:?}");
            for (d, built) in built_passes.iter().enumerate() {
                assert_eq!(built.of_dataset(0), before.of_dataset(d), "{filters:?}");
            }
            let histogram = window.histogram().expect("refreshed");
            for (axis, built) in axes.iter().zip(&built_density) {
                let (own, _) = histogram.density(axis.0, axis.1, axis.2);
                assert_eq!(built, own, "{filters:?}, {axis:?}");
                // Grouped shares are added in another order than one by one: equal to within
                // the rounding of the f32 counts.
                let one_by_one = density_share_by_share(&layers, &filters, &before, *axis);
                let grouped = stacks(built);
                assert_eq!(grouped.len(), one_by_one.len(), "{filters:?}, {axis:?}");
                for (g, o) in grouped.iter().zip(&one_by_one) {
                    assert!(
                        (g - o).abs() <= 1e-5 * o.abs().max(1.0),
                        "{filters:?}, {axis:?}: {g} against {o}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_window_short_of_the_whole_range_or_other_filters_are_counted_by_the_window() {
        let layers = loaded_layers(&Filters::default());
        let whole = extent(&layers);
        let mut derived = Derived::default();
        derived.refresh(&layers, &Filters::default(), &[]);
        // The day after the first layer's earliest end: some of its incidents are left out.
        let earliest_end = layers[0]
            .loaded
            .dataset
            .incidents()
            .iter()
            .map(|i| i.date.end())
            .min()
            .expect("incidents");
        let short = DateWindow {
            from: earliest_end.add_days(1),
            to: whole.to,
        };
        let visible = derived.visible(&layers, short, &ColourBy::Side);
        let index = layers[0].index().expect("indexed");
        let own = index.filtered(&Filters::default()).expect("built");
        assert!(!Arc::ptr_eq(&visible.parts[0].indices, &own.whole.indices));
        let other = Filters {
            contested_only: true,
            ..Filters::default()
        };
        assert!(index.filtered(&other).is_none());
        derived.refresh(&layers, &other, &[]);
        let visible = derived.visible(&layers, whole, &ColourBy::Side);
        assert!(!Arc::ptr_eq(&visible.parts[0].indices, &own.whole.indices));
        // A record standing down for another copies the pass: the counts are the window's.
        derived.refresh(&layers, &Filters::default(), &[(layers[0].id, 0)]);
        let visible = derived.visible(&layers, whole, &ColourBy::Side);
        assert!(!Arc::ptr_eq(&visible.parts[0].indices, &own.whole.indices));
        assert!(!visible.parts[0].indices.contains(&0));
        assert_eq!(
            own.pass.of_dataset(0).first(),
            Some(&true),
            "the index keeps its pass"
        );
    }
}
