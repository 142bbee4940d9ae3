//! The compliance dashboard as an [`Output`]: the page `/compliance/` and
//! its data files `data/compliance.csv` and `data/compliance.json`. The
//! status of every agency × year ([`Compliance`]) is worked out once per
//! render, for the page and both files. The page shows the newest
//! [`PAGE_YEARS`] years, a summary line per year, and one row per agency
//! worst first (the order [`Compliance`] gives), each cell linked to the
//! report; it needs no script.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

use super::context::{Page, Shared};
use crate::compliance::{Cell, Compliance, Row, Status, Summary, PAGE_YEARS};
use crate::data::{compliance_csv_file, compliance_json_file};
use crate::i18n::Lang;
use crate::outputs::{Change, Cost, Cx, Output, Rendered};
use crate::portal::Portal;
use crate::report::Level;
use crate::rules::{Rule, Severity};
use crate::urls::{self, PageKey};
use crate::Error;

/// The dashboard and its data. Made for one render.
#[derive(Default)]
pub struct CompliancePages {
    status: OnceLock<Compliance>,
    shared: OnceLock<Shared>,
}

impl CompliancePages {
    fn status(&self, portal: &Portal) -> &Compliance {
        self.status.get_or_init(|| Compliance::of(portal))
    }
}

impl Output for CompliancePages {
    fn name(&self) -> &'static str {
        "compliance"
    }

    fn owns(&self, key: &PageKey) -> bool {
        matches!(
            key,
            PageKey::Compliance | PageKey::ComplianceCsv | PageKey::ComplianceJson
        )
    }

    /// None of its own: its addresses are in the one list of addresses
    /// ([`urls::page_keys`] and [`urls::data_keys`]), which the pages and the
    /// open data hand out in the list's order; this output renders them.
    fn files(&self, _portal: &Portal) -> Vec<PageKey> {
        Vec::new()
    }

    fn cost(&self, _key: &PageKey) -> Cost {
        Cost::Heavy
    }

    fn render(&self, key: &PageKey, cx: &Cx) -> Result<Vec<Rendered>, Error> {
        let portal = cx.portal;
        let data = portal.site.config.outputs.data;
        let file = |bytes: std::io::Result<Vec<u8>>| match bytes {
            Ok(bytes) => Ok(vec![Rendered {
                path: key.file(),
                bytes,
            }]),
            Err(source) => Err(Error::Data {
                path: key.file(),
                source,
            }),
        };
        match key {
            PageKey::Compliance => {
                let shared = self.shared.get_or_init(|| Shared::new(portal));
                Ok(vec![page(&Page::new(cx, shared), self.status(portal))?])
            }
            PageKey::ComplianceCsv if data => file(compliance_csv_file(portal, self.status(portal))),
            PageKey::ComplianceJson if data => file(compliance_json_file(portal, self.status(portal))),
            _ => Ok(Vec::new()),
        }
    }

    /// Any report's change may change any row's place and the summaries.
    fn touched(&self, change: &Change, portal: &Portal) -> Vec<PageKey> {
        match change {
            Change::Reports { .. } => {
                let mut keys = vec![PageKey::Compliance];
                if portal.site.config.outputs.data {
                    keys.extend([PageKey::ComplianceCsv, PageKey::ComplianceJson]);
                }
                keys
            }
            Change::Page(_) => Vec::new(),
        }
    }
}

#[derive(Serialize)]
struct YearCol<'a> {
    year: i32,
    summary: &'a Summary,
    /// The summary's share on time, in percent (of the listed agencies).
    on_time_percent: usize,
}

#[derive(Serialize)]
struct PageRow<'a> {
    slug: &'a str,
    name: &'a str,
    level: &'static str,
    parent: Option<&'a str>,
    /// The agency's page, when it has published reports.
    url: Option<String>,
    cells: Vec<PageCell>,
}

#[derive(Serialize)]
struct PageCell {
    status: &'static str,
    label: String,
    url: Option<String>,
    published: Option<String>,
    deadline: String,
    errors: usize,
    warnings: usize,
    rules: Vec<RuleBadge>,
}

