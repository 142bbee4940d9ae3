//! Scaffolding: `gongkai init` (a new site: site.toml, an example report, the
//! default theme) and `gongkai new report` (a report file with every key of
//! the format present as zeros, each line commented with its official label).
//! Neither ever overwrites a file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use include_dir::{include_dir, Dir};

use crate::report::labels::{self, APPEAL_ROWS, REQUEST_GROUPS};
use crate::report::{checks, Format, Level};
use crate::Error;

/// The default theme, built into the binary so `init` can write it anywhere.
pub static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// What `new report` needs to know.
pub struct NewReport<'a> {
    pub agency: &'a str,
    pub slug: &'a str,
    pub year: i32,
    pub level: Level,
    /// Publication date to write; `None` writes the deadline as a placeholder.
    pub published: Option<NaiveDate>,
    pub draft: bool,
}

/// The text of a gov-2021 report file with every key present as zeros.
pub fn report_template(r: &NewReport) -> String {
    let published = r.published.unwrap_or_else(|| checks::deadline(r.year, r.level));
    let mut s = String::new();
    let w = &mut s;
    let _ = writeln!(w, "---");
    let _ = writeln!(
        w,
        "format: gov-2021   # 格式：2021年版年度报告格式（国办公开办函〔2021〕30号）"
    );
    let _ = writeln!(w, "agency: {}   # 报告机关，与发布的报告一致", r.agency);
    let _ = writeln!(
        w,
        "agency_slug: {}   # 机关代号，用于网址（小写字母、数字、连字符）",
        r.slug
    );
    let _ = writeln!(w, "year: {}   # 统计年度", r.year);
    let _ = writeln!(
        w,
        "published: {published}   # 发布日期（YYYY-MM-DD），请改为实际发布日期"
    );
    let _ = writeln!(
        w,
        "level: {}   # government 人民政府（3月31日前）| department 政府部门 | township 乡镇街道（1月31日前）",
        r.level.key()
    );
    let _ = writeln!(w, "draft: {}   # 填写完成后改为 false，报告才会发布", r.draft);
    let _ = writeln!(w);
    let _ = writeln!(w, "proactive:   # {}", labels::TABLE_2);
    for item in Format::Gov2021.proactive_items() {
        let key = format!("{}:", item.key);
        if item.scalar {
            let _ = writeln!(
                w,
                "  {key:<16}0   # {} {} {}",
                item.block, item.label, item.fields[0].label
            );
        } else {
            let fields: Vec<String> = item.fields.iter().map(|f| format!("{}: 0", f.key)).collect();
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
    let zeros7 = "[0, 0, 0, 0, 0, 0, 0]";
    let mut open_group: Option<&str> = None;
    for def in Format::Gov2021.request_rows() {
        match def.group {
            Some(g) => {
                if open_group != Some(g) {
                    let label = REQUEST_GROUPS
                        .iter()
                        .find(|x| x.key == g)
                        .map(|x| x.label)
                        .unwrap_or("");
                    let _ = writeln!(w, "  {g}:   # 三、本年度办理结果{label}");
                    open_group = Some(g);
                }
                let key = format!("{}:", def.key);
                let _ = writeln!(w, "    {key:<20}{zeros7}   # {}", def.label);
            }
            None => {
                open_group = None;
                let key = format!("{}:", def.key);
                let _ = writeln!(w, "  {key:<22}{zeros7}   # {}", def.full_label());
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
    for def in APPEAL_ROWS.iter() {
        let key = format!("{}:", def.key);
        let _ = writeln!(w, "  {key:<26}[0, 0, 0, 0, 0]   # {}", def.label);
    }
    let _ = writeln!(w, "---");
    let _ = writeln!(w);
    for (i, heading) in labels::SECTIONS.iter().enumerate() {
        let _ = writeln!(w, "## {heading}");
        let _ = writeln!(w);
        let hint = match i {
            0 => "（请填写：主动公开、依申请公开、政府信息管理、平台建设、监督保障等情况。）",
            1..=3 => "（表格由上方数据生成；此处可填写表格说明。）",
            4 => "（请填写存在的主要问题及改进情况。）",
            _ => "（请填写其他需要报告的事项，包括本年度收取信息处理费的情况。）",
        };
        let _ = writeln!(w, "{hint}");
        let _ = writeln!(w);
    }
    s
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
                Error::Usage(format!(
                    "{} exists already; gongkai never overwrites a file",
                    path.display()
                ))
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

/// Creates a new site in `dir`: `site.toml`, an example report and page, and
/// the default theme. Returns the files written (relative to `dir`).
pub fn init(dir: &Path, today: NaiveDate) -> Result<Vec<PathBuf>, Error> {
    if dir.join(crate::config::FILE).exists() {
        return Err(Error::Usage(format!(
            "{} already has a site.toml; gongkai init never overwrites a site",
            dir.display()
        )));
    }
    let year = today.year() - 1;
    let example = NewReport {
        agency: "示例县人民政府",
        slug: "example",
        year,
        level: Level::Government,
        published: NaiveDate::from_ymd_opt(year + 1, 1, 15),
        draft: false,
    };
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (PathBuf::from(crate::config::FILE), SITE_TOML.as_bytes().to_vec()),
        (report_path(example.slug, year), report_template(&example).into_bytes()),
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
            return Err(Error::Usage(format!(
                "{} exists already; gongkai init never overwrites a file",
                dir.join(rel).display()
            )));
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
