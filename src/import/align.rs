//! The token aligner: a table read from the stream of its tokens (labels
//! and numbers in reading order, whatever separates them) against the
//! table's grammar, the official rows in order with a known number of cells
//! each. It reads the shapes that have no line per row: one cell per line,
//! labels and header words broken over lines, numbers broken across lines,
//! a whole table on one line with nothing between its cells.
//!
//! [`super::tables`] reads a table line by line first (it knows where blank
//! cells stand from tabs and column positions); this module is asked only
//! when that reader cannot read the table. Each row's label is found by its
//! key words, in order; the numbers between one row's label and the next
//! are its cells. When they are not exactly the row's cells (more numbers:
//! a number broken over two lines; one run of digits: cells run together),
//! the readings that fit the table's own balance (a row's 总计 is the sum of
//! its cells; a table-四 block's 总计 the sum of its four results) are
//! counted, and only a single one is taken. Anything else is refused,
//! naming the row and what was found: never a guess.

mod cells;
mod tokens;

use self::cells::{cells_between, end_of_last, line_unit, read_cells, value};
use self::tokens::{tokens, Kind, Labels, Tok};
use super::labels::parts;
use super::tables::{Lines, Read};
use super::text::norm;
use crate::report::file::{CellText, Numbers};
use crate::report::labels::{self, ItemDef, RowDef, APPEAL_COLUMNS, REQUEST_COLUMNS};
use crate::report::Format;

/// Words that find a row of table 三 in the text, whatever else its label
/// says; the rows are looked for in order, each after the one before.
fn request_keys(def: &RowDef) -> &'static [&'static str] {
    match def.path().as_str() {
        "new" => &["本年新收", "新收政府信息公开申请"],
        "carried_over" => &["上年结转"],
        "granted" => &["予以公开"],
        "partial" => &["部分公开"],
        "denied.state_secret" => &["国家秘密"],
        "denied.law_prohibited" => &["行政法规禁止", "法律行政法规"],
        "denied.security_stability" => &["三安全一稳定", "危及"],
        "denied.third_party" => &["第三方合法权益", "保护第三方"],
        "denied.internal_affairs" => &["内部事务"],
        "denied.deliberative" => &["过程性信息"],
        "denied.enforcement_case" => &["执法案卷"],
        "denied.query_matter" => &["查询事项"],
        "unavailable.not_held" => &["不掌握"],
        "unavailable.needs_creation" => &["另行制作"],
        "unavailable.unclear" => &["仍不明确", "补正后申请"],
        "not_processed.complaint" => &["信访举报", "投诉类"],
        "not_processed.duplicate" => &["重复申请"],
        "not_processed.publication" => &["出版物"],
        "not_processed.excessive" => &["大量反复"],
        "not_processed.confirmation" => &["重新出具", "确认或重新"],
        "other.no_correction" => &["不补正"],
        "other.unpaid_fee" => &["缴纳费用", "收费通知"],
        "other.other" => &["其他"],
        "other" => &["其他处理"],
        "total" => &["总计", "合计"],
        "carried_forward" => &["结转下年度", "下年度继续"],
        _ => &[],
    }
}

/// Why a table could not be read by alignment: its rows were not found at
/// all (another reader's error says more), or a row was found and cannot
/// be read for sure (this error says what is wrong).
#[derive(Debug)]
pub enum Fail {
    NotFound(String),
    Row(String),
}

/// The column order of the five 法人或其他组织 columns, from the header text.
fn request_perm(header: &str) -> [usize; 7] {
    let mut perm: [usize; 7] = std::array::from_fn(|i| i);
    // 其他 is also inside 法人或其他组织: masked, same length.
    let header = header.replace(&norm("法人或其他组织"), "法人或__组织");
    let names = &REQUEST_COLUMNS[1..6];
    let mut at: Vec<(usize, usize)> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        match header.find(&norm(name)) {
            Some(p) => at.push((p, i)),
            None => return perm,
        }
    }
    at.sort();
    for (src, (_, c)) in at.into_iter().enumerate() {
        perm[src + 1] = c + 1;
    }
    perm
}

