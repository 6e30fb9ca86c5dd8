//! The people who wrote what a page shows, read once for the whole page.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::core::{UserId, UserSummary};
use crate::db::schema::users;

/// Each of `ids` (repeats and all) as a summary: one statement, whatever
/// the page size. Deleted accounts are simply absent.
pub fn summaries(
    conn: &mut PgConnection,
    ids: impl IntoIterator<Item = UserId>,
) -> QueryResult<HashMap<UserId, UserSummary>> {
    let mut ids: Vec<UserId> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(UserId, String, String, Option<String>)> = users::table
        .filter(users::id.eq_any(&ids))
        .select((
            users::id,
            users::handle,
            users::display_name,
            users::avatar_key,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, handle, display_name, avatar_key)| {
            (
                id,
                UserSummary::new(id, handle, display_name, avatar_key.as_deref()),
            )
        })
        .collect())
}
