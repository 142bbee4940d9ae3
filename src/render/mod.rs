//! Rendering: the theme's Tera templates (parsed once per build, a site's own
//! `templates/` overriding the theme's files of the same name) filled with a
//! context for every page of the [`Portal`], in parallel. Each rendered page
//! is handed to a sink (the output stage) as soon as it is ready, so a build
//! never holds the whole site in memory.
//!
//! User text enters markup only through [`escape`] (the templates'
//! auto-escape function too), and page URLs enter markup, feeds and sitemaps
//! only through [`urls::href`], which percent-encodes them.

pub mod charts;
pub mod tables;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

pub use crate::escape;
pub use crate::outputs::Rendered;
pub use crate::theme::{Source, Theme};
pub use crate::urls::{self, all_pages, data_keys_for, PageKey};

use crate::data;
use crate::markdown::{self, MarkdownOptions};
use crate::portal::{KeyFigures, Portal};
use crate::report::labels::{SECTIONS, SECTION_NUMERALS};
use crate::report::{Format, Level, Report};
use crate::Error;


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
        url: urls::into_href(urls::report(&r.agency_slug, r.year)),
        agency_url: urls::into_href(urls::agency(&r.agency_slug)),
        year_url: urls::into_href(urls::year(r.year)),
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

/// A row of the compare page's table of every report: only what it shows,
/// since the page lists every report (a full [`ListRow`] for 10,000
/// reports made a template context of 35 MB).
#[derive(Serialize)]
struct CompareRow<'a> {
    agency: &'a str,
    agency_slug: &'a str,
    agency_url: String,
    year: i32,
    published: String,
    url: String,
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

/// A page's data files, relative to the site root.
#[derive(Serialize)]
struct DataLinks {
    json: Option<String>,
    csv: String,
}

/// One key figure this year and in the agency's previous report.
#[derive(Serialize)]
struct ChangeRow {
    label: &'static str,
    prev: i64,
    cur: i64,
    /// `+12`, `−3` or `0`.
    delta: String,
    /// `up`, `down` or `same`.
    class: &'static str,
    /// Percentage change, when the previous figure is not zero.
    percent: Option<String>,
}

#[derive(Serialize)]
struct ChangeCtx {
    prev_year: i32,
    prev_url: String,
    rows: Vec<ChangeRow>,
}

