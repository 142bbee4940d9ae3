//! Finding what a report says about itself in its lines, and choosing among
//! the places that say it: the title, a line before it, a web page's header
//! lines, a sentence, the signature at the end. The order of precedence is
//! the one docs/import.md (## Metadata) gives; each choice that is not the
//! report's own title is said in a warning, and what is not found at all is
//! left out (the file becomes a draft), but for the year, without which the
//! file has no name.

use chrono::{Datelike as _, NaiveDate};

use super::{
    date_line, dates, header_fields, is_chrome, is_title, level_of, names_a_report, plausible_agency,
    sentence_agency_year, title_agency, title_year, Field, SHORT_LINE,
};
use crate::import::text::{norm, tidy};
use crate::import::{Options, SourceLines};
use crate::report::Level;

/// How many lines (not blank, not page footers) at the top hold the title
/// and a web page's header; at the bottom, the signature and a page's footer.
const HEAD: usize = 40;
const TAIL: usize = 10;

/// What a report says about itself, and the lines that say it.
pub struct About {
    /// The title as written into the file.
    pub title: Option<String>,
    pub year: i32,
    /// `None`: not found and not given; the file is a draft.
    pub agency: Option<String>,
    /// `--agency-slug`, else made from the agency's name.
    pub slug: String,
    /// `None`: not found and not given; the file is a draft.
    pub published: Option<NaiveDate>,
    pub level: Level,
    /// The first line after the title.
    pub body_start: usize,
    /// The line of the date signed at the end (the tables end before it).
    pub signed_line: Option<usize>,
    /// The lines that are not narrative: the title, the signature, a page's
    /// header lines and chrome.
    pub taken: Vec<usize>,
}

/// The report's title as found, and the lines it takes.
struct Title {
    text: String,
    first: usize,
    last: usize,
}

/// The date a report is signed with at the end, and the agency's name
/// beside it; each with its line.
#[derive(Default)]
struct Signature {
    date: Option<(NaiveDate, usize)>,
    agency: Option<(String, usize)>,
}

/// What a web page's header (and footer) lines say, each with its line.
#[derive(Default)]
struct Header {
    agency: Option<(String, usize)>,
    source: Option<(String, usize)>,
    published: Option<(NaiveDate, usize)>,
    written: Option<(NaiveDate, usize)>,
    lines: Vec<usize>,
}

/// Everything the report says about itself, `opts` overriding. Refused
/// (with the option to give) when the year is not found, or the agency
/// when no `--agency-slug` names the file's folder.
pub fn about(src: &SourceLines, opts: &Options, warnings: &mut Vec<String>) -> Result<About, String> {
    let lines = &src.lines;
    let ne = &src.nonempty;
    let head: Vec<usize> = ne.iter().take(HEAD).copied().collect();
    let tail: Vec<usize> = ne
        .iter()
        .skip(ne.len().saturating_sub(TAIL).max(HEAD))
        .copied()
        .collect();
    let header = read_header(lines, head.iter().chain(&tail).copied());

    let title = find_title(src);
    let body_start = title.as_ref().map_or(0, |t| t.last + 1);
    let agency_line = title.as_ref().and_then(|t| agency_before(src, t.first));
    let signature = find_signature(src, body_start);
    let under_title = match signature.date {
        None => date_under_title(src, body_start),
        Some(_) => None,
    };
    let sentence = ne
        .iter()
        .filter(|&&i| i >= body_start)
        .take(15)
        .find_map(|&i| sentence_agency_year(lines[i]));

    let mut taken: Vec<usize> = header.lines.clone();
    if let Some(t) = &title {
        taken.extend(t.first..=t.last);
        // The title again (a page's heading under its `标题：` line).
        let title_norm = norm(&t.text);
        taken.extend(
            head.iter()
                .filter(|&&i| title_text(lines[i]).is_some_and(|x| norm(&x) == title_norm)),
        );
    }
    taken.extend(agency_line);
    taken.extend(signature.date.map(|(_, i)| i));
    taken.extend(signature.agency.as_ref().map(|(_, i)| *i));
    taken.extend(under_title.map(|(_, i)| i));
    taken.extend(head.iter().chain(&tail).filter(|&&i| is_chrome(lines[i])));

    let year = year_of(opts, title.as_ref(), sentence.as_ref())?;
    let agency = agency_of(
        opts,
        title.as_ref(),
        agency_line.map(|i| tidy(lines[i])),
        &header,
        sentence.as_ref(),
        &signature,
        warnings,
    );
    let slug = match (&opts.slug, &agency) {
        (Some(s), _) => s.clone(),
        (None, Some(a)) => crate::import::slug::slug(a),
        (None, None) => {
            return Err(t!("import.meta.no_agency").into_owned());
        }
    };
    if agency.is_none() {
        warnings.push(t!("import.meta.agency_draft").into_owned());
    }
    let published = published_of(opts, &header, &signature, under_title, year, warnings);
    let level = opts
        .level
        .or_else(|| agency.as_deref().map(level_of))
        .unwrap_or(Level::Department);
    let title = title.map(|t| final_title(&t.text, agency_line.map(|i| lines[i])));
    Ok(About {
        title,
        year,
        agency,
        slug,
        published,
        level,
        body_start,
        signed_line: signature.date.map(|(_, i)| i),
        taken,
    })
}

