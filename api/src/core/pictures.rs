//! How an uploaded picture appears on the wire, wherever it is used (posts,
//! messages): its id, where its two sizes are served, and their sizes; and
//! the columns of `uploads` it is read from, for every query that shows
//! pictures.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ids::UploadId;
use crate::db::schema::uploads;

/// Where uploaded pictures are served from; the Markdown renderer shows
/// images from here only.
pub const UPLOADS_PATH: &str = "/media/uploads/";

/// The columns of `uploads` a [`Picture`] is made of, to select beside
/// whatever shows it: `.select((post_images::post_id, PICTURE_COLUMNS))`.
pub const PICTURE_COLUMNS: (
    uploads::id,
    uploads::key,
    uploads::width,
    uploads::height,
    uploads::thumbnail_width,
    uploads::thumbnail_height,
) = (
    uploads::id,
    uploads::key,
    uploads::width,
    uploads::height,
    uploads::thumbnail_width,
    uploads::thumbnail_height,
);

/// What [`PICTURE_COLUMNS`] load.
pub type PictureRow = (UploadId, String, i32, i32, i32, i32);

/// An uploaded picture.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Picture {
    pub id: UploadId,
    /// At most 1600 pixels on its long side; JPEG.
    #[schema(example = "/media/uploads/3f9a….jpg")]
    pub url: String,
    pub width: i32,
    pub height: i32,
    /// At most 400 pixels on its long side; JPEG.
    #[schema(example = "/media/uploads/3f9a…-thumb.jpg")]
    pub thumbnail_url: String,
    pub thumbnail_width: i32,
    pub thumbnail_height: i32,
}

impl Picture {
    /// The picture stored under `key` with these sizes.
    pub fn from_row((id, key, width, height, thumb_width, thumb_height): PictureRow) -> Self {
        Self::new(id, &key, (width, height), (thumb_width, thumb_height))
    }

    pub fn new(id: UploadId, key: &str, size: (i32, i32), thumbnail: (i32, i32)) -> Self {
        Self {
            id,
            url: format!("{UPLOADS_PATH}{key}.jpg"),
            width: size.0,
            height: size.1,
            thumbnail_url: format!("{UPLOADS_PATH}{key}-thumb.jpg"),
            thumbnail_width: thumbnail.0,
            thumbnail_height: thumbnail.1,
        }
    }
}

/// Of `uploads`, those nothing shows any more (no post, no message) become
/// unattached again, so the sweep of unused pictures removes them, files
/// and all, once they are a day old.
pub fn release_unshown(
    conn: &mut diesel::PgConnection,
    uploads: &[UploadId],
) -> diesel::QueryResult<usize> {
    use crate::db::schema::{message_images, post_images, uploads};
    use diesel::prelude::*;
    if uploads.is_empty() {
        return Ok(0);
    }
    diesel::update(
        uploads::table
            .filter(uploads::id.eq_any(uploads))
            .filter(diesel::dsl::not(diesel::dsl::exists(
                post_images::table.filter(post_images::upload_id.eq(uploads::id)),
            )))
            .filter(diesel::dsl::not(diesel::dsl::exists(
                message_images::table.filter(message_images::upload_id.eq(uploads::id)),
            ))),
    )
    .set(uploads::attached_at.eq(None::<chrono::DateTime<chrono::Utc>>))
    .execute(conn)
}
