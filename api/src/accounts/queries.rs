//! Accounts queries: plain functions over a connection, no HTTP in sight.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::domain::LoginIdentifier;
use super::models::{NewRefreshToken, NewSession, NewUser, RefreshToken, Session};
use crate::core::handles;
use crate::core::users::{User, find_by_email, find_by_handle};
use crate::core::{SessionId, UserId};
use crate::db::schema::{refresh_tokens, sessions, users};
use crate::events::{self, Event};

/// How long a session lives after its last refresh.
pub fn session_lifetime(remember: bool) -> Duration {
    if remember {
        Duration::days(30)
    } else {
        // "Not on this computer": the session ends soon after it is left alone.
        Duration::hours(12)
    }
}

/// How long after its rotation a refresh token may still be presented by a
/// concurrent request (another tab) without being taken for a stolen one.
pub const REUSE_GRACE: Duration = Duration::seconds(30);

#[derive(Debug, PartialEq, Eq)]
pub enum UserConflict {
    Email,
    Handle,
}

pub enum InsertUserError {
    Conflict(UserConflict),
    Database(DieselError),
}

pub fn insert_user(
    conn: &mut PgConnection,
    new_user: &NewUser<'_>,
) -> Result<User, InsertUserError> {
    diesel::insert_into(users::table)
        .values(new_user)
        .returning(User::as_returning())
        .get_result(conn)
        .map_err(|error| match &error {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                match info.constraint_name() {
                    Some("users_email_key") => InsertUserError::Conflict(UserConflict::Email),
                    Some("users_handle_key") => InsertUserError::Conflict(UserConflict::Handle),
                    _ => InsertUserError::Database(error),
                }
            }
            _ => InsertUserError::Database(error),
        })
}

pub fn find_user_by_login(
    conn: &mut PgConnection,
    login: &LoginIdentifier,
) -> QueryResult<Option<User>> {
    match login {
        LoginIdentifier::Email(email) => find_by_email(conn, email),
        LoginIdentifier::Handle(handle) => find_by_handle(conn, handle),
    }
}

pub struct SessionStart<'a> {
    pub user_id: UserId,
    pub remember: bool,
    pub user_agent: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub refresh_token_hash: &'a [u8],
}

pub fn start_session(conn: &mut PgConnection, start: &SessionStart<'_>) -> QueryResult<Session> {
    conn.transaction(|conn| {
        let session = diesel::insert_into(sessions::table)
            .values(NewSession {
                id: SessionId::generate(),
                user_id: start.user_id,
                remember: start.remember,
                user_agent: start.user_agent,
                ip: start.ip,
                expires_at: Utc::now() + session_lifetime(start.remember),
            })
            .returning(Session::as_returning())
            .get_result(conn)?;
        diesel::insert_into(refresh_tokens::table)
            .values(NewRefreshToken {
                token_hash: start.refresh_token_hash,
                session_id: session.id,
            })
            .execute(conn)?;
        Ok(session)
    })
}

pub enum RefreshOutcome {
    Rotated(Session),
    /// The token was exchanged moments ago (another tab refreshing at the
    /// same time): the session goes on, but no second successor is minted,
    /// so a replayed token can never start a chain of its own.
    JustRotated(Session),
    /// A token that was already exchanged came back: the session is now revoked.
    Reused,
    /// Unknown token, or its session ended (expired, revoked, signed out).
    Invalid,
}

