//! This instance's open connections, by person. The log is the truth: the
//! hub wakes a person's connections, each of which then reads its own way
//! along the log, so a wake-up can be repeated or merged with another
//! without losing or doubling anything. A wake-up names the newest event
//! it is for, so a connection that has sent it already reads nothing.
//! Events this instance has just committed are also handed over with the
//! wake-up, so that a connection that lacks only them sends them without
//! reading the log; anything else (one missing before them, a full queue)
//! falls back to reading it. Ephemeral frames (presence) are handed over
//! the same way, into a small queue per connection.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use tokio::sync::{Notify, mpsc, watch};
use tokio_util::sync::CancellationToken;

use super::frames::ServerFrame;
use super::presence::PresenceChange;
use super::viewing::{TopicNotice, Viewers};
use crate::core::{TopicId, UserId};
use crate::events::LoggedEvent;
use crate::events::queries::Published;

/// Frames and events waiting for one connection; when more pile up, they
/// are dropped and the connection reads presence and its log again from
/// the database.
const HANDED_QUEUE: usize = 64;

/// What the hub hands one connection directly.
#[derive(Debug)]
pub enum Handed {
    /// A frame that is not stored (presence, typing, a topic's news).
    Ephemeral(ServerFrame),
    /// An event just committed to the person's log.
    Stored(LoggedEvent),
}

#[derive(Default)]
pub struct Hub {
    by_user: Mutex<HashMap<UserId, Vec<Arc<Listener>>>>,
    /// When each person's last connection here closed, until presence has
    /// dealt with it (they may be back within the grace).
    left: Mutex<HashMap<UserId, Instant>>,
    /// Someone's first connection here opened, or their last one closed.
    presence_changed: Notify,
    next_id: AtomicU64,
    /// Cancelled when the server begins to stop: connections close with 1012.
    closing: CancellationToken,
    open: OpenCount,
    /// Which connections view which forum topic.
    pub viewers: Viewers,
}

/// What the hub holds of one connection.
pub struct Listener {
    id: u64,
    wake: Notify,
    handed: mpsc::Sender<Handed>,
    overflowed: AtomicBool,
    /// The newest event a wake-up was for.
    announced: AtomicI64,
    /// A wake-up named no event (the session may have ended): the
    /// connection reads its log and its session again.
    must_read: AtomicBool,
    /// Who this connection may see online should be read again.
    recheck_presence: AtomicBool,
}

impl Listener {
    /// Queues an ephemeral frame that may be lost: when the queue is full it
    /// is dropped, and nothing is rechecked.
    pub(super) fn offer(&self, frame: &ServerFrame) {
        let _ = self.handed.try_send(Handed::Ephemeral(frame.clone()));
    }

    fn hand(&self, handed: Handed) {
        if self.handed.try_send(handed).is_err() {
            self.overflowed.store(true, Ordering::Relaxed);
            self.wake.notify_one();
        }
    }
}

/// A connection's place in the hub; leaving it (dropping) takes it out.
pub struct Registration {
    hub: Arc<Hub>,
    user: UserId,
    listener: Arc<Listener>,
    viewing: Option<TopicId>,
}

impl Registration {
    /// Resolves when the log may hold something new for this person (or the
    /// connection fell behind on ephemeral frames): read it and see.
    pub async fn woken(&self) {
        self.listener.wake.notified().await;
    }

    /// Whether the log must be read: a wake-up named no event, or named one
    /// after `sent` (the last event this connection sent). Asked once.
    pub fn must_read(&self, sent: i64) -> bool {
        let unnamed = self.listener.must_read.swap(false, Ordering::Relaxed);
        unnamed || self.listener.announced.load(Ordering::Relaxed) > sent
    }

    /// Whether frames or events were refused because this connection let
    /// its queue fill up (asked once; the flag is cleared).
    pub fn take_overflow(&self) -> bool {
        self.listener.overflowed.swap(false, Ordering::Relaxed)
    }

    pub fn user(&self) -> UserId {
        self.user
    }

    /// The forum topic this connection shows now (`None`: none).
    pub fn view_topic(&mut self, topic: Option<TopicId>) {
        self.hub.viewers.change(&self.listener, self.viewing, topic);
        self.viewing = topic;
    }

