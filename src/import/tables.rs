//! Tables 二, 三 and 四 read from the lines of a report. Every number is put
//! in its row by the row's label (matched against the official labels of
//! [`crate::report::labels`]) and in its column by the table's header and
//! the row's cell separators: with tabs, each cell keeps its place, blank
//! cells included; with spaces, a row with fewer numbers than columns is
//! placed by where its numbers stand under the columns of the table's full
//! rows. What cannot be placed is an error, never a guess.

use super::labels::{group_change, match_row, parts, Parts};
use super::text::{norm, row, Row, Slot};
use crate::report::file::{CellText, Numbers};
use crate::report::labels::{self, ItemDef, APPEAL_COLUMNS, APPEAL_ROWS, REQUEST_COLUMNS};
use crate::report::Format;

/// A table's lines: (index into the document's lines, 1-based line number, text).
pub type Lines<'a> = [(usize, usize, &'a str)];

/// What was read: the numbers, the document lines each table took (first
/// and last index, inclusive), and warnings about the source.
#[derive(Debug, Default)]
pub struct Read {
    pub numbers: Numbers,
    pub spans: Vec<(usize, usize)>,
    pub warnings: Vec<String>,
}

/// Where the numbers of a row are anchored when it has more cells than
/// columns: table 二's cells are spanned to the right, table 三's and 四's
/// label cells to the left.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Left,
    Right,
}

/// Puts a row's cells into `n` columns. `centres` are the positions of the
/// columns learnt from the table's full rows (for rows separated by spaces).
fn place(r: &Row, n: usize, anchor: Anchor, centres: Option<&[f64]>) -> Result<Vec<CellText>, String> {
    let slots = &r.slots;
    if slots.len() >= n {
        let (keep, drop): (&[Slot], Vec<&Slot>) = match anchor {
            Anchor::Right => (&slots[slots.len() - n..], slots[..slots.len() - n].iter().collect()),
            Anchor::Left => (&slots[..n], slots[n..].iter().collect()),
        };
        if r.tabbed || slots.len() == n {
            if drop.iter().any(|s| s.value.is_some()) {
                let numbers = slots.iter().filter(|s| s.value.is_some()).count();
                return Err(t!("import.place.numbers", numbers = numbers, columns = n).into_owned());
            }
            return Ok(keep.iter().map(|s| s.value.clone()).collect());
        }
        return Err(t!("import.place.numbers", numbers = slots.len(), columns = n).into_owned());
    }
    if r.tabbed {
        return Err(t!("import.place.cells_tabbed", cells = slots.len(), columns = n).into_owned());
    }
    let Some(centres) = centres else {
        return Err(t!("import.place.no_full_row", numbers = slots.len(), columns = n).into_owned());
    };
    let mut out = vec![None; n];
    let mut last: Option<usize> = None;
    for s in slots {
        let col = (0..n)
            .min_by(|&a, &b| {
                (centres[a] - s.at as f64)
                    .abs()
                    .total_cmp(&(centres[b] - s.at as f64).abs())
            })
            .unwrap_or(0);
        if last.is_some_and(|l| col <= l) {
            return Err(t!("import.place.unclear", numbers = slots.len(), columns = n).into_owned());
        }
        last = Some(col);
        out[col] = s.value.clone();
    }
    Ok(out)
}

/// The mean position of each column over the rows that fill all `n`
/// columns and are separated by spaces.
fn learn_centres<'a>(rows: impl Iterator<Item = &'a Row>, n: usize) -> Option<Vec<f64>> {
    let full: Vec<&Row> = rows.filter(|r| !r.tabbed && r.slots.len() == n).collect();
    if full.is_empty() {
        return None;
    }
    Some(
        (0..n)
            .map(|c| full.iter().map(|r| r.slots[c].at as f64).sum::<f64>() / full.len() as f64)
            .collect(),
    )
}

