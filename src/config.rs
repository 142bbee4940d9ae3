//! Site configuration: reads and validates `site.toml` at the site root.
//! Every key is known here; an unknown key is an error that names the file,
//! the line and the nearest known key. Defaults follow the spec of the
//! project: language zh-CN, theme `default`, output `public`. No value may
//! hold a character content text may not hold (control characters, bidi
//! overrides: [`crate::diagnostics::forbidden_in_text`]): the title is
//! printed on every page and in the feed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{char_name, did_you_mean, escape_terminal, forbidden_in_text};
use crate::Error;

/// The config file's name at the site root.
pub const FILE: &str = "site.toml";

/// The largest `site.toml` read: 1 MiB (a real one is a few hundred bytes).
const CAP: u64 = 1024 * 1024;

/// Known keys, by table (`""` is the top level).
const KNOWN: &[(&str, &[&str])] = &[
    (
        "",
        &[
            "title",
            "base_url",
            "language",
            "theme",
            "output_dir",
            "check",
            "markdown",
            "outputs",
        ],
    ),
    ("check", &["strict"]),
    ("markdown", &["allow_raw_html", "highlight_theme"]),
    ("outputs", &["data", "search"]),
];

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The portal's title, shown on every page.
    pub title: String,
    /// Where the site is served, e.g. `https://example.org/portal/`; `/` by default.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_output_dir")]
    pub output_dir: String,
    #[serde(default)]
    pub check: CheckConfig,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    #[serde(default)]
    pub outputs: OutputsConfig,
}

/// Optional outputs of a build.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct OutputsConfig {
    /// Open data: JSON and CSV files under /data/ and a data package.
    #[serde(default = "yes")]
    pub data: bool,
    /// The /search/ page and its index.
    #[serde(default = "yes")]
    pub search: bool,
}

impl Default for OutputsConfig {
    fn default() -> Self {
        OutputsConfig {
            data: true,
            search: true,
        }
    }
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Keep raw HTML in Markdown as written; by default it is sanitized.
    #[serde(default)]
    pub allow_raw_html: bool,
    /// The syntect theme whose colours the generated `syntax.css` uses.
    #[serde(default = "default_highlight_theme")]
    pub highlight_theme: String,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            allow_raw_html: false,
            highlight_theme: default_highlight_theme(),
        }
    }
}

/// The names a `highlight_theme` may take: syntect's built-in themes, in
/// their order (a test in `theme` keeps this list equal to syntect's, so the
/// configuration is checked without loading any theme).
pub const HIGHLIGHT_THEMES: &[&str] = &[
    "InspiredGitHub",
    "Solarized (dark)",
    "Solarized (light)",
    "base16-eighties.dark",
    "base16-mocha.dark",
    "base16-ocean.dark",
    "base16-ocean.light",
];

fn default_highlight_theme() -> String {
    "InspiredGitHub".to_string()
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Treat warnings as errors.
    #[serde(default)]
    pub strict: bool,
}

fn default_base_url() -> String {
    "/".to_string()
}
fn default_language() -> String {
    "zh-CN".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}
fn default_output_dir() -> String {
    "public".to_string()
}

impl Config {
    /// Reads `site.toml` from `root`.
    pub fn load(root: &Path) -> Result<Config, Error> {
        let path = root.join(FILE);
        match read_settings(&path, CAP)? {
            Some(text) => Config::parse(&text, &path),
            None => Err(Error::NoSite(root.to_path_buf())),
        }
    }

