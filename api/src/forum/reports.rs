//! Reports: anyone signed in reports a post once, with a reason; moderators
//! work through the open ones and resolve (acted on) or dismiss them.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::Post;
use super::errors::{denied, post_not_found};
use super::posts::queries as posts;
use crate::core::list::{ListParams, ListQuery, Page};
use crate::core::text_enum::text_enum;
use crate::core::users::summaries;
use crate::core::{AuthUser, PostId, UserId, UserSummary};
use crate::db;
use crate::db::schema::reports;
use crate::error::{ApiError, ErrorCode};
use crate::moderation::{self, ModeratorAction, Reason};
use crate::policy::forum::{Actor, ForumDenial};
use crate::state::AppState;

text_enum! {
    /// Where a report stands.
    pub enum ReportStatus {
        /// Waiting for a moderator.
        Open = "open",
        /// A moderator acted on it.
        Resolved = "resolved",
        /// A moderator found nothing wrong.
        Dismissed = "dismissed",
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// A report, as moderators read it.
#[derive(Serialize, ToSchema)]
pub struct Report {
    pub id: uuid::Uuid,
    /// The post as moderators read it (deleted ones included).
    pub post: Post,
    pub reporter: Option<UserSummary>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub status: ReportStatus,
    pub handled_by: Option<UserSummary>,
    pub handled_at: Option<DateTime<Utc>>,
}

/// Which reports to list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportFilter {
    /// `open` (the default, oldest first), `resolved` or `dismissed` (newest first).
    #[param(inline)]
    pub status: Option<ReportStatus>,
}

/// Reports a post to the moderators, once per person.
#[utoipa::path(
    tag = "moderation",
    params(("id" = PostId, Path)),
    request_body = ReportRequest,
    responses(
        (status = 204, description = "Reported"),
        (status = 403, description = "`not_allowed` (one's own post) or `banned`"),
        (status = 404, description = "`post_not_found`"),
        (status = 409, description = "`already_reported` or `post_deleted`"),
        (status = 422, description = "`reason` missing or too long"),
    ),
    security(("bearer" = []))
)]
#[post("/posts/{id}/report")]
pub async fn report_post(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<PostId>,
    body: web::Json<ReportRequest>,
) -> Result<HttpResponse, ApiError> {
    let reason = Reason::required(&body.reason, "reason")?;
    let (reporter, id) = (auth.user.id, id.into_inner());
    db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let now = Utc::now();
            crate::policy::refuse_banned(conn, reporter, now)?;
            let locked = posts::lock(conn, id)?.ok_or_else(post_not_found)?;
            if locked.post.author_id == Some(reporter) {
                return Err(denied(ForumDenial::NotAllowed));
            }
            if locked.post.deleted_at.is_some() {
                return Err(denied(ForumDenial::PostDeleted));
            }
            let made = diesel::insert_into(reports::table)
                .values((
                    reports::id.eq(uuid::Uuid::now_v7()),
                    reports::post_id.eq(id),
                    reports::reporter_id.eq(reporter),
                    reports::reason.eq(&reason),
                    reports::created_at.eq(now),
                ))
                .on_conflict_do_nothing()
                .execute(conn)?;
            if made == 0 {
                return Err(ApiError::conflict(
                    ErrorCode::AlreadyReported,
                    "You have reported this post already.",
                ));
            }
            Ok(())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

type ReportRow = (
    uuid::Uuid,
    PostId,
    UserId,
    String,
    DateTime<Utc>,
    ReportStatus,
    Option<UserId>,
    Option<DateTime<Utc>>,
);

type ReportKey = (DateTime<Utc>, uuid::Uuid);

/// Reports by status (moderators): the open ones oldest first, so the
/// longest waiting come first; handled ones newest first.
#[utoipa::path(
    tag = "moderation",
    params(ReportFilter, ListParams),
    responses(
        (status = 200, body = Page<Report>),
        (status = 400, description = "`invalid_cursor` or `invalid_limit`"),
        (status = 403, description = "`not_allowed`: moderators only"),
    ),
    security(("bearer" = []))
)]
#[get("/reports")]
pub async fn list_reports(
    state: web::Data<AppState>,
    auth: AuthUser,
    filter: web::Query<ReportFilter>,
    query: ListQuery,
) -> Result<web::Json<Page<Report>>, ApiError> {
    let actor = Actor::of(&auth);
    if !actor.moderates() {
        return Err(denied(ForumDenial::NotAllowed));
    }
    let status = filter.status.unwrap_or(ReportStatus::Open);
    let list_name = format!("reports:{status}");
    let after: Option<ReportKey> = query.after(&list_name)?;
    let limit = query.fetch_limit();
    let items = db::run(&state.pool, move |conn| {
        let mut found = reports::table
            .filter(reports::status.eq(status.as_str()))
            .select((
                reports::id,
                reports::post_id,
                reports::reporter_id,
                reports::reason,
                reports::created_at,
                reports::status,
                reports::handled_by,
                reports::handled_at,
            ))
            .limit(limit)
            .into_boxed();
        found = if status == ReportStatus::Open {
            let found = found.order((reports::created_at.asc(), reports::id.asc()));
            match after {
                Some((at, id)) => found.filter(
                    reports::created_at
                        .gt(at)
                        .or(reports::created_at.eq(at).and(reports::id.gt(id))),
                ),
                None => found,
            }
        } else {
            let found = found.order((reports::created_at.desc(), reports::id.desc()));
            match after {
                Some((at, id)) => found.filter(
                    reports::created_at
                        .lt(at)
                        .or(reports::created_at.eq(at).and(reports::id.lt(id))),
                ),
                None => found,
            }
        };
        let rows: Vec<ReportRow> = found.load(conn)?;
        let people = summaries(
            conn,
            rows.iter().flat_map(|row| [Some(row.2), row.6]).flatten(),
        )?;
        let post_ids: Vec<PostId> = rows.iter().map(|row| row.1).collect();
        let reported = posts::find_many(conn, &post_ids, actor.id)?;
        let reports: Vec<Report> = rows
            .into_iter()
            .filter_map(
                |(id, post, reporter, reason, created_at, status, handled_by, handled_at)| {
                    Some(Report {
                        id,
                        post: reported.iter().find(|found| found.id == post)?.clone(),
                        reporter: people.get(&reporter).cloned(),
                        reason,
                        created_at,
                        status,
                        handled_by: handled_by.and_then(|id| people.get(&id).cloned()),
                        handled_at,
                    })
                },
            )
            .collect();
        Ok(reports)
    })
    .await?;
    Ok(web::Json(query.page(&list_name, items, |report| {
        (report.created_at, report.id)
    })))
}

