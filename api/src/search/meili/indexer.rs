//! Keeps Meilisearch in step with PostgreSQL: takes batches from the queue
//! the database fills in each writing transaction, sends the current state
//! of each thing queued (or forgets it), and removes the rows only once
//! Meilisearch has applied the batch. While Meilisearch is away the rows
//! wait; it catches up when it returns. A thing is in one batch at a time,
//! so a later change is never overwritten by an earlier one.

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
const MAX_BACKOFF: Duration = Duration::from_secs(30);

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
/// not); without it, whatever waits is dropped.
pub fn set_mirroring(conn: &mut PgConnection, enabled: bool) -> QueryResult<()> {
    diesel::sql_query("UPDATE search_mirror SET enabled = $1")
        .bind::<diesel::sql_types::Bool, _>(enabled)
        .execute(conn)?;
    if !enabled {
        diesel::sql_query("DELETE FROM search_index_queue").execute(conn)?;
    }
    Ok(())
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

/// The rows queued now (tests wait for it to reach zero).
pub fn pending(conn: &mut PgConnection) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        count: i64,
    }
    diesel::sql_query("SELECT count(*) AS count FROM search_index_queue")
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

impl Meili {
    /// Sends a batch's changes to the live indexes, waiting until applied.
    async fn send(&self, changes: Changes) -> Result<(), MeiliError> {
        for (kind, docs, gone) in changes.into_values() {
            let index = self.client.index(self.index_name(kind));
            if !docs.is_empty() {
                self.applied(index.add_or_replace(&docs, Some("id")).await?)
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
        pool: DbPool,
        wake: tokio::sync::watch::Receiver<u64>,
        stop: CancellationToken,
    ) -> Result<(), TaskError> {
        let mut wake = wake;
        // Settings first: an index made by a first document would take
        // every field as searchable and none as filterable.
        self.apply_settings().await?;
        let mut backoff = Duration::from_millis(200);
        loop {
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
