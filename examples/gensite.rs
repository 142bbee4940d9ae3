//! `gensite`: writes a synthetic gongkai site for benchmarks and tests.
//!
//! It generates N annual reports in the `gov-2021` format (see
//! `docs/report-format.md`, section 3) for made-up agencies, plus a
//! `site.toml` and one ordinary page. Every agency name contains 合成 so no
//! generated body can be taken for a real one.
//!
//! ```text
//! cargo run --release --example gensite -- --out DIR --reports N [--seed S] [--agencies A] [--force]
//! ```
//!
//! * `DIR` is created; a non-empty `DIR` is refused unless `--force`, which
//!   writes over existing files (files of an earlier run that this run does
//!   not write are left in place).
//! * By default the reports cover the years 2021..=2025 and there are
//!   ceil(N/5) agencies; the last agency may have fewer years. `--agencies A`
//!   sets the agency count; each agency then covers ceil(N/A) years ending at
//!   2025 (at most 18 years, never before 2008), the last agencies fewer, and
//!   every agency gets at least one report.
//! * Each agency's years are consecutive and end at 2025.
//! * The output is deterministic: the same arguments (`--seed` defaults to 1)
//!   give byte-identical files.
//!
//! Every report passes the checks R01-R12 without errors or warnings: table
//! 三 balances per column (R01-R03), table 四 totals add up (R04), carried-over
//! requests equal last year's carried-forward ones (R08), the published date
//! meets the deadline of the agency's level (R09), all six sections are there
//! (R10), the counts of documents in force follow from issued and repealed
//! (R11), and an agency's narratives of consecutive years are built from
//! disjoint sentence templates, so they stay far from near-duplicates (R12).
//!
//! Output layout:
//!
//! ```text
//! DIR/site.toml
//! DIR/content/guide.md
//! DIR/content/reports/<agency_slug>/<year>.md
//! ```

use std::collections::HashSet;
use std::fmt::{self, Write as _};
use std::fs;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Parser;
use fastrand::Rng;

/// The last reporting year of every agency.
const LAST_YEAR: u32 = 2025;
/// The earliest year a report may have (check R06).
const EARLIEST_YEAR: u32 = 2008;
/// Years per agency when `--agencies` is not given (2021..=2025).
const DEFAULT_YEARS: usize = 5;

#[derive(Parser, Debug)]
#[command(about = "Write a synthetic gongkai site of gov-2021 reports (for benchmarks and tests)")]
struct Args {
    /// Directory to write the site into (created if missing)
    #[arg(long)]
    out: PathBuf,
    /// Number of reports to generate
    #[arg(long)]
    reports: usize,
    /// Random seed; the same arguments always give the same files
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Number of agencies (default: ceil(reports / 5))
    #[arg(long)]
    agencies: Option<usize>,
    /// Write into a non-empty directory
    #[arg(long)]
    force: bool,
}

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("gensite: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<()> {
    let started = Instant::now();
    let plan = plan(args.reports, args.agencies)?;
    prepare_dir(&args.out, args.force)?;

    let mut rng = Rng::with_seed(args.seed);
    let agencies = make_agencies(&mut rng, plan.counts.len());
    let mut stats = Stats::default();
    write_site_files(&args.out, &mut stats)?;
    let reports_dir = args.out.join("content").join("reports");
    let mut buf = String::with_capacity(16 * 1024);
    for (agency, &count) in agencies.iter().zip(&plan.counts) {
        write_agency(&reports_dir, agency, count, &mut buf, &mut stats)?;
    }

    let first_year = LAST_YEAR + 1 - plan.years_per_agency.max(1) as u32;
    eprintln!(
        "gensite: wrote {} files ({} reports, {} agencies, years {}-{}), {:.1} MB in {:.2} s -> {}",
        stats.files,
        stats.reports,
        agencies.len(),
        first_year,
        LAST_YEAR,
        stats.bytes as f64 / 1_000_000.0,
        started.elapsed().as_secs_f64(),
        args.out.display()
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Planning and output files

/// How many reports each agency gets.
struct Plan {
    years_per_agency: usize,
    counts: Vec<usize>,
}

/// Spreads `reports` over the agencies: the leading agencies get the full
/// number of years, the trailing ones fewer, every agency at least one.
fn plan(reports: usize, agencies: Option<usize>) -> Result<Plan> {
    let max_years = (LAST_YEAR - EARLIEST_YEAR + 1) as usize;
    let (count, years) = match agencies {
        None => (reports.div_ceil(DEFAULT_YEARS), DEFAULT_YEARS),
        Some(0) if reports > 0 => bail!("--agencies must be at least 1"),
        Some(a) if a > reports => {
            bail!("--agencies {a} is more than --reports {reports}: every agency needs a report")
        }
        Some(a) => (a, reports.div_ceil(a.max(1))),
    };
    if years > max_years {
        bail!(
            "{reports} reports over {count} agencies need {years} years each, but reports go back \
             only to {EARLIEST_YEAR} ({max_years} years): use --agencies {} or more",
            reports.div_ceil(max_years)
        );
    }
    let mut remaining = reports;
    let counts = (0..count)
        .map(|i| {
            let n = years.min(remaining - (count - i - 1));
            remaining -= n;
            n
        })
        .collect();
    Ok(Plan {
        years_per_agency: years.min(reports),
        counts,
    })
}

/// Creates `dir`, refusing a non-empty one unless `force`.
fn prepare_dir(dir: &Path, force: bool) -> Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{} exists and is not a directory", dir.display());
        }
        let non_empty = fs::read_dir(dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .next()
            .is_some();
        if non_empty && !force {
            bail!("{} is not empty; pass --force to write into it anyway", dir.display());
        }
    }
    fs::create_dir_all(dir.join("content").join("reports")).with_context(|| format!("creating {}", dir.display()))
}

#[derive(Default)]
struct Stats {
    files: usize,
    reports: usize,
    bytes: usize,
}

fn write_file(path: &Path, text: &str, stats: &mut Stats) -> Result<()> {
    let file = fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = BufWriter::new(file);
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .with_context(|| format!("writing {}", path.display()))?;
    stats.files += 1;
    stats.bytes += text.len();
    Ok(())
}

const SITE_TOML: &str = "title = \"合成测试门户\"\nbase_url = \"/\"\nlanguage = \"zh-CN\"\n";

const GUIDE_MD: &str = "---\ntitle: 阅读指南\n---\n\n\
本站为合成测试门户，由 gensite 示例程序自动生成。站内所有机关名称均带有“合成”字样，\
年度报告中的统计数字和文字均为随机构造的测试数据，不对应任何真实机关，\
仅用于检验站点生成程序的功能和性能。\n";

fn write_site_files(dir: &Path, stats: &mut Stats) -> Result<()> {
    write_file(&dir.join("site.toml"), SITE_TOML, stats)?;
    write_file(&dir.join("content").join("guide.md"), GUIDE_MD, stats)
}

/// Generates and writes the `count` reports of one agency, oldest first.
fn write_agency(reports_dir: &Path, agency: &Agency, count: usize, buf: &mut String, stats: &mut Stats) -> Result<()> {
    let dir = reports_dir.join(&agency.slug);
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut rng = Rng::with_seed(agency.seed);
    let profile = Profile::new(&mut rng, agency.level);
    let mut history = History::new(&mut rng, agency.level);
    let first_year = LAST_YEAR + 1 - count as u32;
    for year in first_year..=LAST_YEAR {
        let report = generate_report(&mut rng, agency, &profile, &mut history, year);
        buf.clear();
        render_report(buf, &mut rng, &mut history.narrative, agency, &report)
            .expect("formatting into a String cannot fail");
        write_file(&dir.join(format!("{year}.md")), buf, stats)?;
        stats.reports += 1;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Agencies

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Level {
    Government,
    Department,
    Township,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Government => "government",
            Level::Department => "department",
            Level::Township => "township",
        }
    }
}

struct Agency {
    slug: String,
    name: String,
    level: Level,
    /// How the agency calls itself in the narrative (我局, 我镇, 我县 …).
    we: &'static str,
    /// Seed of the agency's own random stream.
    seed: u64,
}

const FIRST_SYLLABLES: [char; 40] = [
    '青', '松', '云', '石', '清', '白', '金', '玉', '安', '平', '长', '永', '新', '丰', '和', '兴', '宁', '东', '西',
    '南', '北', '江', '河', '湖', '桃', '柳', '梅', '兰', '竹', '杏', '鹤', '凤', '龙', '泉', '溪', '田', '林', '春',
    '秋', '明',
];

const LAST_SYLLABLES: [char; 40] = [
    '禾', '岭', '溪', '川', '阳', '山', '水', '泉', '源', '宁', '安', '丰', '平', '城', '桥', '湾', '坪', '塘', '台',
    '陵', '岗', '峰', '原', '洲', '浦', '港', '沟', '堡', '屯', '集', '庄', '店', '铺', '口', '坝', '渡', '埠', '营',
    '寨', '谷',
];

const DEPARTMENTS: [&str; 26] = [
    "教育局",
    "财政局",
    "民政局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "林业局",
    "司法局",
    "退役军人事务局",
    "发展和改革局",
    "科学技术局",
    "工业和信息化局",
    "数据资源管理局",
    "城市管理局",
];

