//! The URL scheme and the one list of the portal's addresses.
//!
//! The functions below give a page's path (`reports/x/2023/`, `指南/`),
//! relative to the site root, which names its output file; the data files'
//! paths (`data/…`) too. Whatever goes into markup, a feed or a sitemap as a
//! URL goes through [`href`] first: page paths come from file names, which
//! may be Chinese or hold characters reserved in URLs.
//!
//! [`PageKey`] names every file the portal generates by what it shows, and
//! [`all_pages`] lists them for a planned portal: the outputs render them,
//! F07 ([`crate::collisions`]) keeps content files off them, and `serve`
//! works out from them what a change touches.

use std::borrow::Cow;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::portal::Portal;

/// What a path segment keeps as it is: RFC 3986's unreserved characters
/// (letters, digits, `-._~`) and the `/` between segments. Everything
/// else, non-ASCII and reserved characters (`'&+#?%`, …) included, is
/// percent-encoded as UTF-8.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A page path as a URL (a valid URI reference): each segment
/// percent-encoded. `指南/` → `%E6%8C%87%E5%8D%97/`; a path of
/// unreserved characters only is returned as it is.
pub fn href(path: &str) -> Cow<'_, str> {
    utf8_percent_encode(path, SEGMENT).into()
}

/// [`href`] of an owned path (no copy when nothing needs encoding).
pub fn into_href(path: String) -> String {
    match href(&path) {
        Cow::Borrowed(_) => path,
        Cow::Owned(encoded) => encoded,
    }
}

pub fn report(slug: &str, year: i32) -> String {
    format!("reports/{slug}/{year}/")
}
pub fn year(year: i32) -> String {
    format!("years/{year}/")
}
pub fn agency(slug: &str) -> String {
    format!("agencies/{slug}/")
}
/// One agency's reports (the folder of its report pages): a short list
/// that points to the agency's page, so the folder URL is not a 403.
pub fn agency_reports(slug: &str) -> String {
    format!("reports/{slug}/")
}
pub const AGENCIES: &str = "agencies/";
/// A roster agency's roll-up for a year: its figures summed with those of
/// every agency below it (see [`crate::rollup`]).
pub fn rollup(slug: &str, year: i32) -> String {
    format!("rollup/{slug}/{year}/")
}
/// The folder index pages: every year, every report, the open data.
pub const YEARS: &str = "years/";
pub const REPORTS: &str = "reports/";
pub const DATA: &str = "data/";
pub const COMPARE: &str = "compare/";
pub const SEARCH: &str = "search/";
/// The supervisor's dashboard: every agency's report for every year, and
/// its open data (see [`crate::compliance`]).
pub const COMPLIANCE: &str = "compliance/";
pub const COMPLIANCE_CSV: &str = "data/compliance.csv";
pub const COMPLIANCE_JSON: &str = "data/compliance.json";
/// The search index's files, beside the search page: `meta.json`, and the
/// shards under `t/` (see [`crate::search`]).
pub const SEARCH_META: &str = "search/meta.json";
pub const SEARCH_SHARDS: &str = "search/t/";

/// Whether `file` is, or could be, one of the search index's files.
pub fn search_index_file(file: &str) -> bool {
    file == SEARCH_META || file.starts_with(SEARCH_SHARDS)
}

/// An ordinary page's URL from its path under `content/`
/// (`content/a/b.md` → `a/b/`; `index.md` and `_index.md` name their folder).
pub fn page(path: &str) -> String {
    let rel = path.strip_prefix("content/").unwrap_or(path);
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let stem = stem
        .strip_suffix("/_index")
        .or_else(|| stem.strip_suffix("/index"))
        .unwrap_or(stem);
    if stem == "index" || stem == "_index" {
        return String::new();
    }
    format!("{stem}/")
}

