//! Charts as inline SVG, drawn at build time with no JavaScript: grouped and
//! stacked vertical bars, and horizontal bars. Each chart is a `<figure>`
//! holding its caption, the picture (an SVG with `role="img"`, `<title>` and
//! `<desc>`) and the same numbers as a real table, so nothing is only in the
//! picture. This module owns the geometry (sizes, positions, font sizes, the
//! scale); the theme's CSS owns colours and fonts, through classes (`.chart
//! .s0` … `.s6` for the series). Values are counts: negative values are not
//! expected and are drawn as 0 (the table still shows them as given). Output
//! is deterministic: coordinates are rounded to one decimal.
//!
//! A chart with `id` uses the HTML ids `id` (the figure), `id-title`,
//! `id-desc` and `id-data` (the table). The figure's classes are `chart`,
//! `chart-grouped|stacked|horizontal`, the width class `w1` … `w4`, and
//! `side` when the table is narrow enough to sit beside the picture.

use std::fmt::Write as _;

// Text into markup: the one escaping function.
use crate::escape::html as esc;

use unicode_width::UnicodeWidthChar;

/// One series of values (e.g. 新收申请), one value per category. A missing
/// value (a vector shorter than the categories) draws no bar and leaves its
/// table cell blank.
#[derive(Clone, Debug)]
pub struct Series<'a> {
    pub label: &'a str,
    pub values: Vec<i64>,
}

// Geometry, in SVG user units. Charts are one to four `UNIT_W` wide; the
// theme caps each width class (`.w1` … `.w4`) so that text keeps one size.
const UNIT_W: f64 = 440.0;
const MAX_UNITS: usize = 4;
/// Category and legend labels.
const FONT: f64 = 14.0;
/// Ticks and value labels.
const SMALL: f64 = 13.0;
const PAD: f64 = 8.0;
/// Vertical charts: the plot's height, and its right margin.
const PLOT_H: f64 = 220.0;
const RIGHT: f64 = 10.0;
/// Vertical charts: the widest a category label may be before it is cut.
const MAX_CATEGORY_W: f64 = FONT * 8.0;
/// Horizontal bars: one row (a label line above a bar), and the bar.
const ROW_H: f64 = 40.0;
const BAR_H: f64 = 14.0;
/// Legend: one line, and its colour swatch.
const LEGEND_ROW: f64 = 22.0;
const SWATCH: f64 = 12.0;
/// Series colours the theme defines (`.s0` … `.s6`); more series reuse them.
const COLOURS: usize = 7;

