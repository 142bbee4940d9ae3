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

use super::labels::parts;
use super::tables::{Lines, Read};
use super::text::{blank_mark, is_space, norm};
use crate::report::file::{CellText, Numbers};
use crate::report::labels::{self, ItemDef, RowDef, APPEAL_COLUMNS, REQUEST_COLUMNS};
use crate::report::Format;

/// What separates a token from the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sep {
    /// Nothing: the two are run together.
    None,
    /// Spaces on the same line.
    Space,
    /// A line break (and maybe spaces): a cell may have been broken here.
    Line,
    /// A tab or a `|`: a cell boundary for sure.
    Cell,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    /// Label text, in normal form ([`norm`]).
    Text(String),
    /// A number: its digits as printed (`-2`, `12.5`).
    Num(String),
    /// Digits followed by `.` or `、` and a label: a row's numbering (`1.`),
    /// or cells run together with it (`00000002.`).
    Marker(String),
    /// A blank cell printed as `-`, `/` or 无.
    Blank,
}

#[derive(Clone, Debug)]
struct Tok {
    kind: Kind,
    sep: Sep,
    /// Index into the document's lines.
    idx: usize,
    /// 1-based line number.
    line: usize,
    /// Where it stands on its line: first and past-last character.
    col: (usize, usize),
}

fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

/// The tokens of a table's lines.
fn tokens(lines: &Lines) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::new();
    let mut sep = Sep::Line;
    for &(idx, line, text) in lines {
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        let mut word = String::new();
        let mut word_at = 0;
        let flush = |word: &mut String, out: &mut Vec<Tok>, sep: &mut Sep, at: usize| {
            if word.is_empty() {
                return;
            }
            let kind = if blank_mark(word) && *sep != Sep::None {
                Kind::Blank
            } else {
                Kind::Text(norm(word))
            };
            let len = word.chars().count();
            out.push(Tok {
                kind,
                sep: *sep,
                idx,
                line,
                col: (at, at + len),
            });
            word.clear();
            *sep = Sep::None;
        };
        while i < chars.len() {
            let c = chars[i];
            if c == '\t' || c == '|' || c == '\u{ff5c}' {
                flush(&mut word, &mut out, &mut sep, word_at);
                sep = Sep::Cell;
                i += 1;
                continue;
            }
            if is_space(c) {
                flush(&mut word, &mut out, &mut sep, word_at);
                if sep == Sep::None {
                    sep = Sep::Space;
                }
                i += 1;
                continue;
            }
            let negative = (c == '-' || c == '－' || c == '\u{2212}')
                && word.is_empty()
                && sep != Sep::None
                && chars.get(i + 1).copied().and_then(digit).is_some();
            if digit(c).is_some() || negative {
                flush(&mut word, &mut out, &mut sep, word_at);
                let mut s = String::new();
                let start = i;
                if negative {
                    s.push('-');
                    i += 1;
                }
                while let Some(d) = chars.get(i).copied().and_then(digit) {
                    s.push(d);
                    i += 1;
                }
                // Thousands separators: `1,234` (groups of three after a
                // first group of at most three).
                let lead = s.trim_start_matches('-').len();
                if (1..=3).contains(&lead) {
                    while chars.get(i) == Some(&',')
                        && (1..=3).all(|k| chars.get(i + k).copied().and_then(digit).is_some())
                        && chars.get(i + 4).copied().and_then(digit).is_none()
                    {
                        for k in 1..=3 {
                            s.extend(chars.get(i + k).copied().and_then(digit));
                        }
                        i += 4;
                    }
                }
                let next = chars.get(i).copied();
                let after = chars.get(i + 1).copied();
                let kind = match next {
                    Some('.' | '．') if after.and_then(digit).is_some() => {
                        s.push('.');
                        i += 1;
                        while let Some(d) = chars.get(i).copied().and_then(digit) {
                            s.push(d);
                            i += 1;
                        }
                        Kind::Num(s)
                    }
                    Some('.' | '．' | '、') if !negative => {
                        i += 1;
                        Kind::Marker(s)
                    }
                    _ => Kind::Num(s),
                };
                out.push(Tok {
                    kind,
                    sep,
                    idx,
                    line,
                    col: (start, i),
                });
                sep = Sep::None;
                continue;
            }
            if word.is_empty() {
                word_at = i;
            }
            word.push(c);
            i += 1;
        }
        flush(&mut word, &mut out, &mut sep, word_at);
        sep = Sep::Line;
    }
    out
}

