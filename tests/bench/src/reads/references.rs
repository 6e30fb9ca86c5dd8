//! What each read endpoint's handler asks of the database, called in-process
//! through the server's own query functions: the database's limit for the
//! same work, with no HTTP, JSON or pool around it.

use std::sync::Arc;

use diesel::PgConnection;
use noxchat::core::list::{DEFAULT_LIMIT, ListParams, ListQuery};
use noxchat::core::{SessionId, TopicId, UserId};
use noxchat::forum::dto::ReadDirection;
use noxchat::forum::posts::queries::Stretch;
use noxchat::forum::topics::queries::Selection;

/// The queries one request of an endpoint makes; the `usize` picks which
/// of the endpoint's requests (they are made in turn).
pub type Reference = Arc<dyn Fn(&mut PgConnection, usize) -> Result<(), String> + Send + Sync>;

/// Who reads: the seeded person signed in for the section.
#[derive(Clone, Copy)]
pub struct Viewer {
    pub user: UserId,
    pub session: SessionId,
}

fn reference(
    queries: impl Fn(&mut PgConnection, usize) -> Result<(), String> + Send + Sync + 'static,
) -> Reference {
    Arc::new(queries)
}

/// What `AuthUser` asks for every request with a token (it also writes
/// `last_seen_at`, at most once a minute: left out).
fn signed_in(conn: &mut PgConnection, viewer: Viewer) -> Result<(), String> {
    noxchat::core::auth::active_session_user(conn, viewer.session, viewer.user)
        .map_err(|e| e.to_string())?
        .ok_or("the bench's session ended")?;
    Ok(())
}

/// `list_category_topics`: the category by its slug, then the first page
/// of its topics with what they refer to and the reader's positions.
pub fn category_topics(viewer: Viewer, slug: String) -> Reference {
    reference(move |conn, _| {
        signed_in(conn, viewer)?;
        let category = noxchat::forum::queries::find(conn, &slug)
            .map_err(|e| e.to_string())?
            .ok_or("the category is gone")?;
        noxchat::forum::topics::queries::list(
            conn,
            Some(category.id),
            Selection::default(),
            None,
            DEFAULT_LIMIT + 1,
            Some(viewer.user),
        )
        .map_err(|e| e.to_string())?;
        Ok(())
    })
}

/// `list_posts`: a page of a topic's posts from number `from` on, with
/// their authors, pictures and the reader's likes.
pub fn posts_from(viewer: Viewer, topic: TopicId, from: i32) -> Reference {
    reference(move |conn, _| {
        signed_in(conn, viewer)?;
        let stretch = Stretch {
            from,
            direction: ReadDirection::After,
            limit: DEFAULT_LIMIT + 1,
        };
        // A member does not read deleted posts' words (moderators do).
        noxchat::forum::posts::queries::page(conn, topic, stretch, Some(viewer.user), false)
            .map_err(|e| e.to_string())?
            .ok_or("the topic is gone")?;
        Ok(())
    })
}

/// `list_users`, and `search` for people: the directory's ranked search
/// (with its own typo corrections), the texts in turn. `search` also builds
/// a full-text query first, which a search for people never uses: not the
/// minimum, so left out.
pub fn directory(viewer: Viewer, texts: &[&str]) -> Result<Reference, String> {
    let queries = texts
        .iter()
        .map(|text| {
            ListQuery::parse(ListParams {
                q: Some((*text).to_owned()),
                cursor: None,
                limit: None,
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    Ok(reference(move |conn, turn| {
        signed_in(conn, viewer)?;
        // The error's Debug form: its Display hides a database cause.
        noxchat::core::directory::search(conn, viewer.user, &queries[turn % queries.len()])
            .map_err(|e| format!("{e:?}"))?;
        Ok(())
    }))
}
