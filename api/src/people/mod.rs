//! People: profiles, privacy settings and the searchable user directory.

pub mod domain;
pub mod dto;
mod handlers;
pub mod queries;
pub mod roles;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::update_me)
        .service(handlers::list_users)
        .service(handlers::get_user)
        .service(roles::appoint_moderator)
        .service(roles::dismiss_moderator);
}
