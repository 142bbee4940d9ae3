//! R13: a figure the narrative states that the report's own tables
//! contradict, such as `全年共收到政府信息公开申请81件` while table 三's
//! 一、本年新收政府信息公开申请数量 总计 is 79. [`check`] reads the body once,
//! up to section 五, and warns on the line of the figure, naming the table
//! cell it contradicts. The body of nearly every report is plain paragraphs
//! and `#` headings, whose blocks a scan of its lines finds as the parser
//! would ([`sections::plain_lines`]); any other is read with pulldown-cmark (with the
//! options every body is read with). The cost stays linear: one pass over
//! the lines or the Markdown, then a few passes over each block that holds
//! a count (a figure and 件 or 起, found by vectorised searches), the clauses
//! matched only when they hold a word their phrasing needs.
//!
//! A false warning on a correct report is worse than a missed one, so a
//! figure is compared only when its clause (the text between two marks of
//! punctuation) is one of a few fixed phrasings whose meaning is plain, read
//! from its first character to its last (so `约81件`, `81余件`, `81件次`,
//! `因保护第三方合法权益不予公开15件` or `通过网络收到申请70件` are not
//! taken), about the reporting year, and about the whole body rather than a
//! part of it: a sentence that names another year (`2022年`, `上年`), a kind
//! of applicant, a channel, a sub-unit, a topic (`涉及…`, `…中`), or
//! another figure that is not a break-down of results stops the comparisons
//! for the rest of that sentence. Only the sections 一 to 四 (and text
//! before the first section) are read: 五 and 六 mostly look back at earlier
//! years. What is recognised, and why each limit is there, is listed in
//! `docs/checks.md` (R13).
//!
//! The phrasings ([`phrases`]) are sequences of literal alternatives,
//! matched by a small greedy matcher rather than regular expressions: the
//! grammar then reads as the official wording it is, each clause is
//! anchored at both ends by construction, and the figure comes out already
//! parsed. [`tables`] finds the cell a figure is compared with.

#[path = "narrative_figures/phrases.rs"]
mod phrases;
#[path = "narrative_figures/tables.rs"]
mod tables;

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::diagnostics::Diagnostic;
use crate::report::sections::{self, PlainLine, MARKDOWN_OPTIONS};
use crate::report::{Report, Tables};
use phrases::{
    fact_words, find, has, is_numeral, marks, matches, year, years, Candidates, Caps, Needs, Phrase, Target,
    F_DISCLOSURE, F_DOCUMENTS, F_EXCLUDES, F_INCLUDES, ISSUED_TOO, M_BREAKDOWN, M_COMPARISON, M_OTHER_TIME, M_PART_OF,
    M_PERIOD, PHRASES, TIME, WHOLE,
};

/// The checks of R13 on one report: a warning for each figure of the text
/// that the tables contradict. Nothing for a report without tables (or with
/// type errors in them, whose numbers are not known).
pub fn check(r: &Report, out: &mut Vec<Diagnostic>) {
    let Some(t) = &r.tables else {
        return;
    };
    // Every recognised phrasing counts in 件 or 起.
    if !r.body.contains('件') && !r.body.contains('起') {
        return;
    }
    let mut scan = Scanner::new(r, t, out);
    scan.body();
}

// ------------------------------------------------------------------ reading the body

/// Marks pushed into a block's text where a sentence ends and where a
/// clause ends without a mark of punctuation (a code span, two figures
/// apart). White space is dropped from the text, so neither is ambiguous.
const SENTENCE_MARK: char = '\n';
const CLAUSE_MARK: char = '|';

/// The bytes that may start a character [`Block::push`] changes: ASCII
/// white space (and controls), and the first bytes of the other white space
/// (U+0085, U+00A0, U+1680, U+2000-U+205F, U+3000) and of the full-width
/// digits (U+FF10-U+FF19).
static MAY_CHANGE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b <= 0x20 {
        table[b] = true;
        b += 1;
    }
    table[0xC2] = true;
    table[0xE1] = true;
    table[0xE2] = true;
    table[0xE3] = true;
    table[0xEF] = true;
    table
};

