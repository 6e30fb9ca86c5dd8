//! A handle given up, by a rename or a deleted account, is held for its last
//! owner for [`HOLD_DAYS`] days: old links and mentions of it point at no one
//! rather than at someone who took it over to pass for them. Its last owner
//! may take it back at any time.

use chrono::{DateTime, Duration, Utc};
use diesel::dsl::exists;
use diesel::prelude::*;

use super::ids::UserId;
use crate::db::schema::released_handles;
use crate::error::{ApiError, ErrorCode, FieldIssue};

pub const HOLD_DAYS: i64 = 30;

/// The one answer for a handle taken by someone or held for whoever gave it
/// up lately, wherever a handle is chosen.
pub fn taken() -> ApiError {
    ApiError::conflict(ErrorCode::HandleTaken, "This handle is already taken.")
        .on_field("handle", FieldIssue::AlreadyTaken)
}

fn hold_started_after(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(HOLD_DAYS)
}

/// Whether `handle` is held for someone other than `claimant` (`None`: a
/// newcomer, for whom every hold counts).
pub fn held_for_another(
    conn: &mut PgConnection,
    handle: &str,
    claimant: Option<UserId>,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let live = released_handles::table
        .filter(released_handles::handle.eq(handle))
        .filter(released_handles::released_at.gt(hold_started_after(now)));
    match claimant {
        None => diesel::select(exists(live)).get_result(conn),
        Some(claimant) => diesel::select(exists(
            live.filter(released_handles::previous_owner.is_distinct_from(claimant)),
        ))
        .get_result(conn),
    }
}

/// Starts holding `handle` for `owner` (`None` when the account is being
/// deleted): from now, whoever held it before.
pub fn release(
    conn: &mut PgConnection,
    handle: &str,
    owner: Option<UserId>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(released_handles::table)
        .values((
            released_handles::handle.eq(handle),
            released_handles::previous_owner.eq(owner),
            released_handles::released_at.eq(now),
        ))
        .on_conflict(released_handles::handle)
        .do_update()
        .set((
            released_handles::previous_owner.eq(owner),
            released_handles::released_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Forgets holds that have run out; run now and then.
pub fn forget_expired(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(
        released_handles::table.filter(released_handles::released_at.le(hold_started_after(now))),
    )
    .execute(conn)
}
