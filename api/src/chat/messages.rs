//! Messages in PostgreSQL: found again by the client's id on a retry, read
//! by seq ranges, edited, deleted and read up to, each change announced to
//! every member's devices in the same transaction (sending: `sending`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::queries::{ConversationRow, member_ids};
use crate::core::chat::ChatMessage;
use crate::core::pictures::{PICTURE_COLUMNS, Picture, PictureRow};
use crate::core::{ConversationId, MessageId, UploadId, UserId};
use crate::db::schema::{conversation_members, message_images, messages, uploads, users};
use crate::events::{self, Event};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = messages)]
pub struct MessageRow {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub seq: i64,
    pub sender_id: Option<UserId>,
    pub client_id: uuid::Uuid,
    pub body: Option<String>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// The message `sender` sent with `client_id`, if any: a retry's answer.
pub fn sent_before(
    conn: &mut PgConnection,
    sender: UserId,
    client_id: uuid::Uuid,
) -> QueryResult<Option<MessageRow>> {
    messages::table
        .filter(messages::sender_id.eq(sender))
        .filter(messages::client_id.eq(client_id))
        .select(MessageRow::as_select())
        .first(conn)
        .optional()
}

/// Message `seq` of a conversation, locked until the transaction ends.
pub fn lock(
    conn: &mut PgConnection,
    conversation: ConversationId,
    seq: i64,
) -> QueryResult<Option<MessageRow>> {
    messages::table
        .filter(messages::conversation_id.eq(conversation))
        .filter(messages::seq.eq(seq))
        .select(MessageRow::as_select())
        .for_no_key_update()
        .first(conn)
        .optional()
}

/// Replaces a message's words, and tells every member.
pub fn edit(
    conn: &mut PgConnection,
    message: &MessageRow,
    body: &str,
    now: DateTime<Utc>,
) -> QueryResult<ChatMessage> {
    diesel::update(messages::table.find(message.id))
        .set((messages::body.eq(body), messages::edited_at.eq(now)))
        .execute(conn)?;
    let edited =
        one(conn, message.conversation_id, message.seq)?.ok_or(diesel::result::Error::NotFound)?;
    let event = Event::MessageEdited {
        conversation_id: message.conversation_id,
        message: Box::new(edited.clone()),
    };
    tell_members(conn, message.conversation_id, &event, now)?;
    Ok(edited)
}

/// Empties a message (its number stays), and tells every member.
pub fn delete(
    conn: &mut PgConnection,
    message: &MessageRow,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(messages::table.find(message.id))
        .set((
            messages::body.eq(None::<String>),
            messages::deleted_at.eq(now),
        ))
        .execute(conn)?;
    let shown: Vec<UploadId> =
        diesel::delete(message_images::table.filter(message_images::message_id.eq(message.id)))
            .returning(message_images::upload_id)
            .get_results(conn)?;
    crate::core::pictures::release_unshown(conn, &shown)?;
    let event = Event::MessageDeleted {
        conversation_id: message.conversation_id,
        seq: message.seq,
    };
    tell_members(conn, message.conversation_id, &event, now)
}

/// One message as members read it.
pub fn one(
    conn: &mut PgConnection,
    conversation: ConversationId,
    seq: i64,
) -> QueryResult<Option<ChatMessage>> {
    let row: Option<MessageRow> = messages::table
        .filter(messages::conversation_id.eq(conversation))
        .filter(messages::seq.eq(seq))
        .select(MessageRow::as_select())
        .first(conn)
        .optional()?;
    Ok(wire(conn, row.into_iter().collect())?.pop())
}

/// Which stretch of a conversation to read.
#[derive(Clone, Copy, Debug)]
pub enum Stretch {
    Newest,
    Before(i64),
    After(i64),
}

/// Up to `limit` messages of the stretch in seq order, and whether more
/// lie beyond: one range of the (conversation, seq) index, and one
/// statement each for senders and pictures.
pub fn history(
    conn: &mut PgConnection,
    conversation: ConversationId,
    stretch: Stretch,
    limit: i64,
) -> QueryResult<(Vec<ChatMessage>, bool)> {
    let query = messages::table
        .filter(messages::conversation_id.eq(conversation))
        .select(MessageRow::as_select())
        .limit(limit + 1)
        .into_boxed();
    let mut rows: Vec<MessageRow> = match stretch {
        Stretch::Newest => query.order(messages::seq.desc()).load(conn)?,
        Stretch::Before(seq) => query
            .filter(messages::seq.lt(seq))
            .order(messages::seq.desc())
            .load(conn)?,
        Stretch::After(seq) => query
            .filter(messages::seq.gt(seq))
            .order(messages::seq.asc())
            .load(conn)?,
    };
    let has_more = rows.len() > usize::try_from(limit).unwrap_or(0);
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    if !matches!(stretch, Stretch::After(_)) {
        rows.reverse();
    }
    Ok((wire(conn, rows)?, has_more))
}

/// The newest message of each conversation (`(id, last_seq)`).
pub fn last_of(
    conn: &mut PgConnection,
    conversations: &[(ConversationId, i64)],
) -> QueryResult<HashMap<ConversationId, ChatMessage>> {
    let wanted: Vec<(ConversationId, i64)> = conversations
        .iter()
        .copied()
        .filter(|(_, seq)| *seq > 0)
        .collect();
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let mut query = messages::table.select(MessageRow::as_select()).into_boxed();
    for (conversation, seq) in &wanted {
        query = query.or_filter(
            messages::conversation_id
                .eq(*conversation)
                .and(messages::seq.eq(*seq)),
        );
    }
    let rows: Vec<MessageRow> = query.load(conn)?;
    Ok(wire(conn, rows)?
        .into_iter()
        .map(|message| (message.conversation_id, message))
        .collect())
}

/// Rows as members read them, with senders and pictures: two statements.
fn wire(conn: &mut PgConnection, rows: Vec<MessageRow>) -> QueryResult<Vec<ChatMessage>> {
    let people = crate::core::users::summaries(conn, rows.iter().filter_map(|row| row.sender_id))?;
    let ids: Vec<MessageId> = rows.iter().map(|row| row.id).collect();
    let mut pictures = pictures_of(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| ChatMessage {
            id: row.id,
            conversation_id: row.conversation_id,
            seq: row.seq,
            sender: row.sender_id.and_then(|id| people.get(&id).cloned()),
            client_id: row.client_id,
            body: row.body,
            images: pictures.remove(&row.id).unwrap_or_default(),
            created_at: row.created_at,
            edited_at: row.edited_at,
            deleted: row.deleted_at.is_some(),
        })
        .collect())
}

