//! The headers a browser gives each data cell of a table, worked out by the
//! HTML table model (WHATWG HTML, "Processing model": forming a table, and
//! "the algorithm for assigning header cells"): from `headers` where a cell
//! names them, else by scanning left along its rows and up its columns,
//! through every span, with `scope` (or the `auto` rules) deciding which
//! header cells count and earlier header blocks hiding later ones. This is
//! what assistive technology reads, so the tests check the official tables'
//! numbers against it rather than against any one attribute: a table that
//! drops a `scope` or a span it needs fails here.
//!
//! Column groups (`<colgroup>`) are not modelled: a table with one is refused.

use std::collections::{BTreeSet, HashMap};

use scraper::{ElementRef, Selector};

/// A data cell: the texts of its headers, the ids its `headers` attribute
/// names (empty without one), and its own text.
#[derive(Debug)]
pub struct DataCell {
    pub headers: BTreeSet<String>,
    pub ids: String,
    pub text: String,
    /// Its `class` attribute (empty without one).
    pub class: String,
}

struct Cell<'a> {
    el: ElementRef<'a>,
    x: usize,
    y: usize,
    width: usize,
    height: usize,
    header: bool,
    /// Index of the row group (thead/tbody/tfoot, or a bare row) it is anchored in.
    group: usize,
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("selector {s}: {e:?}"))
}

/// Whitespace-normalized text.
pub fn text(el: ElementRef) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn scope(c: &Cell) -> &'static str {
    match c.el.value().attr("scope").map(|s| s.trim().to_ascii_lowercase()) {
        Some(s) if s == "row" => "row",
        Some(s) if s == "col" => "col",
        Some(s) if s == "rowgroup" => "rowgroup",
        Some(s) if s == "colgroup" => "colgroup",
        _ => "auto",
    }
}

struct Table<'a> {
    cells: Vec<Cell<'a>>,
    slots: HashMap<(usize, usize), usize>,
}

impl<'a> Table<'a> {
    fn form(table: ElementRef<'a>) -> Self {
        assert!(
            table.select(&sel(":scope > colgroup")).next().is_none(),
            "html_table does not model <colgroup>"
        );
        let mut cells = Vec::new();
        let mut slots: HashMap<(usize, usize), usize> = HashMap::new();
        let mut y0 = 0;
        let groups: Vec<ElementRef> = table
            .select(&sel(":scope > thead, :scope > tbody, :scope > tfoot"))
            .collect();
        for (g, group) in groups.iter().enumerate() {
            let rows: Vec<ElementRef> = group.select(&sel(":scope > tr")).collect();
            for (r, tr) in rows.iter().enumerate() {
                let y = y0 + r;
                let mut x = 0;
                for el in tr.select(&sel(":scope > th, :scope > td")) {
                    while slots.contains_key(&(x, y)) {
                        x += 1;
                    }
                    let span = |name: &str| -> usize {
                        el.value()
                            .attr(name)
                            .and_then(|v| v.trim().parse().ok())
                            .filter(|&n: &usize| n > 0)
                            .unwrap_or(1)
                    };
                    // A row span stops at the end of its row group.
                    let height = span("rowspan").min(rows.len() - r);
                    let width = span("colspan");
                    let i = cells.len();
                    for dy in 0..height {
                        for dx in 0..width {
                            assert!(
                                slots.insert((x + dx, y + dy), i).is_none(),
                                "cells overlap at ({}, {})",
                                x + dx,
                                y + dy
                            );
                        }
                    }
                    cells.push(Cell {
                        el,
                        x,
                        y,
                        width,
                        height,
                        header: el.value().name() == "th",
                        group: g,
                    });
                    x += width;
                }
            }
            y0 += rows.len();
        }
        Table { cells, slots }
    }

