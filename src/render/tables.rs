//! The three statistics tables as HTML, laid out exactly like the official
//! format (merged header cells with rowspan/colspan, the 勾稽关系 note cell),
//! with accessible complex-table markup in as few bytes as the semantics
//! allow: a `<caption>`, and header cells that say what they head.
//!
//! - Tables 三 and 四 need only `scope`: every header cell says `scope="col"`
//!   or `scope="row"` (explicitly, because table 三's note cell is a data
//!   cell in the label columns, which would make the implicit `auto` scope
//!   fail), and the HTML table model's scan (left along the row, up the
//!   column, through every span) gives each number all its headers: 三、本年度
//!   办理结果, （三）不予公开 and 1.属于国家秘密 for a row, 申请人情况, 法人或其他组织
//!   and 商业企业 for a column. Data cells carry no attribute at all.
//! - Table 二 repeats its column headers in every 第二十条 block, and the
//!   upward scan would give a number the headers of the blocks above it, so
//!   there every data cell names its headers with `headers` (short ids).
//!
//! No cell has a class: the theme selects by position and span (a `<td>`
//! is a number; an empty one was published blank). tests/build.rs runs the
//! HTML algorithm on the page and checks every number's headers.
//! Generated here rather than in templates so the layout and the header
//! associations are always right; themes style them with CSS.

use std::fmt::Write as _;

// Text into markup: the one escaping function.
use crate::escape::html as esc;

use crate::report::labels::{self, RowKind, APPEAL_COLUMNS, APPEAL_ROWS, REQUEST_COLUMNS, REQUEST_GROUPS};
use crate::report::parse::format_amount;
use crate::report::{Format, Tables};

/// The note in table 三's top-left cell, as printed.
pub const BALANCE_NOTE: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// A table's markup cut at its number cells: `pieces[0]`, the number at
/// `holes[0]`, `pieces[1]`, … A table's layout depends only on the format
/// (and the id prefix), so the markup around the numbers is written once
/// per layout ([`skeleton`]) and every report only fills in its numbers:
/// the labels, spans, scopes and ids of tables 二/三/四 are most of a report
/// page's table bytes and were most of its table-writing time.
struct Skeleton {
    pieces: Vec<String>,
    holes: Vec<Hole>,
}

/// Which number a hole of a [`Skeleton`] takes.
#[derive(Clone, Copy)]
enum Hole {
    /// Table 二: item `k`, field `f`; `amount` for the fee in 万元.
    Proactive { k: usize, f: usize, amount: bool },
    /// Table 三: row `k`, column `c`.
    Request { k: usize, c: usize },
    /// Table 四: row `b`, column `c`.
    Appeal { b: usize, c: usize },
}

/// A skeleton being written: the markup so far and the holes found.
#[derive(Default)]
struct Writer {
    done: Vec<String>,
    cur: String,
    holes: Vec<Hole>,
}

impl Writer {
    fn with_capacity(n: usize) -> Writer {
        Writer {
            cur: String::with_capacity(n),
            ..Writer::default()
        }
    }

    /// A number cell: right-aligned by the theme, empty when published
    /// blank. `headers` is empty where the table's scopes are enough.
    fn td(&mut self, hole: Hole, headers: &str, colspan: usize) {
        self.cur.push_str("<td");
        if colspan > 1 {
            let _ = write!(self.cur, " colspan=\"{colspan}\"");
        }
        if !headers.is_empty() {
            let _ = write!(self.cur, " headers=\"{headers}\"");
        }
        self.cur.push('>');
        self.done.push(std::mem::take(&mut self.cur));
        self.holes.push(hole);
        self.cur.push_str("</td>");
    }

    fn push_str(&mut self, s: &str) {
        self.cur.push_str(s);
    }

    fn finish(mut self) -> Skeleton {
        self.done.push(self.cur);
        Skeleton {
            pieces: self.done,
            holes: self.holes,
        }
    }
}

impl std::fmt::Write for Writer {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.cur.push_str(s);
        Ok(())
    }
}

