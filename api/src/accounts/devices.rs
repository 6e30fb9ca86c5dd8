//! Device cookies (as OWASP describes them): after a device signs in to an
//! account, it keeps a token naming that account, signed by the server. Its
//! later password guesses for the account spend a budget of its own, so
//! strangers failing at the account elsewhere cannot lock its owner out.
//!
//! The cookie holds up to [`MAX_ACCOUNTS`] entries (people share devices),
//! each `base64url(nonce ‖ HMAC(account id ‖ nonce))`; the account id itself
//! is not in it.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore as _;
use sha2::Sha256;

use crate::core::UserId;
use crate::rate_limit::BudgetKey;

pub const DEVICE_COOKIE: &str = "noxchat_device";
/// Sent only where passwords are checked for signing in.
const DEVICE_COOKIE_PATH: &str = "/api/v1/auth/login";
const MAX_ACCOUNTS: usize = 5;
const NONCE_BYTES: usize = 16;
const TAG_BYTES: usize = 16;
const LIFETIME_DAYS: i64 = 365;

#[derive(Clone)]
pub struct DeviceCookies {
    key: Vec<u8>,
}

impl DeviceCookies {
    pub fn new(secret: &[u8]) -> Self {
        // A key of its own, so a device tag can never stand for anything
        // else signed with the secret.
        let mut key = b"noxchat device cookies\0".to_vec();
        key.extend_from_slice(secret);
        Self { key }
    }

    fn tag(&self, user: UserId, nonce: &[u8]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key");
        mac.update(user.as_uuid().as_bytes());
        mac.update(nonce);
        mac
    }

    /// The budget key of this device for `user`, if the cookie holds a
    /// genuine entry for that account.
    pub fn recognise(&self, cookie: Option<&str>, user: UserId) -> Option<BudgetKey> {
        entries(cookie).find_map(|entry| {
            let bytes = URL_SAFE_NO_PAD.decode(entry).ok()?;
            if bytes.len() != NONCE_BYTES + TAG_BYTES {
                return None;
            }
            let (nonce, tag) = bytes.split_at(NONCE_BYTES);
            self.tag(user, nonce)
                .verify_truncated_left(tag)
                .ok()
                .map(|()| BudgetKey::of("device", nonce))
        })
    }

    /// The cookie to set after `user` signed in: their entry first (kept if
    /// the device had one), then the others, at most [`MAX_ACCOUNTS`].
    pub fn after_sign_in(
        &self,
        cookie: Option<&str>,
        user: UserId,
        secure: bool,
    ) -> Cookie<'static> {
        let own = entries(cookie)
            .find(|entry| self.recognise(Some(*entry), user).is_some())
            .map_or_else(|| self.new_entry(user), str::to_owned);
        let others = entries(cookie).filter(|entry| *entry != own);
        let value = std::iter::once(own.as_str())
            .chain(others)
            .take(MAX_ACCOUNTS)
            .collect::<Vec<_>>()
            .join("~");
        Cookie::build(DEVICE_COOKIE, value)
            .path(DEVICE_COOKIE_PATH)
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Strict)
            .max_age(CookieDuration::days(LIFETIME_DAYS))
            .finish()
    }

    fn new_entry(&self, user: UserId) -> String {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        let tag = self.tag(user, &nonce).finalize().into_bytes();
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&tag[..TAG_BYTES]);
        URL_SAFE_NO_PAD.encode(bytes)
    }
}

/// Well-formed entries only, and no more than a cookie of ours holds.
fn entries(cookie: Option<&str>) -> impl Iterator<Item = &str> {
    cookie
        .unwrap_or_default()
        .split('~')
        .filter(|entry| entry.len() <= 64 && !entry.is_empty())
        .take(MAX_ACCOUNTS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_recognised_only_for_the_accounts_it_signed_in_to() {
        let devices = DeviceCookies::new(b"a secret of enough length for tests");
        let (ann, bob) = (UserId::generate(), UserId::generate());
        let cookie = devices.after_sign_in(None, ann, false);
        let value = cookie.value().to_owned();
        let key = devices.recognise(Some(&value), ann).expect("ann's device");
        assert!(devices.recognise(Some(&value), bob).is_none());

        let both = devices.after_sign_in(Some(&value), bob, false);
        assert_eq!(devices.recognise(Some(both.value()), ann), Some(key));
        assert!(devices.recognise(Some(both.value()), bob).is_some());

        let other_server = DeviceCookies::new(b"another secret, another server!!!");
        assert!(other_server.recognise(Some(both.value()), ann).is_none());
        assert!(devices.recognise(Some("not~base64!~"), ann).is_none());
    }
}
