//! What gongkai reads from `content/`, and agreement between `check` and
//! `build` (issue: nothing lost, nothing injected). Each test drives the real
//! binary under a time limit (a hang is a failure, not a stuck test run):
//!
//! - a missing, non-folder or linked-out `content/` is an error (exit 2) and
//!   the previous output stays;
//! - links to devices, FIFOs and folders out of the site are skipped (F06)
//!   and never opened; nothing outside the site is published;
//! - a content file can replace no theme, static or generated file (F07);
//! - names that cannot be URLs are refused (F08);
//! - a file that cannot be read is a diagnostic of its own (F09), the rest
//!   of the run still checked, JSON still valid;
//! - `check` refuses whatever `build` refuses.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::files;

/// A finished run: status, stdout, stderr.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs gongkai with `args` under `root`, killing it (and failing) after 30 s.
fn gongkai(root: &Path, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let (out, err) = (dir.path().join("out"), dir.path().join("err"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("LANG", "C")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .expect("gongkai runs");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("gongkai {args:?} hung (killed after 30 s)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().expect("an exit status, not a signal"),
        stdout: std::fs::read_to_string(out).unwrap(),
        stderr: std::fs::read_to_string(err).unwrap(),
    }
}

/// A fresh site made by `gongkai init` in a temporary folder: (tempdir, root).
fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let r = gongkai(dir.path(), &["init", root.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (dir, root)
}

fn build(root: &Path, out: &Path) -> Run {
    gongkai(root, &["build", "-o", out.to_str().unwrap()])
}

/// Every diagnostic id and file of a `check --format json` run (it must be valid JSON).
fn json_diags(root: &Path) -> (i32, Vec<(String, String, String)>) {
    let r = gongkai(root, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    let diags = v
        .as_array()
        .expect("an array")
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("id"), s("file"), s("message"))
        })
        .collect();
    (r.code, diags)
}

fn has(diags: &[(String, String, String)], id: &str, file: &str) -> bool {
    diags.iter().any(|(i, f, _)| i == id && f == file)
}

#[test]
fn content_must_be_a_folder_inside_the_site_and_the_old_output_stays() {
    let (dir, root) = site();
    let out = dir.path().join("public");
    assert_eq!(build(&root, &out).code, 0);
    let before = files(&out);
    assert!(before.contains_key("index.html"));

    let content = root.join("content");
    let moved = dir.path().join("elsewhere");
    std::fs::rename(&content, &moved).unwrap();
    // Missing.
    for args in [vec!["check"], vec!["build", "-o", out.to_str().unwrap()]] {
        let r = gongkai(&root, &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("no content folder"), "{}", r.stderr);
    }
    assert_eq!(files(&out), before, "the previous output is untouched");
    // A file.
    std::fs::write(&content, "").unwrap();
    let r = build(&root, &out);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a folder"), "{}", r.stderr);
    assert_eq!(files(&out), before);
    std::fs::remove_file(&content).unwrap();
    // A link to a folder outside the site.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&moved, &content).unwrap();
        let r = build(&root, &out);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("outside the site"), "{}", r.stderr);
        assert_eq!(files(&out), before);
        assert_eq!(gongkai(&root, &["check"]).code, 2);
    }
}

