//! The content streams of a page run as far as text and table borders go:
//! every glyph drawn, with its position on the page (top-down, in points),
//! its advance, its size and its text, and every thin rectangle or straight
//! line drawn (the ruling of tables). The text state (Tm, Tc, Tw, Tz, TL, Ts,
//! Tf), the graphics state stack (q/Q/cm), form XObjects (with their own
//! matrix and resources) and marked content with `/ActualText` (Chromium
//! writes the real text of some CJK glyphs there) are followed; colours only
//! as far as telling a white line (not a border) from a dark one. Hand-written
//! because no maintained pure-Rust crate reports glyph positions within
//! bounds: pdf-extract's `OutputDev` does, but it sits on an older lopdf with
//! no decompression limits and panics on malformed input.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::fonts::Font;
use super::Limits;

/// One glyph drawn on a page.
#[derive(Clone, Debug)]
pub(super) struct Glyph {
    /// Left end of the glyph's baseline, in points from the page's top-left.
    pub x: f32,
    pub y: f32,
    /// Its advance, in points.
    pub w: f32,
    /// The text size, in points.
    pub size: f32,
    /// Its text; empty when it only widens the glyph before it (the rest
    /// of an `/ActualText` span).
    pub text: String,
    /// Whether the font could not tell its text.
    pub unreadable: bool,
}

