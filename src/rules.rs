//! The registry of rules: every id a diagnostic can carry (F01-F09 for
//! problems that stop a file from being read, R01-R16 for the checks of the
//! spec, of the narrative against the tables and of the roster, `import` and `run`),
//! declared once here with its severity, the stage of the pipeline that finds
//! it, a short title and the text that documents it (ruff's rule registry is
//! the model). A diagnostic is made from a [`Rule`], never from a string, so
//! no id can be used that is not declared here, and its severity is the
//! rule's. `docs/checks.md` shows the tables [`docs_table`] writes from this
//! registry (a test keeps the two equal).
//!
//! Each rule's title and summary are declared in English and Chinese side
//! by side; [`Rule::title`] gives the language of the run, the docs English.
//!
//! This module is at the bottom of the crate: it imports nothing from it but
//! the language of the run ([`crate::i18n`]).

use std::fmt;

use crate::i18n::Lang;

/// How serious a problem is. `Error` stops a build and makes `check` exit 1;
/// `Warning` is shown, and counts as an error only under `--strict`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The stage of the pipeline that finds a rule's problems, which says when
/// they are found again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    /// The walk of `content/`: entries that are skipped and never opened.
    /// Found only by a walk (loading the whole site), never by reading one
    /// file again, so `serve` keeps them apart from the files' own.
    Walk,
    /// Reading one file: its name, its bytes, its front matter's syntax.
    Read,
    /// Parsing a file's front matter into a page or a report.
    Parse,
    /// The checks of one report.
    Report,
    /// The checks across the reports of one agency.
    Across,
    /// The files the portal would write: found by `check`, `build` and
    /// `serve` from the same code (`build::add_output_checks`).
    Output,
    /// The reports against the roster (`agencies.toml`): found again
    /// whenever a report or the roster changes.
    Roster,
    /// `gongkai import`, about what it read from a published report.
    Import,
    /// The run itself could not start (`check --format json` only).
    Run,
}

impl Stage {
    /// The stage as the tables of `docs/checks.md` name it.
    pub fn doc_name(self) -> &'static str {
        match self {
            Stage::Walk => "walk",
            Stage::Read => "read",
            Stage::Parse => "parse",
            Stage::Report => "report",
            Stage::Across => "across reports",
            Stage::Roster => "roster",
            Stage::Output => "check, build, serve",
            Stage::Import => "import",
            Stage::Run => "run",
        }
    }
}

/// What the registry holds for one rule.
struct Spec {
    id: &'static str,
    severity: Severity,
    stage: Stage,
    /// English, then Chinese.
    title: [&'static str; 2],
    summary: [&'static str; 2],
}

/// Declares the rules: the enum, the list of all of them and what each is.
/// Each line is `Name = "id", Severity, Stage, "title", "what it checks"`.
macro_rules! rules {
    ($($name:ident = $id:literal, $sev:ident, $stage:ident, $title:literal / $zh_title:literal,
        $summary:literal / $zh_summary:literal;)*) => {
        /// A rule: the id of a diagnostic. Ordered as its id is (F, then R,
        /// then the lowercase pseudo-ids), so that sorting by rule sorts by id.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($name,)*
        }

        impl Rule {
            /// Every rule, in the order of their ids.
            pub const ALL: &'static [Rule] = &[$(Rule::$name,)*];

            fn spec(self) -> &'static Spec {
                match self {
                    $(Rule::$name => &Spec {
                        id: $id,
                        severity: Severity::$sev,
                        stage: Stage::$stage,
                        title: [$title, $zh_title],
                        summary: [$summary, $zh_summary],
                    },)*
                }
            }
        }
    };
}

