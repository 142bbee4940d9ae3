//! Fuzz harnesses of `gongkai import` (see `tests/common/fuzz.rs`): run with
//! `GONGKAI_FUZZ_SECS=120 cargo test --release --test fuzz_import --
//! --ignored --nocapture`. Each feeds mutated inputs through the path the
//! command takes ([`import::source_text`], then [`import::import_text`]); a
//! panic, or an input that takes over 5 s, fails.

use std::io::Write as _;
use std::path::Path;

use gongkai::import::{self, Options};

mod common;
use common::fuzz;

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Real reports as text: the seed report and fixtures with tabs, spaces and
/// the 2019 format.
fn report_texts() -> Vec<Vec<u8>> {
    let mut seeds = vec![read(&common::seed())];
    for name in ["tabs.txt", "spaces-2022.txt", "gov-2019.txt"] {
        seeds.push(read(&common::import_fixture(name)));
    }
    seeds
}

/// Words the importer looks for, to be spliced in.
const TEXT_WORDS: &[&[u8]] = &[
    "政府信息公开工作年度报告".as_bytes(),
    "2023年度".as_bytes(),
    "2024年1月5日".as_bytes(),
    "二〇二四年一月五日".as_bytes(),
    "人民政府".as_bytes(),
    "一、总体情况".as_bytes(),
    "二、主动公开政府信息情况".as_bytes(),
    "三、收到和处理政府信息公开申请情况".as_bytes(),
    "四、政府信息公开行政复议、行政诉讼情况".as_bytes(),
    "五、存在的主要问题及改进情况".as_bytes(),
    "第二十条第（一）项".as_bytes(),
    "信息内容".as_bytes(),
    "申请人情况".as_bytes(),
    "本年度办理结果".as_bytes(),
    "（三）不予公开".as_bytes(),
    "1.属于国家秘密".as_bytes(),
    "结果维持".as_bytes(),
    "未经复议直接起诉".as_bytes(),
    "复议后起诉".as_bytes(),
    "行政复议".as_bytes(),
    "- 3 -".as_bytes(),
    "第3页 共9页".as_bytes(),
    "１２３".as_bytes(),
    "1,234".as_bytes(),
    "—".as_bytes(),
    "\u{3000}".as_bytes(),
    b"\t\t\t",
    b"\n\n",
];

/// What the command does with a file's bytes: read as `name` says, then imported.
fn import_bytes(name: &str, bytes: &[u8]) {
    if let Ok(text) = import::source_text(Path::new(name), bytes) {
        let _ = import::import_text(&text, &Options::default());
    }
}

#[test]
#[ignore]
fn fuzz_import_text() {
    let mut seeds = report_texts();
    // The same reports in GBK and UTF-16, as Windows saves them.
    let text = String::from_utf8(read(&common::import_fixture("tabs.txt"))).unwrap();
    seeds.push(encoding_rs::GBK.encode(&text).0.into_owned());
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    seeds.push(utf16);
    let n = fuzz::run("import-text", seeds, TEXT_WORDS, |bytes| {
        import_bytes("report.txt", bytes);
        // Most mutations of UTF-8 are no text in any encoding, and stop at
        // decoding: the importer gets them too, with the bad bytes replaced.
        if std::str::from_utf8(bytes).is_err() {
            let _ = import::import_text(&String::from_utf8_lossy(bytes), &Options::default());
        }
    });
    assert!(n > 0);
}

/// A `.docx` of `xml` as its `word/document.xml`, deflated or stored.
pub fn zip_of(xml: &[u8], deflate: bool) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let method = if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    zip.start_file("word/document.xml", opts).expect("a zip entry");
    zip.write_all(xml).expect("written");
    zip.finish().expect("a zip");
    buf.into_inner()
}

/// `word/document.xml` of a report text, as Word writes it: a paragraph a
/// line, each run of lines with tabs a table, merged cells for blank ones.
fn document_xml(text: &str) -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut body = String::new();
    let mut in_table = false;
    for line in text.lines() {
        if line.contains('\t') != in_table {
            body.push_str(if in_table { "</w:tbl>" } else { "<w:tbl>" });
            in_table = !in_table;
        }
        if !in_table {
            body.push_str(&format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                esc(line)
            ));
            continue;
        }
        body.push_str("<w:tr>");
        let cells: Vec<&str> = line.split('\t').collect();
        let last = cells.iter().rposition(|c| !c.is_empty()).unwrap_or(0);
        for (i, c) in cells.iter().enumerate().take(last + 1) {
            let mut pr = String::new();
            if i == last && cells.len() - last > 1 {
                pr.push_str(&format!("<w:gridSpan w:val=\"{}\"/>", cells.len() - last));
            }
            if c.is_empty() {
                pr.push_str("<w:vMerge/>");
            }
            body.push_str(&format!(
                "<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>",
                esc(c)
            ));
        }
        body.push_str("</w:tr>");
    }
    if in_table {
        body.push_str("</w:tbl>");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}<w:sectPr/></w:body></w:document>"
    )
    .into_bytes()
}

const XML_WORDS: &[&[u8]] = &[
    b"<w:tbl>",
    b"</w:tbl>",
    b"<w:tr>",
    b"</w:tr>",
    b"<w:tc>",
    b"</w:tc>",
    b"<w:p>",
    b"</w:p>",
    b"<w:p/>",
    b"<w:t>",
    b"</w:t>",
    b"<w:tab/>",
    b"<w:br/>",
    b"<w:gridSpan w:val=\"",
    b"<w:gridSpan w:val=\"300\"/>",
    b"<w:vMerge/>",
    b"<w:vMerge w:val=\"restart\"/>",
    b"&amp;",
    b"&#x4e00;",
    b"&#99999999;",
    b"&lol;",
    b"<!DOCTYPE w:document [<!ENTITY lol \"lol\">]>",
    b"<![CDATA[",
    b"]]>",
    b"PK\x03\x04",
    b"PK\x01\x02",
    b"PK\x05\x06",
];

#[test]
#[ignore]
fn fuzz_import_docx() {
    // Inputs that are zip archives are read as the .docx they claim to be;
    // any other input is taken for the XML of `word/document.xml` and
    // stored in one, so that mutations reach the XML reader intact.
    let mut seeds = Vec::new();
    for text in report_texts() {
        let xml = document_xml(&String::from_utf8_lossy(&text));
        seeds.push(zip_of(&xml, true));
        seeds.push(zip_of(&xml, false));
        seeds.push(xml);
    }
    let n = fuzz::run("import-docx", seeds, XML_WORDS, |bytes| {
        if bytes.starts_with(b"PK") {
            import_bytes("report.docx", bytes);
        } else {
            import_bytes("report.docx", &zip_of(bytes, false));
        }
    });
    assert!(n > 0);
}
