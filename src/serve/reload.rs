//! Live reload: the [`Hub`] that tells open pages the preview changed (a
//! generation raised by every rebuild, and the error overlay to show while
//! the content has errors), the Server-Sent Events stream browsers listen
//! on ([`events`]), and what is added to every HTML page served ([`inject`]:
//! the overlay, if any, and a small script that reloads the page on each
//! event). Nothing here is ever part of what `build` writes.

use std::io::Write;
use std::net::TcpStream;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// The URL path of the live-reload event stream.
pub const EVENTS_PATH: &str = "/__gongkai/events";

/// What the server knows of the site's state: a generation that each
/// rebuild raises (the live-reload stream waits on it) and the overlay to
/// show while the content has errors.
#[derive(Default)]
pub struct Hub {
    state: Mutex<(u64, Option<String>)>,
    changed: Condvar,
}

impl Hub {
    /// A new generation, with the overlay to show from now on (`None`: none).
    pub fn publish(&self, overlay: Option<String>) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.0 += 1;
        s.1 = overlay;
        self.changed.notify_all();
    }

    /// The generation and the overlay now.
    pub fn snapshot(&self) -> (u64, Option<String>) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Waits until the generation passes `seen`, or `timeout`; returns the
    /// current generation.
    pub fn wait(&self, seen: u64, timeout: Duration) -> u64 {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (s, _) = self
            .changed
            .wait_timeout_while(s, timeout, |s| s.0 == seen)
            .unwrap_or_else(|e| e.into_inner());
        s.0
    }
}

/// The live-reload stream: an event after each rebuild, a comment after
/// 15 s without one. Ends (and frees its connection) within about a second
/// of the client going away; the connection is never used again.
pub fn events(stream: &mut TcpStream, hub: &Hub, body: bool) {
    const KEEP_ALIVE: Duration = Duration::from_secs(15);
    const CHECK: Duration = Duration::from_secs(1);
    let (mut seen, _) = hub.snapshot();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    if stream.write_all(head.as_bytes()).is_err() || !body {
        return;
    }
    if stream.write_all(b": connected\n\n").is_err() {
        return;
    }
    let mut quiet = Instant::now();
    loop {
        let now = hub.wait(seen, CHECK);
        let msg = if now != seen {
            seen = now;
            Some(format!("data: {now}\n\n"))
        } else if quiet.elapsed() >= KEEP_ALIVE {
            Some(": keep-alive\n\n".to_string())
        } else {
            None
        };
        if let Some(msg) = msg {
            if stream.write_all(msg.as_bytes()).is_err() {
                return;
            }
            quiet = Instant::now();
        }
        if client_gone(stream) {
            return;
        }
    }
}

/// Whether the client closed the connection, without waiting: an event
/// stream's client sends nothing after its request, so a read that finds
/// the end (or an error) means it has gone.
fn client_gone(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let mut byte = [0u8; 1];
    let gone = match stream.peek(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock && e.kind() != std::io::ErrorKind::Interrupted,
    };
    gone || stream.set_nonblocking(false).is_err()
}

/// The overlay shown over every page while the content has errors, over
/// the last good state of the site.
pub fn overlay_html(text: &str) -> String {
    overlay_with(&t!("serve.overlay.kept"), text)
}

/// The overlay while the site has never been good since `serve` started
/// (there is no page under it yet).
pub fn overlay_first_html(text: &str) -> String {
    overlay_with(&t!("serve.overlay.none"), text)
}

/// The overlay with its `heading` and the diagnostics' `text`, escaped.
fn overlay_with(heading: &str, text: &str) -> String {
    let mut escaped = String::new();
    pulldown_cmark_escape::escape_html(&mut escaped, text).expect("writing to a String");
    let mut title = String::new();
    pulldown_cmark_escape::escape_html(&mut title, heading).expect("writing to a String");
    format!(
        "<div id=\"gongkai-overlay\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.92);color:#fff;padding:24px;font:14px/1.5 monospace\"><p style=\"font:bold 18px sans-serif;margin:0 0 12px\">{title}</p><pre style=\"white-space:pre-wrap;margin:0\">{escaped}</pre></div>"
    )
}

/// The live-reload script added to served pages.
pub const RELOAD_SCRIPT: &str = "<script>(function(){var s=new EventSource(\"/__gongkai/events\");s.onmessage=function(){location.reload();};})();</script>";

/// Adds the live-reload script (and the overlay, if any) before the last
/// `</body>` (at the end when there is none).
pub fn inject(html: &str, overlay: Option<&str>) -> String {
    let extra = format!("{}{}", overlay.unwrap_or(""), RELOAD_SCRIPT);
    match html.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &html[..i], &html[i..]),
        None => format!("{html}{extra}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injection_goes_before_the_body_end() {
        let html = inject("<html><body><p>x</p></body></html>", Some("<div>o</div>"));
        assert_eq!(
            html,
            format!("<html><body><p>x</p><div>o</div>{RELOAD_SCRIPT}</body></html>")
        );
        assert_eq!(inject("<p>x</p>", None), format!("<p>x</p>{RELOAD_SCRIPT}"));
    }

    #[test]
    fn the_overlay_escapes_its_text() {
        let html = overlay_html("<script>alert(1)</script> & \"x\"");
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp;"));
    }

    #[test]
    fn the_overlay_says_whether_a_good_state_is_under_it() {
        // Tests run in English (the language is never set here).
        assert!(overlay_html("x").contains("still showing the last good version"));
        assert!(overlay_first_html("x").contains("nothing to show yet"));
        assert_eq!(
            t!("serve.overlay.kept", locale = "zh-CN"),
            "内容有错误，仍显示上一次成功构建的页面。修正后将自动刷新。"
        );
    }

    #[test]
    fn the_hub_raises_its_generation() {
        let hub = Hub::default();
        assert_eq!(hub.snapshot(), (0, None));
        hub.publish(Some("x".into()));
        assert_eq!(hub.wait(0, Duration::from_millis(1)), 1);
        assert_eq!(hub.snapshot().1.as_deref(), Some("x"));
    }
}