impl Skeleton {
    /// The table with `tables`' numbers in its holes (a number the tables
    /// lack is a blank cell, as a number published blank).
    fn fill(&self, tables: &Tables) -> String {
        let len = self.pieces.iter().map(String::len).sum::<usize>() + 4 * self.holes.len();
        let mut out = String::with_capacity(len);
        let mut num = itoa::Buffer::new();
        for (piece, hole) in self.pieces.iter().zip(&self.holes) {
            out.push_str(piece);
            let (value, amount) = match *hole {
                Hole::Proactive { k, f, amount } => (
                    tables.proactive.get(k).and_then(|i| i.cells.get(f)).copied().flatten(),
                    amount,
                ),
                Hole::Request { k, c } => (tables.requests.get(k).and_then(|r| r.cells[c]), false),
                Hole::Appeal { b, c } => (tables.appeals[b].cells[c], false),
            };
            match value {
                None => {}
                Some(v) if amount => out.push_str(&format_amount(v)),
                Some(v) => out.push_str(num.format(v)),
            }
        }
        if let Some(last) = self.pieces.last() {
            out.push_str(last);
        }
        out
    }
}

/// Which of the three tables.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    T2,
    T3,
    T4,
}

/// The skeleton of table `which` in `format` with id prefix `p`, for tables
/// of `tables`' shape. Tables of the format's own shape (every table the
/// parser makes) share one skeleton per (table, format, prefix), written
/// the first time; a table 三 of another length gets its own.
fn skeleton(which: Which, format: Format, tables: &Tables, p: &str) -> std::sync::Arc<Skeleton> {
    use std::sync::{Arc, Mutex, PoisonError};
    type Cache = Mutex<Vec<(Which, Format, String, Arc<Skeleton>)>>;
    static CACHE: Cache = Mutex::new(Vec::new());
    let build = || {
        Arc::new(match which {
            Which::T2 => build_table2(format, p),
            Which::T3 => build_table3(format, tables, p),
            Which::T4 => build_table4(p),
        })
    };
    // Table 三's rows stop where the tables' rows do.
    if which == Which::T3 && tables.requests.len() != format.request_rows().len() {
        return build();
    }
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((.., s)) = cache.iter().find(|(w, f, q, _)| *w == which && *f == format && q == p) {
        return Arc::clone(s);
    }
    let s = build();
    cache.push((which, format, p.to_string(), Arc::clone(&s)));
    s
}

/// Table 二 (主动公开政府信息情况). `p` prefixes every id, so several tables
/// can share a page.
pub fn table2(format: Format, tables: &Tables, p: &str) -> String {
    skeleton(Which::T2, format, tables, p).fill(tables)
}

/// Table 三 (收到和处理政府信息公开申请情况). The one class, `g`, marks
/// 三、本年度办理结果, the row group in the first label column (the theme
/// tells it from the （三） groups in the second, which span rows too).
pub fn table3(format: Format, tables: &Tables, p: &str) -> String {
    skeleton(Which::T3, format, tables, p).fill(tables)
}

/// Table 四 (政府信息公开行政复议、行政诉讼情况): column headers only.
pub fn table4(tables: &Tables, p: &str) -> String {
    skeleton(Which::T4, Format::Gov2021, tables, p).fill(tables)
}

// ------------------------------------------------------------------ writing a skeleton

fn build_table2(format: Format, p: &str) -> Skeleton {
    let items = format.proactive_items();
    let mut out = Writer::with_capacity(2048);
    let _ = write!(
        out,
        "<table class=\"official t2\" id=\"{p}t2\"><caption>{}</caption><tbody>",
        esc(labels::TABLE_2)
    );
    let mut i = 0;
    let mut block_no = 0;
    let mut headers = String::new();
    while i < items.len() {
        let block = items[i].block;
        let end = items[i..]
            .iter()
            .position(|d| d.block != block)
            .map_or(items.len(), |n| i + n);
        let fields = items[i].fields;
        let b = format!("{p}t2b{block_no}");
        let _ = write!(
            out,
            "<tr><th colspan=\"4\" id=\"{b}\">{}</th></tr><tr><th id=\"{b}h\">信息内容</th>",
            esc(block)
        );
        let spans = spans_for(fields.len());
        for (f, (field, span)) in fields.iter().zip(&spans).enumerate() {
            let colspan = if *span > 1 {
                format!(" colspan=\"{span}\"")
            } else {
                String::new()
            };
            let _ = write!(out, "<th id=\"{b}f{f}\"{colspan}>{}</th>", esc(field.label));
        }
        out.push_str("</tr>");
        for (k, def) in items.iter().enumerate().take(end).skip(i) {
            let r = format!("{p}t2r{k}");
            let _ = write!(out, "<tr><th id=\"{r}\" headers=\"{b} {b}h\">{}</th>", esc(def.label));
            for (f, (field, span)) in def.fields.iter().zip(&spans).enumerate() {
                let amount = field.kind == labels::FieldKind::Amount;
                headers.clear();
                let _ = write!(headers, "{b} {b}f{f} {r}");
                out.td(Hole::Proactive { k, f, amount }, &headers, *span);
            }
            out.push_str("</tr>");
        }
        i = end;
        block_no += 1;
    }
    out.push_str("</tbody></table>\n");
    out.finish()
}

