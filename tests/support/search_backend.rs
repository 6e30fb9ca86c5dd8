//! The search tests run against PostgreSQL (the default) and, with
//! `NOXCHAT_TEST_SEARCH=meilisearch`, against Meilisearch: a real one when
//! `MEILI_URL` (and `MEILI_KEY`) are set in the environment, the fake of
//! `meili.rs` otherwise. Each test gets indexes of its own (a prefix), and
//! every search first waits until the index has taken every change.

use std::time::{Duration, Instant};

use super::TestApp;
use super::meili::FakeMeili;

/// How long the index may take to catch up before a test fails.
const PATIENCE: Duration = Duration::from_secs(20);

pub struct SearchBackend {
    url: String,
    key: Option<String>,
    prefix: String,
    /// Kept alive for the test; none with a real Meilisearch.
    _fake: Option<FakeMeili>,
}

impl SearchBackend {
    /// Meilisearch when the run asks for it; `None`: PostgreSQL.
    pub async fn for_tests() -> Option<Self> {
        if std::env::var("NOXCHAT_TEST_SEARCH").ok().as_deref() != Some("meilisearch") {
            return None;
        }
        let prefix = format!("test_{}_", uuid::Uuid::new_v4().simple());
        Some(match std::env::var("MEILI_URL") {
            Ok(url) => Self {
                url,
                key: std::env::var("MEILI_KEY").ok(),
                prefix,
                _fake: None,
            },
            Err(_) => {
                let fake = FakeMeili::start(Some("test-master-key")).await;
                Self {
                    url: fake.url(),
                    key: Some("test-master-key".to_owned()),
                    prefix,
                    _fake: Some(fake),
                }
            }
        })
    }

    /// The server's settings for it.
    pub fn settings(&self) -> Vec<(String, String)> {
        let mut settings = vec![
            ("MEILI_URL".to_owned(), self.url.clone()),
            ("MEILI_INDEX_PREFIX".to_owned(), self.prefix.clone()),
        ];
        if let Some(key) = &self.key {
            settings.push(("MEILI_KEY".to_owned(), key.clone()));
        }
        settings
    }
}

impl TestApp {
    /// Waits until the indexer has sent (and Meilisearch applied) every
    /// change queued so far.
    pub async fn wait_for_search_index(&self) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let db = self.db.clone();
            let pending = tokio::task::spawn_blocking(move || {
                let mut conn = db.connect();
                noxchat::search::meili::indexer::pending(&mut conn).expect("the queue is read")
            })
            .await
            .expect("the queue is read");
            if pending == 0 {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{pending} changes still wait for the search index"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
