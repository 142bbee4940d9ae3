//! Site search: a static index under `search/` that the page `/search/`
//! (`search.html`, `static/search.js`) queries in the browser, with no server.
//! Documents are the published reports (title, agency, year and region, the
//! narrative with its section headings; numbers in the narrative are left
//! out) and the ordinary pages (title, body). Text is segmented at build time
//! with jieba-rs in search mode (`cut_for_search`, without the HMM, so every
//! term is a dictionary word, a run of Latin letters and digits, or a single
//! character), plus the longer dictionary words inside a word; full-width
//! forms folded, ASCII lower-cased.
//!
//! The browser cannot run jieba, so `meta.json` ships the vocabulary (every
//! indexed term) and the script segments the query against it by maximum
//! matching, forward and backward, keeping both readings where they differ.
//! That is compatible with the build: a word that a document spells out is
//! one of its jieba tokens or a dictionary word inside one, so it is in the
//! vocabulary, and maximum matching returns it whole. A character n-gram
//! index, the alternative that needs no vocabulary, was not used: bigrams
//! (plus unigrams for one-character queries) make about three times the
//! postings of words, and bigrams match across word boundaries (市长 in
//! 城市长远); the vocabulary costs far less. `docs/search.md` has the
//! details and the sizes.
//!
//! Output: `search/meta.json` (documents, vocabulary, shard table) and
//! `search/t/<nn>.json` (the posting lists of a contiguous range of terms,
//! delta-encoded in letters, see [`encode_list`]). A query fetches
//! `meta.json` and the shards of its terms only. The output is
//! deterministic: documents are numbered in portal order (reports by agency
//! slug and year, then pages by path) and terms are sorted by their UTF-8
//! bytes.

use std::borrow::Cow;
use std::sync::OnceLock;

use jieba_rs::Jieba;
use pulldown_cmark::{Event, Options, Parser, TagEnd};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use serde_json::{json, Value};

use crate::outputs::{Change, Cost, Cx, Output, Rendered};
use crate::portal::Portal;
use crate::report::Report;
use crate::urls::{self, PageKey};
use crate::Error;

/// The folder of the index in the output.
pub const DIR: &str = urls::SEARCH;
/// The version of the index format (`meta.json` `version`); the script
/// refuses an index of another version.
pub const FORMAT: u32 = 1;
/// A shard is closed once its posting lists reach this many bytes.
const SHARD_BYTES: usize = 32 * 1024;
/// Longer tokens (runs of Latin letters and digits) are not indexed.
const MAX_TERM_CHARS: usize = 32;

/// The one segmenter of the process (loading the dictionary takes a while).
fn jieba() -> &'static Jieba {
    static J: OnceLock<Jieba> = OnceLock::new();
    J.get_or_init(Jieba::new)
}

/// Folds full-width ASCII forms (ＡＢＣ１２３) to ASCII and the ideographic
/// space to a space. The script folds the query the same way; every change
/// keeps the length in UTF-16 units, so the script can fold page text too.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // Copy the runs between foldable characters whole.
    while let Some(at) = rest.find(|c: char| matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}')) {
        out.push_str(&rest[..at]);
        let c = rest[at..].chars().next().expect("found a character there");
        out.push(match c {
            '\u{3000}' => ' ',
            c => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        });
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// The terms of `text`, as the index stores them (see [`each_term`]): words
/// that hold a letter (any script; Han characters are letters), ASCII
/// lower-cased; with `numbers`, also words of digits only (for titles and
/// years). Repeated terms are repeated.
pub fn terms(text: &str, numbers: bool) -> Vec<String> {
    let text = fold(text);
    let mut out = Vec::new();
    each_term(&text, numbers, |w| out.push(w.to_ascii_lowercase()));
    out
}

/// Calls `f` with each term of the folded `text`, before lower-casing.
/// Besides jieba's search mode (its words, and the two- and three-character
/// dictionary words inside them), the longer dictionary words inside a word
/// (中华人民共和国 in 中华人民共和国政府), so that a query for any dictionary
/// word a document spells out finds it.
fn each_term<'a>(folded: &'a str, numbers: bool, mut f: impl FnMut(&'a str)) {
    let j = jieba();
    let mut keep = |w: &'a str| {
        if is_term(w, numbers) {
            f(w);
        }
    };
    for token in j.cut_for_search(folded, false) {
        let w = token.word;
        keep(w);
        let len = token.end - token.start;
        if len > 4 && len <= MAX_TERM_CHARS && !w.is_ascii() {
            // Byte offsets of the characters (at most MAX_TERM_CHARS + 1).
            let mut bounds = [0usize; MAX_TERM_CHARS + 1];
            for (k, (i, _)) in w.char_indices().enumerate() {
                bounds[k] = i;
            }
            bounds[len] = w.len();
            for a in 0..len {
                for b in a + 4..=len {
                    if b - a < len && j.has_word(&w[bounds[a]..bounds[b]]) {
                        keep(&w[bounds[a]..bounds[b]]);
                    }
                }
            }
        }
    }
}

