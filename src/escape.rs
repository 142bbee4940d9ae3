//! The one way user text enters markup. Every piece of text from content
//! files (names, titles, headings, chart labels, …) that the build writes
//! into HTML or XML goes through [`push_html`] (or [`html`]): the template
//! engine uses it as its auto-escape function (see [`tera`]), and the HTML
//! the build writes itself (tables, charts, code blocks, a section written
//! twice) calls it directly. Markdown is turned into HTML by pulldown-cmark,
//! which escapes its own output, and raw HTML in Markdown is sanitized (see
//! [`crate::markdown`]).
//!
//! Escaping turns `& < > " '` into entities, so the text is safe in element
//! content and in quoted attribute values, in HTML and XML alike. It also
//! replaces the characters XML 1.0 cannot carry at all and HTML counts as
//! parse errors (C0 controls other than tab, line feed and carriage return,
//! DEL, C1 controls and the Unicode noncharacters) with U+FFFD, so a feed or
//! sitemap stays well-formed whatever a content file holds. Ordinary text
//! is unchanged apart from the five characters.
//!
//! [`json_script`] is for JSON inside a `<script>` element: it can never
//! close the element or open a comment there.
//!
//! At the bottom of the crate (it imports nothing from it): Markdown, the
//! theme's templates and the pages all escape through it.

use std::borrow::Cow;
use std::io::Write;

/// The replacement for a character markup cannot carry.
const REPLACEMENT: &str = "\u{FFFD}";

/// Whether `c` is a character that neither HTML nor XML 1.0 text should
/// hold: C0 controls but tab, LF and CR; DEL and the C1 controls; the
/// noncharacters (U+FDD0-U+FDEF and the last two code points of each plane).
pub fn forbidden(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
        || (0x7F..=0x9F).contains(&u)
        || (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE
}

/// The escape of one character, if it needs one.
fn replacement(c: char) -> Option<&'static str> {
    Some(match c {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        '"' => "&quot;",
        '\'' => "&#39;",
        c if forbidden(c) => REPLACEMENT,
        _ => return None,
    })
}

/// Whether a byte may start a character that needs escaping: the five
/// ASCII characters, controls (but tab, LF and CR), and the lead bytes of
/// C1 controls (0xC2) and of noncharacters (0xEF, 0xF0-0xF4). Other bytes
/// are copied as they are. A table, as the scan looks up every byte.
static MAYBE_SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let u = b as u8;
        t[b] = matches!(u, b'&' | b'<' | b'>' | b'"' | b'\'' | 0..=0x1F | 0x7F | 0xC2 | 0xEF | 0xF0..=0xF4)
            && !matches!(u, b'\t' | b'\n' | b'\r');
        b += 1;
    }
    t
};

/// The first character of `s` from byte `from` on that needs escaping: its
/// offset, its length and its escape.
fn next_special(s: &str, from: usize) -> Option<(usize, usize, &'static str)> {
    let bytes = s.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        // Eight bytes at a time while none may need escaping (Han text and
        // letters): a look-up each, no branch per byte (a byte at a time
        // this was 4 instructions a byte of Chinese text).
        while let Some(word) = bytes.get(i..i + 8) {
            if word.iter().fold(false, |any, &b| any | MAYBE_SPECIAL[b as usize]) {
                break;
            }
            i += 8;
        }
        let Some(&b) = bytes.get(i) else { break };
        if !MAYBE_SPECIAL[b as usize] {
            i += 1;
            continue;
        }
        // `i` is a character boundary: every byte skipped is ASCII or a lead
        // or continuation byte of a character copied whole. Full-width
        // punctuation (U+FF00…, lead 0xEF 0xBC/0xBD) and Latin-1 letters
        // (0xC2 0xA0…) are common and never escaped: only U+FDD0-U+FDEF
        // (0xEF 0xB7) and U+FFFE/U+FFFF (0xEF 0xBF), and the C1 controls
        // (0xC2 0x80-0x9F), can be.
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        if (b == 0xEF && !matches!(next, 0xB7 | 0xBF)) || (b == 0xC2 && next > 0x9F) {
            i += if b == 0xEF { 3 } else { 2 };
            continue;
        }
        let Some(c) = s.get(i..).and_then(|rest| rest.chars().next()) else {
            i += 1;
            continue;
        };
        if let Some(rep) = replacement(c) {
            return Some((i, c.len_utf8(), rep));
        }
        i += c.len_utf8();
    }
    None
}

