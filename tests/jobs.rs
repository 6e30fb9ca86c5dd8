//! Background jobs: retries with back-off, giving up, one send per email
//! however many instances work on one database, wake-up across instances,
//! and mail queued before the jobs table existed.

use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use diesel_migrations::MigrationHarness;
use noxchat::core::Clock;
use noxchat::mail::SCRUBBED_BODY;
use serde_json::Value;

use crate::support::TestApp;
use crate::support::database::TestDatabase;
use crate::support::mail::{Answer, SmtpServer};

/// Fast polling, so that a retry becomes due soon after the clock moves.
async fn app_with_smtp(smtp: &SmtpServer, clock: Clock, extra: &[(&str, &str)]) -> TestApp {
    let smtp_url = format!("smtp://127.0.0.1:{}", smtp.port);
    let mut settings = vec![
        ("SMTP_URL", smtp_url.as_str()),
        ("NOXCHAT_JOB_POLL_MS", "100"),
    ];
    settings.extend_from_slice(extra);
    TestApp::spawn_custom(&settings, clock, None).await
}

fn seconds_until(job_run_at: chrono::DateTime<chrono::Utc>, clock: &Clock) -> i64 {
    (job_run_at - clock.now()).num_seconds()
}

#[tokio::test]
async fn an_email_the_mail_server_refuses_for_now_is_retried_after_its_backoff() {
    let smtp = SmtpServer::refusing(1, Answer::RefuseForNow);
    let clock = Clock::adjustable();
    let app = app_with_smtp(&smtp, clock.clone(), &[]).await;
    app.request_registration("patient").await;

    let jobs = app
        .db
        .wait_for_jobs("the first attempt failed", |jobs| {
            jobs.first()
                .is_some_and(|job| job.leased_until.is_none() && job.last_error.is_some())
        })
        .await;
    let [job] = &jobs[..] else {
        panic!("one job: {jobs:?}")
    };
    assert_eq!((job.kind.as_str(), job.attempts), ("send_email", 1));
    assert!(
        job.last_error
            .as_deref()
            .unwrap_or_default()
            .contains("451")
    );
    let wait = seconds_until(job.run_at, &clock);
    assert!((25..=30).contains(&wait), "retried in {wait} s");

    clock.advance(Duration::from_secs(31));
    smtp.wait_for("patient@example.org", "Confirm your email")
        .await;
    app.db
        .wait_for_jobs("the sent email left the table", <[_]>::is_empty)
        .await;
}

#[tokio::test]
async fn an_email_that_keeps_failing_backs_off_then_is_given_up_without_its_links() {
    let smtp = SmtpServer::refusing(u32::MAX, Answer::RefuseForNow);
    let clock = Clock::adjustable();
    let app = app_with_smtp(&smtp, clock.clone(), &[("NOXCHAT_JOB_MAX_ATTEMPTS", "3")]).await;
    app.request_registration("unlucky").await;

    let mut waits = Vec::new();
    for attempts in 1..=2 {
        let jobs = app
            .db
            .wait_for_jobs("another failed attempt", |jobs| {
                // Settled: a claimed job has its new count before it fails.
                jobs.first().is_some_and(|job| {
                    job.attempts == attempts
                        && job.leased_until.is_none()
                        && job.last_error.is_some()
                })
            })
            .await;
        waits.push(seconds_until(jobs[0].run_at, &clock));
        clock.advance(Duration::from_secs(2 * 60 * 60));
    }
    assert!((25..=30).contains(&waits[0]), "first back-off {waits:?}");
    assert!(
        (55..=60).contains(&waits[1]),
        "second back-off doubles {waits:?}"
    );

    let jobs = app
        .db
        .wait_for_jobs("given up", |jobs| {
            jobs.first().is_some_and(|job| job.dead_at.is_some())
        })
        .await;
    let job = &jobs[0];
    assert_eq!(job.attempts, 3);
    assert_eq!(job.payload["to"], "unlucky@example.org");
    assert_eq!(job.payload["text_body"], SCRUBBED_BODY);
    assert!(
        !job.payload.to_string().contains("token="),
        "{}",
        job.payload
    );
    assert!(smtp.received().is_empty());
}

