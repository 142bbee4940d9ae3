//! Integration tests of `gongkai serve`: the real binary, on a free loopback
//! port, spoken to over real HTTP/1.1 with a small hand-written client (so a
//! raw path such as `/../site.toml` reaches the server exactly as written).
//!
//! Every test copies `tests/fixtures/serve-site` into a temporary folder and
//! serves the copy; the process is killed by a guard when the test ends, also
//! when it panics. Every wait is a bounded poll (never a bare sleep), and no
//! assertion is about time, but in the last section.
//!
//! `serve-site` has two agencies over two years, with numbers chosen so that
//! each one appears once on a page:
//! - `jia` (测试县甲局): 2022 and 2023; 2023 has 行政复议 总计 4001 and
//!   一、本年新收 自然人 317, 结转下年度 17;
//! - `yi` (测试县乙镇人民政府): 2022 and 2023; 2023 has 行政复议 总计 7007;
//! - an ordinary page `guide.md` (使用说明), in the navigation;
//! - `site.toml` carries a marker line that no response may ever contain.
//!
//! `serve` renders the preview in memory and writes nothing: no test looks
//! for an output folder, and one checks that `public/` is never touched.
//!
//! The first eight tests are the contract of the preview (edits, errors,
//! deletions, path safety, content types and live reload, equality with a
//! full build, a port in use, robustness). The tests after them each pin one
//! bug found while writing these (see their comments); they fail until it
//! is fixed. Because `serving` is printed before the watcher is set up (the
//! first of those bugs), the other tests wait with [`Serve::watching`] before
//! their first edit, so that each test checks one thing.
//!
//! The last section is hostile clients: oversized request lines and headers,
//! silent clients, more connections than the cap, redirects that would lead
//! off-site, links and named pipes in the output. Those tests bound how long
//! a refusal takes (by the server's own head timeout), since a refusal that
//! only comes from a timeout is no refusal.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use scraper::{Html, Selector};

mod common;
use common::{copy_dir, fixture};

/// The longest any wait may last before the test fails. Generous: debug
/// builds on a busy machine, several servers at once.
const PATIENCE: Duration = Duration::from_secs(20);
/// How often a poll looks again.
const POLL: Duration = Duration::from_millis(50);

/// A line only `site.toml` of `serve-site` holds.
const SITE_TOML_MARKER: &str = "serve-site-toml-marker-5c1e";

// ---------------------------------------------------------------------------
// The site: a copy of a fixture in a temporary folder

/// A copy of a fixture site, in a temporary folder removed on drop.
struct Site {
    dir: tempfile::TempDir,
    root: PathBuf,
}

impl Site {
    fn copy(name: &str) -> Site {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path().join("site");
        copy_dir(&fixture(name), &root);
        Site { dir, root }
    }

    /// A path beside the site (for output folders), in the same temporary folder.
    fn beside(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Saves `text` as careful editors do: writes a hidden temporary file in
    /// the same folder, then renames it over `rel`.
    fn save(&self, rel: &str, text: &str) {
        static N: AtomicUsize = AtomicUsize::new(0);
        let path = self.path(rel);
        let name = path.file_name().expect("a file name").to_string_lossy().into_owned();
        let tmp = path.with_file_name(format!(".{name}.save-{}", N.fetch_add(1, Ordering::Relaxed)));
        std::fs::write(&tmp, text).unwrap_or_else(|e| panic!("{}: {e}", tmp.display()));
        std::fs::rename(&tmp, &path).unwrap_or_else(|e| panic!("{} -> {rel}: {e}", tmp.display()));
    }

    /// Replaces the one occurrence of `from` in `rel` by `to`, and saves.
    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(
            text.matches(from).count(),
            1,
            "{rel} should hold `{from}` once:\n{text}"
        );
        self.save(rel, &text.replacen(from, to, 1));
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    }

    fn rename(&self, from: &str, to: &str) {
        std::fs::rename(self.path(from), self.path(to)).unwrap_or_else(|e| panic!("{from} -> {to}: {e}"));
    }
}

// ---------------------------------------------------------------------------
// The server process

/// A port that was free a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("a local address").port()
}

fn gongkai() -> Command {
    common::gongkai_process()
}

/// A running `gongkai serve`, killed on drop (also when the test panics).
struct Serve {
    child: Child,
    port: u16,
    /// The site, as the `serving` line names it.
    root: PathBuf,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
    stderr_thread: Option<JoinHandle<()>>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads `pipe` line by line into `lines` until it closes; sends each line
/// that starts with `serving ` to `ready`.
fn drain(
    pipe: impl Read + Send + 'static,
    lines: Arc<Mutex<Vec<String>>>,
    ready: Option<mpsc::Sender<String>>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = String::from_utf8_lossy(&buf).trim_end().to_string();
            if let Some(tx) = &ready {
                if line.starts_with("serving ") {
                    let _ = tx.send(line.clone());
                }
            }
            lines.lock().unwrap_or_else(|e| e.into_inner()).push(line);
        }
    })
}

impl Serve {
    /// Starts `gongkai serve` for `root` on a free port (another port if the
    /// one picked was taken meanwhile) and waits for its `serving` line.
    fn start(root: &Path) -> Serve {
        Serve::start_with(root, &[])
    }

    /// [`Serve::start`] with more arguments.
    fn start_with(root: &Path, extra: &[String]) -> Serve {
        let mut last = String::new();
        for _ in 0..5 {
            let port = free_port();
            match Serve::spawn(root, port, extra) {
                Ok(s) => return s,
                Err(log) if log.contains("already in use") => last = log,
                Err(log) => panic!("gongkai serve did not start:\n{log}"),
            }
        }
        panic!("no free port found for gongkai serve:\n{last}");
    }

    /// Starts the server on `port`; returns its output if it exits before
    /// it is serving.
    fn spawn(root: &Path, port: u16, extra: &[String]) -> Result<Serve, String> {
        let mut child = gongkai()
            .arg("serve")
            .arg("--root")
            .arg(root)
            .args(["--port", &port.to_string(), "--interface", "127.0.0.1"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("gongkai serve starts");
        let out_pipe = child.stdout.take().expect("piped stdout");
        let err_pipe = child.stderr.take().expect("piped stderr");
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        drain(out_pipe, Arc::clone(&stdout), Some(tx));
        let stderr_thread = Some(drain(err_pipe, Arc::clone(&stderr), None));
        let mut serve = Serve {
            child,
            port,
            root: PathBuf::new(),
            stdout,
            stderr,
            stderr_thread,
        };
        match rx.recv_timeout(PATIENCE) {
            Ok(line) => {
                let rest = line.strip_prefix("serving ").expect("a serving line");
                let (root, url) = rest
                    .rsplit_once(" at ")
                    .unwrap_or_else(|| panic!("`{line}` should name the site and the URL"));
                let expected = format!("http://127.0.0.1:{port}/");
                assert!(url.starts_with(&expected), "`{line}` should give the URL {expected}");
                serve.root = PathBuf::from(root);
                Ok(serve)
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                // Stdout closed: the process is ending. Wait for it and its stderr.
                let status = serve.wait_exit();
                if let Some(t) = serve.stderr_thread.take() {
                    let _ = t.join();
                }
                let status = status.map_or_else(|| "did not exit".to_string(), |s| format!("exited with {s}"));
                Err(format!("{status}\n{}", serve.logs()))
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("gongkai serve printed no `serving` line:\n{}", serve.logs())
            }
        }
    }

    /// Waits (bounded) for the process to exit; `None` if it does not.
    fn wait_exit(&mut self) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(POLL);
        }
        None
    }

    /// Everything the process printed so far.
    fn logs(&self) -> String {
        let out = self.stdout.lock().unwrap_or_else(|e| e.into_inner()).join("\n");
        let err = self.stderr.lock().unwrap_or_else(|e| e.into_inner()).join("\n");
        format!("--- stdout:\n{out}\n--- stderr:\n{err}")
    }

