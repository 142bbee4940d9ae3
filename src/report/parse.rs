//! From a front-matter tree to a [`Report`]: every key looked up against the
//! format's layout, every number checked for its kind (R05), the required
//! metadata present and well-formed (R06), unknown keys refused with the
//! nearest known key suggested (F04). All problems of a file are collected;
//! a report with table errors keeps its metadata but no tables.
//!
//! Every number is bounded here, where it is read ([`MAX_COUNT`],
//! [`MAX_AMOUNT`]), so that no sum formed later (balance checks, yearly
//! aggregates over thousands of reports) can come near the limits of `i64`.
//! Every text is checked for characters no text may hold ([`bad_control`]),
//! and a value written with a YAML tag is refused wherever it is.

use chrono::{Datelike, NaiveDate};

use super::labels::{self, FieldKind, RowDef, RowKind, APPEAL_COLUMNS, APPEAL_ROWS, REQUEST_COLUMNS};
use super::{find_sections, Format, Item, Level, MetaPos, Report, Row, Tables};
pub use crate::diagnostics::bad_control;
use crate::diagnostics::{char_name, did_you_mean, Diagnostic, Pos};
use crate::frontmatter::{Node, Value};
use crate::rules::Rule;

/// The largest count (and the largest change, either way) a report may give:
/// one hundred million, far above any real figure (the largest bodies
/// receive some tens of thousands of requests a year), and small enough that
/// sums over a hundred thousand reports stay exact in an `i64`.
pub const MAX_COUNT: i64 = 100_000_000;

/// Decimals an amount (万元) may have: 6, to the 分.
pub const AMOUNT_DECIMALS: usize = 6;

/// Amounts are stored in these units: 1/1,000,000 万元, one 分.
pub const AMOUNT_SCALE: i64 = 1_000_000;

/// Amounts are less than this, in the unit of their table (10^12: fees are in
/// 万元, gov-2019's 采购总金额 is often in 元, and a trillion yuan is more
/// than any body's procurement). In units of 1/[`AMOUNT_SCALE`] that is at
/// most 10^18, below `i64::MAX`; sums of real amounts stay exact, and sums
/// of extreme ones saturate.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

/// The longest `agency_slug`: a slug names a folder and a file under the
/// output, and file systems refuse names over 255 bytes.
pub const MAX_SLUG: usize = 64;

/// The keys a report's front matter may have.
pub const REPORT_KEYS: [&str; 12] = [
    "format",
    "agency",
    "agency_slug",
    "year",
    "published",
    "level",
    "region",
    "title",
    "draft",
    "proactive",
    "requests",
    "appeals",
];

/// The first year a report can be for: the 2008 条例 took effect on 1 May 2008.
pub const FIRST_YEAR: i32 = 2008;

/// Collects the diagnostics of one file.
pub struct Ctx<'a> {
    pub file: &'a str,
    pub diags: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    pub fn new(file: &'a str) -> Self {
        Ctx {
            file,
            diags: Vec::new(),
        }
    }

    /// Records a problem of `rule` (those found here are all errors).
    fn error(&mut self, rule: Rule, pos: Option<Pos>, context: &str, detail: &str) {
        self.diags.push(Diagnostic::new(rule, self.file, pos, context, detail));
    }

    /// F04 for each key of `map` that is not in `known`.
    pub fn unknown_keys(&mut self, map: &[(String, Node)], known: &[&str], context: &str) {
        for (k, node) in map {
            if !known.contains(&k.as_str()) {
                let hint = match did_you_mean(k, known) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the keys here are: {}", known.join(", ")),
                };
                let at = Some(node.key_pos());
                let d = Diagnostic::new(Rule::F04, self.file, at, context, &format!("unknown key `{k}`"));
                self.diags.push(d.with_help(hint));
            }
        }
    }
}

fn get<'n>(map: &'n [(String, Node)], key: &str) -> Option<&'n Node> {
    map.iter().find(|(k, _)| k == key).map(|(_, n)| n)
}

fn as_map(node: &Node) -> Option<&[(String, Node)]> {
    match &node.value {
        Value::Map(m) => Some(m),
        _ => None,
    }
}

/// Replaces full-width digits and separators by their ASCII forms.
fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '，' => ',',
            '．' => '.',
            '－' => '-',
            _ => c,
        })
        .collect()
}

/// Explains why a string is not a number, and what to write instead.
fn string_number_hint(s: &str, raw: Option<&str>) -> String {
    let t = s.trim();
    let quoted = raw.is_some_and(|r| r.starts_with('"') || r.starts_with('\''));
    if t.contains('，') {
        return format!(
            "found a full-width comma in \"{t}\"; separate numbers with an ASCII comma and a space: {}",
            ascii_digits(t).replace(',', ", ")
        );
    }
    if !quoted && t.len() > 1 && t.starts_with('0') && t.bytes().all(|b| b.is_ascii_digit()) {
        let v = t.trim_start_matches('0');
        return format!(
            "found {t}, with a leading zero; write {}",
            if v.is_empty() { "0" } else { v }
        );
    }
    let ascii = ascii_digits(t);
    let is_num = |x: &str| {
        !x.is_empty()
            && x.trim_start_matches('-')
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
    };
    if ascii != t && is_num(&ascii.replace(',', "")) {
        return format!(
            "found full-width characters \"{t}\"; write ASCII digits: {}",
            ascii.replace(',', "")
        );
    }
    if t.contains(',') && is_num(&t.replace(',', "")) {
        return format!(
            "found \"{t}\" with a thousands separator; write {} without separators",
            t.replace(',', "")
        );
    }
    if is_num(t) {
        return format!("found the quoted text \"{t}\"; write the number without quotes: {t}");
    }
    if t.is_empty() {
        return "found an empty string; write a number, or null for a blank cell".to_string();
    }
    format!("found the text \"{t}\"; write a number, or null for a blank cell")
}

