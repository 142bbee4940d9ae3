//! Number cells: counts, changes and amounts read from their YAML values
//! and bounded where they are read ([`MAX_COUNT`], [`MAX_AMOUNT`]); amounts
//! in units of 1/[`AMOUNT_SCALE`]; and the hints that say what to write
//! instead of a number written as text.

use super::text::tag_problem;
use super::{Ctx, AMOUNT_DECIMALS, AMOUNT_SCALE, MAX_AMOUNT, MAX_COUNT};
use crate::frontmatter::{Node, Value};
use crate::report::labels::FieldKind;
use crate::rules::Rule;

/// Replaces full-width digits and separators by their ASCII forms.
pub(super) fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '，' => ',',
            '．' => '.',
            '－' => '-',
            _ => c,
        })
        .collect()
}

/// Explains why a string is not a number, and what to write instead.
pub(super) fn string_number_hint(s: &str, raw: Option<&str>) -> String {
    let t = s.trim();
    let quoted = raw.is_some_and(|r| r.starts_with('"') || r.starts_with('\''));
    if t.contains('，') {
        return t!(
            "check.num.fullwidth_comma",
            text = t,
            fixed = ascii_digits(t).replace(',', ", ")
        )
        .into_owned();
    }
    if !quoted && t.len() > 1 && t.starts_with('0') && t.bytes().all(|b| b.is_ascii_digit()) {
        let v = t.trim_start_matches('0');
        return t!(
            "check.num.leading_zero",
            text = t,
            fixed = if v.is_empty() { "0" } else { v }
        )
        .into_owned();
    }
    let ascii = ascii_digits(t);
    let is_num = |x: &str| {
        !x.is_empty()
            && x.trim_start_matches('-')
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
    };
    if ascii != t && is_num(&ascii.replace(',', "")) {
        return t!("check.num.fullwidth", text = t, fixed = ascii.replace(',', "")).into_owned();
    }
    if t.contains(',') && is_num(&t.replace(',', "")) {
        return t!("check.num.thousands", text = t, fixed = t.replace(',', "")).into_owned();
    }
    if is_num(t) {
        return t!("check.num.quoted", text = t).into_owned();
    }
    if t.is_empty() {
        return t!("check.num.empty").into_owned();
    }
    t!("check.num.text", text = t).into_owned()
}

