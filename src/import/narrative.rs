//! The narrative as Markdown: the six section headings as written in the
//! source (`## 一、总体情况`), sub-headings such as （一）… as `### `, lines
//! broken inside a sentence joined again, and Markdown's own characters
//! escaped so the text shows as written.

use super::text::{is_space, norm, tidy};
use crate::report::labels::SECTIONS;

/// Finds the section headings 一 … 六 from line `from` on, in order. A
/// heading is a short line that opens with the section's numeral and says
/// nearly what the official heading says (五 and 六 are worded freely).
pub fn headings(lines: &[&str], skip: &[bool], from: usize) -> [Option<usize>; 6] {
    let found = headings_from(lines, skip, from);
    // The section titles listed one a line before the sections (in an
    // introduction or a table of contents): three or more found headings
    // with nothing but blank lines between them. The sections are after.
    let at: Vec<usize> = found.iter().flatten().copied().collect();
    let blank = |i: usize| skip[i] || lines[i].trim_matches(is_space).is_empty();
    let listed = at.windows(2).take_while(|w| (w[0] + 1..w[1]).all(blank)).count();
    if listed >= 2 {
        let after = headings_from(lines, skip, at[listed] + 1);
        if after.iter().flatten().count() >= 3 {
            return after;
        }
    }
    found
}

fn headings_from(lines: &[&str], skip: &[bool], from: usize) -> [Option<usize>; 6] {
    let mut found = [None; 6];
    let mut next = 0;
    let official: Vec<String> = SECTIONS.iter().map(|s| norm(s)).collect();
    for i in from..lines.len() {
        if skip[i] || next >= 6 {
            continue;
        }
        let n = norm(lines[i]);
        if n.is_empty() || n.chars().count() > 40 || n.ends_with('。') {
            continue;
        }
        let mut chars = n.chars();
        let numbered = match (chars.next(), chars.next()) {
            (Some(c), Some('.')) => crate::report::labels::SECTION_NUMERALS
                .iter()
                .position(|&x| x == c)
                .map(|k| (k, chars.as_str().to_string())),
            _ => None,
        };
        let candidate = match numbered {
            Some(x) => Some(x),
            // A heading without its numeral, worded exactly.
            None => official
                .iter()
                .position(|o| o.split_once('.').is_some_and(|(_, t)| t == n))
                .map(|k| (k, n.clone())),
        };
        let Some((k, text)) = candidate else { continue };
        if k < next {
            continue;
        }
        let want = official[k].split_once('.').map_or("", |x| x.1);
        let fits = super::text::label_score(&text, want) >= 0.5
            || (k == 0 && text.contains("总体情况"))
            || (k == 4 && text.contains("问题"))
            || (k == 5 && text.contains("其他") && (text.contains("报告") || text.contains("事项")));
        if fits {
            found[k] = Some(i);
            next = k + 1;
        }
    }
    found
}

/// Whether a line is a sub-heading: a short （一）… line.
fn is_subheading(t: &str) -> bool {
    let t = tidy(t);
    let mut it = t.chars();
    let open = matches!(it.next(), Some('(' | '（'));
    let rest: String = it.collect();
    let numeral_end = rest.find([')', '）']);
    let numeral_ok =
        numeral_end.is_some_and(|e| e > 0 && rest[..e].chars().all(|c| "一二三四五六七八九十".contains(c)));
    let len = t.chars().count();
    open && numeral_ok && len <= 30 && !t.trim_end_matches('。').contains(['。', '，', '；'])
}

/// Escapes what Markdown would read as markup.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\*_`<>[]|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    // Line starts that open a block: #, -, +, =, and 1. or 1) lists.
    let digits = out.chars().take_while(|c| c.is_ascii_digit()).count();
    if out.starts_with(['#', '-', '+', '=']) {
        out.insert(0, '\\');
    } else if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    }
    out
}

/// A short line that opens with a section numeral (`二、主动公开…`).
fn listed_title(t: &str) -> bool {
    let n = norm(t);
    let mut it = n.chars();
    matches!((it.next(), it.next()), (Some(c), Some('.')) if crate::report::labels::SECTION_NUMERALS.contains(&c))
        && n.chars().count() <= 40
        && !n.contains(['。', '，', ','])
}

