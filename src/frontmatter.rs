//! Front matter: splits a content file into its YAML front matter and its
//! Markdown body, and parses the YAML into a small tree of [`Node`]s that carry
//! the line and column each key and value came from.
//!
//! This is the only module that knows about `serde_yaml`; everything after it
//! works on [`Node`], so the YAML library can be swapped here alone.
//! `serde_yaml` reports positions for syntax errors but not for values, so the
//! positions of keys and values are recovered by [`Locator`], a small scan of
//! the block-style YAML that content files use (keys, `- ` items, one-line
//! `[...]` and `{...}` collections). No YAML crate on crates.io gives both
//! serde_yaml's parsing and value spans, hence this hand-written part.
//!
//! Problems are placed where they are, never at the start of the front
//! matter: a character YAML cannot read (NUL, ESC, a C1 control, U+2028…) at
//! its own line and column, a key written twice in one block at its second
//! occurrence. What YAML reads but no content file needs is kept for the
//! report model to refuse with its position: integers beyond 64 bits
//! ([`Value::BigInt`]) and tagged values ([`Node::tag`]).
//!
//! Front matter as gongkai writes it (and as nearly every content file is)
//! is a small, regular subset of YAML: block mappings with plain keys, and
//! values that are one-line scalars, `[…]` lists or `{…}` maps of them.
//! Such a document is read by [`simple`] in one pass over its lines, tree
//! and positions together (the positions the [`Locator`] gives), at a
//! fraction of libyaml's cost (front matter was about half of the time
//! spent reading a site). It is taken only when every line and every
//! scalar is one whose meaning is beyond doubt (a number in plain decimal,
//! a date, text that YAML cannot take for anything else); any other
//! document, and every error, goes to serde_yaml and the locator as
//! before. The readings are compared, positions included, on generated
//! documents and on every content file of the fixtures
//! (`frontmatter/tests.rs`).

use std::collections::HashMap;

/// A parsed YAML value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer too large for 64 bits, as written: no count can be one.
    BigInt(String),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Value {
    /// What kind of value this is, for messages.
    pub fn kind(&self) -> String {
        match self {
            Value::Null => t!("diag.kind.null"),
            Value::Bool(_) => t!("diag.kind.bool"),
            Value::Int(_) => t!("diag.kind.int"),
            Value::BigInt(_) => t!("diag.kind.bigint"),
            Value::Float(_) => t!("diag.kind.float"),
            Value::Str(_) => t!("diag.kind.str"),
            Value::Seq(_) => t!("diag.kind.seq"),
            Value::Map(_) => t!("diag.kind.map"),
        }
        .into_owned()
    }
}

/// Where a node came from: 1-based line and column in the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Loc {
    pub line: usize,
    /// Column of the value (of the key, for a block written below its key).
    pub column: usize,
    /// Column of the node's key (of the `-` or the value, for a list element).
    pub key_column: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub loc: Loc,
    /// For a list written on one line, a string, a decimal number or any
    /// tagged value, its text as written (`[1,234, 0]`, `"12"`, `4068.208`,
    /// `!!int "5"`), so that messages can point out what was meant.
    pub raw: Option<Box<str>>,
}

impl Node {
    /// Where the value is.
    pub fn pos(&self) -> crate::diagnostics::Pos {
        crate::diagnostics::Pos::at(self.loc.line, self.loc.column)
    }

    /// Where the node's key is (for messages about the key itself).
    pub fn key_pos(&self) -> crate::diagnostics::Pos {
        crate::diagnostics::Pos::at(self.loc.line, self.loc.key_column.max(1))
    }

    /// The YAML tag the value was written with (`!!int`, `!!binary`, `!x`),
    /// if any: YAML resolves tags silently, content files take plain values.
    pub fn tag(&self) -> Option<&str> {
        tag_of(self.raw.as_deref()?)
    }
}

/// The tag among the properties (`&anchor`, `!tag`) that open a value's text.
fn tag_of(raw: &str) -> Option<&str> {
    let mut rest = raw;
    while let Some(first) = rest.chars().next().filter(|&c| c == '!' || c == '&') {
        let end = rest.find([' ', '\t']).unwrap_or(rest.len());
        if first == '!' {
            return Some(&rest[..end]);
        }
        rest = rest[end..].trim_start();
    }
    None
}

/// A content file cut in two.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// File line (1-based) of the first line of `yaml`.
    pub yaml_line: usize,
    pub body: &'a str,
    /// File line (1-based) of the first line of `body`.
    pub body_line: usize,
}

/// Why a file could not be cut into front matter and body.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    Empty,
    NoOpeningFence,
    NoClosingFence,
}

impl SplitError {
    pub fn message(&self) -> String {
        match self {
            SplitError::Empty => t!("diag.f02.empty"),
            SplitError::NoOpeningFence => t!("diag.f02.no_front_matter"),
            SplitError::NoClosingFence => t!("diag.f02.not_closed"),
        }
        .into_owned()
    }
}

