//! Nothing from a content file becomes script: random text made of markup
//! (`<script>`, `<img onerror>`, `javascript:` URLs, entities, `</script>`,
//! `]]>`, quotes, control characters, bidi overrides, …) put in every
//! front-matter text field of reports (agency, region, title) and pages
//! (title), and in Markdown (section headings written twice, other headings
//! twice, link text, link and image URLs, inline code, fenced code with a
//! language name, body text), with the default `allow_raw_html = false`.
//!
//! The property is "if it builds, it is clean" (text the checks refuse, such
//! as control characters in front matter, stops the build, which is fine):
//! every built HTML file, parsed as HTML5, has the same `<script>` elements
//! as a build of the same site with innocent text, no `on*` attribute, no
//! URL attribute that runs script, and no frame, object or `<base>`; the
//! feed and the sitemap are well-formed XML 1.0.
//!
//! 48 cases by default; `PROPTEST_CASES=n` for more.

use std::collections::BTreeMap;
use std::path::Path;

use gongkai::build::BuildOptions;
use gongkai::report::{Format, Level};
use gongkai::scaffold::{report_file, ReportFile};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use scraper::{Html, Selector};

/// Pieces of hostile text.
const ATOMS: &[&str] = &[
    "<script>alert(1)</script>",
    "<script src=//x.example/a.js></script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe srcdoc=\"<script>alert(1)</script>\">",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<base href=//x.example/>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "&lt;script&gt;",
    "&#60;script&#62;",
    "&#x6A;avascript:",
    "&amp;",
    "&",
    "\"",
    "'",
    "\" onmouseover=\"alert(1)",
    "' onfocus='alert(1)",
    "`",
    "{{ site_title }}",
    "{% raw %}",
    "\\",
    "*",
    "_",
    "[",
    "]",
    "(",
    ")",
    "#",
    "|",
    "\u{E000}",
    "\u{FFFD}",
    "政府信息公开",
    "一、",
    "五、",
    " ",
];

/// Invisible characters: controls, bidi overrides and the like, used
/// mostly in body text (the checks refuse them in front matter).
const CONTROLS: &[char] = &[
    '\u{0}', '\u{1}', '\u{8}', '\u{B}', '\u{C}', '\u{1B}', '\u{7F}', '\u{85}', '\u{9F}', '\u{FFFE}', '\u{FFFF}', '\t',
    '\r', '\u{202E}', '\u{2066}', '\u{200B}', '\u{FEFF}', '\u{2028}',
];

/// Hostile text; with `controls`, invisible characters too.
fn text(controls: bool) -> BoxedStrategy<String> {
    let atom = prop::sample::select(ATOMS).prop_map(str::to_string);
    let word = "[a-zA-Z0-9甲乙丙丁 ]{1,4}";
    let piece = if controls {
        prop_oneof![
            5 => atom,
            2 => word.prop_map(|s| s),
            1 => prop::sample::select(CONTROLS).prop_map(|c| c.to_string()),
            1 => any::<char>().prop_map(|c| c.to_string()),
        ]
        .boxed()
    } else {
        prop_oneof![5 => atom, 2 => word.prop_map(|s| s)].boxed()
    };
    prop::collection::vec(piece, 1..6).prop_map(|v| v.concat()).boxed()
}

/// Front-matter text: without invisible characters in most cases.
fn field() -> BoxedStrategy<String> {
    prop_oneof![39 => text(false), 1 => text(true)].boxed()
}

/// On one line (headings, link text).
fn line(controls: bool) -> BoxedStrategy<String> {
    text(controls).prop_map(|s| s.replace(['\n', '\r'], " ")).boxed()
}

/// A link or image URL.
fn url() -> BoxedStrategy<String> {
    prop_oneof![
        2 => prop::sample::select(&[
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "java&#x09;script:alert(1)",
            "&#106;avascript:alert(1)",
            "javascript&colon;alert(1)",
            "\u{1}javascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "DATA:text/html,x",
            "http://x.example/\"onmouseover=\"alert(1)",
            "/guide/",
            "https://example.org/",
            "#section-1",
        ][..])
        .prop_map(str::to_string),
        1 => line(false).prop_map(|s| s.replace(' ', "")),
    ]
    .boxed()
}

