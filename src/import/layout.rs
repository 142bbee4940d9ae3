//! Source shapes brought to lines before anything else reads them: Markdown
//! as crawlers write it (pipe tables become tab-separated rows, their
//! `|---|` rules and `#` heading marks go), CRLF, and a text whose line
//! breaks were all lost (a whole report on one line), which gets breaks
//! again after its title, around its section headings and before its
//! closing date. What this changes is only where lines break and which
//! characters separate cells; no word and no number is altered.

use std::borrow::Cow;

use super::text::{is_space, norm};
use crate::report::labels::SECTIONS;

/// A line this long, with several of the section headings on it, is a
/// text that lost its line breaks.
const LONG_LINE: usize = 600;

/// The source with its shapes normalised; borrowed when nothing changes.
pub fn normalise(source: &str) -> Cow<'_, str> {
    let needs = source.lines().any(|l| {
        let t = l.trim_start();
        t.starts_with('|') || t.starts_with('#') || l.len() > LONG_LINE * 3 || l.contains(BOX_BAR)
    });
    // Pipe tables without outer pipes (`a| b| c`), as html2text writes
    // them: known by a rule row (`---|---`) somewhere in the text.
    let bare_pipes = source.lines().any(is_rule);
    let split = split_heading_at(source).is_some();
    if !needs && !split && !bare_pipes {
        return Cow::Borrowed(source);
    }
    let mut lines: Vec<String> = Vec::new();
    for line in source.lines() {
        if line.chars().count() > LONG_LINE && sections_on(line) >= 3 {
            lines.extend(unfold(line).iter().map(|l| markdown_line(l, bare_pipes).into_owned()));
        } else {
            lines.push(markdown_line(line, bare_pipes).into_owned());
        }
    }
    join_split_headings(&mut lines);
    let mut out = String::with_capacity(source.len() + 64);
    for l in lines {
        out.push_str(&l);
        out.push('\n');
    }
    Cow::Owned(out)
}

/// The first line that is a section heading broken over two lines.
fn split_heading_at(source: &str) -> Option<usize> {
    let lines: Vec<&str> = source.lines().collect();
    (0..lines.len()).find(|&i| heading_rest(&lines, i).is_some())
}

/// When line `i` is the start of a section heading (`六、其他需要报告的`)
/// whose words the next non-blank line completes (`事项`): that line.
fn heading_rest<S: AsRef<str>>(lines: &[S], i: usize) -> Option<usize> {
    let n = norm(lines[i].as_ref());
    let mut it = n.chars();
    let k = match (it.next(), it.next()) {
        (Some(c), Some('.')) => crate::report::labels::SECTION_NUMERALS.iter().position(|&x| x == c)?,
        _ => return None,
    };
    let official = norm(SECTIONS[k]);
    if n.chars().count() < 4 || n == official || !official.starts_with(&n) {
        return None;
    }
    let j = (i + 1..lines.len().min(i + 3)).find(|&j| !lines[j].as_ref().trim_matches(is_space).is_empty())?;
    let next = norm(lines[j].as_ref());
    let joined = format!("{n}{next}");
    (next.chars().count() <= 12 && official.starts_with(&joined)).then_some(j)
}

/// Section headings broken over two lines, joined (the second line left blank).
fn join_split_headings(lines: &mut [String]) {
    for i in 0..lines.len() {
        if let Some(j) = heading_rest(lines, i) {
            let rest = lines[j].trim_matches(is_space).to_string();
            let head = lines[i].trim_end_matches(is_space).to_string();
            lines[i] = head + &rest;
            lines[j].clear();
        }
    }
}

/// The vertical bar of box-drawing tables (`│`, as w3m and lynx draw HTML
/// tables); their borders are the other box-drawing characters.
const BOX_BAR: char = '\u{2502}';

fn box_border(c: char) -> bool {
    ('\u{2500}'..='\u{257f}').contains(&c)
}