/// Cuts `text` (already without BOM, with `\n` line ends) at its `---` fences.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    // A fence is `---` and white space: a line that starts otherwise needs
    // no trimming to be told apart.
    let fence = |line: &str| line.starts_with("---") && line.trim_end() == "---";
    let first = text.split_inclusive('\n').next().unwrap_or("");
    if !fence(first) {
        return Err(SplitError::NoOpeningFence);
    }
    let yaml_start = first.len();
    // The closing fence is the first line after the first that starts with
    // `---`: the lines found after a `\n---` (a search a few bytes an
    // instruction), not each line of the front matter in turn.
    let bytes = text.as_bytes();
    for at in memchr::memmem::find_iter(&bytes[yaml_start.saturating_sub(1)..], b"\n---") {
        let offset = yaml_start.saturating_sub(1) + at + 1;
        let line = text[offset..].split_inclusive('\n').next().unwrap_or("");
        if fence(line) {
            let line_no = 1 + memchr::memchr_iter(b'\n', &bytes[..offset]).count();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + line.len()..],
                body_line: line_no + 1,
            });
        }
    }
    Err(SplitError::NoClosingFence)
}

/// A YAML syntax error, placed in the file.
#[derive(Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub column: Option<usize>,
    pub message: String,
}

/// Parses front matter `yaml` whose first line is file line `first_line`.
/// Empty front matter gives an empty mapping.
pub fn parse(yaml: &str, first_line: usize) -> Result<Node, SyntaxError> {
    let classes = byte_classes(yaml);
    if let Some(e) = (classes & RARE != 0).then(|| unreadable(yaml, first_line)).flatten() {
        return Err(e);
    }
    let (mut node, repeats) = match simple(yaml, first_line, classes) {
        Some(read) => read,
        None => (by_serde_yaml(yaml, first_line)?, true),
    };
    if let Some(e) = repeats.then(|| duplicate_key(&node)).flatten() {
        return Err(e);
    }
    if node.value == Value::Null {
        node.value = Value::Map(Vec::new());
    }
    Ok(node)
}

/// The document read by serde_yaml, placed by the [`Locator`]'s scan.
fn by_serde_yaml(yaml: &str, first_line: usize) -> Result<Node, SyntaxError> {
    let locator = Locator::scan(yaml, first_line);
    let Tree(value) = serde_yaml::from_str(yaml).map_err(|e| syntax_error(&e, first_line))?;
    let root_loc = Loc {
        line: first_line,
        column: 1,
        key_column: 1,
    };
    let mut node = Node {
        value,
        loc: root_loc,
        raw: None,
    };
    place(&mut node, &locator, Some(0), root_loc);
    Ok(node)
}

/// The document read without libyaml, when it is in the subset whose
/// reading is beyond doubt (see the module's comment): the tree, with the
/// positions and texts [`place`] gives, in one pass over the lines (it is
/// about a tenth of the cost of scanning, reading and placing apart).
/// `None` sends the document to serde_yaml.
///
/// Every line is blank, a comment, or `key:` / `key: value` with a plain
/// ASCII key, indented as a block mapping must be (a line opening a block
/// under `key:` deeper than the key, every other line at the indentation of
/// an open block), its value a scalar [`simple_scalar`] reads, or a
/// one-line `[…]` of them, or a one-line `{key: scalar, …}`. A tab or a
/// carriage return anywhere sends the document to serde_yaml (content files
/// have neither in their front matter: line ends are made `\n` when a file
/// is read), so that, [`unreadable`] having refused the rest, no control
/// character is left in any value read here; so does white space beyond
/// ASCII ([`plain_spacing`]). With the tree, whether a key
/// is written twice in a block (for [`duplicate_key`] to say where).
/// `classes` are the document's [`byte_classes`] (the checks for which a
/// document holds none of the bytes they look for are skipped).
fn simple(yaml: &str, first_line: usize, classes: u8) -> Option<(Node, bool)> {
    if classes & RARE != 0 && !plain_spacing(yaml) {
        return None;
    }
    let comments = classes & HASH != 0;
    // The open blocks: their indentation and entries, the root first.
    let mut blocks: Vec<(usize, Vec<(String, Node)>)> = Vec::new();
    // Whether the last key line was `key:` (which may open a block).
    let mut opened = false;
    let mut repeats = false;
    for (i, raw) in yaml.lines().enumerate() {
        if raw.starts_with("---") || raw.starts_with("...") || raw.starts_with('%') {
            return None;
        }
        // Without its comment and white space at its end: blank if empty.
        let line = if comments { strip_comment(raw) } else { raw.trim_end() };
        if line.is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        match blocks.last() {
            None if indent == 0 => blocks.push((0, Vec::with_capacity(16))),
            None => return None,
            Some(&(top, _)) if opened && indent > top => blocks.push((indent, Vec::with_capacity(8))),
            Some(_) => {
                while blocks.last().is_some_and(|&(b, _)| b > indent) {
                    close_block(&mut blocks);
                }
                if blocks.last().map(|&(b, _)| b) != Some(indent) {
                    return None;
                }
            }
        }
        let rest = &line[indent..];
        let (key, value, value_off) = simple_key_line(rest)?;
        let line = Columns::of(first_line + i, line);
        opened = value.is_empty();
        let node = if opened {
            // A block (or nothing) below: placed at its key.
            Node {
                value: Value::Null,
                loc: line.loc(indent, indent),
                raw: None,
            }
        } else {
            simple_line_value(&line, value, indent, indent + value_off, &mut repeats)?
        };
        let entries = &mut blocks.last_mut()?.1;
        repeats |= entries.iter().any(|(k, _)| k == key);
        entries.push((key.to_string(), node));
    }
    while blocks.len() > 1 {
        close_block(&mut blocks);
    }
    // Nothing but comments and blank lines: YAML reads null.
    let value = blocks.pop().map_or(Value::Null, |(_, entries)| Value::Map(entries));
    // The root is placed where `place` places it: at its (empty) spot.
    let root = Node {
        value,
        loc: Loc::default(),
        raw: None,
    };
    Some((root, repeats))
}

