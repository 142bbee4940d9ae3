//! Unit tests of the token aligner.
use super::cells::*;
use super::tokens::*;
use super::*;

fn lines(text: &str) -> Vec<(usize, usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i, i + 1, l)).collect()
}

fn cells_of(text: &str) -> Vec<Tok> {
    tokens(&lines(text))
        .into_iter()
        .filter(|t| matches!(t.kind, Kind::Num(_) | Kind::Blank))
        .collect()
}

fn read(text: &str, n: usize, balance: bool) -> Result<Vec<CellText>, String> {
    let toks = cells_of(text);
    let cells = Cells {
        toks: toks.iter().collect(),
        before: None,
        after: None,
        unit: None,
    };
    let fits: &dyn Fn(&[CellText]) -> bool = &row_total_fits;
    read_cells(&cells, n, balance.then_some(fits)).map(|r| r.0)
}

fn some(v: &[&str]) -> Vec<CellText> {
    v.iter().map(|s| Some(s.to_string())).collect()
}

#[test]
fn tokens_tell_numbers_markers_and_blanks() {
    let t = tokens(&lines("1.属于国家秘密\t0\t-\t12.5\n00000002.其他 -3"));
    let kinds: Vec<&Kind> = t.iter().map(|t| &t.kind).collect();
    assert_eq!(
        kinds,
        [
            &Kind::Marker("1".into()),
            &Kind::Text("属于国家秘密".into()),
            &Kind::Num("0".into()),
            &Kind::Blank,
            &Kind::Num("12.5".into()),
            &Kind::Marker("00000002".into()),
            &Kind::Text("其他".into()),
            &Kind::Num("-3".into()),
        ]
    );
    assert_eq!(t[2].sep, Sep::Cell);
    assert_eq!(t[5].sep, Sep::Line);
    let t = tokens(&lines("合计 1,234 12,345,678 −2"));
    let nums: Vec<&Kind> = t.iter().skip(1).map(|t| &t.kind).collect();
    assert_eq!(
        nums,
        [
            &Kind::Num("1234".into()),
            &Kind::Num("12345678".into()),
            &Kind::Num("-2".into())
        ]
    );
}

#[test]
fn the_plain_reading_is_taken_as_printed_even_when_it_does_not_balance() {
    // Published numbers that do not add up stay as published.
    assert_eq!(
        read("1 2 3 4 5 6 99", 7, true).unwrap(),
        some(&["1", "2", "3", "4", "5", "6", "99"])
    );
}

#[test]
fn a_number_broken_over_two_lines_is_joined_by_the_row_total() {
    let r = read("1\n62\n0\n0\n0\n0\n0\n162", 7, true).unwrap();
    assert_eq!(r, some(&["162", "0", "0", "0", "0", "0", "162"]));
    // Two joinings fit: refused.
    let e = read("1\n1\n1\n0\n0\n0\n0\n0\n12", 7, true).unwrap_err();
    assert!(e.contains("more than one way") || e.contains("no joining"), "{e}");
    // Without a balance (table 二), never guessed.
    assert!(read("1\n62\n3", 2, false).is_err());
}

#[test]
fn a_number_broken_under_its_own_column_is_joined_to_it() {
    // Laid out with spaces: 162's last digit on the next line, under it.
    let r = read("  16    0    3    0    0    0  165\n   2", 7, true).unwrap();
    assert_eq!(r, some(&["162", "0", "3", "0", "0", "0", "165"]));
}

#[test]
fn digits_run_together_are_cut_only_when_one_cut_fits() {
    assert_eq!(read("0000000", 7, true).unwrap(), some(&["0"; 7]));
    // 10 cannot start with 0, and the total must be the sum: one way.
    assert_eq!(
        read("100000010", 7, true).unwrap(),
        some(&["10", "0", "0", "0", "0", "0", "10"])
    );
    // Several cuts fit the total: refused, naming the digits.
    let e = read("77132470", 3, false).unwrap_err();
    assert!(e.contains("77132470") && e.contains("more than one way"), "{e}");
    // Too few digits: blank cells cannot be told.
    assert!(read("000000", 7, true).unwrap_err().contains("blank cells"));
    // A huge run is refused without trying every cut.
    let long = "1".repeat(200);
    assert!(read(&long, 7, true).unwrap_err().contains("too many ways"));
}