#[tokio::test]
async fn an_email_the_mail_server_refuses_for_good_is_given_up_at_once() {
    let smtp = SmtpServer::refusing(u32::MAX, Answer::RefuseForGood);
    let app = app_with_smtp(&smtp, Clock::system(), &[]).await;
    app.request_registration("nobody").await;
    let jobs = app
        .db
        .wait_for_jobs("given up", |jobs| {
            jobs.first().is_some_and(|job| job.dead_at.is_some())
        })
        .await;
    assert_eq!(jobs[0].attempts, 1);
    assert!(
        jobs[0]
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("550")
    );
}

#[tokio::test]
async fn two_instances_on_one_database_send_each_email_exactly_once() {
    let smtp = SmtpServer::start();
    let first = app_with_smtp(&smtp, Clock::system(), &[("NOXCHAT_JOB_WORKERS", "3")]).await;
    let smtp_url = format!("smtp://127.0.0.1:{}", smtp.port);
    let second = first
        .spawn_beside(&[
            ("SMTP_URL", &smtp_url),
            ("NOXCHAT_JOB_WORKERS", "3"),
            ("NOXCHAT_JOB_POLL_MS", "100"),
        ])
        .await;
    let handles: Vec<String> = (0..12).map(|n| format!("twin{n}")).collect();
    for (n, handle) in handles.iter().enumerate() {
        let app = if n % 2 == 0 { &first } else { &second };
        assert_eq!(app.request_registration(handle).await.status(), 202);
    }
    for handle in &handles {
        smtp.wait_for(&format!("{handle}@example.org"), "Confirm")
            .await;
    }
    first
        .db
        .wait_for_jobs("every email sent", <[_]>::is_empty)
        .await;
    assert_eq!(smtp.received().len(), handles.len());
}

#[tokio::test]
async fn a_job_running_longer_than_its_lease_is_not_taken_over_by_another_instance() {
    // Each email takes 2.5 s to be accepted, four times the lease: without
    // renewal, the other instance would take the job over and send it again.
    let smtp = SmtpServer::slow(Duration::from_millis(2500));
    let lease = [("NOXCHAT_JOB_LEASE_MS", "600")];
    let first = app_with_smtp(&smtp, Clock::system(), &lease).await;
    let smtp_url = format!("smtp://127.0.0.1:{}", smtp.port);
    let second = first
        .spawn_beside(&[
            ("SMTP_URL", &smtp_url),
            ("NOXCHAT_JOB_LEASE_MS", "600"),
            ("NOXCHAT_JOB_POLL_MS", "100"),
        ])
        .await;
    assert_eq!(first.request_registration("slowpoke").await.status(), 202);
    smtp.wait_for("slowpoke@example.org", "Confirm").await;
    second
        .db
        .wait_for_jobs("the email settled", <[_]>::is_empty)
        .await;
    assert_eq!(smtp.received().len(), 1);
}

#[tokio::test]
async fn work_queued_on_one_instance_wakes_the_workers_of_another_at_once() {
    let web = TestApp::spawn_with(&[("NOXCHAT_JOB_WORKERS", "0")]).await;
    // Polls once an hour: only a wake-up through PostgreSQL reaches it in time.
    let worker = web
        .spawn_beside(&[
            ("NOXCHAT_JOB_WORKERS", "1"),
            ("NOXCHAT_JOB_POLL_MS", "3600000"),
        ])
        .await;
    assert_eq!(web.request_registration("relayed").await.status(), 202);
    let mail = worker.outbox_mail("relayed@example.org", 1).await;
    assert!(mail[0].subject.contains("Confirm your email"));
}

