//! A saved web page of a report (`.html`, `.htm`, or a file whose first
//! bytes are `<!DOCTYPE html`/`<html`) as the importer's text: parsed by
//! html5ever (through `scraper`), then written out as the lines the text
//! importer reads, so that one table reader serves every source.
//!
//! - The page's visible text in document order; block elements (`p`, `div`,
//!   `li`, `h1`-`h6`, `br`, …) start new lines, runs of white space become
//!   one space (`&nbsp;` and U+3000 included), and a line break of the
//!   source between two Chinese characters is dropped (as CSS does).
//! - What a reader does not see, or what is not the report, is left out:
//!   `head`, scripts and styles, elements that are `hidden`, `display:none`,
//!   `visibility:hidden` or `aria-hidden`; navigation (`nav`, `aside`, the
//!   page's own `footer`, ARIA landmarks for them, lists made only of
//!   links, lines made only of links), form controls and embedded media.
//! - A data table is a grid: rowspan/colspan expanded, one line per row,
//!   cells joined by tabs; a cell spanning several positions has its text at
//!   the first and empty fields in the others, a blank cell is an empty
//!   field, so every cell keeps its column (as [`super::docx`] writes Word
//!   tables). Columns in which no cell begins (made only by spans) are left
//!   out. A layout table (one holding another table, headings, lists or
//!   long text, or a single cell) is read as ordinary blocks, and the data
//!   tables inside it as grids. A table of `key：value` cells (the
//!   信息索引 of disclosure pages) becomes one `key：value` line each.
//! - `dt`/`dd` pairs are one line, `term：definition`.
//! - The report's title: lines before the first visible one are page
//!   furniture and left out, but for `key：value` lines (发布时间, 发布机构,
//!   来源, 索引号) and a name on the line just before it. When no visible line
//!   carries a title, the `<title>`'s is written as the first line.
//!
//! The bytes are decoded as the page says (`<meta charset=gbk>`) when they
//! are not UTF-8. What reading a page may cost is bounded by [`Limits`].

use std::path::Path;

use scraper::{ElementRef, Html, Node};

use self::table::{cell_text, is_layout, key_of, only_links, Grid};
use super::meta;
use super::text::{is_space, tidy};

/// What reading a web page may cost. The defaults ([`Limits::DEFAULT`]) are
/// far above any real report page (50 KiB-2 MiB, tables of 10-17 columns and
/// a few dozen rows) and far below what would hurt.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The most bytes of HTML parsed: the parsed tree takes several times
    /// the page's size in memory.
    pub html: usize,
    /// The most columns a table may have, spans included.
    pub columns: usize,
    /// The most rows a table may have.
    pub rows: usize,
    /// The most bytes of text the page may give.
    pub text: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        html: 8 << 20,
        columns: super::text::CELL_CAP,
        rows: 10_000,
        text: super::TEXT_CAP,
    };
}

