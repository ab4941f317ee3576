//! What the user looks at, independent of how it is drawn: the filters and the query that picks
//! the incidents on screen. No egui here, so the command line shares it with the window.

pub mod columns;
pub mod filter;
pub mod query;
pub mod spatial;

pub use columns::IncidentColumns;
pub use filter::{Filters, SearchText};
pub use query::{Counts, FilterPass, IncidentIndex, extent, visible};
pub use spatial::{SpatialGrid, WorldRect};
