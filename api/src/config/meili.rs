//! Search through Meilisearch: where it is and how NoxChat names its indexes.

use url::Url;

use super::values::bad;
use super::{ConfigError, Secret};

/// Where Meilisearch is, and the names of NoxChat's indexes there.
#[derive(Clone, Debug)]
pub struct MeiliSettings {
    pub url: Url,
    pub key: Option<Secret>,
    /// Put before each index's name (`topics`, `posts`, …), so that several
    /// installations (or test runs) can share one Meilisearch.
    pub index_prefix: String,
}

impl MeiliSettings {
    pub(super) fn from_lookup(
        lookup: &impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, ConfigError> {
        let Some(raw) = lookup("MEILI_URL") else {
            return Ok(None);
        };
        let url = Url::parse(&raw)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .ok_or_else(|| {
                bad(
                    "MEILI_URL",
                    "expected an http:// URL, e.g. `http://meilisearch:7700`",
                )
            })?;
        let index_prefix = lookup("MEILI_INDEX_PREFIX").unwrap_or_else(|| "noxchat_".to_owned());
        if !index_prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(bad(
                "MEILI_INDEX_PREFIX",
                "letters, digits, `_` and `-` only",
            ));
        }
        Ok(Some(Self {
            url,
            key: lookup("MEILI_KEY").map(Secret),
            index_prefix,
        }))
    }
}
