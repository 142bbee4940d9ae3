//! Row labels taken apart into their numbering and their text, so that a
//! label read from a report is matched to an official one by what it says:
//! `三、本年度办理结果（三）不予公开 1.属于国家秘密` gives section 三, the
//! results block, group （三）, item 1 and the text 属于国家秘密.

use super::text::{label_score, norm};
use crate::report::labels::{RowDef, REQUEST_GROUPS};

const NUMERALS: [char; 7] = ['一', '二', '三', '四', '五', '六', '七'];

/// A label in normal form, taken apart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parts {
    /// 一 … 四 of `一、本年新收…`.
    pub sec: Option<char>,
    /// The `三、本年度办理结果` block was named.
    pub results: bool,
    /// 一 … 七 of `（一）予以公开`.
    pub paren: Option<char>,
    /// The key of the group named with its own label (`（三）不予公开 1.…`).
    pub group: Option<&'static str>,
    /// 1 … 8 of `1.属于国家秘密`.
    pub sub: Option<u32>,
    pub text: String,
}

fn group_of(paren: char) -> Option<&'static crate::report::labels::GroupDef> {
    REQUEST_GROUPS.iter().find(|g| g.label.chars().nth(1) == Some(paren))
}

/// Cuts a prefix off `s` when it is a piece of 三、本年度办理结果 or of a
/// group's label and a row's own numbering (`（一）`, `1.`) follows it.
fn strip_fragment(s: &str, paren: bool) -> &str {
    let marker = s.char_indices().find(|&(i, c)| {
        i > 0 && {
            let rest = &s[i..];
            if paren {
                c == '('
                    && rest.chars().nth(2) == Some(')')
                    && rest.chars().nth(1).is_some_and(|n| NUMERALS.contains(&n))
            } else {
                c.is_ascii_digit()
                    && !s[..i].ends_with(|p: char| p.is_ascii_digit())
                    && rest.trim_start_matches(|d: char| d.is_ascii_digit()).starts_with('.')
            }
        }
    });
    let Some((i, _)) = marker else { return s };
    let prefix = &s[..i];
    let spanning = std::iter::once("三.本年度办理结果".to_string())
        .chain(REQUEST_GROUPS.iter().map(|g| norm(g.label)))
        .any(|l| l.contains(prefix));
    if spanning && prefix.chars().count() >= 2 {
        &s[i..]
    } else {
        s
    }
}

/// Takes a label apart; `n` is in normal form ([`norm`]).
pub fn parts(n: &str) -> Parts {
    let mut p = Parts::default();
    let mut s: &str = n;
    let mut it = s.chars();
    if let (Some(c), Some('.')) = (it.next(), it.next()) {
        if NUMERALS[..4].contains(&c) {
            p.sec = Some(c);
            s = &s[c.len_utf8() + 1..];
        }
    }
    if let Some(rest) = s.strip_prefix("本年度办理结果") {
        p.results = true;
        s = rest;
    }
    // A piece of a label that spans rows (三、本年度办理结果 or a group's
    // label, broken over the lines of its cell) before the row's own label.
    s = strip_fragment(s, true);
    let mut it = s.chars();
    if let (Some('('), Some(c), Some(')')) = (it.next(), it.next(), it.next()) {
        if NUMERALS.contains(&c) {
            p.paren = Some(c);
            s = &s[2 + c.len_utf8()..];
            if let Some(g) = group_of(c) {
                let name = norm(g.label);
                let name = name.split_once(')').map_or("", |x| x.1);
                if let Some(rest) = s.strip_prefix(name) {
                    if rest.starts_with(|d: char| d.is_ascii_digit()) {
                        p.group = Some(g.key);
                        s = rest;
                    }
                }
            }
        }
    }
    s = strip_fragment(s, false);
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() && s[digits.len()..].starts_with('.') {
        p.sub = digits.parse().ok();
        s = &s[digits.len() + 1..];
    }
    p.text = s.to_string();
    p
}

/// The group a label puts the rows below it in: `Some(Some(key))` for a
/// group of sub-rows, `Some(None)` for a row outside any group, `None` when
/// it names no row of its own.
pub fn group_change(p: &Parts) -> Option<Option<&'static str>> {
    if let Some(g) = p.group {
        return Some(Some(g));
    }
    match (p.paren, p.sec) {
        (Some(c), _) => Some(group_of(c).map(|g| g.key)),
        (None, Some(_)) => Some(None),
        _ => None,
    }
}

