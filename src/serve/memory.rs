//! The preview in memory (as Zola's `BuildMode::Memory`): what `serve`
//! shows is never written anywhere.
//!
//! A [`Snapshot`] is a good state of the site (checked site, theme,
//! options). Installing one in the [`Preview`] starts its renderer: a
//! thread that plans the portal once, maps every output path to what
//! produces it ([`Route`]: a page of the portal by its `PageKey`, a static
//! file of the theme, `syntax.css`, a content asset by its source path),
//! and answers the HTTP side's questions. A page is rendered when it is
//! asked for (on a thread of its own, beside other requests) and kept in a
//! cache bounded in bytes, least recently used first out. The cache belongs
//! to its snapshot: a rebuild installs a new snapshot, so nothing rendered
//! before an edit is served after it, and a render that failed is tried
//! again at the next request. Content assets are read from their source on
//! each request, and only while they are still a regular file inside the
//! site; theme files are opened as regular files only. The search index
//! is kept beside the snapshot (rebuilt when edits pause, so it may lag one
//! snapshot behind). When the old renderer has finished its last request,
//! its snapshot is unique again, and its site can be taken back
//! ([`Snapshot::into_site`]).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::Duration;

use crate::markdown::MarkdownOptions;
use crate::portal::Portal;
use crate::render::{all_pages, render_pages, PageKey, RenderOptions, Rendered, Source, Theme};
use crate::site::Site;
use crate::Error;

/// How many bytes of rendered pages one snapshot keeps.
pub const CACHE_BYTES: usize = 64 * 1024 * 1024;

/// What produces one output file.
#[derive(Clone, Debug)]
pub enum Route {
    /// A page or data file of the portal.
    Page(PageKey),
    /// A static file of the theme or of the site's `static/`.
    Static(Source),
    /// The syntax-highlighting style sheet.
    Syntax,
    /// A file under `content/`, by its path relative to `content/`.
    Asset(String),
}

/// Every output path (relative to the root URL) and what produces it.
pub type Routes = HashMap<String, Route>;

/// What a path of the preview is answered with.
#[derive(Debug)]
pub enum Found {
    /// Bytes in memory (a rendered page, an embedded file, the search index).
    Bytes(Arc<Vec<u8>>),
    /// A file on disk, to be opened as a regular file only.
    File(PathBuf),
    /// The page exists but could not be rendered: the reason.
    Failed(String),
}

/// A good state of the site: fixed once made.
pub struct Snapshot {
    site: Site,
    theme: Arc<Theme>,
    drafts: bool,
    /// Set by the renderer once it has them (or given, when a rebuild did
    /// not change which files the portal has).
    routes: OnceLock<Arc<Routes>>,
    cache: Mutex<Lru>,
    /// Whether its renderer has planned the portal (and can render).
    planned: (Mutex<bool>, Condvar),
}

impl Snapshot {
    /// A snapshot; `routes`, when the files of the portal are known to be
    /// those of an earlier snapshot (its [`Snapshot::routes`]).
    pub fn new(site: Site, theme: Arc<Theme>, drafts: bool, routes: Option<Arc<Routes>>) -> Snapshot {
        let known = OnceLock::new();
        if let Some(r) = routes {
            let _ = known.set(r);
        }
        Snapshot {
            site,
            theme,
            drafts,
            routes: known,
            cache: Mutex::new(Lru::new(CACHE_BYTES)),
            planned: (Mutex::new(false), Condvar::new()),
        }
    }

    /// Waits (at most `timeout`) until its renderer has planned the portal
    /// and can render pages: work that can wait is better done after.
    pub fn wait_planned(&self, timeout: Duration) {
        let (lock, cv) = &self.planned;
        let done = lock.lock().unwrap_or_else(|e| e.into_inner());
        let _ = cv.wait_timeout_while(done, timeout, |d| !*d);
    }

    /// The site it shows.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// The routes, once its renderer has worked them out.
    pub fn routes(&self) -> Option<Arc<Routes>> {
        self.routes.get().cloned()
    }

    /// Gives back the site (to be brought up to date and worked on).
    pub fn into_site(self) -> Site {
        self.site
    }

    fn render_options(&self) -> RenderOptions {
        RenderOptions {
            markdown: MarkdownOptions {
                allow_raw_html: self.site.config.markdown.allow_raw_html,
            },
        }
    }

    /// Every output file, in the order `build` writes them (a later one
    /// would replace an earlier one; F07 makes sure none does in a site
    /// that is served).
    fn make_routes(&self, portal: &Portal) -> Routes {
        let mut routes: Routes = self
            .theme
            .statics
            .iter()
            .map(|(k, v)| (k.clone(), Route::Static(v.clone())))
            .collect();
        routes.extend(self.site.assets.iter().map(|a| (a.clone(), Route::Asset(a.clone()))));
        routes.insert("syntax.css".to_string(), Route::Syntax);
        for key in all_pages(portal) {
            routes.insert(key.file(), Route::Page(key));
        }
        routes
    }

