//! A date range as a film: the window slides step by step, each window is rendered as a still
//! (its dates in the title block), and the stills are written as numbered PNGs and as one APNG.

use std::path::{Path, PathBuf};

use chrono::Months;

use crate::formats::{AtomicDir, AtomicFile};
use crate::model::{DateWindow, Day};

use super::png_file::{self, Metadata};
use super::render::{ExportError, ExportSpec, Picture, render};

/// More frames than this is a mistake in the step, not a film anyone will watch.
pub const MAX_FRAMES: usize = 2000;
/// How long each window stays on screen in the animation, in milliseconds.
pub const FRAME_MS: u16 = 700;

/// How far the window moves between frames; it is also the window's length.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Step {
    Days(u32),
    Months(u32),
}

impl Step {
    /// `7d`, `2w`, `1m`, `3m`, `1y`, or `day`, `week`, `month`, `quarter`, `year`.
    pub fn parse(text: &str) -> Result<Step, String> {
        let t = text.trim().to_ascii_lowercase();
        let named = match t.as_str() {
            "day" => Some(Step::Days(1)),
            "week" => Some(Step::Days(7)),
            "month" => Some(Step::Months(1)),
            "quarter" => Some(Step::Months(3)),
            "year" => Some(Step::Months(12)),
            _ => None,
        };
        if let Some(step) = named {
            return Ok(step);
        }
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (count, unit) = t.split_at(split);
        let count: u32 = count.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
            format!("{text:?}: a step is a count and a unit, like 7d, 2w, 1m or 1y")
        })?;
        match unit {
            "d" => Ok(Step::Days(count)),
            "w" => Ok(Step::Days(count * 7)),
            "m" => Ok(Step::Months(count)),
            "q" => Ok(Step::Months(count * 3)),
            "y" => Ok(Step::Months(count * 12)),
            _ => Err(format!(
                "{text:?}: unknown unit {unit:?}; use d, w, m, q or y"
            )),
        }
    }

    /// The window of one step starting on `from`.
    fn window_from(self, from: Day) -> Option<DateWindow> {
        let next = match self {
            Step::Days(n) => from.0.checked_add(i32::try_from(n).ok()?).map(Day)?,
            Step::Months(n) => Day::from_naive(from.to_naive().checked_add_months(Months::new(n))?),
        };
        Some(DateWindow {
            from,
            to: Day(next.0 - 1),
        })
    }
}

/// The windows that cover `range`, one step each; the last may run past its end.
pub fn windows(range: DateWindow, step: Step) -> Result<Vec<DateWindow>, String> {
    if range.from == Day(i32::MIN) || range.to == Day(i32::MAX) {
        return Err(
            "a timelapse needs a bounded date range (--from and --to, or data to take it from)"
                .into(),
        );
    }
    let mut out = Vec::new();
    let mut from = range.from;
    while from <= range.to {
        let w = step
            .window_from(from)
            .ok_or_else(|| "the date range runs out of the calendar".to_owned())?;
        out.push(w);
        if out.len() > MAX_FRAMES {
            return Err(format!(
                "{} to {} in steps of {step:?} is more than {MAX_FRAMES} frames; use a longer step",
                range.from, range.to
            ));
        }
        from = Day(w.to.0 + 1);
    }
    Ok(out)
}

/// Where the numbered stills of `out` go: `film.png` → `film-frames/frame-0001.png`.
pub fn frames_dir(out: &Path) -> PathBuf {
    let stem = out
        .file_stem()
        .map_or_else(|| "timelapse".into(), |s| s.to_string_lossy().into_owned());
    out.with_file_name(format!("{stem}-frames"))
}

/// What was written.
pub struct Written {
    pub frames: Vec<PathBuf>,
    pub animation: PathBuf,
}

