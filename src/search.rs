//! Site search: a static index under `search/` that the page `/search/`
//! (`search.html`, `static/search.js`) queries in the browser, with no server,
//! ranking by BM25. Documents are the published reports and the ordinary
//! pages, each with two fields: a meta field (a report's agency, year,
//! region and the words of its own title; a page's title), weighted above
//! any body hits by the script, and the body (a report's narrative without
//! the form's boilerplate: the official section titles and the labels of
//! tables 二/三/四, read from `report::labels`, see [`narrative_text`];
//! numbers in the body are left out; a page's text). Text is segmented at
//! build time with jieba-rs in search mode (`cut_for_search`, without the
//! HMM, so every term is a dictionary word, a run of Latin letters and
//! digits, or a single character), plus the longer dictionary words inside
//! a word; full-width forms folded, ASCII lower-cased. What BM25 needs and
//! the build knows is computed here: each term's document frequency and
//! counts per document (as levels, `tf_level`), each body's length and
//! the average length.
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
//! delta-encoded in letters with count levels, see [`encode_postings`]). A
//! query fetches `meta.json` and the shards of its terms only. The output is
//! deterministic: documents are numbered in portal order (reports by agency
//! slug and year, then pages by path) and terms are sorted by their UTF-8
//! bytes.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use jieba_rs::Jieba;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use serde_json::{json, Value};

use crate::outputs::{Change, Cost, Cx, Output, Rendered};
use crate::portal::Portal;
use crate::report::labels;
use crate::report::sections;
use crate::report::Report;
use crate::urls::{self, PageKey};
use crate::Error;

/// The folder of the index in the output.
pub const DIR: &str = urls::SEARCH;
/// The version of the index format (`meta.json` `version`); the script
/// refuses an index of another version.
pub const FORMAT: u32 = 3;
/// A shard is closed once its posting lists reach this many bytes.
const SHARD_BYTES: usize = 64 * 1024;
/// Longer tokens (runs of Latin letters and digits) are not indexed.
const MAX_TERM_CHARS: usize = 32;
/// A term's count in one field of one document is stored as a level: 1
/// (once), 2 (two or three times), 3 (four times or more). BM25 saturates
/// (4 occurrences score 77% of what infinitely many would at the average
/// length), and finer counts cost a third more index (docs/search.md).
fn tf_level(tf: u32) -> u8 {
    match tf {
        0 | 1 => 1,
        2 | 3 => 2,
        _ => 3,
    }
}

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
    fold_into(&mut out, text);
    out
}

/// Appends `text` folded ([`fold`]) to `out`. The foldable characters are
/// found by their UTF-8 bytes (U+FF01…U+FF5E is `EF BC 81`…`EF BD 9E`,
/// U+3000 is `E3 80 80`): their lead bytes `E3` and `EF` are looked for
/// eight at a time ([`next_e3_or_ef`]), and the runs between them are copied
/// whole.
fn fold_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    loop {
        i = next_e3_or_ef(bytes, i);
        if i >= bytes.len() {
            break;
        }
        let ascii = match bytes[i..] {
            // U+FF01…U+FF3F: ASCII 0x21…0x5F.
            [0xEF, 0xBC, b2 @ 0x81..=0xBF, ..] => b2 - 0x60,
            // U+FF40…U+FF5E: ASCII 0x60…0x7E.
            [0xEF, 0xBD, b2 @ 0x80..=0x9E, ..] => b2 - 0x20,
            [0xE3, 0x80, 0x80, ..] => b' ',
            _ => {
                // Another character of three bytes (、。《》, ＄ aside).
                i += 3;
                continue;
            }
        };
        out.push_str(&text[copied..i]);
        out.push(char::from(ascii));
        i += 3;
        copied = i;
    }
    out.push_str(&text[copied..]);
}

/// The offset of the first byte `E3` or `EF` in `bytes` from `i` on, or
/// `bytes.len()`. In UTF-8 they only lead characters of three bytes (a
/// continuation byte is below `C0`), so the offset is a character's. Eight
/// bytes are tested at once (a byte equal to `E3` is a zero byte of the
/// word xor `E3E3…`, which `x - 0101… & !x & 8080…` flags: only bytes above
/// a true zero can be flagged falsely, so the lowest flag is right): Chinese
/// text has one of them (、。，：（）) every few characters, and stepping
/// from character to character cost a branch or two per character.
fn next_e3_or_ef(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(word) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        let (a, b) = (w ^ (ONES * 0xE3), w ^ (ONES * 0xEF));
        let found = ((a.wrapping_sub(ONES) & !a) | (b.wrapping_sub(ONES) & !b)) & HIGH;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && bytes[i] != 0xE3 && bytes[i] != 0xEF {
        i += 1;
    }
    i
}

/// The terms of `text`, as the index stores them (see `each_term`): words
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

/// One document's fields, as text: `meta` (title words, agency name, year,
/// region: what names the document) and `body` (the narrative, boilerplate
/// left out; a page's text), folded already ([`fold`]). `skip` are terms
/// never indexed in `meta` (the words of the default title, which every
/// report carries).
struct Fields<'a> {
    meta: &'a [&'a str],
    skip: &'a [String],
    body: &'a str,
}

/// How many ways the lexicon's maps are split, each behind its own lock.
const LEXICON_SHARDS: usize = 16;
/// Chunks of text longer than this (in bytes) are segmented without being
/// remembered: they are rarely repeated.
const CHUNK_CACHE_BYTES: usize = 256;

/// The terms of one index build, shared by its threads: each term's id
/// (numbered as first seen), and the term ids of each distinct chunk of
/// body text already segmented. Narratives repeat their phrases across
/// reports and years (the form's stock sentences, an agency's boilerplate),
/// so most chunks are segmented once (jieba's segmentation was most of the
/// index's CPU time), and a term is hashed as a string only the first time
/// its chunk is seen.
struct Lexicon {
    next: AtomicU32,
    ids: [Mutex<FxHashMap<Box<str>, u32>>; LEXICON_SHARDS],
    chunks: [Shard; LEXICON_SHARDS],
}

/// A lock of the chunk map on a cache line of its own: the threads take
/// one at every chunk, and neighbouring locks on one line would make the
/// cores pass that line back and forth.
#[derive(Default)]
#[repr(align(64))]
struct Shard(Mutex<ChunkTerms>);

/// The term ids of each distinct chunk of text, in order, by the chunk's
/// hash ([`Lexicon::hash`]): a chunk's text is hashed once, for its shard
/// and its place in the map, and the map hashes only that number.
type ChunkTerms = FxHashMap<u64, Chunk>;

/// A chunk of text and its term ids, then any other chunk of the same hash.
struct Chunk {
    text: Box<str>,
    ids: Box<[u32]>,
    next: Option<Box<Chunk>>,
}

impl Chunk {
    /// The ids of `text`, if it is this chunk or one after it.
    fn find(&self, text: &str) -> Option<&[u32]> {
        let mut c = self;
        loop {
            if *c.text == *text {
                return Some(&c.ids);
            }
            c = c.next.as_deref()?;
        }
    }
}

impl Lexicon {
    fn new() -> Lexicon {
        Lexicon {
            next: AtomicU32::new(0),
            ids: std::array::from_fn(|_| Mutex::default()),
            chunks: std::array::from_fn(|_| Shard::default()),
        }
    }

    fn hash(key: &str) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one(key)
    }

    fn shard(key: &str) -> usize {
        (Self::hash(key) as usize) % LEXICON_SHARDS
    }

    /// The id of `term` (lower-cased already).
    fn id(&self, term: &str) -> u32 {
        let mut ids = lock(&self.ids[Self::shard(term)]);
        if let Some(&id) = ids.get(term) {
            return id;
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        ids.insert(term.into(), id);
        id
    }

    /// Appends the ids of the body terms of `chunk` (a piece of folded text
    /// between separators, see [`each_chunk`]) to `out`, in order.
    fn chunk_terms(&self, chunk: &str, out: &mut Vec<u32>) {
        if chunk.len() > CHUNK_CACHE_BYTES {
            each_term(chunk, false, |w| out.push(self.id(&lower(w))));
            return;
        }
        let hash = Self::hash(chunk);
        // The map's own hash of `hash` takes its low bits: the shard takes
        // high ones.
        let shard = &self.chunks[(hash >> 56) as usize % LEXICON_SHARDS].0;
        if let Some(ids) = lock(shard).get(&hash).and_then(|c| c.find(chunk)) {
            out.extend_from_slice(ids);
            return;
        }
        let from = out.len();
        each_term(chunk, false, |w| out.push(self.id(&lower(w))));
        let new = Chunk {
            text: chunk.into(),
            ids: out[from..].into(),
            next: None,
        };
        let mut map = lock(shard);
        match map.entry(hash) {
            Entry::Vacant(v) => {
                v.insert(new);
            }
            Entry::Occupied(mut o) => {
                // Another thread may have put it there meanwhile.
                if o.get().find(chunk).is_none() {
                    let first = o.get_mut();
                    let rest = first.next.take();
                    first.next = Some(Box::new(Chunk { next: rest, ..new }));
                }
            }
        }
    }

    /// How many terms have an id so far.
    fn len(&self) -> usize {
        self.next.load(Ordering::Relaxed) as usize
    }

    /// Every term, by id.
    fn into_terms(self) -> Vec<Box<str>> {
        let mut terms: Vec<Box<str>> = vec![Box::from(""); self.next.into_inner() as usize];
        for shard in self.ids {
            for (term, id) in shard.into_inner().unwrap_or_else(PoisonError::into_inner) {
                terms[id as usize] = term;
            }
        }
        terms
    }
}

