//! Tells this instance's connections that their log may have grown: a
//! dedicated connection LISTENs for the notifications `events::publish`
//! sends, which PostgreSQL delivers only once the transaction commits, to
//! every instance on the database.

use std::str::FromStr;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use tokio_util::sync::CancellationToken;

use super::hub::Hub;
use crate::core::UserId;
use crate::events::queries::CHANNEL;

/// diesel reads notifications only when asked (it cannot wait on the
/// socket), so the relay asks this often: the most a live event waits. An
/// idle check is one non-blocking read, so asking often costs next to
/// nothing (measured: 20 ms here put 20 ms on every event's latency).
const CHECK_EVERY: Duration = Duration::from_millis(5);
/// A quiet connection might be a dead one: it is tried this often, so the
/// supervisor reconnects it (and the hub re-reads every log) soon after a
/// database restart.
const PROBE_EVERY: Duration = Duration::from_secs(2);

/// How the relay's connection shows in `pg_stat_activity`.
pub const APPLICATION_NAME: &str = "noxchat-event-relay";

/// The database URL with the relay's name, and TCP keepalives so that a
/// connection the network silently dropped fails in seconds (and is made
/// again) instead of leaving this instance deaf for many minutes.
fn listening_url(database_url: &str) -> Result<String, url::ParseError> {
    let mut url = url::Url::parse(database_url)?;
    url.query_pairs_mut()
        .append_pair("application_name", APPLICATION_NAME)
        .append_pair("keepalives", "1")
        .append_pair("keepalives_idle", "10")
        .append_pair("keepalives_interval", "5")
        .append_pair("keepalives_count", "3")
        .append_pair("tcp_user_timeout", "20000");
    Ok(url.into())
}

/// A notification's recipient, and the event it is for: `<uuid>:<seq>`
/// from `publish_events`, or `<uuid>` alone when their log and session
/// should be read whatever they hold (`events::queries::notify`).
fn parse(payload: &str) -> Option<(UserId, Option<i64>)> {
    match payload.split_once(':') {
        Some((user, seq)) => Some((UserId::from_str(user).ok()?, Some(seq.parse().ok()?))),
        None => Some((UserId::from_str(payload).ok()?, None)),
    }
}

/// Blocking: relays until cancelled, or fails when the connection does.
pub fn relay_commits(
    database_url: &str,
    hub: &Hub,
    cancel: &CancellationToken,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut conn = PgConnection::establish(&listening_url(database_url)?)?;
    diesel::sql_query(format!("LISTEN {CHANNEL}")).execute(&mut conn)?;
    // Whatever committed while nobody here listened is in the log: every
    // connection looks.
    hub.wake_all();
    let mut probed = Instant::now();
    while !cancel.is_cancelled() {
        for notification in conn.notifications_iter() {
            let notification = notification?;
            match parse(&notification.payload) {
                Some((user, Some(seq))) => hub.wake_for(user, seq),
                Some((user, None)) => hub.wake(user),
                None => {
                    tracing::warn!(payload = %notification.payload, "an event notification names no user")
                }
            }
        }
        if probed.elapsed() > PROBE_EVERY {
            diesel::sql_query("SELECT 1").execute(&mut conn)?;
            probed = Instant::now();
        }
        std::thread::sleep(CHECK_EVERY);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notification_names_its_recipient_and_maybe_the_event() {
        let anna = UserId::generate();
        assert_eq!(parse(&format!("{anna}:42")), Some((anna, Some(42))));
        assert_eq!(parse(&anna.to_string()), Some((anna, None)));
        assert_eq!(parse("nobody"), None);
        assert_eq!(parse(&format!("{anna}:soon")), None);
    }
}
