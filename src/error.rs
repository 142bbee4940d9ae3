//! The errors that stop a command before any content is judged: no site, a
//! bad `site.toml`, a file that cannot be read or written. They exit with
//! status 2; problems in the content are [`crate::diagnostics::Diagnostic`]s.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no site.toml in {}: run `gongkai init {}` to create a site there, or pass --root DIR", .0.display(), .0.display())]
    NoSite(PathBuf),
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Config {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Template(String),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
