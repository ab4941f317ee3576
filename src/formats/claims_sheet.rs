//! Claims sheets: the tables analysts keep, one row per claim — who said what about which
//! incident, when, in which words — several rows per incident.
//!
//! A table is a claims sheet when [`crate::formats::detect_columns`] finds a claimant column; the
//! sheet's columns are matched by name like any table's. Rows are grouped into incidents by the
//! incident identifier, or, in a row without one, by date and place (an id is made from them,
//! "2021-05-26-kalbajar"); the first row of an incident gives its date, place, category and title,
//! and a later row that says otherwise is warned about. A claimant's side is the side column (a
//! side's id or name, "(not a party)" after a non-party's name), or, when that is empty, the side
//! claimmap's claimant registry gives the name, or else none. [`sheet_rows`] writes any dataset
//! back as such a sheet, with the columns [`HEADER`] names, so a sheet read and written again is
//! the same sheet. A workbook's sheet is read by this same code, as text (see `workbook`).

use crate::formats::dates::parse_interval;
use crate::formats::native::Parsed;
use crate::formats::report::LoadReport;
use crate::formats::rows::{self, ExtraColumns, Table};
use crate::formats::table::{ColumnMapping, category, location_precision, parse_coordinates};
use crate::model::registry::{match_key, registry};
use crate::model::{
    Category, Claim, ClaimDetails, Dataset, DateInterval, DatePrecision, Incident, IncidentId,
    Location, Losses, PlaceRef, Placement, Rgb, Side, Source,
};

/// The columns claimmap writes, in order; reading recognises these names and their synonyms.
pub const HEADER: [&str; 22] = [
    "incident_id",
    "title",
    "category",
    "date",
    "date_end",
    "date_precision",
    "date_reason",
    "place",
    "latitude",
    "longitude",
    "location_precision",
    "notes",
    "claimant",
    "side",
    "said_on",
    "quote",
    "summary",
    "from",
    "to",
    "losses",
    "outlet",
    "url",
];

/// The side of claimants a sheet gives no side and the registry does not know.
const UNSIDED: &str = "unsided";

/// Written after a non-party side's name, and read back.
const NOT_A_PARTY: &str = " (not a party)";

/// Colours of the sides a sheet names that claimmap does not know, chosen by the name's hash.
const SIDE_COLOURS: [Rgb; 6] = [
    Rgb([0x8c, 0x56, 0x4b]),
    Rgb([0xe3, 0x77, 0xc2]),
    Rgb([0x17, 0xbe, 0xcf]),
    Rgb([0xbc, 0xbd, 0x22]),
    Rgb([0x2c, 0xa0, 0x2c]),
    Rgb([0x94, 0x67, 0xbd]),
];

/// Places in one cell are separated by this.
const PLACE_SEPARATOR: &str = "; ";

/// The side a sheet's side cell names: a side of the registry (by id, name or the usual
/// adjective), "neutral", or a new side of that name — a party unless marked "(not a party)".
fn side_named(text: &str) -> Side {
    let (name, party) = match text.strip_suffix(NOT_A_PARTY) {
        Some(name) => (name.trim(), false),
        None => (text, true),
    };
    let key = match_key(name);
    let registry = registry();
    let alias = match key.as_str() {
        "azerbaijani" | "azerbaijan side" | "azerbaijani side" => Some("az"),
        "armenian" | "armenia side" | "armenian side" => Some("am"),
        "russian" => Some("ru"),
        "turkish" | "turkey" => Some("tr"),
        "french" => Some("fr"),
        "american" | "usa" | "us" => Some("us"),
        "iranian" => Some("ir"),
        _ => None,
    };
    if let Some(side) = registry
        .sides
        .iter()
        .find(|s| Some(&*s.id) == alias || match_key(&s.id) == key || match_key(&s.name) == key)
    {
        return side.clone();
    }
    if matches!(
        key.as_str(),
        "neutral" | "none" | "non party" | "not a party"
    ) {
        return Side {
            id: "neutral".into(),
            name: "Neutral (not a party)".into(),
            colour: rows::SOURCE_GREY,
            party: false,
            extra: None,
        };
    }
    let id = key.replace(' ', "-");
    let hash = id
        .bytes()
        .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize));
    Side {
        id: if id.is_empty() {
            "side".into()
        } else {
            id.into()
        },
        name: name.into(),
        colour: SIDE_COLOURS[hash % SIDE_COLOURS.len()],
        party,
        extra: None,
    }
}

