//! Open data: the checked numbers as machine-readable files, written by
//! every build (unless `[outputs] data = false`):
//!
//! - `data/reports/<slug>/<year>.json`: one report, metadata and the three
//!   tables with stable keys and official labels;
//! - `data/reports/<slug>/<year>.csv`: one row per table cell;
//! - `data/years/<year>.csv`, `data/agencies/<slug>.csv`, `data/all.csv`:
//!   one row per report, every cell a column;
//! - `data/key-figures.json`: the key figures of every report (for /compare/);
//! - `data/datapackage.json`: a Frictionless Data Package describing the CSV
//!   files with Table Schemas.
//!
//! CSV files are UTF-8 with a BOM, so that Excel shows Chinese correctly.
//! Every text field of a CSV file goes through [`csv_text`], which keeps a
//! spreadsheet from reading it as a formula (see docs/data.md); numbers are
//! written as they are, and JSON keeps the exact text. A file that cannot be
//! serialized is an error (the build stops), never an empty or cut file.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::{json, Value};

use crate::outputs::{Change, Cost, Cx, Output, Rendered};
use crate::portal::Portal;
use crate::report::labels::{
    self, FieldKind, APPEAL_COLUMNS, APPEAL_COLUMN_KEYS, APPEAL_ROWS, REQUEST_COLUMNS, REQUEST_COLUMN_KEYS,
};
use crate::report::parse::format_amount;
use crate::report::{Format, Report, Tables};
use crate::urls::{self, PageKey};
use crate::Error;

/// The byte-order mark that tells Excel a CSV file is UTF-8.
const BOM: &str = "\u{feff}";

/// A text field as written into a CSV file: a text that a spreadsheet would
/// take for a formula (it begins with `=`, `+`, `-`, `@`, a tab or a carriage
/// return) gets a `'` in front, as OWASP advises against CSV injection, so
/// Excel and LibreOffice show it as text. Every CSV text field goes through
/// here; numbers never do (a number cell stays a number).
pub fn csv_text(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// One number cell of a report, flattened: which table, row and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellRef {
    /// `proactive`, `requests` or `appeals`.
    pub table: &'static str,
    /// `rules`, `denied.state_secret`, `review`, …
    pub row_key: String,
    pub row_label: String,
    pub column_key: &'static str,
    pub column_label: &'static str,
    pub kind: FieldKind,
}

impl CellRef {
    /// The column name in the wide CSV files: `requests.new.natural_person`.
    pub fn name(&self) -> String {
        format!("{}.{}.{}", self.table, self.row_key, self.column_key)
    }

    /// A title for the wide column: table, row and column labels.
    pub fn title(&self) -> String {
        format!("{} {} {}", table_title(self.table), self.row_label, self.column_label)
    }
}

fn table_title(table: &str) -> &'static str {
    match table {
        "proactive" => labels::TABLE_2,
        "requests" => labels::TABLE_3,
        _ => labels::TABLE_4,
    }
}

/// Every cell of a report of `format`, in table order (worked out once per
/// format and process).
pub fn cells(format: Format) -> &'static [CellRef] {
    &format_data(format).cells
}

/// What every report of one format shares in its data files, worked out once.
struct FormatData {
    cells: Vec<CellRef>,
    /// The full label of each row of table 三.
    request_labels: Vec<String>,
}

fn format_data(format: Format) -> &'static FormatData {
    static GOV_2021: OnceLock<FormatData> = OnceLock::new();
    static GOV_2019: OnceLock<FormatData> = OnceLock::new();
    static FREEFORM: OnceLock<FormatData> = OnceLock::new();
    let cell = match format {
        Format::Gov2021 => &GOV_2021,
        Format::Gov2019 => &GOV_2019,
        Format::Freeform => &FREEFORM,
    };
    cell.get_or_init(|| FormatData {
        cells: make_cells(format),
        request_labels: format.request_rows().iter().map(|r| r.full_label()).collect(),
    })
}

