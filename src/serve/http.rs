//! The preview's HTTP side: a small HTTP/1.1 server on `std::net`, with
//! every resource a client can make it spend bounded. It reads a request
//! head through a bounded buffer and parses it with [`parse_head`] (a pure
//! function over bytes, built on the `httparse` crate); maps the target to
//! a path of the preview with [`resolve`] (pure too: a path made of plain
//! segments, never `..`); looks it up in the preview in memory
//! ([`super::memory::Preview`]); and answers with the file (HTML pages get
//! the live-reload script and the error overlay, see
//! [`super::reload::inject`]), a same-origin redirect, the site's
//! `404.html`, or the live-reload event stream. MIME types are here too
//! ([`content_type`]).
//!
//! The bounds, each with its answer:
//! - a request line over [`MAX_REQUEST_LINE`] bytes: 414 URI Too Long;
//! - header lines over [`MAX_HEADER_BYTES`] bytes in all, or more than
//!   [`MAX_HEADERS`] of them: 431 Request Header Fields Too Large;
//! - a head not complete within [`HEAD_TIMEOUT`] (also the idle time of a
//!   kept-alive connection): the connection is closed;
//! - each write waits at most [`WRITE_TIMEOUT`], a whole response at most
//!   [`RESPONSE_TIMEOUT`];
//! - at most [`MAX_CONNECTIONS`] connections (one thread each) at once; one
//!   more is answered 503 at once and closed.
//!
//! After an error answer the server stops writing, then reads and discards
//! what the client still sends (at most [`LINGER_BYTES`], for at most
//! [`LINGER`]) before closing, so that the client reads the answer instead
//! of a connection reset.
//!
//! Why hand-written and not a crate: this is a preview server on loopback
//! that serves files and one event stream. tiny_http (used before) reads a
//! whole request head with no limit and has no hook to add one; hyper and
//! axum would bring tokio and an async runtime into a program that is
//! otherwise threads and rayon. Parsing, the part that is easy to get wrong,
//! is left to `httparse`; what is here is the reading loop with its caps,
//! path resolution, and writing a response.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use percent_encoding::{AsciiSet, CONTROLS};

use super::memory::{Found, Preview};
use super::reload::{self, inject, overlay_html, Hub, EVENTS_PATH};
use crate::fsx;

/// The longest request line read (method, target, version): 8 KiB.
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// The most bytes of header lines read after the request line: 64 KiB.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;
/// The most header lines in one request.
pub const MAX_HEADERS: usize = 100;
/// The most connections served at once (each holds a thread; a browser tab
/// holds one for its live-reload stream).
pub const MAX_CONNECTIONS: usize = 128;
/// How long a client has to send a whole request head, and how long a
/// kept-alive connection may wait idle for the next one.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one write may wait for a client that does not read.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long writing one whole response may take.
pub const RESPONSE_TIMEOUT: Duration = Duration::from_secs(300);
/// After an error answer: how long, and how much, to read and discard
/// before closing.
pub const LINGER: Duration = Duration::from_secs(2);
pub const LINGER_BYTES: usize = 4 * 1024 * 1024;
/// HTML pages up to this size get the live-reload script; larger ones are
/// sent as they are.
const INJECT_CAP: u64 = fsx::CONTENT_CAP;

/// A request's method, as far as the server cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    /// Anything else: answered 405.
    Other,
}

/// A parsed request head.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub method: Method,
    /// The request target exactly as sent (path and query).
    pub target: String,
    /// Whether the client lets the connection stay open after the answer
    /// (HTTP/1.1 without `Connection: close`).
    pub keep_alive: bool,
    /// Whether a body follows the head (`Content-Length` over 0, or any
    /// `Transfer-Encoding`). Bodies are never read: the connection is
    /// closed after the answer.
    pub has_body: bool,
}

/// Why a request head is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpError {
    /// Not HTTP/1.x, or malformed: 400.
    BadRequest,
    /// The request line is over [`MAX_REQUEST_LINE`]: 414.
    UriTooLong,
    /// The header lines are over [`MAX_HEADER_BYTES`] or [`MAX_HEADERS`]: 431.
    HeadersTooLarge,
}

