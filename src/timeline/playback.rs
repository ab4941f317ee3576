//! Playback: the window moves forward through the data at a set number of days per second.
//!
//! The playhead is the window's last day. Wall time is turned into whole days and the fraction
//! is carried to the next frame, so the same frame times give the same windows (deterministic,
//! and no drift at 60 frames a second and one day per second).

use serde::{Deserialize, Serialize};

use crate::model::DateWindow;

use super::window::{self, Extent};

/// How the window moves.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
pub enum Mode {
    /// A window of fixed length slides forward.
    #[default]
    Sliding,
    /// The window runs from the first day of the data to the playhead, and grows.
    Cumulative,
}

/// The speeds offered, in days of data per second of wall time.
pub const SPEEDS: [f64; 6] = [1.0, 7.0, 30.0, 91.0, 365.0, 3652.0];

/// The play state and its settings; speed, loop and mode are remembered, playing is not.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Playback {
    #[serde(skip)]
    pub playing: bool,
    /// Days of data per second of wall time.
    pub speed: f64,
    /// At the end, start again from the beginning instead of stopping.
    pub looping: bool,
    pub mode: Mode,
    /// Days earned but not yet moved, in [0, 1).
    #[serde(skip)]
    carry: f64,
}

impl Default for Playback {
    fn default() -> Self {
        Playback {
            playing: false,
            speed: 30.0,
            looping: false,
            mode: Mode::default(),
            carry: 0.0,
        }
    }
}

impl Playback {
    /// Space: pause, or play. Playing brings the window inside the data, and from the end of the
    /// data starts again from the beginning, as a player does; the window to show is returned.
    pub fn toggle(&mut self, window: DateWindow, extent: Extent) -> DateWindow {
        if self.playing {
            self.pause();
            return window;
        }
        self.playing = true;
        self.carry = 0.0;
        let window = match self.mode {
            Mode::Sliding => window::clamp(window, extent),
            Mode::Cumulative => DateWindow {
                from: extent.0,
                to: window.to.clamp(extent.0, extent.1),
            },
        };
        if window.to >= extent.1 {
            self.restart(window, extent)
        } else {
            window
        }
    }

    pub fn pause(&mut self) {
        self.playing = false;
        self.carry = 0.0;
    }

    /// The window after `dt_seconds` of wall time. Paused, it is the window unchanged. Past the
    /// end of the data it loops to the start, or stops with the playhead on the last day.
    pub fn advance(&mut self, window: DateWindow, extent: Extent, dt_seconds: f64) -> DateWindow {
        if !self.playing {
            return window;
        }
        debug_assert!(extent.0 <= extent.1, "extent reversed");
        let earned = self.carry + self.speed * dt_seconds;
        let earned = if earned.is_finite() {
            earned.max(0.0)
        } else {
            0.0
        };
        let whole = earned.floor();
        self.carry = earned - whole;
        debug_assert!((0.0..1.0).contains(&self.carry));
        // The extent plus a window reaches the end from anywhere; more would only overflow.
        let cap = window::length_days(&DateWindow {
            from: extent.0,
            to: extent.1,
        }) + window::length_days(&window);
        let days = (whole as i64).min(cap);
        if days == 0 {
            return window;
        }
        let moved = match self.mode {
            Mode::Sliding => window::shift(window, days),
            Mode::Cumulative => DateWindow {
                from: extent.0,
                to: window::shift(window, days).to,
            },
        };
        if moved.to <= extent.1 {
            return moved;
        }
        if self.looping && window.to >= extent.1 {
            // Already showing the end: wrap round.
            return self.restart(window, extent);
        }
        if !self.looping {
            self.pause();
        }
        // Show the end first, so the last days are seen before stopping or looping.
        match self.mode {
            Mode::Sliding => window::end(window, extent),
            Mode::Cumulative => DateWindow {
                from: extent.0,
                to: extent.1,
            },
        }
    }

    /// The window at the beginning of the data: the same length from the first day (sliding), or
    /// the first day alone (cumulative).
    fn restart(&mut self, window: DateWindow, extent: Extent) -> DateWindow {
        self.carry = 0.0;
        match self.mode {
            Mode::Sliding => window::home(window, extent),
            Mode::Cumulative => DateWindow {
                from: extent.0,
                to: extent.0,
            },
        }
    }

    /// The next speed up (or down) the presets from the current one.
    pub fn step_speed(&mut self, faster: bool) {
        let speed = self.speed;
        self.speed = if faster {
            SPEEDS.iter().copied().find(|&s| s > speed).unwrap_or(speed)
        } else {
            SPEEDS
                .iter()
                .rev()
                .copied()
                .find(|&s| s < speed)
                .unwrap_or(speed)
        };
    }
}
