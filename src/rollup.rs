//! Roll-ups: a jurisdiction's figures. For every agency of the roster
//! (`agencies.toml`) that has agencies reporting to it, and for every year
//! the portal has reports, tables 二, 三 and 四 summed over the agency and
//! all its descendants that published a report that year (issue 14, part
//! 3). Owns who is in a roll-up (included, left out and why, missing), in
//! the roster's tree order, and the sums, which are the year aggregate's
//! ([`crate::portal::aggregate`]: exact integer sums, amounts in millionths
//! of 万元, blank cells counted as 0, saturating). Without a roster there
//! are no roll-ups. The pages, the JSON and the CSV are rendered from it by
//! the outputs; [`keys`] names which roll-ups exist, cheaply, and
//! [`Rollup::of`] works one out when it is rendered.
//!
//! Formats: reports are summed only with reports of the same format. The
//! roll-up takes the format the aggregate takes (the most common among the
//! included reports with tables, gov-2021 on a tie); a report of another
//! format (gov-2019 beside gov-2021, or freeform, which has no tables) is
//! listed as left out, with its format. A draft is left out too (a build
//! publishes none; `serve` previews them).

use crate::portal::{aggregate, Aggregate, Portal};
use crate::report::{Format, Level};
use crate::roster::RosterAgency;

/// Why a descendant's report is not in the sums.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeftOut {
    /// Its format is not the roll-up's (freeform has no tables at all).
    Format(Format),
    /// It is a draft (only in a preview or a build with `--drafts`).
    Draft,
}

/// Where one agency of a roll-up stands for the year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Its report (an index into [`Portal::reports`]) is in the sums.
    Included(usize),
    /// It has a report (an index into [`Portal::reports`]) that is not in
    /// the sums, and why.
    LeftOut(usize, LeftOut),
    /// No report for the year.
    Missing,
}

/// One agency of a roll-up: the agency itself or one below it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member<'s> {
    pub slug: &'s str,
    /// The roster's name.
    pub name: &'s str,
    pub level: Level,
    /// 0 for the agency of the roll-up, 1 for those reporting to it, …
    pub depth: usize,
    pub status: Status,
}

/// The roll-up of one agency for one year.
#[derive(Debug)]
pub struct Rollup<'s> {
    pub slug: &'s str,
    /// The roster's name of the agency.
    pub name: &'s str,
    pub year: i32,
    /// The agency, then every agency below it in the roster's tree order.
    pub members: Vec<Member<'s>>,
    /// The sums of the included reports (`None` when none has tables).
    pub sum: Option<Aggregate>,
}

/// Every roll-up of the portal, as (agency slug, year): each agency of the
/// roster with children (in the roster's order), each year of the portal
/// (newest first). Empty without a roster.
pub fn keys(portal: &Portal) -> Vec<(String, i32)> {
    let Some(roster) = &portal.site.roster else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for a in roster.agencies.iter().filter(|a| roster.has_children(&a.slug)) {
        out.extend(portal.years.iter().map(|y| (a.slug.clone(), y.year)));
    }
    out
}

/// The slugs of the agencies with roll-ups (those of the roster with
/// children), in the roster's order.
pub fn agencies<'p>(portal: &'p Portal) -> Vec<&'p str> {
    portal.site.roster.as_ref().map_or_else(Vec::new, |roster| {
        roster
            .agencies
            .iter()
            .filter(|a| roster.has_children(&a.slug))
            .map(|a| a.slug.as_str())
            .collect()
    })
}

/// The agencies whose roll-ups hold `slug`'s reports: `slug` itself when
/// it has roll-ups, then every agency above it (see [`ancestors`]). For
/// rebuilding what a change of `slug`'s reports touches.
pub fn containing<'p>(portal: &'p Portal, slug: &'p str) -> Vec<&'p str> {
    let mut out = Vec::new();
    if has_rollup(portal, slug) {
        out.push(slug);
    }
    out.extend(ancestors(portal, slug));
    out
}

/// Whether `slug` has roll-ups.
pub fn has_rollup(portal: &Portal, slug: &str) -> bool {
    portal.site.roster.as_ref().is_some_and(|r| r.has_children(slug))
}

