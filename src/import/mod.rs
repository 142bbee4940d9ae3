//! `gongkai import`: a published annual report, as plain text copied out of
//! a PDF or Word file (UTF-8, UTF-16 or GBK/GB18030) or as a `.docx`, turned
//! into a content file. This module owns reading the source ([`text`],
//! [`docx`]), finding what the report says about itself ([`meta`]: agency,
//! year, publication date, level), recognising its format, reading its
//! tables by their labels ([`labels`], [`tables`]: every number matched to
//! its official row and column, blanks kept blank, nothing "fixed"), the
//! narrative as Markdown ([`narrative`]) and the agency slug ([`slug`]).
//! The file itself is written by [`crate::report::file::report_file`], the one
//! writer of report files; `commands::import` writes it and checks it.

pub mod docx;
pub mod labels;
pub mod meta;
pub mod narrative;
pub mod slug;
pub mod tables;
pub mod text;

use std::path::Path;

use chrono::{Datelike as _, NaiveDate};

use crate::report::file::{report_file, Numbers, ReportFile};
use crate::report::{Format, Level};

/// What the command line may fix instead of the importer finding it.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The format; `None` recognises it from the table labels.
    pub format: Option<Format>,
    pub agency: Option<String>,
    pub slug: Option<String>,
    pub year: Option<i32>,
    pub published: Option<NaiveDate>,
    pub level: Option<Level>,
}

/// A report read from its published text.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub format: Format,
    pub agency: String,
    pub slug: String,
    pub year: i32,
    pub published: NaiveDate,
    pub level: Level,
    pub title: Option<String>,
    /// The tables' numbers as published; `None` for freeform.
    pub numbers: Option<Numbers>,
    /// The narrative, as Markdown.
    pub body: String,
    /// What the source lacks or has blank, and what was assumed.
    pub warnings: Vec<String>,
}

impl Imported {
    /// The content file; `source` is named in a comment.
    pub fn file_text(&self, source: Option<&str>) -> String {
        report_file(&ReportFile {
            format: self.format,
            agency: &self.agency,
            slug: &self.slug,
            year: self.year,
            level: self.level,
            published: self.published,
            draft: false,
            title: self.title.as_deref(),
            source,
            numbers: self.numbers.as_ref(),
            body: Some(&self.body),
        })
    }
}

/// The most text the importer reads: 8 MiB (a real report is 10-200 KiB of
/// text). The importer's time and memory grow linearly with its input; this
/// bounds them.
pub const TEXT_CAP: usize = 8 << 20;

/// The most lines the importer reads: 200,000 (a real report has a few
/// hundred). Each line costs some bookkeeping of its own, so a text of
/// nothing but line breaks is bounded by this rather than by its size.
pub const LINE_CAP: usize = 200_000;

/// Reads a source file as text: a .docx by its document structure, else a
/// text file in UTF-8, UTF-16 or GB18030. Only a regular file is ever opened
/// (a folder, a FIFO or a device is an error that says so), and at most
/// [`crate::fsx::IMPORT_CAP`] bytes of it are read; see also [`TEXT_CAP`]
/// and [`docx::Limits`].
pub fn read_source(path: &Path) -> Result<String, String> {
    let bytes =
        crate::fsx::read_regular(path, crate::fsx::IMPORT_CAP).map_err(|e| format!("{}: {e}", path.display()))?;
    source_text(path, &bytes)
}

/// The text of a source file's `bytes`, read as [`read_source`] reads them;
/// `path` only names it (its extension says whether it is a .docx, .doc or
/// .pdf).
pub fn source_text(path: &Path, bytes: &[u8]) -> Result<String, String> {
    let shown = path.display();
    let is_docx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    let text = if is_docx || docx::is_zip(bytes) {
        docx::text(bytes).map_err(|e| format!("{shown}: {e}"))?
    } else if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("doc") || e.eq_ignore_ascii_case("pdf"))
    {
        return Err(format!(
            "{shown}: .doc and .pdf files are not read directly; save the report as .docx, or copy its text into a .txt file"
        ));
    } else if bytes.len() > 2 * TEXT_CAP {
        // Decoding never halves a text's size (UTF-16 is the most compact,
        // two bytes for one), so a file over twice the cap is refused
        // undecoded.
        return Err(format!("{shown}: {}", too_much_text()));
    } else {
        text::decode(bytes).map_err(|e| format!("{shown}: {e}"))?
    };
    within_caps(&text).map_err(|e| format!("{shown}: {e}"))?;
    Ok(text)
}