#[tokio::test]
async fn mail_queued_in_the_old_outbox_is_sent_after_the_upgrade() {
    let db = tokio::task::spawn_blocking(|| {
        let db = TestDatabase::create();
        let mut conn = db.connect();
        while table_exists(&mut conn, "jobs") {
            conn.revert_last_migration(noxchat::db::MIGRATIONS)
                .expect("revert a migration");
        }
        diesel::sql_query(
            "INSERT INTO outbound_emails (id, recipient, subject, text_body, html_body) VALUES \
             (gen_random_uuid(), 'waiting@example.org', 'Queued before the upgrade', \
              'Hello from the outbox', '<p>Hello from the outbox</p>')",
        )
        .execute(&mut conn)
        .expect("queue an email the old way");
        diesel::sql_query(
            "INSERT INTO outbound_emails (id, recipient, subject, text_body, html_body, attempts, last_error, failed_at) VALUES \
             (gen_random_uuid(), 'bounced@example.org', 'Failed before the upgrade', \
              'https://noxchat.test/reset-password?token=secret', '<a>token=secret</a>', 10, '550 no such user', now())",
        )
        .execute(&mut conn)
        .expect("a failed email the old way");
        db
    })
    .await
    .unwrap();

    // Starting the server applies the migration.
    let app = TestApp::spawn_custom(&[], Clock::system(), Some(Arc::new(db))).await;
    let mail = app.outbox_mail("waiting@example.org", 1).await;
    assert_eq!(mail[0].subject, "Queued before the upgrade");
    assert!(mail[0].text.contains("Hello from the outbox"));
    let jobs = app
        .db
        .wait_for_jobs("only the failed email is left", |jobs| jobs.len() == 1)
        .await;
    assert!(jobs[0].dead_at.is_some());
    assert_eq!(jobs[0].payload["to"], "bounced@example.org");
    assert!(
        !jobs[0].payload.to_string().contains("secret"),
        "{}",
        jobs[0].payload
    );
}

fn table_exists(conn: &mut PgConnection, table: &str) -> bool {
    #[derive(QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    diesel::sql_query("SELECT to_regclass($1) IS NOT NULL AS exists")
        .bind::<diesel::sql_types::Text, _>(table)
        .get_result::<Exists>(conn)
        .expect("look the table up")
        .exists
}

#[tokio::test]
async fn a_lost_job_listener_is_reported_restarted_and_wakes_workers_again() {
    let app = TestApp::spawn().await;
    let ready: Value = app.get("/readyz", None).await.json().await.unwrap();
    assert_eq!(ready["status"], "ok");
    assert_eq!(task(&ready, "job_wakeups")["healthy"], true);

    // The listener connects in the background: wait until it listens.
    let mut terminated = 0;
    for _ in 0..100 {
        let database = app.db.name.clone();
        terminated = tokio::task::spawn_blocking(move || {
            let mut admin = TestDatabase::admin();
            diesel::sql_query(
                "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN noxchat_jobs%' \
                 AND pg_terminate_backend(pid)",
            )
            .bind::<diesel::sql_types::Text, _>(database)
            .execute(&mut admin)
            .expect("terminate the listener's connection")
        })
        .await
        .unwrap();
        if terminated > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(terminated, 1, "one listener connection");

    let mut reported = Value::Null;
    for _ in 0..100 {
        let ready: Value = app.get("/readyz", None).await.json().await.unwrap();
        let listener = task(&ready, "job_wakeups");
        if listener["restarts"] == 1 && listener["healthy"] == true {
            reported = listener;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let cause = reported["last_error"].as_str().unwrap_or_default();
    assert!(!cause.is_empty(), "the cause is reported: {reported}");

    // Polling is 30 s away: only the reconnected listener can wake the worker.
    assert_eq!(app.request_registration("reconnected").await.status(), 202);
    app.outbox_mail("reconnected@example.org", 1).await;
}

pub(crate) fn task(ready: &Value, name: &str) -> Value {
    ready["tasks"]
        .as_array()
        .and_then(|tasks| tasks.iter().find(|task| task["name"] == name))
        .cloned()
        .unwrap_or_else(|| panic!("no task {name} in {ready}"))
}
