//! Loading datasets on a background thread, so the window stays responsive while a large file
//! is read, with progress (bytes, rows per second) and Cancel.

use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

use crate::formats::progress::{LoadControl, Phase};
use crate::formats::{self, ColumnMapping, LoadError, Loaded};
use crate::gazetteer::Gazetteer;
use crate::scene::text::thousands;

pub struct PendingLoad {
    pub path: PathBuf,
    pub control: Arc<LoadControl>,
    handle: Option<JoinHandle<Result<Loaded, LoadError>>>,
    started: Instant,
}

impl PendingLoad {
    /// Starts loading `path` (with a user's column mapping for tables, when given).
    pub fn start(path: PathBuf, mapping: Option<ColumnMapping>, ctx: egui::Context) -> PendingLoad {
        let control = LoadControl::new();
        let thread_control = control.clone();
        let thread_path = path.clone();
        let handle = std::thread::spawn(move || {
            let result = formats::load_path_controlled(
                &thread_path,
                Gazetteer::embedded(),
                &thread_control,
                mapping.as_ref(),
            );
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
    pub fn take(&mut self) -> Option<Result<Loaded, LoadError>> {
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
            Phase::Done => "Finishing".into(),
        }
    }

    pub fn fraction(&self) -> f32 {
        let s = self.control.snapshot();
        match s.phase {
            Phase::Reading => s.fraction() * 0.2,
            Phase::Parsing => 0.2 + s.fraction() * 0.75,
            Phase::Placing | Phase::Done => 0.95,
        }
    }
}
