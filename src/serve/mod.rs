//! Serve and watch: the preview web staff keep open while they edit. It is
//! rendered in memory and never written anywhere: `serve` does not touch the
//! output folder `build` publishes (nor any other), so a preview leaves no
//! localhost URLs behind, and there is no moment without a page to serve.
//!
//! The parts, one file each: [`http`] (requests read with caps and
//! timeouts, paths resolved to plain segments, same-origin redirects, MIME
//! types), [`reload`] (the live-reload event stream, and the script and
//! error overlay added to served pages), [`watch`] (file events through a
//! debouncer, falling back to polling when the system cannot watch),
//! [`rebuild`] (what a change touches, and bringing a site up to date) and
//! [`memory`] (the last good state of the site, and its pages rendered when
//! asked for, in a cache bounded in bytes).
//!
//! Two copies of the checked site are kept. Edits are applied to the
//! working copy; when it is good (no errors, the theme loads), it becomes
//! the served snapshot at once, and the other copy, brought up to date with
//! the same changes, becomes the working one (after the browser has been
//! told to reload). While the content has errors, the last good snapshot
//! stays served, under an overlay with the same diagnostics as `check`.
//! The diagnostics (with F07, which plans the portal) are worked out once
//! per batch of changes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify_debouncer_full::DebounceEventResult;

use crate::diagnostics::{self, Diagnostic, Tally};
use crate::portal::Portal;
use crate::render::Theme;
use crate::site::Site;
use crate::Error;

pub mod http;
pub mod memory;
pub mod rebuild;
pub mod reload;
pub mod watch;

pub use http::{content_type, resolve, Target};
pub use memory::{Found, Preview, Snapshot};
pub use reload::{inject, Hub, EVENTS_PATH};

/// What `serve` was asked for.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub interface: String,
    pub port: u16,
    pub open: bool,
    /// Poll the file system instead of OS events (network drives).
    pub poll: bool,
    pub drafts: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            interface: "127.0.0.1".to_string(),
            port: 1111,
            open: false,
            poll: false,
            // The preview shows drafts (marked as such); `--no-drafts` not.
            drafts: true,
        }
    }
}

/// How long edits must pause before the search index is built again.
const SEARCH_PAUSE: Duration = Duration::from_millis(400);

