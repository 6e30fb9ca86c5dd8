//! Runs a search on the engine in use and shapes its matches as hits: the
//! people it names as summaries, the marked fragments as safe HTML.

use diesel::prelude::*;

use super::domain::{Kind, Words};
use super::dto::{HitCategory, SearchHit};
use super::handlers::Search;
use super::highlight::to_html;
use super::meili::hits::{self, OffsetKey};
use super::meili::search::filter;
use super::meili::{IndexKind, Meili, MeiliError};
use super::postgres;
use super::ranking::RankKey;
use crate::core::list::{Direction, Page};
use crate::core::users::{find_by_handle, summaries};
use crate::core::{UserId, directory};
use crate::db;
use crate::error::ApiError;
use crate::error::ErrorCode;
use crate::state::AppState;

/// One page of `search`'s hits, as `viewer` may see them, from the engine
/// in use.
pub async fn search(
    state: &AppState,
    search: Search,
    viewer: Option<UserId>,
) -> Result<Page<SearchHit>, ApiError> {
    match &state.meili {
        Some(meili) => through_meili(state, meili, search, viewer).await,
        None => db::run(&state.pool, move |conn| run(conn, search, viewer)).await,
    }
}

fn unavailable(error: &MeiliError) -> ApiError {
    tracing::warn!(%error, "search is unavailable");
    ApiError::service_unavailable(
        ErrorCode::SearchUnavailable,
        "Search is unavailable for a moment; try again shortly.",
    )
}

async fn through_meili(
    state: &AppState,
    meili: &Meili,
    mut search: Search,
    viewer: Option<UserId>,
) -> Result<Page<SearchHit>, ApiError> {
    let kind = match search.kind {
        Kind::Topics => IndexKind::Topics,
        Kind::Posts => IndexKind::Posts,
        Kind::People => IndexKind::People,
        Kind::Messages => IndexKind::Messages,
    };
    let list_name = format!("{}:meili", search.list_name);
    let offset = search
        .list
        .after::<OffsetKey>(&list_name)?
        .map_or(0, |key| key.offset);
    let author = search.author.clone();
    let (author, blocked, conversations) = db::run(&state.pool, move |conn| {
        let author = match author {
            Some(handle) => Some(find_by_handle(conn, &handle)?.map(|user| user.id)),
            None => None,
        };
        let (blocked, conversations) = match viewer {
            Some(viewer) => (
                hits::blocked_either_way(conn, viewer)?,
                hits::conversations_of(conn, viewer)?,
            ),
            None => (Vec::new(), Vec::new()),
        };
        Ok((author, blocked, conversations))
    })
    .await?;
    search.filters.author = author;
    let words = search.list.q.as_deref().and_then(Words::of);
    let nothing = kind == IndexKind::Messages && conversations.is_empty();
    let (Some(words), false, false) = (words, search.filters.author == Some(None), nothing) else {
        return Ok(Page {
            items: Vec::new(),
            next_cursor: None,
        });
    };
    let filter = filter(&hits::conditions(
        kind,
        &search.filters,
        blocked,
        conversations,
    ));
    let limit = usize::try_from(search.list.limit).unwrap_or(20);
    let (ids, more) = meili
        .find(kind, words.as_slice(), &filter, offset, limit)
        .await
        .map_err(|error| unavailable(&error))?;
    let sought = words.as_slice().to_vec();
    let items = db::run(&state.pool, move |conn| {
        Ok(hits::hits(conn, kind, &ids, viewer, &sought)?)
    })
    .await?;
    let next_cursor = more.then(|| {
        let key = OffsetKey {
            offset: offset + limit,
        };
        search.list.issue_cursor(&list_name, key, Direction::After)
    });
    Ok(Page { items, next_cursor })
}

/// One page of `search`'s hits from PostgreSQL, as `viewer` may see them.
pub fn run(
    conn: &mut PgConnection,
    mut search: Search,
    viewer: Option<UserId>,
) -> Result<Page<SearchHit>, ApiError> {
    // People page by the directory's own cursor.
    let after = match search.kind {
        Kind::People => None,
        _ => search.list.after::<RankKey>(&search.list_name)?,
    };
    if let Some(handle) = &search.author {
        search.filters.author = Some(find_by_handle(conn, handle)?.map(|user| user.id));
    }
    let words = search.list.q.as_deref().and_then(Words::of);
    let (Some(words), false) = (words, search.filters.author == Some(None)) else {
        return Ok(Page {
            items: Vec::new(),
            next_cursor: None,
        });
    };
    let (list, name) = (&search.list, search.list_name.as_str());
    if search.kind == Kind::People {
        // The directory corrects typos in names itself: the text query's
        // corrections would be looked up for nothing.
        let reader = viewer.unwrap_or_else(UserId::nil);
        let page = directory::search(conn, reader, list)?;
        return Ok(page.map(|user| SearchHit::Person { user }));
    }
    let query = postgres::text_query(conn, &words)?;
    let limit = search.list.fetch_limit();
    match search.kind {
        Kind::People => unreachable!("answered above"),
        Kind::Topics => {
            let found = postgres::topics(conn, &query, &search.filters, viewer, after, limit)?;
            let people = summaries(conn, found.iter().filter_map(|hit| hit.author_id))?;
            Ok(list
                .page(name, found, |last| last.key())
                .map(|hit| SearchHit::Topic {
                    id: hit.id,
                    title_highlight: to_html(&hit.title_marked),
                    title: hit.title,
                    excerpt: to_html(&hit.excerpt_marked),
                    category: HitCategory {
                        id: hit.category_id,
                        slug: hit.category_slug,
                        name: hit.category_name,
                    },
                    author: hit.author_id.and_then(|id| people.get(&id).cloned()),
                    created_at: hit.created_at,
                    last_activity_at: hit.last_activity_at,
                    reply_count: hit.reply_count,
                }))
        }
        Kind::Posts => {
            let found = postgres::posts(conn, &query, &search.filters, viewer, after, limit)?;
            let people = summaries(conn, found.iter().filter_map(|hit| hit.author_id))?;
            Ok(list
                .page(name, found, |last| last.key())
                .map(|hit| SearchHit::Post {
                    id: hit.id,
                    topic_id: hit.topic_id,
                    topic_title: hit.topic_title,
                    number: hit.number,
                    author: hit.author_id.and_then(|id| people.get(&id).cloned()),
                    created_at: hit.created_at,
                    highlight: to_html(&hit.marked),
                }))
        }
        Kind::Messages => {
            let reader = viewer.unwrap_or_else(UserId::nil);
            let found = postgres::messages(conn, &query, &search.filters, reader, after, limit)?;
            let people = summaries(conn, found.iter().filter_map(|hit| hit.sender_id))?;
            Ok(list
                .page(name, found, |last| last.key())
                .map(|hit| SearchHit::Message {
                    conversation_id: hit.conversation_id,
                    seq: hit.seq,
                    sender: hit.sender_id.and_then(|id| people.get(&id).cloned()),
                    created_at: hit.created_at,
                    highlight: to_html(&hit.marked),
                }))
        }
    }
}
