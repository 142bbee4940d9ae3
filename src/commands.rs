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
