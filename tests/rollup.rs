//! Roll-ups (issue 14, part 3) over `tests/fixtures/rollup-county/`: a
//! county (`xian`) with two departments (`jiaoyu`, `weijian`) and a
//! township (`zhen`) with a school under it (`xuexiao`). For 2023 all five
//! reported (weijian with blank cells); for 2024 weijian's report is
//! freeform (left out) and zhen has none (missing). Every number of a
//! roll-up's JSON and CSV is checked against the sum of the content files'
//! own numbers (read here from their YAML, not through gongkai), blank
//! cells as 0 and fees exactly; who is included, left out and missing; the
//! links from a build for a sub-path; and no roll-ups without a roster.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use serde_yaml::Value as Yaml;

mod common;
use common::{copy_dir, fixture, gongkai};

const CASE: &str = "rollup-county";

/// Builds `root` into a new temporary folder, for the sub-path `/portal/`.
fn build(root: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("a temporary folder");
    gongkai()
        .args([
            "build",
            "--today",
            "2026-06-01",
            "--base-url",
            "https://example.org/portal/",
            "-o",
        ])
        .arg(out.path().join("public"))
        .arg("--root")
        .arg(root)
        .assert()
        .success();
    out
}

fn read(out: &Path, file: &str) -> String {
    std::fs::read_to_string(out.join("public").join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// A JSON file of the output, the rows of tables 三 and 四 keyed by the
/// file's `columns` (`common::keyed`).
fn json(out: &Path, file: &str) -> Value {
    let doc: Value = serde_json::from_str(&read(out, file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    if doc.get("columns").is_some() {
        common::keyed(&doc)
    } else {
        doc
    }
}

/// A number of a content file in millionths (fees have up to 6 decimals;
/// counts are whole): exact, with no float in between. `null` is 0.
fn millionths(v: &Yaml) -> i128 {
    match v {
        Yaml::Null => 0,
        Yaml::Number(n) => {
            // A decimal of the file has at most 6 places and 12 digits:
            // its float, printed to 6 places, gives back the exact text.
            let text = match n.as_i64() {
                Some(i) => i.to_string(),
                None => format!("{:.6}", n.as_f64().unwrap()),
            };
            let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
            assert!(frac.len() <= 6, "{text}");
            let frac = format!("{frac:0<6}");
            int.parse::<i128>().unwrap() * 1_000_000 + frac.parse::<i128>().unwrap()
        }
        other => panic!("not a number: {other:?}"),
    }
}

/// Every number of a content file, by `table.row_key.column` as the cell
/// CSV names them, in millionths, and how many are blank (`null`).
fn numbers(file: &Path) -> (BTreeMap<String, i128>, usize) {
    let text = std::fs::read_to_string(file).unwrap();
    let yaml = text.split("---\n").nth(1).unwrap();
    let doc: Yaml = serde_yaml::from_str(yaml).unwrap();
    let mut out = BTreeMap::new();
    let mut blanks = 0;
    let mut put = |key: String, v: &Yaml| {
        blanks += usize::from(v.is_null());
        out.insert(key, millionths(v));
    };
    const REQUEST_COLUMNS: [&str; 7] = [
        "natural_person",
        "business",
        "research",
        "public_interest",
        "legal_service",
        "other",
        "total",
    ];
    const APPEAL_COLUMNS: [&str; 5] = ["upheld", "corrected", "other", "pending", "total"];
    for (k, v) in doc["proactive"].as_mapping().unwrap() {
        let k = k.as_str().unwrap();
        match v {
            Yaml::Mapping(fields) => {
                for (f, x) in fields {
                    put(format!("proactive.{k}.{}", f.as_str().unwrap()), x);
                }
            }
            x => put(format!("proactive.{k}"), x),
        }
    }
    let mut rows = |table: &str, map: &Yaml, columns: &[&str]| {
        let mut stack = vec![(String::new(), map.clone())];
        while let Some((prefix, m)) = stack.pop() {
            for (k, v) in m.as_mapping().unwrap() {
                let key = format!("{prefix}{}", k.as_str().unwrap());
                match v {
                    Yaml::Sequence(cells) => {
                        assert_eq!(cells.len(), columns.len(), "{key}: the fixture gives the totals");
                        for (c, x) in columns.iter().zip(cells) {
                            put(format!("{table}.{key}.{c}"), x);
                        }
                    }
                    nested => stack.push((format!("{key}."), nested.clone())),
                }
            }
        }
    };
    rows("requests", &doc["requests"], &REQUEST_COLUMNS);
    rows("appeals", &doc["appeals"], &APPEAL_COLUMNS);
    (out, blanks)
}

/// The sums of the content files of `slugs` for `year`, and their blank cells.
fn expected(slugs: &[&str], year: i32) -> (BTreeMap<String, i128>, usize) {
    let mut sum: BTreeMap<String, i128> = BTreeMap::new();
    let mut blanks = 0;
    for slug in slugs {
        let (n, b) = numbers(&fixture(CASE).join(format!("content/reports/{slug}/{year}.md")));
        blanks += b;
        for (k, v) in n {
            *sum.entry(k).or_default() += v;
        }
    }
    (sum, blanks)
}

/// The cells of a roll-up's JSON `tables`, by `table.row_key.column`, in
/// millionths (the structure of a report's `tables` in its agency's JSON:
/// `tables.<table>.<row_key>.<column_key>`). Proactive fields with one
/// value are named by the row alone, as in the content file (`licensing: 12`).
fn json_cells(tables: &Value) -> BTreeMap<String, i128> {
    let mut out = BTreeMap::new();
    for (table, rows) in tables.as_object().unwrap() {
        for (key, row) in rows.as_object().unwrap() {
            let row = row.as_object().unwrap();
            for (c, v) in row {
                // A JSON number: fees as decimals. Compared to the millionth.
                let f = v
                    .as_f64()
                    .unwrap_or_else(|| panic!("{table}.{key}.{c}: a number, not {v}"));
                let n = match v.as_i64() {
                    Some(n) => i128::from(n) * 1_000_000,
                    None => (f * 1_000_000.0).round() as i128,
                };
                let name = if table == "proactive" && row.len() == 1 {
                    format!("proactive.{key}")
                } else {
                    format!("{table}.{key}.{c}")
                };
                out.insert(name, n);
            }
        }
    }
    out
}

/// The cells of a roll-up's CSV (a report's cell CSV), in millionths, the
/// decimals read as text.
fn csv_cells(text: &str) -> BTreeMap<String, i128> {
    let text = text.strip_prefix('\u{feff}').expect("a BOM");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let mut out = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let (table, row, column, value) = (&rec[0], &rec[1], &rec[3], &rec[5]);
        let (int, frac) = value.split_once('.').unwrap_or((value, ""));
        let n = int
            .parse::<i128>()
            .unwrap_or_else(|_| panic!("{table}.{row}.{column}: {value:?}"))
            * 1_000_000
            + format!("{frac:0<6}").parse::<i128>().unwrap();
        // One-value proactive rows are named by the row, as in the content.
        let name = if table == "proactive" && ["licensing", "penalty", "coercion", "fees"].contains(&row) {
            format!("{table}.{row}")
        } else {
            format!("{table}.{row}.{column}")
        };
        out.insert(name, n);
    }
    out
}

fn slugs(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|m| m["agency_slug"].as_str().unwrap())
        .collect()
}

#[test]
fn every_number_is_the_sum_of_the_content_files() {
    let out = build(&fixture(CASE));
    let out = out.path();
    let cases: [(&str, i32, &[&str]); 4] = [
        ("xian", 2023, &["xian", "jiaoyu", "weijian", "zhen", "xuexiao"]),
        ("zhen", 2023, &["zhen", "xuexiao"]),
        ("xian", 2024, &["xian", "jiaoyu", "xuexiao"]),
        ("zhen", 2024, &["xuexiao"]),
    ];
    for (slug, year, included) in cases {
        let doc = json(out, &format!("data/rollup/{slug}/{year}.json"));
        assert_eq!(slugs(&doc["included"]), included, "{slug} {year}");
        assert_eq!(doc["format"], "gov-2021");
        assert_eq!(doc["year"], year);
        assert_eq!(doc["url"], format!("rollup/{slug}/{year}/"));
        let (want, blanks) = expected(included, year);
        assert_eq!(doc["blank_cells"], blanks, "{slug} {year}");
        let got = json_cells(&doc["tables"]);
        // Every cell of the content files, and no other.
        assert_eq!(
            got.len(),
            want.len(),
            "{slug} {year}: {:?}",
            got.keys().collect::<Vec<_>>()
        );
        for (k, v) in &want {
            assert_eq!(got.get(k), Some(v), "{slug} {year}: {k}");
        }
        let csv = csv_cells(&read(out, &format!("data/rollup/{slug}/{year}.csv")));
        assert_eq!(csv, want, "{slug} {year}: the CSV");
    }
    // The fixture's blank cells (weijian 2023) are in the county's 2023
    // sums only, counted as 0; and the fees add up exactly.
    assert!(expected(&["weijian"], 2023).1 > 5);
    let doc = json(out, "data/rollup/xian/2023.json");
    let fees = &doc["tables"]["proactive"]["fees"]["amount"];
    assert_eq!(fees.to_string(), "100252.641334");
    let csv = read(out, "data/rollup/xian/2023.csv");
    assert!(csv.contains(",100252.641334\n"), "the fees, exactly");
}

#[test]
fn missing_and_left_out_agencies_are_listed() {
    let out = build(&fixture(CASE));
    let out = out.path();
    let doc = json(out, "data/rollup/xian/2024.json");
    assert_eq!(slugs(&doc["missing"]), ["zhen"]);
    assert_eq!(doc["missing"][0]["agency"], "示例县东风镇人民政府");
    assert!(doc["missing"][0].get("report_url").is_none());
    assert_eq!(slugs(&doc["left_out"]), ["weijian"]);
    assert_eq!(doc["left_out"][0]["format"], "freeform");
    assert_eq!(doc["left_out"][0]["reason"], "format");
    assert_eq!(doc["left_out"][0]["report_url"], "reports/weijian/2024/");
    let zhen = json(out, "data/rollup/zhen/2024.json");
    assert_eq!(slugs(&zhen["missing"]), ["zhen"]);
    assert_eq!(zhen["left_out"], Value::Array(vec![]));
    let full = json(out, "data/rollup/xian/2023.json");
    assert_eq!(full["missing"], Value::Array(vec![]));

    let page = read(out, "rollup/xian/2024/index.html");
    // In the roster's tree order: the county, its departments, the
    // township and the school under it.
    let order: Vec<usize> = [
        "示例县人民政府</a>",
        "示例县教育局",
        "示例县卫生健康局",
        "示例县东风镇人民政府",
        "示例县东风镇中心学校",
    ]
    .iter()
    .map(|n| page.find(n).unwrap_or_else(|| panic!("{n} on the page")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(page.contains("<tr class=\"missing\"><th scope=\"row\" class=\"depth1\">示例县东风镇人民政府</th>"));
    assert!(page.contains("未发布"));
    assert!(page.contains("未计入：无统计表格式"));
    assert!(page.contains("3</span><span class=\"stat-label\">份报告计入合计"));
    assert!(page.contains("空白单元格按 0 计入合计"));
    // The three tables in the official layout.
    for id in ["id=\"sum-t2\"", "id=\"sum-t3\"", "id=\"sum-t4\""] {
        assert!(page.contains(id), "{id}");
    }
    let page = read(out, "rollup/xian/2023/index.html");
    let blanks = expected(&["weijian"], 2023).1;
    assert!(page.contains(&format!("空白单元格按 0 计入合计（计入的报告中共有 {blanks} 处空白）")));
}

/// Every relative link of `file` (an HTML page under the output) names a
/// file of the output.
fn links_resolve(public: &Path, file: &str) -> usize {
    let html = std::fs::read_to_string(public.join(file)).unwrap();
    let dir = Path::new(file).parent().unwrap();
    let mut n = 0;
    for part in html.split("href=\"").skip(1) {
        let href = &part[..part.find('"').unwrap()];
        if href.starts_with("http") || href.starts_with('#') {
            continue;
        }
        let mut path = dir.to_path_buf();
        for seg in href.split('/') {
            match seg {
                ".." => assert!(path.pop(), "{file}: {href} leaves the site"),
                "" | "." => {}
                s => path.push(s),
            }
        }
        let target = public.join(&path);
        let target = if href.ends_with('/') || href.is_empty() {
            target.join("index.html")
        } else {
            target
        };
        assert!(target.is_file(), "{file}: {href} -> {} is not a file", target.display());
        n += 1;
    }
    n
}

#[test]
fn links_from_a_sub_path_and_from_the_agency_and_year_pages() {
    let out = build(&fixture(CASE));
    let public = out.path().join("public");
    for slug in ["xian", "zhen"] {
        for year in [2023, 2024] {
            let page = format!("rollup/{slug}/{year}/index.html");
            assert!(links_resolve(&public, &page) > 10, "{page}");
        }
    }
    // Only agencies with agencies below them have roll-ups.
    for slug in ["jiaoyu", "weijian", "xuexiao"] {
        assert!(!public.join(format!("rollup/{slug}")).exists(), "{slug}");
    }
    let page = read(out.path(), "rollup/xian/2024/index.html");
    for href in [
        "href=\"../../../reports/xian/2024/\"",
        "href=\"../../../reports/xuexiao/2024/\"",
        "href=\"../../../reports/weijian/2024/\"",
        "href=\"../../../data/rollup/xian/2024.json\"",
        "href=\"../../../data/rollup/xian/2024.csv\"",
        "href=\"../../../agencies/xian/\"",
        "href=\"../../../years/2024/\"",
    ] {
        assert!(page.contains(href), "{href}");
    }
    let agency = read(out.path(), "agencies/xian/index.html");
    assert!(agency.contains("本级及所属机关合计"));
    assert!(agency.contains("href=\"../../rollup/xian/2024/\">2024年度本级及所属机关合计</a>"));
    assert!(agency.contains("href=\"../../rollup/xian/2023/\""));
    assert!(!read(out.path(), "agencies/jiaoyu/index.html").contains("rollup/"));
    let year = read(out.path(), "years/2024/index.html");
    assert!(year.contains("href=\"../../rollup/xian/2024/\">示例县人民政府（本级及所属机关合计）</a>"));
    assert!(year.contains("href=\"../../rollup/zhen/2024/\">示例县东风镇人民政府（本级及所属机关合计）</a>"));
    for file in ["agencies/xian/index.html", "years/2024/index.html"] {
        links_resolve(&public, file);
    }
    // The sitemap (absolute, for the sub-path) and the data package.
    let sitemap = read(out.path(), "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/portal/rollup/zhen/2023/</loc>"));
    let package = json(out.path(), "data/datapackage.json");
    let listed: Vec<&str> = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["path"].as_str().filter(|p| p.starts_with("rollup/")))
        .collect();
    assert_eq!(
        listed,
        [
            "rollup/xian/2024.csv",
            "rollup/xian/2023.csv",
            "rollup/zhen/2024.csv",
            "rollup/zhen/2023.csv"
        ]
    );
    for p in listed {
        assert!(public.join("data").join(p).is_file(), "{p}");
    }
}

#[test]
fn no_roster_no_rollups() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&fixture(CASE), &site);
    std::fs::remove_file(site.join("agencies.toml")).unwrap();
    let out = build(&site);
    let public = out.path().join("public");
    assert!(!public.join("rollup").exists());
    assert!(!public.join("data/rollup").exists());
    assert!(!read(out.path(), "agencies/xian/index.html").contains("rollup/"));
    assert!(!read(out.path(), "years/2024/index.html").contains("rollup/"));
    assert!(!read(out.path(), "data/datapackage.json").contains("rollup/"));
}

