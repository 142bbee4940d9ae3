//! Unit tests of `frontmatter` (kept in their own file so the module stays short).

use super::*;

#[test]
fn a_mark_quoted_from_the_users_text_does_not_place_the_error() {
    // Found by fuzz_front_matter: the message quotes the value, which
    // itself reads "at line 9999999999 column 1".
    let text = "weight: invalid value: string \"# at line 9999999999 column 1 3\", expected an integer";
    let e = placed_error(text, Some((3, 9)), 2);
    assert_eq!((e.line, e.column), (4, Some(9)), "{e:?}");
    let e = placed_error(text, None, 2);
    assert_eq!(e.line, 2, "no mark that ends the message: the first line: {e:?}");
}

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
    assert_eq!(l.get("a"), Some((2, 4, "1")));
    assert_eq!(l.get("req.new"), Some((4, 8, "[1, 22, 3]")));
    assert_eq!(l.get("req.new[1]"), Some((4, 12, "22")));
    assert_eq!(l.get("req.denied.x.q"), Some((6, 18, "2")));
    assert_eq!(l.get("list[1]"), Some((9, 5, "6")));
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
    // The unclosed `[` opened on file line 3 is noticed on line 4.
    assert_eq!((e.line, e.column), (3, Some(4)), "{e:?}");
    assert!(
        e.message
            .contains("flow sequence opened here is not closed (noticed at line 4)"),
        "{e:?}"
    );
}

#[test]
fn characters_yaml_cannot_read_are_placed_at_their_own_column() {
    // libyaml says "control characters are not allowed" at the start of
    // the document, and reads NEL and U+2028 as line breaks.
    for (yaml, line, column, name) in [
        ("a: 1\nb: x\0y\n", 3, 5, "U+0000 (null)"),
        ("a: 1\nb: [1, 2]\nc: 测试\u{1b}[31m\n", 4, 6, "U+001B (escape)"),
        ("a: 1\nb: x\u{85}y\n", 3, 5, "U+0085 (a C1 control character)"),
        ("a: 1\nb: x\u{2028}y\n", 3, 5, "U+2028 (line separator)"),
        ("a: 1 # \u{7}\n", 2, 8, "U+0007 (bell)"),
    ] {
        let e = parse(yaml, 2).unwrap_err();
        assert_eq!((e.line, e.column), (line, Some(column)), "{yaml:?}: {e:?}");
        assert!(e.message.contains(name), "{e:?}");
    }
    // Tabs and CR LF are fine.
    assert!(parse("a: \"x\ty\"\r\nb: 2\r\n", 2).is_ok());
}

#[test]
fn a_key_written_twice_is_placed_at_its_second_occurrence() {
    let e = parse("a: 1\nb: x\na: 2\n", 2).unwrap_err();
    assert_eq!((e.line, e.column), (4, Some(1)), "{e:?}");
    assert!(
        e.message.contains("`a` appears twice") && e.message.contains("first on line 2"),
        "{e:?}"
    );
    let e = parse("a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n", 2).unwrap_err();
    assert_eq!((e.line, e.column), (6, Some(3)), "{e:?}");
    let e = parse("a: 1\nb: {p: 1, q: 2, p: 3}\n", 2).unwrap_err();
    assert_eq!((e.line, e.column), (3, Some(17)), "{e:?}");
    // The same key in two different blocks is not a duplicate.
    assert!(parse("a:\n  x: 1\nb:\n  x: 2\n", 2).is_ok());
    // Many keys (hashed, not compared pairwise) with one duplicate at the end.
    let mut yaml: String = (0..5000).map(|i| format!("k{i}: {i}\n")).collect();
    yaml.push_str("k17: 0\n");
    let e = parse(&yaml, 2).unwrap_err();
    assert_eq!((e.line, e.column), (5002, Some(1)), "{e:?}");
}

#[test]
fn numbers_beyond_64_bits_are_values_at_their_position() {
    let n = parse(
        "a: 1\nb: 99999999999999999999\nc: -9223372036854775809\nd: 9223372036854775808\n",
        2,
    )
    .unwrap();
    let Value::Map(m) = &n.value else { panic!() };
    assert_eq!(m[1].1.value, Value::BigInt("99999999999999999999".into()));
    assert_eq!((m[1].1.loc.line, m[1].1.loc.column), (3, 4));
    assert_eq!(m[2].1.value, Value::BigInt("-9223372036854775809".into()));
    assert_eq!(m[3].1.value, Value::BigInt("9223372036854775808".into()));
}

