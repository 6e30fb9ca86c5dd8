//! Logins per second against one argon2 hash per core, and `/healthz` p99
//! while they run.
//!
//! Each login verifies one argon2id hash (19 MiB, t = 2) on the server's
//! hashing threads (one per core, at most eight; further logins wait in a
//! queue of 64, then asynchronously), so the machine's hashing rate is the
//! ceiling. The server runs with `NOXCHAT_RATE_LIMITS=off`, which turns off
//! every limit a login passes: attempts per address and per IPv6 site, and
//! failure budgets per account, per account and address, and per device.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use noxchat::core::passwords::hash_here;

use crate::context::Context;
use crate::load::{blocking_closed_loop, closed_loop, open_loop};
use crate::report::{Figure, Report};
use crate::server::Server;

/// `/healthz` probes per second while the logins run.
const PROBES_PER_SECOND: f64 = 200.0;
/// The probes start this long after the logins and stop this long before
/// them, so that every probe meets a server busy hashing.
const PROBE_MARGIN: Duration = Duration::from_millis(250);
const LOGIN_TIMEOUT: Duration = Duration::from_secs(10);
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);
/// Far above what hashing allows in any window; the window ends the loop.
const MAX_LOGINS: u64 = 100_000;
/// Logins are "limited only by hashing" at this share of the hashing rate.
const SHARE_OF_HASHING: f64 = 0.8;
const PROBE_P99_TARGET_MS: f64 = 5.0;

pub async fn run(ctx: &Context, report: &mut Report) {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);

    // The reference first, while no server runs beside it.
    eprintln!(
        "logins: hashing reference: argon2 on {cores} threads for {:.1} s",
        ctx.window.as_secs_f64()
    );
    let password = ctx.seed.password;
    let window = ctx.window;
    let hashing = tokio::task::spawn_blocking(move || {
        blocking_closed_loop(cores, window, move |_, _| {
            hash_here(password)
                .map(drop)
                .map_err(|error| format!("argon2: {error}"))
        })
    })
    .await
    .expect("the hashing reference finishes");
    let hashes_per_second = hashing.throughput();
    let per_core = hashes_per_second / cores as f64;
    eprintln!(
        "logins: {} hashes, {hashes_per_second:.1}/s ({per_core:.1}/s per core)",
        hashing.count()
    );
    report.push(Figure::new(
        "logins",
        "argon2 hashes per core",
        per_core,
        "hashes/s",
    ));

    let server = Server::start(ctx, &[]).await;
    let concurrency = 2 * cores + 2;
    let login = {
        let http = ctx.http.clone();
        let url = Arc::new(format!("{}/api/v1/auth/login", server.base));
        let people = ctx.seed.people.max(1);
        let handle_of = ctx.seed.person_handle;
        let next = Arc::new(AtomicI64::new(0));
        // The seeded people in turn, each with the seed's password.
        move |_, _| {
            let person = next.fetch_add(1, Ordering::Relaxed) % people + 1;
            let body = serde_json::json!({ "login": handle_of(person), "password": password });
            let (http, url) = (http.clone(), Arc::clone(&url));
            async move { sign_in(&http, &url, &body).await }
        }
    };

    // Warm-up, not measured: opens the client's connections and the
    // server's database connections.
    let warm = concurrency as u64 * 2;
    let _ = closed_loop(concurrency, Duration::from_secs(10), warm, login.clone()).await;

    eprintln!(
        "logins: {concurrency} concurrent logins for {:.1} s, /healthz at {PROBES_PER_SECOND}/s",
        ctx.window.as_secs_f64()
    );
    let probing_for = ctx.window.saturating_sub(2 * PROBE_MARGIN);
    let probe = {
        let http = ctx.http.clone();
        let url = Arc::new(format!("{}/healthz", server.base));
        move |_| {
            let (http, url) = (http.clone(), Arc::clone(&url));
            async move { check_health(&http, &url).await }
        }
    };
    let (logins, probes) = tokio::join!(
        closed_loop(concurrency, ctx.window, MAX_LOGINS, login),
        async {
            tokio::time::sleep(PROBE_MARGIN).await;
            open_loop(PROBES_PER_SECOND, probing_for, probe).await
        },
    );
    server.stop().await;

    let logins_per_second = logins.throughput();
    eprintln!(
        "logins: {} logins ({} failed), {logins_per_second:.1}/s, p50 {:.0} ms, p99 {:.0} ms",
        logins.count(),
        logins.errors,
        logins.p50_ms(),
        logins.p99_ms()
    );
    report.push(
        Figure::new(
            "logins",
            format!("logins per second ({concurrency} concurrent)"),
            logins_per_second,
            "logins/s",
        )
        .against(
            format!("one argon2 hash per core ({cores} threads)"),
            hashes_per_second,
            "logins/s",
        )
        .target(
            "limited only by hashing (≥ 80% of hashes/s)",
            logins_per_second >= SHARE_OF_HASHING * hashes_per_second,
        ),
    );

    if probes.count() == 0 {
        eprintln!(
            "logins: no /healthz probe succeeded ({} failed); no p99 to report",
            probes.errors
        );
        return;
    }
    let p99 = probes.p99_ms();
    eprintln!(
        "logins: /healthz {} probes ({} failed), p50 {:.2} ms, p99 {p99:.2} ms",
        probes.count(),
        probes.errors,
        probes.p50_ms()
    );
    report.push(
        Figure::new("logins", "/healthz p99 during logins", p99, "ms")
            .target("< 5 ms", p99 < PROBE_P99_TARGET_MS && probes.errors == 0),
    );
}

async fn sign_in(
    http: &reqwest::Client,
    url: &str,
    body: &serde_json::Value,
) -> Result<(), String> {
    let response = http
        .post(url)
        .json(body)
        .timeout(LOGIN_TIMEOUT)
        .send()
        .await
        .map_err(|error| format!("login: {error}"))?;
    let status = response.status();
    let answer = response
        .bytes()
        .await
        .map_err(|error| format!("login: reading the answer: {error}"))?;
    if status != reqwest::StatusCode::OK {
        let shown = &answer[..answer.len().min(300)];
        return Err(format!(
            "login answered {status}: {}",
            String::from_utf8_lossy(shown)
        ));
    }
    Ok(())
}

async fn check_health(http: &reqwest::Client, url: &str) -> Result<(), String> {
    let response = http
        .get(url)
        .timeout(PROBE_TIMEOUT)
        .send()
        .await
        .map_err(|error| format!("/healthz: {error}"))?;
    let status = response.status();
    response
        .bytes()
        .await
        .map_err(|error| format!("/healthz: reading the answer: {error}"))?;
    if !status.is_success() {
        return Err(format!("/healthz answered {status}"));
    }
    Ok(())
}
