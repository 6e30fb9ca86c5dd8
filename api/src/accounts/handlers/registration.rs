//! Registering: the request is answered alike whether or not the address
//! has an account, and the account is made when the emailed link is opened.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::{Duration, Utc};

use super::recovery::link_error;
use super::require;
use crate::accounts::domain::NewPassword;
use crate::accounts::dto::{RegisterRequest, RegistrationAccepted, TokenRequest};
use crate::accounts::emails;
use crate::accounts::models::{NewUser, PendingRegistration};
use crate::accounts::queries::{self, InsertUserError, UserConflict};
use crate::accounts::registrations;
use crate::core::tokens::{REGISTRATION_SECONDS, TokenError};
use crate::core::validation::{DisplayName, Email, FieldCheck, Handle};
use crate::core::{Locale, MeResponse, UserId, handles, users};
use crate::db;
use crate::error::{ApiError, ErrorCode, FieldIssue};
use crate::http::ClientIp;
use crate::jobs::{self, Job};
use crate::state::AppState;

/// Start creating an account.
///
/// Emails a link to the address; opening it (`POST /auth/register/confirm`)
/// creates the account, with its email verified. The answer is the same
/// whether or not the address already has an account, so nobody can learn
/// that here; its owner is emailed instead. A handle that is taken (or held
/// for whoever gave it up lately) is refused at once: handles are public.
#[utoipa::path(
    tag = "accounts",
    request_body = RegisterRequest,
    responses(
        (status = 202, description = "A link is on its way to the address", body = RegistrationAccepted),
        (status = 409, description = "Handle taken (`handle_taken`); a handle given up in the last 30 days is held for its last owner"),
        (status = 422, description = "Invalid fields (`validation_failed`)"),
        (status = 429, description = "Too many registrations from this address, or for this email"),
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    client_ip: ClientIp,
    req: HttpRequest,
    body: web::Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    state.rate_limits.register(client_ip.0)?;
    let mut check = FieldCheck::default();
    let email = check.check("email", Email::parse(&body.email));
    let handle = check.check("handle", Handle::parse(&body.handle));
    let display_name = check.check("display_name", DisplayName::parse(&body.display_name));
    let password = check.check(
        "password",
        NewPassword::parse(&body.password, body.email.trim(), body.handle.trim()),
    );
    check.finish().map_err(ApiError::validation)?;
    let (email, handle, display_name, password) = (
        require(email)?,
        require(handle)?,
        require(display_name)?,
        require(password)?,
    );
    state.rate_limits.registration_email(email.as_str())?;
    let locale = Locale::from_accept_language(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );

    // Hashed whether or not the address is taken, so both take as long.
    let password_hash = state.passwords.hash(password.expose()).await?;
    let now = Utc::now();
    let pending = PendingRegistration {
        id: uuid::Uuid::new_v4(),
        email: email.as_str().to_owned(),
        handle: handle.as_str().to_owned(),
        display_name: display_name.as_str().to_owned(),
        password_hash,
        locale,
        created_at: now,
        expires_at: now + Duration::seconds(REGISTRATION_SECONDS),
    };
    let confirm_link = state.config.public_link(&format!(
        "/confirm-registration#token={}",
        state.tokens.issue_registration(pending.id)
    ));
    let sign_in_link = state.config.public_link("/login");
    let accepted = RegistrationAccepted {
        email: pending.email.clone(),
        expires_at: pending.expires_at,
    };
    db::run(&state.pool, move |conn| {
        conn.build_transaction().run(|conn| {
            if users::find_by_handle(conn, &pending.handle)?.is_some()
                || handles::held_for_another(conn, &pending.handle, None, now)?
            {
                return Err(handles::taken());
            }
            let email = match users::find_by_email(conn, &pending.email)? {
                Some(owner) => emails::registration_attempt(
                    &owner.email,
                    &owner.display_name,
                    &owner.handle,
                    owner.locale,
                    &sign_in_link,
                ),
                None => {
                    let email = emails::registration_confirmation(
                        &pending.email,
                        &pending.display_name,
                        pending.locale,
                        &confirm_link,
                    );
                    registrations::insert(conn, &pending)?;
                    email
                }
            };
            jobs::enqueue(conn, Job::SendEmail(email))?;
            Ok::<_, ApiError>(())
        })
    })
    .await?;
    Ok(HttpResponse::Accepted().json(accepted))
}

/// Create the account, with the token from the link registering emailed.
///
/// The email is verified by this very step; sign in next. A link works once.
#[utoipa::path(
    tag = "accounts",
    request_body = TokenRequest,
    responses(
        (status = 201, description = "Account created", body = MeResponse),
        (status = 400, description = "`invalid_token` (also once used) or `token_expired`"),
        (status = 409, description = "Meanwhile the email (`email_taken`) or the handle (`handle_taken`) was taken: register again"),
    )
)]
#[post("/auth/register/confirm")]
pub async fn confirm_registration(
    state: web::Data<AppState>,
    body: web::Json<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let claims = state
        .tokens
        .verify_registration(&body.token)
        .map_err(link_error)?;
    let admin_emails = state.config.admin_emails.clone();
    let user = db::run(&state.pool, move |conn| {
        conn.build_transaction().run(|conn| {
            let now = Utc::now();
            let pending = registrations::take(conn, claims.sub, now)?
                .ok_or_else(|| link_error(TokenError::Invalid))?;
            if handles::held_for_another(conn, &pending.handle, None, now)? {
                return Err(handles::taken());
            }
            let user = queries::insert_user(
                conn,
                &NewUser {
                    id: UserId::generate(),
                    email: &pending.email,
                    handle: &pending.handle,
                    display_name: &pending.display_name,
                    password_hash: &pending.password_hash,
                    locale: pending.locale,
                    email_verified_at: Some(now),
                },
            )
            .map_err(|error| match error {
                // Only the address's owner can get here: telling is safe.
                InsertUserError::Conflict(UserConflict::Email) => ApiError::conflict(
                    ErrorCode::EmailTaken,
                    "An account with this email was created meanwhile; sign in instead.",
                )
                .on_field("email", FieldIssue::AlreadyRegistered),
                InsertUserError::Conflict(UserConflict::Handle) => handles::taken(),
                InsertUserError::Database(error) => error.into(),
            })?;
            if crate::accounts::admins::promote_listed_admins(conn, &admin_emails)? > 0 {
                return Ok(crate::core::users::find(conn, user.id)?.unwrap_or(user));
            }
            Ok::<_, ApiError>(user)
        })
    })
    .await?;
    tracing::info!(user.id = %user.id, "account registered");
    Ok(HttpResponse::Created().json(MeResponse::from(&user)))
}
