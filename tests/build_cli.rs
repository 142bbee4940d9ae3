//! `gongkai build` as a command: exit statuses, what it prints (stdout and
//! stderr captured, so not a terminal), a failed build leaving the previous
//! output untouched, and template errors naming the template's file and line.
//! Fixtures are `tests/fixtures/build-*/` (see `build.rs`); sites that a test
//! changes are copied into a temporary folder first. Builds always go to a
//! temporary folder (`-o`), never into a fixture.

use std::path::Path;

use assert_cmd::Command;

mod common;
use common::{copy_dir, files, fixture};

fn gongkai() -> Command {
    common::gongkai()
}

/// Runs `gongkai build --root ROOT -o OUT ARGS…`: (status, stdout, stderr).
fn build(root: &Path, out: &Path, args: &[&str]) -> (i32, String, String) {
    let o = gongkai()
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("-o")
        .arg(out)
        .args(args)
        .output()
        .expect("gongkai runs");
    (
        o.status.code().expect("an exit status"),
        String::from_utf8(o.stdout).expect("UTF-8 stdout"),
        String::from_utf8(o.stderr).expect("UTF-8 stderr"),
    )
}

/// Replaces the one occurrence of `from` in the file at `path`.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("readable");
    assert_eq!(text.matches(from).count(), 1, "{}: `{from}` once", path.display());
    std::fs::write(path, text.replace(from, to)).expect("written");
}

/// The names in a folder.
fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .expect("a folder")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

const REPORT: &str = "content/reports/shuzi/2023.md";

/// A full `base_url`, for builds whose stderr must hold nothing but
/// diagnostics (with `/`, it says the sitemap and feed need one).
const FULL: &[&str] = &["--base-url", "https://example.org/portal/"];

// ---------------------------------------------------------------------------
// 6. A failed build leaves the earlier output intact

#[test]
fn a_content_error_leaves_the_earlier_output_intact() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = tmp.path().join("site");
    copy_dir(&fixture("build-numbers"), &site);
    // OUT alone in its folder, so anything left beside it shows.
    let out = tmp.path().join("dist").join("public");

    let (code, _, stderr) = build(&site, &out, &[]);
    assert_eq!(code, 0, "the good site builds:\n{stderr}");
    let before = files(&out);
    assert!(before.contains_key("reports/shuzi/2023/index.html"));

    // R01: 二 上年结转 + 1 in column 自然人 (and its row's 总计, so R02 holds).
    edit(
        &site.join(REPORT),
        "carried_over: [186, 71, 231, 170, 268, 300, 1226]",
        "carried_over: [187, 71, 231, 170, 268, 300, 1227]",
    );
    let (code, stdout, stderr) = build(&site, &out, &[]);
    assert_eq!(code, 1, "content errors exit 1; stderr:\n{stderr}");
    assert!(stderr.contains("error[R01]"), "stderr names the error:\n{stderr}");
    assert!(stderr.contains(REPORT), "stderr names the file:\n{stderr}");
    assert_eq!(stdout, "", "no summary line for a stopped build");
    let after = files(&out);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "the same files"
    );
    assert!(before == after, "the earlier output is byte for byte as it was");
    assert_eq!(
        names(out.parent().expect("dist")),
        [".public.gongkai-replay", "public"],
        "nothing left beside OUT but the earlier build's replay record"
    );
}

#[test]
fn a_build_failing_while_writing_leaves_the_earlier_output_intact() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = tmp.path().join("site");
    copy_dir(&fixture("build-numbers"), &site);
    let out = tmp.path().join("dist").join("public");
    let (code, _, stderr) = build(&site, &out, &[]);
    assert_eq!(code, 0, "the good site builds:\n{stderr}");
    let before = files(&out);

    // A page template that parses but fails when rendered, after other
    // pages have been written to the staging folder.
    std::fs::write(
        site.join("content/about.md"),
        "---\ntitle: 关于\n---\n\n一个普通页面。\n",
    )
    .expect("written");
    std::fs::create_dir_all(site.join("templates")).expect("a folder");
    std::fs::write(
        site.join("templates/page.html"),
        "<!DOCTYPE html>\n<title>{{ title }}</title>\n<p>{{ no_such_variable.field }}</p>\n",
    )
    .expect("written");
    let (code, stdout, stderr) = build(&site, &out, &[]);
    assert_eq!(code, 2, "a template failure exits 2; stderr:\n{stderr}");
    assert!(stderr.contains("page.html"), "stderr names the template:\n{stderr}");
    assert_eq!(stdout, "");
    assert!(files(&out) == before, "the earlier output is byte for byte as it was");
    assert_eq!(
        names(out.parent().expect("dist")),
        [".public.gongkai-replay", "public"],
        "nothing left beside OUT but the earlier build's replay record"
    );
}

