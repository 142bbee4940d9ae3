//! The source text: bytes to text (UTF-8 with or without BOM, UTF-16 with
//! BOM, else GB18030, which covers GBK), the normal form labels are compared
//! in, page footers, and each line cut into a label and its number cells.

/// Decodes a text file. `Err` when it is no text in a known encoding.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    let text = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(rest).into_owned()
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        encoding_rs::UTF_16LE
            .decode_with_bom_removal(&bytes[2..])
            .0
            .into_owned()
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        encoding_rs::UTF_16BE
            .decode_with_bom_removal(&bytes[2..])
            .0
            .into_owned()
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => {
                let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
                if had_errors {
                    return Err(t!("import.read.encoding").into_owned());
                }
                text.into_owned()
            }
        }
    };
    if text.contains('\0') {
        return Err(t!("import.read.nul").into_owned());
    }
    Ok(text.replace("\r\n", "\n").replace(['\r', '\u{c}'], "\n"))
}

/// Source text as quoted in a message: at most 60 characters, the rest
/// cut off with `…` (a hostile line may be megabytes long).
pub fn shown(s: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 60;
    match s.char_indices().nth(MAX) {
        None => s.into(),
        Some((cut, _)) => format!("{}…", &s[..cut]).into(),
    }
}

/// Whether `c` is white space as met in extracted text (ideographic space and
/// no-break space included).
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}' || c == '\u{200b}' || c == '\u{feff}'
}

/// The normal form labels are compared in: no white space, full-width forms
/// as ASCII, `、` and `．` as `.`, no quotation marks, brackets unified.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_space(c) {
            continue;
        }
        let c = match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '、' => '.',
            '〔' | '【' => '[',
            '〕' | '】' => ']',
            '—' | '–' | '−' => '-',
            '“' | '”' | '‘' | '’' | '"' | '\'' | '「' | '」' | '《' | '》' => continue,
            _ => c,
        };
        // Full-width forms mapped above may be quotes too.
        if c == '"' || c == '\'' {
            continue;
        }
        out.push(c);
    }
    out
}

/// Text as written, with white space between Chinese characters removed
/// (extraction from PDF puts spaces inside words: "三、本 年度办 理结果").
pub fn tidy(s: &str) -> String {
    let chars: Vec<char> = s.trim_matches(is_space).chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_space(c) {
            let mut j = i;
            while j < chars.len() && is_space(chars[j]) {
                j += 1;
            }
            let before = out.chars().last();
            let after = chars.get(j).copied();
            let keep =
                matches!((before, after), (Some(b), Some(a)) if b.is_ascii_alphanumeric() && a.is_ascii_alphanumeric());
            if keep {
                out.push(' ');
            }
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Maps full-width digits and signs to ASCII.
fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{ff10}'..='\u{ff19}' | '\u{ff0b}' | '\u{ff0c}' | '\u{ff0e}' => {
                char::from_u32(c as u32 - 0xfee0).unwrap_or(c)
            }
            '\u{ff0d}' | '−' => '-',
            _ => c,
        })
        .collect()
}

/// A number as printed in a cell, as the text to write (`1,234` → `1234`,
/// `０５` → `5`, `+3` → `3`, `-2`, `96171.6`). `None` when `s` is no number.
pub fn number(s: &str) -> Option<String> {
    let t = ascii(s.trim_matches(is_space));
    let (sign, digits) = match t.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", t.strip_prefix('+').unwrap_or(&t)),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let int = if int.contains(',') {
        // Thousands separators, in groups of three.
        let groups: Vec<&str> = int.split(',').collect();
        let ok = !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return None;
        }
        groups.concat()
    } else {
        int.to_string()
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(f) = frac {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let mut out = format!("{sign}{int}");
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if out == "-0" {
        out = "0".to_string();
    }
    Some(out)
}

/// A cell printed as a dash, a slash or 无: blank, but a cell all the same.
pub fn blank_mark(s: &str) -> bool {
    let t = s.trim_matches(is_space);
    !t.is_empty() && (t.chars().all(|c| "-—–－―/／\\".contains(c)) || t == "无" || t == "空")
}

/// One number cell: its text (`None` when blank) and, for rows whose
/// cells are separated by spaces, where it stands on the line (in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    pub value: Option<String>,
    pub at: usize,
}

/// A line cut into its label (the text cells) and its number cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// 1-based line number in the source.
    pub line: usize,
    /// The label cells, joined by a space.
    pub label: String,
    /// The cells after the last label cell; with tabs, blank cells included.
    pub slots: Vec<Slot>,
    /// Whether the cells were separated by tabs (positions are then exact).
    pub tabbed: bool,
}

impl Row {
    pub fn has_numbers(&self) -> bool {
        self.slots.iter().any(|s| s.value.is_some())
    }

    pub fn number_count(&self) -> usize {
        self.slots.iter().filter(|s| s.value.is_some()).count()
    }
}

