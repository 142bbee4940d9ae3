//! The layer rule of ARCHITECTURE.md, checked: every module of `src/` sits in
//! one layer of [`LAYERS`], and a module may use only modules of its own
//! layer or of layers below it, never above; and no two modules use each
//! other, directly or round a longer loop.
//!
//! A use is any path into the crate in the module's code: `crate::a::b`,
//! `super::a`, `$crate::a`, a child module named by a `mod a;` of the file,
//! and the groups of a `use crate::{a, b::c}`. Comments and `#[cfg(test)]`
//! items are left out (a test may look at the layers above to compare).
//! The unit of a path is the longest entry of [`LAYERS`] it starts with, so
//! `report::checks` is its own unit and `report::labels` belongs to `report`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, bottom first: a unit may use its own layer and those before it.
const LAYERS: &[(&str, &[&str])] = &[
    // Used everywhere: errors, safe file reading, diagnostics and the rule
    // registry, timing, escaping, the broken-pipe-safe printers.
    (
        "base",
        &[
            "Error",
            "error",
            "exit",
            "fsx",
            "i18n",
            // rust-i18n's lookups, generated at the crate root by `i18n!`.
            "_rust_i18n_translate",
            "_rust_i18n_try_translate",
            "diagnostics",
            "rules",
            "timing",
            "escape",
            "term",
            // The printing macros of `term`, exported at the crate root.
            "out",
            "outln",
            "eout",
            "eoutln",
        ],
    ),
    // The site's own files read into text and trees: site.toml, front matter.
    ("load", &["config", "frontmatter"]),
    // What a report is: the typed report, its labels and formats, parsed from
    // the front-matter tree, its sections, and the text of a report file.
    ("model", &["report", "roster"]),
    // The content folder walked and every file read into the model.
    ("content", &["content"]),
    // Checks over the model, and the checked site holding every diagnostic.
    (
        "check",
        &[
            "report::checks",
            "report::narrative_figures",
            "report::similarity",
            "site",
        ],
    ),
    // The portal planned from the checked site: agencies, years, aggregates;
    // the URL scheme and the one list of addresses (`PageKey`); F07, which
    // checks the plan's files against the content's.
    ("plan", &["portal", "rollup", "compliance", "urls", "collisions"]),
    // Everything that turns the plan into bytes: the `Output` trait, the
    // theme, Markdown, pages, open data, the search index, and the registry.
    (
        "outputs",
        &[
            "outputs",
            "theme",
            "markdown",
            "render::tables",
            "render::charts",
            "render::pages",
            "render::context",
            "render::feed",
            "render::figures",
            "render::rollup",
            "data",
            "search",
            "render",
            // A report as the official Word document (`gongkai export`).
            "export",
        ],
    ),
    // Writing an output folder: the guard, staging, the swap.
    ("write", &["output"]),
    // The commands, and above them the CLI that dispatches to them.
    ("commands", &["build", "scaffold", "import", "serve"]),
    ("cli", &["commands"]),
];

/// The layer index and unit of a module path (`["report", "checks"]`).
fn unit_of(path: &[String]) -> Option<(usize, String)> {
    let mut best: Option<(usize, String)> = None;
    for (layer, (_, units)) in LAYERS.iter().enumerate() {
        for unit in *units {
            let parts: Vec<&str> = unit.split("::").collect();
            if path.len() >= parts.len() && path.iter().zip(&parts).all(|(a, b)| a == b) {
                let longer = best.as_ref().is_none_or(|(_, u)| u.split("::").count() < parts.len());
                if longer {
                    best = Some((layer, unit.to_string()));
                }
            }
        }
    }
    best
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file under `src/`: `report/checks.rs` → `report::checks`.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

/// The code of a file without comments and `#[cfg(test)]` items (files are
/// rustfmt-formatted: an item that opens a block at column 0 closes it with
/// a `}` at column 0).
fn code_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        if line.trim() == "#[cfg(test)]" {
            // Skip attributes, then the item.
            let mut item = lines.next();
            while let Some(l) = item {
                if l.trim_start().starts_with("#[") || l.trim_start().starts_with("//") {
                    item = lines.next();
                } else {
                    break;
                }
            }
            if let Some(l) = item {
                if l.trim_end().ends_with('{') && !l.starts_with(' ') {
                    for l in lines.by_ref() {
                        if l == "}" {
                            break;
                        }
                    }
                }
            }
            continue;
        }
        out.push(line);
    }
    out
}

/// The path segments after a `crate::`-like prefix at `rest`: `a::b::C` → [a, b, C];
/// a group `{a, b::c}` → one path per member.
fn paths_after(rest: &str) -> Vec<Vec<String>> {
    let ident = |s: &str| -> (String, usize) {
        let n = s
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
            .map_or(s.len(), |(i, _)| i);
        (s[..n].to_string(), n)
    };
    if let Some(group) = rest.strip_prefix('{') {
        // Top-level members of the group (nested groups only add depth).
        let mut out = Vec::new();
        let mut depth = 0;
        let mut member = String::new();
        for c in group.chars() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    out.extend(paths_after(member.trim()));
                    member.clear();
                    continue;
                }
                _ => {}
            }
            member.push(c);
        }
        out.extend(paths_after(member.trim()));
        return out;
    }
    let mut segs = Vec::new();
    let mut s = rest;
    loop {
        let (id, n) = ident(s);
        if id.is_empty() {
            break;
        }
        segs.push(id);
        match s[n..].strip_prefix("::") {
            Some(more) if !more.starts_with('{') => s = more,
            _ => break,
        }
    }
    if segs.is_empty() {
        Vec::new()
    } else {
        vec![segs]
    }
}

