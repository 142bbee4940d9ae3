//! Open data: the checked numbers as machine-readable files, written by
//! every build (unless `[outputs] data = false`):
//!
//! - `data/agencies/<slug>.json`: one agency, every published report of it
//!   with its metadata and its numbers keyed by stable keys (no labels);
//! - `data/labels.json`: the official labels of every table, row and column,
//!   once per format (the keys of the agency files and the wide columns);
//! - `data/years/<year>.csv`, `data/agencies/<slug>.csv`, `data/all.csv`:
//!   one row per report, every cell a column;
//! - `data/key-figures.json`: the key figures of every report (for /compare/);
//! - `data/compliance.csv`, `data/compliance.json`: every agency × year,
//!   published on time, late or missing, with its problems by rule (from
//!   [`crate::compliance`]; rendered by `render::compliance`, which works
//!   the status out once for the page and both files);
//! - `data/rollup/<slug>/<year>.json` and `.csv`: a roster agency's roll-up;
//! - `data/datapackage.json`: a Frictionless Data Package describing the CSV
//!   files with Table Schemas.
//!
//! Labels are written once (in `labels.json` and the Table Schemas), not in
//! every file, and there is one JSON file per agency rather than per report,
//! so the file count grows with agencies (see docs/data.md).
//!
//! CSV files are UTF-8 with a BOM, so that Excel shows Chinese correctly.
//! Every text field of a CSV file goes through [`csv_text`], which keeps a
//! spreadsheet from reading it as a formula (see docs/data.md); numbers are
//! written as they are, and JSON keeps the exact text. A file that cannot be
//! serialized is an error (the build stops), never an empty or cut file.
//!
//! The files are made in `csv` (the cell and wide CSV files, and the
//! formula guard), `json` (one agency, the labels, the key figures) and `package` (the
//! Data Package and its Table Schemas). This module holds what they share:
//! the cells of each format, the wide files' metadata columns, and
//! [`OpenData`], the output that hands each address to its file.

mod compliance;
mod csv;
mod json;
mod package;
mod rollup;

use std::io;
use std::sync::OnceLock;

use crate::outputs::{Change, Cost, Cx, Output, Rendered};
use crate::portal::Portal;
use crate::report::labels::{
    self, FieldKind, APPEAL_COLUMNS, APPEAL_COLUMN_KEYS, APPEAL_ROWS, REQUEST_COLUMNS, REQUEST_COLUMN_KEYS,
};
use crate::report::{Format, Tables};
use crate::urls::{self, PageKey};
use crate::Error;

pub use self::compliance::{compliance_csv_file, compliance_json_file, compliance_schema};
pub use self::csv::{csv_text, wide_columns, wide_csv_of_rows, wide_row, WideColumns};
pub use self::json::{agency_json_file, key_figures_file, labels_file};
pub use self::package::{cell_schema_file, package_file, wide_schema_file};
pub use self::rollup::{rollup_csv_file, rollup_json_file};

/// The data files' paths, relative to the site root (the URL scheme, in [`crate::urls`]).
pub use crate::urls::{agency_json, year_csv, ALL_CSV, KEY_FIGURES, LABELS, PACKAGE};

/// The Table Schema files, beside the package.
pub use crate::urls::{CELL_SCHEMA, WIDE_SCHEMA};

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
    /// The key of each row of table 三 (`denied.state_secret`).
    request_keys: Vec<String>,
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
        request_keys: format.request_rows().iter().map(|r| r.path()).collect(),
        request_labels: format.request_rows().iter().map(|r| r.full_label()).collect(),
    })
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

/// The open data as an output of the build: every file above, by address
/// (`PageKey::AgencyJson`, …). Made for one render: it works out the wide
/// CSV columns once, and each report's wide CSV row once (its year's file
/// and `all.csv` share it).
#[derive(Default)]
pub struct OpenData {
    wide: OnceLock<WideColumns>,
    /// By report (portal order), the report's wide CSV row.
    rows: OnceLock<Vec<OnceLock<Vec<u8>>>>,
}

