//! The compliance dashboard (`/compliance/`) and its data
//! (`data/compliance.csv`, `data/compliance.json`), issue 14 part 2.
//!
//! - `compliance-roster`: a roster of four agencies (a government and three
//!   departments) and a report by an agency not on it, judged with
//!   `--today 2025-02-15`, when the departments' 2024 deadline (31 January)
//!   has passed and the government's (31 March) has not: 林业局 has no 2024
//!   report (missing), 财政局's 2023 report is a draft (missing), 教育局's 2023
//!   report is five days late (R09), 财政局's 2024 lacks a section (R10),
//!   县政府's 2024 is not yet due, 外部局 is not on the roster (R15).
//! - `build-aggregate` (no roster): every agency seen is a row.
//! - `r01-balance` (in-process: its error would stop a build): errors are
//!   counted by rule.
//!
//! Builds run the binary (`--today` fixes the date); the in-process tests
//! load the site with a fixed date.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use gongkai::compliance::{Compliance, Status};
use gongkai::portal::Portal;
use gongkai::site::Site;
use scraper::{Html, Selector};

mod common;
use common::{fixture, gongkai};

/// A build of a fixture into a temporary folder, judged as of `today`.
struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
}

impl Built {
    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

fn build(name: &str, today: &str) -> Built {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("public");
    gongkai()
        .args(["--today", today, "--root"])
        .arg(fixture(name))
        .args(["build", "--quiet", "-o"])
        .arg(&out)
        .assert()
        .success();
    Built { _dir: dir, out }
}

/// The CSV's rows as maps from column to value, by (slug, year).
fn csv_rows(text: &str) -> BTreeMap<(String, String), BTreeMap<String, String>> {
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().expect("a header").iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("a record");
            let row: BTreeMap<String, String> = header.iter().cloned().zip(rec.iter().map(str::to_string)).collect();
            ((row["agency_slug"].clone(), row["year"].clone()), row)
        })
        .collect()
}

#[test]
fn the_csv_says_every_agency_and_year() {
    let b = build("compliance-roster", "2025-02-15");
    let text = b.read("data/compliance.csv");
    assert!(text.starts_with('\u{feff}'), "UTF-8 with a BOM");
    assert!(text.contains(
        "\u{feff}agency_slug,agency,level,parent,on_roster,year,status,days_late,published,deadline,errors,warnings,rules,url\n"
    ));
    let rows = csv_rows(&text);
    // 4 rostered agencies and 1 seen, over 2 years.
    assert_eq!(rows.len(), 10);
    let get = |slug: &str, year: &str, col: &str| rows[&(slug.to_string(), year.to_string())][col].clone();
    let status = |slug: &str, year: &str| get(slug, year, "status");
    assert_eq!(status("xian", "2023"), "on_time");
    assert_eq!(status("xian", "2024"), "not_due");
    assert_eq!(get("xian", "2024", "deadline"), "2025-03-31");
    assert_eq!(status("jiaoyu", "2023"), "late");
    assert_eq!(get("jiaoyu", "2023", "days_late"), "5");
    assert_eq!(get("jiaoyu", "2023", "rules"), "R09");
    assert_eq!(get("jiaoyu", "2023", "warnings"), "1");
    assert_eq!(get("jiaoyu", "2023", "url"), "reports/jiaoyu/2023/");
    assert_eq!(get("jiaoyu", "2023", "parent"), "xian");
    assert_eq!(status("jiaoyu", "2024"), "on_time");
    assert_eq!(status("linye", "2024"), "missing");
    assert_eq!(get("linye", "2024", "url"), "");
    assert_eq!(get("linye", "2024", "published"), "");
    // A draft is not published.
    assert_eq!(status("caizheng", "2023"), "missing");
    assert_eq!(status("caizheng", "2024"), "on_time");
    assert!(get("caizheng", "2024", "rules").split(' ').any(|r| r == "R10"));
    // Not on the roster: its one report, and nothing expected otherwise.
    assert_eq!(get("waibu", "2024", "on_roster"), "false");
    assert_eq!(get("waibu", "2024", "rules"), "R15");
    assert_eq!(status("waibu", "2023"), "not_expected");
    assert_eq!(get("xian", "2023", "on_roster"), "true");
    // No errors in a site that builds.
    assert!(rows.values().all(|r| r["errors"] == "0"));
}

#[test]
fn missing_only_once_the_deadline_has_passed() {
    // Before 31 January 2025, 林业局's 2024 report is not yet due.
    let b = build("compliance-roster", "2025-01-20");
    let rows = csv_rows(&b.read("data/compliance.csv"));
    assert_eq!(rows[&("linye".into(), "2024".into())]["status"], "not_due");
    assert_eq!(rows[&("linye".into(), "2023".into())]["status"], "on_time");
}

