//! The pictures a post shows: which of its author's uploads, in what
//! order, read for a whole page at once; and uploads no post shows any more
//! handed back to the sweep of unused pictures.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::core::pictures::{PICTURE_COLUMNS, Picture, PictureRow};
use crate::core::{PostId, UploadId, UserId};
use crate::db::schema::{post_images, uploads};

/// The pictures of each of `posts`, in order: one statement.
pub(super) fn images_of(
    conn: &mut PgConnection,
    posts: &[PostId],
) -> QueryResult<HashMap<PostId, Vec<Picture>>> {
    let rows: Vec<(PostId, PictureRow)> = post_images::table
        .inner_join(uploads::table)
        .filter(post_images::post_id.eq_any(posts))
        .order((post_images::post_id, post_images::position))
        .select((post_images::post_id, PICTURE_COLUMNS))
        .load(conn)?;
    let mut images: HashMap<PostId, Vec<Picture>> = HashMap::new();
    for (post, picture) in rows {
        images
            .entry(post)
            .or_default()
            .push(Picture::from_row(picture));
    }
    Ok(images)
}

/// The most pictures a post shows.
pub const MAX_IMAGES: usize = 10;

/// Has `post` show `images` (its author's own uploads, at most 10, repeats
/// once) in that order instead of what it showed, and marks them in use.
pub fn attach_images(
    conn: &mut PgConnection,
    post: PostId,
    author: UserId,
    images: &[UploadId],
    now: DateTime<Utc>,
) -> Result<(), crate::error::ApiError> {
    use crate::error::{ApiError, FieldIssue};
    let mut ordered: Vec<UploadId> = Vec::with_capacity(images.len());
    for image in images {
        if !ordered.contains(image) {
            ordered.push(*image);
        }
    }
    if ordered.len() > MAX_IMAGES {
        return Err(ApiError::invalid_field(
            "image_ids",
            FieldIssue::TooManyImages,
        ));
    }
    let owned: i64 = uploads::table
        .filter(uploads::id.eq_any(&ordered))
        .filter(uploads::owner_id.eq(author))
        .count()
        .get_result(conn)?;
    if usize::try_from(owned).ok() != Some(ordered.len()) {
        return Err(ApiError::invalid_field(
            "image_ids",
            FieldIssue::NoSuchUpload,
        ));
    }
    let shown_before: Vec<UploadId> =
        diesel::delete(post_images::table.filter(post_images::post_id.eq(post)))
            .returning(post_images::upload_id)
            .get_results(conn)?;
    let rows: Vec<_> = ordered
        .iter()
        .zip(1..)
        .map(|(upload, position): (&UploadId, i32)| {
            (
                post_images::post_id.eq(post),
                post_images::upload_id.eq(*upload),
                post_images::position.eq(position),
            )
        })
        .collect();
    diesel::insert_into(post_images::table)
        .values(&rows)
        .execute(conn)?;
    diesel::update(
        uploads::table
            .filter(uploads::id.eq_any(&ordered))
            .filter(uploads::attached_at.is_null()),
    )
    .set(uploads::attached_at.eq(now))
    .execute(conn)?;
    crate::core::pictures::release_unshown(conn, &shown_before)?;
    Ok(())
}
