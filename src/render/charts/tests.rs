//! The charts' geometry, text and accessibility, checked on the SVG.

use super::*;

#[test]
fn num_matches_float_formatting() {
    let reference = |x: f64| {
        let s = format!("{:.1}", round1(x) + 0.0);
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    };
    let mut x = -1234.5678f64;
    while x < 1234.5 {
        assert_eq!(num(x), reference(x), "{x}");
        x += 0.0371;
    }
    for x in [0.0, -0.0, -0.04, -0.05, 0.05, 0.95, 9.95, 1e16, -1e16, 123456789.25] {
        assert_eq!(num(x), reference(x), "{x}");
    }
}

/// One event of a strictly parsed XML fragment.
#[derive(Debug)]
enum Node {
    Open(String, Vec<(String, String)>),
    Close(String),
    Text(String),
}

/// Parses `s` as well-formed XML (a fragment: elements, text, comments),
/// checking quoting, entities, duplicate attributes and tag balance.
fn parse_xml(s: &str) -> Result<Vec<Node>, String> {
    let mut nodes = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").ok_or("unclosed comment")?;
            rest = &after[end + 3..];
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').ok_or("unclosed end tag")?;
            let name = after[..end].trim_end();
            check_name(name)?;
            let open = stack.pop().ok_or(format!("</{name}> closes nothing"))?;
            if open != name {
                return Err(format!("</{name}> closes <{open}>"));
            }
            nodes.push(Node::Close(name.to_string()));
            rest = &after[end + 1..];
        } else if let Some(after) = rest.strip_prefix('<') {
            let (name, attrs, empty, tail) = parse_tag(after)?;
            nodes.push(Node::Open(name.clone(), attrs));
            if empty {
                nodes.push(Node::Close(name));
            } else {
                stack.push(name);
            }
            rest = tail;
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            check_entities(text)?;
            if text.contains('>') {
                return Err(format!("bare > in text {text:?}"));
            }
            nodes.push(Node::Text(unescape(text)));
            rest = &rest[end..];
        }
    }
    match stack.pop() {
        Some(open) => Err(format!("<{open}> never closed")),
        None => Ok(nodes),
    }
}

/// The tag after its `<`: name, attributes, self-closing, and the rest.
#[allow(clippy::type_complexity)]
fn parse_tag(s: &str) -> Result<(String, Vec<(String, String)>, bool, &str), String> {
    let name_end = s
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .ok_or("unclosed tag")?;
    let name = &s[..name_end];
    check_name(name)?;
    let mut rest = &s[name_end..];
    let mut attrs: Vec<(String, String)> = Vec::new();
    loop {
        let trimmed = rest.trim_start();
        if let Some(tail) = trimmed.strip_prefix("/>") {
            return Ok((name.to_string(), attrs, true, tail));
        }
        if let Some(tail) = trimmed.strip_prefix('>') {
            return Ok((name.to_string(), attrs, false, tail));
        }
        if trimmed.len() == rest.len() {
            return Err(format!("<{name}>: no space before an attribute"));
        }
        let eq = trimmed.find('=').ok_or(format!("<{name}>: attribute without value"))?;
        let key = &trimmed[..eq];
        check_name(key)?;
        let after = &trimmed[eq + 1..];
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
        let quote = quote.ok_or(format!("<{name}>: unquoted {key}"))?;
        let close = after[1..].find(quote).ok_or(format!("<{name}>: unclosed {key}"))?;
        let value = &after[1..1 + close];
        if value.contains('<') {
            return Err(format!("<{name}>: < in {key}"));
        }
        check_entities(value)?;
        if attrs.iter().any(|(k, _)| k == key) {
            return Err(format!("<{name}>: {key} twice"));
        }
        attrs.push((key.to_string(), unescape(value)));
        rest = &after[2 + close..];
    }
}

fn check_name(name: &str) -> Result<(), String> {
    let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_:.".contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!("bad name {name:?}"))
    }
}

