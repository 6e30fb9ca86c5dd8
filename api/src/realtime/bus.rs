//! What is not stored travels between instances over Redis pub/sub when
//! `REDIS_URL` is set (presence, typing, a topic's news); without it it
//! stays in this process. Stored events never need this: PostgreSQL
//! carries their commit to every instance, and the log is the truth. New
//! messages' events travel here too, only so that the other instances'
//! connections can send them without reading the log; when one is lost,
//! the notification from PostgreSQL has them read it.
//!
//! Redis loses what it cannot deliver, so nothing here is trusted alone: a
//! message that could not be published waits in a bounded queue and goes
//! out once Redis is back; when the queue overflows, or an instance
//! (re)subscribes, the connections re-read presence from PostgreSQL.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::{Mutex, mpsc};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::hub::Hub;
use super::presence::PresenceChange;
use super::typing::TypingNotice;
use super::viewing::TopicNotice;
use crate::core::UserId;
use crate::events::queries::Published;
use crate::events::{Event, LoggedEvent};
use crate::supervisor::TaskError;

const CHANNEL: &str = "noxchat:ephemeral";
/// Messages waiting while Redis is away; beyond this, everyone rechecks.
const OUTBOX: usize = 1024;
/// The longest a Redis command may take before the connection is thought lost.
const PATIENCE: Duration = Duration::from_secs(2);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

#[derive(Debug, Serialize, Deserialize)]
struct BusMessage {
    /// The instance that sent it: it has delivered it to its own sockets.
    from: Uuid,
    body: BusBody,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum BusBody {
    Presence(PresenceChange),
    /// Some messages were lost: every connection re-reads presence.
    RecheckPresence,
    /// Someone is typing (nothing to recheck if lost: it expires anyway).
    Typing(TypingNotice),
    /// A topic's news for its readers (a hint: nothing to recheck if lost).
    Topic(TopicNotice),
    /// Events just committed (a shortcut: the log has them if lost). A
    /// struct variant: a tagged enum cannot carry a bare list.
    Stored {
        events: Vec<StoredEvent>,
    },
}

/// An event just recorded in a person's log, as it crosses instances.
#[derive(Debug, Serialize, Deserialize)]
struct StoredEvent {
    recipient: UserId,
    seq: i64,
    at: DateTime<Utc>,
    event: Event,
}

impl From<&Published> for StoredEvent {
    fn from(published: &Published) -> Self {
        Self {
            recipient: published.recipient,
            seq: published.logged.seq,
            at: published.logged.at,
            event: published.logged.event.clone(),
        }
    }
}

impl From<StoredEvent> for Published {
    fn from(stored: StoredEvent) -> Self {
        Self {
            recipient: stored.recipient,
            logged: LoggedEvent {
                seq: stored.seq,
                at: stored.at,
                event: stored.event,
            },
        }
    }
}

/// This instance's way to the others, if there are others to reach.
pub struct Bus {
    redis: Option<RedisBus>,
}

struct RedisBus {
    client: redis::Client,
    outbox: mpsc::Sender<BusBody>,
    unsent: Mutex<mpsc::Receiver<BusBody>>,
    overflowed: AtomicBool,
}

impl Bus {
    pub fn in_process() -> Self {
        Self { redis: None }
    }

    pub fn redis(url: &str) -> redis::RedisResult<Self> {
        let (outbox, unsent) = mpsc::channel(OUTBOX);
        Ok(Self {
            redis: Some(RedisBus {
                client: redis::Client::open(url)?,
                outbox,
                unsent: Mutex::new(unsent),
                overflowed: AtomicBool::new(false),
            }),
        })
    }

    pub fn uses_redis(&self) -> bool {
        self.redis.is_some()
    }

    /// Sends a presence change to the other instances.
    pub fn publish_presence(&self, change: &PresenceChange) {
        if let Some(redis) = &self.redis
            && redis
                .outbox
                .try_send(BusBody::Presence(change.clone()))
                .is_err()
        {
            redis.overflowed.store(true, Ordering::Relaxed);
        }
    }

    /// Sends a typing notice to the other instances; when the outbox is
    /// full it is dropped (a client shows typing for a few seconds only).
    pub fn publish_typing(&self, notice: &TypingNotice) {
        if let Some(redis) = &self.redis {
            let _ = redis.outbox.try_send(BusBody::Typing(notice.clone()));
        }
    }

    /// Sends a topic's news to the other instances' readers of it;
    /// dropped when the outbox is full, like typing.
    pub fn publish_topic_notice(&self, notice: &TopicNotice) {
        if let Some(redis) = &self.redis {
            let _ = redis.outbox.try_send(BusBody::Topic(notice.clone()));
        }
    }

    /// Sends events this instance has just committed to the other
    /// instances' connections; dropped when the outbox is full (the other
    /// instances then read them from the log, as PostgreSQL tells them).
    pub fn publish_stored(&self, published: &[Published]) {
        if let Some(redis) = &self.redis
            && !published.is_empty()
        {
            let events = published.iter().map(StoredEvent::from).collect();
            let _ = redis.outbox.try_send(BusBody::Stored { events });
        }
    }

