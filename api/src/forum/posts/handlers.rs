//! A topic's posts: read from any number either way, replied to, edited by
//! their authors with every version kept, deleted softly and restored.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::Utc;
use diesel::Connection;

use super::queries::{self, LockedPost, NewPost, Stretch};
use crate::core::list::{Direction, ListParams, ListQuery, Page};
use crate::core::{AuthUser, MaybeAuthUser, PostId, TopicId};
use crate::db;
use crate::error::{ApiError, ErrorCode, FieldIssue};
use crate::forum::domain::PostBody;
use crate::forum::dto::{
    EditPostRequest, NewPostRequest, Post, PostRange, ReadDirection, Revision,
};
use crate::forum::errors::{denied, post_not_found, topic_not_found};
use crate::forum::notices;
use crate::forum::notices::Moderated;
use crate::forum::topics::queries::{self as topics, author_summary};
use crate::moderation::{ModeratorAction, Reason, ReasonParams};
use crate::policy::forum::{self, Actor, Deletion, may_read_deleted};
use crate::rate_limit::UserAction;
use crate::realtime::viewing::TopicNotice;
use crate::state::AppState;

const POSTS: &str = "posts";

/// Logs what a moderator did to a post, and tells its author.
fn moderated(
    conn: &mut diesel::PgConnection,
    moderator: Actor,
    locked: &LockedPost,
    action: ModeratorAction,
    reason: &Reason,
) -> diesel::QueryResult<()> {
    let post = &locked.post;
    let done = Moderated {
        moderator,
        action,
        author: post.author_id,
        topic: notices::topic_ref(post.topic_id, &locked.topic_title),
        post: Some(notices::post_ref(post.id, post.number)),
        reason: reason.as_deref(),
    };
    notices::moderated(conn, &done, Utc::now())
}

fn viewer_of(viewer: MaybeAuthUser) -> (Option<crate::core::UserId>, bool) {
    let actor = viewer.0.as_ref().map(Actor::of);
    (actor.map(|a| a.id), may_read_deleted(actor))
}

/// A topic's posts in number order, from post `from` on (`direction=after`)
/// or just before it (`before`): jumping to post 4000 reads an index, not
/// the 3999 before it. `next_cursor` goes on the same way.
#[utoipa::path(
    tag = "forum",
    params(("id" = TopicId, Path), PostRange, ListParams),
    responses(
        (status = 200, body = Page<Post>),
        (status = 400, description = "`invalid_query` (`from` below 1), `invalid_cursor` or `invalid_limit`"),
        (status = 404, description = "`topic_not_found`"),
    ),
    security((), ("bearer" = []))
)]
#[get("/topics/{id}/posts")]
pub async fn list_posts(
    state: web::Data<AppState>,
    viewer: MaybeAuthUser,
    id: web::Path<TopicId>,
    range: web::Query<PostRange>,
    query: ListQuery,
) -> Result<web::Json<Page<Post>>, ApiError> {
    let topic = id.into_inner();
    let list_name = format!("{POSTS}:{topic}");
    let (from, direction) = match query.cursor::<i32>(&list_name)? {
        // The cursor holds the last number shown: go on past it.
        Some(cursor) => match cursor.direction {
            Direction::After => (cursor.key.saturating_add(1), ReadDirection::After),
            Direction::Before => (cursor.key, ReadDirection::Before),
        },
        None => (range.from.unwrap_or(1), range.direction.unwrap_or_default()),
    };
    if from < 1 {
        return Err(ApiError::bad_request(
            ErrorCode::InvalidQuery,
            "`from` is a post number, 1 or more.",
        ));
    }
    let (viewer, reads_deleted) = viewer_of(viewer);
    let stretch = Stretch {
        from,
        direction,
        limit: query.fetch_limit(),
    };
    let mut posts = db::run(&state.pool, move |conn| {
        Ok(queries::page(conn, topic, stretch, viewer, reads_deleted)?)
    })
    .await?
    .ok_or_else(topic_not_found)?;
    let page_size = usize::try_from(query.limit).unwrap_or(0);
    let has_more = posts.len() > page_size;
    let next_cursor = if !has_more {
        None
    } else if direction == ReadDirection::After {
        posts.truncate(page_size);
        posts
            .last()
            .map(|last| query.issue_cursor(&list_name, last.number, Direction::After))
    } else {
        // Read backwards: the page is the newest `limit` of those fetched.
        posts.drain(..posts.len() - page_size);
        posts
            .first()
            .map(|first| query.issue_cursor(&list_name, first.number, Direction::Before))
    };
    Ok(web::Json(Page {
        items: posts,
        next_cursor,
    }))
}

