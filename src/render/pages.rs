//! The web pages of the portal as an [`Output`]: every report, year and
//! agency page, the directory, home, the ordinary pages, the compare and
//! search pages, 404, and the sitemap, feed and robots.txt ([`super::feed`]).
//! Each is a Tera template of the theme filled with a context: what every
//! page shares and the page's own view models ([`super::context`]).

use std::sync::OnceLock;

use super::context::{
    agency_ctx, change_ctx, level_groups, meta, recent, report_sections, sum_figures, AgencyCtx, AggregateCtx,
    CompareRow, Glance, ListRow, Page, ReportMeta, Shared, YearLink,
};
use super::{feed, figures, rollup, tables};
use crate::markdown;
use crate::outputs::{Change, Cost, Cx, Output, Rendered};
use crate::portal::Portal;
use crate::urls::{self, PageKey};
use crate::Error;

/// The web pages. Made for one render: it works out once what every page
/// shares.
#[derive(Default)]
pub struct Pages {
    shared: OnceLock<Shared>,
}

impl Output for Pages {
    fn name(&self) -> &'static str {
        "pages"
    }

    fn owns(&self, key: &PageKey) -> bool {
        matches!(
            key,
            PageKey::Report(..)
                | PageKey::Year(_)
                | PageKey::Agency(_)
                | PageKey::Agencies
                | PageKey::AgencyReports(_)
                | PageKey::Years
                | PageKey::Reports
                | PageKey::DataIndex
                | PageKey::Home
                | PageKey::Page(_)
                | PageKey::NotFound
                | PageKey::Sitemap
                | PageKey::Feed
                | PageKey::Robots
                | PageKey::Compare
                | PageKey::Search
                | PageKey::Rollup(..)
        )
    }

    fn files(&self, portal: &Portal) -> Vec<PageKey> {
        urls::page_keys(portal)
    }

    fn cost(&self, key: &PageKey) -> Cost {
        match key {
            PageKey::Report(..)
            | PageKey::Agency(_)
            | PageKey::AgencyReports(_)
            | PageKey::Page(_)
            | PageKey::Rollup(..) => Cost::Light,
            _ => Cost::Heavy,
        }
    }

    fn render(&self, key: &PageKey, cx: &Cx) -> Result<Vec<Rendered>, Error> {
        let shared = self.shared.get_or_init(|| Shared::new(cx.portal));
        let p = Page::new(cx, shared);
        let portal = cx.portal;
        let page = match key {
            PageKey::Report(slug, year) => match portal.report_index(slug, *year) {
                Some(i) => report_page(&p, i)?,
                None => return Ok(Vec::new()),
            },
            PageKey::Year(year) => match portal.year_index(*year) {
                Some(y) => year_page(&p, y)?,
                None => return Ok(Vec::new()),
            },
            PageKey::Agency(slug) => match portal.agency_index(slug) {
                Some(a) => agency_page(&p, a)?,
                None => return Ok(Vec::new()),
            },
            PageKey::Page(path) => match portal.page_index(path) {
                Some(i) => ordinary_page(&p, i)?,
                None => return Ok(Vec::new()),
            },
            PageKey::Agencies => agencies_page(&p)?,
            PageKey::AgencyReports(slug) => match portal.agency_index(slug) {
                Some(a) => agency_reports_page(&p, a)?,
                None => return Ok(Vec::new()),
            },
            PageKey::Years => years_page(&p)?,
            PageKey::Reports => reports_page(&p)?,
            PageKey::DataIndex if portal.site.config.outputs.data => data_page(&p)?,
            PageKey::Home => home_page(&p)?,
            PageKey::NotFound => not_found_page(&p)?,
            PageKey::Compare => compare_page(&p)?,
            PageKey::Search => p.render(urls::SEARCH.to_string(), "search.html", |ctx| {
                ctx.insert("title", "搜索");
            })?,
            PageKey::Rollup(slug, year) => match rollup::rollup_page(&p, slug, *year)? {
                Some(page) => page,
                None => return Ok(Vec::new()),
            },
            PageKey::Sitemap => feed::sitemap(&p)?,
            PageKey::Feed => feed::feed(&p)?,
            PageKey::Robots => feed::robots(&p)?,
            _ => return Ok(Vec::new()),
        };
        Ok(vec![page])
    }

    fn touched(&self, change: &Change, portal: &Portal) -> Vec<PageKey> {
        match *change {
            // Every page of the agency (previous/next links, warnings), its
            // years (lists and aggregates), and the pages listing every
            // report: the directory, the folder indexes, home, the sitemap,
            // the feed, compare.
            Change::Reports { slug, years } => {
                let mut keys = vec![
                    PageKey::Agency(slug.to_string()),
                    PageKey::AgencyReports(slug.to_string()),
                    PageKey::Years,
                    PageKey::Reports,
                ];
                if portal.site.config.outputs.data {
                    keys.push(PageKey::DataIndex);
                }
                if let Some(a) = portal.agency_index(slug) {
                    keys.extend(
                        portal.agencies[a]
                            .reports
                            .iter()
                            .map(|&i| PageKey::Report(slug.to_string(), portal.reports[i].year)),
                    );
                }
                keys.extend(years.iter().map(|&y| PageKey::Year(y)));
                // The roll-ups that sum the agency's reports.
                for above in crate::rollup::containing(portal, slug) {
                    keys.extend(years.iter().map(|&y| PageKey::Rollup(above.to_string(), y)));
                }
                keys.extend([
                    PageKey::Agencies,
                    PageKey::Home,
                    PageKey::Sitemap,
                    PageKey::Feed,
                    PageKey::Compare,
                ]);
                keys
            }
            // The page, and the sitemap (its date). Its title is in the
            // navigation of every page: a change of what every page shows.
            Change::Page(path) => vec![PageKey::Page(path.to_string()), PageKey::Sitemap],
        }
    }
}

