//! `gongkai import` on many files at once: folders walked (recursively,
//! sorted, hidden files and other kinds of file skipped), each file imported
//! on its own (one failing stops no other), the summary table or JSON in the
//! order given, the exit status the worst file's, and the old `--format
//! gov-2021` still taken as `--report-format`.

use std::path::Path;

use predicates::str::contains;

mod common;
use common::import::{gongkai, site};
use common::import_fixture as fixture;

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap();
}

/// tabs.txt with another agency and year: a report of its own.
fn variant(agency: &str, year: i32) -> String {
    let text = std::fs::read_to_string(fixture("tabs.txt")).unwrap();
    text.replace("示例县交通运输局", agency)
        .replace("2023年度", &format!("{year}年度"))
        .replace("2024年1月15日", &format!("{}年1月15日", year + 1))
}

/// A folder of reports: two good ones (one in a sub-folder, one .md), one
/// that is not a report (a web page), one without a date (a draft), and
/// files that are skipped (hidden, hidden folder, another kind).
fn inbox() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    copy(&fixture("gov-2019.txt"), &p.join("a-2019.txt"));
    copy(&fixture("tabs.txt"), &p.join("sub/b-tabs.md"));
    std::fs::write(
        p.join("c-minutes.html"),
        "<html><body><p>会议纪要</p><p>散会。</p></body></html>",
    )
    .unwrap();
    // Without a date, and of another agency than b-tabs.md.
    let no_date = std::fs::read_to_string(common::fixture("import-meta/no-date.txt")).unwrap();
    std::fs::write(
        p.join("d-no-date.TXT"),
        no_date.replace("示例县交通运输局", "示例县统计局"),
    )
    .unwrap();
    copy(&fixture("freeform-2017.txt"), &p.join(".hidden.txt"));
    copy(&fixture("freeform-2017.txt"), &p.join(".drafts/e.txt"));
    std::fs::write(p.join("notes.csv"), "a,b\n").unwrap();
    dir
}

#[test]
fn a_folder_is_imported_file_by_file_with_a_summary() {
    let site = site();
    let inbox = inbox();
    let out = gongkai(site.path())
        .arg("import")
        .arg(inbox.path())
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let rows: Vec<&str> = stdout.lines().collect();
    assert!(rows[0].starts_with("file") && rows[0].contains("status"), "{stdout}");
    // One row per file, sorted; skipped files nowhere.
    let names = ["a-2019.txt", "c-minutes.html", "d-no-date.TXT", "b-tabs.md"];
    assert_eq!(rows.len(), 1 + 4 + 1, "{stdout}");
    assert!(rows[1].contains(names[0]) && rows[1].contains("imported") && rows[1].contains("示例市生态环境局"));
    assert!(rows[1].contains("2020"));
    assert!(rows[2].contains(names[1]) && rows[2].contains("refused") && rows[2].contains("reporting year"));
    assert!(rows[3].contains(names[2]) && rows[3].contains("draft") && rows[3].contains("fill in published"));
    assert!(rows[4].contains(names[3]) && rows[4].contains("imported") && rows[4].contains("示例县交通运输局"));
    assert!(!stdout.contains("hidden") && !stdout.contains("e.txt") && !stdout.contains("notes.csv"));
    assert!(
        stdout.contains("3 imported (1 as drafts), 1 refused, 0 errors"),
        "{stdout}"
    );
    // The cells column counts the numbers written: table 二 to 四.
    let cells = |row: &str| row.split_whitespace().nth(4).unwrap().parse::<usize>().unwrap();
    assert!(cells(rows[4]) > 150, "{}", rows[4]);
    // The details on stderr, in the same order.
    let at = |s: &str| stderr.find(s).unwrap_or_else(|| panic!("{s} not in:\n{stderr}"));
    assert!(at("c-minutes.html") < at("d-no-date.TXT"));
    for rel in [
        "content/reports/shilishi-shengtaihuanjingju/2020.md",
        "content/reports/shilixian-jiaotongyunshuju/2023.md",
    ] {
        assert!(site.path().join(rel).is_file(), "{rel}");
    }
    assert!(
        !site.path().join("content/reports/shilixian").exists(),
        "a hidden file was imported"
    );
}

