//! A Word document (`.docx`) as the importer's text: `word/document.xml`
//! read with quick-xml; each paragraph one line, each table row one line of
//! tab-separated cells. A cell spanning columns (`w:gridSpan`) is followed
//! by empty cells so every row has the table's full width; a cell continuing
//! a vertical merge (`w:vMerge` without `restart`) is an empty cell. So the
//! cells keep their places, blank cells included.

use std::io::Read;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Whether `bytes` are a zip archive (a .docx is one).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// The text of a .docx file.
pub fn text(bytes: &[u8]) -> Result<String, String> {
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("not a readable .docx file: {e}"))?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(|_| "not a Word document: the archive has no word/document.xml".to_string())?
        .read_to_string(&mut xml)
        .map_err(|e| format!("word/document.xml cannot be read: {e}"))?;
    document_text(&xml)
}

/// The text of `word/document.xml`.
pub fn document_text(xml: &str) -> Result<String, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    // The paragraph being read, and the table cells of the row being read
    // (one level: a table inside a cell is read as the cell's text).
    let mut para = String::new();
    let mut table_depth = 0usize;
    let mut cell: Option<String> = None;
    let mut cells: Vec<String> = Vec::new();
    let mut span = 1usize;
    let mut continued = false;
    let mut in_text = false;
    let mut in_cell_paras = 0usize;
    loop {
        let ev = reader.read_event().map_err(|e| format!("word/document.xml: {e}"))?;
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"tbl" => table_depth += 1,
                b"tc" if table_depth == 1 => {
                    cell = Some(String::new());
                    span = 1;
                    continued = false;
                    in_cell_paras = 0;
                }
                b"gridSpan" if table_depth == 1 => {
                    span = attr(&e, b"w:val").and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
                }
                b"vMerge" if table_depth == 1 => {
                    continued = attr(&e, b"w:val").is_none_or(|v| v == "continue");
                }
                b"t" => in_text = !empty,
                b"p" if empty && cell.is_none() => out.push('\n'),
                b"tab" if !in_text => para.push('\t'),
                b"br" | b"cr" => para.push('\n'),
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
                                }
                            }
                            c.push_str(&p.replace(['\t', '\n'], " "));
                            in_cell_paras += 1;
                        }
                        _ => {
                            out.push_str(&p);
                            out.push('\n');
                        }
                    }
                }
                b"tc" if table_depth == 1 => {
                    let text = cell.take().unwrap_or_default();
                    cells.push(if continued { String::new() } else { text });
                    for _ in 1..span {
                        cells.push(String::new());
                    }
                }
                b"tr" if table_depth == 1 => {
                    out.push_str(&cells.join("\t"));
                    out.push('\n');
                    cells.clear();
                }
                b"tbl" => {
                    table_depth = table_depth.saturating_sub(1);
                    if table_depth == 0 {
                        out.push('\n');
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => {
                para.push_str(&t.decode().map_err(|e| format!("word/document.xml: {e}"))?);
            }
            Event::CData(t) if in_text => {
                para.push_str(&String::from_utf8_lossy(&t));
            }
            Event::GeneralRef(r) if in_text => {
                let s = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match &*r as &[u8] {
                        b"amp" => "&".to_string(),
                        b"lt" => "<".to_string(),
                        b"gt" => ">".to_string(),
                        b"quot" => "\"".to_string(),
                        b"apos" => "'".to_string(),
                        _ => String::new(),
                    },
                };
                para.push_str(&s);
            }
            Event::Eof => break,
            _ => {}
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