/// One post, wherever it is.
#[utoipa::path(
    tag = "forum",
    params(("id" = PostId, Path)),
    responses((status = 200, body = Post), (status = 404, description = "`post_not_found`")),
    security((), ("bearer" = []))
)]
#[get("/posts/{id}")]
pub async fn get_post(
    state: web::Data<AppState>,
    viewer: MaybeAuthUser,
    id: web::Path<PostId>,
) -> Result<web::Json<Post>, ApiError> {
    let id = id.into_inner();
    let (viewer, reads_deleted) = viewer_of(viewer);
    let post = db::run(&state.pool, move |conn| {
        Ok(queries::find(conn, id, viewer, reads_deleted)?)
    })
    .await?
    .ok_or_else(post_not_found)?;
    Ok(web::Json(post))
}

/// Replies in a topic; the author then watches it. Not in a locked topic
/// (but for moderators).
#[utoipa::path(
    tag = "forum",
    params(("id" = TopicId, Path)),
    request_body = NewPostRequest,
    responses(
        (status = 201, body = Post),
        (status = 403, description = "`topic_locked` or `banned`"),
        (status = 404, description = "`topic_not_found`"),
        (status = 422, description = "Invalid fields: `reply_to` must be a post of the topic"),
        (status = 429, description = "`rate_limited`: too many posts in a short time"),
    ),
    security(("bearer" = []))
)]
#[post("/topics/{id}/posts")]
pub async fn create_post(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<TopicId>,
    body: web::Json<NewPostRequest>,
) -> Result<HttpResponse, ApiError> {
    let text =
        PostBody::parse(&body.body).map_err(|issue| ApiError::invalid_field("body", issue))?;
    let reply_to = body.reply_to;
    let images = body.image_ids.clone().unwrap_or_default();
    let actor = Actor::of(&auth);
    state
        .rate_limits
        .user_action(actor.id, UserAction::ForumPost)?;
    let topic = id.into_inner();
    let post = db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            crate::policy::refuse_banned(conn, actor.id, Utc::now())?;
            let locked = topics::lock(conn, topic)?.ok_or_else(topic_not_found)?;
            forum::may_reply(actor, &locked.facts()).map_err(denied)?;
            if reply_to.is_some_and(|n| n < 1 || n > locked.last_post_number) {
                return Err(ApiError::invalid_field("reply_to", FieldIssue::NoSuchPost));
            }
            let now = Utc::now();
            let number = topics::take_next_number(conn, topic, now)?;
            let rendered = queries::render(conn, topic, text.as_str())?;
            let new = NewPost {
                topic,
                author: actor.id,
                source: text.as_str(),
                rendered: &rendered,
                reply_to,
            };
            let id = queries::insert(conn, &new, number, now)?;
            if !images.is_empty() {
                queries::attach_images(conn, id, actor.id, &images, now)?;
            }
            notices::new_post(
                conn,
                &notices::topic_ref(topic, &locked.title),
                notices::post_ref(id, number),
                actor.id,
                reply_to,
                &rendered,
            )?;
            queries::find(conn, id, Some(actor.id), may_read_deleted(Some(actor)))?
                .ok_or_else(post_not_found)
        })
    })
    .await?;
    state.realtime.announce_topic(&TopicNotice::PostAdded {
        topic_id: topic,
        number: post.number,
        author_id: actor.id,
    });
    Ok(HttpResponse::Created().json(post))
}

/// Edits my post; the version it replaces stays readable in its revisions.
#[utoipa::path(
    tag = "forum",
    params(("id" = PostId, Path)),
    request_body = EditPostRequest,
    responses(
        (status = 200, body = Post),
        (status = 403, description = "`not_allowed` (not mine), `topic_locked` or `banned`"),
        (status = 404, description = "`post_not_found`"),
        (status = 409, description = "`post_deleted`"),
        (status = 422, description = "Invalid fields"),
    ),
    security(("bearer" = []))
)]
#[patch("/posts/{id}")]
pub async fn edit_post(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<PostId>,
    body: web::Json<EditPostRequest>,
) -> Result<web::Json<Post>, ApiError> {
    let text =
        PostBody::parse(&body.body).map_err(|issue| ApiError::invalid_field("body", issue))?;
    let images = body.image_ids.clone();
    let actor = Actor::of(&auth);
    let id = id.into_inner();
    let post = db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            crate::policy::refuse_banned(conn, actor.id, Utc::now())?;
            let locked = queries::lock(conn, id)?.ok_or_else(post_not_found)?;
            forum::may_edit_post(actor, &locked.facts()).map_err(denied)?;
            let post = &locked.post;
            if post.source != text.as_str() {
                let rendered = queries::render(conn, post.topic_id, text.as_str())?;
                queries::edit(conn, post, text.as_str(), &rendered, Utc::now())?;
                // Whom the edit newly mentions or quotes is told; whoever was
                // told of this post before is not told again.
                notices::edited_post(
                    conn,
                    &notices::topic_ref(post.topic_id, &locked.topic_title),
                    notices::post_ref(post.id, post.number),
                    actor.id,
                    &rendered,
                )?;
            }
            if let Some(images) = &images {
                queries::attach_images(conn, id, actor.id, images, Utc::now())?;
            }
            queries::find(conn, id, Some(actor.id), may_read_deleted(Some(actor)))?
                .ok_or_else(post_not_found)
        })
    })
    .await?;
    Ok(web::Json(post))
}

