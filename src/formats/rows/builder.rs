//! Row building: the incidents, claimants, sides and shared strings an importer's rows add up
//! to, each incident's unmodelled columns packed as its properties, the builders of a table's
//! parts joined in file order, and the dataset they become (a repeated incident id reported, its
//! first row kept).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::formats::native::Parsed;
use crate::formats::report::LoadReport;
use crate::model::registry::{RegisteredClaimant, registry};
use crate::model::{
    Category, Claimant, ClaimantId, DatasetMeta, FxMap, Incident, IncidentId, Interner, Losses,
    PackedSpan, PlaceRef, Properties, RecordSpan, Rgb, RowColumns, RowPacker, RowValues, Side,
    SideId, Sym,
};
use crate::parallel;

/// At most this many texts (and as many worded losses) are kept for sharing by one thread of a
/// load: a file whose every row has a title of its own stops sharing there rather than keep a
/// second copy of every title.
const SHARED_MAX: usize = 1 << 18;

/// What one thread's rows repeat, kept from one part it reads to the next of the same load: a
/// title such as "Armed clash: Talish" recurs in part after part of a year-long file, and each
/// part sharing it only with its own rows made 885,246 copies of a million rows' 64,591 titles.
#[derive(Default)]
pub(super) struct Repeated {
    shared: FxMap<Arc<str>, ()>,
    losses: FxMap<Box<str>, Arc<Losses>>,
}

/// The registry's claimant for each source name met so far in a load (`Registry::find` is a
/// Unicode fold and a few allocations a call).
#[derive(Default)]
struct RegistryNames(RwLock<FxMap<Box<str>, Option<&'static RegisteredClaimant>>>);

impl RegistryNames {
    fn find(&self, name: &str) -> Option<&'static RegisteredClaimant> {
        // A poisoned lock only means a part's thread panicked mid-insert of a whole entry.
        if let Some(&found) = self.0.read().unwrap_or_else(|e| e.into_inner()).get(name) {
            return found;
        }
        let found = registry().find(name);
        self.0
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.into(), found);
        found
    }
}

/// Colours of the claimant sides importers create.
pub(crate) const SOURCE_GREY: Rgb = Rgb([0x5f, 0x6b, 0x7a]);

/// Packed bytes after which a builder seals its rows and starts new shared bytes: a row's span
/// counts in 32 bits, and a part read whole from memory can hold more rows than a streamed block.
const SEAL_PACKED_BYTES: usize = 1 << 30;

/// Sides, claimants and incidents as rows add them.
pub(crate) struct Builder {
    pub strings: Interner,
    sides: Vec<Side>,
    claimants: Vec<Claimant>,
    claimant_ids: FxMap<Box<str>, ClaimantId>,
    /// Source names as files write them, and the registry's claimant each names (`None`: the
    /// registry does not know it), so a name is looked up once per part, not once per row.
    named: FxMap<Box<str>, Option<ClaimantId>>,
    /// What the registry makes of each source name, shared by the parts of one load: a file
    /// citing thousands of outlets has each name matched once, not once per part.
    registry_names: Arc<RegistryNames>,
    incidents: Vec<Incident>,
    /// The line of each incident's row (a table of 2^32 lines is past any spreadsheet's).
    lines: Vec<u32>,
    /// Packs the rows' unmodelled columns; `packed[i]` is incident `i`'s until [`Builder::seal`]
    /// (`None`: the row's record is read back from its file, see [`Builder::push_in_file`]).
    packer: Option<RowPacker>,
    packed: Vec<Option<PackedSpan>>,
    /// The columns of this part's rows read back from their file, once a row is.
    record_columns: Option<Arc<RowColumns>>,
    /// Packed bytes after which the rows so far are sealed ([`SEAL_PACKED_BYTES`]).
    seal_bytes: usize,
    /// Texts many rows repeat (titles, worded counts), shared rather than copied per row.
    /// Each text once: the set's key is the shared text itself.
    shared: FxMap<Arc<str>, ()>,
    /// Counts of losses by the cell they were read from: thousands of rows give the same.
    losses: FxMap<Box<str>, Arc<Losses>>,
}

