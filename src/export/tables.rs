//! Tables 二, 三 and 四 as Word tables in the official layout: the same rows,
//! columns, labels and merged cells as the portal's HTML
//! (`crate::render::tables`), built from the same layout data
//! ([`crate::report::labels`]) into a grid of cells with spans, then written
//! with `w:gridSpan` (across) and `w:vMerge` (down).

use super::ooxml::{self, CellXml, Para, RunStyle, VMerge};
use crate::report::labels::{self, RowKind, APPEAL_COLUMNS, REQUEST_COLUMNS, REQUEST_GROUPS};
use crate::report::parse::format_amount;
use crate::report::{Cell, Format, Tables};

/// The note in table 三's top-left cell, as printed.
pub const BALANCE_NOTE: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// What a cell of the grid is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A column header (shaded, centred).
    Head,
    /// A row label (left-aligned).
    Label,
    /// A number (centred).
    Number,
}

/// One cell of a table: its text and how many columns and rows it spans.
#[derive(Clone, Debug)]
struct GridCell {
    text: String,
    cols: usize,
    rows: usize,
    kind: Kind,
}

fn c(text: &str, cols: usize, rows: usize, kind: Kind) -> GridCell {
    GridCell {
        text: text.to_string(),
        cols,
        rows,
        kind,
    }
}

fn number(value: Cell, amount: bool, cols: usize) -> GridCell {
    let text = match value {
        None => String::new(),
        Some(v) if amount => format_amount(v),
        Some(v) => v.to_string(),
    };
    GridCell {
        text,
        cols,
        rows: 1,
        kind: Kind::Number,
    }
}

/// A table: its column widths (twips), its rows of cells (each row lists
/// only the cells that start in it), how many rows are headers, and its
/// font size in half-points.
struct Grid {
    widths: Vec<u32>,
    rows: Vec<Vec<GridCell>>,
    header_rows: usize,
    size: u32,
    /// The least height of a row, in twips.
    height: u32,
}

impl Grid {
    /// The table's XML. A cell spanning rows is written in its first row
    /// with `vMerge restart` and continued (`vMerge`, same `gridSpan`) in
    /// the rows below, as Word writes merged cells.
    fn xml(&self, out: &mut String) {
        ooxml::table_open(out, &self.widths);
        let n = self.widths.len();
        // For each grid column where a vertical merge is open: the rows it
        // still covers below, and its width in columns.
        let mut open: Vec<(usize, usize)> = vec![(0, 0); n];
        for (r, row) in self.rows.iter().enumerate() {
            let header = r < self.header_rows;
            ooxml::row_open(out, header, self.height);
            let mut cells = row.iter();
            let mut col = 0;
            while col < n {
                let (left, span) = open[col];
                if left > 0 {
                    open[col].0 -= 1;
                    ooxml::cell(
                        out,
                        &CellXml {
                            width: self.width(col, span),
                            span,
                            vmerge: VMerge::Continue,
                            header,
                            content: "",
                        },
                    );
                    col += span;
                    continue;
                }
                let Some(cell) = cells.next() else {
                    break;
                };
                let span = cell.cols.clamp(1, n - col);
                let vmerge = if cell.rows > 1 {
                    open[col] = (cell.rows - 1, span);
                    VMerge::Restart
                } else {
                    VMerge::None
                };
                let mut content = String::new();
                let p = Para {
                    style: Some("TableText"),
                    align: Some(if cell.kind == Kind::Label { "left" } else { "center" }),
                    keep_next: r + 1 < self.rows.len(),
                    ..Para::default()
                };
                p.open(&mut content);
                ooxml::run(
                    &mut content,
                    &cell.text,
                    RunStyle {
                        size: self.size,
                        ..RunStyle::default()
                    },
                );
                content.push_str("</w:p>");
                ooxml::cell(
                    out,
                    &CellXml {
                        width: self.width(col, span),
                        span,
                        vmerge,
                        header: cell.kind == Kind::Head,
                        content: &content,
                    },
                );
                col += span;
            }
            out.push_str("</w:tr>");
        }
        out.push_str("</w:tbl>");
    }

    fn width(&self, col: usize, span: usize) -> u32 {
        self.widths[col..(col + span).min(self.widths.len())].iter().sum()
    }
}

