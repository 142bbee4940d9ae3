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

use serde::Serialize;
use serde_json::{json, Value};

use crate::portal::Portal;
use crate::render::urls;
use crate::report::labels::{
    self, FieldKind, APPEAL_COLUMNS, APPEAL_COLUMN_KEYS, APPEAL_ROWS, REQUEST_COLUMNS, REQUEST_COLUMN_KEYS,
};
use crate::report::parse::format_amount;
use crate::report::{Format, Report, Tables};

/// The byte-order mark that tells Excel a CSV file is UTF-8.
const BOM: &str = "\u{feff}";

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

/// Every cell of a report of `format`, in table order.
pub fn cells(format: Format) -> Vec<CellRef> {
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

/// A cell value as text: blank for a blank cell, amounts with their decimals.
fn text(value: Option<i64>, kind: FieldKind) -> String {
    match value {
        None => String::new(),
        Some(v) if kind == FieldKind::Amount => format_amount(v),
        Some(v) => v.to_string(),
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

/// URLs of a report's data files, relative to the site root.
pub fn report_json(slug: &str, year: i32) -> String {
    format!("data/reports/{slug}/{year}.json")
}
pub fn report_csv(slug: &str, year: i32) -> String {
    format!("data/reports/{slug}/{year}.csv")
}
pub fn year_csv(year: i32) -> String {
    format!("data/years/{year}.csv")
}
pub fn agency_csv(slug: &str) -> String {
    format!("data/agencies/{slug}.csv")
}
pub const ALL_CSV: &str = "data/all.csv";
pub const KEY_FIGURES: &str = "data/key-figures.json";
pub const PACKAGE: &str = "data/datapackage.json";

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

/// The cell columns of the wide CSV files: those of every format in use,
/// gov-2021 first.
pub fn wide_columns(portal: &Portal) -> Vec<CellRef> {
    let mut cols: Vec<CellRef> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for format in [Format::Gov2021, Format::Gov2019] {
        if portal.reports.iter().any(|r| r.format == format && r.tables.is_some()) {
            for c in cells(format) {
                if seen.insert(c.name()) {
                    cols.push(c);
                }
            }
        }
    }
    cols
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

/// One report as JSON: metadata and the three tables.
pub fn report_json_file(r: &Report) -> Vec<u8> {
    let mut doc = json!({
        "title": r.title,
        "agency": r.agency,
        "agency_slug": r.agency_slug,
        "year": r.year,
        "published": r.published.to_string(),
        "deadline": r.deadline().to_string(),
        "on_time": r.on_time(),
        "level": r.level.key(),
        "region": r.region,
        "format": r.format.key(),
        "url": urls::report(&r.agency_slug, r.year),
    });
    if let Some(t) = &r.tables {
        doc["tables"] = tables_json(r.format, t);
    }
    serde_json::to_vec(&doc).unwrap_or_default()
}

/// One report as CSV: one row per table cell.
pub fn report_csv_file(r: &Report) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(BOM.as_bytes().to_vec());
    let _ = w.write_record(["table", "row_key", "row_label", "column_key", "column_label", "value"]);
    if let Some(t) = &r.tables {
        for (cell, value) in cells(r.format).iter().zip(values(r.format, t)) {
            let _ = w.write_record([
                cell.table,
                &cell.row_key,
                &cell.row_label,
                cell.column_key,
                cell.column_label,
                &text(value, cell.kind),
            ]);
        }
    }
    w.into_inner().unwrap_or_default()
}

/// The three tables as JSON: rows with keys, labels and values.
fn tables_json(format: Format, t: &Tables) -> Value {
    let proactive: Vec<Value> = format
        .proactive_items()
        .iter()
        .zip(&t.proactive)
        .map(|(def, item)| {
            json!({
                "key": def.key,
                "label": def.label,
                "block": def.block,
                "values": def.fields.iter().zip(&item.cells).map(|(f, v)| json!({
                    "key": f.key, "label": f.label, "value": number(*v, f.kind)
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let columns = |keys: &[&'static str], labels: &[&'static str]| -> Vec<ColumnJson> {
        keys.iter()
            .zip(labels)
            .map(|(k, l)| ColumnJson { key: k, label: l })
            .collect()
    };
    let requests: Vec<Value> = format
        .request_rows()
        .iter()
        .zip(&t.requests)
        .map(|(def, row)| {
            json!({
                "key": def.path(),
                "label": def.full_label(),
                "values": row.cells.iter().map(|v| number(*v, FieldKind::Count)).collect::<Vec<_>>(),
                "total_given": row.total_given,
            })
        })
        .collect();
    let appeals: Vec<Value> = APPEAL_ROWS
        .iter()
        .zip(&t.appeals)
        .map(|(def, row)| {
            json!({
                "key": def.key,
                "label": def.label,
                "values": row.cells.iter().map(|v| number(*v, FieldKind::Count)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "proactive": { "label": labels::TABLE_2, "rows": proactive },
        "requests": {
            "label": labels::TABLE_3,
            "columns": columns(&REQUEST_COLUMN_KEYS, &REQUEST_COLUMNS),
            "rows": requests,
        },
        "appeals": {
            "label": labels::TABLE_4,
            "columns": columns(&APPEAL_COLUMN_KEYS, &APPEAL_COLUMNS),
            "rows": appeals,
        },
    })
}

/// A wide CSV: one row per report, the metadata then every cell.
pub fn wide_csv_file<'a>(reports: impl Iterator<Item = &'a Report>, cols: &[CellRef]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header: Vec<String> = META
        .iter()
        .map(|m| m.0.to_string())
        .chain(cols.iter().map(CellRef::name))
        .collect();
    let _ = w.write_record(&header);
    let maps: Vec<(Format, Vec<Option<usize>>)> = [Format::Gov2021, Format::Gov2019]
        .into_iter()
        .map(|f| (f, column_map(f, cols)))
        .collect();
    for r in reports {
        let mut record: Vec<String> = vec![
            r.agency_slug.clone(),
            r.agency.clone(),
            r.year.to_string(),
            r.published.to_string(),
            r.level.key().to_string(),
            r.region.clone().unwrap_or_default(),
            r.format.key().to_string(),
            urls::report(&r.agency_slug, r.year),
        ];
        match &r.tables {
            Some(t) => {
                let vals = values(r.format, t);
                let map = &maps
                    .iter()
                    .find(|(f, _)| *f == r.format)
                    .expect("a format with tables")
                    .1;
                for (c, at) in cols.iter().zip(map) {
                    record.push(text(at.and_then(|i| vals[i]), c.kind));
                }
            }
            None => record.extend(cols.iter().map(|_| String::new())),
        }
        let _ = w.write_record(&record);
    }
    let mut bytes = BOM.as_bytes().to_vec();
    bytes.extend(w.into_inner().unwrap_or_default());
    bytes
}

/// Every report's key figures, compactly, for the comparison page.
pub fn key_figures_file(portal: &Portal) -> Vec<u8> {
    let rows: Vec<Value> = portal
        .reports
        .iter()
        .zip(&portal.figures)
        .map(|(r, f)| {
            let f = f.unwrap_or_default();
            json!([
                r.agency_slug,
                r.agency,
                r.year,
                r.published.to_string(),
                f.new,
                f.granted,
                f.handled,
                f.review,
                f.litigation
            ])
        })
        .collect();
    let doc = json!({
        "columns": ["agency_slug", "agency", "year", "published", "new", "granted", "handled", "review", "litigation"],
        "rows": rows,
    });
    serde_json::to_vec(&doc).unwrap_or_default()
}

/// The Table Schema of the wide CSV files.
pub fn wide_schema_file(cols: &[CellRef]) -> Vec<u8> {
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
    serde_json::to_vec_pretty(&wide_schema).unwrap_or_default()
}

/// The Table Schema of the per-report cell CSV files.
pub fn cell_schema_file() -> Vec<u8> {
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
    serde_json::to_vec_pretty(&cell_schema).unwrap_or_default()
}

/// The Frictionless Data Package describing the CSV files.
pub fn package_file(portal: &Portal) -> Vec<u8> {
    let csv_resource = |name: String, path: String, title: String, schema: &str| {
        json!({
            "name": name,
            "path": path.strip_prefix("data/").unwrap_or(&path),
            "title": title,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "profile": "tabular-data-resource",
            // Schemas are shared files, referenced by path.
            "schema": schema,
        })
    };
    let mut resources = vec![csv_resource(
        "all".into(),
        ALL_CSV.into(),
        "全部年度报告数据".into(),
        WIDE_SCHEMA,
    )];
    for y in &portal.years {
        resources.push(csv_resource(
            format!("year-{}", y.year),
            year_csv(y.year),
            format!("{}年度报告数据", y.year),
            WIDE_SCHEMA,
        ));
    }
    for a in &portal.agencies {
        resources.push(csv_resource(
            format!("agency-{}", a.slug),
            agency_csv(&a.slug),
            format!("{}历年报告数据", a.name),
            WIDE_SCHEMA,
        ));
    }
    for r in &portal.reports {
        resources.push(csv_resource(
            format!("report-{}-{}", r.agency_slug, r.year),
            report_csv(&r.agency_slug, r.year),
            format!("{}（逐格数据）", r.title),
            CELL_SCHEMA,
        ));
    }
    let doc = json!({
        "profile": "tabular-data-package",
        "name": "gongkai-annual-reports",
        "title": format!("{}：政府信息公开工作年度报告数据", portal.site.config.title),
        "resources": resources,
    });
    serde_json::to_vec_pretty(&doc).unwrap_or_default()
}

/// The Table Schema files, beside the package.
pub const WIDE_SCHEMA: &str = "schema-reports.json";
pub const CELL_SCHEMA: &str = "schema-report-cells.json";
