//! Integration tests of `gongkai build`, through the library API.
//!
//! Each test builds a small fixture site (`tests/fixtures/build-*/`) into a
//! temporary folder and inspects the output, parsing HTML with `scraper` and
//! XML with a small well-formedness checker ([`xml`]). Expected numbers are
//! read from the fixtures' YAML with the crate's front-matter parser; the
//! expected labels of the tables are written out here from
//! docs/report-format.md, so a label or a header association that drifts from
//! the official format fails here.
//!
//! - `build-numbers`: one gov-2021 report whose every cell holds a distinct
//!   number (two published blanks, one in table 三 and one in 四).
//! - `build-aggregate`: three 2023 reports of different agencies, plus a 2023
//!   draft and a 2022 report that must not enter the 2023 sums.
//! - `build-links`: two agencies over two years, a draft, ordinary pages
//!   (`guide.md`, nested `a/b.md`) and a PDF asset linked from a report.
//! - `build-override`: the site's own `templates/page.html` and `static/style.css`.
//! - `build-xss`, `build-raw-html`: script in an agency name and in narratives;
//!   `build-xss/content/note.md` has `javascript:` Markdown links and no raw
//!   HTML (so the sanitizer, which only runs when raw HTML is met, is not
//!   what removes them).
//!
//! The command-line behaviour (exit codes, terminal output, a failed build
//! leaving the output alone, template errors) is tested in `build_cli.rs`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use gongkai::build::{BuildOptions, Summary};
use gongkai::frontmatter::{self, Node, Value};
use scraper::{ElementRef, Html, Selector};

mod common;
use common::{files, fixture};

// ---------------------------------------------------------------------------
// Fixtures and builds

/// A finished build in a temporary folder (removed on drop).
struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
    summary: Summary,
}

impl Built {
    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }
}

/// Builds the site at `root` into a fresh temporary folder.
fn build_site(root: &Path, base_url: Option<&str>) -> Built {
    build_site_with(
        root,
        BuildOptions {
            base_url: base_url.map(str::to_string),
            ..BuildOptions::default()
        },
    )
}

/// Builds the site at `root` with `opts` (its output replaced by a fresh
/// temporary folder).
fn build_site_with(root: &Path, opts: BuildOptions) -> Built {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("public");
    let opts = BuildOptions {
        output: Some(out.clone()),
        ..opts
    };
    let outcome = gongkai::build::build(root, &opts, false, &|_, _| {})
        .unwrap_or_else(|e| panic!("{}: the build failed: {e}", root.display()));
    let Some(summary) = outcome.summary else {
        panic!(
            "{}: content errors stopped the build:\n{}",
            root.display(),
            outcome.site.render_diagnostics(false)
        );
    };
    assert_eq!(summary.output, out);
    Built {
        _dir: dir,
        out,
        summary,
    }
}

fn build(name: &str, base_url: Option<&str>) -> Built {
    build_site(&fixture(name), base_url)
}

/// The parsed front matter of a content file.
fn front_matter(path: &Path) -> Node {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let split = frontmatter::split(&text).unwrap_or_else(|e| panic!("{}: {}", path.display(), e.message()));
    frontmatter::parse(split.yaml, split.yaml_line).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

/// The node at a dotted `path` of a mapping.
fn at<'a>(node: &'a Node, path: &str) -> &'a Node {
    let mut n = node;
    for key in path.split('.') {
        let Value::Map(entries) = &n.value else {
            panic!("{path}: `{key}` is looked up in {}", n.value.kind())
        };
        n = entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("{path}: no key `{key}`"));
    }
    n
}

fn opt<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match &node.value {
        Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

fn row(node: &Node) -> &[Node] {
    match &node.value {
        Value::Seq(items) => items,
        other => panic!("line {}: a row is {}", node.loc.line, other.kind()),
    }
}

/// A number cell as the page should show it: blank for `null`.
fn shown(node: &Node) -> String {
    match &node.value {
        Value::Null => String::new(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format!("{f}"),
        other => panic!("line {}: a number cell is {}", node.loc.line, other.kind()),
    }
}

/// A number in ten-thousandths (amounts have at most 4 decimals); blank is 0.
fn units(node: &Node) -> i64 {
    match &node.value {
        Value::Null => 0,
        Value::Int(i) => i * 10_000,
        Value::Float(f) => (f * 10_000.0).round() as i64,
        other => panic!("line {}: a number cell is {}", node.loc.line, other.kind()),
    }
}

/// A page's decimal number (`12.5`) in ten-thousandths.
fn text_units(text: &str) -> i64 {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    assert!(frac.len() <= 4, "{text}: more than 4 decimals");
    let int: i64 = int.parse().unwrap_or_else(|_| panic!("`{text}` is not a number"));
    let frac: i64 = format!("{frac:0<4}")
        .parse()
        .unwrap_or_else(|_| panic!("`{text}` is not a number"));
    int * 10_000 + frac
}

// ---------------------------------------------------------------------------
// The official tables, as docs/report-format.md section 1 prints them

/// Table 二: (content-file key, row label, block header, [(field key, column label)]).
type T2Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const DOCS: &[(&str, &str)] = &[
    ("issued", "本年制发件数"),
    ("repealed", "本年废止件数"),
    ("in_force", "现行有效件数"),
];
const DECISIONS: &[(&str, &str)] = &[("", "本年处理决定数量")];
const FEES: &[(&str, &str)] = &[("", "本年收费金额（单位：万元）")];

const TABLE2: [T2Row; 6] = [
    ("rules", "规章", "第二十条第（一）项", DOCS),
    ("normative_docs", "行政规范性文件", "第二十条第（一）项", DOCS),
    ("licensing", "行政许可", "第二十条第（五）项", DECISIONS),
    ("penalty", "行政处罚", "第二十条第（六）项", DECISIONS),
    ("coercion", "行政强制", "第二十条第（六）项", DECISIONS),
    ("fees", "行政事业性收费", "第二十条第（八）项", FEES),
];

const RESULTS: &str = "三、本年度办理结果";

/// Table 三's rows: (key under `requests`, the row's headers from the outside in).
const TABLE3_ROWS: [(&str, &[&str]); 25] = [
    ("new", &["一、本年新收政府信息公开申请数量"]),
    ("carried_over", &["二、上年结转政府信息公开申请数量"]),
    ("granted", &[RESULTS, "（一）予以公开"]),
    (
        "partial",
        &[RESULTS, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"],
    ),
    ("denied.state_secret", &[RESULTS, "（三）不予公开", "1.属于国家秘密"]),
    (
        "denied.law_prohibited",
        &[RESULTS, "（三）不予公开", "2.其他法律行政法规禁止公开"],
    ),
    (
        "denied.security_stability",
        &[RESULTS, "（三）不予公开", "3.危及“三安全一稳定”"],
    ),
    (
        "denied.third_party",
        &[RESULTS, "（三）不予公开", "4.保护第三方合法权益"],
    ),
    (
        "denied.internal_affairs",
        &[RESULTS, "（三）不予公开", "5.属于三类内部事务信息"],
    ),
    (
        "denied.deliberative",
        &[RESULTS, "（三）不予公开", "6.属于四类过程性信息"],
    ),
    (
        "denied.enforcement_case",
        &[RESULTS, "（三）不予公开", "7.属于行政执法案卷"],
    ),
    (
        "denied.query_matter",
        &[RESULTS, "（三）不予公开", "8.属于行政查询事项"],
    ),
    (
        "unavailable.not_held",
        &[RESULTS, "（四）无法提供", "1.本机关不掌握相关政府信息"],
    ),
    (
        "unavailable.needs_creation",
        &[RESULTS, "（四）无法提供", "2.没有现成信息需要另行制作"],
    ),
    (
        "unavailable.unclear",
        &[RESULTS, "（四）无法提供", "3.补正后申请内容仍不明确"],
    ),
    (
        "not_processed.complaint",
        &[RESULTS, "（五）不予处理", "1.信访举报投诉类申请"],
    ),
    ("not_processed.duplicate", &[RESULTS, "（五）不予处理", "2.重复申请"]),
    (
        "not_processed.publication",
        &[RESULTS, "（五）不予处理", "3.要求提供公开出版物"],
    ),
    (
        "not_processed.excessive",
        &[RESULTS, "（五）不予处理", "4.无正当理由大量反复申请"],
    ),
    (
        "not_processed.confirmation",
        &[RESULTS, "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"],
    ),
    (
        "other.no_correction",
        &[
            RESULTS,
            "（六）其他处理",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ],
    ),
    (
        "other.unpaid_fee",
        &[
            RESULTS,
            "（六）其他处理",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ],
    ),
    ("other.other", &[RESULTS, "（六）其他处理", "3.其他"]),
    ("total", &[RESULTS, "（七）总计"]),
    ("carried_forward", &["四、结转下年度继续办理"]),
];

/// Table 三's columns, by their headers from the top down.
const TABLE3_COLUMNS: [&[&str]; 7] = [
    &["申请人情况", "自然人"],
    &["申请人情况", "法人或其他组织", "商业企业"],
    &["申请人情况", "法人或其他组织", "科研机构"],
    &["申请人情况", "法人或其他组织", "社会公益组织"],
    &["申请人情况", "法人或其他组织", "法律服务机构"],
    &["申请人情况", "法人或其他组织", "其他"],
    &["申请人情况", "总计"],
];

/// Table 四's three blocks: (key under `appeals`, headers from the top down).
const TABLE4_BLOCKS: [(&str, &[&str]); 3] = [
    ("review", &["行政复议"]),
    ("litigation_direct", &["行政诉讼", "未经复议直接起诉"]),
    ("litigation_after_review", &["行政诉讼", "复议后起诉"]),
];
const TABLE4_COLUMNS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

/// One expected cell: the full set of its headers' texts, and the YAML value.
struct Expected<'a> {
    headers: BTreeSet<String>,
    value: &'a Node,
}

fn set(parts: &[&[&str]]) -> BTreeSet<String> {
    parts.iter().flat_map(|p| p.iter().map(|s| s.to_string())).collect()
}

/// Every cell of tables 二, 三 and 四 of a gov-2021 report, with its value.
fn expected_cells(fm: &Node) -> [Vec<Expected<'_>>; 3] {
    let mut t2 = Vec::new();
    for (key, label, block, fields) in TABLE2 {
        let item = at(fm, &format!("proactive.{key}"));
        for (field, column) in fields {
            let value = if field.is_empty() { item } else { at(item, field) };
            t2.push(Expected {
                headers: set(&[&[block, column, label]]),
                value,
            });
        }
    }
    let mut t3 = Vec::new();
    for (key, row_headers) in TABLE3_ROWS {
        let cells = row(at(fm, &format!("requests.{key}")));
        assert_eq!(cells.len(), 7, "requests.{key}: the fixtures give all 7 numbers");
        for (cell, col_headers) in cells.iter().zip(TABLE3_COLUMNS) {
            t3.push(Expected {
                headers: set(&[row_headers, col_headers]),
                value: cell,
            });
        }
    }
    let mut t4 = Vec::new();
    for (key, block) in TABLE4_BLOCKS {
        let cells = row(at(fm, &format!("appeals.{key}")));
        assert_eq!(cells.len(), 5, "appeals.{key}: the fixtures give all 5 numbers");
        for (cell, column) in cells.iter().zip(TABLE4_COLUMNS) {
            t4.push(Expected {
                headers: set(&[block, &[column]]),
                value: cell,
            });
        }
    }
    [t2, t3, t4]
}

// ---------------------------------------------------------------------------
// Reading tables

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("selector {s}: {e:?}"))
}

