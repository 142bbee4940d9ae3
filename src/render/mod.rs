//! Rendering: the theme's Tera templates (parsed once per build, a site's own
//! `templates/` overriding the theme's files of the same name) filled with a
//! context for every page of the [`Portal`], in parallel. Each rendered page
//! is handed to a sink (the output stage) as soon as it is ready, so a build
//! never holds the whole site in memory.

pub mod tables;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::markdown::{self, MarkdownOptions};
use crate::portal::{KeyFigures, Portal};
use crate::report::labels::{SECTIONS, SECTION_NUMERALS};
use crate::report::{Format, Level, Report};
use crate::scaffold::DEFAULT_THEME;
use crate::Error;

/// A file of the theme or the site: embedded in the binary or on disk.
#[derive(Clone, Debug)]
pub enum Source {
    Embedded(&'static [u8]),
    File(PathBuf),
}

/// The templates and static files a build uses.
pub struct Theme {
    tera: Tera,
    /// Where each template came from (for messages).
    origins: BTreeMap<String, String>,
    /// Static files by output path, the site's own overriding the theme's.
    pub statics: BTreeMap<String, Source>,
}

impl Theme {
    /// Loads the theme named in `site.toml` (from `themes/<name>/`, or the
    /// built-in default theme when the site has no such folder) and the site's
    /// own `templates/` and `static/`. Templates are parsed here, once.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Error> {
        let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut statics = BTreeMap::new();
        let theme_dir = root.join("themes").join(name);
        if theme_dir.is_dir() {
            read_dir_into(&theme_dir.join("templates"), root, &mut |rel, path, origin| {
                let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
                templates.insert(rel, (origin, text));
                Ok(())
            })?;
            read_dir_into(&theme_dir.join("static"), root, &mut |rel, path, _| {
                statics.insert(rel, Source::File(path.to_path_buf()));
                Ok(())
            })?;
        } else if name == "default" {
            for (rel, bytes) in embedded_files(&DEFAULT_THEME) {
                if let Some(t) = rel.strip_prefix("templates/") {
                    let origin = format!("(built-in theme) templates/{t}");
                    templates.insert(t.to_string(), (origin, String::from_utf8_lossy(bytes).into_owned()));
                } else if let Some(s) = rel.strip_prefix("static/") {
                    statics.insert(s.to_string(), Source::Embedded(bytes));
                }
            }
        } else {
            return Err(Error::Usage(format!(
                "theme `{name}` not found: there is no folder {}",
                theme_dir.display()
            )));
        }
        read_dir_into(&root.join("templates"), root, &mut |rel, path, origin| {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            templates.insert(rel, (origin, text));
            Ok(())
        })?;
        read_dir_into(&root.join("static"), root, &mut |rel, path, _| {
            statics.insert(rel, Source::File(path.to_path_buf()));
            Ok(())
        })?;

        let mut tera = Tera::new();
        let origins: BTreeMap<String, String> = templates.iter().map(|(k, (o, _))| (k.clone(), o.clone())).collect();
        tera.add_raw_templates(templates.iter().map(|(k, (_, text))| (k.as_str(), text.as_str())))
            .map_err(|e| template_error(&e, &origins))?;
        Ok(Theme { tera, origins, statics })
    }

    /// Renders `template` with `ctx`.
    pub fn render(&self, template: &str, ctx: &Context) -> Result<String, Error> {
        self.tera
            .render(template, ctx)
            .map_err(|e| template_error(&e, &self.origins))
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    pub fn global_context(&mut self) -> &mut Context {
        self.tera.global_context()
    }
}

/// A template error, with the template's file named.
fn template_error(e: &tera::Error, origins: &BTreeMap<String, String>) -> Error {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!("\n  caused by: {s}"));
        source = s.source();
    }
    let files: Vec<String> = origins
        .iter()
        .filter(|(name, _)| text.contains(name.as_str()))
        .map(|(name, origin)| format!("{name} is {origin}"))
        .collect();
    let place = if files.is_empty() {
        String::new()
    } else {
        format!(" ({})", files.join("; "))
    };
    Error::Template(format!("template error{place}:\n{text}"))
}