/// Whether no character of `b` is one [`Block::push`] changes: no white
/// space (ASCII white space, and the bytes that start the other: U+0085,
/// U+00A0, U+1680, U+2000-U+205F; and U+3000), no full-width digit
/// (U+FF10-U+FF19). A test of every byte and the two after it, or-ed
/// without a branch, which the compiler does sixteen bytes at a time:
/// [`MAY_CHANGE`] is true of the first byte of every mark of Chinese
/// punctuation, each then decoded.
fn changes_none(b: &[u8]) -> bool {
    #[inline(always)]
    fn starts_change(x: u8) -> bool {
        (x <= 0x20) | (x == 0xC2) | (x == 0xE1) | (x == 0xE2)
    }
    let head = b.len().saturating_sub(2);
    let three = head > 0
        && b[..head]
            .iter()
            .zip(&b[1..])
            .zip(&b[2..])
            .fold(false, |hit, ((&x, &y), &z)| {
                hit | starts_change(x)
                    | ((x == 0xE3) & (y == 0x80) & (z == 0x80))
                    | ((x == 0xEF) & (y == 0xBC) & (z.wrapping_sub(0x90) < 10))
            });
    // A character of three bytes cannot start in the last two.
    let last = b[head..].iter().fold(false, |hit, &x| hit | starts_change(x));
    !(three | last)
}

/// The text of one block (a paragraph, a list item, a table cell) as it is
/// matched: white space dropped (conversions from PDF space figures out,
/// `2023 年`), full-width digits made ASCII, marks where sentences and
/// clauses end; with where its text came from in the body.
#[derive(Default)]
struct Block {
    text: String,
    /// Runs of `text` copied from the body, in order: where each starts in
    /// `text` and in the body. A run lasts until the next one starts.
    runs: Vec<(usize, usize)>,
    /// Whether white space was dropped after the last character.
    spaced: bool,
}

impl Block {
    /// Adds the text of an event that is at `range` of `body`.
    fn push(&mut self, text: &str, body: &str, range: Range<usize>) {
        // Text with escapes or entities is not its source (pulldown-cmark
        // borrows the source otherwise): its characters are placed at the
        // start of the event.
        let exact = text.len() == range.len() && body.get(range.clone()).is_some_and(|b| b.as_ptr() == text.as_ptr());
        let at = |i: usize| if exact { range.start + i } else { range.start };
        // Most text changes nowhere: copied at once.
        if exact && changes_none(text.as_bytes()) {
            self.copy(text, at(0));
            return;
        }
        // The text is copied in slices, between the characters that change:
        // white space and full-width digits, found by their bytes (most
        // bytes of a report's text are neither).
        let bytes = text.as_bytes();
        let mut from = 0;
        let mut i = 0;
        while let Some(next) = bytes[i..].iter().position(|&b| !exact || MAY_CHANGE[usize::from(b)]) {
            i += next;
            let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
                break;
            };
            let ascii = match c {
                '０'..='９' => char::from_digit(c as u32 - '０' as u32, 10),
                _ => None,
            };
            if exact && !c.is_whitespace() && ascii.is_none() {
                i += c.len_utf8();
                continue;
            }
            let start = i;
            self.copy(&text[from..start], at(from));
            from = start + c.len_utf8();
            i = from;
            if c.is_whitespace() {
                self.spaced = true;
                continue;
            }
            let c = ascii.unwrap_or(c);
            // `81 79`: two figures, not 8179.
            if self.spaced && c.is_ascii_digit() && self.text.ends_with(|p: char| p.is_ascii_digit()) {
                self.mark(CLAUSE_MARK, at(start));
            }
            self.put(c, at(start));
        }
        self.copy(&text[from..], at(from));
    }

    /// Appends `slice`, which is at `at` in the body.
    fn copy(&mut self, slice: &str, at: usize) {
        if slice.is_empty() {
            return;
        }
        if self.spaced
            && slice.starts_with(|c: char| c.is_ascii_digit())
            && self.text.ends_with(|p: char| p.is_ascii_digit())
        {
            self.mark(CLAUSE_MARK, at);
        }
        self.runs.push((self.text.len(), at));
        self.text.push_str(slice);
        self.spaced = false;
    }

    /// Appends one character that stands for the one at `at` in the body.
    fn put(&mut self, c: char, at: usize) {
        self.runs.push((self.text.len(), at));
        self.text.push(c);
        self.spaced = false;
    }

    fn mark(&mut self, c: char, at: usize) {
        self.put(c, at);
    }

    /// Where the character at `i` of the text came from in the body.
    fn body_at(&self, i: usize) -> usize {
        match self.runs.partition_point(|&(t, _)| t <= i).checked_sub(1) {
            Some(run) => {
                let (t, b) = self.runs[run];
                b + (i - t)
            }
            None => 0,
        }
    }

    fn clear(&mut self) {
        self.text.clear();
        self.runs.clear();
        self.spaced = false;
    }
}

