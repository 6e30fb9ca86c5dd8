//! The highest sustained send rate, and the bare INSERT it is compared to.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use tokio::time::Instant;
use uuid::Uuid;

use super::inbox::Inbox;
use super::{CONCURRENCY, Pair, SECTION, message_body};
use crate::client;
use crate::context::Context;
use crate::load::{self, Sample};

/// The bound on sends in the sustained window (time ends it first).
const MAX_SENDS: u64 = 1_000_000;
/// The bare INSERT numbers its rows from here, far beyond any real
/// message of a conversation, then deletes them all.
const BARE_SEQ_BASE: i64 = 1_000_000_000_000;
/// Each thread of the bare INSERT numbers its rows in a range of its own.
const BARE_SEQ_STRIDE: i64 = 1_000_000_000;
const BARE_BODY: &str = "bench: see you at the usual place at seven";

/// Sends as fast as `CONCURRENCY` senders can (each waits for its answer),
/// then checks that every message the server took reached its recipient.
/// Returns the sends and how many of them were lost.
pub(super) async fn sustained_sends(
    ctx: &Context,
    base: &str,
    pairs: &Arc<Vec<Pair>>,
    inbox: &Arc<Inbox>,
) -> (Sample, usize) {
    eprintln!(
        "{SECTION}: sustained sends, {CONCURRENCY} at once for {:.1} s …",
        ctx.window.as_secs_f64()
    );
    inbox.delivered.store(0, Ordering::Relaxed);
    let http = ctx.http.clone();
    let base: Arc<str> = Arc::from(base);
    let sending_pairs = Arc::clone(pairs);
    let sending_inbox = Arc::clone(inbox);
    let sample = load::closed_loop(CONCURRENCY, ctx.window, MAX_SENDS, move |worker, i| {
        send_counted(
            http.clone(),
            Arc::clone(&base),
            Arc::clone(&sending_pairs),
            Arc::clone(&sending_inbox),
            worker,
            i,
        )
    })
    .await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while inbox.lost() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let lost = inbox.lost();
    inbox.clear();
    eprintln!(
        "{SECTION}: sustained: {} sent ({:.0}/s), {} seen on the recipients' sockets, {} errors",
        sample.count(),
        sample.throughput(),
        inbox.delivered.load(Ordering::Relaxed),
        sample.errors
    );
    if lost > 0 {
        eprintln!(
            "{SECTION}: !!! {lost} messages the server accepted (201) never reached their recipient's socket"
        );
    }
    (sample, lost)
}

async fn send_counted(
    http: reqwest::Client,
    base: Arc<str>,
    pairs: Arc<Vec<Pair>>,
    inbox: Arc<Inbox>,
    worker: usize,
    i: u64,
) -> Result<(), String> {
    let pair = &pairs[worker % pairs.len()];
    let client_id = Uuid::new_v4();
    inbox.expect_counted(client_id);
    let body = message_body(i);
    let sent = client::send_message(
        &http,
        &base,
        &pair.sender.token,
        pair.conversation,
        client_id,
        &body,
    )
    .await;
    match sent {
        Ok(()) => inbox.confirm(client_id),
        Err(_) => inbox.forget(client_id),
    }
    sent
}

/// The database's own limit for a send: one INSERT of a message row (its
/// primary key, its two unique indexes, the search index of its generated
/// column, its trigger) into the real table, at the same concurrency, into
/// the same conversations; the rows are deleted afterwards.
pub(super) async fn bare_insert(ctx: &Context, pairs: &[Pair]) -> Sample {
    eprintln!(
        "{SECTION}: bare INSERT of a message row, {CONCURRENCY} threads for {:.1} s …",
        ctx.window.as_secs_f64()
    );
    let targets: Vec<(Uuid, Uuid)> = pairs
        .iter()
        .map(|pair| (pair.conversation, pair.sender.id))
        .collect();
    let pool = ctx.pool(CONCURRENCY as u32);
    let window = ctx.window;
    tokio::task::spawn_blocking(move || {
        let inserted = InsertedRows {
            pool: pool.clone(),
            conversations: targets
                .iter()
                .map(|(conversation, _)| *conversation)
                .collect(),
        };
        // Rows of a run that died before deleting its own.
        inserted.remove();
        let sample = load::blocking_closed_loop(CONCURRENCY, window, move |thread, i| {
            insert_message_row(&pool, targets[thread % targets.len()], thread, i)
        });
        drop(inserted);
        sample
    })
    .await
    .unwrap_or_else(|error| panic!("{SECTION}: the bare INSERT failed: {error}"))
}

fn insert_message_row(
    pool: &Pool<ConnectionManager<PgConnection>>,
    (conversation, sender): (Uuid, Uuid),
    thread: usize,
    i: u64,
) -> Result<(), String> {
    use noxchat::db::schema::messages;
    let mut conn = pool.get().map_err(|error| format!("pool: {error}"))?;
    let seq = BARE_SEQ_BASE + thread as i64 * BARE_SEQ_STRIDE + i as i64;
    diesel::insert_into(messages::table)
        .values((
            messages::id.eq(Uuid::new_v4()),
            messages::conversation_id.eq(conversation),
            messages::seq.eq(seq),
            messages::sender_id.eq(sender),
            messages::client_id.eq(Uuid::new_v4()),
            messages::body.eq(BARE_BODY),
            messages::created_at.eq(chrono::Utc::now()),
        ))
        .execute(&mut *conn)
        .map(|_| ())
        .map_err(|error| format!("INSERT: {error}"))
}

/// The bare INSERT's rows, deleted when this is dropped (a panic included).
struct InsertedRows {
    pool: Pool<ConnectionManager<PgConnection>>,
    conversations: Vec<Uuid>,
}

impl InsertedRows {
    fn remove(&self) -> usize {
        use noxchat::db::schema::messages;
        let removed = self
            .pool
            .get()
            .map_err(|error| error.to_string())
            .and_then(|mut conn| {
                diesel::delete(
                    messages::table
                        .filter(messages::conversation_id.eq_any(self.conversations.clone()))
                        .filter(messages::seq.ge(BARE_SEQ_BASE)),
                )
                .execute(&mut *conn)
                .map_err(|error| error.to_string())
            });
        removed.unwrap_or_else(|error| {
            eprintln!("{SECTION}: !!! the bare INSERT's rows could not be deleted: {error}");
            0
        })
    }
}

impl Drop for InsertedRows {
    fn drop(&mut self) {
        let removed = self.remove();
        eprintln!("{SECTION}: deleted the {removed} rows of the bare INSERT");
    }
}
