//! The roll-up page, `/rollup/<slug>/<year>/` (see [`crate::rollup`]): a
//! roster agency's tables 二, 三 and 四 summed with those of every agency
//! below it that reported that year, in the official layout (the report
//! page's own table renderers, [`super::tables`]), with the agencies
//! included (linked to their reports), those whose report was left out and
//! why, and those missing; and the roll-up links the agency and year pages
//! show. The page is Chinese, as every page of the portal.

use serde::Serialize;

use super::context::Page;
use super::tables;
use crate::outputs::Rendered;
use crate::portal::Portal;
use crate::report::Format;
use crate::rollup::{self, LeftOut, Rollup, Status};
use crate::urls;
use crate::Error;

/// A format's name as the page says it.
fn format_label(format: Format) -> &'static str {
    match format {
        Format::Gov2021 => "2021年版格式",
        Format::Gov2019 => "2019年试行格式",
        Format::Freeform => "无统计表格式",
    }
}

/// The roll-up page of `slug` for `year`; `None` when the portal has no such roll-up.
pub(super) fn rollup_page(p: &Page, slug: &str, year: i32) -> Result<Option<Rendered>, Error> {
    let portal = p.portal();
    let Some(r) = Rollup::of(portal, slug, year) else {
        return Ok(None);
    };
    let members: Vec<MemberCtx> = r
        .members
        .iter()
        .map(|m| {
            let report = match m.status {
                Status::Included(i) | Status::LeftOut(i, _) => Some(i),
                Status::Missing => None,
            };
            let (status, note) = match m.status {
                Status::Included(_) => ("included", "已计入".to_string()),
                Status::LeftOut(_, LeftOut::Format(f)) => ("left-out", format!("未计入：{}", format_label(f))),
                Status::LeftOut(_, LeftOut::Draft) => ("left-out", "未计入：草稿".to_string()),
                Status::Missing => ("missing", "未发布".to_string()),
            };
            MemberCtx {
                name: m.name,
                level_label: m.level.label(),
                // The theme indents 4 levels at most.
                depth: m.depth.min(4),
                status,
                note,
                url: report.map(|i| {
                    let rep = portal.reports[i];
                    urls::into_href(urls::report(&rep.agency_slug, rep.year))
                }),
                published: report.map(|i| portal.reports[i].published.to_string()),
            }
        })
        .collect();
    let count = |s: &str| members.iter().filter(|m| m.status == s).count();
    let ctx = RollupCtx {
        name: r.name,
        year: r.year,
        format: r.sum.as_ref().map(|s| format_label(s.format)),
        included: count("included"),
        left_out: count("left-out"),
        missing: count("missing"),
        blank_cells: r.blank_cells(portal),
        agency_url: portal
            .agency_index(r.slug)
            .map(|_| urls::into_href(urls::agency(r.slug))),
        year_url: urls::into_href(urls::year(r.year)),
        table2: r.sum.as_ref().map(|s| tables::table2(s.format, &s.tables, "sum-")),
        table3: r.sum.as_ref().map(|s| tables::table3(s.format, &s.tables, "sum-")),
        table4: r.sum.as_ref().map(|s| tables::table4(&s.tables, "sum-")),
        members,
    };
    let data_links = p.data_links(
        Some(urls::rollup_json(r.slug, r.year)),
        Some(urls::rollup_csv(r.slug, r.year)),
    );
    p.render(urls::rollup(r.slug, r.year), "rollup.html", |c| {
        c.insert("rollup", &ctx);
        c.insert("data", &data_links);
    })
    .map(Some)
}

/// The roll-ups of agency `slug`, one per year, newest first (for its
/// page; empty when it has none).
pub(super) fn agency_rollups(portal: &Portal, slug: &str) -> Vec<RollupLink> {
    if !rollup::has_rollup(portal, slug) {
        return Vec::new();
    }
    let name = portal
        .site
        .roster
        .as_ref()
        .and_then(|r| r.get(slug))
        .map_or(slug, |a| a.name.as_str());
    portal
        .years
        .iter()
        .map(|y| RollupLink {
            name: name.to_string(),
            year: y.year,
            url: urls::into_href(urls::rollup(slug, y.year)),
        })
        .collect()
}

/// The roll-ups of `year`, one per agency with roll-ups, in the roster's
/// order (for the year page).
pub(super) fn year_rollups(portal: &Portal, year: i32) -> Vec<RollupLink> {
    let Some(roster) = &portal.site.roster else {
        return Vec::new();
    };
    rollup::agencies(portal)
        .into_iter()
        .map(|slug| RollupLink {
            name: roster.get(slug).map_or(slug, |a| a.name.as_str()).to_string(),
            year,
            url: urls::into_href(urls::rollup(slug, year)),
        })
        .collect()
}

/// A link to a roll-up page.
#[derive(Serialize)]
pub(super) struct RollupLink {
    name: String,
    year: i32,
    url: String,
}

#[derive(Serialize)]
struct RollupCtx<'a> {
    name: &'a str,
    year: i32,
    /// The format summed, as the page names it.
    format: Option<&'static str>,
    included: usize,
    left_out: usize,
    missing: usize,
    blank_cells: usize,
    agency_url: Option<String>,
    year_url: String,
    table2: Option<String>,
    table3: Option<String>,
    table4: Option<String>,
    members: Vec<MemberCtx<'a>>,
}

#[derive(Serialize)]
struct MemberCtx<'a> {
    name: &'a str,
    level_label: &'static str,
    /// The depth below the roll-up's agency, 4 at most.
    depth: usize,
    /// `included`, `left-out` or `missing`.
    status: &'static str,
    note: String,
    url: Option<String>,
    published: Option<String>,
}
