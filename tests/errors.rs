//! The errors that stop a command before the content is judged each have
//! their own kind (`gongkai::Error`), not `Usage` for every failure: a
//! missing content folder is `Content`, a missing theme `Theme`, a file or
//! folder gongkai will not overwrite `Refused`, an import source that cannot
//! be read `Import`. Whatever the kind, the message is the same as before and
//! the exit status is 2.

use std::process::Command;

use gongkai::build::{build, BuildOptions};
use gongkai::site::{today, Site};
use gongkai::Error;

/// A site in a temporary folder: `site.toml` with `toml`, and `content/`
/// when `content`.
fn site(toml: &str, content: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("site.toml"), format!("title = \"errors\"\n{toml}")).expect("written");
    if content {
        std::fs::create_dir(dir.path().join("content")).expect("a folder");
    }
    dir
}

/// Runs the binary in English (whatever the locale of the machine running
/// the tests); its exit status and stderr.
fn run(args: &[&str]) -> (Option<i32>, String) {
    run_in("C.UTF-8", args)
}

/// Runs the binary under the locale `lang` (`LANG`, with `LC_ALL` and
/// `LC_MESSAGES` removed); its exit status and stderr.
fn run_in(lang: &str, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(args)
        .output()
        .expect("gongkai runs");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A `base_url` that is not an absolute http(s) URL with a host, or a path
/// from the root, stops every command with status 2, naming `base_url`,
/// the value and what to write instead; in Chinese under a Chinese locale.
#[test]
fn a_bad_base_url_is_refused() {
    for bad in ["portal", "127.0.0.1:8090/portal", "ftp://x", "http://"] {
        let dir = site(&format!("base_url = \"{bad}\"\n"), true);
        let root = dir.path().to_str().expect("a UTF-8 path");
        let (status, stderr) = run(&["check", "--root", root]);
        assert_eq!(status, Some(2), "{bad}: {stderr}");
        assert!(
            stderr.contains(&format!("site.toml:2: `base_url` is \"{bad}\"")) && stderr.contains("https://"),
            "{bad}: {stderr}"
        );
        let (status, stderr) = run_in("zh_CN.UTF-8", &["check", "--root", root]);
        assert_eq!(status, Some(2), "{bad}: {stderr}");
        assert!(
            stderr.contains(&format!("site.toml:2: `base_url` 的值 \"{bad}\" 无效")),
            "{bad}: {stderr}"
        );
    }
    for good in ["/", "/portal/", "https://www.example.gov.cn/gongkai/"] {
        let dir = site(&format!("base_url = \"{good}\"\n"), true);
        let root = dir.path().to_str().expect("a UTF-8 path");
        let (status, stderr) = run(&["check", "--root", root]);
        assert_eq!(status, Some(0), "{good}: {stderr}");
    }
}

/// Every unknown key of site.toml is named at once, each with its line and
/// a suggestion, in the language of the run.
#[test]
fn every_unknown_key_of_site_toml_is_named() {
    let dir = site(
        "base_ulr = \"/\"\n[check]\nstirct = true\n[markdown]\nallow_html = true\n",
        true,
    );
    let root = dir.path().to_str().expect("a UTF-8 path");
    let (status, stderr) = run(&["check", "--root", root]);
    assert_eq!(status, Some(2), "{stderr}");
    // One a line: the first after `error: `, each after the path of the file.
    let lines: Vec<&str> = stderr.lines().collect();
    for (i, line) in [
        "site.toml:2: unknown key `base_ulr`; did you mean `base_url`?",
        "site.toml:4: unknown key `stirct` in [check]; did you mean `strict`?",
        "site.toml:6: unknown key `allow_html` in [markdown]; did you mean `allow_raw_html`?",
    ]
    .iter()
    .enumerate()
    {
        assert!(
            lines.get(i).is_some_and(|l| l.ends_with(&format!("/{line}"))),
            "line {i}: {line}\n{stderr}"
        );
    }
    assert!(lines[0].starts_with("error: "), "{stderr}");
    let (status, stderr) = run_in("zh_CN.UTF-8", &["check", "--root", root]);
    assert_eq!(status, Some(2), "{stderr}");
    assert!(
        stderr.contains("site.toml:4: [check] 中有未知的键 `stirct`；是否应为 `strict`？"),
        "{stderr}"
    );
}

#[test]
fn a_missing_content_folder_is_a_content_error() {
    let dir = site("", false);
    match Site::load(dir.path(), today()) {
        Err(Error::Content(m)) => assert!(m.starts_with("the site has no content folder"), "{m}"),
        Err(other) => panic!("not a content error: {other:?}"),
        Ok(_) => panic!("a site without content/ loaded"),
    }
    std::fs::write(dir.path().join("content"), "a file").expect("written");
    match Site::load(dir.path(), today()) {
        Err(Error::Content(m)) => assert!(m.contains("is a regular file, not a folder"), "{m}"),
        Err(other) => panic!("not a content error: {other:?}"),
        Ok(_) => panic!("a site whose content is a file loaded"),
    }
    let root = dir.path().to_str().expect("a UTF-8 path");
    let (status, stderr) = run(&["check", "--root", root]);
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains("is a regular file, not a folder"), "{stderr}");
}