#[cfg(unix)]
#[test]
fn special_files_and_links_out_are_skipped_never_read() {
    let (dir, root) = site();
    let content = root.join("content");
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "SECRET-OUTSIDE").unwrap();
    std::fs::write(
        outside.join("leak.md"),
        "---\ntitle: LEAK-OUTSIDE\n---\nSECRET-OUTSIDE\n",
    )
    .unwrap();
    let link = |to: &Path, name: &str| std::os::unix::fs::symlink(to, content.join(name)).unwrap();
    link(Path::new("/dev/zero"), "zero.txt");
    link(Path::new("/dev/zero"), "zero.md");
    link(Path::new("/dev/urandom"), "random.md");
    link(&outside, "linked");
    link(&outside.join("leak.md"), "leak.md");
    link(&outside.join("secret.txt"), "secret.txt");
    for fifo in ["pipe.md", "pipe.txt"] {
        let ok = Command::new("mkfifo")
            .arg(content.join(fifo))
            .status()
            .unwrap()
            .success();
        assert!(ok, "mkfifo");
    }
    link(&content.join("pipe.md"), "pipe-link.md");
    // A link to a folder inside the site is not followed either (said so).
    std::fs::create_dir(root.join("inside")).unwrap();
    link(&root.join("inside"), "inside-link");

    let (code, diags) = json_diags(&root);
    assert_eq!(code, 0, "only warnings: {diags:?}");
    for name in [
        "zero.txt",
        "zero.md",
        "random.md",
        "linked",
        "leak.md",
        "secret.txt",
        "pipe.md",
        "pipe.txt",
        "pipe-link.md",
        "inside-link",
    ] {
        assert!(
            has(&diags, "F06", &format!("content/{name}")),
            "F06 for {name}: {diags:?}"
        );
    }
    let out = dir.path().join("public");
    let r = build(&root, &out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (path, bytes) in files(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("SECRET-OUTSIDE") && !text.contains("LEAK-OUTSIDE"),
            "{path} publishes a file from outside the site"
        );
        assert!(
            !path.contains("zero") && !path.contains("pipe") && !path.contains("secret"),
            "{path}"
        );
    }
}

#[test]
fn content_files_replace_no_theme_static_or_generated_file() {
    let (dir, root) = site();
    let content = root.join("content");
    // The theme's script, a generated file, a search index file, a file
    // where the portal needs a folder, and a page over a generated page.
    std::fs::write(content.join("search.js"), "alert(1)").unwrap();
    std::fs::write(content.join("sitemap.xml"), "<x/>").unwrap();
    std::fs::create_dir_all(content.join("search")).unwrap();
    std::fs::write(content.join("search/meta.json"), "{}").unwrap();
    std::fs::write(content.join("years"), "x").unwrap();
    std::fs::write(content.join("agencies.md"), "---\ntitle: 目录\n---\n").unwrap();
    // The site's own static/ file: an asset may not replace it either.
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/logo.txt"), "logo").unwrap();
    std::fs::write(content.join("logo.txt"), "not the logo").unwrap();
    // A page and an asset at the same place.
    std::fs::write(content.join("guide2.md"), "---\ntitle: 指南\n---\n").unwrap();
    std::fs::create_dir_all(content.join("guide2")).unwrap();
    std::fs::write(content.join("guide2/index.html"), "x").unwrap();
    // Fine: a PDF beside a report, an image beside a page.
    std::fs::write(content.join("reports/guide.pdf"), "%PDF").unwrap();

    let (code, diags) = json_diags(&root);
    assert_eq!(code, 1, "{diags:?}");
    for file in [
        "content/search.js",
        "content/sitemap.xml",
        "content/search/meta.json",
        "content/years",
        "content/agencies.md",
        "content/logo.txt",
        "content/guide2/index.html",
    ] {
        assert!(has(&diags, "F07", file), "F07 for {file}: {diags:?}");
    }
    assert_eq!(diags.iter().filter(|d| d.0 == "F07").count(), 7, "{diags:?}");
    let out = dir.path().join("public");
    let r = build(&root, &out);
    assert_eq!(r.code, 1, "build refuses what check refuses: {}", r.stderr);
    assert!(!out.exists());
}

