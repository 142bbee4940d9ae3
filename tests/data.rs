//! Open data outputs: every JSON and CSV value equals the number in the
//! content file (read here straight from its YAML, not through the report
//! model), the data package describes the files that exist, and pages link
//! their data.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gongkai::build::BuildOptions;
use gongkai::frontmatter::{self, Node, Value};

mod common;
use common::{copy_dir, fixture};

/// Builds `site` into a temporary folder; returns it (kept alive) and the output.
fn build(site: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let opts = BuildOptions {
        output: Some(out.clone()),
        ..BuildOptions::default()
    };
    let outcome = gongkai::build::build(site, &opts, false, &|_, _| {}).unwrap();
    assert!(outcome.summary.is_some(), "{}", outcome.site.render_diagnostics(false));
    (dir, out)
}

/// The front matter of a content file as a tree.
fn yaml(path: &Path) -> Node {
    let text = std::fs::read_to_string(path).unwrap();
    let split = frontmatter::split(&text).unwrap();
    frontmatter::parse(split.yaml, split.yaml_line).unwrap()
}

fn get<'a>(node: &'a Node, path: &str) -> Option<&'a Node> {
    let mut n = node;
    for key in path.split('.') {
        let Value::Map(m) = &n.value else { return None };
        n = &m.iter().find(|(k, _)| k == key)?.1;
    }
    Some(n)
}

/// The number written in the YAML at `path` (a row's element `col`, or a
/// scalar / mapping field), as the text the data files must hold.
fn yaml_value(node: &Node, path: &str, col: Option<usize>) -> String {
    let n = get(node, path).unwrap_or_else(|| panic!("{path} in the fixture"));
    let n = match (col, &n.value) {
        (Some(c), Value::Seq(items)) => &items[c],
        _ => n,
    };
    match &n.value {
        Value::Null => String::new(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        other => panic!("{path}: {other:?}"),
    }
}

/// The CSV rows of a file (after its BOM) as maps from header to value.
fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "{} starts with a BOM",
        path.display()
    );
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers.iter().cloned().zip(rec.iter().map(str::to_string)).collect()
        })
        .collect()
}

/// Where a data cell's number is written in the content file.
fn source_path(table: &str, row_key: &str, column_key: &str, column_index: usize) -> (String, Option<usize>) {
    match table {
        // Scalars (`licensing: 3`) or mappings (`rules: {issued: …}`).
        "proactive" if ["licensing", "penalty", "coercion", "fees"].contains(&row_key) => {
            (format!("proactive.{row_key}"), None)
        }
        "proactive" => (format!("proactive.{row_key}.{column_key}"), None),
        _ => (format!("{table}.{row_key}"), Some(column_index)),
    }
}

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

fn column_index(table: &str, column_key: &str) -> usize {
    let cols: &[&str] = if table == "requests" {
        &REQUEST_COLUMNS
    } else {
        &APPEAL_COLUMNS
    };
    cols.iter().position(|c| *c == column_key).unwrap_or(0)
}

