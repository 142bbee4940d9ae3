//! The errors that stop a command before any content is judged: no site, a
//! bad `site.toml`, a missing content folder or theme, a file that cannot be
//! read or written, a folder that would be overwritten, a port, a watcher or
//! a preview that cannot be had, a bad argument. Each says what went wrong
//! in its own variant; all exit with status 2. Problems in the content are
//! [`crate::diagnostics::Diagnostic`]s. The words of each message are in
//! the run's language (`locales/cli.yml`, keys `error.*`); the paths and
//! the system's own reasons are quoted as they are.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", t!("error.no_site", dir = .0.display()))]
    NoSite(PathBuf),
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Config {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    /// The site's `content/` folder is missing, not a folder, or outside the site.
    #[error("{0}")]
    Content(String),
    /// The theme named in `site.toml` cannot be found.
    #[error("{0}")]
    Theme(String),
    /// A template that does not parse or render.
    #[error("{0}")]
    Template(String),
    /// A file or folder that cannot be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// An open-data file (`path`, in the output) that cannot be serialized:
    /// the build stops rather than publish it empty or cut short.
    #[error("{}", t!("error.data", path = path, error = source))]
    Data {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A file given to `import` that cannot be read as a report's text.
    #[error("{0}")]
    Import(String),
    /// What would overwrite or replace something that is not gongkai's to
    /// replace (an existing file, a folder without the output marker).
    #[error("{0}")]
    Refused(String),
    /// `serve` cannot listen on the address asked for.
    #[error("{0}")]
    Listen(String),
    /// `serve` cannot watch the site for changes.
    #[error("{}", t!("error.watch", why = .0))]
    Watch(String),
    /// `serve`'s in-memory preview cannot start, or has no such page.
    #[error("{0}")]
    Preview(String),
    /// A command-line argument that cannot be used.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
