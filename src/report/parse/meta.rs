//! The metadata keys of a report: `format` first (it decides which keys a
//! report may have), then the required keys (R06 when missing or empty) and
//! the optional ones, each refused (R05) when written as another kind.
//! The steps run in the order their diagnostics are reported.

use chrono::{Datelike, NaiveDate};

use super::text::{parse_date, parse_string, refuse_tags, slugify, valid_slug};
use super::{get, Ctx, FIRST_YEAR, MAX_SLUG, REPORT_KEYS};
use crate::diagnostics::{did_you_mean, Pos};
use crate::frontmatter::{Node, Value};
use crate::report::{Format, Level};
use crate::rules::Rule;

/// The metadata of a report after `format`, each `None` where it is
/// missing or has an error (reported).
pub(super) struct Meta {
    pub agency: Option<String>,
    pub agency_slug: Option<String>,
    pub year: Option<i32>,
    pub published: Option<NaiveDate>,
    pub level: Option<Level>,
    pub region: Option<String>,
    pub title: Option<String>,
    /// `None` when `draft` is not true or false: the report is not taken.
    pub draft: Option<bool>,
}

/// R05 for a value written with a YAML tag in the metadata keys (not the
/// tables, which refuse their own); true if there was one.
pub(super) fn refuse_tagged(ctx: &mut Ctx, map: &[(String, Node)]) -> bool {
    let mut found = false;
    for (k, n) in map.iter().filter(|(k, _)| REPORT_KEYS[..9].contains(&k.as_str())) {
        if refuse_tags(ctx, n, k) {
            found = true;
        }
    }
    found
}

/// The report's `format`: R06 when missing, R05 when not a known format.
pub(super) fn parse_format(ctx: &mut Ctx, map: &[(String, Node)]) -> Option<Format> {
    let n = match get(map, "format") {
        None => {
            ctx.error(Rule::R06, Some(Pos::line(1)), "", &t!("check.meta.no_format"));
            return None;
        }
        Some(n) => n,
    };
    match &n.value {
        Value::Str(s) => match Format::from_key(s.trim()) {
            Some(f) => Some(f),
            None => {
                let hint = did_you_mean(s.trim(), &["gov-2021", "gov-2019", "freeform"])
                    .map(|x| t!("check.meta.format_did_you_mean", key = x).into_owned())
                    .unwrap_or_default();
                ctx.error(
                    Rule::R05,
                    Some(n.pos()),
                    "",
                    &t!("check.meta.format_unknown", value = s, hint = hint),
                );
                None
            }
        },
        other => {
            ctx.error(
                Rule::R05,
                Some(n.pos()),
                "",
                &t!("check.meta.format_kind", found = other.kind()),
            );
            None
        }
    }
}

/// F04 for the keys a report of `format` may not have: unknown keys, and
/// the tables' keys in a freeform report.
pub(super) fn check_keys(ctx: &mut Ctx, map: &[(String, Node)], format: Option<Format>) {
    let has_tables = format.is_none_or(|f| f.has_tables());
    if has_tables {
        ctx.unknown_keys(map, &REPORT_KEYS, &String::new);
        return;
    }
    for (k, node) in map.iter().filter(|(k, _)| REPORT_KEYS[9..].contains(&k.as_str())) {
        ctx.error(
            Rule::F04,
            Some(node.key_pos()),
            "",
            &t!("check.meta.freeform_tables", key = k),
        );
    }
    let others: Vec<(String, Node)> = map
        .iter()
        .filter(|(k, _)| !REPORT_KEYS[9..].contains(&k.as_str()))
        .cloned()
        .collect();
    ctx.unknown_keys(&others, &REPORT_KEYS[..9], &String::new);
}

/// Reads the metadata after `format`, in the order of its diagnostics: the
/// required keys' presence first, then each key's value.
pub(super) fn parse_meta(ctx: &mut Ctx, map: &[(String, Node)], today: NaiveDate) -> Meta {
    let agency_node = required(ctx, map, "agency", &|| t!("check.meta.what_agency").into_owned());
    let slug_node = required(ctx, map, "agency_slug", &|| t!("check.meta.what_slug").into_owned());
    let year_node = required(ctx, map, "year", &|| t!("check.meta.what_year").into_owned());
    let published_node = required(ctx, map, "published", &|| t!("check.meta.what_published").into_owned());

    let agency = agency_node.and_then(|n| parse_agency(ctx, n));
    let agency_slug = slug_node.and_then(|n| parse_slug(ctx, n));
    let year = year_node.and_then(|n| parse_year(ctx, n, today));
    let published = published_node.and_then(|n| parse_published(ctx, n));
    let level = parse_level(ctx, map);
    let region = optional_text(ctx, map, "region");
    let title = optional_text(ctx, map, "title");
    let draft = parse_draft(ctx, map);
    Meta {
        agency,
        agency_slug,
        year,
        published,
        level,
        region,
        title,
        draft,
    }
}

/// The value of a required `key` (`what` says what it holds, translated
/// only for a message): R06 when it is missing or empty.
fn required<'n>(ctx: &mut Ctx, map: &'n [(String, Node)], key: &str, what: &dyn Fn() -> String) -> Option<&'n Node> {
    match get(map, key) {
        Some(n) if n.value != Value::Null => Some(n),
        Some(n) => {
            ctx.error(
                Rule::R06,
                Some(n.pos()),
                "",
                &t!("check.meta.required_empty", key = key, what = what()),
            );
            None
        }
        None => {
            ctx.error(
                Rule::R06,
                Some(Pos::line(1)),
                "",
                &t!("check.meta.required_missing", key = key, what = what()),
            );
            None
        }
    }
}