/// Makes `count` agencies with unique slugs and unique names.
fn make_agencies(rng: &mut Rng, count: usize) -> Vec<Agency> {
    let mut names = HashSet::with_capacity(count);
    (0..count)
        .map(|i| {
            let level = match rng.u32(..100) {
                0..10 => Level::Government,
                10..70 => Level::Department,
                _ => Level::Township,
            };
            let (name, we) = unique_name(rng, level, &mut names);
            Agency {
                slug: format!("agency-{:05}", i + 1),
                name,
                level,
                we,
                seed: rng.u64(..),
            }
        })
        .collect()
}

/// Draws names until one is new; the place part grows longer when short
/// names run out.
fn unique_name(rng: &mut Rng, level: Level, taken: &mut HashSet<String>) -> (String, &'static str) {
    for attempt in 0usize.. {
        let (name, we) = agency_name(rng, level, 2 + attempt / 40);
        if taken.insert(name.clone()) {
            return (name, we);
        }
    }
    unreachable!("the name space grows without bound")
}

fn place_name(rng: &mut Rng, syllables: usize) -> String {
    let mut place = String::with_capacity(3 * syllables);
    for _ in 1..syllables {
        place.push(FIRST_SYLLABLES[rng.usize(..FIRST_SYLLABLES.len())]);
    }
    place.push(LAST_SYLLABLES[rng.usize(..LAST_SYLLABLES.len())]);
    place
}

fn agency_name(rng: &mut Rng, level: Level, syllables: usize) -> (String, &'static str) {
    let place = place_name(rng, syllables);
    let (unit, we_unit) = match rng.u32(..10) {
        0..6 => ("县", "我县"),
        6..8 => ("市", "我市"),
        _ => ("区", "我区"),
    };
    match level {
        Level::Government => (format!("合成{place}{unit}人民政府"), we_unit),
        Level::Department => {
            let dept = DEPARTMENTS[rng.usize(..DEPARTMENTS.len())];
            (format!("合成{place}{unit}{dept}"), "我局")
        }
        Level::Township => match rng.u32(..10) {
            0..7 => (format!("合成{place}镇人民政府"), "我镇"),
            7..9 => (format!("合成{place}乡人民政府"), "我乡"),
            _ => (format!("合成{place}街道办事处"), "本街道"),
        },
    }
}

// ---------------------------------------------------------------------------
// Numbers

/// Six applicant columns: 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他.
type Row = [u32; 6];

/// Number of result rows （一）…（六） in table 三.
const RESULT_ROWS: usize = 21;

/// Result rows of table 三 in order: (group key, row keys). `None` = top level.
const RESULT_LAYOUT: [(Option<&str>, &[&str]); 5] = [
    (None, &["granted", "partial"]),
    (
        Some("denied"),
        &[
            "state_secret",
            "law_prohibited",
            "security_stability",
            "third_party",
            "internal_affairs",
            "deliberative",
            "enforcement_case",
            "query_matter",
        ],
    ),
    (Some("unavailable"), &["not_held", "needs_creation", "unclear"]),
    (
        Some("not_processed"),
        &["complaint", "duplicate", "publication", "excessive", "confirmation"],
    ),
    (Some("other"), &["no_correction", "unpaid_fee", "other"]),
];

/// Base weights (per mille) of the 21 results, in `RESULT_LAYOUT` order.
const OUTCOME_WEIGHTS: [u32; RESULT_ROWS] = [
    400, 80, // granted, partial
    3, 10, 5, 20, 15, 20, 15, 20, // denied
    200, 40, 20, // unavailable
    30, 30, 10, 10, 10, // not_processed
    30, 5, 30, // other
];

/// Base weights of the applicant columns: mostly 自然人.
const APPLICANT_WEIGHTS: [u32; 6] = [850, 80, 10, 10, 20, 30];

/// Fixed traits of one agency that shape its numbers every year.
struct Profile {
    level: Level,
    /// 0..1, skewed small: how busy the agency is.
    size: f64,
    applicant_cum: [u32; 6],
    outcome_cum: [u32; RESULT_ROWS],
    /// Share of open requests carried into next year.
    carry_rate: f64,
}

impl Profile {
    fn new(rng: &mut Rng, level: Level) -> Profile {
        Profile {
            level,
            size: rng.f64().powi(3),
            applicant_cum: jittered_cumulative(rng, &APPLICANT_WEIGHTS),
            outcome_cum: jittered_cumulative(rng, &OUTCOME_WEIGHTS),
            carry_rate: 0.08 * rng.f64(),
        }
    }

    fn max_new(&self) -> f64 {
        match self.level {
            Level::Government => 450.0,
            Level::Department => 300.0,
            Level::Township => 40.0,
        }
    }
}

/// Cumulative weights, each base weight scaled by a random 0.5..1.5.
fn jittered_cumulative<const N: usize>(rng: &mut Rng, base: &[u32; N]) -> [u32; N] {
    let mut sum = 0;
    base.map(|w| {
        sum += (f64::from(w) * (0.5 + rng.f64())).round() as u32 + 1;
        sum
    })
}

/// Draws an index from cumulative weights.
fn draw(rng: &mut Rng, cum: &[u32]) -> usize {
    let r = rng.u32(..cum[cum.len() - 1]);
    cum.iter().position(|&c| r < c).unwrap_or(cum.len() - 1)
}

/// What an agency carries from one year to the next.
struct History {
    rules_in_force: u32,
    docs_in_force: u32,
    /// Last year's 结转下年度, per applicant column.
    carried_forward: Row,
    narrative: Narrator,
}

impl History {
    fn new(rng: &mut Rng, level: Level) -> History {
        let (rules, docs) = match level {
            Level::Government => (rng.u32(0..=12), rng.u32(10..=80)),
            Level::Department => (0, rng.u32(0..=40)),
            Level::Township => (0, rng.u32(0..=6)),
        };
        let mut carried_forward = [0; 6];
        if rng.u32(..10) < 3 {
            carried_forward[0] = rng.u32(1..=3);
        }
        History {
            rules_in_force: rules,
            docs_in_force: docs,
            carried_forward,
            narrative: Narrator::default(),
        }
    }
}

/// 本年制发件数, 本年废止件数, 现行有效件数.
#[derive(Clone, Copy)]
struct DocCounts {
    issued: u32,
    repealed: u32,
    in_force: u32,
}

/// Next year's document counts: in_force = last + issued - repealed (R11).
fn next_docs(rng: &mut Rng, in_force: &mut u32, max_issued: u32, issue_chance: f64) -> DocCounts {
    let issued = if rng.f64() < issue_chance {
        rng.u32(1..=max_issued.max(1))
    } else {
        0
    };
    let repealed = if *in_force > 0 && rng.u32(..10) < 3 {
        rng.u32(0..=(*in_force).min(4))
    } else {
        0
    };
    *in_force = *in_force + issued - repealed;
    DocCounts {
        issued,
        repealed,
        in_force: *in_force,
    }
}

/// Table 二.
struct Proactive {
    rules: DocCounts,
    docs: DocCounts,
    licensing: u32,
    penalty: u32,
    coercion: u32,
    /// 行政事业性收费 in 元 (written in 万元 with up to 4 decimals).
    fees_yuan: u64,
}

/// Table 三.
struct Requests {
    new: Row,
    carried_over: Row,
    results: [Row; RESULT_ROWS],
    carried_forward: Row,
    /// All-zero result rows left out of the file.
    omitted: [bool; RESULT_ROWS],
}

impl Requests {
    fn total(&self) -> Row {
        let mut total = [0; 6];
        for row in &self.results {
            add_row(&mut total, row);
        }
        total
    }
}

fn add_row(acc: &mut Row, row: &Row) {
    for (a, b) in acc.iter_mut().zip(row) {
        *a += b;
    }
}

fn row_sum(row: &Row) -> u32 {
    row.iter().sum()
}

/// Per-report figures used only by the narrative.
#[derive(Default)]
struct Extras {
    posts: u32,
    wechat: u32,
    interp: u32,
    meetings: u32,
    trainings: u32,
    trainees: u32,
    hotline: u32,
    catalog: u32,
    checks: u32,
    fixed: u32,
    visits: u32,
    pressconf: u32,
    suggestions: u32,
    /// 信息处理费 collected, in 元.
    info_fee_yuan: u32,
}

struct Report {
    year: u32,
    published: (u32, u32, u32),
    proactive: Proactive,
    requests: Requests,
    /// 行政复议, 直接起诉, 复议后起诉: 维持 纠正 其他 尚未审结.
    appeals: [[u32; 4]; 3],
    extras: Extras,
}

fn generate_report(rng: &mut Rng, agency: &Agency, profile: &Profile, history: &mut History, year: u32) -> Report {
    let requests = generate_requests(rng, profile, history);
    history.carried_forward = requests.carried_forward;
    let new_total = row_sum(&requests.new);
    Report {
        year,
        published: published_date(rng, year, agency.level),
        proactive: generate_proactive(rng, profile, history),
        appeals: generate_appeals(rng, new_total),
        extras: generate_extras(rng, profile),
        requests,
    }
}

fn generate_proactive(rng: &mut Rng, profile: &Profile, history: &mut History) -> Proactive {
    let scale = 0.2 + profile.size;
    let (rules_chance, docs_max, licensing_max, penalty_max) = match profile.level {
        Level::Government => (0.4, 10, 3000.0, 300.0),
        Level::Department => (0.0, 5, 6000.0, 900.0),
        Level::Township => (0.0, 2, 150.0, 40.0),
    };
    let rules = next_docs(rng, &mut history.rules_in_force, 2, rules_chance);
    let docs = next_docs(rng, &mut history.docs_in_force, docs_max, 0.6);
    let skewed = |rng: &mut Rng, max: f64, power: i32| (max * scale * rng.f64().powi(power)) as u32;
    Proactive {
        rules,
        docs,
        licensing: skewed(rng, licensing_max, 2),
        penalty: skewed(rng, penalty_max, 3),
        coercion: skewed(rng, penalty_max / 10.0, 4),
        fees_yuan: generate_fees(rng, profile.level),
    }
}