/// Locks `m`; a thread that panicked while holding it left a usable map.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Whether jieba keeps `c` in a block of Han and Latin text (its
/// `RE_HAN_DEFAULT` outside the Han ranges): ASCII letters and digits and
/// the connectors `+#&._%-`.
fn is_ascii_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '#' | '&' | '.' | '_' | '%' | '-')
}

/// Calls `f` with the chunks of the folded `text` that can hold body terms,
/// cut where jieba's segmentation is cut anyway, so that segmenting each
/// chunk on its own gives the terms of segmenting the whole text:
///
/// - at a character that is neither alphanumeric (in any script) nor
///   ASCII-word ([`is_ascii_word`]): punctuation, white space, symbols. Jieba
///   makes such a character a token of its own, never a term;
/// - around a run of ASCII digits between characters that are not
///   ASCII-word (`信息407条`): jieba's dictionary path cannot cross it, as
///   no dictionary word holds a digit next to a Han character except the
///   few checked here ([`digits_stand_alone`]), and digits alone are not a
///   body term. Numbers are what differ between otherwise equal phrases.
fn each_chunk<'a>(text: &'a str, mut f: impl FnMut(&'a str)) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut prev_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() && !prev_word {
            let mut end = i + 1;
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
            }
            let next_word = text[end..].chars().next().is_some_and(is_ascii_word);
            if !next_word && digits_stand_alone(text, i, end) {
                if start < i {
                    f(&text[start..i]);
                }
                start = end;
            }
            // The digits are ASCII-word, but what follows is not (or the
            // run was kept in its chunk).
            prev_word = next_word;
            i = end;
            continue;
        }
        // Han characters first: nearly every character is one.
        if han_at(bytes, i) {
            prev_word = false;
            i += 3;
            // The run of Han characters that follows, in a loop of its own.
            while han_at(bytes, i) {
                i += 3;
            }
            continue;
        }
        let c = text[i..].chars().next().expect("a character boundary");
        let len = c.len_utf8();
        if b.is_ascii() {
            prev_word = is_ascii_word(c);
            if !prev_word {
                if start < i {
                    f(&text[start..i]);
                }
                start = i + len;
            }
        } else {
            prev_word = false;
            if !('\u{4E00}'..='\u{9FFF}').contains(&c) && !is_alphanumeric(c) {
                if start < i {
                    f(&text[start..i]);
                }
                start = i + len;
            }
        }
        i += len;
    }
    if start < bytes.len() {
        f(&text[start..]);
    }
}

/// Whether a character U+4E00…U+9FFF starts at `bytes[i]`: U+5000…U+9FFF
/// are the three-byte characters led by E5…E9, U+4E00…U+4FFF those led by
/// E4 B8…E4 BF.
#[inline(always)]
fn han_at(bytes: &[u8], i: usize) -> bool {
    match bytes.get(i) {
        Some(0xE5..=0xE9) => true,
        Some(0xE4) => bytes.get(i + 1).is_some_and(|&b1| b1 >= 0xB8),
        _ => false,
    }
}

/// `c.is_alphanumeric()` for a character that is not ASCII, with the
/// punctuation of Chinese text (“”—…, 、。《》「」【】, ·) answered without
/// Unicode's tables: the ranges below hold no letter and no number (a unit
/// test checks each of their characters).
fn is_alphanumeric(c: char) -> bool {
    !matches!(c, '\u{B7}' | '\u{2010}'..='\u{205E}' | '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}')
        && c.is_alphanumeric()
}

/// Whether no dictionary word crosses either end of the digits
/// `text[from..to]` (a word of up to four characters holding one of the
/// digits and a character next to the run: 1号店 is such a word).
fn digits_stand_alone(text: &str, from: usize, to: usize) -> bool {
    let j = jieba();
    // Words ending in the run, starting up to three characters before it.
    let mut a = from;
    for c in text[..from].chars().rev().take(3) {
        a -= c.len_utf8();
        if j.has_word(&text[a..to]) {
            return false;
        }
    }
    // Words starting at the run's last digit (or its first, once when they
    // are the same), ending up to three characters after it. The digits are
    // ASCII: the last is the byte before `to`.
    let last = to - 1;
    let starts = if last == from { &[from][..] } else { &[from, last][..] };
    for &a in starts {
        let mut b = to;
        for c in text[to..].chars().take(3) {
            b += c.len_utf8();
            if j.has_word(&text[a..b]) {
                return false;
            }
        }
    }
    true
}

/// Adds one document to `acc`: each distinct term's count in the body and
/// in the meta field, and the body's length in terms.
fn add_document(acc: &mut Acc, lex: &Lexicon, d: u32, fields: Fields<'_>) {
    let meta = &mut acc.meta_scratch;
    meta.clear();
    for m in fields.meta {
        each_term(&fold(m), true, |w| {
            let w = lower(w);
            if !fields.skip.iter().any(|s| *s == w) {
                meta.push(lex.id(&w));
            }
        });
    }
    let body_terms = &mut acc.scratch;
    body_terms.clear();
    each_chunk(fields.body, |chunk| lex.chunk_terms(chunk, body_terms));
    acc.lens.push((d, body_terms.len() as u32));
    // Count by term id in a table as long as the lexicon (zero between
    // documents), noting each term the first time it is counted: no sort,
    // and one look at the postings per distinct term. Every id so far is
    // below `lex.len()`, so the table is grown once, before counting. The
    // table and the list are taken out of `acc` for the loops: as locals,
    // their pointers stay in registers (a push to a field of `acc` could
    // change any other field, for all the compiler knows).
    let mut counts = std::mem::take(&mut acc.counts);
    let mut touched = std::mem::take(&mut acc.touched);
    if counts.len() < lex.len() {
        counts.resize(lex.len(), [0; 2]);
    }
    for (field, ids) in [&acc.scratch, &acc.meta_scratch].into_iter().enumerate() {
        for &id in ids {
            let count = &mut counts[id as usize];
            if *count == [0; 2] {
                touched.push(id);
            }
            count[field] += 1;
        }
    }
    let postings = &mut acc.postings;
    if postings.len() < counts.len() {
        postings.resize_with(counts.len(), Lists::default);
    }
    for &id in &touched {
        let [in_body, in_meta] = std::mem::take(&mut counts[id as usize]);
        let lists = &mut postings[id as usize];
        if in_body > 0 {
            lists.body.push(d, in_body);
        }
        if in_meta > 0 {
            lists.meta.push(d, in_meta);
        }
    }
    touched.clear();
    acc.counts = counts;
    acc.touched = touched;
}

/// What a run of documents adds to the index: every term's postings, and
/// each document's body length (in terms).
#[derive(Default)]
struct Acc {
    postings: Postings,
    lens: Vec<(u32, u32)>,
    /// A document's body terms, kept to reuse the allocation.
    scratch: Vec<u32>,
    /// A report's narrative, kept to reuse the allocation.
    text: String,
    /// A document's meta terms, likewise.
    meta_scratch: Vec<u32>,
    /// The counts of each term id (body, meta) in the document being
    /// added; all zero between documents.
    counts: Vec<[u32; 2]>,
    /// The ids counted in the document being added, each once.
    touched: Vec<u32>,
}

/// The postings of every term, by term id ([`Lexicon`]); a term that the
/// run's documents lack has two empty lists.
type Postings = Vec<Lists>;

/// A term's postings in the two fields.
#[derive(Default)]
struct Lists {
    body: List,
    meta: List,
}

impl Lists {
    fn is_empty(&self) -> bool {
        self.body.docs.is_empty() && self.meta.docs.is_empty()
    }
}

/// Documents in increasing order, each with the level of the term's count
/// in the field ([`tf_level`]).
#[derive(Default)]
struct List {
    docs: Vec<u32>,
    tfs: Vec<u8>,
}

impl List {
    fn push(&mut self, d: u32, tf: u32) {
        self.docs.push(d);
        self.tfs.push(tf_level(tf));
    }

