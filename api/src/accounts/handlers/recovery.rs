use actix_web::{HttpResponse, post, web};
use diesel::prelude::*;

use crate::accounts::domain::NewPassword;
use crate::accounts::dto::{ForgotPasswordRequest, ResetPasswordRequest, TokenRequest};
use crate::accounts::emails;
use crate::accounts::queries;
use crate::core::tokens::{TokenError, password_fingerprint};
use crate::core::validation::Email;
use crate::core::{AuthUser, User, users as people};
use crate::db::{self, schema::users};
use crate::error::{ApiError, ErrorCode};
use crate::http::ClientIp;
use crate::jobs::{self, Job};
use crate::state::AppState;

pub(super) fn link_error(error: TokenError) -> ApiError {
    match error {
        TokenError::Expired => ApiError::bad_request(
            ErrorCode::TokenExpired,
            "This link has expired; ask for a new one.",
        ),
        TokenError::Invalid => {
            ApiError::bad_request(ErrorCode::InvalidToken, "This link is not valid.")
        }
    }
}

/// Confirm an email address with the token from the emailed link.
#[utoipa::path(
    tag = "accounts",
    request_body = TokenRequest,
    responses(
        (status = 204, description = "The email is verified (again opening the link is fine)"),
        (status = 400, description = "`invalid_token` or `token_expired`"),
    )
)]
#[post("/auth/email/verify")]
pub async fn verify_email(
    state: web::Data<AppState>,
    body: web::Json<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let claims = state
        .tokens
        .verify_email_verification(&body.token)
        .map_err(link_error)?;
    let admin_emails = state.config.admin_emails.clone();
    let verified = db::run(&state.pool, move |conn| {
        let verified = queries::mark_email_verified(conn, claims.sub, &claims.email)?;
        crate::accounts::admins::promote_listed_admins(conn, &admin_emails)?;
        Ok(verified)
    })
    .await?;
    if !verified {
        // The account is gone or its address changed since the link was sent.
        return Err(link_error(TokenError::Invalid));
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Send the verification link again.
#[utoipa::path(
    tag = "accounts",
    responses(
        (status = 202, description = "A new link is on its way"),
        (status = 401, description = "Not signed in"),
        (status = 409, description = "Already verified (`email_already_verified`)"),
        (status = 429, description = "Asked too often"),
    ),
    security(("bearer" = []))
)]
#[post("/auth/email/resend")]
pub async fn resend_verification_email(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> Result<HttpResponse, ApiError> {
    let user = auth.user;
    if user.email_verified_at.is_some() {
        return Err(ApiError::conflict(
            ErrorCode::EmailAlreadyVerified,
            "Your email is already verified.",
        ));
    }
    state.rate_limits.email_verification(user.id)?;
    let link = state.config.public_link(&format!(
        "/verify-email#token={}",
        state.tokens.issue_email_verification(user.id, &user.email)
    ));
    let email = emails::email_verification(&user.email, &user.display_name, user.locale, &link);
    db::run(&state.pool, move |conn| {
        Ok(jobs::enqueue(conn, Job::SendEmail(email))?)
    })
    .await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Ask for a password-reset link.
///
/// Always answers 202, whether or not an account has this address, so the
/// answer tells nobody who is registered.
#[utoipa::path(
    tag = "accounts",
    request_body = ForgotPasswordRequest,
    responses(
        (status = 202, description = "If the account exists, a link is on its way"),
        (status = 422, description = "Not an email address (`validation_failed`)"),
        (status = 429, description = "Asked too often"),
    )
)]
#[post("/auth/password/forgot")]
pub async fn forgot_password(
    state: web::Data<AppState>,
    client_ip: ClientIp,
    body: web::Json<ForgotPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let email =
        Email::parse(&body.email).map_err(|message| ApiError::invalid_field("email", message))?;
    state
        .rate_limits
        .forgot_password(client_ip.0, email.as_str())?;
    let tokens = state.tokens.clone();
    let config_link = {
        let state = state.clone();
        move |token: String| {
            state
                .config
                .public_link(&format!("/reset-password#token={token}"))
        }
    };
    db::run(&state.pool, move |conn| {
        let Some(user) = people::find_by_email(conn, email.as_str())? else {
            return Ok(());
        };
        let link = config_link(tokens.issue_password_reset(user.id, &user.password_hash));
        let message = emails::password_reset(&user.email, &user.display_name, user.locale, &link);
        jobs::enqueue(conn, Job::SendEmail(message))?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Choose a new password with the token from the emailed link.
///
/// Works once: the link stops working as soon as the password changes. Signs
/// out every session and marks the email verified (the link proved it).
#[utoipa::path(
    tag = "accounts",
    request_body = ResetPasswordRequest,
    responses(
        (status = 204, description = "The password is changed; sign in with it"),
        (status = 400, description = "`invalid_token` (also once used) or `token_expired`"),
        (status = 422, description = "The new password breaks a rule (`validation_failed`)"),
    )
)]
#[post("/auth/password/reset")]
pub async fn reset_password(
    state: web::Data<AppState>,
    body: web::Json<ResetPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let claims = state
        .tokens
        .verify_password_reset(&body.token)
        .map_err(link_error)?;
    let user_id = claims.sub;
    let user = db::run(&state.pool, move |conn| Ok(people::find(conn, user_id)?))
        .await?
        .ok_or_else(|| link_error(TokenError::Invalid))?;
    if password_fingerprint(&user.password_hash) != claims.pwd {
        return Err(used_link());
    }
    let password = NewPassword::parse(&body.password, &user.email, &user.handle)
        .map_err(|message| ApiError::invalid_field("password", message))?;
    let new_hash = state.passwords.hash(password.expose()).await?;
    let fingerprint = claims.pwd;
    let admin_emails = state.config.admin_emails.clone();
    db::run(&state.pool, move |conn| {
        conn.build_transaction().run(|conn| {
            // Re-checked under a row lock: two uses of one link cannot both win.
            let locked: User = users::table
                .find(user_id)
                .select(User::as_select())
                .for_update()
                .first(conn)?;
            if password_fingerprint(&locked.password_hash) != fingerprint {
                return Err(used_link());
            }
            queries::set_password_hash(conn, user_id, &new_hash)?;
            queries::mark_email_verified(conn, user_id, &locked.email)?;
            crate::accounts::admins::promote_listed_admins(conn, &admin_emails)?;
            queries::revoke_sessions_except(conn, user_id, None)?;
            Ok(())
        })
    })
    .await?;
    tracing::info!(user.id = %user_id, "password reset by emailed link");
    Ok(HttpResponse::NoContent().finish())
}

fn used_link() -> ApiError {
    ApiError::bad_request(
        ErrorCode::InvalidToken,
        "This link was already used, or the password has changed since it was sent.",
    )
}
