//! Serve and watch: the preview web staff keep open while they edit. Builds
//! the site, serves the output over HTTP on loopback, watches the sources
//! (`content/`, `themes/`, `templates/`, `static/`, `site.toml`, never the
//! output) with a debouncer, and rebuilds incrementally: a changed report is
//! read and checked alone, and only the pages that show it are rendered
//! again. Served HTML pages get a small live-reload script (Server-Sent
//! Events) and, while the content has errors, an overlay with the same
//! diagnostics as `check`; the files on disk never contain either. The HTTP
//! side (request heads read with caps and timeouts, path resolution that
//! never leaves the output, same-origin redirects, MIME types, the event
//! stream) is [`http`].

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, new_debouncer_opt, DebounceEventResult, RecommendedCache};
use rayon::prelude::*;

use crate::build::{self, BuildOptions};
use crate::content::{self, is_editor_temp};
use crate::portal::Portal;
use crate::render::{self, all_pages, shared_signature, PageKey, RenderOptions, SharedSignature, Theme};
use crate::site::{self, Site};
use crate::Error;

pub mod http;
pub use http::{content_type, resolve, Target};

/// What `serve` was asked for.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub interface: String,
    pub port: u16,
    pub open: bool,
    /// Poll the file system instead of OS events (network drives).
    pub poll: bool,
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// Replace an output folder gongkai did not write (`output::guard`).
    pub force: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            interface: "127.0.0.1".to_string(),
            port: 1111,
            open: false,
            poll: false,
            output: None,
            drafts: false,
            force: false,
        }
    }
}

/// The URL path of the live-reload event stream.
pub const EVENTS_PATH: &str = "/__gongkai/events";

/// How long edits must pause before the search index is written again.
const SEARCH_PAUSE: Duration = Duration::from_millis(400);

/// How long the debouncer waits for a burst of file events to end.
const DEBOUNCE: Duration = Duration::from_millis(30);