/// 行政事业性收费 in 元: often zero, otherwise rounded to 1, 100 or 10000 元.
fn generate_fees(rng: &mut Rng, level: Level) -> u64 {
    let (chance, max_yuan) = match level {
        Level::Government => (0.7, 2.0e9),
        Level::Department => (0.4, 3.0e8),
        Level::Township => (0.1, 1.0e6),
    };
    if rng.f64() >= chance {
        return 0;
    }
    let yuan = (max_yuan * rng.f64().powi(4)) as u64 + 1;
    let unit = [1, 100, 10_000][rng.usize(..3)];
    (yuan / unit).max(1) * unit
}

fn generate_requests(rng: &mut Rng, profile: &Profile, history: &History) -> Requests {
    let year_factor = 0.6 + 0.8 * rng.f64();
    let new_total = (profile.max_new() * profile.size * year_factor) as u32;
    let mut new = [0; 6];
    for _ in 0..new_total {
        new[draw(rng, &profile.applicant_cum)] += 1;
    }
    let carried_over = history.carried_forward;
    let mut results = [[0; 6]; RESULT_ROWS];
    let mut carried_forward = [0; 6];
    for col in 0..6 {
        for _ in 0..new[col] + carried_over[col] {
            if rng.f64() < profile.carry_rate {
                carried_forward[col] += 1;
            } else {
                results[draw(rng, &profile.outcome_cum)][col] += 1;
            }
        }
    }
    let omitted = std::array::from_fn(|i| row_sum(&results[i]) == 0 && rng.u32(..10) < 3);
    Requests {
        new,
        carried_over,
        results,
        carried_forward,
        omitted,
    }
}

/// Table 四 rows; numbers grow with the number of requests.
fn generate_appeals(rng: &mut Rng, new_total: u32) -> [[u32; 4]; 3] {
    let base = f64::from(new_total);
    let count = |rng: &mut Rng, rate: f64| {
        let expected = base * rate * 2.0 * rng.f64();
        expected as u32 + u32::from(rng.u32(..20) == 0)
    };
    let review = count(rng, 0.02);
    let direct = count(rng, 0.01);
    let after_review = count(rng, 0.005).min(review);
    [review, direct, after_review].map(|n| split_appeals(rng, n))
}

/// Splits `n` cases into 维持 纠正 其他 尚未审结.
fn split_appeals(rng: &mut Rng, n: u32) -> [u32; 4] {
    const CUM: [u32; 4] = [60, 75, 90, 100];
    let mut row = [0; 4];
    for _ in 0..n {
        row[draw(rng, &CUM)] += 1;
    }
    row
}

fn generate_extras(rng: &mut Rng, profile: &Profile) -> Extras {
    let scale = 0.3 + profile.size;
    let mut scaled = |lo: f64, hi: f64| (lo + (hi - lo) * scale * rng.f64()) as u32;
    Extras {
        posts: scaled(80.0, 4000.0),
        wechat: scaled(30.0, 2500.0),
        interp: scaled(3.0, 90.0),
        meetings: scaled(2.0, 14.0),
        trainings: scaled(1.0, 9.0),
        trainees: scaled(15.0, 400.0),
        hotline: scaled(40.0, 3000.0),
        catalog: scaled(100.0, 2500.0),
        checks: scaled(2.0, 13.0),
        fixed: scaled(1.0, 40.0),
        visits: scaled(8000.0, 900_000.0),
        pressconf: scaled(1.0, 16.0),
        suggestions: scaled(3.0, 70.0),
        info_fee_yuan: if rng.u32(..100) < 6 { rng.u32(1..=200) * 10 } else { 0 },
    }
}

/// A publication date within the deadline of check R09: January of
/// year+1, or January to March for a government.
fn published_date(rng: &mut Rng, year: u32, level: Level) -> (u32, u32, u32) {
    let published_in = year + 1;
    let leap =
        published_in.is_multiple_of(4) && (!published_in.is_multiple_of(100) || published_in.is_multiple_of(400));
    let february = if leap { 29 } else { 28 };
    let last_day = match level {
        Level::Government => 31 + february + 31,
        Level::Department | Level::Township => 31,
    };
    let mut day = rng.u32(1..=last_day);
    let mut month = 1;
    for len in [31, february] {
        if day <= len {
            break;
        }
        day -= len;
        month += 1;
    }
    (published_in, month, day)
}

// ---------------------------------------------------------------------------
// Writing a report

fn render_report(
    out: &mut String,
    rng: &mut Rng,
    narrator: &mut Narrator,
    agency: &Agency,
    report: &Report,
) -> fmt::Result {
    write_front_matter(out, agency, report)?;
    narrator.start_report();
    let ctx = Ctx { agency, report };
    write_body(out, rng, narrator, &ctx)
}

fn write_front_matter(out: &mut String, agency: &Agency, r: &Report) -> fmt::Result {
    let (py, pm, pd) = r.published;
    writeln!(out, "---\nformat: gov-2021")?;
    writeln!(out, "agency: {}", agency.name)?;
    writeln!(out, "agency_slug: {}", agency.slug)?;
    writeln!(out, "year: {}", r.year)?;
    writeln!(out, "published: {py:04}-{pm:02}-{pd:02}")?;
    writeln!(out, "level: {}", agency.level.as_str())?;
    write_proactive(out, &r.proactive)?;
    write_requests(out, &r.requests)?;
    write_appeals(out, &r.appeals)?;
    writeln!(out, "---")
}

fn write_proactive(out: &mut String, p: &Proactive) -> fmt::Result {
    writeln!(out, "proactive:")?;
    for (key, d) in [("rules", p.rules), ("normative_docs", p.docs)] {
        writeln!(
            out,
            "  {key}: {{issued: {}, repealed: {}, in_force: {}}}",
            d.issued, d.repealed, d.in_force
        )?;
    }
    writeln!(out, "  licensing: {}", p.licensing)?;
    writeln!(out, "  penalty: {}", p.penalty)?;
    writeln!(out, "  coercion: {}", p.coercion)?;
    writeln!(out, "  fees: {}", WanYuan(p.fees_yuan))
}

/// An amount of 元 shown in 万元 with at most 4 decimals, trailing zeros cut.
struct WanYuan(u64);

impl fmt::Display for WanYuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, mut frac) = (self.0 / 10_000, self.0 % 10_000);
        if frac == 0 {
            return write!(f, "{whole}");
        }
        let mut digits = 4;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        write!(f, "{whole}.{frac:0digits$}")
    }
}

fn write_row(out: &mut String, indent: &str, key: &str, row: &Row) -> fmt::Result {
    write!(out, "{indent}{key}: [")?;
    for n in row {
        write!(out, "{n}, ")?;
    }
    writeln!(out, "{}]", row_sum(row))
}

fn write_requests(out: &mut String, q: &Requests) -> fmt::Result {
    writeln!(out, "requests:")?;
    write_row(out, "  ", "new", &q.new)?;
    write_row(out, "  ", "carried_over", &q.carried_over)?;
    let mut index = 0;
    for (group, keys) in RESULT_LAYOUT {
        let rows = index..index + keys.len();
        index = rows.end;
        let indent = match group {
            None => "  ",
            Some(_) if rows.clone().all(|i| q.omitted[i]) => continue,
            Some(name) => {
                writeln!(out, "  {name}:")?;
                "    "
            }
        };
        for (key, i) in keys.iter().zip(rows) {
            if !q.omitted[i] {
                write_row(out, indent, key, &q.results[i])?;
            }
        }
    }
    write_row(out, "  ", "total", &q.total())?;
    write_row(out, "  ", "carried_forward", &q.carried_forward)
}

