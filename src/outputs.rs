//! The outputs of a build, as one trait. Every kind of file the build makes
//! from the planned portal (the web pages, the open data, the search index)
//! is an [`Output`], as mdBook's renderers are: it says which files it
//! produces, by address ([`PageKey`], the one list of addresses), renders
//! one of them, says how long that takes, and which of its files a change of
//! the content touches (for incremental rebuilds). [`render`] renders any
//! set of addresses with the outputs given, in parallel, handing each file to
//! a sink as soon as it is made, so nothing is kept per page.
//!
//! The outputs themselves are `render::pages::Pages`, `data::OpenData` and
//! `search::SearchIndex`; the registry that lists them is `render::Registry`
//! (above them all, as it names each).

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::markdown::MarkdownOptions;
use crate::portal::Portal;
use crate::theme::Theme;
use crate::urls::PageKey;
use crate::Error;

/// One file to write: its path in the output folder and its bytes.
pub struct Rendered {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Options of a render.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    pub markdown: MarkdownOptions,
}

/// What every output renders from: the planned portal, the theme's
/// templates, the options.
pub struct Cx<'a> {
    pub portal: &'a Portal<'a>,
    pub theme: &'a Theme,
    pub opts: RenderOptions,
}

/// How long rendering one file takes, which decides when it is started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cost {
    /// One report, agency or page: one of many, rendered in runs.
    Light,
    /// A file that shows many reports (a year page, the compare page,
    /// `all.csv`, the data package): started first, one task each, beside
    /// the many small ones, so that no core is left finishing one of them
    /// alone at the end.
    Heavy,
    /// Files made together by a parallel pass over the whole portal (the
    /// search index): started at once beside everything else, each filling
    /// the other's idle moments.
    Whole,
}

/// What changed in the content, as an incremental rebuild asks the outputs
/// about it.
#[derive(Clone, Copy, Debug)]
pub enum Change<'a> {
    /// A report of the agency `slug` was added, edited or removed; `years`
    /// are the years it belonged to, before the change and after.
    Reports { slug: &'a str, years: &'a [i32] },
    /// An ordinary page, by its path (`content/guide.md`).
    Page(&'a str),
}

/// A kind of output file of the portal.
///
/// An output made for one render may keep what it works out once per
/// render (the wide CSV columns, the navigation): a new render of another
/// portal takes new outputs.
pub trait Output: Sync {
    /// Its name, for messages and timings (`pages`, `open data`, …).
    fn name(&self) -> &'static str;
    /// Whether the file at `key` is one of this output's.
    fn owns(&self, key: &PageKey) -> bool;
    /// The files it produces for `portal`.
    fn files(&self, portal: &Portal) -> Vec<PageKey>;
    /// Renders the file at `key` (one of [`files`](Output::files)): one
    /// file, or none when the portal has no such address (a report since
    /// removed), or many for an address that stands for a set of files
    /// (the search index).
    fn render(&self, key: &PageKey, cx: &Cx) -> Result<Vec<Rendered>, Error>;
    /// How long rendering `key` takes.
    fn cost(&self, _key: &PageKey) -> Cost {
        Cost::Light
    }
    /// The files among its own that show what `change` changed, in the
    /// portal as it is after it. They may include addresses the portal no
    /// longer has (the caller deletes those files); what every page shows
    /// (the years, the navigation) is not a change of one output's files.
    fn touched(&self, change: &Change, portal: &Portal) -> Vec<PageKey>;
}

/// Where rendered files go: the address they were rendered for, and the file.
pub type Sink<'a> = &'a (dyn Fn(&PageKey, Rendered) -> Result<(), Error> + Sync);

/// Renders the files at `keys` with the `outputs` that own them, in
/// parallel, handing each file to `sink`. A key that no output owns or that
/// the portal does not have is skipped. Returns the number of web pages
/// (HTML files) made.
pub fn render(outputs: &[&dyn Output], cx: &Cx, keys: &[PageKey], sink: Sink) -> Result<usize, Error> {
    let mut light = Vec::new();
    let mut heavy = Vec::new();
    let mut whole = Vec::new();
    for key in keys {
        if let Some(output) = outputs.iter().copied().find(|o| o.owns(key)) {
            match output.cost(key) {
                Cost::Light => light.push((output, key)),
                Cost::Heavy => heavy.push((output, key)),
                Cost::Whole => whole.push((output, key)),
            }
        }
    }
    let html_pages = AtomicUsize::new(0);
    // Per-file timings for small (incremental) renders only.
    let timed = keys.len() < 100 && crate::timing::enabled();
    let one = |&(output, key): &(&dyn Output, &PageKey)| -> Result<(), Error> {
        let t = std::time::Instant::now();
        let files = output.render(key, cx)?;
        let html = files.iter().filter(|f| f.path.ends_with(".html")).count();
        html_pages.fetch_add(html, Ordering::Relaxed);
        if timed {
            eprintln!("timing: page {key:?}: {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
        }
        if files.len() == 1 {
            files.into_iter().try_for_each(|f| sink(key, f))
        } else {
            files.into_par_iter().try_for_each(|f| sink(key, f))
        }
    };
    // Bounded pieces: rayon otherwise cuts a list into about twice as many
    // pieces as threads, each rendered in one go unless a thread steals from
    // it, so that at the end one thread could be left alone with a piece
    // of hundreds of pages (a tenth of a second of a 10,000-report build on
    // one core of two). A heavy or whole file is a piece of its own.
    let ((a, b), c) = rayon::join(
        || {
            rayon::join(
                || heavy.par_iter().with_max_len(1).try_for_each(one),
                || light.par_iter().with_max_len(16).try_for_each(one),
            )
        },
        || whole.par_iter().with_max_len(1).try_for_each(one),
    );
    a.and(b).and(c)?;
    Ok(html_pages.into_inner())
}