/// Whether `path` names a web page by its extension.
pub fn is_html_name(path: &Path) -> bool {
    path.extension().is_some_and(|e| {
        ["html", "htm", "xhtml", "shtml"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// Whether a source is a web page: by its extension, or, for any file but a
/// .doc or .pdf, by its first bytes ([`sniff`]).
pub fn is_html(path: &Path, bytes: &[u8]) -> bool {
    let other = path
        .extension()
        .is_some_and(|e| ["doc", "pdf", "docx"].iter().any(|x| e.eq_ignore_ascii_case(x)));
    is_html_name(path) || (!other && sniff(bytes))
}

/// Whether `bytes` begin as a web page does: after a byte order mark, white
/// space, comments (a browser's `<!-- saved from url=… -->`) and an XML
/// declaration, `<!DOCTYPE html`, `<html`, `<head` or `<body`.
pub fn sniff(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text: String = match encoding_rs::Encoding::for_bom(head) {
        Some((enc, bom)) => enc.decode_without_bom_handling(&head[bom..]).0.into_owned(),
        None => String::from_utf8_lossy(head).into_owned(),
    };
    let mut t = text.trim_start_matches(is_space);
    loop {
        if let Some(rest) = t.strip_prefix("<!--") {
            match rest.find("-->") {
                Some(end) => t = rest[end + 3..].trim_start_matches(is_space),
                None => return false,
            }
        } else if let Some(rest) = t.strip_prefix("<?") {
            match rest.find("?>") {
                Some(end) => t = rest[end + 2..].trim_start_matches(is_space),
                None => return false,
            }
        } else {
            break;
        }
    }
    let starts = |word: &str| {
        t.len() > word.len()
            && t.as_bytes()[..word.len()].eq_ignore_ascii_case(word.as_bytes())
            && matches!(t.as_bytes()[word.len()], b' ' | b'>' | b'\t' | b'\n' | b'\r' | b'/')
    };
    starts("<!doctype") && {
        let rest = t[9..].trim_start_matches(is_space);
        rest.len() >= 4 && rest.as_bytes()[..4].eq_ignore_ascii_case(b"html")
    } || starts("<html")
        || starts("<head")
        || starts("<body")
}

/// The character encoding a page declares in its first 4 KiB
/// (`<meta charset="gbk">`, `<meta http-equiv="Content-Type"
/// content="text/html; charset=gb2312">`); only encodings that keep ASCII
/// as it is (a declared UTF-16 means UTF-8, as in browsers).
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let start = from + at;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let mut i = c + 7;
            let skip = |i: &mut usize, set: &[u8]| {
                while *i < tag.len() && set.contains(&tag[*i]) {
                    *i += 1;
                }
            };
            skip(&mut i, b" \t\r\n");
            if tag.get(i) == Some(&b'=') {
                i += 1;
                skip(&mut i, b" \t\r\n\"'");
                let label_end = tag[i..]
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || b"-_.:".contains(b)))
                    .map_or(tag.len(), |p| i + p);
                if let Some(enc) = encoding_rs::Encoding::for_label(&tag[i..label_end]) {
                    return Some(if enc.is_ascii_compatible() {
                        enc
                    } else {
                        encoding_rs::UTF_8
                    });
                }
            }
        }
        from = end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decodes a web page: a byte order mark wins; else UTF-8 when the bytes
/// are UTF-8; else the encoding the page declares, or GB18030 (which covers
/// GBK and GB2312). A few bytes that do not decode (a page cut short, a
/// stray byte) read as U+FFFD, which no number or label matches; more than
/// one character in a hundred is an error.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return Ok(enc.decode_without_bom_handling(&bytes[bom..]).0.into_owned());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let declared = declared_charset(bytes);
    let mut best: Option<(usize, String, &'static str)> = None;
    for enc in declared.into_iter().chain([encoding_rs::GB18030]) {
        let (text, _, had_errors) = enc.decode(bytes);
        if !had_errors {
            return Ok(text.into_owned());
        }
        let bad = text.chars().filter(|&c| c == '\u{fffd}').count();
        if best.as_ref().is_none_or(|b| bad < b.0) {
            best = Some((bad, text.into_owned(), enc.name()));
        }
    }
    match best {
        Some((bad, text, _)) if bad * 100 <= text.chars().count() => Ok(text),
        Some((_, _, name)) => Err(match declared {
            Some(d) => t!("import.html.not_declared", encoding = d.name()).into_owned(),
            None => t!("import.html.not_encoding", encoding = name).into_owned(),
        }),
        None => Err(t!("import.html.undecodable").into_owned()),
    }
}

/// The text of a web page's bytes.
pub fn text(bytes: &[u8]) -> Result<String, String> {
    text_with(bytes, &Limits::DEFAULT)
}

/// The text of a web page's bytes, within `limits`.
pub fn text_with(bytes: &[u8], limits: &Limits) -> Result<String, String> {
    if bytes.len() > limits.html {
        return Err(t!("import.html.too_big", mib = limits.html >> 20).into_owned());
    }
    page_text(&decode(bytes)?, limits)
}

/// The text of a web page, as the importer reads it (see the module's
/// documentation).
pub fn page_text(html: &str, limits: &Limits) -> Result<String, String> {
    if html.len() > limits.html {
        return Err(t!("import.html.too_big", mib = limits.html >> 20).into_owned());
    }
    guard::check(html)?;
    let doc = Html::parse_document(html);
    let mut w = Writer::new(limits);
    w.walk(doc.root_element())?;
    w.break_line()?;
    Ok(arrange(&w.out, page_title(&doc).as_deref()))
}

/// How a line of text is being built.
struct Writer<'l> {
    limits: &'l Limits,
    /// The lines written so far, each ending in `\n`.
    out: String,
    /// The line being built.
    line: String,
    /// White space seen since the last character: (any, a source line
    /// break, a no-break or ideographic space).
    space: (bool, bool, bool),
    /// The line's first characters outside links (up to [`PLAIN_KEPT`]),
    /// and whether it has text inside a heading.
    plain: String,
    heading_text: bool,
    /// Elements open around the text: links, headings, `pre`, `article` or
    /// `main`, and lists whose links were looked at.
    links: usize,
    headings: usize,
    pre: usize,
    articles: usize,
    lists: usize,
    /// The line holds a `dt` whose `dd` may follow on it.
    term: bool,
}

