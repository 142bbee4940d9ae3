//! Tables of a web page: whether a table holds figures or lays out the
//! page, a cell's text on one line, and a data table's rows laid out as a
//! grid (rowspan and colspan expanded, bounded by [`Limits`]) to be written
//! as tab-separated lines.

use scraper::{ElementRef, Node};

use super::{is_block, is_hidden, is_left_out, Limits};
use crate::import::text::{is_space, tidy};

/// The most columns one cell may span (as browsers clamp `colspan`).
const MAX_COLSPAN: usize = 1000;
/// The most rows one cell may span (as browsers clamp `rowspan`).
const MAX_ROWSPAN: usize = 65_534;
/// A table cell with more text than this (in characters) holds layout, not
/// a figure or a label: the longest official label has 40 characters.
const LAYOUT_CELL_CHARS: usize = 500;

/// The text of a table cell (or caption) on one line: white space
/// collapsed, the pieces of its paragraphs and line breaks joined with
/// nothing (a space between two ASCII letters or digits), then tidied as
/// labels are ([`tidy`]: no space between Chinese characters).
pub(super) fn cell_text(cell: &ElementRef) -> String {
    let mut s = String::new();
    let (mut space, mut brk) = (false, false);
    let mut stack = vec![(**cell, false)];
    while let Some((node, closing)) = stack.pop() {
        match node.value() {
            Node::Text(t) if !closing => {
                for c in t.chars() {
                    if is_space(c) || c == '\t' {
                        space = true;
                        continue;
                    }
                    if let Some(last) = s.chars().next_back() {
                        let alnum = last.is_ascii_alphanumeric() && c.is_ascii_alphanumeric();
                        if (brk && alnum) || (space && !brk) {
                            s.push(' ');
                        }
                    }
                    (space, brk) = (false, false);
                    s.push(c);
                }
            }
            Node::Element(e) => {
                let name = e.name();
                if closing {
                    brk |= is_block(name);
                    continue;
                }
                let Some(el) = ElementRef::wrap(node) else { continue };
                if is_left_out(name) || is_hidden(&el) {
                    continue;
                }
                if name == "br" || is_block(name) {
                    brk = true;
                }
                stack.push((node, true));
                stack.extend(node.children().rev().map(|c| (c, false)));
            }
            _ => {}
        }
    }
    tidy(&s)
}

/// Whether a table lays out the page rather than holding figures: its role
/// says so, it has a single cell, or it holds another table, headings,
/// lists, sections, or a cell of long text. The scan stops at the first
/// such thing, so nested layout tables are scanned in linear time overall.
pub(super) fn is_layout(table: &ElementRef) -> bool {
    if table
        .value()
        .attr("role")
        .is_some_and(|r| matches!(r.trim(), "presentation" | "none"))
    {
        return true;
    }
    let mut cells = 0usize;
    let mut cell_chars = 0usize;
    let mut stack: Vec<_> = table.children().rev().collect();
    while let Some(node) = stack.pop() {
        match node.value() {
            Node::Text(t) => {
                cell_chars += t.chars().filter(|c| !is_space(*c)).count();
                if cell_chars > LAYOUT_CELL_CHARS {
                    return true;
                }
            }
            Node::Element(e) => match e.name() {
                "table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "dl" | "blockquote" | "pre"
                | "article" | "section" | "main" | "nav" | "header" | "footer" | "form" | "iframe" => return true,
                "td" | "th" => {
                    cells += 1;
                    cell_chars = 0;
                    stack.extend(node.children().rev());
                }
                name if is_left_out(name) => {}
                _ => stack.extend(node.children().rev()),
            },
            _ => {}
        }
    }
    cells == 1
}

/// Whether a list is made only of links (a menu): it has text, and all of
/// it is inside links.
pub(super) fn only_links(list: &ElementRef) -> bool {
    let (mut all, mut linked) = (0usize, 0usize);
    let mut stack: Vec<_> = list.children().rev().map(|c| (c, false)).collect();
    while let Some((node, in_link)) = stack.pop() {
        match node.value() {
            Node::Text(t) => {
                let n = t.chars().filter(|c| !is_space(*c)).count();
                all += n;
                if in_link {
                    linked += n;
                }
            }
            Node::Element(e) if !is_left_out(e.name()) => {
                let link = in_link || e.name() == "a";
                stack.extend(node.children().rev().map(|c| (c, link)));
            }
            _ => {}
        }
    }
    all > 0 && linked == all
}

/// A table's rows as a grid: for each row, the cells that begin in it, with
/// their column.
pub(super) struct Grid {
    rows: Vec<Vec<(usize, String)>>,
    /// The columns in which some cell begins.
    columns: Vec<usize>,
}

