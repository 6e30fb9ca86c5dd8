//! Search through Meilisearch, against the fake: what the database queues
//! in each writing transaction reaches the index (stems and filter fields,
//! and the forgetting of what was deleted or moved); Meilisearch being
//! away makes search a clear 503 but never holds up writing, and the index
//! catches up when it returns; a rebuild fills fresh indexes and swaps
//! them in. (The behaviour of search itself is specified once, for both
//! engines, by the other `search_*` files.)

use serde_json::{Value, json};

use crate::support::app::assert_problem;
use crate::support::forum::{Forum, id_of, json_of};
use crate::support::meili::FakeMeili;
use crate::support::search::ids;

const KEY: &str = "meili-master-key";
const PREFIX: &str = "nox_";

async fn forum_on(fake: &FakeMeili) -> Forum {
    let url = fake.url();
    Forum::start_with(&[
        ("MEILI_URL", url.as_str()),
        ("MEILI_KEY", KEY),
        ("MEILI_INDEX_PREFIX", PREFIX),
    ])
    .await
}

fn document<'a>(documents: &'a [Value], id: &str) -> Option<&'a Value> {
    documents.iter().find(|document| document["id"] == id)
}

#[tokio::test]
async fn what_is_written_reaches_the_index_as_stems_with_its_filter_fields() {
    let fake = FakeMeili::start(Some(KEY)).await;
    let Forum {
        app,
        ursula,
        mona,
        boss,
        ..
    } = forum_on(&fake).await;
    let created = app
        .create_topic(
            &ursula.access_token,
            "general",
            "Искали ЁЛКУ",
            "Running servers",
        )
        .await;
    let topic = id_of(&created["topic"]);
    let reply = app
        .reply(&ursula.access_token, &topic, "Ответ про сервер")
        .await;
    let reply_id = id_of(&reply);
    app.wait_for_search_index().await;

    let topics = fake.documents(&format!("{PREFIX}topics"));
    let indexed = document(&topics, &topic).expect("the topic is indexed");
    assert_eq!(indexed["title_words"], "иска елк");
    assert_eq!(indexed["body_words"], "run server");
    let posts = fake.documents(&format!("{PREFIX}posts"));
    let indexed = document(&posts, &reply_id).expect("the reply is indexed");
    assert_eq!(indexed["topic_id"], topic.as_str());
    assert!(indexed["created_at"].is_i64(), "{indexed}");
    let people = fake.documents(&format!("{PREFIX}people"));
    assert_eq!(people.len(), 4, "every account is a person to find");

    // A deleted post is forgotten; a moved topic's posts follow it.
    let deleted = app
        .delete_as(&format!("/api/v1/posts/{reply_id}"), &ursula.access_token)
        .await;
    assert_eq!(deleted.status(), 204);
    let help = app
        .post_as(
            "/api/v1/categories",
            &boss.access_token,
            &json!({"slug": "help", "name": "Help"}),
        )
        .await;
    let help = json_of(help, 201).await;
    let moved = app
        .put_json_as(
            &format!("/api/v1/topics/{topic}/category"),
            &mona.access_token,
            &json!({"category": "help"}),
        )
        .await;
    assert_eq!(moved.status(), 200);
    app.wait_for_search_index().await;
    let posts = fake.documents(&format!("{PREFIX}posts"));
    assert!(document(&posts, &reply_id).is_none(), "deleted: forgotten");
    let first = posts
        .iter()
        .find(|post| post["topic_id"] == topic.as_str())
        .expect("the first post stays");
    assert_eq!(first["category_id"], help["id"]);
}

#[tokio::test]
async fn with_meilisearch_away_writing_goes_on_search_is_503_and_the_index_catches_up() {
    let fake = FakeMeili::start(Some(KEY)).await;
    let Forum { app, ursula, .. } = forum_on(&fake).await;
    app.wait_for_search_index().await;

    fake.set_down(true);
    let created = app
        .create_topic(
            &ursula.access_token,
            "general",
            "Kubernetes at home",
            "Written while the index was away",
        )
        .await;
    let topic = id_of(&created["topic"]);
    // Asked directly: the tests' own search waits for the index first.
    let asked = app
        .request(reqwest::Method::GET, "/api/v1/search")
        .query(&[("q", "kubernetes")])
        .send()
        .await
        .expect("request sent");
    assert_problem(asked, 503, "search_unavailable").await;

    fake.set_down(false);
    app.wait_for_search_index().await;
    let page = app.search(None, &[("q", "kubernetes")]).await;
    assert_eq!(ids(&page), [topic]);
}

#[tokio::test]
async fn a_rebuild_fills_fresh_indexes_and_swaps_them_in_with_progress() {
    let fake = FakeMeili::start(Some(KEY)).await;
    let Forum { app, ursula, .. } = forum_on(&fake).await;
    for n in 1..=3 {
        app.create_topic(
            &ursula.access_token,
            "general",
            &format!("Topic number {n}"),
            "Some words",
        )
        .await;
    }
    app.wait_for_search_index().await;
    let before = fake.documents(&format!("{PREFIX}topics"));
    assert_eq!(before.len(), 3);

    let settings = noxchat::config::MeiliSettings {
        url: url::Url::parse(&fake.url()).expect("url"),
        key: Some(noxchat::config::Secret::new(KEY)),
        index_prefix: PREFIX.to_owned(),
    };
    let meili = noxchat::search::meili::Meili::new(&settings).expect("client");
    let mut lines = Vec::new();
    meili
        .reindex(&app.db.url, |line| lines.push(line))
        .await
        .expect("the rebuild succeeds");

    assert!(lines.contains(&"topics: 3/3".to_owned()), "{lines:?}");
    assert!(
        lines.contains(&"topics: 3 indexed, live".to_owned()),
        "{lines:?}"
    );
    let after = fake.documents(&format!("{PREFIX}topics"));
    assert_eq!(after, before, "the same documents, rebuilt");
    assert!(
        fake.documents(&format!("{PREFIX}topics_rebuild"))
            .is_empty(),
        "the fresh index took the live one's place, and the old one went"
    );
    assert!(
        fake.requests()
            .iter()
            .any(|request| request == "POST /swap-indexes"),
        "{:?}",
        fake.requests()
    );
    // The indexer goes on after a rebuild.
    app.create_topic(&ursula.access_token, "general", "Topic number 4", "More")
        .await;
    app.wait_for_search_index().await;
    assert_eq!(fake.documents(&format!("{PREFIX}topics")).len(), 4);
}

#[tokio::test]
async fn switching_search_to_meilisearch_indexes_what_was_written_before() {
    // PostgreSQL's search first, whatever engine the run tests.
    let Forum { app, ursula, .. } = Forum::start_with(&[("MEILI_URL", "")]).await;
    let created = app
        .create_topic(
            &ursula.access_token,
            "general",
            "Written before Meilisearch came",
            "Still found after",
        )
        .await;
    let topic = id_of(&created["topic"]);

    let fake = FakeMeili::start(Some(KEY)).await;
    let url = fake.url();
    let switched = app
        .spawn_beside(&[
            ("MEILI_URL", url.as_str()),
            ("MEILI_KEY", KEY),
            ("MEILI_INDEX_PREFIX", PREFIX),
        ])
        .await;
    switched.wait_for_search_index().await;
    let topics = fake.documents(&format!("{PREFIX}topics"));
    assert!(document(&topics, &topic).is_some(), "{topics:?}");
    let page = switched.search(None, &[("q", "meilisearch came")]).await;
    assert_eq!(ids(&page), [topic]);
}
