//! Diagnostics: the one currency in which every stage reports a problem with
//! the user's input. A [`Diagnostic`] carries the check id (R01-R12 from the
//! spec, F01-F06 for file-level problems), the severity, the file (relative to
//! the site root), the line and column, and a message in the spec's style. This
//! module also renders a run's diagnostics for people (with a source snippet, in
//! the manner of ruff) or as JSON, and decides the exit status they imply.
//!
//! Text taken from the user (file names, quoted values, source lines) never
//! reaches a terminal as it is: [`escape_terminal`] is applied to every piece
//! of it when rendering, and the JSON output escapes the same characters. The
//! rule for which characters content text may hold at all
//! ([`forbidden_in_text`], [`bad_control`]) lives here too, beside the names
//! messages give characters ([`char_name`]).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::num::NonZeroU32;

use serde::Serialize;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
use unicode_width::UnicodeWidthChar;

/// How serious a problem is. `Error` stops a build and makes `check` exit 1;
/// `Warning` is shown, and counts as an error only under `--strict`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A position in a source file: 1-based line and column (column in
/// characters). Kept to 8 bytes, and to 8 as an `Option` (the line is never
/// 0): reports hold one for every number. Line 0 is taken as line 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    line: NonZeroU32,
    /// 0 when the column is not known.
    column: u32,
}

impl Pos {
    pub fn line(line: usize) -> Pos {
        Pos::at(line, 0)
    }

    pub fn at(line: usize, column: usize) -> Pos {
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        Pos {
            line: NonZeroU32::new(line).unwrap_or(NonZeroU32::MIN),
            column: column.try_into().unwrap_or(u32::MAX),
        }
    }

    pub fn line_no(self) -> usize {
        self.line.get() as usize
    }

    pub fn column(self) -> Option<usize> {
        (self.column > 0).then_some(self.column as usize)
    }
}

/// One problem found in the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The check id: `R01`..`R12` (spec section 4) or `F01`..`F06` (file level).
    pub id: &'static str,
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The whole message on one line: where (official labels), then what.
    pub message: String,
    /// The part of the message after the location labels, printed on its own
    /// line by the human renderer. Empty when the message is one piece.
    #[serde(skip)]
    pub detail_at: usize,
}

impl Diagnostic {
    /// A diagnostic whose message is `context: detail`; the human renderer puts
    /// the detail on a line of its own, like the spec's example.
    pub fn new(
        id: &'static str,
        severity: Severity,
        file: &str,
        pos: Option<Pos>,
        context: &str,
        detail: &str,
    ) -> Diagnostic {
        let (message, detail_at) = if context.is_empty() {
            (detail.to_string(), 0)
        } else {
            (format!("{context}: {detail}"), context.len() + 2)
        };
        Diagnostic {
            id,
            severity,
            file: file.to_string(),
            line: pos.map(Pos::line_no),
            column: pos.and_then(Pos::column),
            message,
            detail_at,
        }
    }

    pub fn error(id: &'static str, file: &str, pos: Option<Pos>, context: &str, detail: &str) -> Self {
        Self::new(id, Severity::Error, file, pos, context, detail)
    }

    pub fn warning(id: &'static str, file: &str, pos: Option<Pos>, context: &str, detail: &str) -> Self {
        Self::new(id, Severity::Warning, file, pos, context, detail)
    }

    /// `file:line:column` as far as known.
    pub fn location(&self) -> String {
        let mut s = self.file.clone();
        if let Some(l) = self.line {
            let _ = write!(s, ":{l}");
            if let Some(c) = self.column {
                let _ = write!(s, ":{c}");
            }
        }
        s
    }

    /// The severity this diagnostic counts with: warnings are errors under `strict`.
    pub fn effective(&self, strict: bool) -> Severity {
        if strict {
            Severity::Error
        } else {
            self.severity
        }
    }
}

/// Sorts diagnostics into a stable order: by file, line, column, id, message.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.id, &a.message).cmp(&(&b.file, b.line, b.column, b.id, &b.message))
    });
}

