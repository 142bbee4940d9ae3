//! The agency slug derived from the agency's name, in pinyin without tones:
//! a trailing 人民政府 is dropped; the leading administrative divisions
//! (…省, …市, …县, …区, …旗, …州, …盟, …镇, …乡, …街道) each become one
//! hyphen-separated part, and the rest of the name one more part.
//! 绥滨县忠仁镇人民政府 → `suibinxian-zhongrenzhen`; 绥滨县财政局 →
//! `suibinxian-caizhengju`. Latin letters and digits are kept (lower case);
//! anything else is dropped.
//!
//! Readings are phrase-aware: the name is cut into words by jieba, and a
//! word (or the longest part of it) found in [`PHRASES`] takes the reading
//! given there, so 重庆 is `chongqing`, 长沙 `changsha`, 厦门 `xiamen` and
//! 银行 `yinhang`; every other character takes its commonest reading from
//! the `pinyin` crate. Slugs become permanent URLs, so the table errs on the
//! side of listing a word.
//!
//! Why a table of our own and not a crate of phrase readings (evaluated for
//! issue 13): `pinyin-converter` (overtrue's data, 8.3 MB of phrases) needs
//! Rust 1.95 (this crate builds on 1.88), embeds the whole list in the
//! binary and builds a hash map of about 500,000 phrases at run time;
//! `chinese_dictionary` downloads its data from GitHub while it builds (no
//! offline build); `haoxue-dict` is 12 MB. An agency's name is a place name
//! and an office: the readings that differ from a character's commonest one
//! in such names are few, and are listed here (from the official readings of
//! the places), with a test for each.

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
                // 州市 keeps the 州 of 广州市 in the name; its 市 is a unit.
                (before.as_deref() == Some(*w) && *w != "州市") || after == *w
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

/// Words whose reading differs from the commonest readings of their
/// characters, each with its reading (plain pinyin, run together): place
/// names first (the official readings), then words of office names.
pub const PHRASES: &[(&str, &str)] = &[
    // 重 chóng
    ("重庆", "chongqing"),
    // 长 cháng
    ("长沙", "changsha"),
    ("长春", "changchun"),
    ("长治", "changzhi"),
    ("长安", "changan"),
    ("长宁", "changning"),
    ("长寿", "changshou"),
    ("长汀", "changting"),
    ("长乐", "changle"),
    ("长兴", "changxing"),
    ("长丰", "changfeng"),
    ("长白", "changbai"),
    ("长阳", "changyang"),
    ("长垣", "changyuan"),
    ("长岭", "changling"),
    ("长海", "changhai"),
    ("长清", "changqing"),
    ("长武", "changwu"),
    ("长葛", "changge"),
    ("长泰", "changtai"),
    ("长顺", "changshun"),
    ("长岛", "changdao"),
    ("长洲", "changzhou"),
    ("长江", "changjiang"),
    ("长城", "changcheng"),
    ("延长", "yanchang"),
    ("长子", "zhangzi"),
    // 厦 xià in 厦门, shà in 大厦
    ("厦门", "xiamen"),
    ("大厦", "dasha"),
    // 行 háng
    ("银行", "yinhang"),
    ("行业", "hangye"),
    ("人行", "renhang"),
    // Other places with a reading of their own.
    ("蚌埠", "bengbu"),
    ("六安", "luan"),
    ("六合", "luhe"),
    ("丽水", "lishui"),
    ("番禺", "panyu"),
    ("亳州", "bozhou"),
    ("铅山", "yanshan"),
    ("蔚县", "yuxian"),
    ("尉犁", "yuli"),
    ("尉氏", "weishi"),
    ("洪洞", "hongtong"),
    ("犍为", "qianwei"),
    ("筠连", "junlian"),
    ("枞阳", "zongyang"),
    ("歙县", "shexian"),
    ("涡阳", "guoyang"),
    ("莘县", "shenxian"),
    ("浚县", "xunxian"),
    ("繁峙", "fanshi"),
    ("乐亭", "laoting"),
    ("乐清", "yueqing"),
    ("乐山", "leshan"),
    ("乐陵", "leling"),
    ("单县", "shanxian"),
    ("任丘", "renqiu"),
    ("东莞", "dongguan"),
    ("台州", "taizhou"),
    ("天台", "tiantai"),
    ("会昌", "huichang"),
    ("会理", "huili"),
    ("会泽", "huize"),
    ("宿州", "suzhou"),
    ("宿迁", "suqian"),
    ("宿松", "susong"),
    ("朝阳", "chaoyang"),
    ("都江堰", "dujiangyan"),
    ("成都", "chengdu"),
    ("都匀", "duyun"),
    ("京都", "jingdu"),
    ("首都", "shoudu"),
    ("大都", "dadu"),
    ("吐鲁番", "tulufan"),
    ("西藏", "xizang"),
    ("曲阜", "qufu"),
    ("济南", "jinan"),
    ("济宁", "jining"),
    ("郫都", "pidu"),
    ("荥阳", "xingyang"),
    ("荥经", "yingjing"),
    ("阿城", "acheng"),
    ("阿勒泰", "aletai"),
    ("巴塘", "batang"),
    ("黑龙江", "heilongjiang"),
    ("藁城", "gaocheng"),
    ("大城", "dacheng"),
    // Words of office names.
    ("会计", "kuaiji"),
    ("调查", "diaocha"),
    ("调解", "tiaojie"),
    ("供销", "gongxiao"),
    ("应急", "yingji"),
    ("卫生", "weisheng"),
    ("少年", "shaonian"),
    ("办事处", "banshichu"),
    ("处理", "chuli"),
    ("参事", "canshi"),
    ("宗教", "zongjiao"),
    ("教育", "jiaoyu"),
    ("传媒", "chuanmei"),
    ("重大", "zhongda"),
    ("重点", "zhongdian"),
    ("发行", "faxing"),
    ("行政", "xingzheng"),
    ("行政区", "xingzhengqu"),
    ("长效", "changxiao"),
    ("长期", "changqi"),
    ("长征", "changzheng"),
    ("长途", "changtu"),
    ("行长", "hangzhang"),
    ("重建", "chongjian"),
    ("音乐", "yinyue"),
    ("市长", "shizhang"),
    ("县长", "xianzhang"),
    ("省长", "shengzhang"),
    ("区长", "quzhang"),
    ("镇长", "zhenzhang"),
    ("乡长", "xiangzhang"),
];