/// The table's text with the token each character comes from: labels are
/// looked for in it whatever broke them into pieces.
struct Labels {
    text: Vec<char>,
    tok: Vec<usize>,
}

impl Labels {
    fn new(toks: &[Tok]) -> Labels {
        let mut text = Vec::new();
        let mut tok = Vec::new();
        for (k, t) in toks.iter().enumerate() {
            let s = match &t.kind {
                Kind::Text(s) => s.as_str(),
                _ => continue,
            };
            for c in s.chars().filter(|c| !is_space(*c)) {
                text.push(c);
                tok.push(k);
            }
        }
        Labels { text, tok }
    }

    /// The first place at or after character `from` where one of `keys`
    /// stands: (character index, token index, key length).
    fn find(&self, from: usize, keys: &[&str]) -> Option<(usize, usize, usize)> {
        let mut best: Option<(usize, usize, usize)> = None;
        for key in keys {
            let k: Vec<char> = norm(key).chars().collect();
            if k.is_empty() || k.len() > self.text.len() {
                continue;
            }
            let hit = (from..=self.text.len() - k.len()).find(|&i| self.text[i..i + k.len()] == k[..]);
            if let Some(i) = hit {
                if best.is_none_or(|b| i < b.0) {
                    best = Some((i, self.tok[i], k.len()));
                }
            }
        }
        best
    }

    /// The last place in characters `from..to` where one of `keys` stands
    /// in full.
    fn find_last(&self, from: usize, to: usize, keys: &[&str]) -> Option<(usize, usize, usize)> {
        let mut best: Option<(usize, usize, usize)> = None;
        let to = to.min(self.text.len());
        for key in keys {
            let k: Vec<char> = norm(key).chars().collect();
            if k.is_empty() || from + k.len() > to {
                continue;
            }
            let hit = (from..=to - k.len())
                .rev()
                .find(|&i| self.text[i..i + k.len()] == k[..]);
            if let Some(i) = hit {
                if best.is_none_or(|b| i > b.0) {
                    best = Some((i, self.tok[i], k.len()));
                }
            }
        }
        best
    }

    /// Each anchor moved to the last place its keys stand before the next
    /// anchor: a row's label is the one nearest before its numbers (a
    /// sentence above the table that names the row is passed over).
    fn tighten(&self, anchors: &mut [(usize, usize, usize)], keys: &[&[&str]]) {
        for i in (0..anchors.len().saturating_sub(1)).rev() {
            let next = anchors[i + 1].0;
            if let Some(h) = self.find_last(anchors[i].0, next, keys[i]) {
                anchors[i] = h;
            }
        }
    }

    /// The character position of the first label text at or after token `tok`.
    fn char_at(&self, tok: usize) -> usize {
        self.tok.partition_point(|&t| t < tok)
    }

    /// The text between two character positions.
    fn between(&self, a: usize, b: usize) -> String {
        self.text[a.min(self.text.len())..b.min(self.text.len())]
            .iter()
            .collect()
    }
}

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

/// One row's number tokens.
struct Cells<'a> {
    toks: Vec<&'a Tok>,
    /// The lines of the label text before the cells and after them.
    before: Option<usize>,
    after: Option<usize>,
    /// The lines from one cell to the next in this table's text when each
    /// cell stands on a line of its own (2 when a blank line separates
    /// them): a longer gap is blank cells.
    unit: Option<usize>,
}

