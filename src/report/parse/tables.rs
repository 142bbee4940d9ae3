//! Tables 二, 三 and 四: their blocks, rows and cells, each checked against
//! the format's layout. A table with an error is not kept (its numbers are
//! not all known); the errors are all reported.

use super::numbers::{parse_cell, thousands_in_row};
use super::text::tag_problem;
use super::{get, Ctx};
use crate::diagnostics::Pos;
use crate::frontmatter::{Node, Value};
use crate::report::labels::{self, FieldKind, RowDef, RowKind, APPEAL_COLUMNS, APPEAL_ROWS, REQUEST_COLUMNS};
use crate::report::{Format, Item, Row, Tables};
use crate::rules::Rule;

/// Parses tables 二, 三 and 四; `None` if any has an error.
pub(super) fn parse_tables(ctx: &mut Ctx, map: &[(String, Node)], format: Format) -> Option<Tables> {
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
/// `context` names the block; it is only formatted when there is an error
/// (it is translated, and built for every block of every report).
fn block<'n>(
    ctx: &mut Ctx,
    node: Option<&'n Node>,
    context: &dyn Fn() -> String,
    keys: &[&str],
) -> Result<&'n [(String, Node)], ()> {
    if let Some((pos, message)) = node.and_then(|n| tag_problem(n, "")) {
        ctx.error(Rule::R05, Some(pos), &context(), &message);
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
                &context(),
                &t!("check.table.block", found = other.kind(), keys = keys.join(", ")),
            );
            Err(())
        }
    }
}

fn parse_proactive(ctx: &mut Ctx, node: Option<&Node>, format: Format) -> Option<Vec<Item>> {
    let defs = format.proactive_items();
    let keys: Vec<&str> = defs.iter().map(|d| d.key).collect();
    let map = block(ctx, node, &|| labels::TABLE_2.to_string(), &keys).ok()?;
    let mut ok = true;
    let mut items = Vec::with_capacity(defs.len());
    for def in defs {
        let context = || format!("{}{}{} {}", labels::TABLE_2, labels::sep(), def.block, def.label);
        let mut item = Item {
            cells: vec![Some(0); def.fields.len()],
            pos: None,
        };
        if let Some(n) = get(map, def.key) {
            item.pos = Some(n.pos());
            if def.scalar {
                let f = &def.fields[0];
                match parse_cell(ctx, n, f.kind, || format!("{} {}", context(), f.label)) {
                    Ok(v) => item.cells[0] = v,
                    Err(()) => ok = false,
                }
            } else {
                let fkeys: Vec<&str> = def.fields.iter().map(|f| f.key).collect();
                match block(ctx, Some(n), &context, &fkeys) {
                    Ok(fm) => {
                        for (i, f) in def.fields.iter().enumerate() {
                            if let Some(c) = get(fm, f.key) {
                                match parse_cell(ctx, c, f.kind, || format!("{} {}", context(), f.label)) {
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
    let Ok(map) = block(ctx, node, &|| labels::TABLE_3.to_string(), &keys) else {
        return (None, pos);
    };
    let mut ok = true;
    let mut rows = Vec::with_capacity(defs.len());
    // Check each group block once, before its rows.
    let mut groups: Vec<(&str, BlockResult)> = Vec::new();
    for g in labels::REQUEST_GROUPS.iter() {
        if defs.iter().any(|d| d.group == Some(g.key)) {
            let sub: Vec<&str> = defs.iter().filter(|d| d.group == Some(g.key)).map(|d| d.key).collect();
            let context = || format!("{}{}三、本年度办理结果{}", labels::TABLE_3, labels::sep(), g.label);
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
        let context = || format!("{}{}{}", labels::TABLE_3, labels::sep(), def.full_label());
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
    let Ok(map) = block(ctx, node, &|| labels::TABLE_4.to_string(), &keys) else {
        return (None, pos);
    };
    let mut ok = true;
    let rows = APPEAL_ROWS.each_ref().map(|def| {
        let context = || format!("{}{}{}", labels::TABLE_4, labels::sep(), def.label);
        parse_row::<5>(ctx, get(map, def.key), &context, &APPEAL_COLUMNS).unwrap_or_else(|()| {
            ok = false;
            Row::omitted()
        })
    });
    (ok.then_some(rows), pos)
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
                &t!(
                    "check.table.not_a_row",
                    found = other.kind(),
                    n = N,
                    columns = columns.join(" "),
                    short = N - 1
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
            &t!("check.table.thousands", found = number, fixed = number.replace(',', "")),
        );
        return Err(());
    }
    if items.len() != N && items.len() != N - 1 {
        ctx.error(
            Rule::R05,
            Some(node.pos()),
            &context(),
            &t!(
                "check.table.row_length",
                found = items.len(),
                n = N,
                columns = columns.join(" "),
                short = N - 1
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
            t!("check.column", place = context(), column = columns[i]).into_owned()
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
