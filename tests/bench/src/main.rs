//! `make bench`: seeds (once) and copies a bench database, then measures
//! the real NoxChat server over loopback section by section, each figure
//! beside the limit it is compared to, measured in the same run; prints the
//! table and writes it as JSON to `target/bench/results.json`.
//!
//! `BENCH_QUICK=1` is a smoke run: a smaller seed, shorter windows, fewer
//! sockets.

// A test tool: a failed expectation should stop it with its reason.
#![allow(clippy::unwrap_used)]

// The shared toolkit: not every section uses every part of it.
#[allow(dead_code)]
mod context;
#[allow(dead_code)]
mod load;
#[allow(dead_code)]
mod report;
#[allow(dead_code)]
mod server;

mod client;
mod seed;

mod images;
mod logins;
mod messages;
mod reads;
mod sockets;
mod start;

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::Text;
use futures_util::FutureExt;

use crate::context::{Context, Seed, person_handle};
use crate::report::Report;

/// The PostgreSQL used when `DATABASE_URL` is unset (`make bench` sets it
/// through scripts/with-postgres.sh).
const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

#[tokio::main]
async fn main() -> ExitCode {
    let quick = std::env::var("BENCH_QUICK")
        .is_ok_and(|value| !matches!(value.trim(), "" | "0" | "false" | "no"));
    eprintln!(
        "bench: {}",
        if quick {
            "BENCH_QUICK: a smaller seed and shorter windows"
        } else {
            "full run (BENCH_QUICK=1 for a one-minute smoke run)"
        }
    );
    // Thousands of sockets, on both ends: the servers inherit the limit.
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => eprintln!("bench: open files limit {limit}"),
        Err(error) => eprintln!("bench: cannot raise the open files limit: {error}"),
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| repo.join("target"), PathBuf::from);
    let server_bin = std::env::var_os("NOXCHAT_BIN")
        .map_or_else(|| target_dir.join("release/noxchat"), PathBuf::from);
    if !server_bin.is_file() {
        eprintln!(
            "bench: no server at {}: build it with `cargo build --release -p noxchat` (or run `make bench`)",
            server_bin.display()
        );
        return ExitCode::FAILURE;
    }
    let secret = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let server_url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned());

    let prepared = {
        let (server_bin, secret) = (server_bin.clone(), secret.clone());
        tokio::task::spawn_blocking(move || seed::prepare(&server_url, quick, &server_bin, &secret))
            .await
    };
    let prepared = match prepared {
        Ok(prepared) => prepared,
        Err(error) => {
            eprintln!("bench: preparing the database failed: {}", cause(error));
            return ExitCode::FAILURE;
        }
    };
    describe_seed(&prepared.seed);
    let machine = {
        let url = prepared.database_url.clone();
        tokio::task::spawn_blocking(move || describe_machine(&url))
            .await
            .unwrap_or_else(|_| "an unknown machine".to_owned())
    };
    eprintln!("bench: {machine}");

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .no_proxy()
        .tcp_nodelay(true)
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("build the HTTP client");
    let ctx = Arc::new(Context {
        quick,
        database_url: prepared.database_url.clone(),
        server_bin,
        secret,
        http,
        seed: prepared.seed.clone(),
        window: if quick {
            Duration::from_millis(1_500)
        } else {
            Duration::from_secs(5)
        },
        concurrency: 16,
    });
    // A section that runs longer than this is stopped (and its servers with it).
    let limit = Duration::from_secs(if quick { 120 } else { 600 });
    let mut report = Report::new(machine.clone(), quick);
    let mut failed: Vec<String> = Vec::new();
    // `BENCH_ONLY=reads,messages`: just those sections (while profiling one).
    let only = std::env::var("BENCH_ONLY")
        .ok()
        .filter(|only| !only.trim().is_empty());

    // Each section runs as a task of its own, with its own part of the
    // report: one that panics or overruns is reported, and the rest run.
    macro_rules! section {
        ($name:literal, $run:path) => {{
            if only
                .as_ref()
                .is_none_or(|only| only.split(',').any(|name| name.trim() == $name))
            {
                eprintln!("\n{}: …", $name);
                let ctx = Arc::clone(&ctx);
                let mut part = Report::new(machine.clone(), quick);
                // The figures pushed before a panic are kept.
                let task = tokio::spawn(async move {
                    let ran = AssertUnwindSafe($run(&ctx, &mut part)).catch_unwind().await;
                    (part, ran.err().map(panic_message))
                });
                let abort = task.abort_handle();
                match tokio::time::timeout(limit, task).await {
                    Ok(Ok((part, None))) => report.figures.extend(part.figures),
                    Ok(Ok((part, Some(why)))) => {
                        report.figures.extend(part.figures);
                        eprintln!("{}: failed: {why}", $name);
                        failed.push(format!("{}: {why}", $name));
                    }
                    Ok(Err(error)) => {
                        let why = cause(error);
                        eprintln!("{}: failed: {why}", $name);
                        failed.push(format!("{}: {why}", $name));
                    }
                    Err(_) => {
                        abort.abort();
                        let why = format!("did not finish within {} s", limit.as_secs());
                        eprintln!("{}: {why}", $name);
                        failed.push(format!("{}: {why}", $name));
                    }
                }
            }
        }};
    }
    section!("start", start::run);
    section!("reads", reads::run);
    section!("messages", messages::run);
    section!("sockets", sockets::run);
    section!("logins", logins::run);
    section!("images", images::run);

    report.print_table();
    if !failed.is_empty() {
        println!();
        println!("Sections that failed (no figures recorded for them):");
        for failure in &failed {
            println!("  {failure}");
        }
    }
    let results = target_dir.join("bench/results.json");
    match report.write_json(&results) {
        Ok(()) => println!("\nWritten to {}", results.display()),
        Err(error) => {
            eprintln!("bench: cannot write {}: {error}", results.display());
            failed.push("results.json".to_owned());
        }
    }
    // Give a moment to servers of aborted sections, killed as they dropped.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let _ = tokio::task::spawn_blocking(move || prepared.drop_copy()).await;
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// A failed task's reason: its panic message, or that it was cancelled.
fn cause(error: tokio::task::JoinError) -> String {
    if error.is_cancelled() {
        return "cancelled".to_owned();
    }
    panic_message(error.into_panic())
}