/// The usual number of lines from one number to the next, when the table
/// has its numbers one a line (a browser's or crawler's text of a web
/// table); `None` when it does not.
fn line_unit(toks: &[Tok]) -> Option<usize> {
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
type Reading = Vec<CellText>;

/// A reading, and how it was settled when it was not the plain one.
type Settled = (Reading, Option<String>);

/// A table's balance for one row: whether a reading fits it.
type Balance<'a> = &'a dyn Fn(&[CellText]) -> bool;

/// The most readings tried for one row before it is refused as undecidable.
const MAX_TRIES: u64 = 200_000;

fn binom(n: u64, k: u64) -> u64 {
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

fn valid_part(s: &str) -> bool {
    !s.is_empty() && (s == "0" || !s.starts_with('0'))
}

fn value(c: &CellText) -> i128 {
    c.as_deref().and_then(|s| s.parse::<i128>().ok()).unwrap_or(0)
}

/// Reads `cells` as `n` cells. `fits` is the table's balance for the row;
/// `None` when the table has none (table 二). Returns the reading and, when
/// it was not the plain one, how it was settled.
fn read_cells(cells: &Cells, n: usize, fits: Option<Balance>) -> Result<Settled, String> {
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
        shown.push_str(&format!(" … ({} in all)", toks.len()));
    }
    if toks.is_empty() {
        return Ok((vec![None; n], None));
    }
    if plain.len() == n {
        let plain = plain
            .into_iter()
            .map(|c| c.and_then(|s| super::text::number(&s)))
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
                Some(format!(
                    "{} numbers for {n} columns ({shown}), one a line: the blank cells were told by the blank lines between them, and the row's totals agree",
                    plain.len()
                )),
            ));
        }
    }
    // One run of digits for several cells: every way to cut it.
    if toks.len() == 1 && n > 1 {
        let Some(run) = text_of(toks[0]).filter(|s| s.bytes().all(|b| b.is_ascii_digit())) else {
            return Err(format!("has the number {shown} for {n} columns"));
        };
        let len = run.len();
        let run_shown = if len > 40 {
            format!("{}… ({len} digits)", &run[..40])
        } else {
            run.clone()
        };
        if len < n {
            return Err(format!(
                "has the digits {run_shown} with nothing between them for {n} columns (blank cells cannot be told)"
            ));
        }
        if binom(len as u64 - 1, n as u64 - 1) > MAX_TRIES {
            return Err(format!(
                "has the digits {run_shown} with nothing between them for {n} columns: too many ways to cut them"
            ));
        }
        let mut found: Vec<Reading> = Vec::new();
        let mut cuts: Vec<usize> = (1..n).collect();
        loop {
            let mut parts: Vec<&str> = Vec::with_capacity(n);
            let mut at = 0;
            for &c in &cuts {
                parts.push(&run[at..c]);
                at = c;
            }
            parts.push(&run[at..]);
            if parts.iter().all(|p| valid_part(p)) {
                let r: Reading = parts.iter().map(|p| Some(p.to_string())).collect();
                if fits.is_none_or(|f| f(&r)) {
                    found.push(r);
                    if found.len() > 1 {
                        break;
                    }
                }
            }
            // The next set of cut points, in lexicographic order.
            let mut k = n - 1;
            loop {
                if k == 0 {
                    break;
                }
                k -= 1;
                if cuts[k] < len - (n - 1 - k) {
                    cuts[k] += 1;
                    for j in k + 1..n - 1 {
                        cuts[j] = cuts[j - 1] + 1;
                    }
                    k = usize::MAX;
                    break;
                }
            }
            if k != usize::MAX {
                break;
            }
        }
        return match found.len() {
            1 => Ok((
                found.remove(0),
                Some(format!("the digits {run_shown} were cut into {n} cells the only way the row's totals allow")),
            )),
            0 => Err(format!(
                "has the digits {run_shown} with nothing between them for {n} columns, and no way of cutting them fits the row's totals"
            )),
            _ => Err(format!(
                "has the digits {run_shown} with nothing between them for {n} columns, and they can be cut in more than one way"
            )),
        };
    }
    // More numbers than cells: numbers broken over lines, joined where the
    // totals say so.
    if plain.len() > n {
        let joints = joints(toks);
        let need = plain.len() - n;
        let Some(fits) = fits else {
            return Err(format!("has {} numbers for {n} columns: {shown}", plain.len()));
        };
        if joints.len() < need || binom(joints.len() as u64, need as u64) > MAX_TRIES {
            return Err(format!("has {} numbers for {n} columns: {shown}", plain.len()));
        }
        let mut found: Vec<Reading> = Vec::new();
        let mut pick: Vec<usize> = (0..need).collect();
        loop {
            let joined: Vec<(usize, usize)> = pick.iter().map(|&p| joints[p]).collect();
            let mut parts: Vec<Option<String>> = toks.iter().map(|t| text_of(t)).collect();
            let mut ok = parts.iter().all(|p| p.is_some());
            for &(k, target) in &joined {
                let tail = parts[k].take().unwrap_or_default();
                match parts[target].as_mut() {
                    Some(head) => head.push_str(&tail),
                    None => ok = false,
                }
            }
            let r: Vec<String> = parts.into_iter().flatten().collect();
            if ok && r.iter().all(|p| valid_part(p)) {
                let reading: Reading = r.into_iter().map(Some).collect();
                if fits(&reading) {
                    found.push(reading);
                    if found.len() > 1 {
                        break;
                    }
                }
            }
            // The next combination of `need` joints.
            let m = joints.len();
            let mut k = need;
            let mut advanced = false;
            while k > 0 {
                k -= 1;
                if pick[k] < m - (need - k) {
                    pick[k] += 1;
                    for j in k + 1..need {
                        pick[j] = pick[j - 1] + 1;
                    }
                    advanced = true;
                    break;
                }
            }
            if !advanced {
                break;
            }
        }
        return match found.len() {
            1 => Ok((
                found.remove(0),
                Some(format!(
                    "{} numbers for {n} columns ({shown}): numbers broken over lines were joined the only way the row's totals allow",
                    plain.len()
                )),
            )),
            0 => Err(format!(
                "has {} numbers for {n} columns ({shown}), and no joining of numbers broken over lines fits the row's totals",
                plain.len()
            )),
            _ => Err(format!(
                "has {} numbers for {n} columns ({shown}), and they can be joined in more than one way",
                plain.len()
            )),
        };
    }
    Err(format!(
        "has {} numbers for {n} columns ({shown}), and which cells are blank cannot be told",
        plain.len()
    ))
}

