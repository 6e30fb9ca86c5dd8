//! `GET /api/v1/search`: the request parsed into a search, run where the
//! engine keeps its index, and answered as a page of hits.

use actix_web::{get, web};
use sha2::{Digest, Sha256};

use super::domain::{DayEnd, Filters, Kind, parse_time};
use super::dto::{SearchHit, SearchParams};
use super::engine;
use crate::core::list::{ListParams, ListQuery, Page};
use crate::core::{AuthUser, MaybeAuthUser};
use crate::error::{ApiError, ErrorCode};
use crate::http::client_ip::ClientIp;
use crate::rate_limit::UserAction;
use crate::state::AppState;

/// A search, checked: what the engines take.
pub struct Search {
    pub kind: Kind,
    pub list: ListQuery,
    /// The list name its cursors are bound to: the kind and the filters.
    pub list_name: String,
    pub filters: Filters,
    /// The author filter's handle, resolved against the database.
    pub author: Option<String>,
}

fn invalid(detail: &'static str) -> ApiError {
    ApiError::bad_request(ErrorCode::InvalidQuery, detail)
}

fn parse_id<T: std::str::FromStr>(
    raw: Option<&str>,
    detail: &'static str,
) -> Result<Option<T>, ApiError> {
    raw.map(|raw| raw.parse().map_err(|_| invalid(detail)))
        .transpose()
}

impl Search {
    pub fn parse(params: SearchParams) -> Result<Self, ApiError> {
        let kind = Kind::parse(params.kind.as_deref())
            .ok_or_else(|| invalid("`type` is one of topics, posts, people and messages."))?;
        let allowed: &[&str] = match kind {
            Kind::Topics => &["category", "author", "since", "until"],
            Kind::Posts => &["category", "author", "since", "until", "topic"],
            Kind::Messages => &["author", "since", "until", "conversation"],
            Kind::People => &[],
        };
        let given = [
            ("category", &params.category),
            ("author", &params.author),
            ("since", &params.since),
            ("until", &params.until),
            ("topic", &params.topic),
            ("conversation", &params.conversation),
        ];
        let mut fingerprint = Sha256::new();
        for (name, value) in given {
            if let Some(value) = value {
                if !allowed.contains(&name) {
                    return Err(ApiError::bad_request(
                        ErrorCode::InvalidQuery,
                        format!("`{name}` does not filter {}.", kind.as_str()),
                    ));
                }
                fingerprint.update(format!("{name}={value}\n"));
            }
        }
        let since = params
            .since
            .as_deref()
            .map(|raw| {
                parse_time(raw, DayEnd::Start)
                    .ok_or_else(|| invalid("`since` is a date (YYYY-MM-DD) or an RFC 3339 time."))
            })
            .transpose()?;
        let until = params
            .until
            .as_deref()
            .map(|raw| {
                parse_time(raw, DayEnd::End)
                    .ok_or_else(|| invalid("`until` is a date (YYYY-MM-DD) or an RFC 3339 time."))
            })
            .transpose()?;
        let filters = Filters {
            category: parse_id(params.category.as_deref(), "`category` is a category's id.")?,
            author: None,
            since,
            until,
            topic: parse_id(params.topic.as_deref(), "`topic` is a topic's id.")?,
            conversation: parse_id(
                params.conversation.as_deref(),
                "`conversation` is a conversation's id.",
            )?,
        };
        let list = ListQuery::parse(ListParams {
            q: params.q,
            cursor: params.cursor,
            limit: params.limit,
        })?;
        if list.q.is_none() {
            return Err(invalid("Say what to search for in `q`."));
        }
        let digest = fingerprint.finalize();
        let list_name = format!(
            "search:{}:{}",
            kind.as_str(),
            digest[..6]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        Ok(Self {
            kind,
            list,
            list_name,
            filters,
            author: params.author.map(|handle| handle.trim().to_owned()),
        })
    }
}

/// Search topics, posts, people or my messages: every word must match
/// (stemmed, in Russian and English, `ё` as `е`), the last one also as a
/// prefix (from three letters), words of five letters or more also with one typo (ranked below
/// what matches as typed); best matches first, with highlights. Signed
/// out, topics and posts only. Deleted posts and messages, conversations I
/// am not in, and people who blocked me or whom I blocked (and what they
/// wrote) never show.
#[utoipa::path(
    tag = "search",
    params(SearchParams),
    responses(
        (status = 200, body = Page<SearchHit>),
        (status = 400, description = "`invalid_query` (no `q`, over 100 characters, an unknown `type`, a filter the type does not take, a bad id or date), `invalid_limit` or `invalid_cursor`"),
        (status = 401, description = "`authentication_required`: people and messages need a signed-in person"),
        (status = 429, description = "`rate_limited`: over 60 searches at once, then one a second (signed out: 120 per address, then two a second)"),
        (status = 503, description = "`search_unavailable`: Meilisearch (when in use) cannot be reached"),
    ),
    security((), ("bearer" = []))
)]
#[get("/search")]
pub async fn search(
    state: web::Data<AppState>,
    viewer: MaybeAuthUser,
    client_ip: ClientIp,
    params: web::Query<SearchParams>,
) -> Result<web::Json<Page<SearchHit>>, ApiError> {
    let search = Search::parse(params.into_inner())?;
    let viewer = viewer.0.map(|auth: AuthUser| auth.user.id);
    if viewer.is_none() && matches!(search.kind, Kind::People | Kind::Messages) {
        return Err(ApiError::unauthorized(
            ErrorCode::AuthenticationRequired,
            "Sign in to search people and messages.",
        ));
    }
    match viewer {
        Some(viewer) => state
            .rate_limits
            .user_action(viewer, UserAction::DirectorySearch)?,
        None => state.rate_limits.anonymous_search(client_ip.0)?,
    }
    let page = engine::search(&state, search, viewer).await?;
    Ok(web::Json(page))
}
