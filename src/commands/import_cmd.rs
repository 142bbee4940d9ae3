//! `gongkai import FILE|DIR...`: each published report (a text, a web page,
//! a PDF or a Word document; a folder for every such file inside it) read
//! and imported in parallel, each on its own, then written in the order
//! given (a file that exists, or that an earlier file of the run wrote, is
//! an error for that file only), checked (the site read once), and
//! reported: one file as before (`imported … → …` and its warnings), many
//! as a summary table, or JSON with `--format json`.

use std::path::{Path, PathBuf};

use super::{fail, OutputFormat};
use crate::exit;
use crate::scaffold;
use crate::site::{self, Site};
use crate::Error;

/// The text of the one file an import wrote, for the snippets of its diagnostics.
struct OneFile<'a> {
    rel: &'a str,
    lines: Vec<&'a str>,
}

impl crate::diagnostics::SourceLookup for OneFile<'_> {
    fn line_text(&self, file: &str, line: usize) -> Option<&str> {
        (file == self.rel)
            .then(|| self.lines.get(line.checked_sub(1)?).copied())
            .flatten()
    }
}

/// What `gongkai import` is asked to do besides the files.
pub struct ImportRun<'a> {
    /// The site's root.
    pub root: &'a Path,
    /// `--out DIR`: where the files go instead of `<root>/content/reports`.
    pub out: Option<&'a Path>,
    pub opts: &'a crate::import::Options,
    /// `--format`: the summary as text or JSON.
    pub format: OutputFormat,
}

/// The kinds of file `gongkai import DIR` takes from a folder.
pub const IMPORTABLE: [&str; 6] = ["txt", "md", "html", "htm", "pdf", "docx"];

/// How the import of one file ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    /// Written (a draft when the agency or the date was not found).
    Imported,
    /// Not a report that can be read for sure; nothing written (status 1).
    Refused,
    /// Unreadable, or the file to write exists already (status 2).
    Error,
}

impl Status {
    /// The status as JSON gives it, in every language.
    fn key(self) -> &'static str {
        match self {
            Status::Imported => "imported",
            Status::Refused => "refused",
            Status::Error => "error",
        }
    }

    /// The status as the summary table shows it, in the run's language.
    fn word(self) -> String {
        match self {
            Status::Imported => t!("import.status.imported"),
            Status::Refused => t!("import.status.refused"),
            Status::Error => t!("import.status.error"),
        }
        .into_owned()
    }
}

/// One file's import, from reading it to checking what was written.
struct Outcome {
    file: PathBuf,
    status: Status,
    imported: Option<crate::import::Imported>,
    dest: Option<PathBuf>,
    /// The written file's path as its diagnostics name it, and its text.
    rel: String,
    written: String,
    /// The check's diagnostics of the written file.
    diags: Vec<crate::diagnostics::Diagnostic>,
    error: Option<String>,
}

impl Outcome {
    fn failed(file: &Path, status: Status, error: String) -> Outcome {
        Outcome {
            file: file.to_path_buf(),
            status,
            imported: None,
            dest: None,
            rel: String::new(),
            written: String::new(),
            diags: Vec::new(),
            error: Some(error),
        }
    }

    /// The exit status this file alone gives: a draft is 1, as it fails
    /// `gongkai check` until it is filled in; the source's own failures of
    /// the checks are not (the numbers are the published ones).
    fn code(&self) -> u8 {
        match self.status {
            Status::Imported if self.imported.as_ref().is_some_and(|i| i.is_draft()) => exit::CONTENT_ERRORS,
            Status::Imported => exit::OK,
            Status::Refused => exit::CONTENT_ERRORS,
            Status::Error => exit::FAILURE,
        }
    }

    /// The import's own warnings, then the check's diagnostics (`R01: …`).
    fn warnings(&self) -> Vec<String> {
        let own = self.imported.iter().flat_map(|i| i.warnings.iter().cloned());
        own.chain(self.diags.iter().map(|d| format!("{}: {}", d.id, d.message)))
            .collect()
    }

    /// Why the file failed, without the file's name it begins with (the
    /// summary names the file in a column of its own).
    fn reason(&self) -> String {
        let e = self.error.as_deref().unwrap_or_default();
        let prefix = format!("{}: ", self.file.display());
        e.strip_prefix(&prefix).unwrap_or(e).to_string()
    }

