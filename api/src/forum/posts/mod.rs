//! Posts: reading, writing, editing, deleting and restoring them.

pub mod handlers;
mod images;
mod pages;
pub mod queries;