/// Parses one number cell of `kind`. Errors are reported under R05.
/// `context` names the cell; it is only formatted when there is an error.
/// Counts are at most [`MAX_COUNT`], changes at most that either way,
/// amounts less than [`MAX_AMOUNT`] with at most [`AMOUNT_DECIMALS`]
/// decimals (stored in units of 1/[`AMOUNT_SCALE`]).
pub(super) fn parse_cell(
    ctx: &mut Ctx,
    node: &Node,
    kind: FieldKind,
    context: impl FnOnce() -> String,
) -> Result<Option<i64>, ()> {
    if let Some((pos, message)) = tag_problem(node, "") {
        ctx.error(Rule::R05, Some(pos), &context(), &message);
        return Err(());
    }
    // Translated only for a message: this runs for every cell of every report.
    let what = || match kind {
        FieldKind::Count => t!("check.num.what_count"),
        FieldKind::Change => t!("check.num.what_change"),
        FieldKind::Amount => t!("check.num.what_amount"),
    };
    let negative = |found: &dyn std::fmt::Display| t!("check.num.negative", found = found, what = what()).into_owned();
    let takes = |found: &dyn std::fmt::Display| t!("check.num.takes", found = found, what = what()).into_owned();
    let too_large = |found: &dyn std::fmt::Display| too_large(kind, found);
    let detail = match &node.value {
        Value::Null => return Ok(None),
        Value::Int(i) => {
            if *i < 0 && kind != FieldKind::Change {
                negative(i)
            } else if kind == FieldKind::Amount {
                if *i < MAX_AMOUNT {
                    return Ok(Some(i * AMOUNT_SCALE));
                }
                too_large(i)
            } else if i.unsigned_abs() <= MAX_COUNT as u64 {
                return Ok(Some(*i));
            } else {
                too_large(i)
            }
        }
        Value::BigInt(s) if s.starts_with('-') && kind != FieldKind::Change => negative(s),
        Value::BigInt(s) => too_large(s),
        Value::Float(f) => {
            if f.is_nan() || f.is_infinite() {
                takes(f)
            } else if *f < 0.0 && kind != FieldKind::Change {
                negative(f)
            } else if kind == FieldKind::Amount {
                // The digits as written (a float has 15-17 significant
                // digits, an amount up to 19), unless in another form (1e3).
                let written = node
                    .raw
                    .as_deref()
                    .filter(|r| r.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
                let parsed = match written {
                    Some(w) => parse_amount(w),
                    None if *f >= MAX_AMOUNT as f64 => Err(too_large(f)),
                    None => parse_amount(&f.to_string()),
                };
                match parsed {
                    Ok(v) => return Ok(Some(v)),
                    Err(e) => e,
                }
            } else if f.abs() > MAX_COUNT as f64 {
                too_large(f)
            } else if f.fract() == 0.0 {
                t!("check.num.whole", found = f, fixed = *f as i64).into_owned()
            } else {
                t!("check.num.not_whole", found = f).into_owned()
            }
        }
        Value::Str(s) => string_number_hint(s, node.raw.as_deref()),
        other => takes(&other.kind()),
    };
    ctx.error(Rule::R05, Some(node.pos()), &context(), &detail);
    Err(())
}

/// Why `found` is refused as a number of `kind`: larger than any report can hold.
fn too_large(kind: FieldKind, found: &dyn std::fmt::Display) -> String {
    match kind {
        FieldKind::Count => t!("check.num.too_large_count", found = found, max = MAX_COUNT),
        FieldKind::Change => t!("check.num.too_large_change", found = found, max = MAX_COUNT),
        FieldKind::Amount => t!("check.num.too_large_amount", found = found, max = MAX_AMOUNT),
    }
    .into_owned()
}

/// Parses a non-negative decimal amount written like `4068.208` (万元) into
/// units of 1/[`AMOUNT_SCALE`]: at most [`AMOUNT_DECIMALS`] decimals, less
/// than [`MAX_AMOUNT`].
pub(super) fn parse_amount(s: &str) -> Result<i64, String> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if !frac.bytes().all(|b| b.is_ascii_digit()) || !int.bytes().all(|b| b.is_ascii_digit()) || int.is_empty() {
        return Err(t!("check.num.amount_plain", found = s).into_owned());
    }
    if frac.len() > AMOUNT_DECIMALS {
        return Err(t!(
            "check.num.amount_decimals",
            found = s,
            decimals = frac.len(),
            max = AMOUNT_DECIMALS,
            fixed = round_amount(s)
        )
        .into_owned());
    }
    let int: i64 = match int.trim_start_matches('0') {
        "" => 0,
        digits if digits.len() <= 13 => digits.parse().unwrap_or(i64::MAX),
        _ => i64::MAX,
    };
    if int >= MAX_AMOUNT {
        return Err(too_large(FieldKind::Amount, &s));
    }
    let frac: i64 = format!("{frac:0<6}").parse().unwrap_or(0);
    Ok(int * AMOUNT_SCALE + frac)
}

/// `s` rounded to [`AMOUNT_DECIMALS`] decimals, for a hint.
fn round_amount(s: &str) -> String {
    let f: f64 = s.parse().unwrap_or(0.0);
    let r = format!("{f:.6}");
    let r = r.trim_end_matches('0').trim_end_matches('.');
    r.to_string()
}

/// Formats an amount stored in units of 1/[`AMOUNT_SCALE`] with as few
/// decimals as needed.
pub fn format_amount(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let v = v.unsigned_abs();
    let scale = AMOUNT_SCALE.unsigned_abs();
    let (int, frac) = (v / scale, v % scale);
    if frac == 0 {
        format!("{sign}{int}")
    } else {
        let f = format!("{frac:06}");
        format!("{sign}{int}.{}", f.trim_end_matches('0'))
    }
}

