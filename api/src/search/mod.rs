//! Search: topics, posts, people and my messages, in Russian and English,
//! typo-tolerant, best matches first with highlights, through one endpoint.
//! PostgreSQL's full-text search is the default engine (the vectors and the
//! vocabulary of words for typos are kept by the database itself, in the
//! writing transaction; visibility is decided in the same statement as the
//! match); Meilisearch is used when `MEILI_URL` is set (see `meili`).

pub mod domain;
pub mod dto;
mod engine;
mod handlers;
mod highlight;
pub mod meili;
pub mod postgres;
mod ranking;
mod stems;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::search);
}
