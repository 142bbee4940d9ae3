//! Unit tests of R13 (kept in their own file so the module stays short).
//!
//! Every case runs on the `valid` fixture's tables, whose totals are: 一 新收
//! 7, 二 上年结转 1, （一）予以公开 4, （二）部分公开 1, （三）不予公开 1,
//! （四）无法提供 1, （五）不予处理 0, （六）其他处理 0, 四 结转下年度 1;
//! 行政复议 1, 行政诉讼 1 + 0; 规章 本年制发 1, 行政规范性文件 本年制发 2.
//! Every negative case states a figure that differs from the table, in a
//! clause a plain search for `申请\d+件` or `予以公开\d+件` would take.

use super::phrases::{number, Target};
use super::*;
use crate::report::{find_sections, valid_fixture, Format};
use crate::rules::{Rule, Severity};

/// The R13 diagnostics of the valid report with `body` as its body.
fn warnings_for(r: &mut Report, body: &str) -> Vec<Diagnostic> {
    r.body = body.to_string();
    r.sections = find_sections(&r.body, r.body_line);
    let mut out = Vec::new();
    check(r, &mut out);
    out
}

fn warnings(body: &str) -> Vec<Diagnostic> {
    warnings_for(&mut valid_fixture(), body)
}

/// The figures warned about, in order: what the text says (the number
/// after `the text says `).
fn said(d: &[Diagnostic]) -> Vec<i64> {
    d.iter()
        .map(|d| {
            let rest = d
                .message
                .split("the text says ")
                .nth(1)
                .expect("the message names the figure");
            rest.split(' ').next().and_then(|n| n.parse().ok()).expect("a number")
        })
        .collect()
}

/// A body with `text` under 一、总体情况.
fn under_1(text: &str) -> String {
    format!("## 一、总体情况\n\n{text}\n\n## 五、存在的主要问题及改进情况\n\n无。\n")
}

#[track_caller]
fn assert_warns(text: &str, figures: &[i64]) {
    let d = warnings(&under_1(text));
    assert_eq!(said(&d), figures, "{text}\n{d:#?}");
}

#[track_caller]
fn assert_silent(text: &str) {
    let d = warnings(&under_1(text));
    assert!(d.is_empty(), "{text}\n{d:#?}");
}

#[test]
fn the_figure_of_new_requests_against_table_3() {
    let body = "## 一、总体情况\n\n2023年，本局依法做好政府信息公开工作。全年共收到政府信息公开申请81件。\n";
    let d = warnings(body);
    assert_eq!(d.len(), 1, "{d:#?}");
    let w = &d[0];
    assert_eq!((w.id, w.severity), (Rule::R13, Severity::Warning));
    assert_eq!(
        w.message,
        "body: the text says 81 (“全年共收到政府信息公开申请81件”), but \
         三、收到和处理政府信息公开申请情况, 一、本年新收政府信息公开申请数量, column 总计 is 7"
    );
    // The line of the sentence, the column and width of the figure.
    let r = valid_fixture();
    assert_eq!(w.line, Some(r.body_line + 2));
    let column = "2023年，本局依法做好政府信息公开工作。全年共收到政府信息公开申请"
        .chars()
        .count()
        + 1;
    assert_eq!((w.column, w.width), (Some(column), Some(2)));
    // The table's cell, where it is in the front matter (line 16, column 总计).
    assert_eq!(w.related.len(), 1);
    assert_eq!((w.related[0].line, w.related[0].column), (Some(16), Some(36)));
    assert!(w.help.is_some());
}