/// The id of an incident whose row gives none: its date and place, so the rows of one incident
/// meet; a row with neither place nor coordinates is an incident of its own.
fn made_id(
    date: &DateInterval,
    place: &str,
    point: Option<geo::Point<f64>>,
    line: usize,
) -> String {
    let when = if date.start() == date.end() {
        date.start().to_string()
    } else {
        format!("{}..{}", date.start(), date.end())
    };
    let folded = crate::gazetteer::fold(place).replace(' ', "-");
    match (folded.is_empty(), point) {
        (false, _) => format!("{when}-{folded}"),
        (true, Some(p)) => format!("{when}-{}-{}", p.y(), p.x()),
        (true, None) => format!("line-{line}"),
    }
}

/// The places of a cell, split at ";".
fn places(text: &str, strings: &mut crate::model::Interner) -> Box<[PlaceRef]> {
    text.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| PlaceRef::named(strings.intern(p)))
        .collect()
}

/// Reads a claims sheet with its column mapping.
pub(crate) fn read(
    input: rows::Input<'_>,
    mapping: &ColumnMapping,
    options: rows::ReadOptions,
    path: &str,
    report: &mut LoadReport,
) -> Parsed {
    debug_assert!(mapping.is_claims_sheet());
    let mut table = Table::open(input, mapping.delimiter, options);
    let extras = ExtraColumns::all_but(&table, &mapping.used());
    let mut builder = extras.builder();
    let unsided = builder.non_party_side(UNSIDED, "Claimants without a side");
    let columns = &mapping.claims;
    table.for_each_row(report, &mut builder, |row, builder, report| {
        let date_text = row.get(mapping.date);
        if date_text.is_empty() {
            return Err("no date".into());
        }
        let mut date =
            parse_interval(date_text).ok_or_else(|| format!("unparseable date \"{date_text}\""))?;
        let end_text = row.get(mapping.date_end);
        let end = match end_text {
            "" => date.end(),
            _ => parse_interval(end_text)
                .ok_or_else(|| format!("unparseable end date \"{end_text}\""))?
                .end(),
        };
        let precision = match row.get(columns.date_precision) {
            "" if end != date.end() => Some(DatePrecision::Range),
            "" => None,
            text => Some(DatePrecision::parse(text).map_err(|e| e.to_string())?),
        };
        if let Some(precision) = precision {
            date = DateInterval::new(date.start(), end, precision).map_err(|e| e.to_string())?;
        }
        let reason = row.get(columns.date_reason);
        if !reason.is_empty() {
            date = date.with_inference(reason);
        }
        let point = match mapping.coordinates {
            Some(c) => parse_coordinates(row.get(Some(c)), mapping.coordinate_order)?,
            None => rows::lat_lon(row.get(mapping.latitude), row.get(mapping.longitude))?,
        };
        let place_text = row.get(mapping.place);
        let location_precision = location_precision(
            row.get(columns.location_precision),
            point.is_some(),
            !place_text.is_empty(),
        )?;

        let name = row.get(columns.claimant);
        if name.is_empty() {
            return Err("no claimant (who made this claim?)".into());
        }
        let quote = row.get(columns.quote);
        let summary = row.get(columns.summary);
        if quote.is_empty() && summary.is_empty() {
            // Kept, as the native format keeps it: a source can be cited without its words (UCDP
            // rows without a headline), and a sheet written from such data must read back whole.
            report.warning(
                row.line,
                format!("the claim of {name} has neither a quote nor a summary; kept"),
            );
        }
        let side_text = row.get(columns.side);
        let (side, kind) = if side_text.is_empty() {
            match registry().find(name) {
                Some(known) => (builder.side(registry().side_of(known)), known.kind.as_str()),
                None => (unsided, "sheet"),
            }
        } else {
            (builder.side(&side_named(side_text)), "sheet")
        };
        let claimant = builder.claimant(name, side, kind);
        if builder.claimant_side(claimant) != side {
            report.warning(
                row.line,
                format!("{name} is on another side on an earlier row; that side is kept"),
            );
        }
        let said_on = match row.get(columns.said_on) {
            "" => None,
            text => Some(
                parse_interval(text)
                    .ok_or_else(|| format!("unparseable statement date \"{text}\""))?,
            ),
        };
        let losses = match row.get(columns.losses) {
            "" => None,
            text => Some(builder.shared_losses(text, |builder| Losses {
                text: builder.shared(text),
                killed: text.parse().ok(),
                ..Losses::default()
            })),
        };
        let outlet = row.get(columns.outlet);
        let url = row.get(mapping.url);
        let claim = Claim {
            losses,
            source: Source {
                outlet: (!outlet.is_empty()).then(|| builder.strings.intern(outlet)),
                document: None,
            },
            details: ClaimDetails {
                statement_date: said_on,
                summary: summary.into(),
                from: places(row.get(columns.from), &mut builder.strings).into(),
                to: places(row.get(columns.to), &mut builder.strings).into(),
                url: (!url.is_empty()).then_some(url).into(),
                ..ClaimDetails::default()
            }
            .into(),
            ..Claim::quoting(claimant, row.text(columns.quote))
        };

        let id: IncidentId = match row.get(mapping.id) {
            "" => made_id(&date, place_text, point, row.line).into(),
            id => id.into(),
        };
        let category = category(row.get(mapping.category), builder);
        let title: Box<str> = match row.get(mapping.title) {
            "" if !place_text.is_empty() => format!("{}: {place_text}", category.label()).into(),
            "" => format!("Incident {id}").into(),
            title => title.into(),
        };
        let place =
            (!place_text.is_empty()).then(|| PlaceRef::named(builder.strings.intern(place_text)));
        let mut incident = Incident::new(
            id,
            title,
            category,
            date,
            None,
            Location::at(place, location_precision),
            vec![claim],
        )
        .at_point(point);
        let notes = row.get(mapping.description);
        if !notes.is_empty() {
            incident.details.notes = Some(notes).into();
        }
        extras.push(builder, incident, row, "");
        Ok(())
    });
    builder.group_by_id(report);
    let meta = crate::model::DatasetMeta {
        title: rows::file_name(path).into(),
        description: Some(
            format!(
                "A claims sheet: one row per claim, grouped into incidents; columns: {}.",
                mapping.found().join(", ")
            )
            .into(),
        ),
        ..Default::default()
    };
    builder.finish(meta, report)
}

