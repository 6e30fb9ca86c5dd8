use actix_web::{HttpResponse, delete, get, put, web};
use diesel::Connection;

use crate::accounts::domain::NewPassword;
use crate::accounts::dto::{ChangePasswordRequest, DeleteAccountRequest};
use crate::accounts::password_guard::{account_budget_key, verify_within_limits};
use crate::accounts::queries;
use crate::core::auth::with_refresh_cookie_removed;
use crate::core::{AuthUser, MeResponse};
use crate::db;
use crate::error::{ApiError, ErrorCode, FieldIssue};
use crate::http::ClientIp;
use crate::jobs::{self, Job};
use crate::rate_limit::{BudgetKey, PasswordGuess};
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
        (status = 422, description = "Wrong current password (`invalid_current_password`) or a new one that breaks a rule (`validation_failed`)"),
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
    let user = &auth.user;
    let new_password = NewPassword::parse(&body.new_password, &user.email, &user.handle)
        .map_err(|message| ApiError::invalid_field("new_password", message))?;
    if !password_matches(&state, &auth, client_ip, &body.current_password).await? {
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
    if !password_matches(&state, &auth, client_ip, &body.password).await? {
        return Err(ApiError::invalid_field("password", FieldIssue::Incorrect)
            .with_code(ErrorCode::InvalidPassword));
    }
    let user_id = auth.user.id;
    db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            if let Some(key) = queries::delete_user(conn, user_id, chrono::Utc::now())? {
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

/// Checks the signed-in person's password under the same limits as signing
/// in, so a stolen access token is no way to guess it. The session stands
/// for the device: its failures spend a budget of its own.
async fn password_matches(
    state: &AppState,
    auth: &AuthUser,
    client_ip: ClientIp,
    password: &str,
) -> Result<bool, ApiError> {
    state.rate_limits.password_attempt(client_ip.0)?;
    let guess = PasswordGuess {
        ip: client_ip.0,
        account: account_budget_key(auth.user.id),
        device: Some(BudgetKey::of(
            "session",
            auth.session_id.as_uuid().as_bytes(),
        )),
    };
    verify_within_limits(
        state,
        &guess,
        password,
        Some(auth.user.password_hash.clone()),
    )
    .await
}
