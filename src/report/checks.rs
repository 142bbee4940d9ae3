//! The checks of spec section 4. [`check_report`] runs the checks that need
//! one report (R01-R04, R09, R10, and R13 in [`narrative_figures`]);
//! [`check_across`] runs those that compare reports (R07, R08, R11, R12) in
//! one pass over the reports grouped by agency, so a run stays linear in the
//! number of reports; [`check_roster`] those against the roster (R14,
//! R15, in `checks/roster.rs`). (R05 and R06 are
//! found while parsing, in [`super::parse`].)
//!
//! The numbers of a parsed report are bounded ([`super::parse::MAX_COUNT`]),
//! and the sums here are formed with saturating arithmetic all the same: no
//! input makes a check overflow (or panic, in a debug build).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rayon::prelude::*;

use super::file;
use super::labels::{
    self, RowDef, RowKind, APPEAL_COLUMNS, APPEAL_ROWS, F21_IN_FORCE, F21_ISSUED, F21_REPEALED, P21_NORMATIVE,
    P21_RULES, REQUEST_COLUMNS,
};
use super::similarity::{self, Fingerprint};

#[path = "narrative_figures.rs"]
mod narrative_figures;
mod roster;
use super::{Format, Level, Report, Row, Tables};
use crate::diagnostics::{Diagnostic, Pos};
use crate::rules::Rule;
pub use roster::check_roster;

/// The deadline is a fact of the model (R09 checks it): see [`super::deadline`].
pub use super::deadline;

/// Checks of one report: R01-R04, R09, R10, R13.
pub fn check_report(r: &Report) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(t) = &r.tables {
        let table = RequestTable::new(r, t);
        table.balance(&mut out);
        table.row_totals(&mut out);
        table.results_total(&mut out);
        appeal_totals(r, t, &mut out);
    }
    deadline_kept(r, &mut out);
    sections_present(r, &mut out);
    narrative_figures::check(r, &mut out);
    placeholders_left(r, &mut out);
    out
}

/// Table 三 of one report, with the rows its checks compare.
struct RequestTable<'a> {
    r: &'a Report,
    t: &'a Tables,
    rows: &'a [RowDef],
    new: &'a Row<7>,
    over: &'a Row<7>,
    total: &'a Row<7>,
    forward: &'a Row<7>,
    /// Where to point when a cell has no position: the table, else line 1.
    table_pos: Option<Pos>,
}

impl<'a> RequestTable<'a> {
    fn new(r: &'a Report, t: &'a Tables) -> Self {
        let rows = r.format.request_rows();
        let find = |kind: RowKind| rows.iter().position(|d| d.kind == kind).expect("row kind in layout");
        RequestTable {
            r,
            t,
            rows,
            new: &t.requests[find(RowKind::New)],
            over: &t.requests[find(RowKind::CarriedOver)],
            total: &t.requests[find(RowKind::Total)],
            forward: &t.requests[find(RowKind::CarriedForward)],
            table_pos: t.requests_pos.or(Some(Pos::line(1))),
        }
    }

    /// R01: 一 + 二 = 三（七） + 四, per column.
    fn balance(&self, out: &mut Vec<Diagnostic>) {
        let RequestTable {
            r,
            new,
            over,
            total,
            forward,
            table_pos,
            ..
        } = *self;
        for (c, col) in REQUEST_COLUMNS.iter().enumerate() {
            let (a, b, x, y) = (new.value(c), over.value(c), total.value(c), forward.value(c));
            let (received, done) = (a.saturating_add(b), x.saturating_add(y));
            if received != done {
                // Which cells to look at: the four of the column, each with
                // its line (or that it was left out and counts 0).
                let at = |row: &Row<7>| match row.cell_pos[c].or(row.pos) {
                    Some(p) => t!("check.r01.at_line", line = p.line_no()),
                    None => t!("check.r01.not_written"),
                };
                out.push(
                    Diagnostic::new(
                        Rule::R01,
                        &r.path,
                        new.pos_of(c, over.pos_of(c, table_pos)),
                        &t!("check.column", place = labels::TABLE_3, column = col),
                        &t!(
                            "check.r01.detail",
                            a = a,
                            b = b,
                            received = received,
                            x = x,
                            y = y,
                            done = done
                        ),
                    )
                    .with_help(t!(
                        "check.r01.help",
                        column = col,
                        new = at(new),
                        over = at(over),
                        total = at(total),
                        forward = at(forward),
                        diff = (received - done).abs()
                    )),
                );
            }
        }
    }

