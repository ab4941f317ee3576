//! The data model: datasets of incidents, each described by the claims of one or more claimants.
//!
//! An incident is what the claims are about; a claim is what one claimant said about it. Nothing
//! here turns a claim into a fact: positions, dates and losses live on the claims, with their
//! attribution, and an incident only carries what the dataset's author needs to place it on the
//! map and the timeline. Nothing in this module knows about egui.

mod claim;
mod date;
mod digest;
mod intern;
mod permute;
mod props;
pub mod registry;
pub mod side_choices;
mod sparse;
mod text;
mod thin;
mod title;

pub(crate) use crate::fxhash::FxMap;
pub use claim::{Claim, ClaimDetails, Losses, Source};
pub use date::{DateInterval, DatePrecision, DateWindow, Day};
pub use digest::{DigestPromise, FileDigest};
pub use intern::{Interner, Sym};
pub use props::{
    PackedSpan, Properties, RecordSpan, RowColumns, RowPacker, RowValues, SplitRecord, texts_of,
};
pub use sparse::{Rare, Sparse};
pub use text::{Text, TextFile, TextUnreadable};
pub use thin::{ThinOptStr, ThinSlice, ThinStr};
pub use title::Title;

use std::sync::Arc;

/// An incident's id as its file gives it: up to 15 bytes (every ACLED and UCDP id) kept inline in
/// the 16 bytes a boxed id took for its pointer alone, so ten million rows make no allocation for
/// their ids and hold 160 MB less.
pub type IncidentId = ecow::EcoString;

use crate::gazetteer::PlaceId;

/// Keys a file had that claimmap does not model, kept in their order so a save writes them back.
pub type Extra = Option<Box<serde_json::Map<String, serde_json::Value>>>;

/// A party claims come from (Azerbaijan, Armenia, the media…), with the colour the map uses.
#[derive(Clone, PartialEq, Debug)]
pub struct Side {
    pub id: Box<str>,
    pub name: Box<str>,
    pub colour: Rgb,
    /// Whether the side is a party to the conflict; claims from non-parties (media narration,
    /// observers) never make an incident contested.
    pub party: bool,
    pub extra: Extra,
}

/// `#rrggbb`, as in the file.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    pub fn parse_hex(text: &str) -> Option<Rgb> {
        let hex = text.trim().strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb([byte(0)?, byte(2)?, byte(4)?]))
    }

    pub fn to_hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }
}

/// Index of a [`Side`] in its dataset.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct SideId(pub u32);

/// Index of a [`Claimant`] in its dataset.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct ClaimantId(pub u32);

/// Who makes claims: a ministry, a government, an outlet's own narration.
#[derive(Clone, PartialEq, Debug)]
pub struct Claimant {
    pub id: Box<str>,
    pub name: Box<str>,
    pub side: SideId,
    pub kind: Option<Box<str>>,
    /// Overrides the side's colour when set.
    pub colour: Option<Rgb>,
    /// Added by the loader because a claim named it and the registry did not.
    pub implicit: bool,
    pub extra: Extra,
}

/// A place as a source names it, and what the gazetteer made of that name.
#[derive(Clone, PartialEq, Debug)]
pub struct PlaceRef {
    /// The words of the source ("Yukhari Shorzha settlement of the Basarkechar region").
    pub text: Sym,
    /// A gazetteer id the dataset's author pinned, kept as written.
    pub pinned: Option<Sym>,
    /// Derived at load time: the pinned place, or the gazetteer's best match for the text.
    pub resolved: Option<PlaceId>,
    /// Derived at load time: other places matched the text about as well.
    pub ambiguous: bool,
}

impl PlaceRef {
    /// A place as a source names it, not yet resolved.
    pub fn named(text: Sym) -> PlaceRef {
        PlaceRef {
            text,
            pinned: None,
            resolved: None,
            ambiguous: false,
        }
    }
}

/// How precisely the sources place an incident.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub enum LocationPrecision {
    #[default]
    Exact,
    Near,
    District,
    Province,
    Country,
    Region,
}

