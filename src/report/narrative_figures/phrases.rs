//! The phrasings R13 reads (see the parent module): each a sequence of
//! literal alternatives ([`Part`]) with the table cell it is compared with
//! ([`Target`]) and what it needs around it ([`Needs`]); the matcher; how a
//! figure and a year are read; and the words that stop a comparison for the
//! rest of a sentence.

use std::ops::Range;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use crate::report::labels::{P21_NORMATIVE, P21_RULES};

/// One step of a phrasing.
#[derive(Clone, Copy, Debug)]
pub(super) enum Part {
    /// One of these literals, or nothing.
    Opt(&'static [&'static str]),
    /// One of these literals.
    One(&'static [&'static str]),
    /// The figure: ASCII digits (thousands separated by `,` allowed) or a
    /// small Chinese numeral (零 … 九十九, 两).
    Num,
    /// Optionally a year, `2023年` or `2023年度` (it must be the reporting year).
    Year,
    /// The year after the reporting one: `下年度`, `下一年度`, `次年`, or a
    /// year (it must be the next).
    NextYear,
    /// `其中`, or nothing: with it, the figure is a part of a whole named before.
    Of,
    /// The end of the clause, or a continuation that keeps the figure whole
    /// (`行政复议2件均维持原答复`, `行政规范性文件26件全部实行统一登记`).
    End,
}

use Part::{End, NextYear, Num, Of, One, Opt, Year};

/// What a figure of the text is compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target {
    /// 一、本年新收 总计 (`新收`, `收到`).
    New,
    /// 一, or 一 + 二 上年结转: `受理`, and `收到` in a sentence that says it
    /// includes what was carried over (`含上年结转`). Warned only when the
    /// figure is neither.
    Received,
    /// 二、上年结转 总计.
    CarriedOver,
    /// A result row, or block of rows, of table 三, by its key: its 总计 (the
    /// sum over its rows for a block).
    Result(&'static str),
    /// 四、结转下年度继续办理 总计.
    CarriedForward,
    /// Table 四, 行政复议 总计.
    Review,
    /// Table 四, 行政诉讼: 未经复议直接起诉 总计 + 复议后起诉 总计.
    Litigation,
    /// Table 二 (gov-2021), 本年制发件数 of the item at this index of
    /// `PROACTIVE_2021` (规章, 行政规范性文件).
    Issued(usize),
}

/// What a phrasing needs around it to count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Needs {
    /// Nothing: the phrase says what it counts.
    Nothing,
    /// Requests must be the subject at hand (`申请` in the heading, earlier
    /// in the block, or in the paragraph a list follows), and the sentence
    /// not about documents (`公文`, `属性`, `审查`): `予以公开22件` alone may
    /// count documents whose disclosure was decided.
    Requests,
    /// Disclosure must be the subject (`公开` in the sentence, or section
    /// 四): a government decides appeals of every other kind too.
    Disclosure,
}

/// A phrasing: what it is compared with, what it needs, its parts.
pub(super) struct Phrase {
    pub(super) target: Target,
    pub(super) needs: Needs,
    pub(super) parts: &'static [Part],
}

pub(super) const TIME: &[&str] = &["本年度内", "本年度", "本年", "全年", "年内", "今年", "当年"];
/// The reporting body itself. Not `我市`, `我县`, `全区`…: a government's
/// text often counts its whole area, while its tables count only itself.
#[rustfmt::skip]
const SELF: &[&str] = &[
    "本机关", "我机关", "本单位", "我单位", "本部门", "我部门", "本局", "我局", "本委", "我委", "本办", "我办", "本厅", "我厅", "本院",
    "我院", "本中心", "我中心", "本镇", "我镇", "本乡", "我乡", "本街道", "我街道",
];
const TOTAL: &[&str] = &["共计", "总计", "合计", "一共", "共"];
const KIND: &[&str] = &["政府信息公开", "信息公开", "依申请公开"];
const DISCLOSURE: &[&str] = &["政府信息公开", "信息公开"];
const DOCS: &[&str] = &["行政规范性文件", "规范性文件"];
const RULES: &[&str] = &["规章"];
const PIECES: &[&str] = &["件"];

/// The year, the body and the time, in the orders reports write them
/// (`2023年本局全年共…`), then the rest of the phrasing.
macro_rules! lead {
    ($($rest:expr),* $(,)?) => {
        &[Year, Opt(TIME), Opt(SELF), Opt(TIME), $($rest),*]
    };
}

/// `予以公开22件`, `其中不予公开3件`: a result row, or block, of table 三.
macro_rules! result {
    ($key:literal, $word:literal) => {
        Phrase {
            target: Target::Result($key),
            needs: Needs::Requests,
            parts: &[
                Of,
                Opt(&["依法"]),
                One(&[$word]),
                Opt(&["的"]),
                Opt(&["申请"]),
                Opt(TOTAL),
                Opt(&["为"]),
                Num,
                One(PIECES),
                End,
            ],
        }
    };
}