#[test]
fn blank_cells_told_by_blank_lines_when_cells_stand_one_a_line() {
    // A browser's text of a web table: a blank line between cells, one
    // more for each blank cell (lynx -dump).
    let text = "一、本年新收\n\n821\n\n35\n\n\n\n2\n\n1\n\n859\n\n二、上年结转\n\n18\n\n\n\n\n\n\n\n18\n\n三、本年度";
    let toks = tokens(&lines(text));
    let mut scratch = Vec::new();
    let mut cells = cells_between(&toks, 1, 6, None, &mut scratch);
    assert_eq!(cells.toks.len(), 5);
    // Without a unit learnt from the table: refused.
    assert!(blanks_by_lines(&cells, 7).is_none());
    cells.unit = Some(2);
    let r = blanks_by_lines(&cells, 7).unwrap();
    let want: Vec<CellText> = [Some("821"), Some("35"), None, None, Some("2"), Some("1"), Some("859")]
        .iter()
        .map(|c| c.map(str::to_string))
        .collect();
    assert_eq!(r, want);
    // A gap that does not account for exactly 7 cells: refused.
    assert!(blanks_by_lines(&cells, 8).is_none());
}

#[test]
fn spaces_that_are_not_all_cell_boundaries() {
    // A printed 02 says the spaces are not all boundaries: the printed ones
    // stay, the digits are cut the one way the totals allow.
    assert_eq!(
        read("20 0 0 0 02", 7, true).unwrap(),
        some(&["2", "0", "0", "0", "0", "0", "2"])
    );
    // Without a leading zero, fewer numbers than cells stay refused.
    assert!(read("20 0 0 0 2", 7, true).is_err());
    // Cut more than one way: refused.
    assert!(read("123 04", 4, false).unwrap_err().contains("more than one way"));
    // A printed 01 must be cut after its 0: one way.
    assert_eq!(read("10 01", 3, false).unwrap(), some(&["10", "0", "1"]));
}

#[test]
fn too_few_numbers_are_refused() {
    let e = read("1 2 3 6", 7, true).unwrap_err();
    assert!(e.contains("4 numbers for 7 columns"), "{e}");
}

#[test]
fn a_sentence_naming_a_row_above_the_table_is_passed_over() {
    let text = "全年本年新收申请3件。\n申请人情况\n一、本年新收政府信息公开申请数量\n1\n0\n0\n0\n0\n0\n1\n二、上年结转政府信息公开申请数量\n0\n0\n0\n0\n0\n0\n0";
    let toks = tokens(&lines(text));
    let labels = Labels::new(&toks);
    let first = labels.find(0, &["本年新收"]).unwrap();
    let second = labels.find(first.0 + 4, &["上年结转"]).unwrap();
    let mut anchors = vec![first, second];
    labels.tighten(&mut anchors, &[&["本年新收"], &["上年结转"]]);
    assert_eq!(toks[anchors[0].1].line, 3);
}

#[test]
fn table_four_after_a_sentence_that_names_it() {
    let text = "本年度行政复议0件，2023年无诉讼。\n行政复议\n行政诉讼\n结果维持\n结果纠正\n其他结果\n尚未审结\n总计\n未经复议直接起诉\n复议后起诉\n结果维持\n结果纠正\n其他结果\n尚未审结\n总计\n结果维持\n结果纠正\n其他结果\n尚未审结\n总计\n1\n0\n0\n0\n1\n0\n0\n0\n0\n0\n0\n0\n0\n0\n0";
    let r = table4(&lines(text)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        r.numbers.appeals[0],
        [
            Some("1".to_string()),
            Some("0".into()),
            Some("0".into()),
            Some("0".into()),
            Some("1".into())
        ]
    );
}

#[test]
fn hostile_tables_cost_linear_time() {
    // 200,000 times 行政复议 and no header word: at most 16 are tried.
    let text = "行政复议 1\n".repeat(200_000);
    let t = std::time::Instant::now();
    let _ = table4(&lines(&text));
    // A row of a million numbers: refused without trying to join them.
    let row = format!("一、本年新收\n{}", "1\n".repeat(1_000_000));
    let e = read(&row[row.find('\n').unwrap() + 1..], 7, true).unwrap_err();
    assert!(
        e.contains("1000000 numbers") && e.len() < 300,
        "{}",
        &e[..e.len().min(300)]
    );
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
}