fn text(el: ElementRef) -> String {
    el.text()
        .collect::<Vec<_>>()
        .join("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn table<'a>(doc: &'a Html, id: &str) -> ElementRef<'a> {
    let selector = sel(&format!("table[id=\"{id}\"]"));
    let found: Vec<ElementRef> = doc.select(&selector).collect();
    assert_eq!(found.len(), 1, "tables with id {id}");
    found[0]
}

use common::html_table::DataCell;

/// The number cells of `table` (every `td` but table 三's note), each with
/// the texts of the headers the HTML table model gives it (`headers` where
/// the cell names them, else `scope` and the spans: `common::html_table`).
fn data_cells(table: ElementRef) -> Vec<DataCell> {
    common::html_table::data_cells(table)
        .into_iter()
        .filter(|c| c.class != "note")
        .collect()
}

/// The one data cell whose headers are exactly `headers`.
fn cell<'a>(cells: &'a [DataCell], headers: &BTreeSet<String>, table: &str) -> &'a DataCell {
    let found: Vec<&DataCell> = cells.iter().filter(|c| &c.headers == headers).collect();
    assert_eq!(
        found.len(),
        1,
        "table {table}: {} data cells have the headers {headers:?}",
        found.len()
    );
    found[0]
}

/// Checks that every row of `table` fills exactly `width` grid columns once
/// rowspans and colspans are counted, and that no span overlaps another or
/// runs past the end of its row group.
fn check_grid(table: ElementRef, width: usize) -> Result<(), String> {
    let id = table.value().attr("id").unwrap_or("?");
    for group in table.select(&sel(":scope > thead, :scope > tbody")) {
        let rows: Vec<ElementRef> = group.select(&sel(":scope > tr")).collect();
        let mut taken: HashSet<(usize, usize)> = HashSet::new();
        for (r, tr) in rows.iter().enumerate() {
            let mut c = 0;
            for cell in tr.select(&sel(":scope > th, :scope > td")) {
                while taken.contains(&(r, c)) {
                    c += 1;
                }
                let span = |name: &str| -> usize { cell.value().attr(name).map_or(1, |v| v.parse().expect("a span")) };
                let (rs, cs) = (span("rowspan"), span("colspan"));
                if r + rs > rows.len() {
                    return Err(format!(
                        "table {id}: `{}` spans {rs} rows from row {r} of {}",
                        text(cell),
                        rows.len()
                    ));
                }
                for dr in 0..rs {
                    for dc in 0..cs {
                        if !taken.insert((r + dr, c + dc)) {
                            return Err(format!("table {id}: `{}` overlaps another cell", text(cell)));
                        }
                    }
                }
                c += cs;
            }
            let filled = taken.iter().filter(|(rr, _)| *rr == r).count();
            let last = taken.iter().filter(|(rr, _)| *rr == r).map(|(_, c)| c + 1).max();
            if filled != width || last != Some(width) {
                let cells: Vec<String> = tr.select(&sel(":scope > th, :scope > td")).map(text).collect();
                return Err(format!(
                    "table {id}: row {r} ({}) fills {filled} of {width} columns",
                    cells.join(" | ")
                ));
            }
        }
    }
    Ok(())
}

/// A table laid out one line per `<tr>`, for the snapshot: each cell as
/// `th#id c<colspan> r<rowspan> "text"` (a data cell: `td` and its number,
/// `∅` when blank).
fn layout(table: ElementRef) -> String {
    let mut out = String::new();
    let class = table.value().attr("class").unwrap_or("");
    let id = table.value().attr("id").unwrap_or("");
    let caption = table.select(&sel("caption")).next().map(text).unwrap_or_default();
    out.push_str(&format!("table#{id} .{class} caption \"{caption}\"\n"));
    for group in table.select(&sel(":scope > thead, :scope > tbody")) {
        let g = group.value().name();
        for tr in group.select(&sel(":scope > tr")) {
            let cells: Vec<String> = tr
                .select(&sel(":scope > th, :scope > td"))
                .map(|c| {
                    let v = c.value();
                    let mut s = v.name().to_string();
                    for class in v.classes() {
                        s.push_str(&format!(".{class}"));
                    }
                    if let Some(id) = v.attr("id") {
                        s.push_str(&format!("#{id}"));
                    }
                    if let Some(n) = v.attr("colspan") {
                        s.push_str(&format!(" c{n}"));
                    }
                    if let Some(n) = v.attr("rowspan") {
                        s.push_str(&format!(" r{n}"));
                    }
                    if let Some(scope) = v.attr("scope") {
                        s.push_str(&format!(" {scope}"));
                    }
                    let t = text(c);
                    if v.name() == "td" && v.attr("class").is_none() {
                        s.push_str(&format!(" {}", if t.is_empty() { "∅" } else { &t }));
                    } else {
                        s.push_str(&format!(" \"{t}\""));
                    }
                    s
                })
                .collect();
            out.push_str(&format!("{g:5} | {}\n", cells.join(" | ")));
        }
    }
    out
}

