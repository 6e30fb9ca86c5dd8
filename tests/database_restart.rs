//! A PostgreSQL restart under a running server: requests while it is down
//! get 503 (try again), never 500, and once it is back everything works at
//! once, without restarting NoxChat.

use crate::support::TestApp;
use crate::support::app::assert_problem;
use crate::support::pg_cluster::PgCluster;

/// Statuses of `count` simultaneous `GET /api/v1/me`: enough at once that
/// the server's pool holds several connections.
async fn statuses_of_many(app: &TestApp, token: &str, count: usize) -> Vec<u16> {
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..count {
        let request = app
            .request(reqwest::Method::GET, "/api/v1/me")
            .bearer_auth(token);
        requests.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    requests.join_all().await
}

#[tokio::test]
async fn a_database_restart_costs_503s_at_most_and_then_nothing() {
    let cluster = tokio::task::spawn_blocking(PgCluster::start).await.unwrap();
    let database_url = cluster.url("noxchat");
    let app = TestApp::spawn_with(&[
        ("DATABASE_URL", &database_url),
        ("NOXCHAT_DB_POOL_SIZE", "4"),
    ])
    .await;
    let user = app.signed_up_user("steady").await;
    assert_eq!(
        statuses_of_many(&app, &user.access_token, 8).await,
        vec![200; 8]
    );

    let cluster = tokio::task::spawn_blocking(move || {
        cluster.stop();
        cluster
    })
    .await
    .unwrap();
    let while_down = app.get("/api/v1/me", Some(&user.access_token)).await;
    assert_problem(while_down, 503, "unavailable").await;

    let cluster = tokio::task::spawn_blocking(move || {
        cluster.start_again();
        cluster
    })
    .await
    .unwrap();
    assert_eq!(
        statuses_of_many(&app, &user.access_token, 8).await,
        vec![200; 8],
        "every stale connection is replaced before it is used"
    );
    drop(cluster);
}