    /// Puts `other`'s documents after this list's (taking its allocation
    /// when this one is empty).
    fn append(&mut self, other: &mut List) {
        if self.docs.is_empty() {
            std::mem::swap(self, other);
        } else {
            self.docs.append(&mut other.docs);
            self.tfs.append(&mut other.tfs);
        }
    }
}

/// ASCII lower case, copying only when there is an upper-case letter.
fn lower(w: &str) -> Cow<'_, str> {
    if w.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(w.to_ascii_lowercase())
    } else {
        Cow::Borrowed(w)
    }
}

fn add_report(acc: &mut Acc, lex: &Lexicon, d: u32, r: &Report) {
    let mut body = std::mem::take(&mut acc.text);
    body.clear();
    narrative_into(&r.body, &mut body, true);
    let region = r.region.as_deref().unwrap_or("");
    let year = r.year.to_string();
    // A report's own title counts for the words the default title does not
    // have (its agency and year are indexed from their own fields).
    let title = if r.title == Report::default_title(&r.agency, r.year) {
        ""
    } else {
        r.title.as_str()
    };
    add_document(
        acc,
        lex,
        d,
        Fields {
            meta: &[title, &r.agency, &year, region],
            skip: default_title_terms(),
            body: &body,
        },
    );
    acc.text = body;
}

/// The terms of the default title without its agency and year
/// (政府, 信息, 公开, 工作, 年度, 报告, …): every report carries them, so a
/// report's own title is not indexed under them.
fn default_title_terms() -> &'static [String] {
    static T: OnceLock<Vec<String>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = terms(&Report::default_title("", YEAR).replace(&YEAR.to_string(), " "), false);
        t.sort();
        t.dedup();
        t
    })
}

/// The text of a report's narrative without the form's boilerplate: a
/// block (heading, paragraph, list item, table cell) whose whole text is an
/// official section title or table label (`is_boilerplate`) is left out,
/// and a heading that opens with an official section title keeps only what
/// follows it. Raw HTML, link targets and image addresses are left out, as
/// in [`markdown_text`].
pub fn narrative_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    narrative_into(md, &mut out, false);
    out
}

/// Writes [`narrative_text`] to `out`, folded ([`fold`]) when `folded`
/// (the index folds it anyway: this spares a copy of the whole text).
/// Markdown is read with the options of [`sections::blocks`], and a
/// heading's text is what `blocks` gives: its text and code, trimmed.
///
/// A plain body (paragraphs and `#` headings without inline Markdown, as
/// nearly every report's) is read line by line ([`sections::plain_lines`]),
/// which gives the same text as the parser without it (a third of the
/// index's reading of a body).
fn narrative_into(md: &str, out: &mut String, folded: bool) {
    // A block's text, unfolded: `is_boilerplate` weighs it as written.
    let mut block = String::new();
    let flush = |block: &mut String, out: &mut String| {
        if !block.trim().is_empty() && !is_boilerplate(block) {
            if folded {
                fold_into(out, block);
            } else {
                out.push_str(block);
            }
            out.push('\n');
        }
        block.clear();
    };
    let before = out.len();
    // In a paragraph: its lines are joined by line breaks.
    let mut open = false;
    let plain = sections::plain_lines(md, |_, line| match line {
        sections::PlainLine::Text(text) => {
            if open {
                block.push('\n');
            }
            block.push_str(text);
            open = true;
        }
        sections::PlainLine::Blank => {
            flush(&mut block, out);
            open = false;
        }
        sections::PlainLine::Heading(text) => {
            flush(&mut block, out);
            block.push_str(strip_section_title(text));
            flush(&mut block, out);
            open = false;
        }
    });
    if plain {
        flush(&mut block, out);
        return;
    }
    out.truncate(before);
    block.clear();
    let mut flush = |block: &mut String| flush(block, out);
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(md, sections::MARKDOWN_OPTIONS) {
        if let Some(text) = &mut heading {
            match event {
                Event::End(TagEnd::Heading(_)) => {
                    flush(&mut block);
                    block.push_str(strip_section_title(text.trim()));
                    flush(&mut block);
                    heading = None;
                }
                Event::Text(t) | Event::Code(t) => text.push_str(&t),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => block.push_str(&t),
            Event::SoftBreak | Event::HardBreak => block.push('\n'),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => flush(&mut block),
            _ => {}
        }
    }
    flush(&mut block);
}

/// A heading's text without an official section title it opens with
/// (`四、政府信息公开行政复议、行政诉讼情况` gives ``; a heading of the
/// author's own words is kept whole).
fn strip_section_title(text: &str) -> &str {
    for title in labels::SECTIONS {
        if let Some(rest) = text.trim().strip_prefix(title) {
            return rest;
        }
    }
    text
}

/// Whether `text` is, whole, an official section title or a label of the
/// tables 二, 三 or 四 (enumeration, white space and closing punctuation
/// aside): the form's own words, which every report carries.
fn is_boilerplate(text: &str) -> bool {
    let known = boilerplate();
    // A normalized label ends in the text's last character that is not
    // white space or closing punctuation (folded): when no label ends in
    // it, as for nearly every paragraph of prose, the text is no label, told
    // from its last characters alone.
    if !last_label_char(text).is_some_and(|c| known.last_chars.contains(&c)) {
        return false;
    }
    // Likewise its first character, once the enumeration is cut.
    if !first_label_char(text).is_some_and(|c| known.first_chars.contains(&c)) {
        return false;
    }
    // A paragraph of prose is far longer than any label: tell without
    // allocating (folding makes a full-width form of 3 bytes 1 byte).
    let bytes = text.bytes().filter(|b| !b.is_ascii_whitespace()).count();
    bytes <= 3 * known.longest + 8 && known.labels.contains(normalize_label(text).as_str())
}

/// The last character of [`normalize_label`]`(text)` when that is not
/// empty: the last character of `text`, folded, that is neither white
/// space nor closing punctuation (what `normalize_label` removes at the
/// end; the enumeration it cuts at the start is before it). `None` when
/// there is none (the label is empty).
fn last_label_char(text: &str) -> Option<char> {
    text.chars()
        .rev()
        .map(fold_char)
        .find(|&c| !c.is_whitespace() && !CLOSING.contains(&c))
}

/// The first character of [`normalize_label`]`(text)` when that is not
/// empty: the first character of `text`, folded and without white space,
/// after the enumeration that `normalize_label` cuts, read as it reads it
/// (`(`, numerals, `)`; then numerals and `、` or `.`).
fn first_label_char(text: &str) -> Option<char> {
    let mut s = text.chars().map(fold_char).filter(|c| !c.is_whitespace());
    // (一) or (1): `normalize_label` cuts up to the first `)` when all
    // before it are numerals, at least one.
    let mut probe = s.clone();
    if probe.next() == Some('(') {
        let (numerals, next) = skip_numerals(&mut probe);
        if numerals > 0 && next == Some(')') {
            s = probe;
        }
    }
    // 一、 1. 1、 十二.
    let mut probe = s.clone();
    let (numerals, next) = skip_numerals(&mut probe);
    if numerals > 0 && matches!(next, Some('、' | '.')) {
        s = probe;
    }
    s.next()
}

/// Takes the numerals at the start of `chars` and the character after
/// them: how many numerals, and that character.
fn skip_numerals(chars: &mut impl Iterator<Item = char>) -> (usize, Option<char>) {
    let mut numerals = 0;
    loop {
        match chars.next() {
            Some(c) if is_numeral(c) => numerals += 1,
            next => return (numerals, next),
        }
    }
}

/// One character folded as [`fold`] folds it.
fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        c => c,
    }
}

/// The closing punctuation [`normalize_label`] cuts off (after folding).
const CLOSING: [char; 6] = [':', '：', '。', '.', ';', '；'];

/// The labels [`is_boilerplate`] compares with.
struct Boilerplate {
    /// The official section titles and table labels, normalized.
    labels: FxHashSet<String>,
    /// The length in bytes of the longest.
    longest: usize,
    /// The first character of each, each once.
    first_chars: Vec<char>,
    /// The last character of each, each once.
    last_chars: Vec<char>,
}

