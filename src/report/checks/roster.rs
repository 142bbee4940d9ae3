//! The checks of the reports against the roster (`agencies.toml`, see
//! [`crate::roster`]): R14, a rostered agency with no published report for
//! a year in which other agencies published theirs, once that year's
//! deadline for its level has passed; R15, a report whose `agency_slug` is
//! not on the roster, or whose `agency` is not the roster's name for it.
//!
//! Both run in one linear pass over the reports (a set of slug-year pairs)
//! and one over the roster and the years, so a province's roster of a few
//! thousand bodies over ten years stays cheap. A draft counts as not
//! published for R14: it is not on the portal (`build` leaves it out), so
//! the agency's report is still missing there; the warning names the draft.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use crate::diagnostics::{did_you_mean, Diagnostic, Pos};
use crate::report::{deadline, Level, Report};
use crate::roster::{Roster, FILE};
use crate::rules::Rule;

/// R14 and R15 for `reports` (sorted by path) against `roster`, judged
/// as of `today`. Sorted by the caller with the rest.
pub fn check_roster(roster: &Roster, reports: &[Report], today: NaiveDate) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    missing_reports(roster, reports, today, &mut out);
    not_on_roster(roster, reports, &mut out);
    out
}

/// R14: for every year in which some report is published (not a draft),
/// every rostered agency without a published report for it whose deadline
/// for that year has passed. At the agency's `[[agency]]` line.
fn missing_reports(roster: &Roster, reports: &[Report], today: NaiveDate, out: &mut Vec<Diagnostic>) {
    let years: BTreeSet<i32> = reports.iter().filter(|r| !r.draft).map(|r| r.year).collect();
    let mut published: HashMap<(&str, i32), ()> = HashMap::new();
    let mut drafts: HashMap<(&str, i32), &Report> = HashMap::new();
    for r in reports {
        if r.draft {
            drafts.entry((r.agency_slug.as_str(), r.year)).or_insert(r);
        } else {
            published.insert((r.agency_slug.as_str(), r.year), ());
        }
    }
    for a in &roster.agencies {
        for &year in &years {
            if published.contains_key(&(a.slug.as_str(), year)) {
                continue;
            }
            let due = deadline(year, a.level);
            if today <= due {
                continue;
            }
            let days = (today - due).num_days();
            let mut d = Diagnostic::new(
                Rule::R14,
                FILE,
                Some(Pos::line(a.line)),
                &t!("roster_checks.r14.context", slug = a.slug),
                &t!(
                    "roster_checks.r14.detail",
                    name = a.name,
                    slug = a.slug,
                    year = year,
                    deadline = due,
                    level = level_name(a.level),
                    days = days,
                    today = today
                ),
            );
            if let Some(draft) = drafts.get(&(a.slug.as_str(), year)) {
                d = d
                    .with_related(
                        &draft.path,
                        draft.meta_pos.year.or(Some(Pos::line(1))),
                        &t!("roster_checks.r14.draft", year = year),
                    )
                    .with_help(t!("roster_checks.r14.draft_help"));
            } else {
                d = d.with_help(t!("roster_checks.r14.help", slug = a.slug, year = year));
            }
            out.push(d);
        }
    }
}

/// R15: a report whose slug is not on the roster (with the nearest slug
/// suggested), or whose agency name is not the roster's. At the report's
/// `agency_slug` or `agency` line.
fn not_on_roster(roster: &Roster, reports: &[Report], out: &mut Vec<Diagnostic>) {
    let slugs: Vec<&str> = roster.agencies.iter().map(|a| a.slug.as_str()).collect();
    for r in reports {
        match roster.get(&r.agency_slug) {
            None => {
                let help = match did_you_mean(&r.agency_slug, &slugs) {
                    Some(s) => t!("roster_checks.r15.did_you_mean", slug = s, file = FILE),
                    None => t!("roster_checks.r15.add", file = FILE),
                };
                out.push(
                    Diagnostic::new(
                        Rule::R15,
                        &r.path,
                        r.meta_pos.agency_slug.or(Some(Pos::line(1))),
                        "agency_slug",
                        &t!(
                            "roster_checks.r15.unknown",
                            slug = r.agency_slug,
                            agency = r.agency,
                            file = FILE
                        ),
                    )
                    .with_help(help),
                );
            }
            Some(a) if a.name != r.agency => {
                out.push(
                    Diagnostic::new(
                        Rule::R15,
                        &r.path,
                        r.meta_pos.agency.or(Some(Pos::line(1))),
                        "agency",
                        &t!(
                            "roster_checks.r15.name",
                            agency = r.agency,
                            name = a.name,
                            slug = a.slug,
                            file = FILE
                        ),
                    )
                    .with_related(
                        FILE,
                        Some(Pos::line(a.line)),
                        &t!("roster_checks.r15.name_there", slug = a.slug, name = a.name),
                    )
                    .with_help(t!("roster_checks.r15.name_help", file = FILE)),
                );
            }
            Some(_) => {}
        }
    }
}

/// The level as the message names it: its key in English, its name in
/// Chinese (the deadline's rule follows from it).
fn level_name(level: Level) -> std::borrow::Cow<'static, str> {
    match level {
        Level::Government => t!("roster_checks.level.government"),
        Level::Department => t!("roster_checks.level.department"),
        Level::Township => t!("roster_checks.level.township"),
    }
}
