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
