//! A Word document (`.docx`) as the importer's text: `word/document.xml`
//! streamed out of the zip archive into quick-xml; each paragraph one line,
//! each table row one line of tab-separated cells. A cell spanning columns
//! (`w:gridSpan`) is followed by empty cells so every row has the table's
//! full width; a cell continuing a vertical merge (`w:vMerge` without
//! `restart`) is an empty cell. So the cells keep their places, blank cells
//! included.
//!
//! A .docx is a zip archive, and a hostile one can be made to expand without
//! end: [`Limits`] bounds what reading it may cost (the uncompressed size of
//! `word/document.xml` and its compression ratio, counted while it is
//! inflated, never taken from its header; the width and height of a table;
//! the text produced), and each is an error naming the limit, reached after
//! reading no more than the limit. Custom XML entities (`<!ENTITY …>`) are
//! never expanded: an unknown `&name;` reads as nothing.

use std::cell::Cell;
use std::io::{BufRead, Cursor, Read, Seek, SeekFrom};
use std::rc::Rc;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// What reading a .docx may cost. The defaults ([`Limits::DEFAULT`]) are
/// far above any real report (a few dozen columns, a few hundred rows, a
/// `word/document.xml` of a few MiB compressed 5-20 times) and far below
/// what would hurt (gigabytes, minutes).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The most bytes `word/document.xml` may expand to.
    pub document: u64,
    /// The most `word/document.xml` may expand per byte of the archive read
    /// (the compression ratio), once past `ratio_floor` bytes.
    pub ratio: u64,
    pub ratio_floor: u64,
    /// The most columns a table row may have, spans (`w:gridSpan`) included.
    pub columns: usize,
    /// The most rows a table may have.
    pub rows: usize,
    /// The most bytes of text the document may give.
    pub text: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        document: 64 << 20,
        ratio: 100,
        ratio_floor: 1 << 20,
        columns: 256,
        rows: 10_000,
        text: super::TEXT_CAP,
    };
}

/// Whether `bytes` are a zip archive (a .docx is one).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The value of attribute `name`, if present (duplicates are not looked
/// for: the first one counts).
fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// A `w:gridSpan` value: digits too many for a number are over any limit;
/// anything else that is no number counts as 1 (no span).
fn span_value(v: &str) -> u64 {
    let v = v.trim();
    match v.parse::<u64>() {
        Ok(n) => n.max(1),
        Err(_) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => u64::MAX,
        Err(_) => 1,
    }
}

/// An error from a limit of [`Limits`], told apart from the archive's own
/// read errors by its type.
#[derive(Debug)]
struct OverLimit(String);

impl std::fmt::Display for OverLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OverLimit {}

fn over_limit(msg: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, OverLimit(msg))
}

/// The archive's bytes, counting how many have been read (the compressed
/// bytes the entry being inflated has used so far).
struct Counted<'a> {
    inner: Cursor<&'a [u8]>,
    read: Rc<Cell<u64>>,
}

impl Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

impl Seek for Counted<'_> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// The inflated entry, stopped with an [`OverLimit`] error as soon as it
/// passes the size or ratio limit.
struct Guard<R> {
    inner: R,
    out: u64,
    packed: Rc<Cell<u64>>,
    packed_at_start: u64,
    limits: Limits,
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        let l = &self.limits;
        if self.out > l.document {
            return Err(over_limit(
                t!("import.docx.expands", mib = l.document >> 20).into_owned(),
            ));
        }
        let packed = self.packed.get().saturating_sub(self.packed_at_start).max(1);
        if self.out > l.ratio_floor && self.out / packed > l.ratio {
            return Err(over_limit(t!("import.docx.ratio", ratio = l.ratio).into_owned()));
        }
        Ok(n)
    }
}

/// The text of a .docx file.
pub fn text(bytes: &[u8]) -> Result<String, String> {
    text_with(bytes, &Limits::DEFAULT)
}

