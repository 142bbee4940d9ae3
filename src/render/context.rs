//! What a page's template gets: the context every page shares (the site,
//! its years and navigation, the page's own URL; [`Page`]), and the view
//! models of a report, an agency, a year, the key figures and their change,
//! the six sections in official order, built from the planned portal. Only
//! what a page shows is put in (the compare page lists every report, so its
//! rows carry only their figures).
use serde::Serialize;

use super::tables;
use tera::Context;

use crate::escape;
use crate::markdown;
use crate::outputs::{Cx, Rendered};
use crate::portal::{KeyFigures, Portal};
use crate::report::labels::{SECTIONS, SECTION_NUMERALS};
use crate::report::{Format, Level, Report};
use crate::urls;
use crate::Error;

/// What every page shows of the whole portal: the years and the pages in
/// the navigation. When it changes, every page must be rendered again.
#[derive(Debug, PartialEq, Eq)]
pub struct SharedSignature(Vec<(i32, usize)>, Vec<(String, String)>);

pub fn shared_signature(portal: &Portal) -> SharedSignature {
    let s = Shared::new(portal);
    SharedSignature(
        s.years.iter().map(|y| (y.year, y.count)).collect(),
        s.nav.iter().map(|l| (l.title.clone(), l.url.clone())).collect(),
    )
}

/// What every page shares, with the template values of its lists made
/// once (a `tera::Value` is shared by reference counting, so every page's
/// context takes them without serializing them again).
pub(super) struct Shared {
    years: Vec<YearLink>,
    nav: Vec<Link>,
    years_value: tera::Value,
    nav_value: tera::Value,
}

impl Shared {
    pub(super) fn new(portal: &Portal) -> Shared {
        let years: Vec<YearLink> = portal
            .years
            .iter()
            .map(|y| YearLink {
                year: y.year,
                url: urls::into_href(urls::year(y.year)),
                count: y.reports.len(),
            })
            .collect();
        let mut pages: Vec<_> = portal.pages.iter().collect();
        pages.sort_by(|a, b| (a.weight, &a.title).cmp(&(b.weight, &b.title)));
        let nav: Vec<Link> = pages
            .iter()
            .map(|p| Link {
                title: p.title.clone(),
                url: urls::into_href(urls::page(&p.path)),
            })
            .collect();
        // The values the serializer makes (`{year, url, count}`,
        // `{title, url}`), with the URLs as [`plain`] text.
        let years_value = tera::Value::from(
            years
                .iter()
                .map(|y| {
                    let mut m = tera::Map::with_capacity(3);
                    m.insert("year".into(), tera::Value::from(i64::from(y.year)));
                    m.insert("url".into(), plain(&y.url));
                    m.insert("count".into(), tera::Value::from(y.count as u64));
                    tera::Value::from(m)
                })
                .collect::<Vec<_>>(),
        );
        let nav_value = tera::Value::from(
            nav.iter()
                .map(|l| {
                    let mut m = tera::Map::with_capacity(2);
                    m.insert("title".into(), tera::Value::from(l.title.as_str()));
                    m.insert("url".into(), plain(&l.url));
                    tera::Value::from(m)
                })
                .collect::<Vec<_>>(),
        );
        Shared {
            years_value,
            nav_value,
            years,
            nav,
        }
    }
}

/// Text for a template that escaping would leave as it is (a relative
/// root such as `../../`, a percent-encoded URL), marked safe: the engine
/// then writes it without calling the escape function for each of its
/// uses (`{{ root }}` is written some thirty times on every page). The
/// bytes are the same; text with anything to escape stays an ordinary
/// string and is escaped as every other value.
pub(super) fn plain(s: &str) -> tera::Value {
    match escape::html(s) {
        std::borrow::Cow::Borrowed(_) => tera::Value::safe_string(s),
        std::borrow::Cow::Owned(_) => tera::Value::from(s),
    }
}

/// A page being rendered: the render's context and what every page shares.
pub(super) struct Page<'a> {
    pub(super) cx: &'a Cx<'a>,
    shared: &'a Shared,
}

