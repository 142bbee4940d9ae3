//! The message catalogue (`locales/*.yml`): every key carries both texts,
//! English and Chinese, with the same `%{placeholders}`; and every key the
//! code asks for with `t!("…")` is declared (rust-i18n would print a missing
//! key's name to the user instead of a message).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const LANGS: [&str; 2] = ["en", "zh-CN"];

fn catalogue() -> BTreeMap<String, BTreeMap<String, String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let mut all = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("locales/") {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("yml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let doc: BTreeMap<String, serde_yaml::Value> =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            doc.get("_version").and_then(|v| v.as_u64()),
            Some(2),
            "{}: `_version: 2` (both texts side by side)",
            path.display()
        );
        for (key, value) in doc {
            if key == "_version" {
                continue;
            }
            let texts: BTreeMap<String, String> = serde_yaml::from_value(value)
                .unwrap_or_else(|e| panic!("{}: {key}: a map of language to text: {e}", path.display()));
            assert!(
                all.insert(key.clone(), texts).is_none(),
                "{key} is declared twice in locales/"
            );
        }
    }
    all
}

fn placeholders(s: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = s;
    while let Some(i) = rest.find("%{") {
        let after = &rest[i + 2..];
        match after.find('}') {
            Some(j) => {
                out.insert(after[..j].to_string());
                rest = &after[j + 1..];
            }
            None => break,
        }
    }
    out
}

#[test]
fn every_key_has_both_languages_and_the_same_placeholders() {
    let cat = catalogue();
    assert!(!cat.is_empty());
    for (key, texts) in &cat {
        for lang in LANGS {
            let t = texts.get(lang).unwrap_or_else(|| panic!("{key}: no `{lang}` text"));
            assert!(!t.trim().is_empty(), "{key}: empty `{lang}` text");
        }
        assert_eq!(
            texts.len(),
            LANGS.len(),
            "{key}: languages other than en and zh-CN: {:?}",
            texts.keys()
        );
        assert_eq!(
            placeholders(&texts["en"]),
            placeholders(&texts["zh-CN"]),
            "{key}: the two texts fill in different values"
        );
    }
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().and_then(|e| e.to_str()) == Some("rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_key_the_code_uses_is_declared() {
    let cat = catalogue();
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut missing = Vec::new();
    let mut used = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        // `t!("key"` and `t!(\n "key"`: literal keys only (a computed key is
        // checked where it is computed).
        let mut rest = text.as_str();
        while let Some(i) = rest.find("t!(") {
            let before = rest[..i].chars().last();
            rest = &rest[i + 3..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // `print!(`, `assert!(`, …
            }
            let arg = rest.trim_start();
            if let Some(lit) = arg.strip_prefix('"') {
                let key = &lit[..lit.find('"').unwrap()];
                used += 1;
                if !cat.contains_key(key) {
                    missing.push(format!("{}: {key}", f.display()));
                }
            }
        }
    }
    assert!(used > 0, "no t!(\"…\") found: the scan is broken");
    assert!(
        missing.is_empty(),
        "keys used but not in locales/:\n{}",
        missing.join("\n")
    );
}
