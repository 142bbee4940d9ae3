//! The JSON files of the open data: one report (metadata and the three
//! tables with stable keys and official labels) and the key figures of
//! every report. Built from structs that borrow from the report, their
//! fields in alphabetical order so that keys come sorted.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{json, Value};

use super::format_data;
use crate::portal::Portal;
use crate::report::labels::{
    self, FieldKind, APPEAL_COLUMNS, APPEAL_COLUMN_KEYS, APPEAL_ROWS, REQUEST_COLUMNS, REQUEST_COLUMN_KEYS,
};
use crate::report::parse::format_amount;
use crate::report::{Format, Report, Tables};
use crate::urls;

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

/// The three tables as JSON (a report's `tables`, and a roll-up's).
#[derive(Serialize)]
pub(super) struct TablesJson<'a> {
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
pub(super) fn tables_json(format: Format, t: &Tables) -> TablesJson<'_> {
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
        let r = crate::report::valid_fixture();
        let json = report_json_file(&r).expect("serialized");
        assert!(serde_json::from_slice::<Value>(&json).is_ok());
    }
}
