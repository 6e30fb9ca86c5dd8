//! The outbox table: insert, claim a batch with a lease, settle each email.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::OutgoingEmail;
use crate::db::schema::outbound_emails;

#[derive(Insertable)]
#[diesel(table_name = outbound_emails)]
struct NewOutboundEmail<'a> {
    id: Uuid,
    recipient: &'a str,
    subject: &'a str,
    text_body: &'a str,
    html_body: &'a str,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = outbound_emails)]
pub struct OutboundEmail {
    pub id: Uuid,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub attempts: i32,
}

pub fn insert(conn: &mut PgConnection, email: &OutgoingEmail) -> QueryResult<()> {
    diesel::insert_into(outbound_emails::table)
        .values(NewOutboundEmail {
            id: Uuid::now_v7(),
            recipient: &email.to,
            subject: &email.subject,
            text_body: &email.text_body,
            html_body: &email.html_body,
        })
        .execute(conn)
        .map(drop)
}

/// Takes up to `limit` due emails and leases them until `lease_until`, so
/// another instance's worker skips them while this one sends.
pub fn claim_due(
    conn: &mut PgConnection,
    limit: i64,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> QueryResult<Vec<OutboundEmail>> {
    conn.transaction(|conn| {
        let due: Vec<OutboundEmail> = outbound_emails::table
            .filter(outbound_emails::failed_at.is_null())
            .filter(outbound_emails::next_attempt_at.le(now))
            .order(outbound_emails::next_attempt_at)
            .limit(limit)
            .for_update()
            .skip_locked()
            .select(OutboundEmail::as_select())
            .load(conn)?;
        let ids: Vec<Uuid> = due.iter().map(|email| email.id).collect();
        diesel::update(outbound_emails::table.filter(outbound_emails::id.eq_any(&ids)))
            .set(outbound_emails::next_attempt_at.eq(lease_until))
            .execute(conn)?;
        Ok(due)
    })
}

/// Sent emails leave the outbox: their links hold tokens.
pub fn delete(conn: &mut PgConnection, id: Uuid) -> QueryResult<()> {
    diesel::delete(outbound_emails::table.find(id))
        .execute(conn)
        .map(drop)
}

pub fn record_failure(
    conn: &mut PgConnection,
    id: Uuid,
    attempts: i32,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> QueryResult<()> {
    let now = Utc::now();
    diesel::update(outbound_emails::table.find(id))
        .set((
            outbound_emails::attempts.eq(attempts),
            outbound_emails::last_error.eq(error),
            outbound_emails::next_attempt_at.eq(retry_at.unwrap_or(now)),
            outbound_emails::failed_at.eq(retry_at.is_none().then_some(now)),
        ))
        .execute(conn)
        .map(drop)
}