    /// The number of lines on stdout so far.
    fn stdout_len(&self) -> usize {
        self.stdout.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Fails the test if the process has exited.
    fn assert_alive(&mut self, when: &str) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("gongkai serve exited with {status} {when}\n{}", self.logs());
        }
    }

    /// Polls `check` until it passes. Fails the test, with the last reason
    /// `check` gave and the server's output, if the server exits or the
    /// wait runs out.
    fn until(&mut self, what: &str, mut check: impl FnMut(&Serve) -> Result<(), String>) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let last = match check(self) {
                Ok(()) => return,
                Err(e) => e,
            };
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "gongkai serve exited with {status} while waiting for {what}; last seen: {last}\n{}",
                    self.logs()
                );
            }
            if Instant::now() > deadline {
                panic!("gave up waiting for {what}; last seen: {last}\n{}", self.logs());
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits until the server acts on changes: saves `content/guide.md`
    /// unchanged, again if need be, until a rebuild line names it. The
    /// `serving` line comes before the watcher is set up (a bug, see
    /// `an_edit_right_after_the_serving_line_is_seen`), so the other tests
    /// call this before their first edit to test one thing at a time.
    fn watching(&mut self, site: &Site) {
        const PROBE: &str = "content/guide.md";
        let text = site.read(PROBE);
        let deadline = Instant::now() + PATIENCE;
        loop {
            let n = self.stdout_len();
            site.save(PROBE, &text);
            let round = Instant::now() + Duration::from_secs(2);
            while Instant::now() < round {
                let seen = {
                    let lines = self.stdout.lock().unwrap_or_else(|e| e.into_inner());
                    lines[n..]
                        .iter()
                        .any(|l| l.starts_with("changed ") && l.contains(PROBE))
                };
                if seen {
                    return;
                }
                self.assert_alive("while waiting for the watcher");
                std::thread::sleep(POLL);
            }
            assert!(
                Instant::now() < deadline,
                "gongkai serve never noticed a save of {PROBE}\n{}",
                self.logs()
            );
        }
    }

    /// Waits for a rebuild line (`changed …`) naming `file` printed after
    /// stdout line number `after`: the rebuild that includes it is finished.
    fn rebuilt(&mut self, after: usize, file: &str) {
        self.until(&format!("a rebuild line naming {file}"), |s| {
            let lines = s.stdout.lock().unwrap_or_else(|e| e.into_inner());
            if lines[after.min(lines.len())..]
                .iter()
                .any(|l| l.starts_with("changed ") && l.contains(file))
            {
                Ok(())
            } else {
                Err(format!("stdout since: {:?}", &lines[after.min(lines.len())..]))
            }
        });
    }

    fn get(&self, raw_path: &str) -> Result<Response, String> {
        http_get(self.port, raw_path).map_err(|e| format!("GET {raw_path}: {e}"))
    }

    /// The body of a page answered with 200, as the server sends it.
    fn page(&self, raw_path: &str) -> Result<String, String> {
        let r = self.get(raw_path)?;
        if r.status != 200 {
            return Err(format!("GET {raw_path}: status {}", r.status));
        }
        Ok(r.text())
    }

    fn status(&self, raw_path: &str) -> Result<u16, String> {
        Ok(self.get(raw_path)?.status)
    }
}

// ---------------------------------------------------------------------------
// A tiny HTTP/1.1 client

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The request line and headers of a GET of `raw_path`, sent verbatim.
fn request_head(port: u16, raw_path: &str) -> String {
    format!("GET {raw_path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
}

/// GETs `raw_path` (sent exactly as given) and reads the response to its end.
fn http_get(port: u16, raw_path: &str) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(PATIENCE))?;
    stream.set_write_timeout(Some(PATIENCE))?;
    stream.write_all(request_head(port, raw_path).as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The status line and headers of a response head (without the blank line).
fn parse_head(head: &str) -> std::io::Result<(u16, Vec<(String, String)>)> {
    let bad = |what: &str| std::io::Error::other(format!("{what}: {head:?}"));
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    if !status_line.starts_with("HTTP/1.") {
        return Err(bad("no HTTP status line"));
    }
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status code"))?;
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':').ok_or_else(|| bad("a header without `:`"))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    Ok((status, headers))
}

fn parse_response(raw: &[u8]) -> std::io::Result<Response> {
    let end = find(raw, b"\r\n\r\n").ok_or_else(|| std::io::Error::other("no end of headers"))?;
    let (status, headers) = parse_head(&String::from_utf8_lossy(&raw[..end]))?;
    let rest = &raw[end + 4..];
    let mut response = Response {
        status,
        headers,
        body: Vec::new(),
    };
    if response
        .header("Transfer-Encoding")
        .is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
    {
        response.body = dechunk(rest)?;
    } else if let Some(len) = response.header("Content-Length") {
        let len: usize = len.parse().map_err(|_| std::io::Error::other("a bad Content-Length"))?;
        if rest.len() < len {
            return Err(std::io::Error::other(format!(
                "body cut short: {} of {len} bytes",
                rest.len()
            )));
        }
        response.body = rest[..len].to_vec();
    } else {
        response.body = rest.to_vec();
    }
    Ok(response)
}

fn dechunk(mut raw: &[u8]) -> std::io::Result<Vec<u8>> {
    let bad = || std::io::Error::other("a bad chunk");
    let mut body = Vec::new();
    loop {
        let eol = find(raw, b"\r\n").ok_or_else(bad)?;
        let size = std::str::from_utf8(&raw[..eol]).map_err(|_| bad())?;
        let size = usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16).map_err(|_| bad())?;
        raw = &raw[eol + 2..];
        if size == 0 {
            return Ok(body);
        }
        if raw.len() < size + 2 {
            return Err(bad());
        }
        body.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

// ---------------------------------------------------------------------------
// Reading pages

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("selector {s}: {e:?}"))
}

fn text_of(e: scraper::ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// The text of the table cell whose `headers` attribute is exactly `headers`.
/// The text of the number cell named by `spec`, `table-id#header|header…`:
/// the cell of that table whose headers, as the HTML table model gives them
/// (`common::html_table`), are exactly those.
fn cell(html: &str, spec: &str) -> Option<String> {
    let (id, headers) = spec.split_once('#')?;
    let want: std::collections::BTreeSet<String> = headers.split('|').map(str::to_string).collect();
    let doc = Html::parse_document(html);
    let table = doc.select(&sel(&format!("table[id=\"{id}\"]"))).next()?;
    common::html_table::data_cells(table)
        .into_iter()
        .find(|c| c.headers == want)
        .map(|c| c.text)
}

/// Whether the cell `headers` of `html` holds `want`; the reason if not.
fn cell_is(page: &str, html: &str, headers: &str, want: &str) -> Result<(), String> {
    match cell(html, headers) {
        Some(v) if v == want => Ok(()),
        other => Err(format!("{page}: cell [{headers}] holds {other:?}, want {want:?}")),
    }
}

/// The text of the error overlay, if the page has one.
fn overlay(html: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    let found = doc.select(&sel("#gongkai-overlay")).next().map(text_of);
    found
}

/// The `href`s of every link of the page that contain `part`.
fn links_with(html: &str, part: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let found = doc
        .select(&sel("a[href]"))
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| h.contains(part))
        .map(str::to_string)
        .collect();
    found
}

/// In the list tables (`table.list`) of the page: the cell under the column
/// headed `column`, in the row that links to a URL containing `row_link`.
fn list_value(html: &str, row_link: &str, column: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    let found = doc.select(&sel("table.list")).find_map(|table| {
        let index = table.select(&sel("thead th")).position(|th| text_of(th) == column)?;
        table
            .select(&sel("tbody tr"))
            .find(|tr| {
                tr.select(&sel("a[href]"))
                    .any(|a| a.value().attr("href").is_some_and(|h| h.contains(row_link)))
            })
            .and_then(|tr| tr.select(&sel("th, td")).nth(index))
            .map(text_of)
    });
    found
}

fn list_is(page: &str, html: &str, row_link: &str, column: &str, want: &str) -> Result<(), String> {
    match list_value(html, row_link, column) {
        Some(v) if v == want => Ok(()),
        other => Err(format!(
            "{page}: list row {row_link}, column {column} holds {other:?}, want {want:?}"
        )),
    }
}

// ---------------------------------------------------------------------------
// The tests

const JIA_2023: &str = "content/reports/jia/2023.md";
/// 行政复议 总计 in table 四.
const REVIEW_TOTAL: &str = "t4#行政复议|总计";
/// 行政复议 尚未审结 in table 四.
const REVIEW_PENDING: &str = "t4#行政复议|尚未审结";
/// 行政许可's count in table 二.
const LICENSING: &str = "t2#第二十条第（五）项|本年处理决定数量|行政许可";
/// The same cells in the year page's sums.
const SUM_REVIEW_TOTAL: &str = "sum-t4#行政复议|总计";
/// 一、本年新收 · 自然人 in table 三.
const NEW_PERSONS: &str = "t3#一、本年新收政府信息公开申请数量|申请人情况|自然人";
/// 四、结转下年度 · 自然人 in table 三.
const FORWARD_PERSONS: &str = "t3#四、结转下年度继续办理|申请人情况|自然人";

#[test]
fn an_edited_number_reaches_the_report_the_year_and_the_agency() {
    let site = Site::copy("serve-site");
    let mut serve = Serve::start(&site.root);
    serve.watching(&site);

    let report = serve.page("/reports/jia/2023/").unwrap();
    cell_is("report", &report, REVIEW_TOTAL, "4001").unwrap();
    let year = serve.page("/years/2023/").unwrap();
    cell_is("year", &year, SUM_REVIEW_TOTAL, "11008").unwrap();
    list_is("year", &year, "reports/jia/2023/", "行政复议", "4001").unwrap();
    let agency = serve.page("/agencies/jia/").unwrap();
    list_is("agency", &agency, "reports/jia/2023/", "行政复议", "4001").unwrap();

    // 4001 + 4999 = 9000; the year's sum becomes 9000 + 7007.
    site.edit(
        JIA_2023,
        "review:            [4001, 0, 0, 0, 4001]",
        "review:            [4001, 0, 0, 4999, 9000]",
    );

    serve.until("the report to show the new numbers", |s| {
        let html = s.page("/reports/jia/2023/")?;
        cell_is("report", &html, REVIEW_TOTAL, "9000")?;
        cell_is("report", &html, REVIEW_PENDING, "4999")
    });
    serve.until("the year page to show the new sum and row", |s| {
        let html = s.page("/years/2023/")?;
        cell_is("year", &html, SUM_REVIEW_TOTAL, "16007")?;
        list_is("year", &html, "reports/jia/2023/", "行政复议", "9000")
    });
    serve.until("the agency page to show the new number", |s| {
        let html = s.page("/agencies/jia/")?;
        list_is("agency", &html, "reports/jia/2023/", "行政复议", "9000")
    });
    assert!(overlay(&serve.page("/reports/jia/2023/").unwrap()).is_none());
    serve.assert_alive("after the edit");
}