    /// R02: 总计 = the six applicant columns, for rows given with 7 numbers.
    fn row_totals(&self, out: &mut Vec<Diagnostic>) {
        let RequestTable {
            r, rows, t, table_pos, ..
        } = *self;
        for (def, row) in rows.iter().zip(&t.requests) {
            if row.total_given && row.total() != row.parts_sum() {
                let parts: Vec<String> = (0..6).map(|i| row.value(i).to_string()).collect();
                out.push(Diagnostic::new(
                    Rule::R02,
                    &r.path,
                    row.pos_of(6, table_pos),
                    &t!(
                        "check.column",
                        place = format!("{}{}{}", labels::TABLE_3, labels::sep(), def.full_label()),
                        column = "总计"
                    ),
                    &t!(
                        "check.r02.detail",
                        total = row.total(),
                        parts = parts.join(" + "),
                        sum = row.parts_sum()
                    ),
                ));
            }
        }
    }

    /// R03: （七）总计, when given, = the sum of the result rows.
    fn results_total(&self, out: &mut Vec<Diagnostic>) {
        let RequestTable {
            r,
            rows,
            t,
            total,
            table_pos,
            ..
        } = *self;
        if total.pos.is_some() {
            let results: Vec<&Row<7>> = rows
                .iter()
                .zip(&t.requests)
                .filter(|(d, _)| d.kind == RowKind::Result)
                .map(|(_, row)| row)
                .collect();
            for (c, col) in REQUEST_COLUMNS.iter().enumerate() {
                let sum = results.iter().fold(0i64, |sum, row| sum.saturating_add(row.value(c)));
                if sum != total.value(c) {
                    out.push(Diagnostic::new(
                        Rule::R03,
                        &r.path,
                        total.pos_of(c, table_pos),
                        &t!(
                            "check.column",
                            place = format!("{}{}三、本年度办理结果（七）总计", labels::TABLE_3, labels::sep()),
                            column = col
                        ),
                        &t!(
                            "check.r03.detail",
                            total = total.value(c),
                            rows = results.len(),
                            sum = sum
                        ),
                    ));
                }
            }
        }
    }
}

/// R04: table 四 totals.
fn appeal_totals(r: &Report, t: &Tables, out: &mut Vec<Diagnostic>) {
    for (def, row) in APPEAL_ROWS.iter().zip(&t.appeals) {
        if row.total_given && row.total() != row.parts_sum() {
            let parts: Vec<String> = (0..4)
                .map(|i| format!("{} {}", APPEAL_COLUMNS[i], row.value(i)))
                .collect();
            out.push(Diagnostic::new(
                Rule::R04,
                &r.path,
                row.pos_of(4, t.appeals_pos.or(Some(Pos::line(1)))),
                &t!(
                    "check.column",
                    place = format!("{}{}{}", labels::TABLE_4, labels::sep(), def.label),
                    column = "总计"
                ),
                &t!(
                    "check.r04.detail",
                    total = row.total(),
                    parts = parts.join(" + "),
                    sum = row.parts_sum()
                ),
            ));
        }
    }
}

