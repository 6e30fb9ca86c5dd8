//! The bench database: seeded once per mode and schema, then copied for
//! each run, so that every run starts from the same rows whatever the
//! previous one wrote.
//!
//! Seeding uses the server's own commands where it has them (`migrate`, the
//! demo community of `seed`, the bulk forum of `seed --topics --posts`) and
//! set-based SQL for the rest: the people, one long topic and the direct
//! conversations with their history. Every counter the server keeps is made
//! true, and the search triggers run as they would for real writes, so the
//! search index and vocabulary are complete. A table `bench_seed`, created
//! last, marks a finished seed and holds what the sections need to know.

mod conversations;
mod database;
mod forum;
mod people;

use std::path::{Path, PathBuf};
use std::time::Instant;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use self::conversations::insert_conversations;
use self::database::{
    copy_database, database_exists, drop_database, read_marker, sweep, url_for, write_marker,
};
use self::forum::{LONG_TOPIC_POSTS, busiest_category, insert_long_topic};
use self::people::insert_people;
use crate::context::{Seed, person_handle};

/// Changing how the seed is made: bump it, and the next run seeds afresh.
const SEED_VERSION: u32 = 1;
/// Seeding (and copying) takes turns between bench runs on one PostgreSQL.
const SEED_LOCK: i64 = 0x6e6f_7862_656e_6368;

/// How big the seed is.
#[derive(Clone, Copy, Debug)]
struct Sizes {
    /// People in all (the demo community, the bulk authors, the bench people).
    people: i64,
    topics: i64,
    posts: i64,
    conversations: i64,
}

impl Sizes {
    fn of(quick: bool) -> Self {
        if quick {
            Self {
                people: 10_000,
                topics: 2_000,
                posts: 100_000,
                conversations: 200,
            }
        } else {
            Self {
                people: 100_000,
                topics: 20_000,
                posts: 1_000_000,
                conversations: 2_000,
            }
        }
    }
}

/// The database a run uses: a copy of the seeded one, dropped at the end.
pub struct Prepared {
    pub database_url: String,
    pub seed: Seed,
    server_url: String,
    copy: String,
}

impl Prepared {
    /// Drops this run's copy (the seeded database stays for the next run).
    pub fn drop_copy(&self) {
        match PgConnection::establish(&url_for(&self.server_url, "postgres")) {
            Ok(mut admin) => drop_database(&mut admin, &self.copy),
            Err(error) => eprintln!("seed: cannot drop {}: {error}", self.copy),
        }
    }
}

/// `server_url`: any database URL of the PostgreSQL to use (its database
/// name is ignored). Seeds the bench database for the mode when it is
/// missing, half-made or of an older schema, then makes this run's copy.
pub fn prepare(server_url: &str, quick: bool, server_bin: &Path, secret: &str) -> Prepared {
    let sizes = Sizes::of(quick);
    let mode = if quick { "quick" } else { "full" };
    let name = format!(
        "noxchat_bench_{mode}_{:010x}",
        schema_hash() & 0xff_ffff_ffff
    );
    let mut admin = PgConnection::establish(&url_for(server_url, "postgres"))
        .unwrap_or_else(|error| panic!("PostgreSQL does not answer: {error}"));
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<BigInt, _>(SEED_LOCK)
        .execute(&mut admin)
        .expect("take the seeding lock");
    sweep(&mut admin, mode, &name);
    let url = url_for(server_url, &name);
    let existing = if database_exists(&mut admin, &name) {
        let found = PgConnection::establish(&url)
            .ok()
            .and_then(|mut conn| read_marker(&mut conn));
        if found.is_none() {
            eprintln!("seed: {name} is half-made: dropping it");
            drop_database(&mut admin, &name);
        }
        found
    } else {
        None
    };
    let seed = match existing {
        Some(seed) => {
            eprintln!("seed: reusing {name}");
            seed
        }
        None => {
            eprintln!(
                "seed: creating {name} ({} people, {} topics, {} posts, {} conversations); {}",
                sizes.people,
                sizes.topics,
                sizes.posts,
                sizes.conversations,
                if quick {
                    "about a minute, once"
                } else {
                    "several minutes, once"
                }
            );
            noxchat::db::create_database(&mut admin, &name, None)
                .unwrap_or_else(|error| panic!("cannot create {name}: {error}"));
            create(&url, sizes, server_bin, secret)
        }
    };
    let copy = format!("noxchat_bench_run_{}", std::process::id());
    drop_database(&mut admin, &copy);
    let copying = Instant::now();
    copy_database(&mut admin, &name, &copy);
    eprintln!(
        "seed: copied to {copy} in {:.1} s",
        copying.elapsed().as_secs_f64()
    );
    let _ = diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<BigInt, _>(SEED_LOCK)
        .execute(&mut admin);
    Prepared {
        database_url: url_for(server_url, &copy),
        seed,
        server_url: server_url.to_owned(),
        copy,
    }
}

