//! What the search refuses, each with a 400 problem: a missing, blank or
//! over-long `q`, an unknown `type`, a filter given for a type it does not
//! apply to, a malformed id or time (`invalid_query`), a `limit` outside
//! 1–50 (`invalid_limit`), and a cursor no search gave (`invalid_cursor`);
//! and the well-formed neighbours of each, taken.

use crate::support::TestApp;
use crate::support::app::assert_problem;
use crate::support::forum::id_of;

/// A server where `seeker` (whose token this is) has opened a topic and a
/// conversation, so that every type and every filter may be asked for with
/// ids that exist.
struct Searcher {
    app: TestApp,
    token: String,
    category: String,
    topic: String,
    conversation: String,
}

impl Searcher {
    async fn start() -> Self {
        let app = TestApp::spawn().await;
        let seeker = app.chatter("seeker").await;
        let friend = app.chatter("friend").await;
        let conversation = id_of(&app.direct(&seeker, &friend).await);
        let created = app
            .create_topic(seeker.token(), "general", "Первая тема", "Привет всем")
            .await;
        Self {
            category: id_of(&created["topic"]["category"]),
            topic: id_of(&created["topic"]),
            token: seeker.token().to_owned(),
            conversation,
            app,
        }
    }

    /// Asserts that searching with `params` is a 400 problem with `code`.
    async fn refused(&self, params: &[(&str, &str)], code: &str) {
        let response = self.app.search_raw(Some(&self.token), params).await;
        assert_eq!(response.status(), 400, "{params:?}");
        assert_problem(response, 400, code).await;
    }

    /// Asserts that searching with `params` answers a page.
    async fn taken(&self, params: &[(&str, &str)]) {
        self.app.search(Some(&self.token), params).await;
    }
}

#[tokio::test]
async fn a_missing_blank_or_over_long_query_is_invalid_query() {
    let searcher = Searcher::start().await;
    let (latin, cyrillic) = ("x".repeat(101), "я".repeat(101));
    let refused: [Vec<(&str, &str)>; 7] = [
        vec![],
        vec![("type", "posts")],
        vec![("q", "")],
        vec![("q", "   ")],
        vec![("q", " \t\n "), ("type", "people")],
        vec![("q", latin.as_str())],
        vec![("q", cyrillic.as_str()), ("type", "messages")],
    ];
    for params in refused {
        searcher.refused(&params, "invalid_query").await;
    }
    let (latin, cyrillic) = ("x".repeat(100), "я".repeat(100));
    for q in [latin.as_str(), cyrillic.as_str(), "  Первая  ", "я"] {
        searcher.taken(&[("q", q)]).await;
    }
}

#[tokio::test]
async fn an_unknown_type_is_invalid_query() {
    let searcher = Searcher::start().await;
    for kind in ["threads", "topic", "users", "all", "messages,posts"] {
        searcher
            .refused(&[("q", "тема"), ("type", kind)], "invalid_query")
            .await;
    }
    for kind in ["topics", "posts", "people", "messages"] {
        searcher.taken(&[("q", "тема"), ("type", kind)]).await;
    }
}

