//! The files for machines: `sitemap.xml` (every page but drafts, with the
//! report's publication date), `atom.xml` (the 50 most recently published
//! reports, drafts left out) and `robots.txt`. Their URLs are absolute, from `base_url`, and every
//! page path goes through [`urls::href`].

use serde::Serialize;

use super::context::{meta, recent, Page, ReportMeta};
use crate::outputs::Rendered;
use crate::portal::Portal;
use crate::urls;
use crate::Error;

/// `sitemap.xml`: every page of the portal.
pub(super) fn sitemap(p: &Page) -> Result<Rendered, Error> {
    let mut ctx = context(p, "sitemap.xml");
    ctx.insert("urls", &sitemap_urls(p.portal()));
    p.file("sitemap.xml", &ctx)
}

/// `atom.xml`: the most recently published reports.
pub(super) fn feed(p: &Page) -> Result<Rendered, Error> {
    let portal = p.portal();
    let mut ctx = context(p, "atom.xml");
    // Drafts (in a build with --drafts) are not announced.
    let entries: Vec<ReportMeta> = recent(portal, portal.reports.len())
        .into_iter()
        .filter(|&i| !portal.reports[i].draft)
        .take(50)
        .map(|i| meta(portal.reports[i]))
        .collect();
    ctx.insert("updated", &entries.first().map(|e| e.published.clone()));
    ctx.insert("entries", &entries);
    p.file("atom.xml", &ctx)
}

/// `robots.txt`, which names the sitemap.
pub(super) fn robots(p: &Page) -> Result<Rendered, Error> {
    p.file("robots.txt", &context(p, "robots.txt"))
}

/// The base context of a file at the site root, with the absolute base URL.
fn context(p: &Page, name: &str) -> tera::Context {
    let mut ctx = p.base_context(name, "./");
    ctx.insert("base_url", &p.portal().site.config.base_url_slash());
    ctx
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
        SitemapUrl {
            loc: loc(urls::YEARS),
            lastmod: None,
        },
        SitemapUrl {
            loc: loc(urls::REPORTS),
            lastmod: None,
        },
    ];
    if portal.site.config.outputs.data {
        out.push(SitemapUrl {
            loc: loc(urls::DATA),
            lastmod: None,
        });
    }
    out.extend(portal.years.iter().map(|y| SitemapUrl {
        loc: loc(&urls::year(y.year)),
        lastmod: None,
    }));
    out.extend(portal.agencies.iter().map(|a| SitemapUrl {
        loc: loc(&urls::agency(&a.slug)),
        lastmod: None,
    }));
    out.extend(portal.agencies.iter().map(|a| SitemapUrl {
        loc: loc(&urls::agency_reports(&a.slug)),
        lastmod: None,
    }));
    out.extend(crate::rollup::keys(portal).iter().map(|(slug, year)| SitemapUrl {
        loc: loc(&urls::rollup(slug, *year)),
        lastmod: None,
    }));
    // Drafts (in a build with --drafts) are marked noindex: not listed.
    out.extend(portal.reports.iter().filter(|r| !r.draft).map(|r| SitemapUrl {
        loc: loc(&urls::report(&r.agency_slug, r.year)),
        lastmod: Some(r.published.to_string()),
    }));
    out.extend(portal.pages.iter().filter(|p| !p.draft).map(|p| SitemapUrl {
        loc: loc(&urls::page(&p.path)),
        lastmod: p.date.map(|d| d.to_string()),
    }));
    out
}
