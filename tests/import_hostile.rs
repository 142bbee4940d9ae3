//! `gongkai import` on hostile input: files that are not regular files, zip
//! archives that expand without end, Word tables of absurd size, XML built
//! to blow up a parser, and text built to make the importer slow. Each must
//! be refused with an error naming the limit, or imported, in bounded time
//! (bounds here are generous, to catch a hang, never to time a machine).

use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use gongkai::import::{self, docx, Options};
use predicates::str::contains;

mod common;

/// The deadline any one hostile input gets, in a debug build on a busy
/// machine; a fixed version runs each in well under a second.
const DEADLINE: Duration = Duration::from_secs(10);

/// Runs `f`, failing when it takes longer than [`DEADLINE`].
fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    eprintln!("{what}: {took:?}");
    assert!(took < DEADLINE, "{what} took {took:?}");
    out
}

// ---------------------------------------------------------------- text

/// The start of a report: title and section 一.
const HEAD: &str = "示例县交通运输局2023年度政府信息公开工作年度报告\n\n一、总体情况\n\n本年度主动公开政府信息。\n\n";
const TAIL: &str = "\n\n示例县交通运输局\n2024年1月5日\n";

/// `unit` repeated to fill `bytes`, and as many lines as that share of the
/// size cap gets of the line cap.
fn repeat_to(unit: &str, bytes: usize) -> String {
    let n = bytes / unit.len().max(1);
    let line_budget = (import::LINE_CAP - 200) as u64 * bytes as u64 / import::TEXT_CAP as u64;
    match unit.matches('\n').count() {
        0 => unit.repeat(n),
        per_unit => unit.repeat(n.min((line_budget / per_unit as u64) as usize)),
    }
}

