//! The CLI's subcommands as library functions: each takes plain options,
//! prints what the user should see, and returns the process exit status
//! (0 fine, 1 content errors, 2 usage/IO/internal). `main.rs` only parses
//! arguments and calls these.
//!
//! Everything the commands print goes through [`out!`](crate::out) and
//! [`eout!`](crate::eout) (and their `…ln!` forms): a reader that went away
//! (`gongkai check | head`) stops the printing and nothing else, where
//! `println!` would panic. [`install_panic_hook`] makes any panic left (a bug)
//! an "internal error" with status 2, never Rust's 101.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::build::BuildOptions;
use crate::diagnostics::render_json;
use crate::exit;
use crate::report::Level;
use crate::scaffold::{self, NewReport};
use crate::site::{self, Site};
use crate::Error;

/// The printers ([`out!`](crate::out), [`eout!`](crate::eout), …) live at the
/// bottom of the crate ([`crate::term`]), so that every command can print.
pub use crate::term::{finish, write_err, write_out};

mod import_cmd;
pub use import_cmd::{import, ImportRun, IMPORTABLE};

/// Makes every panic (a bug: user input must never cause one) end the
/// process at once with an "internal error" line on stderr and status
/// [`exit::FAILURE`], on whichever thread it happens (a rayon worker too),
/// instead of Rust's message and status 101. With `RUST_BACKTRACE` set, the
/// backtrace follows.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        // One report: other threads panicking meanwhile wait for the exit.
        static REPORTED: AtomicBool = AtomicBool::new(false);
        if REPORTED.swap(true, Ordering::SeqCst) {
            loop {
                std::thread::park();
            }
        }
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str));
        let mut text = internal_error(what, info.location().map(|l| (l.file(), l.line())));
        let trace = std::backtrace::Backtrace::capture();
        if trace.status() == std::backtrace::BacktraceStatus::Captured {
            text.push_str(&format!("{trace}\n"));
        }
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
        std::process::exit(i32::from(exit::FAILURE));
    }));
}

/// The line the panic hook prints: what panicked, and where.
pub fn internal_error(what: Option<&str>, location: Option<(&str, u32)>) -> String {
    let mut text = format!("internal error: {}", what.unwrap_or("unexpected failure"));
    if let Some((file, line)) = location {
        text.push_str(&format!(" at {file}:{line}"));
    }
    text.push_str(" (this is a bug; please report it)\n");
    text
}

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
    // Paths and messages quoted in an error may carry what a terminal would
    // take as a command: escaped like the diagnostics.
    eoutln!("error: {}", crate::diagnostics::escape_terminal(&e.to_string()));
    exit::FAILURE
}

/// `gongkai check`: load and check the site, print every diagnostic.
pub fn check(root: &Path, strict_flag: bool, format: OutputFormat) -> u8 {
    let start = Instant::now();
    // What `build` would refuse (F07, a theme that does not load), from
    // the same code.
    let loaded = Site::load(root, site::today()).and_then(|mut site| {
        crate::build::add_output_checks(&mut site, false)?;
        Ok(site)
    });
    let site = match loaded {
        Ok(s) => s,
        Err(e) => {
            // `--format json` prints JSON whatever happens: the error that
            // stopped the run, as one entry of id `run` (status 2).
            if format == OutputFormat::Json {
                let stopped =
                    crate::diagnostics::Diagnostic::new(crate::rules::Rule::Run, "", None, "", &e.to_string());
                out!("{}", render_json(&[stopped], strict_flag));
            }
            return fail(&e);
        }
    };
    let strict = strict_flag || site.config.check.strict;
    let tally = site.tally();
    let out = match format {
        OutputFormat::Human => site.render_diagnostics(strict),
        OutputFormat::Json => render_json(&site.diagnostics, strict),
    };
    // A failure to write it (other than a reader that went away) raises
    // the status to 2 in `finish`.
    out!("{out}");
    let (errors, warnings) = if strict {
        (tally.errors + tally.warnings, 0)
    } else {
        (tally.errors, tally.warnings)
    };
    eoutln!(
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
    eout!("{}", outcome.site.render_diagnostics(strict));
    let tally = outcome.site.tally();
    let code = match &outcome.summary {
        Some(s) => {
            if !quiet {
                outln!(
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
            eoutln!(
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
                outln!("created {}", dir.join(f).display());
            }
            outln!("\nnext: cd {} && gongkai check", dir.display());
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
            outln!("created {}", root.join(&rel).display());
            exit::OK
        }
        Err(e) => fail(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_error_says_what_where_and_that_it_is_a_bug() {
        assert_eq!(
            internal_error(Some("index out of bounds"), Some(("src/x.rs", 12))),
            "internal error: index out of bounds at src/x.rs:12 (this is a bug; please report it)\n"
        );
        assert_eq!(
            internal_error(None, None),
            "internal error: unexpected failure (this is a bug; please report it)\n"
        );
    }
}
