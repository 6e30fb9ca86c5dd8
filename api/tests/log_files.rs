//! `NOXCHAT_LOG_DIR`, for installations without Docker: the log lines also
//! go to files that NoxChat rotates by size (and daily), keeping only the
//! newest few; and bad log settings stop the server at start-up.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binary;

use std::ops::Range;
use std::path::Path;
use std::time::{Duration, Instant};

use binary::{noxchat, serve};
use serde_json::Value;

const MIB: usize = 1024 * 1024;
/// Requests sent between two looks at the files.
const BATCH: usize = 2_000;
/// About a dozen rotations of 1 MiB at roughly 250 bytes a line: the test
/// fails rather than run on when rotated files are never deleted.
const MAX_REQUESTS: usize = 60_000;
/// Requests in flight at once.
const CONCURRENCY: usize = 8;

/// An id the server keeps for the request (it takes up to 64 characters)
/// and logs in the request's line. Fixed width, so that no id is part of
/// another.
fn request_id(n: usize) -> String {
    format!("log-files-{n:054}")
}

/// Every file in `dir` and its text, by name.
fn read_logs(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            // A file rotated away between listing and reading counts as empty.
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            (name, text)
        })
        .collect();
    files.sort();
    files
}

fn kept(dir: &Path, id: &str) -> bool {
    read_logs(dir).iter().any(|(_, text)| text.contains(id))
}

/// Whether the line of the request `id` reaches a file while the server
/// runs: an operator's `tail -f` must not wait for the server to stop.
async fn written_soon(dir: &Path, id: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if kept(dir, id) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// `GET /healthz` once for each number, with its request id: the cheapest
/// request, and each gets its own "request finished" line.
async fn send_requests(client: &reqwest::Client, base: &str, numbers: Range<usize>) {
    let mut lanes = tokio::task::JoinSet::new();
    for lane in 0..CONCURRENCY {
        let (client, url) = (client.clone(), format!("{base}/healthz"));
        let numbers = numbers.clone().skip(lane).step_by(CONCURRENCY);
        lanes.spawn(async move {
            for n in numbers {
                let response = client
                    .get(&url)
                    .header("x-request-id", request_id(n))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200);
            }
        });
    }
    while let Some(lane) = lanes.join_next().await {
        lane.unwrap();
    }
}

/// The end of a log too long to print whole.
fn last_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

#[tokio::test]
async fn log_files_rotate_at_their_size_and_only_the_newest_are_kept() {
    let root = std::env::temp_dir().join(format!("noxchat-logs-{}", uuid::Uuid::new_v4()));
    // Its parent does not exist either: the server makes both.
    let dir = root.join("logs");
    let dir_setting = dir.display().to_string();
    let server = serve(&[
        ("NOXCHAT_LOG_DIR", dir_setting.as_str()),
        ("NOXCHAT_LOG_FORMAT", "json"),
        ("NOXCHAT_LOG_MAX_SIZE_MB", "1"),
        ("NOXCHAT_LOG_MAX_FILES", "2"),
    ])
    .await;
    let ready = server.ready;
    let client = reqwest::Client::new();
    let first = request_id(0);
    let mut first_written = false;
    let mut sent = 0;
    if ready {
        send_requests(&client, &server.base, 0..1).await;
        sent = 1;
        first_written = written_soon(&dir, &first).await;
        // The first request's line goes once the files after it have filled
        // the two places kept: three rotations, a little over 3 MiB.
        while first_written && kept(&dir, &first) && sent < MAX_REQUESTS {
            let last = sent + BATCH - 1;
            send_requests(&client, &server.base, sent..last).await;
            // Sent once all the others are answered, so its line is queued
            // after theirs: when it is in a file, the whole batch is written
            // and no rotation is under way while the files are read.
            send_requests(&client, &server.base, last..last + 1).await;
            sent += BATCH;
            let last = request_id(last);
            assert!(
                written_soon(&dir, &last).await,
                "request {last} was answered but its line never reached the files"
            );
        }
    }
    server.terminate();
    let (status, stderr) = server.finish(Duration::from_secs(30)).await;
    let files = read_logs(&dir);
    let _ = std::fs::remove_dir_all(&root);

    assert!(ready, "the server did not start:\n{}", last_lines(&stderr));
    assert!(
        first_written,
        "the first request's line did not reach the file while the server ran"
    );
    assert!(
        status.is_some_and(|status| status.success()),
        "no clean exit:\n{}",
        last_lines(&stderr)
    );
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        ["noxchat.log", "noxchat.log.1", "noxchat.log.2"],
        "the file being written and the two newest rotated ones"
    );
    assert!(
        stderr.contains(&first),
        "stderr still gets every line, the first request's too"
    );
    assert!(
        !files.iter().any(|(_, text)| text.contains(&first)),
        "after {sent} requests the first one's line is still kept: old files are never deleted"
    );
    for (name, text) in &files {
        assert!(
            text.len() <= MIB + 16 * 1024,
            "{name} holds {} bytes, over the 1 MiB it is rotated at",
            text.len()
        );
        assert!(!text.contains('\u{1b}'), "colour codes in {name}");
        for line in text.lines() {
            let parsed: Value = serde_json::from_str(line)
                .unwrap_or_else(|_| panic!("not a JSON line in {name}: {line}"));
            assert!(parsed["level"].is_string(), "no level in {name}: {line}");
            assert!(parsed["timestamp"].is_string(), "no time in {name}: {line}");
        }
    }
    // The rotated files were filled by the requests (the file being written
    // may, by chance, have been started by a line logged at shutdown).
    for (name, text) in &files[1..] {
        assert!(
            text.contains("\"request.id\":\"log-files-"),
            "no request lines in {name}"
        );
    }
}

#[test]
fn bad_log_settings_stop_the_server_with_one_line_naming_the_variable() {
    let scratch = std::env::temp_dir().join(format!("noxchat-logs-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&scratch).unwrap();
    let good_dir = scratch.join("logs").display().to_string();
    let a_file = scratch.join("a-file");
    std::fs::write(&a_file, "not a directory").unwrap();
    let below_a_file = a_file.join("logs").display().to_string();
    let outputs: Vec<_> = [
        ("NOXCHAT_LOG_MAX_SIZE_MB", "lots"),
        ("NOXCHAT_LOG_MAX_SIZE_MB", "0"),
        ("NOXCHAT_LOG_MAX_FILES", "-1"),
        ("NOXCHAT_LOG_DIR", below_a_file.as_str()),
    ]
    .into_iter()
    .map(|(variable, value)| {
        let output = noxchat()
            .arg("serve")
            .env("NOXCHAT_LOG_DIR", &good_dir)
            .env(variable, value)
            // Were the setting wrongly accepted, the server would fail at
            // once on this database rather than serve.
            .env("DATABASE_URL", "postgres://postgres@127.0.0.1:1/none")
            .env("NOXCHAT_BIND", "127.0.0.1:0")
            .output()
            .unwrap();
        (variable, output)
    })
    .collect();
    let _ = std::fs::remove_dir_all(&scratch);

    for (variable, output) in outputs {
        assert!(!output.status.success(), "{variable} was accepted");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(variable), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