rules! {
    F01 = "F01", Error, Read, "not UTF-8" / "不是 UTF-8",
        "the file is not UTF-8 (GBK/GB18030 and UTF-16 are recognised and the fix is explained)"
        / "文件不是 UTF-8 编码（可识别 GBK/GB18030 和 UTF-16，并说明如何转换）";
    F02 = "F02", Error, Read, "no front matter" / "没有前置元数据",
        "the file is empty, has no front matter, or its front matter is never closed"
        / "文件为空、没有前置元数据（front matter），或前置元数据没有结束标记";
    F03 = "F03", Error, Read, "YAML syntax error" / "YAML 语法错误",
        "YAML syntax error in the front matter (with its line and column)"
        / "前置元数据的 YAML 语法错误（给出行号和列号）";
    F04 = "F04", Error, Parse, "unknown key" / "未知的键",
        "unknown key, with the nearest known key suggested"
        / "未知的键，并提示最接近的已知键";
    F05 = "F05", Error, Parse, "invalid page" / "页面无效",
        "an ordinary page's front matter is invalid (`title` missing, bad `date`, …)"
        / "普通页面的前置元数据无效（缺少 `title`、`date` 有误等）";
    F06 = "F06", Warning, Walk, "skipped entry" / "已跳过的条目",
        "an entry under `content/` that is skipped and never opened: a link that points outside the site (or \
         nowhere), a link to a folder (links to folders are not followed), or anything that is not a regular file \
         (a named pipe, a device, a socket)"
        / "`content/` 下被跳过、不会打开的条目：指向站点以外（或不存在）的链接、指向文件夹的链接（不跟随），或不是普通文件的条目（命名管道、设备、套接字）";
    F07 = "F07", Error, Output, "output collision" / "输出冲突",
        "a page or asset would be written over a file the portal generates, a file of the theme or of the site's \
         `static/`, another page or asset, where the portal needs a folder, or into a folder it fills itself \
         (`years/`, `agencies/`, `data/`, `search/`)"
        / "某个页面或附件会覆盖门户生成的文件、主题或站点 `static/` 中的文件、其他页面或附件，或写到门户需要作为文件夹的位置，或写入门户自行生成的文件夹（`years/`、`agencies/`、`data/`、`search/`）";
    F08 = "F08", Error, Read, "name not a URL" / "名称不能作为网址",
        "the name of a page or asset (or of a folder above it), which becomes its URL, holds what a URL path cannot \
         carry as it is: whitespace, a control or text-direction character, or one of \
         `# ? % \\ \" < > \\| * : ^ ` { }`; or a name longer than 200 bytes"
        / "页面或附件（或其上级文件夹）的名称会成为网址，但含有网址路径不能直接使用的字符：空白、控制字符或文字方向字符，或 `# ? % \\ \" < > \\| * : ^ ` { }` 之一；或名称超过 200 字节";
    F09 = "F09", Error, Read, "unreadable file" / "文件无法读取",
        "a file that exists but cannot be read (permission denied, over the 64 MiB limit, a folder that cannot be \
         listed); the rest of the site is still checked"
        / "文件存在但无法读取（没有权限、超过 64 MiB 上限、文件夹无法列出）；站点其余部分照常检查";
    R01 = "R01", Error, Report, "requests balance" / "申请数量平衡",
        "each of the 7 columns: 一 新收 + 二 上年结转 = 三（七）总计 + 四 结转下年度"
        / "每一列：一 新收 + 二 上年结转 = 三（七）总计 + 四 结转下年度";
    R02 = "R02", Error, Report, "row total" / "行合计",
        "every table-三 row given with 7 numbers: 总计 = the sum of the 6 applicant columns"
        / "表三中填写了 7 个数的每一行：总计 = 6 类申请人之和";
    R03 = "R03", Error, Report, "results total" / "办理结果合计",
        "（七）总计, when given, = the sum of the result rows (21 in gov-2021, 19 in gov-2019)"
        / "（七）总计（如填写）= 各办理结果行之和（gov-2021 为 21 行，gov-2019 为 19 行）";
    R04 = "R04", Error, Report, "appeals total" / "复议诉讼合计",
        "table 四: each 总计, when given, = 维持 + 纠正 + 其他 + 尚未审结"
        / "表四：每个总计（如填写）= 维持 + 纠正 + 其他 + 尚未审结";
    R05 = "R05", Error, Parse, "types and ranges" / "类型和范围",
        "types and ranges of every number and value: counts at most 100,000,000, amounts less than 10^12 with at \
         most 6 decimals; no control characters or bidi overrides in text; no YAML tags"
        / "每个数字和值的类型与范围：件数不超过 100,000,000，金额小于 10^12 且最多 6 位小数；文字中不得有控制字符或双向覆盖字符；不得使用 YAML 标签";
    R06 = "R06", Error, Parse, "required keys" / "必填的键",
        "required keys; slug `[a-z0-9-]+`, at most 64 characters; year from 2008 to the current year"
        / "必填的键；agency_slug 为 `[a-z0-9-]+`，不超过 64 个字符；year 为 2008 年至今年";
    R07 = "R07", Error, Across, "one report per agency and year" / "每个机关每年一份报告",
        "one report per agency_slug and year; one agency name per slug"
        / "每个 agency_slug 每年只有一份报告；一个 agency_slug 只对应一个机关名称";
    R08 = "R08", Warning, Across, "carried over" / "上年结转",
        "this year's 二 上年结转 = last year's 四 结转下年度, per column"
        / "本年的 二 上年结转 = 上一年度报告的 四 结转下年度，逐列核对";
    R09 = "R09", Warning, Report, "deadline" / "发布期限",
        "published by the deadline, and not before 1 January of year+1"
        / "在发布期限内发布，且不早于统计年度次年1月1日";
    R10 = "R10", Warning, Report, "narrative sections" / "正文各部分",
        "the body has the narrative sections 一, 五 and 六"
        / "正文包含第一、五、六部分";
    R11 = "R11", Warning, Across, "documents in force" / "现行有效件数",
        "现行有效件数(N) = 现行有效件数(N-1) + 本年制发(N) − 本年废止(N)"
        / "跨年度核对：现行有效件数(N) = 现行有效件数(N-1) + 本年制发(N) − 本年废止(N)";
    R12 = "R12", Warning, Across, "narrative copied" / "正文雷同",
        "the narrative is nearly identical to the agency's previous report (内容雷同)"
        / "正文与本机关上一份报告几乎相同（内容雷同）";
    R13 = "R13", Warning, Report, "narrative figure" / "正文数字",
        "a figure the narrative states for the reporting year (申请 received, 予以公开 …, 行政复议, 行政诉讼, 结转, \
         规章 and 规范性文件 制发) differs from the report's own tables"
        / "正文所述统计年度的数字（收到申请、予以公开 …、行政复议、行政诉讼、结转、规章和规范性文件制发）与本报告表格不一致";
    R14 = "R14", Warning, Roster, "report missing" / "报告缺失",
        "with a roster (`agencies.toml`): a rostered agency has no published report for a year in which other \
         reports are published, and that year's deadline for its level (the roster's `level`) has passed as of \
         today (or `--today`); a draft counts as not published. Reported at the agency's `[[agency]]` line"
        / "有机关名录（`agencies.toml`）时：名录中的机关在已有其他报告发布的年度没有已发布的报告，且按其级别（名录的 `level`）该年度的发布期限截至今天（或 `--today`）已过；草稿视为未发布。位置为该机关的 `[[agency]]` 行";
    R15 = "R15", Warning, Roster, "not on the roster" / "不在名录中",
        "with a roster (`agencies.toml`): a report whose `agency_slug` is not on it, or whose `agency` differs from \
         the roster's `name` for that slug"
        / "有机关名录（`agencies.toml`）时：报告的 `agency_slug` 不在名录中，或报告的 `agency` 与名录中该 slug 的 `name` 不一致";
    R16 = "R16", Error, Report, "placeholder text" / "占位文字",
        "placeholder text left in a published report: a fill-in text `gongkai new report` or `import` writes \
         (`（请填写…）` under a heading, `（表格由上方数据生成…）`, `未找到…：请填写…`), whole or what is left of it \
         (a paragraph that still begins with `（请填写`), in the body, `agency` or `title` of a report that is not a \
         draft (drafts are not published and not checked for it)"
        / "已发布的报告中留有占位文字：`gongkai new report` 或 `import` 写入的待填写文字（标题下的 `（请填写…）`、`（表格由上方数据生成…）`、`未找到…：请填写…`），完整保留或残留开头（仍以 `（请填写` 开头的段落），出现在非草稿报告的正文、`agency` 或 `title` 中（草稿不发布，不作此项检查）";
    Import = "import", Warning, Import, "import: check this" / "导入：请核对",
        "`gongkai import` guessed something the source does not say plainly (the agency taken from the signature, \
         the format from the year, a date not after the reporting year, cells left blank in the source and written as \
         null): check it in the written file"
        / "`gongkai import` 推断了来源未明确写出的内容（根据落款推断机关、根据年度推断格式、日期不晚于统计年度、来源中空白的单元格写作 null）：请在写出的文件中核对";
    Run = "run", Error, Run, "the run could not start" / "无法开始运行",
        "with `check --format json`, an error that stops the run (no `content/`, a bad site.toml, a theme that does \
         not load) is printed as the one entry of the array, with `file` empty, so the output is always JSON"
        / "使用 `check --format json` 时，使运行无法开始的错误（没有 `content/`、site.toml 有误、主题无法加载）作为数组中唯一的一项输出，`file` 为空，因此输出始终是 JSON";
}