/// `全年因政府信息公开引发行政复议6件`, `被提起行政诉讼2起`.
macro_rules! appeal {
    ($target:expr, $word:literal) => {
        Phrase {
            target: $target,
            needs: Needs::Disclosure,
            parts: lead![
                Opt(TOTAL),
                Opt(&["发生"]),
                Opt(&["涉及", "因"]),
                Opt(DISCLOSURE),
                Opt(&["工作"]),
                Opt(&["引发", "引起"]),
                Opt(&["的"]),
                Opt(&["被申请", "被提起", "被起诉", "提起", "发生"]),
                Opt(DISCLOSURE),
                Opt(&["类"]),
                One(&[$word]),
                Opt(&["案件"]),
                Opt(TOTAL),
                Opt(&["为"]),
                Num,
                One(&["件", "起"]),
                End,
            ],
        }
    };
}

/// `本年制发规章2件`, `全年印发行政规范性文件5件`.
macro_rules! issued {
    ($item:expr, $docs:expr) => {
        Phrase {
            target: Target::Issued($item),
            needs: Needs::Nothing,
            parts: lead![
                Opt(TOTAL),
                Opt(&["新"]),
                One(&["制发", "印发"]),
                Opt(&["了"]),
                One($docs),
                Opt(TOTAL),
                Opt(&["为"]),
                Num,
                One(PIECES),
                End,
            ],
        }
    };
}

/// Every phrasing, tried in order on each clause.
pub(super) static PHRASES: &[Phrase] = &[
    // 全年共收到政府信息公开申请81件; 本年新收申请643件.
    Phrase {
        target: Target::New,
        needs: Needs::Nothing,
        parts: lead![
            Opt(TOTAL),
            One(&["新收到", "新收", "收到", "接收到", "接收"]),
            Opt(&["了"]),
            Opt(&["各类"]),
            Opt(KIND),
            Opt(&["的"]),
            One(&["申请"]),
            Opt(&["数量"]),
            Opt(TOTAL),
            Opt(&["为"]),
            Num,
            One(PIECES),
            End,
        ],
    },
    // 共受理政府信息公开申请81件: 受理 may count what was carried over.
    Phrase {
        target: Target::Received,
        needs: Needs::Nothing,
        parts: lead![
            Opt(TOTAL),
            One(&["受理"]),
            Opt(&["了"]),
            Opt(&["各类"]),
            Opt(KIND),
            Opt(&["的"]),
            One(&["申请"]),
            Opt(TOTAL),
            Opt(&["为"]),
            Num,
            One(PIECES),
            End,
        ],
    },
    // 全年新收146件, where requests are the subject.
    Phrase {
        target: Target::New,
        needs: Needs::Requests,
        parts: lead![Opt(TOTAL), One(&["新收"]), Num, One(PIECES), End],
    },
    // 上年结转21件; 连同上年结转的31件.
    Phrase {
        target: Target::CarriedOver,
        needs: Needs::Nothing,
        parts: &[
            Opt(&["加上", "连同", "另有", "处理", "另"]),
            One(&["上年度", "上年"]),
            One(&["结转"]),
            Opt(&["的"]),
            Opt(&["政府信息公开"]),
            Opt(&["申请"]),
            Opt(TOTAL),
            Opt(&["为"]),
            Num,
            One(PIECES),
            End,
        ],
    },
    result!("granted", "予以公开"),
    result!("partial", "部分公开"),
    result!("denied", "不予公开"),
    result!("unavailable", "无法提供"),
    result!("not_processed", "不予处理"),
    result!("other", "其他处理"),
    // 另有24件结转下年度继续办理; 剩余3件结转至2026年办理.
    Phrase {
        target: Target::CarriedForward,
        needs: Needs::Nothing,
        parts: &[
            Opt(&["另有", "剩余", "尚有", "还有", "另"]),
            Num,
            One(PIECES),
            Opt(&["申请"]),
            One(&["结转"]),
            Opt(&["至", "到"]),
            NextYear,
            Opt(&["继续"]),
            Opt(&["办理"]),
            End,
        ],
    },
    // 结转下年度继续办理19件.
    Phrase {
        target: Target::CarriedForward,
        needs: Needs::Nothing,
        parts: &[
            Opt(&["年底", "年末"]),
            Opt(&["尚有"]),
            One(&["结转"]),
            Opt(&["至", "到"]),
            NextYear,
            Opt(&["继续"]),
            Opt(&["办理"]),
            Opt(&["的"]),
            Opt(&["申请"]),
            Opt(TOTAL),
            Opt(&["为"]),
            Num,
            One(PIECES),
            End,
        ],
    },
    // 年底结转3件.
    Phrase {
        target: Target::CarriedForward,
        needs: Needs::Nothing,
        parts: &[One(&["年底", "年末"]), One(&["结转"]), Num, One(PIECES), End],
    },
    appeal!(Target::Review, "行政复议"),
    appeal!(Target::Litigation, "行政诉讼"),
    issued!(P21_RULES, RULES),
    issued!(P21_NORMATIVE, DOCS),
    // 行政规范性文件本年制发4件.
    Phrase {
        target: Target::Issued(P21_NORMATIVE),
        needs: Needs::Nothing,
        parts: lead![
            One(DOCS),
            Opt(TIME),
            Opt(&["共"]),
            Opt(&["新"]),
            One(&["制发", "印发"]),
            Opt(&["了"]),
            Num,
            One(PIECES),
            End,
        ],
    },
];

