//! Diagnostics: the one currency in which every stage reports a problem with
//! the user's input. A [`Diagnostic`] carries its rule (an id from the
//! registry in [`crate::rules`], whose severity it takes), the file (relative
//! to the site root), the line and column, a message in the spec's style, and
//! where there is one, advice (`help`) and related places in other files (R08
//! points at last year's figure). This module also renders a run's
//! diagnostics for people (the spec's first lines, then the source line with
//! the value underlined, through `annotate-snippets` as ruff does) or as JSON,
//! and decides the exit status they imply.
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
use std::ops::Range;

use annotate_snippets::{Annotation, AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

pub use crate::rules::{Rule, Severity};

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
    /// The rule, shown (and serialized) as its id: `R01`, `F07`, `run`.
    pub id: Rule,
    /// The rule's severity, set from the registry. (`import` alone shows a
    /// source's errors as warnings, on the file it wrote.)
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
    /// How many characters from `column` the human output underlines, when
    /// that is not the YAML token there ([`token_at`]): a figure in the
    /// body's text (R13). `None`: the token.
    #[serde(skip)]
    pub width: Option<usize>,
    /// Places elsewhere that the problem involves (the other report).
    pub related: Vec<Related>,
    /// What to do about it, when the message has advice.
    pub help: Option<String>,
}

/// A place in another file (or elsewhere in the same one) that a diagnostic
/// involves, with what it is there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub label: String,
}

impl Diagnostic {
    /// A diagnostic of `rule`, with its severity, whose message is
    /// `context: detail`; the human renderer puts the detail on a line of its
    /// own, like the spec's example.
    pub fn new(rule: Rule, file: &str, pos: Option<Pos>, context: &str, detail: &str) -> Diagnostic {
        let (message, detail_at) = if context.is_empty() {
            (detail.to_string(), 0)
        } else {
            // `: ` in English, the full-width `：` in Chinese.
            let sep = t!("diag.context_sep");
            (format!("{context}{sep}{detail}"), context.len() + sep.len())
        };
        Diagnostic {
            id: rule,
            severity: rule.severity(),
            file: file.to_string(),
            line: pos.map(Pos::line_no),
            column: pos.and_then(Pos::column),
            message,
            detail_at,
            width: None,
            related: Vec::new(),
            help: None,
        }
    }

    /// Adds a related place: `label` says what is at `pos` of `file`.
    pub fn with_related(mut self, file: &str, pos: Option<Pos>, label: &str) -> Diagnostic {
        self.related.push(Related {
            file: file.to_string(),
            line: pos.map(Pos::line_no),
            column: pos.and_then(Pos::column),
            label: label.to_string(),
        });
        self
    }

    /// Underlines `chars` characters from the column, instead of the YAML
    /// token that starts there.
    pub fn with_width(mut self, chars: usize) -> Diagnostic {
        self.width = Some(chars);
        self
    }