impl Rule {
    /// The stable id: `R01`, `F07`, `run`. JSON output and the human
    /// output's `error[R01]` show it.
    pub fn as_str(self) -> &'static str {
        self.spec().id
    }

    /// The rule whose id is `id`, if one is.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.as_str() == id)
    }

    /// The severity of every diagnostic of this rule.
    pub fn severity(self) -> Severity {
        self.spec().severity
    }

    /// The stage that finds this rule's problems.
    pub fn stage(self) -> Stage {
        self.spec().stage
    }

    /// A short title, in the language of the run.
    pub fn title(self) -> &'static str {
        self.title_in(crate::i18n::current())
    }

    /// A short title in `lang` (English in `docs/checks.md`).
    pub fn title_in(self, lang: Lang) -> &'static str {
        self.spec().title[lang as usize]
    }

    /// What the rule checks (Markdown), in the language of the run.
    pub fn summary(self) -> &'static str {
        self.summary_in(crate::i18n::current())
    }

    /// What the rule checks in `lang`, as `docs/checks.md` says it in
    /// English (Markdown).
    pub fn summary_in(self, lang: Lang) -> &'static str {
        self.spec().summary[lang as usize]
    }

    /// The anchor of the rule's row in `docs/checks.md` (`r01`).
    pub fn anchor(self) -> String {
        self.as_str().to_ascii_lowercase()
    }

    /// Where the rule is documented: `docs/checks.md#r01`.
    pub fn doc(self) -> String {
        format!("{DOC}#{}", self.anchor())
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The file that documents the rules, relative to the repository.
pub const DOC: &str = "docs/checks.md";

/// The tables of `docs/checks.md`, one per group of rules: which rules each
/// lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocTable {
    /// R01-R16, the checks of the spec, of the narrative and of the roster.
    Report,
    /// F01-F09, the file-level checks.
    File,
    /// `import` and `run`, which are not checks of content.
    Other,
}

