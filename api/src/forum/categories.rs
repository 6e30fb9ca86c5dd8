//! Categories: anyone reads them; admins create, edit, reorder and delete
//! (only when empty).

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::domain::{Description, Slug};
use super::queries::{self, CategoryChanges, CategoryRow, CategoryWriteError, Deleted};
use crate::core::list::Page;
use crate::core::validation::{DisplayName, FieldCheck};
use crate::core::{AuthUser, CategoryId};
use crate::db;
use crate::error::{ApiError, ErrorCode, FieldIssue};
use crate::policy::{self, RoleDenial};
use crate::state::AppState;

/// A forum category.
#[derive(Serialize, ToSchema)]
pub struct Category {
    pub id: CategoryId,
    #[schema(example = "general")]
    pub slug: String,
    #[schema(example = "Общение")]
    pub name: String,
    pub description: String,
    /// Its place in the list, from 1.
    pub position: i32,
    pub topic_count: i32,
    /// When a topic in it last had a new post; null when it has none.
    pub last_activity_at: Option<DateTime<Utc>>,
}

impl From<CategoryRow> for Category {
    fn from(row: CategoryRow) -> Self {
        Self {
            id: row.id,
            slug: row.slug,
            name: row.name,
            description: row.description,
            position: row.position,
            topic_count: row.topic_count,
            last_activity_at: row.last_activity_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCategoryRequest {
    /// `a-z 0-9` words joined by single hyphens, at most 50.
    #[schema(
        example = "help",
        max_length = 50,
        pattern = "^[a-z0-9]+(-[a-z0-9]+)*$"
    )]
    pub slug: String,
    #[schema(min_length = 1, max_length = 64)]
    pub name: String,
    #[schema(max_length = 500)]
    pub description: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryChangesRequest {
    #[schema(max_length = 50, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub slug: Option<String>,
    #[schema(min_length = 1, max_length = 64)]
    pub name: Option<String>,
    #[schema(max_length = 500)]
    pub description: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryOrderRequest {
    /// Every category's slug, once each, in the new order.
    pub slugs: Vec<String>,
}

/// Every category, in order, with its topic count and latest activity.
#[utoipa::path(tag = "forum", responses((status = 200, body = Page<Category>)))]
#[get("/categories")]
pub async fn list_categories(
    state: web::Data<AppState>,
) -> Result<web::Json<Page<Category>>, ApiError> {
    let rows = db::run(&state.pool, |conn| Ok(queries::list(conn)?)).await?;
    Ok(web::Json(Page {
        items: rows.into_iter().map(Category::from).collect(),
        next_cursor: None,
    }))
}

/// One category.
#[utoipa::path(
    tag = "forum",
    params(("slug" = String, Path)),
    responses((status = 200, body = Category), (status = 404, description = "`category_not_found`"))
)]
#[get("/categories/{slug}")]
pub async fn get_category(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<web::Json<Category>, ApiError> {
    let row = db::run(&state.pool, move |conn| Ok(queries::find(conn, &slug)?))
        .await?
        .ok_or_else(not_found)?;
    Ok(web::Json(row.into()))
}

/// Adds a category after the others (admins).
#[utoipa::path(
    tag = "forum",
    request_body = NewCategoryRequest,
    responses(
        (status = 201, body = Category),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "`not_allowed`: admins only"),
        (status = 409, description = "`slug_taken`"),
        (status = 422, description = "Invalid fields"),
    ),
    security(("bearer" = []))
)]
#[post("/categories")]
pub async fn create_category(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<NewCategoryRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::may_manage_categories(auth.user.role).map_err(denied)?;
    let mut check = FieldCheck::default();
    let slug = check.check("slug", Slug::parse(&body.slug));
    let name = check.check("name", DisplayName::parse(&body.name));
    let description = check.check(
        "description",
        Description::parse(body.description.as_deref().unwrap_or_default()),
    );
    check.finish().map_err(ApiError::validation)?;
    let (Some(slug), Some(name), Some(description)) = (slug, name, description) else {
        return Err(ApiError::internal("a checked field is missing"));
    };
    let row = db::run(&state.pool, move |conn| {
        queries::insert(
            conn,
            slug.as_str(),
            name.as_str(),
            description.as_str(),
            Utc::now(),
        )
        .map_err(write_error)
    })
    .await?;
    Ok(HttpResponse::Created().json(Category::from(row)))
}