/// Calls `f(relative name, path, origin)` for each file under `dir`, if it exists.
fn read_dir_into(
    dir: &Path,
    root: &Path,
    f: &mut dyn FnMut(String, &Path, String) -> Result<(), Error>,
) -> Result<(), Error> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry =
            entry.map_err(|e| Error::io(dir, e.into_io_error().unwrap_or_else(|| std::io::Error::other("walk"))))?;
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || name.starts_with('.') || crate::content::is_editor_temp(&name) {
            continue;
        }
        let rel = crate::content::relative(dir, entry.path());
        f(rel, entry.path(), crate::content::relative(root, entry.path()))?;
    }
    Ok(())
}

fn embedded_files(d: &'static include_dir::Dir<'static>) -> Vec<(String, &'static [u8])> {
    let mut out = Vec::new();
    for f in d.files() {
        out.push((f.path().to_string_lossy().replace('\\', "/"), f.contents()));
    }
    for sub in d.dirs() {
        out.extend(embedded_files(sub));
    }
    out
}

/// URLs of the portal's pages, relative to the site root.
pub mod urls {
    pub fn report(slug: &str, year: i32) -> String {
        format!("reports/{slug}/{year}/")
    }
    pub fn year(year: i32) -> String {
        format!("years/{year}/")
    }
    pub fn agency(slug: &str) -> String {
        format!("agencies/{slug}/")
    }
    pub const AGENCIES: &str = "agencies/";

    /// An ordinary page's URL from its path under `content/`
    /// (`content/a/b.md` → `a/b/`; `index.md` and `_index.md` name their folder).
    pub fn page(path: &str) -> String {
        let rel = path.strip_prefix("content/").unwrap_or(path);
        let stem = rel.strip_suffix(".md").unwrap_or(rel);
        let stem = stem
            .strip_suffix("/_index")
            .or_else(|| stem.strip_suffix("/index"))
            .unwrap_or(stem);
        if stem == "index" || stem == "_index" {
            return String::new();
        }
        format!("{stem}/")
    }

    /// The relative path from a page at `url` back to the site root.
    pub fn root_from(url: &str) -> String {
        let depth = url.matches('/').count();
        if depth == 0 {
            "./".to_string()
        } else {
            "../".repeat(depth)
        }
    }

    /// The file a page at `url` is written to.
    pub fn file(url: &str) -> String {
        format!("{url}index.html")
    }
}

/// Options of a render.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    pub markdown: MarkdownOptions,
}

#[derive(Serialize)]
struct Link {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct YearLink {
    year: i32,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct ReportMeta<'a> {
    title: &'a str,
    agency: &'a str,
    agency_slug: &'a str,
    year: i32,
    published: String,
    deadline: String,
    on_time: bool,
    level: &'static str,
    level_label: &'static str,
    region: Option<&'a str>,
    format: &'static str,
    draft: bool,
    url: String,
    agency_url: String,
    year_url: String,
}

fn meta(r: &Report) -> ReportMeta<'_> {
    ReportMeta {
        title: &r.title,
        agency: &r.agency,
        agency_slug: &r.agency_slug,
        year: r.year,
        published: r.published.to_string(),
        deadline: r.deadline().to_string(),
        on_time: r.on_time(),
        level: r.level.key(),
        level_label: r.level.label(),
        region: r.region.as_deref(),
        format: r.format.key(),
        draft: r.draft,
        url: urls::report(&r.agency_slug, r.year),
        agency_url: urls::agency(&r.agency_slug),
        year_url: urls::year(r.year),
    }
}