fn ends_sentence(c: char) -> bool {
    matches!(c, SENTENCE_MARK | '。' | '！' | '？' | '!' | '?')
}

#[rustfmt::skip]
fn ends_clause(c: char) -> bool {
    matches!(
        c,
        CLAUSE_MARK | '，' | ',' | '；' | ';' | '：' | ':' | '、' | '（' | '）' | '(' | ')' | '【' | '】' | '[' | ']'
            | '“' | '”' | '"' | '‘' | '’' | '\'' | '《' | '》' | '〈' | '〉' | '/' | '—' | '…'
    )
}

/// Searchers for the characters [`sentences`] looks for (built once).
static FIND_PIECE: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("件"));
static FIND_CASE: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("起"));
static FIND_FULL_STOP: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("。"));
static FIND_RARE_ENDS: LazyLock<[memmem::Finder<'static>; 2]> =
    LazyLock::new(|| [memmem::Finder::new("！"), memmem::Finder::new("？")]);

static FIND_REQUESTS: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("申请"));

/// Whether `s` holds `申请`: asked of every block and heading, and of the
/// sentences before a count (a vectorised search).
fn holds_requests(s: &str) -> bool {
    FIND_REQUESTS.find(s.as_bytes()).is_some()
}

/// Whether `s` holds 件 or 起 (two vectorised searches).
fn holds_piece_or_case(s: &str) -> bool {
    FIND_PIECE.find(s.as_bytes()).is_some() || FIND_CASE.find(s.as_bytes()).is_some()
}

/// The sentences of `s` (as [`pieces`] cuts them), and whether each holds a
/// count (a figure and 件 or 起). A text whose sentences all end with `。`
/// (nearly every block) is read by vectorised searches for `。`, 件 and 起
/// (whether the character before is a numeral is asked only there), a
/// third of R13's cost when it was read character by character (as
/// [`sentences_by_chars`] still reads any other text).
fn sentences(s: &str) -> (Vec<Range<usize>>, Vec<bool>) {
    let b = s.as_bytes();
    if memchr::memchr3(SENTENCE_MARK as u8, b'!', b'?', b).is_some()
        || FIND_RARE_ENDS.iter().any(|f| f.find(b).is_some())
    {
        return sentences_by_chars(s);
    }
    // Where the counts are, in order: 件 and 起 after a numeral.
    let numeral_before = |&at: &usize| s[..at].chars().next_back().is_some_and(is_numeral);
    let mut at_piece = FIND_PIECE.find_iter(b).filter(numeral_before).peekable();
    let mut at_case = FIND_CASE.find_iter(b).filter(numeral_before).peekable();
    let (mut out, mut counts) = (Vec::new(), Vec::new());
    let mut start = 0;
    for end in FIND_FULL_STOP.find_iter(b).chain([s.len()]) {
        // Counts before this end are in this sentence (or in an empty one).
        let mut count = false;
        while at_piece.next_if(|&at| at < end).is_some() {
            count = true;
        }
        while at_case.next_if(|&at| at < end).is_some() {
            count = true;
        }
        if end > start {
            out.push(start..end);
            counts.push(count);
        }
        start = end + '。'.len_utf8();
    }
    (out, counts)
}

