//! Output: which folder a build may be written to, and writing it. The
//! rule lives in [`guard`], which every build (and `serve`'s full builds)
//! goes through: paths are compared after resolving links, the output may
//! never be the site, hold it, or lie inside its sources, an existing
//! non-folder is never replaced, and an existing non-empty folder is
//! replaced only when gongkai wrote it (it holds the [`MARKER`] file that
//! every build writes) or with `--force`.
//!
//! A build is written into a temporary folder beside the output folder
//! ([`Staging`]) and swapped in only when it is complete, so a failed build
//! never leaves a half-written site and the previous output stays untouched.
//! Files are written in parallel by the render stage through [`Staging`].

use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

use crate::theme::Source;
use crate::Error;

/// The file every build writes at the top of its output, so that the next
/// build knows the folder is gongkai's to replace. A dotfile: web servers
/// and the HTML checker pass over it.
pub const MARKER: &str = ".gongkai-output";

/// What the marker says (its first line is what is recognised).
const MARKER_TEXT: &str = "gongkai output folder\n\
This folder was written by `gongkai build`; every build replaces it whole.\n\
Keep nothing else here: it would be deleted by the next build.\n";

/// The marker's first line, which must be there for the folder to count as gongkai's.
const MARKER_FIRST_LINE: &str = "gongkai output folder\n";

/// The folders of a site that hold its sources: an output may neither lie
/// inside one nor contain one.
pub const SOURCES: [&str; 6] = ["content", "themes", "templates", "static", "src", ".git"];

/// Decides whether a build may be written to `output` for the site at
/// `root`, and returns the output's real path (links resolved), where the
/// build is then staged and swapped in. Refused, with the reason:
///
/// - an output that exists and is not a folder (a file, a link to
///   nothing, a device): it is never replaced, `force` or not;
/// - the site's root itself, or a folder that contains it;
/// - a folder inside one of the site's [`SOURCES`], or one that contains
///   one (these folders resolved too: `content` may be a link);
/// - unless `force`: an existing folder that is not empty and does not
///   hold the [`MARKER`] (someone's files, not a build).
///
/// A missing or empty folder is fine. Both paths are compared after
/// resolving them: a root given through a link, an output reached through a
/// link, `..` in either, all name the same folders as their real paths.
pub fn guard(root: &Path, output: &Path, force: bool) -> Result<PathBuf, Error> {
    let refuse =
        |why: &str| Error::Refused(t!("error.output.refuse", output = output.display(), why = why).into_owned());
    let root_real = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let real = resolve(output).map_err(|e| match e.kind() {
        ErrorKind::NotADirectory => refuse(&t!("error.output.part_is_file")),
        ErrorKind::InvalidInput => refuse(&e.to_string()),
        _ => Error::io(output, e),
    })?;
    let existing = match std::fs::symlink_metadata(&real) {
        Ok(m) if m.is_dir() => true,
        Ok(m) => return Err(refuse(&t!("error.output.not_a_folder", what = what(&m)))),
        Err(e) if e.kind() == ErrorKind::NotFound => false,
        Err(e) => return Err(Error::io(output, e)),
    };
    if root_real.starts_with(&real) {
        let (root, public) = (root_real.display(), root_real.join("public"));
        let public = public.display();
        return Err(refuse(&if root_real == real {
            t!("error.output.is_root", root = root, public = public)
        } else {
            t!("error.output.contains_root", root = root, public = public)
        }));
    }
    for name in SOURCES {
        let dir = root_real.join(name);
        let dir = dir.canonicalize().unwrap_or(dir);
        if real.starts_with(&dir) || dir.starts_with(&real) {
            return Err(refuse(&if real.starts_with(&dir) {
                t!("error.output.inside_source", name = name, dir = dir.display())
            } else {
                t!("error.output.contains_source", name = name, dir = dir.display())
            }));
        }
    }
    if existing && !force && !is_empty(&real).map_err(|e| Error::io(output, e))? && !has_marker(&real) {
        return Err(refuse(&t!("error.output.not_ours", marker = MARKER)));
    }
    Ok(real)
}

