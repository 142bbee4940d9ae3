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

/// Shingle length in characters.
pub const K: usize = 5;
/// Jaccard similarity at or above which R12 warns.
pub const THRESHOLD: f64 = 0.85;
/// Below this many distinct shingles a text is too short to compare.
pub const MIN_SHINGLES: usize = 50;

/// The sorted, distinct shingle hashes of a text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fingerprint(Vec<u64>);

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
    matches!(c, '\u{4e00}'..='\u{9fff}') || c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())
}

/// Fingerprints a Markdown body: its letters (headings left out), cut into
/// overlapping shingles of [`K`] characters, hashed, sorted and deduplicated.
pub fn fingerprint(body: &str) -> Fingerprint {
    let mut hashes: Vec<u64> = Vec::with_capacity(body.len() / 3);
    let mut window = [0u64; K];
    let mut seen = 0usize;
    for line in body.lines() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        for c in line.chars().filter(|&c| counts(c)) {
            window[seen % K] = c.to_ascii_lowercase() as u64;
            seen += 1;
            if seen >= K {
                // FxHash-style mixing of the window, oldest character first:
                // a few cycles per character, and collisions among a report's
                // few thousand shingles are negligible.
                let h = (0..K).fold(0u64, |h, j| {
                    (h.rotate_left(5) ^ window[(seen + j) % K]).wrapping_mul(0x517c_c1b7_2722_0a95)
                });
                hashes.push(h);
            }
        }
    }
    hashes.sort_unstable();
    hashes.dedup();
    Fingerprint(hashes)
}

/// Jaccard similarity of two fingerprints, or `None` when either is too short.
pub fn similarity(a: &Fingerprint, b: &Fingerprint) -> Option<f64> {
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
    let union = a.len() + b.len() - common;
    Some(common as f64 / union as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "## 一、总体情况\n2023年，本机关按照条例要求，加大重点领域主动公开力度，加强政策解读回应，规范推进依申请公开工作，强化指导监督，进一步做细做实政务公开工作，着力提高政务公开工作标准化规范化水平。全年主动公开政府信息四百零七条，其中政务公开平台公开一百八十九条。";

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
        let other = "本年度我局围绕教育民生热点，集中公开招生入学政策、学校布局调整方案和教育经费使用情况，回应家长关切，组织政策解读会三场，邀请人大代表和家长代表参加，收集意见建议并逐条答复，办理依申请公开事项均在法定期限内答复完毕。";
        let s = similarity(&fingerprint(TEXT), &fingerprint(other)).unwrap();
        assert!(s < 0.2, "{s}");
    }

    #[test]
    fn short_texts_are_not_compared() {
        assert_eq!(similarity(&fingerprint("无。"), &fingerprint("无。")), None);
    }
}