/// Every agency above `slug` on the roster (parent, grandparent, …),
/// nearest first.
pub fn ancestors<'p>(portal: &'p Portal, slug: &str) -> Vec<&'p str> {
    let mut out: Vec<&str> = Vec::new();
    let Some(roster) = &portal.site.roster else {
        return out;
    };
    let mut at = roster.get(slug);
    // The roster has no cycles (validated); the bound keeps a loop finite all the same.
    while let Some(a) = at {
        let Some(parent) = a.parent.as_deref().and_then(|p| roster.get(p)) else {
            break;
        };
        if out.len() >= roster.agencies.len() {
            break;
        }
        out.push(parent.slug.as_str());
        at = Some(parent);
    }
    out
}

impl<'s> Rollup<'s> {
    /// The roll-up of `slug` for `year`: `None` when `slug` has no roll-ups
    /// (no roster, not on it, or nothing reports to it) or the portal has
    /// no reports for `year`.
    pub fn of(portal: &'s Portal, slug: &str, year: i32) -> Option<Rollup<'s>> {
        let roster = portal.site.roster.as_ref()?;
        let top = roster.get(slug)?;
        if !roster.has_children(slug) || portal.year_index(year).is_none() {
            return None;
        }
        // The agency and its descendants with their depth, in tree order
        // (only the subtree is walked: a build works out every roll-up
        // three times, for its page, JSON and CSV).
        let depth = |a: &RosterAgency| {
            let mut d = 0;
            let mut at = a;
            while at.slug != slug {
                match at.parent.as_deref().and_then(|p| roster.get(p)) {
                    Some(p) => at = p,
                    None => break,
                }
                d += 1;
            }
            d
        };
        let subtree = std::iter::once(top).chain(roster.descendants(slug));
        let mut members: Vec<Member<'s>> = subtree
            .map(|a| (a, depth(a)))
            .map(|(a, depth)| Member {
                slug: a.slug.as_str(),
                name: a.name.as_str(),
                level: a.level,
                depth,
                status: match portal.report_index(&a.slug, year) {
                    Some(i) if portal.reports[i].draft => Status::LeftOut(i, LeftOut::Draft),
                    Some(i) => Status::Included(i),
                    None => Status::Missing,
                },
            })
            .collect();
        let candidates = || {
            members.iter().filter_map(|m| match m.status {
                Status::Included(i) => Some(portal.reports[i]),
                _ => None,
            })
        };
        let sum = aggregate(candidates());
        // The format summed; every other format is left out.
        let format = sum.as_ref().map(|s| s.format);
        for m in members.iter_mut() {
            if let Status::Included(i) = m.status {
                let r = portal.reports[i];
                if Some(r.format) != format || r.tables.is_none() {
                    m.status = Status::LeftOut(i, LeftOut::Format(r.format));
                }
            }
        }
        Some(Rollup {
            slug: top.slug.as_str(),
            name: top.name.as_str(),
            year,
            members,
            sum,
        })
    }

    /// The reports in the sums, as indices into [`Portal::reports`].
    pub fn included(&self) -> impl Iterator<Item = usize> + '_ {
        self.members.iter().filter_map(|m| match m.status {
            Status::Included(i) => Some(i),
            _ => None,
        })
    }

    /// The members with a report left out of the sums.
    pub fn left_out(&self) -> impl Iterator<Item = (&Member<'s>, usize, LeftOut)> + '_ {
        self.members.iter().filter_map(|m| match m.status {
            Status::LeftOut(i, why) => Some((m, i, why)),
            _ => None,
        })
    }

    /// How many blank cells (published blank, `null` in a report's JSON)
    /// the reports in the sums have: each was counted as 0.
    pub fn blank_cells(&self, portal: &Portal) -> usize {
        self.included()
            .filter_map(|i| portal.reports[i].tables.as_ref())
            .map(|t| {
                let proactive = t.proactive.iter().flat_map(|item| &item.cells);
                let requests = t.requests.iter().flat_map(|row| &row.cells);
                let appeals = t.appeals.iter().flat_map(|row| &row.cells);
                proactive.chain(requests).chain(appeals).filter(|c| c.is_none()).count()
            })
            .sum()
    }

    /// The members without a report for the year.
    pub fn missing(&self) -> impl Iterator<Item = &Member<'s>> + '_ {
        self.members.iter().filter(|m| m.status == Status::Missing)
    }
}