/// Counts of a run's diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    pub fn of(diags: &[Diagnostic]) -> Tally {
        let mut t = Tally::default();
        for d in diags {
            match d.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
            }
        }
        t
    }

    /// Whether this run fails: any error, or any warning under `strict`.
    pub fn fails(&self, strict: bool) -> bool {
        self.errors > 0 || (strict && self.warnings > 0)
    }
}

/// Where the text of the files lives, so the human renderer can quote lines.
pub trait SourceLookup {
    /// The text of `line` (1-based) of `file`, if known.
    fn line_text(&self, file: &str, line: usize) -> Option<&str>;
}

/// No sources at hand: messages without snippets.
pub struct NoSources;
impl SourceLookup for NoSources {
    fn line_text(&self, _: &str, _: usize) -> Option<&str> {
        None
    }
}

/// Renders diagnostics for a person, in the spec's style:
///
/// ```text
/// error[R01]: content/reports/zhongren/2023.md:31: 三、收到和处理政府信息公开申请情况, column 自然人:
///         一 新收 12 + 二 上年结转 3 = 15, but 三（七）总计 13 + 四 结转下年度 1 = 14
///    |
/// 31 |   new: [12, 0, 0, 0, 0, 0, 12]
///    |
/// ```
///
/// Every piece of text that came from the user (the file name, the message,
/// which may quote values, the source line) goes through [`escape_terminal`].
pub fn render_human(diags: &[Diagnostic], strict: bool, sources: &dyn SourceLookup) -> String {
    let mut out = String::new();
    for d in diags {
        let sev = d.effective(strict).as_str();
        let _ = write!(out, "{sev}[{}]: {}: ", d.id, escape_terminal(&d.location()));
        match d.message.get(..d.detail_at).filter(|_| d.detail_at > 0) {
            Some(context) => {
                let _ = writeln!(out, "{}", escape_terminal(context.trim_end()));
                let _ = writeln!(out, "        {}", escape_terminal(&d.message[d.detail_at..]));
            }
            None => {
                let _ = writeln!(out, "{}", escape_terminal(&d.message));
            }
        }
        if let Some(line) = d.line {
            if let Some(text) = sources.line_text(&d.file, line) {
                let num = line.to_string();
                let pad = " ".repeat(num.len());
                let _ = writeln!(out, "{pad} |");
                let _ = writeln!(out, "{num} | {}", escape_terminal(text.trim_end()));
                if let Some(col) = d.column {
                    // The caret sits under the column as shown (escapes included).
                    let before: String = text.chars().take(col.saturating_sub(1)).collect();
                    let offset: usize = escape_terminal(&before).chars().map(|c| c.width().unwrap_or(0)).sum();
                    let _ = writeln!(out, "{pad} | {}^", " ".repeat(offset));
                } else {
                    let _ = writeln!(out, "{pad} |");
                }
            }
        }
        out.push('\n');
    }
    out
}

/// Renders diagnostics as a JSON array of `{id, severity, file, line, column, message}`.
/// Under `strict`, warnings are reported with severity `error`, as they count.
pub fn render_json(diags: &[Diagnostic], strict: bool) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        id: &'a str,
        severity: Severity,
        file: &'a str,
        line: Option<usize>,
        column: Option<usize>,
        message: &'a str,
    }
    let items: Vec<Out> = diags
        .iter()
        .map(|d| Out {
            id: d.id,
            severity: d.effective(strict),
            file: &d.file,
            line: d.line,
            column: d.column,
            message: &d.message,
        })
        .collect();
    let s = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string());
    // serde_json escapes C0 controls in strings, but not DEL, C1 controls or
    // bidi overrides, which a terminal showing the JSON would act on. The
    // output's own line breaks are outside strings (a `\n` in a string is
    // escaped), so every other unprintable character is in a string and can
    // be written as a `\uXXXX` escape meaning the same.
    let mut out = String::with_capacity(s.len() + 1);
    for c in s.chars() {
        if c != '\n' && !printable(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{u:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    out
}

/// Whether `c` may be printed to a terminal as it is: not a control
/// character (Cc, tab and line feed included: messages are one line), not
/// an invisible format character (Cf: bidi marks and overrides, zero-width
/// characters, the BOM), not a line or paragraph separator, not a
/// noncharacter.
fn printable(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_control();
    }
    !matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    ) && !is_noncharacter(c)
}

