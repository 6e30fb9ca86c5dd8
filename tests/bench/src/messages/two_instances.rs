//! The delivery latency across two instances that share a private Redis.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use super::inbox::Inbox;
use super::latency::{delivery_latency, warm_up};
use super::{Pair, SECTION, listen};
use crate::client::ServerGuard;
use crate::context::Context;
use crate::load::Sample;

/// The latency again, sent to one instance and received on another; both
/// share the database and a private Redis.
pub(super) async fn two_instances(ctx: &Context, pairs: &Arc<Vec<Pair>>) -> Sample {
    let redis = Redis::start()
        .await
        .unwrap_or_else(|error| panic!("{SECTION}: {error}"));
    let url = redis.url();
    eprintln!(
        "{SECTION}: two instances sharing a private Redis on port {} …",
        redis.port
    );
    let first = ServerGuard::start(ctx, &[("REDIS_URL", url.as_str())]).await;
    let second = ServerGuard::start(
        ctx,
        &[("REDIS_URL", url.as_str()), ("NOXCHAT_JOB_WORKERS", "0")],
    )
    .await;
    let inbox = Arc::new(Inbox::default());
    // The same people, signed in already: tokens hold on every instance.
    let listening = listen(second.base(), pairs, &inbox)
        .await
        .unwrap_or_else(|error| {
            panic!(
                "{SECTION}: recipients' sockets on the second instance: {error}\n{}",
                second.server().log_tail(20)
            )
        });
    warm_up(ctx, first.base(), pairs, &inbox).await;
    let two = delivery_latency(ctx, first.base(), pairs, &inbox, "two instances").await;
    listening.close(SECTION).await;
    first.stop().await;
    second.stop().await;
    drop(redis);
    two
}

/// A private `redis-server` on a free port, without persistence; killed
/// when dropped.
struct Redis {
    port: u16,
    process: Child,
}

impl Redis {
    async fn start() -> Result<Self, String> {
        let port = crate::server::free_port();
        let process = Command::new("redis-server")
            .args(["--port", &port.to_string()])
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| format!("redis-server did not start (is it installed?): {error}"))?;
        let redis = Self { port, process };
        for _ in 0..100 {
            let connecting = tokio::net::TcpStream::connect(("127.0.0.1", port));
            if let Ok(Ok(_)) = tokio::time::timeout(Duration::from_secs(1), connecting).await {
                return Ok(redis);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(format!(
            "redis-server did not listen on port {port} within 5 s"
        ))
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