/// A horizontal or vertical line on a page (a border of a table cell), in
/// points from the top-left: from (x0, y0) to (x1, y1), x0 <= x1, y0 <= y1,
/// one of the two extents (nearly) nil.
#[derive(Clone, Copy, Debug)]
pub(super) struct Rule {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// What a page draws.
#[derive(Debug, Default)]
pub(super) struct Page {
    pub width: f32,
    pub height: f32,
    pub glyphs: Vec<Glyph>,
    pub rules: Vec<Rule>,
    pub images: usize,
}

/// Counters shared by all pages of a document, checked against [`Limits`].
#[derive(Default)]
pub(super) struct Spent {
    pub content_bytes: usize,
    pub operations: usize,
    pub glyphs: usize,
    pub forms: usize,
    /// Fonts whose codes had no text, by name.
    pub unreadable_fonts: Vec<String>,
}

/// A 2-D affine matrix [a b c d e f], as PDF writes them.
#[derive(Clone, Copy, Debug)]
struct M([f32; 6]);

impl M {
    const ID: M = M([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// self × other (apply self, then other).
    fn then(self, o: M) -> M {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = o.0;
        M([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn point(self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    fn vector(self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, ..] = self.0;
        (a * x + c * y, b * x + d * y)
    }
}

fn num(o: &Object) -> f32 {
    o.as_float().ok().filter(|v| v.is_finite()).unwrap_or(0.0)
}

fn nums(ops: &[Object]) -> Vec<f32> {
    ops.iter().map(num).collect()
}

fn matrix(ops: &[Object]) -> Option<M> {
    let v = nums(ops);
    (v.len() == 6).then(|| M([v[0], v[1], v[2], v[3], v[4], v[5]]))
}

/// A PDF text string (UTF-16BE with its BOM, else PDFDocEncoding, read as
/// Latin-1, which agrees with it on printable ASCII).
fn text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(rest) => {
            let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

#[derive(Clone)]
struct Gs {
    ctm: M,
    white_fill: bool,
    white_stroke: bool,
}

/// The text state; kept apart from the graphics state as PDF readers do
/// in practice (BT resets only the matrices).
struct Ts {
    size: f32,
    char_space: f32,
    word_space: f32,
    scale: f32,
    leading: f32,
    rise: f32,
    tm: M,
    tlm: M,
}

/// Runs the content of pages, keeping the fonts it has read.
pub(super) struct Runner<'a, 'l> {
    doc: &'a Document,
    limits: &'l Limits,
    pub spent: Spent,
    fonts: HashMap<ObjectId, Rc<Font<'a>>>,
    /// Fonts written directly into a resource dictionary, by address.
    inline_fonts: HashMap<usize, Rc<Font<'a>>>,
}

/// Why a document cannot be read within the limits.
pub(super) type Over = String;

impl<'a, 'l> Runner<'a, 'l> {
    pub(super) fn new(doc: &'a Document, limits: &'l Limits) -> Self {
        Runner {
            doc,
            limits,
            spent: Spent::default(),
            fonts: HashMap::new(),
            inline_fonts: HashMap::new(),
        }
    }

    fn budget(&self) -> usize {
        self.limits.content_bytes.saturating_sub(self.spent.content_bytes)
    }

    /// Reads the font `name` of `resources` (read once per document).
    fn font(&mut self, resources: Option<&'a Dictionary>, name: &[u8]) -> Option<Rc<Font<'a>>> {
        let doc = self.doc;
        let fonts = resources?.get_deref(b"Font", doc).ok()?.as_dict().ok()?;
        let entry = fonts.get(name).ok()?;
        let budget = self.budget();
        match entry {
            Object::Reference(id) => {
                if !self.fonts.contains_key(id) {
                    let dict = doc.get_dictionary(*id).ok()?;
                    self.fonts.insert(*id, Rc::new(Font::new(doc, dict, budget)));
                }
                self.fonts.get(id).cloned()
            }
            Object::Dictionary(dict) => {
                let key = dict as *const Dictionary as usize;
                let font = self
                    .inline_fonts
                    .entry(key)
                    .or_insert_with(|| Rc::new(Font::new(doc, dict, budget)));
                Some(Rc::clone(font))
            }
            _ => None,
        }
    }

    /// Runs one page: `page_id` with its inherited resources and boxes.
    pub(super) fn page(&mut self, page_id: ObjectId) -> Result<Page, Over> {
        let doc = self.doc;
        let page = doc
            .get_dictionary(page_id)
            .map_err(|e| t!("import.pdf.page", error = e).into_owned())?;
        let inherited = |key: &[u8]| -> Option<&'a Object> {
            let mut node = page;
            for _ in 0..32 {
                if let Ok(v) = node.get_deref(key, doc) {
                    return Some(v);
                }
                node = node.get_deref(b"Parent", doc).ok()?.as_dict().ok()?;
            }
            None
        };
        let bbox = inherited(b"CropBox")
            .or_else(|| inherited(b"MediaBox"))
            .and_then(|o| o.as_array().ok())
            .map(|a| nums(a))
            .filter(|v| v.len() == 4)
            .unwrap_or_else(|| vec![0.0, 0.0, 595.0, 842.0]);
        let (llx, lly) = (bbox[0].min(bbox[2]), bbox[1].min(bbox[3]));
        let (urx, ury) = (bbox[0].max(bbox[2]), bbox[1].max(bbox[3]));
        let rotate = inherited(b"Rotate")
            .and_then(|o| o.as_i64().ok())
            .unwrap_or(0)
            .rem_euclid(360);
        // Default user space to the page as shown: top-left origin, y down.
        let (to_page, width, height) = match rotate {
            90 => (M([0.0, 1.0, 1.0, 0.0, -lly, -llx]), ury - lly, urx - llx),
            180 => (M([-1.0, 0.0, 0.0, 1.0, urx, -lly]), urx - llx, ury - lly),
            270 => (M([0.0, -1.0, -1.0, 0.0, ury, urx]), ury - lly, urx - llx),
            _ => (M([1.0, 0.0, 0.0, -1.0, -llx, ury]), urx - llx, ury - lly),
        };
        let resources = inherited(b"Resources").and_then(|o| o.as_dict().ok());
        let budget = self.budget();
        let bytes = doc
            .get_page_content_with_limit(page_id, budget)
            .map_err(|_| self.over_content())?;
        self.spent.content_bytes += bytes.len();
        let mut out = Page {
            width,
            height,
            ..Page::default()
        };
        let gs = Gs {
            ctm: to_page,
            white_fill: false,
            white_stroke: false,
        };
        self.run(&bytes, resources, gs, 0, &mut out)?;
        Ok(out)
    }

    fn over_content(&self) -> Over {
        t!("import.pdf.contents", mib = self.limits.content_bytes >> 20).into_owned()
    }

    /// Runs a content stream with its resources from the graphics state `gs`.
    fn run(
        &mut self,
        bytes: &[u8],
        resources: Option<&'a Dictionary>,
        gs: Gs,
        depth: usize,
        out: &mut Page,
    ) -> Result<(), Over> {
        let doc = self.doc;
        let mut gs = gs;
        let mut stack: Vec<Gs> = Vec::new();
        let mut ts = Ts {
            size: 0.0,
            char_space: 0.0,
            word_space: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            tm: M::ID,
            tlm: M::ID,
        };
        let mut font_name: Option<Vec<u8>> = None;
        // Marked content: for each open span, its /ActualText and whether it
        // has been given to a glyph yet.
        let mut marked: Vec<Option<(String, bool)>> = Vec::new();
        // The path being built: rectangles and line segments, in page space.
        let mut path: Vec<(f32, f32, f32, f32, bool)> = Vec::new();
        let mut current: Option<(f32, f32)> = None;
        let mut start: Option<(f32, f32)> = None;
        for op in Content::decode_iter(bytes) {
            // A stream that stops parsing keeps what it drew so far.
            let Ok(op) = op else { break };
            self.spent.operations += 1;
            if self.spent.operations > self.limits.operations {
                return Err(t!("import.pdf.operations", limit = self.limits.operations).into_owned());
            }
            let o = &op.operands;
            match op.operator.as_str() {
                "q" if stack.len() < 256 => stack.push(gs.clone()),
                "Q" => {
                    if let Some(g) = stack.pop() {
                        gs = g;
                    }
                }
                "cm" => {
                    if let Some(m) = matrix(o) {
                        gs.ctm = m.then(gs.ctm);
                    }
                }
                "g" | "rg" | "k" | "sc" | "scn" => gs.white_fill = white(op.operator.as_str(), o),
                "G" | "RG" | "K" | "SC" | "SCN" => gs.white_stroke = white(&op.operator.to_ascii_lowercase(), o),
                "BT" => {
                    ts.tm = M::ID;
                    ts.tlm = M::ID;
                }
                "Tf" => {
                    if let [Object::Name(n), size] = o.as_slice() {
                        font_name = Some(n.clone());
                        ts.size = num(size);
                    }
                }
                "Tc" => ts.char_space = o.first().map_or(0.0, num),
                "Tw" => ts.word_space = o.first().map_or(0.0, num),
                "Tz" => ts.scale = o.first().map_or(100.0, num) / 100.0,
                "TL" => ts.leading = o.first().map_or(0.0, num),
                "Ts" => ts.rise = o.first().map_or(0.0, num),
                "Td" | "TD" => {
                    let v = nums(o);
                    if v.len() == 2 {
                        if op.operator == "TD" {
                            ts.leading = -v[1];
                        }
                        ts.tlm = M([1.0, 0.0, 0.0, 1.0, v[0], v[1]]).then(ts.tlm);
                        ts.tm = ts.tlm;
                    }
                }
                "Tm" => {
                    if let Some(m) = matrix(o) {
                        ts.tm = m;
                        ts.tlm = m;
                    }
                }
                "T*" => next_line(&mut ts),
                "Tj" | "TJ" | "'" | "\"" => {
                    if op.operator == "\"" {
                        let v = nums(&o[..o.len().min(2)]);
                        if v.len() == 2 {
                            ts.word_space = v[0];
                            ts.char_space = v[1];
                        }
                    }
                    if op.operator == "'" || op.operator == "\"" {
                        next_line(&mut ts);
                    }
                    let Some(name) = font_name.clone() else { continue };
                    let Some(font) = self.font(resources, &name) else {
                        continue;
                    };
                    let items: Vec<&Object> = match o.last() {
                        Some(Object::Array(a)) if op.operator == "TJ" => a.iter().collect(),
                        Some(x) => vec![x],
                        None => continue,
                    };
                    for item in items {
                        match item {
                            Object::String(bytes, _) => {
                                self.show(&font, bytes, &mut ts, &gs, &mut marked, out)?;
                            }
                            other => {
                                let n = num(other);
                                let tx = -n / 1000.0 * ts.size * ts.scale;
                                ts.tm = M([1.0, 0.0, 0.0, 1.0, tx, 0.0]).then(ts.tm);
                            }
                        }
                    }
                }
                "BMC" => marked.push(None),
                "BDC" => {
                    let props = match o.get(1) {
                        Some(Object::Dictionary(d)) => Some(d),
                        Some(Object::Name(n)) => resources
                            .and_then(|r| r.get_deref(b"Properties", doc).ok())
                            .and_then(|p| p.as_dict().ok())
                            .and_then(|p| p.get_deref(n, doc).ok())
                            .and_then(|p| p.as_dict().ok()),
                        _ => None,
                    };
                    let actual = props
                        .and_then(|p| p.get(b"ActualText").ok())
                        .and_then(|t| t.as_str().ok())
                        .map(|t| (text_string(t), false));
                    if marked.len() < 256 {
                        marked.push(actual);
                    }
                }
                "EMC" => {
                    marked.pop();
                }
                "m" => {
                    let v = nums(o);
                    if v.len() == 2 {
                        let p = gs.ctm.point(v[0], v[1]);
                        current = Some(p);
                        start = Some(p);
                    }
                }
                "l" => {
                    let v = nums(o);
                    if let (2, Some((x0, y0))) = (v.len(), current) {
                        let (x1, y1) = gs.ctm.point(v[0], v[1]);
                        if path.len() < 100_000 {
                            path.push((x0, y0, x1, y1, false));
                        }
                        current = Some((x1, y1));
                    }
                }
                "h" => {
                    if let (Some((x0, y0)), Some((x1, y1))) = (current, start) {
                        if path.len() < 100_000 {
                            path.push((x0, y0, x1, y1, false));
                        }
                        current = start;
                    }
                }
                "re" => {
                    let v = nums(o);
                    if v.len() == 4 && path.len() < 100_000 {
                        let (x0, y0) = gs.ctm.point(v[0], v[1]);
                        let (x1, y1) = gs.ctm.point(v[0] + v[2], v[1] + v[3]);
                        path.push((x0, y0, x1, y1, true));
                    }
                }
                "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                    let stroke = matches!(op.operator.as_str(), "S" | "s" | "B" | "B*" | "b" | "b*");
                    let fill = !matches!(op.operator.as_str(), "S" | "s");
                    let white = (stroke && gs.white_stroke) || (fill && !stroke && gs.white_fill);
                    if !white {
                        for &(x0, y0, x1, y1, rect) in &path {
                            add_rules(&mut out.rules, x0, y0, x1, y1, rect, stroke, self.limits.rules);
                        }
                    }
                    path.clear();
                    current = None;
                }
                "n" => {
                    path.clear();
                    current = None;
                }
                "Do" => {
                    let Some(Object::Name(n)) = o.first() else { continue };
                    self.xobject(resources, n, &gs, depth, out)?;
                }
                "BI" | "ID" | "EI" => out.images += 1,
                _ => {}
            }
        }
        Ok(())
    }

    /// Draws the form or image XObject `name`.
    fn xobject(
        &mut self,
        resources: Option<&'a Dictionary>,
        name: &[u8],
        gs: &Gs,
        depth: usize,
        out: &mut Page,
    ) -> Result<(), Over> {
        let doc = self.doc;
        let Some(stream) = resources
            .and_then(|r| r.get_deref(b"XObject", doc).ok())
            .and_then(|x| x.as_dict().ok())
            .and_then(|x| x.get_deref(name, doc).ok())
            .and_then(|x| x.as_stream().ok())
        else {
            return Ok(());
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") => out.images += 1,
            Ok(b"Form") => {
                self.spent.forms += 1;
                if depth >= self.limits.form_depth || self.spent.forms > self.limits.forms {
                    return Err(t!(
                        "import.pdf.forms",
                        depth = self.limits.form_depth,
                        forms = self.limits.forms
                    )
                    .into_owned());
                }
                let budget = self.budget();
                let bytes = stream
                    .get_plain_content_with_limit(budget)
                    .map_err(|_| self.over_content())?;
                self.spent.content_bytes += bytes.len();
                let m = stream
                    .dict
                    .get_deref(b"Matrix", doc)
                    .ok()
                    .and_then(|m| m.as_array().ok())
                    .and_then(|m| matrix(m))
                    .unwrap_or(M::ID);
                let own = stream
                    .dict
                    .get_deref(b"Resources", doc)
                    .ok()
                    .and_then(|r| r.as_dict().ok());
                let inner = Gs {
                    ctm: m.then(gs.ctm),
                    ..gs.clone()
                };
                self.run(&bytes, own.or(resources), inner, depth + 1, out)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Shows the string `bytes` in `font`: one glyph per code.
    fn show(
        &mut self,
        font: &Font<'a>,
        bytes: &[u8],
        ts: &mut Ts,
        gs: &Gs,
        marked: &mut [Option<(String, bool)>],
        out: &mut Page,
    ) -> Result<(), Over> {
        for (code, len) in font.codes(bytes) {
            let w0 = font.width(code) / 1000.0;
            let trm = ts.tm.then(gs.ctm);
            let (x, y) = trm.point(0.0, ts.rise);
            let (vx, vy) = trm.vector(0.0, ts.size);
            let size = (vx * vx + vy * vy).sqrt();
            let (ax, ay) = trm.vector(w0 * ts.size * ts.scale, 0.0);
            let w = (ax * ax + ay * ay).sqrt();
            let spacing = ts.char_space + if len == 1 && code == 32 { ts.word_space } else { 0.0 };
            let tx = (w0 * ts.size + spacing) * ts.scale;
            ts.tm = M([1.0, 0.0, 0.0, 1.0, tx, 0.0]).then(ts.tm);
            // Inside an /ActualText span the span's text replaces the glyphs'.
            let actual = marked.iter_mut().rev().find_map(|m| m.as_mut());
            let (text, unreadable) = match actual {
                Some((t, given)) => {
                    let text = if *given { String::new() } else { t.clone() };
                    *given = true;
                    (text, false)
                }
                None => match font.text(code, len) {
                    Some(t) => (super::normalise(&t), false),
                    None => {
                        if !self.spent.unreadable_fonts.contains(&font.name) && self.spent.unreadable_fonts.len() < 16 {
                            self.spent.unreadable_fonts.push(font.name.clone());
                        }
                        ("\u{fffd}".to_string(), true)
                    }
                },
            };
            if !(x.is_finite() && y.is_finite() && w.is_finite() && size.is_finite()) {
                continue;
            }
            if text.is_empty() {
                // The rest of an /ActualText span widens the glyph before.
                if let Some(g) = out.glyphs.last_mut() {
                    g.w = (x + w - g.x).max(g.w);
                }
                continue;
            }
            self.spent.glyphs += 1;
            if self.spent.glyphs > self.limits.glyphs {
                return Err(t!("import.pdf.glyphs", limit = self.limits.glyphs).into_owned());
            }
            out.glyphs.push(Glyph {
                x,
                y,
                w,
                size,
                text,
                unreadable,
            });
        }
        Ok(())
    }
}

fn next_line(ts: &mut Ts) {
    ts.tlm = M([1.0, 0.0, 0.0, 1.0, 0.0, -ts.leading]).then(ts.tlm);
    ts.tm = ts.tlm;
}

/// Whether a colour operator's operands paint white (no border, or a
/// border hidden on a white page).
fn white(op: &str, o: &[Object]) -> bool {
    let v = nums(o);
    match op {
        "k" => v.len() == 4 && v.iter().all(|c| *c <= 0.05),
        "g" | "rg" | "sc" | "scn" => !v.is_empty() && v.len() <= 3 && v.iter().all(|c| *c >= 0.95),
        _ => false,
    }
}

/// The most a border may be thick: 3.5 points (a table's lines are 0.5-1.5,
/// a "3 pt" outer border the thickest Word offers for a plain line).
const THIN: f32 = 3.5;

/// Adds the borders a path element draws: a thin filled rectangle is one
/// line, a stroked rectangle its four edges, a stroked segment itself when
/// it is horizontal or vertical.
#[allow(clippy::too_many_arguments)]
fn add_rules(rules: &mut Vec<Rule>, x0: f32, y0: f32, x1: f32, y1: f32, rect: bool, stroke: bool, cap: usize) {
    if rules.len() >= cap {
        return;
    }
    let (lx, hx) = (x0.min(x1), x0.max(x1));
    let (ly, hy) = (y0.min(y1), y0.max(y1));
    let mut push = |x0: f32, y0: f32, x1: f32, y1: f32| {
        let (w, h) = (x1 - x0, y1 - y0);
        // Axis-aligned thin lines only, long enough to be a border.
        if (w <= THIN && h >= 3.0) || (h <= THIN && w >= 3.0) {
            rules.push(Rule { x0, y0, x1, y1 });
        }
    };
    if rect && stroke {
        push(lx, ly, hx, ly);
        push(lx, hy, hx, hy);
        push(lx, ly, lx, hy);
        push(hx, ly, hx, hy);
    } else if rect || (stroke && ((x1 - x0).abs() < 0.5 || (y1 - y0).abs() < 0.5)) {
        push(lx, ly, hx, hy);
    }
}
