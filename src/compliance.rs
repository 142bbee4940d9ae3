//! Compliance: whether every agency published its report for every year,
//! on time, and with what problems, as the office that supervises the
//! reports sees it (issue 14, `/compliance/` and `data/compliance.*`).
//!
//! [`Compliance::of`] works it out once from the planned portal in one pass
//! over the published reports and one over the site's diagnostics: the rows
//! are the roster's agencies (or, without a roster, every agency seen), then
//! the agencies seen but not on the roster; the columns are the years the
//! site has published reports for, newest first. Each cell says whether the
//! report was published on time, late (by how many days), is missing (its
//! deadline, [`crate::report::deadline`] for the agency's level, has passed
//! as of `site.today`), or is not yet due, and counts its errors and warnings
//! by rule (an agency not on the roster is expected to publish nothing:
//! its years without a report are [`Status::NotExpected`]). Drafts are not published: a draft counts as no report. Rows come
//! worst first (missing, late, with errors, with warnings, on time), the
//! newest year weighing most, so that a page needs no script to be sorted.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use crate::portal::Portal;
use crate::report::{deadline, Level};
use crate::rules::{Rule, Severity};

/// How many years the page shows (the newest); the data files hold all.
/// At 1,000 agencies, five years make a page of about a megabyte.
pub const PAGE_YEARS: usize = 5;

/// Where one agency stands for one year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// No published report, and the deadline has passed.
    Missing,
    /// Published after the deadline.
    Late,
    /// Published by the deadline.
    OnTime,
    /// No published report yet, and the deadline has not passed.
    NotDue,
    /// No report, from an agency not on the roster: none is expected.
    NotExpected,
}

impl Status {
    /// The key used in the data files: `missing`, `late`, `on_time`, `not_due`.
    pub fn key(self) -> &'static str {
        match self {
            Status::Missing => "missing",
            Status::Late => "late",
            Status::OnTime => "on_time",
            Status::NotDue => "not_due",
            Status::NotExpected => "not_expected",
        }
    }

    /// The label the portal's (Chinese) pages show.
    pub fn label(self) -> &'static str {
        match self {
            Status::Missing => "未发布",
            Status::Late => "逾期发布",
            Status::OnTime => "已按时发布",
            Status::NotDue => "未到期",
            Status::NotExpected => "—",
        }
    }
}

/// One agency × one year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub year: i32,
    pub status: Status,
    /// The last day on time for this agency's level.
    pub deadline: NaiveDate,
    /// The published report (an index into [`Portal::reports`]).
    pub report: Option<usize>,
    pub published: Option<NaiveDate>,
    /// Days after the deadline (0 unless late).
    pub days_late: i64,
    pub errors: usize,
    pub warnings: usize,
    /// How many diagnostics of each rule the report has, by rule id.
    pub rules: Vec<(Rule, usize)>,
}

impl Cell {
    /// The cell's place in the order worst first: missing, late, with
    /// errors, with warnings, on time, not yet due.
    pub fn rank(&self) -> u8 {
        match self.status {
            Status::Missing => 0,
            Status::Late => 1,
            Status::OnTime if self.errors > 0 => 2,
            Status::OnTime if self.warnings > 0 => 3,
            Status::OnTime => 4,
            Status::NotDue => 5,
            Status::NotExpected => 6,
        }
    }

    /// The rule ids of its diagnostics, space-separated (`R08 R12`).
    pub fn rule_ids(&self) -> String {
        let ids: Vec<&str> = self.rules.iter().map(|(r, _)| r.as_str()).collect();
        ids.join(" ")
    }
}

/// One agency, with a cell per year (aligned with [`Compliance::years`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub slug: String,
    pub name: String,
    pub level: Level,
    /// The slug of the body it reports to (from the roster).
    pub parent: Option<String>,
    /// Whether the row is in the main group: on the roster, or any agency
    /// when the site has no roster. `false`: seen, but not on the roster.
    pub listed: bool,
    pub cells: Vec<Cell>,
}

/// The counts of one year over the listed agencies (fields in
/// alphabetical order, as the open data's JSON keys are).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Listed agencies (the M of "N of M on time").
    pub agencies: usize,
    pub late: usize,
    pub missing: usize,
    pub not_due: usize,
    pub on_time: usize,
    /// Reports published that year by agencies not on the roster.
    pub unlisted: usize,
    /// Published reports with at least one error, or one warning.
    pub with_errors: usize,
    pub with_warnings: usize,
    pub year: i32,
}

/// The status of every agency × year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compliance {
    /// The years with published reports, newest first.
    pub years: Vec<i32>,
    /// Listed rows worst first, then the unlisted rows worst first.
    pub rows: Vec<Row>,
    /// One per year, aligned with `years`.
    pub summaries: Vec<Summary>,
    /// Whether the site has a roster.
    pub rostered: bool,
    /// The date deadlines are judged against.
    pub today: NaiveDate,
}

/// Diagnostics of one report, counted.
#[derive(Default)]
struct Tally {
    errors: usize,
    warnings: usize,
    rules: BTreeMap<Rule, usize>,
}