#[test]
fn an_error_shows_the_overlay_everywhere_and_keeps_the_last_good_numbers() {
    let site = Site::copy("serve-site");
    let mut serve = Serve::start(&site.root);
    serve.watching(&site);
    let pages = ["/reports/jia/2023/", "/", "/reports/yi/2023/"];
    for p in pages {
        assert!(
            overlay(&serve.page(p).unwrap()).is_none(),
            "{p} has an overlay before any error"
        );
    }

    // 一 新收 318 + 二 上年结转 0 ≠ 三（七）总计 300 + 四 结转下年度 17: R01.
    site.edit(
        JIA_2023,
        "new:             [317, 5, 0, 0, 0, 0, 322]",
        "new:             [318, 5, 0, 0, 0, 0, 323]",
    );
    for p in pages {
        serve.until(&format!("the R01 overlay on {p}"), |s| {
            let html = s.page(p)?;
            match overlay(&html) {
                Some(t) if t.contains("error[R01]") && t.contains(JIA_2023) => Ok(()),
                other => Err(format!("{p}: overlay {other:?}")),
            }
        });
    }
    let report = serve.page("/reports/jia/2023/").unwrap();
    cell_is("report (while in error)", &report, NEW_PERSONS, "317").unwrap();
    cell_is("report (while in error)", &report, FORWARD_PERSONS, "17").unwrap();
    serve.assert_alive("with an error in the content");

    // Balanced again: 318 = 300 + 18.
    let text = site.read(JIA_2023).replacen(
        "carried_forward: [17, 0, 0, 0, 0, 0, 17]",
        "carried_forward: [18, 0, 0, 0, 0, 0, 18]",
        1,
    );
    site.save(JIA_2023, &text);
    for p in pages {
        serve.until(&format!("the overlay to leave {p}"), |s| match overlay(&s.page(p)?) {
            None => Ok(()),
            Some(t) => Err(format!("{p}: overlay still shown: {t}")),
        });
    }
    serve.until("the report to show the fixed numbers", |s| {
        let html = s.page("/reports/jia/2023/")?;
        cell_is("report", &html, NEW_PERSONS, "318")?;
        cell_is("report", &html, FORWARD_PERSONS, "18")
    });
    serve.assert_alive("after the fix");
}

#[test]
fn a_deleted_report_is_gone_from_its_url_the_year_and_the_agency() {
    let site = Site::copy("serve-site");
    let mut serve = Serve::start(&site.root);
    serve.watching(&site);
    assert_eq!(serve.status("/reports/jia/2022/").unwrap(), 200);
    let year = serve.page("/years/2022/").unwrap();
    assert!(
        !links_with(&year, "reports/jia/2022").is_empty(),
        "the year page lists jia 2022"
    );
    assert!(year.contains("测试县甲局"));
    let agency = serve.page("/agencies/jia/").unwrap();
    assert!(
        !links_with(&agency, "reports/jia/2022").is_empty(),
        "the agency page links jia 2022"
    );

    site.remove("content/reports/jia/2022.md");

    serve.until("the deleted report to answer 404", |s| {
        match s.status("/reports/jia/2022/")? {
            404 => Ok(()),
            other => Err(format!("status {other}")),
        }
    });
    serve.until("the year page to drop the report", |s| {
        let html = s.page("/years/2022/")?;
        let links = links_with(&html, "reports/jia/2022");
        if !links.is_empty() {
            return Err(format!("years/2022 still links {links:?}"));
        }
        if html.contains("测试县甲局") {
            return Err("years/2022 still names 测试县甲局".into());
        }
        // The other report of that year stays.
        match links_with(&html, "reports/yi/2022").is_empty() {
            true => Err("years/2022 lost yi 2022".into()),
            false => Ok(()),
        }
    });
    serve.until("the agency page to drop the link", |s| {
        let html = s.page("/agencies/jia/")?;
        let links = links_with(&html, "reports/jia/2022");
        match links.is_empty() && !links_with(&html, "reports/jia/2023").is_empty() {
            true => Ok(()),
            false => Err(format!("agencies/jia links {links:?}")),
        }
    });
    serve.until("the 2023 report to drop its link to 2022", |s| {
        let links = links_with(&s.page("/reports/jia/2023/")?, "reports/jia/2022");
        match links.is_empty() {
            true => Ok(()),
            false => Err(format!("reports/jia/2023 links {links:?}")),
        }
    });
    serve.assert_alive("after the deletion");
}

#[test]
fn paths_out_of_the_output_are_refused_and_folders_are_redirected() {
    let site = Site::copy("serve-site");
    let mut serve = Serve::start(&site.root);
    serve.watching(&site);
    assert_eq!(serve.root, site.root.canonicalize().unwrap());
    assert!(site.read("site.toml").contains(SITE_TOML_MARKER));
    for raw in [
        // The sources are not the preview.
        "/site.toml",
        "/content/guide.md",
        "/content/reports/jia/2023.md",
        "/guide.md",
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E%2Fsite.toml",
        "/reports/..%2f..%2f..%2fsite.toml",
        "/..\\site.toml",
        "/%00",
        "/reports/../../site.toml",
        "/%2e%2e%5csite.toml",
        "/reports/jia/..%2F..%2F..%2F..%2Fsite.toml",
    ] {
        let r = serve.get(raw).unwrap();
        assert!(
            r.status == 400 || r.status == 404,
            "GET {raw}: status {}, want 400 or 404",
            r.status
        );
        let body = r.text();
        assert!(
            !body.contains(SITE_TOML_MARKER) && !body.contains("title = \"预览测试门户\""),
            "GET {raw} served site.toml:\n{body}"
        );
    }
    for (raw, to) in [("/reports/jia/2023", "/reports/jia/2023/"), ("/agencies", "/agencies/")] {
        let r = serve.get(raw).unwrap();
        assert_eq!(r.status, 301, "GET {raw}");
        let location = r.header("Location").unwrap_or_else(|| panic!("GET {raw}: no Location"));
        assert!(location.ends_with(to), "GET {raw}: Location {location}, want …{to}");
    }
    assert_eq!(serve.status("/reports/jia/2023/").unwrap(), 200);
    serve.assert_alive("after the refused requests");
}