/// Where an agency is looked for, for the messages.
/// A line as a title: not page chrome nor a header line other than
/// `标题：…`; not a sentence; without a web site's name after `_` or `|`.
fn title_text(line: &str) -> Option<String> {
    if line.len() > SHORT_LINE || is_chrome(line) {
        return None;
    }
    let fields = header_fields(line);
    let t = if fields.is_empty() {
        tidy(line)
    } else {
        fields.into_iter().find(|(f, _)| *f == Field::Title)?.1
    };
    if t.contains(['。', '，', '；']) || t.chars().count() > 100 {
        return None;
    }
    Some(cut_site_name(&t))
}

/// A page title's site name cut off (`……年度报告_绥滨县人民政府`).
fn cut_site_name(t: &str) -> String {
    t.char_indices()
        .find(|&(p, c)| "_|｜丨-—–－".contains(c) && is_title(&t[..p]))
        .map_or_else(|| t.to_string(), |(p, _)| t[..p].to_string())
}

/// The title: among the first lines, one that names a year and a report
/// (possibly broken over two lines); failing that, one that names a report.
fn find_title(src: &SourceLines) -> Option<Title> {
    let (lines, ne) = (&src.lines, &src.nonempty);
    let at = |k: usize| -> Option<Title> {
        let i = ne[k];
        let t = title_text(lines[i])?;
        if is_title(&t) {
            return Some(Title {
                text: t,
                first: i,
                last: i,
            });
        }
        let j = *ne.get(k + 1)?;
        let u = title_text(lines[j])?;
        let joined = format!("{t}{u}");
        (!is_title(&u) && joined.chars().count() < 80 && is_title(&joined)).then_some(Title {
            text: joined,
            first: i,
            last: j,
        })
    };
    let weak = |k: usize| -> Option<Title> {
        let i = ne[k];
        let t = title_text(lines[i]).filter(|t| t.chars().count() <= 40 && names_a_report(&norm(t)))?;
        Some(Title {
            text: t,
            first: i,
            last: i,
        })
    };
    let n = ne.len().min(HEAD);
    (0..n).find_map(at).or_else(|| (0..n).find_map(weak))
}

/// A name on a line of its own just before the title (which begins at `first`).
fn agency_before(src: &SourceLines, first: usize) -> Option<usize> {
    let k = src.nonempty.partition_point(|&i| i < first);
    let prev = *src.nonempty.get(k.checked_sub(1)?)?;
    let line = src.lines[prev];
    (first - prev <= 3 && plausible_agency(line) && header_fields(line).is_empty()).then_some(prev)
}

