//! A row's cells read from its number tokens: as printed when they are as
//! many as the row's columns; otherwise the readings that the row's balance
//! allows (numbers broken over lines joined, digits run together cut, blank
//! cells told by blank lines), taken only when exactly one fits.

use super::tokens::{Kind, Sep, Tok};
use crate::report::file::CellText;

/// One row's number tokens.
pub(super) struct Cells<'a> {
    pub(super) toks: Vec<&'a Tok>,
    /// The lines of the label text before the cells and after them.
    pub(super) before: Option<usize>,
    pub(super) after: Option<usize>,
    /// The lines from one cell to the next in this table's text when each
    /// cell stands on a line of its own (2 when a blank line separates
    /// them): a longer gap is blank cells.
    pub(super) unit: Option<usize>,
}

/// The usual number of lines from one number to the next, when the table
/// has its numbers one a line (a browser's or crawler's text of a web
/// table); `None` when it does not.
pub(super) fn line_unit(toks: &[Tok]) -> Option<usize> {
    let nums: Vec<&Tok> = toks
        .iter()
        .filter(|t| matches!(t.kind, Kind::Num(_) | Kind::Blank))
        .collect();
    let mut counts = [0usize; 4];
    let mut same_line = 0;
    for w in nums.windows(2) {
        if w[1].line == w[0].line {
            same_line += 1;
        } else if let Some(c) = counts.get_mut(w[1].line - w[0].line) {
            *c += 1;
        }
    }
    let (unit, n) = counts.iter().enumerate().skip(1).max_by_key(|x| x.1)?;
    (*n >= 10 && same_line == 0).then_some(unit)
}

/// A reading of a row: the cells' texts.
pub(super) type Reading = Vec<CellText>;

/// A reading, and how it was settled when it was not the plain one.
pub(super) type Settled = (Reading, Option<String>);

/// A table's balance for one row: whether a reading fits it.
pub(super) type Balance<'a> = &'a dyn Fn(&[CellText]) -> bool;

/// The most readings tried for one row before it is refused as undecidable.
pub(super) const MAX_TRIES: u64 = 200_000;

pub(super) fn binom(n: u64, k: u64) -> u64 {
    let k = k.min(n.saturating_sub(k));
    let mut r: u64 = 1;
    for i in 0..k {
        r = r.saturating_mul(n - i) / (i + 1);
        if r > MAX_TRIES * 10 {
            return u64::MAX;
        }
    }
    r
}

pub(super) fn valid_part(s: &str) -> bool {
    !s.is_empty() && (s == "0" || !s.starts_with('0'))
}

pub(super) fn value(c: &CellText) -> i128 {
    c.as_deref().and_then(|s| s.parse::<i128>().ok()).unwrap_or(0)
}