    /// The keys left empty for someone to fill in.
    fn missing(&self) -> Vec<&'static str> {
        let Some(i) = &self.imported else {
            return Vec::new();
        };
        [(i.agency.is_none(), "agency"), (i.published.is_none(), "published")]
            .into_iter()
            .filter_map(|(m, key)| m.then_some(key))
            .collect()
    }
}

/// The number cells imported with a value (blank cells, `null`, not counted).
fn cells(imported: &crate::import::Imported) -> usize {
    imported.numbers.as_ref().map_or(0, |n| {
        let proactive = n.proactive.iter().flatten().filter(|c| c.is_some()).count();
        let requests = n.requests.iter().flatten().filter(|c| c.is_some()).count();
        let appeals = n.appeals.iter().flatten().filter(|c| c.is_some()).count();
        proactive + requests + appeals
    })
}

/// The files named, folders replaced by the importable files inside them
/// (recursively, hidden files and folders and the output folder skipped,
/// links not followed, sorted); a folder with none is an error of its own.
fn expand(inputs: &[PathBuf], skip: &Path) -> Vec<Result<PathBuf, Outcome>> {
    let skip = skip.canonicalize().ok();
    let mut out = Vec::new();
    for input in inputs {
        if !input.is_dir() {
            out.push(Ok(input.clone()));
            continue;
        }
        let mut found = Vec::new();
        let walk = walkdir::WalkDir::new(input).follow_links(false).into_iter();
        let walk = walk.filter_entry(|e| {
            let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
            let output = e.file_type().is_dir() && skip.is_some() && e.path().canonicalize().ok() == skip;
            !hidden && !output
        });
        for entry in walk {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    let ext = e.path().extension().map(|x| x.to_string_lossy().to_ascii_lowercase());
                    if ext.is_some_and(|x| IMPORTABLE.contains(&x.as_str())) {
                        found.push(e.into_path());
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let at = e.path().unwrap_or(input).to_path_buf();
                    out.push(Err(Outcome::failed(
                        &at,
                        Status::Error,
                        format!("{}: {e}", at.display()),
                    )));
                }
            }
        }
        found.sort();
        if found.is_empty() {
            let why = format!("{}: {}", input.display(), t!("import.cmd.empty_folder"));
            out.push(Err(Outcome::failed(input, Status::Error, why)));
        }
        out.extend(found.into_iter().map(Ok));
    }
    out
}

/// Reads and imports one file (nothing written yet).
fn read_one(file: &Path, opts: &crate::import::Options) -> Outcome {
    let shown = file.display();
    let text = match crate::import::read_source(file) {
        Ok(t) => t,
        Err(e) => return Outcome::failed(file, Status::Error, e),
    };
    let imported = match crate::import::import_text(&text, opts) {
        Ok(r) => r,
        Err(e) => return Outcome::failed(file, Status::Refused, format!("{shown}: {e}")),
    };
    if !crate::report::parse::valid_slug(&imported.slug) {
        let agency = imported.agency.as_deref().unwrap_or_default();
        let why = format!("{shown}: {}", t!("import.cmd.no_slug", agency = agency));
        return Outcome::failed(file, Status::Error, why);
    }
    Outcome {
        imported: Some(imported),
        error: None,
        ..Outcome::failed(file, Status::Imported, String::new())
    }
}