/// The lines every cell CSV of one format shares: the first line, and each
/// cell's row up to its value (`table,row_key,row_label,column_key,column_label,`),
/// CSV-quoted.
struct CellLines {
    header: Vec<u8>,
    prefixes: Vec<Vec<u8>>,
}

/// The [`CellLines`] of `format`, worked out once per format and process
/// (when two threads race, both work them out, and one result is kept).
fn cell_lines(format: Format) -> io::Result<&'static CellLines> {
    static GOV_2021: OnceLock<CellLines> = OnceLock::new();
    static GOV_2019: OnceLock<CellLines> = OnceLock::new();
    static FREEFORM: OnceLock<CellLines> = OnceLock::new();
    let once = match format {
        Format::Gov2021 => &GOV_2021,
        Format::Gov2019 => &GOV_2019,
        Format::Freeform => &FREEFORM,
    };
    if let Some(lines) = once.get() {
        return Ok(lines);
    }
    // The csv crate quotes each row; the value, a number or nothing, never
    // needs quoting, so a row is its prefix and the value.
    let row = |fields: [&str; 6]| -> io::Result<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(fields.map(csv_text).iter().map(|f| f.as_bytes()))
            .map_err(csv_error)?;
        w.into_inner().map_err(|e| e.into_error())
    };
    let mut header = BOM.as_bytes().to_vec();
    header.extend(row([
        "table",
        "row_key",
        "row_label",
        "column_key",
        "column_label",
        "value",
    ])?);
    let prefixes = cells(format)
        .iter()
        .map(|c| {
            let mut line = row([c.table, &c.row_key, &c.row_label, c.column_key, c.column_label, ""])?;
            line.pop(); // the line's end
            Ok(line)
        })
        .collect::<io::Result<_>>()?;
    Ok(once.get_or_init(|| CellLines { header, prefixes }))
}

fn make_cells(format: Format) -> Vec<CellRef> {
    let mut out = Vec::new();
    for item in format.proactive_items() {
        for f in item.fields {
            out.push(CellRef {
                table: "proactive",
                row_key: item.key.to_string(),
                row_label: format!("{} {}", item.block, item.label),
                column_key: f.key,
                column_label: f.label,
                kind: f.kind,
            });
        }
    }
    for row in format.request_rows() {
        for (c, col) in REQUEST_COLUMNS.iter().enumerate() {
            out.push(CellRef {
                table: "requests",
                row_key: row.path(),
                row_label: row.full_label(),
                column_key: REQUEST_COLUMN_KEYS[c],
                column_label: col,
                kind: FieldKind::Count,
            });
        }
    }
    for row in APPEAL_ROWS.iter() {
        for (c, col) in APPEAL_COLUMNS.iter().enumerate() {
            out.push(CellRef {
                table: "appeals",
                row_key: row.key.to_string(),
                row_label: row.label.to_string(),
                column_key: APPEAL_COLUMN_KEYS[c],
                column_label: col,
                kind: FieldKind::Count,
            });
        }
    }
    out
}

/// The values of `tables`, aligned with [`cells`] of the same format.
pub fn values(format: Format, tables: &Tables) -> Vec<Option<i64>> {
    let mut out = Vec::new();
    for item in &tables.proactive {
        out.extend(item.cells.iter().copied());
    }
    let _ = format;
    for row in &tables.requests {
        out.extend(row.cells.iter().copied());
    }
    for row in &tables.appeals {
        out.extend(row.cells.iter().copied());
    }
    out
}

/// A cell value as text, appended to `out`: nothing for a blank cell,
/// amounts with their decimals.
fn push_text(out: &mut Vec<u8>, value: Option<i64>, kind: FieldKind) {
    match value {
        None => {}
        Some(v) if kind == FieldKind::Amount => out.extend_from_slice(format_amount(v).as_bytes()),
        Some(v) => out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes()),
    }
}