/// A fenced code block's language name (one word).
fn lang() -> BoxedStrategy<String> {
    prop_oneof![
        prop::sample::select(&["rust", "html", "js", "\"><script>", "x\"onmouseover=\"alert(1)", "<b>"][..])
            .prop_map(str::to_string),
        line(false).prop_map(|s| s.replace([' ', '`', '~'], "")),
    ]
    .boxed()
}

/// The text of one case.
#[derive(Clone, Debug)]
struct Case {
    agency: String,
    other_agency: String,
    region: String,
    title: String,
    page_title: String,
    headings: Vec<String>,
    links: Vec<(String, String)>,
    code: (String, String, String),
    body: Vec<String>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        (field(), field(), field(), field(), field()),
        prop::collection::vec(line(true), 2..4),
        prop::collection::vec((line(true), url()), 1..4),
        (line(true), lang(), text(true)),
        prop::collection::vec(text(true), 1..4),
    )
        .prop_map(
            |((agency, other_agency, region, title, page_title), headings, links, code, body)| Case {
                agency,
                other_agency,
                region,
                title,
                page_title,
                headings,
                links,
                code,
                body,
            },
        )
}

/// The same shape with innocent text.
fn innocent() -> Case {
    Case {
        agency: "甲局".into(),
        other_agency: "乙局".into(),
        region: "某县".into(),
        title: "年度报告".into(),
        page_title: "指南".into(),
        headings: vec!["小节".into(), "另一节".into()],
        links: vec![("链接".into(), "https://example.org/".into())],
        code: ("代码".into(), "rust".into(), "fn main() {}".into()),
        body: vec!["正文".into()],
    }
}

/// `s` as a YAML double-quoted scalar (every character kept).
fn yaml(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FEFE}' | '\u{FF00}'..='\u{FFFD}' => out.push(c),
            c if (c as u32) >= 0x10000 => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// The Markdown body of a report (or page) of `c`.
fn body(c: &Case) -> String {
    let mut md = String::new();
    let mut para = |s: &str| {
        md.push_str(s);
        md.push_str("\n\n");
    };
    // Section headings, one written twice; other headings twice.
    para(&format!("## 一、{}", c.headings[0]));
    para(&c.body[0]);
    for h in &c.headings {
        para(&format!("### {h}"));
        para(&format!("### {h}"));
    }
    for (t, u) in &c.links {
        para(&format!("[{t}]({u}) ![{t}]({u}) [{t}][r] <{u}>"));
        para(&format!("[r]: {u}"));
    }
    let (inline, lang, code) = &c.code;
    para(&format!("`{inline}` ``{inline}``"));
    para(&format!("```{lang}\n{code}\n```"));
    para(&format!("## 五、{}", c.headings[1]));
    para(c.body.last().map_or("", String::as_str));
    para(&format!("## 五、{}", c.headings[1]));
    for b in &c.body {
        para(b);
    }
    para(&format!("## 六、{}", c.headings[0]));
    para(&format!("## 一、{}", c.headings[0]));
    md
}

/// A report file: `format` with zeros in its tables.
fn report(c: &Case, agency: &str, slug: &str, year: i32, format: Format) -> String {
    let published = chrono::NaiveDate::from_ymd_opt(year + 1, 1, 15).expect("a date");
    let file = report_file(&ReportFile {
        format,
        agency: Some("AGENCY_PLACEHOLDER"),
        slug,
        year,
        level: Level::Department,
        published: Some(published),
        draft: false,
        title: Some("TITLE_PLACEHOLDER"),
        source: None,
        numbers: None,
        body: Some(&body(c)),
    });
    file.replacen("AGENCY_PLACEHOLDER", &yaml(agency), 1)
        .replacen(
            "TITLE_PLACEHOLDER",
            &format!("{}\nregion: {}", yaml(&c.title), yaml(&c.region)),
            1,
        )
        .replacen("draft: true", "draft: false", 1)
}

