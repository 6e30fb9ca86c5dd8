//! `POST /api/v1/uploads`: a picture for a post (later a message), stored
//! until something refers to it; one nothing refers to goes after a day.

use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::{Duration, Utc};
use diesel::prelude::*;

use super::handlers::{picture_problem, receive_image};
use super::pictures::{self, ProcessedPicture};
use crate::core::pictures::Picture;
use crate::core::{AuthUser, UploadId, UserId};
use crate::db;
use crate::db::schema::uploads;
use crate::error::ApiError;
use crate::jobs::{self, Job};
use crate::rate_limit::UserAction;
use crate::state::AppState;

/// How long a picture nothing refers to is kept.
pub const UNATTACHED_KEPT: Duration = Duration::days(1);

/// The multipart form of a picture upload.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Describes the form for the spec; the handler streams it.
pub struct PictureUpload {
    /// A JPEG, PNG, WebP or GIF image of at most 10 MiB.
    #[schema(value_type = String, format = Binary, content_media_type = "image/*")]
    file: Vec<u8>,
}

/// Upload a picture for a post.
///
/// JPEG, PNG, WebP or GIF (first frame), up to 10 MiB and about 20
/// megapixels. It is turned upright from its EXIF orientation and stored,
/// without metadata, as a JPEG of at most 1600 pixels on its long side and
/// a thumbnail of at most 400, both in its own proportions. Refer to it in
/// a post's `image_ids` (and show it in the Markdown with its `url`) within
/// a day, or it is removed.
#[utoipa::path(
    tag = "media",
    request_body(content = PictureUpload, content_type = "multipart/form-data", description = "A field named `file` holding the image"),
    responses(
        (status = 201, description = "The stored picture", body = Picture),
        (status = 403, description = "`banned`"),
        (status = 408, description = "`upload_timed_out`: the body took longer than the upload timeout (60 s unless configured)"),
        (status = 413, description = "Over 10 MiB, however the body is framed"),
        (status = 415, description = "Not an image we take (`unsupported_image_type`), or not multipart"),
        (status = 422, description = "`file_required`, `invalid_image` (damaged) or `image_too_large` (too many pixels)"),
        (status = 429, description = "`too_many_uploads`: an upload of this account is in flight, or the server has as many as it takes; `rate_limited`: over 30 at once, then one per 10 s"),
    ),
    security(("bearer" = []))
)]
#[post("/uploads")]
pub async fn upload_picture(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let user_id = auth.user.id;
    let (upload, _slot) =
        receive_image(&state, &req, body, user_id, UserAction::PictureUpload).await?;
    let processed = state
        .images
        .run(move |()| pictures::process(&upload))
        .await
        .map_err(ApiError::internal)?
        .map_err(picture_problem)?;
    // Storing runs as a task of its own, so that a client hanging up now
    // cannot stop it between writing the files and recording them.
    let state = state.into_inner();
    let picture = actix_web::rt::spawn(async move { store(&state, user_id, processed).await })
        .await
        .map_err(ApiError::internal)??;
    Ok(HttpResponse::Created().json(picture))
}

/// Writes the files and records them, or removes them again.
async fn store(
    state: &AppState,
    owner: UserId,
    processed: ProcessedPicture,
) -> Result<Picture, ApiError> {
    let store = state.pictures.clone();
    let (size, thumbnail) = (
        to_i32(processed.display_size),
        to_i32(processed.thumbnail_size),
    );
    let key = web::block(move || store.save(&processed))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let id = UploadId::generate();
    let recorded_key = key.clone();
    let recorded = db::run(&state.pool, move |conn| {
        diesel::insert_into(uploads::table)
            .values((
                uploads::id.eq(id),
                uploads::owner_id.eq(owner),
                uploads::key.eq(&recorded_key),
                uploads::width.eq(size.0),
                uploads::height.eq(size.1),
                uploads::thumbnail_width.eq(thumbnail.0),
                uploads::thumbnail_height.eq(thumbnail.1),
                uploads::created_at.eq(Utc::now()),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await;
    if let Err(error) = recorded {
        // Nothing half-written: without the row, the files go too.
        let store = state.pictures.clone();
        let doomed = key.clone();
        if let Ok(Err(problem)) = web::block(move || store.delete(&doomed)).await {
            tracing::warn!(error = %problem, "could not remove the files of a failed upload");
        }
        return Err(error);
    }
    Ok(Picture::new(id, &key, size, thumbnail))
}

fn to_i32((width, height): (u32, u32)) -> (i32, i32) {
    (
        i32::try_from(width).unwrap_or(i32::MAX),
        i32::try_from(height).unwrap_or(i32::MAX),
    )
}

/// Removes pictures nothing referred to within [`UNATTACHED_KEPT`]: their
/// rows now, their files once this commits. How many went.
pub fn remove_unattached(
    conn: &mut PgConnection,
    now: chrono::DateTime<Utc>,
) -> QueryResult<usize> {
    conn.transaction(|conn| {
        let keys: Vec<String> = diesel::delete(
            uploads::table
                .filter(uploads::attached_at.is_null())
                .filter(uploads::created_at.lt(now - UNATTACHED_KEPT)),
        )
        .returning(uploads::key)
        .get_results(conn)?;
        let count = keys.len();
        if count > 0 {
            jobs::enqueue(conn, Job::RemovePictureFiles { keys })?;
        }
        Ok(count)
    })
}
