//! The JSON files of the open data: one agency's reports (`agencies/<slug>.json`,
//! every published report of it with its numbers keyed by stable keys and
//! no labels), the labels once (`labels.json`, from [`crate::report::labels`])
//! and the key figures of every report.
//!
//! Key order: the keys of every object are in alphabetical order (the
//! structs' fields are), except inside `tables`, where the rows of a table
//! are in the form's order, as in `labels.json`. A row of table 二 is an
//! object keyed by its fields (`rules: {issued, repealed, in_force}`); a row
//! of tables 三 and 四 (7 and 5 numbers, always the same columns) is an
//! array in the order the file's `columns` gives once (`requests:
//! [natural_person, …, total]`), which keeps an agency's file at about 40%
//! of its keyed size. So the cell `tables.<table>.<row_key>[i]` is the wide
//! CSV's column `<table>.<row_key>.<columns[table][i]>`.

use std::io::{self, Write};

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{json, Value};

use super::format_data;
use crate::portal::Portal;
use crate::report::labels::{
    self, FieldKind, APPEAL_COLUMNS, APPEAL_COLUMN_KEYS, APPEAL_ROWS, REQUEST_COLUMNS, REQUEST_COLUMN_KEYS,
};
use crate::report::parse::format_amount;
use crate::report::{Cell, Format, Report, Tables};
use crate::urls;

/// A cell as a JSON number: `null` when blank, amounts with their decimals
/// (exactly as `format_amount` writes them).
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

/// One agency's data: its name (that of its latest report), and every
/// published report of it, by year; `None` when the portal has no such agency.
pub fn agency_json_file(portal: &Portal, slug: &str) -> Option<io::Result<Vec<u8>>> {
    let agency = &portal.agencies[portal.agency_index(slug)?];
    let reports: Vec<ReportJson> = agency.reports.iter().map(|&i| report_json(portal.reports[i])).collect();
    let latest = agency
        .reports
        .last()
        .map_or(agency.name.as_str(), |&i| &portal.reports[i].agency);
    let doc = AgencyJson {
        agency: latest,
        agency_slug: &agency.slug,
        columns: COLUMNS,
        labels: LABELS_FROM_AGENCY,
        reports,
        url: urls::agency(&agency.slug),
    };
    Some(json_file(&doc, false))
}

/// Where `labels.json` is, relative to an agency's JSON file.
const LABELS_FROM_AGENCY: &str = "../labels.json";

/// The column keys of the rows of tables 三 and 四, written once at the top
/// of every file whose `tables` hold such rows.
#[derive(Serialize)]
pub(super) struct Columns {
    appeals: &'static [&'static str; 5],
    requests: &'static [&'static str; 7],
}

pub(super) const COLUMNS: Columns = Columns {
    appeals: &APPEAL_COLUMN_KEYS,
    requests: &REQUEST_COLUMN_KEYS,
};

#[derive(Serialize)]
struct AgencyJson<'a> {
    agency: &'a str,
    agency_slug: &'a str,
    /// The order of the numbers in each row of tables 三 and 四.
    columns: Columns,
    /// The labels of the tables' keys, relative to this file.
    labels: &'static str,
    reports: Vec<ReportJson<'a>>,
    url: String,
}

/// One report: metadata, and its tables by stable keys.
fn report_json(r: &Report) -> ReportJson<'_> {
    let totals_computed = match &r.tables {
        Some(t) => format_data(r.format)
            .request_keys
            .iter()
            .zip(&t.requests)
            .filter(|(_, row)| !row.total_given)
            .map(|(key, _)| key.as_str())
            .collect(),
        None => Vec::new(),
    };
    ReportJson {
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
        totals_computed,
        url: urls::report(&r.agency_slug, r.year),
        year: r.year,
    }
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
    /// The rows of table 三 whose 总计 gongkai computed (not written in the file).
    totals_computed: Vec<&'static str>,
    url: String,
    year: i32,
}

