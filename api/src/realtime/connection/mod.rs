//! One WebSocket connection, from `authenticate` to its close. Stored events
//! are read from the log after the last one sent, each time the hub says
//! the log may have grown, so what a connection sends is gap-free and never
//! doubled whatever wake-ups arrive, merge or repeat.

use std::sync::Arc;
use std::time::Instant;

use actix_web::ResponseError;
use actix_ws::{AggregatedMessage, AggregatedMessageStream, ProtocolError, Session};
use futures_util::StreamExt;

use super::frames::{self, ClientFrame, CloseCode, FrameError, ServerFrame};
use super::hub::Handed;
use super::presence::SeenOnline;
use super::throttle::{Throttle, Verdict};

mod delivery;
use super::{Authenticated, Realtime};
use crate::core::{ConversationId, SessionId, UserId};
use crate::db;
use crate::state::AppState;

/// Events read from the log at a time.
const PAGE: i64 = 100;
/// The largest frame the socket layer accepts; `frames` refuses anything
/// over 64 KiB with an error frame, so only abuse meets this limit (1009).
const MAX_SOCKET_FRAME: usize = 1024 * 1024;

/// How a connection ends.
#[derive(Debug)]
pub(super) enum End {
    /// Closed by the server with a code of its own.
    Close(CloseCode),
    /// The client closed, or the socket failed: nothing more to say.
    Gone,
    /// A frame over the socket limit (1009).
    TooBig,
}

pub(super) async fn serve(state: Arc<AppState>, session: Session, stream: actix_ws::MessageStream) {
    let stream = stream
        .max_frame_size(MAX_SOCKET_FRAME)
        .aggregate_continuations()
        .max_continuation_size(MAX_SOCKET_FRAME);
    let mut connection = Connection {
        session: Some(session),
        state,
        last_heard: Instant::now(),
        throttle: Throttle::default(),
        typing: super::typing::TypingThrottle::default(),
        seen_online: SeenOnline::default(),
    };
    let end = connection.run(stream).await;
    connection.close(end).await;
}

struct Connection {
    session: Option<Session>,
    state: Arc<AppState>,
    last_heard: Instant,
    throttle: Throttle,
    typing: super::typing::TypingThrottle,
    /// Whom this client was last told is online: presence frames that
    /// would tell it nothing new (a change announced twice, or one it
    /// learned from `ready`) are not sent.
    seen_online: SeenOnline,
}

/// Where delivery from the log stands: nothing is sent before `resume`.
struct Delivery {
    session_id: SessionId,
    after: Option<i64>,
    /// When the session, as last read, stops being signed in (`None`: it
    /// was not, or has not been read yet).
    live_until: Option<chrono::DateTime<chrono::Utc>>,
}

impl Connection {
    fn realtime(&self) -> &Realtime {
        &self.state.realtime
    }