    /// Parses the text of a `site.toml` (`path` is for messages).
    pub fn parse(text: &str, path: &Path) -> Result<Config, Error> {
        let err = |line: Option<usize>, message: String| Error::Config {
            path: path.to_path_buf(),
            line,
            message,
        };
        let line_of = |e: &toml::de::Error| {
            e.span()
                .and_then(|s| text.get(..s.start))
                .map(|before| before.matches('\n').count() + 1)
        };
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| err(line_of(&e), toml_error(&e)))?;
        if let Some((section, key, c)) = bad_text(&table, "") {
            return Err(err(
                key_line(text, &section, &key),
                t!("config.bad_char", key = escape_terminal(&key), char = char_name(c)).into_owned(),
            ));
        }
        // Every unknown key at once, each with its line and a suggestion:
        // the first gives the error its line, the others follow it one per
        // line, each with its own place.
        let mut unknown = Problems::new(path);
        for (section, keys) in KNOWN {
            let t = if section.is_empty() {
                Some(&table)
            } else {
                table.get(*section).and_then(|v| v.as_table())
            };
            let Some(t) = t else { continue };
            for key in t.keys() {
                if !keys.contains(&key.as_str()) {
                    let hint = match did_you_mean(key, keys) {
                        Some(k) => t!("config.did_you_mean", key = k),
                        None => t!("config.keys_here", keys = keys.join(", ")),
                    };
                    let key = escape_terminal(key);
                    let message = if section.is_empty() {
                        t!("config.unknown_key", key = key, hint = hint)
                    } else {
                        t!("config.unknown_key_in", key = key, section = section, hint = hint)
                    };
                    unknown.push(key_line(text, section, &key), message.into_owned());
                }
            }
        }
        unknown.finish()?;
        let config: Config = toml::from_str(text).map_err(|e| err(line_of(&e), toml_error(&e)))?;
        if config.title.trim().is_empty() {
            return Err(err(key_line(text, "", "title"), t!("config.title_empty").into_owned()));
        }
        if !HIGHLIGHT_THEMES.contains(&config.markdown.highlight_theme.as_str()) {
            return Err(err(
                key_line(text, "markdown", "highlight_theme"),
                t!(
                    "config.highlight_theme",
                    value = config.markdown.highlight_theme,
                    themes = HIGHLIGHT_THEMES.join(", ")
                )
                .into_owned(),
            ));
        }
        if config.output_dir.trim().is_empty() || Path::new(&config.output_dir).is_absolute() {
            return Err(err(
                key_line(text, "", "output_dir"),
                t!("config.output_dir").into_owned(),
            ));
        }
        if let Err(message) = check_base_url(&config.base_url) {
            return Err(err(key_line(text, "", "base_url"), message));
        }
        Ok(config)
    }

    /// Whether `base_url` is a whole address (`https://host/…`), which the
    /// sitemap and the feed need; `/` and `/portal/` are paths only.
    pub fn base_url_is_absolute(&self) -> bool {
        split_scheme(&self.base_url).is_some()
    }

    /// The path part of `base_url` (`/` or `/portal/`), always ending in `/`.
    pub fn base_path(&self) -> String {
        let rest = match self.base_url.split_once("://") {
            Some((_, after)) => after.find('/').map_or("/", |i| &after[i..]),
            None => self.base_url.as_str(),
        };
        let mut p = rest.to_string();
        if !p.starts_with('/') {
            p.insert(0, '/');
        }
        if !p.ends_with('/') {
            p.push('/');
        }
        p
    }

    /// `base_url` ending in `/`, for absolute links in feeds and sitemaps.
    pub fn base_url_slash(&self) -> String {
        let mut u = self.base_url.clone();
        if !u.ends_with('/') {
            u.push('/');
        }
        u
    }

    /// The output folder, resolved against the site root.
    pub fn output_path(&self, root: &Path) -> PathBuf {
        root.join(&self.output_dir)
    }
}

/// The toml crate's message (English), introduced in the language of the
/// run.
fn toml_error(e: &toml::de::Error) -> String {
    t!("config.toml", message = escape_terminal(e.message())).into_owned()
}

/// [`check_base_url`] for the `--base-url` of `build` and `serve`: a usage
/// error (exit 2) naming the option.
pub fn check_base_url_flag(value: &str) -> Result<(), Error> {
    check_base_url(value).map_err(|m| Error::Usage(format!("--base-url: {m}")))
}

/// `http://` or `https://` (any case) and what follows it.
fn split_scheme(url: &str) -> Option<&str> {
    ["http://", "https://"].iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .map(|_| &url[scheme.len()..])
    })
}

/// Checks a `base_url` (from site.toml, or the `--base-url` of `build` and
/// `serve`): an absolute `http://` or `https://` URL with a host (and, if
/// any, a port of digits), or a path from the server's root (`/`,
/// `/portal/`), for a site whose address is not known yet. Refused:
/// `portal`, `127.0.0.1:8090/portal`, `ftp://x`, `http://`, `//host/`,
/// anything holding white space or a control character. `Err` is the
/// message, naming `base_url` and the value, with advice.
///
/// Hand-written: the rule is a scheme, a host and a port; the `url` crate
/// would add a dependency, and accept more than a portal's address (user
/// names, IP literals with zones) that a sitemap should not carry.
pub fn check_base_url(value: &str) -> Result<(), String> {
    let shown = escape_terminal(value);
    let bad = |why: std::borrow::Cow<'_, str>| Err(t!("config.base_url", value = shown, why = why).into_owned());
    if value.is_empty() {
        return bad(t!("config.base_url_empty"));
    }
    if value
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || forbidden_in_text(c))
    {
        return bad(t!("config.base_url_space"));
    }
    if let Some(rest) = split_scheme(value) {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, _)) if !h.ends_with(']') && h.contains(['[', ']']) => (authority, None),
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        let host_ok = !host.is_empty()
            && !host.contains('@')
            && host
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '[' | ']' | ':'));
        if !host_ok {
            return bad(t!("config.base_url_host"));
        }
        if let Some(p) = port {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.parse::<u16>().map_or(true, |n| n == 0) {
                return bad(t!("config.base_url_port", port = p));
            }
        }
        return Ok(());
    }
    if value.starts_with('/') && !value.starts_with("//") {
        return Ok(());
    }
    bad(t!("config.base_url_scheme"))
}