/// `gongkai import FILE|DIR...`: each published report (text, web page,
/// PDF or .docx; a folder for every such file inside it) becomes a content
/// file, `<out>/<slug>/<year>.md` (default `out`: `<root>/content/reports`),
/// which is then checked. Files are read and imported in parallel, each on
/// its own (one failing stops no other), and reported in the order given.
/// Status: 0 when every file was imported complete (the source's own
/// failures of the checks are warnings: the numbers are as published); 1
/// when a file was refused (not read for sure; nothing written) or written
/// as a draft (its agency or date not found); 2 for usage and IO errors (an
/// unreadable file, an output file that exists already). The worst wins.
pub fn import(files: &[PathBuf], run: &ImportRun) -> u8 {
    use rayon::prelude::*;
    let (root, opts) = (run.root, run.opts);
    if let Some(slug) = &opts.slug {
        if !crate::report::parse::valid_slug(slug) {
            return fail(&Error::Usage(t!("import.cmd.bad_slug", slug = slug).into_owned()));
        }
    }
    if run.out.is_none() && !root.join(crate::config::FILE).exists() {
        return fail(&Error::Usage(
            t!("import.cmd.no_site", root = root.display()).into_owned(),
        ));
    }
    let base = match run.out {
        Some(dir) => dir.to_path_buf(),
        None => root.join(crate::content::DIR).join("reports"),
    };
    let single = files.len() == 1 && !files[0].is_dir();
    let inputs = expand(files, &base);
    let mut outcomes: Vec<Outcome> = inputs
        .into_par_iter()
        .map(|input| match input {
            Ok(file) => read_one(&file, opts),
            Err(o) => o,
        })
        .collect();
    write_all(&mut outcomes, &base);
    let mut code = check_all(root, &mut outcomes);
    for o in &outcomes {
        print_outcome(o, single && run.format == OutputFormat::Human);
        code = code.max(o.code());
    }
    match run.format {
        OutputFormat::Json => outln!("{}", summary_json(&outcomes)),
        OutputFormat::Human if !single => out!("{}", summary_table(&outcomes)),
        OutputFormat::Human => {}
    }
    code
}

/// Writes every imported file, in the order given: a file that exists
/// already, or that an earlier file of the same run wrote, is an error for
/// that file only.
fn write_all(outcomes: &mut [Outcome], base: &Path) {
    let mut written: std::collections::HashMap<PathBuf, PathBuf> = Default::default();
    for o in outcomes.iter_mut() {
        let Some(imported) = o.imported.as_ref().filter(|_| o.status == Status::Imported) else {
            continue;
        };
        let dest = base.join(&imported.slug).join(format!("{}.md", imported.year));
        if let Some(first) = written.get(&dest) {
            let why = format!(
                "{}: {}",
                o.file.display(),
                t!(
                    "import.cmd.written_twice",
                    path = dest.display(),
                    first = first.display()
                )
            );
            *o = Outcome::failed(&o.file, Status::Error, why);
            continue;
        }
        let source_name = o.file.file_name().map(|n| n.to_string_lossy().into_owned());
        let text = imported.file_text(source_name.as_deref());
        if let Err(e) = scaffold::write_new(&dest, text.as_bytes()) {
            *o = Outcome::failed(&o.file, Status::Error, e.to_string());
            continue;
        }
        written.insert(dest.clone(), o.file.clone());
        o.written = text;
        o.dest = Some(dest);
    }
}

/// Checks every written file as the site would: with the site's other
/// reports (the site read once) when it was written into the site, else on
/// its own. Status 2 when the site or a file cannot be read back.
fn check_all(root: &Path, outcomes: &mut [Outcome]) -> u8 {
    use rayon::prelude::*;
    let content_dir = root.join(crate::content::DIR);
    let has_site = root.join(crate::config::FILE).is_file();
    let in_site = |dest: &Path| has_site && dest.starts_with(&content_dir);
    for o in outcomes.iter_mut() {
        if let Some(dest) = &o.dest {
            o.rel = if in_site(dest) {
                crate::content::relative(root, dest)
            } else {
                dest.display().to_string()
            };
        }
    }
    let mut code = exit::OK;
    if outcomes.iter().any(|o| o.dest.as_deref().is_some_and(in_site)) {
        match Site::load(root, site::today()) {
            Ok(s) => {
                let mut by_file: std::collections::HashMap<String, Vec<crate::diagnostics::Diagnostic>> =
                    Default::default();
                for d in s.diagnostics {
                    by_file.entry(d.file.clone()).or_default().push(d);
                }
                for o in outcomes.iter_mut().filter(|o| o.dest.as_deref().is_some_and(in_site)) {
                    o.diags = by_file.remove(&o.rel).unwrap_or_default();
                }
            }
            Err(e) => code = fail(&e),
        }
    }
    let alone: Vec<Result<(), Error>> = outcomes
        .par_iter_mut()
        .filter(|o| o.dest.as_deref().is_some_and(|d| !in_site(d)))
        .map(|o| {
            if let Some((parsed, mut diags)) = crate::content::load_one(Path::new(""), &o.rel, site::today())? {
                if let crate::content::Parsed::Report(r) = parsed {
                    diags.extend(crate::report::checks::check_report(&r));
                }
                o.diags = diags;
            }
            Ok(())
        })
        .collect();
    for e in alone.into_iter().filter_map(Result::err) {
        code = code.max(fail(&e));
    }
    code
}

