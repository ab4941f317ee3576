//! PNG files that say what they show: the picture plus text chunks (dataset hash, window, filters,
//! view, version, and the command that makes it again), written atomically.

use std::path::Path;

use image::RgbaImage;

use crate::scene::settings::{BasemapChoice, SceneSettings, View};
use crate::scene::styling::{ColourBy, DensityView};

use super::facts::{Facts, VERSION};
use super::render::{ExportError, ExportSpec};

/// Text chunks as (keyword, text); keywords are PNG's registered ones where they fit
/// ("Title", "Software"…) and `claimmap:…` for the rest.
pub type Metadata = Vec<(String, String)>;

/// What a reader of a figure needs to trace and reproduce it.
pub fn metadata(facts: &Facts, view: &View, spec: &ExportSpec, out: &Path) -> Metadata {
    let datasets: Vec<serde_json::Value> = facts
        .datasets
        .iter()
        .map(|d| {
            serde_json::json!({
                "title": d.title, "path": d.path, "format": d.format, "sha256": d.sha256,
            })
        })
        .collect();
    let mut m: Metadata = vec![
        ("Title".into(), facts.title.clone()),
        ("Software".into(), format!("claimmap {VERSION}")),
        (
            "Creation Time".into(),
            facts.generated.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        ),
        (
            "Source".into(),
            facts
                .datasets
                .iter()
                .map(|d| format!("{} sha256:{}", d.path, d.sha256))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        (
            "Description".into(),
            format!(
                "{} incidents ({} contested), {} claims, {}; filters: {}",
                facts.visible, facts.contested, facts.claims, facts.window_words, facts.filters
            ),
        ),
        (
            "claimmap:datasets".into(),
            serde_json::Value::Array(datasets).to_string(),
        ),
        ("claimmap:window".into(), facts.window_iso()),
        ("claimmap:filters".into(), facts.filters_json.clone()),
        (
            "claimmap:view".into(),
            format!("{:.6},{:.6} z{:.3}", view.lat, view.lon, view.zoom),
        ),
        ("claimmap:naming".into(), facts.naming.clone()),
        (
            "claimmap:size".into(),
            format!(
                "{}x{} scale {}",
                spec.size_px[0], spec.size_px[1], spec.scale
            ),
        ),
        (
            "claimmap:selected".into(),
            facts
                .footnotes
                .iter()
                .map(|f| f.id.clone())
                .collect::<Vec<_>>()
                .join(","),
        ),
        ("claimmap:command".into(), command(facts, view, spec, out)),
    ];
    if let Some(note) = &facts.footer {
        m.push(("Comment".into(), note.clone()));
    }
    m
}

/// The `claimmap export` command line that renders the same picture again, byte for byte when
/// no online tiles are drawn: every option that changes a pixel or a text chunk is written,
/// numbers as Rust prints them (the shortest text that reads back as the same number).
pub fn command(facts: &Facts, view: &View, spec: &ExportSpec, out: &Path) -> String {
    let mut args: Vec<String> = vec!["claimmap".into(), "export".into()];
    for d in &facts.datasets {
        if !d.path.starts_with("embedded:") {
            args.push(d.path.clone());
        }
    }
    args.extend([
        "--from".into(),
        facts.window.from.to_string(),
        "--to".into(),
        facts.window.to.to_string(),
        "--center".into(),
        format!("{},{}", view.lat, view.lon),
        "--zoom".into(),
        view.zoom.to_string(),
        "--size".into(),
        format!("{}x{}", spec.size_px[0], spec.size_px[1]),
        "--scale".into(),
        spec.scale.to_string(),
        "--naming".into(),
        facts.naming.clone(),
    ]);
    if facts.filters != "none" {
        args.extend(["--filters".into(), facts.filters_json.clone()]);
    }
    for f in &facts.footnotes {
        args.extend(["--select".into(), f.id.clone()]);
    }
    if let Some(t) = &spec.title {
        args.extend(["--title".into(), t.clone()]);
    }
    if let Some(f) = &facts.footer {
        args.extend(["--footer".into(), f.clone()]);
    }
    if spec.layout == super::Layout::MapAndClaims {
        args.push("--with-claims".into());
    }
    if !spec.claims_inset {
        args.push("--no-inset".into());
    }
    if !spec.decorations {
        args.push("--bare".into());
    }
    args.extend(settings_args(&facts.settings, spec));
    args.extend([
        "--generated".into(),
        facts.generated.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    ]);
    args.extend(["--out".into(), out.display().to_string()]);
    args.iter()
        .map(|a| shell_quote(a))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The options for the scene settings a figure was drawn with that differ from the command
/// line's defaults: basemap, tile file, offline, tile wait, and the map's layers.
fn settings_args(settings: &SceneSettings, spec: &ExportSpec) -> Vec<String> {
    let mut args: Vec<String> = Vec::new();
    let online = match &settings.basemap {
        BasemapChoice::OpenStreetMap => true,
        BasemapChoice::OpenTopoMap => {
            args.extend(["--basemap".into(), "opentopomap".into()]);
            true
        }
        BasemapChoice::VectorOnly => {
            args.extend(["--basemap".into(), "vector".into()]);
            false
        }
        BasemapChoice::File(path) => {
            args.extend(["--tiles".into(), path.display().to_string()]);
            false
        }
        BasemapChoice::Online(source) => {
            match crate::tiles::PRESETS.iter().find(|p| p.source() == *source) {
                Some(preset) => args.extend(["--basemap".into(), preset.id.into()]),
                None => {
                    // Headers are left out: they hold API keys, which a figure must not carry.
                    args.extend(["--tile-url".into(), source.url.clone()]);
                    if !source.attribution.is_empty() {
                        args.extend(["--tile-attribution".into(), source.attribution.clone()]);
                    }
                }
            }
            true
        }
    };
    if settings.offline {
        args.push("--offline".into());
    } else if online {
        args.extend(["--tile-wait".into(), spec.tile_wait.as_secs().to_string()]);
    }
    // The map's layers as `claimmap export` draws them unless told otherwise.
    let defaults = SceneSettings::default();
    for (differs, flag) in [
        (
            settings.show_historical != defaults.show_historical,
            "--historical",
        ),
        (
            settings.show_districts != defaults.show_districts,
            "--no-districts",
        ),
        (settings.show_places != defaults.show_places, "--no-places"),
        (settings.show_arrows != defaults.show_arrows, "--no-arrows"),
    ] {
        if differs {
            args.push(flag.into());
        }
    }
    let styling = &settings.styling;
    if styling.colour_by != ColourBy::default() {
        args.extend(["--colour-by".into(), styling.colour_by.arg()]);
    }
    if styling.size_by_fatalities {
        args.push("--size-by-fatalities".into());
    }
    if styling.density != DensityView::default() {
        args.extend(["--density".into(), styling.density.arg().into()]);
    }
    if settings.merge_linked {
        args.push("--merge-linked".into());
    }
    args
}

fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:,=+@%".contains(c));
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// Encodes `image` as an 8-bit RGBA PNG with `metadata` as UTF-8 (iTXt) chunks.
pub fn encode(image: &RgbaImage, metadata: &Metadata) -> Result<Vec<u8>, ::png::EncodingError> {
    let mut bytes = Vec::new();
    {
        let mut encoder = ::png::Encoder::new(&mut bytes, image.width(), image.height());
        encoder.set_color(::png::ColorType::Rgba);
        encoder.set_depth(::png::BitDepth::Eight);
        encoder.set_compression(::png::Compression::Balanced);
        for (key, text) in metadata {
            encoder.add_itxt_chunk(key.clone(), text.clone())?;
        }
        let mut writer = encoder.write_header()?;
        writer.write_image_data(image.as_raw())?;
        writer.finish()?;
    }
    Ok(bytes)
}

/// Writes the PNG atomically: a failure leaves no partial file, and an existing file intact.
pub fn write(path: &Path, image: &RgbaImage, metadata: &Metadata) -> Result<(), ExportError> {
    let bytes = encode(image, metadata).map_err(|e| ExportError::Write {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    crate::formats::write_atomic(path, &bytes).map_err(|e| ExportError::Write {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// The text chunks of a PNG (tEXt, zTXt and iTXt), for tests and for `claimmap` to read a figure.
pub fn read_text(bytes: &[u8]) -> Result<Metadata, ::png::DecodingError> {
    let reader = ::png::Decoder::new(std::io::Cursor::new(bytes)).read_info()?;
    let info = reader.info();
    let mut out: Metadata = info
        .uncompressed_latin1_text
        .iter()
        .map(|c| (c.keyword.clone(), c.text.clone()))
        .collect();
    for chunk in &info.utf8_text {
        out.push((chunk.keyword.clone(), chunk.get_text()?));
    }
    for chunk in &info.compressed_latin1_text {
        out.push((chunk.keyword.clone(), chunk.get_text()?));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_chunks_round_trip_in_any_script() {
        let image = RgbaImage::from_pixel(3, 2, image::Rgba([10, 20, 30, 255]));
        let meta: Metadata = vec![
            ("Title".into(), "Kəlbəcər / Քարվաճառ".into()),
            ("claimmap:window".into(), "2021-05-24/2021-05-26".into()),
        ];
        let bytes = encode(&image, &meta).expect("encodes");
        assert_eq!(read_text(&bytes).expect("decodes"), meta);
        let back = image::load_from_memory(&bytes).expect("a PNG").to_rgba8();
        assert_eq!(back, image);
    }

    #[test]
    fn shell_quoting_keeps_arguments_whole() {
        assert_eq!(shell_quote("2021-05-24"), "2021-05-24");
        assert_eq!(shell_quote("Border, May 2021"), "'Border, May 2021'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
