//! The build: check the site, plan the portal, render every page and write
//! the output, in that order. Content errors stop the build before anything
//! is written (the caller prints the same diagnostics as `check`); the
//! output is written to a temporary folder and swapped in when complete.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::markdown::{self, MarkdownOptions};
use crate::output::Staging;
use crate::outputs::{Cx, RenderOptions, Rendered};
use crate::portal::Portal;
use crate::render::Registry;
use crate::site::Site;
use crate::theme::{Source, Theme};
use crate::urls::PageKey;
use crate::Error;

/// What `build` was asked for.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// Where to write; default: `output_dir` of site.toml.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of site.toml.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Delete the previous output on a background thread (for `serve`).
    pub background_cleanup: bool,
    /// Replace an existing output folder even when gongkai did not write
    /// it (see [`crate::output::guard`]).
    pub force: bool,
}

/// What a finished build did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub reports: usize,
    pub pages: usize,
    pub files: usize,
    pub warnings: usize,
    pub output: PathBuf,
    /// The search index files written (for `serve`, which rewrites them).
    pub search_files: Vec<String>,
    /// Files whose bytes equal the previous output's, linked from it
    /// rather than written.
    pub kept: u64,
}

/// The result of a build: the checked site, and the summary if it was written.
pub struct Outcome {
    pub site: Site,
    pub summary: Option<Summary>,
}

/// Called with (done, total) as pages are written.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// Checks and builds the site at `root`. Content errors (and, with
/// `strict`, warnings) leave `summary` empty and write nothing.
pub fn build(root: &Path, opts: &BuildOptions, strict: bool, progress: Progress) -> Result<Outcome, Error> {
    build_with(root, opts, strict, inputs_fingerprint(root, opts, strict), progress)
}

/// [`build`] with the [`inputs_fingerprint`] already taken (by the caller,
/// before anything is read: a file edited during the build makes the next
/// build a full one), to be recorded with the output.
pub fn build_with(
    root: &Path,
    opts: &BuildOptions,
    strict: bool,
    inputs: String,
    progress: Progress,
) -> Result<Outcome, Error> {
    let t = Timer::start();
    // A `--base-url` that is no address is refused before anything is read.
    if let Some(url) = &opts.base_url {
        crate::config::check_base_url_flag(url)?;
    }
    let config = crate::config::Config::load(root)?;
    // A refused output folder is said at once, before the checks (and again
    // by `write_site`, which every build goes through).
    let output = opts.output.clone().unwrap_or_else(|| config.output_path(root));
    crate::output::guard(root, &output, opts.force)?;
    // The search index needs jieba's dictionary; load it while checking.
    if config.outputs.search {
        crate::search::warm_up();
    }
    let mut site = Site::load_with(config, root, crate::site::today())?;
    site.drop_update_state();
    t.lap("load and check");
    if let Some(url) = &opts.base_url {
        site.config.base_url = url.clone();
    }
    // Loaded once: the checks need its file names, the writing its templates.
    let theme = Theme::load(&site.root, &site.config.theme)?;
    let strict = strict || site.config.check.strict;
    // Planned once for F07 and the writing: without collisions the site's
    // diagnostics stay as they are, and so does the plan.
    let portal = Portal::plan(&site, opts.drafts);
    let mut collisions =
        crate::collisions::output_collisions_in(&site, &portal, theme.statics.keys().map(String::as_str), opts.drafts);
    t.lap("theme, plan and F07");
    if !collisions.is_empty() {
        // F07 is an error (rules fix each rule's severity): the build stops
        // and writes nothing, as for any content error.
        debug_assert_eq!(crate::rules::Rule::F07.severity(), crate::diagnostics::Severity::Error);
        drop(portal);
        site.diagnostics.append(&mut collisions);
        crate::diagnostics::sort(&mut site.diagnostics);
        return Ok(Outcome { site, summary: None });
    }
    if site.tally().fails(strict) {
        drop(portal);
        return Ok(Outcome { site, summary: None });
    }
    // What this build says, recorded with the output for a build of the
    // same inputs to say again (`replay`).
    let stamp = crate::output::Stamp {
        inputs,
        reports: site.reports.iter().filter(|r| opts.drafts || !r.draft).count() as u64,
        warnings: site.tally().warnings as u64,
        drafts: if opts.drafts { 0 } else { drafts_left_out(&site) as u64 },
        diagnostics: site.render_diagnostics(strict),
        ..Default::default()
    };
    let summary = write_planned(&site, &portal, &theme, opts, Some(stamp), progress)?;
    drop(portal);
    Ok(Outcome {
        site,
        summary: Some(summary),
    })
}