impl<'a> Page<'a> {
    pub(super) fn new(cx: &'a Cx<'a>, shared: &'a Shared) -> Page<'a> {
        Page { cx, shared }
    }

    pub(super) fn portal(&self) -> &Portal<'_> {
        self.cx.portal
    }

    /// What every page's template gets; `url` is the page's path (its URL
    /// before [`urls::href`]), `root` the way back to the site root.
    pub(super) fn base_context(&self, url: &str, root: &str) -> Context {
        let config = &self.cx.portal.site.config;
        let mut ctx = Context::new();
        let href = urls::href(url);
        ctx.insert("site_title", &config.title);
        ctx.insert("language", &config.language);
        ctx.insert_value("root", plain(root));
        ctx.insert_value("url", plain(&href));
        ctx.insert_value("canonical", plain(&format!("{}{href}", config.base_url_slash())));
        ctx.insert_value("years", self.shared.years_value.clone());
        ctx.insert_value("nav", self.shared.nav_value.clone());
        ctx.insert("search_enabled", &config.outputs.search);
        ctx.insert("data_enabled", &config.outputs.data);
        ctx
    }

    /// The page at `url` (a page path: `years/2023/`), from `template`,
    /// with the base context and what `fill` adds.
    pub(super) fn render(
        &self,
        url: String,
        template: &str,
        fill: impl FnOnce(&mut Context),
    ) -> Result<Rendered, Error> {
        let root = urls::root_from(&url);
        let mut ctx = self.base_context(&url, &root);
        fill(&mut ctx);
        Ok(Rendered {
            path: urls::file(&url),
            bytes: self.cx.theme.render(template, &ctx)?,
        })
    }

    /// The file `name` at the site root, from the template of that name.
    pub(super) fn file(&self, name: &str, ctx: &Context) -> Result<Rendered, Error> {
        Ok(Rendered {
            path: name.to_string(),
            bytes: self.cx.theme.render(name, ctx)?,
        })
    }

    /// The links to a page's data files, when the portal has open data.
    pub(super) fn data_links(&self, json: Option<String>, csv: Option<String>) -> Option<DataLinks> {
        self.portal().site.config.outputs.data.then(|| DataLinks {
            json: json.map(urls::into_href),
            csv: csv.map(urls::into_href),
        })
    }
}

#[derive(Serialize)]
pub(super) struct Link {
    pub(super) title: String,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct YearLink {
    pub(super) year: i32,
    pub(super) url: String,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct ReportMeta<'a> {
    pub(super) title: &'a str,
    pub(super) agency: &'a str,
    pub(super) agency_slug: &'a str,
    pub(super) year: i32,
    pub(super) published: String,
    pub(super) deadline: String,
    pub(super) on_time: bool,
    pub(super) level: &'static str,
    pub(super) level_label: &'static str,
    pub(super) region: Option<&'a str>,
    pub(super) format: &'static str,
    pub(super) draft: bool,
    pub(super) url: String,
    pub(super) agency_url: String,
    pub(super) year_url: String,
}

pub(super) fn meta(r: &Report) -> ReportMeta<'_> {
    ReportMeta {
        title: &r.title,
        agency: &r.agency,
        agency_slug: &r.agency_slug,
        year: r.year,
        published: r.published.to_string(),
        deadline: r.deadline().to_string(),
        on_time: r.on_time(),
        level: r.level.key(),
        level_label: r.level.label(),
        region: r.region.as_deref(),
        format: r.format.key(),
        draft: r.draft,
        url: urls::into_href(urls::report(&r.agency_slug, r.year)),
        agency_url: urls::into_href(urls::agency(&r.agency_slug)),
        year_url: urls::into_href(urls::year(r.year)),
    }
}

#[derive(Serialize)]
pub(super) struct SectionCtx {
    pub(super) numeral: char,
    pub(super) heading: String,
    /// The section's stable id, `section-1` … `section-6`.
    pub(super) anchor: String,
    /// The heading's id.
    pub(super) id: String,
    pub(super) html: String,
    /// The official table of sections 二, 三 and 四.
    pub(super) table: String,
    /// Whether the body lacks this section (R10); the theme shows the
    /// official heading all the same.
    pub(super) missing: bool,
}

