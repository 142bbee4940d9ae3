//! Helpers of the import tests (`tests/import*.rs`): the binary run in a
//! language fixed by the test, not by the machine's locale (its messages
//! follow `LC_ALL`, `LC_MESSAGES` and `LANG`), a site to import into, and
//! the file an import wrote.

use std::path::Path;

use assert_cmd::Command;

/// A language the binary is run in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

/// The binary, speaking `lang` whatever the locale of the machine that runs
/// the tests: `LC_ALL` and `LC_MESSAGES` removed, `LANG` set.
pub fn bin_in(lang: Lang) -> Command {
    let mut c = Command::cargo_bin("gongkai").expect("the gongkai binary");
    c.env_remove("LC_ALL").env_remove("LC_MESSAGES").env(
        "LANG",
        match lang {
            Lang::En => "C.UTF-8",
            Lang::Zh => "zh_CN.UTF-8",
        },
    );
    c
}

/// The binary, speaking English.
pub fn bin() -> Command {
    bin_in(Lang::En)
}

/// The binary in English with `--root root`.
pub fn gongkai(root: &Path) -> Command {
    gongkai_in(Lang::En, root)
}

/// The binary in `lang` with `--root root`.
pub fn gongkai_in(lang: Lang, root: &Path) -> Command {
    let mut c = bin_in(lang);
    c.arg("--root").arg(root);
    c
}

/// A site to import into: a temporary folder with a `site.toml`.
pub fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("site.toml"), "title = \"导入测试\"\n").expect("site.toml written");
    dir
}

/// The text of the report `slug/year.md` an import wrote into `site`.
pub fn written(site: &Path, slug: &str, year: i32) -> String {
    let path = site.join("content/reports").join(slug).join(format!("{year}.md"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What `gongkai import SOURCE --out TMP --agency-slug x EXTRA…` did, run
/// in English within `timeout`.
pub struct OutImport {
    /// The exit status (`None`: killed).
    pub code: Option<i32>,
    pub stderr: String,
    /// The text of every `.md` file written under `TMP`, by path.
    pub written: Vec<String>,
}

/// Imports `source` into a fresh folder with the command a user runs (the
/// agency slug fixed to `x`, so no name decides where the file goes).
pub fn import_out(source: &Path, extra: &[&str], timeout: std::time::Duration) -> OutImport {
    let out = tempfile::tempdir().expect("a temporary folder");
    let done = bin()
        .arg("import")
        .arg(source)
        .arg("--out")
        .arg(out.path())
        .args(["--agency-slug", "x"])
        .args(extra)
        .timeout(timeout)
        .output()
        .expect("gongkai runs");
    let mut paths: Vec<_> = crate::common::files(out.path())
        .into_keys()
        .filter(|p| p.ends_with(".md"))
        .collect();
    paths.sort();
    OutImport {
        code: done.status.code(),
        stderr: String::from_utf8_lossy(&done.stderr).into_owned(),
        written: (paths.iter())
            .map(|p| std::fs::read_to_string(out.path().join(p)).expect("the written file"))
            .collect(),
    }
}

/// The YAML front matter of a written content file, if it has one.
pub fn front_matter(text: &str) -> Option<serde_yaml::Value> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest
        .find("\n---\n")
        .or_else(|| rest.find("\n---").filter(|&i| rest[i + 4..].trim().is_empty()))?;
    serde_yaml::from_str(&rest[..end]).ok()
}