/// Exchanges a refresh token for the next one, in one locked transaction so
/// that two concurrent uses of the same token cannot both succeed.
pub fn rotate_refresh_token(
    conn: &mut PgConnection,
    presented_hash: &[u8],
    next_hash: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<RefreshOutcome> {
    conn.transaction(|conn| {
        let Some(token) = refresh_tokens::table
            .find(presented_hash)
            .select(RefreshToken::as_select())
            .for_update()
            .first(conn)
            .optional()?
        else {
            return Ok(RefreshOutcome::Invalid);
        };
        let session: Session = sessions::table
            .find(token.session_id)
            .select(Session::as_select())
            .for_update()
            .first(conn)?;
        if session.revoked_at.is_some() || session.expires_at <= now {
            return Ok(RefreshOutcome::Invalid);
        }
        match token.rotated_at {
            // Two tabs refreshing at the same moment send the same token:
            // moments after its rotation that is a race, not a theft.
            Some(rotated) if now - rotated <= REUSE_GRACE => {
                return Ok(RefreshOutcome::JustRotated(session));
            }
            Some(_) => {
                revoke(conn, session.id, now)?;
                return Ok(RefreshOutcome::Reused);
            }
            None => {
                diesel::update(refresh_tokens::table.find(&token.token_hash))
                    .set(refresh_tokens::rotated_at.eq(now))
                    .execute(conn)?;
            }
        }
        diesel::insert_into(refresh_tokens::table)
            .values(NewRefreshToken {
                token_hash: next_hash,
                session_id: session.id,
            })
            .execute(conn)?;
        diesel::update(sessions::table.find(session.id))
            .set((
                sessions::last_used_at.eq(now),
                sessions::expires_at.eq(now + session_lifetime(session.remember)),
            ))
            .returning(Session::as_returning())
            .get_result(conn)
            .map(RefreshOutcome::Rotated)
    })
}

fn revoke(
    conn: &mut PgConnection,
    session_id: SessionId,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    conn.transaction(|conn| {
        let ended = diesel::update(
            sessions::table
                .find(session_id)
                .filter(sessions::revoked_at.is_null()),
        )
        .set(sessions::revoked_at.eq(now))
        .returning((sessions::id, sessions::user_id))
        .get_results(conn)?;
        announce_ended(conn, &ended, now)?;
        Ok(ended.len())
    })
}

/// Tells each ended session's owner, in the transaction that ends it, so
/// that the devices signed in with it sign out.
fn announce_ended(
    conn: &mut PgConnection,
    ended: &[(SessionId, UserId)],
    now: DateTime<Utc>,
) -> QueryResult<()> {
    for &(session_id, user_id) in ended {
        events::publish(conn, &[user_id], &Event::SessionEnded { session_id }, now)?;
    }
    Ok(())
}

pub fn list_active_sessions(conn: &mut PgConnection, user_id: UserId) -> QueryResult<Vec<Session>> {
    sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(Utc::now()))
        .order(sessions::last_used_at.desc())
        .select(Session::as_select())
        .load(conn)
}

/// Ends one of the user's own sessions; `false` if there is no such live session.
pub fn revoke_own_session(
    conn: &mut PgConnection,
    user_id: UserId,
    session_id: SessionId,
) -> QueryResult<bool> {
    let now = Utc::now();
    conn.transaction(|conn| {
        let ended = diesel::update(
            sessions::table
                .filter(sessions::id.eq(session_id))
                .filter(sessions::user_id.eq(user_id))
                .filter(sessions::revoked_at.is_null())
                .filter(sessions::expires_at.gt(now)),
        )
        .set(sessions::revoked_at.eq(now))
        .returning((sessions::id, sessions::user_id))
        .get_results(conn)?;
        announce_ended(conn, &ended, now)?;
        Ok(!ended.is_empty())
    })
}

/// Signs out the session that holds this refresh token, if any.
pub fn revoke_session_of_refresh_token(
    conn: &mut PgConnection,
    token_hash: &[u8],
) -> QueryResult<()> {
    let session_id: Option<SessionId> = refresh_tokens::table
        .find(token_hash)
        .select(refresh_tokens::session_id)
        .first(conn)
        .optional()?;
    if let Some(session_id) = session_id {
        revoke(conn, session_id, Utc::now())?;
    }
    Ok(())
}

/// Ends every session of the user except `keep` (the one making the change).
pub fn revoke_sessions_except(
    conn: &mut PgConnection,
    user_id: UserId,
    keep: Option<SessionId>,
) -> QueryResult<usize> {
    let now = Utc::now();
    // No session has the nil id: `None` keeps none.
    let keep = keep.unwrap_or_else(|| SessionId::from_uuid(uuid::Uuid::nil()));
    conn.transaction(|conn| {
        let ended = diesel::update(
            sessions::table
                .filter(sessions::user_id.eq(user_id))
                .filter(sessions::revoked_at.is_null())
                .filter(sessions::id.ne(keep)),
        )
        .set(sessions::revoked_at.eq(now))
        .returning((sessions::id, sessions::user_id))
        .get_results(conn)?;
        announce_ended(conn, &ended, now)?;
        Ok(ended.len())
    })
}

