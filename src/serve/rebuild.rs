//! What a change touches, and bringing the working site up to date.
//!
//! [`classify`] sorts a batch of changed paths: `site.toml`, the roster
//! (`agencies.toml`), or a folder
//! under `content/` coming or going (or anything the walk must judge: a
//! link, a special file, a name that cannot be a URL) reads the whole site
//! again; a Markdown file is read and checked alone; a content asset is
//! added or dropped; anything under `templates/`, `static/` or the theme's
//! folder reloads the theme. [`update`] applies that to a `Site`: one file at
//! a time through `Site::update_file`, and when that fails (the site's
//! folder gone, say), the whole site is read again rather than kept half
//! updated, and the rest of the batch is not dropped.
//!
//! Pages are not rendered here: the preview renders a page when it is asked
//! for (see [`super::memory`]), so a change touches no page at edit time.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::content::{self, is_editor_temp};
use crate::site::{self, Site};
use crate::Error;

/// What a batch of changed paths touches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// The changed paths that matter, relative to the site root.
    pub changed: Vec<String>,
    /// `site.toml` changed: read everything again, the theme too.
    pub reload_site: bool,
    /// Read all of `content/` again.
    pub rescan: bool,
    /// Load the theme and the site's templates and static files again.
    pub reload_theme: bool,
    /// Markdown files to read again, relative to the site root.
    pub markdown: Vec<String>,
    /// Content assets added or removed, relative to `content/`.
    pub assets: Vec<String>,
}

impl Changes {
    /// The changed paths for a message: up to three, or two and a count.
    pub fn what(&self) -> String {
        if self.changed.len() <= 3 {
            self.changed.join(", ")
        } else {
            t!(
                "serve.changed_more",
                first = self.changed[..2].join(", "),
                more = self.changed.len() - 2
            )
            .into_owned()
        }
    }
}

/// Sorts a batch of changed paths (absolute, under `root`) by what they
/// touch, given the site as it is now.
pub fn classify(root: &Path, site: &Site, paths: &BTreeSet<PathBuf>) -> Changes {
    let mut c = Changes::default();
    let theme_dir = format!("themes/{}/", site.config.theme);
    for path in paths {
        let Ok(rel_path) = path.strip_prefix(root) else {
            continue;
        };
        let rel = content::relative(Path::new(""), rel_path);
        let name = rel.rsplit('/').next().unwrap_or("");
        if rel.is_empty() || is_editor_temp(name) || name.starts_with('.') {
            continue;
        }
        if rel == crate::config::FILE || rel == crate::roster::FILE {
            // The roster changes the checks of every report (R14, R15) and
            // the agencies page: read everything again, as for site.toml.
            c.reload_site = true;
        } else if rel == content::DIR {
            c.rescan = true;
        } else if rel == "themes" {
            c.reload_theme = true;
        } else if let Some(under) = rel.strip_prefix("content/") {
            let known = site.reports.iter().any(|r| r.path == rel)
                || site.pages.iter().any(|p| p.path == rel)
                || site.assets.iter().any(|a| a == under);
            if path.is_dir() || (!path.exists() && !known) {
                // A folder created, renamed or removed (or a file never
                // known): read the content again.
                c.rescan = true;
            } else if path.symlink_metadata().is_ok() && !content::plain_entry(root, &rel) {
                // A link, a special file or a name that cannot be a URL:
                // the walk's own rules (F06, F08) decide, as in `build`.
                c.rescan = true;
            } else if name.ends_with(".md") {
                c.markdown.push(rel.clone());
            } else {
                c.assets.push(under.to_string());
            }
        } else if rel == "templates"
            || rel == "static"
            || rel.starts_with("templates/")
            || rel.starts_with("static/")
            || rel.starts_with(&theme_dir)
            || format!("{rel}/") == theme_dir
        {
            c.reload_theme = true;
        } else {
            continue;
        }
        c.changed.push(rel);
    }
    c
}

/// Reads and checks the site at `root` as `serve` shows it (its base URL is
/// the preview's).
pub fn load(root: &Path, base_url: &str) -> Result<Site, Error> {
    let mut site = Site::load(root, site::today())?;
    site.config.base_url = base_url.to_string();
    Ok(site)
}

/// Brings `site` up to date with `changes`: the files one by one, or the
/// whole site again when `changes` asks for it, or `full` does, or a file
/// cannot be read alone. Returns whether the files the portal has may have
/// changed (a report or page added, removed, moved to another URL or made a
/// draft, an asset, a full reload): if not, the output-path checks (F07)
/// and the map of URLs of the last good state still hold. On error (a
/// broken `site.toml`, the site's folder gone) `site` is left as it was, or
/// half updated: the caller must read it whole again later.
pub fn update(site: &mut Site, root: &Path, base_url: &str, changes: &Changes, full: bool) -> Result<bool, Error> {
    if full || changes.reload_site || changes.rescan {
        *site = load(root, base_url)?;
        return Ok(true);
    }
    let mut outputs = !changes.assets.is_empty();
    let mut failed = None;
    for rel in &changes.markdown {
        let before = output_of(site, rel);
        // Every file of the batch is taken, even after one failed.
        match site.update_file(rel) {
            Ok(_) => outputs |= output_of(site, rel) != before,
            Err(e) => {
                failed.get_or_insert(e);
            }
        }
    }
    for a in &changes.assets {
        let exists = root.join(content::DIR).join(a).is_file();
        site.update_asset(a, exists);
    }
    if failed.is_some() {
        // `update_file` may have dropped the file before failing: read
        // everything again rather than keep a site that is not the one on
        // disk.
        *site = load(root, base_url)?;
        return Ok(true);
    }
    Ok(outputs)
}

