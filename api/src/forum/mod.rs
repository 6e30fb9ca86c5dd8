//! The forum: categories, topics and their posts, likes, and how far each
//! person has read and follows each topic.

pub mod categories;
pub mod domain;
pub mod dto;
mod errors;
pub mod likes;
pub mod markdown;
mod notices;
pub mod posts;
pub mod queries;
pub mod reading;
pub mod reports;
pub mod topics;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    use posts::handlers as post;
    use topics::{changes, handlers as topic};
    cfg.service(categories::list_categories)
        .service(categories::reorder_categories)
        .service(categories::get_category)
        .service(categories::create_category)
        .service(categories::update_category)
        .service(categories::delete_category)
        .service(topic::list_topics)
        .service(topic::list_category_topics)
        .service(topic::create_topic)
        .service(topic::get_topic)
        .service(changes::rename_topic)
        .service(changes::delete_topic)
        .service(changes::pin_topic)
        .service(changes::unpin_topic)
        .service(changes::lock_topic)
        .service(changes::unlock_topic)
        .service(changes::move_topic)
        .service(reading::mark_topic_read)
        .service(reading::watch_topic)
        .service(post::list_posts)
        .service(post::create_post)
        .service(posts::preview_post)
        .service(posts::list_user_posts)
        .service(post::get_post)
        .service(post::edit_post)
        .service(post::list_post_revisions)
        .service(post::delete_post)
        .service(post::restore_post)
        .service(likes::like_post)
        .service(likes::unlike_post)
        .service(likes::list_post_likes)
        .service(reports::report_post)
        .service(reports::list_reports)
        .service(reports::resolve_report)
        .service(reports::dismiss_report);
}