macro_rules! handle_report {
    ($(#[$doc:meta])* $name:ident, $path:literal, $status:expr, $action:expr) => {
        $(#[$doc])*
        #[utoipa::path(
            tag = "moderation",
            params(("id" = uuid::Uuid, Path), crate::moderation::ReasonParams),
            responses(
                (status = 204, description = "Handled"),
                (status = 403, description = "`not_allowed`: moderators only"),
                (status = 404, description = "`report_not_found`"),
                (status = 409, description = "`report_already_handled`"),
            ),
            security(("bearer" = []))
        )]
        #[post($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            auth: AuthUser,
            id: web::Path<uuid::Uuid>,
            reason: Reason,
        ) -> Result<HttpResponse, ApiError> {
            settle(&state, Actor::of(&auth), id.into_inner(), $status, $action, reason).await
        }
    };
}

handle_report!(
    /// Marks a report acted on (moderators).
    resolve_report, "/reports/{id}/resolve", ReportStatus::Resolved,
    ModeratorAction::ReportResolved
);
handle_report!(
    /// Dismisses a report: nothing wrong (moderators).
    dismiss_report, "/reports/{id}/dismiss", ReportStatus::Dismissed,
    ModeratorAction::ReportDismissed
);

async fn settle(
    state: &AppState,
    actor: Actor,
    id: uuid::Uuid,
    status: ReportStatus,
    action: ModeratorAction,
    reason: Reason,
) -> Result<HttpResponse, ApiError> {
    if !actor.moderates() {
        return Err(denied(ForumDenial::NotAllowed));
    }
    db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            crate::policy::refuse_banned(conn, actor.id, Utc::now())?;
            let (current, post): (ReportStatus, PostId) = reports::table
                .find(id)
                .select((reports::status, reports::post_id))
                .for_update()
                .first(conn)
                .optional()?
                .ok_or_else(|| {
                    ApiError::not_found(ErrorCode::ReportNotFound, "There is no such report.")
                })?;
            if current != ReportStatus::Open {
                return Err(ApiError::conflict(
                    ErrorCode::ReportAlreadyHandled,
                    "This report has been handled already.",
                ));
            }
            let now = Utc::now();
            diesel::update(reports::table.find(id))
                .set((
                    reports::status.eq(status.as_str()),
                    reports::handled_by.eq(actor.id),
                    reports::handled_at.eq(now),
                ))
                .execute(conn)?;
            let locked = posts::lock(conn, post)?.ok_or_else(post_not_found)?;
            let entry = moderation::Entry {
                moderator: actor.id,
                action,
                target_user: locked.post.author_id,
                topic: Some((locked.post.topic_id, locked.topic_title.as_str())),
                post: Some(post),
                reason: reason.as_deref(),
            };
            moderation::record(conn, &entry, now)?;
            Ok(())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
