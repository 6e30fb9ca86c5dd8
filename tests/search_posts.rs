//! Searching posts (`type=posts`): replies found by their own words, with
//! their topic and a highlight marked in safe HTML; the topic, category
//! and author filters; and the posts nobody finds: deleted ones, whoever
//! deleted them, and (with their topics) those of people blocked either way.

use reqwest::Method;
use serde_json::json;

use crate::support::TestApp;
use crate::support::forum::{Forum, id_of, json_of};
use crate::support::search::{Params, assert_safe_html, authors, hits, ids, sorted, titles};

/// The ids of the posts the holder of `token` finds for `q` with
/// `filters`, sorted.
async fn posts_found(
    app: &TestApp,
    token: Option<&str>,
    q: &str,
    filters: &[(&str, &str)],
) -> Vec<String> {
    let mut params = vec![("type", "posts"), ("q", q)];
    params.extend_from_slice(filters);
    sorted(&ids(&app.search(token, &params).await))
}

/// The handles of the authors of the posts the holder of `token` finds for
/// `q`, sorted, without repeats.
async fn post_authors(app: &TestApp, token: Option<&str>, q: &str) -> Vec<String> {
    let page = app.search(token, &[("type", "posts"), ("q", q)]).await;
    let mut handles: Vec<String> = authors(&page)
        .into_iter()
        .map(|handle| handle.expect("an author"))
        .collect();
    handles.sort();
    handles.dedup();
    handles
}

/// The titles of the topics the holder of `token` finds for `q`, sorted.
async fn topic_titles(app: &TestApp, token: Option<&str>, q: &str) -> Vec<String> {
    sorted(&titles(&app.search(token, &[("q", q)]).await))
}

