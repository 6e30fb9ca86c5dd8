//! The connection pool's manager: diesel's, checking a connection before
//! use only when it may have died since it was last known alive.
//!
//! Checking every connection (`SELECT 1`) replaces the ones a database
//! restart left dead before they fail a request, but costs a round trip per
//! `db::run`, a good part of a short request. A connection given back a
//! moment ago was alive then, unless the pool has since seen work fail on
//! the server's side (the database may have gone): one that rested longer,
//! or any connection after such a failure, is checked as before.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Error, ManageConnection};

/// How long a connection given back counts as known to be alive.
const KNOWN_ALIVE_FOR: Duration = Duration::from_millis(500);

pub struct Manager {
    diesel: ConnectionManager<PgConnection>,
    /// Failures seen by work on this pool's connections, ever.
    failures: Arc<AtomicU64>,
}

impl Manager {
    pub fn new(database_url: &str) -> Self {
        Self {
            diesel: ConnectionManager::new(database_url),
            failures: Arc::new(AtomicU64::new(0)),
        }
    }
}

/// A pooled connection, when it was last given back, and how many failures
/// the pool had seen when it was last known alive.
pub struct Connection {
    connection: PgConnection,
    given_back_at: Instant,
    failures_seen: u64,
    failures: Arc<AtomicU64>,
}

impl Connection {
    /// Work on it failed on the server's side: every connection of the
    /// pool is checked before its next use.
    pub fn check_all_before_next_use(&self) {
        self.failures.fetch_add(1, Ordering::Relaxed);
    }
}

impl Deref for Connection {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        &self.connection
    }
}

impl DerefMut for Connection {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.connection
    }
}

impl ManageConnection for Manager {
    type Connection = Connection;
    type Error = Error;

    fn connect(&self) -> Result<Connection, Error> {
        let failures_seen = self.failures.load(Ordering::Relaxed);
        Ok(Connection {
            connection: self.diesel.connect()?,
            given_back_at: Instant::now(),
            failures_seen,
            failures: Arc::clone(&self.failures),
        })
    }

    fn is_valid(&self, connection: &mut Connection) -> Result<(), Error> {
        let failures = self.failures.load(Ordering::Relaxed);
        if connection.failures_seen == failures
            && connection.given_back_at.elapsed() < KNOWN_ALIVE_FOR
        {
            return Ok(());
        }
        self.diesel.is_valid(&mut connection.connection)?;
        connection.failures_seen = failures;
        Ok(())
    }

    /// Called as the connection is given back: a broken one is dropped.
    fn has_broken(&self, connection: &mut Connection) -> bool {
        connection.given_back_at = Instant::now();
        self.diesel.has_broken(&mut connection.connection)
    }
}