/// The signature at the end: the date on a short line among the last
/// lines, and the agency's name on it or beside it.
fn find_signature(src: &SourceLines, body_start: usize) -> Signature {
    let (lines, ne) = (&src.lines, &src.nonempty);
    // The last six lines, page chrome after the signature not counted
    // (among the last thirty: a page's footer is a few lines).
    let last: Vec<usize> = (ne.iter().rev().take(30))
        .filter(|&&i| i >= body_start && !is_chrome(lines[i]))
        .take(6)
        .copied()
        .collect();
    for &i in &last {
        if lines[i].len() > SHORT_LINE {
            continue;
        }
        let t = tidy(lines[i]);
        if t.chars().count() > 30 || !header_fields(lines[i]).is_empty() {
            continue;
        }
        let Some((d, on_line)) = date_line(&t) else {
            continue;
        };
        let k = ne.iter().position(|&x| x == i).unwrap_or(0);
        let agency = on_line.map(|a| (a, i)).or_else(|| {
            [k.checked_sub(1), Some(k + 1)]
                .into_iter()
                .flatten()
                .filter_map(|j| ne.get(j).copied())
                .find(|&line| line >= body_start && plausible_agency(lines[line]))
                .map(|line| (tidy(lines[line]), line))
        });
        return Signature {
            date: Some((d, i)),
            agency,
        };
    }
    Signature::default()
}

/// A date on a short line just under the title (no label).
fn date_under_title(src: &SourceLines, body_start: usize) -> Option<(NaiveDate, usize)> {
    (src.nonempty.iter())
        .filter(|&&i| i >= body_start)
        .take(3)
        .filter(|&&i| header_fields(src.lines[i]).is_empty())
        .filter(|&&i| src.lines[i].len() <= SHORT_LINE)
        .find_map(|&i| {
            let t = tidy(src.lines[i]);
            let (d, _) = date_line(&t)?;
            (t.chars().count() <= 30).then_some((d, i))
        })
}

/// What the header (and footer) lines of a web page say; the first of each.
fn read_header(lines: &[&str], scan: impl Iterator<Item = usize>) -> Header {
    let mut h = Header::default();
    for i in scan {
        let fields = header_fields(lines[i]);
        if fields.is_empty() {
            continue;
        }
        h.lines.push(i);
        for (field, value) in fields {
            let date = || dates(&value).first().map(|&d| (d, i));
            let name = || plausible_agency(&value).then(|| (value.clone(), i));
            match field {
                Field::Agency if h.agency.is_none() => h.agency = name(),
                Field::Source if h.source.is_none() => h.source = name(),
                Field::Published if h.published.is_none() => h.published = date(),
                Field::Written if h.written.is_none() => h.written = date(),
                _ => {}
            }
        }
    }
    h
}

/// The reporting year: given, named by the title, or by a sentence that
/// names the agency too.
fn year_of(opts: &Options, title: Option<&Title>, sentence: Option<&(String, i32)>) -> Result<i32, String> {
    if let Some(y) = opts.year {
        return Ok(y);
    }
    match (title.and_then(|t| title_year(&t.text)), sentence) {
        (Some((y, _)), _) => Ok(y),
        (None, Some((_, y))) => Ok(*y),
        (None, None) => Err(t!("import.meta.no_year").into_owned()),
    }
}