impl Builder {
    pub fn new() -> Builder {
        Builder {
            strings: Interner::default(),
            sides: Vec::new(),
            claimants: Vec::new(),
            claimant_ids: FxMap::default(),
            named: FxMap::default(),
            registry_names: Arc::default(),
            incidents: Vec::new(),
            lines: Vec::new(),
            packer: None,
            packed: Vec::new(),
            record_columns: None,
            seal_bytes: SEAL_PACKED_BYTES,
            shared: FxMap::default(),
            losses: FxMap::default(),
        }
    }

    /// `text`, shared with the rows that had the same: of this part, and of the parts its thread
    /// read before in the same load (see [`Repeated`]).
    pub fn shared(&mut self, text: &str) -> Arc<str> {
        if let Some((found, ())) = self.shared.get_key_value(text) {
            return found.clone();
        }
        let new: Arc<str> = text.into();
        // A part that keeps finding new texts (unique titles) stops keeping them.
        if self.shared.len() < SHARED_MAX {
            self.shared.insert(new.clone(), ());
        }
        new
    }

    /// The losses `cell` reads as, made by `read` the first time this part meets the cell and
    /// shared with the part's later rows that have the same.
    pub fn shared_losses(
        &mut self,
        cell: &str,
        read: impl FnOnce(&mut Builder) -> Losses,
    ) -> Arc<Losses> {
        if let Some(found) = self.losses.get(cell) {
            return found.clone();
        }
        let new = Arc::new(read(self));
        if self.losses.len() < SHARED_MAX {
            self.losses.insert(cell.into(), new.clone());
        }
        new
    }

    pub(super) fn with_packer(packer: RowPacker) -> Builder {
        Builder {
            packer: Some(packer),
            ..Builder::new()
        }
    }

    /// A builder for a part of the same table: the same sides and columns, nothing else yet.
    pub(super) fn empty_like(&self) -> Builder {
        Builder {
            strings: self.strings.clone(),
            sides: self.sides.clone(),
            claimants: self.claimants.clone(),
            claimant_ids: self.claimant_ids.clone(),
            named: self.named.clone(),
            registry_names: self.registry_names.clone(),
            packer: self.packer.as_ref().map(RowPacker::empty_like),
            ..Builder::new()
        }
    }

    /// Adds a side that is not a party to the conflict (reporters, coders, outlets).
    pub fn non_party_side(&mut self, id: &str, name: &str) -> SideId {
        if let Some(i) = self.sides.iter().position(|s| &*s.id == id) {
            return SideId(i as u32);
        }
        self.sides.push(Side {
            id: id.into(),
            name: name.into(),
            colour: SOURCE_GREY,
            party: false,
            extra: None,
        });
        SideId(self.sides.len() as u32 - 1)
    }

    /// The side with `side`'s id, added as `side` is the first time.
    pub fn side(&mut self, side: &Side) -> SideId {
        if let Some(i) = self.sides.iter().position(|s| s.id == side.id) {
            return SideId(i as u32);
        }
        self.sides.push(side.clone());
        SideId(self.sides.len() as u32 - 1)
    }

    /// The claimant of the claimant registry a source name refers to, added with its registry
    /// id, name and side the first time; `None` when the registry does not know the name.
    pub fn registered(&mut self, name: &str) -> Option<ClaimantId> {
        if let Some(&found) = self.named.get(name) {
            return found;
        }
        let registry = registry();
        let found = self.registry_names.find(name).map(|entry| {
            let side = self.side(registry.side_of(entry));
            self.add_claimant(Claimant {
                id: entry.id.as_str().into(),
                name: entry.name.as_str().into(),
                side,
                kind: Some(entry.kind.as_str().into()),
                colour: None,
                implicit: false,
                extra: None,
            })
        });
        self.named.insert(name.into(), found);
        found
    }

    /// The claimant a source name refers to: the registry's, or else one by that name on
    /// `unknown_side`.
    pub fn source_claimant(&mut self, name: &str, unknown_side: SideId, kind: &str) -> ClaimantId {
        match self.registered(name) {
            Some(found) => found,
            None => self.claimant(name, unknown_side, kind),
        }
    }

    /// The side a claimant is on.
    pub fn claimant_side(&self, claimant: ClaimantId) -> SideId {
        self.claimants[claimant.0 as usize].side
    }

