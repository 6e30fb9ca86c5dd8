//! Searching topics (`GET /api/v1/search`, type `topics`, the default),
//! what matches and in which order: Russian and English words found in any
//! of their forms and cases, `ё` as `е`, every word required and the last
//! one also as a prefix, one typo forgiven but ranked below exact matches,
//! titles before first posts, and the matched words marked in safe HTML.

use serde_json::Value;

use crate::support::TestApp;
use crate::support::forum::{Forum, id_of};
use crate::support::search::{assert_safe_html, hits, sorted, titles};

/// Opens a topic in `general` per `(title, body)`, in order; their ids.
async fn open(app: &TestApp, token: &str, topics: &[(&str, &str)]) -> Vec<String> {
    let mut ids = Vec::new();
    for (title, body) in topics {
        let created = app.create_topic(token, "general", title, body).await;
        ids.push(id_of(&created["topic"]));
    }
    ids
}

/// The titles someone signed out finds for `q`, in their order.
async fn found(app: &TestApp, q: &str) -> Vec<String> {
    titles(&app.search(None, &[("q", q)]).await)
}

/// The hit titled `title`.
fn hit_titled(page: &Value, title: &str) -> Value {
    hits(page)
        .into_iter()
        .find(|hit| hit["title"] == title)
        .unwrap_or_else(|| panic!("{title} is not in {page}"))
}

#[tokio::test]
async fn russian_and_english_words_are_found_in_any_of_their_forms_and_cases() {
    let Forum { app, ursula, .. } = Forum::start().await;
    let hosting = "Где искать недорогой хостинг";
    let server = "Как настроить сервер PostgreSQL";
    let kubernetes = "Running Kubernetes at home";
    let backups = "How I run nightly backups";
    open(
        &app,
        &ursula.access_token,
        &[
            (hosting, "Посоветуйте, пожалуйста"),
            (server, "Нужна помощь с конфигурацией"),
            (kubernetes, "My cluster story"),
            (backups, "Cron and pg_dump"),
            ("Cooking pasta", "With tomatoes"),
        ],
    )
    .await;

    for q in ["искали", "искал", "искать", "ИСКАТЬ", "Искали"] {
        assert_eq!(found(&app, q).await, [hosting], "{q}");
    }
    assert_eq!(found(&app, "серверы").await, [server]);
    for q in ["run", "runs", "running", "RUNNING"] {
        assert_eq!(
            sorted(&found(&app, q).await),
            sorted(&[backups, kubernetes]),
            "{q}"
        );
    }
    assert!(found(&app, "tomato soup").await.is_empty());
}

#[tokio::test]
async fn yo_and_ye_are_the_same_letter_either_way() {
    let Forum { app, ursula, .. } = Forum::start().await;
    let with_yo = "Ёлка во дворе";
    let with_ye = "Где купить елку к Новому году";
    open(
        &app,
        &ursula.access_token,
        &[
            (with_yo, "Поставили вчера"),
            (with_ye, "Живую, не искусственную"),
            ("Новогодние игрушки", "Стеклянные шары"),
        ],
    )
    .await;

    for q in ["ёлка", "елка", "ЁЛКА", "Елка"] {
        assert_eq!(
            sorted(&found(&app, q).await),
            sorted(&[with_ye, with_yo]),
            "{q}"
        );
    }
    let page = app.search(None, &[("q", "елка")]).await;
    assert_eq!(
        hit_titled(&page, with_yo)["title_highlight"],
        "<mark>Ёлка</mark> во дворе"
    );
}

#[tokio::test]
async fn every_word_must_match_and_only_the_last_also_as_a_prefix() {
    let Forum { app, ursula, .. } = Forum::start().await;
    let server = "Как настроить сервер PostgreSQL";
    let kubernetes = "Running Kubernetes at home";
    open(
        &app,
        &ursula.access_token,
        &[
            (server, "Нужна помощь с конфигурацией"),
            (kubernetes, "My cluster story"),
        ],
    )
    .await;

    for q in [
        "postgr",
        "Postgres",
        "серве",
        "настроить postgr",
        "сервер настроить",
    ] {
        assert_eq!(found(&app, q).await, [server], "{q}");
    }
    assert_eq!(found(&app, "kubernetes ho").await, [kubernetes]);
    for q in ["сервер kubernetes", "postgresql cluster"] {
        assert!(
            found(&app, q).await.is_empty(),
            "every word must match: {q}"
        );
    }
    assert!(
        found(&app, "postgr сервер").await.is_empty(),
        "a word before the last is no prefix"
    );
}

#[tokio::test]
async fn one_wrong_missing_extra_or_swapped_letter_in_a_long_word_still_finds_it() {
    let Forum { app, ursula, .. } = Forum::start().await;
    let kubernetes = "Kubernetes для начинающих";
    let server = "Как настроить сервер PostgreSQL";
    open(
        &app,
        &ursula.access_token,
        &[
            (kubernetes, "С чего начать кластер"),
            (server, "Нужна помощь с конфигурацией"),
        ],
    )
    .await;

    for q in ["kubernetse", "kuberntes", "kubernites", "kubbernetes"] {
        assert_eq!(found(&app, q).await, [kubernetes], "{q}");
    }
    for q in ["сервир", "насторить", "postgersql", "настроить postgersql"] {
        assert_eq!(found(&app, q).await, [server], "{q}");
    }
}

