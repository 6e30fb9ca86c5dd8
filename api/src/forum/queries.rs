//! Categories in PostgreSQL.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::core::CategoryId;
use crate::db::schema::categories;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = categories)]
pub struct CategoryRow {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub position: i32,
    pub topic_count: i32,
    pub last_activity_at: Option<DateTime<Utc>>,
}

#[derive(Debug, thiserror::Error)]
pub enum CategoryWriteError {
    #[error("the slug is taken")]
    SlugTaken,
    #[error(transparent)]
    Database(#[from] DieselError),
}

fn slug_conflict(error: DieselError) -> CategoryWriteError {
    match error {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            CategoryWriteError::SlugTaken
        }
        other => CategoryWriteError::Database(other),
    }
}

/// Every category, in the admins' order.
pub fn list(conn: &mut PgConnection) -> QueryResult<Vec<CategoryRow>> {
    categories::table
        .order((categories::position, categories::id))
        .select(CategoryRow::as_select())
        .load(conn)
}

pub fn find(conn: &mut PgConnection, slug: &str) -> QueryResult<Option<CategoryRow>> {
    categories::table
        .filter(categories::slug.eq(slug.trim().to_ascii_lowercase()))
        .select(CategoryRow::as_select())
        .first(conn)
        .optional()
}

/// Adds a category after the others.
pub fn insert(
    conn: &mut PgConnection,
    slug: &str,
    name: &str,
    description: &str,
    now: DateTime<Utc>,
) -> Result<CategoryRow, CategoryWriteError> {
    conn.transaction(|conn| {
        // Two admins adding at once still get distinct places.
        diesel::sql_query("LOCK TABLE categories IN SHARE ROW EXCLUSIVE MODE").execute(conn)?;
        let last: Option<i32> = categories::table
            .select(diesel::dsl::max(categories::position))
            .first(conn)?;
        diesel::insert_into(categories::table)
            .values((
                categories::id.eq(CategoryId::generate()),
                categories::slug.eq(slug),
                categories::name.eq(name),
                categories::description.eq(description),
                categories::position.eq(last.unwrap_or(0) + 1),
                categories::created_at.eq(now),
                categories::updated_at.eq(now),
            ))
            .returning(CategoryRow::as_returning())
            .get_result(conn)
            .map_err(slug_conflict)
    })
}

#[derive(AsChangeset)]
#[diesel(table_name = categories)]
pub struct CategoryChanges<'a> {
    pub slug: Option<&'a str>,
    pub name: Option<&'a str>,
    pub description: Option<&'a str>,
    pub updated_at: DateTime<Utc>,
}

pub fn update(
    conn: &mut PgConnection,
    slug: &str,
    changes: &CategoryChanges<'_>,
) -> Result<Option<CategoryRow>, CategoryWriteError> {
    diesel::update(categories::table.filter(categories::slug.eq(slug)))
        .set(changes)
        .returning(CategoryRow::as_returning())
        .get_result(conn)
        .optional()
        .map_err(slug_conflict)
}

/// Gives each category its place in `slugs`' order.
pub fn reorder(conn: &mut PgConnection, slugs: &[String]) -> QueryResult<()> {
    for (index, slug) in slugs.iter().enumerate() {
        diesel::update(categories::table.filter(categories::slug.eq(slug)))
            .set(categories::position.eq(i32::try_from(index + 1).unwrap_or(i32::MAX)))
            .execute(conn)?;
    }
    Ok(())
}

/// What deleting found.
pub enum Deleted {
    Gone,
    NotFound,
    NotEmpty,
}

/// Deletes the category if it holds no topics.
pub fn delete_if_empty(conn: &mut PgConnection, slug: &str) -> QueryResult<Deleted> {
    conn.transaction(|conn| {
        let found: Option<i32> = categories::table
            .filter(categories::slug.eq(slug))
            .select(categories::topic_count)
            .for_update()
            .first(conn)
            .optional()?;
        Ok(match found {
            None => Deleted::NotFound,
            Some(count) if count > 0 => Deleted::NotEmpty,
            Some(_) => {
                diesel::delete(categories::table.filter(categories::slug.eq(slug)))
                    .execute(conn)?;
                Deleted::Gone
            }
        })
    })
}