/// Parses one number cell of `kind`. Errors are reported under R05.
/// `context` names the cell; it is only formatted when there is an error.
/// Counts are at most [`MAX_COUNT`], changes at most that either way,
/// amounts less than [`MAX_AMOUNT`] with at most [`AMOUNT_DECIMALS`]
/// decimals (stored in units of 1/[`AMOUNT_SCALE`]).
fn parse_cell(
    ctx: &mut Ctx,
    node: &Node,
    kind: FieldKind,
    context: impl FnOnce() -> String,
) -> Result<Option<i64>, ()> {
    if let Some((pos, message)) = tag_problem(node, "") {
        ctx.error(Rule::R05, Some(pos), &context(), &message);
        return Err(());
    }
    let what = match kind {
        FieldKind::Count => "a count (a whole number, 0 or more)",
        FieldKind::Change => "a whole number (may be negative)",
        FieldKind::Amount => "an amount (0 or more, at most 6 decimals)",
    };
    let too_large = |found: &dyn std::fmt::Display| too_large(kind, found);
    let detail = match &node.value {
        Value::Null => return Ok(None),
        Value::Int(i) => {
            if *i < 0 && kind != FieldKind::Change {
                format!("found {i}; {what} cannot be negative")
            } else if kind == FieldKind::Amount {
                if *i < MAX_AMOUNT {
                    return Ok(Some(i * AMOUNT_SCALE));
                }
                too_large(i)
            } else if i.unsigned_abs() <= MAX_COUNT as u64 {
                return Ok(Some(*i));
            } else {
                too_large(i)
            }
        }
        Value::BigInt(s) if s.starts_with('-') && kind != FieldKind::Change => {
            format!("found {s}; {what} cannot be negative")
        }
        Value::BigInt(s) => too_large(s),
        Value::Float(f) => {
            if f.is_nan() || f.is_infinite() {
                format!("found {f}; this cell takes {what}")
            } else if *f < 0.0 && kind != FieldKind::Change {
                format!("found {f}; {what} cannot be negative")
            } else if kind == FieldKind::Amount {
                // The digits as written (a float has 15-17 significant
                // digits, an amount up to 19), unless in another form (1e3).
                let written = node
                    .raw
                    .as_deref()
                    .filter(|r| r.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
                let parsed = match written {
                    Some(w) => parse_amount(w),
                    None if *f >= MAX_AMOUNT as f64 => Err(too_large(f)),
                    None => parse_amount(&f.to_string()),
                };
                match parsed {
                    Ok(v) => return Ok(Some(v)),
                    Err(e) => e,
                }
            } else if f.abs() > MAX_COUNT as f64 {
                too_large(f)
            } else if f.fract() == 0.0 {
                format!("found {f}; write it as a whole number: {}", *f as i64)
            } else {
                format!("found {f}; this cell takes a whole number")
            }
        }
        Value::Str(s) => string_number_hint(s, node.raw.as_deref()),
        other => format!("found {}; this cell takes {what}", other.kind()),
    };
    ctx.error(Rule::R05, Some(node.pos()), &context(), &detail);
    Err(())
}

/// Why `found` is refused as a number of `kind`: larger than any report can hold.
fn too_large(kind: FieldKind, found: &dyn std::fmt::Display) -> String {
    let (what, bound) = match kind {
        FieldKind::Count => ("count", format!("a count is at most {MAX_COUNT}")),
        FieldKind::Change => ("count", format!("a change is between -{MAX_COUNT} and {MAX_COUNT}")),
        FieldKind::Amount => ("hold", format!("an amount is less than {MAX_AMOUNT}")),
    };
    let unit = if kind == FieldKind::Amount { " and the unit" } else { "" };
    format!("found {found}, more than any report can {what}: {bound}; check the number{unit}")
}

/// Parses a non-negative decimal amount written like `4068.208` (万元) into
/// units of 1/[`AMOUNT_SCALE`]: at most [`AMOUNT_DECIMALS`] decimals, less
/// than [`MAX_AMOUNT`].
fn parse_amount(s: &str) -> Result<i64, String> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if !frac.bytes().all(|b| b.is_ascii_digit()) || !int.bytes().all(|b| b.is_ascii_digit()) || int.is_empty() {
        return Err(format!("found {s}; write a plain decimal number, e.g. 4068.208"));
    }
    if frac.len() > AMOUNT_DECIMALS {
        return Err(format!(
            "found {s}, with {} decimals; amounts take at most {AMOUNT_DECIMALS} decimals (万元 to the 分): write {}",
            frac.len(),
            round_amount(s)
        ));
    }
    let int: i64 = match int.trim_start_matches('0') {
        "" => 0,
        digits if digits.len() <= 13 => digits.parse().unwrap_or(i64::MAX),
        _ => i64::MAX,
    };
    if int >= MAX_AMOUNT {
        return Err(too_large(FieldKind::Amount, &s));
    }
    let frac: i64 = format!("{frac:0<6}").parse().unwrap_or(0);
    Ok(int * AMOUNT_SCALE + frac)
}

/// `s` rounded to [`AMOUNT_DECIMALS`] decimals, for a hint.
fn round_amount(s: &str) -> String {
    let f: f64 = s.parse().unwrap_or(0.0);
    let r = format!("{f:.6}");
    let r = r.trim_end_matches('0').trim_end_matches('.');
    r.to_string()
}

/// Formats an amount stored in units of 1/[`AMOUNT_SCALE`] with as few
/// decimals as needed.
pub fn format_amount(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let v = v.unsigned_abs();
    let scale = AMOUNT_SCALE.unsigned_abs();
    let (int, frac) = (v / scale, v % scale);
    if frac == 0 {
        format!("{sign}{int}")
    } else {
        let f = format!("{frac:06}");
        format!("{sign}{int}.{}", f.trim_end_matches('0'))
    }
}

