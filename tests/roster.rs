//! The roster's checks (R14, R15) over `tests/fixtures/roster-checks/`,
//! `--today`, and `gongkai new report --from-previous` (issue 14, parts 1
//! and 4).
//!
//! The fixture's roster (`agencies.toml`) lists five agencies: `xian` (the
//! government, line 1), `jiaoyu` (line 6), `linye` (line 12, no report: its
//! report was filed under the slug `linyeju`), `caizheng` (line 18, whose
//! report names it 示例县财政所) and `zhen` (line 24, a 2023 report that is
//! still a draft). Every report is for 2023 and otherwise clean.

use std::path::Path;

use chrono::NaiveDate;
use gongkai::diagnostics::{Diagnostic, Severity};
use gongkai::site::Site;

mod common;
use common::{copy_dir, fixture, gongkai};

const CASE: &str = "roster-checks";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn load(root: &Path, today: NaiveDate) -> Site {
    Site::load(root, today).unwrap_or_else(|e| panic!("the site does not load: {e}"))
}

/// (id, severity, file, line) of every diagnostic, in order.
fn list(d: &[Diagnostic]) -> Vec<(&str, Severity, &str, Option<usize>)> {
    d.iter()
        .map(|x| (x.id.as_str(), x.severity, x.file.as_str(), x.line))
        .collect()
}

const W: Severity = Severity::Warning;

#[test]
fn r14_and_r15_exactly() {
    let site = load(&fixture(CASE), date(2026, 6, 1));
    assert_eq!(
        list(&site.diagnostics),
        [
            ("R14", W, "agencies.toml", Some(12)),
            ("R14", W, "agencies.toml", Some(24)),
            ("R15", W, "content/reports/caizheng/2023.md", Some(3)),
            ("R15", W, "content/reports/linyeju/2023.md", Some(4)),
        ],
        "{:#?}",
        site.diagnostics
    );
    let d = &site.diagnostics;
    // R14 names the agency (name and slug), the year and the deadline.
    for part in ["示例县林业局", "(linye)", "2023", "2024-01-31", "852 days"] {
        assert!(d[0].message.contains(part), "{part}: {}", d[0].message);
    }
    assert!(
        d[0].help.as_deref().unwrap_or("").contains("--from-previous"),
        "{:?}",
        d[0].help
    );
    // A draft counts as not published, and the warning points at it.
    assert!(d[1].message.contains("示例县示例镇人民政府 (zhen)"), "{}", d[1].message);
    assert_eq!(d[1].related.len(), 1);
    assert_eq!(d[1].related[0].file, "content/reports/zhen/2023.md");
    assert_eq!(d[1].related[0].line, Some(5));
    // R15 says both names, and where the roster's is.
    assert!(
        d[2].message.contains("示例县财政所") && d[2].message.contains("示例县财政局"),
        "{}",
        d[2].message
    );
    assert_eq!(
        (d[2].related[0].file.as_str(), d[2].related[0].line),
        ("agencies.toml", Some(18))
    );
    // A slug not on the roster, with the nearest one suggested.
    assert!(d[3].message.contains("`linyeju`"), "{}", d[3].message);
    assert!(
        d[3].help.as_deref().unwrap_or("").contains("`linye`"),
        "{:?}",
        d[3].help
    );
}

#[test]
fn r14_waits_for_the_deadline_of_the_agencys_level() {
    // On the deadline of departments and townships (31 January) nothing is
    // missing yet; the day after, both are.
    let root = fixture(CASE);
    let ids = |today| -> Vec<(String, Option<usize>)> {
        load(&root, today)
            .diagnostics
            .iter()
            .filter(|d| d.id.as_str() == "R14")
            .map(|d| (d.file.clone(), d.line))
            .collect()
    };
    assert_eq!(ids(date(2024, 1, 31)), []);
    assert_eq!(
        ids(date(2024, 2, 1)),
        [
            ("agencies.toml".to_string(), Some(12)),
            ("agencies.toml".to_string(), Some(24))
        ]
    );
}