// ---------------------------------------------------------------------------
// 9. What the terminal shows

/// The summary line's parts: (reports, pages, output, seconds, warnings).
fn summary(line: &str) -> Option<(usize, usize, String, f64, usize)> {
    let rest = line.strip_prefix("built ")?;
    let (reports, rest) = rest.split_once(' ')?;
    let rest = rest
        .strip_prefix("reports, ")
        .or_else(|| rest.strip_prefix("report, "))?;
    let (pages, rest) = rest
        .split_once(" pages into ")
        .or_else(|| rest.split_once(" page into "))?;
    let (output, rest) = rest.rsplit_once(" in ")?;
    let (secs, rest) = rest.split_once("s (")?;
    let (warnings, rest) = rest.split_once(" warning")?;
    let warnings: usize = warnings.parse().ok()?;
    let plural = if warnings == 1 { ")" } else { "s)" };
    if rest != plural {
        return None;
    }
    Some((
        reports.parse().ok()?,
        pages.parse().ok()?,
        output.to_string(),
        secs.parse().ok()?,
        warnings,
    ))
}

/// Whether every line of `stderr` belongs to a diagnostic block:
///
/// ```text
/// warning[R09]: content/…:6:12: published 发布日期:
///         2024-03-05 is 34 days after the deadline …
///   |
/// 6 | published: 2024-03-05
///   |            ^
///
/// ```
fn only_diagnostics(stderr: &str) -> Result<(), String> {
    for line in stderr.lines() {
        let head = (line.starts_with("warning[") || line.starts_with("error["))
            && line.find("]: ").is_some_and(|i| {
                let id = &line[line.find('[').unwrap_or(0) + 1..i];
                id.len() == 3 && id.starts_with(|c: char| c.is_ascii_uppercase()) && id[1..].parse::<u8>().is_ok()
            });
        let detail = line.starts_with("        ") && !line.trim().is_empty();
        let gutter = line
            .split_once(" |")
            .is_some_and(|(n, _)| n.trim().is_empty() || n.trim().parse::<usize>().is_ok());
        if !(head || detail || gutter || line.is_empty()) {
            return Err(format!("not a line of a diagnostic: {line:?}"));
        }
    }
    Ok(())
}

/// What the summary must say of the output: its pages (every rendered file:
/// the HTML pages, sitemap.xml, atom.xml, robots.txt) and its reports.
/// The web pages of an output: its HTML files.
fn count_pages(out: &Path) -> usize {
    files(out).keys().filter(|f| f.ends_with(".html")).count()
}

#[test]
fn the_terminal_shows_one_summary_line_and_only_diagnostics() {
    let tmp = tempfile::tempdir().expect("a temporary folder");

    // No diagnostics: one line on stdout, nothing on stderr.
    let out = tmp.path().join("clean");
    // With a full base_url: with "/", stderr says the sitemap needs one.
    let (code, stdout, stderr) = build(&fixture("build-numbers"), &out, FULL);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "", "no diagnostics, no progress bar: stderr is empty");
    assert_eq!(stdout.lines().count(), 1, "one line on stdout:\n{stdout}");
    assert!(stdout.ends_with('\n'));
    let (reports, pages, output, secs, warnings) =
        summary(stdout.trim_end()).unwrap_or_else(|| panic!("not the summary line: {stdout:?}"));
    assert_eq!((reports, warnings), (1, 0), "{stdout}");
    assert_eq!(pages, count_pages(&out), "{stdout}");
    assert_eq!(Path::new(&output), out, "{stdout}");
    assert!((0.0..600.0).contains(&secs), "{stdout}");

    let links = tmp.path().join("links");
    let (code, stdout, stderr) = build(&fixture("build-links"), &links, FULL);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let first = stdout.lines().next().unwrap_or("");
    let (reports, pages, ..) = summary(first).unwrap_or_else(|| panic!("{stdout:?}"));
    assert_eq!((reports, pages), (4, count_pages(&links)), "{stdout}");
    // The site has a draft: a second line says it was left out.
    assert_eq!(
        stdout.lines().nth(1),
        Some("1 draft not published (use --drafts to include them)")
    );

    // --quiet: nothing at all.
    let (code, stdout, stderr) = build(&fixture("build-numbers"), &tmp.path().join("quiet"), &["--quiet"]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));

    // A warning (R09: published after 31 January): stderr holds it and
    // nothing else; the summary counts it.
    let site = tmp.path().join("late");
    copy_dir(&fixture("build-numbers"), &site);
    edit(&site.join(REPORT), "published: 2024-01-20", "published: 2024-03-05");
    let (code, stdout, stderr) = build(&site, &tmp.path().join("late-out"), FULL);
    assert_eq!(code, 0, "a warning does not stop the build:\n{stderr}");
    assert!(
        stderr.starts_with("warning[R09]: content/reports/shuzi/2023.md:6"),
        "stderr: {stderr}"
    );
    assert_eq!(stderr.matches("warning[").count(), 1, "one warning:\n{stderr}");
    only_diagnostics(&stderr).unwrap_or_else(|e| panic!("{e}; stderr:\n{stderr}"));
    assert_eq!(stdout.lines().count(), 1, "one line on stdout:\n{stdout}");
    let parsed = summary(stdout.trim_end()).unwrap_or_else(|| panic!("not the summary line: {stdout:?}"));
    assert_eq!(parsed.4, 1, "(1 warning): {stdout}");

    // --quiet with a warning: the diagnostics only.
    let (code, quiet_out, quiet_err) = build(&site, &tmp.path().join("late-quiet"), &["--quiet"]);
    assert_eq!((code, quiet_out.as_str()), (0, ""));
    assert_eq!(quiet_err, stderr, "--quiet still shows the diagnostics");
}

