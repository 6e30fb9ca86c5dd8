//! A person's posts, the latest first, for their profile.

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::core::list::{ListParams, ListQuery, Page};
use crate::core::{PostId, TopicId, UserId};
use crate::db;
use crate::db::schema::{posts, topics};
use crate::error::ApiError;
use crate::forum::errors::user_not_found;
use crate::state::AppState;

const USER_POSTS: &str = "user-posts";

type PostKey = (DateTime<Utc>, PostId);

/// The topic a listed post is in.
#[derive(Serialize, ToSchema)]
pub struct PostTopic {
    pub id: TopicId,
    pub title: String,
}

/// One of a person's posts, as their profile lists it.
#[derive(Serialize, ToSchema)]
pub struct UserPost {
    pub id: PostId,
    pub number: i32,
    pub created_at: DateTime<Utc>,
    /// Safe HTML, as the post shows in its topic.
    pub html: String,
    pub like_count: i32,
    pub topic: PostTopic,
}

/// A person's posts that stand (not deleted), the latest first.
#[utoipa::path(
    tag = "forum",
    params(("handle" = String, Path), ListParams),
    responses(
        (status = 200, body = Page<UserPost>),
        (status = 400, description = "`invalid_cursor` or `invalid_limit`"),
        (status = 404, description = "`user_not_found`"),
    ),
    security((), ("bearer" = []))
)]
#[get("/users/{handle}/posts")]
pub async fn list_user_posts(
    state: web::Data<AppState>,
    handle: web::Path<String>,
    query: ListQuery,
) -> Result<web::Json<Page<UserPost>>, ApiError> {
    let handle = handle.into_inner();
    let list_name = format!("{USER_POSTS}:{}", handle.to_ascii_lowercase());
    let after: Option<PostKey> = query.after(&list_name)?;
    let limit = query.fetch_limit();
    let rows = db::run(&state.pool, move |conn| {
        let author =
            crate::core::users::find_by_handle(conn, &handle)?.ok_or_else(user_not_found)?;
        Ok(list(conn, author.id, after, limit)?)
    })
    .await?;
    Ok(web::Json(
        query.page(&list_name, rows, |post| (post.created_at, post.id)),
    ))
}

fn list(
    conn: &mut PgConnection,
    author: UserId,
    after: Option<PostKey>,
    limit: i64,
) -> QueryResult<Vec<UserPost>> {
    let mut query = posts::table
        .inner_join(topics::table)
        .filter(posts::author_id.eq(author))
        .filter(posts::deleted_at.is_null())
        .order((posts::created_at.desc(), posts::id.desc()))
        .select((
            posts::id,
            posts::number,
            posts::created_at,
            posts::html,
            posts::like_count,
            (topics::id, topics::title),
        ))
        .limit(limit)
        .into_boxed();
    if let Some((at, id)) = after {
        query = query.filter(
            posts::created_at
                .lt(at)
                .or(posts::created_at.eq(at).and(posts::id.lt(id))),
        );
    }
    type Row = (PostId, i32, DateTime<Utc>, String, i32, (TopicId, String));
    Ok(query
        .load::<Row>(conn)?
        .into_iter()
        .map(
            |(id, number, created_at, html, like_count, (topic_id, title))| UserPost {
                id,
                number,
                created_at,
                html,
                like_count,
                topic: PostTopic {
                    id: topic_id,
                    title,
                },
            },
        )
        .collect())
}