/// In a one-line row that separates its numbers with `, `, a number written
/// with a thousands separator (`1,234`): YAML reads it as 1 and 234.
/// (A row written without spaces, `[1,234,5]`, is ambiguous and left alone.)
fn thousands_in_row(raw: &str) -> Option<&str> {
    if !raw.contains(", ") {
        return None;
    }
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit()) {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let mut groups = 0;
            while b.get(i) == Some(&b',')
                && b.get(i + 1..i + 4).is_some_and(|g| g.iter().all(u8::is_ascii_digit))
                && !b.get(i + 4).is_some_and(u8::is_ascii_digit)
            {
                i += 4;
                groups += 1;
            }
            if groups > 0 && i - start - 4 * groups <= 3 {
                return Some(&raw[start..i]);
            }
        } else {
            i += 1;
        }
    }
    None
}

/// Parses a row of `N` numbers (or `N - 1`, the 总计 then computed).
/// `context` names the row; it is only formatted when there is an error.
fn parse_row<const N: usize>(
    ctx: &mut Ctx,
    node: Option<&Node>,
    context: &dyn Fn() -> String,
    columns: &[&str; N],
) -> Result<Row<N>, ()> {
    let Some(node) = node else {
        return Ok(Row::omitted());
    };
    if let Some((pos, message)) = tag_problem(node, "") {
        ctx.error(Rule::R05, Some(pos), &context(), &message);
        return Err(());
    }
    let items = match &node.value {
        // A row written as `~` is a row left out: zeros (a computed total).
        Value::Null => return Ok(Row::omitted()),
        Value::Seq(items) => items,
        other => {
            ctx.error(
                Rule::R05,
                Some(node.pos()),
                &context(),
                &format!(
                    "found {}; write a list of {N} numbers ({}), or {} without the 总计",
                    other.kind(),
                    columns.join(" "),
                    N - 1
                ),
            );
            return Err(());
        }
    };
    if let Some(number) = node.raw.as_deref().and_then(thousands_in_row) {
        ctx.error(
            Rule::R05,
            Some(node.pos()),
            &context(),
            &format!(
                "found {number}: a thousands separator, which YAML reads as two numbers; write {} without separators",
                number.replace(',', "")
            ),
        );
        return Err(());
    }
    if items.len() != N && items.len() != N - 1 {
        ctx.error(
            Rule::R05,
            Some(node.pos()),
            &context(),
            &format!(
                "found a row of {} numbers; this row takes {N} numbers ({}), or {} with the 总计 left off",
                items.len(),
                columns.join(" "),
                N - 1
            ),
        );
        return Err(());
    }
    let mut row = Row::omitted();
    row.pos = Some(node.pos());
    row.total_given = items.len() == N;
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        match parse_cell(ctx, item, FieldKind::Count, || {
            format!("{}, column {}", context(), columns[i])
        }) {
            Ok(v) => row.cells[i] = v,
            Err(()) => ok = false,
        }
        row.cell_pos[i] = Some(item.pos());
    }
    if !ok {
        return Err(());
    }
    if !row.total_given {
        row.cells[N - 1] = Some(row.parts_sum());
        row.cell_pos[N - 1] = None;
    }
    Ok(row)
}

/// Where `s`, the text of `node`, holds a character no text may hold, and
/// what to say about it: at the character's own column when the value is
/// written as it is on its line, else at the value.
fn control_problem(node: &Node, s: &str, key: &str) -> Option<(Pos, String)> {
    let (_, c) = bad_control(s)?;
    let column = node
        .raw
        .as_deref()
        .and_then(|raw| raw.chars().position(|x| x == c))
        .map_or(node.loc.column, |i| node.loc.column + i);
    let message = format!(
        "`{key}` contains the character {}, which no text of a content file may hold \
         (control characters and bidirectional overrides are invisible and change how text is shown); remove it",
        char_name(c)
    );
    Some((Pos::at(node.loc.line, column), message))
}

/// What to say about a value written with a YAML tag (`!!int "5"`,
/// `!!binary …`): content files take plain values.
fn tag_problem(node: &Node, key: &str) -> Option<(Pos, String)> {
    let tag = node.tag()?;
    let raw = node.raw.as_deref().unwrap_or(tag);
    let plain = match &node.value {
        Value::Int(i) => Some(i.to_string()),
        Value::BigInt(s) => Some(s.clone()),
        Value::Float(f) => Some(f.to_string()),
        Value::Str(s) if !s.is_empty() && s.trim().parse::<f64>().is_ok() => Some(s.trim().to_string()),
        _ => None,
    };
    let place = if key.is_empty() {
        String::new()
    } else {
        format!("`{key}`: ")
    };
    let message = match plain {
        Some(n) => format!(
            "{place}found `{raw}`, a number with the YAML tag `{tag}`; write the number without quotes or tags: {n}"
        ),
        None => format!(
            "{place}found `{raw}`, a value with the YAML tag `{tag}`; content files take plain values: write it without the tag"
        ),
    };
    Some((node.pos(), message))
}

/// Why the text value `node` of `key` (a title, an agency name…) cannot be
/// taken, if it cannot: it is written with a YAML tag, or it holds a
/// character no text may hold ([`bad_control`]), which is then named
/// (`U+001B (escape)`) and placed at its own column where it can be. For
/// any text of any content file (ordinary pages use it for `title`).
pub fn text_problem(node: &Node, key: &str) -> Option<(Pos, String)> {
    if let Some(p) = tag_problem(node, key) {
        return Some(p);
    }
    match &node.value {
        Value::Str(s) => control_problem(node, s, key),
        _ => None,
    }
}

/// R05 for every value under `node` written with a YAML tag; true if there
/// was one. (In the tables, each number, row and block refuses its own tag,
/// with the cell's labels.)
fn refuse_tags(ctx: &mut Ctx, node: &Node, key: &str) -> bool {
    let mut found = false;
    if let Some((pos, message)) = tag_problem(node, key) {
        ctx.error(Rule::R05, Some(pos), "", &message);
        found = true;
    }
    match &node.value {
        Value::Map(entries) => {
            for (k, child) in entries {
                found |= refuse_tags(ctx, child, k);
            }
        }
        Value::Seq(items) => {
            for item in items {
                found |= refuse_tags(ctx, item, key);
            }
        }
        _ => {}
    }
    found
}