/// Renames a category, or changes its slug or description (admins).
#[utoipa::path(
    tag = "forum",
    params(("slug" = String, Path)),
    request_body = CategoryChangesRequest,
    responses(
        (status = 200, body = Category),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "`not_allowed`: admins only"),
        (status = 404, description = "`category_not_found`"),
        (status = 409, description = "`slug_taken`"),
        (status = 422, description = "Invalid fields"),
    ),
    security(("bearer" = []))
)]
#[patch("/categories/{slug}")]
pub async fn update_category(
    state: web::Data<AppState>,
    auth: AuthUser,
    slug: web::Path<String>,
    body: web::Json<CategoryChangesRequest>,
) -> Result<web::Json<Category>, ApiError> {
    policy::may_manage_categories(auth.user.role).map_err(denied)?;
    let mut check = FieldCheck::default();
    let new_slug = body
        .slug
        .as_deref()
        .map(|v| check.check("slug", Slug::parse(v)));
    let name = body
        .name
        .as_deref()
        .map(|v| check.check("name", DisplayName::parse(v)));
    let description = body
        .description
        .as_deref()
        .map(|v| check.check("description", Description::parse(v)));
    check.finish().map_err(ApiError::validation)?;
    let (new_slug, name, description) = (new_slug.flatten(), name.flatten(), description.flatten());
    let slug = slug.into_inner().trim().to_ascii_lowercase();
    let row = db::run(&state.pool, move |conn| {
        let changes = CategoryChanges {
            slug: new_slug.as_ref().map(Slug::as_str),
            name: name.as_ref().map(DisplayName::as_str),
            description: description.as_ref().map(Description::as_str),
            updated_at: Utc::now(),
        };
        queries::update(conn, &slug, &changes).map_err(write_error)
    })
    .await?
    .ok_or_else(not_found)?;
    Ok(web::Json(row.into()))
}

/// Puts the categories in a new order (admins).
#[utoipa::path(
    tag = "forum",
    request_body = CategoryOrderRequest,
    responses(
        (status = 204, description = "Reordered"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "`not_allowed`: admins only"),
        (status = 422, description = "`slugs` must name every category exactly once"),
    ),
    security(("bearer" = []))
)]
#[put("/categories/order")]
pub async fn reorder_categories(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<CategoryOrderRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::may_manage_categories(auth.user.role).map_err(denied)?;
    let wanted: Vec<String> = body
        .slugs
        .iter()
        .map(|s| s.trim().to_ascii_lowercase())
        .collect();
    db::run(&state.pool, move |conn| {
        conn.build_transaction().run(|conn| {
            let mut existing: Vec<String> = queries::list(conn)?
                .into_iter()
                .map(|row| row.slug)
                .collect();
            let mut given = wanted.clone();
            existing.sort();
            given.sort();
            if existing != given {
                return Err(ApiError::invalid_field("slugs", FieldIssue::InvalidValue));
            }
            queries::reorder(conn, &wanted)?;
            Ok(())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Deletes an empty category (admins).
#[utoipa::path(
    tag = "forum",
    params(("slug" = String, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "`not_allowed`: admins only"),
        (status = 404, description = "`category_not_found`"),
        (status = 409, description = "`category_not_empty`: it still holds topics"),
    ),
    security(("bearer" = []))
)]
#[delete("/categories/{slug}")]
pub async fn delete_category(
    state: web::Data<AppState>,
    auth: AuthUser,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    policy::may_manage_categories(auth.user.role).map_err(denied)?;
    let slug = slug.into_inner().trim().to_ascii_lowercase();
    match db::run(&state.pool, move |conn| {
        Ok(queries::delete_if_empty(conn, &slug)?)
    })
    .await?
    {
        Deleted::Gone => Ok(HttpResponse::NoContent().finish()),
        Deleted::NotFound => Err(not_found()),
        Deleted::NotEmpty => Err(ApiError::conflict(
            ErrorCode::CategoryNotEmpty,
            "Only an empty category can be deleted; move or delete its topics first.",
        )),
    }
}

fn not_found() -> ApiError {
    ApiError::not_found(ErrorCode::CategoryNotFound, "There is no such category.")
}

fn write_error(error: CategoryWriteError) -> ApiError {
    match error {
        CategoryWriteError::SlugTaken => {
            ApiError::conflict(ErrorCode::SlugTaken, "Another category has this slug.")
                .on_field("slug", FieldIssue::AlreadyTaken)
        }
        CategoryWriteError::Database(error) => error.into(),
    }
}

fn denied(_: RoleDenial) -> ApiError {
    ApiError::forbidden(ErrorCode::NotAllowed, "Only admins manage categories.")
}