/// [`sentences`], character by character.
fn sentences_by_chars(s: &str) -> (Vec<Range<usize>>, Vec<bool>) {
    let (mut out, mut counts) = (Vec::new(), Vec::new());
    let (mut start, mut count, mut before) = (0, false, '\0');
    for (i, c) in s.char_indices() {
        if ends_sentence(c) {
            if i > start {
                out.push(start..i);
                counts.push(count);
            }
            start = i + c.len_utf8();
            count = false;
        }
        count |= matches!(c, '件' | '起') && is_numeral(before);
        before = c;
    }
    if s.len() > start {
        out.push(start..s.len());
        counts.push(count);
    }
    (out, counts)
}

/// The non-empty pieces of `s[range]` between characters for which `ends`
/// holds; a `,` between a digit and three more (`1,209`) ends nothing. An
/// iterator, so that a caller that needs only the first or the last piece
/// collects none.
fn pieces<F: Fn(char) -> bool>(s: &str, range: Range<usize>, ends: F) -> Pieces<'_, F> {
    Pieces {
        s,
        chars: s[range.clone()].char_indices(),
        base: range.start,
        start: range.start,
        end: range.end,
        ends,
    }
}

/// The iterator of [`pieces`].
struct Pieces<'s, F> {
    s: &'s str,
    /// The characters of the range not read yet, at `base` in `s`.
    chars: std::str::CharIndices<'s>,
    base: usize,
    /// Where the current piece starts, and where the range ends.
    start: usize,
    end: usize,
    ends: F,
}

impl<F: Fn(char) -> bool> Iterator for Pieces<'_, F> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        for (i, c) in self.chars.by_ref() {
            let i = self.base + i;
            if !(self.ends)(c) {
                continue;
            }
            if thousands(self.s, i, c) {
                continue;
            }
            let piece = self.start..i;
            self.start = i + c.len_utf8();
            if !piece.is_empty() {
                return Some(piece);
            }
        }
        let piece = self.start..self.end;
        self.start = self.end;
        (!piece.is_empty()).then_some(piece)
    }
}

/// Whether `c`, at `i` of `s`, is a `,` between a digit and three more
/// (`1,209`), which ends no piece.
fn thousands(s: &str, i: usize, c: char) -> bool {
    c == ','
        && s[..i].ends_with(|p: char| p.is_ascii_digit())
        && s.as_bytes()
            .get(i + 1..i + 4)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
}

/// The last of the [`pieces`] of `s[range]`, found from the end: a sentence
/// without a count needs only its last clause, and most of it is before.
fn last_piece<F: Fn(char) -> bool>(s: &str, range: Range<usize>, ends: F) -> Option<Range<usize>> {
    let mut end = range.end;
    for (i, c) in s[range.clone()].char_indices().rev() {
        let i = range.start + i;
        if !ends(c) || thousands(s, i, c) {
            continue;
        }
        let piece = i + c.len_utf8()..end;
        if !piece.is_empty() {
            return Some(piece);
        }
        end = i;
    }
    let piece = range.start..end;
    (!piece.is_empty()).then_some(piece)
}

/// A phrasing found in a clause: which, what it found, and where its
/// figure is in the clause.
type Statement = (&'static Phrase, Caps, Range<usize>);

/// What a sentence says about all its figures.
#[derive(Default)]
struct SentenceFacts {
    /// It says a figure includes what was carried over (`含上年结转`).
    inclusive: bool,
    /// It qualifies a figure (`不含重复申请`, `含部分公开2件`): not the table's.
    qualified: bool,
    /// It is about disclosure (`公开` in it, or section 四).
    disclosure: bool,
    /// It is about documents (`公文`, `属性`, `审查`), not requests.
    documents: bool,
}

impl SentenceFacts {
    fn of(sent: &str, section_4: bool) -> Self {
        // `结转` after `含` or `包括`: what was carried over is included.
        let (found, inclusive) = fact_words(sent);
        SentenceFacts {
            inclusive,
            qualified: found & F_EXCLUDES != 0 || (found & F_INCLUDES != 0 && !inclusive),
            disclosure: section_4 || found & F_DISCLOSURE != 0,
            documents: found & F_DOCUMENTS != 0,
        }
    }
}

/// The [`SentenceFacts`] of a sentence, found when a clause first needs
/// them: most sentences with a count compare no figure.
struct LazyFacts<'t> {
    sentence: &'t str,
    section_4: bool,
    facts: Option<SentenceFacts>,
}

