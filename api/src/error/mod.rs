//! `ApiError`: the one error type handlers return, rendered once as an
//! RFC 9457 `application/problem+json` document.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::Duration;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

mod codes;
mod fields;

pub use codes::ErrorCode;
pub use fields::{FieldError, FieldErrors, FieldIssue};

/// "error: its cause: the cause's cause", so a log line names the real
/// reason and not only "Something went wrong".
pub fn with_causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:noxchat:problem:validation_failed",
    "title": "Unprocessable Content",
    "status": 422,
    "detail": "Some fields are invalid.",
    "code": "validation_failed",
    "errors": {"handle": ["must be 3 to 32 characters of a-z, 0-9 and _"]},
    "error_codes": {"handle": ["invalid_handle"]}
}))]
pub struct Problem {
    /// `urn:noxchat:problem:<code>`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// The HTTP status text.
    pub title: String,
    pub status: u16,
    /// What went wrong, for a person.
    pub detail: String,
    /// Stable machine-readable code, e.g. `email_taken`.
    pub code: ErrorCode,
    /// Per-field messages in English, for validation problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<BTreeMap<String, Vec<String>>>,
    /// The same problems as codes, for clients to put in their reader's
    /// language: `error_codes[field][i]` is what `errors[field][i]` says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_codes: Option<BTreeMap<String, Vec<FieldIssue>>>,
}

