//! deploy/docker-compose.yml: its services, their dependencies, volumes,
//! restart policies and logs, and the `${NAME}` interpolations it makes.

use std::collections::BTreeSet;

use yaml_rust2::{Yaml, YamlLoader};

use crate::{COMPOSE, absent, assert_none, read};

pub(super) fn compose() -> Yaml {
    let documents = YamlLoader::load_from_str(&read(COMPOSE))
        .unwrap_or_else(|error| panic!("{COMPOSE} is not valid YAML: {error}"));
    assert_eq!(documents.len(), 1, "{COMPOSE}: one YAML document");
    documents.into_iter().next().expect("one document")
}

/// The services by name, in the file's order.
pub(super) fn services(compose: &Yaml) -> Vec<(String, &Yaml)> {
    let Some(services) = compose["services"].as_hash() else {
        panic!("{COMPOSE} has no `services:` mapping");
    };
    let mut found = Vec::new();
    for (name, service) in services {
        found.push((scalar(name).unwrap_or_default(), service));
    }
    found
}

pub(super) fn service<'a>(compose: &'a Yaml, name: &str) -> &'a Yaml {
    let service = &compose["services"][name];
    assert!(service.is_hash(), "{COMPOSE} has no service `{name}`");
    service
}

/// A scalar as Compose reads it: `5`, `"5"` and `true` are all text to it.
pub(super) fn scalar(yaml: &Yaml) -> Option<String> {
    match yaml {
        Yaml::String(text) | Yaml::Real(text) => Some(text.clone()),
        Yaml::Integer(number) => Some(number.to_string()),
        Yaml::Boolean(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// Every scalar value under `yaml`, not the keys (Compose interpolates values).
fn values(yaml: &Yaml) -> Vec<String> {
    match yaml {
        Yaml::Hash(hash) => hash.values().flat_map(values).collect(),
        Yaml::Array(items) => items.iter().flat_map(values).collect(),
        other => scalar(other).into_iter().collect(),
    }
}

/// The names a mapping defines, or a list of `NAME` / `NAME=value` items.
pub(super) fn names(yaml: &Yaml) -> BTreeSet<String> {
    let items: Vec<String> = match yaml {
        Yaml::Hash(hash) => hash.keys().filter_map(scalar).collect(),
        Yaml::Array(items) => items.iter().filter_map(scalar).collect(),
        _ => Vec::new(),
    };
    let names = items.iter().filter_map(|item| item.split('=').next());
    names.map(str::to_owned).collect()
}

/// `(service, condition)` of each `depends_on:` entry.
fn dependencies(service: &Yaml) -> Vec<(String, Option<String>)> {
    let depends_on = &service["depends_on"];
    let mut found = Vec::new();
    for name in names(depends_on) {
        let condition = scalar(&depends_on[name.as_str()]["condition"]);
        found.push((name, condition));
    }
    found
}

/// `(source, target)` of each mount, short (`data:/var/lib/x:ro`) or long syntax.
fn mounts(service: &Yaml) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for mount in service["volumes"].as_vec().into_iter().flatten() {
        let short = scalar(mount).unwrap_or_default();
        let mut parts = short.split(':').map(str::to_owned);
        let source = scalar(&mount["source"]).or_else(|| parts.next());
        let target = scalar(&mount["target"]).or_else(|| parts.next());
        found.extend(source.zip(target));
    }
    found
}

/// `data`, not a path (`./nginx`, `/srv/noxchat`) nor a variable.
fn is_named_volume(source: &str) -> bool {
    !source.is_empty() && !source.starts_with(['.', '/', '~', '$'])
}

/// A `${NAME}`, `${NAME:-default}`, `${NAME:?error}`...
struct Interpolation {
    written: String,
    name: String,
    default: Option<String>,
}

/// The interpolations in `text`. `$$` is a literal `$`; a bare `$NAME` is
/// refused, so that no variable escapes these checks.
fn interpolations(text: &str) -> Result<Vec<Interpolation>, String> {
    let (mut found, mut rest) = (Vec::new(), text);
    while let Some(at) = rest.find('$') {
        let after = &rest[at + 1..];
        if let Some(escaped) = after.strip_prefix('$') {
            rest = escaped;
            continue;
        }
        let braced = after
            .strip_prefix('{')
            .and_then(|after| after.split_once('}'));
        let Some((body, remainder)) = braced else {
            return Err(format!(
                "`{}`: write ${{NAME}}, or $$ for a `$`",
                &rest[at..]
            ));
        };
        let name_end = body.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
        let (name, operator) = body.split_at(name_end.unwrap_or(body.len()));
        let operator_kind = operator.strip_prefix(':').unwrap_or(operator);
        let known = operator.is_empty() || operator_kind.starts_with(['-', '?', '+']);
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) || !known {
            return Err(format!(
                "`${{{body}}}` is not NAME, NAME:-default or NAME:?error"
            ));
        }
        let default = operator
            .strip_prefix(":-")
            .or_else(|| operator.strip_prefix('-'));
        let (written, name) = (format!("${{{body}}}"), name.to_owned());
        let default = default.map(str::to_owned);
        found.push(Interpolation {
            written,
            name,
            default,
        });
        rest = remainder;
    }
    Ok(found)
}

/// `text` with each interpolation replaced by `lookup`'s value, else its default.
pub(super) fn substitute(
    text: &str,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<String, String> {
    let mut result = text.to_owned();
    for variable in interpolations(text)? {
        let Some(value) = lookup(&variable.name).or(variable.default) else {
            return Err(format!("`{}` has no default", variable.written));
        };
        result = result.replacen(&variable.written, &value, 1);
    }
    Ok(result)
}

/// Every variable the compose file interpolates; fails on a malformed one.
pub(super) fn compose_variables(compose: &Yaml) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for text in values(compose) {
        let variables = interpolations(&text).unwrap_or_else(|why| panic!("{COMPOSE}: {why}"));
        found.extend(variables.into_iter().map(|variable| variable.name));
    }
    found
}

#[test]
fn the_compose_file_runs_every_part_of_the_installation() {
    let compose = compose();
    for expected in "noxchat postgres redis meilisearch nginx certbot".split(' ') {
        service(&compose, expected);
    }
}

#[test]
fn meilisearch_starts_only_with_its_profile_and_nothing_waits_for_it() {
    let compose = compose();
    let profiles = &service(&compose, "meilisearch")["profiles"];
    let optional = profiles
        .as_vec()
        .is_some_and(|profiles| !profiles.is_empty());
    assert!(optional, "{COMPOSE}: `meilisearch` should be in a profile");
    for (name, service) in services(&compose) {
        let waits = dependencies(service)
            .into_iter()
            .any(|(on, _)| on == "meilisearch");
        assert!(
            !waits,
            "{COMPOSE}: `{name}` depends on the optional `meilisearch`"
        );
    }
}

#[test]
fn every_service_restarts_by_itself() {
    let mut problems = Vec::new();
    for (name, service) in services(&compose()) {
        let policy = scalar(&service["restart"]).unwrap_or_default();
        let policy = policy.split(':').next().unwrap_or_default();
        if !matches!(policy, "always" | "unless-stopped" | "on-failure") {
            problems.push(format!("`{name}` has restart `{policy}`"));
        }
    }
    assert_none(
        &problems,
        &format!("{COMPOSE}: every service needs a restart policy"),
    );
}

#[test]
fn the_server_starts_once_its_databases_are_healthy() {
    let compose = compose();
    let dependencies = dependencies(service(&compose, "noxchat"));
    let mut problems = Vec::new();
    for database in ["postgres", "redis"] {
        let found = dependencies.iter().find(|(name, _)| name == database);
        if found.is_none_or(|(_, how)| how.as_deref() != Some("service_healthy")) {
            problems.push(format!(
                "`noxchat` lacks depends_on: {database}: service_healthy"
            ));
        }
        if service(&compose, database)["healthcheck"]["test"].is_badvalue() {
            problems.push(format!("`{database}` has no healthcheck"));
        }
    }
    assert_none(&problems, COMPOSE);
}

#[test]
fn the_data_lives_in_declared_named_volumes() {
    let compose = compose();
    let mut problems = Vec::new();
    let places = [
        ("noxchat", "/var/lib/noxchat"),
        ("noxchat", "/var/lib/noxchat/media"),
        ("postgres", "/var/lib/postgresql/data"),
        ("nginx", "/etc/letsencrypt"),
        ("certbot", "/etc/letsencrypt"),
    ];
    for (name, target) in places {
        let mounts = mounts(service(&compose, name));
        let source = mounts
            .iter()
            .find(|(_, on)| on == target)
            .map(|(source, _)| source);
        if !source.is_some_and(|source| is_named_volume(source)) {
            problems.push(format!(
                "`{name}` mounts no named volume on {target}: {mounts:?}"
            ));
        }
    }
    let declared = names(&compose["volumes"]);
    let mut used = BTreeSet::new();
    for (_, service) in services(&compose) {
        let sources = mounts(service).into_iter().map(|(source, _)| source);
        used.extend(sources.filter(|source| is_named_volume(source)));
    }
    for volume in absent(&used, &declared) {
        problems.push(format!(
            "volume `{volume}` is mounted but not in the top-level `volumes:`"
        ));
    }
    for volume in absent(&declared, &used) {
        problems.push(format!(
            "volume `{volume}` is in `volumes:` but mounted nowhere"
        ));
    }
    assert_none(&problems, COMPOSE);
}

#[test]
fn docker_rotates_every_services_logs() {
    let mut problems = Vec::new();
    for (name, service) in services(&compose()) {
        let logging = &service["logging"];
        let option = |option: &str| scalar(&logging["options"][option]).unwrap_or_default();
        let driver = scalar(&logging["driver"]).unwrap_or_default();
        if driver != "json-file" || option("max-size").is_empty() || option("max-file").is_empty() {
            problems.push(format!(
                "`{name}` lacks logging: json-file, max-size and max-file"
            ));
        }
    }
    assert_none(&problems, COMPOSE);
}
