//! `gongkai export` (issue 14, part 5): every report of the demo site and
//! of the `export-site` fixture (gov-2021 with blank cells and a rich
//! Markdown body, 6-decimal fees, gov-2019, freeform) exported to .docx and
//! imported back by `gongkai import`'s reader: every table cell and the
//! metadata come back as in the source (no LibreOffice needed). Then the
//! command: the file written, a file never replaced without `--force`, a
//! report with errors refused (status 1, nothing written), `--year` as a
//! zip, messages in both languages.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use gongkai::report::{Report, Tables};
use gongkai::site::Site;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

fn demo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The report a content file's text holds, as the site reads it.
fn parse(text: &str) -> Report {
    let split = gongkai::frontmatter::split(text).expect("front matter");
    let root = gongkai::frontmatter::parse(split.yaml, split.yaml_line).expect("YAML");
    let (report, diags) = gongkai::report::parse::parse_report(
        "content/reports/x/1.md",
        &root,
        split.body.to_string(),
        split.body_line,
        today(),
    );
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == gongkai::rules::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{text}");
    report.expect("a report")
}

/// Every cell of the tables, as (table, row, column, value).
fn cells(t: &Tables) -> Vec<(u8, usize, usize, Option<i64>)> {
    let mut out = Vec::new();
    for (r, item) in t.proactive.iter().enumerate() {
        out.extend(item.cells.iter().enumerate().map(|(c, v)| (2, r, c, *v)));
    }
    for (r, row) in t.requests.iter().enumerate() {
        out.extend(row.cells.iter().enumerate().map(|(c, v)| (3, r, c, *v)));
    }
    for (r, row) in t.appeals.iter().enumerate() {
        out.extend(row.cells.iter().enumerate().map(|(c, v)| (4, r, c, *v)));
    }
    out
}

/// Every part of the package `bytes` is well-formed XML.
fn well_formed(bytes: &[u8]) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().to_string();
        let mut text = String::new();
        part.read_to_string(&mut text).unwrap();
        let mut reader = quick_xml::Reader::from_str(&text);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name}: {e}"),
            }
        }
    }
}

/// Exports every report of the site at `root`, imports each document back
/// and compares; returns how many were compared.
fn round_trip(root: &Path) -> usize {
    let site = Site::load(root, today()).expect("the site loads");
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    for r in &site.reports {
        let path = dir.path().join(gongkai::export::file_name(r));
        let bytes = gongkai::export::docx(r).expect("exported");
        well_formed(&bytes);
        std::fs::write(&path, bytes).unwrap();
        let text = gongkai::import::read_source(&path).expect("the document reads");
        let opts = gongkai::import::Options {
            slug: Some(r.agency_slug.clone()),
            ..Default::default()
        };
        let back = gongkai::import::import_text(&text, &opts)
            .unwrap_or_else(|e| panic!("{}: import refused: {e}\n{text}", r.path));
        assert_eq!(back.format, r.format, "{}", r.path);
        assert_eq!(back.agency.as_deref(), Some(r.agency.as_str()), "{}", r.path);
        assert_eq!(back.year, r.year, "{}", r.path);
        assert_eq!(back.published, Some(r.published), "{}", r.path);
        let again = parse(&back.file_text(None));
        match (&r.tables, &again.tables) {
            (Some(a), Some(b)) => {
                let (a, b) = (cells(a), cells(b));
                assert_eq!(a.len(), b.len(), "{}", r.path);
                for (x, y) in a.iter().zip(&b) {
                    assert_eq!(x, y, "{}: table {} row {} column {}", r.path, x.0, x.1, x.2);
                }
            }
            (None, None) => {}
            (a, b) => panic!("{}: tables {:?} came back as {:?}", r.path, a.is_some(), b.is_some()),
        }
        // The sections' headings come back, in order.
        let headings = |rep: &Report| rep.sections.iter().map(|s| s.index).collect::<Vec<_>>();
        let want: Vec<usize> = if r.format.has_tables() {
            (0..6).collect()
        } else {
            headings(r)
        };
        assert_eq!(headings(&again), want, "{}", r.path);
        n += 1;
    }
    n
}

#[test]
fn every_demo_report_round_trips_through_word() {
    // 示例市's sample reports and the real 忠仁镇 one.
    assert!(round_trip(&demo()) >= 15);
}

#[test]
fn fixture_reports_round_trip_blank_cells_decimals_2019_and_freeform() {
    let root = common::fixture("export-site");
    assert_eq!(round_trip(&root), 4);
    // The fixture has what the round trip must carry: a blank cell, fees
    // to the sixth decimal, the 2019 format, a freeform report.
    let site = Site::load(&root, today()).unwrap();
    let formats: Vec<&str> = site.reports.iter().map(|r| r.format.key()).collect();
    assert!(
        formats.contains(&"gov-2019") && formats.contains(&"freeform"),
        "{formats:?}"
    );
    let blanks = site
        .reports
        .iter()
        .filter_map(|r| r.tables.as_ref())
        .flat_map(cells)
        .filter(|c| c.3.is_none())
        .count();
    assert!(blanks > 0);
}