/// One cell of a written sheet: text, or a day a workbook can store as a date.
#[derive(Clone, PartialEq, Debug)]
pub enum Cell {
    Text(String),
    Day(crate::model::Day),
}

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Day(day) => day.to_string(),
        }
    }
}

/// How a sheet writes an interval: a day, "2021-05", "2021", or "start/end".
fn interval_cell(date: &DateInterval) -> Cell {
    let (start, end) = (date.start(), date.end());
    let naive = start.to_naive();
    use chrono::Datelike;
    match date.precision {
        DatePrecision::Day if start == end => Cell::Day(start),
        DatePrecision::Month
            if crate::formats::dates::month_interval(naive.year(), naive.month()).as_ref()
                == Some(date) =>
        {
            Cell::Text(format!("{:04}-{:02}", naive.year(), naive.month()))
        }
        DatePrecision::Year
            if crate::formats::dates::year_interval(naive.year()).as_ref() == Some(date) =>
        {
            Cell::Text(format!("{:04}", naive.year()))
        }
        _ => Cell::Text(format!("{start}/{end}")),
    }
}

/// The header of a dataset's claims sheet: [`HEADER`] and the unmodelled columns, in the order
/// the incidents first have them.
pub fn sheet_header(dataset: &Dataset) -> Vec<String> {
    let mut extra_keys: Vec<String> = Vec::new();
    for incident in dataset.incidents() {
        for key in incident.extra.to_map().keys() {
            if !extra_keys.contains(key) && !HEADER.contains(&key.as_str()) {
                extra_keys.push(key.clone());
            }
        }
    }
    HEADER
        .iter()
        .map(|h| (*h).to_owned())
        .chain(extra_keys)
        .collect()
}

/// The rows of a dataset's claims sheet under `header` (from [`sheet_header`]), made as they are
/// asked for.
pub fn sheet_rows<'a>(
    dataset: &'a Dataset,
    header: &'a [String],
) -> impl Iterator<Item = Vec<Cell>> + 'a {
    let extra_keys = &header[HEADER.len().min(header.len())..];
    dataset
        .incidents()
        .iter()
        .flat_map(move |incident| incident_rows(dataset, incident, extra_keys))
}

