//! A PDF font as the text layer needs it: how its string bytes split into
//! character codes, what Unicode text each code stands for, and how far each
//! code advances the text position. The text comes from the font's
//! `/ToUnicode` map first (what Word, WPS, Chromium and LibreOffice write for
//! every font they embed), then from a predefined Chinese CMap (UniGB-UCS2,
//! UniGB-UTF16, GBK-EUC, GB-EUC), then from a simple font's `/Encoding`;
//! a code with none of these (a Type0 font with Identity-H and no
//! `/ToUnicode`, a Type3 font without one) has no text, and is counted as
//! unreadable rather than guessed. lopdf parses the maps and encodings; the
//! per-code reading and the widths are here, because lopdf only decodes whole
//! strings and knows nothing of widths.

use lopdf::{Dictionary, Document, Encoding, Object};

/// How a font's string bytes split into codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Codes {
    /// Simple fonts (Type1, TrueType, Type3): one byte a code.
    One,
    /// Type0 fonts with Identity-H/V, UCS-2 or UTF-16 CMaps: two bytes.
    Two,
    /// Type0 fonts with GBK-EUC/GB-EUC CMaps: one byte below 0x81, else two.
    Gbk,
}

/// Where a code's text comes from.
enum Text<'a> {
    /// A `/ToUnicode` map's lookup (lopdf does not name its map type).
    Map(Lookup),
    Utf16,
    Gb18030,
    Simple(Encoding<'a>),
    /// No way to tell: every code is unreadable.
    None,
}

/// One font of a page, ready to read strings with.
pub(super) struct Font<'a> {
    codes: Codes,
    text: Text<'a>,
    /// Advance widths in thousandths of the text size, for code ranges:
    /// (first code, last code, width), sorted by first code.
    widths: Vec<(u32, u32, f32)>,
    default_width: f32,
    /// The font's name, for messages.
    pub name: String,
}

/// The most width entries read from one font (a CJK font lists a few
/// thousand; a hostile `/W` array may list millions).
const WIDTH_CAP: usize = 100_000;

fn number(o: &Object) -> Option<f32> {
    o.as_float().ok().filter(|v| v.is_finite())
}

impl<'a> Font<'a> {
    /// Reads the font dictionary `dict`; `budget` bounds what decoding its
    /// `/ToUnicode` stream may inflate to.
    pub(super) fn new(doc: &'a Document, dict: &'a Dictionary, budget: usize) -> Font<'a> {
        let subtype = dict.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"");
        let name = dict
            .get(b"BaseFont")
            .and_then(Object::as_name)
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(subtype).into_owned());
        let cmap_name = match dict.get(b"Encoding") {
            Ok(Object::Name(n)) => Some(n.as_slice()),
            _ => None,
        };
        let type0 = subtype == b"Type0";
        let codes = if !type0 {
            Codes::One
        } else if cmap_name.is_some_and(|n| n.starts_with(b"GBK") || n.starts_with(b"GB-EUC")) {
            Codes::Gbk
        } else {
            Codes::Two
        };
        let text = match to_unicode(doc, dict, budget) {
            Some(map) => Text::Map(map),
            None if type0 => match cmap_name {
                Some(b"UniGB-UCS2-H" | b"UniGB-UCS2-V" | b"UniGB-UTF16-H" | b"UniGB-UTF16-V") => Text::Utf16,
                Some(n) if n.starts_with(b"GBK") || n.starts_with(b"GB-EUC") => Text::Gb18030,
                _ => Text::None,
            },
            // A simple font: its /Encoding, or the standard encoding of a
            // font that is not embedded (a base-14 font). An embedded font
            // with neither has codes only its own glyph table knows.
            None if subtype != b"Type3" && (dict.has(b"Encoding") || !embedded(doc, dict)) => {
                match dict.get_font_encoding_with_limit(doc, budget) {
                    Ok(e) => Text::Simple(e),
                    Err(_) => Text::None,
                }
            }
            None => Text::None,
        };
        let (widths, default_width) = if type0 {
            cid_widths(doc, dict)
        } else {
            simple_widths(doc, dict, subtype == b"Type3")
        };
        Font {
            codes,
            text,
            widths,
            default_width,
            name,
        }
    }

    /// Splits `bytes` into codes: (code, its length in bytes).
    pub(super) fn codes(&self, bytes: &[u8]) -> Vec<(u32, u8)> {
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let two = match self.codes {
                Codes::One => false,
                Codes::Two => true,
                Codes::Gbk => bytes[i] >= 0x81,
            };
            if two && i + 1 < bytes.len() {
                out.push((u32::from(bytes[i]) << 8 | u32::from(bytes[i + 1]), 2));
                i += 2;
            } else {
                out.push((u32::from(bytes[i]), 1));
                i += 1;
            }
        }
        out
    }

    /// The text of one code; `None` when the font cannot tell.
    pub(super) fn text(&self, code: u32, len: u8) -> Option<String> {
        let s = match &self.text {
            Text::Map(map) => String::from_utf16_lossy(&map(code, u32::from(len))?),
            Text::Utf16 => char::from_u32(code)?.to_string(),
            Text::Gb18030 => {
                let bytes: Vec<u8> = if len == 2 {
                    vec![(code >> 8) as u8, code as u8]
                } else {
                    vec![code as u8]
                };
                let (s, bad) = encoding_rs::GB18030.decode_without_bom_handling(&bytes);
                if bad {
                    return None;
                }
                s.into_owned()
            }
            Text::Simple(e) => e.bytes_to_string(&[code as u8]).ok()?,
            Text::None => return None,
        };
        (!s.is_empty() && !s.contains('\u{fffd}')).then_some(s)
    }

    /// The advance of a code, in thousandths of the text size.
    pub(super) fn width(&self, code: u32) -> f32 {
        let i = self.widths.partition_point(|&(first, _, _)| first <= code);
        match i.checked_sub(1).map(|i| self.widths[i]) {
            Some((_, last, w)) if code <= last => w,
            _ => self.default_width,
        }
    }
}