fn fixture_text(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A real report (a fixture) with `payload` put in after its first line
/// that contains `after`, so the payload is read by the code of that part.
fn inject(fixture: &str, after: &str, payload: &str) -> String {
    let text = fixture_text(fixture);
    let at = text.find(after).unwrap_or_else(|| panic!("{fixture}: no `{after}`"));
    let at = at + text[at..].find('\n').map_or(text.len() - at, |n| n + 1);
    format!("{}{payload}{}", &text[..at], &text[at..])
}

/// Texts built to hit every loop of the importer, each near the size cap in
/// a release build (`cargo test --release`), a sixteenth of it in a debug
/// build, whose code runs ten times slower: a loop that is quadratic in its
/// input still takes minutes on a megabyte.
fn hostile_texts() -> Vec<(&'static str, String)> {
    let big = if cfg!(debug_assertions) {
        import::TEXT_CAP / 16
    } else {
        import::TEXT_CAP - 64 * 1024
    };
    let mut rng = fastrand::Rng::with_seed(7);
    let random_bytes: Vec<u8> = (0..big / 2).map(|_| rng.u8(..)).collect();
    let random_cjk: String = (0..big / 4)
        .map(|_| match rng.u8(..20) {
            0 => '\n',
            1 => '\t',
            2 => ' ',
            3 => char::from(b'0' + rng.u8(..10)),
            _ => char::from_u32(0x4e00 + rng.u32(..0x5000)).unwrap_or('一'),
        })
        .collect();
    let spaces = "spaces-2022.txt";
    let tabs = "tabs.txt";
    vec![
        (
            "table 二: a huge row label",
            inject(
                spaces,
                "第二十条第（一）项",
                &format!("{} 1 2 3\n", repeat_to("规章行政 ", big)),
            ),
        ),
        (
            "table 二: a million rows",
            inject(spaces, "第二十条第（一）项", &repeat_to("规章 1 2 3\n", big)),
        ),
        (
            "table 二: a row of a million numbers",
            inject(
                spaces,
                "第二十条第（一）项",
                &format!("规章 {}\n", repeat_to("1 ", big)),
            ),
        ),
        (
            "table 三: a huge row label",
            inject(
                spaces,
                "三、本年度办理结果",
                &format!("{} 1 2 3 4 5 6 7\n", repeat_to("予以公开申请 ", big)),
            ),
        ),
        (
            "table 三: a label broken over a million lines",
            inject(spaces, "三、本年度办理结果", &repeat_to("本年度办理结果不予\n", big)),
        ),
        (
            "table 三: a million lines of one number",
            inject(spaces, "三、本年度办理结果", &repeat_to("1\n", big)),
        ),
        (
            "table 三: a million group labels",
            inject(spaces, "三、本年度办理结果", &repeat_to("（三）不予公开\n", big)),
        ),
        (
            "table 三: a row of a million tabs",
            inject(
                tabs,
                "二、上年结转",
                &format!("一、本年新收{}1\n", "\t".repeat(big - 100)),
            ),
        ),
        (
            "table 三: a header of a million words",
            inject(tabs, "三、收到和处理", &repeat_to("商业企业科研机构", big)),
        ),
        (
            "table 四: its header repeated on one line",
            inject(
                spaces,
                "未经复议直接起诉",
                &format!("{}\n", repeat_to("结果维持 ", big)),
            ),
        ),
        (
            "table 四: a million header lines",
            inject(spaces, "未经复议直接起诉", &repeat_to("结果维持 尚未审结\n", big)),
        ),
        (
            "one huge line of digits",
            format!("{HEAD}{}{TAIL}", repeat_to("2023", big)),
        ),
        (
            "a million blank lines and page numbers",
            format!("{HEAD}{}{TAIL}", repeat_to("\n\n12\n\n\n", big)),
        ),
        (
            "a million section headings",
            format!("{HEAD}{}{TAIL}", repeat_to("一、总体情况\n五、存在的主要问题\n", big)),
        ),
        (
            "titles everywhere",
            repeat_to("示例县2023年度政府信息公开工作年度报告2024年1月5日\n", big),
        ),
        (
            "one paragraph with no end",
            format!("{HEAD}{}{TAIL}", repeat_to("一二三四五六七八九十 *_`<>[] 1) ", big)),
        ),
        ("random bytes", String::from_utf8_lossy(&random_bytes).into_owned()),
        ("random Chinese text", random_cjk),
    ]
}

#[test]
fn hostile_texts_import_in_bounded_time() {
    let only = std::env::var("GONGKAI_HOSTILE_ONLY").unwrap_or_default();
    for (what, text) in hostile_texts().into_iter().filter(|(w, _)| w.contains(&only)) {
        assert!(text.len() <= import::TEXT_CAP, "{what}: {} bytes", text.len());
        let result = timed(what, || import::import_text(&text, &Options::default()));
        eprintln!(
            "  {}",
            match &result {
                Ok(_) => "imported".to_string(),
                Err(e) => e.chars().take(200).collect(),
            }
        );
        if let Err(e) = &result {
            // An error names what is wrong, and is not the whole input again.
            assert!(e.len() < 2000, "{what}: an error of {} bytes", e.len());
        }
    }
}

#[test]
fn text_over_the_caps_is_refused_naming_the_limit() {
    let mib = import::TEXT_CAP >> 20;
    let text = "一".repeat(import::TEXT_CAP / 3 + 1);
    let e = timed("text over the cap", || import::import_text(&text, &Options::default())).unwrap_err();
    assert!(e.contains(&format!("over {mib} MiB")), "{e}");
    let text = "\n".repeat(import::LINE_CAP + 1);
    let e = timed("lines over the cap", || import::import_text(&text, &Options::default())).unwrap_err();
    assert!(e.contains(&format!("over {} lines", import::LINE_CAP)), "{e}");
    // At the caps, a text is read.
    let text = format!("{}{}", fixture_text("tabs.txt"), "\n".repeat(import::LINE_CAP - 200));
    timed("lines at the cap", || import::import_text(&text, &Options::default())).unwrap();
    // A file is refused before it is decoded when no decoding could bring it
    // under the cap; one under it, after.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("big.txt");
    std::fs::write(&f, vec![b'a'; 2 * import::TEXT_CAP + 1]).unwrap();
    let e = timed("a file over the cap", || import::read_source(&f)).unwrap_err();
    assert!(e.contains("big.txt") && e.contains(&format!("over {mib} MiB")), "{e}");
    std::fs::write(&f, "一".repeat(import::TEXT_CAP / 3 + 1)).unwrap();
    let e = import::read_source(&f).unwrap_err();
    assert!(e.contains(&format!("over {mib} MiB")), "{e}");
}

// ---------------------------------------------------------------- .docx

/// A `.docx` whose `word/document.xml` is `xml`, deflated (written in
/// pieces, so a large one is never held whole).
fn docx_with(pieces: impl IntoIterator<Item = Vec<u8>>) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    for piece in pieces {
        zip.write_all(&piece).unwrap();
    }
    zip.finish().unwrap();
    buf.into_inner()
}

const DOC_START: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
    <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";
const DOC_END: &str = "</w:body></w:document>";

/// A `.docx` whose body is `body`.
fn docx_of_body(body: &str) -> Vec<u8> {
    docx_with([format!("{DOC_START}{body}{DOC_END}").into_bytes()])
}