/// Runs the server until the process is stopped.
pub fn serve(root: &Path, opts: &ServeOptions) -> Result<(), Error> {
    // File events carry absolute paths; compare them with an absolute root.
    let root = &root.canonicalize().map_err(|e| Error::io(root, e))?;
    let addr = format!("{}:{}", opts.interface, opts.port);
    // A (host, port) pair, so that an IPv6 interface (`::1`) binds too.
    let listener = match std::net::TcpListener::bind((opts.interface.as_str(), opts.port)) {
        Ok(l) => l,
        Err(e) => {
            return Err(Error::Listen(if e.kind() == std::io::ErrorKind::AddrInUse {
                t!("serve.port_in_use", port = opts.port, interface = opts.interface).into_owned()
            } else {
                t!("serve.cannot_listen", addr = addr, error = e).into_owned()
            }));
        }
    };
    let port = listener.local_addr().map_or(opts.port, |a| a.port());
    let host = if opts.interface.contains(':') {
        format!("[{}]", opts.interface)
    } else {
        opts.interface.clone()
    };
    let url = format!("http://{host}:{port}/");

    let hub = Arc::new(Hub::default());
    let preview = Arc::new(Preview::default());
    let mut live = Live::start(root, opts, &url, Arc::clone(&preview))?;
    hub.publish(live.overlay());
    // Watch before announcing, so that no save after the announcement is missed.
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let (mut watcher, notes) = watch::Watcher::new(opts.poll, tx)?;
    let (more, _) = watcher.refresh(root);
    for note in notes.iter().chain(&more) {
        crate::eoutln!("{note}");
    }
    {
        let hub = Arc::clone(&hub);
        let preview = Arc::clone(&preview);
        std::thread::spawn(move || http::run(listener, preview, hub));
    }
    crate::outln!(
        "{}",
        t!(
            "serve.serving",
            root = diagnostics::escape_terminal(&root.display().to_string()),
            url = url
        )
    );
    crate::outln!("{}", live.startup_summary());
    crate::outln!("{}", t!("serve.watching"));
    if opts.open {
        let _ = opener::open(&url);
    }
    // The second copy of the site (see the module paragraph).
    live.catch_up(None);

    loop {
        // Wait for file events; when the search index lags behind and the
        // edits pause for a moment, bring it up to date.
        let first = if live.search_dirty {
            match rx.recv_timeout(SEARCH_PAUSE) {
                Ok(b) => b,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    live.update_search();
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match rx.recv() {
                Ok(b) => b,
                Err(_) => break,
            }
        };
        // Collect what else arrived meanwhile, then rebuild once.
        let mut paths: BTreeSet<PathBuf> = BTreeSet::new();
        for batch in std::iter::once(first).chain(std::iter::from_fn(|| rx.try_recv().ok())) {
            match batch {
                Ok(events) => {
                    for e in events.iter().filter(|e| is_change(&e.event.kind)) {
                        paths.extend(e.event.paths.iter().cloned());
                    }
                }
                Err(errors) => {
                    let (notes, fell_back) = watcher.errors(root, &errors);
                    for note in notes {
                        crate::eoutln!("{note}");
                    }
                    if fell_back {
                        // Changes may have been missed meanwhile.
                        paths.insert(root.join(crate::content::DIR));
                    }
                }
            }
        }
        if paths.is_empty() {
            continue;
        }
        let start = Instant::now();
        let outcome = live.apply(&paths);
        // Watch source folders that appeared (a restored content/, say).
        if paths.iter().any(|p| p.parent() == Some(root.as_path())) {
            let (notes, fell_back) = watcher.refresh(root);
            for note in notes {
                crate::eoutln!("{note}");
            }
            if fell_back {
                live.must_reload = true;
            }
        }
        let Some(outcome) = outcome else {
            continue;
        };
        hub.publish(live.overlay());
        crate::outln!(
            "{}",
            t!(
                "serve.took",
                summary = diagnostics::escape_terminal(&outcome.summary),
                ms = start.elapsed().as_millis()
            )
        );
        let diags = live.render_problems();
        if !diags.is_empty() {
            crate::eout!("{diags}");
        }
        // Off the edit's path: the browser is already reloading, and the
        // new snapshot's renderer planning the portal for it.
        if let Some(old) = outcome.replaced {
            if let Some(new) = preview.current() {
                new.wait_planned(Duration::from_secs(2));
            }
            live.catch_up(Some(old));
        }
    }
    Ok(())
}

/// Whether a file event can change the site: reading a file (which the
/// rebuild itself does) cannot.
fn is_change(kind: &notify::EventKind) -> bool {
    !matches!(kind, notify::EventKind::Access(_))
}

/// What one batch of changes did.
struct Outcome {
    /// The line to print (without the time).
    summary: String,
    /// The snapshot a good batch replaced: its site is to be brought up to
    /// date and worked on next.
    replaced: Option<Arc<Snapshot>>,
}

/// The changes applied to the working site and not yet to the other copy.
#[derive(Default)]
struct Pending {
    /// Read the whole site again.
    reload: bool,
    markdown: BTreeSet<String>,
    assets: BTreeSet<String>,
}

/// The site being served and the one being worked on, kept in memory
/// between rebuilds.
struct Live {
    root: PathBuf,
    drafts: bool,
    base_url: String,
    preview: Arc<Preview>,
    /// The copy edits are applied to; `None` only while it is being made.
    work: Option<Site>,
    theme: Arc<Theme>,
    /// The changes the served copy has and the working one has not, or the
    /// other way round (see [`Live::catch_up`]).
    pending: Pending,
    /// The working copy could not be brought up to date file by file: read
    /// it whole at the next change.
    must_reload: bool,
    /// The working site's diagnostics plus F07, worked out once per batch.
    problems: Vec<Diagnostic>,
    /// F07 of the working site; worked out again (it plans the portal)
    /// only when the files of the portal may have changed.
    f07: Vec<Diagnostic>,
    f07_stale: bool,
    /// How many times F07 was worked out (each plans the portal once).
    f07_runs: usize,
    /// Whether the files of the portal may differ from those of the served
    /// snapshot (else the next one takes over its map of URLs).
    routes_stale: bool,
    /// `[check] strict` of the working site.
    strict: bool,
    /// Whether the search index lags behind the served snapshot.
    search_dirty: bool,
    /// The last error that stopped a rebuild (config, content folder gone),
    /// shown in the overlay until a rebuild succeeds.
    failure: Option<String>,
    /// Same, for a broken theme or template.
    theme_failure: Option<String>,
}

impl Live {
    fn start(root: &Path, opts: &ServeOptions, base_url: &str, preview: Arc<Preview>) -> Result<Live, Error> {
        let site = rebuild::load(root, base_url)?;
        let theme = Arc::new(Theme::load(root, &site.config.theme)?);
        let mut live = Live {
            root: root.to_path_buf(),
            drafts: opts.drafts,
            base_url: base_url.to_string(),
            preview,
            work: Some(site),
            theme,
            pending: Pending::default(),
            must_reload: false,
            problems: Vec::new(),
            f07: Vec::new(),
            f07_stale: true,
            f07_runs: 0,
            routes_stale: true,
            strict: false,
            search_dirty: false,
            failure: None,
            theme_failure: None,
        };
        live.problems = live.check();
        crate::eout!("{}", live.render_problems());
        if !live.failing() {
            live.commit()?;
        }
        Ok(live)
    }

    /// The diagnostics of the last batch for people, with source snippets
    /// (from the working site, or right after a commit, the served one).
    fn render_problems(&self) -> String {
        let served = self.preview.current();
        match (&self.work, &served) {
            (Some(site), _) => diagnostics::render_human(&self.problems, self.strict, site),
            (None, Some(snapshot)) => diagnostics::render_human(&self.problems, self.strict, snapshot.site()),
            (None, None) => String::new(),
        }
    }

    /// The working site's diagnostics plus the output-path clashes `build`
    /// refuses (F07), worked out once per batch; F07 plans the portal, and
    /// runs only when the files of the portal may have changed.
    fn check(&mut self) -> Vec<Diagnostic> {
        let Some(site) = &self.work else {
            return Vec::new();
        };
        self.strict = site.config.check.strict;
        if self.f07_stale {
            self.f07 =
                crate::build::output_collisions(site, self.theme.statics.keys().map(String::as_str), self.drafts);
            self.f07_stale = false;
            self.f07_runs += 1;
        }
        let mut d = site.diagnostics.clone();
        d.extend(self.f07.iter().cloned());
        diagnostics::sort(&mut d);
        d
    }

    fn failing(&self) -> bool {
        Tally::of(&self.problems).fails(self.strict)
    }

    fn overlay(&self) -> Option<String> {
        let mut text = String::new();
        for f in [&self.failure, &self.theme_failure].into_iter().flatten() {
            text.push_str(f);
            text.push('\n');
        }
        if self.failing() {
            text.push_str(&self.render_problems());
        }
        if text.is_empty() {
            None
        } else if self.preview.current().is_none() {
            // Nothing good since `serve` started: the overlay says so.
            Some(reload::overlay_first_html(&text))
        } else {
            Some(reload::overlay_html(&text))
        }
    }

    /// The line `serve` prints once it has read the site, as `check` and
    /// `build` sum up: what was read, and its errors and warnings.
    fn startup_summary(&self) -> String {
        let tally = Tally::of(&self.problems);
        let (errors, warnings) = if self.strict {
            (tally.errors + tally.warnings, 0)
        } else {
            (tally.errors, tally.warnings)
        };
        let site = self.work.as_ref();
        let what = match (site, self.preview.current()) {
            (Some(site), _) => crate::build::checked_files(site),
            (None, Some(snapshot)) => crate::build::checked_files(snapshot.site()),
            (None, None) => String::new(),
        };
        let problems = crate::build::problems(errors, warnings);
        if self.failing() {
            t!("serve.summary_failing", what = what, problems = problems).into_owned()
        } else {
            t!("serve.summary", what = what, problems = problems).into_owned()
        }
    }

    /// Applies a batch of changed paths to the working site and, when the
    /// result is good, serves it. `None` when nothing that matters changed.
    fn apply(&mut self, paths: &BTreeSet<PathBuf>) -> Option<Outcome> {
        let t = crate::timing::Timer::start();
        let mut site = match self.work.take() {
            Some(s) => s,
            None => match rebuild::load(&self.root, &self.base_url) {
                Ok(s) => s,
                Err(e) => {
                    self.failure = Some(e.to_string());
                    return Some(Outcome {
                        summary: t!("cli.labelled", label = t!("common.error"), message = e.to_string()).into_owned(),
                        replaced: None,
                    });
                }
            },
        };
        let changes = rebuild::classify(&self.root, &site, paths);
        if changes.changed.is_empty() {
            self.work = Some(site);
            return None;
        }
        let what = changes.what();
        // A failure of the last batch (a broken site.toml, a file that
        // could not be read alone) leaves the site to be read whole.
        let full = self.must_reload || self.failure.is_some();
        let result = rebuild::update(&mut site, &self.root, &self.base_url, &changes, full);
        t.lap("serve: update the site");
        self.pending.reload |= full || changes.reload_site || changes.rescan;
        self.pending.markdown.extend(changes.markdown.iter().cloned());
        self.pending.assets.extend(changes.assets.iter().cloned());
        match result {
            Ok(outputs) => {
                self.failure = None;
                self.must_reload = false;
                self.f07_stale |= outputs;
                self.routes_stale |= outputs;
            }
            Err(e) => {
                // Kept (and shown) until a reload succeeds.
                self.failure = Some(e.to_string());
                self.must_reload = true;
                self.f07_stale = true;
                self.routes_stale = true;
            }
        }
        self.work = Some(site);
        if changes.reload_theme || changes.reload_site {
            let name = self.work.as_ref().map_or("default", |s| s.config.theme.as_str());
            match Theme::load(&self.root, name) {
                Ok(theme) => {
                    self.theme = Arc::new(theme);
                    self.theme_failure = None;
                    self.f07_stale = true;
                    self.routes_stale = true;
                }
                Err(e) => self.theme_failure = Some(e.to_string()),
            }
            t.lap("serve: load the theme");
        }
        self.problems = self.check();
        t.lap("serve: check (with F07)");
        let summary = if self.failure.is_some() || self.theme_failure.is_some() {
            t!("serve.changed_failure", what = what).into_owned()
        } else if self.failing() {
            let tally = Tally::of(&self.problems);
            let errors = tally.errors + if self.strict { tally.warnings } else { 0 };
            t!(
                "serve.changed_errors",
                what = what,
                errors = crate::build::count(errors, crate::build::Counted::Error)
            )
            .into_owned()
        } else {
            let replaced = match self.commit() {
                Ok(r) => r,
                Err(e) => {
                    self.failure = Some(e.to_string());
                    return Some(Outcome {
                        summary: t!("serve.changed_error", what = what, error = e.to_string()).into_owned(),
                        replaced: None,
                    });
                }
            };
            t.lap("serve: install the snapshot");
            return Some(Outcome {
                summary: t!(
                    "serve.changed_ok",
                    what = what,
                    reports = crate::build::count(
                        self.preview.current().map_or(0, |s| s.site().reports.len()),
                        crate::build::Counted::Report
                    )
                )
                .into_owned(),
                replaced,
            });
        };
        Some(Outcome {
            summary,
            replaced: None,
        })
    }

    /// Serves the working site (which is good); returns the snapshot it
    /// replaces. The working copy is gone until [`Live::catch_up`] (or, if
    /// the snapshot cannot be served, until the next change reads it).
    fn commit(&mut self) -> Result<Option<Arc<Snapshot>>, Error> {
        let Some(site) = self.work.take() else {
            return Ok(None);
        };
        let routes = if self.routes_stale {
            None
        } else {
            self.preview.current().and_then(|s| s.routes())
        };
        self.routes_stale = false;
        let snapshot = Snapshot::new(site, Arc::clone(&self.theme), self.drafts, routes);
        self.search_dirty = snapshot.site().config.outputs.search;
        if !self.search_dirty {
            self.preview.set_search(Vec::new());
        }
        self.preview.install(snapshot).inspect_err(|_| self.must_reload = true)
    }

    /// Makes the working copy again after a commit: the replaced snapshot's
    /// site brought up to date with the pending changes, or (with none, or
    /// when they cannot be applied file by file) the site read again.
    fn catch_up(&mut self, replaced: Option<Arc<Snapshot>>) {
        if self.work.is_some() {
            return;
        }
        let t = crate::timing::Timer::start();
        let pending = std::mem::take(&mut self.pending);
        let old = replaced.and_then(|old| {
            // Requests being answered from it end soon; wait for them.
            let deadline = Instant::now() + Duration::from_secs(10);
            let mut old = old;
            loop {
                match Arc::try_unwrap(old) {
                    Ok(s) => return Some(s.into_site()),
                    Err(again) if Instant::now() < deadline => {
                        old = again;
                        std::thread::sleep(Duration::from_millis(2));
                    }
                    Err(_) => return None,
                }
            }
        });
        let changes = rebuild::Changes {
            markdown: pending.markdown.into_iter().collect(),
            assets: pending.assets.into_iter().collect(),
            ..rebuild::Changes::default()
        };
        let result = match old {
            Some(mut site) => {
                rebuild::update(&mut site, &self.root, &self.base_url, &changes, pending.reload).map(|_| site)
            }
            None => rebuild::load(&self.root, &self.base_url),
        };
        match result {
            Ok(site) => self.work = Some(site),
            // Made at the next change (see `apply`).
            Err(_) => self.must_reload = true,
        }
        t.lap("serve: second copy brought up to date");
    }

    /// Builds the search index of the served snapshot again (after edits
    /// have paused), and says so.
    fn update_search(&mut self) {
        self.search_dirty = false;
        let Some(snapshot) = self.preview.current() else {
            return;
        };
        if !snapshot.site().config.outputs.search {
            return;
        }
        let start = Instant::now();
        let portal = Portal::plan(snapshot.site(), self.drafts);
        let files = crate::search::index_files(&portal);
        let n = files.len();
        drop(portal);
        self.preview.set_search(files);
        crate::outln!(
            "{}",
            t!("serve.search_updated", n = n, ms = start.elapsed().as_millis())
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(paths: &[PathBuf]) -> BTreeSet<PathBuf> {
        paths.iter().cloned().collect()
    }

    /// Bug: every batch planned the portal about three times for F07 alone
    /// (`problems()`, called by `failing()` and `overlay()`, ran
    /// `output_collisions` each time). Now the diagnostics are worked out
    /// once per batch and kept, and F07 (which plans the portal) runs only
    /// when the files of the portal may have changed.
    #[test]
    fn f07_runs_at_most_once_per_batch() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap().join("site");
        crate::scaffold::init(&root, crate::site::today()).unwrap();
        let preview = Arc::new(Preview::default());
        let mut live = Live::start(&root, &ServeOptions::default(), "http://127.0.0.1:1/", preview).unwrap();
        assert_eq!(live.f07_runs, 1);
        live.catch_up(None);
        let report = live.work.as_ref().unwrap().reports[0].path.clone();
        let text = std::fs::read_to_string(root.join(&report)).unwrap();

        // A report's text: its files are the same, F07 still holds.
        std::fs::write(root.join(&report), format!("{text}\n另有说明。\n")).unwrap();
        let outcome = live.apply(&set(&[root.join(&report)])).unwrap();
        assert!(outcome.summary.starts_with("changed content/"), "{}", outcome.summary);
        live.catch_up(outcome.replaced);
        assert_eq!(live.f07_runs, 1);

        // A new page: once.
        std::fs::write(root.join("content/notice.md"), "---\ntitle: 通知\n---\n\n通知。\n").unwrap();
        let outcome = live.apply(&set(&[root.join("content/notice.md")])).unwrap();
        live.catch_up(outcome.replaced);
        assert_eq!(live.f07_runs, 2);

        // A page over a generated one (F07): once; the overlay and the
        // failing state are read from what the batch worked out.
        std::fs::write(root.join("content/agencies.md"), "---\ntitle: 机关\n---\n\n说明。\n").unwrap();
        let outcome = live.apply(&set(&[root.join("content/agencies.md")])).unwrap();
        assert!(
            outcome.summary.contains("still serving the last good site"),
            "{}",
            outcome.summary
        );
        for _ in 0..3 {
            assert!(live.failing());
            assert!(live.overlay().is_some_and(|o| o.contains("F07")));
        }
        assert_eq!(live.f07_runs, 3);
        // The last good state is still served: without the page.
        let served = live.preview.current().unwrap();
        assert!(!served.site().pages.iter().any(|p| p.path == "content/agencies.md"));
        assert!(served.site().pages.iter().any(|p| p.path == "content/notice.md"));
    }
}
