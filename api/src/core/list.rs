//! The list vocabulary every list shares: one extractor for `limit`, `cursor`
//! and `q` with the same rules everywhere, one page shape, and opaque cursors
//! bound to the list and the query that issued them, so a cursor of one list
//! (or of another search) is refused by another with `invalid_cursor`.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures_util::future::{Ready, ready};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ErrorCode};

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 50;
pub const MAX_QUERY_CHARS: usize = 100;

/// The query parameters of every list, as documented; handlers take the
/// parsed [`ListQuery`].
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Filter or search text, at most 100 characters.
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// `next_cursor` of the previous page of the same list and query.
    pub cursor: Option<String>,
    /// Page size, 1–50 (default 20).
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<i64>,
}

/// A page of a list; pass `next_cursor` back as `cursor` for the next one.
#[derive(Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Null on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

/// Which way a cursor reads from its key: lists that open in the middle
/// (messages, a topic's posts) page both ways.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    #[serde(rename = "a")]
    After,
    #[serde(rename = "b")]
    Before,
}

/// A decoded cursor: the key of the row the previous page ended on.
#[derive(Debug, PartialEq)]
pub struct Cursor<K> {
    pub key: K,
    pub direction: Direction,
}

/// What a cursor carries on the wire: the list, a fingerprint of the query,
/// the direction and the key. Opaque to clients.
#[derive(Serialize, Deserialize)]
struct Envelope<K> {
    l: String,
    q: String,
    d: Direction,
    k: K,
}

/// `limit`, `q` and `cursor` from the query string, checked.
#[derive(Debug)]
pub struct ListQuery {
    /// 1–50.
    pub limit: i64,
    /// Trimmed; `None` when absent or blank.
    pub q: Option<String>,
    cursor: Option<String>,
}

impl ListQuery {
    pub fn parse(params: ListParams) -> Result<Self, ApiError> {
        let limit = match params.limit {
            None => DEFAULT_LIMIT,
            Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
            Some(_) => {
                return Err(ApiError::bad_request(
                    ErrorCode::InvalidLimit,
                    "`limit` must be between 1 and 50.",
                ));
            }
        };
        if params
            .q
            .as_deref()
            .is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS)
        {
            return Err(ApiError::bad_request(
                ErrorCode::InvalidQuery,
                "`q` may be at most 100 characters.",
            ));
        }
        let q = params
            .q
            .map(|q| q.trim().to_owned())
            .filter(|q| !q.is_empty());
        Ok(Self {
            limit,
            q,
            cursor: params.cursor.filter(|cursor| !cursor.is_empty()),
        })
    }

    /// Rows to fetch: one more than the page, to learn whether another follows.
    pub fn fetch_limit(&self) -> i64 {
        self.limit + 1
    }

    /// The cursor sent with this request, if it was issued by `list` for the
    /// same `q`.
    pub fn cursor<K: DeserializeOwned>(&self, list: &str) -> Result<Option<Cursor<K>>, ApiError> {
        let Some(text) = self.cursor.as_deref() else {
            return Ok(None);
        };
        let envelope: Envelope<K> = URL_SAFE_NO_PAD
            .decode(text)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(invalid_cursor)?;
        if envelope.l != list || envelope.q != query_fingerprint(self.q.as_deref()) {
            return Err(invalid_cursor());
        }
        Ok(Some(Cursor {
            key: envelope.k,
            direction: envelope.d,
        }))
    }

    /// Like [`Self::cursor`], for lists that only page forwards.
    pub fn after<K: DeserializeOwned>(&self, list: &str) -> Result<Option<K>, ApiError> {
        match self.cursor(list)? {
            None => Ok(None),
            Some(Cursor {
                key,
                direction: Direction::After,
            }) => Ok(Some(key)),
            Some(_) => Err(invalid_cursor()),
        }
    }

    /// A cursor of `list` for this query, reading `direction` from `key`.
    pub fn issue_cursor<K: Serialize>(&self, list: &str, key: K, direction: Direction) -> String {
        let envelope = Envelope {
            l: list.to_owned(),
            q: query_fingerprint(self.q.as_deref()),
            d: direction,
            k: key,
        };
        // Serialising plain keys (times, ids, numbers, strings) cannot fail.
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&envelope).unwrap_or_default())
    }

    /// Trims rows fetched with `fetch_limit` to a page, with the cursor of
    /// the last row when more follow.
    pub fn page<T, K: Serialize>(
        &self,
        list: &str,
        mut rows: Vec<T>,
        key_of: impl Fn(&T) -> K,
    ) -> Page<T> {
        let limit = usize::try_from(self.limit).unwrap_or(0);
        let has_more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = rows
            .last()
            .filter(|_| has_more)
            .map(|last| self.issue_cursor(list, key_of(last), Direction::After));
        Page {
            items: rows,
            next_cursor,
        }
    }
}

