//! NoxChat behind Debian's nginx with the project's configuration
//! (deploy/nginx/), as a community's server runs it: HTTPS with a locally
//! made certificate, the redirect, the headers, compression, the upload
//! limit, the client's address, the sign-in flood limit and the real-time
//! gateway, each through the proxy.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binary;
#[path = "../../tests/support/socket.rs"]
mod socket;

use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};

use binary::deployment::{PASSWORD, person};
use binary::nginx::{DOMAIN, Nginx, Site, run};
use binary::{RunningBinary, serve};
use socket::Socket;

/// A client address of its own per test, so nginx's per-address limits of
/// one test never touch another's.
const ANNA_AT: [u8; 4] = [127, 0, 0, 5];
const FLOODER_AT: [u8; 4] = [127, 0, 0, 6];
const NEIGHBOUR_AT: [u8; 4] = [127, 0, 0, 7];

/// NoxChat trusting only nginx (on 127.0.0.1) for the client's address,
/// and nginx in front of it.
async fn noxchat_behind_nginx() -> (RunningBinary, Nginx) {
    let noxchat = serve(&[
        ("NOXCHAT_TRUSTED_PROXIES", "127.0.0.1"),
        ("NOXCHAT_PUBLIC_URL", &format!("https://{DOMAIN}")),
        ("NOXCHAT_LOG_FORMAT", "json"),
        // NoxChat's own finer limits would answer before nginx's.
        ("NOXCHAT_RATE_LIMITS", "off"),
    ])
    .await;
    assert!(noxchat.ready, "NoxChat did not start");
    let address = noxchat.base.trim_start_matches("http://").to_owned();
    let nginx = Nginx::start(Site::in_front_of(&address)).await;
    (noxchat, nginx)
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Vec<&'a str> {
    response
        .headers()
        .get_all(name)
        .iter()
        .map(|value| value.to_str().unwrap())
        .collect()
}

async fn stop(noxchat: RunningBinary) -> String {
    noxchat.terminate();
    let (ended, logs) = noxchat.finish(Duration::from_secs(10)).await;
    assert!(ended.is_some_and(|status| status.success()), "{logs}");
    logs
}

#[tokio::test]
async fn plain_http_redirects_to_https_except_the_certificate_challenge() {
    let (noxchat, nginx) = noxchat_behind_nginx().await;
    let plain = nginx.plain_client();

    let redirected = plain
        .get(format!("{}/t/42?page=2", nginx.http_base()))
        .send()
        .await
        .unwrap();
    assert_eq!(redirected.status(), 301);
    assert_eq!(
        header(&redirected, "location"),
        [format!("https://{DOMAIN}/t/42?page=2")]
    );

    std::fs::write(
        nginx.webroot.join(".well-known/acme-challenge/token-1"),
        "token-1.thumbprint",
    )
    .unwrap();
    let challenge = plain
        .get(format!(
            "{}/.well-known/acme-challenge/token-1",
            nginx.http_base()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(challenge.status(), 200);
    assert_eq!(challenge.text().await.unwrap(), "token-1.thumbprint");
    let unknown = plain
        .get(format!(
            "{}/.well-known/acme-challenge/other",
            nginx.http_base()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404, "a missing token is not redirected");
    stop(noxchat).await;
}

#[tokio::test]
async fn https_serves_noxchat_over_http2_with_each_security_header_once() {
    let (noxchat, nginx) = noxchat_behind_nginx().await;
    let client = nginx.client(ANNA_AT);

    let health = client
        .get(format!("{}/healthz", nginx.https_base()))
        .header("X-Request-Id", "deploy-check-1")
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(header(&health, "x-request-id"), ["deploy-check-1"]);
    assert_eq!(header(&health, "x-content-type-options"), ["nosniff"]);
    assert_eq!(header(&health, "x-frame-options").len(), 1);
    assert_eq!(header(&health, "referrer-policy").len(), 1);
    assert_eq!(header(&health, "content-security-policy").len(), 1);
    let hsts = header(&health, "strict-transport-security");
    assert_eq!(hsts.len(), 1, "{hsts:?}");
    assert!(hsts[0].contains("max-age="), "{hsts:?}");
    assert!(
        header(&health, "server").iter().all(|s| !s.contains('.')),
        "no version"
    );

    // Text is compressed; the spec is a large JSON document.
    let spec = client
        .get(format!("{}/api/openapi.json", nginx.https_base()))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(spec.status(), 200);
    assert_eq!(header(&spec, "content-encoding"), ["gzip"]);
    let body = spec.bytes().await.unwrap();
    assert_eq!(&body[..2], [0x1f, 0x8b], "a gzip stream");

    // HTTP/2 and TLS 1.2+ only: curl, which speaks both.
    let ca = nginx.dir.join("trusted-ca.pem");
    std::fs::write(&ca, &nginx.trusted_ca_pem).unwrap();
    let curl = |extra: &[&str]| {
        let mut command = Command::new("curl");
        command
            .args(["-s", "-o", "/dev/null", "-w", "%{http_version}"])
            .arg("--cacert")
            .arg(&ca)
            .args([
                "--resolve",
                &format!("{DOMAIN}:{}:127.0.0.1", nginx.https_port),
            ])
            .args(extra)
            .arg(format!("{}/healthz", nginx.https_base()));
        command
    };
    assert_eq!(run(&mut curl(&["--http2"])), "2");
    let old_tls = curl(&["--tlsv1.1", "--tls-max", "1.1"]).output().unwrap();
    assert!(!old_tls.status.success(), "TLS 1.1 is refused");

    let logs = stop(noxchat).await;
    assert!(
        logs.contains("deploy-check-1"),
        "NoxChat logs the request id nginx passed on"
    );
    assert!(
        nginx.access_log().lines().any(|line| {
            let entry: Value = serde_json::from_str(line).unwrap();
            entry["request_id"] == "deploy-check-1" && entry["status"] == 200
        }),
        "nginx logs it too, as JSON:\n{}",
        nginx.access_log()
    );
}

#[tokio::test]
async fn uploads_pass_through_and_a_body_over_the_limit_gets_nginx_413_as_a_problem() {
    let (noxchat, nginx) = noxchat_behind_nginx().await;
    let client = nginx.client(ANNA_AT);
    let anna = person(&reqwest::Client::new(), &noxchat, "anna").await;

    let photo = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/images/photo-exif6.jpg"
    ))
    .unwrap();
    let part = reqwest::multipart::Part::bytes(photo).file_name("photo.jpg");
    let uploaded = client
        .post(format!("{}/api/v1/uploads", nginx.https_base()))
        .bearer_auth(&anna.token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 201);
    let picture: Value = uploaded.json().await.unwrap();
    let url = picture["url"].as_str().expect("the picture's url");
    let served = client
        .get(format!("{}{url}", nginx.https_base()))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), 200);
    let cache = header(&served, "cache-control");
    assert_eq!(cache.len(), 1, "{cache:?}");
    assert!(cache[0].contains("max-age=31536000"), "{cache:?}");

    let too_large = vec![0u8; 12 * 1024 * 1024];
    let part = reqwest::multipart::Part::bytes(too_large).file_name("huge.jpg");
    let refused = client
        .post(format!("{}/api/v1/uploads", nginx.https_base()))
        .bearer_auth(&anna.token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 413);
    assert_eq!(
        header(&refused, "content-type"),
        ["application/problem+json"]
    );
    assert_eq!(header(&refused, "strict-transport-security").len(), 1);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["status"], 413);
    assert_eq!(problem["code"], "payload_too_large");
    stop(noxchat).await;
}

