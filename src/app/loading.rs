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
