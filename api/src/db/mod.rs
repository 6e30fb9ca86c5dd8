//! PostgreSQL: the connection pool, the one way to run a query from async code,
//! creating the database and applying the embedded migrations.

mod explain;
mod pool;
pub mod schema;

pub use explain::explain;

use std::time::Duration;

use actix_web::ResponseError;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{Pool, PoolError};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use tracing::Instrument;

use crate::error::ApiError;

pub type DbPool = Pool<pool::Manager>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("cannot connect to PostgreSQL at {target}: {source}")]
    Connect {
        target: String,
        source: diesel::ConnectionError,
    },
    #[error("cannot create database `{name}`: {source}")]
    Create {
        name: String,
        source: diesel::result::Error,
    },
    #[error("DATABASE_URL has no database name")]
    NoDatabaseName,
    #[error("applying migrations failed: {0}")]
    Migrate(String),
    #[error("cannot open the connection pool: {0}")]
    Pool(#[from] PoolError),
}

/// Runs blocking diesel work on the blocking pool, never on an async worker.
/// The connection is taken inside the closure and given back before the
/// future resolves, so none is held across an `.await`.
pub async fn run<T, F>(pool: &DbPool, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    let span = tracing::Span::current();
    actix_web::web::block(move || {
        let _entered = span.enter();
        let mut conn = pool.get().map_err(|error| {
            tracing::warn!(%error, "no database connection to be had");
            ApiError::unavailable("The server is busy; try again in a moment.")
        })?;
        let done = work(&mut conn);
        if done
            .as_ref()
            .is_err_and(|error| error.status_code().is_server_error())
        {
            conn.check_all_before_next_use();
        }
        done
    })
    .instrument(tracing::Span::current())
    .await
    .map_err(ApiError::internal)?
}

pub fn build_pool(database_url: &str, max_size: u32) -> Result<DbPool, DbSetupError> {
    let manager = pool::Manager::new(database_url);
    Ok(Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        // Exhaustion should answer 503 quickly rather than hang a request.
        .connection_timeout(Duration::from_secs(5))
        // A connection is checked before use unless it was given back a
        // moment ago (see `pool`), so after a database restart stale ones
        // are replaced instead of failing a request each.
        .test_on_check_out(true)
        .build(manager)?)
}

/// Splits `postgres://…/name?opts` into the URL of the `postgres` maintenance
/// database and the name of the target database.
pub fn maintenance_url(database_url: &str) -> Result<(String, String), DbSetupError> {
    let mut url = url::Url::parse(database_url).map_err(|_| DbSetupError::NoDatabaseName)?;
    let name = url.path().trim_start_matches('/').to_owned();
    if name.is_empty() {
        return Err(DbSetupError::NoDatabaseName);
    }
    url.set_path("/postgres");
    Ok((url.to_string(), name))
}

/// Creates the database named by the URL when it does not exist yet, with a
/// UTF-8 locale so that Cyrillic text lower-cases and searches correctly.
pub fn ensure_database_exists(database_url: &str) -> Result<(), DbSetupError> {
    if PgConnection::establish(database_url).is_ok() {
        return Ok(());
    }
    let (maintenance, name) = maintenance_url(database_url)?;
    let mut conn =
        PgConnection::establish(&maintenance).map_err(|source| DbSetupError::Connect {
            target: redact(&maintenance),
            source,
        })?;
    create_database(&mut conn, &name, None).map_err(|source| DbSetupError::Create {
        name: name.clone(),
        source,
    })
}

/// `CREATE DATABASE`, optionally cloned from a template (tests do that).
pub fn create_database(
    conn: &mut PgConnection,
    name: &str,
    template: Option<&str>,
) -> QueryResult<()> {
    let template = template.map_or_else(
        || "template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'".to_owned(),
        quote_identifier,
    );
    let statement = format!(
        "CREATE DATABASE {} TEMPLATE {template}",
        quote_identifier(name)
    );
    match diesel::sql_query(statement).execute(conn) {
        Ok(_) => Ok(()),
        // Another instance created it between our check and now.
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(()),
        Err(error) if error.to_string().contains("already exists") => Ok(()),
        Err(error) => Err(error),
    }
}

pub fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The advisory lock key that instances migrating one database take in turn
/// (an arbitrary constant: "NoxChat" in ASCII).
const MIGRATION_LOCK: i64 = 0x004e_6f78_4368_6174;

/// Applies pending migrations. Instances started at the same moment (a
/// deploy, `docker compose up --scale`) would otherwise each apply the same
/// migration and all but one fail: each waits for the others' lock, then
/// finds nothing left to do.
pub fn run_migrations(conn: &mut PgConnection) -> Result<usize, DbSetupError> {
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<diesel::sql_types::BigInt, _>(MIGRATION_LOCK)
        .execute(conn)
        .map_err(|e| DbSetupError::Migrate(e.to_string()))?;
    let applied = conn
        .run_pending_migrations(MIGRATIONS)
        .map(|applied| applied.len())
        .map_err(|e| DbSetupError::Migrate(e.to_string()));
    // Also released when the connection closes, should this fail.
    let unlocked = diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<diesel::sql_types::BigInt, _>(MIGRATION_LOCK)
        .execute(conn);
    let applied = applied?;
    unlocked.map_err(|e| DbSetupError::Migrate(e.to_string()))?;
    Ok(applied)
}

/// Creates the database if needed and applies pending migrations.
pub fn prepare(database_url: &str) -> Result<usize, DbSetupError> {
    ensure_database_exists(database_url)?;
    let mut conn =
        PgConnection::establish(database_url).map_err(|source| DbSetupError::Connect {
            target: redact(database_url),
            source,
        })?;
    run_migrations(&mut conn)
}

/// The URL without its password, for error messages.
fn redact(database_url: &str) -> String {
    match url::Url::parse(database_url) {
        Ok(mut url) => {
            if url.password().is_some() {
                let _ = url.set_password(Some("***"));
            }
            url.to_string()
        }
        Err(_) => "(unparsable URL)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maintenance_url_points_at_the_postgres_database() {
        let (url, name) =
            maintenance_url("postgres://u:p@db:5432/noxchat?sslmode=disable").expect("valid");
        assert_eq!(url, "postgres://u:p@db:5432/postgres?sslmode=disable");
        assert_eq!(name, "noxchat");
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_identifier("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
    }
}
