//! The fixture suite for `gongkai check` on bad input.
//!
//! Each `tests/fixtures/<case>/` is a small site. `valid` holds one valid,
//! balanced gov-2021 report (`content/reports/ceshi/2023.md`); every other case
//! copies it and breaks one thing, so it shows exactly the intended
//! diagnostics. Cross-year cases add the same agency's balanced 2022 report,
//! which the 2023 report continues (R08, R11). Each test asserts the exact list
//! of (id, severity, file, line), the key parts of the messages, and snapshots
//! the human rendering (`tests/snapshots/`).
//!
//! Line numbers of the base report (the opening `---` is line 1): 3 agency,
//! 4 agency_slug, 5 year, 6 published, 10 normative_docs, 11 licensing,
//! 12 penalty, 14 fees, 16 new, 17 carried_over, 18 granted, 19 partial,
//! 30 not_held, 43 total, 44 carried_forward, 46 review, 49 closing `---`,
//! 50 first body line.
//!
//! The CLI tests at the end run the binary, which judges dates by the real
//! today; the library tests pass a fixed today.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::NaiveDate;
use gongkai::diagnostics::{Diagnostic, Related, Rule, Severity};
use gongkai::site::Site;
use predicates::str::contains;

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;

/// The base report of every case.
const REPORT: &str = "content/reports/ceshi/2023.md";
/// The same agency's previous report, in the cross-year cases.
const REPORT_2022: &str = "content/reports/ceshi/2022.md";

mod common;
use common::fixture;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).expect("valid date")
}

/// The fixture site `case`, loaded and checked as of [`today`].
fn load(case: &str) -> Site {
    Site::load(&fixture(case), today()).unwrap_or_else(|e| panic!("{case}: the site does not load: {e}"))
}

/// The diagnostics of the fixture site `case`.
fn diags(case: &str) -> Vec<Diagnostic> {
    load(case).diagnostics
}

/// The human rendering of the diagnostics of `case`, for the snapshots.
fn rendered(case: &str) -> String {
    load(case).render_diagnostics(false)
}

/// Asserts the exact list of diagnostics, in the order they are reported.
fn assert_list(d: &[Diagnostic], expected: &[(&str, Severity, &str, usize)]) {
    let got: Vec<(&str, Severity, &str, Option<usize>)> = d
        .iter()
        .map(|x| (x.id.as_str(), x.severity, x.file.as_str(), x.line))
        .collect();
    let want: Vec<(&str, Severity, &str, Option<usize>)> = expected
        .iter()
        .map(|&(id, sev, file, line)| (id, sev, file, Some(line)))
        .collect();
    assert_eq!(got, want, "the diagnostics were:\n{d:#?}");
}

/// Asserts that the message of `d`, with its advice, contains each of `parts`.
fn assert_says(d: &Diagnostic, parts: &[&str]) {
    let said = format!("{}\n{}", d.message, d.help.as_deref().unwrap_or(""));
    for p in parts {
        assert!(said.contains(p), "{} message lacks {p:?}:\n{said}", d.id);
    }
}

/// Where a diagnostic points elsewhere: (file, line, column) of each related place.
fn places_elsewhere(d: &Diagnostic) -> Vec<(&str, Option<usize>, Option<usize>)> {
    d.related
        .iter()
        .map(|r: &Related| (r.file.as_str(), r.line, r.column))
        .collect()
}

/// The one diagnostic with `id` whose message contains `needle`.
fn find<'a>(d: &'a [Diagnostic], id: &str, needle: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = d
        .iter()
        .filter(|x| x.id.as_str() == id && x.message.contains(needle))
        .collect();
    assert_eq!(found.len(), 1, "expected one {id} saying {needle:?} in:\n{d:#?}");
    found[0]
}

// ---------------------------------------------------------------- valid input

#[test]
fn valid() {
    let site = load("valid");
    assert_list(&site.diagnostics, &[]);
    // Not silently skipped: the report is there, with its tables.
    assert_eq!(site.reports.len(), 1);
    assert!(site.reports[0].tables.is_some());
    insta::assert_snapshot!(rendered("valid"));
}

#[test]
fn crlf_bom() {
    let site = load("crlf-bom");
    assert_list(&site.diagnostics, &[]);
    assert_eq!(site.reports.len(), 1);
    assert_eq!(site.reports[0].agency, "测试县测试局");
    assert!(site.reports[0].tables.is_some());
    assert_eq!(site.reports[0].sections.len(), 6);
    insta::assert_snapshot!(rendered("crlf-bom"));
}

#[test]
fn crlf_bom_error_has_the_lines_and_columns_of_the_file() {
    let d = diags("crlf-bom-error");
    assert_list(&d, &[("R04", E, REPORT, 46)]);
    assert_eq!(d[0].column, Some(41));
    insta::assert_snapshot!(rendered("crlf-bom-error"));
}

#[test]
fn freeform() {
    let site = load("freeform");
    let d = &site.diagnostics;
    // The valid freeform report (2015) has none; the one with a `requests:` block has F04.
    assert_list(d, &[("F04", E, "content/reports/ceshi/2016.md", 8)]);
    assert_says(&d[0], &["`requests`", "freeform"]);
    assert_eq!(d[0].column, Some(1));
    assert!(site.reports.iter().any(|r| r.year == 2015 && r.tables.is_none()));
    insta::assert_snapshot!(rendered("freeform"));
}

// ---------------------------------------------------------------- R01-R04: the tables do not add up

#[test]
fn r01_balance() {
    let d = diags("r01-balance");
    assert_list(&d, &[("R01", E, REPORT, 16), ("R01", E, REPORT, 16)]);
    let natural = find(&d, "R01", "column 自然人");
    assert_says(
        natural,
        &[
            "三、收到和处理政府信息公开申请情况",
            "一 新收 5 + 二 上年结转 1 = 6",
            "三（七）总计 5 + 四 结转下年度 2 = 7",
        ],
    );
    let total = find(&d, "R01", "column 总计");
    assert_says(
        total,
        &["一 新收 7 + 二 上年结转 1 = 8", "三（七）总计 7 + 四 结转下年度 2 = 9"],
    );
    // The advice says which cells to check: the column and the four cells
    // of the equation, each with its line.
    assert_says(
        natural,
        &[
            "one of the four cells of column 自然人 is wrong by 1",
            "一 新收 (line 16), 二 上年结转 (line 17), 三（七）总计 (line 43) and 四 结转下年度 (line 44)",
        ],
    );
    insta::assert_snapshot!(rendered("r01-balance"));
}