fn write_appeals(out: &mut String, appeals: &[[u32; 4]; 3]) -> fmt::Result {
    writeln!(out, "appeals:")?;
    let keys = ["review", "litigation_direct", "litigation_after_review"];
    for (key, row) in keys.iter().zip(appeals) {
        let [a, b, c, d] = *row;
        writeln!(out, "  {key}: [{a}, {b}, {c}, {d}, {}]", a + b + c + d)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Narrative

/// Section 一's sub-headings with the pool of sentences for each.
const OVERVIEW: [(&str, Pool); 5] = [
    ("（一）主动公开", Pool::Proactive),
    ("（二）依申请公开", Pool::Requests),
    ("（三）政府信息管理", Pool::Management),
    ("（四）平台建设", Pool::Platform),
    ("（五）监督保障", Pool::Supervision),
];

const ORDINALS: [&str; 5] = ["一是", "二是", "三是", "四是", "五是"];

fn write_body(out: &mut String, rng: &mut Rng, n: &mut Narrator, ctx: &Ctx) -> fmt::Result {
    write_overview(out, rng, n, ctx)?;
    write_table_notes(out, rng, n, ctx)?;
    write_problems(out, rng, n, ctx)?;
    write_other_matters(out, rng, n, ctx)
}

/// Section 一: an opening paragraph and the sub-sections （一）…（五）.
fn write_overview(out: &mut String, rng: &mut Rng, n: &mut Narrator, ctx: &Ctx) -> fmt::Result {
    out.push_str("\n## 一、总体情况\n\n");
    let k = rng.usize(2..=3);
    write_paragraph(out, ctx, &n.pick(rng, Pool::Opening, k), None)?;
    for (heading, pool) in OVERVIEW {
        write!(out, "### {heading}\n\n")?;
        // 2 to 4 sentences, mostly 3 or 4.
        let k = [2, 3, 3, 4, 4][rng.usize(..5)];
        let sentences = match pool {
            Pool::Requests if !ctx.has_requests() => {
                let mut s = n.pick(rng, Pool::RequestsNone, 1);
                let with_figures = (1 << REQUESTS_WITH_FIGURES) - 1;
                s.extend(n.pick_avoiding(rng, pool, k - 1, with_figures));
                s
            }
            _ => n.pick(rng, pool, k),
        };
        write_paragraph(out, ctx, &sentences, None)?;
    }
    Ok(())
}

/// Sections 二, 三 and 四: a sentence on the table's figures and a note.
fn write_table_notes(out: &mut String, rng: &mut Rng, n: &mut Narrator, ctx: &Ctx) -> fmt::Result {
    let (requests, appeals) = (ctx.has_requests(), ctx.has_appeals());
    let sections = [
        ("二、主动公开政府信息情况", Pool::FiguresProactive, Pool::NoteProactive),
        (
            "三、收到和处理政府信息公开申请情况",
            if requests {
                Pool::FiguresRequests
            } else {
                Pool::FiguresRequestsNone
            },
            Pool::NoteRequests,
        ),
        (
            "四、政府信息公开行政复议、行政诉讼情况",
            if appeals {
                Pool::FiguresAppeals
            } else {
                Pool::FiguresAppealsNone
            },
            Pool::NoteAppeals,
        ),
    ];
    for (heading, figures, note) in sections {
        write!(out, "## {heading}\n\n")?;
        let mut sentences = n.pick(rng, figures, 1);
        sentences.extend(n.pick(rng, note, 1));
        write_paragraph(out, ctx, &sentences, None)?;
    }
    Ok(())
}

/// Section 五: problems found and how they are being fixed.
fn write_problems(out: &mut String, rng: &mut Rng, n: &mut Narrator, ctx: &Ctx) -> fmt::Result {
    out.push_str("## 五、存在的主要问题及改进情况\n\n### （一）存在的主要问题\n\n");
    let k = rng.usize(2..=4);
    let problems = n.pick(rng, Pool::Problems, k);
    write_paragraph(out, ctx, &problems, Some(&ORDINALS))?;
    out.push_str("### （二）改进情况\n\n");
    let k = rng.usize(3..=5);
    let improvements = n.pick(rng, Pool::Improvements, k);
    write_paragraph(out, ctx, &improvements, Some(&ORDINALS))
}

/// Section 六: the 信息处理费 collected and other matters.
fn write_other_matters(out: &mut String, rng: &mut Rng, n: &mut Narrator, ctx: &Ctx) -> fmt::Result {
    out.push_str("## 六、其他需要报告的事项\n\n");
    let fee_pool = if ctx.report.extras.info_fee_yuan > 0 {
        Pool::FeePaid
    } else {
        Pool::FeeNone
    };
    let mut sentences = n.pick(rng, fee_pool, 1);
    let k = rng.usize(2..=3);
    sentences.extend(n.pick(rng, Pool::Other, k));
    write_paragraph(out, ctx, &sentences, None)
}

/// Writes the sentences as one paragraph, each prefixed by an ordinal if given.
fn write_paragraph(out: &mut String, ctx: &Ctx, sentences: &[&str], ordinals: Option<&[&str]>) -> fmt::Result {
    for (i, template) in sentences.iter().enumerate() {
        if let Some(ordinals) = ordinals {
            out.push_str(ordinals[i]);
        }
        ctx.render(out, template)?;
    }
    out.push_str("\n\n");
    Ok(())
}

/// Values the templates' `{placeholders}` stand for.
struct Ctx<'a> {
    agency: &'a Agency,
    report: &'a Report,
}

impl Ctx<'_> {
    /// Whether the agency had any request to handle this year.
    fn has_requests(&self) -> bool {
        let q = &self.report.requests;
        row_sum(&q.new) + row_sum(&q.carried_over) > 0
    }

    /// Whether table 四 has any case.
    fn has_appeals(&self) -> bool {
        self.report.appeals.iter().flatten().any(|&n| n > 0)
    }

    /// Sum of a range of result rows (e.g. all of （三）不予公开).
    fn results(&self, rows: std::ops::Range<usize>) -> u32 {
        self.report.requests.results[rows].iter().map(row_sum).sum()
    }

    /// Writes `template` with each `{key}` replaced by its value.
    fn render(&self, out: &mut String, template: &str) -> fmt::Result {
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').expect("unclosed placeholder");
            self.value(out, &rest[open + 1..close])?;
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        Ok(())
    }

    fn value(&self, out: &mut String, key: &str) -> fmt::Result {
        let r = self.report;
        let q = &r.requests;
        let x = &r.extras;
        let p = &r.proactive;
        let appeals_total = |i: usize| r.appeals[i].iter().sum::<u32>();
        let n: u32 = match key {
            "agency" => return write!(out, "{}", self.agency.name),
            "we" => return write!(out, "{}", self.agency.we),
            "fees" => return write!(out, "{}", WanYuan(p.fees_yuan)),
            "year" => r.year,
            "next" => r.year + 1,
            "new" => row_sum(&q.new),
            "carried" => row_sum(&q.carried_over),
            "done" => row_sum(&q.total()),
            "fwd" => row_sum(&q.carried_forward),
            "natural" => q.new[0],
            "orgs" => row_sum(&q.new) - q.new[0],
            "granted" => row_sum(&q.results[0]),
            "partial" => row_sum(&q.results[1]),
            "disclosed" => self.results(0..2),
            "denied" => self.results(2..10),
            "unavailable" => self.results(10..13),
            "not_processed" => self.results(13..18),
            "other_done" => self.results(18..21),
            "rest" => self.results(13..21),
            "review" => appeals_total(0),
            "litigation" => appeals_total(1) + appeals_total(2),
            "review_kept" => r.appeals[0][0],
            "review_fixed" => r.appeals[0][1],
            "lit_direct" => appeals_total(1),
            "lit_after" => appeals_total(2),
            "pending" => r.appeals.iter().map(|row| row[3]).sum(),
            "nd_issued" => p.docs.issued,
            "nd_repealed" => p.docs.repealed,
            "nd_in_force" => p.docs.in_force,
            "licensing" => p.licensing,
            "penalty" => p.penalty,
            "coercion" => p.coercion,
            "fee_yuan" => x.info_fee_yuan,
            "posts" => x.posts,
            "wechat" => x.wechat,
            "interp" => x.interp,
            "meetings" => x.meetings,
            "trainings" => x.trainings,
            "trainees" => x.trainees,
            "hotline" => x.hotline,
            "catalog" => x.catalog,
            "checks" => x.checks,
            "fixed" => x.fixed,
            "visits" => x.visits,
            "pressconf" => x.pressconf,
            "suggestions" => x.suggestions,
            other => panic!("unknown placeholder {{{other}}} in a sentence template"),
        };
        write!(out, "{n}")
    }
}

/// The sentence pools of the narrative.
#[derive(Clone, Copy)]
enum Pool {
    Opening,
    Proactive,
    Requests,
    RequestsNone,
    Management,
    Platform,
    Supervision,
    Problems,
    Improvements,
    FeePaid,
    FeeNone,
    Other,
    NoteProactive,
    NoteRequests,
    NoteAppeals,
    FiguresProactive,
    FiguresRequests,
    FiguresRequestsNone,
    FiguresAppeals,
    FiguresAppealsNone,
}

const POOL_COUNT: usize = 20;

impl Pool {
    fn sentences(self) -> &'static [&'static str] {
        match self {
            Pool::Opening => &OPENING,
            Pool::Proactive => &PROACTIVE,
            Pool::Requests => &REQUESTS,
            Pool::RequestsNone => &REQUESTS_NONE,
            Pool::Management => &MANAGEMENT,
            Pool::Platform => &PLATFORM,
            Pool::Supervision => &SUPERVISION,
            Pool::Problems => &PROBLEMS,
            Pool::Improvements => &IMPROVEMENTS,
            Pool::FeePaid => &FEE_PAID,
            Pool::FeeNone => &FEE_NONE,
            Pool::Other => &OTHER,
            Pool::NoteProactive => &NOTE_PROACTIVE,
            Pool::NoteRequests => &NOTE_REQUESTS,
            Pool::NoteAppeals => &NOTE_APPEALS,
            Pool::FiguresProactive => &FIGURES_PROACTIVE,
            Pool::FiguresRequests => &FIGURES_REQUESTS,
            Pool::FiguresRequestsNone => &FIGURES_REQUESTS_NONE,
            Pool::FiguresAppeals => &FIGURES_APPEALS,
            Pool::FiguresAppealsNone => &FIGURES_APPEALS_NONE,
        }
    }
}

/// Picks sentence templates, never one that the same agency used the year
/// before (so consecutive reports are not 内容雷同, check R12).
#[derive(Default)]
struct Narrator {
    /// Per pool, a bit per template used in the previous report.
    previous: [u64; POOL_COUNT],
    /// Per pool, a bit per template used in the current report.
    current: [u64; POOL_COUNT],
}

impl Narrator {
    fn start_report(&mut self) {
        self.previous = self.current;
        self.current = [0; POOL_COUNT];
    }

