//! `gongkai import report.pdf` (src/import/pdf.rs): printed reports come
//! back with the numbers they were printed from (our own report page
//! printed by Chromium: the round trip of issue 12; a page laid out like a
//! published report, printed by Chromium and by LibreOffice from a .docx);
//! what the text layer becomes (tables as tab-separated grids, footers
//! dropped, a vertical label and wrapped labels joined in their cells, page
//! breaks); what is refused (no text, no ToUnicode, no Chinese, a password);
//! and hostile files within bounded time. Fixtures: tests/fixtures/import-pdf
//! (its README says how each was made). The real published PDFs are in
//! tests/import_real.rs.

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, Instant};

use gongkai::import::pdf;
use serde_yaml::Value;

mod common;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import-pdf")
        .join(name)
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).expect("the fixture is there")
}

/// The YAML front matter of a content file.
fn front_matter(text: &str) -> Value {
    common::import::front_matter(text).expect("front matter")
}

/// Imports `source` with the command a user runs; the written file's front
/// matter.
fn import(source: &Path, extra: &[&str]) -> Value {
    let run = common::import::import_out(source, extra, Duration::from_secs(60));
    assert_eq!(run.code, Some(0), "{}: {}", source.display(), run.stderr);
    assert_eq!(run.written.len(), 1, "{}", run.stderr);
    front_matter(&run.written[0])
}

/// Every table cell and the agency and year of `got` equal `want`'s.
fn same_numbers(source: &str, got: &Value, want: &Value) {
    for key in ["agency", "year", "format", "proactive", "requests", "appeals"] {
        assert_eq!(got.get(key), want.get(key), "{source}: `{key}` differs");
    }
}

fn valid_content() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/content/reports/ceshi/2023.md");
    front_matter(&std::fs::read_to_string(path).expect("the content file"))
}

#[test]
fn our_report_page_printed_to_pdf_imports_with_its_numbers() {
    // The round trip: a report built by gongkai, printed, imported.
    let got = import(&fixture("valid-chromium.pdf"), &["--published", "2024-01-15"]);
    same_numbers("valid-chromium.pdf", &got, &valid_content());
}

#[test]
fn our_report_page_printed_again_round_trips() {
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"].into_iter().find(|c| {
        Process::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        eprintln!("skipped: no chromium to print with (apt-get install chromium fonts-wqy-zenhei)");
        return;
    };
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = tmp.path().join("site");
    let built = common::import::bin()
        .args(["build", "--quiet", "--root"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid"))
        .arg("-o")
        .arg(&site)
        .output()
        .expect("build runs");
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let page = site.join("reports/ceshi/2023/index.html");
    let html = std::fs::read_to_string(&page).expect("the report page");
    // A TrueType font keeps the file small (the fixture is printed so too).
    let html = html.replacen(
        "</head>",
        "<style>*{font-family:\"WenQuanYi Zen Hei\" !important}</style></head>",
        1,
    );
    let print = site.join("reports/ceshi/2023/print.html");
    std::fs::write(&print, html).expect("written");
    let pdf_path = tmp.path().join("report.pdf");
    let printed = Process::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"])
        .arg(format!("--print-to-pdf={}", pdf_path.display()))
        .arg(&print)
        .output()
        .expect("chromium runs");
    if !pdf_path.exists() {
        eprintln!(
            "skipped: chromium printed nothing ({})",
            String::from_utf8_lossy(&printed.stderr).lines().last().unwrap_or("")
        );
        return;
    }
    let got = import(&pdf_path, &["--published", "2024-01-15"]);
    same_numbers("the page printed now", &got, &valid_content());
}

#[test]
fn a_published_layout_imports_cell_exact_from_chromium_and_libreoffice() {
    let want: Value = serde_yaml::from_slice(&read("published.expected.yaml")).expect("YAML");
    for name in ["published-chromium.pdf", "published-libreoffice.pdf"] {
        let got = import(&fixture(name), &[]);
        same_numbers(name, &got, &want);
        assert_eq!(
            got.get("published").and_then(Value::as_str),
            Some("2024-01-05"),
            "{name}: the date signed at the end"
        );
    }
}

#[test]
fn a_borderless_table_with_blank_cells_imports_cell_exact() {
    // Its rows with blank cells are put in the columns their numbers stand
    // under (tab-separated, blanks empty): laid out in character columns
    // the table reader could not tell which cells are blank.
    let want: Value = serde_yaml::from_slice(&read("published.expected.yaml")).expect("YAML");
    let got = import(&fixture("published-borderless-chromium.pdf"), &[]);
    same_numbers("published-borderless-chromium.pdf", &got, &want);
}

/// The line of `text` holding `needle`.
fn line_with<'t>(text: &'t str, needle: &str) -> &'t str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle} in:\n{text}"))
}

