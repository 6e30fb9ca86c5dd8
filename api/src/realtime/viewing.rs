//! Who is looking at which forum topic, so that a new post shows as "new
//! replies" at once to those reading the topic, and a lock, a move or a
//! new title shows without a reload. Each connection views at
//! most one topic (the one its tab shows) and says so with `view_topic`;
//! nothing is stored, and a notice lost on the way only means the reader
//! sees the reply when they next load the topic.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use super::frames::ServerFrame;
use super::hub::Listener;
use crate::core::{TopicId, UserId};

/// What happened to a topic, for its readers: what crosses instances.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TopicNotice {
    PostAdded {
        topic_id: TopicId,
        number: i32,
        author_id: UserId,
    },
    /// Renamed, moved, pinned, locked (or back), or deleted.
    Changed { topic_id: TopicId },
}

impl TopicNotice {
    pub fn topic_id(&self) -> TopicId {
        match self {
            Self::PostAdded { topic_id, .. } | Self::Changed { topic_id } => *topic_id,
        }
    }

    pub fn frame(&self) -> ServerFrame {
        match *self {
            Self::PostAdded {
                topic_id,
                number,
                author_id,
            } => ServerFrame::TopicPostAdded {
                topic_id,
                number,
                author_id,
            },
            Self::Changed { topic_id } => ServerFrame::TopicChanged { topic_id },
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
    pub fn deliver(&self, notice: &TopicNotice) {
        let frame = notice.frame();
        if let Some(listeners) = self.lock().get(&notice.topic_id()) {
            for listener in listeners {
                listener.offer(&frame);
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<TopicId, Vec<Arc<Listener>>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
