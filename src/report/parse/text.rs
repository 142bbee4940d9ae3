//! Text values: characters no text may hold ([`bad_control`]), values
//! written with a YAML tag, strings, slugs and dates.

use chrono::NaiveDate;

use super::{Ctx, MAX_SLUG};
use crate::diagnostics::{bad_control, char_name, Pos};
use crate::frontmatter::{Node, Value};
use crate::rules::Rule;

/// Where `s`, the text of `node`, holds a character no text may hold, and
/// what to say about it: at the character's own column when the value is
/// written as it is on its line, else at the value.
pub(super) fn control_problem(node: &Node, s: &str, key: &str) -> Option<(Pos, String)> {
    let (_, c) = bad_control(s)?;
    let column = node
        .raw
        .as_deref()
        .and_then(|raw| raw.chars().position(|x| x == c))
        .map_or(node.loc.column, |i| node.loc.column + i);
    let message = t!("check.text.bad_char", key = key, char = char_name(c)).into_owned();
    Some((Pos::at(node.loc.line, column), message))
}

/// What to say about a value written with a YAML tag (`!!int "5"`,
/// `!!binary …`): content files take plain values.
pub(super) fn tag_problem(node: &Node, key: &str) -> Option<(Pos, String)> {
    let tag = node.tag()?;
    let raw = node.raw.as_deref().unwrap_or(tag);
    let plain = match &node.value {
        Value::Int(i) => Some(i.to_string()),
        Value::BigInt(s) => Some(s.clone()),
        Value::Float(f) => Some(f.to_string()),
        Value::Str(s) if !s.is_empty() && s.trim().parse::<f64>().is_ok() => Some(s.trim().to_string()),
        _ => None,
    };
    let place = if key.is_empty() {
        String::new()
    } else {
        format!("`{key}`: ")
    };
    let message = match plain {
        Some(n) => t!("check.text.tag_number", place = place, raw = raw, tag = tag, fixed = n),
        None => t!("check.text.tag", place = place, raw = raw, tag = tag),
    }
    .into_owned();
    Some((node.pos(), message))
}

/// Why the text value `node` of `key` (a title, an agency name…) cannot be
/// taken, if it cannot: it is written with a YAML tag, or it holds a
/// character no text may hold ([`bad_control`]), which is then named
/// (`U+001B (escape)`) and placed at its own column where it can be. For
/// any text of any content file (ordinary pages use it for `title`).
pub fn text_problem(node: &Node, key: &str) -> Option<(Pos, String)> {
    if let Some(p) = tag_problem(node, key) {
        return Some(p);
    }
    match &node.value {
        Value::Str(s) => control_problem(node, s, key),
        _ => None,
    }
}

/// R05 for every value under `node` written with a YAML tag; true if there
/// was one. (In the tables, each number, row and block refuses its own tag,
/// with the cell's labels.)
pub(super) fn refuse_tags(ctx: &mut Ctx, node: &Node, key: &str) -> bool {
    let mut found = false;
    if let Some((pos, message)) = tag_problem(node, key) {
        ctx.error(Rule::R05, Some(pos), "", &message);
        found = true;
    }
    match &node.value {
        Value::Map(entries) => {
            for (k, child) in entries {
                found |= refuse_tags(ctx, child, k);
            }
        }
        Value::Seq(items) => {
            for item in items {
                found |= refuse_tags(ctx, item, key);
            }
        }
        _ => {}
    }
    found
}

/// Reads a string value; R05 when it is of another kind or holds a
/// character no text may hold.
pub(super) fn parse_string(ctx: &mut Ctx, node: &Node, key: &str) -> Option<String> {
    if node.tag().is_some() {
        // Reported once for the whole front matter, by `refuse_tags`.
        return None;
    }
    match &node.value {
        Value::Str(s) => match control_problem(node, s, key) {
            Some((pos, message)) => {
                ctx.error(Rule::R05, Some(pos), "", &message);
                None
            }
            None => Some(s.trim().to_string()),
        },
        Value::Int(i) => Some(i.to_string()),
        other => {
            ctx.error(
                Rule::R05,
                Some(node.pos()),
                "",
                &t!("check.text.takes_text", key = key, found = other.kind()),
            );
            None
        }
    }
}

/// A slug suggestion for a value that is not `[a-z0-9-]+`.
pub(super) fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if (c == ' ' || c == '_' || c == '-') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Whether `s` can be an `agency_slug`: `[a-z0-9-]+`, at most [`MAX_SLUG`]
/// characters (it names folders of the output).
pub fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SLUG
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}
