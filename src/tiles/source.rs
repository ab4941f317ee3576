//! Online raster tile sources described by a URL template (`{z}/{x}/{y}`, `{s}` subdomains,
//! `{-y}` TMS rows, `{q}` quadkeys), their credit, zoom range, tile size and HTTP headers; and the
//! presets claimmap offers, each with the provider's own credit line (docs/BASEMAPS.md records
//! the terms each was checked against).

use serde::{Deserialize, Serialize};

/// One tile of the web-Mercator pyramid: zoom level and column/row from the top left (XYZ).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct TileKey {
    pub zoom: u8,
    pub x: u32,
    pub y: u32,
}

impl TileKey {
    /// Whether the column and row exist at the zoom level.
    pub fn valid(&self) -> bool {
        self.zoom <= MAX_ZOOM && self.x < (1u32 << self.zoom) && self.y < (1u32 << self.zoom)
    }

    /// The tile of `zoom` (at most this one's) that covers this one.
    pub fn ancestor(&self, zoom: u8) -> TileKey {
        debug_assert!(zoom <= self.zoom);
        let up = self.zoom - zoom;
        TileKey {
            zoom,
            x: self.x >> up,
            y: self.y >> up,
        }
    }
}

impl std::fmt::Display for TileKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}/{}", self.zoom, self.x, self.y)
    }
}

/// The deepest zoom a template may name: past 24 no raster service exists, and 2^zoom must fit
/// a tile column in `u32`.
pub const MAX_ZOOM: u8 = 24;

/// An online tile service. Saved in the settings as it is, so a source the user added keeps its
/// credit and key across sessions.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct TileSource {
    /// What the basemap panel and the status bar call it.
    pub name: String,
    /// `https://{s}.tile.example.org/{z}/{x}/{y}.png`; `{-y}` for TMS rows, `{q}` for a quadkey.
    pub url: String,
    /// The provider's credit, drawn on the map and printed in every export.
    pub attribution: String,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// Pixels a side: 256 or 512 (walkers draws powers of two of 256).
    pub tile_size: u32,
    /// The letters `{s}` takes in turn ("abc"); empty when the template has no `{s}`.
    pub subdomains: String,
    /// Extra request headers, e.g. an API key a provider wants as a header.
    pub headers: Vec<(String, String)>,
}

impl Default for TileSource {
    fn default() -> Self {
        TileSource {
            name: String::new(),
            url: String::new(),
            attribution: String::new(),
            min_zoom: 0,
            max_zoom: 19,
            tile_size: 256,
            subdomains: "abc".into(),
            headers: Vec::new(),
        }
    }
}

impl TileSource {
    /// A source from a template given on the command line or typed in the panel, named after its
    /// host (and credited to it when no attribution is given), with the defaults (zoom 0–19,
    /// 256 px tiles, subdomains "abc").
    pub fn from_template(url: &str, attribution: Option<&str>) -> Result<TileSource, String> {
        let source = TileSource {
            name: String::new(),
            url: url.trim().to_owned(),
            attribution: attribution.unwrap_or_default().trim().to_owned(),
            ..TileSource::default()
        };
        source.validate()?;
        // The host, and the port where it is not the scheme's own (two local servers differ).
        let name = match (
            source.host_and_port(),
            reqwest::Url::parse(&source.url.replace(['{', '}'], "")),
        ) {
            (Some((host, port)), Ok(url)) if url.port().is_some() => format!("{host}:{port}"),
            (Some((host, _)), _) => host,
            (None, _) => String::new(),
        };
        // Tiles are never drawn uncredited: without the provider's words, at least its host.
        let attribution = match source.attribution.is_empty() {
            true => format!("Tiles: {name}"),
            false => source.attribution.clone(),
        };
        Ok(TileSource {
            name,
            attribution,
            ..source
        })
    }