pub fn set_password_hash(
    conn: &mut PgConnection,
    user_id: UserId,
    password_hash: &str,
) -> QueryResult<()> {
    let now = Utc::now();
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(password_hash),
            users::password_changed_at.eq(now),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Marks the address verified if it is still the account's address.
pub fn mark_email_verified(
    conn: &mut PgConnection,
    user_id: UserId,
    email: &str,
) -> QueryResult<bool> {
    let updated = diesel::update(
        users::table
            .find(user_id)
            .filter(users::email.eq(email))
            .filter(users::email_verified_at.is_null()),
    )
    .set(users::email_verified_at.eq(Utc::now()))
    .execute(conn)?;
    if updated > 0 {
        return Ok(true);
    }
    // Already verified counts as success: the same link may be opened twice.
    let still_current: i64 = users::table
        .find(user_id)
        .filter(users::email.eq(email))
        .count()
        .get_result(conn)?;
    Ok(still_current > 0)
}

/// What housekeeping removes at `now`: sessions that ended 30 days before.
pub fn remove_stale_sessions(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    delete_sessions_ended_before(conn, now - Duration::days(30))
}

/// Sessions that ended long ago are of no use to anyone.
/// Their refresh tokens go with them (`ON DELETE CASCADE`); until then the
/// hashes of used tokens stay, so a used token presented at any time in the
/// session's life is recognised as reuse.
fn delete_sessions_ended_before(
    conn: &mut PgConnection,
    cutoff: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::delete(
        sessions::table.filter(
            sessions::expires_at
                .lt(cutoff)
                .or(sessions::revoked_at.lt(cutoff)),
        ),
    )
    .execute(conn)
}

/// Deletes the account; everything that belongs only to it goes with it
/// (sessions, friendships, requests, blocks, its likes and its pictures,
/// whose files go after commit), and its handle is held so nobody passes
/// for the departed under it. What it wrote stays, unsigned. Returns its
/// avatar key.
pub fn delete_user(
    conn: &mut PgConnection,
    user_id: UserId,
    now: DateTime<Utc>,
) -> QueryResult<Option<String>> {
    super::departure::take_back_likes_and_pictures(conn, user_id)?;
    let deleted = diesel::delete(users::table.find(user_id))
        .returning((users::handle, users::avatar_key))
        .get_result::<(String, Option<String>)>(conn)
        .optional()?;
    let Some((handle, avatar_key)) = deleted else {
        return Ok(None);
    };
    handles::release(conn, &handle, None, now)?;
    // Its sockets close: there is no log left to carry a `session_ended`.
    crate::events::queries::notify(conn, user_id)?;
    Ok(avatar_key)
}

/// Emails stored before international domains were kept in their ASCII
/// form (`anna@пример.рф` becomes `anna@xn--e1afmkfd.xn--p1ai`), so their
/// owners sign in by typing either. Run at start-up; a no-op once done.
/// An address that cannot be converted, or whose ASCII form is taken by
/// another account, stays as it was and is logged.
pub fn convert_legacy_emails(conn: &mut PgConnection) -> QueryResult<usize> {
    let legacy: Vec<(UserId, String)> = users::table
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
            "email ~ '[^[:ascii:]]'",
        ))
        .select((users::id, users::email))
        .load(conn)?;
    let mut converted = 0;
    for (id, email) in legacy {
        let Ok(ascii) = crate::core::validation::Email::parse(&email) else {
            tracing::warn!(user.id = %id, "an email address that is not valid IDNA is kept as it was");
            continue;
        };
        let updated = conn.transaction(|conn| {
            diesel::update(users::table.find(id))
                .set(users::email.eq(ascii.as_str()))
                .execute(conn)
        });
        match updated {
            Ok(_) => converted += 1,
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                tracing::warn!(user.id = %id, "the ASCII form of this email belongs to another account");
            }
            Err(error) => return Err(error),
        }
    }
    Ok(converted)
}