#[derive(Serialize)]
struct SectionCtx {
    numeral: char,
    heading: String,
    /// The section's stable id, `section-1` … `section-6`.
    anchor: String,
    /// The heading's id.
    id: String,
    html: String,
    /// The official table of sections 二, 三 and 四.
    table: String,
    /// Whether the body lacks this section (R10); the theme shows the
    /// official heading all the same.
    missing: bool,
}

#[derive(Serialize)]
struct ListRow<'a> {
    #[serde(flatten)]
    meta: ReportMeta<'a>,
    figures: Option<KeyFigures>,
}

#[derive(Serialize)]
struct AgencyCtx<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    level_label: &'static str,
    region: Option<&'a str>,
    count: usize,
    first_year: i32,
    last_year: i32,
}

#[derive(Serialize)]
struct LevelGroup<'a> {
    level: &'static str,
    label: &'static str,
    agencies: Vec<AgencyCtx<'a>>,
}

#[derive(Serialize)]
struct AggregateCtx {
    count: usize,
    table2: String,
    table3: String,
    table4: String,
}

#[derive(Serialize)]
struct Glance {
    year: i32,
    url: String,
    reports: usize,
    on_time: usize,
    on_time_percent: u32,
    new: i64,
    handled: i64,
}

/// One page to write: its output path and its bytes.
pub struct Rendered {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A page of the portal, by what it shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageKey {
    Report(String, i32),
    Year(i32),
    Agency(String),
    Agencies,
    Home,
    /// An ordinary page, by its path (`content/guide.md`).
    Page(String),
    NotFound,
    Sitemap,
    Feed,
    Robots,
}

impl PageKey {
    /// The file this page is written to, relative to the output folder.
    pub fn file(&self) -> String {
        match self {
            PageKey::Report(slug, year) => urls::file(&urls::report(slug, *year)),
            PageKey::Year(y) => urls::file(&urls::year(*y)),
            PageKey::Agency(slug) => urls::file(&urls::agency(slug)),
            PageKey::Agencies => urls::file(urls::AGENCIES),
            PageKey::Home => urls::file(""),
            PageKey::Page(path) => urls::file(&urls::page(path)),
            PageKey::NotFound => "404.html".to_string(),
            PageKey::Sitemap => "sitemap.xml".to_string(),
            PageKey::Feed => "atom.xml".to_string(),
            PageKey::Robots => "robots.txt".to_string(),
        }
    }
}

/// Every page of the portal.
pub fn all_pages(portal: &Portal) -> Vec<PageKey> {
    let mut keys: Vec<PageKey> = portal
        .reports
        .iter()
        .map(|r| PageKey::Report(r.agency_slug.clone(), r.year))
        .collect();
    keys.extend(portal.years.iter().map(|y| PageKey::Year(y.year)));
    keys.extend(portal.agencies.iter().map(|a| PageKey::Agency(a.slug.clone())));
    keys.extend(portal.pages.iter().map(|p| PageKey::Page(p.path.clone())));
    keys.extend([
        PageKey::Agencies,
        PageKey::Home,
        PageKey::NotFound,
        PageKey::Sitemap,
        PageKey::Feed,
        PageKey::Robots,
    ]);
    keys
}

/// Renders every page of the portal in parallel, handing each to `sink`.
/// Returns the number of pages rendered.
pub fn render_all(
    portal: &Portal,
    theme: &Theme,
    opts: RenderOptions,
    sink: &(dyn Fn(Rendered) -> Result<(), Error> + Sync),
) -> Result<usize, Error> {
    render_pages(portal, theme, opts, &all_pages(portal), sink)
}

/// Renders the pages `keys` in parallel, handing each to `sink`. A key the
/// portal does not have (a report since removed) is skipped.
pub fn render_pages(
    portal: &Portal,
    theme: &Theme,
    opts: RenderOptions,
    keys: &[PageKey],
    sink: &(dyn Fn(Rendered) -> Result<(), Error> + Sync),
) -> Result<usize, Error> {
    let shared = Shared::new(portal);
    let rendered = std::sync::atomic::AtomicUsize::new(0);
    keys.par_iter().with_min_len(16).try_for_each(|key| {
        if let Some(job) = portal_job(key, portal) {
            let t = std::time::Instant::now();
            let page = render_job(&job, portal, theme, opts, &shared)?;
            // Per page timings for small (incremental) renders only.
            if keys.len() < 100 && std::env::var_os("GONGKAI_TIMINGS").is_some() {
                eprintln!("timing: page {key:?}: {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
            }
            rendered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            sink(page)?;
        }
        Ok::<(), Error>(())
    })?;
    Ok(rendered.into_inner())
}

/// What every page shows of the whole portal: the years and the pages in
/// the navigation. When it changes, every page must be rendered again.
#[derive(Debug, PartialEq, Eq)]
pub struct SharedSignature(Vec<(i32, usize)>, Vec<(String, String)>);

pub fn shared_signature(portal: &Portal) -> SharedSignature {
    let s = Shared::new(portal);
    SharedSignature(
        s.years.iter().map(|y| (y.year, y.count)).collect(),
        s.nav.iter().map(|l| (l.title.clone(), l.url.clone())).collect(),
    )
}

/// A page to render, by its index in the portal.
enum Job {
    Report(usize),
    Year(usize),
    Agency(usize),
    Agencies,
    Home,
    Page(usize),
    NotFound,
    Sitemap,
    Feed,
    Robots,
}

fn portal_job(key: &PageKey, portal: &Portal) -> Option<Job> {
    Some(match key {
        PageKey::Report(slug, year) => Job::Report(
            portal
                .reports
                .binary_search_by(|r| (r.agency_slug.as_str(), r.year).cmp(&(slug.as_str(), *year)))
                .ok()?,
        ),
        PageKey::Year(y) => Job::Year(portal.years.iter().position(|x| x.year == *y)?),
        PageKey::Agency(slug) => Job::Agency(portal.agencies.binary_search_by(|a| a.slug.as_str().cmp(slug)).ok()?),
        PageKey::Agencies => Job::Agencies,
        PageKey::Home => Job::Home,
        PageKey::Page(path) => Job::Page(
            portal
                .pages
                .binary_search_by(|p| crate::content::path_cmp(&p.path, path))
                .ok()?,
        ),
        PageKey::NotFound => Job::NotFound,
        PageKey::Sitemap => Job::Sitemap,
        PageKey::Feed => Job::Feed,
        PageKey::Robots => Job::Robots,
    })
}

/// What every page shares.
struct Shared {
    years: Vec<YearLink>,
    nav: Vec<Link>,
}

impl Shared {
    fn new(portal: &Portal) -> Shared {
        let years = portal
            .years
            .iter()
            .map(|y| YearLink {
                year: y.year,
                url: urls::year(y.year),
                count: y.reports.len(),
            })
            .collect();
        let mut pages: Vec<_> = portal.pages.iter().collect();
        pages.sort_by(|a, b| (a.weight, &a.title).cmp(&(b.weight, &b.title)));
        let nav = pages
            .iter()
            .map(|p| Link {
                title: p.title.clone(),
                url: urls::page(&p.path),
            })
            .collect();
        Shared { years, nav }
    }
}

fn base_context(portal: &Portal, shared: &Shared, url: &str, root: &str) -> Context {
    let config = &portal.site.config;
    let mut ctx = Context::new();
    ctx.insert("site_title", &config.title);
    ctx.insert("language", &config.language);
    ctx.insert("root", root);
    ctx.insert("url", url);
    ctx.insert("canonical", &format!("{}{}", config.base_url_slash(), url));
    ctx.insert("years", &shared.years);
    ctx.insert("nav", &shared.nav);
    ctx
}

fn render_job(
    job: &Job,
    portal: &Portal,
    theme: &Theme,
    opts: RenderOptions,
    shared: &Shared,
) -> Result<Rendered, Error> {
    let page = |url: String, template: &str, fill: &dyn Fn(&mut Context)| -> Result<Rendered, Error> {
        let root = urls::root_from(&url);
        let mut ctx = base_context(portal, shared, &url, &root);
        fill(&mut ctx);
        let html = theme.render(template, &ctx)?;
        Ok(Rendered {
            path: urls::file(&url),
            bytes: html.into_bytes(),
        })
    };
    match *job {
        Job::Report(i) => {
            let r = portal.reports[i];
            let url = urls::report(&r.agency_slug, r.year);
            let root = urls::root_from(&url);
            let body = markdown::render_report_body(&r.body, &root, opts.markdown);
            let (prev, next) = portal.neighbours(i);
            let link = |j: Option<usize>| {
                j.map(|j| YearLink {
                    year: portal.reports[j].year,
                    url: urls::report(&portal.reports[j].agency_slug, portal.reports[j].year),
                    count: 1,
                })
            };
            let sections = report_sections(r, body.sections);
            let warnings: Vec<BTreeMap<&str, String>> = portal
                .warnings(i)
                .iter()
                .map(|d| BTreeMap::from([("id", d.id.to_string()), ("message", d.message.clone())]))
                .collect();
            page(url, "report.html", &|ctx| {
                ctx.insert("report", &meta(r));
                ctx.insert("intro", &body.intro);
                ctx.insert("sections", &sections);
                ctx.insert("prev", &link(prev));
                ctx.insert("next", &link(next));
                ctx.insert("warnings", &warnings);
                ctx.insert("figures", &portal.figures[i]);
            })
        }
        Job::Year(y) => {
            let year = &portal.years[y];
            let rows: Vec<ListRow> = year
                .reports
                .iter()
                .map(|&i| ListRow {
                    meta: meta(portal.reports[i]),
                    figures: portal.figures[i],
                })
                .collect();
            let on_time = year.reports.iter().filter(|&&i| portal.reports[i].on_time()).count();
            let totals = sum_figures(year.reports.iter().filter_map(|&i| portal.figures[i]));
            let aggregate = year.aggregate.as_ref().map(|a| AggregateCtx {
                count: a.count,
                table2: tables::table2(a.format, &a.tables, "sum-"),
                table3: tables::table3(a.format, &a.tables, "sum-"),
                table4: tables::table4(&a.tables, "sum-"),
            });
            page(urls::year(year.year), "year.html", &|ctx| {
                ctx.insert("year", &year.year);
                ctx.insert("rows", &rows);
                ctx.insert("on_time", &on_time);
                ctx.insert("totals", &totals);
                ctx.insert("aggregate", &aggregate);
            })
        }
        Job::Agency(a) => {
            let agency = &portal.agencies[a];
            let rows: Vec<ListRow> = agency
                .reports
                .iter()
                .rev()
                .map(|&i| ListRow {
                    meta: meta(portal.reports[i]),
                    figures: portal.figures[i],
                })
                .collect();
            page(urls::agency(&agency.slug), "agency.html", &|ctx| {
                ctx.insert("agency", &agency_ctx(portal, a));
                ctx.insert("rows", &rows);
            })
        }
        Job::Agencies => {
            let groups = level_groups(portal);
            page(urls::AGENCIES.to_string(), "agencies.html", &|ctx| {
                ctx.insert("groups", &groups);
            })
        }
        Job::Home => {
            let groups = level_groups(portal);
            let glance = portal.years.first().map(|y| {
                let on_time = y.reports.iter().filter(|&&i| portal.reports[i].on_time()).count();
                let totals = sum_figures(y.reports.iter().filter_map(|&i| portal.figures[i]));
                Glance {
                    year: y.year,
                    url: urls::year(y.year),
                    reports: y.reports.len(),
                    on_time,
                    on_time_percent: (on_time * 100 / y.reports.len().max(1)) as u32,
                    new: totals.new,
                    handled: totals.handled,
                }
            });
            let recent: Vec<ReportMeta> = recent(portal, 10)
                .into_iter()
                .map(|i| meta(portal.reports[i]))
                .collect();
            page(String::new(), "index.html", &|ctx| {
                ctx.insert("glance", &glance);
                ctx.insert("groups", &groups);
                ctx.insert("recent", &recent);
            })
        }
        Job::Page(p) => {
            let pg = portal.pages[p];
            let url = urls::page(&pg.path);
            let root = urls::root_from(&url);
            let html = markdown::render_page(&pg.body, &root, opts.markdown);
            page(url, "page.html", &|ctx| {
                ctx.insert("title", &pg.title);
                ctx.insert("date", &pg.date.map(|d| d.to_string()));
                ctx.insert("content", &html);
            })
        }
        Job::NotFound => {
            // Served for any missing path: links must not be relative.
            let base = portal.site.config.base_path();
            let mut ctx = base_context(portal, shared, "404.html", &base);
            ctx.insert("title", "页面不存在");
            Ok(Rendered {
                path: "404.html".to_string(),
                bytes: theme.render("404.html", &ctx)?.into_bytes(),
            })
        }
        Job::Sitemap | Job::Feed | Job::Robots => {
            let (name, template) = match job {
                Job::Sitemap => ("sitemap.xml", "sitemap.xml"),
                Job::Feed => ("atom.xml", "atom.xml"),
                _ => ("robots.txt", "robots.txt"),
            };
            let mut ctx = base_context(portal, shared, name, "./");
            let base = portal.site.config.base_url_slash();
            ctx.insert("base_url", &base);
            match job {
                Job::Sitemap => ctx.insert("urls", &sitemap_urls(portal)),
                Job::Feed => {
                    let entries: Vec<ReportMeta> = recent(portal, 50)
                        .into_iter()
                        .map(|i| meta(portal.reports[i]))
                        .collect();
                    ctx.insert("updated", &entries.first().map(|e| e.published.clone()));
                    ctx.insert("entries", &entries);
                }
                _ => {}
            }
            Ok(Rendered {
                path: name.to_string(),
                bytes: theme.render(template, &ctx)?.into_bytes(),
            })
        }
    }
}

/// The six sections in official order, with the body's text and the tables.
fn report_sections(r: &Report, written: Vec<markdown::BodySection>) -> Vec<SectionCtx> {
    let mut slots: Vec<Option<markdown::BodySection>> = vec![None, None, None, None, None, None];
    let mut extra_html = String::new();
    for s in written {
        if slots[s.index].is_none() {
            let i = s.index;
            slots[i] = Some(s);
        } else {
            // A section written twice: keep its text, under the first.
            extra_html.push_str(&format!("<h2>{}</h2>\n{}", s.heading, s.html));
        }
    }
    let mut out = Vec::with_capacity(6);
    for (i, slot) in slots.into_iter().enumerate() {
        let table = match (&r.tables, i) {
            (Some(t), 1) => tables::table2(r.format, t, ""),
            (Some(t), 2) => tables::table3(r.format, t, ""),
            (Some(t), 3) => tables::table4(t, ""),
            _ => String::new(),
        };
        let missing = slot.is_none();
        // Two anchors: the heading's id from its text (as authors link to
        // it), and a stable one on the section, whatever its wording:
        // `#section-3` is table 三 on every report page.
        let anchor = format!("section-{}", i + 1);
        let (heading, id, mut html) = match slot {
            Some(s) => (s.heading, s.id, s.html),
            None => (SECTIONS[i].to_string(), format!("{anchor}-heading"), String::new()),
        };
        if i == 5 && !extra_html.is_empty() {
            html.push_str(&extra_html);
        }
        if r.format == Format::Freeform && missing {
            continue;
        }
        out.push(SectionCtx {
            numeral: SECTION_NUMERALS[i],
            heading,
            anchor,
            id,
            html,
            table,
            missing,
        });
    }
    out
}

fn agency_ctx<'a>(portal: &'a Portal, a: usize) -> AgencyCtx<'a> {
    let agency = &portal.agencies[a];
    let years: Vec<i32> = agency.reports.iter().map(|&i| portal.reports[i].year).collect();
    AgencyCtx {
        name: &agency.name,
        slug: &agency.slug,
        url: urls::agency(&agency.slug),
        level_label: agency.level.label(),
        region: agency.region.as_deref(),
        count: years.len(),
        first_year: years.first().copied().unwrap_or(0),
        last_year: years.last().copied().unwrap_or(0),
    }
}