/// The order in which the `names` appear in `line` (normal form), if all do.
fn order_in(line: &str, names: &[&str]) -> Option<Vec<usize>> {
    let mut at: Vec<(usize, usize)> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        at.push((line.find(&norm(name))?, i));
    }
    at.sort();
    Some(at.into_iter().map(|(_, i)| i).collect())
}

fn blank_warning(table: &str, row: &str, columns: &[&str], cells: &[CellText]) -> Option<String> {
    let blank: Vec<&str> = columns
        .iter()
        .zip(cells)
        .filter(|(_, c)| c.is_none())
        .map(|(n, _)| *n)
        .collect();
    if blank.is_empty() {
        return None;
    }
    Some(if blank.len() == columns.len() {
        t!("import.blank.all", table = table, row = row).into_owned()
    } else {
        t!("import.blank.some", table = table, row = row, columns = blank.join(" ")).into_owned()
    })
}

/// Table 二.
pub fn table2(format: Format, lines: &Lines) -> Result<Read, String> {
    let items: &[ItemDef] = format.proactive_items();
    let mut out: Vec<Option<(Vec<CellText>, usize)>> = vec![None; items.len()];
    let mut block: Option<&str> = None;
    let mut order: Vec<Option<Vec<usize>>> = vec![None; items.len()];
    let mut first: Option<usize> = None;
    let mut last = 0;
    let mut warnings = Vec::new();
    let header = |n: &str| n.contains("第二十条第(") || n.starts_with("信息内容");
    for (idx, r) in logical_rows(labels::TABLE_2, lines, 3, &header)? {
        let no = r.line;
        let n = norm(&r.label);
        if let Some(at) = n.find("第二十条第(") {
            let tail = &n[at..];
            block = [
                labels::BLOCK_1,
                labels::BLOCK_5,
                labels::BLOCK_6,
                labels::BLOCK_8,
                labels::BLOCK_9,
            ]
            .into_iter()
            .find(|b| tail.starts_with(&norm(b)));
            first.get_or_insert(idx);
            last = idx;
            continue;
        }
        if n.starts_with("信息内容") {
            // The column headers of the block: the fields' order.
            for (k, item) in items.iter().enumerate() {
                if Some(item.block) == block {
                    let names: Vec<&str> = item.fields.iter().map(|f| f.label).collect();
                    order[k] = order_in(&n, &names);
                }
            }
            first.get_or_insert(idx);
            last = idx;
            continue;
        }
        if r.slots.is_empty() || r.label.is_empty() && !r.has_numbers() {
            continue;
        }
        let label = strip_paren(&n);
        let score = |k: usize| super::text::label_score(label, &norm(items[k].label));
        let in_block: Vec<usize> = (0..items.len())
            .filter(|&k| block.is_none_or(|b| items[k].block == b))
            .collect();
        let pick = |cands: &[usize], min: f64| {
            cands
                .iter()
                .map(|&k| (k, score(k)))
                .filter(|x| x.1 >= min)
                .max_by(|a, b| a.1.total_cmp(&b.1))
        };
        let all: Vec<usize> = (0..items.len()).collect();
        let Some((k, _)) = pick(&in_block, 0.5).or_else(|| pick(&all, 0.75)) else {
            if r.has_numbers() {
                return Err(t!(
                    "import.table2.unknown_row",
                    line = no,
                    table = labels::TABLE_2,
                    label = super::text::shown(&r.label),
                    format = format.key(),
                    rows = items.iter().map(|i| i.label).collect::<Vec<_>>().join("、")
                )
                .into_owned());
            }
            continue;
        };
        let item = &items[k];
        if let Some((_, prev)) = &out[k] {
            return Err(t!(
                "import.table.row_twice",
                line = no,
                table = labels::TABLE_2,
                row = format!("{} {}", item.block, item.label),
                prev = prev
            )
            .into_owned());
        }
        let cells = place(&r, item.fields.len(), Anchor::Left, None).map_err(|e| {
            t!(
                "import.table.row_cells",
                line = no,
                table = labels::TABLE_2,
                row = format!("{} {}", item.block, item.label),
                error = e
            )
            .into_owned()
        })?;
        let cells = match &order[k] {
            Some(o) => {
                let mut v = vec![None; cells.len()];
                for (src, &f) in o.iter().enumerate() {
                    v[f] = cells[src].clone();
                }
                v
            }
            None => cells,
        };
        let names: Vec<&str> = item.fields.iter().map(|f| f.label).collect();
        if let Some(w) = blank_warning(
            labels::TABLE_2,
            &format!("{} {}", item.block, item.label),
            &names,
            &cells,
        ) {
            warnings.push(w);
        }
        out[k] = Some((cells, no));
        first.get_or_insert(idx);
        last = idx;
    }
    let missing: Vec<String> = items
        .iter()
        .zip(&out)
        .filter(|(_, o)| o.is_none())
        .map(|(d, _)| format!("{} {}", d.block, d.label))
        .collect();
    if !missing.is_empty() {
        return Err(t!(
            "import.table.rows_missing",
            table = labels::TABLE_2,
            rows = missing.join("、"),
            looked = lines_range(lines)
        )
        .into_owned());
    }
    Ok(Read {
        numbers: Numbers {
            proactive: out.into_iter().map(|o| o.map(|x| x.0).unwrap_or_default()).collect(),
            ..Numbers::default()
        },
        spans: first.map(|f| (f, last)).into_iter().collect(),
        warnings,
    })
}