impl HttpError {
    /// The status code it is answered with.
    pub fn status(self) -> u16 {
        match self {
            HttpError::BadRequest => 400,
            HttpError::UriTooLong => 414,
            HttpError::HeadersTooLarge => 431,
        }
    }
}

/// Parses the request head at the start of `bytes`.
///
/// Returns `Ok(Some((head, n)))` when the head is complete in its first `n`
/// bytes (what follows is the next request, or a body), `Ok(None)` when
/// more bytes are needed, and an error when the head is malformed or over a
/// cap. The caps hold whatever `bytes` holds, also when the head is not yet
/// complete, so a reader that stops at the first error never keeps more
/// than about `MAX_REQUEST_LINE + 2 * MAX_HEADER_BYTES` bytes. Never panics.
pub fn parse_head(bytes: &[u8]) -> Result<Option<(Head, usize)>, HttpError> {
    // Empty lines before the request line are allowed (RFC 9112, 2.2), a few.
    let start = bytes
        .iter()
        .position(|b| *b != b'\r' && *b != b'\n')
        .unwrap_or(bytes.len());
    if start > MAX_HEADER_BYTES {
        return Err(HttpError::BadRequest);
    }
    let line_end = bytes[start..].iter().position(|b| *b == b'\n').map(|i| start + i);
    let line_len = line_end.unwrap_or(bytes.len()) - start;
    if line_len > MAX_REQUEST_LINE {
        return Err(HttpError::UriTooLong);
    }
    // Bytes of header lines seen so far (after the request line).
    let header_bytes = |upto: usize| line_end.map_or(0, |e| upto.saturating_sub(e + 1));
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    let n = match req.parse(bytes) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => {
            return if header_bytes(bytes.len()) > MAX_HEADER_BYTES {
                Err(HttpError::HeadersTooLarge)
            } else {
                Ok(None)
            };
        }
        Err(httparse::Error::TooManyHeaders) => return Err(HttpError::HeadersTooLarge),
        Err(_) => return Err(HttpError::BadRequest),
    };
    if header_bytes(n) > MAX_HEADER_BYTES {
        return Err(HttpError::HeadersTooLarge);
    }
    let (Some(method), Some(target), Some(version)) = (req.method, req.path, req.version) else {
        return Err(HttpError::BadRequest);
    };
    let method = match method {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        _ => Method::Other,
    };
    let mut close = version == 0;
    let mut has_body = false;
    let mut length: Option<u64> = None;
    for h in req.headers.iter() {
        if h.name.eq_ignore_ascii_case("connection") {
            let value = String::from_utf8_lossy(h.value);
            close |= value.split(',').any(|t| t.trim().eq_ignore_ascii_case("close"));
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            has_body = true;
        } else if h.name.eq_ignore_ascii_case("content-length") {
            let n = std::str::from_utf8(h.value)
                .ok()
                .map(str::trim)
                .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|v| v.parse::<u64>().ok())
                .ok_or(HttpError::BadRequest)?;
            if length.is_some_and(|l| l != n) {
                return Err(HttpError::BadRequest);
            }
            length = Some(n);
            has_body |= n > 0;
        }
    }
    Ok(Some((
        Head {
            method,
            target: target.to_string(),
            keep_alive: !close,
            has_body,
        },
        n,
    )))
}

/// What a request target maps to.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the preview, by its path relative to the root URL
    /// (`/`-separated plain segments, no leading `/`; a folder's is its
    /// `index.html`). `folder`: when the target has no trailing slash, the
    /// redirect (built by [`location`]) to answer if `file` is not there but
    /// `file/index.html` is.
    File {
        file: String,
        folder: Option<String>,
    },
    BadRequest,
}