/// The first string (value or key) of `table` holding a character no text
/// may hold: its table's name, its key and the character.
fn bad_text(table: &toml::Table, section: &str) -> Option<(String, String, char)> {
    fn in_value(v: &toml::Value) -> Option<char> {
        match v {
            toml::Value::String(s) => s.chars().find(|&c| forbidden_in_text(c)),
            toml::Value::Array(items) => items.iter().find_map(in_value),
            toml::Value::Table(t) => t
                .iter()
                .find_map(|(k, v)| k.chars().find(|&c| forbidden_in_text(c)).or_else(|| in_value(v))),
            _ => None,
        }
    }
    for (key, value) in table {
        if let Some(c) = key.chars().find(|&c| forbidden_in_text(c)) {
            return Some((section.to_string(), key.clone(), c));
        }
        if let (toml::Value::Table(t), true) = (value, section.is_empty()) {
            if let Some(found) = bad_text(t, key) {
                return Some(found);
            }
        } else if let Some(c) = in_value(value) {
            return Some((section.to_string(), key.clone(), c));
        }
    }
    None
}

/// The line of `key` within `[section]` (or the top level), for messages.
fn key_line(text: &str, section: &str, key: &str) -> Option<usize> {
    let mut current = "";
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            current = name.trim();
            continue;
        }
        if current == section {
            let k = t.split('=').next().unwrap_or("").trim().trim_matches('"');
            if k == key && t.contains('=') {
                return Some(i + 1);
            }
        }
    }
    None
}

/// Every problem of a settings file (`site.toml`'s unknown keys, the
/// roster's problems), reported at once in one error: the first gives the
/// error its line, the others follow one per line, each with its place.
pub struct Problems {
    path: PathBuf,
    list: Vec<(Option<usize>, String)>,
}

impl Problems {
    pub fn new(path: &Path) -> Problems {
        Problems {
            path: path.to_path_buf(),
            list: Vec::new(),
        }
    }

    pub fn push(&mut self, line: Option<usize>, message: String) {
        self.list.push((line, message));
    }

    pub fn finish(mut self) -> Result<(), Error> {
        self.list.sort_by_key(|(line, _)| line.unwrap_or(usize::MAX));
        let Some(((line, first), rest)) = self.list.split_first().map(|(f, r)| (f.clone(), r)) else {
            return Ok(());
        };
        let mut message = first;
        for (l, m) in rest {
            let at = l.map(|l| format!(":{l}")).unwrap_or_default();
            let _ = write!(message, "\n{}{at}: {m}", self.path.display());
        }
        Err(Error::Config {
            path: self.path,
            line,
            message,
        })
    }
}

