//! Real published annual reports through `gongkai import`, every cell
//! compared (issue 12).
//!
//! `tests/fixtures/import-real/<name>/` holds one published report in the
//! form it was archived in (`source.pdf`, `source.html`, `source.txt`, ...,
//! bytes untouched) and `expected.yaml`: its metadata and tables as printed,
//! transcribed and checked by hand (never by running the importer), in the
//! content-file keys of docs/report-format.md section 3. Its first line names
//! where the source comes from and the shape tags it is counted under. Most
//! sources are originals (a PDF, a page's HTML, a crawler's saved text); those
//! tagged `derived` are the text a user gets from an original with a common
//! tool (`pdftotext -layout`, a text browser's dump, ...), named on that line,
//! with the original's cells.
//!
//! Each source is imported as a user would, `gongkai import SOURCE --out DIR
//! --agency-slug x` (with `--published 2000-01-01` when the source prints no
//! date: `published: null`), and the written front matter is compared with
//! `expected.yaml`. The rules:
//!
//! 1. An imported report with any cell or metadata field unlike the expected
//!    one fails the test, and the message lists every differing cell: a silent
//!    wrong number is the worst outcome.
//! 2. A refusal (non-zero exit, nothing written) is accepted when its message
//!    names a table row or what was found; a fixture with `refuse:` (a text or
//!    a list of texts, one of which the message must contain) is one whose
//!    printed text cannot decide a cell, and must be refused.
//! 3. The number of reports imported cell-exact may not drop below
//!    [`MIN_FULLY_RIGHT`], a ratchet raised as the importer improves.
//!
//! A per-shape summary is printed on stderr (`cargo test --test import_real
//! -- --nocapture`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use gongkai::report::labels;
use serde_yaml::Value;

mod common;
use common::import::front_matter;

/// Reports the importer brings in cell-exact today: 15 of the 25 at commit
/// b0b6183 (of the other 10, nine are `refuse:` fixtures, refused naming
/// their row as they must be, and one a Lynx dump refused for its blank
/// cells); 26 of 50 with twenty-five more real Pingtan reports: eight
/// freeform (county 2011 and 2013, the zone 2011 to 2016); eight that must
/// be refused naming their undecidable row (国资局 2019, 公安局 2019,
/// 行政审批局 2020, 2022, 2024, 2025, 经济发展局 2021, 2025); and nine imported
/// cell-exact (公安局 2021, 2022 and 2024, 经济发展局 2020 and 2023, 财政金融局
/// 2020, 2021, 2023 and 2024: spaces that are not all cell boundaries, a
/// table-四 heading worded otherwise on a one-line page, units in the
/// 政府集中采购 cells). The only refusal left of a decidable report is the
/// derived lynx dump of the Shanghai page (blank cells a browser gave no
/// line). Raise it as the importer improves (the test fails when fewer come
/// out right).
const MIN_FULLY_RIGHT: usize = 32;

/// Fixtures the importer of today imports with wrong cells. Rule 1 holds for
/// every other fixture; a fixture listed here that stops being wrong must be
/// taken off the list (the test fails until it is), so the list only shrinks.
const KNOWN_WRONG: &[&str] = &[];

/// The date given with `--published` for a source that prints none.
const NO_DATE: &str = "2000-01-01";

/// A source larger than this is no fixture (the corpus stays small).
const MAX_SOURCE_BYTES: u64 = 2 * 1024 * 1024;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import-real")
}

/// One fixture folder: its source file and its parsed `expected.yaml`.
struct Fixture {
    name: String,
    source: PathBuf,
    expected: Value,
    shapes: Vec<String>,
}

fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("tests/fixtures/import-real exists")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().expect("a name").to_string_lossy().into_owned();
        let sources: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("a fixture folder")
            .map(|e| e.expect("an entry").path())
            .filter(|p| p.file_stem().is_some_and(|s| s == "source"))
            .collect();
        assert_eq!(sources.len(), 1, "{name}: exactly one source.* file");
        let text =
            std::fs::read_to_string(dir.join("expected.yaml")).unwrap_or_else(|e| panic!("{name}/expected.yaml: {e}"));
        let first = text.lines().next().unwrap_or("");
        assert!(
            first.starts_with("# source: "),
            "{name}/expected.yaml: the first line names the source"
        );
        let shapes = first
            .split_once("shape:")
            .map(|(_, s)| {
                s.split(',')
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let expected: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}/expected.yaml: {e}"));
        out.push(Fixture {
            name,
            source: sources[0].clone(),
            expected,
            shapes,
        });
    }
    out
}

