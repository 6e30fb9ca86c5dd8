use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, ResponseError, delete, get, post, web};
use chrono::Utc;

use crate::accounts::devices::DEVICE_COOKIE;
use crate::accounts::domain::LoginIdentifier;
use crate::accounts::dto::{
    LoginRequest, RefreshRequest, SessionList, SessionResponse, TokenResponse,
};
use crate::accounts::password_guard::{account_budget_key, verify_within_limits};
use crate::accounts::queries::{self, RefreshOutcome, SessionStart};
use crate::core::auth::{REFRESH_COOKIE, refresh_cookie, with_refresh_cookie_removed};
use crate::core::tokens::{ACCESS_TOKEN_SECONDS, hash_refresh_token, new_refresh_token};
use crate::core::{AuthUser, MeResponse, SessionId, User, users};
use crate::db;
use crate::error::{ApiError, ErrorCode, FieldIssue};
use crate::http::ClientIp;
use crate::rate_limit::{BudgetKey, PasswordGuess};
use crate::state::AppState;

const USER_AGENT_MAX: usize = 512;
/// The longest email address there can be (RFC 5321's path limit).
const MAX_LOGIN_CHARS: usize = 254;

/// Sign in with an email or handle and a password.
///
/// Returns an access token and a refresh token; browsers also get the
/// refresh token as an httpOnly cookie scoped to `/api/v1/auth`.
#[utoipa::path(
    tag = "accounts",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse,
            headers(("set-cookie" = String, description = "`noxchat_refresh`: httpOnly, SameSite=Strict; and `noxchat_device` (path `/api/v1/auth/login`, a year): send it back when signing in again, so wrong passwords typed elsewhere do not lock this device out"))),
        (status = 401, description = "Wrong login or password (`invalid_credentials`)"),
        (status = 422, description = "`validation_failed`: a missing field, or a login over 254 characters (field issues `required`, `login_too_long`)"),
        (status = 429, description = "Too many attempts from this address, or too many wrong passwords for this account (from this address, from everywhere, or from this device)"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    client_ip: ClientIp,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    if body.login.trim().is_empty() || body.password.is_empty() {
        let field = if body.login.trim().is_empty() {
            "login"
        } else {
            "password"
        };
        return Err(ApiError::invalid_field(field, FieldIssue::Required));
    }
    if body.login.chars().count() > MAX_LOGIN_CHARS {
        return Err(ApiError::invalid_field("login", FieldIssue::LoginTooLong));
    }
    let login = LoginIdentifier::parse(&body.login);
    state.rate_limits.password_attempt(client_ip.0)?;

    let unknown_account = BudgetKey::of("login", login.key().as_bytes());
    let user = db::run(&state.pool, move |conn| {
        Ok(queries::find_user_by_login(conn, &login)?)
    })
    .await?;
    let device_cookie = req.cookie(DEVICE_COOKIE);
    let device_cookie = device_cookie.as_ref().map(|c| c.value());
    // Email and handle are one account: its budget is keyed by its id.
    let guess = PasswordGuess {
        ip: client_ip.0,
        account: user
            .as_ref()
            .map_or(unknown_account, |user| account_budget_key(user.id)),
        device: user
            .as_ref()
            .and_then(|user| state.devices.recognise(device_cookie, user.id)),
    };
    let stored_hash = user.as_ref().map(|user| user.password_hash.clone());
    let matches = verify_within_limits(&state, &guess, &body.password, stored_hash).await?;
    let Some(user) = user.filter(|_| matches) else {
        return Err(ApiError::unauthorized(
            ErrorCode::InvalidCredentials,
            "The login or password is incorrect.",
        ));
    };
    let device =
        state
            .devices
            .after_sign_in(device_cookie, user.id, state.config.served_over_https());

    let refresh_token = new_refresh_token();
    let refresh_hash = hash_refresh_token(&refresh_token);
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|agent| agent.chars().take(USER_AGENT_MAX).collect::<String>());
    let ip = client_ip.0.to_string();
    let (user_id, remember) = (user.id, body.remember);
    let session = db::run(&state.pool, move |conn| {
        Ok(queries::start_session(
            conn,
            &SessionStart {
                user_id,
                remember,
                user_agent: user_agent.as_deref(),
                ip: Some(&ip),
                refresh_token_hash: &refresh_hash,
            },
        )?)
    })
    .await?;
    tracing::info!(user.id = %user.id, session.id = %session.id, "signed in");
    let mut response = token_response(
        &state,
        &req,
        &user,
        session.id,
        Some(refresh_token),
        remember,
    );
    response.add_cookie(&device).map_err(ApiError::internal)?;
    Ok(response)
}

