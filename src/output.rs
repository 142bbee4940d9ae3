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
//! On Linux the staging folder asks ext4 to spread its subfolders over
//! little-used block groups (`spread_subfolders`), where creating files
//! is not slowed by a deletion just made beside the output.
//!
//! A rebuild over a previous output writes only what changed: a file whose
//! bytes equal the previous output's file at the same path is hard-linked
//! from it into the staging folder instead of written (no new inode, no
//! data written, and its modification time stays, so `rsync` and CDN upload
//! tools see it unchanged); the swap stays atomic, because the previous
//! output is never modified, only linked from. Where links are impossible
//! (another file system, a FAT stick) the file is written as before. The
//! marker records what the build was made from ([`Stamp`]), so the next
//! build can tell that nothing changed at all and skip writing
//! ([`up_to_date`]).

use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

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

/// What a finished output was made from and holds: the fingerprint of the
/// build's inputs (computed by the build: files, options, the program
/// itself) and the number and total size of the files written besides the
/// marker, recorded in the marker (below [`MARKER_TEXT`]); and what the build
/// said (its counts and its diagnostics as printed), so that a build of the
/// same inputs can say it again without checking again, as cargo replays a
/// crate's warnings. What it said is kept beside the folder, never in it
/// ([`replay_record`]): the diagnostics quote the sources, drafts included,
/// and the folder is what gets published.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stamp {
    pub inputs: String,
    pub files: u64,
    pub bytes: u64,
    pub reports: u64,
    pub warnings: u64,
    pub drafts: u64,
    /// The diagnostics as the build printed them (may be empty).
    pub diagnostics: String,
}

impl Stamp {
    /// The marker's text: what the folder is, from what.
    fn marker_text(&self) -> String {
        format!(
            "{MARKER_TEXT}inputs: {}\nfiles: {}\nbytes: {}\n",
            self.inputs, self.files, self.bytes
        )
    }

    /// The replay record's text: all of it.
    fn record_text(&self) -> String {
        format!(
            "{RECORD_FIRST_LINE}inputs: {}\nfiles: {}\nbytes: {}\nreports: {}\nwarnings: {}\ndrafts: {}\ndiagnostics:\n{}",
            self.inputs, self.files, self.bytes, self.reports, self.warnings, self.drafts, self.diagnostics
        )
    }

    /// A marker's or a record's text read back; a marker has no counts and
    /// no diagnostics (they read as 0 and empty).
    fn parse(text: &str) -> Option<Stamp> {
        let (head, diagnostics) = text.split_once("\ndiagnostics:\n").unwrap_or((text, ""));
        let field = |name: &str| {
            head.lines()
                .find_map(|l| l.strip_prefix(name).and_then(|v| v.strip_prefix(": ")))
                .map(str::to_string)
        };
        let number = |name: &str| field(name)?.parse().ok();
        Some(Stamp {
            inputs: field("inputs")?,
            files: number("files")?,
            bytes: number("bytes")?,
            reports: number("reports").unwrap_or(0),
            warnings: number("warnings").unwrap_or(0),
            drafts: number("drafts").unwrap_or(0),
            diagnostics: diagnostics.to_string(),
        })
    }
}

/// The first line of a replay record.
const RECORD_FIRST_LINE: &str = "gongkai replay record: what the build of the folder beside said\n";

/// Where a build records what it said, for a build of the same inputs to
/// say again: a dotfile beside the output folder (`.public.gongkai-replay`
/// for `public`), like the staging folders, so that it is never published.
pub fn replay_record(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.gongkai-replay"))
}

