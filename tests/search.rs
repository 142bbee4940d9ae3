//! Tests of the site search: the index `gongkai::search::index_files` writes
//! under `search/`, queried by the page's own script
//! (`themes/default/static/search.js`) run with node, which reads the index
//! files from disk instead of fetching them.
//!
//! - `tests/fixtures/search-site/`: four reports of three agencies
//!   (测试县民政局 2022 and 2023, 测试县教育局 2023, 测试县林业局 2023) and a
//!   page (`guide.md`, 阅读指南). 殡葬 occurs only in 民政局 2023's narrative;
//!   低保 only in 民政局 2022's; 林业 in 林业局's name and in 教育局's
//!   narrative. 行政复议 is in every report's section title 四 (boilerplate,
//!   not indexed), discussed in 民政局 2023's narrative (three times) and
//!   named once in 林业局's and 民政局 2022's. 教育局 2023 has its own title.
//! - The size test writes 2,000 reports whose narratives are sentences drawn
//!   from the demo site's reports (`content/reports/`), with random numbers
//!   and place names, into a temporary folder.
//!
//! The site is built with `gongkai::build::build` (for the pages the script
//! takes snippets from) and the index is written by calling `index_files`
//! directly, so these tests do not depend on the build writing it. Tests
//! that need node fail when it is not installed (CI installs it), unless
//! `GONGKAI_SKIP_NODE=1` says to skip them, which each says on stderr.
//!
//! `measure_site` (ignored) reports the index size and build time (wall
//! and CPU, fastest of `GONGKAI_SEARCH_RUNS` runs, 3 by default) for any
//! site: `GONGKAI_SEARCH_SITE=/tmp/site cargo test --release --test search
//! -- --ignored --nocapture` (after `cargo run --release --example gensite
//! -- --out /tmp/site --reports 10000`).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use gongkai::build::{build, BuildOptions};
use gongkai::portal::Portal;
use gongkai::render::Rendered;
use gongkai::search;
use gongkai::site::{today, Site};
use serde_json::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search-site")
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js")
}

/// The index files of the site at `root`.
fn index_of(root: &Path) -> Vec<Rendered> {
    let site = Site::load(root, today()).expect("the site loads");
    let portal = Portal::plan(&site, false);
    search::index_files(&portal)
}

fn write_files(out: &Path, files: &[Rendered]) {
    for f in files {
        let path = out.join(&f.path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        std::fs::write(&path, &f.bytes).expect("written");
    }
}

/// A built fixture site with its search index, in a temporary folder.
struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
}

fn build_fixture() -> Built {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("public");
    let opts = BuildOptions {
        output: Some(out.clone()),
        ..Default::default()
    };
    let outcome = build(&fixture(), &opts, false, &|_, _| {}).expect("the build runs");
    assert!(
        outcome.summary.is_some(),
        "the fixture has errors:\n{}",
        outcome.site.render_diagnostics(false)
    );
    write_files(&out, &index_of(&fixture()));
    Built { _dir: dir, out }
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip").len()
}

// ---------------------------------------------------------------------------
// The index itself

fn meta(files: &[Rendered]) -> Value {
    let m = files
        .iter()
        .find(|f| f.path == "search/meta.json")
        .expect("search/meta.json");
    serde_json::from_slice(&m.bytes).expect("meta.json is JSON")
}

