//! The deployment files, checked without a Docker engine (issue 15): the
//! compose file and the Dockerfile are well formed and pin their images to
//! versions, deploy/.env.example documents exactly what the server and the
//! compose file read, nginx lets the largest upload through, the scripts parse.
//!
//! One module a subject: [`compose`] (deploy/docker-compose.yml),
//! [`dockerfile`] (deploy/Dockerfile and the images everything runs),
//! [`variables`] (deploy/.env.example against what reads it), [`nginx`] (the
//! upload limit) and [`scripts`] (the shell scripts).

mod compose;
mod dockerfile;
mod nginx;
mod scripts;
mod variables;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

const COMPOSE: &str = "deploy/docker-compose.yml";
const DOCKERFILE: &str = "deploy/Dockerfile";

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(relative: &str) -> String {
    fs::read_to_string(repository().join(relative))
        .unwrap_or_else(|error| panic!("{relative}: cannot read it: {error}"))
}

/// Fails with every problem at once, one a line, under `heading`.
fn assert_none(problems: &[String], heading: &str) {
    assert!(problems.is_empty(), "{heading}:\n{}", problems.join("\n"));
}

/// The names in `names` that `known` lacks.
fn absent(names: &BTreeSet<String>, known: &BTreeSet<String>) -> Vec<String> {
    names.difference(known).cloned().collect()
}