/// The longest word of [`PHRASES`] at the start of `chars`, with its length.
fn phrase_at(chars: &[char]) -> Option<(usize, &'static str)> {
    PHRASES
        .iter()
        .filter(|(w, _)| {
            let n = w.chars().count();
            n <= chars.len() && w.chars().eq(chars[..n].iter().copied())
        })
        .map(|(w, r)| (w.chars().count(), *r))
        .max_by_key(|(n, _)| *n)
}

/// The one segmenter of the slugs (loading its dictionary takes a while,
/// so only names with a character of several readings load it).
fn jieba() -> &'static jieba_rs::Jieba {
    static J: std::sync::OnceLock<jieba_rs::Jieba> = std::sync::OnceLock::new();
    J.get_or_init(jieba_rs::Jieba::new)
}

/// Whether any word of [`PHRASES`] occurs in `s` (else jieba is not needed).
fn has_phrase(s: &str) -> bool {
    PHRASES.iter().any(|(w, _)| s.contains(w))
}

/// Pinyin (plain, no tones) of `s`: jieba's words, each read phrase by
/// phrase where [`PHRASES`] knows it and character by character elsewhere;
/// Latin letters and digits kept.
fn romanise(s: &str) -> String {
    let mut out = String::new();
    let words: Vec<&str> = if has_phrase(s) {
        jieba().cut(s, false).into_iter().map(|t| t.word).collect()
    } else {
        vec![s]
    };
    for word in words {
        let chars: Vec<char> = word.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if let Some((n, reading)) = phrase_at(&chars[i..]) {
                out.push_str(reading);
                i += n;
                continue;
            }
            push_char(&mut out, chars[i]);
            i += 1;
        }
    }
    out
}

/// One character's commonest reading, or the character itself when it is
/// a Latin letter or digit (full-width ones folded).
fn push_char(out: &mut String, c: char) {
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
        // Was `zhangchunshi` before the phrase table (issue 13, item 8).
        assert_eq!(slug("长春市人民政府"), "changchunshi");
        // Was one part, `guangzhoushipanyuqu`: the 市 of 州市 ends a division.
        assert_eq!(slug("广州市番禺区人民政府"), "guangzhoushi-panyuqu");
        assert_eq!(slug("杭州市财政局"), "hangzhoushi-caizhengju");
    }

    /// Issue 13, item 8: place names and words whose characters have
    /// several readings take the word's reading, not the commonest one.
    #[test]
    fn place_names_take_their_own_readings() {
        let cases = [
            ("重庆市人民政府", "chongqingshi"),
            ("长沙市财政局", "changshashi-caizhengju"),
            ("厦门市人民政府", "xiamenshi"),
            ("中国人民银行", "zhongguorenminyinhang"),
            ("蚌埠市人民政府", "bengbushi"),
            ("六安市人民政府", "luanshi"),
            ("丽水市人民政府", "lishuishi"),
            ("广州市番禺区人民政府", "guangzhoushi-panyuqu"),
            ("长治市人民政府", "changzhishi"),
            ("长子县人民政府", "zhangzixian"),
            ("重庆市长寿区人民政府", "chongqingshi-changshouqu"),
            ("示例县行政审批局", "shilixian-xingzhengshenpiju"),
            ("示例县会计核算中心", "shilixian-kuaijihesuanzhongxin"),
            ("厦门市大厦管理处", "xiamenshi-dashaguanlichu"),
            // jieba's words keep 市长 (shizhang) from being read across
            // 城市|长效: without them, `chengshizhangxiao…`.
            ("示例市城市长效管理办公室", "shilishi-chengshichangxiaoguanlibangongshi"),
            ("示例县长途汽车站", "shilixian-changtuqichezhan"),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(name, want)| slug(name) != *want)
            .map(|(name, want)| format!("{name}: {} (want {want})", slug(name)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn every_phrase_reads_as_plain_lower_case_letters() {
        for (word, reading) in PHRASES {
            assert!(
                !reading.is_empty() && reading.chars().all(|c| c.is_ascii_lowercase()),
                "{word}: {reading}"
            );
        }
    }
}