/// Calls `emit` with the pieces of `s` escaped, in order.
fn each_piece<E>(s: &str, mut emit: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let mut last = 0;
    while let Some((at, len, rep)) = next_special(s, last) {
        emit(&s[last..at])?;
        emit(rep)?;
        last = at + len;
    }
    emit(&s[last..])
}

/// Appends `s` to `out`, escaped for HTML or XML text and attribute values.
pub fn push_html(out: &mut String, s: &str) {
    let _ = each_piece(s, |piece| {
        out.push_str(piece);
        Ok::<(), ()>(())
    });
}

/// `s` escaped for HTML or XML text and attribute values.
pub fn html(s: &str) -> Cow<'_, str> {
    if next_special(s, 0).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    push_html(&mut out, s);
    Cow::Owned(out)
}

/// The template engine's auto-escape function (`Tera::set_escape_fn`):
/// the same escaping as [`push_html`], for every `{{ value }}` of an HTML or
/// XML template that is not marked `safe`.
pub fn tera(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    each_piece(input, |piece| out.write_all(piece.as_bytes()))
}

/// JSON text made safe inside a `<script>` element: `<`, `>` and `&` as
/// `\u003c`, `\u003e` and `\u0026` (so neither `</script` nor `<!--` can
/// occur), and U+2028 and U+2029 escaped too. The JSON means the same.
pub fn json_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_characters_become_entities() {
        assert_eq!(html("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
        assert!(matches!(html("普通文字（全角）"), Cow::Borrowed(_)));
        assert_eq!(html("普通文字（全角）ＡＢＣ\u{FFEE}"), "普通文字（全角）ＡＢＣ\u{FFEE}");
    }

    #[test]
    fn characters_xml_cannot_carry_are_replaced() {
        assert_eq!(html("a\u{0}b\u{1}c\td\ne\rf"), "a\u{FFFD}b\u{FFFD}c\td\ne\rf");
        assert_eq!(html("\u{7F}\u{85}\u{9F}\u{A0}"), "\u{FFFD}\u{FFFD}\u{FFFD}\u{A0}");
        assert_eq!(
            html("\u{FDD0}\u{FFFE}\u{FFFF}\u{1FFFF}\u{10FFFE}"),
            "\u{FFFD}".repeat(5)
        );
        // Bidi controls, private use and astral characters are text.
        assert_eq!(html("\u{202E}\u{E000}\u{20000}😀"), "\u{202E}\u{E000}\u{20000}😀");
    }

    /// The byte scan finds exactly the characters `replacement` escapes:
    /// every code point, between plain text and next to full-width forms.
    #[test]
    fn the_scan_finds_every_character_that_needs_escaping() {
        let mut s = String::new();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            s.clear();
            s.push_str("年（");
            s.push(c);
            s.push('，');
            let found = next_special(&s, 0);
            let expect = replacement(c).map(|rep| ("年（".len(), c.len_utf8(), rep));
            assert_eq!(found, expect, "U+{:04X}", c as u32);
        }
    }

    /// The same at every offset from the start and from the scan's start,
    /// after Han text (which the scan passes eight bytes at a time): the
    /// steps skip nothing.
    #[test]
    fn the_scan_finds_every_character_that_needs_escaping_anywhere() {
        let specials: Vec<char> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| replacement(c).is_some())
            .step_by(7)
            .chain(['<', '&', '\'', '\u{1}', '\u{FFFF}', '\u{85}', '\u{FDD0}'])
            .collect();
        for lead in 0..8 {
            for han in 0..9 {
                // Every length from 0 to 31 bytes.
                let mut prefix = "a".repeat(lead);
                prefix.push_str(&"信".repeat(han));
                for &c in &specials {
                    let s = format!("{prefix}{c}，信息。");
                    for from in [0, lead] {
                        let expect = replacement(c).map(|rep| (prefix.len(), c.len_utf8(), rep));
                        assert_eq!(next_special(&s, from), expect, "U+{:04X} after {prefix:?}", c as u32);
                    }
                }
                let plain = format!("{prefix}信息公开，（一）ａ·é");
                assert_eq!(next_special(&plain, 0), None);
            }
        }
    }

    #[test]
    fn the_template_escape_is_the_same_function() {
        let s = "<script>\u{1}&'\"</script>测试";
        let mut out = Vec::new();
        tera(s, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), html(s));
    }

    #[test]
    fn json_cannot_close_a_script_element() {
        let j = json_script(r#"{"a":"</script><!--&","b":"\u2028"}"#);
        assert!(!j.contains('<') && !j.contains('>') && !j.contains('&'), "{j}");
        let v: serde_json::Value = serde_json::from_str(&j).unwrap();
        assert_eq!(v["a"], "</script><!--&");
    }
}