#[test]
fn r14_judges_the_government_by_31_march() {
    // The government's report removed: it is missing only after 31 March.
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture(CASE), tmp.path());
    std::fs::remove_file(tmp.path().join("content/reports/xian/2023.md")).unwrap();
    let at_line_1 = |today| {
        load(tmp.path(), today)
            .diagnostics
            .iter()
            .any(|d| d.id.as_str() == "R14" && d.line == Some(1))
    };
    assert!(!at_line_1(date(2024, 3, 31)));
    assert!(at_line_1(date(2024, 4, 1)));
}

#[test]
fn without_a_roster_neither_rule_runs() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture(CASE), tmp.path());
    std::fs::remove_file(tmp.path().join("agencies.toml")).unwrap();
    let site = load(tmp.path(), date(2026, 6, 1));
    assert_eq!(list(&site.diagnostics), [], "{:#?}", site.diagnostics);
}

#[test]
fn a_year_of_drafts_only_is_no_year() {
    // R14 asks for years in which reports are published: with every report
    // a draft, there is none.
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture(CASE), tmp.path());
    for slug in ["xian", "jiaoyu", "caizheng", "linyeju"] {
        let p = tmp.path().join(format!("content/reports/{slug}/2023.md"));
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, text.replacen("level:", "draft: true\nlevel:", 1)).unwrap();
    }
    let site = load(tmp.path(), date(2026, 6, 1));
    assert!(
        site.diagnostics.iter().all(|d| d.id.as_str() != "R14"),
        "{:#?}",
        site.diagnostics
    );
}

