//! The tokens of a table's text: label text, numbers, row numberings and
//! blank marks in reading order, each with what separates it from the one
//! before and where it stands; and the labels' text joined, to look for
//! row labels in whatever pieces they were broken into.

use super::super::tables::Lines;
use super::super::text::{blank_mark, is_space, norm};

/// What separates a token from the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Sep {
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
pub(super) enum Kind {
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
pub(super) struct Tok {
    pub(super) kind: Kind,
    pub(super) sep: Sep,
    /// Index into the document's lines.
    pub(super) idx: usize,
    /// 1-based line number.
    pub(super) line: usize,
    /// Where it stands on its line: first and past-last character.
    pub(super) col: (usize, usize),
}

pub(super) fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

/// The tokens of a table's lines.
pub(super) fn tokens(lines: &Lines) -> Vec<Tok> {
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
pub(super) struct Labels {
    pub(super) text: Vec<char>,
    pub(super) tok: Vec<usize>,
}

impl Labels {
    pub(super) fn new(toks: &[Tok]) -> Labels {
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
    pub(super) fn find(&self, from: usize, keys: &[&str]) -> Option<(usize, usize, usize)> {
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
    pub(super) fn find_last(&self, from: usize, to: usize, keys: &[&str]) -> Option<(usize, usize, usize)> {
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
    pub(super) fn tighten(&self, anchors: &mut [(usize, usize, usize)], keys: &[&[&str]]) {
        for i in (0..anchors.len().saturating_sub(1)).rev() {
            let next = anchors[i + 1].0;
            if let Some(h) = self.find_last(anchors[i].0, next, keys[i]) {
                anchors[i] = h;
            }
        }
    }

    /// The character position of the first label text at or after token `tok`.
    pub(super) fn char_at(&self, tok: usize) -> usize {
        self.tok.partition_point(|&t| t < tok)
    }

    /// The text between two character positions.
    pub(super) fn between(&self, a: usize, b: usize) -> String {
        self.text[a.min(self.text.len())..b.min(self.text.len())]
            .iter()
            .collect()
    }
}