// ---------------------------------------------------------------------------
// 10. Template errors

#[test]
fn a_template_error_names_the_template_file_and_line() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let out = tmp.path().join("public");
    let (code, stdout, stderr) = build(&fixture("build-bad-template"), &out, &[]);
    assert_eq!(code, 2, "a template error exits 2; stderr:\n{stderr}");
    assert_eq!(stdout, "");
    // templates/page.html line 3 is `{% if %}`.
    let line = std::fs::read_to_string(fixture("build-bad-template/templates/page.html"))
        .expect("the fixture's template")
        .lines()
        .nth(2)
        .map(str::to_string);
    assert_eq!(line.as_deref(), Some("{% if %}"));
    assert!(
        stderr.contains("templates/page.html"),
        "stderr names the file:\n{stderr}"
    );
    assert!(
        stderr.contains("templates/page.html:3") || stderr.contains("page.html:3:"),
        "stderr names line 3:\n{stderr}"
    );
    assert!(!out.exists(), "nothing is written");
    // `check` refuses what `build` refuses, with the same message.
    let o = gongkai()
        .arg("check")
        .arg("--root")
        .arg(fixture("build-bad-template"))
        .output()
        .expect("gongkai runs");
    assert_eq!(o.status.code(), Some(2));
    let check_err = String::from_utf8_lossy(&o.stderr);
    assert!(
        check_err.contains("templates/page.html:3") || check_err.contains("page.html:3:"),
        "{check_err}"
    );
}

/// The portal is the same whoever builds it: the warnings a report page
/// shows are in the site's language (zh-CN), also when the run speaks
/// English, and every file is byte for byte the same under `--lang en` and
/// `--lang zh` (one fixture per kind of warning a page shows: one report's
/// checks, and the checks across an agency's reports).
#[test]
fn the_portal_does_not_depend_on_the_language_of_the_run() {
    for name in [
        "r08-carry",
        "r09-late",
        "r10-missing-section",
        "r11-in-force",
        "r12-copied",
        "r13-received",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let (en, zh) = (tmp.path().join("en"), tmp.path().join("zh"));
        let (code_en, _, err_en) = build(&fixture(name), &en, &["--lang", "en"]);
        let (code_zh, _, err_zh) = build(&fixture(name), &zh, &["--lang", "zh"]);
        assert_eq!((code_en, code_zh), (0, 0), "{name}: {err_en}\n{err_zh}");
        // The runs speak their own languages…
        assert!(err_en.contains("warning["), "{name}: {err_en}");
        assert!(err_zh.contains("警告["), "{name}: {err_zh}");
        // …and write the same portal (the marker, which records what the
        // run said for the next build to say again, is no page of it).
        let portal = |dir: &Path| common::files_except(dir, |name| name == ".gongkai-output");
        let (a, b) = (portal(&en), portal(&zh));
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{name}");
        for (path, bytes) in &a {
            assert!(
                bytes == &b[path],
                "{name}: {path} differs between --lang en and --lang zh"
            );
        }
        // Its report pages carry the warnings, in Chinese.
        let notes: Vec<String> = a
            .iter()
            .filter(|(p, _)| p.starts_with("reports/") && p.ends_with("index.html"))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .filter(|page| page.contains("核验提示"))
            .collect();
        assert!(!notes.is_empty(), "{name}: no page shows its warnings");
        for page in notes {
            let note = &page[page.find("核验提示").unwrap()..];
            let note = &note[..note.find("</details>").unwrap_or(note.len())];
            assert!(
                [" but ", "column ", "the ", " is "].iter().all(|w| !note.contains(w)),
                "{name}: an English warning on a page: {note}"
            );
        }
    }
}