/// The second item after a phrasing of [`Target::Issued`], the verb shared:
/// `本年制发规章2件、行政规范性文件26件`.
pub(super) static ISSUED_TOO: &[Phrase] = &[
    Phrase {
        target: Target::Issued(P21_RULES),
        needs: Needs::Nothing,
        parts: &[One(RULES), Num, One(PIECES), End],
    },
    Phrase {
        target: Target::Issued(P21_NORMATIVE),
        needs: Needs::Nothing,
        parts: &[One(DOCS), Num, One(PIECES), End],
    },
];

/// Clauses that name the whole of the year's requests without a figure that
/// is compared (`办结509件`, `全部办结`, `在已办结的申请中`): a `其中…` after
/// one is a part of that whole.
pub(super) static WHOLE: &[&[Part]] = &[
    lead![
        Opt(TOTAL),
        Opt(&["已"]),
        Opt(&["全部"]),
        One(&["办结", "办理", "处理", "答复"]),
        Opt(&["了"]),
        Opt(KIND),
        Opt(&["的"]),
        Opt(&["申请"]),
        Opt(TOTAL),
        Opt(&["为"]),
        Num,
        One(PIECES),
        End,
    ],
    lead![
        Opt(&["均已", "已", "均"]),
        Opt(&["全部"]),
        Opt(&["按时", "依法", "按期"]),
        One(&["办结", "答复", "办理完毕"]),
        End,
    ],
    &[
        Opt(&["在"]),
        Opt(&["已", "本年", "全年"]),
        One(&["办结", "上述", "全部", "所有"]),
        Opt(&["的"]),
        Opt(KIND),
        One(&["申请中"]),
    ],
    &[One(&[
        "从办理结果看",
        "从处理结果看",
        "从办理结果来看",
        "办理结果如下",
        "具体办理结果如下",
        "办理结果方面",
    ])],
];

/// What a match found.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Caps {
    /// The figure: its byte range in the clause and its value.
    pub(super) num: Option<(usize, usize, i64)>,
    /// The year the clause names, if any.
    pub(super) year: Option<i32>,
    /// The year a carried-forward phrasing names, if it names one by number.
    pub(super) next_year: Option<i32>,
    /// Whether `其中` opens it.
    pub(super) of: bool,
}

/// Whether `parts` match all of `s`, filling `caps`. Greedy, one pass: an
/// optional word is taken whenever it is there, the longest alternative
/// first (the lists are ordered so), and never given back. The phrasings
/// are written so that no optional word is ever needed by the part after
/// it, so nothing is lost, and a clause costs one pass per phrasing tried.
pub(super) fn matches(parts: &[Part], s: &str, caps: &mut Caps) -> bool {
    let mut pos = 0;
    for part in parts {
        let tail = &s[pos..];
        // The first two bytes compared before the words (as one number,
        // not a character decoded per word): most words do not start here,
        // and this keeps them from a `memcmp` each.
        let bytes = tail.as_bytes();
        let head = bytes.get(..2);
        let word = |words: &[&str]| {
            words
                .iter()
                .find(|w| {
                    let w = w.as_bytes();
                    match (w.get(..2), head) {
                        (Some(a), Some(b)) => a == b && bytes.starts_with(w),
                        _ => bytes.starts_with(w),
                    }
                })
                .map(|w| w.len())
        };
        match *part {
            Opt(words) => pos += word(words).unwrap_or(0),
            One(words) => match word(words) {
                Some(len) => pos += len,
                None => return false,
            },
            Num => match number(tail) {
                Some((len, value)) => {
                    caps.num = Some((pos, pos + len, value));
                    pos += len;
                }
                None => return false,
            },
            Year => {
                if let Some((len, y)) = year(tail) {
                    caps.year = Some(y);
                    pos += len;
                }
            }
            NextYear => match year(tail) {
                Some((len, y)) => {
                    caps.next_year = Some(y);
                    pos += len;
                }
                None => match word(&["下一年度", "下年度", "下一年", "下年", "次年"]) {
                    Some(len) => pos += len,
                    None => return false,
                },
            },
            Of => {
                if tail.starts_with("其中") {
                    caps.of = true;
                    pos += "其中".len();
                }
            }
            End => return tail.is_empty() || ["均", "全部", "都", "已"].iter().any(|w| tail.starts_with(w)),
        }
    }
    pos == s.len()
}

/// The words a phrasing must hold: those of its first [`Part::One`].
fn required(parts: &[Part]) -> &'static [&'static str] {
    parts
        .iter()
        .find_map(|p| if let One(words) = p { Some(*words) } else { None })
        .unwrap_or(&[])
}

/// Every phrasing by one index: [`PHRASES`], then [`ISSUED_TOO`], then [`WHOLE`].
fn every_phrasing() -> impl Iterator<Item = &'static [Part]> {
    PHRASES
        .iter()
        .chain(ISSUED_TOO)
        .map(|p| p.parts)
        .chain(WHOLE.iter().copied())
}

