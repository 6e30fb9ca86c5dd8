//! Searching topics, what comes back and how much: the hit as anyone
//! signed out sees it, the category, author, since and until filters,
//! deleted topics gone, and pages that give every match once with a cursor
//! that continues only the search that gave it.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::assert_problem;
use crate::support::forum::{Forum, hours_from_now, id_of, items, json_of};
use crate::support::search::{Params, hits, ids, sorted, utc_day};

/// The ids of the topics found for `postgresql` with these filters, by
/// someone signed out, in their order.
async fn filtered(app: &TestApp, filters: &[(&str, &str)]) -> Vec<String> {
    let mut params = vec![("q", "postgresql")];
    params.extend_from_slice(filters);
    ids(&app.search(None, &params).await)
}

#[tokio::test]
async fn signed_out_people_find_topics_with_their_category_author_and_counts() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(
            &ursula.access_token,
            "general",
            "Как настроить сервер PostgreSQL",
            "Подскажите, с чего начать",
        )
        .await;
    let topic = &created["topic"];
    let id = id_of(topic);
    app.reply(&victor.access_token, &id, "Начни с pg_hba.conf")
        .await;

    let page = app.search(None, &[("q", "postgresql")]).await;
    assert_eq!(page["next_cursor"], Value::Null);
    assert_eq!(ids(&page), [id.as_str()]);
    let found = hits(&page);
    let hit = &found[0];
    assert_eq!(hit["type"], "topic");
    assert_eq!(hit["title"], "Как настроить сервер PostgreSQL");
    assert_eq!(
        hit["title_highlight"],
        "Как настроить сервер <mark>PostgreSQL</mark>"
    );
    assert!(hit["excerpt"].is_string(), "{hit}");
    for part in ["id", "slug", "name"] {
        assert_eq!(hit["category"][part], topic["category"][part], "{part}");
    }
    assert_eq!(hit["author"]["handle"], "ursula");
    assert_eq!(hit["author"]["display_name"], "ursula Tester");
    assert_eq!(hit["reply_count"], 1);
    assert!(
        hit["created_at"].is_string() && hit["last_activity_at"].is_string(),
        "{hit}"
    );

    for token in [None, Some(victor.access_token.as_str())] {
        for params in [
            vec![("q", "postgresql")],
            vec![("q", "postgresql"), ("type", "topics")],
        ] {
            let page = app.search(token, &params).await;
            assert_eq!(ids(&page), [id.as_str()], "{params:?}");
        }
    }
}

