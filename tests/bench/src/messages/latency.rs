//! The time from a send to the recipient's socket, at a fixed rate.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{StreamExt, stream};
use uuid::Uuid;

use super::inbox::Inbox;
use super::{Pair, RATE, SECTION, message_body};
use crate::client;
use crate::context::Context;
use crate::load::{self, Sample};

/// A message not on its recipient's socket by then counts as lost.
const DELIVERY_PATIENCE: Duration = Duration::from_secs(5);

/// One message per pair, each awaited on its socket: every path is warm
/// and known to work before anything is timed.
pub(super) async fn warm_up(ctx: &Context, base: &str, pairs: &Arc<Vec<Pair>>, inbox: &Arc<Inbox>) {
    let base: Arc<str> = Arc::from(base);
    let outcomes: Vec<Result<(), String>> = stream::iter(0..pairs.len() as u64)
        .map(|i| {
            send_and_wait(
                ctx.http.clone(),
                Arc::clone(&base),
                Arc::clone(pairs),
                Arc::clone(inbox),
                i,
            )
        })
        .buffer_unordered(8)
        .collect()
        .await;
    if let Some(Err(error)) = outcomes.into_iter().find(Result::is_err) {
        panic!("{SECTION}: a first message did not reach its recipient: {error}");
    }
}

/// Sends at `RATE` for the window (open loop, over every pair in turn);
/// each latency runs from the send's scheduled instant to the frame's
/// arrival on the recipient's socket.
pub(super) async fn delivery_latency(
    ctx: &Context,
    base: &str,
    pairs: &Arc<Vec<Pair>>,
    inbox: &Arc<Inbox>,
    label: &str,
) -> Sample {
    eprintln!(
        "{SECTION}: {label}: {RATE} messages/s over {} conversations for {:.1} s …",
        pairs.len(),
        ctx.window.as_secs_f64()
    );
    let http = ctx.http.clone();
    let base: Arc<str> = Arc::from(base);
    let pairs = Arc::clone(pairs);
    let inbox = Arc::clone(inbox);
    let sample = load::open_loop(RATE, ctx.window, move |i: u64| {
        send_and_wait(
            http.clone(),
            Arc::clone(&base),
            Arc::clone(&pairs),
            Arc::clone(&inbox),
            i,
        )
    })
    .await;
    if sample.count() == 0 {
        panic!("{SECTION}: {label}: no message reached its recipient");
    }
    eprintln!(
        "{SECTION}: {label}: {} delivered, p50 {:.2} ms, p99 {:.2} ms",
        sample.count(),
        sample.p50_ms(),
        sample.p99_ms()
    );
    if sample.errors > 0 {
        eprintln!(
            "{SECTION}: !!! {label}: {} messages failed or did not reach their recipient within {} s",
            sample.errors,
            DELIVERY_PATIENCE.as_secs()
        );
    }
    sample
}

/// Sends message `i` and resolves when it is on its recipient's socket.
async fn send_and_wait(
    http: reqwest::Client,
    base: Arc<str>,
    pairs: Arc<Vec<Pair>>,
    inbox: Arc<Inbox>,
    i: u64,
) -> Result<(), String> {
    let pair = &pairs[(i % pairs.len() as u64) as usize];
    let client_id = Uuid::new_v4();
    let delivered = inbox.expect_timed(client_id);
    let (token, conversation) = (pair.sender.token.clone(), pair.conversation);
    let failed = Arc::clone(&inbox);
    // The answer to the POST is not waited for: the figure is the time to
    // the recipient's socket, which may come first. A refusal ends the wait.
    let counted = failed.in_flight();
    tokio::spawn(async move {
        let _counted = counted;
        let body = message_body(i);
        if let Err(error) =
            client::send_message(&http, &base, &token, conversation, client_id, &body).await
        {
            failed.fail(client_id, error);
        }
    });
    match tokio::time::timeout(DELIVERY_PATIENCE, delivered).await {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(_)) => Err("the delivery was never reported".to_owned()),
        Err(_) => {
            inbox.forget(client_id);
            Err(format!(
                "not on the recipient's socket within {} s",
                DELIVERY_PATIENCE.as_secs()
            ))
        }
    }
}
