//! Deep pages against first pages: lists paged by seeking (topics by their
//! last key, posts by number) should serve page 1,000 as fast as page 1.

use std::sync::Arc;
use std::time::{Duration, Instant};

use noxchat::core::TopicId;
use noxchat::core::list::{DEFAULT_LIMIT, MAX_LIMIT};
use reqwest::Url;

use super::http::{fetch, get_json, url};
use super::{JUMP_TO, SECTION, WARM_UP_PASSES, describe, hammer};
use crate::context::Context;
use crate::report::{Figure, Report};

/// The walk reads this many pages per request: a cursor does not depend on
/// the page size, and with whole pages per step every cursor it is given
/// stands where a page of the default size begins.
const PAGES_PER_STEP: i64 = MAX_LIMIT / DEFAULT_LIMIT;
/// "As fast as page 1", allowing for noise.
const AS_FAST: f64 = 1.2;

/// How far a walk got: the page whose cursor it holds (`None` on page 1).
struct Walked {
    path: String,
    page: i64,
    cursor: Option<String>,
}

/// Page 1,000 (100 in quick mode) of the category's topics, reached once by
/// following cursors, against its page 1. Should the category hold fewer
/// pages, the latest topics (every category's) are walked instead.
pub async fn topic_list(
    ctx: &Context,
    report: &mut Report,
    base: &str,
    token: &Arc<str>,
    category_topics: &str,
) -> Result<(), String> {
    let wanted: i64 = if ctx.quick { 100 } else { 1_000 };
    let deadline = Instant::now() + Duration::from_secs(if ctx.quick { 20 } else { 60 });
    let mut walked = walk(ctx, base, token, category_topics, wanted, deadline).await?;
    let mut list = "topic list";
    if walked.page < wanted && Instant::now() < deadline {
        eprintln!(
            "reads: the category's topics end at page {}; walking the latest topics instead",
            thousands(walked.page)
        );
        let latest = walk(ctx, base, token, "/api/v1/topics", wanted, deadline).await?;
        if latest.page > walked.page {
            walked = latest;
            list = "latest topics";
        }
    }
    let Some(cursor) = walked.cursor else {
        return Err("the topic list has a single page: no deep page to compare".to_owned());
    };
    let first = url(base, &walked.path, &[])?;
    let deep = url(base, &walked.path, &[("cursor", cursor.as_str())])?;
    let name = format!("{list} page {} (p50)", thousands(walked.page));
    compare(ctx, report, token, name, first, deep).await
}

/// The long topic's page holding post 4,000, read 20 at a time from the
/// start (page 200, from post 3,981: what following its cursors reaches,
/// as a cursor of posts holds the last number shown), against its page 1.
pub async fn long_topic(
    ctx: &Context,
    report: &mut Report,
    base: &str,
    token: &Arc<str>,
) -> Result<(), String> {
    let long = TopicId::from_uuid(ctx.seed.long_topic_id);
    let path = format!("/api/v1/topics/{long}/posts");
    let page = i64::from(JUMP_TO - 1) / DEFAULT_LIMIT + 1;
    let from = ((page - 1) * DEFAULT_LIMIT + 1).to_string();
    let first = url(base, &path, &[])?;
    let deep = url(base, &path, &[("from", from.as_str())])?;
    let name = format!("long topic page {} (p50)", thousands(page));
    compare(ctx, report, token, name, first, deep).await
}

/// Follows `next_cursor` from page 1 of `path` towards page `wanted`, until
/// the list or the time runs out.
async fn walk(
    ctx: &Context,
    base: &str,
    token: &str,
    path: &str,
    wanted: i64,
    deadline: Instant,
) -> Result<Walked, String> {
    eprintln!("reads: walking {path} to page {}", thousands(wanted));
    let started = Instant::now();
    // What lies before page `wanted`.
    let goal = (wanted - 1) * DEFAULT_LIMIT;
    let (mut skipped, mut cursor, mut steps) = (0_i64, None::<String>, 0_u64);
    while skipped < goal {
        if Instant::now() >= deadline {
            eprintln!("reads: out of time walking {path}");
            break;
        }
        let step = (goal - skipped).min(PAGES_PER_STEP * DEFAULT_LIMIT);
        let limit = step.to_string();
        let mut params = vec![("limit", limit.as_str())];
        if let Some(cursor) = &cursor {
            params.push(("cursor", cursor.as_str()));
        }
        let page = get_json(&ctx.http, url(base, path, &params)?, token).await?;
        let items = page["items"].as_array().map_or(0, Vec::len);
        // The list ends here; or a short step, whose cursor would stand
        // inside a page.
        let Some(next) = page["next_cursor"].as_str() else {
            break;
        };
        if i64::try_from(items) != Ok(step) {
            break;
        }
        skipped += step;
        cursor = Some(next.to_owned());
        steps += 1;
        if steps.is_multiple_of(100) {
            let at = thousands(skipped / DEFAULT_LIMIT + 1);
            eprintln!("reads: {path}: at page {at}");
        }
    }
    let page = skipped / DEFAULT_LIMIT + 1;
    eprintln!(
        "reads: {path}: page {} reached in {:.1} s",
        thousands(page),
        started.elapsed().as_secs_f64()
    );
    Ok(Walked {
        path: path.to_owned(),
        page,
        cursor,
    })
}

/// The deep page's p50 against page 1's, each at the section's
/// concurrency, one right after the other.
async fn compare(
    ctx: &Context,
    report: &mut Report,
    token: &Arc<str>,
    name: String,
    first: Url,
    deep: Url,
) -> Result<(), String> {
    for page in [&first, &deep] {
        get_json(&ctx.http, page.clone(), token).await?;
        for _ in 0..WARM_UP_PASSES {
            fetch(ctx.http.clone(), page.clone(), Arc::clone(token)).await?;
        }
    }
    eprintln!(
        "reads: {name} against page 1: {} concurrent for {:.1} s each",
        ctx.concurrency,
        ctx.window.as_secs_f64()
    );
    let first = hammer(ctx, token, &Arc::new(vec![first])).await;
    eprintln!("reads: page 1: {}", describe(&first));
    let deep = hammer(ctx, token, &Arc::new(vec![deep])).await;
    eprintln!("reads: {name}: {}", describe(&deep));
    let (deep_ms, first_ms) = (deep.p50_ms(), first.p50_ms());
    report.push(
        Figure::new(SECTION, name, deep_ms, "ms")
            .against("page 1 (p50)", first_ms, "ms")
            .target(
                "as fast as page 1 (≤ 1.2×)",
                deep.count() > 0 && first.count() > 0 && deep_ms <= AS_FAST * first_ms,
            ),
    );
    Ok(())
}

/// `1000` as "1,000".
fn thousands(n: i64) -> String {
    let digits = n.to_string();
    let mut shown = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) && digit.is_ascii_digit() {
            shown.push(',');
        }
        shown.push(digit);
    }
    shown
}