const NUMBERS_REPORT: &str = "content/reports/shuzi/2023.md";
const NUMBERS_PAGE: &str = "reports/shuzi/2023/index.html";

// ---------------------------------------------------------------------------
// 1. The three tables of a report page

#[test]
fn report_tables_snapshot() {
    let b = build("build-numbers", None);
    let doc = b.html(NUMBERS_PAGE);
    let tables: Vec<ElementRef> = doc.select(&sel("table.official")).collect();
    let ids: Vec<&str> = tables.iter().map(|t| t.value().attr("id").unwrap_or("")).collect();
    assert_eq!(ids, ["t2", "t3", "t4"], "the report page's official tables");
    // The layout grid: 4 columns in 二 (信息内容 + 3 numbers), 10 in 三
    // (3 label columns + 7 numbers), 15 in 四.
    for (t, width) in tables.iter().zip([4, 10, 15]) {
        check_grid(*t, width).unwrap_or_else(|e| panic!("{e}"));
    }
    let snapshot: String = tables.iter().map(|t| layout(*t)).collect::<Vec<_>>().join("\n");
    insta::assert_snapshot!("report_tables", snapshot);
}

// ---------------------------------------------------------------------------
// 2. Every number in its right cell

/// Table 三 gives its numbers' headers by `scope` alone: without it the
/// HTML table model loses them, because the note cell is a data cell in
/// the label columns (so the check below can fail). Table 四 has no data
/// cell beside its headers, and its explicit scopes only repeat `auto`.
#[test]
fn the_scopes_are_what_gives_tables_3_and_4_their_headers() {
    let b = build("build-numbers", None);
    let page = std::fs::read_to_string(b.out.join(NUMBERS_PAGE)).expect("the report page");
    for (id, scope) in [("t3", " scope=\"row\""), ("t3", " scope=\"col\"")] {
        let with = data_cells(table(&Html::parse_document(&page), id));
        assert!(
            with.iter().all(|c| c.headers.len() >= 2 && c.ids.is_empty()),
            "{id}: {with:?}"
        );
        let without = data_cells(table(&Html::parse_document(&page.replace(scope, "")), id));
        assert!(
            with.iter().zip(&without).any(|(a, b)| a.headers != b.headers),
            "{id}: removing{scope} changes no number's headers"
        );
    }
}

#[test]
fn every_number_is_in_its_cell() {
    let b = build("build-numbers", None);
    let fm = front_matter(&fixture("build-numbers").join(NUMBERS_REPORT));
    let doc = b.html(NUMBERS_PAGE);

    let expected = expected_cells(&fm);
    let mut seen = BTreeSet::new();
    let mut blanks = 0;
    for (id, want) in ["t2", "t3", "t4"].iter().zip(&expected) {
        let cells = data_cells(table(&doc, id));
        assert_eq!(
            cells.len(),
            want.len(),
            "table {id}: the number of data cells (the page shows a cell the test does not know, or lacks one)"
        );
        for w in want {
            let c = cell(&cells, &w.headers, id);
            let v = shown(w.value);
            assert_eq!(
                c.text, v,
                "table {id}, cell {:?} (headers=\"{}\"): the YAML at line {} has `{v}`",
                w.headers, c.ids, w.value.loc.line
            );
            if v.is_empty() {
                blanks += 1;
            } else {
                assert!(
                    seen.insert(v.clone()),
                    "the fixture repeats the number {v}: make it distinct"
                );
            }
        }
    }
    assert_eq!(blanks, 2, "the fixture has two published blanks (one in 三, one in 四)");
}

// ---------------------------------------------------------------------------
// 3. The yearly aggregate

#[test]
fn yearly_aggregate_is_the_sum() {
    let b = build("build-aggregate", None);
    // The three published 2023 reports; 丁局's 2023 report is a draft and
    // 戊局's is of 2022: neither may enter the 2023 sums.
    let reports: Vec<Node> = ["jia", "yi", "bing"]
        .iter()
        .map(|slug| front_matter(&fixture("build-aggregate").join(format!("content/reports/{slug}/2023.md"))))
        .collect();
    let expected: Vec<[Vec<Expected>; 3]> = reports.iter().map(expected_cells).collect();

    let doc = b.html("years/2023/index.html");
    assert!(
        b.read("years/2023/index.html").contains("本年度 3 份报告"),
        "the aggregate counts 3 reports"
    );
    let mut checked = 0;
    for (t, id) in ["sum-t2", "sum-t3", "sum-t4"].iter().enumerate() {
        let cells = data_cells(table(&doc, id));
        assert_eq!(
            cells.len(),
            expected[0][t].len(),
            "table {id}: the number of data cells"
        );
        for (k, w) in expected[0][t].iter().enumerate() {
            let c = cell(&cells, &w.headers, id);
            let parts: Vec<i64> = expected.iter().map(|e| units(e[t][k].value)).collect();
            let sum: i64 = parts.iter().sum();
            let amount = matches!(w.value.value, Value::Float(_));
            let got = if amount {
                text_units(&c.text)
            } else {
                c.text
                    .parse::<i64>()
                    .unwrap_or_else(|_| panic!("table {id}, cell {:?}: `{}` is not a number", w.headers, c.text))
                    * 10_000
            };
            assert_eq!(
                got, sum,
                "table {id}, cell {:?}: the page shows `{}`, the reports' values (x10000) are {parts:?}",
                w.headers, c.text
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 10 + 175 + 15);
}

// ---------------------------------------------------------------------------
// 4. Links and assets resolve

/// What a walk over the links of an output found.
#[derive(Default)]
struct LinkReport {
    /// Files the links lead to, relative to the output.
    targets: BTreeSet<String>,
    /// Links checked that carry a fragment.
    fragments: usize,
    problems: Vec<String>,
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).expect("two hex digits"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| panic!("{s}: percent-encoding of invalid UTF-8"))
}

fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else { return false };
    let scheme = &url[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// The ids of an HTML file (and `<a name>`s), cached.
fn ids_of<'a>(out: &Path, rel: &str, cache: &'a mut HashMap<String, HashSet<String>>) -> &'a HashSet<String> {
    cache.entry(rel.to_string()).or_insert_with(|| {
        let doc = Html::parse_document(&std::fs::read_to_string(out.join(rel)).expect("an HTML file"));
        let mut ids: HashSet<String> = doc
            .select(&sel("[id]"))
            .filter_map(|e| e.value().attr("id").map(str::to_string))
            .collect();
        ids.extend(
            doc.select(&sel("a[name]"))
                .filter_map(|e| e.value().attr("name").map(str::to_string)),
        );
        ids
    })
}

