//! A post's Markdown rendered before it is sent, exactly as it would show.

use actix_web::{post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::queries;
use crate::core::{AuthUser, TopicId};
use crate::db;
use crate::error::ApiError;
use crate::forum::domain::PostBody;
use crate::rate_limit::UserAction;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    /// Markdown, as a post's `body`.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
    /// The topic the post is for: its quotes of `post:N` name their authors.
    /// Omitted for a topic's opening post.
    pub topic_id: Option<TopicId>,
}

#[derive(Serialize, ToSchema)]
pub struct Preview {
    /// Safe HTML, as the post's `html` would be.
    pub html: String,
}

/// Renders Markdown as a post would show it (mentions linked, quotes
/// naming their authors), without saving anything.
#[utoipa::path(
    tag = "forum",
    request_body = PreviewRequest,
    responses(
        (status = 200, body = Preview),
        (status = 422, description = "Invalid fields: `body` empty or too long"),
        (status = 429, description = "`rate_limited`"),
    ),
    security(("bearer" = []))
)]
#[post("/posts/preview")]
pub async fn preview_post(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<PreviewRequest>,
) -> Result<web::Json<Preview>, ApiError> {
    let text =
        PostBody::parse(&body.body).map_err(|issue| ApiError::invalid_field("body", issue))?;
    state
        .rate_limits
        .user_action(auth.user.id, UserAction::Preview)?;
    let topic = body.topic_id;
    let html = db::run(&state.pool, move |conn| {
        Ok::<_, ApiError>(queries::render_in(conn, topic, text.as_str())?.html)
    })
    .await?;
    Ok(web::Json(Preview { html }))
}
