//! Parsing whole reports: the valid fixture with one value changed.

use super::numbers::parse_cell;
use super::text::slugify;
use super::*;
use crate::report::labels::FieldKind;

const VALID: &str = include_str!("../../../tests/fixtures/valid/content/reports/ceshi/2023.md");

/// The valid fixture report with `from` replaced by `to`, parsed.
fn parse_with(from: &str, to: &str) -> (Option<Report>, Vec<Diagnostic>) {
    assert!(VALID.contains(from), "{from}");
    let text = VALID.replacen(from, to, 1);
    let split = crate::frontmatter::split(&text).unwrap();
    let root = crate::frontmatter::parse(split.yaml, split.yaml_line).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    parse_report("r.md", &root, split.body.to_string(), split.body_line, today)
}

/// The one diagnostic of a parse: (id, line, column, message).
fn one(from: &str, to: &str) -> (&'static str, usize, Option<usize>, String) {
    let (_, d) = parse_with(from, to);
    assert_eq!(d.len(), 1, "{d:#?}");
    (
        d[0].id.as_str(),
        d[0].line.unwrap_or(0),
        d[0].column,
        d[0].message.clone(),
    )
}

#[test]
fn counts_are_bounded_where_they_are_written() {
    let (r, d) = parse_with("licensing: 12", "licensing: 100000000");
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(r.unwrap().tables.unwrap().proactive[2].cells[0], Some(MAX_COUNT));
    for (written, shown) in [
        ("100000001", "100000001"),
        ("9223372036854775807", "9223372036854775807"),
        ("99999999999999999999", "99999999999999999999"),
        ("1e20", "100000000000000000000"),
    ] {
        let (id, line, column, message) = one("licensing: 12", &format!("licensing: {written}"));
        assert_eq!((id, line, column), ("R05", 11, Some(14)), "{message}");
        assert!(
            message.contains(&format!("found {shown}, more than any report can count")),
            "{message}"
        );
        assert!(message.contains("at most 100000000"), "{message}");
    }
    let (id, _, _, message) = one("licensing: 12", "licensing: -99999999999999999999");
    assert_eq!(id, "R05");
    assert!(message.contains("cannot be negative"), "{message}");
    // In a row, at the cell: two huge cells that wrapped to a total of 0.
    let (r, d) = parse_with(
        "granted:      [2, 1, 0, 0, 1, 0, 4]",
        "granted:      [9223372036854775807, 9223372036854775807, 2, 0, 0, 0, 0]",
    );
    let at: Vec<_> = d.iter().map(|d| (d.id.as_str(), d.line, d.column)).collect();
    assert_eq!(at, [("R05", Some(18), Some(18)), ("R05", Some(18), Some(39))]);
    assert!(r.unwrap().tables.is_none());
}

#[test]
fn changes_and_amounts_are_bounded() {
    let node = |v: Value| Node {
        value: v,
        loc: crate::frontmatter::Loc {
            line: 5,
            column: 7,
            key_column: 3,
        },
        raw: None,
    };
    let mut ctx = Ctx::new("r.md");
    let cell = |ctx: &mut Ctx, v: Value, kind| parse_cell(ctx, &node(v), kind, String::new);
    assert_eq!(
        cell(&mut ctx, Value::Int(-MAX_COUNT), FieldKind::Change),
        Ok(Some(-MAX_COUNT))
    );
    assert_eq!(cell(&mut ctx, Value::Int(-MAX_COUNT - 1), FieldKind::Change), Err(()));
    assert_eq!(cell(&mut ctx, Value::Int(i64::MIN), FieldKind::Change), Err(()));
    assert_eq!(
        cell(
            &mut ctx,
            Value::BigInt("-99999999999999999999".into()),
            FieldKind::Change
        ),
        Err(())
    );
    assert_eq!(
        cell(&mut ctx, Value::Int(MAX_AMOUNT - 1), FieldKind::Amount),
        Ok(Some((MAX_AMOUNT - 1) * AMOUNT_SCALE))
    );
    assert_eq!(cell(&mut ctx, Value::Int(MAX_AMOUNT), FieldKind::Amount), Err(()));
    assert_eq!(
        cell(&mut ctx, Value::Float(999_999_999.5), FieldKind::Amount),
        Ok(Some(999_999_999_500_000))
    );
    assert_eq!(cell(&mut ctx, Value::Float(1e12), FieldKind::Amount), Err(()));
    assert_eq!(cell(&mut ctx, Value::Float(f64::INFINITY), FieldKind::Amount), Err(()));
    assert_eq!(cell(&mut ctx, Value::Float(f64::NAN), FieldKind::Count), Err(()));
    assert_eq!(cell(&mut ctx, Value::Float(-0.5), FieldKind::Amount), Err(()));
    assert!(ctx
        .diags
        .iter()
        .all(|d| d.id == Rule::R05 && d.line == Some(5) && d.column == Some(7)));
    assert_eq!(ctx.diags.len(), 8);
    // Six decimals, to the 分, from the file.
    let (r, d) = parse_with("fees: 0.5", "fees: 4068.208123");
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(r.unwrap().tables.unwrap().proactive[5].cells[0], Some(4_068_208_123));
    // Exact beyond the digits of a float, as written.
    let (r, d) = parse_with("fees: 0.5", "fees: 999999999999.999999");
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(
        r.unwrap().tables.unwrap().proactive[5].cells[0],
        Some(999_999_999_999_999_999)
    );
    let (r, _) = parse_with("fees: 0.5", "fees: 1.5e3");
    assert_eq!(
        r.unwrap().tables.unwrap().proactive[5].cells[0],
        Some(1500 * AMOUNT_SCALE)
    );
}

