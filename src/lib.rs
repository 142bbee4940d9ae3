//! gongkai (公开): a static site generator for government information-disclosure
//! portals. The modules form layers, each using only its own layer and those
//! below it, never one above, and no two modules use each other (ARCHITECTURE.md;
//! `tests/layers.rs` checks it), bottom first:
//!
//! 1. base: `error`, `fsx`, `i18n`, `diagnostics` and `rules`, `timing`, `escape`, `term`
//! 2. load: `config` (`site.toml`), `frontmatter`
//! 3. model: `report` (the typed report, its labels and formats, parsed from
//!    the front-matter tree; its sections; `report::file`, the text of a report file)
//! 4. content: `content` (walk and read `content/` into the model)
//! 5. check: `report::checks`, `report::similarity`, `site` (the checked site)
//! 6. plan: `portal`, `urls` (the URL scheme and `PageKey`, the one list of
//!    addresses), `collisions` (F07)
//! 7. outputs: `outputs` (the `Output` trait), `theme`, `markdown`, `render`
//!    (pages, and the registry of outputs), `data`, `search`
//! 8. write: `output` (the guard, staging, the swap)
//! 9. commands: `build`, `serve`, `import`, `scaffold`, then `commands`
//!
//! [`commands`] implements the CLI's subcommands on top of these.

// Every message a user reads, in English and Chinese (`locales/*.yml`,
// compiled in; `i18n` chooses the language). `t!` is in scope everywhere.
rust_i18n::i18n!("locales", fallback = "en");

/// rust-i18n's `t!` in the language of [`i18n::current`]: the run's, or the
/// one a thread takes for a moment with [`i18n::with_lang`] (rust-i18n's own
/// locale is one for the whole process). `locale = …` first still forces one.
macro_rules! t {
    ($key:expr, locale = $locale:expr $(, $($rest:tt)*)?) => {
        rust_i18n::t!($key, locale = $locale $(, $($rest)*)?)
    };
    ($key:expr $(,)?) => {
        rust_i18n::t!($key, locale = $crate::i18n::current().locale())
    };
    ($key:expr, $($rest:tt)*) => {
        rust_i18n::t!($key, locale = $crate::i18n::current().locale(), $($rest)*)
    };
}

// First, so that its printing macros (`out!`, `eoutln!`, …) are in scope in
// every module below.
#[macro_use]
pub mod term;

pub mod build;
pub mod collisions;
pub mod commands;
pub mod compliance;
pub mod config;
pub mod content;
pub mod data;
pub mod diagnostics;
mod error;
pub mod escape;
pub mod export;
pub mod frontmatter;
pub mod fsx;
pub mod i18n;
pub mod import;
pub mod markdown;
pub mod output;
pub mod outputs;
pub mod portal;
pub mod render;
pub mod report;
pub mod rollup;
pub mod roster;
pub mod rules;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod theme;
mod timing;
pub mod urls;

pub use error::Error;

/// Exit statuses: 0 fine, 1 content errors, 2 usage, IO or internal failure.
pub mod exit {
    pub const OK: u8 = 0;
    pub const CONTENT_ERRORS: u8 = 1;
    pub const FAILURE: u8 = 2;
}