fn number(value: Option<i64>, kind: FieldKind) -> Value {
    match value {
        None => Value::Null,
        Some(v) if kind == FieldKind::Amount => format_amount(v)
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Some(v) => json!(v),
    }
}

/// The data files' paths, relative to the site root (the URL scheme, in [`crate::urls`]).
pub use crate::urls::{agency_csv, report_csv, report_json, year_csv, ALL_CSV, KEY_FIGURES, PACKAGE};

/// The metadata columns that open every wide CSV row.
const META: [(&str, &str, &str); 8] = [
    ("agency_slug", "string", "机关代号"),
    ("agency", "string", "报告机关"),
    ("year", "integer", "统计年度"),
    ("published", "date", "发布日期"),
    ("level", "string", "机关类别"),
    ("region", "string", "地区"),
    ("format", "string", "报告格式"),
    ("url", "string", "报告网址"),
];

/// The columns of the wide CSV files, worked out once per build.
pub struct WideColumns {
    /// The cell columns: those of every format in use, gov-2021 first.
    pub cols: Vec<CellRef>,
    /// For each format, for each cell column, the index of the same cell in
    /// that format's [`cells`].
    maps: Vec<(Format, Vec<Option<usize>>)>,
    /// The header line, CSV-quoted: worked out by the first file written.
    header: OnceLock<Vec<u8>>,
}

impl WideColumns {
    /// The header line (when two threads race, both work it out, and one
    /// result is kept).
    fn header(&self) -> io::Result<&[u8]> {
        if let Some(header) = self.header.get() {
            return Ok(header);
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        for (name, _, _) in META {
            w.write_field(csv_text(name).as_bytes()).map_err(csv_error)?;
        }
        for c in &self.cols {
            w.write_field(csv_text(&c.name()).as_bytes()).map_err(csv_error)?;
        }
        w.write_record(None::<&[u8]>).map_err(csv_error)?;
        let header = w.into_inner().map_err(|e| e.into_error())?;
        Ok(self.header.get_or_init(|| header))
    }
}

/// The cell columns of the wide CSV files: those of every format in use,
/// gov-2021 first.
pub fn wide_columns(portal: &Portal) -> WideColumns {
    let mut cols: Vec<CellRef> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for format in [Format::Gov2021, Format::Gov2019] {
        if portal.reports.iter().any(|r| r.format == format && r.tables.is_some()) {
            for c in cells(format) {
                if seen.insert(c.name()) {
                    cols.push(c.clone());
                }
            }
        }
    }
    let maps = [Format::Gov2021, Format::Gov2019]
        .into_iter()
        .map(|f| (f, column_map(f, &cols)))
        .collect();
    WideColumns {
        cols,
        maps,
        header: OnceLock::new(),
    }
}

/// For each wide column, the index of the same cell in `format`'s cells.
fn column_map(format: Format, cols: &[CellRef]) -> Vec<Option<usize>> {
    let index: std::collections::HashMap<String, usize> =
        cells(format).iter().enumerate().map(|(i, c)| (c.name(), i)).collect();
    cols.iter().map(|c| index.get(&c.name()).copied()).collect()
}

#[derive(Serialize)]
struct ColumnJson {
    key: &'static str,
    label: &'static str,
}

/// One report as JSON: metadata and the three tables. The structs below
/// borrow everything from the report and the label tables; their fields
/// are in alphabetical order, which keeps the keys sorted as in the other
/// JSON files.
pub fn report_json_file(r: &Report) -> io::Result<Vec<u8>> {
    let doc = ReportJson {
        agency: &r.agency,
        agency_slug: &r.agency_slug,
        deadline: r.deadline().to_string(),
        format: r.format.key(),
        level: r.level.key(),
        on_time: r.on_time(),
        published: r.published.to_string(),
        region: r.region.as_deref(),
        tables: r.tables.as_ref().map(|t| tables_json(r.format, t)),
        title: &r.title,
        url: urls::report(&r.agency_slug, r.year),
        year: r.year,
    };
    json_file(&doc, false)
}

/// `doc` as JSON, compact or pretty (two spaces).
fn json_file(doc: &impl Serialize, pretty: bool) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(128);
    write_json(&mut out, doc, pretty)?;
    Ok(out)
}

