//! Profiles, avatars, account deletion and the user directory.

use actix_multipart::{Multipart, MultipartError};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, put, web};
use chrono::Utc;
use futures_util::StreamExt;

use super::directory::{self, Cursor, DirectoryError};
use super::domain::Bio;
use super::dto::{
    DeleteAccountRequest, PageQuery, ProfileStats, PublicProfile, UpdateMeRequest, UserPage,
};
use super::queries::{self, ProfileChanges, UpdateProfileError};
use crate::accounts::auth::MaybeAuthUser;
use crate::accounts::domain::{DisplayName, FieldCheck, Handle};
use crate::accounts::dto::MeResponse;
use crate::accounts::{AuthUser, with_refresh_cookie_removed};
use crate::db;
use crate::error::{ApiError, Problem};
use crate::friends;
use crate::http::ClientIp;
use crate::media::AvatarUrls;
use crate::media::avatars::{self, AvatarError, MAX_UPLOAD_BYTES};
use crate::pagination;
use crate::state::AppState;

/// Change my profile and privacy settings.
#[utoipa::path(
    tag = "people",
    request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "The updated account", body = MeResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Handle taken (`handle_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
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
    let user = db::run(&state.pool, move |conn| {
        let changes = ProfileChanges {
            display_name: display_name.as_ref().map(DisplayName::as_str),
            bio: bio.as_ref().map(Bio::as_str),
            locale: body.locale.map(|l| l.as_str()),
            handle: handle.as_ref().map(Handle::as_str),
            message_privacy: body.message_privacy.map(|p| p.as_str()),
            show_online_status: body.show_online_status,
            updated_at: Utc::now(),
        };
        queries::update_profile(conn, user_id, &changes).map_err(|error| match error {
            UpdateProfileError::HandleTaken => {
                ApiError::conflict("handle_taken", "This handle is already taken.")
                    .on_field("handle", "is already taken")
            }
            UpdateProfileError::Database(error) => error.into(),
        })
    })
    .await?;
    Ok(web::Json(MeResponse::from(&user)))
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
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong password (`invalid_password`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong attempts", body = Problem, content_type = "application/problem+json"),
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
        return Err(
            ApiError::invalid_field("password", "is incorrect").with_code("invalid_password")
        );
    }
    let user_id = user.id;
    let avatar_key = db::run(&state.pool, move |conn| {
        Ok(queries::delete_user(conn, user_id)?)
    })
    .await?;
    if let Some(key) = avatar_key {
        let store = state.avatars.clone();
        let _ = web::block(move || store.delete(&key)).await;
    }
    tracing::info!(user.id = %user_id, "account deleted");
    Ok(with_refresh_cookie_removed(
        &state,
        HttpResponse::NoContent().finish(),
    ))
}

fn avatar_problem(error: AvatarError) -> ApiError {
    match error {
        AvatarError::UnsupportedType => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_image_type",
            "Upload a JPEG, PNG, WebP or GIF image.",
        ),
        AvatarError::Undecodable => {
            ApiError::invalid_field("file", "is damaged or incomplete").with_code("invalid_image")
        }
        AvatarError::TooLarge => {
            ApiError::invalid_field("file", "has too many pixels (at most 12000 on a side)")
                .with_code("image_too_large")
        }
        AvatarError::Encode(message) => ApiError::internal(message),
    }
}

fn too_big() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "An avatar may be at most 10 MiB.",
    )
}

fn multipart_problem(error: MultipartError) -> ApiError {
    match error {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible
        | MultipartError::BoundaryMissing => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "multipart_required",
            "Send the image as multipart/form-data in a field named `file`.",
        ),
        other => ApiError::bad_request(
            "malformed_multipart",
            format!("The upload could not be read: {other}."),
        ),
    }
}

/// Reads the `file` field, refusing as soon as it passes the size limit.
async fn read_file_field(mut payload: Multipart) -> Result<Vec<u8>, ApiError> {
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(multipart_problem)?;
        if field.name() != Some("file") {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(multipart_problem)?;
            if bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
                return Err(too_big());
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(bytes);
    }
    Err(ApiError::invalid_field("file", "is required").with_code("file_required"))
}

/// Upload my avatar.
///
/// JPEG, PNG, WebP or GIF (first frame), up to 10 MiB. The image is turned
/// upright from its EXIF orientation, cropped to a centred square and stored
/// at 256×256 and 64×64 as JPEG with no metadata.
#[utoipa::path(
    tag = "people",
    request_body(content_type = "multipart/form-data", description = "A field named `file` holding the image"),
    responses(
        (status = 200, description = "The account with its new avatar", body = MeResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over 10 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not an image we take (`unsupported_image_type`), or not multipart", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`file_required`, `invalid_image` (damaged) or `image_too_large` (too many pixels)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/me/avatar")]
pub async fn upload_avatar(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    payload: Multipart,
) -> Result<web::Json<MeResponse>, ApiError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    // Multipart framing adds a little; anything far beyond the limit is refused unread.
    if declared.is_some_and(|length| length > MAX_UPLOAD_BYTES + 64 * 1024) {
        return Err(too_big());
    }
    let upload = read_file_field(payload).await?;
    // Decoding may take hundreds of MiB: a few at a time, the rest wait.
    let _permit = state
        .image_work
        .acquire()
        .await
        .map_err(ApiError::internal)?;
    let processed = web::block(move || avatars::process(&upload))
        .await
        .map_err(ApiError::internal)?
        .map_err(avatar_problem)?;
    let user_id = auth.user.id;
    let store = state.avatars.clone();
    let key = web::block(move || store.save(user_id, &processed))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let new_key = key.clone();
    let stored = db::run(&state.pool, move |conn| {
        let previous = queries::replace_avatar_key(conn, user_id, Some(&new_key))?;
        let user = crate::accounts::queries::find_user(conn, user_id)?;
        Ok((previous, user))
    })
    .await;
    let store = state.avatars.clone();
    match stored {
        Ok((previous, Some(user))) => {
            if let Some(previous) = previous.filter(|previous| *previous != key) {
                let _ = web::block(move || store.delete(&previous)).await;
            }
            Ok(web::Json(MeResponse::from(&user)))
        }
        // Nothing half-written: without the database row, the files go too.
        Ok((_, None)) => {
            let _ = web::block(move || store.delete(&key)).await;
            Err(ApiError::unauthorized(
                "session_ended",
                "This account no longer exists.",
            ))
        }
        Err(error) => {
            let _ = web::block(move || store.delete(&key)).await;
            Err(error)
        }
    }
}

/// Remove my avatar; the generated initials are shown instead.
#[utoipa::path(
    tag = "people",
    responses(
        (status = 200, description = "The account without an avatar", body = MeResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/me/avatar")]
pub async fn delete_avatar(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> Result<web::Json<MeResponse>, ApiError> {
    let user_id = auth.user.id;
    let (previous, user) = db::run(&state.pool, move |conn| {
        let previous = queries::replace_avatar_key(conn, user_id, None)?;
        Ok((
            previous,
            crate::accounts::queries::find_user(conn, user_id)?,
        ))
    })
    .await?;
    if let Some(previous) = previous {
        let store = state.avatars.clone();
        let _ = web::block(move || store.delete(&previous)).await;
    }
    let user = user
        .ok_or_else(|| ApiError::unauthorized("session_ended", "This account no longer exists."))?;
    Ok(web::Json(MeResponse::from(&user)))
}

/// A user's public profile; signed in, also how I relate to them.
#[utoipa::path(
    tag = "people",
    params(("handle" = String, Path, description = "Any letter case")),
    responses(
        (status = 200, body = PublicProfile),
        (status = 401, description = "A bearer token was sent but is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user (`user_not_found`)", body = Problem, content_type = "application/problem+json"),
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
        let user = queries::find_by_handle(conn, &handle)?.ok_or_else(|| {
            ApiError::not_found("user_not_found", "There is no user with this handle.")
        })?;
        let friends = queries::friends_count(conn, user.id)?;
        let (relationship, request_id, blocked, blocked_by_them) = match viewer {
            Some(viewer) => {
                let (relationship, request_id) =
                    friends::queries::relationship(conn, viewer, user.id)?;
                let blocked = friends::queries::has_blocked(conn, viewer, user.id)?;
                let blocked_by_them = friends::queries::has_blocked(conn, user.id, viewer)?;
                (
                    Some(relationship),
                    request_id,
                    Some(blocked),
                    blocked_by_them,
                )
            }
            None => (None, None, None, false),
        };
        Ok(PublicProfile {
            avatar: AvatarUrls::of(user.id, &user.display_name, user.avatar_key.as_deref()),
            // Someone this user blocked does not get to watch when they are online.
            last_seen_at: user
                .last_seen_at
                .filter(|_| user.show_online_status && !blocked_by_them),
            stats: ProfileStats {
                topics: 0,
                posts: 0,
                friends,
            },
            relationship,
            friend_request_id: request_id,
            blocked,
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
/// in alphabetical order. Pages are linked by `next_cursor`.
#[utoipa::path(
    tag = "people",
    params(PageQuery),
    responses(
        (status = 200, body = UserPage),
        (status = 400, description = "`invalid_cursor`, `invalid_limit` or `invalid_query`", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    viewer: MaybeAuthUser,
    query: web::Query<PageQuery>,
) -> Result<web::Json<UserPage>, ApiError> {
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    if query
        .q
        .as_deref()
        .is_some_and(|q| q.chars().count() > PageQuery::MAX_Q)
    {
        return Err(ApiError::bad_request(
            "invalid_query",
            "`q` may be at most 100 characters.",
        ));
    }
    let cursor = query
        .cursor
        .as_deref()
        .map(|text| Cursor::decode(text).ok_or_else(pagination::invalid_cursor))
        .transpose()?;
    let viewer = viewer.0.map(|auth| auth.user.id);
    let page = db::run(&state.pool, move |conn| {
        directory::search(conn, viewer, query.q.as_deref(), cursor, limit).map_err(|error| {
            match error {
                DirectoryError::CursorMismatch => pagination::invalid_cursor(),
                DirectoryError::Database(error) => error.into(),
            }
        })
    })
    .await?;
    Ok(web::Json(page))
}
