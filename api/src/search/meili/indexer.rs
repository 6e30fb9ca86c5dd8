//! Keeps Meilisearch in step with PostgreSQL: takes batches from the queue
//! the database fills in each writing transaction, sends the current state
//! of each thing queued (or forgets it), and removes the rows only once
//! Meilisearch has applied the batch. While Meilisearch is away the rows
//! wait; it catches up when it returns. One instance indexes at a time
//! (it holds an advisory lock, taken over when its connection goes), one
//! batch after another, so a later change is never overwritten by an
//! earlier one.

use std::collections::BTreeMap;
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Text, Uuid as SqlUuid};
use tokio_util::sync::CancellationToken;

use super::{IndexKind, Meili, MeiliError, documents};
use crate::db::{self, DbPool};
use crate::supervisor::TaskError;

/// Queue rows taken at once.
const BATCH: i64 = 500;
/// How long a batch stays taken by this instance.
const CLAIM: &str = "2 minutes";
/// How often an idle indexer looks at the queue unprompted.
const IDLE_POLL: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// How often an instance that does not index checks whether it should.
const STAND_BY: Duration = Duration::from_secs(5);

#[derive(QueryableByName, Clone, Debug)]
struct Queued {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = SqlUuid)]
    entity_id: uuid::Uuid,
}

/// Tells the database whether to queue changes (Meilisearch in use or
/// not). Switched on after being off, the indexes miss what was written
/// meanwhile: they are marked for a rebuild, which the indexer runs.
pub fn set_mirroring(conn: &mut PgConnection, enabled: bool) -> QueryResult<()> {
    diesel::sql_query(
        "UPDATE search_mirror SET needs_rebuild = needs_rebuild OR (NOT enabled AND $1), \
         enabled = $1",
    )
    .bind::<diesel::sql_types::Bool, _>(enabled)
    .execute(conn)?;
    Ok(())
}

/// Whether the indexes are marked for a rebuild.
fn needs_rebuild(conn: &mut PgConnection) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Flag {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        needs_rebuild: bool,
    }
    diesel::sql_query("SELECT needs_rebuild FROM search_mirror")
        .get_result::<Flag>(conn)
        .map(|row| row.needs_rebuild)
}

/// The advisory lock the one indexer of a database holds.
const LEADER_LOCK: i64 = 0x6e6f_7863_6861_7401;

/// Whether this connection now holds the indexer's lock.
fn lead(conn: &mut PgConnection) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Taken {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        taken: bool,
    }
    let taken = diesel::sql_query("SELECT pg_try_advisory_lock($1) AS taken")
        .bind::<BigInt, _>(LEADER_LOCK)
        .get_result::<Taken>(conn)?
        .taken;
    if taken {
        // Whatever an indexer that died had taken is this one's now.
        diesel::sql_query("UPDATE search_index_queue SET claimed_until = NULL").execute(conn)?;
    }
    Ok(taken)
}

/// Takes a batch: the oldest rows of things no other batch holds, unless
/// a rebuild is under way.
fn claim(conn: &mut PgConnection) -> QueryResult<Vec<Queued>> {
    diesel::sql_query(format!(
        "UPDATE search_index_queue SET claimed_until = now() + interval '{CLAIM}' \
         WHERE id IN ( \
             SELECT q.id FROM search_index_queue q \
             WHERE (q.claimed_until IS NULL OR q.claimed_until < now()) \
               AND NOT EXISTS (SELECT 1 FROM search_index_queue held \
                   WHERE held.entity_id = q.entity_id AND held.claimed_until >= now()) \
               AND NOT EXISTS (SELECT 1 FROM search_mirror WHERE rebuilding_until >= now()) \
             ORDER BY q.id LIMIT $1 FOR UPDATE SKIP LOCKED) \
         RETURNING id, kind, entity_id"
    ))
    .bind::<BigInt, _>(BATCH)
    .load(conn)
}

fn finish(conn: &mut PgConnection, ids: &[i64], applied: bool) -> QueryResult<usize> {
    let statement = if applied {
        "DELETE FROM search_index_queue WHERE id = ANY($1)"
    } else {
        "UPDATE search_index_queue SET claimed_until = NULL WHERE id = ANY($1)"
    };
    diesel::sql_query(statement)
        .bind::<Array<BigInt>, _>(ids)
        .execute(conn)
}

/// What the indexes still wait for: the rows queued, and a rebuild due or
/// under way (tests wait for it to reach zero).
pub fn pending(conn: &mut PgConnection) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        count: i64,
    }
    diesel::sql_query(
        "SELECT (SELECT count(*) FROM search_index_queue) \
              + (SELECT count(*) FROM search_mirror \
                 WHERE enabled AND (needs_rebuild OR rebuilding_until >= now())) AS count",
    )
    .get_result::<Count>(conn)
    .map(|row| row.count)
}

/// What a batch asks for, by index: documents to send and ids to forget.
type Changes = BTreeMap<&'static str, (IndexKind, Vec<serde_json::Value>, Vec<uuid::Uuid>)>;