#[test]
fn tables_come_out_as_grids_with_their_cells_in_place() {
    for name in ["published-chromium.pdf", "published-libreoffice.pdf"] {
        let text = pdf::text(&read(name)).expect("read");
        // Blank cells are empty fields in their columns.
        let blank = line_with(&text, "3.危及“三安全一稳定”");
        assert!(blank.ends_with("\t0\t\t0\t0\t\t0\t0"), "{name}: {blank:?}");
        // A row label wrapped in its cell is one field.
        line_with(&text, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t");
        // The header's five columns on one line, in their order.
        line_with(&text, "商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他");
        // Table 四's header words stacked in their cells are joined.
        line_with(&text, "结果维持\t结果纠正\t其他结果\t尚未审结\t总计");
        // Page breaks are form feeds; page footers are gone.
        assert!(text.contains('\u{c}'), "{name}: a page break");
        assert!(
            !text
                .lines()
                .any(|l| l.trim().trim_matches('-').trim().parse::<u32>().is_ok()),
            "{name}: a page footer is left:\n{text}"
        );
    }
    // The vertical label printed one character a line (Chromium): one field.
    let text = pdf::text(&read("published-chromium.pdf")).expect("read");
    let first = line_with(&text, "（一）予以公开");
    assert!(first.starts_with("三、本年度办理结果\t（一）予以公开"), "{first:?}");
    // Table 三 crosses a page break and its header is printed again.
    let headers = text.lines().filter(|l| l.contains("申请人情况")).count();
    assert_eq!(headers, 2, "{text}");
}

#[test]
fn text_outside_tables_keeps_its_lines_and_columns() {
    let text = pdf::text(&read("published-chromium.pdf")).expect("read");
    let title: Vec<&str> = text.lines().take(2).map(str::trim).collect();
    assert_eq!(title, ["绥滨县忠仁镇人民政府", "2023年度政府信息公开工作年度报告"]);
    // The signature is right-aligned: it stands far to the right.
    let date = line_with(&text, "2024年1月5日");
    assert!(date.starts_with("          "), "{date:?}");
}

#[test]
fn type3_fonts_and_actual_text_are_read() {
    let text = pdf::text(&read("type3-actualtext.pdf")).expect("read");
    assert_eq!(
        text.lines().map(str::trim).collect::<Vec<_>>(),
        [
            "测试县测试局2023年政府信息公开工作年度报告",
            "一、总体情况：本局依法做好政府信息公开工作，主动公开信息１２条。"
        ]
    );
}

#[test]
fn encrypted_files_open_with_the_empty_password_only() {
    let text = pdf::text(&read("encrypted-empty-password.pdf")).expect("the empty password opens it");
    assert!(text.contains("政府信息公开工作年度报告"), "{text}");
    let err = pdf::text(&read("encrypted-user-password.pdf")).expect_err("refused");
    assert!(err.contains("encrypted") && err.contains("password"), "{err}");
}

// ---------------------------------------------------------------------------
// Hand-made PDFs: refusals and hostile files.

/// A PDF of the given objects (numbered from 1; object 1 is the catalog).
fn build(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut s = format!("<< /Length {} {dict} >>\nstream\n", data.len()).into_bytes();
    s.extend_from_slice(data);
    s.extend_from_slice(b"\nendstream");
    s
}

/// `s` as a Type0 font with Identity-H writes it when its codes are the
/// characters' UTF-16 units: a hex string.
fn hex(s: &str) -> String {
    let units: String = s.encode_utf16().map(|u| format!("{u:04X}")).collect();
    format!("<{units}>")
}

/// A one-page PDF showing `content` with a Type0 font `/F1` (codes are
/// UTF-16 units); with `to_unicode` its ToUnicode map says so.
fn one_page(content: &[u8], to_unicode: bool) -> Vec<u8> {
    let font = format!(
        "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [5 0 R] {} >>",
        if to_unicode { "/ToUnicode 6 0 R" } else { "" }
    );
    // Codes are UTF-16 units: ranges of one high byte each, as the format
    // wants them.
    let ranges: String = [0x00, 0x20, 0x2f, 0x30, 0xff]
        .iter()
        .chain(&(0x4e..=0x9f).collect::<Vec<u32>>())
        .map(|h| format!("<{h:02X}00> <{h:02X}FF> <{h:02X}00>\n"))
        .collect();
    let cmap = format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Adobe-Identity-UCS def\n\
         /CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n{} beginbfrange\n{ranges}\
         endbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n",
        ranges.lines().count()
    );
    let cmap = cmap.as_bytes();
    build(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 7 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
            .to_vec(),
        font.into_bytes(),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 /W [48 57 500] >>"
            .to_vec(),
        stream("", cmap),
        stream("", content),
    ])
}