/// How 1, 2 or 3 number columns fill the table's 3 number columns.
fn spans_for(n: usize) -> Vec<usize> {
    match n {
        1 => vec![3],
        2 => vec![1, 2],
        _ => vec![1; n],
    }
}

fn build_table3(format: Format, tables: &Tables, p: &str) -> Skeleton {
    let rows = format.request_rows();
    let mut out = Writer::with_capacity(6144);
    let _ = write!(
        out,
        "<table class=\"official t3\" id=\"{p}t3\"><caption>{}</caption><thead>",
        esc(labels::TABLE_3)
    );
    let _ = write!(
        out,
        "<tr><td class=\"note\" colspan=\"3\" rowspan=\"3\">{}</td><th colspan=\"7\" scope=\"col\">申请人情况</th></tr>",
        esc(BALANCE_NOTE)
    );
    out.push_str(
        "<tr><th rowspan=\"2\" scope=\"col\">自然人</th><th colspan=\"5\" scope=\"col\">法人或其他组织</th><th rowspan=\"2\" scope=\"col\">总计</th></tr><tr>",
    );
    for col in REQUEST_COLUMNS.iter().take(6).skip(1) {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(col));
    }
    out.push_str("</tr></thead><tbody>");
    let results_span = rows
        .iter()
        .filter(|d| matches!(d.kind, RowKind::Result | RowKind::Total))
        .count();
    let first_result = rows.iter().position(|d| d.kind == RowKind::Result);
    let mut open_group: Option<&str> = None;
    for (k, (def, row)) in rows.iter().zip(&tables.requests).enumerate() {
        out.push_str("<tr>");
        match def.kind {
            RowKind::New | RowKind::CarriedOver | RowKind::CarriedForward => {
                let _ = write!(out, "<th colspan=\"3\" scope=\"row\">{}</th>", esc(def.label));
            }
            RowKind::Result | RowKind::Total => {
                if Some(k) == first_result {
                    let _ = write!(
                        out,
                        "<th rowspan=\"{results_span}\" scope=\"row\" class=\"g\">三、本年度办理结果</th>"
                    );
                }
                match def.group {
                    None => {
                        open_group = None;
                        let _ = write!(out, "<th colspan=\"2\" scope=\"row\">{}</th>", esc(def.label));
                    }
                    Some(g) => {
                        if open_group != Some(g) {
                            open_group = Some(g);
                            let span = rows.iter().filter(|d| d.group == Some(g)).count();
                            let label = REQUEST_GROUPS.iter().find(|x| x.key == g).map_or("", |x| x.label);
                            // The numeral `（三）` in its own span, which
                            // the theme may put on a line of its own in
                            // a narrow column.
                            let (numeral, rest) = label.split_at(label.find('）').map_or(0, |i| i + '）'.len_utf8()));
                            let _ = write!(
                                out,
                                "<th rowspan=\"{span}\" scope=\"row\"><span>{}</span>{}</th>",
                                esc(numeral),
                                esc(rest)
                            );
                        }
                        let _ = write!(out, "<th scope=\"row\">{}</th>", esc(def.label));
                    }
                }
            }
        }
        for c in 0..row.cells.len() {
            out.td(Hole::Request { k, c }, "", 1);
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
    out.finish()
}

fn build_table4(p: &str) -> Skeleton {
    let mut out = Writer::with_capacity(1536);
    let _ = write!(
        out,
        "<table class=\"official t4\" id=\"{p}t4\"><caption>{}</caption><thead>",
        esc(labels::TABLE_4)
    );
    out.push_str(
        "<tr><th colspan=\"5\" scope=\"col\">行政复议</th><th colspan=\"10\" scope=\"col\">行政诉讼</th></tr><tr>",
    );
    for col in APPEAL_COLUMNS.iter() {
        let _ = write!(out, "<th rowspan=\"2\" scope=\"col\">{}</th>", esc(col));
    }
    out.push_str(
        "<th colspan=\"5\" scope=\"col\">未经复议直接起诉</th><th colspan=\"5\" scope=\"col\">复议后起诉</th></tr><tr>",
    );
    for _ in 1..3 {
        for col in APPEAL_COLUMNS.iter() {
            let _ = write!(out, "<th scope=\"col\">{}</th>", esc(col));
        }
    }
    out.push_str("</tr></thead><tbody><tr>");
    for b in 0..APPEAL_ROWS.len() {
        for c in 0..5 {
            out.td(Hole::Appeal { b, c }, "", 1);
        }
    }
    out.push_str("</tr></tbody></table>\n");
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Item, Row};

    fn tables() -> Tables {
        let mut requests: Vec<Row<7>> = (0..25).map(|_| Row::omitted()).collect();
        requests[0].cells = [Some(12), Some(1), Some(0), Some(0), Some(0), Some(0), Some(13)];
        let mut appeals = [Row::omitted(), Row::omitted(), Row::omitted()];
        appeals[0].cells = [None; 5];
        appeals[1].cells[4] = Some(3);
        Tables {
            proactive: Format::Gov2021
                .proactive_items()
                .iter()
                .map(|d| Item {
                    cells: vec![Some(0); d.fields.len()],
                    pos: None,
                })
                .collect(),
            requests,
            appeals,
            requests_pos: None,
            appeals_pos: None,
        }
    }

    /// Every `headers` token names an `id` of the same table, and ids are unique.
    fn check_headers(html: &str) {
        let ids: Vec<&str> = html
            .split("id=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len(), "duplicate ids");
        for h in html.split("headers=\"").skip(1) {
            for token in h[..h.find('"').unwrap()].split(' ') {
                assert!(ids.contains(&token), "headers token {token} has no id");
            }
        }
    }

    /// Tables 三 and 四: every header cell has a scope, no cell names
    /// headers or carries an id, and the only classes are the note's and
    /// the first label column's row group.
    fn check_scopes(html: &str) {
        let ths = html.matches("<th ").count() + html.matches("<th>").count();
        assert_eq!(ths, html.matches(" scope=\"").count(), "{html}");
        assert!(!html.contains("headers="), "{html}");
        assert_eq!(html.matches(" id=\"").count(), 1, "only the table's own id: {html}");
        let classes: Vec<&str> = html
            .split(" class=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        assert!(
            classes
                .iter()
                .all(|c| ["official t3", "official t4", "note", "g"].contains(c)),
            "{classes:?}"
        );
    }

    #[test]
    fn table3_has_the_official_shape() {
        let html = table3(Format::Gov2021, &tables(), "x-");
        check_scopes(&html);
        assert_eq!(html.matches("<tr>").count(), 3 + 25);
        assert!(html.contains("<th rowspan=\"22\" scope=\"row\" class=\"g\">三、本年度办理结果"));
        assert!(html.contains("<th rowspan=\"8\" scope=\"row\"><span>（三）</span>不予公开</th>"));
        assert!(html.contains(BALANCE_NOTE));
        assert!(html.contains("<td>12</td>") && html.contains("<td>13</td>"));
        // Every body row has 7 number cells.
        assert_eq!(html.matches("<td>").count(), 25 * 7);
        let h19 = table3(
            Format::Gov2019,
            &Tables {
                requests: tables().requests[..23].to_vec(),
                ..tables()
            },
            "",
        );
        assert!(h19.contains("<th rowspan=\"20\" scope=\"row\" class=\"g\">三、本年度办理结果"));
    }

    #[test]
    fn table4_has_blank_cells_and_fifteen_numbers() {
        let html = table4(&tables(), "");
        check_scopes(&html);
        assert_eq!(html.matches("<td>").count(), 15);
        assert_eq!(html.matches("<td></td>").count(), 5);
    }

    #[test]
    fn table2_spans_single_fields_over_three_columns() {
        let html = table2(Format::Gov2021, &tables(), "");
        check_headers(&html);
        assert!(html.contains("colspan=\"3\">本年处理决定数量"));
        assert_eq!(html.matches("<td").count(), 3 + 3 + 1 + 1 + 1 + 1);
        // Every number names its block, its field and its row.
        assert_eq!(
            html.matches("<td").count(),
            html.matches("<td colspan=\"3\" headers=\"").count() + html.matches("<td headers=\"").count()
        );
        assert!(!html.contains("class=\"") || html.matches("class=\"").count() == 1);
    }
}