/// Names the seed after the migrations it was made with (their names and
/// contents) and `SEED_VERSION`: FNV-1a.
fn schema_hash() -> u64 {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(&SEED_VERSION.to_le_bytes());
    for folder in folders {
        feed(folder.file_name().map_or(&[][..], |n| n.as_encoded_bytes()));
        feed(&std::fs::read(folder.join("up.sql")).unwrap_or_default());
    }
    hash
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

fn count(conn: &mut PgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(conn)
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
        .count
}

/// Runs `noxchat <args>` against the database being seeded, its output on
/// the bench's stderr.
fn noxchat(server_bin: &Path, secret: &str, url: &str, dir: &Path, args: &[&str]) {
    let status = crate::server::noxchat_command(server_bin, secret, url, dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::io::stderr())
        .status()
        .unwrap_or_else(|error| {
            panic!(
                "cannot run {} ({error}); build it with `cargo build --release -p noxchat`",
                server_bin.display()
            )
        });
    assert!(
        status.success(),
        "`noxchat {}` failed: {status}",
        args.join(" ")
    );
}

/// Times one step of the seed and says so.
fn step<T>(what: &str, work: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    eprintln!("seed: {what}…");
    let result = work();
    eprintln!("seed: {what}: {:.1} s", started.elapsed().as_secs_f64());
    result
}

fn create(url: &str, sizes: Sizes, server_bin: &Path, secret: &str) -> Seed {
    let started = Instant::now();
    // The seed commands' data directory (the demo's avatars and pictures):
    // the servers under test have their own.
    let dir = std::env::temp_dir().join(format!(
        "noxchat-bench-seed-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir).expect("create the seed's data directory");
    let run = |args: &[&str]| noxchat(server_bin, secret, url, &dir, args);
    step("migrating", || run(&["migrate"]));
    // Categories, a few dozen people with avatars and friends, and a few
    // thousand posts with likes, quotes, mentions and pictures, written by
    // the server's own queries; its categories then share the bulk forum.
    step("the demo community", || run(&["seed"]));
    let mut conn = PgConnection::establish(url).expect("connect to the bench database");
    let demo_topics = count(&mut conn, "SELECT count(*) AS count FROM topics");
    let demo_posts = count(&mut conn, "SELECT count(*) AS count FROM posts");
    let bulk_topics = sizes.topics - demo_topics - 1;
    let bulk_posts = sizes.posts - demo_posts - i64::from(LONG_TOPIC_POSTS);
    assert!(
        bulk_topics > 0 && bulk_posts >= bulk_topics,
        "the demo forum ({demo_topics} topics, {demo_posts} posts) leaves no room for the bulk one"
    );
    let (bulk_topics, bulk_posts) = (bulk_topics.to_string(), bulk_posts.to_string());
    step(
        &format!("the bulk forum: {bulk_topics} topics, {bulk_posts} posts"),
        || {
            run(&[
                "seed",
                "--topics",
                bulk_topics.as_str(),
                "--posts",
                bulk_posts.as_str(),
            ]);
        },
    );
    let people = step("the people", || insert_people(&mut conn, sizes.people));
    let long_topic_id = step("the long topic", || insert_long_topic(&mut conn));
    let conversations = step("the conversations", || {
        insert_conversations(&mut conn, sizes.conversations, people)
    });
    step("vacuum and analyze", || {
        conn.batch_execute("VACUUM (ANALYZE)")
            .expect("vacuum and analyze the bench database");
    });
    let _ = std::fs::remove_dir_all(&dir);
    let pending = count(
        &mut conn,
        "SELECT count(*) AS count FROM jobs WHERE dead_at IS NULL",
    );
    if pending > 0 {
        eprintln!(
            "seed: note: {pending} background jobs are pending; each run's first server will run them"
        );
    }
    let seed = Seed {
        people,
        topics: count(&mut conn, "SELECT count(*) AS count FROM topics"),
        posts: count(&mut conn, "SELECT count(*) AS count FROM posts"),
        password: noxchat::seed::DEMO_PASSWORD,
        person_handle,
        long_topic_id,
        category_slug: busiest_category(&mut conn),
        conversations,
    };
    let seconds = started.elapsed().as_secs_f64();
    write_marker(&mut conn, &seed, seconds);
    eprintln!(
        "seed: done in {seconds:.0} s: {} people (bench_000001 … {}), {} topics, {} posts, {} conversations",
        seed.people,
        person_handle(seed.people),
        seed.topics,
        seed.posts,
        seed.conversations
    );
    seed
}
