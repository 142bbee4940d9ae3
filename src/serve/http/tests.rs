//! Unit tests of `serve::http` (kept in their own file so the module stays short).

use super::*;

fn parsed(bytes: &[u8]) -> (Head, usize) {
    match parse_head(bytes) {
        Ok(Some(h)) => h,
        other => panic!("{:?}: {other:?}", String::from_utf8_lossy(bytes)),
    }
}

#[test]
fn parse_head_reads_method_target_and_connection() {
    let raw = b"GET /a/b?c=1 HTTP/1.1\r\nHost: x\r\n\r\nGET /next";
    let (head, n) = parsed(raw);
    assert_eq!(head.method, Method::Get);
    assert_eq!(head.target, "/a/b?c=1");
    assert!(head.keep_alive && !head.has_body);
    assert_eq!(&raw[n..], b"GET /next");

    let (head, _) = parsed(b"HEAD / HTTP/1.1\r\nConnection: Keep-Alive, close\r\n\r\n");
    assert_eq!(head.method, Method::Head);
    assert!(!head.keep_alive);
    let (head, _) = parsed(b"GET / HTTP/1.0\r\n\r\n");
    assert!(!head.keep_alive, "HTTP/1.0 closes");
    let (head, _) = parsed(b"\r\n\r\nPOST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
    assert_eq!(head.method, Method::Other);
    assert!(head.has_body);
    let (head, _) = parsed(b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
    assert!(head.has_body);
    let (head, _) = parsed(b"GET / HTTP/1.1\nHost: x\n\n");
    assert_eq!(head.target, "/");
}

#[test]
fn parse_head_waits_for_more_bytes() {
    for partial in [
        &b""[..],
        b"GE",
        b"GET /a HTTP/1.1",
        b"GET /a HTTP/1.1\r\nHost: x\r\n",
        b"\r\n",
    ] {
        assert_eq!(parse_head(partial), Ok(None), "{:?}", String::from_utf8_lossy(partial));
    }
}

#[test]
fn parse_head_refuses_malformed_heads() {
    for bad in [
        &b"GET /a b HTTP/1.1\r\n\r\n"[..],
        b"GET /a HTTP/2.0\r\n\r\n",
        b"GET /a\x00 HTTP/1.1\r\n\r\n",
        b"GET /a HTTP/1.1\r\nBad Name: x\r\n\r\n",
        b"GET /a HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        b"GET /a HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"GET /a HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
    ] {
        assert_eq!(
            parse_head(bad),
            Err(HttpError::BadRequest),
            "{:?}",
            String::from_utf8_lossy(bad)
        );
    }
}

#[test]
fn parse_head_caps_the_request_line_and_the_headers() {
    // A long request line: refused before it is complete.
    let long = format!("GET /{} HTTP/1.1", "a".repeat(MAX_REQUEST_LINE));
    assert_eq!(parse_head(long.as_bytes()), Err(HttpError::UriTooLong));
    assert_eq!(
        parse_head(format!("{long}\r\n\r\n").as_bytes()),
        Err(HttpError::UriTooLong)
    );
    // Just under the cap is fine.
    let fits = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_REQUEST_LINE - 20));
    assert!(matches!(parse_head(fits.as_bytes()), Ok(Some(_))));

    // One huge header, complete or not.
    let big = format!("GET / HTTP/1.1\r\nX: {}", "a".repeat(MAX_HEADER_BYTES));
    assert_eq!(parse_head(big.as_bytes()), Err(HttpError::HeadersTooLarge));
    assert_eq!(
        parse_head(format!("{big}\r\n\r\n").as_bytes()),
        Err(HttpError::HeadersTooLarge)
    );
    // Too many headers.
    let many = format!("GET / HTTP/1.1\r\n{}\r\n", "X: 1\r\n".repeat(MAX_HEADERS + 1));
    assert_eq!(parse_head(many.as_bytes()), Err(HttpError::HeadersTooLarge));
    let enough = format!("GET / HTTP/1.1\r\n{}\r\n", "X: 1\r\n".repeat(MAX_HEADERS));
    assert!(matches!(parse_head(enough.as_bytes()), Ok(Some(_))));
    // Endless empty lines before the request.
    assert_eq!(
        parse_head("\r\n".repeat(MAX_HEADER_BYTES).as_bytes()),
        Err(HttpError::BadRequest)
    );
}

