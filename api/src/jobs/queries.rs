//! The jobs table: insert, claim one with a lease, extend the lease, settle.
//! Every statement that settles a job names the lease token it was claimed
//! with, so a worker that lost its lease can never settle someone else's run.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::core::JobId;
use crate::db::schema::jobs;

/// The channel the enqueuing transaction notifies on commit.
pub const CHANNEL: &str = "noxchat_jobs";

pub fn insert(
    conn: &mut PgConnection,
    kind: &str,
    payload: &serde_json::Value,
) -> QueryResult<JobId> {
    let id = JobId::generate();
    // PostgreSQL delivers the notification when the outermost transaction
    // commits, and not at all on rollback: workers wake for exactly the work
    // that exists.
    conn.transaction(|conn| {
        diesel::insert_into(jobs::table)
            .values((
                jobs::id.eq(id),
                jobs::kind.eq(kind),
                jobs::payload.eq(payload),
            ))
            .execute(conn)?;
        diesel::sql_query(format!("SELECT pg_notify('{CHANNEL}', '')")).execute(conn)?;
        Ok(id)
    })
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = jobs)]
pub struct ClaimedJob {
    pub id: JobId,
    pub kind: String,
    pub payload: serde_json::Value,
    /// Counting this run.
    pub attempts: i32,
    pub lease_token: Option<Uuid>,
}

/// Takes the job that has waited longest among those due and not leased,
/// skipping rows another worker is claiming at this moment.
pub fn claim_next(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    leased_until: DateTime<Utc>,
) -> QueryResult<Option<ClaimedJob>> {
    conn.transaction(|conn| {
        let due: Option<JobId> = jobs::table
            .filter(jobs::dead_at.is_null())
            .filter(jobs::run_at.le(now))
            .filter(jobs::leased_until.is_null().or(jobs::leased_until.le(now)))
            .order(jobs::run_at)
            .select(jobs::id)
            .limit(1)
            .for_update()
            .skip_locked()
            .first(conn)
            .optional()?;
        let Some(id) = due else {
            return Ok(None);
        };
        diesel::update(jobs::table.find(id))
            .set((
                jobs::attempts.eq(jobs::attempts + 1),
                jobs::leased_until.eq(leased_until),
                jobs::lease_token.eq(Uuid::new_v4()),
            ))
            .returning(ClaimedJob::as_returning())
            .get_result(conn)
            .map(Some)
    })
}

/// Keeps a running job ours. False when the lease was lost meanwhile.
pub fn extend_lease(
    conn: &mut PgConnection,
    id: JobId,
    token: Uuid,
    leased_until: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(jobs::table.find(id).filter(jobs::lease_token.eq(token)))
        .set(jobs::leased_until.eq(leased_until))
        .execute(conn)
        .map(|rows| rows == 1)
}

/// A finished job leaves the table: payloads may hold secrets.
pub fn complete(conn: &mut PgConnection, id: JobId, token: Uuid) -> QueryResult<bool> {
    diesel::delete(jobs::table.find(id).filter(jobs::lease_token.eq(token)))
        .execute(conn)
        .map(|rows| rows == 1)
}

pub fn retry_at(
    conn: &mut PgConnection,
    id: JobId,
    token: Uuid,
    error: &str,
    run_at: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(jobs::table.find(id).filter(jobs::lease_token.eq(token)))
        .set((
            jobs::run_at.eq(run_at),
            jobs::last_error.eq(error),
            jobs::leased_until.eq(None::<DateTime<Utc>>),
            jobs::lease_token.eq(None::<Uuid>),
        ))
        .execute(conn)
        .map(|rows| rows == 1)
}

/// Gives up on a job for good, keeping only a payload with no secrets in it.
pub fn bury(
    conn: &mut PgConnection,
    id: JobId,
    token: Uuid,
    error: &str,
    scrubbed_payload: &serde_json::Value,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(jobs::table.find(id).filter(jobs::lease_token.eq(token)))
        .set((
            jobs::dead_at.eq(now),
            jobs::last_error.eq(error),
            jobs::payload.eq(scrubbed_payload),
            jobs::leased_until.eq(None::<DateTime<Utc>>),
            jobs::lease_token.eq(None::<Uuid>),
        ))
        .execute(conn)
        .map(|rows| rows == 1)
}
