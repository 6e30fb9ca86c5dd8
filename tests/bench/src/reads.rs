//! Read endpoints against the database's own limit: each endpoint over HTTP
//! at a fixed concurrency, then the very query functions its handler calls,
//! in-process straight against PostgreSQL at the same concurrency
//! (`references`); then the endpoint's p99 at half the database's
//! throughput; then deep pages against first pages (`paging`).
//!
//! Every request is made by one signed-in seeded person (a member), so the
//! references include what a signed-in read costs: the session check of
//! the `AuthUser` extractor and the reader's own rows (read positions,
//! likes).

mod http;
mod paging;
mod references;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::PgConnection;
use noxchat::core::TopicId;
use noxchat::core::list::DEFAULT_LIMIT;
use reqwest::Url;

use self::http::{fetch, get_json, sign_in, url};
use self::references::{Reference, Viewer};
use crate::context::Context;
use crate::load::{Sample, blocking_closed_loop, closed_loop, open_loop};
use crate::report::{Figure, Report};
use crate::server::Server;

const SECTION: &str = "reads";
/// The people directory searched by name as typed (`GET /users?q=`), in
/// turn. Adjust to the names the bench seed gives people.
const NAME_QUERIES: &[&str] = &[
    "Александр Петров",
    "Alexander Peterson",
    "Петров",
    "Peterson",
];
/// Those names misspelt by one letter, through `GET /search?type=people`;
/// each word has five letters or more (shorter ones are never corrected).
const TYPO_QUERIES: &[&str] = &["Алесандр", "Petersen", "Пертов", "Alexnder"];
/// The post the jump goes to.
const JUMP_TO: i32 = 4_000;
/// Far above what any window allows; the window ends the loops.
const MAX_REQUESTS: u64 = 10_000_000;
/// Sequential passes over an endpoint's requests before it is measured:
/// warm caches for both sides.
const WARM_UP_PASSES: usize = 5;
/// "At half the database's throughput or better".
const THROUGHPUT_SHARE: f64 = 0.5;
const P99_TARGET_MS: f64 = 10.0;

type DbPool = diesel::r2d2::Pool<diesel::r2d2::ConnectionManager<diesel::PgConnection>>;

/// One read endpoint: the requests made of it in turn, and what its
/// handler asks of the database for each.
struct Endpoint {
    name: &'static str,
    urls: Vec<Url>,
    reference: Reference,
}

pub async fn run(ctx: &Context, report: &mut Report) {
    eprintln!("reads: starting the server");
    let server = Server::start(ctx, &[]).await;
    let outcome = measure(ctx, report, &server.base).await;
    server.stop().await;
    if let Err(problem) = outcome {
        panic!("reads: {problem}");
    }
}

async fn measure(ctx: &Context, report: &mut Report, base: &str) -> Result<(), String> {
    let session = sign_in(ctx, base).await?;
    let category_topics = format!("/api/v1/categories/{}/topics", ctx.seed.category_slug);
    let first_page = get_json(&ctx.http, url(base, &category_topics, &[])?, &session.token).await?;
    let topic = a_normal_topic(&first_page, ctx.seed.long_topic_id)?;
    let pool = ctx.pool(u32::try_from(ctx.concurrency).map_err(|e| e.to_string())?);
    for endpoint in endpoints(ctx, base, &category_topics, session.viewer, topic)? {
        measure_endpoint(ctx, report, &pool, &session.token, endpoint).await?;
    }
    drop(pool);
    paging::topic_list(ctx, report, base, &session.token, &category_topics).await?;
    paging::long_topic(ctx, report, base, &session.token).await
}

