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

/// Locks that order changes to one person's presence here.
const STRIPES: usize = 64;

/// The people this instance holds a presence row for. A person's stripe
/// lock orders every change to their row here, so an arrival and the end
/// of a grace cannot undo each other, while other people's changes go on.
pub struct PresenceBook {
    held: std::sync::Mutex<HashSet<UserId>>,
    stripes: Vec<tokio::sync::Mutex<()>>,
}

impl Default for PresenceBook {
    fn default() -> Self {
        Self {
            held: std::sync::Mutex::default(),
            stripes: (0..STRIPES).map(|_| tokio::sync::Mutex::new(())).collect(),
        }
    }
}

impl PresenceBook {
    async fn lock(&self, user: UserId) -> tokio::sync::MutexGuard<'_, ()> {
        // v7 ids end in random bits.
        let stripe = (user.as_uuid().as_u64_pair().1 % STRIPES as u64) as usize;
        self.stripes[stripe].lock().await
    }

    fn held(&self) -> std::sync::MutexGuard<'_, HashSet<UserId>> {
        self.held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Records a connection's person as online here before its `ready`, and
/// tells their friends when they were offline everywhere until now.
pub async fn arrive(state: &AppState, user: UserId) -> Result<(), crate::error::ApiError> {
    let realtime = &state.realtime;
    let _turn = realtime.presence.lock(user).await;
    if realtime.presence.held().contains(&user) {
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
    realtime.presence.held().insert(user);
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
    let rows = db::run(&state.pool, move |conn| {
        Ok(queries::held_by(conn, instance)?)
    })
    .await?;
    *realtime.presence.held() = rows.into_iter().collect();
    let closing = realtime.hub.closing();
    let mut renew = tokio::time::interval(RENEW_EVERY);
    let mut next_deadline = None;
    let mut warned = false;
    loop {
        let deadline = next_deadline.unwrap_or_else(|| Instant::now() + RENEW_EVERY);
        tokio::select! {
            () = stop.cancelled() => return Ok(()),
            () = realtime.hub.presence_changed() => {}
            () = tokio::time::sleep_until(deadline) => {}
            _ = renew.tick() => {
                let instances = renew_and_sweep(&state).await?;
                if instances > 1 && !realtime.bus.uses_redis() && !warned {
                    warned = true;
                    tracing::warn!(
                        instances,
                        "several instances share this database without REDIS_URL: events reach every instance, but presence changes only people connected to the same one"
                    );
                }
            }
        }
        // Stopping: the people here are about to reconnect elsewhere; taking
        // them offline now would only make their friends see them flicker.
        if closing.is_cancelled() {
            next_deadline = None;
            continue;
        }
        next_deadline = record_departures(&state).await?;
    }
}

/// Renews this instance's lease (recording its people again if its rows
/// were swept meanwhile), and takes the people of dead instances offline;
/// returns how many instances are alive.
async fn renew_and_sweep(state: &AppState) -> Result<i64, TaskError> {
    let realtime = &state.realtime;
    let instance = realtime.instance;
    let held: Vec<UserId> = realtime.presence.held().iter().copied().collect();
    let changes = db::run(&state.pool, move |conn| {
        let now = now();
        let mut changes = Vec::new();
        if !queries::renew_instance(conn, instance, now)? {
            for user in queries::restore(conn, &held, instance, now)? {
                changes.push(change(conn, user, true, None)?);
            }
        }
        for (user, last_seen) in queries::sweep_dead_instances(conn, now)? {
            changes.push(change(conn, user, false, Some(last_seen))?);
        }
        Ok((changes, queries::live_instances(conn, now)?))
    })
    .await?;
    let (changes, instances) = changes;
    for change in changes {
        realtime.announce(&change);
    }
    Ok(instances)
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
    let long_ago = std::time::Instant::now()
        .checked_sub(grace)
        .unwrap_or_else(std::time::Instant::now);
    let long_gone: Vec<_> = realtime
        .presence
        .held()
        .iter()
        .filter(|user| !connected.contains(user) && !leaving.contains(user))
        .map(|user| (*user, long_ago))
        .collect();
    let mut next = None::<Instant>;
    for (user, left_at) in left.into_iter().chain(long_gone) {
        // The grace runs from the moment the last connection closed.
        let ends = Instant::from_std(left_at) + grace;
        if ends > Instant::now() {
            next = Some(next.map_or(ends, |next| next.min(ends)));
            continue;
        }
        let _turn = realtime.presence.lock(user).await;
        // Back meanwhile: their new connection's arrival kept the row.
        if realtime.hub.is_connected(user) {
            continue;
        }
        realtime.hub.forget_left(user, left_at);
        if !realtime.presence.held().contains(&user) {
            continue;
        }
        let change = db::run(&state.pool, move |conn| {
            let last_seen = queries::mark_offline(conn, user, instance, now())?;
            last_seen
                .map(|at| change(conn, user, false, Some(at)))
                .transpose()
        })
        .await?;
        realtime.presence.held().remove(&user);
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
