//! The real-time gateway: `GET /api/v1/realtime` upgrades to a WebSocket
//! that authenticates with its first frame, then carries the person's event
//! log (resumed after the last event the client has, then live) and
//! ephemeral frames such as presence. Infrastructure like `events`: the
//! features publish events; the gateway only delivers them.
//!
//! Stored events reach the gateway through PostgreSQL: `events::publish`
//! sends a notification that is delivered when (and only when) its
//! transaction commits, to every instance, and each woken connection reads
//! the log. A crash, a lost notification or a reconnect therefore loses
//! nothing: the log is read again from the last event sent.

pub mod bus;
pub mod connection;
pub mod frames;
pub mod handlers;
pub mod hub;
pub mod presence;
pub mod relay;
mod throttle;
pub mod typing;
pub mod viewing;

use std::sync::Arc;

use diesel::prelude::*;

use self::connection::End;
use self::frames::{CloseCode, Counts, Heartbeat, Ready};
use self::hub::Hub;
use crate::config::RealtimeSettings;
use crate::core::tokens::TokenError;
use crate::core::{MeResponse, SessionId, User, UserId};
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

/// Counts a client shows at once, read from the features that own them
/// (chosen where the application is composed).
pub type CountsSource = fn(&mut PgConnection, UserId) -> QueryResult<Counts>;

pub struct Realtime {
    pub hub: Arc<Hub>,
    pub settings: RealtimeSettings,
    pub counts: CountsSource,
    /// This server process, as presence records it.
    pub instance: uuid::Uuid,
    pub presence: presence::PresenceBook,
    pub bus: bus::Bus,
}

impl Realtime {
    pub fn new(settings: RealtimeSettings, counts: CountsSource, bus: bus::Bus) -> Self {
        Self {
            bus,
            hub: Arc::new(Hub::default()),
            settings,
            counts,
            instance: uuid::Uuid::new_v4(),
            presence: presence::PresenceBook::default(),
        }
    }

    /// Tells those who may see it that someone went online or offline, on
    /// this instance and (through the bus) the others.
    pub fn announce(&self, change: &presence::PresenceChange) {
        self.hub.deliver_presence(change);
        self.bus.publish_presence(change);
    }

    /// Hands events just committed to their recipients' connections, here
    /// and on the other instances, so that they need not read the log.
    pub fn hand_over(&self, published: &[crate::events::queries::Published]) {
        self.hub.hand_over(published);
        self.bus.publish_stored(published);
    }

    /// Tells whoever reads a topic, here and on the other instances, what
    /// happened to it (after its transaction committed).
    pub fn announce_topic(&self, notice: &viewing::TopicNotice) {
        self.hub.deliver_topic_notice(notice);
        self.bus.publish_topic_notice(notice);
    }
}

/// A connection that proved who it is.
pub(crate) struct Authenticated {
    pub user: User,
    pub session_id: SessionId,
}

async fn authenticate(state: &AppState, token: &str) -> Result<Authenticated, End> {
    let claims = state.tokens.verify_access(token).map_err(|error| {
        End::Close(match error {
            TokenError::Expired => CloseCode::TokenExpired,
            TokenError::Invalid => CloseCode::Unauthorized,
        })
    })?;
    let (session_id, user_id) = (claims.sid, claims.sub);
    let user = db::run(&state.pool, move |conn| {
        Ok(crate::core::auth::active_session_user(
            conn, session_id, user_id,
        )?)
    })
    .await
    .map_err(|_| End::Close(CloseCode::TryAgainLater))?
    .ok_or(End::Close(CloseCode::Unauthorized))?;
    Ok(Authenticated { user, session_id })
}

async fn ready(state: &AppState, auth: &Authenticated) -> Result<Ready, ApiError> {
    let user_id = auth.user.id;
    let counts = state.realtime.counts;
    // One snapshot: the counts are those at `position`, not a moment later.
    let (position, counts, online) = db::run(&state.pool, move |conn| {
        Ok(conn
            .build_transaction()
            .repeatable_read()
            .read_only()
            .run(|conn| {
                let position = crate::events::queries::bounds(conn, user_id)?.position;
                let online = presence::queries::online_friends(conn, user_id, chrono::Utc::now())?;
                Ok::<_, diesel::result::Error>((position, counts(conn, user_id)?, online))
            })?)
    })
    .await?;
    let settings = state.realtime.settings;
    Ok(Ready {
        user: MeResponse::from(&auth.user),
        session_id: auth.session_id,
        position,
        counts,
        online,
        heartbeat: Heartbeat {
            interval_ms: millis(settings.heartbeat_interval),
            timeout_ms: millis(settings.heartbeat_timeout),
        },
    })
}

fn millis(duration: std::time::Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
