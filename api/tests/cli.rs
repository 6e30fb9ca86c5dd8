//! The `noxchat` binary as an operator meets it: start-up failures, the
//! printed spec, and the structured request log.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binary;

use std::process::Command;
use std::time::Duration;

use binary::{
    database_url, drop_database, fresh_database_name, noxchat, noxchat_with_data_dir, serve,
};
use diesel::{Connection, PgConnection, RunQueryDsl};
use serde_json::Value;

#[derive(diesel::QueryableByName)]
struct Email {
    #[diesel(sql_type = diesel::sql_types::Text)]
    email: String,
}

fn count(conn: &mut PgConnection, table: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
        .get_result::<Count>(conn)
        .unwrap()
        .n
}

#[test]
fn seed_fills_an_empty_database_once() {
    let name = fresh_database_name();
    let data_dir = std::env::temp_dir().join(format!("noxchat-seed-{}", uuid::Uuid::new_v4()));
    let run = |args: &[&str]| {
        noxchat_with_data_dir(&data_dir)
            .args(args)
            .env("DATABASE_URL", database_url(&name))
            .output()
            .unwrap()
    };
    let first = run(&["seed"]);
    let second = run(&["seed"]);
    let forced = run(&["seed", "--force"]);
    let mut conn = PgConnection::establish(&database_url(&name)).unwrap();
    let users = count(&mut conn, "users");
    let friendships = count(&mut conn, "friendships");
    let requests = count(&mut conn, "friend_requests");
    let with_avatars = count(&mut conn, "users WHERE avatar_key IS NOT NULL");
    let cyrillic = count(&mut conn, "users WHERE display_name ~ '[А-Яа-я]'");
    let topics = count(&mut conn, "topics");
    let posts = count(&mut conn, "posts");
    let russian_posts = count(&mut conn, "posts WHERE source ~ '[А-Яа-я]'");
    let liked = count(&mut conn, "post_likes");
    let quoting = count(&mut conn, "posts WHERE html LIKE '%<blockquote>%'");
    let mentioning = count(&mut conn, "posts WHERE html LIKE '%href=\"/users/%'");
    let pictured = count(&mut conn, "post_images");
    // The counters the server keeps agree with what was written.
    let wrong_counts = count(
        &mut conn,
        "topics t WHERE t.last_post_number <> (SELECT count(*) FROM posts p WHERE p.topic_id = t.id) \
         OR t.reply_count <> t.last_post_number - 1",
    ) + count(
        &mut conn,
        "categories c WHERE c.topic_count <> (SELECT count(*) FROM topics t WHERE t.category_id = c.id)",
    ) + count(
        &mut conn,
        "forum_stats s WHERE s.posts <> (SELECT count(*) FROM posts p WHERE p.author_id = s.user_id) \
         OR s.likes_received <> (SELECT count(*) FROM post_likes l JOIN posts p ON p.id = l.post_id \
                                 WHERE p.author_id = s.user_id)",
    );
    drop(conn);
    drop_database(&name);
    let avatar_files = std::fs::read_dir(data_dir.join("media/avatars"))
        .map(|d| d.count())
        .unwrap_or(0);
    let _ = std::fs::remove_dir_all(&data_dir);

    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("Added 16 people"));
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("--force"));
    assert!(forced.status.success());
    assert!(String::from_utf8_lossy(&forced.stdout).contains("Added 0 people"));
    assert_eq!(users, 16);
    assert!(cyrillic >= 8, "Russian names too");
    assert!(friendships >= 40, "{friendships} friendship rows");
    assert!(requests >= 5, "{requests} pending requests");
    assert!(with_avatars >= 10);
    assert_eq!(
        avatar_files as i64,
        with_avatars * 2,
        "two sizes per avatar, no strays"
    );
    assert!(
        String::from_utf8_lossy(&first.stdout).contains("Added 50 topics"),
        "{}",
        String::from_utf8_lossy(&first.stdout)
    );
    assert_eq!(topics, 50, "a second seed adds no second forum");
    assert!((2000..10_000).contains(&posts), "{posts} posts");
    assert!(russian_posts > posts / 4 && russian_posts < posts * 3 / 4);
    assert!(liked > 1000 && quoting > 100 && mentioning > 100);
    assert!(pictured > 0);
    assert_eq!(wrong_counts, 0);
}

