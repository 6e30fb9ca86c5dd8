//! Immediate wake-up across instances: a dedicated connection LISTENs on the
//! jobs channel, and every notification wakes this instance's workers.

use std::time::Duration;

use diesel::prelude::*;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::queries::CHANNEL;

/// diesel only reads notifications when asked (it cannot wait on the
/// socket), so the listener asks this often: a wake-up costs at most this
/// much latency, and an idle check is one non-blocking read.
const CHECK_EVERY: Duration = Duration::from_millis(50);

/// Wakes this instance's workers. Each worker watches the counter, so a
/// wake-up that arrives while it is busy is still seen when it next looks.
#[derive(Clone)]
pub struct Wakeups(watch::Sender<u64>);

impl Default for Wakeups {
    fn default() -> Self {
        Self(watch::Sender::new(0))
    }
}

impl Wakeups {
    pub fn wake_all(&self) {
        self.0.send_modify(|count| *count = count.wrapping_add(1));
    }

    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.0.subscribe()
    }
}

/// Blocking: listens until cancelled, or fails when the connection does, so
/// that the supervisor reconnects it.
pub fn listen_for_wakeups(
    database_url: &str,
    wakeups: &Wakeups,
    cancel: &CancellationToken,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut conn = PgConnection::establish(database_url)?;
    diesel::sql_query(format!("LISTEN {CHANNEL}")).execute(&mut conn)?;
    // Work queued while nobody listened (before start, or before this
    // reconnect) would otherwise wait for the next poll.
    wakeups.wake_all();
    while !cancel.is_cancelled() {
        let mut notified = false;
        for notification in conn.notifications_iter() {
            notification?;
            notified = true;
        }
        if notified {
            wakeups.wake_all();
        }
        std::thread::sleep(CHECK_EVERY);
    }
    Ok(())
}
