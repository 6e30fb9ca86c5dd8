//! Reading and starting topics: anyone reads, people signed in start them.

use actix_web::{HttpResponse, get, post, web};
use chrono::Utc;
use diesel::Connection;

use super::queries::{self, Selection, TopicKey};
use crate::core::list::{ListParams, ListQuery, Page};
use crate::core::validation::FieldCheck;
use crate::core::{AuthUser, MaybeAuthUser, TopicId};
use crate::db;
use crate::error::{ApiError, ErrorCode};
use crate::forum::domain::{PostBody, Title};
use crate::forum::dto::{
    CreatedTopic, NewTopicRequest, Topic, TopicFilter, TopicFilters, TopicSummary,
};
use crate::forum::errors::{category_not_found, topic_not_found, user_not_found};
use crate::forum::notices;
use crate::forum::posts::queries::{self as posts, NewPost};
use crate::forum::queries as categories;
use crate::policy::{self, forum::Actor, forum::may_read_deleted};
use crate::rate_limit::UserAction;
use crate::state::AppState;

const TOPICS: &str = "topics";

/// Every topic: pinned ones first, then by latest activity. A signed-in
/// reader learns for each what is new or unread and where to go on.
#[utoipa::path(
    tag = "forum",
    params(TopicFilters, ListParams),
    responses(
        (status = 200, body = Page<TopicSummary>),
        (status = 400, description = "`invalid_query` (an unknown `filter`), `invalid_cursor` or `invalid_limit`"),
        (status = 401, description = "`authentication_required`: `unread` and `mine` are a signed-in reader's"),
        (status = 404, description = "`user_not_found` (`author`)"),
    ),
    security((), ("bearer" = []))
)]
#[get("/topics")]
pub async fn list_topics(
    state: web::Data<AppState>,
    viewer: MaybeAuthUser,
    filters: web::Query<TopicFilters>,
    query: ListQuery,
) -> Result<web::Json<Page<TopicSummary>>, ApiError> {
    list(state, viewer, filters.into_inner(), query, None).await
}

/// The topics of one category, in the same order.
#[utoipa::path(
    tag = "forum",
    params(("slug" = String, Path), TopicFilters, ListParams),
    responses(
        (status = 200, body = Page<TopicSummary>),
        (status = 400, description = "`invalid_query` (an unknown `filter`), `invalid_cursor` or `invalid_limit`"),
        (status = 401, description = "`authentication_required`: `unread` and `mine` are a signed-in reader's"),
        (status = 404, description = "`category_not_found`, or `user_not_found` (`author`)"),
    ),
    security((), ("bearer" = []))
)]
#[get("/categories/{slug}/topics")]
pub async fn list_category_topics(
    state: web::Data<AppState>,
    viewer: MaybeAuthUser,
    slug: web::Path<String>,
    filters: web::Query<TopicFilters>,
    query: ListQuery,
) -> Result<web::Json<Page<TopicSummary>>, ApiError> {
    list(
        state,
        viewer,
        filters.into_inner(),
        query,
        Some(slug.into_inner()),
    )
    .await
}

async fn list(
    state: web::Data<AppState>,
    viewer: MaybeAuthUser,
    filters: TopicFilters,
    query: ListQuery,
    slug: Option<String>,
) -> Result<web::Json<Page<TopicSummary>>, ApiError> {
    let viewer = viewer.0.map(|auth| auth.user.id);
    let filter = filters.filter.unwrap_or_default();
    let mut selection = match (filter, viewer) {
        (TopicFilter::Latest, _) => Selection::default(),
        (_, None) => {
            return Err(ApiError::unauthorized(
                ErrorCode::AuthenticationRequired,
                "Sign in to see your unread topics, or yours.",
            ));
        }
        (TopicFilter::Unread, Some(me)) => Selection {
            unread_by: Some(me),
            ..Selection::default()
        },
        (TopicFilter::Mine, Some(me)) => Selection {
            involving: Some(me),
            ..Selection::default()
        },
    };
    // Each list's cursors are its own: a page of one never continues another.
    let list_name = format!(
        "{TOPICS}:{}:{}:{}",
        slug.as_deref().unwrap_or("*"),
        filter.as_str(),
        filters.author.as_deref().unwrap_or("*"),
    );
    let after: Option<TopicKey> = query.after(&list_name)?;
    let limit = query.fetch_limit();
    let rows = db::run(&state.pool, move |conn| {
        let category = match slug {
            None => None,
            Some(slug) => Some(
                categories::find(conn, &slug)?
                    .ok_or_else(category_not_found)?
                    .id,
            ),
        };
        if let Some(handle) = &filters.author {
            let author =
                crate::core::users::find_by_handle(conn, handle)?.ok_or_else(user_not_found)?;
            selection.started_by = Some(author.id);
        }
        Ok(queries::list(
            conn, category, selection, after, limit, viewer,
        )?)
    })
    .await?;
    Ok(web::Json(query.page(&list_name, rows, queries::key_of)))
}