impl FromRequest for ListQuery {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            web::Query::<ListParams>::from_query(req.query_string())
                .map_err(crate::http::extractors::query_error)
                .and_then(|params| Self::parse(params.into_inner())),
        )
    }
}

pub fn invalid_cursor() -> ApiError {
    ApiError::bad_request(
        ErrorCode::InvalidCursor,
        "The cursor is not one this list gave out.",
    )
}

/// A short digest of the query text, so a cursor does not carry what was searched.
fn query_fingerprint(q: Option<&str>) -> String {
    let digest = Sha256::digest(q.unwrap_or_default().as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(
        q: Option<&str>,
        cursor: Option<String>,
        limit: Option<i64>,
    ) -> Result<ListQuery, ApiError> {
        ListQuery::parse(ListParams {
            q: q.map(str::to_owned),
            cursor,
            limit,
        })
    }

    #[test]
    fn limits_outside_one_to_fifty_are_refused() {
        assert_eq!(query(None, None, None).unwrap().limit, 20);
        assert_eq!(
            query(None, None, Some(0)).unwrap_err().code(),
            ErrorCode::InvalidLimit
        );
        assert_eq!(
            query(None, None, Some(51)).unwrap_err().code(),
            ErrorCode::InvalidLimit
        );
    }

    #[test]
    fn q_is_trimmed_and_at_most_a_hundred_characters() {
        assert_eq!(
            query(Some("  анна "), None, None).unwrap().q.as_deref(),
            Some("анна")
        );
        assert_eq!(query(Some("   "), None, None).unwrap().q, None);
        assert!(query(Some(&"я".repeat(100)), None, None).is_ok());
        assert_eq!(
            query(Some(&"я".repeat(101)), None, None)
                .unwrap_err()
                .code(),
            ErrorCode::InvalidQuery
        );
    }

    #[test]
    fn a_cursor_works_only_for_its_own_list_and_query() {
        let first = query(Some("ann"), None, Some(2)).unwrap();
        let page = first.page("friends", vec![1, 2, 3], |n| *n);
        assert_eq!(page.items, vec![1, 2]);
        let next = page.next_cursor.expect("more follow");

        let same = query(Some("ann"), Some(next.clone()), None).unwrap();
        assert_eq!(same.after::<i32>("friends").unwrap(), Some(2));
        let other_list = query(Some("ann"), Some(next.clone()), None).unwrap();
        assert_eq!(
            other_list.after::<i32>("blocks").unwrap_err().code(),
            ErrorCode::InvalidCursor
        );
        let other_query = query(Some("bob"), Some(next), None).unwrap();
        assert_eq!(
            other_query.after::<i32>("friends").unwrap_err().code(),
            ErrorCode::InvalidCursor
        );
    }

    #[test]
    fn cursors_read_both_ways_and_garbage_is_refused() {
        let q = query(None, None, None).unwrap();
        let before = q.issue_cursor("messages", 41, Direction::Before);
        let back = query(None, Some(before.clone()), None).unwrap();
        assert_eq!(
            back.cursor::<i32>("messages").unwrap(),
            Some(Cursor {
                key: 41,
                direction: Direction::Before
            })
        );
        // A forward-only list does not take a cursor that reads backwards.
        assert!(back.after::<i32>("messages").is_err());
        let garbage = query(None, Some("not-a-cursor".into()), None).unwrap();
        assert_eq!(
            garbage.after::<i32>("messages").unwrap_err().code(),
            ErrorCode::InvalidCursor
        );
        let wrong_key = query(
            None,
            Some(q.issue_cursor("messages", "text", Direction::After)),
            None,
        )
        .unwrap();
        assert!(wrong_key.after::<i32>("messages").is_err());
    }

    #[test]
    fn the_last_page_has_no_cursor() {
        let q = query(None, None, Some(3)).unwrap();
        assert_eq!(q.page("friends", vec![1, 2, 3], |n| *n).next_cursor, None);
    }
}
