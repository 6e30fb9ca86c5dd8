//! The messenger: direct conversations (one per pair of people) and rooms,
//! messages numbered without gaps and sent at most once per client id,
//! read marks (with receipts for those who keep them on), and muting. Every change reaches every member's devices as
//! an event written in the same transaction.

pub mod domain;
pub mod dto;
mod handlers;
pub mod messages;
pub mod queries;
pub mod sending;
pub mod unread;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    use handlers::{conversations, messages, rooms};
    cfg.service(conversations::open_direct_conversation)
        .service(rooms::create_room)
        .service(conversations::list_conversations)
        .service(conversations::get_conversation)
        .service(rooms::rename_room)
        .service(rooms::add_room_member)
        .service(rooms::remove_room_member)
        .service(conversations::mute_conversation)
        .service(conversations::unmute_conversation)
        .service(conversations::mark_conversation_read)
        .service(messages::send_message)
        .service(messages::list_messages)
        .service(messages::edit_message)
        .service(messages::delete_message);
}
