//! The layout's one hard rule: features depend on the core, policies, jobs,
//! the event log and infrastructure, never on each other. A feature is a top-level module
//! of `src/` that registers routes (its `mod.rs` has `pub fn routes`).

use std::fs;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn features(src: &Path) -> Vec<String> {
    let mut features: Vec<String> = fs::read_dir(src)
        .expect("src/ is readable")
        .filter_map(Result::ok)
        .filter(|entry| {
            fs::read_to_string(entry.path().join("mod.rs"))
                .is_ok_and(|text| text.contains("pub fn routes("))
        })
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    features.sort();
    features
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).expect("readable").filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files
}

/// The other features a feature's code names, as `crate::<feature>`.
fn imports_of_other_features(src: &Path, feature: &str, features: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for file in rust_files(&src.join(feature)) {
        let text = fs::read_to_string(&file).expect("readable");
        for other in features.iter().filter(|other| *other != feature) {
            let needle = format!("crate::{other}");
            for (number, line) in text.lines().enumerate() {
                let rest = line.split(needle.as_str()).nth(1);
                // `crate::people` but not `crate::people_extra`.
                if rest.is_some_and(|rest| {
                    !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_')
                }) {
                    found.push(format!(
                        "{}:{}: {}",
                        file.display(),
                        number + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    found
}

fn violations(src: &Path) -> Vec<String> {
    let features = features(src);
    features
        .iter()
        .flat_map(|feature| imports_of_other_features(src, feature, &features))
        .collect()
}

#[test]
fn the_features_are_found() {
    let features = features(&src());
    for expected in ["accounts", "friends", "media", "people"] {
        assert!(features.iter().any(|f| f == expected), "{features:?}");
    }
    for infrastructure in ["core", "policy", "db", "http"] {
        assert!(
            !features.iter().any(|f| f == infrastructure),
            "{features:?}"
        );
    }
}

#[test]
fn features_never_import_each_other() {
    let violations = violations(&src());
    assert!(
        violations.is_empty(),
        "features must depend on core, policy and infrastructure only:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_check_catches_a_feature_importing_another() {
    let scratch = std::env::temp_dir().join(format!("noxchat-arch-{}", std::process::id()));
    let write = |file: &str, text: &str| {
        let path = scratch.join(file);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("scratch dir");
        fs::write(path, text).expect("scratch file");
    };
    write("forum/mod.rs", "pub fn routes(cfg: &mut Cfg) {}\n");
    write(
        "forum/handlers.rs",
        "use crate::core::UserId;\nuse crate::chat_extras::X;\n",
    );
    write("chat/mod.rs", "pub fn routes(cfg: &mut Cfg) {}\n");
    write("chat/handlers/send.rs", "use crate::forum::queries;\n");
    write("core/mod.rs", "pub mod ids;\n");
    let found = violations(&scratch);
    let _ = fs::remove_dir_all(&scratch);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("chat") && found[0].contains("crate::forum::queries"));
}
