//! Paints epaint's tessellated triangles into an image on the CPU, doing per pixel what
//! egui_glow's scissor, shader and blend state do on a GPU.
//!
//! What is reproduced from egui_glow 0.37: vertex positions are points × `pixels_per_point`; each
//! primitive's clip rect becomes a scissor rect rounded to whole pixels; a fragment is the vertex
//! colour times the texel, both premultiplied sRGB bytes taken as numbers in 0..=1 (no
//! linearisation: egui uploads sRGB-unaware textures and disables `FRAMEBUFFER_SRGB`); blending is
//! `src + dst × (1 − src.a)` on the 8-bit framebuffer, rounded after every triangle as an RGBA8
//! framebuffer would. Textures are sampled at texel centres, bilinearly for
//! [`TextureFilter::Linear`] and nearest for [`TextureFilter::Nearest`], magnification or
//! minification chosen per triangle from its texel-to-pixel scale, with the texture's wrap mode.
//! Coverage is sampled once at each pixel centre with a top-left fill rule on vertices snapped to
//! 1/256 pixel, so triangles sharing an edge never both paint a pixel; epaint's feathering
//! triangles supply the anti-aliasing, as they do on the GPU without MSAA.
//!
//! Not reproduced: eframe's dithering (it moves a byte by at most one in smooth gradients and is
//! noise by design), mipmaps (`TextureOptions::mipmap_mode`: nothing in claimmap or walkers asks
//! for them; the base level is sampled), and paint callbacks, which are skipped. A mesh whose
//! texture is unknown is drawn as if its texture were white, where egui_glow would skip it.
//!
//! The image returned has straight (not premultiplied) alpha, as PNG expects; on an opaque
//! background, the normal case, every pixel is opaque and the bytes are exactly the framebuffer's.

use std::collections::HashMap;

use egui::epaint::{
    ClippedPrimitive, ImageData, ImageDelta, Mesh, Primitive, TextureId, Vertex,
    textures::TexturesDelta,
};
use egui::{Color32, Rect, TextureFilter, TextureOptions, TextureWrapMode};
use image::RgbaImage;

/// Sub-pixel bits of snapped vertex positions: what GPUs commonly use, and what makes coverage
/// exact integer arithmetic so shared edges are decided identically by both triangles.
const SUBPIXEL_BITS: u32 = 8;
/// One pixel in sub-pixel units.
const SUBPIXEL: i64 = 1 << SUBPIXEL_BITS;
/// Positions this far out (f32 steps 512 pixels there) only come from broken geometry; dropping
/// such triangles keeps the edge arithmetic far inside i128 (GL would clip them instead).
const MAX_COORD_PX: f64 = (1u64 << 32) as f64;
/// Rows per band: small enough that two cores share a scene whose busy parts (text, markers) sit
/// in a few rows, large enough that binning triangles to bands stays cheap.
const BAND_ROWS: usize = 32;

/// Byte to 0..=1, as a GPU reads an RGBA8 texel or framebuffer pixel; a table because the exact
/// quotient costs a division per channel per pixel otherwise.
static UNORM8: [f32; 256] = {
    let mut table = [0.0; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = i as f32 / 255.0;
        i += 1;
    }
    table
};
/// Triangles per set-up job: enough to amortise a job, few enough that both cores get several.
const SETUP_JOB: usize = 8192;

/// Textures as the renderer would hold them, kept up to date from each frame's delta.
#[derive(Default)]
pub struct TextureStore {
    textures: HashMap<TextureId, Texture>,
}

/// One texture's texels (premultiplied sRGBA, rows top to bottom) and how to sample them.
struct Texture {
    size: [usize; 2],
    texels: Vec<Color32>,
    options: TextureOptions,
}

impl TextureStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies a frame's delta: every `set` (whole and partial updates), then every `free`.
    ///
    /// epaint 0.37 panics in debug builds when a `TexturesDelta` that still holds deltas is
    /// dropped, so clear it afterwards, or use [`Self::apply_and_clear`].
    ///
    /// egui_glow frees only after painting the frame, so a texture freed by the delta of the
    /// frame being exported is gone here: for that frame, call [`Self::apply_set`] before
    /// [`rasterize`] and [`Self::apply_free`] after it.
    pub fn apply(&mut self, delta: &TexturesDelta) {
        self.apply_set(delta);
        self.apply_free(delta);
    }

    /// [`Self::apply`], then empties `delta` as egui_glow's painter does, so dropping it is fine.
    pub fn apply_and_clear(&mut self, delta: &mut TexturesDelta) {
        self.apply(delta);
        delta.clear();
    }

    /// The `set` half of [`Self::apply`].
    pub fn apply_set(&mut self, delta: &TexturesDelta) {
        for (id, image_deltas) in &delta.set {
            for image_delta in image_deltas {
                self.set(*id, image_delta);
            }
        }
    }

    /// The `free` half of [`Self::apply`].
    pub fn apply_free(&mut self, delta: &TexturesDelta) {
        for id in &delta.free {
            self.textures.remove(id);
        }
    }

    /// Sets a whole texture (`pos` is `None`) or a patch of an existing one at `pos`.
    ///
    /// What GL would reject is ignored: a patch of a texture that was never set, a patch that
    /// does not fit inside its texture, an image whose texel count does not match its size.
    pub fn set(&mut self, id: TextureId, delta: &ImageDelta) {
        let ImageData::Color(image) = &delta.image;
        let [w, h] = image.size;
        if image.pixels.len() != w * h {
            return;
        }
        match delta.pos {
            None => {
                self.textures.insert(
                    id,
                    Texture {
                        size: image.size,
                        texels: image.pixels.clone(),
                        options: delta.options,
                    },
                );
            }
            Some([x, y]) => {
                let Some(texture) = self.textures.get_mut(&id) else {
                    return;
                };
                // egui_glow sets the sampling parameters before uploading the patch.
                texture.options = delta.options;
                let [tw, th] = texture.size;
                if x + w > tw || y + h > th {
                    return;
                }
                for (row, patch_row) in image.pixels.chunks_exact(w.max(1)).enumerate() {
                    let start = (y + row) * tw + x;
                    texture.texels[start..start + w].copy_from_slice(patch_row);
                }
            }
        }
    }

    /// Whether a texture with this id is held.
    pub fn contains(&self, id: TextureId) -> bool {
        self.textures.contains_key(&id)
    }

    /// The size in texels of a held texture.
    pub fn size(&self, id: TextureId) -> Option<[usize; 2]> {
        self.textures.get(&id).map(|t| t.size)
    }

    /// The premultiplied texel at `[x, y]` of a held texture.
    pub fn texel(&self, id: TextureId, [x, y]: [usize; 2]) -> Option<Color32> {
        let texture = self.textures.get(&id)?;
        if x >= texture.size[0] {
            return None;
        }
        texture.texels.get(y * texture.size[0] + x).copied()
    }

    /// How many textures are held.
    pub fn len(&self) -> usize {
        self.textures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.textures.is_empty()
    }
}