    /// Whether the people this connection may see online should be read
    /// again (asked once; the flag is cleared).
    pub fn take_presence_recheck(&self) -> bool {
        self.listener
            .recheck_presence
            .swap(false, Ordering::Relaxed)
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.view_topic(None);
        let mut by_user = self.hub.lock();
        if let Some(listeners) = by_user.get_mut(&self.user) {
            listeners.retain(|listener| listener.id != self.listener.id);
            if listeners.is_empty() {
                by_user.remove(&self.user);
                self.hub.lock_left().insert(self.user, Instant::now());
                self.hub.presence_changed.notify_one();
            }
        }
        drop(by_user);
        self.hub.open.change(-1);
    }
}

impl Hub {
    /// Adds a connection of `user`'s; it receives ephemeral frames on the
    /// returned queue.
    pub fn register(self: &Arc<Self>, user: UserId) -> (Registration, mpsc::Receiver<Handed>) {
        let (sender, receiver) = mpsc::channel(HANDED_QUEUE);
        let listener = Arc::new(Listener {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            wake: Notify::new(),
            handed: sender,
            overflowed: AtomicBool::new(false),
            announced: AtomicI64::new(0),
            must_read: AtomicBool::new(false),
            recheck_presence: AtomicBool::new(false),
        });
        let mut by_user = self.lock();
        let listeners = by_user.entry(user).or_default();
        if listeners.is_empty() {
            self.lock_left().remove(&user);
            self.presence_changed.notify_one();
        }
        listeners.push(Arc::clone(&listener));
        drop(by_user);
        self.open.change(1);
        let registration = Registration {
            hub: Arc::clone(self),
            user,
            listener,
            viewing: None,
        };
        (registration, receiver)
    }

    /// Something may have been added to `user`'s log, or their session
    /// may have ended: their connections read both again.
    pub fn wake(&self, user: UserId) {
        if let Some(listeners) = self.lock().get(&user) {
            for listener in listeners {
                listener.must_read.store(true, Ordering::Relaxed);
                listener.wake.notify_one();
            }
        }
    }

    /// Event `seq` was added to `user`'s log: their connections that have
    /// not sent it read the log.
    pub fn wake_for(&self, user: UserId, seq: i64) {
        if let Some(listeners) = self.lock().get(&user) {
            for listener in listeners {
                listener.announced.fetch_max(seq, Ordering::Relaxed);
                listener.wake.notify_one();
            }
        }
    }

    /// Hands events this instance has just committed to their recipients'
    /// connections here (after the commit: never one that may roll back).
    pub fn hand_over(&self, published: &[Published]) {
        let by_user = self.lock();
        for one in published {
            for listener in by_user.get(&one.recipient).into_iter().flatten() {
                listener.hand(Handed::Stored(one.logged.clone()));
            }
        }
    }

    /// Every connection looks at its log: after this instance may have
    /// missed wake-ups (its database listener reconnected).
    pub fn wake_all(&self) {
        for listener in self.lock().values().flatten() {
            listener.must_read.store(true, Ordering::Relaxed);
            listener.wake.notify_one();
        }
    }

    /// Tells the connections here viewing a topic what happened to it.
    pub fn deliver_topic_notice(&self, notice: &TopicNotice) {
        self.viewers.deliver(notice);
    }

    /// Hands an ephemeral frame to each of `user`'s connections here.
    pub fn send_ephemeral(&self, user: UserId, frame: &ServerFrame) {
        if let Some(listeners) = self.lock().get(&user) {
            for listener in listeners {
                listener.hand(Handed::Ephemeral(frame.clone()));
            }
        }
    }

    /// Tells the connections here of those a typing notice is for.
    pub fn deliver_typing(&self, notice: &super::typing::TypingNotice) {
        let frame = notice.frame();
        for recipient in &notice.recipients {
            self.send_ephemeral(*recipient, &frame);
        }
    }

    /// Hands a presence change to the connections here of those who may
    /// see it.
    pub fn deliver_presence(&self, change: &PresenceChange) {
        let frame = change.frame();
        for watcher in &change.watchers {
            self.send_ephemeral(*watcher, &frame);
        }
    }