impl LocationPrecision {
    pub const ALL: [LocationPrecision; 6] = [
        LocationPrecision::Exact,
        LocationPrecision::Near,
        LocationPrecision::District,
        LocationPrecision::Province,
        LocationPrecision::Country,
        LocationPrecision::Region,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LocationPrecision::Exact => "exact",
            LocationPrecision::Near => "near",
            LocationPrecision::District => "district",
            LocationPrecision::Province => "province",
            LocationPrecision::Country => "country",
            LocationPrecision::Region => "region",
        }
    }

    /// How far from its point an incident of this precision may have happened, as a radius:
    /// what a figure must show around it so its frame claims no more precision than the source.
    pub fn uncertainty_metres(self) -> f64 {
        match self {
            LocationPrecision::Exact => 0.0,
            LocationPrecision::Near => 5_000.0,
            LocationPrecision::District => 15_000.0,
            LocationPrecision::Province => 35_000.0,
            LocationPrecision::Region => 50_000.0,
            LocationPrecision::Country => 120_000.0,
        }
    }

    pub fn parse(text: &str) -> Option<LocationPrecision> {
        LocationPrecision::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// Where an incident happened, as its file names it. A note on the location and the location
/// object's unknown members are in [`IncidentDetails`]: few rows have them.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Location {
    pub place: Option<PlaceRef>,
    pub precision: LocationPrecision,
}

impl Location {
    pub fn at(place: Option<PlaceRef>, precision: LocationPrecision) -> Location {
        Location { place, precision }
    }
}

/// What kind of event an incident is.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Category {
    ExchangeOfFire,
    ArmedAttack,
    Incursion,
    Killing,
    Detention,
    Mine,
    MilitaryOperation,
    Political,
    /// Context events (a cease-fire agreement, the start of a war) that reports recall.
    Background,
    Other,
    /// A category the file used that claimmap does not know; shown as "other", written back as is.
    Unknown(Sym),
}

impl Category {
    pub const KNOWN: [Category; 10] = [
        Category::ExchangeOfFire,
        Category::ArmedAttack,
        Category::Incursion,
        Category::Killing,
        Category::Detention,
        Category::Mine,
        Category::MilitaryOperation,
        Category::Political,
        Category::Background,
        Category::Other,
    ];

    /// The file's spelling; `None` for an unknown category, whose text is in the interner.
    pub fn key(&self) -> Option<&'static str> {
        Some(match self {
            Category::ExchangeOfFire => "exchange_of_fire",
            Category::ArmedAttack => "armed_attack",
            Category::Incursion => "incursion",
            Category::Killing => "killing",
            Category::Detention => "detention",
            Category::Mine => "mine",
            Category::MilitaryOperation => "military_operation",
            Category::Political => "political",
            Category::Background => "background",
            Category::Other => "other",
            Category::Unknown(_) => return None,
        })
    }

    pub fn label(&self) -> &'static str {
        match self {
            Category::ExchangeOfFire => "Exchange of fire",
            Category::ArmedAttack => "Armed attack",
            Category::Incursion => "Incursion",
            Category::Killing => "Killing",
            Category::Detention => "Detention",
            Category::Mine => "Mine",
            Category::MilitaryOperation => "Military operation",
            Category::Political => "Political",
            Category::Background => "Background",
            Category::Other | Category::Unknown(_) => "Other",
        }
    }

    pub fn from_key(key: &str, interner: &mut Interner) -> Category {
        Category::KNOWN
            .into_iter()
            .find(|c| c.key() == Some(key))
            .unwrap_or_else(|| Category::Unknown(interner.intern(key)))
    }
}

/// What an incident of a large import rarely has: the author's notes, a note on the location, and
/// the members of the feature and of its location claimmap does not model.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct IncidentDetails {
    pub notes: ThinOptStr,
    pub location_note: ThinOptStr,
    /// Unknown members of the location object.
    pub location_extra: Extra,
    /// Unknown members of the Feature itself.
    pub feature_extra: Extra,
}

impl Rare for IncidentDetails {
    const NONE: &'static IncidentDetails = &IncidentDetails {
        notes: ThinOptStr::NONE,
        location_note: ThinOptStr::NONE,
        location_extra: None,
        feature_extra: None,
    };
}