    /// Refuses a template no tile could be fetched from, saying what is wrong with it.
    pub fn validate(&self) -> Result<(), String> {
        let url = &self.url;
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!(
                "{url:?}: a tile URL starts with http:// or https://"
            ));
        }
        let has = |p: &str| url.contains(p);
        if !(has("{q}") || (has("{z}") && has("{x}") && (has("{y}") || has("{-y}")))) {
            return Err(format!(
                "{url:?}: the template needs {{z}}, {{x}} and {{y}} (or {{-y}} for TMS rows, or {{q}} for a quadkey)"
            ));
        }
        if has("{s}") && self.subdomains.is_empty() {
            return Err(format!("{url:?}: {{s}} needs subdomains (e.g. abc)"));
        }
        if let Some(unknown) = unknown_placeholder(url) {
            return Err(format!(
                "{url:?}: {unknown} is not a placeholder claimmap fills ({{z}} {{x}} {{y}} {{-y}} {{q}} {{s}})"
            ));
        }
        self.host_and_port()
            .ok_or_else(|| format!("{url:?}: no host name in the URL"))?;
        if self.min_zoom > self.max_zoom || self.max_zoom > MAX_ZOOM {
            return Err(format!(
                "zoom {}–{}: the range must run upwards and end at {MAX_ZOOM} at most",
                self.min_zoom, self.max_zoom
            ));
        }
        if !matches!(self.tile_size, 128 | 256 | 512 | 1024) {
            return Err(format!(
                "tile size {}: use 256 or 512 (128 and 1024 are accepted)",
                self.tile_size
            ));
        }
        for (name, value) in &self.headers {
            let token = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_!#$%&'*+.^`|~".contains(&b));
            if !token || value.bytes().any(|b| b.is_ascii_control()) {
                return Err(format!("header {name:?}: not a valid HTTP header"));
            }
        }
        Ok(())
    }

    /// The URL of one tile.
    pub fn tile_url(&self, key: TileKey) -> String {
        debug_assert!(key.valid());
        let rows = 1u32 << key.zoom;
        let mut url = self
            .url
            .replace("{z}", &key.zoom.to_string())
            .replace("{x}", &key.x.to_string())
            .replace("{-y}", &(rows - 1 - key.y).to_string())
            .replace("{y}", &key.y.to_string());
        if url.contains("{q}") {
            url = url.replace("{q}", &quadkey(key));
        }
        if url.contains("{s}") {
            let letters: Vec<char> = self.subdomains.chars().collect();
            // Each tile always from the same subdomain, so the HTTP caches on the way keep it.
            let pick = letters
                .get((key.x as usize + key.y as usize) % letters.len().max(1))
                .copied()
                .unwrap_or('a');
            url = url.replace("{s}", &pick.to_string());
        }
        url
    }

    /// The host and port requests go to (the first subdomain standing for `{s}`).
    pub fn host_and_port(&self) -> Option<(String, u16)> {
        let first = self.subdomains.chars().next().unwrap_or('a').to_string();
        let probe = self.url.replace("{s}", &first).replace(['{', '}'], "");
        let parsed = reqwest::Url::parse(&probe).ok()?;
        Some((
            parsed.host_str()?.to_owned(),
            parsed.port_or_known_default()?,
        ))
    }

    /// What the cache keeps this source's tiles under: the template and headers, hashed, so two
    /// sources (or two API keys) never share tiles.
    pub fn cache_key(&self) -> String {
        use sha2::Digest;
        let mut hash = sha2::Sha256::new();
        hash.update(self.url.as_bytes());
        for (name, value) in &self.headers {
            hash.update([0]);
            hash.update(name.as_bytes());
            hash.update([0]);
            hash.update(value.as_bytes());
        }
        hash.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

fn unknown_placeholder(url: &str) -> Option<String> {
    const KNOWN: [&str; 6] = ["{z}", "{x}", "{y}", "{-y}", "{q}", "{s}"];
    let mut rest = url;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').map(|e| start + e + 1)?;
        let placeholder = &rest[start..end];
        if !KNOWN.contains(&placeholder) {
            return Some(placeholder.to_owned());
        }
        rest = &rest[end..];
    }
    None
}

/// Bing's quadkey: one base-4 digit per zoom level, interleaving the column's and row's bits.
pub fn quadkey(key: TileKey) -> String {
    (1..=key.zoom)
        .rev()
        .map(|level| {
            let mask = 1u32 << (level - 1);
            let digit = u8::from(key.x & mask != 0) + 2 * u8::from(key.y & mask != 0);
            char::from(b'0' + digit)
        })
        .collect()
}

/// A source claimmap offers by name. Each was chosen because its provider allows use by a
/// desktop application with credit; the terms are summed up in docs/BASEMAPS.md.
pub struct Preset {
    /// The `--basemap` value.
    pub id: &'static str,
    pub name: &'static str,
    pub url: &'static str,
    pub subdomains: &'static str,
    pub attribution: &'static str,
    pub max_zoom: u8,
    /// What the provider's terms ask, in a line the panel shows on hover.
    pub terms: &'static str,
}

impl Preset {
    pub fn source(&self) -> TileSource {
        TileSource {
            name: self.name.into(),
            url: self.url.into(),
            attribution: self.attribution.into(),
            min_zoom: 0,
            max_zoom: self.max_zoom,
            tile_size: 256,
            subdomains: self.subdomains.into(),
            headers: Vec::new(),
        }
    }

    pub fn by_id(id: &str) -> Option<&'static Preset> {
        PRESETS.iter().find(|p| p.id == id)
    }
}

