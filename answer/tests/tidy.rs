//! The crate's rules as a test: every source file says what it is for (`//!`),
//! stays under 600 lines, and the crate stays pure (no `worker`, no clock, no
//! network of its own).

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_file_is_documented_short_and_pure() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    sources(&root.join("tests"), &mut files);
    assert!(files.len() > 10, "found the sources");
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let name = file.strip_prefix(root).unwrap().display();
        if !text.starts_with("//! ") {
            problems.push(format!("{name}: does not start with a //! comment"));
        }
        let lines = text.lines().count();
        if lines >= 600 {
            problems.push(format!("{name}: {lines} lines (limit 600)"));
        }
        for banned in [
            "SystemTime",
            "Instant::now",
            "worker::",
            "std::net",
            "std::fs",
        ] {
            if text.contains(banned) && !file.starts_with(root.join("tests")) {
                problems.push(format!("{name}: uses {banned}"));
            }
        }
    }
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let dependencies = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap_or("");
    for line in dependencies.lines().filter(|l| !l.trim().is_empty()) {
        let name = line.split(['=', ' ']).next().unwrap_or("");
        if ![
            "protocol",
            "serde",
            "serde_json",
            "thiserror",
            "csv",
            "maud",
            "form_urlencoded",
        ]
        .contains(&name)
        {
            problems.push(format!(
                "Cargo.toml: dependency {name} is not on the crate's list"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
