//! `gongkai export REPORT.md [-o OUT.docx]` and `gongkai export --year Y
//! [-o OUT.zip]`: a report, or every report of a year, as the official Word
//! document ([`crate::export`]). The site is read and checked first, as
//! `build` does, and what `build` refuses `export` refuses too: a report
//! with errors is not exported (its diagnostics are printed, status 1;
//! under `--year`, nothing is written when any report of the year has
//! errors). Warnings are printed and the document written. An existing
//! output file is never replaced without `--force`.

use std::path::{Path, PathBuf};

use super::fail;
use crate::diagnostics::{self, Diagnostic};
use crate::exit;
use crate::report::Report;
use crate::rules::Severity;
use crate::site::{self, Site};
use crate::Error;

/// What `gongkai export` is asked to do.
pub struct ExportRun<'a> {
    /// The site's root.
    pub root: &'a Path,
    /// The report's content file (`None` with `year`).
    pub report: Option<&'a Path>,
    /// `--year Y`: every report of the year, into a zip archive.
    pub year: Option<i32>,
    /// `-o`: the file to write; default `<slug>-<year>.docx` or
    /// `reports-<year>.zip` in the current folder.
    pub output: Option<&'a Path>,
    /// Replace the output file if it exists.
    pub force: bool,
}

/// `gongkai export`: see the module's doc. Status 0 written, 1 content
/// errors (nothing written), 2 usage or IO errors.
pub fn export(run: &ExportRun) -> u8 {
    match export_inner(run) {
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

/// Whether two paths name the same file (both resolved; a path that does
/// not resolve is compared as written).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

fn export_inner(run: &ExportRun) -> Result<u8, Error> {
    let (reports_wanted, default_out): (Vec<usize>, PathBuf);
    let site = Site::load(run.root, site::today())?;
    match (run.report, run.year) {
        (Some(path), None) => {
            let Some(i) = site
                .reports
                .iter()
                .position(|r| same_file(&site.root.join(&r.path), path))
            else {
                return Err(Error::Usage(
                    t!("export.not_a_report", path = path.display(), root = run.root.display()).into_owned(),
                ));
            };
            default_out = PathBuf::from(crate::export::file_name(&site.reports[i]));
            reports_wanted = vec![i];
        }
        (None, Some(year)) => {
            reports_wanted = site
                .reports
                .iter()
                .enumerate()
                .filter(|(_, r)| r.year == year && !r.draft)
                .map(|(i, _)| i)
                .collect();
            if reports_wanted.is_empty() {
                return Err(Error::Usage(t!("export.no_reports", year = year).into_owned()));
            }
            default_out = PathBuf::from(format!("reports-{year}.zip"));
        }
        _ => return Err(Error::Usage(t!("export.report_or_year").into_owned())),
    }
    let out = run.output.map_or(default_out, Path::to_path_buf);
    if out.exists() && !run.force {
        return Err(Error::Refused(t!("export.exists", path = out.display()).into_owned()));
    }
    // The diagnostics of the reports exported, errors first refusing.
    let wanted: Vec<&Report> = reports_wanted.iter().map(|&i| &site.reports[i]).collect();
    let diags: Vec<Diagnostic> = site
        .diagnostics
        .iter()
        .filter(|d| wanted.iter().any(|r| r.path == d.file))
        .cloned()
        .collect();
    let strict = site.config.check.strict;
    if !diags.is_empty() {
        eout!("{}", diagnostics::render_human(&diags, strict, &site));
    }
    let errors = diags.iter().filter(|d| d.effective(strict) == Severity::Error).count();
    if errors > 0 {
        eoutln!("{}", t!("export.refused", errors = errors));
        return Ok(exit::CONTENT_ERRORS);
    }
    let bytes = if run.year.is_some() {
        let mut files = Vec::with_capacity(wanted.len());
        for r in &wanted {
            let doc = crate::export::docx(r).map_err(|e| Error::io(&out, e))?;
            files.push((crate::export::file_name(r), doc));
        }
        crate::export::zip_of(&files).map_err(|e| Error::io(&out, e))?
    } else {
        crate::export::docx(wanted[0]).map_err(|e| Error::io(&out, e))?
    };
    write(&out, &bytes)?;
    if run.year.is_some() {
        outln!(
            "{}",
            t!("export.wrote_year", path = out.display(), reports = wanted.len())
        );
    } else {
        outln!("{}", t!("export.wrote", path = out.display(), title = wanted[0].title));
    }
    Ok(exit::OK)
}

/// Writes `bytes` to `path` through a temporary file beside it, so a
/// failed write never leaves half a document where the old one was.
fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.gongkai-tmp"));
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}
