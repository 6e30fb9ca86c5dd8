//! Several `noxchat serve` processes on one database, with a private Redis:
//! what happens on one instance reaches sockets on the other, and neither
//! Redis going away nor an instance dying loses or doubles anything.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binary;
#[path = "../../tests/support/socket.rs"]
mod socket;

use serde_json::{Value, json};

use binary::deployment::Deployment;
use socket::{Ending, Socket};

#[tokio::test]
async fn events_presence_and_session_ends_cross_from_one_instance_to_the_other() {
    let deployment = Deployment::start().await;
    let anna = deployment.person("anna").await;
    let boris = deployment.person("boris").await;
    let carol = deployment.person("carol").await;
    deployment.befriend(&anna, &boris, "boris").await;
    let (mut on_second, ready) = Socket::authenticated(&deployment.second.base, &boris.token).await;
    on_second.resume(ready["position"].as_i64().unwrap()).await;

    deployment.request(&deployment.first, &carol, "boris").await;
    let event = on_second.event().await;
    assert_eq!(event["event"]["type"], "friend_request_sent");
    assert_eq!(event["event"]["sender"]["handle"], "carol");

    let (_anna_on_first, _) = Socket::authenticated(&deployment.first.base, &anna.token).await;
    let online = on_second.presence().await;
    assert_eq!(
        (&online["user_id"], &online["online"]),
        (&anna.id, &json!(true))
    );

    let phone = deployment.sign_in(&deployment.first, "boris").await;
    let phone_token = phone["access_token"].as_str().unwrap();
    let (mut phone_socket, _) = Socket::authenticated(&deployment.second.base, phone_token).await;
    let ended = deployment
        .client
        .post(format!("{}/api/v1/auth/logout", deployment.first.base))
        .bearer_auth(phone_token)
        .json(&json!({"refresh_token": phone["refresh_token"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), 204);
    let (_, ending) = phone_socket.until_closed().await;
    assert_eq!(ending, Ending::Closed(4004));
    deployment.finish().await;
}

#[tokio::test]
async fn redis_going_away_and_coming_back_loses_and_doubles_nothing() {
    let mut deployment = Deployment::start().await;
    let anna = deployment.person("anna").await;
    let boris = deployment.person("boris").await;
    let carol = deployment.person("carol").await;
    deployment.befriend(&anna, &boris, "boris").await;
    let (mut watching, ready) = Socket::authenticated(&deployment.second.base, &boris.token).await;
    watching.resume(ready["position"].as_i64().unwrap()).await;

    deployment.redis.stop();
    // Stored events do not need Redis at all.
    deployment.request(&deployment.first, &carol, "boris").await;
    assert_eq!(watching.event().await["event"]["sender"]["handle"], "carol");
    // A presence change while Redis is away…
    let (anna_socket, _) = Socket::authenticated(&deployment.first.base, &anna.token).await;
    deployment.redis.resume().await;
    // …arrives once it is back, once.
    let online = watching.presence().await;
    assert_eq!(
        (&online["user_id"], &online["online"]),
        (&anna.id, &json!(true))
    );
    anna_socket.close().await;
    let next = watching.presence().await;
    assert_eq!(
        (&next["user_id"], &next["online"]),
        (&anna.id, &json!(false)),
        "no second `online` came first"
    );
    deployment.finish().await;
}

#[tokio::test]
async fn clients_of_an_instance_that_dies_resume_on_the_other_with_nothing_lost() {
    let mut deployment = Deployment::start().await;
    let boris = deployment.person("boris").await;
    let senders = [
        deployment.person("anna").await,
        deployment.person("carol").await,
        deployment.person("dmitri").await,
    ];
    let (mut socket, ready) = Socket::authenticated(&deployment.first.base, &boris.token).await;
    socket.resume(ready["position"].as_i64().unwrap()).await;
    deployment
        .request(&deployment.second, &senders[0], "boris")
        .await;
    let last_seen = socket.event().await["seq"].as_i64().unwrap();
    assert_eq!(last_seen, 1);

    deployment.first.process.kill().unwrap();
    let (_, ending) = socket.until_closed().await;
    assert_eq!(ending, Ending::Dropped, "killed: no close frame");
    for sender in &senders[1..] {
        deployment
            .request(&deployment.second, sender, "boris")
            .await;
    }

    let (mut again, _) = Socket::authenticated(&deployment.second.base, &boris.token).await;
    again.resume(last_seen).await;
    // Each request comes with its notification: 2 tells of anna's, then
    // carol's and dmitri's requests, each followed by its own.
    let mut frames = Vec::new();
    for _ in 0..5 {
        frames.push(again.event().await);
    }
    let seqs: Vec<i64> = frames.iter().map(|f| f["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, [2, 3, 4, 5, 6], "nothing lost, nothing repeated");
    let senders_seen: Vec<(i64, String)> = frames
        .iter()
        .filter(|frame| frame["event"]["type"] == "friend_request_sent")
        .map(|frame| {
            (
                frame["seq"].as_i64().unwrap(),
                frame["event"]["sender"]["handle"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect();
    assert_eq!(
        senders_seen,
        [(3, "carol".to_owned()), (5, "dmitri".to_owned())]
    );
    deployment.finish().await;
}

#[tokio::test]
async fn messages_and_typing_cross_from_one_instance_to_the_other() {
    let deployment = Deployment::start().await;
    let anna = deployment.person("anna").await;
    let boris = deployment.person("boris").await;
    let opened: Value = deployment
        .client
        .post(format!(
            "{}/api/v1/conversations/direct",
            deployment.first.base
        ))
        .bearer_auth(&anna.token)
        .json(&json!({"user_id": boris.id}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let conversation = opened["id"].clone();
    let (mut borises, ready) = Socket::authenticated(&deployment.second.base, &boris.token).await;
    borises.resume(ready["position"].as_i64().unwrap()).await;
    let (mut annas, _) = Socket::authenticated(&deployment.first.base, &anna.token).await;

    // Typing is not stored: it crosses through Redis.
    annas
        .send(json!({"type": "typing", "conversation_id": conversation}))
        .await;
    let typing = borises.frame().await;
    assert_eq!(typing["type"], "user_typing", "{typing}");
    assert_eq!(typing["user_id"], anna.id);

    let sent = deployment
        .client
        .post(format!(
            "{}/api/v1/conversations/{}/messages",
            deployment.first.base,
            conversation.as_str().unwrap()
        ))
        .bearer_auth(&anna.token)
        .json(&json!({"client_id": "0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f", "body": "Привет"}))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 201);
    let message = borises.event().await;
    assert_eq!(message["event"]["type"], "message_created");
    assert_eq!(message["event"]["message"]["body"], "Привет");
    deployment.finish().await;
}

#[tokio::test]
async fn instances_started_at_the_same_moment_on_a_new_database_both_start() {
    let database = binary::fresh_database_name();
    let (first, second) = tokio::join!(
        binary::serve_on(&database, &[("NOXCHAT_RATE_LIMITS", "off")]),
        binary::serve_on(&database, &[("NOXCHAT_JOB_WORKERS", "0")]),
    );
    let both_ready = (first.ready, second.ready);
    let mut logs = String::new();
    for instance in [second, first] {
        instance.terminate();
        let (_, log) = instance.finish(std::time::Duration::from_secs(10)).await;
        logs.push_str(&log);
    }
    assert_eq!(both_ready, (true, true), "{logs}");
}
