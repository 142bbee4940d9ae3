//! The roster: `agencies.toml` at the site root (optional), the list of
//! the bodies that owe a report each year (every department and township
//! of a county, say) and whom each reports to. Owns reading and validating
//! it as `site.toml` is validated (every problem at once, each with its
//! line: unknown keys with a suggestion, a missing or bad `slug`, `name` or
//! `level`, duplicate slugs, a `parent` that is not on the roster, a cycle
//! of parents), and the hierarchy read from it (children, descendants, the
//! agencies in tree order). The checks against the reports (R14, R15), the
//! compliance dashboard and the roll-ups are built on it elsewhere.
//!
//! ```toml
//! [[agency]]
//! slug = "xian"
//! name = "示例县人民政府"
//! level = "government"
//!
//! [[agency]]
//! slug = "jiaoyu"
//! name = "示例县教育局"
//! level = "department"
//! parent = "xian"
//! ```

use std::collections::HashMap;
use std::path::Path;

use crate::config::Problems;
use crate::diagnostics::{char_name, did_you_mean, escape_terminal, forbidden_in_text};
use crate::report::parse::valid_slug;
use crate::report::Level;
use crate::Error;

/// The roster's file name at the site root.
pub const FILE: &str = "agencies.toml";

/// The largest roster read: 4 MiB (a province's is a few hundred KB).
const CAP: u64 = 4 * 1024 * 1024;

/// The keys of one `[[agency]]`.
const AGENCY_KEYS: &[&str] = &["slug", "name", "level", "parent"];

/// One agency on the roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterAgency {
    pub slug: String,
    /// The name as the agency publishes it (its reports' `agency`).
    pub name: String,
    pub level: Level,
    /// The slug of the body it reports to.
    pub parent: Option<String>,
    /// Its `[[agency]]` line in the file.
    pub line: usize,
}

/// The roster of a site, validated: slugs unique, every parent on it, no
/// cycle.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roster {
    /// In the file's order.
    pub agencies: Vec<RosterAgency>,
    by_slug: HashMap<String, usize>,
    /// Children of each agency (indexes, in the file's order).
    children: Vec<Vec<usize>>,
}

impl Roster {
    /// Reads `agencies.toml` from `root`; `None` when the site has none.
    pub fn load(root: &Path) -> Result<Option<Roster>, Error> {
        let path = root.join(FILE);
        match crate::config::read_settings(&path, CAP)? {
            Some(text) => Roster::parse(&text, &path).map(Some),
            None => Ok(None),
        }
    }