/// Runs the server until the process is stopped.
pub fn serve(root: &Path, opts: &ServeOptions) -> Result<(), Error> {
    // File events carry absolute paths; compare them with an absolute root.
    let root = &root.canonicalize().map_err(|e| Error::io(root, e))?;
    let addr = format!("{}:{}", opts.interface, opts.port);
    // A (host, port) pair, so that an IPv6 interface (`::1`) binds too.
    let listener = match std::net::TcpListener::bind((opts.interface.as_str(), opts.port)) {
        Ok(l) => l,
        Err(e) => {
            return Err(Error::Usage(if e.kind() == std::io::ErrorKind::AddrInUse {
                format!(
                    "port {} on {} is already in use (is another gongkai serve running?); choose another with --port",
                    opts.port, opts.interface
                )
            } else {
                format!("cannot listen on {addr}: {e}")
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
    let mut live = Live::start(root, opts, &url)?;
    hub.publish(live.overlay());
    let output = live.output.clone();
    // Watch before announcing, so that no save after the announcement is missed.
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut watcher = Watcher::new(opts.poll, tx)?;
    watcher.refresh(root, &live.output);
    crate::outln!(
        "serving {} at {url} (press Ctrl-C to stop)",
        crate::diagnostics::escape_terminal(&output.display().to_string())
    );
    if opts.open {
        let _ = opener::open(&url);
    }

    {
        let hub = Arc::clone(&hub);
        std::thread::spawn(move || http::run(listener, output, hub));
    }

    loop {
        // Wait for file events; when the search index lags behind and the
        // edits pause for a moment, bring it up to date.
        let batch = if live.search_dirty {
            match rx.recv_timeout(SEARCH_PAUSE) {
                Ok(b) => b,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let start = Instant::now();
                    match live.update_search() {
                        Ok(n) if n > 0 => {
                            crate::outln!(
                                "updated the search index ({n} files) in {} ms",
                                start.elapsed().as_millis()
                            )
                        }
                        Ok(_) => {}
                        Err(e) => crate::eoutln!("error: {}", crate::diagnostics::escape_terminal(&e.to_string())),
                    }
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
        let mut paths: BTreeSet<PathBuf> = BTreeSet::new();
        match batch {
            Ok(events) => {
                for e in events.iter().filter(|e| is_change(&e.event.kind)) {
                    paths.extend(e.event.paths.iter().cloned());
                }
            }
            Err(errors) => {
                for e in errors {
                    crate::eoutln!("watch error: {}", crate::diagnostics::escape_terminal(&e.to_string()));
                }
                continue;
            }
        }
        // Collect what else arrived meanwhile, then rebuild once.
        while let Ok(more) = rx.try_recv() {
            if let Ok(events) = more {
                for e in events.iter().filter(|e| is_change(&e.event.kind)) {
                    paths.extend(e.event.paths.iter().cloned());
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
            watcher.refresh(root, &live.output);
        }
        match outcome {
            Ok(Some(summary)) => {
                hub.publish(live.overlay());
                crate::outln!(
                    "{} in {} ms",
                    crate::diagnostics::escape_terminal(&summary),
                    start.elapsed().as_millis()
                );
                let diags = live.site.render_diagnostics(live.strict());
                if !diags.is_empty() {
                    crate::eout!("{diags}");
                }
            }
            Ok(None) => {}
            Err(e) => {
                crate::eoutln!("error: {}", crate::diagnostics::escape_terminal(&e.to_string()));
                hub.publish(Some(overlay_html(&e.to_string())));
            }
        }
    }
    Ok(())
}

/// Whether a file event can change the site: reading a file (which the
/// rebuild itself does) cannot.
fn is_change(kind: &notify::EventKind) -> bool {
    !matches!(kind, notify::EventKind::Access(_))
}

/// What the server knows of the site's state: a generation that each
/// rebuild raises (the live-reload stream waits on it) and the overlay to
/// show while the content has errors.
#[derive(Default)]
pub struct Hub {
    state: Mutex<(u64, Option<String>)>,
    changed: Condvar,
}

impl Hub {
    pub fn publish(&self, overlay: Option<String>) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.0 += 1;
        s.1 = overlay;
        self.changed.notify_all();
    }

    fn snapshot(&self) -> (u64, Option<String>) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Waits until the generation passes `seen`, or `timeout`; returns the
    /// current generation.
    fn wait(&self, seen: u64, timeout: Duration) -> u64 {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (s, _) = self
            .changed
            .wait_timeout_while(s, timeout, |s| s.0 == seen)
            .unwrap_or_else(|e| e.into_inner());
        s.0
    }
}

/// The site being served, kept in memory between rebuilds.
struct Live {
    root: PathBuf,
    output: PathBuf,
    drafts: bool,
    force: bool,
    base_url: String,
    site: Site,
    theme: Theme,
    /// Pages now in the output.
    rendered: HashSet<PageKey>,
    /// Search index files now in the output.
    search_files: HashSet<String>,
    /// Whether the search index lags behind the content.
    search_dirty: bool,
    signature: Option<SharedSignature>,
    /// Pages to render at the next good state (edits made while the content
    /// had errors accumulate here).
    dirty_keys: BTreeSet<PageKey>,
    dirty_slugs: BTreeSet<String>,
    dirty_all: bool,
    /// The last error that stopped a rebuild (config or template), shown in
    /// the overlay until a rebuild succeeds.
    failure: Option<String>,
    /// Same, for a broken theme or template.
    theme_failure: Option<String>,
}

impl Live {
    fn start(root: &Path, opts: &ServeOptions, base_url: &str) -> Result<Live, Error> {
        let mut site = Site::load(root, site::today())?;
        site.config.base_url = base_url.to_string();
        let theme = Theme::load(root, &site.config.theme)?;
        let output = opts.output.clone().unwrap_or_else(|| site.config.output_path(root));
        // Before anything is served or written, even when the site has errors.
        crate::output::guard(root, &output, opts.force)?;
        let mut live = Live {
            root: root.to_path_buf(),
            output,
            drafts: opts.drafts,
            force: opts.force,
            base_url: base_url.to_string(),
            site,
            theme,
            rendered: HashSet::new(),
            search_files: HashSet::new(),
            search_dirty: false,
            signature: None,
            dirty_keys: BTreeSet::new(),
            dirty_slugs: BTreeSet::new(),
            dirty_all: true,
            failure: None,
            theme_failure: None,
        };
        let diags = live.site.render_diagnostics(live.strict());
        crate::eout!("{diags}");
        if !live.failing() {
            live.full_build()?;
        }
        Ok(live)
    }

    fn strict(&self) -> bool {
        self.site.config.check.strict
    }

    /// The site's diagnostics plus the output-path clashes `build` refuses (F07).
    fn problems(&self) -> Vec<crate::diagnostics::Diagnostic> {
        let mut d = self.site.diagnostics.clone();
        d.extend(build::output_collisions(
            &self.site,
            self.theme.statics.keys().map(String::as_str),
            self.drafts,
        ));
        crate::diagnostics::sort(&mut d);
        d
    }

    fn failing(&self) -> bool {
        crate::diagnostics::Tally::of(&self.problems()).fails(self.strict())
    }

    fn overlay(&self) -> Option<String> {
        let mut text = String::new();
        for f in [&self.failure, &self.theme_failure].into_iter().flatten() {
            text.push_str(f);
            text.push('\n');
        }
        if self.failing() {
            text.push_str(&crate::diagnostics::render_human(
                &self.problems(),
                self.strict(),
                &self.site,
            ));
        }
        (!text.is_empty()).then(|| overlay_html(&text))
    }

    /// Builds everything into the output (atomically, as `build` does).
    fn full_build(&mut self) -> Result<usize, Error> {
        let opts = BuildOptions {
            output: Some(self.output.clone()),
            base_url: None,
            drafts: self.drafts,
            background_cleanup: true,
            force: self.force,
        };
        let summary = build::write_site(&self.site, &opts, &|_, _| {})?;
        let portal = Portal::plan(&self.site, self.drafts);
        self.rendered = all_pages(&portal).into_iter().collect();
        self.search_files = summary.search_files.into_iter().collect();
        self.signature = Some(shared_signature(&portal));
        self.dirty_all = false;
        self.search_dirty = false;
        self.dirty_keys.clear();
        self.dirty_slugs.clear();
        Ok(summary.pages)
    }

    /// Applies a batch of changed paths. Returns a summary line, or `None`
    /// when nothing that matters changed.
    fn apply(&mut self, paths: &BTreeSet<PathBuf>) -> Result<Option<String>, Error> {
        let mut changed: Vec<String> = Vec::new();
        let mut reload_site = false;
        let mut reload_theme = false;
        let mut rescan = false;
        let mut assets: Vec<String> = Vec::new();
        let mut markdown: Vec<String> = Vec::new();
        let theme_dir = format!("themes/{}/", self.site.config.theme);
        let output_rel = content::relative(&self.root, &self.output);
        for path in paths {
            let Ok(rel_path) = path.strip_prefix(&self.root) else {
                continue;
            };
            let rel = content::relative(Path::new(""), rel_path);
            let name = rel.rsplit('/').next().unwrap_or("");
            if rel.is_empty() || is_editor_temp(name) || rel.starts_with(&format!("{output_rel}/")) || rel == output_rel
            {
                continue;
            }
            if name.starts_with('.') {
                continue;
            }
            if rel == crate::config::FILE {
                reload_site = true;
            } else if rel == "content" || rel == "themes" {
                rescan |= rel == "content";
                reload_theme |= rel == "themes";
            } else if let Some(under) = rel.strip_prefix("content/") {
                let known = self.site.reports.iter().any(|r| r.path == rel)
                    || self.site.pages.iter().any(|p| p.path == rel)
                    || self.site.assets.iter().any(|a| a == under);
                if path.is_dir() || (!path.exists() && !known) {
                    // A folder created, renamed or removed (or a file we never
                    // knew): read the content again.
                    rescan = true;
                } else if path.symlink_metadata().is_ok() && !content::plain_entry(&self.root, &rel) {
                    // A link, a special file or a name that cannot be a URL:
                    // the walk's own rules (F06, F08) decide, as in `build`.
                    rescan = true;
                } else if name.ends_with(".md") {
                    markdown.push(rel.clone());
                } else {
                    assets.push(under.to_string());
                }
            } else if rel == "templates"
                || rel == "static"
                || rel.starts_with("templates/")
                || rel.starts_with("static/")
                || rel.starts_with(&theme_dir)
                || format!("{rel}/") == theme_dir
            {
                reload_theme = true;
            } else {
                continue;
            }
            changed.push(rel);
        }
        if changed.is_empty() {
            return Ok(None);
        }
        let what = if changed.len() <= 3 {
            changed.join(", ")
        } else {
            format!("{} and {} more", changed[..2].join(", "), changed.len() - 2)
        };

        if reload_site || rescan {
            let mut site = match Site::load(&self.root, site::today()) {
                Ok(s) => s,
                Err(e) => {
                    // Kept (and shown) until a reload succeeds.
                    self.failure = Some(e.to_string());
                    return Err(e);
                }
            };
            self.failure = None;
            site.config.base_url = self.base_url.clone();
            self.site = site;
            self.dirty_all = true;
            reload_theme |= reload_site;
        } else {
            let t = build::Timer::start();
            for rel in &markdown {
                let change = self.site.update_file(rel)?;
                t.lap("read and check one file");
                for (slug, year) in change.report_before.iter().chain(change.report_after.iter()) {
                    self.dirty_slugs.insert(slug.clone());
                    self.dirty_keys.insert(PageKey::Year(*year));
                }
                if change.page_before || change.page_after {
                    self.dirty_keys.insert(PageKey::Page(rel.clone()));
                }
            }
            for a in &assets {
                let exists = self.root.join(content::DIR).join(a).is_file();
                self.site.update_asset(a, exists);
            }
        }
        if reload_theme {
            match Theme::load(&self.root, &self.site.config.theme) {
                Ok(t) => {
                    self.theme = t;
                    self.theme_failure = None;
                    self.dirty_all = true;
                }
                Err(e) => {
                    self.theme_failure = Some(e.to_string());
                }
            }
        }
        if self.failure.is_some() || self.theme_failure.is_some() {
            return Ok(Some(format!(
                "changed {what}: the configuration or a template has an error, still serving the last good site"
            )));
        }

        if self.failing() {
            let t = crate::diagnostics::Tally::of(&self.problems());
            return Ok(Some(format!(
                "changed {what}: {} errors, still serving the last good site",
                t.errors + if self.strict() { t.warnings } else { 0 }
            )));
        }
        if self.dirty_all || reload_site || rescan {
            let n = self.full_build()?;
            return Ok(Some(format!("changed {what}: rebuilt all {n} pages")));
        }
        let n = self.incremental(&assets)?;
        Ok(Some(format!("changed {what}: rendered {n} pages")))
    }

    /// Writes the search index again (after edits have paused).
    fn update_search(&mut self) -> Result<usize, Error> {
        self.search_dirty = false;
        if !self.site.config.outputs.search || self.failing() {
            return Ok(0);
        }
        let portal = Portal::plan(&self.site, self.drafts);
        let index = crate::search::index_files(&portal);
        let now: HashSet<String> = index.iter().map(|f| f.path.clone()).collect();
        index
            .par_iter()
            .try_for_each(|f| write_atomic(&self.output.join(&f.path), &f.bytes))?;
        for gone in self.search_files.difference(&now) {
            remove_page(&self.output, gone);
        }
        self.search_files = now;
        Ok(index.len())
    }

    /// Renders the pages that depend on what changed, deletes pages that
    /// are gone, and copies or deletes changed assets.
    fn incremental(&mut self, assets: &[String]) -> Result<usize, Error> {
        let t = build::Timer::start();
        let portal = Portal::plan(&self.site, self.drafts);
        t.lap("plan");
        let signature = shared_signature(&portal);
        let keys_now: HashSet<PageKey> = all_pages(&portal).into_iter().collect();
        let mut keys: Vec<PageKey> = if Some(&signature) != self.signature.as_ref() {
            // The years or the navigation changed: every page shows them.
            keys_now.iter().cloned().collect()
        } else {
            let mut k: BTreeSet<PageKey> = std::mem::take(&mut self.dirty_keys);
            for slug in &self.dirty_slugs {
                k.insert(PageKey::Agency(slug.clone()));
                if let Ok(a) = portal.agencies.binary_search_by(|a| a.slug.as_str().cmp(slug)) {
                    for &i in &portal.agencies[a].reports {
                        k.insert(PageKey::Report(slug.clone(), portal.reports[i].year));
                    }
                }
            }
            let years: Vec<i32> = k
                .iter()
                .filter_map(|key| if let PageKey::Year(y) = key { Some(*y) } else { None })
                .collect();
            for slug in &self.dirty_slugs {
                k.extend(render::data_keys_for(&portal, slug, &years));
            }
            k.extend([
                PageKey::Agencies,
                PageKey::Home,
                PageKey::Sitemap,
                PageKey::Feed,
                PageKey::Compare,
            ]);
            k.into_iter().filter(|key| keys_now.contains(key)).collect()
        };
        keys.sort();
        t.lap("page keys");

        let opts = RenderOptions {
            markdown: crate::markdown::MarkdownOptions {
                allow_raw_html: self.site.config.markdown.allow_raw_html,
            },
        };
        let output = &self.output;
        let sink = |page: render::Rendered| write_atomic(&output.join(&page.path), &page.bytes);
        let n = render::render_pages(&portal, &self.theme, opts, &keys, &sink)?;
        t.lap("render and write");

        for gone in self.rendered.difference(&keys_now) {
            remove_page(output, &gone.file());
        }
        // The search index covers every document and takes a while on a
        // large site: it is written again once the edits pause.
        self.search_dirty = self.site.config.outputs.search;
        for a in assets {
            let from = self.root.join(content::DIR).join(a);
            let to = output.join(a);
            if from.is_file() {
                if let Some(parent) = to.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                }
                std::fs::copy(&from, &to).map_err(|e| Error::io(&from, e))?;
            } else {
                remove_page(output, a);
            }
        }
        self.rendered = keys_now;
        self.signature = Some(signature);
        self.dirty_keys.clear();
        self.dirty_slugs.clear();
        Ok(n)
    }
}

/// Writes a file by writing a temporary file beside it and renaming it over,
/// so a request never reads half a page.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let tmp = parent.join(format!(
        ".{}.gongkai-tmp",
        path.file_name().map_or("page".into(), |n| n.to_string_lossy())
    ));
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

/// Removes a page's file and the folders it leaves empty.
fn remove_page(output: &Path, rel: &str) {
    let path = output.join(rel);
    let _ = std::fs::remove_file(&path);
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == output || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// The file watcher: OS events or polling, through the debouncer. Watches
/// the site root itself (not recursively: `site.toml`, and folders coming
/// and going) and each source folder recursively; never the output.
enum Watcher {
    Events(notify_debouncer_full::Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    Poll(notify_debouncer_full::Debouncer<notify::PollWatcher, notify_debouncer_full::FileIdMap>),
}

impl Watcher {
    fn new(poll: bool, tx: mpsc::Sender<DebounceEventResult>) -> Result<Watcher, Error> {
        let err = |e: notify::Error| Error::Usage(format!("cannot watch the site for changes: {e}"));
        Ok(if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(300));
            Watcher::Poll(
                new_debouncer_opt(DEBOUNCE, None, tx, notify_debouncer_full::FileIdMap::new(), config).map_err(err)?,
            )
        } else {
            Watcher::Events(new_debouncer(DEBOUNCE, None, tx).map_err(err)?)
        })
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) {
        let _ = match self {
            Watcher::Events(d) => d.watch(path, mode),
            Watcher::Poll(d) => d.watch(path, mode),
        };
    }

    /// (Re)watches the root and whichever source folders exist now.
    fn refresh(&mut self, root: &Path, output: &Path) {
        self.watch(root, RecursiveMode::NonRecursive);
        for dir in ["content", "themes", "templates", "static"] {
            let d = root.join(dir);
            if d.is_dir() && !output.starts_with(&d) {
                self.watch(&d, RecursiveMode::Recursive);
            }
        }
    }
}

/// The overlay shown over every page while the content has errors.
fn overlay_html(text: &str) -> String {
    let mut escaped = String::new();
    pulldown_cmark_escape::escape_html(&mut escaped, text).expect("writing to a String");
    format!(
        "<div id=\"gongkai-overlay\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.92);color:#fff;padding:24px;font:14px/1.5 monospace\"><p style=\"font:bold 18px sans-serif;margin:0 0 12px\">内容有错误，仍显示上一次成功构建的页面。修正后将自动刷新。</p><pre style=\"white-space:pre-wrap;margin:0\">{escaped}</pre></div>"
    )
}

/// The live-reload script injected into served pages.
const RELOAD_SCRIPT: &str = "<script>(function(){var s=new EventSource(\"/__gongkai/events\");s.onmessage=function(){location.reload();};})();</script>";

/// Adds the live-reload script (and the overlay, if any) before `</body>`.
pub fn inject(html: &str, overlay: Option<&str>) -> String {
    let extra = format!("{}{}", overlay.unwrap_or(""), RELOAD_SCRIPT);
    match html.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &html[..i], &html[i..]),
        None => format!("{html}{extra}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injection_goes_before_the_body_end() {
        let html = inject("<html><body><p>x</p></body></html>", Some("<div>o</div>"));
        assert!(html.ends_with("<div>o</div><script>(function(){var s=new EventSource(\"/__gongkai/events\");s.onmessage=function(){location.reload();};})();</script></body></html>"));
    }
}
