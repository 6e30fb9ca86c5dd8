//! Uploading and removing my avatar.

use actix_multipart::{Multipart, MultipartError};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, delete, put, web};
use diesel::{Connection, PgConnection};
use futures_util::StreamExt;

use super::avatars::{self, AvatarError, MAX_UPLOAD_BYTES};
use super::queries;
use crate::core::{AuthUser, MeResponse, users};
use crate::db;
use crate::error::{ApiError, ErrorCode, FieldIssue};
use crate::jobs::{self, Job};
use crate::state::AppState;

/// The multipart form of an avatar upload.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Describes the form for the spec; the handler streams it.
pub struct AvatarUpload {
    /// A JPEG, PNG, WebP or GIF image of at most 10 MiB.
    #[schema(value_type = String, format = Binary, content_media_type = "image/*")]
    file: Vec<u8>,
}

fn avatar_problem(error: AvatarError) -> ApiError {
    match error {
        AvatarError::UnsupportedType => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedImageType,
            "Upload a JPEG, PNG, WebP or GIF image.",
        ),
        AvatarError::Undecodable => ApiError::invalid_field("file", FieldIssue::DamagedFile)
            .with_code(ErrorCode::InvalidImage),
        AvatarError::TooLarge => ApiError::invalid_field("file", FieldIssue::TooManyPixels)
            .with_code(ErrorCode::ImageTooLarge),
        AvatarError::Encode(message) => ApiError::internal(message),
    }
}

fn too_big() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PayloadTooLarge,
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
            ErrorCode::MultipartRequired,
            "Send the image as multipart/form-data in a field named `file`.",
        ),
        other => ApiError::bad_request(
            ErrorCode::MalformedMultipart,
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
    Err(ApiError::invalid_field("file", FieldIssue::Required).with_code(ErrorCode::FileRequired))
}

/// Upload my avatar.
///
/// JPEG, PNG, WebP or GIF (first frame), up to 10 MiB. The image is turned
/// upright from its EXIF orientation, cropped to a centred square and stored
/// at 256×256 and 64×64 as JPEG with no metadata.
#[utoipa::path(
    tag = "people",
    request_body(content = AvatarUpload, content_type = "multipart/form-data", description = "A field named `file` holding the image"),
    responses(
        (status = 200, description = "The account with its new avatar", body = MeResponse),
        (status = 401, description = "Not signed in"),
        (status = 413, description = "Over 10 MiB"),
        (status = 415, description = "Not an image we take (`unsupported_image_type`), or not multipart"),
        (status = 422, description = "`file_required`, `invalid_image` (damaged) or `image_too_large` (too many pixels)"),
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
        // A user deleted meanwhile changes nothing and is not found after.
        conn.transaction(|conn| {
            let previous = queries::replace_avatar_key(conn, user_id, Some(&new_key))?;
            remove_files_later(conn, previous)?;
            Ok::<_, ApiError>(users::find(conn, user_id)?)
        })
    })
    .await;
    match stored {
        Ok(Some(user)) => Ok(web::Json(MeResponse::from(&user))),
        // Nothing half-written: without the database row, the files go too.
        Ok(None) => {
            discard_files(&state, key).await;
            Err(ApiError::unauthorized(
                ErrorCode::SessionEnded,
                "This account no longer exists.",
            ))
        }
        Err(error) => {
            discard_files(&state, key).await;
            Err(error)
        }
    }
}

/// The files of an upload whose database change did not happen.
async fn discard_files(state: &AppState, key: String) {
    let store = state.avatars.clone();
    if let Ok(Err(error)) = web::block(move || store.delete(&key)).await {
        tracing::warn!(%error, "could not remove the files of a failed avatar upload");
    }
}

/// The files of a replaced avatar go once the change has committed.
fn remove_files_later(conn: &mut PgConnection, previous: Option<String>) -> Result<(), ApiError> {
    if let Some(key) = previous {
        jobs::enqueue(conn, Job::RemoveAvatarFiles { key })?;
    }
    Ok(())
}

/// Remove my avatar; the generated initials are shown instead.
#[utoipa::path(
    tag = "people",
    responses(
        (status = 200, description = "The account without an avatar", body = MeResponse),
        (status = 401, description = "Not signed in"),
    ),
    security(("bearer" = []))
)]
#[delete("/me/avatar")]
pub async fn delete_avatar(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> Result<web::Json<MeResponse>, ApiError> {
    let user_id = auth.user.id;
    let user = db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let previous = queries::replace_avatar_key(conn, user_id, None)?;
            remove_files_later(conn, previous)?;
            Ok::<_, ApiError>(users::find(conn, user_id)?)
        })
    })
    .await?;
    let user = user.ok_or_else(|| {
        ApiError::unauthorized(ErrorCode::SessionEnded, "This account no longer exists.")
    })?;
    Ok(web::Json(MeResponse::from(&user)))
}