/// Whether the output folder `dir` is a finished build of exactly the
/// inputs `inputs` and still holds what that build wrote: its marker's
/// stamp has the same fingerprint, and the folder has the recorded number
/// of files and bytes, none modified after the marker was written (the
/// marker is written last). Then a build of the same inputs would write the
/// same bytes, and need not. Any doubt (no stamp, a file added, removed,
/// resized or touched) says no.
pub fn up_to_date(dir: &Path, inputs: &str) -> Option<Stamp> {
    let marker = dir.join(MARKER);
    let meta = std::fs::symlink_metadata(&marker).ok()?;
    let marked = meta.modified().ok()?;
    let bytes = crate::fsx::read_regular(&marker, crate::fsx::CONTENT_CAP).ok()?;
    let marked_stamp = std::str::from_utf8(&bytes).ok().and_then(Stamp::parse)?;
    let record = crate::fsx::read_regular(&replay_record(dir), crate::fsx::CONTENT_CAP).ok()?;
    let stamp = std::str::from_utf8(&record)
        .ok()
        .filter(|t| t.starts_with(RECORD_FIRST_LINE) && t.contains("\ndiagnostics:\n"))
        .and_then(Stamp::parse)?;
    let same = |s: &Stamp| s.inputs == inputs && (s.files, s.bytes) == (marked_stamp.files, marked_stamp.bytes);
    if marked_stamp.inputs != inputs || !same(&stamp) {
        return None;
    }
    let (mut files, mut total) = (0u64, 0u64);
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.ok()?;
        if entry.depth() == 1 && entry.file_name() == MARKER {
            continue;
        }
        let m = entry.metadata().ok()?;
        if m.is_dir() {
            continue;
        }
        if !m.is_file() || m.modified().map_or(true, |t| t > marked) {
            return None;
        }
        files += 1;
        total += m.len();
    }
    (files == stamp.files && total == stamp.bytes).then_some(stamp)
}

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
    /// The previous output (a gongkai output folder at the target), whose
    /// files equal to the new ones are linked rather than written.
    prev: Option<PathBuf>,
    files: AtomicU64,
    bytes: AtomicU64,
    linked: AtomicU64,
}

