//! The report model: one annual report (《政府信息公开工作年度报告》) as checked,
//! typed data. [`parse`] turns a front-matter tree into a [`Report`] ("parse,
//! then validate into a richer type"): every key known, every number of the
//! right kind, omitted rows filled with zeros and omitted totals computed.
//! [`checks`] runs the spec's checks R01-R12 over one report and across the
//! reports of an agency; [`labels`] holds the official labels and layouts;
//! [`sections`] reads a body's section headings as the Markdown parser does.

pub mod checks;
pub mod file;
pub mod labels;
pub mod parse;
pub mod sections;
pub mod similarity;

pub use sections::find_sections;

use chrono::NaiveDate;

use crate::diagnostics::Pos;
use labels::{ItemDef, RowDef};

/// The format a report follows (spec sections 1 and 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Gov2021,
    Gov2019,
    Freeform,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Gov2021, Format::Gov2019, Format::Freeform];

    pub fn key(self) -> &'static str {
        match self {
            Format::Gov2021 => "gov-2021",
            Format::Gov2019 => "gov-2019",
            Format::Freeform => "freeform",
        }
    }

    pub fn from_key(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.key() == s)
    }

    /// The rows of table 三 in this format (empty for freeform).
    pub fn request_rows(self) -> &'static [RowDef] {
        match self {
            Format::Gov2021 => &labels::REQUEST_ROWS_2021,
            Format::Gov2019 => &labels::REQUEST_ROWS_2019,
            Format::Freeform => &[],
        }
    }

    /// The rows of table 二 in this format (empty for freeform).
    pub fn proactive_items(self) -> &'static [ItemDef] {
        match self {
            Format::Gov2021 => &labels::PROACTIVE_2021,
            Format::Gov2019 => &labels::PROACTIVE_2019,
            Format::Freeform => &[],
        }
    }

    pub fn has_tables(self) -> bool {
        self != Format::Freeform
    }
}

/// The kind of body, which sets the publication deadline (R09).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// 县级以上地方人民政府: by 31 March.
    Government,
    /// 县级以上人民政府部门: by 31 January.
    Department,
    /// 乡镇、街道: by 31 January (the common provincial rule).
    Township,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Government, Level::Department, Level::Township];

    pub fn key(self) -> &'static str {
        match self {
            Level::Government => "government",
            Level::Department => "department",
            Level::Township => "township",
        }
    }

    pub fn from_key(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.key() == s)
    }

    /// The Chinese name of the level, as shown in the portal.
    pub fn label(self) -> &'static str {
        match self {
            Level::Government => "人民政府",
            Level::Department => "政府部门",
            Level::Township => "乡镇（街道）",
        }
    }
}

/// A number cell: `None` is a blank cell as published (counted as 0).
pub type Cell = Option<i64>;

/// A row of `N` numbers whose last is the row's 总计.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row<const N: usize> {
    pub cells: [Cell; N],
    /// Whether the 总计 was written in the file (else it was computed).
    pub total_given: bool,
    /// Where the row's key is; `None` when the row was left out (zeros).
    pub pos: Option<Pos>,
    /// Where each number is, where known.
    pub cell_pos: [Option<Pos>; N],
}

impl<const N: usize> Row<N> {
    /// A row left out of the file: zeros.
    pub fn omitted() -> Self {
        Row {
            cells: [Some(0); N],
            total_given: false,
            pos: None,
            cell_pos: [None; N],
        }
    }

    /// The value of column `i`, blanks counted as 0.
    pub fn value(&self, i: usize) -> i64 {
        self.cells[i].unwrap_or(0)
    }

    pub fn total(&self) -> i64 {
        self.value(N - 1)
    }

    /// Sum of the columns before the 总计 (saturating: the numbers of a
    /// parsed report are bounded, see [`parse::MAX_COUNT`], but a sum is
    /// never allowed to overflow).
    pub fn parts_sum(&self) -> i64 {
        (0..N - 1).fold(0i64, |sum, i| sum.saturating_add(self.value(i)))
    }

    /// Position of column `i`'s number, else of the row, else `fallback`.
    pub fn pos_of(&self, i: usize, fallback: Option<Pos>) -> Option<Pos> {
        self.cell_pos[i].or(self.pos).or(fallback)
    }
}

/// One row of table 二, its numbers in the order of its [`ItemDef`]'s fields.
/// Amounts are stored in units of 1/[`parse::AMOUNT_SCALE`] 万元 (万元 to the 分).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub cells: Vec<Cell>,
    pub pos: Option<Pos>,
}

