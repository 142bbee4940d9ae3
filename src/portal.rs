//! The portal's structure, planned from the checked site before anything is
//! rendered: which reports are published, the agencies and years they group
//! into, each report's previous and next year, every page's URL, the yearly
//! aggregates (the three tables summed over a year's reports) and the key
//! figures shown in lists. One pass over the reports; rendering reads it.
//! Sums saturate: the numbers of a report are bounded when it is parsed
//! ([`crate::report::parse::MAX_COUNT`]), so a real portal never comes near
//! the limit, and no input makes an aggregate wrap or panic.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::content::Page;
use crate::diagnostics::Diagnostic;
use crate::report::labels::RowKind;
use crate::report::{Format, Level, Report, Row, Tables};
use crate::site::Site;

/// An agency: every report under one `agency_slug`.
#[derive(Debug)]
pub struct Agency {
    pub slug: String,
    pub name: String,
    pub level: Level,
    pub region: Option<String>,
    /// Indices into [`Portal::reports`], by year.
    pub reports: Vec<usize>,
}

/// One reporting year.
#[derive(Debug)]
pub struct Year {
    pub year: i32,
    /// Indices into [`Portal::reports`], by level, then agency name.
    pub reports: Vec<usize>,
    /// The tables summed over the year's reports of the year's main format.
    pub aggregate: Option<Aggregate>,
}

/// The three tables summed over several reports of one format.
#[derive(Debug)]
pub struct Aggregate {
    pub format: Format,
    pub tables: Tables,
    /// How many reports went into the sums.
    pub count: usize,
}

/// The figures shown for a report in lists and comparisons.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct KeyFigures {
    /// 一、本年新收政府信息公开申请数量, 总计.
    pub new: i64,
    /// 三（七）总计, 总计: applications handled.
    pub handled: i64,
    /// （一）予以公开, 总计.
    pub granted: i64,
    /// 行政复议 总计.
    pub review: i64,
    /// 行政诉讼 总计 (未经复议直接起诉 + 复议后起诉).
    pub litigation: i64,
}

impl KeyFigures {
    pub fn of(format: Format, t: &Tables) -> KeyFigures {
        let row = |kind: RowKind| {
            format
                .request_rows()
                .iter()
                .position(|d| d.kind == kind)
                .map_or(0, |i| t.requests[i].total())
        };
        let granted = format
            .request_rows()
            .iter()
            .position(|d| d.key == "granted")
            .map_or(0, |i| t.requests[i].total());
        KeyFigures {
            new: row(RowKind::New),
            handled: row(RowKind::Total),
            granted,
            review: t.appeals[0].total(),
            litigation: t.appeals[1].total().saturating_add(t.appeals[2].total()),
        }
    }
}

/// The outcome groups of table 三 (the 总计 column), for charts.
pub const OUTCOMES: [&str; 6] = ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"];

/// A report's applications handled, by outcome group (see [`OUTCOMES`]).
pub fn outcomes(format: Format, t: &Tables) -> [i64; 6] {
    let mut out = [0i64; 6];
    for (def, row) in format.request_rows().iter().zip(&t.requests) {
        let slot = match (def.group, def.key) {
            (None, "granted") => 0,
            (None, "partial") => 1,
            (Some("denied"), _) => 2,
            (Some("unavailable"), _) => 3,
            (Some("not_processed"), _) => 4,
            (Some("other"), _) | (None, "other") => 5,
            _ => continue,
        };
        out[slot] = out[slot].saturating_add(row.total());
    }
    out
}

/// The planned portal.
pub struct Portal<'s> {
    pub site: &'s Site,
    /// Published reports, by agency slug then year.
    pub reports: Vec<&'s Report>,
    /// Published ordinary pages, by path.
    pub pages: Vec<&'s Page>,
    /// Agencies, by slug.
    pub agencies: Vec<Agency>,
    /// Years, newest first.
    pub years: Vec<Year>,
    /// Key figures of each report (zero for freeform), by report index.
    pub figures: Vec<Option<KeyFigures>>,
    /// For each report, its agency's index.
    pub agency_of: Vec<usize>,
    /// Warnings of each report's file, for the discreet note on its page.
    warnings: HashMap<&'s str, Vec<&'s Diagnostic>>,
}

