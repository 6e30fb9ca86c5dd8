//! Topics: reading and starting them (`handlers`), changing them (`changes`).

pub mod changes;
pub mod handlers;
mod listing;
pub mod queries;
