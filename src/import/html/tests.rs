//! Unit tests of the web page reader: lines, white space, what is left out,
//! tables as grids (spans, blanks, nested tags, hostile spans, layout
//! tables), titles, encodings and limits.

use super::*;

fn with(body: &str, limits: &Limits) -> Result<String, String> {
    page_text(
        &format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head><body>{body}</body></html>"
        ),
        limits,
    )
}

fn page(body: &str) -> String {
    with(body, &Limits::DEFAULT).unwrap()
}

#[test]
fn blocks_are_lines() {
    assert_eq!(
        page("<p>一、总体情况</p><div>正文<br>第二行</div><ul><li>甲</li><li>乙</li></ul>"),
        "一、总体情况\n正文\n第二行\n甲\n乙\n"
    );
}

#[test]
fn white_space_as_a_browser_shows_it() {
    // &nbsp; and U+3000 are spaces; runs become one; the indent goes.
    assert_eq!(page("<p>&nbsp;&nbsp;　　一、总体情况</p>"), "一、总体情况\n");
    assert_eq!(
        page("<p>发布时间：2024-03-08&nbsp;15:34&nbsp;&nbsp;&nbsp;来源：本局</p>"),
        "发布时间：2024-03-08 15:34 来源：本局\n"
    );
    // A source line break between Chinese characters is no space (Word's
    // HTML wraps its lines); between Latin letters or digits it is one.
    assert_eq!(page("<p>政府信息\n   公开 2023\nyear</p>"), "政府信息公开 2023 year\n");
    // A tab in the text is white space, never a cell separator.
    assert_eq!(page("<p>甲\t乙</p>"), "甲 乙\n");
    // Inline elements do not break the line.
    assert_eq!(page("<p><span>共</span><b>186</b><span>条</span></p>"), "共186条\n");
}

#[test]
fn what_a_reader_does_not_see_is_left_out() {
    let text = page(concat!(
        "<script>document.write('一、本年新收 9')</script><style>p{}</style><noscript>请启用脚本</noscript>",
        "<template><p>模板</p></template><p hidden>隐藏1</p><div style=\"DISPLAY: none\">隐藏2</div>",
        "<div style=\"color:red; visibility : hidden\">隐藏3</div><span aria-hidden=\"true\">›</span>",
        "<nav>导航</nav><aside>侧栏</aside><div role=\"navigation\">导航2</div><form><p>表单里的正文</p>",
        "<input value=\"输入\"><select><option>选项</option></select><button>搜索</button></form>",
        "<img alt=\"图片说明\"><p>正文</p><footer>页脚 2024年1月1日</footer>",
        "<div class=\"footer\">主办单位：某局</div><div id=\"copyright\">版权所有</div>",
        "<article><p>文章</p><footer>文章的落款</footer></article>"
    ));
    // A form is kept (ASP.NET pages wrap the whole page in one); its
    // controls are not. A footer inside an article is the article's.
    assert_eq!(text, "表单里的正文\n正文\n文章\n文章的落款\n");
}

#[test]
fn lines_made_only_of_links_are_menus() {
    let text = page(concat!(
        "<div><a href=\"/\">首页</a> <a href=\"/a\">政务公开</a></div>",
        "<ul><li><a href=\"/1\">机构概况</a></li><li><a href=\"/2\">政策文件</a></li></ul>",
        "<p><a href=\"#\">【打印本页】</a><a href=\"#\">【关闭】</a></p>",
        "<p>上一篇：<a href=\"/p\">某局2022年政府信息公开工作年度报告</a></p>",
        "<h2><a href=\"/t\">某局2023年政府信息公开工作年度报告</a></h2>",
        "<p>来源：<a href=\"/s\">某局</a></p><p>附件：<a href=\"/f.pdf\">报告.pdf</a></p>",
    ));
    assert_eq!(text, "某局2023年政府信息公开工作年度报告\n来源：某局\n附件：报告.pdf\n");
}

#[test]
fn a_term_and_its_definition_are_one_line() {
    assert_eq!(
        page(
            "<dl><div><dt>统计年度</dt><dd>2023年</dd></div><div><dt>发布日期</dt> <dd><time>2024-01-15</time></dd></div><dt>来源：</dt><dd>本局</dd></dl>"
        ),
        "统计年度：2023年\n发布日期：2024-01-15\n来源：本局\n"
    );
}

