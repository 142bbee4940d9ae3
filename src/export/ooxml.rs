//! The WordprocessingML of an exported report: the package's fixed parts
//! (content types, relationships, styles, fonts, settings, the footer with
//! the page number, document properties), paragraphs, runs and table cells
//! as strings, and the zip archive that holds them.
//!
//! Written by hand on `zip` (already a dependency, for the importer) rather
//! than through a .docx crate: docx-rs 0.4.22, the kept one, declares no
//! rust-version and brings zip 8 beside our zip 7 (two copies of the archive
//! code) with serde_json, smallvec, base64 and crc32fast, for what is here a
//! fixed, small set of elements. Every piece of text goes through
//! [`crate::escape::html`], which also makes XML of it (the five entities,
//! and U+FFFD for what XML 1.0 cannot carry).

use std::io::Write;

use crate::escape;

/// A4 in twips (1/20 pt), portrait.
pub const PAGE_W: u32 = 11906;
pub const PAGE_H: u32 = 16838;
/// Margins of GB/T 9704-2012 (党政机关公文格式): top 37 mm, bottom 35 mm,
/// left (订口) 28 mm, right 26 mm, leaving the 156 x 225 mm type area.
pub const MARGIN_TOP: u32 = 2098;
pub const MARGIN_BOTTOM: u32 = 1984;
pub const MARGIN_LEFT: u32 = 1588;
pub const MARGIN_RIGHT: u32 = 1474;
/// The width of the type area, the width of every table.
pub const TEXT_W: u32 = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;

/// The fonts of government documents: 仿宋_GB2312 for the text, 黑体 for
/// first-level headings, 楷体_GB2312 for second-level ones, 方正小标宋简体 for
/// the title (宋体 where it is missing: `fontTable.xml` names the fallbacks),
/// Times New Roman for Latin letters and digits.
pub const FANGSONG: &str = "仿宋_GB2312";
pub const HEITI: &str = "黑体";
pub const KAITI: &str = "楷体_GB2312";
pub const XIAOBIAOSONG: &str = "方正小标宋简体";
pub const SONGTI: &str = "宋体";
pub const LATIN: &str = "Times New Roman";

/// Text as XML content or attribute value.
pub fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    escape::html(s)
}

/// How a run looks, beyond its paragraph's style.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunStyle {
    pub bold: bool,
    pub italic: bool,
    pub strike: bool,
    pub code: bool,
    pub superscript: bool,
    /// Font size in half-points (0: the style's).
    pub size: u32,
}

/// One run of text: line breaks become `<w:br/>`, tabs `<w:tab/>`.
pub fn run(out: &mut String, text: &str, style: RunStyle) {
    if text.is_empty() {
        return;
    }
    out.push_str("<w:r>");
    let mut pr = String::new();
    if style.code {
        pr.push_str("<w:rFonts w:ascii=\"Courier New\" w:hAnsi=\"Courier New\"/>");
    }
    if style.bold {
        pr.push_str("<w:b/><w:bCs/>");
    }
    if style.italic {
        pr.push_str("<w:i/><w:iCs/>");
    }
    if style.strike {
        pr.push_str("<w:strike/>");
    }
    if style.superscript {
        pr.push_str("<w:vertAlign w:val=\"superscript\"/>");
    }
    if style.size > 0 {
        pr.push_str(&format!("<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/>", style.size));
    }
    if !pr.is_empty() {
        out.push_str("<w:rPr>");
        out.push_str(&pr);
        out.push_str("</w:rPr>");
    }
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                out.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                out.push_str("<w:t xml:space=\"preserve\">");
                out.push_str(&esc(piece));
                out.push_str("</w:t>");
            }
        }
    }
    out.push_str("</w:r>");
}

/// Paragraph properties: a style, an alignment, indents.
#[derive(Clone, Debug, Default)]
pub struct Para {
    pub style: Option<&'static str>,
    /// `left`, `center`, `right`, `both`.
    pub align: Option<&'static str>,
    /// Left indent in twips.
    pub indent: u32,
    /// First line indent in hundredths of a character (200: two characters);
    /// `None`: the style's.
    pub first_line_chars: Option<u32>,
    /// Hanging indent in twips (list items).
    pub hanging: u32,
    /// Kept on the page of the next paragraph (the rows of a table but
    /// its last, so a short table is never split).
    pub keep_next: bool,
}

impl Para {
    pub fn styled(style: &'static str) -> Para {
        Para {
            style: Some(style),
            ..Para::default()
        }
    }