fn shown(lines: &[(f32, f32, &str)]) -> Vec<u8> {
    let mut c = String::from("BT\n");
    for (x, y, s) in lines {
        c.push_str(&format!("/F1 12 Tf 1 0 0 1 {x} {y} Tm {} Tj\n", hex(s)));
    }
    c.push_str("ET\n");
    c.into_bytes()
}

const REPORT_LINES: [&str; 3] = [
    "某县人民政府2023年政府信息公开工作年度报告",
    "一、总体情况",
    "本年度依法做好政府信息公开工作，主动公开信息一百条。",
];

#[test]
fn a_hand_made_type0_font_with_to_unicode_reads_and_footers_go() {
    let mut lines: Vec<(f32, f32, &str)> = REPORT_LINES
        .iter()
        .enumerate()
        .map(|(i, s)| (72.0, 760.0 - 20.0 * i as f32, *s))
        .collect();
    lines.push((290.0, 40.0, "- 3 -"));
    lines.push((290.0, 400.0, "- 4 -"));
    let text = pdf::text(&one_page(&shown(&lines), true)).expect("read");
    assert_eq!(text.lines().next().map(str::trim), Some(REPORT_LINES[0]));
    let squeezed: Vec<String> = text.lines().map(|l| l.split_whitespace().collect()).collect();
    assert!(
        !squeezed.iter().any(|l| l == "-3-"),
        "a footer in the bottom margin is dropped:\n{text}"
    );
    assert!(
        squeezed.iter().any(|l| l == "-4-"),
        "the same text mid-page is kept:\n{text}"
    );
}

#[test]
fn a_line_drawn_twice_for_bold_reads_once() {
    let mut lines: Vec<(f32, f32, &str)> = REPORT_LINES
        .iter()
        .enumerate()
        .map(|(i, s)| (72.0, 760.0 - 20.0 * i as f32, *s))
        .collect();
    // Fake bold: the title again, a third of a point to the right.
    lines.push((72.3, 760.0, REPORT_LINES[0]));
    let text = pdf::text(&one_page(&shown(&lines), true)).expect("read");
    assert_eq!(text.lines().next().map(str::trim), Some(REPORT_LINES[0]), "{text}");
}

#[test]
fn kangxi_radicals_read_as_the_characters_they_look_like() {
    // Some fonts' maps give ⼀ (U+2F00) for 一 and ⾏ (U+2F8F) for 行.
    let lines = [
        (72.0, 760.0, REPORT_LINES[0]),
        (72.0, 740.0, "⼀、总体情况"),
        (72.0, 720.0, "⾏政复议"),
    ];
    let text = pdf::text(&one_page(&shown(&lines), true)).expect("read");
    let got: Vec<&str> = text.lines().map(str::trim).collect();
    assert_eq!(got[1..], ["一、总体情况", "行政复议"], "{text}");
}

#[test]
fn glyphs_without_to_unicode_are_refused_not_guessed() {
    let lines: Vec<(f32, f32, &str)> = REPORT_LINES
        .iter()
        .enumerate()
        .map(|(i, s)| (72.0, 760.0 - 20.0 * i as f32, *s))
        .collect();
    let err = pdf::text(&one_page(&shown(&lines), false)).expect_err("refused");
    assert!(err.contains("ToUnicode") && err.contains("SimSun"), "{err}");
}

