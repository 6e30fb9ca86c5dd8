//! Conversations and their members in PostgreSQL, and how a member sees
//! one: a few statements per page of the chat list, whatever its size.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::dto::{Conversation, ConversationKind, ReadMark};
use super::messages;
use crate::core::{ConversationId, Role, UserId, UserSummary};
use crate::db::schema::{conversation_members, conversations, users};
use crate::events::{self, Event};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = conversations)]
pub struct ConversationRow {
    pub id: ConversationId,
    pub kind: ConversationKind,
    pub title: Option<String>,
    pub owner_id: Option<UserId>,
    pub last_seq: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = conversation_members)]
pub struct MemberRow {
    pub conversation_id: ConversationId,
    pub user_id: UserId,
    pub joined_at: DateTime<Utc>,
    pub last_read_seq: i64,
    pub muted: bool,
    pub activity_at: Option<DateTime<Utc>>,
}

/// The conversation, locked until the transaction ends (numbering messages
/// and changing members read it this way), if `user` is in it.
pub fn lock_as_member(
    conn: &mut PgConnection,
    id: ConversationId,
    user: UserId,
) -> QueryResult<Option<ConversationRow>> {
    let Some(row) = conversations::table
        .find(id)
        .select(ConversationRow::as_select())
        .for_no_key_update()
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    Ok(is_member(conn, id, user)?.then_some(row))
}

pub fn is_member(conn: &mut PgConnection, id: ConversationId, user: UserId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        conversation_members::table.find((id, user)),
    ))
    .get_result(conn)
}

pub fn member_ids(conn: &mut PgConnection, id: ConversationId) -> QueryResult<Vec<UserId>> {
    conversation_members::table
        .filter(conversation_members::conversation_id.eq(id))
        .order(conversation_members::joined_at)
        .select(conversation_members::user_id)
        .load(conn)
}

/// The direct conversation of `opener` and `other`, made if it does not
/// exist (two people opening it at once get the same one); whether it was
/// made now. It shows in `opener`'s list at once, in `other`'s with the
/// first message.
pub fn direct(
    conn: &mut PgConnection,
    opener: UserId,
    other: UserId,
    now: DateTime<Utc>,
) -> QueryResult<(ConversationId, bool)> {
    let (low, high) = if opener.as_uuid() < other.as_uuid() {
        (opener, other)
    } else {
        (other, opener)
    };
    let made: Option<ConversationId> = diesel::insert_into(conversations::table)
        .values((
            conversations::id.eq(ConversationId::generate()),
            conversations::kind.eq(ConversationKind::Direct),
            conversations::direct_low.eq(low),
            conversations::direct_high.eq(high),
            conversations::created_at.eq(now),
        ))
        .on_conflict((conversations::direct_low, conversations::direct_high))
        .do_nothing()
        .returning(conversations::id)
        .get_result(conn)
        .optional()?;
    let id = match made {
        Some(id) => id,
        None => conversations::table
            .filter(conversations::direct_low.eq(low))
            .filter(conversations::direct_high.eq(high))
            .select(conversations::id)
            .first(conn)?,
    };
    if made.is_some() {
        add_member(conn, id, other, now, None)?;
    }
    add_member(conn, id, opener, now, Some(now))?;
    // Opening it again shows it in the opener's list again.
    diesel::update(conversation_members::table.find((id, opener)))
        .filter(conversation_members::activity_at.is_null())
        .set(conversation_members::activity_at.eq(now))
        .execute(conn)?;
    Ok((id, made.is_some()))
}

