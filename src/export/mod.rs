//! `gongkai export`: a report as the official Word document (.docx) that
//! offices file and print, from the same content file as its portal page.
//! The title (方正小标宋, 二号, centred), the six sections in official order
//! with the body's text under their headings (黑体), tables 二, 三 and 四 in
//! the official layout with merged cells under sections 二, 三 and 四 (the
//! layout of [`crate::report::labels`], as the portal's tables), and the
//! signature (the agency and the date, right-aligned), in 仿宋_GB2312 三号
//! on A4 with the margins of GB/T 9704 and page numbers in the footer.
//!
//! [`ooxml`] writes the package, [`tables`] the official tables, [`body`]
//! the Markdown narrative. The file depends on the report alone (never on
//! the run's language or the clock): the same report gives the same bytes.
//! `gongkai import` reads the file back to the same numbers and metadata
//! (tested in `tests/export.rs`).

mod body;
mod ooxml;
mod tables;

use crate::report::labels::SECTIONS;
use crate::report::sections::{blocks, Block};
use crate::report::{Format, Report};

pub use ooxml::zip_of;

/// The name of a report's document in a year's archive:
/// `<agency_slug>-<year>.docx`.
pub fn file_name(report: &Report) -> String {
    format!("{}-{}.docx", report.agency_slug, report.year)
}

/// A date as Chinese documents write it: `2024年1月5日`.
fn chinese_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A report body cut at its section headings: the text before the first,
/// then each section's (index, heading, text), in the order written.
fn cut(body: &str) -> (&str, Vec<(usize, String, &str)>) {
    let mut heads: Vec<(usize, String, usize, usize)> = Vec::new();
    for b in blocks(body) {
        if let Block::Heading(h) = b {
            if let Some(i) = h.section {
                heads.push((i, h.text, h.range.start, h.range.end));
            }
        }
    }
    let intro = &body[..heads.first().map_or(body.len(), |h| h.2)];
    let mut sections = Vec::with_capacity(heads.len());
    for (k, (i, text, _, end)) in heads.iter().enumerate() {
        let next = heads.get(k + 1).map_or(body.len(), |h| h.2);
        sections.push((*i, text.clone(), &body[*end..next.max(*end)]));
    }
    (intro, sections)
}

/// Whether the body's text ends with its signature: a short line naming
/// the body (no sentence punctuation) and a date, or the date alone (as the
/// portal's page reads it).
fn ends_with_signature(body: &str) -> bool {
    let lines: Vec<&str> = body.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    lines.last().is_some_and(|l| is_date(l))
}

/// `2024年1月5日`, `2024 年 1 月 5 日` or `二〇二四年一月五日`.
fn is_date(s: &str) -> bool {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(rest) = s.strip_suffix('日') else {
        return false;
    };
    let parts: Vec<&str> = rest.split(['年', '月']).collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_digit() || "〇零一二三四五六七八九十".contains(c))
        })
}

/// The `<w:body>` content of a report's document.
fn document_body(report: &Report) -> String {
    let mut out = String::with_capacity(64 * 1024);
    ooxml::paragraph(&mut out, &ooxml::Para::styled("Title"), &report.title);
    let (intro, written) = cut(&report.body);
    body::markdown(&mut out, intro);
    // The six sections in official order (as the portal's page): the
    // body's text under its heading, the tables under 二, 三 and 四; a
    // section written twice keeps its text, after the last.
    let mut slots: [Option<(String, &str)>; 6] = Default::default();
    let mut extra: Vec<(String, &str)> = Vec::new();
    for (i, heading, text) in written {
        match &slots[i] {
            None => slots[i] = Some((heading, text)),
            Some(_) => extra.push((heading, text)),
        }
    }
    let mut last_text = "";
    for (i, slot) in slots.into_iter().enumerate() {
        if report.format == Format::Freeform && slot.is_none() {
            continue;
        }
        let (heading, text) = slot.unwrap_or_else(|| (SECTIONS[i].to_string(), ""));
        ooxml::paragraph(&mut out, &ooxml::Para::styled("Heading1"), &heading);
        if let Some(t) = &report.tables {
            match i {
                1 => tables::table2(&mut out, report.format, t),
                2 => tables::table3(&mut out, report.format, t),
                3 => tables::table4(&mut out, t),
                _ => {}
            }
        }
        body::markdown(&mut out, text);
        last_text = text;
    }
    for (heading, text) in &extra {
        ooxml::paragraph(&mut out, &ooxml::Para::styled("Heading1"), heading);
        body::markdown(&mut out, text);
        last_text = text;
    }
    if !ends_with_signature(if last_text.is_empty() { intro } else { last_text }) {
        // The signature, right-aligned: an empty line, the body, the date.
        let right = ooxml::Para {
            align: Some("right"),
            first_line_chars: Some(0),
            ..ooxml::Para::default()
        };
        out.push_str("<w:p/>");
        ooxml::paragraph(&mut out, &right, &report.agency);
        ooxml::paragraph(&mut out, &right, &chinese_date(report.published));
    }
    out
}

/// The .docx of `report`.
pub fn docx(report: &Report) -> std::io::Result<Vec<u8>> {
    let body = document_body(report);
    let date = report.published.format("%Y-%m-%d").to_string();
    ooxml::package(
        &body,
        &ooxml::Meta {
            title: &report.title,
            creator: &report.agency,
            date: &date,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_in_official_order_with_the_tables() {
        let mut r = crate::report::valid_fixture();
        r.body =
            "前言。\n\n## 五、问题\n\n问题。\n\n## 一、总体情况\n\n总体。\n\n## 一、又一次\n\n重复。\n".to_string();
        let x = document_body(&r);
        let at = |s: &str| x.find(s).unwrap_or_else(|| panic!("{s} not in {x}"));
        assert!(at("前言") < at("一、总体情况"));
        assert!(at("总体。") < at("二、主动公开政府信息情况"));
        assert!(at("第二十条第（一）项") < at("三、收到和处理政府信息公开申请情况"));
        assert!(at("申请人情况") < at("四、政府信息公开行政复议"));
        assert!(at("行政复议</w:t>") < at("五、问题"));
        assert!(at("问题。") < at("六、其他需要报告的事项"));
        assert!(at("六、其他需要报告的事项") < at("一、又一次"));
        // No signature in the text: one is added, the date in Chinese.
        let date = chinese_date(r.published);
        assert!(at("重复。") < at(&date), "{x}");
        assert_eq!(x.matches("<w:tbl>").count(), 3);
    }

    #[test]
    fn a_signature_in_the_text_is_not_written_twice() {
        let mut r = crate::report::valid_fixture();
        r.body = "## 六、其他需要报告的事项\n\n无。\n\n示例局\n\n2024年1月5日\n".to_string();
        let x = document_body(&r);
        assert_eq!(x.matches("2024年1月5日").count(), 1, "{x}");
        assert!(is_date("二〇二四年一月五日") && is_date("2024 年 1 月 5 日") && !is_date("1月5日"));
    }

    #[test]
    fn the_same_report_gives_the_same_bytes() {
        let r = crate::report::valid_fixture();
        let a = docx(&r).unwrap();
        assert_eq!(a, docx(&r).unwrap());
        assert!(a.starts_with(b"PK\x03\x04"));
    }
}
