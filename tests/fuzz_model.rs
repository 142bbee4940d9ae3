//! Fuzz harnesses of the report model (see `tests/common/fuzz.rs`).
//!
//! - `fuzz_front_matter`: bytes as a content file, down the path
//!   `content::load` takes for each file (decode, split the fences, parse the
//!   YAML, parse a report), and the diagnostics rendered for a terminal and
//!   as JSON.
//! - `fuzz_report_checks`: mutated valid report files, parsed, then every
//!   check of one report, the checks across two years of one agency, and the
//!   portal's aggregates and key figures.
//!
//! Besides not panicking (a debug build panics on integer overflow: run
//! them once without `--release` too) or hanging, every input keeps the
//! promises of the report model:
//!
//! - every number of a parsed report is within the bounds of R05, so every
//!   sum of them is exact, and an aggregate of non-negative counts is never
//!   negative;
//! - no text of a parsed report holds a character `bad_control` refuses, and
//!   the slug is valid;
//! - every diagnostic points at a line of the file;
//! - the terminal rendering holds no unprintable character but its own line
//!   breaks, and the JSON rendering none at all.
//!
//! Run: `GONGKAI_FUZZ_SECS=120 cargo test --release --test fuzz_model -- --ignored --nocapture`.

use chrono::NaiveDate;
use gongkai::diagnostics::{render_human, render_json, Diagnostic, Rule, SourceLookup};
use gongkai::frontmatter::{self, Value};
use gongkai::portal::{aggregate, outcomes, KeyFigures};
use gongkai::report::labels::FieldKind;
use gongkai::report::parse::{self, bad_control, valid_slug, MAX_AMOUNT, MAX_COUNT};
use gongkai::report::{checks, similarity, Report};

mod common;
use common::fuzz;

const DICT: &[&[u8]] = &[
    b"---\n",
    b"format: gov-2021\n",
    b"format: gov-2019\n",
    b"format: freeform\n",
    b"agency_slug: ",
    b"year: 2023\n",
    b"published: 2024-01-15\n",
    b"!!int \"5\"",
    b"!!binary aGVsbG8=",
    b"!x ",
    b"&a ",
    b"*a",
    b"{a: 1, a: 2}",
    b"[1, 2, 3, 4, 5, 6, 7]",
    b"100000001",
    b"1000000000000",
    b"999999999999.999999",
    b"0.0000001",
    b".nan",
    b"-.inf",
    b"0x7fffffffffffffff",
    b"~",
    b"\"\\e[31m\"",
    b"\"\\u202e\"",
    b"\xe2\x80\xa8",
    b"\xc2\x85",
    b"\xc2\x9b",
    b"\xef\xbf\xbe",
    b"  ",
    b"- ",
    b": ",
    b"|\n  ",
    b"# line 99999999999999999999 column 1\n",
];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).expect("a date")
}

/// The lines of one file, for the human rendering's snippets.
struct Lines<'a>(Vec<&'a str>);

impl SourceLookup for Lines<'_> {
    fn line_text(&self, _: &str, line: usize) -> Option<&str> {
        self.0.get(line.checked_sub(1)?).copied()
    }
}

/// Decodes, splits and parses `bytes` as `content::load` does for one file:
/// the report, if it is one and parses, the diagnostics and the text.
fn load(bytes: &[u8]) -> (Option<Report>, Vec<Diagnostic>, String) {
    let file = "content/reports/x/2023.md";
    let text = match gongkai::content::decode(bytes.to_vec()) {
        Ok(t) => t,
        Err((pos, message)) => {
            return (
                None,
                vec![Diagnostic::new(Rule::F01, file, Some(pos), "", &message)],
                String::from_utf8_lossy(bytes).into_owned(),
            )
        }
    };
    let split = match frontmatter::split(&text) {
        Ok(s) => s,
        Err(e) => {
            return (
                None,
                vec![Diagnostic::new(Rule::F02, file, None, "", &e.message())],
                text,
            )
        }
    };
    let root = match frontmatter::parse(split.yaml, split.yaml_line) {
        Ok(root) => root,
        Err(e) => {
            let pos = gongkai::diagnostics::Pos::at(e.line, e.column.unwrap_or(0));
            return (
                None,
                vec![Diagnostic::new(Rule::F03, file, Some(pos), "", &e.message)],
                text,
            );
        }
    };
    let Value::Map(map) = &root.value else {
        return (None, Vec::new(), text);
    };
    if !map.iter().any(|(k, _)| k == "format") {
        // An ordinary page: its title is judged by the same rule.
        if let Some((_, node)) = map.iter().find(|(k, _)| k == "title") {
            let _ = parse::text_problem(node, "title");
        }
        return (None, Vec::new(), text);
    }
    let (body_line, body) = (split.body_line, split.body.to_string());
    let (report, diags) = parse::parse_report(file, &root, body, body_line, today());
    (report, diags, text)
}