/// Resolves every internal `href` and `src` of every HTML file of `out`,
/// built for `base_url`.
fn check_links(out: &Path, base_url: &str) -> LinkReport {
    let base_url = if base_url.ends_with('/') {
        base_url.to_string()
    } else {
        format!("{base_url}/")
    };
    // The path part of the base URL (`/portal/`), and its scheme and host.
    let (origin, base_path) = match base_url.split_once("://") {
        Some((scheme, rest)) => {
            let slash = rest.find('/').unwrap_or(rest.len());
            (format!("{scheme}://{}", &rest[..slash]), rest[slash..].to_string())
        }
        None => (String::new(), base_url.clone()),
    };
    let mut report = LinkReport::default();
    let mut cache = HashMap::new();
    let pages: Vec<String> = files(out).into_keys().filter(|f| f.ends_with(".html")).collect();
    assert!(!pages.is_empty(), "no HTML in {}", out.display());
    for page in &pages {
        let html = std::fs::read_to_string(out.join(page)).expect("readable");
        let doc = Html::parse_document(&html);
        // The page's folder, as path segments.
        let dir: Vec<&str> = page
            .rsplit_once('/')
            .map_or(Vec::new(), |(d, _)| d.split('/').collect());
        for el in doc.select(&sel("[href], [src]")) {
            for attr in ["href", "src"] {
                let Some(raw) = el.value().attr(attr) else { continue };
                let mut url = raw.trim().to_string();
                if !origin.is_empty() && url.starts_with(&base_url) {
                    // An absolute URL of this site (the canonical link).
                    url = url[origin.len()..].to_string();
                } else if url.starts_with("//") || has_scheme(&url) {
                    continue;
                }
                let (rest, fragment) = match url.split_once('#') {
                    Some((r, f)) => (r.to_string(), Some(percent_decode(f))),
                    None => (url.clone(), None),
                };
                let path = percent_decode(rest.split('?').next().unwrap_or(""));
                let target = if path.is_empty() {
                    page.clone()
                } else {
                    let (mut segments, relative): (Vec<&str>, &str) = if path.starts_with('/') {
                        match path.strip_prefix(base_path.as_str()) {
                            Some(r) => (Vec::new(), r),
                            None => {
                                report.problems.push(format!(
                                    "{page}: {attr}=\"{raw}\" is root-absolute but not under the base path {base_path}"
                                ));
                                continue;
                            }
                        }
                    } else {
                        (dir.clone(), path.as_str())
                    };
                    let mut escaped = false;
                    for s in relative.split('/') {
                        match s {
                            "" | "." => {}
                            ".." => escaped |= segments.pop().is_none(),
                            s => segments.push(s),
                        }
                    }
                    if escaped {
                        report
                            .problems
                            .push(format!("{page}: {attr}=\"{raw}\" leads above the site root"));
                        continue;
                    }
                    let mut t = segments.join("/");
                    if relative.is_empty() || relative.ends_with('/') {
                        if !t.is_empty() {
                            t.push('/');
                        }
                        t.push_str("index.html");
                    }
                    t
                };
                if !out.join(&target).is_file() {
                    report
                        .problems
                        .push(format!("{page}: {attr}=\"{raw}\" → {target}: no such file"));
                    continue;
                }
                if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                    report.fragments += 1;
                    if !target.ends_with(".html") {
                        report
                            .problems
                            .push(format!("{page}: {attr}=\"{raw}\": a fragment on a non-HTML file"));
                    } else if !ids_of(out, &target, &mut cache).contains(&f) {
                        report
                            .problems
                            .push(format!("{page}: {attr}=\"{raw}\": {target} has no id `{f}`"));
                    }
                }
                report.targets.insert(target);
            }
        }
    }
    report
}

#[test]
fn internal_links_and_assets_resolve() {
    for base_url in [None, Some("https://example.org/portal/")] {
        let b = build("build-links", base_url);
        let report = check_links(&b.out, base_url.unwrap_or("/"));
        assert!(
            report.problems.is_empty(),
            "base URL {base_url:?}: {} broken links:\n{}",
            report.problems.len(),
            report.problems.join("\n")
        );
        // The walk saw what the fixture links to.
        for target in [
            "index.html",
            "agencies/index.html",
            "agencies/x/index.html",
            "agencies/y/index.html",
            "guide/index.html",
            "a/b/index.html",
            "reports/x/2022/index.html",
            "reports/x/2023/index.html",
            "reports/y/2023/index.html",
            "reports/x/2023.pdf",
            "years/2022/index.html",
            "years/2023/index.html",
            "style.css",
            "atom.xml",
        ] {
            assert!(
                report.targets.contains(target),
                "base URL {base_url:?}: no link leads to {target}; links lead to {:?}",
                report.targets
            );
        }
        // #main, the guide's own #表格说明, guide → report #section-3,
        // report → guide #表格说明, a report's link to its own section.
        assert!(
            report.fragments >= 5,
            "base URL {base_url:?}: only {} links with fragments",
            report.fragments
        );
        assert_eq!(
            std::fs::read(b.out.join("reports/x/2023.pdf")).expect("the asset is copied"),
            std::fs::read(fixture("build-links").join("content/reports/x/2023.pdf")).expect("the fixture's asset")
        );
        assert!(!b.out.join("reports/y/2024").exists(), "the draft is not built");
    }
}

// ---------------------------------------------------------------------------
// 5. Reproducible builds

#[test]
fn two_builds_are_identical() {
    for name in ["build-links", "build-numbers"] {
        let (a, b) = (build(name, None), build(name, None));
        let (fa, fb) = (files(&a.out), files(&b.out));
        assert_eq!(
            fa.keys().collect::<Vec<_>>(),
            fb.keys().collect::<Vec<_>>(),
            "{name}: the two builds wrote different files"
        );
        let differ: Vec<&String> = fa.iter().filter(|(k, v)| fb[*k] != **v).map(|(k, _)| k).collect();
        assert!(
            differ.is_empty(),
            "{name}: these files differ between two builds: {differ:?}"
        );
        assert_eq!(a.summary.pages, b.summary.pages);
    }
}

// ---------------------------------------------------------------------------
// 7. Template and static overrides

#[test]
fn the_sites_template_and_stylesheet_override_the_themes() {
    let b = build("build-override", None);
    let page = b.html("about/index.html");
    let marker: Vec<ElementRef> = page.select(&sel("p#override-marker")).collect();
    assert_eq!(marker.len(), 1, "the ordinary page uses the site's templates/page.html");
    assert!(
        page.select(&sel("header.site-header")).next().is_none(),
        "not the theme's base"
    );
    assert_eq!(
        page.select(&sel("h1")).map(text).collect::<Vec<_>>(),
        ["关于"],
        "the override is filled with the page"
    );
    assert!(b.read("about/index.html").contains("这是一个普通页面。"));

    let report = b.html("reports/fugai/2023/index.html");
    assert!(report.select(&sel("#override-marker")).next().is_none());
    assert!(
        report.select(&sel("article.report")).next().is_some(),
        "the report uses the theme"
    );
    assert!(report.select(&sel("header.site-header")).next().is_some());
    assert_eq!(report.select(&sel("table.official")).count(), 3);
    for other in ["index.html", "agencies/index.html", "years/2023/index.html"] {
        assert!(!b.read(other).contains("override-marker"), "{other} uses the theme");
    }

    assert_eq!(
        b.read("style.css"),
        std::fs::read_to_string(fixture("build-override").join("static/style.css")).expect("the fixture's style.css"),
        "the site's static/style.css replaces the theme's"
    );
}

// ---------------------------------------------------------------------------
// 8. Script in names and narratives

/// Everything in an output that could run script: returns the problems.
fn script_problems(b: &Built) -> Vec<String> {
    let mut problems = Vec::new();
    for (rel, bytes) in files(&b.out) {
        // Only what a browser renders as markup: data files (CSV, JSON) carry
        // the names as published, which is right for data.
        if !(rel.ends_with(".html") || rel.ends_with(".xml")) {
            continue;
        }
        let Ok(text) = String::from_utf8(bytes) else { continue };
        // The theme's own scripts (search, comparison) are allowed: an empty
        // `<script src="…/x.js" defer></script>` naming a file of the theme.
        let lower = theme_scripts().iter().fold(text.to_lowercase(), |t, js| {
            t.replace(&format!("{js}\" defer></script>"), "\" defer>")
        });
        for bad in ["<script", "onerror=", "javascript:"] {
            for (at, _) in lower.match_indices(bad) {
                if bad == "<script" && lower[at..].starts_with("<script src=\"") {
                    let tag = &lower[at..lower[at..].find('>').map_or(lower.len(), |e| at + e + 1)];
                    if theme_scripts().iter().any(|_| tag.ends_with("\" defer>")) {
                        continue;
                    }
                }
                // `lower` may differ from `text` in length: show from `lower`.
                let snippet: String = lower[at..].chars().take(80).collect();
                problems.push(format!("{rel} contains `{bad}`: {snippet}…"));
                break;
            }
        }
        if rel.ends_with(".html") {
            let doc = Html::parse_document(&text);
            for el in doc.select(&sel("*")) {
                if el.value().name() == "script" {
                    let src = el.value().attr("src").unwrap_or("");
                    let own = theme_scripts().iter().any(|js| src.ends_with(js.as_str()));
                    if !own || !el.inner_html().trim().is_empty() {
                        problems.push(format!("{rel}: a <script> element"));
                    }
                }
                for (name, value) in el.value().attrs() {
                    if name.to_ascii_lowercase().starts_with("on") {
                        problems.push(format!("{rel}: <{} {name}=\"{value}\">", el.value().name()));
                    }
                    let v = value.trim().to_ascii_lowercase();
                    if (name == "href" || name == "src") && (v.starts_with("javascript:") || v.starts_with("data:")) {
                        problems.push(format!("{rel}: <{} {name}=\"{value}\">", el.value().name()));
                    }
                }
            }
        }
    }
    problems
}