/// What decides the output files of the Markdown file `rel`: a report's
/// agency, year and draft flag, a page's draft flag.
fn output_of(site: &Site, rel: &str) -> Option<(Option<(String, i32)>, bool)> {
    if let Ok(i) = site.reports.binary_search_by(|r| content::path_cmp(&r.path, rel)) {
        let r = &site.reports[i];
        return Some((Some((r.agency_slug.clone(), r.year)), r.draft));
    }
    let i = site.pages.binary_search_by(|p| content::path_cmp(&p.path, rel)).ok()?;
    Some((None, site.pages[i].draft))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_dir() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap().join("site");
        crate::scaffold::init(&root, site::today()).unwrap();
        (dir, root)
    }

    fn set(paths: &[PathBuf]) -> BTreeSet<PathBuf> {
        paths.iter().cloned().collect()
    }

    #[test]
    fn changes_are_sorted_by_what_they_touch() {
        let (_dir, root) = site_dir();
        let site = load(&root, "http://x/").unwrap();
        let report = site.reports[0].path.clone();
        std::fs::write(root.join("content/notice.pdf"), "x").unwrap();
        std::fs::create_dir_all(root.join("templates")).unwrap();
        let c = classify(
            &root,
            &site,
            &set(&[
                root.join(&report),
                root.join("content/notice.pdf"),
                root.join("content/.hidden.md"),
                root.join("content/x.md~"),
                root.join("public/index.html"),
                root.join("templates/page.html"),
                root.join("elsewhere.txt"),
            ]),
        );
        assert_eq!(c.markdown, vec![report.clone()]);
        assert_eq!(c.assets, vec!["notice.pdf".to_string()]);
        assert!(c.reload_theme && !c.reload_site && !c.rescan);
        assert_eq!(c.changed.len(), 3, "{:?}", c.changed);

        let c = classify(&root, &site, &set(&[root.join("site.toml")]));
        assert!(c.reload_site);
        let c = classify(&root, &site, &set(&[root.join("agencies.toml")]));
        assert!(c.reload_site && c.changed == ["agencies.toml"], "{c:?}");
        // A file never known that is gone: a folder, say; read again.
        let c = classify(&root, &site, &set(&[root.join("content/reports/gone")]));
        assert!(c.rescan);
        assert_eq!(c.what(), "content/reports/gone");
    }

    /// Bug: when `update_file` failed, the file was already dropped from
    /// the site and the rest of the batch was never read. Now every file of
    /// the batch is tried, the error is given back (the caller reads the
    /// site whole at the next change), and a full update reads it all.
    #[test]
    fn a_file_that_cannot_be_read_alone_is_an_error_and_a_full_update_mends_it() {
        let (dir, root) = site_dir();
        let mut site = load(&root, "http://x/").unwrap();
        let report = site.reports[0].path.clone();
        let page = site.pages[0].path.clone();
        let (reports, pages) = (site.reports.len(), site.pages.len());
        let changes = Changes {
            changed: vec![report.clone(), page.clone()],
            markdown: vec![report.clone(), page.clone()],
            ..Changes::default()
        };
        // The site's folder moved away: no file can be read alone.
        let moved = dir.path().join("moved");
        std::fs::rename(&root, &moved).unwrap();
        assert!(update(&mut site, &root, "http://x/", &changes, false).is_err());
        // Back in place: a full update reads everything again.
        std::fs::rename(&moved, &root).unwrap();
        update(&mut site, &root, "http://x/", &Changes::default(), true).unwrap();
        assert_eq!((site.reports.len(), site.pages.len()), (reports, pages));
        assert!(site.reports.iter().any(|r| r.path == report));
        assert_eq!(site.config.base_url, "http://x/");
    }

    /// A roster written (or changed) is read with the whole site, and its
    /// checks come with it.
    #[test]
    fn a_roster_written_while_serving_is_checked() {
        let (_dir, root) = site_dir();
        let mut site = load(&root, "http://x/").unwrap();
        assert!(site.roster.is_none());
        std::fs::write(
            root.join("agencies.toml"),
            "[[agency]]\nslug = \"other\"\nname = \"示例局\"\nlevel = \"department\"\n",
        )
        .unwrap();
        let changes = classify(&root, &site, &set(&[root.join("agencies.toml")]));
        assert!(update(&mut site, &root, "http://x/", &changes, false).unwrap());
        assert!(site.roster.is_some());
        assert!(
            site.diagnostics.iter().any(|d| d.id.as_str() == "R15"),
            "{:#?}",
            site.diagnostics
        );
        assert_eq!(site.config.base_url, "http://x/");
    }

    #[test]
    fn a_new_text_keeps_the_output_files_a_draft_does_not() {
        let (_dir, root) = site_dir();
        let mut site = load(&root, "http://x/").unwrap();
        let report = site.reports[0].path.clone();
        let text = std::fs::read_to_string(root.join(&report)).unwrap();
        let changes = Changes {
            changed: vec![report.clone()],
            markdown: vec![report.clone()],
            ..Changes::default()
        };
        std::fs::write(root.join(&report), format!("{text}\n另有说明。\n")).unwrap();
        assert!(!update(&mut site, &root, "http://x/", &changes, false).unwrap());
        assert!(site.reports[0].body.contains("另有说明"));
        assert!(text.contains("\ndraft: false"));
        let drafted = text.replacen("\ndraft: false", "\ndraft: true", 1);
        std::fs::write(root.join(&report), drafted).unwrap();
        assert!(update(&mut site, &root, "http://x/", &changes, false).unwrap());
        assert!(site.reports[0].draft);
    }
}
