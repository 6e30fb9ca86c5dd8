//! Presence: a person is online while any of their connections is open, on
//! any instance, with a short grace after the last one closes so that a
//! page reload does not flicker. Each instance keeps PostgreSQL in step
//! with its hub (one task, reconciling, so missed or repeated signals do no
//! harm), and hands each change, which is not stored, to the people who may
//! see it.

pub mod queries;
mod seen;

pub use seen::SeenOnline;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::frames::ServerFrame;
use crate::core::UserId;
use crate::db;
use crate::state::AppState;
use crate::supervisor::TaskError;

/// How often an instance renews its lease and sweeps those of dead ones.
const RENEW_EVERY: Duration = Duration::from_secs(10);

/// Someone went online or offline, and who may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceChange {
    pub user: UserId,
    pub online: bool,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub watchers: Vec<UserId>,
}

impl PresenceChange {
    pub fn frame(&self) -> ServerFrame {
        ServerFrame::Presence {
            user_id: self.user,
            online: self.online,
            last_seen_at: self.last_seen_at,
        }
    }
}

/// The people this instance holds a presence row for. Its lock orders
/// every change to those rows here, so an arrival and the end of a grace
/// cannot undo each other.
#[derive(Default)]
pub struct PresenceBook(tokio::sync::Mutex<HashSet<UserId>>);

/// Records a connection's person as online here before its `ready`, and
/// tells their friends when they were offline everywhere until now.
pub async fn arrive(state: &AppState, user: UserId) -> Result<(), crate::error::ApiError> {
    let realtime = &state.realtime;
    let mut held = realtime.presence.0.lock().await;
    if held.contains(&user) {
        return Ok(());
    }
    let instance = realtime.instance;
    let change = db::run(&state.pool, move |conn| {
        let went_online = queries::mark_online(conn, user, instance, now())?;
        went_online
            .then(|| change(conn, user, true, None))
            .transpose()
    })
    .await?;
    held.insert(user);
    drop(held);
    if let Some(change) = change {
        realtime.announce(&change);
    }
    Ok(())
}

/// Someone began or stopped showing their status to friends: the friends'
/// clients learn whether they are online (or no longer see it).
pub async fn visibility_changed(
    state: &AppState,
    user: UserId,
    shown: bool,
) -> Result<(), crate::error::ApiError> {
    let change = db::run(&state.pool, move |conn| {
        Ok(PresenceChange {
            user,
            online: shown && queries::is_online(conn, user, now())?,
            last_seen_at: None,
            watchers: queries::friends_of(conn, user)?,
        })
    })
    .await?;
    state.realtime.announce(&change);
    Ok(())
}

/// The supervised task that keeps this instance's part of presence true:
/// it renews the instance's lease, sweeps dead instances, and records who
/// left once their grace is over.
pub async fn keep_presence(state: Arc<AppState>, stop: CancellationToken) -> Result<(), TaskError> {
    let realtime = &state.realtime;
    let instance = realtime.instance;
    {
        let mut held = realtime.presence.0.lock().await;
        let rows = db::run(&state.pool, move |conn| {
            queries::renew_instance(conn, instance, now())?;
            Ok(queries::held_by(conn, instance)?)
        })
        .await?;
        *held = rows.into_iter().collect();
    }
    let mut renew = tokio::time::interval(RENEW_EVERY);
    let mut next_deadline = None;
    loop {
        let deadline = next_deadline.unwrap_or_else(|| Instant::now() + RENEW_EVERY);
        tokio::select! {
            () = stop.cancelled() => return Ok(()),
            () = realtime.hub.presence_changed() => {}
            () = tokio::time::sleep_until(deadline) => {}
            _ = renew.tick() => {
                let swept = db::run(&state.pool, move |conn| {
                    let now = now();
                    queries::renew_instance(conn, instance, now)?;
                    let offline = queries::sweep_dead_instances(conn, now)?;
                    offline
                        .into_iter()
                        .map(|(user, last_seen)| change(conn, user, false, Some(last_seen)))
                        .collect::<Result<Vec<_>, _>>()
                })
                .await?;
                for change in swept {
                    realtime.announce(&change);
                }
            }
        }
        next_deadline = record_departures(&state).await?;
    }
}

/// Records as gone those whose last connection here closed more than the
/// grace ago; returns when the next grace ends.
async fn record_departures(state: &AppState) -> Result<Option<Instant>, TaskError> {
    let realtime = &state.realtime;
    let (instance, grace) = (realtime.instance, realtime.settings.presence_grace);
    let (connected, left) = realtime.hub.presence_snapshot();
    let leaving: HashSet<UserId> = left.iter().map(|(user, _)| *user).collect();
    // Held but neither here nor leaving: recorded before this task last
    // started, and gone since.
    let long_gone: Vec<_> = realtime
        .presence
        .0
        .lock()
        .await
        .iter()
        .filter(|user| !connected.contains(user) && !leaving.contains(user))
        .map(|user| (*user, std::time::Instant::now() - grace))
        .collect();
    let mut next = None::<Instant>;
    for (user, left_at) in left.into_iter().chain(long_gone) {
        // The grace runs from the moment the last connection closed.
        let ends = Instant::from_std(left_at) + grace;
        if ends > Instant::now() {
            next = Some(next.map_or(ends, |next| next.min(ends)));
            continue;
        }
        let mut held = realtime.presence.0.lock().await;
        // Back meanwhile: their new connection's arrival kept the row.
        if realtime.hub.is_connected(user) {
            continue;
        }
        realtime.hub.forget_left(user);
        if !held.remove(&user) {
            continue;
        }
        let change = db::run(&state.pool, move |conn| {
            let last_seen = queries::mark_offline(conn, user, instance, now())?;
            last_seen
                .map(|at| change(conn, user, false, Some(at)))
                .transpose()
        })
        .await;
        let change = match change {
            Ok(change) => change,
            Err(error) => {
                // Still held: the next round tries again.
                held.insert(user);
                return Err(error.into());
            }
        };
        drop(held);
        if let Some(change) = change {
            realtime.announce(&change);
        }
    }
    Ok(next)
}

/// Now, at the database's precision, so what a frame says and what REST
/// later reads are the same instant.
fn now() -> DateTime<Utc> {
    use chrono::SubsecRound;
    Utc::now().trunc_subsecs(6)
}

fn change(
    conn: &mut diesel::PgConnection,
    user: UserId,
    online: bool,
    last_seen_at: Option<DateTime<Utc>>,
) -> Result<PresenceChange, crate::error::ApiError> {
    Ok(PresenceChange {
        user,
        online,
        last_seen_at,
        watchers: queries::watchers(conn, user)?,
    })
}
