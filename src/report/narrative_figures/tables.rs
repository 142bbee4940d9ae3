//! What the tables say for a figure of the text (see the parent module),
//! and the warning when the figure is not that.

use std::ops::Range;

use super::phrases::{Caps, Target};
use super::{Block, Scanner};
use crate::diagnostics::{Diagnostic, Pos};
use crate::report::labels::{self, RowKind, F21_ISSUED};
use crate::report::{Format, Row};
use crate::rules::Rule;

/// What the tables say for a figure of the text.
pub(super) struct Cell {
    /// The value; with `alt`, the value with 二 上年结转 added.
    pub(super) value: i64,
    pub(super) alt: Option<i64>,
    /// The table, row and column, by their official labels.
    label: String,
    /// How the value is made, when it is a sum: ` (the sum of its 8 rows)`.
    how: String,
    /// Where the numbers are in the file, with what each is.
    places: Vec<(Pos, String)>,
}

impl<'a> Scanner<'a> {
    /// Table 三's row of `kind`, with its definition.
    fn request_row(&self, kind: RowKind) -> Option<(&'static labels::RowDef, &'a Row<7>)> {
        let rows = self.r.format.request_rows();
        let i = rows.iter().position(|d| d.kind == kind)?;
        Some((&rows[i], self.t.requests.get(i)?))
    }