/// A report: its sections in official order with the tables, the change of
/// its key figures, its neighbours, the warnings of its file.
/// A check's warning shown on its report's page.
#[derive(serde::Serialize)]
struct WarningCtx<'a> {
    id: &'static str,
    message: &'a str,
}

fn report_page(p: &Page, i: usize) -> Result<Rendered, Error> {
    let portal = p.portal();
    let r = portal.reports[i];
    let url = urls::report(&r.agency_slug, r.year);
    let root = urls::root_from(&url);
    let body = markdown::render_report_body(&r.body, &root, p.cx.opts.markdown);
    let (prev, next) = portal.neighbours(i);
    let link = |j: Option<usize>| {
        j.map(|j| YearLink {
            year: portal.reports[j].year,
            url: urls::into_href(urls::report(&portal.reports[j].agency_slug, portal.reports[j].year)),
            count: 1,
        })
    };
    let sections = report_sections(r, body.sections);
    let warnings: Vec<WarningCtx> = portal
        .warnings(i)
        .iter()
        .map(|d| WarningCtx {
            id: d.id.as_str(),
            message: &d.message,
        })
        .collect();
    // A report's numbers are in its agency's JSON (an entry of `reports`)
    // and in its year's CSV (a row).
    let data_links = p.data_links(Some(urls::agency_json(&r.agency_slug)), Some(urls::year_csv(r.year)));
    let change = prev.and_then(|prev| change_ctx(portal, prev, i));
    p.render(url, "report.html", |ctx| {
        ctx.insert("data", &data_links);
        ctx.insert("change", &change);
        ctx.insert("report", &meta(r));
        // A draft (built with --drafts, or previewed by serve) stays out of
        // search engines.
        ctx.insert("noindex", &r.draft);
        ctx.insert("intro", &body.intro);
        ctx.insert("sections", &sections);
        ctx.insert("prev", &link(prev));
        ctx.insert("next", &link(next));
        ctx.insert("warnings", &warnings);
        ctx.insert("figures", &portal.figures[i]);
    })
}