    /// What is at `path` that needs no rendering: `None` for a page.
    fn fixed(&self, path: &str, route: &Route) -> Option<Found> {
        Some(match route {
            Route::Page(_) => return None,
            Route::Static(Source::Embedded(bytes)) => Found::Bytes(Arc::new(bytes.to_vec())),
            Route::Static(Source::File(p)) => Found::File(p.clone()),
            Route::Asset(rel) => {
                let path = self.site.root.join(crate::content::DIR).join(rel);
                // Still inside the site (links resolved) and still a regular
                // file, as the walk found it; else it is not served.
                let real = self
                    .site
                    .root
                    .canonicalize()
                    .ok()
                    .and_then(|site| crate::fsx::inside(&site, &path))
                    .filter(|real| crate::fsx::is_regular_file(real));
                Found::File(real?)
            }
            Route::Syntax => self.cached(path, || {
                Ok(
                    crate::markdown::highlight_css(&self.site.config.markdown.highlight_theme)
                        .unwrap_or_default()
                        .into_bytes(),
                )
            }),
        })
    }

    /// Renders one page of the portal.
    fn render(&self, portal: &Portal, key: &PageKey) -> Result<Vec<u8>, Error> {
        let t = crate::timing::Timer::start();
        let out: Mutex<Option<Vec<u8>>> = Mutex::new(None);
        let sink = |page: Rendered| -> Result<(), Error> {
            *out.lock().unwrap_or_else(|e| e.into_inner()) = Some(page.bytes);
            Ok(())
        };
        render_pages(
            portal,
            &self.theme,
            self.render_options(),
            std::slice::from_ref(key),
            &sink,
        )?;
        t.lap("serve: render one page");
        out.into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .ok_or_else(|| Error::Preview(t!("serve.not_a_page", key = format!("{key:?}")).into_owned()))
    }