    /// Publishes what waits in the outbox, in order, for as long as it
    /// runs, holding each message until Redis has taken it.
    pub async fn publish_outbox(
        &self,
        instance: Uuid,
        stop: CancellationToken,
    ) -> Result<(), TaskError> {
        let Some(redis) = &self.redis else {
            return Ok(());
        };
        let mut unsent = redis.unsent.lock().await;
        let mut connection = None;
        let mut backoff = Duration::from_millis(100);
        loop {
            let body = if redis.overflowed.swap(false, Ordering::Relaxed) {
                BusBody::RecheckPresence
            } else {
                tokio::select! {
                    () = stop.cancelled() => return Ok(()),
                    body = unsent.recv() => match body {
                        Some(body) => body,
                        None => return Ok(()),
                    },
                }
            };
            let payload = match serde_json::to_string(&BusMessage {
                from: instance,
                body,
            }) {
                Ok(payload) => payload,
                // One message the bus cannot carry must not stop the rest.
                Err(error) => {
                    tracing::error!(%error, "a bus message did not serialise; dropped");
                    continue;
                }
            };
            loop {
                match publish(&redis.client, &mut connection, &payload).await {
                    Ok(()) => {
                        backoff = Duration::from_millis(100);
                        break;
                    }
                    Err(error) => {
                        connection = None;
                        tracing::warn!(%error, retry_in = ?backoff, "cannot publish to Redis; holding the message");
                        tokio::select! {
                            () = stop.cancelled() => return Ok(()),
                            () = tokio::time::sleep(backoff) => {}
                        }
                        backoff = (backoff * 2).min(MAX_BACKOFF);
                    }
                }
            }
        }
    }

    /// Delivers what other instances publish to this instance's sockets;
    /// fails when the subscription is lost, so that the supervisor
    /// subscribes again.
    pub async fn subscribe(
        &self,
        instance: Uuid,
        hub: &Arc<Hub>,
        stop: CancellationToken,
    ) -> Result<(), TaskError> {
        let Some(redis) = &self.redis else {
            return Ok(());
        };
        let mut pubsub = tokio::time::timeout(PATIENCE, redis.client.get_async_pubsub()).await??;
        tokio::time::timeout(PATIENCE, pubsub.subscribe(CHANNEL)).await??;
        // Whatever was published while this instance was not listening is
        // lost: read presence again from the truth.
        hub.recheck_presence_everywhere();
        tracing::info!("subscribed to Redis for presence between instances");
        let mut messages = pubsub.into_on_message();
        loop {
            let message = tokio::select! {
                () = stop.cancelled() => return Ok(()),
                message = messages.next() => message.ok_or("the Redis subscription was lost")?,
            };
            match serde_json::from_slice::<BusMessage>(message.get_payload_bytes()) {
                Ok(message) if message.from == instance => {}
                Ok(BusMessage {
                    body: BusBody::Presence(change),
                    ..
                }) => hub.deliver_presence(&change),
                Ok(BusMessage {
                    body: BusBody::RecheckPresence,
                    ..
                }) => hub.recheck_presence_everywhere(),
                Ok(BusMessage {
                    body: BusBody::Typing(notice),
                    ..
                }) => hub.deliver_typing(&notice),
                Ok(BusMessage {
                    body: BusBody::Topic(notice),
                    ..
                }) => hub.deliver_topic_notice(&notice),
                Ok(BusMessage {
                    body: BusBody::Stored { events },
                    ..
                }) => {
                    let published: Vec<Published> =
                        events.into_iter().map(Published::from).collect();
                    hub.hand_over(&published);
                }
                Err(error) => tracing::warn!(%error, "an unreadable message on the Redis bus"),
            }
        }
    }
}

async fn publish(
    client: &redis::Client,
    connection: &mut Option<redis::aio::MultiplexedConnection>,
    payload: &str,
) -> Result<(), TaskError> {
    if connection.is_none() {
        *connection =
            Some(tokio::time::timeout(PATIENCE, client.get_multiplexed_async_connection()).await??);
    }
    let Some(connection) = connection.as_mut() else {
        return Err("no Redis connection".into());
    };
    let command = redis::cmd("PUBLISH").arg(CHANNEL).arg(payload).clone();
    tokio::time::timeout(PATIENCE, command.query_async::<i64>(connection)).await??;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::SessionId;

    #[test]
    fn events_just_committed_cross_the_bus_as_they_were_recorded() {
        let anna = UserId::generate();
        let event = Event::SessionEnded {
            session_id: SessionId::from_uuid(Uuid::new_v4()),
        };
        let published = Published {
            recipient: anna,
            logged: LoggedEvent {
                seq: 7,
                at: Utc::now(),
                event: event.clone(),
            },
        };
        let message = BusMessage {
            from: Uuid::new_v4(),
            body: BusBody::Stored {
                events: vec![StoredEvent::from(&published)],
            },
        };
        let payload = serde_json::to_string(&message).expect("it serialises");
        let read: BusMessage = serde_json::from_str(&payload).expect("it reads back");
        let BusBody::Stored { events } = read.body else {
            panic!("not stored events: {payload}");
        };
        let crossed: Vec<Published> = events.into_iter().map(Published::from).collect();
        assert_eq!(crossed.len(), 1);
        assert_eq!(crossed[0].recipient, anna);
        assert_eq!(crossed[0].logged.seq, 7);
        assert_eq!(crossed[0].logged.at, published.logged.at);
        assert_eq!(crossed[0].logged.event, event);
    }
}