/// Whether the word `w` is indexed: it holds a letter (any script; Han
/// characters are letters), or with `numbers` a digit; it holds no
/// whitespace; it has at most [`MAX_TERM_CHARS`] characters. One pass, with
/// Han characters tested first: they skip the slow Unicode table lookups
/// for nearly every word.
fn is_term(w: &str, numbers: bool) -> bool {
    let mut letter = false;
    for (n, c) in w.chars().enumerate() {
        if n >= MAX_TERM_CHARS {
            return false;
        }
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            letter = true;
        } else if c.is_whitespace() {
            return false;
        } else if !letter {
            letter = if numbers {
                c.is_alphanumeric()
            } else {
                c.is_alphabetic()
            };
        }
    }
    letter
}

/// The text of a Markdown body: text and code, blocks separated by newlines;
/// raw HTML, link targets and images' addresses left out.
pub fn markdown_text(md: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(md.len());
    for event in Parser::new_ext(md, options) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// Adds one document's distinct terms to `postings`: `d` to the list of
/// each, and to its head list when the term occurs in the title, the
/// agency's name or the year (which rank first).
fn add_document(postings: &mut Postings, d: u32, head: &[&str], body: &[&str]) {
    let head: Vec<String> = head.iter().map(|t| fold(t)).collect();
    let body: Vec<String> = body.iter().map(|t| fold(t)).collect();
    // Most words repeat: collect borrowed words first, own only new terms.
    let mut seen: FxHashMap<Cow<str>, bool> = FxHashMap::with_capacity_and_hasher(512, Default::default());
    for h in &head {
        each_term(h, true, |w| {
            seen.insert(lower(w), true);
        });
    }
    for b in &body {
        each_term(b, false, |w| {
            seen.entry(lower(w)).or_insert(false);
        });
    }
    for (term, in_head) in seen {
        let lists = match postings.get_mut(term.as_ref()) {
            Some(lists) => lists,
            None => postings.entry(term.into_owned().into_boxed_str()).or_default(),
        };
        lists.0.push(d);
        if in_head {
            lists.1.push(d);
        }
    }
}

/// A term's posting lists: every document that holds it, and those that
/// hold it in the title, the agency's name or the year.
type Postings = FxHashMap<Box<str>, Lists>;
type Lists = (Vec<u32>, Vec<u32>);

/// ASCII lower case, copying only when there is an upper-case letter.
fn lower(w: &str) -> Cow<'_, str> {
    if w.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(w.to_ascii_lowercase())
    } else {
        Cow::Borrowed(w)
    }
}

fn add_report(postings: &mut Postings, d: u32, r: &Report) {
    let body = markdown_text(&r.body);
    let region = r.region.as_deref().unwrap_or("");
    add_document(
        postings,
        d,
        &[&r.title, &r.agency, &r.year.to_string()],
        &[region, &body],
    );
}

/// Loads jieba's dictionary now, on another thread, so that the index does
/// not wait for it later (the build calls this before checking).
pub fn warm_up() {
    std::thread::spawn(|| {
        jieba();
    });
}

/// The search index as an output of the build: one address,
/// [`PageKey::SearchIndex`], rendered into `meta.json` and its shards by
/// one parallel pass over the portal ([`Cost::Whole`]: it runs beside the
/// pages from the start).
#[derive(Default)]
pub struct SearchIndex;

impl Output for SearchIndex {
    fn name(&self) -> &'static str {
        "search index"
    }

    fn owns(&self, key: &PageKey) -> bool {
        *key == PageKey::SearchIndex
    }

    fn files(&self, portal: &Portal) -> Vec<PageKey> {
        if portal.site.config.outputs.search {
            vec![PageKey::SearchIndex]
        } else {
            Vec::new()
        }
    }

    fn render(&self, _key: &PageKey, cx: &Cx) -> Result<Vec<Rendered>, Error> {
        Ok(index_files(cx.portal))
    }

    fn cost(&self, _key: &PageKey) -> Cost {
        Cost::Whole
    }

    /// Every document is in the one index: any change touches it.
    fn touched(&self, _change: &Change, portal: &Portal) -> Vec<PageKey> {
        self.files(portal)
    }
}