/// Vertical grouped bar chart: categories along x (e.g. years "2021年"), one
/// bar per series in each group, a legend above.
pub fn grouped_bars(id: &str, title: &str, categories: &[String], series: &[Series<'_>]) -> String {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().take(categories.len()))
        .copied()
        .max()
        .unwrap_or(0);
    let n = series.len().max(1) as f64;
    let frame = Vertical::new(categories, &labels(series), max, n * 10.0 + 12.0);
    let desc = format!(
        "分组柱状图：{}，共{}组，每组{}个系列（{}）。纵轴刻度从 0 到 {}。各项数值见图后的数据表。",
        span_text(categories),
        categories.len(),
        series.len(),
        labels(series).join("、"),
        frame.scale.max
    );
    let mut svg = Svg::open(id, frame.w, frame.h, title, &desc);
    frame.draw_frame(&mut svg, categories);
    for (i, category) in categories.iter().enumerate() {
        let (x0, slot) = frame.slot(i);
        let group_w = (slot * 0.8).min(n * 36.0);
        let step = group_w / n;
        let gap = (step * 0.15).min(2.0);
        for (j, s) in series.iter().enumerate() {
            let Some(&v) = s.values.get(i) else { continue };
            let x = x0 + (slot - group_w) / 2.0 + j as f64 * step + gap / 2.0;
            let h = frame.scale.len(v, PLOT_H);
            let y = frame.bottom - h;
            let tip = format!("{category} {}：{v}", s.label);
            svg.bar(&series_class(j), x, y, step - gap, h, v, &tip);
            let label = v.to_string();
            if text_width(&label, SMALL) <= step {
                svg.small("value", x + (step - gap) / 2.0, y - 4.0, Anchor::Middle, &label);
            }
        }
    }
    frame.draw_baseline(&mut svg);
    let table = data_table(id, title, categories, series, false);
    let class = figure_class("grouped", frame.units, series.len());
    figure(&class, frame.units, id, title, &svg.finish(), &table)
}

/// Vertical stacked bars: each category one bar, split into the series (the
/// first series at the bottom), with the total above the bar.
pub fn stacked_bars(id: &str, title: &str, categories: &[String], series: &[Series<'_>]) -> String {
    let totals: Vec<i64> = (0..categories.len())
        .map(|i| series.iter().filter_map(|s| s.values.get(i)).map(|&v| v.max(0)).sum())
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0);
    let frame = Vertical::new(categories, &labels(series), max, 36.0);
    let desc = format!(
        "堆积柱状图：{}，共{}根柱，每根柱按{}个系列（{}）分段，柱顶数字为合计。纵轴刻度从 0 到 {}。各项数值见图后的数据表。",
        span_text(categories),
        categories.len(),
        series.len(),
        labels(series).join("、"),
        frame.scale.max
    );
    let mut svg = Svg::open(id, frame.w, frame.h, title, &desc);
    frame.draw_frame(&mut svg, categories);
    for (i, category) in categories.iter().enumerate() {
        let (x0, slot) = frame.slot(i);
        let bar_w = (slot * 0.6).min(56.0);
        let x = x0 + (slot - bar_w) / 2.0;
        let mut top = frame.bottom;
        for (j, s) in series.iter().enumerate() {
            let Some(&v) = s.values.get(i) else { continue };
            let h = frame.scale.len(v, PLOT_H);
            let y = top - h;
            let tip = format!("{category} {}：{v}", s.label);
            svg.bar(&series_class(j), x, y, bar_w, h, v, &tip);
            let label = v.to_string();
            if h >= SMALL + 4.0 && text_width(&label, SMALL) <= bar_w - 4.0 {
                svg.small("value in", x + bar_w / 2.0, y + h / 2.0 + 4.5, Anchor::Middle, &label);
            }
            top = y;
        }
        let total = totals[i].to_string();
        if !series.is_empty() && text_width(&total, SMALL) <= slot - 4.0 {
            svg.small("value total", x + bar_w / 2.0, top - 4.0, Anchor::Middle, &total);
        }
    }
    frame.draw_baseline(&mut svg);
    let table = data_table(id, title, categories, series, true);
    let class = figure_class("stacked", frame.units, series.len() + 1);
    figure(&class, frame.units, id, title, &svg.finish(), &table)
}

/// Horizontal bars, one per category in the order given (e.g. the top 20
/// agencies by 新收申请, or the outcome breakdown). Each category's label sits
/// above its bar, using the chart's full width (about 30 Chinese characters;
/// longer ones are cut with an ellipsis, the full text in a tooltip and in the
/// table). `unit` (e.g. "件") is shown as 单位 and in the table's header.
pub fn horizontal_bars(id: &str, title: &str, categories: &[String], values: &[i64], unit: &str) -> String {
    let frame = Horizontal::new(categories, values, unit);
    let desc = format!(
        "条形图：共{}项，每项一根横条，长度表示数值{}，横轴刻度从 0 到 {}。各项数值见图后的数据表。",
        categories.len(),
        if unit.is_empty() {
            String::new()
        } else {
            format!("（单位：{unit}）")
        },
        frame.scale.max
    );
    let mut svg = Svg::open(id, frame.w, frame.h, title, &desc);
    frame.draw_frame(&mut svg, unit);
    for (i, (category, &v)) in categories.iter().zip(values).enumerate() {
        let row = frame.top + i as f64 * ROW_H;
        let (shown, cut) = fit(category, frame.w - 2.0 * PAD, FONT);
        let full = cut.then_some(category.as_str());
        svg.label("label", frame.x0, row + 16.0, Anchor::Start, &shown, full);
        let w = frame.scale.len(v, frame.plot_w);
        let y = row + 21.0;
        let tip = format!("{category}：{v}{unit}");
        svg.bar(&series_class(0), frame.x0, y, w, BAR_H, v, &tip);
        svg.small("value", frame.x0 + w + 4.0, y + 11.5, Anchor::Start, &v.to_string());
    }
    let table = value_table(id, title, categories, values, unit);
    figure(&figure_class("horizontal", 1, 1), 1, id, title, &svg.finish(), &table)
}

/// A linear scale from 0 to a "nice" maximum, with integer ticks.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Scale {
    max: i64,
    step: i64,
}

impl Scale {
    /// The smallest 1, 2, 2.5 or 5 × 10^k (an integer) at least `data_max`,
    /// ticked in 4 or 5 intervals when those are whole numbers, else by 1.
    /// All-zero (or negative) data gets the scale 0 to 1.
    fn new(data_max: i64) -> Scale {
        let m = i128::from(data_max.max(1));
        let mut p: i128 = 1;
        loop {
            // (candidate in tenths of p, preferred intervals)
            for (tenths, intervals) in [(10, 5), (20, 4), (25, 5), (50, 5)] {
                let c = p * tenths;
                if c % 10 != 0 || c / 10 < m {
                    continue;
                }
                let max = c / 10;
                let step = if max % intervals == 0 { max / intervals } else { 1 };
                return match (i64::try_from(max), i64::try_from(step)) {
                    (Ok(max), Ok(step)) => Scale { max, step },
                    _ => Scale {
                        max: i64::MAX,
                        step: i64::MAX,
                    },
                };
            }
            p *= 10;
        }
    }

    fn ticks(self) -> impl Iterator<Item = i64> {
        (0..=self.max / self.step).map(move |i| i * self.step)
    }

    /// The length of a bar for `v` (clamped at 0) when the scale spans `span`.
    fn len(self, v: i64, span: f64) -> f64 {
        round1(v.max(0) as f64 * span / self.max as f64)
    }
}

/// The layout of a vertical chart: legend on top, plot, category labels below.
struct Vertical {
    units: usize,
    w: f64,
    h: f64,
    left: f64,
    slot: f64,
    legend: Legend,
    legend_top: f64,
    bottom: f64,
    scale: Scale,
}