#[test]
fn what_is_recognised() {
    // Received: 新收, 收到, with the body, the year and the time in front.
    assert_warns("本年新收申请9件。", &[9]);
    assert_warns("2023年，本局全年共收到政府信息公开申请9件，办理工作平稳有序。", &[9]);
    assert_warns("2023年度本局收到各类政府信息公开申请共计9件。", &[9]);
    assert_warns("测试县测试局全年收到申请9件。", &[9]);
    assert_warns("我局本年度新收到依申请公开申请9件。", &[9]);
    // Spaced out as text converted from PDF, full-width digits, a small
    // Chinese numeral, a thousands separator.
    assert_warns("2023 年，本局收到申请 9 件。", &[9]);
    assert_warns("２０２３年，本局收到申请９件。", &[9]);
    assert_warns("全年收到政府信息公开申请十二件。", &[12]);
    assert_warns("全年收到政府信息公开申请1,209件。", &[1209]);
    // The same figure, right: nothing.
    assert_silent("2023年，本局全年共收到政府信息公开申请7件。");
    // Carried over and forward.
    assert_warns("上年结转3件。", &[3]);
    assert_warns("本年新收申请7件，连同上年结转的3件，共办结10件。", &[3]);
    assert_warns("另有3件结转下年度继续办理。", &[3]);
    assert_warns("结转下年度继续办理3件。", &[3]);
    assert_warns("剩余3件结转至2024年办理。", &[3]);
    assert_warns("年底结转3件。", &[3]);
    // The results, each against its row or the sum of its block's rows.
    assert_warns(
        "本年新收申请7件，办结8件，其中予以公开5件、部分公开2件，不予公开3件，无法提供2件，不予处理1件，其他处理1件。",
        &[5, 2, 3, 2, 1, 1],
    );
    assert_warns("本年新收申请7件。从办理结果看，予以公开5件，依法不予公开3件。", &[5, 3]);
    // Table 四: disclosure is the subject.
    assert_warns("全年因政府信息公开引发行政复议3件、行政诉讼2件。", &[3, 2]);
    assert_warns(
        "本年度本局因政府信息公开工作被申请行政复议两件，被提起行政诉讼2起。",
        &[2, 2],
    );
    assert_warns("全年涉及政府信息公开的行政复议3件，均维持原答复。", &[3]);
    // Table 二: documents issued, the verb shared by a second item.
    assert_warns("本年制发规章2件、行政规范性文件5件。", &[2, 5]);
    assert_warns("全年制发行政规范性文件5件，废止1件。", &[5]);
    assert_warns("行政规范性文件本年制发5件。", &[5]);
    assert_silent("本年制发规章1件，行政规范性文件2件全部实行统一登记。");
}

#[test]
fn received_may_count_what_was_carried_over_when_it_says_so() {
    // 受理 (7 new, 8 with the one carried over): either is right.
    assert_silent("全年共受理政府信息公开申请7件。");
    assert_silent("全年共受理政府信息公开申请8件。");
    let d = warnings(&under_1("全年共受理政府信息公开申请10件。"));
    assert_eq!(said(&d), [10]);
    assert!(
        d[0].message
            .ends_with("column 总计 is 7, and 8 with 二、上年结转政府信息公开申请数量"),
        "{}",
        d[0].message
    );
    // 收到 is 一 alone, unless the sentence says it includes the carried over.
    assert_warns("全年共收到政府信息公开申请8件。", &[8]);
    assert_silent("全年共收到政府信息公开申请8件（含上年结转1件）。");
}

#[test]
fn results_need_requests_as_the_subject() {
    // Under a heading about requests, in a list after a paragraph about
    // them, or after 申请 in the same block.
    let body = "## 一、总体情况\n\n### （二）依申请公开\n\n予以公开5件。\n";
    assert_eq!(said(&warnings(body)), [5]);
    let body = "## 一、总体情况\n\n本年新收申请7件，办结7件，其中：\n\n- 予以公开5件；\n- 部分公开1件；\n";
    assert_eq!(said(&warnings(body)), [5]);
    // A paragraph about documents, not requests.
    assert_silent("### （一）主动公开\n\n对拟公开的文件逐件审核，予以公开5件。");
    assert_silent("对申请较多的事项转为主动公开。全年审核公文300件，予以公开200件，不予公开100件。");
    assert_silent("### （二）依申请公开\n\n开展公开属性认定，予以公开50件。");
}