fn lines_range(lines: &Lines) -> String {
    match (lines.first(), lines.last()) {
        (Some(a), Some(b)) => t!("import.table.looked_in", first = a.1, last = b.1).into_owned(),
        _ => t!("import.table.not_found").into_owned(),
    }
}

/// `(五)行政许可` → `行政许可`.
fn strip_paren(n: &str) -> &str {
    let mut it = n.char_indices();
    if let (Some((_, '(')), Some(_), Some((i, ')'))) = (it.next(), it.next(), it.next()) {
        return &n[i + 1..];
    }
    n
}

/// The rows of a table: each line cut into label and cells, and lines that
/// hold only numbers (a row copied one cell a line) joined to the row above
/// while it has fewer than `width` cells.
/// `Err` names the line with too many cells ([`super::text::CELL_CAP`]).
fn logical_rows(
    table: &str,
    lines: &Lines,
    width: usize,
    header: &dyn Fn(&str) -> bool,
) -> Result<Vec<(usize, Row)>, String> {
    let mut out: Vec<(usize, Row)> = Vec::new();
    for &(idx, no, text) in lines {
        let r = row(no, text).map_err(|e| t!("import.table.line", line = no, table = table, error = e).into_owned())?;
        if r.label.is_empty() && r.has_numbers() {
            if let Some((_, prev)) = out.last_mut() {
                let open = !prev.label.is_empty() || prev.has_numbers();
                if open && prev.slots.len() < width && !header(&norm(&prev.label)) {
                    let base = prev.slots.len();
                    prev.slots.extend(r.slots.into_iter().enumerate().map(|(k, s)| Slot {
                        value: s.value,
                        at: base + k,
                    }));
                    prev.tabbed = false;
                    continue;
                }
            }
        }
        out.push((idx, r));
    }
    Ok(out)
}

/// Header words of table 三, on lines that carry no row.
const HEADER_3: [&str; 10] = [
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "勾稽关系",
    "第一项加第二项",
    "第三项加第四项",
];

