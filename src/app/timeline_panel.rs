//! The date slider along the bottom: the density of incidents over time stacked by side, the
//! selected window drawn over it and dragged as a whole or by either edge, a zoomable time axis,
//! presets, typed dates, and playback. The logic (presets, moves, binning, playback) lives in
//! [`crate::timeline`]; this module only paints it and turns input into calls.

use egui::{
    Align2, Color32, CornerRadius, FontId, Pos2, Rect, RichText, Sense, Stroke, Ui, pos2, vec2,
};

use crate::model::{DateWindow, Day};
use crate::scene::{Histogram, colour};
use crate::timeline::{self, BinSize, Extent, Playback, PlaybackMode, Preset};

/// Height of the histogram strip, in points.
const STRIP_HEIGHT: f32 = 64.0;
/// How close to a window edge a drag grabs the edge rather than the whole window.
const EDGE_GRAB: f32 = 6.0;
/// The axis never zooms in past this many days across the strip.
const MIN_VIEW_DAYS: f64 = 7.0;
const WINDOW_FILL: Color32 = Color32::from_rgba_premultiplied(40, 90, 160, 50);
const WINDOW_EDGE: Color32 = Color32::from_rgb(40, 90, 160);

#[derive(Copy, Clone, PartialEq, Debug)]
enum Drag {
    Move { grab_days: i64 },
    Start,
    End,
}

/// What the slider holds between frames.
pub struct Timeline {
    pub window: DateWindow,
    pub preset: Preset,
    pub playback: Playback,
    /// The days the axis spans, fractional so zooming is smooth.
    view: Option<(f64, f64)>,
    from_text: String,
    to_text: String,
    drag: Option<Drag>,
    typed_error: bool,
    /// Where the strip was drawn last, for pointer tests: (rect, first day, last day) of the axis.
    last_strip: Option<(Rect, f64, f64)>,
}

fn speed_label(days_per_second: f64) -> String {
    match days_per_second as i64 {
        1 => "1 day/s".into(),
        7 => "1 week/s".into(),
        30 => "1 month/s".into(),
        91 => "1 quarter/s".into(),
        365 => "1 year/s".into(),
        n => format!("{n} days/s"),
    }
}

impl Timeline {
    pub fn new(window: DateWindow, preset: Preset, playback: Playback) -> Timeline {
        Timeline {
            window,
            preset,
            playback,
            view: None,
            from_text: window.from.to_string(),
            to_text: window.to.to_string(),
            drag: None,
            typed_error: false,
            last_strip: None,
        }
    }

    fn sync_text(&mut self) {
        self.from_text = self.window.from.to_string();
        self.to_text = self.window.to.to_string();
    }

    pub fn set_window(&mut self, window: DateWindow) {
        self.window = window;
        self.sync_text();
    }