/// Text from the user made safe to print on a terminal: every character
/// that is not [`printable`] is shown as an escape (`\t`, `\n`, `\r`,
/// otherwise `\u{1b}`), so an agency name cannot colour, move, clear or
/// reorder the output. Borrowed when nothing needs escaping.
pub fn escape_terminal(s: &str) -> Cow<'_, str> {
    if s.chars().all(printable) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if !printable(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Unicode noncharacters: U+FDD0-U+FDEF and the last two code points of
/// every plane (U+FFFE and U+FFFF are not even allowed in XML).
fn is_noncharacter(c: char) -> bool {
    let u = c as u32;
    (0xFDD0..=0xFDEF).contains(&u) || u & 0xFFFE == 0xFFFE
}

/// Whether the text of a content file (any value of the front matter) may
/// not hold `c`. Refused: the C0 control characters but tab and line feed
/// (NUL, BEL, ESC…), DEL and the C1 controls, which make `atom.xml`
/// ill-formed and reach terminals; the bidirectional embeddings, overrides
/// and isolates U+202A-U+202E and U+2066-U+2069, which make text read
/// differently from what it is ("Trojan Source"); the line and paragraph
/// separators U+2028 and U+2029, which YAML reads as line breaks; the
/// noncharacters. The marks U+200E, U+200F and U+061C stay allowed: they
/// take part in ordinary mixed-direction text and reorder nothing but
/// themselves (terminal output escapes them all the same).
pub fn forbidden_in_text(c: char) -> bool {
    match c {
        '\t' | '\n' => false,
        c if c.is_control() => true,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' => true,
        c => is_noncharacter(c),
    }
}

/// The first character of `s` that no content text may hold (see
/// [`forbidden_in_text`]): its index in characters (0-based) and the
/// character. Name it in messages with [`char_name`].
pub fn bad_control(s: &str) -> Option<(usize, char)> {
    s.chars().enumerate().find(|&(_, c)| forbidden_in_text(c))
}

/// A character as messages name it: `U+001B (escape)`, `U+202E (right-to-left
/// override)`, `U+4E2D` for any other.
pub fn char_name(c: char) -> String {
    const C0: [&str; 32] = [
        "null",
        "start of heading",
        "start of text",
        "end of text",
        "end of transmission",
        "enquiry",
        "acknowledge",
        "bell",
        "backspace",
        "tab",
        "line feed",
        "vertical tab",
        "form feed",
        "carriage return",
        "shift out",
        "shift in",
        "data link escape",
        "device control one",
        "device control two",
        "device control three",
        "device control four",
        "negative acknowledge",
        "synchronous idle",
        "end of transmission block",
        "cancel",
        "end of medium",
        "substitute",
        "escape",
        "file separator",
        "group separator",
        "record separator",
        "unit separator",
    ];
    let u = c as u32;
    let name = match c {
        _ if u < 0x20 => C0[u as usize],
        '\u{7f}' => "delete",
        '\u{80}'..='\u{9f}' => "a C1 control character",
        '\u{200e}' => "left-to-right mark",
        '\u{200f}' => "right-to-left mark",
        '\u{202a}' => "left-to-right embedding",
        '\u{202b}' => "right-to-left embedding",
        '\u{202c}' => "pop directional formatting",
        '\u{202d}' => "left-to-right override",
        '\u{202e}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        '\u{feff}' => "byte order mark",
        c if is_noncharacter(c) => "a noncharacter",
        _ => return format!("U+{u:04X}"),
    };
    format!("U+{u:04X} ({name})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_stay_small() {
        // Every number of every report carries an `Option<Pos>`.
        assert_eq!(std::mem::size_of::<Option<Pos>>(), 8);
        assert_eq!(Pos::line(0), Pos::line(1));
        assert_eq!(Pos::at(3, 0).column(), None);
    }

    struct OneLine;
    impl SourceLookup for OneLine {
        fn line_text(&self, _: &str, _: usize) -> Option<&str> {
            Some("  new: [１2, 0]")
        }
    }

    #[test]
    fn human_rendering_splits_context_and_detail_and_points_at_column() {
        let d = Diagnostic::error("R05", "a.md", Some(Pos::at(4, 9)), "三, 一 新收", "bad");
        let s = render_human(&[d], false, &OneLine);
        assert_eq!(
            s,
            "error[R05]: a.md:4:9: 三, 一 新收:\n        bad\n  |\n4 |   new: [１2, 0]\n  |         ^\n\n"
        );
    }

    struct Hostile;
    impl SourceLookup for Hostile {
        fn line_text(&self, _: &str, _: usize) -> Option<&str> {
            Some("agency: 测\u{1b}[2J试\u{202e}局")
        }
    }

    #[test]
    fn user_text_reaches_the_terminal_escaped() {
        // The file name, the message (quoting a value) and the source line
        // all carry raw escapes; none is printed as it is, and the caret
        // still points at the column as shown.
        let d = Diagnostic::error(
            "R05",
            "content/a\u{1b}]0;x\u{7}.md",
            Some(Pos::at(3, 12)),
            "`agency` \u{9b}31m",
            "found \"x\u{1b}[31my\u{202e}z\u{2028}\"\tand\n",
        );
        let s = render_human(std::slice::from_ref(&d), false, &Hostile);
        assert!(!s.chars().any(|c| c != '\n' && !printable(c)), "unescaped in:\n{s:?}");
        assert_eq!(
            s,
            "error[R05]: content/a\\u{1b}]0;x\\u{7}.md:3:12: `agency` \\u{9b}31m:\n        \
             found \"x\\u{1b}[31my\\u{202e}z\\u{2028}\"\\tand\\n\n  |\n\
             3 | agency: 测\\u{1b}[2J试\\u{202e}局\n  |                  ^\n\n"
        );
        // JSON says the same, with the same characters as \u escapes.
        let j = render_json(std::slice::from_ref(&d), false);
        assert!(!j.chars().any(|c| c != '\n' && !printable(c)), "{j:?}");
        let back: serde_json::Value = serde_json::from_str(&j).unwrap();
        assert_eq!(back[0]["message"], d.message.as_str());
        assert_eq!(back[0]["file"], d.file.as_str());
        // Plain text is not copied.
        assert!(matches!(escape_terminal("测试局 ok"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_text_rule_and_the_names_of_characters() {
        assert_eq!(bad_control("测试\u{1b}局"), Some((2, '\u{1b}')));
        assert_eq!(bad_control("a\tb\nc\u{200f}"), None);
        for c in [
            '\0',
            '\u{7}',
            '\u{7f}',
            '\u{85}',
            '\u{9b}',
            '\u{202a}',
            '\u{202e}',
            '\u{2066}',
            '\u{2069}',
            '\u{2028}',
            '\u{fffe}',
            '\u{fdd0}',
            '\u{10ffff}',
        ] {
            assert!(forbidden_in_text(c), "{c:?}");
        }
        for c in ['中', 'a', ' ', '\u{200e}', '\u{200d}', '\u{3000}', '\u{e000}'] {
            assert!(!forbidden_in_text(c), "{c:?}");
        }
        assert_eq!(char_name('\u{1b}'), "U+001B (escape)");
        assert_eq!(char_name('\0'), "U+0000 (null)");
        assert_eq!(char_name('\u{202e}'), "U+202E (right-to-left override)");
        assert_eq!(char_name('中'), "U+4E2D");
    }

    #[test]
    fn strict_turns_warnings_into_errors() {
        let d = Diagnostic::warning("R09", "a.md", None, "", "late");
        assert!(!Tally::of(std::slice::from_ref(&d)).fails(false));
        assert!(Tally::of(std::slice::from_ref(&d)).fails(true));
        assert!(render_json(&[d], true).contains("\"severity\": \"error\""));
    }
}

/// The known key nearest to `key`, if one is near enough to be a likely typo.
pub fn did_you_mean<'a>(key: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(key, c), *c))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod suggest_tests {
    #[test]
    fn did_you_mean_finds_typos_only() {
        let keys = ["carried_over", "carried_forward", "new", "total"];
        assert_eq!(super::did_you_mean("carried_ovr", &keys), Some("carried_over"));
        assert_eq!(super::did_you_mean("totl", &keys), Some("total"));
        assert_eq!(super::did_you_mean("zzzzzz", &keys), None);
    }
}