/// A rule row of a pipe table: `|---|:--:|` or `---|---`.
fn is_rule(line: &str) -> bool {
    let t = line.trim_matches(is_space);
    t.contains('|') && t.contains("---") && t.chars().all(|c| c == '-' || c == ':' || c == '|' || is_space(c))
}

/// A Markdown line as plain text: a pipe-table row as tab-separated cells
/// (its rule row as a blank line), a heading without its `#` marks. With
/// `bare_pipes`, a line with a `|` is a table row even without outer pipes.
fn markdown_line(line: &str, bare_pipes: bool) -> Cow<'_, str> {
    let t = line.trim_matches(is_space);
    if is_rule(t) || (!t.is_empty() && t.chars().all(|c| box_border(c) || is_space(c))) {
        return Cow::Borrowed("");
    }
    if t.contains(BOX_BAR) {
        let inner = t.trim_matches(|c| c == BOX_BAR);
        let cells: Vec<&str> = inner.split(BOX_BAR).map(|c| c.trim_matches(is_space)).collect();
        return Cow::Owned(cells.join("\t"));
    }
    let outer = t.len() >= 2 && t.starts_with('|') && t.ends_with('|');
    if outer || (bare_pipes && t.contains('|')) {
        let inner = if outer { &t[1..t.len() - 1] } else { t };
        let cells: Vec<&str> = inner.split('|').map(|c| c.trim_matches(is_space)).collect();
        return Cow::Owned(cells.join("\t"));
    }
    let hashes = t.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) && t[hashes..].starts_with(|c: char| is_space(c)) {
        return Cow::Owned(t[hashes..].trim_matches(is_space).to_string());
    }
    Cow::Borrowed(line)
}

/// The section headings `line` holds with their numeral (`二、主动公开…`).
fn sections_on(line: &str) -> usize {
    let n = norm(line);
    SECTIONS.iter().filter(|s| n.contains(&heading_key(s))).count()
}

/// The start of a section heading as it is found in running text: its
/// numeral and the first four characters of its words (`二.主动公开`).
fn heading_key(section: &str) -> String {
    let n = norm(section);
    n.chars().take(6).collect()
}

/// A text that lost its line breaks, cut into lines: after the title,
/// before and after each section heading, and before the closing date.
fn unfold(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let n: Vec<char> = chars
        .iter()
        .map(|c| norm(&c.to_string()).chars().next().unwrap_or(*c))
        .collect();
    let find = |key: &[char], from: usize| -> Option<usize> {
        if key.is_empty() || key.len() > n.len() {
            return None;
        }
        (from..=n.len() - key.len()).find(|&i| n[i..i + key.len()] == key[..])
    };
    let mut cuts: Vec<usize> = Vec::new();
    // The title ends at its first 报告 (年度报告, 工作报告).
    let report: Vec<char> = "报告".chars().collect();
    if let Some(i) = find(&report, 0).filter(|&i| i < 120) {
        cuts.push(i + report.len());
    }
    // Each section heading, in order: a cut before it, and after its
    // official words when they are there in full.
    let mut from = cuts.last().copied().unwrap_or(0);
    for s in SECTIONS {
        let key: Vec<char> = heading_key(s).chars().collect();
        let Some(i) = find(&key, from) else { continue };
        cuts.push(i);
        let full: Vec<char> = norm(s).chars().collect();
        let whole = n.len() >= i + full.len() && n[i..i + full.len()] == full[..];
        // Worded otherwise (`四、政府信息公开行政复议与行政诉讼情况`): the
        // heading ends at its first 情况 or 事项 within 30 characters.
        let end = if whole {
            Some(i + full.len())
        } else {
            (i + key.len()..(i + 30).min(n.len().saturating_sub(1)))
                .find(|&j| matches!((n[j], n[j + 1]), ('情', '况') | ('事', '项')))
                .map(|j| j + 2)
        };
        if let Some(e) = end {
            cuts.push(e);
        }
        from = end.unwrap_or(i + key.len());
    }
    // The closing date: the last 20xx年x月x日 (or 20xx-xx-xx) near the end.
    let tail = chars.len().saturating_sub(60);
    if let Some(i) = (tail..chars.len()).rev().find(|&i| {
        let s: String = chars[i..].iter().collect();
        starts_with_date(&s)
    }) {
        cuts.push(i);
        // The signing agency before it, after the last sentence's end.
        if let Some(j) = (tail..i).rev().find(|&j| chars[j] == '。') {
            cuts.push(j + 1);
        }
    }
    cuts.retain(|&c| c > 0 && c < chars.len());
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let mut at = 0;
    for c in cuts {
        out.push(chars[at..c].iter().collect::<String>());
        at = c;
    }
    out.push(chars[at..].iter().collect());
    out
}