/// Paints `primitives` (positions in points) onto a `size_px` canvas filled with `background`.
///
/// `background` is premultiplied, like every [`Color32`]. The canvas is painted in horizontal
/// bands on all cores; the result is the same whatever the number of cores.
pub fn rasterize(
    primitives: &[ClippedPrimitive],
    textures: &TextureStore,
    pixels_per_point: f32,
    size_px: [u32; 2],
    background: Color32,
) -> RgbaImage {
    let [width, height] = size_px;
    let (w, h) = (width as usize, height as usize);
    if w == 0 || h == 0 {
        return RgbaImage::new(width, height);
    }
    let mut canvas = vec![background.to_array(); w * h];

    let threads = crate::parallel::cores();
    let triangles = set_up(primitives, textures, pixels_per_point, size_px, threads);
    let bands = h.div_ceil(BAND_ROWS);
    // Triangles in submission order per band, which is the order blending needs.
    let mut bins: Vec<Vec<&Triangle>> = vec![Vec::new(); bands];
    for triangle in triangles.iter().flatten() {
        debug_assert!(triangle.y0 < triangle.y1 && triangle.y1 as usize <= h);
        let first = triangle.y0 as usize / BAND_ROWS;
        let last = (triangle.y1 as usize - 1) / BAND_ROWS;
        for bin in &mut bins[first..=last] {
            bin.push(triangle);
        }
    }

    let work: Vec<_> = canvas.chunks_mut(w * BAND_ROWS).collect();
    let painted = crate::parallel::map(work, threads, |band, rows| {
        let band_y0 = (band * BAND_ROWS) as i32;
        for triangle in &bins[band] {
            paint_triangle(triangle, rows, w, band_y0);
        }
    });
    // A band left unpainted would be a wrong figure: fail as loudly as the band did.
    if let Some(Err(failed)) = painted.into_iter().find(Result::is_err) {
        panic!("rasterizing: {failed}");
    }

    let mut image = RgbaImage::new(width, height);
    for (out, px) in image.pixels_mut().zip(&canvas) {
        out.0 = unmultiply(*px);
    }
    image
}

/// Premultiplied to straight alpha, as PNG wants.
fn unmultiply([r, g, b, a]: [u8; 4]) -> [u8; 4] {
    match a {
        255 => [r, g, b, a],
        0 => [0, 0, 0, 0],
        _ => {
            let un =
                |c: u8| ((u32::from(c) * 255 + u32::from(a) / 2) / u32::from(a)).min(255) as u8;
            [un(r), un(g), un(b), a]
        }
    }
}

/// A triangle ready to paint: coverage as integer edge functions, attributes as planes.
struct Triangle<'a> {
    /// Pixels whose centres may be covered, half-open, already inside scissor and canvas.
    x0: i32,
    x1: i32,
    y0: i32,
    y1: i32,
    edges: [Edge; 3],
    /// Premultiplied r, g, b, a (0..=1) and u, v in texels, over pixel indices relative to
    /// `(x0, y0)`.
    planes: [Plane; 6],
    sampler: Sampler<'a>,
    /// The vertex colour when it does not vary across the triangle (nearly always).
    color: Option<[f32; 4]>,
    /// The texel when the texture coordinates do not vary (shapes use the atlas's white texel).
    texel: Option<[f32; 4]>,
    /// The bytes every covered pixel becomes when the fragment is constant and opaque.
    opaque: Option<[u8; 4]>,
}

/// `a·x + b·y + c` over sub-pixel positions; a pixel centre is covered when it is `>= 0` for
/// all three edges (`c` carries the fill rule's bias).
#[derive(Clone, Copy)]
struct Edge {
    a: i64,
    b: i64,
    c: i128,
}

#[derive(Clone, Copy, Default)]
struct Plane {
    at: f32,
    dx: f32,
    dy: f32,
}

impl Plane {
    fn eval(&self, x: f32, y: f32) -> f32 {
        self.at + self.dx * x + self.dy * y
    }

    fn is_flat(&self) -> bool {
        self.dx == 0.0 && self.dy == 0.0
    }
}

#[derive(Clone, Copy)]
enum Sampler<'a> {
    White,
    Texture {
        texture: &'a Texture,
        filter: TextureFilter,
    },
}

impl Sampler<'_> {
    /// The texel colour at `(u, v)` in texel units, premultiplied, 0..=1.
    #[inline(always)]
    fn sample(&self, u: f32, v: f32) -> [f32; 4] {
        let Sampler::Texture { texture, filter } = *self else {
            return [1.0; 4];
        };
        let [w, h] = texture.size;
        if w == 0 || h == 0 {
            // What GL samples from an incomplete texture.
            return [0.0, 0.0, 0.0, 1.0];
        }
        let wrap = texture.options.wrap_mode;
        let texel = |x: i64, y: i64| -> [f32; 4] {
            let x = wrap_index(x, w, wrap);
            let y = wrap_index(y, h, wrap);
            unorm(texture.texels[y * w + x])
        };
        match filter {
            TextureFilter::Nearest => texel(floor(u), floor(v)),
            TextureFilter::Linear => {
                let (x, y) = (u - 0.5, v - 0.5);
                let (ix, iy) = (floor(x), floor(y));
                let (tx, ty) = (x - ix as f32, y - iy as f32);
                let inside = ix >= 0 && iy >= 0 && ix + 1 < w as i64 && iy + 1 < h as i64;
                let [t00, t10, t01, t11] = if inside {
                    // Most samples: all four texels in the texture, no wrapping to do.
                    let at = iy as usize * w + ix as usize;
                    let (top, bottom) = (
                        &texture.texels[at..at + 2],
                        &texture.texels[at + w..at + w + 2],
                    );
                    [top[0], top[1], bottom[0], bottom[1]].map(unorm)
                } else {
                    [
                        texel(ix, iy),
                        texel(ix + 1, iy),
                        texel(ix, iy + 1),
                        texel(ix + 1, iy + 1),
                    ]
                };
                std::array::from_fn(|i| {
                    let top = t00[i] + (t10[i] - t00[i]) * tx;
                    let bottom = t01[i] + (t11[i] - t01[i]) * tx;
                    top + (bottom - top) * ty
                })
            }
        }
    }
}

