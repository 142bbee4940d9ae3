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

mod layout;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;

// Text into markup: the one escaping function.
use crate::escape::html as esc;
use crate::escape::push_html;

use layout::*;

/// One series of values (e.g. 新收申请), one value per category. A missing
/// value (a vector shorter than the categories) draws no bar and leaves its
/// table cell blank.
#[derive(Clone, Debug)]
pub struct Series<'a> {
    pub label: &'a str,
    pub values: Vec<i64>,
}

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
    let mut tip = String::new();
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
            tip_into(&mut tip, &[category, " ", s.label, "："], v, "");
            svg.bar(series_class(j), x, y, step - gap, h, v, &tip);
            let mut num = itoa::Buffer::new();
            let label = num.format(v);
            if text_width(label, SMALL) <= step {
                svg.small("value", x + (step - gap) / 2.0, y - 4.0, Anchor::Middle, label);
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
    let mut tip = String::new();
    for (i, category) in categories.iter().enumerate() {
        let (x0, slot) = frame.slot(i);
        let bar_w = (slot * 0.6).min(56.0);
        let x = x0 + (slot - bar_w) / 2.0;
        let mut top = frame.bottom;
        for (j, s) in series.iter().enumerate() {
            let Some(&v) = s.values.get(i) else { continue };
            let h = frame.scale.len(v, PLOT_H);
            let y = top - h;
            tip_into(&mut tip, &[category, " ", s.label, "："], v, "");
            svg.bar(series_class(j), x, y, bar_w, h, v, &tip);
            let mut num = itoa::Buffer::new();
            let label = num.format(v);
            if h >= SMALL + 4.0 && text_width(label, SMALL) <= bar_w - 4.0 {
                svg.small("value in", x + bar_w / 2.0, y + h / 2.0 + 4.5, Anchor::Middle, label);
            }
            top = y;
        }
        let mut num = itoa::Buffer::new();
        let total = num.format(totals[i]);
        if !series.is_empty() && text_width(total, SMALL) <= slot - 4.0 {
            svg.small("value total", x + bar_w / 2.0, top - 4.0, Anchor::Middle, total);
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
    let mut tip = String::new();
    for (i, (category, &v)) in categories.iter().zip(values).enumerate() {
        let row = frame.top + i as f64 * ROW_H;
        let (shown, cut) = fit(category, frame.w - 2.0 * PAD, FONT);
        let full = cut.then_some(category.as_str());
        svg.label("label", frame.x0, row + 16.0, Anchor::Start, &shown, full);
        let w = frame.scale.len(v, frame.plot_w);
        let y = row + 21.0;
        tip_into(&mut tip, &[category, "："], v, unit);
        svg.bar(series_class(0), frame.x0, y, w, BAR_H, v, &tip);
        svg.small(
            "value",
            frame.x0 + w + 4.0,
            y + 11.5,
            Anchor::Start,
            itoa::Buffer::new().format(v),
        );
    }
    let table = value_table(id, title, categories, values, unit);
    figure(&figure_class("horizontal", 1, 1), 1, id, title, &svg.finish(), &table)
}

/// A bar's tooltip into `tip` (emptied first): `parts`, the value, `unit`
/// (what `format!("{category} {label}：{v}")` wrote, without allocating a
/// string for every bar).
fn tip_into(tip: &mut String, parts: &[&str], v: i64, unit: &str) {
    tip.clear();
    for part in parts {
        tip.push_str(part);
    }
    tip.push_str(itoa::Buffer::new().format(v));
    tip.push_str(unit);
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
        out.push_str("<tr><th scope=\"row\">");
        push_html(&mut out, category);
        out.push_str("</th>");
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
        out.push_str("<tr><th scope=\"row\">");
        push_html(&mut out, category);
        out.push_str("</th>");
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
            out.push_str("<td class=\"num\">");
            out.push_str(itoa::Buffer::new().format(v));
            out.push_str("</td>");
        }
        None => out.push_str("<td class=\"num blank\"></td>"),
    }
}

fn labels<'a>(series: &[Series<'a>]) -> Vec<&'a str> {
    series.iter().map(|s| s.label).collect()
}

/// "2021年至2023年", for descriptions.
fn span_text(categories: &[String]) -> String {
    match categories {
        [] => "无数据".to_string(),
        [one] => one.clone(),
        [first, .., last] => format!("{first}至{last}"),
    }
}