    /// Adds advice: what to do about the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// `file:line:column` as far as known.
    pub fn location(&self) -> String {
        location(&self.file, self.line, self.column)
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

fn location(file: &str, line: Option<usize>, column: Option<usize>) -> String {
    let mut s = file.to_string();
    if let Some(l) = line {
        let _ = write!(s, ":{l}");
        if let Some(c) = column {
            let _ = write!(s, ":{c}");
        }
    }
    s
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

/// Renders diagnostics for a person: the spec's two lines (location and
/// labels, then what is wrong), then, through `annotate-snippets`, the
/// source line with the value underlined, the related places in other files
/// with their labels, and the advice:
///
/// ```text
/// warning[R08]: content/reports/zhongren/2023.md:31:18: 三、…, 二、上年结转政府信息公开申请数量, column 自然人:
///         12 here, but the 2022 report's 四、结转下年度继续办理 is 3 (content/reports/zhongren/2022.md:40)
///    |
/// 31 |   carried_over: [12, 0, 0, 0, 0, 0, 12]
///    |                  ^^
///    |
///   ::: content/reports/zhongren/2022.md:40:21
///    |
/// 40 |   carried_forward: [3, 0, 0, 0, 0, 0, 3]
///    |                     - the 2022 report's 四、结转下年度继续办理
/// ```
///
/// Every piece of text that came from the user (the file names, the
/// message, which may quote values, the source lines, labels and advice)
/// goes through [`escape_terminal`] before the renderer sees it.
pub fn render_human(diags: &[Diagnostic], strict: bool, sources: &dyn SourceLookup) -> String {
    let mut out = String::new();
    let renderer = Renderer::plain();
    for d in diags {
        let sev = d.effective(strict);
        let _ = write!(
            out,
            "{}[{}]: {}: ",
            severity_word(sev),
            d.id,
            escape_terminal(&d.location())
        );
        match d.message.get(..d.detail_at).filter(|_| d.detail_at > 0) {
            Some(context) => {
                let _ = writeln!(out, "{}", escape_terminal(context.trim_end()));
                let _ = writeln!(out, "        {}", escape_terminal(&d.message[d.detail_at..]));
            }
            None => {
                let _ = writeln!(out, "{}", escape_terminal(&d.message));
            }
        }
        let body = snippets(d, sources);
        if !body.is_empty() {
            let level = match sev {
                Severity::Error => Level::ERROR,
                Severity::Warning => Level::WARNING,
            }
            .with_name(severity_word(sev));
            let group = Group::with_level(level).elements(body);
            let _ = writeln!(out, "{}", renderer.render(&[group]));
        }
        out.push('\n');
    }
    out
}

/// The word the human output gives a severity, in the language of the run
/// (`error`, `错误`); JSON keeps `error` and `warning`.
pub fn severity_word(sev: Severity) -> String {
    match sev {
        Severity::Error => t!("common.error"),
        Severity::Warning => t!("common.warning"),
    }
    .into_owned()
}

/// What the renderer shows under a diagnostic's first lines: its source
/// line (the value underlined), each related place (its line with the
/// label, or after them a note naming it when its text is not at hand), the
/// advice.
fn snippets<'a>(d: &Diagnostic, sources: &'a dyn SourceLookup) -> Vec<annotate_snippets::Element<'a>> {
    let mut out: Vec<annotate_snippets::Element> = Vec::new();
    let mut notes = Vec::new();
    if let Some((line, text)) = d.line.and_then(|l| Some((l, sources.line_text(&d.file, l)?))) {
        let (shown, span) = shown_line(text, d.column, d.width);
        let snippet = Snippet::source(shown).line_start(line).fold(false);
        out.push(match span {
            Some(span) => snippet.annotation(AnnotationKind::Primary.span(span)).into(),
            None => snippet.into(),
        });
    }
    for r in &d.related {
        let label = escape_terminal(&r.label).into_owned();
        match r.line.and_then(|l| Some((l, sources.line_text(&r.file, l)?))) {
            Some((line, text)) => {
                let (shown, span) = shown_line(text, r.column, None);
                // A place without a column is the whole line.
                let span = span.unwrap_or_else(|| {
                    let start = shown.len() - shown.trim_start().len();
                    start..shown.len().max(start)
                });
                let snippet: Snippet<Annotation> = Snippet::source(shown)
                    .line_start(line)
                    .path(escape_terminal(&r.file).into_owned())
                    .annotation(AnnotationKind::Context.span(span).label(label));
                out.push(snippet.into());
            }
            None => {
                let at = escape_terminal(&location(&r.file, r.line, r.column)).into_owned();
                notes.push(
                    Level::NOTE
                        .with_name(t!("diag.note").into_owned())
                        .message(format!("{label}: {at}"))
                        .into(),
                );
            }
        }
    }
    out.append(&mut notes);
    if let Some(help) = &d.help {
        out.push(
            Level::HELP
                .with_name(t!("diag.help").into_owned())
                .message(escape_terminal(help).into_owned())
                .into(),
        );
    }
    out
}

/// A source line as it is shown (escaped, trailing white space cut) and,
/// when the column is known, the byte range of the shown line to underline:
/// `width` characters from the column when given, else the YAML value (or
/// key) that starts at the column ([`token_at`]).
fn shown_line(text: &str, column: Option<usize>, width: Option<usize>) -> (String, Option<Range<usize>>) {
    let text = text.trim_end();
    let shown = escape_terminal(text).into_owned();
    let span = column.map(|col| {
        let chars: Vec<char> = text.chars().collect();
        let start = col.saturating_sub(1).min(chars.len());
        let (start, end) = match width {
            Some(w) => (start, start.saturating_add(w.max(1)).min(chars.len())),
            None => token_at(&chars, start),
        };
        // Escaping works character by character: the escaped prefix is the
        // prefix of the escaped line.
        let escaped_len = |cs: &[char]| escape_terminal(&cs.iter().collect::<String>()).len();
        let from = escaped_len(&chars[..start]);
        from..from + escaped_len(&chars[start..end])
    });
    (shown, span)
}

/// The characters `start..end` of the YAML token that starts at character
/// `start` of a line: a quoted string to its closing quote, a `[...]` or
/// `{...}` to its closing bracket, a plain value to the end of the line, a
/// comment, a `key:` colon or, inside brackets, the next `,` `]` or `}`.
/// At least one character when the line has one there; never past the line.
fn token_at(chars: &[char], start: usize) -> (usize, usize) {
    let n = chars.len();
    if start >= n {
        return (n, n);
    }
    let in_flow = chars[..start].iter().fold(0i32, |depth, &c| match c {
        '[' | '{' => depth + 1,
        ']' | '}' => (depth - 1).max(0),
        _ => depth,
    }) > 0;
    let end = match chars[start] {
        q @ ('"' | '\'') => {
            let mut i = start + 1;
            loop {
                match chars.get(i) {
                    None => break n,
                    Some('\\') if q == '"' => i += 2,
                    Some(&c) if c == q && q == '\'' && chars.get(i + 1) == Some(&'\'') => i += 2,
                    Some(&c) if c == q => break i + 1,
                    Some(_) => i += 1,
                }
            }
        }
        open @ ('[' | '{') => {
            let close = if open == '[' { ']' } else { '}' };
            let mut depth = 0;
            let mut end = n;
            for (i, &c) in chars.iter().enumerate().skip(start) {
                if c == open {
                    depth += 1;
                } else if c == close {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
            }
            end
        }
        _ => {
            let mut end = n;
            for i in start..n {
                let c = chars[i];
                let next_blank = chars.get(i + 1).is_none_or(|c| c.is_whitespace());
                let stop = (in_flow && matches!(c, ',' | ']' | '}'))
                    || (c == ':' && next_blank && i > start)
                    || (c == '#' && i > start && chars[i - 1].is_whitespace());
                if stop {
                    end = i;
                    break;
                }
            }
            while end > start && chars[end - 1].is_whitespace() {
                end -= 1;
            }
            end
        }
    };
    (start, end.min(n).max(start + 1))
}

/// Renders diagnostics as a JSON array of `{id, severity, file, line, column,
/// message, help, related}` (`help` null when there is no advice, `related`
/// a list of `{file, line, column, label}`). Under `strict`, warnings are
/// reported with severity `error`, as they count.
pub fn render_json(diags: &[Diagnostic], strict: bool) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        id: &'a str,
        severity: Severity,
        file: &'a str,
        line: Option<usize>,
        column: Option<usize>,
        message: &'a str,
        help: Option<&'a str>,
        related: &'a [Related],
    }
    let items: Vec<Out> = diags
        .iter()
        .map(|d| Out {
            id: d.id.as_str(),
            severity: d.effective(strict),
            file: &d.file,
            line: d.line,
            column: d.column,
            message: &d.message,
            help: d.help.as_deref(),
            related: &d.related,
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
#[path = "diagnostics/tests.rs"]
mod tests;

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