/// Table 三.
pub fn table3(format: Format, lines: &Lines) -> Result<Read, String> {
    let defs = format.request_rows();
    let rows = logical_rows(labels::TABLE_3, lines, 7, &|n| HEADER_3.iter().any(|h| n.contains(h)))?;
    let centres = learn_centres(rows.iter().map(|(_, r)| r), 7);
    // The order of the five 法人或其他组织 columns, from the header.
    let mut perm: Vec<usize> = (0..7).collect();
    let mut header_seen = false;
    let mut first: Option<usize> = None;
    let mut last = 0;
    let mut out: Vec<Option<([CellText; 7], usize)>> = vec![None; defs.len()];
    let mut group: Option<&'static str> = None;
    let mut pending = String::new();
    let mut warnings = Vec::new();
    for (idx, r) in &rows {
        let n = norm(&r.label);
        if !r.has_numbers() && !blank_row(r, &n, group, defs) {
            if HEADER_3.iter().any(|h| n.contains(h)) {
                header_seen = true;
                if let Some(o) = order_in(&n, &REQUEST_COLUMNS[1..6]) {
                    for (src, &c) in o.iter().enumerate() {
                        perm[src + 1] = c + 1;
                    }
                }
                first.get_or_insert(*idx);
                last = *idx;
                continue;
            }
            if n.is_empty() || first.is_none() {
                continue;
            }
            let p = parts(&n);
            if let Some(g) = group_change(&p) {
                if p.sub.is_none() && (p.text.is_empty() || group_name_only(&p, defs)) {
                    group = g;
                    pending.clear();
                    continue;
                }
            }
            if let Some(g) = p.group {
                group = Some(g);
            }
            // A piece of a label broken over lines.
            pending.push_str(&n);
            continue;
        }
        let own = parts(&n);
        let joined = parts(&format!("{pending}{n}"));
        let try_match = |p: &Parts| match_row(p, group_of_parts(p).or(group), defs);
        let found = match (try_match(&own), pending.is_empty()) {
            (Ok(a), true) => Ok((a, &own)),
            (a, _) => match (a, try_match(&joined)) {
                (Ok(a), Ok(b)) => Ok(if b.1 > a.1 { (b, &joined) } else { (a, &own) }),
                (Ok(a), Err(_)) => Ok((a, &own)),
                (Err(_), Ok(b)) => Ok((b, &joined)),
                (Err(e), Err(_)) => Err(e),
            },
        };
        pending.clear();
        let ((k, _), p) = match found {
            Ok(x) => x,
            Err(tied) => {
                let label = if r.label.is_empty() {
                    t!("import.table.no_label")
                } else {
                    super::text::shown(&r.label)
                };
                let why = if tied.is_empty() {
                    t!("import.table3.matches_none", format = format.key()).into_owned()
                } else {
                    let rows = tied.iter().map(|&i| defs[i].full_label()).collect::<Vec<_>>();
                    t!("import.table3.could_be", rows = rows.join(&t!("import.table3.or"))).into_owned()
                };
                return Err(t!(
                    "import.table3.row_label",
                    line = r.line,
                    table = labels::TABLE_3,
                    label = label,
                    why = why
                )
                .into_owned());
            }
        };
        if let Some(g) = group_change(p) {
            group = g;
        }
        if defs[k].group.is_some() {
            group = defs[k].group;
        }
        let def = &defs[k];
        if let Some((_, prev)) = &out[k] {
            return Err(t!(
                "import.table.row_twice",
                line = r.line,
                table = labels::TABLE_3,
                row = def.full_label(),
                prev = prev
            )
            .into_owned());
        }
        let cells = place(r, 7, Anchor::Right, centres.as_deref()).map_err(|e| {
            t!(
                "import.table.row_cells",
                line = r.line,
                table = labels::TABLE_3,
                row = def.full_label(),
                error = e
            )
            .into_owned()
        })?;
        let mut row7: [CellText; 7] = Default::default();
        for (src, c) in cells.into_iter().enumerate() {
            row7[perm[src]] = c;
        }
        if let Some(w) = blank_warning(labels::TABLE_3, &def.full_label(), &REQUEST_COLUMNS, &row7) {
            warnings.push(w);
        }
        out[k] = Some((row7, r.line));
        first.get_or_insert(*idx);
        last = *idx;
    }
    let found = out.iter().filter(|o| o.is_some()).count();
    if found == 0 {
        let header = if header_seen {
            t!("import.table3.header_seen").into_owned()
        } else {
            String::new()
        };
        return Err(t!(
            "import.table3.no_rows",
            table = labels::TABLE_3,
            looked = lines_range(lines),
            header = header
        )
        .into_owned());
    }
    let missing: Vec<String> = defs
        .iter()
        .zip(&out)
        .filter(|(_, o)| o.is_none())
        .map(|(d, _)| d.full_label())
        .collect();
    if !missing.is_empty() {
        return Err(t!(
            "import.table.rows_missing",
            table = labels::TABLE_3,
            rows = missing.join("、"),
            looked = lines_range(lines)
        )
        .into_owned());
    }
    Ok(Read {
        numbers: Numbers {
            requests: out.into_iter().map(|o| o.map(|x| x.0).unwrap_or_default()).collect(),
            ..Numbers::default()
        },
        spans: first.map(|f| (f, last)).into_iter().collect(),
        warnings,
    })
}

