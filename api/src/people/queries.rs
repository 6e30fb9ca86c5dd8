//! Profile queries.

use chrono::Utc;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::core::handles;
use crate::core::{Locale, MessagePrivacy, OnlineStatusVisibility, User, UserId};
use crate::db::schema::{friendships, users};

#[derive(AsChangeset)]
#[diesel(table_name = users)]
pub struct ProfileChanges<'a> {
    pub display_name: Option<&'a str>,
    pub bio: Option<&'a str>,
    pub locale: Option<Locale>,
    pub handle: Option<&'a str>,
    pub message_privacy: Option<MessagePrivacy>,
    pub online_status_visibility: Option<OnlineStatusVisibility>,
    pub read_receipts: Option<bool>,
    pub updated_at: chrono::DateTime<Utc>,
}

pub enum UpdateProfileError {
    HandleTaken,
    Database(DieselError),
}

impl From<DieselError> for UpdateProfileError {
    fn from(error: DieselError) -> Self {
        Self::Database(error)
    }
}

/// Applies the changes; a new handle must be free and not held for another
/// (see `core::handles`), and the one given up is held for this person.
pub fn update_profile(
    conn: &mut PgConnection,
    user_id: UserId,
    changes: &ProfileChanges<'_>,
) -> Result<User, UpdateProfileError> {
    conn.transaction(|conn| {
        let given_up = match changes.handle {
            Some(new) => {
                if handles::held_for_another(conn, new, Some(user_id), changes.updated_at)? {
                    return Err(UpdateProfileError::HandleTaken);
                }
                users::table
                    .find(user_id)
                    .select(users::handle)
                    .for_update()
                    .first::<String>(conn)
                    .optional()?
                    .filter(|current| current != new)
            }
            None => None,
        };
        let user = diesel::update(users::table.find(user_id))
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
            })?;
        if let Some(old) = given_up {
            handles::release(conn, &old, Some(user_id), changes.updated_at)?;
        }
        Ok(user)
    })
}

pub fn friends_count(conn: &mut PgConnection, user_id: UserId) -> QueryResult<i64> {
    friendships::table
        .filter(friendships::user_id.eq(user_id))
        .count()
        .get_result(conn)
}

/// What a person wrote in the forum: topics, standing posts and the likes
/// they received, as the forum's writes keep them.
pub fn forum_figures(conn: &mut PgConnection, user_id: UserId) -> QueryResult<(i64, i64, i64)> {
    use crate::db::schema::forum_stats;
    let figures: Option<(i32, i32, i32)> = forum_stats::table
        .find(user_id)
        .select((
            forum_stats::topics,
            forum_stats::posts,
            forum_stats::likes_received,
        ))
        .first(conn)
        .optional()?;
    let (topics, posts, likes) = figures.unwrap_or_default();
    Ok((topics.into(), posts.into(), likes.into()))
}
