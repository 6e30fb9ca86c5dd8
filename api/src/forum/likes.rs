//! Likes: anyone signed in likes another's standing post once; its author's
//! figures and the post's count follow in the same transaction.

use actix_web::{delete, get, put, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::dto::LikeState;
use super::errors::{denied, post_not_found};
use super::notices;
use super::posts::queries::{self as posts, PostRow};
use super::topics::queries::{AUTHOR_COLUMNS, AuthorTuple, add_to_stats};
use crate::core::list::{ListParams, ListQuery, Page};
use crate::core::{AuthUser, PostId, UserId, UserSummary};
use crate::db;
use crate::db::schema::{post_likes, posts as post_table, users};
use crate::error::ApiError;
use crate::policy::forum::{self, Actor};
use crate::policy::queries::has_blocked;
use crate::state::AppState;

const LIKES: &str = "likes";

/// Adds (`+1`) or takes back (`-1`) `user`'s like of a locked post; whether
/// anything changed.
pub fn set_like(
    conn: &mut PgConnection,
    post: &PostRow,
    user: UserId,
    change: i32,
) -> QueryResult<bool> {
    let changed = if change > 0 {
        diesel::insert_into(post_likes::table)
            .values((
                post_likes::post_id.eq(post.id),
                post_likes::user_id.eq(user),
                post_likes::created_at.eq(Utc::now()),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?
    } else {
        diesel::delete(post_likes::table.find((post.id, user))).execute(conn)?
    } == 1;
    if changed {
        diesel::update(post_table::table.find(post.id))
            .set(post_table::like_count.eq(post_table::like_count + change))
            .execute(conn)?;
        // A deleted post's likes were taken off its author's figures already.
        if let Some(author) = post.author_id.filter(|_| post.deleted_at.is_none()) {
            add_to_stats(conn, author, 0, 0, change)?;
        }
    }
    Ok(changed)
}

async fn change_like(
    state: &AppState,
    auth: &AuthUser,
    id: PostId,
    liked: bool,
) -> Result<web::Json<LikeState>, ApiError> {
    let actor = Actor::of(auth);
    let like_count = db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let locked = posts::lock(conn, id)?.ok_or_else(post_not_found)?;
            let post = &locked.post;
            let change = if liked {
                crate::policy::refuse_banned(conn, actor.id, Utc::now())?;
                let blocked = match post.author_id {
                    Some(author) => has_blocked(conn, author, actor.id)?,
                    None => false,
                };
                forum::may_like(actor, &locked.facts(), blocked).map_err(denied)?;
                1
            } else {
                -1
            };
            let changed = set_like(conn, post, actor.id, change)?;
            if let (true, true, Some(author)) = (changed, liked, post.author_id) {
                notices::liked(
                    conn,
                    author,
                    actor.id,
                    notices::topic_ref(post.topic_id, &locked.topic_title),
                    notices::post_ref(post.id, post.number),
                    Utc::now(),
                )?;
            }
            Ok::<_, ApiError>(post.like_count + if changed { change } else { 0 })
        })
    })
    .await?;
    Ok(web::Json(LikeState { like_count, liked }))
}

/// Likes a post (again is no change).
#[utoipa::path(
    tag = "forum",
    params(("id" = PostId, Path)),
    responses(
        (status = 200, body = LikeState),
        (status = 403, description = "`cannot_like_own_post`, `blocked_by_user` (its author blocked you) or `banned`"),
        (status = 404, description = "`post_not_found`"),
        (status = 409, description = "`post_deleted`"),
    ),
    security(("bearer" = []))
)]
#[put("/posts/{id}/like")]
pub async fn like_post(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<PostId>,
) -> Result<web::Json<LikeState>, ApiError> {
    change_like(&state, &auth, id.into_inner(), true).await
}

/// Takes my like back (none is no change).
#[utoipa::path(
    tag = "forum",
    params(("id" = PostId, Path)),
    responses((status = 200, body = LikeState), (status = 404, description = "`post_not_found`")),
    security(("bearer" = []))
)]
#[delete("/posts/{id}/like")]
pub async fn unlike_post(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<PostId>,
) -> Result<web::Json<LikeState>, ApiError> {
    change_like(&state, &auth, id.into_inner(), false).await
}

type LikeKey = (DateTime<Utc>, UserId);

/// Who liked a post, the latest first.
#[utoipa::path(
    tag = "forum",
    params(("id" = PostId, Path), ListParams),
    responses(
        (status = 200, body = Page<UserSummary>),
        (status = 400, description = "`invalid_cursor` or `invalid_limit`"),
        (status = 404, description = "`post_not_found`"),
    )
)]
#[get("/posts/{id}/likes")]
pub async fn list_post_likes(
    state: web::Data<AppState>,
    id: web::Path<PostId>,
    query: ListQuery,
) -> Result<web::Json<Page<UserSummary>>, ApiError> {
    let id = id.into_inner();
    let list_name = format!("{LIKES}:{id}");
    let after: Option<LikeKey> = query.after(&list_name)?;
    let limit = query.fetch_limit();
    let rows = db::run(&state.pool, move |conn| {
        let found: bool =
            diesel::select(diesel::dsl::exists(post_table::table.find(id))).get_result(conn)?;
        if !found {
            return Err(post_not_found());
        }
        let mut likes = post_likes::table
            .inner_join(users::table)
            .filter(post_likes::post_id.eq(id))
            .order((post_likes::created_at.desc(), post_likes::user_id.desc()))
            .select((post_likes::created_at, AUTHOR_COLUMNS))
            .limit(limit)
            .into_boxed();
        if let Some((at, user)) = after {
            likes = likes.filter(
                post_likes::created_at.lt(at).or(post_likes::created_at
                    .eq(at)
                    .and(post_likes::user_id.lt(user))),
            );
        }
        Ok(likes.load::<(DateTime<Utc>, AuthorTuple)>(conn)?)
    })
    .await?;
    let page = query.page(&list_name, rows, |(at, (user, ..))| (*at, *user));
    Ok(web::Json(page.map(
        |(_, (user, handle, display_name, avatar_key, role))| {
            UserSummary::new(user, handle, display_name, avatar_key.as_deref(), role)
        },
    )))
}