/// A cell's value, numbers compared as numbers (`7545` and `7545.0` are one
/// value, `null` is not `0`).
#[derive(Clone, Debug, PartialEq)]
enum Cell {
    Null,
    Num(f64),
    Text(String),
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Null => write!(f, "null"),
            Cell::Num(n) => write!(f, "{n}"),
            Cell::Text(s) => write!(f, "{s:?}"),
        }
    }
}

fn cell(v: &Value) -> Cell {
    match v {
        Value::Null => Cell::Null,
        Value::Number(n) => n.as_f64().map(Cell::Num).unwrap_or_else(|| Cell::Text(n.to_string())),
        Value::String(s) => Cell::Text(s.clone()),
        Value::Bool(b) => Cell::Text(b.to_string()),
        other => Cell::Text(format!("{other:?}")),
    }
}

/// Every number cell under `proactive`, `requests` and `appeals`, by path
/// (`requests.denied.state_secret[2]`).
fn flatten_tables(root: &Value) -> BTreeMap<String, Cell> {
    fn walk(prefix: &str, v: &Value, out: &mut BTreeMap<String, Cell>) {
        match v {
            Value::Mapping(m) => {
                for (k, v) in m {
                    let k = k.as_str().unwrap_or("?");
                    walk(&format!("{prefix}.{k}"), v, out);
                }
            }
            Value::Sequence(s) => {
                for (i, v) in s.iter().enumerate() {
                    out.insert(format!("{prefix}[{i}]"), cell(v));
                }
            }
            other => {
                out.insert(prefix.to_string(), cell(other));
            }
        }
    }
    let mut out = BTreeMap::new();
    for table in ["proactive", "requests", "appeals"] {
        if let Some(v) = root.get(table) {
            walk(table, v, &mut out);
        }
    }
    out
}

/// A cell path in words: the table, the row and the column by their
/// official labels.
fn describe(path: &str) -> String {
    let (row, col) = match path.rsplit_once('[') {
        Some((row, rest)) => (row, rest.trim_end_matches(']').parse::<usize>().ok()),
        None => (path, None),
    };
    let (table, row) = row.split_once('.').unwrap_or((row, ""));
    let column = match (table, col) {
        ("requests", Some(c)) => labels::REQUEST_COLUMNS.get(c).map(|s| s.to_string()),
        ("appeals", Some(c)) => labels::APPEAL_COLUMNS.get(c).map(|s| s.to_string()),
        (_, Some(c)) => Some(format!("#{c}")),
        _ => None,
    };
    let table = match table {
        "proactive" => "二",
        "requests" => "三",
        "appeals" => "四",
        t => t,
    };
    match (column, col) {
        (Some(name), Some(c)) => format!("table {table}, row {row}, column {c} ({name})"),
        _ => format!("table {table}, {row}"),
    }
}

/// Whether a refusal says why in terms a user can act on: a table or row by
/// its official label, or what was (not) found.
fn names_row_or_found(msg: &str) -> bool {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let msg = squeeze(msg);
    let strip = |label: &str| {
        // `1.属于国家秘密` → `属于国家秘密`, `（一）予以公开` → `予以公开`
        let l = label.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
        let l = l.split_once('）').map(|(_, r)| r).unwrap_or(l);
        let l = l.split_once('、').map(|(_, r)| r).unwrap_or(l);
        squeeze(l)
    };
    let rows = labels::REQUEST_ROWS_2021
        .iter()
        .chain(labels::REQUEST_ROWS_2019.iter())
        .map(|r| strip(r.label));
    let items = labels::PROACTIVE_2021
        .iter()
        .chain(labels::PROACTIVE_2019.iter())
        .map(|i| squeeze(i.label));
    let other = [
        labels::TABLE_2,
        labels::TABLE_3,
        labels::TABLE_4,
        "行政复议",
        "行政诉讼",
        "第二十条",
        // what was (not) found in the source
        "found",
        "not read",
        "cannot",
        "has no",
        "is not",
        "--agency",
        "--year",
        "--published",
    ]
    .map(squeeze);
    rows.chain(items)
        .chain(other)
        .any(|l| l.chars().count() >= 2 && msg.contains(&l))
}

/// What came of one fixture.
enum Outcome {
    /// Imported, with the cells compared and those that differ.
    Imported {
        cells: usize,
        right: usize,
        diffs: Vec<String>,
    },
    /// Refused with this message (first error line); `cells` is the
    /// number of cells the fixture expects (none of them came out).
    Refused {
        message: String,
        acceptable: bool,
        cells: usize,
    },
}

struct Run {
    name: String,
    /// The source's extension (`pdf`, `html`, `txt`, …).
    ext: String,
    shapes: Vec<String>,
    refuse: Vec<String>,
    outcome: Outcome,
}