#[test]
fn tagged_values_are_refused_like_quoted_numbers() {
    let (id, line, column, message) = one("penalty: 3", "penalty: !!int \"3\"");
    assert_eq!((id, line, column), ("R05", 12, Some(12)));
    assert!(
        message.contains("`!!int \"3\"`") && message.contains("without quotes or tags: 3"),
        "{message}"
    );
    let (r, _) = parse_with("penalty: 3", "penalty: !!int \"3\"");
    assert!(
        r.unwrap().tables.is_none(),
        "a table with a tagged number is not balance-checked"
    );
    let (_, line, column, message) = one("[2, 1, 0, 0, 1, 0, 4]", "[!!int \"2\", 1, 0, 0, 1, 0, 4]");
    assert_eq!((line, column), (18, Some(18)));
    assert!(message.contains("without quotes or tags: 2"), "{message}");
    let (id, line, _, message) = one("agency: 测试县测试局", "agency: !!binary 5rWL6K+V");
    assert_eq!((id, line), ("R05", 3));
    assert!(
        message.contains("`agency`: found `!!binary 5rWL6K+V`") && message.contains("without the tag"),
        "{message}"
    );
    assert!(parse_with("agency: 测试县测试局", "agency: !!binary 5rWL6K+V")
        .0
        .is_none());
    let (id, line, _, _) = one("coercion: 1", "coercion: !custom 1");
    assert_eq!((id, line), ("R05", 13));
}

#[test]
fn control_characters_in_text_are_refused_at_their_column() {
    // Written as they are (YAML reads a bidi override): at the character.
    let (id, line, column, message) = one("agency: 测试县测试局", "agency: 测试县\u{202e}测试局");
    assert_eq!((id, line, column), ("R05", 3, Some(12)));
    assert!(
        message.contains("`agency` contains the character U+202E (right-to-left override)"),
        "{message}"
    );
    // Written as an escape: at the value.
    let (id, line, column, message) = one("agency: 测试县测试局", "agency: \"测试县\\e[31m测试局\"");
    assert_eq!((id, line, column), ("R05", 3, Some(9)));
    assert!(message.contains("U+001B (escape)"), "{message}");
    for (text, name) in [
        ("\"a\\0b\"", "U+0000 (null)"),
        ("\"a\\ab\"", "U+0007 (bell)"),
        ("\"a\\x85b\"", "U+0085"),
        ("a\u{2066}b", "U+2066 (left-to-right isolate)"),
        ("\"a\\uFFFEb\"", "U+FFFE (a noncharacter)"),
    ] {
        let (id, line, _, message) = one("level: department", &format!("level: department\ntitle: {text}"));
        assert_eq!((id, line), ("R05", 8), "{text}");
        assert!(
            message.contains(&format!("`title` contains the character {name}")),
            "{message}"
        );
        let (id, _, _, _) = one("level: department", &format!("level: department\nregion: {text}"));
        assert_eq!(id, "R05");
    }
    // A right-to-left mark is text, not an override.
    let (r, d) = parse_with("level: department", "level: department\ntitle: 报告\u{200f}");
    assert!(d.is_empty() && r.is_some(), "{d:#?}");
}

#[test]
fn long_slugs_and_values_are_shown_as_text() {
    let long = "a".repeat(300);
    let (id, line, _, message) = one("agency_slug: ceshi", &format!("agency_slug: {long}"));
    assert_eq!((id, line), ("R06", 4));
    assert!(
        message.contains("300 characters long; a slug is at most 64"),
        "{message}"
    );
    assert!(valid_slug(&"a".repeat(64)) && !valid_slug(&"a".repeat(65)));
    // A bad slug's suggestion is never itself too long.
    let (_, _, _, message) = one("agency_slug: ceshi", &format!("agency_slug: {}", "A".repeat(100)));
    assert!(message.contains(&format!("`{}`", "a".repeat(64))), "{message}");
    // Values are named as written, never as Rust's Debug text (`Int(2024)`).
    let (id, line, _, message) = one("published: 2024-01-15", "published: 2024");
    assert_eq!((id, line), ("R05", 6));
    assert!(message.starts_with("`published: 2024` is not a date"), "{message}");
    let (_, _, _, message) = one("published: 2024-01-15", "published: [1, 2]");
    assert!(message.starts_with("`published: a list` is not a date"), "{message}");
}

#[test]
fn slugs() {
    assert!(valid_slug("zhong-ren2"));
    assert!(!valid_slug("Zhong Ren"));
    assert_eq!(slugify("Zhong Ren_Town"), "zhong-ren-town");
}

/// A year written as text gets advice about years (write the bare number),
/// not the advice for a table's blank cell.
#[test]
fn a_year_written_as_text_is_told_to_be_a_bare_number() {
    for (written, year) in [
        ("2023年", "2023"),
        ("2023 年", "2023"),
        ("2023年度", "2023"),
        ("\"2023\"", "2023"),
        ("'２０２３'", "2023"),
        ("二〇二三年", "2023"),
        ("二零二三", "2023"),
    ] {
        let (id, line, _, message) = one("year: 2023", &format!("year: {written}"));
        assert_eq!((id, line), ("R05", 5), "{written}: {message}");
        assert!(
            message.contains(&format!("write the year as a bare number: `year: {year}`")),
            "{written}: {message}"
        );
        assert!(!message.contains("blank cell"), "{message}");
    }
    let (_, _, _, message) = one("year: 2023", "year: 去年");
    assert!(
        message.contains("found the text \"去年\"; write the reporting year as a bare number, e.g. `year: 2023`"),
        "{message}"
    );
    assert!(!message.contains("blank cell"), "{message}");
}
