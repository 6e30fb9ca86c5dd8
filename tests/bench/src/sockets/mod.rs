//! Sockets: what an idle authenticated WebSocket costs the server in memory
//! (and whether the memory is given back once they close), and how long a
//! storm of clients reconnecting at once takes to catch up.
//!
//! The gateway has no limit of connections per person, so a few people hold
//! many sockets each: signing in costs a password hash, a socket does not.
//! Every socket here is held by a task of its own that keeps reading it (and
//! so answers the server's pings, as a real client does).

mod idle;
mod storm;

use std::time::Duration;

use tokio::time::Instant;

use self::idle::idle_connections;
use self::storm::reconnect_storm;
use crate::context::Context;
use crate::report::Report;

const SECTION: &str = "sockets";
/// Sockets being opened at once (upgrade, authenticate, `ready`, resume).
const OPENING_AT_ONCE: usize = 200;
/// How many sockets each signed-in person holds.
const SOCKETS_PER_PERSON: usize = 100;

pub async fn run(ctx: &Context, report: &mut Report) {
    idle_connections(ctx, report).await;
    reconnect_storm(ctx, report).await;
}

/// The server's own count of open WebSocket connections, from `/metrics`.
struct Metrics {
    http: reqwest::Client,
    url: String,
}

impl Metrics {
    async fn connections(&self) -> Result<u64, String> {
        let response = self
            .http
            .get(&self.url)
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .map_err(|error| format!("metrics: {error}"))?;
        let text = response
            .text()
            .await
            .map_err(|error| format!("metrics: {error}"))?;
        text.lines()
            .find_map(|line| line.strip_prefix("noxchat_realtime_connections "))
            .and_then(|value| value.trim().parse::<f64>().ok())
            .map(|value| value as u64)
            .ok_or_else(|| "metrics: no noxchat_realtime_connections".to_owned())
    }

    /// Polls until the server counts `want` connections.
    async fn wait_for(&self, want: u64, patience: Duration) -> Result<(), String> {
        let deadline = Instant::now() + patience;
        loop {
            let counted = self.connections().await;
            if counted == Ok(want) {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "the server counts {counted:?} open connections after {} s, not {want}",
                    patience.as_secs()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
