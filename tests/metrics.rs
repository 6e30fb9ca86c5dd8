//! `/metrics`: off unless `NOXCHAT_METRICS_BIND` is set, then on its own
//! address (never beside the public API), in the text Prometheus scrapes.

use crate::support::TestApp;
use crate::support::chat::next_event;
use crate::support::forum::id_of;

/// The value of the first sample line starting with `prefix`.
fn sample(text: &str, prefix: &str) -> Option<f64> {
    text.lines()
        .find(|line| line.starts_with(prefix))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
}

#[tokio::test]
async fn metrics_are_served_on_their_own_address_only_when_configured() {
    let app = TestApp::spawn_with(&[("NOXCHAT_METRICS_BIND", "127.0.0.1:0")]).await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);
    let (mut bobs, _) = app.live_socket(bob.token()).await;
    app.say(alice.token(), &id, "Counted").await;
    next_event(&mut bobs, "message_created").await;

    let metrics = app.metrics_address.clone().expect("metrics served");
    let scrape = || async {
        let response = app
            .client
            .get(format!("{metrics}/metrics"))
            .send()
            .await
            .expect("scraped");
        assert_eq!(response.status(), 200);
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            content_type.starts_with("application/openmetrics-text"),
            "{content_type}"
        );
        response.text().await.unwrap()
    };
    // The counters are the process's, which other tests share: compare.
    let healthz_line =
        "noxchat_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"}";
    let before = sample(&scrape().await, healthz_line).unwrap_or(0.0);
    assert_eq!(app.get("/healthz", None).await.status(), 200);
    let text = scrape().await;
    assert!(text.trim_end().ends_with("# EOF"), "{text}");
    let after = sample(&text, healthz_line).unwrap_or(0.0);
    assert!(after >= before + 1.0, "{before} then {after}: {text}");
    assert!(
        text.contains("noxchat_http_request_duration_seconds_bucket{le="),
        "{text}"
    );
    assert!(sample(&text, "noxchat_realtime_events_delivered_total").unwrap_or(0.0) >= 1.0);
    assert_eq!(
        sample(&text, "noxchat_realtime_connections "),
        Some(1.0),
        "{text}"
    );
    assert!(sample(&text, "noxchat_db_pool_connections ").unwrap_or(0.0) >= 1.0);
    assert!(sample(&text, "noxchat_jobs_waiting ").is_some(), "{text}");
    assert!(
        sample(&text, "noxchat_emails_sent_total").unwrap_or(0.0) >= 2.0,
        "sign-up mails: {text}"
    );

    // Not on the public address.
    assert_eq!(app.get("/metrics", None).await.status(), 404);
}

#[tokio::test]
async fn without_the_setting_nothing_serves_metrics() {
    let app = TestApp::spawn().await;
    assert!(app.metrics_address.is_none());
    assert_eq!(app.get("/metrics", None).await.status(), 404);
}