/// One topic; each read counts as a view.
#[utoipa::path(
    tag = "forum",
    params(("id" = TopicId, Path)),
    responses((status = 200, body = Topic), (status = 404, description = "`topic_not_found`")),
    security((), ("bearer" = []))
)]
#[get("/topics/{id}")]
pub async fn get_topic(
    state: web::Data<AppState>,
    viewer: MaybeAuthUser,
    id: web::Path<TopicId>,
) -> Result<web::Json<Topic>, ApiError> {
    let id = id.into_inner();
    let viewer = viewer.0.map(|auth| auth.user.id);
    let topic = db::run(&state.pool, move |conn| {
        if queries::count_view(conn, id)? == 0 {
            return Err(topic_not_found());
        }
        Ok(queries::summary_of(conn, id, viewer)?)
    })
    .await?
    .ok_or_else(topic_not_found)?;
    Ok(web::Json(topic_wire(topic)))
}

pub fn topic_wire(
    (summary, watch_level): (TopicSummary, Option<crate::forum::domain::WatchLevel>),
) -> Topic {
    Topic {
        summary,
        watch_level,
    }
}

/// Starts a topic in a category with its opening post; the author watches it.
#[utoipa::path(
    tag = "forum",
    params(("slug" = String, Path)),
    request_body = NewTopicRequest,
    responses(
        (status = 201, body = CreatedTopic),
        (status = 403, description = "`banned`"),
        (status = 404, description = "`category_not_found`"),
        (status = 422, description = "Invalid fields"),
        (status = 429, description = "`rate_limited`: too many posts in a short time"),
    ),
    security(("bearer" = []))
)]
#[post("/categories/{slug}/topics")]
pub async fn create_topic(
    state: web::Data<AppState>,
    auth: AuthUser,
    slug: web::Path<String>,
    body: web::Json<NewTopicRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut check = FieldCheck::default();
    let title = check.check("title", Title::parse(&body.title));
    let text = check.check("body", PostBody::parse(&body.body));
    check.finish().map_err(ApiError::validation)?;
    let (Some(title), Some(text)) = (title, text) else {
        return Err(ApiError::internal("a checked field is missing"));
    };
    let author = auth.user.id;
    let images = body.image_ids.clone().unwrap_or_default();
    state
        .rate_limits
        .user_action(author, UserAction::ForumPost)?;
    let actor = Actor::of(&auth);
    let created = db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let now = Utc::now();
            policy::refuse_banned(conn, author, now)?;
            let category = categories::find(conn, &slug)?.ok_or_else(category_not_found)?;
            let topic = queries::insert(conn, category.id, author, title.as_str(), now)?;
            let rendered = posts::render(conn, topic, text.as_str())?;
            let post = NewPost {
                topic,
                author,
                source: text.as_str(),
                rendered: &rendered,
                reply_to: None,
            };
            let post_id = posts::insert(conn, &post, 1, now)?;
            if !images.is_empty() {
                posts::attach_images(conn, post_id, author, &images, now)?;
            }
            notices::new_post(
                conn,
                &notices::topic_ref(topic, title.as_str()),
                notices::post_ref(post_id, 1),
                author,
                None,
                &rendered,
            )?;
            let topic = queries::summary_of(conn, topic, Some(author))?
                .ok_or_else(|| ApiError::internal("the new topic is gone"))?;
            let post = posts::find(conn, post_id, Some(author), may_read_deleted(Some(actor)))?
                .ok_or_else(|| ApiError::internal("the new post is gone"))?;
            Ok::<_, ApiError>(CreatedTopic {
                topic: topic_wire(topic),
                post,
            })
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}