/// R09: the deadline.
fn deadline_kept(r: &Report, out: &mut Vec<Diagnostic>) {
    let deadline = r.deadline();
    let earliest = NaiveDate::from_ymd_opt(r.year.saturating_add(1), 1, 1).unwrap_or(NaiveDate::MAX);
    if r.published > deadline {
        let rule = if r.year <= 2018 {
            t!("check.r09.rule_2008")
        } else if r.level == Level::Government {
            t!("check.r09.rule_government")
        } else {
            t!("check.r09.rule_other", level = r.level.key())
        };
        out.push(Diagnostic::new(
            Rule::R09,
            &r.path,
            r.meta_pos.published,
            &t!("check.r09.context"),
            &t!(
                "check.r09.late",
                published = r.published,
                days = (r.published - deadline).num_days(),
                deadline = deadline,
                rule = rule
            ),
        ));
    } else if r.published < earliest {
        out.push(Diagnostic::new(
            Rule::R09,
            &r.path,
            r.meta_pos.published,
            &t!("check.r09.context"),
            &t!(
                "check.r09.early",
                published = r.published,
                year = r.year,
                earliest = earliest
            ),
        ));
    }
}

/// R10: sections 一, 五 and 六 in the body.
fn sections_present(r: &Report, out: &mut Vec<Diagnostic>) {
    if r.format.has_tables() {
        for index in [0, 4, 5] {
            if !r.sections.iter().any(|s| s.index == index) {
                // Point where the section belongs: before the next section
                // that is there, else at the end of the body (at the closing
                // `---` when the body is empty: never past the file's end).
                let end = match r.body.lines().count() {
                    0 => r.body_line.saturating_sub(1),
                    n => r.body_line + n - 1,
                };
                let line = r.sections.iter().find(|s| s.index > index).map_or(end, |s| s.line);
                out.push(Diagnostic::new(
                    Rule::R10,
                    &r.path,
                    Some(Pos::line(line)),
                    &t!("check.body"),
                    // The advice stays in the message: report pages show
                    // warnings' messages, and their text must not change.
                    &t!(
                        "check.r10.detail",
                        numeral = labels::SECTION_NUMERALS[index],
                        heading = labels::SECTIONS[index]
                    ),
                ));
            }
        }
    }
}

/// R16: a fill-in text of the report template ([`file::PLACEHOLDERS`]), or
/// what is left of one, in a report that is published (not a draft): in the
/// body, one diagnostic per line, and in `agency` and `title`.
fn placeholders_left(r: &Report, out: &mut Vec<Diagnostic>) {
    if r.draft {
        return;
    }
    let mut found = |context: &str, pos: Option<Pos>, text: &str, p: &file::Placeholder, width: Option<usize>| {
        // The placeholder as it stands (from its first words on), cut to 30
        // characters.
        let from = text.find(p.text).or_else(|| text.find(p.start)).unwrap_or(0);
        let rest = text[from..].trim_end();
        let shown: String = if rest.chars().count() > 30 {
            rest.chars().take(29).chain(['…']).collect()
        } else {
            rest.to_string()
        };
        let mut d = Diagnostic::new(Rule::R16, &r.path, pos, context, &t!("check.r16.detail", text = shown))
            .with_help(t!("check.r16.help"));
        d.width = width;
        out.push(d);
    };
    for (key, value, pos) in [
        ("agency", &r.agency, r.meta_pos.agency),
        ("title", &r.title, r.meta_pos.title),
    ] {
        if let Some(p) = file::placeholder_in(value) {
            found(key, pos.or(Some(Pos::line(1))), value, p, None);
        }
    }
    // A placeholder is only where a start is (no start holds a line
    // break): one pass over the body spares most reports the pass line by
    // line.
    if !file::holds_a_start(&r.body) {
        return;
    }
    for (i, line) in r.body.lines().enumerate() {
        if let Some(p) = file::placeholder_in(line) {
            let at = line.find(p.text).or_else(|| line.find(p.start)).unwrap_or(0);
            let column = line[..at].chars().count() + 1;
            let width = if line[at..].starts_with(p.text) {
                p.text.chars().count()
            } else {
                line[at..].chars().count()
            };
            found(
                &t!("check.body"),
                Some(Pos::at(r.body_line + i, column)),
                line,
                p,
                Some(width),
            );
        }
    }
}