fn check_entities(s: &str) -> Result<(), String> {
    for (i, _) in s.match_indices('&') {
        let tail = &s[i + 1..];
        let end = tail.find(';').ok_or(format!("bare & in {s:?}"))?;
        let entity = &tail[..end];
        let numeric = entity
            .strip_prefix('#')
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if !numeric && !["amp", "lt", "gt", "quot", "apos"].contains(&entity) {
            return Err(format!("unknown entity &{entity}; in {s:?}"));
        }
    }
    Ok(())
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// A drawn bar: its class, geometry and value.
#[derive(Debug)]
struct Bar {
    class: String,
    y: f64,
    width: f64,
    height: f64,
    value: i64,
}

fn bars(html: &str) -> Vec<Bar> {
    let attr = |attrs: &[(String, String)], k: &str| attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
    parse_xml(html)
        .unwrap()
        .into_iter()
        .filter_map(|n| match n {
            Node::Open(name, attrs) if name == "rect" && attr(&attrs, "data-value").is_some() => {
                let f = |k: &str| attr(&attrs, k).unwrap().parse::<f64>().unwrap();
                Some(Bar {
                    class: attr(&attrs, "class").unwrap(),
                    y: f("y"),
                    width: f("width"),
                    height: f("height"),
                    value: attr(&attrs, "data-value").unwrap().parse().unwrap(),
                })
            }
            _ => None,
        })
        .collect()
}

/// The texts of the data table's number cells, in order.
fn table_numbers(html: &str) -> Vec<String> {
    let table = &html[html.find("<table").unwrap()..];
    let nodes = parse_xml(&table[..table.find("</table>").unwrap() + 8]).unwrap();
    let mut out = Vec::new();
    let mut in_td = false;
    for n in nodes {
        match n {
            Node::Open(name, _) if name == "td" => {
                in_td = true;
                out.push(String::new());
            }
            Node::Close(name) if name == "td" => in_td = false,
            Node::Text(t) if in_td => out.last_mut().unwrap().push_str(&t),
            _ => {}
        }
    }
    out
}

fn years(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{}年", 2019 + i)).collect()
}

fn assert_close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() <= 0.1 + 1e-9, "{what}: got {got}, want {want}");
}

