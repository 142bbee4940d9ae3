//! Content loading: walks `content/` (never following a link out of the
//! site, never reading anything but a regular file, each read capped by
//! [`crate::fsx`]), reads and decodes every file (UTF-8 with or without BOM,
//! CRLF accepted; GBK and UTF-16 refused with advice), cuts front matter from
//! body and parses the Markdown files in parallel into [`Report`]s and
//! [`Page`]s. Other files are assets, copied as they are by the build. The
//! rules of what may be published live here, applied once at the walk: F06
//! (links out of the site, special files: skipped), F08 (names that cannot
//! be a URL), F09 (a file that cannot be read: reported, the rest still read).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{did_you_mean, Diagnostic, Pos};
use crate::frontmatter::{self, Node, Value};
use crate::report::parse::{parse_date, parse_report};
use crate::report::Report;
use crate::rules::Rule;
use crate::Error;

/// The content folder's name at the site root.
pub const DIR: &str = "content";

/// An ordinary page (`content/guide.md` → `/guide/`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// Path relative to the site root.
    pub path: String,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub draft: bool,
    pub weight: i64,
    pub body: String,
    pub body_line: usize,
}

/// The keys an ordinary page's front matter may have.
pub const PAGE_KEYS: [&str; 4] = ["title", "date", "draft", "weight"];

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Reports that parsed, sorted by path.
    pub reports: Vec<Report>,
    /// Pages that parsed, sorted by path.
    pub pages: Vec<Page>,
    /// Non-Markdown files, relative to `content/`, sorted.
    pub assets: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A file's outcome: what it parsed into, and its diagnostics.
pub type FileResult = (Parsed, Vec<Diagnostic>);

/// What one Markdown file turned into.
pub enum Parsed {
    Report(Box<Report>),
    Page(Page),
    /// Nothing usable (its diagnostics say why).
    Nothing,
}

/// Loads everything under `root/content`. A missing `content/`, one that is
/// not a folder, or one that is a link out of the site is an error: the run
/// stops before anything is built (an empty portal would replace the old).
pub fn load(root: &Path, today: NaiveDate) -> Result<Content, Error> {
    Ok(load_then(root, today, |_| ())?.0)
}

/// [`load`], and `then` run on each report as soon as it is read, in the
/// same parallel task: its results, in the order of `Content::reports`.
/// (The per-report checks run so while the report is still in the
/// processor's cache, with no wait between reading and checking.)
pub fn load_then<T: Send>(
    root: &Path,
    today: NaiveDate,
    then: impl Fn(&Report) -> T + Sync,
) -> Result<(Content, Vec<T>), Error> {
    let dir = root.join(DIR);
    let mut content = Content::default();
    content_dir(root, &dir)?;
    let t = crate::timing::Timer::start();
    let (markdown, assets, mut diags) = walk(root, &dir)?;
    content.assets = assets;
    t.lap("  walk");

    let results: Vec<(FileResult, Option<T>)> = markdown
        .par_iter()
        // Small pieces, so that both threads finish together (rayon's own
        // pieces left one thread alone at the end; see `outputs::render`).
        .with_max_len(64)
        .map(|(rel, path)| {
            let result = match crate::fsx::read_regular(path, crate::fsx::CONTENT_CAP) {
                Ok(bytes) => with_name_check(rel, load_file(rel, bytes, today)),
                Err(e) => (Parsed::Nothing, vec![unreadable(rel, &e)]),
            };
            let after = match &result.0 {
                Parsed::Report(r) => Some(then(r)),
                _ => None,
            };
            (result, after)
        })
        .collect();
    let mut reports = Vec::new();
    for ((parsed, file_diags), after) in results {
        diags.extend(file_diags);
        match (parsed, after) {
            (Parsed::Report(r), Some(after)) => reports.push((*r, after)),
            (Parsed::Page(p), _) => content.pages.push(p),
            _ => {}
        }
    }
    // In tree order (the walk's order), so that incremental updates can
    // find a file by binary search with the same comparison.
    reports.sort_by(|a, b| path_cmp(&a.0.path, &b.0.path));
    let (reports, after): (Vec<Report>, Vec<T>) = reports.into_iter().unzip();
    content.reports = reports;
    content.pages.sort_by(|a, b| path_cmp(&a.path, &b.path));
    content.assets.sort_by(|a, b| path_cmp(a, b));
    content.diagnostics = diags;
    t.lap("  read, parse and check");
    Ok((content, after))
}