#[test]
fn r02_row_total() {
    // One typo in the 总计 of （一）予以公开: R02 for the row, and (as that 总计 is
    // one of the result rows) R03 for the 总计 column of （七）总计.
    let d = diags("r02-row-total");
    assert_list(&d, &[("R02", E, REPORT, 18), ("R03", E, REPORT, 43)]);
    assert_eq!(d[0].column, Some(36));
    assert_says(
        &d[0],
        &[
            "（一）予以公开",
            "column 总计",
            "总计 is 5",
            "自然人",
            "2 + 1 + 0 + 0 + 1 + 0 = 4",
        ],
    );
    assert_eq!(d[1].column, Some(39));
    assert_says(&d[1], &["（七）总计", "column 总计", "is 7", "add up to 8"]);
    insta::assert_snapshot!(rendered("r02-row-total"));
}

#[test]
fn r03_result_sum() {
    let d = diags("r03-result-sum");
    assert_list(&d, &[("R03", E, REPORT, 43), ("R03", E, REPORT, 43)]);
    let natural = find(&d, "R03", "column 自然人");
    assert_eq!(natural.column, Some(21));
    assert_says(
        natural,
        &["三、本年度办理结果（七）总计", "（七）总计 is 5", "add up to 6"],
    );
    let total = find(&d, "R03", "column 总计");
    assert_eq!(total.column, Some(39));
    assert_says(total, &["（七）总计 is 7", "add up to 8"]);
    insta::assert_snapshot!(rendered("r03-result-sum"));
}

#[test]
fn r04_appeal_total() {
    let d = diags("r04-appeal-total");
    assert_list(&d, &[("R04", E, REPORT, 46)]);
    assert_eq!(d[0].column, Some(41));
    assert_says(
        &d[0],
        &[
            "四、政府信息公开行政复议、行政诉讼情况",
            "行政复议",
            "column 总计",
            "总计 is 2",
            "结果维持 1 + 结果纠正 0 + 其他结果 0 + 尚未审结 0 = 1",
        ],
    );
    insta::assert_snapshot!(rendered("r04-appeal-total"));
}

// ---------------------------------------------------------------- R05: numbers of the wrong kind

#[test]
fn quoted_number() {
    let d = diags("quoted-number");
    assert_list(&d, &[("R05", E, REPORT, 18)]);
    assert_eq!(d[0].column, Some(21));
    assert_says(
        &d[0],
        &["（一）予以公开", "column 商业企业", "\"1\"", "without quotes: 1"],
    );
    insta::assert_snapshot!(rendered("quoted-number"));
}

#[test]
fn fullwidth_digit() {
    let d = diags("fullwidth-digit");
    assert_list(&d, &[("R05", E, REPORT, 11)]);
    assert_says(&d[0], &["行政许可", "full-width", "１２", "write ASCII digits: 12"]);
    insta::assert_snapshot!(rendered("fullwidth-digit"));
}

#[test]
fn negative_count() {
    let d = diags("negative-count");
    assert_list(&d, &[("R05", E, REPORT, 19)]);
    assert_eq!(d[0].column, Some(18));
    assert_says(&d[0], &["（二）部分公开", "column 自然人", "-1", "cannot be negative"]);
    insta::assert_snapshot!(rendered("negative-count"));
}

#[test]
fn fees_decimals() {
    // 万元 to the 分 (6 decimals) is what real reports print; 7 is refused.
    let site = load("fees-decimals");
    let d = &site.diagnostics;
    assert_list(d, &[("R05", E, REPORT, 14)]);
    assert_says(
        &d[0],
        &[
            "行政事业性收费",
            "万元",
            "1.2345678",
            "7 decimals",
            "at most 6 decimals",
            "write 1.234568",
        ],
    );
    let six = site
        .reports
        .iter()
        .find(|r| r.agency_slug == "liuwei")
        .expect("the 6-decimal report");
    let fees = six.tables.as_ref().expect("its tables").proactive[5].cells[0];
    assert_eq!(
        fees.map(gongkai::report::parse::format_amount).as_deref(),
        Some("4068.208123")
    );
    insta::assert_snapshot!(rendered("fees-decimals"));
}

#[test]
fn row_of_8() {
    let d = diags("row-of-8");
    assert_list(&d, &[("R05", E, REPORT, 18)]);
    assert_says(
        &d[0],
        &[
            "（一）予以公开",
            "a row of 8 numbers",
            "takes 7 numbers",
            "6 with the 总计 left off",
        ],
    );
    insta::assert_snapshot!(rendered("row-of-8"));
}

#[test]
fn thousands_separator() {
    // `licensing: 1,234` (text to YAML) and `new: [2,500, …, 2,502]` (two numbers
    // each to YAML): both named, with what to write instead.
    let d = diags("thousands-separator");
    assert_list(&d, &[("R05", E, REPORT, 11), ("R05", E, REPORT, 16)]);
    assert_says(&d[0], &["行政许可", "\"1,234\"", "thousands separator", "write 1234"]);
    assert_says(
        &d[1],
        &["一、本年新收", "found 2,500", "thousands separator", "write 2500"],
    );
    insta::assert_snapshot!(rendered("thousands-separator"));
}

#[test]
fn thousands_separator_in_a_row_names_the_number() {
    // The spec: the error "says what was found and what to write instead". For
    // the row that is 2,500 → 2500 (and 2,502 → 2502), not a fixed example.
    let d = diags("thousands-separator");
    assert_says(&d[1], &["2,500", "2500"]);
}