#[test]
fn names_that_cannot_be_urls_are_refused_by_check_and_build() {
    let (dir, root) = site();
    let content = root.join("content");
    let long = "长".repeat(70); // 210 bytes
    let names = [
        "a b.txt",
        "q#x.md",
        "what?.pdf",
        "100%.txt",
        "tab\t.txt",
        "new\nline.md",
        "a:b.html",
    ];
    for n in names {
        let text = if n.ends_with(".md") {
            "---\ntitle: x\n---\n"
        } else {
            "x"
        };
        std::fs::write(content.join(n), text).unwrap();
    }
    std::fs::write(content.join(format!("{long}.txt")), "x").unwrap();
    std::fs::create_dir(content.join("my folder")).unwrap();
    std::fs::write(content.join("my folder/ok.txt"), "x").unwrap();
    // Fine: Chinese, hyphens, underscores, parentheses, dots.
    std::fs::write(content.join("指南_v1.2-(定稿).txt"), "x").unwrap();

    let (code, diags) = json_diags(&root);
    assert_eq!(code, 1);
    for n in names {
        assert!(has(&diags, "F08", &format!("content/{n}")), "F08 for {n:?}: {diags:?}");
    }
    assert!(has(&diags, "F08", &format!("content/{long}.txt")), "{diags:?}");
    assert!(has(&diags, "F08", "content/my folder/ok.txt"), "{diags:?}");
    assert_eq!(
        diags.iter().filter(|d| d.0 == "F08").count(),
        names.len() + 2,
        "{diags:?}"
    );
    let msg = &diags.iter().find(|d| d.1 == "content/new\nline.md").unwrap().2;
    assert!(msg.contains("U+000A"), "{msg}");
    let out = dir.path().join("public");
    assert_eq!(build(&root, &out).code, 1);
}

#[test]
fn a_file_that_cannot_be_read_is_one_diagnostic_and_the_rest_is_checked() {
    let (_dir, root) = site();
    let content = root.join("content");
    // Over the size cap (sparse: no disk used).
    let big = std::fs::File::create(content.join("huge.md")).unwrap();
    big.set_len(fsx_cap() + 1).unwrap();
    drop(big);
    // Another problem in the same run.
    std::fs::write(content.join("bad.md"), "---\ntitle: [\n---\n").unwrap();
    #[cfg(unix)]
    let denied = {
        use std::os::unix::fs::PermissionsExt;
        let p = content.join("denied.md");
        std::fs::write(&p, "---\ntitle: x\n---\n").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
        // root reads anything: then there is nothing to test here.
        std::fs::read(&p).is_err()
    };
    let (code, diags) = json_diags(&root);
    assert_eq!(code, 1);
    assert!(has(&diags, "F09", "content/huge.md"), "{diags:?}");
    assert!(
        has(&diags, "F03", "content/bad.md"),
        "the rest is still checked: {diags:?}"
    );
    #[cfg(unix)]
    if denied {
        assert!(has(&diags, "F09", "content/denied.md"), "{diags:?}");
    }
    let r = gongkai(&root, &["check"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("error[F09]"), "{}", r.stdout);
}

fn fsx_cap() -> u64 {
    gongkai::fsx::CONTENT_CAP
}

#[test]
fn a_page_title_holds_no_control_or_direction_characters() {
    let (_dir, root) = site();
    let content = root.join("content");
    std::fs::write(content.join("p1.md"), "---\ntitle: \"通知\\e[31m\"\n---\n").unwrap();
    std::fs::write(content.join("p2.md"), "---\ntitle: \"a\\u202Eb\"\n---\n").unwrap();
    std::fs::write(content.join("p3.md"), "---\ntitle: !!str 标题\n---\n").unwrap();
    let (code, diags) = json_diags(&root);
    assert_eq!(code, 1);
    for p in ["p1", "p2", "p3"] {
        assert!(has(&diags, "F05", &format!("content/{p}.md")), "{p}: {diags:?}");
    }
    let m = &diags.iter().find(|d| d.1 == "content/p1.md").unwrap().2;
    assert!(m.contains("U+001B"), "{m}");
}

#[test]
fn check_prints_json_even_when_the_run_cannot_start() {
    let (_dir, root) = site();
    std::fs::remove_dir_all(root.join("content")).unwrap();
    let (code, diags) = json_diags(&root);
    assert_eq!(code, 2);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].0, "run");
    assert!(diags[0].2.contains("no content folder"), "{diags:?}");
    let empty = tempfile::tempdir().unwrap();
    let (code, diags) = json_diags(empty.path());
    assert_eq!((code, diags[0].0.as_str()), (2, "run"));
}
