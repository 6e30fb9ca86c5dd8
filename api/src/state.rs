//! What every handler can reach: the pool, settings and shared services.

use crate::accounts::devices::DeviceCookies;
use crate::config::Config;
use crate::core::passwords::Passwords;
use crate::core::tokens::TokenKeys;
use crate::core::work_pool::WorkPool;
use crate::db::DbPool;
use crate::media::avatars::AvatarStore;
use crate::media::pictures::PictureStore;
use crate::media::uploads::UploadSlots;
use crate::rate_limit::RateLimits;
use crate::realtime::Realtime;
use crate::supervisor::TaskBoard;

/// Image decodings at once: each may take about 100 MiB (see `avatars`).
pub const IMAGE_THREADS: usize = 2;

pub struct AppState {
    pub pool: DbPool,
    pub config: Config,
    pub tokens: TokenKeys,
    pub passwords: Passwords,
    pub rate_limits: RateLimits,
    pub devices: DeviceCookies,
    /// The health of background tasks, for `/readyz`.
    pub tasks: TaskBoard,
    pub avatars: AvatarStore,
    /// Pictures uploaded for posts and messages.
    pub pictures: PictureStore,
    /// Decodes and scales images, a few at a time (memory-heavy).
    pub images: WorkPool<()>,
    /// Places for uploads in flight, taken before their bodies are read.
    pub uploads: UploadSlots,
    /// The WebSocket gateway's connections on this instance.
    pub realtime: Realtime,
    /// Meilisearch, when configured; search runs on PostgreSQL otherwise.
    pub meili: Option<crate::search::meili::Meili>,
}

impl AppState {
    pub fn new(
        pool: DbPool,
        config: Config,
        tasks: TaskBoard,
        realtime: Realtime,
        meili: Option<crate::search::meili::Meili>,
    ) -> Self {
        Self {
            realtime,
            meili,
            tokens: TokenKeys::new(config.secret.expose().as_bytes()),
            passwords: Passwords::new(),
            rate_limits: RateLimits::new(config.rate_limits),
            devices: DeviceCookies::new(config.secret.expose().as_bytes()),
            avatars: AvatarStore::new(&config.data_dir, config.secret.expose().as_bytes()),
            pictures: PictureStore::new(&config.data_dir),
            images: WorkPool::start("images", IMAGE_THREADS, || ())
                .expect("the image threads start"),
            uploads: UploadSlots::default(),
            pool,
            config,
            tasks,
        }
    }
}