#[test]
fn thousands_separator_splitting_into_a_row_of_six() {
    // `not_held: [1,234, 0, 0, 0, 0]` reads as the 6 numbers 1 234 0 0 0 0 (总计
    // left off): the row must still be refused for its thousands separator, not
    // taken as 商业企业 234 and then reported as an R03 imbalance.
    let d = diags("thousands-separator-six");
    assert_list(&d, &[("R05", E, REPORT, 30)]);
    assert_says(&d[0], &["1.本机关不掌握相关政府信息", "thousands separator", "1234"]);
    insta::assert_snapshot!(rendered("thousands-separator-six"));
}

#[test]
fn thousands_separator_with_zeros() {
    // `[1,000, 0, 0, 0, 0]` reads as 1 and the text "000": the message must name
    // the thousands separator, and must not claim that "000" was quoted.
    let d = diags("thousands-separator-zeros");
    assert_list(&d, &[("R05", E, REPORT, 30)]);
    assert_says(&d[0], &["1.本机关不掌握相关政府信息", "thousands separator", "1000"]);
    assert!(!d[0].message.contains("quoted"), "{}", d[0].message);
    insta::assert_snapshot!(rendered("thousands-separator-zeros"));
}

#[test]
fn leading_zero() {
    // `penalty: 03` is not quoted (YAML reads it as text because of the leading
    // zero): the message must not say "quoted" nor suggest writing 03 again.
    let d = diags("leading-zero");
    assert_list(&d, &[("R05", E, REPORT, 12)]);
    assert_says(&d[0], &["行政处罚", "03"]);
    assert!(!d[0].message.contains("quoted"), "{}", d[0].message);
    assert!(!d[0].message.contains("without quotes: 03"), "{}", d[0].message);
    insta::assert_snapshot!(rendered("leading-zero"));
}

// ---------------------------------------------------------------- R06: required keys

#[test]
fn r06_missing_key() {
    let d = diags("r06-missing-key");
    assert_list(&d, &[("R06", E, REPORT, 1)]);
    assert_says(&d[0], &["missing required key `published`", "YYYY-MM-DD"]);
    insta::assert_snapshot!(rendered("r06-missing-key"));
}

#[test]
fn r06_bad_slug() {
    let d = diags("r06-bad-slug");
    assert_list(&d, &[("R06", E, REPORT, 4)]);
    assert_says(&d[0], &["`Zhong Ren`", "[a-z0-9-]+", "`zhong-ren`"]);
    insta::assert_snapshot!(rendered("r06-bad-slug"));
}

#[test]
fn r06_year_range() {
    let d = diags("r06-year-range");
    assert_list(&d, &[("R06", E, REPORT, 5)]);
    assert_says(&d[0], &["year 2999", "out of range", "2008", "2026"]);
    insta::assert_snapshot!(rendered("r06-year-range"));
}

// ---------------------------------------------------------------- R07-R12: across reports, deadlines, body

#[test]
fn r07_duplicate() {
    let d = diags("r07-duplicate");
    assert_list(&d, &[("R07", E, "content/reports/ceshi-old/2023.md", 5)]);
    assert_says(
        &d[0],
        &["second report", "`ceshi`", "2023", REPORT, "keep one of the two"],
    );
    // The other file is pointed at, at its year.
    assert_eq!(places_elsewhere(&d[0]), [(REPORT, Some(5), Some(7))]);
    insta::assert_snapshot!(rendered("r07-duplicate"));
}

#[test]
fn r07_agency_name() {
    let d = diags("r07-agency-name");
    assert_list(&d, &[("R07", E, REPORT, 3)]);
    assert_says(
        &d[0],
        &[
            "`ceshi`",
            "`测试县测试局`",
            "`测试县测试管理局`",
            REPORT_2022,
            "one slug is one agency",
        ],
    );
    assert_eq!(places_elsewhere(&d[0]), [(REPORT_2022, Some(3), Some(9))]);
    assert!(
        d[0].related[0].label.contains("`测试县测试管理局`"),
        "{:?}",
        d[0].related
    );
    insta::assert_snapshot!(rendered("r07-agency-name"));
}

#[test]
fn r08_carry() {
    let d = diags("r08-carry");
    assert_list(&d, &[("R08", W, REPORT, 17), ("R08", W, REPORT, 17)]);
    let natural = find(&d, "R08", "column 自然人");
    assert_eq!(natural.column, Some(18));
    assert_says(
        natural,
        &[
            "二、上年结转政府信息公开申请数量",
            "1 here",
            "2022",
            "四、结转下年度继续办理 is 2",
            "content/reports/ceshi/2022.md:44",
        ],
    );
    // Last year's 四、结转下年度继续办理 of the same column, in the other file.
    assert_eq!(places_elsewhere(natural), [(REPORT_2022, Some(44), Some(21))]);
    assert!(
        natural.related[0].label.contains("column 自然人"),
        "{:?}",
        natural.related
    );
    let total = find(&d, "R08", "column 总计");
    assert_eq!(total.column, Some(36));
    assert_eq!(places_elsewhere(total), [(REPORT_2022, Some(44), Some(39))]);
    insta::assert_snapshot!(rendered("r08-carry"));
}

#[test]
fn r09_late() {
    let d = diags("r09-late");
    assert_list(&d, &[("R09", W, REPORT, 6)]);
    assert_says(
        &d[0],
        &[
            "2024-02-10",
            "10 days after the deadline 2024-01-31",
            "31 January",
            "department",
        ],
    );
    insta::assert_snapshot!(rendered("r09-late"));
}

#[test]
fn r09_early() {
    let d = diags("r09-early");
    assert_list(&d, &[("R09", W, REPORT, 6)]);
    assert_says(
        &d[0],
        &["2023-12-20", "before the reporting year 2023 has ended", "2024-01-01"],
    );
    insta::assert_snapshot!(rendered("r09-early"));
}

#[test]
fn r10_missing_section() {
    let d = diags("r10-missing-section");
    assert_list(&d, &[("R10", W, REPORT, 61)]);
    assert_says(&d[0], &["五", "## 五、存在的主要问题及改进情况"]);
    // Report pages show warnings' messages: the advice stays in it.
    assert!(
        d[0].message.contains("add a heading") && d[0].help.is_none(),
        "{:?}",
        d[0]
    );
    insta::assert_snapshot!(rendered("r10-missing-section"));
}