/// Where an incident is drawn, as lon/lat, and how that point was found. One value, so a point
/// always says where it came from and an unlocated incident has none; and 24 bytes, where a point
/// and its placement apart took 32 of a row.
#[derive(Copy, Clone, PartialEq, Debug)]
pub enum Placement {
    /// From the feature's own geometry: its point, or a point on its line or in its area.
    Geometry(geo::Point<f64>),
    /// From the gazetteer entry of `location.place`.
    Gazetteer(geo::Point<f64>),
    /// Nowhere: no geometry and no place the gazetteer knows.
    Unlocated,
}

impl Placement {
    /// Where the incident is drawn, if anywhere.
    pub fn point(&self) -> Option<geo::Point<f64>> {
        match *self {
            Placement::Geometry(p) | Placement::Gazetteer(p) => Some(p),
            Placement::Unlocated => None,
        }
    }
}

/// An event that one or more claims describe.
#[derive(Clone, PartialEq, Debug)]
pub struct Incident {
    pub id: IncidentId,
    /// Its own words, or two of its dataset's texts; [`Dataset::title`] reads it.
    pub title: Title,
    pub category: Category,
    pub date: DateInterval,
    /// The incident's own geometry when it is not a point (a line, an area), boxed: a point, as
    /// every row of a table has, is kept only as its [`Placement::Geometry`], so a million
    /// points do not each carry the room of a geometry.
    pub geometry: Option<Box<geo::Geometry<f64>>>,
    pub location: Location,
    /// A boxed slice: claims are never added once read, and 8 bytes a row count at a million.
    pub claims: Box<[Claim]>,
    /// Derived at load time: where the incident is drawn and why there.
    pub placement: Placement,
    /// Notes and unknown members, which few rows have; reads as empty when it has none.
    pub details: Sparse<IncidentDetails>,
    /// Unknown members of its `properties` (for a table row: the columns claimmap does not model).
    pub extra: Properties,
}

impl Incident {
    /// The incident's own geometry: the file's line or area, or the point its feature or its
    /// coordinate columns gave, which is kept only as its placement.
    pub fn own_geometry(&self) -> Option<std::borrow::Cow<'_, geo::Geometry<f64>>> {
        match (&self.geometry, self.placement) {
            (Some(geometry), _) => Some(std::borrow::Cow::Borrowed(geometry)),
            (None, Placement::Geometry(p)) => {
                Some(std::borrow::Cow::Owned(geo::Geometry::Point(p)))
            }
            _ => None,
        }
    }

    /// Where the incident is drawn, as lon/lat, once placed.
    pub fn point(&self) -> Option<geo::Point<f64>> {
        self.placement.point()
    }

    /// Places an incident at its own point (a table row's coordinate columns, a point feature's
    /// geometry), if any.
    pub fn at_point(mut self, point: Option<geo::Point<f64>>) -> Incident {
        if let Some(p) = point {
            self.placement = Placement::Geometry(p);
        }
        self
    }

    /// An incident as a loader builds it: placed later, when places are resolved. A point
    /// geometry places it at once, as a table row's coordinates do.
    pub fn new(
        id: IncidentId,
        title: impl Into<Title>,
        category: Category,
        date: DateInterval,
        geometry: Option<geo::Geometry<f64>>,
        location: Location,
        claims: Vec<Claim>,
    ) -> Incident {
        let (geometry, point) = match geometry {
            Some(geo::Geometry::Point(p)) => (None, Some(p)),
            other => (other.map(Box::new), None),
        };
        Incident {
            id,
            title: title.into(),
            category,
            date,
            geometry,
            location,
            claims: claims.into_boxed_slice(),
            placement: Placement::Unlocated,
            details: Sparse::NONE,
            extra: Properties::NONE,
        }
        .at_point(point)
    }
}

/// Dataset-level metadata from the file.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct DatasetMeta {
    pub title: Box<str>,
    pub description: Option<Box<str>>,
    pub licence: Option<Box<str>>,
    pub citation: Option<Box<str>>,
    /// Unknown members of the `claimmap` object.
    pub extra: Extra,
    /// Unknown members of the FeatureCollection.
    pub collection_extra: Extra,
}