/// A report's row in a list: its [`ReportMeta`] fields and its key figures,
/// side by side in one map (`row.url`, `row.figures.new`).
pub(super) struct ListRow<'a> {
    pub(super) meta: ReportMeta<'a>,
    pub(super) figures: Option<KeyFigures>,
}

/// The fields of `#[serde(flatten)]` written out: flattening serializes
/// through a map with keys made at run time, and the rows of the agency and
/// year pages were a tenth of their pages' cost. (A test checks the value
/// is the flattened one.)
impl Serialize for ListRow<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let m = &self.meta;
        let mut st = serializer.serialize_struct("ListRow", 16)?;
        st.serialize_field("title", m.title)?;
        st.serialize_field("agency", m.agency)?;
        st.serialize_field("agency_slug", m.agency_slug)?;
        st.serialize_field("year", &m.year)?;
        st.serialize_field("published", &m.published)?;
        st.serialize_field("deadline", &m.deadline)?;
        st.serialize_field("on_time", &m.on_time)?;
        st.serialize_field("level", m.level)?;
        st.serialize_field("level_label", m.level_label)?;
        st.serialize_field("region", &m.region)?;
        st.serialize_field("format", m.format)?;
        st.serialize_field("draft", &m.draft)?;
        st.serialize_field("url", &m.url)?;
        st.serialize_field("agency_url", &m.agency_url)?;
        st.serialize_field("year_url", &m.year_url)?;
        st.serialize_field("figures", &self.figures)?;
        st.end()
    }
}

/// A row of the compare page's table of every report: only what it shows,
/// since the page lists every report (a full [`ListRow`] for 10,000
/// reports made a template context of 35 MB).
#[derive(Serialize)]
pub(super) struct CompareRow<'a> {
    pub(super) agency: &'a str,
    pub(super) agency_slug: &'a str,
    pub(super) agency_url: String,
    pub(super) year: i32,
    pub(super) published: String,
    pub(super) url: String,
    pub(super) figures: Option<KeyFigures>,
}

#[derive(Serialize)]
pub(super) struct AgencyCtx<'a> {
    pub(super) name: &'a str,
    pub(super) slug: &'a str,
    pub(super) url: String,
    pub(super) level_label: &'static str,
    pub(super) region: Option<&'a str>,
    pub(super) count: usize,
    pub(super) first_year: i32,
    pub(super) last_year: i32,
}

#[derive(Serialize)]
pub(super) struct LevelGroup<'a> {
    pub(super) level: &'static str,
    pub(super) label: &'static str,
    pub(super) agencies: Vec<AgencyCtx<'a>>,
}

/// A page's data files, relative to the site root.
#[derive(Serialize)]
pub(super) struct DataLinks {
    pub(super) json: Option<String>,
    pub(super) csv: Option<String>,
}

/// One key figure this year and in the agency's previous report.
#[derive(Serialize)]
pub(super) struct ChangeRow {
    pub(super) label: &'static str,
    pub(super) prev: i64,
    pub(super) cur: i64,
    /// `+12`, `−3` or `0`.
    pub(super) delta: String,
    /// `up`, `down` or `same`.
    pub(super) class: &'static str,
    /// Percentage change, when the previous figure is not zero.
    pub(super) percent: Option<String>,
}

#[derive(Serialize)]
pub(super) struct ChangeCtx {
    pub(super) prev_year: i32,
    pub(super) prev_url: String,
    pub(super) rows: Vec<ChangeRow>,
}

