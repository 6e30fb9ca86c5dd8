//! Accounts: registration, sign-in sessions with rotating refresh tokens,
//! email verification, password recovery and account deletion.

pub mod admins;
pub mod bans;
mod departure;
pub mod devices;
pub mod domain;
pub mod dto;
mod emails;
pub mod handlers;
pub mod models;
pub mod password_guard;
pub mod queries;
pub mod registrations;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    use handlers::{me, recovery, registration, sessions};
    cfg.service(registration::register)
        .service(registration::confirm_registration)
        .service(sessions::login)
        .service(sessions::refresh_tokens)
        .service(sessions::logout)
        .service(sessions::list_sessions)
        .service(sessions::revoke_session)
        .service(recovery::verify_email)
        .service(recovery::resend_verification_email)
        .service(recovery::forgot_password)
        .service(recovery::reset_password)
        .service(me::get_me)
        .service(me::change_password)
        .service(me::delete_me)
        .service(bans::list_bans)
        .service(bans::ban_user)
        .service(bans::unban_user);
}
