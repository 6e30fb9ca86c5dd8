//! The forum: categories now; topics, posts, likes and moderation follow.

pub mod categories;
pub mod domain;
pub mod markdown;
pub mod queries;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(categories::list_categories)
        .service(categories::reorder_categories)
        .service(categories::get_category)
        .service(categories::create_category)
        .service(categories::update_category)
        .service(categories::delete_category);
}