/// The official section titles and table labels, normalized
/// ([`normalize_label`]), read from `report::labels` (never copied), the
/// length in bytes of the longest and their first and last characters.
fn boilerplate() -> &'static Boilerplate {
    static B: OnceLock<Boilerplate> = OnceLock::new();
    B.get_or_init(|| {
        let mut labels: Vec<String> = Vec::new();
        let mut add = |s: &str| {
            labels.push(s.to_string());
            // Labels of two parts (行政诉讼 未经复议直接起诉) are printed in
            // two cells.
            if s.contains(' ') {
                labels.extend(s.split(' ').map(str::to_string));
            }
        };
        for s in labels::SECTIONS {
            add(s);
        }
        for s in [labels::TABLE_2, labels::TABLE_3, labels::TABLE_4] {
            add(s);
        }
        for s in labels::REQUEST_COLUMNS.iter().chain(&labels::APPEAL_COLUMNS) {
            add(s);
        }
        for row in labels::REQUEST_ROWS_2021.iter().chain(&labels::REQUEST_ROWS_2019) {
            add(row.label);
            let full = row.full_label();
            add(&full);
            // The block a result row sits in (三、本年度办理结果).
            if let Some(block) = full.strip_suffix(row.label) {
                let block = block.trim_end();
                add(block
                    .strip_suffix(labels::group_label(row.group.unwrap_or("")))
                    .unwrap_or(block));
            }
        }
        for g in &labels::REQUEST_GROUPS {
            add(g.label);
        }
        for a in &labels::APPEAL_ROWS {
            add(a.label);
        }
        for item in labels::PROACTIVE_2021.iter().chain(&labels::PROACTIVE_2019) {
            add(item.label);
            add(item.block);
            for f in item.fields {
                add(f.label);
            }
        }
        let set: FxHashSet<String> = labels
            .iter()
            .map(|l| normalize_label(l))
            .filter(|l| !l.is_empty())
            .collect();
        let longest = set.iter().map(String::len).max().unwrap_or(0);
        let each_once = |mut chars: Vec<char>| {
            chars.sort_unstable();
            chars.dedup();
            chars
        };
        let first_chars = each_once(set.iter().filter_map(|l| l.chars().next()).collect());
        let last_chars = each_once(set.iter().filter_map(|l| l.chars().next_back()).collect());
        Boilerplate {
            labels: set,
            longest,
            first_chars,
            last_chars,
        }
    })
}

/// A label or a block's text as compared with the labels: full-width forms
/// folded, white space removed, a leading enumeration (一、 （一） 1. 1、)
/// and closing punctuation (：。) cut off.
fn normalize_label(text: &str) -> String {
    let mut folded = fold(text);
    folded.retain(|c| !c.is_whitespace());
    let mut s = folded.as_str();
    // (一) or (1): the enumeration of table 三's blocks.
    if let Some(rest) = s.strip_prefix('(') {
        if let Some(close) = rest.find(')') {
            if rest[..close].chars().all(is_numeral) && close > 0 {
                s = &rest[close + 1..];
            }
        }
    }
    // 一、 1. 1、 十二.
    let digits = s.find(|c: char| !is_numeral(c)).unwrap_or(s.len());
    if digits > 0 {
        if let Some(rest) = s[digits..].strip_prefix(['、', '.']) {
            s = rest;
        }
    }
    s.trim_end_matches(CLOSING).to_string()
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "一二三四五六七八九十".contains(c)
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
    let lex = Lexicon::new();
    // (Not cut shorter to end both threads together: each run's postings
    // table is as long as the lexicon, and 64 runs took a sixth more
    // instructions to join. The pages rendered beside the index fill the
    // other thread's end.)
    let acc: Acc = (0..n)
        .into_par_iter()
        .with_min_len((n / 64).max(8))
        .fold(Acc::default, |mut acc, d| {
            match d.checked_sub(n_reports) {
                None => add_report(&mut acc, &lex, d as u32, portal.reports[d]),
                Some(p) => {
                    let page = portal.pages[p];
                    let body = fold(&markdown_text(&page.body));
                    let fields = Fields {
                        meta: &[&page.title],
                        skip: &[],
                        body: &body,
                    };
                    add_document(&mut acc, &lex, d as u32, fields);
                }
            }
            acc
        })
        .reduce(Acc::default, join_acc);
    let names = lex.into_terms();
    let postings = acc.postings;
    let mut lens = vec![0u32; n];
    for (d, len) in acc.lens {
        lens[d as usize] = len;
    }
    let total: u64 = lens.iter().map(|&l| u64::from(l)).sum();
    let avg_len = if n == 0 { 0.0 } else { total as f64 / n as f64 };
    let mut vocab: Vec<(&str, &Lists)> = postings
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(|(t, l)| (names[t].as_ref(), l))
        .collect();
    vocab.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let corpus = Corpus {
        n: n as u32,
        lens: &lens,
        avg_len,
    };
    let entries: Vec<String> = vocab
        .par_iter()
        .with_max_len(1024)
        .map(|&(term, lists)| encode_entry(term, lists, &corpus))
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
    let mut lengths = String::with_capacity(n * 3);
    for &len in &lens {
        push_number(&mut lengths, len);
    }
    let meta = Meta {
        version: FORMAT,
        key: String::new(),
        docs: n,
        lengths,
        avg_len: (avg_len * 100.0).round() / 100.0,
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

/// Joins what two runs of documents add, `left` before `right`: each of
/// `right`'s lists is appended to the same term's list of `left`.
fn join_acc(mut left: Acc, mut right: Acc) -> Acc {
    left.lens.append(&mut right.lens);
    if left.postings.len() < right.postings.len() {
        left.postings.resize_with(right.postings.len(), Lists::default);
    }
    for (lists, mut more) in left.postings.iter_mut().zip(right.postings) {
        lists.body.append(&mut more.body);
        lists.meta.append(&mut more.meta);
    }
    Acc {
        postings: left.postings,
        lens: left.lens,
        ..Acc::default()
    }
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
    /// Each document's body length in terms, in order, as numbers in
    /// letters ([`push_number`]).
    lengths: String,
    /// The average body length (BM25's avgdl).
    avg_len: f64,
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

/// What encoding a term's body needs of the whole index: the number of
/// documents, each body's length and the average (BM25's weights).
struct Corpus<'a> {
    n: u32,
    lens: &'a [u32],
    avg_len: f64,
}

/// A term in at least 1/`COMMON_SHARE` of the bodies (and in more than
/// [`TOP_DOCS`]) is common: its counts are kept only for the documents
/// where it weighs most.
const COMMON_SHARE: usize = 5;
/// How many documents a common term keeps counts for (and a term in most
/// bodies keeps at all): more than the page shows (20).
const TOP_DOCS: usize = 100;

/// A term's entry in its shard: its document frequency (documents that
/// hold it in either field) in decimal, `:`, its body postings
/// ([`encode_body`]), then, after `|`, its meta postings (omitted when
/// none), complete and with counts ([`encode_postings`]).
fn encode_entry(term: &str, lists: &Lists, c: &Corpus) -> String {
    let df = count_union(&lists.body.docs, &lists.meta.docs);
    let mut s = format!("{df}:");
    s.push_str(&encode_body(term, &lists.body, c, TOP_DOCS));
    if !lists.meta.docs.is_empty() {
        s.push('|');
        s.push_str(&encode_postings(&lists.meta.docs, &lists.meta.tfs));
    }
    s
}

/// A term's body postings. What the index would weigh most is the
/// postings of the words that are everywhere, and they are what ranks
/// least (BM25's idf is below ln 2 for a term in half the documents, against
/// 5 to 10 for a rare word), so:
///
/// - a term in fewer than 1/[`COMMON_SHARE`] of the bodies, or in at most
///   `top` of them: every document with the level of its count
///   ([`encode_postings`]); for a term of one character (的, 年, 镇:
///   jieba's leftovers, which no one ranks by) without counts
///   ([`encode_presence`]);
/// - a term in more than half the bodies, or a common term of one
///   character: `*` and only the `top` documents where it weighs most
///   (BM25, with counts). It no longer tells which documents hold it: the
///   script does not narrow by it, and ranks by it;
/// - any other common term: every document without counts, `~`, and the
///   `top` documents where it weighs most that hold it more than once, with
///   their counts. The counts are what costs: in nearly every document a
///   common word's count differs, and the ranking reads them only at the
///   top.
fn encode_body(term: &str, body: &List, c: &Corpus, top: usize) -> String {
    let single = term.chars().nth(1).is_none();
    let held = body.docs.len();
    let n = c.n as usize;
    if held <= top || held * COMMON_SHARE < n {
        return if single {
            encode_presence(&body.docs, c.n)
        } else {
            encode_postings(&body.docs, &body.tfs)
        };
    }
    let mut best = heaviest(body, c, top);
    if held * 2 > n || single {
        let docs: Vec<u32> = best.iter().map(|&k| body.docs[k]).collect();
        let tfs: Vec<u8> = best.iter().map(|&k| body.tfs[k]).collect();
        return format!("*{}", encode_postings(&docs, &tfs));
    }
    best.retain(|&k| body.tfs[k] > 1);
    let docs: Vec<u32> = best.iter().map(|&k| body.docs[k]).collect();
    let tfs: Vec<u8> = best.iter().map(|&k| body.tfs[k]).collect();
    format!("{}~{}", encode_presence(&body.docs, c.n), encode_postings(&docs, &tfs))
}

/// The positions in `body` of the `top` documents where the term weighs
/// most (BM25, [`bm25_body`]; of equal weights, the first), in order.
/// Each weight is computed once and made an integer key above the
/// position, ordered as `f64::total_cmp` orders the weights but reversed:
/// selecting the smallest keys is a comparison of integers, not a call to
/// a closure that looks the weights up.
fn heaviest(body: &List, c: &Corpus, top: usize) -> Vec<usize> {
    let mut keys: Vec<u128> = (0..body.docs.len())
        .map(|k| {
            let len = c.lens.get(body.docs[k] as usize).copied().unwrap_or(0);
            let weight = bm25_body(body.tfs[k], len, c.avg_len);
            (u128::from(heaviest_first(weight)) << 64) | k as u128
        })
        .collect();
    keys.select_nth_unstable(top - 1);
    let mut best: Vec<usize> = keys[..top].iter().map(|&key| key as u64 as usize).collect();
    best.sort_unstable();
    best
}

/// `w` as an integer that orders as `f64::total_cmp` orders weights, but
/// the greatest first: the bits as a signed integer with the magnitude's
/// bits flipped for negative numbers (what `total_cmp` compares), made
/// unsigned (the sign bit flipped), then complemented.
fn heaviest_first(w: f64) -> u64 {
    let bits = w.to_bits() as i64;
    let ordered = bits ^ (((bits >> 63) as u64) >> 1) as i64;
    !((ordered as u64) ^ (1 << 63))
}

/// What the script counts a level ([`tf_level`]) as: 1, 2.5, 5 times.
const LEVEL_TF: [f64; 4] = [0.0, 1.0, 2.5, 5.0];

/// The body part of a term's BM25 score without its idf, as the script
/// computes it (`termScore`, k1 = 1.2, b = 0.75), for a count `level` in a
/// body of `len` terms.
fn bm25_body(level: u8, len: u32, avg_len: f64) -> f64 {
    let (k1, b) = (1.2, 0.75);
    let tf = LEVEL_TF[usize::from(level.min(3))];
    let norm = k1 * (1.0 - b + if avg_len > 0.0 { b * f64::from(len) / avg_len } else { b });
    tf * (k1 + 1.0) / (tf + norm)
}

/// How many documents are in either of two sorted lists.
fn count_union(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => (i, j) = (i + 1, j + 1),
            (Some(x), Some(y)) if x < y => i += 1,
            (Some(_), None) => i += 1,
            _ => j += 1,
        }
        n += 1;
    }
    n
}