/// `path` made absolute with every link resolved. For a path that does not
/// exist (yet), its nearest existing ancestor is resolved and the rest
/// appended, `.` and `..` in the rest worked out by name (nothing there can
/// be a link). A link to nothing on the way is an error: what it would
/// create cannot be known.
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let parts: Vec<Component> = abs.components().collect();
    for keep in (1..=parts.len()).rev() {
        let head: PathBuf = parts[..keep].iter().collect();
        match head.canonicalize() {
            Ok(mut real) => {
                for part in &parts[keep..] {
                    match part {
                        Component::ParentDir => {
                            real.pop();
                        }
                        Component::CurDir => {}
                        other => real.push(other.as_os_str()),
                    }
                }
                return Ok(real);
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {
                if std::fs::symlink_metadata(&head).is_ok() {
                    return Err(std::io::Error::new(
                        ErrorKind::InvalidInput,
                        format!("{} is a link to nothing", head.display()),
                    ));
                }
            }
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(ErrorKind::NotFound, "no part of the path exists"))
}

/// What a file that is not a folder is, in words.
fn what(meta: &std::fs::Metadata) -> String {
    if meta.file_type().is_symlink() {
        t!("fsx.kind.link").into_owned()
    } else {
        crate::fsx::kind(meta)
    }
}

fn is_empty(dir: &Path) -> std::io::Result<bool> {
    Ok(std::fs::read_dir(dir)?.next().is_none())
}

/// Whether `dir` holds the marker of a gongkai build: a regular file (not a
/// link) that starts with the marker's first line.
fn has_marker(dir: &Path) -> bool {
    let path = dir.join(MARKER);
    std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
        && crate::fsx::read_regular(&path, 4096).is_ok_and(|b| b.starts_with(MARKER_FIRST_LINE.as_bytes()))
}

/// A build being written.
pub struct Staging {
    target: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

impl Staging {
    /// Prepares a fresh temporary folder for `target` (e.g. `public`, as
    /// returned by [`guard`]), beside it, with the [`MARKER`] in it. Nothing
    /// that exists is deleted: a name already taken is passed over.
    pub fn new(target: &Path) -> Result<Staging, Error> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = target
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let mut n = 0u32;
        let tmp = loop {
            let tmp = parent.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
            match std::fs::create_dir(&tmp) {
                Ok(()) => break tmp,
                Err(e) if e.kind() == ErrorKind::AlreadyExists && n < 1000 => n += 1,
                Err(e) => return Err(Error::io(&tmp, e)),
            }
        };
        let staging = Staging {
            target: target.to_path_buf(),
            tmp,
            committed: false,
        };
        staging.write(MARKER, MARKER_TEXT.as_bytes())?;
        Ok(staging)
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
                // Only a regular file is ever copied (the walk checked it;
                // it may have been swapped for a FIFO since).
                let (mut file, _) = crate::fsx::open_regular(from).map_err(|e| Error::io(from, e))?;
                let mut out = std::fs::File::create(&to).map_err(|e| Error::io(&to, e))?;
                std::io::copy(&mut file, &mut out)
                    .map(|_| ())
                    .map_err(|e| Error::io(from, e))
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
        // Only a folder is ever moved away (a link to one is not a folder:
        // `guard` gives the real path).
        let had_old = match std::fs::symlink_metadata(&self.target) {
            Ok(m) if m.is_dir() => true,
            Ok(m) => {
                return Err(Error::Refused(
                    t!(
                        "error.output.replace_not_folder",
                        target = self.target.display(),
                        what = what(&m)
                    )
                    .into_owned(),
                ))
            }
            Err(e) if e.kind() == ErrorKind::NotFound => false,
            Err(e) => return Err(Error::io(&self.target, e)),
        };
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

    #[test]
    fn every_build_is_marked_and_replaces_only_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = Staging::new(&out).unwrap();
        s.commit(false).unwrap();
        assert!(has_marker(&out), "the marker is written into every build");

        // A file where the output should be is never moved away.
        let file = dir.path().join("file");
        std::fs::write(&file, "mine").unwrap();
        let s = Staging::new(&file).unwrap();
        let e = s.commit(false).unwrap_err();
        assert!(e.to_string().contains("not a folder"), "{e}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
        #[cfg(unix)]
        {
            // Nor a link, even to a folder (the guard gives the real path).
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&out, &link).unwrap();
            let e = Staging::new(&link).unwrap().commit(false).unwrap_err();
            assert!(e.to_string().contains("a link, not a folder"), "{e}");
            assert!(link.is_symlink() && out.join(MARKER).is_file());
        }
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        left.retain(|n| n != "link");
        assert_eq!(left, ["file", "public"], "no temporary folder left");
    }

    #[test]
    fn a_temporary_folder_of_the_same_name_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let taken = dir.path().join(format!(".public.tmp-{}-0", std::process::id()));
        std::fs::create_dir(&taken).unwrap();
        std::fs::write(taken.join("keep"), "keep").unwrap();
        let s = Staging::new(&out).unwrap();
        assert_ne!(s.dir(), taken);
        s.commit(false).unwrap();
        assert_eq!(std::fs::read_to_string(taken.join("keep")).unwrap(), "keep");
    }

    #[test]
    fn guard_allows_missing_empty_and_marked_folders_and_force() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let real_root = root.canonicalize().unwrap();
        assert_eq!(
            guard(&root, &root.join("public"), false).unwrap(),
            real_root.join("public")
        );
        std::fs::create_dir(root.join("public")).unwrap();
        assert_eq!(
            guard(&root, &root.join("public"), false).unwrap(),
            real_root.join("public")
        );
        std::fs::write(root.join("public/notes.txt"), "mine").unwrap();
        let e = guard(&root, &root.join("public"), false).unwrap_err();
        assert!(e.to_string().contains("--force"), "{e}");
        assert!(guard(&root, &root.join("public"), true).is_ok());
        std::fs::write(root.join("public").join(MARKER), MARKER_TEXT).unwrap();
        assert!(guard(&root, &root.join("public"), false).is_ok());
        // `..` in the part that does not exist yet is worked out by name.
        assert_eq!(
            guard(&root, &root.join("a/b/../../out"), false).unwrap(),
            real_root.join("out")
        );
        for bad in [
            "",
            "a/..",
            "content",
            "content/x",
            "content/../content",
            "new/../content/y",
            "..",
        ] {
            let out = root.join(bad);
            assert!(guard(&root, &out, true).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn resolve_appends_what_does_not_exist_to_the_real_ancestor() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        assert_eq!(resolve(&dir.path().join("x/./y/../z")).unwrap(), real.join("x/z"));
        assert_eq!(resolve(dir.path()).unwrap(), real);
        std::fs::write(dir.path().join("f"), "").unwrap();
        let e = resolve(&dir.path().join("f/x")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotADirectory);
    }
}