/// One file's messages: the `imported …` line (on stdout for a single file
/// shown as text; the summary says it otherwise), then on stderr the
/// import's warnings and the written file's diagnostics, all as warnings
/// (the source's failures are the published report's), or why the file was
/// refused.
fn print_outcome(o: &Outcome, imported_line: bool) {
    let shown = o.file.display();
    let (Some(imported), Some(dest)) = (&o.imported, &o.dest) else {
        let e = o.error.as_deref().unwrap_or_default();
        match o.status {
            Status::Refused => eoutln!(
                "{}",
                t!(
                    "import.cmd.refused_line",
                    error = crate::diagnostics::escape_terminal(e)
                )
            ),
            _ => eoutln!(
                "{}",
                t!("import.cmd.error_line", error = crate::diagnostics::escape_terminal(e))
            ),
        }
        return;
    };
    if imported_line {
        let agency = match imported.agency.as_deref() {
            Some(a) => a.to_string(),
            None => t!("import.cmd.agency_not_found").into_owned(),
        };
        let published = match imported.published {
            Some(d) => d.to_string(),
            None => t!("import.cmd.date_not_found").into_owned(),
        };
        outln!(
            "{}",
            t!(
                "import.cmd.imported_line",
                file = shown,
                path = dest.display(),
                format = imported.format.key(),
                agency = agency,
                year = imported.year,
                published = published
            )
        );
    }
    let guesses: Vec<crate::diagnostics::Diagnostic> = (imported.warnings.iter())
        .map(|w| crate::diagnostics::Diagnostic::new(crate::rules::Rule::Import, &shown.to_string(), None, "", w))
        .collect();
    eout!(
        "{}",
        crate::diagnostics::render_human(&guesses, false, &crate::diagnostics::NoSources)
    );
    let sources = OneFile {
        rel: &o.rel,
        lines: o.written.lines().collect(),
    };
    // The keys a draft leaves empty are R06 errors until filled in; the
    // rest are the published numbers' own failures.
    let draft_gap = |d: &crate::diagnostics::Diagnostic| {
        imported.is_draft()
            && d.id == crate::rules::Rule::R06
            && o.missing().iter().any(|k| d.message.contains(&format!("`{k}`")))
    };
    let source_errors = (o.diags.iter())
        .filter(|d| d.severity == crate::diagnostics::Severity::Error && !draft_gap(d))
        .count();
    let as_warnings: Vec<crate::diagnostics::Diagnostic> = (o.diags.iter().cloned())
        .map(|mut d| {
            if !draft_gap(&d) {
                d.severity = crate::diagnostics::Severity::Warning;
            }
            d
        })
        .collect();
    eout!("{}", crate::diagnostics::render_human(&as_warnings, false, &sources));
    if source_errors > 0 {
        let line = if source_errors == 1 {
            t!("import.cmd.source_problem", file = o.rel)
        } else {
            t!("import.cmd.source_problems", file = o.rel, count = source_errors)
        };
        eoutln!("{line}");
    }
    if imported.is_draft() {
        let keys: Vec<String> = o.missing().iter().map(|k| format!("`{k}`")).collect();
        let options: Vec<String> = (o.missing().iter())
            .map(|k| {
                if *k == "agency" {
                    t!("import.cmd.option_agency")
                } else {
                    t!("import.cmd.option_published")
                }
                .into_owned()
            })
            .collect();
        let and = t!("import.cmd.and");
        let line = if keys.len() == 1 {
            t!("import.cmd.draft_one", file = o.rel, key = keys[0], option = options[0])
        } else {
            t!(
                "import.cmd.draft_many",
                file = o.rel,
                keys = keys.join(&and),
                options = options.join(&and)
            )
        };
        eoutln!("{line}");
    }
}