impl<'s> Portal<'s> {
    /// Plans the portal; `drafts` includes draft reports and pages.
    pub fn plan(site: &'s Site, drafts: bool) -> Portal<'s> {
        let mut reports: Vec<&Report> = site.reports.iter().filter(|r| drafts || !r.draft).collect();
        reports.sort_by(|a, b| (&a.agency_slug, a.year).cmp(&(&b.agency_slug, b.year)));
        // R07 errors stop a build, so (slug, year) is unique here.
        let pages: Vec<&Page> = site.pages.iter().filter(|p| drafts || !p.draft).collect();

        let mut agencies: Vec<Agency> = Vec::new();
        let mut agency_of = Vec::with_capacity(reports.len());
        for (i, r) in reports.iter().enumerate() {
            if agencies.last().is_none_or(|a| a.slug != r.agency_slug) {
                agencies.push(Agency {
                    slug: r.agency_slug.clone(),
                    name: r.agency.clone(),
                    level: r.level,
                    region: None,
                    reports: Vec::new(),
                });
            }
            let a = agencies.last_mut().expect("pushed above");
            // The newest report names the agency's level and region.
            a.level = r.level;
            if r.region.is_some() {
                a.region = r.region.clone();
            }
            a.reports.push(i);
            agency_of.push(agencies.len() - 1);
        }

        let figures: Vec<Option<KeyFigures>> = reports
            .iter()
            .map(|r| r.tables.as_ref().map(|t| KeyFigures::of(r.format, t)))
            .collect();

        let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        for (i, r) in reports.iter().enumerate() {
            by_year.entry(r.year).or_default().push(i);
        }
        // A task per year: sorting and summing its reports is most of the plan.
        let years = by_year
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .into_par_iter()
            .with_max_len(1)
            .map(|(year, mut idx)| {
                idx.sort_by(|&a, &b| {
                    (reports[a].level, &reports[a].agency, &reports[a].agency_slug).cmp(&(
                        reports[b].level,
                        &reports[b].agency,
                        &reports[b].agency_slug,
                    ))
                });
                let aggregate = aggregate(idx.iter().map(|&i| reports[i]));
                Year {
                    year,
                    reports: idx,
                    aggregate,
                }
            })
            .collect();

        let mut warnings: HashMap<&str, Vec<&Diagnostic>> = HashMap::new();
        // In the portal's language, whatever the language of the run.
        for d in site.page_warnings() {
            warnings.entry(d.file.as_str()).or_default().push(d);
        }
        Portal {
            site,
            reports,
            pages,
            agencies,
            years,
            figures,
            agency_of,
            warnings,
        }
    }

    /// The agency's report before and after report `i`.
    pub fn neighbours(&self, i: usize) -> (Option<usize>, Option<usize>) {
        let list = &self.agencies[self.agency_of[i]].reports;
        let at = list.iter().position(|&j| j == i).expect("report in its agency");
        (at.checked_sub(1).map(|k| list[k]), list.get(at + 1).copied())
    }

    /// The warnings of report `i`'s file.
    pub fn warnings(&self, i: usize) -> &[&'s Diagnostic] {
        self.warnings
            .get(self.reports[i].path.as_str())
            .map_or(&[], Vec::as_slice)
    }

    /// The index of the published report of `slug` for `year`.
    pub fn report_index(&self, slug: &str, year: i32) -> Option<usize> {
        self.reports
            .binary_search_by(|r| (r.agency_slug.as_str(), r.year).cmp(&(slug, year)))
            .ok()
    }

    /// The index of the agency `slug`.
    pub fn agency_index(&self, slug: &str) -> Option<usize> {
        self.agencies.binary_search_by(|a| a.slug.as_str().cmp(slug)).ok()
    }

    /// The index of `year` among the years.
    pub fn year_index(&self, year: i32) -> Option<usize> {
        self.years.iter().position(|y| y.year == year)
    }

    /// The index of the published page at `path` (`content/guide.md`).
    pub fn page_index(&self, path: &str) -> Option<usize> {
        self.pages
            .binary_search_by(|p| crate::content::path_cmp(&p.path, path))
            .ok()
    }
}

/// The agencies page's hierarchy when the site has a roster: one group per
/// agency at the top of the roster (a government), with everything under
/// it as nested lists; then the agencies with published reports that are
/// not on the roster, in a last group.
#[derive(Debug, Default, Serialize)]
pub struct AgencyTree {
    pub groups: Vec<TreeGroup>,
    /// Agencies with published reports that the roster does not list, by name.
    pub unlisted: Vec<TreeNode>,
}

/// A top agency of the roster and, flattened in tree order, every agency
/// under it (see [`TreeNode`] for how the nested lists are written).
#[derive(Debug, Serialize)]
pub struct TreeGroup {
    pub head: TreeNode,
    pub nodes: Vec<TreeNode>,
    /// How many lists are still open after the last node (each closed with
    /// `</li></ul>`; the outermost list is the template's own).
    pub close_at_end: usize,
}

/// One agency of the tree. The nested lists are written from the flat list:
/// before a node, `open` opens a list inside the previous item (a child);
/// otherwise the previous item is closed (`</li>`) and then `up` lists with
/// their items (`</ul></li>` each) when the node is higher up. Precomputed
/// here because Tera templates cannot recurse over included partials.
#[derive(Debug, Serialize)]
pub struct TreeNode {
    pub name: String,
    pub slug: String,
    /// The agency page, when the agency has published reports.
    pub url: Option<String>,
    pub level_label: &'static str,
    /// Published reports, and the first and last year they cover.
    pub count: usize,
    pub first_year: i32,
    pub last_year: i32,
    pub depth: usize,
    pub open: bool,
    pub first: bool,
    pub up: usize,
}

impl Portal<'_> {
    /// The agencies in the roster's hierarchy, or `None` when the site has
    /// no roster (the agencies page then groups them by level).
    /// `href` gives the address of an agency's page (from
    /// [`crate::urls`], which the plan's users hold: `urls` itself uses
    /// the portal).
    pub fn agency_tree(&self, href: impl Fn(&str) -> String) -> Option<AgencyTree> {
        let roster = self.site.roster.as_ref()?;
        let node = |slug: &str, name: &str, level: Level, depth: usize| {
            let reports = self
                .agency_index(slug)
                .map_or(&[][..], |a| &self.agencies[a].reports[..]);
            let year = |i: Option<&usize>| i.map_or(0, |&i| self.reports[i].year);
            TreeNode {
                name: name.to_string(),
                slug: slug.to_string(),
                url: (!reports.is_empty()).then(|| href(slug)),
                level_label: level.label(),
                count: reports.len(),
                first_year: year(reports.first()),
                last_year: year(reports.last()),
                depth,
                open: false,
                first: false,
                up: 0,
            }
        };
        let mut tree = AgencyTree::default();
        for (a, depth) in roster.tree() {
            if depth == 0 {
                tree.groups.push(TreeGroup {
                    head: node(&a.slug, &a.name, a.level, 0),
                    nodes: Vec::new(),
                    close_at_end: 0,
                });
                continue;
            }
            let Some(group) = tree.groups.last_mut() else { continue };
            // Depth within the group's list: its children are at 0.
            let d = depth - 1;
            let mut n = node(&a.slug, &a.name, a.level, d);
            match group.nodes.last() {
                None => n.first = true,
                Some(prev) if d > prev.depth => n.open = true,
                Some(prev) => n.up = prev.depth - d,
            }
            group.nodes.push(n);
        }
        for g in &mut tree.groups {
            g.close_at_end = g.nodes.last().map_or(0, |n| n.depth);
        }
        tree.unlisted = self
            .agencies
            .iter()
            .filter(|a| roster.get(&a.slug).is_none())
            .map(|a| node(&a.slug, &a.name, a.level, 0))
            .collect();
        tree.unlisted
            .sort_by(|a, b| (&a.name, &a.slug).cmp(&(&b.name, &b.slug)));
        Some(tree)
    }
}

