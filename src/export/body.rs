//! A report's Markdown narrative as WordprocessingML, read by pulldown-cmark
//! with the project's one set of Markdown options
//! ([`crate::report::sections::MARKDOWN_OPTIONS`]): paragraphs (a
//! two-character first-line indent), headings (黑体, 楷体, bold 仿宋 by
//! level), lists (their markers written as text, `1.` or `•`, with a hanging
//! indent), tables (a plain grid), quotes, code blocks, footnotes; bold,
//! italic, strikethrough and code spans as run properties. Raw HTML is left
//! out (a Word document cannot run it, and the portal sanitizes it); an
//! image is its alternative text; a link is its text.

use pulldown_cmark::{Alignment, Event, HeadingLevel, Parser, Tag, TagEnd};

use super::ooxml::{self, CellXml, Para, RunStyle, VMerge};
use crate::report::sections::MARKDOWN_OPTIONS;

/// A list being written: the next number of an ordered list.
struct List {
    next: Option<u64>,
}

struct Writer {
    out: String,
    /// The paragraph open now, if any.
    open: bool,
    style: RunStyle,
    lists: Vec<List>,
    /// A list item's marker, written at the start of its first paragraph.
    marker: Option<String>,
    quote: u32,
    /// The last character of text written (a soft break after a Latin
    /// letter or digit is a space; between Chinese characters, nothing).
    last: char,
    heading: Option<&'static str>,
    code_block: Option<String>,
    /// The table being written: its alignments, rows of cells (XML), and
    /// the output around it while a cell is written.
    table: Option<TableState>,
}

struct TableState {
    aligns: Vec<Alignment>,
    rows: Vec<(bool, Vec<String>)>,
    in_head: bool,
    saved: String,
}

/// The Markdown `text` as paragraphs and tables, appended to `out`.
pub fn markdown(out: &mut String, text: &str) {
    let mut w = Writer {
        out: std::mem::take(out),
        open: false,
        style: RunStyle::default(),
        lists: Vec::new(),
        marker: None,
        quote: 0,
        last: ' ',
        heading: None,
        code_block: None,
        table: None,
    };
    for ev in Parser::new_ext(text, MARKDOWN_OPTIONS) {
        w.event(ev);
    }
    w.close();
    *out = w.out;
}

impl Writer {
    /// The properties of a paragraph opened now.
    fn para(&self) -> Para {
        if self.table.is_some() {
            return Para {
                style: Some("TableText"),
                ..Para::default()
            };
        }
        if let Some(h) = self.heading {
            return Para::styled(h);
        }
        let quote = self.quote * 640;
        if !self.lists.is_empty() {
            let depth = self.lists.len() as u32;
            return Para {
                indent: quote + depth * 640 + 320,
                hanging: 480,
                ..Para::default()
            };
        }
        if quote > 0 {
            return Para {
                indent: quote,
                ..Para::default()
            };
        }
        Para::default()
    }

    fn ensure_open(&mut self) {
        if !self.open {
            self.para().open(&mut self.out);
            self.open = true;
            if let Some(m) = self.marker.take() {
                ooxml::run(&mut self.out, &m, RunStyle::default());
            }
        }
    }

    fn close(&mut self) {
        if self.open {
            self.out.push_str("</w:p>");
            self.open = false;
        }
    }

    fn text(&mut self, s: &str) {
        if let Some(code) = self.code_block.as_mut() {
            code.push_str(s);
            return;
        }
        self.ensure_open();
        ooxml::run(&mut self.out, s, self.style);
        self.last = s.chars().next_back().unwrap_or(self.last);
    }