/// What to do with an element's children.
enum Enter {
    Children,
    Skip,
}

/// Elements that start and end a line.
const BLOCKS: &str = "address article blockquote body caption center dd details dialog dir div dl dt fieldset \
    figcaption figure footer h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu ol p pre section \
    summary table tbody td tfoot th thead tr ul";

/// Elements whose content is never the report's text: the document head,
/// scripts, form controls, embedded media, navigation.
const LEFT_OUT: &str = "head script style noscript template title nav aside button select option optgroup \
    datalist input textarea iframe frame frameset object embed svg math canvas audio video map img picture rt rp";

fn is_block(name: &str) -> bool {
    BLOCKS.split_ascii_whitespace().any(|b| b == name)
}

fn is_left_out(name: &str) -> bool {
    LEFT_OUT.split_ascii_whitespace().any(|b| b == name)
}

/// Whether an element is hidden from a reader: `hidden`, `aria-hidden`,
/// `display:none` or `visibility:hidden` in its style, a closed `dialog`,
/// or an ARIA landmark of page furniture (navigation, search, banner, the
/// page's footer, a complementary aside).
fn is_hidden(el: &ElementRef) -> bool {
    let e = el.value();
    if e.attr("hidden").is_some()
        || e.attr("aria-hidden")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    if e.name() == "dialog" && e.attr("open").is_none() {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        if s.split(';')
            .any(|d| d.starts_with("display:none") || d.starts_with("visibility:hidden"))
        {
            return true;
        }
    }
    e.attr("role").is_some_and(|r| {
        let r = r.trim().to_ascii_lowercase();
        ["navigation", "search", "banner", "contentinfo", "complementary"].contains(&r.as_str())
    })
}

/// How many characters outside links a line keeps to tell a link label
/// (`上一篇：`) from text.
const PLAIN_KEPT: usize = 16;

/// Whether the text outside a line's links only labels them: 上一篇：,
/// 下一条：.
fn is_link_label(plain: &str) -> bool {
    let t = plain.trim_matches(is_space);
    (t.starts_with("上一") || t.starts_with("下一")) && t.ends_with(['：', ':']) && t.chars().count() <= 6
}

/// Whether an element is the page's footer, outside any `article` or
/// `main`: a `footer`, or an element whose id or class names a footer or a
/// copyright notice (主办单位, 网站标识码, ICP备案 lines after the report).
fn is_page_footer(el: &ElementRef) -> bool {
    let e = el.value();
    let footerish = |w: &str| {
        let w = w.to_ascii_lowercase();
        (w.contains("foot") && !w.contains("footnote")) || w.contains("copyright") || w.contains("banquan")
    };
    e.name() == "footer" || e.id().is_some_and(footerish) || e.classes().any(footerish)
}

/// Whether `c` is set wide, as Chinese is: a source line break between two
/// such characters is no space (CSS Text's segment break rule).
fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{2e80}'..='\u{a4cf}' | '\u{f900}'..='\u{faff}' | '\u{fe30}'..='\u{fe4f}'
        | '\u{ff00}'..='\u{ff60}' | '\u{ffe0}'..='\u{ffe6}' | '\u{20000}'..='\u{3ffff}')
}

impl<'l> Writer<'l> {
    fn new(limits: &'l Limits) -> Self {
        Writer {
            limits,
            out: String::new(),
            line: String::new(),
            space: (false, false, false),
            plain: String::new(),
            heading_text: false,
            links: 0,
            headings: 0,
            pre: 0,
            articles: 0,
            lists: 0,
            term: false,
        }
    }

    fn too_much(&self) -> String {
        t!("import.html.text", mib = self.limits.text >> 20).into_owned()
    }