/// How 1, 2 or 3 number columns fill the table's 3 number columns (as the
/// portal's table 二 does).
fn spans_for(n: usize) -> Vec<usize> {
    match n {
        1 => vec![3],
        2 => vec![1, 2],
        _ => vec![1; n],
    }
}

/// Table 二 (主动公开政府信息情况): a block per 第二十条 item, its header
/// across the table, then 信息内容 and the block's columns, then its rows.
pub fn table2(out: &mut String, format: Format, tables: &Tables) {
    let items = format.proactive_items();
    let mut rows = Vec::new();
    let mut i = 0;
    while i < items.len() {
        let block = items[i].block;
        let end = items[i..]
            .iter()
            .position(|d| d.block != block)
            .map_or(items.len(), |n| i + n);
        let spans = spans_for(items[i].fields.len());
        rows.push(vec![c(block, 4, 1, Kind::Head)]);
        let mut head = vec![c("信息内容", 1, 1, Kind::Head)];
        for (field, span) in items[i].fields.iter().zip(&spans) {
            head.push(c(field.label, *span, 1, Kind::Head));
        }
        rows.push(head);
        for (k, def) in items.iter().enumerate().take(end).skip(i) {
            let mut row = vec![c(def.label, 1, 1, Kind::Label)];
            for (f, (field, span)) in def.fields.iter().zip(&spans).enumerate() {
                let amount = field.kind == labels::FieldKind::Amount;
                let value = tables
                    .proactive
                    .get(k)
                    .and_then(|it| it.cells.get(f).copied().flatten());
                row.push(number(value, amount, *span));
            }
            rows.push(row);
        }
        i = end;
    }
    let w = ooxml::TEXT_W;
    let first = w - 3 * (w / 4);
    Grid {
        widths: vec![first, w / 4, w / 4, w / 4],
        rows,
        header_rows: 0,
        size: 24,
        height: 454,
    }
    .xml(out);
}

/// Table 三 (收到和处理政府信息公开申请情况): the 3x3 note cell, 申请人情况
/// over the seven columns, then 25 rows (23 in the 2019 format) with the
/// labels nested over three columns.
pub fn table3(out: &mut String, format: Format, tables: &Tables) {
    let defs = format.request_rows();
    let mut rows = vec![
        vec![c(BALANCE_NOTE, 3, 3, Kind::Head), c("申请人情况", 7, 1, Kind::Head)],
        vec![
            c(REQUEST_COLUMNS[0], 1, 2, Kind::Head),
            c("法人或其他组织", 5, 1, Kind::Head),
            c(REQUEST_COLUMNS[6], 1, 2, Kind::Head),
        ],
        REQUEST_COLUMNS[1..6].iter().map(|l| c(l, 1, 1, Kind::Head)).collect(),
    ];
    let results = defs
        .iter()
        .filter(|d| matches!(d.kind, RowKind::Result | RowKind::Total))
        .count();
    let first_result = defs.iter().position(|d| d.kind == RowKind::Result);
    let mut open_group: Option<&str> = None;
    for (k, def) in defs.iter().enumerate() {
        let mut row = Vec::new();
        match def.kind {
            RowKind::New | RowKind::CarriedOver | RowKind::CarriedForward => {
                row.push(c(def.label, 3, 1, Kind::Label));
            }
            RowKind::Result | RowKind::Total => {
                if Some(k) == first_result {
                    row.push(c("三、本年度办理结果", 1, results, Kind::Label));
                }
                match def.group {
                    None => {
                        open_group = None;
                        row.push(c(def.label, 2, 1, Kind::Label));
                    }
                    Some(g) => {
                        if open_group != Some(g) {
                            open_group = Some(g);
                            let span = defs.iter().filter(|d| d.group == Some(g)).count();
                            let label = REQUEST_GROUPS.iter().find(|x| x.key == g).map_or("", |x| x.label);
                            row.push(c(label, 1, span, Kind::Label));
                        }
                        row.push(c(def.label, 1, 1, Kind::Label));
                    }
                }
            }
        }
        let cells = tables.requests.get(k).map(|r| r.cells).unwrap_or([Some(0); 7]);
        row.extend(cells.iter().map(|v| number(*v, false, 1)));
        rows.push(row);
    }
    let num = 668;
    let labels = [700, 1000, ooxml::TEXT_W - 700 - 1000 - 7 * num];
    let mut widths = labels.to_vec();
    widths.extend([num; 7]);
    Grid {
        widths,
        rows,
        header_rows: 3,
        size: 18,
        height: 340,
    }
    .xml(out);
}

