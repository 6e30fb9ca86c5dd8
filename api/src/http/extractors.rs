//! Problem documents for what actix's extractors reject (bad JSON, wrong
//! content type, oversized bodies, bad query or path parameters) and for
//! unknown routes, so a client never sees an HTML page or a bare status.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::StatusCode;
use actix_web::web;

use crate::error::{ApiError, ErrorCode, FieldError, FieldIssue};

/// The largest JSON body any endpoint takes: a post of 20 000 characters
/// of four bytes each, escaped, fits. Uploads have their own limits.
pub const JSON_BODY_LIMIT: usize = 256 * 1024;

pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(JSON_BODY_LIMIT)
        .error_handler(|error, _req| json_error(error).into())
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error, _req| query_error(error).into())
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|error, _req| path_error(error).into())
}

fn json_error(error: JsonPayloadError) -> ApiError {
    match error {
        JsonPayloadError::ContentType => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "The body must be JSON, sent with `Content-Type: application/json`.",
        ),
        JsonPayloadError::Overflow { limit }
        | JsonPayloadError::OverflowKnownLength { limit, .. } => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            format!("The body is larger than the {limit} bytes this endpoint accepts."),
        ),
        JsonPayloadError::Deserialize(error) if error.is_data() => {
            ApiError::validation(crate::error::FieldErrors::from([field_error_of(&error)]))
                .with_code(ErrorCode::InvalidBody)
        }
        JsonPayloadError::Deserialize(error) => ApiError::bad_request(
            ErrorCode::MalformedJson,
            format!("The body is not valid JSON: {error}."),
        ),
        other => ApiError::bad_request(
            ErrorCode::UnreadableBody,
            format!("The body could not be read: {other}."),
        ),
    }
}

/// serde names the field only for a missing one; other type errors go under `body`.
fn field_error_of(error: &serde_json::Error) -> (String, Vec<FieldError>) {
    let message = error.to_string();
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some(field) = rest.split('`').next()
    {
        return (field.to_owned(), vec![FieldIssue::Required.into()]);
    }
    let invalid = FieldError {
        issue: FieldIssue::InvalidValue,
        message: message.into(),
    };
    ("body".to_owned(), vec![invalid])
}

pub(crate) fn query_error(error: QueryPayloadError) -> ApiError {
    ApiError::bad_request(
        ErrorCode::InvalidQuery,
        format!("The query string is invalid: {error}."),
    )
}

fn path_error(error: PathError) -> ApiError {
    ApiError::not_found(ErrorCode::NotFound, format!("No such resource: {error}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::ResponseError;

    #[test]
    fn missing_field_is_reported_under_its_name() {
        let error = serde_json::from_str::<std::collections::HashMap<String, u8>>("{\"a\":\"x\"}")
            .expect_err("type error");
        assert_eq!(field_error_of(&error).0, "body");

        #[derive(Debug, serde::Deserialize)]
        struct Body {
            #[allow(dead_code)]
            email: String,
        }
        let error = serde_json::from_str::<Body>("{}").expect_err("missing field");
        assert_eq!(
            field_error_of(&error),
            ("email".to_owned(), vec![FieldIssue::Required.into()])
        );
    }

    #[test]
    fn syntax_errors_are_400_and_type_errors_422() {
        let syntax = serde_json::from_str::<serde_json::Value>("{").expect_err("syntax");
        assert_eq!(
            json_error(JsonPayloadError::Deserialize(syntax)).status_code(),
            400
        );
        let data = serde_json::from_str::<Vec<u8>>("{}").expect_err("data");
        assert_eq!(
            json_error(JsonPayloadError::Deserialize(data)).status_code(),
            422
        );
    }
}