fn ends_sentence(s: &str) -> bool {
    s.ends_with([
        '。', '！', '？', '；', '：', '!', '?', ';', ':', '…', '”', '」', '）', ')',
    ])
}

/// The body: the lines from `start` on that `keep` keeps, as Markdown.
pub fn body(lines: &[&str], keep: &[bool], sections: &[Option<usize>; 6], start: usize) -> String {
    let mut out = String::new();
    let mut para = String::new();
    let flush = |out: &mut String, para: &mut String| {
        if !para.is_empty() {
            out.push_str(&escape(para));
            out.push_str("\n\n");
            para.clear();
        }
    };
    for (i, line) in lines.iter().enumerate().skip(start) {
        if !keep[i] {
            continue;
        }
        let t = line.replace('\t', " ");
        let t = t.trim_matches(is_space);
        if t.is_empty() {
            flush(&mut out, &mut para);
            continue;
        }
        if sections.contains(&Some(i)) {
            flush(&mut out, &mut para);
            out.push_str("## ");
            out.push_str(&escape(&tidy(t)));
            out.push_str("\n\n");
            continue;
        }
        if is_subheading(t) {
            flush(&mut out, &mut para);
            out.push_str("### ");
            out.push_str(&escape(&tidy(t)));
            out.push_str("\n\n");
            continue;
        }
        // A section title outside its place (listed in the introduction):
        // a line of its own.
        if listed_title(t) {
            flush(&mut out, &mut para);
            out.push_str(&escape(&tidy(t)));
            out.push_str("\n\n");
            continue;
        }
        if !para.is_empty() && ends_sentence(&para) {
            flush(&mut out, &mut para);
        }
        // A line broken inside a sentence: join, with a space only between
        // two Latin words.
        let t: String = collapse(t);
        if para.ends_with(|c: char| c.is_ascii_alphanumeric()) && t.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            para.push(' ');
        }
        para.push_str(&t);
    }
    flush(&mut out, &mut para);
    out.trim_end().to_string() + "\n"
}

/// Runs of white space as one space; none between two Chinese characters
/// or a Chinese character and a digit (extraction puts them there).
fn collapse(t: &str) -> String {
    let cjk = |c: char| !c.is_ascii() && !is_space(c);
    let joins = |a: char, b: char| (cjk(a) && (cjk(b) || b.is_ascii_digit())) || (a.is_ascii_digit() && cjk(b));
    let chars: Vec<char> = t.chars().collect();
    let mut out = String::with_capacity(t.len());
    let mut i = 0;
    while i < chars.len() {
        if is_space(chars[i]) {
            let mut j = i;
            while j < chars.len() && is_space(chars[j]) {
                j += 1;
            }
            let before = out.chars().last();
            let after = chars.get(j).copied();
            let join = matches!((before, after), (Some(a), Some(b)) if joins(a, b));
            if !join && before.is_some() && after.is_some() {
                out.push(' ');
            }
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_in_order_and_not_table_rows() {
        let lines = [
            "一、总体情况",
            "text",
            "三、收到和处理政府信息公开申请情况",
            "一、本年新收政府信息公开申请数量\t0",
            "三、本年度办理结果",
            "四、结转下年度继续办理",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及整改情况",
            "六、其他需要报告的事项",
        ];
        let skip = vec![false; lines.len()];
        let h = headings(&lines, &skip, 0);
        assert_eq!(h, [Some(0), None, Some(2), Some(6), Some(7), Some(8)]);
    }

    #[test]
    fn markdown_of_the_narrative() {
        let lines = [
            "一、总体情况",
            "（一）主动公开情况",
            "本年度共公开信息",
            "120 条。",
            "1. 加强领导，*重点*。",
            "",
            "二是 more",
        ];
        let keep = vec![true; lines.len()];
        let mut sections = [None; 6];
        sections[0] = Some(0);
        let b = body(&lines, &keep, &sections, 0);
        assert_eq!(
            b,
            "## 一、总体情况\n\n### （一）主动公开情况\n\n本年度共公开信息120条。\n\n1\\. 加强领导，\\*重点\\*。\n\n二是 more\n"
        );
    }
}