impl OpenData {
    fn wide(&self, portal: &Portal) -> &WideColumns {
        self.wide.get_or_init(|| wide_columns(portal))
    }

    /// The wide CSV file of the reports `which` (indices in the portal).
    fn wide_csv(&self, portal: &Portal, which: &[usize]) -> io::Result<Vec<u8>> {
        let wide = self.wide(portal);
        let rows = self
            .rows
            .get_or_init(|| (0..portal.reports.len()).map(|_| OnceLock::new()).collect());
        for &i in which {
            if rows[i].get().is_none() {
                // Two threads may race for a row: both write it, one is kept.
                let _ = rows[i].set(wide_row(portal.reports[i], wide)?);
            }
        }
        wide_csv_of_rows(
            which.iter().map(|&i| rows[i].get().map_or(&[][..], Vec::as_slice)),
            wide,
        )
    }

    /// The bytes of the file at `key`; `None` when the portal has no such file.
    fn bytes(&self, key: &PageKey, portal: &Portal) -> Option<io::Result<Vec<u8>>> {
        Some(match key {
            PageKey::AgencyJson(slug) => return agency_json_file(portal, slug),
            PageKey::Labels => labels_file(),
            PageKey::YearCsv(y) => {
                let year = &portal.years[portal.year_index(*y)?];
                self.wide_csv(portal, &year.reports)
            }
            PageKey::AllCsv => self.wide_csv(portal, &(0..portal.reports.len()).collect::<Vec<_>>()),
            PageKey::KeyFigures => key_figures_file(portal),
            PageKey::DataPackage => package_file(portal),
            PageKey::WideSchema => wide_schema_file(&self.wide(portal).cols),
            PageKey::CellSchema => cell_schema_file(),
            PageKey::RollupJson(slug, y) => return rollup_json_file(portal, slug, *y),
            PageKey::RollupCsv(slug, y) => return rollup_csv_file(portal, slug, *y),
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
            PageKey::AgencyJson(_)
                | PageKey::Labels
                | PageKey::YearCsv(_)
                | PageKey::AllCsv
                | PageKey::KeyFigures
                | PageKey::DataPackage
                | PageKey::WideSchema
                | PageKey::CellSchema
                | PageKey::RollupJson(..)
                | PageKey::RollupCsv(..)
        )
    }

    fn files(&self, portal: &Portal) -> Vec<PageKey> {
        urls::data_keys(portal)
    }

    fn cost(&self, key: &PageKey) -> Cost {
        match key {
            PageKey::AgencyJson(_) | PageKey::Labels | PageKey::RollupJson(..) | PageKey::RollupCsv(..) => Cost::Light,
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

    /// The agency's JSON and CSV, its years' CSVs, and the files of every
    /// report.
    fn touched(&self, change: &Change, portal: &Portal) -> Vec<PageKey> {
        match *change {
            Change::Reports { slug, years } => {
                let mut keys = urls::data_keys_for(portal, slug, years);
                // The roll-ups that sum the agency's reports, and the
                // package (which lists the roll-ups' CSV files).
                if portal.site.config.outputs.data {
                    for above in crate::rollup::containing(portal, slug) {
                        for &y in years {
                            keys.push(PageKey::RollupJson(above.to_string(), y));
                            keys.push(PageKey::RollupCsv(above.to_string(), y));
                        }
                    }
                }
                keys
            }
            Change::Page(_) => Vec::new(),
        }
    }
}

/// A writer for the tests of the files: it takes `room` bytes, then fails
/// as a full disk would.
#[cfg(test)]
mod testing {
    use std::io::{self, Write};

    pub(super) struct FailsAfter {
        pub(super) room: usize,
        pub(super) taken: Vec<u8>,
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
}