#[tokio::test]
async fn exact_matches_rank_above_typo_matches() {
    let Forum { app, ursula, .. } = Forum::start().await;
    // «мишку» (a teddy bear) is «мишка» in another case, and one letter
    // from «мышку» (a mouse); «мышка» the other way round. Neither word
    // searched for is written anywhere as typed. The exact match is older
    // and longer, so that neither newest-first nor a shorter text would
    // put it first.
    let bear = "Плюшевый мишка для сына на день рождения";
    let mouse = "Купил мышку";
    open(
        &app,
        &ursula.access_token,
        &[
            (bear, "Посоветуйте магазин"),
            (mouse, "Посоветуйте магазин"),
        ],
    )
    .await;

    assert_eq!(found(&app, "мишку").await, [bear, mouse]);
    assert_eq!(found(&app, "мышка").await, [mouse, bear]);
}

#[tokio::test]
async fn a_match_in_the_title_ranks_above_a_match_only_in_the_first_post() {
    let Forum { app, ursula, .. } = Forum::start().await;
    // The same words each time, in the title of one topic and the first
    // post of the other; the title match is older.
    let pairs = [
        (
            "Настраиваем репликацию",
            "Пошаговый рассказ про мастер и реплику",
            "репликацию",
        ),
        ("Tuning autovacuum", "Notes from production", "autovacuum"),
    ];
    for (title, other, word) in pairs {
        open(
            &app,
            &ursula.access_token,
            &[(title, other), (other, title)],
        )
        .await;
        let page = app.search(None, &[("q", word)]).await;
        assert_eq!(titles(&page), [title, other], "{word}");
        let ranked = hits(&page);
        assert_eq!(
            ranked[0]["title_highlight"],
            title
                .replace(word, &format!("<mark>{word}</mark>"))
                .as_str()
        );
        assert!(
            ranked[1]["excerpt"]
                .as_str()
                .unwrap()
                .contains(&format!("<mark>{word}</mark>")),
            "the first post's match is marked: {page}"
        );
        assert_eq!(ranked[1]["title_highlight"], other, "no mark in the title");
    }
    assert_eq!(
        found(&app, "репликация").await,
        [
            "Настраиваем репликацию",
            "Пошаговый рассказ про мастер и реплику"
        ]
    );
}

#[tokio::test]
async fn highlights_mark_the_matched_words_in_escaped_html() {
    let Forum { app, ursula, .. } = Forum::start().await;
    let home = "Running Kubernetes at home";
    let tricky = "<b>Tags</b> & \"quotes\" in Kubernetes";
    open(
        &app,
        &ursula.access_token,
        &[
            (home, "I run a small cluster of Kubernetes nodes"),
            (
                tricky,
                "Body with <script>alert(1)</script> and a cluster & more",
            ),
        ],
    )
    .await;

    let page = app.search(None, &[("q", "kubernetes")]).await;
    let hit = hit_titled(&page, home);
    assert_eq!(
        hit["title_highlight"],
        "Running <mark>Kubernetes</mark> at home"
    );
    assert!(
        hit["excerpt"]
            .as_str()
            .unwrap()
            .contains("<mark>Kubernetes</mark>"),
        "{hit}"
    );
    let hit = hit_titled(&page, tricky);
    assert_eq!(
        hit["title_highlight"],
        "&lt;b&gt;Tags&lt;/b&gt; &amp; &quot;quotes&quot; in <mark>Kubernetes</mark>"
    );

    let by_tag = app.search(None, &[("q", "tags")]).await;
    assert_eq!(
        hit_titled(&by_tag, tricky)["title_highlight"],
        "&lt;b&gt;<mark>Tags</mark>&lt;/b&gt; &amp; &quot;quotes&quot; in Kubernetes"
    );
    let by_form = app.search(None, &[("q", "running")]).await;
    assert_eq!(
        hit_titled(&by_form, home)["title_highlight"],
        "<mark>Running</mark> Kubernetes at home"
    );

    let in_posts = app.search(None, &[("q", "cluster")]).await;
    assert_eq!(sorted(&titles(&in_posts)), sorted(&[home, tricky]));
    let hit = hit_titled(&in_posts, tricky);
    assert_eq!(
        hit["title_highlight"],
        "&lt;b&gt;Tags&lt;/b&gt; &amp; &quot;quotes&quot; in Kubernetes"
    );
    assert!(
        hit["excerpt"]
            .as_str()
            .unwrap()
            .contains("<mark>cluster</mark>"),
        "{hit}"
    );
    for page in [&page, &by_tag, &by_form, &in_posts] {
        for hit in hits(page) {
            assert_safe_html(&hit["title_highlight"]);
            assert_safe_html(&hit["excerpt"]);
        }
    }
}