/// The names of the theme's own script files (`compare.js`, …).
fn theme_scripts() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static");
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".js"))
                .collect()
        })
        .unwrap_or_default()
}

const ESCAPED_AGENCY: &str = "测试&lt;script&gt;alert(1)";

#[test]
fn script_in_names_and_narratives_is_escaped_or_removed() {
    let b = build("build-xss", None);
    let problems = script_problems(&b);
    assert!(
        problems.is_empty(),
        "{} places where script could run:\n{}",
        problems.len(),
        problems.join("\n")
    );
    for page in [
        "reports/xss/2023/index.html",
        "agencies/xss/index.html",
        "agencies/index.html",
        "years/2023/index.html",
        "index.html",
    ] {
        assert!(
            b.read(page).contains(ESCAPED_AGENCY),
            "{page} shows the agency's name, escaped"
        );
    }
    // The narrative is still there around what was removed.
    let report = b.read("reports/xss/2023/index.html");
    assert!(report.contains("本年度工作正常开展。"));
    // The agency's name is text, not markup, for a reader of the page.
    let doc = b.html("reports/xss/2023/index.html");
    let agency = doc.select(&sel("p.report-agency")).next().map(text);
    assert_eq!(agency.as_deref(), Some("测试<script>alert(1)</script>局"));
    // The ordinary page keeps its link text, without the script URL.
    assert!(b.read("note/index.html").contains("点我"));
}

#[test]
fn raw_html_is_kept_when_the_site_allows_it() {
    let b = build("build-raw-html", None);
    let report = b.read("reports/raw/2023/index.html");
    assert!(
        report.contains("<b style=\"color: red\">正常开展</b>"),
        "allow_raw_html keeps the narrative's HTML as written"
    );
    let problems = script_problems(&b);
    assert!(
        problems.is_empty(),
        "script in the agency name:\n{}",
        problems.join("\n")
    );
    for page in ["reports/raw/2023/index.html", "agencies/raw/index.html"] {
        assert!(
            b.read(page).contains(ESCAPED_AGENCY),
            "{page} escapes the agency's name"
        );
    }
}

// ---------------------------------------------------------------------------
// 11. sitemap.xml, atom.xml, robots.txt, 404.html

/// A small XML well-formedness checker and tree: enough to refuse what an
/// XML parser refuses in feeds and sitemaps (unbalanced or mismatched tags,
/// unquoted or duplicate attributes, bare `&` or `<`, unknown entities, more
/// than one root, text outside the root).
mod xml {
    #[derive(Debug, Default)]
    pub struct El {
        pub name: String,
        pub attrs: Vec<(String, String)>,
        pub children: Vec<El>,
        pub text: String,
    }

    impl El {
        pub fn attr(&self, name: &str) -> Option<&str> {
            self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
        }
        pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a El> + 'a {
            self.children.iter().filter(move |c| c.name == name)
        }
        pub fn child(&self, name: &str) -> Option<&El> {
            self.children.iter().find(|c| c.name == name)
        }
        pub fn text_of(&self, name: &str) -> Option<&str> {
            self.child(name).map(|c| c.text.trim())
        }
    }

    struct P<'a> {
        s: &'a str,
        i: usize,
    }

    impl P<'_> {
        fn rest(&self) -> &str {
            &self.s[self.i..]
        }
        fn err<T>(&self, what: &str) -> Result<T, String> {
            let line = self.s[..self.i].matches('\n').count() + 1;
            let near: String = self.rest().chars().take(30).collect();
            Err(format!("line {line}: {what} (at `{near}`)"))
        }
        fn skip_ws(&mut self) -> bool {
            let n = self.rest().len() - self.rest().trim_start_matches([' ', '\t', '\r', '\n']).len();
            self.i += n;
            n > 0
        }
        fn eat(&mut self, t: &str) -> bool {
            if self.rest().starts_with(t) {
                self.i += t.len();
                true
            } else {
                false
            }
        }
        fn until(&mut self, end: &str) -> Result<&str, String> {
            match self.rest().find(end) {
                Some(n) => {
                    let s = &self.s[self.i..self.i + n];
                    self.i += n + end.len();
                    Ok(s)
                }
                None => self.err(&format!("`{end}` missing")),
            }
        }
        fn name(&mut self) -> Result<String, String> {
            let n: String = self
                .rest()
                .chars()
                .take_while(|c| c.is_alphanumeric() || "_:-.".contains(*c))
                .collect();
            if n.is_empty() || n.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.') {
                return self.err("a name expected");
            }
            self.i += n.len();
            Ok(n)
        }
        /// Comments, processing instructions and white space.
        fn misc(&mut self) -> Result<(), String> {
            loop {
                self.skip_ws();
                if self.eat("<!--") {
                    if self.until("-->")?.contains("--") {
                        return self.err("`--` inside a comment");
                    }
                } else if self.rest().starts_with("<?") {
                    self.until("?>")?;
                } else {
                    return Ok(());
                }
            }
        }
        fn element(&mut self) -> Result<El, String> {
            if !self.eat("<") {
                return self.err("`<` expected");
            }
            let mut el = El {
                name: self.name()?,
                ..El::default()
            };
            loop {
                let spaced = self.skip_ws();
                if self.eat("/>") {
                    return Ok(el);
                }
                if self.eat(">") {
                    break;
                }
                if !spaced {
                    return self.err("white space expected between attributes");
                }
                let name = self.name()?;
                self.skip_ws();
                if !self.eat("=") {
                    return self.err("`=` expected after an attribute name");
                }
                self.skip_ws();
                let quote = match self.rest().chars().next() {
                    Some(q @ ('"' | '\'')) => q,
                    _ => return self.err("an attribute value must be quoted"),
                };
                self.i += 1;
                let raw = self.until(&quote.to_string())?.to_string();
                if raw.contains('<') {
                    return self.err("`<` in an attribute value");
                }
                let value = self.decode(&raw)?;
                if el.attr(&name).is_some() {
                    return self.err(&format!("attribute {name} given twice"));
                }
                el.attrs.push((name, value));
            }
            loop {
                if self.eat("</") {
                    let end = self.name()?;
                    self.skip_ws();
                    if end != el.name || !self.eat(">") {
                        return self.err(&format!("`</{}>` expected", el.name));
                    }
                    return Ok(el);
                } else if self.eat("<!--") {
                    self.until("-->")?;
                } else if self.eat("<![CDATA[") {
                    let t = self.until("]]>")?.to_string();
                    el.text.push_str(&t);
                } else if self.rest().starts_with("<?") {
                    self.until("?>")?;
                } else if self.rest().starts_with('<') {
                    let child = self.element()?;
                    el.children.push(child);
                } else if self.rest().is_empty() {
                    return self.err(&format!("`<{}>` is never closed", el.name));
                } else {
                    let n = self.rest().find('<').unwrap_or(self.rest().len());
                    let raw = self.s[self.i..self.i + n].to_string();
                    if raw.contains("]]>") {
                        return self.err("`]]>` in text");
                    }
                    let t = self.decode(&raw)?;
                    el.text.push_str(&t);
                    self.i += n;
                }
            }
        }
        fn decode(&self, raw: &str) -> Result<String, String> {
            let mut out = String::new();
            let mut rest = raw;
            while let Some(amp) = rest.find('&') {
                out.push_str(&rest[..amp]);
                let after = &rest[amp + 1..];
                let Some(semi) = after.find(';').filter(|&n| n <= 10) else {
                    return self.err(&format!("a bare `&` in `{raw}`"));
                };
                let entity = &after[..semi];
                let c = match entity {
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "amp" => Some('&'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32),
                    e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
                    _ => None,
                };
                let Some(c) = c else {
                    return self.err(&format!("unknown entity `&{entity};`"));
                };
                out.push(c);
                rest = &after[semi + 1..];
            }
            out.push_str(rest);
            Ok(out)
        }
    }

    /// Parses a whole XML document; its root element.
    pub fn parse(s: &str) -> Result<El, String> {
        let mut p = P { s, i: 0 };
        if p.rest().starts_with("<?xml") {
            p.until("?>")?;
        } else if p.rest().trim_start().starts_with("<?xml") {
            return p.err("the XML declaration must come first");
        }
        p.misc()?;
        let root = p.element()?;
        p.misc()?;
        if !p.rest().is_empty() {
            return p.err("content after the root element");
        }
        Ok(root)
    }

    #[test]
    fn the_checker_refuses_what_xml_refuses() {
        assert!(parse("<?xml version=\"1.0\"?>\n<a x=\"1\"><b>t &amp; u</b><c/></a>\n").is_ok());
        for bad in [
            "<a><b></a></b>",
            "<a>",
            "<a x=1></a>",
            "<a>&nbsp;</a>",
            "<a>AT&T</a>",
            "<a></a><b></b>",
            "<a x=\"1\" x=\"2\"></a>",
            "<a>1 < 2</a>",
            "\n<?xml version=\"1.0\"?><a/>",
        ] {
            assert!(parse(bad).is_err(), "{bad} was accepted");
        }
    }
}

