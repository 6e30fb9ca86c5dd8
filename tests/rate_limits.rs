//! Brute-force limits, and whose address counts behind a proxy.

use serde_json::json;

use crate::support::TestApp;
use crate::support::app::{PASSWORD, assert_problem};

#[tokio::test]
async fn sixth_wrong_password_for_one_account_gets_429_with_retry_after() {
    let app = TestApp::spawn_with(&[("NOXCHAT_RATE_LIMITS", "on")]).await;
    assert_eq!(app.register("guessed").await.status(), 201);
    for _ in 0..5 {
        assert_eq!(app.login("guessed", "wrong guess").await.status(), 401);
    }
    let response = app.login("guessed", PASSWORD).await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_problem(response, 429, "rate_limited").await;
}

async fn register_from(app: &TestApp, handle: &str, forwarded_for: &str) -> u16 {
    app.request(reqwest::Method::POST, "/api/v1/auth/register")
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"email": format!("{handle}@example.org"), "handle": handle, "display_name": "R", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn forwarded_for_from_an_untrusted_peer_cannot_escape_the_limit() {
    let app = TestApp::spawn_with(&[("NOXCHAT_RATE_LIMITS", "on")]).await;
    for n in 0..10 {
        assert_eq!(
            register_from(&app, &format!("spoof{n}"), &format!("198.51.100.{n}")).await,
            202
        );
    }
    assert_eq!(register_from(&app, "spoof10", "198.51.100.99").await, 429);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_limit() {
    let app = TestApp::spawn_with(&[
        ("NOXCHAT_RATE_LIMITS", "on"),
        ("NOXCHAT_TRUSTED_PROXIES", "127.0.0.1/32"),
    ])
    .await;
    for n in 0..10 {
        assert_eq!(
            register_from(&app, &format!("crowd{n}"), "203.0.113.5").await,
            202
        );
    }
    assert_eq!(register_from(&app, "crowd10", "203.0.113.5").await, 429);
    assert_eq!(register_from(&app, "newcomer", "203.0.113.6").await, 202);
}

#[tokio::test]
async fn forgot_password_is_limited_per_account() {
    let app = TestApp::spawn_with(&[("NOXCHAT_RATE_LIMITS", "on")]).await;
    for _ in 0..3 {
        let response = app
            .post(
                "/api/v1/auth/password/forgot",
                &json!({"email": "someone@example.org"}),
            )
            .await;
        assert_eq!(response.status(), 202);
    }
    let response = app
        .post(
            "/api/v1/auth/password/forgot",
            &json!({"email": "SOMEONE@example.org"}),
        )
        .await;
    assert_problem(response, 429, "rate_limited").await;
}

#[tokio::test]
async fn every_forwarded_for_line_counts_behind_a_trusted_proxy() {
    let app = TestApp::spawn_with(&[("NOXCHAT_TRUSTED_PROXIES", "127.0.0.1/32")]).await;
    assert_eq!(app.register("proxied").await.status(), 201);
    // The client wrote the first line; the proxy appended the second.
    let login: serde_json::Value = app
        .request(reqwest::Method::POST, "/api/v1/auth/login")
        .header("x-forwarded-for", "6.6.6.6")
        .header("x-forwarded-for", "203.0.113.5")
        .json(&json!({"login": "proxied", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sessions: serde_json::Value = app
        .get("/api/v1/auth/sessions", login["access_token"].as_str())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sessions["items"][0]["ip"], "203.0.113.5");
}

/// Signs in from `address` (behind the trusted proxy) with `client`, which
/// keeps or lacks cookies as the test needs.
async fn login_from(
    client: &reqwest::Client,
    app: &TestApp,
    address: &str,
    login: &str,
    password: &str,
) -> u16 {
    client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", address)
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn behind_proxy() -> [(&'static str, &'static str); 2] {
    [
        ("NOXCHAT_RATE_LIMITS", "on"),
        ("NOXCHAT_TRUSTED_PROXIES", "127.0.0.1/32"),
    ]
}

#[tokio::test]
async fn right_passwords_spend_nothing_of_the_budget() {
    let app = TestApp::spawn_with(&behind_proxy()).await;
    assert_eq!(app.register("regular").await.status(), 201);
    let client = reqwest::Client::new();
    for _ in 0..4 {
        assert_eq!(
            login_from(&client, &app, "192.0.2.9", "regular", "wrong").await,
            401
        );
    }
    for n in 0..12 {
        let status = login_from(&client, &app, "192.0.2.9", "regular", PASSWORD).await;
        assert_eq!(status, 200, "sign-in {n}");
    }
    assert_eq!(
        login_from(&client, &app, "192.0.2.9", "regular", "wrong").await,
        401
    );
    assert_eq!(
        login_from(&client, &app, "192.0.2.9", "regular", "wrong").await,
        429
    );
}

#[tokio::test]
async fn strangers_failing_at_an_account_cannot_lock_out_a_device_it_signed_in_on() {
    let app = TestApp::spawn_with(&behind_proxy()).await;
    assert_eq!(app.register("famous").await.status(), 201);
    let owners_phone = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    assert_eq!(
        login_from(&owners_phone, &app, "198.51.100.7", "famous", PASSWORD).await,
        200
    );

    // Strangers from many addresses guess at the public handle until the
    // account's own budget is spent.
    let stranger = reqwest::Client::new();
    let mut refused = false;
    for n in 0..40 {
        let address = format!("203.0.113.{n}");
        for _ in 0..5 {
            if login_from(&stranger, &app, &address, "famous", "guess").await == 429 {
                refused = true;
            }
        }
    }
    assert!(refused, "the account's budget was never spent");
    // The account is one, whether named by handle or email, from anywhere new.
    assert_eq!(
        login_from(
            &stranger,
            &app,
            "192.0.2.200",
            "famous@example.org",
            PASSWORD
        )
        .await,
        429
    );
    // The owner's phone has a budget of its own.
    assert_eq!(
        login_from(&owners_phone, &app, "198.51.100.7", "famous", PASSWORD).await,
        200
    );
    assert_eq!(
        login_from(
            &owners_phone,
            &app,
            "192.0.2.77",
            "FAMOUS@example.org",
            PASSWORD
        )
        .await,
        200
    );
}

#[tokio::test]
async fn a_login_over_254_characters_is_refused_before_any_limit_counts_it() {
    let app = TestApp::spawn_with(&behind_proxy()).await;
    let client = reqwest::Client::new();
    for n in 0..40 {
        let login = format!("{n}{}", "x".repeat(300));
        let response = client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", "192.0.2.50")
            .json(&json!({"login": login, "password": "whatever"}))
            .send()
            .await
            .unwrap();
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(problem["error_codes"]["login"][0], "login_too_long");
    }
    // Those spent nothing of the address's attempts.
    assert_eq!(
        login_from(&client, &app, "192.0.2.50", "nobody", "x").await,
        401
    );
}

#[tokio::test]
async fn ipv6_networks_share_the_attempts_of_their_slash_48() {
    let app = TestApp::spawn_with(&behind_proxy()).await;
    let client = reqwest::Client::new();
    let mut statuses = Vec::new();
    // 90 at once, then one more every 2 s.
    let started = std::time::Instant::now();
    for n in 0..100 {
        let address = format!("2001:db8:42:{n:x}::1");
        statuses.push(login_from(&client, &app, &address, &format!("ghost{n}"), "x").await);
    }
    assert!(statuses[..90].iter().all(|s| *s == 401), "{statuses:?}");
    let refills = started.elapsed().as_secs() as usize / 2 + 1;
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert!(refused >= 10 - refills.min(9), "{statuses:?}");
    assert_eq!(
        login_from(&client, &app, "2001:db8:43::1", "ghost", "x").await,
        401
    );
}
