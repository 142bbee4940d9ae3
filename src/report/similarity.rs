//! Narrative similarity for check R12 (内容雷同): is this year's report text a
//! near copy of the agency's previous report?
//!
//! Method: the body is reduced to its letters (headings, digits, white space
//! and punctuation dropped, so a copy with new figures and dates still counts
//! as a copy), cut into overlapping 5-character shingles, and two reports are
//! compared by the Jaccard similarity of their shingle sets. Five characters
//! is about two Chinese words: short enough that a reworded sentence shares
//! little, long enough that common phrases alone (政府信息公开) do not make two
//! texts alike. Reports at or above [`THRESHOLD`] are flagged; texts shorter
//! than [`MIN_SHINGLES`] shingles are not compared (a one-line "无" is not a copy).
//!
//! Only the shingles whose hash is 0 modulo [`SAMPLE`] are kept (Broder's
//! mod-m sampling): the Jaccard similarity of the samples estimates that of
//! the full sets without bias, within about ±2 points for a report of a
//! thousand characters, at a quarter of the cost of sorting every shingle.

/// Shingle length in characters.
pub const K: usize = 5;
/// Jaccard similarity at or above which R12 warns.
pub const THRESHOLD: f64 = 0.85;
/// Below this many distinct sampled shingles (about 4 × as many in all) a
/// text is too short to compare.
pub const MIN_SHINGLES: usize = 25;
/// One shingle in `SAMPLE` (by hash) is kept.
pub const SAMPLE: u64 = 4;

/// The sorted, distinct shingle hashes of a text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fingerprint(Vec<u32>);

