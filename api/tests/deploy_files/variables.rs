//! deploy/.env.example documents exactly the variables that the server and
//! the compose file read, and those reach the server's container.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::compose::{compose, compose_variables, names, service};
use crate::dockerfile::{arguments, stages};
use crate::{COMPOSE, DOCKERFILE, absent, read};

const ENV_EXAMPLE: &str = "deploy/.env.example";

/// Read by the server but on purpose not passed to its container: there,
/// Docker keeps and rotates the logs, not NoxChat (deploy/.env.example).
const NOT_FOR_CONTAINERS: &[&str] = &[
    "NOXCHAT_LOG_DIR",
    "NOXCHAT_LOG_MAX_SIZE_MB",
    "NOXCHAT_LOG_MAX_FILES",
];

fn is_variable_name(name: &str) -> bool {
    let is_name_byte = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_';
    name.starts_with(|c: char| c.is_ascii_uppercase()) && name.bytes().all(is_name_byte)
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

fn is_server_variable(name: &str) -> bool {
    let prefixed = ["NOXCHAT_", "MEILI_", "SMTP_"]
        .iter()
        .any(|p| name.starts_with(p));
    is_variable_name(name) && (prefixed || name == "DATABASE_URL" || name == "REDIS_URL")
}

/// Every string literal of api/src that is a variable's name, outside test
/// code (the configuration looks the variables up, and names them in its
/// errors, by these literals), and RUST_LOG, which tracing's EnvFilter reads.
fn server_variables() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for file in rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src")) {
        if file.ends_with("tests.rs") || file.components().any(|part| part.as_os_str() == "tests") {
            continue;
        }
        let text = fs::read_to_string(&file).expect("readable");
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        // Split at every quote, a literal `"NAME"` leaves exactly `NAME`.
        let literals = code.split('"').filter(|text| is_server_variable(text));
        found.extend(literals.map(str::to_owned));
        if code.contains("EnvFilter::try_from_default_env") {
            found.insert("RUST_LOG".to_owned());
        }
    }
    found
}

/// `NAME` of each `NAME=value` line, and of each commented-out `# NAME=value`.
fn documented_variables() -> BTreeSet<String> {
    let text = read(ENV_EXAMPLE);
    let entries = text.lines().map(|line| line.trim_start_matches(['#', ' ']));
    let names = entries.filter_map(|entry| entry.split_once('=').map(|(name, _)| name));
    names
        .filter(|name| is_variable_name(name))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_variable_the_server_reads_is_documented() {
    let read_by_server = server_variables();
    let surely_read = ["NOXCHAT_SECRET", "DATABASE_URL", "MEILI_URL", "RUST_LOG"];
    assert!(
        surely_read
            .iter()
            .all(|name| read_by_server.contains(*name)),
        "the scan of api/src missed some: {read_by_server:?}"
    );
    let missing = absent(&read_by_server, &documented_variables());
    assert!(
        missing.is_empty(),
        "{ENV_EXAMPLE} lacks `NAME=` or `# NAME=` for {missing:?}"
    );
}

#[test]
fn every_variable_the_compose_file_reads_is_documented() {
    let missing = absent(&compose_variables(&compose()), &documented_variables());
    assert!(
        missing.is_empty(),
        "{ENV_EXAMPLE} lacks {missing:?} ({COMPOSE} reads them)"
    );
}

#[test]
fn every_variable_the_server_reads_reaches_its_container() {
    let compose = compose();
    let mut passed = names(&service(&compose, "noxchat")["environment"]);
    let runtime = stages()
        .pop()
        .unwrap_or_else(|| panic!("{DOCKERFILE} has no FROM"));
    for env in arguments(&runtime, "ENV") {
        let names = env
            .split_whitespace()
            .filter_map(|word| word.split_once('='));
        passed.extend(names.map(|(name, _)| name.to_owned()));
    }
    passed.extend(NOT_FOR_CONTAINERS.iter().map(|name| name.to_string()));
    let lost = absent(&server_variables(), &passed);
    let passers = format!("{COMPOSE} (`noxchat`'s environment) nor {DOCKERFILE} (ENV)");
    assert!(
        lost.is_empty(),
        "neither {passers} passes on {lost:?}: .env cannot set them"
    );
}

#[test]
fn the_example_documents_only_variables_that_are_read() {
    let mut read_by_someone = server_variables();
    read_by_someone.extend(compose_variables(&compose()));
    let unread = absent(&documented_variables(), &read_by_someone);
    // COMPOSE_PROFILES and the like are Compose's own.
    let stale: Vec<String> = unread
        .into_iter()
        .filter(|name| !name.starts_with("COMPOSE_"))
        .collect();
    assert!(stale.is_empty(), "{ENV_EXAMPLE}: nothing reads {stale:?}");
}