/// Postings: the gaps between the sorted document ids (the first counts
/// from 0), each a number in base 26 written in letters (upper case for
/// every digit but the last, lower case for the last: 0 = `a`, 27 = `Bb`),
/// followed by the level of the term's count in the document (`tf_level`)
/// as a digit when it is more than 1. Numbers need no separator (`ab3Bb` is
/// document 0 once, 1 four times or more, 28 once); most counts are 1 and
/// cost nothing, and the text gzips well.
pub fn encode_postings(ids: &[u32], levels: &[u8]) -> String {
    let mut out = String::with_capacity(ids.len() * 2);
    let mut prev = 0;
    for (k, &d) in ids.iter().enumerate() {
        push_number(&mut out, d - prev);
        prev = d;
        let level = levels.get(k).copied().unwrap_or(1);
        if level > 1 {
            out.push(char::from(b'0' + level.min(9)));
        }
    }
    out
}

/// Documents without counts: the gaps as in [`encode_postings`]; when the
/// list holds most documents, `!` and the documents it lacks, if that is
/// shorter (`!` alone: every document).
pub fn encode_presence(ids: &[u32], n: u32) -> String {
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

/// Decodes [`encode_postings`] and [`encode_presence`] (for tests and
/// tools): (document, count level), in a list of `n` documents.
pub fn decode_postings(s: &str, n: u32) -> Vec<(u32, u8)> {
    if let Some(absent) = s.strip_prefix('!') {
        let absent: Vec<u32> = decode_postings(absent, n).into_iter().map(|(d, _)| d).collect();
        let mut absent = absent.into_iter().peekable();
        return (0..n)
            .filter(|&d| {
                if absent.peek() == Some(&d) {
                    absent.next();
                    false
                } else {
                    true
                }
            })
            .map(|d| (d, 1))
            .collect();
    }
    let mut out: Vec<(u32, u8)> = Vec::new();
    let (mut prev, mut acc) = (0u32, 0u32);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' => acc = acc.saturating_mul(26).saturating_add(u32::from(b - b'A')),
            b'a'..=b'z' => {
                prev = prev.saturating_add(acc.saturating_mul(26).saturating_add(u32::from(b - b'a')));
                out.push((prev, 1));
                acc = 0;
            }
            b'0'..=b'9' => {
                if let Some(last) = out.last_mut() {
                    last.1 = b - b'0';
                }
            }
            _ => {}
        }
    }
    out
}

