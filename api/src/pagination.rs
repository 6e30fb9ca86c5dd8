//! Opaque keyset cursors for lists ordered newest first.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ApiError;

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 50;

/// The last item of a page: its time and id (the tie-breaker).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeCursor {
    pub t: DateTime<Utc>,
    pub i: Uuid,
}

impl TimeCursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    pub fn decode(text: &str) -> Result<Self, ApiError> {
        URL_SAFE_NO_PAD
            .decode(text)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(invalid_cursor)
    }
}

pub fn invalid_cursor() -> ApiError {
    ApiError::bad_request(
        "invalid_cursor",
        "The cursor is not one this list gave out.",
    )
}

/// A page size from the query: 1–50, 20 when absent.
pub fn limit(requested: Option<i64>) -> Result<i64, ApiError> {
    match requested {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::bad_request(
            "invalid_limit",
            "`limit` must be between 1 and 50.",
        )),
    }
}

/// Trims a page fetched with one extra row and says where the next one starts.
pub fn split_page<T>(
    mut rows: Vec<T>,
    limit: i64,
    cursor_of: impl Fn(&T) -> TimeCursor,
) -> (Vec<T>, Option<String>) {
    let limit = usize::try_from(limit).unwrap_or(0);
    let has_more = rows.len() > limit;
    rows.truncate(limit);
    let next = if has_more {
        rows.last().map(|row| cursor_of(row).encode())
    } else {
        None
    };
    (rows, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_garbage_is_refused() {
        let cursor = TimeCursor {
            t: Utc::now(),
            i: Uuid::new_v4(),
        };
        assert_eq!(TimeCursor::decode(&cursor.encode()).unwrap(), cursor);
        assert!(TimeCursor::decode("not-a-cursor").is_err());
    }

    #[test]
    fn limits_outside_one_to_fifty_are_refused() {
        assert_eq!(limit(None).unwrap(), 20);
        assert!(limit(Some(0)).is_err());
        assert!(limit(Some(51)).is_err());
    }

    #[test]
    fn a_full_page_points_at_its_last_row() {
        let now = Utc::now();
        let rows: Vec<(DateTime<Utc>, Uuid)> = (0..3).map(|_| (now, Uuid::new_v4())).collect();
        let (page, next) = split_page(rows.clone(), 2, |r| TimeCursor { t: r.0, i: r.1 });
        assert_eq!(page.len(), 2);
        assert_eq!(TimeCursor::decode(&next.unwrap()).unwrap().i, rows[1].1);
    }
}
