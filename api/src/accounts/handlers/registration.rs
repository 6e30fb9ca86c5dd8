use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};

use super::require;
use crate::accounts::domain::NewPassword;
use crate::accounts::dto::RegisterRequest;
use crate::accounts::emails;
use crate::accounts::models::NewUser;
use crate::accounts::queries::{self, InsertUserError, UserConflict};
use crate::core::handles;
use crate::core::validation::{DisplayName, Email, FieldCheck, Handle};
use crate::core::{Locale, MeResponse, UserId};
use crate::db;
use crate::error::{ApiError, ErrorCode, FieldIssue};
use crate::http::ClientIp;
use crate::jobs::{self, Job};
use crate::state::AppState;

/// Create an account.
///
/// Sends a verification link to the email address. The new account can sign
/// in at once; `email_verified` stays false until the link is opened.
#[utoipa::path(
    tag = "accounts",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Account created", body = MeResponse),
        (status = 409, description = "Email (`email_taken`) or handle (`handle_taken`) already registered; a handle given up in the last 30 days is held for its last owner"),
        (status = 422, description = "Invalid fields (`validation_failed`)"),
        (status = 429, description = "Too many registrations from this address"),
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
    let locale = Locale::from_accept_language(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );

    let password_hash = state.passwords.hash(password.expose()).await?;
    let user_id = UserId::generate();
    let link = state.config.public_link(&format!(
        "/verify-email#token={}",
        state
            .tokens
            .issue_email_verification(user_id, email.as_str())
    ));
    let welcome = emails::email_verification(email.as_str(), display_name.as_str(), locale, &link);
    let user = db::run(&state.pool, move |conn| {
        conn.build_transaction().run(|conn| {
            if handles::held_for_another(conn, handle.as_str(), None, chrono::Utc::now())? {
                return Err(handle_taken());
            }
            let user = queries::insert_user(
                conn,
                &NewUser {
                    id: user_id,
                    email: email.as_str(),
                    handle: handle.as_str(),
                    display_name: display_name.as_str(),
                    password_hash: &password_hash,
                    locale,
                },
            )
            .map_err(|error| match error {
                InsertUserError::Conflict(UserConflict::Email) => ApiError::conflict(
                    ErrorCode::EmailTaken,
                    "An account with this email already exists.",
                )
                .on_field("email", FieldIssue::AlreadyRegistered),
                InsertUserError::Conflict(UserConflict::Handle) => handle_taken(),
                InsertUserError::Database(error) => error.into(),
            })?;
            jobs::enqueue(conn, Job::SendEmail(welcome))?;
            Ok::<_, ApiError>(user)
        })
    })
    .await?;
    tracing::info!(user.id = %user.id, "account registered");
    Ok(HttpResponse::Created().json(MeResponse::from(&user)))
}

/// Taken by someone, or held for whoever gave it up lately: the same answer.
fn handle_taken() -> ApiError {
    ApiError::conflict(ErrorCode::HandleTaken, "This handle is already taken.")
        .on_field("handle", FieldIssue::AlreadyTaken)
}