    /// The result rows of table 三 that `key` names: a group's rows, or the
    /// one row of that key outside a group.
    fn result_rows(&self, key: &'static str) -> impl Iterator<Item = (&'static labels::RowDef, &'a Row<7>)> + '_ {
        self.r
            .format
            .request_rows()
            .iter()
            .zip(&self.t.requests)
            .filter(move |(d, _)| {
                d.kind == RowKind::Result && (d.group == Some(key) || (d.group.is_none() && d.key == key))
            })
    }

    /// The 总计 of a row of table 三 that is not a result: `None` when the
    /// cell is blank as published.
    fn request_total(&self, kind: RowKind) -> Option<Cell> {
        let (def, row) = self.request_row(kind)?;
        let label = total_of(format!("{}{}{}", labels::TABLE_3, labels::sep(), def.label));
        Some(Cell {
            value: row.cells[6]?,
            alt: None,
            places: place(row.pos_of(6, self.t.requests_pos), &label),
            label,
            how: String::new(),
        })
    }

    /// The value [`Self::cell`] gives for `target`, and its value with 二
    /// 上年结转 added, without the labels: most figures of a report agree
    /// with its tables, and a label costs a few allocations and lookups of
    /// translations, so they are made only for a figure that does not.
    /// `None` exactly when [`Self::cell`] is.
    pub(super) fn values(&self, target: Target, inclusive: bool) -> Option<(i64, Option<i64>)> {
        let t = self.t;
        let total = |kind: RowKind| self.request_row(kind).and_then(|(_, row)| row.cells[6]);
        match target {
            Target::New if !inclusive => Some((total(RowKind::New)?, None)),
            Target::New | Target::Received => {
                let new = total(RowKind::New)?;
                let over = total(RowKind::CarriedOver)?;
                Some((new, Some(new.saturating_add(over))))
            }
            Target::CarriedOver => Some((total(RowKind::CarriedOver)?, None)),
            Target::CarriedForward => Some((total(RowKind::CarriedForward)?, None)),
            Target::Result(key) => {
                let mut rows = self.result_rows(key).peekable();
                rows.peek()?;
                let value = rows.try_fold(0i64, |sum, (_, row)| Some(sum.saturating_add(row.cells[6]?)))?;
                Some((value, None))
            }
            Target::Review => Some((t.appeals[0].cells[4]?, None)),
            Target::Litigation => {
                let (a, b) = (t.appeals[1].cells[4]?, t.appeals[2].cells[4]?);
                Some((a.saturating_add(b), None))
            }
            Target::Issued(item) => {
                if self.r.format != Format::Gov2021 {
                    return None;
                }
                labels::PROACTIVE_2021.get(item)?;
                Some(((*t.proactive.get(item)?.cells.get(F21_ISSUED)?)?, None))
            }
        }
    }

    /// What the tables say for `target`; `None` when a cell it needs is
    /// blank as published (or the format has no such cell).
    pub(super) fn cell(&self, target: Target, inclusive: bool) -> Option<Cell> {
        let t = self.t;
        match target {
            Target::New if !inclusive => self.request_total(RowKind::New),
            Target::New | Target::Received => {
                let mut cell = self.request_total(RowKind::New)?;
                let over = self.request_total(RowKind::CarriedOver)?;
                cell.alt = Some(cell.value.saturating_add(over.value));
                cell.places.extend(over.places);
                Some(cell)
            }
            Target::CarriedOver => self.request_total(RowKind::CarriedOver),
            Target::CarriedForward => self.request_total(RowKind::CarriedForward),
            Target::Result(key) => {
                let rows: Vec<(&labels::RowDef, &Row<7>)> = self.result_rows(key).collect();
                let (first_def, first) = *rows.first()?;
                let value = rows
                    .iter()
                    .try_fold(0i64, |sum, (_, row)| Some(sum.saturating_add(row.cells[6]?)))?;
                let (label, how) = match first_def.group {
                    Some(group) => (
                        total_of(format!(
                            "{}{}三、本年度办理结果{}",
                            labels::TABLE_3,
                            labels::sep(),
                            labels::group_label(group)
                        )),
                        t!("check.r13.sum_of_rows", rows = rows.len()).into_owned(),
                    ),
                    None => (
                        total_of(format!(
                            "{}{}{}",
                            labels::TABLE_3,
                            labels::sep(),
                            first_def.full_label()
                        )),
                        String::new(),
                    ),
                };
                let places = match first_def.group {
                    Some(group) => place(
                        first.pos.or(t.requests_pos),
                        &t!(
                            "check.r13.first_row",
                            place = format!(
                                "{}{}三、本年度办理结果{}",
                                labels::TABLE_3,
                                labels::sep(),
                                labels::group_label(group)
                            ),
                            rows = rows.len()
                        ),
                    ),
                    None => place(first.pos_of(6, t.requests_pos), &label),
                };
                Some(Cell {
                    value,
                    alt: None,
                    label,
                    how,
                    places,
                })
            }
            Target::Review => {
                let row = &t.appeals[0];
                let label = total_of(format!(
                    "{}{}{}",
                    labels::TABLE_4,
                    labels::sep(),
                    labels::APPEAL_ROWS[0].label
                ));
                Some(Cell {
                    value: row.cells[4]?,
                    alt: None,
                    places: place(row.pos_of(4, t.appeals_pos), &label),
                    label,
                    how: String::new(),
                })
            }
            Target::Litigation => {
                let (direct, after) = (&t.appeals[1], &t.appeals[2]);
                let (a, b) = (direct.cells[4]?, after.cells[4]?);
                let mut places = place(
                    direct.pos_of(4, t.appeals_pos),
                    &total_of(format!(
                        "{}{}{}",
                        labels::TABLE_4,
                        labels::sep(),
                        labels::APPEAL_ROWS[1].label
                    )),
                );
                places.extend(place(
                    after.pos_of(4, t.appeals_pos),
                    &total_of(format!(
                        "{}{}{}",
                        labels::TABLE_4,
                        labels::sep(),
                        labels::APPEAL_ROWS[2].label
                    )),
                ));
                Some(Cell {
                    value: a.saturating_add(b),
                    alt: None,
                    label: total_of(format!("{}{}行政诉讼", labels::TABLE_4, labels::sep())),
                    how: t!("check.r13.litigation", a = a, b = b).into_owned(),
                    places,
                })
            }
            Target::Issued(item) => {
                if self.r.format != Format::Gov2021 {
                    return None;
                }
                let def = labels::PROACTIVE_2021.get(item)?;
                let row = t.proactive.get(item)?;
                let label = format!(
                    "{}{}{} {} {}",
                    labels::TABLE_2,
                    labels::sep(),
                    def.block,
                    def.label,
                    def.fields[F21_ISSUED].label
                );
                Some(Cell {
                    value: (*row.cells.get(F21_ISSUED)?)?,
                    alt: None,
                    places: place(row.pos, &label),
                    label,
                    how: String::new(),
                })
            }
        }
    }

    /// Warns when the figure of `clause` (at `figure` of the block's text)
    /// is not what the tables say.
    pub(super) fn compare(
        &mut self,
        target: Target,
        inclusive: bool,
        clause: &str,
        caps: Caps,
        block: &Block,
        figure: Range<usize>,
    ) {
        let Some((_, _, stated)) = caps.num else {
            return;
        };
        match self.values(target, inclusive) {
            Some((value, alt)) if stated != value && Some(stated) != alt => {}
            _ => return,
        }
        let Some(cell) = self.cell(target, inclusive) else {
            return;
        };
        let Cell {
            value,
            alt,
            label,
            how,
            places,
        } = cell;
        let also = match alt {
            Some(alt) => t!("check.r13.with_carried_over", alt = alt).into_owned(),
            None => String::new(),
        };
        let detail = t!(
            "check.r13.detail",
            stated = stated,
            clause = clause,
            label = label,
            value = value,
            how = how,
            also = also
        );
        // Where the figure is in the file: its first character's line and
        // column, and its width in characters.
        let body = self.r.body.as_str();
        let start = block.body_at(figure.start);
        let last = block
            .text
            .get(..figure.end)
            .and_then(|t| t.char_indices().last())
            .map_or(figure.start, |(i, _)| i);
        let last = block.body_at(last);
        let end = body
            .get(last..)
            .and_then(|t| t.chars().next())
            .map_or(last, |c| last + c.len_utf8())
            .max(start);
        let line = self.lines.partition_point(|&l| l <= start).saturating_sub(1);
        let line_start = self.lines.get(line).copied().unwrap_or(0);
        let column = body.get(line_start..start).map_or(0, |s| s.chars().count()) + 1;
        let width = body.get(start..end).map_or(1, |s| s.chars().count().max(1));
        let mut d = Diagnostic::new(
            Rule::R13,
            &self.r.path,
            Some(Pos::at(self.r.body_line + line, column)),
            &t!("check.body"),
            &detail,
        )
        .with_width(width);
        for (pos, what) in places {
            d = d.with_related(&self.r.path, Some(pos), &what);
        }
        self.out.push(d.with_help(t!("check.r13.help")));
    }
}

/// `place, column 总计` in the language of the run.
fn total_of(place: String) -> String {
    t!("check.column", place = place, column = "总计").into_owned()
}

/// A place in the file, when it is known.
fn place(pos: Option<Pos>, label: &str) -> Vec<(Pos, String)> {
    pos.map(|p| (p, label.to_string())).into_iter().collect()
}