#[test]
fn the_json_holds_the_same_with_the_summaries() {
    let b = build("compliance-roster", "2025-02-15");
    let doc: serde_json::Value = serde_json::from_str(&b.read("data/compliance.json")).expect("JSON");
    assert_eq!(doc["today"], "2025-02-15");
    assert_eq!(doc["rostered"], true);
    let s2024 = doc["summaries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["year"] == 2024)
        .expect("2024");
    assert_eq!(s2024["agencies"], 4);
    assert_eq!(s2024["on_time"], 2);
    assert_eq!(s2024["missing"], 1);
    assert_eq!(s2024["not_due"], 1);
    assert_eq!(s2024["late"], 0);
    assert_eq!(s2024["with_warnings"], 2);
    assert_eq!(s2024["unlisted"], 1);
    let jiaoyu = doc["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["slug"] == "jiaoyu")
        .expect("jiaoyu");
    assert_eq!(jiaoyu["parent"], "xian");
    assert_eq!(jiaoyu["on_roster"], true);
    let y2023 = &jiaoyu["years"][0];
    assert_eq!(y2023["year"], 2023);
    assert_eq!(y2023["status"], "late");
    assert_eq!(y2023["days_late"], 5);
    assert_eq!(y2023["rules"]["R09"], 1);
    assert_eq!(y2023["url"], "reports/jiaoyu/2023/");
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("a selector")
}

fn text(e: scraper::ElementRef) -> String {
    e.text().collect::<String>()
}

#[test]
fn the_page_lists_worst_first_with_relative_links() {
    let b = build("compliance-roster", "2025-02-15");
    let page = Html::parse_document(&b.read("compliance/index.html"));
    let tables: Vec<_> = page.select(&sel("table.compliance")).collect();
    assert_eq!(tables.len(), 2, "the roster's agencies, then those not on it");
    let names = |t: scraper::ElementRef| -> Vec<String> {
        t.select(&sel("tbody th[scope=row] a, tbody th[scope=row]"))
            .filter(|e| e.value().name() == "th")
            .map(|e| text(e.select(&sel("a")).next().unwrap_or(e)))
            .collect()
    };
    // Newest year first: missing, then with warnings (财政局 also missed
    // 2023, so before 教育局, late in 2023), then not yet due.
    assert_eq!(
        names(tables[0]),
        ["测试县林业局", "测试县财政局", "测试县教育局", "测试县人民政府"]
    );
    assert_eq!(names(tables[1]), ["测试县外部局"]);
    // Accessible: a caption, column and row headers.
    assert!(tables[0].select(&sel("caption")).next().is_some());
    let heads: Vec<String> = tables[0].select(&sel("thead th[scope=col]")).map(text).collect();
    assert_eq!(heads, ["机关", "2024年度", "2023年度"]);
    let html = b.read("compliance/index.html");
    assert!(
        html.contains(r#"<a href="../reports/jiaoyu/2023/">逾期发布（5天）</a>"#),
        "{html}"
    );
    assert!(html.contains(r#"<a href="../agencies/linye/">测试县林业局</a>"#));
    assert!(html.contains(">未发布</span>"));
    assert!(html.contains(">未到期</span>"));
    assert!(html.contains(r#"<span class="rule rule-warning">R11×2</span>"#));
    // The summary line of each year.
    let summary: Vec<String> = page.select(&sel(".compliance-summary li")).map(text).collect();
    assert!(
        summary[0].starts_with("2024年度：4个机关中，2个按时发布（50%），0个逾期发布，1个未发布，1个未到期"),
        "{summary:?}"
    );
    assert!(
        summary[1].starts_with("2023年度：4个机关中，2个按时发布（50%），1个逾期发布，1个未发布"),
        "{summary:?}"
    );
    // No absolute link to a page of the site (it may be served from a
    // sub-path; only `canonical` uses base_url).
    assert!(!html.contains(r#"<a href="/"#));
    // Linked from home and the footer.
    assert!(b.read("index.html").contains(r#"href="./compliance/""#));
    assert!(b.read("years/2024/index.html").contains(r#"href="../../compliance/""#));
}

#[test]
fn the_data_package_lists_the_csv_with_its_schema() {
    let b = build("compliance-roster", "2025-02-15");
    let pkg: serde_json::Value = serde_json::from_str(&b.read("data/datapackage.json")).expect("JSON");
    let res = pkg["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "compliance")
        .expect("the compliance resource");
    assert_eq!(res["path"], "compliance.csv");
    assert_eq!(res["encoding"], "utf-8-sig");
    let fields: Vec<&str> = res["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    let text = b.read("data/compliance.csv");
    let header = text.trim_start_matches('\u{feff}').lines().next().unwrap();
    assert_eq!(fields.join(","), header);
    assert_eq!(res["schema"]["primaryKey"], serde_json::json!(["agency_slug", "year"]));
}

fn load(root: &Path, today: &str) -> Site {
    let today: NaiveDate = today.parse().expect("a date");
    Site::load(root, today).unwrap_or_else(|e| panic!("{}: {e}", root.display()))
}

#[test]
fn without_a_roster_every_agency_seen_is_a_row() {
    let site = load(&fixture("build-aggregate"), "2026-06-01");
    let portal = Portal::plan(&site, false);
    let c = Compliance::of(&portal);
    assert!(!c.rostered);
    assert_eq!(c.years, [2023, 2022]);
    assert!(c.rows.iter().all(|r| r.listed));
    let slugs: std::collections::BTreeSet<&str> = c.rows.iter().map(|r| r.slug.as_str()).collect();
    // Every agency with a published report (the draft's agency only if it
    // has another).
    for r in site.reports.iter().filter(|r| !r.draft) {
        assert!(slugs.contains(r.agency_slug.as_str()), "{}", r.agency_slug);
    }
    // 戊 (wu) reported for 2022 only: missing in 2023 once the deadline passed.
    let wu = c.rows.iter().find(|r| r.slug == "wu").expect("wu");
    assert_eq!(wu.cells[0].status, Status::Missing);
    assert_eq!(c.rows[0].cells[0].status, Status::Missing, "worst first");
}

#[test]
fn errors_are_counted_by_rule() {
    // R01 is an error: such a site never builds, but the status counts it.
    let site = load(&fixture("r01-balance"), "2026-06-01");
    let portal = Portal::plan(&site, false);
    let c = Compliance::of(&portal);
    let cell = &c.rows[0].cells[0];
    assert!(cell.errors > 0);
    assert!(cell.rules.iter().any(|(r, _)| r.as_str() == "R01"));
    assert_eq!(cell.rule_ids().split(' ').next(), Some("R01"));
    assert_eq!(cell.rank(), if cell.status == Status::OnTime { 2 } else { 1 });
    assert_eq!(c.summaries[0].with_errors, 1);
}

/// The cost of the dashboard at scale: `GONGKAI_BENCH_SITE=/tmp/g10k cargo
/// test --release --test compliance -- --ignored --nocapture` (a site from
/// `examples/gensite`). Prints the time of the status and of the page and
/// both data files, against the time of rendering every file of the portal
/// (the search index aside) in the same process.
#[test]
#[ignore]
fn cost_at_scale() {
    use gongkai::render::{all_pages, render_pages, PageKey, RenderOptions, Theme};
    let Ok(root) = std::env::var("GONGKAI_BENCH_SITE") else {
        return;
    };
    let site = load(Path::new(&root), "2026-06-01");
    let portal = Portal::plan(&site, false);
    let theme = Theme::load(&site.root, &site.config.theme).expect("the theme");
    let best = |f: &dyn Fn()| {
        (0..5)
            .map(|_| {
                let t = std::time::Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .fold(f64::MAX, f64::min)
    };
    let status = best(&|| {
        std::hint::black_box(Compliance::of(&portal));
    });
    let mine = [PageKey::Compliance, PageKey::ComplianceCsv, PageKey::ComplianceJson];
    let bytes = std::sync::atomic::AtomicUsize::new(0);
    let sink = |f: gongkai::render::Rendered| {
        bytes.fetch_add(f.bytes.len(), std::sync::atomic::Ordering::Relaxed);
        Ok(())
    };
    let files = best(&|| {
        render_pages(&portal, &theme, RenderOptions::default(), &mine, &sink).expect("rendered");
    });
    let all: Vec<PageKey> = all_pages(&portal)
        .into_iter()
        .filter(|k| *k != PageKey::SearchIndex)
        .collect();
    let everything = best(&|| {
        render_pages(&portal, &theme, RenderOptions::default(), &all, &sink).expect("rendered");
    });
    let c = Compliance::of(&portal);
    println!(
        "{} reports, {} rows x {} years: status {:.1} ms; page + csv + json {:.1} ms; \
         every file but the search index {:.1} ms ({:.1}%)",
        portal.reports.len(),
        c.rows.len(),
        c.years.len(),
        status * 1000.0,
        files * 1000.0,
        everything * 1000.0,
        files / everything * 100.0
    );
}