#[tokio::test]
async fn noxchat_sees_the_client_address_nginx_saw_and_not_one_the_client_claims() {
    let (noxchat, nginx) = noxchat_behind_nginx().await;
    person(&reqwest::Client::new(), &noxchat, "anna").await;
    let client = nginx.client(ANNA_AT);

    let signed_in: Value = client
        .post(format!("{}/api/v1/auth/login", nginx.https_base()))
        .header("X-Forwarded-For", "203.0.113.66")
        .json(&json!({"login": "anna", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = signed_in["access_token"].as_str().unwrap();
    let sessions: Value = client
        .get(format!("{}/api/v1/auth/sessions", nginx.https_base()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = sessions
        .as_array()
        .or_else(|| sessions["sessions"].as_array())
        .or_else(|| sessions["items"].as_array())
        .unwrap_or_else(|| panic!("a list of sessions: {sessions}"));
    let current = list.iter().find(|s| s["current"] == true).unwrap();
    assert_eq!(current["ip"], "127.0.0.5");
    stop(noxchat).await;
}

#[tokio::test]
async fn nginx_answers_a_sign_in_flood_from_one_address_with_429_and_serves_others() {
    let (noxchat, nginx) = noxchat_behind_nginx().await;
    let flooder = nginx.client(FLOODER_AT);
    let forgot = format!("{}/api/v1/auth/password/forgot", nginx.https_base());
    let ask = |client: &reqwest::Client| {
        client
            .post(&forgot)
            .json(&json!({"email": "someone@example.org"}))
            .send()
    };

    let mut served = 0;
    let limited = loop {
        let response = ask(&flooder).await.unwrap();
        if response.status() == 429 {
            break response;
        }
        assert!(response.status().is_success(), "{}", response.status());
        served += 1;
        assert!(served <= 40, "nginx never limited the flood");
    };
    // Twenty a minute, with a burst of thirty allowed at once.
    assert!(served >= 30, "only {served} served before the limit");
    assert_eq!(header(&limited, "retry-after"), ["60"]);
    assert_eq!(
        header(&limited, "content-type"),
        ["application/problem+json"]
    );
    let problem: Value = limited.json().await.unwrap();
    assert_eq!(problem["code"], "rate_limited");

    let neighbour = ask(&nginx.client(NEIGHBOUR_AT)).await.unwrap();
    assert!(neighbour.status().is_success(), "another address is served");
    let elsewhere = flooder
        .get(format!("{}/healthz", nginx.https_base()))
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), 200, "only sign-in paths are limited");
    stop(noxchat).await;
}

#[tokio::test]
async fn a_realtime_session_works_end_to_end_through_nginx() {
    let (noxchat, nginx) = noxchat_behind_nginx().await;
    let direct = reqwest::Client::new();
    let anna = person(&direct, &noxchat, "anna").await;
    let boris = person(&direct, &noxchat, "boris").await;

    let (mut socket, ready) =
        Socket::authenticate_over(nginx.realtime_socket().await, &boris.token).await;
    socket.resume(ready["position"].as_i64().unwrap()).await;
    let asked = nginx
        .client(ANNA_AT)
        .post(format!("{}/api/v1/friends/requests", nginx.https_base()))
        .bearer_auth(&anna.token)
        .json(&json!({"handle": "boris"}))
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 201);
    let event = socket.event().await;
    assert_eq!(event["event"]["type"], "friend_request_sent");
    assert_eq!(event["event"]["sender"]["handle"], "anna");
    socket.close().await;
    stop(noxchat).await;
}
