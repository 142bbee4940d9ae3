//! F07: the files the portal would write, against the content's own. Every
//! output file is claimed once, the generated pages and data files (from
//! [`all_pages`], the list the outputs render) and the theme's files first,
//! so nothing from `content/` can replace them; then each page and asset of
//! the content, in order. `check`, `build` and `serve` all run it (through
//! `build::add_output_checks`), so `check` refuses what `build` would.
//!
//! A check over the plan, it sits with the plan: it plans the portal to know
//! which reports are published.

use std::collections::{HashMap, HashSet};

use crate::diagnostics::{Diagnostic, Pos};
use crate::portal::Portal;
use crate::rules::Rule;
use crate::site::Site;
use crate::urls::{self, all_pages, PageKey};

/// Who writes an output file.
enum Writer {
    Generated,
    Theme,
    Content(String),
}

/// F07: a page or content asset that would be written over a file of the
/// portal (a generated page or data file, a theme or `static/` file,
/// another page or asset), where the portal needs a folder, or over a folder
/// the portal fills itself. Every output file is claimed once, generated
/// files and the theme first, so nothing from `content/` can replace them.
pub fn output_collisions<'a>(site: &Site, statics: impl IntoIterator<Item = &'a str>, drafts: bool) -> Vec<Diagnostic> {
    output_collisions_in(site, &Portal::plan(site, drafts), statics, drafts)
}

/// [`output_collisions`] with the portal already planned (as `build` plans
/// it once for this check and the writing).
pub fn output_collisions_in<'a>(
    site: &Site,
    portal: &Portal,
    statics: impl IntoIterator<Item = &'a str>,
    drafts: bool,
) -> Vec<Diagnostic> {
    // Every file the portal generates, from the same list the renderer uses.
    let mut files: HashMap<String, Writer> = all_pages(portal)
        .iter()
        .filter(|k| !matches!(k, PageKey::Page(_)))
        .map(|k| (k.file(), Writer::Generated))
        .collect();
    files.insert("syntax.css".to_string(), Writer::Generated);
    for s in statics {
        files.entry(s.to_string()).or_insert(Writer::Theme);
    }
    let mut dirs: HashSet<String> = HashSet::new();
    for f in files.keys() {
        dirs.extend(parents(f).map(str::to_string));
    }
    // Folders the portal fills itself are reserved as a whole for pages; the
    // search index's own files for assets.
    let reserved = ["years/", "agencies/", "data/", "search/"];
    let mut out = Vec::new();
    let mut claim = |file: String, by: &str, page: bool| -> Option<String> {
        let clash = if let Some(w) = files.get(&file) {
            Some(
                match w {
                    Writer::Generated => t!("diag.f07.generated", file = file),
                    Writer::Theme => t!("diag.f07.theme", file = file),
                    Writer::Content(other) => t!("diag.f07.content", file = file, other = other),
                }
                .into_owned(),
            )
        } else if dirs.contains(&file) {
            Some(t!("diag.f07.folder", file = file).into_owned())
        } else if let Some(p) = parents(&file).find(|p| files.contains_key(*p)) {
            Some(t!("diag.f07.inside", file = file, parent = p).into_owned())
        } else if page && reserved.iter().any(|d| file.starts_with(d)) {
            Some(t!("diag.f07.reserved", file = file).into_owned())
        } else if !page && urls::search_index_file(&file) {
            Some(t!("diag.f07.search", file = file).into_owned())
        } else {
            None
        };
        if clash.is_none() {
            dirs.extend(parents(&file).map(str::to_string));
            files.insert(file, Writer::Content(by.to_string()));
        }
        clash
    };
    for p in site.pages.iter().filter(|p| drafts || !p.draft) {
        let file = urls::file(&urls::page(&p.path));
        if let Some(clash) = claim(file, &p.path, true) {
            let what = t!("diag.f07.page", clash = clash);
            out.push(
                Diagnostic::new(Rule::F07, &p.path, Some(Pos::line(1)), "", &what).with_help(t!("diag.f07.page_help")),
            );
        }
    }
    for a in &site.assets {
        let by = format!("{}/{a}", crate::content::DIR);
        if let Some(clash) = claim(a.clone(), &by, false) {
            let what = t!("diag.f07.asset", clash = clash);
            out.push(Diagnostic::new(Rule::F07, &by, None, "", &what).with_help(t!("diag.f07.asset_help")));
        }
    }
    out
}

/// The folders above a `/`-separated file path: `a/b/c.html` → `a`, `a/b`.
fn parents(file: &str) -> impl Iterator<Item = &str> {
    file.match_indices('/').map(move |(i, _)| &file[..i])
}
