//! Where the recipients' sockets report the messages they receive.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde::Deserialize;
use tokio::sync::oneshot;
use uuid::Uuid;

/// Messages on their way to the recipients' sockets, by client id; the
/// sockets' readers report each `message_created` here.
#[derive(Default)]
pub(super) struct Inbox {
    waiting: Mutex<HashMap<Uuid, Waiter>>,
    /// Counted messages seen on a recipient's socket.
    pub(super) delivered: AtomicU64,
    /// Sends whose answer nobody waits for (the latency figures time the
    /// socket) and which have not been answered yet.
    unanswered: AtomicUsize,
    answered: tokio::sync::Notify,
}

/// A send in flight, counted until it is dropped (answered or failed).
pub(super) struct InFlight(Arc<Inbox>);

impl Drop for InFlight {
    fn drop(&mut self) {
        if self.0.unanswered.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.answered.notify_waiters();
        }
    }
}

enum Waiter {
    /// A sender waits to time the delivery (or to hear that the send failed).
    Timed(oneshot::Sender<Result<(), String>>),
    /// Only counted; `confirmed` once the server answered 201.
    Counted { confirmed: bool },
}

/// The little of an event frame the inbox reads.
#[derive(Deserialize)]
struct EventFrame {
    event: Option<EventHead>,
}

#[derive(Deserialize)]
struct EventHead {
    #[serde(rename = "type")]
    kind: String,
    message: Option<MessageHead>,
}

#[derive(Deserialize)]
struct MessageHead {
    client_id: String,
}

impl Inbox {
    fn waiting(&self) -> MutexGuard<'_, HashMap<Uuid, Waiter>> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn expect_timed(&self, client_id: Uuid) -> oneshot::Receiver<Result<(), String>> {
        let (sender, receiver) = oneshot::channel();
        self.waiting().insert(client_id, Waiter::Timed(sender));
        receiver
    }

    /// Counts a send whose answer is not awaited, until the guard drops.
    pub(super) fn in_flight(self: &Arc<Self>) -> InFlight {
        self.unanswered.fetch_add(1, Ordering::AcqRel);
        InFlight(Arc::clone(self))
    }

    /// Waits (up to `limit`) until every send counted by `in_flight` has
    /// been answered, so that the next phase does not measure a server
    /// still busy with the last one's backlog; how many are still open.
    pub(super) async fn all_answered(&self, limit: Duration) -> usize {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let answered = self.answered.notified();
            let open = self.unanswered.load(Ordering::Acquire);
            if open == 0 {
                return 0;
            }
            if tokio::time::timeout_at(deadline, answered).await.is_err() {
                return self.unanswered.load(Ordering::Acquire);
            }
        }
    }

    pub(super) fn expect_counted(&self, client_id: Uuid) {
        self.waiting()
            .insert(client_id, Waiter::Counted { confirmed: false });
    }

    /// The server took the message (if it has not arrived already).
    pub(super) fn confirm(&self, client_id: Uuid) {
        if let Some(Waiter::Counted { confirmed }) = self.waiting().get_mut(&client_id) {
            *confirmed = true;
        }
    }

    pub(super) fn fail(&self, client_id: Uuid, error: String) {
        let waiter = self.waiting().remove(&client_id);
        if let Some(Waiter::Timed(sender)) = waiter {
            let _ = sender.send(Err(error));
        }
    }

    pub(super) fn forget(&self, client_id: Uuid) {
        self.waiting().remove(&client_id);
    }

    /// Messages the server took that have not reached their socket yet.
    pub(super) fn lost(&self) -> usize {
        self.waiting()
            .values()
            .filter(|waiter| matches!(waiter, Waiter::Counted { confirmed: true }))
            .count()
    }

    pub(super) fn clear(&self) {
        self.waiting().clear();
    }

    /// A text frame from a recipient's socket.
    pub(super) fn arrived(&self, text: &str) {
        if !text.contains("\"message_created\"") {
            return;
        }
        let Ok(EventFrame { event: Some(event) }) = serde_json::from_str::<EventFrame>(text) else {
            return;
        };
        if event.kind != "message_created" {
            return;
        }
        let Some(message) = event.message else {
            return;
        };
        let Ok(client_id) = Uuid::parse_str(&message.client_id) else {
            return;
        };
        let waiter = self.waiting().remove(&client_id);
        match waiter {
            Some(Waiter::Timed(sender)) => {
                let _ = sender.send(Ok(()));
            }
            Some(Waiter::Counted { .. }) => {
                self.delivered.fetch_add(1, Ordering::Relaxed);
            }
            None => {}
        }
    }
}