fn level_groups<'a>(portal: &'a Portal) -> Vec<LevelGroup<'a>> {
    Level::ALL
        .iter()
        .map(|&level| {
            let mut agencies: Vec<AgencyCtx> = (0..portal.agencies.len())
                .filter(|&a| portal.agencies[a].level == level)
                .map(|a| agency_ctx(portal, a))
                .collect();
            agencies.sort_by(|a, b| (a.region, a.name).cmp(&(b.region, b.name)));
            LevelGroup {
                level: level.key(),
                label: level.label(),
                agencies,
            }
        })
        .filter(|g| !g.agencies.is_empty())
        .collect()
}

/// The `n` most recently published reports (newest first; ties by title).
fn recent(portal: &Portal, n: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..portal.reports.len()).collect();
    idx.sort_by(|&a, &b| {
        let (ra, rb) = (portal.reports[a], portal.reports[b]);
        (rb.published, &ra.title).cmp(&(ra.published, &rb.title))
    });
    idx.truncate(n);
    idx
}

fn sum_figures(figures: impl Iterator<Item = KeyFigures>) -> KeyFigures {
    figures.fold(KeyFigures::default(), |a, f| KeyFigures {
        new: a.new + f.new,
        handled: a.handled + f.handled,
        granted: a.granted + f.granted,
        review: a.review + f.review,
        litigation: a.litigation + f.litigation,
    })
}

