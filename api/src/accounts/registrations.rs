//! Registrations waiting for their emailed link: kept until the link is
//! opened (then the account is made from them) or until they expire.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::models::PendingRegistration;
use crate::db::schema::pending_registrations;

pub fn insert(conn: &mut PgConnection, pending: &PendingRegistration) -> QueryResult<()> {
    diesel::insert_into(pending_registrations::table)
        .values(pending)
        .execute(conn)
        .map(drop)
}

/// Removes and returns the registration, if it is still waiting: a link
/// completes a registration once.
pub fn take(
    conn: &mut PgConnection,
    id: uuid::Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Option<PendingRegistration>> {
    diesel::delete(
        pending_registrations::table
            .find(id)
            .filter(pending_registrations::expires_at.gt(now)),
    )
    .returning(PendingRegistration::as_returning())
    .get_result(conn)
    .optional()
}

pub fn forget_expired(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(pending_registrations::table.filter(pending_registrations::expires_at.le(now)))
        .execute(conn)
}
