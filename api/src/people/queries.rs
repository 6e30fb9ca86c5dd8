//! Profile queries.

use chrono::Utc;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

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
    pub updated_at: chrono::DateTime<Utc>,
}

pub enum UpdateProfileError {
    HandleTaken,
    Database(DieselError),
}

pub fn update_profile(
    conn: &mut PgConnection,
    user_id: UserId,
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

pub fn friends_count(conn: &mut PgConnection, user_id: UserId) -> QueryResult<i64> {
    friendships::table
        .filter(friendships::user_id.eq(user_id))
        .count()
        .get_result(conn)
}