/// One row per claim of an incident.
fn incident_rows(dataset: &Dataset, incident: &Incident, extra_keys: &[String]) -> Vec<Vec<Cell>> {
    let text = |t: &str| Cell::Text(t.to_owned());
    let mut out = Vec::with_capacity(incident.claims.len());
    {
        let place = |p: &PlaceRef| dataset.text(p.text).to_owned();
        let point = match (&incident.placement, incident.own_geometry()) {
            (Placement::Geometry(_), Some(g)) => match g.as_ref() {
                geo::Geometry::Point(p) => Some(*p),
                _ => None,
            },
            _ => None,
        };
        let date = &incident.date;
        let extra = incident.extra.to_map();
        let category = match incident.category.key() {
            Some(key) => key.to_owned(),
            None => match &incident.category {
                Category::Unknown(sym) => dataset.text(*sym).to_owned(),
                _ => String::new(),
            },
        };
        for claim in incident.claims.iter() {
            let claimant = dataset.claimant(claim.claimant);
            let side = dataset.side(claimant.side);
            let side_cell = if &*side.id == UNSIDED {
                String::new()
            } else if side.party {
                side.name.to_string()
            } else {
                format!("{}{NOT_A_PARTY}", side.name)
            };
            let joined = |places: &[PlaceRef]| {
                places
                    .iter()
                    .map(place)
                    .collect::<Vec<_>>()
                    .join(PLACE_SEPARATOR)
            };
            let mut row = vec![
                text(&incident.id),
                text(&dataset.title(incident)),
                Cell::Text(category.clone()),
                Cell::Day(date.start()),
                if date.end() == date.start() {
                    text("")
                } else {
                    Cell::Day(date.end())
                },
                text(date.precision.as_str()),
                text(date.reason.as_deref().map_or("", |r| r.as_str())),
                text(
                    &incident
                        .location
                        .place
                        .as_ref()
                        .map(place)
                        .unwrap_or_default(),
                ),
                text(&point.map(|p| p.y().to_string()).unwrap_or_default()),
                text(&point.map(|p| p.x().to_string()).unwrap_or_default()),
                text(incident.location.precision.as_str()),
                text(incident.details.notes.as_deref().unwrap_or("")),
                text(&claimant.name),
                Cell::Text(side_cell),
                claim
                    .details
                    .statement_date
                    .as_ref()
                    .map_or_else(|| text(""), interval_cell),
                text(&claim.quote.read()),
                text(&claim.details.summary),
                Cell::Text(joined(&claim.details.from)),
                Cell::Text(joined(&claim.details.to)),
                text(claim.losses.as_ref().map_or("", |l| &*l.text)),
                text(claim.source.outlet.map_or("", |o| dataset.text(o))),
                text(claim.details.url.as_deref().unwrap_or("")),
            ];
            debug_assert_eq!(row.len(), HEADER.len());
            row.extend(extra_keys.iter().map(|k| {
                Cell::Text(match extra.get(k) {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                })
            }));
            out.push(row);
        }
    }
    out
}

/// An example row for `claimmap template`: what each column holds.
pub fn example_row() -> Vec<Cell> {
    let day = |s: &str| Cell::Day(crate::model::Day::parse_iso(s).unwrap_or(crate::model::Day(0)));
    let text = |s: &str| Cell::Text(s.to_owned());
    vec![
        text("2021-11-16-border-clash"),
        text("Border clash near Sotk"),
        text("exchange_of_fire"),
        day("2021-11-16"),
        text(""),
        text("day"),
        text(""),
        text("Sotk"),
        text(""),
        text(""),
        text("near"),
        text(
            "Example row: replace it with your own. Several rows with one incident_id are one incident.",
        ),
        text("Ministry of Defence of Armenia"),
        text("Armenia"),
        day("2021-11-16"),
        text("Words exactly as the source reports them."),
        text("Your summary of the claim, in your words."),
        text("Kalbajar"),
        text("Sotk; Verin Shorzha"),
        text("1 killed, 2 wounded"),
        text("Armenpress"),
        text("https://example.org/report"),
    ]
}

