//! Posts: reading, writing, editing, deleting and restoring them.

pub mod handlers;
pub mod queries;