    /// Ends the line being built. A line made only of links (a menu, 【打印】
    /// 【关闭】, 上一篇：<a>…</a>) is left out, unless it is a heading or a
    /// report's title.
    fn break_line(&mut self) -> Result<(), String> {
        self.space = (false, false, false);
        self.term = false;
        let line = std::mem::take(&mut self.line);
        let t = line.trim_end_matches(' ');
        // A link that is a title (<h1><a>…报告</a></h1>) is kept; a link
        // labelled 上一篇： is not, whatever it names.
        let kept = if self.plain.is_empty() {
            self.heading_text || meta::is_title(t)
        } else {
            !is_link_label(&self.plain) || t.chars().count() == self.plain.chars().count()
        };
        if !t.is_empty() && kept {
            self.out.push_str(t);
            self.out.push('\n');
            if self.out.len() > self.limits.text {
                return Err(self.too_much());
            }
        }
        self.plain.clear();
        self.heading_text = false;
        Ok(())
    }

    /// Adds a text node's characters to the line.
    fn text(&mut self, s: &str) -> Result<(), String> {
        for c in s.chars() {
            if self.pre > 0 && c == '\n' {
                self.break_line()?;
                continue;
            }
            if is_space(c) || c == '\t' {
                let hard = c == '\u{a0}' || c == '\u{3000}';
                self.space.0 = true;
                self.space.1 |= c == '\n' || c == '\r';
                self.space.2 |= hard;
                continue;
            }
            if self.space.0 && !self.line.is_empty() {
                let (_, newline, hard) = self.space;
                let joined = newline && !hard && self.line.chars().next_back().is_some_and(is_wide) && is_wide(c);
                if !joined {
                    self.line.push(' ');
                }
            }
            self.space = (false, false, false);
            self.line.push(c);
            if self.links == 0 && self.plain.len() < PLAIN_KEPT {
                self.plain.push(c);
            }
            if self.headings > 0 {
                self.heading_text = true;
            }
        }
        if self.line.len() > self.limits.text {
            return Err(self.too_much());
        }
        Ok(())
    }