/// The summary of a run as a table: one row per file, in the order given.
fn summary_table(outcomes: &[Outcome]) -> String {
    use unicode_width::UnicodeWidthStr as _;
    let mut rows: Vec<[String; 7]> = vec![[
        t!("import.summary.file").into_owned(),
        t!("import.summary.status").into_owned(),
        t!("import.summary.agency").into_owned(),
        t!("import.summary.year").into_owned(),
        t!("import.summary.cells").into_owned(),
        t!("import.summary.warnings").into_owned(),
        t!("import.summary.written").into_owned(),
    ]];
    for o in outcomes {
        let i = o.imported.as_ref().filter(|_| o.status == Status::Imported);
        let status = match i {
            Some(i) if i.is_draft() => t!("import.status.draft").into_owned(),
            _ => o.status.word(),
        };
        let last = match (&o.dest, &o.error) {
            (Some(d), _) if o.missing().is_empty() => d.display().to_string(),
            (Some(d), _) => t!(
                "import.summary.fill_in",
                path = d.display(),
                keys = o.missing().join(", ")
            )
            .into_owned(),
            (None, Some(_)) => o.reason().lines().next().unwrap_or_default().to_string(),
            (None, None) => String::new(),
        };
        let dash = || "-".to_string();
        let row = [
            o.file.display().to_string(),
            status,
            i.and_then(|i| i.agency.clone()).unwrap_or_else(dash),
            i.map_or_else(dash, |i| i.year.to_string()),
            i.map_or_else(dash, |i| cells(i).to_string()),
            i.map_or_else(dash, |_| o.warnings().len().to_string()),
            last,
        ];
        // Names and messages quoted may carry what a terminal would take as a command.
        rows.push(row.map(|c| crate::diagnostics::escape_terminal(&c).into_owned()));
    }
    let widths: Vec<usize> = (0..7)
        .map(|c| rows.iter().map(|r| r[c].width()).max().unwrap_or(0))
        .collect();
    let mut s = String::new();
    for r in &rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            line.push_str(cell);
            if c < 6 {
                line.push_str(&" ".repeat(widths[c] - cell.width() + 2));
            }
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    let count = |st: Status| outcomes.iter().filter(|o| o.status == st).count();
    let drafts = outcomes.iter().filter(|o| !o.missing().is_empty()).count();
    let totals = if count(Status::Error) == 1 {
        t!(
            "import.summary.totals_one_error",
            imported = count(Status::Imported),
            drafts = drafts,
            refused = count(Status::Refused)
        )
    } else {
        t!(
            "import.summary.totals",
            imported = count(Status::Imported),
            drafts = drafts,
            refused = count(Status::Refused),
            errors = count(Status::Error)
        )
    };
    s.push_str(&totals);
    s.push('\n');
    s
}

/// The summary of a run as JSON: `files`, one object per file in the order
/// given (keys `file`, `status`: imported|refused|error, `path`, `agency`,
/// `year`, `published`, `format`, `draft`, `missing`, `cells`, `warnings`,
/// `error`), and the counts.
fn summary_json(outcomes: &[Outcome]) -> String {
    let files: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|o| {
            let i = o.imported.as_ref().filter(|_| o.status == Status::Imported);
            serde_json::json!({
                "file": o.file.display().to_string(),
                "status": o.status.key(),
                "path": o.dest.as_ref().map(|d| d.display().to_string()),
                "agency": i.and_then(|i| i.agency.clone()),
                "year": i.map(|i| i.year),
                "published": i.and_then(|i| i.published).map(|d| d.to_string()),
                "format": i.map(|i| i.format.key()),
                "draft": i.map(|i| i.is_draft()),
                "missing": o.missing(),
                "cells": i.map(cells),
                "warnings": o.warnings(),
                "error": o.error.as_ref().map(|_| o.reason()),
            })
        })
        .collect();
    let count = |st: Status| outcomes.iter().filter(|o| o.status == st).count();
    let summary = serde_json::json!({
        "files": files,
        "imported": count(Status::Imported),
        "drafts": outcomes.iter().filter(|o| !o.missing().is_empty()).count(),
        "refused": count(Status::Refused),
        "errors": count(Status::Error),
    });
    serde_json::to_string_pretty(&summary).unwrap_or_default()
}
