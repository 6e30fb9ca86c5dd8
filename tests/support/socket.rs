//! A WebSocket client for the real-time gateway, as any third-party client
//! would use it: text frames of JSON, close codes read from the close frame.
//! Shared with the server package's tests of several running binaries.

#![allow(dead_code)] // Each test binary uses its own part of this.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Long enough for anything the server does at once; a frame that has not
/// come by then is not coming.
const PATIENCE: Duration = Duration::from_secs(10);

pub struct Socket {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// How a connection ended, as the client saw it.
#[derive(Debug, PartialEq, Eq)]
pub enum Ending {
    /// A close frame with this code.
    Closed(u16),
    /// The socket went away without a close frame.
    Dropped,
}

impl Socket {
    /// Opens the gateway's WebSocket at `http_base` (`http://host:port`)
    /// without authenticating.
    pub async fn open(http_base: &str) -> Self {
        let url = format!(
            "{}/api/v1/realtime",
            http_base.replacen("http://", "ws://", 1)
        );
        let (ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("WebSocket upgrade");
        Self { ws }
    }

    /// Opens a WebSocket, authenticates with `token`, and returns the
    /// `ready` frame with it.
    pub async fn authenticated(http_base: &str, token: &str) -> (Self, Value) {
        Self::authenticate_over(Self::open(http_base).await.ws, token).await
    }

    /// Authenticates on a WebSocket opened some other way (over TLS,
    /// through a proxy), and returns the `ready` frame with it.
    pub async fn authenticate_over(
        ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
        token: &str,
    ) -> (Self, Value) {
        let mut socket = Self { ws };
        socket
            .send(json!({"type": "authenticate", "token": token}))
            .await;
        let ready = socket.frame().await;
        assert_eq!(ready["type"], "ready", "{ready}");
        (socket, ready)
    }

    /// Asks for every event after `after`, then live ones.
    pub async fn resume(&mut self, after: i64) {
        self.send(json!({"type": "resume", "after": after})).await;
    }

    pub async fn send(&mut self, frame: Value) {
        self.send_text(frame.to_string()).await;
    }

    pub async fn send_text(&mut self, text: String) {
        self.ws.send(Message::text(text)).await.expect("frame sent");
    }

    pub async fn send_binary(&mut self, bytes: Vec<u8>) {
        self.ws
            .send(Message::binary(bytes))
            .await
            .expect("frame sent");
    }

    /// The next JSON frame from the server (pings are answered on the way).
    pub async fn frame(&mut self) -> Value {
        match self.next().await {
            Ok(frame) => frame,
            Err(ending) => panic!("expected a frame, the connection ended: {ending:?}"),
        }
    }

    /// The next event frame, skipping ephemeral ones.
    pub async fn event(&mut self) -> Value {
        loop {
            let frame = self.frame().await;
            if frame["type"] == "event" {
                return frame;
            }
            assert_ne!(frame["type"], "error", "{frame}");
        }
    }

    /// The next presence frame, skipping events.
    pub async fn presence(&mut self) -> Value {
        loop {
            let frame = self.frame().await;
            if frame["type"] == "presence" {
                return frame;
            }
            assert_eq!(frame["type"], "event", "{frame}");
        }
    }

    /// Reads until the connection ends, returning what came before it.
    pub async fn until_closed(&mut self) -> (Vec<Value>, Ending) {
        let mut frames = Vec::new();
        loop {
            match self.next().await {
                Ok(frame) => frames.push(frame),
                Err(ending) => return (frames, ending),
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }

    async fn next(&mut self) -> Result<Value, Ending> {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.ws.next())
                .await
                .expect("the server said something in time");
            match message {
                Some(Ok(Message::Text(text))) => {
                    return Ok(serde_json::from_str(&text).expect("frames are JSON"));
                }
                Some(Ok(Message::Close(frame))) => {
                    let code = frame.map_or(CloseCode::Status, |frame| frame.code);
                    return Err(Ending::Closed(code.into()));
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return Err(Ending::Dropped),
            }
        }
    }
}

impl Socket {
    /// Keeps reading (and so answering pings) for `period`, expecting
    /// nothing but pings.
    pub async fn stay_quiet_for(&mut self, period: Duration) {
        let until = tokio::time::Instant::now() + period;
        while let Ok(message) = tokio::time::timeout_at(until, self.ws.next()).await {
            match message {
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                other => panic!("expected quiet, got {other:?}"),
            }
        }
    }
}

impl Socket {
    /// For a client that went silent: reads what the server sent since,
    /// straight off the TCP stream (a WebSocket library would answer the
    /// pings on the way, into a socket the server may have closed), and
    /// returns the code of the close frame found there.
    pub async fn close_code_sent_while_silent(mut self) -> Option<u16> {
        use tokio::io::AsyncReadExt;
        let MaybeTlsStream::Plain(tcp) = self.ws.get_mut() else {
            panic!("tests speak plain TCP");
        };
        let mut bytes = Vec::new();
        tokio::time::timeout(PATIENCE, tcp.read_to_end(&mut bytes))
            .await
            .expect("the server ended the connection")
            .expect("read");
        let mut rest = bytes.as_slice();
        while rest.len() >= 2 {
            let opcode = rest[0] & 0x0f;
            let (length, header) = match rest[1] & 0x7f {
                126 => (usize::from(u16::from_be_bytes([rest[2], rest[3]])), 4),
                127 => (
                    usize::try_from(u64::from_be_bytes(rest[2..10].try_into().unwrap())).unwrap(),
                    10,
                ),
                short => (usize::from(short), 2),
            };
            let payload = &rest[header..header + length];
            if opcode == 0x8 {
                return Some(u16::from_be_bytes([payload[0], payload[1]]));
            }
            rest = &rest[header + length..];
        }
        None
    }
}