fn check_common(html: &str) {
    parse_xml(html).unwrap_or_else(|e| panic!("not well-formed: {e}\n{html}"));
    for bad in ["NaN", "inf", "style=", "<script"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
    assert!(svg.contains("role=\"img\"") && svg.contains("aria-labelledby="));
    assert!(svg.contains("<title id=") && svg.contains("<desc id="));
    // Every number in the SVG has at most one decimal.
    for attr in svg.split('"').skip(1).step_by(2) {
        if let Some((_, decimals)) = attr.split_once('.') {
            if attr.parse::<f64>().is_ok() {
                assert!(decimals.len() <= 1, "{attr} has more than one decimal");
            }
        }
    }
}

#[test]
fn the_xml_check_is_strict() {
    assert!(parse_xml("<a x=\"1\"><b/>t &amp; &#39;</a>").is_ok());
    for bad in [
        "<a><b></a></b>",
        "<a>",
        "</a>",
        "<a x=1></a>",
        "<a x=\"1\" x=\"2\"></a>",
        "<a x=\"<\"></a>",
        "<a>1 & 2</a>",
        "<a>&nbsp;</a>",
        "<a>1 > 2</a>",
    ] {
        assert!(parse_xml(bad).is_err(), "{bad} passed");
    }
}

#[test]
fn nice_scale() {
    let max = |m| Scale::new(m).max;
    let cases = [
        (0, 1),
        (1, 1),
        (2, 2),
        (3, 5),
        (7, 10),
        (11, 20),
        (21, 25),
        (26, 50),
        (50, 50),
        (101, 200),
        (240, 250),
        (2501, 5000),
        (-4, 1),
    ];
    for (m, want) in cases {
        assert_eq!(max(m), want, "nice max of {m}");
    }
    let ticks = |m| Scale::new(m).ticks().collect::<Vec<_>>();
    assert_eq!(ticks(0), [0, 1]);
    assert_eq!(ticks(2), [0, 1, 2]);
    assert_eq!(ticks(4), [0, 1, 2, 3, 4, 5]);
    assert_eq!(ticks(20), [0, 5, 10, 15, 20]);
    assert_eq!(ticks(21), [0, 5, 10, 15, 20, 25]);
    assert_eq!(ticks(80), [0, 20, 40, 60, 80, 100]);
    assert_eq!(Scale::new(i64::MAX).max, i64::MAX);
}

#[test]
fn grouped_bars_are_proportional() {
    let a = [0, 5, 37, 250];
    let b = [120, 60, 1, 0];
    let series = [
        Series {
            label: "新收申请",
            values: a.to_vec(),
        },
        Series {
            label: "办结",
            values: b.to_vec(),
        },
    ];
    let html = grouped_bars("g", "历年申请", &years(4), &series);
    check_common(&html);
    let drawn = bars(&html);
    assert_eq!(drawn.len(), 8);
    let scale = Scale::new(250);
    assert_eq!(scale.max, 250);
    let bottom = drawn[0].y + drawn[0].height;
    for bar in &drawn {
        assert_close(bar.height, bar.value as f64 * PLOT_H / scale.max as f64, "bar height");
        assert_close(bar.y + bar.height, bottom, "bar foot");
    }
    // Category by category, series by series.
    let values: Vec<i64> = drawn.iter().map(|b| b.value).collect();
    assert_eq!(values, [0, 120, 5, 60, 37, 1, 250, 0]);
    assert!(drawn.iter().step_by(2).all(|b| b.class == "bar s0"));
    assert_close(drawn[6].height, PLOT_H, "the maximum fills the plot");
    let numbers: Vec<String> = (0..4).flat_map(|i| [a[i].to_string(), b[i].to_string()]).collect();
    assert_eq!(table_numbers(&html), numbers);
    assert!(
        html.contains(">新收申请</text>") && html.contains(">办结</text>"),
        "legend"
    );
    assert!(html.contains("<th scope=\"col\">新收申请</th>") && html.contains("<th scope=\"row\">2019年</th>"));
}

#[test]
fn stacked_bars_are_proportional() {
    let series = [
        Series {
            label: "予以公开",
            values: vec![10, 0, 300],
        },
        Series {
            label: "部分公开",
            values: vec![5, 7, 150],
        },
        Series {
            label: "不予公开",
            values: vec![0, 3, 50],
        },
    ];
    let html = stacked_bars("s", "办理结果", &years(3), &series);
    check_common(&html);
    let scale = Scale::new(500);
    assert_eq!(scale.max, 500);
    let drawn = bars(&html);
    assert_eq!(drawn.len(), 9);
    let k = PLOT_H / scale.max as f64;
    for bar in &drawn {
        assert_close(bar.height, bar.value as f64 * k, "segment height");
    }
    // Segments stack: each starts where the one below ends.
    for pair in drawn.chunks(3) {
        assert_close(pair[1].y + pair[1].height, pair[0].y, "stacked");
        assert_close(pair[2].y + pair[2].height, pair[1].y, "stacked");
    }
    assert_close(
        drawn[6].height + drawn[7].height + drawn[8].height,
        PLOT_H,
        "the largest total fills the plot",
    );
    assert_eq!(
        table_numbers(&html),
        ["10", "5", "0", "15", "0", "7", "3", "10", "300", "150", "50", "500"]
    );
    assert!(html.contains("<th scope=\"col\">合计</th>"));
    assert!(html.contains(">500</text>"), "total above the bar");
}

#[test]
fn horizontal_bars_are_proportional() {
    let names: Vec<String> = [
        "示例市教育局",
        "示例市公安局",
        "示例市自然资源和规划局",
        "示例市卫生健康委员会",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let values = [1000, 437, 0, 9];
    let html = horizontal_bars("h", "新收申请最多的机关", &names, &values, "件");
    check_common(&html);
    let frame = Horizontal::new(&names, &values, "件");
    assert_eq!(frame.scale.max, 1000);
    let drawn = bars(&html);
    assert_eq!(drawn.iter().map(|b| b.value).collect::<Vec<_>>(), values);
    for bar in &drawn {
        assert_close(bar.width, bar.value as f64 * frame.plot_w / 1000.0, "bar width");
        assert_eq!(bar.height, BAR_H);
    }
    assert_close(drawn[0].width, frame.plot_w, "the maximum fills the plot");
    assert!(
        frame.x0 + frame.plot_w + text_width("1000", SMALL) + 4.0 <= frame.w,
        "value label fits"
    );
    assert_eq!(table_numbers(&html), ["1000", "437", "0", "9"]);
    assert!(html.contains("数值（件）") && html.contains("单位：件"));
    for name in &names {
        assert!(html.contains(&format!("<th scope=\"row\">{name}</th>")));
    }
}

#[test]
fn long_labels_are_cut_with_the_full_text_kept() {
    let long = "示例市某某区人民政府办公室政务公开科（示例市某某区政务服务数据管理局）".to_string();
    let html = horizontal_bars("h", "长名称", std::slice::from_ref(&long), &[3], "件");
    check_common(&html);
    let shown = fit(&long, UNIT_W - 2.0 * PAD, FONT).0;
    assert!(shown.ends_with('…') && shown.chars().count() < long.chars().count());
    assert!(
        html.contains(&format!("<title>{long}</title>{shown}</text>")),
        "tooltip on the label"
    );
    assert!(
        html.contains(&format!("<title>{long}：3件</title>")),
        "tooltip on the bar"
    );
    assert!(
        html.contains(&format!("<th scope=\"row\">{long}</th>")),
        "full name in the table"
    );
    let cats: Vec<String> = (0..12).map(|_| long.clone()).collect();
    let html = grouped_bars(
        "g",
        "t",
        &cats,
        &[Series {
            label: "a",
            values: vec![1; 12],
        }],
    );
    check_common(&html);
    assert!(html.contains("…</text>"));
}

#[test]
fn text_is_escaped() {
    let evil = "<script>alert(\"x\")</script> & co";
    let series = [Series {
        label: evil,
        values: vec![1, 2],
    }];
    let cats = vec![evil.to_string(), "2022年".to_string()];
    for html in [
        grouped_bars("x\"y", evil, &cats, &series),
        stacked_bars("x", evil, &cats, &series),
        horizontal_bars("x", evil, &cats, &[1, 2], evil),
    ] {
        check_common(&html);
        assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"));
        let texts: Vec<String> = parse_xml(&html)
            .unwrap()
            .into_iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t),
                _ => None,
            })
            .collect();
        assert!(texts.iter().any(|t| t.contains(evil)), "round-trips as text");
    }
}

