//! `gongkai import` on the command line: where it writes, what it prints,
//! and its exit status (0 imported and checked, 1 content, 2 usage/IO).

use predicates::str::contains;

mod common;
use common::import::{gongkai, site};
use common::{import_fixture as fixture, seed};

#[test]
fn the_seed_imports_into_the_site_and_checks() {
    let dir = site();
    gongkai(dir.path())
        .arg("import")
        .arg(seed())
        .assert()
        .code(0)
        .stdout(contains("suibinxian-zhongrenzhen/2023.md"))
        .stdout(contains("gov-2021, 绥滨县忠仁镇人民政府 2023, published 2024-01-05"))
        .stderr(contains("warning[import]"))
        .stderr(contains("行政复议"));
    let written = dir.path().join("content/reports/suibinxian-zhongrenzhen/2023.md");
    let text = std::fs::read_to_string(&written).unwrap();
    assert!(text.contains("review:                   [null, null, null, null, null]"));
    gongkai(dir.path()).arg("check").arg("--strict").assert().code(0);
    // Never overwritten: a second import stops with status 2.
    gongkai(dir.path())
        .arg("import")
        .arg(seed())
        .assert()
        .code(2)
        .stderr(contains("exists already"));
    assert_eq!(std::fs::read_to_string(&written).unwrap(), text);
}

#[test]
fn out_and_agency_slug_choose_the_path() {
    let dir = site();
    let out = dir.path().join("elsewhere");
    gongkai(dir.path())
        .args(["import", "--agency-slug", "zhongren", "--out"])
        .arg(&out)
        .arg(seed())
        .assert()
        .code(0);
    assert!(out.join("zhongren/2023.md").is_file());
    assert!(!dir.path().join("content").exists());
    gongkai(dir.path())
        .args(["import", "--agency-slug", "Zhong Ren"])
        .arg(seed())
        .assert()
        .code(2)
        .stderr(contains("[a-z0-9-]+"));
}

#[test]
fn several_files_in_one_run() {
    let dir = site();
    gongkai(dir.path())
        .arg("import")
        .arg(fixture("tabs.txt"))
        .arg(fixture("gov-2019.txt"))
        .arg(fixture("freeform-2017.txt"))
        .assert()
        .code(0);
    for rel in [
        "content/reports/shilixian-jiaotongyunshuju/2023.md",
        "content/reports/shilishi-shengtaihuanjingju/2020.md",
        "content/reports/shilixian/2017.md",
    ] {
        assert!(dir.path().join(rel).is_file(), "{rel}");
    }
}

#[test]
fn unimportable_files_give_status_1_and_source_failures_are_warnings() {
    let dir = site();
    // Not a report: nothing written.
    gongkai(dir.path())
        .arg("import")
        .arg(fixture("not-a-report.txt"))
        .assert()
        .code(1)
        .stderr(contains("reporting year was not found"))
        .stderr(contains("nothing was written"));
    // Published numbers that fail the checks: written as published, and the
    // source's own failures reported as warnings on the imported file; the
    // import itself succeeded.
    gongkai(dir.path())
        .arg("import")
        .arg(fixture("blank-cells.txt"))
        .assert()
        .code(0)
        .stderr(contains("warning[R01]"))
        .stderr(contains("written as they are"));
    // `check` still counts them as errors until someone corrects the source.
    gongkai(dir.path())
        .arg("check")
        .assert()
        .code(1)
        .stdout(contains("error[R01]"));
    assert!(dir
        .path()
        .join("content/reports/shilixian-jiaotongyunshuju/2023.md")
        .is_file());
    // The worst status of several files wins.
    gongkai(dir.path())
        .arg("import")
        .arg(fixture("gov-2019.txt"))
        .arg(fixture("not-a-report.txt"))
        .assert()
        .code(1);
}

#[test]
fn overrides_for_what_the_text_lacks() {
    let dir = site();
    gongkai(dir.path())
        .args([
            "import",
            "--agency",
            "示例县档案馆",
            "--year",
            "2023",
            "--published",
            "2024-01-10",
            "--level",
            "department",
        ])
        .arg(fixture("not-a-report.txt"))
        .assert()
        .code(0)
        .stdout(contains("freeform"));
    assert!(dir
        .path()
        .join("content/reports/shilixian-danganguan/2023.md")
        .is_file());
}

#[test]
fn usage_and_io_errors_give_status_2() {
    let dir = site();
    gongkai(dir.path())
        .arg("import")
        .arg(dir.path().join("missing.txt"))
        .assert()
        .code(2);
    gongkai(dir.path())
        .args(["import", "--published", "2024-13-01"])
        .arg(seed())
        .assert()
        .code(2);
    gongkai(dir.path())
        .args(["import", "--format", "gov-2020"])
        .arg(seed())
        .assert()
        .code(2);
}
