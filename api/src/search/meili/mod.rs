//! Meilisearch, when `MEILI_URL` is set: four indexes (topics, posts,
//! messages, people) holding the stems of what people wrote and the
//! fields searches filter on, kept in step by the indexer from the queue
//! the database fills, and asked by the engine; PostgreSQL still decides
//! what each person may see, and what a hit shows.

pub mod documents;
pub mod hits;
pub mod indexer;
pub mod reindex;
pub mod search;

use std::time::Duration;

use meilisearch_sdk::client::Client;
use meilisearch_sdk::settings::{MinWordSizeForTypos, Settings, TypoToleranceSettings};
use meilisearch_sdk::task_info::TaskInfo;

use crate::config::MeiliSettings;

/// How long a write to Meilisearch may take to be applied.
const TASK_PATIENCE: Duration = Duration::from_secs(60);
/// How often a pending task is asked about.
const TASK_POLL: Duration = Duration::from_millis(25);

/// What Meilisearch keeps, one index each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexKind {
    Topics,
    Posts,
    Messages,
    People,
}

impl IndexKind {
    pub const ALL: [Self; 4] = [Self::Topics, Self::Posts, Self::Messages, Self::People];

    pub fn name(self) -> &'static str {
        match self {
            Self::Topics => "topics",
            Self::Posts => "posts",
            Self::Messages => "messages",
            Self::People => "people",
        }
    }

    /// Searched in this order: a match in the first ranks higher.
    fn searchable(self) -> &'static [&'static str] {
        match self {
            Self::Topics => &["title_words", "body_words"],
            Self::People => &["name_words"],
            Self::Posts | Self::Messages => &["words"],
        }
    }

    fn filterable(self) -> &'static [&'static str] {
        match self {
            Self::Topics => &["category_id", "author_id", "created_at"],
            Self::Posts => &["topic_id", "category_id", "author_id", "created_at"],
            Self::Messages => &["conversation_id", "sender_id", "created_at"],
            Self::People => &["id"],
        }
    }

    fn settings(self) -> Settings {
        Settings::new()
            .with_searchable_attributes(self.searchable())
            .with_filterable_attributes(self.filterable())
            .with_ranking_rules([
                "words",
                "typo",
                "proximity",
                "attribute",
                "sort",
                "exactness",
            ])
            .with_typo_tolerance(TypoToleranceSettings {
                enabled: Some(true),
                // One typo in a word of five letters, as the PostgreSQL
                // engine forgives, never two. Meilisearch sees stems, a
                // letter shorter than the word typed (`мишку` is `мишк`):
                // it counts from four.
                min_word_size_for_typos: Some(MinWordSizeForTypos {
                    one_typo: Some(4),
                    two_typos: Some(255),
                }),
                ..TypoToleranceSettings::default()
            })
    }
}

/// Why Meilisearch could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum MeiliError {
    #[error("Meilisearch: {0}")]
    Client(#[from] meilisearch_sdk::errors::Error),
    #[error("a Meilisearch task failed: {0}")]
    Task(String),
}

/// NoxChat's indexes in one Meilisearch.
#[derive(Clone)]
pub struct Meili {
    client: Client,
    prefix: String,
}

impl Meili {
    pub fn new(settings: &MeiliSettings) -> Result<Self, MeiliError> {
        let key = settings.key.as_ref().map(|key| key.expose().to_owned());
        let url = settings.url.as_str().trim_end_matches('/').to_owned();
        Ok(Self {
            client: Client::new(url, key)?,
            prefix: settings.index_prefix.clone(),
        })
    }

    /// The live index of a kind.
    pub fn index_name(&self, kind: IndexKind) -> String {
        format!("{}{}", self.prefix, kind.name())
    }

    /// Waits for a write to be applied; a failed one is an error.
    async fn applied(&self, task: TaskInfo) -> Result<(), MeiliError> {
        let task = task
            .wait_for_completion(&self.client, Some(TASK_POLL), Some(TASK_PATIENCE))
            .await?;
        if task.is_failure() {
            return Err(MeiliError::Task(task.unwrap_failure().error_message));
        }
        Ok(())
    }

    /// Applies a kind's settings to an index (making it if missing).
    async fn configure(&self, kind: IndexKind, name: &str) -> Result<(), MeiliError> {
        let index = self.client.index(name);
        self.applied(index.set_settings(&kind.settings()).await?)
            .await
    }

    /// Applies every live index's settings, making those that are missing:
    /// at start, before anything is sent.
    pub async fn apply_settings(&self) -> Result<(), MeiliError> {
        for kind in IndexKind::ALL {
            self.configure(kind, &self.index_name(kind)).await?;
        }
        Ok(())
    }
}
