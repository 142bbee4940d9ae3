//! Property tests of the balance checks: a generated balanced report passes
//! every check, and any single-cell change in table 三 or 四 is caught.

use chrono::NaiveDate;
use gongkai::diagnostics::Severity;
use gongkai::report::checks::check_report;
use gongkai::report::labels::RowKind;
use gongkai::report::{find_sections, Format, Item, Level, MetaPos, Report, Row, Tables};
use proptest::prelude::*;

const BODY: &str =
    "## 一、总体情况\n正文。\n## 五、存在的主要问题及改进情况\n正文。\n## 六、其他需要报告的事项\n无。\n";

/// Random but balanced table data: per-applicant-column values of the result
/// rows, the carried-forward row and the carried-over row; `new` is derived.
#[derive(Debug, Clone)]
struct Balanced {
    results: Vec<[i64; 6]>,
    forward: [i64; 6],
    over: [i64; 6],
    appeals: [[i64; 4]; 3],
    /// Whether each table-三 row (other than （七）) is written with its 总计.
    totals_given: Vec<bool>,
}

fn arb_six(max: i64) -> impl Strategy<Value = [i64; 6]> {
    prop::array::uniform6(0..=max)
}

fn arb_balanced() -> impl Strategy<Value = Balanced> {
    (
        prop::collection::vec(arb_six(9), 21),
        arb_six(5),
        arb_six(50),
        prop::array::uniform3(prop::array::uniform4(0i64..=4)),
        prop::collection::vec(any::<bool>(), 25),
    )
        .prop_map(|(results, forward, over, appeals, totals_given)| Balanced {
            results,
            forward,
            over,
            appeals,
            totals_given,
        })
}

fn row7(parts: [i64; 6], total_given: bool) -> Row<7> {
    let mut row = Row::omitted();
    for (i, v) in parts.iter().enumerate() {
        row.cells[i] = Some(*v);
    }
    row.cells[6] = Some(parts.iter().sum());
    row.total_given = total_given;
    row.pos = Some(gongkai::diagnostics::Pos::line(1));
    row
}

fn build(b: &Balanced) -> Report {
    let defs = Format::Gov2021.request_rows();
    let mut result_sum = [0i64; 6];
    for r in &b.results {
        for c in 0..6 {
            result_sum[c] += r[c];
        }
    }
    // new = results + forward − over, kept ≥ 0 by lowering `over` where needed.
    let mut over = b.over;
    let mut new = [0i64; 6];
    for c in 0..6 {
        over[c] = over[c].min(result_sum[c] + b.forward[c]);
        new[c] = result_sum[c] + b.forward[c] - over[c];
    }
    let mut results = b.results.iter();
    let requests: Vec<Row<7>> = defs
        .iter()
        .enumerate()
        .map(|(i, d)| match d.kind {
            RowKind::New => row7(new, b.totals_given[i]),
            RowKind::CarriedOver => row7(over, b.totals_given[i]),
            RowKind::Result => row7(*results.next().unwrap(), b.totals_given[i]),
            // （七）总计 is written with all 7 numbers, as published.
            RowKind::Total => row7(result_sum, true),
            RowKind::CarriedForward => row7(b.forward, b.totals_given[i]),
        })
        .collect();
    let appeals = b.appeals.map(|parts| {
        let mut row = Row::<5>::omitted();
        for (i, v) in parts.iter().enumerate() {
            row.cells[i] = Some(*v);
        }
        row.cells[4] = Some(parts.iter().sum());
        row.total_given = true;
        row
    });
    let proactive = Format::Gov2021
        .proactive_items()
        .iter()
        .map(|d| Item {
            cells: vec![Some(0); d.fields.len()],
            pos: None,
        })
        .collect();
    Report {
        path: "content/reports/p/2023.md".into(),
        format: Format::Gov2021,
        agency: "测试局".into(),
        agency_slug: "p".into(),
        year: 2023,
        published: NaiveDate::from_ymd_opt(2024, 1, 20).unwrap(),
        level: Level::Department,
        region: None,
        title: "t".into(),
        draft: false,
        tables: Some(Tables {
            proactive,
            requests,
            appeals,
            requests_pos: None,
            appeals_pos: None,
        }),
        body: BODY.into(),
        body_line: 5,
        sections: find_sections(BODY, 5),
        meta_pos: MetaPos::default(),
    }
}

/// Changes one cell as it is written in the file, and recomputes the 总计 of
/// a row whose 总计 was left off (as parsing would).
fn mutate(report: &mut Report, table4: bool, row: usize, col: usize, delta: i64) {
    let tables = report.tables.as_mut().unwrap();
    if table4 {
        let r = &mut tables.appeals[row % 3];
        let c = col % 5;
        r.cells[c] = Some(r.value(c) + delta);
    } else {
        let r = &mut tables.requests[row % 25];
        let cols = if r.total_given { 7 } else { 6 };
        let c = col % cols;
        r.cells[c] = Some(r.value(c) + delta);
        if !r.total_given {
            r.cells[6] = Some(r.parts_sum());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn balanced_reports_pass(b in arb_balanced()) {
        let diags = check_report(&build(&b));
        prop_assert!(diags.is_empty(), "{diags:#?}");
    }

    #[test]
    fn any_single_cell_change_is_caught(
        b in arb_balanced(),
        table4 in any::<bool>(),
        row in 0usize..25,
        col in 0usize..7,
        delta in 1i64..=5,
    ) {
        let mut report = build(&b);
        mutate(&mut report, table4, row, col, delta);
        let diags = check_report(&report);
        prop_assert!(
            diags.iter().any(|d| d.severity == Severity::Error && matches!(d.id.as_str(), "R01" | "R02" | "R03" | "R04")),
            "change not caught: table4={table4} row={row} col={col}"
        );
    }
}
