//! The CSV files of the open data: a roll-up's cells (`rollup/<slug>/<year>.csv`,
//! one row per cell, lines shared by every file of a format worked out once),
//! the wide files (one row per report, every cell a column) and their
//! columns, and [`csv_text`], the formula guard every text field goes
//! through. A writer's failure is returned, never a shorter file.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::OnceLock;

use super::{cells, values, CellRef, META};
use crate::portal::Portal;
use crate::report::labels::FieldKind;
use crate::report::parse::format_amount;
use crate::report::{Format, Report, Tables};
use crate::urls;

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

/// A cell value as text, appended to `out`: nothing for a blank cell,
/// amounts with their decimals.
fn push_text(out: &mut Vec<u8>, value: Option<i64>, kind: FieldKind) {
    match value {
        None => {}
        Some(v) if kind == FieldKind::Amount => out.extend_from_slice(format_amount(v).as_bytes()),
        Some(v) => out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes()),
    }
}

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

/// Tables of `format` as CSV, one row per cell (a roll-up's); the header
/// alone without tables.
pub(super) fn cells_csv_file(format: Format, tables: Option<&Tables>) -> io::Result<Vec<u8>> {
    let lines = cell_lines(format)?;
    let mut out = Vec::with_capacity(lines.header.len() + lines.prefixes.iter().map(|p| p.len() + 8).sum::<usize>());
    out.extend_from_slice(&lines.header);
    if let Some(t) = tables {
        for ((cell, prefix), value) in cells(format).iter().zip(&lines.prefixes).zip(values(format, t)) {
            out.extend_from_slice(prefix);
            push_text(&mut out, value, cell.kind);
            out.push(b'\n');
        }
    }
    Ok(out)
}

/// A wide CSV (one row per report, the metadata then every cell) made of
/// rows written already ([`wide_row`]): a year's file and `all.csv` hold
/// the same rows, each written once per build.
pub fn wide_csv_of_rows<'a>(rows: impl Iterator<Item = &'a [u8]> + Clone, wide: &WideColumns) -> io::Result<Vec<u8>> {
    let header = wide.header()?;
    let len = BOM.len() + header.len() + rows.clone().map(<[u8]>::len).sum::<usize>();
    let mut out = Vec::with_capacity(len);
    write_wide_csv(&mut out, rows, wide)?;
    Ok(out)
}

/// Writes a wide CSV into `out`; a failure of the writer is returned.
fn write_wide_csv<'a>(mut out: impl Write, rows: impl Iterator<Item = &'a [u8]>, wide: &WideColumns) -> io::Result<()> {
    out.write_all(BOM.as_bytes())?;
    out.write_all(wide.header()?)?;
    for row in rows {
        out.write_all(row)?;
    }
    out.flush()
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

/// A report's row of the wide CSV files, CSV-quoted, with its line end.
pub fn wide_row(r: &Report, wide: &WideColumns) -> io::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(512)
        .from_writer(Vec::with_capacity(1024));
    write_meta(&mut w, r).map_err(csv_error)?;
    let mut out = w.into_inner().map_err(|e| e.into_error())?;
    // The cells are numbers or blank, which CSV never quotes: they are
    // written straight after the text columns (through the csv writer, a
    // cell took about 300 instructions, most of a wide row's cost).
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
                out.push(b',');
                push_text(&mut out, at.and_then(|i| vals[i]), c.kind);
            }
        }
        None => out.extend(std::iter::repeat_n(b',', wide.cols.len())),
    }
    out.push(b'\n');
    Ok(out)
}