/// The three tables of a gov-2021 or gov-2019 report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tables {
    /// Table 二, aligned with `format.proactive_items()`.
    pub proactive: Vec<Item>,
    /// Table 三, aligned with `format.request_rows()`.
    pub requests: Vec<Row<7>>,
    /// Table 四: 行政复议, 行政诉讼未经复议直接起诉, 复议后起诉.
    pub appeals: [Row<5>; 3],
    pub requests_pos: Option<Pos>,
    pub appeals_pos: Option<Pos>,
}

impl Tables {
    /// The row of table 三 with `key` (e.g. `new`, `denied.state_secret`).
    pub fn request_row(&self, format: Format, path: &str) -> Option<&Row<7>> {
        format
            .request_rows()
            .iter()
            .position(|d| d.path() == path)
            .map(|i| &self.requests[i])
    }
}

/// A heading of the body that opens one of the six sections (see [`sections`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// 0 for 一 … 5 for 六.
    pub index: usize,
    pub heading: String,
    pub line: usize,
}

/// Where the metadata keys are, for messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MetaPos {
    pub agency: Option<Pos>,
    pub agency_slug: Option<Pos>,
    pub year: Option<Pos>,
    pub published: Option<Pos>,
    pub title: Option<Pos>,
}

/// A checked report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Path relative to the site root.
    pub path: String,
    pub format: Format,
    pub agency: String,
    pub agency_slug: String,
    pub year: i32,
    pub published: NaiveDate,
    pub level: Level,
    pub region: Option<String>,
    pub title: String,
    pub draft: bool,
    /// `None` for freeform reports, and for reports whose tables have type
    /// errors (R05), which the balance checks then skip.
    pub tables: Option<Tables>,
    pub body: String,
    /// File line of the body's first line.
    pub body_line: usize,
    pub sections: Vec<Section>,
    pub meta_pos: MetaPos,
}

impl Report {
    /// The default title: 《<agency><year>年政府信息公开工作年度报告》.
    pub fn default_title(agency: &str, year: i32) -> String {
        format!("{agency}{year}年政府信息公开工作年度报告")
    }

    /// The last day this report may be published on without R09 (inclusive).
    pub fn deadline(&self) -> NaiveDate {
        deadline(self.year, self.level)
    }

    pub fn on_time(&self) -> bool {
        self.published <= self.deadline()
    }
}

/// The last day on which the report for `year` is on time (inclusive).
///
/// 条例 (2019) 第四十九、五十条: departments by 31 January, the government of a
/// level by 31 March; townships and streets follow the common provincial rule
/// of 31 January. Reports for 2008-2018 fell under the 2008 条例 第三十一条,
/// which set 31 March for every body.
pub fn deadline(year: i32, level: Level) -> NaiveDate {
    let next = year.saturating_add(1);
    // Parsed years are 2008 to this year; any other year has no real date.
    let date = |month| NaiveDate::from_ymd_opt(next, month, 31).unwrap_or(NaiveDate::MAX);
    if year <= 2018 {
        return date(3);
    }
    match level {
        Level::Government => date(3),
        Level::Department | Level::Township => date(1),
    }
}

/// A parsed report for the tests of other modules: the `valid` fixture.
#[cfg(test)]
pub(crate) fn valid_fixture() -> Report {
    let text = include_str!("../../tests/fixtures/valid/content/reports/ceshi/2023.md");
    let split = crate::frontmatter::split(text).expect("the fixture has front matter");
    let root = crate::frontmatter::parse(split.yaml, split.yaml_line).expect("the fixture parses");
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).expect("a date");
    let (report, diags) = parse::parse_report(
        "content/reports/ceshi/2023.md",
        &root,
        split.body.to_string(),
        split.body_line,
        today,
    );
    assert!(diags.is_empty(), "{diags:#?}");
    report.expect("the fixture is a report")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_found_outside_code_fences() {
        let body = "intro\n## 一、总体情况\ntext\n```\n## 五、not a heading\n```\n## 六、其他\n### 三、sub\n";
        let s = find_sections(body, 10);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].index, s[0].line), (0, 11));
        assert_eq!((s[1].index, s[1].heading.as_str()), (5, "六、其他"));
    }

    #[test]
    fn row_defs_have_the_official_shape() {
        use labels::RowKind;
        let rows = Format::Gov2021.request_rows();
        assert_eq!(rows.len(), 25);
        assert_eq!(rows.iter().filter(|r| r.kind == RowKind::Result).count(), 21);
        let rows19 = Format::Gov2019.request_rows();
        assert_eq!(rows19.iter().filter(|r| r.kind == RowKind::Result).count(), 19);
    }
}