/// Writes the site of `c` under `root`, builds it into `out`; `false` when
/// the checks refuse it.
fn build(c: &Case, root: &Path, out: &Path) -> bool {
    let content = root.join("content");
    for dir in ["reports/a", "reports/b"] {
        std::fs::create_dir_all(content.join(dir)).expect("a folder");
    }
    std::fs::write(root.join("site.toml"), "title = \"转义测试\"\n").expect("site.toml");
    for (slug, year, agency, format) in [
        ("a", 2022, &c.agency, Format::Gov2021),
        ("a", 2023, &c.agency, Format::Gov2021),
        ("b", 2023, &c.other_agency, Format::Gov2021),
        ("b", 2016, &c.other_agency, Format::Freeform),
    ] {
        let file = report(c, agency, slug, year, format);
        std::fs::write(content.join(format!("reports/{slug}/{year}.md")), file).expect("a report");
    }
    let page = format!("---\ntitle: {}\n---\n\n{}", yaml(&c.page_title), body(c));
    std::fs::write(content.join("指南.md"), &page).expect("a page");
    std::fs::write(content.join("about.md"), page).expect("a page");
    let opts = BuildOptions {
        output: Some(out.to_path_buf()),
        ..BuildOptions::default()
    };
    match gongkai::build::build(root, &opts, false, &|_, _| {}) {
        Ok(outcome) => {
            if outcome.summary.is_none() && std::env::var_os("XSS_DEBUG").is_some() {
                eprintln!("{}", outcome.site.render_diagnostics(false));
            }
            outcome.summary.is_some()
        }
        Err(e) => {
            if std::env::var_os("XSS_DEBUG").is_some() {
                eprintln!("error: {e}");
            }
            false
        }
    }
}

/// Every file of the output, by relative path.
fn outputs(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for e in walkdir::WalkDir::new(out) {
        let e = e.expect("a walk");
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(out).expect("under out");
            let rel = rel.iter().map(|c| c.to_string_lossy()).collect::<Vec<_>>().join("/");
            files.insert(rel, std::fs::read(e.path()).expect("readable"));
        }
    }
    files
}

/// What an HTML file must keep as the innocent build has it: its scripts
/// (source and text) and its forms, in document order.
fn fixed_parts(doc: &Html) -> Vec<String> {
    let sel = Selector::parse("script, form").expect("a selector");
    doc.select(&sel)
        .map(|e| {
            let v = e.value();
            match v.name() {
                "script" => format!("script src={:?} {:?}", v.attr("src"), e.inner_html()),
                _ => "form".to_string(),
            }
        })
        .collect()
}

/// The problems of one HTML file.
fn html_problems(rel: &str, doc: &Html) -> Vec<String> {
    let mut problems = Vec::new();
    let all = Selector::parse("*").expect("a selector");
    for el in doc.select(&all) {
        let v = el.value();
        let name = v.name();
        if matches!(
            name,
            "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "base"
        ) {
            problems.push(format!("{rel}: a <{name}> element"));
        }
        if name == "meta" && v.attr("http-equiv").is_some() {
            problems.push(format!("{rel}: <meta http-equiv>"));
        }
        for (attr, value) in v.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                problems.push(format!("{rel}: <{name} {attr}={value:?}>"));
            }
            if matches!(
                attr.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href" | "srcdoc"
            ) {
                let url: String = value
                    .trim()
                    .chars()
                    .filter(|c| !c.is_control() && !c.is_whitespace())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if attr == "srcdoc"
                    || url.starts_with("javascript:")
                    || url.starts_with("vbscript:")
                    || url.starts_with("data:text/html")
                {
                    problems.push(format!("{rel}: <{name} {attr}={value:?}>"));
                }
            }
        }
    }
    problems
}

