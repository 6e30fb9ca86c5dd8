//! deploy/Dockerfile, its stages and instructions, and the images that it
//! and the compose file run, each pinned to a version.

use std::collections::BTreeMap;

use crate::compose::{compose, scalar, services, substitute};
use crate::{COMPOSE, DOCKERFILE, assert_none, read};

struct Instruction {
    keyword: String,
    arguments: String,
}

pub(super) struct Stage {
    name: Option<String>,
    /// The image, with the global `ARG`s filled in, or why it cannot be.
    image: Result<String, String>,
    instructions: Vec<Instruction>,
}

/// The instructions: `\` continuations joined, comments dropped.
fn instructions(text: &str) -> Vec<Instruction> {
    let (mut found, mut pending) = (Vec::new(), String::new());
    for line in text
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with('#'))
    {
        pending.push_str(line.trim_end_matches('\\'));
        pending.push(' ');
        if line.ends_with('\\') || pending.trim().is_empty() {
            continue;
        }
        let joined = std::mem::take(&mut pending);
        let (keyword, arguments) = joined.trim().split_once(' ').unwrap_or((joined.trim(), ""));
        let (keyword, arguments) = (keyword.to_uppercase(), arguments.trim().to_owned());
        found.push(Instruction { keyword, arguments });
    }
    found
}

/// The build stages. `ARG`s before the first `FROM` may name its images.
pub(super) fn stages() -> Vec<Stage> {
    let (mut global_args, mut stages) = (BTreeMap::<String, String>::new(), Vec::new());
    for instruction in instructions(&read(DOCKERFILE)) {
        if instruction.keyword == "FROM" {
            let words = instruction.arguments.split_whitespace();
            let words: Vec<&str> = words.filter(|word| !word.starts_with("--")).collect();
            let lookup = |name: &str| global_args.get(name).cloned();
            let named = words.len() == 3 && words[1].eq_ignore_ascii_case("as");
            let name = named.then(|| words[2].to_owned());
            let image = substitute(words.first().copied().unwrap_or_default(), lookup);
            stages.push(Stage {
                name,
                image,
                instructions: Vec::new(),
            });
        } else if let Some(stage) = stages.last_mut() {
            stage.instructions.push(instruction);
        } else if let Some((name, default)) = instruction.arguments.split_once('=') {
            global_args.insert(name.to_owned(), default.trim_matches('"').to_owned());
        }
    }
    stages
}

/// The arguments of each `keyword` instruction of `stage`, in order.
pub(super) fn arguments<'a>(stage: &'a Stage, keyword: &str) -> Vec<&'a str> {
    let matching = stage.instructions.iter().filter(|i| i.keyword == keyword);
    matching.map(|i| i.arguments.as_str()).collect()
}

/// A digest, or a version tag of at least major.minor (`17.6`, `v1.15.2`,
/// `7.4.6-alpine`); not `latest`, not a bare major (`17`), not untagged.
fn is_pinned(image: &str) -> bool {
    let name_and_tag = image.rsplit('/').next().unwrap_or_default();
    let tag = name_and_tag.split_once(':').map_or("", |(_, tag)| tag);
    let version = tag.strip_prefix('v').unwrap_or(tag).split(['.', '-']);
    let version: Vec<&str> = version.take(2).collect();
    let is_number = |part: &&str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    image.contains("@sha256:") || (version.len() == 2 && version.iter().all(is_number))
}

#[test]
fn the_pin_check_tells_versions_from_moving_tags() {
    for pinned in "postgres:17.6 meili/meili:v1.15.2 host:5000/a:1.2-alpine a@sha256:9f".split(' ')
    {
        assert!(is_pinned(pinned), "{pinned} is pinned");
    }
    for moving in "postgres postgres:latest postgres:17 nginx:stable host:5000/a".split(' ') {
        assert!(!is_pinned(moving), "{moving} moves");
    }
}

