//! From a front-matter tree to a [`Report`]: every key looked up against the
//! format's layout, every number checked for its kind (R05), the required
//! metadata present and well-formed (R06), unknown keys refused with the
//! nearest known key suggested (F04). All problems of a file are collected;
//! a report with table errors keeps its metadata but no tables.

use chrono::{Datelike, NaiveDate};

use super::labels::{self, FieldKind, RowDef, RowKind, APPEAL_COLUMNS, APPEAL_ROWS, REQUEST_COLUMNS};
use super::{find_sections, Format, Item, Level, MetaPos, Report, Row, Tables};
use crate::diagnostics::{did_you_mean, Diagnostic, Pos};
use crate::frontmatter::{Node, Value};

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

    fn error(&mut self, id: &'static str, pos: Option<Pos>, context: &str, detail: &str) {
        self.diags.push(Diagnostic::error(id, self.file, pos, context, detail));
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
                self.error("F04", at, context, &format!("unknown key `{k}`; {hint}"));
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
fn parse_cell(
    ctx: &mut Ctx,
    node: &Node,
    kind: FieldKind,
    context: impl FnOnce() -> String,
) -> Result<Option<i64>, ()> {
    let what = match kind {
        FieldKind::Count => "a count (a whole number, 0 or more)",
        FieldKind::Change => "a whole number (may be negative)",
        FieldKind::Amount => "an amount (0 or more, at most 4 decimals)",
    };
    let detail = match &node.value {
        Value::Null => return Ok(None),
        Value::Int(i) => {
            if *i < 0 && kind != FieldKind::Change {
                format!("found {i}; {what} cannot be negative")
            } else if kind == FieldKind::Amount {
                match i.checked_mul(10_000) {
                    Some(v) => return Ok(Some(v)),
                    None => format!("found {i}, which is too large"),
                }
            } else {
                return Ok(Some(*i));
            }
        }
        Value::Float(f) => {
            if kind == FieldKind::Amount {
                match parse_amount(&format!("{f}")) {
                    Ok(v) if *f >= 0.0 => return Ok(Some(v)),
                    Ok(_) => format!("found {f}; {what} cannot be negative"),
                    Err(e) => e,
                }
            } else if f.fract() == 0.0 && f.is_finite() {
                format!("found {f}; write it as a whole number: {}", *f as i64)
            } else {
                format!("found {f}; this cell takes a whole number")
            }
        }
        Value::Str(s) => string_number_hint(s, node.raw.as_deref()),
        other => format!("found {}; this cell takes {what}", other.kind()),
    };
    ctx.error("R05", Some(node.pos()), &context(), &detail);
    Err(())
}

/// Parses a decimal amount written like `4068.208` into 1/10000 units.
fn parse_amount(s: &str) -> Result<i64, String> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if frac.len() > 4 {
        return Err(format!(
            "found {s}, with {} decimals; amounts take at most 4 decimals (万元 to the yuan): write {}",
            frac.len(),
            round4(s)
        ));
    }
    let int: i64 = int
        .parse()
        .map_err(|_| format!("found {s}; write a plain decimal number"))?;
    let mut f = frac.to_string();
    while f.len() < 4 {
        f.push('0');
    }
    let frac: i64 = f.parse().unwrap_or(0);
    int.checked_mul(10_000)
        .and_then(|v| v.checked_add(if int < 0 { -frac } else { frac }))
        .ok_or_else(|| format!("found {s}, which is too large"))
}

fn round4(s: &str) -> String {
    let f: f64 = s.parse().unwrap_or(0.0);
    let r = format!("{f:.4}");
    let r = r.trim_end_matches('0').trim_end_matches('.');
    r.to_string()
}

