//! The geometry of the charts: the scale, the layouts of vertical and
//! horizontal charts, the legend, the SVG writer, and text widths estimated
//! for fitting labels. Coordinates are rounded to one decimal ([`num`]).

use std::fmt::Write as _;

use unicode_width::UnicodeWidthChar;

// Text into markup: the one escaping function.
use crate::escape::html as esc;
use crate::escape::push_html;

// Geometry, in SVG user units. Charts are one to four `UNIT_W` wide; the
// theme caps each width class (`.w1` … `.w4`) so that text keeps one size.
pub(super) const UNIT_W: f64 = 440.0;
pub(super) const MAX_UNITS: usize = 4;
/// Category and legend labels.
pub(super) const FONT: f64 = 14.0;
/// Ticks and value labels.
pub(super) const SMALL: f64 = 13.0;
pub(super) const PAD: f64 = 8.0;
/// Vertical charts: the plot's height, and its right margin.
pub(super) const PLOT_H: f64 = 220.0;
pub(super) const RIGHT: f64 = 10.0;
/// Vertical charts: the widest a category label may be before it is cut.
pub(super) const MAX_CATEGORY_W: f64 = FONT * 8.0;
/// Horizontal bars: one row (a label line above a bar), and the bar.
pub(super) const ROW_H: f64 = 40.0;
pub(super) const BAR_H: f64 = 14.0;
/// Legend: one line, and its colour swatch.
pub(super) const LEGEND_ROW: f64 = 22.0;
pub(super) const SWATCH: f64 = 12.0;
/// Series colours the theme defines (`.s0` … `.s6`); more series reuse them.
pub(super) const COLOURS: usize = 7;

/// A linear scale from 0 to a "nice" maximum, with integer ticks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Scale {
    pub(super) max: i64,
    pub(super) step: i64,
}