#[inline(always)]
fn unorm(c: Color32) -> [f32; 4] {
    c.to_array().map(|c| UNORM8[usize::from(c)])
}

/// `f32::floor` is a libm call without SSE4.1; texel indices need only this.
#[inline(always)]
fn floor(v: f32) -> i64 {
    // `as` saturates, and sends NaN to 0: any texel is fine for those.
    let t = v as i64;
    if t as f32 > v { t - 1 } else { t }
}

#[inline(always)]
fn wrap_index(i: i64, n: usize, mode: TextureWrapMode) -> usize {
    let n = n as i64;
    let i = match mode {
        TextureWrapMode::ClampToEdge => i.clamp(0, n - 1),
        TextureWrapMode::Repeat => i.rem_euclid(n),
        TextureWrapMode::MirroredRepeat => {
            let m = i.rem_euclid(2 * n);
            if m < n { m } else { 2 * n - 1 - m }
        }
    };
    debug_assert!((0..n).contains(&i));
    i as usize
}

/// The scissor rect of a clip rect in pixels, `[x0, y0, x1, y1]` half-open, rounded and
/// clamped exactly as egui_glow's `set_clip_rect` does.
fn scissor(clip_rect: Rect, pixels_per_point: f32, [width, height]: [u32; 2]) -> [i32; 4] {
    let round = |v: f32| (pixels_per_point * v).round() as i32;
    let x0 = round(clip_rect.min.x).clamp(0, width as i32);
    let y0 = round(clip_rect.min.y).clamp(0, height as i32);
    let x1 = round(clip_rect.max.x).clamp(x0, width as i32);
    let y1 = round(clip_rect.max.y).clamp(y0, height as i32);
    [x0, y0, x1, y1]
}

/// Sets up every triangle, in jobs of [`SETUP_JOB`] triangles spread over `threads`; the jobs'
/// lists come back in submission order.
fn set_up<'a>(
    primitives: &[ClippedPrimitive],
    textures: &'a TextureStore,
    pixels_per_point: f32,
    size_px: [u32; 2],
    threads: usize,
) -> Vec<Vec<Triangle<'a>>> {
    let mut jobs = Vec::new();
    for ClippedPrimitive {
        clip_rect,
        primitive,
    } in primitives
    {
        let Primitive::Mesh(mesh) = primitive else {
            continue;
        };
        let clip = scissor(*clip_rect, pixels_per_point, size_px);
        if clip[0] >= clip[2] || clip[1] >= clip[3] {
            continue;
        }
        let texture = textures.textures.get(&mesh.texture_id);
        for indices in mesh.indices.chunks(3 * SETUP_JOB) {
            jobs.push((mesh, indices, texture, clip));
        }
    }
    let job = |(mesh, indices, texture, clip): (&Mesh, &[u32], Option<&'a Texture>, [i32; 4])| {
        let mut triangles = Vec::with_capacity(indices.len() / 3);
        for corners in indices.chunks_exact(3) {
            let corners = [0, 1, 2].map(|k| mesh.vertices.get(corners[k] as usize));
            let [Some(a), Some(b), Some(c)] = corners else {
                continue;
            };
            if let Some(triangle) = set_up_triangle([a, b, c], texture, pixels_per_point, clip) {
                triangles.push(triangle);
            }
        }
        triangles
    };
    crate::parallel::map(jobs, threads, |_, todo| job(todo))
        .into_iter()
        .map(|triangles| crate::parallel::raised(triangles, "rasterizing"))
        .collect()
}

