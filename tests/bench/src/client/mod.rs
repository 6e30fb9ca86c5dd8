//! What the message and socket figures share: signing seeded people in,
//! sending a message, the real-time WebSocket as any client speaks it
//! (`authenticate`, `ready`, `resume`), crowds of sockets held open cheaply,
//! and servers that stop even when a figure fails half-way.

mod realtime;
mod rest;

use std::time::Duration;

use uuid::Uuid;

use crate::context::Context;
use crate::server::Server;

pub use self::realtime::{
    Crowd, Held, SOCKET_PATIENCE, Ws, hold, next_json, open_resumed, open_socket, resume,
};
pub use self::rest::{Person, direct_conversation, send_message, sign_in_people};

/// A server that is stopped however the section ends: `stop` on the way
/// out, killed when dropped (a figure panicked).
pub struct ServerGuard(Option<Server>);

impl ServerGuard {
    pub async fn start(ctx: &Context, extra: &[(&str, &str)]) -> Self {
        Self(Some(Server::start(ctx, extra).await))
    }

    pub fn server(&self) -> &Server {
        self.0.as_ref().expect("a server runs until it is stopped")
    }

    pub fn base(&self) -> &str {
        &self.server().base
    }

    pub async fn stop(mut self) {
        if let Some(server) = self.0.take() {
            server.stop().await;
        }
    }
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        if let Some(server) = self.0.take() {
            let pid = server.pid();
            eprintln!("stopping server {pid} after a failure");
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            drop(server);
        }
    }
}

/// A random pause of up to `most`, so that retries do not march in step.
pub fn jitter(most: Duration) -> Duration {
    let nanos = u64::try_from(most.as_nanos()).unwrap_or(u64::MAX).max(1);
    let random = u64::try_from(Uuid::new_v4().as_u128() % u128::from(nanos)).unwrap_or(0);
    Duration::from_nanos(random)
}

/// `10000` as `10,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}
