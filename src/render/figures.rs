//! The charts of the agency and year pages, assembled from the planned
//! portal's key figures and outcome sums (drawn by [`super::charts`]). A
//! chart whose every value is zero (an agency that never had an appeal) is
//! one line of text saying so instead of an empty frame.

use super::charts;
use crate::portal::{KeyFigures, Portal};

/// The charts of an agency page: multi-year trends (HTML with inline SVG).
pub(super) fn agency_charts(portal: &Portal, a: usize) -> Vec<String> {
    let idx: Vec<usize> = portal.agencies[a]
        .reports
        .iter()
        .copied()
        .filter(|&i| portal.figures[i].is_some())
        .collect();
    if idx.is_empty() {
        return Vec::new();
    }
    let years: Vec<String> = idx.iter().map(|&i| format!("{}年", portal.reports[i].year)).collect();
    // "2023年度" or "2022–2025年度", for the line that stands for a chart of zeros.
    let (first, last) = (portal.reports[idx[0]].year, portal.reports[idx[idx.len() - 1]].year);
    let span = if first == last {
        format!("{first}年度")
    } else {
        format!("{first}–{last}年度")
    };
    let fig = |f: fn(&KeyFigures) -> i64| -> Vec<i64> {
        idx.iter().map(|&i| portal.figures[i].as_ref().map_or(0, f)).collect()
    };
    let outcome: Vec<[i64; 6]> = idx
        .iter()
        .map(|&i| {
            let r = portal.reports[i];
            r.tables
                .as_ref()
                .map_or([0; 6], |t| crate::portal::outcomes(r.format, t))
        })
        .collect();
    let outcome_series: Vec<charts::Series> = crate::portal::OUTCOMES
        .iter()
        .enumerate()
        .map(|(k, label)| charts::Series {
            label,
            values: outcome.iter().map(|o| o[k]).collect(),
        })
        .collect();
    let applications = [
        charts::Series {
            label: "新收申请",
            values: fig(|f| f.new),
        },
        charts::Series {
            label: "办结申请",
            values: fig(|f| f.handled),
        },
    ];
    let appeals = [
        charts::Series {
            label: "行政复议",
            values: fig(|f| f.review),
        },
        charts::Series {
            label: "行政诉讼",
            values: fig(|f| f.litigation),
        },
    ];
    vec![
        if all_zero(&applications) {
            none_line("chart-applications", &format!("{span}无新收和办结的政府信息公开申请。"))
        } else {
            charts::grouped_bars(
                "chart-applications",
                "历年政府信息公开申请：新收与办结",
                &years,
                &applications,
            )
        },
        if all_zero(&outcome_series) {
            none_line("chart-outcomes", &format!("{span}无办理完毕的政府信息公开申请。"))
        } else {
            charts::stacked_bars("chart-outcomes", "历年申请办理结果构成", &years, &outcome_series)
        },
        if all_zero(&appeals) {
            none_line("chart-appeals", &format!("{span}无政府信息公开行政复议、行政诉讼。"))
        } else {
            charts::grouped_bars("chart-appeals", "历年行政复议、行政诉讼数量", &years, &appeals)
        },
    ]
}

/// Whether every value of every series is zero (a chart with nothing to draw).
fn all_zero(series: &[charts::Series]) -> bool {
    series.iter().all(|s| s.values.iter().all(|&v| v == 0))
}

/// The one line that stands for a chart of zeros, with the chart's id (so
/// links to it still land). `text` is the portal's own wording.
fn none_line(id: &str, text: &str) -> String {
    format!(
        "<p class=\"chart-none\" id=\"{id}\">{}</p>\n",
        crate::escape::html(text)
    )
}

/// The charts of a year page: the 20 agencies with the most new
/// applications, and the outcome breakdown of all agencies together.
pub(super) fn year_charts(portal: &Portal, y: usize) -> Vec<String> {
    let year = &portal.years[y];
    let mut ranked: Vec<usize> = year
        .reports
        .iter()
        .copied()
        .filter(|&i| portal.figures[i].is_some())
        .collect();
    if ranked.is_empty() {
        return Vec::new();
    }
    ranked.sort_by_key(|&i| {
        (
            std::cmp::Reverse(portal.figures[i].map_or(0, |f| f.new)),
            portal.reports[i].agency.clone(),
        )
    });
    ranked.truncate(20);
    let names: Vec<String> = ranked.iter().map(|&i| portal.reports[i].agency.clone()).collect();
    let values: Vec<i64> = ranked.iter().map(|&i| portal.figures[i].map_or(0, |f| f.new)).collect();
    let mut out = vec![if values.iter().all(|&v| v == 0) {
        none_line(
            "chart-top",
            &format!("{}年度各机关均无新收政府信息公开申请。", year.year),
        )
    } else {
        charts::horizontal_bars(
            "chart-top",
            &format!("{}年度新收申请数量最多的机关（前{}名）", year.year, names.len()),
            &names,
            &values,
            "件",
        )
    }];
    if let Some(a) = &year.aggregate {
        let o = crate::portal::outcomes(a.format, &a.tables);
        if o.iter().all(|&v| v == 0) {
            out.push(none_line(
                "chart-outcome-sum",
                &format!("{}年度各机关均无办理完毕的政府信息公开申请。", year.year),
            ));
            return out;
        }
        let labels: Vec<String> = crate::portal::OUTCOMES.iter().map(|s| s.to_string()).collect();
        out.push(charts::horizontal_bars(
            "chart-outcome-sum",
            &format!("{}年度申请办理结果构成（全部机关合计）", year.year),
            &labels,
            &o,
            "件",
        ));
    }
    out
}
