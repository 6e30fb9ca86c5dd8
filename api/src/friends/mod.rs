//! Friends: requests, friendships and blocks.

pub mod dto;
mod handlers;
pub mod queries;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    use handlers::*;
    cfg.service(send_friend_request)
        .service(list_incoming_friend_requests)
        .service(list_outgoing_friend_requests)
        .service(accept_friend_request)
        .service(decline_friend_request)
        .service(cancel_friend_request)
        .service(get_friends_summary)
        .service(list_friends)
        .service(remove_friend)
        .service(block_user)
        .service(unblock_user)
        .service(list_blocks);
}
