//! Export: the scene the window shows, turned into pictures and files for reports.
//!
//! A picture is rendered without a window: the same egui frame as the window's map runs headless
//! ([`render`]), epaint tessellates it, and [`raster`] paints the triangles on the CPU, so the
//! window's File → Export and `claimmap export` give the same pixels, with no display and no GPU.
//! [`decorations`] adds what a figure in a report needs (title, legend, scale bar, provenance),
//! [`png_file`] writes it with the metadata that lets a reader reproduce it, [`timelapse`] renders a
//! date range window by window, and [`tables`] writes the visible incidents and their claims as
//! GeoJSON, CSV and Markdown.

pub mod decorations;
mod facts;
pub mod framing;
pub mod png_file;
pub mod raster;
pub mod render;
pub mod tables;
pub mod timelapse;
pub mod title;

pub use facts::Facts;
pub use render::{ExportSpec, Layout, Picture, Rendered, render};
