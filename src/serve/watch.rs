//! Watching the site's sources for changes: OS events (inotify and its
//! kin) or polling, both through `notify-debouncer-full`, which turns a
//! burst of events into one batch. Watches the site root itself (not
//! recursively: `site.toml`, and source folders coming and going) and each
//! source folder (`content/`, `themes/`, `templates/`, `static/`)
//! recursively.
//!
//! A watcher that cannot watch (the system's limit on inotify watches
//! reached, say) would leave edits silently unseen. So every error is said
//! on the terminal, and an error of the OS-event watcher makes it fall back
//! to polling, which has no such limit; the caller then reads the site
//! again, since changes made meanwhile may have been missed.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, new_debouncer_opt, DebounceEventResult, FileIdMap, RecommendedCache};

use crate::Error;

/// How long the debouncer waits for a burst of file events to end. An
/// editor's save (a temporary file written, then renamed over) is a burst of
/// a few events within a millisecond or two; every millisecond here is one
/// more before the page shows the edit.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// How often polling looks at every file.
pub const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// The source folders under the site root, watched recursively.
pub const SOURCES: [&str; 4] = ["content", "themes", "templates", "static"];

type Events = notify_debouncer_full::Debouncer<notify::RecommendedWatcher, RecommendedCache>;
type Poll = notify_debouncer_full::Debouncer<notify::PollWatcher, FileIdMap>;

enum Backend {
    Events(Events),
    Poll(Poll),
    /// An OS-event watcher whose every `watch` fails as a full inotify
    /// table does (for the tests of the fallback).
    #[cfg(test)]
    Broken,
}

/// The file watcher. Batches of events (or errors) arrive on the channel
/// given to [`Watcher::new`].
pub struct Watcher {
    backend: Backend,
    tx: mpsc::Sender<DebounceEventResult>,
}

impl Watcher {
    /// A watcher on OS events, or polling with `poll` (network drives). When
    /// OS events cannot be had at all, polling, with a notice.
    pub fn new(poll: bool, tx: mpsc::Sender<DebounceEventResult>) -> Result<(Watcher, Vec<String>), Error> {
        if poll {
            let backend = Backend::Poll(poller(&tx)?);
            return Ok((Watcher { backend, tx }, Vec::new()));
        }
        match new_debouncer(DEBOUNCE, None, tx.clone()) {
            Ok(d) => Ok((
                Watcher {
                    backend: Backend::Events(d),
                    tx,
                },
                Vec::new(),
            )),
            Err(e) => {
                let backend = Backend::Poll(poller(&tx)?);
                Ok((Watcher { backend, tx }, vec![fallback_notice(&e)]))
            }
        }
    }

    /// A watcher whose OS-event side fails on every watch (tests only).
    #[cfg(test)]
    fn broken(tx: mpsc::Sender<DebounceEventResult>) -> Watcher {
        Watcher {
            backend: Backend::Broken,
            tx,
        }
    }

    /// Whether this watcher polls.
    pub fn polls(&self) -> bool {
        matches!(self.backend, Backend::Poll(_))
    }

    /// (Re)watches the root and whichever source folders exist now. Returns
    /// what to say on the terminal, and whether the watcher fell back to
    /// polling (then changes may have been missed: read the site again).
    pub fn refresh(&mut self, root: &Path) -> (Vec<String>, bool) {
        let mut notes = Vec::new();
        let mut fell_back = false;
        let mut targets = vec![(root.to_path_buf(), RecursiveMode::NonRecursive)];
        targets.extend(
            SOURCES
                .iter()
                .map(|d| root.join(d))
                .filter(|d| d.is_dir())
                .map(|d| (d, RecursiveMode::Recursive)),
        );
        for (path, mode) in &targets {
            let Err(e) = self.watch(path, *mode) else {
                continue;
            };
            if gone(&e) {
                // A folder removed between the look and the watch: the
                // watch of the root sees it come back.
                continue;
            }
            if self.polls() {
                notes.push(t!("serve.watch.error", why = describe(&e)).into_owned());
                continue;
            }
            match self.fall_back(&e) {
                Ok(note) => notes.push(note),
                Err(e) => {
                    notes.push(t!("cli.labelled", label = t!("common.error"), message = e.to_string()).into_owned());
                    return (notes, fell_back);
                }
            }
            fell_back = true;
            // Watch everything again, by polling.
            let (more, _) = self.refresh(root);
            notes.extend(more);
            return (notes, fell_back);
        }
        (notes, fell_back)
    }