#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}

fn sitemap_urls(portal: &Portal) -> Vec<SitemapUrl> {
    let base = portal.site.config.base_url_slash();
    let mut out = vec![
        SitemapUrl {
            loc: base.clone(),
            lastmod: None,
        },
        SitemapUrl {
            loc: format!("{base}{}", urls::AGENCIES),
            lastmod: None,
        },
    ];
    out.extend(portal.years.iter().map(|y| SitemapUrl {
        loc: format!("{base}{}", urls::year(y.year)),
        lastmod: None,
    }));
    out.extend(portal.agencies.iter().map(|a| SitemapUrl {
        loc: format!("{base}{}", urls::agency(&a.slug)),
        lastmod: None,
    }));
    out.extend(portal.reports.iter().map(|r| SitemapUrl {
        loc: format!("{base}{}", urls::report(&r.agency_slug, r.year)),
        lastmod: Some(r.published.to_string()),
    }));
    out.extend(portal.pages.iter().map(|p| SitemapUrl {
        loc: format!("{base}{}", urls::page(&p.path)),
        lastmod: p.date.map(|d| d.to_string()),
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::urls;

    #[test]
    fn page_urls_and_roots() {
        assert_eq!(urls::page("content/guide.md"), "guide/");
        assert_eq!(urls::page("content/a/b.md"), "a/b/");
        assert_eq!(urls::page("content/a/index.md"), "a/");
        assert_eq!(urls::root_from("reports/x/2023/"), "../../../");
        assert_eq!(urls::root_from(""), "./");
        assert_eq!(urls::file("guide/"), "guide/index.html");
    }
}