#[test]
fn r11_in_force() {
    let d = diags("r11-in-force");
    assert_list(&d, &[("R11", W, REPORT, 10)]);
    assert_says(
        &d[0],
        &[
            "第二十条第（一）项 行政规范性文件 现行有效件数",
            "5 here",
            "2022",
            "现行有效件数 6",
            "本年制发件数 2",
            "本年废止件数 1",
            "= 7",
        ],
    );
    assert_eq!(places_elsewhere(&d[0]), [(REPORT_2022, Some(10), Some(19))]);
    insta::assert_snapshot!(rendered("r11-in-force"));
}

#[test]
fn r12_copied() {
    let d = diags("r12-copied");
    assert_list(&d, &[("R12", W, REPORT, 51)]);
    assert_says(&d[0], &["内容雷同", "100%", "2022", REPORT_2022]);
    assert_eq!(places_elsewhere(&d[0]), [(REPORT_2022, Some(51), None)]);
    insta::assert_snapshot!(rendered("r12-copied"));
}

// ---------------------------------------------------------------- R13: the narrative against the tables

/// (line, column, width) of each diagnostic: R13 underlines the figure.
fn figure_places(d: &[Diagnostic]) -> Vec<(Option<usize>, Option<usize>, Option<usize>)> {
    d.iter().map(|x| (x.line, x.column, x.width)).collect()
}

#[test]
fn r13_received() {
    // 全年共收到政府信息公开申请9件 (table 一 新收 7) and 上年结转2件 (二 1); the
    // 结转下年度继续办理1件 of the same sentence is right.
    let d = diags("r13-received");
    assert_list(&d, &[("R13", W, REPORT, 53), ("R13", W, REPORT, 53)]);
    assert_eq!(
        figure_places(&d),
        [(Some(53), Some(35), Some(1)), (Some(53), Some(42), Some(1))]
    );
    assert_says(
        &d[0],
        &[
            "the text says 9",
            "“全年共收到政府信息公开申请9件”",
            "三、收到和处理政府信息公开申请情况, 一、本年新收政府信息公开申请数量, column 总计 is 7",
            "correct the figure in the text or in the table",
        ],
    );
    assert_says(
        &d[1],
        &["the text says 2", "二、上年结转政府信息公开申请数量, column 总计 is 1"],
    );
    // The table's cell, in the front matter.
    assert_eq!(places_elsewhere(&d[0]), [(REPORT, Some(16), Some(36))]);
    assert_eq!(places_elsewhere(&d[1]), [(REPORT, Some(17), Some(36))]);
    insta::assert_snapshot!(rendered("r13-received"));
}

#[test]
fn r13_results() {
    // 予以公开5件 (（一） 4) and 不予公开2件 (the block （三）'s 8 rows: 1); the
    // reason after 其中 (因保护第三方合法权益不予公开1件) is a part, not compared.
    let d = diags("r13-results");
    assert_list(&d, &[("R13", W, REPORT, 55), ("R13", W, REPORT, 55)]);
    assert_says(
        &d[0],
        &["the text says 5", "三、本年度办理结果（一）予以公开, column 总计 is 4"],
    );
    assert_says(
        &d[1],
        &[
            "the text says 2",
            "三、本年度办理结果（三）不予公开, column 总计 is 1 (the sum of its 8 rows)",
        ],
    );
    assert_eq!(places_elsewhere(&d[1]), [(REPORT, Some(21), Some(25))]);
    insta::assert_snapshot!(rendered("r13-results"));
}

#[test]
fn r13_appeals() {
    // 行政复议2件 (总计 1) and 行政诉讼3起 (直接起诉 1 + 复议后起诉 0).
    let d = diags("r13-appeals");
    assert_list(&d, &[("R13", W, REPORT, 53), ("R13", W, REPORT, 53)]);
    assert_says(
        &d[0],
        &[
            "the text says 2",
            "四、政府信息公开行政复议、行政诉讼情况, 行政复议, column 总计 is 1",
        ],
    );
    assert_says(
        &d[1],
        &[
            "the text says 3",
            "行政诉讼, column 总计 is 1 (未经复议直接起诉 1 + 复议后起诉 0)",
        ],
    );
    assert_eq!(
        places_elsewhere(&d[1]),
        [(REPORT, Some(47), Some(41)), (REPORT, Some(48), Some(41))]
    );
    insta::assert_snapshot!(rendered("r13-appeals"));
}

#[test]
fn r13_documents() {
    // 本年制发规章1件 is right; the 行政规范性文件3件 that shares its verb is not (2).
    let d = diags("r13-documents");
    assert_list(&d, &[("R13", W, REPORT, 53)]);
    assert_says(
        &d[0],
        &[
            "the text says 3",
            "二、主动公开政府信息情况, 第二十条第（一）项 行政规范性文件 本年制发件数 is 2",
        ],
    );
    assert_eq!(places_elsewhere(&d[0]), [(REPORT, Some(10), Some(19))]);
    insta::assert_snapshot!(rendered("r13-documents"));
}

#[test]
fn r13_not_compared() {
    // Every figure of this body differs from the tables, in a clause a plain
    // search would take: other years, comparisons, part of the year, sums
    // over years, approximations, applicants, channels, topics, documents,
    // a quote, the whole area, other units, a government as review body,
    // appeals not said to be about disclosure, documents passed on.
    let site = load("r13-not-compared");
    assert_list(&site.diagnostics, &[]);
    assert!(site.reports[0].body.contains("全年审核公文300件，予以公开200件"));
}

// ---------------------------------------------------------------- F01-F05: the file itself

#[test]
fn unknown_key() {
    // `carried_ovr` for `carried_over`: F04 with the suggestion. Its row is then
    // not read, so the balance checks must not run on the table as if it were
    // 0 (as for R05, a table with an error is not balance-checked): otherwise
    // R01 reports "二 上年结转 0", which the file does not say.
    let d = diags("unknown-key");
    assert_list(&d, &[("F04", E, REPORT, 17)]);
    assert_eq!(d[0].column, Some(3));
    assert_says(&d[0], &["`carried_ovr`", "did you mean `carried_over`?"]);
    assert_eq!(d[0].help.as_deref(), Some("did you mean `carried_over`?"));
    insta::assert_snapshot!(rendered("unknown-key"));
}

