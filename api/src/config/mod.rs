//! Typed settings read once from the environment at start-up.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ipnet::IpNet;
use rand::RngCore;
use url::Url;

pub use logs::{LogFiles, LogFormat};
pub use meili::MeiliSettings;
pub use realtime::RealtimeSettings;
use values::{bad, parse_cidrs, parse_emails, parse_number, parse_public_url, parse_switch};

mod logs;
mod meili;
mod realtime;
mod values;

pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/noxchat";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "./var";
pub const DEFAULT_SPA_DIR: &str = "web-spa/dist";
const MIN_SECRET_LEN: usize = 32;

#[derive(Clone)]
pub struct Config {
    /// May hold a password: `Debug` prints it redacted.
    pub database_url: String,
    pub bind: SocketAddr,
    pub public_url: Url,
    pub data_dir: PathBuf,
    /// The built web app (`npm run build` in `web-spa/`).
    pub spa_dir: PathBuf,
    pub secret: Secret,
    pub environment: Environment,
    pub smtp_url: Option<Secret>,
    /// Redis for presence between instances; none: this process only.
    pub redis_url: Option<Secret>,
    /// Meilisearch for search; none: PostgreSQL's full-text search.
    pub meili: Option<MeiliSettings>,
    /// Accounts with one of these addresses, once verified, are admins.
    pub admin_emails: Vec<String>,
    pub mail_from: lettre::message::Mailbox,
    pub trusted_proxies: Vec<IpNet>,
    pub rate_limits: bool,
    /// Serve the API docs (`/api/docs/`) and the spec (`/api/openapi.json`).
    pub api_docs: bool,
    pub log_format: LogFormat,
    /// Log files besides stderr (`NOXCHAT_LOG_DIR`); none: stderr only.
    pub log_files: Option<LogFiles>,
    pub workers: usize,
    pub db_pool_size: u32,
    pub jobs: JobSettings,
    /// How long a client may take to send an upload's body.
    pub upload_timeout: Duration,
    pub event_retention: EventRetention,
    pub realtime: RealtimeSettings,
    /// Where `/metrics` is served (`NOXCHAT_METRICS_BIND`); off unless set.
    pub metrics_bind: Option<SocketAddr>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &without_password(&self.database_url))
            .field("bind", &self.bind)
            .field("public_url", &self.public_url.as_str())
            .field("data_dir", &self.data_dir)
            .field("spa_dir", &self.spa_dir)
            .field("secret", &self.secret)
            .field("environment", &self.environment)
            .field("smtp_url", &self.smtp_url)
            .field("redis_url", &self.redis_url)
            .field("meili", &self.meili)
            .field("admin_emails", &self.admin_emails)
            .field("mail_from", &self.mail_from)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("rate_limits", &self.rate_limits)
            .field("api_docs", &self.api_docs)
            .field("log_format", &self.log_format)
            .field("log_files", &self.log_files)
            .field("workers", &self.workers)
            .field("db_pool_size", &self.db_pool_size)
            .field("jobs", &self.jobs)
            .field("upload_timeout", &self.upload_timeout)
            .field("event_retention", &self.event_retention)
            .field("realtime", &self.realtime)
            .field("metrics_bind", &self.metrics_bind)
            .finish()
    }
}

/// The URL with `***` for its password, if it has one.
fn without_password(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(_) => url.to_owned(),
        Err(_) => "(not a URL)".to_owned(),
    }
}

/// How this instance runs background jobs.
#[derive(Clone, Debug)]
pub struct JobSettings {
    /// Jobs run at once on this instance; 0 leaves them to other instances.
    pub workers: usize,
    /// How often workers look for due jobs without being woken. Wake-ups
    /// come through PostgreSQL on commit, so this is only a fallback.
    pub poll_every: Duration,
    /// How long a claimed job stays a worker's if the worker stops renewing
    /// it (it renews every third of this while the job runs).
    pub lease: Duration,
    /// Attempts before a job is given up for good.
    pub max_attempts: i32,
}