#[test]
fn json_gives_the_same_in_stable_keys() {
    let site = site();
    let inbox = inbox();
    let out = gongkai(site.path())
        .args(["import", "--format", "json"])
        .arg(inbox.path())
        .assert()
        .code(1)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    let status: Vec<&str> = files.iter().map(|f| f["status"].as_str().unwrap()).collect();
    assert_eq!(status, ["imported", "refused", "imported", "imported"]);
    let a = &files[0];
    assert!(a["file"].as_str().unwrap().ends_with("a-2019.txt"));
    assert_eq!(a["agency"], "示例市生态环境局");
    assert_eq!(a["year"], 2020);
    assert_eq!(a["format"], "gov-2019");
    assert_eq!(a["published"], "2021-01-25");
    assert_eq!(a["draft"], false);
    assert!(a["path"]
        .as_str()
        .unwrap()
        .ends_with("shilishi-shengtaihuanjingju/2020.md"));
    assert!(a["cells"].as_u64().unwrap() > 0);
    assert!(a["warnings"].is_array());
    assert!(a["error"].is_null());
    let refused = &files[1];
    assert!(refused["error"]
        .as_str()
        .unwrap()
        .contains("reporting year was not found"));
    assert!(refused["path"].is_null() && refused["agency"].is_null());
    let draft = &files[2];
    assert_eq!(draft["draft"], true);
    assert_eq!(draft["missing"], serde_json::json!(["published"]));
    assert!(draft["published"].is_null());
    assert!(draft["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w.as_str().unwrap().contains("R06")));
    assert_eq!(
        (&v["imported"], &v["drafts"], &v["refused"], &v["errors"]),
        (
            &serde_json::json!(3),
            &serde_json::json!(1),
            &serde_json::json!(1),
            &serde_json::json!(0)
        )
    );
    // One file in JSON too.
    let out = gongkai(site.path())
        .args(["import", "--format", "json", "--out"])
        .arg(site.path().join("elsewhere"))
        .arg(fixture("tabs.txt"))
        .assert()
        .code(0)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"][0]["status"], "imported");
}

#[test]
fn all_imported_clean_is_status_0_and_an_existing_file_fails_only_itself() {
    let site = site();
    let inbox = tempfile::tempdir().unwrap();
    copy(&fixture("gov-2019.txt"), &inbox.path().join("a.txt"));
    copy(&fixture("tabs.txt"), &inbox.path().join("b.txt"));
    gongkai(site.path())
        .arg("import")
        .arg(inbox.path().join("a.txt"))
        .assert()
        .code(0);
    // a.txt's report exists now: that file fails (status 2), b.txt imports.
    gongkai(site.path())
        .arg("import")
        .arg(inbox.path())
        .assert()
        .code(2)
        .stdout(contains("exists already"))
        .stdout(contains("1 imported (0 as drafts), 0 refused, 1 error"))
        .stderr(contains("exists already"));
    assert!(site
        .path()
        .join("content/reports/shilixian-jiaotongyunshuju/2023.md")
        .is_file());
    // Many files named one by one, all clean: 0.
    let other = site.path().join("other");
    gongkai(site.path())
        .args(["import", "--out"])
        .arg(&other)
        .arg(inbox.path().join("a.txt"))
        .arg(inbox.path().join("b.txt"))
        .assert()
        .code(0)
        .stdout(contains("2 imported (0 as drafts), 0 refused, 0 errors"));
}

#[test]
fn the_same_report_twice_in_one_run_is_written_once() {
    let site = site();
    let inbox = tempfile::tempdir().unwrap();
    copy(&fixture("tabs.txt"), &inbox.path().join("1.txt"));
    copy(&fixture("page-break.txt"), &inbox.path().join("2.txt"));
    gongkai(site.path())
        .arg("import")
        .arg(inbox.path())
        .assert()
        .code(2)
        .stdout(contains("1.txt wrote it in this run"));
}

#[test]
fn many_files_in_parallel_are_reported_in_order() {
    let site = site();
    let inbox = tempfile::tempdir().unwrap();
    let agencies = [
        "示例县财政局",
        "示例县教育局",
        "示例县民政局",
        "示例县司法局",
        "示例县审计局",
        "示例县林业局",
        "示例县水务局",
        "示例县商务局",
    ];
    let mut expected = Vec::new();
    for (k, agency) in agencies.iter().enumerate() {
        for year in [2021, 2022, 2023] {
            let name = format!("{k:02}-{year}.txt");
            std::fs::write(inbox.path().join(&name), variant(agency, year)).unwrap();
            expected.push((name, agency.to_string(), year));
        }
    }
    let out = gongkai(site.path())
        .args(["import", "--format", "json"])
        .arg(inbox.path())
        .assert()
        .code(0)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(String, String, i64)> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            let name = Path::new(file).file_name().unwrap().to_string_lossy().into_owned();
            (
                name,
                f["agency"].as_str().unwrap().to_string(),
                f["year"].as_i64().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, String, i64)> = expected.into_iter().map(|(n, a, y)| (n, a, y as i64)).collect();
    assert_eq!(got, expected);
}

#[test]
fn the_old_format_option_is_still_the_report_format() {
    let site = site();
    // --format gov-2019 as before: the report's format, with a note.
    gongkai(site.path())
        .args(["import", "--format", "gov-2019"])
        .arg(fixture("gov-2019.txt"))
        .assert()
        .code(0)
        .stdout(contains("gov-2019"))
        .stderr(contains("--report-format gov-2019"));
    // --report-format is the new name; the wrong format still fails.
    gongkai(site.path())
        .args(["import", "--report-format", "gov-2019", "--out"])
        .arg(site.path().join("out"))
        .arg(fixture("tabs.txt"))
        .assert()
        .code(1)
        .stderr(contains("gov-2021"));
    // Both at once, disagreeing: a usage error.
    gongkai(site.path())
        .args(["import", "--format", "gov-2019", "--report-format", "gov-2021"])
        .arg(fixture("tabs.txt"))
        .assert()
        .code(2)
        .stderr(contains("disagree"));
    // Every option has a help line, and FILES says what is read.
    let help = gongkai(site.path())
        .args(["import", "-h"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains(".txt/.md (UTF-8, UTF-16, GBK), .html/.htm, .pdf, .docx, or folders"));
    for option in [
        "--out",
        "--agency-slug",
        "--report-format",
        "--format",
        "--agency",
        "--year",
        "--published",
        "--level",
    ] {
        let line = (help.lines())
            .find(|l| l.trim_start().starts_with(&format!("{option} <")))
            .unwrap_or_else(|| panic!("{option} not in:\n{help}"));
        let described = line.split_once('>').is_some_and(|(_, text)| text.trim().len() > 10);
        assert!(described, "{option} has no help line:\n{help}");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_folder_is_never_opened() {
    let site = site();
    let inbox = tempfile::tempdir().unwrap();
    copy(&fixture("tabs.txt"), &inbox.path().join("a.txt"));
    let fifo = inbox.path().join("b.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("no mkfifo: skipped");
        return;
    }
    gongkai(site.path())
        .arg("import")
        .arg(inbox.path())
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(0)
        .stdout(contains("1 imported"));
}

#[test]
fn the_output_folder_inside_the_folder_is_not_imported_again() {
    let site = site();
    let inbox = tempfile::tempdir().unwrap();
    copy(&fixture("tabs.txt"), &inbox.path().join("a.txt"));
    copy(&fixture("gov-2019.txt"), &inbox.path().join("b.txt"));
    let out = inbox.path().join("out");
    let run = || {
        let mut c = gongkai(site.path());
        c.args(["import", "--format", "json", "--out"])
            .arg(&out)
            .arg(inbox.path());
        c
    };
    run().assert().code(0);
    assert!(out.join("shilixian-jiaotongyunshuju/2023.md").is_file());
    // Again: the written .md files are not taken for reports; a.txt and
    // b.txt fail alone, their files existing.
    let again = run().assert().code(2).get_output().clone();
    let v: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    let files: Vec<&str> = (v["files"].as_array().unwrap().iter())
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files.iter().all(|f| !f.contains("/out/")), "{files:?}");
}