#[test]
fn unknown_key_top() {
    let d = diags("unknown-key-top");
    assert_list(&d, &[("R06", E, REPORT, 1), ("F04", E, REPORT, 4)]);
    assert_says(&d[0], &["missing required key `agency_slug`"]);
    assert_says(&d[1], &["`agnecy_slug`", "did you mean `agency_slug`?"]);
    insta::assert_snapshot!(rendered("unknown-key-top"));
}

#[test]
fn yaml_syntax() {
    // `granted: [2, 1, 0, 0, 1, 0, 4` on line 18 is never closed. The YAML
    // parser notices on line 19 ("did not find expected ',' or ']' at line 19
    // …, while parsing a flow sequence at line 18 column 17"); the mistake, and
    // the line to report, is line 18, where the `[` opens.
    let d = diags("yaml-syntax");
    assert_list(&d, &[("F03", E, REPORT, 18)]);
    assert_says(&d[0], &["YAML", "']'"]);
    insta::assert_snapshot!(rendered("yaml-syntax"));
}

#[test]
fn yaml_indent() {
    // `   partial:` indented one space more than its siblings, on line 19.
    let d = diags("yaml-indent");
    assert_list(&d, &[("F03", E, REPORT, 19)]);
    assert_eq!(d[0].column, Some(4));
    assert_says(&d[0], &["YAML"]);
    insta::assert_snapshot!(rendered("yaml-indent"));
}

#[test]
fn missing_closing_fence() {
    let d = diags("missing-closing-fence");
    assert_list(&d, &[("F02", E, REPORT, 1)]);
    assert_says(&d[0], &["never closed", "`---`"]);
    insta::assert_snapshot!(rendered("missing-closing-fence"));
}

#[test]
fn no_front_matter() {
    let d = diags("no-front-matter");
    assert_list(&d, &[("F02", E, REPORT, 1)]);
    assert_says(&d[0], &["no front matter", "`---`"]);
    insta::assert_snapshot!(rendered("no-front-matter"));
}

#[test]
fn empty_file() {
    let d = diags("empty-file");
    assert_list(&d, &[("F02", E, REPORT, 1)]);
    assert_says(&d[0], &["empty"]);
    insta::assert_snapshot!(rendered("empty-file"));
}

#[test]
fn gbk_file() {
    // The first byte that is not UTF-8 is in `agency:` on line 3.
    let d = diags("gbk-file");
    assert_list(&d, &[("F01", E, REPORT, 3)]);
    assert_says(&d[0], &["not UTF-8", "GBK", "UTF-8"]);
    insta::assert_snapshot!(rendered("gbk-file"));
}

#[test]
fn page_bad() {
    let site = load("page-bad");
    let d = &site.diagnostics;
    assert_list(
        d,
        &[("F05", E, "content/guide.md", 3), ("F04", E, "content/guide.md", 4)],
    );
    assert_says(&d[0], &["`date`", "YYYY-MM-DD", "2024-02-30"]);
    assert_says(&d[1], &["`wieght`", "did you mean `weight`?"]);
    // The valid report next to it is unharmed.
    assert_eq!(site.reports.len(), 1);
    insta::assert_snapshot!(rendered("page-bad"));
}

// ---------------------------------------------------------------- one run, many problems

#[test]
fn all_problems_of_a_run_are_reported() {
    // Three reports broken in different ways (R01; R05; YAML syntax) and one with
    // two independent problems (R04 and R09), next to a valid page.
    let site = load("many");
    let d = &site.diagnostics;
    let (a, b, c, dd) = (
        "content/reports/a/2023.md",
        "content/reports/b/2023.md",
        "content/reports/c/2023.md",
        "content/reports/d/2023.md",
    );
    assert_list(
        d,
        &[
            ("R01", E, a, 16),
            ("R01", E, a, 16),
            ("R05", E, b, 18),
            ("F03", E, c, 19),
            ("R09", W, dd, 6),
            ("R04", E, dd, 46),
        ],
    );
    let tally = site.tally();
    assert_eq!((tally.errors, tally.warnings), (5, 1));
    assert_eq!(site.pages.len(), 1);
    insta::assert_snapshot!(rendered("many"));
}

// ---------------------------------------------------------------- R16: placeholder text

/// The template's fill-in texts left in a published report: a whole hint
/// under a heading, what is left of one (a paragraph still opening with
/// `（请填写`), and an import's `未找到…` text copied into a value. One error
/// per place, each on its line, the placeholder underlined.
#[test]
fn r16_placeholder() {
    let d = diags("r16-placeholder");
    assert_list(
        &d,
        &[
            ("R16", E, REPORT, 8),
            ("R16", E, REPORT, 58),
            ("R16", E, REPORT, 66),
            ("R16", E, REPORT, 70),
        ],
    );
    assert_says(
        &d[0],
        &[
            "title: ",
            "placeholder text left in a published report: 未找到报告机关",
            "draft: true",
        ],
    );
    assert_says(&d[1], &["body: ", "（表格由上方数据生成；此处可填写表格说明。）"]);
    assert_says(&d[2], &["（请填写存在的主要问题及改进情况。）"]);
    assert_says(&d[3], &["（请填写"]);
    assert_eq!(
        places(&d),
        [
            (Some(8), Some(8)),
            (Some(58), Some(1)),
            (Some(66), Some(1)),
            (Some(70), Some(1))
        ]
    );
    insta::assert_snapshot!(rendered("r16-placeholder"));
}

// ---------------------------------------------------------------- the command line

/// The binary, in English whatever the locale of the machine running the
/// tests (`LANG=C.UTF-8`, `LC_ALL` and `LC_MESSAGES` removed).
fn gongkai() -> Command {
    let mut c = Command::cargo_bin("gongkai").expect("the gongkai binary");
    c.env("LANG", "C.UTF-8").env_remove("LC_ALL").env_remove("LC_MESSAGES");
    c
}

