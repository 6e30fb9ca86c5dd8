//! Password hashing with argon2id at OWASP's parameters, always run on the
//! blocking pool: a hash costs tens of milliseconds of CPU.

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::ApiError;

/// m = 19 MiB, t = 2, p = 1 (OWASP Password Storage Cheat Sheet).
const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;
pub const MAX_CONCURRENT_HASHES: usize = 8;

#[derive(Clone)]
pub struct Passwords {
    argon2: Argon2<'static>,
    /// Each hash takes 19 MiB and a core: at most this many at once, so a
    /// burst of sign-ins queues instead of exhausting memory.
    running: std::sync::Arc<tokio::sync::Semaphore>,
    /// Verified against when the account does not exist, so that an unknown
    /// login costs as much time as a wrong password.
    dummy_hash: String,
}

impl Passwords {
    pub fn new() -> Self {
        let argon2 = Self::argon2();
        let dummy_hash = argon2
            .hash_password(b"not a real password; used to even out timing")
            .expect("hashing works at start-up")
            .to_string();
        Self {
            argon2,
            dummy_hash,
            running: std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_HASHES)),
        }
    }

    /// The hasher with NoxChat's parameters.
    pub fn argon2() -> Argon2<'static> {
        let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
            .expect("OWASP argon2 parameters are valid");
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }

    pub async fn hash(&self, password: &str) -> Result<String, ApiError> {
        let _permit = self.running.acquire().await.map_err(ApiError::internal)?;
        let argon2 = self.argon2.clone();
        let password = password.to_owned();
        actix_web::web::block(move || {
            argon2
                .hash_password(password.as_bytes())
                .map(|hash| hash.to_string())
                .map_err(|e| ApiError::internal(format!("argon2: {e}")))
        })
        .await
        .map_err(ApiError::internal)?
    }

    /// `false` for a wrong password and for a missing account alike, in similar time.
    pub async fn verify(
        &self,
        password: &str,
        stored_hash: Option<String>,
    ) -> Result<bool, ApiError> {
        let argon2 = self.argon2.clone();
        let password = password.to_owned();
        let (hash, exists) = match stored_hash {
            Some(hash) => (hash, true),
            None => (self.dummy_hash.clone(), false),
        };
        let _permit = self.running.acquire().await.map_err(ApiError::internal)?;
        let matches = actix_web::web::block(move || {
            argon2
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok()
        })
        .await
        .map_err(ApiError::internal)?;
        Ok(exists && matches)
    }
}

impl Default for Passwords {
    fn default() -> Self {
        Self::new()
    }
}
