//! Unit tests of `diagnostics` (kept in their own file so the module stays short).

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
fn human_rendering_splits_context_and_detail_and_underlines_the_value() {
    // The value at the column is underlined as wide as it is shown (a
    // full-width digit takes two columns).
    let d = Diagnostic::new(Rule::R05, "a.md", Some(Pos::at(4, 9)), "三, 一 新收", "bad");
    let s = render_human(&[d], false, &OneLine);
    assert_eq!(
        s,
        "error[R05]: a.md:4:9: 三, 一 新收:\n        bad\n  |\n4 |   new: [１2, 0]\n  |         ^^^\n\n"
    );
    // Without a column, the line is shown as it is.
    let d = Diagnostic::new(Rule::R10, "a.md", Some(Pos::line(4)), "", "bad");
    let s = render_human(&[d], false, &OneLine);
    assert_eq!(s, "warning[R10]: a.md:4: bad\n  |\n4 |   new: [１2, 0]\n  |\n\n");
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
    let d = Diagnostic::new(
        Rule::R05,
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
         3 | agency: 测\\u{1b}[2J试\\u{202e}局\n  |                  ^^^^^^^^^^^^^^\n\n"
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

/// The text `token_at` picks out of `line` from the character `col` (1-based).
fn token(line: &str, col: usize) -> String {
    let chars: Vec<char> = line.chars().collect();
    let (s, e) = token_at(&chars, col - 1);
    chars[s..e].iter().collect()
}

#[test]
fn the_underline_covers_the_value_at_the_column() {
    let row = "  new: [12, 0, 3 , 0]";
    assert_eq!(token(row, 9), "12");
    assert_eq!(token(row, 16), "3");
    assert_eq!(token(row, 8), "[12, 0, 3 , 0]");
    assert_eq!(token("published: 2024-03-05   # late", 12), "2024-03-05");
    assert_eq!(token("agency: 测试局", 9), "测试局");
    // A key (F04 points at keys): up to its colon.
    assert_eq!(token("  carried_ovr: [1, 2]", 3), "carried_ovr");
    assert_eq!(token("url: http://x.cn/a:b", 6), "http://x.cn/a:b");
    // Quoted strings to their closing quote, escapes and all.
    assert_eq!(token(r#"x: ["1", "a\"b", 2]"#, 10), r#""a\"b""#);
    assert_eq!(token("x: 'it''s', y", 4), "'it''s'");
    assert_eq!(token("x: !!int \"5\"", 4), "!!int \"5\"");
    assert_eq!(token("x: {a: 1, b: [2, 3]}", 4), "{a: 1, b: [2, 3]}");
    // Never past the line, and at least one character where there is one.
    assert_eq!(token("x: \"open", 4), "\"open");
    assert_eq!(token("x: [1, 2", 4), "[1, 2");
    assert_eq!(token("x: [1, , 2]", 8), ",");
    let chars: Vec<char> = "ab".chars().collect();
    assert_eq!(token_at(&chars, 2), (2, 2));
    assert_eq!(token_at(&chars, 9), (2, 2));
}

struct Two;
impl SourceLookup for Two {
    fn line_text(&self, file: &str, line: usize) -> Option<&str> {
        match (file, line) {
            ("b.md", 17) => Some("  carried_over: [1, 0]"),
            ("a.md", 44) => Some("  carried_forward: [2, 0]"),
            ("a.md", 3) => Some("agency: 测\u{1b}[2J试"),
            _ => None,
        }
    }
}

#[test]
fn related_places_and_advice_are_shown_and_escaped() {
    let d = Diagnostic::new(
        Rule::R08,
        "b.md",
        Some(Pos::at(17, 18)),
        "二",
        "1 here, but 2 last year",
    )
    .with_related("a.md", Some(Pos::at(44, 21)), "last year's 四")
    .with_help("carry it over");
    assert_eq!(d.severity, Severity::Warning);
    let s = render_human(std::slice::from_ref(&d), false, &Two);
    assert_eq!(
        s,
        "warning[R08]: b.md:17:18: 二:\n        1 here, but 2 last year\n   |\n\
         17 |   carried_over: [1, 0]\n   |                  ^\n   |\n\
         \x20 ::: a.md:44:21\n   |\n\
         44 |   carried_forward: [2, 0]\n   |                     - last year's 四\n   |\n\
         \x20  = help: carry it over\n\n"
    );
    // A related place whose text is not at hand is named in a note; a
    // related line without a column is underlined whole. Labels, paths
    // and advice from the user are escaped like the rest.
    let d = Diagnostic::new(Rule::R07, "b.md", None, "", "two")
        .with_related("gone\u{1b}.md", Some(Pos::line(5)), "the first \u{9b}")
        .with_related("a.md", Some(Pos::line(3)), "named \u{202e}here")
        .with_help("keep one\u{7}");
    let s = render_human(std::slice::from_ref(&d), false, &Two);
    assert!(!s.chars().any(|c| c != '\n' && !printable(c)), "unescaped in:\n{s:?}");
    assert_eq!(
        s,
        "error[R07]: b.md: two\n \
         --> a.md:3:1\n  |\n\
         3 | agency: 测\\u{1b}[2J试\n  | --------------------- named \\u{202e}here\n  |\n\
         \x20 = note: the first \\u{9b}: gone\\u{1b}.md:5\n\
         \x20 = help: keep one\\u{7}\n\n"
    );
    // JSON carries both, the same characters as \u escapes.
    let j = render_json(std::slice::from_ref(&d), false);
    assert!(!j.chars().any(|c| c != '\n' && !printable(c)), "{j:?}");
    let back: serde_json::Value = serde_json::from_str(&j).unwrap();
    assert_eq!(back[0]["id"], "R07");
    assert_eq!(back[0]["help"], "keep one\u{7}");
    assert_eq!(back[0]["related"][0]["file"], "gone\u{1b}.md");
    assert_eq!(back[0]["related"][0]["line"], 5);
    assert_eq!(back[0]["related"][0]["column"], serde_json::Value::Null);
    assert_eq!(back[0]["related"][1]["label"], "named \u{202e}here");
    let plain = render_json(&[Diagnostic::new(Rule::F02, "c.md", None, "", "empty")], false);
    let back: serde_json::Value = serde_json::from_str(&plain).unwrap();
    assert_eq!(back[0]["help"], serde_json::Value::Null);
    assert_eq!(back[0]["related"], serde_json::json!([]));
}

#[test]
fn severity_comes_from_the_rule() {
    for &rule in Rule::ALL {
        assert_eq!(
            Diagnostic::new(rule, "a.md", None, "", "x").severity,
            rule.severity(),
            "{rule}"
        );
    }
}

#[test]
fn strict_turns_warnings_into_errors() {
    let d = Diagnostic::new(Rule::R09, "a.md", None, "", "late");
    assert!(!Tally::of(std::slice::from_ref(&d)).fails(false));
    assert!(Tally::of(std::slice::from_ref(&d)).fails(true));
    assert!(render_json(&[d], true).contains("\"severity\": \"error\""));
}

struct BodyLine;
impl SourceLookup for BodyLine {
    fn line_text(&self, _: &str, _: usize) -> Option<&str> {
        Some("全年收到申请81件，予以公开22件。")
    }
}

#[test]
fn a_width_underlines_that_many_characters_not_the_rest_of_the_line() {
    // A figure in the body's text: without a width, the plain "token" from
    // the column would run to the end of the line.
    let d = Diagnostic::new(Rule::R13, "a.md", Some(Pos::at(4, 7)), "", "bad").with_width(2);
    let s = render_human(&[d], false, &BodyLine);
    assert_eq!(
        s,
        "warning[R13]: a.md:4:7: bad\n  |\n4 | 全年收到申请81件，予以公开22件。\n  |             ^^\n\n"
    );
}
