//! Presence: friends see each other come online and go offline, live and
//! over REST alike, with a grace that hides a page reload, and nobody else
//! learns anything the person's setting does not show them.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::TestUser;

async fn presence_app() -> TestApp {
    TestApp::spawn_with(&[("NOXCHAT_PRESENCE_GRACE_MS", "300")]).await
}

async fn profile(app: &TestApp, viewer: &TestUser, handle: &str) -> Value {
    app.get(
        &format!("/api/v1/users/{handle}"),
        Some(&viewer.access_token),
    )
    .await
    .json()
    .await
    .unwrap()
}

#[tokio::test]
async fn friends_see_each_other_come_online_then_go_offline_after_the_grace() {
    let app = presence_app().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    app.befriend(&anna, &boris, "boris").await;
    let anna_id = app.me(&anna.access_token).await["id"].clone();
    let (mut watching, ready) = app.live_socket(&boris.access_token).await;
    assert_eq!(ready["online"], json!([]));
    assert_eq!(profile(&app, &boris, "anna").await["online"], false);

    let (anna_socket, _) = app.live_socket(&anna.access_token).await;
    let online = watching.presence().await;
    assert_eq!(online["user_id"], anna_id);
    assert_eq!(online["online"], true);
    assert_eq!(profile(&app, &boris, "anna").await["online"], true);
    let (_, later) = app.socket(&boris.access_token).await;
    assert_eq!(later["online"], json!([anna_id.clone()]), "ready lists her");

    anna_socket.close().await;
    let offline = watching.presence().await;
    assert_eq!(offline["user_id"], anna_id);
    assert_eq!(offline["online"], false);
    assert!(offline["last_seen_at"].is_string());
    let shown = profile(&app, &boris, "anna").await;
    assert_eq!(shown["online"], false);
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(shown["last_seen_at"].as_str().unwrap()).unwrap(),
        chrono::DateTime::parse_from_rfc3339(offline["last_seen_at"].as_str().unwrap()).unwrap(),
        "REST and the live frame agree"
    );
}

#[tokio::test]
async fn a_reload_within_the_grace_does_not_flicker() {
    let app = TestApp::spawn_with(&[("NOXCHAT_PRESENCE_GRACE_MS", "1500")]).await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    app.befriend(&anna, &boris, "boris").await;
    let (mut watching, _) = app.live_socket(&boris.access_token).await;
    let (first_tab, _) = app.live_socket(&anna.access_token).await;
    assert_eq!(watching.presence().await["online"], true);

    first_tab.close().await;
    let (reloaded, _) = app.live_socket(&anna.access_token).await;
    reloaded.close().await;
    // The one change boris sees is the final one: no offline-online pair
    // for the reload came before it.
    let next = watching.presence().await;
    assert_eq!(next["online"], false);
}

#[tokio::test]
async fn strangers_and_friends_of_someone_showing_nobody_are_not_told() {
    let app = presence_app().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    let carol = app.signed_up_user("carol").await;
    let hidden = app.signed_up_user("hidden").await;
    app.befriend(&anna, &boris, "boris").await;
    app.befriend(&hidden, &boris, "boris").await;
    let set = app
        .patch_as(
            "/api/v1/me",
            &hidden.access_token,
            &json!({"online_status_visibility": "nobody"}),
        )
        .await;
    assert_eq!(set.status(), 200);
    let (mut friend, _) = app.live_socket(&boris.access_token).await;
    let (mut stranger, _) = app.live_socket(&carol.access_token).await;

    let (_hidden_socket, _) = app.live_socket(&hidden.access_token).await;
    assert_eq!(profile(&app, &hidden, "hidden").await["online"], true);
    assert_eq!(profile(&app, &boris, "hidden").await["online"], Value::Null);
    let (_anna_socket, _) = app.live_socket(&anna.access_token).await;
    let told = friend.presence().await;
    assert_eq!(
        told["user_id"],
        app.me(&anna.access_token).await["id"].clone(),
        "not hidden's"
    );

    let dmitri = app.signed_up_user("dmitri").await;
    app.post_as(
        "/api/v1/friends/requests",
        &dmitri.access_token,
        &json!({"handle": "carol"}),
    )
    .await;
    let first = stranger.frame().await;
    assert_eq!(
        first["type"], "event",
        "carol was told nothing before: {first}"
    );
}

