//! What every handler can reach: the pool, settings and shared services.

use crate::config::Config;
use crate::core::passwords::Passwords;
use crate::core::tokens::TokenKeys;
use crate::db::DbPool;
use crate::media::avatars::AvatarStore;
use crate::rate_limit::RateLimits;
use crate::supervisor::TaskBoard;

/// Image decodings at once: each may take hundreds of MiB.
pub const IMAGE_WORK_PERMITS: usize = 2;

pub struct AppState {
    pub pool: DbPool,
    pub config: Config,
    pub tokens: TokenKeys,
    pub passwords: Passwords,
    pub rate_limits: RateLimits,
    /// The health of background tasks, for `/readyz`.
    pub tasks: TaskBoard,
    pub avatars: AvatarStore,
    /// Bounds concurrent image decoding (memory-heavy).
    pub image_work: tokio::sync::Semaphore,
}

impl AppState {
    pub fn new(pool: DbPool, config: Config, tasks: TaskBoard) -> Self {
        Self {
            tokens: TokenKeys::new(config.secret.expose().as_bytes()),
            passwords: Passwords::new(),
            rate_limits: RateLimits::new(config.rate_limits),
            avatars: AvatarStore::new(&config.data_dir, config.secret.expose().as_bytes()),
            image_work: tokio::sync::Semaphore::new(IMAGE_WORK_PERMITS),
            pool,
            config,
            tasks,
        }
    }
}