/// The text of a .docx file, within `limits`.
pub fn text_with(bytes: &[u8], limits: &Limits) -> Result<String, String> {
    let packed = Rc::new(Cell::new(0));
    let counted = Counted {
        inner: Cursor::new(bytes),
        read: Rc::clone(&packed),
    };
    let mut zip = zip::ZipArchive::new(counted).map_err(|e| t!("import.docx.unreadable", error = e).into_owned())?;
    let entry = zip
        .by_name("word/document.xml")
        .map_err(|_| t!("import.docx.no_document").into_owned())?;
    let guard = Guard {
        inner: entry,
        out: 0,
        packed_at_start: packed.get(),
        packed,
        limits: *limits,
    };
    read_document(Reader::from_reader(std::io::BufReader::new(guard)), limits)
}

/// The text of `word/document.xml`.
pub fn document_text(xml: &str) -> Result<String, String> {
    read_document(Reader::from_reader(xml.as_bytes()), &Limits::DEFAULT)
}

fn xml_error(e: quick_xml::Error) -> String {
    match &e {
        quick_xml::Error::Io(io) => match io.get_ref().and_then(|x| x.downcast_ref::<OverLimit>()) {
            Some(limit) => limit.to_string(),
            None => t!("import.docx.io", error = io).into_owned(),
        },
        _ => format!("word/document.xml: {e}"),
    }
}

/// Reads the document's events into text, within `limits`.
/// A grid column narrower than this (in twips, 1/20 pt: here 1.5 pt) holds
/// no character of any font: an editor's sliver, not a column of the table.
const SLIVER_TWIPS: u32 = 30;