/// The change of report `i`'s key figures against report `p` (the agency's
/// previous report), when both have tables.
fn change_ctx(portal: &Portal, p: usize, i: usize) -> Option<ChangeCtx> {
    let (a, b) = (portal.figures[p]?, portal.figures[i]?);
    let pairs = [
        ("新收申请", a.new, b.new),
        ("办结申请", a.handled, b.handled),
        ("予以公开", a.granted, b.granted),
        ("行政复议", a.review, b.review),
        ("行政诉讼", a.litigation, b.litigation),
    ];
    let rows = pairs
        .into_iter()
        .map(|(label, prev, cur)| {
            let d = cur - prev;
            ChangeRow {
                label,
                prev,
                cur,
                delta: match d.cmp(&0) {
                    std::cmp::Ordering::Greater => format!("+{d}"),
                    std::cmp::Ordering::Less => format!("−{}", -d),
                    std::cmp::Ordering::Equal => "0".to_string(),
                },
                class: match d.cmp(&0) {
                    std::cmp::Ordering::Greater => "up",
                    std::cmp::Ordering::Less => "down",
                    std::cmp::Ordering::Equal => "same",
                },
                percent: (prev != 0).then(|| format!("{:+.1}%", d as f64 * 100.0 / prev as f64)),
            }
        })
        .collect();
    let r = portal.reports[p];
    Some(ChangeCtx {
        prev_year: r.year,
        prev_url: urls::into_href(urls::report(&r.agency_slug, r.year)),
        rows,
    })
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

/// Renders every page of the portal in parallel, handing each to `sink`.
/// Returns the number of web pages (HTML files) rendered.
pub fn render_all(
    portal: &Portal,
    theme: &Theme,
    opts: RenderOptions,
    sink: &(dyn Fn(Rendered) -> Result<(), Error> + Sync),
) -> Result<usize, Error> {
    render_pages(portal, theme, opts, &all_pages(portal), sink)
}

/// Renders the pages `keys` in parallel, handing each to `sink`. A key the
/// portal does not have (a report since removed) is skipped. Returns the
/// number of web pages (HTML files) among them.
pub fn render_pages(
    portal: &Portal,
    theme: &Theme,
    opts: RenderOptions,
    keys: &[PageKey],
    sink: &(dyn Fn(Rendered) -> Result<(), Error> + Sync),
) -> Result<usize, Error> {
    let shared = Shared::new(portal);
    let html_pages = std::sync::atomic::AtomicUsize::new(0);
    // The few files that show many reports (year pages, the compare page,
    // all.csv, the data package, …) take longest: they are started first,
    // one at a time, beside the many small ones, so that no core is left
    // finishing one of them alone at the end.
    let (heavy, light): (Vec<&PageKey>, Vec<&PageKey>) = keys.iter().partition(|k| {
        !matches!(
            k,
            PageKey::Report(..)
                | PageKey::ReportJson(..)
                | PageKey::ReportCsv(..)
                | PageKey::Agency(_)
                | PageKey::AgencyCsv(_)
                | PageKey::Page(_)
        )
    });
    let one = |key: &PageKey| -> Result<(), Error> {
        if let Some(job) = portal_job(key, portal) {
            let t = std::time::Instant::now();
            let page = render_job(&job, portal, theme, opts, &shared)?;
            if page.path.ends_with(".html") {
                html_pages.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            // Per page timings for small (incremental) renders only.
            if keys.len() < 100 && std::env::var_os("GONGKAI_TIMINGS").is_some() {
                eprintln!("timing: page {key:?}: {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
            }
            sink(page)?;
        }
        Ok(())
    };
    let (a, b) = rayon::join(
        || heavy.par_iter().try_for_each(|k| one(k)),
        || light.par_iter().with_min_len(16).try_for_each(|k| one(k)),
    );
    a.and(b)?;
    Ok(html_pages.into_inner())
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
    Compare,
    Search,
    ReportJson(usize),
    ReportCsv(usize),
    YearCsv(usize),
    AgencyCsv(usize),
    AllCsv,
    KeyFigures,
    DataPackage,
    WideSchema,
    CellSchema,
}

fn portal_job(key: &PageKey, portal: &Portal) -> Option<Job> {
    let report = |slug: &str, year: i32| {
        portal
            .reports
            .binary_search_by(|r| (r.agency_slug.as_str(), r.year).cmp(&(slug, year)))
            .ok()
    };
    let agency = |slug: &str| portal.agencies.binary_search_by(|a| a.slug.as_str().cmp(slug)).ok();
    let year = |y: i32| portal.years.iter().position(|x| x.year == y);
    Some(match key {
        PageKey::Compare => Job::Compare,
        PageKey::Search => Job::Search,
        PageKey::ReportJson(slug, y) => Job::ReportJson(report(slug, *y)?),
        PageKey::ReportCsv(slug, y) => Job::ReportCsv(report(slug, *y)?),
        PageKey::YearCsv(y) => Job::YearCsv(year(*y)?),
        PageKey::AgencyCsv(slug) => Job::AgencyCsv(agency(slug)?),
        PageKey::AllCsv => Job::AllCsv,
        PageKey::KeyFigures => Job::KeyFigures,
        PageKey::DataPackage => Job::DataPackage,
        PageKey::WideSchema => Job::WideSchema,
        PageKey::CellSchema => Job::CellSchema,
        PageKey::Report(slug, y) => Job::Report(report(slug, *y)?),
        PageKey::Year(y) => Job::Year(year(*y)?),
        PageKey::Agency(slug) => Job::Agency(agency(slug)?),
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
    /// The columns of the wide CSV files, worked out once per render.
    wide: std::sync::OnceLock<data::WideColumns>,
}

impl Shared {
    fn new(portal: &Portal) -> Shared {
        let years = portal
            .years
            .iter()
            .map(|y| YearLink {
                year: y.year,
                url: urls::into_href(urls::year(y.year)),
                count: y.reports.len(),
            })
            .collect();
        let mut pages: Vec<_> = portal.pages.iter().collect();
        pages.sort_by(|a, b| (a.weight, &a.title).cmp(&(b.weight, &b.title)));
        let nav = pages
            .iter()
            .map(|p| Link {
                title: p.title.clone(),
                url: urls::into_href(urls::page(&p.path)),
            })
            .collect();
        Shared {
            years,
            nav,
            wide: std::sync::OnceLock::new(),
        }
    }
}

/// What every page's template gets; `url` is the page's path (its URL
/// before [`urls::href`]).
fn base_context(portal: &Portal, shared: &Shared, url: &str, root: &str) -> Context {
    let config = &portal.site.config;
    let mut ctx = Context::new();
    let href = urls::href(url);
    ctx.insert("site_title", &config.title);
    ctx.insert("language", &config.language);
    ctx.insert("root", root);
    ctx.insert("url", &href);
    ctx.insert("canonical", &format!("{}{href}", config.base_url_slash()));
    ctx.insert("years", &shared.years);
    ctx.insert("nav", &shared.nav);
    ctx.insert("search_enabled", &config.outputs.search);
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
        Ok(Rendered {
            path: urls::file(&url),
            bytes: theme.render(template, &ctx)?,
        })
    };
    // A data file that could not be made is an error naming it, never an empty file.
    let data_file = |path: String, bytes: std::io::Result<Vec<u8>>| match bytes {
        Ok(bytes) => Ok(Rendered { path, bytes }),
        Err(source) => Err(Error::Data { path, source }),
    };
    match *job {
        Job::ReportJson(i) => {
            let r = portal.reports[i];
            data_file(data::report_json(&r.agency_slug, r.year), data::report_json_file(r))
        }
        Job::ReportCsv(i) => {
            let r = portal.reports[i];
            data_file(data::report_csv(&r.agency_slug, r.year), data::report_csv_file(r))
        }
        Job::YearCsv(y) => {
            let year = &portal.years[y];
            let cols = shared.wide.get_or_init(|| data::wide_columns(portal));
            let bytes = data::wide_csv_file(year.reports.iter().map(|&i| portal.reports[i]), cols);
            data_file(data::year_csv(year.year), bytes)
        }
        Job::AgencyCsv(a) => {
            let agency = &portal.agencies[a];
            let cols = shared.wide.get_or_init(|| data::wide_columns(portal));
            let bytes = data::wide_csv_file(agency.reports.iter().map(|&i| portal.reports[i]), cols);
            data_file(data::agency_csv(&agency.slug), bytes)
        }
        Job::AllCsv => {
            let cols = shared.wide.get_or_init(|| data::wide_columns(portal));
            data_file(
                data::ALL_CSV.to_string(),
                data::wide_csv_file(portal.reports.iter().copied(), cols),
            )
        }
        Job::KeyFigures => data_file(data::KEY_FIGURES.to_string(), data::key_figures_file(portal)),
        Job::DataPackage => data_file(data::PACKAGE.to_string(), data::package_file(portal)),
        Job::WideSchema => data_file(
            format!("data/{}", data::WIDE_SCHEMA),
            data::wide_schema_file(&shared.wide.get_or_init(|| data::wide_columns(portal)).cols),
        ),
        Job::CellSchema => data_file(format!("data/{}", data::CELL_SCHEMA), data::cell_schema_file()),
        Job::Search => page(urls::SEARCH.to_string(), "search.html", &|ctx| {
            ctx.insert("title", "搜索");
        }),
        Job::Compare => {
            let rows: Vec<CompareRow> = portal
                .reports
                .iter()
                .zip(&portal.figures)
                .map(|(r, f)| CompareRow {
                    agency: &r.agency,
                    agency_slug: &r.agency_slug,
                    agency_url: urls::into_href(urls::agency(&r.agency_slug)),
                    year: r.year,
                    published: r.published.to_string(),
                    url: urls::into_href(urls::report(&r.agency_slug, r.year)),
                    figures: *f,
                })
                .collect();
            let years: Vec<i32> = portal.years.iter().map(|y| y.year).collect();
            let agencies: Vec<AgencyCtx> = (0..portal.agencies.len()).map(|a| agency_ctx(portal, a)).collect();
            page(urls::COMPARE.to_string(), "compare.html", &|ctx| {
                ctx.insert("rows", &rows);
                ctx.insert("year_list", &years);
                ctx.insert("agencies", &agencies);
                ctx.insert("data", &portal.site.config.outputs.data);
            })
        }
        Job::Report(i) => {
            let r = portal.reports[i];
            let url = urls::report(&r.agency_slug, r.year);
            let root = urls::root_from(&url);
            let body = markdown::render_report_body(&r.body, &root, opts.markdown);
            let (prev, next) = portal.neighbours(i);
            let link = |j: Option<usize>| {
                j.map(|j| YearLink {
                    year: portal.reports[j].year,
                    url: urls::into_href(urls::report(&portal.reports[j].agency_slug, portal.reports[j].year)),
                    count: 1,
                })
            };
            let sections = report_sections(r, body.sections);
            let warnings: Vec<BTreeMap<&str, String>> = portal
                .warnings(i)
                .iter()
                .map(|d| BTreeMap::from([("id", d.id.to_string()), ("message", d.message.clone())]))
                .collect();
            let data_links = portal.site.config.outputs.data.then(|| DataLinks {
                json: Some(urls::into_href(data::report_json(&r.agency_slug, r.year))),
                csv: urls::into_href(data::report_csv(&r.agency_slug, r.year)),
            });
            let change = prev.and_then(|p| change_ctx(portal, p, i));
            page(url, "report.html", &|ctx| {
                ctx.insert("data", &data_links);
                ctx.insert("change", &change);
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
            let data_links = portal.site.config.outputs.data.then(|| DataLinks {
                json: None,
                csv: urls::into_href(data::year_csv(year.year)),
            });
            let charts = year_charts(portal, y);
            page(urls::year(year.year), "year.html", &|ctx| {
                ctx.insert("charts", &charts);
                ctx.insert("data", &data_links);
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
            let data_links = portal.site.config.outputs.data.then(|| DataLinks {
                json: None,
                csv: urls::into_href(data::agency_csv(&agency.slug)),
            });
            let charts = agency_charts(portal, a);
            page(urls::agency(&agency.slug), "agency.html", &|ctx| {
                ctx.insert("charts", &charts);
                ctx.insert("data", &data_links);
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
                    url: urls::into_href(urls::year(y.year)),
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
                bytes: theme.render("404.html", &ctx)?,
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
                bytes: theme.render(template, &ctx)?,
            })
        }
    }
}

/// The charts of an agency page: multi-year trends (HTML with inline SVG).
fn agency_charts(portal: &Portal, a: usize) -> Vec<String> {
    let idx: Vec<usize> = portal.agencies[a]
        .reports
        .iter()
        .copied()
        .filter(|&i| portal.figures[i].is_some())
        .collect();
    if idx.is_empty() {
        return Vec::new();
    }
    let years: Vec<String> = idx.iter().map(|&i| format!("{}年", portal.reports[i].year)).collect();
    let fig = |f: fn(&KeyFigures) -> i64| -> Vec<i64> {
        idx.iter().map(|&i| portal.figures[i].as_ref().map_or(0, f)).collect()
    };
    let outcome: Vec<[i64; 6]> = idx
        .iter()
        .map(|&i| {
            let r = portal.reports[i];
            r.tables
                .as_ref()
                .map_or([0; 6], |t| crate::portal::outcomes(r.format, t))
        })
        .collect();
    let outcome_series: Vec<charts::Series> = crate::portal::OUTCOMES
        .iter()
        .enumerate()
        .map(|(k, label)| charts::Series {
            label,
            values: outcome.iter().map(|o| o[k]).collect(),
        })
        .collect();
    vec![
        charts::grouped_bars(
            "chart-applications",
            "历年政府信息公开申请：新收与办结",
            &years,
            &[
                charts::Series {
                    label: "新收申请",
                    values: fig(|f| f.new),
                },
                charts::Series {
                    label: "办结申请",
                    values: fig(|f| f.handled),
                },
            ],
        ),
        charts::stacked_bars("chart-outcomes", "历年申请办理结果构成", &years, &outcome_series),
        charts::grouped_bars(
            "chart-appeals",
            "历年行政复议、行政诉讼数量",
            &years,
            &[
                charts::Series {
                    label: "行政复议",
                    values: fig(|f| f.review),
                },
                charts::Series {
                    label: "行政诉讼",
                    values: fig(|f| f.litigation),
                },
            ],
        ),
    ]
}

/// The charts of a year page: the 20 agencies with the most new
/// applications, and the outcome breakdown of all agencies together.
fn year_charts(portal: &Portal, y: usize) -> Vec<String> {
    let year = &portal.years[y];
    let mut ranked: Vec<usize> = year
        .reports
        .iter()
        .copied()
        .filter(|&i| portal.figures[i].is_some())
        .collect();
    if ranked.is_empty() {
        return Vec::new();
    }
    ranked.sort_by_key(|&i| {
        (
            std::cmp::Reverse(portal.figures[i].map_or(0, |f| f.new)),
            portal.reports[i].agency.clone(),
        )
    });
    ranked.truncate(20);
    let names: Vec<String> = ranked.iter().map(|&i| portal.reports[i].agency.clone()).collect();
    let values: Vec<i64> = ranked.iter().map(|&i| portal.figures[i].map_or(0, |f| f.new)).collect();
    let mut out = vec![charts::horizontal_bars(
        "chart-top",
        &format!("{}年度新收申请数量最多的机关（前{}名）", year.year, names.len()),
        &names,
        &values,
        "件",
    )];
    if let Some(a) = &year.aggregate {
        let o = crate::portal::outcomes(a.format, &a.tables);
        let labels: Vec<String> = crate::portal::OUTCOMES.iter().map(|s| s.to_string()).collect();
        out.push(charts::horizontal_bars(
            "chart-outcome-sum",
            &format!("{}年度申请办理结果构成（全部机关合计）", year.year),
            &labels,
            &o,
            "件",
        ));
    }
    out
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
            // A section written twice: keep its text, at the end of the
            // last section shown.
            // Its heading is text (escaped); its HTML came from Markdown.
            extra_html.push_str("<h2 id=\"");
            escape::push_html(&mut extra_html, &s.id);
            extra_html.push_str("\">");
            escape::push_html(&mut extra_html, &s.heading);
            extra_html.push_str("</h2>\n");
            extra_html.push_str(&s.html);
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
        let (heading, id, html) = match slot {
            Some(s) => (s.heading, s.id, s.html),
            None => (SECTIONS[i].to_string(), format!("{anchor}-heading"), String::new()),
        };
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
    // (A section written twice means one was written, so there is a last.)
    if let Some(last) = out.last_mut() {
        last.html.push_str(&extra_html);
    }
    out
}

fn agency_ctx<'a>(portal: &'a Portal, a: usize) -> AgencyCtx<'a> {
    let agency = &portal.agencies[a];
    let years: Vec<i32> = agency.reports.iter().map(|&i| portal.reports[i].year).collect();
    AgencyCtx {
        name: &agency.name,
        slug: &agency.slug,
        url: urls::into_href(urls::agency(&agency.slug)),
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
    // Every location is the base URL and a page path through `urls::href`.
    let loc = |path: &str| format!("{base}{}", urls::href(path));
    let mut out = vec![
        SitemapUrl {
            loc: loc(""),
            lastmod: None,
        },
        SitemapUrl {
            loc: loc(urls::AGENCIES),
            lastmod: None,
        },
    ];
    out.extend(portal.years.iter().map(|y| SitemapUrl {
        loc: loc(&urls::year(y.year)),
        lastmod: None,
    }));
    out.extend(portal.agencies.iter().map(|a| SitemapUrl {
        loc: loc(&urls::agency(&a.slug)),
        lastmod: None,
    }));
    out.extend(portal.reports.iter().map(|r| SitemapUrl {
        loc: loc(&urls::report(&r.agency_slug, r.year)),
        lastmod: Some(r.published.to_string()),
    }));
    out.extend(portal.pages.iter().map(|p| SitemapUrl {
        loc: loc(&urls::page(&p.path)),
        lastmod: p.date.map(|d| d.to_string()),
    }));
    out
}