/// `key: value` or `key:` with a [`simple_key`] written right before its
/// colon → (key, value, byte offset of the value), as [`split_key`] cuts
/// it; `None` for any other line (which [`simple`] does not read).
fn simple_key_line(rest: &str) -> Option<(&str, &str, usize)> {
    let b = rest.as_bytes();
    let n = b
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_' || c == b'-'))
        .unwrap_or(b.len());
    // The first `: ` (or a `:` ending the line) is the key's, as in `split_key`.
    if b.get(n) != Some(&b':') || b.get(n + 1).is_some_and(|&c| c != b' ') {
        return None;
    }
    let key = &rest[..n];
    // `simple_key`, its bytes known to be key bytes.
    if n == 0 || !(b[0].is_ascii_alphabetic() || b[0] == b'_') || special_word(key) {
        return None;
    }
    let value = rest[n + 1..].trim_start();
    Some((key, value, rest.len() - value.len()))
}

/// A piece of a one-line list that is a decimal integer with nothing but
/// spaces around it (nearly every piece of a report's rows): its value as
/// [`simple_scalar`] reads it, and the offset of its first character.
/// `None` for any other piece (read by the general way), and for one
/// [`simple_scalar`] does not read (a leading zero, beyond 64 bits).
fn plain_int(piece: &[u8]) -> Option<(i64, usize)> {
    let lead = piece.iter().take_while(|&&c| c == b' ').count();
    let negative = piece.get(lead) == Some(&b'-');
    let digits_at = lead + usize::from(negative);
    let digits = piece[digits_at..].iter().take_while(|c| c.is_ascii_digit()).count();
    let end = digits_at + digits;
    if digits == 0 || (digits > 1 && piece[digits_at] == b'0') || piece[end..].iter().any(|&c| c != b' ') {
        return None;
    }
    let mut v: i64 = 0;
    for &d in &piece[digits_at..end] {
        let d = i64::from(d - b'0');
        v = v.checked_mul(10)?;
        v = if negative { v.checked_sub(d)? } else { v.checked_add(d)? };
    }
    Some((v, lead))
}

/// The inside `items` of a one-line list (its `[` at byte `at` of `line`)
/// that holds nothing but [`plain_int`]s separated by commas, as nearly
/// every row of a report does (`[22, 1, 0, 0, 0, 1, 24]`): its nodes, as
/// [`simple_line_value`] reads them piece by piece, in one pass over the
/// bytes. `None` for any other list (read the general way).
fn int_list(items: &[u8], line: &Columns, at: usize) -> Option<Vec<Node>> {
    let mut nodes = Vec::with_capacity(8);
    let mut i = 0;
    loop {
        while items.get(i) == Some(&b' ') {
            i += 1;
        }
        let piece_at = at + 1 + i;
        let negative = items.get(i) == Some(&b'-');
        i += usize::from(negative);
        let digits_at = i;
        let mut v: i64 = 0;
        while let Some(&c) = items.get(i).filter(|c| c.is_ascii_digit()) {
            let d = i64::from(c - b'0');
            v = v.checked_mul(10)?;
            v = if negative { v.checked_sub(d)? } else { v.checked_add(d)? };
            i += 1;
        }
        let digits = i - digits_at;
        if digits == 0 || (digits > 1 && items[digits_at] == b'0') {
            return None;
        }
        while items.get(i) == Some(&b' ') {
            i += 1;
        }
        nodes.push(Node {
            value: Value::Int(v),
            loc: line.loc(piece_at, piece_at),
            raw: None,
        });
        match items.get(i) {
            None => return Some(nodes),
            Some(b',') => i += 1,
            Some(_) => return None,
        }
    }
}

/// Ends the innermost open block of [`simple`]: it is the value of the
/// last key of the block around it (the `key:` that opened it).
fn close_block(blocks: &mut Vec<(usize, Vec<(String, Node)>)>) {
    if let Some((_, entries)) = blocks.pop() {
        if let Some((_, node)) = blocks.last_mut().and_then(|(_, parent)| parent.last_mut()) {
            node.value = Value::Map(entries);
        }
    }
}

/// A line of front matter, for turning byte offsets into the 1-based
/// columns (in characters) that [`Locator`] gives.
struct Columns<'a> {
    line_no: usize,
    line: &'a str,
    ascii: bool,
}

impl<'a> Columns<'a> {
    fn of(line_no: usize, line: &'a str) -> Self {
        Columns {
            line_no,
            line,
            ascii: line.is_ascii(),
        }
    }

    #[inline]
    fn column(&self, byte: usize) -> usize {
        if self.ascii {
            byte + 1
        } else {
            self.line[..byte].chars().count() + 1
        }
    }

    /// The place of a node whose key is at byte `key` and value at `value`.
    #[inline]
    fn loc(&self, key: usize, value: usize) -> Loc {
        Loc {
            line: self.line_no,
            column: self.column(value),
            key_column: self.column(key),
        }
    }
}