/// The entry `name` of the zip `bytes`, as text.
fn entry(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut s = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the archive"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn the_document_is_a4_with_official_fonts_merged_cells_and_page_numbers() {
    let site = Site::load(&common::fixture("export-site"), today()).unwrap();
    let r = site.reports.iter().find(|r| r.agency_slug == "jia").unwrap();
    let bytes = gongkai::export::docx(r).unwrap();
    let doc = entry(&bytes, "word/document.xml");
    assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    assert!(doc.contains("w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\""));
    assert!(doc.contains("<w:footerReference w:type=\"default\" r:id=\"rId4\"/>"));
    assert!(doc.contains("<w:vMerge w:val=\"restart\"/>") && doc.contains("<w:vMerge/>"));
    assert!(doc.contains("<w:gridSpan w:val=\"7\"/>") && doc.contains("<w:gridSpan w:val=\"10\"/>"));
    assert!(doc.contains("<w:pStyle w:val=\"Title\"/>"));
    // The body's list, table, quote and footnote are written.
    assert!(doc.contains(">1. </w:t>") && doc.contains(">• </w:t>"));
    assert!(doc.contains(">政策文件</w:t>") && doc.contains(">注：本报告中的数字均为测试数据。</w:t>"));
    assert_eq!(doc.matches("<w:tbl>").count(), 4);
    // Its signature is in the text: not written twice.
    assert_eq!(doc.matches("2024年1月10日").count(), 1);
    let styles = entry(&bytes, "word/styles.xml");
    for font in ["仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体"] {
        assert!(styles.contains(&format!("w:eastAsia=\"{font}\"")), "{font}");
    }
    assert!(entry(&bytes, "word/footer1.xml").contains(" PAGE "));
    assert!(entry(&bytes, "[Content_Types].xml").contains("/word/footer1.xml"));
}

#[test]
fn export_writes_the_document_and_never_replaces_one_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("jia.docx");
    let root = common::fixture("export-site");
    let report = root.join("content/reports/jia/2023.md");
    let run = |extra: &[&str]| {
        common::gongkai()
            .arg("--root")
            .arg(&root)
            .arg("export")
            .arg(&report)
            .arg("-o")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let first = run(&[]);
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout.starts_with("wrote ") && stdout.contains("测试县甲局"),
        "{stdout}"
    );
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"));
    let again = run(&[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    assert_eq!(run(&["--force"]).status.code(), Some(0));
    // The same report gives the same bytes.
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
    // No temporary file left beside it.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_report_with_errors_is_not_exported() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.docx");
    let root = common::fixture("r01-balance");
    let report = std::fs::read_dir(root.join("content/reports"))
        .unwrap()
        .flatten()
        .flat_map(|d| std::fs::read_dir(d.path()).unwrap().flatten())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .unwrap();
    let o = common::gongkai()
        .arg("--root")
        .arg(&root)
        .args(["export"])
        .arg(&report)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[R01]") && err.contains("not exported: 2 error(s)"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn a_year_is_exported_as_a_zip_of_its_reports() {
    let dir = tempfile::tempdir().unwrap();
    let o = common::gongkai()
        .current_dir(dir.path())
        .arg("--root")
        .arg(common::fixture("export-site"))
        .args(["--lang", "zh", "export", "--year", "2023"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("已写入 reports-2023.zip（2 份报告）"));
    let bytes = std::fs::read(dir.path().join("reports-2023.zip")).unwrap();
    let zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut names: Vec<&str> = zip.file_names().collect();
    names.sort_unstable();
    assert_eq!(names, ["jia-2023.docx", "liuwei-2023.docx"]);
    // No report that year: a usage error.
    let none = common::gongkai()
        .current_dir(dir.path())
        .arg("--root")
        .arg(common::fixture("export-site"))
        .args(["export", "--year", "2009"])
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no report for 2009"));
}

#[test]
fn a_file_that_is_no_report_of_the_site_is_a_usage_error() {
    let root = common::fixture("export-site");
    let o = common::gongkai()
        .arg("--root")
        .arg(&root)
        .args(["--lang", "zh", "export"])
        .arg(root.join("site.toml"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("不是"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let neither = common::gongkai()
        .arg("--root")
        .arg(&root)
        .arg("export")
        .output()
        .unwrap();
    assert_eq!(neither.status.code(), Some(2));
}