fn run(fx: &Fixture) -> Run {
    let exp = &fx.expected;
    let refuse: Vec<String> = match exp.get("refuse") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Sequence(s)) => s.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    };
    let published_null = matches!(exp.get("published"), Some(Value::Null));
    let extra: &[&str] = if published_null { &["--published", NO_DATE] } else { &[] };
    let run = common::import::import_out(&fx.source, extra, Duration::from_secs(120));
    let stderr = run.stderr;
    let outcome = if run.code == Some(0) && run.written.len() == 1 {
        compare(exp, &run.written[0], published_null)
    } else {
        assert!(
            run.written.is_empty(),
            "{}: the import failed ({:?}) but wrote {} files",
            fx.name,
            run.code,
            run.written.len()
        );
        let message = stderr
            .lines()
            .find(|l| l.starts_with("error"))
            .or_else(|| stderr.lines().find(|l| !l.trim().is_empty()))
            .unwrap_or("(no message)")
            .to_string();
        let acceptable = if refuse.is_empty() {
            names_row_or_found(&stderr)
        } else {
            refuse.iter().any(|r| stderr.contains(r.as_str()))
        };
        let cells = 4 + flatten_tables(exp).len();
        Outcome::Refused {
            message,
            acceptable,
            cells,
        }
    };
    Run {
        name: fx.name.clone(),
        ext: fx
            .source
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default(),
        shapes: fx.shapes.clone(),
        refuse,
        outcome,
    }
}

fn compare(exp: &Value, written: &str, published_null: bool) -> Outcome {
    let Some(got) = front_matter(written) else {
        return Outcome::Imported {
            cells: 1,
            right: 0,
            diffs: vec![format!("the written file has no readable front matter:\n{written}")],
        };
    };
    let mut diffs = Vec::new();
    let mut cells = 0;
    let mut right = 0;
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Null) | None => "null".to_string(),
        Some(other) => format!("{other:?}"),
    };
    for key in ["agency", "year", "published", "format"] {
        let want = if key == "published" && published_null {
            NO_DATE.to_string()
        } else {
            text(exp.get(key))
        };
        let have = text(got.get(key));
        cells += 1;
        if want == have {
            right += 1;
        } else {
            diffs.push(format!("{key}: expected {want}, got {have}"));
        }
    }
    let want = flatten_tables(exp);
    let have = flatten_tables(&got);
    for (path, w) in &want {
        cells += 1;
        match have.get(path) {
            Some(h) if h == w => right += 1,
            Some(h) => diffs.push(format!("{}: expected {w}, got {h}", describe(path))),
            None => diffs.push(format!("{}: expected {w}, got nothing", describe(path))),
        }
    }
    for (path, h) in &have {
        if !want.contains_key(path) {
            diffs.push(format!("{}: not in the report, got {h}", describe(path)));
        }
    }
    Outcome::Imported { cells, right, diffs }
}

#[derive(Default)]
struct Tally {
    reports: usize,
    /// Imported with every cell as expected.
    fully_right: usize,
    /// `refuse:` fixtures refused naming one of their rows.
    refused_as_expected: usize,
    /// Other refusals (acceptable or not).
    refused: usize,
    /// Imported with a cell unlike the published one, or imported though
    /// the text cannot decide a cell.
    wrong: usize,
    cells: usize,
    cells_right: usize,
}

impl Tally {
    fn add(&mut self, r: &Run) {
        self.reports += 1;
        match &r.outcome {
            Outcome::Imported { cells, right, diffs } => {
                self.cells += cells;
                self.cells_right += right;
                if diffs.is_empty() && r.refuse.is_empty() {
                    self.fully_right += 1;
                } else {
                    self.wrong += 1;
                }
            }
            Outcome::Refused { acceptable, cells, .. } => {
                if r.refuse.is_empty() {
                    self.refused += 1;
                    self.cells += cells;
                } else if *acceptable {
                    self.refused_as_expected += 1;
                } else {
                    self.refused += 1;
                }
            }
        }
    }
}