/// A `.docx` whose body is `start`, `unit` `n` times, and `end`.
fn docx_repeating(start: &str, unit: &str, n: usize, end: &str) -> Vec<u8> {
    let chunk = unit.repeat((1 << 20) / unit.len().max(1)).into_bytes();
    let per_chunk = (1 << 20) / unit.len().max(1);
    let mut pieces = vec![format!("{DOC_START}{start}").into_bytes()];
    let mut left = n;
    while left > 0 {
        let k = left.min(per_chunk);
        pieces.push(chunk[..k * unit.len()].to_vec());
        left -= k;
    }
    pieces.push(format!("{end}{DOC_END}").into_bytes());
    docx_with(pieces)
}

fn read_docx(what: &str, bytes: &[u8]) -> Result<String, String> {
    let out = timed(what, || docx::text(bytes));
    if let Err(e) = &out {
        eprintln!("  {e}");
    }
    out
}

/// [`read_docx`] without the compression-ratio limit, for XML that is
/// hostile to the parser rather than to the archive.
fn read_xml(what: &str, bytes: &[u8]) -> Result<String, String> {
    let limits = docx::Limits {
        ratio: u64::MAX,
        ..docx::Limits::DEFAULT
    };
    let out = timed(what, || docx::text_with(bytes, &limits));
    if let Err(e) = &out {
        eprintln!("  {e}");
    }
    out
}

#[test]
fn a_huge_grid_span_is_refused() {
    let cell = |span: &str| {
        format!(
            "<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"{span}\"/></w:tcPr>\
             <w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        )
    };
    let bomb = docx_of_body(&cell("2000000000"));
    assert!(bomb.len() < 1024, "{} bytes", bomb.len());
    let e = read_docx("gridSpan 2000000000", &bomb).unwrap_err();
    assert!(
        e.contains("w:gridSpan") && e.contains("2000000000") && e.contains("limit of 256 columns"),
        "{e}"
    );
    // Too many digits for any number: over the limit too, and not quoted whole.
    let e = read_xml(
        "gridSpan of a million digits",
        &docx_of_body(&cell(&"9".repeat(1 << 20))),
    )
    .unwrap_err();
    assert!(e.contains("limit of 256 columns") && e.len() < 300, "{e}");
    // At the limit, the row is read, with its 256 columns.
    let text = read_docx("gridSpan 256", &docx_of_body(&cell("256"))).unwrap();
    assert_eq!(text, format!("x{}\n\n", "\t".repeat(255)));
}

#[test]
fn a_table_wider_or_taller_than_the_caps_is_refused() {
    let wide = docx_repeating("<w:tbl><w:tr>", "<w:tc><w:p/></w:tc>", 257, "</w:tr></w:tbl>");
    let e = read_docx("257 cells in a row", &wide).unwrap_err();
    assert!(e.contains("more than 256 columns"), "{e}");
    let spans = "<w:tc><w:tcPr><w:gridSpan w:val=\"200\"/></w:tcPr><w:p/></w:tc>";
    let wide = docx_repeating("<w:tbl><w:tr>", spans, 2, "</w:tr></w:tbl>");
    let e = read_docx("two cells spanning 200 columns each", &wide).unwrap_err();
    assert!(e.contains("more than 256 columns"), "{e}");
    // Rows of vertically merged cells, each a few bytes deflated.
    let merged = "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>";
    let tall = docx_repeating("<w:tbl>", merged, 1_000_000, "</w:tbl>");
    assert!(tall.len() < 1 << 20, "{} bytes", tall.len());
    let e = read_docx("a million merged rows", &tall).unwrap_err();
    assert!(e.contains("more than 10000 rows"), "{e}");
    // At the caps, 10,000 rows of 256 columns are read.
    let row = "<w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"256\"/></w:tcPr><w:p/></w:tc></w:tr>";
    let text = read_docx(
        "10000 rows of 256 columns",
        &docx_repeating("<w:tbl>", row, 10_000, "</w:tbl>"),
    )
    .unwrap();
    assert_eq!(text.lines().count(), 10_001);
    assert!(text.lines().take(10_000).all(|l| l.len() == 255));
}

/// `bytes` with the uncompressed size of every entry, in its local header
/// and in the central directory, replaced by `size` (a header that lies).
fn lie_about_sizes(mut bytes: Vec<u8>, size: u32) -> Vec<u8> {
    let mut i = 0;
    while i + 46 <= bytes.len() {
        match &bytes[i..i + 4] {
            b"PK\x03\x04" => bytes[i + 22..i + 26].copy_from_slice(&size.to_le_bytes()),
            b"PK\x01\x02" => bytes[i + 24..i + 28].copy_from_slice(&size.to_le_bytes()),
            _ => {}
        }
        i += 1;
    }
    bytes
}

#[test]
fn a_zip_bomb_is_refused_naming_the_limit() {
    // 200 MiB of zeros: about 200 KiB deflated.
    let zeros = docx_with((0..200).map(|_| vec![0u8; 1 << 20]));
    assert!(zeros.len() < 1 << 20, "{} bytes", zeros.len());
    let e = read_docx("200 MiB of zeros", &zeros).unwrap_err();
    assert!(e.contains("word/document.xml expands") && e.contains("zip bomb"), "{e}");
    // The same, as well-formed XML: a billion empty paragraphs.
    let paragraphs = docx_repeating("", "<w:p/>", 200 << 20 >> 3, "");
    let e = read_docx("200 MiB of empty paragraphs", &paragraphs).unwrap_err();
    assert!(e.contains("zip bomb"), "{e}");
    // A header that says the entry is small changes nothing: what counts is
    // what is inflated.
    let liar = lie_about_sizes(zeros, 1000);
    let e = read_docx("200 MiB of zeros said to be 1000 bytes", &liar).unwrap_err();
    assert!(e.contains("zip bomb") || e.contains("cannot be read"), "{e}");
}

#[test]
fn xml_built_to_blow_up_a_parser_is_read_in_bounded_time() {
    // Billion laughs: entities are never expanded.
    let mut dtd = String::from("<!DOCTYPE w:document [<!ENTITY lol0 \"lol\">");
    for i in 1..10 {
        dtd.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&lol{};", i - 1).repeat(10)
        ));
    }
    dtd.push_str("]>");
    let xml = format!(
        "<?xml version=\"1.0\"?>{dtd}<w:document xmlns:w=\"w\"><w:body>\
         <w:p><w:r><w:t>a&lol9;b&amp;&#x4e00;</w:t></w:r></w:p></w:body></w:document>"
    );
    let text = read_xml("billion laughs", &docx_with([xml.into_bytes()])).unwrap();
    assert_eq!(text, "ab&一\n");
    // 200,000 levels of nesting: no recursion, no stack to overflow.
    let deep = docx_repeating(
        "",
        "<w:tbl><w:tc><w:p>",
        200_000,
        &"</w:p></w:tc></w:tbl>".repeat(200_000),
    );
    read_xml("200,000 nested tables", &deep).unwrap();
    // A 32 MiB attribute value, and a million attributes on one element.
    let huge_attr = docx_repeating(
        "<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val=\"",
        "x",
        32 << 20,
        "\"/></w:tcPr></w:tc></w:tr></w:tbl>",
    );
    read_xml("a 32 MiB attribute", &huge_attr).unwrap();
    let many_attrs = docx_repeating(
        "<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan ",
        "a=\"1\" ",
        1_000_000,
        "w:val=\"2\"/></w:tcPr></w:tc></w:tr></w:tbl>",
    );
    let _ = read_xml("a million attributes", &many_attrs);
}