#[test]
fn seed_bulk_mode_fills_a_forum_of_the_asked_size_with_true_counters() {
    let name = fresh_database_name();
    let data_dir = std::env::temp_dir().join(format!("noxchat-bulk-{}", uuid::Uuid::new_v4()));
    let run = |args: &[&str]| {
        noxchat_with_data_dir(&data_dir)
            .args(args)
            .env("DATABASE_URL", database_url(&name))
            .output()
            .unwrap()
    };
    let bulk = run(&["seed", "--topics", "300", "--posts", "10007"]);
    let half = run(&["seed", "--topics", "3"]);
    let mut conn = PgConnection::establish(&database_url(&name)).unwrap();
    let topics = count(&mut conn, "topics");
    let posts = count(&mut conn, "posts");
    let longest = count(&mut conn, "topics WHERE last_post_number = 34");
    let wrong_counts = count(
        &mut conn,
        "topics t WHERE t.last_post_number <> (SELECT count(*) FROM posts p WHERE p.topic_id = t.id) \
         OR t.reply_count <> t.last_post_number - 1",
    ) + count(
        &mut conn,
        "categories c WHERE c.topic_count <> (SELECT count(*) FROM topics t WHERE t.category_id = c.id)",
    ) + count(
        &mut conn,
        "forum_stats s WHERE s.posts <> (SELECT count(*) FROM posts p WHERE p.author_id = s.user_id) \
         OR s.topics <> (SELECT count(*) FROM topics t WHERE t.author_id = s.user_id)",
    );
    drop(conn);
    drop_database(&name);
    let _ = std::fs::remove_dir_all(&data_dir);

    assert!(
        bulk.status.success(),
        "{}",
        String::from_utf8_lossy(&bulk.stderr)
    );
    assert!(String::from_utf8_lossy(&bulk.stdout).contains("Added 300 topics and 10007 posts"));
    assert!(!half.status.success(), "--topics needs --posts");
    assert_eq!((topics, posts), (300, 10_007));
    assert_eq!(
        longest, 107,
        "10007 = 300 × 33 + 107: the first 107 take one more"
    );
    assert_eq!(wrong_counts, 0);
}

#[test]
fn the_operator_grants_and_revokes_roles_on_the_command_line() {
    let name = fresh_database_name();
    let run = |args: &[&str]| {
        noxchat()
            .args(args)
            .env("DATABASE_URL", database_url(&name))
            .output()
            .unwrap()
    };
    assert!(run(&["seed"]).status.success());
    let role = || {
        let mut conn = PgConnection::establish(&database_url(&name)).unwrap();
        count(
            &mut conn,
            "users WHERE handle = 'anna' AND role = 'moderator'",
        )
    };
    let granted = run(&["admin", "grant", "ANNA", "moderator"]);
    let as_moderator = role();
    let revoked = run(&["admin", "revoke", "anna"]);
    let after_revoke = role();
    let unknown = run(&["admin", "grant", "nobody_here", "admin"]);
    let bad_role = run(&["admin", "grant", "anna", "emperor"]);
    let made_admin = run(&["admin", "grant", "anna", "admin"]);
    let anna_email = {
        let mut conn = PgConnection::establish(&database_url(&name)).unwrap();
        diesel::sql_query("SELECT email FROM users WHERE handle = 'anna'")
            .get_result::<Email>(&mut conn)
            .unwrap()
            .email
    };
    let listed_revoke = noxchat()
        .args(["admin", "revoke", "anna"])
        .env("DATABASE_URL", database_url(&name))
        .env("NOXCHAT_ADMIN_EMAILS", &anna_email)
        .output()
        .unwrap();
    let still_admin = {
        let mut conn = PgConnection::establish(&database_url(&name)).unwrap();
        count(&mut conn, "users WHERE handle = 'anna' AND role = 'admin'")
    };
    drop_database(&name);
    assert!(made_admin.status.success());
    assert!(!listed_revoke.status.success(), "the list would undo it");
    assert!(String::from_utf8_lossy(&listed_revoke.stderr).contains("NOXCHAT_ADMIN_EMAILS"));
    assert_eq!(still_admin, 1);

    assert!(
        granted.status.success(),
        "{}",
        String::from_utf8_lossy(&granted.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&granted.stdout).trim(),
        "@anna is now moderator."
    );
    assert_eq!(as_moderator, 1);
    assert!(revoked.status.success());
    assert_eq!(after_revoke, 0);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no user @nobody_here"));
    assert!(!bad_role.status.success());
}