/// Reads a string value; R05 when it is of another kind or holds a
/// character no text may hold.
fn parse_string(ctx: &mut Ctx, node: &Node, key: &str) -> Option<String> {
    if node.tag().is_some() {
        // Reported once for the whole front matter, by `refuse_tags`.
        return None;
    }
    match &node.value {
        Value::Str(s) => match control_problem(node, s, key) {
            Some((pos, message)) => {
                ctx.error(Rule::R05, Some(pos), "", &message);
                None
            }
            None => Some(s.trim().to_string()),
        },
        Value::Int(i) => Some(i.to_string()),
        other => {
            ctx.error(
                Rule::R05,
                Some(node.pos()),
                "",
                &format!("`{key}` takes text; found {}", other.kind()),
            );
            None
        }
    }
}

/// A slug suggestion for a value that is not `[a-z0-9-]+`.
fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if (c == ' ' || c == '_' || c == '-') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Whether `s` can be an `agency_slug`: `[a-z0-9-]+`, at most [`MAX_SLUG`]
/// characters (it names folders of the output).
pub fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SLUG
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Parses a report from its front matter `root` (a mapping) and its body.
/// Returns the report, if its metadata is complete, and the file's diagnostics.
pub fn parse_report(
    file: &str,
    root: &Node,
    body: String,
    body_line: usize,
    today: NaiveDate,
) -> (Option<Report>, Vec<Diagnostic>) {
    let mut ctx = Ctx::new(file);
    let report = parse_into(&mut ctx, root, body, body_line, today);
    (report, ctx.diags)
}

