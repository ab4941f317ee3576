//! Export: turning the scene the window shows into pictures and files for reports, without a
//! display or a GPU. The egui frame is run headless and tessellated as usual; [`raster`] then
//! paints the resulting triangles on the CPU the way the window's glow renderer would, so a
//! printed map matches what the analyst saw on screen.

pub mod raster;
