//! Tests of `gongkai import` through its behaviour: report text in, content
//! file and numbers out.
//!
//! The fixtures under `tests/fixtures/import/` are report texts as copied out
//! of PDF and Word files, each with one kind of noise (see docs/import.md),
//! written by `tests/fixtures/import/make_fixtures.py`. Their numbers are
//! distinct and non-zero, so a number put in the wrong cell is caught; the
//! expected numbers are computed here by the same rule ([`scheme`]). Other
//! variants (rows reordered, columns swapped in the header, one cell a line,
//! a .docx with merged cells, GBK and UTF-16) are made from them in the tests. Every imported file is
//! written into a temporary site and read back with the crate's own parser
//! and checks, so what is asserted is what the site will publish.

use std::path::Path;

use chrono::NaiveDate;
use gongkai::diagnostics::{Diagnostic, Severity};
use gongkai::import::{self, Imported, Options};
use gongkai::report::labels::{self, REQUEST_ROWS_2019};
use gongkai::report::{Format, Level, Report};
use gongkai::site::Site;

mod common;
use common::{import_fixture as fixture, seed};

fn import_file(path: &Path) -> Imported {
    let text = import::read_source(path).unwrap_or_else(|e| panic!("{e}"));
    import::import_text(&text, &Options::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn import_str(text: &str) -> Result<Imported, String> {
    import::import_text(text, &Options::default())
}

/// An imported report written into a fresh site and loaded back.
struct Loaded {
    _dir: tempfile::TempDir,
    report: Report,
    diags: Vec<Diagnostic>,
    text: String,
}

impl Loaded {
    fn errors(&self) -> Vec<&Diagnostic> {
        self.diags.iter().filter(|d| d.severity == Severity::Error).collect()
    }
}

fn load(imp: &Imported) -> Loaded {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("site.toml"), "title = \"导入测试\"\n").unwrap();
    let rel = format!("content/reports/{}/{}.md", imp.slug, imp.year);
    let path = dir.path().join(&rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let text = imp.file_text(Some("source.txt"));
    std::fs::write(&path, &text).unwrap();
    let site = Site::load(dir.path(), gongkai::site::today()).expect("the site loads");
    let diags: Vec<Diagnostic> = site.diagnostics.iter().filter(|d| d.file == rel).cloned().collect();
    let report = site
        .reports
        .iter()
        .find(|r| r.path == rel)
        .cloned()
        .unwrap_or_else(|| panic!("the imported file is no report:\n{diags:#?}\n{text}"));
    Loaded {
        _dir: dir,
        report,
        diags,
        text,
    }
}

// ---------------------------------------------------------------------------
// The numbers of the fixtures

/// The rule the fixtures' table 三 was written by: result row `r`, column
/// `c` holds (r+1)*100 + (c+1)*7, except rows given as zeros and cells
/// published blank (counted as 0); every total and the balance follow.
mod scheme {
    pub type Row7 = [Option<i64>; 7];

    pub fn table3(results: usize, zero_rows: &[usize], blanks: &[(usize, usize)]) -> Vec<Row7> {
        let mut res: Vec<[Option<i64>; 6]> = (0..results)
            .map(|r| {
                std::array::from_fn(|c| {
                    Some(if zero_rows.contains(&r) {
                        0
                    } else {
                        (r as i64 + 1) * 100 + (c as i64 + 1) * 7
                    })
                })
            })
            .collect();
        for &(r, c) in blanks {
            res[r][c] = None;
        }
        let v = |x: Option<i64>| x.unwrap_or(0);
        let full = |row: [Option<i64>; 6]| -> Row7 {
            let sum = row.iter().map(|&x| v(x)).sum();
            std::array::from_fn(|c| if c < 6 { row[c] } else { Some(sum) })
        };
        let tot: [Option<i64>; 6] = std::array::from_fn(|c| Some(res.iter().map(|r| v(r[c])).sum()));
        let cf = [3, 6, 9, 12, 15, 18];
        let co = [5, 10, 20, 25, 30, 35];
        let new: [Option<i64>; 6] = std::array::from_fn(|c| Some(v(tot[c]) + cf[c] - co[c]));
        let mut out = vec![full(new), full(co.map(Some))];
        out.extend(res.into_iter().map(full));
        out.push(full(tot));
        out.push(full(cf.map(Some)));
        out
    }

    /// Table 二 of the 2021 fixtures: (item, cells), amounts in 万元 as text.
    pub const PROACTIVE_2021: [&[&str]; 6] = [
        &["41", "42", "43"],
        &["44", "45", "46"],
        &["47"],
        &["48"],
        &["49"],
        &["12.5"],
    ];
    pub const APPEALS: [[i64; 5]; 3] = [[51, 52, 53, 54, 210], [55, 56, 57, 58, 226], [59, 60, 61, 62, 242]];
}

/// Asserts every cell of table 三 and names the row and column that differ.
fn assert_table3(report: &Report, expected: &[scheme::Row7]) {
    let t = report.tables.as_ref().expect("the report has tables");
    let rows = report.format.request_rows();
    assert_eq!(t.requests.len(), expected.len());
    for ((def, got), want) in rows.iter().zip(&t.requests).zip(expected) {
        for (c, col) in labels::REQUEST_COLUMNS.iter().enumerate() {
            assert_eq!(got.cells[c], want[c], "{}, column {col}", def.full_label());
        }
    }
}

fn assert_appeals(report: &Report, expected: [[Option<i64>; 5]; 3]) {
    let t = report.tables.as_ref().expect("the report has tables");
    for (b, def) in labels::APPEAL_ROWS.iter().enumerate() {
        for (c, col) in labels::APPEAL_COLUMNS.iter().enumerate() {
            assert_eq!(t.appeals[b].cells[c], expected[b][c], "{}, column {col}", def.label);
        }
    }
}

/// Table 二, as the numbers' text (amounts back in 万元).
fn proactive_text(report: &Report) -> Vec<Vec<Option<String>>> {
    let t = report.tables.as_ref().expect("the report has tables");
    report
        .format
        .proactive_items()
        .iter()
        .zip(&t.proactive)
        .map(|(def, item)| {
            def.fields
                .iter()
                .zip(&item.cells)
                .map(|(f, c)| {
                    c.map(|v| match f.kind {
                        labels::FieldKind::Amount => gongkai::report::parse::format_amount(v),
                        _ => v.to_string(),
                    })
                })
                .collect()
        })
        .collect()
}

fn proactive_2021() -> Vec<Vec<Option<String>>> {
    scheme::PROACTIVE_2021
        .iter()
        .map(|cells| cells.iter().map(|s| Some(s.to_string())).collect())
        .collect()
}

fn some5(a: [[i64; 5]; 3]) -> [[Option<i64>; 5]; 3] {
    a.map(|r| r.map(Some))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The standard 2021 fixture: every number as the scheme says, and a file
/// that passes the checks with no warnings.
fn assert_standard_2021(name: &str) -> Loaded {
    let imp = import_file(&fixture(name));
    assert_eq!(imp.format, Format::Gov2021, "{name}");
    assert_eq!(imp.agency.as_deref(), Some("示例县交通运输局"), "{name}");
    assert_eq!(imp.year, 2023, "{name}");
    assert_eq!(imp.published, Some(date(2024, 1, 15)), "{name}");
    assert_eq!(imp.level, Level::Department, "{name}");
    assert_eq!(imp.slug, "shilixian-jiaotongyunshuju", "{name}");
    assert!(imp.warnings.is_empty(), "{name}: {:?}", imp.warnings);
    let l = load(&imp);
    assert_table3(&l.report, &scheme::table3(21, &[], &[]));
    assert_appeals(&l.report, some5(scheme::APPEALS));
    assert_eq!(proactive_text(&l.report), proactive_2021(), "{name}");
    assert!(l.diags.is_empty(), "{name}: {:#?}\n{}", l.diags, l.text);
    l
}

// ---------------------------------------------------------------------------
// The seed: a real report

#[test]
fn the_seed_imports_with_every_cell_as_published() {
    let imp = import_file(&seed());
    assert_eq!(imp.format, Format::Gov2021);
    assert_eq!(imp.agency.as_deref(), Some("绥滨县忠仁镇人民政府"));
    assert_eq!(imp.year, 2023);
    assert_eq!(imp.published, Some(date(2024, 1, 5)));
    assert_eq!(imp.level, Level::Township);
    assert_eq!(imp.slug, "suibinxian-zhongrenzhen");
    // The seed's own gap: table 四 has no 行政复议 cells.
    assert_eq!(imp.warnings.len(), 1, "{:?}", imp.warnings);
    assert!(imp.warnings[0].contains("行政复议"), "{:?}", imp.warnings);
    let l = load(&imp);
    assert!(
        l.text
            .contains("review:                   [null, null, null, null, null]"),
        "{}",
        l.text
    );
    assert_table3(&l.report, &vec![[Some(0); 7]; 25]);
    assert_appeals(&l.report, [[None; 5], [Some(0); 5], [Some(0); 5]]);
    let zeros: Vec<Vec<Option<String>>> = Format::Gov2021
        .proactive_items()
        .iter()
        .map(|d| vec![Some("0".to_string()); d.fields.len()])
        .collect();
    assert_eq!(proactive_text(&l.report), zeros);
    // `check` passes: no errors, no warnings.
    assert!(l.diags.is_empty(), "{:#?}", l.diags);
    // The narrative: the six headings as written, sub-headings, no table text.
    let headings: Vec<&str> = l.report.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        headings,
        [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及整改情况",
            "六、其他需要报告的事项"
        ]
    );
    assert!(l.report.body.contains("\n### （一）政府信息公开工作推进情况\n"));
    assert!(l.report.body.contains("\n### (二)整改情况\n"));
    for gone in ["本年制发件数", "勾稽关系", "结果维持", "2024年1月5日", "- 3 -"] {
        assert!(!l.report.body.contains(gone), "{gone} left in the body");
    }
    assert_eq!(l.report.title, "绥滨县忠仁镇人民政府2023年度政府信息公开工作报告");
}

// ---------------------------------------------------------------------------
// One fixture per kind of noise

#[test]
fn cells_separated_by_tabs() {
    assert_standard_2021("tabs.txt");
}

#[test]
fn labels_broken_by_stray_spaces_and_over_lines() {
    assert_standard_2021("split-labels.txt");
}

#[test]
fn page_footers_and_a_header_repeated_after_a_page_break() {
    let l = assert_standard_2021("footers.txt");
    for footer in ["- 3 -", "第 4 页", "— 5 —", "- 6 -"] {
        assert!(!l.report.body.contains(footer), "{footer} left in the body");
    }
    // A bare page number between paragraphs is a footer too.
    assert!(!l.report.body.contains("\n2\n"), "{}", l.report.body);
}

#[test]
fn full_width_and_half_width_forms() {
    assert_standard_2021("fullwidth.txt");
}

#[test]
fn article_references_with_spaces() {
    assert_standard_2021("article-space.txt");
}

#[test]
fn a_row_cut_by_a_page_break() {
    assert_standard_2021("page-break.txt");
}

#[test]
fn the_agency_on_a_line_before_the_title_and_an_iso_date_at_the_end() {
    let l = assert_standard_2021("agency-line.txt");
    assert_eq!(l.report.title, "示例县交通运输局2023年度政府信息公开工作年度报告");
}

#[test]
fn the_date_at_the_end_with_dots() {
    assert_standard_2021("date-end.txt");
}

#[test]
fn blank_cells_are_written_as_null_and_the_sources_failures_reported() {
    let imp = import_file(&fixture("blank-cells.txt"));
    // One warning per row with a blank cell, naming the row and column.
    let w = imp.warnings.join("\n");
    for want in [
        "第二十条第（一）项 规章: 本年制发件数 blank",
        "（一）予以公开: 商业企业 blank",
        "2.其他法律行政法规禁止公开: 总计 blank",
        "四、结转下年度继续办理: 自然人 blank",
        "行政复议: 结果纠正 blank",
    ] {
        assert!(w.contains(want), "no warning `{want}` in:\n{w}");
    }
    let l = load(&imp);
    let mut expected = scheme::table3(21, &[], &[]);
    expected[2][1] = None;
    expected[5][6] = None;
    expected[24][0] = None;
    assert_table3(&l.report, &expected);
    let mut appeals = some5(scheme::APPEALS);
    appeals[0][1] = None;
    assert_appeals(&l.report, appeals);
    let mut p = proactive_2021();
    p[0][0] = None;
    assert_eq!(proactive_text(&l.report), p);
    // The published numbers do not balance once blanks count as 0: the
    // checks say so, and nothing was "fixed".
    let ids: Vec<&str> = l.errors().iter().map(|d| d.id.as_str()).collect();
    assert!(
        ids.contains(&"R01") && ids.contains(&"R02") && ids.contains(&"R04"),
        "{ids:?}"
    );
}

// ---------------------------------------------------------------------------
// Realistic variants

#[test]
fn a_county_department_report_laid_out_with_spaces() {
    let imp = import_file(&fixture("spaces-2022.txt"));
    assert_eq!(imp.format, Format::Gov2021);
    assert_eq!(imp.agency.as_deref(), Some("示例县财政局"));
    assert_eq!(imp.year, 2022);
    assert_eq!(imp.published, Some(date(2023, 1, 20)));
    assert_eq!(imp.level, Level::Department);
    assert_eq!(imp.slug, "shilixian-caizhengju");
    let l = load(&imp);
    // Blank cells: one printed as "-", one left empty and placed by the
    // columns of the table's full rows.
    assert_table3(&l.report, &scheme::table3(21, &[3, 9, 10], &[(1, 2), (15, 4)]));
    assert_appeals(&l.report, some5([[1, 0, 0, 1, 2], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]));
    let p: Vec<Vec<Option<String>>> = [
        &["0", "0", "0"][..],
        &["3", "1", "17"],
        &["0"],
        &["126"],
        &["4"],
        &["4068.208"],
    ]
    .iter()
    .map(|r| r.iter().map(|s| Some(s.to_string())).collect())
    .collect();
    assert_eq!(proactive_text(&l.report), p);
    assert_eq!(imp.warnings.len(), 2, "{:?}", imp.warnings);
    assert!(l.diags.is_empty(), "{:#?}", l.diags);
    assert!(l.report.body.contains("### （一）存在的问题"));
}

#[test]
fn merged_label_cells_broken_over_the_lines_of_their_rows() {
    // `pdftotext -layout` of a table with merged cells: pieces of
    // 三、本年度办理结果 and of the group labels before the rows' own labels.
    let imp = import_file(&fixture("layout-merged.txt"));
    assert_eq!(
        (imp.agency.as_deref().unwrap_or(""), imp.year, imp.slug.as_str()),
        ("示例县教育局", 2023, "shilixian-jiaoyuju")
    );
    let l = load(&imp);
    assert_table3(&l.report, &scheme::table3(21, &[0, 1, 2, 3, 4, 5, 6, 7], &[]));
    assert_appeals(&l.report, some5(scheme::APPEALS));
    assert_eq!(proactive_text(&l.report), proactive_2021());
    assert!(l.diags.is_empty(), "{:#?}", l.diags);
}

fn expected_2019_proactive() -> Vec<Vec<Option<String>>> {
    [
        &["0", "0", "0"][..],
        &["6", "6", "88"],
        &["35", "-2", "1204"],
        &["12", "3", "57"],
        &["140", "-7", "311"],
        &["9", "0", "14"],
        &["5", "-1"],
        &["23", "1861.37"],
    ]
    .iter()
    .map(|r| r.iter().map(|s| Some(s.to_string())).collect())
    .collect()
}

#[test]
fn a_2020_report_in_the_2019_format() {
    let imp = import_file(&fixture("gov-2019.txt"));
    assert_eq!(imp.format, Format::Gov2019);
    assert_eq!(imp.agency.as_deref(), Some("示例市生态环境局"));
    assert_eq!(imp.year, 2020);
    assert_eq!(imp.published, Some(date(2021, 1, 25)));
    let l = load(&imp);
    assert_eq!(
        l.report.tables.as_ref().unwrap().requests.len(),
        REQUEST_ROWS_2019.len()
    );
    assert_table3(&l.report, &scheme::table3(19, &[], &[]));
    assert_appeals(&l.report, some5([[2, 1, 0, 0, 3], [1, 0, 0, 1, 2], [0, 0, 0, 0, 0]]));
    assert_eq!(proactive_text(&l.report), expected_2019_proactive());
    assert!(l.diags.is_empty(), "{:#?}", l.diags);
}

#[test]
fn a_report_without_tables_is_freeform() {
    let imp = import_file(&fixture("freeform-2017.txt"));
    assert_eq!(imp.format, Format::Freeform);
    assert_eq!((imp.agency.as_deref(), imp.year), (Some("示例县人民政府"), 2017));
    assert_eq!(imp.published, Some(date(2018, 3, 20)));
    assert_eq!(imp.level, Level::Government);
    assert!(imp.numbers.is_none());
    let l = load(&imp);
    assert!(l.errors().is_empty(), "{:#?}", l.diags);
    assert!(l.report.body.contains("全年受理申请12件"));
    assert!(!l.text.contains("requests:"));
}

#[test]
fn text_that_is_no_report_is_refused_with_the_reason() {
    let text = std::fs::read_to_string(fixture("not-a-report.txt")).unwrap();
    let err = import_str(&text).unwrap_err();
    assert!(
        err.contains("reporting year was not found") && err.contains("--year"),
        "{err}"
    );
    // Given what it lacks, it imports as freeform, the text as the body.
    let opts = Options {
        agency: Some("示例县档案馆".into()),
        year: Some(2023),
        published: Some(date(2024, 1, 10)),
        ..Options::default()
    };
    let imp = import::import_text(&text, &opts).unwrap();
    assert_eq!(imp.format, Format::Freeform);
    assert!(imp.body.contains("研究了下一阶段工作"));
}

// ---------------------------------------------------------------------------
// Matching by label, and errors

#[test]
fn rows_are_matched_by_label_not_by_position() {
    // Rows of table 三 and 二 in another order still land in their rows.
    let text = std::fs::read_to_string(fixture("tabs.txt")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let find = |lines: &[&str], s: &str| lines.iter().position(|l| l.contains(s)).unwrap();
    let (a, b) = (find(&lines, "2.重复申请"), find(&lines, "4.无正当理由"));
    lines.swap(a, b);
    let (a, b) = (find(&lines, "行政处罚\t"), find(&lines, "行政强制\t"));
    lines.swap(a, b);
    let imp = import_str(&lines.join("\n")).unwrap();
    let l = load(&imp);
    assert_table3(&l.report, &scheme::table3(21, &[], &[]));
    assert_eq!(proactive_text(&l.report), proactive_2021());
}

#[test]
fn the_applicant_columns_follow_the_header() {
    // A header that lists 科研机构 before 商业企业: the cells follow it.
    let text = std::fs::read_to_string(fixture("tabs.txt")).unwrap();
    let mut out = Vec::new();
    for line in text.lines() {
        if line.contains("\t商业企业\t科研机构\t") {
            out.push(line.replace("商业企业\t科研机构", "科研机构\t商业企业"));
        } else if line.split('\t').filter(|c| c.parse::<i64>().is_ok()).count() == 7 {
            let mut cells: Vec<&str> = line.split('\t').collect();
            let n = cells.len();
            cells.swap(n - 6, n - 5);
            out.push(cells.join("\t"));
        } else {
            out.push(line.to_string());
        }
    }
    let imp = import_str(&out.join("\n")).unwrap();
    let l = load(&imp);
    assert_table3(&l.report, &scheme::table3(21, &[], &[]));
}

#[test]
fn a_table_copied_one_cell_a_line() {
    // Some viewers copy a table cell by cell: every cell on a line of its own.
    let text = std::fs::read_to_string(fixture("tabs.txt")).unwrap();
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.contains('\t') {
            out.extend(line.split('\t').filter(|c| !c.is_empty()).map(str::to_string));
        } else {
            out.push(line.to_string());
        }
    }
    let imp = import_str(&out.join("\n")).unwrap_or_else(|e| panic!("{e}"));
    let l = load(&imp);
    assert_table3(&l.report, &scheme::table3(21, &[], &[]));
    assert_eq!(proactive_text(&l.report), proactive_2021());
    assert_appeals(&l.report, some5(scheme::APPEALS));
}

#[test]
fn blank_review_cells_in_a_table_laid_out_with_spaces() {
    // The seed's table 四 as `pdftotext -layout` gives it: 行政复议's cells
    // blank, the 10 行政诉讼 numbers placed under their headers.
    let text = std::fs::read_to_string(fixture("spaces-2022.txt")).unwrap();
    let start = text.find("        行政复议").unwrap();
    let end = text.find("五、存在的主要问题").unwrap();
    // Each column is 11 characters wide, its header in the middle.
    let head = |indent: usize, blocks: usize| {
        let cols: String = ["结果 维持", "结果 纠正", "其他 结果", "尚未 审结", " 总 计 "]
            .iter()
            .map(|c| format!("   {c}   "))
            .collect();
        format!("{}{}", " ".repeat(indent), cols.repeat(blocks))
    };
    let numbers: String = (0..10)
        .map(|k| format!("{:>7}    ", [7, 0, 1, 3, 11, 2, 0, 0, 1, 3][k]))
        .collect();
    let table = format!(
        "   行政复议                                                   行政诉讼\n\
         {}未经复议直接起诉                                   复议后起诉\n\
         {}\n{}\n{}{}\n\n",
        " ".repeat(55),
        head(0, 1),
        head(55, 2),
        " ".repeat(55),
        numbers.trim_end()
    );
    let imp = import_str(&format!("{}{}{}", &text[..start], table, &text[end..])).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        imp.warnings.iter().any(|w| w.contains("行政复议: every cell is blank")),
        "{:?}",
        imp.warnings
    );
    let l = load(&imp);
    assert_appeals(
        &l.report,
        [[None; 5], [7, 0, 1, 3, 11].map(Some), [2, 0, 0, 1, 3].map(Some)],
    );
}

#[test]
fn a_missing_row_is_an_error_naming_it() {
    let text = std::fs::read_to_string(fixture("tabs.txt")).unwrap();
    let without: Vec<&str> = text.lines().filter(|l| !l.contains("2.重复申请")).collect();
    let err = import_str(&without.join("\n")).unwrap_err();
    assert!(
        err.contains("2.重复申请") && err.contains("三、收到和处理政府信息公开申请情况"),
        "{err}"
    );
    let without: Vec<&str> = text.lines().filter(|l| !l.starts_with("行政强制")).collect();
    let err = import_str(&without.join("\n")).unwrap_err();
    assert!(err.contains("行政强制"), "{err}");
}

#[test]
fn a_row_with_too_many_numbers_is_an_error() {
    let text = std::fs::read_to_string(fixture("tabs.txt")).unwrap();
    let bad = text.replace("\t2.重复申请\t", "\t2.重复申请\t9\t");
    let err = import_str(&bad).unwrap_err();
    assert!(
        err.contains("2.重复申请") && err.contains("8 numbers for 7 columns"),
        "{err}"
    );
}

#[test]
fn blank_cells_that_cannot_be_placed_are_an_error() {
    // Separated by single spaces, with no full row to learn the columns from.
    let text = std::fs::read_to_string(fixture("spaces-2022.txt")).unwrap();
    let squeezed: String = text
        .lines()
        .map(|l| {
            if l.starts_with("    3.要求提供公开出版物") {
                "3.要求提供公开出版物 1607 1614 1621 1628 1642 8112".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let err = import_str(&squeezed).unwrap_err();
    assert!(
        err.contains("3.要求提供公开出版物") && err.contains("6 numbers for 7 columns"),
        "{err}"
    );
}

#[test]
fn a_forced_format_that_does_not_fit_is_an_error() {
    let text = std::fs::read_to_string(fixture("tabs.txt")).unwrap();
    let opts = Options {
        format: Some(Format::Gov2019),
        ..Options::default()
    };
    let err = import::import_text(&text, &opts).unwrap_err();
    assert!(err.contains("gov-2019"), "{err}");
}

#[test]
fn the_format_is_recognised_from_the_labels() {
    assert_eq!(import_file(&fixture("tabs.txt")).format, Format::Gov2021);
    assert_eq!(import_file(&fixture("gov-2019.txt")).format, Format::Gov2019);
    // The 2019 labels decide even for a later year.
    let text = std::fs::read_to_string(fixture("gov-2019.txt"))
        .unwrap()
        .replace("2020年", "2021年");
    assert_eq!(import_str(&text).unwrap().format, Format::Gov2019);
}

// ---------------------------------------------------------------------------
// Encodings and Word documents

#[test]
fn gbk_and_utf16_text_read_like_utf8() {
    let text = std::fs::read_to_string(fixture("tabs.txt")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let gbk = dir.path().join("gbk.txt");
    let (bytes, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad);
    std::fs::write(&gbk, &bytes).unwrap();
    let utf16 = dir.path().join("utf16.txt");
    let mut b = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        b.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(&utf16, b).unwrap();
    let bom = dir.path().join("bom.txt");
    std::fs::write(
        &bom,
        [&[0xEF, 0xBB, 0xBF][..], text.replace('\n', "\r\n").as_bytes()].concat(),
    )
    .unwrap();
    let want = import_file(&fixture("tabs.txt"));
    for p in [gbk, utf16, bom] {
        assert_eq!(import_file(&p), want, "{}", p.display());
    }
}

/// A minimal .docx of a report text: paragraphs, and each run of lines with
/// tabs as a table whose trailing blank cells are merged into the last
/// filled one (`w:gridSpan`) and whose leading blank label cells continue a
/// vertical merge (`w:vMerge`), as Word writes merged cells.
pub fn docx_of(text: &str) -> Vec<u8> {
    fn esc(s: &str) -> String {
        s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    }
    fn para(s: &str) -> String {
        // Text split over two runs, as Word does.
        let cut = s.char_indices().nth(s.chars().count() / 2).map_or(0, |x| x.0);
        format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:t>{}</w:t></w:r></w:p>",
            esc(&s[..cut]),
            esc(&s[cut..])
        )
    }
    let mut body = String::new();
    let mut in_table = false;
    for line in text.lines() {
        if line.contains('\t') {
            if !in_table {
                body.push_str("<w:tbl><w:tblPr/>");
                in_table = true;
            }
            let cells: Vec<&str> = line.split('\t').collect();
            let last = cells.iter().rposition(|c| !c.is_empty()).unwrap_or(0);
            let first = cells.iter().position(|c| !c.is_empty()).unwrap_or(0);
            body.push_str("<w:tr>");
            for (i, c) in cells.iter().enumerate().take(last + 1) {
                let span = if i == last { cells.len() - last } else { 1 };
                let mut pr = String::new();
                if span > 1 {
                    pr.push_str(&format!("<w:gridSpan w:val=\"{span}\"/>"));
                }
                if i < first && i < 2 {
                    pr.push_str("<w:vMerge/>");
                }
                let content = if i < first && i < 2 {
                    "<w:p/>".to_string()
                } else {
                    para(c)
                };
                body.push_str(&format!("<w:tc><w:tcPr>{pr}</w:tcPr>{content}</w:tc>"));
            }
            body.push_str("</w:tr>");
        } else {
            if in_table {
                body.push_str("</w:tbl>");
                in_table = false;
            }
            if line.trim().is_empty() {
                body.push_str("<w:p/>");
            } else {
                body.push_str(&para(line));
            }
        }
    }
    if in_table {
        body.push_str("</w:tbl>");
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("[Content_Types].xml", opts).unwrap();
        zip.write_all(
            b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
        )
        .unwrap();
        zip.start_file("word/document.xml", opts).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn a_word_document_is_read_from_its_table_structure() {
    let dir = tempfile::tempdir().unwrap();
    for (name, check) in [("tabs.txt", true), ("blank-cells.txt", false), ("gov-2019.txt", true)] {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        let path = dir.path().join(name.replace(".txt", ".docx"));
        std::fs::write(&path, docx_of(&text)).unwrap();
        let from_docx = import_file(&path);
        let from_text = import_file(&fixture(name));
        assert_eq!(from_docx.numbers, from_text.numbers, "{name}");
        assert_eq!(
            (&from_docx.agency, from_docx.year, from_docx.published),
            (&from_text.agency, from_text.year, from_text.published)
        );
        if check {
            assert!(load(&from_docx).diags.is_empty(), "{name}");
        }
    }
}

// ---------------------------------------------------------------------------
// Round trip: import → build → the report page's cells

mod page {
    use std::collections::BTreeSet;

    use scraper::{Html, Selector};

    fn sel(s: &str) -> Selector {
        Selector::parse(s).expect("a valid selector")
    }

    /// Every number cell of the table `#id` (table 三's note left out):
    /// the texts of the headers the HTML table model gives it, and its text.
    pub fn cells(html: &Html, id: &str) -> Vec<(BTreeSet<String>, String)> {
        let table = html
            .select(&sel(&format!("table#{id}")))
            .next()
            .unwrap_or_else(|| panic!("no table #{id}"));
        crate::common::html_table::data_cells(table)
            .into_iter()
            .filter(|c| c.class != "note")
            .map(|c| (c.headers, c.text))
            .collect()
    }

    pub fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }
}

/// The page's cell with exactly these headers.
fn page_cell<'a>(cells: &'a [(std::collections::BTreeSet<String>, String)], headers: &[&str]) -> &'a str {
    let want = page::set(headers);
    let found: Vec<&str> = cells.iter().filter(|c| c.0 == want).map(|c| c.1.as_str()).collect();
    assert_eq!(found.len(), 1, "cells with headers {want:?}");
    found[0]
}

/// Asserts that the report page shows every number of `imp` in the cell its
/// row and column headers name.
fn assert_page_shows(html: &scraper::Html, imp: &Imported) {
    let numbers = imp.numbers.as_ref().expect("tables");
    let shown = |c: &Option<String>| c.clone().unwrap_or_default();
    // 二
    let t2 = page::cells(html, "t2");
    for (k, item) in imp.format.proactive_items().iter().enumerate() {
        for (f, field) in item.fields.iter().enumerate() {
            let got = page_cell(&t2, &[item.block, item.label, field.label]);
            assert_eq!(
                got,
                shown(&numbers.proactive[k][f]),
                "二 {} {} {}",
                item.block,
                item.label,
                field.label
            );
        }
    }
    // 三
    let t3 = page::cells(html, "t3");
    for (k, def) in imp.format.request_rows().iter().enumerate() {
        let mut row: Vec<&str> = Vec::new();
        if matches!(def.kind, labels::RowKind::Result | labels::RowKind::Total) {
            row.push("三、本年度办理结果");
        }
        if let Some(g) = def.group {
            row.push(labels::group_label(g));
        }
        row.push(def.label);
        for (c, col) in labels::REQUEST_COLUMNS.iter().enumerate() {
            let mut h = row.clone();
            h.push("申请人情况");
            if (1..6).contains(&c) {
                h.push("法人或其他组织");
            }
            h.push(col);
            assert_eq!(
                page_cell(&t3, &h),
                shown(&numbers.requests[k][c]),
                "三 {} {col}",
                def.full_label()
            );
        }
    }
    // 四
    let t4 = page::cells(html, "t4");
    let blocks: [&[&str]; 3] = [
        &["行政复议"],
        &["行政诉讼", "未经复议直接起诉"],
        &["行政诉讼", "复议后起诉"],
    ];
    for (b, heads) in blocks.iter().enumerate() {
        for (c, col) in labels::APPEAL_COLUMNS.iter().enumerate() {
            let mut h = heads.to_vec();
            h.push(col);
            assert_eq!(page_cell(&t4, &h), shown(&numbers.appeals[b][c]), "四 {heads:?} {col}");
        }
    }
}

#[test]
fn imported_reports_build_and_their_pages_show_the_published_numbers() {
    let imports: Vec<Imported> = [
        seed(),
        fixture("tabs.txt"),
        fixture("spaces-2022.txt"),
        fixture("gov-2019.txt"),
    ]
    .iter()
    .map(|p| import_file(p))
    .collect();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("site.toml"), "title = \"导入测试\"\n").unwrap();
    for imp in &imports {
        let path = root.join(format!("content/reports/{}/{}.md", imp.slug, imp.year));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, imp.file_text(None)).unwrap();
    }
    let out = dir.path().join("public");
    let opts = gongkai::build::BuildOptions {
        output: Some(out.clone()),
        ..Default::default()
    };
    let outcome = gongkai::build::build(&root, &opts, false, &|_, _| {}).expect("the build runs");
    assert!(
        outcome.summary.is_some(),
        "the build stopped:\n{}",
        outcome.site.render_diagnostics(false)
    );
    for imp in &imports {
        let page = out.join(format!("reports/{}/{}/index.html", imp.slug, imp.year));
        let html = scraper::Html::parse_document(&std::fs::read_to_string(&page).unwrap());
        assert_page_shows(&html, imp);
    }
    // The 2019 report's page has the 2019 labels.
    let page = std::fs::read_to_string(out.join("reports/shilishi-shengtaihuanjingju/2020/index.html")).unwrap();
    for label in [
        "本年新制作数量",
        "对外公开总数量",
        "本年增/减",
        "第二十条第（九）项",
        "政府集中采购",
        "采购总金额",
        "其他对外管理服务事项",
    ] {
        assert!(page.contains(label), "the 2019 page lacks {label}");
    }
    assert!(!page.contains("本年制发件数"));
}
