//! Headers that tell browsers to confine what a page of ours can do: where
//! scripts, styles and connections may come from, that no other site may
//! frame us, that content types are not sniffed, that no URL of ours leaks
//! in a `Referer`, and (when the public URL is https) to stay on https.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};

use crate::state::AppState;

/// The web app: its own scripts only. Mantine sets styles from script and
/// in `style` attributes, hence `'unsafe-inline'` for styles alone.
const APP_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; \
    connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
    form-action 'self'; frame-ancestors 'none'";

/// Swagger UI draws with inline styles and `data:` images.
const DOCS_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; \
    base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// JSON and pictures are never documents that run anything.
const DATA_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

const ONE_YEAR: &str = "max-age=31536000";

pub async fn add_security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let https = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| state.config.public_url.scheme() == "https");
    let policy = policy_for(req.path());
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    set_default(headers, header::CONTENT_SECURITY_POLICY, policy);
    set_default(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(headers, header::REFERRER_POLICY, "no-referrer");
    set_default(headers, header::X_FRAME_OPTIONS, "DENY");
    if https {
        set_default(headers, header::STRICT_TRANSPORT_SECURITY, ONE_YEAR);
    }
    Ok(response)
}

fn policy_for(path: &str) -> &'static str {
    if path == "/api/docs" || path.starts_with("/api/docs/") {
        DOCS_POLICY
    } else if path.starts_with("/api/") || path.starts_with("/media/") {
        DATA_POLICY
    } else {
        APP_POLICY
    }
}

/// A handler that chose its own value keeps it.
fn set_default(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    if !headers.contains_key(&name) {
        headers.insert(name, HeaderValue::from_static(value));
    }
}
