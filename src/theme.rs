//! The theme: the Tera templates and static files a build uses, in layers,
//! each overriding the one before: the built-in default theme (embedded in
//! the binary with `include_dir`, so a theme written before the portal gained
//! a page still has it), the theme's folder `themes/<name>/`, and the site's
//! own `templates/` and `static/`. Templates are parsed once per build; every
//! `{{ value }}` of a template is escaped by [`crate::escape`]. `scaffold`
//! writes the same embedded theme into a new site.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use tera::{Context, Tera};

use crate::escape;
use crate::Error;

/// The default theme, built into the binary: the first layer of every
/// theme, and what `init` writes into a new site.
pub static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A file of the theme or the site: embedded in the binary or on disk.
#[derive(Clone, Debug)]
pub enum Source {
    Embedded(&'static [u8]),
    File(PathBuf),
}

/// The templates and static files a build uses.
pub struct Theme {
    tera: Tera,
    /// Where each template came from (for messages).
    origins: BTreeMap<String, String>,
    /// Static files by output path, the site's own overriding the theme's.
    pub statics: BTreeMap<String, Source>,
}

impl Theme {
    /// Loads the theme named in `site.toml` (from `themes/<name>/`, or the
    /// built-in default theme when the site has no such folder) and the site's
    /// own `templates/` and `static/`. Templates are parsed here, once.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Error> {
        let theme_dir = root.join("themes").join(name);
        if !theme_dir.is_dir() && name != "default" {
            return Err(Error::Theme(format!(
                "theme `{name}` not found: there is no folder {}",
                theme_dir.display()
            )));
        }
        let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut statics = BTreeMap::new();
        // Layers, each overriding the one before: the built-in theme (so a
        // theme written before the portal gained a page still has it), the
        // theme's folder, the site's own `templates/` and `static/`.
        for (rel, bytes) in embedded_files(&DEFAULT_THEME) {
            if let Some(t) = rel.strip_prefix("templates/") {
                let origin = format!("(built-in theme) templates/{t}");
                templates.insert(t.to_string(), (origin, String::from_utf8_lossy(bytes).into_owned()));
            } else if let Some(st) = rel.strip_prefix("static/") {
                statics.insert(st.to_string(), Source::Embedded(bytes));
            }
        }
        for layer in [theme_dir.as_path(), root] {
            read_dir_into(&layer.join("templates"), root, &mut |rel, path, origin| {
                let bytes = crate::fsx::read_regular(path, crate::fsx::CONTENT_CAP).map_err(|e| Error::io(path, e))?;
                let text = String::from_utf8(bytes).map_err(|_| {
                    Error::io(
                        path,
                        std::io::Error::new(std::io::ErrorKind::InvalidData, "a template must be UTF-8"),
                    )
                })?;
                templates.insert(rel, (origin, text));
                Ok(())
            })?;
            read_dir_into(&layer.join("static"), root, &mut |rel, path, _| {
                statics.insert(rel, Source::File(path.to_path_buf()));
                Ok(())
            })?;
        }

        let mut tera = Tera::new();
        // Every `{{ value }}` of an HTML or XML template is escaped by the
        // one escaping function; `json_script` is JSON safe in `<script>`.
        tera.set_escape_fn(escape::tera);
        tera.register_filter("json_script", json_script_filter);
        let origins: BTreeMap<String, String> = templates.iter().map(|(k, (o, _))| (k.clone(), o.clone())).collect();
        tera.add_raw_templates(templates.iter().map(|(k, (_, text))| (k.as_str(), text.as_str())))
            .map_err(|e| template_error(&e, &origins))?;
        Ok(Theme { tera, origins, statics })
    }

