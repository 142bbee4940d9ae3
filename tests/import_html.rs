//! `gongkai import` on web pages, end to end through the binary: the pages
//! of `tests/fixtures/import-html/` (written by its `make_fixtures.py` the
//! way disclosure sites publish reports, and one real report's markup) are
//! imported with `--out DIR --agency-slug x`, and every cell of the written
//! file is compared with `<page>.expected.yaml`. Also: HTML saved as .txt or
//! without an extension, and a page built by `gongkai build` imported back.

use std::path::{Path, PathBuf};

use serde_yaml::Value;

mod common;

fn page(name: &str) -> PathBuf {
    common::fixture("import-html").join(name)
}

/// Imports `source` into a fresh folder; the written file's front matter,
/// or the command's stderr when it failed.
fn import(source: &Path, extra: &[&str]) -> Result<Value, String> {
    let run = common::import::import_out(source, extra, std::time::Duration::from_secs(120));
    if run.code != Some(0) {
        return Err(format!("status {:?}: {}", run.code, run.stderr));
    }
    let text = run
        .written
        .first()
        .ok_or(format!("nothing written; stderr: {}", run.stderr))?;
    Ok(common::import::front_matter(text).expect("front matter"))
}

/// Every difference between `got` and `want`, by path: each key of `want`
/// (a number cell, a metadata field) must be in `got` with the same value.
fn differences(path: &str, got: Option<&Value>, want: &Value, out: &mut Vec<String>) {
    match (want, got) {
        (Value::Mapping(w), Some(Value::Mapping(g))) => {
            for (k, v) in w {
                let key = k.as_str().unwrap_or("?");
                differences(&format!("{path}.{key}"), g.get(k), v, out);
            }
        }
        (Value::Sequence(w), Some(Value::Sequence(g))) if w.len() == g.len() => {
            for (i, v) in w.iter().enumerate() {
                differences(&format!("{path}[{i}]"), g.get(i), v, out);
            }
        }
        (w, Some(g)) if scalar(w) == scalar(g) => {}
        (w, g) => out.push(format!(
            "{path}: want {}, got {}",
            scalar(w),
            g.map_or("nothing".into(), scalar)
        )),
    }
}

/// A scalar as text (`0.3521` and `"0.3521"`, `2024-01-18` as written).
fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => serde_yaml::to_string(other).unwrap_or_default().trim().to_string(),
    }
}

fn expected(name: &str) -> Value {
    let text = std::fs::read_to_string(page(&format!("{name}.expected.yaml"))).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// Imports fixture `name` and compares every cell with its expected file.
fn assert_imports(source: &Path, name: &str, extra: &[&str]) {
    let got = import(source, extra).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut diffs = Vec::new();
    differences("", Some(&got), &expected(name), &mut diffs);
    assert!(
        diffs.is_empty(),
        "{name}: {} cells differ:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

#[test]
fn a_cms_article_page_imports_cell_for_cell() {
    // Navigation, the 信息索引 table, hidden decoys, 上一篇/下一篇 and the
    // site footer around the report; &nbsp; blanks, <p><span> in cells, a
    // thousands separator, four decimals.
    assert_imports(&page("cms-2023.html"), "cms-2023.html", &[]);
}

#[test]
fn a_gb2312_table_layout_page_imports_cell_for_cell() {
    // Declared charset, upper-case tags, the page in layout tables, table
    // 三's header in two rows, 行政复议 all blank, <br> inside a label.
    let bytes = std::fs::read(page("fuxing-2022.htm")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "the fixture is GB2312, not UTF-8");
    assert_imports(&page("fuxing-2022.htm"), "fuxing-2022.htm", &[]);
}

#[test]
fn a_page_whose_title_is_a_picture_takes_the_title_element() {
    // The seed report; the only title text is <title>…_绥滨县人民政府</title>.
    assert_imports(&page("zhongren-2023.html"), "zhongren-2023.html", &[]);
}

#[test]
fn a_real_report_page_imports_cell_for_cell() {
    // 2019年上海市人民政府办公厅政府信息公开工作年度报告 (gov-2019), its
    // tables as published: table 二's cells are misaligned colspan=2 cells
    // under headers that span other columns, 采购总金额 is `251000元`.
    assert_imports(&page("shanghai-2019.html"), "shanghai-2019.html", &[]);
}

#[test]
fn html_saved_as_txt_or_without_extension_is_read_as_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let html = std::fs::read(page("cms-2023.html")).unwrap();
    for name in ["page.txt", "page"] {
        let path = dir.path().join(name);
        std::fs::write(&path, &html).unwrap();
        assert_imports(&path, "cms-2023.html", &[]);
    }
    // GB2312 with a browser's "saved from" comment before the doctype.
    let mut gbk = b"<!-- saved from url=(0040)http://www.suibin.gov.cn/fx/2022.htm -->\r\n".to_vec();
    gbk.extend(std::fs::read(page("fuxing-2022.htm")).unwrap());
    let path = dir.path().join("fuxing.txt");
    std::fs::write(&path, &gbk).unwrap();
    assert_imports(&path, "fuxing-2022.htm", &[]);
}

#[test]
fn a_built_report_page_imports_back_to_its_numbers() {
    let out = tempfile::tempdir().unwrap();
    common::import::bin()
        .arg("--root")
        .arg(common::fixture("valid"))
        .arg("build")
        .arg("-o")
        .arg(out.path())
        .assert()
        .code(0);
    let built = out.path().join("reports/ceshi/2023/index.html");
    let got = import(&built, &[]).unwrap();
    let source = std::fs::read_to_string(common::fixture("valid/content/reports/ceshi/2023.md")).unwrap();
    let mut want = common::import::front_matter(&source).expect("front matter");
    // What the file says of itself that a page does not show as such.
    if let Value::Mapping(m) = &mut want {
        m.remove("agency_slug");
    }
    let mut diffs = Vec::new();
    differences("", Some(&got), &want, &mut diffs);
    assert!(diffs.is_empty(), "{} cells differ:\n{}", diffs.len(), diffs.join("\n"));
}
