//! How logs are written: their format, and the files kept besides stderr.

use std::path::PathBuf;

use super::ConfigError;
use super::values::{bad, parse_number};

const DEFAULT_MAX_SIZE_MB: u64 = 100;
const DEFAULT_MAX_FILES: usize = 14;
const BYTES_PER_MB: u64 = 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    pub(super) fn from_lookup(
        lookup: &impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        match lookup("NOXCHAT_LOG_FORMAT").as_deref() {
            None | Some("text") => Ok(Self::Text),
            Some("json") => Ok(Self::Json),
            Some(other) => Err(bad(
                "NOXCHAT_LOG_FORMAT",
                format!("expected `text` or `json`, got `{other}`"),
            )),
        }
    }
}

/// Log files NoxChat rotates itself (`NOXCHAT_LOG_DIR`), for installations
/// without Docker: under Docker, Docker keeps and rotates the logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogFiles {
    pub dir: PathBuf,
    /// A file this large is rotated, as is each day's at midnight (UTC).
    pub max_bytes: u64,
    /// Rotated files kept besides the one being written; older ones go.
    pub max_files: usize,
}

impl LogFiles {
    /// `None` when `NOXCHAT_LOG_DIR` is unset: logs go to stderr only.
    pub(super) fn from_lookup(
        lookup: &impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, ConfigError> {
        // Read even without a directory, so that a mistyped value is reported
        // now rather than on the day the directory is set.
        let max_size_mb: u64 =
            parse_number(lookup, "NOXCHAT_LOG_MAX_SIZE_MB", DEFAULT_MAX_SIZE_MB)?;
        let max_files: usize = parse_number(lookup, "NOXCHAT_LOG_MAX_FILES", DEFAULT_MAX_FILES)?;
        Ok(lookup("NOXCHAT_LOG_DIR").map(|dir| Self {
            dir: PathBuf::from(dir),
            max_bytes: max_size_mb.saturating_mul(BYTES_PER_MB),
            max_files,
        }))
    }
}