    /// Parses the text of an `agencies.toml` (`path` is for messages).
    pub fn parse(text: &str, path: &Path) -> Result<Roster, Error> {
        let mut problems = Problems::new(path);
        let line_at = |offset: usize| text.get(..offset).map_or(1, |b| b.matches('\n').count() + 1);
        let doc: toml::Spanned<toml::Table> = match toml::from_str(text) {
            Ok(d) => d,
            Err(e) => {
                let line = e.span().map(|s| line_at(s.start));
                return Err(Error::Config {
                    path: path.to_path_buf(),
                    line,
                    message: t!("config.toml", message = escape_terminal(e.message())).into_owned(),
                });
            }
        };
        let doc = doc.into_inner();
        for key in doc.keys().filter(|k| k.as_str() != "agency") {
            let hint = match did_you_mean(key, &["agency"]) {
                Some(k) => t!("config.did_you_mean", key = k),
                None => t!("config.keys_here", keys = "[[agency]]"),
            };
            problems.push(
                find_line(text, key),
                t!("roster.unknown_top", key = escape_terminal(key), hint = hint).into_owned(),
            );
        }
        // The tables again with their places: toml's Table keeps no spans,
        // so the `[[agency]]` headers are found in the text, in order.
        let headers = agency_headers(text);
        let list = match doc.get("agency") {
            None => Vec::new(),
            Some(toml::Value::Array(a)) => a.clone(),
            Some(_) => {
                problems.push(find_line(text, "agency"), t!("roster.not_list").into_owned());
                Vec::new()
            }
        };
        let mut agencies: Vec<RosterAgency> = Vec::new();
        let mut by_slug: HashMap<String, usize> = HashMap::new();
        for (i, value) in list.iter().enumerate() {
            let line = headers.get(i).copied();
            let Some(table) = value.as_table() else {
                problems.push(line, t!("roster.not_list").into_owned());
                continue;
            };
            let mut ok = true;
            for key in table.keys() {
                if !AGENCY_KEYS.contains(&key.as_str()) {
                    let hint = match did_you_mean(key, AGENCY_KEYS) {
                        Some(k) => t!("config.did_you_mean", key = k),
                        None => t!("config.keys_here", keys = AGENCY_KEYS.join(", ")),
                    };
                    problems.push(
                        line,
                        t!("roster.unknown_key", key = escape_terminal(key), hint = hint).into_owned(),
                    );
                    ok = false;
                }
            }
            let mut string = |key: &str, required: bool| -> Option<String> {
                match table.get(key) {
                    None if required => {
                        problems.push(line, t!("roster.missing", key = key).into_owned());
                        None
                    }
                    None => None,
                    Some(toml::Value::String(s)) => {
                        if let Some(c) = s.chars().find(|&c| forbidden_in_text(c)) {
                            problems.push(line, t!("roster.bad_char", key = key, char = char_name(c)).into_owned());
                            return None;
                        }
                        if s.trim().is_empty() {
                            problems.push(line, t!("roster.missing", key = key).into_owned());
                            return None;
                        }
                        Some(s.trim().to_string())
                    }
                    Some(_) => {
                        problems.push(line, t!("roster.not_text", key = key).into_owned());
                        None
                    }
                }
            };
            let slug = string("slug", true);
            let name = string("name", true);
            let level_text = string("level", true);
            let parent = string("parent", false);
            if let Some(s) = &slug {
                if !valid_slug(s) {
                    problems.push(line, t!("roster.bad_slug", slug = escape_terminal(s)).into_owned());
                    ok = false;
                }
            }
            let level = level_text.as_deref().and_then(|l| {
                let level = Level::from_key(l);
                if level.is_none() {
                    problems.push(line, t!("roster.bad_level", level = escape_terminal(l)).into_owned());
                }
                level
            });
            let (Some(slug), Some(name), Some(level), true) = (slug, name, level, ok) else {
                continue;
            };
            if let Some(&first) = by_slug.get(&slug) {
                problems.push(
                    line,
                    t!("roster.duplicate", slug = slug, first = agencies[first].line).into_owned(),
                );
                continue;
            }
            by_slug.insert(slug.clone(), agencies.len());
            agencies.push(RosterAgency {
                slug,
                name,
                level,
                parent,
                line: line.unwrap_or(1),
            });
        }
        // Parents: on the roster, not the agency itself, no cycle.
        let mut children = vec![Vec::new(); agencies.len()];
        for (i, a) in agencies.iter().enumerate() {
            let Some(p) = &a.parent else { continue };
            match by_slug.get(p) {
                None => {
                    let slugs: Vec<&str> = agencies.iter().map(|a| a.slug.as_str()).collect();
                    let parent = escape_terminal(p);
                    let message = match did_you_mean(p, &slugs) {
                        Some(k) => t!("roster.no_parent_hint", slug = a.slug, parent = parent, key = k),
                        None => t!("roster.no_parent", slug = a.slug, parent = parent),
                    };
                    problems.push(Some(a.line), message.into_owned());
                }
                Some(&j) if j == i => {
                    problems.push(Some(a.line), t!("roster.own_parent", slug = a.slug).into_owned());
                }
                Some(&j) => children[j].push(i),
            }
        }
        // A cycle: following parents from an agency comes back to it. Each
        // agency is followed once (a path in progress, then done), so a long
        // chain of parents costs its length, not its square; each cycle is
        // reported once, at its first agency in the file.
        let parent_of = |i: usize| {
            agencies[i]
                .parent
                .as_ref()
                .and_then(|p| by_slug.get(p))
                .copied()
                .filter(|&p| p != i) // its own parent: said above
        };
        const NEW: u8 = 0;
        const ON_PATH: u8 = 1;
        const DONE: u8 = 2;
        let mut state = vec![NEW; agencies.len()];
        for start in 0..agencies.len() {
            let mut path = Vec::new();
            let mut at = Some(start);
            while let Some(i) = at {
                match state[i] {
                    DONE => break,
                    ON_PATH => {
                        let k = path.iter().position(|&s| s == i).unwrap_or(0);
                        let cycle = &path[k..];
                        let first = cycle.iter().copied().min().unwrap_or(i);
                        let mut names: Vec<&str> = cycle.iter().map(|&c| agencies[c].slug.as_str()).collect();
                        names.push(&agencies[i].slug);
                        problems.push(
                            Some(agencies[first].line),
                            t!("roster.cycle", cycle = names.join(" → ")).into_owned(),
                        );
                        break;
                    }
                    _ => {
                        state[i] = ON_PATH;
                        path.push(i);
                        at = parent_of(i);
                    }
                }
            }
            for i in path {
                state[i] = DONE;
            }
        }
        problems.finish()?;
        Ok(Roster {
            agencies,
            by_slug,
            children,
        })
    }

