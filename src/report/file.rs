//! The text of a report file: front matter with every key of the format,
//! each line commented with its official label, then the body. The one
//! writer of report files: `gongkai new report` writes its template with it
//! (zeros and a hint under each heading), `gongkai import` what it read from a
//! published report (numbers kept as text, blanks as `null`).

use std::fmt::Write as _;

use super::labels::{self, APPEAL_ROWS};
use super::{Format, Level};
use chrono::NaiveDate;

/// A number cell as it is to be written: `None` is a blank cell (`null`).
pub type CellText = Option<String>;

/// The numbers of a report as text, in the layout of the format's label
/// tables (`Format::proactive_items`, `Format::request_rows`, `APPEAL_ROWS`).
/// Kept as text so that a number is written exactly as it was read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Numbers {
    /// Table 二: one entry per item, one cell per field.
    pub proactive: Vec<Vec<CellText>>,
    /// Table 三: one row of 7 cells per row of the format.
    pub requests: Vec<[CellText; 7]>,
    /// Table 四: 行政复议, 未经复议直接起诉, 复议后起诉.
    pub appeals: [[CellText; 5]; 3],
}

/// Everything a report file holds. With `numbers: None` every number is
/// written as 0 and with `body: None` the six headings with a hint each
/// (the `new report` template); `gongkai import` fills both.
pub struct ReportFile<'a> {
    pub format: Format,
    /// `None`: not found by `import`; written empty, with a comment saying
    /// what to fill in (and `draft` should be true).
    pub agency: Option<&'a str>,
    pub slug: &'a str,
    pub year: i32,
    pub level: Level,
    /// `None`: not found by `import`; written empty, with a comment saying
    /// what to fill in (and `draft` should be true).
    pub published: Option<NaiveDate>,
    pub draft: bool,
    pub title: Option<&'a str>,
    /// Where the report came from, written as a comment (imports).
    pub source: Option<&'a str>,
    pub numbers: Option<&'a Numbers>,
    pub body: Option<&'a str>,
}