/// Sums the tables of the reports of the most common format among `reports`.
pub fn aggregate<'a>(reports: impl Iterator<Item = &'a Report> + Clone) -> Option<Aggregate> {
    let count = |f: Format| reports.clone().filter(|r| r.format == f && r.tables.is_some()).count();
    let format = [Format::Gov2021, Format::Gov2019]
        .into_iter()
        .max_by_key(|&f| (count(f), f == Format::Gov2021))?;
    let mut sum: Option<Tables> = None;
    let mut n = 0;
    for r in reports.filter(|r| r.format == format) {
        let Some(t) = &r.tables else { continue };
        n += 1;
        let s = sum.get_or_insert_with(|| zeroed(t));
        add_rows(&mut s.requests, &t.requests);
        add_rows(&mut s.appeals, &t.appeals);
        for (a, b) in s.proactive.iter_mut().zip(&t.proactive) {
            for (x, y) in a.cells.iter_mut().zip(&b.cells) {
                *x = Some(x.unwrap_or(0).saturating_add(y.unwrap_or(0)));
            }
        }
    }
    sum.map(|tables| Aggregate {
        format,
        tables,
        count: n,
    })
}

fn zeroed(t: &Tables) -> Tables {
    let mut z = t.clone();
    for r in z.requests.iter_mut() {
        *r = Row::omitted();
        r.cells = [Some(0); 7];
    }
    for r in z.appeals.iter_mut() {
        *r = Row::omitted();
    }
    for item in z.proactive.iter_mut() {
        item.cells.iter_mut().for_each(|c| *c = Some(0));
        item.pos = None;
    }
    z.requests_pos = None;
    z.appeals_pos = None;
    z
}

