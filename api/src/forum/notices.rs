//! Whom the forum's changes concern, as notifications: the people a new
//! post mentions, quotes or answers and those watching its topic; a
//! liked post's author; the author whose content a moderator acted on.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::markdown::Rendered;
use crate::core::{PostId, TopicId, UserId};
use crate::db::schema::{posts, topic_watches, users};
use crate::moderation::{self, ModeratorAction};
use crate::notifications::{self, ModerationAction, Notice, NotificationKind, PostRef, TopicRef};
use crate::policy::forum::Actor;

/// Quotes looked at per post: a post quoting fifty others is not fifty
/// notifications.
const QUOTES_NOTIFIED: usize = 10;
/// People told of a post's mentions, in the order it names them: a post
/// cannot page the whole forum.
const MENTIONS_NOTIFIED: usize = 20;

/// A new post: who it mentions, quotes and answers, and who watches its
/// topic, each told once (a mention over a quote over a reply), after it
/// commits.
pub fn new_post(
    conn: &mut PgConnection,
    topic: &TopicRef,
    post: PostRef,
    author: UserId,
    reply_to: Option<i32>,
    rendered: &Rendered,
) -> QueryResult<()> {
    tell_about_post(conn, topic, post, author, Some(reply_to), rendered)
}

/// An edited post: whom it now mentions or quotes. Those told of the post
/// before are not told again (a post tells each person once).
pub fn edited_post(
    conn: &mut PgConnection,
    topic: &TopicRef,
    post: PostRef,
    author: UserId,
    rendered: &Rendered,
) -> QueryResult<()> {
    tell_about_post(conn, topic, post, author, None, rendered)
}

/// `new`: the post is new (with what it answers), so its topic's watchers
/// and the answered author are told too.
fn tell_about_post(
    conn: &mut PgConnection,
    topic: &TopicRef,
    post: PostRef,
    author: UserId,
    new: Option<Option<i32>>,
    rendered: &Rendered,
) -> QueryResult<()> {
    let mut told: Vec<(UserId, NotificationKind)> = Vec::new();
    let mut tell = |user: UserId, kind: NotificationKind| {
        if !told.iter().any(|(known, _)| *known == user) {
            told.push((user, kind));
        }
    };
    if !rendered.mentions.is_empty() {
        let named: Vec<&String> = rendered.mentions.iter().take(MENTIONS_NOTIFIED).collect();
        let mentioned: Vec<UserId> = users::table
            .filter(users::handle.eq_any(named))
            .select(users::id)
            .load(conn)?;
        mentioned
            .into_iter()
            .for_each(|user| tell(user, NotificationKind::Mention));
    }
    for quote in rendered.quotes.iter().take(QUOTES_NOTIFIED) {
        let quoted_topic = quote.topic.map_or(topic.id, TopicId::from_uuid);
        if let Some(quoted) = author_of(conn, quoted_topic, quote.number)? {
            tell(quoted, NotificationKind::Quote);
        }
    }
    if let Some(reply_to) = new {
        if let Some(number) = reply_to
            && let Some(answered) = author_of(conn, topic.id, number)?
        {
            tell(answered, NotificationKind::Reply);
        }
        let watchers: Vec<UserId> = topic_watches::table
            .filter(topic_watches::topic_id.eq(topic.id))
            .filter(topic_watches::level.eq("watching"))
            .select(topic_watches::user_id)
            .load(conn)?;
        watchers
            .into_iter()
            .for_each(|user| tell(user, NotificationKind::Reply));
    }
    let notices = told
        .into_iter()
        .map(|(user, kind)| Notice::new(user, kind, author).about(topic.clone(), Some(post)))
        .collect();
    notifications::deliver_later(conn, notices)
}

fn author_of(conn: &mut PgConnection, topic: TopicId, number: i32) -> QueryResult<Option<UserId>> {
    Ok(posts::table
        .filter(posts::topic_id.eq(topic))
        .filter(posts::number.eq(number))
        .filter(posts::deleted_at.is_null())
        .select(posts::author_id)
        .first::<Option<UserId>>(conn)
        .optional()?
        .flatten())
}

/// A like of `author`'s post: added to that post's like notification.
pub fn liked(
    conn: &mut PgConnection,
    author: UserId,
    liker: UserId,
    topic: TopicRef,
    post: PostRef,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let notice = Notice::new(author, NotificationKind::Like, liker).about(topic, Some(post));
    notifications::record(conn, &notice, now).map(drop)
}

/// A moderator acted on someone's content: they are told (unless it is
/// their own), and the log records it, with the moderator's reason.
pub fn moderated(
    conn: &mut PgConnection,
    done: &Moderated<'_>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let entry = moderation::Entry {
        moderator: done.moderator.id,
        action: done.action,
        target_user: done.author,
        topic: Some((done.topic.id, done.topic.title.as_str())),
        post: done.post.map(|post| post.id),
        reason: done.reason,
    };
    moderation::record(conn, &entry, now)?;
    let (Some(author), Some(told)) = (done.author, told_as(done.action)) else {
        return Ok(());
    };
    let mut notice = Notice::new(author, NotificationKind::Moderation, done.moderator.id)
        .about(done.topic.clone(), done.post);
    notice.action = Some(told);
    notice.reason = done.reason.map(str::to_owned);
    notifications::record(conn, &notice, now).map(drop)
}

/// What a moderator did to someone's content, and why.
pub struct Moderated<'a> {
    pub moderator: Actor,
    pub action: ModeratorAction,
    pub author: Option<UserId>,
    pub topic: TopicRef,
    pub post: Option<PostRef>,
    pub reason: Option<&'a str>,
}

/// What the author is told of an action; pinning tells nobody.
fn told_as(action: ModeratorAction) -> Option<ModerationAction> {
    Some(match action {
        ModeratorAction::TopicLocked => ModerationAction::TopicLocked,
        ModeratorAction::TopicUnlocked => ModerationAction::TopicUnlocked,
        ModeratorAction::TopicMoved => ModerationAction::TopicMoved,
        ModeratorAction::TopicRenamed => ModerationAction::TopicRenamed,
        ModeratorAction::TopicDeleted => ModerationAction::TopicDeleted,
        ModeratorAction::PostRemoved => ModerationAction::PostRemoved,
        ModeratorAction::PostRestored => ModerationAction::PostRestored,
        ModeratorAction::TopicPinned
        | ModeratorAction::TopicUnpinned
        | ModeratorAction::UserBanned
        | ModeratorAction::UserUnbanned
        | ModeratorAction::ReportResolved
        | ModeratorAction::ReportDismissed => return None,
    })
}

/// The reference to a post that notifications carry.
pub fn post_ref(id: PostId, number: i32) -> PostRef {
    PostRef { id, number }
}

pub fn topic_ref(id: TopicId, title: &str) -> TopicRef {
    TopicRef {
        id,
        title: title.to_owned(),
    }
}