#[test]
fn content_types_live_reload_script_and_event_stream() {
    let site = Site::copy("serve-site");
    let mut serve = Serve::start(&site.root);
    serve.watching(&site);
    for (path, want) in [
        ("/", "text/html"),
        ("/reports/jia/2023/", "text/html"),
        ("/style.css", "text/css"),
        ("/sitemap.xml", "application/xml"),
    ] {
        let r = serve.get(path).unwrap();
        assert_eq!(r.status, 200, "GET {path}");
        let ctype = r
            .header("Content-Type")
            .unwrap_or_else(|| panic!("GET {path}: no Content-Type"));
        let lower = ctype.to_ascii_lowercase().replace(' ', "");
        assert!(
            lower.starts_with(want) && lower.contains("charset=utf-8"),
            "GET {path}: Content-Type {ctype}, want {want}; charset=utf-8"
        );
    }
    for (path, file) in [
        ("/", "index.html"),
        ("/reports/jia/2023/", "reports/jia/2023/index.html"),
    ] {
        let served = serve.page(path).unwrap();
        assert!(
            served.contains("/__gongkai/events"),
            "GET {path}: no live-reload script"
        );
        // Served from memory: the page is there, its file is not.
        let raw = serve.page(&format!("/{file}")).unwrap();
        assert_eq!(raw, served, "/{file} is the page {path}");
        assert!(!site.path("public").exists(), "serve wrote public/");
    }
    assert!(!serve.page("/sitemap.xml").unwrap().contains("__gongkai"));

    // The event stream: subscribe, then edit, then an event arrives.
    let mut stream = TcpStream::connect(("127.0.0.1", serve.port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    stream
        .write_all(request_head(serve.port, "/__gongkai/events").as_bytes())
        .unwrap();
    let mut got: Vec<u8> = Vec::new();
    let read_until = |got: &mut Vec<u8>, stream: &mut TcpStream, what: &str, done: &dyn Fn(&[u8]) -> bool| {
        let deadline = Instant::now() + PATIENCE;
        let mut buf = [0u8; 4096];
        while !done(got) {
            assert!(
                Instant::now() < deadline,
                "the event stream sent no {what}; got {:?}",
                String::from_utf8_lossy(got)
            );
            match stream.read(&mut buf) {
                Ok(0) => panic!("the event stream closed; got {:?}", String::from_utf8_lossy(got)),
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
                Err(e) => panic!("reading the event stream: {e}"),
            }
        }
    };
    read_until(&mut got, &mut stream, "head and `: connected`", &|g| {
        find(g, b"\r\n\r\n").is_some_and(|end| find(&g[end..], b": connected").is_some())
    });
    let end = find(&got, b"\r\n\r\n").unwrap();
    let (status, headers) = parse_head(&String::from_utf8_lossy(&got[..end])).unwrap();
    assert_eq!(status, 200);
    let ctype = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Content-Type"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    assert!(ctype.starts_with("text/event-stream"), "events: Content-Type {ctype}");
    let before = got.len();
    assert!(find(&got[end..], b"data:").is_none(), "an event before any edit");

    site.edit(JIA_2023, "licensing: 3301", "licensing: 3399");
    read_until(&mut got, &mut stream, "`data:` line after the edit", &|g| {
        g[before..]
            .split(|b| *b == b'\n')
            .any(|line| line.starts_with(b"data:"))
    });
    serve.until("the report to show the edit", |s| {
        cell_is("report", &s.page("/reports/jia/2023/")?, LICENSING, "3399")
    });
    serve.assert_alive("after the event stream");
}

#[test]
fn served_pages_equal_a_fresh_build_after_edits() {
    let site = Site::copy("serve-site");
    let mut serve = Serve::start(&site.root);
    serve.watching(&site);
    let base_url = format!("http://127.0.0.1:{}/", serve.port);

    // An ordinary page's title (in the navigation of every page).
    let n = serve.stdout_len();
    site.edit("content/guide.md", "title: 使用说明", "title: 平台使用说明");
    serve.rebuilt(n, "content/guide.md");
    serve.until("the new title", |s| {
        match s.page("/guide/")?.contains("<h1>平台使用说明</h1>") {
            true => Ok(()),
            false => Err("guide: old title".into()),
        }
    });

    // A new report of a new agency, in an existing folder.
    let n = serve.stdout_len();
    let bing = site
        .read("content/reports/yi/2023.md")
        .replace("测试县乙镇人民政府", "测试县丙局")
        .replace("agency_slug: yi", "agency_slug: bing")
        .replace("level: township", "level: department")
        .replace("乙镇", "丙局")
        .replace("[3, 0, 0, 0, 0, 0, 3]", "[0, 0, 0, 0, 0, 0, 0]")
        .replace("[603, 0, 0, 0, 0, 0, 603]", "[606, 0, 0, 0, 0, 0, 606]");
    site.save("content/reports/bing-2023.md", &bing);
    serve.rebuilt(n, "content/reports/bing-2023.md");
    serve.until("the new agency's report", |s| {
        let html = s.page("/reports/bing/2023/")?;
        match overlay(&html) {
            Some(t) => Err(format!("overlay: {t}")),
            None => s.page("/agencies/bing/").map(|_| ()),
        }
    });

    // Another report deleted.
    let n = serve.stdout_len();
    site.remove("content/reports/yi/2022.md");
    serve.rebuilt(n, "content/reports/yi/2022.md");
    serve.until("the deleted report to answer 404", |s| {
        match s.status("/reports/yi/2022/")? {
            404 => Ok(()),
            other => Err(format!("status {other}")),
        }
    });

    // A new asset, linked from the page.
    let n = serve.stdout_len();
    std::fs::write(site.path("content/notice.pdf"), b"%PDF-1.4\n%gongkai serve test\n").unwrap();
    serve.rebuilt(n, "content/notice.pdf");
    let n = serve.stdout_len();
    site.edit(
        "content/guide.md",
        "可从[机关名录](/agencies/)查找。",
        "可从[机关名录](/agencies/)查找，另见[通知原件](/notice.pdf)。",
    );
    serve.rebuilt(n, "content/guide.md");
    serve.until("the asset and its link", |s| {
        let pdf = s.get("/notice.pdf")?;
        if pdf.status != 200 || !pdf.body.starts_with(b"%PDF-1.4") {
            return Err(format!("notice.pdf: status {}", pdf.status));
        }
        match links_with(&s.page("/guide/")?, "notice.pdf").is_empty() {
            true => Err("guide: no link to notice.pdf".into()),
            false => Ok(()),
        }
    });

    // Last, a number that shows on the report, its year, its agency and the
    // home page: 350 = 300 + 50.
    let n = serve.stdout_len();
    let text = site
        .read(JIA_2023)
        .replacen("[317, 5, 0, 0, 0, 0, 322]", "[350, 5, 0, 0, 0, 0, 355]", 1)
        .replacen("[17, 0, 0, 0, 0, 0, 17]", "[50, 0, 0, 0, 0, 0, 50]", 1);
    site.save(JIA_2023, &text);
    serve.rebuilt(n, JIA_2023);
    serve.until("the new number", |s| {
        cell_is("report", &s.page("/reports/jia/2023/")?, NEW_PERSONS, "350")
    });
    // The search index is written again once the edits pause.
    serve.until("the search index to catch up", |s| {
        let lines = s.stdout.lock().unwrap_or_else(|e| e.into_inner());
        if lines[n.min(lines.len())..]
            .iter()
            .any(|l| l.starts_with("updated the search index"))
        {
            Ok(())
        } else {
            Err(format!("stdout since: {:?}", &lines[n.min(lines.len())..]))
        }
    });
    serve.assert_alive("after the edits");

    // Every file of a fresh build, asked for by its URL, is served with the
    // same bytes (HTML pages with the live-reload script added, nothing else).
    let fresh = site.beside("fresh");
    let build = gongkai()
        .arg("build")
        .arg("--root")
        .arg(&site.root)
        .arg("-o")
        .arg(&fresh)
        .args(["--base-url", &base_url])
        .output()
        .expect("gongkai build runs");
    assert!(
        build.status.success(),
        "gongkai build failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let fresh_files = common::files_except(&fresh, |name| name == ".gongkai-output");
    assert!(fresh_files.contains_key("reports/bing/2023/index.html"));
    assert!(fresh_files.contains_key("notice.pdf"));
    assert!(fresh_files.keys().any(|f| f.starts_with("search/t/")));
    let mut diff = Vec::new();
    for (name, bytes) in &fresh_files {
        let url: String = format!("/{name}")
            .bytes()
            .map(|b| match b {
                b'/' | b'.' | b'-' | b'_' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect();
        let r = serve.get(&url).unwrap();
        let want = if name.ends_with(".html") {
            gongkai::serve::inject(&String::from_utf8_lossy(bytes), None).into_bytes()
        } else {
            bytes.clone()
        };
        if r.status != 200 {
            diff.push(format!("{url}: status {}", r.status));
        } else if r.body != want {
            let (a, b) = (String::from_utf8_lossy(&r.body), String::from_utf8_lossy(&want));
            let first = a
                .lines()
                .zip(b.lines())
                .enumerate()
                .find(|(_, (x, y))| x != y)
                .map_or_else(
                    || format!("{} lines served, {} built", a.lines().count(), b.lines().count()),
                    |(i, (x, y))| format!("line {}:\n    served: {x}\n    built:  {y}", i + 1),
                );
            diff.push(format!("differs: {url}: {first}"));
        }
    }
    assert!(
        diff.is_empty(),
        "the preview differs from a fresh build ({} files built):\n{}",
        fresh_files.len(),
        diff.join("\n")
    );
    assert!(!site.path("public").exists(), "serve wrote public/");
}

#[test]
fn a_port_in_use_is_refused_with_status_2() {
    let site = Site::copy("serve-site");
    let taken = TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().unwrap().port();
    let log = match Serve::spawn(&site.root, port, &[]) {
        Ok(s) => panic!("gongkai serve started on a port in use:\n{}", s.logs()),
        Err(log) => log,
    };
    assert!(
        log.starts_with("exited with exit status: 2\n"),
        "want exit status 2:\n{log}"
    );
    assert!(
        log.contains("already in use"),
        "stderr should say the port is in use:\n{log}"
    );
    assert!(log.contains(&port.to_string()), "stderr should name the port:\n{log}");
    drop(taken);
}

#[test]
fn serve_survives_bursts_new_folders_a_vanishing_content_folder_and_half_written_files() {
    let site = Site::copy("serve-site");
    let mut serve = Serve::start(&site.root);
    serve.watching(&site);

    // A burst of 100 saves of one report; the last one wins.
    let original = site.read(JIA_2023);
    let from = "review:            [4001, 0, 0, 0, 4001]";
    assert!(original.contains(from));
    for i in 1..=100 {
        let to = format!("review:            [4001, 0, 0, {i}, {}]", 4001 + i);
        site.save(JIA_2023, &original.replacen(from, &to, 1));
        std::thread::sleep(Duration::from_millis(3));
    }
    serve.until("the last number of the burst", |s| {
        let html = s.page("/reports/jia/2023/")?;
        cell_is("report", &html, REVIEW_PENDING, "100")?;
        cell_is("report", &html, REVIEW_TOTAL, "4101")
    });
    serve.assert_alive("after the burst");

    // A new agency in a new folder.
    std::fs::create_dir_all(site.path("content/reports/bing")).unwrap();
    let bing = site
        .read("content/reports/jia/2022.md")
        .replace("测试县甲局", "测试县丙局")
        .replace("agency_slug: jia", "agency_slug: bing")
        .replace("甲局", "丙局");
    site.save("content/reports/bing/2022.md", &bing);
    serve.until("the new agency's report", |s| {
        let html = s.page("/reports/bing/2022/")?;
        if !html.contains("测试县丙局") {
            return Err("reports/bing/2022 does not name 测试县丙局".into());
        }
        s.page("/agencies/bing/").map(|_| ())
    });

    // content/ renamed away: a site without content/ is an error (as in
    // `build`), shown over the last good pages; renamed back: all is well.
    site.rename("content", "content.bak");
    serve.until("an overlay saying content/ is gone", |s| {
        let home = s.page("/")?;
        match overlay(&home) {
            Some(t) if t.contains("no content folder") && !links_with(&home, "reports/jia/").is_empty() => Ok(()),
            other => Err(format!("home overlay: {other:?}")),
        }
    });
    serve.assert_alive("with content/ gone");
    site.rename("content.bak", "content");
    serve.until("the reports to come back", |s| {
        let home = s.page("/")?;
        for r in ["reports/jia/2023/", "reports/yi/2023/", "reports/bing/2022/"] {
            if links_with(&home, r).is_empty() {
                return Err(format!("home does not link {r}"));
            }
        }
        if let Some(t) = overlay(&home) {
            return Err(format!("overlay: {t}"));
        }
        cell_is("report", &s.page("/reports/jia/2023/")?, REVIEW_TOTAL, "4101")
    });

    // A half-written file (cut in the middle of its front matter), then the whole file.
    let yi = "content/reports/yi/2023.md";
    let full = site.read(yi);
    let cut = full.find("requests:").expect("a requests block") + 14;
    std::fs::write(site.path(yi), &full.as_bytes()[..cut]).unwrap();
    serve.until("an overlay for the half-written file", |s| {
        match overlay(&s.page("/")?) {
            Some(t) if t.contains("error[") && t.contains(yi) => Ok(()),
            other => Err(format!("home overlay: {other:?}")),
        }
    });
    assert_eq!(
        serve.status("/reports/yi/2023/").unwrap(),
        200,
        "the last good page stays"
    );
    std::fs::write(site.path(yi), &full).unwrap();
    serve.until("the overlay to leave", |s| {
        for p in ["/", "/reports/yi/2023/"] {
            if let Some(t) = overlay(&s.page(p)?) {
                return Err(format!("{p}: overlay {t}"));
            }
        }
        cell_is("report", &s.page("/reports/yi/2023/")?, REVIEW_TOTAL, "7007")
    });

    // Still watching: one more edit arrives.
    site.edit(JIA_2023, "licensing: 3301", "licensing: 3377");
    serve.until("an edit after all that", |s| {
        cell_is("report", &s.page("/reports/jia/2023/")?, LICENSING, "3377")
    });
    serve.assert_alive("at the end");
}

/// Bug: `serve` prints `serving …` before it creates the watcher
/// (`println!`, then `Watcher::new` and `refresh`), so a save made in that
/// moment is never seen, though the preview says it is live.
#[test]
fn an_edit_right_after_the_serving_line_is_seen() {
    let site = Site::copy("serve-site");
    // The site's own style sheet, and many folders under content/: setting up
    // the watches of content/ takes a moment, and static/ is watched after it.
    std::fs::create_dir_all(site.path("static")).unwrap();
    std::fs::write(site.path("static/style.css"), "/* version 1 */\nbody { margin: 0 }\n").unwrap();
    for i in 0..2000 {
        std::fs::create_dir_all(site.path(&format!("content/archive/{:02}/{i}", i % 50))).unwrap();
    }
    let mut serve = Serve::start(&site.root);
    // No request, no pause: `serving` means the preview is live.
    site.save("static/style.css", "/* version 2 */\nbody { margin: 0 }\n");
    serve.until("the edit made right after `serving`", |s| {
        let css = s.page("/style.css")?;
        match css.contains("version 2") {
            true => Ok(()),
            false => Err(format!("style.css: {css:?}")),
        }
    });
}

/// Bug: `Live::apply` sets `failure = None` on every change, so any edit of
/// content clears the overlay of a broken `site.toml` (or template) that is
/// still broken.
#[test]
fn a_broken_site_toml_keeps_its_overlay_until_it_is_fixed() {
    let site = Site::copy("serve-site");
    let mut serve = Serve::start(&site.root);
    serve.watching(&site);
    let good = site.read("site.toml");
    // A key given twice: not TOML.
    site.save("site.toml", &format!("{good}title = \"又一个标题\"\n"));
    serve.until("the overlay for site.toml", |s| match overlay(&s.page("/")?) {
        Some(t) if t.contains("site.toml") => Ok(()),
        other => Err(format!("home overlay: {other:?}")),
    });

    // An edit of a report while site.toml is still broken.
    let n = serve.stdout_len();
    site.edit(JIA_2023, "licensing: 3301", "licensing: 3366");
    serve.rebuilt(n, JIA_2023);
    for p in ["/", "/reports/jia/2023/"] {
        let html = serve.page(p).unwrap();
        assert!(
            overlay(&html).is_some_and(|t| t.contains("site.toml")),
            "{p}: the overlay for the broken site.toml is gone while site.toml is still broken; overlay: {:?}\n{}",
            overlay(&html),
            serve.logs()
        );
    }

    site.save("site.toml", &good);
    serve.until("the overlay to leave and the edit to show", |s| {
        let html = s.page("/reports/jia/2023/")?;
        if let Some(t) = overlay(&html) {
            return Err(format!("overlay: {t}"));
        }
        cell_is("report", &html, LICENSING, "3366")
    });
}

/// The same bug as above, through the template path (`Theme::load` fails).
#[test]
fn a_broken_template_keeps_its_overlay_until_it_is_fixed() {
    let site = Site::copy("serve-site");
    let theme_page =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/page.html"))
            .unwrap();
    std::fs::create_dir_all(site.path("templates")).unwrap();
    std::fs::write(site.path("templates/page.html"), &theme_page).unwrap();
    let mut serve = Serve::start(&site.root);
    serve.watching(&site);

    site.save("templates/page.html", &format!("{theme_page}\n{{% if %}}\n"));
    serve.until("the overlay for the template", |s| match overlay(&s.page("/")?) {
        Some(t) if t.contains("page.html") => Ok(()),
        other => Err(format!("home overlay: {other:?}")),
    });

    // An edit of a report while the template is still broken.
    let n = serve.stdout_len();
    site.edit(JIA_2023, "licensing: 3301", "licensing: 3355");
    serve.rebuilt(n, JIA_2023);
    for p in ["/", "/reports/jia/2023/"] {
        let html = serve.page(p).unwrap();
        assert!(
            overlay(&html).is_some_and(|t| t.contains("page.html")),
            "{p}: the overlay for the broken template is gone while the template is still broken; overlay: {:?}\n{}",
            overlay(&html),
            serve.logs()
        );
    }

    site.save("templates/page.html", &theme_page);
    serve.until("the overlay to leave and the edit to show", |s| {
        let html = s.page("/reports/jia/2023/")?;
        if let Some(t) = overlay(&html) {
            return Err(format!("overlay: {t}"));
        }
        cell_is("report", &html, LICENSING, "3355")
    });
}

/// Bug: `Live::apply` takes a path under content/ that is gone for a folder
/// only when its name has no dot; `content/reports/yi.town` moved away is
/// taken for an asset, nothing is read again, and its reports stay served.
#[test]
fn a_folder_moved_out_of_content_takes_its_reports_along() {
    let site = Site::copy("serve-site");
    // Where a report lives under content/ is free; a folder name may hold a dot.
    site.rename("content/reports/yi", "content/reports/yi.town");
    let mut serve = Serve::start(&site.root);
    serve.watching(&site);
    for p in ["/reports/jia/2023/", "/reports/yi/2023/"] {
        assert_eq!(serve.status(p).unwrap(), 200, "{p}");
    }
    // As a file manager's "move to trash" does: the folder leaves the site.
    for (folder, slug) in [("jia", "jia"), ("yi.town", "yi")] {
        std::fs::rename(site.path(&format!("content/reports/{folder}")), site.beside(folder)).unwrap();
        serve.until(&format!("the reports of content/reports/{folder} to go"), |s| {
            for year in [2022, 2023] {
                let status = s.status(&format!("/reports/{slug}/{year}/"))?;
                if status != 404 {
                    return Err(format!("/reports/{slug}/{year}/: status {status}"));
                }
            }
            let links = links_with(&s.page("/")?, &format!("reports/{slug}/"));
            match links.is_empty() {
                true => Ok(()),
                false => Err(format!("home still links {links:?}")),
            }
        });
    }
}

/// `--poll` (for network drives) sees an edit and a deletion.
#[test]
fn poll_mode_sees_edits() {
    let site = Site::copy("serve-site");
    let mut serve = Serve::start_with(&site.root, &["--poll".to_string()]);
    serve.watching(&site);
    site.edit(
        JIA_2023,
        "review:            [4001, 0, 0, 0, 4001]",
        "review:            [4001, 0, 0, 4999, 9000]",
    );
    serve.until("the report to show the new number", |s| {
        cell_is("report", &s.page("/reports/jia/2023/")?, REVIEW_TOTAL, "9000")
    });
    site.remove("content/reports/jia/2022.md");
    serve.until("the deleted report to answer 404", |s| {
        match s.status("/reports/jia/2022/")? {
            404 => Ok(()),
            other => Err(format!("status {other}")),
        }
    });
}

/// Bug: a full rebuild moves the previous output to `.NAME.old-PID` and
/// deletes it on a background thread (`Staging::commit(true)`); a second full
/// rebuild before that deletion ends renames the output onto the same,
/// still non-empty, name and fails with `Directory not empty (os error 39)`.
/// (How long the deletion takes depends on the disk: on a fast one this test
/// may pass without the fix.)
#[test]
fn full_rebuilds_in_quick_succession_do_not_collide() {
    let site = Site::copy("serve-site");
    // A large output, so that deleting the previous one takes a while.
    let dir = site.path("content/reports/generated");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..1000 {
        let text = format!(
            "---\nformat: gov-2021\nagency: 生成机关{i}号\nagency_slug: gen{i}\nyear: 2023\npublished: 2024-01-18\nlevel: department\n---\n\n## 一、总体情况\n\n机关{i}号的总体情况。\n\n## 五、存在的主要问题及改进情况\n\n问题{i}。\n\n## 六、其他需要报告的事项\n\n无{i}。\n"
        );
        std::fs::write(dir.join(format!("gen{i}.md")), text).unwrap();
    }
    let mut serve = Serve::start(&site.root);
    serve.watching(&site);
    assert_eq!(serve.status("/reports/gen999/2023/").unwrap(), 200);

    // Two full rebuilds, one right after the other: the generated reports
    // go away (the large output is replaced by a small one), then site.toml
    // changes.
    let n = serve.stdout_len();
    site.rename("content/reports/generated", "generated.bak");
    let deadline = Instant::now() + PATIENCE;
    loop {
        let done = {
            let lines = serve.stdout.lock().unwrap_or_else(|e| e.into_inner());
            lines[n..].iter().any(|l| l.starts_with("changed content"))
        };
        if done {
            break;
        }
        serve.assert_alive("while the generated reports are gone");
        assert!(
            Instant::now() < deadline,
            "no rebuild after the generated reports went away\n{}",
            serve.logs()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let toml = site.read("site.toml");
    site.save("site.toml", &toml.replace("预览测试门户", "预览测试门户（新）"));
    serve.until("the new title without an error", |s| {
        let home = s.page("/")?;
        if let Some(t) = overlay(&home) {
            return Err(format!("overlay: {t}"));
        }
        match home.contains("预览测试门户（新）") {
            true => Ok(()),
            false => Err("home: old title".into()),
        }
    });
    let stderr = serve.stderr.lock().unwrap_or_else(|e| e.into_inner()).join("\n");
    assert!(!stderr.contains("error"), "{stderr}");
}

/// Bug: `serve` never runs the F07 check of `build` (`url_collisions`), so
/// it silently serves a site that `build` refuses.
#[test]
fn a_page_over_a_generated_page_is_an_error_as_in_build() {
    let site = Site::copy("serve-site");
    let mut serve = Serve::start(&site.root);
    serve.watching(&site);
    // `build` refuses this page (F07: it would be written to /agencies/index.html).
    site.save("content/agencies.md", "---\ntitle: 机关名录说明\n---\n\n说明。\n");
    let build = gongkai()
        .arg("build")
        .arg("--root")
        .arg(&site.root)
        .arg("-o")
        .arg(site.beside("fresh"))
        .output()
        .expect("gongkai build runs");
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert_eq!(build.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[F07]"), "{stderr}");

    serve.until("the F07 overlay", |s| match overlay(&s.page("/")?) {
        Some(t) if t.contains("error[F07]") && t.contains("content/agencies.md") => Ok(()),
        other => Err(format!("home overlay: {other:?}")),
    });
    let agencies = serve.page("/agencies/").unwrap();
    assert!(
        !links_with(&agencies, "agencies/jia/").is_empty() && !agencies.contains("机关名录说明"),
        "/agencies/ should still be the generated index:\n{agencies}"
    );
}

/// The preview is rendered in memory: `serve` never writes the output
/// folder `build` publishes. Without one, none appears (no staging folder,
/// no half-written file, no localhost URL left behind); with one, it is
/// byte for byte as it was, through edits, errors and full reloads.
#[test]
fn public_is_never_touched_by_serve() {
    for existing in [false, true] {
        let site = Site::copy("serve-site");
        if existing {
            let build = gongkai()
                .arg("build")
                .arg("--root")
                .arg(&site.root)
                .output()
                .expect("gongkai build runs");
            assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
        }
        let public = site.path("public");
        let before = existing.then(|| common::files(&public));
        let names_before: Vec<_> = std::fs::read_dir(&site.root)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        let mut serve = Serve::start(&site.root);
        serve.watching(&site);
        // An edit, an error and its fix, a new asset, a full reload.
        site.edit(JIA_2023, "licensing: 3301", "licensing: 3344");
        serve.until("the edit", |s| {
            cell_is("report", &s.page("/reports/jia/2023/")?, LICENSING, "3344")
        });
        site.edit(
            JIA_2023,
            "new:             [317, 5, 0, 0, 0, 0, 322]",
            "new:             [318, 5, 0, 0, 0, 0, 323]",
        );
        serve.until("the R01 overlay", |s| match overlay(&s.page("/")?) {
            Some(t) if t.contains("error[R01]") => Ok(()),
            other => Err(format!("overlay {other:?}")),
        });
        site.edit(
            JIA_2023,
            "new:             [318, 5, 0, 0, 0, 0, 323]",
            "new:             [317, 5, 0, 0, 0, 0, 322]",
        );
        std::fs::write(site.path("content/notice.pdf"), b"%PDF-1.4\n").unwrap();
        let toml = site.read("site.toml");
        site.save("site.toml", &toml.replace("预览测试门户", "预览测试门户（新）"));
        serve.until("the new title and the asset", |s| {
            let home = s.page("/")?;
            if let Some(t) = overlay(&home) {
                return Err(format!("overlay: {t}"));
            }
            match home.contains("预览测试门户（新）") && s.status("/notice.pdf")? == 200 {
                true => Ok(()),
                false => Err("home: old title, or no notice.pdf".into()),
            }
        });
        serve.assert_alive("after the edits");
        drop(serve);
        match before {
            None => assert!(!public.exists(), "serve created public/"),
            Some(before) => assert!(common::files(&public) == before, "serve changed public/"),
        }
        // Nothing beside it either (no staging or old folders).
        let names_after: Vec<_> = std::fs::read_dir(&site.root)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names_before, names_after,
            "serve added or removed something at the site's root"
        );
    }
}

/// A site with errors from the start has no good state to show: every
/// path answers an empty page with the overlay (and the live-reload
/// script), until the content is fixed.
#[test]
fn a_site_with_errors_from_the_start_shows_the_overlay_until_fixed() {
    let site = Site::copy("serve-site");
    site.edit(
        JIA_2023,
        "new:             [317, 5, 0, 0, 0, 0, 322]",
        "new:             [318, 5, 0, 0, 0, 0, 323]",
    );
    let mut serve = Serve::start(&site.root);
    // Every page URL, from the first moment: the overlay saying there is
    // nothing good to show yet, and the reload script (issue 13, item 4).
    for p in ["/", "/reports/jia/2023/", "/years/", "/no/such/page/", "/style.css"] {
        let r = serve.get(p).unwrap();
        assert_eq!(r.status, 404, "GET {p}");
        let html = r.text();
        assert!(html.contains("/__gongkai/events"), "GET {p}: no live-reload script");
        assert!(
            overlay(&html).is_some_and(|t| t.contains("error[R01]") && t.contains("nothing to show yet")),
            "GET {p}: no overlay"
        );
    }
    // The startup summary, as check prints it, and that it watches.
    serve.until("the startup summary", |s| {
        let out = s.stdout.lock().unwrap_or_else(|e| e.into_inner()).join("\n");
        let summary = out.lines().find(|l| l.starts_with("checked "));
        match summary {
            Some(l) if l.contains("2 errors, 0 warnings") && out.contains("\nwatching for changes") => Ok(()),
            _ => Err(out),
        }
    });
    site.edit(
        JIA_2023,
        "new:             [318, 5, 0, 0, 0, 0, 323]",
        "new:             [317, 5, 0, 0, 0, 0, 322]",
    );
    serve.until("the fixed site", |s| {
        let html = s.page("/reports/jia/2023/")?;
        if let Some(t) = overlay(&html) {
            return Err(format!("overlay: {t}"));
        }
        cell_is("report", &html, NEW_PERSONS, "317")
    });
    assert_eq!(serve.status("/style.css").unwrap(), 200);
}

/// A draft is previewed by default (the portal marks it as one), and left
/// out with `--no-drafts`, as `build` leaves it out (issue 13, item 9).
#[test]
fn drafts_are_previewed_unless_no_drafts() {
    let site = Site::copy("serve-site");
    site.edit(JIA_2023, "level: department", "level: department\ndraft: true");
    let serve = Serve::start(&site.root);
    assert_eq!(serve.status("/reports/jia/2023/").unwrap(), 200, "{}", serve.logs());
    drop(serve);
    let serve = Serve::start_with(&site.root, &["--no-drafts".to_string()]);
    assert_eq!(serve.status("/reports/jia/2023/").unwrap(), 404, "{}", serve.logs());
}

/// `serve --lang zh` on a site with an error: the startup summary and
/// 正在监视变更 in Chinese, and the overlay's heading too (issue 13, items
/// 1 and 4). The serving line is Chinese, so the process is run here
/// without [`Serve`].
#[test]
fn serve_speaks_chinese_under_lang_zh() {
    let site = Site::copy("serve-site");
    site.edit(
        JIA_2023,
        "new:             [317, 5, 0, 0, 0, 0, 322]",
        "new:             [318, 5, 0, 0, 0, 0, 323]",
    );
    let port = free_port();
    let mut child = gongkai()
        .args(["--lang", "zh", "serve", "--root"])
        .arg(&site.root)
        .args(["--port", &port.to_string(), "--interface", "127.0.0.1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("gongkai serve starts");
    let lines = Arc::new(Mutex::new(Vec::new()));
    drain(child.stdout.take().expect("piped stdout"), Arc::clone(&lines), None);
    let deadline = Instant::now() + PATIENCE;
    let out = loop {
        let out = lines.lock().unwrap_or_else(|e| e.into_inner()).join("\n");
        if out.contains("正在监视变更") || Instant::now() > deadline {
            break out;
        }
        std::thread::sleep(POLL);
    };
    let page = http_get(port, "/reports/jia/2023/").map(|r| r.text());
    let _ = child.kill();
    let _ = child.wait();
    assert!(out.starts_with("正在预览 "), "{out}");
    assert!(out.contains("\n已检查 4 份报告和 1 个页面"), "{out}");
    assert!(out.contains("2 个错误，0 个警告"), "{out}");
    assert!(out.contains("\n正在监视变更"), "{out}");
    let page = page.expect("the page is served");
    let text = overlay(&page).unwrap_or_default();
    assert!(
        text.contains("暂无可显示的页面") && text.contains("错误[R01]"),
        "{text}"
    );
}

/// Bug: the pages an edit touched were taken out of the list to render
/// (`mem::take`) before they were rendered and written; when that failed
/// (here: a write into the output refused), they were never rendered again,
/// and the preview kept showing the old page after later edits. Now a
/// page is rendered when asked for, from the last good state, and nothing
/// is written, so no failure of a write can lose a page.
#[test]
fn a_page_whose_rendering_failed_shows_the_next_good_state() {
    let site = Site::copy("serve-site");
    let mut serve = Serve::start(&site.root);
    serve.watching(&site);
    assert!(serve.page("/guide/").unwrap().contains("可从"));
    // A folder where the guide's page would be written: writing it fails.
    std::fs::create_dir_all(site.path("public/guide/.index.html.gongkai-tmp/x")).unwrap();
    let (n, e) = (serve.stdout_len(), serve.stderr.lock().unwrap().len());
    site.edit("content/guide.md", "可从", "请从");
    serve.until("the guide's change to be taken (or refused)", |s| {
        let out = s.stdout.lock().unwrap_or_else(|e| e.into_inner());
        let err = s.stderr.lock().unwrap_or_else(|e| e.into_inner());
        match out[n.min(out.len())..].iter().any(|l| l.contains("content/guide.md"))
            || err[e.min(err.len())..].iter().any(|l| l.starts_with("error:"))
        {
            true => Ok(()),
            false => Err("no line yet".into()),
        }
    });
    std::fs::remove_dir_all(site.path("public/guide/.index.html.gongkai-tmp")).unwrap();
    // Another file changes: the guide must show its own change too.
    let n = serve.stdout_len();
    site.edit(JIA_2023, "licensing: 3301", "licensing: 3322");
    serve.rebuilt(n, JIA_2023);
    serve.until("the report's change", |s| {
        cell_is("report", &s.page("/reports/jia/2023/")?, LICENSING, "3322")
    });
    let guide = serve.page("/guide/").unwrap();
    assert!(
        guide.contains("请从") && !guide.contains("可从"),
        "the guide lost its change:\n{guide}\n{}",
        serve.logs()
    );
}

/// Bug: when a file could not be read alone (`Site::update_file` failed:
/// here the site's folder was moved away while it was saved), the report
/// was already dropped from the site and the rest of the batch was not
/// read; the next edit of another file then published the site without
/// that report. Now the site is read whole again once it can be.
#[cfg(target_os = "linux")]
#[test]
fn a_file_that_cannot_be_read_alone_is_read_with_the_whole_site_later() {
    let site = Site::copy("serve-site");
    let mut serve = Serve::start(&site.root);
    serve.watching(&site);
    let moved = site.beside("moved");
    std::fs::rename(&site.root, &moved).unwrap();
    let text = std::fs::read_to_string(moved.join(JIA_2023)).unwrap();
    let tmp = moved.join("content/reports/jia/.2023.md.tmp");
    std::fs::write(&tmp, text.replacen("licensing: 3301", "licensing: 3388", 1)).unwrap();
    std::fs::rename(&tmp, moved.join(JIA_2023)).unwrap();
    serve.until("an overlay: the site cannot be read", |s| {
        match overlay(&s.page("/")?) {
            Some(_) => Ok(()),
            None => Err("no overlay".into()),
        }
    });
    assert_eq!(
        serve.status("/reports/jia/2023/").unwrap(),
        200,
        "the last good page stays\n{}",
        serve.logs()
    );
    std::fs::rename(&moved, &site.root).unwrap();
    // Another file is saved: the whole site is read, the moved edit too.
    site.edit("content/reports/yi/2023.md", "licensing: 5501", "licensing: 5522");
    serve.until("the other file's change", |s| {
        cell_is("report", &s.page("/reports/yi/2023/")?, LICENSING, "5522")
    });
    serve.until("the first file's change, and no overlay", |s| {
        let html = s.page("/reports/jia/2023/")?;
        if let Some(t) = overlay(&html) {
            return Err(format!("overlay: {t}"));
        }
        cell_is("report", &html, LICENSING, "3388")
    });
    assert!(!links_with(&serve.page("/years/2023/").unwrap(), "reports/jia/2023").is_empty());
}

// ---------------------------------------------------------------------------
// Hostile clients: what a request can make the server spend is bounded, and
// nothing it answers points off-site or outside the output. These tests
// bound how long an answer may take (generously: the bound is the server's
// own head timeout, or `PATIENCE`), since a refusal that only comes from a
// timeout is no refusal.

use gongkai::serve::http::{HEAD_TIMEOUT, MAX_CONNECTIONS};

/// Reads from `stream` until the end or an error; the error only if nothing came.
fn read_all(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Ok(raw),
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) if raw.is_empty() => return Err(e),
            Err(_) => return Ok(raw),
        }
    }
}

/// Sends `request` (from another thread: a server that refuses early stops
/// reading) and reads the answer to its end; also returns how long the
/// answer took.
fn exchange(port: u16, request: Vec<u8>) -> (Response, Duration) {
    let start = Instant::now();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("a connection");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.set_write_timeout(Some(PATIENCE)).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let sender = std::thread::spawn(move || {
        let _ = writer.write_all(&request);
    });
    let raw = read_all(&mut stream).unwrap_or_else(|e| panic!("no answer: {e}"));
    let took = start.elapsed();
    drop(stream);
    let _ = sender.join();
    let response = parse_response(&raw)
        .unwrap_or_else(|e| panic!("{e}: {:?}", String::from_utf8_lossy(&raw[..raw.len().min(300)])));
    (response, took)
}

/// The server's resident memory in KiB (Linux).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn oversized_request_lines_and_headers_are_refused_at_once() {
    let site = Site::copy("serve-site");
    let mut serve = Serve::start(&site.root);
    let port = serve.port;

    // A request line of 100 KiB: 414, before the head could time out.
    let line = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(100 * 1024));
    let (r, took) = exchange(port, line.into_bytes());
    assert_eq!(r.status, 414, "{}", r.text());
    assert_eq!(r.header("Connection"), Some("close"));
    assert!(took < HEAD_TIMEOUT, "the 414 took {took:?}");

    // Header lines of 1 MiB in all (one header, or many small ones): 431.
    let big = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "b".repeat(1024 * 1024)
    );
    let (r, took) = exchange(port, big.into_bytes());
    assert_eq!(r.status, 431, "{}", r.text());
    assert!(took < HEAD_TIMEOUT, "the 431 took {took:?}");
    let many = format!("GET / HTTP/1.1\r\nHost: x\r\n{}\r\n", "X-A: 1\r\n".repeat(128 * 1024));
    let (r, _) = exchange(port, many.into_bytes());
    assert_eq!(r.status, 431, "{}", r.text());

    // 64 MiB of one header line: the server reads at most a few MiB of it
    // (the cap, then a bounded drain), so its memory does not grow by it.
    let before = rss_kib(serve.child.id());
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_write_timeout(Some(PATIENCE)).unwrap();
    let _ = stream.write_all(b"GET / HTTP/1.1\r\nX-Huge: ");
    let chunk = vec![b'c'; 1024 * 1024];
    let mut sent = 0;
    for _ in 0..64 {
        if stream.write_all(&chunk).is_err() {
            break;
        }
        sent += 1;
    }
    assert!(sent < 64, "the server read all of a 64 MiB header");
    drop(stream);
    if let (Some(before), Some(after)) = (before, rss_kib(serve.child.id())) {
        eprintln!("resident memory: {before} KiB before the 64 MiB header, {after} KiB after");
        assert!(
            after < before + 32 * 1024,
            "the server grew from {before} to {after} KiB"
        );
    }

    // Still serving, and a header just under the caps is fine.
    let fits = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Fits: {}\r\nConnection: close\r\n\r\n",
        "d".repeat(32 * 1024)
    );
    let (r, _) = exchange(port, fits.into_bytes());
    assert_eq!(r.status, 200);
    serve.assert_alive("after the oversized requests");
}

#[test]
fn a_slow_client_is_cut_off_and_connections_are_capped() {
    let site = Site::copy("serve-site");
    let mut serve = Serve::start(&site.root);
    let port = serve.port;

    // Half a head, then silence: the server closes the connection.
    let mut slow = TcpStream::connect(("127.0.0.1", port)).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    slow.set_read_timeout(Some(HEAD_TIMEOUT + PATIENCE)).unwrap();
    let start = Instant::now();
    match read_all(&mut slow) {
        Ok(got) => assert!(got.is_empty(), "the silent client got an answer: {got:?}"),
        Err(e) => assert!(
            !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
            "the server kept a silent client for {:?}",
            start.elapsed()
        ),
    }

    // MAX_CONNECTIONS idle connections take every slot: one more is told 503.
    let idle: Vec<TcpStream> = (0..MAX_CONNECTIONS)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    let (r, took) = exchange(port, request_head(port, "/").into_bytes());
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(took < HEAD_TIMEOUT, "the 503 took {took:?}");
    // Their end frees the slots.
    drop(idle);
    serve.until("a slot to be free again", |s| match s.status("/")? {
        200 => Ok(()),
        other => Err(format!("status {other}")),
    });

    // Live-reload streams (open tabs) hold slots too, and give them back
    // soon after their tab is closed, not at the next keep-alive comment.
    let streams: Vec<TcpStream> = (0..MAX_CONNECTIONS)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            s.write_all(request_head(port, "/__gongkai/events").as_bytes()).unwrap();
            s
        })
        .collect();
    serve.until("every slot taken by an event stream", |s| match s.status("/")? {
        503 => Ok(()),
        other => Err(format!("status {other}")),
    });
    drop(streams);
    let closed = Instant::now();
    serve.until("a slot to be free after the streams closed", |s| {
        match s.status("/")? {
            200 => Ok(()),
            other => Err(format!("status {other}")),
        }
    });
    assert!(
        closed.elapsed() < Duration::from_secs(10),
        "closed event streams held their slots for {:?}",
        closed.elapsed()
    );
    serve.assert_alive("after the slow and the many connections");
}

