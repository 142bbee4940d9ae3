//! Every argument and option of every command has a help line (issue 13,
//! item 10): `gongkai <command> -h` lists none without one.

use assert_cmd::Command;

const COMMANDS: [&[&str]; 7] = [
    &["init"],
    &["new", "report"],
    &["check"],
    &["build"],
    &["serve"],
    &["import"],
    &[],
];

/// The argument and option lines of a short help text that have no help.
fn without_help(help: &str) -> Vec<String> {
    let mut listing = false;
    let mut out = Vec::new();
    for line in help.lines() {
        if line == "Arguments:" || line == "Options:" || line == "Commands:" {
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
        let out = Command::cargo_bin("gongkai")
            .expect("the binary")
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