/// `check` of the fixture `case` with `--lang lang`: (exit status, stdout).
fn check_in(lang: &str, case: &str, extra: &[&str]) -> (Option<i32>, String) {
    let out = gongkai()
        .args(["check", "--lang", lang])
        .args(extra)
        .arg("--root")
        .arg(fixture(case))
        .output()
        .expect("gongkai runs");
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The human output of `check` in both languages, for a few fixtures: the
/// words (错误/警告, 建议), the contexts, messages and advice are Chinese
/// under `--lang zh` and English under `--lang en`; ids, files, lines and
/// the exit status are the same. `LANG=zh_CN.UTF-8` chooses Chinese as
/// `--lang zh` does.
#[test]
fn cli_check_speaks_both_languages() {
    for case in [
        "r01-balance",
        "r16-placeholder",
        "year-as-text",
        "unknown-key",
        "r08-carry",
        "r09-late",
        "r13-received",
        "yaml-syntax",
    ] {
        let (en_status, en) = check_in("en", case, &[]);
        let (zh_status, zh) = check_in("zh", case, &[]);
        assert_eq!(en_status, zh_status, "{case}");
        let name = case.replace('-', "_");
        insta::assert_snapshot!(format!("cli_{name}_en"), en);
        insta::assert_snapshot!(format!("cli_{name}_zh"), zh);
        // The same places in both.
        let heads = |s: &str| -> Vec<String> {
            s.lines()
                .filter(|l| l.contains("]: content/"))
                .map(|l| l.split(": ").nth(1).unwrap_or("").to_string())
                .collect()
        };
        assert_eq!(heads(&en), heads(&zh), "{case}");
        assert!(!heads(&en).is_empty(), "{case}: {en}");
        // The locale decides when no --lang is given.
        let by_env = gongkai()
            .env("LANG", "zh_CN.UTF-8")
            .args(["check", "--root"])
            .arg(fixture(case))
            .output()
            .expect("gongkai runs");
        assert_eq!(String::from_utf8_lossy(&by_env.stdout), zh, "{case}");
    }
    let (_, zh) = check_in("zh", "r01-balance", &[]);
    assert!(
        zh.contains("错误[R01]: content/reports/ceshi/2023.md:16:18: 三、收到和处理政府信息公开申请情况，自然人列："),
        "{zh}"
    );
    assert!(
        zh.contains("一 新收 5 + 二 上年结转 1 = 6，但 三（七）总计 5 + 四 结转下年度 2 = 7"),
        "{zh}"
    );
    assert!(zh.contains("= 建议: 自然人列的四个单元格中有一个相差 1"), "{zh}");
    let (_, en) = check_in("en", "r09-late", &[]);
    assert!(en.contains("warning[R09]") && !en.contains("警告"), "{en}");
    let (_, zh) = check_in("zh", "r09-late", &[]);
    assert!(zh.contains("警告[R09]") && zh.contains("晚"), "{zh}");
}

/// JSON keeps its ids, severities and fields in every language; only
/// `message`, `help` and related labels are in the language chosen.
#[test]
fn cli_check_json_keeps_its_ids_in_chinese() {
    let parse = |s: &str| -> Vec<serde_json::Value> {
        serde_json::from_str::<serde_json::Value>(s)
            .expect("JSON")
            .as_array()
            .expect("an array")
            .clone()
    };
    for case in ["r01-balance", "r08-carry", "r16-placeholder"] {
        let (_, en) = check_in("en", case, &["--format", "json"]);
        let (_, zh) = check_in("zh", case, &["--format", "json"]);
        let (en, zh) = (parse(&en), parse(&zh));
        assert_eq!(en.len(), zh.len(), "{case}");
        for (e, z) in en.iter().zip(&zh) {
            for key in ["id", "severity", "file", "line", "column"] {
                assert_eq!(e[key], z[key], "{case}: {key}");
            }
            let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
            assert_eq!(keys(e), keys(z));
            assert_ne!(e["message"], z["message"], "{case}: the message is translated");
        }
    }
    let (_, zh) = check_in("zh", "r01-balance", &["--format", "json"]);
    let zh = parse(&zh);
    assert_eq!(zh[0]["id"], "R01");
    assert_eq!(zh[0]["severity"], "error");
    assert_eq!(
        zh[0]["message"],
        "三、收到和处理政府信息公开申请情况，自然人列：一 新收 5 + 二 上年结转 1 = 6，但 三（七）总计 5 + 四 结转下年度 2 = 7"
    );
}

/// A year written as text is told to be a bare number, in both languages.
#[test]
fn year_as_text() {
    let d = diags("year-as-text");
    assert_list(&d, &[("R05", E, REPORT, 5)]);
    assert_says(
        &d[0],
        &["`year`: found the text \"2023年\"; write the year as a bare number: `year: 2023`"],
    );
    assert!(!d[0].message.contains("blank cell"), "{}", d[0].message);
}

#[test]
fn cli_check_valid_exits_0() {
    gongkai()
        .arg("check")
        .arg("--root")
        .arg(fixture("valid"))
        .assert()
        .code(0)
        .stdout("")
        .stderr(contains("0 errors, 0 warnings"));
}

#[test]
fn cli_check_errors_exit_1() {
    gongkai()
        .arg("check")
        .arg("--root")
        .arg(fixture("r01-balance"))
        .assert()
        .code(1)
        .stdout(contains("error[R01]: content/reports/ceshi/2023.md:16:"));
}

#[test]
fn cli_check_json() {
    let out = gongkai()
        .args(["check", "--format", "json", "--root"])
        .arg(fixture("r01-balance"))
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("check --format json prints JSON");
    let items = v.as_array().expect("a JSON array");
    assert_eq!(items.len(), 2);
    for item in items {
        let obj = item.as_object().expect("an object");
        let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["column", "file", "help", "id", "line", "message", "related", "severity"]
        );
        // R01's advice names the four cells to check, with their lines.
        assert!(
            obj["help"]
                .as_str()
                .is_some_and(|h| h.contains("一 新收 (line 16)") && h.contains("四 结转下年度 (line 44)")),
            "{obj:?}"
        );
        assert_eq!(obj["related"], serde_json::json!([]));
        assert_eq!(obj["id"], "R01");
        assert_eq!(obj["severity"], "error");
        assert_eq!(obj["file"], REPORT);
        assert_eq!(obj["line"], 16);
        assert!(obj["column"].is_u64(), "R01 points at the column's number");
        assert!(obj["message"].as_str().is_some_and(|m| m.contains("一 新收")));
    }
}