#[test]
fn redirects_never_point_off_site() {
    let site = Site::copy("serve-site");
    // A folder named like a host, as a content asset folder might be.
    std::fs::create_dir_all(site.path("content/www.example.com")).unwrap();
    std::fs::write(site.path("content/www.example.com/index.html"), "<p>x</p>").unwrap();
    let mut serve = Serve::start(&site.root);
    for (raw, want) in [
        ("//agencies", Some("/agencies/")),
        ("//www.example.com", Some("/www.example.com/")),
        ("///www.example.com", Some("/www.example.com/")),
        ("/%2F%2Fwww.example.com", Some("/www.example.com/")),
        ("///reports//jia//2023", Some("/reports/jia/2023/")),
        (
            "//reports/jia/2023?x=//evil.example",
            Some("/reports/jia/2023/?x=//evil.example"),
        ),
        ("/\\www.example.com", None),
        ("/%5Cwww.example.com", None),
        ("/%5C%5Cwww.example.com", None),
        ("///a//b", None),
        ("//evil.example/", None),
        ("/http://evil.example", None),
        ("/https:%2F%2Fevil.example", None),
    ] {
        let r = serve.get(raw).unwrap();
        let location = r.header("Location");
        if let Some(to) = location {
            let second = to.chars().nth(1);
            assert!(
                to.starts_with('/') && !matches!(second, Some('/' | '\\')) && !to.contains("://"),
                "GET {raw}: Location {to} leaves the site"
            );
        }
        match want {
            Some(to) => {
                assert_eq!(r.status, 301, "GET {raw}");
                assert_eq!(location, Some(to), "GET {raw}");
            }
            None => assert!(
                location.is_none() && matches!(r.status, 400 | 404),
                "GET {raw}: status {}, Location {location:?}",
                r.status
            ),
        }
    }
    serve.assert_alive("after the redirects");
}

