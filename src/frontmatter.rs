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

use std::collections::HashMap;

/// A parsed YAML value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Value {
    /// What kind of value this is, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "a blank (null)",
            Value::Bool(_) => "true/false",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a decimal number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Where a node came from: 1-based line and column in the file, and the raw
/// text of a scalar as written (used to count decimals exactly).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Loc {
    pub line: usize,
    pub column: usize,
    pub raw: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub loc: Loc,
}

impl Node {
    pub fn pos(&self) -> crate::diagnostics::Pos {
        crate::diagnostics::Pos::at(self.loc.line, self.loc.column)
    }
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
    pub fn message(&self) -> &'static str {
        match self {
            SplitError::Empty => "the file is empty: a content file starts with front matter between `---` lines",
            SplitError::NoOpeningFence => {
                "no front matter: the first line of a content file must be `---`, followed by the YAML keys and another `---` line"
            }
            SplitError::NoClosingFence => {
                "the front matter opened here is never closed: add a line `---` after the last key, before the text"
            }
        }
    }
}

/// Cuts `text` (already without BOM, with `\n` line ends) at its `---` fences.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(SplitError::NoOpeningFence);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (line_no, line) in (2..).zip(lines) {
        if line.trim_end() == "---" {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + line.len()..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
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
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).map_err(|e| {
        let (line, column) = match e.location() {
            Some(l) => (first_line + l.line() - 1, Some(l.column())),
            None => (first_line, None),
        };
        let mut message = e.to_string();
        // serde_yaml appends " at line X column Y"; we print our own position.
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        SyntaxError { line, column, message }
    })?;
    let locator = Locator::scan(yaml, first_line);
    let root_loc = Loc {
        line: first_line,
        column: 1,
        raw: None,
    };
    let node = convert(value, &mut String::new(), &locator, root_loc);
    Ok(match node.value {
        Value::Null => Node {
            value: Value::Map(Vec::new()),
            loc: node.loc,
        },
        _ => node,
    })
}

fn convert(value: serde_yaml::Value, path: &mut String, locator: &Locator, fallback: Loc) -> Node {
    let loc = locator.get(path).cloned().unwrap_or(fallback);
    let value = match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_yaml::Value::String(s) => Value::Str(s),
        serde_yaml::Value::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                out.push(convert(item, path, locator, loc.clone()));
                path.truncate(len);
            }
            Value::Seq(out)
        }
        serde_yaml::Value::Mapping(map) => {
            let mut out = Vec::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    serde_yaml::Value::String(s) => s,
                    serde_yaml::Value::Number(n) => n.to_string(),
                    serde_yaml::Value::Bool(b) => b.to_string(),
                    serde_yaml::Value::Null => "null".to_string(),
                    _ => "?".to_string(),
                };
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&key);
                let node = convert(v, path, locator, loc.clone());
                path.truncate(len);
                out.push((key, node));
            }
            Value::Map(out)
        }
        serde_yaml::Value::Tagged(t) => return convert(t.value, path, locator, loc),
    };
    Node { value, loc }
}

/// Positions of keys and values in block-style YAML, by path
/// (`requests.denied.state_secret[3]`).
#[derive(Debug, Default)]
pub struct Locator {
    map: HashMap<String, Loc>,
}

impl Locator {
    pub fn get(&self, path: &str) -> Option<&Loc> {
        self.map.get(path)
    }