#[test]
fn index_layout_is_deterministic() {
    let files = index_of(&fixture());
    let again = index_of(&fixture());
    assert_eq!(
        files.iter().map(|f| (&f.path, &f.bytes)).collect::<Vec<_>>(),
        again.iter().map(|f| (&f.path, &f.bytes)).collect::<Vec<_>>(),
        "two builds give the same index"
    );
    let m = meta(&files);
    assert_eq!(m["version"], search::FORMAT);
    assert_eq!(m["docs"], 5, "four reports and a page");
    assert_eq!(m["report_url"], "reports/{slug}/{year}/");
    assert_eq!(m["report_title"], "{agency}{year}年政府信息公开工作年度报告");
    assert_eq!(m["list"][4], serde_json::json!(["guide/", "阅读指南"]));
    // Documents in portal order: agencies by slug, then years.
    let agencies: Vec<&str> = m["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a[1].as_str().unwrap())
        .collect();
    assert_eq!(agencies, ["jiaoyu", "linye", "minzheng"]);
    assert_eq!(m["list"][2], serde_json::json!([2, 2022]));

    let terms: Vec<&str> = m["terms"].as_str().unwrap().split(' ').collect();
    assert!(terms.windows(2).all(|w| w[0] < w[1]), "terms sorted and unique");
    for t in ["殡葬", "林业", "林业局", "民政局", "2023", "阅读", "指南"] {
        assert!(terms.contains(&t), "{t} is indexed");
    }
    for t in ["12", "2024", "，"] {
        assert!(
            !terms.contains(&t),
            "{t} is not indexed (a number of the narrative, or punctuation)"
        );
    }
    // Every term has exactly one entry, in the shard the table says.
    let starts: Vec<usize> = m["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_u64().unwrap() as usize)
        .collect();
    let width = m["shard_width"].as_u64().unwrap() as usize;
    let mut entries = 0;
    for (k, start) in starts.iter().enumerate() {
        let path = format!("search/t/{}.json", search::shard_name(k, width));
        let shard = files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path}"));
        let list: Vec<String> = serde_json::from_slice(&shard.bytes).expect("a shard is a JSON array of strings");
        assert_eq!(*start, entries, "shard {k} starts where the previous one ended");
        entries += list.len();
    }
    assert_eq!(entries, terms.len());
    assert_eq!(files.len(), starts.len() + 1);
}

#[test]
fn narrative_is_indexed_without_its_numbers() {
    let t = search::terms(
        "2023年，测试县民政局深入推进殡葬改革，全年主动公开社会救助政策文件12件。",
        false,
    );
    assert!(
        t.iter().any(|w| w == "殡葬") && t.iter().any(|w| w == "民政局"),
        "{t:?}"
    );
    assert!(!t.iter().any(|w| w == "2023" || w == "12"), "{t:?}");
}

// ---------------------------------------------------------------------------
// Queries, with the page's own script

fn node_available() -> bool {
    match Command::new("node").arg("--version").output() {
        Ok(o) => o.status.success(),
        Err(_) => false,
    }
}

/// The variable that lets the tests that need node be skipped.
const SKIP_NODE: &str = "GONGKAI_SKIP_NODE";

/// Whether a test that needs node runs (`Ok(true)`), is skipped because
/// node is missing and `GONGKAI_SKIP_NODE=1` says to skip (`Ok(false)`), or
/// fails because node is missing and nothing says to skip (`Err`).
fn node_gate(available: bool, skip: Option<&str>) -> Result<bool, String> {
    match (available, skip) {
        (true, _) => Ok(true),
        (false, Some("1")) => Ok(false),
        (false, _) => Err(format!(
            "`node` is not installed, and this test needs it to run the search script: \
             install Node.js (`apt-get install -y nodejs`), or set {SKIP_NODE}=1 to skip the tests that need it"
        )),
    }
}

/// Fails when node is not installed, unless `GONGKAI_SKIP_NODE=1`: then the
/// test is skipped, and says so on stderr past the test harness's capture.
macro_rules! require_node {
    ($test:expr) => {
        let skip = std::env::var(SKIP_NODE).ok();
        match node_gate(node_available(), skip.as_deref()) {
            Ok(true) => {}
            Ok(false) => {
                let _ = std::io::stderr().write_all(
                    format!(
                        "\n*** SKIPPED {}: `node` is not installed and {SKIP_NODE}=1 (the search script is NOT tested) ***\n",
                        $test
                    )
                    .as_bytes(),
                );
                return;
            }
            Err(why) => panic!("{}: {why}", $test),
        }
    };
}

#[test]
fn tests_that_need_node_fail_without_it_unless_told_to_skip() {
    assert_eq!(node_gate(true, None), Ok(true));
    assert_eq!(node_gate(true, Some("1")), Ok(true));
    assert_eq!(node_gate(false, Some("1")), Ok(false));
    for skip in [None, Some(""), Some("0"), Some("yes")] {
        let err = node_gate(false, skip).expect_err("no node and no skip: a failure");
        assert!(
            err.contains("apt-get install -y nodejs") && err.contains(SKIP_NODE),
            "{err}"
        );
    }
}

/// Runs `code` with node; `SEARCH_JS` names the script, and `env` is added.
fn node(code: &str, env: &[(&str, String)]) -> String {
    let mut cmd = Command::new("node");
    cmd.arg("-e").arg(code).env("SEARCH_JS", script());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("node runs");
    assert!(
        out.status.success(),
        "node failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Loads the index of the site in `SITE_OUT` and runs the queries in
/// `QUERIES` (a JSON array), printing for each the terms, the missing terms,
/// the count, the result URLs and the snippet of the first result, taken
/// from its page in `SITE_OUT` as the browser would.
const QUERY_JS: &str = r#"
const S = require(process.env.SEARCH_JS);
const fs = require('fs');
const path = require('path');
const out = process.env.SITE_OUT;
const idx = new S.Index(JSON.parse(fs.readFileSync(path.join(out, 'search', 'meta.json'), 'utf8')));
const load = (file) => new Promise((resolve, reject) =>
  fs.readFile(path.join(out, 'search', file), 'utf8', (e, t) => (e ? reject(e) : resolve(JSON.parse(t)))));
const queries = JSON.parse(process.env.QUERIES);
Promise.all(queries.map((q) => idx.search(q, load).then((r) => {
  let snippet = null;
  if (r.results.length) {
    const page = path.join(out, r.results[0].url, 'index.html');
    if (fs.existsSync(page)) snippet = S.snippet(S.pageText(fs.readFileSync(page, 'utf8')), r.words, r.terms);
  }
  return { q, terms: r.terms, missing: r.missing, total: r.total, urls: r.results.map((d) => d.url),
           titles: r.results.map((d) => d.title), snippet };
}))).then((all) => console.log(JSON.stringify(all)));
"#;

fn query(built: &Built, queries: &[&str]) -> Vec<Value> {
    let stdout = node(
        QUERY_JS,
        &[
            ("SITE_OUT", built.out.display().to_string()),
            ("QUERIES", serde_json::to_string(queries).unwrap()),
        ],
    );
    match serde_json::from_str(&stdout).expect("node prints JSON") {
        Value::Array(a) => a,
        other => panic!("{other}"),
    }
}

fn urls(r: &Value) -> Vec<&str> {
    r["urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .collect()
}

#[test]
fn word_of_one_narrative_finds_that_report() {
    require_node!("word_of_one_narrative_finds_that_report");
    let built = build_fixture();
    let r = &query(&built, &["殡葬"])[0];
    assert_eq!(urls(r), ["reports/minzheng/2023/"], "{r}");
    assert_eq!(r["total"], 1);
    assert_eq!(r["titles"][0], "测试县民政局2023年政府信息公开工作年度报告");
    let snippet = r["snippet"].as_str().expect("a snippet from the report's page");
    assert!(snippet.contains("推进<mark>殡葬</mark>改革"), "{snippet}");
    assert!(
        snippet.contains("惠民<mark>殡葬</mark>政策"),
        "every hit is marked: {snippet}"
    );
    assert!(
        !snippet.replace("<mark>", "").replace("</mark>", "").contains('<'),
        "{snippet}"
    );
    // The other narrative-only word.
    let r = &query(&built, &["低保"])[0];
    assert_eq!(urls(r), ["reports/minzheng/2022/"], "{r}");
}

#[test]
fn word_found_nowhere_finds_nothing() {
    require_node!("word_found_nowhere_finds_nothing");
    let built = build_fixture();
    for r in query(&built, &["量子纠缠", "区块链", "3.1415"]) {
        assert_eq!(r["total"], 0, "{r}");
        assert!(urls(&r).is_empty(), "{r}");
    }
}

#[test]
fn title_and_agency_words_rank_first_and_and_narrows() {
    require_node!("title_and_agency_words_rank_first_and_and_narrows");
    let built = build_fixture();
    let rs = query(
        &built,
        &[
            "民政局",
            "民政局 低保",
            "民政局 2023",
            "林业",
            "测试县",
            "阅读指南",
            "测试县 殡葬",
        ],
    );
    // The agency's reports (both hold 民政局 in the agency's name and once in
    // the narrative: BM25 puts the shorter narrative first).
    assert_eq!(
        urls(&rs[0]),
        ["reports/minzheng/2022/", "reports/minzheng/2023/"],
        "{}",
        rs[0]
    );
    // AND: a second word narrows.
    assert_eq!(urls(&rs[1]), ["reports/minzheng/2022/"], "{}", rs[1]);
    assert_eq!(urls(&rs[2]), ["reports/minzheng/2023/"], "{}", rs[2]);
    // 林业 is in 林业局's name and in 教育局's narrative: the name ranks first
    // though 教育局 comes first in the index.
    assert_eq!(
        urls(&rs[3]),
        ["reports/linye/2023/", "reports/jiaoyu/2023/"],
        "{}",
        rs[3]
    );
    // Every report (测试县 in the agency's name and in the narrative; BM25
    // orders them by their narratives' lengths), then the page, whose text
    // names 测试县 too but has no meta hit.
    let mut first4 = urls(&rs[4])[..4].to_vec();
    first4.sort();
    assert_eq!(
        first4,
        [
            "reports/jiaoyu/2023/",
            "reports/linye/2023/",
            "reports/minzheng/2022/",
            "reports/minzheng/2023/",
        ],
        "{}",
        rs[4]
    );
    assert_eq!(urls(&rs[4])[4], "guide/", "{}", rs[4]);
    assert_eq!(rs[4]["total"], 5);
    // An ordinary page, by its title.
    assert_eq!(urls(&rs[5]), ["guide/"], "{}", rs[5]);
    assert_eq!(urls(&rs[6]), ["reports/minzheng/2023/"], "{}", rs[6]);
}

#[test]
fn the_report_that_discusses_a_word_ranks_first() {
    require_node!("the_report_that_discusses_a_word_ranks_first");
    let built = build_fixture();
    let rs = query(&built, &["行政复议"]);
    let r = &rs[0];
    // 民政局 2023 discusses it (three times); 林业局 2023 and 民政局 2022
    // name it once (行政复议和行政诉讼情况详见上表); 教育局 only has it in
    // the section title every report carries, so it is not found.
    assert_eq!(urls(r)[0], "reports/minzheng/2023/", "{r}");
    assert_eq!(r["total"], 3, "{r}");
    assert!(!urls(r).contains(&"reports/jiaoyu/2023/"), "{r}");
}

#[test]
fn boilerplate_alone_matches_no_report() {
    require_node!("boilerplate_alone_matches_no_report");
    let built = build_fixture();
    // Section titles, and a label of table 四 that only one narrative uses.
    let rs = query(
        &built,
        &["总体情况", "其他需要报告的事项", "存在的主要问题", "结果维持"],
    );
    for r in &rs[..3] {
        assert_eq!(r["total"], 0, "{r}");
    }
    assert_eq!(urls(&rs[3]), ["reports/minzheng/2023/"], "{}", rs[3]);
    // The same through the index: the section titles' words are not terms.
    let m = meta(&index_of(&fixture()));
    let terms: Vec<&str> = m["terms"].as_str().unwrap().split(' ').collect();
    for t in ["总体", "总体情况", "改进"] {
        assert!(!terms.contains(&t), "{t} comes only from section titles");
    }
}

#[test]
fn snippets_mark_whole_query_words() {
    require_node!("snippets_mark_whole_query_words");
    let built = build_fixture();
    for (q, word) in [
        ("行政复议", "行政复议"),
        ("测试县民政局", "测试县民政局"),
        ("殡葬改革", "殡葬改革"),
    ] {
        let r = &query(&built, &[q])[0];
        let snippet = r["snippet"]
            .as_str()
            .unwrap_or_else(|| panic!("a snippet for {q}: {r}"));
        let marks: Vec<&str> = snippet
            .split("<mark>")
            .skip(1)
            .map(|m| m.split("</mark>").next().unwrap())
            .collect();
        assert!(!marks.is_empty(), "{q}: {snippet}");
        assert!(
            marks.iter().all(|m| *m == word),
            "{q}: only the whole word is marked: {snippet}"
        );
    }
}

#[test]
fn agency_names_and_years_still_find_their_reports() {
    require_node!("agency_names_and_years_still_find_their_reports");
    let built = build_fixture();
    let rs = query(&built, &["2022", "测试县林业局", "林业局", "教育局 2023"]);
    // A year: that year's reports (numbers of the narrative are not indexed).
    assert_eq!(urls(&rs[0]), ["reports/minzheng/2022/"], "{}", rs[0]);
    // An agency's name: its reports, before those that only mention it.
    assert_eq!(urls(&rs[1])[0], "reports/linye/2023/", "{}", rs[1]);
    assert_eq!(urls(&rs[2])[0], "reports/linye/2023/", "{}", rs[2]);
    assert_eq!(urls(&rs[3]), ["reports/jiaoyu/2023/"], "{}", rs[3]);
}

/// The meta postings (documents whose meta field holds it) of `term`.
fn meta_docs(files: &[Rendered], term: &str) -> Vec<u32> {
    let m = meta(files);
    let terms: Vec<&str> = m["terms"].as_str().unwrap().split(' ').collect();
    let id = terms
        .iter()
        .position(|t| *t == term)
        .unwrap_or_else(|| panic!("{term} is a term"));
    let starts: Vec<usize> = m["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_u64().unwrap() as usize)
        .collect();
    let k = starts.iter().rposition(|&s| s <= id).unwrap();
    let path = format!(
        "search/t/{}.json",
        search::shard_name(k, m["shard_width"].as_u64().unwrap() as usize)
    );
    let shard = files.iter().find(|f| f.path == path).unwrap();
    let list: Vec<String> = serde_json::from_slice(&shard.bytes).unwrap();
    let entry = &list[id - starts[k]];
    let n = m["docs"].as_u64().unwrap() as u32;
    match entry.split_once('|') {
        Some((_, meta)) => search::decode_postings(meta, n).into_iter().map(|(d, _)| d).collect(),
        None => Vec::new(),
    }
}

#[test]
fn a_reports_own_title_is_indexed_without_the_default_titles_words() {
    // 教育局 2023 (document 0) has its own title, 测试县教育局2023年度政府信息
    // 公开工作报告（义务教育专刊）: its own words are in the meta field, the
    // words every report's title has are not (they would rank it above the
    // reports with the default title, which are not indexed under them).
    let files = index_of(&fixture());
    assert_eq!(meta_docs(&files, "专刊"), [0]);
    assert_eq!(meta_docs(&files, "义务教育"), [0]);
    for t in ["报告", "政府", "公开", "工作"] {
        assert!(!meta_docs(&files, t).contains(&0), "{t}");
    }
    // The agency and the year stay in the meta field of every report.
    assert_eq!(meta_docs(&files, "2023"), [0, 1, 3]);
    assert_eq!(meta_docs(&files, "民政局"), [2, 3]);
}

/// The script's pure functions on their own.
const UNIT_JS: &str = r#"
const assert = require('assert');
const S = require(process.env.SEARCH_JS);
const vocab = new Set(['江宁', '宁镇', '镇', '江', '宁', '人民政府', '政府', '人民', '林业', '林业局', '局长', 'abc', '2023', '本年', '本', '年', '制', '发', 't恤']);
const has = (t) => vocab.has(t);
const seg = (q) => S.segment(q, has, 4);
// Forward and backward maximum matching; both readings kept when they differ.
assert.deepStrictEqual(S.forward(Array.from('江宁镇人民政府'), has, 4), ['江宁', '镇', '人民政府']);
assert.deepStrictEqual(S.backward(Array.from('江宁镇人民政府'), has, 4), ['江', '宁镇', '人民政府']);
assert.deepStrictEqual(seg('江宁镇').runs[0].readings.length, 3);
// Words are runs of letters and digits; ASCII folded and never split.
assert.deepStrictEqual(seg('ＡＢＣ，林业局长 2023年').terms, ['abc', '林业', '局长', '2023', '年']);
assert.deepStrictEqual(seg('T恤').terms, ['t恤']);
assert.deepStrictEqual(seg('abc2023').terms, ['abc2023']);
assert.deepStrictEqual(seg('  ，。 ').terms, []);
// A run with single characters is also read character by character.
assert.deepStrictEqual(seg('本年制发').runs[0].readings, [['本年', '制', '发'], ['本', '年', '制', '发']]);
// Postings: gaps in base 26, letters (upper case: more digits follow), each
// followed by its count's level when above 1 (2: 2-3 times, 3: 4 or more);
// after `!`, the documents without the term.
assert.deepStrictEqual(S.decodePostings('abbBmDAf', 10000), { ids: [0, 1, 2, 40, 40 + 26 * 26 * 3 + 5], tfs: [1, 1, 1, 1, 1] });
assert.deepStrictEqual(S.decodePostings('ab3bBmDAf2', 10000), { ids: [0, 1, 2, 40, 2073], tfs: [1, 5, 1, 1, 2.5] });
assert.deepStrictEqual(S.decodePostings('', 3), { ids: [], tfs: [] });
assert.deepStrictEqual(S.decodePostings('!d', 10).ids, [0, 1, 2, 4, 5, 6, 7, 8, 9]);
assert.deepStrictEqual(S.decodePostings('!', 3), { ids: [0, 1, 2], tfs: [1, 1, 1] });
assert.deepStrictEqual(S.decodeEntry('3:a2c|cd', 10), { df: 3, body: { ids: [0, 2], tfs: [2.5, 1] }, meta: { ids: [2, 5], tfs: [1, 1] }, partial: false });
assert.deepStrictEqual(S.decodeEntry('1:|a', 10).body, { ids: [], tfs: [] });
assert.deepStrictEqual(S.decodeNumbers('aBbz'), [0, 27, 25]);
assert.deepStrictEqual(S.intersect([[1, 3, 5, 7], [3, 4, 5], [0, 3, 5, 9]]), [3, 5]);
assert.deepStrictEqual(S.union([[1, 5], [3, 5]]), [1, 3, 5]);
// BM25: more hits score more, with diminishing returns; a longer body less;
// a rarer term more; a hit in the meta field more than any body hits.
const sc = (tb, tm, len, df) => S.termScore(tb, tm, len, 100, df, 1000);
assert.ok(sc(2, 0, 100, 10) > sc(1, 0, 100, 10));
assert.ok(sc(2, 0, 100, 10) - sc(1, 0, 100, 10) < sc(1, 0, 100, 10));
assert.ok(sc(1, 0, 50, 10) > sc(1, 0, 200, 10));
assert.ok(sc(1, 0, 100, 5) > sc(1, 0, 100, 50));
assert.ok(sc(0, 1, 100, 10) > sc(99, 0, 10, 10));
assert.ok(S.idf(1000, 1000) > 0);
// Ranked by score, then newer years, then index order.
assert.deepStrictEqual(S.rank([1, 2, 3], (d) => [0, 1, 1, 2][d], (d) => [0, 2020, 2023, 2021][d]), [3, 2, 1]);
// Snippets: hits marked, everything else escaped, cut around the first hit.
assert.strictEqual(S.snippet('a<b>&殡葬"x', ['殡葬'], ['殡葬']), 'a&lt;b&gt;&amp;<mark>殡葬</mark>&quot;x');
assert.strictEqual(S.snippet('ABC公司', ['abc'], ['abc']), '<mark>ABC</mark>公司');
const long = '甲'.repeat(200) + '殡葬' + '乙'.repeat(200);
const s = S.snippet(long, ['殡葬'], ['殡葬'], 40);
assert.ok(s.startsWith('…') && s.endsWith('…') && s.includes('<mark>殡葬</mark>'), s);
assert.strictEqual(s.replace(/<\/?mark>/g, '').length, 42);
assert.strictEqual(S.snippet('没有命中', ['殡葬'], ['殡葬']), '没有命中');
// Whole words: the query word as typed is one mark, and a single character
// of it (a term of a reading by characters) is never marked on its own.
assert.strictEqual(
  S.snippet('全县推进行政复议工作，行政机关和复议机关', ['行政复议'], ['行政复议', '行政', '复议', '县', '行']),
  '全县推进<mark>行政复议</mark>工作，行政机关和复议机关'
);
// A word whose terms stand apart in the text: its terms of two characters
// or more are marked, its single characters not.
assert.strictEqual(
  S.snippet('江宁的镇上', ['江宁镇'], ['江宁', '镇', '江', '宁']),
  '<mark>江宁</mark>的镇上'
);
assert.strictEqual(S.snippet('县里', ['县'], ['县']), '<mark>县</mark>里');
// Page text: the article without header, navigation, tables; entities decoded.
const html = '<html><body><header>站名</header><main><nav>首页</nav><article><header><h1>标题</h1></header>' +
  '<p>正文&amp;<b>加粗</b></p><p class="scroll-hint" aria-hidden="true">表格较宽</p>' +
  '<table><tr><td>123</td></tr></table><p>末&#x5C3E;</p></article></main></body></html>';
assert.strictEqual(S.pageText(html), '正文&加粗 末尾');
// Common terms (src/search.rs `encode_body`): every document without
// counts, `~`, the counts of the documents where the term weighs most;
// or, for a term in most documents, `*` and those documents only.
assert.deepStrictEqual(S.decodeEntry('3:!b~c3', 4), { df: 3, body: { ids: [0, 2, 3], tfs: [1, 5, 1] }, meta: { ids: [], tfs: [] }, partial: false });
assert.deepStrictEqual(S.decodeEntry('4:*c3|a', 4), { df: 4, body: { ids: [2], tfs: [5] }, meta: { ids: [0], tfs: [1] }, partial: true });
assert.deepStrictEqual(S.decodeEntry('2:bb', 4).partial, false);
// A term with a partial list narrows nothing and ranks what it lists; a
// query of such terms only finds what they list.
const idx = new S.Index({
  version: 3, docs: 4, lengths: 'kkkk', avg_len: 10, terms: '公开 复议 纠正 主动', shards: [0], shard_width: 2,
  report_url: 'reports/{slug}/{year}/', report_title: '{agency}{year}年报告', agencies: [['甲局', 'jia']],
  list: [[0, 2020], [0, 2021], [0, 2022], [0, 2023]]
});
const shard = ['4:*c3', '2:bb', '2:cb', '3:!b~c3'];
const ask = (q) => idx.search(q, () => Promise.resolve(shard));
Promise.all([ask('复议 公开'), ask('公开'), ask('复议 纠正'), ask('主动 复议'), ask('公开 主动'), ask('复议公开')]).then((rs) => {
  assert.deepStrictEqual([rs[0].ids, rs[0].common, rs[0].approx], [[2, 1], ['公开'], false]);
  assert.deepStrictEqual([rs[1].ids, rs[1].total, rs[1].approx], [[2], 1, true]);
  assert.deepStrictEqual([rs[2].ids, rs[2].common], [[2], []]);
  // `~`: every document holding it narrows, the counts rank.
  assert.deepStrictEqual(rs[3].ids, [2]);
  assert.deepStrictEqual([rs[4].ids, rs[4].approx], [[2, 3, 0], false]);
  // A word that narrows through another of its terms is not said to be common.
  assert.deepStrictEqual([rs[5].ids, rs[5].common], [[2, 1], []]);
  console.log('ok');
});
"#;

#[test]
fn script_functions() {
    require_node!("script_functions");
    assert_eq!(node(UNIT_JS, &[]).trim(), "ok");
}

// ---------------------------------------------------------------------------
// The page

#[test]
fn search_page_template() {
    use scraper::{Html, Selector};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let theme = gongkai::render::Theme::load(root, "default").expect("the default theme loads");
    let mut ctx = tera::Context::new();
    ctx.insert("site_title", "搜索测试门户");
    ctx.insert("language", "zh-CN");
    ctx.insert("root", "../");
    ctx.insert("url", "search/");
    ctx.insert("canonical", "/search/");
    ctx.insert("title", "搜索");
    ctx.insert("search_enabled", &true);
    ctx.insert(
        "years",
        &serde_json::json!([{"year": 2023, "url": "years/2023/", "count": 3}]),
    );
    ctx.insert("nav", &serde_json::json!([]));
    let html = String::from_utf8(theme.render("search.html", &ctx).expect("search.html renders")).expect("UTF-8");
    let doc = Html::parse_document(&html);
    let one = |sel: &str| {
        let s = Selector::parse(sel).unwrap();
        let found: Vec<_> = doc.select(&s).collect();
        assert_eq!(found.len(), 1, "one {sel} in:\n{html}");
        found[0]
    };
    let form = one("form[role=search]");
    assert_eq!(form.value().attr("method"), Some("get"));
    assert_eq!(form.value().attr("action"), None, "the form submits to the page itself");
    assert_eq!(form.value().attr("data-root"), Some("../"));
    let input = one("form[role=search] input[name=q]");
    let id = input.value().attr("id").expect("the input has an id");
    let label = one("form[role=search] label");
    assert_eq!(label.value().attr("for"), Some(id), "the input is labelled");
    assert_eq!(one("#search-results").value().attr("aria-live"), Some("polite"));
    assert_eq!(one("script[src]").value().attr("src"), Some("../search.js"));
    let noscript = one("noscript").inner_html();
    assert!(noscript.contains("JavaScript"), "{noscript}");
    assert!(noscript.contains(r#"href="../years/2023/""#), "{noscript}");
    assert!(noscript.contains(r#"href="../agencies/""#), "{noscript}");
    assert!(one("title").text().collect::<String>().starts_with("搜索"));
}

/// When the build writes the search page and index itself, they are there
/// and the index is the one `index_files` gives.
/// When the build writes the search index itself (the lead wires it in),
/// it is the one `index_files` gives, with the page and the script.
#[test]
fn build_writes_the_index_and_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let opts = BuildOptions {
        output: Some(out.clone()),
        ..Default::default()
    };
    build(&fixture(), &opts, false, &|_, _| {}).expect("the build runs");
    if !out.join("search/meta.json").exists() {
        eprintln!("note: the build does not write search/ (not wired in, or switched off): nothing to compare");
        return;
    }
    for f in index_of(&fixture()) {
        assert_eq!(std::fs::read(out.join(&f.path)).unwrap(), f.bytes, "{}", f.path);
    }
    let html = std::fs::read_to_string(out.join("search/index.html")).expect("the search page");
    assert!(html.contains(r#"data-root="../""#), "{html}");
    assert!(out.join("search.js").exists(), "the script is copied with the theme");
}

// ---------------------------------------------------------------------------
// Size

const PLACE: [char; 24] = [
    '青', '松', '云', '石', '清', '白', '金', '玉', '安', '平', '长', '永', '禾', '岭', '溪', '川', '阳', '山', '桥',
    '湾', '坪', '塘', '陵', '岗',
];
const UNITS: [&str; 8] = [
    "县教育局",
    "县民政局",
    "县财政局",
    "县林业局",
    "镇人民政府",
    "县人民政府",
    "市卫生健康委员会",
    "区市场监督管理局",
];
const HEADINGS: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

/// The sentences of the demo site's report narratives.
fn sentence_pool() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/reports");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let body = text.split_once("\n---\n").map_or("", |(_, b)| b);
        for line in body.lines().filter(|l| !l.starts_with('#') && !l.starts_with('|')) {
            out.extend(
                line.split_inclusive('。')
                    .map(|s| s.trim().to_string())
                    .filter(|s| s.chars().count() >= 8),
            );
        }
    }
    assert!(out.len() > 100, "the demo site's reports give sentences: {}", out.len());
    out
}

/// Writes `n` reports (n/5 agencies, 2021-2025) into `root`.
fn write_generated_site(root: &Path, n: usize) {
    let pool = sentence_pool();
    let tables = std::fs::read_to_string(fixture().join("content/reports/jiaoyu/2023.md")).unwrap();
    let tables = &tables[tables.find("proactive:").unwrap()..tables.rfind("\n---\n").unwrap()];
    std::fs::write(root.join("site.toml"), "title = \"生成站点\"\n").unwrap();
    let mut rng = fastrand::Rng::with_seed(7);
    let place =
        |rng: &mut fastrand::Rng, len: usize| -> String { (0..len).map(|_| PLACE[rng.usize(..PLACE.len())]).collect() };
    for a in 0..n.div_ceil(5) {
        let name = format!("{}{}", place(&mut rng, 2 + a % 2), UNITS[rng.usize(..UNITS.len())]);
        let slug = format!("g{a:04}");
        let dir = root.join("content/reports").join(&slug);
        std::fs::create_dir_all(&dir).unwrap();
        for year in 2021..2021 + 5.min(n - a * 5) as i32 {
            let mut body = String::new();
            for h in HEADINGS {
                body.push_str(&format!("## {h}\n\n"));
                for _ in 0..rng.usize(4..9) {
                    let s = &pool[rng.usize(..pool.len())];
                    // Other numbers and places than the demo's.
                    let s: String = s
                        .chars()
                        .map(|c| {
                            if c.is_ascii_digit() {
                                char::from(b'0' + rng.u8(..10))
                            } else {
                                c
                            }
                        })
                        .collect();
                    body.push_str(&s.replace("忠仁镇", &format!("{}镇", place(&mut rng, 2))));
                }
                body.push_str("\n\n");
            }
            let text = format!(
                "---\nformat: gov-2021\nagency: {name}\nagency_slug: {slug}\nyear: {year}\npublished: {}-01-20\n\
                 level: department\n{tables}\n---\n\n{body}",
                year + 1
            );
            std::fs::write(dir.join(format!("{year}.md")), text).unwrap();
        }
    }
}

struct Sizes {
    files: usize,
    raw: usize,
    gzip: usize,
    meta_raw: usize,
    meta_gzip: usize,
    largest_shard_gzip: usize,
}

fn sizes(files: &[Rendered]) -> Sizes {
    let mut s = Sizes {
        files: files.len(),
        raw: 0,
        gzip: 0,
        meta_raw: 0,
        meta_gzip: 0,
        largest_shard_gzip: 0,
    };
    for f in files {
        let g = gzip_len(&f.bytes);
        s.raw += f.bytes.len();
        s.gzip += g;
        if f.path.ends_with("meta.json") {
            s.meta_raw = f.bytes.len();
            s.meta_gzip = g;
        } else {
            s.largest_shard_gzip = s.largest_shard_gzip.max(g);
        }
    }
    s
}

fn report(what: &str, s: &Sizes) {
    eprintln!(
        "{what}: {} files, {:.2} MB raw, {:.2} MB gzip (meta.json {:.0} KB raw, {:.0} KB gzip; largest shard {:.1} KB gzip)",
        s.files,
        s.raw as f64 / 1e6,
        s.gzip as f64 / 1e6,
        s.meta_raw as f64 / 1e3,
        s.meta_gzip as f64 / 1e3,
        s.largest_shard_gzip as f64 / 1e3
    );
}

#[test]
fn index_of_2000_reports_is_under_1_mb_gzipped() {
    let dir = tempfile::tempdir().unwrap();
    write_generated_site(dir.path(), 2000);
    let site = Site::load(dir.path(), today()).expect("the generated site loads");
    assert_eq!(site.reports.len(), 2000);
    let portal = Portal::plan(&site, false);
    let files = search::index_files(&portal);
    let s = sizes(&files);
    report("index of 2,000 reports", &s);
    assert!(s.gzip < 1_000_000, "{} bytes gzipped", s.gzip);
    let m = meta(&files);
    assert_eq!(m["docs"], 2000);
}

#[test]
#[ignore = "measures the site named by GONGKAI_SEARCH_SITE"]
fn measure_site() {
    let Some(root) = std::env::var_os("GONGKAI_SEARCH_SITE") else {
        eprintln!("set GONGKAI_SEARCH_SITE to a site's folder");
        return;
    };
    let site = Site::load(Path::new(&root), today()).expect("the site loads");
    let portal = Portal::plan(&site, false);
    // The first run loads jieba's dictionary.
    let t = Instant::now();
    search::index_files(&portal);
    let cold = t.elapsed().as_secs_f64();
    // The fastest of GONGKAI_SEARCH_RUNS runs (3 unless told; the machine
    // may be busy), in wall time and in CPU time (user + system, of the
    // whole process: nothing else runs meanwhile).
    let runs: usize = std::env::var("GONGKAI_SEARCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
        .max(1);
    let (mut took, mut cpu) = (f64::MAX, f64::MAX);
    let mut files = Vec::new();
    for _ in 0..runs {
        let (t, c) = (Instant::now(), cpu_seconds());
        files = search::index_files(&portal);
        took = took.min(t.elapsed().as_secs_f64());
        cpu = cpu.min(cpu_seconds() - c);
    }
    report(
        &format!(
            "index of {} reports and {} pages, built in {took:.2} s wall, {cpu:.2} s CPU (fastest of {runs}; {cold:.2} s wall with the dictionary's loading)",
            portal.reports.len(),
            portal.pages.len()
        ),
        &sizes(&files),
    );
    if let Some(out) = std::env::var_os("GONGKAI_SEARCH_OUT") {
        write_files(Path::new(&out), &files);
    }
}

/// The CPU time of this process so far (user + system, from
/// `/proc/self/stat`, in clock ticks of 1/100 s); 0 where there is no such
/// file.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces): utime is the
    // 14th field of the line, stime the 15th.
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}
