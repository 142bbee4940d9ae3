//! The compliance data: `data/compliance.csv` (one row per agency × year,
//! UTF-8 with a BOM, every text field through [`csv_text`]) and
//! `data/compliance.json` (the same, one entry per agency, with the yearly
//! summaries), from [`Compliance`], and the CSV's Table Schema, which the
//! data package carries inline. Rows are in agency slug order, then year:
//! the order of a table meant for machines, not the page's worst-first one.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::{json, Value};

use super::csv_text;
use super::json::json_file;
use crate::compliance::{Cell, Compliance, Row, Summary};
use crate::portal::Portal;
use crate::urls;

/// The columns of `compliance.csv`: name, Table Schema type, title.
const COLUMNS: [(&str, &str, &str); 14] = [
    ("agency_slug", "string", "机关代号"),
    ("agency", "string", "机关名称"),
    ("level", "string", "机关类别"),
    ("parent", "string", "上级机关代号"),
    ("on_roster", "boolean", "是否在机关名单中"),
    ("year", "integer", "统计年度"),
    ("status", "string", "发布情况"),
    ("days_late", "integer", "逾期天数"),
    ("published", "date", "发布日期"),
    ("deadline", "date", "截止日期"),
    ("errors", "integer", "错误数"),
    ("warnings", "integer", "警告数"),
    ("rules", "string", "问题规则编号"),
    ("url", "string", "报告网址"),
];

/// The rows in data order: by agency slug (the unlisted ones too), then year.
fn data_order(c: &Compliance) -> Vec<&Row> {
    let mut rows: Vec<&Row> = c.rows.iter().collect();
    rows.sort_by(|a, b| a.slug.cmp(&b.slug));
    rows
}

/// The cells of a row, oldest year first.
fn cells_by_year(row: &Row) -> impl Iterator<Item = &Cell> {
    row.cells.iter().rev()
}

/// `data/compliance.csv`.
pub fn compliance_csv_file(portal: &Portal, c: &Compliance) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(64 + c.rows.len() * c.years.len() * 96);
    write_csv(&mut out, portal, c)?;
    Ok(out)
}

fn write_csv(mut out: impl Write, portal: &Portal, c: &Compliance) -> io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::Writer::from_writer(out);
    let csv_err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    };
    w.write_record(COLUMNS.iter().map(|(name, _, _)| *name))
        .map_err(csv_err)?;
    for row in data_order(c) {
        let on_roster = match (c.rostered, row.listed) {
            (false, _) => "",
            (true, true) => "true",
            (true, false) => "false",
        };
        for cell in cells_by_year(row) {
            let url = cell_url(portal, cell).unwrap_or_default();
            let fields: [Cow<str>; 14] = [
                csv_text(&row.slug),
                csv_text(&row.name),
                Cow::Borrowed(row.level.key()),
                csv_text(row.parent.as_deref().unwrap_or_default()),
                Cow::Borrowed(on_roster),
                Cow::Owned(cell.year.to_string()),
                Cow::Borrowed(cell.status.key()),
                Cow::Owned(cell.days_late.to_string()),
                Cow::Owned(cell.published.map(|d| d.to_string()).unwrap_or_default()),
                Cow::Owned(cell.deadline.to_string()),
                Cow::Owned(cell.errors.to_string()),
                Cow::Owned(cell.warnings.to_string()),
                Cow::Owned(cell.rule_ids()),
                csv_text(&url),
            ];
            w.write_record(fields.iter().map(|f| f.as_bytes())).map_err(csv_err)?;
        }
    }
    w.flush()
}

/// The report page's path of a cell with a published report.
fn cell_url(portal: &Portal, cell: &Cell) -> Option<String> {
    cell.report.map(|i| {
        let r = portal.reports[i];
        urls::report(&r.agency_slug, r.year)
    })
}

/// The Table Schema of `compliance.csv` (inline in the data package).
pub fn compliance_schema() -> Value {
    let fields: Vec<Value> = COLUMNS
        .iter()
        .map(|(name, ty, title)| {
            let mut f = json!({ "name": name, "title": title, "type": ty });
            match *name {
                "agency_slug" | "agency" | "level" | "year" | "status" | "deadline" => {
                    f["constraints"] = json!({ "required": true });
                }
                _ => {}
            }
            if *name == "status" {
                f["constraints"]["enum"] = json!(["missing", "late", "on_time", "not_due", "not_expected"]);
            }
            if matches!(*name, "days_late" | "errors" | "warnings") {
                f["constraints"] = json!({ "required": true, "minimum": 0 });
            }
            f
        })
        .collect();
    json!({
        "fields": fields,
        "primaryKey": ["agency_slug", "year"],
        "missingValues": [""],
    })
}

/// `data/compliance.json`: keys in alphabetical order, as the other JSON files.
pub fn compliance_json_file(portal: &Portal, c: &Compliance) -> io::Result<Vec<u8>> {
    let agencies: Vec<JsonAgency> = data_order(c)
        .into_iter()
        .map(|row| JsonAgency {
            level: row.level.key(),
            name: &row.name,
            on_roster: c.rostered.then_some(row.listed),
            parent: row.parent.as_deref(),
            slug: &row.slug,
            years: cells_by_year(row)
                .map(|cell| JsonCell {
                    days_late: cell.days_late,
                    deadline: cell.deadline.to_string(),
                    errors: cell.errors,
                    published: cell.published.map(|d| d.to_string()),
                    rules: cell.rules.iter().map(|(r, n)| (r.as_str(), *n)).collect(),
                    status: cell.status.key(),
                    url: cell_url(portal, cell),
                    warnings: cell.warnings,
                    year: cell.year,
                })
                .collect(),
        })
        .collect();
    let mut summaries: Vec<&Summary> = c.summaries.iter().collect();
    summaries.reverse();
    let doc = JsonDoc {
        agencies,
        rostered: c.rostered,
        summaries,
        today: c.today.to_string(),
    };
    json_file(&doc, false)
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    agencies: Vec<JsonAgency<'a>>,
    rostered: bool,
    /// One per year, oldest first.
    summaries: Vec<&'a Summary>,
    /// The date deadlines were judged against.
    today: String,
}

#[derive(Serialize)]
struct JsonAgency<'a> {
    level: &'static str,
    name: &'a str,
    /// `null` when the site has no roster.
    on_roster: Option<bool>,
    parent: Option<&'a str>,
    slug: &'a str,
    years: Vec<JsonCell>,
}

#[derive(Serialize)]
struct JsonCell {
    days_late: i64,
    deadline: String,
    errors: usize,
    published: Option<String>,
    /// Diagnostics by rule id.
    rules: BTreeMap<&'static str, usize>,
    status: &'static str,
    url: Option<String>,
    warnings: usize,
    year: i32,
}
