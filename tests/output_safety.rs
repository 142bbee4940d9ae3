//! The output folder is never someone else's, and no path exits 101.
//!
//! `gongkai build -o DIR` (and `output_dir` of site.toml) replaces DIR
//! whole (`serve` writes nothing and takes no `-o`): it may only replace a
//! folder gongkai wrote (it holds `.gongkai-output`), an empty one, or one
//! given with `--force`; never a file, the site, a folder holding it, or one
//! inside its sources, whatever links lead there. And a closed stdout or stderr stops the printing, not
//! the command; a panic (a bug) exits 2 with "internal error", never 101.
//! All through the real binary; sites are copied into temporary folders.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use assert_cmd::Command;

mod common;
use common::{copy_dir, files, fixture, seed};

fn gongkai() -> Command {
    let mut c = common::gongkai();
    // A refused `serve` ends at once; one that is not must not hang the run.
    c.timeout(Duration::from_secs(120));
    c
}

/// (status, stdout, stderr) of `gongkai ARGS…`.
fn run<I, S>(args: I) -> (i32, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let o = gongkai().args(args).output().expect("gongkai runs");
    (
        o.status.code().expect("an exit status, not a signal"),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// `gongkai build --root ROOT -o OUT ARGS…`.
fn build(root: &Path, out: &Path, args: &[&str]) -> (i32, String, String) {
    let mut a: Vec<&OsStr> = vec![
        "build".as_ref(),
        "--root".as_ref(),
        root.as_ref(),
        "-o".as_ref(),
        out.as_ref(),
    ];
    a.extend(args.iter().map(|s| OsStr::new(*s)));
    run(a)
}

/// A copy of the fixture site `name` in `tmp/site`.
fn site_copy(tmp: &Path, name: &str) -> PathBuf {
    let site = tmp.join("site");
    copy_dir(&fixture(name), &site);
    site
}

/// A folder of someone's own files at `dir`.
fn someones_folder(dir: &Path) {
    std::fs::create_dir_all(dir.join("photos")).expect("a folder");
    std::fs::write(dir.join("notes.txt"), "my notes\n").expect("written");
    std::fs::write(dir.join("photos/cat.jpg"), b"\xff\xd8 not really a cat").expect("written");
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .expect("a folder")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

fn assert_refused(code: i32, stderr: &str, names_it: &str) {
    assert_eq!(code, 2, "refused with status 2; stderr:\n{stderr}");
    assert!(stderr.contains("refusing to build into"), "stderr says why:\n{stderr}");
    assert!(stderr.contains(names_it), "stderr names {names_it}:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

// ---------------------------------------------------------------------------
// 1. Only a folder gongkai wrote is replaced

#[test]
fn someones_folder_is_refused_and_replaced_only_with_force() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let docs = tmp.path().join("docs");
    someones_folder(&docs);
    let before = files(&docs);

    let (code, stdout, stderr) = build(&fixture("build-numbers"), &docs, &[]);
    assert_refused(code, &stderr, &docs.display().to_string());
    assert!(stderr.contains("--force"), "stderr names --force:\n{stderr}");
    assert_eq!(stdout, "");
    assert!(files(&docs) == before, "the folder is as it was");
    assert_eq!(names(tmp.path()), ["docs"], "nothing written beside it");

    // With --force it is replaced by the portal, marked as gongkai's.
    let (code, _, stderr) = build(&fixture("build-numbers"), &docs, &["--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(docs.join("index.html").is_file());
    assert!(!docs.join("notes.txt").exists() && !docs.join("photos").exists());
    let marker = std::fs::read_to_string(docs.join(".gongkai-output")).expect("the marker");
    assert!(marker.starts_with("gongkai output folder\n"), "{marker}");
    assert_eq!(
        names(tmp.path()),
        [".docs.gongkai-replay", "docs"],
        "nothing left beside it but the build's replay record"
    );

    // Now it is gongkai's: the next build replaces it without --force.
    std::fs::write(docs.join("stale.html"), "stale").expect("written");
    let (code, _, stderr) = build(&fixture("build-links"), &docs, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!docs.join("stale.html").exists(), "replaced whole");
    assert!(docs.join(".gongkai-output").is_file(), "every build is marked");
}

#[test]
fn a_marker_that_is_not_gongkais_does_not_count() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let docs = tmp.path().join("docs");
    someones_folder(&docs);
    // A file of that name saying something else, and a folder of that name.
    std::fs::write(docs.join(".gongkai-output"), "my own file\n").expect("written");
    let (code, _, stderr) = build(&fixture("build-numbers"), &docs, &[]);
    assert_refused(code, &stderr, "--force");
    assert!(docs.join("notes.txt").is_file());
    std::fs::remove_file(docs.join(".gongkai-output")).expect("removed");
    std::fs::create_dir(docs.join(".gongkai-output")).expect("a folder");
    let (code, _, stderr) = build(&fixture("build-numbers"), &docs, &[]);
    assert_refused(code, &stderr, "--force");
    assert!(docs.join("notes.txt").is_file());
}

#[test]
fn an_empty_or_missing_folder_is_used() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("a folder");
    let (code, _, stderr) = build(&fixture("build-numbers"), &empty, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(empty.join("index.html").is_file());

    let missing = tmp.path().join("a/b/public");
    let (code, _, stderr) = build(&fixture("build-numbers"), &missing, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(missing.join("index.html").is_file());
    assert_eq!(
        names(&tmp.path().join("a/b")),
        [".public.gongkai-replay", "public"],
        "nothing left beside it but the build's replay record"
    );
}

#[test]
fn output_dir_of_site_toml_naming_someones_folder_is_refused() {
    for output_dir in ["docs", "../docs"] {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let site = site_copy(tmp.path(), "build-numbers");
        let toml = std::fs::read_to_string(site.join("site.toml")).expect("site.toml");
        std::fs::write(site.join("site.toml"), format!("{toml}output_dir = \"{output_dir}\"\n")).expect("written");
        let docs = site.join(output_dir);
        someones_folder(&docs);
        let before = files(&docs);
        let (code, stdout, stderr) = run([OsStr::new("build"), "--root".as_ref(), site.as_os_str()]);
        assert_refused(code, &stderr, "--force");
        assert!(stderr.contains("docs"), "stderr names the folder:\n{stderr}");
        assert_eq!(stdout, "");
        assert!(files(&docs) == before, "{output_dir}: the folder is as it was");
    }
}

/// `serve` renders its preview in memory and takes no output folder: `-o`
/// is refused by the command line, and the folder is left alone.
#[test]
fn serve_takes_no_output_folder() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let docs = tmp.path().join("docs");
    someones_folder(&docs);
    let before = files(&docs);
    let (code, _, stderr) = run([
        OsStr::new("serve"),
        "--root".as_ref(),
        fixture("serve-site").as_os_str(),
        "--port".as_ref(),
        "0".as_ref(),
        "-o".as_ref(),
        docs.as_os_str(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("'-o'"), "stderr names -o:\n{stderr}");
    assert!(files(&docs) == before, "the folder is as it was");
}

// ---------------------------------------------------------------------------
// 2. Never a file, never the site or its sources, however reached

#[test]
fn an_existing_file_as_output_is_refused_even_with_force() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = site_copy(tmp.path(), "build-numbers");
    let before = files(&site);
    let toml = site.join("site.toml");
    for force in [&[][..], &["--force"][..]] {
        let (code, _, stderr) = build(&site, &toml, force);
        assert_refused(code, &stderr, "not a folder");
        let outside = tmp.path().join("report.pdf");
        std::fs::write(&outside, "a file").expect("written");
        let (code, _, stderr) = build(&site, &outside, force);
        assert_refused(code, &stderr, "not a folder");
        assert_eq!(std::fs::read_to_string(&outside).expect("still there"), "a file");
        // Below a file: not a folder either.
        let (code, _, stderr) = build(&site, &toml.join("public"), force);
        assert_refused(code, &stderr, "not a folder");
    }
    assert!(files(&site) == before, "the site is as it was");
    assert_eq!(names(tmp.path()), ["report.pdf", "site"], "nothing written beside");
}

#[test]
fn the_site_and_its_sources_are_refused_even_with_force() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = site_copy(tmp.path(), "build-numbers");
    std::fs::create_dir_all(site.join("templates")).expect("a folder");
    std::fs::create_dir_all(site.join("static")).expect("a folder");
    let before = files(&site);
    let outs = [
        site.clone(),
        site.join("."),
        site.join("public/.."),
        site.join("new/../.."),
        tmp.path().to_path_buf(),
        site.join("content"),
        site.join("content/reports/new"),
        site.join("templates/out"),
        site.join("static"),
        site.join("themes/x"),
        site.join(".git"),
    ];
    for out in &outs {
        for force in [&[][..], &["--force"][..]] {
            let (code, _, stderr) = build(&site, out, force);
            assert_refused(code, &stderr, &out.display().to_string());
        }
    }
    assert!(files(&site) == before, "the site is as it was");
    assert_eq!(names(tmp.path()), ["site"], "nothing written beside");
}

#[cfg(unix)]
#[test]
fn links_do_not_hide_the_site_or_its_sources() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = site_copy(tmp.path(), "build-numbers");
    let real = site.canonicalize().expect("the real path");
    let before = files(&site);
    // The root through a link, the output as the real path of the root, of
    // content/, or of a folder inside it.
    let link = tmp.path().join("link-to-site");
    symlink(&site, &link).expect("a link");
    for out in [real.clone(), real.join("content"), real.join("content/reports/out")] {
        for force in [&[][..], &["--force"][..]] {
            let (code, _, stderr) = build(&link, &out, force);
            assert_refused(code, &stderr, &out.display().to_string());
        }
    }
    // The output through a link into content/ (the link itself, or below it).
    let into = tmp.path().join("link-to-reports");
    symlink(real.join("content/reports"), &into).expect("a link");
    for out in [into.clone(), into.join("out"), into.join("new/..")] {
        for force in [&[][..], &["--force"][..]] {
            let (code, _, stderr) = build(&site, &out, force);
            assert_refused(code, &stderr, "content/");
        }
    }
    // A link to the site's folder given as the output.
    let (code, _, stderr) = build(&site, &link, &["--force"]);
    assert_refused(code, &stderr, "site's root folder");
    // content/ itself a link to a folder elsewhere: that folder is a source too.
    let elsewhere = tmp.path().join("sources");
    std::fs::rename(site.join("content"), &elsewhere).expect("moved");
    symlink(&elsewhere, site.join("content")).expect("a link");
    let sources = files(&elsewhere);
    for out in [elsewhere.clone(), elsewhere.join("out"), tmp.path().to_path_buf()] {
        let (code, _, stderr) = build(&site, &out, &["--force"]);
        assert_refused(code, &stderr, &out.display().to_string());
    }
    assert!(files(&elsewhere) == sources, "the sources are as they were");
    std::fs::remove_file(site.join("content")).expect("the link removed");
    std::fs::rename(&elsewhere, site.join("content")).expect("moved back");
    assert!(files(&site) == before, "the site is as it was");
    assert!(link.is_symlink() && into.is_symlink(), "the links are as they were");
    // A link to nothing is not a folder.
    let dangling = tmp.path().join("dangling");
    symlink(tmp.path().join("nowhere"), &dangling).expect("a link");
    let (code, _, stderr) = build(&site, &dangling, &["--force"]);
    assert_refused(code, &stderr, "link to nothing");
    assert!(dangling.is_symlink());
}

#[cfg(unix)]
#[test]
fn an_output_given_through_a_link_keeps_its_link() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let www = tmp.path().join("www");
    let link = tmp.path().join("public");
    symlink(&www, &link).expect("a link");
    std::fs::create_dir(&www).expect("a folder");
    for _ in 0..2 {
        let (code, _, stderr) = build(&fixture("build-numbers"), &link, &[]);
        assert_eq!(code, 0, "{stderr}");
        assert!(link.is_symlink(), "the link is kept");
        assert!(www.join("index.html").is_file(), "the build is where it leads");
    }
    someones_folder(&tmp.path().join("theirs"));
    std::fs::remove_file(&link).expect("removed");
    symlink(tmp.path().join("theirs"), &link).expect("a link");
    let (code, _, stderr) = build(&fixture("build-numbers"), &link, &[]);
    assert_refused(code, &stderr, "--force");
    assert!(tmp.path().join("theirs/notes.txt").is_file());
}

// ---------------------------------------------------------------------------
// 17. A closed stdout or stderr, and panics

/// Which of the command's outputs is a pipe whose reader has gone.
#[derive(Clone, Copy, Debug)]
enum Closed {
    Stdout,
    Stderr,
}

/// Runs `gongkai ARGS…` with stdout (or stderr) a pipe already closed at
/// the reading end: `sh` waits for a line on stdin, sent only once the
/// reader is gone, then becomes gongkai. Returns the status and the other
/// stream's text.
fn with_closed(closed: Closed, args: &[&OsStr]) -> (Option<i32>, String) {
    let mut cmd = std::process::Command::new("sh");
    common::english(&mut cmd);
    cmd.arg("-c")
        .arg("read line && exec \"$@\"")
        .arg("sh")
        .arg(assert_cmd::cargo::cargo_bin("gongkai"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("sh runs");
    match closed {
        Closed::Stdout => drop(child.stdout.take()),
        Closed::Stderr => drop(child.stderr.take()),
    }
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"go\n").expect("sh reads its line");
    drop(stdin);
    let o = child.wait_with_output().expect("gongkai ends");
    let other = match closed {
        Closed::Stdout => o.stderr,
        Closed::Stderr => o.stdout,
    };
    (o.status.code(), String::from_utf8_lossy(&other).into_owned())
}

/// Each command, with stdout or stderr closed, ends as it would with both
/// open (same status, same effect), without a panic. `make` prepares a fresh
/// temporary folder and returns the arguments to run there.
fn same_status_when_closed(what: &str, make: &dyn Fn(&Path) -> Vec<std::ffi::OsString>, done: &dyn Fn(&Path) -> bool) {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let open_dir = tmp.path().join("open");
    std::fs::create_dir(&open_dir).expect("a folder");
    let args = make(&open_dir);
    let (expected, stdout, stderr) = run(&args);
    assert_ne!(expected, 101, "{what}: {stderr}");
    assert!(done(&open_dir), "{what} did its work:\n{stdout}\n{stderr}");
    for closed in [Closed::Stdout, Closed::Stderr] {
        let dir = tmp.path().join(format!("{closed:?}"));
        std::fs::create_dir(&dir).expect("a folder");
        let args = make(&dir);
        let args: Vec<&OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        let (code, other) = with_closed(closed, &args);
        assert_eq!(
            code,
            Some(expected),
            "{what} with {closed:?} closed: the status it has with both open ({expected}); the other stream:\n{other}"
        );
        assert!(
            !other.contains("panicked") && !other.contains("internal error"),
            "{what}: {other}"
        );
        assert!(done(&dir), "{what} with {closed:?} closed did its work");
    }
}

#[cfg(unix)]
#[test]
fn a_closed_stdout_or_stderr_never_exits_101() {
    let os = |s: &str| std::ffi::OsString::from(s);
    same_status_when_closed("init", &|dir| vec![os("init"), dir.join("site").into()], &|dir| {
        dir.join("site/site.toml").is_file()
    });
    same_status_when_closed(
        "new report",
        &|dir| {
            copy_dir(&fixture("build-numbers"), &dir.join("site"));
            vec![
                os("--root"),
                dir.join("site").into(),
                os("new"),
                os("report"),
                os("--agency"),
                os("某某局"),
                os("--slug"),
                os("mou"),
                os("--year"),
                os("2023"),
            ]
        },
        &|dir| dir.join("site/content/reports/mou/2023.md").is_file(),
    );
    // A build with a warning (on stderr) and its summary (on stdout).
    same_status_when_closed(
        "build",
        &|dir| {
            vec![
                os("build"),
                os("--root"),
                fixture("r09-late").into(),
                os("-o"),
                dir.join("public").into(),
            ]
        },
        &|dir| dir.join("public/index.html").is_file(),
    );
    // Content errors: diagnostics on stdout, the summary on stderr; status 1.
    for site in ["r01-balance", "build-numbers"] {
        same_status_when_closed(
            "check",
            &|_| vec![os("check"), os("--root"), fixture(site).into()],
            &|_| true,
        );
    }
    same_status_when_closed(
        "import",
        &|dir| {
            std::fs::create_dir(dir.join("site")).expect("a folder");
            std::fs::write(dir.join("site/site.toml"), "title = \"导入\"\n").expect("written");
            vec![os("--root"), dir.join("site").into(), os("import"), seed().into()]
        },
        &|dir| dir.join("site/content/reports").is_dir(),
    );
    // A usage error (clap prints it).
    same_status_when_closed("a bad argument", &|_| vec![os("build"), os("--no-such-flag")], &|_| {
        true
    });
    same_status_when_closed("--help", &|_| vec![os("--help")], &|_| true);
}

#[cfg(unix)]
#[test]
fn a_closed_stderr_descriptor_is_not_a_crash() {
    // `2>&-`: no stderr at all.
    let o = common::english(&mut std::process::Command::new("sh"))
        .arg("-c")
        .arg("\"$1\" check --root \"$2\" 2>&-")
        .arg("sh")
        .arg(assert_cmd::cargo::cargo_bin("gongkai"))
        .arg(fixture("r01-balance"))
        .output()
        .expect("sh runs");
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(String::from_utf8_lossy(&o.stdout).contains("error[R01]"));
}

/// Not a test of its own: run by `a_panic_exits_2_as_an_internal_error` in
/// a child process (this test binary), with the panic hook of `main`.
#[test]
#[ignore = "run by a_panic_exits_2_as_an_internal_error"]
fn panic_hook_child() {
    use rayon::prelude::*;
    let Ok(place) = std::env::var("OUTPUT_SAFETY_PANIC_IN") else {
        return;
    };
    gongkai::commands::install_panic_hook();
    match place.as_str() {
        "main" => panic!("boom on the calling thread"),
        "rayon" => (0..64u32).into_par_iter().for_each(|i| {
            if i % 7 == 3 {
                panic!("boom on a rayon thread");
            }
        }),
        "thread" => {
            let _ = std::thread::spawn(|| panic!("{}", String::from("boom on a thread of its own"))).join();
        }
        _ => {}
    }
    unreachable!("the panic hook exits");
}

#[test]
fn a_panic_exits_2_as_an_internal_error() {
    for (place, message) in [
        ("main", "boom on the calling thread"),
        ("rayon", "boom on a rayon thread"),
        ("thread", "boom on a thread of its own"),
    ] {
        let o = std::process::Command::new(std::env::current_exe().expect("this test binary"))
            .args([
                "--ignored",
                "--exact",
                "panic_hook_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("OUTPUT_SAFETY_PANIC_IN", place)
            .env_remove("RUST_BACKTRACE")
            .output()
            .expect("the child runs");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{place}: status 2; stderr:\n{stderr}");
        let line = format!("internal error: {message} at tests/output_safety.rs:");
        assert_eq!(
            stderr.matches("internal error:").count(),
            1,
            "{place}: one report:\n{stderr}"
        );
        assert!(stderr.contains(&line), "{place}: {line}…\n{stderr}");
        assert!(stderr.contains("(this is a bug; please report it)\n"), "{stderr}");
        assert!(
            !stderr.contains("panicked"),
            "{place}: not Rust's own message:\n{stderr}"
        );
    }
}

/// A stdout that fails for another reason than its reader going away (a
/// full disk) is an error: the output is lost, status 2, said on stderr.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_on_stdout_is_an_error() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let full = std::fs::File::create("/dev/full").expect("/dev/full");
    let o = common::gongkai_process()
        .arg("init")
        .arg(tmp.path().join("site"))
        .stdout(full)
        .output()
        .expect("gongkai runs");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error: cannot write to stdout"), "{stderr}");
    assert!(
        tmp.path().join("site/site.toml").is_file(),
        "the site is created all the same"
    );
}