/// The reporting body: given; named by the title or on a line before it;
/// else (with a warning saying where from) a page's 发布机构 line, a sentence
/// naming it, the signature at the end, a page's 来源 line.
fn agency_of(
    opts: &Options,
    title: Option<&Title>,
    from_line: Option<String>,
    header: &Header,
    sentence: Option<&(String, i32)>,
    signature: &Signature,
    warnings: &mut Vec<String>,
) -> Option<String> {
    if let Some(a) = &opts.agency {
        return Some(a.clone());
    }
    if let Some(a) = title.and_then(|t| title_agency(&t.text)).or(from_line) {
        return Some(a);
    }
    let found = [
        (header.agency.as_ref().map(|(a, _)| a), "import.meta.from.header"),
        (sentence.map(|(a, _)| a), "import.meta.from.sentence"),
        (signature.agency.as_ref().map(|(a, _)| a), "import.meta.from.signature"),
        (header.source.as_ref().map(|(a, _)| a), "import.meta.from.source"),
    ];
    let (a, from) = found.into_iter().find_map(|(a, from)| Some((a?.clone(), from)))?;
    // `from` is one of the four keys above, each declared in locales/import.yml.
    warnings.push(t!("import.meta.agency_from", agency = a, from = t!(from)).into_owned());
    Some(a)
}

/// The publication date: given; else a page's 发布日期/发布时间 (the day it
/// was published; a different date signed at the end is said in a warning);
/// the date signed at the end; a date under the title; a page's 成文日期.
/// `None`, with a warning, when there is none.
fn published_of(
    opts: &Options,
    header: &Header,
    signature: &Signature,
    under_title: Option<(NaiveDate, usize)>,
    year: i32,
    warnings: &mut Vec<String>,
) -> Option<NaiveDate> {
    if let Some(d) = opts.published {
        return Some(d);
    }
    let signed = signature.date.map(|(d, _)| d);
    let published = match (header.published, signed.or(under_title.map(|(d, _)| d)), header.written) {
        (Some((p, _)), signed, _) => {
            if let Some(s) = signed.filter(|&s| s != p) {
                warnings.push(t!("import.meta.page_date", page = p, signed = s).into_owned());
            }
            p
        }
        (None, Some(d), _) => d,
        (None, None, Some((w, _))) => {
            warnings.push(t!("import.meta.written_date", date = w).into_owned());
            w
        }
        (None, None, None) => {
            warnings.push(t!("import.meta.no_date").into_owned());
            return None;
        }
    };
    if published.year() <= year {
        warnings.push(t!("import.meta.date_early", date = published, year = year).into_owned());
    }
    Some(published)
}

/// The title as written into the file: tidied, without 《》, and with the
/// agency's line before it when the title does not name the agency.
fn final_title(found: &str, agency_line: Option<&str>) -> String {
    let t = tidy(found);
    let t = t.trim_matches(|c| c == '《' || c == '》').to_string();
    match agency_line {
        Some(line) if title_agency(&t).is_none() => format!("{}{t}", tidy(line)),
        _ => t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finding the metadata looks at a bounded part of a text (the first
    /// and last lines, long lines cut short), so a text built to be slow
    /// costs it little: 20 ms at most each in a debug build (asserted: 1 s).
    #[test]
    fn hostile_texts_cost_little() {
        let cap = crate::import::TEXT_CAP - 1024;
        let fill = |unit: &str| unit.repeat(cap / unit.len());
        let texts = [
            ("a header line of a million fields", fill("发布机构：示例县")),
            (
                "one sentence of a million years",
                fill("现公布示例县2023年度政府信息公开报告"),
            ),
            (
                "a title line of a million separators",
                fill("2023年度政府信息公开工作年度报告_"),
            ),
            ("a tab line of a million labels", fill("来源\t")),
            ("a million chrome lines", fill("首页 > 政务公开\n")),
            ("a million dates", fill("2024年1月5日\n")),
            ("a million titles", fill("示例县2023年度政府信息公开工作年度报告\n")),
        ];
        for (what, text) in texts {
            let src = SourceLines::new(&text);
            let start = std::time::Instant::now();
            let _ = about(&src, &Options::default(), &mut Vec::new());
            let took = start.elapsed();
            assert!(took < std::time::Duration::from_secs(1), "{what}: {took:?}");
        }
    }
}