#[tokio::test]
async fn replies_are_found_by_their_own_words_with_their_topic_and_a_marked_highlight() {
    let Forum {
        app,
        mona,
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
    let topic = id_of(&created["topic"]);
    let answer = app
        .reply(
            &victor.access_token,
            &topic,
            "Начни с pg_hba.conf и проверь, слушает ли сервер порт 5432",
        )
        .await;
    let advice = app
        .reply(
            &mona.access_token,
            &topic,
            "Сначала настрой **репликацию**, потом <b>бэкапы</b> & мониторинг",
        )
        .await;

    for token in [None, Some(ursula.access_token.as_str())] {
        let page = app
            .search(token, &[("type", "posts"), ("q", "слушает порт")])
            .await;
        assert_eq!(ids(&page), [id_of(&answer)]);
        let found = hits(&page);
        let hit = &found[0];
        assert_eq!(hit["type"], "post");
        assert_eq!(hit["topic_id"], topic.as_str());
        assert_eq!(hit["topic_title"], "Как настроить сервер PostgreSQL");
        assert_eq!(hit["number"], 2);
        assert_eq!(hit["author"]["handle"], "victor");
        assert!(hit["created_at"].is_string(), "{hit}");
        let highlight = hit["highlight"].as_str().expect("highlight");
        for word in ["<mark>слушает</mark>", "<mark>порт</mark>"] {
            assert!(highlight.contains(word), "{word} in {highlight}");
        }
        assert_safe_html(&hit["highlight"]);
    }

    let page = app
        .search(None, &[("type", "posts"), ("q", "репликация")])
        .await;
    assert_eq!(ids(&page), [id_of(&advice)]);
    let found = hits(&page);
    let highlight = &found[0]["highlight"];
    assert!(
        highlight
            .as_str()
            .expect("highlight")
            .contains("<mark>репликацию</mark>"),
        "{highlight}"
    );
    assert_safe_html(highlight);
    assert!(
        posts_found(&app, None, "мониторинг бэкапы", &[])
            .await
            .contains(&id_of(&advice))
    );
    assert!(
        posts_found(&app, None, "порт репликация", &[])
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn topic_category_and_author_filters_narrow_the_posts() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let help = app
        .post_as(
            "/api/v1/categories",
            &boss.access_token,
            &json!({"slug": "help", "name": "Help"}),
        )
        .await;
    let help = id_of(&json_of(help, 201).await);
    let stored = app
        .create_topic(
            &ursula.access_token,
            "general",
            "Храню базу PostgreSQL",
            "Поделитесь опытом",
        )
        .await;
    let general = stored["topic"]["category"]["id"]
        .as_str()
        .expect("category id")
        .to_owned();
    let stored = id_of(&stored["topic"]);
    let home = app
        .create_topic(
            &ursula.access_token,
            "help",
            "Домашний сервер",
            "Поделитесь опытом",
        )
        .await;
    let home = id_of(&home["topic"]);
    let nightly = id_of(
        &app.reply(
            &victor.access_token,
            &stored,
            "Я делаю бэкап через pg_dump каждую ночь",
        )
        .await,
    );
    let asked = id_of(
        &app.reply(&mona.access_token, &home, "А бэкап где хранишь?")
            .await,
    );
    let disk = id_of(
        &app.reply(&victor.access_token, &home, "Бэкап храню на внешнем диске")
            .await,
    );
    let (help, general, stored, home) = (
        help.as_str(),
        general.as_str(),
        stored.as_str(),
        home.as_str(),
    );
    let (nightly, asked, disk) = (nightly.as_str(), asked.as_str(), disk.as_str());

    let cases: [(Params<'_>, Vec<&str>); 9] = [
        (vec![], vec![nightly, asked, disk]),
        (vec![("topic", stored)], vec![nightly]),
        (vec![("topic", home)], vec![asked, disk]),
        (vec![("category", help)], vec![asked, disk]),
        (vec![("category", general)], vec![nightly]),
        (vec![("author", "victor")], vec![nightly, disk]),
        (vec![("author", "Victor"), ("topic", home)], vec![disk]),
        (vec![("author", "mona"), ("category", general)], vec![]),
        (vec![("author", "nobody_here")], vec![]),
    ];
    for (filters, expected) in cases {
        let found = posts_found(&app, None, "бэкап", &filters).await;
        assert_eq!(found, sorted(&expected), "{filters:?}");
    }
}

#[tokio::test]
async fn deleted_posts_are_never_found_whoever_deleted_them_and_restored_ones_are() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(
            &ursula.access_token,
            "general",
            "Что поставить перед приложением",
            "Какой прокси взять?",
        )
        .await;
    let topic = id_of(&created["topic"]);
    let mut replies = Vec::new();
    for (token, body) in [
        (
            &victor.access_token,
            "Nginx проксирует на порт 8080, я проверил",
        ),
        (&victor.access_token, "Nginx — прошлый век, а ты отстал"),
        (&ursula.access_token, "Nginx у меня работает годами"),
    ] {
        replies.push(id_of(&app.reply(token, &topic, body).await));
    }
    let [withdrawn, removed, kept] = [&replies[0], &replies[1], &replies[2]];
    assert_eq!(
        posts_found(&app, None, "nginx", &[]).await,
        sorted(&replies)
    );

    let withdraw = app
        .delete_as(&format!("/api/v1/posts/{withdrawn}"), &victor.access_token)
        .await;
    assert_eq!(withdraw.status(), 204, "its author deletes it");
    let remove = app
        .delete_as(&format!("/api/v1/posts/{removed}"), &mona.access_token)
        .await;
    assert_eq!(remove.status(), 204, "a moderator deletes it");
    for token in [
        None,
        Some(ursula.access_token.as_str()),
        Some(victor.access_token.as_str()),
        Some(mona.access_token.as_str()),
        Some(boss.access_token.as_str()),
    ] {
        assert_eq!(
            posts_found(&app, token, "nginx", &[]).await,
            [kept.as_str()]
        );
    }

    let restore = format!("/api/v1/posts/{removed}/restore");
    let restored = app
        .call(Method::POST, &restore, Some(&boss.access_token), None)
        .await;
    json_of(restored, 200).await;
    assert_eq!(
        posts_found(&app, None, "nginx", &[]).await,
        sorted(&[removed.as_str(), kept.as_str()])
    );
}

#[tokio::test]
async fn a_block_either_way_hides_each_ones_topics_and_posts_from_the_other() {
    let Forum {
        app,
        mona,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let ursulas = "Kubernetes на Raspberry Pi";
    let victors = "Собираем кластер Kubernetes";
    let monas = "Kubernetes или docker compose?";
    for (token, title, body) in [
        (&ursula.access_token, ursulas, "Делюсь опытом сборки"),
        (&victor.access_token, victors, "Три ноды и роутер"),
    ] {
        app.create_topic(token, "general", title, body).await;
    }
    // Replies in mona's topic, which all of them may read.
    let created = app
        .create_topic(&mona.access_token, "general", monas, "Что выбрать для дома")
        .await;
    let topic = id_of(&created["topic"]);
    for (token, body) in [
        (&ursula.access_token, "Kubernetes, если хочется учиться"),
        (
            &victor.access_token,
            "Kubernetes тут лишний, хватит compose",
        ),
        (&mona.access_token, "Kubernetes сложен для новичков"),
    ] {
        app.reply(token, &topic, body).await;
    }
    let everything = sorted(&[monas, ursulas, victors]);
    for token in [&ursula.access_token, &victor.access_token] {
        let token = Some(token.as_str());
        assert_eq!(topic_titles(&app, token, "kubernetes").await, everything);
        assert_eq!(
            post_authors(&app, token, "kubernetes").await,
            ["mona", "ursula", "victor"]
        );
    }

    let block = app
        .put_as("/api/v1/blocks/victor", &ursula.access_token)
        .await;
    assert_eq!(block.status(), 204);
    for (token, seen, writers) in [
        (&ursula.access_token, [monas, ursulas], ["mona", "ursula"]),
        (&victor.access_token, [monas, victors], ["mona", "victor"]),
    ] {
        let token = Some(token.as_str());
        assert_eq!(topic_titles(&app, token, "kubernetes").await, sorted(&seen));
        assert_eq!(post_authors(&app, token, "kubernetes").await, writers);
    }
    for token in [None, Some(mona.access_token.as_str())] {
        assert_eq!(topic_titles(&app, token, "kubernetes").await, everything);
        assert_eq!(
            post_authors(&app, token, "kubernetes").await,
            ["mona", "ursula", "victor"]
        );
    }
}
