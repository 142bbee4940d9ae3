//! The checked site: config, content and every diagnostic of a run, in one
//! value. [`Site::load`] runs the whole front half of the pipeline: config →
//! content loading → per-report checks (in parallel) → cross-report checks.
//! `check` prints its diagnostics; `build` renders it when it has no errors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Page};
use crate::diagnostics::{self, Diagnostic, SourceLookup, Tally};
use crate::report::{checks, similarity, Report};
use crate::Error;

pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// Reports, sorted by path.
    pub reports: Vec<Report>,
    /// Ordinary pages, sorted by path.
    pub pages: Vec<Page>,
    /// Non-Markdown files under `content/`, relative to it.
    pub assets: Vec<String>,
    /// Every diagnostic of the run, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    sources: HashMap<String, String>,
}

impl Site {
    /// Loads and checks the site at `root`, judging dates against `today`.
    pub fn load(root: &Path, today: NaiveDate) -> Result<Site, Error> {
        let config = Config::load(root)?;
        let content = content::load(root, today)?;
        let mut diags = content.diagnostics;

        let (per_report, prints): (Vec<Vec<Diagnostic>>, Vec<similarity::Fingerprint>) = content
            .reports
            .par_iter()
            .map(|r| (checks::check_report(r), similarity::fingerprint(&r.body)))
            .unzip();
        diags.extend(per_report.into_iter().flatten());
        diags.extend(checks::check_across(&content.reports, &prints));
        diagnostics::sort(&mut diags);

        // Source snippets: read the files that have diagnostics again (few,
        // and only when there are problems; the loader keeps no texts).
        let mut sources = HashMap::new();
        for d in &diags {
            if !sources.contains_key(&d.file) {
                if let Ok(bytes) = std::fs::read(root.join(&d.file)) {
                    if let Ok(t) = content::decode(bytes) {
                        sources.insert(d.file.clone(), t);
                    }
                }
            }
        }
        Ok(Site {
            root: root.to_path_buf(),
            config,
            reports: content.reports,
            pages: content.pages,
            assets: content.assets,
            diagnostics: diags,
            sources,
        })
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

/// Today's date on this machine, for the deadline and year-range checks.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}