/// Checks across reports: R07 (one report per agency and year, one name per
/// slug), R08 and R11 (figures carried from last year), R12 (内容雷同).
/// `reports` must be in a stable order (by path); `prints` are the reports'
/// narrative fingerprints, in the same order. Returns the diagnostics by
/// agency slug (only agencies that have some).
pub fn check_across(reports: &[Report], prints: &[Fingerprint]) -> BTreeMap<String, Vec<Diagnostic>> {
    let mut by_slug: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in reports.iter().enumerate() {
        by_slug.entry(r.agency_slug.as_str()).or_default().push(i);
    }
    let mut slugs: Vec<&str> = by_slug.keys().copied().collect();
    slugs.sort_unstable();
    slugs
        .par_iter()
        // Small pieces, so that both threads finish together (see
        // `outputs::render`).
        .with_max_len(64)
        .map(|slug| (slug.to_string(), check_agency(reports, prints, &by_slug[slug])))
        .filter(|(_, d)| !d.is_empty())
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// The checks across reports for one agency only (after one of its reports
/// changed): the same as [`check_across`] gives for `slug`.
pub fn check_slug(reports: &[Report], prints: &[Fingerprint], slug: &str) -> Vec<Diagnostic> {
    let idx: Vec<usize> = (0..reports.len()).filter(|&i| reports[i].agency_slug == slug).collect();
    if idx.is_empty() {
        return Vec::new();
    }
    check_agency(reports, prints, &idx)
}

fn check_agency(reports: &[Report], prints: &[Fingerprint], idx: &[usize]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // R07: the first report (by path) names the agency and holds each year.
    let first = &reports[idx[0]];
    let mut years: Vec<usize> = Vec::with_capacity(idx.len());
    for &i in idx {
        let r = &reports[i];
        if r.agency != first.agency {
            out.push(
                Diagnostic::new(
                    Rule::R07,
                    &r.path,
                    r.meta_pos.agency,
                    "agency",
                    &t!(
                        "check.r07.name",
                        slug = r.agency_slug,
                        agency = r.agency,
                        first = first.agency,
                        path = first.path
                    ),
                )
                .with_related(
                    &first.path,
                    first.meta_pos.agency,
                    &t!("check.r07.name_there", slug = first.agency_slug, agency = first.agency),
                )
                .with_help(t!("check.r07.name_help")),
            );
        }
        if let Some(&j) = years.iter().find(|&&j| reports[j].year == r.year) {
            let other = &reports[j];
            out.push(
                Diagnostic::new(
                    Rule::R07,
                    &r.path,
                    r.meta_pos.year,
                    "year",
                    &t!(
                        "check.r07.second",
                        slug = r.agency_slug,
                        year = r.year,
                        path = other.path
                    ),
                )
                .with_related(
                    &other.path,
                    other.meta_pos.year,
                    &t!("check.r07.first", slug = other.agency_slug, year = other.year),
                )
                .with_help(t!("check.r07.second_help")),
            );
        } else {
            years.push(i);
        }
    }
    years.sort_by_key(|&i| reports[i].year);

    for pair in years.windows(2) {
        let (prev, cur) = (&reports[pair[0]], &reports[pair[1]]);
        if prev.year.checked_add(1) == Some(cur.year) {
            carried_over(prev, cur, &mut out);
            in_force(prev, cur, &mut out);
        }
        // R12 compares with the previous report, whatever its year.
        if let Some(s) = similarity::similarity(&prints[pair[0]], &prints[pair[1]]) {
            if s >= similarity::THRESHOLD {
                out.push(
                    Diagnostic::new(
                        Rule::R12,
                        &cur.path,
                        Some(Pos::line(first_text_line(cur))),
                        &t!("check.body"),
                        &t!(
                            "check.r12.detail",
                            percent = format!("{:.0}", (s * 100.0).floor()),
                            year = prev.year,
                            path = prev.path,
                            threshold = format!("{:.0}", similarity::THRESHOLD * 100.0)
                        ),
                    )
                    .with_related(
                        &prev.path,
                        Some(Pos::line(first_text_line(prev))),
                        &t!("check.r12.related", year = prev.year),
                    ),
                );
            }
        }
    }
    out
}

/// The file line of the first non-blank line of a report's body.
fn first_text_line(r: &Report) -> usize {
    r.body_line + r.body.lines().position(|l| !l.trim().is_empty()).unwrap_or(0)
}

/// R08: this year's 二 上年结转 = last year's 四 结转下年度, per column.
fn carried_over(prev: &Report, cur: &Report, out: &mut Vec<Diagnostic>) {
    let (Some(pt), Some(ct)) = (&prev.tables, &cur.tables) else {
        return;
    };
    // The rows themselves, not copies: this runs for every pair of
    // consecutive years.
    fn row<'t>(r: &Report, t: &'t super::Tables, kind: RowKind) -> &'t Row<7> {
        let i = r
            .format
            .request_rows()
            .iter()
            .position(|d| d.kind == kind)
            .expect("row kind");
        &t.requests[i]
    }
    let forward = row(prev, pt, RowKind::CarriedForward);
    let over = row(cur, ct, RowKind::CarriedOver);
    for (c, col) in REQUEST_COLUMNS.iter().enumerate() {
        if over.value(c) != forward.value(c) {
            let at = forward.pos.map(|p| format!(":{}", p.line_no())).unwrap_or_default();
            out.push(
                Diagnostic::new(
                    Rule::R08,
                    &cur.path,
                    over.pos_of(c, ct.requests_pos.or(Some(Pos::line(1)))),
                    &t!(
                        "check.column",
                        place = format!("{}{}二、上年结转政府信息公开申请数量", labels::TABLE_3, labels::sep()),
                        column = col
                    ),
                    &t!(
                        "check.r08.detail",
                        here = over.value(c),
                        year = prev.year,
                        there = forward.value(c),
                        path = format!("{}{at}", prev.path)
                    ),
                )
                .with_related(
                    &prev.path,
                    forward.pos_of(c, pt.requests_pos),
                    &t!("check.r08.related", year = prev.year, column = col),
                ),
            );
        }
    }
}