/// The value written on a key's line (`value`, at byte `at` of the line,
/// the key at `key`): `[a, b]`, `{k: a, …}` (scalars only) or a scalar,
/// placed as [`place`] places it; `None` for anything else. A key written
/// twice in a `{…}` sets `repeats`.
fn simple_line_value(line: &Columns, value: &str, key: usize, at: usize, repeats: &mut bool) -> Option<Node> {
    // Brackets and quotes inside are left to serde_yaml and the locator
    // (a malformed `[…` must not be read here as a list). (Bytes, not
    // chars: these are ASCII, and no byte of a character beyond ASCII is
    // one of them. The same holds for the commas below.)
    let inner = |open: char, close: char| {
        value
            .strip_prefix(open)
            .and_then(|v| v.strip_suffix(close))
            .filter(|v| !v.bytes().any(|b| matches!(b, b'[' | b']' | b'{' | b'}' | b'"' | b'\'')))
    };
    let loc = line.loc(key, at);
    if let Some(nodes) = value
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .and_then(|items| int_list(items.as_bytes(), line, at))
    {
        return Some(Node {
            value: Value::Seq(nodes),
            loc,
            raw: Some(value.into()),
        });
    }
    if let Some(items) = inner('[', ']') {
        let mut nodes = Vec::new();
        if !items.trim().is_empty() {
            let bytes = items.as_bytes();
            nodes.reserve(bytes.iter().filter(|&&b| b == b',').count() + 1);
            let mut start = 0;
            loop {
                let end = bytes[start..]
                    .iter()
                    .position(|&b| b == b',')
                    .map_or(bytes.len(), |i| start + i);
                let piece = &items[start..end];
                let node = match plain_int(piece.as_bytes()) {
                    Some((v, lead)) => {
                        let piece_at = at + 1 + start + lead;
                        Node {
                            value: Value::Int(v),
                            loc: line.loc(piece_at, piece_at),
                            raw: None,
                        }
                    }
                    None => {
                        let piece_at = at + 1 + start + piece.len() - piece.trim_start().len();
                        let piece = piece.trim();
                        scalar_node(simple_scalar(piece)?, piece, line.loc(piece_at, piece_at))
                    }
                };
                nodes.push(node);
                if end == bytes.len() {
                    break;
                }
                start = end + 1;
            }
        }
        return Some(Node {
            value: Value::Seq(nodes),
            loc,
            raw: Some(value.into()),
        });
    }
    if let Some(entries) = inner('{', '}') {
        let mut map = Vec::new();
        if !entries.trim().is_empty() {
            for (piece, piece_at) in flow_pieces(entries, at + 1) {
                let (k, v, v_off) = split_key(piece)?;
                if !simple_key(k) || piece.as_bytes().get(k.len()) != Some(&b':') || v.is_empty() {
                    return None;
                }
                let scalar = simple_scalar(v)?;
                *repeats |= map.iter().any(|(other, _)| other == k);
                map.push((
                    k.to_string(),
                    scalar_node(scalar, v, line.loc(piece_at, piece_at + v_off)),
                ));
            }
        }
        return Some(Node {
            value: Value::Map(map),
            loc,
            raw: None,
        });
    }
    if value.starts_with(['[', '{']) {
        return None;
    }
    let v = simple_scalar(value)?;
    Some(scalar_node(v, value, loc))
}

/// The comma-separated pieces of a one-line flow's inside `inner` (which
/// starts at byte `start` of its line), trimmed, each with its byte offset
/// in the line.
fn flow_pieces(inner: &str, start: usize) -> impl Iterator<Item = (&str, usize)> {
    let mut offset = start;
    inner.split(',').map(move |piece| {
        let lead = piece.len() - piece.trim_start().len();
        let at = offset + lead;
        offset += piece.len() + 1;
        (piece.trim(), at)
    })
}

/// A scalar's node: texts and decimal numbers keep their text as written
/// (as [`place`] keeps them).
fn scalar_node(value: Value, written: &str, loc: Loc) -> Node {
    let raw = matches!(value, Value::Str(_) | Value::Float(_)).then(|| written.into());
    Node { value, loc, raw }
}

/// A key YAML reads as the same plain text: ASCII letters, digits, `_`, `-`,
/// not starting with a digit or `-`, and not a word YAML reads otherwise.
fn simple_key(key: &str) -> bool {
    let b = key.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        && !special_word(key)
}

/// The words YAML (1.1 or 1.2) may read as null, a boolean or a float.
fn special_word(s: &str) -> bool {
    const WORDS: [&str; 11] = [
        "null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf",
    ];
    s.len() <= 5 && WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
}

