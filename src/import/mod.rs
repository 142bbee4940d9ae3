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

pub mod align;
pub mod docx;
pub mod html;
pub mod labels;
pub mod layout;
pub mod meta;
pub mod narrative;
pub mod pdf;
pub mod slug;
pub mod tables;
pub mod text;

use std::path::Path;

use chrono::NaiveDate;

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
    /// `None`: not found (and no `--agency`); the file is a draft.
    pub agency: Option<String>,
    pub slug: String,
    pub year: i32,
    /// `None`: not found (and no `--published`); the file is a draft.
    pub published: Option<NaiveDate>,
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
    /// Whether the file is written as a draft: the agency or the date was
    /// not found, and is left empty for someone to fill in.
    pub fn is_draft(&self) -> bool {
        self.agency.is_none() || self.published.is_none()
    }

    /// The content file; `source` is named in a comment.
    pub fn file_text(&self, source: Option<&str>) -> String {
        report_file(&ReportFile {
            format: self.format,
            agency: self.agency.as_deref(),
            slug: &self.slug,
            year: self.year,
            level: self.level,
            published: self.published,
            draft: self.is_draft(),
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
    } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) || pdf::is_pdf(bytes) {
        pdf::text(bytes).map_err(|e| format!("{shown}: {e}"))?
    } else if html::is_html(path, bytes) {
        html::text(bytes).map_err(|e| format!("{shown}: {e}"))?
    } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("doc")) {
        return Err(format!("{shown}: {}", t!("import.read.doc")));
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
    t!("import.read.text_cap", mib = TEXT_CAP >> 20).into_owned()
}