#[test]
fn real_reports_import_cell_exact_or_are_refused() {
    let fixtures = fixtures();
    assert!(!fixtures.is_empty(), "the corpus is empty");
    let runs: Vec<Run> = fixtures.iter().map(run).collect();

    let mut total = Tally::default();
    let mut by_shape: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut listed_but_right = Vec::new();
    for r in &runs {
        total.add(r);
        by_shape.entry(format!("source .{}", r.ext)).or_default().add(r);
        for s in &r.shapes {
            by_shape.entry(s.clone()).or_default().add(r);
        }
        let known = KNOWN_WRONG.contains(&r.name.as_str());
        match &r.outcome {
            Outcome::Imported { diffs, .. } if !r.refuse.is_empty() => failures.push(format!(
                "{}: imported, but its printed text cannot decide a cell; it must be refused naming one of {:?}{}",
                r.name,
                r.refuse,
                if diffs.is_empty() {
                    String::new()
                } else {
                    format!("\n    {}", diffs.join("\n    "))
                }
            )),
            Outcome::Imported { diffs, .. } if !diffs.is_empty() && !known => failures.push(format!(
                "{}: imported with {} cell(s) unlike the published report:\n    {}",
                r.name,
                diffs.len(),
                diffs.join("\n    ")
            )),
            Outcome::Imported { diffs, .. } if diffs.is_empty() && known => listed_but_right.push(r.name.clone()),
            Outcome::Refused {
                message,
                acceptable: false,
                ..
            } if !r.refuse.is_empty() => failures.push(format!(
                "{}: refused, but the message names none of {:?}: {message}",
                r.name, r.refuse
            )),
            Outcome::Refused {
                message,
                acceptable: false,
                ..
            } => failures.push(format!(
                "{}: refused without naming a table row or what was found: {message}",
                r.name
            )),
            _ => {}
        }
    }

    eprintln!("\nimport-real: {} reports", runs.len());
    for r in &runs {
        match &r.outcome {
            Outcome::Imported { cells, right, diffs } => {
                let state = if diffs.is_empty() && r.refuse.is_empty() {
                    "right"
                } else if r.refuse.is_empty() {
                    "WRONG"
                } else {
                    "NOT REFUSED"
                };
                eprintln!("  {:<44} {state:<11} {right}/{cells} cells", r.name);
                if KNOWN_WRONG.contains(&r.name.as_str()) {
                    for d in diffs {
                        eprintln!("      {d}");
                    }
                }
            }
            Outcome::Refused { message, .. } => {
                let short: String = message.chars().take(160).collect();
                eprintln!("  {:<44} refused     {short}", r.name);
            }
        }
    }
    eprintln!(
        "\n  {:<44} {:>7} {:>7} {:>10} {:>7} {:>5} {:>13}",
        "shape", "reports", "exact", "refused ok", "refused", "wrong", "cells right"
    );
    let line = |name: &str, t: &Tally| {
        eprintln!(
            "  {:<44} {:>7} {:>7} {:>10} {:>7} {:>5} {:>6}/{:<6}",
            name, t.reports, t.fully_right, t.refused_as_expected, t.refused, t.wrong, t.cells_right, t.cells
        )
    };
    for (shape, t) in &by_shape {
        line(shape, t);
    }
    line("all", &total);

    assert!(
        failures.is_empty(),
        "{} fixture(s) fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        listed_but_right.is_empty(),
        "now imported cell-exact: take {listed_but_right:?} off KNOWN_WRONG"
    );
    assert!(
        total.fully_right >= MIN_FULLY_RIGHT,
        "{} report(s) imported cell-exact, fewer than MIN_FULLY_RIGHT = {MIN_FULLY_RIGHT}",
        total.fully_right
    );
}

/// The corpus itself: ASCII folder names, one small source each, an
/// `expected.yaml` with the metadata and either tables, `refuse:` or the
/// freeform format.
#[test]
fn the_corpus_is_well_formed() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() >= 25,
        "at least 25 real reports, found {}",
        fixtures.len()
    );
    for fx in &fixtures {
        let n = &fx.name;
        assert!(
            n.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{n}: folder names are ascii"
        );
        let size = std::fs::metadata(&fx.source).expect("the source").len();
        assert!(size <= MAX_SOURCE_BYTES, "{n}: source of {size} bytes");
        assert!(!fx.shapes.is_empty(), "{n}: the first line names its shape tags");
        for key in ["agency", "year", "published", "format"] {
            assert!(fx.expected.get(key).is_some(), "{n}: expected.yaml has no `{key}`");
        }
        let format = fx.expected.get("format").and_then(Value::as_str).unwrap_or("");
        assert!(
            ["gov-2021", "gov-2019", "freeform"].contains(&format),
            "{n}: format {format}"
        );
        let refuse = fx.expected.get("refuse").is_some();
        let tables = ["proactive", "requests", "appeals"].map(|t| fx.expected.get(t).is_some());
        if format == "freeform" {
            assert!(tables.iter().all(|t| !t), "{n}: a freeform report has no tables");
        } else if !refuse {
            assert!(tables.iter().all(|t| *t), "{n}: all three tables, or refuse:");
        }
    }
}