#[test]
fn every_image_is_pinned_to_a_version() {
    let mut problems = Vec::new();
    for (name, service) in services(&compose()) {
        let Some(written) = scalar(&service["image"]) else {
            continue;
        };
        match substitute(&written, |_| None) {
            Ok(image) if is_pinned(&image) => {}
            Ok(image) => problems.push(format!("{COMPOSE}: `{name}` runs `{image}`")),
            Err(why) => problems.push(format!("{COMPOSE}: `{name}` runs `{written}`: {why}")),
        }
    }
    let stages = stages();
    for (index, stage) in stages.iter().enumerate() {
        let earlier = |image: &str| {
            stages[..index]
                .iter()
                .any(|s| s.name.as_deref() == Some(image))
        };
        match &stage.image {
            Ok(image) if is_pinned(image) || earlier(image.as_str()) => {}
            Ok(image) => problems.push(format!("{DOCKERFILE}: stage {index} is FROM `{image}`")),
            Err(why) => problems.push(format!("{DOCKERFILE}: stage {index}'s FROM: {why}")),
        }
    }
    assert_none(
        &problems,
        "images must be pinned to a version (not latest, not untagged)",
    );
}

#[test]
fn the_dockerfile_builds_the_web_app_and_the_server_in_stages() {
    let known = "FROM RUN CMD LABEL EXPOSE ENV ADD COPY ENTRYPOINT VOLUME USER WORKDIR ARG \
        ONBUILD STOPSIGNAL HEALTHCHECK SHELL";
    for Instruction { keyword, .. } in instructions(&read(DOCKERFILE)) {
        let valid = known.split_whitespace().any(|known| known == keyword);
        assert!(valid, "{DOCKERFILE}: `{keyword}` is no instruction");
    }
    let stages = stages();
    let runs = |stage: &Stage, words: &[&str]| {
        let commands = arguments(stage, "RUN");
        commands
            .iter()
            .any(|run| words.iter().all(|word| run.contains(word)))
    };
    let from_node = |stage: &Stage| stage.image.as_ref().is_ok_and(|i| i.starts_with("node:"));
    let web = stages
        .iter()
        .any(|stage| from_node(stage) && runs(stage, &["npm run build"]));
    assert!(web, "{DOCKERFILE}: no stage FROM node runs `npm run build`");
    let server = stages
        .iter()
        .any(|stage| runs(stage, &["cargo build", "--release"]));
    assert!(
        server,
        "{DOCKERFILE}: no stage runs `cargo build --release`"
    );
    assert!(stages.len() >= 3, "{DOCKERFILE}: web app, server, runtime");
}

#[test]
fn the_image_runs_unprivileged_with_a_health_check() {
    let stages = stages();
    let runtime = stages
        .last()
        .unwrap_or_else(|| panic!("{DOCKERFILE} has no FROM"));
    let user = arguments(runtime, "USER").last().copied().unwrap_or("root");
    let account = user.split(':').next().unwrap_or_default();
    let unprivileged = !matches!(account, "root" | "0" | "");
    assert!(unprivileged, "{DOCKERFILE}: the image runs as `{user}`");
    let health = arguments(runtime, "HEALTHCHECK")
        .last()
        .copied()
        .unwrap_or("NONE");
    let checked = !health.eq_ignore_ascii_case("NONE");
    assert!(checked, "{DOCKERFILE}: the image has no HEALTHCHECK");
    let exposes = !arguments(runtime, "EXPOSE").is_empty();
    assert!(exposes, "{DOCKERFILE}: the image EXPOSEs no port");
}

#[test]
fn every_copy_from_names_an_earlier_stage() {
    let stages = stages();
    let mut problems = Vec::new();
    for (index, stage) in stages.iter().enumerate() {
        let earlier: Vec<&str> = stages[..index]
            .iter()
            .filter_map(|s| s.name.as_deref())
            .collect();
        let words = arguments(stage, "COPY")
            .into_iter()
            .flat_map(str::split_whitespace);
        for source in words.filter_map(|word| word.strip_prefix("--from=")) {
            let is_index = source.parse::<usize>().is_ok_and(|n| n < index);
            if !is_index && !earlier.contains(&source) {
                problems.push(format!(
                    "stage {index}: --from={source} is no earlier stage"
                ));
            }
        }
    }
    assert_none(&problems, DOCKERFILE);
}
