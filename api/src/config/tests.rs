use super::*;
use std::collections::HashMap;

fn config_from(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let dir = std::env::temp_dir().join(format!("noxchat-config-{}", uuid::Uuid::new_v4()));
    let mut map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    map.entry("NOXCHAT_DATA_DIR".into())
        .or_insert_with(|| dir.display().to_string());
    Config::from_lookup(|name| map.get(name).cloned())
}

#[test]
fn defaults_work_with_nothing_set() {
    let config = config_from(&[]).expect("defaults are valid");
    assert_eq!(config.bind.to_string(), DEFAULT_BIND);
    assert_eq!(config.public_url.as_str(), "http://127.0.0.1:8080/");
    assert!(config.rate_limits);
    assert!(config.smtp_url.is_none());
    assert!(config.secret.expose().len() >= MIN_SECRET_LEN);
}

#[test]
fn development_secret_is_kept_across_starts() {
    let dir = std::env::temp_dir().join(format!("noxchat-config-{}", uuid::Uuid::new_v4()));
    let dir = dir.display().to_string();
    let first = config_from(&[("NOXCHAT_DATA_DIR", &dir)]).expect("valid");
    let second = config_from(&[("NOXCHAT_DATA_DIR", &dir)]).expect("valid");
    assert_eq!(first.secret.expose(), second.secret.expose());
}

#[test]
fn production_refuses_to_start_without_a_secret() {
    let error = config_from(&[("NOXCHAT_ENV", "production")]).expect_err("must fail");
    assert_eq!(error.variable, "NOXCHAT_SECRET");
}

#[test]
fn production_refuses_to_write_mail_to_disk() {
    let secret = "s".repeat(MIN_SECRET_LEN);
    let error = config_from(&[("NOXCHAT_ENV", "production"), ("NOXCHAT_SECRET", &secret)])
        .expect_err("must fail");
    assert_eq!(error.variable, "SMTP_URL");
    let config = config_from(&[
        ("NOXCHAT_ENV", "production"),
        ("NOXCHAT_SECRET", &secret),
        ("SMTP_URL", "smtps://noxchat:password@mail.example.org"),
    ])
    .expect("valid with a mail server");
    assert!(config.smtp_url.is_some());
}

#[test]
fn development_files_are_the_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir()
        .join(format!("noxchat-config-{}", uuid::Uuid::new_v4()))
        .join("data");
    config_from(&[("NOXCHAT_DATA_DIR", &dir.display().to_string())]).expect("valid");
    let mode = |path: &std::path::Path| {
        std::fs::metadata(path)
            .expect("exists")
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode(&dir), 0o700, "the data dir");
    assert_eq!(mode(&dir.join("secret")), 0o600, "the development secret");
}

#[test]
fn the_event_log_keeps_a_week_and_ten_thousand_by_default() {
    let config = config_from(&[]).expect("defaults are valid");
    assert_eq!(
        config.event_retention,
        EventRetention {
            days: 7,
            per_person: 10_000
        }
    );
    let config = config_from(&[
        ("NOXCHAT_EVENTS_KEEP_DAYS", "30"),
        ("NOXCHAT_EVENTS_KEEP_COUNT", "500"),
    ])
    .expect("valid");
    assert_eq!(config.event_retention.days, 30);
    assert_eq!(config.event_retention.per_person, 500);
    for variable in ["NOXCHAT_EVENTS_KEEP_DAYS", "NOXCHAT_EVENTS_KEEP_COUNT"] {
        let error = config_from(&[(variable, "0")]).expect_err(variable);
        assert_eq!(error.variable, variable);
    }
}

#[test]
fn short_secret_is_refused() {
    let error = config_from(&[("NOXCHAT_SECRET", "hunter2")]).expect_err("must fail");
    assert_eq!(error.variable, "NOXCHAT_SECRET");
}

#[test]
fn bad_values_name_their_variable() {
    for (variable, value) in [
        ("NOXCHAT_BIND", "localhost"),
        ("NOXCHAT_PUBLIC_URL", "ftp://example.org"),
        ("DATABASE_URL", "mysql://x"),
        ("SMTP_URL", "http://mail"),
        ("REDIS_URL", "localhost:6379"),
        ("NOXCHAT_ADMIN_EMAILS", "boss@example.org, not-an-address"),
        ("NOXCHAT_REALTIME_PING_MS", "often"),
        ("NOXCHAT_PRESENCE_GRACE_MS", "-1"),
        ("NOXCHAT_TRUSTED_PROXIES", "10.0.0.0/8, nonsense"),
        ("NOXCHAT_RATE_LIMITS", "maybe"),
        ("NOXCHAT_WORKERS", "0"),
    ] {
        let error = config_from(&[(variable, value)]).expect_err(variable);
        assert_eq!(error.variable, variable);
    }
}

#[test]
fn admin_emails_are_read_as_stored() {
    let config = config_from(&[(
        "NOXCHAT_ADMIN_EMAILS",
        " Boss@Example.ORG ,, anna@пример.рф ",
    )])
    .expect("valid");
    assert_eq!(
        config.admin_emails,
        ["boss@example.org", "anna@xn--e1afmkfd.xn--p1ai"]
    );
}

#[test]
fn trusted_proxies_accept_addresses_and_ranges() {
    let config =
        config_from(&[("NOXCHAT_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8, ::1")]).expect("valid");
    assert_eq!(config.trusted_proxies.len(), 3);
}

#[test]
fn secrets_are_not_printed_by_debug() {
    let config = config_from(&[
        ("NOXCHAT_SECRET", &"s".repeat(40)),
        ("DATABASE_URL", "postgres://noxchat:hunter2@db:5432/noxchat"),
        ("SMTP_URL", "smtp://mailer:swordfish@mail:587"),
        ("REDIS_URL", "redis://:opensesame@cache:6379"),
    ])
    .expect("valid");
    let printed = format!("{config:?}");
    assert!(!printed.contains(&"s".repeat(40)), "{printed}");
    assert!(!printed.contains("hunter2"), "{printed}");
    assert!(!printed.contains("swordfish"), "{printed}");
    assert!(!printed.contains("opensesame"), "{printed}");
    assert!(
        printed.contains("postgres://noxchat:***@db:5432/noxchat"),
        "{printed}"
    );
}
