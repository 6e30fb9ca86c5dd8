//! Serving media: stored avatars (immutable, cached for a year) and
//! generated initials.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::avatars::is_stored_file_name;
use super::initials;
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_avatar_file)
        .service(get_picture_file)
        .service(get_initials_avatar);
}

fn not_found() -> ApiError {
    ApiError::not_found(ErrorCode::MediaNotFound, "There is no such file.")
}

/// An uploaded avatar. File names are content-derived, so the file at a URL
/// never changes and may be cached forever.
#[utoipa::path(
    tag = "media",
    params(("file" = String, Path, description = "`<key>-256.jpg` or `<key>-64.jpg`")),
    responses(
        (status = 200, description = "The JPEG image", content_type = "image/jpeg", body = Vec<u8>),
        (status = 404, description = "No such file"),
    )
)]
#[get("/media/avatars/{file}")]
pub async fn get_avatar_file(
    state: web::Data<AppState>,
    file: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let name = file.into_inner();
    if !is_stored_file_name(&name) {
        return Err(not_found());
    }
    jpeg_file(state.avatars.dir().join(&name)).await
}

/// A stored JPEG, cached for a year.
async fn jpeg_file(path: std::path::PathBuf) -> Result<HttpResponse, ApiError> {
    let bytes = web::block(move || std::fs::read(path))
        .await
        .map_err(ApiError::internal)?
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => not_found(),
            _ => ApiError::internal(error),
        })?;
    Ok(HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header((header::CACHE_CONTROL, IMMUTABLE))
        .body(bytes))
}

/// An uploaded picture or its thumbnail. Names are random and never reused,
/// so the file at a URL never changes and may be cached forever.
#[utoipa::path(
    tag = "media",
    params(("file" = String, Path, description = "`<key>.jpg` or `<key>-thumb.jpg`")),
    responses(
        (status = 200, description = "The JPEG image", content_type = "image/jpeg", body = Vec<u8>),
        (status = 404, description = "No such file"),
    )
)]
#[get("/media/uploads/{file}")]
pub async fn get_picture_file(
    state: web::Data<AppState>,
    file: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let name = file.into_inner();
    if !super::pictures::is_stored_file_name(&name) {
        return Err(not_found());
    }
    jpeg_file(state.pictures.dir().join(&name)).await
}

/// A generated default avatar: initials on a colour.
#[utoipa::path(
    tag = "media",
    params(
        ("hue" = u16, Path, description = "0–359"),
        ("initials" = String, Path, description = "Up to two letters, percent-encoded, then `.svg`"),
    ),
    responses(
        (status = 200, description = "The SVG image", content_type = "image/svg+xml", body = String),
        (status = 404, description = "Not a valid avatar address"),
    )
)]
#[get("/media/initials/{hue}/{initials}")]
pub async fn get_initials_avatar(path: web::Path<(u16, String)>) -> Result<HttpResponse, ApiError> {
    let (hue, file) = path.into_inner();
    let text = file.strip_suffix(".svg").ok_or_else(not_found)?;
    if hue >= 360 || text.is_empty() || text.chars().count() > 2 {
        return Err(not_found());
    }
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, IMMUTABLE))
        // An SVG is a document: `http::security_headers` forbids it scripts
        // should it ever be opened directly.
        .body(initials::svg(hue, text)))
}
