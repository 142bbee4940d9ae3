//! The `gongkai` command: parses the command line and calls the library.
//! A panic (a bug) ends it with an "internal error" and status 2, and a
//! closed stdout or stderr only stops the printing (see `gongkai::commands`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use gongkai::build::BuildOptions;
use gongkai::commands::{self, OutputFormat};
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
        /// Include draft reports and pages.
        #[arg(long)]
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
    /// Check every report against the format's rules (F01-F09, R01-R13).
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
        #[arg(long)]
        agency: String,
        /// The agency's slug, used in URLs ([a-z0-9-]+).
        #[arg(long)]
        slug: String,
        /// The reporting year.
        #[arg(long)]
        year: i32,
        /// The agency's level, which sets the deadline (R09): government 31 March, department and township 31 January.
        #[arg(long, value_enum, default_value_t = LevelArg::Department)]
        level: LevelArg,
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
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Init { dir } => commands::init(&dir.unwrap_or(cli.root)),
        Command::New {
            what:
                New::Report {
                    agency,
                    slug,
                    year,
                    level,
                },
        } => {
            let level = match level {
                LevelArg::Government => Level::Government,
                LevelArg::Department => Level::Department,
                LevelArg::Township => Level::Township,
            };
            commands::new_report(&cli.root, &agency, &slug, year, level)
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
            drafts,
        } => {
            let opts = gongkai::serve::ServeOptions {
                interface,
                port,
                open,
                poll,
                drafts,
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