/// Writes `doc` as JSON into `w`; a failure of the writer or of the
/// serialization is returned.
fn write_json(w: impl Write, doc: &impl Serialize, pretty: bool) -> io::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(w, doc)?;
    } else {
        serde_json::to_writer(w, doc)?;
    }
    Ok(())
}

#[derive(Serialize)]
struct ReportJson<'a> {
    agency: &'a str,
    agency_slug: &'a str,
    deadline: String,
    format: &'static str,
    level: &'static str,
    on_time: bool,
    published: String,
    region: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tables: Option<TablesJson<'a>>,
    title: &'a str,
    url: String,
    year: i32,
}

#[derive(Serialize)]
struct TablesJson<'a> {
    appeals: TableJson<AppealRowJson<'a>>,
    proactive: ProactiveJson<'a>,
    requests: TableJson<RequestRowJson<'a>>,
}

#[derive(Serialize)]
struct TableJson<R> {
    columns: Vec<ColumnJson>,
    label: &'static str,
    rows: Vec<R>,
}

#[derive(Serialize)]
struct ProactiveJson<'a> {
    label: &'static str,
    rows: Vec<ProactiveRowJson<'a>>,
}

#[derive(Serialize)]
struct ProactiveRowJson<'a> {
    block: &'static str,
    key: &'static str,
    label: &'static str,
    values: Vec<FieldJson<'a>>,
}

#[derive(Serialize)]
struct FieldJson<'a> {
    key: &'static str,
    label: &'static str,
    #[serde(serialize_with = "serialize_number")]
    value: (&'a Option<i64>, FieldKind),
}

#[derive(Serialize)]
struct RequestRowJson<'a> {
    key: String,
    label: &'a str,
    total_given: bool,
    values: Numbers<'a>,
}

#[derive(Serialize)]
struct AppealRowJson<'a> {
    key: &'static str,
    label: &'static str,
    values: Numbers<'a>,
}

/// Count cells as JSON numbers (null when blank).
struct Numbers<'a>(&'a [Option<i64>]);

impl Serialize for Numbers<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

fn serialize_number<S: serde::Serializer>(v: &(&Option<i64>, FieldKind), s: S) -> Result<S::Ok, S::Error> {
    number(*v.0, v.1).serialize(s)
}

/// The three tables as JSON: rows with keys, labels and values.
fn tables_json(format: Format, t: &Tables) -> TablesJson<'_> {
    let columns = |keys: &[&'static str], labels: &[&'static str]| -> Vec<ColumnJson> {
        keys.iter()
            .zip(labels)
            .map(|(k, l)| ColumnJson { key: k, label: l })
            .collect()
    };
    let rows = format
        .proactive_items()
        .iter()
        .zip(&t.proactive)
        .map(|(def, item)| ProactiveRowJson {
            block: def.block,
            key: def.key,
            label: def.label,
            values: def
                .fields
                .iter()
                .zip(&item.cells)
                .map(|(f, v)| FieldJson {
                    key: f.key,
                    label: f.label,
                    value: (v, f.kind),
                })
                .collect(),
        })
        .collect();
    let labels = request_labels(format);
    TablesJson {
        proactive: ProactiveJson {
            label: labels::TABLE_2,
            rows,
        },
        requests: TableJson {
            label: labels::TABLE_3,
            columns: columns(&REQUEST_COLUMN_KEYS, &REQUEST_COLUMNS),
            rows: format
                .request_rows()
                .iter()
                .zip(&t.requests)
                .zip(labels)
                .map(|((def, row), label)| RequestRowJson {
                    key: def.path(),
                    label,
                    total_given: row.total_given,
                    values: Numbers(&row.cells),
                })
                .collect(),
        },
        appeals: TableJson {
            label: labels::TABLE_4,
            columns: columns(&APPEAL_COLUMN_KEYS, &APPEAL_COLUMNS),
            rows: APPEAL_ROWS
                .iter()
                .zip(&t.appeals)
                .map(|(def, row)| AppealRowJson {
                    key: def.key,
                    label: def.label,
                    values: Numbers(&row.cells),
                })
                .collect(),
        },
    }
}

