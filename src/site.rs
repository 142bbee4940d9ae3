//! The checked site: config, content and every diagnostic of a run, in one
//! value. [`Site::load`] runs the whole front half of the pipeline: config →
//! content loading → per-report checks (in parallel) → cross-report checks.
//! `check` prints its diagnostics; `build` renders it when it has no errors.
//! `serve` keeps one `Site` alive and updates it file by file
//! ([`Site::update_file`]): only the changed file is read and checked again,
//! and the cross-report checks (one linear pass) are rerun, with those
//! against the roster (R14, R15) when the site has one.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, path_cmp, Page, Parsed};
use crate::diagnostics::{self, Diagnostic, SourceLookup, Tally};
use crate::i18n::{self, Lang};
use crate::report::similarity::Fingerprint;
use crate::report::{checks, similarity, Report};
use crate::roster::Roster;
use crate::rules::{Severity, Stage};
use crate::Error;

pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// The roster (`agencies.toml`), when the site has one.
    pub roster: Option<Roster>,
    /// Reports, sorted by path.
    pub reports: Vec<Report>,
    /// Ordinary pages, sorted by path.
    pub pages: Vec<Page>,
    /// Non-Markdown files under `content/`, relative to it, sorted.
    pub assets: Vec<String>,
    /// Every diagnostic of the run, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// The date the checks judge deadlines and years against.
    pub today: NaiveDate,
    /// Diagnostics of each file on its own (parsing and per-report checks).
    file_diags: BTreeMap<String, Vec<Diagnostic>>,
    /// Diagnostics of the walk of `content/` (links out of the site): the
    /// rules of [`Stage::Walk`], which reading one file again never finds.
    walk_diags: Vec<Diagnostic>,
    /// Narrative fingerprints, aligned with `reports` (for R12).
    prints: Vec<Fingerprint>,
    /// Diagnostics of the checks across reports, by agency slug.
    cross: BTreeMap<String, Vec<Diagnostic>>,
    /// The warnings report pages show, made again in the portal's language
    /// when the run speaks another ([`Site::page_warnings`]); empty when
    /// the two are the same.
    page_warnings: Vec<Diagnostic>,
    sources: HashMap<String, String>,
}

/// What changed in the site when one file was read again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileChange {
    /// The report the file held before and holds now: (agency_slug, year).
    pub report_before: Option<(String, i32)>,
    pub report_after: Option<(String, i32)>,
    /// Whether the file was or is an ordinary page.
    pub page_before: bool,
    pub page_after: bool,
}

impl Site {
    /// Loads and checks the site at `root`, judging dates against `today`.
    pub fn load(root: &Path, today: NaiveDate) -> Result<Site, Error> {
        Site::load_with(Config::load(root)?, root, today)
    }

    /// [`Site::load`] with the site's configuration already read.
    pub fn load_with(config: Config, root: &Path, today: NaiveDate) -> Result<Site, Error> {
        let roster = Roster::load(root)?;
        // Each report is checked (its own checks, R12's fingerprint) as
        // soon as it is read.
        let (content, checked): (_, Vec<(Vec<Diagnostic>, Fingerprint)>) = content::load_then(root, today, |r| {
            (checks::check_report(r), similarity::fingerprint(&r.body))
        })?;
        let mut site = Site {
            root: root.to_path_buf(),
            config,
            roster,
            reports: content.reports,
            pages: content.pages,
            assets: content.assets,
            diagnostics: Vec::new(),
            today,
            file_diags: BTreeMap::new(),
            walk_diags: Vec::new(),
            prints: Vec::new(),
            cross: BTreeMap::new(),
            page_warnings: Vec::new(),
            sources: HashMap::new(),
        };
        for d in content.diagnostics {
            if d.id.stage() == Stage::Walk {
                site.walk_diags.push(d);
            } else {
                site.file_diags.entry(d.file.clone()).or_default().push(d);
            }
        }
        let t = crate::timing::Timer::start();
        let mut prints = Vec::with_capacity(checked.len());
        for (r, (diags, print)) in site.reports.iter().zip(checked) {
            if !diags.is_empty() {
                site.file_diags.entry(r.path.clone()).or_default().extend(diags);
            }
            prints.push(print);
        }
        site.prints = prints;
        site.cross = checks::check_across(&site.reports, &site.prints);
        site.compose();
        t.lap("  checks across reports");
        Ok(site)
    }

