//! Black-box tests: each starts the real NoxChat server on a random port
//! against a fresh PostgreSQL database and talks to it over HTTP.

// Everything here is test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod accounts;
mod asyncapi;
mod avatars;
mod banned;
mod bans;
mod categories;
mod chat_conversations;
mod chat_messages;
mod chat_muting;
mod chat_receipts;
mod chat_reconnect;
mod chat_rooms;
mod chat_sending_once;
mod chat_typing;
mod conventions;
mod database_restart;
mod directory;
mod events;
mod forum_hardening;
mod forum_scale;
mod forum_views;
mod friends;
mod handles;
mod jobs;
mod likes_and_reading;
mod mail;
mod metrics;
mod moderation;
mod moderation_reasons;
mod names;
mod notifications;
mod notifications_live;
mod openapi;
mod people;
mod per_user_limits;
mod pictures;
mod post_content;
mod post_moderation;
mod posts;
mod presence;
mod rate_limits;
mod realtime;
mod realtime_handover;
mod realtime_limits;
mod reports;
mod roles;
mod search_input;
mod search_meilisearch;
mod search_messages_and_people;
mod search_plans;
mod search_posts;
mod search_privacy;
mod search_topic_lists;
mod search_topics;
mod sessions;
mod spa;
mod tokens;
mod topic_moderation;
mod topics;
mod uploads;