/// The full label of each row of table 三 of `format`, worked out once.
fn request_labels(format: Format) -> &'static [String] {
    &format_data(format).request_labels
}

/// One report as CSV: one row per table cell.
pub fn report_csv_file(r: &Report) -> io::Result<Vec<u8>> {
    let lines = cell_lines(r.format)?;
    let mut out = Vec::with_capacity(lines.header.len() + lines.prefixes.iter().map(|p| p.len() + 8).sum::<usize>());
    out.extend_from_slice(&lines.header);
    if let Some(t) = &r.tables {
        for ((cell, prefix), value) in cells(r.format).iter().zip(&lines.prefixes).zip(values(r.format, t)) {
            out.extend_from_slice(prefix);
            push_text(&mut out, value, cell.kind);
            out.push(b'\n');
        }
    }
    Ok(out)
}

/// A wide CSV: one row per report, the metadata then every cell.
pub fn wide_csv_file<'a>(reports: impl Iterator<Item = &'a Report>, wide: &WideColumns) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    write_wide_csv(&mut out, reports, wide)?;
    Ok(out)
}

/// Writes a wide CSV into `out`; a failure of the writer is returned.
fn write_wide_csv<'a>(
    mut out: impl Write,
    reports: impl Iterator<Item = &'a Report>,
    wide: &WideColumns,
) -> io::Result<()> {
    out.write_all(BOM.as_bytes())?;
    out.write_all(wide.header()?)?;
    wide_rows(csv::Writer::from_writer(out), reports, wide).map_err(csv_error)
}

/// A CSV error as an IO error: the writer's own error as it was, anything
/// else (rows of unequal lengths) as invalid data.
fn csv_error(e: csv::Error) -> io::Error {
    if !e.is_io_error() {
        return io::Error::new(io::ErrorKind::InvalidData, e);
    }
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// The rows of a wide CSV.
fn wide_rows<'a, W: Write>(
    mut w: csv::Writer<W>,
    reports: impl Iterator<Item = &'a Report>,
    wide: &WideColumns,
) -> csv::Result<()> {
    let mut cell = Vec::with_capacity(16);
    for r in reports {
        let year = r.year.to_string();
        let published = r.published.to_string();
        let url = urls::report(&r.agency_slug, r.year);
        // The columns of `META`: text, except the year and the date.
        let meta = [
            csv_text(&r.agency_slug),
            csv_text(&r.agency),
            Cow::Borrowed(year.as_str()),
            Cow::Borrowed(published.as_str()),
            csv_text(r.level.key()),
            csv_text(r.region.as_deref().unwrap_or_default()),
            csv_text(r.format.key()),
            csv_text(&url),
        ];
        for m in meta {
            w.write_field(m.as_bytes())?;
        }
        match &r.tables {
            Some(t) => {
                let vals = values(r.format, t);
                let map = &wide
                    .maps
                    .iter()
                    .find(|(f, _)| *f == r.format)
                    .expect("a format with tables")
                    .1;
                for (c, at) in wide.cols.iter().zip(map) {
                    cell.clear();
                    push_text(&mut cell, at.and_then(|i| vals[i]), c.kind);
                    w.write_field(&cell)?;
                }
            }
            None => {
                for _ in &wide.cols {
                    w.write_field("")?;
                }
            }
        }
        w.write_record(None::<&[u8]>)?;
    }
    Ok(w.flush()?)
}