/// How much of each person's event log is kept: a client further behind
/// reloads its lists instead (`resync_required`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventRetention {
    pub days: u32,
    pub per_person: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// A value that must never reach a log line, even through `{:?}`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// A bad setting: names the variable, so start-up can fail with one clear line.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

impl Config {
    /// Reads the process environment (after loading `.env` if present).
    pub fn from_env() -> Result<Self, ConfigError> {
        // A missing .env is normal; a malformed one is not, so report it.
        if let Err(error) = dotenvy::dotenv()
            && !error.not_found()
        {
            return Err(bad(".env", error.to_string()));
        }
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let environment = match lookup("NOXCHAT_ENV").as_deref() {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => {
                return Err(bad(
                    "NOXCHAT_ENV",
                    format!("expected `development` or `production`, got `{other}`"),
                ));
            }
        };
        let database_url =
            lookup("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        if !(database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
            return Err(bad("DATABASE_URL", "expected a postgres:// URL"));
        }
        let bind_text = lookup("NOXCHAT_BIND").unwrap_or_else(|| DEFAULT_BIND.to_owned());
        let bind: SocketAddr = bind_text
            .parse()
            .map_err(|_| bad("NOXCHAT_BIND", format!("`{bind_text}` is not an IP:port")))?;
        let public_url = match lookup("NOXCHAT_PUBLIC_URL") {
            Some(text) => parse_public_url(&text)?,
            None => parse_public_url(&format!("http://{bind}"))?,
        };
        let data_dir = PathBuf::from(
            lookup("NOXCHAT_DATA_DIR").unwrap_or_else(|| DEFAULT_DATA_DIR.to_owned()),
        );
        let spa_dir =
            PathBuf::from(lookup("NOXCHAT_SPA_DIR").unwrap_or_else(|| DEFAULT_SPA_DIR.to_owned()));
        let secret = match (lookup("NOXCHAT_SECRET"), environment) {
            (Some(secret), _) if secret.len() >= MIN_SECRET_LEN => Secret(secret),
            (Some(_), _) => {
                return Err(bad(
                    "NOXCHAT_SECRET",
                    format!(
                        "must be at least {MIN_SECRET_LEN} characters (e.g. `openssl rand -hex 32`)"
                    ),
                ));
            }
            (None, Environment::Production) => {
                return Err(bad(
                    "NOXCHAT_SECRET",
                    "required when NOXCHAT_ENV=production (e.g. `openssl rand -hex 32`)",
                ));
            }
            (None, Environment::Development) => development_secret(&data_dir)?,
        };
        let smtp_url = match lookup("SMTP_URL") {
            Some(url) if url.starts_with("smtp://") || url.starts_with("smtps://") => {
                Some(Secret(url))
            }
            Some(_) => return Err(bad("SMTP_URL", "expected an smtp:// or smtps:// URL")),
            // The outbox is for development: in production it would quietly
            // keep everyone's sign-in links in files nobody sends.
            None if environment == Environment::Production => {
                return Err(bad(
                    "SMTP_URL",
                    "required when NOXCHAT_ENV=production (e.g. `smtps://user:password@mail.example.org`)",
                ));
            }
            None => None,
        };
        let redis_url = match lookup("REDIS_URL") {
            Some(url) if url.starts_with("redis://") => Some(Secret(url)),
            Some(_) => {
                return Err(bad(
                    "REDIS_URL",
                    "expected a redis:// URL, e.g. `redis://127.0.0.1:6379`",
                ));
            }
            None => None,
        };
        let meili = MeiliSettings::from_lookup(&lookup)?;
        let admin_emails = parse_emails(&lookup, "NOXCHAT_ADMIN_EMAILS")?;
        let mail_from_text = lookup("NOXCHAT_MAIL_FROM").unwrap_or_else(|| {
            let host = public_url.host_str().unwrap_or("localhost");
            format!("NoxChat <noreply@{host}>")
        });
        let mail_from = mail_from_text.parse::<lettre::message::Mailbox>().map_err(|_| {
            bad(
                "NOXCHAT_MAIL_FROM",
                format!(
                    "`{mail_from_text}` is not a mailbox such as `NoxChat <noreply@example.org>`"
                ),
            )
        })?;
        let trusted_proxies = match lookup("NOXCHAT_TRUSTED_PROXIES") {
            Some(list) => parse_cidrs(&list)?,
            None => Vec::new(),
        };
        let rate_limits = parse_switch(&lookup, "NOXCHAT_RATE_LIMITS", true)?;
        let api_docs = parse_switch(&lookup, "NOXCHAT_API_DOCS", true)?;
        let log_format = LogFormat::from_lookup(&lookup)?;
        let log_files = LogFiles::from_lookup(&lookup)?;
        let workers = parse_number(&lookup, "NOXCHAT_WORKERS", default_workers())?;
        let db_pool_size = parse_number(&lookup, "NOXCHAT_DB_POOL_SIZE", 16)?;
        let upload_timeout =
            Duration::from_secs(parse_number(&lookup, "NOXCHAT_UPLOAD_TIMEOUT_SECS", 60)?);
        let jobs = JobSettings {
            workers: match lookup("NOXCHAT_JOB_WORKERS").as_deref() {
                Some("0") => 0,
                _ => parse_number(&lookup, "NOXCHAT_JOB_WORKERS", 2)?,
            },
            poll_every: Duration::from_millis(parse_number(
                &lookup,
                "NOXCHAT_JOB_POLL_MS",
                30_000,
            )?),
            lease: Duration::from_millis(
                parse_number(&lookup, "NOXCHAT_JOB_LEASE_MS", 60_000)?.max(300),
            ),
            max_attempts: parse_number(&lookup, "NOXCHAT_JOB_MAX_ATTEMPTS", 10)?,
        };
        Ok(Self {
            database_url,
            bind,
            public_url,
            data_dir,
            spa_dir,
            secret,
            environment,
            smtp_url,
            redis_url,
            meili,
            admin_emails,
            mail_from,
            trusted_proxies,
            rate_limits,
            api_docs,
            log_format,
            log_files,
            workers,
            db_pool_size,
            jobs,
            upload_timeout,
            event_retention: EventRetention {
                days: parse_number(&lookup, "NOXCHAT_EVENTS_KEEP_DAYS", 7)?,
                per_person: parse_number(&lookup, "NOXCHAT_EVENTS_KEEP_COUNT", 10_000)?,
            },
            realtime: RealtimeSettings::from_lookup(&lookup)?,
            metrics_bind: match lookup("NOXCHAT_METRICS_BIND") {
                None => None,
                Some(text) => Some(text.parse().map_err(|_| {
                    bad(
                        "NOXCHAT_METRICS_BIND",
                        format!("`{text}` is not an IP:port"),
                    )
                })?),
            },
        })
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }

    /// Cookies get the `Secure` flag when people reach us over https.
    pub fn served_over_https(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// An absolute link into the web app, e.g. `/reset-password#token=…`:
    /// secrets go in the fragment, which browsers never send to a server,
    /// so no proxy log or `Referer` carries them.
    pub fn public_link(&self, path_and_fragment: &str) -> String {
        format!(
            "{}{}",
            self.public_url.as_str().trim_end_matches('/'),
            path_and_fragment
        )
    }
}

fn default_workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Development needs no set-up: a random secret is made once and kept in the
/// data dir, so sign-ins survive restarts.
fn development_secret(data_dir: &Path) -> Result<Secret, ConfigError> {
    let path = data_dir.join("secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim();
        if existing.len() >= MIN_SECRET_LEN {
            return Ok(Secret(existing.to_owned()));
        }
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let write = || -> std::io::Result<()> {
        crate::private_files::create_dir_all(data_dir)?;
        // A secret too short to use is replaced.
        match std::fs::remove_file(&path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
            _ => {}
        }
        crate::private_files::write_new(&path, secret.as_bytes())
    };
    write().map_err(|e| {
        bad(
            "NOXCHAT_DATA_DIR",
            format!(
                "cannot keep a development secret at {}: {e}",
                path.display()
            ),
        )
    })?;
    Ok(Secret(secret))
}

#[cfg(test)]
mod tests;
