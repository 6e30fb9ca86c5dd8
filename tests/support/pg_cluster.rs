//! A PostgreSQL cluster of the test's own, on a free port, to stop and start
//! under a running server. Made with the machine's `initdb` and `pg_ctl`
//! (Debian keeps them in /usr/lib/postgresql/<version>/bin); as root they run
//! as the `postgres` user, since PostgreSQL refuses to run as root.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct PgCluster {
    root: PathBuf,
    bin: PathBuf,
    /// PostgreSQL refuses root: then its programs run as `postgres`.
    as_root: bool,
    pub port: u16,
}

fn bin_dir() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL's programs under /usr/lib/postgresql")
        .flatten()
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    found.sort();
    found.pop().expect("initdb under /usr/lib/postgresql/*/bin")
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

impl PgCluster {
    pub fn start() -> Self {
        let root = std::env::temp_dir().join(format!("noxchat-pg-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&root).expect("cluster dir");
        let cluster = Self {
            bin: bin_dir(),
            as_root: running_as_root(),
            port: free_port(),
            root,
        };
        if cluster.as_root {
            cluster.run(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&cluster.root),
            );
        }
        let data = cluster.data_dir();
        let mut initdb = cluster.as_owner(&cluster.bin.join("initdb"));
        initdb.arg("-D").arg(&data).args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ]);
        cluster.run(&mut initdb);
        cluster.pg_ctl(&["start"]);
        cluster
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Stops at once, as a crash or a hurried restart would: every
    /// connection the server holds goes stale.
    pub fn stop(&self) {
        self.pg_ctl(&["stop", "-m", "immediate"]);
    }

    pub fn start_again(&self) {
        self.pg_ctl(&["start"]);
    }

    fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    fn pg_ctl(&self, args: &[&str]) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.root.display()
        );
        let mut command = self.as_owner(&self.bin.join("pg_ctl"));
        command
            .arg("-D")
            .arg(self.data_dir())
            .arg("-l")
            .arg(self.root.join("log"))
            .args(["-w", "-o", &options])
            .args(args);
        self.run(&mut command);
    }

    fn as_owner(&self, program: &Path) -> Command {
        if self.as_root {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }

    fn run(&self, command: &mut Command) {
        let output = command.output().expect("the command starts");
        assert!(
            output.status.success(),
            "{command:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let _ = self
            .as_owner(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.data_dir())
            .args(["stop", "-m", "immediate"])
            .output();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