fn push_number(out: &mut String, mut v: u32) {
    // Most gaps are below 26: one letter, pushed as such.
    if v < 26 {
        out.push(char::from(b'a' + v as u8));
        return;
    }
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
    fn postings_round_trip() {
        for (ids, tfs) in [
            (vec![], vec![]),
            (vec![0], vec![1]),
            (vec![3, 4, 39], vec![1, 2, 3]),
            (
                (0..40).collect::<Vec<u32>>(),
                (0..40).map(|k| (k % 3 + 1) as u8).collect(),
            ),
            (vec![u32::MAX - 1], vec![2]),
        ] {
            let s = encode_postings(&ids, &tfs);
            let back: Vec<(u32, u8)> = ids.iter().zip(&tfs).map(|(&d, &t)| (d, t)).collect();
            assert_eq!(decode_postings(&s, u32::MAX), back, "{s}");
        }
        assert_eq!(
            encode_postings(&[0, 1, 2, 40, 40 + 26 * 26 * 3 + 5], &[1, 3, 1, 1, 2]),
            "ab3bBmDAf2"
        );
        assert_eq!(
            (tf_level(1), tf_level(2), tf_level(3), tf_level(4), tf_level(500)),
            (1, 2, 2, 3, 3)
        );
        // Presence only, negated when shorter.
        for ids in [
            vec![],
            vec![3, 4, 39],
            (0..40).collect(),
            (0..40).filter(|d| d % 7 != 0).collect(),
        ] {
            let s = encode_presence(&ids, 40);
            let back: Vec<u32> = decode_postings(&s, 40).into_iter().map(|(d, _)| d).collect();
            assert_eq!(back, ids, "{s}");
        }
        assert_eq!(encode_presence(&(0..10).collect::<Vec<_>>(), 10), "!");
        assert_eq!(encode_presence(&[0, 1, 2, 4, 5, 6, 7, 8, 9], 10), "!d");
    }

    #[test]
    fn entries_carry_document_frequency_and_both_fields() {
        let lists = Lists {
            body: List {
                docs: vec![0, 2],
                tfs: vec![2, 1],
            },
            meta: List {
                docs: vec![2, 5],
                tfs: vec![1, 1],
            },
        };
        let lens = [10; 10];
        let c = Corpus {
            n: 10,
            lens: &lens,
            avg_len: 10.0,
        };
        assert_eq!(encode_entry("行政复议", &lists, &c), "3:a2c|cd");
        // A single character keeps no counts in the body.
        assert_eq!(encode_entry("镇", &lists, &c), "3:ac|cd");
        assert_eq!(count_union(&[], &[1]), 1);
        assert_eq!(count_union(&[1, 3], &[]), 2);
    }

    /// A body list of the documents `docs` of 20, with count levels.
    fn list(docs: &[(u32, u8)]) -> List {
        List {
            docs: docs.iter().map(|d| d.0).collect(),
            tfs: docs.iter().map(|d| d.1).collect(),
        }
    }

    #[test]
    fn common_terms_keep_counts_only_where_they_weigh_most() {
        // Documents 0-19; document 7's body is short, 3's long.
        let mut lens = [100u32; 20];
        lens[7] = 20;
        lens[3] = 400;
        let c = Corpus {
            n: 20,
            lens: &lens,
            avg_len: 100.0,
        };
        // Rare (in fewer than 1/5 of the bodies): every document, counts.
        let rare = list(&[(2, 1), (3, 3), (9, 2)]);
        assert_eq!(encode_body("殡葬", &rare, &c, 2), "cb3g2");
        // Common, in at most `top` bodies: the same.
        assert_eq!(encode_body("殡葬", &rare, &c, 3), "cb3g2");
        // Common (4 of 20 bodies, more than top = 2): every document
        // without counts, then the two that weigh most with their counts:
        // 7 (four times or more in a short body) and 9 (two or three
        // times); 3 holds it four times but in a long body; 1 once.
        let common = list(&[(1, 1), (3, 3), (7, 3), (9, 2)]);
        assert_eq!(encode_body("公开", &common, &c, 2), "bcec~h3c2");
        // The top documents that hold it once add nothing to the list.
        let once = list(&[(1, 1), (3, 1), (7, 1), (9, 3)]);
        assert_eq!(encode_body("公开", &once, &c, 2), "bcec~j3");
        // In more than half the bodies: only the top documents, with counts.
        let most: Vec<(u32, u8)> = (0..11).map(|d| (d, if d == 3 || d == 7 { 3 } else { 1 })).collect();
        assert_eq!(encode_body("公开", &list(&most), &c, 2), "*d3e3");
        // A common term of one character too.
        assert_eq!(encode_body("年", &common, &c, 2), "*h3c2");
        // Decoded as the script does: the `*` list, the `~` counts.
        assert_eq!(decode_postings("h3c2", 20), [(7, 3), (9, 2)]);
        // BM25's body weight: more counts weigh more, a longer body less.
        assert!(bm25_body(3, 100, 100.0) > bm25_body(2, 100, 100.0));
        assert!(bm25_body(1, 50, 100.0) > bm25_body(1, 200, 100.0));
        assert!(bm25_body(1, 0, 0.0) > 0.0);
    }

    #[test]
    fn boilerplate_is_left_out_of_the_narrative() {
        let md = "## 一、总体情况\n\n本机关深入推进殡葬改革。\n\n## 四、政府信息公开行政复议、行政诉讼情况\n\n\
                  被申请行政复议1件。\n\n## 五、存在的主要问题及改进情况（整改）\n\n\
                  | 行政复议 | 结果维持 |\n|---|---|\n| （三）不予公开 | 1 |\n\n总计：\n\n### 我们的做法\n";
        let text = narrative_text(md);
        assert!(!text.contains("总体情况"), "{text:?}");
        assert!(!text.contains("诉讼情况"), "{text:?}");
        assert!(!text.contains("结果维持") && !text.contains("不予公开"), "{text:?}");
        assert!(!text.contains("总计"), "{text:?}");
        assert!(text.contains("本机关深入推进殡葬改革。"), "{text:?}");
        assert!(text.contains("被申请行政复议1件。"), "{text:?}");
        assert!(
            text.contains("（整改）"),
            "the author's own words after a title stay: {text:?}"
        );
        assert!(text.contains("我们的做法"), "{text:?}");
        // The whole label, not a sentence that names one.
        assert!(is_boilerplate("（一）予以公开"));
        assert!(is_boilerplate("三、本年度办理结果"));
        assert!(is_boilerplate("第二十条第（一）项"));
        assert!(is_boilerplate("未经复议直接起诉"));
        assert!(is_boilerplate(" 2.重复申请 "));
        assert!(!is_boilerplate("本年度予以公开的申请较多"));
        assert_eq!(normalize_label("（七）总计："), "总计");
        assert_eq!(normalize_label("1.属于国家秘密"), "属于国家秘密");
        assert_eq!(normalize_label("十二、其他"), "其他");
    }

    #[test]
    fn default_title_words_are_known() {
        let t = default_title_terms();
        for w in ["政府", "信息", "公开", "报告"] {
            assert!(t.iter().any(|x| x == w), "{w} in {t:?}");
        }
        assert!(!t.iter().any(|x| x.chars().any(|c| c.is_ascii_digit())), "{t:?}");
    }

    #[test]
    fn chunks_give_the_terms_of_the_whole_text() {
        let lex = Lexicon::new();
        let chunked = |text: &str| -> Vec<u32> {
            let mut out = Vec::new();
            each_chunk(&fold(text), |c| lex.chunk_terms(c, &mut out));
            out
        };
        let whole = |text: &str| -> Vec<u32> { terms(text, false).iter().map(|t| lex.id(t)).collect() };
        let mut demo = String::new();
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content/reports")) {
            let entry = entry.expect("the demo's reports");
            if entry.path().extension().is_some_and(|e| e == "md") {
                demo.push_str(&std::fs::read_to_string(entry.path()).expect("a report"));
            }
        }
        assert!(demo.len() > 10_000);
        for text in [
            "全年主动公开政府信息407条，同比增长12.5%。",
            "第3号文件、1号店、4S店和v2.0版，ABC123与abc 123；２０２３年",
            "〇一二三，のテスト，한국어 ①号",
            "42",
            "",
            "信息407",
            demo.as_str(),
        ] {
            assert_eq!(chunked(text), whole(text), "{text:.200}");
            // Twice: the second time from the remembered chunks.
            assert_eq!(chunked(text), whole(text), "{text:.200}");
        }
        // Numbers cut chunks: the phrase around them is remembered once.
        let mut pieces = Vec::new();
        each_chunk("共受理申请35件，办结12件", |c| pieces.push(c));
        assert_eq!(pieces, ["共受理申请", "件", "办结", "件"]);
        let mut pieces = Vec::new();
        each_chunk("1号店v2.0版", |c| pieces.push(c));
        assert_eq!(pieces, ["1号店v2.0版"]);
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

    /// The former [`fold`]: a `find` over the characters.
    fn fold_by_chars(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
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

    /// The former [`digits_stand_alone`], with the character offsets
    /// collected first.
    fn digits_stand_alone_by_offsets(text: &str, from: usize, to: usize) -> bool {
        let j = jieba();
        let before: Vec<usize> = text[..from].char_indices().rev().take(3).map(|(k, _)| k).collect();
        let after: Vec<usize> = text[to..]
            .char_indices()
            .skip(1)
            .take(3)
            .map(|(k, _)| to + k)
            .chain(std::iter::once(text.len()))
            .take(3)
            .collect();
        let last = text[from..to].char_indices().last().map_or(from, |(k, _)| from + k);
        if before.iter().any(|&a| j.has_word(&text[a..to])) {
            return false;
        }
        ![from, last]
            .iter()
            .any(|&a| after.iter().any(|&b| b > to && j.has_word(&text[a..b])))
    }

    /// The former [`each_chunk`], deciding on every character decoded.
    fn each_chunk_by_chars<'a>(text: &'a str, mut f: impl FnMut(&'a str)) {
        let bytes = text.as_bytes();
        let mut start = 0;
        let mut prev_word = false;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_digit() && !prev_word {
                let mut end = i + 1;
                while end < bytes.len() && bytes[end].is_ascii_digit() {
                    end += 1;
                }
                let next_word = text[end..].chars().next().is_some_and(is_ascii_word);
                if !next_word && digits_stand_alone_by_offsets(text, i, end) {
                    if start < i {
                        f(&text[start..i]);
                    }
                    start = end;
                }
                prev_word = next_word;
                i = end;
                continue;
            }
            let c = text[i..].chars().next().expect("a character boundary");
            let len = c.len_utf8();
            if b.is_ascii() {
                prev_word = is_ascii_word(c);
                if !prev_word {
                    if start < i {
                        f(&text[start..i]);
                    }
                    start = i + len;
                }
            } else {
                prev_word = false;
                if !('\u{4E00}'..='\u{9FFF}').contains(&c) && !c.is_alphanumeric() {
                    if start < i {
                        f(&text[start..i]);
                    }
                    start = i + len;
                }
            }
            i += len;
        }
        if start < bytes.len() {
            f(&text[start..]);
        }
    }

    /// The former [`narrative_text`], on [`sections::blocks`].
    fn narrative_by_blocks(md: &str) -> String {
        use crate::report::sections::Block;
        let mut out = String::with_capacity(md.len());
        let mut block = String::new();
        let flush = |block: &mut String, out: &mut String| {
            if !block.trim().is_empty() && !is_boilerplate(block) {
                out.push_str(block);
                out.push('\n');
            }
            block.clear();
        };
        for b in sections::blocks(md) {
            match b {
                Block::Heading(h) => {
                    flush(&mut block, &mut out);
                    block.push_str(strip_section_title(&h.text));
                    flush(&mut block, &mut out);
                }
                Block::Event(event) => match event {
                    Event::Text(t) | Event::Code(t) => block.push_str(&t),
                    Event::SoftBreak | Event::HardBreak => block.push('\n'),
                    Event::End(
                        TagEnd::Paragraph
                        | TagEnd::Item
                        | TagEnd::TableCell
                        | TagEnd::TableRow
                        | TagEnd::TableHead
                        | TagEnd::CodeBlock
                        | TagEnd::BlockQuote(_)
                        | TagEnd::FootnoteDefinition,
                    ) => flush(&mut block, &mut out),
                    _ => {}
                },
            }
        }
        flush(&mut block, &mut out);
        out
    }

    /// The demo site's reports, whole (front matter and body).
    fn demo_reports() -> Vec<String> {
        let mut out = Vec::new();
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content/reports")) {
            let entry = entry.expect("the demo's reports");
            if entry.path().extension().is_some_and(|e| e == "md") {
                out.push(std::fs::read_to_string(entry.path()).expect("a report"));
            }
        }
        assert!(out.len() > 5);
        out
    }

    /// What [`each_chunk`] gives, with the digit runs it tested.
    fn chunks(text: &str, by_chars: bool) -> Vec<&str> {
        let mut out = Vec::new();
        if by_chars {
            each_chunk_by_chars(text, |c| out.push(c));
        } else {
            each_chunk(text, |c| out.push(c));
        }
        out
    }

    /// Every digit run of `text` (maximal, ASCII), as byte ranges.
    fn digit_runs(text: &str) -> Vec<(usize, usize)> {
        let b = text.as_bytes();
        let mut runs = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_digit() {
                let from = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                runs.push((from, i));
            } else {
                i += 1;
            }
        }
        runs
    }

    /// Characters the text scanners treat apart: Han at the edges of the
    /// byte ranges, full-width forms and the ideographic space, digits of
    /// both widths, ASCII word connectors, other scripts, marks.
    const TRICKY: &[&str] = &[
        "一", "丁", "䶵", "亿", "龥", "鿿", "号", "店", "第", "年", "信息", "公开", "〇", "，", "。", "、", "（", "）",
        "：", "！", "ａ", "Ｚ", "｀", "～", "｟", "\u{FF00}", "\u{3000}", "\u{3001}", "\u{2000}", "１", "２", "0", "1",
        "2", "9", "a", "S", "v", ".", "-", "%", "+", "#", "&", "_", " ", "\n", "*", "|", "の", "한", "①", "é", "😀",
        "\u{FEFF}", "ｶ",
    ];

    fn tricky_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        proptest::collection::vec(
            prop_oneof![(0..TRICKY.len()).prop_map(|k| TRICKY[k].to_string()), "\\PC{0,3}"],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    /// A body of paragraphs and headings is read without the parser (what
    /// the line reading is for), line by line as pulldown-cmark reads it.
    #[test]
    fn plain_bodies_are_read_line_by_line() {
        let body = "## 一、总体情况\n\n本机关2023年主动公开政府信息**120**条。\n\n全年\n共受理申请12件。\n";
        assert!(!sections::plain_lines(body, |_, _| {}), "emphasis is not plain");
        let body = body.replace("**", "");
        assert!(
            !sections::plain_lines(&body.replace("全年", "全年  "), |_, _| {}),
            "a hard break"
        );
        let mut lines = Vec::new();
        assert!(sections::plain_lines(&body, |_, l| lines.push(l)));
        use sections::PlainLine::*;
        assert_eq!(
            lines,
            [
                Heading("一、总体情况"),
                Blank,
                Text("本机关2023年主动公开政府信息120条。"),
                Blank,
                Text("全年"),
                Text("共受理申请12件。"),
                Blank
            ]
        );
        assert_eq!(
            narrative_text(&body),
            "本机关2023年主动公开政府信息120条。\n全年\n共受理申请12件。\n"
        );
    }

    #[test]
    fn the_byte_scanners_agree_with_the_character_ones_on_the_demo() {
        for report in demo_reports() {
            assert_eq!(fold(&report), fold_by_chars(&report));
            let folded = fold(&report);
            assert_eq!(chunks(&folded, false), chunks(&folded, true));
            for (from, to) in digit_runs(&folded) {
                assert_eq!(
                    digits_stand_alone(&folded, from, to),
                    digits_stand_alone_by_offsets(&folded, from, to),
                    "{:?}",
                    &folded[from.saturating_sub(12)..(to + 12).min(folded.len())]
                );
            }
            assert_eq!(narrative_text(&report), narrative_by_blocks(&report));
            for line in report.lines() {
                assert_eq!(normalize_label(line), normalize_label_by_chars(line));
            }
        }
        // Words that hold digits: what the digit test is for.
        for text in ["1号店", "4S店", "第3号文件", "去年12月", "12345", "3"] {
            for (from, to) in digit_runs(text) {
                assert_eq!(
                    digits_stand_alone(text, from, to),
                    digits_stand_alone_by_offsets(text, from, to),
                    "{text}"
                );
            }
        }
        assert!(!digits_stand_alone("1号店", 0, 1));
    }

    /// The former [`normalize_label`]: the folded text's characters
    /// filtered into a new string.
    fn normalize_label_by_chars(text: &str) -> String {
        let folded: String = fold(text).chars().filter(|c| !c.is_whitespace()).collect();
        let mut s = folded.as_str();
        if let Some(rest) = s.strip_prefix('(') {
            if let Some(close) = rest.find(')') {
                if rest[..close].chars().all(is_numeral) && close > 0 {
                    s = &rest[close + 1..];
                }
            }
        }
        let digits = s.find(|c: char| !is_numeral(c)).unwrap_or(s.len());
        if digits > 0 {
            if let Some(rest) = s[digits..].strip_prefix(['、', '.']) {
                s = rest;
            }
        }
        s.trim_end_matches([':', '：', '。', '.', ';', '；']).to_string()
    }

    /// The former [`is_boilerplate`]: the length bound and the set alone.
    fn is_boilerplate_plain(text: &str) -> bool {
        let b = boilerplate();
        let bytes = text.bytes().filter(|b| !b.is_ascii_whitespace()).count();
        bytes <= 3 * b.longest + 8 && b.labels.contains(normalize_label(text).as_str())
    }

    /// The labels, sorted, each with what may surround it in a report.
    fn dressed_labels() -> Vec<String> {
        let mut labels: Vec<&String> = boilerplate().labels.iter().collect();
        labels.sort();
        let mut out = Vec::new();
        for l in labels {
            let wide: String = l
                .chars()
                .map(|c| match c {
                    '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                    c => c,
                })
                .collect();
            for t in [
                l.clone(),
                wide,
                format!("（一）{l}："),
                format!(" 1. {l} 。 \n"),
                format!("十二、{l}；；\u{3000}"),
                format!("{l}．"),
                format!("{l}：。;"),
                format!("的{l}"),
                format!("{l}的"),
                format!("{l}）"),
                format!("{l}{}", "。".repeat(200)),
                l.chars().rev().collect(),
            ] {
                out.push(t);
            }
        }
        out
    }

    #[test]
    fn boilerplate_by_its_last_character_is_the_plain_test() {
        for text in dressed_labels() {
            assert_eq!(is_boilerplate(&text), is_boilerplate_plain(&text), "{text:?}");
        }
        for l in &boilerplate().labels {
            assert!(is_boilerplate(l), "{l:?}");
        }
        for report in demo_reports() {
            for line in report.lines() {
                assert_eq!(is_boilerplate(line), is_boilerplate_plain(line), "{line:?}");
            }
        }
        for text in ["", " ", "。", "：\u{3000}", "(一)", "一、", "1.。"] {
            assert_eq!(is_boilerplate(text), is_boilerplate_plain(text), "{text:?}");
        }
    }

    /// The former selection of [`heaviest`]: positions ordered by a
    /// closure over the weights.
    fn heaviest_by_closure(body: &List, c: &Corpus, top: usize) -> Vec<usize> {
        let held = body.docs.len();
        let mut best: Vec<usize> = (0..held).collect();
        let weight = |k: usize| {
            let len = c.lens.get(body.docs[k] as usize).copied().unwrap_or(0);
            bm25_body(body.tfs[k], len, c.avg_len)
        };
        let weights: Vec<f64> = (0..held).map(weight).collect();
        let by_weight = |a: &usize, b: &usize| weights[*b].total_cmp(&weights[*a]).then(a.cmp(b));
        best.select_nth_unstable_by(top - 1, by_weight);
        best.truncate(top);
        best.sort_unstable();
        best
    }

    #[test]
    fn integer_keys_order_as_total_cmp_reversed() {
        let values = [
            f64::NEG_INFINITY,
            -2.5,
            -1.0,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            f64::MIN_POSITIVE,
            0.3,
            1.0,
            2.2,
            f64::MAX,
            f64::INFINITY,
            f64::NAN,
            -f64::NAN,
        ];
        for a in values {
            for b in values {
                assert_eq!(heaviest_first(a).cmp(&heaviest_first(b)), b.total_cmp(&a), "{a} {b}");
            }
        }
    }

    #[test]
    fn lead_bytes_e3_and_ef_are_found_at_every_offset() {
        let text = "信息公开，。、（ａ）\u{3000}ab12 年度：报告《条例》\u{FF00}x";
        let bytes = text.as_bytes();
        for len in 0..=bytes.len() {
            for from in 0..=len {
                let plain = (from..len).find(|&k| matches!(bytes[k], 0xE3 | 0xEF)).unwrap_or(len);
                assert_eq!(next_e3_or_ef(&bytes[..len], from), plain, "{len} {from}");
            }
        }
    }

    /// A term's (document, level) pairs, body and meta.
    type Pairs = (Vec<(u32, u8)>, Vec<(u32, u8)>);

    /// Each term's postings as (document, level) pairs, body and meta.
    fn postings_of(acc: &Acc) -> Vec<Pairs> {
        let pairs = |l: &List| l.docs.iter().copied().zip(l.tfs.iter().copied()).collect::<Vec<_>>();
        acc.postings.iter().map(|l| (pairs(&l.body), pairs(&l.meta))).collect()
    }

    #[test]
    fn postings_count_each_documents_terms_and_runs_join_in_order() {
        let lex = Lexicon::new();
        let reports = demo_reports();
        let meta = ["示例市ＡＢＣ", "2023", "Abc 公开"];
        let skip = vec!["公开".to_string()];
        let add = |acc: &mut Acc, d: usize| {
            let body = fold(&reports[d]);
            let fields = Fields {
                meta: &meta,
                skip: &skip,
                body: &body,
            };
            add_document(acc, &lex, d as u32, fields);
        };
        let mut whole = Acc::default();
        for d in 0..reports.len() {
            add(&mut whole, d);
        }
        // The plain way: every term of a document sorted, equal ones counted.
        let mut expected: Vec<Pairs> = vec![Default::default(); lex.len()];
        for (d, report) in reports.iter().enumerate() {
            let mut body = Vec::new();
            each_chunk(&fold(report), |c| lex.chunk_terms(c, &mut body));
            assert_eq!(whole.lens[d], (d as u32, body.len() as u32));
            let mut meta_ids: Vec<u32> = Vec::new();
            for m in meta {
                for t in terms(m, true) {
                    if !skip.contains(&t) {
                        meta_ids.push(lex.id(&t));
                    }
                }
            }
            for (ids, field) in [(body, 0), (meta_ids, 1)] {
                let mut ids = ids;
                ids.sort_unstable();
                for run in ids.chunk_by(|a, b| a == b) {
                    let entry = &mut expected[run[0] as usize];
                    let list = if field == 0 { &mut entry.0 } else { &mut entry.1 };
                    list.push((d as u32, tf_level(run.len() as u32)));
                }
            }
        }
        let mut got = postings_of(&whole);
        got.resize(expected.len(), Default::default());
        assert_eq!(got, expected);
        assert!(
            expected.iter().any(|e| e.0.iter().any(|p| p.1 == 3)),
            "a count of four or more"
        );
        assert!(
            expected.iter().any(|e| e.1.len() == reports.len()),
            "a meta term in every document"
        );
        // Two runs joined: the same lists.
        let (mut left, mut right) = (Acc::default(), Acc::default());
        for d in 0..reports.len() {
            add(if d < reports.len() / 2 { &mut left } else { &mut right }, d);
        }
        let joined = join_acc(left, right);
        let mut got = postings_of(&joined);
        got.resize(expected.len(), Default::default());
        assert_eq!(got, expected);
        assert_eq!(joined.lens, whole.lens);
    }

    #[test]
    fn chunks_of_one_hash_are_told_apart() {
        let chunk = |text: &str, id: u32, next: Option<Box<Chunk>>| Chunk {
            text: text.into(),
            ids: vec![id].into(),
            next,
        };
        let chain = chunk(
            "甲",
            1,
            Some(Box::new(chunk("乙", 2, Some(Box::new(chunk("丙", 3, None)))))),
        );
        assert_eq!(chain.find("甲"), Some(&[1][..]));
        assert_eq!(chain.find("乙"), Some(&[2][..]));
        assert_eq!(chain.find("丙"), Some(&[3][..]));
        assert_eq!(chain.find("丁"), None);
        assert_eq!(chain.find(""), None);
    }

    #[test]
    fn punctuation_without_tables_is_what_unicode_says() {
        for c in ('\u{80}'..='\u{FFFF}').chain('\u{10000}'..='\u{10FFF}') {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn fuzz_the_byte_scanners_agree_with_the_character_ones(text in tricky_text()) {
            proptest::prop_assert_eq!(fold(&text), fold_by_chars(&text));
            let mut appended = String::from("前");
            fold_into(&mut appended, &text);
            proptest::prop_assert_eq!(appended, format!("前{}", fold_by_chars(&text)));
            proptest::prop_assert_eq!(chunks(&text, false), chunks(&text, true));
            proptest::prop_assert_eq!(normalize_label(&text), normalize_label_by_chars(&text));
            proptest::prop_assert_eq!(is_boilerplate(&text), is_boilerplate_plain(&text));
            for (from, to) in digit_runs(&text) {
                proptest::prop_assert_eq!(
                    digits_stand_alone(&text, from, to),
                    digits_stand_alone_by_offsets(&text, from, to)
                );
            }
        }

        /// The heaviest documents of a list, with many equal weights.
        #[test]
        fn fuzz_heaviest_is_the_closures_selection(
            docs in proptest::collection::btree_map(0u32..400, (1u8..=3, 0u32..6), 1..300),
            top in 1usize..40,
        ) {
            let lens: Vec<u32> = (0..400).map(|d| docs.get(&d).map_or(7, |&(_, l)| l * 20)).collect();
            let total: u64 = lens.iter().map(|&l| u64::from(l)).sum();
            let c = Corpus { n: 400, lens: &lens, avg_len: total as f64 / 400.0 };
            let list = List {
                docs: docs.keys().copied().collect(),
                tfs: docs.values().map(|&(tf, _)| tf).collect(),
            };
            let top = top.min(list.docs.len());
            proptest::prop_assert_eq!(heaviest(&list, &c, top), heaviest_by_closure(&list, &c, top));
        }

        /// A label between bits of text: what decides is the end.
        #[test]
        fn fuzz_boilerplate_by_its_last_character(
            label in 0usize..10_000,
            before in tricky_text(),
            after in tricky_text(),
            closing in proptest::collection::vec(0usize..8, 0..4),
        ) {
            let labels = dressed_labels();
            let mut text = format!("{before}{}{after}", labels[label % labels.len()]);
            for k in closing {
                text.push([':', '：', '。', '.', ';', '；', ' ', '\u{3000}'][k]);
            }
            proptest::prop_assert_eq!(is_boilerplate(&text), is_boilerplate_plain(&text));
            let label = &labels[label % labels.len()];
            let mut text = label.clone();
            text.push_str(&after);
            proptest::prop_assert_eq!(is_boilerplate(&text), is_boilerplate_plain(&text));
        }

        /// Bodies that are plain or nearly so (the line reading's ground):
        /// Han and Latin text, digits, spaces at the start and end of lines
        /// and twice within, ideographic spaces, `#` lines, and the few
        /// characters that make a line something else (`1.`, `-`, `=`, `#x`).
        #[test]
        fn fuzz_the_plain_narrative_agrees_with_the_parser(
            lines in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "一", "、", "总体情况", "四、政府信息公开行政复议、行政诉讼情况", "（一）予以公开",
                        "信息", "abc", "Z", "7", "12", "1.", "3)", " ", "  ", "\u{3000}", "#", "## ", "###### ",
                        "####### ", "-", "=", "+", ".", "%", "（", "）", "。", "\t", "é", "😀",
                    ]),
                    0..8,
                ),
                0..12,
            )
        ) {
            let md = lines.iter().map(|parts| parts.concat()).collect::<Vec<_>>().join("\n");
            let text = narrative_text(&md);
            proptest::prop_assert_eq!(&text, &narrative_by_blocks(&md));
            let mut folded = String::from("kept");
            narrative_into(&md, &mut folded, true);
            proptest::prop_assert_eq!(folded, format!("kept{}", fold(&text)));
        }

        /// Markdown of headings (ATX and setext, section titles among them),
        /// paragraphs, lists, quotes, tables, code, HTML and breaks.
        #[test]
        fn fuzz_the_narrative_agrees_with_the_blocks_reading(
            lines in proptest::collection::vec((0usize..14, 0usize..8, tricky_text()), 0..12)
        ) {
            const SHAPES: [&str; 14] = [
                "## ", "# ", "### ", "- ", "> ", "1. ", "| ", "    ", "```\n", "<b>", "", "", "---\n", "  \n",
            ];
            const WORDS: [&str; 8] = [
                "一、总体情况", "四、政府信息公开行政复议、行政诉讼情况", "（一）予以公开", "总计：",
                "三、本年度办理结果", "我们的做法", "行政复议 | 结果维持 |", "*强调* `代码` [链接](x)",
            ];
            let mut md = String::new();
            for (shape, word, text) in lines {
                md.push_str(SHAPES[shape]);
                md.push_str(WORDS[word]);
                md.push_str(&text);
                md.push('\n');
            }
            let text = narrative_text(&md);
            proptest::prop_assert_eq!(&text, &narrative_by_blocks(&md));
            let mut folded = String::new();
            narrative_into(&md, &mut folded, true);
            proptest::prop_assert_eq!(folded, fold(&text));
        }
    }
}