/// The search index of the portal: `search/meta.json` and the shards
/// `search/t/<nn>.json`. See the module documentation and `docs/search.md`.
pub fn index_files(portal: &Portal) -> Vec<Rendered> {
    let n_reports = portal.reports.len();
    let n = n_reports + portal.pages.len();
    // Posting lists, built in parallel over runs of consecutive documents
    // (segmentation is the bulk of the work) and joined in order, so every
    // list comes out sorted. No document's term list is ever kept whole:
    // memory is the postings alone.
    // Runs of at least 1/64 of the documents: each run owns a copy of its
    // terms, so fewer, longer runs allocate less.
    let postings: Postings = (0..n)
        .into_par_iter()
        .with_min_len((n / 64).max(8))
        .fold(Postings::default, |mut acc, d| {
            match d.checked_sub(n_reports) {
                None => add_report(&mut acc, d as u32, portal.reports[d]),
                Some(p) => {
                    let page = portal.pages[p];
                    let body = markdown_text(&page.body);
                    add_document(&mut acc, d as u32, &[&page.title], &[&body]);
                }
            }
            acc
        })
        .reduce(Postings::default, join_postings);
    let mut vocab: Vec<(&str, &Lists)> = postings.iter().map(|(t, l)| (t.as_ref(), l)).collect();
    vocab.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let entries: Vec<String> = vocab
        .par_iter()
        .map(|&(_, (all, head))| encode_entry(all, head, n as u32))
        .collect();

    // Shards: consecutive terms, closed when they reach SHARD_BYTES.
    let mut starts: Vec<usize> = Vec::new();
    let mut size = 0;
    for (i, e) in entries.iter().enumerate() {
        if starts.is_empty() || size + e.len() + 3 > SHARD_BYTES {
            starts.push(i);
            size = 0;
        }
        size += e.len() + 3;
    }
    let width = shard_width(starts.len());
    let mut files: Vec<Rendered> = Vec::with_capacity(starts.len() + 1);
    let mut hash = Fnv::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(entries.len());
        let bytes = serde_json::to_vec(&entries[start..end]).expect("strings serialize");
        hash.write(&bytes);
        files.push(Rendered {
            path: format!("{}{}.json", urls::SEARCH_SHARDS, shard_name(k, width)),
            bytes,
        });
    }

    let mut terms = String::with_capacity(vocab.iter().map(|(t, _)| t.len() + 1).sum());
    for (i, (t, _)) in vocab.iter().enumerate() {
        if i > 0 {
            terms.push(' ');
        }
        terms.push_str(t);
    }
    let agencies: Vec<[&str; 2]> = portal
        .agencies
        .iter()
        .map(|a| [a.name.as_str(), a.slug.as_str()])
        .collect();
    let mut docs: Vec<Value> = Vec::with_capacity(n);
    for (i, r) in portal.reports.iter().enumerate() {
        let a = portal.agency_of[i];
        let mut d = vec![json!(a), json!(r.year)];
        let own_name = r.agency != portal.agencies[a].name;
        if r.title != Report::default_title(&r.agency, r.year) {
            d.push(json!(r.title));
        } else if own_name {
            d.push(json!(0));
        }
        if own_name {
            d.push(json!(r.agency));
        }
        docs.push(Value::Array(d));
    }
    for p in &portal.pages {
        // A URL for the script's links (percent-encoded, like every page link).
        docs.push(json!([urls::href(&urls::page(&p.path)), p.title]));
    }
    let meta = Meta {
        version: FORMAT,
        key: String::new(),
        docs: n,
        terms,
        shards: starts.iter().map(|&s| s as u32).collect(),
        shard_width: width,
        report_url: pattern(&urls::report(PLACEHOLDER, YEAR), "{slug}"),
        report_title: pattern(&Report::default_title(PLACEHOLDER, YEAR), "{agency}"),
        agencies,
        list: docs,
    };
    let body = serde_json::to_vec(&meta).expect("meta serializes");
    hash.write(&body);
    let meta = Meta {
        key: format!("{:016x}", hash.0),
        ..meta
    };
    files.push(Rendered {
        path: urls::SEARCH_META.to_string(),
        bytes: serde_json::to_vec(&meta).expect("meta serializes"),
    });
    files
}