#[test]
fn a_scan_without_text_is_refused_with_ocr_suggested() {
    let content = b"q 595 0 0 842 0 0 cm /Im0 Do Q";
    let pdf_bytes = build(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /Im0 5 0 R >> >> >>"
            .to_vec(),
        stream("", content),
        stream("/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8", b"\x80"),
    ]);
    let err = pdf::text(&pdf_bytes).expect_err("refused");
    assert!(
        err.contains("no text layer") && err.contains("scan") && err.contains("OCR"),
        "{err}"
    );
}

#[test]
fn text_with_no_chinese_is_refused_as_garbled() {
    // A font whose map sends every glyph to Latin letters: what a wrong
    // ToUnicode makes of a Chinese report.
    let lines: Vec<(f32, f32, &str)> = (0..10)
        .map(|i| (72.0, 760.0 - 20.0 * i as f32, "Xq3 zzP k0_ lMm"))
        .collect();
    let err = pdf::text(&one_page(&shown(&lines), true)).expect_err("refused");
    assert!(err.contains("Chinese") && err.contains("garbage"), "{err}");
}

fn quick<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    assert!(t.elapsed() < Duration::from_secs(20), "{what} took {:?}", t.elapsed());
    out
}

#[test]
fn a_huge_page_count_is_refused() {
    let n = 1001;
    let kids: String = (0..n).map(|i| format!("{} 0 R ", i + 3)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{kids}] /Count {n} >>").into_bytes(),
    ];
    objects.extend((0..n).map(|_| b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_vec()));
    let err = quick("1001 pages", || pdf::text(&build(&objects))).expect_err("refused");
    assert!(err.contains("1001 pages"), "{err}");
}

#[test]
fn a_flate_bomb_in_a_content_stream_is_stopped() {
    use std::io::Write as _;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let block = vec![b' '; 1 << 20];
    for _ in 0..80 {
        z.write_all(&block).expect("compressed");
    }
    let bomb = z.finish().expect("compressed");
    assert!(bomb.len() < 200_000, "{}", bomb.len());
    let pdf_bytes = build(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        stream("/Filter /FlateDecode", &bomb),
    ]);
    let err = quick("an 80 MiB content stream", || pdf::text(&pdf_bytes)).expect_err("refused");
    assert!(err.contains("inflate") && err.contains("MiB"), "{err}");
}

#[test]
fn drawings_nested_in_themselves_are_stopped() {
    // A form XObject that draws itself.
    let pdf_bytes = build(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources 5 0 R >>".to_vec(),
        stream("", b"/Fm0 Do"),
        b"<< /XObject << /Fm0 6 0 R >> >>".to_vec(),
        stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources 5 0 R",
            b"/Fm0 Do /Fm0 Do",
        ),
    ]);
    let err = quick("a self-drawing form", || pdf::text(&pdf_bytes)).expect_err("refused");
    assert!(err.contains("nests") || err.contains("no text layer"), "{err}");
}

#[test]
fn deep_nesting_costs_no_stack() {
    let depth = 200_000;
    let mut content = "[".repeat(depth).into_bytes();
    content.extend(std::iter::repeat_n(b']', depth));
    let pdf_bytes = build(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Deep {}{} >>",
            "[".repeat(depth),
            "]".repeat(depth)
        )
        .into_bytes(),
        stream("", &content),
    ]);
    // Refused (there is no text), in time, without overflowing the stack.
    let err = quick("nesting 200,000 deep", || pdf::text(&pdf_bytes)).expect_err("refused");
    assert!(!err.is_empty());
}

#[test]
fn many_object_streams_are_refused_before_loading() {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
    ];
    objects.extend((0..300).map(|_| stream("/Type /ObjStm /N 0 /First 0", b"")));
    let err = quick("300 object streams", || pdf::text(&build(&objects))).expect_err("refused");
    assert!(err.contains("object streams"), "{err}");
}

#[test]
fn not_a_pdf_and_truncated_files_are_refused() {
    assert!(pdf::text(b"hello").expect_err("refused").contains("not a PDF"));
    let whole = read("published-chromium.pdf");
    for cut in [20, whole.len() / 3, whole.len() - 200] {
        // A file cut short is refused or read, never a panic.
        let _ = pdf::text(&whole[..cut]);
    }
}
