//! Restarts in the middle of a chat, of the server and of Redis: a reader
//! who resumes from the last event he had, and a sender who retries the
//! message she is unsure of with its `client_id`, end with every message
//! exactly once, in order, live and in the stored history alike.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binary;
#[path = "../../tests/support/socket.rs"]
mod socket;

use std::ops::RangeInclusive;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::time::Instant;

use binary::deployment::{self, Deployment, Person};
use binary::{free_port, fresh_database_name, serve_on_port};
use socket::{Ending, Socket};

/// One instance, no Redis: everything stays in the process.
const ALONE: &[(&str, &str)] = &[("NOXCHAT_RATE_LIMITS", "off")];
/// How long a server asked to stop may take to exit.
const STOPPING: Duration = Duration::from_secs(15);
/// A connection's typing in a conversation is passed on once every 2 s:
/// a client that goes on typing says so again a little later than that.
const TYPING_AGAIN: Duration = Duration::from_millis(2100);
/// Redis back, the bus may take this long to publish and subscribe again
/// (its reconnections back off).
const TYPING_PATIENCE: Duration = Duration::from_secs(20);

/// A server asked to stop (SIGTERM, as a deploy does) in the middle of a
/// chat tells its sockets to reconnect (1012). Started again on the same
/// database and address, it answers the sender's retry of the last message
/// she sent with that message, not a second one; the reader resumes from
/// the last event he had and gets the rest: each message once, in order.
#[tokio::test]
async fn a_server_restart_mid_chat_loses_and_doubles_no_message() {
    let (database, port) = (fresh_database_name(), free_port());
    let mut server = serve_on_port(&database, port, ALONE).await;
    assert!(server.ready, "the server did not start");
    let client = reqwest::Client::new();
    let anna = deployment::person(&client, &server, "anna").await;
    let boris = deployment::person(&client, &server, "boris").await;
    let mut annas = Writer::to_direct(&client, &server.base, &anna, &boris).await;
    let (mut borises, ready) = Socket::authenticated(&server.base, &boris.token).await;
    let mut inbox = Inbox::after(ready["position"].as_i64().unwrap(), &annas.conversation);
    borises.resume(inbox.last_event).await;

    annas.send_new(1..=5).await;
    let sixth_client_id = uuid::Uuid::new_v4().to_string();
    let (status, sixth) = annas.send(&sixth_client_id, 6).await;
    assert_eq!(status, 201, "{sixth}");

    // Between two sends, never during one: no request races the stop.
    server.terminate();
    let (before, ending) = borises.until_closed().await;
    assert_eq!(
        ending,
        Ending::Closed(1012),
        "told to reconnect (service restart)"
    );
    for frame in before.iter().filter(|frame| frame["type"] == "event") {
        inbox.take(frame);
    }
    let (status, logs) = server.wait_for_exit(STOPPING).await;
    assert!(
        status.is_some_and(|status| status.success()),
        "no clean exit on SIGTERM:\n{logs}"
    );
    assert!(!logs.contains("panicked"), "{logs}");

    let restarted = serve_on_port(&database, port, ALONE).await;
    assert!(restarted.ready, "the server did not start again");
    // A client of its own: nothing kept alive from before the restart.
    annas.client = reqwest::Client::new();
    // Anna never learnt whether her sixth message went: she sends it again.
    let (status, retried) = annas.send(&sixth_client_id, 6).await;
    assert_eq!(
        status, 200,
        "a retry after the restart returns the same message"
    );
    assert_eq!(
        (&retried["id"], &retried["seq"], &retried["body"]),
        (&sixth["id"], &sixth["seq"], &sixth["body"])
    );
    annas.send_new(7..=12).await;

    let (mut again, _) = Socket::authenticated(&restarted.base, &boris.token).await;
    again.resume(inbox.last_event).await;
    inbox.read_until(&mut again, 12).await;
    assert_eq!(inbox.bodies_and_seqs(), numbered(12), "each once, in order");
    assert_eq!(
        annas.history(&boris).await,
        numbered(12),
        "stored once each"
    );

    again.close().await;
    restarted.terminate();
    let (_, logs) = restarted.finish(STOPPING).await;
    assert!(!logs.contains("panicked"), "{logs}");
}

/// Redis carries only what is not stored, such as typing. While it is
/// away, messages still reach a reader on the other instance (PostgreSQL
/// carries them); once it is back, typing crosses again; and the reader
/// has every message once, in order.
#[tokio::test]
async fn a_redis_restart_mid_chat_loses_and_doubles_no_message() {
    let mut deployment = Deployment::start().await;
    let anna = deployment.person("anna").await;
    let boris = deployment.person("boris").await;
    let first = deployment.first.base.clone();
    let annas = Writer::to_direct(&deployment.client, &first, &anna, &boris).await;
    let (mut borises, ready) = Socket::authenticated(&deployment.second.base, &boris.token).await;
    let mut inbox = Inbox::after(ready["position"].as_i64().unwrap(), &annas.conversation);
    borises.resume(inbox.last_event).await;
    let (mut annas_socket, _) = Socket::authenticated(&first, &anna.token).await;

    let typing = typing_crosses(&mut annas_socket, &mut borises, &mut inbox).await;
    assert_eq!(typing["user_id"], anna.id, "{typing}");
    annas.send_new(1..=3).await;
    inbox.read_until(&mut borises, 3).await;

    deployment.redis.stop();
    annas.send_new(4..=6).await;
    inbox.read_until(&mut borises, 6).await;

    deployment.redis.resume().await;
    let typing = typing_crosses(&mut annas_socket, &mut borises, &mut inbox).await;
    assert_eq!(typing["user_id"], anna.id, "{typing}");
    assert_eq!(typing["conversation_id"], annas.conversation.as_str());
    annas.send_new(7..=9).await;
    inbox.read_until(&mut borises, 9).await;

    assert_eq!(inbox.bodies_and_seqs(), numbered(9), "each once, in order");
    assert_eq!(annas.history(&boris).await, numbered(9), "stored once each");
    annas_socket.close().await;
    borises.close().await;
    deployment.finish().await;
}

