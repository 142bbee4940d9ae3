//! gongkai (公开): a static site generator for government information-disclosure
//! portals. The pipeline, one module per stage (see ARCHITECTURE.md):
//!
//! 1. `config`: `site.toml`
//! 2. `content`: walk and read `content/`, split front matter (`frontmatter`)
//! 3. `report`: the report model, parsed and checked (R01-R12)
//! 4. `site`: the checked site, with every `diagnostics::Diagnostic`
//!
//! [`commands`] implements the CLI's subcommands on top of these;
//! [`scaffold`] writes new sites and report templates.

// First, so that its printing macros (`out!`, `eoutln!`, …) are in scope in
// every module below.
#[macro_use]
pub mod term;

pub mod build;
pub mod collisions;
pub mod commands;
pub mod config;
pub mod content;
pub mod data;
pub mod diagnostics;
mod error;
pub mod escape;
pub mod frontmatter;
pub mod fsx;
pub mod import;
pub mod markdown;
pub mod output;
pub mod outputs;
pub mod portal;
pub mod render;
pub mod report;
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
