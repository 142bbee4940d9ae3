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

use crate::build::{checked_files, count, drafts_left_out, problems, BuildOptions, Counted};
use crate::diagnostics::render_json;
use crate::exit;
use crate::report::Level;
use crate::scaffold::{self, NewReport};
use crate::site::{self, Site};
use crate::Error;

/// The printers ([`out!`](crate::out), [`eout!`](crate::eout), …) live at the
/// bottom of the crate ([`crate::term`]), so that every command can print.
pub use crate::term::{finish, write_err, write_out};

mod export_cmd;
mod import_cmd;
pub use export_cmd::{export, ExportRun};
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
    let what = what.map_or_else(|| t!("error.internal.unexpected"), std::borrow::Cow::Borrowed);
    let at = location.map_or_else(String::new, |(file, line)| {
        t!("error.internal.at", place = format!("{file}:{line}")).into_owned()
    });
    format!("{}\n", t!("error.internal", what = what, at = at))
}

/// Output format of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
}

/// Prints an error that stops a command, and gives status 2.
pub fn fail(e: &Error) -> u8 {
    // Paths and messages quoted in an error may carry what a terminal would
    // take as a command: escaped like the diagnostics.
    eoutln!(
        "{}",
        t!(
            "cli.labelled",
            label = t!("common.error"),
            // Line by line: an error may name several places, one a line
            // (every unknown key of site.toml).
            message = e
                .to_string()
                .lines()
                .map(|l| crate::diagnostics::escape_terminal(l).into_owned())
                .collect::<Vec<_>>()
                .join("\n")
        )
    );
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
        "{}",
        t!(
            "cli.check.summary",
            what = checked_files(&site),
            secs = format!("{:.2}", start.elapsed().as_secs_f64()),
            problems = problems(errors, warnings)
        )
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

/// A `base_url` that is a path only (`/`, `/portal/`): the sitemap and the
/// feed need the whole address (issue 13, item 5). Said by every build,
/// replayed or not.
fn warn_path_only_base_url(config: &crate::config::Config) {
    if !config.base_url_is_absolute() {
        eoutln!(
            "{}",
            t!(
                "cli.labelled",
                label = t!("common.warning"),
                message = t!(
                    "build.base_url_slash",
                    value = crate::diagnostics::escape_terminal(&config.base_url)
                )
            )
        );
    }
}

/// How many drafts a build without `--drafts` left out, when any.
fn say_drafts_left_out(drafts: usize) {
    if drafts > 0 {
        outln!(
            "{}",
            t!("build.drafts_left_out", drafts = count(drafts, Counted::Draft))
        );
    }
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
        indicatif::ProgressStyle::with_template(&t!("build.progress"))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let progress = |done: usize, total: usize| {
        if show_bar && bar.is_hidden() && start.elapsed().as_millis() > 300 {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    // Nothing changed since the last build into the output folder: say
    // again what it said, and leave the folder as it is. The fingerprint
    // is taken once, before anything is read, for both.
    let inputs = crate::build::inputs_fingerprint(root, opts, strict_flag);
    if let Some(r) = crate::build::replay(root, opts, &inputs) {
        eout!("{}", r.stamp.diagnostics);
        if !quiet {
            warn_path_only_base_url(&r.config);
            outln!(
                "{}",
                t!(
                    "build.up_to_date",
                    reports = count(r.stamp.reports as usize, Counted::Report),
                    output = r.output.display(),
                    secs = format!("{:.2}", start.elapsed().as_secs_f64()),
                    warnings = count(r.stamp.warnings as usize, Counted::Warning)
                )
            );
            say_drafts_left_out(r.stamp.drafts as usize);
        }
        return exit::OK;
    }
    let outcome = match crate::build::build_with(root, opts, strict_flag, inputs, &progress) {
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
    let drafts = if opts.drafts { 0 } else { drafts_left_out(&outcome.site) };
    let code = match &outcome.summary {
        Some(s) => {
            if !quiet {
                warn_path_only_base_url(&outcome.site.config);
                outln!(
                    "{}",
                    t!(
                        "build.summary",
                        reports = count(s.reports, Counted::Report),
                        pages = count(s.pages, Counted::Page),
                        output = s.output.display(),
                        secs = format!("{:.2}", start.elapsed().as_secs_f64()),
                        warnings = count(s.warnings, Counted::Warning)
                    )
                );
                say_drafts_left_out(drafts);
            }
            exit::OK
        }
        None => {
            let errors = count(tally.errors, Counted::Error);
            if strict && tally.warnings > 0 {
                eoutln!(
                    "{}",
                    t!(
                        "build.stopped_strict",
                        errors = errors,
                        warnings = count(tally.warnings, Counted::Warning)
                    )
                );
            } else {
                eoutln!("{}", t!("build.stopped", errors = errors));
            }
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
                outln!("{}", t!("init.created", path = dir.join(f).display()));
            }
            outln!("\n{}", t!("init.next", dir = dir.display()));
            exit::OK
        }
        Err(e) => fail(&e),
    }
}

/// What `gongkai new report` was given.
pub struct NewReportArgs<'a> {
    /// `None` only with `from_previous` (last year's name is taken).
    pub agency: Option<&'a str>,
    /// `None`: derived from the agency's name as `import` does.
    pub slug: Option<&'a str>,
    pub year: i32,
    /// `None`: last year's with `from_previous`, else department.
    pub level: Option<Level>,
    pub published: Option<chrono::NaiveDate>,
    pub region: Option<&'a str>,
    pub title: Option<&'a str>,
    /// Begin from the agency's report for `year - 1` (`--from-previous`).
    pub from_previous: bool,
}

/// `gongkai new report`: a draft report file with every key present. The
/// slug defaults to the one `import` derives from the agency's name; a year
/// `check` would refuse is refused here (status 2), with the range.
pub fn new_report(root: &Path, args: &NewReportArgs) -> u8 {
    if !root.join(crate::config::FILE).exists() {
        return fail(&Error::NoSite(root.to_path_buf()));
    }
    let today = site::today();
    let first = crate::report::parse::FIRST_YEAR;
    let this = chrono::Datelike::year(&today);
    if !(first..=this).contains(&args.year) {
        return fail(&Error::Usage(
            t!("new.year_out_of_range", year = args.year, first = first, this = this).into_owned(),
        ));
    }
    if args.from_previous {
        return new_report_from_previous(root, args, today);
    }
    let Some(agency) = args.agency else {
        return fail(&Error::Usage(t!("roster_checks.new.no_agency").into_owned()));
    };
    let derived;
    let slug = match args.slug {
        Some(s) => s,
        None => {
            derived = crate::import::slug::slug(agency);
            if derived.is_empty() {
                return fail(&Error::Usage(t!("new.no_slug", agency = agency).into_owned()));
            }
            &derived
        }
    };
    if !crate::report::parse::valid_slug(slug) {
        return fail(&Error::Usage(t!("new.bad_slug", slug = slug).into_owned()));
    }
    let rel = scaffold::report_path(slug, args.year);
    let text = scaffold::report_template(&NewReport {
        agency,
        slug,
        year: args.year,
        level: args.level.unwrap_or(Level::Department),
        published: args.published,
        draft: true,
        region: args.region,
        title: args.title,
    });
    match scaffold::write_new(&root.join(&rel), text.as_bytes()) {
        Ok(()) => {
            outln!("{}", t!("new.created", path = root.join(&rel).display()));
            if args.slug.is_none() {
                outln!("{}", t!("new.slug_derived", slug = slug));
            }
            exit::OK
        }
        Err(e) => fail(&e),
    }
}

/// `gongkai new report --slug S --year Y --from-previous`: the template
/// begun from the agency's report for Y-1 (agency, level and region from
/// it unless given; 上年结转 and 现行有效件数 carried, section headings
/// kept), still a draft. No report for Y-1 under `content/`: status 2.
fn new_report_from_previous(root: &Path, args: &NewReportArgs, today: chrono::NaiveDate) -> u8 {
    let Some(slug) = args.slug else {
        return fail(&Error::Usage(t!("roster_checks.new.needs_slug").into_owned()));
    };
    if !crate::report::parse::valid_slug(slug) {
        return fail(&Error::Usage(t!("new.bad_slug", slug = slug).into_owned()));
    }
    let last_year = args.year - 1;
    let content = match crate::content::load(root, today) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let Some(prev) = content
        .reports
        .iter()
        .find(|r| r.agency_slug == slug && r.year == last_year)
    else {
        return fail(&Error::Usage(
            t!(
                "roster_checks.new.no_previous",
                slug = slug,
                year = last_year,
                path = scaffold::report_path(slug, last_year).display()
            )
            .into_owned(),
        ));
    };
    let carried = scaffold::previous_of(prev);
    let rel = scaffold::report_path(slug, args.year);
    let text = scaffold::report_template_from_previous(
        &NewReport {
            agency: args.agency.unwrap_or(&prev.agency),
            slug,
            year: args.year,
            level: args.level.unwrap_or(prev.level),
            published: args.published,
            draft: true,
            region: args.region.or(prev.region.as_deref()),
            title: args.title,
        },
        &carried,
    );
    match scaffold::write_new(&root.join(&rel), text.as_bytes()) {
        Ok(()) => {
            outln!("{}", t!("new.created", path = root.join(&rel).display()));
            outln!("{}", t!("roster_checks.new.carried", path = prev.path));
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
        assert_eq!(
            t!(
                "error.internal",
                locale = "zh-CN",
                what = "index out of bounds",
                at = t!("error.internal.at", locale = "zh-CN", place = "src/x.rs:12")
            ),
            "内部错误：index out of bounds，位置 src/x.rs:12（这是程序缺陷，请报告）"
        );
    }
}