/// Whether `s` opens with a date: `2024年1月5日` or `2024-01-05`.
fn starts_with_date(s: &str) -> bool {
    let digits: String = s.chars().take(4).collect();
    digits.len() == 4
        && digits.chars().all(|c| c.is_ascii_digit())
        && (digits.starts_with("19") || digits.starts_with("20"))
        && !super::meta::dates(&s.chars().take(16).collect::<String>()).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_tables_become_tab_rows_and_rules_go() {
        let t = normalise("| 规章 | 1 |  | 3 |\n|---|---|---|---|\n### 二、主动公开\n正文\n");
        assert_eq!(t, "规章\t1\t\t3\n\n二、主动公开\n正文\n");
    }

    #[test]
    fn a_heading_broken_over_two_lines_is_joined() {
        let t = normalise("六、其他需要报告的\n事项\n\n本年度未收取费用。\n");
        assert_eq!(t, "六、其他需要报告的事项\n\n\n本年度未收取费用。\n");
        // Not when the next line does not complete the official words.
        assert!(matches!(
            normalise("六、其他需要报告的\n情况说明如下\n"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn pipe_rows_without_outer_pipes_when_a_rule_row_says_so() {
        let t = normalise("信息内容| 采购项目数量| 采购总金额\n---|---\n政府集中采购| 6| 251000元\n");
        assert_eq!(t, "信息内容\t采购项目数量\t采购总金额\n\n政府集中采购\t6\t251000元\n");
        assert!(matches!(normalise("甲|乙\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn box_drawing_tables_become_tab_rows() {
        let t = normalise("┌──┬──┐\n│政府集中采购 │  6  │ 251000元 │\n└──┴──┘\n");
        assert_eq!(t, "\n政府集中采购\t6\t251000元\n\n");
    }

    #[test]
    fn a_heading_worded_otherwise_on_one_line_ends_at_its_qingkuang() {
        let mut one = String::from("示例局2023年度政府信息公开工作年度报告正文。");
        one.push_str(&"一、总体情况正文。".repeat(90));
        one.push_str("二、主动公开政府信息情况表二。三、收到和处理政府信息公开申请情况表三。");
        one.push_str("四、政府信息公开行政复议与行政诉讼情况2023年，没有。行政复议000");
        let t = normalise(&one);
        assert!(t.lines().any(|l| l == "四、政府信息公开行政复议与行政诉讼情况"), "{t}");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(normalise("一、总体情况\n正文\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_text_on_one_line_gets_its_breaks_back() {
        let mut one = String::from("示例县2023年度政府信息公开工作年度报告为贯彻落实条例，现公布。");
        for s in SECTIONS {
            one.push_str(s);
            one.push_str(&"正文内容。".repeat(30));
        }
        one.push_str("示例县人民政府2024年1月15日");
        let t = normalise(&one);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "示例县2023年度政府信息公开工作年度报告");
        for s in SECTIONS {
            assert!(lines.contains(&s), "{s} not on a line of its own: {lines:?}");
        }
        assert_eq!(lines[lines.len() - 1], "2024年1月15日");
        assert_eq!(lines[lines.len() - 2], "示例县人民政府");
    }
}
