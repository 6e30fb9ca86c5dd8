//! A storm of clients reconnecting and resuming at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use futures_util::{StreamExt, stream};
use serde_json::Value;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;
use uuid::Uuid;

use super::{Metrics, OPENING_AT_ONCE, SECTION, SOCKETS_PER_PERSON};
use crate::client::{self, Crowd, Held, Person, ServerGuard, Ws, thousands};
use crate::context::Context;
use crate::report::{Figure, Report};
use crate::server::free_port;

/// What a client coming back catches up with.
struct Returning {
    base: Arc<str>,
    token: Arc<str>,
    /// The last event it has.
    after: i64,
    /// The client id of the message sent while it was away.
    expected: Arc<str>,
    deadline: Instant,
}

/// When a client caught up (after the storm began), and in how many tries.
type Outcome = Result<(Duration, u32), String>;

/// `n` clients connected and resumed go away; each person gets a message;
/// then all of them reconnect and resume at once.
pub(super) async fn reconnect_storm(ctx: &Context, report: &mut Report) {
    let n: usize = if ctx.quick { 500 } else { 5_000 };
    let patience = Duration::from_secs(if ctx.quick { 30 } else { 60 });
    let pair_count = (n.div_ceil(2 * SOCKETS_PER_PERSON) as i64).min(ctx.seed.conversations);
    if pair_count < 1 {
        panic!("{SECTION}: the seed has no direct conversations");
    }
    let metrics_bind = format!("127.0.0.1:{}", free_port());
    let server = ServerGuard::start(ctx, &[("NOXCHAT_METRICS_BIND", metrics_bind.as_str())]).await;
    let metrics = Metrics {
        http: ctx.http.clone(),
        url: format!("http://{metrics_bind}/metrics"),
    };
    let base: Arc<str> = Arc::from(server.base());
    let people = client::sign_in_people(ctx, &base, SECTION, 2 * pair_count)
        .await
        .unwrap_or_else(|error| panic!("{SECTION}: {error}"));
    let mut conversations = Vec::new();
    for pair in people.chunks(2) {
        let conversation = client::direct_conversation(ctx, &base, &pair[0], &pair[1])
            .await
            .unwrap_or_else(|error| panic!("{SECTION}: {error}"));
        conversations.push(conversation);
    }

    // Everyone connected and resumed, then gone.
    let away = connect_and_leave(&base, &people, n).await;
    metrics
        .wait_for(0, Duration::from_secs(60))
        .await
        .unwrap_or_else(|error| panic!("{SECTION}: after they left: {error}"));

    // While they are away, every pair writes once: both people's logs grow.
    let mut expected: Vec<Arc<str>> = Vec::new();
    for (pair, conversation) in people.chunks(2).zip(&conversations) {
        let client_id = Uuid::new_v4();
        client::send_message(
            &ctx.http,
            &base,
            &pair[0].token,
            *conversation,
            client_id,
            "bench: back online yet?",
        )
        .await
        .unwrap_or_else(|error| panic!("{SECTION}: {error}"));
        expected.push(Arc::from(client_id.to_string()));
    }

    let count = away.len();
    eprintln!(
        "{SECTION}: storm: {} clients reconnect and resume at once …",
        thousands(count)
    );
    let tokens: Vec<Arc<str>> = people
        .iter()
        .map(|person| Arc::from(person.token.as_str()))
        .collect();
    let (done, mut outcomes) = mpsc::channel::<Outcome>(count.max(1));
    let started = Instant::now();
    let deadline = started + patience;
    let mut storm = Crowd::empty();
    for (person, after) in away {
        let coming = Returning {
            base: Arc::clone(&base),
            token: Arc::clone(&tokens[person]),
            after,
            expected: Arc::clone(&expected[person / 2]),
            deadline,
        };
        storm.spawn(come_back(
            coming,
            started,
            done.clone(),
            storm.stop_signal(),
        ));
    }
    drop(done);

    let mut caught_up: Vec<Duration> = Vec::with_capacity(count);
    let mut retried = 0;
    let mut failures: Vec<String> = Vec::new();
    let mut progress = tokio::time::interval(Duration::from_secs(1));
    progress.tick().await;
    let give_up = deadline + Duration::from_secs(15);
    while caught_up.len() + failures.len() < count {
        tokio::select! {
            outcome = outcomes.recv() => match outcome {
                Some(Ok((took, tries))) => {
                    caught_up.push(took);
                    if tries > 1 {
                        retried += 1;
                    }
                }
                Some(Err(error)) => failures.push(error),
                None => break,
            },
            _ = progress.tick() => {
                eprintln!(
                    "{SECTION}: storm: {} of {} caught up after {:.1} s",
                    thousands(caught_up.len()),
                    thousands(count),
                    started.elapsed().as_secs_f64()
                );
                if Instant::now() >= give_up {
                    break;
                }
            }
        }
    }
    storm.close(SECTION).await;
    server.stop().await;

    caught_up.sort_unstable();
    let slowest = caught_up.last().copied().unwrap_or(patience);
    let median = caught_up
        .get(caught_up.len() / 2)
        .copied()
        .unwrap_or(patience);
    let everyone = caught_up.len() == count && count == n;
    eprintln!(
        "{SECTION}: storm: {} of {} caught up, the last after {:.2} s (half after {:.2} s); {retried} needed more than one try",
        thousands(caught_up.len()),
        thousands(n),
        slowest.as_secs_f64(),
        median.as_secs_f64()
    );
    if let Some(first) = failures.first() {
        eprintln!(
            "{SECTION}: !!! storm: {} clients never caught up; the first: {first}",
            failures.len()
        );
    }
    let seconds = if everyone {
        slowest.as_secs_f64()
    } else {
        patience.as_secs_f64()
    };
    report.push(
        Figure::new(
            SECTION,
            format!("reconnect storm: {} clients caught up", thousands(n)),
            seconds,
            "s",
        )
        .target("< 10 s", everyone && seconds < 10.0),
    );
}