impl DatasetMeta {
    /// What an importer says of a file that carries no metadata of its own: where it came from,
    /// under which terms, and how to cite it.
    pub fn imported(
        title: String,
        description: &str,
        licence: &str,
        citation: &str,
    ) -> DatasetMeta {
        DatasetMeta {
            title: title.into(),
            description: Some(description.into()),
            licence: Some(licence.into()),
            citation: Some(citation.into()),
            extra: None,
            collection_extra: None,
        }
    }
}

/// The file formats claimmap reads.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Format {
    Claimmap,
    Acled,
    Ucdp,
    Csv,
    /// A claims sheet: one row per claim (CSV/TSV, or a sheet of an Excel or OpenDocument
    /// workbook).
    Claims,
    GeoJson,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Claimmap => "claimmap",
            Format::Acled => "acled",
            Format::Ucdp => "ucdp",
            Format::Csv => "csv",
            Format::Claims => "claims",
            Format::GeoJson => "geojson",
        }
    }
}

/// Where a dataset came from, so exports can say exactly which bytes they show.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Provenance {
    /// A path on disk, or `embedded:<name>` for the built-in dataset.
    pub path: String,
    pub format: Format,
    /// Lowercase hex SHA-256 of the file's bytes (perhaps still being computed: see
    /// [`FileDigest::hex`]).
    pub sha256: FileDigest,
    pub bytes: u64,
}

/// A loaded dataset: metadata, registries, incidents sorted by start date, and the strings they
/// share.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub meta: DatasetMeta,
    pub sides: Vec<Side>,
    pub claimants: Vec<Claimant>,
    incidents: Vec<Incident>,
    /// `end_reach[i]` is the latest end among `incidents[..=i]`: non-decreasing, so the first
    /// incident a window can reach is found by binary search even though ends are not sorted.
    end_reach: Vec<Day>,
    pub strings: Interner,
    pub provenance: Provenance,
    /// The file the texts kept as spans are read from (a large table's), if any.
    text_file: Option<Arc<TextFile>>,
}

/// Sorts incidents by (start, end, id), keeping the file order of equal keys. An incident is a few
/// hundred bytes: a sort that moved them would move a million of them twenty times over, so the
/// sort orders small keys and then moves each incident once into place.
fn sort_incidents(incidents: &mut [Incident]) {
    sort_incidents_on(
        incidents,
        crate::parallel::threads_for(incidents.len(), SORT_PARALLEL_MIN),
    );
}

/// Fewer incidents than this are sorted on one thread: starting threads would cost more.
const SORT_PARALLEL_MIN: usize = 1 << 16;

/// [`sort_incidents`], the runs of equal dates ordered on `threads` threads.
fn sort_incidents_on(incidents: &mut [Incident], threads: usize) {
    let key = |i: &Incident| (i.date.start(), i.date.end());
    if incidents
        .windows(2)
        .all(|w| (key(&w[0]), &w[0].id) <= (key(&w[1]), &w[1].id))
    {
        return;
    }
    // The incidents by start day, then each run of one start day (hundreds of rows share a day)
    // by end day, id and index, the runs shared out among the threads: a run's order depends on
    // its own rows only.
    let mut order = by_start_day(incidents);
    let start = |i: u32| incidents[i as usize].date.start();
    let groups = runs_in_groups(&mut order, threads.max(1) * 4, start);
    let ids: &[Incident] = incidents;
    for sorted in crate::parallel::map(groups, threads, |_, group| sort_runs(ids, group)) {
        crate::parallel::raised(sorted, "sorting the incidents");
    }
    permute::permute_on(incidents, order, threads);
    debug_assert!(
        incidents
            .windows(2)
            .all(|w| (key(&w[0]), &w[0].id) <= (key(&w[1]), &w[1].id))
    );
}

