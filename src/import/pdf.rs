//! A published PDF's text layer read back into the lines of text the text
//! importer reads ([`super::import_text`]): glyphs with their positions
//! ([`content`], fonts in [`fonts`]), then lines and tables rebuilt from
//! the positions and the tables' borders ([`layout`]).
//!
//! The extractor is pure Rust, so the import works on an office PC with
//! nothing else installed (poppler's `pdftotext` is rarely there on
//! Windows): lopdf parses the file (objects, cross-references with repair,
//! decryption with the empty password, ToUnicode maps) and bounds every
//! decompression; the content streams are run here, because no maintained
//! crate reports glyph positions within bounds (pdf-extract does, on an
//! older lopdf with no decompression limits, and panics on malformed
//! files; pdf-rs has no text layer). Measured against `pdftotext -layout`
//! on Chromium, LibreOffice and Word-style PDFs: docs/import.md, "PDF files".
//!
//! What cannot be read for sure is refused, never read as garbage: a PDF
//! with no text (a scan: OCR it or copy its text), one whose fonts do not
//! say which characters their glyphs are (no ToUnicode), one whose text is
//! no Chinese at all, one that needs a password; and anything past the
//! [`Limits`], so a hostile file costs bounded time and memory.

mod content;
mod fonts;
mod layout;

use std::cell::Cell;

use lopdf::{Document, LoadOptions, Object, ObjectId};

/// What reading one PDF may cost. Each limit is far above a real report
/// (5-50 pages, some tens of thousands of characters) and far below what
/// would hurt.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Pages read.
    pub pages: usize,
    /// Bytes any one object or cross-reference stream inflates to while the
    /// file is loaded.
    pub stream_bytes: usize,
    /// Object streams in the file (each is inflated while loading).
    pub object_streams: usize,
    /// Bytes all page contents, form XObjects and ToUnicode maps inflate to
    /// together.
    pub content_bytes: usize,
    /// Content-stream operations run, all pages together.
    pub operations: usize,
    /// Characters drawn, all pages together.
    pub glyphs: usize,
    /// Form XObjects drawn, and how deep they may nest.
    pub forms: usize,
    pub form_depth: usize,
    /// Border lines kept per page (tables are found among them pairwise).
    pub rules: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            pages: 1000,
            stream_bytes: 8 << 20,
            object_streams: 256,
            content_bytes: 64 << 20,
            operations: 5_000_000,
            glyphs: 1_000_000,
            forms: 10_000,
            form_depth: 8,
            rules: 4000,
        }
    }
}

/// Whether `bytes` look like a PDF: `%PDF-` within the first KiB (some
/// writers put junk before it).
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.len() >= 5 && bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-")
}

/// The text of a PDF, as lines the text importer reads, within the default
/// [`Limits`]. `Err` says why it cannot be read and what to do instead.
pub fn text(bytes: &[u8]) -> Result<String, String> {
    text_with(bytes, &Limits::default())
}

thread_local! {
    /// Object streams met while lopdf loads the current file (its filter
    /// hook is a plain `fn`, so the count lives here; lopdf's `rayon`
    /// feature, which would load on other threads, is off).
    static OBJECT_STREAMS: Cell<usize> = const { Cell::new(0) };
    static OBJECT_STREAM_CAP: Cell<usize> = const { Cell::new(usize::MAX) };
}

/// lopdf's load filter: counts object streams and drops those past the cap
/// (the load is then refused), so a file of many small flate bombs is not
/// inflated stream after stream.
fn count_object_streams(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    // lopdf keeps the object it passed for a top-level object, and takes
    // the returned one for an object inside an object stream (never a
    // stream itself), so a stream is left in place and anything else copied.
    if let Object::Stream(s) = object {
        if s.dict.has_type(b"ObjStm") {
            let n = OBJECT_STREAMS.with(|c| {
                c.set(c.get() + 1);
                c.get()
            });
            if n > OBJECT_STREAM_CAP.with(Cell::get) {
                return None;
            }
        }
        return Some((id, Object::Null));
    }
    Some((id, object.clone()))
}

/// [`text`] within the given limits.
pub fn text_with(bytes: &[u8], limits: &Limits) -> Result<String, String> {
    // lopdf is not ours: should it panic on some malformed file, that file
    // is refused like any other unreadable one.
    match std::panic::catch_unwind(|| read(bytes, limits)) {
        Ok(r) => r,
        Err(_) => Err(t!("import.pdf.damaged").into_owned()),
    }
}