/// Tells ext4 that the staging folder's subfolders are the tops of
/// unrelated hierarchies (`FS_TOPDIR_FL`, what `chattr +T` sets), so that
/// its allocator (Orlov) places `reports/`, `agencies/`, `data/`… each in a
/// little-used block group, as it does for the subfolders of `/`, instead
/// of in the staging folder's own group beside the output.
///
/// Why: on ext4 without a journal, creating a file or folder in a group
/// where many inodes were freed in the last minute (six, while their
/// inode table blocks are not yet written) scans past every one of them
/// (`recently_deleted`), for each of the ~30,000 inodes a 10,000-report
/// build creates. Measured here, 50,000 files deleted beside the output
/// made a 10,000-report build take 3.4–3.8 s instead of 2.1 s, nearly all
/// of it kernel time; with the hint the build does not notice that
/// deletion. It cannot help when the freed inodes are in the emptiest
/// groups themselves (a large output that was spread the same way,
/// deleted a minute before): there is then no better place.
///
/// Only a hint: the flag changes where new folders go, nothing in them.
/// Other file systems refuse it or have no such flag (then nothing
/// happens), and so does every other system than Linux.
#[cfg(target_os = "linux")]
fn spread_subfolders(dir: &Path) {
    use rustix::fs::{ioctl_getflags, ioctl_setflags, IFlags};
    let Ok(folder) = std::fs::File::open(dir) else { return };
    if let Ok(flags) = ioctl_getflags(&folder) {
        if !flags.contains(IFlags::TOPDIR) {
            // An error only means the file system does not take the hint.
            let _ = ioctl_setflags(&folder, flags | IFlags::TOPDIR);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn spread_subfolders(_dir: &Path) {}

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
        spread_subfolders(&tmp);
        let prev = (std::fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) && has_marker(target))
            .then(|| target.to_path_buf());
        let staging = Staging {
            target: target.to_path_buf(),
            tmp,
            committed: false,
            prev,
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            linked: AtomicU64::new(0),
        };
        staging.put(MARKER, MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// How many files were linked from the previous output, not written.
    pub fn linked(&self) -> u64 {
        self.linked.load(Ordering::Relaxed)
    }

    /// Links `rel` from the previous output when its bytes there are
    /// `bytes`; true when it did. Any failure (no such file, other bytes,
    /// no hard links here) says false and the caller writes the file.
    fn link_unchanged(&self, rel: &str, bytes: &[u8]) -> bool {
        let Some(prev) = &self.prev else { return false };
        let old = prev.join(rel);
        match std::fs::symlink_metadata(&old) {
            Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {}
            _ => return false,
        }
        match std::fs::read(&old) {
            Ok(old_bytes) if old_bytes == bytes => {}
            _ => return false,
        }
        let new = self.tmp.join(rel);
        let linked = match std::fs::hard_link(&old, &new) {
            Err(e) if e.kind() == ErrorKind::NotFound => new
                .parent()
                .is_some_and(|p| std::fs::create_dir_all(p).is_ok() && std::fs::hard_link(&old, &new).is_ok()),
            r => r.is_ok(),
        };
        if linked {
            self.linked.fetch_add(1, Ordering::Relaxed);
        }
        linked
    }

    /// The temporary folder being written.
    pub fn dir(&self) -> &Path {
        &self.tmp
    }

    /// Writes `bytes` to `rel` (a `/`-separated path) in the build, or
    /// links the previous output's file when it holds the same bytes.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        if self.link_unchanged(rel, bytes) {
            return Ok(());
        }
        self.put(rel, bytes)
    }

    /// Writes `bytes` to `rel`, creating its folder when needed.
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
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
                // Content assets (PDFs, images) are compared like pages:
                // read whole, they are small beside a build.
                if let Ok(bytes) = crate::fsx::read_regular(from, crate::fsx::CONTENT_CAP) {
                    return self.write(rel, &bytes);
                }
                let to = self.tmp.join(rel);
                self.files.fetch_add(1, Ordering::Relaxed);
                if let Some(parent) = to.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                }
                // Only a regular file is ever copied (the walk checked it;
                // it may have been swapped for a FIFO since).
                let (mut file, _) = crate::fsx::open_regular(from).map_err(|e| Error::io(from, e))?;
                let mut out = std::fs::File::create(&to).map_err(|e| Error::io(&to, e))?;
                let n = std::io::copy(&mut file, &mut out).map_err(|e| Error::io(from, e))?;
                self.bytes.fetch_add(n, Ordering::Relaxed);
                Ok(())
            }
        }
    }

    /// Swaps the finished build in for the output folder, then deletes the
    /// previous output; with `background`, on another thread (a long-running
    /// `serve` need not wait for thousands of files to be unlinked). The
    /// marker is written again first, last of all files, with `stamp` (its
    /// file and byte counts filled in here; see [`up_to_date`]).
    pub fn commit(mut self, background: bool, stamp: Option<Stamp>) -> Result<(), Error> {
        let stamp = stamp.map(|stamp| Stamp {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            ..stamp
        });
        // The record of the output being replaced no longer holds.
        let record = replay_record(&self.target);
        let _ = std::fs::remove_file(&record);
        if let Some(stamp) = &stamp {
            let marker = self.tmp.join(MARKER);
            let _ = std::fs::remove_file(&marker);
            std::fs::write(&marker, stamp.marker_text()).map_err(|e| Error::io(&marker, e))?;
        }
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
        // What the build said, beside the folder: written whole or not at
        // all (a build without one is simply not replayed).
        if let Some(stamp) = &stamp {
            let part = record.with_extension("gongkai-replay-part");
            if std::fs::write(&part, stamp.record_text()).is_err() || std::fs::rename(&part, &record).is_err() {
                let _ = std::fs::remove_file(&part);
            }
        }
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
        s.commit(false, None).unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(std::fs::read_to_string(out.join("a/b/index.html")).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// Where the file system takes ext4's "top of hierarchies" flag (ext4
    /// does; tmpfs and others refuse it, and then there is nothing to test),
    /// the staging folder carries it.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_staging_folder_spreads_its_subfolders_where_the_file_system_can() {
        use rustix::fs::{ioctl_getflags, ioctl_setflags, IFlags};
        let dir = tempfile::tempdir().unwrap();
        let probe = dir.path().join("probe");
        std::fs::create_dir(&probe).unwrap();
        let probe = std::fs::File::open(&probe).unwrap();
        let takes_it = ioctl_getflags(&probe)
            .and_then(|f| ioctl_setflags(&probe, f | IFlags::TOPDIR))
            .is_ok_and(|()| ioctl_getflags(&probe).is_ok_and(|f| f.contains(IFlags::TOPDIR)));
        if !takes_it {
            eprintln!("skipped: the temporary folder's file system does not take FS_TOPDIR_FL");
            return;
        }
        let s = Staging::new(&dir.path().join("public")).unwrap();
        let staged = std::fs::File::open(&s.tmp).unwrap();
        assert!(ioctl_getflags(&staged).unwrap().contains(IFlags::TOPDIR));
    }

    #[cfg(unix)]
    fn inode(p: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap())
    }

    fn stamp(inputs: &str) -> Stamp {
        Stamp {
            inputs: inputs.into(),
            reports: 2,
            warnings: 1,
            diagnostics: "warning[R12]: …\n".into(),
            ..Stamp::default()
        }
    }

    #[test]
    fn unchanged_files_are_linked_and_a_stamped_output_is_checked_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = Staging::new(&out).unwrap();
        s.write("a/index.html", b"same").unwrap();
        s.write("b.txt", b"old").unwrap();
        assert_eq!(s.linked(), 0, "nothing to link from");
        s.commit(false, Some(stamp("one"))).unwrap();
        assert_eq!(
            up_to_date(&out, "one").map(|s| s.diagnostics),
            Some("warning[R12]: …\n".to_string())
        );
        // What the build said is beside the folder, not in it.
        let marker = std::fs::read_to_string(out.join(MARKER)).unwrap();
        assert!(marker.contains("inputs: one") && !marker.contains("R12"), "{marker}");
        assert!(std::fs::read_to_string(replay_record(&out))
            .unwrap()
            .contains("warning[R12]"));
        assert!(up_to_date(&out, "two").is_none(), "other inputs");
        #[cfg(unix)]
        let before = inode(&out.join("a/index.html"));

        // The same bytes are linked from the previous output, other bytes written.
        let s = Staging::new(&out).unwrap();
        s.write("a/index.html", b"same").unwrap();
        s.write("b.txt", b"new").unwrap();
        s.write("c.txt", b"added").unwrap();
        assert_eq!(s.linked(), 1);
        s.commit(false, Some(stamp("two"))).unwrap();
        #[cfg(unix)]
        assert_eq!(
            inode(&out.join("a/index.html")),
            before,
            "the unchanged file is the same file"
        );
        assert_eq!(std::fs::read_to_string(out.join("b.txt")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(out.join("a/index.html")).unwrap(), "same");
        assert!(up_to_date(&out, "two").is_some());
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".public.gongkai-replay", "public"], "the old output is gone");

        // The second build again, from the same inputs.
        let rebuild = |out: &Path| {
            let s = Staging::new(out).unwrap();
            for (rel, bytes) in [("a/index.html", &b"same"[..]), ("b.txt", b"new"), ("c.txt", b"added")] {
                s.write(rel, bytes).unwrap();
            }
            s.commit(false, Some(stamp("two"))).unwrap();
        };
        // Anything done to the folder since says it is not up to date.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(out.join("b.txt"), b"NEW").unwrap();
        assert!(up_to_date(&out, "two").is_none(), "a file changed in place");
        rebuild(&out);
        assert!(up_to_date(&out, "two").is_some());
        std::fs::remove_file(out.join("c.txt")).unwrap();
        assert!(up_to_date(&out, "two").is_none(), "a file removed");
        std::fs::write(out.join("c.txt"), b"added").unwrap();
        std::fs::write(out.join("d.txt"), b"").unwrap();
        assert!(up_to_date(&out, "two").is_none(), "a file added");
        rebuild(&out);
        assert!(up_to_date(&out, "two").is_some());
        std::fs::remove_file(replay_record(&out)).unwrap();
        assert!(up_to_date(&out, "two").is_none(), "no record of what the build said");
        std::fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        assert!(up_to_date(&out, "two").is_none(), "a marker without a stamp");
    }

    #[test]
    fn every_build_is_marked_and_replaces_only_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = Staging::new(&out).unwrap();
        s.commit(false, None).unwrap();
        assert!(has_marker(&out), "the marker is written into every build");

        // A file where the output should be is never moved away.
        let file = dir.path().join("file");
        std::fs::write(&file, "mine").unwrap();
        let s = Staging::new(&file).unwrap();
        let e = s.commit(false, None).unwrap_err();
        assert!(e.to_string().contains("not a folder"), "{e}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
        #[cfg(unix)]
        {
            // Nor a link, even to a folder (the guard gives the real path).
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&out, &link).unwrap();
            let e = Staging::new(&link).unwrap().commit(false, None).unwrap_err();
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
        s.commit(false, None).unwrap();
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
