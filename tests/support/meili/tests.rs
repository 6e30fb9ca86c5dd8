//! The fake against the client NoxChat uses: whatever `meilisearch-sdk`
//! sends, the fake must answer in shapes the SDK reads.

use meilisearch_sdk::client::{Client, SwapIndexes};
use meilisearch_sdk::errors::{Error, ErrorCode};
use meilisearch_sdk::settings::{MinWordSizeForTypos, Settings, TypoToleranceSettings};
use meilisearch_sdk::task_info::TaskInfo;
use meilisearch_sdk::tasks::Task;
use serde_json::{Value, json};

use super::FakeMeili;

const KEY: &str = "fake-master-key";

async fn completed(client: &Client, enqueued: Result<TaskInfo, Error>) -> Task {
    enqueued
        .expect("enqueued")
        .wait_for_completion(client, None, None)
        .await
        .expect("completed")
}

fn documents(value: Value) -> Vec<Value> {
    match value {
        Value::Array(documents) => documents,
        other => vec![other],
    }
}

fn ids(hits: impl IntoIterator<Item = Value>) -> Vec<Value> {
    hits.into_iter().map(|hit| hit["id"].clone()).collect()
}

#[tokio::test]
async fn the_sdk_reads_what_the_fake_answers() {
    let meili = FakeMeili::start(Some(KEY)).await;
    let client = Client::new(meili.url(), Some(KEY)).expect("client");
    assert_eq!(client.health().await.expect("health").status, "available");
    assert_eq!(
        client.get_version().await.expect("version").pkg_version,
        "1.50.0"
    );

    let created = completed(&client, client.create_index("posts", Some("id")).await).await;
    assert!(matches!(created, Task::Succeeded { .. }), "{created:?}");
    let again = completed(&client, client.create_index("posts", None).await).await;
    assert_eq!(
        again.unwrap_failure().error_code,
        ErrorCode::IndexAlreadyExists
    );

    let posts = client.index("posts");
    let settings = Settings::new()
        .with_searchable_attributes(["title", "body"])
        .with_filterable_attributes(["hidden", "author"])
        .with_sortable_attributes(["created"])
        .with_typo_tolerance(TypoToleranceSettings {
            enabled: Some(true),
            min_word_size_for_typos: Some(MinWordSizeForTypos {
                one_typo: Some(5),
                two_typos: Some(255),
            }),
            ..TypoToleranceSettings::default()
        });
    let updated = completed(&client, posts.set_settings(&settings).await).await;
    assert!(matches!(updated, Task::Succeeded { .. }), "{updated:?}");
    let stored = posts.get_settings().await.expect("settings");
    assert_eq!(
        stored.searchable_attributes,
        Some(vec!["title".to_owned(), "body".to_owned()])
    );
    assert_eq!(
        stored
            .typo_tolerance
            .and_then(|typos| typos.min_word_size_for_typos),
        Some(MinWordSizeForTypos {
            one_typo: Some(5),
            two_typos: Some(255),
        })
    );

    let batch = documents(json!([
        {"id": 1, "title": "Hello world", "body": "first post", "hidden": false, "author": "ann", "created": 3},
        {"id": 2, "title": "Other", "body": "hello again", "hidden": false, "author": "bob", "created": 2},
        {"id": 3, "title": "Helicopter", "body": "hello", "hidden": true, "author": "bob", "created": 1},
    ]));
    let added = completed(&client, posts.add_documents(&batch, Some("id")).await).await;
    assert!(matches!(added, Task::Succeeded { .. }), "{added:?}");
    assert_eq!(meili.documents("posts"), batch);

    let found = posts
        .search()
        .with_query("hello")
        .with_filter("hidden = false")
        .with_show_ranking_score(true)
        .execute::<Value>()
        .await
        .expect("search");
    assert_eq!(found.estimated_total_hits, Some(2));
    let scores: Vec<f64> = found
        .hits
        .iter()
        .map(|hit| hit.ranking_score.expect("score"))
        .collect();
    assert!(scores[0] > scores[1] && scores[1] > 0.0, "{scores:?}");
    assert_eq!(
        ids(found.hits.into_iter().map(|hit| hit.result)),
        [json!(1), json!(2)]
    );

    let typo = posts
        .search()
        .with_query("wrold")
        .execute::<Value>()
        .await
        .expect("typo search");
    assert_eq!(ids(typo.hits.into_iter().map(|hit| hit.result)), [json!(1)]);

    let sorted = posts
        .search()
        .with_sort(&["created:asc"])
        .execute::<Value>()
        .await
        .expect("sorted search");
    assert_eq!(
        ids(sorted.hits.into_iter().map(|hit| hit.result)),
        [json!(3), json!(2), json!(1)]
    );

    let refused = posts
        .search()
        .with_query("hello")
        .with_filter("title = x")
        .execute::<Value>()
        .await;
    assert!(
        matches!(refused, Err(Error::Meilisearch(ref error)) if error.error_code == ErrorCode::InvalidSearchFilter),
        "{refused:?}"
    );
    let missing = client
        .index("nope")
        .search()
        .with_query("x")
        .execute::<Value>()
        .await;
    assert!(
        matches!(missing, Err(Error::Meilisearch(ref error)) if error.error_code == ErrorCode::IndexNotFound),
        "{missing:?}"
    );

    let deleted = completed(&client, posts.delete_documents(&[2]).await).await;
    assert!(matches!(deleted, Task::Succeeded { .. }), "{deleted:?}");
    assert_eq!(ids(meili.documents("posts")), [json!(1), json!(3)]);

    let fresh = client.index("posts_new");
    let replacement = documents(json!([{"id": "nine", "title": "Fresh"}]));
    let added = completed(&client, fresh.add_documents(&replacement, None).await).await;
    assert!(matches!(added, Task::Succeeded { .. }), "{added:?}");
    let swapped = completed(
        &client,
        client
            .swap_indexes([&SwapIndexes {
                indexes: ("posts".to_owned(), "posts_new".to_owned()),
                rename: None,
            }])
            .await,
    )
    .await;
    assert!(matches!(swapped, Task::Succeeded { .. }), "{swapped:?}");
    assert_eq!(meili.documents("posts"), replacement);
    assert_eq!(ids(meili.documents("posts_new")), [json!(1), json!(3)]);
    let info = client.get_index("posts").await.expect("index");
    assert_eq!(info.primary_key.as_deref(), Some("id"));

    let failed = completed(
        &client,
        client
            .swap_indexes([&SwapIndexes {
                indexes: ("posts".to_owned(), "nope".to_owned()),
                rename: None,
            }])
            .await,
    )
    .await;
    assert_eq!(failed.unwrap_failure().error_code, ErrorCode::IndexNotFound);

    let dropped = completed(&client, client.delete_index("posts_new").await).await;
    assert!(matches!(dropped, Task::Succeeded { .. }), "{dropped:?}");
    assert!(meili.documents("posts_new").is_empty());

    let stranger = Client::new(meili.url(), Some("wrong key")).expect("client");
    let refused = stranger.health().await;
    assert!(
        matches!(refused, Err(Error::Meilisearch(ref error)) if error.error_code == ErrorCode::InvalidApiKey),
        "{refused:?}"
    );

    meili.set_down(true);
    assert!(client.health().await.is_err());
    meili.set_down(false);
    assert!(client.health().await.is_ok());

    let requests = meili.requests();
    for expected in [
        "POST /indexes",
        "PATCH /indexes/posts/settings",
        "POST /indexes/posts/documents",
        "POST /indexes/posts/search",
        "POST /indexes/posts/documents/delete-batch",
        "POST /swap-indexes",
    ] {
        assert!(
            requests.iter().any(|request| request == expected),
            "{expected}: {requests:?}"
        );
    }
}
