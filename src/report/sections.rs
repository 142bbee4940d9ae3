//! The sections of a report body as the Markdown parser sees them: the one
//! reading of a body's headings that the check R10 (through
//! [`find_sections`]) and the renderer (`crate::markdown`, through
//! [`blocks`]) share, with the one set of pulldown-cmark extensions
//! ([`MARKDOWN_OPTIONS`]). A section opens at a level-2 heading (`## ` or a
//! line underlined with `---`) that is not inside another block (a quote, a
//! list, a footnote) and whose text begins with 一 … 六. What CommonMark does
//! not take for a heading (a line in a fenced code block, in an HTML block,
//! indented by four spaces) never opens a section, and what it does (a `## `
//! indented by up to three spaces) always does. A body of plain paragraphs
//! and `#` headings, as nearly every report's is, is read for the check by
//! a scan of its lines that finds the same sections without the parser
//! ([`find_sections`]).

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, OffsetIter, Options, Parser, Tag, TagEnd};

use super::labels::SECTION_NUMERALS;
use super::Section;

/// The Markdown extensions of every body and page: tables, footnotes,
/// strikethrough.
pub const MARKDOWN_OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH);

/// A heading, read whole: its start tag's fields, the events inside it, its
/// text and the section it opens.
pub struct Heading<'a> {
    pub level: HeadingLevel,
    pub id: Option<CowStr<'a>>,
    pub classes: Vec<CowStr<'a>>,
    pub attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    /// The events between the start and end tags.
    pub inner: Vec<Event<'a>>,
    /// Its text (text and code spans), trimmed.
    pub text: String,
    /// The section it opens: 0 for 一 … 5 for 六.
    pub section: Option<usize>,
    /// Where it is in the Markdown text.
    pub range: Range<usize>,
}

/// One step through a Markdown text: an event outside any heading, or a
/// heading read whole.
pub enum Block<'a> {
    Event(Event<'a>),
    Heading(Heading<'a>),
}

/// The events of a Markdown text, headings read whole (see [`blocks`]).
pub struct Blocks<'a> {
    events: OffsetIter<'a>,
    /// How many blocks (and inline elements) are open around the next event.
    depth: usize,
}

/// Reads `text` with [`MARKDOWN_OPTIONS`]: pulldown-cmark's events, except
/// that each heading comes whole, with the section it opens.
pub fn blocks(text: &str) -> Blocks<'_> {
    Blocks {
        events: Parser::new_ext(text, MARKDOWN_OPTIONS).into_offset_iter(),
        depth: 0,
    }
}

impl<'a> Iterator for Blocks<'a> {
    type Item = Block<'a>;

    fn next(&mut self) -> Option<Block<'a>> {
        let (event, range) = self.events.next()?;
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let mut inner = Vec::new();
                let mut text = String::new();
                for (e, _) in self.events.by_ref() {
                    match &e {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        _ => {}
                    }
                    inner.push(e);
                }
                let text = text.trim().to_string();
                let section = if self.depth == 0 && level == HeadingLevel::H2 {
                    section_of(&text)
                } else {
                    None
                };
                Some(Block::Heading(Heading {
                    level,
                    id,
                    classes,
                    attrs,
                    inner,
                    text,
                    section,
                    range,
                }))
            }
            Event::Start(_) => {
                self.depth += 1;
                Some(Block::Event(event))
            }
            Event::End(_) => {
                self.depth = self.depth.saturating_sub(1);
                Some(Block::Event(event))
            }
            other => Some(Block::Event(other)),
        }
    }
}

/// The section a heading's text opens by its first character, 一 … 六.
fn section_of(text: &str) -> Option<usize> {
    let first = text.chars().next()?;
    SECTION_NUMERALS.iter().position(|&c| c == first)
}

/// The headings that open sections 一 … 六 in a Markdown body whose first
/// line is line `body_line` of its file, in the order written.
///
/// A body of plain paragraphs and `#` headings (nearly every report) is
/// read by [`scan_sections`], a scan of its lines; any other goes through
/// the Markdown parser ([`parsed_sections`]), which reads the same sections.
pub fn find_sections(body: &str, body_line: usize) -> Vec<Section> {
    match scan_sections(body, body_line) {
        Some(sections) => sections,
        None => parsed_sections(body, body_line),
    }
}