fn row_total_fits(r: &[CellText]) -> bool {
    r.len() == 7 && (0..6).map(|c| value(&r[c])).sum::<i128>() == value(&r[6])
}

fn span_of(toks: &[Tok], first: Option<usize>, last: Option<usize>) -> Vec<(usize, usize)> {
    match (first, last) {
        (Some(a), Some(b)) => vec![(toks[a].idx, toks[b].idx)],
        _ => Vec::new(),
    }
}

/// Table 三 read by alignment.
pub fn table3(format: Format, lines: &Lines) -> Result<Read, Fail> {
    let toks = tokens(lines);
    let unit = line_unit(&toks);
    let labels = Labels::new(&toks);
    let defs = format.request_rows();
    let table = labels::TABLE_3;
    // Each row's label: where its key words stand, in order.
    let mut found: Vec<Option<(usize, usize, usize)>> = vec![None; defs.len()];
    let mut from = 0;
    let mut single_other: Option<(usize, usize, usize)> = None;
    for (k, def) in defs.iter().enumerate() {
        let hit = labels.find(from, request_keys(def));
        if k == 0 && hit.is_none() {
            return Err(Fail::NotFound(t!("import.table.no_rows", table = table).into_owned()));
        }
        // （六）其他处理 printed as one row: its sub-rows are not there.
        if def.group == Some("other") && def.key == "no_correction" {
            let one = labels.find(from, &["其他处理"]);
            let total = labels.find(from, request_keys(&defs[defs.len() - 2]));
            if let (Some(o), Some(t)) = (one, total) {
                if hit.is_none_or(|h| h.0 > t.0) {
                    single_other = Some(o);
                }
            }
        }
        if single_other.is_some() && def.group == Some("other") {
            continue;
        }
        // A label whose words are misprinted (`2.其他法律行政止公开`): its
        // numbering, between the row before and the next row found.
        let hit = hit.or_else(|| {
            let sub = parts(&norm(def.label)).sub?;
            let next = defs[k + 1..].iter().find_map(|d| labels.find(from, request_keys(d)))?;
            let lo = match from {
                0 => 0,
                f => labels.tok[f.min(labels.tok.len()) - 1] + 1,
            };
            let marker = (lo..next.1).find(|&j| match &toks[j].kind {
                Kind::Marker(d) => d.ends_with(&sub.to_string()),
                _ => false,
            })?;
            Some((labels.char_at(marker), marker, 0))
        });
        let Some(h) = hit else {
            return Err(Fail::Row(
                t!(
                    "import.table.rows_missing",
                    table = table,
                    rows = def.full_label(),
                    looked = ""
                )
                .into_owned(),
            ));
        };
        found[k] = Some(h);
        from = h.0 + h.2;
    }
    // The cells: the numbers from one row's key to the next row's.
    let mut order: Vec<(usize, (usize, usize, usize))> = found
        .iter()
        .enumerate()
        .filter_map(|(k, f)| f.map(|f| (k, f)))
        .collect();
    if let Some(o) = single_other {
        let at = order
            .iter()
            .position(|(k, _)| defs[*k].kind == labels::RowKind::Total)
            .unwrap_or(order.len());
        order.insert(at, (usize::MAX, o));
    }
    {
        let keys: Vec<&[&str]> = order
            .iter()
            .map(|&(k, _)| {
                if k == usize::MAX {
                    &["其他处理"][..]
                } else {
                    request_keys(&defs[k])
                }
            })
            .collect();
        let mut anchors: Vec<(usize, usize, usize)> = order.iter().map(|o| o.1).collect();
        labels.tighten(&mut anchors, &keys);
        for (o, a) in order.iter_mut().zip(anchors) {
            o.1 = a;
        }
    }
    let header = labels.between(0, order.first().map_or(0, |o| o.1 .0));
    let perm = request_perm(&header);
    let mut out: Vec<[CellText; 7]> = vec![Default::default(); defs.len()];
    let mut warnings = Vec::new();
    let mut first_tok: Option<usize> = None;
    let mut last_tok: Option<usize> = None;
    let mut scratch = Vec::new();
    for (pos, &(k, (_, tok, _))) in order.iter().enumerate() {
        let end = order.get(pos + 1).map_or_else(|| end_of_last(&toks, tok), |n| n.1 .1);
        let next_sub = order
            .get(pos + 1)
            .and_then(|n| defs.get(n.0))
            .and_then(|d| parts(&norm(d.label)).sub);
        let mut cells = cells_between(&toks, tok + 1, end, next_sub, &mut scratch);
        cells.unit = unit;
        let name = if k == usize::MAX {
            "三、本年度办理结果（六）其他处理".to_string()
        } else {
            defs[k].full_label()
        };
        let fits: &dyn Fn(&[CellText]) -> bool = &row_total_fits;
        let (reading, how) = read_cells(&cells, 7, Some(fits)).map_err(|e| {
            Fail::Row(
                t!(
                    "import.table.row_cells",
                    line = toks[tok].line,
                    table = table,
                    row = name,
                    error = e
                )
                .into_owned(),
            )
        })?;
        if let Some(how) = how {
            warnings.push(t!("import.align.how", table = table, row = name, how = how).into_owned());
        }
        first_tok.get_or_insert(tok);
        let last_cell = (tok + 1..end)
            .rev()
            .find(|&j| matches!(toks[j].kind, Kind::Num(_) | Kind::Blank));
        last_tok = Some(last_cell.unwrap_or(tok).max(last_tok.unwrap_or(0)));
        let mut row7: [CellText; 7] = Default::default();
        for (src, c) in reading.into_iter().enumerate() {
            row7[perm[src]] = c;
        }
        if k == usize::MAX {
            // The three sub-rows of 其他处理: decidable only when the row is
            // all zeros (or all blank).
            if row7.iter().any(|c| c.as_deref().is_some_and(|s| s != "0")) {
                return Err(Fail::Row(
                    t!(
                        "import.align.other_shared",
                        line = toks[tok].line,
                        table = table,
                        row = name
                    )
                    .into_owned(),
                ));
            }
            for (j, def) in defs.iter().enumerate() {
                if def.group == Some("other") {
                    out[j] = row7.clone();
                }
            }
            warnings.push(if row7.iter().all(|c| c.is_none()) {
                t!("import.align.other_blank", table = table, row = name).into_owned()
            } else {
                t!("import.align.other_zero", table = table, row = name).into_owned()
            });
            continue;
        }
        out[k] = row7;
    }
    Ok(Read {
        numbers: Numbers {
            requests: out,
            ..Numbers::default()
        },
        spans: span_of(&toks, first_tok, last_tok),
        warnings,
    })
}

