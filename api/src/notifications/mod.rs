//! Each person's notification inbox: what others did that concerns them.
//! Infrastructure every feature records through, like `events`: a feature
//! calls [`record`] inside the transaction of the change (or [`deliver_later`]
//! for a post's many readers), and the person's devices hear of it live as a
//! `notification_received` event. Nobody is notified of their own doing, by
//! someone they blocked, or of a topic they muted.

pub mod handlers;
mod queries;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::core::text_enum::text_enum;
use crate::core::{NotificationId, PostId, TopicId, UserId, UserSummary};

pub use queries::{record, unread_count};

text_enum! {
    /// What a notification is about.
    pub enum NotificationKind {
        /// A reply to my post, or in a topic I watch (mine, by default).
        Reply = "reply",
        /// A post quoting mine.
        Quote = "quote",
        /// A post mentioning me.
        Mention = "mention",
        /// Likes of my post: one notification per post, counting them.
        Like = "like",
        FriendRequest = "friend_request",
        FriendAccepted = "friend_accepted",
        /// A moderator acted on my topic or post.
        Moderation = "moderation",
    }
}

text_enum! {
    /// What a moderator did to my content.
    pub enum ModerationAction {
        PostRemoved = "post_removed",
        PostRestored = "post_restored",
        TopicLocked = "topic_locked",
        TopicUnlocked = "topic_unlocked",
        TopicMoved = "topic_moved",
        TopicRenamed = "topic_renamed",
        TopicDeleted = "topic_deleted",
    }
}

/// Something to tell one person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub recipient: UserId,
    pub kind: NotificationKind,
    pub actor: Option<UserId>,
    pub topic: Option<TopicRef>,
    pub post: Option<PostRef>,
    pub action: Option<ModerationAction>,
    pub reason: Option<String>,
}

impl Notice {
    /// A notice of `kind` from `actor` to `recipient`, about nothing yet.
    pub fn new(recipient: UserId, kind: NotificationKind, actor: UserId) -> Self {
        Self {
            recipient,
            kind,
            actor: Some(actor),
            topic: None,
            post: None,
            action: None,
            reason: None,
        }
    }

    pub fn about(mut self, topic: TopicRef, post: Option<PostRef>) -> Self {
        self.topic = Some(topic);
        self.post = post;
        self
    }
}

/// The topic a notification is about, with its title as it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TopicRef {
    pub id: TopicId,
    pub title: String,
}

/// The post a notification is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PostRef {
    pub id: PostId,
    pub number: i32,
}

/// An entry of my inbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Notification {
    pub id: NotificationId,
    pub kind: NotificationKind,
    /// Who did it (for likes, the latest to like); null once their account is gone.
    pub actor: Option<UserSummary>,
    /// The topic it is about; its id is null once the topic is deleted.
    pub topic: Option<NotificationTopic>,
    /// The post it is about; null once gone.
    pub post: Option<PostRef>,
    /// For likes, how many since I last read it; otherwise 1.
    pub count: i32,
    /// For moderation: what was done, and the moderator's reason if given.
    pub action: Option<ModerationAction>,
    pub reason: Option<String>,
    pub read: bool,
    pub created_at: DateTime<Utc>,
    /// When it last changed (a new like); the inbox is in this order.
    pub updated_at: DateTime<Utc>,
}

/// The topic of a notification: its title as it was when notified.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NotificationTopic {
    pub id: Option<TopicId>,
    pub title: String,
}

/// Records `notices` after the caller's transaction commits, in one
/// transaction of their own: for the many readers of a new post, so that
/// writing it does not wait on telling each of them.
pub fn deliver_later(
    conn: &mut diesel::PgConnection,
    notices: Vec<Notice>,
) -> diesel::QueryResult<()> {
    if notices.is_empty() {
        return Ok(());
    }
    // Recorded in recipient order, as `events::publish` locks people, so
    // two deliveries at once never wait on each other in a circle.
    let mut notices = notices;
    notices.sort_by_key(|notice| notice.recipient.as_uuid());
    crate::jobs::enqueue(conn, crate::jobs::Job::DeliverNotifications { notices }).map(drop)
}