    /// Picks `k` distinct templates from `pool` in random order.
    fn pick(&mut self, rng: &mut Rng, pool: Pool, k: usize) -> Vec<&'static str> {
        self.pick_avoiding(rng, pool, k, 0)
    }

    /// Like `pick`, never taking the templates whose bits are set in `exclude`.
    fn pick_avoiding(&mut self, rng: &mut Rng, pool: Pool, k: usize, exclude: u64) -> Vec<&'static str> {
        let sentences = pool.sentences();
        let slot = pool as usize;
        let avoid = self.previous[slot] | self.current[slot] | exclude;
        let mut candidates: Vec<usize> = (0..sentences.len()).filter(|&i| avoid & (1 << i) == 0).collect();
        if candidates.len() < k {
            candidates = (0..sentences.len()).filter(|&i| exclude & (1 << i) == 0).collect();
        }
        let k = k.min(candidates.len());
        for i in 0..k {
            let j = rng.usize(i..candidates.len());
            candidates.swap(i, j);
        }
        candidates[..k]
            .iter()
            .map(|&i| {
                self.current[slot] |= 1 << i;
                sentences[i]
            })
            .collect()
    }
}

// Sentence templates. Placeholders: {agency} {we} {year} {next} {new}
// {carried} {done} {fwd} {granted} {partial} {review} {litigation} {nd_issued}
// {nd_repealed} {nd_in_force} {licensing} {penalty} {coercion} {fees}
// {fee_yuan} {posts} {wechat} {interp} {meetings} {trainings} {trainees}
// {hotline} {catalog} {checks} {fixed} {visits} {pressconf} {suggestions}
// {natural} {orgs} {disclosed} {denied} {unavailable} {not_processed}
// {other_done} {rest} {review_kept} {review_fixed} {lit_direct} {lit_after}
// {pending}.
// Each pool holds at most 64 templates (one bit each in `Narrator`).

const OPENING: [&str; 12] = [
    "{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，按照上级政务公开工作要点的部署，坚持以公开为常态、不公开为例外，持续推进决策、执行、管理、服务、结果公开。",
    "{year}年，{we}围绕年度中心工作，把政务公开作为转变政府职能、建设法治政府的重要抓手，不断完善工作机制，规范公开流程，政务公开工作整体水平稳步提升。",
    "本报告由{agency}根据《中华人民共和国政府信息公开条例》要求编制，报告中所列数据的统计期限为{year}年1月1日至{year}年12月31日，如对本报告有疑问，可向{we}政务公开工作机构咨询。",
    "{year}年以来，{we}坚持把政务公开与业务工作同谋划、同部署、同推进，聚焦群众关切加大信息发布力度，政府信息公开的及时性、准确性和实用性进一步增强。",
    "对照年初制定的政务公开工作要点，{agency}逐项分解任务、明确责任科室和完成时限，{year}年各项公开任务总体按计划推进，公开质量和群众满意度较上年均有所提高。",
    "{year}年度，{we}以提升政务公开标准化规范化水平为主线，在主动公开、依申请公开、信息管理、平台建设和监督保障等方面持续发力，现将有关情况报告如下。",
    "过去一年，{we}主要负责同志多次听取政务公开工作汇报，研究解决工作中的具体问题，将政务公开纳入年度重点工作统筹推进，形成了一级抓一级、层层抓落实的工作格局。",
    "本年度报告全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分。",
    "{year}年，{agency}紧扣群众办事需求，推动政务公开从“公开了”向“看得懂、用得上”转变，全年通过各类渠道主动公开政府信息{posts}条，较好保障了群众的知情权、参与权和监督权。",
    "面对新形势新要求，{we}在{year}年进一步压实政务公开主体责任，健全信息发布、政策解读、回应关切联动机制，推动政务公开工作与法治政府建设、营商环境优化深度融合。",
    "{year}年，{we}结合机构职能调整情况，及时更新政务公开工作领导小组成员和信息公开联络员名单，确保政务公开工作有人管、有人抓、有人落实。",
    "在{year}年的工作中，{agency}坚持问题导向和需求导向，针对上年度报告中查找出的薄弱环节逐项整改，政务公开基础工作得到进一步夯实。",
];

const PROACTIVE: [&str; 24] = [
    "{year}年，{we}通过门户网站累计主动公开各类政府信息{posts}条，涵盖机构职能、政策文件、规划计划、财政资金、重点项目和民生事项等内容。",
    "严格落实行政规范性文件统一登记、统一编号、统一公开制度，全年制发行政规范性文件{nd_issued}件，废止{nd_repealed}件，截至年底现行有效{nd_in_force}件，均已在网站集中公开。",
    "围绕重要政策出台，同步做好政策解读工作，全年发布文字解读、图片解读和视频解读等各类解读材料{interp}篇，切实增强政策的知晓度和执行力。",
    "及时公开行政许可、行政处罚等执法信息，全年公开行政许可处理决定{licensing}件、行政处罚决定{penalty}件、行政强制决定{coercion}件，做到执法结果依法及时向社会公开。",
    "按照预决算公开有关规定，在规定时限内公开部门预算、决算和“三公”经费情况，细化公开到功能分类项级科目，主动接受社会监督。",
    "聚焦就业、教育、医疗、养老、社会救助等群众关心的领域，持续加大民生信息公开力度，推动惠民惠农政策和补贴资金发放情况公开到位。",
    "通过微信公众号、政务微博等政务新媒体发布各类信息{wechat}条，及时推送政策文件、办事指南和工作动态，进一步拓展了信息传播渠道。",
    "组织召开新闻发布会{pressconf}场，围绕重点工作进展和群众关切问题作出权威发布，主要负责同志带头解读政策、回应热点。",
    "深化决策公开，对涉及群众切身利益的重要决策事项，在决策前通过网站公开征求意见，全年开展意见征集{meetings}次，对采纳情况及时予以反馈。",
    "扎实推进重大建设项目批准和实施、公共资源配置领域信息公开，项目审批、招标投标、合同履约等信息在规定时限内公开。",
    "认真做好人大代表建议和政协委员提案办理结果公开工作，{year}年共办理建议提案{suggestions}件，办理复文在征得代表委员同意后全部公开。",
    "持续规范权责清单和办事指南公开，对照事项调整情况动态更新公开内容，确保群众能够准确了解办理依据、条件、流程和时限。",
    "围绕优化营商环境，集中公开涉企政策、惠企措施和申报指南，推动政策直达市场主体，全年发布涉企政策信息{interp}条。",
    "坚持政务公开与政务服务融合，在政务服务大厅设置政务公开专区，提供政策查阅、咨询解答和办事引导服务，全年接待群众咨询{hotline}人次。",
    "全面公开本机关年度工作计划、工作总结和重点任务完成情况，主动接受群众监督，以公开促落实、以公开促规范。",
    "结合“双随机、一公开”监管工作，及时公开随机抽查事项清单、抽查计划和抽查结果，提高监管工作透明度。",
    "围绕防汛防台、安全生产、食品安全等领域，及时发布预警信息和应对措施，{year}年发布各类突发事件相关信息{wechat}条。",
    "推进政策文件“应公开尽公开”，对本机关制发的政策文件逐件进行公开属性审查，属于主动公开范围的均在形成后二十个工作日内公开。",
    "在网站开设重点工作专栏，集中展示年度重点项目建设进度、民生实事办理情况和考核结果，便于群众查阅监督。",
    "对行政事业性收费项目实行目录清单管理，公开收费依据、收费标准和收费对象，{year}年行政事业性收费金额为{fees}万元。",
    "通过举办政府开放日、政策宣讲会等活动，邀请群众代表走进机关、了解政策，{year}年共组织相关活动{meetings}场次。",
    "严格执行政务舆情回应制度，对涉及本机关的社会关切事项及时核实情况、发布权威信息，全年回应公众关注热点{fixed}次。",
    "结合政府信息公开目录编制，对主动公开事项进行系统梳理，累计编制公开目录条目{catalog}条，方便公众按类别检索查阅。",
    "依托村务和社区公开栏，及时张贴低保、救助、补贴等公示信息，确保基层群众能够及时获取与自身利益相关的政府信息。",
];

/// `REQUESTS` starts with the templates that only make sense when the agency
/// handled requests; a report without any uses `REQUESTS_NONE` instead.
const REQUESTS_WITH_FIGURES: usize = 6;

