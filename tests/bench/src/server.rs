//! The real server under test: the release binary started as its own
//! process on a free loopback port, with a data directory of its own.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

use crate::context::Context;

/// How long a server may take to answer `/readyz` before the bench gives up.
const READY_LIMIT: Duration = Duration::from_secs(30);
/// How often `/readyz` is asked while starting.
const READY_POLL: Duration = Duration::from_millis(5);
/// How long a stopping server may take before it is killed.
const STOP_LIMIT: Duration = Duration::from_secs(10);

pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// From the spawn to the first `/readyz` answering 200.
    pub started_in: Duration,
    pub data_dir: PathBuf,
    child: Child,
    pid: u32,
}

/// Settings inherited from the environment that would change what is
/// measured (another database, Redis, Meilisearch, mail): a section that
/// wants one passes it in `extra`.
fn inherited_setting(name: &str) -> bool {
    name.starts_with("NOXCHAT_")
        || name.starts_with("MEILI_")
        || matches!(name, "DATABASE_URL" | "REDIS_URL" | "SMTP_URL" | "RUST_LOG")
}

/// A `noxchat` command with the bench's environment: `database_url`, the
/// shared secret, `dir` as its data directory and working directory (so
/// that no `.env` of the checkout is read), logs at `warn`, and none of the
/// caller's own settings.
pub fn noxchat_command(
    server_bin: &Path,
    secret: &str,
    database_url: &str,
    dir: &Path,
) -> std::process::Command {
    let mut command = std::process::Command::new(server_bin);
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(inherited_setting) {
            command.env_remove(name);
        }
    }
    command
        .current_dir(dir)
        .env("DATABASE_URL", database_url)
        .env("NOXCHAT_SECRET", secret)
        .env("NOXCHAT_DATA_DIR", dir)
        .env("RUST_LOG", "warn");
    command
}

impl Server {
    /// `noxchat serve` on the bench database and a free port, with rate
    /// limits off and JSON logs at `warn`, plus `extra`; waits for
    /// `/readyz` to answer 200 (panics after 30 s, with the log's tail).
    pub async fn start(ctx: &Context, extra: &[(&str, &str)]) -> Server {
        let port = free_port();
        let data_dir =
            std::env::temp_dir().join(format!("noxchat-bench-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&data_dir).expect("create the server's data directory");
        let log =
            std::fs::File::create(data_dir.join("server.log")).expect("create the server log");
        let mut command: Command =
            noxchat_command(&ctx.server_bin, &ctx.secret, &ctx.database_url, &data_dir).into();
        command
            .env("NOXCHAT_BIND", format!("127.0.0.1:{port}"))
            .env("NOXCHAT_SPA_DIR", data_dir.join("no-web-app"))
            .env("NOXCHAT_RATE_LIMITS", "off")
            .env("NOXCHAT_LOG_FORMAT", "json")
            .envs(extra.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .kill_on_drop(true);
        let spawned = Instant::now();
        let mut child = command.spawn().unwrap_or_else(|error| {
            panic!(
                "cannot start {} ({error}); build it with `cargo build --release -p noxchat`",
                ctx.server_bin.display()
            )
        });
        let pid = child.id().expect("a just-spawned server has a pid");
        let base = format!("http://127.0.0.1:{port}");
        let ready = format!("{base}/readyz");
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "the server exited while starting ({status}); its log ends:\n{}",
                    tail(&data_dir, 40)
                );
            }
            let answer = ctx
                .http
                .get(&ready)
                .timeout(Duration::from_secs(1))
                .send()
                .await;
            if answer.is_ok_and(|response| response.status() == reqwest::StatusCode::OK) {
                break;
            }
            if spawned.elapsed() > READY_LIMIT {
                let _ = child.kill().await;
                panic!(
                    "the server was not ready within {} s; its log ends:\n{}",
                    READY_LIMIT.as_secs(),
                    tail(&data_dir, 40)
                );
            }
            tokio::time::sleep(READY_POLL).await;
        }
        Server {
            base,
            started_in: spawned.elapsed(),
            data_dir,
            child,
            pid,
        }
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Resident memory now (VmRSS), in KiB; 0 if the process is gone.
    pub fn rss_kib(&self) -> u64 {
        rss_kib(self.pid)
    }

    /// The last `lines` lines of the server's log (stderr).
    pub fn log_tail(&self, lines: usize) -> String {
        tail(&self.data_dir, lines)
    }

    /// SIGTERM, up to 10 s for a graceful stop, then SIGKILL. The data
    /// directory goes with a clean stop and stays (with its log) otherwise.
    pub async fn stop(mut self) {
        let terminated = tokio::process::Command::new("kill")
            .arg("-TERM")
            .arg(self.pid.to_string())
            .status()
            .await
            .is_ok_and(|status| status.success());
        let exited = if terminated {
            tokio::time::timeout(STOP_LIMIT, self.child.wait())
                .await
                .ok()
        } else {
            None
        };
        match exited {
            Some(Ok(status)) if status.success() => {
                let _ = std::fs::remove_dir_all(&self.data_dir);
            }
            Some(Ok(status)) => eprintln!(
                "  the server stopped with {status}; its log: {}",
                self.data_dir.join("server.log").display()
            ),
            _ => {
                eprintln!(
                    "  the server did not stop within {} s: killed; its log: {}",
                    STOP_LIMIT.as_secs(),
                    self.data_dir.join("server.log").display()
                );
                let _ = self.child.kill().await;
            }
        }
    }
}

/// VmRSS of process `pid` in KiB, from /proc; 0 if it cannot be read.
pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmRSS:"))
                .and_then(|value| value.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

fn tail(data_dir: &Path, lines: usize) -> String {
    let log = std::fs::read_to_string(data_dir.join("server.log")).unwrap_or_default();
    let all: Vec<&str> = log.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// A loopback port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("bind a free loopback port")
        .port()
}