/// `doc` as JSON, compact or pretty (two spaces).
pub(super) fn json_file(doc: &impl Serialize, pretty: bool) -> io::Result<Vec<u8>> {
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

/// The three tables as JSON, values only (a report's `tables`, and a
/// roll-up's): `{"appeals": {row: {column: n}}, "proactive": …, "requests": …}`.
/// The one writer of `tables` in the open data.
pub(super) struct TablesJson<'a> {
    format: Format,
    tables: &'a Tables,
}

/// The three tables of `format` as JSON, keyed by stable keys.
pub(super) fn tables_json(format: Format, tables: &Tables) -> TablesJson<'_> {
    TablesJson { format, tables }
}

impl Serialize for TablesJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (format, t) = (self.format, self.tables);
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry(
            "appeals",
            &Rows(
                APPEAL_ROWS
                    .iter()
                    .zip(&t.appeals)
                    .map(|(def, row)| (def.key, Values::Counts(&APPEAL_COLUMN_KEYS, &row.cells)))
                    .collect(),
            ),
        )?;
        m.serialize_entry(
            "proactive",
            &Rows(
                format
                    .proactive_items()
                    .iter()
                    .zip(&t.proactive)
                    .map(|(def, item)| (def.key, Values::Fields(def.fields, &item.cells)))
                    .collect(),
            ),
        )?;
        m.serialize_entry(
            "requests",
            &Rows(
                format_data(format)
                    .request_keys
                    .iter()
                    .zip(&t.requests)
                    .map(|(key, row)| (key.as_str(), Values::Counts(&REQUEST_COLUMN_KEYS, &row.cells)))
                    .collect(),
            ),
        )?;
        m.end()
    }
}

/// A table's rows as a JSON object, in the form's order.
struct Rows<'a>(Vec<(&'a str, Values<'a>)>);

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// A row's cells: counts as an array in the order of the table's column
/// keys (the file's `columns`), or the fields of a table-二 item as an object.
enum Values<'a> {
    Counts(&'static [&'static str], &'a [Cell]),
    Fields(&'static [labels::FieldDef], &'a [Cell]),
}

impl Serialize for Values<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Values::Counts(keys, cells) => {
                debug_assert_eq!(keys.len(), cells.len());
                s.collect_seq(cells)
            }
            Values::Fields(fields, cells) => {
                s.collect_map(fields.iter().zip(cells).map(|(f, v)| (f.key, number(*v, f.kind))))
            }
        }
    }
}

/// The labels of every format with tables (gov-2019, gov-2021), once: for
/// each table its official label, columns and rows, every string taken from
/// [`crate::report::labels`].
pub fn labels_file() -> io::Result<Vec<u8>> {
    let formats: serde_json::Map<String, Value> = [Format::Gov2019, Format::Gov2021]
        .into_iter()
        .map(|f| (f.key().to_string(), format_labels(f)))
        .collect();
    json_file(
        &json!({
            "formats": formats,
            "kinds": {
                "amount": "非负金额（万元），最多 6 位小数",
                "change": "整数，可为负（本年增/减）",
                "count": "非负整数",
            },
        }),
        false,
    )
}

/// The labels of one format's tables.
fn format_labels(format: Format) -> Value {
    let columns = |keys: &[&str], labels: &[&str]| -> Vec<Value> {
        keys.iter()
            .zip(labels)
            .map(|(k, l)| json!({"key": k, "label": l}))
            .collect()
    };
    let data = format_data(format);
    json!({
        "appeals": {
            "columns": columns(&APPEAL_COLUMN_KEYS, &APPEAL_COLUMNS),
            "label": labels::TABLE_4,
            "rows": APPEAL_ROWS.iter().map(|r| json!({"key": r.key, "label": r.label})).collect::<Vec<_>>(),
        },
        "proactive": {
            "label": labels::TABLE_2,
            "rows": format.proactive_items().iter().map(|item| json!({
                "block": item.block,
                "fields": item.fields.iter().map(|f| json!({
                    "key": f.key,
                    "kind": kind_key(f.kind),
                    "label": f.label,
                })).collect::<Vec<_>>(),
                "key": item.key,
                "label": item.label,
            })).collect::<Vec<_>>(),
        },
        "requests": {
            "columns": columns(&REQUEST_COLUMN_KEYS, &REQUEST_COLUMNS),
            "label": labels::TABLE_3,
            "rows": format.request_rows().iter().zip(&data.request_keys).zip(&data.request_labels)
                .map(|((r, key), full)| json!({"full_label": full, "key": key, "label": r.label}))
                .collect::<Vec<_>>(),
        },
    })
}

