//! The `users` row as every feature reads it, and the lookups they share.
//! Features that change a person (accounts, people, media) keep their own
//! writes; reading a person goes through here.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::ids::UserId;
use super::profile::{Locale, MessagePrivacy, OnlineStatusVisibility, Role};
use crate::db::schema::users;

#[derive(Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub handle: String,
    pub display_name: String,
    pub password_hash: String,
    pub locale: Locale,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub password_changed_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub bio: String,
    pub avatar_key: Option<String>,
    pub message_privacy: MessagePrivacy,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub online_status_visibility: OnlineStatusVisibility,
    pub role: Role,
    pub read_receipts: bool,
}

/// Leaves out the password hash and the email, so a `{user:?}` in a log line
/// or a panic message gives away neither.
impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("handle", &self.handle)
            .finish_non_exhaustive()
    }
}

/// How often a signed-in person's `last_seen_at` is written at most.
pub const LAST_SEEN_RESOLUTION: chrono::Duration = chrono::Duration::minutes(1);

impl User {
    /// Whether this request should record the person's activity: only when
    /// the stored time is older than the resolution, so reads stay reads.
    pub fn last_seen_is_stale(&self, now: DateTime<Utc>) -> bool {
        self.last_seen_at
            .is_none_or(|seen| now - seen >= LAST_SEEN_RESOLUTION)
    }
}

pub fn find(conn: &mut PgConnection, id: UserId) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// By handle in any letter case, as people type it.
pub fn find_by_handle(conn: &mut PgConnection, handle: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::handle.eq(handle.trim().to_ascii_lowercase()))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// By an already normalised (lower-cased) email.
pub fn find_by_email(conn: &mut PgConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Records activity; callers check `last_seen_is_stale` first. The filter
/// keeps two concurrent requests from writing twice.
pub fn touch_last_seen(conn: &mut PgConnection, id: UserId, now: DateTime<Utc>) -> QueryResult<()> {
    diesel::update(
        users::table.find(id).filter(
            users::last_seen_at
                .is_null()
                .or(users::last_seen_at.lt(now - LAST_SEEN_RESOLUTION)),
        ),
    )
    .set(users::last_seen_at.eq(now))
    .execute(conn)
    .map(drop)
}

/// Each of `ids` (repeats and all) as a summary: one statement, whatever
/// the page size. Deleted accounts are simply absent.
pub fn summaries(
    conn: &mut PgConnection,
    ids: impl IntoIterator<Item = UserId>,
) -> QueryResult<std::collections::HashMap<UserId, super::profile::UserSummary>> {
    let mut ids: Vec<UserId> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let rows: Vec<(UserId, String, String, Option<String>, Role)> = users::table
        .filter(users::id.eq_any(&ids))
        .select((
            users::id,
            users::handle,
            users::display_name,
            users::avatar_key,
            users::role,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, handle, display_name, avatar_key, role)| {
            (
                id,
                super::profile::UserSummary::new(
                    id,
                    handle,
                    display_name,
                    avatar_key.as_deref(),
                    role,
                ),
            )
        })
        .collect())
}

/// A user to test with, built in memory: `ann`, seen just now.
#[cfg(test)]
pub fn example_user() -> User {
    let now = Utc::now();
    User {
        id: UserId::generate(),
        email: "ann@example.org".into(),
        handle: "ann".into(),
        display_name: "Ann".into(),
        password_hash: "$argon2id$secret".into(),
        locale: Locale::En,
        email_verified_at: None,
        password_changed_at: now,
        created_at: now,
        updated_at: now,
        bio: String::new(),
        avatar_key: None,
        message_privacy: MessagePrivacy::Everyone,
        last_seen_at: Some(now),
        online_status_visibility: OnlineStatusVisibility::Friends,
        role: Role::User,
        read_receipts: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(last_seen_at: Option<DateTime<Utc>>) -> User {
        User {
            last_seen_at,
            ..example_user()
        }
    }

    #[test]
    fn debug_output_hides_the_password_hash_and_email() {
        let printed = format!("{:?}", user(None));
        assert!(!printed.contains("argon2"), "{printed}");
        assert!(!printed.contains("example.org"), "{printed}");
        assert!(printed.contains("ann"));
    }

    #[test]
    fn last_seen_is_written_at_most_once_a_minute() {
        let now = Utc::now();
        assert!(user(None).last_seen_is_stale(now));
        assert!(!user(Some(now - chrono::Duration::seconds(30))).last_seen_is_stale(now));
        assert!(user(Some(now - chrono::Duration::seconds(61))).last_seen_is_stale(now));
    }
}