#[test]
fn locations_stay_on_the_same_origin() {
    assert_eq!(location(&["a", "b"], None), "/a/b/");
    assert_eq!(location(&["a"], Some("x=1&y=%20")), "/a/?x=1&y=%20");
    assert_eq!(location(&["www.example.com"], None), "/www.example.com/");
    assert_eq!(location(&["\\evil", "a b"], None), "/%5Cevil/a%20b/");
    assert_eq!(location(&["/evil"], None), "/%2Fevil/");
    assert_eq!(location(&["年报"], None), "/%E5%B9%B4%E6%8A%A5/");
    assert_eq!(location(&["", "a"], Some("\r\nX: y")), "/a/?%0D%0AX:%20y");
    assert_eq!(location(&[], None), "/");
}

fn file(f: &str) -> Target {
    Target::File {
        file: f.to_string(),
        folder: None,
    }
}

#[test]
fn paths_are_plain_segments() {
    assert_eq!(resolve("/"), file("index.html"));
    assert_eq!(resolve("/a/"), file("a/index.html"));
    assert_eq!(resolve("//a//b//"), file("a/b/index.html"));
    assert_eq!(resolve("/a/b/index.html?x#y"), {
        Target::File {
            file: "a/b/index.html".into(),
            folder: Some("/a/b/index.html/?x".into()),
        }
    });
    assert_eq!(
        resolve("/style.css?v=1"),
        Target::File {
            file: "style.css".into(),
            folder: Some("/style.css/?v=1".into())
        }
    );
    assert_eq!(
        resolve("/%E5%B9%B4%E6%8A%A5/"),
        file("年报/index.html"),
        "percent-decoded once"
    );
    for bad in [
        "/../secret.txt",
        "/a/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/a%2f..%2f..%2fsecret.txt",
        "/a%5c..%5csecret.txt",
        "/..\\secret.txt",
        "/%00",
        "/a%00.html",
        "/./a/",
        "/C:/Windows/win.ini",
        "/c%3a%5cwindows",
        "/style.css::$DATA",
        "a/",
        "*",
        "http://www.example.com/",
        "/%ff",
    ] {
        assert_eq!(resolve(bad), Target::BadRequest, "{bad}");
    }
}

#[test]
fn redirects_never_leave_the_origin() {
    for (raw, want) in [
        ("/a", "/a/"),
        ("/a?x=1", "/a/?x=1"),
        ("//www.example.com", "/www.example.com/"),
        ("///www.example.com", "/www.example.com/"),
        ("/%2fwww.example.com", "/www.example.com/"),
        ("/%2F%2Fwww.example.com", "/www.example.com/"),
        ("///a//b", "/a/b/"),
        ("//a", "/a/"),
    ] {
        match resolve(raw) {
            Target::File { folder: Some(to), .. } => assert_eq!(to, want, "{raw}"),
            other => panic!("{raw}: {other:?}"),
        }
    }
    for raw in ["/\\www.example.com", "/%5cwww.example.com", "/%5C%5Cwww.example.com"] {
        assert_eq!(resolve(raw), Target::BadRequest, "{raw}");
    }
}

#[test]
fn content_types_carry_utf8() {
    for (f, t) in [
        ("a.html", "text/html; charset=utf-8"),
        ("a.css", "text/css; charset=utf-8"),
        ("a.js", "text/javascript; charset=utf-8"),
        ("a.json", "application/json; charset=utf-8"),
        ("a.csv", "text/csv; charset=utf-8"),
        ("a.xml", "application/xml; charset=utf-8"),
        ("a.svg", "image/svg+xml; charset=utf-8"),
        ("a.png", "image/png"),
    ] {
        assert_eq!(content_type(Path::new(f)), t);
    }
}