/// Joins the postings of two runs of documents, `left` before `right`:
/// each of `right`'s lists is appended to (or, when the left map is the
/// smaller, put after) the same term's list of `left`.
fn join_postings(left: Postings, right: Postings) -> Postings {
    let (mut big, small, small_is_left) = if left.len() >= right.len() {
        (left, right, false)
    } else {
        (right, left, true)
    };
    for (term, (mut all, mut head)) in small {
        match big.get_mut(&term) {
            None => {
                big.insert(term, (all, head));
            }
            Some(lists) if small_is_left => {
                all.append(&mut lists.0);
                head.append(&mut lists.1);
                *lists = (all, head);
            }
            Some(lists) => {
                lists.0.append(&mut all);
                lists.1.append(&mut head);
            }
        }
    }
    big
}

/// `meta.json`.
#[derive(Serialize)]
struct Meta<'a> {
    /// [`FORMAT`].
    version: u32,
    /// A hash of the whole index: the script adds it to shard URLs, so a
    /// cached shard of an older build is never combined with a newer meta.
    key: String,
    /// How many documents (ids 0 … docs-1).
    docs: usize,
    /// Every term, sorted by UTF-8 bytes, separated by spaces; a term's id is
    /// its position.
    terms: String,
    /// The id of the first term of each shard.
    shards: Vec<u32>,
    /// Digits of a shard's base-36 file name (`t/07.json`).
    shard_width: usize,
    /// A report's URL, relative to the site root.
    report_url: String,
    /// A report's title when the document does not give one.
    report_title: String,
    /// `[name, slug]` of each agency.
    agencies: Vec<[&'a str; 2]>,
    /// One per document: a report is `[agency, year]`, with its title (or 0
    /// for the default title) and then its agency's name when they differ;
    /// a page is `[url, title]`.
    list: Vec<Value>,
}

const PLACEHOLDER: &str = "\u{1}";
const YEAR: i32 = 1999;

/// A URL or title made for [`PLACEHOLDER`] and [`YEAR`], as a pattern.
fn pattern(made: &str, name: &str) -> String {
    made.replace(PLACEHOLDER, name).replace(&YEAR.to_string(), "{year}")
}

fn shard_width(count: usize) -> usize {
    let mut width = 1;
    let mut cap = 36;
    while cap < count {
        width += 1;
        cap *= 36;
    }
    width.max(2)
}

/// A shard's file name: its number in base 36, zero-padded to `width`.
pub fn shard_name(k: usize, width: usize) -> String {
    let mut digits = Vec::new();
    let mut v = k;
    loop {
        digits.push(std::char::from_digit((v % 36) as u32, 36).expect("below 36"));
        v /= 36;
        if v == 0 {
            break;
        }
    }
    while digits.len() < width {
        digits.push('0');
    }
    digits.iter().rev().collect()
}

/// A term's entry in its shard: the documents that contain it, then, after
/// `|`, those whose title, agency or year contain it (omitted when none).
fn encode_entry(all: &[u32], head: &[u32], n: u32) -> String {
    let mut s = encode_list(all, n);
    if !head.is_empty() {
        s.push('|');
        s.push_str(&encode_list(head, n));
    }
    s
}

/// A sorted list of document ids, as the gaps between them (the first gap
/// counts from 0), each written in base 26 with letters: upper case for
/// every digit but the last, lower case for the last (0 = `a`, 27 = `Bb`).
/// The numbers need no separator and the text gzips well. When the list
/// holds most documents, the documents it lacks after `!`, if that is
/// shorter (`!` alone: every document).
pub fn encode_list(ids: &[u32], n: u32) -> String {
    let plain = gaps(ids.iter().copied());
    if ids.len() * 2 > n as usize {
        let mut present = ids.iter().copied().peekable();
        let absent = (0..n).filter(|&d| {
            if present.peek() == Some(&d) {
                present.next();
                false
            } else {
                true
            }
        });
        let negated = gaps(absent);
        if negated.len() < plain.len() {
            return format!("!{negated}");
        }
    }
    plain
}

fn gaps(ids: impl Iterator<Item = u32>) -> String {
    let mut out = String::new();
    let mut prev = 0;
    for d in ids {
        push_number(&mut out, d - prev);
        prev = d;
    }
    out
}