    /// Errors that came with a batch of events. Each is said; one from the
    /// OS-event watcher (the limit of watches reached while following a new
    /// folder, say) makes it fall back to polling. Returns what to say, and
    /// whether it fell back (then read the site again).
    pub fn errors(&mut self, root: &Path, errors: &[notify::Error]) -> (Vec<String>, bool) {
        let mut notes: Vec<String> = errors
            .iter()
            .map(|e| t!("serve.watch.error", why = describe(e)).into_owned())
            .collect();
        let serious = errors.iter().find(|e| !gone(e));
        match serious {
            Some(e) if !self.polls() => match self.fall_back(e) {
                Ok(note) => {
                    notes.push(note);
                    let (more, _) = self.refresh(root);
                    notes.extend(more);
                    (notes, true)
                }
                Err(e) => {
                    notes.push(t!("cli.labelled", label = t!("common.error"), message = e.to_string()).into_owned());
                    (notes, false)
                }
            },
            _ => (notes, false),
        }
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match &mut self.backend {
            Backend::Events(d) => d.watch(path, mode),
            Backend::Poll(d) => d.watch(path, mode),
            #[cfg(test)]
            Backend::Broken => Err(notify::Error::new(notify::ErrorKind::MaxFilesWatch).add_path(path.to_path_buf())),
        }
    }

    /// Replaces the OS-event watcher by polling; returns the notice.
    fn fall_back(&mut self, why: &notify::Error) -> Result<String, Error> {
        self.backend = Backend::Poll(poller(&self.tx)?);
        Ok(fallback_notice(why))
    }
}

/// A polling debouncer.
fn poller(tx: &mpsc::Sender<DebounceEventResult>) -> Result<Poll, Error> {
    let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
    new_debouncer_opt(DEBOUNCE, None, tx.clone(), FileIdMap::new(), config).map_err(|e| Error::Watch(describe(&e)))
}

fn fallback_notice(why: &notify::Error) -> String {
    t!(
        "serve.watch.polling",
        why = describe(why),
        ms = POLL_INTERVAL.as_millis()
    )
    .into_owned()
}

/// An error about a path that is no longer there: not the watcher's fault.
fn gone(e: &notify::Error) -> bool {
    match &e.kind {
        notify::ErrorKind::PathNotFound | notify::ErrorKind::WatchNotFound => true,
        notify::ErrorKind::Io(io) => io.kind() == std::io::ErrorKind::NotFound,
        _ => false,
    }
}

/// An error in words, with a hint where there is one.
fn describe(e: &notify::Error) -> String {
    let text = crate::diagnostics::escape_terminal(&e.to_string()).into_owned();
    if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) {
        t!("serve.watch.inotify_limit", error = text).into_owned()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// Waits for a batch of events naming `file`.
    fn saw(rx: &mpsc::Receiver<DebounceEventResult>, file: &Path) -> bool {
        let deadline = Instant::now() + Duration::from_secs(20);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(Ok(events)) if events.iter().any(|e| e.event.paths.iter().any(|p| p.ends_with(file))) => {
                    return true
                }
                Ok(_) => {}
                Err(_) => return false,
            }
        }
        false
    }

    fn site() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content/reports")).unwrap();
        (dir, root)
    }

    #[test]
    fn a_watcher_that_cannot_watch_says_so_and_polls() {
        let (_dir, root) = site();
        let (tx, rx) = mpsc::channel();
        let mut w = Watcher::broken(tx);
        let (notes, fell_back) = w.refresh(&root);
        assert!(fell_back, "{notes:?}");
        assert!(w.polls());
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("inotify watches") && notes[0].contains("polling"),
            "{notes:?}"
        );
        // Edits are seen, by polling.
        std::fs::write(root.join("content/reports/a.md"), "x").unwrap();
        assert!(saw(&rx, Path::new("content/reports/a.md")), "the edit was never seen");
    }

    #[test]
    fn an_error_among_the_events_makes_the_watcher_poll() {
        let (_dir, root) = site();
        let (tx, rx) = mpsc::channel();
        let (mut w, notes) = Watcher::new(false, tx).unwrap();
        assert!(notes.is_empty());
        let (notes, _) = w.refresh(&root);
        assert!(notes.is_empty(), "{notes:?}");
        assert!(!w.polls());
        // A path that went away is said, and nothing more.
        let (notes, fell_back) = w.errors(&root, &[notify::Error::path_not_found()]);
        assert!(!fell_back && !w.polls() && notes.len() == 1, "{notes:?}");
        // The limit reached while following a new folder: polling from now on.
        let (notes, fell_back) = w.errors(&root, &[notify::Error::new(notify::ErrorKind::MaxFilesWatch)]);
        assert!(fell_back && w.polls(), "{notes:?}");
        assert!(notes.iter().any(|n| n.contains("polling")), "{notes:?}");
        std::fs::write(root.join("content/b.md"), "x").unwrap();
        assert!(saw(&rx, Path::new("content/b.md")), "the edit was never seen");
    }
}
