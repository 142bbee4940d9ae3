//! A roll-up's open data (see [`crate::rollup`]): `data/rollup/<slug>/<year>.json`,
//! whose `tables` has the structure of a report's `tables` in its agency's
//! JSON (the same writer: values keyed by stable keys),
//! with who is included, left out (and why) and missing; and
//! `data/rollup/<slug>/<year>.csv`, the rows of a report's cell CSV (one per
//! table cell, the same columns and Table Schema). Blank cells were counted
//! as 0, so every cell of a roll-up has a number.

use std::io;

use serde::Serialize;

use super::csv::cells_csv_file;
use super::json::{json_file, tables_json, Columns, TablesJson, COLUMNS};
use crate::portal::Portal;
use crate::report::Format;
use crate::rollup::{LeftOut, Rollup, Status};
use crate::urls;

/// The roll-up of `slug` for `year` as JSON (`None`: the portal has no such roll-up).
pub fn rollup_json_file(portal: &Portal, slug: &str, year: i32) -> Option<io::Result<Vec<u8>>> {
    let r = Rollup::of(portal, slug, year)?;
    let member = |slug: &str, name: &str, report: Option<usize>| MemberJson {
        agency: name.to_string(),
        agency_slug: slug.to_string(),
        report_url: report.map(|i| urls::report(&portal.reports[i].agency_slug, portal.reports[i].year)),
    };
    let mut included = Vec::new();
    let mut left_out = Vec::new();
    let mut missing = Vec::new();
    for m in &r.members {
        match m.status {
            Status::Included(i) => included.push(member(m.slug, m.name, Some(i))),
            Status::LeftOut(i, why) => left_out.push(LeftOutJson {
                format: portal.reports[i].format.key(),
                member: member(m.slug, m.name, Some(i)),
                reason: match why {
                    LeftOut::Format(_) => "format",
                    LeftOut::Draft => "draft",
                },
            }),
            Status::Missing => missing.push(member(m.slug, m.name, None)),
        }
    }
    let doc = RollupJson {
        agency: r.name,
        agency_slug: r.slug,
        blank_cells: r.blank_cells(portal),
        columns: COLUMNS,
        format: r.sum.as_ref().map(|s| s.format.key()),
        included,
        left_out,
        missing,
        tables: r.sum.as_ref().map(|s| tables_json(s.format, &s.tables)),
        url: urls::rollup(r.slug, r.year),
        year: r.year,
    };
    Some(json_file(&doc, false))
}

/// The roll-up of `slug` for `year` as a cell CSV (`None`: no such roll-up).
/// Without sums (no included report has tables), the header alone.
pub fn rollup_csv_file(portal: &Portal, slug: &str, year: i32) -> Option<io::Result<Vec<u8>>> {
    let r = Rollup::of(portal, slug, year)?;
    Some(match &r.sum {
        Some(s) => cells_csv_file(s.format, Some(&s.tables)),
        None => cells_csv_file(Format::Gov2021, None),
    })
}

/// A roll-up as JSON; fields in alphabetical order, as in the other JSON files.
#[derive(Serialize)]
struct RollupJson<'a> {
    agency: &'a str,
    agency_slug: &'a str,
    /// Blank cells of the included reports, each counted as 0.
    blank_cells: usize,
    /// The order of the numbers in each row of tables 三 and 四.
    columns: Columns,
    /// The format summed (`null` when no report is in the sums).
    format: Option<&'static str>,
    included: Vec<MemberJson>,
    left_out: Vec<LeftOutJson>,
    missing: Vec<MemberJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tables: Option<TablesJson<'a>>,
    url: String,
    year: i32,
}

#[derive(Serialize)]
struct MemberJson {
    agency: String,
    agency_slug: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    report_url: Option<String>,
}

#[derive(Serialize)]
struct LeftOutJson {
    /// The report's format.
    format: &'static str,
    #[serde(flatten)]
    member: MemberJson,
    /// `format` (not the format summed) or `draft`.
    reason: &'static str,
}