    /// Reads the Markdown file `rel` (relative to the root) again, or drops
    /// it if it is gone, and checks the site again. Only this file is read.
    pub fn update_file(&mut self, rel: &str) -> Result<FileChange, Error> {
        let mut change = FileChange::default();
        if let Ok(i) = self.reports.binary_search_by(|r| path_cmp(&r.path, rel)) {
            let r = self.reports.remove(i);
            self.prints.remove(i);
            change.report_before = Some((r.agency_slug, r.year));
        }
        if let Ok(i) = self.pages.binary_search_by(|p| path_cmp(&p.path, rel)) {
            self.pages.remove(i);
            change.page_before = true;
        }
        self.file_diags.remove(rel);
        self.sources.remove(rel);
        if let Some((parsed, mut diags)) = content::load_one(&self.root, rel, self.today)? {
            match parsed {
                Parsed::Report(r) => {
                    diags.extend(checks::check_report(&r));
                    change.report_after = Some((r.agency_slug.clone(), r.year));
                    let at = self.reports.partition_point(|x| path_cmp(&x.path, rel).is_lt());
                    self.prints.insert(at, similarity::fingerprint(&r.body));
                    self.reports.insert(at, *r);
                }
                Parsed::Page(p) => {
                    change.page_after = true;
                    let at = self.pages.partition_point(|x| path_cmp(&x.path, rel).is_lt());
                    self.pages.insert(at, p);
                }
                Parsed::Nothing => {}
            }
            if !diags.is_empty() {
                self.file_diags.insert(rel.to_string(), diags);
            }
        }
        // The checks across reports change only for the agencies involved.
        for (slug, _) in change.report_before.iter().chain(change.report_after.iter()) {
            let d = checks::check_slug(&self.reports, &self.prints, slug);
            if d.is_empty() {
                self.cross.remove(slug);
            } else {
                self.cross.insert(slug.clone(), d);
            }
        }
        self.compose();
        Ok(change)
    }

    /// Notes that the asset `rel` (relative to `content/`) was added or removed.
    pub fn update_asset(&mut self, rel: &str, exists: bool) {
        match (self.assets.binary_search_by(|a| path_cmp(a, rel)), exists) {
            (Err(at), true) => self.assets.insert(at, rel.to_string()),
            (Ok(at), false) => {
                self.assets.remove(at);
            }
            _ => {}
        }
    }

    /// Rebuilds the list of every diagnostic from the per-file ones and the
    /// cross-report checks.
    fn compose(&mut self) {
        let mut diags: Vec<Diagnostic> = self.walk_diags.clone();
        for d in self.file_diags.values() {
            diags.extend(d.iter().cloned());
        }
        for d in self.cross.values() {
            diags.extend(d.iter().cloned());
        }
        // R14 and R15: one linear pass, made again whenever a report changes
        // (a report added or removed changes which years and agencies are
        // covered).
        if let Some(roster) = &self.roster {
            diags.extend(checks::check_roster(roster, &self.reports, self.today));
        }
        diagnostics::sort(&mut diags);
        // Source snippets: read the files that have diagnostics again (few,
        // and only when there are problems; the loader keeps no texts). Only
        // regular files inside the site, capped, as the loader reads them: a
        // diagnostic may be about a link to a FIFO or a device.
        let wanted: std::collections::HashSet<&str> = diags
            .iter()
            .flat_map(|d| std::iter::once(d.file.as_str()).chain(d.related.iter().map(|r| r.file.as_str())))
            .collect();
        self.sources.retain(|k, _| wanted.contains(k.as_str()));
        let site = self.root.canonicalize().ok();
        for file in wanted {
            if self.sources.contains_key(file) {
                continue;
            }
            let path = self.root.join(file);
            let Some(real) = site.as_ref().and_then(|s| crate::fsx::inside(s, &path)) else {
                continue;
            };
            if let Ok(bytes) = crate::fsx::read_regular(&real, crate::fsx::CONTENT_CAP) {
                if let Ok(t) = content::decode(bytes) {
                    self.sources.insert(file.to_string(), t);
                }
            }
        }
        self.diagnostics = diags;
        self.page_warnings = self.warnings_in(self.page_lang());
    }