    async fn run(&mut self, mut stream: AggregatedMessageStream) -> Result<(), End> {
        let closing = self.realtime().hub.closing();
        let auth = tokio::select! {
            () = closing.cancelled() => return Err(End::Close(CloseCode::ServiceRestart)),
            auth = self.authenticate(&mut stream) => auth?,
        };
        let (mut registration, mut handed) = self.realtime().hub.register(auth.user.id);
        super::presence::arrive(&self.state, auth.user.id)
            .await
            .map_err(unavailable)?;
        let ready = super::ready(&self.state, &auth)
            .await
            .map_err(unavailable)?;
        self.seen_online = SeenOnline::new(&ready.online);
        self.send(&ServerFrame::Ready(Box::new(ready))).await?;
        let mut delivery = Delivery {
            session_id: auth.session_id,
            after: None,
            live_until: None,
        };
        let settings = self.realtime().settings;
        let mut heartbeat = tokio::time::interval(settings.heartbeat_interval);
        heartbeat.tick().await;
        loop {
            tokio::select! {
                biased;
                () = closing.cancelled() => return Err(End::Close(CloseCode::ServiceRestart)),
                message = stream.next() => {
                    let Some(text) = self.receive(message).await? else { continue };
                    match frames::parse(&text) {
                        Ok(ClientFrame::Resume { after }) => {
                            if delivery.after.is_some() {
                                self.refuse(FrameError::AlreadyResumed, "This connection has resumed already.").await?;
                            } else {
                                self.resume(&registration, &mut delivery, after).await?;
                            }
                        }
                        Ok(ClientFrame::Typing { conversation_id }) => {
                            self.typing(registration.user(), conversation_id).await?;
                        }
                        Ok(ClientFrame::ViewTopic { topic_id }) => registration.view_topic(topic_id),
                        Ok(ClientFrame::Authenticate { .. }) => {
                            self.refuse(FrameError::AlreadyAuthenticated, "This connection is authenticated already.").await?;
                        }
                        Err((code, message)) => self.refuse(code, message).await?,
                    }
                }
                _ = heartbeat.tick() => {
                    if self.last_heard.elapsed() > settings.heartbeat_timeout {
                        return Err(End::Close(CloseCode::HeartbeatTimeout));
                    }
                    self.session()?.ping(b"").await.map_err(|_| End::Gone)?;
                }
                () = registration.woken() => {
                    // Frames or events were dropped for want of room, or
                    // may have been missed: the database has the truth.
                    let overflowed = registration.take_overflow();
                    if overflowed {
                        while handed.try_recv().is_ok() {}
                    }
                    if registration.take_presence_recheck() || overflowed {
                        self.recheck_presence(registration.user()).await?;
                    }
                    // Not resumed yet: only the session is checked.
                    let sent = delivery.after.unwrap_or(i64::MIN);
                    if registration.must_read(sent) || overflowed {
                        self.deliver_patiently(&registration, &mut delivery).await?;
                    }
                }
                Some(handed) = handed.recv() => match handed {
                    Handed::Ephemeral(frame) => self.send_ephemeral(frame).await?,
                    Handed::Stored(logged) => {
                        self.take_handed(&registration, &mut delivery, logged).await?;
                    }
                },
            }
        }
    }

    /// Waits for the first frame, which must authenticate, in time.
    async fn authenticate(
        &mut self,
        stream: &mut AggregatedMessageStream,
    ) -> Result<Authenticated, End> {
        let deadline = tokio::time::sleep(self.realtime().settings.authentication_timeout);
        tokio::pin!(deadline);
        let text = loop {
            tokio::select! {
                () = &mut deadline => return Err(End::Close(CloseCode::AuthenticationTimeout)),
                message = stream.next() => {
                    if let Some(text) = self.receive(message).await? {
                        break text;
                    }
                }
            }
        };
        let Ok(ClientFrame::Authenticate { token }) = frames::parse(&text) else {
            return Err(End::Close(CloseCode::AuthenticationExpected));
        };
        super::authenticate(&self.state, &token).await
    }

    /// Takes one message off the socket: a text frame to act on, or `None`
    /// when it was handled here (pings, pongs) or refused.
    async fn receive(
        &mut self,
        message: Option<Result<AggregatedMessage, ProtocolError>>,
    ) -> Result<Option<String>, End> {
        let message = match message {
            None => return Err(End::Gone),
            Some(Err(ProtocolError::Overflow)) => return Err(End::TooBig),
            Some(Err(_)) => return Err(End::Gone),
            Some(Ok(message)) => message,
        };
        self.last_heard = Instant::now();
        match message {
            AggregatedMessage::Pong(_) => return Ok(None),
            AggregatedMessage::Close(_) => return Err(End::Gone),
            _ => {}
        }
        match self.throttle.take(Instant::now()) {
            Verdict::Go => {}
            Verdict::Refuse { first } => {
                if first {
                    self.refuse(
                        FrameError::RateLimited,
                        "Frames are coming too fast; slow down.",
                    )
                    .await?;
                }
                return Ok(None);
            }
            Verdict::Close => return Err(End::Close(CloseCode::Flooding)),
        }
        match message {
            AggregatedMessage::Text(text) => Ok(Some(text.to_string())),
            AggregatedMessage::Ping(payload) => {
                self.session()?
                    .pong(&payload)
                    .await
                    .map_err(|_| End::Gone)?;
                Ok(None)
            }
            AggregatedMessage::Close(_) => Err(End::Gone),
            AggregatedMessage::Binary(_) => {
                self.refuse(FrameError::InvalidJson, "Frames are JSON text, not binary.")
                    .await?;
                Ok(None)
            }
            AggregatedMessage::Pong(_) => Ok(None),
        }
    }