fn set_up_triangle<'a>(
    vertices: [&Vertex; 3],
    texture: Option<&'a Texture>,
    pixels_per_point: f32,
    clip: [i32; 4],
) -> Option<Triangle<'a>> {
    let ppp = f64::from(pixels_per_point);
    let snap = |v: f32| -> Option<i64> {
        let px = f64::from(v) * ppp;
        (px.abs() <= MAX_COORD_PX).then(|| (px * SUBPIXEL as f64).round() as i64)
    };
    let mut p = [[0i64; 2]; 3];
    for (k, vertex) in vertices.iter().enumerate() {
        p[k] = [snap(vertex.pos.x)?, snap(vertex.pos.y)?];
    }
    let mut order = [0, 1, 2];
    let area = cross(p[0], p[1], p[2]);
    if area == 0 {
        return None;
    }
    if area < 0 {
        // egui emits both windings; make the interior the positive side of every edge.
        order = [0, 2, 1];
    }
    let [p0, p1, p2] = order.map(|k| p[k]);
    let [v0, v1, v2] = order.map(|k| vertices[k]);

    // Pixel centres (x + ½) inside the bounding box, then the scissor.
    let half = SUBPIXEL / 2;
    let min = |i: usize| p0[i].min(p1[i]).min(p2[i]);
    let max = |i: usize| p0[i].max(p1[i]).max(p2[i]);
    let first = |lo: i64| (lo - half + SUBPIXEL - 1).div_euclid(SUBPIXEL);
    let end = |hi: i64| (hi - half).div_euclid(SUBPIXEL) + 1;
    let x0 = first(min(0)).max(i64::from(clip[0]));
    let x1 = end(max(0)).min(i64::from(clip[2]));
    let y0 = first(min(1)).max(i64::from(clip[1]));
    let y1 = end(max(1)).min(i64::from(clip[3]));
    if x0 >= x1 || y0 >= y1 {
        return None;
    }
    // In range: clamped by the scissor, which lies inside the canvas.
    let (x0, x1, y0, y1) = (x0 as i32, x1 as i32, y0 as i32, y1 as i32);

    let edges = [edge(p0, p1), edge(p1, p2), edge(p2, p0)];

    // Attribute planes over pixel indices, from the snapped positions the coverage uses.
    let s = SUBPIXEL as f64;
    let [q0, q1, q2] = [p0, p1, p2].map(|q| [q[0] as f64 / s, q[1] as f64 / s]);
    let (d1, d2) = (
        [q1[0] - q0[0], q1[1] - q0[1]],
        [q2[0] - q0[0], q2[1] - q0[1]],
    );
    let det = d1[0] * d2[1] - d2[0] * d1[1];
    debug_assert!(det > 0.0);
    let (cx, cy) = (f64::from(x0) + 0.5 - q0[0], f64::from(y0) + 0.5 - q0[1]);
    let plane = |f0: f64, f1: f64, f2: f64| {
        let (df1, df2) = (f1 - f0, f2 - f0);
        let dx = (df1 * d2[1] - df2 * d1[1]) / det;
        let dy = (df2 * d1[0] - df1 * d2[0]) / det;
        Plane {
            at: (f0 + dx * cx + dy * cy) as f32,
            dx: dx as f32,
            dy: dy as f32,
        }
    };
    let [tw, th] = texture.map_or([1, 1], |t| t.size);
    let mut planes = [Plane::default(); 6];
    for (i, plane_i) in planes.iter_mut().enumerate() {
        let value = |v: &Vertex| -> f64 {
            match i {
                0..4 => f64::from(v.color[i]) / 255.0,
                4 => f64::from(v.uv.x) * tw as f64,
                _ => f64::from(v.uv.y) * th as f64,
            }
        };
        *plane_i = plane(value(v0), value(v1), value(v2));
    }

    let sampler = match texture {
        None => Sampler::White,
        Some(texture) => {
            // GL picks the minification filter where a pixel spans more than one texel.
            let [u, v] = [planes[4], planes[5]];
            let rho = f32::hypot(u.dx, v.dx).max(f32::hypot(u.dy, v.dy));
            let options = texture.options;
            let filter = if rho > 1.0 {
                options.minification
            } else {
                options.magnification
            };
            Sampler::Texture { texture, filter }
        }
    };
    let color = planes[..4]
        .iter()
        .all(Plane::is_flat)
        .then(|| std::array::from_fn(|i| planes[i].at));
    let texel = planes[4..]
        .iter()
        .all(Plane::is_flat)
        .then(|| sampler.sample(planes[4].at, planes[5].at));
    let opaque = match (color, texel) {
        (Some(c), Some(t)) if c[3] * t[3] == 1.0 => {
            // What blending a fragment of alpha 1 leaves, whatever was underneath.
            Some(std::array::from_fn(|i| to_byte(c[i] * t[i])))
        }
        _ => None,
    };

    Some(Triangle {
        x0,
        x1,
        y0,
        y1,
        edges,
        planes,
        sampler,
        color,
        texel,
        opaque,
    })
}

/// Twice the signed area of `a b c` in sub-pixel units.
fn cross(a: [i64; 2], b: [i64; 2], c: [i64; 2]) -> i128 {
    let d1 = [i128::from(b[0] - a[0]), i128::from(b[1] - a[1])];
    let d2 = [i128::from(c[0] - a[0]), i128::from(c[1] - a[1])];
    d1[0] * d2[1] - d1[1] * d2[0]
}

/// The edge function of `a → b`, positive on the interior side of a positively wound triangle.
fn edge(a: [i64; 2], b: [i64; 2]) -> Edge {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    // Top-left rule: a centre exactly on an edge belongs to the triangle for which that edge is
    // a top or left edge; the neighbour sharing it runs it the other way round and leaves it.
    let owns = dy < 0 || (dy == 0 && dx > 0);
    let c = i128::from(dy) * i128::from(a[0]) - i128::from(dx) * i128::from(a[1]);
    Edge {
        a: -dy,
        b: dx,
        c: if owns { c } else { c - 1 },
    }
}

/// Paints the part of `triangle` inside the band whose first row is `band_y0`.
fn paint_triangle(triangle: &Triangle, band: &mut [[u8; 4]], width: usize, band_y0: i32) {
    let band_y1 = band_y0 + (band.len() / width) as i32;
    let (y0, y1) = (triangle.y0.max(band_y0), triangle.y1.min(band_y1));
    let half = SUBPIXEL / 2;
    let px0 = i128::from(i64::from(triangle.x0) * SUBPIXEL + half);
    let len = (triangle.x1 - triangle.x0) as usize;
    let steps = triangle
        .edges
        .map(|e| i128::from(e.a) * i128::from(SUBPIXEL));
    for y in y0..y1 {
        let py = i128::from(i64::from(y) * SUBPIXEL + half);
        let e = triangle
            .edges
            .map(|e| i128::from(e.a) * px0 + i128::from(e.b) * py + e.c);
        // Almost every triangle's edge values along a row fit in i64, which scans faster.
        let fits = |k: usize| {
            let last = e[k] + steps[k] * len as i128;
            i64::try_from(e[k]).is_ok() && i64::try_from(last).is_ok()
        };
        let span = if fits(0) && fits(1) && fits(2) {
            covered_span(e.map(|v| v as i64), steps.map(|v| v as i64), len)
        } else {
            covered_span(e, steps, len)
        };
        let Some((from, to)) = span else { continue };
        let start = (y - band_y0) as usize * width + triangle.x0 as usize;
        let row = &mut band[start + from..start + to];
        let ry = (y - triangle.y0) as f32;
        match (triangle.opaque, triangle.color, triangle.texel) {
            (Some(bytes), _, _) => row.fill(bytes),
            (None, Some(color), Some(texel)) => {
                let src = std::array::from_fn(|i| color[i] * texel[i]);
                for dst in row {
                    blend(dst, src);
                }
            }
            _ => {
                for (i, dst) in row.iter_mut().enumerate() {
                    blend(dst, fragment(triangle, (from + i) as f32, ry));
                }
            }
        }
    }
}