/// Renders and writes a checked site: the static files, then every file of
/// every registered output ([`Registry`]), into a staging folder swapped in
/// when complete.
///
/// `stamp` (a `build`'s [`inputs_fingerprint`] and what it said) is
/// recorded in the output's marker, so that the next build of the same
/// inputs can leave the output as it is ([`replay`]).
pub fn write_site(
    site: &Site,
    theme: &Theme,
    opts: &BuildOptions,
    stamp: Option<crate::output::Stamp>,
    progress: Progress,
) -> Result<Summary, Error> {
    let t = Timer::start();
    let portal = Portal::plan(site, opts.drafts);
    t.lap("theme and plan");
    write_planned(site, &portal, theme, opts, stamp, progress)
}

/// [`write_site`] with the portal already planned from `site`.
fn write_planned(
    site: &Site,
    portal: &Portal,
    theme: &Theme,
    opts: &BuildOptions,
    stamp: Option<crate::output::Stamp>,
    progress: Progress,
) -> Result<Summary, Error> {
    let t = Timer::start();
    let output = opts
        .output
        .clone()
        .unwrap_or_else(|| site.config.output_path(&site.root));
    // Staged beside the real folder: an output given through a link keeps
    // its link.
    let real = crate::output::guard(&site.root, &output, opts.force)?;
    let staging = Staging::new(&real)?;
    let statics = write_statics(site, theme, &staging)?;
    t.lap("static files");
    let cx = Cx {
        portal,
        theme,
        opts: RenderOptions {
            markdown: MarkdownOptions {
                allow_raw_html: site.config.markdown.allow_raw_html,
            },
        },
    };
    let written = write_outputs(&cx, &staging, progress)?;
    t.lap("render and write, search index");
    // Once more just before the swap, on the folder about to be replaced:
    // it may have changed while the pages were written (`serve` runs for hours).
    crate::output::guard(&site.root, &real, opts.force)?;
    let kept = staging.linked();
    staging.commit(opts.background_cleanup, stamp)?;
    t.lap("swap in");
    Ok(Summary {
        reports: portal.reports.len(),
        pages: written.pages,
        files: statics + written.files,
        warnings: site.tally().warnings,
        output,
        search_files: written.search_files,
        kept,
    })
}

/// What a build of unchanged inputs says instead of building ([`replay`]).
pub struct Replay {
    pub config: crate::config::Config,
    pub output: PathBuf,
    pub stamp: crate::output::Stamp,
}

/// When nothing changed since the build that wrote the output folder (the
/// same [`inputs_fingerprint`], and the folder holds exactly what that
/// build wrote: [`crate::output::up_to_date`]), what that build said: its
/// diagnostics and counts, to be said again. Nothing is read but
/// `site.toml`, the output's marker and the file names and times of the
/// site and the output; the output stays as it is. `None` means build.
/// `inputs` is this run's [`inputs_fingerprint`].
pub fn replay(root: &Path, opts: &BuildOptions, inputs: &str) -> Option<Replay> {
    if let Some(url) = &opts.base_url {
        crate::config::check_base_url_flag(url).ok()?;
    }
    let mut config = crate::config::Config::load(root).ok()?;
    let output = opts.output.clone().unwrap_or_else(|| config.output_path(root));
    let real = crate::output::guard(root, &output, opts.force).ok()?;
    if let Some(url) = &opts.base_url {
        config.base_url = url.clone();
    }
    let stamp = crate::output::up_to_date(&real, inputs)?;
    Some(Replay { config, output, stamp })
}

