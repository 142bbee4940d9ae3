//! What a report says about itself: the title (`<机关><年度>年度政府信息公开
//! 工作年度报告`), hence the agency and the year; the agency on a line of its
//! own before the title, or signed at the end; the publication date, signed
//! at the end (`2024年1月5日`, `2024-01-05`, `2024.1.5`, `二〇二四年一月五日`);
//! and the level of the body, from its name.

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
    if s.len() < 4 {
        return None;
    }
    if s[..4].iter().all(|c| c.is_ascii_digit()) && !s.get(4).is_some_and(|c| c.is_ascii_digit()) {
        return s[..4].iter().collect::<String>().parse().ok();
    }
    let d: Vec<u32> = s[..4].iter().filter_map(|&c| cn_digit(c)).collect();
    (d.len() == 4 && d[0] > 0).then(|| d.iter().fold(0, |a, &x| a * 10 + x) as i32)
}

/// Every date written in `line`, in order.
pub fn dates(line: &str) -> Vec<NaiveDate> {
    let n: Vec<char> = norm(line).chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n.len() {
        let prev_digit = i > 0 && (n[i - 1].is_ascii_digit() || cn_digit(n[i - 1]).is_some());
        if let (false, Some(y)) = (prev_digit, year_at(&n[i..])) {
            let mut j = i + 4;
            let sep = n.get(j).copied();
            let date = match sep {
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
                    let (d, b) =
                        small_number(&n[j + 1..]).filter(|_| n.get(j + 1).is_some_and(|c| c.is_ascii_digit()))?;
                    j += 1 + b;
                    (!n.get(j).is_some_and(|c| c.is_ascii_digit())).then_some(())?;
                    NaiveDate::from_ymd_opt(y, m, d)
                })(),
                _ => None,
            };
            if let Some(d) = date {
                out.push(d);
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The reporting year named in a title line: the year before 年度 or 年.
pub fn title_year(line: &str) -> Option<(i32, usize)> {
    let n: Vec<char> = norm(line).chars().collect();
    for i in 0..n.len() {
        let prev_digit = i > 0 && (n[i - 1].is_ascii_digit() || cn_digit(n[i - 1]).is_some());
        if prev_digit {
            continue;
        }
        if let Some(y) = year_at(&n[i..]) {
            if n.get(i + 4) == Some(&'年') && (2000..=2100).contains(&y) {
                return Some((y, i));
            }
        }
    }
    None
}

/// Whether a line is a report's title: it names a year and a report.
pub fn is_title(line: &str) -> bool {
    let n = norm(line);
    n.contains("报告") && (n.contains("政府信息公开") || n.contains("信息公开")) && title_year(line).is_some()
}

/// The agency a title names before its year (`绥滨县忠仁镇人民政府2023年度…`).
pub fn title_agency(line: &str) -> Option<String> {
    let (_, at) = title_year(line)?;
    let n = norm(line);
    let prefix: String = n.chars().take(at).collect();
    let prefix = prefix.trim_start_matches("关于").trim_end_matches(['(', '[']);
    let prefix = prefix.trim_end_matches("关于");
    looks_like_agency(prefix).then(|| prefix.to_string())
}

/// Whether a line could be the name of a body: short, no sentence
/// punctuation or digits.
pub fn looks_like_agency(s: &str) -> bool {
    let t = tidy(s);
    let len = t.chars().count();
    (2..=40).contains(&len)
        && !t.chars().any(|c| {
            c.is_ascii_digit() || "。，,；;：:！？!?（）()、“”".contains(c) || is_space(c) || c.is_ascii_punctuation()
        })
        && t.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count() * 2 >= len
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
    fn titles() {
        let t = "绥滨县忠仁镇人民政府 2023 年度政府信息公开工作报告";
        assert!(is_title(t));
        assert_eq!(title_year(t).map(|x| x.0), Some(2023));
        assert_eq!(title_agency(t).as_deref(), Some("绥滨县忠仁镇人民政府"));
        assert_eq!(title_agency("2022年政府信息公开工作年度报告"), None);
        assert_eq!(
            title_year("二〇二二年度政府信息公开工作年度报告").map(|x| x.0),
            Some(2022)
        );
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