fn add_rows<const N: usize>(sum: &mut [Row<N>], rows: &[Row<N>]) {
    for (s, r) in sum.iter_mut().zip(rows) {
        for c in 0..N {
            s.cells[c] = Some(s.value(c).saturating_add(r.value(c)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregates_saturate_and_never_wrap() {
        // Two reports whose numbers are near the top of i64: their sum must
        // not wrap to a negative aggregate (nor panic in a debug build).
        let mut r = crate::report::valid_fixture();
        let t = r.tables.as_mut().unwrap();
        for row in t.requests.iter_mut() {
            row.cells = [Some(i64::MAX - 1); 7];
        }
        for row in t.appeals.iter_mut() {
            row.cells = [Some(i64::MAX - 1); 5];
        }
        for item in t.proactive.iter_mut() {
            item.cells.iter_mut().for_each(|c| *c = Some(i64::MAX - 1));
        }
        let reports = [r.clone(), r.clone()];
        let agg = aggregate(reports.iter()).unwrap();
        assert_eq!(agg.count, 2);
        assert!(agg.tables.requests.iter().all(|row| row.cells == [Some(i64::MAX); 7]));
        assert!(agg.tables.appeals.iter().all(|row| row.cells == [Some(i64::MAX); 5]));
        assert!(agg
            .tables
            .proactive
            .iter()
            .all(|i| i.cells.iter().all(|c| *c == Some(i64::MAX))));
        let t = r.tables.as_ref().unwrap();
        assert_eq!(KeyFigures::of(r.format, t).litigation, i64::MAX);
        // （一）and （二）are one row each; the groups saturate.
        assert_eq!(
            outcomes(r.format, t),
            [i64::MAX - 1, i64::MAX - 1, i64::MAX, i64::MAX, i64::MAX, i64::MAX]
        );
    }

    #[test]
    fn the_sums_of_bounded_reports_are_exact() {
        // The largest numbers a report may hold, summed over 10,000 reports.
        let mut r = crate::report::valid_fixture();
        let t = r.tables.as_mut().unwrap();
        for row in t.requests.iter_mut() {
            row.cells = [Some(crate::report::parse::MAX_COUNT); 7];
        }
        let reports = vec![r; 10_000];
        let agg = aggregate(reports.iter()).unwrap();
        assert_eq!(
            agg.tables.requests[0].cells[0],
            Some(crate::report::parse::MAX_COUNT * 10_000)
        );
    }
}
