//! What every section shares: the mode, the seeded database, the server
//! binary and secret, one HTTP client, and what the seed holds.

use std::path::PathBuf;
use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool};

pub struct Context {
    /// `BENCH_QUICK=1`: the smaller seed and shorter windows.
    pub quick: bool,
    /// This run's copy of the seeded bench database.
    pub database_url: String,
    /// `$NOXCHAT_BIN`, `$CARGO_TARGET_DIR/release/noxchat` or `target/release/noxchat`.
    pub server_bin: PathBuf,
    /// `NOXCHAT_SECRET` of every server (64 characters), so that a section
    /// may sign its own access tokens.
    pub secret: String,
    /// Keeps up to 256 idle connections per host.
    pub http: reqwest::Client,
    pub seed: Seed,
    /// A measurement window: 5 s, or 1.5 s quick.
    pub window: Duration,
    /// The fixed concurrency of the read figures: 16.
    pub concurrency: usize,
}

/// What the bench database holds, as the sections need to find it.
#[derive(Clone, Debug)]
pub struct Seed {
    /// People `person_handle(1)` … `person_handle(people)`.
    pub people: i64,
    /// Topics and posts in all (the demo community's, the bulk forum's and
    /// the long topic's).
    pub topics: i64,
    pub posts: i64,
    /// Every seeded person's password (the demo password).
    pub password: &'static str,
    /// Handle of seeded person `n` (1-based): "bench_000042".
    pub person_handle: fn(i64) -> String,
    /// A topic of 5,000 posts.
    pub long_topic_id: uuid::Uuid,
    /// The category with the most topics (`/api/v1/categories/{slug}/topics`).
    pub category_slug: String,
    /// Direct conversations with history: conversation `k` (1-based) is
    /// between `person_handle(2k - 1)` and `person_handle(2k)`.
    pub conversations: i64,
}

pub fn person_handle(n: i64) -> String {
    format!("bench_{n:06}")
}

impl Context {
    /// A pool of `size` connections to the bench database, for references
    /// measured directly against PostgreSQL.
    pub fn pool(&self, size: u32) -> Pool<ConnectionManager<PgConnection>> {
        Pool::builder()
            .max_size(size)
            .min_idle(Some(size))
            // The database's own limit: no extra round trip per checkout.
            .test_on_check_out(false)
            .connection_timeout(Duration::from_secs(10))
            .build(ConnectionManager::<PgConnection>::new(&self.database_url))
            .expect("connect a pool to the bench database")
    }
}