    fn is_column_header(&self, i: usize) -> bool {
        let c = &self.cells[i];
        match scope(c) {
            "col" => true,
            "auto" => !self
                .cells
                .iter()
                .any(|d| !d.header && d.y < c.y + c.height && c.y < d.y + d.height),
            _ => false,
        }
    }

    fn is_row_header(&self, i: usize) -> bool {
        let c = &self.cells[i];
        match scope(c) {
            "row" => true,
            "auto" => {
                !self.is_column_header(i)
                    && !self
                        .cells
                        .iter()
                        .any(|d| !d.header && d.x < c.x + c.width && c.x < d.x + d.width)
            }
            _ => false,
        }
    }

    /// The spec's "internal algorithm for scanning and assigning header cells".
    fn scan(&self, principal: usize, (mut x, mut y): (usize, usize), dx: isize, dy: isize, list: &mut Vec<usize>) {
        let mut opaque: Vec<usize> = Vec::new();
        let mut in_block = self.cells[principal].header;
        let mut from_block: Vec<usize> = if in_block { vec![principal] } else { Vec::new() };
        loop {
            let (Some(nx), Some(ny)) = (x.checked_add_signed(dx), y.checked_add_signed(dy)) else {
                return;
            };
            (x, y) = (nx, ny);
            let Some(&cur) = self.slots.get(&(x, y)) else {
                continue;
            };
            let c = &self.cells[cur];
            if c.header {
                in_block = true;
                from_block.push(cur);
                let mut blocked = false;
                if dx == 0 {
                    blocked |= opaque
                        .iter()
                        .any(|&o| self.cells[o].x == c.x && self.cells[o].width == c.width);
                    blocked |= !self.is_column_header(cur);
                }
                if dy == 0 {
                    blocked |= opaque
                        .iter()
                        .any(|&o| self.cells[o].y == c.y && self.cells[o].height == c.height);
                    blocked |= !self.is_row_header(cur);
                }
                if !blocked {
                    list.push(cur);
                }
            } else if in_block {
                in_block = false;
                opaque.append(&mut from_block);
            }
        }
    }

    /// The header cells of cell `i`, in no particular order, empty ones removed.
    fn headers(&self, i: usize) -> Vec<usize> {
        let c = &self.cells[i];
        if let Some(ids) = c.el.value().attr("headers") {
            return ids
                .split_whitespace()
                .map(|id| {
                    self.cells
                        .iter()
                        .position(|h| h.el.value().attr("id") == Some(id))
                        .unwrap_or_else(|| panic!("headers=\"{ids}\": `{id}` is no cell of the table"))
                })
                .collect();
        }
        let mut list = Vec::new();
        for y in c.y..c.y + c.height {
            self.scan(i, (c.x, y), -1, 0, &mut list);
        }
        for x in c.x..c.x + c.width {
            self.scan(i, (x, c.y), 0, -1, &mut list);
        }
        // Row group headers of the same row group, at or before the cell.
        for (h, hc) in self.cells.iter().enumerate() {
            if hc.header
                && scope(hc) == "rowgroup"
                && hc.group == c.group
                && hc.x < c.x + c.width
                && hc.y < c.y + c.height
            {
                list.push(h);
            }
        }
        list.retain(|&h| h != i && !text(self.cells[h].el).is_empty());
        list.sort_unstable();
        list.dedup();
        list
    }
}

/// Every `<td>` of `table` with the texts of the headers the HTML table
/// model gives it.
pub fn data_cells(table: ElementRef) -> Vec<DataCell> {
    let t = Table::form(table);
    (0..t.cells.len())
        .filter(|&i| !t.cells[i].header)
        .map(|i| DataCell {
            headers: t.headers(i).into_iter().map(|h| text(t.cells[h].el)).collect(),
            ids: t.cells[i].el.value().attr("headers").unwrap_or("").to_string(),
            text: text(t.cells[i].el),
            class: t.cells[i].el.value().attr("class").unwrap_or("").to_string(),
        })
        .collect()
}