/// A table-二 field's kind as written in `labels.json`.
fn kind_key(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Count => "count",
        FieldKind::Change => "change",
        FieldKind::Amount => "amount",
    }
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

#[cfg(test)]
mod tests {
    use super::super::testing::FailsAfter;
    use super::super::{cells, values};
    use super::*;

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
    }

    /// Every cell is in `tables`: a table-二 field at
    /// `tables.proactive.<row>.<field>`, a number of tables 三 and 四 at
    /// `tables.<table>.<row>[i]` where `COLUMNS` has its column key at `i`
    /// (so the wide CSV's column `<table>.<row>.<column>`); no labels.
    #[test]
    fn tables_are_values_by_the_cell_ids() {
        let r = crate::report::valid_fixture();
        let t = r.tables.as_ref().expect("tables");
        let bytes = json_file(&tables_json(r.format, t), false).unwrap();
        let doc: Value = serde_json::from_slice(&bytes).unwrap();
        let columns: Value = serde_json::to_value(COLUMNS).unwrap();
        let mut n = 0;
        for (cell, value) in cells(r.format).iter().zip(values(r.format, t)) {
            let row = &doc[cell.table][&cell.row_key];
            let got = if cell.table == "proactive" {
                &row[cell.column_key]
            } else {
                let i = columns[cell.table]
                    .as_array()
                    .unwrap()
                    .iter()
                    .position(|k| k == cell.column_key)
                    .expect("the column in COLUMNS");
                &row[i]
            };
            assert_eq!(got, &number(value, cell.kind), "{}", cell.name());
            n += 1;
        }
        // As many cells in the JSON as in the format, and not one label.
        let in_json: usize = doc
            .as_object()
            .unwrap()
            .values()
            .flat_map(|rows| rows.as_object().unwrap().values())
            .map(|row| {
                row.as_object()
                    .map_or_else(|| row.as_array().unwrap().len(), |o| o.len())
            })
            .sum();
        assert_eq!(in_json, n);
        let text = doc.to_string();
        assert!(
            !text.contains(labels::TABLE_3) && !text.contains(REQUEST_COLUMNS[0]),
            "{text}"
        );
        // Tables in alphabetical order, rows in the form's order (as
        // written, before a reader sorts them).
        let written = String::from_utf8(bytes).unwrap();
        assert!(written.starts_with(r#"{"appeals":{"review":["#), "{written}");
        let at = |k: &str| written.find(k).unwrap();
        assert!(at(r#""proactive":{"rules":{"issued":"#) < at(r#""requests":{"new":["#));
        assert!(at(r#""new":"#) < at(r#""carried_over":"#) && at(r#""granted":"#) < at(r#""denied.state_secret":"#));
    }

    #[test]
    fn the_labels_are_those_of_report_labels() {
        let doc: Value = serde_json::from_slice(&labels_file().unwrap()).unwrap();
        for format in [Format::Gov2021, Format::Gov2019] {
            let f = &doc["formats"][format.key()];
            assert_eq!(f["requests"]["label"], labels::TABLE_3);
            let rows = f["requests"]["rows"].as_array().unwrap();
            assert_eq!(rows.len(), format.request_rows().len());
            for (row, def) in rows.iter().zip(format.request_rows()) {
                assert_eq!(row["key"], def.path());
                assert_eq!(row["label"], def.label);
                assert_eq!(row["full_label"], def.full_label());
            }
            let items = f["proactive"]["rows"].as_array().unwrap();
            for (item, def) in items.iter().zip(format.proactive_items()) {
                assert_eq!(item["block"], def.block);
                assert_eq!(item["fields"].as_array().unwrap().len(), def.fields.len());
            }
            assert_eq!(f["appeals"]["columns"][4]["label"], APPEAL_COLUMNS[4]);
        }
        assert!(doc["formats"].get("freeform").is_none());
    }
}