/// [`find_sections`] without the Markdown parser (a full parse of each body
/// was about a third of the cost of reading a report), for a body whose
/// block structure a look at the first bytes of each line decides: every
/// line is blank (empty or spaces), an ATX heading (`#` … `######` at the
/// line's start, then a space or the line's end), or a paragraph's line
/// that starts with a letter, a character beyond ASCII or a digit not
/// followed by `.` or `)` (no list item). None of these opens a block that
/// could hold a heading or turn a line into one (a quote, a list, code,
/// HTML, a table, a footnote, a setext underline), and an ATX heading
/// interrupts a paragraph, so the headings are exactly the `#` lines. The
/// text of a level-2 heading is taken when it has no character inline
/// Markdown reads (emphasis, code, escapes, entities, links, HTML…), being
/// then the line's text as pulldown-cmark trims it. `None` for any other
/// body, and for a carriage return anywhere (pulldown-cmark ends a line
/// there too).
fn scan_sections(body: &str, body_line: usize) -> Option<Vec<Section>> {
    let mut out = Vec::new();
    let mut line = body_line;
    let read = each_line(body, |_, text| {
        let Some(section) = line_section(text) else {
            return false;
        };
        if let Some((index, heading)) = section {
            out.push(Section {
                index,
                heading: heading.to_string(),
                line,
            });
        }
        line += 1;
        true
    });
    read.then_some(out)
}

/// Calls `f` with where each line of `body` starts and the line, while it
/// answers `true`. Line ends are found a few bytes an instruction. `false`
/// when `f` answered `false`, or at a carriage return (pulldown-cmark ends
/// a line there too, and the line scans do not read such a body).
#[inline]
fn each_line<'a>(body: &'a str, mut f: impl FnMut(usize, &'a str) -> bool) -> bool {
    let bytes = body.as_bytes();
    let mut ends = memchr::memchr2_iter(b'\n', b'\r', bytes);
    let mut start = 0;
    loop {
        let end = match ends.next() {
            Some(at) if bytes[at] == b'\r' => return false,
            Some(at) => at,
            None => bytes.len(),
        };
        if !f(start, &body[start..end]) {
            return false;
        }
        if end == bytes.len() {
            return true;
        }
        start = end + 1;
    }
}

/// What a line is by a look at its first bytes, for the line scans.
#[derive(Clone, Copy)]
enum LineKind<'a> {
    /// Empty, or spaces only.
    Blank,
    /// An ATX heading (`#` … `######` at the line's start, then a space or
    /// the line's end): its level and what follows its `#`s.
    Heading(usize, &'a str),
    /// A paragraph's line: it starts with a letter, a character beyond
    /// ASCII or a digit not followed by `.` or `)` (no list item).
    Paragraph,
}

/// The [`LineKind`] of `line`; `None` for a line that may open another
/// block (a quote, a list, code, HTML, a table, a footnote, a setext
/// underline) or be read otherwise.
#[inline]
fn line_kind(line: &str) -> Option<LineKind<'_>> {
    let b = line.as_bytes();
    let Some(&first) = b.first() else {
        return Some(LineKind::Blank);
    };
    match first {
        0x80.. | b'a'..=b'z' | b'A'..=b'Z' => Some(LineKind::Paragraph),
        b'0'..=b'9' => {
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            (!matches!(b.get(digits), Some(b'.' | b')'))).then_some(LineKind::Paragraph)
        }
        b' ' => b.iter().all(|&c| c == b' ').then_some(LineKind::Blank),
        b'#' => {
            let level = b.iter().take_while(|&&c| c == b'#').count();
            (level <= 6 && b.get(level).is_none_or(|&c| c == b' ')).then(|| LineKind::Heading(level, &line[level..]))
        }
        _ => None,
    }
}

/// One line of a body for [`scan_sections`]: `Some(None)` for a line that
/// opens no section, `Some(Some(..))` for a level-2 heading that does (its
/// index and text), `None` for a line the scan does not read.
#[inline]
fn line_section(line: &str) -> Option<Option<(usize, &str)>> {
    match line_kind(line)? {
        LineKind::Heading(2, content) => {
            let text = plain_heading_text(content)?;
            Some(section_of(text).map(|index| (index, text)))
        }
        _ => Some(None),
    }
}

/// The text of an ATX heading whose content (after its `#`s) is `content`,
/// as [`blocks`] gives it: without the spaces around it and its closing
/// `#`s (a run of `#` that is all of it or follows a space), trimmed. `None`
/// when the content holds a byte inline Markdown may read as more than
/// text, or a control character.
fn plain_heading_text(content: &str) -> Option<&str> {
    let b = content.as_bytes();
    if has_inline_special(b) {
        return None;
    }
    let start = b.iter().take_while(|&&c| c == b' ').count();
    let text = &b[start..];
    // pulldown-cmark: spaces at the end, then a closing run of `#`s.
    let mut limit = text.iter().rposition(|&c| c != b' ').map_or(0, |i| i + 1);
    let closer = text[..limit].iter().rposition(|&c| c != b'#').map_or(0, |i| i + 1);
    if closer == 0 {
        limit = 0;
    } else {
        let spaces = text[..closer].iter().rev().take_while(|&&c| c == b' ').count();
        if spaces > 0 {
            limit = closer - spaces;
        }
    }
    Some(content[start..start + limit].trim())
}

