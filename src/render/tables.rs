//! The three statistics tables as HTML, laid out exactly like the official
//! format (merged header cells with rowspan/colspan, the 勾稽关系 note cell),
//! with accessible complex-table markup: a `<caption>`, an `id` on every
//! header cell and `headers` on every data cell naming all its headers.
//! Generated here rather than in templates so the layout and the header
//! associations are always right; themes style them with CSS.

use std::fmt::Write as _;

// Text into markup: the one escaping function.
use crate::escape::html as esc;

use crate::report::labels::{self, RowKind, APPEAL_COLUMNS, APPEAL_ROWS, REQUEST_COLUMNS, REQUEST_GROUPS};
use crate::report::parse::format_amount;
use crate::report::{Cell, Format, Tables};

/// The note in table 三's top-left cell, as printed.
pub const BALANCE_NOTE: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// A number cell: right-aligned by the theme, blank when published blank.
fn td(out: &mut String, value: Cell, amount: bool, headers: &str, colspan: usize) {
    let span = if colspan > 1 {
        format!(" colspan=\"{colspan}\"")
    } else {
        String::new()
    };
    match value {
        None => {
            let _ = write!(out, "<td class=\"num blank\"{span} headers=\"{headers}\"></td>");
        }
        Some(v) => {
            let text = if amount { format_amount(v) } else { v.to_string() };
            let _ = write!(out, "<td class=\"num\"{span} headers=\"{headers}\">{text}</td>");
        }
    }
}

/// Table 二 (主动公开政府信息情况). `p` prefixes every id, so several tables
/// can share a page.
pub fn table2(format: Format, tables: &Tables, p: &str) -> String {
    let items = format.proactive_items();
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<table class=\"official t2\" id=\"{p}t2\"><caption>{}</caption><tbody>",
        esc(labels::TABLE_2)
    );
    let mut i = 0;
    let mut block_no = 0;
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
            "<tr><th colspan=\"4\" id=\"{b}\" scope=\"colgroup\" class=\"block\">{}</th></tr><tr><th id=\"{b}h\" class=\"item-head\">信息内容</th>",
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
            let _ = write!(
                out,
                "<tr><th id=\"{r}\" headers=\"{b} {b}h\" class=\"row-head\">{}</th>",
                esc(def.label)
            );
            for (f, (field, span)) in def.fields.iter().zip(&spans).enumerate() {
                let amount = field.kind == labels::FieldKind::Amount;
                td(
                    &mut out,
                    tables.proactive[k].cells[f],
                    amount,
                    &format!("{b} {b}f{f} {r}"),
                    *span,
                );
            }
            out.push_str("</tr>");
        }
        i = end;
        block_no += 1;
    }
    out.push_str("</tbody></table>\n");
    out
}

/// How 1, 2 or 3 number columns fill the table's 3 number columns.
fn spans_for(n: usize) -> Vec<usize> {
    match n {
        1 => vec![3],
        2 => vec![1, 2],
        _ => vec![1; n],
    }
}

/// Table 三 (收到和处理政府信息公开申请情况).
pub fn table3(format: Format, tables: &Tables, p: &str) -> String {
    let rows = format.request_rows();
    let mut out = String::with_capacity(16_384);
    let _ = write!(
        out,
        "<table class=\"official t3\" id=\"{p}t3\"><caption>{}</caption><thead>",
        esc(labels::TABLE_3)
    );
    let _ = write!(
        out,
        "<tr><td class=\"note lab1\" colspan=\"3\" rowspan=\"3\">{}</td><th id=\"{p}t3app\" colspan=\"7\" scope=\"colgroup\">申请人情况</th></tr>",
        esc(BALANCE_NOTE)
    );
    let _ = write!(
        out,
        "<tr><th id=\"{p}t3c0\" rowspan=\"2\" headers=\"{p}t3app\">自然人</th><th id=\"{p}t3org\" colspan=\"5\" scope=\"colgroup\" headers=\"{p}t3app\">法人或其他组织</th><th id=\"{p}t3c6\" rowspan=\"2\" headers=\"{p}t3app\">总计</th></tr><tr>"
    );
    for (c, col) in REQUEST_COLUMNS.iter().enumerate().take(6).skip(1) {
        let _ = write!(
            out,
            "<th id=\"{p}t3c{c}\" headers=\"{p}t3app {p}t3org\">{}</th>",
            esc(col)
        );
    }
    out.push_str("</tr></thead><tbody>");
    // Column header chains for each of the 7 number columns.
    let col_headers: Vec<String> = (0..7)
        .map(|c| {
            if (1..6).contains(&c) {
                format!("{p}t3app {p}t3org {p}t3c{c}")
            } else {
                format!("{p}t3app {p}t3c{c}")
            }
        })
        .collect();
    let results_span = rows
        .iter()
        .filter(|d| matches!(d.kind, RowKind::Result | RowKind::Total))
        .count();
    let mut open_group: Option<&str> = None;
    for (k, (def, row)) in rows.iter().zip(&tables.requests).enumerate() {
        let r = format!("{p}t3r{k}");
        let mut row_headers = String::new();
        out.push_str("<tr>");
        match def.kind {
            RowKind::New | RowKind::CarriedOver | RowKind::CarriedForward => {
                let _ = write!(
                    out,
                    "<th id=\"{r}\" colspan=\"3\" scope=\"row\" class=\"row-head lab1\">{}</th>",
                    esc(def.label)
                );
            }
            RowKind::Result | RowKind::Total => {
                if k == rows
                    .iter()
                    .position(|d| d.kind == RowKind::Result)
                    .unwrap_or(usize::MAX)
                {
                    let _ = write!(
                        out,
                        "<th id=\"{p}t3res\" rowspan=\"{results_span}\" class=\"row-group lab1\">三、本年度办理结果</th>"
                    );
                }
                row_headers.push_str(&format!("{p}t3res "));
                match def.group {
                    None => {
                        open_group = None;
                        let _ = write!(
                            out,
                            "<th id=\"{r}\" colspan=\"2\" class=\"row-head lab2\">{}</th>",
                            esc(def.label)
                        );
                    }
                    Some(g) => {
                        let gid = format!("{p}t3g{g}");
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
                                "<th id=\"{gid}\" rowspan=\"{span}\" headers=\"{p}t3res\" class=\"row-group lab2\"><span class=\"numeral\">{}</span>{}</th>",
                                esc(numeral),
                                esc(rest)
                            );
                        }
                        row_headers.push_str(&gid);
                        row_headers.push(' ');
                        let _ = write!(
                            out,
                            "<th id=\"{r}\" headers=\"{p}t3res {gid}\" class=\"row-head sub lab3\">{}</th>",
                            esc(def.label)
                        );
                    }
                }
            }
        }
        row_headers.push_str(&r);
        for (c, ch) in col_headers.iter().enumerate() {
            td(&mut out, row.cells[c], false, &format!("{row_headers} {ch}"), 1);
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
    out
}

