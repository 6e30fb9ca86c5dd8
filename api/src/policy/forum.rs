//! Who may do what in the forum: over the facts of a topic or post the
//! caller loaded (and locked) in the transaction that acts on them.

use chrono::{DateTime, Duration, Utc};

use crate::core::{AuthUser, Role, UserId};

/// How long after creating a topic its author may still rename it.
pub const RENAME_GRACE: Duration = Duration::minutes(60);

/// Who is acting.
#[derive(Clone, Copy, Debug)]
pub struct Actor {
    pub id: UserId,
    pub role: Role,
}

impl Actor {
    /// The signed-in person making a request.
    pub fn of(auth: &AuthUser) -> Self {
        Self {
            id: auth.user.id,
            role: auth.user.role,
        }
    }

    /// Moderators and admins keep the forum civil.
    pub fn moderates(&self) -> bool {
        matches!(self.role, Role::Moderator | Role::Admin)
    }

    fn wrote(&self, author: Option<UserId>) -> bool {
        author == Some(self.id)
    }
}

/// What a topic rule decides on.
#[derive(Clone, Copy, Debug)]
pub struct TopicFacts {
    pub author: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub locked: bool,
    pub last_post_number: i32,
}

/// What a post rule decides on.
#[derive(Clone, Copy, Debug)]
pub struct PostFacts {
    pub author: Option<UserId>,
    pub deleted: bool,
    pub topic_locked: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForumDenial {
    /// Neither theirs nor a moderator.
    NotAllowed,
    /// The author's time to rename has passed.
    EditWindowClosed,
    /// Others replied: only a moderator may delete the topic now.
    TopicHasReplies,
    TopicLocked,
    PostDeleted,
    PostNotDeleted,
    OwnPost,
    /// The post's author blocked the actor.
    BlockedByAuthor,
}

fn moderator(actor: Actor) -> Result<(), ForumDenial> {
    if actor.moderates() {
        Ok(())
    } else {
        Err(ForumDenial::NotAllowed)
    }
}

/// Pinning, locking, moving topics and restoring posts.
pub fn may_moderate(actor: Actor) -> Result<(), ForumDenial> {
    moderator(actor)
}

/// The author within [`RENAME_GRACE`] of creating it (and not once it is
/// locked); moderators always.
pub fn may_rename_topic(
    actor: Actor,
    topic: &TopicFacts,
    now: DateTime<Utc>,
) -> Result<(), ForumDenial> {
    if actor.moderates() {
        Ok(())
    } else if !actor.wrote(topic.author) {
        Err(ForumDenial::NotAllowed)
    } else if topic.locked {
        Err(ForumDenial::TopicLocked)
    } else if now - topic.created_at > RENAME_GRACE {
        Err(ForumDenial::EditWindowClosed)
    } else {
        Ok(())
    }
}

/// The author while nobody has replied; moderators always.
pub fn may_delete_topic(actor: Actor, topic: &TopicFacts) -> Result<(), ForumDenial> {
    if actor.moderates() {
        Ok(())
    } else if !actor.wrote(topic.author) {
        Err(ForumDenial::NotAllowed)
    } else if topic.last_post_number > 1 {
        Err(ForumDenial::TopicHasReplies)
    } else {
        Ok(())
    }
}

/// Anyone signed in, but in a locked topic only moderators.
pub fn may_reply(actor: Actor, topic: &TopicFacts) -> Result<(), ForumDenial> {
    if topic.locked && !actor.moderates() {
        Err(ForumDenial::TopicLocked)
    } else {
        Ok(())
    }
}

/// Only the author edits a post (a moderator removes, never rewrites), while
/// it stands and its topic is open.
pub fn may_edit_post(actor: Actor, post: &PostFacts) -> Result<(), ForumDenial> {
    if !actor.wrote(post.author) {
        Err(ForumDenial::NotAllowed)
    } else if post.deleted {
        Err(ForumDenial::PostDeleted)
    } else if post.topic_locked && !actor.moderates() {
        Err(ForumDenial::TopicLocked)
    } else {
        Ok(())
    }
}

/// Who deleted a post, as its tombstone says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deletion {
    ByAuthor,
    ByModerator,
}

/// The author deletes their own post; a moderator removes anyone's.
pub fn may_delete_post(actor: Actor, post: &PostFacts) -> Result<Deletion, ForumDenial> {
    if post.deleted {
        Err(ForumDenial::PostDeleted)
    } else if actor.wrote(post.author) {
        Ok(Deletion::ByAuthor)
    } else if actor.moderates() {
        Ok(Deletion::ByModerator)
    } else {
        Err(ForumDenial::NotAllowed)
    }
}

pub fn may_restore_post(actor: Actor, post: &PostFacts) -> Result<(), ForumDenial> {
    moderator(actor)?;
    if post.deleted {
        Ok(())
    } else {
        Err(ForumDenial::PostNotDeleted)
    }
}

/// Anyone but the author likes a standing post, unless its author blocked them.
pub fn may_like(
    actor: Actor,
    post: &PostFacts,
    author_blocked_actor: bool,
) -> Result<(), ForumDenial> {
    if actor.wrote(post.author) {
        Err(ForumDenial::OwnPost)
    } else if post.deleted {
        Err(ForumDenial::PostDeleted)
    } else if author_blocked_actor {
        Err(ForumDenial::BlockedByAuthor)
    } else {
        Ok(())
    }
}

/// Whether the viewer reads what a deleted post said.
pub fn may_read_deleted(viewer: Option<Actor>) -> bool {
    viewer.is_some_and(|actor| actor.moderates())
}