/// The relative path from a page at `url` back to the site root.
pub fn root_from(url: &str) -> String {
    let depth = url.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// The file a page at `url` is written to.
pub fn file(url: &str) -> String {
    format!("{url}index.html")
}

/// One agency's data as JSON: every published report of it, its numbers
/// keyed by the stable cell ids, the labels left to [`LABELS`]. A report's
/// own numbers are there (and in the agency's CSV row for its year).
pub fn agency_json(slug: &str) -> String {
    format!("data/agencies/{slug}.json")
}
/// The official labels of every table, row and column, once, by format.
pub const LABELS: &str = "data/labels.json";
/// The wide CSV files: one row per report of a year (and of all years,
/// `ALL_CSV`). An agency's rows are in its JSON file and in these (issue
/// 15 dropped the per-agency CSV: 2,000 files and 20 MB at 10,000 reports,
/// two thirds of it the header line, for rows `all.csv` has).
pub fn year_csv(year: i32) -> String {
    format!("data/years/{year}.csv")
}
/// A roll-up's data files: the report JSON's `tables` and the cell CSV's rows.
pub fn rollup_json(slug: &str, year: i32) -> String {
    format!("data/rollup/{slug}/{year}.json")
}
pub fn rollup_csv(slug: &str, year: i32) -> String {
    format!("data/rollup/{slug}/{year}.csv")
}
pub const ALL_CSV: &str = "data/all.csv";
pub const KEY_FIGURES: &str = "data/key-figures.json";
pub const PACKAGE: &str = "data/datapackage.json";
/// The Table Schema files, beside the package (names relative to `data/`).
pub const WIDE_SCHEMA: &str = "schema-reports.json";
pub const CELL_SCHEMA: &str = "schema-report-cells.json";

/// A page of the portal, by what it shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageKey {
    Report(String, i32),
    Year(i32),
    Agency(String),
    Agencies,
    /// The index of `reports/<slug>/`: one agency's reports.
    AgencyReports(String),
    /// The index of `years/`: every year.
    Years,
    /// The index of `reports/`: every report.
    Reports,
    /// The index of `data/`: the open data files and the data package.
    DataIndex,
    Home,
    /// An ordinary page, by its path (`content/guide.md`).
    Page(String),
    NotFound,
    Sitemap,
    Feed,
    Robots,
    /// The comparison page, /compare/.
    Compare,
    /// The search page, /search/ (its index is written by [`crate::search`]).
    Search,
    /// The compliance dashboard, /compliance/, and its data files.
    Compliance,
    ComplianceCsv,
    ComplianceJson,
    /// A roll-up page, /rollup/<slug>/<year>/ (see [`crate::rollup`]).
    Rollup(String, i32),
    /// Open data files (see [`crate::data`]).
    AgencyJson(String),
    Labels,
    YearCsv(i32),
    AllCsv,
    KeyFigures,
    DataPackage,
    WideSchema,
    CellSchema,
    /// The search index: `search/meta.json` and the shards beside it, made
    /// together (see [`crate::search`]).
    SearchIndex,
    /// A roll-up's data files.
    RollupJson(String, i32),
    RollupCsv(String, i32),
}

impl PageKey {
    /// The file this page is written to, relative to the output folder
    /// (for the search index, its first file, `meta.json`).
    pub fn file(&self) -> String {
        match self {
            PageKey::Report(slug, year) => file(&report(slug, *year)),
            PageKey::Year(y) => file(&year(*y)),
            PageKey::Agency(slug) => file(&agency(slug)),
            PageKey::Agencies => file(AGENCIES),
            PageKey::AgencyReports(slug) => file(&agency_reports(slug)),
            PageKey::Years => file(YEARS),
            PageKey::Reports => file(REPORTS),
            PageKey::DataIndex => file(DATA),
            PageKey::Home => file(""),
            PageKey::Page(path) => file(&page(path)),
            PageKey::NotFound => "404.html".to_string(),
            PageKey::Sitemap => "sitemap.xml".to_string(),
            PageKey::Feed => "atom.xml".to_string(),
            PageKey::Robots => "robots.txt".to_string(),
            PageKey::Compare => file(COMPARE),
            PageKey::Search => file(SEARCH),
            PageKey::Compliance => file(COMPLIANCE),
            PageKey::ComplianceCsv => COMPLIANCE_CSV.to_string(),
            PageKey::ComplianceJson => COMPLIANCE_JSON.to_string(),
            PageKey::AgencyJson(slug) => agency_json(slug),
            PageKey::Labels => LABELS.to_string(),
            PageKey::YearCsv(y) => year_csv(*y),
            PageKey::AllCsv => ALL_CSV.to_string(),
            PageKey::KeyFigures => KEY_FIGURES.to_string(),
            PageKey::DataPackage => PACKAGE.to_string(),
            PageKey::WideSchema => format!("data/{}", WIDE_SCHEMA),
            PageKey::CellSchema => format!("data/{}", CELL_SCHEMA),
            PageKey::SearchIndex => SEARCH_META.to_string(),
            PageKey::Rollup(slug, year) => file(&rollup(slug, *year)),
            PageKey::RollupJson(slug, year) => rollup_json(slug, *year),
            PageKey::RollupCsv(slug, year) => rollup_csv(slug, *year),
        }
    }
}

/// Every file of the portal rendered one by one: the web pages, then the
/// open data. (The search index, whose files are known once it is built,
/// is [`PageKey::SearchIndex`].)
pub fn all_pages(portal: &Portal) -> Vec<PageKey> {
    let mut keys = page_keys(portal);
    keys.extend(data_keys(portal));
    keys
}