    /// Sends a presence frame only when it changes what this client knows.
    async fn send_ephemeral(&mut self, frame: ServerFrame) -> Result<(), End> {
        if self.seen_online.is_news(&frame) {
            self.send(&frame).await?;
        }
        Ok(())
    }

    /// Reads again whom this client may see online (its friendships
    /// changed, or presence changes may have been missed) and tells it
    /// what differs from what it was told.
    async fn recheck_presence(&mut self, user: UserId) -> Result<(), End> {
        let online = db::run(&self.state.pool, move |conn| {
            Ok(super::presence::queries::online_friends(
                conn,
                user,
                chrono::Utc::now(),
            )?)
        })
        .await
        .map_err(unavailable)?;
        for frame in self.seen_online.changes_to(&online) {
            self.send_ephemeral(frame).await?;
        }
        Ok(())
    }

    /// Passes on that this client's person is typing, at most once per
    /// conversation every two seconds.
    async fn typing(&mut self, user: UserId, conversation: ConversationId) -> Result<(), End> {
        if !self.typing.admit(conversation, Instant::now()) {
            return Ok(());
        }
        let state = self.state.clone();
        match super::typing::announce(&state, user, conversation).await {
            Ok(true) => Ok(()),
            Ok(false) => {
                self.refuse(
                    FrameError::UnknownConversation,
                    "You are in no such conversation.",
                )
                .await
            }
            Err(error) => Err(unavailable(error)),
        }
    }

    async fn refuse(&mut self, code: FrameError, message: impl Into<String>) -> Result<(), End> {
        self.send(&ServerFrame::Error {
            code,
            message: message.into(),
        })
        .await
    }

    /// Sends a frame, or ends the connection as too slow when the client has
    /// not taken what was sent before in time.
    async fn send(&mut self, frame: &ServerFrame) -> Result<(), End> {
        let text = serde_json::to_string(frame).map_err(|error| {
            tracing::error!(%error, "a server frame did not serialise");
            End::Gone
        })?;
        let timeout = self.realtime().settings.send_timeout;
        match tokio::time::timeout(timeout, self.session()?.text(text)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_closed)) => Err(End::Gone),
            Err(_elapsed) => Err(End::Close(CloseCode::TooSlow)),
        }
    }

    fn session(&mut self) -> Result<&mut Session, End> {
        self.session.as_mut().ok_or(End::Gone)
    }

    /// Says why the connection ends, giving a client that is not reading
    /// some time to take the close frame before the socket is dropped.
    async fn close(&mut self, end: Result<(), End>) {
        let Some(session) = self.session.take() else {
            return;
        };
        let reason = match end {
            Ok(()) | Err(End::Gone) => return,
            Err(End::TooBig) => actix_ws::CloseReason {
                code: actix_ws::CloseCode::Size,
                description: Some("frame_too_large".to_owned()),
            },
            Err(End::Close(code)) => code.reason(),
        };
        let grace = self.realtime().settings.heartbeat_timeout;
        let _ = tokio::time::timeout(grace, session.close(Some(reason))).await;
    }
}

/// The database could not be reached: the client reconnects and resumes.
fn unavailable(error: crate::error::ApiError) -> End {
    if error.status_code().is_server_error() {
        tracing::warn!(%error, "a real-time connection lost the database; closing it");
    }
    End::Close(CloseCode::TryAgainLater)
}