/// A row whose cells are all blank: cells enough for the table, and a
/// label that names a row plainly.
fn blank_row(r: &Row, n: &str, group: Option<&str>, defs: &[crate::report::labels::RowDef]) -> bool {
    let cells = if r.tabbed {
        r.slots.len() >= 7
    } else {
        !r.slots.is_empty()
    };
    if !cells || n.is_empty() || HEADER_3.iter().any(|h| n.contains(h)) {
        return false;
    }
    let p = parts(n);
    if p.sub.is_none() && group_name_only(&p, defs) {
        return false;
    }
    // Only a label with its numbering: a piece of a label broken over
    // lines has none, and may be the end of any row.
    let numbered = p.sub.is_some() || p.paren.is_some() || p.sec.is_some();
    numbered && matches!(match_row(&p, p.group.or(group), defs), Ok((_, s)) if s >= 0.75)
}

/// A line that only names a group: `（三）不予公开`.
fn group_name_only(p: &Parts, defs: &[crate::report::labels::RowDef]) -> bool {
    let Some(c) = p.paren else { return false };
    labels::REQUEST_GROUPS.iter().any(|g| {
        g.label.chars().nth(1) == Some(c)
            && norm(g.label).ends_with(&p.text)
            && defs.iter().any(|d| d.group == Some(g.key))
    })
}

fn group_of_parts(p: &Parts) -> Option<&'static str> {
    p.group
}

/// The positions of table 四's 15 columns, from where their headers stand
/// on header lines laid out with spaces (`结果 维持` counts as 结果维持).
fn header_centres(lines: &[&str]) -> Option<Vec<f64>> {
    let mut at: Vec<f64> = Vec::new();
    for line in lines.iter().filter(|l| !l.contains('\t')) {
        let chars: Vec<char> = line.chars().collect();
        // The line without spaces, and where each of its characters stands.
        let (dense, pos): (Vec<char>, Vec<usize>) = chars
            .iter()
            .enumerate()
            .filter(|(_, c)| !super::text::is_space(**c))
            .map(|(i, c)| (*c, i))
            .unzip();
        let dense: String = dense.into_iter().collect();
        for name in APPEAL_COLUMNS {
            let n = name.chars().count();
            // Character index of each match, counted on from the last one
            // (one pass over the line, however many matches).
            let (mut byte_at, mut k) = (0, 0);
            for (byte, _) in dense.match_indices(name) {
                k += dense[byte_at..byte].chars().count();
                byte_at = byte;
                at.push((pos[k] + pos[k + n - 1]) as f64 / 2.0);
                if at.len() > 15 {
                    // More headers than columns: their places say nothing.
                    return None;
                }
            }
        }
    }
    at.sort_by(f64::total_cmp);
    (at.len() == 15).then_some(at)
}