/// Every report's key figures, compactly, for the comparison page.
pub fn key_figures_file(portal: &Portal) -> io::Result<Vec<u8>> {
    // Tuples serialize as JSON arrays, with no intermediate tree.
    type Row<'a> = (&'a str, &'a str, i32, String, i64, i64, i64, i64, i64);
    let rows: Vec<Row> = portal
        .reports
        .iter()
        .zip(&portal.figures)
        .map(|(r, f)| {
            let f = f.unwrap_or_default();
            (
                r.agency_slug.as_str(),
                r.agency.as_str(),
                r.year,
                r.published.to_string(),
                f.new,
                f.granted,
                f.handled,
                f.review,
                f.litigation,
            )
        })
        .collect();
    #[derive(Serialize)]
    struct Doc<'a> {
        columns: [&'static str; 9],
        rows: Vec<Row<'a>>,
    }
    let doc = Doc {
        columns: [
            "agency_slug",
            "agency",
            "year",
            "published",
            "new",
            "granted",
            "handled",
            "review",
            "litigation",
        ],
        rows,
    };
    json_file(&doc, false)
}

/// The Table Schema of the wide CSV files.
pub fn wide_schema_file(cols: &[CellRef]) -> io::Result<Vec<u8>> {
    let field = |c: &CellRef| {
        let (ty, minimum) = match c.kind {
            FieldKind::Count => ("integer", Some(0)),
            FieldKind::Change => ("integer", None),
            FieldKind::Amount => ("number", Some(0)),
        };
        let mut f = json!({ "name": c.name(), "title": c.title(), "type": ty });
        if let Some(m) = minimum {
            f["constraints"] = json!({ "minimum": m });
        }
        f
    };
    let mut meta_fields: Vec<Value> = META
        .iter()
        .map(|(name, ty, title)| json!({ "name": name, "title": title, "type": ty }))
        .collect();
    for f in meta_fields.iter_mut().take(4) {
        f["constraints"] = json!({ "required": true });
    }
    let wide_schema = json!({
        "fields": meta_fields.into_iter().chain(cols.iter().map(field)).collect::<Vec<_>>(),
        "primaryKey": ["agency_slug", "year"],
        "missingValues": [""],
    });
    json_file(&wide_schema, true)
}

/// The Table Schema of the per-report cell CSV files.
pub fn cell_schema_file() -> io::Result<Vec<u8>> {
    let cell_schema = json!({
        "fields": [
            { "name": "table", "type": "string", "constraints": { "required": true, "enum": ["proactive", "requests", "appeals"] } },
            { "name": "row_key", "type": "string", "constraints": { "required": true } },
            { "name": "row_label", "type": "string" },
            { "name": "column_key", "type": "string", "constraints": { "required": true } },
            { "name": "column_label", "type": "string" },
            { "name": "value", "type": "number" },
        ],
        "primaryKey": ["table", "row_key", "column_key"],
        "missingValues": [""],
    });
    json_file(&cell_schema, true)
}

/// The Frictionless Data Package describing the CSV files. Built from
/// borrowed structs (fields in alphabetical order, as the keys of the other
/// JSON files): it lists one resource per report.
pub fn package_file(portal: &Portal) -> io::Result<Vec<u8>> {
    let resource = |name: String, path: String, title: String, schema: &'static str| Resource {
        encoding: "utf-8-sig",
        format: "csv",
        mediatype: "text/csv",
        name,
        path: path.strip_prefix("data/").map(str::to_string).unwrap_or(path),
        profile: "tabular-data-resource",
        // Schemas are shared files, referenced by path.
        schema,
        title,
    };
    let mut resources = Vec::with_capacity(1 + portal.years.len() + portal.agencies.len() + portal.reports.len());
    resources.push(resource(
        "all".into(),
        ALL_CSV.into(),
        "全部年度报告数据".into(),
        WIDE_SCHEMA,
    ));
    for y in &portal.years {
        resources.push(resource(
            format!("year-{}", y.year),
            year_csv(y.year),
            format!("{}年度报告数据", y.year),
            WIDE_SCHEMA,
        ));
    }
    for a in &portal.agencies {
        resources.push(resource(
            format!("agency-{}", a.slug),
            agency_csv(&a.slug),
            format!("{}历年报告数据", a.name),
            WIDE_SCHEMA,
        ));
    }
    for r in &portal.reports {
        resources.push(resource(
            format!("report-{}-{}", r.agency_slug, r.year),
            report_csv(&r.agency_slug, r.year),
            format!("{}（逐格数据）", r.title),
            CELL_SCHEMA,
        ));
    }
    let doc = Package {
        name: "gongkai-annual-reports",
        profile: "tabular-data-package",
        resources,
        title: format!("{}：政府信息公开工作年度报告数据", portal.site.config.title),
    };
    json_file(&doc, true)
}