/// Checks that `dir` (the site's `content/`) is a folder inside the site.
fn content_dir(root: &Path, dir: &Path) -> Result<(), Error> {
    let shown = dir.display();
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Content(t!("diag.content.missing", path = shown).into_owned()))
        }
        Err(e) => return Err(Error::io(dir, e)),
        Ok(m) if !m.is_dir() => {
            return Err(Error::Content(
                t!("diag.content.not_folder", path = shown, kind = crate::fsx::kind(&m)).into_owned(),
            ))
        }
        Ok(_) => {}
    }
    let site = root.canonicalize().map_err(|e| Error::io(root, e))?;
    if crate::fsx::inside(&site, dir).is_none() {
        let target = dir.canonicalize().map(|p| p.display().to_string()).unwrap_or_default();
        return Err(Error::Content(
            t!("diag.content.outside", path = shown, target = target).into_owned(),
        ));
    }
    Ok(())
}

/// F09: a Markdown file that exists but cannot be read (permissions, size,
/// a file swapped for something else).
pub fn unreadable(rel: &str, e: &std::io::Error) -> Diagnostic {
    let why = match e.kind() {
        std::io::ErrorKind::PermissionDenied => t!("diag.f09.permission").into_owned(),
        _ => e.to_string(),
    };
    Diagnostic::new(Rule::F09, rel, None, "", &t!("diag.f09.detail", why = why))
}

/// Orders `/`-separated paths as a tree walk meets them: component by
/// component (`a/b.md` before `a-b.md`, unlike plain string order).
pub fn path_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('/').cmp(b.split('/'))
}

/// Loads one Markdown file, `rel` being its path relative to the site root
/// (`content/reports/x/2023.md`). `None` when the file is gone, or is not
/// one the walk would read (a link out of the site, a folder, a FIFO).
pub fn load_one(root: &Path, rel: &str, today: NaiveDate) -> Result<Option<FileResult>, Error> {
    let path = root.join(rel);
    // An empty `root`: a file named on the command line (import's output),
    // not one found in a site.
    if !root.as_os_str().is_empty() {
        let site = root.canonicalize().map_err(|e| Error::io(root, e))?;
        if crate::fsx::inside(&site, &path).is_none() {
            return Ok(None);
        }
    }
    if !crate::fsx::is_regular_file(&path) {
        return Ok(None);
    }
    match crate::fsx::read_regular(&path, crate::fsx::CONTENT_CAP) {
        Ok(bytes) => Ok(Some(with_name_check(rel, load_file(rel, bytes, today)))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Ok(Some((Parsed::Nothing, vec![unreadable(rel, &e)]))),
    }
}

/// Lists Markdown files (with their site-relative names) and assets (relative
/// to `content/`), sorted. Links are followed only when they stay inside the
/// site and lead to a regular file; links out of the site, links to folders
/// and special files (FIFOs, devices, sockets) are skipped with F06, and never
/// opened. Assets whose names cannot be a URL are F08.
type Walked = (Vec<(String, PathBuf)>, Vec<String>, Vec<Diagnostic>);
fn walk(root: &Path, dir: &Path) -> Result<Walked, Error> {
    let site = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    let mut diags = Vec::new();
    let skipped = |rel: &str, why: &str| Diagnostic::new(Rule::F06, rel, None, "", why);
    let mut it = WalkDir::new(dir).follow_links(false).sort_by_file_name().into_iter();
    while let Some(entry) = it.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                // A folder that cannot be listed: say so, read the rest.
                let path = e.path().unwrap_or(dir).to_path_buf();
                let rel = relative(root, &path);
                let io = e.into_io_error().unwrap_or_else(|| std::io::Error::other("walk error"));
                diags.push(unreadable(&rel, &io));
                continue;
            }
        };
        let path = entry.path();
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') && entry.depth() > 0 {
            // Hidden files and folders (.git, editor state) are not content.
            if entry.file_type().is_dir() {
                it.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_dir() || is_editor_temp(&name) {
            continue;
        }
        let rel_site = relative(root, path);
        if entry.path_is_symlink() {
            let Some(target) = crate::fsx::inside(&site, path) else {
                diags.push(skipped(&rel_site, &t!("diag.f06.outside")));
                continue;
            };
            if target.is_dir() {
                diags.push(skipped(&rel_site, &t!("diag.f06.folder")));
                continue;
            }
        }
        // Links resolved: only a regular file is ever read or copied. (The
        // walk's own file type needs no system call; a link's target does.)
        let meta = if entry.file_type().is_file() {
            Ok(None)
        } else {
            std::fs::metadata(path).map(Some)
        };
        match meta {
            Ok(None) => {}
            Ok(Some(m)) if m.is_file() => {}
            Ok(Some(m)) => {
                diags.push(skipped(&rel_site, &t!("diag.f06.special", kind = crate::fsx::kind(&m))));
                continue;
            }
            Err(e) => {
                diags.push(unreadable(&rel_site, &e));
                continue;
            }
        }
        if path.extension().is_some_and(|e| e == "md") {
            markdown.push((rel_site, path.to_path_buf()));
        } else {
            let rel = relative(dir, path);
            if let Some(d) = name_problem(&rel_site, &rel) {
                diags.push(d);
            }
            assets.push(rel);
        }
    }
    Ok((markdown, assets, diags))
}

