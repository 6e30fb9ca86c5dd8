use actix_web::{HttpResponse, delete, get, put, web};
use diesel::Connection;

use crate::accounts::domain::NewPassword;
use crate::accounts::dto::{ChangePasswordRequest, DeleteAccountRequest};
use crate::accounts::queries;
use crate::core::auth::with_refresh_cookie_removed;
use crate::core::{AuthUser, MeResponse};
use crate::db;
use crate::error::{ApiError, ErrorCode, FieldIssue};
use crate::http::ClientIp;
use crate::jobs::{self, Job};
use crate::state::AppState;

/// My account.
#[utoipa::path(
    tag = "accounts",
    responses(
        (status = 200, description = "The signed-in user", body = MeResponse),
        (status = 401, description = "Not signed in"),
    ),
    security(("bearer" = []))
)]
#[get("/me")]
pub async fn get_me(auth: AuthUser) -> web::Json<MeResponse> {
    web::Json(MeResponse::from(&auth.user))
}

/// Change my password.
///
/// Every other session is signed out; this one stays.
#[utoipa::path(
    tag = "accounts",
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "Not signed in"),
        (status = 422, description = "Wrong current password (`invalid_current_password`) or a new one that breaks a rule"),
        (status = 429, description = "Too many wrong attempts"),
    ),
    security(("bearer" = []))
)]
#[put("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    auth: AuthUser,
    client_ip: ClientIp,
    body: web::Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let user = auth.user;
    // The same budget as signing in: a stolen access token must not become
    // a way to guess the password.
    state.rate_limits.login(client_ip.0, &user.handle)?;
    let new_password = NewPassword::parse(&body.new_password, &user.email, &user.handle)
        .map_err(|message| ApiError::invalid_field("new_password", message))?;
    if !state
        .passwords
        .verify(&body.current_password, Some(user.password_hash.clone()))
        .await?
    {
        return Err(
            ApiError::invalid_field("current_password", FieldIssue::Incorrect)
                .with_code(ErrorCode::InvalidCurrentPassword),
        );
    }
    let new_hash = state.passwords.hash(new_password.expose()).await?;
    let (user_id, keep) = (user.id, auth.session_id);
    db::run(&state.pool, move |conn| {
        conn.build_transaction().run(|conn| {
            queries::set_password_hash(conn, user_id, &new_hash)?;
            queries::revoke_sessions_except(conn, user_id, Some(keep))?;
            Ok(())
        })
    })
    .await?;
    tracing::info!(user.id = %user_id, "password changed");
    Ok(HttpResponse::NoContent().finish())
}

/// Delete my account.
///
/// Signs out everywhere and removes my avatar, friendships, requests and
/// blocks; my handle becomes free. What I wrote in the forum stays, shown as
/// by a deleted user.
#[utoipa::path(
    tag = "people",
    request_body = DeleteAccountRequest,
    responses(
        (status = 204, description = "The account is gone"),
        (status = 401, description = "Not signed in"),
        (status = 422, description = "Wrong password (`invalid_password`)"),
        (status = 429, description = "Too many wrong attempts"),
    ),
    security(("bearer" = []))
)]
#[delete("/me")]
pub async fn delete_me(
    state: web::Data<AppState>,
    auth: AuthUser,
    client_ip: ClientIp,
    body: web::Json<DeleteAccountRequest>,
) -> Result<HttpResponse, ApiError> {
    let user = auth.user;
    state.rate_limits.login(client_ip.0, &user.handle)?;
    if !state
        .passwords
        .verify(&body.password, Some(user.password_hash.clone()))
        .await?
    {
        return Err(ApiError::invalid_field("password", FieldIssue::Incorrect)
            .with_code(ErrorCode::InvalidPassword));
    }
    let user_id = user.id;
    db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            if let Some(key) = queries::delete_user(conn, user_id)? {
                jobs::enqueue(conn, Job::RemoveAvatarFiles { key })?;
            }
            Ok(())
        })
    })
    .await?;
    tracing::info!(user.id = %user_id, "account deleted");
    Ok(with_refresh_cookie_removed(
        &state,
        HttpResponse::NoContent().finish(),
    ))
}