#[test]
fn tagged_values_keep_their_tag() {
    let n = parse(
        "a: !!int \"5\"\nb: !!binary aGVsbG8=\nc: !foo 5\nd: [!!int \"5\", 2]\ne: &x !!str 7\nf: 5\ng: \"!x\"\n",
        2,
    )
    .unwrap();
    let Value::Map(m) = &n.value else { panic!() };
    let tags: Vec<Option<&str>> = m.iter().map(|(_, n)| n.tag()).collect();
    assert_eq!(
        tags,
        [
            Some("!!int"),
            Some("!!binary"),
            Some("!foo"),
            None,
            Some("!!str"),
            None,
            None
        ]
    );
    assert_eq!(m[0].1.value, Value::Int(5));
    assert_eq!(m[2].1.value, Value::Int(5));
    let Value::Seq(items) = &m[3].1.value else { panic!() };
    assert_eq!(items[0].tag(), Some("!!int"));
    assert_eq!((items[0].loc.line, items[0].loc.column), (5, 5));
}

#[test]
fn a_position_in_an_error_message_cannot_overflow() {
    let e = placed_error("x at line 18446744073709551615 column 3", Some((usize::MAX, 1)), 2);
    assert_eq!((e.line, e.column), (2, None));
}

#[test]
fn comments_inside_quotes_are_kept() {
    assert_eq!(strip_comment("a: \"x # y\" # z"), "a: \"x # y\"");
    assert_eq!(strip_comment("a: b#c"), "a: b#c");
}

/// The reference's reading placed as [`parse`] placed it: what [`simple`]
/// must give, positions and texts included.
fn before_simple(yaml: &str, first_line: usize) -> Option<Node> {
    let locator = Locator::scan(yaml, first_line);
    let value = before_reading(yaml, &locator)?;
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
    Some(node)
}

/// The fast reading [`simple`] replaced, kept as the reference it is
/// compared with: the lines checked first (keys, indentation, values), then
/// the values taken from the locator's tree, which mirrors them.
fn before_reading(yaml: &str, locator: &Locator) -> Option<Value> {
    if !before_lines(yaml) {
        return None;
    }
    let root = locator.spots.first()?;
    if root.keys.is_empty() {
        // Nothing but comments and blank lines: YAML reads null.
        return yaml
            .lines()
            .all(|l| strip_comment(l).trim().is_empty())
            .then_some(Value::Null);
    }
    before_value(locator, 0)
}

/// (The reference's check of the lines.) Every line is blank, a comment, or `key:` / `key: value` with a plain
/// ASCII key, indented as a block mapping must be (a line opening a block
/// under `key:` deeper than the key, every other line at the indentation of
/// an open block), its value a scalar [`simple_scalar`] reads, or a
/// one-line `[…]` of them, or a one-line `{key: scalar, …}`.
fn before_lines(yaml: &str) -> bool {
    // Indentations of the open blocks; whether the last line opened one.
    let mut blocks: Vec<usize> = Vec::new();
    let mut opened = false;
    for raw in yaml.lines() {
        if raw.contains('\t') || raw.starts_with("---") || raw.starts_with("...") || raw.starts_with('%') {
            return false;
        }
        let line = strip_comment(raw);
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        match blocks.last() {
            None if indent == 0 => blocks.push(0),
            None => return false,
            Some(&top) if opened && indent > top => blocks.push(indent),
            Some(_) => {
                while blocks.last().is_some_and(|&b| b > indent) {
                    blocks.pop();
                }
                if blocks.last() != Some(&indent) {
                    return false;
                }
            }
        }
        let rest = &line[indent..];
        let Some((key, value, _)) = split_key(rest) else {
            return false;
        };
        if !simple_key(key) || rest.as_bytes().get(key.len()) != Some(&b':') {
            return false;
        }
        opened = value.is_empty();
        if !opened && !before_flow_or_scalar(value) {
            return false;
        }
    }
    true
}