/// The published reports of a fixture, from its content files:
/// (agency_slug, year, published).
fn published_reports(site: &str) -> Vec<(String, i64, String)> {
    let mut out = Vec::new();
    for (rel, _) in files(&fixture(site).join("content")) {
        if !rel.ends_with(".md") {
            continue;
        }
        let fm = front_matter(&fixture(site).join("content").join(&rel));
        if opt(&fm, "format").is_none() || opt(&fm, "draft").is_some_and(|d| d.value == Value::Bool(true)) {
            continue;
        }
        let (Value::Str(slug), Value::Int(year)) = (&at(&fm, "agency_slug").value, &at(&fm, "year").value) else {
            panic!("{rel}: agency_slug and year")
        };
        let published = match &at(&fm, "published").value {
            Value::Str(s) => s.clone(),
            other => panic!("{rel}: published is {}", other.kind()),
        };
        out.push((slug.clone(), *year, published));
    }
    out
}

#[test]
fn sitemap_feed_robots_and_not_found_page() {
    const BASE: &str = "https://example.org/portal/";
    let b = build("build-links", Some(BASE));
    let reports = published_reports("build-links");
    assert_eq!(reports.len(), 4, "the fixture's published reports");
    // A URL of the site → the file it is served from.
    let file_of = |url: &str| -> String {
        let rel = url
            .strip_prefix(BASE)
            .unwrap_or_else(|| panic!("{url} is not under {BASE}"));
        if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        }
    };

    // sitemap.xml
    let sitemap = xml::parse(&b.read("sitemap.xml")).unwrap_or_else(|e| panic!("sitemap.xml is not XML: {e}"));
    assert_eq!(sitemap.name, "urlset");
    assert_eq!(
        sitemap.attr("xmlns"),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let mut listed: BTreeMap<String, Option<String>> = BTreeMap::new();
    for u in sitemap.all("url") {
        let loc = u.text_of("loc").expect("<url> has a <loc>").to_string();
        assert!(
            b.out.join(file_of(&loc)).is_file(),
            "sitemap.xml lists {loc}, which is not built"
        );
        let lastmod = u.text_of("lastmod").map(str::to_string);
        assert!(
            listed.insert(loc.clone(), lastmod).is_none(),
            "sitemap.xml lists {loc} twice"
        );
    }
    for (slug, year, published) in &reports {
        let loc = format!("{BASE}reports/{slug}/{year}/");
        assert_eq!(
            listed.get(&loc),
            Some(&Some(published.clone())),
            "sitemap.xml lists {loc} with <lastmod>{published}</lastmod>"
        );
    }
    for page in ["", "agencies/", "guide/", "a/b/", "years/2023/", "agencies/x/"] {
        assert!(
            listed.contains_key(&format!("{BASE}{page}")),
            "sitemap.xml lists {BASE}{page}"
        );
    }
    assert!(
        !listed.keys().any(|l| l.contains("reports/y/2024")),
        "sitemap.xml lists the draft"
    );

    // atom.xml
    let feed = xml::parse(&b.read("atom.xml")).unwrap_or_else(|e| panic!("atom.xml is not XML: {e}"));
    assert_eq!(feed.name, "feed");
    assert_eq!(feed.attr("xmlns"), Some("http://www.w3.org/2005/Atom"));
    for required in ["id", "title", "updated"] {
        assert!(feed.child(required).is_some(), "the feed has <{required}>");
    }
    let entries: Vec<&xml::El> = feed.all("entry").collect();
    assert_eq!(entries.len(), reports.len(), "one entry per published report");
    let published: Vec<&str> = entries
        .iter()
        .map(|e| e.text_of("published").expect("<entry> has <published>"))
        .collect();
    let mut newest_first = published.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(published, newest_first, "atom.xml: entries newest first");
    let newest = reports.iter().map(|r| &r.2).max().expect("reports");
    assert!(published[0].starts_with(newest.as_str()));
    assert_eq!(
        feed.text_of("updated").map(|u| &u[..10]),
        Some(newest.as_str()),
        "the feed's <updated> is its newest entry"
    );
    for e in &entries {
        for required in ["id", "title", "updated"] {
            assert!(e.child(required).is_some(), "every entry has <{required}>");
        }
        let href = e
            .child("link")
            .and_then(|l| l.attr("href"))
            .expect("<entry> has <link href>");
        assert!(
            b.out.join(file_of(href)).is_file(),
            "atom.xml links {href}, which is not built"
        );
    }

    // robots.txt
    let robots = b.read("robots.txt");
    assert!(
        robots
            .lines()
            .any(|l| l.trim() == format!("Sitemap: {BASE}sitemap.xml")),
        "robots.txt names the sitemap:\n{robots}"
    );

    // 404.html: served at any path, so its links cannot be relative.
    let page = b.html("404.html");
    let mut links = 0;
    for el in page.select(&sel("[href], [src]")) {
        let url = el.value().attr("href").or(el.value().attr("src")).expect("selected");
        if url.starts_with('#') || url.starts_with(BASE) {
            continue;
        }
        assert!(
            url.starts_with("/portal/"),
            "404.html links `{url}`, not under /portal/"
        );
        let rel = &url["/portal/".len()..];
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        assert!(b.out.join(&file).is_file(), "404.html links {url}, which is not built");
        links += 1;
    }
    assert!(links >= 5, "404.html has only {links} links");
}

// ---------------------------------------------------------------------------
// 12. Page URLs from file names, and text the build writes into HTML itself

/// Whether `s` is a valid URI (RFC 3986 characters only: ASCII, no space,
/// every `%` followed by two hex digits).
fn valid_uri(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().all(|(i, &c)| match c {
        b'%' => b.len() > i + 2 && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit(),
        c => c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c),
    })
}