/// Every version of a post, oldest first; the last is the current one.
#[utoipa::path(
    tag = "forum",
    params(("id" = PostId, Path)),
    responses(
        (status = 200, body = Page<Revision>),
        (status = 404, description = "`post_not_found` (or deleted, for all but moderators)"),
    ),
    security((), ("bearer" = []))
)]
#[get("/posts/{id}/revisions")]
pub async fn list_post_revisions(
    state: web::Data<AppState>,
    viewer: MaybeAuthUser,
    id: web::Path<PostId>,
) -> Result<web::Json<Page<Revision>>, ApiError> {
    let id = id.into_inner();
    let (viewer, reads_deleted) = viewer_of(viewer);
    let items = db::run(&state.pool, move |conn| {
        let post = queries::find(conn, id, viewer, reads_deleted)?.ok_or_else(post_not_found)?;
        let Some(current) = post.body else {
            return Err(post_not_found());
        };
        let mut items: Vec<Revision> = queries::revisions(conn, id)?
            .into_iter()
            .map(|(revision, body, created_at, editor)| Revision {
                revision,
                body,
                created_at,
                editor: author_summary(editor),
            })
            .collect();
        items.push(Revision {
            revision: post.revision,
            body: current,
            created_at: post.edited_at.unwrap_or(post.created_at),
            editor: post.author,
        });
        Ok(items)
    })
    .await?;
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// Deletes a post: my own, or anyone's as a moderator. Its number stays;
/// its words are kept for moderators only.
#[utoipa::path(
    tag = "forum",
    params(("id" = PostId, Path), ReasonParams),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "`not_allowed`"),
        (status = 404, description = "`post_not_found`"),
        (status = 409, description = "`post_deleted`: deleted already"),
    ),
    security(("bearer" = []))
)]
#[delete("/posts/{id}")]
pub async fn delete_post(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<PostId>,
    reason: Reason,
) -> Result<HttpResponse, ApiError> {
    let actor = Actor::of(&auth);
    let id = id.into_inner();
    db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let locked = queries::lock_with_topic(conn, id)?.ok_or_else(post_not_found)?;
            let deletion = forum::may_delete_post(actor, &locked.facts()).map_err(denied)?;
            let now = Utc::now();
            // Banned people may still take back their own words, not others'.
            if deletion == Deletion::ByModerator {
                crate::policy::refuse_banned(conn, actor.id, now)?;
            }
            queries::set_deleted(conn, &locked.post, Some((deletion, now)))?;
            if deletion == Deletion::ByModerator {
                moderated(conn, actor, &locked, ModeratorAction::PostRemoved, &reason)?;
            }
            Ok::<_, ApiError>(())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Restores a deleted post (moderators).
#[utoipa::path(
    tag = "forum",
    params(("id" = PostId, Path), ReasonParams),
    responses(
        (status = 200, body = Post),
        (status = 403, description = "`not_allowed`: moderators only"),
        (status = 404, description = "`post_not_found`"),
        (status = 409, description = "`post_not_deleted`"),
    ),
    security(("bearer" = []))
)]
#[post("/posts/{id}/restore")]
pub async fn restore_post(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<PostId>,
    reason: Reason,
) -> Result<web::Json<Post>, ApiError> {
    let actor = Actor::of(&auth);
    let id = id.into_inner();
    let post = db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            crate::policy::refuse_banned(conn, actor.id, Utc::now())?;
            let locked = queries::lock_with_topic(conn, id)?.ok_or_else(post_not_found)?;
            forum::may_restore_post(actor, &locked.facts()).map_err(denied)?;
            queries::set_deleted(conn, &locked.post, None)?;
            moderated(conn, actor, &locked, ModeratorAction::PostRestored, &reason)?;
            queries::find(conn, id, Some(actor.id), true)?.ok_or_else(post_not_found)
        })
    })
    .await?;
    Ok(web::Json(post))
}