/// A value: `[a, b]`, `{k: a, …}` (one line, scalars only) or a scalar.
fn before_flow_or_scalar(value: &str) -> bool {
    let inner = |open: char, close: char| {
        value
            .strip_prefix(open)
            .and_then(|v| v.strip_suffix(close))
            .filter(|v| !v.contains(['[', ']', '{', '}', '"', '\'']))
    };
    if let Some(items) = inner('[', ']') {
        return items.trim().is_empty() || items.split(',').all(|p| simple_scalar(p.trim()).is_some());
    }
    if let Some(entries) = inner('{', '}') {
        return entries.trim().is_empty()
            || entries.split(',').all(|p| {
                let p = p.trim();
                split_key(p).is_some_and(|(k, v, _)| {
                    simple_key(k)
                        && p.as_bytes().get(k.len()) == Some(&b':')
                        && !v.is_empty()
                        && simple_scalar(v).is_some()
                })
            });
    }
    !value.starts_with(['[', '{']) && simple_scalar(value).is_some()
}

/// The value of the locator's spot `i` in a document [`before_lines`] accepted.
fn before_value(locator: &Locator, i: usize) -> Option<Value> {
    let spot = locator.spots.get(i)?;
    if !spot.keys.is_empty() {
        let entries = spot
            .keys
            .iter()
            .map(|&(k, at)| Some((k.to_string(), leaf(before_value(locator, at)?))))
            .collect::<Option<Vec<_>>>()?;
        return Some(Value::Map(entries));
    }
    if !spot.items.is_empty() {
        let items = spot
            .items
            .iter()
            .map(|&at| Some(leaf(before_value(locator, at)?)))
            .collect::<Option<Vec<_>>>()?;
        return Some(Value::Seq(items));
    }
    match spot.raw {
        "" => Some(Value::Null),
        raw if raw.starts_with('[') => Some(Value::Seq(Vec::new())),
        raw if raw.starts_with('{') => Some(Value::Map(Vec::new())),
        raw => simple_scalar(raw),
    }
}

/// The fast reading answers where the reading it replaced answered, with
/// the same tree, positions and texts (a carriage return aside, which now
/// goes to serde_yaml); and where it answers, serde_yaml and the locator
/// agree with it, positions included.
fn same_reading(yaml: &str) -> bool {
    let fast = simple(yaml, 2, byte_classes(yaml)).map(|(node, repeats)| {
        assert_eq!(repeats, duplicate_key(&node).is_some(), "{yaml:?}");
        node
    });
    if yaml.contains('\r') || yaml.chars().any(|c| !c.is_ascii() && c.is_whitespace()) {
        assert_eq!(fast, None, "{yaml:?}");
    } else {
        assert_eq!(
            fast,
            before_simple(yaml, 2),
            "the one-pass reading differs for {yaml:?}"
        );
    }
    match fast {
        None => false,
        Some(fast) => {
            let slow = by_serde_yaml(yaml, 2).ok();
            assert_eq!(Some(&fast), slow.as_ref(), "the fast reading differs for {yaml:?}");
            true
        }
    }
}

/// Scalars whose YAML reading is a trap: numbers in other notations,
/// words YAML reads as booleans or null, indicators, quotes and escapes.
const TRICKY: [&str; 58] = [
    "0",
    "-0",
    "7",
    "-12",
    "010",
    "0x1F",
    "0o17",
    "1_000",
    "+5",
    "1e3",
    "1.5e3",
    "1.",
    ".5",
    "1.50",
    "-0.25",
    "99999999999999999999",
    "9223372036854775807",
    "9223372036854775808",
    "2022-01-13",
    "2022-1-13",
    "2022-01-13T10:00:00",
    "12:30",
    "true",
    "False",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "null",
    "Null",
    "~",
    ".inf",
    "-.inf",
    ".NaN",
    "合成县人民政府",
    "agency-00001",
    "a#b",
    "a #b",
    "a: b",
    "a:",
    "'q'",
    "'it''s'",
    "\"d\"",
    "\"a\\tb\"",
    "\"\"",
    "''",
    "&anchor x",
    "*alias",
    "!tag x",
    "!!int 5",
    "- x",
    "? x",
    "| x",
    "> x",
    "@x",
    "`x",
    "%x",
];

