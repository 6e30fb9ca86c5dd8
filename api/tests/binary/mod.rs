//! Running the `noxchat` binary from tests: its environment cleaned of the
//! developer's settings, a fresh database each, and its logs collected.

#![allow(dead_code)] // Each test binary uses its own part of this.

use std::process::{Command, Stdio};
use std::time::Duration;

use diesel::{Connection, PgConnection, RunQueryDsl};

pub mod acme;
pub mod deployment;
pub mod nginx;
pub mod redis;

pub fn noxchat() -> Command {
    noxchat_with_data_dir(
        &std::env::temp_dir().join(format!("noxchat-cli-{}", uuid::Uuid::new_v4())),
    )
}

pub fn noxchat_with_data_dir(data_dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_noxchat"));
    for (key, _) in std::env::vars() {
        if key.starts_with("NOXCHAT_")
            || key == "DATABASE_URL"
            || key == "SMTP_URL"
            || key == "RUST_LOG"
        {
            command.env_remove(key);
        }
    }
    command
        .env("NOXCHAT_DATA_DIR", data_dir)
        .current_dir(std::env::temp_dir());
    command
}

pub fn fresh_database_name() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    format!(
        "noxchat_test_{secs}_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    )
}

pub fn drop_database(name: &str) {
    if let Ok(mut admin) = PgConnection::establish(&database_url("postgres")) {
        let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .execute(&mut admin);
    }
}

fn server_url() -> String {
    std::env::var("NOXCHAT_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

pub fn database_url(name: &str) -> String {
    let mut url = url::Url::parse(&server_url()).unwrap();
    url.set_path(&format!("/{name}"));
    url.to_string()
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `noxchat serve` on a fresh database and a free port, its logs piped and
/// collected as they come (so a chatty server never blocks on a full pipe).
pub struct RunningBinary {
    pub process: std::process::Child,
    pub data_dir: std::path::PathBuf,
    database: String,
    pub base: String,
    /// Whether `/readyz` answered 200 within ten seconds.
    pub ready: bool,
    logs: Option<std::thread::JoinHandle<String>>,
}

pub async fn serve(settings: &[(&str, &str)]) -> RunningBinary {
    serve_on(&fresh_database_name(), settings).await
}

/// `noxchat serve` on the named database (made by the first instance),
/// as another instance of one deployment.
pub async fn serve_on(database: &str, settings: &[(&str, &str)]) -> RunningBinary {
    serve_on_port(database, free_port(), settings).await
}

/// `noxchat serve` on the named database and on `port`: an instance that
/// stopped, started again at the same address.
pub async fn serve_on_port(database: &str, port: u16, settings: &[(&str, &str)]) -> RunningBinary {
    let database = database.to_owned();
    // Instances of one deployment may share their files (media, outbox).
    let data_dir = settings
        .iter()
        .find(|(name, _)| *name == "NOXCHAT_DATA_DIR")
        .map(|(_, dir)| std::path::PathBuf::from(dir))
        .unwrap_or_else(|| {
            std::env::temp_dir().join(format!("noxchat-cli-{}", uuid::Uuid::new_v4()))
        });
    let mut command = noxchat_with_data_dir(&data_dir);
    command
        .arg("serve")
        .env("DATABASE_URL", database_url(&database))
        .env("NOXCHAT_SECRET", "binary-test-secret-binary-test-secret")
        .env("NOXCHAT_BIND", format!("127.0.0.1:{port}"))
        .env("NOXCHAT_WORKERS", "1")
        .envs(settings.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut process = command.spawn().unwrap();
    let mut stderr = process.stderr.take().unwrap();
    let logs = std::thread::spawn(move || {
        let mut logs = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut logs);
        logs
    });
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..100 {
        if client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    RunningBinary {
        process,
        data_dir,
        database,
        base,
        ready,
        logs: Some(logs),
    }
}

impl RunningBinary {
    /// Registers with `body` and opens the link mailed to the outbox; the
    /// status of the confirmation (201 when the account was made).
    pub async fn register(&self, client: &reqwest::Client, body: &serde_json::Value) -> u16 {
        let asked = client
            .post(format!("{}/api/v1/auth/register", self.base))
            .json(body)
            .send()
            .await
            .unwrap();
        assert_eq!(asked.status(), 202, "{}", asked.text().await.unwrap());
        let to = body["email"].as_str().unwrap_or_default().to_lowercase();
        let token = self
            .emailed_token(&to, "/confirm-registration#token=")
            .await;
        client
            .post(format!("{}/api/v1/auth/register/confirm", self.base))
            .json(&serde_json::json!({"token": token}))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    /// The token after `marker` in an email to `to` in the outbox, once
    /// one holds it.
    async fn emailed_token(&self, to: &str, marker: &str) -> String {
        for _ in 0..300 {
            for entry in std::fs::read_dir(self.data_dir.join("outbox"))
                .into_iter()
                .flatten()
                .flatten()
            {
                // Quoted-printable: join soft line breaks, decode "=3D".
                let text = std::fs::read_to_string(entry.path())
                    .unwrap_or_default()
                    .replace("=\r\n", "")
                    .replace("=3D", "=");
                let addressed = text
                    .lines()
                    .any(|line| line.to_lowercase().starts_with("to:") && line.contains(to));
                if let Some(start) = text.find(marker).filter(|_| addressed) {
                    return text[start + marker.len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || "._-".contains(*c))
                        .collect();
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no email with {marker} in the outbox");
    }

    /// A line of `/proc/<pid>/status`, such as `VmRSS` (resident now) or
    /// `VmHWM` (the most ever resident), in MiB.
    pub fn memory_mib(&self, line: &str) -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.process.id())).unwrap();
        let kib: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{line}:")))
            .and_then(|rest| rest.trim().strip_suffix("kB"))
            .map(|n| n.trim().parse().unwrap())
            .unwrap_or_else(|| panic!("no {line} in the process status"));
        kib / 1024
    }

    /// Asks the server to stop, as an operator or a deploy does (SIGTERM).
    pub fn terminate(&self) {
        let signalled = Command::new("kill")
            .args(["-TERM", &self.process.id().to_string()])
            .status();
        assert!(
            signalled.is_ok_and(|status| status.success()),
            "cannot signal the server"
        );
    }

    /// Waits up to `patience` for the process to exit on its own, kills it
    /// after that, and returns how it ended (`None`: killed) and its logs.
    /// Its database goes too.
    pub async fn finish(
        mut self,
        patience: Duration,
    ) -> (Option<std::process::ExitStatus>, String) {
        let ended = self.wait_for_exit(patience).await;
        drop_database(&self.database);
        ended
    }

    /// Like [`Self::finish`], but the database stays, for the instance that
    /// starts next on it. The logs are returned once.
    pub async fn wait_for_exit(
        &mut self,
        patience: Duration,
    ) -> (Option<std::process::ExitStatus>, String) {
        let deadline = std::time::Instant::now() + patience;
        let mut status = self.process.try_wait().unwrap();
        while status.is_none() && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
            status = self.process.try_wait().unwrap();
        }
        if status.is_none() {
            self.process.kill().unwrap();
        }
        self.process.wait().unwrap();
        let logs = self
            .logs
            .take()
            .map(|t| t.join().unwrap())
            .unwrap_or_default();
        (status, logs)
    }
}

/// A test that fails before `finish` must not leave the server running.
impl Drop for RunningBinary {
    fn drop(&mut self) {
        if self.process.try_wait().ok().flatten().is_none() {
            let _ = self.process.kill();
            let _ = self.process.wait();
        }
    }
}