/// Whether inline Markdown may read byte `c` as more than text (emphasis,
/// code, escapes, entities, links, HTML, tables, footnotes, strikethrough,
/// attributes), or it is a control character.
const fn is_inline_special(c: &u8) -> bool {
    matches!(
        c,
        0..=0x1f
            | 0x7f
            | b'\\'
            | b'`'
            | b'*'
            | b'_'
            | b'~'
            | b'&'
            | b'<'
            | b'>'
            | b'['
            | b']'
            | b'!'
            | b'|'
            | b'^'
            | b'$'
            | b'{'
            | b'}'
    )
}

/// [`is_inline_special`] for every byte value.
static INLINE_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        table[c] = is_inline_special(&(c as u8));
        c += 1;
    }
    table
};

/// Whether `b` holds a byte of [`is_inline_special`]. Eight bytes at a
/// time: a word of bytes beyond ASCII (Han text) is passed at once, any
/// other looked up without a branch per byte (a byte at a time, this was
/// as dear as pulldown-cmark's whole reading of a plain body).
fn has_inline_special(b: &[u8]) -> bool {
    let mut words = b.chunks_exact(8);
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        if w & 0x8080_8080_8080_8080 != 0x8080_8080_8080_8080
            && word.iter().fold(false, |any, &c| any | INLINE_SPECIAL[usize::from(c)])
        {
            return true;
        }
    }
    words.remainder().iter().any(is_inline_special)
}