/// Renders one frame per window and writes the stills and the animated PNG (atomically: a failure
/// leaves no partial animation).
pub fn write(
    picture: &Picture<'_>,
    spec: &ExportSpec,
    windows: &[DateWindow],
    out: &Path,
    metadata: impl Fn(&super::Rendered, &Path) -> Metadata,
) -> Result<Written, ExportError> {
    let write_error = |path: &Path, e: &dyn std::fmt::Display| ExportError::Write {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    if windows.is_empty() {
        return Err(ExportError::Input("no window to render".into()));
    }
    // The stills are written into a folder swapped in whole at the end, and the animation into
    // a temporary file: a run that fails or is killed leaves the previous film as it was.
    let frames_target = frames_dir(out);
    let staged = AtomicDir::create(&frames_target).map_err(|e| write_error(&frames_target, &e))?;
    let dir = staged.path().to_owned();
    let mut temp = AtomicFile::create(out).map_err(|e| write_error(out, &e))?;
    let [w, h] = spec.size_px;
    // One view for the whole film: framed on everything the range shows, not window by window,
    // so the map holds still while the incidents come and go.
    let view = picture
        .view
        .or_else(|| whole_range_view(picture, spec, windows));
    let mut frames = Vec::new();
    let render_frame = |i: usize, frames: &mut Vec<PathBuf>| {
        let frame_picture = Picture {
            layers: picture.layers,
            settings: picture.settings,
            window: windows[i],
            selected: picture.selected.clone(),
            view,
        };
        let rendered = render(&frame_picture, spec)?;
        let name = format!("frame-{:04}.png", i + 1);
        let (path, final_path) = (dir.join(&name), frames_target.join(&name));
        let bytes = png_file::encode(&rendered.image, &metadata(&rendered, &final_path))
            .map_err(|e| write_error(&final_path, &e))?;
        std::fs::write(&path, bytes).map_err(|e| write_error(&final_path, &e))?;
        frames.push(final_path);
        Ok::<_, ExportError>(rendered)
    };
    // The first frame's metadata describes the whole animation, so it is rendered before the
    // animation's header is written.
    let first = render_frame(0, &mut frames)?;
    let mut encoder = ::png::Encoder::new(&mut temp, w, h);
    encoder.set_color(::png::ColorType::Rgba);
    encoder.set_depth(::png::BitDepth::Eight);
    encoder.set_compression(::png::Compression::Fast);
    let frame_count = u32::try_from(windows.len()).unwrap_or(u32::MAX);
    encoder
        .set_animated(frame_count, 0)
        .and_then(|_| encoder.set_frame_delay(FRAME_MS, 1000))
        .map_err(|e| write_error(out, &e))?;
    let mut meta = metadata(&first, out);
    meta.push((
        "claimmap:timelapse".into(),
        format!(
            "{} frames of {} ms, {} to {}",
            windows.len(),
            FRAME_MS,
            windows[0].from,
            windows[windows.len() - 1].to
        ),
    ));
    for (k, v) in meta {
        encoder
            .add_itxt_chunk(k, v)
            .map_err(|e| write_error(out, &e))?;
    }
    let mut writer = encoder.write_header().map_err(|e| write_error(out, &e))?;
    writer
        .write_image_data(first.image.as_raw())
        .map_err(|e| write_error(out, &e))?;
    drop(first);
    for i in 1..windows.len() {
        let rendered = render_frame(i, &mut frames)?;
        writer
            .write_image_data(rendered.image.as_raw())
            .map_err(|e| write_error(out, &e))?;
    }
    writer.finish().map_err(|e| write_error(out, &e))?;
    staged
        .commit()
        .map_err(|e| write_error(&frames_target, &e))?;
    temp.commit().map_err(|e| write_error(out, &e))?;
    Ok(Written {
        frames,
        animation: out.to_owned(),
    })
}

/// The view that frames every incident the film's windows show, as the map frames a window.
fn whole_range_view(
    picture: &Picture<'_>,
    spec: &ExportSpec,
    windows: &[DateWindow],
) -> Option<crate::scene::settings::View> {
    let (first, last) = (windows.first()?, windows.last()?);
    let range = DateWindow {
        from: first.from,
        to: last.to,
    };
    let scene = crate::scene::Scene::new(
        picture.layers,
        picture.settings,
        range,
        crate::gazetteer::Gazetteer::embedded(),
        None,
    );
    super::render::framed_view(&scene, spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Day {
        Day::parse_iso(s).expect("date")
    }

    #[test]
    fn steps_parse() {
        assert_eq!(Step::parse("7d"), Ok(Step::Days(7)));
        assert_eq!(Step::parse("2w"), Ok(Step::Days(14)));
        assert_eq!(Step::parse("month"), Ok(Step::Months(1)));
        assert_eq!(Step::parse("1y"), Ok(Step::Months(12)));
        assert!(Step::parse("0d").is_err());
        assert!(Step::parse("3x").is_err());
        assert!(Step::parse("").is_err());
    }

    #[test]
    fn month_windows_follow_the_calendar() {
        let range = DateWindow {
            from: d("2021-01-01"),
            to: d("2021-03-15"),
        };
        let w = windows(range, Step::Months(1)).expect("windows");
        assert_eq!(w.len(), 3);
        assert_eq!((w[1].from, w[1].to), (d("2021-02-01"), d("2021-02-28")));
        assert_eq!(w[2].to, d("2021-03-31"));
    }

    #[test]
    fn runaway_and_open_ranges_are_refused() {
        let long = DateWindow {
            from: d("1900-01-01"),
            to: d("2020-01-01"),
        };
        assert!(windows(long, Step::Days(1)).is_err());
        assert!(windows(DateWindow::everything(), Step::Days(7)).is_err());
    }
}