/// The indices of `incidents` in order of their start days (in any order within a day). A
/// counting sort when the days span no more than a few times as many days as there are
/// incidents (years of daily reports), one pass over the days where sorting ten million keys
/// took half a second; a sort of the days otherwise.
fn by_start_day(incidents: &[Incident]) -> Vec<u32> {
    let starts: Vec<i32> = incidents.iter().map(|i| i.date.start().0).collect();
    let (Some(&min), Some(&max)) = (starts.iter().min(), starts.iter().max()) else {
        return Vec::new();
    };
    let span = (i64::from(max) - i64::from(min)) as u64 + 1;
    if span > (incidents.len().max(1 << 16) as u64) * 4 {
        let mut keyed: Vec<(i32, u32)> = starts.iter().zip(0..).map(|(&s, n)| (s, n)).collect();
        keyed.sort_unstable();
        return keyed.into_iter().map(|(_, n)| n).collect();
    }
    let day = |s: i32| (i64::from(s) - i64::from(min)) as usize;
    // Where each day's indices start, then where its next one goes.
    let mut next = vec![0u32; span as usize + 1];
    for &s in &starts {
        next[day(s) + 1] += 1;
    }
    for d in 1..next.len() {
        next[d] += next[d - 1];
    }
    let mut order = vec![0u32; starts.len()];
    for (&s, n) in starts.iter().zip(0..) {
        let at = &mut next[day(s)];
        order[*at as usize] = n;
        *at += 1;
    }
    order
}

/// `order` (in order of `key`) cut into about `groups` groups of whole runs of one key.
fn runs_in_groups<K: PartialEq>(
    order: &mut [u32],
    groups: usize,
    key: impl Fn(u32) -> K,
) -> Vec<&mut [u32]> {
    let target = order.len().div_ceil(groups.max(1)).max(1);
    let mut cuts = Vec::new();
    let mut at = target;
    while at < order.len() {
        // The end of the run that holds `at - 1`.
        let run = key(order[at - 1]);
        at += order[at..].partition_point(|&i| key(i) == run);
        if at < order.len() {
            cuts.push(at);
        }
        at += target;
    }
    let len = order.len();
    crate::parallel::cut_at(order, cuts.into_iter().chain([len]))
}

/// Orders each run of one start day in `order` by end day, id, then index (the file order), from
/// the ids' first sixteen bytes, read once each, so a comparison rarely has to look at two
/// incidents: with eight bytes, ids such as AZE1234567 tied in groups of a hundred, and most
/// comparisons read both ids from scattered memory.
fn sort_runs(incidents: &[Incident], order: &mut [u32]) {
    let start = |i: u32| incidents[i as usize].date.start();
    let mut keys: Vec<(Day, u128, u32)> = Vec::new();
    for run in order.chunk_by_mut(|&a, &b| start(a) == start(b)) {
        if run.len() < 2 {
            continue;
        }
        keys.clear();
        keys.extend(run.iter().map(|&i| {
            let incident = &incidents[i as usize];
            (incident.date.end(), id_prefix(&incident.id), i)
        }));
        // The index last makes the unstable sort agree with a stable one.
        // Only equal prefixes look at the ids themselves.
        keys.sort_unstable_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| incidents[a.2 as usize].id.cmp(&incidents[b.2 as usize].id))
                .then(a.2.cmp(&b.2))
        });
        for (i, &(_, _, index)) in run.iter_mut().zip(&keys) {
            *i = index;
        }
    }
}

/// An id's first sixteen bytes, zero-padded, as a big-endian number: a smaller prefix is a
/// smaller id; equal prefixes say nothing (an id may go on, or end in zero bytes).
fn id_prefix(id: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let n = id.len().min(16);
    bytes[..n].copy_from_slice(&id.as_bytes()[..n]);
    u128::from_be_bytes(bytes)
}

/// Where a dataset started in the window comes from until it is saved.
pub const UNTITLED_PATH: &str = "new:Untitled";

impl Dataset {
    /// An empty dataset started in the window, with the registry's sides, to be saved as a new
    /// native file.
    pub fn untitled() -> Dataset {
        Dataset::new(
            DatasetMeta {
                title: "Untitled".into(),
                ..DatasetMeta::default()
            },
            registry::registry().sides.clone(),
            Vec::new(),
            Vec::new(),
            Interner::default(),
            Provenance {
                path: UNTITLED_PATH.to_owned(),
                format: Format::Claimmap,
                sha256: String::new().into(),
                bytes: 0,
            },
        )
    }

