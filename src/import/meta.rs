//! What a report says about itself, wherever it says it: the title (`<机关>
//! <年度>年度政府信息公开工作年度报告`, the agency before or after the year,
//! over one or two lines, in 《》, on a `标题：` line, with a web site's name
//! after `_`), hence the year and the agency; the agency on a line of its own
//! before the title, on a web page's `发布机构：`/`来源：` line, in a sentence
//! (`现公布三明市人民政府2022年政府信息公开工作年度报告`), or signed at the
//! end; the publication date from a page's `发布日期：`/`发布时间：` line, the
//! signature at the end (`2024年1月5日`, `2024-01-05`, `二〇二四年一月五日`) or a
//! date under the title; and the level of the body, from its name. Page
//! chrome (navigation, breadcrumbs, `字号：大 中 小`, `打印本页`) is never
//! taken for any of them. [`about`] puts it together, in the order of
//! precedence docs/import.md gives; what is not found is left out (a draft)
//! but for the year, which names the file.

use chrono::NaiveDate;

use super::text::{is_space, norm, tidy};
use crate::report::Level;

/// Chinese digits as used in dates (二〇二四年一月五日).
fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '○' | '零' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// A number of 1-2 ASCII digits, or written in Chinese up to 三十一, at the
/// start of `s`: (value, characters used).
fn small_number(s: &[char]) -> Option<(u32, usize)> {
    let digits: String = s.iter().take_while(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() {
        return (digits.len() <= 2).then(|| (digits.parse().unwrap_or(0), digits.len()));
    }
    // 十, 十二, 二十, 二十五, 三十一, 五
    let mut i = 0;
    let mut value = 0;
    if let Some(d) = s.first().and_then(|&c| cn_digit(c)).filter(|&d| d > 0) {
        value = d;
        i = 1;
    }
    if s.get(i) == Some(&'十') {
        value = if i == 0 { 10 } else { value * 10 };
        i += 1;
        if let Some(d) = s.get(i).and_then(|&c| cn_digit(c)).filter(|&d| d > 0) {
            value += d;
            i += 1;
        }
    }
    (i > 0).then_some((value, i))
}

/// A four-digit year at the start of `s` (ASCII or Chinese digits).
fn year_at(s: &[char]) -> Option<i32> {
    if s.len() < 4 || !(s[0].is_ascii_digit() || cn_digit(s[0]).is_some()) {
        return None;
    }
    if s[..4].iter().all(|c| c.is_ascii_digit()) && !s.get(4).is_some_and(|c| c.is_ascii_digit()) {
        return s[..4].iter().collect::<String>().parse().ok();
    }
    let d: Vec<u32> = s[..4].iter().filter_map(|&c| cn_digit(c)).collect();
    (d.len() == 4 && d[0] > 0).then(|| d.iter().fold(0, |a, &x| a * 10 + x) as i32)
}

/// A line in normal form for dates: [`norm`], but a space kept between two
/// ASCII digits or letters (as [`tidy`] keeps it), so that a time after a
/// date (`2024-03-08 15:34`) is not read as part of the day.
fn date_chars(line: &str) -> Vec<char> {
    let t = tidy(line);
    let parts: Vec<String> = t.split(' ').map(norm).collect();
    parts.join(" ").chars().collect()
}

/// The day of an ISO-like date at the start of `s`: 1-2 digits not followed
/// by another digit, or two digits run into a time (`0815:34`, where markup
/// was dropped between the date and the time).
fn iso_day(s: &[char]) -> Option<(u32, usize)> {
    let run = s.iter().take_while(|c| c.is_ascii_digit()).count();
    match run {
        1 | 2 => small_number(s),
        4 if matches!(s.get(4), Some(':')) => small_number(&s[..2]),
        _ => None,
    }
}

/// Every date written in `line`, in order.
pub fn dates(line: &str) -> Vec<NaiveDate> {
    date_spans(&date_chars(line)).into_iter().map(|(d, _, _)| d).collect()
}

/// A line that is a date (a signature's, a page's): the date alone, or
/// after a label (`发布日期：`), a body's name (`忠仁镇人民政府 2024年1月5日`,
/// given back) or an opening bracket, and before nothing but a time or a
/// closing bracket. A sentence that ends in a date (`统计期限自2023年1月1日`)
/// is not one.
pub fn date_line(line: &str) -> Option<(NaiveDate, Option<String>)> {
    if line.len() > SHORT_LINE {
        return None;
    }
    let n = date_chars(line);
    let &(date, start, end) = date_spans(&n).last()?;
    let bracket = |c: char| "()[]【】（）〔〕 ".contains(c);
    let prefix: String = n[..start].iter().collect();
    let prefix = prefix.trim_matches(bracket).trim_end_matches([':', '：']);
    let suffix_ok = n[end..].iter().all(|&c| c.is_ascii_digit() || c == ':' || bracket(c));
    let labelled = prefix.is_empty() || prefix.ends_with("日期") || prefix.ends_with("时间");
    if !suffix_ok {
        return None;
    }
    if labelled {
        return Some((date, None));
    }
    plausible_agency(prefix).then(|| (date, Some(prefix.to_string())))
}

/// Every date in `n` (as [`date_chars`] gives it), with the characters it takes.
fn date_spans(n: &[char]) -> Vec<(NaiveDate, usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < n.len() {
        let prev_digit = i > 0 && (n[i - 1].is_ascii_digit() || cn_digit(n[i - 1]).is_some());
        if let (false, Some(y)) = (prev_digit, year_at(&n[i..])) {
            let mut j = i + 4;
            let date = match n.get(j).copied() {
                Some('年') => (|| {
                    let (m, a) = small_number(&n[j + 1..])?;
                    j += 1 + a;
                    (n.get(j) == Some(&'月')).then_some(())?;
                    let (d, b) = small_number(&n[j + 1..])?;
                    j += 1 + b;
                    matches!(n.get(j), Some('日') | Some('号')).then_some(())?;
                    j += 1;
                    NaiveDate::from_ymd_opt(y, m, d)
                })(),
                Some(s @ ('-' | '.' | '/')) => (|| {
                    let (m, a) = small_number(&n[j + 1..]).filter(|_| n[j + 1].is_ascii_digit())?;
                    j += 1 + a;
                    (n.get(j) == Some(&s)).then_some(())?;
                    let (d, b) = iso_day(&n[j + 1..])?;
                    j += 1 + b;
                    NaiveDate::from_ymd_opt(y, m, d)
                })(),
                _ => None,
            };
            if let Some(d) = date {
                out.push((d, i, j));
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Every year followed by 年 in `n` (normal form), with its position: an
/// ASCII or Chinese four-digit year between 2000 and 2100 not preceded by a
/// digit.
fn years_in(n: &[char]) -> impl Iterator<Item = (i32, usize)> + '_ {
    (0..n.len()).filter_map(move |i| {
        let prev_digit = i > 0 && (n[i - 1].is_ascii_digit() || cn_digit(n[i - 1]).is_some());
        let y = year_at(&n[i..]).filter(|y| !prev_digit && (2000..=2100).contains(y))?;
        (n.get(i + 4) == Some(&'年')).then_some((y, i))
    })
}

/// The reporting year named in a title line: the year before 年度 or 年.
pub fn title_year(line: &str) -> Option<(i32, usize)> {
    let n: Vec<char> = norm(line).chars().collect();
    let first = years_in(&n).next();
    first
}

/// Whether a text names a report on information disclosure.
fn names_a_report(n: &str) -> bool {
    (n.contains("报告") || n.contains("年报")) && (n.contains("信息公开") || n.contains("政务公开"))
}

/// Whether a line is a report's title: it names a year and a report.
pub fn is_title(line: &str) -> bool {
    names_a_report(&norm(line)) && title_year(line).is_some()
}

/// Words no agency's name has, but titles and page chrome do.
const NOT_AGENCY: [&str; 8] = ["报告", "年报", "年度", "首页", "当前位置", "网站", "打印", "信息公开"];

/// The agency a title names: before its year (`绥滨县忠仁镇人民政府2023年度…`)
/// or between the year and 政府信息公开 (`2019年上海市人民政府办公厅政府信息公开
/// 工作年度报告`).
pub fn title_agency(line: &str) -> Option<String> {
    let (_, at) = title_year(line)?;
    let n: Vec<char> = norm(line).chars().collect();
    let prefix: String = n[..at].iter().collect();
    let prefix = prefix.trim_start_matches("关于").trim_end_matches(['(', '[']);
    let prefix = prefix.trim_end_matches("关于");
    let ok = |s: &str| looks_like_agency(s) && !NOT_AGENCY.iter().any(|w| s.contains(w));
    if ok(prefix) {
        return Some(prefix.to_string());
    }
    // After the year: up to where the report's name begins.
    let rest: String = n.get(at + 5..).unwrap_or(&[]).iter().collect();
    let rest = rest.trim_start_matches('度');
    let end = ["政府信息公开", "信息公开", "政务公开"]
        .iter()
        .find_map(|w| rest.find(w))?;
    let mut agency = rest[..end].to_string();
    // 上海市人民政府信息公开…: the 政府 of 人民政府 begins 政府信息公开.
    if agency.ends_with("人民") && rest[end..].starts_with("政府") {
        agency.push_str("政府");
    }
    ok(&agency).then_some(agency)
}

/// The longest line (in bytes, 200 Chinese characters) that can be a name,
/// page chrome or a title: the checks of longer lines end at once.
pub const SHORT_LINE: usize = 600;

/// Whether a line could be the name of a body: short, no sentence
/// punctuation or digits.
pub fn looks_like_agency(s: &str) -> bool {
    if s.len() > SHORT_LINE {
        return false;
    }
    let t = tidy(s);
    let len = t.chars().count();
    (2..=40).contains(&len)
        && !t.chars().any(|c| {
            c.is_ascii_digit() || "。，,；;：:！？!?（）()、“”".contains(c) || is_space(c) || c.is_ascii_punctuation()
        })
        && t.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count() * 2 >= len
}

/// How the names of bodies end (人民政府, 办公室, 局, 委员会, 镇, 街道…).
const AGENCY_ENDS: [&str; 38] = [
    "政府",
    "办公室",
    "办公厅",
    "办事处",
    "委员会",
    "管委会",
    "中心",
    "街道",
    "苏木",
    "公司",
    "集团",
    "局",
    "委",
    "厅",
    "部",
    "署",
    "院",
    "镇",
    "乡",
    "所",
    "站",
    "队",
    "馆",
    "会",
    "处",
    "科",
    "社",
    "办",
    "室",
    "组",
    "校",
    "台",
    "县",
    "市",
    "区",
    "省",
    "州",
    "旗",
];

/// A name taken from anywhere but the title: [`looks_like_agency`], ending
/// as names of bodies end, not a word of titles or page chrome, and not the
/// report speaking of itself (本机关, 我局).
pub fn plausible_agency(s: &str) -> bool {
    let n = norm(s);
    looks_like_agency(s)
        && AGENCY_ENDS.iter().any(|e| n.ends_with(e))
        && !NOT_AGENCY.iter().any(|w| n.contains(w))
        && !n.starts_with(['本', '我', '该', '全'])
        && !is_chrome(s)
}

/// Words of web page chrome: navigation, sharing, printing, footers.
const CHROME: [&str; 30] = [
    "打印本页",
    "打印此页",
    "打印文章",
    "关闭窗口",
    "关闭本页",
    "[打印]",
    "[关闭]",
    "分享到",
    "扫一扫",
    "网站地图",
    "无障碍",
    "返回顶部",
    "上一篇",
    "下一篇",
    "浏览次数",
    "阅读次数",
    "访问量",
    "点击数",
    "版权所有",
    "网站标识码",
    "ICP备",
    "公网安备",
    "技术支持",
    "联系我们",
    "当前位置",
    "当前的位置",
    "您的位置",
    "所在位置",
    "现在的位置",
    "长者模式",
];

/// Words a navigation bar is made of.
const NAV: [&str; 18] = [
    "首页",
    "网站首页",
    "政务公开",
    "政府信息公开",
    "信息公开",
    "政务服务",
    "互动交流",
    "政民互动",
    "新闻中心",
    "新闻动态",
    "公众参与",
    "办事服务",
    "数据开放",
    "繁体",
    "简体",
    "English",
    "登录",
    "注册",
];

/// Whether a line is web page chrome: a navigation bar or breadcrumb
/// (`首页 > 政府信息公开 > 年度报告`), a font-size switch (`字号：大 中 小`),
/// printing, sharing and footer words. A sentence (with `。`) never is.
pub fn is_chrome(line: &str) -> bool {
    // Chrome is short; a long line is text (and is not searched thirty times).
    if line.len() > SHORT_LINE {
        return false;
    }
    let n = norm(line);
    if n.is_empty() || n.contains('。') {
        return false;
    }
    if NAV.contains(&n.as_str()) || ["返回", "打印", "关闭", "分享", "收藏"].contains(&n.as_str()) {
        return true;
    }
    if CHROME.iter().any(|w| n.contains(w)) {
        return true;
    }
    if (n.contains("字号") || n.contains("字体")) && n.contains('大') && n.contains('小') {
        return true;
    }
    // Breadcrumbs: short parts between > (also ＞, », ›, →).
    let parts: Vec<&str> = n
        .split(['>', '»', '›', '→'])
        .map(|p| p.trim_matches('>'))
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() >= 2 && n.contains(['>', '»', '›', '→']) && parts.iter().all(|p| p.chars().count() <= 30) {
        return true;
    }
    // A navigation bar: several short words, among them navigation words.
    let words: Vec<&str> = line
        .split(|c: char| is_space(c) || "|｜丨·".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    words.len() >= 3
        && words.iter().all(|w| w.chars().count() <= 8)
        && words.iter().filter(|w| NAV.contains(&norm(w).as_str())).count() >= 2
}

/// What a web page's header line gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// 发布机构, 发文机关: the body that published the page.
    Agency,
    /// 来源: where the page came from (a body, or another site).
    Source,
    /// 发布日期, 发布时间: the day the page was published.
    Published,
    /// 成文日期, 生成日期: the day the document was written.
    Written,
    /// 标题: the document's title.
    Title,
    /// 索引号, 文号, 主题分类, …: read past.
    Other,
}

/// The labels of a page's header lines, longest first where one holds another.
const FIELDS: [(&str, Field); 47] = [
    ("信息公开主体", Field::Agency),
    ("发布机构", Field::Agency),
    ("发文机关", Field::Agency),
    ("发文单位", Field::Agency),
    ("发布单位", Field::Agency),
    ("公开主体", Field::Agency),
    ("所属机构", Field::Agency),
    ("信息来源", Field::Source),
    ("来源", Field::Source),
    ("发布日期", Field::Published),
    ("发布时间", Field::Published),
    ("公开日期", Field::Published),
    ("公开时间", Field::Published),
    ("公布日期", Field::Published),
    ("公布时间", Field::Published),
    ("上网时间", Field::Published),
    ("成文日期", Field::Written),
    ("成文时间", Field::Written),
    ("生成日期", Field::Written),
    ("印发日期", Field::Written),
    ("形成日期", Field::Written),
    ("文件名称", Field::Title),
    ("信息名称", Field::Title),
    ("标题", Field::Title),
    ("题名", Field::Title),
    ("名称", Field::Title),
    ("索引号", Field::Other),
    ("发文字号", Field::Other),
    ("文号", Field::Other),
    ("主题分类", Field::Other),
    ("信息分类", Field::Other),
    ("体裁分类", Field::Other),
    ("组配分类", Field::Other),
    ("分类", Field::Other),
    ("主题词", Field::Other),
    ("关键词", Field::Other),
    ("有效性", Field::Other),
    ("浏览次数", Field::Other),
    ("阅读次数", Field::Other),
    ("访问次数", Field::Other),
    ("点击数", Field::Other),
    ("浏览量", Field::Other),
    ("字号", Field::Other),
    ("字体", Field::Other),
    ("责任编辑", Field::Other),
    ("作者", Field::Other),
    ("编辑", Field::Other),
];

/// The longest line read as a page's header line, in characters.
const HEADER_MAX: usize = 400;

/// The label that begins `s` followed by a colon (`：`, `:`), and the
/// characters label and colon take.
fn label_at(s: &[char]) -> Option<(Field, usize)> {
    FIELDS.iter().find_map(|&(label, field)| {
        let len = label.chars().count();
        let matches = s.len() > len && s[..len].iter().copied().eq(label.chars());
        let colon = s.get(len).is_some_and(|&c| c == ':' || c == '：');
        (matches && colon).then_some((field, len + 1))
    })
}

/// The value of a header field, without brackets and separators around it.
fn field_value(s: &str) -> String {
    s.trim_matches(|c: char| is_space(c) || "【】[]|｜丨/（）()".contains(c))
        .to_string()
}

/// The fields of a web page's header line (`发布机构：…  发布时间：2024-03-08
/// 15:34  字号：大 中 小`), when the line begins with one; cells of a
/// tab-separated table (`发布机构\t绥滨县人民政府`) too. Empty for any other line.
pub fn header_fields(line: &str) -> Vec<(Field, String)> {
    // A header line is short (a page's longest, with every field, is under
    // 200 characters); a longer line is text.
    if line.len() > 4 * HEADER_MAX {
        return Vec::new();
    }
    if line.contains('\t') {
        if line.chars().count() > HEADER_MAX {
            return Vec::new();
        }
        let cells: Vec<String> = line.split('\t').map(tidy).filter(|c| !c.is_empty()).collect();
        let label_of = |c: &str| {
            let bare = c.trim_end_matches([':', '：']);
            FIELDS.iter().find(|(l, _)| *l == bare).map(|&(_, f)| f)
        };
        if cells
            .first()
            .is_some_and(|c| label_of(c).is_some() || !header_fields(c).is_empty())
        {
            let mut out = Vec::new();
            let mut k = 0;
            while k < cells.len() {
                match label_of(&cells[k]) {
                    Some(f) => {
                        let value = cells.get(k + 1).filter(|v| label_of(v).is_none());
                        if let Some(v) = value {
                            out.push((f, field_value(v)));
                            k += 1;
                        }
                    }
                    None => out.extend(header_fields(&cells[k])),
                }
                k += 1;
            }
            return out;
        }
        return Vec::new();
    }
    let t: Vec<char> = tidy(line).trim_start_matches(['【', '[', '(', '（']).chars().collect();
    // A header line is short (a page's longest, with every field, is under
    // 200 characters); a longer line is text.
    if t.len() > HEADER_MAX || label_at(&t).is_none() {
        return Vec::new();
    }
    let mut out: Vec<(Field, String)> = Vec::new();
    let mut current: Option<(Field, usize)> = None;
    let mut i = 0;
    while i < t.len() {
        if let Some((f, len)) = label_at(&t[i..]) {
            if let Some((g, from)) = current {
                out.push((g, field_value(&t[from..i].iter().collect::<String>())));
            }
            current = Some((f, i + len));
            i += len;
        } else {
            i += 1;
        }
    }
    if let Some((g, from)) = current {
        out.push((g, field_value(&t[from..].iter().collect::<String>())));
    }
    out
}

/// How much of an opening sentence is searched for the report's name.
const SENTENCE_HEAD: usize = 1000;

/// A sentence naming the report it opens (`现公布三明市人民政府2022年政府信息
/// 公开工作年度报告`, `现将XX局2022年度政府信息公开工作年度报告公布如下`): the
/// agency and the year, only when the sentence names a body (never 本机关).
pub fn sentence_agency_year(line: &str) -> Option<(String, i32)> {
    const VERBS: [&str; 9] = [
        "公布",
        "发布",
        "编制",
        "现将",
        "特将",
        "印发",
        "形成",
        "编写",
        "向社会公开",
    ];
    // The report is named at the start of its opening sentence.
    let head = line.char_indices().nth(SENTENCE_HEAD).map_or(line, |(i, _)| &line[..i]);
    let n: Vec<char> = norm(head).chars().collect();
    for (year, at) in years_in(&n) {
        let after: String = n[at + 5..].iter().take(30).collect();
        let after = after.trim_start_matches('度');
        let names_report = [
            "政府信息公开",
            "信息公开",
            "政务公开",
            "年度报告",
            "报告",
            "工作年度报告",
        ]
        .iter()
        .any(|w| after.starts_with(w))
            && (after.contains("报告") || after.contains("年报"));
        if !names_report {
            continue;
        }
        // The name is just before the year, the verb just before the name:
        // the 60 characters before the year hold both (and bound the work
        // on a long line with many years).
        let before: String = n[at.saturating_sub(60)..at].iter().collect();
        let Some(from) = VERBS.iter().filter_map(|v| before.rfind(v).map(|p| p + v.len())).max() else {
            continue;
        };
        let name = before[from..]
            .trim_start_matches(['了', '的'])
            .trim_start_matches("关于")
            .trim_end_matches("关于")
            .trim_end_matches('的');
        if plausible_agency(name) {
            return Some((name.to_string(), year));
        }
    }
    None
}

/// The level of a body, from its name: 乡镇、街道 are townships; a name
/// ending in 人民政府 (or 政府) is a government; anything else a department.
pub fn level_of(agency: &str) -> Level {
    let a = norm(agency);
    let base = a
        .strip_suffix("人民政府")
        .or_else(|| a.strip_suffix("政府"))
        .or_else(|| a.strip_suffix("办事处"));
    let township = ["镇", "乡", "街道", "苏木", "民族乡"];
    match base {
        Some(b) if township.iter().any(|t| b.ends_with(t)) => Level::Township,
        Some(_) if a.ends_with("办事处") => Level::Department,
        Some(_) => Level::Government,
        None if a.ends_with("街道") => Level::Township,
        None => Level::Department,
    }
}

mod find;
pub(super) use find::about;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_their_forms() {
        assert_eq!(dates("2024年1月5日"), [d(2024, 1, 5)]);
        assert_eq!(dates("2024 年 1 月 5 日"), [d(2024, 1, 5)]);
        assert_eq!(dates("２０２４年０１月０５日"), [d(2024, 1, 5)]);
        assert_eq!(dates("2024-01-05"), [d(2024, 1, 5)]);
        assert_eq!(dates("2024.1.5"), [d(2024, 1, 5)]);
        assert_eq!(dates("2024/1/25"), [d(2024, 1, 25)]);
        assert_eq!(dates("二〇二四年一月五日"), [d(2024, 1, 5)]);
        assert_eq!(dates("二〇二四年十二月三十一日"), [d(2024, 12, 31)]);
        assert!(dates("2023年度").is_empty());
        assert!(dates("12024-01-05").is_empty());
        assert!(dates("2024年2月30日").is_empty());
    }

    #[test]
    fn date_lines() {
        let at = |l: &str| date_line(l).map(|(d, a)| (d, a.unwrap_or_default()));
        assert_eq!(at("2024年1月5日"), Some((d(2024, 1, 5), String::new())));
        assert_eq!(at("（2024年1月5日）"), Some((d(2024, 1, 5), String::new())));
        assert_eq!(at("发布日期：2024-01-05 15:34"), Some((d(2024, 1, 5), String::new())));
        assert_eq!(
            at("忠仁镇人民政府 2024年1月5日"),
            Some((d(2024, 1, 5), "忠仁镇人民政府".to_string()))
        );
        assert_eq!(at("报告中所列数据统计期限自 2023 年 1 月 1 日"), None);
        assert_eq!(at("2023年1月1日起至"), None);
    }

    #[test]
    fn a_date_followed_by_a_time() {
        assert_eq!(dates("发布时间: 2024-03-08 15:34"), [d(2024, 3, 8)]);
        assert_eq!(dates("发布时间：2024-03-08 15:34:22"), [d(2024, 3, 8)]);
        assert_eq!(dates("2024-03-0815:34"), [d(2024, 3, 8)]);
        assert!(dates("2024-03-0815").is_empty());
    }

    #[test]
    fn titles() {
        let t = "绥滨县忠仁镇人民政府 2023 年度政府信息公开工作报告";
        assert!(is_title(t));
        assert_eq!(title_year(t).map(|x| x.0), Some(2023));
        assert_eq!(title_agency(t).as_deref(), Some("绥滨县忠仁镇人民政府"));
        assert_eq!(title_agency("2022年政府信息公开工作年度报告"), None);
        assert_eq!(title_agency("2022年度政府信息公开工作年度报告"), None);
        assert_eq!(
            title_year("二〇二二年度政府信息公开工作年度报告").map(|x| x.0),
            Some(2022)
        );
        assert_eq!(
            title_agency("2019年上海市人民政府办公厅政府信息公开工作年度报告").as_deref(),
            Some("上海市人民政府办公厅")
        );
        assert_eq!(
            title_agency("2019年度上海市人民政府信息公开工作年度报告").as_deref(),
            Some("上海市人民政府")
        );
        assert_eq!(title_agency("政府信息公开工作年度报告（2023年度）"), None);
    }

    #[test]
    fn chrome() {
        for line in [
            "首页 > 政府信息公开 > 年度报告",
            "首页>>政务公开>>2023年度政府信息公开工作年度报告",
            "字号：大 中 小",
            "【字体：大 中 小】【打印本页】【关闭窗口】",
            "首页 政务公开 政务服务 互动交流",
            "首页",
            "您当前的位置：首页",
        ] {
            assert!(is_chrome(line), "{line}");
        }
        for line in [
            "绥滨县人民政府",
            "一、总体情况",
            "2023年度政府信息公开工作年度报告",
            "行政复议 行政诉讼",
        ] {
            assert!(!is_chrome(line), "{line}");
        }
    }

    #[test]
    fn header_lines() {
        let f = header_fields("发布机构：绥滨县人民政府  发布时间: 2024-03-08 15:34  字号：大 中 小");
        assert_eq!(f[0], (Field::Agency, "绥滨县人民政府".to_string()));
        assert_eq!(f[1], (Field::Published, "2024-03-08 15:34".to_string()));
        let f = header_fields("索引号\t1123/2024-00012\t发布机构\t绥滨县财政局");
        assert_eq!(f.last(), Some(&(Field::Agency, "绥滨县财政局".to_string())));
        let f = header_fields("【来源：绥滨县人民政府】【发布日期：2024-01-05】");
        assert_eq!(f[0], (Field::Source, "绥滨县人民政府".to_string()));
        assert_eq!(f[1].0, Field::Published);
        assert!(header_fields("（一）来源：本年新收").is_empty());
        assert!(header_fields("2024年1月5日").is_empty());
    }

    #[test]
    fn sentences() {
        assert_eq!(
            sentence_agency_year("根据《条例》规定，现公布三明市人民政府2022年政府信息公开工作年度报告。"),
            Some(("三明市人民政府".to_string(), 2022))
        );
        assert_eq!(
            sentence_agency_year("现将示例县财政局2021年度政府信息公开工作年度报告公布如下："),
            Some(("示例县财政局".to_string(), 2021))
        );
        assert_eq!(sentence_agency_year("根据《条例》，现公布本机关2021年度报告。"), None);
        assert_eq!(sentence_agency_year("2023年，示例县财政局认真贯彻落实。"), None);
    }

    #[test]
    fn agencies() {
        assert!(plausible_agency("示例县交通运输局"));
        assert!(plausible_agency("忠仁镇人民政府"));
        assert!(!plausible_agency("首页"));
        assert!(!plausible_agency("本机关"));
        assert!(!plausible_agency("政府信息公开"));
        assert!(!plausible_agency("年度报告"));
    }

    #[test]
    fn levels() {
        assert_eq!(level_of("绥滨县忠仁镇人民政府"), Level::Township);
        assert_eq!(level_of("绥滨县人民政府"), Level::Government);
        assert_eq!(level_of("绥滨县财政局"), Level::Department);
        assert_eq!(level_of("南岗区花园街道办事处"), Level::Township);
        assert_eq!(level_of("绥滨县人民政府办公室"), Level::Department);
    }
}