impl Vertical {
    /// `cluster_min` is the narrowest a category's slot may be for its bars;
    /// the chart widens (in whole units) until every slot fits.
    fn new(categories: &[String], labels: &[&str], data_max: i64, cluster_min: f64) -> Vertical {
        let scale = Scale::new(data_max);
        let tick_w = scale
            .ticks()
            .map(|t| text_width(&t.to_string(), SMALL))
            .fold(0.0, f64::max);
        let left = (tick_w + 2.0 * PAD).ceil();
        let label_w = categories
            .iter()
            .map(|c| text_width(c, FONT).min(MAX_CATEGORY_W))
            .fold(0.0, f64::max);
        let slot_min = cluster_min.max(label_w + 4.0);
        let n = categories.len().max(1) as f64;
        let needed = left + RIGHT + n * slot_min;
        let units = ((needed / UNIT_W).ceil() as usize).clamp(1, MAX_UNITS);
        let w = units as f64 * UNIT_W;
        let legend = Legend::new(labels, left, w - PAD);
        let legend_top = PAD;
        let bottom = legend_top + legend.height + 18.0 + PLOT_H;
        Vertical {
            units,
            w,
            h: bottom + 30.0,
            left,
            slot: (w - left - RIGHT) / n,
            legend,
            legend_top,
            bottom,
            scale,
        }
    }

    /// Where category `i`'s slot starts, and its width.
    fn slot(&self, i: usize) -> (f64, f64) {
        (self.left + i as f64 * self.slot, self.slot)
    }

    /// The legend, gridlines with tick labels, and category labels.
    fn draw_frame(&self, svg: &mut Svg, categories: &[String]) {
        self.legend.draw(svg, self.legend_top);
        for t in self.scale.ticks().filter(|&t| t > 0) {
            let y = self.bottom - self.scale.len(t, PLOT_H);
            svg.line("grid", self.left, y, self.w - RIGHT, y);
        }
        for t in self.scale.ticks() {
            let y = self.bottom - self.scale.len(t, PLOT_H);
            svg.small("tick", self.left - 6.0, y + 4.5, Anchor::End, &t.to_string());
        }
        for (i, category) in categories.iter().enumerate() {
            let (x0, slot) = self.slot(i);
            let (shown, cut) = fit(category, (slot - 4.0).min(MAX_CATEGORY_W), FONT);
            let full = cut.then_some(category.as_str());
            svg.label(
                "category",
                x0 + slot / 2.0,
                self.bottom + 19.0,
                Anchor::Middle,
                &shown,
                full,
            );
        }
    }

    /// The x axis, drawn over the bars' feet.
    fn draw_baseline(&self, svg: &mut Svg) {
        svg.line("axis", self.left, self.bottom, self.w - RIGHT, self.bottom);
    }
}

/// The layout of a horizontal chart: unit note, rows, tick labels below.
struct Horizontal {
    w: f64,
    h: f64,
    x0: f64,
    plot_w: f64,
    top: f64,
    bottom: f64,
    scale: Scale,
}

impl Horizontal {
    fn new(categories: &[String], values: &[i64], unit: &str) -> Horizontal {
        let rows = categories.len().min(values.len());
        let max = values.iter().take(rows).copied().max().unwrap_or(0);
        let scale = Scale::new(max);
        let value_w = values
            .iter()
            .take(rows)
            .map(|v| text_width(&v.to_string(), SMALL))
            .fold(0.0, f64::max);
        let last_tick_w = text_width(&scale.max.to_string(), SMALL);
        let right = (value_w + 4.0 + PAD).max(last_tick_w / 2.0 + PAD).ceil();
        let w = UNIT_W;
        let top = if unit.is_empty() { PAD } else { PAD + 20.0 };
        let bottom = top + rows as f64 * ROW_H + 4.0;
        Horizontal {
            w,
            h: bottom + 24.0,
            x0: PAD,
            plot_w: w - PAD - right,
            top,
            bottom,
            scale,
        }
    }

    /// The unit note, vertical gridlines with tick labels, and the y axis.
    fn draw_frame(&self, svg: &mut Svg, unit: &str) {
        if !unit.is_empty() {
            svg.small("unit", self.w - PAD, PAD + 12.0, Anchor::End, &format!("单位：{unit}"));
        }
        for t in self.scale.ticks() {
            let x = self.x0 + self.scale.len(t, self.plot_w);
            let class = if t == 0 { "axis" } else { "grid" };
            svg.line(class, x, self.top, x, self.bottom);
            svg.small("tick", x, self.bottom + 16.0, Anchor::Middle, &t.to_string());
        }
    }
}

/// The series labels in a row above the plot, wrapping onto more lines.
struct Legend {
    /// (x, y offset, text shown, full text when cut)
    items: Vec<(f64, f64, String, Option<String>)>,
    height: f64,
}

impl Legend {
    fn new(labels: &[&str], x0: f64, max_x: f64) -> Legend {
        let mut items = Vec::with_capacity(labels.len());
        let (mut x, mut y) = (x0, 0.0);
        for label in labels {
            let (shown, cut) = fit(label, max_x - x0 - SWATCH - 4.0, FONT);
            let advance = SWATCH + 4.0 + text_width(&shown, FONT);
            if x > x0 && x + advance > max_x {
                x = x0;
                y += LEGEND_ROW;
            }
            items.push((x, y, shown, cut.then(|| label.to_string())));
            x += advance + 16.0;
        }
        let height = if items.is_empty() { 0.0 } else { y + LEGEND_ROW };
        Legend { items, height }
    }

