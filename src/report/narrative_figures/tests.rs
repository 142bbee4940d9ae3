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
            proptest::prop_assert_eq!(pieces(&s, range, ends_clause).last(), all.last().cloned());
        }
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