/// The change of report `i`'s key figures against report `p` (the agency's
/// previous report), when both have tables.
pub(super) fn change_ctx(portal: &Portal, p: usize, i: usize) -> Option<ChangeCtx> {
    let (a, b) = (portal.figures[p]?, portal.figures[i]?);
    let pairs = [
        ("新收申请", a.new, b.new),
        ("办结申请", a.handled, b.handled),
        ("予以公开", a.granted, b.granted),
        ("行政复议", a.review, b.review),
        ("行政诉讼", a.litigation, b.litigation),
    ];
    let rows = pairs
        .into_iter()
        .map(|(label, prev, cur)| {
            let d = cur - prev;
            ChangeRow {
                label,
                prev,
                cur,
                delta: match d.cmp(&0) {
                    std::cmp::Ordering::Greater => format!("+{d}"),
                    std::cmp::Ordering::Less => format!("−{}", -d),
                    std::cmp::Ordering::Equal => "0".to_string(),
                },
                class: match d.cmp(&0) {
                    std::cmp::Ordering::Greater => "up",
                    std::cmp::Ordering::Less => "down",
                    std::cmp::Ordering::Equal => "same",
                },
                percent: (prev != 0).then(|| format!("{:+.1}%", d as f64 * 100.0 / prev as f64)),
            }
        })
        .collect();
    let r = portal.reports[p];
    Some(ChangeCtx {
        prev_year: r.year,
        prev_url: urls::into_href(urls::report(&r.agency_slug, r.year)),
        rows,
    })
}

#[derive(Serialize)]
pub(super) struct AggregateCtx {
    pub(super) count: usize,
    pub(super) table2: String,
    pub(super) table3: String,
    pub(super) table4: String,
}

#[derive(Serialize)]
pub(super) struct Glance {
    pub(super) year: i32,
    pub(super) url: String,
    pub(super) reports: usize,
    pub(super) on_time: usize,
    pub(super) on_time_percent: u32,
    pub(super) new: i64,
    pub(super) handled: i64,
}

/// The six sections in official order, with the body's text and the tables.
pub(super) fn report_sections(r: &Report, written: Vec<markdown::BodySection>) -> Vec<SectionCtx> {
    let mut slots: Vec<Option<markdown::BodySection>> = vec![None, None, None, None, None, None];
    let mut extra_html = String::new();
    for s in written {
        if slots[s.index].is_none() {
            let i = s.index;
            slots[i] = Some(s);
        } else {
            // A section written twice: keep its text, at the end of the
            // last section shown.
            // Its heading is text (escaped); its HTML came from Markdown.
            extra_html.push_str("<h2 id=\"");
            escape::push_html(&mut extra_html, &s.id);
            extra_html.push_str("\">");
            escape::push_html(&mut extra_html, &s.heading);
            extra_html.push_str("</h2>\n");
            extra_html.push_str(&s.html);
        }
    }
    let mut out = Vec::with_capacity(6);
    for (i, slot) in slots.into_iter().enumerate() {
        let table = match (&r.tables, i) {
            (Some(t), 1) => tables::table2(r.format, t, ""),
            (Some(t), 2) => tables::table3(r.format, t, ""),
            (Some(t), 3) => tables::table4(t, ""),
            _ => String::new(),
        };
        let missing = slot.is_none();
        // Two anchors: the heading's id from its text (as authors link to
        // it), and a stable one on the section, whatever its wording:
        // `#section-3` is table 三 on every report page.
        let anchor = format!("section-{}", i + 1);
        let (heading, id, html) = match slot {
            Some(s) => (s.heading, s.id, s.html),
            None => (SECTIONS[i].to_string(), format!("{anchor}-heading"), String::new()),
        };
        if r.format == Format::Freeform && missing {
            continue;
        }
        out.push(SectionCtx {
            numeral: SECTION_NUMERALS[i],
            heading,
            anchor,
            id,
            html,
            table,
            missing,
        });
    }
    if let Some(last) = out.last_mut() {
        mark_signature(&mut last.html);
        // (A section written twice means one was written, so there is a last.)
        last.html.push_str(&extra_html);
    }
    out
}