/// Whether `rel_site` (a path under `content/`, relative to the site root)
/// is an entry a change can be taken from one file at a time: a regular
/// file reached without any link, whose name can be a URL. Anything else (a
/// link, a special file, a bad name) is left to a full walk, whose rules
/// (F06, F08) are the only ones.
pub fn plain_entry(root: &Path, rel_site: &str) -> bool {
    let path = root.join(rel_site);
    let Ok(site) = root.canonicalize() else {
        return false;
    };
    let under = rel_site
        .strip_prefix(DIR)
        .and_then(|r| r.strip_prefix('/'))
        .unwrap_or(rel_site);
    crate::fsx::inside(&site, &path).is_some_and(|real| real == site.join(rel_site))
        && path.symlink_metadata().is_ok_and(|m| m.is_file())
        && name_problem(rel_site, under).is_none()
}

/// The longest file or folder name (in bytes) that becomes part of a URL:
/// file systems stop at 255, and the output adds `index.html` to a page's
/// folder.
pub const MAX_NAME_BYTES: usize = 200;

/// F08: `rel` (relative to `content/`) names a page or an asset whose URL it
/// becomes, and holds what a URL path cannot carry as it is: whitespace,
/// control or direction characters, or `# ? % \ " < > | * : ^ ` { }`, or a
/// name longer than [`MAX_NAME_BYTES`]. Refused rather than encoded: such
/// names are accidents (a `#` or a newline in a name is never meant), and a
/// link typed by hand to them would break.
pub fn name_problem(rel_site: &str, rel: &str) -> Option<Diagnostic> {
    let problem = rel.split('/').find_map(|part| {
        if part.len() > MAX_NAME_BYTES {
            let start: String = part.chars().take(20).collect();
            return Some(t!("diag.f08.long", start = start, len = part.len(), max = MAX_NAME_BYTES).into_owned());
        }
        let c = part.chars().find(|&c| url_unsafe(c))?;
        let shown = if c.is_control() || c.is_whitespace() || is_bidi(c) || crate::diagnostics::forbidden_in_text(c) {
            format!("U+{:04X}", c as u32)
        } else {
            format!("`{c}`")
        };
        Some(t!("diag.f08.char", char = shown).into_owned())
    })?;
    Some(Diagnostic::new(Rule::F08, rel_site, None, "", &problem))
}

fn url_unsafe(c: char) -> bool {
    crate::diagnostics::forbidden_in_text(c)
        || c.is_whitespace()
        || is_bidi(c)
        || matches!(
            c,
            '#' | '?' | '%' | '\\' | '"' | '<' | '>' | '|' | '*' | ':' | '^' | '`' | '{' | '}'
        )
}

/// The direction marks that text may hold ([`crate::diagnostics::forbidden_in_text`]
/// refuses the overrides) but a name may not: invisible, they make two
/// names look the same.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Adds F08 to a page whose file name cannot be its URL.
fn with_name_check(rel: &str, (parsed, mut diags): FileResult) -> FileResult {
    if let Parsed::Page(_) = &parsed {
        let in_content = rel.strip_prefix(DIR).and_then(|r| r.strip_prefix('/')).unwrap_or(rel);
        if let Some(d) = name_problem(rel, in_content) {
            diags.push(d);
        }
    }
    (parsed, diags)
}

/// Editor leftovers that are never content: vim swap and backup files,
/// Emacs lock and backup files, JetBrains safe-write temporaries.
pub fn is_editor_temp(name: &str) -> bool {
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
}

/// `path` relative to `base`, with `/` separators.
pub fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Decodes a file's bytes: UTF-8, with or without BOM, CRLF or LF.
/// Anything else is an F01 message naming the problem and the fix.
pub fn decode(bytes: Vec<u8>) -> Result<String, (Pos, String)> {
    decoded(&bytes).map(Cow::into_owned)
}

