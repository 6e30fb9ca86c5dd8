//! Bans: an admin bans a person until a date or for good, with a reason
//! shown to them; their sessions end, and signed in again they can read
//! but not post, like, report, message or upload (`policy::refuse_banned`).

use actix_web::{HttpResponse, delete, get, put, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::queries::revoke_sessions_except;
use crate::core::list::{ListParams, ListQuery, Page};
use crate::core::users::{self, User};
use crate::core::{AuthUser, UserId, UserSummary};
use crate::db;
use crate::db::schema::{bans, users as users_table};
use crate::error::{ApiError, ErrorCode, FieldIssue};
use crate::moderation::{self, ModeratorAction, Reason, ReasonParams};
use crate::policy::{self, RoleDenial};
use crate::state::AppState;

const BANS: &str = "bans";

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BanRequest {
    /// Shown to the banned person.
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
    /// When it ends; omitted or null: for good.
    pub until: Option<DateTime<Utc>>,
}

/// A ban in force.
#[derive(Serialize, ToSchema)]
pub struct Ban {
    pub user: UserSummary,
    /// Null: for good.
    pub until: Option<DateTime<Utc>>,
    pub reason: String,
    pub banned_by: Option<UserSummary>,
    pub created_at: DateTime<Utc>,
}

/// Bans someone (admins): their sessions end at once. Banning again
/// replaces the ban.
#[utoipa::path(
    tag = "moderation",
    params(("handle" = String, Path, description = "Any letter case")),
    request_body = BanRequest,
    responses(
        (status = 200, body = Ban),
        (status = 403, description = "`not_allowed`: admins only"),
        (status = 404, description = "`user_not_found`"),
        (status = 409, description = "`role_is_admin`: admins are not banned"),
        (status = 422, description = "`reason` missing or too long, or `until` not in the future"),
    ),
    security(("bearer" = []))
)]
#[put("/bans/{handle}")]
pub async fn ban_user(
    state: web::Data<AppState>,
    auth: AuthUser,
    handle: web::Path<String>,
    body: web::Json<BanRequest>,
) -> Result<web::Json<Ban>, ApiError> {
    policy::may_ban(auth.user.role).map_err(denied)?;
    let now = Utc::now();
    let reason = Reason::required(&body.reason, "reason")?;
    let until = body.until;
    if until.is_some_and(|until| until <= now) {
        return Err(ApiError::invalid_field("until", FieldIssue::NotInFuture));
    }
    let admin = UserSummary::from(&auth.user);
    let admin_id = auth.user.id;
    let ban = db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let target = users::find_by_handle(conn, &handle)?.ok_or_else(user_not_found)?;
            policy::may_change_role_of(target.role).map_err(denied)?;
            diesel::insert_into(bans::table)
                .values((
                    bans::user_id.eq(target.id),
                    bans::until.eq(until),
                    bans::reason.eq(&reason),
                    bans::banned_by.eq(admin_id),
                    bans::created_at.eq(now),
                ))
                .on_conflict(bans::user_id)
                .do_update()
                .set((
                    bans::until.eq(until),
                    bans::reason.eq(&reason),
                    bans::banned_by.eq(admin_id),
                    bans::created_at.eq(now),
                ))
                .execute(conn)?;
            revoke_sessions_except(conn, target.id, None)?;
            log(
                conn,
                admin_id,
                ModeratorAction::UserBanned,
                &target,
                Some(&reason),
                now,
            )?;
            Ok::<_, ApiError>(Ban {
                user: UserSummary::from(&target),
                until,
                reason: reason.clone(),
                banned_by: Some(admin),
                created_at: now,
            })
        })
    })
    .await?;
    Ok(web::Json(ban))
}