impl Fingerprint {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Whether a character counts for similarity: letters (Chinese first, the
/// common case), not digits, white space or punctuation.
fn counts(c: char) -> bool {
    match c {
        '\u{4e00}'..='\u{9fff}' => true,
        // CJK and full-width punctuation, the other common case.
        '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ff0f}' | '\u{ff1a}'..='\u{ff20}' => false,
        c if c.is_ascii() => c.is_ascii_alphabetic(),
        c => c.is_alphabetic(),
    }
}

/// The multiplier of the rolling hash.
const BASE: u64 = 0x100_0000_01b3;

/// A shingle is kept when its mixed hash is below this: one in [`SAMPLE`].
const KEEP_BELOW: u64 = u64::MAX / SAMPLE;

/// The mixed hash of a rolling hash, whose top bits are sampled on.
#[inline(always)]
fn mix(rolling: u64) -> u64 {
    let h = (rolling ^ (rolling >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 32)
}

/// Fingerprints a Markdown body: its letters (headings left out), cut into
/// overlapping shingles of [`K`] characters, hashed, sampled, sorted and
/// deduplicated.
///
/// The sampling test is true for a random-looking one shingle in four,
/// which a branch mispredicts often (this is one of the hottest loops of a
/// build): every hash is written at the end of the kept ones, and their
/// count moves on by the test's outcome (0 or 1), with no branch. (A
/// reading by bytes rather than `lines()` and `chars()`, Chinese decoded in
/// place, took more instructions, not fewer: 37% more, callgrind.)
pub fn fingerprint(body: &str) -> Fingerprint {
    // Room for a hash per byte of a line is made before the line is read
    // (a counted character is a byte at least).
    let mut hashes: Vec<u32> = vec![0; body.len() / 3 / SAMPLE as usize + 64];
    let mut kept = 0usize;
    // A polynomial rolling hash of the last K characters (Rabin-Karp, mod
    // 2^64): one multiply-add per character, the outgoing one subtracted
    // (the window starts as zeros, which subtract nothing). The window holds
    // the last characters by their count `seen`, in 8 slots (a power of two:
    // a mask, not a wrap-around, finds a slot) for K of them; a slot read
    // before it is first written is zero.
    const _: () = assert!(K <= 8);
    let drop = BASE.wrapping_pow(K as u32 - 1);
    let mut window = [0u64; 8];
    let mut rolling = 0u64;
    let mut seen = 0usize;
    for line in body.lines() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        if hashes.len() < kept + line.len() {
            hashes.resize((kept + line.len()).max(2 * hashes.len()), 0);
        }
        for c in line.chars() {
            // Chinese first: it needs neither `counts` nor lower-casing.
            let c = match c {
                '\u{4e00}'..='\u{9fff}' => c as u64 + 1,
                c if counts(c) => c.to_ascii_lowercase() as u64 + 1,
                _ => continue,
            };
            rolling = rolling
                .wrapping_sub(window[seen.wrapping_sub(K) & 7].wrapping_mul(drop))
                .wrapping_mul(BASE)
                .wrapping_add(c);
            window[seen & 7] = c;
            seen += 1;
            // Mix the bits before sampling on the top ones. 32 bits of the
            // (already sampled) hash are plenty for a few hundred shingles,
            // at half the memory.
            let h = mix(rolling);
            hashes[kept] = h as u32;
            kept += usize::from(h < KEEP_BELOW) & usize::from(seen >= K);
        }
    }
    hashes.truncate(kept);
    hashes.sort_unstable();
    hashes.dedup();
    hashes.shrink_to_fit();
    Fingerprint(hashes)
}

/// Jaccard similarity of two fingerprints, or `None` when either is too short.
pub fn similarity(a: &Fingerprint, b: &Fingerprint) -> Option<f64> {
    if a.len() < MIN_SHINGLES || b.len() < MIN_SHINGLES {
        return None;
    }
    // A merge of the two sorted lists. Which of the two moves on is as
    // random as the hashes: both indices move on by a comparison's outcome
    // (0 or 1), with no branch to mispredict.
    let (a, b) = (a.0.as_slice(), b.0.as_slice());
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        common += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    let union = a.len() + b.len() - common;
    Some(common as f64 / union as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`fingerprint`] as it was written first, with a branch on the
    /// sample and on the first shingles: what the branch-free version must
    /// give for every text.
    fn fingerprint_branching(body: &str) -> Fingerprint {
        let mut hashes: Vec<u32> = Vec::new();
        let drop = BASE.wrapping_pow(K as u32 - 1);
        let mut window = [0u64; K];
        let mut rolling = 0u64;
        let mut seen = 0usize;
        let mut slot = 0usize;
        for line in body.lines() {
            if line.trim_start().starts_with('#') {
                continue;
            }
            for c in line.chars().filter(|&c| counts(c)) {
                let c = c.to_ascii_lowercase() as u64 + 1;
                if seen >= K {
                    rolling = rolling.wrapping_sub(window[slot].wrapping_mul(drop));
                }
                rolling = rolling.wrapping_mul(BASE).wrapping_add(c);
                window[slot] = c;
                slot = if slot + 1 == K { 0 } else { slot + 1 };
                seen += 1;
                if seen >= K {
                    let h = (rolling ^ (rolling >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                    let h = h ^ (h >> 32);
                    if h < u64::MAX / SAMPLE {
                        hashes.push(h as u32);
                    }
                }
            }
        }
        hashes.sort_unstable();
        hashes.dedup();
        Fingerprint(hashes)
    }

    /// [`similarity`] as it was written first, with a three-way branch.
    fn similarity_by_cases(a: &Fingerprint, b: &Fingerprint) -> Option<f64> {
        if a.len() < MIN_SHINGLES || b.len() < MIN_SHINGLES {
            return None;
        }
        let (mut i, mut j, mut common) = (0, 0, 0usize);
        while i < a.0.len() && j < b.0.len() {
            match a.0[i].cmp(&b.0[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    common += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        Some(common as f64 / (a.len() + b.len() - common) as f64)
    }

    /// Pieces texts are made of: Chinese, its punctuation, ASCII letters of
    /// both cases, digits, headings (indented too), blank lines, CRLF, white
    /// space beyond ASCII, two- and four-byte characters (letters or not).
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "政", "府", "信", "息", "公", "开", "申", "请", "件", "，", "。", "、", "（", "）", "　", "：", "！", "０", "Ａ", "ｚ",
        "a", "B", "z", "Q", "1", "9", " ", "\t", "\n", "\r\n", "\r", "\n\n", "# ", "## 一、总体", "\n  ### 标题\n",
        "\n\u{3000}#", "#", "é", "ß", "Ω", "ж", "\u{a0}", "\u{85}", "😀", "𠀀", "𝐀", "\u{2028}", "ー", "ｶ", "가",
        "ⅷ", "\u{303f}", "\u{ff0f}", "\u{ff1a}", "\u{ff20}", "\u{ff21}", "\u{4dff}", "\u{a000}", "\u{9fff}",
        "\u{fffd}", "本机关按照条例要求加大重点领域主动公开力度", "The Report OF 2023",
    ];

    fn text_of(picks: &[usize]) -> String {
        picks.iter().map(|&i| PIECES[i % PIECES.len()]).collect()
    }

    proptest::proptest! {
        #[test]
        fn fingerprints_are_those_of_the_branching_reading(picks in proptest::collection::vec(0usize..1000, 0..400)) {
            let s = text_of(&picks);
            proptest::prop_assert_eq!(fingerprint(&s), fingerprint_branching(&s));
        }

        #[test]
        fn fingerprints_of_any_text_are_those_of_the_branching_reading(s in "\\PC{0,300}") {
            proptest::prop_assert_eq!(fingerprint(&s), fingerprint_branching(&s));
        }

        #[test]
        fn similarity_is_that_of_the_three_way_merge(
            a in proptest::collection::vec(0u32..200, 0..300),
            b in proptest::collection::vec(0u32..200, 0..300),
        ) {
            let fp = |mut v: Vec<u32>| {
                v.sort_unstable();
                v.dedup();
                Fingerprint(v)
            };
            let (a, b) = (fp(a), fp(b));
            proptest::prop_assert_eq!(similarity(&a, &b), similarity_by_cases(&a, &b));
        }
    }

    #[test]
    fn long_texts_and_lines_are_fingerprinted_as_when_branching() {
        // Past the first room for hashes: one long line, many short ones,
        // an ASCII text (a byte per character).
        let han = TEXT.replace('\n', "");
        for s in [
            han.repeat(40),
            format!("{TEXT}\n").repeat(30),
            "abcdefghij klmnop QRSTUV\n".repeat(500),
            "# only a heading".into(),
            String::new(),
        ] {
            assert_eq!(fingerprint(&s), fingerprint_branching(&s));
        }
    }

    const TEXT: &str = "## 一、总体情况\n2023年，本机关按照条例要求，加大重点领域主动公开力度，加强政策解读回应，规范推进依申请公开工作，强化指导监督，进一步做细做实政务公开工作，着力提高政务公开工作标准化规范化水平。全年主动公开政府信息四百零七条，其中政务公开平台公开一百八十九条。\n加强组织领导，形成了主要领导亲自抓，分管领导具体抓，各相关站办积极参与的良好氛围。按照谁主管谁负责的原则，将信息公开工作要点细化分解到各个站办，进一步靠实了工作责任，调动了干部职工的积极性，增强了信息公开的意识。\n着力完善信息公开机制，拓宽信息公开领域，扩大信息公开范围，突出信息公开重点，提升信息公开水平，严格履行信息审核、发布程序，及时公开各类信息。";

    const OTHER: &str = "本年度我局围绕教育民生热点，集中公开招生入学政策、学校布局调整方案和教育经费使用情况，回应家长关切，组织政策解读会三场，邀请人大代表和家长代表参加，收集意见建议并逐条答复，办理依申请公开事项均在法定期限内答复完毕。\n在平台建设方面，对门户网站栏目进行了全面梳理，合并重复栏目，清理过期链接，新增办事指南专栏，方便群众查找。政务新媒体坚持每日更新，发布校园安全提示、考试招生信息和资助政策问答，阅读量较上年明显增长。\n在监督保障方面，将政务公开纳入年度绩效考核，开展两次专项检查，对发现的问题建立台账，限期整改，整改情况在网站公布，接受社会监督。";

    #[test]
    fn a_copy_with_new_figures_is_identical() {
        let other = TEXT
            .replace("2023", "2024")
            .replace("## 一、总体情况", "## 一、总体情况（续）");
        let s = similarity(&fingerprint(TEXT), &fingerprint(&other)).unwrap();
        assert!((s - 1.0).abs() < 1e-9, "{s}");
    }

    #[test]
    fn a_different_text_is_not_similar() {
        let s = similarity(&fingerprint(TEXT), &fingerprint(OTHER)).unwrap();
        assert!(s < 0.2, "{s}");
    }

    #[test]
    fn a_half_copy_is_about_half_similar() {
        let take = |t: &str| t.chars().take(t.chars().count() / 2).collect::<String>();
        let half = format!("{}\n{}", take(TEXT), take(OTHER));
        let s = similarity(&fingerprint(TEXT), &fingerprint(&half)).unwrap();
        assert!((0.2..0.6).contains(&s), "{s}");
    }

    #[test]
    fn short_texts_are_not_compared() {
        assert_eq!(similarity(&fingerprint("无。"), &fingerprint("无。")), None);
    }
}
