//! The bench databases themselves: their URLs, creating, copying and
//! dropping them, and the marker of a finished seed.

use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Text, Uuid};

use crate::context::{Seed, person_handle};

pub(super) fn url_for(server_url: &str, database: &str) -> String {
    let mut url = url::Url::parse(server_url)
        .unwrap_or_else(|error| panic!("DATABASE_URL is not a URL ({error})"));
    url.set_path(&format!("/{database}"));
    url.to_string()
}

#[derive(QueryableByName)]
struct DatabaseName {
    #[diesel(sql_type = Text)]
    datname: String,
}

pub(super) fn database_exists(admin: &mut PgConnection, name: &str) -> bool {
    diesel::sql_query("SELECT datname FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(name)
        .load::<DatabaseName>(admin)
        .is_ok_and(|rows| !rows.is_empty())
}

/// Copies file by file (PostgreSQL 15+), with a checkpoint before and
/// after, rather than through the WAL: the copy leaves no gigabytes of WAL
/// to be checkpointed while the first figures are measured.
pub(super) fn copy_database(admin: &mut PgConnection, template: &str, copy: &str) {
    let by_files = format!(
        "CREATE DATABASE {} TEMPLATE {} STRATEGY = FILE_COPY",
        noxchat::db::quote_identifier(copy),
        noxchat::db::quote_identifier(template)
    );
    if diesel::sql_query(by_files).execute(admin).is_err() {
        // An older PostgreSQL: copied through the WAL.
        noxchat::db::create_database(admin, copy, Some(template))
            .unwrap_or_else(|error| panic!("cannot copy {template} to {copy}: {error}"));
    }
}

pub(super) fn drop_database(admin: &mut PgConnection, name: &str) {
    let statement = format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        noxchat::db::quote_identifier(name)
    );
    if let Err(error) = diesel::sql_query(statement).execute(admin) {
        eprintln!("seed: cannot drop {name}: {error}");
    }
}

/// Drops seeds of this mode made for another schema, and the copies of
/// runs that are gone.
pub(super) fn sweep(admin: &mut PgConnection, mode: &str, current: &str) {
    let names = diesel::sql_query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'noxchat\\_bench\\_%'",
    )
    .load::<DatabaseName>(admin)
    .unwrap_or_default();
    for DatabaseName { datname } in names {
        let stale_seed =
            datname.starts_with(&format!("noxchat_bench_{mode}_")) && datname != current;
        let gone_run = datname
            .strip_prefix("noxchat_bench_run_")
            .and_then(|pid| pid.parse::<u32>().ok())
            .is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
        if stale_seed || gone_run {
            eprintln!("seed: dropping {datname}, left from an earlier run or schema");
            drop_database(admin, &datname);
        }
    }
}

#[derive(QueryableByName)]
struct Marker {
    #[diesel(sql_type = BigInt)]
    people: i64,
    #[diesel(sql_type = BigInt)]
    topics: i64,
    #[diesel(sql_type = BigInt)]
    posts: i64,
    #[diesel(sql_type = BigInt)]
    conversations: i64,
    #[diesel(sql_type = Uuid)]
    long_topic_id: uuid::Uuid,
    #[diesel(sql_type = Text)]
    category_slug: String,
}

impl Marker {
    fn seed(self) -> Seed {
        Seed {
            people: self.people,
            topics: self.topics,
            posts: self.posts,
            password: noxchat::seed::DEMO_PASSWORD,
            person_handle,
            long_topic_id: self.long_topic_id,
            category_slug: self.category_slug,
            conversations: self.conversations,
        }
    }
}

/// What a finished seed recorded; `None` when it did not finish.
pub(super) fn read_marker(conn: &mut PgConnection) -> Option<Seed> {
    diesel::sql_query(
        "SELECT people, topics, posts, conversations, long_topic_id, category_slug FROM bench_seed",
    )
    .get_result::<Marker>(conn)
    .ok()
    .map(Marker::seed)
}

/// Marks the seed finished, with what the sections need: the last write.
pub(super) fn write_marker(conn: &mut PgConnection, seed: &Seed, seconds: f64) {
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        conn.batch_execute(
            "CREATE TABLE bench_seed (
                people bigint NOT NULL, topics bigint NOT NULL, posts bigint NOT NULL,
                conversations bigint NOT NULL, long_topic_id uuid NOT NULL,
                category_slug text NOT NULL, seeded_in_seconds double precision NOT NULL,
                seeded_at timestamptz NOT NULL DEFAULT now()
            )",
        )?;
        diesel::sql_query(
            "INSERT INTO bench_seed (people, topics, posts, conversations, long_topic_id,
                                     category_slug, seeded_in_seconds)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind::<BigInt, _>(seed.people)
        .bind::<BigInt, _>(seed.topics)
        .bind::<BigInt, _>(seed.posts)
        .bind::<BigInt, _>(seed.conversations)
        .bind::<Uuid, _>(seed.long_topic_id)
        .bind::<Text, _>(&seed.category_slug)
        .bind::<Double, _>(seconds)
        .execute(conn)
    })
    .expect("mark the seed finished");
}
