//! Profile queries.

use chrono::Utc;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use uuid::Uuid;

use crate::accounts::models::User;
use crate::db::schema::{friendships, users};

#[derive(AsChangeset)]
#[diesel(table_name = users)]
pub struct ProfileChanges<'a> {
    pub display_name: Option<&'a str>,
    pub bio: Option<&'a str>,
    pub locale: Option<&'a str>,
    pub handle: Option<&'a str>,
    pub message_privacy: Option<&'a str>,
    pub show_online_status: Option<bool>,
    pub updated_at: chrono::DateTime<Utc>,
}

pub enum UpdateProfileError {
    HandleTaken,
    Database(DieselError),
}

pub fn update_profile(
    conn: &mut PgConnection,
    user_id: Uuid,
    changes: &ProfileChanges<'_>,
) -> Result<User, UpdateProfileError> {
    diesel::update(users::table.find(user_id))
        .set(changes)
        .returning(User::as_returning())
        .get_result(conn)
        .map_err(|error| match &error {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info)
                if info.constraint_name() == Some("users_handle_key") =>
            {
                UpdateProfileError::HandleTaken
            }
            _ => UpdateProfileError::Database(error),
        })
}

pub fn find_by_handle(conn: &mut PgConnection, handle: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::handle.eq(handle.trim().to_ascii_lowercase()))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn friends_count(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<i64> {
    friendships::table
        .filter(friendships::user_id.eq(user_id))
        .count()
        .get_result(conn)
}

/// Deletes the account; everything that belongs only to it goes with it
/// (sessions, friendships, requests, blocks). Returns its avatar key.
pub fn delete_user(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<Option<String>> {
    diesel::delete(users::table.find(user_id))
        .returning(users::avatar_key)
        .get_result::<Option<String>>(conn)
        .optional()
        .map(Option::flatten)
}

/// Sets (or clears) the avatar and returns the previous key.
pub fn replace_avatar_key(
    conn: &mut PgConnection,
    user_id: Uuid,
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

/// Records activity at most once a minute, so reads stay cheap.
pub fn touch_last_seen(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<()> {
    let a_minute_ago = Utc::now() - chrono::Duration::minutes(1);
    diesel::update(
        users::table.find(user_id).filter(
            users::last_seen_at
                .is_null()
                .or(users::last_seen_at.lt(a_minute_ago)),
        ),
    )
    .set(users::last_seen_at.eq(Utc::now()))
    .execute(conn)
    .map(drop)
}
