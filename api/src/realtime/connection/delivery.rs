//! Sending a connection what the log holds after the last event it sent.

use super::{Connection, Delivery, End, PAGE, unavailable};
use crate::db;
use chrono::Utc;

use crate::events::{Event, LoggedEvent, queries as log};
use crate::realtime::frames::{CloseCode, ServerFrame};
use crate::realtime::hub::Registration;

impl Connection {
    pub(super) async fn resume(
        &mut self,
        registration: &Registration,
        delivery: &mut Delivery,
        after: i64,
    ) -> Result<(), End> {
        let user = registration.user();
        let bounds = db::run(&self.state.pool, move |conn| Ok(log::bounds(conn, user)?))
            .await
            .map_err(unavailable)?;
        if bounds.can_resume_after(after) {
            delivery.after = Some(after);
        } else {
            self.send(&ServerFrame::ResyncRequired {
                position: bounds.position,
            })
            .await?;
            delivery.after = Some(bounds.position);
        }
        self.deliver(registration, delivery).await
    }

    /// Delivers, trying again a few times when the database is busy (every
    /// connection woken at once can exhaust the pool for a moment) before
    /// telling the client to come back later.
    pub(super) async fn deliver_patiently(
        &mut self,
        registration: &Registration,
        delivery: &mut Delivery,
    ) -> Result<(), End> {
        let mut wait = std::time::Duration::from_millis(100);
        for _ in 0..4 {
            match self.deliver(registration, delivery).await {
                Err(End::Close(CloseCode::TryAgainLater)) => {
                    let jitter = rand::random_range(0..=wait.as_millis() as u64);
                    tokio::time::sleep(wait + std::time::Duration::from_millis(jitter)).await;
                    wait *= 2;
                }
                done => return done,
            }
        }
        self.deliver(registration, delivery).await
    }

    /// An event this instance has just committed: sent at once when it is
    /// the next one this connection lacks and its session was live when
    /// last read; read from the log otherwise (one before it is missing, or
    /// the session must be checked again).
    pub(super) async fn take_handed(
        &mut self,
        registration: &Registration,
        delivery: &mut Delivery,
        logged: LoggedEvent,
    ) -> Result<(), End> {
        // Nothing is sent before `resume`, which reads the log.
        let Some(after) = delivery.after else {
            return Ok(());
        };
        if logged.seq <= after {
            return Ok(());
        }
        let live = delivery.live_until.is_some_and(|until| Utc::now() < until);
        if logged.seq == after + 1 && live {
            self.send_logged(registration, delivery, logged).await
        } else {
            self.deliver_patiently(registration, delivery).await
        }
    }

    /// Sends what the log holds after the last event sent, page by page,
    /// then checks that the session is still live.
    async fn deliver(
        &mut self,
        registration: &Registration,
        delivery: &mut Delivery,
    ) -> Result<(), End> {
        let (user, session_id) = (registration.user(), delivery.session_id);
        let Some(mut after) = delivery.after else {
            // Nothing is sent before `resume`, but an ended session still
            // closes the socket.
            let live_until = db::run(&self.state.pool, move |conn| {
                Ok(crate::core::auth::session_live_until(
                    conn, session_id, user,
                )?)
            })
            .await
            .map_err(unavailable)?;
            delivery.live_until = live_until;
            return if live_until.is_some() {
                Ok(())
            } else {
                Err(End::Close(CloseCode::SessionEnded))
            };
        };
        loop {
            let (page, bounds, live_until) = db::run(&self.state.pool, move |conn| {
                // Bounds first: an event committed in between then only
                // lengthens the page, and is never taken for a gap.
                let bounds = log::bounds(conn, user)?;
                let page = log::read_after(conn, user, after, PAGE)?;
                let live_until = crate::core::auth::session_live_until(conn, session_id, user)?;
                Ok((page, bounds, live_until))
            })
            .await
            .map_err(unavailable)?;
            delivery.live_until = live_until;
            let live = live_until.is_some();
            let gap = page.first_seq.is_some_and(|seq| seq != after + 1)
                || (page.rows == 0 && bounds.position != after);
            if gap && !live {
                return Err(End::Close(CloseCode::SessionEnded));
            }
            if gap {
                // Pruned before this connection sent them: it fell too far
                // behind for the log to cover.
                self.send(&ServerFrame::ResyncRequired {
                    position: bounds.position,
                })
                .await?;
                after = bounds.position;
                delivery.after = Some(after);
                continue;
            }
            let full = page.rows as i64 == PAGE;
            for logged in page.events {
                self.send_logged(registration, delivery, logged).await?;
            }
            // Past the rows this version could not read, too.
            if let Some(last) = page.last_seq {
                after = last;
                delivery.after = Some(after);
            }
            if !live {
                return Err(End::Close(CloseCode::SessionEnded));
            }
            if !full {
                return Ok(());
            }
        }
    }

    /// Sends the next event, and acts on what it says of this connection.
    async fn send_logged(
        &mut self,
        registration: &Registration,
        delivery: &mut Delivery,
        logged: LoggedEvent,
    ) -> Result<(), End> {
        let ended_here = matches!(
            &logged.event,
            Event::SessionEnded { session_id: ended } if *ended == delivery.session_id
        );
        let friends_changed = matches!(
            &logged.event,
            Event::FriendRequestAccepted { .. } | Event::FriendshipEnded { .. }
        );
        delivery.after = Some(logged.seq);
        self.send(&ServerFrame::Event {
            seq: logged.seq,
            at: logged.at,
            event: logged.event,
        })
        .await?;
        crate::metrics::event_delivered();
        if ended_here {
            return Err(End::Close(CloseCode::SessionEnded));
        }
        if friends_changed {
            self.recheck_presence(registration.user()).await?;
        }
        Ok(())
    }
}
