//! `AuthUser`: the extractor that makes a handler require a signed-in user.
//! The bearer token must be valid and its session still live, so signing a
//! session out takes effect at once, not when the token expires.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use futures_util::future::LocalBoxFuture;

use super::ids::{SessionId, UserId};
use super::tokens::TokenError;
use super::users::{self, User};
use crate::db;
use crate::db::schema::sessions;
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// The refresh token's httpOnly cookie, sent only to the auth endpoints.
pub const REFRESH_COOKIE: &str = "noxchat_refresh";
pub const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";

pub struct AuthUser {
    pub user: User,
    pub session_id: SessionId,
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("AppState is not registered"))?;
            let token = token.ok_or_else(|| {
                ApiError::unauthorized(
                    ErrorCode::AuthenticationRequired,
                    "Sign in and send the access token as `Authorization: Bearer …`.",
                )
            })?;
            let claims = state
                .tokens
                .verify_access(&token)
                .map_err(|error| match error {
                    TokenError::Expired => ApiError::unauthorized(
                        ErrorCode::TokenExpired,
                        "The access token has expired; refresh it.",
                    ),
                    TokenError::Invalid => ApiError::unauthorized(
                        ErrorCode::InvalidToken,
                        "The access token is not valid.",
                    ),
                })?;
            let (session_id, user_id) = (claims.sid, claims.sub);
            let user = db::run(&state.pool, move |conn| {
                let user = active_session_user(conn, session_id, user_id)?;
                let now = Utc::now();
                if let Some(user) = user.as_ref().filter(|user| user.last_seen_is_stale(now)) {
                    users::touch_last_seen(conn, user.id, now)?;
                }
                Ok(user)
            })
            .await?
            .ok_or_else(|| {
                ApiError::unauthorized(ErrorCode::SessionEnded, "This session has been signed out.")
            })?;
            tracing::Span::current().record("user.id", tracing::field::display(user.id));
            Ok(AuthUser { user, session_id })
        })
    }
}

/// For endpoints open to everyone that say more to a signed-in user. No
/// `Authorization` header means anonymous; a bad one is still a 401, so a
/// client learns its token expired instead of silently seeing less.
pub struct MaybeAuthUser(pub Option<AuthUser>);

impl FromRequest for MaybeAuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if req.headers().get(header::AUTHORIZATION).is_none() {
            return Box::pin(async { Ok(MaybeAuthUser(None)) });
        }
        let auth = AuthUser::from_request(req, payload);
        Box::pin(async move { auth.await.map(|auth| MaybeAuthUser(Some(auth))) })
    }
}

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|token| !token.is_empty())
}

/// The user behind a live session, or `None` once it ended.
pub fn active_session_user(
    conn: &mut PgConnection,
    session_id: SessionId,
    user_id: UserId,
) -> QueryResult<Option<User>> {
    sessions::table
        .inner_join(crate::db::schema::users::table)
        .filter(sessions::id.eq(session_id))
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(Utc::now()))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// The refresh cookie carrying `value`, as the browser must store it.
pub fn refresh_cookie(
    state: &AppState,
    value: String,
) -> actix_web::cookie::CookieBuilder<'static> {
    Cookie::build(REFRESH_COOKIE, value)
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .secure(state.config.served_over_https())
        .same_site(SameSite::Strict)
}

/// Clears the refresh cookie on `response` (sign-out, account deletion).
pub fn with_refresh_cookie_removed(state: &AppState, mut response: HttpResponse) -> HttpResponse {
    let cookie = refresh_cookie(state, String::new()).finish();
    // A failure here only means the cookie stays until it expires server-side.
    let _ = response.add_removal_cookie(&cookie);
    response
}

/// Until when the session stays signed in, if it still is (not ended, not
/// expired, its account not deleted).
pub fn session_live_until(
    conn: &mut PgConnection,
    session_id: SessionId,
    user_id: UserId,
) -> QueryResult<Option<DateTime<Utc>>> {
    sessions::table
        .filter(sessions::id.eq(session_id))
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(Utc::now()))
        .select(sessions::expires_at)
        .first(conn)
        .optional()
}