/// A fingerprint of everything a build's output and messages depend on:
/// this program (its version, and its executable's size and modification
/// time, so a rebuilt gongkai rebuilds), the options (drafts, `--base-url`,
/// `--strict`, the date deadlines are judged against, the language of the
/// messages), and every file the site is made from (`site.toml`,
/// `agencies.toml`, and everything under `content/`, `themes/`,
/// `templates/` and `static/`), each by its path, size and modification
/// time, as make and cargo judge files. Two builds with the same
/// fingerprint write the same bytes and say the same.
pub fn inputs_fingerprint(root: &Path, opts: &BuildOptions, strict: bool) -> String {
    use std::hash::{Hash, Hasher};
    // Two SipHash states with different keys: 128 bits, std only.
    let mut h = [std::hash::DefaultHasher::new(), std::hash::DefaultHasher::new()];
    0xA5u8.hash(&mut h[1]);
    let mut add = |v: &dyn Fn(&mut std::hash::DefaultHasher)| h.iter_mut().for_each(v);
    let stamp = |m: &std::fs::Metadata| {
        let modified = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        (m.len(), modified, m.is_dir())
    };
    add(&|s| env!("CARGO_PKG_VERSION").hash(s));
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .map(|m| stamp(&m));
    add(&|s| exe.hash(s));
    let lang = format!("{:?}", crate::i18n::current());
    add(&|s| (opts.drafts, &opts.base_url, strict, crate::site::today(), &lang).hash(s));
    for name in ["site.toml", crate::roster::FILE] {
        let m = std::fs::metadata(root.join(name)).ok().map(|m| stamp(&m));
        add(&|s| (name, m).hash(s));
    }
    // The folders are read in order, one at a time (reading a folder is
    // cheap); the files' metadata, a system call each, is taken in
    // parallel: at 10,000 reports that halved the 35 ms this took before
    // anything else could start.
    let entries: Vec<Option<walkdir::DirEntry>> = ["content", "themes", "templates", "static"]
        .iter()
        .flat_map(|dir| walkdir::WalkDir::new(root.join(dir)).sort_by_file_name())
        .map(Result::ok)
        .collect();
    let stamps: Vec<_> = entries
        .par_iter()
        .with_min_len(256)
        .map(|entry| entry.as_ref().map(|e| e.metadata().ok().map(|m| stamp(&m))))
        .collect();
    for (entry, m) in entries.iter().zip(stamps) {
        match (entry, m) {
            (Some(entry), Some(m)) => {
                let path = entry.path().strip_prefix(root).unwrap_or(entry.path());
                add(&|s| (path, m).hash(s));
            }
            _ => add(&|s| "unreadable".hash(s)),
        }
    }
    format!("{:016x}{:016x}", h[0].finish(), h[1].finish())
}

/// Copies the static files (the theme's, then the site's own, then the
/// content's assets) and writes `syntax.css`. Returns how many files.
fn write_statics(site: &Site, theme: &Theme, staging: &Staging) -> Result<usize, Error> {
    let mut copies: Vec<(String, Source)> = theme.statics.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    copies.extend(
        site.assets
            .iter()
            .map(|a| (a.clone(), Source::File(site.root.join(crate::content::DIR).join(a)))),
    );
    copies.par_iter().try_for_each(|(rel, src)| staging.copy(rel, src))?;
    let css = markdown::highlight_css(&site.config.markdown.highlight_theme).unwrap_or_default();
    staging.write("syntax.css", css.as_bytes())?;
    Ok(copies.len() + 1)
}

/// What [`write_outputs`] wrote.
struct Written {
    pages: usize,
    files: usize,
    search_files: Vec<String>,
}

/// Renders every file of every registered output in parallel (the search
/// index beside the pages) and writes each as it is made.
fn write_outputs(cx: &Cx, staging: &Staging, progress: Progress) -> Result<Written, Error> {
    let registry = Registry::new();
    let keys = registry.files(cx.portal);
    // Progress counts the files rendered one by one (the search index is
    // many files from one address, of a number known once it is built).
    let total = keys.iter().filter(|k| **k != PageKey::SearchIndex).count();
    let done = AtomicUsize::new(0);
    let files = AtomicUsize::new(0);
    let search_files = Mutex::new(Vec::new());
    let sink = |key: &PageKey, file: Rendered| -> Result<(), Error> {
        staging.write(&file.path, &file.bytes)?;
        files.fetch_add(1, Ordering::Relaxed);
        if *key == PageKey::SearchIndex {
            search_files.lock().unwrap_or_else(|e| e.into_inner()).push(file.path);
        } else {
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if n.is_multiple_of(64) || n == total {
                progress(n, total);
            }
        }
        Ok(())
    };
    let pages = registry.render(cx, &keys, &sink)?;
    let mut search_files = search_files.into_inner().unwrap_or_else(|e| e.into_inner());
    search_files.sort();
    Ok(Written {
        pages,
        files: files.into_inner(),
        search_files,
    })
}

