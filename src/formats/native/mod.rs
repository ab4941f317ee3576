//! The native format: a GeoJSON FeatureCollection with claims in `properties` and the dataset's
//! metadata and claimant registry in a `claimmap` foreign member (see `docs/FORMAT.md`).

mod read;
mod write;

pub use read::FORMAT_VERSION;
pub(crate) use read::{Parsed, read};
pub use write::{to_string, to_value, write};

#[cfg(test)]
mod tests;