/// The tab-separated lines of the first table in `body`.
fn grid(body: &str) -> String {
    page(body)
        .lines()
        .filter(|l| l.contains('\t'))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn spans_are_expanded_with_empty_fields() {
    // Table 二: a block title across the four columns, a number across three.
    let t = grid(concat!(
        "<table><tr><td colspan=4>第二十条第（五）项</td></tr>",
        "<tr><td>信息内容</td><td colspan=3>本年处理决定数量</td></tr>",
        "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>",
        "<tr><td>行政许可</td><td colspan=\"3\">12</td></tr></table>"
    ));
    assert_eq!(
        t,
        "第二十条第（五）项\t\t\t\n信息内容\t本年处理决定数量\t\t\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n行政许可\t12\t\t"
    );
    // Table 三: group labels spanning rows keep their columns empty below.
    let t = grid(concat!(
        "<table><tbody><tr><td rowspan=3>三、本年度办理结果</td><td colspan=2>（一）予以公开</td><td>1</td><td>2</td></tr>",
        "<tr><td rowspan=\"2\">（三）不予公开</td><td>1.属于国家秘密</td><td>0</td><td>&nbsp;</td></tr>",
        "<tr><td>2.其他法律行政法规禁止公开</td><td> </td><td>5</td></tr>",
        "<tr><td colspan=\"3\">四、结转下年度继续办理</td><td>3</td><td>4</td></tr></tbody></table>"
    ));
    assert_eq!(
        t,
        "三、本年度办理结果\t（一）予以公开\t\t1\t2\n\t（三）不予公开\t1.属于国家秘密\t0\t\n\t\t2.其他法律行政法规禁止公开\t\t5\n四、结转下年度继续办理\t\t\t3\t4"
    );
    // Table 四's two header rows: cells spanning both rows leave their
    // columns empty in the second.
    let t = grid(concat!(
        "<table><tr><td colspan=2>行政复议</td><td colspan=2>行政诉讼</td></tr>",
        "<tr><td rowspan=2>结果维持</td><td rowspan=2>总计</td><td colspan=2>未经复议直接起诉</td></tr>",
        "<tr><td>结果维持</td><td>总计</td></tr><tr><td>1</td><td>1</td><td></td><td>0</td></tr></table>"
    ));
    assert_eq!(
        t,
        "行政复议\t\t行政诉讼\t\n结果维持\t总计\t未经复议直接起诉\t\n\t\t结果维持\t总计\n1\t1\t\t0"
    );
    // A rowspan ends with its row group (thead), and a tfoot comes last.
    let t = grid(concat!(
        "<table><tfoot><tr><td>脚</td><td>9</td></tr></tfoot><thead><tr><td rowspan=5>头</td><td>列</td></tr></thead>",
        "<tbody><tr><td>行</td><td>1</td></tr></tbody></table>"
    ));
    assert_eq!(t, "头\t列\n行\t1\n脚\t9");
}

#[test]
fn columns_made_only_by_spans_are_left_out() {
    // A block title spanning 6 columns of a 4-column table; a 3-column
    // header over 2 cells: no cell begins in the extra columns.
    let t = grid(
        "<table><tr><td colspan=6>第二十条第（八）项</td></tr><tr><td>行政事业性收费</td><td colspan=3>0.5</td></tr><tr><td>甲</td><td>1</td><td>2</td><td>3</td></tr></table>",
    );
    assert_eq!(t, "第二十条第（八）项\t\t\t\n行政事业性收费\t0.5\t\t\n甲\t1\t2\t3");
}

#[test]
fn a_cell_is_one_field_whatever_its_markup() {
    let t = grid(concat!(
        "<table><tr><td><p><span style=\"font-family:宋体\">（二）部分公开</span></p>",
        "<p><span>（区分处理的，只计这一情形，</span><span>不计其他情形）</span></p></td>",
        "<td><p align=center><span>&nbsp;</span></p></td><td>\n  \t</td><td></td>",
        "<td><p><b>1</b><b>2</b></p></td><td><p>1</p><p>2</p></td><td>3.<br>其他</td>",
        "<td>结果<br>\n维持</td><td>A<br>B</td><td>1\t2</td></tr></table>"
    ));
    // Pieces of Chinese join with nothing; ASCII letters or digits from two
    // paragraphs with a space (the reader then sees two numbers).
    assert_eq!(
        t,
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t\t\t12\t1 2\t3.其他\t结果维持\tA B\t1 2"
    );
}

#[test]
fn hidden_rows_and_cells_are_not_in_the_grid() {
    let t = grid(
        "<table><tr style=\"display:none\"><td>假</td><td>9</td></tr><tr><td>真</td><td hidden>9</td><td>1</td></tr></table>",
    );
    assert_eq!(t, "真\t1");
}

#[test]
fn hostile_spans_are_bounded() {
    let start = std::time::Instant::now();
    // Spans past any limit are clamped (as browsers clamp them) and the
    // columns they alone make are left out.
    let t =
        grid("<table><tr><td colspan=1000000000>甲</td></tr><tr><td>1</td><td rowspan=4294967297>2</td></tr></table>");
    assert_eq!(t, "甲\t\n1\t2");
    assert_eq!(
        grid(
            "<table><tr><td colspan=-3>甲</td><td colspan=x>乙</td><td rowspan=0>丙</td></tr><tr><td>1</td><td>2</td></tr></table>"
        ),
        "甲\t乙\t丙\n1\t2\t"
    );
    // A cell after one spanning past the column limit begins past it.
    let e = with(
        "<table><tr><td colspan=99999999999999999999>甲</td><td>乙</td></tr></table>",
        &Limits::DEFAULT,
    );
    assert_eq!(e.unwrap_err(), "a table row has more than 256 columns, the limit");
    // Rows of wide spans: each row costs its width, not its spans.
    let rows = "<tr><td colspan=1000>x</td></tr>".repeat(5000);
    assert!(with(&format!("<table>{rows}</table>"), &Limits::DEFAULT).is_ok());
    // A cell spanning every row and column leaves the next row no column.
    let rows = "<tr><td colspan=1000 rowspan=65534>x</td></tr>".repeat(2000);
    assert!(with(&format!("<table>{rows}</table>"), &Limits::DEFAULT)
        .unwrap_err()
        .contains("256 columns"));
    assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    // More cells than the column limit, more rows than the row limit.
    let wide = format!("<table><tr>{}</tr></table>", "<td>1</td>".repeat(300));
    assert_eq!(
        with(&wide, &Limits::DEFAULT).unwrap_err(),
        "a table row has more than 256 columns, the limit"
    );
    let tall = format!("<table>{}</table>", "<tr><td>1</td><td>2</td></tr>".repeat(6));
    let small = Limits {
        rows: 5,
        ..Limits::DEFAULT
    };
    assert_eq!(
        with(&tall, &small).unwrap_err(),
        "a table has more than 5 rows, the limit"
    );
    // A cell under a rowspan past the column limit.
    let covered = format!(
        "<table><tr>{}</tr><tr><td>x</td></tr></table>",
        "<td rowspan=2>1</td>".repeat(256)
    );
    assert!(with(&covered, &Limits::DEFAULT).unwrap_err().contains("256 columns"));
}

#[test]
fn layout_tables_are_read_as_blocks() {
    // A page wrapped in tables: the menu column and the content column; the
    // report's table inside keeps its grid.
    let text = page(concat!(
        "<table width=1000><tr><td colspan=2><img src=banner.jpg></td></tr>",
        "<tr><td width=200><table><tr><td><a href=1>机构概况</a></td></tr><tr><td><a href=2>年度报告</a></td></tr></table></td>",
        "<td><h1>某局2023年政府信息公开工作年度报告</h1><p>一、总体情况</p>",
        "<table><tr><td>行政处罚</td><td>3</td></tr><tr><td>行政强制</td><td>&nbsp;</td></tr></table>",
        "<p>二、主动公开政府信息情况</p></td></tr></table>",
        "<table><tr><td><p>一个单元格的表格</p><p>是版式</p></td></tr></table>",
        "<table role=presentation><tr><td>甲</td><td>乙</td></tr></table>",
    ));
    assert_eq!(
        text,
        "某局2023年政府信息公开工作年度报告\n一、总体情况\n行政处罚\t3\n行政强制\t\n\n二、主动公开政府信息情况\n一个单元格的表格\n是版式\n甲\n乙\n"
    );
    // A cell of long text is layout.
    let long = "很长的正文。".repeat(100);
    assert_eq!(
        page(&format!("<table><tr><td>{long}</td><td>1</td></tr></table>")),
        format!("{long}\n1\n")
    );
}

#[test]
fn nested_layout_tables_and_deep_nesting_cost_linear_time() {
    let start = std::time::Instant::now();
    let depth = 3000;
    let nested = format!(
        "{}<p>正文</p>{}",
        "<table><tr><td><p>一段文字</p>".repeat(depth),
        "</td></tr></table>".repeat(depth)
    );
    let text = page(&nested);
    assert_eq!(text.lines().filter(|l| *l == "一段文字").count(), depth);
    let divs = format!("{}深处{}", "<div><span>".repeat(2_000), "</span></div>".repeat(2_000));
    assert_eq!(page(&divs), "深处\n");
    // Deeper than a page nests: refused before parsing (see guard.rs).
    let deeper = format!("{}深处", "<div><span>".repeat(20_000));
    assert!(with(&deeper, &Limits::DEFAULT).unwrap_err().contains("deep"));
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
}

#[test]
fn captions_and_key_value_tables() {
    // A caption repeating the heading before it is left out; another is a line.
    assert_eq!(
        page(
            "<h2>二、主动公开政府信息情况</h2><table><caption>二、主动公开政府信息情况</caption><tr><td>行政许可</td><td>1</td></tr></table>"
        ),
        "二、主动公开政府信息情况\n行政许可\t1\n\n"
    );
    assert_eq!(
        page("<table><caption>表一</caption><tr><td>行政许可</td><td>1</td></tr></table>"),
        "表一\n行政许可\t1\n\n"
    );
    // The 信息索引 of a disclosure page: one key：value a line.
    assert_eq!(
        page(concat!(
            "<table><tr><td>索&nbsp;引&nbsp;号：</td><td>000014349/2024-00012</td><td>主题分类：</td><td>政务公开</td></tr>",
            "<tr><td><b>发布机构：</b>某局</td><td><b>生成日期：</b>2024-01-05</td></tr></table>"
        )),
        "索引号：000014349/2024-00012\n主题分类：政务公开\n发布机构：某局\n生成日期：2024-01-05\n\n"
    );
}

#[test]
fn the_title_and_what_comes_before_it() {
    let title = "某县某局2023年政府信息公开工作年度报告";
    let doc = |head_title: &str, body: &str| {
        page_text(
            &format!("<html><head><title>{head_title}</title></head><body>{body}</body></html>"),
            &Limits::DEFAULT,
        )
        .unwrap()
    };
    // A visible title: the <title> is not repeated; page furniture before
    // the title goes, but for key：value lines and a name just before it.
    let text = doc(
        &format!("{title}_某县人民政府"),
        &format!(
            "<div>欢迎访问某县人民政府网站</div><div>今天是2024年3月8日 星期五</div><div>当前位置：首页 > 年报</div>\
             <div>发布机构：某县某局</div><p>某县某局</p><h1>{title}</h1><p>发布时间：2024-01-05</p><p>正文。</p>"
        ),
    );
    assert_eq!(
        text,
        format!("发布机构：某县某局\n某县某局\n{title}\n发布时间：2024-01-05\n正文。\n")
    );
    // No visible title (a picture): the <title>'s, without the site's name,
    // is the first line, and nothing is left out.
    for sep in ["_", " - ", "|", "--"] {
        let text = doc(
            &format!("{title}{sep}某县人民政府"),
            &format!("<img alt=\"{title}\"><p>发布时间：2024-01-05</p><p>正文。</p>"),
        );
        assert_eq!(text, format!("{title}\n发布时间：2024-01-05\n正文。\n"), "{sep}");
    }
    // A <title> that is no report's title is not written.
    assert_eq!(doc("某县人民政府", "<p>正文。</p>"), "正文。\n");
}

#[test]
fn pages_are_recognised_by_name_or_first_bytes() {
    for head in [
        "<!DOCTYPE html><html>",
        "  <!doctype HTML>",
        "\u{feff}<html lang=zh>",
        "<!-- saved from url=(0045)http://example.gov.cn/ -->\r\n<HTML>",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0\">",
        "<head><meta charset=gbk>",
    ] {
        assert!(sniff(head.as_bytes()), "{head}");
    }
    for text in [
        "某局2023年政府信息公开工作年度报告\n<html>",
        "<htmlx>",
        "<!-- unclosed",
        "",
        "<p>段落</p>",
    ] {
        assert!(!sniff(text.as_bytes()), "{text}");
    }
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("<html><body>".encode_utf16().flat_map(u16::to_le_bytes));
    assert!(sniff(&utf16));
    assert!(is_html(Path::new("a.HTM"), b"plain"));
    assert!(is_html(Path::new("a.txt"), b"<html>"));
    assert!(is_html(Path::new("a"), b"<!DOCTYPE html>"));
    assert!(!is_html(Path::new("a.pdf"), b"<html>"));
    assert!(!is_html(Path::new("a.txt"), "报告".as_bytes()));
}

#[test]
fn the_declared_charset_decodes_the_page() {
    let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>政府信息公开“年报”</p></body></html>";
    let (gbk, _, _) = encoding_rs::GBK.encode(html);
    assert!(std::str::from_utf8(&gbk).is_err());
    assert_eq!(text(&gbk).unwrap(), "政府信息公开“年报”\n");
    // Big5, declared.
    let big5 = "<meta charset='big5'><p>政府資訊公開</p>";
    let (bytes, _, _) = encoding_rs::BIG5.encode(big5);
    assert_eq!(text(&bytes).unwrap(), "政府資訊公開\n");
    // Undeclared: GB18030.
    let (bytes, _, _) = encoding_rs::GB18030.encode("<p>年度报告</p>");
    assert_eq!(text(&bytes).unwrap(), "年度报告\n");
    // UTF-8 wins over a declaration that is wrong (a page re-saved as UTF-8).
    assert_eq!(
        text("<meta charset=gbk><p>年度报告</p>".as_bytes()).unwrap(),
        "年度报告\n"
    );
    // UTF-16 with its byte order mark.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("<p>年度报告</p>".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(text(&utf16).unwrap(), "年度报告\n");
    // A stray byte reads as U+FFFD; bytes that are no text are refused.
    let mut stray = gbk.to_vec();
    stray.insert(stray.len() - 20, 0xFF);
    assert!(text(&stray).is_ok());
    let noise = vec![0xFFu8; 4000];
    let e = text(&[b"<meta charset=gbk>".as_slice(), &noise].concat()).unwrap_err();
    assert!(e.contains("GBK"), "{e}");
}

#[test]
fn limits_on_the_page_and_its_text() {
    let small = Limits {
        html: 1000,
        ..Limits::DEFAULT
    };
    let big = format!("<p>{}</p>", "字".repeat(1000));
    assert_eq!(
        text_with(big.as_bytes(), &small).unwrap_err(),
        "the page is over 0 MiB of HTML, the limit for a web page of a report"
    );
    let little = Limits {
        text: 1 << 20,
        ..Limits::DEFAULT
    };
    let e = with(&"<p>一二三四五六七八九十</p>".repeat(40_000), &little).unwrap_err();
    assert_eq!(e, "the page gives more than 1 MiB of text, the limit for a report");
    let e = with(&format!("<p>{}</p>", "字".repeat(400_000)), &little).unwrap_err();
    assert!(e.contains("more than 1 MiB of text"), "{e}");
    // Spans written out as empty fields count too.
    let header = format!("<tr>{}</tr>", "<td>h</td>".repeat(200));
    let rows = "<tr><td colspan=200>1</td></tr>".repeat(9000);
    let e = with(&format!("<table>{header}{rows}</table>"), &little).unwrap_err();
    assert!(e.contains("more than 1 MiB of text"), "{e}");
}

#[test]
fn span_values() {
    assert_eq!(table::span(None, 1000), 1);
    assert_eq!(table::span(Some(" 3"), 1000), 3);
    assert_eq!(table::span(Some("+2"), 1000), 2);
    assert_eq!(table::span(Some("2.5"), 1000), 2);
    assert_eq!(table::span(Some("-1"), 1000), 1);
    assert_eq!(table::span(Some("abc"), 1000), 1);
    assert_eq!(table::span(Some("0"), 1000), 0);
    assert_eq!(table::span(Some("5000"), 1000), 1000);
    assert_eq!(table::span(Some("99999999999999999999999"), 1000), 1000);
}