fn endpoints(
    ctx: &Context,
    base: &str,
    category_topics: &str,
    viewer: Viewer,
    topic: TopicId,
) -> Result<Vec<Endpoint>, String> {
    let long = TopicId::from_uuid(ctx.seed.long_topic_id);
    let jump = JUMP_TO.to_string();
    let names = NAME_QUERIES
        .iter()
        .map(|q| url(base, "/api/v1/users", &[("q", *q)]))
        .collect::<Result<Vec<_>, _>>()?;
    let typos = TYPO_QUERIES
        .iter()
        .map(|q| url(base, "/api/v1/search", &[("type", "people"), ("q", *q)]))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(vec![
        Endpoint {
            name: "topic list",
            urls: vec![url(base, category_topics, &[])?],
            reference: references::category_topics(viewer, ctx.seed.category_slug.clone()),
        },
        Endpoint {
            name: "topic page",
            urls: vec![url(base, &format!("/api/v1/topics/{topic}/posts"), &[])?],
            reference: references::posts_from(viewer, topic, 1),
        },
        Endpoint {
            name: "jump to post 4,000",
            urls: vec![url(
                base,
                &format!("/api/v1/topics/{long}/posts"),
                &[("from", jump.as_str())],
            )?],
            reference: references::posts_from(viewer, long, JUMP_TO),
        },
        Endpoint {
            name: "user search",
            urls: names,
            reference: references::directory(viewer, NAME_QUERIES)?,
        },
        Endpoint {
            name: "people search with a typo",
            urls: typos,
            reference: references::directory(viewer, TYPO_QUERIES)?,
        },
    ])
}

async fn measure_endpoint(
    ctx: &Context,
    report: &mut Report,
    pool: &DbPool,
    token: &Arc<str>,
    endpoint: Endpoint,
) -> Result<(), String> {
    let (name, n) = (endpoint.name, ctx.concurrency);
    eprintln!("reads: {name}: checking its answers and warming up");
    for url in &endpoint.urls {
        let page = get_json(&ctx.http, url.clone(), token).await?;
        let items = page["items"].as_array().map_or(0, Vec::len);
        if items == 0 || endpoint.urls.len() > 1 {
            let asked = url
                .query_pairs()
                .find(|(key, _)| key == "q")
                .map_or_else(|| url.path().to_owned(), |(_, q)| format!("“{q}”"));
            eprintln!("reads: {name}: {asked} answers {items} items");
        }
    }
    let urls = Arc::new(endpoint.urls);
    for _ in 0..WARM_UP_PASSES {
        for url in urls.iter() {
            fetch(ctx.http.clone(), url.clone(), Arc::clone(token)).await?;
        }
    }

    eprintln!(
        "reads: {name}: {n} concurrent over HTTP for {:.1} s",
        ctx.window.as_secs_f64()
    );
    let over_http = hammer(ctx, token, &urls).await;
    eprintln!("reads: {name}: over HTTP {}", describe(&over_http));
    eprintln!("reads: {name}: the same queries directly on {n} connections");
    let in_db = direct(pool, n, ctx.window, Arc::clone(&endpoint.reference)).await?;
    eprintln!("reads: {name}: directly {}", describe(&in_db));

    let (http_rate, db_rate) = (over_http.throughput(), in_db.throughput());
    let reference = "same queries direct in PostgreSQL";
    report.push(
        Figure::new(
            SECTION,
            format!("{name} ({n} concurrent)"),
            http_rate,
            "req/s",
        )
        .against(reference, db_rate, "req/s")
        .target(
            "≥ 50% of the database's throughput",
            db_rate > 0.0 && http_rate / db_rate >= THROUGHPUT_SHARE,
        ),
    );
    report.push(
        Figure::new(
            SECTION,
            format!("{name} p50 ({n} concurrent)"),
            over_http.p50_ms(),
            "ms",
        )
        .against(reference, in_db.p50_ms(), "ms"),
    );
    report.push(
        Figure::new(
            SECTION,
            format!("{name} p99 ({n} concurrent)"),
            over_http.p99_ms(),
            "ms",
        )
        .against(reference, in_db.p99_ms(), "ms"),
    );

    let rate = db_rate / 2.0;
    if !rate.is_finite() || rate <= 0.0 {
        return Err(format!(
            "{name}: the direct queries gave no throughput to halve"
        ));
    }
    eprintln!("reads: {name}: {rate:.0} requests a second over HTTP (half the database's)");
    let half = {
        let (http, urls, token) = (ctx.http.clone(), Arc::clone(&urls), Arc::clone(token));
        open_loop(rate, ctx.window, move |i| {
            fetch(
                http.clone(),
                urls[turn(0, i) % urls.len()].clone(),
                Arc::clone(&token),
            )
        })
        .await
    };
    eprintln!("reads: {name}: at half load {}", describe(&half));
    let p99 = half.p99_ms();
    report.push(
        Figure::new(
            SECTION,
            format!("{name} p99 at half the database's throughput"),
            p99,
            "ms",
        )
        // Failed requests hold no latency: any fails the target.
        .target(
            "< 10 ms",
            half.count() > 0 && half.errors == 0 && p99 < P99_TARGET_MS,
        ),
    );
    Ok(())
}