    /// Joins the incidents that share an id into the first of them: a claims sheet's rows, one
    /// claim each, become incidents with all their claims. A later row whose date, place,
    /// category or title differs from the first's is warned about; the first row's are kept.
    pub fn group_by_id(&mut self, report: &mut LoadReport) {
        self.seal();
        let mut first: HashMap<IncidentId, usize> = HashMap::new();
        let mut into: Vec<Option<usize>> = vec![None; self.incidents.len()];
        for (i, incident) in self.incidents.iter().enumerate() {
            match first.get(&incident.id) {
                Some(&f) => into[i] = Some(f),
                None => {
                    first.insert(incident.id.clone(), i);
                }
            }
        }
        #[allow(clippy::needless_range_loop)]
        for i in 0..self.incidents.len() {
            let Some(f) = into[i] else { continue };
            let (head, tail) = self.incidents.split_at_mut(i);
            let (kept, row) = (&mut head[f], &mut tail[0]);
            let place = |i: &Incident| {
                i.location
                    .place
                    .as_ref()
                    .map(|p| self.strings.resolve(p.text))
            };
            let mut differs = Vec::new();
            if kept.date != row.date {
                differs.push("date");
            }
            if place(kept) != place(row) || kept.point() != row.point() {
                differs.push("place");
            }
            if kept.category != row.category {
                differs.push("category");
            }
            if kept.title != row.title {
                differs.push("title");
            }
            if !differs.is_empty() {
                report.warning(
                    self.lines[i] as usize,
                    format!(
                        "incident \"{}\": this row's {} differs from line {}'s; the first row's is kept",
                        row.id,
                        differs.join(", "),
                        self.lines[f]
                    ),
                );
            }
            let mut claims = std::mem::take(&mut kept.claims).into_vec();
            claims.extend(std::mem::take(&mut row.claims).into_vec());
            kept.claims = claims.into_boxed_slice();
        }
        let mut index = 0;
        self.incidents.retain(|_| {
            index += 1;
            into[index - 1].is_none()
        });
        let mut index = 0;
        self.lines.retain(|_| {
            index += 1;
            into[index - 1].is_none()
        });
    }

    /// The names of the claimants on `side`, in the order they were added.
    pub fn claimants_on(&self, side: &str) -> Vec<String> {
        self.claimants
            .iter()
            .filter(|c| *self.sides[c.side.0 as usize].id == *side)
            .map(|c| c.name.to_string())
            .collect()
    }

    /// The claimant with `claimant`'s id, added as it is the first time.
    fn add_claimant(&mut self, claimant: Claimant) -> ClaimantId {
        if let Some(&found) = self.claimant_ids.get(&claimant.id) {
            return found;
        }
        let new = ClaimantId(self.claimants.len() as u32);
        self.claimant_ids.insert(claimant.id.clone(), new);
        self.claimants.push(claimant);
        new
    }

    /// The claimant with this id (also its name), added on `side` the first time.
    pub fn claimant(&mut self, id: &str, side: SideId, kind: &str) -> ClaimantId {
        if let Some(&found) = self.claimant_ids.get(id) {
            return found;
        }
        let new = ClaimantId(self.claimants.len() as u32);
        self.claimants.push(Claimant {
            id: id.into(),
            name: id.into(),
            side,
            kind: Some(kind.into()),
            colour: None,
            implicit: false,
            extra: None,
        });
        self.claimant_ids.insert(id.into(), new);
        new
    }

    pub fn push(&mut self, incident: Incident, line: usize) {
        self.incidents.push(incident);
        self.lines.push(line as u32);
        if self.packer.is_some() {
            self.packed.push(Some(PackedSpan::default()));
        }
    }