#[derive(Debug, thiserror::Error)]
#[error("{code}: {detail}")]
pub struct ApiError {
    status: StatusCode,
    code: ErrorCode,
    detail: Cow<'static, str>,
    field_errors: Option<FieldErrors>,
    retry_after: Option<Duration>,
    /// The cause behind a 5xx: logged, never sent.
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, detail: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status,
            code,
            detail: detail.into(),
            field_errors: None,
            retry_after: None,
            source: None,
        }
    }

    pub fn bad_request(code: ErrorCode, detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, detail)
    }

    pub fn unauthorized(code: ErrorCode, detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, detail)
    }

    pub fn forbidden(code: ErrorCode, detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, detail)
    }

    pub fn not_found(code: ErrorCode, detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, detail)
    }

    pub fn conflict(code: ErrorCode, detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::CONFLICT, code, detail)
    }

    /// 422 with messages per field.
    pub fn validation(field_errors: FieldErrors) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ValidationFailed,
            "Some fields are invalid.",
        )
        .with_field_errors(field_errors)
    }

    /// 422 for one field, e.g. `invalid_field("password", FieldIssue::Incorrect)`.
    pub fn invalid_field(field: &str, issue: impl Into<FieldError>) -> Self {
        Self::validation(FieldErrors::new()).on_field(field, issue)
    }

    pub fn too_many_requests(retry_after: Duration) -> Self {
        let mut error = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            "Too many attempts; try again later.",
        );
        error.retry_after = Some(retry_after);
        error
    }

    /// Tells the client when trying again makes sense.
    pub fn with_retry_after(mut self, wait: Duration) -> Self {
        self.retry_after = Some(wait);
        self
    }

    pub fn unavailable(detail: impl Into<Cow<'static, str>>) -> Self {
        let mut error = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Unavailable,
            detail,
        );
        error.retry_after = Some(Duration::from_secs(1));
        error
    }

    /// Something the server relies on (not the database) is away.
    pub fn service_unavailable(code: ErrorCode, detail: impl Into<Cow<'static, str>>) -> Self {
        let mut error = Self::new(StatusCode::SERVICE_UNAVAILABLE, code, detail);
        error.retry_after = Some(Duration::from_secs(5));
        error
    }

    pub fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        let mut error = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::InternalError,
            "Something went wrong on our side. It has been logged.",
        );
        error.source = Some(cause.into());
        error
    }

    pub fn with_field_errors(mut self, field_errors: FieldErrors) -> Self {
        self.field_errors = Some(field_errors);
        self
    }

    /// Attaches one problem to one field, e.g. a 409 for a taken email.
    pub fn on_field(self, field: &str, issue: impl Into<FieldError>) -> Self {
        let mut errors = FieldErrors::new();
        errors.insert(field.to_owned(), vec![issue.into()]);
        self.with_field_errors(errors)
    }

    /// Keeps the status and fields but names the problem more precisely.
    pub fn with_code(mut self, code: ErrorCode) -> Self {
        self.code = code;
        self
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    pub fn problem(&self) -> Problem {
        Problem {
            problem_type: format!("urn:noxchat:problem:{}", self.code),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.to_string(),
            code: self.code,
            errors: self.field_errors.as_ref().map(|fields| {
                fields
                    .iter()
                    .map(|(field, errors)| {
                        let messages = errors.iter().map(|e| e.message.to_string()).collect();
                        (field.clone(), messages)
                    })
                    .collect()
            }),
            error_codes: self.field_errors.as_ref().map(|fields| {
                fields
                    .iter()
                    .map(|(field, errors)| {
                        (field.clone(), errors.iter().map(|e| e.issue).collect())
                    })
                    .collect()
            }),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.content_type("application/problem+json");
        if let Some(wait) = self.retry_after {
            // Round up: "0" would invite an immediate retry that fails again.
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            response.insert_header((header::RETRY_AFTER, seconds.max(1).to_string()));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(self.problem())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        // PostgreSQL text cannot hold NUL (SQLSTATE 22021): that is bad input, not our failure.
        if let diesel::result::Error::DatabaseError(_, info) = &error
            && info.message().contains("invalid byte sequence")
        {
            return Self::bad_request(
                ErrorCode::InvalidText,
                "Text must not contain NUL characters.",
            );
        }
        // The database went away mid-request (a restart, a failover): the
        // pool replaces the connection, and the client may try again.
        if let diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::ClosedConnection,
            info,
        ) = &error
        {
            tracing::warn!(error = %info.message(), "the database connection was lost");
            return Self::unavailable("The database is unavailable; try again in a moment.");
        }
        // Two transactions waited on each other (SQLSTATE 40P01) or could
        // not be serialised (40001): PostgreSQL rolled this one back whole,
        // so trying again is safe. Logged, since the lock order should
        // make it rare.
        if let diesel::result::Error::DatabaseError(kind, info) = &error
            && (matches!(
                kind,
                diesel::result::DatabaseErrorKind::SerializationFailure
            ) || info.message().contains("deadlock detected"))
        {
            tracing::warn!(error = %info.message(), "a transaction was rolled back by a lock conflict");
            return Self::unavailable("The server was busy with the same data; try again.")
                .with_retry_after(std::time::Duration::from_secs(1));
        }
        Self::internal(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_has_type_title_status_and_code() {
        let problem =
            ApiError::conflict(ErrorCode::EmailTaken, "That email is already registered.")
                .on_field("email", FieldIssue::AlreadyRegistered)
                .problem();
        assert_eq!(problem.problem_type, "urn:noxchat:problem:email_taken");
        assert_eq!(problem.title, "Conflict");
        assert_eq!(problem.status, 409);
        assert_eq!(
            problem.errors.expect("errors")["email"],
            ["is already registered"]
        );
        assert_eq!(
            problem.error_codes.expect("codes")["email"],
            [FieldIssue::AlreadyRegistered]
        );
    }

    #[test]
    fn internal_errors_do_not_reveal_their_cause() {
        let error = ApiError::internal("password=hunter2 connection refused");
        let body = serde_json::to_string(&error.problem()).expect("serialises");
        assert!(!body.contains("hunter2"));
        assert_eq!(error.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn retry_after_is_rounded_up_to_whole_seconds() {
        let error = ApiError::too_many_requests(Duration::from_millis(1500));
        let response = error.error_response();
        assert_eq!(
            response.headers().get(header::RETRY_AFTER).expect("header"),
            "2"
        );
    }
}