#[test]
fn a_draft_is_left_out_in_a_preview_and_missing_in_a_build() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&fixture(CASE), &site);
    let file = site.join("content/reports/xuexiao/2024.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("level: department\n", "level: department\ndraft: true\n", 1),
    )
    .unwrap();
    let out = build(&site);
    let doc = json(out.path(), "data/rollup/zhen/2024.json");
    assert_eq!(slugs(&doc["missing"]), ["zhen", "xuexiao"]);
    assert_eq!(doc["included"], Value::Array(vec![]));
    assert!(doc.get("tables").is_none(), "no sums without a report");
    assert_eq!(doc["format"], Value::Null);
    let page = read(out.path(), "rollup/zhen/2024/index.html");
    assert!(page.contains("本年度没有可合计的报告"));
    // With the drafts (as `serve` previews them): listed as left out.
    let drafts = tempfile::tempdir().unwrap();
    gongkai()
        .args(["build", "--drafts", "--today", "2026-06-01", "-o"])
        .arg(drafts.path().join("public"))
        .arg("--root")
        .arg(&site)
        .assert()
        .success();
    let doc = json(drafts.path(), "data/rollup/zhen/2024.json");
    assert_eq!(slugs(&doc["left_out"]), ["xuexiao"]);
    assert_eq!(doc["left_out"][0]["reason"], "draft");
    assert_eq!(slugs(&doc["missing"]), ["zhen"]);
}