/// `ctx.concurrency` clients asking for `urls` in turn for the window.
async fn hammer(ctx: &Context, token: &Arc<str>, urls: &Arc<Vec<Url>>) -> Sample {
    let (http, urls, token) = (ctx.http.clone(), Arc::clone(urls), Arc::clone(token));
    closed_loop(
        ctx.concurrency,
        ctx.window,
        MAX_REQUESTS,
        move |worker, i| {
            fetch(
                http.clone(),
                urls[turn(worker, i) % urls.len()].clone(),
                Arc::clone(&token),
            )
        },
    )
    .await
}

/// `threads` threads running `reference` for the window, each on its own
/// connection taken before the clock starts: the database's limit, not the
/// pool's checkout (the server's pool also tests each connection it hands
/// out; that round trip is the server's to pay).
async fn direct(
    pool: &DbPool,
    threads: usize,
    window: Duration,
    reference: Reference,
) -> Result<Sample, String> {
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || -> Result<Sample, String> {
        let connections = (0..threads)
            .map(|_| pool.get().map(Mutex::new))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("no database connection: {e}"))?;
        Ok(blocking_closed_loop(threads, window, move |thread, i| {
            let mut held = connections[thread % connections.len()]
                .lock()
                .map_err(|_| "a connection's lock is poisoned".to_owned())?;
            let conn: &mut PgConnection = &mut held;
            reference(conn, turn(thread, i))
        }))
    })
    .await
    .map_err(|e| format!("the direct queries stopped: {e}"))?
}

/// Which request a worker makes on its `i`th round: workers start apart.
fn turn(worker: usize, i: u64) -> usize {
    worker.wrapping_add(usize::try_from(i).unwrap_or(0))
}

fn describe(sample: &Sample) -> String {
    format!(
        "{} answers, {:.0}/s, p50 {:.2} ms, p99 {:.2} ms, {} errors",
        sample.count(),
        sample.throughput(),
        sample.p50_ms(),
        sample.p99_ms(),
        sample.errors
    )
}

/// A topic of the list's first page with a full first page of posts, not
/// the long one (any other if none has).
fn a_normal_topic(page: &serde_json::Value, long: uuid::Uuid) -> Result<TopicId, String> {
    let topics: Vec<(TopicId, i64)> = page["items"]
        .as_array()
        .ok_or("the topic list has no items")?
        .iter()
        .filter_map(|item| {
            let id = item["id"].as_str()?.parse::<TopicId>().ok()?;
            Some((id, item["last_post_number"].as_i64().unwrap_or(0)))
        })
        .filter(|(id, _)| id.as_uuid() != long)
        .collect();
    topics
        .iter()
        .find(|(_, posts)| *posts >= DEFAULT_LIMIT)
        .or(topics.first())
        .map(|(id, _)| *id)
        .ok_or_else(|| "the category's first page holds no topic but the long one".to_owned())
}