fn changes(conn: &mut PgConnection, batch: &[Queued]) -> QueryResult<Changes> {
    let mut ids: BTreeMap<&'static str, (IndexKind, Vec<uuid::Uuid>)> = BTreeMap::new();
    let mut moved_topics = Vec::new();
    for queued in batch {
        let kind = match queued.kind.as_str() {
            "topic" => IndexKind::Topics,
            "post" => IndexKind::Posts,
            "message" => IndexKind::Messages,
            "person" => IndexKind::People,
            _ => {
                moved_topics.push(queued.entity_id);
                continue;
            }
        };
        ids.entry(kind.name())
            .or_insert((kind, Vec::new()))
            .1
            .push(queued.entity_id);
    }
    if !moved_topics.is_empty() {
        let posts = documents::posts_of_topics(conn, &moved_topics)?;
        ids.entry("posts")
            .or_insert((IndexKind::Posts, Vec::new()))
            .1
            .extend(posts);
    }
    let mut changes = Changes::new();
    for (name, (kind, mut wanted)) in ids {
        wanted.sort_unstable();
        wanted.dedup();
        let (docs, gone) = documents::load(conn, kind, &wanted)?;
        changes.insert(name, (kind, docs, gone));
    }
    Ok(changes)
}

/// Documents sent at once: a topic moved with thousands of long posts
/// must not make one request too big to take.
const DOCUMENTS_PER_REQUEST: usize = 500;

impl Meili {
    /// Sends a batch's changes to the live indexes, waiting until applied.
    async fn send(&self, changes: Changes) -> Result<(), MeiliError> {
        for (kind, docs, gone) in changes.into_values() {
            let index = self.client.index(self.index_name(kind));
            for chunk in docs.chunks(DOCUMENTS_PER_REQUEST) {
                self.applied(index.add_or_replace(chunk, Some("id")).await?)
                    .await?;
            }
            if !gone.is_empty() {
                let gone: Vec<String> = gone.iter().map(uuid::Uuid::to_string).collect();
                self.applied(index.delete_documents(&gone).await?).await?;
            }
        }
        Ok(())
    }

    /// Drains the queue for as long as it runs; woken by `wake` (the
    /// queue's notifications) or every [`IDLE_POLL`].
    pub async fn keep_in_step(
        &self,
        database_url: String,
        pool: DbPool,
        wake: tokio::sync::watch::Receiver<u64>,
        stop: CancellationToken,
    ) -> Result<(), TaskError> {
        let mut wake = wake;
        let url = database_url.clone();
        let mut leader =
            Some(tokio::task::spawn_blocking(move || PgConnection::establish(&url)).await??);
        while !super::reindex::blocking(&mut leader, lead).await? {
            // Another instance indexes; this one stands by in case it goes.
            tokio::select! {
                () = stop.cancelled() => return Ok(()),
                () = tokio::time::sleep(STAND_BY) => {}
            }
        }
        // Settings first: an index made by a first document would take
        // every field as searchable and none as filterable.
        self.apply_settings().await?;
        if db::run(&pool, |conn| Ok(needs_rebuild(conn)?)).await? {
            tracing::info!("rebuilding the search indexes: search was switched to Meilisearch");
            self.reindex(
                &database_url,
                |line| tracing::info!(progress = %line, "search index rebuild"),
            )
            .await?;
            db::run(&pool, |conn| {
                Ok(
                    diesel::sql_query("UPDATE search_mirror SET needs_rebuild = false")
                        .execute(conn)?,
                )
            })
            .await?;
        }
        let mut backoff = Duration::from_millis(200);
        loop {
            // The lock lives as long as its connection: make sure it does.
            super::reindex::blocking(&mut leader, |conn| {
                diesel::sql_query("SELECT 1").execute(conn)
            })
            .await?;
            let batch = db::run(&pool, |conn| Ok(claim(conn)?)).await?;
            if batch.is_empty() {
                tokio::select! {
                    () = stop.cancelled() => return Ok(()),
                    _ = wake.changed() => {}
                    () = tokio::time::sleep(IDLE_POLL) => {}
                }
                continue;
            }
            let rows: Vec<i64> = batch.iter().map(|queued| queued.id).collect();
            let loaded = db::run(&pool, move |conn| Ok(changes(conn, &batch)?)).await;
            let sent = match loaded {
                Ok(changes) => self.send(changes).await,
                Err(error) => {
                    let release = rows.clone();
                    db::run(&pool, move |conn| Ok(finish(conn, &release, false)?)).await?;
                    return Err(error.into());
                }
            };
            let applied = sent.is_ok();
            db::run(&pool, move |conn| Ok(finish(conn, &rows, applied)?)).await?;
            if let Err(error) = sent {
                tracing::warn!(%error, retry_in = ?backoff, "cannot update the search index; the changes wait");
                tokio::select! {
                    () = stop.cancelled() => return Ok(()),
                    () = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            } else {
                backoff = Duration::from_millis(200);
            }
        }
    }
}