    /// Adds an incident with the values of its table row's unmodelled columns (see
    /// [`ExtraColumns::values`]).
    pub fn push_row<'v>(
        &mut self,
        incident: Incident,
        line: usize,
        values: impl IntoIterator<Item = &'v str>,
    ) {
        self.incidents.push(incident);
        self.lines.push(line as u32);
        if let Some(packer) = &mut self.packer {
            self.packed.push(Some(packer.pack(values)));
            if packer.packed_len() >= self.seal_bytes {
                self.seal();
            }
        }
    }

    /// Adds an incident whose unmodelled columns are read back from `span` of its file when
    /// asked for; `columns` makes the part's columns of its file, the first time.
    pub fn push_in_file(
        &mut self,
        mut incident: Incident,
        line: usize,
        span: RecordSpan,
        columns: impl FnOnce() -> Arc<RowColumns>,
    ) {
        let columns = self.record_columns.get_or_insert_with(columns).clone();
        incident.extra = Properties::Row(RowValues::in_file(columns, span));
        self.incidents.push(incident);
        self.lines.push(line as u32);
        if self.packer.is_some() {
            self.packed.push(None);
        }
    }

    /// The incidents so far.
    pub(super) fn len(&self) -> usize {
        self.incidents.len()
    }

    /// Gives each incident so far its packed properties, readable from now on.
    pub(super) fn seal(&mut self) {
        let Some(packer) = self.packer.take() else {
            return;
        };
        let fresh = packer.empty_like();
        let columns: Arc<RowColumns> = packer.finish();
        debug_assert!(self.packed.len() <= self.incidents.len());
        let start = self.incidents.len() - self.packed.len();
        for (incident, packed) in self.incidents[start..]
            .iter_mut()
            .zip(self.packed.drain(..))
        {
            if let Some(packed) = packed {
                incident.extra = Properties::Row(RowValues::new(columns.clone(), packed));
            }
        }
        self.packer = Some(fresh);
    }

    /// Swaps what this builder's rows repeated with `kept`: a part's builder takes what its
    /// thread kept from its earlier parts, and gives it back, with its own, when it is done.
    pub(super) fn swap_repeated(&mut self, kept: &mut Repeated) {
        std::mem::swap(&mut self.shared, &mut kept.shared);
        std::mem::swap(&mut self.losses, &mut kept.losses);
    }

    /// Makes room for `rows` more incidents at once: growing a vector of a million incidents by
    /// doubling would hold the old and the new copy together, a third more memory at the peak.
    pub(super) fn reserve(&mut self, rows: usize) {
        self.incidents.reserve(rows);
        self.lines.reserve(rows);
    }

    /// Makes room for a part's `rows` rows, their packed columns too: a part's vectors grown by
    /// doubling would copy its rows several times into memory the kernel clears first.
    pub(super) fn reserve_part(&mut self, rows: usize) {
        self.reserve(rows);
        if self.packer.is_some() {
            self.packed.reserve(rows);
        }
    }

    /// Appends what a builder read from the next part of the same table: its strings, claimants
    /// and incidents, renumbered into this builder's.
    pub(super) fn absorb(&mut self, part: Builder) {
        self.seal();
        let Builder {
            strings,
            sides,
            claimants,
            incidents,
            lines,
            ..
        } = part;
        let syms: Vec<Sym> = (0..strings.len())
            .map(|i| self.strings.intern(strings.resolve(Sym::from_index(i))))
            .collect();
        let sym = |s: Sym| syms[s.index()];
        let claimant_ids: Vec<ClaimantId> = claimants
            .iter()
            .map(|c| {
                let side = self.side(&sides[c.side.0 as usize]);
                self.add_claimant(Claimant { side, ..c.clone() })
            })
            .collect();
        for (mut incident, line) in incidents.into_iter().zip(lines) {
            renumber(&mut incident, &sym, &claimant_ids);
            self.incidents.push(incident);
            self.lines.push(line);
        }
    }

    /// The dataset so far; a repeated incident id is reported and only its first row kept.
    pub fn finish(mut self, meta: DatasetMeta, report: &mut LoadReport) -> Parsed {
        self.seal();
        let Builder {
            strings,
            sides,
            claimants,
            mut incidents,
            mut lines,
            ..
        } = self;
        let duplicates = repeated_ids(&incidents);
        if !duplicates.is_empty() {
            for &i in &duplicates {
                report.skipped += 1;
                report.error(
                    lines[i] as usize,
                    format!(
                        "duplicate incident id \"{}\"; the first is kept",
                        incidents[i].id
                    ),
                );
            }
            let mut index = 0;
            let mut next_dup = duplicates.iter().peekable();
            let mut kept = Vec::with_capacity(lines.len());
            incidents.retain(|_| {
                let drop = next_dup.peek().is_some_and(|&&d| d == index);
                if drop {
                    next_dup.next();
                } else {
                    kept.push(lines[index]);
                }
                index += 1;
                !drop
            });
            lines = kept;
        }
        Parsed {
            meta,
            sides,
            claimants,
            incidents,
            strings,
            is_native: false,
            refused: None,
            lines,
        }
    }
}