/// The promises about a parsed report.
fn assert_report(r: &Report) {
    assert!(valid_slug(&r.agency_slug), "slug {:?}", r.agency_slug);
    for text in [Some(&r.agency), Some(&r.title), r.region.as_ref()]
        .into_iter()
        .flatten()
    {
        assert_eq!(bad_control(text), None, "text {text:?}");
    }
    let Some(t) = &r.tables else { return };
    let count = |v: i64| (0..=MAX_COUNT).contains(&v);
    for row in &t.requests {
        // A computed 总计 (six parts) and a computed （七）总计 (21 rows) are
        // sums of bounded numbers.
        for c in 0..7 {
            assert!(row.value(c) >= 0 && row.value(c) <= 21 * 6 * MAX_COUNT, "{row:?}");
        }
        for c in 0..6 {
            assert!(count(row.value(c)), "{row:?}");
        }
    }
    for row in &t.appeals {
        for c in 0..4 {
            assert!(count(row.value(c)), "{row:?}");
        }
    }
    for (def, item) in r.format.proactive_items().iter().zip(&t.proactive) {
        for (f, cell) in def.fields.iter().zip(&item.cells) {
            let v = cell.unwrap_or(0);
            let ok = match f.kind {
                FieldKind::Count => count(v),
                FieldKind::Change => v.abs() <= MAX_COUNT,
                FieldKind::Amount => (0..MAX_AMOUNT * parse::AMOUNT_SCALE).contains(&v),
            };
            assert!(ok, "{} {}: {v}", def.key, f.key);
        }
    }
}

/// The promises about the diagnostics of one file and their renderings.
fn assert_diagnostics(diags: &[Diagnostic], text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    for d in diags {
        if let Some(line) = d.line {
            assert!(
                line >= 1 && line <= lines.len().max(1),
                "{d:?} in a file of {} lines",
                lines.len()
            );
        }
    }
    let human = render_human(diags, false, &Lines(lines));
    let raw =
        |c: char| c.is_control() || ('\u{2028}'..='\u{202e}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c);
    assert!(!human.chars().any(|c| c != '\n' && raw(c)), "{human:?}");
    let json = render_json(diags, false);
    assert!(!json.chars().any(|c| c != '\n' && raw(c)), "{json:?}");
    let back: serde_json::Value = serde_json::from_str(&json).expect("the JSON output parses");
    assert_eq!(back.as_array().map(Vec::len), Some(diags.len()));
}

#[test]
#[ignore]
fn fuzz_front_matter() {
    fuzz::run("front-matter", Vec::new(), DICT, |bytes| {
        let (report, diags, text) = load(bytes);
        if let Some(r) = &report {
            assert_report(r);
        }
        assert_diagnostics(&diags, &text);
    });
}

#[test]
#[ignore]
fn fuzz_report_checks() {
    fuzz::run("report-checks", Vec::new(), DICT, |bytes| {
        let (Some(cur), diags, text) = load(bytes) else {
            return;
        };
        assert_report(&cur);
        let mut all = diags;
        all.extend(checks::check_report(&cur));
        // The same agency's previous year: the same report a year earlier,
        // so R08 and R11 compare it with itself shifted.
        let mut prev = cur.clone();
        prev.year -= 1;
        prev.path = "content/reports/x/2022.md".to_string();
        let reports = [prev, cur];
        let prints: Vec<_> = reports.iter().map(|r| similarity::fingerprint(&r.body)).collect();
        for d in checks::check_across(&reports, &prints).into_values() {
            all.extend(d);
        }
        assert_diagnostics(&all, &text);
        // Aggregates over the two, and over many copies: counts never
        // negative (nothing wrapped), key figures as large as one row.
        let many: Vec<&Report> = std::iter::repeat_n(&reports[1], 1000).chain([&reports[0]]).collect();
        for agg in [aggregate(reports.iter()), aggregate(many.iter().copied())]
            .into_iter()
            .flatten()
        {
            for row in &agg.tables.requests {
                assert!((0..7).all(|c| row.value(c) >= 0), "{row:?}");
            }
            for row in &agg.tables.appeals {
                assert!((0..5).all(|c| row.value(c) >= 0), "{row:?}");
            }
        }
        if let Some(t) = &reports[1].tables {
            let k = KeyFigures::of(reports[1].format, t);
            assert!(k.new >= 0 && k.handled >= 0 && k.granted >= 0 && k.review >= 0 && k.litigation >= 0);
            assert!(outcomes(reports[1].format, t).iter().all(|&v| v >= 0));
        }
    });
}

/// The corpus stays real-shaped: its reports parse and check without errors
/// (but the `crash-*` inputs the fuzzer found, kept as regressions).
#[test]
fn the_corpus_reports_are_valid() {
    for name in ["front-matter", "report-checks"] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fuzz-corpus")
            .join(name);
        for entry in std::fs::read_dir(&dir).expect("the corpus folder") {
            let path = entry.expect("an entry").path();
            if path
                .file_name()
                .and_then(|n| n.to_str())
                // `crash-*`: inputs the fuzzer found, kept as regressions (not valid reports).
                .is_some_and(|n| n == "flow-and-tags.md" || n == "page.md" || n.starts_with("crash-"))
            {
                continue;
            }
            let bytes = std::fs::read(&path).expect("a corpus file");
            let (report, diags, _) = load(&bytes);
            let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.id != Rule::R10).collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
            let r = report.unwrap_or_else(|| panic!("{} is a report", path.display()));
            assert!(
                checks::check_report(&r).iter().all(|d| d.id == Rule::R10),
                "{}",
                path.display()
            );
        }
    }
}