#[tokio::test]
async fn category_and_author_filters_narrow_the_topics() {
    let Forum {
        app,
        boss,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let help = app
        .post_as(
            "/api/v1/categories",
            &boss.access_token,
            &json!({"slug": "help", "name": "Help"}),
        )
        .await;
    let help = id_of(&json_of(help, 201).await);
    let nightly = app
        .create_topic(
            &ursula.access_token,
            "general",
            "Бэкапы PostgreSQL каждую ночь",
            "Скрипт на cron",
        )
        .await;
    let general = nightly["topic"]["category"]["id"]
        .as_str()
        .expect("category id")
        .to_owned();
    let nightly = id_of(&nightly["topic"]);
    let broken = app
        .create_topic(
            &victor.access_token,
            "help",
            "Не стартует PostgreSQL после обновления",
            "Логи ниже",
        )
        .await;
    let broken = id_of(&broken["topic"]);
    let (help, general) = (help.as_str(), general.as_str());
    let (nightly, broken) = (nightly.as_str(), broken.as_str());

    let cases: [(Params<'_>, Vec<&str>); 7] = [
        (vec![], sorted(&[nightly, broken])),
        (vec![("category", help)], vec![broken]),
        (vec![("category", general)], vec![nightly]),
        (vec![("author", "victor")], vec![broken]),
        (vec![("author", "VICTOR")], vec![broken]),
        (vec![("author", "ursula"), ("category", help)], vec![]),
        (vec![("author", "nobody_here")], vec![]),
    ];
    for (filters, expected) in cases {
        let found = filtered(&app, &filters).await;
        assert_eq!(sorted(&found), expected, "{filters:?}");
    }
    let page = app
        .search(None, &[("q", "postgresql"), ("category", help)])
        .await;
    assert_eq!(
        hits(&page)[0]["category"],
        json!({"id": help, "slug": "help", "name": "Help"})
    );
}

#[tokio::test]
async fn since_and_until_take_times_or_whole_days_of_the_topics_creation() {
    let Forum { app, ursula, .. } = Forum::start().await;
    let created = app
        .create_topic(
            &ursula.access_token,
            "general",
            "Обновление PostgreSQL до 17",
            "Прошло гладко",
        )
        .await;
    let id = id_of(&created["topic"]);
    // Days of the topic's own creation, so that midnight cannot fall
    // between writing and searching.
    let day = utc_day(&created["topic"]["created_at"]);
    let today = day.to_string();
    let yesterday = day.pred_opt().expect("a day before").to_string();
    let tomorrow = day.succ_opt().expect("a day after").to_string();
    let (hour_ago, in_an_hour) = (hours_from_now(-1), hours_from_now(1));
    let (today, yesterday, tomorrow) = (today.as_str(), yesterday.as_str(), tomorrow.as_str());
    let (hour_ago, in_an_hour) = (hour_ago.as_str(), in_an_hour.as_str());

    let finding: [Vec<(&str, &str)>; 7] = [
        vec![("since", today)],
        vec![("until", today)],
        vec![("since", today), ("until", today)],
        vec![("since", yesterday), ("until", tomorrow)],
        vec![("since", hour_ago)],
        vec![("until", in_an_hour)],
        vec![("since", hour_ago), ("until", in_an_hour)],
    ];
    for filters in finding {
        assert_eq!(filtered(&app, &filters).await, [id.as_str()], "{filters:?}");
    }
    let missing: [Vec<(&str, &str)>; 5] = [
        vec![("since", tomorrow)],
        vec![("until", yesterday)],
        vec![("since", in_an_hour)],
        vec![("until", hour_ago)],
        vec![("since", tomorrow), ("until", tomorrow)],
    ];
    for filters in missing {
        assert!(filtered(&app, &filters).await.is_empty(), "{filters:?}");
    }
}

#[tokio::test]
async fn deleted_topics_are_not_found_by_anyone() {
    let Forum {
        app,
        mona,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let mut topics = Vec::new();
    for title in ["Черновик про PostgreSQL", "PostgreSQL и спорная тема"] {
        let created = app
            .create_topic(&ursula.access_token, "general", title, "Удалю позже")
            .await;
        topics.push(id_of(&created["topic"]));
    }
    app.reply(&victor.access_token, &topics[1], "PostgreSQL не нужен")
        .await;
    assert_eq!(sorted(&filtered(&app, &[]).await), sorted(&topics));

    // Its author deletes the first (nobody replied); a moderator the second.
    for (topic, token) in [
        (&topics[0], &ursula.access_token),
        (&topics[1], &mona.access_token),
    ] {
        let path = format!("/api/v1/topics/{topic}");
        let deleted = app.delete_as(&path, token).await;
        let status = deleted.status();
        assert_eq!(status, 204, "{}", deleted.text().await.unwrap_or_default());
    }
    for token in [
        None,
        Some(ursula.access_token.as_str()),
        Some(mona.access_token.as_str()),
    ] {
        let page = app.search(token, &[("q", "postgresql")]).await;
        assert_eq!(page["items"], json!([]), "{page}");
    }
}

#[tokio::test]
async fn pages_give_every_match_once_and_a_cursor_continues_only_its_own_search() {
    let Forum { app, ursula, .. } = Forum::start().await;
    let mut topics = Vec::new();
    for n in 1..=7 {
        let title = format!("Заметки о PostgreSQL, часть {n}");
        let created = app
            .create_topic(&ursula.access_token, "general", &title, "Текст заметки")
            .await;
        topics.push(id_of(&created["topic"]));
    }
    app.create_topic(
        &ursula.access_token,
        "general",
        "Kubernetes дома",
        "Кластер",
    )
    .await;

    let params = [("q", "postgresql"), ("limit", "3")];
    let pages = app.search_all_pages(None, &params).await;
    let sizes: Vec<usize> = pages
        .iter()
        .map(|page| page["items"].as_array().expect("items").len())
        .collect();
    assert_eq!(sizes, [3, 3, 1]);
    let seen: Vec<String> = items(&pages).iter().map(id_of).collect();
    assert_eq!(sorted(&seen), sorted(&topics), "each once: {seen:?}");

    let cursor = pages[0]["next_cursor"]
        .as_str()
        .expect("a second page")
        .to_owned();
    let cursor = cursor.as_str();
    let since = hours_from_now(-1);
    let others: [Vec<(&str, &str)>; 6] = [
        vec![("q", "kubernetes"), ("limit", "3"), ("cursor", cursor)],
        vec![("q", "postgres"), ("limit", "3"), ("cursor", cursor)],
        vec![
            ("q", "postgresql"),
            ("type", "posts"),
            ("limit", "3"),
            ("cursor", cursor),
        ],
        vec![
            ("q", "postgresql"),
            ("author", "ursula"),
            ("limit", "3"),
            ("cursor", cursor),
        ],
        vec![
            ("q", "postgresql"),
            ("since", since.as_str()),
            ("limit", "3"),
            ("cursor", cursor),
        ],
        vec![("q", "postgresql"), ("cursor", "bm9uc2Vuc2U")],
    ];
    for other in others {
        let response = app.search_raw(None, &other).await;
        assert_problem(response, 400, "invalid_cursor").await;
    }
    let mut same = params.to_vec();
    same.push(("cursor", cursor));
    assert_eq!(ids(&app.search(None, &same).await), ids(&pages[1]));
}
