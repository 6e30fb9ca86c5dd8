//! Password hashing with argon2id at OWASP's parameters, on a pool of its own.
//!
//! Memory: each hash needs 19 MiB of working memory. The pool has one thread
//! per core (at most [`MAX_HASHING_THREADS`]) and each thread allocates its
//! 19 MiB once and reuses it, so hashing holds at most
//! `threads × 19 MiB` however many people sign in at once; the rest queue.

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::RngCore as _;

use crate::core::work_pool::{WorkPool, threads_for_cores};
use crate::error::ApiError;

/// m = 19 MiB, t = 2, p = 1 (OWASP Password Storage Cheat Sheet).
const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;
const SALT_BYTES: usize = 16;
const OUTPUT_BYTES: usize = 32;
/// The most hashing threads, whatever the number of cores.
pub const MAX_HASHING_THREADS: usize = 8;

#[derive(Clone)]
pub struct Passwords {
    pool: WorkPool<Vec<Block>>,
}

/// Verified against when the account does not exist, so that an unknown
/// login costs as much time as a wrong password: a hash of nothing (no
/// password can match it, and `verify` says `false` anyway), with the
/// parameters `hash` uses, so it costs the same. A constant, rather than
/// one hashed at start, which took a start's worth of time.
const UNKNOWN_ACCOUNT_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$bm94Y2hhdC1kdW1teS1zYQ$bm94Y2hhdDogbm8gYWNjb3VudCBoYXMgdGhpcyBvbmU";

impl Passwords {
    pub fn new() -> Self {
        let pool = WorkPool::start("argon2", threads_for_cores(MAX_HASHING_THREADS), || {
            vec![Block::default(); params().block_count()]
        })
        .expect("the hashing threads start");
        Self { pool }
    }

    pub async fn hash(&self, password: &str) -> Result<String, ApiError> {
        let password = password.to_owned();
        self.pool
            .run(move |memory| hash_with(password.as_bytes(), memory))
            .await
            .map_err(ApiError::internal)?
            .map_err(|e| ApiError::internal(format!("argon2: {e}")))
    }

    /// `false` for a wrong password and for a missing account alike, in similar time.
    pub async fn verify(
        &self,
        password: &str,
        stored_hash: Option<String>,
    ) -> Result<bool, ApiError> {
        let password = password.to_owned();
        let (hash, exists) = match stored_hash {
            Some(hash) => (hash, true),
            None => (UNKNOWN_ACCOUNT_HASH.to_owned(), false),
        };
        let matches = self
            .pool
            .run(move |memory| verify_with(password.as_bytes(), &hash, memory))
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

/// Hashes on the calling thread, with memory of its own: for one-off
/// commands (`noxchat seed`), not for request handlers.
pub fn hash_here(password: &str) -> Result<String, argon2::Error> {
    hash_with(
        password.as_bytes(),
        &mut vec![Block::default(); params().block_count()],
    )
}

fn params() -> Params {
    Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, Some(OUTPUT_BYTES))
        .expect("OWASP argon2 parameters are valid")
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`), computed in
/// the given working memory.
fn hash_with(password: &[u8], memory: &mut [Block]) -> Result<String, argon2::Error> {
    let params = params();
    let mut salt = [0u8; SALT_BYTES];
    rand::rng().fill_bytes(&mut salt);
    let mut output = [0u8; OUTPUT_BYTES];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(password, &salt, &mut output, &mut *memory)?;
    // These conversions fail only for out-of-range sizes, which the fixed
    // sizes above are not.
    let params = ParamsString::try_from(&params).map_err(|_| argon2::Error::OutputTooShort)?;
    let salt = Salt::new(&salt).map_err(|_| argon2::Error::SaltTooShort)?;
    let output = Output::new(&output).map_err(|_| argon2::Error::OutputTooShort)?;
    Ok(PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params,
        salt: Some(salt),
        hash: Some(output),
    }
    .to_string())
}

/// Whether `password` matches the PHC string `stored`, computed with the
/// parameters it names. A stored hash needing more memory than this thread
/// keeps (from older, heavier settings) gets its own for that once.
fn verify_with(password: &[u8], stored: &str, memory: &mut [Block]) -> bool {
    let Ok(stored) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&stored.salt, &stored.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Ok(version)) = (
        Algorithm::try_from(stored.algorithm.as_str()),
        Params::try_from(&stored),
        stored.version.map_or(Ok(Version::V0x13), Version::try_from),
    ) else {
        return false;
    };
    let needed = params.block_count();
    let mut own_memory;
    let blocks: &mut [Block] = if needed <= memory.len() {
        &mut memory[..needed]
    } else {
        own_memory = vec![Block::default(); needed];
        &mut own_memory
    };
    let mut computed = vec![0u8; expected.len()];
    if Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password, salt, &mut computed, blocks)
        .is_err()
    {
        return false;
    }
    // `Output`'s equality is constant-time.
    Output::new(&computed).is_ok_and(|computed| computed == *expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::PasswordHasher as _;

    fn memory() -> Vec<Block> {
        vec![Block::default(); params().block_count()]
    }

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let mut memory = memory();
        let hash = hash_with(b"correct horse", &mut memory).unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_with(b"correct horse", &hash, &mut memory));
        assert!(!verify_with(b"battery staple", &hash, &mut memory));
        assert!(!verify_with(b"correct horse", "not a hash", &mut memory));
    }

    #[test]
    fn hashes_made_by_the_argon2_crate_itself_still_verify() {
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
        let stored = argon2.hash_password(b"from before").unwrap().to_string();
        assert!(verify_with(b"from before", &stored, &mut memory()));
        let heavier = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(MEMORY_KIB * 2, 1, 1, None).unwrap(),
        )
        .hash_password(b"heavier")
        .unwrap()
        .to_string();
        assert!(verify_with(b"heavier", &heavier, &mut memory()));
    }

    #[test]
    fn the_unknown_account_hash_costs_what_a_real_one_costs_and_matches_nothing() {
        let unknown = PasswordHash::new(UNKNOWN_ACCOUNT_HASH).unwrap();
        let real = hash_with(b"anything", &mut memory()).unwrap();
        let real = PasswordHash::new(&real).unwrap();
        assert_eq!(unknown.algorithm, real.algorithm);
        assert_eq!(unknown.version, real.version);
        assert_eq!(Params::try_from(&unknown).unwrap(), params());
        assert_eq!(unknown.salt.unwrap().len(), SALT_BYTES);
        assert_eq!(unknown.hash.unwrap().len(), OUTPUT_BYTES);
        assert!(!verify_with(b"", UNKNOWN_ACCOUNT_HASH, &mut memory()));
    }
}
