//! The CLI's subcommands as library functions: each takes plain options,
//! prints what the user should see, and returns the process exit status
//! (0 fine, 1 content errors, 2 usage/IO/internal). `main.rs` only parses
//! arguments and calls these.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use crate::build::BuildOptions;
use crate::diagnostics::render_json;
use crate::exit;
use crate::report::Level;
use crate::scaffold::{self, NewReport};
use crate::site::{self, Site};
use crate::Error;

/// Output format of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
}

/// `1 report`, `2 reports`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Prints an error that stops a command, and gives status 2.
pub fn fail(e: &Error) -> u8 {
    eprintln!("error: {e}");
    exit::FAILURE
}

/// `gongkai check`: load and check the site, print every diagnostic.
pub fn check(root: &Path, strict_flag: bool, format: OutputFormat) -> u8 {
    let start = Instant::now();
    let site = match Site::load(root, site::today()) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let strict = strict_flag || site.config.check.strict;
    let tally = site.tally();
    let out = match format {
        OutputFormat::Human => site.render_diagnostics(strict),
        OutputFormat::Json => render_json(&site.diagnostics, strict),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(out.as_bytes()).and_then(|_| stdout.flush()).is_err() {
        return exit::FAILURE;
    }
    let (errors, warnings) = if strict {
        (tally.errors + tally.warnings, 0)
    } else {
        (tally.errors, tally.warnings)
    };
    eprintln!(
        "checked {} and {} in {:.2}s: {} {}, {} {}",
        plural(site.reports.len(), "report", "reports"),
        plural(site.pages.len(), "page", "pages"),
        start.elapsed().as_secs_f64(),
        errors,
        if errors == 1 { "error" } else { "errors" },
        warnings,
        if warnings == 1 { "warning" } else { "warnings" },
    );
    let code = if tally.fails(strict) {
        exit::CONTENT_ERRORS
    } else {
        exit::OK
    };
    // The process ends now: let the OS reclaim the site at once rather than
    // freeing tens of thousands of reports one by one.
    std::mem::forget(site);
    code
}

/// `gongkai build`: check, then render and write the portal. Diagnostics go
/// to stderr (the same text as `check`); a one-line summary to stdout unless
/// `quiet`; a progress bar on stderr only when it is a terminal and the build
/// takes more than a moment.
pub fn build(root: &Path, opts: &BuildOptions, strict_flag: bool, quiet: bool) -> u8 {
    let start = Instant::now();
    let bar = indicatif::ProgressBar::hidden();
    let show_bar = !quiet && std::io::stderr().is_terminal();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} 页 {elapsed}").expect("valid template"),
    );
    let progress = |done: usize, total: usize| {
        if show_bar && bar.is_hidden() && start.elapsed().as_millis() > 300 {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let outcome = match crate::build::build(root, opts, strict_flag, &progress) {
        Ok(o) => o,
        Err(e) => {
            bar.finish_and_clear();
            return fail(&e);
        }
    };
    bar.finish_and_clear();
    let strict = strict_flag || outcome.site.config.check.strict;
    eprint!("{}", outcome.site.render_diagnostics(strict));
    let tally = outcome.site.tally();
    let code = match &outcome.summary {
        Some(s) => {
            if !quiet {
                println!(
                    "built {}, {} into {} in {:.2}s ({} {})",
                    plural(s.reports, "report", "reports"),
                    plural(s.pages, "page", "pages"),
                    s.output.display(),
                    start.elapsed().as_secs_f64(),
                    s.warnings,
                    if s.warnings == 1 { "warning" } else { "warnings" }
                );
            }
            exit::OK
        }
        None => {
            eprintln!(
                "build stopped: {} {}{}; nothing was written",
                tally.errors,
                if tally.errors == 1 { "error" } else { "errors" },
                if strict && tally.warnings > 0 {
                    format!(" and {} warnings (strict)", tally.warnings)
                } else {
                    String::new()
                }
            );
            exit::CONTENT_ERRORS
        }
    };
    std::mem::forget(outcome);
    code
}

/// `gongkai serve`: build, serve and rebuild on changes until stopped.
pub fn serve(root: &Path, opts: &crate::serve::ServeOptions) -> u8 {
    match crate::serve::serve(root, opts) {
        Ok(()) => exit::OK,
        Err(e) => fail(&e),
    }
}

/// `gongkai init DIR`.
pub fn init(dir: &Path) -> u8 {
    match scaffold::init(dir, site::today()) {
        Ok(files) => {
            for f in &files {
                println!("created {}", dir.join(f).display());
            }
            println!("\nnext: cd {} && gongkai check", dir.display());
            exit::OK
        }
        Err(e) => fail(&e),
    }
}

/// `gongkai new report`.
pub fn new_report(root: &Path, agency: &str, slug: &str, year: i32, level: Level) -> u8 {
    if !root.join(crate::config::FILE).exists() {
        return fail(&Error::NoSite(root.to_path_buf()));
    }
    if !crate::report::parse::valid_slug(slug) {
        return fail(&Error::Usage(format!(
            "--slug `{slug}` must match [a-z0-9-]+ (lower-case letters, digits, hyphens)"
        )));
    }
    let rel = scaffold::report_path(slug, year);
    let text = scaffold::report_template(&NewReport {
        agency,
        slug,
        year,
        level,
        published: None,
        draft: true,
    });
    match scaffold::write_new(&root.join(&rel), text.as_bytes()) {
        Ok(()) => {
            println!("created {}", root.join(&rel).display());
            exit::OK
        }
        Err(e) => fail(&e),
    }
}

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

/// `gongkai import FILE...`: each published report (text or .docx) becomes
/// a content file, `<out>/<slug>/<year>.md` (default `out`:
/// `<root>/content/reports`), which is then checked. Status: 0 when every
/// file was imported and passes the checks (warnings allowed); 1 when a file
/// could not be read as a report or its imported numbers fail the checks
/// (as published: they are never changed); 2 for usage and IO errors (an
/// unreadable file, an output file that exists already). The worst wins.
pub fn import(root: &Path, files: &[std::path::PathBuf], out: Option<&Path>, opts: &crate::import::Options) -> u8 {
    if let Some(slug) = &opts.slug {
        if !crate::report::parse::valid_slug(slug) {
            return fail(&Error::Usage(format!(
                "--agency-slug `{slug}` must match [a-z0-9-]+ (lower-case letters, digits, hyphens)"
            )));
        }
    }
    if out.is_none() && !root.join(crate::config::FILE).exists() {
        return fail(&Error::Usage(format!(
            "no site.toml in {}: import into a site with --root DIR, or write the files elsewhere with --out DIR",
            root.display()
        )));
    }
    let mut code = exit::OK;
    for file in files {
        code = code.max(import_one(root, file, out, opts));
    }
    code
}

fn import_one(root: &Path, file: &Path, out: Option<&Path>, opts: &crate::import::Options) -> u8 {
    let shown = file.display();
    let text = match crate::import::read_source(file) {
        Ok(t) => t,
        Err(e) => return fail(&Error::Usage(e)),
    };
    let imported = match crate::import::import_text(&text, opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {shown}: {e}; nothing was written");
            return exit::CONTENT_ERRORS;
        }
    };
    if !crate::report::parse::valid_slug(&imported.slug) {
        return fail(&Error::Usage(format!(
            "{shown}: no slug can be made from the agency name `{}`; give one with --agency-slug",
            imported.agency
        )));
    }
    let base = match out {
        Some(dir) => dir.to_path_buf(),
        None => root.join(crate::content::DIR).join("reports"),
    };
    let dest = base.join(&imported.slug).join(format!("{}.md", imported.year));
    let source_name = file.file_name().map(|n| n.to_string_lossy().into_owned());
    let written = imported.file_text(source_name.as_deref());
    if let Err(e) = scaffold::write_new(&dest, written.as_bytes()) {
        return fail(&e);
    }
    println!(
        "imported {shown} → {} ({}, {} {}, published {})",
        dest.display(),
        imported.format.key(),
        imported.agency,
        imported.year,
        imported.published
    );
    for w in &imported.warnings {
        eprintln!("warning[import]: {shown}: {w}");
    }
    // Check the file as the site would: with the site's other reports when
    // it was written into the site, else on its own.
    let content_dir = root.join(crate::content::DIR);
    let in_site = root.join(crate::config::FILE).is_file() && dest.starts_with(&content_dir);
    let rel = if in_site {
        crate::content::relative(root, &dest)
    } else {
        dest.display().to_string()
    };
    let diags = if in_site {
        match Site::load(root, site::today()) {
            Ok(s) => s.diagnostics.into_iter().filter(|d| d.file == rel).collect(),
            Err(e) => return fail(&e),
        }
    } else {
        match crate::content::load_one(Path::new(""), &rel, site::today()) {
            Ok(Some((parsed, mut diags))) => {
                if let crate::content::Parsed::Report(r) = parsed {
                    diags.extend(crate::report::checks::check_report(&r));
                }
                diags
            }
            Ok(None) => Vec::new(),
            Err(e) => return fail(&e),
        }
    };
    let sources = OneFile {
        rel: &rel,
        lines: written.lines().collect(),
    };
    // The source's own failures are reported as warnings on the imported
    // file: the import did its job, and the numbers stay as published
    // (`gongkai check` will still show them as errors until corrected).
    let tally = crate::diagnostics::Tally::of(&diags);
    let as_warnings: Vec<crate::diagnostics::Diagnostic> = diags
        .into_iter()
        .map(|mut d| {
            d.severity = crate::diagnostics::Severity::Warning;
            d
        })
        .collect();
    eprint!("{}", crate::diagnostics::render_human(&as_warnings, false, &sources));
    if tally.errors > 0 {
        eprintln!(
            "{rel}: {} {} in the numbers as published; they were written as they are (the source's own figures are never changed)",
            tally.errors,
            if tally.errors == 1 { "problem" } else { "problems" }
        );
    }
    exit::OK
}