/// `check` and `build` run the same checks: a page that would be written
/// over a page the portal generates (F07, which the registry marks as found
/// from the planned output) is refused by both, with the same diagnostic.
#[test]
fn cli_check_and_build_refuse_the_same_output_collision() {
    use gongkai::rules::Stage;
    assert_eq!(Rule::F07.stage(), Stage::Output);
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = tmp.path().join("site");
    common::copy_dir(&fixture("valid"), &site);
    std::fs::write(site.join("content/agencies.md"), "---\ntitle: 机构\n---\n\n正文\n").expect("write a page");
    let out = gongkai()
        .args(["check", "--format", "json", "--root"])
        .arg(&site)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    let items = v.as_array().expect("a JSON array");
    assert_eq!(items.len(), 1, "{v:#}");
    assert_eq!(
        (&items[0]["id"], &items[0]["file"]),
        (&"F07".into(), &"content/agencies.md".into())
    );
    assert_eq!(items[0]["help"], "move or rename the file");
    let message = items[0]["message"].as_str().expect("a message");
    let public = tmp.path().join("public");
    let built = gongkai()
        .args(["build", "--root"])
        .arg(&site)
        .arg("-o")
        .arg(&public)
        .output()
        .expect("runs");
    assert_eq!(built.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert!(
        stderr.contains("error[F07]: content/agencies.md:1: ") && stderr.contains(message),
        "{stderr}"
    );
    assert!(stderr.contains("= help: move or rename the file"), "{stderr}");
    assert!(!public.exists(), "nothing is written");
}

#[test]
fn cli_warnings_fail_only_under_strict() {
    gongkai()
        .arg("check")
        .arg("--root")
        .arg(fixture("r09-late"))
        .assert()
        .code(0)
        .stdout(contains("warning[R09]"));
    gongkai()
        .args(["check", "--strict", "--root"])
        .arg(fixture("r09-late"))
        .assert()
        .code(1)
        .stdout(contains("error[R09]"));
}

#[test]
fn cli_no_site_exits_2() {
    gongkai()
        .args(["check", "--root", "/nonexistent"])
        .assert()
        .code(2)
        .stderr(contains("no site.toml"));
}

#[test]
fn cli_unknown_key_in_site_toml_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"x\"\n\n[check]\nstirct = true\n",
    )
    .unwrap();
    gongkai()
        .arg("check")
        .arg("--root")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("site.toml:4:"))
        .stderr(contains("unknown key `stirct`"))
        .stderr(contains("did you mean `strict`?"));
}

/// Every file under `dir` with its bytes.
fn snapshot_files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn cli_init_makes_a_site_that_checks_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    gongkai().arg("init").arg(&site).assert().code(0);
    gongkai()
        .arg("check")
        .arg("--root")
        .arg(&site)
        .assert()
        .code(0)
        .stdout("");
    let before = snapshot_files(&site);
    assert!(before.contains_key(&site.join("site.toml")));
    gongkai()
        .arg("init")
        .arg(&site)
        .assert()
        .code(2)
        .stderr(contains("never overwrites"));
    assert_eq!(snapshot_files(&site), before, "a second init changed files");
}