pub const PRESETS: [Preset; 6] = [
    Preset {
        id: "openstreetmap",
        name: "OpenStreetMap",
        url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        subdomains: "",
        attribution: "© OpenStreetMap contributors",
        max_zoom: 19,
        terms: "OSMF tile usage policy: light interactive use, a User-Agent naming the app, cached tiles, no bulk download; credit “© OpenStreetMap contributors” (ODbL).",
    },
    Preset {
        id: "opentopomap",
        name: "OpenTopoMap",
        url: "https://{s}.tile.opentopomap.org/{z}/{x}/{y}.png",
        subdomains: "abc",
        attribution: "Map data: © OpenStreetMap contributors, SRTM | Map style: © OpenTopoMap (CC-BY-SA)",
        max_zoom: 17,
        terms: "Free to use with credit (CC-BY-SA map style, ODbL data); no heavy or bulk use.",
    },
    Preset {
        id: "esri-imagery",
        name: "Esri World Imagery",
        url: "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        subdomains: "",
        attribution: "Tiles © Esri — Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community",
        max_zoom: 19,
        terms: "Esri's terms of use: credit Esri and its sources on the map; heavy or commercial use needs an ArcGIS account.",
    },
    Preset {
        id: "s2cloudless",
        name: "Sentinel-2 cloudless 2020 (EOX)",
        url: "https://tiles.maps.eox.at/wmts/1.0.0/s2cloudless-2020_3857/default/g/{z}/{y}/{x}.jpg",
        subdomains: "",
        attribution: "Sentinel-2 cloudless – https://s2maps.eu by EOX IT Services GmbH (Contains modified Copernicus Sentinel data 2020)",
        max_zoom: 15,
        terms: "CC BY-NC-SA 4.0: free for non-commercial use with this credit; commercial use needs an EOX licence.",
    },
    Preset {
        id: "cyclosm",
        name: "CyclOSM",
        url: "https://{s}.tile-cyclosm.openstreetmap.fr/cyclosm/{z}/{x}/{y}.png",
        subdomains: "abc",
        attribution: "CyclOSM | Map data: © OpenStreetMap contributors",
        max_zoom: 20,
        terms: "Hosted by OpenStreetMap France: light use with credit, no bulk download.",
    },
    Preset {
        id: "humanitarian",
        name: "Humanitarian OSM",
        url: "https://{s}.tile.openstreetmap.fr/hot/{z}/{x}/{y}.png",
        subdomains: "ab",
        attribution: "© OpenStreetMap contributors, Tiles style by Humanitarian OpenStreetMap Team hosted by OpenStreetMap France",
        max_zoom: 19,
        terms: "Hosted by OpenStreetMap France: light use with credit, no bulk download.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn key(zoom: u8, x: u32, y: u32) -> TileKey {
        TileKey { zoom, x, y }
    }

    #[test]
    fn templates_fill_every_placeholder() {
        let xyz = TileSource::from_template("https://{s}.t.example.org/{z}/{x}/{y}.png", None)
            .expect("valid");
        assert_eq!(xyz.name, "a.t.example.org");
        assert_eq!(
            xyz.tile_url(key(3, 1, 2)),
            "https://a.t.example.org/3/1/2.png"
        );
        assert_eq!(
            xyz.tile_url(key(3, 2, 2)),
            "https://b.t.example.org/3/2/2.png"
        );
        let tms = TileSource::from_template("http://h/{z}/{x}/{-y}.jpg", None).expect("valid");
        let local = TileSource::from_template("http://127.0.0.1:8080/{z}/{x}/{y}.png", None)
            .expect("valid");
        assert_eq!(local.name, "127.0.0.1:8080");
        assert_eq!(local.attribution, "Tiles: 127.0.0.1:8080");
        assert_eq!(tms.tile_url(key(3, 1, 2)), "http://h/3/1/5.jpg");
        let quad = TileSource::from_template("http://h/q/{q}.jpeg?g=1", None).expect("valid");
        // Bing's own example: tile 3/3/5 is quadkey 213.
        assert_eq!(quad.tile_url(key(3, 3, 5)), "http://h/q/213.jpeg?g=1");
        assert_eq!(quadkey(key(0, 0, 0)), "");
    }

    #[test]
    fn bad_templates_say_what_is_wrong() {
        for (url, says) in [
            ("ftp://h/{z}/{x}/{y}", "http://"),
            ("https://h/{z}/{x}.png", "{z}, {x} and {y}"),
            ("https://h/{z}/{x}/{y}@{r}.png", "{r}"),
        ] {
            let error = TileSource::from_template(url, None).expect_err(url);
            assert!(error.contains(says), "{url}: {error}");
        }
        let mut source = PRESETS[0].source();
        source.headers.push(("Bad Name".into(), "v".into()));
        assert!(source.validate().is_err());
    }

    #[test]
    fn presets_are_valid_and_credited() {
        for preset in &PRESETS {
            let source = preset.source();
            source
                .validate()
                .unwrap_or_else(|e| panic!("{}: {e}", preset.id));
            assert!(!source.attribution.is_empty());
            assert!(source.url.starts_with("https://"), "{}", preset.id);
        }
        assert_eq!(
            PRESETS[0].source().host_and_port(),
            Some(("tile.openstreetmap.org".into(), 443))
        );
    }

    #[test]
    fn each_key_has_its_own_cache() {
        let mut a = PRESETS[0].source();
        let before = a.cache_key();
        a.headers.push(("X-Api-Key".into(), "k".into()));
        assert_ne!(a.cache_key(), before);
        assert_eq!(before.len(), 16);
    }
}