/// Finds the row of `defs` a source label names. `group` is the group the
/// rows above left open. Returns the row's index and its score, or `Err`
/// with the best candidates when none or several fit.
pub fn match_row(src: &Parts, group: Option<&str>, defs: &[RowDef]) -> Result<(usize, f64), Vec<usize>> {
    let official: Vec<Parts> = defs.iter().map(|d| parts(&norm(d.label))).collect();
    let compatible = |d: &RowDef, o: &Parts| -> bool {
        if let Some(sub) = src.sub {
            o.sub == Some(sub) && src.group.is_none_or(|g| d.group == Some(g))
        } else if let Some(paren) = src.paren {
            o.paren == Some(paren)
        } else if let Some(sec) = src.sec {
            o.sec == Some(sec)
        } else {
            true
        }
    };
    let mut scored: Vec<(usize, f64)> = Vec::new();
    let cands: Vec<usize> = (0..defs.len())
        .filter(|&i| compatible(&defs[i], &official[i]))
        .collect();
    for &i in &cands {
        let mut s = if src.text.is_empty() && cands.len() == 1 {
            0.7
        } else {
            label_score(&src.text, &official[i].text)
        };
        if s > 0.0 && defs[i].group.is_some() && defs[i].group == group {
            s += 0.1;
        }
        scored.push((i, s));
    }
    let best = |scored: &[(usize, f64)], min: f64| -> Result<(usize, f64), Vec<usize>> {
        let mut v: Vec<(usize, f64)> = scored.iter().copied().filter(|x| x.1 >= min).collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        match v.as_slice() {
            [] => Err(Vec::new()),
            [one] => Ok(*one),
            [a, b, ..] if a.1 - b.1 >= 0.05 || a.1 >= 1.0 && b.1 < 1.0 => Ok(*a),
            [a, b, ..] => Err(vec![a.0, b.0]),
        }
    };
    match best(&scored, 0.5) {
        Ok(x) => Ok(x),
        Err(tied) if !tied.is_empty() => Err(tied),
        Err(_) => {
            // The numbering may be missing or wrong: the text alone, strictly.
            let all: Vec<(usize, f64)> = (0..defs.len())
                .map(|i| (i, label_score(&src.text, &official[i].text)))
                .collect();
            best(&all, 0.75)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::labels::{REQUEST_ROWS_2019, REQUEST_ROWS_2021};

    fn find(label: &str, group: Option<&str>) -> Option<String> {
        let p = parts(&norm(label));
        match_row(&p, group, &REQUEST_ROWS_2021)
            .ok()
            .map(|(i, _)| REQUEST_ROWS_2021[i].path())
    }

    #[test]
    fn labels_take_apart() {
        let p = parts(&norm("三、本 年度办 理结果 (三) 不 予公开 1. 属于国家秘密"));
        assert_eq!(p.sec, Some('三'));
        assert!(p.results);
        assert_eq!((p.paren, p.group, p.sub), (Some('三'), Some("denied"), Some(1)));
        assert_eq!(p.text, "属于国家秘密");
    }

    #[test]
    fn rows_are_found_by_label() {
        assert_eq!(find("一、本年新收政府信息公开申请数量", None).as_deref(), Some("new"));
        assert_eq!(
            find("三、本 年度办 理结果 (一) 予以公开", None).as_deref(),
            Some("granted")
        );
        assert_eq!(
            find("(三) 不 予公开 1. 属于国家秘密", None).as_deref(),
            Some("denied.state_secret")
        );
        assert_eq!(
            find("1、本机关不掌握相关政府信息", Some("denied")).as_deref(),
            Some("unavailable.not_held")
        );
        assert_eq!(find("3. 其他", Some("other")).as_deref(), Some("other.other"));
        assert_eq!(find("2. 重复申请", None).as_deref(), Some("not_processed.duplicate"));
        assert_eq!(
            find(
                "(六) 其 他处理 1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申",
                None
            )
            .as_deref(),
            Some("other.no_correction")
        );
        assert_eq!(find("（七）总计", None).as_deref(), Some("total"));
        assert_eq!(find("四、结转下年度继续办理", None).as_deref(), Some("carried_forward"));
        assert_eq!(find("本年新收政府信息公开申请数量", None).as_deref(), Some("new"));
        // Pieces of labels that span rows, before a row's own label.
        assert_eq!(find("三、本年 （一）予以公开", None).as_deref(), Some("granted"));
        assert_eq!(find("度办理 （二）部分公开", None).as_deref(), Some("partial"));
        assert_eq!(
            find("不予公开 4.保护第三方合法权益", None).as_deref(),
            Some("denied.third_party")
        );
        assert_eq!(
            find("予处理 2.重复申请", None).as_deref(),
            Some("not_processed.duplicate")
        );
        assert_eq!(find("完全无关的文字", None), None);
        let p = parts(&norm("（六）其他处理"));
        let (i, _) = match_row(&p, None, &REQUEST_ROWS_2019).unwrap();
        assert_eq!(REQUEST_ROWS_2019[i].path(), "other");
    }
}