const REQUESTS: [&str; 22] = [
    "{year}年，{we}共新收政府信息公开申请{new}件，加上上年结转的{carried}件，全年共办理{done}件，结转下年度继续办理{fwd}件，办理工作总体平稳有序。",
    "在已办结的申请中，予以公开{granted}件，部分公开{partial}件，其余申请依法作出无法提供、不予公开或不予处理等答复，所有答复均在法定期限内作出，答复内容做到依据充分、表述准确。",
    "全年收到的申请主要集中在征地拆迁、社会保障、行政执法和项目审批等领域，{we}对其中具有普遍性的事项及时转为主动公开，反映出群众对涉及自身利益的政府信息关注度较高。",
    "本年度申请人以自然人为主，法人或其他组织提出的申请较少，申请事项多与申请人自身生产生活密切相关，{we}在办理中注重与申请人沟通，耐心解释政策规定。",
    "{year}年，{we}收到政府信息公开申请{new}件，其中予以公开{granted}件，未发生因答复不当引发的重大争议，依申请公开工作总体运行平稳。",
    "针对申请量较大的事项，{we}梳理制作了常见问题答复口径，在保证答复质量的同时提高了办理效率，并定期根据政策变化更新答复口径。",
    "严格按照条例规定的受理、登记、审核、答复等环节办理依申请公开事项，做到申请有登记、办理有记录、答复有依据，确保每一件申请都能在法定期限内得到依法答复。",
    "进一步规范依申请公开答复文书格式，对不予公开和无法提供的答复，均详细说明理由和法律依据，并告知申请人救济途径，切实保障申请人的合法权益。",
    "畅通依申请公开渠道，通过网上申请平台、信函、当面申请等方式接收申请，在网站公开申请指南和申请表格，方便群众提交申请，并在政务服务大厅提供现场申请指导服务。",
    "对申请内容不明确的，及时一次性告知申请人作出补正，并主动与申请人沟通联系，帮助其准确描述所需信息，减少因理解偏差引发的争议，从源头上提高申请的可办理性。",
    "对涉及第三方权益的申请，依法书面征求第三方意见，在兼顾公共利益和第三方合法权益的基础上审慎作出答复，确保答复结果合法合理、经得起检验。",
    "建立依申请公开会商机制，对疑难复杂的申请由法制机构、业务科室共同研究答复意见，{year}年组织会商{meetings}次，提高了疑难申请答复的规范性和准确性。",
    "加强依申请公开办理过程管理，实行台账登记和限时办结制度，{year}年度没有出现因超期答复而被纠错的情况，办理进度全程可追溯。",
    "对申请人提出的政府信息公开申请，由专人负责登记和流转，答复前统一进行合法性审核，确保答复内容准确、程序合法、格式规范，从制度上防范答复风险。",
    "对于以政府信息公开申请形式进行信访、投诉、举报的，依法告知申请人通过相应渠道提出，并做好解释说明工作，引导群众依法理性表达诉求。",
    "坚持依申请公开与主动公开联动，对多次被申请的同类信息进行分析研判，能够主动公开的及时纳入主动公开范围，从源头上减少重复申请。",
    "依申请公开答复文书全部由专人送达或邮寄送达，对通过网络提交的申请，同步通过网上平台反馈办理结果，做到送达程序合法、送达凭证完整。",
    "制定依申请公开工作规程，明确各环节的办理时限和责任人员，做到每一件申请都有人跟踪、有人负责、有结果反馈，形成了权责清晰、运转顺畅的办理机制。",
    "对答复后申请人仍有疑问的，主动回访、当面解释，耐心说明相关法律规定，有效化解了部分潜在的行政争议，申请人对答复工作的理解和认可度不断提高。",
    "认真研究行政复议和行政诉讼案件中反映出的问题，及时改进依申请公开答复工作，依申请公开办理质量不断提高，切实防范和化解政府信息公开领域的行政争议。",
    "积极推进依申请公开办理全流程网上运行，实现申请接收、登记、审核、答复和归档在线办理，办理进度可实时查询，申请人可通过网上平台随时了解办理情况。",
    "本年度{we}因政府信息公开工作被申请行政复议{review}件，被提起行政诉讼{litigation}件，相关案件均已依法应对，并认真总结案件中反映出的问题，举一反三改进工作。",
];

const REQUESTS_NONE: [&str; 4] = [
    "{year}年，{we}未收到政府信息公开申请，也没有上年结转的申请，依申请公开各项数据均为0。",
    "本年度{we}没有收到政府信息公开申请，但仍安排专人负责申请受理工作，确保申请渠道畅通。",
    "{year}年度{we}未发生依申请公开事项，申请受理渠道、申请指南和申请表格均保持在网站公开。",
    "{year}年没有公民、法人或其他组织向{we}提出政府信息公开申请，相关受理机制运行正常。",
];

const MANAGEMENT: [&str; 22] = [
    "严格落实公文类信息公开属性源头认定制度，在公文拟制阶段明确主动公开、依申请公开或不予公开属性，对不予公开的说明理由，从源头上规范政府信息公开工作。",
    "健全信息发布审核机制，坚持“先审查、后公开”和“一事一审”原则，重点审查信息内容的准确性和保密性，{year}年未发生失泄密问题，切实做到公开信息内容准确、程序规范。",
    "按照国家政务公开标准指引，对主动公开内容进行梳理规范，编制并动态更新本机关政府信息公开目录，目录条目累计达到{catalog}条，为公众查找和获取政府信息提供了清晰指引。",
    "开展现行有效行政规范性文件清理工作，对不符合法律法规规定或者不适应形势发展要求的文件及时予以修改或废止，清理结果向社会公布，维护了政策文件的统一性和权威性。",
    "加强个人信息保护，对公开信息中涉及的身份证号码、手机号码、家庭住址等个人信息进行去标识化处理，{year}年开展专项排查{checks}次，切实保护了公民个人隐私和合法权益。",
    "规范政府信息公开工作档案管理，对依申请公开办理材料、主动公开审核记录等资料及时整理归档，做到一件一档、有据可查，为工作追溯和经验总结提供了完整依据。",
    "建立政策文件动态更新机制，对已经修改、废止或失效的文件在网站上作出明确标注，避免公众误用失效政策，切实维护政府信息的准确性和权威性。",
    "对历年公开的政府信息进行全面梳理，集中清理过期失效、内容重复的信息，{year}年整改各类信息内容问题{fixed}处，网站信息内容质量进一步提升。",
    "完善政府信息发布协调机制，涉及其他行政机关的信息，发布前进行沟通确认，保证发布的信息准确一致，避免出现信息发布口径不一致的情况。",
    "推进政府信息公开工作规范化管理，制定保密审查、依申请公开办理、政务舆情回应等工作制度，形成较为完备的制度体系，推动政务公开工作有章可循、规范运行。",
    "坚持信息公开与信息安全并重，严格落实网络安全责任制，定期对网站和信息系统进行安全检测，及时修复发现的安全隐患，全年未发生网络安全事件。",
    "对本机关制发的规范性文件实行统一登记、统一编号、统一印发，现行有效规范性文件目录在网站集中公布并实时更新，方便公众查阅和监督。",
    "{year}年，{we}进一步明确各科室政务公开工作职责，建立信息报送和审核发布台账，信息发布流程更加规范，各科室之间的协作配合更加顺畅。",
    "严格执行信息发布“三审三校”制度，对拟公开的信息由承办科室初审、分管负责人复审、主要负责人终审，确保信息内容准确无误，从制度上杜绝错发、漏发和泄密等问题。",
    "开展政务公开标准目录落地工作，将目录要求嵌入日常业务办理流程，推动公开事项与业务工作同步运行，逐步实现公开工作标准化、规范化。",
    "加强对政府信息的分类管理，按照信息内容和公开方式进行分类梳理，为公众检索和查阅政府信息提供便利，信息检索的便捷性和准确性明显提高。",
    "认真做好政府信息公开工作年度报告编制和发布工作，在规定时限内向社会公开上一年度报告，并按要求报送上级主管部门，年度报告内容做到要素齐全、数据准确。",
    "规范政策解读工作流程，坚持政策文件与解读材料同步组织、同步审签、同步部署，解读材料与政策文件关联发布，切实提高政策解读的质量和时效。",
    "建立政府信息公开工作月调度制度，定期通报各科室信息报送和公开情况，对进度滞后的及时督促整改，推动政务公开各项任务按时完成。",
    "对公开目录中的事项实行清单化管理，明确每一项信息的公开主体、公开时限和更新频率，确保信息常态化更新，做到公开事项底数清、责任明。",
    "落实政府信息公开保密审查制度，将保密审查作为信息公开的必经程序，全年审查拟公开信息{posts}条，未发现违规公开情形，切实筑牢信息安全防线。",
    "加强规范性文件合法性审核，{year}年提交合法性审核的规范性文件{nd_issued}件，审核通过后依法公开，从源头上保障规范性文件的合法性。",
];

