//! `gongkai import` in both languages: a refused import and one that warns,
//! each run in English and in Chinese (snapshots of what is printed and of
//! the JSON's messages, whose keys and status ids stay the same); the file
//! an import writes, which is the same whoever runs it; and a scan of the
//! importer's source that fails on a message still written out in English
//! instead of looked up by key in `locales/import.yml`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod common;
use common::import::{gongkai_in, site, written, Lang};
use common::{import_fixture as fixture, seed};

/// A site with the files a run imports: `refused.txt`, tabs.txt with a
/// number too many in the row 2.重复申请 (so table 三 cannot be read for
/// sure), `warned.txt`, the seed, whose table 四 has a row left blank, and
/// `draft.txt`, a report without a date (written as a draft).
fn site_with_sources() -> tempfile::TempDir {
    let dir = site();
    let tabs = std::fs::read_to_string(fixture("tabs.txt")).unwrap();
    let refused = tabs.replace("\t2.重复申请\t", "\t2.重复申请\t9\t");
    assert_ne!(refused, tabs, "tabs.txt no longer has the row 2.重复申请");
    std::fs::write(dir.path().join("refused.txt"), refused).unwrap();
    std::fs::copy(seed(), dir.path().join("warned.txt")).unwrap();
    std::fs::copy(common::fixture("import-meta/no-date.txt"), dir.path().join("draft.txt")).unwrap();
    dir
}

/// Runs `gongkai import ARGS` in `lang` from inside the site (so every path
/// printed is relative and the output the same on every machine): the exit
/// status, stdout and stderr.
fn run(lang: Lang, site: &Path, args: &[&str]) -> (i32, String, String) {
    let out = gongkai_in(lang, Path::new("."))
        .current_dir(site)
        .arg("import")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// What a user sees of a run, for a snapshot.
fn transcript(lang: Lang, site: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = run(lang, site, args);
    format!(
        "$ gongkai import {}   ({lang:?})\nstatus: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}",
        args.join(" ")
    )
}

/// The JSON summary of a run: its ids and counts, and each file's messages.
fn json(lang: Lang, site: &Path, file: &str) -> serde_json::Value {
    let (_, stdout, _) = run(lang, site, &["--format", "json", file]);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn a_refused_import_speaks_the_users_language() {
    let dir = site_with_sources();
    let en = transcript(Lang::En, dir.path(), &["refused.txt"]);
    let zh = transcript(Lang::Zh, dir.path(), &["refused.txt"]);
    assert!(en.contains("status: 1") && zh.contains("status: 1"), "{en}\n{zh}");
    // The official labels are quoted verbatim in both; the words around them are not English under zh.
    for out in [&en, &zh] {
        assert!(
            out.contains("三、收到和处理政府信息公开申请情况") && out.contains("2.重复申请"),
            "{out}"
        );
    }
    assert!(
        en.contains("has 8 numbers for 7 columns") && en.contains("nothing was written"),
        "{en}"
    );
    assert!(
        zh.contains("错误：") && zh.contains("未写入任何文件") && zh.contains("第 "),
        "{zh}"
    );
    assert!(!zh.contains("the row") && !zh.contains("nothing was written"), "{zh}");
    insta::assert_snapshot!("refused_en", en);
    insta::assert_snapshot!("refused_zh", zh);
    assert!(!dir.path().join("content").exists(), "a refused import wrote a file");

    // JSON: the same keys and status id, the message in the language asked for.
    let (en, zh) = (
        json(Lang::En, dir.path(), "refused.txt"),
        json(Lang::Zh, dir.path(), "refused.txt"),
    );
    for v in [&en, &zh] {
        assert_eq!(v["files"][0]["status"], "refused");
        assert_eq!(v["refused"], 1);
    }
    let keys = |v: &serde_json::Value| v["files"][0].as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&en), keys(&zh));
    insta::assert_snapshot!("refused_json_message_en", en["files"][0]["error"].as_str().unwrap());
    insta::assert_snapshot!("refused_json_message_zh", zh["files"][0]["error"].as_str().unwrap());
}