#[test]
fn bad_configuration_stops_the_server_with_one_line_naming_the_variable() {
    for (variable, value) in [
        ("NOXCHAT_BIND", "everywhere"),
        ("SMTP_URL", "mail.example.org"),
        ("MEILI_URL", "meilisearch:7700"),
    ] {
        let output = noxchat()
            .arg("serve")
            .env(variable, value)
            .output()
            .unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(variable), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn search_reindex_without_meilisearch_says_there_is_nothing_to_rebuild() {
    let output = noxchat()
        .args(["search", "reindex"])
        .env_remove("MEILI_URL")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("MEILI_URL is not set"), "{stderr}");
}

#[test]
fn production_refuses_to_start_without_an_explicit_secret() {
    let output = noxchat()
        .arg("serve")
        .env("NOXCHAT_ENV", "production")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("NOXCHAT_SECRET")
    );
}

#[test]
fn openapi_command_prints_the_spec() {
    let output = noxchat().arg("openapi").output().unwrap();
    assert!(output.status.success());
    let spec: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(spec["info"]["title"], "NoxChat API");
}

#[tokio::test]
async fn json_logs_have_a_line_per_request_with_its_id_and_no_secrets() {
    let server = serve(&[("NOXCHAT_LOG_FORMAT", "json")]).await;
    let (base, ready) = (server.base.clone(), server.ready);
    let client = reqwest::Client::new();
    let password = "a very secret passphrase";
    let mut login_request_id = String::new();
    let mut access_token = String::new();
    if ready {
        let body = serde_json::json!({"email": "log@example.org", "handle": "logger", "display_name": "L", "password": password});
        assert_eq!(server.register(&client, &body).await, 201);
        let login = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({"login": "logger", "password": password}))
            .send()
            .await
            .unwrap();
        login_request_id = login.headers()["x-request-id"].to_str().unwrap().to_owned();
        let tokens: Value = login.json().await.unwrap();
        access_token = tokens["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
    }
    let (_, logs) = server.finish(Duration::ZERO).await;

    assert!(ready, "the server did not become ready:\n{logs}");
    let lines: Vec<Value> = logs
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    let login_line = lines
        .iter()
        .find(|line| line["http.route"] == "/api/v1/auth/login")
        .expect("a log line for the login request");
    assert_eq!(login_line["http.status"], 200);
    assert_eq!(login_line["span"]["request.id"], login_request_id);
    assert_eq!(login_line["span"]["http.method"], "POST");
    assert!(login_line["latency_ms"].is_number());
    assert!(!logs.contains(password), "a password reached the logs");
    assert!(
        !access_token.is_empty() && !logs.contains(&access_token),
        "a token reached the logs"
    );
    assert!(
        !logs.contains("log@example.org"),
        "an email address reached the logs"
    );
}

#[tokio::test]
async fn sigterm_stops_the_server_cleanly_and_its_tasks_in_order() {
    let server = serve(&[("NOXCHAT_LOG_FORMAT", "json"), ("NOXCHAT_JOB_WORKERS", "2")]).await;
    let ready = server.ready;
    let signalled = Command::new("kill")
        .args(["-TERM", &server.process.id().to_string()])
        .status()
        .unwrap();
    let (status, logs) = server.finish(Duration::from_secs(30)).await;

    assert!(
        ready && signalled.success(),
        "the server did not start:\n{logs}"
    );
    assert!(
        status.is_some_and(|s| s.success()),
        "no clean exit on SIGTERM:\n{logs}"
    );
    let stopped: Vec<String> = logs
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["message"] == "background task stopped")
        .map(|line| line["task"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        stopped,
        [
            "job_worker_2",
            "job_worker_1",
            "job_wakeups",
            "event_relay",
            "presence",
            "housekeeping"
        ],
        "workers first, housekeeping last:\n{logs}"
    );
}

#[tokio::test]
async fn text_logs_written_to_a_pipe_carry_no_colour_codes() {
    let server = serve(&[]).await;
    let ready = server.ready;
    let (_, logs) = server.finish(Duration::ZERO).await;
    assert!(ready, "the server did not start:\n{logs}");
    assert!(logs.contains("NoxChat is listening"), "{logs}");
    assert!(
        !logs.contains('\u{1b}'),
        "colour codes in piped logs:\n{logs:?}"
    );
}
