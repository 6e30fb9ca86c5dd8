//! Messages: how soon a sent message reaches its recipient's socket at
//! 1,000 messages a second, the highest sustained send rate against a bare
//! INSERT of a message row (the database's own limit), and the same latency
//! with two instances sharing Redis.
//!
//! The seed joins person 1 with 2, 3 with 4, … in direct conversations:
//! the odd one of each pair sends, the even one listens on a resumed socket.

mod inbox;
mod latency;
mod sustained;
mod two_instances;

use std::sync::Arc;
use std::time::Duration;

use futures_util::{StreamExt, stream};
use uuid::Uuid;

use self::inbox::Inbox;
use self::latency::{delivery_latency, warm_up};
use self::sustained::{bare_insert, sustained_sends};
use self::two_instances::two_instances;
use crate::client::{self, Crowd, Person, ServerGuard};
use crate::context::Context;
use crate::report::{Figure, Report};

const SECTION: &str = "messages";
/// Messages a second, over all the pairs, for the latency figures.
const RATE: f64 = 1_000.0;
/// Senders at once for the sustained rate: enough to saturate 2 cores.
const CONCURRENCY: usize = 32;

/// A seeded direct conversation: who sends, who listens.
struct Pair {
    sender: Person,
    recipient: Person,
    conversation: Uuid,
}

pub async fn run(ctx: &Context, report: &mut Report) {
    let wanted = if ctx.quick { 32 } else { 50 };
    let server = ServerGuard::start(ctx, &[]).await;
    let pairs = Arc::new(
        seeded_pairs(ctx, server.base(), wanted)
            .await
            .unwrap_or_else(|error| panic!("{SECTION}: no senders and recipients: {error}")),
    );

    let inbox = Arc::new(Inbox::default());
    let listening = listen(server.base(), &pairs, &inbox)
        .await
        .unwrap_or_else(|error| panic!("{SECTION}: recipients' sockets: {error}"));
    warm_up(ctx, server.base(), &pairs, &inbox).await;
    let one = delivery_latency(ctx, server.base(), &pairs, &inbox, "one instance").await;
    let label = format!("at {} msg/s", client::thousands(RATE as usize));
    report.push(Figure::new(
        SECTION,
        format!("send → recipient's socket p50 {label}"),
        one.p50_ms(),
        "ms",
    ));
    report.push(
        Figure::new(
            SECTION,
            format!("send → recipient's socket p99 {label}"),
            one.p99_ms(),
            "ms",
        )
        .target("< 5 ms", one.p99_ms() < 5.0 && one.errors == 0),
    );

    // The latency phase does not wait for the answers of its sends: an
    // overloaded server may still be working through them.
    let open = inbox.all_answered(Duration::from_secs(60)).await;
    if open > 0 {
        eprintln!("{SECTION}: !!! {open} sends of the latency phase still unanswered after 60 s");
    }
    let (sustained, lost) = sustained_sends(ctx, server.base(), &pairs, &inbox).await;
    listening.close(SECTION).await;
    let bare = bare_insert(ctx, &pairs).await;
    let met =
        lost == 0 && bare.throughput() > 0.0 && sustained.throughput() >= 0.5 * bare.throughput();
    report.push(
        Figure::new(
            SECTION,
            format!("sustained sends ({CONCURRENCY} concurrent, each delivered)"),
            sustained.throughput(),
            "msg/s",
        )
        .against(
            format!("bare INSERT of a message row ({CONCURRENCY} threads)"),
            bare.throughput(),
            "msg/s",
        )
        .target("≥ 50% of the bare INSERT rate", met),
    );
    server.stop().await;

    let two = two_instances(ctx, &pairs).await;
    let label = format!("{label}, two instances with Redis");
    report.push(
        Figure::new(
            SECTION,
            format!("send → recipient's socket p50 {label}"),
            two.p50_ms(),
            "ms",
        )
        .against("one instance", one.p50_ms(), "ms"),
    );
    report.push(
        Figure::new(
            SECTION,
            format!("send → recipient's socket p99 {label}"),
            two.p99_ms(),
            "ms",
        )
        .against("one instance", one.p99_ms(), "ms")
        .target(
            "Redis adds < 2 ms p99",
            two.p99_ms() - one.p99_ms() < 2.0 && two.errors == 0,
        ),
    );
}

/// Signs in both people of `wanted` seeded conversations and finds each
/// conversation.
async fn seeded_pairs(ctx: &Context, base: &str, wanted: i64) -> Result<Vec<Pair>, String> {
    let count = wanted.min(ctx.seed.conversations);
    if count < 1 {
        return Err("the seed has no direct conversations".to_owned());
    }
    let mut people = client::sign_in_people(ctx, base, SECTION, 2 * count)
        .await?
        .into_iter();
    let mut pairs = Vec::new();
    while let (Some(sender), Some(recipient)) = (people.next(), people.next()) {
        let conversation = client::direct_conversation(ctx, base, &sender, &recipient).await?;
        pairs.push(Pair {
            sender,
            recipient,
            conversation,
        });
    }
    Ok(pairs)
}

/// Opens each recipient's socket (authenticated, resumed), reporting every
/// `message_created` it receives to `inbox`.
async fn listen(base: &str, pairs: &[Pair], inbox: &Arc<Inbox>) -> Result<Crowd, String> {
    let mut crowd = Crowd::empty();
    // Owned tokens: a spawned task's stream may not borrow with a closure.
    let tokens: Vec<String> = pairs.iter().map(|p| p.recipient.token.clone()).collect();
    let base: Arc<str> = Arc::from(base);
    let mut opening = stream::iter(tokens)
        .map(move |token| {
            let base = Arc::clone(&base);
            async move { client::open_resumed(&base, &token).await }
        })
        .buffer_unordered(16);
    while let Some(opened) = opening.next().await {
        let (ws, _) = opened?;
        let inbox = Arc::clone(inbox);
        crowd.hold(ws, move |text| inbox.arrived(text));
    }
    Ok(crowd)
}

fn message_body(i: u64) -> String {
    format!("bench message {i}: see you at the usual place at seven")
}