/// A scalar whose reading is beyond doubt, as YAML reads it; `None` for
/// anything else (which serde_yaml then reads): a decimal integer without
/// leading zeros that fits 64 bits, a decimal number with a fraction, a
/// `YYYY-MM-DD` date (text), `~`, a quoted text without escapes, or plain
/// text that starts with a letter or a character beyond ASCII and is no
/// word YAML reads otherwise.
fn simple_scalar(s: &str) -> Option<Value> {
    let b = s.as_bytes();
    let first = *b.first()?;
    if s == "~" {
        return Some(Value::Null);
    }
    if first == b'"' || first == b'\'' {
        let q = first as char;
        let inner = s.strip_prefix(q)?.strip_suffix(q)?;
        let clean = !inner.contains(q) && !inner.contains('\\') && inner.chars().all(|c| !c.is_control());
        return clean.then(|| Value::Str(inner.to_string()));
    }
    let digits = |t: &[u8]| !t.is_empty() && t.iter().all(u8::is_ascii_digit);
    if first == b'-' || first.is_ascii_digit() {
        let unsigned = b.strip_prefix(b"-").unwrap_or(b);
        let (whole, fraction) = match unsigned.iter().position(|&c| c == b'.') {
            Some(dot) => (&unsigned[..dot], Some(&unsigned[dot + 1..])),
            None => (unsigned, None),
        };
        let no_leading_zero = whole == b"0" || whole.first() != Some(&b'0');
        if digits(whole) && no_leading_zero {
            return match fraction {
                None => s.parse::<i64>().ok().map(Value::Int),
                Some(f) if digits(f) => s.parse::<f64>().ok().map(Value::Float),
                Some(_) => None,
            };
        }
        let date =
            b.len() == 10 && digits(&b[..4]) && b[4] == b'-' && digits(&b[5..7]) && b[7] == b'-' && digits(&b[8..]);
        return date.then(|| Value::Str(s.to_string()));
    }
    let plain = (first.is_ascii_alphabetic() || first >= 0x80)
        && !special_word(s)
        && !s.contains(": ")
        && !s.ends_with(':')
        && !s.contains(" #")
        && !s.contains([',', '[', ']', '{', '}', '"', '\''])
        && s.chars()
            .all(|c| !c.is_control() && !yaml_unreadable(c) && c != '\u{feff}');
    plain.then(|| Value::Str(s.to_string()))
}

/// Whether YAML cannot read `c` in a document (the YAML 1.1 "printable" set
/// without it), or reads it as a line break where the file has none (NEL,
/// U+2028, U+2029): libyaml refuses the first without a usable position and
/// would count lines differently from every editor for the second.
fn yaml_unreadable(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => false,
        c if c.is_control() => true,
        '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}' => true,
        _ => false,
    }
}

/// Whether `yaml` holds a character [`yaml_unreadable`] refuses, found
/// from its UTF-8 bytes (the file is valid UTF-8: decoding it again, char
/// by char, would cost more than the rest of the check).
fn has_unreadable(yaml: &str) -> bool {
    let b = yaml.as_bytes();
    b.iter().enumerate().any(|(i, &c)| match c {
        b'\t' | b'\n' | b'\r' => false,
        0..=0x1f | 0x7f => true,
        // U+0080..U+009F (C1 controls).
        0xc2 => matches!(b.get(i + 1), Some(0x80..=0x9f)),
        // U+2028, U+2029.
        0xe2 => b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xa8 | 0xa9)),
        // U+FFFE, U+FFFF.
        0xef => b.get(i + 1) == Some(&0xbf) && matches!(b.get(i + 2), Some(0xbe | 0xbf)),
        _ => false,
    })
}

/// The first character YAML cannot read, placed at its line and column.
fn unreadable(yaml: &str, first_line: usize) -> Option<SyntaxError> {
    if !has_unreadable(yaml) {
        return None;
    }
    for (i, line) in yaml.split('\n').enumerate() {
        if let Some((col, c)) = line.chars().enumerate().find(|&(_, c)| yaml_unreadable(c)) {
            return Some(SyntaxError {
                line: first_line.saturating_add(i),
                column: Some(col + 1),
                message: t!("diag.f03.char", char = crate::diagnostics::char_name(c)).into_owned(),
            });
        }
    }
    None
}

/// The first key written a second time in one block (in file order), as an
/// error at that second key.
fn duplicate_key(node: &Node) -> Option<SyntaxError> {
    let mut found: Option<(Loc, String, Loc)> = None;
    let mut visit = |key: &str, first: &Node, again: &Node| {
        if found.as_ref().is_none_or(|(at, _, _)| again.loc.line < at.line) {
            found = Some((again.loc, key.to_string(), first.loc));
        }
    };
    fn walk(node: &Node, visit: &mut dyn FnMut(&str, &Node, &Node)) {
        match &node.value {
            // A report's blocks have a few dozen keys: comparing each with
            // those before it costs less than hashing them.
            Value::Map(entries) if entries.len() <= 32 => {
                for (i, (key, child)) in entries.iter().enumerate() {
                    if let Some((_, earlier)) = entries[..i].iter().find(|(k, _)| k == key) {
                        visit(key, earlier, child);
                    }
                    walk(child, visit);
                }
            }
            Value::Map(entries) => {
                let mut first: HashMap<&str, &Node> = HashMap::with_capacity(entries.len());
                for (key, child) in entries {
                    match first.get(key.as_str()) {
                        Some(earlier) => visit(key, earlier, child),
                        None => {
                            first.insert(key, child);
                        }
                    }
                    walk(child, visit);
                }
            }
            Value::Seq(items) => items.iter().for_each(|n| walk(n, visit)),
            _ => {}
        }
    }
    walk(node, &mut visit);
    let (at, key, first) = found?;
    Some(SyntaxError {
        line: at.line,
        column: Some(at.key_column.max(1)),
        message: t!("diag.f03.duplicate", key = key, line = first.line).into_owned(),
    })
}

/// Turns serde_yaml's error into one placed in the file, in plain words.
fn syntax_error(e: &serde_yaml::Error, first_line: usize) -> SyntaxError {
    placed_error(&e.to_string(), e.location().map(|l| (l.line(), l.column())), first_line)
}