#[derive(Serialize)]
struct Package {
    name: &'static str,
    profile: &'static str,
    resources: Vec<Resource>,
    title: String,
}

#[derive(Serialize)]
struct Resource {
    encoding: &'static str,
    format: &'static str,
    mediatype: &'static str,
    name: String,
    path: String,
    profile: &'static str,
    schema: &'static str,
    title: String,
}

/// The Table Schema files, beside the package.
pub use crate::urls::{CELL_SCHEMA, WIDE_SCHEMA};

/// The open data as an output of the build: every file above, by address
/// (`PageKey::ReportJson`, …). Made for one render: it works out the wide
/// CSV columns once.
#[derive(Default)]
pub struct OpenData {
    wide: OnceLock<WideColumns>,
}

impl OpenData {
    fn wide(&self, portal: &Portal) -> &WideColumns {
        self.wide.get_or_init(|| wide_columns(portal))
    }

    /// The bytes of the file at `key`; `None` when the portal has no such file.
    fn bytes(&self, key: &PageKey, portal: &Portal) -> Option<io::Result<Vec<u8>>> {
        Some(match key {
            PageKey::ReportJson(slug, y) => report_json_file(portal.reports[portal.report_index(slug, *y)?]),
            PageKey::ReportCsv(slug, y) => report_csv_file(portal.reports[portal.report_index(slug, *y)?]),
            PageKey::YearCsv(y) => {
                let year = &portal.years[portal.year_index(*y)?];
                wide_csv_file(year.reports.iter().map(|&i| portal.reports[i]), self.wide(portal))
            }
            PageKey::AgencyCsv(slug) => {
                let agency = &portal.agencies[portal.agency_index(slug)?];
                wide_csv_file(agency.reports.iter().map(|&i| portal.reports[i]), self.wide(portal))
            }
            PageKey::AllCsv => wide_csv_file(portal.reports.iter().copied(), self.wide(portal)),
            PageKey::KeyFigures => key_figures_file(portal),
            PageKey::DataPackage => package_file(portal),
            PageKey::WideSchema => wide_schema_file(&self.wide(portal).cols),
            PageKey::CellSchema => cell_schema_file(),
            _ => return None,
        })
    }
}