fn read_document<R: BufRead>(mut reader: Reader<R>, limits: &Limits) -> Result<String, String> {
    let mut buf = Vec::new();
    let mut out = String::new();
    // The paragraph being read, and the table cells of the row being read
    // (one level: a table inside a cell is read as the cell's text).
    let mut para = String::new();
    let mut table_depth = 0usize;
    let mut cell: Option<String> = None;
    let mut cells: Vec<String> = Vec::new();
    let mut span = 1u64;
    let mut continued = false;
    let mut in_text = false;
    let mut in_cell_paras = 0usize;
    let mut rows = 0usize;
    // The table's grid (`w:gridCol` widths, in twips) and where the cell
    // being read starts on it: a column too narrow to hold a character is
    // a sliver an editor added (LibreOffice adds a 1-twip column when it
    // saves a table whose rows do not end evenly), never a cell of the
    // published table, so a span over it does not make a field of it.
    let mut grid: Vec<u32> = Vec::new();
    let mut grid_pos = 0usize;
    // Bytes of text produced so far (each counted once, where it is made).
    let mut produced = 0usize;
    loop {
        buf.clear();
        let ev = reader.read_event_into(&mut buf).map_err(xml_error)?;
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"tbl" => {
                    table_depth += 1;
                    if table_depth == 1 {
                        rows = 0;
                        grid.clear();
                    }
                }
                b"gridCol" if table_depth == 1 && grid.len() < limits.columns => {
                    // No width (or an unreadable one) is a full column.
                    let w = attr(&e, b"w:w").and_then(|w| w.trim().parse::<u32>().ok());
                    grid.push(w.unwrap_or(u32::MAX));
                }
                b"tr" if table_depth == 1 => grid_pos = 0,
                b"tc" if table_depth == 1 => {
                    cell = Some(String::new());
                    span = 1;
                    continued = false;
                    in_cell_paras = 0;
                }
                b"gridSpan" if table_depth == 1 => {
                    let value = attr(&e, b"w:val").unwrap_or_default();
                    span = span_value(&value);
                    if span > limits.columns as u64 {
                        return Err(t!(
                            "import.docx.span",
                            span = super::text::shown(&value),
                            limit = limits.columns
                        )
                        .into_owned());
                    }
                }
                b"vMerge" if table_depth == 1 => {
                    continued = attr(&e, b"w:val").is_none_or(|v| v == "continue");
                }
                b"t" => in_text = !empty,
                b"p" if empty && cell.is_none() => {
                    out.push('\n');
                    produced += 1;
                }
                b"tab" if !in_text => {
                    para.push('\t');
                    produced += 1;
                }
                b"br" | b"cr" => {
                    para.push('\n');
                    produced += 1;
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    let p = std::mem::take(&mut para);
                    match cell.as_mut() {
                        Some(c) if table_depth >= 1 => {
                            // Paragraphs of a cell: one line of text.
                            if in_cell_paras > 0 && !c.is_empty() && !p.is_empty() {
                                let join_space = c.ends_with(|x: char| x.is_ascii_alphanumeric())
                                    && p.starts_with(|x: char| x.is_ascii_alphanumeric());
                                if join_space {
                                    c.push(' ');
                                    produced += 1;
                                }
                            }
                            c.push_str(&p.replace(['\t', '\n'], " "));
                            in_cell_paras += 1;
                        }
                        _ => {
                            out.push_str(&p);
                            out.push('\n');
                            produced += 1;
                        }
                    }
                }
                b"tc" if table_depth == 1 => {
                    // `span` is at most `limits.columns` (checked above).
                    let width = cells.len() + span as usize;
                    if width > limits.columns {
                        return Err(t!("import.docx.columns", limit = limits.columns).into_owned());
                    }
                    let text = cell.take().unwrap_or_default();
                    let span = span as usize;
                    // The fields this cell makes: the columns it covers,
                    // slivers left out; at least one when it holds text.
                    let covered = grid.get(grid_pos..(grid_pos + span).min(grid.len())).unwrap_or(&[]);
                    let slivers = covered.iter().filter(|&&w| w < SLIVER_TWIPS).count();
                    let mut fields = span - slivers;
                    if fields == 0 && (!text.trim().is_empty() || covered.len() < span) {
                        fields = 1;
                    }
                    grid_pos += span;
                    if fields > 0 {
                        let width = cells.len() + fields;
                        cells.push(if continued { String::new() } else { text });
                        cells.resize(width, String::new());
                    }
                    produced += span;
                }
                b"tr" if table_depth == 1 => {
                    rows += 1;
                    if rows > limits.rows {
                        return Err(t!("import.docx.rows", limit = limits.rows).into_owned());
                    }
                    out.push_str(&cells.join("\t"));
                    out.push('\n');
                    cells.clear();
                    produced += 1;
                }
                b"tbl" => {
                    table_depth = table_depth.saturating_sub(1);
                    if table_depth == 0 {
                        out.push('\n');
                        produced += 1;
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => {
                let s = t.decode().map_err(|e| format!("word/document.xml: {e}"))?;
                para.push_str(&s);
                produced += s.len();
            }
            Event::CData(t) if in_text => {
                let s = String::from_utf8_lossy(&t);
                para.push_str(&s);
                produced += s.len();
            }
            Event::GeneralRef(r) if in_text => {
                // Character references and the five predefined entities;
                // any other entity (declared in a DTD or not) is never
                // expanded: it reads as nothing.
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*r as &[u8] {
                        b"amp" => Some('&'),
                        b"lt" => Some('<'),
                        b"gt" => Some('>'),
                        b"quot" => Some('"'),
                        b"apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    para.push(c);
                    produced += c.len_utf8();
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if produced > limits.text {
            return Err(t!("import.docx.text", mib = limits.text >> 20).into_owned());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_tables_with_merged_cells() {
        let xml = r#"<?xml version="1.0"?><w:document xmlns:w="w"><w:body>
<w:p><w:r><w:t>标题 A&amp;B</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve"> 续</w:t></w:r></w:p>
<w:p/>
<w:tbl>
<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>三、本年度</w:t></w:r></w:p><w:p><w:r><w:t>办理结果</w:t></w:r></w:p></w:tc>
<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>（一）予以公开</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>5</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>（三）</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1.属于</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr>
</w:tbl>
<w:p><w:r><w:t>2024年1月5日</w:t></w:r></w:p>
</w:body></w:document>"#;
        let text = document_text(xml).unwrap();
        assert_eq!(
            text,
            "标题 A&B\t 续\n\n三、本年度办理结果\t（一）予以公开\t\t5\n\t（三）\t1.属于\t\n\n2024年1月5日\n"
        );
    }

    /// A .docx whose `word/document.xml` is `xml`, deflated.
    fn docx(xml: &str) -> Vec<u8> {
        use std::io::Write;
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap();
        buf.into_inner()
    }

    fn paragraphs(n: usize) -> String {
        format!(
            "<w:document xmlns:w=\"w\"><w:body>{}</w:body></w:document>",
            "<w:p><w:r><w:t>一二三四五六七八九十</w:t></w:r></w:p>".repeat(n)
        )
    }

    #[test]
    fn limits_on_the_inflated_size_and_the_text() {
        let unlimited = Limits {
            ratio: u64::MAX,
            ..Limits::DEFAULT
        };
        // 2.6 MiB of XML, 1.4 MiB of text.
        let doc = docx(&paragraphs(50_000));
        assert!(text_with(&doc, &unlimited).is_ok());
        let e = text_with(
            &doc,
            &Limits {
                document: 2 << 20,
                ..unlimited
            },
        )
        .unwrap_err();
        assert_eq!(
            e,
            "word/document.xml expands to more than 2 MiB, the limit for a document (is it a zip bomb?)"
        );
        let e = text_with(
            &doc,
            &Limits {
                text: 1 << 20,
                ..unlimited
            },
        )
        .unwrap_err();
        assert_eq!(
            e,
            "word/document.xml gives more than 1 MiB of text, the limit for a report"
        );
        // Repeated paragraphs deflate over 100 times: the ratio counts past
        // its floor only.
        let e = text_with(&doc, &Limits::DEFAULT).unwrap_err();
        assert!(e.contains("more than 100 times its compressed size"), "{e}");
        assert!(text_with(&docx(&paragraphs(1000)), &Limits::DEFAULT).is_ok());
    }

    #[test]
    fn a_sliver_column_an_editor_added_makes_no_field() {
        // As LibreOffice saves table 四 with a blank cell: a 1-twip column
        // in the grid, and the cell before it spanning it.
        let xml = r#"<w:document xmlns:w="w"><w:body><w:tbl>
<w:tblGrid><w:gridCol w:w="589"/><w:gridCol w:w="589"/><w:gridCol w:w="588"/><w:gridCol w:w="1"/><w:gridCol w:w="589"/></w:tblGrid>
<w:tr><w:tc><w:p><w:r><w:t>结果维持</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>结果纠正</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>总计</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>直接起诉</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>0</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl></w:body></w:document>"#;
        let text = document_text(xml).unwrap();
        assert_eq!(text, "结果维持\t结果纠正\t总计\t直接起诉\n3\t\t3\t0\n\n", "{text:?}");
        // Without the sliver, a span of two is two fields, as before.
        let wide = xml.replace(r#"<w:gridCol w:w="1"/>"#, r#"<w:gridCol w:w="589"/>"#);
        let text = document_text(&wide).unwrap();
        assert_eq!(
            text, "结果维持\t结果纠正\t总计\t\t直接起诉\n3\t\t3\t\t0\n\n",
            "{text:?}"
        );
    }

    #[test]
    fn span_values() {
        assert_eq!(span_value("3"), 3);
        assert_eq!(span_value(" 2 "), 2);
        assert_eq!(span_value("0"), 1);
        assert_eq!(span_value("x"), 1);
        assert_eq!(span_value("-4"), 1);
        assert_eq!(span_value("99999999999999999999999"), u64::MAX);
    }

    #[test]
    fn a_zip_without_a_document_is_refused() {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buf);
            zip.start_file("a.txt", zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.finish().unwrap();
        }
        let bytes = buf.into_inner();
        assert!(is_zip(&bytes));
        assert!(text(&bytes).unwrap_err().contains("word/document.xml"));
    }
}