/// R11: 现行有效件数(N) = 现行有效件数(N-1) + 本年制发(N) − 本年废止(N).
fn in_force(prev: &Report, cur: &Report, out: &mut Vec<Diagnostic>) {
    if prev.format != Format::Gov2021 || cur.format != Format::Gov2021 {
        return;
    }
    let (Some(pt), Some(ct)) = (&prev.tables, &cur.tables) else {
        return;
    };
    for item in [P21_RULES, P21_NORMATIVE] {
        let def = &labels::PROACTIVE_2021[item];
        let (p, c) = (&pt.proactive[item], &ct.proactive[item]);
        let v = |cells: &[Option<i64>], f: usize| cells[f].unwrap_or(0);
        let expected = v(&p.cells, F21_IN_FORCE)
            .saturating_add(v(&c.cells, F21_ISSUED))
            .saturating_sub(v(&c.cells, F21_REPEALED));
        if v(&c.cells, F21_IN_FORCE) != expected {
            out.push(
                Diagnostic::new(
                    Rule::R11,
                    &cur.path,
                    c.pos.or(Some(Pos::line(1))),
                    &format!(
                        "{}{}{} {} 现行有效件数",
                        labels::TABLE_2,
                        labels::sep(),
                        def.block,
                        def.label
                    ),
                    &t!(
                        "check.r11.detail",
                        here = v(&c.cells, F21_IN_FORCE),
                        year = prev.year,
                        before = v(&p.cells, F21_IN_FORCE),
                        issued = v(&c.cells, F21_ISSUED),
                        repealed = v(&c.cells, F21_REPEALED),
                        expected = expected
                    ),
                )
                .with_related(
                    &prev.path,
                    p.pos,
                    &t!("check.r11.related", year = prev.year, label = def.label),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_follow_the_level_and_the_regulation_in_force() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(deadline(2023, Level::Department), d(2024, 1, 31));
        assert_eq!(deadline(2023, Level::Township), d(2024, 1, 31));
        assert_eq!(deadline(2023, Level::Government), d(2024, 3, 31));
        assert_eq!(deadline(2015, Level::Department), d(2016, 3, 31));
        // No year makes it panic.
        assert_eq!(deadline(i32::MAX, Level::Department), NaiveDate::MAX);
    }

    #[test]
    fn a_missing_section_of_an_empty_body_is_placed_in_the_file() {
        let mut r = super::super::valid_fixture();
        r.body = String::new();
        r.sections.clear();
        let d = check_report(&r);
        assert!(
            d.iter().all(|d| d.id == Rule::R10 && d.line == Some(r.body_line - 1)),
            "{d:#?}"
        );
    }

    #[test]
    fn placeholders_are_an_error_in_a_published_report_only() {
        let mut r = super::super::valid_fixture();
        let r16 = |r: &Report| -> Vec<Option<usize>> {
            check_report(r)
                .iter()
                .filter(|d| d.id == Rule::R16)
                .map(|d| d.line)
                .collect()
        };
        assert!(r16(&r).is_empty(), "a real report has none");
        // Every fill-in text the template writes is found, whole or begun.
        let template = file::report_file(&file::ReportFile {
            format: Format::Gov2021,
            agency: Some("测试局"),
            slug: "ceshi",
            year: 2023,
            level: Level::Department,
            published: None,
            draft: false,
            title: None,
            source: None,
            numbers: None,
            body: None,
        });
        let body = template.split("\n---\n").nth(1).expect("a body");
        r.body = body.to_string();
        assert_eq!(r16(&r).len(), 6, "the six hints of the template");
        r.body = "## 五、存在的主要问题及改进情况\n\n- （请填写存在的主要问题\n\n正文（请填写）不算。\n".into();
        assert_eq!(r16(&r), [Some(r.body_line + 2)]);
        // A draft is not published: nothing to say.
        r.draft = true;
        assert!(r16(&r).is_empty());
        r.draft = false;
        r.body = String::new();
        r.agency = file::MISSING_AGENCY.into();
        assert_eq!(r16(&r), [r.meta_pos.agency.map(Pos::line_no)]);
    }

    #[test]
    fn extreme_numbers_never_overflow_a_check() {
        // Reports are bounded when parsed; the checks must not depend on it
        // (a debug build panics on overflow). Every cell at the extremes.
        let mut a = super::super::valid_fixture();
        let t = a.tables.as_mut().unwrap();
        for row in t.requests.iter_mut() {
            row.cells = [Some(i64::MAX); 7];
            row.total_given = true;
        }
        for row in t.appeals.iter_mut() {
            row.cells = [Some(i64::MAX); 5];
            row.total_given = true;
        }
        for item in t.proactive.iter_mut() {
            item.cells.iter_mut().for_each(|c| *c = Some(i64::MIN));
        }
        // Every sum saturates at i64::MAX, where the 总计 columns are too:
        // nothing to report, and nothing wrapped.
        let d = check_report(&a);
        assert!(
            d.iter()
                .all(|d| ![Rule::R01, Rule::R02, Rule::R03, Rule::R04].contains(&d.id)),
            "{d:#?}"
        );
        // One 总计 below its parts is found, not hidden by a wrap.
        a.tables.as_mut().unwrap().requests[2].cells[6] = Some(5);
        let d = check_report(&a);
        assert!(d.iter().any(|d| d.id == Rule::R02), "{d:#?}");
        let mut b = a.clone();
        b.year = 2022;
        b.path = "content/reports/ceshi/2022.md".into();
        for item in b.tables.as_mut().unwrap().proactive.iter_mut() {
            item.cells.iter_mut().for_each(|c| *c = Some(i64::MAX));
        }
        let reports = [b, a];
        let prints = [similarity::fingerprint(""), similarity::fingerprint("")];
        let across = check_across(&reports, &prints);
        assert!(across.values().flatten().any(|d| d.id == Rule::R11), "{across:#?}");
    }
}
