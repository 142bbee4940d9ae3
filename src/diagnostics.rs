//! Diagnostics: the one currency in which every stage reports a problem with
//! the user's input. A [`Diagnostic`] carries the check id (R01-R12 from the
//! spec, F01-F06 for file-level problems), the severity, the file (relative to
//! the site root), the line and column, and a message in the spec's style. This
//! module also renders a run's diagnostics for people (with a source snippet, in
//! the manner of ruff) or as JSON, and decides the exit status they imply.

use std::fmt::Write as _;
use std::num::NonZeroU32;

use serde::Serialize;
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
pub fn render_human(diags: &[Diagnostic], strict: bool, sources: &dyn SourceLookup) -> String {
    let mut out = String::new();
    for d in diags {
        let sev = d.effective(strict).as_str();
        let _ = write!(out, "{sev}[{}]: {}: ", d.id, d.location());
        if d.detail_at > 0 {
            let _ = writeln!(out, "{}", d.message[..d.detail_at].trim_end());
            let _ = writeln!(out, "        {}", &d.message[d.detail_at..]);
        } else {
            let _ = writeln!(out, "{}", d.message);
        }
        if let Some(line) = d.line {
            if let Some(text) = sources.line_text(&d.file, line) {
                let num = line.to_string();
                let pad = " ".repeat(num.len());
                let _ = writeln!(out, "{pad} |");
                let _ = writeln!(out, "{num} | {}", text.trim_end());
                if let Some(col) = d.column {
                    let offset: usize = text
                        .chars()
                        .take(col.saturating_sub(1))
                        .map(|c| c.width().unwrap_or(0))
                        .sum();
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
    let mut s = serde_json::to_string_pretty(&items).expect("diagnostics serialize");
    s.push('\n');
    s
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