/// Lifts someone's ban (admins).
#[utoipa::path(
    tag = "moderation",
    params(("handle" = String, Path, description = "Any letter case"), ReasonParams),
    responses(
        (status = 204, description = "No longer banned"),
        (status = 403, description = "`not_allowed`: admins only"),
        (status = 404, description = "`user_not_found` or `not_banned`"),
    ),
    security(("bearer" = []))
)]
#[delete("/bans/{handle}")]
pub async fn unban_user(
    state: web::Data<AppState>,
    auth: AuthUser,
    handle: web::Path<String>,
    reason: Reason,
) -> Result<HttpResponse, ApiError> {
    policy::may_ban(auth.user.role).map_err(denied)?;
    let admin = auth.user.id;
    db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let target = users::find_by_handle(conn, &handle)?.ok_or_else(user_not_found)?;
            let lifted = diesel::delete(bans::table.find(target.id)).execute(conn)?;
            if lifted == 0 {
                return Err(ApiError::not_found(
                    ErrorCode::NotBanned,
                    "This person is not banned.",
                ));
            }
            log(
                conn,
                admin,
                ModeratorAction::UserUnbanned,
                &target,
                reason.as_deref(),
                Utc::now(),
            )?;
            Ok(())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

type BanKey = (DateTime<Utc>, UserId);

/// The banned person, until, reason, by whom, since.
type BanRow = (
    User,
    Option<DateTime<Utc>>,
    String,
    Option<UserId>,
    DateTime<Utc>,
);

/// The bans in force, the latest first (moderators and admins).
#[utoipa::path(
    tag = "moderation",
    params(ListParams),
    responses(
        (status = 200, body = Page<Ban>),
        (status = 400, description = "`invalid_cursor` or `invalid_limit`"),
        (status = 403, description = "`not_allowed`: moderators only"),
    ),
    security(("bearer" = []))
)]
#[get("/bans")]
pub async fn list_bans(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: ListQuery,
) -> Result<web::Json<Page<Ban>>, ApiError> {
    if !matches!(
        auth.user.role,
        crate::core::Role::Moderator | crate::core::Role::Admin
    ) {
        return Err(ApiError::forbidden(
            ErrorCode::NotAllowed,
            "Only moderators see the bans.",
        ));
    }
    let after: Option<BanKey> = query.after(BANS)?;
    let limit = query.fetch_limit();
    let rows = db::run(&state.pool, move |conn| {
        let now = Utc::now();
        let mut found = bans::table
            .inner_join(users_table::table.on(users_table::id.eq(bans::user_id)))
            .filter(bans::until.is_null().or(bans::until.gt(now)))
            .order((bans::created_at.desc(), bans::user_id.desc()))
            .select((
                User::as_select(),
                bans::until,
                bans::reason,
                bans::banned_by,
                bans::created_at,
            ))
            .limit(limit)
            .into_boxed();
        if let Some((at, user)) = after {
            found = found.filter(
                bans::created_at
                    .lt(at)
                    .or(bans::created_at.eq(at).and(bans::user_id.lt(user))),
            );
        }
        let rows: Vec<BanRow> = found.load(conn)?;
        let admins: Vec<UserId> = rows.iter().filter_map(|row| row.3).collect();
        let admins: Vec<User> = users_table::table
            .filter(users_table::id.eq_any(&admins))
            .select(User::as_select())
            .load(conn)?;
        let bans: Vec<Ban> = rows
            .into_iter()
            .map(|(user, until, reason, banned_by, created_at)| Ban {
                user: UserSummary::from(&user),
                until,
                reason,
                banned_by: banned_by
                    .and_then(|id| admins.iter().find(|admin| admin.id == id))
                    .map(UserSummary::from),
                created_at,
            })
            .collect();
        Ok(bans)
    })
    .await?;
    Ok(web::Json(
        query.page(BANS, rows, |ban| (ban.created_at, ban.user.id)),
    ))
}

fn log(
    conn: &mut PgConnection,
    admin: UserId,
    action: ModeratorAction,
    target: &User,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let entry = moderation::Entry {
        moderator: admin,
        action,
        target_user: Some(target.id),
        topic: None,
        post: None,
        reason,
    };
    moderation::record(conn, &entry, now)
}

fn user_not_found() -> ApiError {
    ApiError::not_found(
        ErrorCode::UserNotFound,
        "There is no user with this handle.",
    )
}

fn denied(denial: RoleDenial) -> ApiError {
    match denial {
        RoleDenial::NotAdmin => {
            ApiError::forbidden(ErrorCode::NotAllowed, "Only admins ban people.")
        }
        RoleDenial::TargetIsAdmin => ApiError::conflict(
            ErrorCode::RoleIsAdmin,
            "Admins are not banned; an operator changes their role on the command line.",
        ),
    }
}