/// Whether the font (or its descendant) carries its own font program.
fn embedded(doc: &Document, dict: &Dictionary) -> bool {
    dict.get_deref(b"FontDescriptor", doc)
        .and_then(Object::as_dict)
        .is_ok_and(|d| d.has(b"FontFile") || d.has(b"FontFile2") || d.has(b"FontFile3"))
}

/// The font's `/ToUnicode` map, read by lopdf from a copy of the font
/// dictionary without its `/Encoding` (lopdf reads `/Encoding` first, and
/// for a simple font with `/Differences` of made-up glyph names, as Chromium
/// writes for its Type3 fonts, that gives garbage where the map is right).
type Lookup = Box<dyn Fn(u32, u32) -> Option<Vec<u16>>>;

fn to_unicode(doc: &Document, dict: &Dictionary, budget: usize) -> Option<Lookup> {
    dict.get_deref(b"ToUnicode", doc).ok()?.as_stream().ok()?;
    let mut copy = Dictionary::new();
    copy.set("Type", Object::Name(b"Font".to_vec()));
    copy.set("ToUnicode", dict.get(b"ToUnicode").ok()?.clone());
    match copy.get_font_encoding_with_limit(doc, budget) {
        Ok(Encoding::UnicodeMapEncoding(map)) => Some(Box::new(move |code, len| map.get(code, len as u8))),
        _ => None,
    }
}

/// A Type0 font's widths: its descendant's `/W` and `/DW`.
fn cid_widths(doc: &Document, dict: &Dictionary) -> (Vec<(u32, u32, f32)>, f32) {
    let descendant = dict
        .get_deref(b"DescendantFonts", doc)
        .and_then(Object::as_array)
        .ok()
        .and_then(|a| a.first())
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok());
    let Some(d) = descendant else {
        return (Vec::new(), 1000.0);
    };
    let dw = d.get_deref(b"DW", doc).ok().and_then(number).unwrap_or(1000.0);
    let mut out = Vec::new();
    if let Ok(w) = d.get_deref(b"W", doc).and_then(Object::as_array) {
        let mut i = 0;
        while i < w.len() && out.len() < WIDTH_CAP {
            let Some(first) = number(&w[i]).filter(|v| *v >= 0.0) else {
                break;
            };
            let first = first as u32;
            match w.get(i + 1).map(|o| doc.dereference(o).map(|x| x.1)) {
                Some(Ok(Object::Array(list))) => {
                    for (k, o) in list.iter().take(WIDTH_CAP).enumerate() {
                        if let Some(v) = number(o) {
                            let c = first.saturating_add(k as u32);
                            out.push((c, c, v));
                        }
                    }
                    i += 2;
                }
                Some(Ok(last)) => {
                    let (Some(last), Some(v)) = (number(last), w.get(i + 2).and_then(number)) else {
                        break;
                    };
                    out.push((first, last.max(first as f32) as u32, v));
                    i += 3;
                }
                _ => break,
            }
        }
    }
    out.truncate(WIDTH_CAP);
    out.sort_by_key(|x| x.0);
    (out, dw)
}

/// A simple font's widths: `/FirstChar` and `/Widths` (a Type3 font's in
/// its glyph space, scaled by its `/FontMatrix` to thousandths of the text
/// size), else the descriptor's `/MissingWidth`, else half an em (a base-14
/// font written without widths).
fn simple_widths(doc: &Document, dict: &Dictionary, type3: bool) -> (Vec<(u32, u32, f32)>, f32) {
    let scale = if type3 {
        dict.get_deref(b"FontMatrix", doc)
            .and_then(Object::as_array)
            .ok()
            .and_then(|m| m.first().and_then(number))
            .map_or(1.0, |a| (a * 1000.0).abs())
    } else {
        1.0
    };
    let missing = dict
        .get_deref(b"FontDescriptor", doc)
        .and_then(Object::as_dict)
        .ok()
        .and_then(|d| d.get_deref(b"MissingWidth", doc).ok().and_then(number))
        .filter(|w| *w > 0.0);
    let first = dict
        .get_deref(b"FirstChar", doc)
        .ok()
        .and_then(number)
        .unwrap_or(0.0)
        .max(0.0) as u32;
    let mut out = Vec::new();
    if let Ok(w) = dict.get_deref(b"Widths", doc).and_then(Object::as_array) {
        for (k, o) in w.iter().take(256).enumerate() {
            let v = doc.dereference(o).ok().and_then(|(_, o)| number(o));
            if let Some(v) = v {
                let c = first.saturating_add(k as u32);
                out.push((c, c, v * scale));
            }
        }
    }
    (out, missing.map_or(500.0, |m| m * scale))
}
