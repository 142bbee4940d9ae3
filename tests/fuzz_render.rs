//! Fuzz harnesses of what turns content text into markup and data (see
//! `tests/common/fuzz.rs`). Besides not panicking or hanging:
//!
//! - `markdown`: a report body and a page, with raw HTML not allowed, never
//!   hold a `<script` or an `on…=` attribute inside a tag, nor a link to
//!   `javascript:`;
//! - `escape`: escaped text holds none of `< > " '`, no `&` but in an
//!   entity, and no character XML 1.0 cannot carry; a CSV text field never
//!   begins with a formula character;
//! - `search_text`: the search index's view of Markdown, and its terms.
//!
//! Run: `GONGKAI_FUZZ_SECS=120 cargo test --release --test fuzz_render -- --ignored --nocapture`.

use gongkai::markdown::{render_page, render_report_body, MarkdownOptions};
use gongkai::render::escape;

mod common;
use common::fuzz;

const SAFE: MarkdownOptions = MarkdownOptions { allow_raw_html: false };

const DICT: &[&[u8]] = &[
    b"## ",
    "## 一、".as_bytes(),
    "## 五、".as_bytes(),
    "## 六、".as_bytes(),
    b"### ",
    b"\n\n",
    b"<script>",
    b"</script>",
    b"<img src=x onerror=alert(1)>",
    b"<svg onload=alert(1)>",
    b"javascript:",
    b"&#106;avascript:",
    b"data:text/html,",
    b"[a](",
    b"![a](",
    b"[r]: ",
    b"<",
    b">",
    b"\"",
    b"'",
    b"`",
    b"```",
    b"&lt;",
    b"&#x3C;",
    b"\\",
    "\u{E000}".as_bytes(),
    b"\x00",
    b"\x01",
    "\u{202E}".as_bytes(),
    b"[^1]",
    b"[^1]: ",
    b"| a | b |\n|---|---|\n",
    b"> ",
    b"- ",
];

/// Whether `html` has, inside a tag, an attribute that runs script or a
/// `<script` element (a cheap scan: text is escaped, so `<` opens a tag).
fn script_in(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    for (at, _) in lower.match_indices('<') {
        let end = lower[at..].find('>').map_or(lower.len(), |e| at + e);
        let tag = &lower[at..end];
        let tag_name: String = tag[1..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if tag_name == "script" {
            return Some(tag.to_string());
        }
        // Attribute names: a space, then letters, then `=`.
        for (i, _) in tag.match_indices(" on") {
            let rest = &tag[i + 3..];
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            if !name.is_empty() && rest[name.len()..].starts_with('=') && !in_quotes(tag, i) {
                return Some(tag.to_string());
            }
        }
        for attr in ["href=\"", "src=\""] {
            for (i, _) in tag.match_indices(attr) {
                let value: String = tag[i + attr.len()..]
                    .chars()
                    .take_while(|&c| c != '"')
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect();
                if !in_quotes(tag, i)
                    && (value.starts_with("javascript:")
                        || value.starts_with("vbscript:")
                        || value.starts_with("data:"))
                {
                    return Some(tag.to_string());
                }
            }
        }
    }
    None
}

/// Whether byte `i` of a tag is inside a quoted attribute value.
fn in_quotes(tag: &str, i: usize) -> bool {
    tag[..i].matches('"').count() % 2 == 1
}

#[test]
#[ignore]
fn fuzz_markdown() {
    let n = fuzz::run("markdown", Vec::new(), DICT, |bytes| {
        let text = String::from_utf8_lossy(bytes);
        let body = render_report_body(&text, "../../../", SAFE);
        for html in std::iter::once(&body.intro).chain(body.sections.iter().map(|s| &s.html)) {
            if let Some(tag) = script_in(html) {
                panic!("script in a report body: {tag}");
            }
        }
        let page = render_page(&text, "", SAFE);
        if let Some(tag) = script_in(&page) {
            panic!("script in a page: {tag}");
        }
        let _ = render_page(&text, "", MarkdownOptions { allow_raw_html: true });
    });
    eprintln!("fuzz markdown: {n} inputs");
}

#[test]
#[ignore]
fn fuzz_escape() {
    let n = fuzz::run("escape", Vec::new(), DICT, |bytes| {
        let text = String::from_utf8_lossy(bytes);
        let e = escape::html(&text);
        assert!(!e.contains(['<', '>', '"', '\'']), "{e:?}");
        assert!(!e.chars().any(escape::forbidden), "{e:?}");
        for (at, _) in e.match_indices('&') {
            let rest = &e[at..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|x| rest.starts_with(x)),
                "{e:?}"
            );
        }
        let csv = gongkai::data::csv_text(&text);
        assert!(!csv.starts_with(['=', '+', '-', '@', '\t', '\r']), "{csv:?}");
        let json = escape::json_script(&serde_json::to_string(&text).expect("a string serializes"));
        assert!(!json.contains(['<', '>', '&']), "{json:?}");
        assert_eq!(serde_json::from_str::<String>(&json).expect("still JSON"), text);
    });
    eprintln!("fuzz escape: {n} inputs");
}

#[test]
#[ignore]
fn fuzz_search_text() {
    let n = fuzz::run("markdown", Vec::new(), DICT, |bytes| {
        let text = String::from_utf8_lossy(bytes);
        let plain = gongkai::search::markdown_text(&text);
        let _ = gongkai::search::terms(&plain, false);
        let _ = gongkai::search::terms(&gongkai::search::fold(&text), true);
    });
    eprintln!("fuzz search_text: {n} inputs");
}