/// Words that find an item of table 二.
fn item_keys(item: &ItemDef) -> Vec<&'static str> {
    match item.label {
        "行政规范性文件" | "规范性文件" => vec!["规范性文件"],
        l => vec![l],
    }
}

/// Table 二 read by alignment.
pub fn table2(format: Format, lines: &Lines) -> Result<Read, Fail> {
    let toks = tokens(lines);
    let unit = line_unit(&toks);
    let labels = Labels::new(&toks);
    let items = format.proactive_items();
    let table = labels::TABLE_2;
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    let mut from = 0;
    for (k, item) in items.iter().enumerate() {
        let keys = item_keys(item);
        let Some(h) = labels.find(from, &keys) else {
            // No row at all: not this table (the line reader says more).
            let later = items[k + 1..]
                .iter()
                .any(|i| labels.find(from, &item_keys(i)).is_some());
            return Err(if k == 0 && !later {
                Fail::NotFound(t!("import.table.no_rows", table = table).into_owned())
            } else {
                Fail::Row(
                    t!(
                        "import.table.rows_missing",
                        table = table,
                        rows = format!("{} {}", item.block, item.label),
                        looked = ""
                    )
                    .into_owned(),
                )
            });
        };
        found.push(h);
        from = h.0 + h.2;
    }
    let keys: Vec<Vec<&str>> = items.iter().map(item_keys).collect();
    let keys: Vec<&[&str]> = keys.iter().map(|k| k.as_slice()).collect();
    labels.tighten(&mut found, &keys);
    // The order of the fields, from the last header that names them all.
    let mut field_order: Option<Vec<usize>> = None;
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    let mut scratch = Vec::new();
    let mut last_tok = found[0].1;
    for (k, item) in items.iter().enumerate() {
        let (at, tok, _) = found[k];
        let end = found.get(k + 1).map_or_else(|| end_of_last(&toks, tok), |n| n.1);
        // The header before the item gives the order of its fields.
        let head_from = if k == 0 { 0 } else { found[k - 1].0 };
        let head = labels.between(head_from, at);
        let n = item.fields.len();
        let mut cells = cells_between(&toks, tok + 1, end, None, &mut scratch);
        cells.unit = unit;
        let (reading, how) = read_cells(&cells, n, None).map_err(|e| {
            Fail::Row(
                t!(
                    "import.table.row_cells",
                    line = toks[tok].line,
                    table = table,
                    row = format!("{} {}", item.block, item.label),
                    error = e
                )
                .into_owned(),
            )
        })?;
        if let Some(how) = how {
            let row = format!("{} {}", item.block, item.label);
            warnings.push(t!("import.align.how", table = table, row = row, how = how).into_owned());
        }
        // Fields in the order the header names them, when it names them all.
        let mut at_of: Vec<(usize, usize)> = Vec::new();
        for (f, field) in item.fields.iter().enumerate() {
            let name = norm(field.label);
            let short: String = name.chars().take(4).collect();
            if let Some(p) = head.find(&short) {
                at_of.push((p, f));
            }
        }
        if at_of.len() == n && n > 1 {
            at_of.sort();
            field_order = Some(at_of.into_iter().map(|(_, f)| f).collect());
        } else if n == 1 || field_order.as_ref().is_some_and(|o| o.len() != n) {
            field_order = None;
        }
        let mut cells_out = reading.clone();
        if let Some(o) = &field_order {
            for (src, &f) in o.iter().enumerate() {
                cells_out[f] = reading[src].clone();
            }
        }
        last_tok = (tok + 1..end)
            .rev()
            .find(|&j| matches!(toks[j].kind, Kind::Num(_) | Kind::Blank))
            .unwrap_or(tok)
            .max(last_tok);
        out.push(cells_out);
    }
    Ok(Read {
        numbers: Numbers {
            proactive: out,
            ..Numbers::default()
        },
        spans: span_of(&toks, Some(0), Some(last_tok)),
        warnings,
    })
}

