//! The avatar key on a person's row: which stored files are theirs.

use chrono::Utc;
use diesel::prelude::*;

use crate::core::UserId;
use crate::db::schema::users;

/// Sets (or clears) the avatar and returns the previous key; a user who is
/// gone (deleted while the request ran) changes nothing and has none.
pub fn replace_avatar_key(
    conn: &mut PgConnection,
    user_id: UserId,
    key: Option<&str>,
) -> QueryResult<Option<String>> {
    conn.transaction(|conn| {
        let Some(previous) = users::table
            .find(user_id)
            .select(users::avatar_key)
            .for_update()
            .first::<Option<String>>(conn)
            .optional()?
        else {
            return Ok(None);
        };
        diesel::update(users::table.find(user_id))
            .set((users::avatar_key.eq(key), users::updated_at.eq(Utc::now())))
            .execute(conn)?;
        Ok(previous)
    })
}