/// The indices of incidents whose id an earlier incident has, in order, found on every core.
fn repeated_ids(incidents: &[Incident]) -> Vec<usize> {
    let threads = parallel::threads_for(incidents.len(), REPEATED_PARALLEL_MIN);
    repeated_ids_with(incidents, threads, id_hash)
}

/// Fewer ids than this are checked on one thread: starting threads would cost more.
const REPEATED_PARALLEL_MIN: usize = 1 << 16;

/// 32 bits of an id's hash for [`repeated_ids`], mixed so that ids alike but for their last
/// digits (AZE1234567, AZE1234568…) spread over all of them. FxHash's multiplications carry a
/// difference only upwards and its rotation folds it back into a few low bits: it gave 2.4
/// million colliding pairs among ten million such ids, each pair two ids read from scattered
/// memory and compared, where 32 random bits give about 11,600.
fn id_hash(id: &str) -> u32 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (id.len() as u64).wrapping_mul(K);
    for chunk in id.as_bytes().chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(word)).wrapping_mul(K);
        h ^= h >> 32;
    }
    // MurmurHash3's finaliser: every bit of `h` reaches the 32 kept.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    (h >> 32) as u32
}

/// [`repeated_ids`] on `threads` threads with `hash`. Each incident's id hash and index make one
/// `u64` key (8 bytes a row, where a set of the ids would hold four times that at the peak of a
/// load); the keys are cut by their top bits into buckets, so an id and its repeats (one hash)
/// fall in one bucket, and each bucket is sorted and searched for equal hashes on whichever
/// thread is free. The keys come out as one sort of them all would leave them.
fn repeated_ids_with(
    incidents: &[Incident],
    threads: usize,
    hash: impl Fn(&str) -> u32 + Sync,
) -> Vec<usize> {
    assert!(
        u32::try_from(incidents.len()).is_ok(),
        "row indices are u32"
    );
    let threads = threads.max(1);
    let mut keys = vec![0u64; incidents.len()];
    let rows = incidents.len().div_ceil(threads).max(1);
    let parts: Vec<(usize, &mut [u64])> = keys
        .chunks_mut(rows)
        .enumerate()
        .map(|(n, keys)| (n * rows, keys))
        .collect();
    for done in parallel::map(parts, threads, |_, (first, keys)| {
        for (n, (key, incident)) in keys.iter_mut().zip(&incidents[first..]).enumerate() {
            *key = (u64::from(hash(&incident.id)) << 32) | (first + n) as u64;
        }
    }) {
        parallel::raised(done, "hashing the ids");
    }
    // Several buckets a thread, so a thread slowed by another process leaves its last ones to
    // the others.
    let bits = if threads > 1 {
        (threads * 4).next_power_of_two().trailing_zeros().min(8)
    } else {
        0
    };
    let buckets = partition_by_top_bits(&mut keys, bits);
    let found = parallel::map(buckets, threads, |_, bucket: &mut [u64]| {
        bucket.sort_unstable();
        let mut repeated = Vec::new();
        for run in bucket.chunk_by(|a, b| a >> 32 == b >> 32) {
            if run.len() < 2 {
                continue;
            }
            // One hash, maybe several ids: a later index repeats an earlier one only if the
            // ids match.
            for (k, &key) in run.iter().enumerate() {
                let i = (key & u64::from(u32::MAX)) as usize;
                let id = &incidents[i].id;
                if run[..k]
                    .iter()
                    .any(|&j| incidents[(j & u64::from(u32::MAX)) as usize].id == *id)
                {
                    repeated.push(i);
                }
            }
        }
        repeated
    });
    let mut repeated: Vec<usize> = found
        .into_iter()
        .flat_map(|bucket| parallel::raised(bucket, "finding repeated ids"))
        .collect();
    repeated.sort_unstable();
    repeated
}

