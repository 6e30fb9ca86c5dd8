//! The real-time WebSocket as any client speaks it (`authenticate`,
//! `ready`, `resume`), and crowds of sockets held open cheaply.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// For one step of a socket (upgrade, a frame sent, the next frame).
pub const SOCKET_PATIENCE: Duration = Duration::from_secs(20);
/// A close handshake that takes longer is given up (the socket is dropped).
const CLOSE_PATIENCE: Duration = Duration::from_secs(2);

/// Opens the real-time WebSocket, authenticates, and returns it with the
/// `ready` frame.
pub async fn open_socket(base: &str, token: &str) -> Result<(Ws, Value), String> {
    let url = format!("{}/api/v1/realtime", base.replacen("http://", "ws://", 1));
    // Thousands of idle sockets live in this process: 4 KiB to read into
    // (it grows for a larger frame) rather than 128 KiB, and frames written
    // at once rather than gathered.
    let config = WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0);
    let (mut ws, _) = tokio::time::timeout(
        SOCKET_PATIENCE,
        tokio_tungstenite::connect_async_with_config(url, Some(config), true),
    )
    .await
    .map_err(|_| "the WebSocket upgrade took too long".to_owned())?
    .map_err(|error| format!("WebSocket upgrade: {error}"))?;
    send(&mut ws, &json!({"type": "authenticate", "token": token})).await?;
    let ready = next_json(&mut ws, SOCKET_PATIENCE).await?;
    if ready["type"] != "ready" {
        return Err(format!("expected `ready`, got {ready}"));
    }
    Ok((ws, ready))
}

/// Opens an authenticated socket and resumes it at `ready.position`: live
/// from now on. Returns the position.
pub async fn open_resumed(base: &str, token: &str) -> Result<(Ws, i64), String> {
    let (mut ws, ready) = open_socket(base, token).await?;
    let position = ready["position"]
        .as_i64()
        .ok_or_else(|| format!("`ready` without a position: {ready}"))?;
    resume(&mut ws, position).await?;
    Ok((ws, position))
}

/// Asks for every event after `after`, then live ones.
pub async fn resume(ws: &mut Ws, after: i64) -> Result<(), String> {
    send(ws, &json!({"type": "resume", "after": after})).await
}

async fn send(ws: &mut Ws, frame: &Value) -> Result<(), String> {
    tokio::time::timeout(SOCKET_PATIENCE, ws.send(Message::text(frame.to_string())))
        .await
        .map_err(|_| "a frame could not be sent in time".to_owned())?
        .map_err(|error| format!("sending a frame: {error}"))
}

/// The next JSON frame (pings are answered on the way), within `patience`.
pub async fn next_json(ws: &mut Ws, patience: Duration) -> Result<Value, String> {
    let deadline = Instant::now() + patience;
    loop {
        let message = tokio::time::timeout_at(deadline, ws.next())
            .await
            .map_err(|_| format!("no frame within {} s", patience.as_secs()))?;
        match message {
            Some(Ok(Message::Text(text))) => {
                return serde_json::from_str(text.as_str())
                    .map_err(|error| format!("a frame that is not JSON: {error}"));
            }
            Some(Ok(Message::Close(frame))) => {
                return Err(format!(
                    "closed by the server with {}",
                    close_code(frame.as_ref())
                ));
            }
            Some(Ok(_)) => {}
            Some(Err(error)) => return Err(format!("the socket failed: {error}")),
            None => return Err("the socket ended".to_owned()),
        }
    }
}

fn close_code(frame: Option<&CloseFrame>) -> u16 {
    frame.map_or(1005, |frame| u16::from(frame.code))
}

/// How a held socket ended.
#[derive(Debug)]
pub enum Held {
    /// We closed it when told to.
    Stopped,
    /// The server closed it with this code.
    Closed(u16),
    /// It failed or went away without a close frame.
    Dropped,
}

/// Reads a socket (which answers the server's pings: tungstenite queues the
/// pong and writes it on the next read) until `stop` says so or it ends,
/// handing each text frame to `on_text`.
pub async fn hold<F>(mut ws: Ws, mut stop: watch::Receiver<bool>, mut on_text: F) -> Held
where
    F: FnMut(&str) + Send + 'static,
{
    let ending = loop {
        if *stop.borrow_and_update() {
            break None;
        }
        tokio::select! {
            changed = stop.changed() => {
                // Told to stop, or whoever could tell us is gone.
                if changed.is_err() || *stop.borrow() {
                    break None;
                }
            }
            message = ws.next() => match message {
                Some(Ok(Message::Text(text))) => on_text(text.as_str()),
                Some(Ok(Message::Close(frame))) => break Some(Held::Closed(close_code(frame.as_ref()))),
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break Some(Held::Dropped),
            },
        }
    };
    match ending {
        Some(ended) => ended,
        None => {
            close(ws).await;
            Held::Stopped
        }
    }
}

/// Sends a close frame and waits (a little) for the server's answer.
async fn close(mut ws: Ws) {
    let _ = tokio::time::timeout(CLOSE_PATIENCE, async {
        let _ = ws.close(None).await;
        while let Some(Ok(_)) = ws.next().await {}
    })
    .await;
}

/// Sockets held open, each by a task of its own reading it; all closed
/// together. Dropped without `close` (a figure failed), the tasks see their
/// signal gone and close their sockets themselves.
pub struct Crowd {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<Held>>,
}

impl Crowd {
    pub fn empty() -> Self {
        let (stop, _) = watch::channel(false);
        Self {
            stop,
            tasks: Vec::new(),
        }
    }

    /// Holds `ws` open, handing its text frames to `on_text`.
    pub fn hold<F>(&mut self, ws: Ws, on_text: F)
    where
        F: FnMut(&str) + Send + 'static,
    {
        let stop = self.stop_signal();
        self.spawn(hold(ws, stop, on_text));
    }

    /// Runs a task of the crowd that ends when `stop_signal` says so.
    pub fn spawn<T>(&mut self, task: T)
    where
        T: Future<Output = Held> + Send + 'static,
    {
        self.tasks.push(tokio::spawn(task));
    }

    pub fn stop_signal(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }

    pub fn count(&self) -> usize {
        self.tasks.len()
    }

    /// Closes every socket (a close frame each) and waits for them; says
    /// how many had ended before they were told to.
    pub async fn close(self, section: &str) {
        self.stop.send_replace(true);
        let aborts: Vec<_> = self.tasks.iter().map(JoinHandle::abort_handle).collect();
        let endings = futures_util::future::join_all(self.tasks);
        match tokio::time::timeout(Duration::from_secs(60), endings).await {
            Ok(endings) => {
                let mut closed_by_server: Vec<u16> = Vec::new();
                let mut dropped = 0;
                for ending in endings {
                    match ending {
                        Ok(Held::Stopped) => {}
                        Ok(Held::Closed(code)) => closed_by_server.push(code),
                        Ok(Held::Dropped) | Err(_) => dropped += 1,
                    }
                }
                if !closed_by_server.is_empty() || dropped > 0 {
                    closed_by_server.sort_unstable();
                    closed_by_server.dedup();
                    eprintln!(
                        "{section}: !!! some sockets had ended before we closed them: {dropped} dropped, others closed by the server with {closed_by_server:?}"
                    );
                }
            }
            Err(_) => {
                eprintln!("{section}: !!! sockets still closing after 60 s: dropping them");
                for abort in aborts {
                    abort.abort();
                }
            }
        }
    }
}