fn parse_into(ctx: &mut Ctx, root: &Node, body: String, body_line: usize, today: NaiveDate) -> Option<Report> {
    let map = as_map(root)?;
    let top = Some(Pos::line(1));
    let mut complete = true;

    // A tagged value in the metadata: the report is not taken.
    for (k, n) in map.iter().filter(|(k, _)| REPORT_KEYS[..9].contains(&k.as_str())) {
        if refuse_tags(ctx, n, k) {
            complete = false;
        }
    }

    // format
    let format = match get(map, "format") {
        None => {
            ctx.error(
                Rule::R06,
                top,
                "",
                "missing required key `format` (gov-2021, gov-2019 or freeform)",
            );
            None
        }
        Some(n) => match &n.value {
            Value::Str(s) => match Format::from_key(s.trim()) {
                Some(f) => Some(f),
                None => {
                    let hint = did_you_mean(s.trim(), &["gov-2021", "gov-2019", "freeform"])
                        .map(|x| format!(" (did you mean `{x}`?)"))
                        .unwrap_or_default();
                    ctx.error(
                        Rule::R05,
                        Some(n.pos()),
                        "",
                        &format!("`format: {s}` is not a known format; write gov-2021, gov-2019 or freeform{hint}"),
                    );
                    None
                }
            },
            other => {
                ctx.error(
                    Rule::R05,
                    Some(n.pos()),
                    "",
                    &format!("`format` takes gov-2021, gov-2019 or freeform; found {}", other.kind()),
                );
                None
            }
        },
    };
    let has_tables = format.is_none_or(|f| f.has_tables());
    if has_tables {
        ctx.unknown_keys(map, &REPORT_KEYS, "");
    } else {
        for (k, node) in map.iter().filter(|(k, _)| REPORT_KEYS[9..].contains(&k.as_str())) {
            ctx.error(
                Rule::F04,
                Some(node.key_pos()),
                "",
                &format!("a freeform report has no tables: remove `{k}`, or use format gov-2021 (or gov-2019) to give the tables"),
            );
        }
        let others: Vec<(String, Node)> = map
            .iter()
            .filter(|(k, _)| !REPORT_KEYS[9..].contains(&k.as_str()))
            .cloned()
            .collect();
        ctx.unknown_keys(&others, &REPORT_KEYS[..9], "");
    }

    let required = |ctx: &mut Ctx, key: &str, what: &str| -> Option<Node> {
        match get(map, key) {
            Some(n) if n.value != Value::Null => Some(n.clone()),
            Some(n) => {
                ctx.error(
                    Rule::R06,
                    Some(n.pos()),
                    "",
                    &format!("required key `{key}` ({what}) is empty"),
                );
                None
            }
            None => {
                ctx.error(Rule::R06, top, "", &format!("missing required key `{key}` ({what})"));
                None
            }
        }
    };

    let agency_node = required(ctx, "agency", "the reporting body, exactly as published");
    let slug_node = required(ctx, "agency_slug", "[a-z0-9-]+, used in URLs");
    let year_node = required(ctx, "year", "the reporting year");
    let published_node = required(ctx, "published", "发布日期, YYYY-MM-DD");

    let agency = agency_node.as_ref().and_then(|n| parse_string(ctx, n, "agency"));
    if agency.as_deref() == Some("") {
        ctx.error(Rule::R06, agency_node.as_ref().map(Node::pos), "", "`agency` is empty");
    }
    let agency = agency.filter(|s| !s.is_empty());

    let slug = slug_node.as_ref().and_then(|n| {
        let s = parse_string(ctx, n, "agency_slug")?;
        let slug_chars = s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if valid_slug(&s) {
            Some(s)
        } else if slug_chars && s.len() > MAX_SLUG {
            ctx.error(
                Rule::R06,
                Some(n.pos()),
                "",
                &format!(
                    "agency_slug is {} characters long; a slug is at most {MAX_SLUG} characters (it names folders and files of the site): shorten it",
                    s.len()
                ),
            );
            None
        } else {
            let mut suggestion = slugify(&s);
            suggestion.truncate(MAX_SLUG);
            let suggestion = suggestion.trim_end_matches('-');
            let hint = if suggestion.is_empty() {
                "use lower-case Latin letters, digits and hyphens, e.g. the pinyin of the name".to_string()
            } else {
                format!("write e.g. `{suggestion}`")
            };
            ctx.error(
                Rule::R06,
                Some(n.pos()),
                "",
                &format!("agency_slug `{s}` must match [a-z0-9-]+ (lower-case letters, digits, hyphens); {hint}"),
            );
            None
        }
    });

    let year = year_node.as_ref().and_then(|n| match &n.value {
        _ if n.tag().is_some() => None,
        Value::Int(y) if (FIRST_YEAR as i64..=today.year() as i64).contains(y) => i32::try_from(*y).ok(),
        Value::BigInt(_) | Value::Int(_) => {
            let y = match &n.value {
                Value::Int(y) => y.to_string(),
                Value::BigInt(y) => y.to_string(),
                _ => String::new(),
            };
            ctx.error(
                Rule::R06,
                Some(n.pos()),
                "",
                &format!(
                    "year {y} is out of range: reports are for {FIRST_YEAR} to {} (this year)",
                    today.year()
                ),
            );
            None
        }
        Value::Str(s) => {
            ctx.error(
                Rule::R05,
                Some(n.pos()),
                "",
                &format!("`year`: {}", string_number_hint(s, n.raw.as_deref())),
            );
            None
        }
        other => {
            ctx.error(
                Rule::R05,
                Some(n.pos()),
                "",
                &format!("`year` takes a year like 2023; found {}", other.kind()),
            );
            None
        }
    });

    let published = published_node.as_ref().and_then(|n| {
        let s = match &n.value {
            _ if n.tag().is_some() => return None,
            Value::Str(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::BigInt(s) => s.clone(),
            Value::Float(f) => f.to_string(),
            Value::Bool(b) => b.to_string(),
            other => other.kind().to_string(),
        };
        match parse_date(&s) {
            Some(d) => Some(d),
            None => {
                ctx.error(
                    Rule::R05,
                    Some(n.pos()),
                    "",
                    &format!("`published: {s}` is not a date; write YYYY-MM-DD, e.g. 2024-01-05"),
                );
                None
            }
        }
    });

    let level = match get(map, "level") {
        None => Some(Level::Department),
        Some(n) => match &n.value {
            Value::Null => Some(Level::Department),
            Value::Str(s) if Level::from_key(s.trim()).is_some() => Level::from_key(s.trim()),
            other => {
                let found = match other {
                    Value::Str(s) => format!("`{s}`"),
                    o => o.kind().to_string(),
                };
                ctx.error(
                    Rule::R05,
                    Some(n.pos()),
                    "",
                    &format!("`level` takes government, department or township; found {found}"),
                );
                None
            }
        },
    };

    let region = get(map, "region")
        .filter(|n| n.value != Value::Null)
        .and_then(|n| parse_string(ctx, n, "region"));
    let title = get(map, "title")
        .filter(|n| n.value != Value::Null)
        .and_then(|n| parse_string(ctx, n, "title"));
    let draft = match get(map, "draft").map(|n| (&n.value, n)) {
        None | Some((Value::Null, _)) => false,
        Some((Value::Bool(b), _)) => *b,
        Some((other, n)) => {
            ctx.error(
                Rule::R05,
                Some(n.pos()),
                "",
                &format!("`draft` takes true or false; found {}", other.kind()),
            );
            complete = false;
            false
        }
    };

    let tables = match format {
        Some(f) if f.has_tables() => parse_tables(ctx, map, f),
        _ => None,
    };

    let sections = find_sections(&body, body_line);
    let (format, agency, slug, year, published, level) = (format?, agency?, slug?, year?, published?, level?);
    if !complete {
        return None;
    }
    let pos = |key: &str| get(map, key).map(Node::pos);
    Some(Report {
        path: ctx.file.to_string(),
        format,
        title: title.unwrap_or_else(|| Report::default_title(&agency, year)),
        agency,
        agency_slug: slug,
        year,
        published,
        level,
        region,
        draft,
        tables,
        body,
        body_line,
        sections,
        meta_pos: MetaPos {
            agency: pos("agency"),
            agency_slug: pos("agency_slug"),
            year: pos("year"),
            published: pos("published"),
        },
    })
}

/// Parses tables 二, 三 and 四; `None` if any has an error.
fn parse_tables(ctx: &mut Ctx, map: &[(String, Node)], format: Format) -> Option<Tables> {
    let before = ctx.diags.len();
    let proactive = parse_proactive(ctx, get(map, "proactive"), format);
    let (requests, requests_pos) = parse_requests(ctx, get(map, "requests"), format);
    let (appeals, appeals_pos) = parse_appeals(ctx, get(map, "appeals"));
    // An unknown key in a table (a misspelt row) means its numbers are not
    // all known: the balance checks would only add confusion.
    if ctx.diags.len() > before {
        return None;
    }
    Some(Tables {
        proactive: proactive?,
        requests: requests?,
        appeals: appeals?,
        requests_pos,
        appeals_pos,
    })
}

type BlockResult<'n> = Result<&'n [(String, Node)], ()>;

/// A block that must be a mapping (or absent/null, meaning zeros).
fn block<'n>(ctx: &mut Ctx, node: Option<&'n Node>, context: &str, keys: &[&str]) -> Result<&'n [(String, Node)], ()> {
    if let Some((pos, message)) = node.and_then(|n| tag_problem(n, "")) {
        ctx.error(Rule::R05, Some(pos), context, &message);
        return Err(());
    }
    match node.map(|n| (&n.value, n)) {
        None | Some((Value::Null, _)) => Ok(&[]),
        Some((Value::Map(m), _)) => {
            ctx.unknown_keys(m, keys, context);
            Ok(m)
        }
        Some((other, n)) => {
            ctx.error(
                Rule::R05,
                Some(n.pos()),
                context,
                &format!(
                    "found {}; this is a block with the keys {}",
                    other.kind(),
                    keys.join(", ")
                ),
            );
            Err(())
        }
    }
}