/// Puts `keys` in order of their top `bits` bits (one pass, in place, as a radix sort's first),
/// and gives the run of each value of them, in order.
fn partition_by_top_bits(keys: &mut [u64], bits: u32) -> Vec<&mut [u64]> {
    if bits == 0 {
        return vec![keys];
    }
    let bucket = |key: u64| (key >> (64 - bits)) as usize;
    let mut ends = vec![0usize; 1 << bits];
    for &key in keys.iter() {
        ends[bucket(key)] += 1;
    }
    let mut total = 0;
    for end in &mut ends {
        total += *end;
        *end = total;
    }
    // The next place of each bucket not yet holding one of its keys.
    let mut next: Vec<usize> = std::iter::once(0)
        .chain(ends[..ends.len() - 1].iter().copied())
        .collect();
    for b in 0..ends.len() {
        while next[b] < ends[b] {
            // Carries a key to its bucket, and the key found there onwards, until one belongs
            // to bucket `b`: each key is moved once.
            let mut key = keys[next[b]];
            let mut home = bucket(key);
            while home != b {
                std::mem::swap(&mut key, &mut keys[next[home]]);
                next[home] += 1;
                home = bucket(key);
            }
            keys[next[b]] = key;
            next[b] += 1;
        }
    }
    crate::parallel::cut_at(keys, ends)
}