fn push_number(out: &mut String, mut v: u32) {
    let mut buf = [0u8; 8];
    let mut i = buf.len() - 1;
    buf[i] = b'a' + (v % 26) as u8;
    v /= 26;
    while v > 0 {
        i -= 1;
        buf[i] = b'A' + (v % 26) as u8;
        v /= 26;
    }
    out.push_str(std::str::from_utf8(&buf[i..]).expect("ASCII letters"));
}

/// Decodes [`encode_list`] (for tests and tools).
pub fn decode_list(s: &str, n: u32) -> Vec<u32> {
    let (negated, body) = match s.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let mut ids = Vec::new();
    let (mut prev, mut acc) = (0u32, 0u32);
    for b in body.bytes() {
        match b {
            b'A'..=b'Z' => acc = acc * 26 + u32::from(b - b'A'),
            b'a'..=b'z' => {
                prev += acc * 26 + u32::from(b - b'a');
                ids.push(prev);
                acc = 0;
            }
            _ => {}
        }
    }
    if negated {
        let mut absent = ids.into_iter().peekable();
        (0..n)
            .filter(|&d| {
                if absent.peek() == Some(&d) {
                    absent.next();
                    false
                } else {
                    true
                }
            })
            .collect()
    } else {
        ids
    }
}

/// FNV-1a, 64 bits: a stable hash for the cache key.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_round_trip() {
        let n = 40;
        for ids in [
            vec![],
            vec![0],
            vec![3, 4, 39],
            (0..40).collect(),
            (0..40).filter(|d| d % 7 != 0).collect(),
        ] {
            let s = encode_list(&ids, n);
            assert_eq!(decode_list(&s, n), ids, "{s}");
        }
        assert_eq!(encode_list(&[0, 1, 2, 40, 40 + 26 * 26 * 3 + 5], 10_000), "abbBmDAf");
        assert_eq!(encode_list(&(0..10).collect::<Vec<_>>(), 10), "!");
        assert_eq!(encode_list(&[0, 1, 2, 4, 5, 6, 7, 8, 9], 10), "!d");
        assert_eq!(
            decode_list(&encode_list(&[u32::MAX - 1], u32::MAX), u32::MAX),
            [u32::MAX - 1]
        );
    }

    #[test]
    fn folding_full_width_forms() {
        assert_eq!(fold("ＡＢＣ１２３，林业局　ok！"), "ABC123,林业局 ok!");
        assert_eq!(fold(""), "");
        assert_eq!(fold("无需折叠"), "无需折叠");
        assert_eq!(fold("　"), " ");
    }

    #[test]
    fn shard_names() {
        assert_eq!(shard_width(1), 2);
        assert_eq!(shard_width(1296), 2);
        assert_eq!(shard_width(1297), 3);
        assert_eq!(shard_name(7, 2), "07");
        assert_eq!(shard_name(36, 2), "10");
        assert_eq!(shard_name(35, 3), "00z");
    }

    #[test]
    fn terms_are_words_lowercased_without_numbers() {
        let t = terms("2023年，林业局新增主动公开政府信息407条，ＡＢＣ公司与WeChat", false);
        assert!(
            t.contains(&"林业".to_string()) && t.contains(&"林业局".to_string()),
            "{t:?}"
        );
        assert!(
            t.contains(&"abc".to_string()) && t.contains(&"wechat".to_string()),
            "{t:?}"
        );
        assert!(!t.iter().any(|w| w == "2023" || w == "407" || w == "，"), "{t:?}");
        let t = terms("《中华人民共和国政府信息公开条例》", false);
        assert!(t.contains(&"中华人民共和国".to_string()), "{t:?}");
        let t = terms("示例市2023年度报告", true);
        assert!(t.contains(&"2023".to_string()), "{t:?}");
    }

    #[test]
    fn markdown_text_keeps_words_apart() {
        let text = markdown_text("## 一、总体情况\n\n林业**工作**。[链接](http://x.cn/a)\n\n- 甲\n- 乙\n\n<b>殡葬</b>");
        assert!(text.contains("一、总体情况\n"), "{text:?}");
        assert!(text.contains("林业工作。链接"), "{text:?}");
        assert!(text.contains("甲\n乙"), "{text:?}");
        assert!(!text.contains("http") && !text.contains("<b>"), "{text:?}");
    }

    #[test]
    fn patterns() {
        assert_eq!(
            pattern(&urls::report(PLACEHOLDER, YEAR), "{slug}"),
            "reports/{slug}/{year}/"
        );
        assert_eq!(
            pattern(&Report::default_title(PLACEHOLDER, YEAR), "{agency}"),
            "{agency}{year}年政府信息公开工作年度报告"
        );
    }
}