/// White space beyond ASCII is text to YAML (`k: 　` is "　"), so such a
/// document is left to serde_yaml, which reads it so.
#[test]
fn white_space_beyond_ascii_goes_to_serde_yaml() {
    for space in ['\u{3000}', '\u{a0}', '\u{2003}', '\u{1680}', '\u{205f}'] {
        for yaml in [
            format!("k: {space}\n"),
            format!("k: [1, {space}]\n"),
            format!("k: x{space}\n"),
        ] {
            assert!(simple(&yaml, 2, byte_classes(&yaml)).is_none(), "{yaml:?}");
            let node = parse(&yaml, 2).expect("serde_yaml reads it");
            // The space is in a text of the tree, never trimmed away.
            fn texts(v: &Value, out: &mut String) {
                match v {
                    Value::Str(s) => out.push_str(s),
                    Value::Seq(items) => items.iter().for_each(|n| texts(&n.value, out)),
                    Value::Map(entries) => entries.iter().for_each(|(_, n)| texts(&n.value, out)),
                    _ => {}
                }
            }
            let mut all = String::new();
            texts(&node.value, &mut all);
            assert!(all.contains(space), "{yaml:?}: {node:?}");
        }
    }
    assert!(
        plain_spacing("agency: 合成云岭县司法局\nyear: 2025\n"),
        "CJK text is no white space"
    );
}

#[test]
fn the_fast_reading_agrees_with_serde_yaml_on_tricky_scalars() {
    let mut fast = 0;
    for s in TRICKY {
        for yaml in [
            format!("k: {s}\n"),
            format!("k: [{s}, 1]\n"),
            format!("k: {{a: {s}, b: 2}}\n"),
            format!("outer:\n  k: {s}\n  n: 1\nnext: x\n"),
            format!("{s}: 1\n"),
        ] {
            fast += usize::from(same_reading(&yaml));
        }
    }
    // Plain numbers, dates and text take the fast path; the rest falls back.
    assert!(fast >= 30, "{fast} documents read fast");
    assert!(same_reading(
        "format: gov-2021\nyear: 2023\npublished: 2024-01-20\nfees: 12.50\n"
    ));
    assert!(!same_reading("a: 1\n  b: 2\n"), "bad indentation goes to serde_yaml");
    assert!(!same_reading("a:\n  b: 1\n c: 2\n"), "a block at two indentations");
    assert!(!same_reading("a: [1,\n  2]\n"), "a list over two lines");
    assert!(!same_reading("list:\n  - 1\n"), "block lists go to serde_yaml");
}

