//! Profiles and the user directory.

use actix_web::{get, patch, web};
use chrono::Utc;
use diesel::Connection;

use super::domain::Bio;
use super::dto::{ProfileStats, PublicProfile, UpdateMeRequest};
use super::queries::{self, ProfileChanges, UpdateProfileError};
use crate::core::directory;
use crate::core::list::{ListParams, ListQuery, Page};
use crate::core::validation::{DisplayName, FieldCheck, Handle};
use crate::core::{
    AuthUser, AvatarUrls, MaybeAuthUser, MeResponse, OnlineStatusVisibility, UserSummary, handles,
    users,
};
use crate::db;
use crate::error::{ApiError, ErrorCode};
use crate::events;
use crate::policy;
use crate::rate_limit::UserAction;
use crate::realtime::presence::queries as presence;
use crate::state::AppState;

/// Change my profile and privacy settings.
#[utoipa::path(
    tag = "people",
    request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "The updated account", body = MeResponse),
        (status = 401, description = "Not signed in"),
        (status = 409, description = "Handle taken (`handle_taken`), or given up by someone else in the last 30 days and held for them"),
        (status = 422, description = "Invalid fields (`validation_failed`)"),
        (status = 429, description = "`rate_limited`: a new handle more than 3 times at once, then 3 a day"),
    ),
    security(("bearer" = []))
)]
#[patch("/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<UpdateMeRequest>,
) -> Result<web::Json<MeResponse>, ApiError> {
    let body = body.into_inner();
    let mut check = FieldCheck::default();
    let display_name = body
        .display_name
        .as_deref()
        .map(|v| check.check("display_name", DisplayName::parse(v)));
    let bio = body
        .bio
        .as_deref()
        .map(|v| check.check("bio", Bio::parse(v)));
    let handle = body
        .handle
        .as_deref()
        .map(|v| check.check("handle", Handle::parse(v)));
    check.finish().map_err(ApiError::validation)?;
    let (display_name, bio, handle) = (display_name.flatten(), bio.flatten(), handle.flatten());
    let user_id = auth.user.id;
    // Saving a form that repeats the current handle changes nothing.
    if handle
        .as_ref()
        .is_some_and(|handle| handle.as_str() != auth.user.handle)
    {
        state
            .rate_limits
            .user_action(user_id, UserAction::HandleChange)?;
    }
    let online_status_visibility = body.online_status_visibility();
    let user = db::run(&state.pool, move |conn| {
        let changes = ProfileChanges {
            display_name: display_name.as_ref().map(DisplayName::as_str),
            bio: bio.as_ref().map(Bio::as_str),
            locale: body.locale,
            handle: handle.as_ref().map(Handle::as_str),
            message_privacy: body.message_privacy,
            online_status_visibility,
            read_receipts: body.read_receipts,
            updated_at: Utc::now(),
        };
        conn.transaction(|conn| {
            let user =
                queries::update_profile(conn, user_id, &changes).map_err(|error| match error {
                    UpdateProfileError::HandleTaken => handles::taken(),
                    UpdateProfileError::Database(error) => error.into(),
                })?;
            events::queries::publish_profile_changed(conn, &user, changes.updated_at)?;
            Ok(user)
        })
    })
    .await?;
    let shown = |visibility| visibility != OnlineStatusVisibility::Nobody;
    if shown(user.online_status_visibility) != shown(auth.user.online_status_visibility) {
        crate::realtime::presence::visibility_changed(
            &state,
            user_id,
            shown(user.online_status_visibility),
        )
        .await?;
    }
    Ok(web::Json(MeResponse::from(&user)))
}

/// A user's public profile; signed in, also how I relate to them.
#[utoipa::path(
    tag = "people",
    params(("handle" = String, Path, description = "Any letter case")),
    responses(
        (status = 200, body = PublicProfile),
        (status = 401, description = "A bearer token was sent but is not valid"),
        (status = 404, description = "No such user (`user_not_found`)"),
    ),
    security((), ("bearer" = []))
)]
#[get("/users/{handle}")]
pub async fn get_user(
    state: web::Data<AppState>,
    viewer: MaybeAuthUser,
    handle: web::Path<String>,
) -> Result<web::Json<PublicProfile>, ApiError> {
    let viewer = viewer.0.map(|auth| auth.user.id);
    let profile = db::run(&state.pool, move |conn| {
        let user = users::find_by_handle(conn, &handle)?.ok_or_else(|| {
            ApiError::not_found(
                ErrorCode::UserNotFound,
                "There is no user with this handle.",
            )
        })?;
        let friends = queries::friends_count(conn, user.id)?;
        let (topics, posts, likes_received) = queries::forum_figures(conn, user.id)?;
        let pair = viewer
            .map(|viewer| policy::pair(conn, viewer, user.id))
            .transpose()?;
        let relationship = pair.as_ref().map(policy::Pair::relationship);
        let presence_shown = policy::may_see_presence(pair.as_ref(), &user);
        let online = presence_shown
            .then(|| presence::is_online(conn, user.id, chrono::Utc::now()))
            .transpose()?;
        Ok(PublicProfile {
            avatar: AvatarUrls::of(user.id, &user.display_name, user.avatar_key.as_deref()),
            last_seen_at: user.last_seen_at.filter(|_| presence_shown),
            online,
            stats: ProfileStats {
                topics,
                posts,
                likes_received,
                friends,
            },
            relationship: relationship.map(|(relationship, _)| relationship),
            friend_request_id: relationship.and_then(|(_, request)| request),
            blocked: pair.map(|pair| pair.i_blocked_them),
            id: user.id,
            handle: user.handle,
            display_name: user.display_name,
            bio: user.bio,
            created_at: user.created_at,
        })
    })
    .await?;
    Ok(web::Json(profile))
}

/// Find people by name or handle, best matches first; without `q`, everyone
/// in alphabetical order. Pages are linked by `next_cursor`. People who
/// blocked me, or whom I blocked, are left out, which is why the directory
/// is for signed-in people only: signed out, a blocked person would see all.
#[utoipa::path(
    tag = "people",
    params(ListParams),
    responses(
        (status = 200, body = Page<UserSummary>),
        (status = 400, description = "`invalid_cursor`, `invalid_limit` or `invalid_query`"),
        (status = 401, description = "Not signed in"),
        (status = 429, description = "`rate_limited`: over 60 pages at once, then one a second"),
    ),
    security(("bearer" = []))
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    viewer: AuthUser,
    query: ListQuery,
) -> Result<web::Json<Page<UserSummary>>, ApiError> {
    let viewer = viewer.user.id;
    state
        .rate_limits
        .user_action(viewer, UserAction::DirectorySearch)?;
    let page = db::run(&state.pool, move |conn| {
        directory::search(conn, viewer, &query)
    })
    .await?;
    Ok(web::Json(page))
}