impl Compliance {
    /// Works out the status of every agency × year of `portal` (its drafts,
    /// if it planned them, count as no report).
    pub fn of(portal: &Portal) -> Compliance {
        let site = portal.site;
        let today = site.today;
        let published = |i: &usize| !portal.reports[*i].draft;

        // The years with a published report, newest first (portal.years is).
        let years: Vec<i32> = portal
            .years
            .iter()
            .filter(|y| y.reports.iter().any(published))
            .map(|y| y.year)
            .collect();

        // Diagnostics by report: one pass over them.
        let by_path: HashMap<&str, usize> = portal
            .reports
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.draft)
            .map(|(i, r)| (r.path.as_str(), i))
            .collect();
        let mut tallies: HashMap<usize, Tally> = HashMap::new();
        for d in &site.diagnostics {
            let Some(&i) = by_path.get(d.file.as_str()) else {
                continue;
            };
            let t = tallies.entry(i).or_default();
            match d.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
            }
            *t.rules.entry(d.id).or_default() += 1;
        }

        let cell = |slug: &str, level: Level, year: i32, listed: bool| -> Cell {
            let deadline = deadline(year, level);
            let report = portal.report_index(slug, year).filter(published);
            let Some(i) = report else {
                let status = if !listed {
                    Status::NotExpected
                } else if today > deadline {
                    Status::Missing
                } else {
                    Status::NotDue
                };
                return Cell {
                    year,
                    status,
                    deadline,
                    report: None,
                    published: None,
                    days_late: 0,
                    errors: 0,
                    warnings: 0,
                    rules: Vec::new(),
                };
            };
            let r = portal.reports[i];
            // The report's own level decides its deadline, as R09 judges it.
            let deadline = r.deadline();
            let days_late = (r.published - deadline).num_days().max(0);
            let t = tallies.get(&i);
            Cell {
                year,
                status: if days_late > 0 { Status::Late } else { Status::OnTime },
                deadline,
                report: Some(i),
                published: Some(r.published),
                days_late,
                errors: t.map_or(0, |t| t.errors),
                warnings: t.map_or(0, |t| t.warnings),
                rules: t.map_or_else(Vec::new, |t| t.rules.iter().map(|(&r, &n)| (r, n)).collect()),
            }
        };
        let cells =
            |slug: &str, level: Level, listed: bool| years.iter().map(|&y| cell(slug, level, y, listed)).collect();

        // Agencies with a published report (portal.agencies, by slug).
        let seen: Vec<usize> = (0..portal.agencies.len())
            .filter(|&a| portal.agencies[a].reports.iter().any(published))
            .collect();
        let mut rows = Vec::new();
        match &site.roster {
            Some(roster) => {
                for a in &roster.agencies {
                    rows.push(Row {
                        slug: a.slug.clone(),
                        name: a.name.clone(),
                        level: a.level,
                        parent: a.parent.clone(),
                        listed: true,
                        cells: cells(&a.slug, a.level, true),
                    });
                }
                for &a in seen.iter().filter(|&&a| roster.get(&portal.agencies[a].slug).is_none()) {
                    let a = &portal.agencies[a];
                    rows.push(Row {
                        slug: a.slug.clone(),
                        name: a.name.clone(),
                        level: a.level,
                        parent: None,
                        listed: false,
                        cells: cells(&a.slug, a.level, false),
                    });
                }
            }
            None => {
                for &a in &seen {
                    let a = &portal.agencies[a];
                    rows.push(Row {
                        slug: a.slug.clone(),
                        name: a.name.clone(),
                        level: a.level,
                        parent: None,
                        listed: true,
                        cells: cells(&a.slug, a.level, true),
                    });
                }
            }
        }
        // Worst first, the newest year weighing most; then by name.
        rows.sort_by(|a, b| {
            let key = |r: &Row| (!r.listed, r.cells.iter().map(Cell::rank).collect::<Vec<_>>());
            key(a)
                .cmp(&key(b))
                .then_with(|| (&a.name, &a.slug).cmp(&(&b.name, &b.slug)))
        });

        let summaries = years
            .iter()
            .enumerate()
            .map(|(y, &year)| {
                let mut s = Summary {
                    year,
                    ..Summary::default()
                };
                for row in &rows {
                    let c = &row.cells[y];
                    if !row.listed {
                        s.unlisted += usize::from(c.report.is_some());
                        continue;
                    }
                    s.agencies += 1;
                    match c.status {
                        Status::Missing => s.missing += 1,
                        Status::Late => s.late += 1,
                        Status::OnTime => s.on_time += 1,
                        Status::NotDue => s.not_due += 1,
                        Status::NotExpected => {}
                    }
                    s.with_errors += usize::from(c.errors > 0);
                    s.with_warnings += usize::from(c.warnings > 0);
                }
                s
            })
            .collect();

        Compliance {
            years,
            rows,
            summaries,
            rostered: site.roster.is_some(),
            today,
        }
    }
}