#[tokio::test]
async fn a_filter_for_a_type_it_does_not_apply_to_is_invalid_query() {
    let searcher = Searcher::start().await;
    let (category, topic) = (searcher.category.as_str(), searcher.topic.as_str());
    let conversation = searcher.conversation.as_str();
    let refused: [(Option<&str>, &str, &str); 12] = [
        (None, "conversation", conversation),
        (None, "topic", topic),
        (Some("topics"), "topic", topic),
        (Some("topics"), "conversation", conversation),
        (Some("posts"), "conversation", conversation),
        (Some("messages"), "topic", topic),
        (Some("messages"), "category", category),
        (Some("people"), "category", category),
        (Some("people"), "author", "seeker"),
        (Some("people"), "since", "2026-01-01"),
        (Some("people"), "until", "2026-01-01T00:00:00Z"),
        (Some("people"), "conversation", conversation),
    ];
    let taken: [(Option<&str>, &str, &str); 13] = [
        (None, "category", category),
        (Some("topics"), "author", "seeker"),
        (Some("topics"), "since", "2026-01-01"),
        (Some("topics"), "until", "2026-01-01T00:00:00Z"),
        (Some("posts"), "category", category),
        (Some("posts"), "author", "seeker"),
        (Some("posts"), "topic", topic),
        (Some("posts"), "since", "2026-01-01"),
        (Some("posts"), "until", "2026-01-01"),
        (Some("messages"), "conversation", conversation),
        (Some("messages"), "author", "friend"),
        (Some("messages"), "since", "2026-01-01"),
        (Some("messages"), "until", "2026-01-01T00:00:00Z"),
    ];
    for (cases, refuse) in [(&refused[..], true), (&taken[..], false)] {
        for &(kind, filter, value) in cases {
            let mut params = vec![("q", "тема"), (filter, value)];
            if let Some(kind) = kind {
                params.push(("type", kind));
            }
            if refuse {
                searcher.refused(&params, "invalid_query").await;
            } else {
                searcher.taken(&params).await;
            }
        }
    }
    // One filter that applies and one that does not.
    let mixed = [
        ("q", "тема"),
        ("type", "posts"),
        ("topic", topic),
        ("conversation", conversation),
    ];
    searcher.refused(&mixed, "invalid_query").await;
}

#[tokio::test]
async fn a_malformed_id_or_time_is_invalid_query() {
    let searcher = Searcher::start().await;
    let refused: [(&str, &str, &str); 10] = [
        ("topics", "category", "general"),
        ("topics", "category", "123"),
        ("posts", "topic", "not-a-uuid"),
        ("posts", "category", "0000"),
        ("messages", "conversation", "xyz"),
        ("topics", "since", "yesterday"),
        ("topics", "until", "2026-13-01"),
        ("posts", "since", "2026-02-30"),
        ("messages", "until", "01.02.2026"),
        ("topics", "since", "2026-01-01T25:00:00Z"),
    ];
    for (kind, filter, value) in refused {
        let params = [("q", "тема"), ("type", kind), (filter, value)];
        searcher.refused(&params, "invalid_query").await;
    }
    for since in [
        "2026-01-01",
        "2026-01-01T00:00:00Z",
        "2026-01-01T03:00:00+03:00",
        "2026-01-01T00:00:00.5Z",
    ] {
        searcher.taken(&[("q", "тема"), ("since", since)]).await;
    }
}

#[tokio::test]
async fn a_limit_outside_one_to_fifty_is_invalid_limit() {
    let searcher = Searcher::start().await;
    for kind in ["topics", "posts", "people", "messages"] {
        for limit in ["0", "51", "-1", "1000"] {
            let params = [("q", "тема"), ("type", kind), ("limit", limit)];
            searcher.refused(&params, "invalid_limit").await;
        }
        for limit in ["1", "50"] {
            searcher
                .taken(&[("q", "тема"), ("type", kind), ("limit", limit)])
                .await;
        }
    }
}

#[tokio::test]
async fn a_cursor_no_search_gave_or_of_another_type_is_invalid_cursor() {
    let searcher = Searcher::start().await;
    // Both people are "… Tester": a page of one has a next.
    let first = [("q", "Tester"), ("type", "people"), ("limit", "1")];
    let page = searcher.app.search(Some(&searcher.token), &first).await;
    let people = page["next_cursor"].as_str().expect("a second page");
    let mut next = first.to_vec();
    next.push(("cursor", people));
    searcher.taken(&next).await;

    for cursor in ["nonsense", "bm9uc2Vuc2U", people] {
        for kind in ["topics", "posts", "messages"] {
            let params = [("q", "Tester"), ("type", kind), ("cursor", cursor)];
            searcher.refused(&params, "invalid_cursor").await;
        }
    }
    for cursor in ["nonsense", "bm9uc2Vuc2U"] {
        let params = [("q", "Tester"), ("type", "people"), ("cursor", cursor)];
        searcher.refused(&params, "invalid_cursor").await;
    }
}
