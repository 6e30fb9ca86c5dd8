//! Uploading and removing my avatar.

use actix_multipart::{Multipart, MultipartError};
use actix_web::error::PayloadError;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, delete, put, web};
use diesel::{Connection, PgConnection};
use futures_util::StreamExt;

use super::avatars::{self, AvatarError, MAX_UPLOAD_BYTES};
use super::queries;
use super::uploads::{CappedBody, NoPlace, UploadSlot};
use crate::core::{AuthUser, MeResponse, UserId, users};
use crate::db;
use crate::error::{ApiError, ErrorCode, FieldIssue};
use crate::events;
use crate::jobs::{self, Job};
use crate::rate_limit::UserAction;
use crate::state::AppState;

/// The multipart form of an avatar upload.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Describes the form for the spec; the handler streams it.
pub struct AvatarUpload {
    /// A JPEG, PNG, WebP or GIF image of at most 10 MiB.
    #[schema(value_type = String, format = Binary, content_media_type = "image/*")]
    file: Vec<u8>,
}

pub(super) fn picture_problem(error: AvatarError) -> ApiError {
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
        AvatarError::TooSmall => ApiError::invalid_field("file", FieldIssue::TooFewPixels)
            .with_code(ErrorCode::ImageTooSmall),
        AvatarError::TooNarrow => ApiError::invalid_field("file", FieldIssue::TooNarrow)
            .with_code(ErrorCode::ImageTooNarrow),
        AvatarError::Encode(message) => ApiError::internal(message),
    }
}

fn too_big() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PayloadTooLarge,
        "An image may be at most 10 MiB.",
    )
}

/// Multipart framing (boundaries, part headers) on top of the file itself.
const FRAMING_ALLOWANCE: usize = 64 * 1024;

fn no_place(reason: NoPlace) -> ApiError {
    let detail = match reason {
        NoPlace::YoursInFlight => "Your previous upload is still in progress.",
        NoPlace::AllTaken => "Too many uploads are in progress; try again in a moment.",
    };
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::TooManyUploads,
        detail,
    )
    .with_retry_after(std::time::Duration::from_secs(5))
}

fn timed_out() -> ApiError {
    ApiError::new(
        StatusCode::REQUEST_TIMEOUT,
        ErrorCode::UploadTimedOut,
        "The upload took too long to arrive.",
    )
}

fn multipart_problem(error: MultipartError) -> ApiError {
    match error {
        MultipartError::Payload(PayloadError::Overflow) => too_big(),
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

/// The image in an upload's `file` field, after the checks every image
/// upload takes before and while its body is read: its declared size, the
/// person's rate `limit`, that they are not banned, a place among the uploads in flight (held, with
/// the returned slot, until the caller is done processing), the size of
/// what actually arrives, and the upload timeout.
pub(super) async fn receive_image(
    state: &AppState,
    req: &HttpRequest,
    body: web::Payload,
    user_id: UserId,
    limit: UserAction,
) -> Result<(Vec<u8>, UploadSlot), ApiError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    // Anything declared beyond the limit is refused unread.
    if declared.is_some_and(|length| length > MAX_UPLOAD_BYTES + FRAMING_ALLOWANCE) {
        return Err(too_big());
    }
    state.rate_limits.user_action(user_id, limit)?;
    // A banned person reads, and uploads nothing.
    db::run(&state.pool, move |conn| {
        crate::policy::refuse_banned(conn, user_id, chrono::Utc::now())
    })
    .await?;
    let slot = state.uploads.take(user_id).await.map_err(no_place)?;
    let capped = CappedBody::new(body, MAX_UPLOAD_BYTES + FRAMING_ALLOWANCE);
    let multipart = Multipart::new(req.headers(), capped);
    let upload = tokio::time::timeout(state.config.upload_timeout, read_file_field(multipart))
        .await
        .map_err(|_| timed_out())??;
    Ok((upload, slot))
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
/// JPEG, PNG, WebP or GIF (first frame), up to 10 MiB and about 20
/// megapixels, at least 32 pixels a side and no side over 10 times the other.
/// The image is turned upright from its EXIF orientation, cropped to a
/// centred square and stored at 256×256 and 64×64 as JPEG with no metadata.
/// One upload per account at a time; the body must arrive within the upload
/// timeout.
#[utoipa::path(
    tag = "people",
    request_body(content = AvatarUpload, content_type = "multipart/form-data", description = "A field named `file` holding the image"),
    responses(
        (status = 200, description = "The account with its new avatar", body = MeResponse),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "`banned`"),
        (status = 408, description = "`upload_timed_out`: the body took longer than the upload timeout (60 s unless configured)"),
        (status = 413, description = "Over 10 MiB, however the body is framed"),
        (status = 415, description = "Not an image we take (`unsupported_image_type`), or not multipart"),
        (status = 422, description = "`file_required`, `invalid_image` (damaged), `image_too_large` (too many pixels), `image_too_small` (a side under 32 pixels) or `image_too_narrow` (one side over 10 times the other)"),
        (status = 429, description = "`too_many_uploads`: this account already has an upload in flight, or the server has as many as it takes at once; `rate_limited`: over 10 uploads at once, then 10 an hour"),
    ),
    security(("bearer" = []))
)]
#[put("/me/avatar")]
pub async fn upload_avatar(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    body: web::Payload,
) -> Result<web::Json<MeResponse>, ApiError> {
    let user_id = auth.user.id;
    let (upload, _slot) =
        receive_image(&state, &req, body, user_id, UserAction::AvatarUpload).await?;
    let processed = state
        .images
        .run(move |()| avatars::process(&upload))
        .await
        .map_err(ApiError::internal)?
        .map_err(picture_problem)?;
    // Storing runs as a task of its own, so that a client hanging up now
    // cannot stop it between writing the files and recording them.
    let state = state.into_inner();
    actix_web::rt::spawn(async move { store(&state, user_id, processed).await })
        .await
        .map_err(ApiError::internal)?
        .map(web::Json)
}

/// Writes the files and records them, or removes them again.
async fn store(
    state: &AppState,
    user_id: UserId,
    processed: avatars::ProcessedAvatar,
) -> Result<MeResponse, ApiError> {
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
            let user = users::find(conn, user_id)?;
            if let Some(user) = &user {
                events::queries::publish_profile_changed(conn, user, chrono::Utc::now())?;
            }
            Ok::<_, ApiError>(user)
        })
    })
    .await;
    match stored {
        Ok(Some(user)) => Ok(MeResponse::from(&user)),
        // Nothing half-written: without the database row, the files go too.
        Ok(None) => {
            discard_files(state, key).await;
            Err(ApiError::unauthorized(
                ErrorCode::SessionEnded,
                "This account no longer exists.",
            ))
        }
        Err(error) => {
            discard_files(state, key).await;
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
            let user = users::find(conn, user_id)?;
            if let Some(user) = &user {
                events::queries::publish_profile_changed(conn, user, chrono::Utc::now())?;
            }
            Ok::<_, ApiError>(user)
        })
    })
    .await?;
    let user = user.ok_or_else(|| {
        ApiError::unauthorized(ErrorCode::SessionEnded, "This account no longer exists.")
    })?;
    Ok(web::Json(MeResponse::from(&user)))
}
