//! Rendering the planned portal: the registry of the build's outputs (the
//! web pages [`Pages`], the open data [`OpenData`] and the search index
//! [`SearchIndex`], each an [`Output`]) and the calls that render them. A
//! build asks every output for its files and renders them all in parallel
//! ([`crate::outputs::render`]), each file handed to a sink (the output
//! stage) as soon as it is ready, so a build never holds the whole site in
//! memory; an incremental rebuild asks every output what a change touches
//! ([`touched`]) and renders only that.
//!
//! User text enters markup only through [`escape`] (the templates'
//! auto-escape function too), and page URLs enter markup, feeds and sitemaps
//! only through [`urls::href`], which percent-encodes them.

pub mod charts;
pub mod compliance;
mod context;
mod feed;
mod figures;
pub mod pages;
mod rollup;
pub mod tables;

pub use crate::escape;
pub use crate::outputs::{Change, Cost, Cx, Output, RenderOptions, Rendered};
pub use crate::theme::{Source, Theme};
pub use crate::urls::{self, all_pages, data_keys_for, PageKey};
pub use compliance::CompliancePages;
pub use context::{shared_signature, SharedSignature};
pub use pages::Pages;

use crate::data::OpenData;
use crate::portal::Portal;
use crate::search::SearchIndex;
use crate::Error;

/// The outputs of one render of one portal, in the order they are asked
/// for their files. (Each keeps what it works out once per render: make a
/// new registry for another portal.)
#[derive(Default)]
pub struct Registry {
    pages: Pages,
    data: OpenData,
    search: SearchIndex,
    compliance: CompliancePages,
}

impl Registry {
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Every registered output.
    pub fn outputs(&self) -> [&dyn Output; 4] {
        [&self.pages, &self.data, &self.search, &self.compliance]
    }

    /// Every file of the portal, output by output.
    pub fn files(&self, portal: &Portal) -> Vec<PageKey> {
        self.outputs().iter().flat_map(|o| o.files(portal)).collect()
    }

    /// The files that `change` touches, output by output.
    pub fn touched(&self, change: &Change, portal: &Portal) -> Vec<PageKey> {
        self.outputs().iter().flat_map(|o| o.touched(change, portal)).collect()
    }

    /// Renders the files at `keys` in parallel, handing each to `sink`
    /// (see [`crate::outputs::render`]). Returns the number of web pages.
    pub fn render(&self, cx: &Cx, keys: &[PageKey], sink: crate::outputs::Sink) -> Result<usize, Error> {
        crate::outputs::render(&self.outputs(), cx, keys, sink)
    }
}

/// The files of the portal that `change` touches, in every output (for
/// incremental rebuilds; see [`Output::touched`]).
pub fn touched(portal: &Portal, change: &Change) -> Vec<PageKey> {
    Registry::new().touched(change, portal)
}

/// Renders the files at `keys` in parallel, handing each to `sink`. A key
/// the portal does not have (a report since removed) is skipped. Returns the
/// number of web pages (HTML files) among them.
pub fn render_pages(
    portal: &Portal,
    theme: &Theme,
    opts: RenderOptions,
    keys: &[PageKey],
    sink: &(dyn Fn(Rendered) -> Result<(), Error> + Sync),
) -> Result<usize, Error> {
    let cx = Cx { portal, theme, opts };
    Registry::new().render(&cx, keys, &|_, file| sink(file))
}