impl Scale {
    /// The smallest 1, 2, 2.5 or 5 × 10^k (an integer) at least `data_max`,
    /// ticked in 4 or 5 intervals when those are whole numbers, else by 1.
    /// All-zero (or negative) data gets the scale 0 to 1.
    pub(super) fn new(data_max: i64) -> Scale {
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

    pub(super) fn ticks(self) -> impl Iterator<Item = i64> {
        (0..=self.max / self.step).map(move |i| i * self.step)
    }

    /// The length of a bar for `v` (clamped at 0) when the scale spans `span`.
    pub(super) fn len(self, v: i64, span: f64) -> f64 {
        round1(v.max(0) as f64 * span / self.max as f64)
    }
}

/// The layout of a vertical chart: legend on top, plot, category labels below.
pub(super) struct Vertical {
    pub(super) units: usize,
    pub(super) w: f64,
    pub(super) h: f64,
    pub(super) left: f64,
    pub(super) slot: f64,
    pub(super) legend: Legend,
    pub(super) legend_top: f64,
    pub(super) bottom: f64,
    pub(super) scale: Scale,
}

impl Vertical {
    /// `cluster_min` is the narrowest a category's slot may be for its bars;
    /// the chart widens (in whole units) until every slot fits.
    pub(super) fn new(categories: &[String], labels: &[&str], data_max: i64, cluster_min: f64) -> Vertical {
        let scale = Scale::new(data_max);
        let tick_w = scale
            .ticks()
            .map(|t| text_width(itoa::Buffer::new().format(t), SMALL))
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
    pub(super) fn slot(&self, i: usize) -> (f64, f64) {
        (self.left + i as f64 * self.slot, self.slot)
    }

    /// The legend, gridlines with tick labels, and category labels.
    pub(super) fn draw_frame(&self, svg: &mut Svg, categories: &[String]) {
        self.legend.draw(svg, self.legend_top);
        for t in self.scale.ticks().filter(|&t| t > 0) {
            let y = self.bottom - self.scale.len(t, PLOT_H);
            svg.line("grid", self.left, y, self.w - RIGHT, y);
        }
        for t in self.scale.ticks() {
            let y = self.bottom - self.scale.len(t, PLOT_H);
            svg.small(
                "tick",
                self.left - 6.0,
                y + 4.5,
                Anchor::End,
                itoa::Buffer::new().format(t),
            );
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
    pub(super) fn draw_baseline(&self, svg: &mut Svg) {
        svg.line("axis", self.left, self.bottom, self.w - RIGHT, self.bottom);
    }
}

/// The layout of a horizontal chart: unit note, rows, tick labels below.
pub(super) struct Horizontal {
    pub(super) w: f64,
    pub(super) h: f64,
    pub(super) x0: f64,
    pub(super) plot_w: f64,
    pub(super) top: f64,
    pub(super) bottom: f64,
    pub(super) scale: Scale,
}

impl Horizontal {
    pub(super) fn new(categories: &[String], values: &[i64], unit: &str) -> Horizontal {
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
    pub(super) fn draw_frame(&self, svg: &mut Svg, unit: &str) {
        if !unit.is_empty() {
            svg.small("unit", self.w - PAD, PAD + 12.0, Anchor::End, &format!("单位：{unit}"));
        }
        for t in self.scale.ticks() {
            let x = self.x0 + self.scale.len(t, self.plot_w);
            let class = if t == 0 { "axis" } else { "grid" };
            svg.line(class, x, self.top, x, self.bottom);
            svg.small(
                "tick",
                x,
                self.bottom + 16.0,
                Anchor::Middle,
                itoa::Buffer::new().format(t),
            );
        }
    }
}

/// The series labels in a row above the plot, wrapping onto more lines.
pub(super) struct Legend {
    /// (x, y offset, text shown, full text when cut)
    pub(super) items: Vec<(f64, f64, String, Option<String>)>,
    pub(super) height: f64,
}

impl Legend {
    pub(super) fn new(labels: &[&str], x0: f64, max_x: f64) -> Legend {
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

    pub(super) fn draw(&self, svg: &mut Svg, top: f64) {
        for (j, (x, y, shown, full)) in self.items.iter().enumerate() {
            let y = top + y;
            let _ = write!(
                svg.0,
                "<rect class=\"swatch {}\" x=\"{}\" y=\"{}\" width=\"{SWATCH}\" height=\"{SWATCH}\"/>",
                series_class(j),
                Num(*x),
                Num(y + 3.0)
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
pub(super) enum Anchor {
    Start,
    Middle,
    End,
}

/// An SVG document being written.
pub(super) struct Svg(String);

impl Svg {
    pub(super) fn open(id: &str, w: f64, h: f64, title: &str, desc: &str) -> Svg {
        let id = esc(id);
        let mut out = String::with_capacity(8192);
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" \
             aria-labelledby=\"{id}-title {id}-desc\" font-family=\"sans-serif\" font-size=\"{FONT}\">\
             <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
            Num(w),
            Num(h),
            esc(title),
            esc(desc)
        );
        Svg(out)
    }

    pub(super) fn finish(mut self) -> String {
        self.0.push_str("</svg>");
        self.0
    }

    pub(super) fn line(&mut self, class: &str, x1: f64, y1: f64, x2: f64, y2: f64) {
        let o = &mut self.0;
        o.push_str("<line class=\"");
        o.push_str(class);
        o.push('"');
        num_attr(o, " x1=\"", x1);
        num_attr(o, " y1=\"", y1);
        num_attr(o, " x2=\"", x2);
        num_attr(o, " y2=\"", y2);
        o.push_str("/>");
    }

    /// A bar for `value`, with a tooltip.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn bar(&mut self, class: &str, x: f64, y: f64, w: f64, h: f64, value: i64, tip: &str) {
        // Pieces pushed one by one (the same text as one `write!`, without
        // the formatting machinery: an agency page draws dozens of bars).
        let o = &mut self.0;
        o.push_str("<rect class=\"bar ");
        o.push_str(class);
        o.push('"');
        num_attr(o, " x=\"", x);
        num_attr(o, " y=\"", y);
        num_attr(o, " width=\"", w);
        num_attr(o, " height=\"", h);
        o.push_str(" data-value=\"");
        o.push_str(itoa::Buffer::new().format(value));
        o.push_str("\"><title>");
        push_html(o, tip);
        o.push_str("</title></rect>");
    }

    /// A text in the small font (ticks, values, notes).
    pub(super) fn small(&mut self, class: &str, x: f64, y: f64, anchor: Anchor, text: &str) {
        self.text(class, x, y, anchor, SMALL, text, None);
    }

    /// A label; `full` (the uncut text) becomes its tooltip.
    pub(super) fn label(&mut self, class: &str, x: f64, y: f64, anchor: Anchor, text: &str, full: Option<&str>) {
        self.text(class, x, y, anchor, FONT, text, full);
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn text(
        &mut self,
        class: &str,
        x: f64,
        y: f64,
        anchor: Anchor,
        size: f64,
        text: &str,
        full: Option<&str>,
    ) {
        // The anchor and the small size as classes the theme styles
        // (`.chart .m`, `.e`, `.sm`): a chart has dozens of texts, and
        // `text-anchor="middle" font-size="13"` on each was a tenth of an
        // agency page. Start is SVG's default anchor; the root sets FONT.
        let anchor = match anchor {
            Anchor::Start => "",
            Anchor::Middle => " m",
            Anchor::End => " e",
        };
        let small = if size == SMALL { " sm" } else { "" };
        let o = &mut self.0;
        o.push_str("<text class=\"");
        o.push_str(class);
        o.push_str(anchor);
        o.push_str(small);
        o.push('"');
        num_attr(o, " x=\"", x);
        num_attr(o, " y=\"", y);
        if size != FONT && size != SMALL {
            num_attr(o, " font-size=\"", size);
        }
        o.push('>');
        if let Some(full) = full {
            o.push_str("<title>");
            push_html(o, full);
            o.push_str("</title>");
        }
        push_html(o, text);
        o.push_str("</text>");
    }
}

/// The class of series `j` (`s0` … `s6`, then again from `s0`).
pub(super) fn series_class(j: usize) -> &'static str {
    const CLASSES: [&str; COLOURS] = ["s0", "s1", "s2", "s3", "s4", "s5", "s6"];
    CLASSES[j % COLOURS]
}

/// The width of `s` at font size `size`, estimated: Chinese characters (and
/// the ellipsis) are 1 em, others 0.6 em (generous for digits and Latin).
pub(super) fn text_width(s: &str, size: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * size
}

pub(super) fn char_em(c: char) -> f64 {
    match (c, c.width()) {
        ('…', _) => 1.0,
        (_, Some(2)) => 1.0,
        (_, Some(0) | None) => 0.0,
        _ => 0.6,
    }
}

/// `s` cut with an ellipsis to fit `max_w`, and whether it was cut.
pub(super) fn fit(s: &str, max_w: f64, size: f64) -> (String, bool) {
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

pub(super) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A coordinate, rounded to one decimal, without a trailing ".0" (the
/// tests' view of [`Num`]).
#[cfg(test)]
pub(super) fn num(x: f64) -> String {
    let shown = Num(x).to_string();
    let mut pushed = String::new();
    Num(x).push(&mut pushed);
    assert_eq!(pushed, shown, "Num::push and Display differ for {x}");
    shown
}

/// A coordinate as [`num`] writes it, written straight into the markup
/// (charts draw thousands of coordinates: no string each).
pub(super) struct Num(pub(super) f64);

impl Num {
    /// Appends the coordinate to `out`: the same text as its `Display`,
    /// without the formatting machinery (the charts' hot path).
    pub(super) fn push(self, out: &mut String) {
        let tenths = (self.0 * 10.0).round();
        if !tenths.is_finite() || tenths.abs() >= 1e15 {
            let _ = write!(out, "{self}");
            return;
        }
        let t = tenths as i64;
        if t < 0 {
            out.push('-');
        }
        out.push_str(itoa::Buffer::new().format(t.abs() / 10));
        let d = (t.abs() % 10) as u8;
        if d != 0 {
            out.push('.');
            out.push(char::from(b'0' + d));
        }
    }
}

/// Writes an attribute whose value is a number, as [`Num`] writes it:
/// `prefix` is ` name="`. (Pieces pushed one by one: the same text as one
/// `write!`, without the formatting machinery.)
#[inline(always)]
fn num_attr(o: &mut String, prefix: &str, value: f64) {
    o.push_str(prefix);
    Num(value).push(o);
    o.push('"');
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let x = self.0;
        // In tenths, as an integer: much cheaper than formatting a float.
        // Same text as `format!("{:.1}")` without a trailing ".0"; never "-0".
        let tenths = (x * 10.0).round();
        if !tenths.is_finite() || tenths.abs() >= 1e15 {
            let s = format!("{:.1}", round1(x) + 0.0);
            return f.write_str(s.strip_suffix(".0").unwrap_or(&s));
        }
        let t = tenths as i64;
        let mut buf = itoa::Buffer::new();
        if t < 0 {
            f.write_str("-")?;
        }
        f.write_str(buf.format(t.abs() / 10))?;
        match t.abs() % 10 {
            0 => Ok(()),
            d => write!(f, ".{d}"),
        }
    }
}
