//! Site configuration: reads and validates `site.toml` at the site root.
//! Every key is known here; an unknown key is an error that names the file,
//! the line and the nearest known key. Defaults follow the spec of the
//! project: language zh-CN, theme `default`, output `public`. No value may
//! hold a character content text may not hold (control characters, bidi
//! overrides: [`crate::diagnostics::forbidden_in_text`]): the title is
//! printed on every page and in the feed.

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
        let bytes = match crate::fsx::read_regular(&path, CAP) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::NoSite(root.to_path_buf())),
            Err(e) => return Err(Error::io(&path, e)),
        };
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let text = std::str::from_utf8(bytes).map_err(|e| Error::Config {
            path: path.clone(),
            line: Some(bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1),
            message: "site.toml is not valid UTF-8; save it as UTF-8 (另存为 → 编码: UTF-8)".to_string(),
        })?;
        Config::parse(text, &path)
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
            .map_err(|e: toml::de::Error| err(line_of(&e), escape_terminal(e.message()).into_owned()))?;
        if let Some((section, key, c)) = bad_text(&table, "") {
            return Err(err(
                key_line(text, &section, &key),
                format!(
                    "`{}` contains the character {}, which site.toml may not hold (it is invisible, and the title is shown on every page and in the feed); remove it",
                    escape_terminal(&key),
                    char_name(c)
                ),
            ));
        }
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
                        Some(k) => format!("did you mean `{k}`?"),
                        None => format!("the keys here are: {}", keys.join(", ")),
                    };
                    let place = if section.is_empty() {
                        String::new()
                    } else {
                        format!(" in [{section}]")
                    };
                    return Err(err(
                        key_line(text, section, key),
                        format!("unknown key `{}`{place}; {hint}", escape_terminal(key)),
                    ));
                }
            }
        }
        let config: Config =
            toml::from_str(text).map_err(|e| err(line_of(&e), escape_terminal(e.message()).into_owned()))?;
        if config.title.trim().is_empty() {
            return Err(err(key_line(text, "", "title"), "`title` is empty".to_string()));
        }
        if !HIGHLIGHT_THEMES.contains(&config.markdown.highlight_theme.as_str()) {
            return Err(err(
                key_line(text, "markdown", "highlight_theme"),
                format!(
                    "unknown highlight_theme `{}`; the themes are: {}",
                    config.markdown.highlight_theme,
                    HIGHLIGHT_THEMES.join(", ")
                ),
            ));
        }
        if config.output_dir.trim().is_empty() || Path::new(&config.output_dir).is_absolute() {
            return Err(err(
                key_line(text, "", "output_dir"),
                "`output_dir` must be a folder name relative to the site root, e.g. \"public\"".to_string(),
            ));
        }
        Ok(config)
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