/// Bytes percent-encoded in a path segment written into `Location`.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Bytes percent-encoded in a query written into `Location` (`%` is kept:
/// the query is already encoded by the client).
const QUERY: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The `Location` of a redirect to the folder made of `segments` (decoded,
/// none empty), with `query` (without its `?`). The one place a `Location`
/// is written: always a path on the same origin, a single `/` then a
/// segment, each segment percent-encoded (so neither `/` nor `\` can follow
/// the first `/`), never a scheme or a host.
pub fn location(segments: &[&str], query: Option<&str>) -> String {
    let mut to = String::from("/");
    for s in segments.iter().filter(|s| !s.is_empty()) {
        to.extend(percent_encoding::utf8_percent_encode(s, SEGMENT));
        to.push('/');
    }
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        to.push('?');
        to.extend(percent_encoding::utf8_percent_encode(q, QUERY));
    }
    to
}

/// Resolves a request target to a path of the preview. The path is
/// percent-decoded once, then refused (400) if it is not valid UTF-8, does
/// not start with `/`, holds a back-slash, a control character (NUL
/// included) or a `:` (drive letters, Windows streams), or has a `.` or `..`
/// segment. Empty segments are dropped (`//a` is `/a`). A path ending in `/`
/// names its folder's `index.html`; one without may be a folder asked for
/// without the trailing slash, answered with the redirect built by
/// [`location`]. Pure: what the path names is looked up in memory, never on
/// disk, so nothing can lead outside what the preview holds.
pub fn resolve(target: &str) -> Target {
    let without_fragment = target.split('#').next().unwrap_or("");
    let (path, query) = match without_fragment.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (without_fragment, None),
    };
    let Ok(decoded) = percent_encoding::percent_decode_str(path).decode_utf8() else {
        return Target::BadRequest;
    };
    if !decoded.starts_with('/') || decoded.chars().any(|c| c == '\\' || c == ':' || c.is_control()) {
        return Target::BadRequest;
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return Target::BadRequest;
    }
    let joined = segments.join("/");
    if segments.is_empty() || decoded.ends_with('/') {
        let file = if joined.is_empty() {
            "index.html".to_string()
        } else {
            format!("{joined}/index.html")
        };
        return Target::File { file, folder: None };
    }
    Target::File {
        file: joined,
        folder: Some(location(&segments, query)),
    }
}

/// The Content-Type for a file name.
pub fn content_type(path: &Path) -> String {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8".to_string(),
        "css" => "text/css; charset=utf-8".to_string(),
        "js" | "mjs" => "text/javascript; charset=utf-8".to_string(),
        "json" => "application/json; charset=utf-8".to_string(),
        "csv" => "text/csv; charset=utf-8".to_string(),
        "xml" => "application/xml; charset=utf-8".to_string(),
        "svg" => "image/svg+xml; charset=utf-8".to_string(),
        "txt" | "md" => "text/plain; charset=utf-8".to_string(),
        _ => mime_guess::from_path(path)
            .first_or_octet_stream()
            .essence_str()
            .to_string(),
    }
}

// ---------------------------------------------------------------------------
// Connections