    /// Every connection here reads again whom it may see online: after
    /// presence changes from other instances may have been missed.
    pub fn recheck_presence_everywhere(&self) {
        for listener in self.lock().values().flatten() {
            listener.recheck_presence.store(true, Ordering::Relaxed);
            listener.wake.notify_one();
        }
    }

    /// Has `user`'s connections read again whom they may see online (their
    /// friendships changed).
    pub fn recheck_presence(&self, user: UserId) {
        if let Some(listeners) = self.lock().get(&user) {
            for listener in listeners {
                listener.recheck_presence.store(true, Ordering::Relaxed);
                listener.wake.notify_one();
            }
        }
    }

    /// Resolves when someone's first connection here opened or their last
    /// closed.
    pub async fn presence_changed(&self) {
        self.presence_changed.notified().await;
    }

    /// Who is connected here, and who left (with when) but is still within
    /// presence's reach.
    pub fn presence_snapshot(&self) -> (HashSet<UserId>, Vec<(UserId, Instant)>) {
        let connected = self.lock().keys().copied().collect();
        let left = self
            .lock_left()
            .iter()
            .map(|(user, at)| (*user, *at))
            .collect();
        (connected, left)
    }

    /// Presence has dealt with `user`'s departure at `at`; a later one
    /// (they came back and left again meanwhile) stays for its own grace.
    pub fn forget_left(&self, user: UserId, at: Instant) {
        let mut left = self.lock_left();
        if left.get(&user).is_some_and(|recorded| *recorded <= at) {
            left.remove(&user);
        }
    }

    /// Whether `user` has a connection open on this instance.
    pub fn is_connected(&self, user: UserId) -> bool {
        self.lock().contains_key(&user)
    }

    pub fn closing(&self) -> CancellationToken {
        self.closing.clone()
    }

    /// Asks every connection to close with 1012, and waits until they have
    /// (or `grace` is over).
    pub async fn close_all(&self, grace: std::time::Duration) {
        self.closing.cancel();
        let mut open = self.open.0.subscribe();
        let _ = tokio::time::timeout(grace, open.wait_for(|count| *count == 0)).await;
    }

    pub fn open_connections(&self) -> usize {
        *self.open.0.borrow()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<UserId, Vec<Arc<Listener>>>> {
        self.by_user.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_left(&self) -> std::sync::MutexGuard<'_, HashMap<UserId, Instant>> {
        self.left.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

struct OpenCount(watch::Sender<usize>);

impl Default for OpenCount {
    fn default() -> Self {
        Self(watch::Sender::new(0))
    }
}

impl OpenCount {
    fn change(&self, by: isize) {
        self.0
            .send_modify(|count| *count = count.saturating_add_signed(by));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_wake_up_reaches_every_connection_of_that_person_only() {
        let hub = Arc::new(Hub::default());
        let anna = UserId::generate();
        let boris = UserId::generate();
        let (phone, _) = hub.register(anna);
        let (laptop, _) = hub.register(anna);
        let (other, _) = hub.register(boris);
        hub.wake(anna);
        phone.woken().await;
        laptop.woken().await;
        let waiting = tokio::time::timeout(std::time::Duration::ZERO, other.woken()).await;
        assert!(waiting.is_err(), "boris was not woken");
        assert_eq!(hub.open_connections(), 3);
        drop(phone);
        assert!(hub.is_connected(anna));
        drop(laptop);
        assert!(!hub.is_connected(anna));
        assert_eq!(hub.open_connections(), 1);
    }

    #[tokio::test]
    async fn a_connection_that_lets_ephemeral_frames_pile_up_is_marked() {
        let hub = Arc::new(Hub::default());
        let anna = UserId::generate();
        let (slow, _queue) = hub.register(anna);
        let frame = ServerFrame::ResyncRequired { position: 0 };
        for _ in 0..HANDED_QUEUE {
            hub.send_ephemeral(anna, &frame);
        }
        assert!(!slow.take_overflow());
        hub.send_ephemeral(anna, &frame);
        assert!(slow.take_overflow());
        assert!(!slow.take_overflow(), "told once");
    }
}