/// The run of pixels `from..to` of a row whose edge values start at `e` and grow by `steps`
/// per pixel that lie inside all three edges; a row crosses a convex triangle in one run.
#[inline(always)]
fn covered_span<T>(mut e: [T; 3], steps: [T; 3], len: usize) -> Option<(usize, usize)>
where
    T: Copy + Default + Ord + std::ops::BitOr<Output = T> + std::ops::AddAssign,
{
    let zero = T::default();
    let mut from = None;
    for x in 0..len {
        let inside = (e[0] | e[1] | e[2]) >= zero;
        match (from, inside) {
            (None, true) => from = Some(x),
            (Some(first), false) => return Some((first, x)),
            _ => {}
        }
        for k in 0..3 {
            e[k] += steps[k];
        }
    }
    from.map(|first| (first, len))
}

/// The shader's output at pixel `(x, y)` relative to the triangle's box: colour × texel.
#[inline(always)]
fn fragment(triangle: &Triangle, x: f32, y: f32) -> [f32; 4] {
    let p = &triangle.planes;
    let texel = match triangle.texel {
        Some(texel) => texel,
        None => triangle.sampler.sample(p[4].eval(x, y), p[5].eval(x, y)),
    };
    let color = match triangle.color {
        Some(color) => color,
        None => std::array::from_fn(|i| p[i].eval(x, y)),
    };
    std::array::from_fn(|i| color[i] * texel[i])
}

/// egui_glow's blend: `ONE, ONE_MINUS_SRC_ALPHA` for colour, `ONE_MINUS_DST_ALPHA, ONE` for
/// alpha, on an RGBA8 framebuffer.
#[inline(always)]
fn blend(dst: &mut [u8; 4], src: [f32; 4]) {
    let d = dst.map(|c| UNORM8[usize::from(c)]);
    let keep = 1.0 - src[3];
    for i in 0..3 {
        dst[i] = to_byte(src[i] + d[i] * keep);
    }
    dst[3] = to_byte(src[3] * (1.0 - d[3]) + d[3]);
}

