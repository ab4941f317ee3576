//! What the CSV importers (ACLED, UCDP GED, generic tables) share, by what each part does:
//! [`fields`] parses header names, delimiters and coordinates; [`table`] reads the header and hands
//! each record to an importer with its line; [`parts`] cuts the body into parts read on every core
//! (or streamed from the file) and joins them in file order, a failed part reported as an error;
//! [`builder`] adds the rows up to sides, claimants and incidents with their unmodelled columns.

mod builder;
mod fields;
mod parts;
mod table;

pub(crate) use builder::{Builder, SOURCE_GREY};
pub(crate) use fields::{
    check_country, file_name, first_line, lat_lon, normalise, sniff_delimiter,
};
pub(crate) use parts::ReadOptions;
pub(crate) use table::{ExtraColumns, Input, MissingColumns, Table, extra_key, head_text};