/// Writes the sheet as CSV (`delimiter` `,` or tab for TSV) row by row.
fn write_delimited(
    header: &[String],
    rows: impl IntoIterator<Item = Vec<Cell>>,
    delimiter: u8,
    out: impl std::io::Write,
) -> std::io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(out);
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(row.iter().map(Cell::text))?;
    }
    writer.flush()
}

/// The most rows an .xlsx sheet holds.
const XLSX_MAX_ROWS: u32 = 1_048_576;

/// How wide the written columns are, in characters: long text gets room, the rest a default.
fn column_width(name: &str) -> f64 {
    match name {
        "quote" | "summary" | "notes" | "title" | "date_reason" => 48.0,
        "claimant" | "place" | "from" | "to" | "url" | "outlet" | "incident_id" => 24.0,
        _ => 12.0,
    }
}

/// A claims sheet as an .xlsx workbook: one sheet "Claims", a bold frozen header with a filter,
/// and days as date cells (shown as yyyy-mm-dd), so Excel sorts and filters them as dates.
fn write_xlsx(
    header: &[String],
    rows: impl IntoIterator<Item = Vec<Cell>>,
    mut out: impl std::io::Write,
) -> std::io::Result<()> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| std::io::Error::other(e.to_string());
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Claims").map_err(fail)?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let wrap = Format::new().set_text_wrap();
    for (column, name) in header.iter().enumerate() {
        let column = column as u16;
        sheet
            .write_string_with_format(0, column, name, &bold)
            .map_err(fail)?;
        sheet
            .set_column_width(column, column_width(name))
            .map_err(fail)?;
    }
    let mut last_row = 0;
    for (i, cells) in rows.into_iter().enumerate() {
        let row = u32::try_from(i + 1)
            .ok()
            .filter(|&r| r < XLSX_MAX_ROWS)
            .ok_or_else(|| {
                std::io::Error::other(format!(
                    "an .xlsx sheet holds at most {} rows under its header; write a .csv instead",
                    XLSX_MAX_ROWS - 1
                ))
            })?;
        for (column, cell) in cells.iter().enumerate() {
            let column = column as u16;
            let long = header
                .get(column as usize)
                .is_some_and(|h| column_width(h) > 40.0);
            match cell {
                Cell::Text(text) if text.is_empty() => continue,
                Cell::Text(text) if long => {
                    sheet.write_string_with_format(row, column, text, &wrap)
                }
                Cell::Text(text) => sheet.write_string(row, column, text),
                Cell::Day(day) => {
                    use chrono::Datelike;
                    let naive = day.to_naive();
                    let when = ExcelDateTime::from_ymd(
                        u16::try_from(naive.year()).unwrap_or(0),
                        naive.month() as u8,
                        naive.day() as u8,
                    );
                    match when {
                        Ok(when) => sheet.write_datetime_with_format(row, column, &when, &date),
                        // Before 1900: Excel has no date for it; the day is kept as text.
                        Err(_) => sheet.write_string(row, column, day.to_string()),
                    }
                }
            }
            .map_err(|e| std::io::Error::other(format!("row {}: {e}", row + 1)))?;
        }
        last_row = row;
    }
    let last_column = header.len().saturating_sub(1) as u16;
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    sheet
        .autofilter(0, 0, last_row.max(1), last_column)
        .map_err(fail)?;
    let bytes = workbook.save_to_buffer().map_err(fail)?;
    out.write_all(&bytes)
}

/// The file types a claims sheet is written as.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum SheetKind {
    Csv,
    Tsv,
    /// An Excel workbook of one sheet, days as date cells.
    Xlsx,
}

impl SheetKind {
    /// The kind a file name asks for, by its extension.
    pub fn of(path: &std::path::Path) -> Option<SheetKind> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(SheetKind::Csv),
            "tsv" | "tab" => Some(SheetKind::Tsv),
            "xlsx" => Some(SheetKind::Xlsx),
            _ => None,
        }
    }

    /// Writes a sheet of this kind into `out`, row by row as `rows` makes them.
    pub fn write(
        self,
        header: &[String],
        rows: impl IntoIterator<Item = Vec<Cell>>,
        out: impl std::io::Write,
    ) -> std::io::Result<()> {
        match self {
            SheetKind::Csv => write_delimited(header, rows, b',', out),
            SheetKind::Tsv => write_delimited(header, rows, b'\t', out),
            SheetKind::Xlsx => write_xlsx(header, rows, out),
        }
    }
}