/// [`decode`] as a view of `bytes` where it can be (a file without a
/// carriage return): the text is then copied once, the body alone, by
/// [`parse_text`]. The UTF-8 check is `simdutf8`'s (it checks a few bytes
/// per instruction where the standard library's checks CJK text, three
/// bytes a character, about one character at a time: it was some 2% of a
/// build); on an invalid file the standard library's finds the position,
/// so that the message is the same.
fn decoded(bytes: &[u8]) -> Result<Cow<'_, str>, (Pos, String)> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err((Pos::line(1), t!("diag.f01.utf16").into_owned()));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let Ok(text) = simdutf8::basic::from_utf8(bytes) else {
        return Err(not_utf8(bytes));
    };
    // (`memchr` rather than `str::contains`: a SIMD search of the whole file.)
    Ok(if memchr::memchr(b'\r', bytes).is_some() {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    })
}

/// The F01 position and message for `bytes` that are not UTF-8: the line
/// of the first byte that is not, and GBK/GB18030 named when the file
/// reads as Chinese in it.
fn not_utf8(bytes: &[u8]) -> (Pos, String) {
    let at = std::str::from_utf8(bytes)
        .map_err(|u| u.valid_up_to())
        .err()
        .unwrap_or(0);
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let (decoded, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    let message = if !had_errors && decoded.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        t!("diag.f01.gbk").into_owned()
    } else {
        t!("diag.f01.bad_byte", byte = format!("0x{:02X}", bytes[at])).into_owned()
    };
    (Pos::line(line), message)
}

/// Reads one Markdown file into a report or a page.
fn load_file(rel: &str, bytes: Vec<u8>, today: NaiveDate) -> FileResult {
    let text = match decoded(&bytes) {
        Ok(t) => t,
        Err((pos, message)) => {
            return (
                Parsed::Nothing,
                vec![Diagnostic::new(Rule::F01, rel, Some(pos), "", &message)],
            )
        }
    };
    parse_text(rel, &text, today)
}

/// Parses a file's text. The body is copied out of it alone, into a buffer
/// of its own size (the front matter's bytes, about half of a report file,
/// would otherwise stay allocated with every body for the whole build).
fn parse_text(rel: &str, text: &str, today: NaiveDate) -> (Parsed, Vec<Diagnostic>) {
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(e) => {
            let line = 1;
            return (
                Parsed::Nothing,
                vec![Diagnostic::new(Rule::F02, rel, Some(Pos::line(line)), "", &e.message())],
            );
        }
    };
    let root = match frontmatter::parse(split.yaml, split.yaml_line) {
        Ok(n) => n,
        Err(e) => {
            let pos = match e.column {
                Some(c) => Pos::at(e.line, c),
                None => Pos::line(e.line),
            };
            let message = t!("diag.f03.syntax", message = e.message);
            return (
                Parsed::Nothing,
                vec![Diagnostic::new(Rule::F03, rel, Some(pos), "", &message)],
            );
        }
    };
    let Value::Map(map) = &root.value else {
        let message = t!("diag.f03.not_map", found = root.value.kind());
        return (
            Parsed::Nothing,
            vec![Diagnostic::new(
                Rule::F03,
                rel,
                Some(Pos::line(split.yaml_line)),
                "",
                &message,
            )],
        );
    };
    let body_line = split.body_line;
    let body = split.body.to_string();
    if map.iter().any(|(k, _)| k == "format") {
        let (report, diags) = parse_report(rel, &root, body, body_line, today);
        let parsed = report.map_or(Parsed::Nothing, |r| Parsed::Report(Box::new(r)));
        (parsed, diags)
    } else {
        let (page, diags) = parse_page(rel, map, body, body_line);
        (page.map_or(Parsed::Nothing, Parsed::Page), diags)
    }
}