/// The text of message `number`.
fn body(number: i64) -> String {
    format!("message {number}")
}

/// Messages 1 to `count` with their seqs: what each test expects.
fn numbered(count: i64) -> Vec<(String, i64)> {
    (1..=count).map(|number| (body(number), number)).collect()
}

/// The body and seq of each message, in the order given.
fn bodies_and_seqs(messages: &[Value]) -> Vec<(String, i64)> {
    messages
        .iter()
        .map(|message| {
            (
                message["body"].as_str().unwrap().to_owned(),
                message["seq"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// One person writing in one conversation over HTTP, as her client does:
/// a fresh `client_id` per message, the same one for a retry.
struct Writer {
    client: reqwest::Client,
    base: String,
    token: String,
    conversation: String,
}

impl Writer {
    /// Opens `from`'s direct conversation with `to` (who takes messages
    /// from everyone, as by default) on the instance at `base`.
    async fn to_direct(client: &reqwest::Client, base: &str, from: &Person, to: &Person) -> Self {
        let response = client
            .post(format!("{base}/api/v1/conversations/direct"))
            .bearer_auth(&from.token)
            .json(&json!({"user_id": to.id}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let opened: Value = response.json().await.unwrap();
        Self {
            client: client.clone(),
            base: base.to_owned(),
            token: from.token.clone(),
            conversation: opened["id"].as_str().unwrap().to_owned(),
        }
    }

    /// Sends message `number` with `client_id`: the status and the answer.
    async fn send(&self, client_id: &str, number: i64) -> (u16, Value) {
        let response = self
            .client
            .post(format!(
                "{}/api/v1/conversations/{}/messages",
                self.base, self.conversation
            ))
            .bearer_auth(&self.token)
            .json(&json!({"client_id": client_id, "body": body(number)}))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    /// Sends each of `numbers`, one after another, each a new message.
    async fn send_new(&self, numbers: RangeInclusive<i64>) {
        for number in numbers {
            let client_id = uuid::Uuid::new_v4().to_string();
            let (status, answer) = self.send(&client_id, number).await;
            assert_eq!(status, 201, "message {number}: {answer}");
        }
    }

    /// The whole conversation as `reader` finds it stored: body and seq of
    /// each message, from the first.
    async fn history(&self, reader: &Person) -> Vec<(String, i64)> {
        let page: Value = self
            .client
            .get(format!(
                "{}/api/v1/conversations/{}/messages?after=0&limit=50",
                self.base, self.conversation
            ))
            .bearer_auth(&reader.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(page["has_more"], false, "{page}");
        bodies_and_seqs(page["items"].as_array().unwrap())
    }
}

/// What the reader's client has taken from his event log, across his
/// connections: where it stands, and the messages of one conversation.
struct Inbox {
    last_event: i64,
    conversation: String,
    messages: Vec<Value>,
}

impl Inbox {
    /// Nothing yet, the log at `position` (from `ready`).
    fn after(position: i64, conversation: &str) -> Self {
        Self {
            last_event: position,
            conversation: conversation.to_owned(),
            messages: Vec::new(),
        }
    }

    /// Takes in an event frame, which must be the next of the log.
    fn take(&mut self, frame: &Value) {
        assert_eq!(frame["type"], "event", "{frame}");
        let seq = frame["seq"].as_i64().unwrap();
        assert_eq!(seq, self.last_event + 1, "no gap, no repeat: {frame}");
        self.last_event = seq;
        let event = &frame["event"];
        if event["type"] == "message_created" {
            assert_eq!(event["conversation_id"], self.conversation.as_str());
            self.messages.push(event["message"].clone());
        }
    }

    /// Reads `socket`'s events until `count` messages have come in all.
    async fn read_until(&mut self, socket: &mut Socket, count: usize) {
        while self.messages.len() < count {
            let frame = socket.event().await;
            self.take(&frame);
        }
    }

    fn bodies_and_seqs(&self) -> Vec<(String, i64)> {
        bodies_and_seqs(&self.messages)
    }
}

/// `typist` says she is typing in the inbox's conversation until `reader`
/// is told, again every [`TYPING_AGAIN`] for up to [`TYPING_PATIENCE`]
/// (only what is sent while the other instance listens can reach it): the
/// `user_typing` frame. Events that come meanwhile go to the inbox; other
/// ephemeral frames (presence) are passed over.
async fn typing_crosses(typist: &mut Socket, reader: &mut Socket, inbox: &mut Inbox) -> Value {
    let give_up = Instant::now() + TYPING_PATIENCE;
    while Instant::now() < give_up {
        typist
            .send(json!({"type": "typing", "conversation_id": inbox.conversation}))
            .await;
        let again_at = Instant::now() + TYPING_AGAIN;
        while let Ok(frame) = tokio::time::timeout_at(again_at, reader.frame()).await {
            if frame["type"] == "user_typing" {
                return frame;
            }
            assert_ne!(frame["type"], "error", "{frame}");
            if frame["type"] == "event" {
                inbox.take(&frame);
            }
        }
    }
    panic!("typing did not cross within {TYPING_PATIENCE:?}");
}