#[test]
fn other_years_and_comparisons_are_not_compared() {
    assert_silent("2022年共收到政府信息公开申请9件。");
    assert_silent("2022年，本局收到申请9件，予以公开5件。");
    assert_silent("上年度，本局收到申请9件。予以公开5件。");
    assert_silent("上年共收到申请9件，予以公开5件。");
    assert_silent("新收申请比上年增加9件。");
    assert_silent("收到申请较上年增长9件，同比增长20%。");
    assert_silent("本年新收申请7件，较2022年的9件有所减少。");
    assert_silent("累计收到申请90件。");
    assert_silent("历年累计收到政府信息公开申请90件。");
    assert_silent("2019年以来共收到申请90件，予以公开50件。");
    assert_silent("截至11月底，收到申请9件。");
    assert_silent("上半年收到申请9件。");
    assert_silent("一季度收到申请9件。");
    assert_silent("平均每月收到申请9件。");
    assert_silent("2022年结转下年度9件。");
    assert_silent("剩余3件结转至2025年办理。");
    // 五 and 六 look back at earlier reports: not read.
    let body = "## 一、总体情况\n\n无。\n\n## 五、存在的主要问题及改进情况\n\n本年收到申请9件。\n\n## 六、其他需要报告的事项\n\n全年共收到政府信息公开申请9件。\n";
    assert!(warnings(body).is_empty());
}

#[test]
fn approximations_ranges_and_other_units_are_not_compared() {
    assert_silent("收到申请约9件。");
    assert_silent("收到申请近9件。");
    assert_silent("收到申请9余件。");
    assert_silent("收到申请90多件。");
    assert_silent("收到申请9件左右。");
    assert_silent("收到申请9件次。");
    assert_silent("收到申请9-12件。");
    assert_silent("收到申请10至12件。");
    assert_silent("收到申请9.5件。");
    assert_silent("予以公开率为58.4%。");
    assert_silent("全年通过政务新媒体发布信息1209条。");
    assert_silent("全年受理咨询90件。");
    assert_silent("本年收到申请9件（不含重复申请）。");
    assert_silent("高效办成一件事，全年收到申请的事项明显增加。");
}

#[test]
fn parts_of_the_whole_are_not_compared() {
    // Applicants, channels, sub-units, areas, topics.
    assert_silent("其中自然人申请9件。");
    assert_silent("全年收到申请7件，其中自然人申请6件，予以公开5件。");
    assert_silent("自然人申请6件。其中予以公开5件。");
    assert_silent("通过网络收到申请9件。");
    assert_silent("全市共收到政府信息公开申请900件。");
    assert_silent("我市共收到政府信息公开申请900件，予以公开500件。");
    assert_silent("各乡镇共收到申请90件。");
    assert_silent("县政府办公室收到申请9件。");
    assert_silent("本年新收申请7件，在涉及征地拆迁的申请中，予以公开5件。");
    assert_silent("本年新收申请7件。征地拆迁类申请6件，予以公开5件。");
    assert_silent("本年新收申请7件，关于征地补偿，予以公开5件。");
    // A reason within a block, and a figure placed before its verb.
    assert_silent("本年新收申请7件，不予公开1件，其中因保护第三方合法权益不予公开1件，因属于国家秘密不予公开3件。");
    assert_silent("本年新收申请7件，对其中5件予以公开。");
    // Not the documents this body issued.
    assert_silent("全市各部门制发行政规范性文件90件。");
    assert_silent("转发上级规章9件。");
    assert_silent("年内废止规章9件、行政规范性文件17件。");
    // Appeals a government decides as the review body, or with no
    // disclosure in the sentence.
    assert_silent("县政府作为复议机关，全年办理行政复议案件90件。");
    assert_silent("全年收到行政复议申请90件。");
    assert_silent("本年行政复议9件，行政诉讼5件。");
    assert_silent("行政复议和行政诉讼各9件，均涉及政府信息公开。");
    assert_silent("被纠正的政府信息公开行政复议9件。");
}

#[test]
fn markdown_that_is_not_the_text_is_not_read() {
    assert_silent("> 全年共收到政府信息公开申请9件。");
    assert_silent("```\n全年共收到政府信息公开申请9件。\n```");
    assert_silent("<!-- 全年共收到政府信息公开申请9件 -->");
    assert_silent("`全年共收到政府信息公开申请9件`");
    assert_silent("全年共收到政府信息公开申请~~9~~7件。");
    assert_silent("| 收到申请 | 9件 |\n|---|---|\n| 予以公开 | 5件 |");
    // Emphasis is text.
    assert_warns("全年共收到政府信息公开申请**9**件。", &[9]);
}

