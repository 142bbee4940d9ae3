//! What `gongkai import` finds about a report (agency, year, publication
//! date, title) wherever the report or its web page says it, what it never
//! takes for it (page chrome), and what it does when something is missing:
//! a draft with the key left empty (agency, date), or a refusal (the year,
//! or the agency when no `--agency-slug` names the folder).
//!
//! The fixtures under `tests/fixtures/import-meta/` are `../import/tabs.txt`'s
//! body under other heads and feet (`make_fixtures.py`), so every file also
//! has to give tabs.txt's numbers, cell for cell.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use gongkai::diagnostics::Severity;
use gongkai::import::{self, Imported, Options};
use gongkai::rules::Rule;
use predicates::str::contains;

mod common;
use common::import::{gongkai, site};

fn meta_fixture(name: &str) -> PathBuf {
    common::fixture("import-meta").join(name)
}

fn text_of(path: &Path) -> String {
    import::read_source(path).unwrap_or_else(|e| panic!("{e}"))
}

fn import_with(text: &str, opts: &Options) -> Result<Imported, String> {
    import::import_text(text, opts)
}

fn import_meta(name: &str) -> Imported {
    import_with(&text_of(&meta_fixture(name)), &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// tabs.txt as imported: the numbers every fixture must give.
fn reference() -> Imported {
    import_with(&text_of(&common::import_fixture("tabs.txt")), &Options::default()).unwrap()
}

/// tabs.txt's body (its tables and narrative) under `head` and over `foot`.
fn report(head: &str, foot: &str) -> String {
    let text = text_of(&common::import_fixture("tabs.txt"));
    let lines: Vec<&str> = text.trim_end().lines().collect();
    let body = lines[1..lines.len() - 2].join("\n");
    format!("{head}\n\n{body}\n\n{foot}\n")
}

fn warned(imp: &Imported, words: &[&str]) -> bool {
    imp.warnings.iter().any(|w| words.iter().all(|x| w.contains(x)))
}

// ---------------------------------------------------------------------------
// Where the metadata is found

#[test]
fn a_web_page_copied_as_text() {
    let imp = import_meta("web-page.txt");
    assert_eq!(imp.agency.as_deref(), Some("示例县交通运输局"));
    assert_eq!(imp.year, 2023);
    assert_eq!(
        imp.title.as_deref(),
        Some("示例县交通运输局2023年度政府信息公开工作年度报告")
    );
    // The page's 发布时间 (with its time) is the day it was published; the
    // different date the report is signed with is said in a warning.
    assert_eq!(imp.published, Some(date(2024, 1, 26)));
    assert!(warned(&imp, &["2024-01-26", "2024-01-15"]), "{:#?}", imp.warnings);
    assert_eq!(imp.numbers, reference().numbers);
    // The page's chrome and header are not narrative.
    for chrome in ["首页", "字号", "打印本页", "版权所有", "发布时间", "来源"] {
        assert!(!imp.body.contains(chrome), "{chrome} in the body:\n{}", imp.body);
    }
    assert!(!imp.is_draft());
}

#[test]
fn a_pages_header_lines_name_the_agency_and_the_date() {
    let imp = import_meta("publisher-line.txt");
    assert_eq!(imp.agency.as_deref(), Some("示例县交通运输局"));
    assert!(warned(&imp, &["示例县交通运输局", "发布机构"]), "{:#?}", imp.warnings);
    assert_eq!(imp.year, 2023);
    assert_eq!(imp.published, Some(date(2024, 1, 20)));
    assert_eq!(imp.title.as_deref(), Some("2023年度政府信息公开工作年度报告"));
    assert_eq!(imp.numbers, reference().numbers);
    for header in ["索引号", "发布机构", "标题"] {
        assert!(!imp.body.contains(header), "{header} in the body");
    }
    // A 来源 line names the agency too, when nothing better does.
    let text = report(
        "来源：示例县交通运输局\n2023年度政府信息公开工作年度报告",
        "2024年1月15日",
    );
    let imp = import_with(&text, &Options::default()).unwrap();
    assert_eq!(imp.agency.as_deref(), Some("示例县交通运输局"));
    assert!(warned(&imp, &["来源"]), "{:#?}", imp.warnings);
}

#[test]
fn the_agency_after_the_year() {
    let imp = import_meta("agency-after-year.txt");
    assert_eq!(imp.agency.as_deref(), Some("示例县交通运输局"));
    assert_eq!(imp.year, 2023);
    assert_eq!(imp.published, Some(date(2024, 1, 15)));
    assert_eq!(imp.numbers, reference().numbers);
    assert!(imp.warnings.is_empty(), "{:#?}", imp.warnings);
    // The 政府 of 人民政府 running into 政府信息公开.
    let text = report("2019年上海市人民政府信息公开工作年度报告", "2020年1月20日");
    let imp = import_with(&text, &Options::default()).unwrap();
    assert_eq!((imp.agency.as_deref(), imp.year), (Some("上海市人民政府"), 2019));
}

#[test]
fn a_title_over_two_lines_in_brackets() {
    let imp = import_meta("two-lines.txt");
    assert_eq!(imp.agency.as_deref(), Some("示例县交通运输局"));
    assert_eq!(imp.year, 2023);
    assert_eq!(
        imp.title.as_deref(),
        Some("示例县交通运输局2023年度政府信息公开工作年度报告")
    );
    assert_eq!(imp.published, Some(date(2024, 1, 15)));
    assert_eq!(imp.numbers, reference().numbers);
    assert!(!imp.body.contains("工作年度报告》"));
}

#[test]
fn a_sentence_naming_the_agency_and_the_year() {
    let imp = import_meta("sentence.txt");
    assert_eq!(imp.agency.as_deref(), Some("示例县交通运输局"));
    assert_eq!(imp.year, 2023);
    assert!(warned(&imp, &["sentence"]), "{:#?}", imp.warnings);
    assert_eq!(imp.numbers, reference().numbers);
}

#[test]
fn a_sentence_about_this_body_names_no_agency() {
    // 本机关 is the report speaking of itself: no agency, so refused without
    // --agency-slug, and a draft with `agency` empty with it.
    let text = report(
        "2021年度政府信息公开工作年度报告\n\n根据《中华人民共和国政府信息公开条例》，现公布本机关2021年度报告。",
        "2022年1月15日",
    );
    let err = import_with(&text, &Options::default()).unwrap_err();
    assert!(
        err.contains("reporting body was not found") && err.contains("--agency") && err.contains("--agency-slug"),
        "{err}"
    );
    let opts = Options {
        slug: Some("x".into()),
        ..Options::default()
    };
    let imp = import_with(&text, &opts).unwrap();
    assert_eq!((imp.agency.as_deref(), imp.year, imp.slug.as_str()), (None, 2021, "x"));
    assert!(imp.is_draft());
    // Nor is a sentence without a year taken for the year.
    let err = import_with(&text_of(&meta_fixture("no-year.txt")), &Options::default()).unwrap_err();
    assert!(
        err.contains("reporting year was not found") && err.contains("--year"),
        "{err}"
    );
}

#[test]
fn dates_in_every_form() {
    let title = "示例县交通运输局2023年度政府信息公开工作年度报告";
    let heads = [
        format!("{title}\n发布日期：2024-01-15"),
        format!("发布时间: 2024-01-15 15:34\n{title}"),
        format!("{title}\n【发布时间：2024-01-15 09:05:11】【来源：示例县交通运输局】"),
        format!("{title}\n2024-01-15"),
    ];
    for head in &heads {
        let imp = import_with(&report(head, "示例县交通运输局"), &Options::default()).unwrap();
        assert_eq!(imp.published, Some(date(2024, 1, 15)), "{head}");
    }
    for foot in [
        "示例县交通运输局\n2024-01-15",
        "示例县交通运输局\n2024年1月15日",
        "示例县交通运输局\n2024 年 1 月 15 日",
        "示例县交通运输局\n二〇二四年一月十五日",
        "示例县交通运输局\n2024.1.15",
        "示例县交通运输局  2024年1月15日",
    ] {
        let imp = import_with(&report(title, foot), &Options::default()).unwrap();
        assert_eq!(imp.published, Some(date(2024, 1, 15)), "{foot}");
        assert!(imp.warnings.is_empty(), "{foot}: {:#?}", imp.warnings);
        assert!(!imp.body.contains("2024"), "{foot}: the signature left in the body");
    }
}

#[test]
fn which_date_when_there_are_several() {
    let title = "示例县交通运输局2023年度政府信息公开工作年度报告";
    // A page's 发布日期 over the date signed at the end (with a warning).
    let imp = import_with(
        &report(
            &format!("{title}\n发布日期：2024-01-26"),
            "示例县交通运输局\n2024年1月15日",
        ),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(imp.published, Some(date(2024, 1, 26)));
    assert!(warned(&imp, &["2024-01-26", "2024-01-15"]));
    // The date signed at the end over a date under the title.
    let imp = import_with(
        &report(&format!("{title}\n2024-01-20"), "示例县交通运输局\n2024年1月15日"),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(imp.published, Some(date(2024, 1, 15)));
    // A page's 成文日期 only when nothing else gives a date, with a warning.
    let imp = import_with(
        &report(&format!("{title}\n成文日期：2024-01-10"), "示例县交通运输局"),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(imp.published, Some(date(2024, 1, 10)));
    assert!(warned(&imp, &["成文日期"]));
    // A sentence that ends in a date on a short line is no date line.
    let imp = import_with(
        &report(
            &format!("{title}\n报告中所列数据统计期限自 2023 年 1 月 1 日\n起至 2023 年 12 月 31 日止。"),
            "示例县交通运输局",
        ),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(imp.published, None);
    // --published over them all, without a warning.
    let opts = Options {
        published: Some(date(2024, 2, 1)),
        ..Options::default()
    };
    let imp = import_with(&text_of(&meta_fixture("web-page.txt")), &opts).unwrap();
    assert_eq!(imp.published, Some(date(2024, 2, 1)));
    assert!(!warned(&imp, &["发布日期"]), "{:#?}", imp.warnings);
}

#[test]
fn page_chrome_is_never_the_title_or_the_agency() {
    // A breadcrumb ending in another report's title, before the real one.
    let text = report(
        "首页 > 政府信息公开 > 示例县财政局2023年度政府信息公开工作年度报告\n\
         示例县交通运输局2023年度政府信息公开工作年度报告\n字号：大 中 小  打印本页",
        "示例县交通运输局\n2024年1月15日",
    );
    let imp = import_with(&text, &Options::default()).unwrap();
    assert_eq!(imp.agency.as_deref(), Some("示例县交通运输局"));
    assert_eq!(
        imp.title.as_deref(),
        Some("示例县交通运输局2023年度政府信息公开工作年度报告")
    );
    assert!(!imp.body.contains("字号"), "{}", imp.body);
    // Navigation before a title without its agency, a footer after a
    // signature without one: neither is taken for the agency.
    let text = report(
        "首页 政务公开 政务服务 互动交流\n网站首页\n2023年度政府信息公开工作年度报告",
        "2024年1月15日\n版权所有 示例县人民政府",
    );
    let err = import_with(&text, &Options::default()).unwrap_err();
    assert!(err.contains("reporting body was not found"), "{err}");
}

// ---------------------------------------------------------------------------
// What is missing

/// The diagnostics of `imp` written into a fresh site and checked there.
fn site_diagnostics(imp: &Imported) -> (Vec<gongkai::diagnostics::Diagnostic>, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), "title = \"导入测试\"\n").unwrap();
    let rel = format!("content/reports/{}/{}.md", imp.slug, imp.year);
    let path = dir.path().join(&rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let text = imp.file_text(Some("source.txt"));
    std::fs::write(&path, &text).unwrap();
    let site = gongkai::site::Site::load(dir.path(), gongkai::site::today()).unwrap();
    let diags = site.diagnostics.iter().filter(|d| d.file == rel).cloned().collect();
    (diags, text)
}

fn r06_on(diags: &[gongkai::diagnostics::Diagnostic], key: &str) -> bool {
    diags
        .iter()
        .any(|d| d.id == Rule::R06 && d.severity == Severity::Error && d.message.contains(&format!("`{key}`")))
}

#[test]
fn no_date_writes_a_draft_that_check_still_refuses() {
    let imp = import_meta("no-date.txt");
    assert_eq!(imp.published, None);
    assert!(imp.is_draft());
    assert!(
        warned(&imp, &["no publication date", "--published"]),
        "{:#?}",
        imp.warnings
    );
    assert_eq!(imp.numbers, reference().numbers);
    let (diags, text) = site_diagnostics(&imp);
    assert!(text.contains("\npublished:   # 未找到发布日期"), "{text}");
    assert!(text.contains("(not found in the source: fill in the publication date, YYYY-MM-DD)"));
    assert!(text.contains("\ndraft: true   #"), "{text}");
    // A draft is checked like any report: the empty key is an error.
    assert!(r06_on(&diags, "published"), "{diags:#?}");
    // Given, it is no draft.
    let opts = Options {
        published: Some(date(2024, 1, 15)),
        ..Options::default()
    };
    let imp = import_with(&text_of(&meta_fixture("no-date.txt")), &opts).unwrap();
    assert!(!imp.is_draft());
    let (diags, text) = site_diagnostics(&imp);
    assert!(text.contains("\ndraft: false"));
    assert!(diags.iter().all(|d| d.severity != Severity::Error), "{diags:#?}");
}

#[test]
fn no_agency_with_a_slug_writes_a_draft() {
    let text = text_of(&meta_fixture("no-agency.txt"));
    let err = import_with(&text, &Options::default()).unwrap_err();
    assert!(err.contains("--agency-slug"), "{err}");
    let opts = Options {
        slug: Some("jiaotong".into()),
        ..Options::default()
    };
    let imp = import_with(&text, &opts).unwrap();
    assert_eq!(imp.agency, None);
    assert_eq!(imp.published, Some(date(2024, 1, 15)));
    assert!(imp.is_draft());
    assert_eq!(imp.numbers, reference().numbers);
    let (diags, text) = site_diagnostics(&imp);
    assert!(text.contains("\nagency:   # 未找到报告机关"), "{text}");
    assert!(r06_on(&diags, "agency"), "{diags:#?}");
    // --agency fills it in.
    let opts = Options {
        agency: Some("示例县交通运输局".into()),
        ..Options::default()
    };
    let imp = import_with(&text_of(&meta_fixture("no-agency.txt")), &opts).unwrap();
    assert_eq!(imp.slug, "shilixian-jiaotongyunshuju");
    assert!(!imp.is_draft());
}

#[test]
fn no_year_is_refused_unless_given() {
    let text = text_of(&meta_fixture("no-year.txt"));
    let err = import_with(&text, &Options::default()).unwrap_err();
    assert!(err.contains("--year"), "{err}");
    let opts = Options {
        year: Some(2023),
        ..Options::default()
    };
    let imp = import_with(&text, &opts).unwrap();
    assert_eq!((imp.year, imp.agency.as_deref()), (2023, Some("示例县交通运输局")));
}

// ---------------------------------------------------------------------------
// On the command line

#[test]
fn the_command_writes_a_draft_and_says_so() {
    let dir = site();
    gongkai(dir.path())
        .arg("import")
        .arg(meta_fixture("no-date.txt"))
        .assert()
        .code(1)
        .stdout(contains("published date not found"))
        .stderr(contains("no publication date was found"))
        .stderr(contains("error[R06]"))
        .stderr(contains("written as a draft"));
    let written = dir.path().join("content/reports/shilixian-jiaotongyunshuju/2023.md");
    assert!(written.is_file());
    gongkai(dir.path())
        .arg("check")
        .assert()
        .code(1)
        .stdout(contains("error[R06]"))
        .stdout(contains("`published`"));
    // What cannot be made a draft is refused, naming the option to give.
    gongkai(dir.path())
        .arg("import")
        .arg(meta_fixture("no-agency.txt"))
        .assert()
        .code(1)
        .stderr(contains("--agency-slug"))
        .stderr(contains("nothing was written"));
    gongkai(dir.path())
        .args(["import", "--year", "2022", "--agency-slug", "x"])
        .arg(meta_fixture("no-year.txt"))
        .assert()
        .code(0);
    assert!(dir.path().join("content/reports/x/2022.md").is_file());
}