/// Puts `user` in the conversation (no change if already there).
pub fn add_member(
    conn: &mut PgConnection,
    id: ConversationId,
    user: UserId,
    now: DateTime<Utc>,
    activity_at: Option<DateTime<Utc>>,
) -> QueryResult<bool> {
    let last_seq: i64 = conversations::table
        .find(id)
        .select(conversations::last_seq)
        .first(conn)?;
    diesel::insert_into(conversation_members::table)
        .values((
            conversation_members::conversation_id.eq(id),
            conversation_members::user_id.eq(user),
            conversation_members::joined_at.eq(now),
            // Joining is not catching up on what was said before.
            conversation_members::last_read_seq.eq(last_seq),
            conversation_members::activity_at.eq(activity_at),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .map(|added| added == 1)
}

/// A new room owned by `owner`, with `others` in it.
pub fn create_room(
    conn: &mut PgConnection,
    owner: UserId,
    title: &str,
    others: &[UserId],
    now: DateTime<Utc>,
) -> QueryResult<ConversationId> {
    let id = ConversationId::generate();
    diesel::insert_into(conversations::table)
        .values((
            conversations::id.eq(id),
            conversations::kind.eq(ConversationKind::Room),
            conversations::title.eq(title),
            conversations::owner_id.eq(owner),
            conversations::created_at.eq(now),
        ))
        .execute(conn)?;
    add_member(conn, id, owner, now, Some(now))?;
    for (offset, member) in (1..).zip(others) {
        // Joined one after another, so "longest-standing" is never a tie.
        let joined = now + chrono::Duration::microseconds(offset);
        add_member(conn, id, *member, joined, Some(now))?;
    }
    Ok(id)
}

/// Tells every member that the room changed, so they reload it.
pub fn announce_change(
    conn: &mut PgConnection,
    id: ConversationId,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let members = member_ids(conn, id)?;
    events::publish(
        conn,
        &members,
        &Event::ConversationChanged {
            conversation_id: id,
        },
        now,
    )
}

/// Takes `user` out of a locked room; when they owned it, the
/// longest-standing member left owns it; with nobody left it goes.
pub fn remove_member(
    conn: &mut PgConnection,
    room: &ConversationRow,
    user: UserId,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::delete(conversation_members::table.find((room.id, user))).execute(conn)?;
    let unread_messages = super::unread::unread_total(conn, user)?;
    events::publish(
        conn,
        &[user],
        &Event::ConversationLeft {
            conversation_id: room.id,
            unread_messages,
        },
        now,
    )?;
    let remaining = member_ids(conn, room.id)?;
    let Some(&heir) = remaining.first() else {
        diesel::delete(conversations::table.find(room.id)).execute(conn)?;
        return Ok(());
    };
    if room.owner_id == Some(user) {
        diesel::update(conversations::table.find(room.id))
            .set(conversations::owner_id.eq(heir))
            .execute(conn)?;
    }
    announce_change(conn, room.id, now)
}

/// Where a chat list page ended: `(activity_at, conversation id)`.
pub type ListKey = (DateTime<Utc>, ConversationId);

/// A page of `viewer`'s chat list, latest activity first.
pub fn list(
    conn: &mut PgConnection,
    viewer: UserId,
    after: Option<ListKey>,
    limit: i64,
) -> QueryResult<Vec<Conversation>> {
    let mut query = conversation_members::table
        .filter(conversation_members::user_id.eq(viewer))
        .filter(conversation_members::activity_at.is_not_null())
        .order((
            conversation_members::activity_at.desc(),
            conversation_members::conversation_id.desc(),
        ))
        .select(MemberRow::as_select())
        .limit(limit)
        .into_boxed();
    if let Some((at, id)) = after {
        query = query.filter(
            conversation_members::activity_at
                .lt(at)
                .or(conversation_members::activity_at
                    .eq(at)
                    .and(conversation_members::conversation_id.lt(id))),
        );
    }
    let mine: Vec<MemberRow> = query.load(conn)?;
    views(conn, mine)
}

/// One conversation as `viewer` (a member) sees it.
pub fn view(
    conn: &mut PgConnection,
    id: ConversationId,
    viewer: UserId,
) -> QueryResult<Option<Conversation>> {
    let mine: Option<MemberRow> = conversation_members::table
        .find((id, viewer))
        .select(MemberRow::as_select())
        .first(conn)
        .optional()?;
    Ok(views(conn, mine.into_iter().collect())?.pop())
}

/// The conversations of `mine` (the viewer's memberships) as they see them:
/// a few statements whatever their number.
fn views(conn: &mut PgConnection, mine: Vec<MemberRow>) -> QueryResult<Vec<Conversation>> {
    let ids: Vec<ConversationId> = mine.iter().map(|m| m.conversation_id).collect();
    let rows: HashMap<ConversationId, ConversationRow> = conversations::table
        .filter(conversations::id.eq_any(&ids))
        .select(ConversationRow::as_select())
        .load::<ConversationRow>(conn)?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    type MemberTuple = (
        ConversationId,
        UserId,
        String,
        String,
        Option<String>,
        Role,
        i64,
        bool,
    );
    let members: Vec<MemberTuple> = conversation_members::table
        .inner_join(users::table)
        .filter(conversation_members::conversation_id.eq_any(&ids))
        .order((
            conversation_members::conversation_id,
            conversation_members::joined_at,
        ))
        .select((
            conversation_members::conversation_id,
            users::id,
            users::handle,
            users::display_name,
            users::avatar_key,
            users::role,
            conversation_members::last_read_seq,
            users::read_receipts,
        ))
        .load(conn)?;
    let mut people: HashMap<ConversationId, Vec<UserSummary>> = HashMap::new();
    let mut marks: HashMap<ConversationId, Vec<(ReadMark, bool)>> = HashMap::new();
    for (conversation, id, handle, name, avatar, role, last_read_seq, receipts) in members {
        people
            .entry(conversation)
            .or_default()
            .push(UserSummary::new(id, handle, name, avatar.as_deref(), role));
        marks.entry(conversation).or_default().push((
            ReadMark {
                user_id: id,
                last_read_seq,
            },
            receipts,
        ));
    }
    let last = messages::last_of(
        conn,
        &rows
            .values()
            .map(|r| (r.id, r.last_seq))
            .collect::<Vec<_>>(),
    )?;
    Ok(mine
        .into_iter()
        .filter_map(|member| {
            let row = rows.get(&member.conversation_id)?;
            let members = people.remove(&row.id).unwrap_or_default();
            let owner = row
                .owner_id
                .and_then(|owner| members.iter().find(|m| m.id == owner).cloned());
            let read_marks =
                others_read_marks(marks.remove(&row.id).unwrap_or_default(), member.user_id);
            Some(Conversation {
                id: row.id,
                kind: row.kind,
                title: row.title.clone(),
                owner,
                members,
                last_message: last.get(&row.id).cloned(),
                unread_count: (row.last_seq - member.last_read_seq).max(0),
                last_read_seq: member.last_read_seq,
                read_marks,
                muted: member.muted,
                last_activity_at: member.activity_at.unwrap_or(row.created_at),
            })
        })
        .collect())
}

/// The others' read marks that `viewer` may see: read receipts go both
/// ways or not at all, so only while the viewer and each other keep them on.
fn others_read_marks(marks: Vec<(ReadMark, bool)>, viewer: UserId) -> Vec<ReadMark> {
    let viewer_shares = marks
        .iter()
        .any(|(mark, receipts)| mark.user_id == viewer && *receipts);
    if !viewer_shares {
        return Vec::new();
    }
    marks
        .into_iter()
        .filter(|(mark, receipts)| mark.user_id != viewer && *receipts)
        .map(|(mark, _)| mark)
        .collect()
}