#[test]
fn blank_cells_and_other_formats_are_not_compared() {
    let mut r = valid_fixture();
    let t = r.tables.as_mut().expect("tables");
    t.appeals[0].cells[4] = None;
    let d = warnings_for(&mut r, &under_1("全年因政府信息公开引发行政复议3件、行政诉讼2件。"));
    assert_eq!(said(&d), [2], "{d:#?}");
    // No tables (freeform, or type errors): nothing to compare.
    let mut r = valid_fixture();
    r.tables = None;
    assert!(warnings_for(&mut r, &under_1("全年共收到政府信息公开申请9件。")).is_empty());
    // gov-2019 counts documents differently: 制发 is not compared.
    let mut r = valid_fixture();
    r.format = Format::Gov2019;
    assert!(warnings_for(&mut r, &under_1("本年制发规章9件。")).is_empty());
}

#[test]
fn the_values_compared_are_those_of_the_cells_named() {
    // `values` (what a figure is compared with) and `cell` (what a warning
    // names) agree for every target, with cells blank or not, in every format.
    let targets = [
        Target::New,
        Target::Received,
        Target::CarriedOver,
        Target::CarriedForward,
        Target::Review,
        Target::Litigation,
        Target::Issued(0),
        Target::Issued(1),
        Target::Issued(99),
        Target::Result("granted"),
        Target::Result("partial"),
        Target::Result("denied"),
        Target::Result("unavailable"),
        Target::Result("not_processed"),
        Target::Result("other"),
        Target::Result("none_such"),
    ];
    let mut reports = Vec::new();
    for format in [Format::Gov2021, Format::Gov2019] {
        let mut r = valid_fixture();
        r.format = format;
        reports.push(r.clone());
        // Every cell blank in turn.
        let t = r.tables.clone().expect("tables");
        for i in 0..t.requests.len() {
            let mut b = r.clone();
            b.tables.as_mut().expect("tables").requests[i].cells[6] = None;
            reports.push(b);
        }
        for i in 0..t.appeals.len() {
            let mut b = r.clone();
            b.tables.as_mut().expect("tables").appeals[i].cells[4] = None;
            reports.push(b);
        }
        for i in 0..t.proactive.len() {
            let mut b = r.clone();
            b.tables.as_mut().expect("tables").proactive[i]
                .cells
                .iter_mut()
                .for_each(|c| *c = None);
            reports.push(b);
        }
        let mut b = r.clone();
        b.tables.as_mut().expect("tables").proactive.clear();
        reports.push(b);
    }
    let mut compared = 0;
    for r in &reports {
        let t = r.tables.as_ref().expect("tables");
        let mut out = Vec::new();
        let scan = Scanner::new(r, t, &mut out);
        for target in targets {
            for inclusive in [false, true] {
                let cell = scan.cell(target, inclusive).map(|c| (c.value, c.alt));
                assert_eq!(scan.values(target, inclusive), cell, "{target:?} {inclusive}");
                compared += usize::from(cell.is_some());
            }
        }
    }
    assert!(compared > 100, "{compared}");
}

#[test]
fn figures_are_read_whole() {
    assert_eq!(number("1,209件"), Some((5, 1209)));
    assert_eq!(number("12,34件"), Some((2, 12)));
    assert_eq!(number("1,2345件"), Some((1, 1)));
    assert_eq!(number("两件"), Some(("两".len(), 2)));
    assert_eq!(number("十二件"), Some(("十二".len(), 12)));
    assert_eq!(number("二十件"), Some(("二十".len(), 20)));
    assert_eq!(number("九十九件"), Some(("九十九".len(), 99)));
    assert_eq!(number("一二件"), None);
    assert_eq!(number("一百件"), None);
    assert_eq!(number("9999999999999999件"), None);
    assert_eq!(year("2023年度"), Some(("2023年度".len(), 2023)));
    assert_eq!(year("20231年"), None);
}