    fn draw(&self, svg: &mut Svg, top: f64) {
        for (j, (x, y, shown, full)) in self.items.iter().enumerate() {
            let y = top + y;
            let _ = write!(
                svg.0,
                "<rect class=\"swatch {}\" x=\"{}\" y=\"{}\" width=\"{SWATCH}\" height=\"{SWATCH}\"/>",
                series_class(j),
                num(*x),
                num(y + 3.0)
            );
            svg.label(
                "legend",
                x + SWATCH + 4.0,
                y + 14.0,
                Anchor::Start,
                shown,
                full.as_deref(),
            );
        }
    }
}

#[derive(Clone, Copy)]
enum Anchor {
    Start,
    Middle,
    End,
}

/// An SVG document being written.
struct Svg(String);

impl Svg {
    fn open(id: &str, w: f64, h: f64, title: &str, desc: &str) -> Svg {
        let id = esc(id);
        let mut out = String::with_capacity(8192);
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" \
             aria-labelledby=\"{id}-title {id}-desc\" font-family=\"sans-serif\" font-size=\"{FONT}\">\
             <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
            num(w),
            num(h),
            esc(title),
            esc(desc)
        );
        Svg(out)
    }

    fn finish(mut self) -> String {
        self.0.push_str("</svg>");
        self.0
    }

    fn line(&mut self, class: &str, x1: f64, y1: f64, x2: f64, y2: f64) {
        let _ = write!(
            self.0,
            "<line class=\"{class}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            num(x1),
            num(y1),
            num(x2),
            num(y2)
        );
    }

    /// A bar for `value`, with a tooltip.
    #[allow(clippy::too_many_arguments)]
    fn bar(&mut self, class: &str, x: f64, y: f64, w: f64, h: f64, value: i64, tip: &str) {
        let _ = write!(
            self.0,
            "<rect class=\"bar {class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" data-value=\"{value}\"><title>{}</title></rect>",
            num(x),
            num(y),
            num(w),
            num(h),
            esc(tip)
        );
    }

    /// A text in the small font (ticks, values, notes).
    fn small(&mut self, class: &str, x: f64, y: f64, anchor: Anchor, text: &str) {
        self.text(class, x, y, anchor, SMALL, text, None);
    }

    /// A label; `full` (the uncut text) becomes its tooltip.
    fn label(&mut self, class: &str, x: f64, y: f64, anchor: Anchor, text: &str, full: Option<&str>) {
        self.text(class, x, y, anchor, FONT, text, full);
    }

    #[allow(clippy::too_many_arguments)]
    fn text(&mut self, class: &str, x: f64, y: f64, anchor: Anchor, size: f64, text: &str, full: Option<&str>) {
        let anchor = match anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        let size = if size == FONT {
            String::new()
        } else {
            format!(" font-size=\"{}\"", num(size))
        };
        let _ = write!(
            self.0,
            "<text class=\"{class}\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\"{size}>",
            num(x),
            num(y)
        );
        if let Some(full) = full {
            let _ = write!(self.0, "<title>{}</title>", esc(full));
        }
        let _ = write!(self.0, "{}</text>", esc(text));
    }
}

/// The figure's classes: the kind of chart, its width class (`w1` … `w4`,
/// which the theme sizes the picture by), and `side` when the chart is
/// narrow and its table has few number columns, so the table fits beside it
/// on a wide screen.
fn figure_class(kind: &str, units: usize, table_columns: usize) -> String {
    let side = if units == 1 && table_columns <= 4 { " side" } else { "" };
    format!("chart chart-{kind} w{units}{side}")
}

/// The chart's `<figure>`: caption, picture, data table.
fn figure(class: &str, units: usize, id: &str, title: &str, svg: &str, table: &str) -> String {
    let id = esc(id);
    let title = esc(title);
    // A wide chart scrolls sideways on a phone rather than shrinking its text.
    let scroll = if units > 1 {
        format!(" role=\"region\" aria-label=\"{title}（图可左右滚动）\" tabindex=\"0\"")
    } else {
        String::new()
    };
    format!(
        "<figure class=\"{class}\" id=\"{id}\"><figcaption>{title}</figcaption>\
         <div class=\"chart-plot\"{scroll}>{svg}</div>{table}</figure>\n"
    )
}

