//! Sending a message: numbered without gaps under the conversation's row
//! lock, stored, and announced to every member's devices in the same
//! transaction, in one round trip (`chat_send`, migration 24).

use std::collections::HashMap;

use chrono::{DateTime, SubsecRound, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Jsonb, Nullable, Text, Timestamptz, Uuid};

use super::queries::ConversationRow;
use crate::core::chat::ChatMessage;
use crate::core::pictures::{PICTURE_COLUMNS, Picture, PictureRow};
use crate::core::{MessageId, UploadId, UserId, UserSummary};
use crate::db::schema::{message_images, uploads};
use crate::events::queries::Published;
use crate::events::{Event, LoggedEvent};

/// What a new message says: its pictures are the sender's, checked and
/// read with [`owned_pictures`].
pub struct NewMessage<'a> {
    pub sender: &'a UserSummary,
    pub client_id: uuid::Uuid,
    pub body: Option<&'a str>,
    pub images: Vec<Picture>,
}

#[derive(QueryableByName)]
struct Announced {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    recipient: UserId,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    event_seq: i64,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    alert: bool,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    unread_messages: i64,
}

/// Stores a message in a conversation the caller locked (so its
/// `last_seq` is current), with the next number; the sender has read up to
/// it, every member's list moves it to the top, and every member's devices
/// hear of it (`chat_send`, migration 24: one round trip). Returns the
/// message and the events recorded, to hand to the live connections after
/// commit.
pub fn send(
    conn: &mut PgConnection,
    conversation: &ConversationRow,
    message: NewMessage<'_>,
    now: DateTime<Utc>,
) -> QueryResult<(ChatMessage, Vec<Published>)> {
    // As stored: the answer and the events say what a later read says.
    let now = now.trunc_subsecs(6);
    let sent = ChatMessage {
        id: MessageId::generate(),
        conversation_id: conversation.id,
        seq: conversation.last_seq + 1,
        sender: Some(message.sender.clone()),
        client_id: message.client_id,
        body: message.body.map(str::to_owned),
        images: message.images,
        created_at: now,
        edited_at: None,
        deleted: false,
    };
    // Each member's alert and badge are the database's to fill in.
    let event = |alert, unread_messages| Event::MessageCreated {
        conversation_id: conversation.id,
        message: Box::new(sent.clone()),
        alert,
        unread_messages,
    };
    let payload = serde_json::to_value(event(false, 0))
        .map_err(|error| diesel::result::Error::SerializationError(Box::new(error)))?;
    let announced: Vec<Announced> = diesel::sql_query(
        "SELECT recipient, event_seq, alert, unread_messages \
         FROM chat_send($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind::<Uuid, _>(sent.conversation_id)
    .bind::<BigInt, _>(sent.seq)
    .bind::<Uuid, _>(sent.id)
    .bind::<Uuid, _>(message.sender.id)
    .bind::<Uuid, _>(sent.client_id)
    .bind::<Nullable<Text>, _>(message.body)
    .bind::<Timestamptz, _>(now)
    .bind::<Jsonb, _>(payload)
    .load(conn)?;
    if !sent.images.is_empty() {
        attach(conn, sent.id, &sent.images, now)?;
    }
    let published = announced
        .into_iter()
        .map(|row| Published {
            recipient: row.recipient,
            logged: LoggedEvent {
                seq: row.event_seq,
                at: now,
                event: event(row.alert, row.unread_messages),
            },
        })
        .collect();
    Ok((sent, published))
}

/// `owner`'s pictures among `uploads`, in that order; `None` when any of
/// them is not theirs (or does not exist).
pub fn owned_pictures(
    conn: &mut PgConnection,
    owner: UserId,
    uploads: &[UploadId],
) -> QueryResult<Option<Vec<Picture>>> {
    if uploads.is_empty() {
        return Ok(Some(Vec::new()));
    }
    let found: Vec<PictureRow> = uploads::table
        .filter(uploads::id.eq_any(uploads))
        .filter(uploads::owner_id.eq(owner))
        .select(PICTURE_COLUMNS)
        .load(conn)?;
    let mut by_id: HashMap<UploadId, Picture> = found
        .into_iter()
        .map(|row| (row.0, Picture::from_row(row)))
        .collect();
    Ok(uploads.iter().map(|id| by_id.remove(id)).collect())
}

/// Shows `pictures` in message `id`, in that order, and marks them attached.
fn attach(
    conn: &mut PgConnection,
    id: MessageId,
    pictures: &[Picture],
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let ids: Vec<UploadId> = pictures.iter().map(|picture| picture.id).collect();
    let rows: Vec<_> = ids
        .iter()
        .zip(1..)
        .map(|(upload, position): (&UploadId, i32)| {
            (
                message_images::message_id.eq(id),
                message_images::upload_id.eq(*upload),
                message_images::position.eq(position),
            )
        })
        .collect();
    diesel::insert_into(message_images::table)
        .values(&rows)
        .execute(conn)?;
    diesel::update(
        uploads::table
            .filter(uploads::id.eq_any(&ids))
            .filter(uploads::attached_at.is_null()),
    )
    .set(uploads::attached_at.eq(now))
    .execute(conn)?;
    Ok(())
}