/// `gongkai check` on the fixture as of `--today`, in `lang`.
fn check_cli(lang: &str, today: &str) -> (Option<i32>, String) {
    let out = gongkai()
        .args(["--lang", lang, "--root"])
        .arg(fixture(CASE))
        .args(["check", "--today", today])
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The output without its last line (the summary, which says the time taken).
fn without_summary(out: &str) -> &str {
    out.trim_end().rsplit_once('\n').map_or(out, |(body, _)| body)
}

#[test]
fn cli_in_english_and_chinese() {
    let (code, en) = check_cli("en", "2026-06-01");
    assert_eq!(code, Some(0), "{en}");
    insta::assert_snapshot!("roster_cli_en", without_summary(&en));
    assert!(
        en.contains("warning[R14]: agencies.toml:12: [[agency]] linye:")
            && en.contains("示例县林业局 (linye) has no published report for 2023; its deadline (department) was 2024-01-31, 852 days overdue as of 2026-06-01"),
        "{en}"
    );
    assert!(
        en.contains("warning[R15]: content/reports/linyeju/2023.md:4:14: agency_slug:"),
        "{en}"
    );
    let (code, zh) = check_cli("zh", "2026-06-01");
    assert_eq!(code, Some(0), "{zh}");
    assert!(
        zh.contains("示例县林业局（linye）没有发布2023年度报告；按政府部门的期限应于 2024-01-31 前发布，截至 2026-06-01 已逾期 852 天"),
        "{zh}"
    );
    assert!(
        zh.contains("机关名称 `示例县财政所` 与机关名录（agencies.toml）中 `caizheng` 的名称 `示例县财政局` 不一致"),
        "{zh}"
    );
    assert!(zh.contains("草稿不会发布"), "{zh}");
    insta::assert_snapshot!("roster_cli_zh", without_summary(&zh));
    // --strict makes the warnings errors.
    let out = gongkai()
        .arg("--root")
        .arg(fixture(CASE))
        .args(["check", "--strict", "--today", "2026-06-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn json_keeps_ids_and_places() {
    let out = gongkai()
        .args(["--lang", "zh", "--root"])
        .arg(fixture(CASE))
        .args(["check", "--format", "json", "--today", "2026-06-01"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let got: Vec<(String, String, u64)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("R14".into(), "agencies.toml".into(), 12),
            ("R14".into(), "agencies.toml".into(), 24),
            ("R15".into(), "content/reports/caizheng/2023.md".into(), 3),
            ("R15".into(), "content/reports/linyeju/2023.md".into(), 4),
        ]
    );
    assert!(v[0]["message"].as_str().unwrap().contains("已逾期 852 天"), "{v}");
}

#[test]
fn today_sets_the_date_and_a_bad_one_is_refused() {
    // Before the deadline, as of --today, nothing is missing.
    let (code, out) = check_cli("en", "2024-01-20");
    assert_eq!(code, Some(0));
    assert!(!out.contains("R14"), "{out}");
    for (lang, bad, said) in [
        ("en", "2026-02-30", "`2026-02-30` is not a date; write YYYY-MM-DD"),
        ("zh", "2026-6-1", "`2026-6-1` 不是有效日期；请写作 YYYY-MM-DD"),
    ] {
        let out = gongkai()
            .args(["--lang", lang, "--root"])
            .arg(fixture(CASE))
            .args(["check", "--today", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{lang} {bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(said), "{err}");
    }
}

#[test]
fn the_demo_site_shows_one_missing_and_one_late_report() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = load(root, date(2026, 11, 30));
    let got: Vec<(&str, &str)> = site
        .diagnostics
        .iter()
        .map(|d| (d.id.as_str(), d.file.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("R14", "agencies.toml"),
            ("R09", "content/reports/shili-donghu/2022.md"),
            ("R15", "content/reports/zhongren/2023.md"),
        ],
        "{:#?}",
        site.diagnostics
    );
    assert!(
        site.diagnostics[0].message.contains("示例市自然资源局"),
        "{}",
        site.diagnostics[0].message
    );
    assert!(site.diagnostics[0].message.contains("2025"));
    assert_eq!(site.tally().errors, 0);
}

/// A copy of the `valid` fixture (测试县测试局 `ceshi`, 2023, carried
/// forward [1, 0, 0, 0, 0, 0, 1], 现行有效 规章 3 and 行政规范性文件 5) whose
/// section 五 has the heading real reports often give it, with a region and
/// the level township (not the default of `new report`).
fn site_with_2023() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), tmp.path());
    let p = tmp.path().join("content/reports/ceshi/2023.md");
    let text = std::fs::read_to_string(&p).unwrap();
    let text = text
        .replace("## 五、存在的主要问题及改进情况", "## 五、存在的主要问题及整改情况")
        .replace("level: department", "level: township\nregion: 测试省测试县");
    std::fs::write(&p, text).unwrap();
    tmp
}

#[test]
fn from_previous_carries_last_years_figures_and_headings() {
    let tmp = site_with_2023();
    let out = gongkai()
        .arg("--root")
        .arg(tmp.path())
        .args(["new", "report", "--slug", "ceshi", "--year", "2024", "--from-previous"])
        .args(["--today", "2025-03-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("begun from content/reports/ceshi/2023.md"), "{said}");
    let path = tmp.path().join("content/reports/ceshi/2024.md");
    let text = std::fs::read_to_string(&path).unwrap();
    for line in [
        "agency: 测试县测试局   #",
        "year: 2024   #",
        "published: 2025-01-31   #",
        "level: township   #",
        "region: \"测试省测试县\"   #",
        "draft: true   #",
        "  rules:          {issued: 0, repealed: 0, in_force: 3}   #",
        "  normative_docs: {issued: 0, repealed: 0, in_force: 5}   #",
        "  carried_over:         [1, 0, 0, 0, 0, 0, 1]   #",
        "  new:                  [0, 0, 0, 0, 0, 0, 0]   #",
        "## 一、总体情况",
        "## 五、存在的主要问题及整改情况",
        "## 六、其他需要报告的事项",
    ] {
        assert!(text.contains(line), "{line:?} not in\n{text}");
    }
    assert!(!text.contains("## 五、存在的主要问题及改进情况"), "{text}");

    // Filled in with this year's figures that balance (2 new, 3 granted),
    // its text written and published: neither R08 nor R11, nothing at all.
    let filled = text
        .replace(
            "  new:                  [0, 0, 0, 0, 0, 0, 0]",
            "  new:                  [2, 0, 0, 0, 0, 0, 2]",
        )
        .replace(
            "  granted:              [0, 0, 0, 0, 0, 0, 0]",
            "  granted:              [3, 0, 0, 0, 0, 0, 3]",
        )
        .replace(
            "  total:                [0, 0, 0, 0, 0, 0, 0]",
            "  total:                [3, 0, 0, 0, 0, 0, 3]",
        )
        .replace("draft: true", "draft: false")
        .replace("published: 2025-01-31", "published: 2025-01-20");
    let filled: String = filled
        .lines()
        .map(|l| {
            if l.starts_with('（') {
                "本年度工作按计划完成。"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&path, filled).unwrap();
    let site = load(tmp.path(), date(2025, 3, 1));
    assert_eq!(list(&site.diagnostics), [], "{:#?}", site.diagnostics);
}

#[test]
fn from_previous_without_last_years_report_is_refused() {
    let tmp = site_with_2023();
    for (lang, said) in [
        ("en", "no report of `ceshi` for 2022 under content/"),
        ("zh", "content/ 下没有 `ceshi` 的2022年度报告"),
    ] {
        let out = gongkai()
            .args(["--lang", lang, "--root"])
            .arg(tmp.path())
            .args(["new", "report", "--slug", "ceshi", "--year", "2023", "--from-previous"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{lang}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(said), "{err}");
    }
    // The 2023 report is the one there: 2023 was not written over, 2022 not made.
    assert!(!tmp.path().join("content/reports/ceshi/2022.md").exists());
    // --from-previous needs --slug (clap: status 2).
    let out = gongkai()
        .arg("--root")
        .arg(tmp.path())
        .args(["new", "report", "--year", "2024", "--from-previous"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // Without it, --agency is still required.
    let out = gongkai()
        .arg("--root")
        .arg(tmp.path())
        .args(["new", "report", "--slug", "x", "--year", "2024"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// The roster of the agencies-page test: two top agencies, children two
/// deep, and one agency (`caizheng-ku`, last) with no report.
const TREE_ROSTER: &str = r#"
[[agency]]
slug = "xian"
name = "示例县人民政府"
level = "government"

[[agency]]
slug = "jiaoyu"
name = "示例县教育局"
level = "department"
parent = "xian"

[[agency]]
slug = "linye"
name = "示例县林业局"
level = "department"
parent = "jiaoyu"

[[agency]]
slug = "zhen"
name = "示例县示例镇人民政府"
level = "township"
parent = "xian"

[[agency]]
slug = "caizheng"
name = "示例县财政所"
level = "department"
parent = "xian"

[[agency]]
slug = "caizheng-ku"
name = "示例县国库支付中心"
level = "department"
parent = "caizheng"

[[agency]]
slug = "shi"
name = "示例市人民政府"
level = "government"
"#;

/// Builds the site at `root` into a temporary folder; the agencies page.
fn agencies_page(root: &Path) -> String {
    let out = tempfile::tempdir().unwrap();
    let run = gongkai()
        .arg("--root")
        .arg(root)
        .args(["build", "--today", "2026-06-01", "-o"])
        .arg(out.path().join("public"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let page = std::fs::read_to_string(out.path().join("public/agencies/index.html")).unwrap();
    let start = page.find("<h1>").expect("h1");
    let end = page.find("</main>").expect("main");
    page[start..end].to_string()
}

/// The `<ul>`/`<li>` tags of `html`, checked to nest as lists must (an
/// item only inside a list, a list only inside an item but the outermost),
/// as a compact trace: `[` `]` a list, `(` `)` an item.
fn list_trace(html: &str) -> String {
    let mut trace = String::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let (close, name_start) = if let Some(r) = rest.strip_prefix('/') {
            (true, r)
        } else {
            (false, rest)
        };
        let name: String = name_start.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if name != "ul" && name != "li" {
            continue;
        }
        if close {
            assert_eq!(stack.pop(), Some(if name == "ul" { "ul" } else { "li" }), "{html}");
            trace.push(if name == "ul" { ']' } else { ')' });
        } else {
            match (name.as_str(), stack.last()) {
                ("li", Some(&"ul")) => {}
                ("ul", None | Some(&"li")) => {}
                _ => panic!("<{name}> inside {:?}:\n{html}", stack.last()),
            }
            stack.push(if name == "ul" { "ul" } else { "li" });
            trace.push(if name == "ul" { '[' } else { '(' });
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?}:\n{html}");
    trace
}

#[test]
fn the_agencies_page_follows_the_roster() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture(CASE), tmp.path());
    std::fs::write(tmp.path().join("agencies.toml"), TREE_ROSTER).unwrap();
    // 示例县财政所 is the roster's name now: the report's agency agrees.
    let html = agencies_page(tmp.path());
    // A section per top agency, named in its heading; then the unlisted.
    assert_eq!(html.matches("<h2 id=\"").count(), 3, "{html}");
    assert!(
        html.contains("<h2 id=\"tree-xian\"><a href=\"../agencies/xian/\">示例县人民政府</a>"),
        "{html}"
    );
    assert!(html.contains("<h2 id=\"tree-shi\">示例市人民政府</h2>"), "{html}");
    assert!(html.contains("<h2 id=\"tree-unlisted\">未列入名录的机关"), "{html}");
    // Under 示例县人民政府: 教育局 (and 林业局 under it), 示例镇, 财政所
    // (and 国库支付中心 under it), nested lists in the roster's order.
    let xian = &html[html.find("tree-xian").unwrap()..html.find("tree-shi").unwrap()];
    assert_eq!(list_trace(xian), "[([()])()([()])]", "{xian}");
    let order: Vec<usize> = [
        "示例县教育局",
        "示例县林业局",
        "示例县示例镇人民政府",
        "示例县财政所",
        "示例县国库支付中心",
    ]
    .iter()
    .map(|n| xian.find(n).unwrap_or_else(|| panic!("{n} not in {xian}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{xian}");
    // An agency without published reports (林业局: its report is under
    // another slug; 示例镇: a draft) has no link and says so.
    assert!(
        xian.contains("<li>示例县林业局 <span class=\"muted\">政府部门 · 尚无已发布的报告</span>"),
        "{xian}"
    );
    assert!(!xian.contains("agencies/zhen/"), "{xian}");
    // The report filed under a slug not on the roster is in the last group.
    let unlisted = &html[html.find("tree-unlisted").unwrap()..];
    assert!(
        unlisted.contains("<a href=\"../agencies/linyeju/\">示例县林业局</a>"),
        "{unlisted}"
    );
    list_trace(&html);

    // Without a roster: by level, as before.
    std::fs::remove_file(tmp.path().join("agencies.toml")).unwrap();
    let html = agencies_page(tmp.path());
    assert!(
        html.contains("id=\"lv-government\"") && html.contains("id=\"lv-department\""),
        "{html}"
    );
    assert!(!html.contains("tree-"), "{html}");
}

#[test]
fn from_previous_says_what_it_carried_in_chinese() {
    let tmp = site_with_2023();
    let out = gongkai()
        .args(["--lang", "zh", "--root"])
        .arg(tmp.path())
        .args(["new", "report", "--slug", "ceshi", "--year", "2024", "--from-previous"])
        .args(["--level", "government", "--agency", "测试县测试镇人民政府"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("已以 content/reports/ceshi/2023.md 为基础"), "{said}");
    assert!(said.contains("使表三平衡（R01）"), "{said}");
    // What is given wins over last year's.
    let text = std::fs::read_to_string(tmp.path().join("content/reports/ceshi/2024.md")).unwrap();
    assert!(text.contains("agency: 测试县测试镇人民政府   #"), "{text}");
    assert!(text.contains("level: government   #"), "{text}");
    assert!(text.contains("  carried_over:         [1, 0, 0, 0, 0, 0, 1]"), "{text}");
}