/// Reads `cells` as `n` cells. `fits` is the table's balance for the row;
/// `None` when the table has none (table 二). Returns the reading and, when
/// it was not the plain one, how it was settled.
pub(super) fn read_cells(cells: &Cells, n: usize, fits: Option<Balance>) -> Result<Settled, String> {
    let toks = &cells.toks;
    let text_of = |t: &Tok| match &t.kind {
        Kind::Num(s) => Some(s.clone()),
        _ => None,
    };
    let plain: Vec<CellText> = toks.iter().map(|t| text_of(t)).collect();
    // What was found, as said in messages: the first 20 cells at most.
    let mut shown: String = toks
        .iter()
        .take(20)
        .map(|t| match &t.kind {
            Kind::Num(s) if s.len() > 40 => format!("{}…", &s[..40]),
            Kind::Num(s) => s.clone(),
            _ => "-".to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ");
    if toks.len() > 20 {
        shown.push_str(&t!("import.align.in_all", count = toks.len()));
    }
    if toks.is_empty() {
        return Ok((vec![None; n], None));
    }
    if plain.len() == n {
        let plain = plain
            .into_iter()
            .map(|c| c.and_then(|s| crate::import::text::number(&s)))
            .collect();
        return Ok((plain, None));
    }
    // Fewer numbers than cells, one a line, with a blank line more for
    // each blank cell.
    // Browsers' text does not always give a blank cell its line: only a
    // reading that the row's balance confirms is taken.
    if plain.len() < n {
        if let Some(r) = blanks_by_lines(cells, n).filter(|r| fits.is_some_and(|f| f(r))) {
            return Ok((
                r,
                Some(
                    t!(
                        "import.align.one_a_line",
                        numbers = plain.len(),
                        columns = n,
                        shown = shown
                    )
                    .into_owned(),
                ),
            ));
        }
    }
    // Spaces that are not all the cell boundaries (`20 0 0 0 02` for seven
    // one-digit cells): a printed number with a leading zero says so. The
    // printed separators stay boundaries; more cuts are tried inside the
    // numbers, and taken only when exactly one reading fits.
    let leading_zero = toks
        .iter()
        .any(|t| matches!(&t.kind, Kind::Num(s) if s.len() > 1 && s.starts_with('0')));
    if toks.len() > 1 && plain.len() < n && leading_zero && toks.iter().all(|t| matches!(t.kind, Kind::Num(_))) {
        let runs: Vec<String> = toks.iter().filter_map(|t| text_of(t)).collect();
        return cut_runs(&runs, n, fits).map(|r| {
            (
                r,
                Some(if fits.is_some() {
                    t!(
                        "import.align.leading_zero_totals",
                        numbers = plain.len(),
                        columns = n,
                        shown = shown
                    )
                    .into_owned()
                } else {
                    t!(
                        "import.align.leading_zero_only",
                        numbers = plain.len(),
                        columns = n,
                        shown = shown
                    )
                    .into_owned()
                }),
            )
        });
    }
    // One run of digits for several cells: every way to cut it.
    if toks.len() == 1 && n > 1 {
        let Some(run) = text_of(toks[0]).filter(|s| s.bytes().all(|b| b.is_ascii_digit())) else {
            return Err(t!("import.align.one_number", shown = shown, columns = n).into_owned());
        };
        let len = run.len();
        let run_shown = if len > 40 {
            t!("import.align.long_digits", start = &run[..40], len = len).into_owned()
        } else {
            run.clone()
        };
        if len < n {
            return Err(t!("import.align.run_short", digits = run_shown, columns = n).into_owned());
        }
        if binom(len as u64 - 1, n as u64 - 1) > MAX_TRIES {
            return Err(t!("import.align.run_too_many", digits = run_shown, columns = n).into_owned());
        }
        let mut found = cut_candidates(std::slice::from_ref(&run), n, fits);
        return match found.len() {
            1 => Ok((
                found.remove(0),
                Some(t!("import.align.run_cut", digits = run_shown, columns = n).into_owned()),
            )),
            0 => Err(t!("import.align.run_none", digits = run_shown, columns = n).into_owned()),
            _ => Err(t!("import.align.run_many", digits = run_shown, columns = n).into_owned()),
        };
    }
    // More numbers than cells: numbers broken over lines, joined where the
    // totals say so.
    // More than twice the cells (and 8) is no number broken here and there.
    if plain.len() > 2 * n + 8 {
        return Err(t!(
            "import.align.too_many",
            numbers = plain.len(),
            columns = n,
            shown = shown
        )
        .into_owned());
    }
    if plain.len() > n {
        let joints = joints(toks);
        let need = plain.len() - n;
        let Some(fits) = fits else {
            return Err(t!(
                "import.align.too_many",
                numbers = plain.len(),
                columns = n,
                shown = shown
            )
            .into_owned());
        };
        if joints.len() < need || binom(joints.len() as u64, need as u64) > MAX_TRIES {
            return Err(t!(
                "import.align.too_many",
                numbers = plain.len(),
                columns = n,
                shown = shown
            )
            .into_owned());
        }
        let mut found = fitting(joints.len(), need, |pick| {
            let mut parts: Vec<Option<String>> = toks.iter().map(|t| text_of(t)).collect();
            let mut ok = parts.iter().all(|p| p.is_some());
            for &p in pick {
                let (k, target) = joints[p];
                let tail = parts[k].take().unwrap_or_default();
                match parts[target].as_mut() {
                    Some(head) => head.push_str(&tail),
                    None => ok = false,
                }
            }
            let r: Vec<String> = parts.into_iter().flatten().collect();
            let reading: Reading = r.iter().cloned().map(Some).collect();
            (ok && r.iter().all(|p| valid_part(p)) && fits(&reading)).then_some(reading)
        });
        return match found.len() {
            1 => Ok((
                found.remove(0),
                Some(t!("import.align.joined", numbers = plain.len(), columns = n, shown = shown).into_owned()),
            )),
            0 => Err(t!(
                "import.align.join_none",
                numbers = plain.len(),
                columns = n,
                shown = shown
            )
            .into_owned()),
            _ => Err(t!(
                "import.align.join_many",
                numbers = plain.len(),
                columns = n,
                shown = shown
            )
            .into_owned()),
        };
    }
    Err(t!(
        "import.align.blanks_unknown",
        numbers = plain.len(),
        columns = n,
        shown = shown
    )
    .into_owned())
}

/// Where a number may continue another, broken over two lines: (the
/// continuation, the number it continues). The number at the same place on
/// the line above (a cell laid out with spaces), else the number just
/// before (one cell a line).
pub(super) fn joints(toks: &[&Tok]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for k in 1..toks.len() {
        if toks[k].sep != Sep::Line || !matches!(toks[k].kind, Kind::Num(_)) {
            continue;
        }
        let above = (0..k).rev().map(|j| toks[j].line).find(|&l| l < toks[k].line);
        let (a, b) = toks[k].col;
        let under = above.and_then(|l| {
            (0..k).rev().find(|&j| {
                toks[j].line == l
                    && matches!(toks[j].kind, Kind::Num(_))
                    && toks[j].col.0 <= b + 1
                    && a <= toks[j].col.1 + 1
            })
        });
        let on_line = (0..k).filter(|&j| Some(toks[j].line) == above).count();
        match under {
            Some(j) if on_line > 1 => out.push((k, j)),
            _ if matches!(toks[k - 1].kind, Kind::Num(_)) => out.push((k, k - 1)),
            _ => {}
        }
    }
    out
}

/// A row whose numbers stand one a line, with a blank line more for each
/// blank cell (a browser's text of a web table): the blank cells told by
/// the gaps, when the gaps account for exactly `n` cells.
pub(super) fn blanks_by_lines(cells: &Cells, n: usize) -> Option<Reading> {
    let unit = cells.unit?;
    let toks = &cells.toks;
    if toks.iter().any(|t| t.sep != Sep::Line) {
        return None;
    }
    let mut lines: Vec<usize> = vec![cells.before?];
    lines.extend(toks.iter().map(|t| t.line));
    // The table's last row has no label after it: no blank cells after its
    // last number are told, so its gaps must account for every cell.
    lines.extend(cells.after);
    let mut out: Reading = Vec::new();
    for (k, w) in lines.windows(2).enumerate() {
        let gap = w[1].checked_sub(w[0])?;
        let blanks = gap.checked_sub(unit)?;
        out.extend(std::iter::repeat_n(None, blanks));
        if let Some(t) = toks.get(k) {
            out.push(match &t.kind {
                Kind::Num(s) => crate::import::text::number(s),
                _ => None,
            });
        }
        if out.len() > n {
            return None;
        }
    }
    (out.len() == n).then_some(out)
}

/// The number tokens between two token indices, a glued row numbering
/// (`00000002.` before row 2) split into its cells and its numbering.
pub(super) fn cells_between<'a>(
    toks: &'a [Tok],
    from: usize,
    to: usize,
    next_sub: Option<u32>,
    scratch: &'a mut Vec<Tok>,
) -> Cells<'a> {
    let mut picked: Vec<usize> = Vec::new();
    let mut extra: Option<Tok> = None;
    for (k, t) in toks.iter().enumerate().take(to).skip(from) {
        match &t.kind {
            Kind::Num(_) | Kind::Blank => picked.push(k),
            Kind::Marker(d) => {
                // The next row's numbering, with the row's cells run into it.
                if let Some(sub) = next_sub.map(|s| s.to_string()) {
                    if d.len() > sub.len() && d.ends_with(&sub) {
                        let mut g = t.clone();
                        g.kind = Kind::Num(d[..d.len() - sub.len()].to_string());
                        extra = Some(g);
                        picked.push(usize::MAX);
                    }
                }
            }
            Kind::Text(_) => {}
        }
    }
    scratch.clear();
    if let Some(e) = extra {
        scratch.push(e);
    }
    let toks_out: Vec<&Tok> = picked
        .iter()
        .map(|&k| if k == usize::MAX { &scratch[0] } else { &toks[k] })
        .collect();
    let real: Vec<usize> = picked.iter().copied().filter(|&k| k != usize::MAX).collect();
    let label = |k: usize| matches!(toks[k].kind, Kind::Text(_) | Kind::Marker(_));
    let (before, after) = match (real.first(), real.last()) {
        (Some(&a), Some(&b)) => (
            (from.saturating_sub(1)..a)
                .rev()
                .find(|&k| label(k))
                .map(|k| toks[k].line),
            (b + 1..toks.len()).find(|&k| label(k)).map(|k| toks[k].line),
        ),
        _ => (None, None),
    };
    Cells {
        toks: toks_out,
        before,
        after,
        unit: None,
    }
}