/// The columns of `META` of `r`'s wide-CSV row: text, except the year and
/// the date.
fn write_meta<W: Write>(w: &mut csv::Writer<W>, r: &Report) -> csv::Result<()> {
    let year = r.year.to_string();
    let published = r.published.to_string();
    let url = urls::report(&r.agency_slug, r.year);
    for m in [
        csv_text(&r.agency_slug),
        csv_text(&r.agency),
        Cow::Borrowed(year.as_str()),
        Cow::Borrowed(published.as_str()),
        csv_text(r.level.key()),
        csv_text(r.region.as_deref().unwrap_or_default()),
        csv_text(r.format.key()),
        csv_text(&url),
    ] {
        w.write_field(m.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::FailsAfter;
    use super::*;

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
        let row = wide_row(&r, &wide).expect("written into memory");
        let whole = wide_csv_of_rows([&row[..], &row[..]].into_iter(), &wide).expect("written into memory");
        // Failing in the BOM, in the header, in the first row, in the last
        // byte: always an error, never a shorter file taken for the whole.
        for room in [0, 2, 40, whole.len() / 2, whole.len() - 1] {
            let mut w = FailsAfter {
                room,
                taken: Vec::new(),
            };
            let err = write_wide_csv(&mut w, [&row[..], &row[..]].into_iter(), &wide).expect_err("the write fails");
            assert_eq!(err.kind(), io::ErrorKind::StorageFull, "at {room}: {err}");
        }
        let mut w = FailsAfter {
            room: whole.len(),
            taken: Vec::new(),
        };
        write_wide_csv(&mut w, [&row[..], &row[..]].into_iter(), &wide).expect("room enough");
        assert_eq!(w.taken, whole);
        // The header and the rows have as many fields.
        let text = String::from_utf8(whole).expect("UTF-8");
        let fields: Vec<usize> = text.lines().map(|l| l.split(',').count()).collect();
        assert_eq!(fields.len(), 3);
        assert!(fields.iter().all(|&n| n == META.len() + wide.cols.len()), "{fields:?}");
    }

    /// The row as the csv writer writes it, field by field: what
    /// [`wide_row`] wrote before it wrote the numbers itself (the text
    /// columns by the same [`write_meta`]).
    fn wide_row_reference(r: &Report, wide: &WideColumns) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        write_meta(&mut w, r).unwrap();
        let mut cell = Vec::new();
        match &r.tables {
            Some(t) => {
                let vals = values(r.format, t);
                let map = &wide.maps.iter().find(|(f, _)| *f == r.format).unwrap().1;
                for (c, at) in wide.cols.iter().zip(map) {
                    cell.clear();
                    push_text(&mut cell, at.and_then(|i| vals[i]), c.kind);
                    w.write_field(&cell).unwrap();
                }
            }
            None => {
                for _ in &wide.cols {
                    w.write_field("").unwrap();
                }
            }
        }
        w.write_record(None::<&[u8]>).unwrap();
        w.into_inner().unwrap()
    }

    #[test]
    fn a_wide_row_is_what_the_csv_writer_writes() {
        let mut r = crate::report::valid_fixture();
        let wide = wide_of(r.format);
        assert_eq!(wide_row(&r, &wide).unwrap(), wide_row_reference(&r, &wide));
        // Text that must be quoted or defused, blank and negative cells,
        // amounts with decimals.
        r.agency = "合成,\"机关\"\n二".to_string();
        r.region = Some("=SUM(A1)".to_string());
        let t = r.tables.as_mut().unwrap();
        let mut n = 0i64;
        for item in &mut t.proactive {
            for c in &mut item.cells {
                n += 1;
                *c = match n % 4 {
                    0 => None,
                    1 => Some(-n),
                    2 => Some(n * 1_234_567),
                    _ => Some(n * 10_000 + 1),
                };
            }
        }
        let row = wide_row(&r, &wide).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&row),
            String::from_utf8_lossy(&wide_row_reference(&r, &wide))
        );
        r.tables = None;
        assert_eq!(wide_row(&r, &wide).unwrap(), wide_row_reference(&r, &wide));
    }

    #[test]
    fn the_cell_csv_has_a_header_and_one_row_per_cell() {
        let r = crate::report::valid_fixture();
        let csv = cells_csv_file(r.format, r.tables.as_ref()).expect("written");
        let text = String::from_utf8(csv).expect("UTF-8");
        assert!(text.starts_with("\u{feff}table,row_key,row_label,column_key,column_label,value\n"));
        assert_eq!(text.lines().count(), 1 + cells(r.format).len());
    }
}