/// The text of a settings file (`site.toml`, `agencies.toml`): a regular
/// file of at most `cap` bytes, without a byte-order mark, in UTF-8 (else an error at the
/// line of the first byte that is not); `None` when there is no such file.
pub fn read_settings(path: &Path, cap: u64) -> Result<Option<String>, Error> {
    let bytes = match crate::fsx::read_regular(path, cap) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Config {
        path: path.to_path_buf(),
        line: Some(bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1),
        message: t!("config.not_utf8").into_owned(),
    })?;
    Ok(Some(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Config, Error> {
        Config::parse(s, Path::new("site.toml"))
    }

    #[test]
    fn defaults_apply() {
        let c = parse("title = \"门户\"\n").unwrap();
        assert_eq!(c.base_url, "/");
        assert_eq!(c.language, "zh-CN");
        assert_eq!(c.theme, "default");
        assert_eq!(c.output_dir, "public");
        assert!(!c.check.strict);
    }

    #[test]
    fn unknown_keys_get_a_suggestion_and_a_line() {
        let e = parse("title = \"x\"\n[check]\nstrikt = true\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "site.toml:3: unknown key `strikt` in [check]; did you mean `strict`?"
        );
        let e = parse("titel = \"x\"\n").unwrap_err().to_string();
        assert_eq!(e, "site.toml:1: unknown key `titel`; did you mean `title`?");
    }

    #[test]
    fn every_unknown_key_is_reported_at_once_each_with_its_line() {
        let e =
            parse("titel = \"x\"\ntitle = \"x\"\nbase_ulr = \"/\"\n[check]\nstrikt = true\n[outputs]\nzzzzzz = 1\n")
                .unwrap_err()
                .to_string();
        assert_eq!(
            e,
            "site.toml:1: unknown key `titel`; did you mean `title`?\n\
             site.toml:3: unknown key `base_ulr`; did you mean `base_url`?\n\
             site.toml:5: unknown key `strikt` in [check]; did you mean `strict`?\n\
             site.toml:7: unknown key `zzzzzz` in [outputs]; the keys here are: data, search"
        );
    }

    #[test]
    fn base_url_is_an_absolute_http_url_or_a_path() {
        for ok in [
            "/",
            "/portal/",
            "https://www.example.gov.cn/gongkai/",
            "http://127.0.0.1:8090/portal",
            "HTTPS://example.org",
            "http://[::1]:8080/",
            "https://政务.中国/",
        ] {
            assert!(check_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "portal",
            "127.0.0.1:8090/portal",
            "ftp://x",
            "http://",
            "https:///portal",
            "//example.org/",
            "http://example.org:0/",
            "http://example.org:80x/",
            "http://user@example.org/",
            "https://exa mple.org/",
            "",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad:?}");
        }
        let e = parse("title = \"x\"\n\nbase_url = \"127.0.0.1:8090/portal\"\n").unwrap_err();
        assert!(matches!(e, Error::Config { line: Some(3), .. }), "{e:?}");
        let e = e.to_string();
        assert!(
            e.starts_with("site.toml:3: `base_url` is \"127.0.0.1:8090/portal\": it is neither an address")
                && e.contains("https://www.example.gov.cn/gongkai/"),
            "{e}"
        );
        let e = check_base_url_flag("http://").unwrap_err().to_string();
        assert!(
            e.starts_with("--base-url: `base_url` is \"http://\": there is no host name"),
            "{e}"
        );
        let c = parse("title = \"x\"\nbase_url = \"/portal/\"\n").unwrap();
        assert!(!c.base_url_is_absolute());
        let c = parse("title = \"x\"\nbase_url = \"https://example.org/\"\n").unwrap();
        assert!(c.base_url_is_absolute());
    }

    #[test]
    fn config_errors_speak_chinese_when_asked() {
        assert_eq!(
            t!(
                "config.unknown_key_in",
                locale = "zh-CN",
                key = "strikt",
                section = "check",
                hint = "是否应为 `strict`？"
            ),
            "[check] 中有未知的键 `strikt`；是否应为 `strict`？"
        );
    }

    #[test]
    fn base_path_comes_from_the_url() {
        let mut c = parse("title = \"x\"\nbase_url = \"https://example.org/portal\"\n").unwrap();
        assert_eq!(c.base_path(), "/portal/");
        assert_eq!(c.base_url_slash(), "https://example.org/portal/");
        c.base_url = "https://example.org".into();
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn markdown_section_is_checked() {
        let e = parse("title = \"x\"\n[markdown]\nhighlight_theme = \"nope\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("site.toml:3: unknown highlight_theme `nope`"), "{e}");
    }

    #[test]
    fn control_characters_and_bidi_overrides_are_refused_with_their_line() {
        // In the title (basic-string escapes, as a terminal escape would be
        // pasted), in a table, and in a key (the message then shows the key
        // escaped).
        let e = parse("language = \"zh-CN\"\ntitle = \"门户\\u001b[2J\"\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "site.toml:2: `title` contains the character U+001B (escape), which site.toml may not hold \
             (it is invisible, and the title is shown on every page and in the feed); remove it"
        );
        let e = parse("title = \"x\"\n[markdown]\nhighlight_theme = \"a\\u202eb\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("site.toml:3: `highlight_theme` contains the character U+202E"),
            "{e}"
        );
        let e = parse("title = \"x\"\n\"k\\u0007\" = 1\n").unwrap_err().to_string();
        assert!(e.contains("`k\\u{7}`") && e.contains("U+0007 (bell)"), "{e}");
        assert!(!e.contains('\u{7}'), "{e:?}");
        // Tabs are fine.
        assert!(parse("title = \"a\\tb\"\n").is_ok());
    }

    #[test]
    fn type_errors_and_missing_title_are_reported() {
        assert!(parse("title = 3\n")
            .unwrap_err()
            .to_string()
            .starts_with("site.toml:1:"));
        assert!(parse("base_url = \"/\"\n").unwrap_err().to_string().contains("title"));
    }
}