fn too_much_text() -> String {
    format!(
        "the text is over {} MiB, the limit for a report (a real one is well under 1 MiB)",
        TEXT_CAP >> 20
    )
}

/// Whether `text` is within [`TEXT_CAP`] and [`LINE_CAP`].
fn within_caps(text: &str) -> Result<(), String> {
    if text.len() > TEXT_CAP {
        return Err(too_much_text());
    }
    // `str::lines` counts a last line without a line break too.
    let lines = text.bytes().filter(|&b| b == b'\n').count() + usize::from(!text.ends_with('\n'));
    if lines > LINE_CAP {
        return Err(format!(
            "the text has over {LINE_CAP} lines, the limit for a report (a real one has a few hundred)"
        ));
    }
    Ok(())
}

/// Words that only table 二 of the 2021 format has, and only the 2019 one.
const WORDS_2021: [&str; 5] = [
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
];
const WORDS_2019: [&str; 8] = [
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "第二十条第(九)项",
    "政府集中采购",
    "采购项目数量",
];

/// Whether a line belongs to a statistics table (its signature words).
fn table_signature(t: usize, n: &str) -> bool {
    match t {
        1 => n.contains("第二十条第("),
        2 => n.contains("申请人情况") || n.contains("本年新收") || n.contains("勾稽关系"),
        _ => n.contains("行政复议") && !n.contains('。') && n.chars().count() < 60,
    }
}

/// A bare page number on a line of its own, next to a blank line (and not
/// one of a run of number lines: a table copied one cell a line).
fn bare_page_number(lines: &[&str], i: usize) -> bool {
    let trimmed = |j: usize| lines[j].trim_matches(text::is_space);
    let number = |j: usize| {
        let t = trimmed(j);
        !t.is_empty() && t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit())
    };
    let blank = |j: Option<usize>| j.is_none_or(|j| j >= lines.len() || trimmed(j).is_empty());
    let neighbour = |step: isize| {
        let mut j = i as isize + step;
        while j >= 0 && (j as usize) < lines.len() && trimmed(j as usize).is_empty() {
            j += step;
        }
        (j >= 0 && (j as usize) < lines.len()).then_some(j as usize)
    };
    number(i)
        && (blank(i.checked_sub(1)) || blank(Some(i + 1)))
        && neighbour(-1).is_none_or(|j| text::number(trimmed(j)).is_none())
        && neighbour(1).is_none_or(|j| text::number(trimmed(j)).is_none())
}