/// An error message of libyaml (`text`, with its `location` in the front
/// matter) placed in the file, in plain words.
fn placed_error(text: &str, location: Option<(usize, usize)>, first_line: usize) -> SyntaxError {
    // libyaml's messages read "<problem> at line L column C[, while parsing
    // <construct> at line L column C]", in lines of the front matter.
    // Only the mark that ends a part counts: a message may quote the
    // user's own text, which can read "line 9999999999 column 1" too.
    let to_file = |s: &str| -> Option<(usize, usize)> {
        let rest = &s[s.rfind(" at line ")? + 9..];
        let (l, c) = rest.trim_end().split_once(" column ")?;
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(l) || !digits(c) {
            return None;
        }
        let l: usize = l.parse().ok()?;
        Some((first_line.checked_add(l)?.checked_sub(1)?, c.parse().ok()?))
    };
    let (problem, construct) = match text.split_once(", while ") {
        Some((p, c)) => (p, Some(c)),
        None => (text, None),
    };
    let located = location.and_then(|(l, c)| Some((first_line.checked_add(l)?.checked_sub(1)?, c)));
    // serde_yaml's own location first: it cannot be forged by the text.
    let problem_at = located.or_else(|| to_file(problem));
    let construct_at = construct.and_then(to_file);
    let what = problem.split(" at line ").next().unwrap_or(problem).trim();
    // An unclosed bracket or quote is noticed lines later: point at its start.
    let opened = construct.is_some_and(|c| c.contains("flow") || c.contains("quoted"));
    let (at, message) = match (opened, construct_at, problem_at) {
        (true, Some(start), noticed) => {
            let kind = construct.unwrap_or("").split(" at line ").next().unwrap_or("").trim();
            let noticed = noticed
                .map(|(l, _)| t!("diag.f03.noticed", line = l).into_owned())
                .unwrap_or_default();
            // What libyaml was reading, named in the language of the run
            // (libyaml's own words when it is none of these).
            let kind = if kind == "parsing a flow sequence" {
                t!("diag.f03.flow_sequence").into_owned()
            } else if kind == "parsing a flow mapping" {
                t!("diag.f03.flow_mapping").into_owned()
            } else if kind == "scanning a quoted scalar" {
                t!("diag.f03.quoted").into_owned()
            } else {
                kind.to_string()
            };
            (
                Some(start),
                t!("diag.f03.not_closed", what = what, kind = kind, noticed = noticed).into_owned(),
            )
        }
        (_, _, at) => {
            let hint = if what.contains("expected key") || what.contains("mapping values are not allowed") {
                t!("diag.f03.indent").into_owned()
            } else {
                String::new()
            };
            (at, format!("{}{hint}", what.replace("while parsing a ", "the ")))
        }
    };
    SyntaxError {
        line: at.map_or(first_line, |a| a.0),
        column: at.map(|a| a.1),
        message,
    }
}

/// A YAML document read straight into [`Value`] (positions are added after).
struct Tree(Value);

impl<'de> serde::Deserialize<'de> for Tree {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TreeVisitor).map(Tree)
    }
}

struct TreeVisitor;

fn leaf(value: Value) -> Node {
    Node {
        value,
        loc: Loc::default(),
        raw: None,
    }
}

impl<'de> serde::de::Visitor<'de> for TreeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::BigInt(v.to_string()), Value::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::BigInt(v.to_string()), Value::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::BigInt(v.to_string()), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(TreeVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(8));
        while let Some(Tree(v)) = seq.next_element()? {
            out.push(leaf(v));
        }
        Ok(Value::Seq(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out: Vec<(String, Node)> = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(Tree(k)) = map.next_key()? {
            let key = match k {
                Value::Str(s) => s,
                Value::Int(i) => i.to_string(),
                Value::BigInt(s) => s,
                Value::Float(f) => f.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Null => "null".to_string(),
                _ => return Err(serde::de::Error::custom(t!("diag.f03.key_kind"))),
            };
            // A key written twice is kept twice, and refused once its
            // position is known (`duplicate_key`).
            let Tree(v) = map.next_value()?;
            out.push((key, leaf(v)));
        }
        Ok(Value::Map(out))
    }
    /// A value with a tag of its own (`!name 5`): its value, like the
    /// values with a standard tag (`!!int "5"`), which serde_yaml resolves
    /// without telling. The tag stays in the node's text ([`Node::tag`]).
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess;
        let (_tag, variant): (serde::de::IgnoredAny, _) = data.variant()?;
        let Tree(v) = variant.newtype_variant()?;
        Ok(v)
    }
}