/// Whether `text` is within [`TEXT_CAP`] and [`LINE_CAP`].
fn within_caps(text: &str) -> Result<(), String> {
    if text.len() > TEXT_CAP {
        return Err(too_much_text());
    }
    // `str::lines` counts a last line without a line break too.
    let lines = text.bytes().filter(|&b| b == b'\n').count() + usize::from(!text.ends_with('\n'));
    if lines > LINE_CAP {
        return Err(t!("import.read.line_cap", lines = LINE_CAP).into_owned());
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

/// Whether the bare number on line `i` (one of the lines `bare`) is a page
/// number and not a table cell on a line of its own (text dumps of web
/// tables put one cell a line between blank lines): a form feed next to it,
/// a neighbour that is running text, or the page numbers before or after it
/// (one less at least 10 lines up, one more at least 10 lines down).
fn page_number_evidence(lines: &[&str], bare: &[usize], i: usize) -> bool {
    let near = i.saturating_sub(2)..(i + 3).min(lines.len());
    if lines[near].iter().any(|l| l.contains('\u{c}')) {
        return true;
    }
    let trimmed = |j: usize| lines[j].trim_matches(text::is_space);
    let prose = |j: usize| {
        let t = trimmed(j);
        t.chars().count() > 20 || t.ends_with(['。', '；', '！', '？', '：', ';', ':'])
    };
    let mut up = (0..i).rev().filter(|&j| !trimmed(j).is_empty());
    let mut down = (i + 1..lines.len()).filter(|&j| !trimmed(j).is_empty());
    if up.next().is_some_and(prose) || down.next().is_some_and(prose) {
        return true;
    }
    let value = |j: usize| trimmed(j).parse::<u32>().ok();
    let Some(v) = value(i) else { return false };
    bare.iter()
        .any(|&j| (j + 10 <= i && value(j).is_some_and(|w| w + 1 == v)) || (j >= i + 10 && value(j) == Some(v + 1)))
}

/// Imports the text of a report, step by step: the lines that are read,
/// the title, the signature, what the report says about itself, where its
/// tables are, its format, the tables' numbers, and the narrative left over.
pub fn import_text(source: &str, opts: &Options) -> Result<Imported, String> {
    within_caps(source)?;
    let source = layout::normalise(source);
    let src = SourceLines::new(&source);
    let lines = &src.lines;
    let mut warnings = Vec::new();
    // The lines that are not narrative: page furniture, then whatever a
    // step below takes as the title, the signature or a table.
    let mut drop = src.skip.clone();

    // What the report says about itself (meta): its lines are not narrative.
    let about = meta::about(&src, opts, &mut warnings)?;
    for &i in &about.taken {
        drop[i] = true;
    }
    let (body_start, year) = (about.body_start, about.year);

    let sections = narrative::headings(lines, &src.skip, body_start);
    let norms: Vec<String> = lines.iter().map(|l| text::norm(l)).collect();
    let regions = Regions::find(&src, &norms, &sections, body_start, about.signed_line);
    let has_tables = regions.have_tables(&src, &norms);
    let recognised = recognise_format(&norms, has_tables);
    let format = choose_format(opts, recognised, has_tables, year, &mut warnings);
    let numbers = if format.has_tables() {
        Some(read_tables(
            format,
            recognised,
            &src,
            &regions,
            &mut drop,
            &mut warnings,
        )?)
    } else {
        None
    };

    let keep: Vec<bool> = drop.iter().map(|d| !d).collect();
    let body = narrative::body(lines, &keep, &sections, body_start);
    Ok(Imported {
        format,
        agency: about.agency,
        slug: about.slug,
        year,
        published: about.published,
        level: about.level,
        title: about.title,
        numbers,
        body,
        warnings,
    })
}

/// The lines of a source, and which of them are read at all.
struct SourceLines<'a> {
    lines: Vec<&'a str>,
    /// Page footers and headers, dropped everywhere.
    skip: Vec<bool>,
    /// The lines neither skipped nor blank.
    nonempty: Vec<usize>,
}

impl<'a> SourceLines<'a> {
    fn new(source: &'a str) -> Self {
        let lines: Vec<&str> = source.lines().collect();
        let bare: Vec<usize> = (0..lines.len()).filter(|&i| bare_page_number(&lines, i)).collect();
        let mut skip: Vec<bool> = lines.iter().map(|l| text::is_footer(l)).collect();
        for &i in &bare {
            skip[i] = page_number_evidence(&lines, &bare, i);
        }
        let nonempty: Vec<usize> = (0..lines.len())
            .filter(|&i| !skip[i] && !lines[i].trim_matches(text::is_space).is_empty())
            .collect();
        SourceLines { lines, skip, nonempty }
    }
}

/// Marks lines `first..=last` as dropped.
fn mark(drop: &mut [bool], first: usize, last: usize) {
    for d in drop.iter_mut().take(last + 1).skip(first) {
        *d = true;
    }
}

/// Where tables 二, 三 and 四 (indices 1 to 3) are: the line each begins
/// on, and the line its region ends before.
struct Regions {
    starts: [Option<usize>; 4],
    ends: [usize; 4],
}

impl Regions {
    /// Each table begins under its section heading, or at the first line
    /// with its signature words after the table before it; its region ends
    /// at the next heading or table, or at the signature's date line.
    fn find(
        src: &SourceLines,
        norms: &[String],
        sections: &[Option<usize>; 6],
        body_start: usize,
        signed_line: Option<usize>,
    ) -> Regions {
        let len = src.lines.len();
        let mut starts: [Option<usize>; 4] = [None; 4];
        let mut from = sections[0].unwrap_or(body_start);
        for t in 1..=3 {
            starts[t] = match sections[t] {
                Some(h) => Some(h + 1),
                None => (from..len).find(|&i| !src.skip[i] && table_signature(t, &norms[i])),
            };
            if let Some(s) = starts[t] {
                from = s;
            }
        }
        let end = |t: usize| -> usize {
            let start = starts[t].unwrap_or(0);
            let mut end = len;
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
            if let Some(i) = signed_line {
                if i >= start {
                    end = end.min(i);
                }
            }
            end
        };
        let ends = [0, end(1), end(2), end(3)];
        Regions { starts, ends }
    }

    /// Whether some table's region has a line with its signature words.
    fn have_tables(&self, src: &SourceLines, norms: &[String]) -> bool {
        (1..=3).any(|t| {
            self.starts[t].is_some_and(|s| (s..self.ends[t]).any(|i| !src.skip[i] && table_signature(t, &norms[i])))
        })
    }

    /// The lines of table `t`'s region that are read, each with its span.
    fn lines<'a>(&self, src: &SourceLines<'a>, t: usize) -> Vec<(usize, usize, &'a str)> {
        match self.starts[t] {
            Some(s) => (s..self.ends[t])
                .filter(|&i| !src.skip[i])
                .map(|i| (i, i + 1, src.lines[i]))
                .collect(),
            None => Vec::new(),
        }
    }
}