impl Grid {
    /// Lays out the rows of `groups` (rowspans end with their group, as in
    /// HTML). Spans are clamped as browsers clamp them; a cell that would
    /// begin past [`Limits::columns`], or a row past [`Limits::rows`], is an
    /// error. Each column keeps the row until which a cell above covers it,
    /// so placing a cell costs its span, never the rows it covers.
    pub(super) fn build(groups: &[Vec<ElementRef>], limits: &Limits) -> Result<Grid, String> {
        let mut rows = Vec::new();
        let mut busy: Vec<usize> = Vec::new();
        let mut begins = vec![false; 0];
        let mut r = 0usize;
        for group in groups {
            let group_end = r + group.len();
            for tr in group {
                if r >= limits.rows {
                    return Err(t!("import.html.rows", limit = limits.rows).into_owned());
                }
                let mut cells = Vec::new();
                let mut col = 0usize;
                for cell in tr.children().filter_map(ElementRef::wrap) {
                    let name = cell.value().name();
                    if !(name == "td" || name == "th") || is_hidden(&cell) {
                        continue;
                    }
                    while busy.get(col).is_some_and(|&b| b > r) {
                        col += 1;
                    }
                    if col >= limits.columns {
                        return Err(t!("import.html.columns", limit = limits.columns).into_owned());
                    }
                    let colspan = span(cell.value().attr("colspan"), MAX_COLSPAN)
                        .max(1)
                        .min(limits.columns - col);
                    let rowspan = match span(cell.value().attr("rowspan"), MAX_ROWSPAN) {
                        0 => group_end - r,
                        n => n.min(group_end - r),
                    };
                    if busy.len() < col + colspan {
                        busy.resize(col + colspan, 0);
                        begins.resize(col + colspan, false);
                    }
                    for b in &mut busy[col..col + colspan] {
                        *b = (*b).max(r + rowspan);
                    }
                    begins[col] = true;
                    cells.push((col, cell_text(&cell)));
                    col += colspan;
                }
                rows.push(cells);
                r += 1;
            }
        }
        let columns = (0..begins.len()).filter(|&c| begins[c]).collect();
        Ok(Grid { rows, columns })
    }

    /// Writes one line per row (a row without cells is no line), one field
    /// per column.
    pub(super) fn write(&self, out: &mut String, limits: &Limits) -> Result<(), String> {
        for row in &self.rows {
            if row.is_empty() {
                continue;
            }
            let mut k = 0;
            for (i, &c) in self.columns.iter().enumerate() {
                if i > 0 {
                    out.push('\t');
                }
                if let Some((_, text)) = row.get(k).filter(|(col, _)| *col == c) {
                    out.push_str(text);
                    k += 1;
                }
            }
            out.push('\n');
            if out.len() > limits.text {
                return Err(t!("import.html.text", mib = limits.text >> 20).into_owned());
            }
        }
        Ok(())
    }

    /// Whether the table is a list of `key：value` cells (信息索引): half its
    /// non-empty cells at least begin with a short key and a colon.
    pub(super) fn is_meta(&self) -> bool {
        let cells: Vec<&str> = self
            .rows
            .iter()
            .flatten()
            .map(|(_, t)| t.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        let keys = cells.iter().filter(|t| key_of(t).is_some()).count();
        keys >= 2 && keys * 2 >= cells.len()
    }

    /// The `key：value` lines of a meta table: a cell that is only a key
    /// takes the next cell as its value.
    pub(super) fn meta_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for row in &self.rows {
            let cells: Vec<&str> = row.iter().map(|(_, t)| t.as_str()).filter(|t| !t.is_empty()).collect();
            let mut i = 0;
            while i < cells.len() {
                let c = cells[i];
                let bare_key = key_of(c).is_some_and(|k| k.chars().count() + 1 == c.chars().count());
                match cells.get(i + 1) {
                    Some(next) if bare_key && key_of(next).is_none() => {
                        lines.push(format!("{c}{next}"));
                        i += 2;
                    }
                    _ => {
                        lines.push(c.to_string());
                        i += 1;
                    }
                }
            }
        }
        lines
    }
}

/// A `colspan`/`rowspan` value: digits (leading white space and a sign
/// aside, as HTML reads them), clamped to `max`; what is no number is 1.
pub(super) fn span(value: Option<&str>, max: usize) -> usize {
    let Some(v) = value else { return 1 };
    let digits: String = v
        .trim_start()
        .trim_start_matches('+')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.is_empty() {
        return 1;
    }
    // Too many digits for a number is over any limit.
    digits.parse::<usize>().map_or(max, |n| n.min(max))
}

/// The key of a `key：value` text: one to ten Chinese characters (spaces
/// between them allowed: 索 引 号) before a colon.
pub(super) fn key_of(s: &str) -> Option<&str> {
    let at = s.find(['：', ':'])?;
    let key = &s[..at];
    let chars = key.chars().filter(|c| !is_space(*c)).count();
    ((1..=10).contains(&chars)
        && key
            .chars()
            .all(|c| is_space(c) || ('\u{4e00}'..='\u{9fff}').contains(&c)))
    .then_some(key)
}