#[test]
fn no_input_makes_it_fail() {
    // Odd text: marks everywhere, long runs, figures at every place.
    let mut odd = String::new();
    for i in 0..200 {
        odd.push_str(&format!(
            "收到申请{i}件，其中{i},{i}件（含结转）予以公开十十件、|“两”件。\n"
        ));
    }
    odd.push_str(&"件".repeat(5000));
    let _ = warnings(&odd);
    let _ = warnings("件");
    let _ = warnings("");
}

#[test]
fn every_warning_points_at_its_figure() {
    // Bodies of random phrasings with figures written in every way (spaced,
    // full-width, emphasised, with a separator, in Chinese), joined by
    // random marks and Markdown: every warning's line, column and width
    // cover the figure it names, in the body's own text.
    const SENTENCES: &[&str] = &[
        "全年共收到政府信息公开申请#件",
        "2023年，本局新收申请#件，上年结转#件",
        "本年新收申请#件，办结#件，其中予以公开#件、部分公开#件，不予公开#件",
        "全年因政府信息公开引发行政复议#件、行政诉讼#起",
        "本年制发规章#件、行政规范性文件#件",
        "另有#件结转下年度继续办理",
        "2022年收到申请#件",
        "自然人申请#件，予以公开#件",
    ];
    const FIGURES: &[&str] = &["9", " 9 ", "１２", "**12**", "1,209", "两", "十二", "0", "30"];
    const JOINS: &[&str] = &[
        "。",
        "，",
        "；",
        "\n",
        "\n\n",
        "\n\n- ",
        "\n\n> ",
        "。\n\n## 五、存在的主要问题及改进情况\n\n",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        // xorshift: deterministic dice, no crate needed for a test.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut r = valid_fixture();
    let mut warned = 0;
    for _ in 0..500 {
        let mut body = String::from("## 一、总体情况\n\n");
        for _ in 0..8 {
            let sentence = SENTENCES[next(SENTENCES.len())];
            for (i, piece) in sentence.split('#').enumerate() {
                if i > 0 {
                    body.push_str(FIGURES[next(FIGURES.len())]);
                }
                body.push_str(piece);
            }
            body.push_str(JOINS[next(JOINS.len())]);
        }
        let d = warnings_for(&mut r, &body);
        warned += d.len();
        for w in &d {
            let line = w.line.expect("a line") - r.body_line;
            let text = body.lines().nth(line).expect("a line of the body");
            let chars: Vec<char> = text.chars().collect();
            let at = w.column.expect("a column") - 1;
            let figure: String = chars[at..at + w.width.expect("a width")]
                .iter()
                .map(|&c| match c {
                    '０'..='９' => char::from_digit(c as u32 - '０' as u32, 10).unwrap_or(c),
                    c => c,
                })
                .collect();
            let said = w
                .message
                .split("the text says ")
                .nth(1)
                .and_then(|s| s.split(' ').next());
            assert_eq!(
                number(&figure).map(|(_, v)| v.to_string()).as_deref(),
                said,
                "{body:?}\n{w:#?}"
            );
        }
    }
    assert!(warned > 1000, "{warned}");
}

/// [`pieces`] as it was first written, collecting every piece.
fn pieces_collected(s: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    for (i, c) in s[range.clone()].char_indices() {
        let i = range.start + i;
        let thousands = c == ','
            && s[..i].ends_with(|p: char| p.is_ascii_digit())
            && s.as_bytes()
                .get(i + 1..i + 4)
                .is_some_and(|d| d.iter().all(u8::is_ascii_digit));
        if ends_clause(c) && !thousands {
            if i > start {
                out.push(start..i);
            }
            start = i + c.len_utf8();
        }
    }
    if range.end > start {
        out.push(start..range.end);
    }
    out
}

/// [`sentences`] as it was first written, asking whether every character
/// is a numeral.
fn sentences_char_by_char(s: &str) -> (Vec<Range<usize>>, Vec<bool>) {
    let (mut out, mut counts) = (Vec::new(), Vec::new());
    let (mut start, mut count, mut numeral) = (0, false, false);
    for (i, c) in s.char_indices() {
        if ends_sentence(c) {
            if i > start {
                out.push(start..i);
                counts.push(count);
            }
            start = i + c.len_utf8();
            count = false;
        }
        count |= matches!(c, '件' | '起') && numeral;
        numeral = is_numeral(c);
    }
    if s.len() > start {
        out.push(start..s.len());
        counts.push(count);
    }
    (out, counts)
}

/// The characters block texts are made of in the properties below: marks
/// that end sentences and clauses, digits and `,`, numerals, 件 and 起.
const BLOCK_CHARS: &[char] = &[
    '，', ',', '1', '2', '0', '件', '起', '。', '\n', '|', '、', '申', '请', '一', '十', '两', '〇', 'a', '!', '；',
    '（', '）', '年', '结', '转', '予', '以', '公', '开', '中', '其', '😀',
];

proptest::proptest! {
    #[test]
    fn pieces_are_those_collected(picks in proptest::collection::vec(0..BLOCK_CHARS.len(), 0..120)) {
        let s: String = picks.iter().map(|&i| BLOCK_CHARS[i]).collect();
        let (sentences, counts) = sentences(&s);
        proptest::prop_assert_eq!((sentences.clone(), counts), sentences_char_by_char(&s));
        // The whole text, each sentence, and the first and last piece.
        for range in std::iter::once(0..s.len()).chain(sentences) {
            let all = pieces_collected(&s, range.clone());
            proptest::prop_assert_eq!(pieces(&s, range.clone(), ends_clause).collect::<Vec<_>>(), all.clone());
            proptest::prop_assert_eq!(pieces(&s, range.clone(), ends_clause).next(), all.first().cloned());
            proptest::prop_assert_eq!(pieces(&s, range.clone(), ends_clause).last(), all.last().cloned());
            proptest::prop_assert_eq!(last_piece(&s, range.clone(), ends_clause), all.last().cloned());
            // The clauses with their candidates, in one pass.
            let cut = |i: usize, c: char| ends_clause(c) && !thousands(&s, i, c);
            let each: Vec<_> = all.iter().map(|c| (c.clone(), Candidates::of(&s[c.clone()]))).collect();
            proptest::prop_assert_eq!(Candidates::of_clauses(&s, range, cut), each);
        }
    }
}

/// Characters of texts whose sentences all end with `。` (read by
/// searches), with some whose bytes are near those of `。`, 件 and 起.
const FULL_STOP_CHARS: &[char] = &[
    '，', ',', '1', '0', '件', '起', '。', '〃', '、', '仵', '伍', '赶', '趁', '申', '一', '十', '两', '〇', 'a', '年',
    '😀',
];

proptest::proptest! {
    #[test]
    fn sentences_ended_by_full_stops_are_found_by_search(picks in proptest::collection::vec(0..FULL_STOP_CHARS.len(), 0..120)) {
        let s: String = picks.iter().map(|&i| FULL_STOP_CHARS[i]).collect();
        proptest::prop_assert_eq!(sentences(&s), sentences_char_by_char(&s));
        proptest::prop_assert_eq!(sentences_by_chars(&s), sentences_char_by_char(&s));
        proptest::prop_assert_eq!(holds_piece_or_case(&s), s.contains('件') || s.contains('起'));
    }
}

/// [`SentenceFacts::of`] as it was first written, a search for each word.
fn facts_searched(sent: &str, section_4: bool) -> (bool, bool, bool, bool) {
    use super::phrases::ABOUT_DOCUMENTS;
    let any_in = |words: &[&str]| words.iter().any(|w| sent.contains(w));
    let includes = [sent.find("含"), sent.find("包括")];
    let inclusive = includes
        .iter()
        .any(|at| at.is_some_and(|at| sent[at..].contains("结转")));
    let qualified = any_in(&["不含", "不包括", "除"]) || (includes.iter().any(Option::is_some) && !inclusive);
    (
        inclusive,
        qualified,
        section_4 || sent.contains("公开"),
        any_in(ABOUT_DOCUMENTS),
    )
}

/// The characters of the facts' words, and others.
const FACT_CHARS: &[char] = &[
    '含', '包', '括', '结', '转', '不', '除', '公', '开', '文', '属', '性', '审', '查', '1', '件', '，', 'a', '😀',
];

proptest::proptest! {
    #[test]
    fn facts_are_found_in_one_pass_as_by_searches(
        picks in proptest::collection::vec(0..FACT_CHARS.len(), 0..60),
        section_4 in proptest::bool::ANY,
    ) {
        let s: String = picks.iter().map(|&i| FACT_CHARS[i]).collect();
        let f = SentenceFacts::of(&s, section_4);
        proptest::prop_assert_eq!((f.inclusive, f.qualified, f.disclosure, f.documents), facts_searched(&s, section_4));
    }
}

#[test]
fn facts_are_found_once_as_before() {
    // `含` or `包括` first, then `结转` after one of them: inclusive; either
    // without it: qualified.
    let facts = |s: &str| {
        let f = SentenceFacts::of(s, false);
        (f.inclusive, f.qualified, f.disclosure, f.documents)
    };
    assert_eq!(facts("收到申请8件（含上年结转1件）"), (true, false, false, false));
    assert_eq!(facts("结转1件，收到申请8件（包括结转）"), (true, false, false, false));
    assert_eq!(facts("结转1件，收到申请8件（含重复）"), (false, true, false, false));
    assert_eq!(facts("收到申请8件（不含重复申请）"), (false, true, false, false));
    assert_eq!(facts("除此之外公开2件"), (false, true, true, false));
    assert_eq!(facts("审查公文2件"), (false, false, false, true));
    assert_eq!(facts("收到申请8件"), (false, false, false, false));
}

/// Lines of bodies for the comparison of the two ways of reading one: the
/// first of them plain, then what the line scan leaves to the parser.
const LINES: &[&str] = &[
    "",
    "   ",
    "## 一、总体情况",
    "## 三、收到和处理政府信息公开申请情况",
    "### （二）依申请公开",
    "#",
    "## 二、申请 ##",
    "本年新收申请7件，办结8件，其中予以公开5件、部分公开2件。",
    "2023年，本局全年共收到政府信息公开申请81件，上年结转1件。",
    "81",
    "79件，另有3件结转下年度继续办理。",
    "予以公开 5 件，不予公开 3 件",
    "全年共收到政府信息公开申请８１件。",
    "其中：",
    "Text 2件",
    "12件",
    "全年因政府信息公开引发行政复议3件、行政诉讼2件。",
    "　全角空格开头收到申请9件",
    "结尾空格收到申请9件 ",
    "结尾两空格收到申请9件  ",
    "收到申请9件\u{a0}",
    "1. 列表收到申请9件",
    "2) 列表收到申请9件",
    "2023.5",
    "- 予以公开3件",
    "* 予以公开3件",
    "+ 予以公开3件",
    "> 引用收到申请9件",
    "**强调**收到申请9件",
    "收到申请`9`件",
    "收到申请\t9件",
    "收到申请9件\r",
    "===",
    "---",
    "| a | b |",
    "[链接](x)收到申请9件",
    "<b>9</b>件",
    "收到申请9件\\",
    "    缩进收到申请9件",
    "   三空格收到申请9件",
    "#######",
    "#标题",
    "~~删~~收到申请9件",
    "收到申请9件&amp;",
    "```",
];

/// How many of [`LINES`] are plain (the first ones).
const PLAIN_LINES: usize = 17;

proptest::proptest! {
    #[test]
    fn a_plain_body_is_read_as_the_parser_reads_it(
        picks in proptest::collection::vec(0usize..1000, 0..24),
        plain_only in proptest::bool::ANY,
        newline_at_end in proptest::bool::ANY,
    ) {
        let lines = if plain_only { PLAIN_LINES } else { LINES.len() };
        let mut body = picks.iter().map(|&i| LINES[i % lines]).collect::<Vec<_>>().join("\n");
        if newline_at_end {
            body.push('\n');
        }
        let mut r = valid_fixture();
        r.body = body;
        r.sections = find_sections(&r.body, r.body_line);
        let t = r.tables.as_ref().expect("the valid fixture has tables");
        let (mut plain, mut parsed) = (Vec::new(), Vec::new());
        let (read, flushed) = {
            let mut by_lines = Scanner::new(&r, t, &mut plain);
            (by_lines.plain_body(&r.body), std::mem::take(&mut by_lines.flushed))
        };
        proptest::prop_assert!(read || !plain_only, "{:?}", r.body);
        if read {
            let by_parser = {
                let mut by_parser = Scanner::new(&r, t, &mut parsed);
                by_parser.parsed_body(&r.body);
                std::mem::take(&mut by_parser.flushed)
            };
            proptest::prop_assert_eq!(&flushed, &by_parser, "{:?}", r.body);
            proptest::prop_assert_eq!(format!("{plain:?}"), format!("{parsed:?}"));
        }
    }
}

#[test]
fn the_lines_the_scan_leaves_to_the_parser() {
    for (i, line) in LINES.iter().enumerate() {
        let body = format!("## 一、总体情况\n\n{line}\n");
        assert_eq!(sections::plain_lines(&body, |_, _| {}), i < PLAIN_LINES, "{line:?}");
    }
    // And a plain report body: the generated reports' kind.
    let body = "## 一、总体情况\n\n### （一）主动公开\n\n全年收到申请9件。\n第二行。\n\n## 五、问题\n\n无。\n";
    let mut lines = Vec::new();
    assert!(sections::plain_lines(body, |start, line| lines.push((start, line))));
    use crate::report::sections::PlainLine::{Blank, Heading, Text};
    assert_eq!(
        lines,
        [
            (0, Heading("一、总体情况")),
            (22, Blank),
            (23, Heading("（一）主动公开")),
            (49, Blank),
            (50, Text("全年收到申请9件。")),
            (76, Text("第二行。")),
            (89, Blank),
            (90, Heading("五、问题")),
            (106, Blank),
            (107, Text("无。")),
            (114, Blank)
        ]
    );
    for (start, line) in lines {
        if let Text(text) = line {
            assert_eq!(&body[start..start + text.len()], text);
        }
    }
}

/// Whether [`Block::push`] changes a character of `s` (drops it or makes
/// it ASCII).
fn changes_some(s: &str) -> bool {
    s.chars().any(|c| c.is_whitespace() || matches!(c, '０'..='９'))
}

#[test]
fn a_text_with_a_character_push_changes_is_never_copied_at_once() {
    // Every white space and full-width digit, alone and among others.
    let changed = (0..=0x10FFFF)
        .filter_map(char::from_u32)
        .filter(|&c| changes_some(&c.to_string()));
    for c in changed {
        for s in [
            c.to_string(),
            format!("{c}。"),
            format!("。{c}"),
            format!("申请{c}9件"),
            format!("a{c}"),
        ] {
            assert!(!changes_none(s.as_bytes()), "{s:?}");
        }
    }
    assert!(changes_none(
        "全年共收到政府信息公开申请81件，（含）：；？《》。、".as_bytes()
    ));
    assert!(changes_none(b""));
}

/// Characters near those [`Block::push`] changes, by their bytes.
const NEAR_CHANGED: &[char] = &[
    ' ',
    '\t',
    '\u{85}',
    '\u{a0}',
    '\u{1680}',
    '\u{2000}',
    '\u{2028}',
    '\u{205f}',
    '\u{3000}',
    '\u{3001}',
    '。',
    '０',
    '９',
    '：',
    '；',
    '？',
    '，',
    '（',
    '“',
    '…',
    'a',
    '1',
    '件',
    '\u{ff0f}',
    '\u{ff1a}',
    '\u{30000}',
];

proptest::proptest! {
    #[test]
    fn a_text_copied_at_once_has_nothing_push_changes(picks in proptest::collection::vec(0..NEAR_CHANGED.len(), 0..40)) {
        let s: String = picks.iter().map(|&i| NEAR_CHANGED[i]).collect();
        proptest::prop_assert!(!(changes_none(s.as_bytes()) && changes_some(&s)), "{:?}", s);
        // And it is pushed as the character by character loop pushes it.
        let mut at_once = Block::default();
        at_once.push(&s, &s, 0..s.len());
        let mut by_chars = Block::default();
        let inexact = s.clone();
        by_chars.push(&inexact, &s, 0..s.len());
        proptest::prop_assert_eq!(&at_once.text, &by_chars.text);
    }
}