/// Table 四 (政府信息公开行政复议、行政诉讼情况).
pub fn table4(tables: &Tables, p: &str) -> String {
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<table class=\"official t4\" id=\"{p}t4\"><caption>{}</caption><thead>",
        esc(labels::TABLE_4)
    );
    let _ = write!(
        out,
        "<tr><th id=\"{p}t4rv\" colspan=\"5\" scope=\"colgroup\">行政复议</th><th id=\"{p}t4lt\" colspan=\"10\" scope=\"colgroup\">行政诉讼</th></tr><tr>"
    );
    for (c, col) in APPEAL_COLUMNS.iter().enumerate() {
        let _ = write!(
            out,
            "<th id=\"{p}t4r0c{c}\" rowspan=\"2\" headers=\"{p}t4rv\">{}</th>",
            esc(col)
        );
    }
    let _ = write!(
        out,
        "<th id=\"{p}t4b1\" colspan=\"5\" scope=\"colgroup\" headers=\"{p}t4lt\">未经复议直接起诉</th><th id=\"{p}t4b2\" colspan=\"5\" scope=\"colgroup\" headers=\"{p}t4lt\">复议后起诉</th></tr><tr>"
    );
    for b in 1..3 {
        for (c, col) in APPEAL_COLUMNS.iter().enumerate() {
            let _ = write!(
                out,
                "<th id=\"{p}t4r{b}c{c}\" headers=\"{p}t4lt {p}t4b{b}\">{}</th>",
                esc(col)
            );
        }
    }
    out.push_str("</tr></thead><tbody><tr>");
    for (b, _) in APPEAL_ROWS.iter().enumerate() {
        for c in 0..5 {
            let headers = if b == 0 {
                format!("{p}t4rv {p}t4r0c{c}")
            } else {
                format!("{p}t4lt {p}t4b{b} {p}t4r{b}c{c}")
            };
            td(&mut out, tables.appeals[b].cells[c], false, &headers, 1);
        }
    }
    out.push_str("</tr></tbody></table>\n");
    out
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

    #[test]
    fn table3_has_the_official_shape() {
        let html = table3(Format::Gov2021, &tables(), "x-");
        check_headers(&html);
        assert_eq!(html.matches("<tr>").count(), 3 + 25);
        assert!(html.contains("rowspan=\"22\" class=\"row-group lab1\">三、本年度办理结果"));
        assert!(html.contains(
            "rowspan=\"8\" headers=\"x-t3res\" class=\"row-group lab2\"><span class=\"numeral\">（三）</span>不予公开"
        ));
        assert!(html.contains(BALANCE_NOTE));
        assert!(html.contains(">12</td>") && html.contains(">13</td>"));
        // Every body row has 7 number cells.
        assert_eq!(html.matches("<td class=\"num").count(), 25 * 7);
        let h19 = table3(
            Format::Gov2019,
            &Tables {
                requests: tables().requests[..23].to_vec(),
                ..tables()
            },
            "",
        );
        assert!(h19.contains("rowspan=\"20\" class=\"row-group lab1\">三、本年度办理结果"));
    }

    #[test]
    fn table4_has_blank_cells_and_fifteen_numbers() {
        let html = table4(&tables(), "");
        check_headers(&html);
        assert_eq!(html.matches("<td class=\"num").count(), 15);
        assert_eq!(html.matches("num blank").count(), 5);
    }

    #[test]
    fn table2_spans_single_fields_over_three_columns() {
        let html = table2(Format::Gov2021, &tables(), "");
        check_headers(&html);
        assert!(html.contains("colspan=\"3\">本年处理决定数量"));
        assert_eq!(html.matches("<td class=\"num").count(), 3 + 3 + 1 + 1 + 1 + 1);
    }
}