/// A YAML plain scalar when `s` is safe as one, else a double-quoted string.
fn yaml_str(s: &str) -> String {
    let plain = !s.is_empty()
        && s.trim() == s
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`~".contains(c))
        && !s.chars().any(|c| c.is_control())
        && !matches!(s, "null" | "true" | "false" | "yes" | "no" | "on" | "off")
        && s.parse::<f64>().is_err();
    if plain {
        s.to_string()
    } else {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
}

/// The comments on what an import did not find (Chinese for the site's
/// editors, English after it for the command's users).
pub const MISSING_AGENCY: &str =
    "未找到报告机关：请填写机关全称，与发布的报告一致 (not found in the source: fill in the agency's name as published)";
pub const MISSING_PUBLISHED: &str =
    "未找到发布日期：请填写 YYYY-MM-DD (not found in the source: fill in the publication date, YYYY-MM-DD)";
pub const MISSING_DRAFT: &str =
    "上面标出的项目未找到：填写后改为 false (fill in what is marked as not found above, then set to false)";

/// The hints the `new report` template writes under the six section
/// headings, in their order.
pub const SECTION_HINTS: [&str; 6] = [
    "（请填写：主动公开、依申请公开、政府信息管理、平台建设、监督保障等情况。）",
    TABLES_HINT,
    TABLES_HINT,
    TABLES_HINT,
    "（请填写存在的主要问题及改进情况。）",
    "（请填写其他需要报告的事项，包括本年度收取信息处理费的情况。）",
];

/// The hint under the headings of sections 二-四, whose tables come from the
/// front matter.
const TABLES_HINT: &str = "（表格由上方数据生成；此处可填写表格说明。）";

/// Every fill-in text this module writes where a published report has its
/// own words: the whole text, and the start that still marks what is left
/// of it after an edit (R16 finds either in a report that is not a draft).
/// The one list: the writer above and the check read it alike.
pub const PLACEHOLDERS: [Placeholder; 6] = [
    Placeholder {
        text: SECTION_HINTS[0],
        start: "（请填写",
    },
    Placeholder {
        text: TABLES_HINT,
        start: "（表格由上方数据生成",
    },
    Placeholder {
        text: SECTION_HINTS[4],
        start: "（请填写",
    },
    Placeholder {
        text: SECTION_HINTS[5],
        start: "（请填写",
    },
    Placeholder {
        text: MISSING_AGENCY,
        start: "未找到报告机关",
    },
    Placeholder {
        text: MISSING_PUBLISHED,
        start: "未找到发布日期",
    },
];

/// A fill-in text of a report file (see [`PLACEHOLDERS`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placeholder {
    /// The text as written.
    pub text: &'static str,
    /// Its first words: a line (or a value) that still begins with them is
    /// what is left of the placeholder.
    pub start: &'static str,
}

/// The placeholder whose text `line` holds, or which `line` (trimmed of
/// white space and Markdown's list, quote and emphasis marks) begins with.
pub fn placeholder_in(line: &str) -> Option<&'static Placeholder> {
    // Every text begins with its start (a test checks it), so a line that
    // holds none of the starts holds no placeholder: most lines stop here.
    if !holds_a_start(line) {
        return None;
    }
    let t = line.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '>' | '-' | '*' | '_' | '+'));
    // A text can only begin where its first character is (found by
    // memchr), so only those places are compared. `line.contains(text)`
    // built a substring searcher per line and placeholder, a percent of a
    // whole build.
    PLACEHOLDERS
        .iter()
        .find(|p| holds(line, p.text))
        .or_else(|| PLACEHOLDERS.iter().find(|p| t.starts_with(p.start)))
}

/// The starts of [`PLACEHOLDERS`] grouped by their first character (two
/// groups: `（` and `未`), with a searcher for the character.
type StartsByFirst = Vec<(memchr::memmem::Finder<'static>, Vec<&'static str>)>;

static STARTS_BY_FIRST: std::sync::LazyLock<StartsByFirst> = std::sync::LazyLock::new(|| {
    let mut groups: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for start in PLACEHOLDERS.map(|p| p.start) {
        let first = &start[..start.chars().next().map_or(0, char::len_utf8)];
        match groups.iter_mut().find(|g| g.0 == first) {
            Some(g) if !g.1.contains(&start) => g.1.push(start),
            Some(_) => {}
            None => groups.push((first, vec![start])),
        }
    }
    groups
        .into_iter()
        .map(|(first, starts)| (memchr::memmem::Finder::new(first), starts))
        .collect()
});

/// Whether `text` holds one of the starts of [`PLACEHOLDERS`] (as
/// `str::contains` would answer for each). Every report's body is asked
/// (and nearly none holds one), then each line of one that does: the
/// starts are grouped by their first character, each found by a vectorised
/// search (two passes over the text), and a start is compared only where
/// its first character is. (One `memchr2` for the last bytes of the two
/// first characters stopped at one character in sixteen, and cost more.)
pub fn holds_a_start(text: &str) -> bool {
    let bytes = text.as_bytes();
    STARTS_BY_FIRST.iter().any(|(first, starts)| {
        // A start found at `from` begins a character of `text` there (a
        // start begins with one), as `str::contains` finds it.
        first
            .find_iter(bytes)
            .any(|from| starts.iter().any(|s| bytes[from..].starts_with(s.as_bytes())))
    })
}

/// `line.contains(text)`, looking only where `text`'s first character is.
fn holds(line: &str, text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return true;
    };
    line.match_indices(first).any(|(i, _)| line[i..].starts_with(text))
}

fn cell_text(c: &CellText) -> &str {
    c.as_deref().unwrap_or("null")
}

/// The text of a report file: front matter with every key of the format,
/// each line commented with its official label, then the body.
pub fn report_file(r: &ReportFile) -> String {
    write_file(r, r.numbers.is_none())
}

/// What `new report --from-previous` takes from the agency's report for
/// the year before: the figures that carry into the new year, and the
/// headings its narrative used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Previous {
    /// Last year's 四、结转下年度继续办理, which is this year's
    /// 二、上年结转政府信息公开申请数量 (R08); `None` when last year's
    /// report had no tables.
    pub carried_forward: Option<[i64; 7]>,
    /// Last year's 现行有效件数 of 规章 and 行政规范性文件, this year's
    /// starting point (R11); `None` unless last year's report was gov-2021.
    pub in_force: Option<[i64; 2]>,
    /// Last year's section headings by section (一 … 六), where it had one.
    pub headings: [Option<String>; 6],
}

/// The `new report` template (gov-2021, a draft to be filled in) begun
/// from last year's report: 上年结转 = last year's 结转下年度, 现行有效件数
/// = last year's with 本年制发/废止 0, every other number 0, and last
/// year's section headings, each with its fill-in hint. `r.numbers` and
/// `r.body` are ignored. R08 and R11 hold by construction.
pub fn report_file_from_previous(r: &ReportFile, prev: &Previous) -> String {
    let format = Format::Gov2021;
    let zero = || Some("0".to_string());
    let mut numbers = Numbers {
        proactive: format
            .proactive_items()
            .iter()
            .map(|item| vec![zero(); item.fields.len()])
            .collect(),
        requests: format
            .request_rows()
            .iter()
            .map(|_| std::array::from_fn(|_| zero()))
            .collect(),
        appeals: std::array::from_fn(|_| std::array::from_fn(|_| zero())),
    };
    if let Some(forward) = prev.carried_forward {
        if let Some(k) = format
            .request_rows()
            .iter()
            .position(|d| d.kind == labels::RowKind::CarriedOver)
        {
            numbers.requests[k] = forward.map(|v| Some(v.to_string()));
        }
    }
    if let Some(in_force) = prev.in_force {
        for (item, value) in [labels::P21_RULES, labels::P21_NORMATIVE].into_iter().zip(in_force) {
            if let Some(cell) = numbers
                .proactive
                .get_mut(item)
                .and_then(|c| c.get_mut(labels::F21_IN_FORCE))
            {
                *cell = Some(value.to_string());
            }
        }
    }
    let mut body = String::new();
    for (i, standard) in labels::SECTIONS.iter().enumerate() {
        let heading = prev.headings[i].as_deref().unwrap_or(standard);
        let _ = write!(body, "## {heading}\n\n{}\n\n", SECTION_HINTS[i]);
    }
    let file = ReportFile {
        format,
        numbers: Some(&numbers),
        body: Some(&body),
        ..*r
    };
    write_file(&file, true)
}

/// [`report_file`]; `template`: the comments of a template to be filled
/// in (the date to be corrected, `draft` to be set false when done).
fn write_file(r: &ReportFile, template: bool) -> String {
    let mut s = String::new();
    let w = &mut s;
    let _ = writeln!(w, "---");
    if let Some(src) = r.source {
        let _ = writeln!(
            w,
            "# 由 gongkai import 从 {src} 导入；数字与发布的报告一致，空白单元格写作 null"
        );
    }
    let format_note = match r.format {
        Format::Gov2021 => "格式：2021年版年度报告格式（国办公开办函〔2021〕30号）",
        Format::Gov2019 => "格式：2019年版（试行）年度报告格式（国办公开办函〔2019〕60号）",
        Format::Freeform => "格式：无固定表格（2019年以前的报告）",
    };
    let _ = writeln!(w, "format: {}   # {format_note}", r.format.key());
    match r.agency {
        Some(agency) => {
            let _ = writeln!(w, "agency: {}   # 报告机关，与发布的报告一致", yaml_str(agency));
        }
        None => {
            let _ = writeln!(w, "agency:   # {MISSING_AGENCY}");
        }
    }
    let _ = writeln!(
        w,
        "agency_slug: {}   # 机关代号，用于网址（小写字母、数字、连字符）",
        r.slug
    );
    let _ = writeln!(w, "year: {}   # 统计年度", r.year);
    match r.published {
        Some(date) if template => {
            let _ = writeln!(w, "published: {date}   # 发布日期（YYYY-MM-DD），请改为实际发布日期");
        }
        Some(date) => {
            let _ = writeln!(w, "published: {date}   # 发布日期（YYYY-MM-DD）");
        }
        None => {
            let _ = writeln!(w, "published:   # {MISSING_PUBLISHED}");
        }
    }
    let _ = writeln!(
        w,
        "level: {}   # government 人民政府（3月31日前）| department 政府部门 | township 乡镇街道（1月31日前）",
        r.level.key()
    );
    if let Some(title) = r.title {
        let _ = writeln!(w, "title: {}   # 报告标题，与发布的报告一致", yaml_str(title));
    }
    let missing = r.agency.is_none() || r.published.is_none();
    if template {
        let _ = writeln!(w, "draft: {}   # 填写完成后改为 false，报告才会发布", r.draft);
    } else if missing {
        let _ = writeln!(w, "draft: {}   # {MISSING_DRAFT}", r.draft);
    } else {
        let _ = writeln!(w, "draft: {}   # true：不发布", r.draft);
    }
    if r.format.has_tables() {
        write_tables(w, r.format, r.numbers);
    }
    let _ = writeln!(w, "---");
    let _ = writeln!(w);
    match r.body {
        Some(body) => {
            w.push_str(body.trim_end());
            w.push('\n');
        }
        None => {
            for (i, heading) in labels::SECTIONS.iter().enumerate() {
                let _ = writeln!(w, "## {heading}");
                let _ = writeln!(w);
                let _ = writeln!(w, "{}", SECTION_HINTS[i]);
                let _ = writeln!(w);
            }
        }
    }
    s
}

/// The `proactive`, `requests` and `appeals` blocks; zeros when `numbers` is `None`.
fn write_tables(w: &mut String, format: Format, numbers: Option<&Numbers>) {
    let zero = Some("0".to_string());
    let _ = writeln!(w);
    let _ = writeln!(w, "proactive:   # {}", labels::TABLE_2);
    for (k, item) in format.proactive_items().iter().enumerate() {
        let cell = |f: usize| -> &str {
            match numbers {
                Some(n) => n.proactive.get(k).and_then(|c| c.get(f)).map_or("null", cell_text),
                None => "0",
            }
        };
        let key = format!("{}:", item.key);
        if item.scalar {
            let _ = writeln!(
                w,
                "  {key:<16}{}   # {} {} {}",
                cell(0),
                item.block,
                item.label,
                item.fields[0].label
            );
        } else {
            let fields: Vec<String> = item
                .fields
                .iter()
                .enumerate()
                .map(|(f, d)| format!("{}: {}", d.key, cell(f)))
                .collect();
            let names: Vec<&str> = item.fields.iter().map(|f| f.label).collect();
            let _ = writeln!(
                w,
                "  {key:<16}{{{}}}   # {} {}：{}",
                fields.join(", "),
                item.block,
                item.label,
                names.join(" ")
            );
        }
    }
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "requests:   # {}；每行7个数：{}（总计可省略，省略时自动计算）",
        labels::TABLE_3,
        labels::REQUEST_COLUMNS.join(" ")
    );
    let row_text = |cells: Option<&[CellText]>, n: usize| -> String {
        let parts: Vec<&str> = (0..n)
            .map(|i| match cells {
                Some(c) => c.get(i).map_or("null", cell_text),
                None => cell_text(&zero),
            })
            .collect();
        format!("[{}]", parts.join(", "))
    };
    let mut open_group: Option<&str> = None;
    for (k, def) in format.request_rows().iter().enumerate() {
        let cells = numbers.map(|n| n.requests.get(k).map_or(&[][..], |r| &r[..]));
        let row = row_text(cells, 7);
        match def.group {
            Some(g) => {
                if open_group != Some(g) {
                    let label = labels::group_label(g);
                    let _ = writeln!(w, "  {g}:   # 三、本年度办理结果{label}");
                    open_group = Some(g);
                }
                let key = format!("{}:", def.key);
                let _ = writeln!(w, "    {key:<20}{row}   # {}", def.label);
            }
            None => {
                open_group = None;
                let key = format!("{}:", def.key);
                let _ = writeln!(w, "  {key:<22}{row}   # {}", def.full_label());
            }
        }
    }
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "appeals:   # {}；每行5个数：{}",
        labels::TABLE_4,
        labels::APPEAL_COLUMNS.join(" ")
    );
    for (b, def) in APPEAL_ROWS.iter().enumerate() {
        let key = format!("{}:", def.key);
        let row = row_text(numbers.map(|n| &n.appeals[b][..]), 5);
        let _ = writeln!(w, "  {key:<26}{row}   # {}", def.label);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fill_in_text_written_is_a_placeholder_and_found_again() {
        for hint in SECTION_HINTS {
            assert!(PLACEHOLDERS.iter().any(|p| p.text == hint), "{hint}");
        }
        for p in PLACEHOLDERS {
            assert!(p.text.starts_with(p.start), "{p:?}");
            assert_eq!(placeholder_in(p.text).map(|f| f.start), Some(p.start));
            assert!(placeholder_in(&format!("  > {}", p.start)).is_some());
            // Anywhere in a line, after other characters like its first.
            let line = format!("本局（办公室）按要求（见附件）{}（完）", p.text);
            assert_eq!(placeholder_in(&line).map(|f| f.text), Some(p.text), "{line}");
        }
        assert!(placeholder_in("2023年，本局依法做好政府信息公开工作。").is_none());
        assert!(placeholder_in("申请人请填写申请表（请填写完整）。").is_none());
    }

    #[test]
    fn a_line_without_a_start_holds_no_placeholder() {
        // The prefilter never hides a placeholder: every line that
        // `placeholder_in` finds one in holds a start, whatever stands
        // around.
        let mut lines = vec![
            String::new(),
            "2023年，本局依法做好政府信息公开工作。".into(),
            "### （一）主动公开".into(),
        ];
        for p in &PLACEHOLDERS {
            for w in [p.text, p.start] {
                for (before, after) in [("", ""), ("  > - ", "。"), ("正文", ""), ("**", "**")] {
                    lines.push(format!("{before}{w}{after}"));
                }
                // Cut short after each character.
                lines.extend(w.char_indices().map(|(i, _)| w[..i].to_string()));
            }
        }
        for line in &lines {
            if placeholder_in(line).is_some() {
                assert!(holds_a_start(line), "{line}");
            }
        }
        assert!(!holds_a_start("2023年，本局依法做好政府信息公开工作。"));
    }

    /// Whether `text` holds a start, as `str::contains` answers.
    fn contains_a_start(text: &str) -> bool {
        PLACEHOLDERS.iter().any(|p| text.contains(p.start))
    }

    #[test]
    fn the_starts_are_found_by_their_first_characters() {
        // Two groups, `（` and `未`.
        assert_eq!(STARTS_BY_FIRST.len(), 2);
        // Each start after every length of text, ASCII or not, and the
        // first characters alone.
        for p in PLACEHOLDERS {
            for pad in 0..70 {
                for filler in ["a", "（", "未", "政"] {
                    let before = filler.repeat(pad);
                    for line in [
                        format!("{before}{}", p.start),
                        format!("{before}{}后", p.start),
                        format!("{before}{}", &p.start[..p.start.len() - 3]),
                    ] {
                        assert_eq!(holds_a_start(&line), contains_a_start(&line), "{line:?}");
                    }
                }
            }
        }
    }

    /// The characters of the starts (and of their neighbours in the code
    /// points, whose bytes differ by one), and others.
    fn start_chars() -> Vec<char> {
        let mut chars: Vec<char> = PLACEHOLDERS
            .iter()
            .flat_map(|p| p.start.chars())
            .flat_map(|c| {
                [
                    c,
                    char::from_u32(c as u32 + 1).unwrap_or(c),
                    char::from_u32(c as u32 - 1).unwrap_or(c),
                ]
            })
            .chain(['a', '\n', '。', '弈', '缈'])
            .collect();
        chars.sort_unstable();
        chars.dedup();
        chars
    }

    proptest::proptest! {
        #[test]
        fn holds_a_start_is_contains(picks in proptest::collection::vec(0usize..1000, 0..120)) {
            let chars = start_chars();
            let text: String = picks.iter().map(|&i| chars[i % chars.len()]).collect();
            proptest::prop_assert_eq!(holds_a_start(&text), contains_a_start(&text));
            // And with the starts themselves mixed in, at random places.
            let mut with = text.clone();
            for (n, &i) in picks.iter().enumerate().take(3) {
                let at = with.char_indices().nth(i % (with.chars().count() + 1)).map_or(with.len(), |(a, _)| a);
                with.insert_str(at, PLACEHOLDERS[(i + n) % PLACEHOLDERS.len()].start);
            }
            proptest::prop_assert_eq!(holds_a_start(&with), contains_a_start(&with));
        }
    }

    /// `holds` answers as `str::contains` does, wherever the text stands
    /// and whatever stands before it (its first character repeated, a
    /// partial copy).
    #[test]
    fn holds_is_contains() {
        let texts = PLACEHOLDERS.iter().map(|p| p.text).chain(["", "（", "a"]);
        for text in texts {
            let partial = &text[..text.char_indices().nth(3).map_or(text.len(), |(i, _)| i)];
            for line in [
                String::new(),
                text.to_string(),
                format!("（（（{text}"),
                format!("{partial}{text}）"),
                format!("{partial}（一）未{partial}"),
                format!("abc（{partial}"),
                format!("- {text} 后文"),
                "（一）主动公开情况。未找到。".to_string(),
            ] {
                assert_eq!(holds(&line, text), line.contains(text), "{line:?} / {text:?}");
            }
        }
    }
}
