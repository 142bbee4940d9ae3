//! Fuzzing the output guard (`output::guard`): any path, through links,
//! `..`, files and links to nothing, is either refused or resolves to a
//! folder that is not the site, does not hold it, is not inside its
//! sources, and is not someone's folder (unless forced). The guard only
//! looks, so one prepared folder serves every input. Run with
//! `GONGKAI_FUZZ_SECS=120 cargo test --release --test fuzz_output -- --ignored --nocapture`.

use std::path::{Component, PathBuf};

mod common;
use common::fuzz;

/// The prepared folder: a site (content, themes, a built public/), someone's
/// folder, a file, and links to the site, into content/, and to nothing.
struct World {
    _dir: tempfile::TempDir,
    base: PathBuf,
    root_real: PathBuf,
    content_real: PathBuf,
    themes_real: PathBuf,
    docs_real: PathBuf,
    file_real: PathBuf,
}

fn world() -> World {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let base = dir.path().canonicalize().expect("real");
    let site = base.join("site");
    std::fs::create_dir_all(site.join("content/reports/a")).expect("folders");
    std::fs::create_dir_all(site.join("themes/default")).expect("folders");
    std::fs::create_dir_all(site.join("public")).expect("folders");
    std::fs::write(site.join("site.toml"), "title = \"t\"\n").expect("written");
    std::fs::write(site.join("content/reports/a/2023.md"), "---\n---\n").expect("written");
    std::fs::write(site.join("public/.gongkai-output"), "gongkai output folder\n").expect("written");
    std::fs::write(site.join("public/index.html"), "<p>built</p>").expect("written");
    std::fs::create_dir_all(base.join("docs/photos")).expect("folders");
    std::fs::write(base.join("docs/notes.txt"), "mine").expect("written");
    std::fs::write(base.join("file.txt"), "a file").expect("written");
    std::fs::create_dir(base.join("empty")).expect("a folder");
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(&site, base.join("lnk-site")).expect("a link");
        symlink(site.join("content"), base.join("lnk-content")).expect("a link");
        symlink(base.join("docs"), base.join("lnk-docs")).expect("a link");
        symlink(base.join("nowhere"), base.join("dangling")).expect("a link");
        symlink(base.join("file.txt"), site.join("lnk-file")).expect("a link");
    }
    World {
        root_real: site.clone(),
        content_real: site.join("content"),
        themes_real: site.join("themes"),
        docs_real: base.join("docs"),
        file_real: base.join("file.txt"),
        base,
        _dir: dir,
    }
}

/// The input as a path under the prepared folder (a leading `/` dropped;
/// `..` may still climb out, which the guard must handle as well).
fn path_of(w: &World, bytes: &[u8]) -> PathBuf {
    let text = String::from_utf8_lossy(bytes).replace('\0', "");
    w.base.join(text.trim_start_matches('/'))
}

fn check(w: &World, bytes: &[u8]) {
    let (flags, rest) = bytes.split_first().map_or((0, &[][..]), |(f, r)| (*f, r));
    let force = flags & 1 == 1;
    let root = if flags & 2 == 2 && cfg!(unix) {
        w.base.join("lnk-site")
    } else {
        w.base.join("site")
    };
    let output = path_of(w, rest);
    let Ok(real) = gongkai::output::guard(&root, &output, force) else {
        return;
    };
    let shown = output.display();
    assert!(real.is_absolute(), "{shown} → {}", real.display());
    assert!(
        real.components()
            .all(|c| matches!(c, Component::RootDir | Component::Normal(_))),
        "{shown} → {}: not normalised",
        real.display()
    );
    if let Ok(canonical) = output.canonicalize() {
        assert_eq!(real, canonical, "{shown}: an existing output resolves to its real path");
    }
    if let Ok(m) = std::fs::symlink_metadata(&real) {
        assert!(m.is_dir(), "{shown} → {}: exists and is not a folder", real.display());
    }
    assert!(
        !w.root_real.starts_with(&real),
        "{shown} → {}: the site or above",
        real.display()
    );
    for src in [&w.content_real, &w.themes_real] {
        assert!(
            !real.starts_with(src) && !src.starts_with(&real),
            "{shown} → {}: sources",
            real.display()
        );
    }
    assert!(!real.starts_with(&w.file_real), "{shown} → {}: a file", real.display());
    if !force {
        assert_ne!(real, w.docs_real, "{shown}: someone's folder, without --force");
    }
}

#[test]
#[ignore = "fuzzing: GONGKAI_FUZZ_SECS=120 cargo test --release --test fuzz_output -- --ignored --nocapture"]
fn fuzz_output_guard() {
    let w = world();
    let seeds: Vec<Vec<u8>> = [
        "\0public",
        "\0site/public",
        "\0docs",
        "\x01docs",
        "\0empty",
        "\0site/../site/public",
        "\x02site/content/x",
        "\0lnk-site/content/../public",
        "\0lnk-content/../..",
        "\0lnk-docs/new",
        "\0dangling/x",
        "\0file.txt/x",
        "\0site/lnk-file",
        "\0site/./new/../../docs",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    let dict: &[&[u8]] = &[
        b"/",
        b"..",
        b".",
        b"//",
        b"site",
        b"lnk-site",
        b"lnk-content",
        b"lnk-docs",
        b"content",
        b"public",
        b"docs",
        b"file.txt",
        b"dangling",
        b"themes",
        b".git",
        b"empty",
        b"lnk-file",
        b"reports",
    ];
    let n = fuzz::run("output-guard", seeds, dict, |bytes| check(&w, bytes));
    assert!(n > 0);
}

/// The harness's oracle on the seeds, in every run of the suite.
#[test]
fn the_guard_oracle_holds_on_the_seeds() {
    let w = world();
    for p in [
        "site",
        "site/public",
        "docs",
        "lnk-site",
        "lnk-content/x",
        "file.txt",
        "empty",
        "a/b/../c",
    ] {
        for flags in 0..4u8 {
            let mut bytes = vec![flags];
            bytes.extend_from_slice(p.as_bytes());
            check(&w, &bytes);
        }
    }
    // And the guard does refuse some of them (the oracle is not vacuous).
    let refused = |p: &str, force| gongkai::output::guard(&w.base.join("site"), &w.base.join(p), force).is_err();
    assert!(refused("site", true) && refused("docs", false) && refused("file.txt", true));
    assert!(!refused("docs", true) && !refused("site/public", false) && !refused("empty", false));
}