/// The web pages: reports, years, agencies, ordinary pages, the directory,
/// the folder indexes (`years/`, `reports/`, `reports/<slug>/`, and
/// `data/` when the portal has open data), home, 404, the sitemap, the
/// feed, robots.txt, compare and search, and the roll-ups (with a roster).
pub fn page_keys(portal: &Portal) -> Vec<PageKey> {
    let mut keys: Vec<PageKey> = portal
        .reports
        .iter()
        .map(|r| PageKey::Report(r.agency_slug.clone(), r.year))
        .collect();
    keys.extend(portal.years.iter().map(|y| PageKey::Year(y.year)));
    keys.extend(portal.agencies.iter().map(|a| PageKey::Agency(a.slug.clone())));
    keys.extend(portal.pages.iter().map(|p| PageKey::Page(p.path.clone())));
    keys.extend(portal.agencies.iter().map(|a| PageKey::AgencyReports(a.slug.clone())));
    keys.extend([
        PageKey::Years,
        PageKey::Reports,
        PageKey::Agencies,
        PageKey::Home,
        PageKey::NotFound,
        PageKey::Sitemap,
        PageKey::Feed,
        PageKey::Robots,
        PageKey::Compare,
        PageKey::Compliance,
    ]);
    keys.extend(
        crate::rollup::keys(portal)
            .into_iter()
            .map(|(slug, year)| PageKey::Rollup(slug, year)),
    );
    if portal.site.config.outputs.search {
        keys.push(PageKey::Search);
    }
    if portal.site.config.outputs.data {
        keys.push(PageKey::DataIndex);
    }
    keys
}

/// The open data files (none when `[outputs] data = false`).
pub fn data_keys(portal: &Portal) -> Vec<PageKey> {
    let mut keys = Vec::new();
    if portal.site.config.outputs.data {
        keys.extend(portal.agencies.iter().map(|a| PageKey::AgencyJson(a.slug.clone())));
        keys.extend(portal.years.iter().map(|y| PageKey::YearCsv(y.year)));
        keys.extend([
            PageKey::Labels,
            PageKey::AllCsv,
            PageKey::KeyFigures,
            PageKey::DataPackage,
            PageKey::WideSchema,
            PageKey::CellSchema,
            PageKey::ComplianceCsv,
            PageKey::ComplianceJson,
        ]);
        for (slug, year) in crate::rollup::keys(portal) {
            keys.push(PageKey::RollupJson(slug.clone(), year));
            keys.push(PageKey::RollupCsv(slug, year));
        }
    }
    keys
}

/// The data files that show the reports of `slug` and years `years`, and
/// the files that show every report (for incremental rebuilds).
pub fn data_keys_for(portal: &Portal, slug: &str, years: &[i32]) -> Vec<PageKey> {
    if !portal.site.config.outputs.data {
        return Vec::new();
    }
    let mut keys = vec![
        PageKey::AgencyJson(slug.to_string()),
        PageKey::AllCsv,
        PageKey::KeyFigures,
        PageKey::DataPackage,
        PageKey::WideSchema,
    ];
    keys.extend(years.iter().map(|&y| PageKey::YearCsv(y)));
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_are_percent_encoded_paths() {
        assert_eq!(href("指南/"), "%E6%8C%87%E5%8D%97/");
        assert_eq!(href("a/q'a&b+c d#e?f%g/"), "a/q%27a%26b%2Bc%20d%23e%3Ff%25g/");
        assert_eq!(href("reports/x-1/2023/"), "reports/x-1/2023/");
        assert!(matches!(href("a_b.c~d/"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(into_href("指南/".to_string()), "%E6%8C%87%E5%8D%97/");
    }

    #[test]
    fn page_urls_and_roots() {
        assert_eq!(page("content/guide.md"), "guide/");
        assert_eq!(page("content/a/b.md"), "a/b/");
        assert_eq!(page("content/a/index.md"), "a/");
        assert_eq!(root_from("reports/x/2023/"), "../../../");
        assert_eq!(root_from(""), "./");
        assert_eq!(file("guide/"), "guide/index.html");
    }

    #[test]
    fn folder_indexes_have_pages() {
        assert_eq!(PageKey::Years.file(), "years/index.html");
        assert_eq!(PageKey::Reports.file(), "reports/index.html");
        assert_eq!(PageKey::AgencyReports("x".into()).file(), "reports/x/index.html");
        assert_eq!(PageKey::DataIndex.file(), "data/index.html");
        assert_eq!(PageKey::Compliance.file(), "compliance/index.html");
        assert_eq!(PageKey::ComplianceCsv.file(), "data/compliance.csv");
        assert_eq!(PageKey::AgencyJson("x".into()).file(), "data/agencies/x.json");
        assert_eq!(PageKey::Labels.file(), "data/labels.json");
        assert_eq!(root_from(&agency_reports("x")), "../../");
    }
}