    /// Keyboard: Space play/pause; ←/→ step by the window's length, with Shift by a day; Home/End.
    /// The map takes the arrow keys while the pointer is over it.
    pub fn keyboard(&mut self, ui: &Ui, extent: Extent, map_hovered: bool) {
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let (space, left, right, shift, home, end) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::Space),
                i.key_pressed(egui::Key::ArrowLeft),
                i.key_pressed(egui::Key::ArrowRight),
                i.modifiers.shift,
                i.key_pressed(egui::Key::Home),
                i.key_pressed(egui::Key::End),
            )
        });
        let mut window = self.window;
        if space {
            window = self.playback.toggle(window, extent);
        }
        if !map_hovered || shift {
            for (pressed, forward) in [(left, false), (right, true)] {
                if pressed {
                    window = if shift {
                        timeline::window::step_by_day(window, forward)
                    } else {
                        timeline::window::step_by_length(window, forward)
                    };
                }
            }
        }
        if home {
            window = timeline::window::home(window, extent);
        }
        if end {
            window = timeline::window::end(window, extent);
        }
        if window != self.window {
            self.set_user_window(window, extent);
        }
    }

    /// Moves the window on by playback; returns whether it is playing.
    pub fn animate(&mut self, ui: &Ui, extent: Extent) -> bool {
        if !self.playback.playing {
            return false;
        }
        let dt = f64::from(ui.input(|i| i.stable_dt)).min(0.1);
        let window = self.playback.advance(self.window, extent, dt);
        self.set_window(window);
        ui.ctx().request_repaint();
        self.playback.playing
    }

    /// Two rows that never wrap, whatever the width, so the bar's height — and the map above
    /// it — never jumps: playback and presets, then the typed dates and the window in words
    /// (cut short with an ellipsis, whole on hover). What does not fit a narrow window is
    /// clipped at its right end.
    fn controls(&mut self, ui: &mut Ui, extent: Extent) {
        ui.horizontal(|ui| {
            // Short, so the row fits an 800-point window; the key is on hover.
            let play = if self.playback.playing {
                "Pause"
            } else {
                "Play"
            };
            if ui.button(play).on_hover_text("Space").clicked() {
                let window = self.playback.toggle(self.window, extent);
                self.set_window(window);
            }
            let speed_caption = ui.label("Speed");
            let _ = egui::ComboBox::from_id_salt("speed")
                .selected_text(speed_label(self.playback.speed))
                .show_ui(ui, |ui| {
                    for speed in timeline::playback::SPEEDS {
                        ui.selectable_value(&mut self.playback.speed, speed, speed_label(speed));
                    }
                })
                .response
                .labelled_by(speed_caption.id);
            ui.checkbox(&mut self.playback.looping, "Loop");
            ui.radio_value(&mut self.playback.mode, PlaybackMode::Sliding, "Sliding");
            ui.radio_value(
                &mut self.playback.mode,
                PlaybackMode::Cumulative,
                "Cumulative",
            );
            ui.separator();
            // A preset reads as chosen only while the window still is what it made; a typed or
            // dragged window of another length shows none.
            let current = self.preset.ending_at(self.window.to, extent) == self.window;
            for preset in Preset::ALL {
                if ui
                    .selectable_label(current && self.preset == preset, preset.label())
                    .clicked()
                {
                    self.preset = preset;
                    let window = preset.ending_at(self.window.to.min(extent.1), extent);
                    self.set_window(window);
                }
            }
        });
        ui.horizontal(|ui| {
            let from_label = ui.label("From");
            let from = ui
                .add(egui::TextEdit::singleline(&mut self.from_text).desired_width(86.0))
                .labelled_by(from_label.id);
            let to_label = ui.label("to");
            let to = ui
                .add(egui::TextEdit::singleline(&mut self.to_text).desired_width(86.0))
                .labelled_by(to_label.id);
            let enter = (from.lost_focus() || to.lost_focus())
                && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui.button("Set").clicked() || enter {
                match (
                    timeline::window::parse_day(&self.from_text),
                    timeline::window::parse_day(&self.to_text),
                ) {
                    (Some(from), Some(to)) if from <= to => {
                        self.typed_error = false;
                        self.set_user_window(DateWindow { from, to }, extent);
                    }
                    _ => self.typed_error = true,
                }
            }
            ui.separator();
            // One line either way: the error in place of the window in words.
            let line = if self.typed_error {
                RichText::new("Dates as 2021-05-26, 26 May 2021 or 26/05/2021; from before to")
                    .color(ui.visuals().error_fg_color)
            } else {
                RichText::new(timeline::window::describe(&self.window)).strong()
            };
            ui.add(egui::Label::new(line).truncate());
        });
    }

    /// A window the user made (typed, dragged, clicked, stepped to): no longer "All" unless it
    /// is the whole extent, so it is neither widened by a layer opened later nor forgotten at
    /// the next start (where "All" means the data's extent, whatever it is by then). It keeps
    /// the preset of the nearest length, which Play and the preset buttons start from.
    fn set_user_window(&mut self, window: DateWindow, extent: Extent) {
        self.set_window(window);
        if self.preset == Preset::All && (window.from, window.to) != extent {
            self.preset = nearest_preset(timeline::window::length_days(&window), extent);
        }
    }

    /// Shows `[from, to]` on the axis (the data's extent when layers change), with a margin of a
    /// twentieth on each side.
    pub fn focus_axis(&mut self, from: Day, to: Day) {
        let (a, b) = (f64::from(from.0), f64::from(to.0 + 1));
        let margin = ((b - a) / 20.0).max(2.0);
        self.view = Some((a - margin, b + margin));
    }

    /// The screen position of a day on the strip as last drawn (its vertical middle).
    pub fn position_of(&self, day: Day) -> Option<Pos2> {
        let (strip, v0, v1) = self.last_strip?;
        let x = strip.left() + ((f64::from(day.0) + 0.5 - v0) / (v1 - v0)) as f32 * strip.width();
        Some(pos2(x, strip.center().y))
    }

    /// Draws the slider. `selected` is the selected incident's interval, drawn as a span.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        extent: Extent,
        histogram: &mut Histogram,
        selected: Option<(Day, Day)>,
    ) {
        // The strip's width is the panel's, whatever the controls above it need.
        let width = ui.available_width();
        self.controls(ui, extent);
        let (rect, response) =
            ui.allocate_exact_size(vec2(width, STRIP_HEIGHT + 18.0), Sense::click_and_drag());
        let strip = Rect::from_min_size(rect.min, vec2(rect.width(), STRIP_HEIGHT));
        let full = (f64::from(extent.0.0), f64::from(extent.1.0 + 1));
        let (mut v0, mut v1) = self.view.unwrap_or((full.0 - 1.0, full.1 + 1.0));
        // The window is always on the axis: Home, End, a typed window or playback that leave
        // it pan the axis (and widen it, for a window longer than it) to take it in.
        let (w0, w1) = (
            f64::from(self.window.from.0),
            f64::from(self.window.to.0 + 1),
        );
        if self.drag.is_none() && (w0 < v0 || w1 > v1) {
            let span = (v1 - v0).max((w1 - w0) * 1.1);
            (v0, v1) = if w0 < v0 {
                (w0 - span * 0.05, w0 - span * 0.05 + span)
            } else {
                (w1 + span * 0.05 - span, w1 + span * 0.05)
            };
        }
        // Wheel zooms around the pointer.
        if let Some(pointer) = response.hover_pos() {
            // Horizontal scrolling (or Shift+wheel) pans the axis.
            let pan = ui.input(|i| i.smooth_scroll_delta.x);
            if pan != 0.0 {
                let days = f64::from(pan / strip.width()) * (v1 - v0);
                v0 -= days;
                v1 -= days;
            }
            let scroll = ui.input(|i| i.smooth_scroll_delta.y);
            if scroll != 0.0 {
                let at = v0 + f64::from((pointer.x - strip.left()) / strip.width()) * (v1 - v0);
                let factor = (-f64::from(scroll) / 200.0).exp();
                let span = ((v1 - v0) * factor).clamp(
                    MIN_VIEW_DAYS,
                    (full.1 - full.0 + 2.0).max(MIN_VIEW_DAYS) * 4.0,
                );
                let t = (at - v0) / (v1 - v0);
                v0 = at - t * span;
                v1 = v0 + span;
            }
        }
        self.view = Some((v0, v1));
        self.last_strip = Some((strip, v0, v1));
        let x_of = |day: f64| strip.left() + ((day - v0) / (v1 - v0)) as f32 * strip.width();
        let day_at = |x: f32| {
            Day((v0 + f64::from((x - strip.left()) / strip.width()) * (v1 - v0)).floor() as i32)
        };
        let painter = ui.painter_at(rect);
        painter.rect_filled(strip, CornerRadius::same(2), ui.visuals().extreme_bg_color);

        // The histogram.
        let first = Day(v0.floor() as i32);
        let last = Day(v1.ceil() as i32);
        let bin = BinSize::for_view(i64::from(last.0 - first.0), strip.width());
        let (density, spans) = histogram.density(first, last, bin);
        let max = density.max_total().max(1e-6);
        for i in 0..density.len() {
            let (d0, d1) = density.bin_days(i);
            let (x0, x1) = (x_of(f64::from(d0.0)), x_of(f64::from(d1.0 + 1)));
            let mut y = strip.bottom();
            for (s, count) in density.stack(i).iter().enumerate() {
                if *count <= 0.0 {
                    continue;
                }
                let h = count / max * (STRIP_HEIGHT - 6.0);
                let colour = spans
                    .sides()
                    .get(s)
                    .map_or(Color32::GRAY, |side| colour(side.colour));
                painter.rect_filled(
                    Rect::from_min_max(pos2(x0, y - h), pos2(x1.max(x0 + 1.0), y)),
                    0.0,
                    colour,
                );
                y -= h;
            }
        }

        // The selected incident's interval: a span, honest about its precision.
        if let Some((start, end)) = selected {
            let span = Rect::from_min_max(
                pos2(x_of(f64::from(start.0)), strip.top() + 2.0),
                pos2(
                    x_of(f64::from(end.0 + 1)).max(x_of(f64::from(start.0)) + 2.0),
                    strip.top() + 8.0,
                ),
            );
            painter.rect_filled(span, 2.0, Color32::from_rgb(0xd0, 0x50, 0x10));
        }

        // The window.
        let wx0 = x_of(f64::from(self.window.from.0));
        let wx1 = x_of(f64::from(self.window.to.0 + 1)).max(wx0 + 2.0);
        let window_rect = Rect::from_min_max(pos2(wx0, strip.top()), pos2(wx1, strip.bottom()));
        painter.rect_filled(window_rect, 0.0, WINDOW_FILL);
        painter.line_segment(
            [window_rect.left_top(), window_rect.left_bottom()],
            Stroke::new(2.0, WINDOW_EDGE),
        );
        painter.line_segment(
            [window_rect.right_top(), window_rect.right_bottom()],
            Stroke::new(2.0, WINDOW_EDGE),
        );

        // Dragging: an edge resizes, the inside moves, elsewhere recentres.
        if response.drag_started()
            && let Some(p) = response.interact_pointer_pos()
        {
            let day = day_at(p.x);
            self.drag = Some(if (p.x - wx0).abs() <= EDGE_GRAB {
                Drag::Start
            } else if (p.x - wx1).abs() <= EDGE_GRAB {
                Drag::End
            } else if p.x > wx0 && p.x < wx1 {
                Drag::Move {
                    grab_days: i64::from(day.0 - self.window.from.0),
                }
            } else {
                let length = timeline::window::length_days(&self.window);
                let from = day.add_days(-(length as i32) / 2);
                self.set_user_window(
                    DateWindow {
                        from,
                        to: from.add_days(length as i32 - 1),
                    },
                    extent,
                );
                Drag::Move {
                    grab_days: length / 2,
                }
            });
        }
        if response.dragged()
            && let (Some(drag), Some(p)) = (self.drag, response.interact_pointer_pos())
        {
            let day = day_at(p.x);
            let w = self.window;
            let window = match drag {
                Drag::Start => DateWindow {
                    from: day.min(w.to),
                    to: w.to,
                },
                Drag::End => DateWindow {
                    from: w.from,
                    to: day.max(w.from),
                },
                Drag::Move { grab_days } => {
                    timeline::window::shift(w, i64::from(day.0) - grab_days - i64::from(w.from.0))
                }
            };
            self.set_user_window(window, extent);
        }
        if response.drag_stopped() {
            self.drag = None;
        }
        if response.clicked()
            && let Some(p) = response.interact_pointer_pos()
            && !window_rect.contains(p)
        {
            let length = timeline::window::length_days(&self.window);
            let from = day_at(p.x).add_days(-(length as i32) / 2);
            self.set_user_window(
                DateWindow {
                    from,
                    to: from.add_days(length as i32 - 1),
                },
                extent,
            );
        }
        if let Some(p) = response.hover_pos() {
            let cursor = if (p.x - wx0).abs() <= EDGE_GRAB || (p.x - wx1).abs() <= EDGE_GRAB {
                egui::CursorIcon::ResizeHorizontal
            } else {
                egui::CursorIcon::Grab
            };
            ui.ctx().set_cursor_icon(cursor);
        }

        axis(&painter, strip, v0, v1, ui.visuals().text_color());
    }
}