/// One line of a plain body, as [`plain_lines`] gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlainLine<'a> {
    /// A blank line: it ends the paragraph before it.
    Blank,
    /// An ATX heading of any level: its text as [`blocks`] gives it.
    Heading(&'a str),
    /// A line of a paragraph, whole: pulldown-cmark's text event of it. A
    /// paragraph's lines are joined by soft line breaks; a heading or a
    /// blank line ends it.
    Text(&'a str),
}

/// Calls `f` with where each line of `body` starts and what it is, for a
/// body that is plain to its last character: every line one
/// [`scan_sections`] reads (blank, an ATX heading, or a paragraph's line
/// that opens no other block), no heading or paragraph holding a byte
/// inline Markdown may read as more than text ([`is_inline_special`]), and
/// no paragraph's line starting or ending with white space (the parser
/// would trim it, or read a hard break). pulldown-cmark reads such a body
/// as exactly these headings, and paragraphs of exactly these lines, so a
/// reader of its text (R13, the search index's narrative) needs no parser.
/// Returns `false` at the first line that is not such, after calling `f`
/// for the lines before it: the caller then drops what it made and parses.
pub fn plain_lines<'a>(body: &'a str, mut f: impl FnMut(usize, PlainLine<'a>)) -> bool {
    each_line(body, |start, line| {
        let plain = match line_kind(line) {
            Some(LineKind::Blank) => PlainLine::Blank,
            Some(LineKind::Heading(_, content)) => match plain_heading_text(content) {
                Some(text) => PlainLine::Heading(text),
                None => return false,
            },
            Some(LineKind::Paragraph) => {
                let trimmed = [line.chars().next(), line.chars().next_back()]
                    .into_iter()
                    .flatten()
                    .any(char::is_whitespace);
                if trimmed || has_inline_special(line.as_bytes()) {
                    return false;
                }
                PlainLine::Text(line)
            }
            None => return false,
        };
        f(start, plain);
        true
    })
}

/// [`find_sections`] read from the Markdown parser's events: for any body.
fn parsed_sections(body: &str, body_line: usize) -> Vec<Section> {
    let mut out = Vec::new();
    // Lines are counted from one heading to the next, never from the start.
    let (mut at, mut line) = (0, body_line);
    for block in blocks(body) {
        let Block::Heading(h) = block else { continue };
        let Some(index) = h.section else { continue };
        let start = h.range.start.max(at);
        line += body.as_bytes()[at..start].iter().filter(|&&b| b == b'\n').count();
        at = start;
        out.push(Section {
            index,
            heading: h.text,
            line,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word-at-a-time test finds every special byte at every place of
    /// lines of every length below 20, among Han bytes and ASCII letters.
    #[test]
    fn the_special_byte_test_reads_every_byte() {
        for filler in [0xE5u8, b'a'] {
            for len in 0..20 {
                for at in 0..len {
                    for c in 0..=255u8 {
                        let mut line = vec![filler; len];
                        line[at] = c;
                        assert_eq!(
                            has_inline_special(&line),
                            line.iter().any(is_inline_special),
                            "{c:#x} at {at} of {len}"
                        );
                    }
                }
            }
        }
    }

    /// (index, line) of each section found in `body` (first line 1).
    fn found(body: &str) -> Vec<(usize, usize)> {
        find_sections(body, 1).iter().map(|s| (s.index, s.line)).collect()
    }

    /// The sections the renderer cuts `body` into, by index.
    fn rendered(body: &str) -> Vec<usize> {
        let opts = crate::markdown::MarkdownOptions::default();
        let body = crate::markdown::render_report_body(body, "", opts);
        body.sections.iter().map(|s| s.index).collect()
    }

    /// Each case: a body, and the (index, line) of the sections in it.
    const CASES: &[(&str, &[(usize, usize)])] = &[
        // Plain `## ` headings, text and the heading's closing `#`s.
        ("intro\n## 一、总体情况\ntext\n## 六、其他 ##\n", &[(0, 2), (5, 4)]),
        // Indented by up to three spaces: a heading for CommonMark. (A false
        // "section 五 is missing" was published for this.)
        (
            "## 一、总体情况\n\n   ## 五、存在的主要问题\n\n六\n\n ## 六、其他\n",
            &[(0, 1), (4, 3), (5, 7)],
        ),
        // Indented by four: code, not a heading.
        ("## 一、甲\n\n    ## 五、not a heading\n", &[(0, 1)]),
        // Fenced code with `~~~`, with a longer fence, with an indented fence.
        ("## 一、甲\n~~~\n## 五、code\n~~~\n## 六、丙\n", &[(0, 1), (5, 5)]),
        (
            "## 一、甲\n````\n```\n## 五、code\n````\n## 六、丙\n",
            &[(0, 1), (5, 6)],
        ),
        ("## 一、甲\n~~~~\n~~~ x\n## 五、code\n~~~~\n", &[(0, 1)]),
        ("## 一、甲\n  ```\n## 五、code\n  ```\n## 六、丙\n", &[(0, 1), (5, 5)]),
        // A fence that is never closed runs to the end.
        ("## 一、甲\n```\n## 五、code\n", &[(0, 1)]),
        // In an HTML block (it runs to the next blank line).
        (
            "## 一、甲\n\n<div>\n## 五、html\n</div>\n\n## 六、丙\n",
            &[(0, 1), (5, 7)],
        ),
        // Setext: a line underlined with `---` is level 2, `===` level 1.
        (
            "一、总体情况\n---\n\n五、问题\n------\n\n六、其他\n===\n",
            &[(0, 1), (4, 4)],
        ),
        // Inside a quote, a list or a footnote: not a section of the body.
        ("## 一、甲\n> ## 五、引文\n\n- ## 六、列表\n", &[(0, 1)]),
        ("## 一、甲\n\n注[^1]\n\n[^1]: ## 五、脚注\n", &[(0, 1)]),
        // Emphasis around the numeral: the heading's text begins with it.
        ("## **一**、总体情况\n## `五`、问题\n", &[(0, 1), (4, 2)]),
        // Level 1 and 3 headings, a heading that is only `##`, other text.
        ("# 一、甲\n### 五、乙\n##\n## 其他\n##六、not a heading\n", &[]),
        // After a table and lines without headings, lines still count right.
        (
            "| a |\n|---|\n| 1 |\n\n\n## 五、问题\n\n\n\n## 六、其他",
            &[(4, 6), (5, 10)],
        ),
    ];

    #[test]
    fn sections_are_the_headings_commonmark_reads() {
        for (body, want) in CASES {
            assert_eq!(found(body), *want, "{body:?}");
        }
    }

    #[test]
    fn the_check_and_the_renderer_find_the_same_sections() {
        for (body, want) in CASES {
            let indices: Vec<usize> = want.iter().map(|w| w.0).collect();
            assert_eq!(rendered(body), indices, "{body:?}");
        }
    }

    /// The line scan's sections, where it reads a body, are the parser's.
    fn scan_agrees(body: &str) -> bool {
        let slow = parsed_sections(body, 7);
        match scan_sections(body, 7) {
            Some(fast) => {
                assert_eq!(fast, slow, "{body:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn the_line_scan_reads_what_the_parser_reads() {
        for (body, _) in CASES {
            scan_agrees(body);
        }
        // Bodies the scan reads, tricky ones among them.
        for body in [
            "intro\n## 一、总体情况\ntext\n## 六、其他 ##\n",
            "## 一、甲 #\n## 二、乙#\n## ###\n##\n## 四、  丁 ##  \n",
            "2024年\n## 五、问题\n#\n###### 六、x\n   \n## \u{3000}六、全角空格\n",
            "## 一、甲 # 乙 ##\n## # 二、乙\n## 三、丙 ###x\n",
        ] {
            assert!(scan_agrees(body), "{body:?} is not scanned");
        }
        // Bodies it leaves to the parser.
        for body in [
            "x\r\n## 一、甲\r\n",
            "## 一、甲\n    code\n",
            "## 一、甲\n1. list\n",
            "## 一、甲\n3) list\n",
            "## **一**、甲\n",
            "## 一、甲\n|a|\n",
            "## 一、甲\n[^1]: x\n",
            "一、甲\n---\n",
            "一、甲\n===\n",
            "####### 一、甲\n",
            "##\t一、甲\n",
            "##一、甲\n",
            "## 三、丙 \\#\n",
        ] {
            assert!(!scan_agrees(body), "{body:?} is scanned");
        }
    }

    #[test]
    fn the_line_scan_agrees_with_the_parser_on_every_fixture() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut files, mut scanned) = (0, 0);
        for dir in ["tests/fixtures", "content", "examples"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                if entry.path().extension().is_none_or(|e| e != "md") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                // The whole file too: the front matter is text the scan refuses.
                for body in [text.as_str(), text.splitn(3, "---\n").nth(2).unwrap_or("")] {
                    files += 1;
                    scanned += usize::from(scan_agrees(body));
                }
            }
        }
        assert!(files > 100 && scanned * 3 > files, "{scanned} of {files} scanned");
    }

    /// Lines whose first bytes may open (or not) a block of every kind.
    const LINES: &[&str] = &[
        "",
        " ",
        "    ",
        "text",
        "正文，2024年",
        "2024年",
        "1. item",
        "2) item",
        "12.5万",
        "## 一、总体情况",
        "## 五、问题 ##",
        "##  六、其他  #",
        "## 三、x\\#",
        "## `四`、y",
        "## **二**、z",
        "### 一、小节",
        "# 一、大",
        "##",
        "## ",
        "##六、not",
        "   ## 五、indented",
        "    ## 五、code",
        "```",
        "~~~",
        "<div>",
        "</div>",
        "> ## 六、quote",
        "- ## 六、list",
        "* item",
        "+ item",
        "---",
        "===",
        "___",
        "| a | b |",
        "|---|---|",
        ":--|--:",
        "[^1]: ## 五、note",
        "[x]: /url",
        "\t## 五、tab",
        "## 六、其他\r",
        "a\rb",
        "## 一、&amp;",
        "## 二、<b>x</b>",
        "## 三、[link](x)",
        "\\## 四、escaped",
        "## 五、\u{0}",
        "#######",
        "## 一、甲 \u{3000}",
        "\u{3000}## 一、甲",
    ];

    /// Lines the scan reads.
    const PLAIN: &[&str] = &[
        "",
        "  ",
        "text",
        "正文，2024年",
        "12万",
        "## 一、总体情况",
        "## 五、问题 ##",
        "##  六、其他  #",
        "### 二、小节",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// Random bodies of such lines: where the scan reads one, it finds
        /// the parser's sections, headings and lines.
        #[test]
        fn fuzz_the_line_scan_agrees_with_the_parser(
            lines in proptest::collection::vec((0..LINES.len(), 0usize..4), 0..14),
            end in proptest::bool::ANY,
        ) {
            let mut body = String::new();
            for (i, (line, plain)) in lines.iter().enumerate() {
                if i > 0 {
                    body.push('\n');
                }
                // Plain lines weigh more, so that many bodies are scanned.
                body.push_str(if *plain == 0 { LINES[*line] } else { PLAIN[line % PLAIN.len()] });
            }
            if end {
                body.push('\n');
            }
            scan_agrees(&body);
        }
    }

    #[test]
    fn a_section_keeps_its_heading_text_and_file_line() {
        let s = find_sections("\n\n## 六、其他需要报告的事项 ##\n", 20);
        assert_eq!(s.len(), 1);
        assert_eq!(
            (s[0].index, s[0].line, s[0].heading.as_str()),
            (5, 22, "六、其他需要报告的事项")
        );
        // CRLF line ends (a body is normally decoded to `\n`, but never
        // miscounted if not).
        let s = find_sections("x\r\n\r\n## 五、问题\r\n", 3);
        assert_eq!((s[0].index, s[0].line), (4, 5));
    }
}