/// Gives every node of the tree its position, walking the locator's tree
/// alongside (`spot` is the node's place in it, if found; else the parent's).
fn place(node: &mut Node, locator: &Locator, spot: Option<usize>, fallback: Loc) {
    let here = spot.and_then(|i| locator.spots.get(i));
    node.loc = here.map_or(fallback, |s| s.loc);
    let loc = node.loc;
    let tagged = here.filter(|s| tag_of(s.raw).is_some());
    match &mut node.value {
        Value::Seq(items) => {
            node.raw = here
                .filter(|s| s.raw.starts_with('[') || tag_of(s.raw).is_some())
                .map(|s| s.raw.into());
            for (i, item) in items.iter_mut().enumerate() {
                place(item, locator, here.and_then(|s| s.items.get(i).copied()), loc);
            }
        }
        Value::Map(entries) => {
            node.raw = tagged.map(|s| s.raw.into());
            let keys = here.map_or(&[][..], |s| s.keys.as_slice());
            if keys.len() == entries.len() && keys.iter().zip(entries.iter()).all(|((a, _), (b, _))| a == b) {
                // The common case: the keys as scanned, in the same order.
                for ((_, at), (_, child)) in keys.iter().zip(entries.iter_mut()) {
                    place(child, locator, Some(*at), loc);
                }
            } else {
                // The n-th entry named `key` is at the n-th `key:` of the
                // block (a key written twice is refused at its second place).
                let mut spots: HashMap<&str, Vec<usize>> = HashMap::new();
                for (name, at) in keys {
                    spots.entry(name).or_default().push(*at);
                }
                let mut seen: HashMap<&str, usize> = HashMap::new();
                for (key, child) in entries.iter_mut() {
                    let n = seen.entry(key.as_str()).or_insert(0);
                    let at = spots.get(key.as_str()).and_then(|v| v.get(*n)).copied();
                    *n += 1;
                    place(child, locator, at, loc);
                }
            }
        }
        // Decimal numbers keep their digits as written (amounts are exact
        // to more digits than a float holds); they are few.
        Value::Str(_) | Value::Float(_) => node.raw = here.map(|s| s.raw.into()),
        _ => node.raw = tagged.map(|s| s.raw.into()),
    }
}

/// One place in the locator's tree: a key's or an element's position, the
/// value text written on its line, and its children.
#[derive(Debug, Default)]
struct Spot<'a> {
    loc: Loc,
    raw: &'a str,
    keys: Vec<(&'a str, usize)>,
    items: Vec<usize>,
}

/// Positions of keys and values in block-style YAML, as a tree that mirrors
/// the document (kept in an arena: `spots[0]` is the root).
#[derive(Debug)]
pub struct Locator<'a> {
    spots: Vec<Spot<'a>>,
}

impl<'a> Locator<'a> {
    /// Line, column and written text of the value at `path`
    /// (`requests.denied.state_secret[3]`), if located.
    pub fn get(&self, path: &str) -> Option<(usize, usize, &'a str)> {
        let mut at = 0;
        for part in path.split('.') {
            let (key, indices) = part.split_once('[').map_or((part, ""), |(k, rest)| (k, rest));
            if !key.is_empty() {
                at = self.spots.get(at)?.keys.iter().find(|(k, _)| *k == key)?.1;
            }
            for index in indices.split('[').filter(|s| !s.is_empty()) {
                let i: usize = index.trim_end_matches(']').parse().ok()?;
                at = *self.spots.get(at)?.items.get(i)?;
            }
        }
        let s = self.spots.get(at)?;
        Some((s.loc.line, s.loc.column, s.raw))
    }

    pub fn scan(yaml: &'a str, first_line: usize) -> Locator<'a> {
        // About one spot per 6 bytes of a content file's front matter.
        let mut spots = Vec::with_capacity(yaml.len() / 6 + 1);
        spots.push(Spot::default());
        let mut loc = Locator { spots };
        // Open containers: (indent, spot, is_item).
        let mut stack: Vec<(usize, usize, bool)> = Vec::new();
        for (i, raw_line) in yaml.lines().enumerate() {
            let line_no = first_line + i;
            let line = strip_comment(raw_line);
            if line.trim().is_empty() {
                continue;
            }
            let indent = line.len() - line.trim_start_matches(' ').len();
            let mut rest = &line[indent..];
            let mut col = indent;
            let mut key_indent = indent;
            if rest == "-" || rest.starts_with("- ") {
                while stack
                    .last()
                    .is_some_and(|&(d, _, item)| d > indent || (d == indent && item))
                {
                    stack.pop();
                }
                let parent = stack.last().map_or(0, |s| s.1);
                let after = rest[1..].trim_start();
                col = indent + (rest.len() - after.len());
                key_indent = col;
                rest = after;
                let item = loc.add(parent, None, line_no, line, col, col, rest);
                stack.push((indent, item, true));
                if split_key(rest).is_none() {
                    loc.scan_flow(item, line_no, line, col, rest);
                    continue;
                }
            }
            let Some((key, value, value_off)) = split_key(rest) else {
                continue;
            };
            while stack
                .last()
                .is_some_and(|&(d, _, item)| d > key_indent || (d == key_indent && !item))
            {
                stack.pop();
            }
            let parent = stack.last().map_or(0, |s| s.1);
            // A value on the key's line is placed at the value, a block at its key.
            let at = if value.is_empty() { col } else { col + value_off };
            let spot = loc.add(parent, Some(key), line_no, line, col, at, value);
            loc.scan_flow(spot, line_no, line, col + value_off, value);
            stack.push((key_indent, spot, false));
        }
        loc
    }

    /// Adds a spot under `parent` (as key `key`, or as its next item).
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        parent: usize,
        key: Option<&'a str>,
        line_no: usize,
        line: &str,
        key_col: usize,
        value_col: usize,
        raw: &'a str,
    ) -> usize {
        let i = self.spots.len();
        let ascii = line.is_ascii();
        let column = |byte: usize| {
            if ascii {
                byte + 1
            } else {
                line[..byte].chars().count() + 1
            }
        };
        self.spots.push(Spot {
            loc: Loc {
                line: line_no,
                column: column(value_col),
                key_column: column(key_col),
            },
            raw: raw.trim(),
            ..Spot::default()
        });
        match key {
            Some(k) => self.spots[parent].keys.push((k, i)),
            None => self.spots[parent].items.push(i),
        }
        i
    }