/// Formats an amount stored in 1/10000 units with as few decimals as needed.
pub fn format_amount(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let v = v.unsigned_abs();
    let (int, frac) = (v / 10_000, v % 10_000);
    if frac == 0 {
        format!("{sign}{int}")
    } else {
        let f = format!("{frac:04}");
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
    let items = match &node.value {
        // A row written as `~` is a row left out: zeros (a computed total).
        Value::Null => return Ok(Row::omitted()),
        Value::Seq(items) => items,
        other => {
            ctx.error(
                "R05",
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
            "R05",
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
            "R05",
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

/// Reads a string value; R05 when it is of another kind.
fn parse_string(ctx: &mut Ctx, node: &Node, key: &str) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.trim().to_string()),
        Value::Int(i) => Some(i.to_string()),
        other => {
            ctx.error(
                "R05",
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

pub fn valid_slug(s: &str) -> bool {
    !s.is_empty()
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

    // format
    let format = match get(map, "format") {
        None => {
            ctx.error(
                "R06",
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
                        "R05",
                        Some(n.pos()),
                        "",
                        &format!("`format: {s}` is not a known format; write gov-2021, gov-2019 or freeform{hint}"),
                    );
                    None
                }
            },
            other => {
                ctx.error(
                    "R05",
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
                "F04",
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
                    "R06",
                    Some(n.pos()),
                    "",
                    &format!("required key `{key}` ({what}) is empty"),
                );
                None
            }
            None => {
                ctx.error("R06", top, "", &format!("missing required key `{key}` ({what})"));
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
        ctx.error("R06", agency_node.as_ref().map(Node::pos), "", "`agency` is empty");
    }
    let agency = agency.filter(|s| !s.is_empty());

    let slug = slug_node.as_ref().and_then(|n| {
        let s = parse_string(ctx, n, "agency_slug")?;
        if valid_slug(&s) {
            Some(s)
        } else {
            let suggestion = slugify(&s);
            let hint = if suggestion.is_empty() {
                "use lower-case Latin letters, digits and hyphens, e.g. the pinyin of the name".to_string()
            } else {
                format!("write e.g. `{suggestion}`")
            };
            ctx.error(
                "R06",
                Some(n.pos()),
                "",
                &format!("agency_slug `{s}` must match [a-z0-9-]+ (lower-case letters, digits, hyphens); {hint}"),
            );
            None
        }
    });

    let year = year_node.as_ref().and_then(|n| match &n.value {
        Value::Int(y) if (FIRST_YEAR as i64..=today.year() as i64).contains(y) => Some(*y as i32),
        Value::Int(y) => {
            ctx.error(
                "R06",
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
                "R05",
                Some(n.pos()),
                "",
                &format!("`year`: {}", string_number_hint(s, n.raw.as_deref())),
            );
            None
        }
        other => {
            ctx.error(
                "R05",
                Some(n.pos()),
                "",
                &format!("`year` takes a year like 2023; found {}", other.kind()),
            );
            None
        }
    });

    let published = published_node.as_ref().and_then(|n| {
        let s = match &n.value {
            Value::Str(s) => s.clone(),
            other => format!("{:?}", other),
        };
        match parse_date(&s) {
            Some(d) => Some(d),
            None => {
                ctx.error(
                    "R05",
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
                    "R05",
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
                "R05",
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
    match node.map(|n| (&n.value, n)) {
        None | Some((Value::Null, _)) => Ok(&[]),
        Some((Value::Map(m), _)) => {
            ctx.unknown_keys(m, keys, context);
            Ok(m)
        }
        Some((other, n)) => {
            ctx.error(
                "R05",
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
                    .map(|(_, r)| r.value(c))
                    .sum();
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
    fn amounts_are_exact_to_four_decimals() {
        assert_eq!(parse_amount("4068.208"), Ok(40_682_080));
        assert_eq!(parse_amount("96171.6"), Ok(961_716_000));
        assert!(parse_amount("1.23456").unwrap_err().contains("5 decimals"));
        assert_eq!(format_amount(40_682_080), "4068.208");
        assert_eq!(format_amount(10_000), "1");
        assert_eq!(format_amount(0), "0");
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

    #[test]
    fn slugs() {
        assert!(valid_slug("zhong-ren2"));
        assert!(!valid_slug("Zhong Ren"));
        assert_eq!(slugify("Zhong Ren_Town"), "zhong-ren-town");
    }
}