/// A year: its reports with their key figures, the totals, the aggregate
/// tables and the charts.
fn year_page(p: &Page, y: usize) -> Result<Rendered, Error> {
    let portal = p.portal();
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
    let data_links = p.data_links(None, Some(urls::year_csv(year.year)));
    let charts = figures::year_charts(portal, y);
    let rollups = rollup::year_rollups(portal, year.year);
    p.render(urls::year(year.year), "year.html", |ctx| {
        ctx.insert("rollups", &rollups);
        ctx.insert("charts", &charts);
        ctx.insert("data", &data_links);
        ctx.insert("year", &year.year);
        ctx.insert("rows", &rows);
        ctx.insert("on_time", &on_time);
        ctx.insert("totals", &totals);
        ctx.insert("aggregate", &aggregate);
    })
}

/// An agency: every year of it, newest first, and its trends.
fn agency_page(p: &Page, a: usize) -> Result<Rendered, Error> {
    let portal = p.portal();
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
    let data_links = p.data_links(Some(urls::agency_json(&agency.slug)), None);
    let charts = figures::agency_charts(portal, a);
    let rollups = rollup::agency_rollups(portal, &agency.slug);
    p.render(urls::agency(&agency.slug), "agency.html", |ctx| {
        ctx.insert("rollups", &rollups);
        ctx.insert("charts", &charts);
        ctx.insert("data", &data_links);
        ctx.insert("agency", &agency_ctx(portal, a));
        ctx.insert("rows", &rows);
    })
}

/// The directory of agencies, grouped by level.
fn agencies_page(p: &Page) -> Result<Rendered, Error> {
    let groups = level_groups(p.portal());
    // The roster's hierarchy, when the site has one (`None`: by level).
    let tree = p.portal().agency_tree(|slug| urls::into_href(urls::agency(slug)));
    p.render(urls::AGENCIES.to_string(), "agencies.html", |ctx| {
        ctx.insert("groups", &groups);
        ctx.insert("tree", &tree);
    })
}

/// `reports/<slug>/`: one agency's reports, newest first, pointing to the
/// agency's page (which has their figures and trends).
fn agency_reports_page(p: &Page, a: usize) -> Result<Rendered, Error> {
    let portal = p.portal();
    let agency = &portal.agencies[a];
    let rows: Vec<ReportMeta> = agency.reports.iter().rev().map(|&i| meta(portal.reports[i])).collect();
    p.render(urls::agency_reports(&agency.slug), "agency_reports.html", |ctx| {
        ctx.insert("agency", &agency_ctx(portal, a));
        ctx.insert("rows", &rows);
    })
}

/// `years/`: every year, newest first, with its number of reports (the
/// years every page shares).
fn years_page(p: &Page) -> Result<Rendered, Error> {
    p.render(urls::YEARS.to_string(), "years.html", |_| {})
}

/// `reports/`: every report, by year (newest first), then by agency.
fn reports_page(p: &Page) -> Result<Rendered, Error> {
    let portal = p.portal();
    let groups: Vec<YearReports> = portal
        .years
        .iter()
        .map(|y| {
            let mut reports: Vec<ReportMeta> = y.reports.iter().map(|&i| meta(portal.reports[i])).collect();
            reports.sort_by(|a, b| (a.agency, a.agency_slug).cmp(&(b.agency, b.agency_slug)));
            YearReports {
                year: y.year,
                url: urls::into_href(urls::year(y.year)),
                reports,
            }
        })
        .collect();
    p.render(urls::REPORTS.to_string(), "reports.html", |ctx| {
        ctx.insert("groups", &groups);
        ctx.insert("count", &portal.reports.len());
    })
}

