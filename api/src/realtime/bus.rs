//! What is not stored travels between instances over Redis pub/sub when
//! `REDIS_URL` is set (presence now, typing with the messenger); without it
//! it stays in this process. Stored events never need this: PostgreSQL
//! carries their commit to every instance, and the log is the truth.
//!
//! Redis loses what it cannot deliver, so nothing here is trusted alone: a
//! message that could not be published waits in a bounded queue and goes
//! out once Redis is back; when the queue overflows, or an instance
//! (re)subscribes, the connections re-read presence from PostgreSQL.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::{Mutex, mpsc};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::hub::Hub;
use super::presence::PresenceChange;
use super::typing::TypingNotice;
use super::viewing::TopicNotice;
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
            let payload = serde_json::to_string(&BusMessage {
                from: instance,
                body,
            })?;
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
