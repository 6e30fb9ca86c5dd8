//! The server serves the built web app at `/`.

use crate::support::TestApp;
use crate::support::app::assert_problem;

fn built_app() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("noxchat-spa-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><div id=root></div>").unwrap();
    std::fs::write(dir.join("assets/index-abc123.js"), "console.log('hi')").unwrap();
    std::fs::write(dir.join("favicon.svg"), "<svg/>").unwrap();
    dir
}

#[tokio::test]
async fn pages_get_the_index_and_assets_are_cached_forever() {
    let dir = built_app();
    let app = TestApp::spawn_with(&[("NOXCHAT_SPA_DIR", dir.to_str().unwrap())]).await;
    for page in ["/", "/friends", "/users/anna", "/reset-password?token=x"] {
        let response = app.get(page, None).await;
        assert_eq!(response.status(), 200, "{page}");
        assert_eq!(response.headers()["cache-control"], "no-cache");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(response.text().await.unwrap().contains("id=root"));
    }
    let asset = app.get("/assets/index-abc123.js", None).await;
    assert_eq!(asset.status(), 200);
    assert!(
        asset.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        app.get("/favicon.svg", None).await.headers()["content-type"],
        "image/svg+xml"
    );
    // An old chunk after a deploy is a 404, not the index dressed as JavaScript.
    assert_problem(
        app.get("/assets/index-old999.js", None).await,
        404,
        "route_not_found",
    )
    .await;

    // The API and media keep their own 404s, and nothing outside the folder is served.
    assert_problem(
        app.get("/api/v1/nothing", None).await,
        404,
        "route_not_found",
    )
    .await;
    assert_problem(
        app.get("/media/nothing", None).await,
        404,
        "route_not_found",
    )
    .await;
    let escape = app
        .get("/..%2F..%2Fetc%2Fpasswd", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(!escape.contains("root:"), "{escape}");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn without_a_built_app_pages_are_404_problems() {
    let app = TestApp::spawn().await;
    assert_problem(app.get("/friends", None).await, 404, "route_not_found").await;
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("{name} on {}", response.url()))
        .to_str()
        .unwrap()
}

/// A script injected into a page could not load code from elsewhere, send
/// what it reads to another site, or have the page framed by one.
#[tokio::test]
async fn every_response_confines_what_a_browser_lets_it_do() {
    let dir = built_app();
    let app = TestApp::spawn_with(&[("NOXCHAT_SPA_DIR", dir.to_str().unwrap())]).await;
    for path in ["/", "/friends", "/assets/index-abc123.js"] {
        let page = app.get(path, None).await;
        let policy = header(&page, "content-security-policy");
        for directive in [
            "default-src 'self'",
            "script-src 'self'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ] {
            assert!(policy.contains(directive), "{directive} in {policy}");
        }
    }
    let docs = app.get("/api/docs/", None).await;
    assert!(header(&docs, "content-security-policy").contains("frame-ancestors 'none'"));
    let user = app.signed_up_user("headers").await;
    for response in [
        app.get("/api/v1/me", Some(&user.access_token)).await,
        app.get("/api/v1/nowhere", None).await,
        app.get("/media/initials/0/AB.svg", None).await,
    ] {
        assert_eq!(
            header(&response, "content-security-policy"),
            "default-src 'none'; frame-ancestors 'none'",
            "{}",
            response.url()
        );
    }
    for path in ["/", "/api/docs/", "/api/v1/me", "/api/openapi.json"] {
        let response = app.get(path, None).await;
        assert_eq!(header(&response, "x-content-type-options"), "nosniff");
        assert_eq!(header(&response, "referrer-policy"), "no-referrer");
        assert_eq!(header(&response, "x-frame-options"), "DENY");
        assert!(
            response
                .headers()
                .get("strict-transport-security")
                .is_none(),
            "no HSTS over plain http"
        );
    }
}

#[tokio::test]
async fn an_https_site_tells_browsers_to_stay_on_https() {
    let app = TestApp::spawn_with(&[("NOXCHAT_PUBLIC_URL", "https://noxchat.test")]).await;
    for path in ["/", "/api/v1/me"] {
        let response = app.get(path, None).await;
        assert_eq!(
            header(&response, "strict-transport-security"),
            "max-age=31536000"
        );
    }
}

#[tokio::test]
async fn the_api_docs_can_be_switched_off() {
    let app = TestApp::spawn_with(&[("NOXCHAT_API_DOCS", "off")]).await;
    for path in [
        "/api/docs",
        "/api/docs/",
        "/api/openapi.json",
        "/api/asyncapi.json",
    ] {
        assert_problem(app.get(path, None).await, 404, "route_not_found").await;
    }
}
