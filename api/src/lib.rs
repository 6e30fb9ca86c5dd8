//! NoxChat server: a forum and a messenger in one.

pub mod accounts;
pub mod config;
pub mod core;
pub mod db;
pub mod error;
pub mod events;
pub mod forum;
pub mod friends;
pub mod health;
pub mod http;
pub mod jobs;
pub mod mail;
pub mod media;
pub mod moderation;
pub mod notifications;
pub mod openapi;
pub mod people;
pub mod policy;
pub mod private_files;
pub mod rate_limit;
pub mod realtime;
pub mod seed;
pub mod startup;
pub mod state;
pub mod supervisor;
pub mod telemetry;
