//! Unit tests of the web page reader.

use super::*;

fn page(body: &str) -> String {
    page_text(
        &format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head><body>{body}</body></html>"
        ),
        &Limits::DEFAULT,
    )
    .unwrap()
}

#[test]
fn blocks_are_lines() {
    assert_eq!(
        page("<p>一、总体情况</p><div>正文<br>第二行</div>"),
        "一、总体情况\n正文\n第二行\n"
    );
}
