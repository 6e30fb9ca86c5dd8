//! `AuthUser`: the extractor that makes a handler require a signed-in user.
//! The bearer token must be valid and its session still live, so signing a
//! session out takes effect at once, not when the token expires.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use uuid::Uuid;

use super::models::User;
use super::queries;
use super::tokens::TokenError;
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

pub struct AuthUser {
    pub user: User,
    pub session_id: Uuid,
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
                    "authentication_required",
                    "Sign in and send the access token as `Authorization: Bearer …`.",
                )
            })?;
            let claims = state
                .tokens
                .verify_access(&token)
                .map_err(|error| match error {
                    TokenError::Expired => ApiError::unauthorized(
                        "token_expired",
                        "The access token has expired; refresh it.",
                    ),
                    TokenError::Invalid => {
                        ApiError::unauthorized("invalid_token", "The access token is not valid.")
                    }
                })?;
            let (session_id, user_id) = (claims.sid, claims.sub);
            let user = db::run(&state.pool, move |conn| {
                let user = queries::active_session_user(conn, session_id, user_id)?;
                if user.is_some() {
                    crate::people::queries::touch_last_seen(conn, user_id)?;
                }
                Ok(user)
            })
            .await?
            .ok_or_else(|| {
                ApiError::unauthorized("session_ended", "This session has been signed out.")
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
