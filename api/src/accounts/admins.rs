//! The operator's admins: accounts whose verified address is listed in
//! `NOXCHAT_ADMIN_EMAILS`.

use chrono::Utc;
use diesel::prelude::*;

use crate::core::Role;
use crate::core::users::User;
use crate::db::schema::users;
use crate::events;

/// Makes admins of the accounts whose verified address the operator listed
/// (`NOXCHAT_ADMIN_EMAILS`): run at start-up and whenever an address is
/// verified, so the operator never races a stranger for the first account.
pub fn promote_listed_admins(conn: &mut PgConnection, emails: &[String]) -> QueryResult<usize> {
    if emails.is_empty() {
        return Ok(0);
    }
    let promoted: Vec<User> = diesel::update(
        users::table
            .filter(users::email.eq_any(emails))
            .filter(users::email_verified_at.is_not_null())
            .filter(users::role.ne(Role::Admin)),
    )
    .set(users::role.eq(Role::Admin))
    .returning(User::as_returning())
    .get_results(conn)?;
    // Their devices learn it at once, as from any other role change.
    for user in &promoted {
        events::queries::publish_profile_changed(conn, user, Utc::now())?;
    }
    Ok(promoted.len())
}