    /// An incident's id as its file gives it: the importers prefix UCDP ids to keep them apart
    /// from others in one window; the user knows the bare number.
    pub fn file_id<'a>(&self, incident: &'a Incident) -> &'a str {
        match self.provenance.format {
            Format::Ucdp => incident.id.strip_prefix("ucdp:").unwrap_or(&incident.id),
            _ => &incident.id,
        }
    }

    /// Builds a dataset, sorting the incidents by (start, end, id) so date windows are contiguous.
    pub fn new(
        meta: DatasetMeta,
        sides: Vec<Side>,
        claimants: Vec<Claimant>,
        mut incidents: Vec<Incident>,
        strings: Interner,
        provenance: Provenance,
    ) -> Dataset {
        sort_incidents(&mut incidents);
        let mut dataset = Dataset {
            meta,
            sides,
            claimants,
            incidents,
            end_reach: Vec::new(),
            strings,
            provenance,
            text_file: None,
        };
        dataset.recompute_end_reach();
        dataset
    }

    /// Names the file this dataset's texts kept as spans are read from.
    pub fn set_text_file(&mut self, file: Option<Arc<TextFile>>) {
        self.text_file = file;
    }

    /// Why texts of this dataset cannot be read back from its file, once a read found out: a
    /// save or an export made after that would not say what the file said, and must fail.
    pub fn unreadable_text(&self) -> Option<&TextUnreadable> {
        self.text_file.as_deref()?.failure()
    }

    /// Fails when a text of this dataset could not be read back from its file: called by every
    /// writer before it commits, so a save or an export never holds the message shown instead.
    pub fn texts_readable(&self) -> std::io::Result<()> {
        match self.unreadable_text() {
            Some(e) => Err(std::io::Error::other(e.0.clone())),
            None => Ok(()),
        }
    }

    pub fn incidents(&self) -> &[Incident] {
        &self.incidents
    }

    /// Takes out the incident equal to `which`, keeping the order of the rest; `None` if there
    /// is none. Matched whole, not by id: imported files can repeat an id.
    pub fn remove_incident(&mut self, which: &Incident) -> Option<Incident> {
        let at = self
            .incidents
            .iter()
            .position(|i| i.id == which.id && i == which)?;
        let removed = self.incidents.remove(at);
        self.recompute_end_reach();
        Some(removed)
    }

    /// Puts an incident in its place in the (start, end, id) order and returns its index. An
    /// edit moves one incident, so a shift of the vector is cheaper than sorting again.
    pub fn insert_incident(&mut self, incident: Incident) -> usize {
        let key = |i: &Incident| (i.date.start(), i.date.end());
        let at = self
            .incidents
            .partition_point(|i| (key(i), &i.id) <= (key(&incident), &incident.id));
        self.incidents.insert(at, incident);
        self.recompute_end_reach();
        debug_assert!(
            self.incidents
                .windows(2)
                .all(|w| (key(&w[0]), &w[0].id) <= (key(&w[1]), &w[1].id))
        );
        at
    }

    fn recompute_end_reach(&mut self) {
        self.end_reach = self
            .incidents
            .iter()
            .scan(Day(i32::MIN), |reach, i| {
                *reach = (*reach).max(i.date.end());
                Some(*reach)
            })
            .collect();
    }

    /// The latest end of any incident, without walking them (the running reach's last value).
    pub fn last_end(&self) -> Option<Day> {
        self.end_reach.last().copied()
    }

    pub fn incident(&self, id: &str) -> Option<&Incident> {
        self.incidents.iter().find(|i| &*i.id == id)
    }

    pub fn claimant(&self, id: ClaimantId) -> &Claimant {
        &self.claimants[id.0 as usize]
    }

    pub fn side(&self, id: SideId) -> &Side {
        &self.sides[id.0 as usize]
    }

    pub fn claimant_side(&self, id: ClaimantId) -> &Side {
        self.side(self.claimant(id).side)
    }

    pub fn claimant_colour(&self, id: ClaimantId) -> Rgb {
        let claimant = self.claimant(id);
        claimant.colour.unwrap_or(self.side(claimant.side).colour)
    }

    pub fn text(&self, sym: Sym) -> &str {
        self.strings.resolve(sym)
    }

    /// The title of `incident`, one of this dataset's.
    pub fn title<'a>(&'a self, incident: &'a Incident) -> std::borrow::Cow<'a, str> {
        incident.title.text(&self.strings)
    }

    /// The distinct party sides an incident's claims come from, in registry order.
    pub fn party_sides(&self, incident: &Incident) -> Vec<SideId> {
        let mut sides: Vec<SideId> = incident
            .claims
            .iter()
            .map(|c| self.claimant(c.claimant).side)
            .filter(|&s| self.side(s).party)
            .collect();
        sides.sort();
        sides.dedup();
        sides
    }

    /// Contested: claims from two or more different parties. Without allocating: the filters ask
    /// it of every incident in the window.
    pub fn is_contested(&self, incident: &Incident) -> bool {
        let mut first = None;
        for claim in &incident.claims {
            let side = self.claimant(claim.claimant).side;
            if !self.side(side).party {
                continue;
            }
            match first {
                None => first = Some(side),
                Some(f) if f != side => return true,
                Some(_) => {}
            }
        }
        false
    }

    /// The indices of the incidents that may meet the window: every incident outside the range
    /// misses it, those inside still need [`DateInterval::meets`].
    pub fn window_candidates(&self, window: &DateWindow) -> std::ops::Range<usize> {
        // Sorted by start: everything from the first start past `to` on is out; and everything
        // before the first index whose running latest end reaches `from` ended too early.
        let end = self
            .incidents
            .partition_point(|i| i.date.start() <= window.to);
        let start = self.end_reach[..end].partition_point(|&reach| reach < window.from);
        start..end
    }

    /// The incidents whose dates meet the window (both ends included).
    pub fn in_window<'a>(&'a self, window: &'a DateWindow) -> impl Iterator<Item = &'a Incident> {
        self.incidents[self.window_candidates(window)]
            .iter()
            .filter(move |i| i.date.meets(window))
    }

    /// Every place reference in the dataset: locations, then each claim's origins and targets.
    pub fn place_refs(&self) -> impl Iterator<Item = &PlaceRef> {
        self.incidents.iter().flat_map(|i| {
            i.location.place.iter().chain(
                i.claims
                    .iter()
                    .flat_map(|c| c.details.from.iter().chain(&c.details.to)),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A million rows hold a million incidents and one to four million claims: a field added
    /// inline costs its size that many times over, so it should be boxed unless most rows have it.
    #[test]
    fn rows_stay_small() {
        assert!(std::mem::size_of::<Incident>() <= 160);
        // Ids of up to 15 bytes (ACLED's, UCDP's) kept inline, with no allocation of their own.
        assert_eq!(std::mem::size_of::<IncidentId>(), 16);
        // A table row's unmodelled columns: a span of its part's packed bytes and the part.
        assert!(std::mem::size_of::<Properties>() <= 16);
        // Claimant, quote, losses, outlet and document inline; the rest behind one pointer.
        assert!(std::mem::size_of::<Claim>() <= 56);
        // A text of the file is no larger than a location plus an offset: 24 bytes.
        assert!(std::mem::size_of::<Text>() <= 24);
    }

    /// A point feature is placed by its point and allocates no geometry; a line keeps its own.
    #[test]
    fn a_point_geometry_is_the_incident_point() {
        let at = |geometry: geo::Geometry<f64>| {
            let date = DateInterval::new(Day(0), Day(0), DatePrecision::Day).expect("a day");
            let location = Location::at(None, LocationPrecision::Exact);
            Incident::new(
                "p".into(),
                "t",
                Category::Other,
                date,
                Some(geometry),
                location,
                vec![],
            )
        };
        let point = at(geo::Point::new(45.5, 40.1).into());
        assert!(point.geometry.is_none());
        assert_eq!(
            point.placement,
            Placement::Geometry(geo::Point::new(45.5, 40.1))
        );
        assert_eq!(
            point.own_geometry().as_deref(),
            Some(&geo::Geometry::Point(geo::Point::new(45.5, 40.1)))
        );
        let line: geo::Geometry<f64> =
            geo::LineString::from(vec![(45.0, 40.0), (46.0, 40.5)]).into();
        let road = at(line.clone());
        assert_eq!(road.geometry.as_deref(), Some(&line));
        assert_eq!(
            road.placement,
            Placement::Unlocated,
            "placed later, at a point on the line"
        );
        assert_eq!(road.own_geometry().as_deref(), Some(&line));
    }

    fn incident(id: &str, start: i32, length: i32) -> Incident {
        let date = DateInterval::new(Day(start), Day(start + length), DatePrecision::Day)
            .expect("start before end");
        Incident::new(
            id.into(),
            "t",
            Category::Other,
            date,
            None,
            Location::at(None, LocationPrecision::Country),
            Vec::new(),
        )
    }

    proptest::proptest! {
        /// Ids compare as their prefixes do wherever the prefixes differ.
        #[test]
        fn an_id_prefix_orders_as_the_id(a in "[A-Z0-9\\x00é]{0,20}", b in "[A-Z0-9\\x00é]{0,20}") {
            let (pa, pb) = (id_prefix(&a), id_prefix(&b));
            if pa != pb {
                proptest::prop_assert_eq!(pa.cmp(&pb), a.as_str().cmp(b.as_str()));
            }
        }
    }

    /// Groups hold whole runs of one key, all of them in order, no more than asked.
    #[test]
    fn groups_hold_whole_runs() {
        let mut order: Vec<u32> = (0..1_000).collect();
        let key = |i: u32| i / 37;
        let whole = order.clone();
        for asked in [1, 2, 3, 8, 64, 5_000] {
            let groups: Vec<Vec<u32>> = runs_in_groups(&mut order, asked, key)
                .into_iter()
                .map(|g| g.to_vec())
                .collect();
            assert_eq!(groups.concat(), whole, "{asked} asked");
            assert!(groups.iter().all(|g| !g.is_empty()));
            assert!(groups.len() <= asked, "{asked} asked");
            for pair in groups.windows(2) {
                assert_ne!(
                    key(pair[0][pair[0].len() - 1]),
                    key(pair[1][0]),
                    "a run cut"
                );
            }
        }
        assert_eq!(runs_in_groups(&mut [], 4, key).len(), 1);
    }

    proptest::proptest! {
        /// The sort orders as a stable sort on (start, end, id) does: ids that
        /// share their first sixteen bytes, are shorter than sixteen, end in zero bytes or
        /// repeat; days before the epoch and after.
        #[test]
        fn incidents_sort_as_a_stable_sort_by_dates_and_id(
            rows in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "", "A", "AZE1", "AZE10", "AZE2", "AZE12345", "AZE123456", "AZE123457",
                        "AZE12345\0", "AZE12345\0\0", "ARM99999999999", "ARM9999999999", "é",
                        "AZE1234567890123", "AZE12345678901234", "AZE123456789012345",
                        "AZE1234567890123\0", "AZE12345678901233",
                    ]),
                    -3i32..3,
                    0i32..2,
                ),
                0..60,
            ),
            far in proptest::bool::ANY,
            newest_first in proptest::bool::ANY,
            threads in 1usize..4,
            wide in proptest::bool::ANY,
        ) {
            let base = if far { -800_000 } else { 0 };
            let mut rows = rows;
            if newest_first {
                // As ACLED lists them: the latest day first, a day's rows in any order.
                rows.sort_by_key(|r| std::cmp::Reverse((r.1, r.2)));
            }
            let mut incidents: Vec<Incident> = rows
                .iter()
                .map(|(id, start, length)| incident(id, base + start, *length))
                .collect();
            if wide {
                // Days too far apart to count: sorted by comparisons instead.
                incidents.push(incident("AZE1", 900_000, 0));
                incidents.insert(0, incident("AZE2", -900_000, 1));
            }
            for (n, i) in incidents.iter_mut().enumerate() {
                i.title = n.to_string().into();
            }
            let mut expected = incidents.clone();
            expected.sort_by(|a, b| {
                (a.date.start(), a.date.end(), &a.id).cmp(&(b.date.start(), b.date.end(), &b.id))
            });
            sort_incidents_on(&mut incidents, threads);
            let strings = Interner::default();
            let titles = |v: &[Incident]| {
                v.iter()
                    .map(|i| i.title.text(&strings).into_owned())
                    .collect::<Vec<_>>()
            };
            proptest::prop_assert_eq!(titles(&incidents), titles(&expected));
        }
    }
}
