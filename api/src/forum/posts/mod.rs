//! Posts: reading, writing, editing, deleting and restoring them.

mod by_author;
pub mod handlers;
mod images;
mod pages;
mod preview;
pub mod queries;

pub use by_author::list_user_posts;
pub use preview::preview_post;
