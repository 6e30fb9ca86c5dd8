//! Each test gets its own database, cloned from a migrated template and
//! dropped afterwards. Databases left by crashed runs are swept at start.

use std::sync::Once;
use std::time::{SystemTime, UNIX_EPOCH};

use diesel::prelude::*;
use diesel::sql_types::Text;
use noxchat::db;

const PREFIX: &str = "noxchat_test_";
const TEMPLATE_PREFIX: &str = "noxchat_template_";
/// Guards template set-up across the test processes of one machine.
const TEMPLATE_LOCK: i64 = 0x006e_6f78_6368_6174;
const LEFTOVER_AGE_SECS: u64 = 2 * 60 * 60;

/// The server that test databases live on (any database name in the URL).
pub fn server_url() -> String {
    std::env::var("NOXCHAT_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn url_for(database: &str) -> String {
    let mut url = url::Url::parse(&server_url()).expect("NOXCHAT_TEST_DATABASE_URL is a URL");
    url.set_path(&format!("/{database}"));
    url.to_string()
}

pub struct TestDatabase {
    pub name: String,
    pub url: String,
}

#[derive(QueryableByName)]
struct DatabaseName {
    #[diesel(sql_type = Text)]
    datname: String,
}

impl TestDatabase {
    pub fn create() -> Self {
        let mut admin = PgConnection::establish(&url_for("postgres"))
            .expect("PostgreSQL answers (start it, or run `make test`, which does)");
        diesel::sql_query(format!("SELECT pg_advisory_lock({TEMPLATE_LOCK})"))
            .execute(&mut admin)
            .expect("advisory lock");
        let template = template_name();
        static SWEEP: Once = Once::new();
        SWEEP.call_once(|| sweep_leftovers(&mut admin, &template));
        db::create_database(&mut admin, &template, None).expect("template database");
        {
            let mut conn =
                PgConnection::establish(&url_for(&template)).expect("connect to template");
            db::run_migrations(&mut conn).expect("migrate template");
        }
        let name = format!(
            "{PREFIX}{}_{}",
            now_secs(),
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        db::create_database(&mut admin, &name, Some(&template)).expect("clone template");
        diesel::sql_query(format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK})"))
            .execute(&mut admin)
            .expect("advisory unlock");
        Self {
            url: url_for(&name),
            name,
        }
    }

    /// A connection to the server's maintenance database.
    pub fn admin() -> PgConnection {
        PgConnection::establish(&url_for("postgres")).expect("connect to PostgreSQL")
    }

    pub fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("connect to test database")
    }

    /// Runs one statement, as an operator (or time) would.
    pub fn execute(&self, sql: &str) -> usize {
        diesel::sql_query(sql)
            .execute(&mut self.connect())
            .expect("statement runs")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop may run inside an async runtime: do the blocking work on a thread.
        let _ = std::thread::spawn(move || {
            if let Ok(mut admin) = PgConnection::establish(&url_for("postgres")) {
                let _ = diesel::sql_query(format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    db::quote_identifier(&name)
                ))
                .execute(&mut admin);
            }
        })
        .join();
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// The template is named after the migrations it holds, so editing one (as
/// happens before it is released) never leaves tests on a stale schema.
fn template_name() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let mut files: Vec<_> = walk(&dir);
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        for byte in file
            .to_string_lossy()
            .bytes()
            .chain(std::fs::read(&file).unwrap_or_default())
        {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{TEMPLATE_PREFIX}{hash:016x}")
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                walk(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}

/// Drops test databases older than two hours (left by runs that crashed)
/// and templates of other migration sets.
fn sweep_leftovers(admin: &mut PgConnection, current_template: &str) {
    let names: Vec<DatabaseName> = diesel::sql_query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'noxchat\\_test\\_%' OR datname LIKE 'noxchat\\_template\\_%'",
    )
    .load(admin)
    .unwrap_or_default();
    let cutoff = now_secs().saturating_sub(LEFTOVER_AGE_SECS);
    for DatabaseName { datname } in names {
        if datname.starts_with(TEMPLATE_PREFIX) {
            if datname != current_template {
                drop_database(admin, &datname);
            }
            continue;
        }
        let created = datname
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|secs| secs.parse::<u64>().ok());
        if matches!(created, Some(secs) if secs < cutoff) {
            drop_database(admin, &datname);
        }
    }
}

fn drop_database(admin: &mut PgConnection, name: &str) {
    let _ = diesel::sql_query(format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        db::quote_identifier(name)
    ))
    .execute(admin);
}