impl LazyFacts<'_> {
    fn get(&mut self) -> &SentenceFacts {
        let (sentence, section_4) = (self.sentence, self.section_4);
        self.facts.get_or_insert_with(|| SentenceFacts::of(sentence, section_4))
    }
}

/// What the clauses read so far say about the next ones.
struct State {
    /// Requests are the subject at hand.
    requests: bool,
    /// The whole of the year's requests was named last: `其中…` is a part of it.
    whole: bool,
    /// The sentence has turned to something narrower (another year, a part).
    narrowed: bool,
    /// The clause before was `其中`.
    of_before: bool,
}

/// What one report's body is read with.
struct Scanner<'a> {
    r: &'a Report,
    t: &'a Tables,
    out: &'a mut Vec<Diagnostic>,
    /// Where each line of the body starts (byte offsets).
    lines: Vec<usize>,
    /// Where each section opens in the body, and its index (0 for 一).
    sections: Vec<(usize, usize)>,
    /// Whether the last heading mentions 申请.
    heading_requests: bool,
    /// Whether the last block outside a list mentions 申请 (for a list that
    /// follows it: `办结99件，其中：` then `- 予以公开48件`).
    para_requests: bool,
    /// What each flush was given: the block's text and runs, whether in a
    /// list, and the subject's flags (for the tests that compare the two
    /// ways of reading a body).
    #[cfg(test)]
    flushed: Vec<Flushed>,
}

/// What one flush was given (see `Scanner::flushed`): the block's text and
/// runs, whether in a list, the heading's and the paragraph's flags.
#[cfg(test)]
type Flushed = (String, Vec<(usize, usize)>, bool, bool, bool);

impl<'a> Scanner<'a> {
    fn new(r: &'a Report, t: &'a Tables, out: &'a mut Vec<Diagnostic>) -> Self {
        // Line breaks found by a vectorised search.
        let lines: Vec<usize> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', r.body.as_bytes()).map(|i| i + 1))
            .collect();
        let sections = r
            .sections
            .iter()
            .filter_map(|s| {
                let at = lines.get(s.line.checked_sub(r.body_line)?)?;
                Some((*at, s.index))
            })
            .collect();
        Scanner {
            r,
            t,
            out,
            lines,
            sections,
            heading_requests: false,
            para_requests: false,
            #[cfg(test)]
            flushed: Vec::new(),
        }
    }

    /// Reads the body once, block by block (quotes, code, HTML and
    /// footnotes left out, and struck-out text).
    fn body(&mut self) {
        // Sections 五 and 六 are not read: the body is cut where the first
        // of them opens, when no section 一 to 四 follows it. A section
        // opens at a heading outside every other block, so what comes
        // before is read as it would be whole.
        let body = self.r.body.as_str();
        let end = self
            .sections
            .iter()
            .filter(|&&(_, index)| index > 3)
            .map(|&(at, _)| at)
            .min()
            .filter(|&cut| self.sections.iter().all(|&(at, index)| index > 3 || at < cut))
            .unwrap_or(body.len());
        let body = body.get(..end).unwrap_or(body);
        if !self.plain_body(body) {
            self.parsed_body(body);
        }
    }

    /// Reads a body that [`sections::plain_lines`] finds plain line by
    /// line, without the Markdown parser, as [`Self::parsed_body`] reads
    /// it: a paragraph is its lines (each one text event of the parser, at
    /// its place, with nothing between them: a soft break pushes nothing),
    /// ended by a blank line or a heading, and a heading sets whether
    /// requests are the subject. `false` (and nothing read) for a body that
    /// is not plain.
    fn plain_body(&mut self, body: &str) -> bool {
        let mut lines = Vec::new();
        if !sections::plain_lines(body, |start, line| lines.push((start, line))) {
            return false;
        }
        let mut block = Block::default();
        let mut paragraph = false;
        for (start, line) in lines {
            if paragraph && !matches!(line, PlainLine::Text(_)) {
                self.flush(&mut block, false);
                paragraph = false;
            }
            match line {
                PlainLine::Blank => {}
                PlainLine::Heading(text) => {
                    self.heading_requests = holds_requests(text);
                    self.para_requests = false;
                }
                PlainLine::Text(text) => {
                    paragraph = true;
                    block.push(text, body, start..start + text.len());
                }
            }
        }
        self.flush(&mut block, false);
        true
    }