const PLATFORM: [&str; 22] = [
    "持续加强政府网站建设管理，优化栏目设置和页面布局，完善站内搜索功能，网站全年累计访问量达到{visits}人次，网站作为政府信息公开第一平台的作用进一步凸显。",
    "按照政府网站与政务新媒体检查指标要求，定期开展自查，{year}年共开展检查{checks}次，发现并整改问题{fixed}个，对整改情况逐项复核，确保问题整改到位、不再反弹。",
    "规范政务新媒体管理，严格落实信息发布审核制度，对长期不更新、功能重复的账号进行清理整合，提升政务新媒体运维水平，目前各账号运行总体平稳，信息发布安全可控。",
    "进一步完善政府信息公开专栏，按照统一标准设置机构信息、法定主动公开内容、政府信息公开年报等栏目，方便群众集中查阅，栏目内容与上级平台保持同步更新。",
    "推进网站适老化和无障碍改造，提供字体放大、语音朗读等辅助功能，方便老年人和残障人士获取政府信息，切实提升特殊群体获取政府信息的便利程度。",
    "用好政务服务大厅、档案馆、图书馆等公开查阅场所，配备查阅设备和专门人员，为群众提供政府信息查阅服务，让群众在线下也能便捷获取所需信息。",
    "加强政务新媒体内容建设，发布群众喜闻乐见的图解、短视频等内容，全年通过政务新媒体发布信息{wechat}条，政务新媒体的关注度和影响力稳步扩大。",
    "完善网站互动交流功能，对网民留言实行分类办理、限时答复，{year}年办理网民留言{hotline}件，答复率保持在较高水平，群众反映的问题基本做到事事有回音。",
    "积极推进政务公开专区建设，在政务服务场所设置政府信息查阅点，提供政策文件纸质文本和电子查询设备，为不便上网的群众获取政府信息提供了便利。",
    "加强网站信息内容保障，建立栏目责任清单，明确各栏目更新频率和责任人员，杜绝“空白栏目”和“僵尸栏目”，网站内容保障长效机制逐步建立。",
    "做好政府网站集约化平台迁移工作，统一信息资源库，实现信息发布、数据管理和运维保障的集约化管理，网站运行的稳定性和安全性得到有效保障。",
    "发挥政务热线作用，将政务公开与热线服务结合起来，对热线反映集中的政策问题及时组织解读回应，全年受理咨询{hotline}件，推动政策解读由“被动应答”向“主动服务”转变。",
    "在网站开设政策问答库，汇集群众关注度较高的政策问题及答复，累计收录问答{catalog}条，并根据政策调整情况及时补充更新，方便群众自助查询。",
    "对网站进行安全防护升级，部署网页防篡改和日常巡检机制，确保网站安全稳定运行，全年未发生安全事件，为网站长期稳定运行提供了坚实保障。",
    "优化网站移动端展示效果，实现主要栏目手机端同步浏览，方便群众随时随地查阅政府信息，满足了群众通过移动终端获取信息的需求。",
    "依托基层政务公开栏和村务公开栏，将重要政策和民生信息延伸到村组社区，打通政府信息公开“最后一公里”，让基层群众在家门口就能了解政策。",
    "探索开展政策解读直播和线上访谈，{year}年组织线上访谈{pressconf}期，围绕群众关心的问题开展互动交流，增强了政策解读的互动性和传播力。",
    "加强网站内容错别字、死链接和过期信息的日常检查，借助技术手段开展常态化监测，网站信息质量明显提升，对发现的问题实行台账管理、限时整改。",
    "推动网站与政务服务平台数据互通，办事指南、表单下载和政策文件相互关联，提升网上办事便利度，群众办事查询更加便捷高效。",
    "规范网站信息公开栏目分类，对公开内容按主题、机构、体裁等维度进行标注，提高信息检索的精准度，方便群众快速找到所需信息。",
    "积极运用政务新媒体矩阵，联动发布重要信息，形成网站、新媒体、公开栏等多渠道协同发布格局，政府信息的覆盖面和到达率进一步提高。",
    "在{year}年，{we}完成网站栏目优化调整，新增专题栏目{meetings}个，进一步丰富了网站公开内容，更好满足了群众多样化的信息需求。",
];

const SUPERVISION: [&str; 22] = [
    "调整充实政务公开工作领导小组，由主要负责同志担任组长，明确分管领导和具体承办人员，形成上下联动的工作机制，为政务公开工作顺利开展提供了坚强的组织保障。",
    "将政务公开工作纳入年度绩效考核，细化考核指标和评分标准，以考核促落实，推动政务公开工作常态化开展，考核结果作为科室年度评优的重要依据。",
    "组织开展政务公开业务培训{trainings}次，参训人员{trainees}人次，重点学习政府信息公开条例和依申请公开办理实务，培训后组织开展业务测试，检验培训效果。",
    "主动接受社会监督，在网站公布政务公开监督电话和电子邮箱，对群众反映的问题及时核实处理，做到件件有登记、事事有回复。",
    "开展政务公开社会评议活动，邀请人大代表、政协委员和群众代表对政务公开工作进行评议，认真研究吸纳意见建议，评议结果作为改进工作的重要参考。",
    "{year}年，{we}组织开展政务公开专项检查{checks}次，对检查中发现的问题建立整改台账，逐项整改到位，并对整改情况开展“回头看”。",
    "建立政务公开工作责任追究制度，对不依法履行公开义务的依法依规处理，{year}年未发生因政务公开工作被问责的情况，进一步增强了工作人员依法公开的责任意识。",
    "认真落实上级主管部门的工作部署，及时报送政务公开工作进展情况，对上级通报的问题第一时间整改落实，确保上级各项部署要求落地见效。",
    "把政务公开纳入干部教育培训内容，提升机关干部的公开意识和依法公开能力，营造人人重视公开的良好氛围，推动形成“以公开为常态”的机关工作氛围。",
    "加强政务公开工作人员队伍建设，各科室明确一名信息员，负责本科室信息收集、报送和初审工作，信息员队伍保持相对稳定，业务衔接顺畅。",
    "定期对政务公开工作进行总结分析，研究解决工作推进中的难点问题，确保各项工作任务落到实处，不断提高政务公开工作的针对性和实效性。",
    "设立政务公开意见箱，开展群众满意度调查，{year}年收集意见建议{fixed}条，均已分类处理并予以反馈，群众对政务公开工作的满意度稳步提升。",
    "建立政务公开工作联络员例会制度，每季度召开例会，通报工作情况、交流经验做法、部署重点任务，推动各项任务按计划有序推进。",
    "强化政务公开经费保障，将网站运维、政务新媒体运营等所需经费纳入年度预算，保障工作正常开展，确保各项政务公开工作任务有人员、有经费、有保障。",
    "邀请专家学者对政务公开工作进行专题辅导，就依申请公开答复中的典型问题进行案例分析，提高了工作人员的业务能力，进一步提升了依法规范答复的水平。",
    "对照政务公开第三方评估报告反馈的问题，逐条分析原因、制定措施，整改情况纳入下一年度工作要点，推动评估发现的问题真改实改。",
    "{we}主要负责同志{year}年专题研究政务公开工作{meetings}次，对重点任务进行部署推动，确保工作有序开展，及时研究解决工作推进中遇到的困难和问题。",
    "将政务公开工作与党风廉政建设相结合，通过公开权力运行流程，压缩自由裁量空间，促进权力规范透明运行，让权力在阳光下运行。",
    "建立健全政务公开考核评估指标体系，将考核结果作为评先评优的重要参考，有效调动了各科室的工作积极性，形成比学赶超、争先创优的良好态势。",
    "定期向上级政务公开主管部门报告工作情况，接受业务指导和监督检查，{year}年完成上级交办任务{fixed}项，各项交办任务均在规定时限内完成并按要求反馈。",
    "组织新入职人员和信息员参加政务公开专题培训，讲解信息发布、保密审查和依申请公开等方面的工作要求，帮助新任工作人员尽快熟悉岗位职责和工作流程。",
    "以政务公开工作为载体推动作风转变，要求各科室对群众提出的问题件件有回音、事事有着落，切实提升了群众的获得感和满意度。",
];

const PROBLEMS: [&str; 16] = [
    "政策解读形式还不够丰富，图解、视频等多元化解读占比偏低，解读内容的通俗性和针对性有待提高，部分解读材料对群众关心的具体问题回应不够。",
    "个别科室对政务公开工作重视程度不够，信息报送不够及时，存在重业务、轻公开的现象，信息公开的主动性有待进一步增强。",
    "政务公开工作人员多为兼职，人员变动较为频繁，业务能力与新形势新要求相比还有一定差距，对新修订条例和上级文件的学习理解还不够深入。",
    "网站部分栏目更新频率偏低，个别栏目内容不够充实，信息发布的时效性有待进一步加强，影响了群众获取信息的体验。",
    "依申请公开答复的规范性还需提高，个别答复文书说理不够充分，法律依据引用不够准确，容易引发申请人的不理解。",
    "政务新媒体互动回应能力不足，对网民留言的回复还不够及时，互动交流效果有待提升，政务新媒体的影响力还不够大。",
    "主动公开的深度和广度还不够，部分重点领域信息公开不够全面，与群众期待存在一定差距，部分信息仍停留在结果公开层面，过程公开不够。",
    "基层政务公开标准化规范化建设进展不平衡，部分公开栏信息更新不及时，基层群众获取政府信息的渠道还不够便捷。",
    "政府信息公开目录的动态更新机制还不够健全，个别事项的公开内容与实际工作存在脱节，目录的指引作用发挥不够充分。",
    "对公开信息的保密审查和个人信息保护工作还需进一步细化，审查标准有待统一，个别信息在发布前的审查把关还不够细致。",
    "回应社会关切的主动性还不够强，对热点问题的研判和预警能力有待提高，回应的及时性和针对性有待加强。",
    "政务公开工作考核的精细化程度不够，考核结果运用不够充分，激励约束作用发挥不明显，部分科室仍存在应付了事的情况。",
    "公众参与政策制定的渠道还不够通畅，意见征集反馈不够及时，公众参与度不高，公开征求意见的采纳情况反馈不够充分。",
    "数据开放工作起步较晚，可供社会利用的数据资源较少，数据更新不够及时，数据的开放程度与社会需求相比还有差距。",
    "政务公开与政务服务融合程度不够深，公开专区的咨询服务功能发挥还不充分，群众到现场查阅政府信息的便利度还需提升。",
    "对上年度查找出的问题虽已整改，但长效机制建设仍有不足，部分问题存在反复，需要从制度层面加以巩固。",
];