    /// The agency `slug`, when it is on the roster.
    pub fn get(&self, slug: &str) -> Option<&RosterAgency> {
        self.by_slug.get(slug).map(|&i| &self.agencies[i])
    }

    /// The agencies that report to `slug` directly, in the file's order.
    pub fn children(&self, slug: &str) -> impl Iterator<Item = &RosterAgency> {
        self.by_slug
            .get(slug)
            .map_or(&[][..], |&i| &self.children[i][..])
            .iter()
            .map(|&c| &self.agencies[c])
    }

    /// Whether `slug` has agencies reporting to it.
    pub fn has_children(&self, slug: &str) -> bool {
        self.children(slug).next().is_some()
    }

    /// `slug`'s agencies below it, at any depth, depth first in the file's
    /// order (not `slug` itself).
    pub fn descendants(&self, slug: &str) -> Vec<&RosterAgency> {
        let mut out = Vec::new();
        if let Some(&i) = self.by_slug.get(slug) {
            self.walk(i, 0, &mut |a, _| out.push(a), false);
        }
        out
    }

    /// Every agency with its depth (0 for those with no parent), in tree
    /// order: each agency followed by the agencies that report to it.
    pub fn tree(&self) -> Vec<(&RosterAgency, usize)> {
        let mut out = Vec::with_capacity(self.agencies.len());
        for (i, a) in self.agencies.iter().enumerate() {
            if a.parent.is_none() {
                self.walk(i, 0, &mut |a, d| out.push((a, d)), true);
            }
        }
        out
    }

    /// Calls `f` on `i` (when `with_self`) and everything below it, depth
    /// first in the file's order, with each one's depth. An explicit stack,
    /// not recursion: a roster may nest as deep as it is long.
    fn walk<'a>(&'a self, i: usize, depth: usize, f: &mut dyn FnMut(&'a RosterAgency, usize), with_self: bool) {
        let mut stack: Vec<(usize, usize)> = Vec::new();
        if with_self {
            stack.push((i, depth));
        } else {
            stack.extend(self.children[i].iter().rev().map(|&c| (c, depth + 1)));
        }
        while let Some((at, d)) = stack.pop() {
            f(&self.agencies[at], d);
            // Validation refused cycles, so every agency comes once.
            stack.extend(self.children[at].iter().rev().map(|&c| (c, d + 1)));
        }
    }
}