#[test]
fn every_csv_and_json_value_equals_the_content_file() {
    let site = fixture("build-numbers");
    let (_keep, out) = build(&site);
    let src = yaml(&site.join("content/reports/shuzi/2023.md"));

    // The agency's JSON: the report among its reports, every value under
    // `tables.<table>.<row_key>.<column_key>`, no labels.
    let doc: serde_json::Value =
        common::keyed(&serde_json::from_slice(&std::fs::read(out.join("data/agencies/shuzi.json")).unwrap()).unwrap());
    assert_eq!(doc["agency_slug"], "shuzi");
    assert_eq!(doc["labels"], "../labels.json");
    assert_eq!(doc["url"], "agencies/shuzi/");
    let json = doc["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["year"] == 2023)
        .expect("the 2023 report");
    assert_eq!(json["agency"], "测试县数字局");
    assert_eq!(json["agency_slug"], "shuzi");
    assert_eq!(json["published"], "2024-01-20");
    assert_eq!(json["url"], "reports/shuzi/2023/");
    assert_eq!(json["format"], "gov-2021");
    let mut checked = 0;
    for (table, rows) in json["tables"].as_object().unwrap() {
        for (row_key, row) in rows.as_object().unwrap() {
            for (col, v) in row.as_object().unwrap() {
                let (path, index) = source_path(table, row_key, col, column_index(table, col));
                let got = if v.is_null() { String::new() } else { v.to_string() };
                assert_eq!(got, yaml_value(&src, &path, index), "{table}.{row_key}.{col}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 10 + 25 * 7 + 3 * 5);
    // The rows whose 总计 the file does not write (gongkai computed it).
    assert_eq!(totals_computed(json), totals_not_written(&src, json));

    // The wide CSVs: the report's row holds every cell under its column name.
    for file in ["data/all.csv", "data/years/2023.csv"] {
        let rows = csv_rows(&out.join(file));
        let row = rows.iter().find(|r| r["agency_slug"] == "shuzi").unwrap();
        assert_eq!(row["year"], "2023");
        assert_eq!(row["published"], "2024-01-20");
        let mut n = 0;
        for (name, value) in row.iter().filter(|(k, _)| k.contains('.')) {
            let (table, rest) = name.split_once('.').unwrap();
            let (row_key, col) = rest.rsplit_once('.').unwrap();
            let (path, index) = source_path(table, row_key, col, column_index(table, col));
            assert_eq!(value, &yaml_value(&src, &path, index), "{file}: {name}");
            n += 1;
        }
        assert_eq!(n, 10 + 25 * 7 + 3 * 5, "{file}");
    }
}

/// A report's `totals_computed` in its agency's JSON.
fn totals_computed(report: &serde_json::Value) -> Vec<String> {
    report["totals_computed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect()
}

/// The rows of table 三 (those of the report's JSON, in its order) whose
/// 总计 the content file does not write: a row of 6 numbers, or no row.
fn totals_not_written(src: &Node, report: &serde_json::Value) -> Vec<String> {
    report["tables"]["requests"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|key| match get(src, &format!("requests.{key}")).map(|n| &n.value) {
            Some(Value::Seq(items)) => items.len() < 7,
            _ => true,
        })
        .cloned()
        .collect()
}

/// A row of table 三 written without its 总计 is listed in the agency
/// JSON's `totals_computed`, and its computed total is the JSON's number.
#[test]
fn totals_the_file_does_not_write_are_listed_as_computed() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&fixture("build-numbers"), &site);
    let path = site.join("content/reports/shuzi/2023.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen(
        "[232, 287, 239, 261, 301, 98, 1418]",
        "[232, 287, 239, 261, 301, 98]",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&path, edited).unwrap();
    let (_keep, out) = build(&site);
    let doc: serde_json::Value =
        common::keyed(&serde_json::from_slice(&std::fs::read(out.join("data/agencies/shuzi.json")).unwrap()).unwrap());
    let report = &doc["reports"][0];
    assert_eq!(totals_computed(report), ["granted"]);
    assert_eq!(totals_computed(report), totals_not_written(&yaml(&path), report));
    assert_eq!(report["tables"]["requests"]["granted"]["total"], 1418);
}

/// `labels.json` holds the labels of `report::labels`, once per format; the
/// agency files and the wide CSVs use its keys; the per-report files of
/// old are not written.
#[test]
fn labels_are_written_once_and_reports_have_no_files_of_their_own() {
    use gongkai::report::labels::{APPEAL_COLUMNS, REQUEST_COLUMNS, TABLE_2, TABLE_3, TABLE_4};
    use gongkai::report::Format;

    let (_keep, out) = build(&fixture("build-aggregate"));
    let labels: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/labels.json")).unwrap()).unwrap();
    for format in [Format::Gov2021, Format::Gov2019] {
        let f = &labels["formats"][format.key()];
        assert_eq!(f["proactive"]["label"], TABLE_2);
        assert_eq!(f["requests"]["label"], TABLE_3);
        assert_eq!(f["appeals"]["label"], TABLE_4);
        let column_labels = |table: &str| -> Vec<String> {
            f[table]["columns"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["label"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(column_labels("requests"), REQUEST_COLUMNS);
        assert_eq!(column_labels("appeals"), APPEAL_COLUMNS);
        let rows = f["requests"]["rows"].as_array().unwrap();
        assert_eq!(rows.len(), format.request_rows().len());
        for (row, def) in rows.iter().zip(format.request_rows()) {
            assert_eq!(row["key"], def.path());
            assert_eq!(row["label"], def.label);
            assert_eq!(row["full_label"], def.full_label());
        }
        let items = f["proactive"]["rows"].as_array().unwrap();
        assert_eq!(items.len(), format.proactive_items().len());
        for (item, def) in items.iter().zip(format.proactive_items()) {
            assert_eq!(item["key"], def.key);
            assert_eq!(item["label"], def.label);
            assert_eq!(item["block"], def.block);
            let fields = item["fields"].as_array().unwrap();
            assert_eq!(fields.len(), def.fields.len());
            for (field, f) in fields.iter().zip(def.fields) {
                assert_eq!(field["key"], f.key);
                assert_eq!(field["label"], f.label);
            }
        }
    }
    // Every cell of every agency file is named in labels.json, and is a
    // column of the wide CSV.
    let header = csv_rows(&out.join("data/all.csv"));
    let files = walk(&out.join("data"));
    let mut cells = 0;
    for file in files
        .iter()
        .filter(|f| f.starts_with("agencies/") && f.ends_with(".json"))
    {
        let doc: serde_json::Value =
            common::keyed(&serde_json::from_slice(&std::fs::read(out.join("data").join(file)).unwrap()).unwrap());
        assert!(!doc.to_string().contains(TABLE_3), "{file}: no labels");
        for report in doc["reports"].as_array().unwrap() {
            let Some(tables) = report["tables"].as_object() else {
                continue;
            };
            let f = &labels["formats"][report["format"].as_str().unwrap()];
            for (table, rows) in tables {
                for (row_key, row) in rows.as_object().unwrap() {
                    let def = f[table]["rows"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|r| r["key"] == *row_key);
                    assert!(def.is_some(), "{file}: {table}.{row_key} in labels.json");
                    for col in row.as_object().unwrap().keys() {
                        let name = format!("{table}.{row_key}.{col}");
                        assert!(header[0].contains_key(&name), "{file}: {name} in all.csv");
                        cells += 1;
                    }
                }
            }
        }
    }
    assert!(cells > 400, "{cells}");
    // No file per report any more, and no CSV per agency (its rows are
    // in all.csv and the year files).
    assert!(!out.join("data/reports").exists(), "{files:?}");
    let agency_csv: Vec<String> = walk(&out.join("data/agencies"))
        .into_iter()
        .filter(|f| !f.ends_with(".json"))
        .collect();
    assert!(agency_csv.is_empty(), "{agency_csv:?}");
}

#[test]
fn the_data_package_describes_the_files_that_exist() {
    let site = fixture("build-aggregate");
    let (_keep, out) = build(&site);
    let data = out.join("data");
    let pkg: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("datapackage.json")).unwrap()).unwrap();
    assert_eq!(pkg["profile"], "tabular-data-package");
    let resources = pkg["resources"].as_array().unwrap();
    let mut csv_files: Vec<String> = walk(&data).into_iter().filter(|p| p.ends_with(".csv")).collect();
    csv_files.sort();
    let mut described: Vec<String> = resources
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect();
    described.sort();
    assert_eq!(
        described, csv_files,
        "every CSV file is a resource, and every resource a file"
    );
    for r in resources {
        // A shared schema file by path, or inline (compliance.csv's).
        let schema: serde_json::Value = match r["schema"].as_str() {
            Some(schema_path) => serde_json::from_slice(&std::fs::read(data.join(schema_path)).unwrap()).unwrap(),
            None => r["schema"].clone(),
        };
        let fields: Vec<&str> = schema["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        let rows = csv_rows(&data.join(r["path"].as_str().unwrap()));
        let header: Vec<&str> = rows[0].keys().map(String::as_str).collect();
        let mut sorted = fields.clone();
        sorted.sort_unstable();
        assert_eq!(
            header, sorted,
            "{}: the schema's fields are the file's columns",
            r["path"]
        );
        for key in schema["primaryKey"].as_array().unwrap() {
            assert!(fields.contains(&key.as_str().unwrap()));
        }
    }
}

#[test]
fn report_year_and_agency_pages_link_their_data() {
    let site = fixture("build-aggregate");
    let (_keep, out) = build(&site);
    let pages = walk(&out);
    let report = pages
        .iter()
        .find(|p| p.starts_with("reports/") && p.ends_with("index.html") && p.matches('/').count() == 3)
        .unwrap();
    let agency = pages
        .iter()
        .find(|p| p.starts_with("agencies/") && p.matches('/').count() == 2)
        .unwrap();
    let year = pages
        .iter()
        .find(|p| p.starts_with("years/") && p.matches('/').count() == 2)
        .unwrap();
    for page in [report, agency, year] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(html.contains("<link rel=\"alternate\" type=\""), "{page}");
        assert!(html.contains("class=\"data-links\""), "{page}");
        // The linked files exist.
        for href in html.split("href=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]) {
            if href.contains("data/") {
                let target = Path::new(page).parent().unwrap().join(href);
                let mut clean = PathBuf::new();
                for c in target.components() {
                    match c {
                        std::path::Component::ParentDir => {
                            clean.pop();
                        }
                        other => clean.push(other),
                    }
                }
                // A folder link (the open data's index, `data/`) is its index.html.
                if href.ends_with('/') {
                    clean.push("index.html");
                }
                assert!(out.join(&clean).is_file(), "{page} links {href}");
            }
        }
    }
}

#[test]
fn data_outputs_can_be_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&fixture("build-aggregate"), &site);
    let toml = std::fs::read_to_string(site.join("site.toml")).unwrap();
    std::fs::write(
        site.join("site.toml"),
        format!("{toml}\n[outputs]\ndata = false\nsearch = false\n"),
    )
    .unwrap();
    let (_keep, out) = build(&site);
    assert!(!out.join("data").exists());
    assert!(!out.join("search").exists());
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!html.contains("search/"), "no link to a search page that is not built");
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            out.push(e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"));
        }
    }
    out
}

#[test]
fn a_page_over_a_generated_page_or_folder_is_refused() {
    for (page, file) in [
        ("compare.md", "compare/index.html"),
        ("data/notes.md", "data/notes/index.html"),
        // The folder index pages are generated pages too.
        ("years.md", "years/index.html"),
        ("data.md", "data/index.html"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        copy_dir(&fixture("build-aggregate"), &site);
        let path = site.join("content").join(page);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "---\ntitle: 冲突\n---\n正文\n").unwrap();
        let opts = BuildOptions {
            output: Some(dir.path().join("public")),
            ..BuildOptions::default()
        };
        let outcome = gongkai::build::build(&site, &opts, false, &|_, _| {}).unwrap();
        assert!(outcome.summary.is_none(), "{page} must stop the build");
        let d = outcome
            .site
            .diagnostics
            .iter()
            .find(|d| d.id == gongkai::rules::Rule::F07)
            .expect("an F07");
        assert_eq!(d.file, format!("content/{page}"));
        assert!(d.message.contains(file), "{}", d.message);
    }
}

/// A text that a spreadsheet would read as a formula is neutralised in every
/// CSV file (a `'` in front, the OWASP way) and kept exactly in the JSON;
/// numbers, negative ones included, are written as they are.
#[test]
fn formula_text_is_neutralised_in_csv_only() {
    use gongkai::report::{Format, Level};
    use gongkai::scaffold::{report_file, ReportFile};

    const HYPERLINK: &str = r#"=HYPERLINK("http://x","y")"#;
    const SUM: &str = "@SUM(1)";
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&fixture("build-aggregate"), &site);
    // Agency names and regions that open with each character a spreadsheet
    // takes for a formula; a gov-2019 report with a negative 本年增/减.
    let jia = site.join("content/reports/jia/2023.md");
    let text = std::fs::read_to_string(&jia).unwrap();
    let (old_agency, _) = text.split_once("agency: ").unwrap().1.split_once('\n').unwrap();
    let text = text.replacen(
        &format!("agency: {old_agency}\n"),
        &format!("agency: '{HYPERLINK}'\nregion: \"+86\\t1\"\n"),
        1,
    );
    std::fs::write(&jia, text).unwrap();
    let published = chrono::NaiveDate::from_ymd_opt(2020, 1, 20).unwrap();
    let file = report_file(&ReportFile {
        format: Format::Gov2019,
        agency: Some(SUM),
        slug: "sum",
        year: 2019,
        level: Level::Department,
        published: Some(published),
        draft: false,
        title: None,
        source: None,
        numbers: None,
        body: Some("## 一、总体情况\n\n正文。\n"),
    });
    let file = file.replacen("change: 0", "change: -3", 1);
    let file = file.replacen("agency_slug: sum", "agency_slug: sum\nregion: '-1'", 1);
    assert!(file.contains("change: -3") && file.contains("region: '-1'"), "{file}");
    std::fs::create_dir_all(site.join("content/reports/sum")).unwrap();
    std::fs::write(site.join("content/reports/sum/2019.md"), file).unwrap();
    let (_keep, out) = build(&site);

    // Every wide CSV that has the reports' rows.
    let mut seen = 0;
    for file in walk(&out.join("data")).into_iter().filter(|f| f.ends_with(".csv")) {
        for row in csv_rows(&out.join("data").join(&file)) {
            let Some(agency) = row.get("agency") else { break };
            match row["agency_slug"].as_str() {
                // One row per agency × year, without the report's columns:
                // its names go through the same guard.
                "jia" | "sum" if file == "compliance.csv" => {
                    assert!(
                        agency == &format!("'{HYPERLINK}") || agency == &format!("'{SUM}"),
                        "{file}: {agency}"
                    );
                }
                "jia" => {
                    assert_eq!(agency, &format!("'{HYPERLINK}"), "{file}");
                    assert_eq!(row["region"], "'+86\t1", "{file}");
                    seen += 1;
                }
                "sum" => {
                    assert_eq!(agency, &format!("'{SUM}"), "{file}");
                    assert_eq!(row["region"], "'-1", "{file}");
                    assert_eq!(
                        row["proactive.licensing.change"], "-3",
                        "{file}: a number stays a number"
                    );
                    seen += 1;
                }
                _ => {}
            }
            // No text field of any row opens with a formula character.
            for (k, v) in &row {
                assert!(
                    !v.starts_with(['=', '+', '@', '\t', '\r']) && (!v.starts_with('-') || v.parse::<f64>().is_ok()),
                    "{file}: {k} = {v:?}"
                );
            }
        }
    }
    // all.csv and the year's file, for each of the two.
    assert_eq!(seen, 4);
    // JSON keeps the exact text, and the negative number as it is.
    for (slug, year, agency) in [("jia", 2023, HYPERLINK), ("sum", 2019, SUM)] {
        let json: serde_json::Value = common::keyed(
            &serde_json::from_slice(&std::fs::read(out.join(format!("data/agencies/{slug}.json"))).unwrap()).unwrap(),
        );
        assert_eq!(json["agency"], agency);
        let report = json["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["year"] == year)
            .unwrap();
        assert_eq!(report["agency"], agency);
        if slug == "sum" {
            assert_eq!(report["region"], "-1");
            assert_eq!(report["tables"]["proactive"]["licensing"]["change"], -3);
        }
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/key-figures.json")).unwrap()).unwrap();
    let names: Vec<&str> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[1].as_str().unwrap())
        .collect();
    assert!(names.contains(&HYPERLINK) && names.contains(&SUM), "{names:?}");
}