/// Adds the checks of what the build would write (F07) to a loaded site:
/// `check` and `build` both call this, so check refuses what build would.
pub fn add_output_checks(site: &mut Site, drafts: bool) -> Result<(), Error> {
    // The theme as the build loads it: a template that does not parse stops
    // `check` as it would stop `build` (status 2).
    let theme = Theme::load(&site.root, &site.config.theme)?;
    add_theme_checks(site, &theme, drafts);
    Ok(())
}

/// [`add_output_checks`] with the theme already loaded (the build's own).
fn add_theme_checks(site: &mut Site, theme: &Theme, drafts: bool) {
    let mut collisions = output_collisions(site, theme.statics.keys().map(String::as_str), drafts);
    if !collisions.is_empty() {
        site.diagnostics.append(&mut collisions);
        crate::diagnostics::sort(&mut site.diagnostics);
    }
}

// ---------------------------------------------------------------------------
// The words of the summaries `check`, `build` and `serve` print.

/// `1 report`, `2 reports` (`1 份报告` in Chinese): `what` names the
/// thing counted.
pub fn count(n: usize, what: Counted) -> String {
    let one = n == 1;
    match what {
        Counted::Report if one => t!("cli.count.report.one", n = n),
        Counted::Report => t!("cli.count.report.other", n = n),
        Counted::Page if one => t!("cli.count.page.one", n = n),
        Counted::Page => t!("cli.count.page.other", n = n),
        Counted::File if one => t!("cli.count.file.one", n = n),
        Counted::File => t!("cli.count.file.other", n = n),
        Counted::Error if one => t!("cli.count.error.one", n = n),
        Counted::Error => t!("cli.count.error.other", n = n),
        Counted::Warning if one => t!("cli.count.warning.one", n = n),
        Counted::Warning => t!("cli.count.warning.other", n = n),
        Counted::Draft if one => t!("cli.count.draft.one", n = n),
        Counted::Draft => t!("cli.count.draft.other", n = n),
    }
    .into_owned()
}

/// What [`count`] counts.
#[derive(Clone, Copy)]
pub enum Counted {
    Report,
    Page,
    File,
    Error,
    Warning,
    Draft,
}

/// What a check read: `3 files (1 report, 2 could not be read) and 1 page`,
/// or `1 report and 1 page` when every file was read. A Markdown file under
/// `content/` that has a diagnostic and became neither a report nor a page
/// could not be read (issue 13, item 11).
pub fn checked_files(site: &Site) -> String {
    let known: std::collections::HashSet<&str> = site
        .reports
        .iter()
        .map(|r| r.path.as_str())
        .chain(site.pages.iter().map(|p| p.path.as_str()))
        .collect();
    let failed: std::collections::BTreeSet<&str> = site
        .diagnostics
        .iter()
        .map(|d| d.file.as_str())
        .filter(|f| f.starts_with("content/") && f.ends_with(".md") && !known.contains(f))
        .collect();
    let reports = count(site.reports.len(), Counted::Report);
    let pages = count(site.pages.len(), Counted::Page);
    if failed.is_empty() {
        t!("cli.checked.all", reports = reports, pages = pages).into_owned()
    } else {
        let files = count(site.reports.len() + failed.len(), Counted::File);
        t!(
            "cli.checked.some_unread",
            files = files,
            reports = reports,
            unread = failed.len(),
            pages = pages
        )
        .into_owned()
    }
}

/// `2 errors, 1 warning`.
pub fn problems(errors: usize, warnings: usize) -> String {
    format!(
        "{}{}{}",
        count(errors, Counted::Error),
        t!("cli.list_sep"),
        count(warnings, Counted::Warning)
    )
}

/// The drafts a build without `--drafts` leaves out: reports and pages.
pub fn drafts_left_out(site: &Site) -> usize {
    site.reports.iter().filter(|r| r.draft).count() + site.pages.iter().filter(|p| p.draft).count()
}

/// F07, the check of the files the portal would write, with the checks
/// ([`crate::collisions`]); named here too for `serve`.
pub use crate::collisions::output_collisions;

/// The phase timer, now at the bottom of the crate ([`crate::timing`]);
/// named here too for the modules that still reach it through `build`.
pub(crate) use crate::timing::Timer;
