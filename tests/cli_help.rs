//! Every argument and option of every command has a help line (issue 13,
//! item 10): `gongkai <command> -h` lists none without one; and under
//! `--lang zh` (or a Chinese locale) every help line, every command's about
//! and clap's own headings are Chinese (issue 13, item 1).

mod common;

const COMMANDS: [&[&str]; 8] = [
    &["init"],
    &["new", "report"],
    &["check"],
    &["build"],
    &["serve"],
    &["import"],
    &["export"],
    &[],
];

/// The argument and option lines of a short help text that have no help.
fn without_help(help: &str) -> Vec<String> {
    let mut listing = false;
    let mut out = Vec::new();
    for line in help.lines() {
        if ["Arguments:", "Options:", "Commands:", "参数:", "选项:", "命令:"].contains(&line) {
            listing = true;
            continue;
        }
        if line.is_empty() || !line.starts_with("  ") {
            listing = line.is_empty() && listing;
            continue;
        }
        // A wrapped description's next line is indented deeper.
        if !listing || line.starts_with("        ") && !line.trim_start().starts_with('-') {
            continue;
        }
        let spec_and_help = line.trim_start();
        // Text beyond clap's own `[default: …]` and `[possible values: …]`.
        let has_help = spec_and_help.split_once("  ").is_some_and(|(_, rest)| {
            let text = rest.split(" [").next().unwrap_or("").trim();
            !text.is_empty() && !text.starts_with('[')
        });
        if !has_help {
            out.push(line.to_string());
        }
    }
    out
}

#[test]
fn every_argument_and_option_has_a_help_line() {
    let mut missing = Vec::new();
    for cmd in COMMANDS {
        let out = common::gongkai()
            .args(cmd)
            .arg("-h")
            .env("COLUMNS", "200")
            .output()
            .expect("runs");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{cmd:?}: {help}");
        for line in without_help(&help) {
            missing.push(format!("gongkai {} -h: `{}`", cmd.join(" "), line.trim()));
        }
    }
    assert!(missing.is_empty(), "without a help line:\n{}", missing.join("\n"));
}

#[test]
fn the_parser_sees_a_missing_help_line() {
    let help = "Usage: x\n\nArguments:\n  [DIR]  \n\nOptions:\n      --root <ROOT>  The root\n      --format <FORMAT>  [default: human]\n  -h, --help  Print help\n";
    assert_eq!(
        without_help(help),
        ["  [DIR]  ", "      --format <FORMAT>  [default: human]"]
    );
}

/// The help text of each argument, option and subcommand line of a help
/// text (what follows the spec), wrapped lines joined.
fn help_lines(help: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut listing = false;
    for line in help.lines() {
        if !line.starts_with(' ') {
            listing = line.ends_with(':') && !line.is_empty();
            continue;
        }
        if !listing {
            continue;
        }
        let trimmed = line.trim_start();
        let spec_and_help = trimmed.split_once("  ");
        match spec_and_help {
            Some((spec, text)) if line.len() - trimmed.len() < 8 || trimmed.starts_with('-') => {
                out.push((spec.to_string(), text.trim().to_string()));
            }
            _ => {
                if let Some(last) = out.last_mut() {
                    last.1.push_str(trimmed);
                }
            }
        }
    }
    out
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// `gongkai ARGS…` with the language chosen by `--lang zh` or by `LANG`.
fn help_in_chinese(cmd: &[&str], by_flag: bool) -> String {
    let mut c = common::gongkai();
    if by_flag {
        c.args(["--lang", "zh"]);
    } else {
        c.env("LANG", "zh_CN.UTF-8");
    }
    let out = c.args(cmd).arg("-h").env("COLUMNS", "200").output().expect("runs");
    assert!(out.status.success(), "{cmd:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn under_zh_every_help_line_and_heading_is_chinese() {
    let mut missing = Vec::new();
    for cmd in COMMANDS {
        for by_flag in [true, false] {
            let help = help_in_chinese(cmd, by_flag);
            let about = help.lines().next().unwrap_or("");
            if !has_chinese(about) {
                missing.push(format!("gongkai {} -h: about `{about}`", cmd.join(" ")));
            }
            for heading in ["Usage:", "Options:", "Arguments:", "Commands:"] {
                if help.lines().any(|l| l.starts_with(heading)) {
                    missing.push(format!("gongkai {} -h: heading `{heading}`", cmd.join(" ")));
                }
            }
            assert!(help.contains("用法:"), "{help}");
            for english in ["[default:", "[possible values:", "Print help"] {
                if help.contains(english) {
                    missing.push(format!("gongkai {} -h: clap's `{english}`", cmd.join(" ")));
                }
            }
            let lines = help_lines(&help);
            assert!(!lines.is_empty(), "{help}");
            for (spec, text) in lines {
                if !has_chinese(&text) {
                    missing.push(format!("gongkai {} -h: `{spec}` has `{text}`", cmd.join(" ")));
                }
            }
        }
    }
    missing.dedup();
    assert!(missing.is_empty(), "not in Chinese:\n{}", missing.join("\n"));
}

#[test]
fn the_help_of_a_command_is_english_by_default_and_under_lang_en() {
    let out = common::gongkai().args(["build", "-h"]).output().expect("runs");
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("Usage:") && help.contains("Include draft reports and pages"),
        "{help}"
    );
    // --lang en wins over a Chinese locale.
    let out = common::gongkai()
        .env("LC_ALL", "zh_CN.UTF-8")
        .args(["--lang", "en", "build", "-h"])
        .output()
        .expect("runs");
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("Options:") && !has_chinese(&help), "{help}");
}

#[test]
fn the_chinese_reader_sees_a_line_left_in_english() {
    let help = "用法: x\n\n选项:\n      --root <ROOT>  网站根目录\n      --drafts       Include drafts\n  -h, --help         显示帮助\n";
    let lines = help_lines(help);
    assert_eq!(lines.len(), 3);
    assert!(!has_chinese(&lines[1].1));
    assert!(has_chinese(&lines[0].1) && has_chinese(&lines[2].1));
}
