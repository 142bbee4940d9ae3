//! The description of the open data: the Frictionless Data Package that
//! lists every CSV file, and the two Table Schemas it points to (the wide
//! files' and the roll-ups' cell files'). The JSON files are not resources
//! (they are not tables); `labels.json` holds their labels.

use std::io;

use serde::Serialize;
use serde_json::{json, Value};

use super::compliance::compliance_schema;
use super::json::json_file;
use super::{year_csv, CellRef, ALL_CSV, CELL_SCHEMA, META, WIDE_SCHEMA};
use crate::portal::Portal;
use crate::report::labels::FieldKind;

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

/// The Table Schema of the cell CSV files (one row per table cell: the roll-ups').
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
/// JSON files), compact: one resource per year, per agency and per roll-up,
/// none per report (a report is a row of its year's and its agency's file).
pub fn package_file(portal: &Portal) -> io::Result<Vec<u8>> {
    let resource = |name: String, path: String, title: String, schema: &'static str| Resource {
        encoding: "utf-8-sig",
        format: "csv",
        mediatype: "text/csv",
        name,
        path: path.strip_prefix("data/").map(str::to_string).unwrap_or(path),
        profile: "tabular-data-resource",
        // Schemas are shared files, referenced by path.
        schema: Schema::Path(schema),
        title,
    };
    let mut resources = Vec::with_capacity(2 + portal.years.len() + portal.agencies.len());
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
    resources.push(Resource {
        schema: Schema::Inline(compliance_schema()),
        ..resource(
            "compliance".into(),
            crate::urls::COMPLIANCE_CSV.into(),
            "各机关年度报告报送情况".into(),
            "",
        )
    });
    // The roll-ups' cell files (with a roster), the cell files' schema.
    let roster = portal.site.roster.as_ref();
    for (slug, year) in crate::rollup::keys(portal) {
        let name = roster
            .and_then(|r| r.get(&slug))
            .map_or(slug.as_str(), |a| a.name.as_str());
        resources.push(resource(
            format!("rollup-{slug}-{year}"),
            crate::urls::rollup_csv(&slug, year),
            format!("{name}{year}年度本级及所属机关合计（逐格数据）"),
            CELL_SCHEMA,
        ));
    }
    let doc = Package {
        name: "gongkai-annual-reports",
        profile: "tabular-data-package",
        resources,
        title: format!("{}：政府信息公开工作年度报告数据", portal.site.config.title),
    };
    json_file(&doc, false)
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
    schema: Schema,
    title: String,
}

/// A resource's Table Schema: a shared file by path, or inline (the
/// compliance file's, which no other file shares).
#[derive(Serialize)]
#[serde(untagged)]
enum Schema {
    Path(&'static str),
    Inline(Value),
}