/// Table 四: one row of 15 numbers, under 行政复议 (5 columns) and 行政诉讼
/// (未经复议直接起诉 and 复议后起诉, 5 columns each).
pub fn table4(lines: &Lines) -> Result<Read, String> {
    let mut slots: Vec<Slot> = Vec::new();
    let mut tabbed = true;
    let mut first: Option<usize> = None;
    let mut last = 0;
    let mut header = String::new();
    let mut header_lines: Vec<&str> = Vec::new();
    let mut data_line = 0;
    for &(idx, no, text) in lines {
        let r = row(no, text)
            .map_err(|e| t!("import.table.line", line = no, table = labels::TABLE_4, error = e).into_owned())?;
        if !r.has_numbers() {
            let n = norm(&r.label);
            if slots.is_empty()
                && ["行政复议", "行政诉讼", "结果维持", "尚未审结", "复议后起诉"]
                    .iter()
                    .any(|h| n.contains(h))
            {
                header.push_str(&n);
                header.push('\n');
                header_lines.push(text);
                first.get_or_insert(idx);
                last = idx;
            }
            continue;
        }
        if first.is_none() {
            continue;
        }
        if data_line == 0 {
            data_line = no;
        }
        tabbed &= r.tabbed;
        slots.extend(r.slots);
        last = idx;
        if slots.iter().filter(|s| s.value.is_some()).count() >= 15 || slots.len() >= 15 {
            break;
        }
    }
    let Some(first) = first else {
        return Err(t!(
            "import.table4.no_header",
            table = labels::TABLE_4,
            looked = lines_range(lines)
        )
        .into_owned());
    };
    if slots.is_empty() {
        return Err(t!(
            "import.table4.no_numbers",
            table = labels::TABLE_4,
            looked = lines_range(lines)
        )
        .into_owned());
    }
    let r = Row {
        line: data_line,
        label: String::new(),
        slots,
        tabbed,
    };
    let centres = header_centres(&header_lines);
    let cells = place(&r, 15, Anchor::Right, centres.as_deref()).map_err(|e| {
        t!(
            "import.table4.numbers",
            line = data_line,
            table = labels::TABLE_4,
            error = e
        )
        .into_owned()
    })?;
    // Blocks and columns in the order the header gives them.
    let block_order = {
        let a = header.find("未经复议直接起诉");
        let b = header.find("复议后起诉");
        let review_first = match (header.find("行政复议"), header.find("行政诉讼")) {
            (Some(x), Some(y)) => x < y,
            _ => true,
        };
        let lit_direct_first = match (a, b) {
            (Some(a), Some(b)) => a < b,
            _ => true,
        };
        let lit = if lit_direct_first { [1, 2] } else { [2, 1] };
        if review_first {
            [0, lit[0], lit[1]]
        } else {
            [lit[0], lit[1], 0]
        }
    };
    let col_order = header
        .lines()
        .find_map(|l| order_in(l, &APPEAL_COLUMNS))
        .unwrap_or_else(|| (0..5).collect());
    let mut appeals: [[CellText; 5]; 3] = Default::default();
    for (pos, &b) in block_order.iter().enumerate() {
        for (src, &c) in col_order.iter().enumerate() {
            appeals[b][c] = cells[pos * 5 + src].clone();
        }
    }
    let mut warnings = Vec::new();
    for (b, def) in APPEAL_ROWS.iter().enumerate() {
        if let Some(w) = blank_warning(labels::TABLE_4, def.label, &APPEAL_COLUMNS, &appeals[b]) {
            warnings.push(w);
        }
    }
    Ok(Read {
        numbers: Numbers {
            appeals,
            ..Numbers::default()
        },
        spans: vec![(first, last)],
        warnings,
    })
}
