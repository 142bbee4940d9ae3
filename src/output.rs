//! Output: writes a build into a temporary folder beside the output folder
//! and swaps it in only when the build is complete, so a failed build never
//! leaves a half-written site and the previous output stays untouched.
//! Files are written in parallel by the render stage through [`Staging`].

use std::path::{Path, PathBuf};

use crate::render::Source;
use crate::Error;

/// A build being written.
pub struct Staging {
    target: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

impl Staging {
    /// Prepares a fresh temporary folder for `target` (e.g. `public`), beside it.
    pub fn new(target: &Path) -> Result<Staging, Error> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = target
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
        }
        std::fs::create_dir(&tmp).map_err(|e| Error::io(&tmp, e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            tmp,
            committed: false,
        })
    }

    /// The temporary folder being written.
    pub fn dir(&self) -> &Path {
        &self.tmp
    }

    /// Writes `bytes` to `rel` (a `/`-separated path) in the build.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        let path = self.tmp.join(rel);
        match std::fs::write(&path, bytes) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                }
                std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
            }
            Err(e) => Err(Error::io(&path, e)),
        }
    }

    /// Copies a theme, site or content file to `rel`.
    pub fn copy(&self, rel: &str, source: &Source) -> Result<(), Error> {
        match source {
            Source::Embedded(bytes) => self.write(rel, bytes),
            Source::File(from) => {
                let to = self.tmp.join(rel);
                if let Some(parent) = to.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                }
                std::fs::copy(from, &to).map(|_| ()).map_err(|e| Error::io(from, e))
            }
        }
    }

    /// Swaps the finished build in for the output folder, then deletes the
    /// previous output; with `background`, on another thread (a long-running
    /// `serve` need not wait for thousands of files to be unlinked).
    pub fn commit(mut self, background: bool) -> Result<(), Error> {
        // A name of its own for each swap: an earlier one may still be being
        // deleted in the background.
        static SWAPS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let old = self.tmp.with_file_name(format!(
            ".{}.old-{}-{}",
            self.target
                .file_name()
                .map_or("public".into(), |n| n.to_string_lossy().into_owned()),
            std::process::id(),
            SWAPS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.tmp, &self.target) {
            if had_old {
                // Put the previous output back before reporting.
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::io(&self.target, e));
        }
        self.committed = true;
        if had_old {
            if background {
                std::thread::spawn(move || std::fs::remove_dir_all(&old));
            } else {
                std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
            }
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unfinished_build_leaves_the_output_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        {
            let s = Staging::new(&out).unwrap();
            s.write("a/b/index.html", b"new").unwrap();
            // dropped without commit
        }
        assert_eq!(std::fs::read_to_string(out.join("old.html")).unwrap(), "old");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary folder left"
        );

        let s = Staging::new(&out).unwrap();
        s.write("a/b/index.html", b"new").unwrap();
        s.commit(false).unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(std::fs::read_to_string(out.join("a/b/index.html")).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