#[test]
fn page_urls_from_file_names_are_percent_encoded() {
    const BASE: &str = "https://example.org/portal/";
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    common::copy_dir(&fixture("build-links"), &site);
    // A Chinese name, and one with characters reserved in URLs.
    std::fs::write(site.join("content/指南.md"), "---\ntitle: 指南\n---\n回到[首页](/)。\n").unwrap();
    std::fs::write(site.join("content/q'a&b+c.md"), "---\ntitle: 问与答\n---\n正文。\n").unwrap();
    let b = build_site(&site, Some(BASE));
    const GUIDE: &str = "%E6%8C%87%E5%8D%97/";
    const QA: &str = "q%27a%26b%2Bc/";
    // The files are where the names say.
    for file in ["指南/index.html", "q'a&b+c/index.html"] {
        assert!(b.out.join(file).is_file(), "{file} is built");
    }

    // sitemap.xml and atom.xml: every URL valid, the two pages encoded.
    let sitemap = xml::parse(&b.read("sitemap.xml")).unwrap_or_else(|e| panic!("sitemap.xml: {e}"));
    let locs: Vec<String> = sitemap
        .all("url")
        .map(|u| u.text_of("loc").expect("a <loc>").to_string())
        .collect();
    for loc in &locs {
        assert!(valid_uri(loc), "sitemap.xml: {loc} is not a valid URI");
    }
    for page in [GUIDE, QA] {
        assert!(
            locs.contains(&format!("{BASE}{page}")),
            "sitemap.xml lists {page}: {locs:?}"
        );
    }
    let feed = xml::parse(&b.read("atom.xml")).unwrap_or_else(|e| panic!("atom.xml: {e}"));
    let mut feed_urls: Vec<String> = feed
        .all("link")
        .filter_map(|l| l.attr("href"))
        .map(str::to_string)
        .collect();
    for e in feed.all("entry") {
        feed_urls.extend(e.all("link").filter_map(|l| l.attr("href")).map(str::to_string));
        feed_urls.extend(e.text_of("id").map(str::to_string));
    }
    feed_urls.extend(feed.text_of("id").map(str::to_string));
    for url in &feed_urls {
        assert!(valid_uri(url), "atom.xml: {url} is not a valid URI");
    }

    // Each page's canonical URL, and the navigation's links on every page.
    for (file, url) in [("指南/index.html", GUIDE), ("q'a&b+c/index.html", QA)] {
        let doc = b.html(file);
        let canonical = doc
            .select(&sel("link[rel=canonical]"))
            .next()
            .and_then(|l| l.value().attr("href"))
            .expect("a canonical link");
        assert_eq!(canonical, format!("{BASE}{url}"), "{file}");
    }
    for (file, _) in files(&b.out).into_iter().filter(|(f, _)| f.ends_with(".html")) {
        let doc = b.html(&file);
        for a in doc.select(&sel("link[rel=canonical], .site-nav a")) {
            let href = a.value().attr("href").expect("an href");
            assert!(valid_uri(href), "{file}: {href} is not a valid URI");
        }
        let nav: Vec<&str> = doc
            .select(&sel(".site-nav a"))
            .filter_map(|a| a.value().attr("href"))
            .collect();
        if file == "index.html" {
            assert!(nav.contains(&format!("./{GUIDE}").as_str()), "{nav:?}");
            assert!(nav.contains(&format!("./{QA}").as_str()), "{nav:?}");
        }
    }
    // The links resolve (decoded, as a server does).
    let report = check_links(&b.out, BASE);
    assert!(report.problems.is_empty(), "{}", report.problems.join("\n"));
    assert!(report.targets.contains("指南/index.html") && report.targets.contains("q'a&b+c/index.html"));
    // The search index links the pages the same way.
    let meta = b.read("search/meta.json");
    assert!(
        meta.contains(&format!("\"{GUIDE}\"")) && meta.contains(&format!("\"{QA}\"")),
        "{meta}"
    );
}