#[test]
fn all_zero_and_empty_input_draw_an_empty_axis() {
    let zero = [Series {
        label: "新收申请",
        values: vec![0, 0, 0],
    }];
    for html in [
        grouped_bars("z", "零", &years(3), &zero),
        stacked_bars("z", "零", &years(3), &zero),
        horizontal_bars("z", "零", &years(3), &[0, 0, 0], "件"),
    ] {
        check_common(&html);
        let drawn = bars(&html);
        assert_eq!(drawn.len(), 3);
        assert!(drawn.iter().all(|b| b.height == 0.0 || b.width == 0.0));
        assert!(html.contains("class=\"axis\""));
        let numbers = table_numbers(&html);
        assert!(numbers.len() >= 3 && numbers.iter().all(|n| n == "0"), "{numbers:?}");
    }
    for html in [
        grouped_bars("e", "空", &[], &[]),
        stacked_bars("e", "空", &[], &[]),
        horizontal_bars("e", "空", &[], &[], ""),
    ] {
        check_common(&html);
        assert!(bars(&html).is_empty());
    }
}

#[test]
fn negative_values_are_drawn_as_zero_and_missing_values_as_nothing() {
    let series = [Series {
        label: "a",
        values: vec![-3, 4],
    }];
    let html = grouped_bars("n", "t", &years(3), &series);
    check_common(&html);
    let drawn = bars(&html);
    assert_eq!(drawn.len(), 2, "no bar for the missing third value");
    assert_eq!(drawn[0].height, 0.0);
    assert_eq!(table_numbers(&html), ["-3", "4", ""]);
    assert!(html.contains("<td class=\"num blank\"></td>"));
    let html = stacked_bars("n", "t", &years(2), &series);
    assert_eq!(bars(&html)[0].height, 0.0);
    let html = horizontal_bars("n", "t", &years(2), &[-3, 4], "");
    assert_eq!(bars(&html)[0].width, 0.0);
}

#[test]
fn output_is_deterministic_and_widens_for_many_categories() {
    let series = [
        Series {
            label: "新收申请",
            values: (0..15).map(|i| i * 37 % 101).collect(),
        },
        Series {
            label: "办结",
            values: (0..15).map(|i| i * 53 % 97).collect(),
        },
    ];
    let a = grouped_bars("d", "t", &years(15), &series);
    assert_eq!(a, grouped_bars("d", "t", &years(15), &series));
    check_common(&a);
    assert!(
        a.contains("class=\"chart chart-grouped w2\""),
        "15 years need a wider chart"
    );
    assert!(a.contains("tabindex=\"0\""), "a wide chart scrolls on a phone");
    let few = grouped_bars("d", "t", &years(3), &series);
    assert!(few.contains("class=\"chart chart-grouped w1 side\""));
}

#[test]
fn numbers_are_rounded() {
    assert_eq!(num(1.0), "1");
    assert_eq!(num(1.04), "1");
    assert_eq!(num(1.06), "1.1");
    assert_eq!(num(-0.01), "0");
    assert_eq!(num(212.60000000000002), "212.6");
}