#[test]
fn a_change_of_a_report_touches_the_rollups_above_it() {
    use gongkai::render::{touched, Change, PageKey};
    let site = gongkai::site::Site::load(&fixture(CASE), chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap())
        .expect("the fixture loads");
    let portal = gongkai::portal::Portal::plan(&site, false);
    let keys = touched(
        &portal,
        &Change::Reports {
            slug: "xuexiao",
            years: &[2024],
        },
    );
    for slug in ["zhen", "xian"] {
        for key in [
            PageKey::Rollup(slug.into(), 2024),
            PageKey::RollupJson(slug.into(), 2024),
            PageKey::RollupCsv(slug.into(), 2024),
        ] {
            assert!(keys.contains(&key), "{key:?}");
        }
    }
    assert!(!keys.contains(&PageKey::Rollup("xian".into(), 2023)));
    let keys = touched(
        &portal,
        &Change::Reports {
            slug: "jiaoyu",
            years: &[2023],
        },
    );
    assert!(keys.contains(&PageKey::Rollup("xian".into(), 2023)));
    assert!(!keys.contains(&PageKey::Rollup("zhen".into(), 2023)));
    // An agency's own report is in its own roll-up.
    for (slug, above) in [("zhen", &["zhen", "xian"][..]), ("xian", &["xian"][..])] {
        let keys = touched(&portal, &Change::Reports { slug, years: &[2023] });
        for a in above {
            assert!(keys.contains(&PageKey::Rollup(a.to_string(), 2023)), "{slug}: {a}");
            assert!(keys.contains(&PageKey::RollupCsv(a.to_string(), 2023)), "{slug}: {a}");
        }
    }
}
