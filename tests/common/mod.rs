//! Helpers shared by the integration tests (each test file is its own
//! crate and uses only some of them, hence `dead_code` allowed here).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The environment of a `gongkai` run fixed to English: `LANG=C.UTF-8`,
/// and `LC_ALL` and `LC_MESSAGES` (which would win over it) removed, so
/// that tests reading English messages pass on a Chinese machine too.
pub fn english(cmd: &mut std::process::Command) -> &mut std::process::Command {
    cmd.env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
}

/// `gongkai` (the binary under test) with the environment fixed to English
/// (see [`english`]).
pub fn gongkai() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("gongkai").expect("the gongkai binary");
    c.env("LANG", "C.UTF-8").env_remove("LC_ALL").env_remove("LC_MESSAGES");
    c
}

/// [`gongkai`] as a plain `std::process::Command` (for a process to keep
/// running, as `serve`).
pub fn gongkai_process() -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("gongkai"));
    english(&mut c);
    c
}

/// The fixture site `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The importer's fixture `tests/fixtures/import/<name>`.
pub fn import_fixture(name: &str) -> PathBuf {
    fixture("import").join(name)
}

/// The first importer fixture: the seed report's text, as extracted from its PDF.
pub fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/zhongren-2023.txt")
}

/// Every file under `dir`, by `/`-separated relative path.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_except(dir, |_| false)
}

/// Every file under `dir`, by `/`-separated relative path, but those whose
/// file name `skip` says to leave out (they are never read).
pub fn files_except(dir: &Path, skip: fn(&str) -> bool) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, skip: fn(&str) -> bool, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            let name = path.file_name().expect("a name").to_string_lossy().into_owned();
            if path.is_dir() {
                walk(base, &path, skip, out);
            } else if !skip(&name) {
                let rel = path.strip_prefix(base).expect("under base");
                let rel = rel.iter().map(|c| c.to_string_lossy()).collect::<Vec<_>>().join("/");
                out.insert(rel, std::fs::read(&path).expect("readable"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, skip, &mut out);
    out
}

/// Copies the folder `from` to `to`, creating `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let path = entry.expect("a directory entry").path();
        let dest = to.join(path.file_name().expect("a file name"));
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
}
pub mod fuzz;
pub mod html_table;
pub mod import;

/// An agency's or a roll-up's JSON with the rows of tables 三 and 4 made
/// objects again (`requests.new: [..]` → `{natural_person: .., ..}`) by the
/// file's own `columns`, so tests read every cell by its stable id
/// `tables.<table>.<row_key>.<column_key>`. Fails when a row and the
/// columns differ in length.
pub fn keyed(doc: &serde_json::Value) -> serde_json::Value {
    let columns = doc["columns"].clone();
    let fix = |tables: &mut serde_json::Value| {
        for table in ["appeals", "requests"] {
            let keys: Vec<String> = columns[table]
                .as_array()
                .unwrap_or_else(|| panic!("`columns.{table}` in {doc}"))
                .iter()
                .map(|k| k.as_str().expect("a column key").to_string())
                .collect();
            let Some(rows) = tables.get_mut(table).and_then(|r| r.as_object_mut()) else {
                continue;
            };
            for (key, row) in rows.iter_mut() {
                let cells = row
                    .as_array()
                    .unwrap_or_else(|| panic!("{table}.{key}: an array, not {row}"));
                assert_eq!(cells.len(), keys.len(), "{table}.{key}: one number per column");
                *row = keys.iter().cloned().zip(cells.iter().cloned()).collect();
            }
        }
    };
    let mut out = doc.clone();
    if out.get("tables").is_some_and(|t| t.is_object()) {
        fix(&mut out["tables"]);
    }
    if let Some(reports) = out.get_mut("reports").and_then(|r| r.as_array_mut()) {
        for r in reports {
            if r.get("tables").is_some_and(|t| t.is_object()) {
                fix(&mut r["tables"]);
            }
        }
    }
    out
}
