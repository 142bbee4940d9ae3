//! Scaffolding: `gongkai init` (a new site: site.toml, an example report, the
//! default theme) and `gongkai new report` (a report file with every key of
//! the format present as zeros, each line commented with its official label).
//! Neither ever overwrites a file.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use include_dir::Dir;

pub use crate::report::file::{report_file, report_file_from_previous, CellText, Numbers, Previous, ReportFile};
use crate::report::labels::{RowKind, F21_IN_FORCE, P21_NORMATIVE, P21_RULES};
use crate::report::{checks, Format, Level, Report};
use crate::Error;

/// The default theme, built into the binary so `init` can write it anywhere.
pub use crate::theme::DEFAULT_THEME;

/// What `new report` needs to know.
pub struct NewReport<'a> {
    pub agency: &'a str,
    pub slug: &'a str,
    pub year: i32,
    pub level: Level,
    /// Publication date to write; `None` writes the deadline as a placeholder.
    pub published: Option<NaiveDate>,
    pub draft: bool,
    /// The key `region`, written after `level` when given.
    pub region: Option<&'a str>,
    /// The key `title`; `None` leaves it out (the portal makes one).
    pub title: Option<&'a str>,
}

/// The text of a gov-2021 report file with every key present as zeros.
pub fn report_template(r: &NewReport) -> String {
    with_region(report_file(&template_file(r)), r.region)
}

/// The file `new report` writes, before any number: every key of `r`, the
/// publication date defaulting to the level's deadline.
fn template_file<'a>(r: &NewReport<'a>) -> ReportFile<'a> {
    let published = r.published.unwrap_or_else(|| checks::deadline(r.year, r.level));
    ReportFile {
        format: Format::Gov2021,
        agency: Some(r.agency),
        slug: r.slug,
        year: r.year,
        level: r.level,
        published: Some(published),
        draft: r.draft,
        title: r.title,
        source: None,
        numbers: None,
        body: None,
    }
}

/// The text of `new report --from-previous`: the template of
/// [`report_template`] begun from last year's report `prev` (see
/// [`report_file_from_previous`]).
pub fn report_template_from_previous(r: &NewReport, prev: &Previous) -> String {
    with_region(report_file_from_previous(&template_file(r), prev), r.region)
}

/// What a new report carries from `report`, the agency's report for the
/// year before: its 结转下年度 (when it has tables), its 现行有效件数 (when
/// it is gov-2021: gov-2019's table 二 counts other things) and its section
/// headings.
pub fn previous_of(report: &Report) -> Previous {
    let mut prev = Previous::default();
    if let Some(t) = &report.tables {
        let rows = report.format.request_rows();
        if let Some(k) = rows.iter().position(|d| d.kind == RowKind::CarriedForward) {
            let row = &t.requests[k];
            prev.carried_forward = Some(std::array::from_fn(|c| row.value(c)));
        }
        if report.format == Format::Gov2021 {
            let in_force = |item: usize| {
                t.proactive
                    .get(item)
                    .and_then(|i| i.cells.get(F21_IN_FORCE))
                    .copied()
                    .flatten()
                    .unwrap_or(0)
            };
            prev.in_force = Some([in_force(P21_RULES), in_force(P21_NORMATIVE)]);
        }
    }
    for s in &report.sections {
        if let Some(slot) = prev.headings.get_mut(s.index) {
            if slot.is_none() {
                *slot = Some(s.heading.clone());
            }
        }
    }
    prev
}

/// `text` with a `region:` line after its `level:` line (the writer of
/// report files has no such key of its own).
fn with_region(text: String, region: Option<&str>) -> String {
    let Some(region) = region.map(str::trim).filter(|r| !r.is_empty()) else {
        return text;
    };
    // Quoted as YAML, so that any name stays a string.
    let quoted = serde_json::to_string(region).unwrap_or_default();
    let mut out = String::with_capacity(text.len() + 64);
    let mut done = false;
    for line in text.split_inclusive('\n') {
        out.push_str(line);
        if !done && line.starts_with("level:") {
            out.push_str(&format!("region: {quoted}   # 所属地区\n"));
            done = true;
        }
    }
    out
}

/// The path `new report` writes, relative to the site root.
pub fn report_path(slug: &str, year: i32) -> PathBuf {
    Path::new("content")
        .join("reports")
        .join(slug)
        .join(format!("{year}.md"))
}

/// Writes `text` to `path`, refusing to overwrite; creates parent folders.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Refused(t!("error.exists", path = path.display()).into_owned())
            } else {
                Error::io(path, e)
            }
        })?;
    std::io::Write::write_all(&mut f, bytes).map_err(|e| Error::io(path, e))
}

/// The `site.toml` of a new site.
pub const SITE_TOML: &str = r#"# gongkai site configuration. See README.md.
title = "政府信息公开平台"
# Where the site is served: "/" or a full URL such as "https://example.org/portal/".
base_url = "/"
language = "zh-CN"
theme = "default"
output_dir = "public"

[check]
# true: warnings (late reports, missing sections, ...) count as errors.
strict = false
"#;

/// The agency slug of `init`'s example report.
pub const EXAMPLE_SLUG: &str = "shilishi";

/// `init`'s example report (`scaffold/example.md`): a filled, published
/// report of a fictional city, whose numbers balance and whose narrative
/// agrees with its tables, so a new site checks clean (no error, no
/// warning) and shows what a finished report looks like. `{year}` is the
/// reporting year, `{next}` the year it is published in.
const EXAMPLE: &str = include_str!("scaffold/example.md");

/// The text of `init`'s example report for `year`.
pub fn example_report(year: i32) -> String {
    EXAMPLE
        .replace("{year}", &year.to_string())
        .replace("{next}", &(year + 1).to_string())
}

/// Creates a new site in `dir`: `site.toml`, an example report and page, and
/// the default theme. Returns the files written (relative to `dir`).
pub fn init(dir: &Path, today: NaiveDate) -> Result<Vec<PathBuf>, Error> {
    if dir.join(crate::config::FILE).exists() {
        return Err(Error::Refused(t!("error.has_site", dir = dir.display()).into_owned()));
    }
    let year = today.year() - 1;
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (PathBuf::from(crate::config::FILE), SITE_TOML.as_bytes().to_vec()),
        (report_path(EXAMPLE_SLUG, year), example_report(year).into_bytes()),
        (
            PathBuf::from("content/guide.md"),
            "---\ntitle: 使用说明\nweight: 1\n---\n\n本平台发布各机关的政府信息公开工作年度报告。\n"
                .as_bytes()
                .to_vec(),
        ),
    ];
    collect_theme(&DEFAULT_THEME, Path::new("themes/default"), &mut files);
    // Refuse before writing anything if any file exists.
    for (rel, _) in &files {
        if dir.join(rel).exists() {
            return Err(Error::Refused(
                t!("error.exists", path = dir.join(rel).display()).into_owned(),
            ));
        }
    }
    for (rel, bytes) in &files {
        write_new(&dir.join(rel), bytes)?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

fn collect_theme(d: &Dir, base: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for f in d.files() {
        out.push((base.join(f.path()), f.contents().to_vec()));
    }
    for sub in d.dirs() {
        collect_theme(sub, base, out);
    }
}