/// The crate paths a module's code uses (absolute, from the crate root).
fn uses(module: &[String], code: &[&str]) -> BTreeSet<Vec<String>> {
    let joined = code.join("\n");
    let mut out = BTreeSet::new();
    // Multi-line `use crate::{...}` groups are read from the joined text.
    for prefix in ["$crate::", "crate::"] {
        let mut from = 0;
        while let Some(i) = joined[from..].find(prefix) {
            let at = from + i;
            from = at + prefix.len();
            let before = joined[..at].chars().next_back();
            if prefix == "crate::" && before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            out.extend(paths_after(&joined[from..]));
        }
    }
    // `super::` from module m::n (a file n.rs) is m; from a mod.rs it is the parent.
    let mut from = 0;
    while let Some(i) = joined[from..].find("super::") {
        let at = from + i;
        from = at + "super::".len();
        if joined[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
        {
            continue;
        }
        let mut base: Vec<String> = module.to_vec();
        let mut rest = &joined[from..];
        base.pop();
        while let Some(more) = rest.strip_prefix("super::") {
            base.pop();
            rest = more;
        }
        for p in paths_after(rest) {
            let mut full = base.clone();
            full.extend(p);
            out.insert(full);
        }
    }
    // Child modules named directly (`checks::deadline` in report/mod.rs).
    let children: Vec<String> = code
        .iter()
        .filter_map(|l| {
            let t = l.trim_start();
            let t = t.strip_prefix("pub ").unwrap_or(t);
            let name = t.strip_prefix("mod ")?.strip_suffix(';')?;
            Some(name.to_string())
        })
        .collect();
    for child in children {
        let pat = format!("{child}::");
        let mut from = 0;
        while let Some(i) = joined[from..].find(&pat) {
            let at = from + i;
            from = at + pat.len();
            if joined[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
            {
                continue;
            }
            for p in paths_after(&joined[from..]) {
                let mut full = module.to_vec();
                full.push(child.clone());
                full.extend(p);
                out.insert(full);
            }
            if joined[from..].starts_with('{') || !joined[from..].starts_with(char::is_alphanumeric) {
                let mut full = module.to_vec();
                full.push(child.clone());
                out.insert(full);
            }
        }
    }
    out
}

#[test]
fn modules_use_only_their_layer_and_those_below_and_never_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    // unit → units it uses, with one place each, for the cycle check.
    let mut graph: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src/");
        if rel == Path::new("main.rs") || rel == Path::new("lib.rs") {
            continue; // the binary uses the library from outside; lib.rs only declares
        }
        let module = module_of(rel);
        let Some((layer, unit)) = unit_of(&module) else {
            problems.push(format!(
                "src/{}: module {} has no layer in LAYERS",
                rel.display(),
                module.join("::")
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("a source file");
        let code = code_lines(&text);
        for path in uses(&module, &code) {
            let Some((to_layer, to_unit)) = unit_of(&path) else {
                problems.push(format!(
                    "src/{} ({unit}) uses crate::{}, which has no layer in LAYERS",
                    rel.display(),
                    path.join("::")
                ));
                continue;
            };
            if to_unit == unit {
                continue;
            }
            if to_layer > layer {
                problems.push(format!(
                    "src/{} ({unit}, layer {}) uses crate::{} ({to_unit}, layer {}), a higher layer",
                    rel.display(),
                    LAYERS[layer].0,
                    path.join("::"),
                    LAYERS[to_layer].0
                ));
            }
            graph
                .entry(unit.clone())
                .or_default()
                .entry(to_unit)
                .or_insert_with(|| format!("src/{}: crate::{}", rel.display(), path.join("::")));
        }
    }
    // Cycles: a depth-first search for a unit reached again on its own path.
    fn visit<'a>(
        u: &'a str,
        graph: &'a BTreeMap<String, BTreeMap<String, String>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
        cycles: &mut Vec<String>,
    ) {
        if done.contains(u) {
            return;
        }
        if let Some(at) = stack.iter().position(|s| *s == u) {
            let mut lp: Vec<&str> = stack[at..].to_vec();
            lp.push(u);
            let hops: Vec<String> = lp.windows(2).map(|w| graph[w[0]][w[1]].clone()).collect();
            cycles.push(format!("cycle {}: {}", lp.join(" → "), hops.join("; ")));
            return;
        }
        stack.push(u);
        if let Some(next) = graph.get(u) {
            for v in next.keys() {
                visit(v, graph, stack, done, cycles);
            }
        }
        stack.pop();
        done.insert(u);
    }
    let mut done = BTreeSet::new();
    for u in graph.keys() {
        visit(u, &graph, &mut Vec::new(), &mut done, &mut problems);
    }
    assert!(
        problems.is_empty(),
        "the layer rule is broken:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_reader_sees_every_kind_of_use() {
    let module = vec!["report".to_string()];
    let code = [
        "use crate::{config::Config, diagnostics::{self, Pos}};",
        "pub mod checks;",
        "// crate::commands in a comment",
        "fn f() { checks::deadline(); super::x::y(); $crate::term::write_out(); }",
        "#[cfg(test)]",
        "mod tests {",
        "    use crate::serve;",
        "}",
    ];
    let text = code.join("\n");
    let lines = code_lines(&text);
    let found: Vec<String> = uses(&module, &lines).iter().map(|p| p.join("::")).collect();
    assert_eq!(
        found,
        [
            "config::Config",
            "diagnostics",
            "report::checks::deadline",
            "term::write_out",
            "x::y"
        ]
    );
    assert_eq!(
        unit_of(&["report".into(), "checks".into(), "x".into()])
            .map(|u| u.1)
            .as_deref(),
        Some("report::checks")
    );
    assert_eq!(
        unit_of(&["report".into(), "labels".into()]).map(|u| u.1).as_deref(),
        Some("report")
    );
}
