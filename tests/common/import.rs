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