#[test]
fn a_missing_theme_is_a_theme_error() {
    let dir = site("theme = \"nowhere\"\n", true);
    let out = dir.path().join("public");
    let opts = BuildOptions {
        output: Some(out.clone()),
        ..Default::default()
    };
    match build(dir.path(), &opts, false, &|_, _| {}) {
        Err(Error::Theme(m)) => assert!(m.starts_with("theme `nowhere` not found"), "{m}"),
        Err(other) => panic!("not a theme error: {other:?}"),
        Ok(_) => panic!("built with a theme that is not there"),
    }
    assert!(!out.exists(), "nothing is written");
    let root = dir.path().to_str().expect("a UTF-8 path");
    let (status, stderr) = run(&["build", "--root", root]);
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains("theme `nowhere` not found"), "{stderr}");
}

#[test]
fn what_gongkai_will_not_overwrite_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("a.md");
    gongkai::scaffold::write_new(&file, b"one").expect("a new file");
    match gongkai::scaffold::write_new(&file, b"two") {
        Err(Error::Refused(m)) => assert!(m.ends_with("exists already; gongkai never overwrites a file"), "{m}"),
        other => panic!("not refused: {other:?}"),
    }
    assert_eq!(std::fs::read(&file).expect("read"), b"one");
    // An output folder that holds someone's files, not a gongkai output.
    let site = site("", true);
    let output = dir.path().join("mine");
    std::fs::create_dir(&output).expect("a folder");
    std::fs::write(output.join("notes.txt"), "mine").expect("written");
    match gongkai::output::guard(site.path(), &output, false) {
        Err(Error::Refused(m)) => assert!(m.starts_with("refusing to build into"), "{m}"),
        other => panic!("not refused: {other:?}"),
    }
    let root = site.path().to_str().expect("a UTF-8 path");
    let (status, stderr) = run(&["init", root]);
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains("already has a site.toml"), "{stderr}");
}

#[test]
fn an_import_source_that_cannot_be_read_is_an_import_error() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let missing = dir.path().join("no-such-report.txt");
    let (status, stderr) = run(&[
        "import",
        missing.to_str().expect("a UTF-8 path"),
        "--out",
        dir.path().to_str().expect("a UTF-8 path"),
    ]);
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains("no-such-report.txt"), "{stderr}");
    let doc = dir.path().join("report.doc");
    std::fs::write(&doc, b"\xd0\xcf\x11\xe0").expect("written");
    let (status, stderr) = run(&[
        "import",
        doc.to_str().expect("a UTF-8 path"),
        "--out",
        dir.path().to_str().expect("a UTF-8 path"),
    ]);
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains(".doc files are not read directly"), "{stderr}");
    // A PDF is read (src/import/pdf.rs); a broken one is an import error.
    let pdf = dir.path().join("report.pdf");
    std::fs::write(&pdf, b"%PDF-1.4").expect("written");
    let (status, stderr) = run(&[
        "import",
        pdf.to_str().expect("a UTF-8 path"),
        "--out",
        dir.path().to_str().expect("a UTF-8 path"),
    ]);
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains("report.pdf") && stderr.contains("PDF"), "{stderr}");
}
