//! The text shapes real published reports come in (issue 12), each the same
//! report: `tests/fixtures/import-shapes/`, written by `make_shapes.py` there.
//! Every cell must come out as published, or the table be refused with the
//! row named; never a wrong number.

use std::path::{Path, PathBuf};

use gongkai::import::{self, Imported, Options};
use gongkai::report::Format;

fn shape(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import-shapes")
        .join(name)
}

fn import(name: &str) -> Result<Imported, String> {
    let text = import::read_source(&shape(name)).unwrap_or_else(|e| panic!("{e}"));
    import::import_text(&text, &Options::default())
}

/// Table 三 of the fixtures: result row r, column c holds (r+1)*100 +
/// (c+1)*7 but the rows in `zero_rows`; totals and balance follow (the
/// rule of tests/fixtures/import/make_fixtures.py).
fn table3(results: usize, zero_rows: &[usize]) -> Vec<[Option<String>; 7]> {
    let res: Vec<[i64; 6]> = (0..results)
        .map(|r| {
            std::array::from_fn(|c| {
                if zero_rows.contains(&r) {
                    0
                } else {
                    (r as i64 + 1) * 100 + (c as i64 + 1) * 7
                }
            })
        })
        .collect();
    let full = |row: [i64; 6]| -> [Option<String>; 7] {
        let sum: i64 = row.iter().sum();
        std::array::from_fn(|c| Some(if c < 6 { row[c] } else { sum }.to_string()))
    };
    let tot: [i64; 6] = std::array::from_fn(|c| res.iter().map(|r| r[c]).sum());
    let cf = [3, 6, 9, 12, 15, 18];
    let co = [5, 10, 20, 25, 30, 35];
    let new: [i64; 6] = std::array::from_fn(|c| tot[c] + cf[c] - co[c]);
    let mut out = vec![full(new), full(co)];
    out.extend(res.into_iter().map(full));
    out.push(full(tot));
    out.push(full(cf));
    out
}

fn cells(v: &[&str]) -> Vec<Option<String>> {
    v.iter().map(|s| Some(s.to_string())).collect()
}

fn proactive(fees: &str) -> Vec<Vec<Option<String>>> {
    vec![
        cells(&["41", "42", "43"]),
        cells(&["44", "45", "46"]),
        cells(&["47"]),
        cells(&["48"]),
        cells(&["49"]),
        cells(&[fees]),
    ]
}

fn appeals() -> [[Option<String>; 5]; 3] {
    [[51, 52, 53, 54, 210], [55, 56, 57, 58, 226], [59, 60, 61, 62, 242]].map(|r| r.map(|v| Some(v.to_string())))
}

/// Asserts every cell and names each that differs.
fn assert_numbers(name: &str, imp: &Imported, t2: &[Vec<Option<String>>], t3: &[[Option<String>; 7]]) {
    assert_eq!(imp.format, Format::Gov2021, "{name}");
    assert_eq!(imp.agency.as_deref(), Some("示例县交通运输局"), "{name}");
    assert_eq!(imp.year, 2023, "{name}");
    let n = imp.numbers.as_ref().expect("tables");
    let mut wrong = Vec::new();
    for (k, (got, want)) in n.proactive.iter().zip(t2).enumerate() {
        if got != want {
            wrong.push(format!("二 item {k}: got {got:?}, want {want:?}"));
        }
    }
    let defs = Format::Gov2021.request_rows();
    for (def, (got, want)) in defs.iter().zip(n.requests.iter().zip(t3)) {
        for c in 0..7 {
            if got[c] != want[c] {
                wrong.push(format!(
                    "三 {} col {c}: got {:?}, want {:?}",
                    def.path(),
                    got[c],
                    want[c]
                ));
            }
        }
    }
    if n.appeals != appeals() {
        wrong.push(format!("四: got {:?}", n.appeals));
    }
    assert!(wrong.is_empty(), "{name}:\n{}", wrong.join("\n"));
}

fn assert_standard(name: &str) -> Imported {
    let imp = import(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_numbers(name, &imp, &proactive("12.5"), &table3(21, &[]));
    imp
}

#[test]
fn markdown_pipe_tables_under_hash_headings() {
    assert_standard("markdown-pipes.md");
}

#[test]
fn one_cell_per_line_with_crlf() {
    assert_standard("cell-per-line-crlf.txt");
}

#[test]
fn labels_and_header_words_split_over_lines() {
    assert_standard("split-lines.txt");
}

#[test]
fn numbers_split_across_lines_are_joined_by_the_row_totals() {
    assert_standard("split-numbers.txt");
}

#[test]
fn other_handling_as_one_row_of_zeros_gives_zero_sub_rows() {
    let imp = import("other-single-row.txt").unwrap_or_else(|e| panic!("{e}"));
    assert_numbers(
        "other-single-row.txt",
        &imp,
        &proactive("12.5"),
        &table3(21, &[18, 19, 20]),
    );
    assert!(
        imp.warnings.iter().any(|w| w.contains("其他处理")),
        "{:?}",
        imp.warnings
    );
}

#[test]
fn other_handling_as_one_row_with_numbers_is_refused_naming_the_row() {
    let e = import("other-single-row-nonzero.txt").expect_err("the sub-rows cannot be told");
    assert!(e.contains("其他处理"), "{e}");
}

#[test]
fn section_titles_listed_in_the_introduction_and_a_heading_on_two_lines() {
    let imp = assert_standard("intro-sections.txt");
    assert!(imp.body.contains("## 六、其他需要报告的事项"), "{}", imp.body);
    assert!(imp.body.contains("本年度未收取信息处理费。"), "{}", imp.body);
    // The list in the introduction is not taken for the sections.
    assert!(imp.body.contains("本报告由以下六部分组成"), "{}", imp.body);
    assert!(imp.body.contains("本年度主动公开政府信息三百余条"), "{}", imp.body);
}

#[test]
fn one_line_without_separators_is_read_when_every_cell_is_one_digit() {
    let imp = import("one-line-zeros.txt").unwrap_or_else(|e| panic!("{e}"));
    let zeros: Vec<Vec<Option<String>>> = Format::Gov2021
        .proactive_items()
        .iter()
        .map(|d| vec![Some("0".to_string()); d.fields.len()])
        .collect();
    let n = imp.numbers.as_ref().expect("tables");
    assert_eq!(n.proactive, zeros);
    assert!(n.requests.iter().all(|r| r.iter().all(|c| c.as_deref() == Some("0"))));
    assert!(n.appeals.iter().flatten().all(|c| c.as_deref() == Some("0")));
}

#[test]
fn one_line_with_numbers_run_together_is_refused_naming_the_row() {
    let e = import("one-line-glued.txt").expect_err("cells run together cannot be told apart");
    assert!(
        e.contains("规章") || e.contains("本年新收") || e.contains("行政"),
        "{e}"
    );
}

#[test]
fn fees_to_six_decimals() {
    let imp = import("fees-six-decimals.txt").unwrap_or_else(|e| panic!("{e}"));
    assert_numbers(
        "fees-six-decimals.txt",
        &imp,
        &proactive("4068.208376"),
        &table3(21, &[]),
    );
}
