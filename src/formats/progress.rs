//! Progress and cancellation of a load that runs on another thread: the window shows bytes and
//! rows as they go and can stop a load of a file it no longer wants.
//!
//! The loaders report through [`tick`], which reads the control of the load running on the
//! current thread (set by [`with_control`]), so the format readers need no extra parameter and a
//! load with no control costs one thread-local read per few thousand rows.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};

/// What a load is doing.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Phase {
    Reading,
    Parsing,
    Placing,
    /// The window builds the loaded dataset's index (after the load proper).
    Indexing,
    Done,
}

/// Shared between the loading thread and the window.
#[derive(Debug, Default)]
pub struct LoadControl {
    bytes_total: AtomicU64,
    bytes_done: AtomicU64,
    rows: AtomicU64,
    phase: AtomicU8,
    cancelled: AtomicBool,
}

/// A consistent-enough reading of a load's progress.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct Snapshot {
    pub phase: Phase,
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub rows: u64,
}

impl Snapshot {
    /// Fraction done, from bytes.
    pub fn fraction(&self) -> f32 {
        if self.bytes_total == 0 {
            return 0.0;
        }
        (self.bytes_done as f64 / self.bytes_total as f64).clamp(0.0, 1.0) as f32
    }
}

impl LoadControl {
    pub fn new() -> Arc<LoadControl> {
        Arc::new(LoadControl::default())
    }

    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    pub(crate) fn set_phase(&self, phase: Phase) {
        self.phase.store(phase as u8, Ordering::Relaxed);
    }

    pub(crate) fn set_total(&self, bytes: u64) {
        self.bytes_total.store(bytes, Ordering::Relaxed);
    }

    pub(crate) fn set_done(&self, bytes: u64) {
        self.bytes_done.store(bytes, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> Snapshot {
        let phase = match self.phase.load(Ordering::Relaxed) {
            0 => Phase::Reading,
            1 => Phase::Parsing,
            2 => Phase::Placing,
            3 => Phase::Indexing,
            _ => Phase::Done,
        };
        Snapshot {
            phase,
            bytes_done: self.bytes_done.load(Ordering::Relaxed),
            bytes_total: self.bytes_total.load(Ordering::Relaxed),
            rows: self.rows.load(Ordering::Relaxed),
        }
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<LoadControl>>> = const { RefCell::new(None) };
}

/// Runs a load with `control` as the current thread's load control.
pub fn with_control<R>(control: &Arc<LoadControl>, load: impl FnOnce() -> R) -> R {
    let previous = CURRENT.with(|c| c.replace(Some(control.clone())));
    let result = load();
    CURRENT.with(|c| *c.borrow_mut() = previous);
    result
}

/// Runs a part of a load on another thread under the load's control, if it has one.
pub(crate) fn maybe_with_control<R>(
    control: Option<&Arc<LoadControl>>,
    load: impl FnOnce() -> R,
) -> R {
    match control {
        Some(control) => with_control(control, load),
        None => load(),
    }
}

/// Reports that parsing reached byte `position` after `rows` records; `false` means the load was
/// cancelled and the reader should stop.
pub(crate) fn tick(position: u64, rows: u64) -> bool {
    CURRENT.with(|c| match &*c.borrow() {
        Some(control) => {
            control.set_phase(Phase::Parsing);
            control.bytes_done.store(position, Ordering::Relaxed);
            control.rows.store(rows, Ordering::Relaxed);
            !control.is_cancelled()
        }
        None => true,
    })
}

/// Reports that a reader, one of several reading parts of a file, parsed `bytes` more bytes and
/// `rows` more records; `false` means the load was cancelled and the reader should stop.
pub(crate) fn tick_add(bytes: u64, rows: u64) -> bool {
    CURRENT.with(|c| match &*c.borrow() {
        Some(control) => {
            control.set_phase(Phase::Parsing);
            control.bytes_done.fetch_add(bytes, Ordering::Relaxed);
            control.rows.fetch_add(rows, Ordering::Relaxed);
            !control.is_cancelled()
        }
        None => true,
    })
}

/// The current load's control, for phases and the final check.
pub(crate) fn current() -> Option<Arc<LoadControl>> {
    CURRENT.with(|c| c.borrow().clone())
}

/// How often the readers report: every this many records.
pub(crate) const TICK_EVERY: u64 = 2048;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_reach_the_current_control_only() {
        assert!(tick(10, 1), "no control: never cancelled");
        let control = LoadControl::new();
        control.set_total(100);
        with_control(&control, || {
            assert!(tick(50, 7));
            control.cancel();
            assert!(!tick(60, 8));
        });
        let s = control.snapshot();
        assert_eq!((s.bytes_done, s.rows, s.phase), (60, 8, Phase::Parsing));
        assert!((s.fraction() - 0.6).abs() < 1e-6);
        assert!(tick(70, 9), "the control is gone after the load");
    }
}
