//! What `check`, `build`, `init` and `new report` print, in English and in
//! Chinese (issue 13, items 1, 5, 6, 7, 9, 11): snapshots of the whole
//! output of `check` and `build` on a fixture with an error and on a clean
//! one, in both languages; the drafts a build leaves out, the files that
//! could not be read, the `base_url = "/"` warning; `init`'s sample
//! checking clean; `new report`'s derived slug, options and refused years.
//! Times and temporary paths are replaced before a snapshot is compared.

use std::path::Path;

mod common;
use common::{copy_dir, fixture};

/// (status, stdout, stderr) of `gongkai ARGS…` in `lang` (`en` or `zh`,
/// given as `--lang`; the environment is English).
fn run(lang: &str, args: &[&str]) -> (i32, String, String) {
    let o = common::gongkai()
        .args(["--lang", lang])
        .args(args)
        .output()
        .expect("gongkai runs");
    (
        o.status.code().expect("an exit status"),
        String::from_utf8(o.stdout).expect("UTF-8 stdout"),
        String::from_utf8(o.stderr).expect("UTF-8 stderr"),
    )
}

/// The output with the seconds and the temporary folder replaced.
fn stable(text: &str, tmp: &Path) -> String {
    secs_replaced(&text.replace(&tmp.display().to_string(), "[TMP]"))
}

/// `0.25s` and `0.25 秒` as `[SECS]`: a hand-written scan, as no regex crate
/// is a dependency of the tests.
fn secs_replaced(text: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        // digits '.' digits followed by 's' or ' 秒'
        let start = i;
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        if j > start && j + 1 < chars.len() && chars[j] == '.' && chars[j + 1].is_ascii_digit() {
            let mut k = j + 1;
            while k < chars.len() && chars[k].is_ascii_digit() {
                k += 1;
            }
            let unit_s = k < chars.len() && chars[k] == 's';
            let unit_zh = k + 1 < chars.len() && chars[k] == ' ' && chars[k + 1] == '秒';
            if unit_s || unit_zh {
                out.push_str("[SECS]");
                i = k;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The whole output of one run, for a snapshot.
fn shown(code: i32, stdout: &str, stderr: &str, tmp: &Path) -> String {
    format!(
        "status: {code}\n--- stdout\n{}--- stderr\n{}",
        stable(stdout, tmp),
        stable(stderr, tmp)
    )
}

#[test]
fn check_and_build_output_in_both_languages() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    for lang in ["en", "zh"] {
        for site in ["r01-balance", "build-numbers"] {
            let root = fixture(site);
            let root = root.to_str().expect("a UTF-8 path");
            let (code, stdout, stderr) = run(lang, &["check", "--root", root]);
            insta::assert_snapshot!(
                format!("check_{site}_{lang}"),
                shown(code, &stdout, &stderr, tmp.path())
            );
            let out = tmp.path().join(format!("{site}-{lang}"));
            let out = out.to_str().expect("a UTF-8 path");
            let (code, stdout, stderr) = run(lang, &["build", "--root", root, "-o", out]);
            insta::assert_snapshot!(
                format!("build_{site}_{lang}"),
                shown(code, &stdout, &stderr, tmp.path())
            );
        }
    }
}

#[test]
fn a_build_counts_the_drafts_it_leaves_out() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = tmp.path().join("site");
    copy_dir(&fixture("build-numbers"), &site);
    let report = site.join("content/reports/shuzi/2023.md");
    let text = std::fs::read_to_string(&report).expect("the report");
    let draft = text.replacen("level:", "draft: true\nlevel:", 1);
    std::fs::write(&report, draft).expect("written");
    let root = site.to_str().expect("UTF-8");
    let out = tmp.path().join("out");
    let out = out.to_str().expect("UTF-8");
    let (code, stdout, _) = run("en", &["build", "--root", root, "-o", out]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("1 draft not published (use --drafts to include them)"),
        "{stdout}"
    );
    let (_, stdout, _) = run("zh", &["build", "--root", root, "-o", out]);
    assert!(stdout.contains("1 份草稿未发布（加 --drafts 可一并发布）"), "{stdout}");
    // With --drafts: published, and no such line.
    let (code, stdout, _) = run("en", &["build", "--root", root, "-o", out, "--drafts"]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("not published"), "{stdout}");
    assert!(stdout.starts_with("built 1 report"), "{stdout}");
}

#[test]
fn the_summary_counts_files_that_could_not_be_read() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = tmp.path().join("site");
    copy_dir(&fixture("build-numbers"), &site);
    let dir = site.join("content/reports/other");
    std::fs::create_dir_all(&dir).expect("a folder");
    std::fs::write(dir.join("2023.md"), "---\nformat: gov-2021\nagency: [\n---\n").expect("written");
    std::fs::write(dir.join("2022.md"), "no front matter at all\n").expect("written");
    let root = site.to_str().expect("UTF-8");
    let (code, _, stderr) = run("en", &["check", "--root", root]);
    assert_eq!(code, 1, "{stderr}");
    let last = stderr.lines().last().unwrap_or("");
    assert!(
        last.starts_with("checked 3 files (1 report, 2 could not be read) and "),
        "{last}"
    );
    let (_, _, stderr) = run("zh", &["check", "--root", root]);
    let last = stderr.lines().last().unwrap_or("");
    assert!(last.starts_with("已检查 3 个文件（1 份报告，2 个无法读取）"), "{last}");
}