    /// Walks the tree from `root` without recursion (a page may nest
    /// elements thousands deep).
    fn walk(&mut self, root: ElementRef) -> Result<(), String> {
        let mut stack = vec![(*root, false)];
        while let Some((node, closing)) = stack.pop() {
            match node.value() {
                Node::Text(t) if !closing => self.text(t)?,
                Node::Element(_) => {
                    let Some(el) = ElementRef::wrap(node) else { continue };
                    if closing {
                        self.close(&el)?;
                    } else if let Enter::Children = self.open(&el)? {
                        stack.push((node, true));
                        stack.extend(node.children().rev().map(|c| (c, false)));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn open(&mut self, el: &ElementRef) -> Result<Enter, String> {
        let name = el.value().name();
        if is_left_out(name) || is_hidden(el) || (self.articles == 0 && is_page_footer(el)) {
            return Ok(Enter::Skip);
        }
        match name {
            "br" => self.break_line()?,
            "table" if !is_layout(el) => {
                self.break_line()?;
                self.table(el)?;
                return Ok(Enter::Skip);
            }
            "ul" | "ol" | "menu" => {
                if self.lists == 0 && only_links(el) {
                    return Ok(Enter::Skip);
                }
                self.lists += 1;
                self.break_line()?;
            }
            "dd" if self.term && !self.line.is_empty() => {
                if !self.line.ends_with(['：', ':']) {
                    self.line.push('：');
                }
                self.space = (false, false, false);
                self.term = false;
            }
            "a" => self.links += 1,
            "pre" => {
                self.break_line()?;
                self.pre += 1;
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.break_line()?;
                self.headings += 1;
            }
            "article" | "main" => {
                self.break_line()?;
                self.articles += 1;
            }
            _ if is_block(name) => self.break_line()?,
            _ => {}
        }
        Ok(Enter::Children)
    }

    fn close(&mut self, el: &ElementRef) -> Result<(), String> {
        let name = el.value().name();
        match name {
            "a" => self.links = self.links.saturating_sub(1),
            "pre" => {
                self.break_line()?;
                self.pre = self.pre.saturating_sub(1);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.break_line()?;
                self.headings = self.headings.saturating_sub(1);
            }
            "article" | "main" => {
                self.break_line()?;
                self.articles = self.articles.saturating_sub(1);
            }
            "ul" | "ol" | "menu" => {
                self.break_line()?;
                self.lists = self.lists.saturating_sub(1);
            }
            // The term stays on the line, for its definition to follow.
            "dt" => {
                self.space = (false, false, false);
                self.term = !self.line.is_empty();
            }
            _ if is_block(name) => self.break_line()?,
            _ => {}
        }
        Ok(())
    }

    /// Writes a data table: its caption, unless it repeats the line before
    /// it (the section heading), then its rows as a grid, then a blank line.
    fn table(&mut self, table: &ElementRef) -> Result<(), String> {
        let mut caption = None;
        // Row groups in the order they are shown: a `tfoot` last.
        let mut groups: Vec<Vec<ElementRef>> = Vec::new();
        let mut feet: Vec<Vec<ElementRef>> = Vec::new();
        let mut bare: Vec<ElementRef> = Vec::new();
        for child in table.children().filter_map(ElementRef::wrap) {
            if is_hidden(&child) {
                continue;
            }
            match child.value().name() {
                "caption" => caption = Some(cell_text(&child)),
                "tr" => bare.push(child),
                name @ ("thead" | "tbody" | "tfoot") => {
                    if !bare.is_empty() {
                        groups.push(std::mem::take(&mut bare));
                    }
                    let rows: Vec<ElementRef> = child
                        .children()
                        .filter_map(ElementRef::wrap)
                        .filter(|r| r.value().name() == "tr" && !is_hidden(r))
                        .collect();
                    if name == "tfoot" {
                        feet.push(rows);
                    } else {
                        groups.push(rows);
                    }
                }
                _ => {}
            }
        }
        if !bare.is_empty() {
            groups.push(bare);
        }
        groups.extend(feet);
        if let Some(c) = caption.filter(|c| !c.is_empty()) {
            let last = self.out.trim_end_matches('\n').rsplit('\n').next().unwrap_or("");
            if super::text::norm(last) != super::text::norm(&c) {
                self.out.push_str(&c);
                self.out.push('\n');
            }
        }
        let grid = Grid::build(&groups, self.limits)?;
        if grid.is_meta() {
            for line in grid.meta_lines() {
                self.out.push_str(&line);
                self.out.push('\n');
            }
        } else {
            grid.write(&mut self.out, self.limits)?;
        }
        self.out.push('\n');
        if self.out.len() > self.limits.text {
            return Err(self.too_much());
        }
        Ok(())
    }
}

/// The report title in the page's `<title>`: of its parts (a site appends
/// its name after `_`, `|`, ` - `), the first that is a report's title.
fn page_title(doc: &Html) -> Option<String> {
    let title = doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "title")?;
    let text: String = title.text().collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.split(['_', '|', '｜'])
        .flat_map(|p| p.split(" - "))
        .flat_map(|p| p.split("--"))
        .flat_map(|p| p.split("——"))
        .map(tidy)
        .find(|p| is_title_line(p))
}

/// A line that is a report's title: it names a year and a report, and is
/// short and no sentence.
fn is_title_line(line: &str) -> bool {
    !line.contains('\t') && !line.contains('。') && line.chars().count() <= 80 && meta::is_title(line)
}

/// Puts the lines in the order the importer reads them: page furniture
/// before the title left out (but for `key：value` lines and a name just
/// before the title), or the `<title>`'s title first when no line carries
/// one.
fn arrange(text: &str, page_title: Option<&str>) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let keyed = |l: &str| key_of(l).is_some_and(|k| !k.contains("位置"));
    let title_at = lines
        .iter()
        .position(|l| is_title_line(l) && !keyed(l))
        .or_else(|| lines.iter().position(|l| is_title_line(l)));
    let mut out = String::with_capacity(text.len() + 100);
    match title_at {
        Some(t) => {
            for (i, line) in lines.iter().enumerate() {
                let kept = i >= t || keyed(line) || (i + 1 == t && meta::looks_like_agency(line));
                if kept {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        None => {
            if let Some(title) = page_title {
                out.push_str(title);
                out.push('\n');
            }
            out.push_str(text);
        }
    }
    out
}

mod guard;
mod table;
#[cfg(test)]
mod tests;