/// `agency`: a text, not blank.
fn parse_agency(ctx: &mut Ctx, n: &Node) -> Option<String> {
    let agency = parse_string(ctx, n, "agency");
    if agency.as_deref() == Some("") {
        ctx.error(Rule::R06, Some(n.pos()), "", &t!("check.meta.agency_empty"));
    }
    agency.filter(|s| !s.is_empty())
}

/// `agency_slug`: a [`valid_slug`], else R06 with a shorter or cleaner one
/// suggested.
fn parse_slug(ctx: &mut Ctx, n: &Node) -> Option<String> {
    let s = parse_string(ctx, n, "agency_slug")?;
    let slug_chars = s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid_slug(&s) {
        Some(s)
    } else if slug_chars && s.len() > MAX_SLUG {
        ctx.error(
            Rule::R06,
            Some(n.pos()),
            "",
            &t!("check.meta.slug_long", len = s.len(), max = MAX_SLUG),
        );
        None
    } else {
        let mut suggestion = slugify(&s);
        suggestion.truncate(MAX_SLUG);
        let suggestion = suggestion.trim_end_matches('-');
        let hint = if suggestion.is_empty() {
            t!("check.meta.slug_pinyin").into_owned()
        } else {
            t!("check.meta.slug_suggest", slug = suggestion).into_owned()
        };
        ctx.error(
            Rule::R06,
            Some(n.pos()),
            "",
            &t!("check.meta.slug_bad", slug = s, hint = hint),
        );
        None
    }
}

/// `year`: a whole number from [`FIRST_YEAR`] to this year.
fn parse_year(ctx: &mut Ctx, n: &Node, today: NaiveDate) -> Option<i32> {
    match &n.value {
        _ if n.tag().is_some() => None,
        Value::Int(y) if (FIRST_YEAR as i64..=today.year() as i64).contains(y) => i32::try_from(*y).ok(),
        Value::BigInt(_) | Value::Int(_) => {
            let y = match &n.value {
                Value::Int(y) => y.to_string(),
                Value::BigInt(y) => y.to_string(),
                _ => String::new(),
            };
            ctx.error(
                Rule::R06,
                Some(n.pos()),
                "",
                &t!(
                    "check.meta.year_range",
                    year = y,
                    first = FIRST_YEAR,
                    last = today.year()
                ),
            );
            None
        }
        Value::Str(s) => {
            let message = match year_in_text(s) {
                Some(y) => t!("check.year.text", text = s.trim(), year = y),
                None => t!("check.year.not_a_year", text = s.trim()),
            };
            ctx.error(Rule::R05, Some(n.pos()), "", &message);
            None
        }
        other => {
            ctx.error(
                Rule::R05,
                Some(n.pos()),
                "",
                &t!("check.meta.year_kind", found = other.kind()),
            );
            None
        }
    }
}

/// The year a text means when it is one written as text: `2025年`,
/// `2025 年`, `2025年度`, `"2025"`, full-width `２０２５`, `二〇二五年` (digit by
/// digit, as years are written in Chinese). `None` for anything else.
fn year_in_text(s: &str) -> Option<u32> {
    let t = s.trim();
    let t = t
        .strip_suffix("年度")
        .or_else(|| t.strip_suffix('年'))
        .unwrap_or(t)
        .trim_end();
    let digits: Option<String> = t
        .chars()
        .map(|c| match c {
            '0'..='9' => Some(c),
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            _ => "〇一二三四五六七八九"
                .chars()
                .position(|d| d == c)
                .or_else(|| (c == '零' || c == 'Ｏ' || c == 'O' || c == 'o').then_some(0))
                .and_then(|d| char::from_digit(d as u32, 10)),
        })
        .collect();
    digits.filter(|d| d.len() == 4).and_then(|d| d.parse().ok())
}

/// `published`: a `YYYY-MM-DD` date.
fn parse_published(ctx: &mut Ctx, n: &Node) -> Option<NaiveDate> {
    let s = match &n.value {
        _ if n.tag().is_some() => return None,
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::BigInt(s) => s.clone(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.kind().to_string(),
    };
    match parse_date(&s) {
        Some(d) => Some(d),
        None => {
            ctx.error(Rule::R05, Some(n.pos()), "", &t!("check.meta.published", value = s));
            None
        }
    }
}

/// `level`: department when left out.
fn parse_level(ctx: &mut Ctx, map: &[(String, Node)]) -> Option<Level> {
    match get(map, "level") {
        None => Some(Level::Department),
        Some(n) => match &n.value {
            Value::Null => Some(Level::Department),
            Value::Str(s) if Level::from_key(s.trim()).is_some() => Level::from_key(s.trim()),
            other => {
                let found = match other {
                    Value::Str(s) => format!("`{s}`"),
                    o => o.kind().to_string(),
                };
                ctx.error(Rule::R05, Some(n.pos()), "", &t!("check.meta.level", found = found));
                None
            }
        },
    }
}

/// An optional text key (`region`, `title`): `None` when left out or null.
fn optional_text(ctx: &mut Ctx, map: &[(String, Node)], key: &str) -> Option<String> {
    get(map, key)
        .filter(|n| n.value != Value::Null)
        .and_then(|n| parse_string(ctx, n, key))
}

/// `draft`: false when left out; `None` (an error, reported) when not a bool.
fn parse_draft(ctx: &mut Ctx, map: &[(String, Node)]) -> Option<bool> {
    match get(map, "draft").map(|n| (&n.value, n)) {
        None | Some((Value::Null, _)) => Some(false),
        Some((Value::Bool(b), _)) => Some(*b),
        Some((other, n)) => {
            ctx.error(
                Rule::R05,
                Some(n.pos()),
                "",
                &t!("check.meta.draft", found = other.kind()),
            );
            None
        }
    }
}