/// A build with nothing changed writes nothing and says so; after an edit,
/// the files whose bytes did not change are the previous output's own
/// (hard links: same inode, same modification time), and the edited
/// report's page is new. Issue 15.
#[test]
fn a_rebuild_writes_only_what_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("build-numbers"), &site);
    let out = tmp.path().join("out");
    let (status, stdout, _) = build(&site, &out, &[]);
    assert_eq!(status, 0);
    assert!(stdout.starts_with("built "), "{stdout}");
    let before = files(&out);
    let meta = |rel: &str| std::fs::metadata(out.join(rel)).expect(rel);
    let modified = |rel: &str| meta(rel).modified().unwrap();
    let about = "agencies/index.html";
    let stamp = modified(about);

    let (status, stdout, _) = build(&site, &out, &[]);
    assert_eq!(status, 0);
    assert!(stdout.starts_with("nothing changed since the last build"), "{stdout}");
    assert_eq!(files(&out), before, "the same files");
    assert_eq!(modified(about), stamp, "not written again");

    // A report changes: what changed is written, what did not is kept
    // (the same file, with its modification time).
    let times: std::collections::BTreeMap<String, std::time::SystemTime> =
        before.keys().map(|rel| (rel.clone(), modified(rel))).collect();
    let report = site.join("content/reports/shuzi/2023.md");
    let text = std::fs::read_to_string(&report).unwrap();
    let marker = "\n## 一、总体情况\n";
    assert!(text.contains(marker), "the fixture's first section");
    std::fs::write(&report, text.replacen(marker, &format!("{marker}\n补充说明。\n"), 1)).unwrap();
    let (status, stdout, _) = build(&site, &out, &[]);
    assert_eq!(status, 0, "{stdout}");
    assert!(stdout.starts_with("built "), "{stdout}");
    let after = files(&out);
    let (mut kept, mut written) = (0, 0);
    for (rel, bytes) in &after {
        if rel == ".gongkai-output" {
            continue;
        }
        if before.get(rel) == Some(bytes) {
            assert_eq!(modified(rel), times[rel], "{rel}: the same bytes, kept");
            kept += 1;
        } else {
            written += 1;
        }
    }
    assert!(kept > 0 && written > 0, "kept {kept}, written {written}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        assert_eq!(meta(about).nlink(), 1, "the previous output is gone, its files live on");
    }
    let pages_with_text = after
        .iter()
        .filter(|(rel, bytes)| rel.ends_with(".html") && String::from_utf8_lossy(bytes).contains("补充说明"))
        .count();
    assert_eq!(pages_with_text, 1, "the edited report's page");

    // A file deleted from the output is written again.
    std::fs::remove_file(out.join(about)).unwrap();
    let (status, stdout, _) = build(&site, &out, &[]);
    assert_eq!(status, 0);
    assert!(stdout.starts_with("built "), "{stdout}");
    assert!(out.join(about).is_file());
}

/// A build with nothing changed says again what the last one said (its
/// warnings, as cargo replays a crate's warnings), without reading the
/// reports; another language or `--strict` is another build.
#[test]
fn a_rebuild_with_nothing_changed_says_what_the_build_said() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("r12-copied"), &site);
    let out = tmp.path().join("out");
    let (status, first, warnings) = build(&site, &out, &[]);
    assert_eq!(status, 0);
    assert!(
        first.starts_with("built ") && warnings.contains("warning[R12]"),
        "{first}{warnings}"
    );
    let (status, again, replayed) = build(&site, &out, &[]);
    assert_eq!(status, 0);
    assert!(again.starts_with("nothing changed since the last build"), "{again}");
    assert!(again.contains("1 warning"), "{again}");
    assert_eq!(replayed, warnings, "the same diagnostics");
    // What the build said is kept beside the output, never in it: the
    // diagnostics quote the sources (drafts' too), the folder is published.
    for (path, bytes) in files(&out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("[R12]"),
            "{path} holds a diagnostic"
        );
    }
    assert!(tmp.path().join(".out.gongkai-replay").is_file());
    // Another language: built again, in that language.
    let (status, zh, _) = build(&site, &out, &["--lang", "zh"]);
    assert_eq!(status, 0);
    assert!(zh.starts_with("已生成"), "{zh}");
    // --strict refuses the warnings, as it would have the first time.
    let (status, _, stderr) = build(&site, &out, &["--strict"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("[R12]"), "{stderr}");
}