impl DocTable {
    pub const ALL: [DocTable; 3] = [DocTable::Report, DocTable::File, DocTable::Other];

    /// The name of the table in the markers around it in `docs/checks.md`.
    pub fn name(self) -> &'static str {
        match self {
            DocTable::Report => "report",
            DocTable::File => "file",
            DocTable::Other => "other",
        }
    }

    fn holds(self, rule: Rule) -> bool {
        let id = rule.as_str();
        match self {
            DocTable::Report => id.starts_with('R'),
            DocTable::File => id.starts_with('F'),
            DocTable::Other => !id.starts_with(['R', 'F']),
        }
    }
}

/// The Markdown table of the rules of `table`, as `docs/checks.md` holds it
/// between `<!-- rules: NAME -->` and `<!-- /rules -->`: id (with its
/// anchor), severity (E or W), stage, title, and what the rule checks.
pub fn docs_table(table: DocTable) -> String {
    let mut out = String::from("| id | sev | found by | title | rule |\n|---|---|---|---|---|\n");
    for &rule in Rule::ALL.iter().filter(|&&r| table.holds(r)) {
        let sev = match rule.severity() {
            Severity::Error => "E",
            Severity::Warning => "W",
        };
        out.push_str(&format!(
            "| <a id=\"{}\"></a>{} | {sev} | {} | {} | {} |\n",
            rule.anchor(),
            rule.as_str(),
            rule.stage().doc_name(),
            rule.title_in(Lang::En),
            rule.summary_in(Lang::En)
        ));
    }
    out
}

