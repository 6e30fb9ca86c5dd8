//! Who is a moderator or an admin: set by the operator on the command line
//! (`noxchat admin grant|revoke`) and by admins through the API.

use actix_web::{HttpResponse, delete, put, web};
use chrono::Utc;
use diesel::prelude::*;

use crate::core::users::{self, User};
use crate::core::{AuthUser, Role};
use crate::db;
use crate::db::schema::users as users_table;
use crate::error::{ApiError, ErrorCode};
use crate::events;
use crate::policy::{self, RoleDenial};
use crate::state::AppState;

/// Gives `handle` the `role`; the person's devices learn it at once. None:
/// no such person.
pub fn set_role(conn: &mut PgConnection, handle: &str, role: Role) -> QueryResult<Option<User>> {
    conn.transaction(|conn| {
        let Some(user) = users::find_by_handle(conn, handle)? else {
            return Ok(None);
        };
        let user: User = diesel::update(users_table::table.find(user.id))
            .set(users_table::role.eq(role))
            .returning(User::as_returning())
            .get_result(conn)?;
        events::queries::publish_profile_changed(conn, &user, Utc::now())?;
        Ok(Some(user))
    })
}

/// Makes someone a moderator (admins only).
#[utoipa::path(
    tag = "people",
    params(("handle" = String, Path, description = "Any letter case")),
    responses(
        (status = 204, description = "They are a moderator"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "`not_allowed`: only admins appoint moderators"),
        (status = 404, description = "`user_not_found`"),
        (status = 409, description = "`role_is_admin`: an admin stays an admin (revoke on the command line)"),
    ),
    security(("bearer" = []))
)]
#[put("/moderators/{handle}")]
pub async fn appoint_moderator(
    state: web::Data<AppState>,
    auth: AuthUser,
    handle: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    change_moderator(&state, &auth, handle.into_inner(), Role::Moderator).await
}

/// Makes a moderator an ordinary user again (admins only).
#[utoipa::path(
    tag = "people",
    params(("handle" = String, Path, description = "Any letter case")),
    responses(
        (status = 204, description = "They are an ordinary user"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "`not_allowed`: only admins dismiss moderators"),
        (status = 404, description = "`user_not_found`"),
        (status = 409, description = "`role_is_admin`: an admin stays an admin (revoke on the command line)"),
    ),
    security(("bearer" = []))
)]
#[delete("/moderators/{handle}")]
pub async fn dismiss_moderator(
    state: web::Data<AppState>,
    auth: AuthUser,
    handle: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    change_moderator(&state, &auth, handle.into_inner(), Role::User).await
}

async fn change_moderator(
    state: &AppState,
    auth: &AuthUser,
    handle: String,
    role: Role,
) -> Result<HttpResponse, ApiError> {
    policy::may_appoint_moderators(auth.user.role).map_err(denied)?;
    db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            // Locked, so an operator's grant in between is not overwritten.
            let target: User = users_table::table
                .filter(users_table::handle.eq(handle.trim().to_ascii_lowercase()))
                .select(User::as_select())
                .for_update()
                .first(conn)
                .optional()?
                .ok_or_else(not_found)?;
            policy::may_change_role_of(target.role).map_err(denied)?;
            set_role(conn, &target.handle, role)?.ok_or_else(not_found)?;
            Ok(())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

fn not_found() -> ApiError {
    ApiError::not_found(
        ErrorCode::UserNotFound,
        "There is no user with this handle.",
    )
}

fn denied(denial: RoleDenial) -> ApiError {
    match denial {
        RoleDenial::NotAdmin => ApiError::forbidden(
            ErrorCode::NotAllowed,
            "Only admins appoint and dismiss moderators.",
        ),
        RoleDenial::TargetIsAdmin => ApiError::conflict(
            ErrorCode::RoleIsAdmin,
            "This person is an admin; an operator changes that on the command line.",
        ),
    }
}