/// Moves an incident built against one builder's strings and claimants onto another's.
fn renumber(incident: &mut Incident, sym: &impl Fn(Sym) -> Sym, claimants: &[ClaimantId]) {
    let place = |p: &mut PlaceRef| {
        p.text = sym(p.text);
        p.pinned = p.pinned.map(sym);
    };
    if let Category::Unknown(s) = &mut incident.category {
        *s = sym(*s);
    }
    incident.title.renumber(sym);
    if let Some(p) = &mut incident.location.place {
        place(p);
    }
    for claim in &mut incident.claims {
        claim.claimant = claimants[claim.claimant.0 as usize];
        if let Some(details) = claim.details.get_mut() {
            details
                .from
                .iter_mut()
                .chain(details.to.iter_mut())
                .for_each(place);
            for w in details.weapons.iter_mut() {
                *w = sym(*w);
            }
        }
        claim.source.outlet = claim.source.outlet.map(sym);
        claim.source.document = claim.source.document.map(sym);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DateInterval, Day, Location, LocationPrecision};

    /// Rows sealed every few rows, as a part of more than 4 GiB of packed values would be, read
    /// back their own values; so do rows pushed without any, between them.
    #[test]
    fn rows_sealed_mid_part_keep_their_values() {
        let keys = ["admin1", "notes_extra"].map(Box::<str>::from).to_vec();
        let mut builder = Builder::with_packer(RowPacker::new(keys));
        builder.seal_bytes = 300;
        let incident = |n: usize| {
            Incident::new(
                n.to_string().into(),
                "t",
                crate::model::Category::Other,
                DateInterval::day(Day(n as i32)),
                None,
                Location::at(None, LocationPrecision::Country),
                Vec::new(),
            )
        };
        // Longer than values interned: written into the packed bytes.
        let value = |n: usize| format!("value {n} {}", "x".repeat(100 + n % 7));
        for n in 0..50 {
            if n % 5 == 4 {
                builder.push(incident(n), n + 2);
            } else {
                let own = value(n);
                builder.push_row(incident(n), n + 2, ["Kalbajar", own.as_str()]);
            }
        }
        builder.seal();
        let parts: std::collections::HashSet<*const RowColumns> = builder
            .incidents
            .iter()
            .filter_map(|i| match &i.extra {
                Properties::Row(row) => Some(row.columns_ptr()),
                Properties::Json(_) => None,
            })
            .collect();
        assert!(parts.len() > 5, "sealed {} times", parts.len());
        for (n, incident) in builder.incidents.iter().enumerate() {
            if n % 5 == 4 {
                assert!(incident.extra.is_empty(), "row {n}");
            } else {
                assert_eq!(
                    incident.extra.get_str("admin1").as_deref(),
                    Some("Kalbajar"),
                    "row {n}"
                );
                assert_eq!(
                    incident.extra.get_str("notes_extra").as_deref(),
                    Some(value(n).as_str()),
                    "row {n}"
                );
            }
        }
    }

    /// Duplicates found by buckets on several threads are those one pass over the rows finds
    /// (the first of an id kept, its repeats in row order), with the load's hash and with hashes
    /// that make ids collide within a thread's rows, across them and across buckets.
    #[test]
    fn repeated_ids_on_threads_are_those_of_one_pass() {
        use std::hash::{Hash, Hasher};
        let incident = |id: String| {
            Incident::new(
                id.into(),
                "t",
                crate::model::Category::Other,
                DateInterval::day(Day(0)),
                None,
                Location::at(None, LocationPrecision::Country),
                Vec::new(),
            )
        };
        // Unique ids, and repeats of ids first met near the start, the middle and the end.
        let ids: Vec<String> = (0..3_000)
            .map(|n| match n % 13 {
                0 => format!("AZE{}", n / 3),
                5 => format!("AZE{}", 2_999 - n),
                9 => "AZE7".to_owned(),
                _ => format!("AZE{n}"),
            })
            .collect();
        let incidents: Vec<Incident> = ids.iter().cloned().map(incident).collect();
        let mut seen = std::collections::HashSet::new();
        let one_pass: Vec<usize> = (0..ids.len())
            .filter(|&i| !seen.insert(ids[i].as_str()))
            .collect();
        assert!(one_pass.len() > 400, "{}", one_pass.len());
        let std_hash = |id: &str| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            id.hash(&mut h);
            h.finish() as u32
        };
        for threads in [1, 2, 3, 4, 8] {
            assert_eq!(repeated_ids_with(&incidents, threads, id_hash), one_pass);
            // Every id one hash: one bucket, every id compared.
            assert_eq!(repeated_ids_with(&incidents, threads, |_| 7), one_pass);
            // A few hashes, in every bucket: runs of ids that differ, across all threads' rows.
            let few = |id: &str| std_hash(id) & 0xe000_0003;
            assert_eq!(repeated_ids_with(&incidents, threads, few), one_pass);
        }
        assert_eq!(repeated_ids(&incidents), one_pass);
        assert!(repeated_ids_with(&[], 2, id_hash).is_empty());
    }

    /// Keys cut by their top bits are in order of them, and each run holds the keys with one
    /// value of them, none lost.
    #[test]
    fn keys_cut_by_top_bits() {
        let keys: Vec<u64> = (0..5_000u64)
            .map(|n| n.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (n << 7))
            .collect();
        for bits in [0, 1, 3, 8] {
            let mut cut = keys.clone();
            let runs: Vec<Vec<u64>> = partition_by_top_bits(&mut cut, bits)
                .into_iter()
                .map(|run| run.to_vec())
                .collect();
            assert_eq!(runs.len(), 1 << bits);
            for (b, run) in runs.iter().enumerate() {
                assert!(
                    run.iter()
                        .all(|&k| bits == 0 || (k >> (64 - bits)) as usize == b)
                );
            }
            let mut all: Vec<u64> = runs.concat();
            assert_eq!(all, cut);
            all.sort_unstable();
            let mut sorted = keys.clone();
            sorted.sort_unstable();
            assert_eq!(all, sorted);
        }
    }

    /// Ids alike but for their last digits spread over the hash's bits: among 200,000 of them
    /// about 5 pairs share 32 random bits; FxHash's top bits gave thousands.
    #[test]
    fn id_hashes_of_numbered_ids_rarely_collide() {
        let mut hashes: Vec<u32> = (1..=200_000).map(|n| id_hash(&format!("AZE{n}"))).collect();
        hashes.sort_unstable();
        let pairs = hashes.windows(2).filter(|w| w[0] == w[1]).count();
        assert!(pairs < 100, "{pairs} pairs collide");
    }

    /// The parts a thread reads one after another give the same text one allocation; parts
    /// read apart from them share nothing with them.
    #[test]
    fn a_threads_parts_share_their_texts() {
        let load = Builder::new();
        let mut kept = Repeated::default();
        let mut first = load.empty_like();
        first.swap_repeated(&mut kept);
        let from_first = first.shared("Armed clash: Talish");
        first.swap_repeated(&mut kept);
        let mut second = load.empty_like();
        second.swap_repeated(&mut kept);
        let from_second = second.shared(&String::from("Armed clash: Talish"));
        assert!(Arc::ptr_eq(&from_first, &from_second));
        assert!(!Arc::ptr_eq(
            &from_first,
            &second.shared("Shelling: Aghdam")
        ));
        let apart = load.empty_like().shared("Armed clash: Talish");
        assert_eq!(apart, from_first);
        assert!(!Arc::ptr_eq(&from_first, &apart));
    }
}
