//! The sections of a report body as the Markdown parser sees them: the one
//! reading of a body's headings that the check R10 (through
//! [`find_sections`]) and the renderer (`crate::markdown`, through
//! [`blocks`]) share, with the one set of pulldown-cmark extensions
//! ([`MARKDOWN_OPTIONS`]). A section opens at a level-2 heading (`## ` or a
//! line underlined with `---`) that is not inside another block (a quote, a
//! list, a footnote) and whose text begins with 一 … 六. What CommonMark does
//! not take for a heading (a line in a fenced code block, in an HTML block,
//! indented by four spaces) never opens a section, and what it does (a `## `
//! indented by up to three spaces) always does.

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
pub fn find_sections(body: &str, body_line: usize) -> Vec<Section> {
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