    /// Reads the body with the Markdown parser (a body
    /// [`sections::plain_lines`] does not read).
    fn parsed_body(&mut self, body: &str) {
        let mut block = Block::default();
        let mut skip = 0usize;
        let mut struck = 0usize;
        let mut lists = 0usize;
        let mut heading: Option<String> = None;
        for (event, range) in Parser::new_ext(body, MARKDOWN_OPTIONS).into_offset_iter() {
            match event {
                Event::Start(tag) => match tag {
                    Tag::BlockQuote(_)
                    | Tag::CodeBlock(_)
                    | Tag::HtmlBlock
                    | Tag::FootnoteDefinition(_)
                    | Tag::MetadataBlock(_) => {
                        self.flush(&mut block, lists > 0);
                        skip += 1;
                    }
                    Tag::Strikethrough => struck += 1,
                    Tag::Emphasis | Tag::Strong | Tag::Link { .. } | Tag::Image { .. } => {}
                    Tag::Heading { .. } => {
                        self.flush(&mut block, lists > 0);
                        heading = Some(String::new());
                    }
                    Tag::List(_) => {
                        self.flush(&mut block, lists > 0);
                        lists += 1;
                    }
                    _ => self.flush(&mut block, lists > 0),
                },
                Event::End(end) => match end {
                    TagEnd::BlockQuote(_)
                    | TagEnd::CodeBlock
                    | TagEnd::HtmlBlock
                    | TagEnd::FootnoteDefinition
                    | TagEnd::MetadataBlock(_) => skip = skip.saturating_sub(1),
                    TagEnd::Strikethrough => struck = struck.saturating_sub(1),
                    TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link | TagEnd::Image => {}
                    TagEnd::Heading(_) => {
                        self.heading_requests = heading.take().is_some_and(|h| h.contains("申请"));
                        self.para_requests = false;
                    }
                    TagEnd::List(_) => {
                        self.flush(&mut block, lists > 0);
                        lists = lists.saturating_sub(1);
                    }
                    _ => self.flush(&mut block, lists > 0),
                },
                Event::Text(text) if skip == 0 && struck == 0 => match &mut heading {
                    Some(h) => h.push_str(&text),
                    None => block.push(&text, body, range),
                },
                Event::Code(_) | Event::InlineHtml(_) | Event::Html(_) | Event::FootnoteReference(_) => {
                    block.mark(CLAUSE_MARK, range.start)
                }
                Event::HardBreak => block.mark(SENTENCE_MARK, range.start),
                Event::Rule => self.flush(&mut block, lists > 0),
                _ => {}
            }
        }
        self.flush(&mut block, lists > 0);
    }

    /// Scans a finished block (in sections 一 to 四, or before them) and
    /// empties it.
    fn flush(&mut self, block: &mut Block, in_list: bool) {
        if block.text.is_empty() {
            return;
        }
        #[cfg(test)]
        self.flushed.push((
            block.text.clone(),
            block.runs.clone(),
            in_list,
            self.heading_requests,
            self.para_requests,
        ));
        let start = block.body_at(0);
        let section = self.sections.iter().rev().find(|(at, _)| *at <= start).map(|&(_, i)| i);
        if section.is_none_or(|i| i <= 3) {
            let requests = self.heading_requests || (in_list && self.para_requests);
            self.scan(block, requests, section == Some(3));
        }
        if !in_list {
            self.para_requests = holds_requests(&block.text);
        }
        block.clear();
    }