/// Connects `n` clients for `people` in turn, resumes each, then closes
/// them all; returns each client's person and the last event it had.
async fn connect_and_leave(base: &str, people: &[Person], n: usize) -> Vec<(usize, i64)> {
    eprintln!(
        "{SECTION}: storm: connecting {} clients, {OPENING_AT_ONCE} at a time …",
        thousands(n)
    );
    let started = Instant::now();
    let mut crowd = Crowd::empty();
    let mut clients: Vec<(usize, Arc<AtomicI64>)> = Vec::with_capacity(n);
    let mut failures: Vec<String> = Vec::new();
    let mut opening = stream::iter(0..n)
        .map(|i| {
            let person = i % people.len();
            let opened = client::open_resumed(base, &people[person].token);
            async move { opened.await.map(|(ws, position)| (person, ws, position)) }
        })
        .buffer_unordered(OPENING_AT_ONCE);
    while let Some(opened) = opening.next().await {
        match opened {
            Ok((person, ws, position)) => {
                let last = Arc::new(AtomicI64::new(position));
                let seen = Arc::clone(&last);
                crowd.hold(ws, move |text| {
                    if let Some(seq) = event_seq(text) {
                        seen.fetch_max(seq, Ordering::Relaxed);
                    }
                });
                clients.push((person, last));
            }
            Err(error) => failures.push(error),
        }
    }
    eprintln!(
        "{SECTION}: storm: {} connected and resumed in {:.1} s; they go away",
        thousands(clients.len()),
        started.elapsed().as_secs_f64()
    );
    if let Some(first) = failures.first() {
        eprintln!(
            "{SECTION}: !!! storm: {} clients did not connect; the first: {first}",
            failures.len()
        );
    }
    crowd.close(SECTION).await;
    clients
        .into_iter()
        .map(|(person, last)| (person, last.load(Ordering::Relaxed)))
        .collect()
}

/// The `seq` of an event frame.
fn event_seq(text: &str) -> Option<i64> {
    if !text.contains("\"seq\"") {
        return None;
    }
    let frame: Value = serde_json::from_str(text).ok()?;
    if frame["type"] != "event" {
        return None;
    }
    frame["seq"].as_i64()
}

/// One client of the storm: reconnects and resumes until it has its missed
/// message (trying again after a pause, as a client does, when the server
/// turns it away or the connection fails), reports when, then stays
/// connected until the storm is over.
async fn come_back(
    coming: Returning,
    started: Instant,
    done: mpsc::Sender<Outcome>,
    stop: watch::Receiver<bool>,
) -> Held {
    let mut after = coming.after;
    let mut pause = Duration::from_millis(100);
    let mut tries = 0;
    loop {
        tries += 1;
        let attempt = catch_up(&coming.base, &coming.token, &mut after, &coming.expected);
        let error = match tokio::time::timeout_at(coming.deadline, attempt).await {
            Ok(Ok(ws)) => {
                let _ = done.send(Ok((started.elapsed(), tries))).await;
                return client::hold(ws, stop, |_| {}).await;
            }
            Ok(Err(error)) => error,
            Err(_) => "not caught up by the deadline".to_owned(),
        };
        if Instant::now() + pause >= coming.deadline {
            let _ = done
                .send(Err(format!("{error} (after {tries} tries)")))
                .await;
            return Held::Dropped;
        }
        tokio::time::sleep(pause + client::jitter(pause)).await;
        pause = (pause * 2).min(Duration::from_secs(2));
    }
}

/// Connects, resumes after `after` and reads until the message with the
/// client id `expected` arrives; `after` follows the events read.
async fn catch_up(base: &str, token: &str, after: &mut i64, expected: &str) -> Result<Ws, String> {
    let (mut ws, _) = client::open_socket(base, token).await?;
    client::resume(&mut ws, *after).await?;
    loop {
        let frame = client::next_json(&mut ws, client::SOCKET_PATIENCE).await?;
        match frame["type"].as_str() {
            Some("event") => {
                if let Some(seq) = frame["seq"].as_i64() {
                    *after = seq;
                }
                let event = &frame["event"];
                if event["type"] == "message_created" && event["message"]["client_id"] == expected {
                    return Ok(ws);
                }
            }
            Some("resync_required") => {
                return Err(format!("the log no longer covers event {after}: {frame}"));
            }
            _ => {}
        }
    }
}
