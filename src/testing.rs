//! What the tests, benchmarks and examples reach inside the crate for: the window's parts a
//! harness drives, the scene's internals a test checks against, and the generators of synthetic
//! data. Not an API: anything here may change with the code it exposes.

pub use crate::app::document::SaveTarget;
pub use crate::app::draft_review::DraftReview;
pub use crate::app::export_dialog::ExportRequest;
pub use crate::app::settings_file;
pub use crate::basemap::{Bounds, World};
pub use crate::bench::{
    acled_file, border_incidents, frames, measure as measure_load, peak_rss_mb, window_query_us,
};
pub use crate::draft::{measure as draft_measure, report as draft_report};
pub use crate::export::{png_file, raster, render, tables::Table};
pub use crate::formats::{LineIndex, native, sha256_hex};
pub use crate::model::{Interner, registry::registry};
pub use crate::scene::derived::Derived;
pub use crate::scene::map_view::density::DensityDrawn;
pub use crate::scene::map_view::vector_tiles::{label as vector_place_label, road_colour};
pub use crate::scene::map_view::{AreaKey, framing, legend, screen_position};
pub use crate::scene::settings::{BasemapChoice, STORAGE_KEY, SceneSettings, Settings, View};
pub use crate::scene::text::layer_name;
pub use crate::scene::vector_layer::{MEMORY_BUDGET_BYTES, VectorLayer, VectorSource};
pub use crate::scene::{
    DatasetLayer, IncidentRef, LayerOptions, MAX_TILE_SIDE, Scene, TileLayer, check_tile_image,
    install_fonts,
};
pub use crate::tiles::vector::{self as vector_tiles, MAX_INFLATED_BYTES};
pub use crate::tiles::{PmTilesFile, VectorTile, VectorTileError};
pub use crate::timeline::window as date_window;
pub use crate::view::columns::IncidentColumns;
pub use crate::view::query;
pub use crate::view::spatial::{Cell, CellSet, SpatialGrid, WorldRect, position};
