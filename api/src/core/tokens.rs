//! Signed tokens. Access tokens and emailed links are HS256 JWTs; each kind
//! has its own audience, so one can never be used as another. Refresh tokens
//! are opaque random strings, stored only as hashes.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ids::{SessionId, UserId};

pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;
pub const PASSWORD_RESET_SECONDS: i64 = 30 * 60;
pub const EMAIL_VERIFICATION_SECONDS: i64 = 7 * 24 * 60 * 60;
const LEEWAY_SECONDS: u64 = 5;

const ACCESS: &str = "noxchat:access";
const PASSWORD_RESET: &str = "noxchat:password_reset";
const EMAIL_VERIFICATION: &str = "noxchat:email_verification";
const REGISTRATION: &str = "noxchat:registration";
/// How long a registration waits for its emailed link to be opened.
pub const REGISTRATION_SECONDS: i64 = 24 * 60 * 60;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the token has expired")]
    Expired,
    #[error("the token is invalid")]
    Invalid,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: UserId,
    /// The session the token belongs to; revoking it ends the token too.
    pub sid: SessionId,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PasswordResetClaims {
    pub sub: UserId,
    /// Fingerprint of the password hash at issue time: once the password
    /// changes (including by this very token) the token stops working.
    pub pwd: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct EmailVerificationClaims {
    pub sub: UserId,
    /// The address being verified; a changed email voids the link.
    pub email: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct RegistrationClaims {
    /// The pending registration the link completes.
    pub sub: uuid::Uuid,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl TokenKeys {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    pub fn issue_access(&self, user_id: UserId, session_id: SessionId) -> String {
        let now = Utc::now().timestamp();
        self.sign(&AccessClaims {
            sub: user_id,
            sid: session_id,
            aud: ACCESS.to_owned(),
            iat: now,
            exp: now + ACCESS_TOKEN_SECONDS,
        })
    }

    pub fn verify_access(&self, token: &str) -> Result<AccessClaims, TokenError> {
        self.verify(token, ACCESS)
    }

    pub fn issue_password_reset(&self, user_id: UserId, password_hash: &str) -> String {
        let now = Utc::now().timestamp();
        self.sign(&PasswordResetClaims {
            sub: user_id,
            pwd: password_fingerprint(password_hash),
            aud: PASSWORD_RESET.to_owned(),
            iat: now,
            exp: now + PASSWORD_RESET_SECONDS,
        })
    }

    pub fn verify_password_reset(&self, token: &str) -> Result<PasswordResetClaims, TokenError> {
        self.verify(token, PASSWORD_RESET)
    }

    pub fn issue_email_verification(&self, user_id: UserId, email: &str) -> String {
        let now = Utc::now().timestamp();
        self.sign(&EmailVerificationClaims {
            sub: user_id,
            email: email.to_owned(),
            aud: EMAIL_VERIFICATION.to_owned(),
            iat: now,
            exp: now + EMAIL_VERIFICATION_SECONDS,
        })
    }

    pub fn verify_email_verification(
        &self,
        token: &str,
    ) -> Result<EmailVerificationClaims, TokenError> {
        self.verify(token, EMAIL_VERIFICATION)
    }

    pub fn issue_registration(&self, pending_id: uuid::Uuid) -> String {
        let now = Utc::now().timestamp();
        self.sign(&RegistrationClaims {
            sub: pending_id,
            aud: REGISTRATION.to_owned(),
            iat: now,
            exp: now + REGISTRATION_SECONDS,
        })
    }

    pub fn verify_registration(&self, token: &str) -> Result<RegistrationClaims, TokenError> {
        self.verify(token, REGISTRATION)
    }

    fn sign(&self, claims: &impl Serialize) -> String {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .expect("HS256 signing of plain claims cannot fail")
    }

    fn verify<T: DeserializeOwned>(&self, token: &str, audience: &str) -> Result<T, TokenError> {
        // Only HS256 is accepted: `alg: none` and algorithm confusion fail here.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "aud", "sub"]);
        validation.leeway = LEEWAY_SECONDS;
        jsonwebtoken::decode::<T>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|error| match error.kind() {
                ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })
    }
}

pub fn password_fingerprint(password_hash: &str) -> String {
    let digest = Sha256::digest(password_hash.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..12])
}

/// A new opaque refresh token (256 random bits).
pub fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps instead of the refresh token itself.
pub fn hash_refresh_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(b"0123456789abcdef0123456789abcdef")
    }

    #[test]
    fn access_token_round_trips() {
        let (user, session) = (UserId::generate(), SessionId::generate());
        let claims = keys()
            .verify_access(&keys().issue_access(user, session))
            .expect("valid");
        assert_eq!((claims.sub, claims.sid), (user, session));
    }

    #[test]
    fn token_of_one_kind_is_not_accepted_as_another() {
        let reset = keys().issue_password_reset(UserId::generate(), "$argon2id$...");
        assert_eq!(
            keys().verify_access(&reset).unwrap_err(),
            TokenError::Invalid
        );
    }

    #[test]
    fn token_signed_with_another_secret_is_invalid() {
        let other = TokenKeys::new(b"another secret of thirty-two bytes!");
        let token = other.issue_access(UserId::generate(), SessionId::generate());
        assert_eq!(
            keys().verify_access(&token).unwrap_err(),
            TokenError::Invalid
        );
    }

    #[test]
    fn expired_token_is_reported_as_expired() {
        let now = Utc::now().timestamp();
        let token = keys().sign(&AccessClaims {
            sub: UserId::generate(),
            sid: SessionId::generate(),
            aud: ACCESS.to_owned(),
            iat: now - 3600,
            exp: now - 60,
        });
        assert_eq!(
            keys().verify_access(&token).unwrap_err(),
            TokenError::Expired
        );
    }

    #[test]
    fn unsigned_alg_none_token_is_invalid() {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let exp = Utc::now().timestamp() + 600;
        let body = URL_SAFE_NO_PAD.encode(format!(
            r#"{{"sub":"{}","sid":"{}","aud":"{ACCESS}","iat":0,"exp":{exp}}}"#,
            UserId::generate(),
            SessionId::generate()
        ));
        let token = format!("{header}.{body}.");
        assert_eq!(
            keys().verify_access(&token).unwrap_err(),
            TokenError::Invalid
        );
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let (a, b) = (new_refresh_token(), new_refresh_token());
        assert_ne!(a, b);
        assert_eq!(hash_refresh_token(&a).len(), 32);
        assert_ne!(hash_refresh_token(&a), hash_refresh_token(&b));
    }

    #[test]
    fn password_change_changes_the_fingerprint() {
        assert_ne!(
            password_fingerprint("$argon2id$a"),
            password_fingerprint("$argon2id$b")
        );
    }
}
