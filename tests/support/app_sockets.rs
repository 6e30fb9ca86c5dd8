//! The gateway's WebSocket from a test app, signed in or not.

use serde_json::Value;

use super::TestApp;
use super::socket::Socket;

impl TestApp {
    /// Opens the gateway's WebSocket without authenticating.
    pub async fn open_socket(&self) -> Socket {
        Socket::open(&self.address).await
    }

    /// Opens a WebSocket, authenticates with `token`, and returns the
    /// `ready` frame with it.
    pub async fn socket(&self, token: &str) -> (Socket, Value) {
        Socket::authenticated(&self.address, token).await
    }

    /// An authenticated socket that has asked for everything after its
    /// position at `ready`.
    pub async fn live_socket(&self, token: &str) -> (Socket, Value) {
        let (mut socket, ready) = self.socket(token).await;
        socket
            .resume(ready["position"].as_i64().expect("position"))
            .await;
        (socket, ready)
    }
}
