//! The `gongkai` command: parses the command line and calls the library.
//! A panic (a bug) ends it with an "internal error" and status 2, and a
//! closed stdout or stderr only stops the printing (see `gongkai::commands`).
//!
//! The language of every message is chosen first (`--lang`, read from the
//! arguments before clap parses them, else the locale), so that `--help`
//! itself is in that language: under Chinese, the help of every command and
//! argument and clap's own headings are replaced by the texts of
//! `locales/cli.yml` (keys `cli.<command path>.about` and
//! `cli.<command path>.<argument id>`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Arg, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use gongkai::build::BuildOptions;
use gongkai::commands::{self, OutputFormat};
use gongkai::i18n::{self, Lang};
use gongkai::report::Level;

// Parsing allocates many small values on two threads; mimalloc is markedly
// faster than the system allocator at that. Built with `no_thp`: with
// transparent huge pages its heap grows in 2 MiB steps, each zeroed on
// first touch (a 10,000-report build peaked ~30 MiB higher, in more time).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "Static site generator for government information-disclosure portals (政府信息公开平台)"
)]
struct Cli {
    /// The site's root folder (where site.toml is).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    /// The language of messages: zh or en (default: from LC_ALL, LC_MESSAGES or LANG).
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    lang: Option<Lang>,
    /// The date to judge deadlines against (YYYY-MM-DD), instead of this machine's date, for reproducible runs.
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = parse_today)]
    today: Option<chrono::NaiveDate>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new site in DIR (default: --root).
    Init {
        /// The folder to create the site in (default: --root); created when missing, refused when it holds a site already.
        dir: Option<PathBuf>,
    },
    /// Create a new content file.
    New {
        #[command(subcommand)]
        what: New,
    },
    /// Check the site, then build the portal into the output folder.
    Build {
        /// Output folder (default: output_dir of site.toml).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Base URL to build for (overrides site.toml), e.g. https://example.org/portal/.
        #[arg(long)]
        base_url: Option<String>,
        /// Include draft reports and pages.
        #[arg(long)]
        drafts: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Print nothing but diagnostics.
        #[arg(long, short)]
        quiet: bool,
        /// Replace the output folder even if gongkai did not write it (it has no .gongkai-output file).
        #[arg(long)]
        force: bool,
    },
    /// Serve a preview of the portal on loopback, rendered in memory (nothing is written), updated as files change.
    Serve {
        /// The address to listen on (loopback unless you say otherwise).
        #[arg(long, default_value = "127.0.0.1")]
        interface: String,
        /// The port (0: any free port).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Open the portal in a browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of OS events (for network drives).
        #[arg(long)]
        poll: bool,
        /// Leave draft reports and pages out, as build does (the preview shows them by default, marked as drafts).
        #[arg(long)]
        no_drafts: bool,
        /// Include draft reports and pages (the default of serve; kept for old scripts).
        #[arg(long, hide = true, conflicts_with = "no_drafts")]
        drafts: bool,
    },
    /// Import published reports (text, web pages, PDF, Word documents) as content files.
    ///
    /// Each FILE becomes <root>/content/reports/<slug>/<year>.md (or DIR/<slug>/<year>.md with --out),
    /// with the numbers exactly as published, and is then checked. A folder stands for every .txt, .md,
    /// .html, .htm, .pdf and .docx file inside it (recursively, sorted; hidden files skipped). Files are
    /// imported in parallel, each on its own; with several, a summary table follows (JSON with
    /// --format json). A report whose agency or publication date is not found is written as a draft
    /// with that key left empty; one whose year is not found is refused. Never overwrites a file.
    /// Exit status: 0 every file imported; 1 a file was refused (nothing written for it) or written as
    /// a draft; 2 usage or IO errors (an unreadable file, an output file that exists already).
    Import {
        /// The reports: .txt/.md (UTF-8, UTF-16, GBK), .html/.htm, .pdf, .docx, or folders of them.
        #[arg(required = true, value_name = "FILES")]
        files: Vec<PathBuf>,
        /// Write DIR/<slug>/<year>.md instead of <root>/content/reports/<slug>/<year>.md.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The agency slug ([a-z0-9-]+); default: the pinyin of the agency's name. With it, a report
        /// whose agency is not found is written as a draft instead of refused.
        #[arg(long, value_name = "SLUG")]
        agency_slug: Option<String>,
        /// The report's format; auto (the default) recognises it from the table labels.
        #[arg(long, value_enum, value_name = "FORMAT")]
        report_format: Option<ImportFormat>,
        /// What is printed on stdout: text (one line for one file, a summary table for several) or json.
        /// (The report formats auto|gov-2021|gov-2019|freeform are still taken here, as --report-format.)
        #[arg(long, value_enum, default_value_t = ImportOutput::Text)]
        format: ImportOutput,
        /// The reporting body, when the text does not name it (overrides what is found).
        #[arg(long, value_name = "NAME")]
        agency: Option<String>,
        /// The reporting year, when the text does not give it (overrides what is found).
        #[arg(long)]
        year: Option<i32>,
        /// The publication date (YYYY-MM-DD), when the text does not give it (overrides what is found).
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        published: Option<chrono::NaiveDate>,
        /// The level (deadline rule); default: from the agency's name.
        #[arg(long, value_enum)]
        level: Option<LevelArg>,
    },
    /// Export a report as the official Word document (.docx), or every report of a year into a zip.
    ///
    /// The title, the six sections, tables 二, 三 and 四 in the official layout with merged cells,
    /// 仿宋 text and 黑体 headings on A4. With --year, every report of the year (drafts left out) into
    /// one zip. A report with errors is not exported (as build refuses it); warnings are shown.
    /// Exit status: 0 written; 1 the report has errors (nothing written); 2 usage or IO errors (an
    /// output file that exists, without --force).
    Export {
        /// The report's content file (e.g. content/reports/<slug>/<year>.md).
        #[arg(value_name = "REPORT", required_unless_present = "year", conflicts_with = "year")]
        report: Option<PathBuf>,
        /// The file to write (default: <slug>-<year>.docx, or reports-<year>.zip with --year, in the current folder).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Export every report of this year (drafts left out) into one zip archive, one .docx each.
        #[arg(long, value_name = "YEAR")]
        year: Option<i32>,
        /// Replace the output file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Check every report against the format's rules (F01-F09, R01-R16).
    Check {
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// How problems are printed: human (source snippets) or json (one object per problem, stable ids).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(Subcommand)]
enum New {
    /// A report file with every key of the gov-2021 format present as zeros.
    Report {
        /// The reporting body, exactly as published.
        #[arg(long, required_unless_present = "from_previous")]
        agency: Option<String>,
        /// The agency's slug, used in URLs ([a-z0-9-]+); default: the pinyin of the agency's name, as import makes it.
        #[arg(long)]
        slug: Option<String>,
        /// The reporting year.
        #[arg(long)]
        year: i32,
        /// The agency's level, which sets the deadline (R09): government 31 March, department and township 31 January.
        #[arg(long, value_enum, default_value_t = LevelArg::Department)]
        level: LevelArg,
        /// The publication date (YYYY-MM-DD); default: the deadline of the year, to be corrected.
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        published: Option<chrono::NaiveDate>,
        /// The region the agency belongs to (the key `region`), e.g. 示例县.
        #[arg(long, value_name = "NAME")]
        region: Option<String>,
        /// The report's title; default: the agency's name, the year and the official words.
        #[arg(long, value_name = "TITLE")]
        title: Option<String>,
        /// Begin from the agency's report for the year before (give --slug): agency, level and region, 上年结转 and 现行有效件数 carried over, its section headings.
        #[arg(long, requires = "slug")]
        from_previous: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

/// `import --format`: the output; the report formats, hidden, are the old
/// meaning of `--format` (now `--report-format`), still taken with a note.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ImportOutput {
    #[value(alias = "human")]
    Text,
    Json,
    #[value(hide = true)]
    Auto,
    #[value(name = "gov-2021", hide = true)]
    Gov2021,
    #[value(name = "gov-2019", hide = true)]
    Gov2019,
    #[value(hide = true)]
    Freeform,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ImportFormat {
    Auto,
    #[value(name = "gov-2021")]
    Gov2021,
    #[value(name = "gov-2019")]
    Gov2019,
    Freeform,
}

/// `import`'s output format and report format from `--format` and
/// `--report-format`: a report format given as `--format` (its old meaning)
/// is taken as `--report-format`, with a note on stderr.
fn import_formats(
    format: ImportOutput,
    report_format: Option<ImportFormat>,
) -> Result<(OutputFormat, ImportFormat), gongkai::Error> {
    let old = match format {
        ImportOutput::Text => return Ok((OutputFormat::Human, report_format.unwrap_or(ImportFormat::Auto))),
        ImportOutput::Json => return Ok((OutputFormat::Json, report_format.unwrap_or(ImportFormat::Auto))),
        ImportOutput::Auto => (ImportFormat::Auto, "auto"),
        ImportOutput::Gov2021 => (ImportFormat::Gov2021, "gov-2021"),
        ImportOutput::Gov2019 => (ImportFormat::Gov2019, "gov-2019"),
        ImportOutput::Freeform => (ImportFormat::Freeform, "freeform"),
    };
    if report_format.is_some_and(|r| r != old.0) {
        return Err(gongkai::Error::Usage(format!(
            "--format {} and --report-format disagree: give the report's format once, as --report-format",
            old.1
        )));
    }
    gongkai::eoutln!(
        "note: `--format {0}` is deprecated for the report's format: write `--report-format {0}` (--format is now the output, text or json)",
        old.1
    );
    Ok((OutputFormat::Human, old.0))
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("`{s}` is no language of gongkai: write zh or en"))
}

/// The language asked for by `--lang X` or `--lang=X` among the arguments
/// (before a `--`), read before clap parses them so that `--help` is in it.
fn lang_arg(args: &[std::ffi::OsString]) -> Option<Lang> {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            return it.next().and_then(|v| Lang::parse(&v));
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return Lang::parse(v);
        }
    }
    None
}

/// The command line in `lang`: under Chinese, every command's about and
/// every argument's help from `locales/cli.yml`, and clap's own headings
/// and help lines; English keeps the texts of the doc comments (the same
/// as the catalogue's `en`).
fn localized(lang: Lang) -> clap::Command {
    let mut cmd = Cli::command();
    if lang == Lang::En {
        return cmd;
    }
    // Built first, so that the help flags, the `help` subcommand and the
    // global arguments copied into each subcommand exist to be replaced.
    cmd.build();
    localize(cmd, lang, "")
}

/// [`localized`] for one command and (recursively) its subcommands; `path`
/// is the command's path below the root, dot-separated (`new.report`).
fn localize(mut cmd: clap::Command, lang: Lang, path: &str) -> clap::Command {
    let text = |key: &str| i18n::lookup(lang, key);
    let key = |name: &str| {
        if path.is_empty() {
            format!("cli.{name}")
        } else {
            format!("cli.{path}.{name}")
        }
    };
    if let Some(about) = text(&key("about")) {
        cmd = cmd
            .about(about.clone())
            .long_about(text(&key("long_about")).unwrap_or(about));
    }
    let usage = text("cli.heading.usage").unwrap_or_else(|| "Usage:".into());
    cmd = cmd.help_template(format!(
        "{{before-help}}{{about-with-newline}}\n{usage} {{usage}}\n\n{{all-args}}{{after-help}}"
    ));
    if let Some(h) = text("cli.heading.commands") {
        cmd = cmd.subcommand_help_heading(&*h.leak());
    }
    // Headings are `&'static str` to clap (without its `string` feature):
    // a few short texts, leaked once per run.
    let options: Option<&'static str> = text("cli.heading.options").map(|h| &*h.leak());
    let arguments: Option<&'static str> = text("cli.heading.arguments").map(|h| &*h.leak());
    let globals = ["root", "lang"];
    let ids: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    for (id, positional) in ids {
        let help = match id.as_str() {
            "help" => text("cli.flag.help"),
            "version" => text("cli.flag.version"),
            g if globals.contains(&g) => text(&format!("cli.{g}")),
            "today" => text("roster_checks.cli.today"),
            "from_previous" => text("roster_checks.cli.from_previous"),
            _ => text(&key(&id)),
        };
        let heading = if positional { arguments } else { options };
        cmd = cmd.mut_arg(id.as_str(), |mut a: Arg| {
            if let Some(mut h) = help {
                // clap's own `[default: …]` and `[possible values: …]` are
                // English: hidden, and said in the help text instead.
                let defaults: Vec<String> = a
                    .get_default_values()
                    .iter()
                    .map(|v| v.to_string_lossy().into_owned())
                    .collect();
                let values: Vec<String> = a
                    .get_possible_values()
                    .iter()
                    .filter(|v| !v.is_hide_set())
                    .map(|v| v.get_name().to_string())
                    .collect();
                if !values.is_empty() && a.get_action().takes_values() {
                    h.push_str(
                        &text("cli.help_values")
                            .unwrap_or_default()
                            .replace("%{values}", &values.join(" | ")),
                    );
                    a = a.hide_possible_values(true);
                }
                if !defaults.is_empty() && a.get_action().takes_values() {
                    h.push_str(
                        &text("cli.help_default")
                            .unwrap_or_default()
                            .replace("%{value}", &defaults.join(" ")),
                    );
                    a = a.hide_default_value(true);
                }
                a = a.help(h.clone()).long_help(h);
            }
            if heading.is_some() {
                a = a.help_heading(heading);
            }
            a
        });
    }
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in subs {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        cmd = cmd.mut_subcommand(name.as_str(), |s| localize(s, lang, &sub_path));
    }
    cmd
}

/// `--today`: a real date, written YYYY-MM-DD (clap refuses anything else
/// with status 2), said in the language of the run.
fn parse_today(s: &str) -> Result<chrono::NaiveDate, String> {
    gongkai::report::parse::parse_date(s)
        .ok_or_else(|| i18n::text("roster_checks.cli.bad_today").replace("%{value}", s))
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    gongkai::report::parse::parse_date(s).ok_or_else(|| format!("`{s}` is not a date; write YYYY-MM-DD"))
}

impl LevelArg {
    fn level(self) -> Level {
        match self {
            LevelArg::Government => Level::Government,
            LevelArg::Department => Level::Department,
            LevelArg::Township => Level::Township,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum LevelArg {
    Government,
    Department,
    Township,
}

fn main() -> ExitCode {
    commands::install_panic_hook();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = lang_arg(&args).unwrap_or_else(Lang::from_env);
    i18n::set(lang);
    let matches = localized(lang).get_matches_from(args);
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    // Already applied (see `lang_arg`); parsed here so a bad value is refused.
    let _ = cli.lang;
    if let Some(today) = cli.today {
        gongkai::site::set_today(today);
    }
    let code = match cli.command {
        Command::Init { dir } => commands::init(&dir.unwrap_or(cli.root)),
        Command::New {
            what:
                New::Report {
                    agency,
                    slug,
                    year,
                    level,
                    published,
                    region,
                    title,
                    from_previous,
                },
        } => {
            // With --from-previous, a level not given is last year's.
            let level_given = matches
                .subcommand_matches("new")
                .and_then(|m| m.subcommand_matches("report"))
                .and_then(|m| m.value_source("level"))
                .is_some_and(|s| s != clap::parser::ValueSource::DefaultValue);
            let new = commands::NewReportArgs {
                agency: agency.as_deref(),
                slug: slug.as_deref(),
                year,
                level: (level_given || !from_previous).then(|| level.level()),
                published,
                region: region.as_deref(),
                title: title.as_deref(),
                from_previous,
            };
            commands::new_report(&cli.root, &new)
        }
        Command::Build {
            output,
            base_url,
            drafts,
            strict,
            quiet,
            force,
        } => {
            let opts = BuildOptions {
                output,
                base_url,
                drafts,
                background_cleanup: false,
                force,
            };
            commands::build(&cli.root, &opts, strict, quiet)
        }
        Command::Serve {
            interface,
            port,
            open,
            poll,
            no_drafts,
            drafts: _,
        } => {
            let opts = gongkai::serve::ServeOptions {
                interface,
                port,
                open,
                poll,
                drafts: !no_drafts,
            };
            commands::serve(&cli.root, &opts)
        }
        Command::Import {
            files,
            out,
            agency_slug,
            report_format,
            format,
            agency,
            year,
            published,
            level,
        } => {
            let (output, report_format) = match import_formats(format, report_format) {
                Ok(f) => f,
                Err(e) => return ExitCode::from(commands::finish(commands::fail(&e))),
            };
            let opts = gongkai::import::Options {
                format: match report_format {
                    ImportFormat::Auto => None,
                    ImportFormat::Gov2021 => Some(gongkai::report::Format::Gov2021),
                    ImportFormat::Gov2019 => Some(gongkai::report::Format::Gov2019),
                    ImportFormat::Freeform => Some(gongkai::report::Format::Freeform),
                },
                agency,
                slug: agency_slug,
                year,
                published,
                level: level.map(LevelArg::level),
            };
            let run = commands::ImportRun {
                root: &cli.root,
                out: out.as_deref(),
                opts: &opts,
                format: output,
            };
            commands::import(&files, &run)
        }
        Command::Export {
            report,
            output,
            year,
            force,
        } => commands::export(&commands::ExportRun {
            root: &cli.root,
            report: report.as_deref(),
            year,
            output: output.as_deref(),
            force,
        }),
        Command::Check { strict, format } => {
            let format = match format {
                Format::Human => OutputFormat::Human,
                Format::Json => OutputFormat::Json,
            };
            commands::check(&cli.root, strict, format)
        }
    };
    ExitCode::from(commands::finish(code))
}