/// Table 四 (政府信息公开行政复议、行政诉讼情况): 行政复议 over five columns,
/// 行政诉讼 over ten (未经复议直接起诉, 复议后起诉), and one row of numbers.
pub fn table4(out: &mut String, tables: &Tables) {
    let mut second: Vec<GridCell> = APPEAL_COLUMNS.iter().map(|l| c(l, 1, 2, Kind::Head)).collect();
    second.push(c("未经复议直接起诉", 5, 1, Kind::Head));
    second.push(c("复议后起诉", 5, 1, Kind::Head));
    let third: Vec<GridCell> = (0..2)
        .flat_map(|_| APPEAL_COLUMNS.iter().map(|l| c(l, 1, 1, Kind::Head)))
        .collect();
    let numbers: Vec<GridCell> = tables
        .appeals
        .iter()
        .flat_map(|row| row.cells.iter().map(|v| number(*v, false, 1)))
        .collect();
    let rows = vec![
        vec![c("行政复议", 5, 1, Kind::Head), c("行政诉讼", 10, 1, Kind::Head)],
        second,
        third,
        numbers,
    ];
    Grid {
        widths: vec![ooxml::TEXT_W / 15; 15],
        rows,
        header_rows: 3,
        size: 18,
        height: 340,
    }
    .xml(out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables() -> Tables {
        crate::report::valid_fixture().tables.expect("the fixture has tables")
    }

    /// Every row of `xml`'s table covers the whole grid: the sum of the
    /// spans of its cells (merged continuations included) is the number of
    /// grid columns.
    fn rows_cover_grid(xml: &str) -> Vec<usize> {
        let cols = xml.matches("<w:gridCol ").count();
        xml.split("<w:tr>")
            .skip(1)
            .map(|row| {
                let width: usize = row
                    .split("<w:tc>")
                    .skip(1)
                    .map(|cell| {
                        cell.split("<w:gridSpan w:val=\"")
                            .nth(1)
                            .and_then(|s| s[..s.find('"').unwrap()].parse().ok())
                            .unwrap_or(1)
                    })
                    .sum();
                assert_eq!(width, cols, "{row}");
                row.matches("<w:vMerge/>").count()
            })
            .collect()
    }

    #[test]
    fn table3_merges_as_the_official_layout() {
        let mut xml = String::new();
        table3(&mut xml, Format::Gov2021, &tables());
        let continued = rows_cover_grid(&xml);
        assert_eq!(continued.len(), 3 + 25);
        // The note cell (3 columns) goes on over header rows 2 and 3;
        // 自然人 and 总计 over row 3.
        assert_eq!(&continued[..3], &[0, 1, 3]);
        assert!(xml.contains("<w:gridSpan w:val=\"3\"/><w:vMerge w:val=\"restart\"/>"));
        // 三、本年度办理结果 goes on over 21 rows below its first; the
        // groups （三）…（六） over 7, 2, 4 and 2.
        assert_eq!(xml.matches("<w:vMerge w:val=\"restart\"/>").count(), 1 + 2 + 1 + 4);
        assert_eq!(&continued[3..9], &[0, 0, 0, 1, 1, 2]);
        assert_eq!(continued.iter().sum::<usize>(), 4 + 21 + 7 + 2 + 4 + 2);
        assert_eq!(xml.matches("<w:tblHeader/>").count(), 3);
        assert!(xml.contains(BALANCE_NOTE));
    }

    #[test]
    fn table4_and_table2_cover_their_grids() {
        let mut xml = String::new();
        table4(&mut xml, &tables());
        assert_eq!(rows_cover_grid(&xml), vec![0, 0, 5, 0]);
        assert!(xml.contains("<w:gridSpan w:val=\"10\"/>"));
        let mut xml = String::new();
        table2(&mut xml, Format::Gov2021, &tables());
        rows_cover_grid(&xml);
        assert_eq!(xml.matches("<w:gridSpan w:val=\"3\"/>").count(), 3 + 4);
    }
}
