//! What a departing account takes with it beyond its own rows: its likes
//! leave the counts they were in, and its pictures' files are removed
//! (their rows go with the account).

use diesel::prelude::*;

use crate::core::UserId;
use crate::db::schema::uploads;

/// Called in the transaction that deletes the account, before it does.
pub(super) fn take_back_likes_and_pictures(
    conn: &mut PgConnection,
    user_id: UserId,
) -> QueryResult<()> {
    take_back_likes(conn, user_id)?;
    let pictures: Vec<String> = uploads::table
        .filter(uploads::owner_id.eq(user_id))
        .select(uploads::key)
        .load(conn)?;
    if !pictures.is_empty() {
        crate::jobs::enqueue(
            conn,
            crate::jobs::Job::RemovePictureFiles { keys: pictures },
        )?;
    }
    Ok(())
}

/// The likes a departing account gave leave the counts of the posts and
/// their authors, as unliking would (the rows themselves go with it).
fn take_back_likes(conn: &mut PgConnection, user_id: UserId) -> QueryResult<()> {
    // Posts before people's figures: the order a like takes them in.
    diesel::sql_query(
        "UPDATE posts SET like_count = like_count - 1 \
         WHERE id IN (SELECT post_id FROM post_likes WHERE user_id = $1)",
    )
    .bind::<diesel::sql_types::Uuid, _>(user_id)
    .execute(conn)?;
    diesel::sql_query(
        "UPDATE forum_stats s SET likes_received = s.likes_received - given.count \
         FROM (SELECT p.author_id, count(*)::int AS count FROM post_likes l \
               JOIN posts p ON p.id = l.post_id \
               WHERE l.user_id = $1 AND p.deleted_at IS NULL AND p.author_id IS NOT NULL \
               GROUP BY p.author_id) AS given \
         WHERE s.user_id = given.author_id",
    )
    .bind::<diesel::sql_types::Uuid, _>(user_id)
    .execute(conn)?;
    Ok(())
}