    /// Finds the figures of one block, sentence by sentence and clause by
    /// clause, and compares those that may be compared. Only the sentences
    /// with a count are cut into clauses and matched; what stands around the
    /// phrasings is read only up to the last of them.
    fn scan(&mut self, block: &Block, requests: bool, section_4: bool) {
        let s = block.text.as_str();
        // Most blocks hold no count: two vectorised searches spare them
        // the pass over their sentences.
        if !holds_piece_or_case(s) {
            return;
        }
        let (sentences, counts) = sentences(s);
        if !counts.iter().any(|&c| c) {
            return;
        }
        // The clauses of the sentences with a count: (sentence, range,
        // candidates, the phrasing found).
        let mut clauses: Vec<(usize, Range<usize>, Candidates, Option<Statement>)> = Vec::new();
        let mut last = None;
        for (n, sentence) in sentences.iter().enumerate() {
            if !counts[n] {
                continue;
            }
            let mut issued_before = false;
            let cut = |i: usize, c: char| ends_clause(c) && !thousands(s, i, c);
            for (clause, may_be) in Candidates::of_clauses(s, sentence.clone(), cut) {
                let found = self.statement(&s[clause.clone()], may_be, issued_before);
                issued_before = found.as_ref().is_some_and(|f| matches!(f.0.target, Target::Issued(_)));
                if found.is_some() {
                    last = Some(clauses.len());
                }
                clauses.push((n, clause, may_be, found));
            }
        }
        let Some(last) = last else {
            return;
        };
        let first_clause = pieces(s, sentences[0].clone(), ends_clause).next();
        if first_clause.is_some_and(|c| self.names_another_year(&s[c])) {
            // `2022年，…` opening the block: all of it is about that year.
            return;
        }
        let mut state = State {
            requests,
            whole: false,
            narrowed: false,
            of_before: false,
        };
        let mut next = 0;
        for (n, sentence) in sentences.iter().enumerate().take(clauses[last].0 + 1) {
            let text = &s[sentence.clone()];
            if clauses.get(next).is_none_or(|c| c.0 != n) {
                // A sentence without a count: whether it names requests, and
                // whether it ends on the whole of them (`全部办结。其中…`).
                let ends = last_piece(s, sentence.clone(), ends_clause).map(|c| &s[c]);
                state.whole = ends.is_some_and(|c| self.whole(c, Candidates::of(c)) == Some(true));
                state.requests |= holds_requests(text);
                continue;
            }
            let mut facts = LazyFacts {
                sentence: text,
                section_4,
                facts: None,
            };
            (state.narrowed, state.of_before) = (false, false);
            while let Some((_, clause, may_be, found)) = clauses.get(next).filter(|c| c.0 == n && next <= last) {
                next += 1;
                self.clause(&mut state, &mut facts, block, clause.clone(), *may_be, found.as_ref());
            }
        }
    }

    /// One clause of a sentence with a count: a phrasing compared when it
    /// may be, or what the clause says about those after it.
    fn clause(
        &mut self,
        st: &mut State,
        facts: &mut LazyFacts,
        block: &Block,
        clause: Range<usize>,
        may_be: Candidates,
        found: Option<&Statement>,
    ) {
        let c = &block.text[clause.clone()];
        let mut of_now = false;
        if c == "其中" {
            of_now = true;
        } else if let Some((phrase, caps, figure)) = found {
            if caps.year.is_some_and(|y| y != self.r.year) {
                (st.narrowed, st.whole) = (true, false);
            } else {
                let facts = facts.get();
                let compared = !st.narrowed
                    && !facts.qualified
                    && caps.next_year.is_none_or(|y| Some(y) == self.r.year.checked_add(1))
                    && match phrase.needs {
                        Needs::Nothing => true,
                        Needs::Requests => st.requests && !facts.documents,
                        Needs::Disclosure => facts.disclosure,
                    }
                    && (!(caps.of || st.of_before) || st.whole);
                if compared {
                    let figure = clause.start + figure.start..clause.start + figure.end;
                    self.compare(phrase.target, facts.inclusive, c, *caps, block, figure);
                }
                if !st.narrowed && matches!(phrase.target, Target::New | Target::Received | Target::CarriedOver) {
                    st.whole = true;
                }
            }
        } else if let Some(this_year) = self.whole(c, may_be) {
            if !this_year {
                (st.narrowed, st.whole) = (true, false);
            } else if !st.narrowed {
                st.whole = true;
            }
        } else if self.narrows(c, may_be) {
            (st.narrowed, st.whole) = (true, false);
        }
        st.of_before = of_now;
        if may_be.requests() {
            st.requests = true;
        }
    }