/// The signature at the end of a report, as the official document prints
/// it: the agency's name and the date (`2024年1月5日`), each a paragraph of
/// its own, last in the body. They are wrapped in `<div class="signature">`
/// (which the theme aligns right). The name is taken only when it is short
/// and reads as a name (no sentence punctuation); a body that does not end
/// in a date is left as it is. The paragraphs are pulldown-cmark's own
/// `<p>…</p>` of plain text (no markup inside).
pub(super) fn mark_signature(html: &mut String) {
    /// The trailing paragraph of `s` (its start and its text), if `s` ends in one.
    fn last_paragraph(s: &str) -> Option<(usize, &str)> {
        let body = s.trim_end().strip_suffix("</p>")?;
        let start = body.rfind("<p>")?;
        let text = &body[start + 3..];
        (!text.contains('<')).then_some((start, text.trim()))
    }
    let Some((date_at, date)) = last_paragraph(html) else {
        return;
    };
    if !is_date(date) {
        return;
    }
    let mut start = date_at;
    if let Some((name_at, name)) = last_paragraph(&html[..date_at]) {
        let n = name.chars().count();
        if (2..=40).contains(&n) && !name.contains(['。', '；', '，', '：', '！', '？', '.', ';', ':']) {
            start = name_at;
        }
    }
    let end = html.trim_end().len();
    let inner = html[start..end].to_string();
    html.truncate(start);
    html.push_str("<div class=\"signature\">\n");
    html.push_str(&inner);
    html.push_str("\n</div>\n");
}

/// `2024年1月5日`, `2024 年 1 月 5 日` or `二〇二四年一月五日`.
fn is_date(s: &str) -> bool {
    // A paragraph that does not end in 日 (most last paragraphs: a
    // sentence) is answered before reading its every character. (The same
    // answer: `reads_as_date` drops white space, and the last character of
    // the trimmed text is not white space.)
    s.trim_end().ends_with('日') && reads_as_date(s)
}

/// [`is_date`] by reading every character: the text without its white
/// space is a year, a month and a day in digits or Chinese numerals.
fn reads_as_date(s: &str) -> bool {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(rest) = s.strip_suffix('日') else {
        return false;
    };
    let parts: Vec<&str> = rest.split(['年', '月']).collect();
    let numeral = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_digit() || "〇零一二三四五六七八九十○".contains(c))
    };
    let len = |i: usize| parts[i].chars().count();
    parts.len() == 3 && parts.iter().all(|p| numeral(p)) && len(0) == 4 && len(1) <= 2 && len(2) <= 3
}

pub(super) fn agency_ctx<'a>(portal: &'a Portal, a: usize) -> AgencyCtx<'a> {
    let agency = &portal.agencies[a];
    let years: Vec<i32> = agency.reports.iter().map(|&i| portal.reports[i].year).collect();
    AgencyCtx {
        name: &agency.name,
        slug: &agency.slug,
        url: urls::into_href(urls::agency(&agency.slug)),
        level_label: agency.level.label(),
        region: agency.region.as_deref(),
        count: years.len(),
        first_year: years.first().copied().unwrap_or(0),
        last_year: years.last().copied().unwrap_or(0),
    }
}

pub(super) fn level_groups<'a>(portal: &'a Portal) -> Vec<LevelGroup<'a>> {
    Level::ALL
        .iter()
        .map(|&level| {
            let mut agencies: Vec<AgencyCtx> = (0..portal.agencies.len())
                .filter(|&a| portal.agencies[a].level == level)
                .map(|a| agency_ctx(portal, a))
                .collect();
            agencies.sort_by(|a, b| (a.region, a.name).cmp(&(b.region, b.name)));
            LevelGroup {
                level: level.key(),
                label: level.label(),
                agencies,
            }
        })
        .filter(|g| !g.agencies.is_empty())
        .collect()
}

/// The `n` most recently published reports (newest first; ties by title).
pub(super) fn recent(portal: &Portal, n: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..portal.reports.len()).collect();
    idx.sort_by(|&a, &b| {
        let (ra, rb) = (portal.reports[a], portal.reports[b]);
        (rb.published, &ra.title).cmp(&(ra.published, &rb.title))
    });
    idx.truncate(n);
    idx
}

pub(super) fn sum_figures(figures: impl Iterator<Item = KeyFigures>) -> KeyFigures {
    figures.fold(KeyFigures::default(), |a, f| KeyFigures {
        new: a.new + f.new,
        handled: a.handled + f.handled,
        granted: a.granted + f.granted,
        review: a.review + f.review,
        litigation: a.litigation + f.litigation,
    })
}

