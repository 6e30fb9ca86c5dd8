//! Media: avatar upload, processing and storage, and serving stored files
//! and generated default avatars.

pub mod avatars;
pub mod decoding;
mod handlers;
mod initials;
pub mod picture_upload;
pub mod pictures;
pub mod queries;
mod serve;
pub mod uploads;

use utoipa_actix_web::service_config::ServiceConfig;

/// The API endpoints, under `/api/v1`.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::upload_avatar)
        .service(handlers::delete_avatar)
        .service(picture_upload::upload_picture);
}

/// The files themselves, under `/media`.
pub fn file_routes(cfg: &mut ServiceConfig) {
    serve::routes(cfg);
}