    /// The language of the portal's pages: the site's `language` (zh-CN
    /// unless a site says otherwise).
    pub fn page_lang(&self) -> Lang {
        Lang::parse(&self.config.language).unwrap_or(Lang::Zh)
    }

    /// The warnings of the checks of reports (the only ones report pages
    /// show, the checks of one report and those across an agency's
    /// reports) made again in `lang`, when the run speaks another language:
    /// the pages of a portal are the same whoever builds it. Only the
    /// reports and agencies that have such warnings are checked again.
    fn warnings_in(&self, lang: Lang) -> Vec<Diagnostic> {
        if lang == i18n::current() {
            return Vec::new();
        }
        let shown =
            |d: &&Diagnostic| d.severity == Severity::Warning && matches!(d.id.stage(), Stage::Report | Stage::Across);
        let files: HashSet<&str> = self.diagnostics.iter().filter(shown).map(|d| d.file.as_str()).collect();
        if files.is_empty() {
            return Vec::new();
        }
        let per_report: Vec<Diagnostic> = self
            .reports
            .par_iter()
            .filter(|r| files.contains(r.path.as_str()))
            .flat_map_iter(|r| i18n::with_lang(lang, || checks::check_report(r)))
            .collect();
        let slugs: Vec<&String> = self
            .cross
            .iter()
            .filter(|(_, d)| d.iter().any(|d| shown(&d)))
            .map(|(slug, _)| slug)
            .collect();
        let across: Vec<Diagnostic> = slugs
            .par_iter()
            .flat_map_iter(|slug| i18n::with_lang(lang, || checks::check_slug(&self.reports, &self.prints, slug)))
            .collect();
        let mut out: Vec<Diagnostic> = per_report.into_iter().chain(across).filter(|d| shown(&d)).collect();
        diagnostics::sort(&mut out);
        out
    }

    /// The warnings report pages show, in the portal's language
    /// ([`Site::page_lang`]), whatever the language of the run.
    pub fn page_warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        let again = self.page_lang() != i18n::current();
        let (made_again, of_run) = if again {
            (&self.page_warnings[..], &[][..])
        } else {
            (&[][..], &self.diagnostics[..])
        };
        made_again
            .iter()
            .chain(of_run.iter().filter(|d| d.severity == Severity::Warning))
    }

    /// Frees what only incremental updates need (the narrative
    /// fingerprints), for a one-off build of a large site.
    pub fn drop_update_state(&mut self) {
        self.prints = Vec::new();
    }

    pub fn tally(&self) -> Tally {
        Tally::of(&self.diagnostics)
    }

    /// The diagnostics rendered for people, with source snippets.
    pub fn render_diagnostics(&self, strict: bool) -> String {
        diagnostics::render_human(&self.diagnostics, strict, self)
    }
}

impl SourceLookup for Site {
    fn line_text(&self, file: &str, line: usize) -> Option<&str> {
        self.sources.get(file)?.lines().nth(line.checked_sub(1)?)
    }
}

/// The date `--today` set for this run, if any ([`set_today`]).
static TODAY: std::sync::OnceLock<NaiveDate> = std::sync::OnceLock::new();

/// Makes [`today`] give `date` for the rest of the process (`--today
/// YYYY-MM-DD`, for reproducible runs of the deadline checks R09 and R14,
/// the year range of R06 and `new report`). Set once, by the CLI, before
/// anything is read; a second call is ignored.
pub fn set_today(date: NaiveDate) {
    let _ = TODAY.set(date);
}

/// Today's date for the deadline and year-range checks: the date of
/// `--today` when the run was given one, else this machine's.
pub fn today() -> NaiveDate {
    TODAY
        .get()
        .copied()
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}