#[cfg(test)]
mod tests {
    use super::mark_signature;
    use super::{KeyFigures, ListRow, ReportMeta};

    /// A list row's value is what `#[serde(flatten)]` of its meta made.
    #[test]
    fn list_rows_serialize_as_flattened_meta() {
        #[derive(serde::Serialize)]
        struct Flattened<'a> {
            #[serde(flatten)]
            meta: &'a ReportMeta<'a>,
            figures: Option<KeyFigures>,
        }
        let meta = |region: Option<&'static str>, draft: bool| ReportMeta {
            title: "某局2023年政府信息公开工作年度报告",
            agency: "某局",
            agency_slug: "mou-ju",
            year: 2023,
            published: "2024-01-20".to_string(),
            deadline: "2024-01-31".to_string(),
            on_time: !draft,
            level: "county",
            level_label: "县级",
            region,
            format: "gov2021",
            draft,
            url: "reports/mou-ju/2023/".to_string(),
            agency_url: "agencies/mou-ju/".to_string(),
            year_url: "years/2023/".to_string(),
        };
        let figures = KeyFigures {
            new: 12,
            handled: 11,
            granted: 5,
            review: 1,
            litigation: 0,
        };
        for (region, draft, figures) in [(Some("某县"), false, Some(figures)), (None, true, None)] {
            let row = ListRow {
                meta: meta(region, draft),
                figures,
            };
            let want = tera::Value::try_from_serializable(&Flattened {
                meta: &row.meta,
                figures: row.figures,
            })
            .expect("serializes");
            let got = tera::Value::try_from_serializable(&row).expect("serializes");
            assert_eq!(got, want);
            assert_eq!(
                serde_json::to_value(&row).unwrap(),
                serde_json::to_value(&Flattened {
                    meta: &row.meta,
                    figures: row.figures
                })
                .unwrap()
            );
        }
    }

    fn marked(html: &str) -> String {
        let mut s = html.to_string();
        mark_signature(&mut s);
        s
    }

    #[test]
    fn dates_are_read_as_before() {
        for s in [
            "2024年1月5日",
            "2024 年 1 月 5 日",
            "2024年1月5日 \u{3000}\n",
            " 二〇二四年一月五日",
            "二〇二四年十二月三十一日",
            "2024年1月5日。",
            "本年度于2024年1月5日",
            "特此报告。",
            "日",
            "",
            "   ",
            "2024年1月5 日\t",
            "2024年13月555日",
        ] {
            // The early answer changes no answer of the full reading.
            assert_eq!(super::is_date(s), super::reads_as_date(s), "{s:?}");
        }
    }

    #[test]
    fn the_name_and_date_at_the_end_are_the_signature() {
        assert_eq!(
            marked("<p>无其他需要报告的事项。</p>\n<p>忠仁镇人民政府</p>\n<p>2024年1月5日</p>\n"),
            "<p>无其他需要报告的事项。</p>\n<div class=\"signature\">\n<p>忠仁镇人民政府</p>\n<p>2024年1月5日</p>\n</div>\n"
        );
        // A date alone; a date in Chinese numerals.
        assert_eq!(
            marked("<p>无其他需要报告的事项。</p>\n<p>二〇二四年一月五日</p>\n"),
            "<div class=\"signature\">\n<p>二〇二四年一月五日</p>\n</div>\n"
                .replace("<div", "<p>无其他需要报告的事项。</p>\n<div")
        );
        // Not a signature: no date last, a sentence last, markup inside.
        for html in [
            "<p>忠仁镇人民政府</p>\n",
            "<p>本年度于2024年1月5日发布。</p>\n",
            "<p><em>2024年1月5日</em></p>\n",
            "<ul><li>2024年1月5日</li></ul>\n",
            "",
        ] {
            assert_eq!(marked(html), html);
        }
        // A sentence before the date is not taken as the name.
        assert_eq!(
            marked("<p>特此报告。</p>\n<p>2024年1月5日</p>"),
            "<p>特此报告。</p>\n<div class=\"signature\">\n<p>2024年1月5日</p>\n</div>\n"
        );
    }
}
