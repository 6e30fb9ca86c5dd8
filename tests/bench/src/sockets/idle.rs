//! What idle authenticated sockets cost the server in memory.

use std::collections::VecDeque;
use std::time::Duration;

use futures_util::{StreamExt, stream};
use tokio::time::Instant;

use super::{Metrics, OPENING_AT_ONCE, SECTION, SOCKETS_PER_PERSON};
use crate::client::{self, Crowd, Person, ServerGuard, thousands};
use crate::context::Context;
use crate::report::{Figure, Report};
use crate::server::{Server, free_port};

/// The server's RSS before, with and after `n` idle authenticated sockets.
pub(super) async fn idle_connections(ctx: &Context, report: &mut Report) {
    let n: usize = if ctx.quick { 1_000 } else { 10_000 };
    // How long the server's RSS may take to settle: bounded tighter in the
    // quick run, which must finish within two minutes in all.
    let settling = |full: u64| Duration::from_secs(if ctx.quick { full / 3 } else { full });
    let metrics_bind = format!("127.0.0.1:{}", free_port());
    let server = ServerGuard::start(ctx, &[("NOXCHAT_METRICS_BIND", metrics_bind.as_str())]).await;
    let metrics = Metrics {
        http: ctx.http.clone(),
        url: format!("http://{metrics_bind}/metrics"),
    };
    let people = client::sign_in_people(
        ctx,
        server.base(),
        SECTION,
        n.div_ceil(SOCKETS_PER_PERSON) as i64,
    )
    .await
    .unwrap_or_else(|error| panic!("{SECTION}: {error}"));

    // Whatever the first connections allocate once (the database pool at
    // full size, the runtime's buffers) belongs to "before".
    let warm = open_crowd(server.base(), &people, OPENING_AT_ONCE, "warm-up").await;
    warm.close(SECTION).await;
    metrics
        .wait_for(0, Duration::from_secs(30))
        .await
        .unwrap_or_else(|error| panic!("{SECTION}: after the warm-up: {error}"));
    let before = settled_rss(server.server(), settling(15)).await;
    eprintln!("{SECTION}: server RSS before: {:.1} MiB", mib(before));

    let crowd = open_crowd(server.base(), &people, n, "idle").await;
    if let Err(error) = metrics
        .wait_for(crowd.count() as u64, Duration::from_secs(20))
        .await
    {
        eprintln!("{SECTION}: !!! {error}");
    }
    let with = settled_rss(server.server(), settling(30)).await;
    let open = metrics
        .connections()
        .await
        .unwrap_or_else(|error| panic!("{SECTION}: {error}"));
    if open == 0 {
        panic!("{SECTION}: the server counts no open connection");
    }
    eprintln!(
        "{SECTION}: server RSS with {} idle connections: {:.1} MiB",
        thousands(open as usize),
        mib(with)
    );

    eprintln!("{SECTION}: closing them …");
    crowd.close(SECTION).await;
    metrics
        .wait_for(0, Duration::from_secs(60))
        .await
        .unwrap_or_else(|error| panic!("{SECTION}: after closing: {error}"));
    let after = settled_rss(server.server(), settling(15)).await;
    server.stop().await;

    let per_connection = (with as f64 - before as f64) / open as f64;
    report.push(
        Figure::new(
            SECTION,
            format!(
                "memory per idle connection ({} open)",
                thousands(open as usize)
            ),
            per_connection,
            "KiB",
        )
        .target("≤ 8 KiB", per_connection <= 8.0),
    );
    report.push(
        Figure::new(
            SECTION,
            format!(
                "server RSS with {} idle connections",
                thousands(open as usize)
            ),
            mib(with),
            "MiB",
        )
        .against("before they connected", mib(before), "MiB"),
    );
    report.push(
        Figure::new(SECTION, "memory after they all close", mib(after), "MiB")
            .against("before they connected", mib(before), "MiB")
            .target("given back (≤ before + 10%)", after * 10 <= before * 11),
    );
}

/// Opens `count` authenticated, resumed sockets for `people` in turn,
/// `OPENING_AT_ONCE` at a time, and holds them.
async fn open_crowd(base: &str, people: &[Person], count: usize, label: &str) -> Crowd {
    eprintln!(
        "{SECTION}: {label}: opening {} sockets, {OPENING_AT_ONCE} at a time …",
        thousands(count)
    );
    let started = Instant::now();
    let mut crowd = Crowd::empty();
    let mut failures: Vec<String> = Vec::new();
    let mut opening = stream::iter(0..count)
        .map(|i| client::open_resumed(base, &people[i % people.len()].token))
        .buffer_unordered(OPENING_AT_ONCE);
    while let Some(opened) = opening.next().await {
        match opened {
            Ok((ws, _)) => {
                crowd.hold(ws, |_| {});
                if crowd.count().is_multiple_of(1_000) {
                    eprintln!("{SECTION}: {label}: {} open", thousands(crowd.count()));
                }
            }
            Err(error) => failures.push(error),
        }
    }
    eprintln!(
        "{SECTION}: {label}: {} open in {:.1} s",
        thousands(crowd.count()),
        started.elapsed().as_secs_f64()
    );
    if let Some(first) = failures.first() {
        eprintln!(
            "{SECTION}: !!! {label}: {} sockets did not open; the first: {first}",
            failures.len()
        );
    }
    crowd
}

/// The server's RSS once it has stopped moving (five readings over a
/// second within 0.5% of each other), or when `patience` is over.
async fn settled_rss(server: &Server, patience: Duration) -> u64 {
    let deadline = Instant::now() + patience;
    let mut recent: VecDeque<u64> = VecDeque::with_capacity(5);
    loop {
        let rss = server.rss_kib();
        recent.push_back(rss);
        if recent.len() > 5 {
            recent.pop_front();
        }
        let low = recent.iter().copied().min().unwrap_or(rss);
        let high = recent.iter().copied().max().unwrap_or(rss);
        if recent.len() == 5 && high - low <= (high / 200).max(256) {
            return rss;
        }
        if Instant::now() >= deadline {
            eprintln!(
                "{SECTION}: the server's RSS still moves after {} s; taking {:.1} MiB",
                patience.as_secs(),
                mib(rss)
            );
            return rss;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
