//! Test support: a fresh database per test, the real server on a random
//! port, and ways to read the email it sends.

pub mod app;
mod app_sockets;
pub mod chat;
pub mod database;
pub mod forum;
mod friends;
pub mod jobs;
pub mod mail;
pub mod meili;
pub mod pg_cluster;
pub mod search;
pub mod search_backend;
pub mod socket;

pub use app::TestApp;