/// The format the table labels point to, when the text has tables and
/// one format's words outnumber the other's.
fn recognise_format(norms: &[String], has_tables: bool) -> Option<Format> {
    if !has_tables {
        return None;
    }
    let all: String = norms.join("\n");
    let words_2021 = WORDS_2021.iter().filter(|w| all.contains(*w)).count();
    let words_2019 = WORDS_2019.iter().filter(|w| all.contains(*w)).count();
    if words_2021 > words_2019 {
        Some(Format::Gov2021)
    } else if words_2019 > words_2021 {
        Some(Format::Gov2019)
    } else {
        None
    }
}

/// The format: given, recognised, freeform without tables, or (with a
/// warning) taken from the year.
fn choose_format(
    opts: &Options,
    recognised: Option<Format>,
    has_tables: bool,
    year: i32,
    warnings: &mut Vec<String>,
) -> Format {
    match (opts.format, recognised) {
        (Some(f), _) => f,
        (None, Some(f)) => f,
        (None, None) if !has_tables => Format::Freeform,
        (None, None) => {
            let f = if year <= 2020 { Format::Gov2019 } else { Format::Gov2021 };
            warnings.push(t!("import.format.from_year", format = f.key(), year = year).into_owned());
            f
        }
    }
}

/// The three tables' numbers, read as `format`; the lines they take are
/// dropped from the narrative. A table error names the format it was read
/// as, and the one its labels point to when that differs.
fn read_tables(
    format: Format,
    recognised: Option<Format>,
    src: &SourceLines,
    regions: &Regions,
    drop: &mut [bool],
    warnings: &mut Vec<String>,
) -> Result<Numbers, String> {
    let in_format = |e: String| -> String {
        match recognised {
            Some(r) if r != format => t!(
                "import.format.read_as_other",
                error = e,
                format = format.key(),
                labels = r.key()
            )
            .into_owned(),
            _ => t!("import.format.read_as", error = e, format = format.key()).into_owned(),
        }
    };
    let r2 = either(tables::table2(format, &regions.lines(src, 1)), || {
        align::table2(format, &regions.lines(src, 1))
    })
    .map_err(in_format)?;
    let r3 = either(tables::table3(format, &regions.lines(src, 2)), || {
        align::table3(format, &regions.lines(src, 2))
    })
    .map_err(in_format)?;
    let r4 = either(tables::table4(&regions.lines(src, 3)), || {
        align::table4(&regions.lines(src, 3))
    })
    .map_err(in_format)?;
    for r in [&r2, &r3, &r4] {
        for &(a, b) in &r.spans {
            mark(drop, a, b);
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
    Ok(numbers)
}

/// A table as the line reader reads it, or, when it cannot, as the token
/// aligner does ([`align`]). The error is the aligner's when it found the
/// table's rows and says what is wrong with one; else the line reader's.
fn either(
    by_lines: Result<tables::Read, String>,
    by_tokens: impl FnOnce() -> Result<tables::Read, align::Fail>,
) -> Result<tables::Read, String> {
    match by_lines {
        Ok(r) => Ok(r),
        Err(e) => match by_tokens() {
            Ok(r) => Ok(r),
            Err(align::Fail::Row(e2)) => Err(e2),
            Err(align::Fail::NotFound(_)) => Err(e),
        },
    }
}