/// `doc` with every table of rules replaced by the one the registry writes:
/// the text between `<!-- rules: NAME -->` and `<!-- /rules -->`. `Err`
/// names a table whose markers are missing.
pub fn with_docs_tables(doc: &str) -> Result<String, String> {
    let mut out = doc.to_string();
    for table in DocTable::ALL {
        let open = format!("<!-- rules: {} -->\n", table.name());
        let close = "<!-- /rules -->";
        let start = out
            .find(&open)
            .ok_or_else(|| format!("no `{}` in {DOC}", open.trim_end()))?
            + open.len();
        let end = out[start..]
            .find(close)
            .ok_or_else(|| format!("no `{close}` after `{}` in {DOC}", open.trim_end()))?
            + start;
        out.replace_range(start..end, &docs_table(table));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_found_again() {
        for (i, r) in Rule::ALL.iter().enumerate() {
            assert_eq!(Rule::from_id(r.as_str()), Some(*r));
            assert!(Rule::ALL[..i].iter().all(|o| o.as_str() != r.as_str()), "{r} twice");
            assert!(!r.title().is_empty() && !r.summary().is_empty(), "{r}");
            // The table cells hold no line break and no unescaped `|`.
            assert!(
                !r.summary().contains('\n') && !r.summary().replace("\\|", "").contains('|'),
                "{r}"
            );
        }
        // Both languages, each a table cell too; the Chinese is Chinese.
        for r in Rule::ALL {
            for lang in [Lang::En, Lang::Zh] {
                let (t, s) = (r.title_in(lang), r.summary_in(lang));
                assert!(
                    !t.is_empty() && !s.contains('\n') && !s.replace("\\|", "").contains('|'),
                    "{r}"
                );
            }
            assert!(
                r.title_in(Lang::Zh)
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{r}: {}",
                r.title_in(Lang::Zh)
            );
            assert_ne!(r.summary_in(Lang::Zh), r.summary_in(Lang::En), "{r}");
        }
        assert_eq!(Rule::R01.title_in(Lang::Zh), "申请数量平衡");
        assert_eq!(Rule::from_id("R17"), None);
        assert_eq!(Rule::from_id("r01"), None);
    }

    #[test]
    fn rules_sort_as_their_ids() {
        // Diagnostics are sorted by rule; the order must stay that of the
        // ids the output used to be sorted by.
        let mut by_rule = Rule::ALL.to_vec();
        by_rule.sort();
        let mut by_id = Rule::ALL.to_vec();
        by_id.sort_by_key(|r| r.as_str());
        assert_eq!(by_rule, by_id);
    }

    #[test]
    fn ids_and_severities() {
        let ids: Vec<&str> = Rule::ALL.iter().map(|r| r.as_str()).collect();
        let mut expected: Vec<String> = (1..=9).map(|i| format!("F{i:02}")).collect();
        expected.extend((1..=16).map(|i| format!("R{i:02}")));
        expected.extend(["import".to_string(), "run".to_string()]);
        assert_eq!(ids, expected);
        // The spec's table: R08-R12 are warnings, the rest errors, and R13
        // (the narrative against the tables) a warning; F06 is the one
        // file-level warning.
        let warnings: Vec<&str> = Rule::ALL
            .iter()
            .filter(|r| r.severity() == Severity::Warning)
            .map(|r| r.as_str())
            .collect();
        assert_eq!(
            warnings,
            ["F06", "R08", "R09", "R10", "R11", "R12", "R13", "R14", "R15", "import"]
        );
        assert_eq!(Rule::R14.stage(), Stage::Roster);
        assert_eq!(Rule::F07.stage(), Stage::Output);
        assert_eq!(Rule::F07.doc(), "docs/checks.md#f07");
        let walk: Vec<Rule> = Rule::ALL.iter().copied().filter(|r| r.stage() == Stage::Walk).collect();
        assert_eq!(walk, [Rule::F06]);
    }

    /// `docs/checks.md` lists the rules as the registry declares them. Set
    /// `GONGKAI_WRITE_DOCS=1` to write the tables into it.
    #[test]
    fn the_docs_list_the_registry() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DOC);
        let doc = std::fs::read_to_string(&path).expect("docs/checks.md");
        let written = with_docs_tables(&doc).unwrap_or_else(|e| panic!("{e}"));
        if std::env::var_os("GONGKAI_WRITE_DOCS").is_some() {
            std::fs::write(&path, &written).expect("write docs/checks.md");
            return;
        }
        assert!(
            doc == written,
            "{DOC} differs from the registry in src/rules.rs; run `GONGKAI_WRITE_DOCS=1 cargo test --lib rules::`"
        );
        // Every rule has its row, with its anchor, and no other id has one.
        for r in Rule::ALL {
            assert_eq!(
                doc.matches(&format!("<a id=\"{}\"></a>{r} |", r.anchor())).count(),
                1,
                "{r}"
            );
        }
        assert_eq!(doc.matches("<a id=\"").count(), Rule::ALL.len());
    }

    #[test]
    fn a_missing_marker_is_named() {
        let e = with_docs_tables("no tables").unwrap_err();
        assert!(e.contains("<!-- rules: report -->"), "{e}");
        let doc = "<!-- rules: report -->\nSTALE\n<!-- /rules -->\n<!-- rules: file -->\n<!-- /rules -->\n\
                   <!-- rules: other -->\n<!-- /rules -->\n";
        let t = with_docs_tables(doc).unwrap();
        assert!(
            !t.contains("STALE") && t.contains("| <a id=\"r01\"></a>R01 | E | report |"),
            "{t}"
        );
        assert!(t.contains("<a id=\"run\"></a>run"), "{t}");
    }
}