    pub fn scan(yaml: &str, first_line: usize) -> Locator {
        let mut loc = Locator::default();
        // Open containers: (indent, path, is_item).
        let mut stack: Vec<(usize, String, bool)> = Vec::new();
        let mut counters: HashMap<String, usize> = HashMap::new();
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
                    .is_some_and(|(d, _, item)| *d > indent || (*d == indent && *item))
                {
                    stack.pop();
                }
                let parent = stack.last().map(|s| s.1.clone()).unwrap_or_default();
                let n = counters.entry(parent.clone()).or_insert(0);
                let path = format!("{parent}[{n}]");
                *n += 1;
                let after = rest[1..].trim_start();
                col = indent + (rest.len() - after.len());
                key_indent = col;
                rest = after;
                stack.push((indent, path.clone(), true));
                if split_key(rest).is_none() {
                    loc.record(&path, line_no, line, col, rest);
                    continue;
                }
            }
            let Some((key, value, value_off)) = split_key(rest) else {
                continue;
            };
            while stack
                .last()
                .is_some_and(|(d, _, item)| *d > key_indent || (*d == key_indent && !*item))
            {
                stack.pop();
            }
            let parent = stack.last().map(|s| s.1.clone()).unwrap_or_default();
            let path = if parent.is_empty() {
                key.to_string()
            } else {
                format!("{parent}.{key}")
            };
            loc.record(&path, line_no, line, col, value);
            loc.scan_flow(&path, line_no, line, col + value_off, value);
            stack.push((key_indent, path, false));
        }
        loc
    }

    fn record(&mut self, path: &str, line_no: usize, line: &str, byte_col: usize, raw: &str) {
        let raw = raw.trim();
        self.map.insert(
            path.to_string(),
            Loc {
                line: line_no,
                column: line[..byte_col].chars().count() + 1,
                raw: (!raw.is_empty()).then(|| raw.to_string()),
            },
        );
    }

    /// Records the elements of a one-line `[a, b]` or `{k: v, ...}` value that
    /// starts at byte `start` of `line`.
    fn scan_flow(&mut self, path: &str, line_no: usize, line: &str, start: usize, value: &str) {
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
        let mut quote: Option<char> = None;
        let mut piece_start = 0;
        let mut index = 0;
        let mut pieces = Vec::new();
        for (i, c) in inner.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') => depth -= 1,
                (None, ',') if depth == 0 => {
                    pieces.push((piece_start, &inner[piece_start..i]));
                    piece_start = i + 1;
                }
                _ => {}
            }
        }
        pieces.push((piece_start, &inner[piece_start..]));
        for (off, piece) in pieces {
            let lead = piece.len() - piece.trim_start().len();
            let at = start + 1 + off + lead;
            let piece = piece.trim();
            if piece.is_empty() {
                continue;
            }
            if open == b'[' {
                self.record(&format!("{path}[{index}]"), line_no, line, at, piece);
                index += 1;
            } else if let Some((k, v, _)) = split_key(piece) {
                self.record(&format!("{path}.{k}"), line_no, line, at, v);
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

/// The line without a trailing `# comment` (a `#` at the start or after white
/// space, outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && prev_space => return line[..i].trim_end(),
            None => {}
        }
        prev_space = c == ' ' || c == '\t';
    }
    line.trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_fences_and_lines() {
        let s = split("---\na: 1\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, "a: 1\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
        assert_eq!(split("  \n"), Err(SplitError::Empty));
        assert_eq!(split("# hi\n"), Err(SplitError::NoOpeningFence));
        assert_eq!(split("---\na: 1\n"), Err(SplitError::NoClosingFence));
    }

    #[test]
    fn locator_places_keys_items_and_flow_elements() {
        let yaml = "a: 1\nreq:\n  new: [1, 22, 3]   # comment\n  denied:\n    x: {p: 1, q: 2}\nlist:\n  - 5\n  - 6\n";
        let l = Locator::scan(yaml, 2);
        let get = |p: &str| l.get(p).map(|x| (x.line, x.column, x.raw.clone()));
        assert_eq!(get("a"), Some((2, 1, Some("1".into()))));
        assert_eq!(get("req.new"), Some((4, 3, Some("[1, 22, 3]".into()))));
        assert_eq!(get("req.new[1]"), Some((4, 12, Some("22".into()))));
        assert_eq!(get("req.denied.x.q"), Some((6, 15, Some("2".into()))));
        assert_eq!(get("list[1]"), Some((9, 5, Some("6".into()))));
    }

    #[test]
    fn parse_gives_nodes_with_positions_and_syntax_errors_with_lines() {
        let n = parse("a: 1\nb:\n  c: [1, x]\n", 2).unwrap();
        let Value::Map(m) = &n.value else { panic!() };
        let Value::Map(b) = &m[1].1.value else { panic!() };
        let Value::Seq(items) = &b[0].1.value else { panic!() };
        assert_eq!(items[1].loc.line, 4);
        assert_eq!(items[1].value, Value::Str("x".into()));
        let e = parse("a: 1\nb: [1, 2\nc: 3\n", 2).unwrap_err();
        assert!(e.line >= 3, "{e:?}");
        assert!(!e.message.contains(" at line "));
    }

    #[test]
    fn comments_inside_quotes_are_kept() {
        assert_eq!(strip_comment("a: \"x # y\" # z"), "a: \"x # y\"");
        assert_eq!(strip_comment("a: b#c"), "a: b#c");
    }
}