/// Table 四 read by alignment: its header words, then 15 numbers.
pub fn table4(lines: &Lines) -> Result<Read, Fail> {
    let toks = tokens(lines);
    let labels = Labels::new(&toks);
    let table = labels::TABLE_4;
    // The header: the first 行政复议 with a column word between it and
    // the numbers (a sentence above the table may name 行政复议 too).
    // (At most 16 candidates, each header read to 200 characters: a text
    // made of nothing but 行政复议 costs linear time.)
    let mut review = None;
    let mut from = 0;
    let mut tries = 0;
    while let Some(h) = labels.find(from, &["行政复议"]) {
        tries += 1;
        if tries > 16 {
            break;
        }
        let first_num = (h.1..toks.len()).find(|&k| matches!(toks[k].kind, Kind::Num(_)));
        let before_num = first_num.map_or(labels.text.len(), |n| labels.char_at(n));
        let head = labels.between(h.0, before_num.min(h.0 + 200));
        review.get_or_insert(h);
        if ["结果维持", "尚未审结", "结果纠正"].iter().any(|w| head.contains(w)) {
            review = Some(h);
            break;
        }
        from = h.0 + h.2;
    }
    let Some(review) = review else {
        return Err(Fail::NotFound(
            t!("import.align.no_header_4", table = table).into_owned(),
        ));
    };
    // The header: from 行政复议 to the last header word before the numbers.
    let first_num = toks
        .iter()
        .enumerate()
        .skip(review.1)
        .find(|(_, t)| matches!(t.kind, Kind::Num(_) | Kind::Blank))
        .map(|(k, _)| k);
    let Some(first_num) = first_num else {
        return Err(Fail::Row(
            t!("import.table4.no_numbers", table = table, looked = "").into_owned(),
        ));
    };
    let header_end = labels
        .tok
        .iter()
        .position(|&t| t >= first_num)
        .unwrap_or(labels.text.len());
    let header = labels.between(review.0, header_end);
    // The numbers end where text follows them (a note below the table).
    let stop = (first_num..toks.len())
        .find(|&k| matches!(toks[k].kind, Kind::Text(_)))
        .unwrap_or(toks.len());
    let mut scratch = Vec::new();
    let mut cells = cells_between(&toks, first_num, stop, None, &mut scratch);
    cells.unit = line_unit(&toks);
    let fits = |r: &[CellText]| -> bool {
        r.len() == 15 && (0..3).all(|b| (0..4).map(|c| value(&r[b * 5 + c])).sum::<i128>() == value(&r[b * 5 + 4]))
    };
    let line = toks[first_num].line;
    let (cells, how) = read_cells(&cells, 15, Some(&fits))
        .map_err(|e| Fail::Row(t!("import.table4.numbers", line = line, table = table, error = e).into_owned()))?;
    let mut warnings = Vec::new();
    if let Some(how) = how {
        warnings.push(t!("import.align.how_table", table = table, how = how).into_owned());
    }
    // Blocks and columns in the order the header gives them.
    let pos = |s: &str| header.find(&norm(s));
    let review_first = match (pos("行政复议"), pos("行政诉讼")) {
        (Some(x), Some(y)) => x < y,
        _ => true,
    };
    let direct_first = match (pos("未经复议直接起诉"), pos("复议后起诉")) {
        (Some(a), Some(b)) => a < b,
        _ => true,
    };
    let lit = if direct_first { [1, 2] } else { [2, 1] };
    let block_order = if review_first {
        [0, lit[0], lit[1]]
    } else {
        [lit[0], lit[1], 0]
    };
    let mut col_order: Vec<usize> = (0..5).collect();
    let mut at: Vec<(usize, usize)> = Vec::new();
    for (i, name) in APPEAL_COLUMNS.iter().enumerate() {
        if let Some(p) = pos(name) {
            at.push((p, i));
        }
    }
    if at.len() == 5 {
        at.sort();
        col_order = at.into_iter().map(|(_, i)| i).collect();
    }
    let mut appeals: [[CellText; 5]; 3] = Default::default();
    for (p, &b) in block_order.iter().enumerate() {
        for (src, &c) in col_order.iter().enumerate() {
            appeals[b][c] = cells[p * 5 + src].clone();
        }
    }
    let last = (first_num..stop)
        .rev()
        .find(|&k| matches!(toks[k].kind, Kind::Num(_) | Kind::Blank));
    Ok(Read {
        numbers: Numbers {
            appeals,
            ..Numbers::default()
        },
        spans: span_of(&toks, Some(review.1), last),
        warnings,
    })
}

#[cfg(test)]
mod tests;