/// `data/`: the open data files, each linked with what it holds: the files
/// of the whole portal, one CSV per year, a CSV and a JSON per agency, and
/// where each report's numbers are.
fn data_page(p: &Page) -> Result<Rendered, Error> {
    let portal = p.portal();
    // Links relative to `data/` (the page's own folder).
    let local = |file: &str| urls::into_href(file.strip_prefix(urls::DATA).unwrap_or(file).to_string());
    let years: Vec<DataFile> = portal
        .years
        .iter()
        .map(|y| DataFile {
            name: format!("{}年度", y.year),
            url: local(&urls::year_csv(y.year)),
            json: None,
            count: y.reports.len(),
        })
        .collect();
    let mut agencies: Vec<DataFile> = portal
        .agencies
        .iter()
        .map(|a| DataFile {
            name: a.name.clone(),
            url: local(&urls::agency_json(&a.slug)),
            json: None,
            count: a.reports.len(),
        })
        .collect();
    agencies.sort_by(|a, b| a.name.cmp(&b.name));
    let example = portal.reports.first().map(|r| ExampleReport {
        json: local(&urls::agency_json(&r.agency_slug)),
        csv: local(&urls::year_csv(r.year)),
        url: urls::into_href(urls::report(&r.agency_slug, r.year)),
        title: &r.title,
        year: r.year,
    });
    p.render(urls::DATA.to_string(), "data.html", |ctx| {
        ctx.insert("all_csv", &local(urls::ALL_CSV));
        ctx.insert("key_figures", &local(urls::KEY_FIGURES));
        ctx.insert("package", &local(urls::PACKAGE));
        ctx.insert("wide_schema", &urls::WIDE_SCHEMA);
        ctx.insert("cell_schema", &urls::CELL_SCHEMA);
        ctx.insert("labels", &local(urls::LABELS));
        ctx.insert("year_files", &years);
        ctx.insert("agency_files", &agencies);
        ctx.insert("count", &portal.reports.len());
        ctx.insert("example", &example);
    })
}

#[derive(serde::Serialize)]
struct YearReports<'a> {
    year: i32,
    url: String,
    reports: Vec<ReportMeta<'a>>,
}

/// A report whose numbers the data page shows where to find, as an
/// example: its agency's JSON and CSV.
#[derive(serde::Serialize)]
struct ExampleReport<'a> {
    json: String,
    csv: String,
    url: String,
    title: &'a str,
    year: i32,
}

/// A wide CSV file of the data page (and, for an agency, its JSON).
#[derive(serde::Serialize)]
struct DataFile {
    name: String,
    url: String,
    json: Option<String>,
    count: usize,
}

/// Home: the latest year at a glance, the agencies, the recent reports.
fn home_page(p: &Page) -> Result<Rendered, Error> {
    let portal = p.portal();
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
    p.render(String::new(), "index.html", |ctx| {
        ctx.insert("glance", &glance);
        ctx.insert("groups", &groups);
        ctx.insert("recent", &recent);
    })
}

/// An ordinary page of `content/`.
fn ordinary_page(p: &Page, i: usize) -> Result<Rendered, Error> {
    let pg = p.portal().pages[i];
    let url = urls::page(&pg.path);
    let root = urls::root_from(&url);
    let html = markdown::render_page(&pg.body, &root, p.cx.opts.markdown);
    p.render(url, "page.html", |ctx| {
        ctx.insert("title", &pg.title);
        ctx.insert("draft", &pg.draft);
        ctx.insert("noindex", &pg.draft);
        ctx.insert("date", &pg.date.map(|d| d.to_string()));
        ctx.insert("content", &html);
    })
}

/// 404.html: served for any missing path, so its links are not relative.
fn not_found_page(p: &Page) -> Result<Rendered, Error> {
    let base = p.portal().site.config.base_path();
    let mut ctx = p.base_context("404.html", &base);
    ctx.insert("title", "页面不存在");
    p.file("404.html", &ctx)
}

/// The compare page: every report's key figures, for `compare.js`.
fn compare_page(p: &Page) -> Result<Rendered, Error> {
    let portal = p.portal();
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
    p.render(urls::COMPARE.to_string(), "compare.html", |ctx| {
        ctx.insert("rows", &rows);
        ctx.insert("year_list", &years);
        ctx.insert("agencies", &agencies);
        ctx.insert("data", &portal.site.config.outputs.data);
    })
}