/// Whether `text` is well-formed XML 1.0: quick-xml's reading, entities
/// resolved, and only characters XML 1.0 allows.
fn xml_problem(text: &str) -> Option<String> {
    if let Some(c) = text.chars().find(|&c| {
        let u = c as u32;
        !(matches!(c, '\t' | '\n' | '\r')
            || (0x20..=0xD7FF).contains(&u)
            || (0xE000..=0xFFFD).contains(&u)
            || u >= 0x10000)
    }) {
        return Some(format!("the character U+{:04X}", c as u32));
    }
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut roots = 0;
    loop {
        match reader.read_event() {
            Err(e) => return Some(e.to_string()),
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) => {
                roots += usize::from(depth == 0);
                depth += 1;
                if let Some(p) = attribute_problem(&e) {
                    return Some(p);
                }
            }
            Ok(quick_xml::events::Event::Empty(e)) => {
                roots += usize::from(depth == 0);
                if let Some(p) = attribute_problem(&e) {
                    return Some(p);
                }
            }
            Ok(quick_xml::events::Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(quick_xml::events::Event::Text(t)) => {
                if let Err(e) = t.decode() {
                    return Some(e.to_string());
                }
                if depth == 0 && !t.iter().all(u8::is_ascii_whitespace) {
                    return Some("text outside the root".into());
                }
            }
            Ok(quick_xml::events::Event::GeneralRef(r)) => {
                let name = r.decode().map(|n| n.into_owned()).unwrap_or_default();
                let known = matches!(name.as_str(), "amp" | "lt" | "gt" | "quot" | "apos")
                    || r.resolve_char_ref().ok().flatten().is_some();
                if !known {
                    return Some(format!("the entity &{name};"));
                }
            }
            Ok(_) => {}
        }
    }
    (depth != 0 || roots != 1).then(|| format!("{roots} roots, {depth} elements left open"))
}

/// What is wrong with a start tag's attributes, if anything.
fn attribute_problem(e: &quick_xml::events::BytesStart) -> Option<String> {
    for a in e.attributes() {
        match a {
            Err(err) => return Some(err.to_string()),
            Ok(a) => {
                if let Err(err) = a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                    return Some(err.to_string());
                }
            }
        }
    }
    None
}

/// Everything wrong with the output of `c` against the innocent build's
/// `fixed` parts.
fn problems(out: &Path, fixed: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut problems = Vec::new();
    for (rel, bytes) in outputs(out) {
        let text = String::from_utf8_lossy(&bytes);
        if rel.ends_with(".html") {
            let doc = Html::parse_document(&text);
            problems.extend(html_problems(&rel, &doc));
            let parts = fixed_parts(&doc);
            if fixed.get(&rel) != Some(&parts) {
                problems.push(format!(
                    "{rel}: scripts and forms {parts:?}, innocent build {:?}",
                    fixed.get(&rel)
                ));
            }
        } else if rel.ends_with(".xml") {
            if let Some(p) = xml_problem(&text) {
                problems.push(format!("{rel} is not well-formed XML: {p}"));
            }
        }
    }
    problems
}

#[test]
fn nothing_from_content_becomes_script() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let innocent_out = dir.path().join("innocent-out");
    assert!(
        build(&innocent(), &dir.path().join("innocent"), &innocent_out),
        "the innocent site builds"
    );
    let fixed: BTreeMap<String, Vec<String>> = outputs(&innocent_out)
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".html"))
        .map(|(rel, bytes)| {
            (
                rel,
                fixed_parts(&Html::parse_document(&String::from_utf8_lossy(&bytes))),
            )
        })
        .collect();
    assert!(
        fixed.values().flatten().any(|p| p.starts_with("script")),
        "the theme's own scripts are found: {fixed:?}"
    );
    assert!(problems(&innocent_out, &fixed).is_empty());

    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(48);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let built = std::sync::atomic::AtomicU32::new(0);
    let tried = std::sync::atomic::AtomicU32::new(0);
    let n = std::sync::atomic::AtomicU32::new(0);
    let result = runner.run(&case(), |c| {
        let k = n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let root = dir.path().join(format!("site-{k}"));
        let out = dir.path().join(format!("out-{k}"));
        tried.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if build(&c, &root, &out) {
            built.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let found = problems(&out, &fixed);
            if !found.is_empty() {
                return Err(TestCaseError::fail(found.join("\n")));
            }
        }
        let _ = std::fs::remove_dir_all(&root);
        let _ = std::fs::remove_dir_all(&out);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (built, tried) = (built.into_inner(), tried.into_inner());
    eprintln!("xss_proptest: {built} of {tried} generated sites built and were checked");
    assert!(
        built * 2 >= tried,
        "only {built} of {tried} generated sites built: the property is hardly tested"
    );
}