/// The pictures each of `messages` shows, in order: one statement.
fn pictures_of(
    conn: &mut PgConnection,
    messages: &[MessageId],
) -> QueryResult<HashMap<MessageId, Vec<Picture>>> {
    let mut pictures: HashMap<MessageId, Vec<Picture>> = HashMap::new();
    let found: Vec<(MessageId, PictureRow)> = message_images::table
        .inner_join(uploads::table)
        .filter(message_images::message_id.eq_any(messages))
        .order((message_images::message_id, message_images::position))
        .select((message_images::message_id, PICTURE_COLUMNS))
        .load(conn)?;
    for (message, picture) in found {
        pictures
            .entry(message)
            .or_default()
            .push(Picture::from_row(picture));
    }
    Ok(pictures)
}

/// Moves `user`'s read mark in a conversation up to `seq` (never back, never
/// past the last message) and tells the members; where it now stands.
pub fn mark_read(
    conn: &mut PgConnection,
    conversation: &ConversationRow,
    user: UserId,
    seq: i64,
    now: DateTime<Utc>,
) -> QueryResult<i64> {
    let wanted = seq.clamp(0, conversation.last_seq);
    let moved: Option<i64> =
        diesel::update(conversation_members::table.find((conversation.id, user)))
            .filter(conversation_members::last_read_seq.lt(wanted))
            .set(conversation_members::last_read_seq.eq(wanted))
            .returning(conversation_members::last_read_seq)
            .get_result(conn)
            .optional()?;
    let Some(now_read) = moved else {
        return conversation_members::table
            .find((conversation.id, user))
            .select(conversation_members::last_read_seq)
            .first(conn);
    };
    let mine = Event::ConversationRead {
        conversation_id: conversation.id,
        user_id: user,
        seq: now_read,
        unread_messages: Some(super::unread::unread_total(conn, user)?),
    };
    events::publish(conn, &[user], &mine, now)?;
    // The others learn it only when both sides keep read receipts on.
    let receipts: Vec<(UserId, bool)> = conversation_members::table
        .inner_join(users::table)
        .filter(conversation_members::conversation_id.eq(conversation.id))
        .select((users::id, users::read_receipts))
        .load(conn)?;
    let i_send = receipts.iter().any(|(id, on)| *id == user && *on);
    let told: Vec<UserId> = receipts
        .into_iter()
        .filter(|(id, on)| *id != user && i_send && *on)
        .map(|(id, _)| id)
        .collect();
    let receipt = Event::ConversationRead {
        conversation_id: conversation.id,
        user_id: user,
        seq: now_read,
        unread_messages: None,
    };
    events::publish(conn, &told, &receipt, now)?;
    Ok(now_read)
}

/// Tells every member of the conversation, each on every device.
fn tell_members(
    conn: &mut PgConnection,
    conversation: ConversationId,
    event: &Event,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let members = member_ids(conn, conversation)?;
    events::publish(conn, &members, event, now)
}