#[cfg(unix)]
#[test]
fn links_out_special_files_and_odd_paths_are_never_served() {
    let site = Site::copy("serve-site");
    // Links under content/ pointing out of the site, to a file and to a
    // folder (the walk skips them, F06).
    let out = site.path("content");
    let secret = site.beside("secret.txt");
    std::fs::write(&secret, SITE_TOML_MARKER).unwrap();
    std::os::unix::fs::symlink(&secret, out.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(&site.root, out.join("up")).unwrap();
    // A named pipe and a folder whose index.html is one: never opened.
    for fifo in [out.join("pipe.css"), out.join("piped/index.html")] {
        std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
        let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
        assert!(made.success());
    }
    let mut serve = Serve::start(&site.root);
    for raw in [
        "/leak.txt",
        "/up/site.toml",
        "/up/",
        "/up",
        "/pipe.css",
        "/piped/",
        "/C:/Windows/win.ini",
        "/c:%5cwindows%5cwin.ini",
        "/%2e%2e%2f%2e%2e%2fsite.toml",
        "/.%2e/site.toml",
        "/public/../site.toml",
        "/%00/../site.toml",
        "/site.toml%00.html",
        &format!("/{}", site.path("site.toml").display()),
        &format!("/%2f{}", site.path("site.toml").display()),
    ] {
        let r = serve.get(raw).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(r.status, 400 | 404), "GET {raw}: status {}", r.status);
        assert!(r.header("Location").is_none(), "GET {raw}: a redirect");
        assert!(!r.text().contains(SITE_TOML_MARKER), "GET {raw} served site.toml");
    }
    serve.assert_alive("after the odd paths");
}