    /// The cached bytes of `path`, or those `make` gives (kept if the
    /// cache can). A failure is not kept: the next request tries again.
    fn cached(&self, path: &str, make: impl FnOnce() -> Result<Vec<u8>, Error>) -> Found {
        if let Some(hit) = self.lock().get(path) {
            return Found::Bytes(hit);
        }
        match make() {
            Ok(bytes) => {
                let bytes = Arc::new(bytes);
                self.lock().insert(path, Arc::clone(&bytes));
                Found::Bytes(bytes)
            }
            Err(e) => Found::Failed(e.to_string()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Lru> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A question to a snapshot's renderer.
enum Ask {
    /// What is at this path (`None`: nothing).
    Get(String, mpsc::Sender<Option<Found>>),
    /// Whether there is a file at this path.
    Has(String, mpsc::Sender<bool>),
}

/// A snapshot's renderer: plans the portal once, then answers questions
/// until every sender is gone (its snapshot replaced, and the requests
/// already asked answered). Pages are rendered on threads of their own, so
/// a long page does not hold up the others.
fn renderer(snapshot: Arc<Snapshot>, asks: mpsc::Receiver<Ask>) {
    let t = crate::timing::Timer::start();
    let portal = Portal::plan(&snapshot.site, snapshot.drafts);
    t.lap("serve: plan");
    let routes = match snapshot.routes() {
        Some(r) => r,
        None => {
            let r = Arc::new(snapshot.make_routes(&portal));
            t.lap("serve: routes");
            let _ = snapshot.routes.set(Arc::clone(&r));
            r
        }
    };
    {
        let (lock, cv) = &snapshot.planned;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
        cv.notify_all();
    }
    let (snapshot, portal) = (&*snapshot, &portal);
    std::thread::scope(|scope| {
        for ask in asks {
            match ask {
                Ask::Has(path, reply) => {
                    let _ = reply.send(routes.contains_key(&path));
                }
                Ask::Get(path, reply) => {
                    let Some(route) = routes.get(&path) else {
                        let _ = reply.send(None);
                        continue;
                    };
                    if let Route::Page(key) = route {
                        if let Some(hit) = snapshot.lock().get(&path) {
                            let _ = reply.send(Some(Found::Bytes(hit)));
                            continue;
                        }
                        // A thread of its own, beside the other requests.
                        scope.spawn(move || {
                            let found = snapshot.cached(&path, || snapshot.render(portal, key));
                            let _ = reply.send(Some(found));
                        });
                    } else {
                        let _ = reply.send(snapshot.fixed(&path, route));
                    }
                }
            }
        }
    });
}

/// A cache of rendered files bounded in bytes: the least recently used
/// go first. Files larger than a quarter of the bound are not kept.
struct Lru {
    map: HashMap<String, (Arc<Vec<u8>>, u64)>,
    total: usize,
    cap: usize,
    tick: u64,
}

impl Lru {
    fn new(cap: usize) -> Lru {
        Lru {
            map: HashMap::new(),
            total: 0,
            cap,
            tick: 0,
        }
    }

    fn get(&mut self, path: &str) -> Option<Arc<Vec<u8>>> {
        self.tick += 1;
        let tick = self.tick;
        self.map.get_mut(path).map(|(bytes, used)| {
            *used = tick;
            Arc::clone(bytes)
        })
    }

    fn insert(&mut self, path: &str, bytes: Arc<Vec<u8>>) {
        if bytes.len() > self.cap / 4 || self.map.contains_key(path) {
            return;
        }
        self.tick += 1;
        self.total += bytes.len();
        self.map.insert(path.to_string(), (bytes, self.tick));
        while self.total > self.cap {
            let Some(oldest) = self
                .map
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some((b, _)) = self.map.remove(&oldest) {
                self.total -= b.len();
            }
        }
    }
}

/// The snapshot served and the way to its renderer.
#[derive(Clone)]
struct Served {
    snapshot: Arc<Snapshot>,
    asks: mpsc::Sender<Ask>,
}

/// What the HTTP side serves: the current snapshot (none while the site
/// has never been good) and the search index.
#[derive(Default)]
pub struct Preview {
    current: Mutex<Option<Served>>,
    search: Mutex<Arc<HashMap<String, Arc<Vec<u8>>>>>,
}

impl Preview {
    fn served(&self) -> Option<Served> {
        self.current.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The snapshot served now.
    pub fn current(&self) -> Option<Arc<Snapshot>> {
        self.served().map(|s| s.snapshot)
    }

    /// Serves `snapshot` from now on (its renderer starts planning at
    /// once); returns the one it replaces, whose renderer ends once the
    /// requests it has are answered.
    pub fn install(&self, snapshot: Snapshot) -> Result<Option<Arc<Snapshot>>, Error> {
        let snapshot = Arc::new(snapshot);
        let (tx, rx) = mpsc::channel();
        let theirs = Arc::clone(&snapshot);
        std::thread::Builder::new()
            .name("gongkai-render".into())
            .spawn(move || renderer(theirs, rx))
            .map_err(|e| Error::Preview(t!("serve.no_renderer", error = e).into_owned()))?;
        let served = Served { snapshot, asks: tx };
        let old = self.current.lock().unwrap_or_else(|e| e.into_inner()).replace(served);
        Ok(old.map(|o| o.snapshot))
    }

    /// Serves these search index files from now on.
    pub fn set_search(&self, files: Vec<Rendered>) {
        let map = files.into_iter().map(|f| (f.path, Arc::new(f.bytes))).collect();
        *self.search.lock().unwrap_or_else(|e| e.into_inner()) = Arc::new(map);
    }

    fn search_file(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        if !path.starts_with(crate::search::DIR) {
            return None;
        }
        let search = Arc::clone(&self.search.lock().unwrap_or_else(|e| e.into_inner()));
        search.get(path).cloned()
    }

    /// The file at `path` (relative to the root URL, `/`-separated, no
    /// leading `/`), rendered if need be.
    pub fn get(&self, path: &str) -> Option<Found> {
        if let Some(bytes) = self.search_file(path) {
            return Some(Found::Bytes(bytes));
        }
        let served = self.served()?;
        let (tx, rx) = mpsc::channel();
        served.asks.send(Ask::Get(path.to_string(), tx)).ok()?;
        drop(served);
        rx.recv().ok().flatten()
    }

    /// Whether there is a file at `path`.
    pub fn has(&self, path: &str) -> bool {
        if self.search_file(path).is_some() {
            return true;
        }
        let Some(served) = self.served() else {
            return false;
        };
        let (tx, rx) = mpsc::channel();
        if served.asks.send(Ask::Has(path.to_string(), tx)).is_err() {
            return false;
        }
        drop(served);
        rx.recv().unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_keeps_the_recently_used_within_its_bound() {
        let mut lru = Lru::new(100);
        lru.insert("a", Arc::new(vec![0; 20]));
        lru.insert("b", Arc::new(vec![0; 20]));
        lru.insert("big", Arc::new(vec![0; 26]));
        assert!(lru.get("big").is_none(), "over a quarter of the bound: not kept");
        lru.insert("c", Arc::new(vec![0; 20]));
        assert!(lru.get("a").is_some());
        lru.insert("d", Arc::new(vec![0; 20]));
        lru.insert("e", Arc::new(vec![0; 20]));
        assert_eq!(lru.total, 100);
        // Over the bound: the least recently used (b) goes.
        lru.insert("f", Arc::new(vec![0; 20]));
        assert_eq!(lru.total, 100);
        assert!(lru.get("b").is_none());
        for k in ["a", "c", "d", "e", "f"] {
            assert!(lru.get(k).is_some(), "{k}");
        }
    }
}
