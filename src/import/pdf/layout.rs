//! A page's glyphs put back into lines of text the text importer reads.
//! Tables drawn with borders (every official table is) are rebuilt from
//! their ruling: the borders' x and y positions make a grid, neighbouring
//! grid cells with no border between them are one merged cell (a rowspan or
//! colspan), each glyph goes to the cell it stands in, and each grid row
//! becomes one line of tab-separated cells, as a Word table is read
//! (`super::super::docx`): a merged cell's text in its first row and column,
//! empty fields for the rest, so every cell keeps its column and a blank
//! cell is an empty field. A cell's lines are joined (a label wrapped inside
//! its cell, a vertical label printed one character a line). Text outside
//! tables is grouped into lines by baseline (within 0.4 of the text size),
//! and each piece is put at the character column its x position gives
//! (half the body text size a column), so a table drawn without borders
//! still lines up as `pdftotext -layout` would show it. Page numbers in the
//! top and bottom margins are dropped.

use super::content::{Glyph, Page, Rule};
use crate::import::text::{blank_mark, is_footer, number, tidy};

/// How close two border positions must be to be the same grid line, in
/// points (Chromium draws a border 0.75 pt wide, offset by one pixel from
/// cell to cell).
const TOL: f32 = 2.0;

/// The most grid rows and columns one table may have (the official tables
/// have 30 rows and 18 columns).
const GRID_ROWS: usize = 2000;
const GRID_COLS: usize = 100;

/// A table: its grid lines and, for each grid cell (row-major), the merged
/// cell it belongs to (the index of that cell's first grid cell).
#[derive(Debug)]
struct Table {
    xs: Vec<f32>,
    ys: Vec<f32>,
    owner: Vec<usize>,
}

impl Table {
    fn cols(&self) -> usize {
        self.xs.len() - 1
    }

    /// The grid cell a point stands in.
    fn cell(&self, x: f32, y: f32) -> Option<usize> {
        let (x0, x1) = (self.xs[0], self.xs[self.xs.len() - 1]);
        let (y0, y1) = (self.ys[0], self.ys[self.ys.len() - 1]);
        if x < x0 || x > x1 || y < y0 || y > y1 {
            return None;
        }
        let c = self.xs.partition_point(|&v| v <= x).clamp(1, self.xs.len() - 1) - 1;
        let r = self.ys.partition_point(|&v| v <= y).clamp(1, self.ys.len() - 1) - 1;
        Some(self.owner[r * self.cols() + c])
    }
}

/// Positions within [`TOL`] of each other merged into one (their mean).
fn cluster(mut v: Vec<f32>) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, usize)> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some((sum, n)) if x - *sum / *n as f32 <= TOL => {
                *sum += x;
                *n += 1;
            }
            _ => out.push((x, 1)),
        }
    }
    out.into_iter().map(|(s, n)| s / n as f32).collect()
}

/// Adds `lo` before and `hi` after the sorted grid lines `v` when they lie
/// beyond its ends by more than [`TOL`] (a row or column open on that side).
fn extend(v: &mut Vec<f32>, lo: Option<f32>, hi: Option<f32>) {
    if let (Some(lo), Some(&first)) = (lo, v.first()) {
        if lo < first - TOL * 2.0 {
            v.insert(0, lo);
        }
    }
    if let (Some(hi), Some(&last)) = (hi, v.last()) {
        if hi > last + TOL * 2.0 {
            v.push(hi);
        }
    }
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (a, b) = (find(parent, a), find(parent, b));
    // The smaller index (the first grid cell, row-major) is the owner.
    if a != b {
        let (lo, hi) = (a.min(b), a.max(b));
        parent[hi] = lo;
    }
}

fn horizontal(r: &Rule) -> bool {
    r.x1 - r.x0 >= r.y1 - r.y0
}