/// What a panic said.
fn panic_message(panic: Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|text| (*text).to_owned()))
        .unwrap_or_else(|| "panicked".to_owned())
}

fn describe_seed(seed: &Seed) {
    eprintln!(
        "bench: the seed: {} people ({} … {}, password `{}`), {} topics, {} posts, \
         long topic {}, busiest category `{}`, {} direct conversations",
        seed.people,
        person_handle(1),
        (seed.person_handle)(seed.people),
        seed.password,
        seed.topics,
        seed.posts,
        seed.long_topic_id,
        seed.category_slug,
        seed.conversations
    );
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    version: String,
}

/// CPU, cores, memory, kernel and PostgreSQL, for the report.
fn describe_machine(database_url: &str) -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "an unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let line = info
                .lines()
                .find_map(|line| line.strip_prefix("MemTotal:"))?;
            let kib: f64 = line.split_whitespace().next()?.parse().ok()?;
            Some(format!("{:.1} GiB", kib / 1024.0 / 1024.0))
        })
        .unwrap_or_else(|| "? GiB".to_owned());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map_or_else(|_| "?".to_owned(), |text| text.trim().to_owned());
    let postgres = PgConnection::establish(database_url)
        .ok()
        .and_then(|mut conn| {
            diesel::sql_query("SELECT version() AS version")
                .get_result::<Version>(&mut conn)
                .ok()
        })
        .map_or_else(
            || "PostgreSQL ?".to_owned(),
            |row| match row.version.split_once(" on ") {
                Some((short, _)) => short.to_owned(),
                None => row.version,
            },
        );
    format!("{cpu}, {cores} cores, {memory}, Linux {kernel}, {postgres}")
}
