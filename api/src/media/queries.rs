//! The avatar key on a person's row: which stored files are theirs.

use chrono::Utc;
use diesel::prelude::*;

use crate::core::UserId;
use crate::db::schema::users;

/// Sets (or clears) the avatar and returns the previous key.
pub fn replace_avatar_key(
    conn: &mut PgConnection,
    user_id: UserId,
    key: Option<&str>,
) -> QueryResult<Option<String>> {
    conn.transaction(|conn| {
        let previous: Option<String> = users::table
            .find(user_id)
            .select(users::avatar_key)
            .for_update()
            .first(conn)?;
        diesel::update(users::table.find(user_id))
            .set((users::avatar_key.eq(key), users::updated_at.eq(Utc::now())))
            .execute(conn)?;
        Ok(previous)
    })
}