/// The lines of the `[[agency]]` headers, in order.
fn agency_headers(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim_start();
            l.strip_prefix("[[")
                .and_then(|r| r.split_once("]]"))
                .is_some_and(|(name, _)| name.trim() == "agency")
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// The first line that starts with `key` (a top-level key or table).
fn find_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches('[');
            l.starts_with(key)
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Roster, String> {
        Roster::parse(text, Path::new("agencies.toml")).map_err(|e| e.to_string())
    }

    const COUNTY: &str = r#"
[[agency]]
slug = "xian"
name = "示例县人民政府"
level = "government"

[[agency]]
slug = "jiaoyu"
name = "示例县教育局"
level = "department"
parent = "xian"

[[agency]]
slug = "zhen"
name = "示例县某某镇人民政府"
level = "township"
parent = "xian"

[[agency]]
slug = "zhen-xuexiao"
name = "某某镇中心学校"
level = "department"
parent = "zhen"
"#;

    #[test]
    fn a_county_and_its_tree() {
        let r = parse(COUNTY).unwrap();
        assert_eq!(r.agencies.len(), 4);
        assert_eq!(r.get("jiaoyu").unwrap().name, "示例县教育局");
        assert_eq!(r.get("jiaoyu").unwrap().line, 7);
        let kids: Vec<&str> = r.children("xian").map(|a| a.slug.as_str()).collect();
        assert_eq!(kids, ["jiaoyu", "zhen"]);
        let all: Vec<&str> = r.descendants("xian").iter().map(|a| a.slug.as_str()).collect();
        assert_eq!(all, ["jiaoyu", "zhen", "zhen-xuexiao"]);
        let tree: Vec<(&str, usize)> = r.tree().iter().map(|(a, d)| (a.slug.as_str(), *d)).collect();
        assert_eq!(tree, [("xian", 0), ("jiaoyu", 1), ("zhen", 1), ("zhen-xuexiao", 2)]);
        assert!(r.has_children("zhen") && !r.has_children("jiaoyu"));
        assert!(parse("").unwrap().agencies.is_empty());
    }

    #[test]
    fn every_problem_at_once_with_its_line() {
        let text = r#"agencys = 1
[[agency]]
slug = "a"
name = "甲"
level = "goverment"

[[agency]]
slug = "b"
nme = "乙"
name = "乙"
level = "department"
parent = "zz"

[[agency]]
slug = "b"
name = "乙二"
level = "department"

[[agency]]
slug = "Bad Slug"
name = ""
level = "department"
"#;
        let e = parse(text).unwrap_err();
        for needle in [
            "agencies.toml:1:",
            "`agencys`",
            "`agency`?",
            "agencies.toml:2:",
            "goverment",
            "agencies.toml:7:",
            "`nme`",
            "`name`?",
            "agencies.toml:19:",
            "Bad Slug",
        ] {
            assert!(e.contains(needle), "{needle} in:\n{e}");
        }
        // `b` is refused for its unknown key, so the second `b` is the
        // first one kept: no duplicate then. A clean duplicate:
        let e = parse("[[agency]]\nslug = \"a\"\nname = \"甲\"\nlevel = \"department\"\n[[agency]]\nslug = \"a\"\nname = \"乙\"\nlevel = \"department\"\n").unwrap_err();
        assert!(e.contains("agencies.toml:5:") && e.contains("line 1"), "{e}");
    }

    #[test]
    fn parents_must_exist_and_never_loop() {
        let e = parse("[[agency]]\nslug = \"a\"\nname = \"甲\"\nlevel = \"department\"\nparent = \"xain\"\n[[agency]]\nslug = \"xian\"\nname = \"县\"\nlevel = \"government\"\n").unwrap_err();
        assert!(e.contains("xain") && e.contains("`xian`?"), "{e}");
        let e = parse("[[agency]]\nslug = \"a\"\nname = \"甲\"\nlevel = \"department\"\nparent = \"a\"\n").unwrap_err();
        assert!(e.contains("agencies.toml:1:"), "{e}");
        let cycle = "[[agency]]\nslug = \"a\"\nname = \"甲\"\nlevel = \"department\"\nparent = \"c\"\n\
                     [[agency]]\nslug = \"b\"\nname = \"乙\"\nlevel = \"department\"\nparent = \"a\"\n\
                     [[agency]]\nslug = \"c\"\nname = \"丙\"\nlevel = \"department\"\nparent = \"b\"\n";
        let e = parse(cycle).unwrap_err();
        assert!(e.contains("a → b → c → a") || e.contains("a → c → b → a"), "{e}");
        assert_eq!(e.matches("→").count(), 3, "one cycle, said once: {e}");
    }

    #[test]
    fn a_long_chain_of_parents_is_read_in_linear_time_without_recursion() {
        let n = 100_000;
        let mut text = String::new();
        for i in 0..n {
            text.push_str(&format!(
                "[[agency]]\nslug = \"a{i}\"\nname = \"机关{i}\"\nlevel = \"department\"\n"
            ));
            if i > 0 {
                text.push_str(&format!("parent = \"a{}\"\n", i - 1));
            }
        }
        let r = parse(&text).unwrap();
        assert_eq!(r.descendants("a0").len(), n - 1);
        let tree = r.tree();
        assert_eq!(tree.last().map(|(a, d)| (a.slug.as_str(), *d)), Some(("a99999", n - 1)));
        // The same chain closed into a circle: one cycle, said once.
        let closed = text.replacen(
            "level = \"department\"\n",
            "level = \"department\"\nparent = \"a99999\"\n",
            1,
        );
        let e = parse(&closed).unwrap_err();
        assert_eq!(e.matches("the parents go round").count(), 1);
    }

    #[test]
    fn bad_toml_names_its_line() {
        let e = parse("[[agency]]\nslug = \"a\nname = 1\n").unwrap_err();
        assert!(e.starts_with("agencies.toml:2"), "{e}");
    }
}
