//! Each test gets its own database, cloned from a migrated template and
//! dropped afterwards. Databases left by crashed runs are swept at start.

use std::sync::Once;
use std::time::{SystemTime, UNIX_EPOCH};

use diesel::prelude::*;
use diesel::sql_types::Text;
use noxchat::db;

const TEMPLATE: &str = "noxchat_test_template";
const PREFIX: &str = "noxchat_test_";
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
        static SWEEP: Once = Once::new();
        SWEEP.call_once(|| sweep_leftovers(&mut admin));
        db::create_database(&mut admin, TEMPLATE, None).expect("template database");
        {
            let mut template =
                PgConnection::establish(&url_for(TEMPLATE)).expect("connect to template");
            db::run_migrations(&mut template).expect("migrate template");
        }
        let name = format!(
            "{PREFIX}{}_{}",
            now_secs(),
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        db::create_database(&mut admin, &name, Some(TEMPLATE)).expect("clone template");
        diesel::sql_query(format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK})"))
            .execute(&mut admin)
            .expect("advisory unlock");
        Self {
            url: url_for(&name),
            name,
        }
    }

    pub fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("connect to test database")
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

/// Drops test databases older than two hours: left by runs that crashed.
fn sweep_leftovers(admin: &mut PgConnection) {
    let names: Vec<DatabaseName> = diesel::sql_query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'noxchat\\_test\\_%'",
    )
    .load(admin)
    .unwrap_or_default();
    let cutoff = now_secs().saturating_sub(LEFTOVER_AGE_SECS);
    for DatabaseName { datname } in names {
        let created = datname
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|secs| secs.parse::<u64>().ok());
        if matches!(created, Some(secs) if secs < cutoff) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                db::quote_identifier(&datname)
            ))
            .execute(admin);
        }
    }
}