fn parse_proactive(ctx: &mut Ctx, node: Option<&Node>, format: Format) -> Option<Vec<Item>> {
    let defs = format.proactive_items();
    let keys: Vec<&str> = defs.iter().map(|d| d.key).collect();
    let map = block(ctx, node, labels::TABLE_2, &keys).ok()?;
    let mut ok = true;
    let mut items = Vec::with_capacity(defs.len());
    for def in defs {
        let context = format!("{}, {} {}", labels::TABLE_2, def.block, def.label);
        let mut item = Item {
            cells: vec![Some(0); def.fields.len()],
            pos: None,
        };
        if let Some(n) = get(map, def.key) {
            item.pos = Some(n.pos());
            if def.scalar {
                let f = &def.fields[0];
                match parse_cell(ctx, n, f.kind, || format!("{context} {}", f.label)) {
                    Ok(v) => item.cells[0] = v,
                    Err(()) => ok = false,
                }
            } else {
                let fkeys: Vec<&str> = def.fields.iter().map(|f| f.key).collect();
                match block(ctx, Some(n), &context, &fkeys) {
                    Ok(fm) => {
                        for (i, f) in def.fields.iter().enumerate() {
                            if let Some(c) = get(fm, f.key) {
                                match parse_cell(ctx, c, f.kind, || format!("{context} {}", f.label)) {
                                    Ok(v) => item.cells[i] = v,
                                    Err(()) => ok = false,
                                }
                            }
                        }
                    }
                    Err(()) => ok = false,
                }
            }
        }
        items.push(item);
    }
    ok.then_some(items)
}