#[test]
fn a_build_for_base_url_slash_warns_that_the_sitemap_needs_the_full_address() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let root = fixture("build-numbers");
    let root = root.to_str().expect("UTF-8");
    let out = tmp.path().join("out");
    let out = out.to_str().expect("UTF-8");
    let (code, _, stderr) = run("en", &["build", "--root", root, "-o", out]);
    assert_eq!(code, 0, "a warning, not an error");
    assert!(
        stderr.contains("warning: base_url is \"/\"") && stderr.contains("base_url = \"https://…\""),
        "{stderr}"
    );
    let (_, _, stderr) = run("zh", &["build", "--root", root, "-o", out]);
    assert!(stderr.contains("警告：base_url 为 \"/\""), "{stderr}");
    let (code, _, stderr) = run(
        "en",
        &[
            "build",
            "--root",
            root,
            "-o",
            out,
            "--base-url",
            "https://example.org/portal/",
        ],
    );
    assert_eq!((code, stderr.as_str()), (0, ""));
}

#[test]
fn init_makes_a_site_that_checks_clean_with_a_filled_sample() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = tmp.path().join("x");
    let site_s = site.to_str().expect("UTF-8");
    let (code, stdout, _) = run("zh", &["init", site_s]);
    assert_eq!(code, 0);
    assert!(stdout.contains("已创建") && stdout.contains("下一步：cd"), "{stdout}");
    let (code, stdout, stderr) = run("en", &["--root", site_s, "check"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert!(stderr.ends_with(": 0 errors, 0 warnings\n"), "{stderr}");
    let reports = site.join("content/reports/shilishi");
    let sample = std::fs::read_dir(&reports)
        .expect("the sample's folder")
        .next()
        .expect("one report")
        .expect("an entry")
        .path();
    let text = std::fs::read_to_string(sample).expect("the sample");
    assert!(text.contains("draft: false"), "{text}");
    assert!(!text.contains("（请填写"), "no placeholder text:\n{text}");
    assert!(!text.contains("{year}") && !text.contains("{next}"), "{text}");
}

/// A new site to add reports to.
fn new_site(tmp: &Path) -> String {
    let site = tmp.join("site");
    let s = site.to_str().expect("UTF-8").to_string();
    assert_eq!(run("en", &["init", &s]).0, 0);
    s
}

#[test]
fn new_report_derives_the_slug_as_import_does() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = new_site(tmp.path());
    let (code, stdout, stderr) = run(
        "en",
        &[
            "--root",
            &site,
            "new",
            "report",
            "--agency",
            "重庆市长寿区财政局",
            "--year",
            "2024",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let rel = "content/reports/chongqingshi-changshouqu-caizhengju/2024.md";
    assert!(stdout.contains(rel), "{stdout}");
    assert!(
        stdout.contains("agency_slug chongqingshi-changshouqu-caizhengju"),
        "{stdout}"
    );
    let text = std::fs::read_to_string(Path::new(&site).join(rel)).expect("written");
    assert!(text.contains("draft: true"), "new report writes a draft:\n{text}");
    assert!(text.contains("（请填写"), "with its placeholders:\n{text}");
    // A draft with placeholders checks without errors.
    let (code, _, stderr) = run("en", &["--root", &site, "check"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn new_report_takes_published_region_and_title() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = new_site(tmp.path());
    let (code, _, stderr) = run(
        "en",
        &[
            "--root",
            &site,
            "new",
            "report",
            "--agency",
            "示例县教育局",
            "--slug",
            "jiaoyu",
            "--year",
            "2023",
            "--published",
            "2024-01-10",
            "--region",
            "示例省示例县",
            "--title",
            "示例县教育局2023年政府信息公开工作年度报告",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(Path::new(&site).join("content/reports/jiaoyu/2023.md")).expect("written");
    assert!(text.contains("published: 2024-01-10"), "{text}");
    assert!(text.contains("region: \"示例省示例县\""), "{text}");
    assert!(
        text.contains("title: 示例县教育局2023年政府信息公开工作年度报告"),
        "{text}"
    );
    let (code, _, stderr) = run("en", &["--root", &site, "check"]);
    assert_eq!(code, 0, "the new draft checks without errors:\n{stderr}");
}

#[test]
fn new_report_refuses_a_year_check_would_refuse() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = new_site(tmp.path());
    for year in ["2007", "2999"] {
        let (code, stdout, stderr) = run(
            "en",
            &[
                "--root",
                &site,
                "new",
                "report",
                "--agency",
                "示例县教育局",
                "--year",
                year,
            ],
        );
        assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
        assert!(
            stderr.contains(&format!("--year {year} is out of range: reports are for 2008 to ")),
            "{stderr}"
        );
        let (_, _, stderr) = run(
            "zh",
            &[
                "--root",
                &site,
                "new",
                "report",
                "--agency",
                "示例县教育局",
                "--year",
                year,
            ],
        );
        assert!(stderr.starts_with(&format!("错误：--year {year} 超出范围")), "{stderr}");
    }
    assert!(!Path::new(&site).join("content/reports/shilixian-jiaoyuju").exists());
}

#[test]
fn errors_that_stop_a_run_are_in_the_chosen_language() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let missing = tmp.path().join("nowhere");
    let missing = missing.to_str().expect("UTF-8");
    let (code, _, stderr) = run("en", &["--root", missing, "check"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(&format!("error: no site.toml in {missing}")),
        "{stderr}"
    );
    let (code, _, stderr) = run("zh", &["--root", missing, "check"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(&format!("错误：{missing} 中没有 site.toml")),
        "{stderr}"
    );

    // The output guard: a folder gongkai did not write.
    let own = tmp.path().join("own");
    std::fs::create_dir_all(&own).expect("a folder");
    std::fs::write(own.join("mine.txt"), "x").expect("written");
    let own = own.to_str().expect("UTF-8");
    let root = fixture("build-numbers");
    let root = root.to_str().expect("UTF-8");
    let (code, _, stderr) = run("zh", &["build", "--root", root, "-o", own]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(&format!("错误：拒绝生成到 {own}：该文件夹中有不是 gongkai 生成的文件")),
        "{stderr}"
    );
    let (_, _, stderr) = run("en", &["build", "--root", root, "-o", own]);
    assert!(
        stderr.starts_with(&format!("error: refusing to build into {own}: the folder holds files")),
        "{stderr}"
    );
}

#[test]
fn the_language_comes_from_lang_then_the_locale() {
    let root = fixture("build-numbers");
    let check = |envs: &[(&str, &str)], args: &[&str]| {
        let mut c = common::gongkai();
        for (k, v) in envs {
            c.env(k, v);
        }
        let o = c
            .args(args)
            .arg("check")
            .arg("--root")
            .arg(&root)
            .output()
            .expect("runs");
        (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
    };
    let (_, err) = check(&[("LANG", "zh_CN.UTF-8")], &[]);
    assert!(err.starts_with("已检查"), "{err}");
    let (_, err) = check(&[("LC_MESSAGES", "zh_CN.UTF-8")], &[]);
    assert!(err.starts_with("已检查"), "{err}");
    // LC_ALL wins over LANG; --lang over both; `--lang=zh` too.
    let (_, err) = check(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "en_US.UTF-8")], &[]);
    assert!(err.starts_with("checked"), "{err}");
    let (_, err) = check(&[("LC_ALL", "zh_CN.UTF-8")], &["--lang", "en"]);
    assert!(err.starts_with("checked"), "{err}");
    let (_, err) = check(&[], &["--lang=zh"]);
    assert!(err.starts_with("已检查"), "{err}");
    // A language gongkai does not speak is refused by the parser.
    let (code, err) = check(&[], &["--lang", "fr"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("`fr` is no language of gongkai: write zh or en"), "{err}");
}

#[test]
fn a_base_url_flag_that_is_no_address_is_refused() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let root = fixture("build-numbers");
    let root = root.to_str().expect("UTF-8");
    let out = tmp.path().join("out");
    let out = out.to_str().expect("UTF-8");
    let (code, stdout, stderr) = run("en", &["build", "--root", root, "-o", out, "--base-url", "portal"]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(stderr.starts_with("error: --base-url: "), "{stderr}");
    assert!(!Path::new(out).exists(), "nothing is written");
    // A path other than `/` warns as `/` does.
    let (code, _, stderr) = run("en", &["build", "--root", root, "-o", out, "--base-url", "/portal/"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning: base_url is \"/portal/\""), "{stderr}");
}