/// Imports the text of a report.
pub fn import_text(source: &str, opts: &Options) -> Result<Imported, String> {
    within_caps(source)?;
    let lines: Vec<&str> = source.lines().collect();
    let mut warnings = Vec::new();
    // Page footers and headers are dropped everywhere.
    let skip: Vec<bool> = (0..lines.len())
        .map(|i| text::is_footer(lines[i]) || bare_page_number(&lines, i))
        .collect();
    let nonempty: Vec<usize> = (0..lines.len())
        .filter(|&i| !skip[i] && !lines[i].trim_matches(text::is_space).is_empty())
        .collect();
    let mut drop = skip.clone();

    // The title: among the first lines, one that names a year and a report
    // (possibly broken over two lines).
    let mut title: Option<(String, usize, usize)> = None;
    for (k, &i) in nonempty.iter().take(20).enumerate() {
        if meta::is_title(lines[i]) {
            title = Some((lines[i].to_string(), i, i));
            break;
        }
        if let Some(&j) = nonempty.get(k + 1) {
            let joined = format!("{}{}", lines[i].trim(), lines[j].trim());
            if !lines[i].contains('。') && joined.chars().count() < 80 && meta::is_title(&joined) {
                title = Some((joined, i, j));
                break;
            }
        }
    }
    let mut body_start = 0;
    let mut agency_line: Option<usize> = None;
    if let Some((_, first, last)) = &title {
        body_start = last + 1;
        for d in &mut drop[*first..=*last] {
            *d = true;
        }
        // A name on a line of its own just before the title.
        if let Some(&prev) = nonempty.iter().rev().find(|&&i| i < *first) {
            if first - prev <= 3 && meta::looks_like_agency(lines[prev]) {
                agency_line = Some(prev);
                drop[prev] = true;
            }
        }
    }

    // The signature at the end: the date, and the agency's name beside it.
    let mut signed_date: Option<(NaiveDate, usize)> = None;
    let mut signed_agency: Option<String> = None;
    for &i in nonempty.iter().rev().take(6) {
        let t = text::tidy(lines[i]);
        let ds = meta::dates(&t);
        if let (Some(&d), true) = (ds.last(), t.chars().count() <= 30) {
            signed_date = Some((d, i));
            drop[i] = true;
            let k = nonempty.iter().position(|&x| x == i).unwrap_or(0);
            for j in [k.checked_sub(1), Some(k + 1)].into_iter().flatten() {
                if let Some(&line) = nonempty.get(j) {
                    if meta::looks_like_agency(lines[line]) && line > body_start {
                        signed_agency = Some(text::tidy(lines[line]));
                        drop[line] = true;
                        break;
                    }
                }
            }
            break;
        }
    }
    // Or a date just under the title (发布日期：2024-01-05).
    if signed_date.is_none() {
        for &i in nonempty.iter().filter(|&&i| i >= body_start).take(3) {
            let t = text::tidy(lines[i]);
            if let (Some(&d), true) = (meta::dates(&t).first(), t.chars().count() <= 30) {
                signed_date = Some((d, i));
                drop[i] = true;
                break;
            }
        }
    }

    let year = match opts.year {
        Some(y) => y,
        None => match title.as_ref().and_then(|t| meta::title_year(&t.0)) {
            Some((y, _)) => y,
            None => {
                return Err(
                    "the reporting year was not found (no title like “……2023年度政府信息公开工作年度报告” in the first lines); \
                     give it with --year"
                        .to_string(),
                )
            }
        },
    };
    let agency = match &opts.agency {
        Some(a) => a.clone(),
        None => {
            let from_title = title.as_ref().and_then(|t| meta::title_agency(&t.0));
            let from_line = agency_line.map(|i| text::tidy(lines[i]));
            match (from_title, from_line, signed_agency.clone()) {
                (Some(a), _, _) | (None, Some(a), _) => a,
                (None, None, Some(a)) => {
                    warnings.push(format!(
                        "the agency `{a}` is taken from the signature at the end; the title does not name it"
                    ));
                    a
                }
                (None, None, None) => {
                    return Err(
                        "the reporting body was not found (not in the title, nor on a line before it, nor signed at the end); \
                         give it with --agency"
                            .to_string(),
                    )
                }
            }
        }
    };
    let published = match (opts.published, signed_date) {
        (Some(d), _) => d,
        (None, Some((d, _))) => d,
        (None, None) => {
            return Err(
                "the publication date was not found (no date such as 2024年1月5日 at the end); give it with --published YYYY-MM-DD"
                    .to_string(),
            )
        }
    };
    if published.year() <= year && opts.published.is_none() {
        warnings.push(format!(
            "the date found, {published}, is not after the reporting year {year}; check `published`"
        ));
    }
    let level = opts.level.unwrap_or_else(|| meta::level_of(&agency));

    // Sections and the regions of the tables.
    let sections = narrative::headings(&lines, &skip, body_start);
    let norms: Vec<String> = lines.iter().map(|l| text::norm(l)).collect();
    let mut starts: [Option<usize>; 4] = [None; 4];
    let mut from = sections[0].unwrap_or(body_start);
    for t in 1..=3 {
        starts[t] = match sections[t] {
            Some(h) => Some(h + 1),
            None => (from..lines.len()).find(|&i| !skip[i] && table_signature(t, &norms[i])),
        };
        if let Some(s) = starts[t] {
            from = s;
        }
    }
    let region_end = |t: usize| -> usize {
        let start = starts[t].unwrap_or(0);
        let mut end = lines.len();
        for j in t + 1..6 {
            if let Some(h) = sections[j].filter(|&h| h >= start) {
                end = end.min(h);
            }
            if j <= 3 {
                if let Some(s) = starts[j].filter(|&s| s > start) {
                    end = end.min(s);
                }
            }
        }
        if let Some((_, i)) = signed_date {
            if i >= start {
                end = end.min(i);
            }
        }
        end
    };
    let has_tables = (1..=3)
        .any(|t| starts[t].is_some_and(|s| (s..region_end(t)).any(|i| !skip[i] && table_signature(t, &norms[i]))));

    let all: String = norms.join("\n");
    let words_2021 = WORDS_2021.iter().filter(|w| all.contains(*w)).count();
    let words_2019 = WORDS_2019.iter().filter(|w| all.contains(*w)).count();
    let recognised = if !has_tables {
        None
    } else if words_2021 > words_2019 {
        Some(Format::Gov2021)
    } else if words_2019 > words_2021 {
        Some(Format::Gov2019)
    } else {
        None
    };
    let format = match (opts.format, recognised) {
        (Some(f), _) => f,
        (None, Some(f)) => f,
        (None, None) if !has_tables => Format::Freeform,
        (None, None) => {
            let f = if year <= 2020 { Format::Gov2019 } else { Format::Gov2021 };
            warnings.push(format!(
                "the table labels do not tell the format; {} is taken from the year {year}",
                f.key()
            ));
            f
        }
    };
    // A table error names the format it was read as, and the one its labels
    // point to when that differs.
    let in_format = |e: String| -> String {
        match recognised {
            Some(r) if r != format => format!(
                "{e} (the tables were read as {}, but their labels are those of {}: try --format auto)",
                format.key(),
                r.key()
            ),
            _ => format!("{e} (the tables were read as {})", format.key()),
        }
    };

    let numbers = if format.has_tables() {
        let region = |t: usize| -> Vec<(usize, usize, &str)> {
            match starts[t] {
                Some(s) => (s..region_end(t))
                    .filter(|&i| !skip[i])
                    .map(|i| (i, i + 1, lines[i]))
                    .collect(),
                None => Vec::new(),
            }
        };
        let r2 = tables::table2(format, &region(1)).map_err(in_format)?;
        let r3 = tables::table3(format, &region(2)).map_err(in_format)?;
        let r4 = tables::table4(&region(3)).map_err(in_format)?;
        for r in [&r2, &r3, &r4] {
            for &(a, b) in &r.spans {
                for d in drop.iter_mut().take(b + 1).skip(a) {
                    *d = true;
                }
            }
        }
        let mut numbers = Numbers {
            proactive: r2.numbers.proactive,
            requests: r3.numbers.requests,
            appeals: r4.numbers.appeals,
        };
        for r in [r2.warnings, r3.warnings, r4.warnings] {
            warnings.extend(r);
        }
        numbers.proactive.resize(format.proactive_items().len(), Vec::new());
        Some(numbers)
    } else {
        None
    };

    let keep: Vec<bool> = drop.iter().map(|d| !d).collect();
    let body = narrative::body(&lines, &keep, &sections, body_start);
    let title = title.map(|t| {
        let t = text::tidy(&t.0);
        let t = t.trim_matches(|c| c == '《' || c == '》').to_string();
        match agency_line {
            Some(i) if meta::title_agency(&t).is_none() => format!("{}{t}", text::tidy(lines[i])),
            _ => t,
        }
    });
    let slug = match &opts.slug {
        Some(s) => s.clone(),
        None => slug::slug(&agency),
    };
    Ok(Imported {
        format,
        agency,
        slug,
        year,
        published,
        level,
        title,
        numbers,
        body,
        warnings,
    })
}