#[test]
fn a_section_written_twice_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    common::copy_dir(&fixture("build-xss"), &site);
    let report = site.join("content/reports/xss/2023.md");
    let mut body = std::fs::read_to_string(&report).unwrap();
    // Text in headings (a code span, entities, a backslash escape) that is
    // markup once unescaped; no raw HTML, so the sanitizer does not run.
    body.push_str(concat!(
        "\n## 五、`<img src=x onmouseover=alert(7)>`\n\n再写一次。\n",
        "\n## 六、&lt;script&gt;alert(8)&lt;/script&gt;\n\n又写一次。\n",
        "\n## 一、\\<svg onload=alert(9)>\n\n第三次。\n",
    ));
    std::fs::write(&report, body).unwrap();
    let b = build_site(&site, None);
    let problems = script_problems(&b);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let html = b.read("reports/xss/2023/index.html");
    for kept in ["再写一次。", "又写一次。", "第三次。"] {
        assert!(html.contains(kept), "the section written twice keeps its text: {kept}");
    }
    let doc = b.html("reports/xss/2023/index.html");
    let headings: Vec<String> = doc.select(&sel("#section-6 h2")).map(text).collect();
    for shown in [
        "五、<img src=x onmouseover=alert(7)>",
        "六、<script>alert(8)</script>",
        "一、<svg onload=alert(9)>",
    ] {
        assert!(
            headings.iter().any(|h| h == shown),
            "{shown} shown as text: {headings:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// The registry of outputs

/// The planned portal of a fixture site, and the registry's files for it.
fn registry_files(root: &Path) -> (gongkai::site::Site, Vec<gongkai::urls::PageKey>) {
    let site = gongkai::site::Site::load(root, gongkai::site::today()).expect("the site loads");
    let portal = gongkai::portal::Portal::plan(&site, false);
    let keys = gongkai::render::Registry::new().files(&portal);
    drop(portal);
    (site, keys)
}

#[test]
fn every_file_belongs_to_one_output_and_the_build_writes_each() {
    use gongkai::urls::PageKey;
    let (site, keys) = registry_files(&fixture("build-links"));
    let portal = gongkai::portal::Portal::plan(&site, false);
    let registry = gongkai::render::Registry::new();
    for key in &keys {
        let owners: Vec<&str> = registry
            .outputs()
            .iter()
            .filter(|o| o.owns(key))
            .map(|o| o.name())
            .collect();
        assert_eq!(owners.len(), 1, "{key:?} is owned by {owners:?}");
    }
    // The one list of addresses: the pages and data files, then the index.
    let mut expected = gongkai::urls::all_pages(&portal);
    expected.push(PageKey::SearchIndex);
    assert_eq!(keys, expected);
    let built = build("build-links", None);
    let written = files(&built.out);
    for key in &keys {
        assert!(written.contains_key(&key.file()), "{key:?}: {} not written", key.file());
    }
    let index: Vec<&String> = written.keys().filter(|f| gongkai::urls::search_index_file(f)).collect();
    assert_eq!(
        built.summary.search_files.iter().collect::<Vec<_>>(),
        index,
        "the summary names the index's files"
    );
}

#[test]
fn what_a_change_touches_covers_every_file_it_changes() {
    use gongkai::render::Change;
    use gongkai::urls::PageKey;
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = tmp.path().join("site");
    common::copy_dir(&fixture("build-links"), &site);
    let before = files(&build_site(&site, None).out);
    // Agency x's 2023 report: another date (lists, feed, sitemap, data) and
    // another narrative (the page, the search index).
    let path = site.join("content/reports/x/2023.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text
        .replace("published: 2024-01-18", "published: 2024-01-19")
        .replace("新增专栏两个", "新增专栏三个");
    assert_ne!(edited, text);
    std::fs::write(&path, edited).unwrap();
    let after = files(&build_site(&site, None).out);
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
    // The marker records each build's inputs: it is no output of the portal.
    let changed: Vec<&String> = after
        .keys()
        .filter(|f| before[*f] != after[*f] && f.as_str() != ".gongkai-output")
        .collect();
    assert!(changed.len() > 5, "{changed:?}");

    let (site, _) = registry_files(&site);
    let portal = gongkai::portal::Portal::plan(&site, false);
    let touched = gongkai::render::touched(
        &portal,
        &Change::Reports {
            slug: "x",
            years: &[2023],
        },
    );
    let covered = |f: &str| {
        touched.iter().any(|k| match k {
            PageKey::SearchIndex => gongkai::urls::search_index_file(f),
            k => k.file() == f,
        })
    };
    let missed: Vec<&&String> = changed.iter().filter(|f| !covered(f)).collect();
    assert!(missed.is_empty(), "changed but not touched: {missed:?}");
    // Nothing of the other agency is touched.
    assert!(!touched
        .iter()
        .any(|k| matches!(k, PageKey::Report(s, _) | PageKey::Agency(s) | PageKey::AgencyJson(s) if s == "y")));

    let page = gongkai::render::touched(&portal, &Change::Page("content/guide.md"));
    assert!(
        page.contains(&PageKey::Page("content/guide.md".to_string())),
        "{page:?}"
    );
    assert!(page.contains(&PageKey::SearchIndex), "{page:?}");
    assert!(!page.iter().any(|k| matches!(k, PageKey::Report(..))), "{page:?}");
}

// ---------------------------------------------------------------------------
// 13. Folder index pages, the favicon, drafts

/// The files the links of page `rel` lead to (relative links resolved from
/// the page's folder; a folder link is its `index.html`), with fragments
/// and queries cut off. Absolute links are left out.
fn links_of(b: &Built, rel: &str) -> BTreeSet<String> {
    let doc = b.html(rel);
    let dir: Vec<&str> = rel.rsplit_once('/').map_or(Vec::new(), |(d, _)| d.split('/').collect());
    let mut out = BTreeSet::new();
    for el in doc.select(&sel("a[href], link[href]")) {
        let raw = el.value().attr("href").expect("selected");
        let path = percent_decode(raw.split(['#', '?']).next().unwrap_or(""));
        if path.is_empty() || path.starts_with('/') || has_scheme(&path) {
            continue;
        }
        let mut segments = dir.clone();
        for s in path.split('/') {
            match s {
                "" | "." => {}
                ".." => {
                    segments.pop();
                }
                s => segments.push(s),
            }
        }
        let mut target = segments.join("/");
        if path.ends_with('/') {
            if !target.is_empty() {
                target.push('/');
            }
            target.push_str("index.html");
        }
        out.insert(target);
    }
    out
}

#[test]
fn folder_urls_have_index_pages_that_link_from_a_sub_path() {
    const BASE: &str = "https://example.org/portal/";
    let b = build("build-links", Some(BASE));
    let report = check_links(&b.out, BASE);
    assert!(
        report.problems.is_empty(),
        "{} broken links:\n{}",
        report.problems.len(),
        report.problems.join("\n")
    );
    // Every page's footer leads to the indexes of years/, reports/, data/.
    for index in ["years/index.html", "reports/index.html", "data/index.html"] {
        assert!(report.targets.contains(index), "no link leads to {index}");
    }
    let expect = |page: &str, targets: &[&str]| {
        let links = links_of(&b, page);
        for t in targets {
            assert!(links.contains(*t), "{page} does not link {t}; it links {links:?}");
        }
        links
    };
    expect("years/index.html", &["years/2022/index.html", "years/2023/index.html"]);
    let reports = published_reports("build-links");
    let all: Vec<String> = reports
        .iter()
        .map(|(slug, year, _)| format!("reports/{slug}/{year}/index.html"))
        .collect();
    expect(
        "reports/index.html",
        &all.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let x = expect(
        "reports/x/index.html",
        &[
            "agencies/x/index.html",
            "reports/x/2022/index.html",
            "reports/x/2023/index.html",
        ],
    );
    assert!(
        !x.iter().any(|l| l.starts_with("reports/y/")),
        "reports/x/ lists only x's reports: {x:?}"
    );
    expect(
        "reports/y/index.html",
        &["agencies/y/index.html", "reports/y/2023/index.html"],
    );
    expect(
        "data/index.html",
        &[
            "data/datapackage.json",
            "data/all.csv",
            "data/key-figures.json",
            "data/schema-reports.json",
            "data/schema-report-cells.json",
            "data/labels.json",
            "data/years/2022.csv",
            "data/years/2023.csv",
            "data/agencies/x.json",
            "data/agencies/y.json",
        ],
    );
    // The draft (not built) is in no index.
    for page in ["reports/index.html", "reports/y/index.html"] {
        assert!(
            !links_of(&b, page).iter().any(|l| l.contains("2024")),
            "{page} lists the draft"
        );
    }
    // The sitemap lists the indexes.
    let sitemap = b.read("sitemap.xml");
    for page in ["years/", "reports/", "reports/x/", "reports/y/", "data/"] {
        assert!(
            sitemap.contains(&format!("<loc>{BASE}{page}</loc>")),
            "sitemap.xml lists {BASE}{page}"
        );
    }
}

#[test]
fn every_page_links_the_favicon() {
    const BASE: &str = "https://example.org/portal/";
    let b = build("build-links", Some(BASE));
    for (file, kind) in [("favicon.svg", "image/svg+xml"), ("favicon.png", "image/png")] {
        let bytes = std::fs::read(b.out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        if file.ends_with(".png") {
            assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{file} is a PNG");
        } else {
            assert!(String::from_utf8_lossy(&bytes).contains("<svg"), "{file} is an SVG");
        }
        let pages: Vec<String> = files(&b.out).into_keys().filter(|f| f.ends_with(".html")).collect();
        assert!(pages.len() > 10, "{pages:?}");
        for page in &pages {
            let doc = b.html(page);
            let hrefs: Vec<&str> = doc
                .select(&sel(&format!("head link[rel=\"icon\"][type=\"{kind}\"]")))
                .filter_map(|l| l.value().attr("href"))
                .collect();
            assert_eq!(hrefs.len(), 1, "{page}: one <link rel=icon type={kind}>: {hrefs:?}");
            if page == "404.html" {
                // Served for any path: under the base path.
                assert_eq!(hrefs[0], format!("/portal/{file}"), "{page}");
            } else {
                // Relative, so it works from any sub-path, never /favicon.ico.
                assert!(
                    !hrefs[0].starts_with('/') && !has_scheme(hrefs[0]),
                    "{page}: {}",
                    hrefs[0]
                );
                assert!(links_of(&b, page).contains(file), "{page}: {} is not {file}", hrefs[0]);
            }
        }
    }
}

#[test]
fn drafts_built_with_drafts_are_marked_and_kept_from_search_engines() {
    const BASE: &str = "https://example.org/portal/";
    let b = build_site_with(
        &fixture("build-links"),
        BuildOptions {
            base_url: Some(BASE.to_string()),
            drafts: true,
            ..BuildOptions::default()
        },
    );
    let robots = sel("head meta[name=\"robots\"]");
    let draft = b.html("reports/y/2024/index.html");
    let meta: Vec<&str> = draft
        .select(&robots)
        .filter_map(|m| m.value().attr("content"))
        .collect();
    assert_eq!(meta, ["noindex"], "the draft is noindex");
    let banner = draft
        .select(&sel(".report-head .draft-banner"))
        .next()
        .expect("the draft has a banner in its header");
    assert!(
        text(banner).contains("草稿") && text(banner).contains("尚未发布"),
        "{}",
        text(banner)
    );
    // Near the title: the banner comes before the <h1>, in the same header.
    let head = draft.select(&sel(".report-head")).next().expect("a report header");
    let html = head.inner_html();
    assert!(
        html.find("draft-banner").expect("banner") < html.find("<h1").expect("title"),
        "the banner is above the title"
    );
    // A published report is neither.
    let published = b.html("reports/y/2023/index.html");
    assert_eq!(published.select(&robots).count(), 0, "a published report is indexed");
    assert_eq!(published.select(&sel(".draft-banner")).count(), 0);
    // Lists mark the draft.
    let agency = b.html("agencies/y/index.html");
    let marked: Vec<String> = agency
        .select(&sel("tbody tr"))
        .filter(|tr| tr.select(&sel(".badge.draft")).next().is_some())
        .map(text)
        .collect();
    assert_eq!(marked.len(), 1, "{marked:?}");
    assert!(marked[0].contains("2024"), "{marked:?}");
    // The sitemap and the feed leave it out.
    assert!(
        !b.read("sitemap.xml").contains("reports/y/2024"),
        "the sitemap lists the draft"
    );
    assert!(
        !b.read("atom.xml").contains("reports/y/2024"),
        "the feed announces the draft"
    );
    // Without --drafts there is no draft to mark, and nothing is noindex.
    let plain = build("build-links", Some(BASE));
    for page in files(&plain.out).into_keys().filter(|f| f.ends_with(".html")) {
        assert_eq!(plain.html(&page).select(&robots).count(), 0, "{page} is noindex");
    }
}

#[test]
fn a_chart_of_zeros_is_one_line() {
    // build-links: no application and no appeal in any year.
    let b = build("build-links", None);
    let page = b.html("agencies/x/index.html");
    assert_eq!(page.select(&sel("figure#chart-appeals")).count(), 0, "no empty chart");
    let line = page
        .select(&sel("p.chart-none#chart-appeals"))
        .next()
        .expect("one line for the appeals chart");
    assert_eq!(text(line), "2022–2023年度无政府信息公开行政复议、行政诉讼。");
    // build-numbers: every cell a distinct number, so the charts are drawn.
    let b = build("build-numbers", None);
    let page = b.html("agencies/shuzi/index.html");
    assert_eq!(
        page.select(&sel("figure#chart-appeals")).count(),
        1,
        "the chart is drawn"
    );
    assert_eq!(page.select(&sel(".chart-none")).count(), 0);
}