impl Output for OpenData {
    fn name(&self) -> &'static str {
        "open data"
    }

    fn owns(&self, key: &PageKey) -> bool {
        matches!(
            key,
            PageKey::ReportJson(..)
                | PageKey::ReportCsv(..)
                | PageKey::YearCsv(_)
                | PageKey::AgencyCsv(_)
                | PageKey::AllCsv
                | PageKey::KeyFigures
                | PageKey::DataPackage
                | PageKey::WideSchema
                | PageKey::CellSchema
        )
    }

    fn files(&self, portal: &Portal) -> Vec<PageKey> {
        urls::data_keys(portal)
    }

    fn cost(&self, key: &PageKey) -> Cost {
        match key {
            PageKey::ReportJson(..) | PageKey::ReportCsv(..) | PageKey::AgencyCsv(_) => Cost::Light,
            _ => Cost::Heavy,
        }
    }

    /// A file that could not be made is an error naming it, never an empty file.
    fn render(&self, key: &PageKey, cx: &Cx) -> Result<Vec<Rendered>, Error> {
        match self.bytes(key, cx.portal) {
            None => Ok(Vec::new()),
            Some(Ok(bytes)) => Ok(vec![Rendered {
                path: key.file(),
                bytes,
            }]),
            Some(Err(source)) => Err(Error::Data {
                path: key.file(),
                source,
            }),
        }
    }

    /// The files of the agency's reports, its CSV, its years' CSVs, and
    /// those of every report.
    fn touched(&self, change: &Change, portal: &Portal) -> Vec<PageKey> {
        match *change {
            Change::Reports { slug, years } => urls::data_keys_for(portal, slug, years),
            Change::Page(_) => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that takes `room` bytes, then fails as a full disk would.
    struct FailsAfter {
        room: usize,
        taken: Vec<u8>,
    }

    impl Write for FailsAfter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.taken.len() >= self.room {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"));
            }
            let n = buf.len().min(self.room - self.taken.len());
            self.taken.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn wide_of(format: Format) -> WideColumns {
        let cols = cells(format).to_vec();
        let maps = vec![(format, column_map(format, &cols))];
        WideColumns {
            cols,
            maps,
            header: OnceLock::new(),
        }
    }

    #[test]
    fn a_wide_csv_that_cannot_be_written_is_an_error() {
        let r = crate::report::valid_fixture();
        let wide = wide_of(r.format);
        let whole = wide_csv_file([&r, &r].into_iter(), &wide).expect("written into memory");
        // Failing in the BOM, in the header, in the first row, in the last
        // byte: always an error, never a shorter file taken for the whole.
        for room in [0, 2, 40, whole.len() / 2, whole.len() - 1] {
            let mut w = FailsAfter {
                room,
                taken: Vec::new(),
            };
            let err = write_wide_csv(&mut w, [&r, &r].into_iter(), &wide).expect_err("the write fails");
            assert_eq!(err.kind(), io::ErrorKind::StorageFull, "at {room}: {err}");
        }
        let mut w = FailsAfter {
            room: whole.len(),
            taken: Vec::new(),
        };
        write_wide_csv(&mut w, [&r, &r].into_iter(), &wide).expect("room enough");
        assert_eq!(w.taken, whole);
        // The header and the rows have as many fields.
        let text = String::from_utf8(whole).expect("UTF-8");
        let fields: Vec<usize> = text.lines().map(|l| l.split(',').count()).collect();
        assert_eq!(fields.len(), 3);
        assert!(fields.iter().all(|&n| n == META.len() + wide.cols.len()), "{fields:?}");
    }

    #[test]
    fn json_that_cannot_be_serialized_or_written_is_an_error() {
        // A map with keys that are not strings: JSON has no such object.
        // (Serialized as `unwrap_or_default()`, this once gave an empty file.)
        let doc: std::collections::BTreeMap<(i32, i32), i32> = [((1, 2), 3)].into();
        assert!(json_file(&doc, false).is_err());
        assert!(json_file(&doc, true).is_err());
        let mut w = FailsAfter {
            room: 3,
            taken: Vec::new(),
        };
        let err = write_json(&mut w, &json!({"name": "全部年度报告数据"}), true).expect_err("the write fails");
        assert_eq!(err.kind(), io::ErrorKind::StorageFull);
        let r = crate::report::valid_fixture();
        let json = report_json_file(&r).expect("serialized");
        assert!(serde_json::from_slice::<Value>(&json).is_ok());
    }

    #[test]
    fn the_cell_csv_has_a_header_and_one_row_per_cell() {
        let r = crate::report::valid_fixture();
        let csv = report_csv_file(&r).expect("written");
        let text = String::from_utf8(csv).expect("UTF-8");
        assert!(text.starts_with("\u{feff}table,row_key,row_label,column_key,column_label,value\n"));
        assert_eq!(text.lines().count(), 1 + cells(r.format).len());
    }
}