/// GL's float-to-unorm8 conversion: clamp, scale, round to nearest.
#[inline(always)]
fn to_byte(v: f32) -> u8 {
    // `as` saturates (and sends NaN to 0), which is the clamp.
    (v * 255.0 + 0.5) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::epaint::{ColorImage, Mesh};
    use egui::{Pos2, RawInput, ViewportId, pos2, vec2};

    const WHITE: Color32 = Color32::WHITE;
    /// A texture id no test sets, so meshes using it are drawn with white.
    const NO_TEXTURE: TextureId = TextureId::User(999);

    fn primitive(mesh: Mesh, clip_rect: Rect) -> ClippedPrimitive {
        ClippedPrimitive {
            clip_rect,
            primitive: Primitive::Mesh(mesh),
        }
    }

    /// Adds an untextured vertex (`Mesh::colored_vertex` insists on the font atlas).
    fn vertex(mesh: &mut Mesh, pos: Pos2, color: Color32) {
        mesh.vertices.push(Vertex::untextured(pos, color));
    }

    fn triangle(points: [Pos2; 3], color: Color32) -> Mesh {
        let mut mesh = Mesh::with_texture(NO_TEXTURE);
        for p in points {
            vertex(&mut mesh, p, color);
        }
        mesh.add_triangle(0, 1, 2);
        mesh
    }

    fn quad(rect: Rect, uv: Rect, color: Color32, texture: TextureId) -> Mesh {
        let mut mesh = Mesh::with_texture(texture);
        mesh.add_rect_with_uv(rect, uv, color);
        mesh
    }

    fn full_uv() -> Rect {
        Rect::from_min_max(Pos2::ZERO, pos2(1.0, 1.0))
    }

    fn paint(meshes: Vec<Mesh>, textures: &TextureStore, size: [u32; 2]) -> RgbaImage {
        let primitives: Vec<_> = meshes
            .into_iter()
            .map(|m| primitive(m, Rect::EVERYTHING))
            .collect();
        rasterize(&primitives, textures, 1.0, size, WHITE)
    }

    fn px(image: &RgbaImage, x: u32, y: u32) -> [u8; 4] {
        image.get_pixel(x, y).0
    }

    fn count(image: &RgbaImage, color: [u8; 4]) -> usize {
        image.pixels().filter(|p| p.0 == color).count()
    }

    fn store_with(
        id: TextureId,
        size: [usize; 2],
        texels: Vec<Color32>,
        options: TextureOptions,
    ) -> TextureStore {
        let mut store = TextureStore::new();
        store.set(
            id,
            &ImageDelta::full(ColorImage::new(size, texels), options),
        );
        store
    }

    #[test]
    fn solid_triangle_covers_its_inside_and_nothing_else() {
        let red = Color32::from_rgb(200, 20, 10);
        let mesh = triangle([pos2(10.0, 10.0), pos2(50.0, 10.0), pos2(10.0, 50.0)], red);
        let image = paint(vec![mesh], &TextureStore::new(), [64, 64]);
        assert_eq!(px(&image, 11, 11), red.to_array());
        assert_eq!(px(&image, 30, 15), red.to_array());
        assert_eq!(px(&image, 5, 5), WHITE.to_array());
        assert_eq!(px(&image, 40, 40), WHITE.to_array());
        assert_eq!(px(&image, 60, 12), WHITE.to_array());
        // No anti-aliasing of our own: every pixel is the triangle's or the background's, and
        // the covered count is the area (40 × 40 / 2) give or take a row of the diagonal.
        let covered = count(&image, red.to_array());
        assert_eq!(covered + count(&image, WHITE.to_array()), 64 * 64);
        assert!((780..=820).contains(&covered), "{covered}");
        // Pixel centres 10.5 ..= 49.5 along the top edge are inside; 9.5 is not.
        assert_eq!(px(&image, 10, 10), red.to_array());
        assert_eq!(px(&image, 9, 10), WHITE.to_array());
        assert_eq!(px(&image, 10, 9), WHITE.to_array());
    }

    #[test]
    fn both_windings_paint_the_same() {
        let red = Color32::RED;
        let [a, b, c] = [pos2(3.2, 4.1), pos2(27.7, 9.3), pos2(8.4, 29.9)];
        let one = paint(
            vec![triangle([a, b, c], red)],
            &TextureStore::new(),
            [32, 32],
        );
        let other = paint(
            vec![triangle([a, c, b], red)],
            &TextureStore::new(),
            [32, 32],
        );
        assert_eq!(one, other);
    }

    #[test]
    fn half_transparent_quad_of_two_triangles_has_no_seam() {
        // Fractional corners so the shared diagonal passes through pixels at odd places.
        let rect = Rect::from_min_max(pos2(3.3, 2.7), pos2(41.8, 37.2));
        let half_black = Color32::from_black_alpha(128);
        let image = paint(
            vec![quad(rect, full_uv(), half_black, NO_TEXTURE)],
            &TextureStore::new(),
            [48, 48],
        );
        let once = [127, 127, 127, 255];
        let inside = count(&image, once);
        // Pixel centres 3.5 ..= 41.5 across and 3.5 ..= 36.5 down.
        assert_eq!(inside, 39 * 34);
        assert_eq!(inside + count(&image, WHITE.to_array()), 48 * 48);
    }

    #[test]
    fn fan_around_a_pixel_centre_paints_each_pixel_once() {
        // Sixteen triangles meeting at a vertex that sits exactly on a pixel centre, with spokes
        // through other pixel centres: every tie the fill rule has to break.
        let centre = pos2(20.5, 20.5);
        let half_black = Color32::from_black_alpha(128);
        let mut mesh = Mesh::with_texture(NO_TEXTURE);
        vertex(&mut mesh, centre, half_black);
        let rim: Vec<Pos2> = (0..16)
            .map(|k| {
                let angle = k as f32 * std::f32::consts::TAU / 16.0;
                (centre + 15.0 * vec2(angle.cos(), angle.sin())).round() + vec2(0.5, 0.5)
            })
            .collect();
        for p in &rim {
            vertex(&mut mesh, *p, half_black);
        }
        for k in 0..16 {
            mesh.add_triangle(0, 1 + k, 1 + (k + 1) % 16);
        }
        let image = paint(vec![mesh], &TextureStore::new(), [42, 42]);
        for p in image.pixels() {
            assert!(p.0 == [127, 127, 127, 255] || p.0 == [255; 4], "{:?}", p.0);
        }
        assert_eq!(px(&image, 20, 20), [127, 127, 127, 255]);
    }

    fn checker() -> Vec<Color32> {
        vec![Color32::RED, Color32::GREEN, Color32::BLUE, Color32::WHITE]
    }

    #[test]
    fn nearest_texture_shows_four_blocks() {
        let id = TextureId::User(1);
        let store = store_with(id, [2, 2], checker(), TextureOptions::NEAREST);
        let rect = Rect::from_min_max(Pos2::ZERO, pos2(8.0, 8.0));
        let image = paint(vec![quad(rect, full_uv(), WHITE, id)], &store, [8, 8]);
        for (x, y, c) in [
            (0, 0, 0),
            (3, 3, 0),
            (4, 0, 1),
            (7, 3, 1),
            (0, 4, 2),
            (7, 7, 3),
        ] {
            assert_eq!(px(&image, x, y), checker()[c].to_array(), "({x}, {y})");
        }
    }

    #[test]
    fn linear_texture_blends_neighbouring_texels_and_clamps_at_the_edge() {
        let id = TextureId::User(1);
        let store = store_with(id, [2, 2], checker(), TextureOptions::LINEAR);
        let rect = Rect::from_min_max(Pos2::ZERO, pos2(8.0, 8.0));
        let image = paint(vec![quad(rect, full_uv(), WHITE, id)], &store, [8, 8]);
        // Clamp to edge: the corner pixel samples only the corner texel.
        assert_eq!(px(&image, 0, 0), [255, 0, 0, 255]);
        // Centre 3.5 → texel coordinate 0.875, 0.375 of the way from red to green.
        assert_eq!(px(&image, 3, 0), [159, 96, 0, 255]);
        assert_eq!(px(&image, 4, 0), [96, 159, 0, 255]);
        // Vertex colour multiplies the texel.
        let grey = Color32::from_gray(128);
        let image = paint(vec![quad(rect, full_uv(), grey, id)], &store, [8, 8]);
        assert_eq!(px(&image, 7, 7), [128, 128, 128, 255]);
        assert_eq!(px(&image, 7, 0), [0, 128, 0, 255]);
    }

    #[test]
    fn minification_filter_applies_when_texels_are_smaller_than_pixels() {
        let id = TextureId::User(1);
        let options = TextureOptions {
            magnification: TextureFilter::Nearest,
            minification: TextureFilter::Linear,
            ..TextureOptions::NEAREST
        };
        let texels = vec![
            Color32::BLACK,
            Color32::WHITE,
            Color32::WHITE,
            Color32::BLACK,
        ];
        let store = store_with(id, [2, 2], texels, options);
        // 2 × 2 texels onto one pixel: linear, sampled at the middle of the four.
        let small = Rect::from_min_max(Pos2::ZERO, pos2(1.0, 1.0));
        let image = paint(vec![quad(small, full_uv(), WHITE, id)], &store, [4, 4]);
        assert_eq!(px(&image, 0, 0), [128, 128, 128, 255]);
        // Magnified: nearest.
        let big = Rect::from_min_max(Pos2::ZERO, pos2(4.0, 4.0));
        let image = paint(vec![quad(big, full_uv(), WHITE, id)], &store, [4, 4]);
        assert_eq!(px(&image, 1, 1), [0, 0, 0, 255]);
        assert_eq!(px(&image, 2, 1), [255, 255, 255, 255]);
    }

    #[test]
    fn repeat_wrap_tiles_the_texture() {
        let id = TextureId::User(1);
        let store = store_with(id, [2, 2], checker(), TextureOptions::NEAREST_REPEAT);
        let rect = Rect::from_min_max(Pos2::ZERO, pos2(8.0, 8.0));
        let uv = Rect::from_min_max(Pos2::ZERO, pos2(2.0, 2.0));
        let image = paint(vec![quad(rect, uv, WHITE, id)], &store, [8, 8]);
        assert_eq!(px(&image, 0, 0), checker()[0].to_array());
        assert_eq!(px(&image, 4, 0), checker()[0].to_array());
        assert_eq!(px(&image, 6, 6), checker()[3].to_array());
    }

    #[test]
    fn premultiplied_colours_blend_over_the_background() {
        let half_red = Color32::from_rgba_unmultiplied(255, 0, 0, 128);
        assert_eq!(half_red.to_array(), [128, 0, 0, 128]);
        let rect = Rect::from_min_max(Pos2::ZERO, pos2(4.0, 4.0));
        let primitives = vec![primitive(
            quad(rect, full_uv(), half_red, NO_TEXTURE),
            Rect::EVERYTHING,
        )];
        let store = TextureStore::new();
        let on_blue = rasterize(&primitives, &store, 1.0, [4, 4], Color32::BLUE);
        // r = 128/255 + 0; b = 0 + 1 × (1 − 128/255).
        assert_eq!(px(&on_blue, 1, 1), [128, 0, 127, 255]);
        // Twice: r = 128/255 + 128/255 × 127/255, b = 127/255 × 127/255.
        let twice = [primitives[0].clone(), primitives[0].clone()];
        let on_blue = rasterize(&twice, &store, 1.0, [4, 4], Color32::BLUE);
        assert_eq!(px(&on_blue, 1, 1), [192, 0, 63, 255]);
        // On a transparent canvas the image holds straight alpha.
        let alone = rasterize(&primitives, &store, 1.0, [4, 4], Color32::TRANSPARENT);
        assert_eq!(px(&alone, 1, 1), [255, 0, 0, 128]);
        assert_eq!(px(&alone, 1, 1), [255, 0, 0, 128]);
        // Additive colours (alpha 0) add.
        let glow = Color32::from_rgba_premultiplied(0, 40, 0, 0);
        let added = rasterize(
            &[primitive(
                quad(rect, full_uv(), glow, NO_TEXTURE),
                Rect::EVERYTHING,
            )],
            &store,
            1.0,
            [4, 4],
            Color32::from_rgb(10, 10, 10),
        );
        assert_eq!(px(&added, 0, 0), [10, 50, 10, 255]);
    }

    #[test]
    fn clip_rect_cuts_the_quad_at_its_rounded_edge() {
        let black = Color32::BLACK;
        let rect = Rect::from_min_max(pos2(2.0, 2.0), pos2(18.0, 18.0));
        // 9.6 rounds to 10, as egui_glow rounds its scissor rect.
        let clip = Rect::from_min_max(Pos2::ZERO, pos2(9.6, 30.0));
        let primitives = [primitive(quad(rect, full_uv(), black, NO_TEXTURE), clip)];
        let image = rasterize(&primitives, &TextureStore::new(), 1.0, [20, 20], WHITE);
        assert_eq!(px(&image, 9, 10), [0, 0, 0, 255]);
        assert_eq!(px(&image, 10, 10), [255; 4]);
        assert_eq!(count(&image, [0, 0, 0, 255]), 8 * 16);
        // An empty clip rect paints nothing.
        let nothing = [primitive(
            quad(rect, full_uv(), black, NO_TEXTURE),
            Rect::from_min_max(pos2(5.0, 5.0), pos2(5.2, 30.0)),
        )];
        let image = rasterize(&nothing, &TextureStore::new(), 1.0, [20, 20], WHITE);
        assert_eq!(count(&image, [255; 4]), 400);
    }

    #[test]
    fn two_pixels_per_point_double_every_length() {
        let black = Color32::BLACK;
        let rect = Rect::from_min_max(pos2(2.0, 3.0), pos2(6.0, 5.0));
        let clip = Rect::from_min_max(Pos2::ZERO, pos2(5.0, 100.0));
        let primitives = [primitive(quad(rect, full_uv(), black, NO_TEXTURE), clip)];
        let one = rasterize(&primitives, &TextureStore::new(), 1.0, [10, 10], WHITE);
        let two = rasterize(&primitives, &TextureStore::new(), 2.0, [20, 20], WHITE);
        assert_eq!(count(&one, [0, 0, 0, 255]), 3 * 2);
        assert_eq!(count(&two, [0, 0, 0, 255]), 6 * 4);
        for y in 0..20 {
            for x in 0..20 {
                assert_eq!(px(&two, x, y), px(&one, x / 2, y / 2), "({x}, {y})");
            }
        }
    }

    #[test]
    fn partial_updates_patch_the_texture_in_place() {
        let id = TextureId::Managed(7);
        let mut store = store_with(id, [4, 3], vec![Color32::RED; 12], TextureOptions::LINEAR);
        let patch = ColorImage::new([2, 1], vec![Color32::GREEN, Color32::BLUE]);
        store.set(
            id,
            &ImageDelta::partial([1, 2], patch.clone(), TextureOptions::NEAREST),
        );
        assert_eq!(store.texel(id, [0, 2]), Some(Color32::RED));
        assert_eq!(store.texel(id, [1, 2]), Some(Color32::GREEN));
        assert_eq!(store.texel(id, [2, 2]), Some(Color32::BLUE));
        assert_eq!(store.texel(id, [3, 2]), Some(Color32::RED));
        assert_eq!(store.texel(id, [1, 1]), Some(Color32::RED));
        // The patch's options now rule sampling: nearest, so the patch shows unblended.
        let rect = Rect::from_min_max(Pos2::ZERO, pos2(4.0, 3.0));
        let image = paint(vec![quad(rect, full_uv(), WHITE, id)], &store, [4, 3]);
        assert_eq!(px(&image, 1, 2), [0, 255, 0, 255]);
        assert_eq!(px(&image, 2, 2), [0, 0, 255, 255]);
        // A patch that does not fit, or of a texture never set, changes nothing.
        store.set(
            id,
            &ImageDelta::partial([3, 2], patch.clone(), TextureOptions::NEAREST),
        );
        assert_eq!(store.texel(id, [3, 2]), Some(Color32::RED));
        store.set(
            TextureId::Managed(8),
            &ImageDelta::partial([0, 0], patch, TextureOptions::NEAREST),
        );
        assert!(!store.contains(TextureId::Managed(8)));
        assert_eq!(store.size(id), Some([4, 3]));
    }

    #[test]
    fn apply_sets_then_frees_and_freed_textures_draw_white() {
        let (a, b) = (TextureId::Managed(1), TextureId::User(2));
        let mut store = TextureStore::new();
        let mut delta = TexturesDelta::default();
        let green = ColorImage::new([1, 1], vec![Color32::GREEN]);
        delta.set.insert(
            a,
            [ImageDelta::full(green.clone(), TextureOptions::NEAREST)].into(),
        );
        delta
            .set
            .insert(b, [ImageDelta::full(green, TextureOptions::NEAREST)].into());
        store.apply_and_clear(&mut delta);
        assert!(delta.is_empty());
        assert_eq!(store.len(), 2);

        let rect = Rect::from_min_max(Pos2::ZERO, pos2(2.0, 2.0));
        let grey = Color32::from_gray(100);
        let image = paint(vec![quad(rect, full_uv(), grey, a)], &store, [2, 2]);
        assert_eq!(px(&image, 0, 0), [0, 100, 0, 255]);

        let mut free = TexturesDelta::default();
        free.free.insert(a);
        store.apply(&free);
        free.clear();
        assert!(!store.contains(a));
        assert!(store.contains(b));
        let image = paint(vec![quad(rect, full_uv(), grey, a)], &store, [2, 2]);
        assert_eq!(px(&image, 0, 0), [100, 100, 100, 255]);
    }

    #[test]
    fn broken_meshes_paint_what_they_can_without_panicking() {
        let mut mesh = triangle(
            [pos2(1.0, 1.0), pos2(9.0, 1.0), pos2(1.0, 9.0)],
            Color32::BLACK,
        );
        mesh.indices.extend([0, 1, 7]); // out of range
        vertex(&mut mesh, pos2(f32::NAN, 0.0), Color32::BLACK);
        vertex(&mut mesh, pos2(1e30, 0.0), Color32::BLACK);
        mesh.indices.extend([0, 3, 1, 0, 4, 1]); // non-finite and far away
        mesh.indices.push(2); // not a whole triangle
        let image = paint(vec![mesh], &TextureStore::new(), [10, 10]);
        assert_eq!(px(&image, 2, 2), [0, 0, 0, 255]);
        assert_eq!(
            rasterize(&[], &TextureStore::new(), 1.0, [0, 5], WHITE).len(),
            0
        );
    }

    #[test]
    fn later_triangles_paint_over_earlier_ones_across_set_up_jobs() {
        let mut mesh = Mesh::with_texture(NO_TEXTURE);
        vertex(&mut mesh, Pos2::ZERO, WHITE);
        // Empty triangles so the red quad ends one set-up job and the blue one starts the next.
        for _ in 0..SETUP_JOB - 1 {
            mesh.add_triangle(0, 0, 0);
        }
        let rect = Rect::from_min_max(pos2(1.0, 1.0), pos2(7.0, 7.0));
        mesh.append(quad(rect, full_uv(), Color32::RED, NO_TEXTURE));
        let moved = rect.translate(vec2(1.0, 1.0));
        mesh.append(quad(moved, full_uv(), Color32::BLUE, NO_TEXTURE));
        assert_eq!(mesh.indices.len() / 3, SETUP_JOB + 3);
        let image = paint(vec![mesh], &TextureStore::new(), [10, 10]);
        assert_eq!(px(&image, 1, 1), [255, 0, 0, 255]);
        assert_eq!(px(&image, 4, 4), [0, 0, 255, 255]);
    }

    /// Runs a real egui frame headless and rasterizes it, as export does.
    fn render_egui(pixels_per_point: f32) -> (RgbaImage, Rect) {
        let ctx = egui::Context::default();
        ctx.set_theme(egui::Theme::Light);
        let size = vec2(320.0, 120.0);
        let mut input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, size)),
            ..Default::default()
        };
        input
            .viewports
            .entry(ViewportId::ROOT)
            .or_default()
            .native_pixels_per_point = Some(pixels_per_point);
        let red_rect = Rect::from_min_size(pos2(220.0, 60.0), vec2(60.0, 40.0));
        let mut output = ctx.run_ui(input, |ui| {
            ui.label(egui::RichText::new("Shelling reported near the bridge").size(18.0));
            ui.label("Two sources disagree on the date.");
            ui.painter()
                .rect_filled(red_rect, 6.0, Color32::from_rgb(200, 30, 30));
        });
        assert_eq!(output.pixels_per_point, pixels_per_point);
        let mut store = TextureStore::new();
        store.apply_and_clear(&mut output.textures_delta);
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        let px_size = (size * pixels_per_point).round();
        let image = rasterize(
            &primitives,
            &store,
            pixels_per_point,
            [px_size.x as u32, px_size.y as u32],
            WHITE,
        );
        if let Some(dir) = std::env::var_os("CLAIMMAP_RASTER_PNG_DIR") {
            let path =
                std::path::Path::new(&dir).join(format!("raster_e2e_{pixels_per_point}x.png"));
            image.save(path).expect("PNG written");
        }
        (image, red_rect)
    }

    #[test]
    fn egui_frame_rasterizes_with_text_and_shapes() {
        for ppp in [1.0, 2.0] {
            let (image, red_rect) = render_egui(ppp);
            assert_eq!(image.dimensions(), (320 * ppp as u32, 120 * ppp as u32));
            let inner = red_rect.shrink(8.0);
            for y in (inner.min.y * ppp) as u32..(inner.max.y * ppp) as u32 {
                for x in (inner.min.x * ppp) as u32..(inner.max.x * ppp) as u32 {
                    assert_eq!(px(&image, x, y), [200, 30, 30, 255]);
                }
            }
            // The labels sit at the top left; fonts rasterize into the atlas without a GPU.
            let mut dark = 0;
            let mut grey = 0;
            for y in 0..(50.0 * ppp) as u32 {
                for x in 0..(200.0 * ppp) as u32 {
                    let [r, g, b, a] = px(&image, x, y);
                    assert_eq!(a, 255);
                    assert!(r == g && g == b, "text is grey: {:?}", [r, g, b]);
                    match r {
                        0..100 => dark += 1,
                        100..250 => grey += 1,
                        _ => {}
                    }
                }
            }
            assert!(
                dark > 200 * (ppp * ppp) as usize,
                "{dark} dark pixels at {ppp}x"
            );
            // Anti-aliased glyph edges.
            assert!(grey > 100, "{grey}");
            // Nothing right of the rect or below the text but the background.
            assert_eq!(
                px(&image, (300.0 * ppp) as u32, (110.0 * ppp) as u32),
                [255; 4]
            );
        }
    }
}