    /// Records the elements of a one-line `[a, b]` or `{k: v, ...}` value that
    /// starts at byte `start` of `line`, as children of `spot`.
    fn scan_flow(&mut self, spot: usize, line_no: usize, line: &str, start: usize, value: &'a str) {
        let value = value.trim_end();
        let (open, close) = match value.as_bytes().first() {
            Some(b'[') => (b'[', b']'),
            Some(b'{') => (b'{', b'}'),
            _ => return,
        };
        if value.as_bytes().last() != Some(&close) {
            return;
        }
        let inner = &value[1..value.len() - 1];
        let mut depth = 0i32;
        let mut quote: Option<u8> = None;
        let mut piece_start = 0;
        // The separators are ASCII, so bytes can be scanned directly.
        let bytes = inner.as_bytes();
        for i in 0..=bytes.len() {
            let b = bytes.get(i).copied().unwrap_or(b',');
            match (quote, b) {
                (Some(q), b) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'[' | b'{') => depth += 1,
                (None, b']' | b'}') => depth -= 1,
                (None, b',') if depth == 0 || i == bytes.len() => {
                    let piece = &inner[piece_start..i];
                    let lead = piece.len() - piece.trim_start().len();
                    let at = start + 1 + piece_start + lead;
                    let piece = piece.trim();
                    piece_start = i + 1;
                    if piece.is_empty() {
                        continue;
                    }
                    if open == b'[' {
                        self.add(spot, None, line_no, line, at, at, piece);
                    } else if let Some((k, v, voff)) = split_key(piece) {
                        self.add(spot, Some(k), line_no, line, at, at + voff, v);
                    }
                }
                _ => {}
            }
        }
    }
}

/// `key: value` → (key, value, byte offset of value in the input).
fn split_key(s: &str) -> Option<(&str, &str, usize)> {
    let bytes = s.as_bytes();
    let (key, after) = if bytes.first() == Some(&b'"') || bytes.first() == Some(&b'\'') {
        let q = bytes[0] as char;
        let end = s[1..].find(q)? + 1;
        (&s[1..end], end + 1)
    } else {
        let mut end = None;
        for (i, c) in s.char_indices() {
            if c == ':' && s[i + 1..].chars().next().is_none_or(|n| n == ' ' || n == '\t') {
                end = Some(i);
                break;
            }
            if matches!(c, '[' | '{' | '"' | '\'') && i == 0 {
                return None;
            }
        }
        let end = end?;
        (s[..end].trim_end(), end)
    };
    let rest = s[after..].strip_prefix(':')?;
    let value = rest.trim_start();
    Some((key, value, s.len() - value.len()))
}

/// [`byte_classes`]: a byte that [`unreadable`] or [`plain_spacing`] looks
/// for (a control character but the line feed, DEL, and the lead bytes of
/// the characters beyond ASCII they look at).
const RARE: u8 = 1;
/// [`byte_classes`]: `#`, which may open a comment.
const HASH: u8 = 2;

/// The class of each byte ([`RARE`], [`HASH`] or none).
const BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = RARE;
        b += 1;
    }
    t[b'\n' as usize] = 0;
    t[0x7f] = RARE;
    t[0xc2] = RARE;
    t[0xe1] = RARE;
    t[0xe2] = RARE;
    t[0xe3] = RARE;
    t[0xef] = RARE;
    t[b'#' as usize] = HASH;
    t
};

/// The classes of the bytes of `yaml`, together: front matter nearly never
/// holds a byte of either, and one pass without a branch over it costs less
/// than the byte-by-byte checks it spares ([`unreadable`], [`plain_spacing`],
/// a search for a comment on each line).
fn byte_classes(yaml: &str) -> u8 {
    yaml.bytes().fold(0, |classes, b| classes | BYTE_CLASS[usize::from(b)])
}

/// Whether `yaml` has no tab, no carriage return and no white space beyond
/// ASCII (U+3000, U+00A0, …). YAML's white space is the space and the tab
/// alone, so `k: 　` is the text "　", but the fast reading trims lines and
/// pieces as Rust does, Unicode's white space included: such a document
/// goes to serde_yaml. Only the lead bytes of Unicode's white space
/// (0xC2, 0xE1-0xE3) are decoded; CJK text is skipped by its bytes.
fn plain_spacing(yaml: &str) -> bool {
    let bytes = yaml.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\t' | b'\r' => return false,
            0xC2 | 0xE1..=0xE3 if yaml[i..].chars().next().is_some_and(char::is_whitespace) => return false,
            _ => {}
        }
    }
    true
}

/// The line without a trailing `# comment` (a `#` at the start or after white
/// space, outside quotes).
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    if !bytes.contains(&b'#') {
        return line.trim_end();
    }
    let mut quote: Option<u8> = None;
    let mut prev_space = true;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'#' && prev_space => return line[..i].trim_end(),
            None => {}
        }
        prev_space = b == b' ' || b == b'\t';
    }
    line.trim_end()
}

#[cfg(test)]
#[path = "frontmatter/tests.rs"]
mod tests;