#[test]
fn the_fast_reading_agrees_with_serde_yaml_on_every_fixture() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (mut files, mut fast) = (0, 0);
    for dir in ["tests/fixtures", "content"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
            if entry.path().extension().is_none_or(|e| e != "md") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let text = text.replace("\r\n", "\n");
            let Ok(s) = split(&text) else { continue };
            files += 1;
            fast += usize::from(same_reading(s.yaml));
        }
    }
    assert!(files > 100 && fast * 2 > files, "{fast} of {files} read fast");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
    /// Generated documents: keys (some of them YAML words), indentation
    /// right and wrong, scalars from the traps above and random text
    /// (characters beyond ASCII among them, which make
    /// columns differ from bytes), flow lists and maps, comments and blank
    /// lines.
    #[test]
    fn fuzz_the_fast_reading_agrees_with_serde_yaml(
        lines in proptest::collection::vec(
            (
                0usize..6,
                0usize..8,
                0usize..TRICKY.len(),
                "[a-z0-9 :#,'\"\\-\\[\\]{}.中é\r\u{3000}\u{a0}]{0,8}",
                0usize..10,
            ),
            1..10,
        )
    ) {
        const KEYS: [&str; 8] = ["a", "b", "year", "yes", "k-1", "_x", "c", "a"];
        let mut yaml = String::new();
        for (indent, key, tricky, random, shape) in lines {
            let scalar = if shape == 5 { random.as_str() } else { TRICKY[tricky] };
            let value = match shape {
                0 => String::new(),
                1 => format!(" [{scalar}, 3]"),
                2 => format!(" {{p: {scalar}}}"),
                3 => format!(" {scalar} # note"),
                6 => format!(" [中文,  {scalar}, {random}]"),
                7 => format!(" {{p: 中, q:  {scalar}}}  # {random}"),
                8 => {
                    yaml.push_str(&format!("{}# {random}\n\n", " ".repeat(indent)));
                    format!(" {scalar}")
                }
                9 => format!("  {random}"),
                _ => format!(" {scalar}"),
            };
            yaml.push_str(&format!("{}{}:{value}\n", " ".repeat(indent), KEYS[key]));
        }
        same_reading(&yaml);
    }

    /// The byte scan for characters YAML cannot read finds what the scan
    /// by characters finds.
    #[test]
    fn fuzz_the_byte_scan_agrees_with_the_char_scan(
        s in "[a-z \u{0}-\u{1f}\u{7f}-\u{a0}\u{2027}-\u{202a}\u{fffd}-\u{ffff}中é\u{3000}\u{1680}\u{2000}-\u{200b}#]{0,12}"
    ) {
        proptest::prop_assert_eq!(has_unreadable(&s), s.chars().any(yaml_unreadable), "{:?}", s);
        // Where the byte classes say no check is needed, none finds anything.
        if byte_classes(&s) & RARE == 0 {
            proptest::prop_assert!(!has_unreadable(&s) && plain_spacing(&s), "{:?}", s);
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
    /// The byte reading of a row's integers gives what [`simple_scalar`]
    /// gives for the trimmed piece, at the same offset; what it leaves to
    /// the general way is anything else.
    #[test]
    fn fuzz_plain_int_agrees_with_simple_scalar(piece in "[ 0-9\\-.a\u{3000}]{0,24}") {
        let trimmed = piece.trim();
        match plain_int(piece.as_bytes()) {
            Some((v, lead)) => {
                proptest::prop_assert_eq!(simple_scalar(trimmed), Some(Value::Int(v)), "{:?}", piece);
                proptest::prop_assert_eq!(lead, piece.len() - piece.trim_start().len());
            }
            None => proptest::prop_assert!(
                !matches!(simple_scalar(trimmed), Some(Value::Int(_))) || piece.contains('\u{3000}'),
                "{:?} is an integer the byte reading missed",
                piece
            ),
        }
    }

    /// The search for the closing fence cuts a file where the reading of
    /// its lines one by one (the way before it) cuts it.
    #[test]
    fn fuzz_split_agrees_with_a_line_by_line_reading(
        lines in proptest::collection::vec("(---|--|----|\\.\\.\\.|a: 1|x|)[ \t\r\u{3000}]{0,2}", 0..8),
        end in proptest::bool::ANY,
    ) {
        let mut text = lines.join("\n");
        if end {
            text.push('\n');
        }
        /// `split` as it was: every line read in turn.
        fn by_lines(text: &str) -> Result<Split<'_>, SplitError> {
            if text.trim().is_empty() {
                return Err(SplitError::Empty);
            }
            let fence = |line: &str| line.starts_with("---") && line.trim_end() == "---";
            let mut lines = text.split_inclusive('\n');
            let first = lines.next().unwrap_or("");
            if !fence(first) {
                return Err(SplitError::NoOpeningFence);
            }
            let yaml_start = first.len();
            let mut offset = yaml_start;
            for (line_no, line) in (2..).zip(lines) {
                if fence(line) {
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
        proptest::prop_assert_eq!(split(&text), by_lines(&text), "{:?}", text);
    }

    /// The one-pass reading of a row gives the nodes the reading piece by
    /// piece gives ([`plain_int`] on each piece between commas, placed
    /// after its spaces); what it leaves to that reading has a piece that
    /// is no plain integer.
    #[test]
    fn fuzz_int_list_agrees_with_plain_int(items in "[ 0-9\\-,a]{0,24}", wide in proptest::bool::ANY) {
        let text = format!("{}k: [{items}]", if wide { "中" } else { "" });
        let at = text.find('[').unwrap();
        let line = Columns::of(5, &text);
        let pieces: Vec<&str> = items.split(',').collect();
        match int_list(items.as_bytes(), &line, at) {
            Some(nodes) => {
                proptest::prop_assert_eq!(nodes.len(), pieces.len());
                let mut start = 0;
                for (node, piece) in nodes.iter().zip(&pieces) {
                    let (v, lead) = plain_int(piece.as_bytes()).expect("a plain integer");
                    let piece_at = at + 1 + start + lead;
                    proptest::prop_assert_eq!(&node.value, &Value::Int(v));
                    proptest::prop_assert_eq!(node.loc, line.loc(piece_at, piece_at));
                    proptest::prop_assert_eq!(&node.raw, &None);
                    start += piece.len() + 1;
                }
            }
            None => proptest::prop_assert!(pieces.iter().any(|p| plain_int(p.as_bytes()).is_none())),
        }
    }

    /// A key line is cut as `split_key` cuts it, when its key is simple and
    /// right before its colon; any other line is refused.
    #[test]
    fn fuzz_simple_key_line_agrees_with_split_key(line in "[a-z0-9_\\- :#\\[{'\"中\u{3000}]{0,16}") {
        let expected = split_key(&line)
            .filter(|&(k, _, _)| simple_key(k) && line.as_bytes().get(k.len()) == Some(&b':'));
        proptest::prop_assert_eq!(simple_key_line(&line), expected, "{:?}", line);
    }
}