/// The tables the borders of a page draw: borders that touch are one
/// table; one with at least two horizontal and two vertical lines and two
/// columns is a grid.
fn tables(rules: &[Rule]) -> Vec<Table> {
    let n = rules.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let touch =
        |a: &Rule, b: &Rule| a.x0 - TOL <= b.x1 && b.x0 - TOL <= a.x1 && a.y0 - TOL <= b.y1 && b.y0 - TOL <= a.y1;
    for i in 0..n {
        for j in i + 1..n {
            if touch(&rules[i], &rules[j]) {
                union(&mut parent, i, j);
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<&Rule>> = std::collections::BTreeMap::new();
    for (i, rule) in rules.iter().enumerate() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(rule);
    }
    let mut out = Vec::new();
    for group in groups.values() {
        let (hs, vs): (Vec<&Rule>, Vec<&Rule>) = group.iter().partition(|r| horizontal(r));
        let mut xs = cluster(vs.iter().map(|r| (r.x0 + r.x1) / 2.0).collect());
        let mut ys = cluster(hs.iter().map(|r| (r.y0 + r.y1) / 2.0).collect());
        // A table cut by a page break has no border under its last row (or
        // over its first), and some tables have no border on their sides:
        // the lines running on past the last border close the grid.
        extend(
            &mut ys,
            vs.iter().map(|r| r.y0).reduce(f32::min),
            vs.iter().map(|r| r.y1).reduce(f32::max),
        );
        extend(
            &mut xs,
            hs.iter().map(|r| r.x0).reduce(f32::min),
            hs.iter().map(|r| r.x1).reduce(f32::max),
        );
        if xs.len() < 3 || ys.len() < 2 || xs.len() > GRID_COLS + 1 || ys.len() > GRID_ROWS + 1 {
            continue;
        }
        let (nr, nc) = (ys.len() - 1, xs.len() - 1);
        // Which grid lines are drawn between which cells.
        let mut vsep = vec![false; nr * (nc + 1)];
        let mut hsep = vec![false; (nr + 1) * nc];
        let index = |v: &[f32], x: f32| v.iter().position(|&p| (p - x).abs() <= TOL);
        for r in &vs {
            let Some(xi) = index(&xs, (r.x0 + r.x1) / 2.0) else {
                continue;
            };
            for row in 0..nr {
                let mid = (ys[row] + ys[row + 1]) / 2.0;
                if r.y0 - TOL <= mid && mid <= r.y1 + TOL {
                    vsep[row * (nc + 1) + xi] = true;
                }
            }
        }
        for r in &hs {
            let Some(yi) = index(&ys, (r.y0 + r.y1) / 2.0) else {
                continue;
            };
            for col in 0..nc {
                let mid = (xs[col] + xs[col + 1]) / 2.0;
                if r.x0 - TOL <= mid && mid <= r.x1 + TOL {
                    hsep[yi * nc + col] = true;
                }
            }
        }
        let mut owner: Vec<usize> = (0..nr * nc).collect();
        for row in 0..nr {
            for col in 0..nc {
                if col + 1 < nc && !vsep[row * (nc + 1) + col + 1] {
                    union(&mut owner, row * nc + col, row * nc + col + 1);
                }
                if row + 1 < nr && !hsep[(row + 1) * nc + col] {
                    union(&mut owner, row * nc + col, (row + 1) * nc + col);
                }
            }
        }
        for i in 0..owner.len() {
            owner[i] = find(&mut owner, i);
        }
        out.push(Table { xs, ys, owner });
    }
    out
}

/// Glyphs grouped into lines by baseline, top to bottom, each left to right.
fn lines(mut glyphs: Vec<&Glyph>) -> Vec<Vec<&Glyph>> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut out: Vec<(f32, f32, Vec<&Glyph>)> = Vec::new();
    for g in glyphs {
        match out.last_mut() {
            Some((y, size, line)) if (g.y - *y).abs() <= 0.4 * g.size.max(*size) => {
                line.push(g);
                *size = size.max(g.size);
            }
            _ => out.push((g.y, g.size, vec![g])),
        }
    }
    out.into_iter()
        .map(|(_, _, mut line)| {
            line.sort_by(|a, b| a.x.total_cmp(&b.x));
            // A glyph drawn again over itself (bold faked by drawing twice,
            // a shadow) is one glyph, as pdftotext takes it.
            let mut kept: Vec<&Glyph> = Vec::with_capacity(line.len());
            for g in line {
                let twice =
                    kept.iter().rev().take(4).any(|k| {
                        k.text == g.text && (k.x - g.x).abs() < 0.2 * g.size && (k.y - g.y).abs() < 0.2 * g.size
                    });
                if !twice {
                    kept.push(g);
                }
            }
            kept
        })
        .collect()
}

/// A line cut into pieces where the gap between glyphs is wider than a
/// quarter of the text size: (left x, right x, text).
fn pieces(line: &[&Glyph]) -> Vec<(f32, f32, String)> {
    let mut out: Vec<(f32, f32, String)> = Vec::new();
    let mut end = f32::NEG_INFINITY;
    for g in line {
        let gap = g.x - end;
        match out.last_mut() {
            Some((_, right, text)) if gap <= 0.25 * g.size && gap >= -0.5 * g.size => {
                text.push_str(&g.text);
                *right = right.max(g.x + g.w);
            }
            _ => out.push((g.x, g.x + g.w, g.text.clone())),
        }
        end = end.max(g.x + g.w);
    }
    out
}

/// How many pieces at the end of a line are numbers (or blank marks).
fn trailing_numbers(pieces: &[(f32, f32, String)]) -> usize {
    pieces
        .iter()
        .rev()
        .take_while(|p| number(&p.2).is_some() || blank_mark(&p.2))
        .count()
}

/// The number columns of a table drawn without borders, from the rows
/// that fill them: the commonest count of numbers ending a line, when it is
/// 5 or more (tables 三 and 四; table 二's one-number rows span their
/// columns and are left alone) and at least two rows have it; each column's
/// centre is the mean centre of its numbers.
fn number_columns(rows: &[Vec<(f32, f32, String)>]) -> Option<Vec<f32>> {
    let mut counts: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for r in rows {
        *counts.entry(trailing_numbers(r)).or_default() += 1;
    }
    let (&k, &n) = counts.iter().filter(|(k, _)| **k >= 5).max_by_key(|(_, n)| **n)?;
    if n < 2 {
        return None;
    }
    let full: Vec<&[(f32, f32, String)]> = rows
        .iter()
        .filter(|r| trailing_numbers(r) == k)
        .map(|r| &r[r.len() - k..])
        .collect();
    let centres: Vec<f32> = (0..k)
        .map(|c| full.iter().map(|r| (r[c].0 + r[c].1) / 2.0).sum::<f32>() / full.len() as f32)
        .collect();
    // Columns that stand apart, each number of a full row near its centre.
    let gap = centres.windows(2).map(|w| w[1] - w[0]).reduce(f32::min)?;
    let near = full.iter().all(|r| {
        r.iter()
            .zip(&centres)
            .all(|(p, c)| ((p.0 + p.1) / 2.0 - c).abs() < gap * 0.3)
    });
    (gap > 0.0 && near).then_some(centres)
}

/// A row of a table drawn without borders that has fewer numbers than the
/// table has columns (blank cells), as tab-separated cells: its label, then
/// each number in the column whose centre it stands under, and an empty
/// field for each blank. `None` when a number stands under no column for
/// sure (then the row is left as laid out, for the table reader to judge).
fn tabbed_row(pieces: &[(f32, f32, String)], centres: &[f32]) -> Option<String> {
    let k = trailing_numbers(pieces);
    if k == 0 || k >= centres.len() || k == pieces.len() {
        return None;
    }
    let gap = centres.windows(2).map(|w| w[1] - w[0]).reduce(f32::min)?;
    let mut cells = vec![String::new(); centres.len()];
    let mut last: Option<usize> = None;
    for p in &pieces[pieces.len() - k..] {
        let mid = (p.0 + p.1) / 2.0;
        let (col, dist) = centres
            .iter()
            .enumerate()
            .map(|(i, c)| (i, (c - mid).abs()))
            .min_by(|a, b| a.1.total_cmp(&b.1))?;
        if dist >= gap * 0.3 || last.is_some_and(|l| col <= l) {
            return None;
        }
        last = Some(col);
        cells[col] = p.2.clone();
    }
    let label: Vec<&str> = pieces[..pieces.len() - k].iter().map(|p| p.2.as_str()).collect();
    Some(format!("{}\t{}", label.join(" "), cells.join("\t")))
}

/// The text of a table cell: its lines joined, white space between Chinese
/// characters dropped.
fn cell_text(glyphs: Vec<&Glyph>) -> String {
    let joined = lines(glyphs)
        .iter()
        .map(|l| pieces(l).into_iter().map(|p| p.2).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(" ");
    tidy(&joined).replace('\t', " ")
}

/// One block of a page's text, in reading order by its top.
struct Block {
    top: f32,
    left: f32,
    text: String,
}

/// The text of a page. `unit` is the width of a character column, in
/// points; `left` the page's left margin (x of its leftmost glyph).
pub(super) fn page_text(page: &Page, unit: f32, left: f32) -> String {
    let glyphs: Vec<&Glyph> = page
        .glyphs
        .iter()
        .filter(|g| !g.text.trim().is_empty() && !g.unreadable)
        // Text drawn off the page is not printed (hidden notes, leftovers
        // of an editor): only what a reader sees counts.
        .filter(|g| g.x + g.w > 0.0 && g.x < page.width && g.y > 0.0 && g.y - g.size < page.height)
        .collect();
    let tables = tables(&page.rules);
    let mut cells: Vec<Vec<Vec<&Glyph>>> = tables.iter().map(|t| vec![Vec::new(); t.owner.len()]).collect();
    let mut free: Vec<&Glyph> = Vec::new();
    for g in glyphs {
        let (cx, cy) = (g.x + g.w / 2.0, g.y - 0.3 * g.size);
        let hit = tables
            .iter()
            .enumerate()
            .find_map(|(k, t)| t.cell(cx, cy).map(|c| (k, c)));
        match hit {
            Some((k, c)) => cells[k][c].push(g),
            None => free.push(g),
        }
    }
    let mut blocks: Vec<Block> = Vec::new();
    for (t, cells) in tables.iter().zip(cells) {
        let texts: Vec<String> = cells.into_iter().map(cell_text).collect();
        let nc = t.cols();
        let mut rows = Vec::new();
        for r in 0..t.ys.len() - 1 {
            let fields: Vec<&str> = (0..nc)
                .map(|c| {
                    let i = r * nc + c;
                    if t.owner[i] == i {
                        texts[i].as_str()
                    } else {
                        ""
                    }
                })
                .collect();
            if fields.iter().any(|f| !f.is_empty()) {
                rows.push(fields.join("\t"));
            }
        }
        if !rows.is_empty() {
            blocks.push(Block {
                top: t.ys[0],
                left: t.xs[0],
                text: rows.join("\n"),
            });
        }
    }
    let free_lines = lines(free);
    let cut: Vec<Vec<(f32, f32, String)>> = free_lines.iter().map(|l| pieces(l)).collect();
    let columns = number_columns(&cut);
    for (line, pieces) in free_lines.iter().zip(cut) {
        let (Some(first), Some(size)) = (line.first(), line.iter().map(|g| g.size).reduce(f32::max)) else {
            continue;
        };
        let tabbed = columns.as_deref().and_then(|c| tabbed_row(&pieces, c));
        let mut text = String::new();
        for (x, _, piece) in pieces {
            let col = ((x - left) / unit).round().max(0.0) as usize;
            let len = text.chars().count();
            let at = if len == 0 { col } else { col.max(len + 1) };
            text.extend(std::iter::repeat_n(' ', at - len));
            text.push_str(&piece);
        }
        let text = tabbed.unwrap_or(text);
        let top = first.y - size;
        let margin = page.height * 0.1;
        if (first.y < margin || first.y > page.height - margin) && is_footer(&text) {
            continue;
        }
        blocks.push(Block {
            top,
            left: first.x,
            text,
        });
    }
    blocks.sort_by(|a, b| a.top.total_cmp(&b.top).then(a.left.total_cmp(&b.left)));
    let mut out = String::new();
    for b in blocks {
        out.push_str(&b.text);
        out.push('\n');
    }
    out
}