const IMPROVEMENTS: [&str; 18] = [
    "加强政策解读工作，综合运用图表图解、音视频、在线访谈等形式开展解读，提高政策的可及性和知晓度，让群众看得懂、信得过、用得好。",
    "压实各科室公开责任，将信息报送情况纳入绩效考核，定期通报，确保信息发布及时准确，推动形成各司其职、齐抓共管的工作格局。",
    "加强业务培训，{next}年计划组织专题培训不少于{trainings}次，提高工作人员依法公开的能力和水平，培训内容突出条例解读、依申请公开办理和保密审查等重点。",
    "强化网站栏目内容保障，建立栏目更新提醒机制，对长期未更新的栏目及时督促整改，确保网站内容及时、准确、全面。",
    "规范依申请公开办理流程，完善答复文书模板，加强法制审核，切实降低行政争议风险，做到答复依据充分、说理清楚、程序合法。",
    "加强政务新媒体运营管理，建立网民留言快速回应机制，提高互动交流的时效性和实效性，切实发挥政务新媒体联系群众的桥梁作用。",
    "围绕群众关注的重点领域，进一步扩大主动公开范围，细化公开内容，提升公开质量，推动过程公开与结果公开并重。",
    "推进基层政务公开标准化规范化建设，指导基层做好公开栏更新维护，确保公开信息准确及时，打通政府信息公开服务群众的“最后一公里”。",
    "建立公开目录动态调整机制，结合职能变化和工作实际，及时调整更新公开事项，确保目录内容与实际工作保持一致。",
    "完善保密审查和个人信息保护工作制度，统一审查标准，防止因公开不当侵害个人隐私，做到依法公开与保护隐私相统一。",
    "健全舆情监测和回应机制，对社会关注的热点问题第一时间发布权威信息，及时解疑释惑，切实增强回应的主动性和权威性。",
    "优化考核评价办法，细化考核指标，强化考核结果运用，充分调动各科室的积极性，以考核促规范、以考核促提升。",
    "拓宽公众参与渠道，在重要政策制定过程中广泛听取意见，及时公开意见采纳情况，不断增强公众参与的积极性。",
    "稳步推进数据开放工作，梳理可开放数据资源清单，逐步扩大数据开放范围，更好地满足社会对公共数据的利用需求。",
    "深化政务公开与政务服务融合，完善政务公开专区功能，为群众提供更加便捷的政策咨询服务，让群众在办事过程中便捷获取所需政策信息。",
    "建立问题整改长效机制，对整改事项实行销号管理，防止问题反弹回潮，确保问题整改到位、成效持续巩固。",
    "加强与上级主管部门的沟通对接，学习借鉴先进地区经验做法，推动政务公开工作创新发展，不断提升政务公开工作的整体水平。",
    "{next}年，{we}将以提升群众获得感为目标，持续深化政务公开，推动各项工作再上新台阶。",
];

const FEE_PAID: [&str; 4] = [
    "{year}年，{we}依据《政府信息公开信息处理费管理办法》收取信息处理费{fee_yuan}元。",
    "本年度共收取信息处理费{fee_yuan}元，收费标准和收费依据均已在网站公开。",
    "按照国务院办公厅关于信息处理费的有关规定，{year}年度{we}共收取信息处理费{fee_yuan}元，全部按规定上缴国库。",
    "{year}年度，{we}对超出合理数量的申请依法收取信息处理费，合计{fee_yuan}元。",
];

const FEE_NONE: [&str; 4] = [
    "{year}年，{we}未收取信息处理费，收取信息处理费金额为0元。",
    "本年度{we}没有收取信息处理费，信息处理费收取金额为0元。",
    "依据《政府信息公开信息处理费管理办法》，{year}年度{we}收取信息处理费0元。",
    "{year}年度未发生收取信息处理费的情况，共计收取信息处理费0元。",
];

const OTHER: [&str; 12] = [
    "{year}年，{we}共办理人大代表建议和政协委员提案{suggestions}件，办理结果已按规定予以公开。",
    "本年度{we}认真落实国务院办公厅政府信息与政务公开办公室印发的年度政务公开工作要点，各项任务均已按要求完成。",
    "{year}年，{we}按照规定时限编制并发布了上一年度政府信息公开工作年度报告。",
    "本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止，电子版可在{agency}门户网站下载。",
    "如对本报告有任何疑问，请与{agency}政务公开工作机构联系，联系方式已在网站公开。",
    "在政务公开创新方面，{we}围绕重点领域探索开展“政务公开+”活动，推动公开工作更好地服务群众。",
    "{year}年度，{we}落实上年度政务公开工作考核评估反馈意见，对相关问题已整改完毕。",
    "本年度{we}政务公开工作未受到上级通报批评，亦未发生因政务公开工作引发的负面舆情。",
    "{year}年，{we}在网站专栏公开了本年度政务公开工作要点及其落实情况。",
    "按照上级部署，{we}组织开展了政府信息公开条例宣传活动，发放宣传资料{trainees}份，增强群众依法获取政府信息的意识。",
    "本年度{we}未发生因政府信息公开工作引发的重大行政争议事件。",
    "{we}将以本报告发布为契机，认真听取社会各界意见建议，持续改进政务公开工作。",
];

const NOTE_PROACTIVE: [&str; 6] = [
    "表中行政许可、行政处罚、行政强制数量为{year}年度作出的处理决定数量。",
    "行政事业性收费金额以万元为单位统计，数据来源于{we}财务部门的年度收费台账。",
    "{year}年主动公开政府信息情况详见上表。",
    "上表统计了{we}{year}年度规章、行政规范性文件制发情况及行政许可、行政处罚、行政强制和行政事业性收费相关数据。",
    "{year}年行政事业性收费金额{fees}万元，行政许可处理决定{licensing}件。",
    "表中行政规范性文件现行有效件数为截至{year}年12月31日的数据。",
];

const NOTE_REQUESTS: [&str; 6] = [
    "申请人情况按照申请人提交申请时的身份类别统计，同一申请人多次申请的分别计数。",
    "表中“二、上年结转政府信息公开申请数量”为{year}年以前收到、跨年度办理的申请。",
    "{year}年度收到和处理政府信息公开申请情况详见上表。",
    "本年度新收申请{new}件，结转下年度继续办理{fwd}件。",
    "表中数据统计口径为{year}年1月1日至12月31日收到和办理的政府信息公开申请。",
    "上表中“三、本年度办理结果”按照答复时作出的处理决定分类统计。",
];

const NOTE_APPEALS: [&str; 6] = [
    "行政复议和行政诉讼数据由{we}法制工作机构负责统计，统计口径与上年度保持一致。",
    "表中行政诉讼分为未经复议直接起诉和复议后起诉两类分别统计。",
    "{year}年度政府信息公开行政复议、行政诉讼情况详见上表。",
    "本年度因政府信息公开被申请行政复议{review}件，被提起行政诉讼{litigation}件。",
    "上表中“尚未审结”指截至{year}年12月31日尚未作出复议决定或判决的案件。",
    "表中数据包括以{agency}为被申请人或被告的政府信息公开类案件。",
];

const FIGURES_PROACTIVE: [&str; 3] = [
    "{year}年，{we}制发行政规范性文件{nd_issued}件、废止{nd_repealed}件，截至年底现行有效{nd_in_force}件；全年作出行政许可处理决定{licensing}件，行政处罚决定{penalty}件，行政强制决定{coercion}件，行政事业性收费金额{fees}万元。",
    "从表中数据看，本年度行政规范性文件新制发{nd_issued}件，现行有效{nd_in_force}件，行政许可、行政处罚和行政强制处理决定分别为{licensing}件、{penalty}件和{coercion}件，收取行政事业性收费{fees}万元。",
    "按照第二十条的分项统计，{we}本年行政许可处理决定数量为{licensing}件，行政处罚{penalty}件，行政强制{coercion}件；行政规范性文件本年制发{nd_issued}件、本年废止{nd_repealed}件、现行有效{nd_in_force}件。",
];

const FIGURES_REQUESTS: [&str; 3] = [
    "从申请人类型看，自然人提出申请{natural}件，法人或其他组织提出申请{orgs}件。从办理结果看，予以公开{granted}件，部分公开{partial}件，不予公开{denied}件，无法提供{unavailable}件，不予处理{not_processed}件，其他处理{other_done}件。",
    "本年度{we}新收申请{new}件，其中自然人申请{natural}件、法人或其他组织申请{orgs}件；办结的申请中，予以公开和部分公开共{disclosed}件，无法提供{unavailable}件，不予公开{denied}件，不予处理及其他处理{rest}件，结转下年度{fwd}件。",
    "{year}年全年办结政府信息公开申请{done}件，其中予以公开{granted}件、部分公开{partial}件、不予公开{denied}件、无法提供{unavailable}件、不予处理{not_processed}件、其他处理{other_done}件，另有{fwd}件结转至{next}年继续办理。",
];

const FIGURES_REQUESTS_NONE: [&str; 3] = [
    "{year}年，{we}新收政府信息公开申请0件，上年结转申请0件，表中各项办理结果均为0。",
    "本年度{we}未收到政府信息公开申请，也没有需要结转至{next}年继续办理的申请。",
    "由于{year}年度没有收到政府信息公开申请，表三各栏数据均填报为0。",
];

const FIGURES_APPEALS: [&str; 3] = [
    "{year}年，{we}因政府信息公开被申请行政复议{review}件，其中结果维持{review_kept}件、结果纠正{review_fixed}件；被提起行政诉讼{litigation}件，其中未经复议直接起诉{lit_direct}件，复议后起诉{lit_after}件。",
    "本年度共发生政府信息公开类行政复议案件{review}件、行政诉讼案件{litigation}件，截至年底尚未审结的案件{pending}件。",
    "从复议和诉讼结果看，行政复议结果维持{review_kept}件、纠正{review_fixed}件，行政诉讼共{litigation}件，{we}均依法履行答复、举证和出庭应诉义务。",
];

const FIGURES_APPEALS_NONE: [&str; 3] = [
    "{year}年，{we}未发生因政府信息公开引起的行政复议和行政诉讼案件。",
    "本年度没有公民、法人或其他组织就{we}的政府信息公开行为申请行政复议或提起行政诉讼。",
    "{year}年度政府信息公开行政复议、行政诉讼案件数量均为0件。",
];