#[tokio::test]
async fn becoming_friends_shows_presence_at_once_and_unfriending_hides_it() {
    let app = presence_app().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    let (mut anna_socket, _) = app.live_socket(&anna.access_token).await;
    let (mut boris_socket, _) = app.live_socket(&boris.access_token).await;
    let (anna_id, boris_id) = (
        app.me(&anna.access_token).await["id"].clone(),
        app.me(&boris.access_token).await["id"].clone(),
    );

    app.befriend(&anna, &boris, "boris").await;
    let seen = boris_socket.presence().await;
    assert_eq!(
        (&seen["user_id"], &seen["online"]),
        (&anna_id, &json!(true))
    );
    let seen = anna_socket.presence().await;
    assert_eq!(
        (&seen["user_id"], &seen["online"]),
        (&boris_id, &json!(true))
    );

    let ended = app
        .delete_as("/api/v1/friends/anna", &boris.access_token)
        .await;
    assert_eq!(ended.status(), 204);
    let hidden = boris_socket.presence().await;
    assert_eq!(
        (&hidden["user_id"], &hidden["online"]),
        (&anna_id, &json!(false))
    );
}

#[tokio::test]
async fn people_held_by_an_instance_that_died_go_offline_unless_online_elsewhere() {
    use diesel::prelude::*;
    use noxchat::realtime::presence::queries;

    let app = presence_app().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    let (_boris_here, _) = app.live_socket(&boris.access_token).await;
    let parse = |id: Value| noxchat::core::UserId::from_uuid(id.as_str().unwrap().parse().unwrap());
    let (anna_id, boris_id) = (
        parse(app.me(&anna.access_token).await["id"].clone()),
        parse(app.me(&boris.access_token).await["id"].clone()),
    );

    let mut conn = app.db.connect();
    let dead = uuid::Uuid::new_v4();
    let long_ago = chrono::Utc::now() - chrono::Duration::minutes(5);
    queries::renew_instance(&mut conn, dead, long_ago).unwrap();
    for user in [anna_id, boris_id] {
        queries::mark_online(&mut conn, user, dead, long_ago).unwrap();
    }
    assert!(!queries::is_online(&mut conn, anna_id, chrono::Utc::now()).unwrap());

    let offline = queries::sweep_dead_instances(&mut conn, chrono::Utc::now()).unwrap();
    assert_eq!(offline.len(), 1, "boris is still online here: {offline:?}");
    assert_eq!(offline[0].0, anna_id);
    assert_eq!(
        offline[0].1.timestamp(),
        long_ago.timestamp(),
        "last seen when the instance last said it was alive"
    );
    let remaining: i64 = noxchat::db::schema::presence::table
        .filter(noxchat::db::schema::presence::instance_id.eq(dead))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(remaining, 0, "the dead instance's rows are gone");
    assert!(queries::is_online(&mut conn, boris_id, chrono::Utc::now()).unwrap());
}

#[tokio::test]
async fn hiding_ones_status_takes_one_offline_for_friends_and_showing_it_brings_one_back() {
    let app = presence_app().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    app.befriend(&anna, &boris, "boris").await;
    let anna_id = app.me(&anna.access_token).await["id"].clone();
    let (mut watching, _) = app.live_socket(&boris.access_token).await;
    let (_anna_socket, _) = app.live_socket(&anna.access_token).await;
    assert_eq!(watching.presence().await["online"], true);

    for (visibility, online) in [("nobody", false), ("friends", true)] {
        let set = app
            .patch_as(
                "/api/v1/me",
                &anna.access_token,
                &json!({"online_status_visibility": visibility}),
            )
            .await;
        assert_eq!(set.status(), 200);
        let told = watching.presence().await;
        assert_eq!(
            (&told["user_id"], &told["online"]),
            (&anna_id, &json!(online))
        );
        let shown = profile(&app, &boris, "anna").await["online"].clone();
        assert_eq!(shown, if online { json!(true) } else { Value::Null });
    }
}

#[tokio::test]
async fn an_instance_swept_while_alive_records_its_people_again() {
    use noxchat::realtime::presence::queries;

    let app = presence_app().await;
    let anna = app.signed_up_user("anna").await;
    let anna_id = noxchat::core::UserId::from_uuid(
        app.me(&anna.access_token).await["id"]
            .clone()
            .as_str()
            .unwrap()
            .parse()
            .unwrap(),
    );
    let mut conn = app.db.connect();
    let paused = uuid::Uuid::new_v4();
    let now = chrono::Utc::now();
    assert!(
        !queries::renew_instance(&mut conn, paused, now).unwrap(),
        "a new row"
    );
    assert!(
        queries::renew_instance(&mut conn, paused, now).unwrap(),
        "renewed"
    );
    queries::mark_online(&mut conn, anna_id, paused, now).unwrap();

    // Another instance swept it (it had not renewed in time)…
    app.db.execute(&format!(
        "DELETE FROM realtime_instances WHERE id = '{paused}'"
    ));
    assert!(!queries::is_online(&mut conn, anna_id, now).unwrap());
    // …so its next renewal finds no row, and records anna again.
    assert!(!queries::renew_instance(&mut conn, paused, now).unwrap());
    let back = queries::restore(&mut conn, &[anna_id], paused, now).unwrap();
    assert_eq!(back, [anna_id], "she was offline everywhere meanwhile");
    assert!(queries::is_online(&mut conn, anna_id, now).unwrap());
}
