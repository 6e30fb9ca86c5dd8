//! Search through its one endpoint, `GET /api/v1/search`, and what tests
//! read off its pages. Every search a test makes goes through
//! [`TestApp::search_raw`]: the one place where a backend that indexes in
//! the background would wait for the index to catch up.

use chrono::NaiveDate;
use reqwest::{Method, Response};
use serde_json::Value;

use super::TestApp;
use super::forum::{items, json_of, strings};

const SEARCH: &str = "/api/v1/search";

impl TestApp {
    /// `GET /api/v1/search` with these query parameters (encoded here, so
    /// any script and any character may go in), signed in when there is a
    /// token: the answer, whatever it is.
    pub async fn search_raw(&self, token: Option<&str>, params: &[(&str, &str)]) -> Response {
        if self.search_backend.is_some() {
            self.wait_for_search_index().await;
        }
        let mut request = self.request(Method::GET, SEARCH).query(params);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    /// A search expected to answer 200 with a page: the page.
    pub async fn search(&self, token: Option<&str>, params: &[(&str, &str)]) -> Value {
        let response = self.search_raw(token, params).await;
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let page = json_of(response, 200).await;
        assert!(
            content_type.starts_with("application/json"),
            "{content_type} for {params:?}"
        );
        assert!(page["items"].is_array(), "{params:?}: {page}");
        assert!(
            page["next_cursor"].is_null() || page["next_cursor"].is_string(),
            "{params:?}: {page}"
        );
        page
    }

    /// Every page of a search, following `next_cursor` until it is null;
    /// `params` without a cursor.
    pub async fn search_all_pages(
        &self,
        token: Option<&str>,
        params: &[(&str, &str)],
    ) -> Vec<Value> {
        let mut pages = vec![self.search(token, params).await];
        while let Some(cursor) = pages
            .last()
            .and_then(|page| page["next_cursor"].as_str())
            .map(str::to_owned)
        {
            assert!(pages.len() < 50, "a search that never ends: {params:?}");
            let mut next: Vec<(&str, &str)> = params.to_vec();
            next.push(("cursor", cursor.as_str()));
            pages.push(self.search(token, &next).await);
        }
        pages
    }
}

/// The hits of a page, in order.
pub fn hits(page: &Value) -> Vec<Value> {
    items(std::slice::from_ref(page))
}

/// A field of every hit of a page, in order, as JSON (null where missing).
pub fn field(page: &Value, name: &str) -> Vec<Value> {
    hits(page).iter().map(|hit| hit[name].clone()).collect()
}

/// The `title` of every hit (topics), in order.
pub fn titles(page: &Value) -> Vec<String> {
    strings(&hits(page), "title")
}

/// The `id` of every hit (topics or posts), in order.
pub fn ids(page: &Value) -> Vec<String> {
    strings(&hits(page), "id")
}

/// The `user.handle` of every hit (people), in order.
pub fn people(page: &Value) -> Vec<String> {
    hits(page)
        .iter()
        .map(|hit| {
            hit["user"]["handle"]
                .as_str()
                .expect("user.handle")
                .to_owned()
        })
        .collect()
}

/// The handle of the author (`author`, or `sender` for messages) of every
/// hit, in order; `None` for a departed account.
pub fn authors(page: &Value) -> Vec<Option<String>> {
    hits(page)
        .iter()
        .map(|hit| {
            let who = if hit["type"] == "message" {
                &hit["sender"]
            } else {
                &hit["author"]
            };
            who["handle"].as_str().map(str::to_owned)
        })
        .collect()
}

/// The day (UTC) of an RFC 3339 time such as a `created_at`.
pub fn utc_day(time: &Value) -> NaiveDate {
    let text = time.as_str().expect("a time");
    chrono::DateTime::parse_from_rfc3339(text)
        .expect("RFC 3339")
        .with_timezone(&chrono::Utc)
        .date_naive()
}

/// A sorted copy, to compare results whose order is not promised.
pub fn sorted<T: Ord + Clone>(list: &[T]) -> Vec<T> {
    let mut list = list.to_vec();
    list.sort();
    list
}

/// Asserts that highlighted text is safe HTML: a string with no markup
/// but `<mark>` and `</mark>`.
pub fn assert_safe_html(text: &Value) {
    let text = text.as_str().expect("highlighted text");
    let bare = text.replace("<mark>", "").replace("</mark>", "");
    assert!(!bare.contains('<') && !bare.contains('>'), "{text}");
}

/// Query parameters of a search, as pairs.
pub type Params<'a> = Vec<(&'a str, &'a str)>;