    fn event(&mut self, ev: Event) {
        match ev {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => {
                let saved = self.style;
                self.style.code = true;
                self.text(&t);
                self.style = saved;
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
            // Raw HTML: left out (see the module's doc).
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::FootnoteReference(name) => {
                let saved = self.style;
                self.style.superscript = true;
                self.text(&format!("[{name}]"));
                self.style = saved;
            }
            Event::SoftBreak => {
                // Chinese text broken over lines joins without a space.
                let ascii_before = self.last.is_ascii_graphic();
                if ascii_before && self.code_block.is_none() && self.open {
                    self.text(" ");
                } else if let Some(code) = self.code_block.as_mut() {
                    code.push('\n');
                }
            }
            Event::HardBreak => self.text("\n"),
            Event::Rule => {
                self.close();
                self.out.push_str("<w:p/>");
            }
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }),
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph if self.table.is_none() => self.close(),
            Tag::Heading { level, .. } => {
                self.close();
                self.heading = Some(match level {
                    HeadingLevel::H1 | HeadingLevel::H2 => "Heading1",
                    HeadingLevel::H3 => "Heading2",
                    _ => "Heading3",
                });
            }
            Tag::BlockQuote(_) => {
                self.close();
                self.quote += 1;
            }
            Tag::CodeBlock(_) => {
                self.close();
                self.code_block = Some(String::new());
            }
            Tag::List(start) => {
                self.close();
                self.lists.push(List { next: start });
            }
            Tag::Item => {
                self.close();
                let marker = match self.lists.last_mut() {
                    Some(List { next: Some(n) }) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "• ".to_string(),
                };
                self.marker = Some(marker);
            }
            Tag::FootnoteDefinition(name) => {
                self.close();
                self.marker = Some(format!("[{name}] "));
            }
            Tag::Table(aligns) => {
                self.close();
                self.table = Some(TableState {
                    aligns,
                    rows: Vec::new(),
                    in_head: false,
                    saved: String::new(),
                });
            }
            Tag::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = true;
                    t.rows.push((true, Vec::new()));
                }
            }
            Tag::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.rows.push((false, Vec::new()));
                }
            }
            Tag::TableCell => {
                if let Some(t) = self.table.as_mut() {
                    t.saved = std::mem::take(&mut self.out);
                }
                self.open = false;
                if self.table.as_ref().is_some_and(|t| t.in_head) {
                    self.style.bold = true;
                }
            }
            Tag::Emphasis => self.style.italic = true,
            Tag::Strong => self.style.bold = true,
            Tag::Strikethrough => self.style.strike = true,
            Tag::Superscript => self.style.superscript = true,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph if self.table.is_none() => self.close(),
            TagEnd::Heading(_) => {
                self.close();
                self.heading = None;
            }
            TagEnd::BlockQuote(_) => {
                self.close();
                self.quote = self.quote.saturating_sub(1);
            }
            TagEnd::CodeBlock => {
                let code = self.code_block.take().unwrap_or_default();
                for line in code.trim_end_matches('\n').split('\n') {
                    ooxml::paragraph(&mut self.out, &Para::styled("Code"), line);
                }
            }
            TagEnd::List(_) => {
                self.close();
                self.lists.pop();
            }
            TagEnd::Item | TagEnd::FootnoteDefinition => {
                self.close();
                self.marker = None;
            }
            TagEnd::TableCell => {
                self.close();
                if let Some(t) = self.table.as_mut() {
                    let cell = std::mem::replace(&mut self.out, std::mem::take(&mut t.saved));
                    if let Some(row) = t.rows.last_mut() {
                        row.1.push(cell);
                    }
                }
                self.style.bold = false;
            }
            TagEnd::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = false;
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    table(&mut self.out, &t);
                }
            }
            TagEnd::Emphasis => self.style.italic = false,
            TagEnd::Strong => self.style.bold = false,
            TagEnd::Strikethrough => self.style.strike = false,
            TagEnd::Superscript => self.style.superscript = false,
            _ => {}
        }
    }
}

/// A Markdown table: equal columns over the type area, the header row
/// shaded and repeated on each page.
fn table(out: &mut String, t: &TableState) {
    let cols = t
        .rows
        .iter()
        .map(|r| r.1.len())
        .max()
        .unwrap_or(0)
        .max(t.aligns.len())
        .max(1);
    let width = ooxml::TEXT_W / cols as u32;
    ooxml::table_open(out, &vec![width; cols]);
    for (head, cells) in &t.rows {
        ooxml::row_open(out, *head, 400);
        for i in 0..cols {
            let content = cells.get(i).map_or("", String::as_str);
            let content = match t.aligns.get(i) {
                Some(Alignment::Right) => content.replace(
                    "<w:pStyle w:val=\"TableText\"/>",
                    "<w:pStyle w:val=\"TableText\"/><w:jc w:val=\"right\"/>",
                ),
                Some(Alignment::Left) => content.replace(
                    "<w:pStyle w:val=\"TableText\"/>",
                    "<w:pStyle w:val=\"TableText\"/><w:jc w:val=\"left\"/>",
                ),
                _ => content.to_string(),
            };
            ooxml::cell(
                out,
                &CellXml {
                    width,
                    span: 1,
                    vmerge: VMerge::None,
                    header: *head,
                    content: &content,
                },
            );
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xml(md: &str) -> String {
        let mut out = String::new();
        markdown(&mut out, md);
        out
    }

    #[test]
    fn paragraphs_headings_lists_and_tables() {
        let x = xml("### （一）主动公开\n\n全年共\n公开**信息**。\n\n1. 甲\n2. 乙\n\n- 丙\n\n| 项目 | 数量 |\n|---|--:|\n| 文件 | 3 |\n");
        assert!(x.contains("<w:pStyle w:val=\"Heading2\"/>"), "{x}");
        // A soft break between Chinese characters joins without a space.
        assert!(x.contains(">全年共</w:t>") && !x.contains("> </w:t>"), "{x}");
        assert!(
            x.contains("<w:b/><w:bCs/></w:rPr><w:t xml:space=\"preserve\">信息</w:t>"),
            "{x}"
        );
        assert!(
            x.contains(">1. </w:t>") && x.contains(">2. </w:t>") && x.contains(">• </w:t>"),
            "{x}"
        );
        assert_eq!(x.matches("<w:tc>").count(), 4);
        assert!(x.contains("<w:tblHeader/>"));
        assert!(x.contains("<w:jc w:val=\"right\"/>"), "{x}");
        // Balanced: every paragraph opened is closed.
        assert_eq!(x.matches("<w:p>").count(), x.matches("</w:p>").count());
    }

    #[test]
    fn raw_html_is_left_out_and_text_escaped() {
        let x = xml("a <script>x</script> & b\n\n<div>块</div>\n");
        assert!(!x.contains("script") && !x.contains("div"), "{x}");
        assert!(x.contains("&amp; b"), "{x}");
    }
}