/// The bits of [`Candidates`] past the phrasings': the clause holds a
/// count (a figure and 件 or 起), the clause holds `申请`.
const COUNT_BIT: u64 = 1 << 62;
const REQUESTS_BIT: u64 = 1 << 63;

/// Words found by their first character, each with bits: one pass over a
/// text gives the bits of the words it holds. Every word starts with an
/// ideograph, and a bitset of the first characters over the CJK block lets
/// the other characters pass without a lookup; the words of a first
/// character that is in it are found by its rank in the bitset (the set
/// bits before it), not by hashing it.
struct WordBits {
    first: Vec<u64>,
    /// For each word of `first`, how many bits are set in the words before.
    rank: Vec<u32>,
    /// The words of each first character, in the order of the characters.
    by_rank: Vec<Vec<(&'static str, u64)>>,
}

/// The CJK Unified Ideographs block, where every word starts.
const CJK: std::ops::Range<u32> = 0x4E00..0xA000;

impl WordBits {
    /// The table of kinds of words: each list's words give its kind's bit.
    fn of_kinds(kinds: &[(&[&'static str], u8)]) -> Self {
        Self::new(
            kinds
                .iter()
                .flat_map(|&(words, bit)| words.iter().map(move |&w| (w, u64::from(bit)))),
        )
    }

    fn new(words: impl IntoIterator<Item = (&'static str, u64)>) -> Self {
        let mut first = vec![0u64; (CJK.end - CJK.start).div_ceil(64) as usize];
        let mut by_first: FxHashMap<char, Vec<(&'static str, u64)>> = FxHashMap::default();
        for (w, bits) in words {
            let Some(c) = w.chars().next() else {
                continue;
            };
            if let Some(k) = (c as u32).checked_sub(CJK.start).filter(|_| CJK.contains(&(c as u32))) {
                first[k as usize / 64] |= 1 << (k % 64);
            }
            let entry = by_first.entry(c).or_default();
            match entry.iter_mut().find(|(x, _)| *x == w) {
                Some((_, b)) => *b |= bits,
                None => entry.push((w, bits)),
            }
        }
        let rank = first
            .iter()
            .scan(0, |before, word: &u64| {
                let here = *before;
                *before += word.count_ones();
                Some(here)
            })
            .collect();
        // Only the words that start in the CJK block are ever found.
        let mut firsts: Vec<char> = by_first
            .keys()
            .copied()
            .filter(|&c| CJK.contains(&(c as u32)))
            .collect();
        firsts.sort_unstable();
        let by_rank = firsts.iter().map(|c| by_first.remove(c).unwrap_or_default()).collect();
        WordBits { first, rank, by_rank }
    }

    /// The bits of the words that start at byte `i` of `s` (`c` is there).
    /// Asked for every character of a clause: the test of the first
    /// character is inlined, the words of one that is a first are not.
    #[inline(always)]
    fn at(&self, s: &str, i: usize, c: char) -> u64 {
        let u = c as u32;
        if !CJK.contains(&u) {
            return 0;
        }
        let k = u - CJK.start;
        let word = self.first[k as usize / 64];
        if word >> (k % 64) & 1 == 0 {
            return 0;
        }
        let rank = self.rank[k as usize / 64] + (word & ((1 << (k % 64)) - 1)).count_ones();
        self.words_at(s, i, rank as usize)
    }

    /// The bits of the words of the first character of this rank that
    /// start at byte `i` of `s`.
    #[inline(never)]
    fn words_at(&self, s: &str, i: usize, rank: usize) -> u64 {
        let mut bits = 0;
        for (w, b) in self.by_rank.get(rank).map_or(&[][..], Vec::as_slice) {
            if s[i..].starts_with(w) {
                bits |= b;
            }
        }
        bits
    }
}

/// The words phrasings must hold, with the bits of the phrasings that need
/// each (and `申请`); the bits of the phrasings that need none.
static REQUIRED: LazyLock<(WordBits, u64)> = LazyLock::new(|| {
    let mut words = vec![("申请", REQUESTS_BIT)];
    let mut always = 0u64;
    for (i, parts) in every_phrasing().enumerate() {
        // The phrasings fit below the two bits of their own.
        let bit = 1u64 << i.min(61);
        match required(parts) {
            [] => always |= bit,
            required => words.extend(required.iter().map(|&w| (w, bit))),
        }
    }
    (WordBits::new(words), always)
});

/// Which phrasings a clause may be, whether it holds a count and `申请`,
/// found in one pass over it: a phrasing is tried only when the clause
/// holds one of the words it requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Candidates(u64);

impl Candidates {
    /// The clauses of `s[range]`, cut where `ends` holds for a character
    /// (given with where it is in `s`), the empty ones left out, each with
    /// its candidates: what [`Candidates::of`] finds in each, found in the
    /// same pass that cuts them. (A word is looked for in `s` from where it
    /// would start, not in the clause: no word holds a character that ends
    /// a clause or a sentence, a test checks it, so none runs past one.)
    pub(super) fn of_clauses<F: Fn(usize, char) -> bool>(
        s: &str,
        range: Range<usize>,
        ends: F,
    ) -> Vec<(Range<usize>, Candidates)> {
        let (words, always) = &*REQUIRED;
        let mut out = Vec::new();
        let (mut start, mut bits, mut before) = (range.start, *always, '\0');
        for (i, c) in s[range.clone()].char_indices() {
            let i = range.start + i;
            if ends(i, c) {
                if i > start {
                    out.push((start..i, Candidates(bits)));
                }
                (start, bits, before) = (i + c.len_utf8(), *always, '\0');
                continue;
            }
            if matches!(c, '件' | '起') && is_numeral(before) {
                bits |= COUNT_BIT;
            }
            before = c;
            bits |= words.at(s, i, c);
        }
        if range.end > start {
            out.push((start..range.end, Candidates(bits)));
        }
        out
    }

    pub(super) fn of(s: &str) -> Candidates {
        let (words, always) = &*REQUIRED;
        let mut bits = *always;
        let mut before = '\0';
        for (i, c) in s.char_indices() {
            if matches!(c, '件' | '起') && is_numeral(before) {
                bits |= COUNT_BIT;
            }
            before = c;
            bits |= words.at(s, i, c);
        }
        Candidates(bits)
    }

    /// Whether the clause holds a count: a figure followed by 件 or 起.
    pub(super) fn count(self) -> bool {
        self.0 & COUNT_BIT != 0
    }

    fn has(self, index: usize) -> bool {
        self.0 & (1u64 << index.min(61)) != 0
    }

    /// Whether the clause may be `PHRASES[i]`.
    pub(super) fn phrase(self, i: usize) -> bool {
        self.has(i)
    }

    /// Whether the clause may be `ISSUED_TOO[i]`.
    pub(super) fn issued_too(self, i: usize) -> bool {
        self.has(PHRASES.len() + i)
    }

    /// Whether the clause may be `WHOLE[i]`.
    pub(super) fn whole(self, i: usize) -> bool {
        self.has(PHRASES.len() + ISSUED_TOO.len() + i)
    }

    /// Whether the clause holds `申请`.
    pub(super) fn requests(self) -> bool {
        self.0 & REQUESTS_BIT != 0
    }
}

/// A year at the start of `s`: four ASCII digits and 年 (or 年度). Its
/// length in bytes and its value.
pub(super) fn year(s: &str) -> Option<(usize, i32)> {
    let digits = s.get(..4).filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
    let rest = &s[4..];
    let len = if rest.starts_with("年度") {
        4 + "年度".len()
    } else if rest.starts_with('年') {
        4 + '年'.len_utf8()
    } else {
        return None;
    };
    Some((len, digits.parse().ok()?))
}

/// A figure at the start of `s`: ASCII digits (groups of three after `,`
/// allowed: `1,209`), or a small Chinese numeral (`两`, `十二`, `三十`,
/// `九十九`). Its length in bytes and its value; `None` when there is none,
/// or it is too long to be a count.
pub(super) fn number(s: &str) -> Option<(usize, i64)> {
    let b = s.as_bytes();
    let mut end = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if end > 0 {
        // `,` and exactly three digits, not followed by a fourth.
        while b.get(end) == Some(&b',')
            && b.len() >= end + 4
            && b[end + 1..end + 4].iter().all(u8::is_ascii_digit)
            && !b.get(end + 4).is_some_and(u8::is_ascii_digit)
        {
            end += 4;
        }
        // The value of the digits, the separators skipped; 15 digits at
        // most (not a count beyond), which no i64 overflows with.
        let digits = b[..end].iter().filter(|c| c.is_ascii_digit());
        if digits.clone().count() > 15 {
            return None;
        }
        let value = digits.fold(0i64, |v, d| v * 10 + i64::from(d - b'0'));
        return Some((end, value));
    }
    // Up to four characters of a numeral, in place (no allocation).
    let mut run = ['\0'; 4];
    let mut len = 0;
    let mut bytes = 0;
    for c in s
        .chars()
        .take_while(|&c| chinese_digit(c).is_some() || c == '十')
        .take(4)
    {
        run[len] = c;
        len += 1;
        bytes += c.len_utf8();
    }
    let run = &run[..len];
    // `一百`, `三千`: larger than the numerals read here.
    let after = s[bytes..].chars().next();
    if after.is_some_and(|c| matches!(c, '百' | '千' | '万' | '亿')) {
        return None;
    }
    let value = match run {
        [d] => chinese_digit(*d).or((*d == '十').then_some(10))?,
        ['十', d] => 10 + chinese_digit(*d).filter(|&v| v > 0)?,
        [t, '十'] => 10 * chinese_digit(*t).filter(|&v| v > 0)?,
        [t, '十', d] => 10 * chinese_digit(*t).filter(|&v| v > 0)? + chinese_digit(*d).filter(|&v| v > 0)?,
        _ => return None,
    };
    Some((bytes, value))
}

fn chinese_digit(c: char) -> Option<i64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

// ------------------------------------------------------------------ what stops a comparison

/// Words of a clause that put the rest of its sentence in another time:
/// another year, a part of the year, or years summed.
#[rustfmt::skip]
const OTHER_TIME: &[&str] = &[
    "上年", "去年", "前年", "上一年", "往年", "历年", "以来", "近年", "近三年", "近五年",
];
/// A part of the year, or a date: the figures after it may stop short of
/// the year's end.
const PERIOD: &[&str] = &["截至", "截止", "季度", "半年", "月"];
/// Words of a comparison (`较上年增长`), which name another year without
/// moving the sentence to it.
const COMPARISON: &[&str] = &["较", "比", "同比", "环比"];
/// Words that narrow the subject to a part: applicants, channels, sub-units,
/// areas, topics.
#[rustfmt::skip]
const PART_OF: &[&str] = &[
    "自然人", "法人", "企业", "科研", "公益", "法律服务", "组织", "公民", "律师", "个人", "当面", "网上", "网络", "在线", "信函",
    "邮寄", "传真", "邮件", "现场", "窗口", "本级", "下属", "所属", "直属", "乡镇", "街道", "部门", "单位", "区县", "县区", "各地",
    "各级", "各乡", "各镇", "全市", "全县", "全区", "全省", "全州", "全盟", "全旗", "我市", "我县", "我区", "本市", "本县", "本区",
    "类", "关于", "针对", "对于", "涉及", "方面",
];
/// The words of a figure that breaks the results down (reasons, outcomes),
/// which narrows nothing that follows.
#[rustfmt::skip]
const BREAKDOWN: &[&str] = &[
    "不掌握", "另行制作", "不明确", "国家秘密", "禁止公开", "三安全", "第三方", "内部事务", "过程性", "执法案卷", "行政查询", "查询事项", "信访",
    "投诉", "举报", "重复", "出版物", "反复", "确认", "逾期", "补正", "缴纳", "费用", "维持", "纠正", "审结", "审理", "驳回", "撤回",
    "撤诉", "败诉", "胜诉", "无法提供", "不予处理", "其他处理", "不予公开", "部分公开", "予以公开", "结转", "废止", "现行有效", "办结",
    "答复",
];
/// Words that make a sentence about documents rather than requests.
pub(super) const ABOUT_DOCUMENTS: &[&str] = &["公文", "属性", "审查"];

/// The kinds of words [`marks`] finds, as bits.
pub(super) const M_OTHER_TIME: u8 = 1;
pub(super) const M_PERIOD: u8 = 2;
pub(super) const M_COMPARISON: u8 = 4;
pub(super) const M_PART_OF: u8 = 8;
pub(super) const M_BREAKDOWN: u8 = 16;

/// The words of [`OTHER_TIME`], [`PERIOD`], [`COMPARISON`], [`PART_OF`] and
/// [`BREAKDOWN`], with the bit of their kind.
static MARKS: LazyLock<WordBits> = LazyLock::new(|| {
    WordBits::of_kinds(&[
        (OTHER_TIME, M_OTHER_TIME),
        (PERIOD, M_PERIOD),
        (COMPARISON, M_COMPARISON),
        (PART_OF, M_PART_OF),
        (BREAKDOWN, M_BREAKDOWN),
    ])
});

/// The kinds of marker words `s` holds, in one pass over it (about 150
/// words: a search for each would cost a pass each).
pub(super) fn marks(s: &str) -> u8 {
    let found = s.char_indices().fold(0u64, |found, (i, c)| found | MARKS.at(s, i, c));
    // Only the five bits of the kinds are ever set.
    found as u8
}

/// The kinds of words [`fact_words`] finds, as bits: `含` or `包括`,
/// `结转`, `不含`, `不包括` or `除`, `公开`, a word of [`ABOUT_DOCUMENTS`].
pub(super) const F_INCLUDES: u8 = 1;
pub(super) const F_CARRIED: u8 = 2;
pub(super) const F_EXCLUDES: u8 = 4;
pub(super) const F_DISCLOSURE: u8 = 8;
pub(super) const F_DOCUMENTS: u8 = 16;

/// The words of [`fact_words`], with the bit of their kind.
static FACTS: LazyLock<WordBits> = LazyLock::new(|| {
    WordBits::of_kinds(&[
        (&["含", "包括"], F_INCLUDES),
        (&["结转"], F_CARRIED),
        (&["不含", "不包括", "除"], F_EXCLUDES),
        (&["公开"], F_DISCLOSURE),
        (ABOUT_DOCUMENTS, F_DOCUMENTS),
    ])
});

/// The kinds of words a sentence holds that say what its figures are (see
/// `SentenceFacts` in the parent module), and whether `结转` follows `含`
/// or `包括` in it, in one pass over it (nine searches did it before).
pub(super) fn fact_words(s: &str) -> (u8, bool) {
    let (mut found, mut carried_after_include) = (0u64, false);
    for (i, c) in s.char_indices() {
        let bits = FACTS.at(s, i, c);
        carried_after_include |= (bits & u64::from(F_CARRIED) != 0) & (found & u64::from(F_INCLUDES) != 0);
        found |= bits;
    }
    // Only the five bits of the kinds are ever set.
    (found as u8, carried_after_include)
}

/// Whether `s` holds `w`: found by its first character (a `memchr`), as
/// `str::contains` would, without setting up a two-way search for a word of
/// a few characters in a clause of a few dozen.
pub(super) fn has(s: &str, w: &str) -> bool {
    find(s, w).is_some()
}

/// Where `w` first is in `s`, found as [`has`] finds it.
pub(super) fn find(s: &str, w: &str) -> Option<usize> {
    match w.chars().next() {
        Some(first) => s.match_indices(first).map(|(i, _)| i).find(|&i| s[i..].starts_with(w)),
        None => Some(0),
    }
}

/// Whether `c` may end a figure: an ASCII digit or a Chinese numeral.
pub(super) fn is_numeral(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    // 〇 一 七 三 两 九 二 五 八 六 十 四 零, by code point.
    matches!(
        u32::from(c),
        0x3007
            | 0x4E00
            | 0x4E03
            | 0x4E09
            | 0x4E24
            | 0x4E5D
            | 0x4E8C
            | 0x4E94
            | 0x516B
            | 0x516D
            | 0x5341
            | 0x56DB
            | 0x96F6
    )
}

/// Every four-digit year (`2022年`) named in `s`.
pub(super) fn years(s: &str) -> impl Iterator<Item = i32> + '_ {
    s.char_indices()
        .filter(|&(i, c)| c.is_ascii_digit() && (i == 0 || !s.as_bytes()[i - 1].is_ascii_digit()))
        .filter_map(|(i, _)| year(&s[i..]).map(|(_, y)| y))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bits of the words of `words` that start at each character of
    /// `s`, found by trying every word there (what [`WordBits::at`] finds
    /// by first character and rank).
    fn bits_by_trying(words: &[(&'static str, u64)], s: &str) -> Vec<u64> {
        s.char_indices()
            .map(|(i, _)| {
                words
                    .iter()
                    .filter(|(w, _)| {
                        s[i..].starts_with(w) && w.chars().next().is_some_and(|c| CJK.contains(&(c as u32)))
                    })
                    .fold(0, |bits, (_, b)| bits | b)
            })
            .collect()
    }

    /// Words with their bits.
    type Words = Vec<(&'static str, u64)>;

    /// Every word of the phrasings and of the marks, with its bits.
    fn every_word() -> (Words, Words) {
        let mut needed = vec![("申请", REQUESTS_BIT)];
        for (i, parts) in every_phrasing().enumerate() {
            needed.extend(required(parts).iter().map(|&w| (w, 1u64 << i.min(61))));
        }
        let marks = [
            (OTHER_TIME, M_OTHER_TIME),
            (PERIOD, M_PERIOD),
            (COMPARISON, M_COMPARISON),
            (PART_OF, M_PART_OF),
            (BREAKDOWN, M_BREAKDOWN),
        ]
        .into_iter()
        .flat_map(|(words, bit)| words.iter().map(move |&w| (w, u64::from(bit))))
        .collect();
        (needed, marks)
    }

    /// Texts made of the words' characters (and a few others), so that
    /// words start, overlap and break off everywhere.
    fn text(picks: &[usize], chars: &[char]) -> String {
        picks.iter().map(|&i| chars[i % chars.len()]).collect()
    }

    fn chars_of(words: &[(&'static str, u64)]) -> Vec<char> {
        let mut chars: Vec<char> = words.iter().flat_map(|(w, _)| w.chars()).collect();
        chars.extend([
            '1', '件', '起', '，', 'a', '\u{4dff}', '\u{a000}', '\u{4e00}', '\u{9fff}',
        ]);
        chars.sort_unstable();
        chars.dedup();
        chars
    }

    /// [`number`] as it was first written, collecting the digits.
    fn number_collected(s: &str) -> Option<(usize, i64)> {
        let b = s.as_bytes();
        let mut end = b.iter().take_while(|c| c.is_ascii_digit()).count();
        if end > 0 {
            while b.get(end) == Some(&b',')
                && b.len() >= end + 4
                && b[end + 1..end + 4].iter().all(u8::is_ascii_digit)
                && !b.get(end + 4).is_some_and(u8::is_ascii_digit)
            {
                end += 4;
            }
            let digits: String = s[..end].chars().filter(char::is_ascii_digit).collect();
            if digits.len() > 15 {
                return None;
            }
            return Some((end, digits.parse().ok()?));
        }
        let run: Vec<char> = s
            .chars()
            .take_while(|&c| chinese_digit(c).is_some() || c == '十')
            .take(4)
            .collect();
        let after = s[run.iter().map(|c| c.len_utf8()).sum::<usize>()..].chars().next();
        if after.is_some_and(|c| matches!(c, '百' | '千' | '万' | '亿')) {
            return None;
        }
        let value = match run.as_slice() {
            [d] => chinese_digit(*d).or((*d == '十').then_some(10))?,
            ['十', d] => 10 + chinese_digit(*d).filter(|&v| v > 0)?,
            [t, '十'] => 10 * chinese_digit(*t).filter(|&v| v > 0)?,
            [t, '十', d] => 10 * chinese_digit(*t).filter(|&v| v > 0)? + chinese_digit(*d).filter(|&v| v > 0)?,
            _ => return None,
        };
        Some((run.iter().map(|c| c.len_utf8()).sum(), value))
    }

    const NUMBER_CHARS: &[char] = &[
        '0', '1', '9', ',', '零', '〇', '一', '二', '两', '三', '九', '十', '百', '千', '万', '亿', '件', 'a', '，',
    ];

    proptest::proptest! {
        #[test]
        fn numbers_are_read_as_when_collected(picks in proptest::collection::vec(0..NUMBER_CHARS.len(), 0..24)) {
            let s: String = picks.iter().map(|&i| NUMBER_CHARS[i]).collect();
            proptest::prop_assert_eq!(number(&s), number_collected(&s));
        }

        #[test]
        fn phrasings_match_as_before(picks in proptest::collection::vec(0usize..10_000, 0..40)) {
            // The words compared by their first two bytes: a clause of the
            // phrasings' own characters matches as when compared whole.
            let (needed, _) = every_word();
            let s = text(&picks, &chars_of(&needed));
            for parts in every_phrasing() {
                let (mut a, mut b) = (Caps::default(), Caps::default());
                let found = matches(parts, &s, &mut a);
                proptest::prop_assert_eq!(found, matches_whole_words(parts, &s, &mut b));
                proptest::prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
            }
        }
    }

    /// [`matches`] with each word compared whole, as `starts_with` does.
    fn matches_whole_words(parts: &[Part], s: &str, caps: &mut Caps) -> bool {
        let mut pos = 0;
        for part in parts {
            let tail = &s[pos..];
            let word = |words: &[&str]| words.iter().find(|w| tail.starts_with(**w)).map(|w| w.len());
            match *part {
                Opt(words) => pos += word(words).unwrap_or(0),
                One(words) => match word(words) {
                    Some(len) => pos += len,
                    None => return false,
                },
                Num => match number(tail) {
                    Some((len, value)) => {
                        caps.num = Some((pos, pos + len, value));
                        pos += len;
                    }
                    None => return false,
                },
                Year => {
                    if let Some((len, y)) = year(tail) {
                        caps.year = Some(y);
                        pos += len;
                    }
                }
                NextYear => match year(tail) {
                    Some((len, y)) => {
                        caps.next_year = Some(y);
                        pos += len;
                    }
                    None => match word(&["下一年度", "下年度", "下一年", "下年", "次年"]) {
                        Some(len) => pos += len,
                        None => return false,
                    },
                },
                Of => {
                    if tail.starts_with("其中") {
                        caps.of = true;
                        pos += "其中".len();
                    }
                }
                End => return tail.is_empty() || ["均", "全部", "都", "已"].iter().any(|w| tail.starts_with(w)),
            }
        }
        pos == s.len()
    }

    #[test]
    fn no_word_holds_a_character_that_ends_a_clause_or_a_sentence() {
        // What lets the clauses' candidates be found in the pass that cuts
        // them (`Candidates::of_clauses`).
        let (required, _) = every_word();
        for (w, _) in required {
            assert!(
                !w.chars()
                    .any(|c| super::super::ends_clause(c) || super::super::ends_sentence(c)),
                "{w}"
            );
        }
    }

    #[test]
    fn every_word_is_found_by_rank() {
        let (required, marks) = every_word();
        for words in [&required, &marks] {
            let table = WordBits::new(words.iter().copied());
            // Each word alone, and all of them in a row.
            let all: String = words.iter().map(|(w, _)| *w).collect();
            for s in words.iter().map(|(w, _)| *w).chain([all.as_str()]) {
                let found: Vec<u64> = s.char_indices().map(|(i, c)| table.at(s, i, c)).collect();
                assert_eq!(found, bits_by_trying(words, s), "{s}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn words_are_found_as_by_trying_each(picks in proptest::collection::vec(0usize..10_000, 0..80)) {
            let (required, marks) = every_word();
            for words in [&required, &marks] {
                let table = WordBits::new(words.iter().copied());
                let s = text(&picks, &chars_of(words));
                let found: Vec<u64> = s.char_indices().map(|(i, c)| table.at(&s, i, c)).collect();
                proptest::prop_assert_eq!(found, bits_by_trying(words, &s));
            }
            // The candidates of a clause: the words' bits, those of the
            // phrasings without words, and whether it holds a count (a
            // numeral before 件 or 起) and `申请`.
            let s = text(&picks, &chars_of(&required));
            let (_, always) = &*REQUIRED;
            let mut expected = bits_by_trying(&required, &s).iter().fold(*always, |a, b| a | b);
            let chars: Vec<char> = s.chars().collect();
            if chars.windows(2).any(|p| is_numeral(p[0]) && matches!(p[1], '件' | '起')) {
                expected |= COUNT_BIT;
            }
            proptest::prop_assert_eq!(Candidates::of(&s).0, expected);
            proptest::prop_assert_eq!(Candidates::of(&s).requests(), s.contains("申请"));
        }
    }
}
