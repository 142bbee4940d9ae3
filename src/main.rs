//! The `gongkai` command: parses the command line and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use gongkai::build::BuildOptions;
use gongkai::commands::{self, OutputFormat};
use gongkai::report::Level;

// Parsing allocates many small values on two threads; mimalloc is markedly
// faster than the system allocator at that.
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
    Init { dir: Option<PathBuf> },
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
    },
    /// Build, serve the portal on loopback and rebuild it as files change.
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
        /// Output folder (default: output_dir of site.toml).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Include draft reports and pages.
        #[arg(long)]
        drafts: bool,
    },
    /// Check every report against the format's rules (R01-R12).
    Check {
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
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
        #[arg(long, value_enum, default_value_t = LevelArg::Department)]
        level: LevelArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum LevelArg {
    Government,
    Department,
    Township,
}

fn main() -> ExitCode {
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
        } => {
            let opts = BuildOptions {
                output,
                base_url,
                drafts,
                background_cleanup: false,
            };
            commands::build(&cli.root, &opts, strict, quiet)
        }
        Command::Serve {
            interface,
            port,
            open,
            poll,
            output,
            drafts,
        } => {
            let opts = gongkai::serve::ServeOptions {
                interface,
                port,
                open,
                poll,
                output,
                drafts,
            };
            commands::serve(&cli.root, &opts)
        }
        Command::Check { strict, format } => {
            let format = match format {
                Format::Human => OutputFormat::Human,
                Format::Json => OutputFormat::Json,
            };
            commands::check(&cli.root, strict, format)
        }
    };
    ExitCode::from(code)
}
