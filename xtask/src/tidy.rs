//! The tree's rules as tests (`cargo test -p xtask`), after rust-analyzer's tidy:
//! only the Worker shell names `worker::`, every Rust file starts with a `//!`
//! line, no Rust file grows past 600 lines, no HTML is built with `format!`, and
//! the pure crates (desk, answer, protocol) read no clock and do no I/O.
//! The allow-lists below are debts with a name: they may only shrink.

use std::fs;
use std::path::{Path, PathBuf};

/// Files still over the length limit (each should be split, then removed here).
const LONG_FILES: &[&str] = &[];

/// Files that still build HTML with `format!` (none: pages are maud templates).
const FORMAT_HTML: &[&str] = &[];

const MAX_LINES: usize = 600;

/// This file spells the patterns it looks for.
const THIS_FILE: &str = "xtask/src/tidy.rs";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the root")
        .to_path_buf()
}

/// Every Rust source of the workspace, as (path relative to the root, text).
fn rust_files() -> Vec<(String, String)> {
    let root = root();
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("readable directory").flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !matches!(name.as_str(), "target" | "node_modules" | "build" | ".git")
                    && !name.starts_with('.')
                {
                    stack.push(path);
                }
            } else if name.ends_with(".rs") {
                let relative = path
                    .strip_prefix(&root)
                    .expect("under the root")
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = fs::read_to_string(&path).expect("UTF-8 source");
                out.push((relative, text));
            }
        }
    }
    out.sort();
    assert!(out.len() > 20, "the walk found the sources");
    out
}

#[test]
fn only_the_shell_names_worker() {
    let offenders: Vec<String> = rust_files()
        .into_iter()
        .filter(|(path, text)| {
            !path.starts_with("edge/") && path != THIS_FILE && mentions_worker(text)
        })
        .map(|(path, _)| path)
        .collect();
    assert!(
        offenders.is_empty(),
        "worker:: outside edge/: {offenders:?}"
    );
}

/// The pure crates take `now` as a value and do no I/O of their own: the clock,
/// the file system and the network belong to the shells (the Worker, the browser,
/// xtask itself).
#[test]
fn pure_crates_read_no_clock_and_do_no_io() {
    let offenders: Vec<String> = rust_files()
        .into_iter()
        .filter(|(path, text)| {
            ["desk/src/", "answer/src/", "protocol/src/"]
                .iter()
                .any(|dir| path.starts_with(dir))
                && does_io(text)
        })
        .map(|(path, _)| path)
        .collect();
    assert!(
        offenders.is_empty(),
        "clock or I/O in a pure crate: {offenders:?}"
    );
}

fn does_io(text: &str) -> bool {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .any(|line| {
            ["SystemTime", "Instant::now", "std::fs", "std::net"]
                .iter()
                .any(|banned| line.contains(banned))
        })
}

fn mentions_worker(text: &str) -> bool {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .any(|line| line.contains("worker::") || line.contains("use worker"))
}

#[test]
fn every_file_says_what_it_is_for() {
    let offenders: Vec<String> = rust_files()
        .into_iter()
        .filter(|(_, text)| !text.starts_with("//!"))
        .map(|(path, _)| path)
        .collect();
    assert!(offenders.is_empty(), "no //! line first: {offenders:?}");
}

#[test]
fn no_file_is_too_long() {
    let mut offenders = Vec::new();
    for (path, text) in rust_files() {
        let long = text.lines().count() > MAX_LINES;
        let listed = LONG_FILES.contains(&path.as_str());
        if long && !listed {
            offenders.push(format!("{path} is over {MAX_LINES} lines"));
        }
        if listed && !long {
            offenders.push(format!("{path} is short now: take it off LONG_FILES"));
        }
    }
    assert!(offenders.is_empty(), "{offenders:?}");
}

#[test]
fn no_html_from_format() {
    let mut offenders = Vec::new();
    for (path, text) in rust_files() {
        let builds = path != THIS_FILE && formats_html(&text);
        let listed = FORMAT_HTML.contains(&path.as_str());
        if builds && !listed {
            offenders.push(format!("{path} builds HTML with format!"));
        }
        if listed && !builds {
            offenders.push(format!("{path} no longer does: take it off FORMAT_HTML"));
        }
    }
    assert!(offenders.is_empty(), "{offenders:?}");
}

/// Whether a `format!` (or `write!`) string holds an HTML tag (test modules, which
/// build expected fragments to compare with, excepted).
fn formats_html(text: &str) -> bool {
    let text = text.split("#[cfg(test)]").next().unwrap_or(text);
    const TAGS: &[&str] = &[
        "<p",
        "<h1",
        "<h2",
        "<div",
        "<form",
        "<input",
        "<a ",
        "<li",
        "<ul",
        "<main",
        "<html",
        "<table",
        "<tr",
        "<td",
        "<span",
        "<button",
        "<label",
        "<section",
        "<dl",
        "<dt",
        "<dd",
        "<strong",
        "<code",
        "<select",
        "<option",
        "<textarea",
        "<nav",
        "<header",
    ];
    let mut in_format = false;
    for line in text.lines() {
        if line.contains("format!(") || line.contains("write!(") {
            in_format = true;
        }
        if in_format && TAGS.iter().any(|tag| line.contains(tag)) {
            return true;
        }
        if line.trim_end().ends_with(");") || line.trim_end().ends_with("),") {
            in_format = false;
        }
    }
    false
}

#[test]
fn the_rules_can_fail() {
    assert!(mentions_worker("use worker::Env;"));
    assert!(does_io("let t = std::time::SystemTime::now();"));
    assert!(!does_io("// SystemTime is not used here"));
    assert!(!mentions_worker("//! no worker:: here"));
    assert!(formats_html("let x = format!(\n  \"<p>{}</p>\",\n  y,\n);"));
    assert!(!formats_html(
        "let x = format!(\"{a}-{b}\");\nlet y = \"<p>\";"
    ));
}
