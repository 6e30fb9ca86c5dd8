//! Cold start to ready and idle memory: the server started a few times over.

use std::time::Duration;

use crate::context::Context;
use crate::report::{Figure, Report};
use crate::server::Server;

/// Starts measured; the median is reported, so one slow start (a cold disk
/// cache, a neighbour's burst) does not decide the figure.
const STARTS: usize = 3;
/// How long a ready server is left alone before its memory is read: what it
/// allocates just after start (the first pool connection, background tasks'
/// first rounds) counts as idle memory too.
const SETTLE: Duration = Duration::from_secs(1);
const READY_TARGET_MS: f64 = 300.0;
const IDLE_TARGET_MIB: f64 = 40.0;

pub async fn run(ctx: &Context, report: &mut Report) {
    let mut ready_ms = Vec::with_capacity(STARTS);
    let mut idle_mib = Vec::with_capacity(STARTS);
    for start in 1..=STARTS {
        let server = Server::start(ctx, &[]).await;
        let ready = server.started_in.as_secs_f64() * 1000.0;
        tokio::time::sleep(SETTLE).await;
        let idle = server.rss_kib() as f64 / 1024.0;
        eprintln!("start: {start}/{STARTS}: ready in {ready:.0} ms, {idle:.1} MiB idle");
        server.stop().await;
        ready_ms.push(ready);
        idle_mib.push(idle);
    }

    let ready = median(&mut ready_ms);
    report.push(
        Figure::new("start", "cold start to ready", ready, "ms")
            .target("≤ 300 ms", ready <= READY_TARGET_MS),
    );
    let idle = median(&mut idle_mib);
    report.push(
        Figure::new("start", "idle memory", idle, "MiB").target("< 40 MiB", idle < IDLE_TARGET_MIB),
    );
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}
