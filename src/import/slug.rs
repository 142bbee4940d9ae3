//! The agency slug derived from the agency's name, in pinyin without tones:
//! a trailing 人民政府 is dropped; the leading administrative divisions
//! (…省, …市, …县, …区, …旗, …州, …盟, …镇, …乡, …街道) each become one
//! hyphen-separated part, and the rest of the name one more part.
//! 绥滨县忠仁镇人民政府 → `suibinxian-zhongrenzhen`; 绥滨县财政局 →
//! `suibinxian-caizhengju`. Latin letters and digits are kept (lower case);
//! anything else is dropped. Characters with several readings take the
//! commonest one, so a slug may need `--agency-slug`.

use pinyin::ToPinyin;

/// Division suffixes that end a leading part of the name.
const UNITS: [&str; 10] = ["街道", "省", "市", "县", "区", "旗", "州", "盟", "镇", "乡"];

/// Words in which a division character is no division (市场, 城乡, …).
const NOT_UNITS: [&str; 12] = [
    "市场", "市政", "市容", "城市", "城乡", "乡村", "乡镇", "区域", "县域", "镇村", "社区", "州市",
];

/// Splits `name` into its leading divisions and the rest.
fn parts(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..].iter().collect();
        let unit = UNITS.iter().find(|u| rest.starts_with(*u));
        if let Some(u) = unit {
            let end = i + u.chars().count();
            let word_around =
                |a: usize, b: usize| -> String { chars[a.min(chars.len())..b.min(chars.len())].iter().collect() };
            let in_word = NOT_UNITS.iter().any(|w| {
                let before = i.checked_sub(1).map(|a| word_around(a, i + 1));
                let after = word_around(i, i + 2);
                before.as_deref() == Some(*w) || after == *w
            });
            // A division has a name of its own before the unit.
            if !in_word && i > start {
                parts.push(chars[start..end].iter().collect());
                start = end;
                i = end;
                continue;
            }
            if i == start {
                // The rest of the name is no division: one part.
                break;
            }
        }
        i += 1;
    }
    if start < chars.len() {
        parts.push(chars[start..].iter().collect());
    }
    parts
}

/// Pinyin (plain, no tones) of each character, Latin letters and digits kept.
fn romanise(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(p) = c.to_pinyin() {
            out.push_str(p.plain());
        } else if ('\u{ff10}'..='\u{ff5a}').contains(&c) {
            if let Some(a) = char::from_u32(c as u32 - 0xfee0).filter(char::is_ascii_alphanumeric) {
                out.push(a.to_ascii_lowercase());
            }
        }
    }
    out
}

/// The slug for an agency name; empty when the name has nothing to romanise.
pub fn slug(agency: &str) -> String {
    let name: String = agency.chars().filter(|c| !super::text::is_space(*c)).collect();
    let name = match name.strip_suffix("人民政府") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => name,
    };
    let parts: Vec<String> = parts(&name)
        .iter()
        .map(|p| romanise(p))
        .filter(|p| !p.is_empty())
        .collect();
    parts.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_names() {
        assert_eq!(slug("绥滨县忠仁镇人民政府"), "suibinxian-zhongrenzhen");
        assert_eq!(slug("绥滨县人民政府"), "suibinxian");
        assert_eq!(slug("绥滨县财政局"), "suibinxian-caizhengju");
        assert_eq!(slug("绥滨县市场监督管理局"), "suibinxian-shichangjianduguanliju");
        assert_eq!(slug("哈尔滨市南岗区人民政府"), "haerbinshi-nangangqu");
        assert_eq!(slug("鹤岗市住房和城乡建设局"), "hegangshi-zhufanghechengxiangjiansheju");
        assert_eq!(slug("南岗区花园街道办事处"), "nangangqu-huayuanjiedao-banshichu");
        assert_eq!(slug("人民政府"), "renminzhengfu");
        assert_eq!(slug("ＡＢ市12局"), "abshi-12ju");
        // The commonest reading: a place name may need --agency-slug.
        assert_eq!(slug("长春市人民政府"), "zhangchunshi");
    }
}