    /// Whether `c` names the whole of the requests (`办结509件`, `全部办结`):
    /// `Some(true)` for this year's, `Some(false)` for another year's.
    fn whole(&self, c: &str, may_be: Candidates) -> Option<bool> {
        WHOLE.iter().enumerate().find_map(|(i, parts)| {
            let mut caps = Caps::default();
            (may_be.whole(i) && matches(parts, c, &mut caps)).then(|| caps.year.is_none_or(|y| y == self.r.year))
        })
    }

    /// Whether a clause opening a block only names another year
    /// (`2022年`, `上年度`): the block is about that year.
    fn names_another_year(&self, c: &str) -> bool {
        match year(c) {
            Some((len, y)) => len == c.len() && y != self.r.year,
            None => ["上年度", "上年", "去年", "上一年度", "上一年", "前年"].contains(&c),
        }
    }

    /// The phrasing `c` is, if it is one, what it found, and where its
    /// figure is in `c`. The agency's own name may stand where `本局` does.
    fn statement(&self, c: &str, may_be: Candidates, issued_before: bool) -> Option<Statement> {
        // Every phrasing has a figure counted in 件 or 起, and is short.
        if c.len() > 200 || !may_be.count() {
            return None;
        }
        // The phrasings the clause may be, walked again (not collected) for
        // the agency's name.
        let phrases = || {
            (PHRASES.iter().enumerate().filter(move |&(i, _)| may_be.phrase(i)))
                .chain(
                    ISSUED_TOO
                        .iter()
                        .enumerate()
                        .filter(move |&(i, _)| issued_before && may_be.issued_too(i)),
                )
                .map(|(_, p)| p)
        };
        let mut any = false;
        for phrase in phrases() {
            any = true;
            let mut caps = Caps::default();
            if matches(phrase.parts, c, &mut caps) {
                let (a, b, _) = caps.num?;
                return Some((phrase, caps, a..b));
            }
        }
        if !any {
            return None;
        }
        // The agency's own name where `本局` would stand.
        let agency = self.r.agency.as_str();
        let at = find(c, agency).filter(|&at| {
            let before = &c[..at];
            !agency.is_empty()
                && (before.is_empty()
                    || TIME.contains(&before)
                    || year(before).is_some_and(|(len, _)| len == before.len()))
        })?;
        let text = format!("{}{}", &c[..at], &c[at + agency.len()..]);
        let shift = |i: usize| if i >= at { i + agency.len() } else { i };
        for phrase in phrases() {
            let mut caps = Caps::default();
            if matches(phrase.parts, &text, &mut caps) {
                let (a, b, _) = caps.num?;
                return Some((phrase, caps, shift(a)..shift(b)));
            }
        }
        None
    }

    /// Whether a clause that is no phrasing narrows the rest of its sentence
    /// to something else than the reporting year's whole: another year (not
    /// in a comparison), a part of the year, a part of the applicants or the
    /// body, a topic (`涉及…`, `…中`), or a count that is not a break-down of
    /// the results.
    fn narrows(&self, c: &str, may_be: Candidates) -> bool {
        let y = self.r.year;
        let found = marks(c);
        if found & M_COMPARISON == 0 {
            if found & M_OTHER_TIME != 0 && !has(c, "结转") {
                return true;
            }
            if years(c).any(|v| v != y && !(Some(v) == y.checked_add(1) && has(c, "结转"))) {
                return true;
            }
        }
        found & (M_PERIOD | M_PART_OF) != 0 || c.ends_with('中') || (may_be.count() && found & M_BREAKDOWN == 0)
    }
}

#[cfg(test)]
#[path = "narrative_figures/tests.rs"]
mod tests;
