//! Thin handlers: parse the request into domain types, call the queries,
//! shape the response. Their names are the OpenAPI operation ids.

pub mod me;
pub mod recovery;
pub mod registration;
pub mod sessions;

use crate::error::ApiError;

/// Turns the verdicts of `FieldCheck` into a 422, or the parsed values.
fn require<T>(value: Option<T>) -> Result<T, ApiError> {
    value.ok_or_else(|| ApiError::internal("field check passed but a value is missing"))
}
