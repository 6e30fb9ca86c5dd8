//! One log line per request (method, route, status, latency, request id) and
//! an `X-Request-Id` on every response. 5xx causes are logged here, once.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use tracing::Instrument;

use crate::error::ApiError;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the request being served, also in every log line of its span.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

pub async fn log_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let request_id = incoming_request_id(&req).unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let method = req.method().clone();
    let span = tracing::info_span!(
        "request",
        request.id = %request_id,
        http.method = %method,
        user.id = tracing::field::Empty,
    );
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let started = Instant::now();

    // Handler and extractor errors arrive here as responses; an `Err` only
    // comes from a middleware, and actix renders it after we return.
    let mut response = match next.call(req).instrument(span.clone()).await {
        Ok(response) => response.map_into_boxed_body(),
        Err(error) => {
            span.in_scope(|| tracing::error!(error = %error, "request failed in middleware"));
            return Err(error);
        }
    };

    let status = response.status();
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "(unmatched)".to_owned());
    let took = started.elapsed();
    crate::metrics::record_request(&route, method.as_str(), status.as_u16(), took);
    let latency_ms = took.as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if status.is_server_error() {
            let cause = response.response().error().map(describe_cause);
            tracing::error!(
                http.route = %route,
                http.status = status.as_u16(),
                latency_ms,
                error.cause = cause.as_deref().unwrap_or("(none)"),
                "request failed"
            );
        } else {
            tracing::info!(
                http.route = %route,
                http.status = status.as_u16(),
                latency_ms,
                "request finished"
            );
        }
    });
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    Ok(response)
}

/// Keeps the id a proxy (nginx's `$request_id`) already gave the request, if sane.
fn incoming_request_id(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get(REQUEST_ID_HEADER)?.to_str().ok()?;
    let sane = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    sane.then(|| value.to_owned())
}

/// The whole error chain, so the log says why a 5xx happened.
fn describe_cause(error: &Error) -> String {
    let mut text = match error.as_error::<ApiError>() {
        Some(api_error) => crate::error::with_causes(api_error),
        None => error.to_string(),
    };
    text.truncate(2000);
    text
}