    /// `<w:p>` with these properties (the caller closes it with `</w:p>`).
    pub fn open(&self, out: &mut String) {
        out.push_str("<w:p><w:pPr>");
        if let Some(s) = self.style {
            out.push_str(&format!("<w:pStyle w:val=\"{s}\"/>"));
        }
        if self.keep_next {
            out.push_str("<w:keepNext/>");
        }
        if self.indent > 0 || self.hanging > 0 || self.first_line_chars.is_some() {
            out.push_str(&format!("<w:ind w:left=\"{}\"", self.indent));
            if self.hanging > 0 {
                out.push_str(&format!(" w:hanging=\"{}\"", self.hanging));
            } else if let Some(c) = self.first_line_chars {
                out.push_str(&format!(" w:firstLineChars=\"{c}\" w:firstLine=\"{}\"", c * 16 / 5));
            }
            out.push_str("/>");
        }
        if let Some(a) = self.align {
            out.push_str(&format!("<w:jc w:val=\"{a}\"/>"));
        }
        out.push_str("</w:pPr>");
    }
}

/// A whole paragraph of plain text.
pub fn paragraph(out: &mut String, p: &Para, text: &str) {
    p.open(out);
    run(out, text, RunStyle::default());
    out.push_str("</w:p>");
}

/// A table cell: its width in twips (of all the grid columns it spans),
/// its horizontal span, its place in a vertical merge, whether it is shaded
/// (a header), and its content (paragraphs; one empty paragraph is written
/// when there is none, as a cell must hold one).
pub struct CellXml<'a> {
    pub width: u32,
    pub span: usize,
    pub vmerge: VMerge,
    pub header: bool,
    pub content: &'a str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VMerge {
    None,
    Restart,
    Continue,
}

pub fn cell(out: &mut String, c: &CellXml) {
    out.push_str(&format!("<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>", c.width));
    if c.span > 1 {
        out.push_str(&format!("<w:gridSpan w:val=\"{}\"/>", c.span));
    }
    match c.vmerge {
        VMerge::None => {}
        VMerge::Restart => out.push_str("<w:vMerge w:val=\"restart\"/>"),
        VMerge::Continue => out.push_str("<w:vMerge/>"),
    }
    if c.header {
        out.push_str("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F2F2F2\"/>");
    }
    out.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
    if c.content.is_empty() {
        out.push_str("<w:p><w:pPr><w:pStyle w:val=\"TableText\"/></w:pPr></w:p>");
    } else {
        out.push_str(c.content);
    }
    out.push_str("</w:tc>");
}

/// `<w:tbl>` with its properties and grid; the rows follow, then `</w:tbl>`.
pub fn table_open(out: &mut String, widths: &[u32]) {
    let total: u32 = widths.iter().sum();
    out.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"Grid\"/><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>\
         <w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/></w:tblBorders>\
         <w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar>\
         <w:tblLook w:val=\"0000\"/></w:tblPr><w:tblGrid>"
    ));
    for w in widths {
        out.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    out.push_str("</w:tblGrid>");
}

/// A table row's start: header rows repeat on every page the table runs onto,
/// no row is split across pages, and a row is at least `height` twips high.
pub fn row_open(out: &mut String, header: bool, height: u32) {
    out.push_str(&format!("<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val=\"{height}\"/>"));
    if header {
        out.push_str("<w:tblHeader/>");
    }
    out.push_str("</w:trPr>");
}

/// The document's metadata, for `docProps/core.xml`.
pub struct Meta<'a> {
    pub title: &'a str,
    pub creator: &'a str,
    /// `YYYY-MM-DD`: the report's publication date, so the same report
    /// always gives the same file.
    pub date: &'a str,
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;

const APP: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>gongkai</Application></Properties>"#;

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="640"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>"#;

const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

/// `rFonts` for an East Asian font with Latin text in Times New Roman.
fn fonts(east_asia: &str) -> String {
    format!("<w:rFonts w:ascii=\"{LATIN}\" w:hAnsi=\"{LATIN}\" w:eastAsia=\"{east_asia}\" w:cs=\"{LATIN}\"/>")
}

/// The styles: 三号 (16 pt) 仿宋 text with a two-character first-line indent
/// and 28.95 pt lines (22 lines a page, GB/T 9704), the title in 二号 (22 pt)
/// 小标宋, headings 1-3 in 黑体, 楷体 and bold 仿宋, table text single-spaced.
fn styles() -> String {
    let fs = fonts(FANGSONG);
    let heading = |id: &str, name: &str, level: u32, font: &str, bold: bool| {
        format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
             <w:pPr><w:keepNext/><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:outlineLvl w:val=\"{level}\"/></w:pPr><w:rPr>{}{}</w:rPr></w:style>",
            fonts(font),
            if bold { "<w:b/><w:bCs/>" } else { "" }
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles {NS}>\
         <w:docDefaults><w:rPrDefault><w:rPr>{fs}<w:kern w:val=\"2\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"579\" w:lineRule=\"exact\"/><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/><w:pPr><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/></w:pPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"579\" w:line=\"700\" w:lineRule=\"exact\"/><w:ind w:firstLine=\"0\" w:firstLineChars=\"0\"/><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/></w:pPr>\
         <w:rPr><w:rFonts w:ascii=\"{LATIN}\" w:hAnsi=\"{LATIN}\" w:eastAsia=\"{XIAOBIAOSONG}\" w:cs=\"{LATIN}\"/><w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr></w:style>\
         {}{}{}\
         <w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLine=\"0\" w:firstLineChars=\"0\"/><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Code\"><w:name w:val=\"Code\"/><w:basedOn w:val=\"Normal\"/>\
         <w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLine=\"0\" w:firstLineChars=\"0\" w:left=\"640\"/><w:jc w:val=\"left\"/></w:pPr><w:rPr><w:rFonts w:ascii=\"Courier New\" w:hAnsi=\"Courier New\"/><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/>\
         <w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLine=\"0\" w:firstLineChars=\"0\"/><w:jc w:val=\"center\"/></w:pPr><w:rPr>{}<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"Grid\"><w:name w:val=\"Table Grid\"/><w:tblPr><w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
         </w:styles>",
        heading("Heading1", "heading 1", 1, HEITI, false),
        heading("Heading2", "heading 2", 2, KAITI, false),
        heading("Heading3", "heading 3", 3, FANGSONG, true),
        fonts(SONGTI),
    )
}