/// Parses an ordinary page's front matter (`title`, optional `date`, `draft`, `weight`).
fn parse_page(rel: &str, map: &[(String, Node)], body: String, body_line: usize) -> (Option<Page>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut bad_at = |pos: Pos, message: String| {
        diags.push(Diagnostic::new(Rule::F05, rel, Some(pos), "", &message));
    };
    let mut page = Page {
        path: rel.to_string(),
        title: String::new(),
        date: None,
        draft: false,
        weight: 0,
        body,
        body_line,
    };
    let mut unknown = Vec::new();
    for (key, node) in map {
        match (key.as_str(), &node.value) {
            ("title", _) if crate::report::parse::text_problem(node, "title").is_some() => {
                if let Some((pos, message)) = crate::report::parse::text_problem(node, "title") {
                    bad_at(pos, message);
                }
            }
            ("title", Value::Str(s)) if !s.trim().is_empty() => page.title = s.trim().to_string(),
            ("title", Value::Int(i)) => page.title = i.to_string(),
            ("title", Value::Str(_)) => bad_at(node.pos(), t!("diag.f05.title_empty").into_owned()),
            ("title", v) => bad_at(
                node.pos(),
                t!("check.text.takes_text", key = "title", found = v.kind()).into_owned(),
            ),
            ("date", Value::Null) => {}
            ("date", Value::Str(s)) if parse_date(s).is_some() => page.date = parse_date(s),
            ("date", v) => bad_at(node.pos(), t!("diag.f05.date", found = describe(v)).into_owned()),
            ("draft", Value::Bool(b)) => page.draft = *b,
            ("draft", Value::Null) => {}
            ("draft", v) => bad_at(node.pos(), t!("check.meta.draft", found = describe(v)).into_owned()),
            ("weight", Value::Int(i)) => page.weight = *i,
            ("weight", Value::Null) => {}
            ("weight", v) => bad_at(node.pos(), t!("diag.f05.weight", found = describe(v)).into_owned()),
            _ => unknown.push((key.clone(), node.clone())),
        }
    }
    for (key, node) in &unknown {
        let hint = match did_you_mean(key, &PAGE_KEYS) {
            Some(k) => t!("config.did_you_mean", key = k),
            None => t!("diag.f04.page_keys", keys = PAGE_KEYS.join(", ")),
        };
        diags.push(
            Diagnostic::new(
                Rule::F04,
                rel,
                Some(node.key_pos()),
                "",
                &t!("check.unknown_key", key = key),
            )
            .with_help(hint),
        );
    }
    if !map.iter().any(|(k, _)| k == "title") {
        diags.push(Diagnostic::new(
            Rule::F05,
            rel,
            Some(Pos::line(1)),
            "",
            &t!("diag.f05.no_title"),
        ));
    }
    let ok = diags.is_empty();
    (ok.then_some(page), diags)
}

fn describe(v: &Value) -> String {
    match v {
        Value::Str(s) => format!("\"{s}\""),
        Value::Int(i) => i.to_string(),
        other => other.kind().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_accepts_bom_and_crlf() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("---\r\ntitle: 你好\r\n---\r\n".as_bytes());
        assert_eq!(decode(bytes).unwrap(), "---\ntitle: 你好\n---\n");
    }

    #[test]
    fn decode_recognises_gbk() {
        let (gbk, _, _) = encoding_rs::GBK.encode("---\ntitle: 政府信息公开\n---\n");
        let (pos, msg) = decode(gbk.into_owned()).unwrap_err();
        assert_eq!(pos, Pos::line(2));
        assert!(msg.contains("GBK/GB18030"), "{msg}");
    }

    #[test]
    fn decode_places_a_bad_byte_on_its_line() {
        let mut bytes = "---\ntitle: 你好\n---\n正文".as_bytes().to_vec();
        bytes.insert(bytes.len() - 3, 0xFF);
        let (pos, msg) = decode(bytes).unwrap_err();
        assert_eq!(pos, Pos::line(4));
        assert!(msg.contains("0xFF"), "{msg}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// The SIMD check takes what the standard library's takes, and
        /// decodes it to the same text.
        #[test]
        fn fuzz_decode_agrees_with_std(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Strategy::prop_map("[a-z\r\n中文é]{0,6}", String::into_bytes),
                    proptest::collection::vec(proptest::num::u8::ANY, 0..4),
                ],
                0..40,
            )
        ) {
            use proptest::prelude::*;
            let bytes: Vec<u8> = pieces.concat();
            let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes);
            let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
            match (decode(bytes.clone()), std::str::from_utf8(body)) {
                (Ok(text), Ok(s)) => prop_assert_eq!(text, s.replace("\r\n", "\n").replace('\r', "\n")),
                (Err((pos, _)), Err(e)) if !utf16 => {
                    let line = body[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
                    prop_assert_eq!(pos, Pos::line(line));
                }
                (Err(_), _) => prop_assert!(utf16),
                (Ok(_), Err(_)) => prop_assert!(false, "invalid UTF-8 taken"),
            }
        }
    }

    #[test]
    fn editor_temporaries_are_not_content() {
        for n in [".2023.md.swp", "2023.md~", "2023.md___jb_tmp___", "4913", ".#2023.md"] {
            assert!(is_editor_temp(n), "{n}");
        }
        assert!(!is_editor_temp("2023.md"));
    }
}
