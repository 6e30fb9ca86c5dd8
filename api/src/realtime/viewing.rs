//! Who is looking at which forum topic, so that a new post shows as "new
//! replies" at once to those reading the topic. Each connection views at
//! most one topic (the one its tab shows) and says so with `view_topic`;
//! nothing is stored, and a notice lost on the way only means the reader
//! sees the reply when they next load the topic.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use super::frames::ServerFrame;
use super::hub::Listener;
use crate::core::{TopicId, UserId};

/// A post added to a topic: what crosses instances.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicPostNotice {
    pub topic_id: TopicId,
    pub number: i32,
    pub author_id: UserId,
}

impl TopicPostNotice {
    pub fn frame(&self) -> ServerFrame {
        ServerFrame::TopicPostAdded {
            topic_id: self.topic_id,
            number: self.number,
            author_id: self.author_id,
        }
    }
}

/// The connections here viewing each topic.
#[derive(Default)]
pub struct Viewers(Mutex<HashMap<TopicId, Vec<Arc<Listener>>>>);

impl Viewers {
    /// Moves a connection from the topic it viewed to `to`.
    pub(super) fn change(
        &self,
        listener: &Arc<Listener>,
        from: Option<TopicId>,
        to: Option<TopicId>,
    ) {
        if from == to {
            return;
        }
        let mut viewers = self.lock();
        if let Some(topic) = from
            && let Some(listeners) = viewers.get_mut(&topic)
        {
            listeners.retain(|other| !Arc::ptr_eq(other, listener));
            if listeners.is_empty() {
                viewers.remove(&topic);
            }
        }
        if let Some(topic) = to {
            viewers.entry(topic).or_default().push(Arc::clone(listener));
        }
    }

    /// Hands the notice to the connections here viewing its topic. One that
    /// lets its queue fill up misses it: it is a hint, not a record.
    pub fn deliver(&self, notice: &TopicPostNotice) {
        let frame = notice.frame();
        if let Some(listeners) = self.lock().get(&notice.topic_id) {
            for listener in listeners {
                listener.offer(&frame);
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<TopicId, Vec<Arc<Listener>>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