#[test]
fn cli_new_report_writes_a_complete_draft_that_checks() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    gongkai().arg("init").arg(root).assert().code(0);
    let new_report = || {
        let mut c = gongkai();
        c.arg("--root").arg(root).args([
            "new",
            "report",
            "--agency",
            "测试局",
            "--slug",
            "test",
            "--year",
            "2024",
        ]);
        c
    };
    new_report().assert().code(0);
    let path = root.join("content/reports/test/2024.md");
    let text = std::fs::read_to_string(&path).expect("new report writes content/reports/test/2024.md");
    gongkai()
        .arg("check")
        .arg("--root")
        .arg(root)
        .assert()
        .code(0)
        .stdout("");

    // Every key of the spec's gov-2021 file, metadata and rows.
    let keys = [
        "format",
        "agency",
        "agency_slug",
        "year",
        "published",
        "level",
        "draft", // metadata
        "proactive",
        "rules",
        "normative_docs",
        "issued",
        "repealed",
        "in_force",
        "licensing",
        "penalty",
        "coercion",
        "fees", // 二
        "requests",
        "new",
        "carried_over",
        "granted",
        "partial",
        "denied",
        "state_secret",
        "law_prohibited",
        "security_stability",
        "third_party",
        "internal_affairs",
        "deliberative",
        "enforcement_case",
        "query_matter",
        "unavailable",
        "not_held",
        "needs_creation",
        "unclear",
        "not_processed",
        "complaint",
        "duplicate",
        "publication",
        "excessive",
        "confirmation",
        "other",
        "no_correction",
        "unpaid_fee",
        "total",
        "carried_forward", // 三
        "appeals",
        "review",
        "litigation_direct",
        "litigation_after_review", // 四
    ];
    for key in keys {
        assert!(
            text.contains(&format!("{key}:")),
            "the new report lacks `{key}:`:\n{text}"
        );
    }
    assert!(text.contains("format: gov-2021"));
    assert!(text.contains("draft: true"));

    // The library reads it as a draft gov-2021 report with tables.
    let site = Site::load(root, today()).unwrap();
    let r = site
        .reports
        .iter()
        .find(|r| r.agency_slug == "test")
        .expect("the new report is loaded");
    assert!(r.draft);
    assert_eq!((r.agency.as_str(), r.year), ("测试局", 2024));
    assert!(r.tables.is_some());

    // A second identical command refuses and leaves the file as it was.
    new_report().assert().code(2).stderr(contains("exists already"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

// ---------------------------------------------------------------- hostile input: numbers, tags, characters, keys
// (One block: the report model's bounds and positions, docs/report-format.md R05.)

/// `(line, column)` of each diagnostic.
fn places(d: &[Diagnostic]) -> Vec<(Option<usize>, Option<usize>)> {
    d.iter().map(|x| (x.line, x.column)).collect()
}

#[test]
fn numbers_too_large() {
    // A count over 100,000,000, a number beyond 64 bits (once a YAML syntax
    // error at the start of the file), an amount of 10^12 万元, and a row whose
    // two huge cells used to wrap to a 总计 of 0 and pass R02: each refused
    // at its own number, and the table is then not balance-checked.
    let d = diags("numbers-too-large");
    assert_list(
        &d,
        &[
            ("R05", E, REPORT, 11),
            ("R05", E, REPORT, 12),
            ("R05", E, REPORT, 14),
            ("R05", E, REPORT, 18),
            ("R05", E, REPORT, 18),
        ],
    );
    assert_eq!(
        places(&d),
        [
            (Some(11), Some(14)),
            (Some(12), Some(12)),
            (Some(14), Some(9)),
            (Some(18), Some(18)),
            (Some(18), Some(39))
        ]
    );
    assert_says(&d[0], &["行政许可", "found 100000001", "at most 100000000"]);
    assert_says(&d[1], &["行政处罚", "found 99999999999999999999", "at most 100000000"]);
    assert_says(
        &d[2],
        &["行政事业性收费", "found 1000000000000", "less than 1000000000000"],
    );
    assert_says(&d[3], &["（一）予以公开", "column 自然人", "found 9223372036854775807"]);
    assert_says(&d[4], &["column 商业企业", "found 9223372036854775807"]);
    insta::assert_snapshot!(rendered("numbers-too-large"));
}

#[test]
fn yaml_tags() {
    // `!!int "3"` was read as 3 while `"3"` is refused; `!!binary` made the
    // agency its base64 text; `!count 1` was a syntax error at the start.
    // All refused alike, at the value, with what to write.
    let d = diags("yaml-tags");
    assert_list(
        &d,
        &[
            ("R05", E, REPORT, 3),
            ("R05", E, REPORT, 12),
            ("R05", E, REPORT, 13),
            ("R05", E, REPORT, 19),
        ],
    );
    assert_eq!(
        places(&d),
        [
            (Some(3), Some(9)),
            (Some(12), Some(12)),
            (Some(13), Some(13)),
            (Some(19), Some(18))
        ]
    );
    assert_says(&d[0], &["`agency`", "`!!binary", "without the tag"]);
    assert_says(
        &d[1],
        &[
            "行政处罚",
            "`!!int \"3\"`",
            "write the number without quotes or tags: 3",
        ],
    );
    assert_says(&d[2], &["行政强制", "`!count 1`", "without quotes or tags: 1"]);
    assert_says(&d[3], &["（二）部分公开", "column 自然人", "without quotes or tags: 1"]);
    insta::assert_snapshot!(rendered("yaml-tags"));
}

#[test]
fn control_chars() {
    // A right-to-left override written in the agency name (at its column),
    // terminal escapes in a quoted title and a bell in the region (at the
    // value): R05 naming the character. The report is not taken, so none
    // of it reaches a page, the feed or the data files.
    let site = load("control-chars");
    let d = &site.diagnostics;
    assert_list(
        d,
        &[("R05", E, REPORT, 3), ("R05", E, REPORT, 8), ("R05", E, REPORT, 9)],
    );
    assert_eq!(places(d), [(Some(3), Some(12)), (Some(8), Some(8)), (Some(9), Some(9))]);
    assert_says(&d[0], &["`agency`", "U+202E (right-to-left override)"]);
    assert_says(&d[1], &["`title`", "U+001B (escape)"]);
    assert_says(&d[2], &["`region`", "U+0007 (bell)"]);
    assert!(site.reports.is_empty());
    // The terminal output shows the source line with the override escaped.
    let human = rendered("control-chars");
    assert!(human.contains("agency: 测试县\\u{202e}局试测"), "{human}");
    assert!(!human.contains('\u{202e}'), "{human:?}");
    insta::assert_snapshot!(human);
}

#[test]
fn control_chars_literal() {
    // ESC and NUL written as they are, which YAML cannot read: once placed
    // at 2:1, now at their own line and column, named; the snippet shows
    // them escaped, never raw.
    let d = diags("control-chars-literal");
    assert_list(
        &d,
        &[("F03", E, REPORT, 3), ("F03", E, "content/reports/nul/2023.md", 18)],
    );
    assert_eq!(places(&d), [(Some(3), Some(12)), (Some(18), Some(25))]);
    assert_says(&d[0], &["U+001B (escape)"]);
    assert_says(&d[1], &["U+0000 (null)"]);
    let human = rendered("control-chars-literal");
    assert!(!human.contains('\u{1b}') && !human.contains('\0'), "{human:?}");
    assert!(human.contains("agency: 测试县\\u{1b}[31m测试局"), "{human}");
    insta::assert_snapshot!(human);
}

#[test]
fn control_chars_json_output_is_escaped() {
    let out = Command::cargo_bin("gongkai")
        .expect("the gongkai binary")
        .args(["check", "--format", "json", "--root"])
        .arg(fixture("control-chars-literal"))
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("UTF-8");
    assert!(!text.contains('\u{1b}') && !text.contains('\0'), "{text:?}");
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(v[0]["column"], 12);
}

#[test]
fn duplicate_key() {
    // `penalty:` twice in table 二: once placed at the start of the front
    // matter, now at the second `penalty`.
    let d = diags("duplicate-key");
    assert_list(&d, &[("F03", E, REPORT, 13)]);
    assert_eq!(d[0].column, Some(3));
    assert_says(&d[0], &["`penalty` appears twice", "first on line 12"]);
    insta::assert_snapshot!(rendered("duplicate-key"));
}

#[test]
fn r06_long_slug() {
    // 302 characters: `check` passed it and `build` failed with "File name
    // too long"; now check refuses what build would.
    let d = diags("r06-long-slug");
    assert_list(&d, &[("R06", E, REPORT, 4)]);
    assert_says(&d[0], &["302 characters long", "at most 64"]);
    insta::assert_snapshot!(rendered("r06-long-slug"));
}