/// In a one-line row that separates its numbers with `, `, a number written
/// with a thousands separator (`1,234`): YAML reads it as 1 and 234.
/// (A row written without spaces, `[1,234,5]`, is ambiguous and left alone.)
pub(super) fn thousands_in_row(raw: &str) -> Option<&str> {
    let b = raw.as_bytes();
    // A row needs a comma before a space (`, `) and one before a digit (the
    // separator of `1,234`), which nearly no row has: one look at the
    // pairs of bytes spares the search by numbers. (Bytes compared in
    // pairs: a searcher costs more to set up than a row of a report is long.)
    let (mut spaced, mut joined) = (false, false);
    for w in b.windows(2) {
        if w[0] == b',' {
            spaced |= w[1] == b' ';
            joined |= w[1].is_ascii_digit();
        }
    }
    if !(spaced && joined) {
        return None;
    }
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit()) {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let mut groups = 0;
            while b.get(i) == Some(&b',')
                && b.get(i + 1..i + 4).is_some_and(|g| g.iter().all(u8::is_ascii_digit))
                && !b.get(i + 4).is_some_and(u8::is_ascii_digit)
            {
                i += 4;
                groups += 1;
            }
            if groups > 0 && i - start - 4 * groups <= 3 {
                return Some(&raw[start..i]);
            }
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_to_six_decimals_and_bounded() {
        assert_eq!(parse_amount("4068.208"), Ok(4_068_208_000));
        assert_eq!(parse_amount("96171.6"), Ok(96_171_600_000));
        // 万元 to the 分.
        assert_eq!(parse_amount("1.234567"), Ok(1_234_567));
        assert_eq!(parse_amount("0.000001"), Ok(1));
        let e = parse_amount("1.2345678").unwrap_err();
        assert!(e.contains("7 decimals") && e.contains("write 1.234568"), "{e}");
        assert_eq!(parse_amount("999999999999.999999"), Ok(999_999_999_999_999_999));
        for s in ["1000000000000", "1000000000000.5", "99999999999999999999999999.1"] {
            assert!(parse_amount(s).unwrap_err().contains("less than 1000000000000"), "{s}");
        }
        for s in ["", ".5", "-1.5", "1e5", "NaN", "inf", "1.2.3", "+1"] {
            assert!(parse_amount(s).is_err(), "{s}");
        }
        assert_eq!(format_amount(4_068_208_000), "4068.208");
        assert_eq!(format_amount(1_234_567), "1.234567");
        assert_eq!(format_amount(AMOUNT_SCALE), "1");
        assert_eq!(format_amount(0), "0");
        assert_eq!(format_amount(-1), "-0.000001");
        assert_eq!(format_amount(i64::MIN), "-9223372036854.775808");
    }

    #[test]
    fn string_numbers_get_specific_hints() {
        assert!(string_number_hint("12", Some("\"12\"")).contains("without quotes: 12"));
        assert!(string_number_hint("１２", None).contains("full-width"));
        assert!(string_number_hint("1,234", None).contains("thousands separator"));
        assert!(string_number_hint("abc", None).contains("text \"abc\""));
        assert!(string_number_hint("03", Some("03")).contains("leading zero; write 3"));
        assert!(string_number_hint("5，1", None).contains("5, 1"));
    }

    #[test]
    fn thousands_separators_in_rows_are_found() {
        assert_eq!(thousands_in_row("[1,234, 0, 0]"), Some("1,234"));
        assert_eq!(thousands_in_row("[2, 12,500,000, 0]"), Some("12,500,000"));
        assert_eq!(thousands_in_row("[1, 234, 0]"), None);
        assert_eq!(thousands_in_row("[1,234,0]"), None);
        assert_eq!(thousands_in_row("[1,2345, 0]"), None);
    }
}
