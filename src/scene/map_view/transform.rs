//! Screen positions from Web Mercator world coordinates for the frame being drawn: one
//! multiply-add per coordinate, so the basemap's thousands of vertices cost nothing to project.

use egui::{Pos2, pos2};
use walkers::Projector;

use crate::basemap::World;

/// Walkers' world is 256 px wide at zoom 0.
const TILE_SIZE: f64 = 256.0;

#[derive(Copy, Clone, Debug, PartialEq)]
pub struct ScreenTransform {
    /// Screen position of the world's north-west corner.
    origin: (f64, f64),
    /// Screen pixels per world unit.
    scale: f64,
}

impl ScreenTransform {
    pub fn new(projector: &Projector) -> ScreenTransform {
        let scale = TILE_SIZE * 2f64.powf(projector.zoom());
        // Lon 0, lat 0 is the middle of the world.
        let middle = projector.project(walkers::lon_lat(0.0, 0.0));
        ScreenTransform {
            origin: (
                f64::from(middle.x) - 0.5 * scale,
                f64::from(middle.y) - 0.5 * scale,
            ),
            scale,
        }
    }

    /// The transform that shows world point `centre` at screen point `at`, at `zoom`: what
    /// walkers' projector gives a map centred there.
    #[cfg(test)]
    pub fn centred(centre: World, at: Pos2, zoom: f64) -> ScreenTransform {
        let scale = TILE_SIZE * 2f64.powf(zoom);
        ScreenTransform {
            origin: (
                f64::from(at.x) - centre.x * scale,
                f64::from(at.y) - centre.y * scale,
            ),
            scale,
        }
    }

    /// Screen pixels per world unit: 256 × 2^zoom.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    pub fn to_screen(self, w: World) -> Pos2 {
        pos2(
            (self.origin.0 + w.x * self.scale) as f32,
            (self.origin.1 + w.y * self.scale) as f32,
        )
    }

    pub fn lon_lat(&self, lon: f64, lat: f64) -> Pos2 {
        self.to_screen(World::from_lon_lat(lon, lat))
    }

    pub fn point(&self, p: geo::Point<f64>) -> Pos2 {
        self.lon_lat(p.x(), p.y())
    }

    pub fn to_world(self, p: Pos2) -> World {
        World {
            x: (f64::from(p.x) - self.origin.0) / self.scale,
            y: (f64::from(p.y) - self.origin.1) / self.scale,
        }
    }

    /// Screen pixels per metre at a latitude.
    pub fn pixels_per_metre(&self, lat: f64) -> f32 {
        const EARTH_CIRCUMFERENCE_M: f64 = 40_075_016.686;
        (self.scale / (EARTH_CIRCUMFERENCE_M * lat.to_radians().cos())) as f32
    }
}