fn read(bytes: &[u8], limits: &Limits) -> Result<String, String> {
    if !is_pdf(bytes) {
        return Err(t!("import.pdf.not_pdf").into_owned());
    }
    // The names lopdf acts on before any of our limits can: object streams
    // (each inflated while loading; an encrypted file is loaded without the
    // filter below, so they are counted here too) and encryption.
    let (mut object_streams, mut encrypted) = (0usize, false);
    for (i, _) in bytes.iter().enumerate().filter(|(_, &b)| b == b'/') {
        let rest = &bytes[i + 1..];
        object_streams += usize::from(rest.starts_with(b"ObjStm"));
        encrypted |= rest.starts_with(b"Encrypt");
    }
    if object_streams > limits.object_streams {
        return Err(too_many_object_streams(limits));
    }
    OBJECT_STREAMS.with(|c| c.set(0));
    OBJECT_STREAM_CAP.with(|c| c.set(limits.object_streams));
    let options = LoadOptions {
        max_decompressed_size: Some(limits.stream_bytes),
        filter: Some(count_object_streams),
        ..LoadOptions::default()
    };
    let loaded = Document::load_mem_with_options(bytes, options);
    let streams = OBJECT_STREAMS.with(Cell::get);
    if streams > limits.object_streams {
        return Err(too_many_object_streams(limits));
    }
    let doc = loaded.map_err(|e| match e {
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => password_needed(),
        _ if encrypted => password_needed(),
        lopdf::Error::Decompress(_) => t!("import.pdf.stream", mib = limits.stream_bytes >> 20).into_owned(),
        e => t!("import.pdf.unreadable", error = e).into_owned(),
    })?;
    // lopdf loads a file it cannot decrypt with the empty password as an
    // empty document.
    if doc.trailer.has(b"Encrypt") && doc.encryption_state.is_none() {
        return Err(password_needed());
    }
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    if pages.is_empty() {
        return Err(t!("import.pdf.no_pages").into_owned());
    }
    if pages.len() > limits.pages {
        return Err(t!("import.pdf.pages", pages = pages.len(), limit = limits.pages).into_owned());
    }
    let mut runner = content::Runner::new(&doc, limits);
    let mut drawn = Vec::with_capacity(pages.len());
    for id in pages {
        drawn.push(runner.page(id)?);
    }
    let spent = runner.spent;
    usable(&drawn, &spent.unreadable_fonts)?;
    // Columns half the body text wide; the body size is the commonest.
    let mut sizes: std::collections::BTreeMap<u32, usize> = std::collections::BTreeMap::new();
    for g in drawn.iter().flat_map(|p| &p.glyphs) {
        *sizes.entry((g.size * 2.0).round() as u32).or_default() += 1;
    }
    let body = sizes
        .iter()
        .max_by_key(|(_, n)| **n)
        .map_or(12.0, |(s, _)| *s as f32 / 2.0)
        .max(4.0);
    let mut out = String::new();
    for (i, page) in drawn.iter().enumerate() {
        if i > 0 {
            // A page break, as pdftotext writes it.
            out.push('\u{c}');
            out.push('\n');
        }
        let left = page.glyphs.iter().map(|g| g.x).reduce(f32::min).unwrap_or(0.0);
        out.push_str(&layout::page_text(page, body / 2.0, left));
    }
    Ok(out)
}

fn too_many_object_streams(limits: &Limits) -> String {
    t!("import.pdf.object_streams", limit = limits.object_streams).into_owned()
}

fn password_needed() -> String {
    t!("import.pdf.password").into_owned()
}

/// Refuses a text layer that cannot be read for sure: none at all, glyphs
/// without text, or text with no Chinese in it.
fn usable(pages: &[content::Page], bad_fonts: &[String]) -> Result<(), String> {
    let glyphs: Vec<&content::Glyph> = pages.iter().flat_map(|p| &p.glyphs).collect();
    let images: usize = pages.iter().map(|p| p.images).sum();
    if glyphs.iter().all(|g| g.text.trim().is_empty()) {
        return Err(if images > 0 {
            t!("import.pdf.scan", pages = pages.len(), images = images).into_owned()
        } else {
            t!("import.pdf.no_text").into_owned()
        });
    }
    let unreadable = glyphs.iter().filter(|g| g.unreadable).count();
    if unreadable * 50 > glyphs.len() {
        return Err(t!(
            "import.pdf.no_unicode",
            unreadable = unreadable,
            glyphs = glyphs.len(),
            fonts = bad_fonts.join(", ")
        )
        .into_owned());
    }
    let chinese = glyphs
        .iter()
        .flat_map(|g| g.text.chars())
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    if chinese < 20 {
        return Err(t!("import.pdf.no_chinese", glyphs = glyphs.len(), chinese = chinese).into_owned());
    }
    Ok(())
}

/// Kangxi radicals and CJK compatibility ideographs (which some fonts' maps
/// give for common characters: ⼀ for 一, ⾏ for 行) as the unified
/// ideographs they look like; other text as it is. Applied to each glyph's
/// text, so the check for Chinese text counts them.
fn normalise(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    s.chars()
        .flat_map(|c| {
            let odd = ('\u{2e80}'..='\u{2fdf}').contains(&c) || ('\u{f900}'..='\u{faff}').contains(&c);
            let mapped: Vec<char> = if odd {
                std::iter::once(c).nfkc().collect()
            } else {
                vec![c]
            };
            mapped
        })
        .collect()
}