/// The numbers of a grouped or stacked chart: a row per category, a column
/// per series (and a 合计 column when `total`).
fn data_table(id: &str, title: &str, categories: &[String], series: &[Series<'_>], total: bool) -> String {
    let mut out = table_open(id, title);
    out.push_str("<thead><tr><th scope=\"col\">项目</th>");
    for s in series {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(s.label));
    }
    if total {
        out.push_str("<th scope=\"col\">合计</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for (i, category) in categories.iter().enumerate() {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", esc(category));
        for s in series {
            num_cell(&mut out, s.values.get(i).copied());
        }
        if total {
            num_cell(&mut out, Some(series.iter().filter_map(|s| s.values.get(i)).sum()));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

/// The numbers of a horizontal chart: a row per category.
fn value_table(id: &str, title: &str, categories: &[String], values: &[i64], unit: &str) -> String {
    let mut out = table_open(id, title);
    let head = if unit.is_empty() {
        "数值".to_string()
    } else {
        format!("数值（{}）", esc(unit))
    };
    let _ = write!(
        out,
        "<thead><tr><th scope=\"col\">项目</th><th scope=\"col\">{head}</th></tr></thead><tbody>"
    );
    for (category, &v) in categories.iter().zip(values) {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", esc(category));
        num_cell(&mut out, Some(v));
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

fn table_open(id: &str, title: &str) -> String {
    let title = esc(title);
    format!(
        "<div class=\"chart-data table-scroll\" role=\"region\" aria-label=\"{title}数据表\" tabindex=\"0\">\
         <table class=\"list\" id=\"{}-data\"><caption>{title}（数据）</caption>",
        esc(id)
    )
}

fn num_cell(out: &mut String, v: Option<i64>) {
    match v {
        Some(v) => {
            let _ = write!(out, "<td class=\"num\">{v}</td>");
        }
        None => out.push_str("<td class=\"num blank\"></td>"),
    }
}

fn labels<'a>(series: &[Series<'a>]) -> Vec<&'a str> {
    series.iter().map(|s| s.label).collect()
}

fn series_class(j: usize) -> String {
    format!("s{}", j % COLOURS)
}

/// "2021年至2023年", for descriptions.
fn span_text(categories: &[String]) -> String {
    match categories {
        [] => "无数据".to_string(),
        [one] => one.clone(),
        [first, .., last] => format!("{first}至{last}"),
    }
}

/// The width of `s` at font size `size`, estimated: Chinese characters (and
/// the ellipsis) are 1 em, others 0.6 em (generous for digits and Latin).
fn text_width(s: &str, size: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * size
}

fn char_em(c: char) -> f64 {
    match (c, c.width()) {
        ('…', _) => 1.0,
        (_, Some(2)) => 1.0,
        (_, Some(0) | None) => 0.0,
        _ => 0.6,
    }
}

/// `s` cut with an ellipsis to fit `max_w`, and whether it was cut.
fn fit(s: &str, max_w: f64, size: f64) -> (String, bool) {
    if text_width(s, size) <= max_w {
        return (s.to_string(), false);
    }
    let budget = max_w - size;
    let mut out = String::new();
    let mut w = 0.0;
    for c in s.chars() {
        w += char_em(c) * size;
        if w > budget {
            break;
        }
        out.push(c);
    }
    out.push('…');
    (out, true)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A coordinate, rounded to one decimal, without a trailing ".0".
fn num(x: f64) -> String {
    // In tenths, as an integer: charts draw thousands of coordinates, and
    // this is much cheaper than formatting a float. Same text as
    // `format!("{:.1}")` without a trailing ".0"; never "-0".
    let tenths = (x * 10.0).round();
    if !tenths.is_finite() || tenths.abs() >= 1e15 {
        let s = format!("{:.1}", round1(x) + 0.0);
        return s.strip_suffix(".0").map(str::to_string).unwrap_or(s);
    }
    let t = tenths as i64;
    let mut buf = itoa::Buffer::new();
    let whole = buf.format(t.abs() / 10);
    let sign = if t < 0 { "-" } else { "" };
    match t.abs() % 10 {
        0 => format!("{sign}{whole}"),
        d => format!("{sign}{whole}.{d}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn num_matches_float_formatting() {
        let reference = |x: f64| {
            let s = format!("{:.1}", round1(x) + 0.0);
            s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
        };
        let mut x = -1234.5678f64;
        while x < 1234.5 {
            assert_eq!(num(x), reference(x), "{x}");
            x += 0.0371;
        }
        for x in [0.0, -0.0, -0.04, -0.05, 0.05, 0.95, 9.95, 1e16, -1e16, 123456789.25] {
            assert_eq!(num(x), reference(x), "{x}");
        }
    }

    /// One event of a strictly parsed XML fragment.
    #[derive(Debug)]
    enum Node {
        Open(String, Vec<(String, String)>),
        Close(String),
        Text(String),
    }

    /// Parses `s` as well-formed XML (a fragment: elements, text, comments),
    /// checking quoting, entities, duplicate attributes and tag balance.
    fn parse_xml(s: &str) -> Result<Vec<Node>, String> {
        let mut nodes = Vec::new();
        let mut stack: Vec<String> = Vec::new();
        let mut rest = s;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("<!--") {
                let end = after.find("-->").ok_or("unclosed comment")?;
                rest = &after[end + 3..];
            } else if let Some(after) = rest.strip_prefix("</") {
                let end = after.find('>').ok_or("unclosed end tag")?;
                let name = after[..end].trim_end();
                check_name(name)?;
                let open = stack.pop().ok_or(format!("</{name}> closes nothing"))?;
                if open != name {
                    return Err(format!("</{name}> closes <{open}>"));
                }
                nodes.push(Node::Close(name.to_string()));
                rest = &after[end + 1..];
            } else if let Some(after) = rest.strip_prefix('<') {
                let (name, attrs, empty, tail) = parse_tag(after)?;
                nodes.push(Node::Open(name.clone(), attrs));
                if empty {
                    nodes.push(Node::Close(name));
                } else {
                    stack.push(name);
                }
                rest = tail;
            } else {
                let end = rest.find('<').unwrap_or(rest.len());
                let text = &rest[..end];
                check_entities(text)?;
                if text.contains('>') {
                    return Err(format!("bare > in text {text:?}"));
                }
                nodes.push(Node::Text(unescape(text)));
                rest = &rest[end..];
            }
        }
        match stack.pop() {
            Some(open) => Err(format!("<{open}> never closed")),
            None => Ok(nodes),
        }
    }

    /// The tag after its `<`: name, attributes, self-closing, and the rest.
    #[allow(clippy::type_complexity)]
    fn parse_tag(s: &str) -> Result<(String, Vec<(String, String)>, bool, &str), String> {
        let name_end = s
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .ok_or("unclosed tag")?;
        let name = &s[..name_end];
        check_name(name)?;
        let mut rest = &s[name_end..];
        let mut attrs: Vec<(String, String)> = Vec::new();
        loop {
            let trimmed = rest.trim_start();
            if let Some(tail) = trimmed.strip_prefix("/>") {
                return Ok((name.to_string(), attrs, true, tail));
            }
            if let Some(tail) = trimmed.strip_prefix('>') {
                return Ok((name.to_string(), attrs, false, tail));
            }
            if trimmed.len() == rest.len() {
                return Err(format!("<{name}>: no space before an attribute"));
            }
            let eq = trimmed.find('=').ok_or(format!("<{name}>: attribute without value"))?;
            let key = &trimmed[..eq];
            check_name(key)?;
            let after = &trimmed[eq + 1..];
            let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
            let quote = quote.ok_or(format!("<{name}>: unquoted {key}"))?;
            let close = after[1..].find(quote).ok_or(format!("<{name}>: unclosed {key}"))?;
            let value = &after[1..1 + close];
            if value.contains('<') {
                return Err(format!("<{name}>: < in {key}"));
            }
            check_entities(value)?;
            if attrs.iter().any(|(k, _)| k == key) {
                return Err(format!("<{name}>: {key} twice"));
            }
            attrs.push((key.to_string(), unescape(value)));
            rest = &after[2 + close..];
        }
    }

    fn check_name(name: &str) -> Result<(), String> {
        let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_:.".contains(c));
        if ok {
            Ok(())
        } else {
            Err(format!("bad name {name:?}"))
        }
    }

    fn check_entities(s: &str) -> Result<(), String> {
        for (i, _) in s.match_indices('&') {
            let tail = &s[i + 1..];
            let end = tail.find(';').ok_or(format!("bare & in {s:?}"))?;
            let entity = &tail[..end];
            let numeric = entity
                .strip_prefix('#')
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            if !numeric && !["amp", "lt", "gt", "quot", "apos"].contains(&entity) {
                return Err(format!("unknown entity &{entity}; in {s:?}"));
            }
        }
        Ok(())
    }

    fn unescape(s: &str) -> String {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    }

    /// A drawn bar: its class, geometry and value.
    #[derive(Debug)]
    struct Bar {
        class: String,
        y: f64,
        width: f64,
        height: f64,
        value: i64,
    }

    fn bars(html: &str) -> Vec<Bar> {
        let attr = |attrs: &[(String, String)], k: &str| attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
        parse_xml(html)
            .unwrap()
            .into_iter()
            .filter_map(|n| match n {
                Node::Open(name, attrs) if name == "rect" && attr(&attrs, "data-value").is_some() => {
                    let f = |k: &str| attr(&attrs, k).unwrap().parse::<f64>().unwrap();
                    Some(Bar {
                        class: attr(&attrs, "class").unwrap(),
                        y: f("y"),
                        width: f("width"),
                        height: f("height"),
                        value: attr(&attrs, "data-value").unwrap().parse().unwrap(),
                    })
                }
                _ => None,
            })
            .collect()
    }

    /// The texts of the data table's number cells, in order.
    fn table_numbers(html: &str) -> Vec<String> {
        let table = &html[html.find("<table").unwrap()..];
        let nodes = parse_xml(&table[..table.find("</table>").unwrap() + 8]).unwrap();
        let mut out = Vec::new();
        let mut in_td = false;
        for n in nodes {
            match n {
                Node::Open(name, _) if name == "td" => {
                    in_td = true;
                    out.push(String::new());
                }
                Node::Close(name) if name == "td" => in_td = false,
                Node::Text(t) if in_td => out.last_mut().unwrap().push_str(&t),
                _ => {}
            }
        }
        out
    }

    fn years(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{}年", 2019 + i)).collect()
    }

    fn assert_close(got: f64, want: f64, what: &str) {
        assert!((got - want).abs() <= 0.1 + 1e-9, "{what}: got {got}, want {want}");
    }

    fn check_common(html: &str) {
        parse_xml(html).unwrap_or_else(|e| panic!("not well-formed: {e}\n{html}"));
        for bad in ["NaN", "inf", "style=", "<script"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
        assert!(svg.contains("role=\"img\"") && svg.contains("aria-labelledby="));
        assert!(svg.contains("<title id=") && svg.contains("<desc id="));
        // Every number in the SVG has at most one decimal.
        for attr in svg.split('"').skip(1).step_by(2) {
            if let Some((_, decimals)) = attr.split_once('.') {
                if attr.parse::<f64>().is_ok() {
                    assert!(decimals.len() <= 1, "{attr} has more than one decimal");
                }
            }
        }
    }

    #[test]
    fn the_xml_check_is_strict() {
        assert!(parse_xml("<a x=\"1\"><b/>t &amp; &#39;</a>").is_ok());
        for bad in [
            "<a><b></a></b>",
            "<a>",
            "</a>",
            "<a x=1></a>",
            "<a x=\"1\" x=\"2\"></a>",
            "<a x=\"<\"></a>",
            "<a>1 & 2</a>",
            "<a>&nbsp;</a>",
            "<a>1 > 2</a>",
        ] {
            assert!(parse_xml(bad).is_err(), "{bad} passed");
        }
    }

    #[test]
    fn nice_scale() {
        let max = |m| Scale::new(m).max;
        let cases = [
            (0, 1),
            (1, 1),
            (2, 2),
            (3, 5),
            (7, 10),
            (11, 20),
            (21, 25),
            (26, 50),
            (50, 50),
            (101, 200),
            (240, 250),
            (2501, 5000),
            (-4, 1),
        ];
        for (m, want) in cases {
            assert_eq!(max(m), want, "nice max of {m}");
        }
        let ticks = |m| Scale::new(m).ticks().collect::<Vec<_>>();
        assert_eq!(ticks(0), [0, 1]);
        assert_eq!(ticks(2), [0, 1, 2]);
        assert_eq!(ticks(4), [0, 1, 2, 3, 4, 5]);
        assert_eq!(ticks(20), [0, 5, 10, 15, 20]);
        assert_eq!(ticks(21), [0, 5, 10, 15, 20, 25]);
        assert_eq!(ticks(80), [0, 20, 40, 60, 80, 100]);
        assert_eq!(Scale::new(i64::MAX).max, i64::MAX);
    }

    #[test]
    fn grouped_bars_are_proportional() {
        let a = [0, 5, 37, 250];
        let b = [120, 60, 1, 0];
        let series = [
            Series {
                label: "新收申请",
                values: a.to_vec(),
            },
            Series {
                label: "办结",
                values: b.to_vec(),
            },
        ];
        let html = grouped_bars("g", "历年申请", &years(4), &series);
        check_common(&html);
        let drawn = bars(&html);
        assert_eq!(drawn.len(), 8);
        let scale = Scale::new(250);
        assert_eq!(scale.max, 250);
        let bottom = drawn[0].y + drawn[0].height;
        for bar in &drawn {
            assert_close(bar.height, bar.value as f64 * PLOT_H / scale.max as f64, "bar height");
            assert_close(bar.y + bar.height, bottom, "bar foot");
        }
        // Category by category, series by series.
        let values: Vec<i64> = drawn.iter().map(|b| b.value).collect();
        assert_eq!(values, [0, 120, 5, 60, 37, 1, 250, 0]);
        assert!(drawn.iter().step_by(2).all(|b| b.class == "bar s0"));
        assert_close(drawn[6].height, PLOT_H, "the maximum fills the plot");
        let numbers: Vec<String> = (0..4).flat_map(|i| [a[i].to_string(), b[i].to_string()]).collect();
        assert_eq!(table_numbers(&html), numbers);
        assert!(
            html.contains(">新收申请</text>") && html.contains(">办结</text>"),
            "legend"
        );
        assert!(html.contains("<th scope=\"col\">新收申请</th>") && html.contains("<th scope=\"row\">2019年</th>"));
    }

    #[test]
    fn stacked_bars_are_proportional() {
        let series = [
            Series {
                label: "予以公开",
                values: vec![10, 0, 300],
            },
            Series {
                label: "部分公开",
                values: vec![5, 7, 150],
            },
            Series {
                label: "不予公开",
                values: vec![0, 3, 50],
            },
        ];
        let html = stacked_bars("s", "办理结果", &years(3), &series);
        check_common(&html);
        let scale = Scale::new(500);
        assert_eq!(scale.max, 500);
        let drawn = bars(&html);
        assert_eq!(drawn.len(), 9);
        let k = PLOT_H / scale.max as f64;
        for bar in &drawn {
            assert_close(bar.height, bar.value as f64 * k, "segment height");
        }
        // Segments stack: each starts where the one below ends.
        for pair in drawn.chunks(3) {
            assert_close(pair[1].y + pair[1].height, pair[0].y, "stacked");
            assert_close(pair[2].y + pair[2].height, pair[1].y, "stacked");
        }
        assert_close(
            drawn[6].height + drawn[7].height + drawn[8].height,
            PLOT_H,
            "the largest total fills the plot",
        );
        assert_eq!(
            table_numbers(&html),
            ["10", "5", "0", "15", "0", "7", "3", "10", "300", "150", "50", "500"]
        );
        assert!(html.contains("<th scope=\"col\">合计</th>"));
        assert!(html.contains(">500</text>"), "total above the bar");
    }

    #[test]
    fn horizontal_bars_are_proportional() {
        let names: Vec<String> = [
            "示例市教育局",
            "示例市公安局",
            "示例市自然资源和规划局",
            "示例市卫生健康委员会",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let values = [1000, 437, 0, 9];
        let html = horizontal_bars("h", "新收申请最多的机关", &names, &values, "件");
        check_common(&html);
        let frame = Horizontal::new(&names, &values, "件");
        assert_eq!(frame.scale.max, 1000);
        let drawn = bars(&html);
        assert_eq!(drawn.iter().map(|b| b.value).collect::<Vec<_>>(), values);
        for bar in &drawn {
            assert_close(bar.width, bar.value as f64 * frame.plot_w / 1000.0, "bar width");
            assert_eq!(bar.height, BAR_H);
        }
        assert_close(drawn[0].width, frame.plot_w, "the maximum fills the plot");
        assert!(
            frame.x0 + frame.plot_w + text_width("1000", SMALL) + 4.0 <= frame.w,
            "value label fits"
        );
        assert_eq!(table_numbers(&html), ["1000", "437", "0", "9"]);
        assert!(html.contains("数值（件）") && html.contains("单位：件"));
        for name in &names {
            assert!(html.contains(&format!("<th scope=\"row\">{name}</th>")));
        }
    }

    #[test]
    fn long_labels_are_cut_with_the_full_text_kept() {
        let long = "示例市某某区人民政府办公室政务公开科（示例市某某区政务服务数据管理局）".to_string();
        let html = horizontal_bars("h", "长名称", std::slice::from_ref(&long), &[3], "件");
        check_common(&html);
        let shown = fit(&long, UNIT_W - 2.0 * PAD, FONT).0;
        assert!(shown.ends_with('…') && shown.chars().count() < long.chars().count());
        assert!(
            html.contains(&format!("<title>{long}</title>{shown}</text>")),
            "tooltip on the label"
        );
        assert!(
            html.contains(&format!("<title>{long}：3件</title>")),
            "tooltip on the bar"
        );
        assert!(
            html.contains(&format!("<th scope=\"row\">{long}</th>")),
            "full name in the table"
        );
        let cats: Vec<String> = (0..12).map(|_| long.clone()).collect();
        let html = grouped_bars(
            "g",
            "t",
            &cats,
            &[Series {
                label: "a",
                values: vec![1; 12],
            }],
        );
        check_common(&html);
        assert!(html.contains("…</text>"));
    }

    #[test]
    fn text_is_escaped() {
        let evil = "<script>alert(\"x\")</script> & co";
        let series = [Series {
            label: evil,
            values: vec![1, 2],
        }];
        let cats = vec![evil.to_string(), "2022年".to_string()];
        for html in [
            grouped_bars("x\"y", evil, &cats, &series),
            stacked_bars("x", evil, &cats, &series),
            horizontal_bars("x", evil, &cats, &[1, 2], evil),
        ] {
            check_common(&html);
            assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"));
            let texts: Vec<String> = parse_xml(&html)
                .unwrap()
                .into_iter()
                .filter_map(|n| match n {
                    Node::Text(t) => Some(t),
                    _ => None,
                })
                .collect();
            assert!(texts.iter().any(|t| t.contains(evil)), "round-trips as text");
        }
    }

    #[test]
    fn all_zero_and_empty_input_draw_an_empty_axis() {
        let zero = [Series {
            label: "新收申请",
            values: vec![0, 0, 0],
        }];
        for html in [
            grouped_bars("z", "零", &years(3), &zero),
            stacked_bars("z", "零", &years(3), &zero),
            horizontal_bars("z", "零", &years(3), &[0, 0, 0], "件"),
        ] {
            check_common(&html);
            let drawn = bars(&html);
            assert_eq!(drawn.len(), 3);
            assert!(drawn.iter().all(|b| b.height == 0.0 || b.width == 0.0));
            assert!(html.contains("class=\"axis\""));
            let numbers = table_numbers(&html);
            assert!(numbers.len() >= 3 && numbers.iter().all(|n| n == "0"), "{numbers:?}");
        }
        for html in [
            grouped_bars("e", "空", &[], &[]),
            stacked_bars("e", "空", &[], &[]),
            horizontal_bars("e", "空", &[], &[], ""),
        ] {
            check_common(&html);
            assert!(bars(&html).is_empty());
        }
    }

    #[test]
    fn negative_values_are_drawn_as_zero_and_missing_values_as_nothing() {
        let series = [Series {
            label: "a",
            values: vec![-3, 4],
        }];
        let html = grouped_bars("n", "t", &years(3), &series);
        check_common(&html);
        let drawn = bars(&html);
        assert_eq!(drawn.len(), 2, "no bar for the missing third value");
        assert_eq!(drawn[0].height, 0.0);
        assert_eq!(table_numbers(&html), ["-3", "4", ""]);
        assert!(html.contains("<td class=\"num blank\"></td>"));
        let html = stacked_bars("n", "t", &years(2), &series);
        assert_eq!(bars(&html)[0].height, 0.0);
        let html = horizontal_bars("n", "t", &years(2), &[-3, 4], "");
        assert_eq!(bars(&html)[0].width, 0.0);
    }

    #[test]
    fn output_is_deterministic_and_widens_for_many_categories() {
        let series = [
            Series {
                label: "新收申请",
                values: (0..15).map(|i| i * 37 % 101).collect(),
            },
            Series {
                label: "办结",
                values: (0..15).map(|i| i * 53 % 97).collect(),
            },
        ];
        let a = grouped_bars("d", "t", &years(15), &series);
        assert_eq!(a, grouped_bars("d", "t", &years(15), &series));
        check_common(&a);
        assert!(
            a.contains("class=\"chart chart-grouped w2\""),
            "15 years need a wider chart"
        );
        assert!(a.contains("tabindex=\"0\""), "a wide chart scrolls on a phone");
        let few = grouped_bars("d", "t", &years(3), &series);
        assert!(few.contains("class=\"chart chart-grouped w1 side\""));
    }

    #[test]
    fn numbers_are_rounded() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.04), "1");
        assert_eq!(num(1.06), "1.1");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(212.60000000000002), "212.6");
    }
}