/// The most cells a table line may have: 256, as many as a Word table's
/// columns may be ([`super::docx::Limits`]); a report's widest table has 17.
pub const CELL_CAP: usize = 256;

fn too_many_cells() -> String {
    t!("import.read.cell_cap", cells = CELL_CAP).into_owned()
}

/// Cuts a line into label and number cells. With tabs, the cells are the
/// tab-separated fields (a field of several space-separated numbers counts
/// as that many cells); without, the numbers are the white-space separated
/// tokens at the end of the line. `Err` when there are over [`CELL_CAP`].
pub fn row(line_no: usize, line: &str) -> Result<Row, String> {
    if line.contains('\t') {
        let mut cells: Vec<&str> = Vec::new();
        for field in line.split('\t') {
            let t = field.trim_matches(is_space);
            let tokens: Vec<&str> = t.split(is_space).filter(|x| !x.is_empty()).collect();
            if tokens.len() > 1 && tokens.iter().all(|x| number(x).is_some() || blank_mark(x)) {
                cells.extend(tokens);
            } else {
                cells.push(t);
            }
            if cells.len() > CELL_CAP {
                return Err(too_many_cells());
            }
        }
        let is_label = |c: &str| !c.is_empty() && number(c).is_none() && !blank_mark(c);
        let last_label = cells.iter().rposition(|c| is_label(c));
        let label_cells = match last_label {
            Some(i) => &cells[..=i],
            None => &cells[..0],
        };
        let label = label_cells
            .iter()
            .filter(|c| !c.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let start = last_label.map_or(0, |i| i + 1);
        let slots = cells[start..]
            .iter()
            .enumerate()
            .map(|(k, c)| Slot {
                value: number(c),
                at: k,
            })
            .collect();
        return Ok(Row {
            line: line_no,
            label,
            slots,
            tabbed: true,
        });
    }
    // Tokens with their character positions.
    let chars: Vec<char> = line.chars().collect();
    let mut tokens: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if is_space(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && !is_space(chars[i]) {
            i += 1;
        }
        tokens.push((start, i));
    }
    let text = |(a, b): (usize, usize)| chars[a..b].iter().collect::<String>();
    // The number cells from the end, each read once.
    let mut slots: Vec<Slot> = Vec::new();
    let mut first_num = tokens.len();
    while first_num > 0 {
        let (a, b) = tokens[first_num - 1];
        let t = text((a, b));
        let value = number(&t);
        if value.is_none() && !blank_mark(&t) {
            break;
        }
        // The centre of the token, in characters.
        slots.push(Slot { value, at: (a + b) / 2 });
        if slots.len() > CELL_CAP {
            return Err(too_many_cells());
        }
        first_num -= 1;
    }
    slots.reverse();
    let label = match first_num {
        0 => String::new(),
        n => chars[tokens[0].0..tokens[n - 1].1].iter().collect::<String>(),
    };
    Ok(Row {
        line: line_no,
        label,
        slots,
        tabbed: false,
    })
}

/// A page footer or header line: `- 3 -`, `—3—`, `第 3 页`, `第3页 共9页`,
/// `3 / 9`, `Page 3`.
pub fn is_footer(line: &str) -> bool {
    let n = norm(line);
    if n.is_empty() {
        return false;
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(inner) = n.strip_prefix('-').and_then(|s| s.strip_suffix('-')) {
        return digits(inner.trim_matches('-'));
    }
    if let Some(rest) = n.strip_prefix('第') {
        if let Some((num, tail)) = rest.split_once('页') {
            let tail_ok = tail.is_empty()
                || tail
                    .trim_start_matches([',', '/', '.'])
                    .strip_prefix('共')
                    .and_then(|t| t.strip_suffix('页'))
                    .is_some_and(digits);
            return digits(num) && tail_ok;
        }
    }
    if let Some((a, b)) = n.split_once('/') {
        return digits(a) && digits(b) && a.len() <= 3 && b.len() <= 3;
    }
    let lower = n.to_ascii_lowercase();
    if let Some(p) = lower.strip_prefix("page") {
        return digits(p.split("of").next().unwrap_or(""));
    }
    false
}

/// Character bigrams' Dice coefficient: 1 for equal strings, 0 for none
/// shared (bigrams counted with their repeats). Linear in the strings'
/// lengths: the bigrams of the shorter are counted in a map.
pub fn dice(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() < 2 || b.len() < 2 {
        return if a == b && !a.is_empty() { 1.0 } else { 0.0 };
    }
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    let mut counts: rustc_hash::FxHashMap<(char, char), usize> = rustc_hash::FxHashMap::default();
    for w in short.windows(2) {
        *counts.entry((w[0], w[1])).or_default() += 1;
    }
    let mut shared = 0;
    for w in long.windows(2) {
        if let Some(c) = counts.get_mut(&(w[0], w[1])).filter(|c| **c > 0) {
            *c -= 1;
            shared += 1;
        }
    }
    let total = a.len() - 1 + b.len() - 1;
    2.0 * shared as f64 / total as f64
}

/// The longest text read as a label: 200 characters (the longest official
/// label has 40; one broken over lines and joined, a few times that). A
/// longer line is text, whatever words it holds, and costs nothing to match.
pub const LABEL_CAP: usize = 200;

/// How well a label read from the source matches an official one (both in
/// normal form): 1 when equal; high when one holds the other (a label cut
/// short by a line break); else their Dice coefficient. 0 for a source over
/// [`LABEL_CAP`] characters.
pub fn label_score(src: &str, official: &str) -> f64 {
    if src == official {
        return 1.0;
    }
    if src.is_empty() || official.is_empty() || src.chars().nth(LABEL_CAP).is_some() {
        return 0.0;
    }
    let (ls, lo) = (src.chars().count(), official.chars().count());
    let (short, long) = if ls <= lo { (ls, lo) } else { (lo, ls) };
    let contained = official.contains(src) || src.contains(official);
    if contained && short >= 4 {
        return 0.6 + 0.4 * short as f64 / long as f64;
    }
    dice(src, official)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_gbk_and_utf16() {
        assert_eq!(
            decode("\u{feff}一\r\n二".as_bytes()).unwrap(),
            "\u{feff}一\n二".replace('\u{feff}', "")
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("政府信息公开");
        assert_eq!(decode(&gbk).unwrap(), "政府信息公开");
        let mut u16 = vec![0xFF, 0xFE];
        for c in "年度报告".encode_utf16() {
            u16.extend_from_slice(&c.to_le_bytes());
        }
        assert_eq!(decode(&u16).unwrap(), "年度报告");
    }

    #[test]
    fn labels_normalise() {
        assert_eq!(norm("三、本 年度办 理结果"), "三.本年度办理结果");
        assert_eq!(norm("（三） 不 予公开"), "(三)不予公开");
        assert_eq!(norm("1、属于"), norm("1. 属于"));
        assert_eq!(norm("1．属于"), "1.属于");
        assert_eq!(norm("第二十条 第（一）项"), "第二十条第(一)项");
        assert_eq!(norm("危及“三安全一稳定”"), "危及三安全一稳定");
        assert_eq!(tidy(" 三、本 年度办 理结果 "), "三、本年度办理结果");
        assert_eq!(tidy("2023 年 Page 3"), "2023年Page 3");
    }

    #[test]
    fn numbers_are_read_as_printed() {
        assert_eq!(number("０５").as_deref(), Some("5"));
        assert_eq!(number("1,234").as_deref(), Some("1234"));
        assert_eq!(number("-3").as_deref(), Some("-3"));
        assert_eq!(number("－3").as_deref(), Some("-3"));
        assert_eq!(number("96171.6").as_deref(), Some("96171.6"));
        assert_eq!(number("1."), None);
        assert_eq!(number("12,34"), None);
        assert_eq!(number("-"), None);
        assert!(blank_mark("—") && blank_mark("/") && !blank_mark("0"));
    }

    #[test]
    fn rows_split_by_tabs_and_spaces() {
        let r = row(1, "\t(三) 不 予公开\t1. 属于国家秘密\t0\t\t2").unwrap();
        assert_eq!(r.label, "(三) 不 予公开 1. 属于国家秘密");
        let v: Vec<Option<&str>> = r.slots.iter().map(|s| s.value.as_deref()).collect();
        assert_eq!(v, [Some("0"), None, Some("2")]);
        let r = row(1, "（一）予以公开   12  3 4").unwrap();
        assert_eq!(r.label, "（一）予以公开");
        assert_eq!(r.slots.len(), 3);
        assert!(!r.tabbed);
    }

    #[test]
    fn footers() {
        for f in ["- 3 -", "—3—", "第 3 页", "第3页 共9页", "3/9", "Page 3", "－ 12 －"] {
            assert!(is_footer(f), "{f}");
        }
        for f in ["2023", "三、本年度", "第二十条第（一）项", "共3条"] {
            assert!(!is_footer(f), "{f}");
        }
    }

    #[test]
    fn scores() {
        assert_eq!(label_score("予以公开", "予以公开"), 1.0);
        assert!(
            label_score(
                "申请人无正当理由逾期不补正.行政机关不再处理其政府信息公开申",
                "申请人无正当理由逾期不补正.行政机关不再处理其政府信息公开申请"
            ) > 0.95
        );
        assert!(label_score("重复申请", "信访举报投诉类申请") < 0.5);
        // A long text that holds a label is no label.
        let long = format!("{}予以公开", "说明".repeat(LABEL_CAP / 2));
        assert_eq!(label_score(&long, "予以公开"), 0.0);
        let at_cap = format!("{}予以公开", "说明".repeat(LABEL_CAP / 2 - 2));
        assert!(label_score(&at_cap, "予以公开") > 0.6);
    }
}
