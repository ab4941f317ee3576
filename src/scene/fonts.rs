//! Bundled fonts: egui's defaults lack Armenian and the Azerbaijani schwa (ə), and system fonts
//! differ between machines, so Noto Sans and Noto Sans Armenian (SIL OFL 1.1) are compiled in and
//! every machine renders the same labels.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

const NOTO_SANS: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
const NOTO_SANS_ARMENIAN: &[u8] = include_bytes!("../../assets/fonts/NotoSansArmenian-Regular.ttf");

/// egui's default definitions with Noto Sans first and Noto Sans Armenian as its fallback.
pub fn definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "NotoSans".into(),
        Arc::new(FontData::from_static(NOTO_SANS)),
    );
    fonts.font_data.insert(
        "NotoSansArmenian".into(),
        Arc::new(FontData::from_static(NOTO_SANS_ARMENIAN)),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let list = fonts.families.entry(family.clone()).or_default();
        if family == FontFamily::Proportional {
            list.insert(0, "NotoSans".into());
            list.insert(1, "NotoSansArmenian".into());
        } else {
            list.push("NotoSans".into());
            list.push("NotoSansArmenian".into());
        }
    }
    fonts
}

pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}
