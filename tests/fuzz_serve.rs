//! Fuzz harness of `serve`'s HTTP side (see `tests/common/fuzz.rs`): bytes
//! as a request head through `parse_head`, and its target (or the bytes
//! themselves, read as a target) through `resolve`, which maps a target to
//! a path of the preview in memory (nothing on disk is looked at). Besides
//! not panicking or hanging, every answer keeps the promises of
//! `src/serve/http.rs`:
//!
//! - a head is accepted only within the caps, and never past the bytes given;
//! - an unfinished head is never held past the caps;
//! - a path looked up is made of plain segments: no `.` or `..`, no empty
//!   segment, no back-slash, `:` or control character, no leading `/`;
//! - a redirect is a path on the same origin: one `/`, then neither `/` nor
//!   `\`, never two slashes in a row before the query, no control
//!   characters, spaces or back-slashes.
//!
//! Run: `GONGKAI_FUZZ_SECS=120 cargo test --release --test fuzz_serve -- --ignored --nocapture`.

use gongkai::serve::http::{location, parse_head, resolve, Target, MAX_HEADER_BYTES, MAX_REQUEST_LINE};

mod common;
use common::fuzz;

/// Checks what `resolve` answered for `target`.
fn check_target(target: &str) {
    match resolve(target) {
        Target::File { file, folder } => {
            assert!(!file.starts_with('/'), "{target:?} looks up {file:?}");
            for segment in file.split('/') {
                assert!(
                    !matches!(segment, "" | "." | "..")
                        && !segment.chars().any(|c| c == '\\' || c == ':' || c.is_control()),
                    "{target:?} looks up {file:?}"
                );
            }
            if let Some(to) = folder {
                check_location(target, &to);
            }
        }
        Target::BadRequest => {}
    }
}

fn check_location(from: &str, to: &str) {
    let mut chars = to.chars();
    assert_eq!(chars.next(), Some('/'), "{from:?} redirects to {to:?}");
    assert!(
        !matches!(chars.next(), Some('/' | '\\')),
        "{from:?} redirects to {to:?}"
    );
    assert!(
        !to.chars().any(|c| c.is_control() || c == '\\' || c == ' '),
        "{from:?} redirects to {to:?}"
    );
    // The path part: single slashes only (so no host, no scheme).
    let path = to.split('?').next().unwrap_or("");
    assert!(!path.contains("//"), "{from:?} redirects to {to:?}");
}

#[test]
#[ignore]
fn fuzz_serve_request() {
    let seeds: Vec<Vec<u8>> = vec![
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET //www.example.com HTTP/1.1\r\n\r\n".to_vec(),
        b"GET /a/%2e%2e/%2E%2E%5csecret.txt HTTP/1.1\r\n\r\n".to_vec(),
        b"GET /up/secret.txt HTTP/1.1\r\nConnection: close\r\n\r\n".to_vec(),
        b"GET /%E5%B9%B4%E6%8A%A5?x=//y HTTP/1.1\r\n\r\n".to_vec(),
    ];
    let dict: &[&[u8]] = &[
        b"GET ",
        b"HEAD ",
        b" HTTP/1.1\r\n",
        b" HTTP/1.0\r\n",
        b"\r\n\r\n",
        b"Host: x\r\n",
        b"Connection: close\r\n",
        b"Content-Length: 12\r\n",
        b"Transfer-Encoding: chunked\r\n",
        b"%2e%2e",
        b"%2f",
        b"%2F",
        b"%5c",
        b"%3a",
        b"%00",
        b"%ff",
        b"..",
        b"//",
        b"/\\",
        b"\\",
        b"?",
        b"#",
        b":",
        b"/a",
        b"/up",
        b"/leak.txt",
        b"/pipe.css",
        b"www.example.com",
        b"C:/",
        b"http://",
    ];
    let n = fuzz::run("serve-request", seeds, dict, |bytes| {
        match parse_head(bytes) {
            Ok(Some((head, used))) => {
                assert!(used <= bytes.len());
                assert!(
                    used <= MAX_REQUEST_LINE + 2 * MAX_HEADER_BYTES + 2,
                    "{used} bytes of head"
                );
                check_target(&head.target);
            }
            Ok(None) => assert!(
                bytes.len() <= MAX_REQUEST_LINE + 2 * MAX_HEADER_BYTES + 2,
                "an unfinished head of {} bytes is still waited for",
                bytes.len()
            ),
            Err(_) => {}
        }
        // resolve takes any text, not only what httparse lets through.
        let text = String::from_utf8_lossy(bytes);
        let line = text.lines().next().unwrap_or("");
        check_target(line);
        let target = line.split(' ').nth(1).unwrap_or(line);
        check_target(target);
        let segments: Vec<&str> = line.split('/').collect();
        check_location(line, &location(&segments, line.split_once('?').map(|(_, q)| q)));
    });
    assert!(n > 0);
}
