//! What parsing a page would cost, told before it is parsed. html5ever
//! follows the HTML standard, and two of its steps cost more than the
//! page's size on hostile input: each start tag looks down the stack of
//! open elements (so nesting d deep costs d² steps), and formatting elements
//! (`<b>`, `<font>`, …) left open are re-created after every block that
//! closes them ("reconstruct the active formatting elements"; distinct
//! attributes defeat the standard's cap of three alike), so a short page
//! can build billions of nodes. This scan (hand-written, one pass over the
//! tags, no tree) follows both as the parser would, near enough, and
//! refuses a page past [`MAX_DEPTH`] or [`MAX_REBUILT`]. A real page nests
//! a few dozen deep and re-creates a few thousand elements at most.

use rustc_hash::FxHashMap;

/// The deepest nesting read (of elements that need an end tag).
pub const MAX_DEPTH: usize = 5_000;
/// The most formatting elements the parser may re-create.
pub const MAX_REBUILT: usize = 1_000_000;

/// Formatting elements: the parser re-creates them when a block closes them.
const FORMATTING: [&str; 14] = [
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Elements without end tags, or whose end tags may be left out: they do
/// not count as nesting.
const UNNESTED: &str = " area base br col embed hr img input link meta param source track wbr \
    p li dt dd tr td th tbody thead tfoot option optgroup colgroup caption rb rt rp rtc html head body ";

/// Elements whose content is text up to their end tag.
const RAW: [&str; 9] = [
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

fn unnested(name: &str) -> bool {
    UNNESTED.split_ascii_whitespace().any(|u| u == name)
}

/// `Err` with a message when parsing `html` would cost past the limits.
pub fn check(html: &str) -> Result<(), String> {
    let b = html.as_bytes();
    let mut i = 0;
    let mut depth = 0usize;
    // The open formatting elements: how many of each (tag, attributes),
    // at most three alike; for each name, its entries' keys in order.
    let mut alike: FxHashMap<&[u8], usize> = FxHashMap::default();
    let mut by_name: FxHashMap<Vec<u8>, Vec<&[u8]>> = FxHashMap::default();
    let mut open = 0usize;
    let mut closed_block = false;
    let mut rebuilt = 0usize;
    let mut rebuild = |closed_block: &mut bool, open: usize| {
        if *closed_block {
            rebuilt += open;
            *closed_block = false;
        }
        rebuilt
    };
    while i < b.len() {
        if b[i] != b'<' {
            if !b[i].is_ascii_whitespace() && rebuild(&mut closed_block, open) > MAX_REBUILT {
                return Err(too_costly());
            }
            // Skip to the next tag.
            i += b[i..].iter().position(|&c| c == b'<').unwrap_or(b.len() - i);
            continue;
        }
        let rest = &b[i + 1..];
        if rest.starts_with(b"!--") {
            i = find(b, i + 4, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        let end_tag = rest.first() == Some(&b'/');
        let name_start = i + 1 + usize::from(end_tag);
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = if matches!(rest.first(), Some(b'!' | b'?')) {
                find(b, i, b">").map_or(b.len(), |e| e + 1)
            } else {
                i + 1
            };
            continue;
        }
        let name_end = b[name_start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .map_or(b.len(), |p| name_start + p);
        let name = b[name_start..name_end].to_ascii_lowercase();
        let tag_end = find(b, name_end, b">").map_or(b.len(), |e| e + 1);
        let name_str = std::str::from_utf8(&name).unwrap_or("");
        let formatting = FORMATTING.contains(&name_str);
        if end_tag {
            if formatting {
                if let Some(key) = by_name.get_mut(&name).and_then(Vec::pop) {
                    if let Some(n) = alike.get_mut(key) {
                        *n = n.saturating_sub(1);
                    }
                    open = open.saturating_sub(1);
                }
            } else {
                closed_block |= open > 0;
                if !unnested(name_str) && !formatting {
                    depth = depth.saturating_sub(1);
                }
            }
        } else {
            if rebuild(&mut closed_block, open) > MAX_REBUILT {
                return Err(too_costly());
            }
            if formatting {
                let key = &b[name_start..tag_end];
                let n = alike.entry(key).or_default();
                if *n < 3 {
                    *n += 1;
                    open += 1;
                    by_name.entry(name.clone()).or_default().push(key);
                }
            }
            if !unnested(name_str) && !formatting {
                depth += 1;
            }
            // Formatting elements nest too, as many as stay open.
            if depth + open > MAX_DEPTH {
                return Err(t!("import.html.depth", depth = MAX_DEPTH).into_owned());
            }
            if RAW.contains(&name_str) {
                // The element's text, to its end tag, is no markup.
                let mut close = b"</".to_vec();
                close.extend_from_slice(&name);
                // Its end tag is read next, as an end tag.
                i = find_ignore_case(b, tag_end, &close).unwrap_or(b.len());
                continue;
            }
        }
        i = tag_end.max(i + 1);
    }
    Ok(())
}

fn too_costly() -> String {
    t!("import.html.rebuilt", count = MAX_REBUILT).into_owned()
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn find_ignore_case(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_pages_pass() {
        for page in [
            "<html><body><div><p><font size=3>一<p>二</font></div><script>if (a<b) document.write('<div>')</script></body></html>",
            "<table><tr><td><b>1</b><td><i>2</i></table>",
            "<!-- <div><div><div> --><p>文</p>",
        ] {
            assert!(check(page).is_ok(), "{page}");
        }
        // Many unclosed <font>s alike: the parser keeps three.
        let sloppy = "<p><font size=3>段落".repeat(10_000);
        assert!(check(&sloppy).is_ok());
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = "<div>".repeat(MAX_DEPTH + 1);
        assert!(check(&deep).unwrap_err().contains("over 5000 deep"));
        assert!(check(&"<div>".repeat(MAX_DEPTH)).is_ok());
        // Closed elements do not add up.
        assert!(check(&"<div><span>x</span></div>".repeat(100_000)).is_ok());
    }

    #[test]
    fn formatting_re_created_without_end_is_refused() {
        let open: String = (0..2000).map(|i| format!("<b id={i}>")).collect();
        let page = format!("{open}{}", "</div><div>x".repeat(600));
        assert!(check(&page).unwrap_err().contains("re-create"));
        // The same, its elements closed: fine.
        let closed = format!("{open}{}{}", "</b>".repeat(2000), "</div><div>x".repeat(600));
        assert!(check(&closed).is_ok());
    }
}