/// Exchange a refresh token for a new access token and refresh token.
///
/// The refresh token comes from the body or the `noxchat_refresh` cookie. Each
/// refresh token works once; presenting a used one again signs the whole
/// session out (`refresh_token_reused`), as it suggests the token was stolen,
/// at any time while the session lives. Within 30 s of its use it is taken
/// for another tab refreshing at the same moment: the answer is a new access
/// token without a refresh token.
#[utoipa::path(
    tag = "accounts",
    request_body(content = Option<RefreshRequest>, description = "Optional when the cookie is sent"),
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 401, description = "`refresh_token_missing`, `invalid_refresh_token` or `refresh_token_reused`"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh_tokens(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Option<web::Json<RefreshRequest>>,
) -> Result<HttpResponse, ApiError> {
    let Some(presented) = presented_refresh_token(&req, body) else {
        return Err(ApiError::unauthorized(
            ErrorCode::RefreshTokenMissing,
            "Send the refresh token in the body or the refresh cookie.",
        ));
    };
    let presented_hash = hash_refresh_token(&presented);
    let next_token = new_refresh_token();
    let next_hash = hash_refresh_token(&next_token);
    let outcome = db::run(&state.pool, move |conn| {
        let outcome = queries::rotate_refresh_token(conn, &presented_hash, &next_hash, Utc::now())?;
        let user = match &outcome {
            RefreshOutcome::Rotated(session) | RefreshOutcome::JustRotated(session) => {
                users::find(conn, session.user_id)?
            }
            _ => None,
        };
        Ok((outcome, user))
    })
    .await?;
    match outcome {
        (RefreshOutcome::Rotated(session), Some(user)) => Ok(token_response(
            &state,
            &req,
            &user,
            session.id,
            Some(next_token),
            session.remember,
        )),
        (RefreshOutcome::JustRotated(session), Some(user)) => Ok(token_response(
            &state,
            &req,
            &user,
            session.id,
            None,
            session.remember,
        )),
        (RefreshOutcome::Reused, _) => {
            tracing::warn!("a rotated refresh token was reused; its session is revoked");
            Ok(with_refresh_cookie_removed(&state, ApiError::unauthorized(
                ErrorCode::RefreshTokenReused,
                "This refresh token was already used; the session has been signed out for safety.",
            ).error_response()))
        }
        _ => Ok(with_refresh_cookie_removed(
            &state,
            ApiError::unauthorized(
                ErrorCode::InvalidRefreshToken,
                "The refresh token is not valid or its session has ended.",
            )
            .error_response(),
        )),
    }
}

/// Sign out.
///
/// Ends the session of the refresh token (body or cookie) and, when an access
/// token is sent, its session too. Always succeeds.
#[utoipa::path(
    tag = "accounts",
    request_body(content = Option<RefreshRequest>, description = "Optional when the cookie or a bearer token is sent"),
    responses((status = 204, description = "Signed out; the refresh cookie is cleared")),
    security((), ("bearer" = []))
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Option<AuthUser>,
    body: Option<web::Json<RefreshRequest>>,
) -> Result<HttpResponse, ApiError> {
    let refresh_hash = presented_refresh_token(&req, body).map(|token| hash_refresh_token(&token));
    let bearer = auth.map(|auth| (auth.user.id, auth.session_id));
    db::run(&state.pool, move |conn| {
        if let Some(hash) = refresh_hash {
            queries::revoke_session_of_refresh_token(conn, &hash)?;
        }
        if let Some((user_id, session_id)) = bearer {
            queries::revoke_own_session(conn, user_id, session_id)?;
        }
        Ok(())
    })
    .await?;
    Ok(with_refresh_cookie_removed(
        &state,
        HttpResponse::NoContent().finish(),
    ))
}