/// Where a number may continue another, broken over two lines: (the
/// continuation, the number it continues). The number at the same place on
/// the line above (a cell laid out with spaces), else the number just
/// before (one cell a line).
fn joints(toks: &[&Tok]) -> Vec<(usize, usize)> {
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
fn blanks_by_lines(cells: &Cells, n: usize) -> Option<Reading> {
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
                Kind::Num(s) => super::text::number(s),
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
fn cells_between<'a>(
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
fn end_of_last(toks: &[Tok], tok: usize) -> usize {
    let mut seen = false;
    for (k, t) in toks.iter().enumerate().skip(tok + 1) {
        match t.kind {
            Kind::Num(_) | Kind::Blank => seen = true,
            Kind::Text(_) | Kind::Marker(_) if seen => return k,
            _ => {}
        }
    }
    toks.len()
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
            return Err(Fail::NotFound(format!("{table}: no row of the table found")));
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
            return Err(Fail::Row(format!("{table}: no row {} found", def.full_label())));
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
        let (reading, how) = read_cells(&cells, 7, Some(fits))
            .map_err(|e| Fail::Row(format!("line {}: {table}, {name}: the row {e}", toks[tok].line)))?;
        if let Some(how) = how {
            warnings.push(format!("{table}, {name}: {how}"));
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
                return Err(Fail::Row(format!(
                    "line {}: {table}, {name}: the row is printed without its three sub-rows (1.逾期不补正 2.逾期未缴纳费用 3.其他) and has numbers, which cannot be shared out among them",
                    toks[tok].line
                )));
            }
            for (j, def) in defs.iter().enumerate() {
                if def.group == Some("other") {
                    out[j] = row7.clone();
                }
            }
            warnings.push(format!(
                "{table}, {name}: printed as one row without its three sub-rows; its cells are all {} so each sub-row is written so",
                if row7.iter().all(|c| c.is_none()) { "blank" } else { "0" }
            ));
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
            return Err(if k == 0 {
                Fail::NotFound(format!("{table}: no row of the table found"))
            } else {
                Fail::Row(format!("{table}: no row {} {} found", item.block, item.label))
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
            Fail::Row(format!(
                "line {}: {table}, {} {}: the row {e}",
                toks[tok].line, item.block, item.label
            ))
        })?;
        if let Some(how) = how {
            warnings.push(format!("{table}, {} {}: {how}", item.block, item.label));
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
    let mut review = None;
    let mut from = 0;
    while let Some(h) = labels.find(from, &["行政复议"]) {
        let first_num = (h.1..toks.len()).find(|&k| matches!(toks[k].kind, Kind::Num(_)));
        let before_num = first_num.map_or(labels.text.len(), |n| {
            labels.tok.iter().position(|&t| t >= n).unwrap_or(labels.text.len())
        });
        let head = labels.between(h.0, before_num);
        review.get_or_insert(h);
        if ["结果维持", "尚未审结", "结果纠正"].iter().any(|w| head.contains(w)) {
            review = Some(h);
            break;
        }
        from = h.0 + h.2;
    }
    let Some(review) = review else {
        return Err(Fail::NotFound(format!(
            "{table}: the table's header (行政复议) was not found"
        )));
    };
    // The header: from 行政复议 to the last header word before the numbers.
    let first_num = toks
        .iter()
        .enumerate()
        .skip(review.1)
        .find(|(_, t)| matches!(t.kind, Kind::Num(_) | Kind::Blank))
        .map(|(k, _)| k);
    let Some(first_num) = first_num else {
        return Err(Fail::Row(format!("{table}: the table has no numbers")));
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
        .map_err(|e| Fail::Row(format!("line {line}: {table}: the row of numbers {e}")))?;
    let mut warnings = Vec::new();
    if let Some(how) = how {
        warnings.push(format!("{table}: {how}"));
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
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(usize, usize, &str)> {
        text.lines().enumerate().map(|(i, l)| (i, i + 1, l)).collect()
    }

    fn cells_of(text: &str) -> Vec<Tok> {
        tokens(&lines(text))
            .into_iter()
            .filter(|t| matches!(t.kind, Kind::Num(_) | Kind::Blank))
            .collect()
    }

    fn read(text: &str, n: usize, balance: bool) -> Result<Vec<CellText>, String> {
        let toks = cells_of(text);
        let cells = Cells {
            toks: toks.iter().collect(),
            before: None,
            after: None,
            unit: None,
        };
        let fits: &dyn Fn(&[CellText]) -> bool = &row_total_fits;
        read_cells(&cells, n, balance.then_some(fits)).map(|r| r.0)
    }

    fn some(v: &[&str]) -> Vec<CellText> {
        v.iter().map(|s| Some(s.to_string())).collect()
    }

    #[test]
    fn tokens_tell_numbers_markers_and_blanks() {
        let t = tokens(&lines("1.属于国家秘密\t0\t-\t12.5\n00000002.其他 -3"));
        let kinds: Vec<&Kind> = t.iter().map(|t| &t.kind).collect();
        assert_eq!(
            kinds,
            [
                &Kind::Marker("1".into()),
                &Kind::Text("属于国家秘密".into()),
                &Kind::Num("0".into()),
                &Kind::Blank,
                &Kind::Num("12.5".into()),
                &Kind::Marker("00000002".into()),
                &Kind::Text("其他".into()),
                &Kind::Num("-3".into()),
            ]
        );
        assert_eq!(t[2].sep, Sep::Cell);
        assert_eq!(t[5].sep, Sep::Line);
        let t = tokens(&lines("合计 1,234 12,345,678 −2"));
        let nums: Vec<&Kind> = t.iter().skip(1).map(|t| &t.kind).collect();
        assert_eq!(
            nums,
            [
                &Kind::Num("1234".into()),
                &Kind::Num("12345678".into()),
                &Kind::Num("-2".into())
            ]
        );
    }

    #[test]
    fn the_plain_reading_is_taken_as_printed_even_when_it_does_not_balance() {
        // Published numbers that do not add up stay as published.
        assert_eq!(
            read("1 2 3 4 5 6 99", 7, true).unwrap(),
            some(&["1", "2", "3", "4", "5", "6", "99"])
        );
    }

    #[test]
    fn a_number_broken_over_two_lines_is_joined_by_the_row_total() {
        let r = read("1\n62\n0\n0\n0\n0\n0\n162", 7, true).unwrap();
        assert_eq!(r, some(&["162", "0", "0", "0", "0", "0", "162"]));
        // Two joinings fit: refused.
        let e = read("1\n1\n1\n0\n0\n0\n0\n0\n12", 7, true).unwrap_err();
        assert!(e.contains("more than one way") || e.contains("no joining"), "{e}");
        // Without a balance (table 二), never guessed.
        assert!(read("1\n62\n3", 2, false).is_err());
    }

    #[test]
    fn a_number_broken_under_its_own_column_is_joined_to_it() {
        // Laid out with spaces: 162's last digit on the next line, under it.
        let r = read("  16    0    3    0    0    0  165\n   2", 7, true).unwrap();
        assert_eq!(r, some(&["162", "0", "3", "0", "0", "0", "165"]));
    }

    #[test]
    fn digits_run_together_are_cut_only_when_one_cut_fits() {
        assert_eq!(read("0000000", 7, true).unwrap(), some(&["0"; 7]));
        // 10 cannot start with 0, and the total must be the sum: one way.
        assert_eq!(
            read("100000010", 7, true).unwrap(),
            some(&["10", "0", "0", "0", "0", "0", "10"])
        );
        // Several cuts fit the total: refused, naming the digits.
        let e = read("77132470", 3, false).unwrap_err();
        assert!(e.contains("77132470") && e.contains("more than one way"), "{e}");
        // Too few digits: blank cells cannot be told.
        assert!(read("000000", 7, true).unwrap_err().contains("blank cells"));
        // A huge run is refused without trying every cut.
        let long = "1".repeat(200);
        assert!(read(&long, 7, true).unwrap_err().contains("too many ways"));
    }

    #[test]
    fn blank_cells_told_by_blank_lines_when_cells_stand_one_a_line() {
        // A browser's text of a web table: a blank line between cells, one
        // more for each blank cell (lynx -dump).
        let text =
            "一、本年新收\n\n821\n\n35\n\n\n\n2\n\n1\n\n859\n\n二、上年结转\n\n18\n\n\n\n\n\n\n\n18\n\n三、本年度";
        let toks = tokens(&lines(text));
        let mut scratch = Vec::new();
        let mut cells = cells_between(&toks, 1, 6, None, &mut scratch);
        assert_eq!(cells.toks.len(), 5);
        // Without a unit learnt from the table: refused.
        assert!(blanks_by_lines(&cells, 7).is_none());
        cells.unit = Some(2);
        let r = blanks_by_lines(&cells, 7).unwrap();
        let want: Vec<CellText> = [Some("821"), Some("35"), None, None, Some("2"), Some("1"), Some("859")]
            .iter()
            .map(|c| c.map(str::to_string))
            .collect();
        assert_eq!(r, want);
        // A gap that does not account for exactly 7 cells: refused.
        assert!(blanks_by_lines(&cells, 8).is_none());
    }

    #[test]
    fn too_few_numbers_are_refused() {
        let e = read("1 2 3 6", 7, true).unwrap_err();
        assert!(e.contains("4 numbers for 7 columns"), "{e}");
    }

    #[test]
    fn a_sentence_naming_a_row_above_the_table_is_passed_over() {
        let text = "全年本年新收申请3件。\n申请人情况\n一、本年新收政府信息公开申请数量\n1\n0\n0\n0\n0\n0\n1\n二、上年结转政府信息公开申请数量\n0\n0\n0\n0\n0\n0\n0";
        let toks = tokens(&lines(text));
        let labels = Labels::new(&toks);
        let first = labels.find(0, &["本年新收"]).unwrap();
        let second = labels.find(first.0 + 4, &["上年结转"]).unwrap();
        let mut anchors = vec![first, second];
        labels.tighten(&mut anchors, &[&["本年新收"], &["上年结转"]]);
        assert_eq!(toks[anchors[0].1].line, 3);
    }

    #[test]
    fn table_four_after_a_sentence_that_names_it() {
        let text = "本年度行政复议0件，2023年无诉讼。\n行政复议\n行政诉讼\n结果维持\n结果纠正\n其他结果\n尚未审结\n总计\n未经复议直接起诉\n复议后起诉\n结果维持\n结果纠正\n其他结果\n尚未审结\n总计\n结果维持\n结果纠正\n其他结果\n尚未审结\n总计\n1\n0\n0\n0\n1\n0\n0\n0\n0\n0\n0\n0\n0\n0\n0";
        let r = table4(&lines(text)).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            r.numbers.appeals[0],
            [
                Some("1".to_string()),
                Some("0".into()),
                Some("0".into()),
                Some("0".into()),
                Some("1".into())
            ]
        );
    }
}