/// Accepts connections until the listener fails for good: one thread per
/// connection, at most [`MAX_CONNECTIONS`] at once.
pub fn run(listener: TcpListener, preview: Arc<Preview>, hub: Arc<Hub>) {
    let active = Arc::new(AtomicUsize::new(0));
    for conn in listener.incoming() {
        let stream = match conn {
            Ok(s) => s,
            Err(_) => {
                // Out of file descriptors, say: let some connections end.
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        if active.load(Ordering::Acquire) >= MAX_CONNECTIONS {
            busy(stream);
            continue;
        }
        let slot = Slot::take(&active);
        let (preview, hub) = (Arc::clone(&preview), Arc::clone(&hub));
        // If the thread cannot start, the closure (and the slot) is dropped.
        let _ = std::thread::Builder::new().name("gongkai-http".into()).spawn(move || {
            let _slot = slot;
            connection(stream, &preview, &hub);
        });
    }
}

/// One of the [`MAX_CONNECTIONS`], given back on drop.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(active: &Arc<AtomicUsize>) -> Slot {
        active.fetch_add(1, Ordering::AcqRel);
        Slot(Arc::clone(active))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Answers a connection over the cap: 503, without reading the request (on
/// the accepting thread, so it must not wait).
fn busy(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
    let body = "too many connections\n";
    let _ = write!(
        stream,
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.shutdown(Shutdown::Write);
}

/// Whether the connection can take another request after an answer.
#[derive(PartialEq, Eq)]
enum Flow {
    KeepAlive,
    Close,
}

/// Serves the requests of one connection.
fn connection(mut stream: TcpStream, preview: &Preview, hub: &Hub) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    loop {
        let (head, used) = match read_head(&mut stream, &mut buf, Instant::now() + HEAD_TIMEOUT) {
            Ok(Some(h)) => h,
            // Closed, or silent too long: nothing to answer.
            Ok(None) => return,
            Err(e) => {
                let _ = simple(&mut stream, e.status(), true, &[], Flow::Close);
                return linger(stream);
            }
        };
        buf.drain(..used);
        let keep = head.keep_alive && !head.has_body;
        let flow = respond(&mut stream, &head, keep, preview, hub);
        if flow == Flow::Close || !keep {
            return linger(stream);
        }
    }
}

/// Reads until `buf` starts with a whole request head, or the deadline.
/// `Ok(None)`: the client closed or went silent (or the read failed).
fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>, deadline: Instant) -> Result<Option<(Head, usize)>, HttpError> {
    let mut chunk = [0u8; 8192];
    // A request may already wait in the buffer (pipelined).
    let mut parse = !buf.is_empty();
    loop {
        if parse {
            if let Some(found) = parse_head(buf)? {
                return Ok(Some(found));
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Ok(None);
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(None),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                // A head ends with a new line; until one comes, only the
                // length can change the outcome.
                parse = chunk[..n].contains(&b'\n') || buf.len() > MAX_REQUEST_LINE;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => parse = false,
            Err(_) => return Ok(None),
        }
    }
}

/// After an answer that ends the connection: stop writing, read and discard
/// what the client still sends (bounded), then close. Closing with unread
/// bytes would reset the connection, and the client could lose the answer.
fn linger(mut stream: TcpStream) {
    let _ = stream.flush();
    if stream.shutdown(Shutdown::Write).is_err() {
        return;
    }
    let deadline = Instant::now() + LINGER;
    let mut chunk = [0u8; 16 * 1024];
    let mut read = 0usize;
    while read < LINGER_BYTES {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => read += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// Answers one request.
fn respond(stream: &mut TcpStream, head: &Head, keep: bool, preview: &Preview, hub: &Hub) -> Flow {
    let flow = if keep { Flow::KeepAlive } else { Flow::Close };
    let body = match head.method {
        Method::Get => true,
        Method::Head => false,
        Method::Other => return simple(stream, 405, true, &[("Allow", "GET, HEAD")], Flow::Close),
    };
    if head.target.split(['?', '#']).next() == Some(EVENTS_PATH) {
        reload::events(stream, hub, body);
        return Flow::Close;
    }
    let (file, folder) = match resolve(&head.target) {
        Target::File { file, folder } => (file, folder),
        Target::BadRequest => return simple(stream, 400, body, &[], flow),
    };
    if let Some(found) = preview.get(&file) {
        return answer(stream, 200, &file, found, body, hub, flow);
    }
    if let Some(to) = folder.filter(|_| preview.has(&format!("{file}/index.html"))) {
        return simple(stream, 301, body, &[("Location", &to)], flow);
    }
    match preview.get("404.html") {
        Some(found) => answer(stream, 404, "404.html", found, body, hub, flow),
        // No good state of the site yet: an empty page, to carry the
        // overlay and the live-reload script.
        None if preview.current().is_none() => {
            let page = Found::Bytes(Arc::new(EMPTY_PAGE.as_bytes().to_vec()));
            answer(stream, 404, "404.html", page, body, hub, flow)
        }
        None => simple(stream, 404, body, &[], flow),
    }
}

/// What is served while the site has never been good.
const EMPTY_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>gongkai serve</title></head><body></body></html>\n";

/// Answers with what the preview holds at `file`.
fn answer(stream: &mut TcpStream, status: u16, file: &str, found: Found, body: bool, hub: &Hub, flow: Flow) -> Flow {
    let ctype = content_type(Path::new(file));
    let headers = [("Content-Type", ctype.as_str())];
    let bytes = match found {
        Found::Bytes(bytes) => bytes,
        Found::File(path) => return stream_file(stream, status, &path, &ctype, body, hub, flow),
        Found::Failed(why) => {
            let page = inject(EMPTY_PAGE, Some(&overlay_html(&why)));
            let headers = [("Content-Type", "text/html; charset=utf-8")];
            return send(stream, 500, &headers, page.as_bytes(), body, flow);
        }
    };
    if ctype.starts_with("text/html") && bytes.len() as u64 <= INJECT_CAP {
        let (_, overlay) = hub.snapshot();
        let page = inject(&String::from_utf8_lossy(&bytes), overlay.as_deref());
        return send(stream, status, &headers, page.as_bytes(), body, flow);
    }
    send(stream, status, &headers, &bytes, body, flow)
}

/// Writes a whole answer from memory.
fn send(stream: &mut TcpStream, status: u16, headers: &[(&str, &str)], bytes: &[u8], body: bool, flow: Flow) -> Flow {
    let sent = write_head(stream, status, headers, bytes.len() as u64, &flow).and_then(|_| {
        if body {
            stream.write_all(bytes)
        } else {
            Ok(())
        }
    });
    if sent.is_err() {
        Flow::Close
    } else {
        flow
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Writes a status line and headers. A header value with a control
/// character (which would split the head) is never written.
fn write_head(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(&str, &str)],
    length: u64,
    flow: &Flow,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        if !value.chars().any(char::is_control) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    let connection = if *flow == Flow::KeepAlive {
        "keep-alive"
    } else {
        "close"
    };
    head.push_str(&format!(
        "Content-Length: {length}\r\nCache-Control: no-store\r\nConnection: {connection}\r\n\r\n"
    ));
    stream.write_all(head.as_bytes())
}

/// A short plain-text answer (the reason phrase as its body).
fn simple(stream: &mut TcpStream, status: u16, body: bool, headers: &[(&str, &str)], flow: Flow) -> Flow {
    let text = format!("{}\n", reason(status).to_ascii_lowercase());
    let mut all = vec![("Content-Type", "text/plain; charset=utf-8")];
    all.extend_from_slice(headers);
    send(stream, status, &all, text.as_bytes(), body, flow)
}

/// Answers with the regular file at `path` (opened with
/// [`fsx::open_regular`]): HTML with the live-reload script and overlay,
/// anything else streamed as it is.
fn stream_file(
    stream: &mut TcpStream,
    status: u16,
    path: &Path,
    ctype: &str,
    body: bool,
    hub: &Hub,
    flow: Flow,
) -> Flow {
    let Ok((mut f, len)) = fsx::open_regular(path) else {
        return simple(stream, 404, body, &[], flow);
    };
    let headers = [("Content-Type", ctype)];
    if ctype.starts_with("text/html") && len <= INJECT_CAP {
        let mut bytes = Vec::with_capacity(len as usize);
        if (&mut f).take(INJECT_CAP).read_to_end(&mut bytes).is_err() {
            return simple(stream, 500, body, &[], flow);
        }
        let (_, overlay) = hub.snapshot();
        let page = inject(&String::from_utf8_lossy(&bytes), overlay.as_deref());
        return send(stream, status, &headers, page.as_bytes(), body, flow);
    }
    if write_head(stream, status, &headers, len, &flow).is_err() {
        return Flow::Close;
    }
    if !body {
        return flow;
    }
    // Streamed in chunks, never past the length announced, within the time
    // a response may take.
    let deadline = Instant::now() + RESPONSE_TIMEOUT;
    let mut chunk = vec![0u8; 64 * 1024];
    let mut f = f.take(len);
    let mut sent = 0u64;
    while sent < len {
        let n = match f.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        if Instant::now() > deadline || stream.write_all(&chunk[..n]).is_err() {
            return Flow::Close;
        }
        sent += n as u64;
    }
    // A file cut short: the length sent was wrong, the connection must end.
    if sent < len {
        Flow::Close
    } else {
        flow
    }
}

#[cfg(test)]
#[path = "http/tests.rs"]
mod tests;