#[test]
fn head_keep_alive_and_other_methods() {
    let site = Site::copy("serve-site");
    let mut serve = Serve::start(&site.root);
    let port = serve.port;
    let css = serve.get("/style.css").unwrap();
    assert_eq!(css.status, 200);

    // Two requests on one connection: HEAD (the length, no body), then GET.
    let both =
        "HEAD /style.css HTTP/1.1\r\nHost: x\r\n\r\nGET /style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(both.as_bytes()).unwrap();
    let raw = read_all(&mut stream).unwrap();
    let end = find(&raw, b"\r\n\r\n").expect("a first head");
    let (status, headers) = parse_head(&String::from_utf8_lossy(&raw[..end])).unwrap();
    assert_eq!(status, 200);
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
        .map(|(_, v)| v.clone());
    assert_eq!(length, Some(css.body.len().to_string()), "HEAD gives GET's length");
    let second = parse_response(&raw[end + 4..]).expect("a second answer on the same connection");
    assert_eq!(second.status, 200);
    assert_eq!(second.body, css.body);

    // Other methods: 405, naming the ones allowed.
    let (r, _) = exchange(
        port,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc".to_vec(),
    );
    assert_eq!(r.status, 405);
    assert_eq!(r.header("Allow"), Some("GET, HEAD"));
    // Not HTTP: 400.
    let (r, _) = exchange(port, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n".to_vec());
    assert_eq!(r.status, 400);
    // The 404 page, with its status.
    let r = serve.get("/no/such/page/").unwrap();
    assert_eq!(r.status, 404);
    assert!(r.text().contains("/__gongkai/events"), "the 404 page is a served page");
    serve.assert_alive("after HEAD, keep-alive and other methods");
}

/// Bug: a link added to `content/` while serving was taken file by file,
/// without the walk's rules: a link to a file outside the site was copied
/// into the preview, and a name that cannot be a URL was published. The
/// walk decides for `serve` as for `build`: F06 (skipped) and F08 (refused).
#[cfg(unix)]
#[test]
fn links_and_bad_names_added_while_serving_follow_the_walk_rules() {
    let site = Site::copy("serve-site");
    let mut serve = Serve::start(&site.root);
    serve.watching(&site);
    let secret = site.beside("secret.txt");
    std::fs::write(&secret, "SECRET-OUTSIDE").unwrap();
    let n = serve.stdout_len();
    std::os::unix::fs::symlink(&secret, site.path("content/leak.txt")).unwrap();
    serve.rebuilt(n, "content/leak.txt");
    serve.until("the link out to be skipped (F06), not served", |s| {
        if !s.logs().contains("warning[F06]") || !s.logs().contains("content/leak.txt") {
            return Err("no F06 for content/leak.txt yet".into());
        }
        match s.status("/leak.txt")? {
            404 => Ok(()),
            other => Err(format!("/leak.txt: status {other}")),
        }
    });
    let n = serve.stdout_len();
    std::fs::write(site.path("content/a b.txt"), "x").unwrap();
    serve.rebuilt(n, "content/a b.txt");
    serve.until("the bad name to be refused (F08) with the overlay", |s| {
        match overlay(&s.page("/")?) {
            Some(t) if t.contains("F08") => Ok(()),
            other => Err(format!("overlay: {other:?}")),
        }
    });
    serve.assert_alive("after the link and the bad name");
}
