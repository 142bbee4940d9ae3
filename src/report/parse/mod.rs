//! From a front-matter tree to a [`Report`]: every key looked up against the
//! format's layout, every number checked for its kind (R05), the required
//! metadata present and well-formed (R06), unknown keys refused with the
//! nearest known key suggested (F04). All problems of a file are collected;
//! a report with table errors keeps its metadata but no tables.
//!
//! Every number is bounded here, where it is read ([`MAX_COUNT`],
//! [`MAX_AMOUNT`]), so that no sum formed later (balance checks, yearly
//! aggregates over thousands of reports) can come near the limits of `i64`.
//! Every text is checked for characters no text may hold ([`bad_control`]),
//! and a value written with a YAML tag is refused wherever it is.
//!
//! The parts: [`meta`] reads the metadata keys, [`tables`] the tables'
//! blocks and rows, [`numbers`] each number cell, [`text`] each text value.

mod meta;
mod numbers;
mod tables;
#[cfg(test)]
mod tests;
mod text;

use chrono::NaiveDate;

use super::{find_sections, MetaPos, Report};
pub use crate::diagnostics::bad_control;
use crate::diagnostics::{did_you_mean, Diagnostic, Pos};
use crate::frontmatter::{Node, Value};
use crate::rules::Rule;
use meta::Meta;
pub use numbers::format_amount;
pub use text::{parse_date, text_problem, valid_slug};

/// The largest count (and the largest change, either way) a report may give:
/// one hundred million, far above any real figure (the largest bodies
/// receive some tens of thousands of requests a year), and small enough that
/// sums over a hundred thousand reports stay exact in an `i64`.
pub const MAX_COUNT: i64 = 100_000_000;

/// Decimals an amount (万元) may have: 6, to the 分.
pub const AMOUNT_DECIMALS: usize = 6;

/// Amounts are stored in these units: 1/1,000,000 万元, one 分.
pub const AMOUNT_SCALE: i64 = 1_000_000;

/// Amounts are less than this, in the unit of their table (10^12: fees are in
/// 万元, gov-2019's 采购总金额 is often in 元, and a trillion yuan is more
/// than any body's procurement). In units of 1/[`AMOUNT_SCALE`] that is at
/// most 10^18, below `i64::MAX`; sums of real amounts stay exact, and sums
/// of extreme ones saturate.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

/// The longest `agency_slug`: a slug names a folder and a file under the
/// output, and file systems refuse names over 255 bytes.
pub const MAX_SLUG: usize = 64;

/// The keys a report's front matter may have.
pub const REPORT_KEYS: [&str; 12] = [
    "format",
    "agency",
    "agency_slug",
    "year",
    "published",
    "level",
    "region",
    "title",
    "draft",
    "proactive",
    "requests",
    "appeals",
];

/// The first year a report can be for: the 2008 条例 took effect on 1 May 2008.
pub const FIRST_YEAR: i32 = 2008;

/// Collects the diagnostics of one file.
pub struct Ctx<'a> {
    pub file: &'a str,
    pub diags: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    pub fn new(file: &'a str) -> Self {
        Ctx {
            file,
            diags: Vec::new(),
        }
    }

    /// Records a problem of `rule` (those found here are all errors).
    fn error(&mut self, rule: Rule, pos: Option<Pos>, context: &str, detail: &str) {
        self.diags.push(Diagnostic::new(rule, self.file, pos, context, detail));
    }

    /// F04 for each key of `map` that is not in `known`. `context` names
    /// the place; it is only formatted when there is an unknown key (a
    /// report has dozens of blocks, nearly all of them without one).
    pub fn unknown_keys(&mut self, map: &[(String, Node)], known: &[&str], context: &dyn Fn() -> String) {
        for (k, node) in map {
            if !known.contains(&k.as_str()) {
                let hint = match did_you_mean(k, known) {
                    Some(s) => t!("config.did_you_mean", key = s),
                    None => t!("config.keys_here", keys = known.join(", ")),
                };
                let at = Some(node.key_pos());
                let d = Diagnostic::new(Rule::F04, self.file, at, &context(), &t!("check.unknown_key", key = k));
                self.diags.push(d.with_help(hint));
            }
        }
    }
}

fn get<'n>(map: &'n [(String, Node)], key: &str) -> Option<&'n Node> {
    map.iter().find(|(k, _)| k == key).map(|(_, n)| n)
}

fn as_map(node: &Node) -> Option<&[(String, Node)]> {
    match &node.value {
        Value::Map(m) => Some(m),
        _ => None,
    }
}

/// Parses a report from its front matter `root` (a mapping) and its body.
/// Returns the report, if its metadata is complete, and the file's diagnostics.
pub fn parse_report(
    file: &str,
    root: &Node,
    body: String,
    body_line: usize,
    today: NaiveDate,
) -> (Option<Report>, Vec<Diagnostic>) {
    let mut ctx = Ctx::new(file);
    let report = parse_into(&mut ctx, root, body, body_line, today);
    (report, ctx.diags)
}

/// The steps of [`parse_report`], in the order of their diagnostics: tagged
/// values, `format`, the keys, the metadata, the tables.
fn parse_into(ctx: &mut Ctx, root: &Node, body: String, body_line: usize, today: NaiveDate) -> Option<Report> {
    let map = as_map(root)?;
    // A tagged value in the metadata: the report is not taken.
    let tagged = meta::refuse_tagged(ctx, map);
    let format = meta::parse_format(ctx, map);
    meta::check_keys(ctx, map, format);
    let meta = meta::parse_meta(ctx, map, today);
    let tables = match format {
        Some(f) if f.has_tables() => tables::parse_tables(ctx, map, f),
        _ => None,
    };
    let sections = find_sections(&body, body_line);
    let Meta {
        agency,
        agency_slug,
        year,
        published,
        level,
        region,
        title,
        draft,
    } = meta;
    let (format, agency, agency_slug, year, published, level) =
        (format?, agency?, agency_slug?, year?, published?, level?);
    if tagged {
        return None;
    }
    let draft = draft?;
    let pos = |key: &str| get(map, key).map(Node::pos);
    Some(Report {
        path: ctx.file.to_string(),
        format,
        title: title.unwrap_or_else(|| Report::default_title(&agency, year)),
        agency,
        agency_slug,
        year,
        published,
        level,
        region,
        draft,
        tables,
        body,
        body_line,
        sections,
        meta_pos: MetaPos {
            agency: pos("agency"),
            agency_slug: pos("agency_slug"),
            year: pos("year"),
            published: pos("published"),
            title: pos("title"),
        },
    })
}