/// The fonts, with the fallbacks a machine without them should use.
fn font_table() -> String {
    let font = |name: &str, alt: &str, family: &str, pitch: &str| {
        format!(
            "<w:font w:name=\"{name}\"><w:altName w:val=\"{alt}\"/><w:charset w:val=\"86\"/><w:family w:val=\"{family}\"/><w:pitch w:val=\"{pitch}\"/></w:font>"
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:fonts {NS}>{}{}{}{}{}<w:font w:name=\"{LATIN}\"><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font></w:fonts>",
        font(FANGSONG, "仿宋", "modern", "fixed"),
        font(HEITI, "SimHei", "modern", "fixed"),
        font(KAITI, "楷体", "modern", "fixed"),
        font(XIAOBIAOSONG, SONGTI, "script", "fixed"),
        font(SONGTI, "SimSun", "auto", "variable"),
    )
}

/// The footer: the page number between dashes, centred (`— 1 —`).
fn footer() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>\
         <w:r><w:t xml:space=\"preserve\">— </w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>"
    )
}

fn core(meta: &Meta) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>zh-CN</dc:language>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{}T00:00:00Z</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{}T00:00:00Z</dcterms:modified></cp:coreProperties>",
        esc(meta.title),
        esc(meta.creator),
        esc(meta.date),
        esc(meta.date)
    )
}

/// The whole `word/document.xml` around `body` (paragraphs and tables),
/// ending with the A4 section and its footer.
fn document(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {NS}><w:body>{body}\
         <w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/><w:pgSz w:w=\"{PAGE_W}\" w:h=\"{PAGE_H}\"/>\
         <w:pgMar w:top=\"{MARGIN_TOP}\" w:right=\"{MARGIN_RIGHT}\" w:bottom=\"{MARGIN_BOTTOM}\" w:left=\"{MARGIN_LEFT}\" w:header=\"851\" w:footer=\"1134\" w:gutter=\"0\"/>\
         <w:pgNumType w:start=\"1\"/><w:docGrid w:type=\"lines\" w:linePitch=\"579\"/></w:sectPr></w:body></w:document>"
    )
}

/// The .docx package of `body` (the content of `<w:body>`). The archive's
/// entries carry no time (zip's default, 1980-01-01), so the same report
/// always gives the same bytes.
pub fn package(body: &str, meta: &Meta) -> std::io::Result<Vec<u8>> {
    let parts: [(&str, String); 9] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", RELS.to_string()),
        ("docProps/core.xml", core(meta)),
        ("docProps/app.xml", APP.to_string()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("word/document.xml", document(body)),
        ("word/styles.xml", styles()),
        ("word/settings.xml", SETTINGS.to_string()),
        ("word/fontTable.xml", font_table()),
    ];
    let mut files: Vec<(String, Vec<u8>)> = parts
        .into_iter()
        .map(|(name, text)| (name.to_string(), text.into_bytes()))
        .collect();
    files.push(("word/footer1.xml".to_string(), footer().into_bytes()));
    zip_of(&files)
}

/// A zip archive of `files` (name, bytes), deflated, in the order given.
pub fn zip_of(files: &[(String, Vec<u8>)]) -> std::io::Result<Vec<u8>> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), opts).map_err(std::io::Error::other)?;
        zip.write_all(bytes)?;
    }
    zip.finish().map_err(std::io::Error::other)?;
    Ok(buf.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_escape_text_and_break_lines() {
        let mut out = String::new();
        run(&mut out, "a<b&\u{1}c\nd\te", RunStyle::default());
        assert_eq!(
            out,
            "<w:r><w:t xml:space=\"preserve\">a&lt;b&amp;\u{FFFD}c</w:t><w:br/><w:t xml:space=\"preserve\">d</w:t><w:tab/><w:t xml:space=\"preserve\">e</w:t></w:r>"
        );
    }
}