#[test]
fn an_import_that_warns_speaks_the_users_language() {
    let (en_site, zh_site) = (site_with_sources(), site_with_sources());
    let en = transcript(Lang::En, en_site.path(), &["warned.txt"]);
    let zh = transcript(Lang::Zh, zh_site.path(), &["warned.txt"]);
    assert!(en.contains("status: 0") && zh.contains("status: 0"), "{en}\n{zh}");
    assert!(
        en.contains("imported warned.txt") && en.contains("every cell is blank"),
        "{en}"
    );
    assert!(
        zh.contains("已导入 warned.txt") && zh.contains("原文所有单元格均为空白"),
        "{zh}"
    );
    assert!(!zh.contains("every cell") && !zh.contains("published"), "{zh}");
    insta::assert_snapshot!("warned_en", en);
    insta::assert_snapshot!("warned_zh", zh);

    let (en_json, zh_json) = (site_with_sources(), site_with_sources());
    let en = json(Lang::En, en_json.path(), "warned.txt");
    let zh = json(Lang::Zh, zh_json.path(), "warned.txt");
    for v in [&en, &zh] {
        assert_eq!(v["files"][0]["status"], "imported");
        assert_eq!(v["files"][0]["format"], "gov-2021");
    }
    let warnings = |v: &serde_json::Value| {
        (v["files"][0]["warnings"].as_array().unwrap().iter())
            .map(|w| w.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    insta::assert_snapshot!("warned_json_messages_en", warnings(&en));
    insta::assert_snapshot!("warned_json_messages_zh", warnings(&zh));
}

#[test]
fn the_summary_of_many_files_speaks_the_users_language() {
    let (en_site, zh_site) = (site_with_sources(), site_with_sources());
    let files = ["refused.txt", "warned.txt", "draft.txt"];
    let en = transcript(Lang::En, en_site.path(), &files);
    let zh = transcript(Lang::Zh, zh_site.path(), &files);
    assert!(en.contains("written, or why not") && en.contains("2 imported (1 as drafts), 1 refused, 0 errors"));
    assert!(
        en.contains("written as a draft") && en.contains("(fill in published)"),
        "{en}"
    );
    assert!(zh.contains("写入位置或未导入原因") && zh.contains("已导入 2 个（其中草稿 1 个），未导入 1 个，错误 0 个"));
    assert!(
        zh.contains("已写为草稿") && zh.contains("（请填写 published）") && zh.contains("草稿  "),
        "{zh}"
    );
    insta::assert_snapshot!("summary_en", en);
    insta::assert_snapshot!("summary_zh", zh);
}

#[test]
fn errors_about_the_source_file_speak_the_users_language() {
    let dir = site();
    std::fs::write(dir.path().join("binary.txt"), b"\x00\x01 not text").unwrap();
    std::fs::write(dir.path().join("old.doc"), b"\xd0\xcf\x11\xe0").unwrap();
    for (file, en, zh) in [
        ("binary.txt", "holds NUL bytes", "含有 NUL 字节"),
        ("old.doc", "save the report as .docx", "另存为 .docx"),
    ] {
        let (code, _, stderr) = run(Lang::En, dir.path(), &[file]);
        assert!(code == 2 && stderr.contains(en), "{stderr}");
        let (code, _, stderr) = run(Lang::Zh, dir.path(), &[file]);
        assert!(code == 2 && stderr.contains(zh) && !stderr.contains(en), "{stderr}");
        // `--lang zh` under an English locale says the same.
        assert_eq!(run(Lang::En, dir.path(), &["--lang", "zh", file]).2, stderr);
    }
}

/// What import writes into a content file is read by the staff who keep
/// the site, whoever ran the import: it never changes with the language.
#[test]
fn the_written_file_is_the_same_in_both_languages() {
    let (en, zh) = (site_with_sources(), site_with_sources());
    for (lang, dir) in [(Lang::En, &en), (Lang::Zh, &zh)] {
        let (code, _, stderr) = run(lang, dir.path(), &["warned.txt"]);
        assert_eq!(code, 0, "{stderr}");
    }
    let slug = "suibinxian-zhongrenzhen";
    let text = written(en.path(), slug, 2023);
    assert_eq!(text, written(zh.path(), slug, 2023));
    // A draft's comments too.
    let no_date = common::fixture("import-meta/no-date.txt");
    for (lang, dir) in [(Lang::En, &en), (Lang::Zh, &zh)] {
        let (code, _, _) = run(lang, dir.path(), &[no_date.to_str().unwrap()]);
        assert_eq!(code, 1);
    }
    let slug = "shilixian-jiaotongyunshuju";
    assert_eq!(written(en.path(), slug, 2023), written(zh.path(), slug, 2023));
}

// ------------------------------------------------------- the source, scanned

/// The importer's source files: `src/import/` (but `slug.rs`, which is the
/// command line's) and the command.
fn import_sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") && !p.ends_with("slug.rs") && !p.ends_with("tests.rs") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![root.join("src/commands/import_cmd.rs")];
    walk(&root.join("src/import"), &mut out);
    out.sort();
    out
}

/// The string literals of Rust code outside its `#[cfg(test)]` module, each
/// with its line: ordinary and raw strings (byte strings too); comments and
/// character literals skipped. A small reader rather than a parser crate:
/// the test needs the literals only, and `syn` would be a dependency for this
/// alone.
fn literals(code: &str) -> Vec<(usize, String)> {
    let code = code.split("#[cfg(test)]").next().unwrap_or_default();
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let line = |at: usize| code[..at].matches('\n').count() + 1;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            i = code[i..].find('\n').map_or(b.len(), |n| i + n);
        } else if b[i] == b'\'' {
            // A character literal ('"', '\'', '\u{c}'), or a lifetime.
            if b.get(i + 1) == Some(&b'\\') {
                i = code[i + 2..].find('\'').map_or(b.len(), |n| i + 2 + n + 1);
            } else {
                let next = code[i + 1..].chars().next().map_or(1, char::len_utf8);
                i += if b.get(i + 1 + next) == Some(&b'\'') {
                    next + 2
                } else {
                    1
                };
            }
        } else if b[i] == b'"' || (b[i] == b'r' && matches!(b.get(i + 1), Some(b'"' | b'#'))) {
            let after_ident = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
            if b[i] == b'r' && (after_ident && b[i - 1] != b'b') {
                i += 1;
                continue;
            }
            let start = i;
            if b[i] == b'r' {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                let body = i + 2 + hashes;
                let end = format!("\"{}", "#".repeat(hashes));
                let close = code[body..].find(&end).map_or(b.len(), |n| body + n);
                out.push((line(start), code[body..close].to_string()));
                i = close + end.len();
            } else {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                out.push((line(start), code[i + 1..j.min(b.len())].to_string()));
                i = j + 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Whether a literal reads as English prose: two words of Latin letters
/// side by side (`the row`, `not found`), which no key, label or format
/// string of the importer has.
fn english_prose(s: &str) -> bool {
    let words: Vec<&str> = s.split([' ', '\n']).collect();
    let word = |w: &str| w.len() >= 2 && w.chars().all(|c| c.is_ascii_alphabetic());
    words.windows(2).any(|p| word(p[0]) && word(p[1]))
}

/// Literals that are English on purpose: lists of HTML element names the
/// web-page reader looks for, never shown to anyone.
const NOT_MESSAGES: [&str; 3] = [
    "address article blockquote",
    "head script style noscript",
    "area base br col embed",
];

#[test]
fn no_message_of_the_importer_is_written_out_in_english() {
    let mut found = Vec::new();
    let mut seen = 0;
    for file in import_sources() {
        let code = std::fs::read_to_string(&file).unwrap();
        for (line, lit) in literals(&code) {
            seen += 1;
            if english_prose(&lit) && !NOT_MESSAGES.iter().any(|n| lit.trim_start().starts_with(n)) {
                found.push(format!("{}:{line}: {lit:?}", file.display()));
            }
        }
    }
    assert!(seen > 500, "only {seen} literals read: the scan is broken");
    assert!(
        found.is_empty(),
        "messages written out in English; give each a key in locales/import.yml and use t!(\"import.…\"):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_finds_an_english_message() {
    let code = r#"fn f() -> Result<(), String> { Err(format!("the row has {n} numbers")) }
const LABEL: &str = "三、本年度办理结果"; // a comment in English is no message
fn g() -> char { '"' }
fn h() -> String { t!("import.table.line", line = 1).into_owned() }
"#;
    let lits = literals(code);
    let english: Vec<&str> = (lits.iter())
        .filter(|(_, l)| english_prose(l))
        .map(|(_, l)| l.as_str())
        .collect();
    assert_eq!(english, ["the row has {n} numbers"]);
    assert_eq!(lits.len(), 3, "{lits:?}");
}

/// Every `"import.…"` key the importer names is declared with both texts,
/// keys chosen at run time (the agency's `from`) included: tests/i18n.rs
/// checks only keys written inside `t!(…)`.
#[test]
fn every_key_the_importer_names_is_declared() {
    let yml = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/import.yml");
    let doc: BTreeMap<String, serde_yaml::Value> =
        serde_yaml::from_str(&std::fs::read_to_string(yml).unwrap()).unwrap();
    let mut named = 0;
    for file in import_sources() {
        for (line, lit) in literals(&std::fs::read_to_string(&file).unwrap()) {
            let is_key = lit.starts_with("import.") && lit.len() > 7 && !lit.contains(' ');
            if !is_key {
                continue;
            }
            named += 1;
            let texts = doc.get(&lit);
            for lang in ["en", "zh-CN"] {
                assert!(
                    texts.and_then(|t| t.get(lang)).is_some(),
                    "{}:{line}: `{lit}` has no `{lang}` text in locales/import.yml",
                    file.display()
                );
            }
        }
    }
    assert!(named > 100, "only {named} keys named: the scan is broken");
}