/// List my live sessions (devices signed in).
#[utoipa::path(
    tag = "accounts",
    responses(
        (status = 200, description = "Live sessions, most recently used first", body = SessionList),
        (status = 401, description = "Not signed in"),
    ),
    security(("bearer" = []))
)]
#[get("/auth/sessions")]
pub async fn list_sessions(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> Result<web::Json<SessionList>, ApiError> {
    let (user_id, current) = (auth.user.id, auth.session_id);
    let sessions = db::run(&state.pool, move |conn| {
        Ok(queries::list_active_sessions(conn, user_id)?)
    })
    .await?;
    Ok(web::Json(SessionList {
        items: sessions
            .into_iter()
            .map(|s| SessionResponse::new(s, current))
            .collect(),
        next_cursor: None,
    }))
}

/// Sign out one of my sessions (for example a lost phone).
#[utoipa::path(
    tag = "accounts",
    params(("id" = SessionId, Path, description = "Session id")),
    responses(
        (status = 204, description = "The session is signed out"),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such live session of mine (`session_not_found`)"),
    ),
    security(("bearer" = []))
)]
#[delete("/auth/sessions/{id}")]
pub async fn revoke_session(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<SessionId>,
) -> Result<HttpResponse, ApiError> {
    let (user_id, session_id) = (auth.user.id, path.into_inner());
    let ended = db::run(&state.pool, move |conn| {
        Ok(queries::revoke_own_session(conn, user_id, session_id)?)
    })
    .await?;
    if !ended {
        return Err(ApiError::not_found(
            ErrorCode::SessionNotFound,
            "You have no live session with this id.",
        ));
    }
    Ok(HttpResponse::NoContent().finish())
}

fn presented_refresh_token(
    req: &HttpRequest,
    body: Option<web::Json<RefreshRequest>>,
) -> Option<String> {
    body.and_then(|body| body.into_inner().refresh_token)
        .or_else(|| {
            req.cookie(REFRESH_COOKIE)
                .map(|cookie| cookie.value().to_owned())
        })
        .filter(|token| !token.is_empty())
}

/// Whether the request comes from a page in a browser: browsers always send
/// `Sec-Fetch-Site` (or, older ones, `Origin` on a POST), and a page's
/// scripts can neither remove nor forge either. Such clients get the
/// refresh token only as the httpOnly cookie, so a script injected into the
/// page can never read it; other clients get it in the body too.
fn is_browser(req: &HttpRequest) -> bool {
    let headers = req.headers();
    headers.contains_key("sec-fetch-site") || headers.contains_key(header::ORIGIN)
}

fn token_response(
    state: &AppState,
    req: &HttpRequest,
    user: &User,
    session_id: SessionId,
    refresh_token: Option<String>,
    remember: bool,
) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response.insert_header((header::CACHE_CONTROL, "no-store"));
    if let Some(token) = &refresh_token {
        let mut cookie = refresh_cookie(state, token.clone());
        if remember {
            cookie = cookie.max_age(CookieDuration::seconds(
                queries::session_lifetime(true).num_seconds(),
            ));
        }
        response.cookie(cookie.finish());
    }
    response.json(TokenResponse {
        access_token: state.tokens.issue_access(user.id, session_id),
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_SECONDS,
        refresh_token: refresh_token.filter(|_| !is_browser(req)),
        user: MeResponse::from(user),
    })
}