    /// Renders `template` with `ctx`, as the bytes of the file to write
    /// (without checking again that Tera's output is UTF-8).
    pub fn render(&self, template: &str, ctx: &Context) -> Result<Vec<u8>, Error> {
        let mut out = Vec::with_capacity(32 * 1024);
        self.tera
            .render_to(template, ctx, &mut out)
            .map_err(|e| template_error(&e, &self.origins))?;
        Ok(out)
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    pub fn global_context(&mut self) -> &mut Context {
        self.tera.global_context()
    }
}

/// The `json_script` filter: a value as JSON that may sit inside a
/// `<script>` element (see [`escape::json_script`]).
fn json_script_filter(value: tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::TeraResult<tera::Value> {
    let json = serde_json::to_string(&value).map_err(|e| tera::Error::message(format!("json_script: {e}")))?;
    Ok(tera::Value::safe_string(&escape::json_script(&json)))
}

/// A template error, with the template's file named.
fn template_error(e: &tera::Error, origins: &BTreeMap<String, String>) -> Error {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!("\n  caused by: {s}"));
        source = s.source();
    }
    let files: Vec<String> = origins
        .iter()
        .filter(|(name, _)| text.contains(name.as_str()))
        .map(|(name, origin)| format!("{name} is {origin}"))
        .collect();
    let place = if files.is_empty() {
        String::new()
    } else {
        format!(" ({})", files.join("; "))
    };
    Error::Template(format!("template error{place}:\n{text}"))
}

/// Calls `f(relative name, path, origin)` for each file under `dir`, if it exists.
fn read_dir_into(
    dir: &Path,
    root: &Path,
    f: &mut dyn FnMut(String, &Path, String) -> Result<(), Error>,
) -> Result<(), Error> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry =
            entry.map_err(|e| Error::io(dir, e.into_io_error().unwrap_or_else(|| std::io::Error::other("walk"))))?;
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || name.starts_with('.') || crate::content::is_editor_temp(&name) {
            continue;
        }
        let rel = crate::content::relative(dir, entry.path());
        f(rel, entry.path(), crate::content::relative(root, entry.path()))?;
    }
    Ok(())
}

fn embedded_files(d: &'static Dir<'static>) -> Vec<(String, &'static [u8])> {
    let mut out = Vec::new();
    for f in d.files() {
        out.push((f.path().to_string_lossy().replace('\\', "/"), f.contents()));
    }
    for sub in d.dirs() {
        out.extend(embedded_files(sub));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn templates_escape_with_the_one_function_and_json_is_script_safe() {
        let dir = std::env::temp_dir().join("gongkai-render-test-no-site");
        let mut theme = super::Theme::load(&dir, "default").expect("the built-in theme");
        theme
            .tera
            .add_raw_templates([
                (
                    "t.html",
                    "<p title=\"{{ x }}\">{{ x }}</p><script>var d = {{ x | json_script }};</script>",
                ),
                ("t.xml", "<a>{{ x }}</a>"),
            ])
            .expect("templates");
        let mut ctx = tera::Context::new();
        ctx.insert("x", "</script><!--\u{1}'\"&");
        let html = String::from_utf8(theme.render("t.html", &ctx).expect("renders")).expect("UTF-8");
        assert_eq!(
            html,
            "<p title=\"&lt;/script&gt;&lt;!--\u{FFFD}&#39;&quot;&amp;\">&lt;/script&gt;&lt;!--\u{FFFD}&#39;&quot;&amp;</p>\
             <script>var d = \"\\u003c/script\\u003e\\u003c!--\\u0001'\\\"\\u0026\";</script>"
        );
        let xml = String::from_utf8(theme.render("t.xml", &ctx).expect("renders")).expect("UTF-8");
        assert_eq!(xml, "<a>&lt;/script&gt;&lt;!--\u{FFFD}&#39;&quot;&amp;</a>");
    }

    #[test]
    fn the_highlight_themes_site_toml_accepts_are_syntects() {
        let names: Vec<&str> = crate::config::HIGHLIGHT_THEMES.to_vec();
        assert_eq!(names, crate::markdown::highlight_themes());
        for name in names {
            assert!(crate::markdown::highlight_css(name).is_some(), "{name}");
        }
    }
}
