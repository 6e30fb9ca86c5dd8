//! Two NoxChat instances behind the project's nginx, sharing PostgreSQL,
//! Redis and their files, as deploy/DEPLOYMENT.md scales a community: two
//! people whose sockets nginx put on different instances chat, and one
//! instance stopping mid-conversation (a rolling restart) loses nothing
//! and doubles nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binary;
#[path = "../../tests/support/socket.rs"]
mod socket;

use std::time::Duration;

use serde_json::{Value, json};

use binary::deployment::{Deployment, Person};
use binary::free_port;
use binary::nginx::{Nginx, Site};
use socket::{Ending, Socket};

/// What a client does: sends with one `client_id` until the server has it,
/// whichever instance answers (nginx's 503 while one stops is retried).
async fn send(base: &str, client: &reqwest::Client, from: &Person, conversation: &str, body: &str) {
    let client_id = uuid::Uuid::new_v4().to_string();
    for _ in 0..50 {
        let sent = client
            .post(format!(
                "{base}/api/v1/conversations/{conversation}/messages"
            ))
            .bearer_auth(&from.token)
            .json(&json!({"client_id": client_id, "body": body}))
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => return,
            Ok(response) => assert_eq!(
                response.status(),
                503,
                "only a stopping instance may refuse"
            ),
            Err(_) => {}
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("`{body}` was never accepted");
}

/// WebSocket connections open on the instance whose metrics are at `port`.
async fn live_connections(metrics_port: u16) -> u64 {
    let text = reqwest::get(format!("http://127.0.0.1:{metrics_port}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix("noxchat_realtime_connections "))
        .map(|value| value.trim().parse().unwrap())
        .unwrap_or(0)
}

/// The connections on each instance, once they add up to `total`.
async fn connections_once(metrics: [u16; 2], total: u64) -> [u64; 2] {
    for _ in 0..100 {
        let counts = [
            live_connections(metrics[0]).await,
            live_connections(metrics[1]).await,
        ];
        if counts[0] + counts[1] == total {
            return counts;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the instances never held {total} connections between them");
}

async fn authenticated(nginx: &Nginx, who: &Person) -> Socket {
    let (mut socket, ready) =
        Socket::authenticate_over(nginx.realtime_socket().await, &who.token).await;
    socket.resume(ready["position"].as_i64().unwrap()).await;
    socket
}

/// Message bodies in the events a socket gets, with their `seq`.
fn messages_in(frames: &[Value]) -> Vec<(i64, String)> {
    frames
        .iter()
        .filter(|frame| frame["type"] == "event" && frame["event"]["type"] == "message_created")
        .map(|frame| {
            let body = frame["event"]["message"]["body"]
                .as_str()
                .unwrap()
                .to_owned();
            (frame["seq"].as_i64().unwrap(), body)
        })
        .collect()
}

#[tokio::test]
async fn a_chat_across_two_instances_behind_nginx_survives_one_stopping_midway() {
    let shared_files =
        std::env::temp_dir().join(format!("noxchat-shared-{}", uuid::Uuid::new_v4()));
    let shared_files = shared_files.display().to_string();
    let metrics = [free_port(), free_port()];
    let binds = metrics.map(|port| format!("127.0.0.1:{port}"));
    let deployment = Deployment::start_with(
        &[
            ("NOXCHAT_DATA_DIR", &shared_files),
            ("NOXCHAT_TRUSTED_PROXIES", "127.0.0.1"),
        ],
        [
            &[("NOXCHAT_METRICS_BIND", &binds[0])],
            &[("NOXCHAT_METRICS_BIND", &binds[1])],
        ],
    )
    .await;
    let instances = [&deployment.first, &deployment.second];
    let addresses = instances.map(|i| i.base.trim_start_matches("http://").to_owned());
    let nginx = Nginx::start(Site::in_front_of_all(&[&addresses[0], &addresses[1]])).await;
    let client = nginx.client([127, 0, 0, 9]);
    let anna = deployment.person("anna").await;
    let boris = deployment.person("boris").await;
    let opened: Value = client
        .post(format!(
            "{}/api/v1/conversations/direct",
            nginx.https_base()
        ))
        .bearer_auth(&anna.token)
        .json(&json!({"user_id": boris.id}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let conversation = opened["id"].as_str().unwrap().to_owned();

    // nginx balances; each person's socket ends up on its own instance.
    let mut borises = authenticated(&nginx, &boris).await;
    let counts = connections_once(metrics, 1).await;
    let boris_on = usize::from(counts[1] == 1);
    let mut annas = None;
    for attempt in 0..8 {
        let socket = authenticated(&nginx, &anna).await;
        if connections_once(metrics, 2).await[1 - boris_on] == 1 {
            annas = Some(socket);
            break;
        }
        socket.close().await;
        connections_once(metrics, 1).await;
        assert!(attempt < 7, "nginx never used the other instance");
    }
    let mut annas = annas.unwrap();

    send(
        &nginx.https_base(),
        &client,
        &anna,
        &conversation,
        "Привет, Борис",
    )
    .await;
    let first = borises.event().await;
    assert_eq!(first["event"]["message"]["body"], "Привет, Борис");
    send(
        &nginx.https_base(),
        &client,
        &boris,
        &conversation,
        "Hi Anna",
    )
    .await;
    let reply = loop {
        let event = annas.event().await;
        if event["event"]["message"]["body"] == "Hi Anna" {
            break event;
        }
    };
    assert_eq!(reply["event"]["type"], "message_created");

    // Boris's instance stops (SIGTERM) while Anna keeps writing, and she
    // writes on once it is gone.
    let bodies: Vec<String> = (1..=12).map(|n| format!("message {n}")).collect();
    let writing = {
        let (client, conversation) = (client.clone(), conversation.clone());
        let during_the_stop = bodies[..6].to_vec();
        let anna = Person {
            token: anna.token.clone(),
            id: anna.id.clone(),
        };
        let base = nginx.https_base();
        tokio::spawn(async move {
            for body in &during_the_stop {
                send(&base, &client, &anna, &conversation, body).await;
            }
        })
    };
    let mut seen = vec![first];
    seen.push(borises.event().await);
    let stopping = instances[boris_on];
    stopping.terminate();
    let (before_close, ending) = borises.until_closed().await;
    assert_eq!(ending, Ending::Closed(1012), "told to come back soon");
    seen.extend(before_close);
    writing.await.unwrap();
    while reqwest::get(format!("{}/readyz", stopping.base))
        .await
        .is_ok()
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for body in &bodies[6..] {
        send(&nginx.https_base(), &client, &anna, &conversation, body).await;
    }

    // Back through nginx, on the instance still running, from where it was.
    let last_seq = messages_in(&seen).last().unwrap().0;
    let (mut again, _) =
        Socket::authenticate_over(nginx.realtime_socket().await, &boris.token).await;
    again.resume(last_seq).await;
    let mut received = messages_in(&seen);
    while received.last().map(|(_, body)| body.as_str()) != Some("message 12") {
        received.extend(messages_in(&[again.event().await]));
    }
    let mut expected = vec!["Привет, Борис".to_owned(), "Hi Anna".to_owned()];
    expected.extend(bodies);
    let in_order: Vec<&str> = received.iter().map(|(_, body)| body.as_str()).collect();
    assert_eq!(in_order, expected, "every message once, in order");
    drop(again);
    drop(annas);
    drop(nginx);
    deployment.finish().await;
    let _ = std::fs::remove_dir_all(&shared_files);
}