#[derive(Serialize)]
struct RuleBadge {
    id: &'static str,
    count: usize,
    /// `error` or `warning`.
    severity: &'static str,
}

#[derive(Serialize)]
struct RuleNote {
    id: &'static str,
    title: &'static str,
    severity: &'static str,
}

fn severity_key(rule: Rule) -> &'static str {
    match rule.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn cell_ctx(portal: &Portal, c: &Cell) -> PageCell {
    let label = match c.status {
        Status::Late => format!("{}（{}天）", c.status.label(), c.days_late),
        s => s.label().to_string(),
    };
    let url = c.report.map(|i| {
        let r = portal.reports[i];
        urls::into_href(urls::report(&r.agency_slug, r.year))
    });
    PageCell {
        status: c.status.key(),
        label,
        url,
        published: c.published.map(|d| d.to_string()),
        deadline: c.deadline.to_string(),
        errors: c.errors,
        warnings: c.warnings,
        rules: c
            .rules
            .iter()
            .map(|&(r, n)| RuleBadge {
                id: r.as_str(),
                count: n,
                severity: severity_key(r),
            })
            .collect(),
    }
}

/// A row's view; `names` gives the parent's name by slug.
fn row_ctx<'a>(portal: &Portal, names: &BTreeMap<&str, &'a str>, row: &'a Row, years: usize) -> PageRow<'a> {
    PageRow {
        slug: &row.slug,
        name: &row.name,
        level: row.level.label(),
        parent: row.parent.as_deref().map(|p| names.get(p).copied().unwrap_or(p)),
        url: portal
            .agency_index(&row.slug)
            .map(|_| urls::into_href(urls::agency(&row.slug))),
        cells: row
            .cells
            .iter()
            .take(years)
            .map(|cell| cell_ctx(portal, cell))
            .collect(),
    }
}

/// `/compliance/`.
fn page(p: &Page, c: &Compliance) -> Result<Rendered, Error> {
    let portal = p.portal();
    let shown = c.years.len().min(PAGE_YEARS);
    let cols: Vec<YearCol> = c
        .summaries
        .iter()
        .take(shown)
        .map(|s| YearCol {
            year: s.year,
            summary: s,
            on_time_percent: s.on_time * 100 / s.agencies.max(1),
        })
        .collect();
    // Parents are looked up by slug among the rows: a map, not a scan, at
    // a thousand agencies.
    let names: BTreeMap<&str, &str> = c.rows.iter().map(|r| (r.slug.as_str(), r.name.as_str())).collect();
    let to_ctx = |row| row_ctx(portal, &names, row, shown);
    let rows: Vec<PageRow> = c.rows.iter().filter(|r| r.listed).map(to_ctx).collect();
    let unlisted: Vec<PageRow> = c.rows.iter().filter(|r| !r.listed).map(to_ctx).collect();
    // The rules present in the shown years, for the legend.
    let mut present: Vec<Rule> = c
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().take(shown))
        .flat_map(|cell| cell.rules.iter().map(|(r, _)| *r))
        .collect();
    present.sort();
    present.dedup();
    let notes: Vec<RuleNote> = present
        .into_iter()
        .map(|r| RuleNote {
            id: r.as_str(),
            title: r.title_in(Lang::Zh),
            severity: severity_key(r),
        })
        .collect();
    let data = portal.site.config.outputs.data;
    p.render(urls::COMPLIANCE.to_string(), "compliance.html", |ctx| {
        ctx.insert("title", "报告报送情况");
        ctx.insert("cols", &cols);
        ctx.insert("more_years", &(c.years.len() - shown));
        ctx.insert("rows", &rows);
        ctx.insert("unlisted", &unlisted);
        ctx.insert("rostered", &c.rostered);
        ctx.insert("today", &c.today.to_string());
        ctx.insert("notes", &notes);
        ctx.insert("department_level", Level::Department.label());
        ctx.insert("government_level", Level::Government.label());
        ctx.insert(
            "data",
            &data.then(|| {
                BTreeMap::from([
                    ("csv", urls::into_href(urls::COMPLIANCE_CSV.to_string())),
                    ("json", urls::into_href(urls::COMPLIANCE_JSON.to_string())),
                ])
            }),
        );
    })
}