/// Where the last row's cells end: at the first label text after its
/// numbers (a note under the table), or at the end.
pub(super) fn end_of_last(toks: &[Tok], tok: usize) -> usize {
    let mut seen = false;
    for (k, t) in toks.iter().enumerate().skip(tok + 1) {
        match &t.kind {
            Kind::Num(_) | Kind::Blank => seen = true,
            // A unit printed in the cell (`2笔 984361元`) is not a note.
            Kind::Text(w) if UNITS.contains(&w.as_str()) => {}
            Kind::Text(_) | Kind::Marker(_) if seen => return k,
            _ => {}
        }
    }
    toks.len()
}

/// Units printed in cells after their numbers.
const UNITS: [&str; 12] = [
    "笔", "元", "万元", "件", "个", "项", "条", "次", "人次", "家", "起", "宗",
];

/// Cuts runs of digits (each run one or more cells, never a cell across
/// two runs) into `n` cells; the reading when exactly one fits.
fn cut_runs(runs: &[String], n: usize, fits: Option<Balance>) -> Result<Reading, String> {
    let digits: usize = runs.iter().map(|r| r.len()).sum();
    let shown = runs.join(" ");
    if digits < n
        || runs
            .iter()
            .any(|r| !r.bytes().all(|b| b.is_ascii_digit()) || r.is_empty())
    {
        return Err(t!("import.align.spaced_blanks", digits = shown, columns = n).into_owned());
    }
    // Cut points inside runs: between two digits of one run.
    let inner = digits - runs.len();
    let need = n - runs.len();
    if binom(inner as u64, need as u64) > MAX_TRIES {
        return Err(t!("import.align.spaced_too_many", digits = shown, columns = n).into_owned());
    }
    let mut found = cut_candidates(runs, n, fits);
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(t!("import.align.spaced_none", digits = shown, columns = n).into_owned()),
        _ => Err(t!("import.align.spaced_many", digits = shown, columns = n).into_owned()),
    }
}

