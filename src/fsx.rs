//! File-system reading rules every reader of user files goes through (the
//! bottom layer: it imports nothing from the crate). Two promises live here:
//! nothing that is not a regular file is ever read (a FIFO would hang the
//! run, `/dev/zero` would fill the memory), and nothing is read past a size
//! cap. [`inside`] is the one test of whether a path lies inside the site,
//! with links resolved.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest content file read (Markdown or report): 64 MiB. A real
/// report is a few dozen KiB; anything this large is a mistake.
pub const CONTENT_CAP: u64 = 64 * 1024 * 1024;

/// The largest file `import` reads (a .docx, a PDF or a saved web page).
pub const IMPORT_CAP: u64 = 256 * 1024 * 1024;

/// Whether `path` (links followed) is a regular file. Never opens it.
pub fn is_regular_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// Reads the regular file at `path`, at most `cap` bytes. Anything else (a
/// folder, a FIFO, a device, a socket) is an `InvalidInput` error that says
/// so, and is never read; a larger file is an `InvalidData` error.
///
/// On Unix the file is opened non-blocking, so that opening a FIFO cannot
/// wait for a writer, and its type is checked on the open handle (no race
/// between the check and the read).
pub fn read_regular(path: &Path, cap: u64) -> std::io::Result<Vec<u8>> {
    let (file, len) = open_regular(path)?;
    if len > cap {
        return Err(too_large(len, cap));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_large(bytes.len() as u64, cap));
    }
    Ok(bytes)
}

/// Opens the regular file at `path` for streaming (as [`read_regular`]
/// does: checked by name, opened non-blocking on Unix, checked again on the
/// handle); returns it with its length. Anything else is an `InvalidInput`
/// error and is never read. Used by `serve`, which streams large files.
pub fn open_regular(path: &Path) -> std::io::Result<(std::fs::File, u64)> {
    // Checked first by name: never open what is not a regular file (opening
    // some devices has effects of its own).
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: the file may have been swapped for a FIFO since.
        options.custom_flags(nonblock_flag());
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    Ok((file, meta.len()))
}

#[cfg(unix)]
fn nonblock_flag() -> i32 {
    // O_NONBLOCK: 0o4000 on Linux, 0x4 on the BSDs and macOS.
    if cfg!(any(target_os = "linux", target_os = "android")) {
        0o4000
    } else {
        0x4
    }
}

fn not_regular(meta: &std::fs::Metadata) -> std::io::Error {
    let what = kind(meta);
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        t!("fsx.not_regular", kind = what).into_owned(),
    )
}

fn too_large(len: u64, cap: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        t!("fsx.too_large", size = len >> 20, cap = cap >> 20).into_owned(),
    )
}

/// What kind of file `meta` describes, in words (in the run's language).
pub fn kind(meta: &std::fs::Metadata) -> String {
    t!(kind_key(meta)).into_owned()
}

/// The catalogue key of [`kind`].
fn kind_key(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "fsx.kind.folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "fsx.kind.pipe";
        }
        if t.is_char_device() || t.is_block_device() {
            return "fsx.kind.device";
        }
        if t.is_socket() {
            return "fsx.kind.socket";
        }
    }
    if t.is_file() {
        "fsx.kind.regular"
    } else {
        "fsx.kind.other"
    }
}

/// `path` resolved (links included) when it lies inside `root` (itself
/// resolved by the caller with `canonicalize`); `None` when it resolves
/// outside, or nowhere.
pub fn inside(root_canonical: &Path, path: &Path) -> Option<PathBuf> {
    let real = path.canonicalize().ok()?;
    real.starts_with(root_canonical).then_some(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_under_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.md");
        std::fs::write(&f, b"hello").unwrap();
        assert_eq!(read_regular(&f, 5).unwrap(), b"hello");
        let e = read_regular(&f, 4).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
    }

    #[test]
    fn never_reads_folders_or_devices() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_regular(dir.path(), CONTENT_CAP).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
        #[cfg(unix)]
        for dev in ["/dev/zero", "/dev/urandom", "/dev/null"] {
            let e = read_regular(Path::new(dev), CONTENT_CAP).unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{dev}");
            assert!(e.to_string().contains("a device"), "{e}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.md");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(status.success());
        let e = read_regular(&fifo, CONTENT_CAP).unwrap_err();
        assert!(e.to_string().contains("named pipe"), "{e}");
        assert!(!is_regular_file(&fifo));
    }

    #[test]
    fn inside_resolves_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(dir.path().join("outside.txt"), "x").unwrap();
        std::fs::write(root.join("in.txt"), "x").unwrap();
        let root = root.canonicalize().unwrap();
        assert!(inside(&root, &root.join("in.txt")).is_some());
        assert!(inside(&root, &root.join("../outside.txt")).is_none());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("outside.txt"), root.join("link.txt")).unwrap();
            assert!(inside(&root, &root.join("link.txt")).is_none());
        }
    }
}