// ---------------------------------------------------------------- the command

fn gongkai(out: &Path) -> Command {
    let mut c = common::import::bin();
    c.arg("import").arg("--out").arg(out).timeout(DEADLINE);
    c
}

/// Runs `gongkai import FILE` and expects status 2 with `message`.
fn refused(file: &Path, message: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let mut assert = gongkai(dir.path()).arg(file).assert().code(2);
    for m in message {
        assert = assert.stderr(contains(*m));
    }
    let _ = assert;
    assert!(start.elapsed() < DEADLINE);
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing is written"
    );
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_never_read() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["report.txt", "report.docx"] {
        let fifo = dir.path().join(name);
        let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(status.success());
        refused(&fifo, &[name, "not a regular file", "named pipe"]);
    }
    for dev in ["/dev/zero", "/dev/urandom"] {
        refused(Path::new(dev), &[dev, "not a regular file", "a device"]);
    }
}

#[test]
fn a_folder_is_refused() {
    // A folder is never opened as a file: it is walked for the reports in
    // it (`gongkai import DIR`), and one with none is an error (status 2).
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("reports.docx");
    std::fs::create_dir(&folder).unwrap();
    std::fs::create_dir(folder.join("inner.docx")).unwrap();
    refused(
        &folder,
        &[
            "reports.docx",
            "no .txt, .md, .html, .htm, .pdf or .docx file in this folder",
        ],
    );
}

#[test]
fn hostile_word_documents_are_refused_by_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let span = dir.path().join("span.docx");
    std::fs::write(
        &span,
        docx_of_body("<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2000000000\"/></w:tcPr></w:tc></w:tr></w:tbl>"),
    )
    .unwrap();
    refused(&span, &["span.docx", "w:gridSpan", "limit of 256 columns"]);
    // A zip bomb named .txt is still read as the zip archive it is.
    let bomb = dir.path().join("bomb.txt");
    std::fs::write(&bomb, docx_with((0..200).map(|_| vec![0u8; 1 << 20]))).unwrap();
    refused(&bomb, &["bomb.txt", "zip bomb"]);
}