/// Advances `pick`, indices in increasing order below `m`, to the next
/// combination; `false` after the last.
fn next_combination(pick: &mut [usize], m: usize) -> bool {
    let k = pick.len();
    for i in (0..k).rev() {
        if pick[i] < m - (k - i) {
            pick[i] += 1;
            for j in i + 1..k {
                pick[j] = pick[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

/// The readings `reading` makes of each combination of `need` of `m`
/// choices (it says `None` when one does not fit), at most two: one is an
/// answer, two say there is none. The caller bounds `binom(m, need)`.
fn fitting(m: usize, need: usize, mut reading: impl FnMut(&[usize]) -> Option<Reading>) -> Vec<Reading> {
    let mut found = Vec::new();
    if need > m {
        return found;
    }
    let mut pick: Vec<usize> = (0..need).collect();
    loop {
        if let Some(r) = reading(&pick) {
            found.push(r);
            if found.len() > 1 {
                break;
            }
        }
        if !next_combination(&mut pick, m) {
            break;
        }
    }
    found
}

/// The ways of cutting runs of digits into `n` cells (every run one or
/// more cells, the runs' own ends always cuts, no cell starting with 0 but
/// 0 itself) that `fits` allows: at most two.
fn cut_candidates(runs: &[String], n: usize, fits: Option<Balance>) -> Vec<Reading> {
    let all: String = runs.concat();
    // Cut points inside runs, and the runs' own ends.
    let mut inner = Vec::new();
    let mut fixed = Vec::new();
    let mut at = 0;
    for r in runs {
        inner.extend(at + 1..at + r.len());
        at += r.len();
        fixed.push(at);
    }
    let Some(need) = n.checked_sub(runs.len()) else {
        return Vec::new();
    };
    fitting(inner.len(), need, |pick| {
        let mut cuts: Vec<usize> = pick.iter().map(|&p| inner[p]).chain(fixed.iter().copied()).collect();
        cuts.sort_unstable();
        let mut parts: Vec<&str> = Vec::with_capacity(n);
        let mut at = 0;
        for c in cuts {
            parts.push(&all[at..c]);
            at = c;
        }
        let r: Reading = parts.iter().map(|p| Some(p.to_string())).collect();
        (parts.iter().all(|p| valid_part(p)) && fits.is_none_or(|f| f(&r))).then_some(r)
    })
}