/// The preset whose length is nearest `days` (by ratio): what a typed window of that length is
/// taken as when it stops being "All".
fn nearest_preset(days: i64, extent: Extent) -> Preset {
    let days = days.max(1) as f64;
    Preset::ALL
        .into_iter()
        .filter(|p| *p != Preset::All)
        .min_by(|a, b| {
            let off = |p: &Preset| {
                let length = timeline::window::length_days(&p.ending_at(extent.1, extent)) as f64;
                (length.max(1.0) / days).ln().abs()
            };
            off(a).total_cmp(&off(b))
        })
        .unwrap_or_default()
}

/// Ticks and labels: years, months or days, whichever fit.
fn axis(painter: &egui::Painter, strip: Rect, v0: f64, v1: f64, colour: Color32) {
    use chrono::Datelike;
    let span = v1 - v0;
    let x_of = |day: f64| strip.left() + ((day - v0) / span) as f32 * strip.width();
    let font = FontId::proportional(11.0);
    let y = strip.bottom();
    let mut day = Day(v0.floor() as i32);
    let end = Day(v1.ceil() as i32);
    let px_per_day = strip.width() as f64 / span;
    let mut last_label_x = f32::NEG_INFINITY;
    while day <= end {
        let date = day.to_naive();
        // A label is formatted only for a tick that gets one: the axis walks every day of its
        // span (thousands over the whole range) each frame.
        let (tick, label): (bool, fn(chrono::NaiveDate) -> String) = if px_per_day * 365.0 < 60.0 {
            // Years only, every few.
            let every = ((60.0 / (px_per_day * 365.0)).ceil() as i32).max(1);
            (date.ordinal() == 1 && date.year() % every == 0, |d| {
                d.year().to_string()
            })
        } else if px_per_day * 30.0 < 50.0 {
            (date.day() == 1 && date.month0().is_multiple_of(3), |d| {
                d.format("%b %Y").to_string()
            })
        } else if px_per_day < 18.0 {
            (date.day() == 1, |d| d.format("%b %Y").to_string())
        } else {
            (true, |d| d.format("%d %b").to_string())
        };
        if tick {
            let x = x_of(f64::from(day.0));
            painter.line_segment([pos2(x, y), pos2(x, y + 4.0)], Stroke::new(1.0, colour));
            if x - last_label_x > 56.0 {
                painter.text(
                    Pos2::new(x + 2.0, y + 3.0),
                    Align2::LEFT_TOP,
                    label(date),
                    font.clone(),
                    colour,
                );
                last_label_x = x;
            }
        }
        day = day.add_days(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The labels the axis writes under a strip `width` points wide spanning `from` to `to`.
    fn labels(from: &str, to: &str, width: f32) -> Vec<String> {
        let day = |s: &str| f64::from(Day::parse_iso(s).expect("a date").0);
        let ctx = egui::Context::default();
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let strip = Rect::from_min_size(pos2(0.0, 0.0), vec2(width, STRIP_HEIGHT));
            let painter = ui.painter().clone();
            axis(&painter, strip, day(from), day(to), Color32::BLACK);
        });
        // No renderer takes the font atlas here; a debug build asserts that someone did.
        output.textures_delta.clear();
        output
            .shapes
            .iter()
            .filter_map(|clipped| match &clipped.shape {
                egui::Shape::Text(text) => Some(text.galley.text().to_owned()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_axis_labels_years_months_or_days_by_the_room_it_has() {
        // 20 points a year: every fourth year, so that labels stand 60 points apart.
        let years: Vec<String> = (1992..=2020).step_by(4).map(|y| y.to_string()).collect();
        assert_eq!(labels("1990-01-01", "2020-01-01", 600.0), years);
        let months: Vec<String> = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]
            .into_iter()
            .chain(["Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
            .map(|m| format!("{m} 2021"))
            .chain(["Jan 2022".to_owned()])
            .collect();
        assert_eq!(labels("2021-01-01", "2022-01-01", 1600.0), months);
        let days: Vec<String> = (1..=15).map(|d| format!("{d:02} May")).collect();
        assert_eq!(labels("2021-05-01", "2021-05-15", 1600.0), days);
        // Quarters, every other one labelled where they stand 50 points apart.
        let quarters = labels("2015-01-01", "2023-01-01", 1600.0);
        assert_eq!(quarters.first().map(String::as_str), Some("Jan 2015"));
        assert_eq!(quarters.get(1).map(String::as_str), Some("Jul 2015"));
        assert_eq!(quarters.len(), 17, "{quarters:?}");
    }
}