fn parse_requests(ctx: &mut Ctx, node: Option<&Node>, format: Format) -> (Option<Vec<Row<7>>>, Option<Pos>) {
    let defs: &[RowDef] = format.request_rows();
    let mut keys: Vec<&str> = Vec::new();
    for d in defs {
        let k = d.group.unwrap_or(d.key);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let pos = node.map(Node::pos);
    let Ok(map) = block(ctx, node, labels::TABLE_3, &keys) else {
        return (None, pos);
    };
    let mut ok = true;
    let mut rows = Vec::with_capacity(defs.len());
    // Check each group block once, before its rows.
    let mut groups: Vec<(&str, BlockResult)> = Vec::new();
    for g in labels::REQUEST_GROUPS.iter() {
        if defs.iter().any(|d| d.group == Some(g.key)) {
            let sub: Vec<&str> = defs.iter().filter(|d| d.group == Some(g.key)).map(|d| d.key).collect();
            let context = format!("{}, 三、本年度办理结果{}", labels::TABLE_3, g.label);
            let r = block(ctx, get(map, g.key), &context, &sub);
            ok &= r.is_ok();
            groups.push((g.key, r));
        }
    }
    for def in defs {
        let node = match def.group {
            None => get(map, def.key),
            Some(g) => match groups.iter().find(|(k, _)| *k == g) {
                Some((_, Ok(m))) => get(m, def.key),
                _ => None,
            },
        };
        let context = || format!("{}, {}", labels::TABLE_3, def.full_label());
        match parse_row::<7>(ctx, node, &context, &REQUEST_COLUMNS) {
            Ok(r) => rows.push(r),
            Err(()) => {
                ok = false;
                rows.push(Row::omitted());
            }
        }
    }
    // An omitted （七）总计 is shown as the sum of the result rows.
    if let Some(ti) = defs.iter().position(|d| d.kind == RowKind::Total) {
        if rows[ti].pos.is_none() {
            for c in 0..7 {
                let sum = defs
                    .iter()
                    .zip(&rows)
                    .filter(|(d, _)| d.kind == RowKind::Result)
                    .fold(0i64, |sum, (_, r)| sum.saturating_add(r.value(c)));
                rows[ti].cells[c] = Some(sum);
            }
        }
    }
    (ok.then_some(rows), pos)
}

fn parse_appeals(ctx: &mut Ctx, node: Option<&Node>) -> (Option<[Row<5>; 3]>, Option<Pos>) {
    let keys: Vec<&str> = APPEAL_ROWS.iter().map(|d| d.key).collect();
    let pos = node.map(Node::pos);
    let Ok(map) = block(ctx, node, labels::TABLE_4, &keys) else {
        return (None, pos);
    };
    let mut ok = true;
    let rows = APPEAL_ROWS.each_ref().map(|def| {
        let context = || format!("{}, {}", labels::TABLE_4, def.label);
        parse_row::<5>(ctx, get(map, def.key), &context, &APPEAL_COLUMNS).unwrap_or_else(|()| {
            ok = false;
            Row::omitted()
        })
    });
    (ok.then_some(rows), pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_to_six_decimals_and_bounded() {
        assert_eq!(parse_amount("4068.208"), Ok(4_068_208_000));
        assert_eq!(parse_amount("96171.6"), Ok(96_171_600_000));
        // 万元 to the 分.
        assert_eq!(parse_amount("1.234567"), Ok(1_234_567));
        assert_eq!(parse_amount("0.000001"), Ok(1));
        let e = parse_amount("1.2345678").unwrap_err();
        assert!(e.contains("7 decimals") && e.contains("write 1.234568"), "{e}");
        assert_eq!(parse_amount("999999999999.999999"), Ok(999_999_999_999_999_999));
        for s in ["1000000000000", "1000000000000.5", "99999999999999999999999999.1"] {
            assert!(parse_amount(s).unwrap_err().contains("less than 1000000000000"), "{s}");
        }
        for s in ["", ".5", "-1.5", "1e5", "NaN", "inf", "1.2.3", "+1"] {
            assert!(parse_amount(s).is_err(), "{s}");
        }
        assert_eq!(format_amount(4_068_208_000), "4068.208");
        assert_eq!(format_amount(1_234_567), "1.234567");
        assert_eq!(format_amount(AMOUNT_SCALE), "1");
        assert_eq!(format_amount(0), "0");
        assert_eq!(format_amount(-1), "-0.000001");
        assert_eq!(format_amount(i64::MIN), "-9223372036854.775808");
    }

    #[test]
    fn string_numbers_get_specific_hints() {
        assert!(string_number_hint("12", Some("\"12\"")).contains("without quotes: 12"));
        assert!(string_number_hint("１２", None).contains("full-width"));
        assert!(string_number_hint("1,234", None).contains("thousands separator"));
        assert!(string_number_hint("abc", None).contains("text \"abc\""));
        assert!(string_number_hint("03", Some("03")).contains("leading zero; write 3"));
        assert!(string_number_hint("5，1", None).contains("5, 1"));
    }

    #[test]
    fn thousands_separators_in_rows_are_found() {
        assert_eq!(thousands_in_row("[1,234, 0, 0]"), Some("1,234"));
        assert_eq!(thousands_in_row("[2, 12,500,000, 0]"), Some("12,500,000"));
        assert_eq!(thousands_in_row("[1, 234, 0]"), None);
        assert_eq!(thousands_in_row("[1,234,0]"), None);
        assert_eq!(thousands_in_row("[1,2345, 0]"), None);
    }

    const VALID: &str = include_str!("../../tests/fixtures/valid/content/reports/ceshi/2023.md");

    /// The valid fixture report with `from` replaced by `to`, parsed.
    fn parse_with(from: &str, to: &str) -> (Option<Report>, Vec<Diagnostic>) {
        assert!(VALID.contains(from), "{from}");
        let text = VALID.replacen(from, to, 1);
        let split = crate::frontmatter::split(&text).unwrap();
        let root = crate::frontmatter::parse(split.yaml, split.yaml_line).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        parse_report("r.md", &root, split.body.to_string(), split.body_line, today)
    }

    /// The one diagnostic of a parse: (id, line, column, message).
    fn one(from: &str, to: &str) -> (&'static str, usize, Option<usize>, String) {
        let (_, d) = parse_with(from, to);
        assert_eq!(d.len(), 1, "{d:#?}");
        (
            d[0].id.as_str(),
            d[0].line.unwrap_or(0),
            d[0].column,
            d[0].message.clone(),
        )
    }

    #[test]
    fn counts_are_bounded_where_they_are_written() {
        let (r, d) = parse_with("licensing: 12", "licensing: 100000000");
        assert!(d.is_empty(), "{d:#?}");
        assert_eq!(r.unwrap().tables.unwrap().proactive[2].cells[0], Some(MAX_COUNT));
        for (written, shown) in [
            ("100000001", "100000001"),
            ("9223372036854775807", "9223372036854775807"),
            ("99999999999999999999", "99999999999999999999"),
            ("1e20", "100000000000000000000"),
        ] {
            let (id, line, column, message) = one("licensing: 12", &format!("licensing: {written}"));
            assert_eq!((id, line, column), ("R05", 11, Some(14)), "{message}");
            assert!(
                message.contains(&format!("found {shown}, more than any report can count")),
                "{message}"
            );
            assert!(message.contains("at most 100000000"), "{message}");
        }
        let (id, _, _, message) = one("licensing: 12", "licensing: -99999999999999999999");
        assert_eq!(id, "R05");
        assert!(message.contains("cannot be negative"), "{message}");
        // In a row, at the cell: two huge cells that wrapped to a total of 0.
        let (r, d) = parse_with(
            "granted:      [2, 1, 0, 0, 1, 0, 4]",
            "granted:      [9223372036854775807, 9223372036854775807, 2, 0, 0, 0, 0]",
        );
        let at: Vec<_> = d.iter().map(|d| (d.id.as_str(), d.line, d.column)).collect();
        assert_eq!(at, [("R05", Some(18), Some(18)), ("R05", Some(18), Some(39))]);
        assert!(r.unwrap().tables.is_none());
    }

    #[test]
    fn changes_and_amounts_are_bounded() {
        let node = |v: Value| Node {
            value: v,
            loc: crate::frontmatter::Loc {
                line: 5,
                column: 7,
                key_column: 3,
            },
            raw: None,
        };
        let mut ctx = Ctx::new("r.md");
        let cell = |ctx: &mut Ctx, v: Value, kind| parse_cell(ctx, &node(v), kind, String::new);
        assert_eq!(
            cell(&mut ctx, Value::Int(-MAX_COUNT), FieldKind::Change),
            Ok(Some(-MAX_COUNT))
        );
        assert_eq!(cell(&mut ctx, Value::Int(-MAX_COUNT - 1), FieldKind::Change), Err(()));
        assert_eq!(cell(&mut ctx, Value::Int(i64::MIN), FieldKind::Change), Err(()));
        assert_eq!(
            cell(
                &mut ctx,
                Value::BigInt("-99999999999999999999".into()),
                FieldKind::Change
            ),
            Err(())
        );
        assert_eq!(
            cell(&mut ctx, Value::Int(MAX_AMOUNT - 1), FieldKind::Amount),
            Ok(Some((MAX_AMOUNT - 1) * AMOUNT_SCALE))
        );
        assert_eq!(cell(&mut ctx, Value::Int(MAX_AMOUNT), FieldKind::Amount), Err(()));
        assert_eq!(
            cell(&mut ctx, Value::Float(999_999_999.5), FieldKind::Amount),
            Ok(Some(999_999_999_500_000))
        );
        assert_eq!(cell(&mut ctx, Value::Float(1e12), FieldKind::Amount), Err(()));
        assert_eq!(cell(&mut ctx, Value::Float(f64::INFINITY), FieldKind::Amount), Err(()));
        assert_eq!(cell(&mut ctx, Value::Float(f64::NAN), FieldKind::Count), Err(()));
        assert_eq!(cell(&mut ctx, Value::Float(-0.5), FieldKind::Amount), Err(()));
        assert!(ctx
            .diags
            .iter()
            .all(|d| d.id == Rule::R05 && d.line == Some(5) && d.column == Some(7)));
        assert_eq!(ctx.diags.len(), 8);
        // Six decimals, to the 分, from the file.
        let (r, d) = parse_with("fees: 0.5", "fees: 4068.208123");
        assert!(d.is_empty(), "{d:#?}");
        assert_eq!(r.unwrap().tables.unwrap().proactive[5].cells[0], Some(4_068_208_123));
        // Exact beyond the digits of a float, as written.
        let (r, d) = parse_with("fees: 0.5", "fees: 999999999999.999999");
        assert!(d.is_empty(), "{d:#?}");
        assert_eq!(
            r.unwrap().tables.unwrap().proactive[5].cells[0],
            Some(999_999_999_999_999_999)
        );
        let (r, _) = parse_with("fees: 0.5", "fees: 1.5e3");
        assert_eq!(
            r.unwrap().tables.unwrap().proactive[5].cells[0],
            Some(1500 * AMOUNT_SCALE)
        );
    }

    #[test]
    fn tagged_values_are_refused_like_quoted_numbers() {
        let (id, line, column, message) = one("penalty: 3", "penalty: !!int \"3\"");
        assert_eq!((id, line, column), ("R05", 12, Some(12)));
        assert!(
            message.contains("`!!int \"3\"`") && message.contains("without quotes or tags: 3"),
            "{message}"
        );
        let (r, _) = parse_with("penalty: 3", "penalty: !!int \"3\"");
        assert!(
            r.unwrap().tables.is_none(),
            "a table with a tagged number is not balance-checked"
        );
        let (_, line, column, message) = one("[2, 1, 0, 0, 1, 0, 4]", "[!!int \"2\", 1, 0, 0, 1, 0, 4]");
        assert_eq!((line, column), (18, Some(18)));
        assert!(message.contains("without quotes or tags: 2"), "{message}");
        let (id, line, _, message) = one("agency: 测试县测试局", "agency: !!binary 5rWL6K+V");
        assert_eq!((id, line), ("R05", 3));
        assert!(
            message.contains("`agency`: found `!!binary 5rWL6K+V`") && message.contains("without the tag"),
            "{message}"
        );
        assert!(parse_with("agency: 测试县测试局", "agency: !!binary 5rWL6K+V")
            .0
            .is_none());
        let (id, line, _, _) = one("coercion: 1", "coercion: !custom 1");
        assert_eq!((id, line), ("R05", 13));
    }

    #[test]
    fn control_characters_in_text_are_refused_at_their_column() {
        // Written as they are (YAML reads a bidi override): at the character.
        let (id, line, column, message) = one("agency: 测试县测试局", "agency: 测试县\u{202e}测试局");
        assert_eq!((id, line, column), ("R05", 3, Some(12)));
        assert!(
            message.contains("`agency` contains the character U+202E (right-to-left override)"),
            "{message}"
        );
        // Written as an escape: at the value.
        let (id, line, column, message) = one("agency: 测试县测试局", "agency: \"测试县\\e[31m测试局\"");
        assert_eq!((id, line, column), ("R05", 3, Some(9)));
        assert!(message.contains("U+001B (escape)"), "{message}");
        for (text, name) in [
            ("\"a\\0b\"", "U+0000 (null)"),
            ("\"a\\ab\"", "U+0007 (bell)"),
            ("\"a\\x85b\"", "U+0085"),
            ("a\u{2066}b", "U+2066 (left-to-right isolate)"),
            ("\"a\\uFFFEb\"", "U+FFFE (a noncharacter)"),
        ] {
            let (id, line, _, message) = one("level: department", &format!("level: department\ntitle: {text}"));
            assert_eq!((id, line), ("R05", 8), "{text}");
            assert!(
                message.contains(&format!("`title` contains the character {name}")),
                "{message}"
            );
            let (id, _, _, _) = one("level: department", &format!("level: department\nregion: {text}"));
            assert_eq!(id, "R05");
        }
        // A right-to-left mark is text, not an override.
        let (r, d) = parse_with("level: department", "level: department\ntitle: 报告\u{200f}");
        assert!(d.is_empty() && r.is_some(), "{d:#?}");
    }

    #[test]
    fn long_slugs_and_values_are_shown_as_text() {
        let long = "a".repeat(300);
        let (id, line, _, message) = one("agency_slug: ceshi", &format!("agency_slug: {long}"));
        assert_eq!((id, line), ("R06", 4));
        assert!(
            message.contains("300 characters long; a slug is at most 64"),
            "{message}"
        );
        assert!(valid_slug(&"a".repeat(64)) && !valid_slug(&"a".repeat(65)));
        // A bad slug's suggestion is never itself too long.
        let (_, _, _, message) = one("agency_slug: ceshi", &format!("agency_slug: {}", "A".repeat(100)));
        assert!(message.contains(&format!("`{}`", "a".repeat(64))), "{message}");
        // Values are named as written, never as Rust's Debug text (`Int(2024)`).
        let (id, line, _, message) = one("published: 2024-01-15", "published: 2024");
        assert_eq!((id, line), ("R05", 6));
        assert!(message.starts_with("`published: 2024` is not a date"), "{message}");
        let (_, _, _, message) = one("published: 2024-01-15", "published: [1, 2]");
        assert!(message.starts_with("`published: a list` is not a date"), "{message}");
    }

    #[test]
    fn slugs() {
        assert!(valid_slug("zhong-ren2"));
        assert!(!valid_slug("Zhong Ren"));
        assert_eq!(slugify("Zhong Ren_Town"), "zhong-ren-town");
    }
}
