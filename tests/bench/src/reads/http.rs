//! The section's HTTP: signing in, measured requests and JSON pages, each
//! bounded by a timeout.

use std::sync::Arc;
use std::time::Duration;

use reqwest::{RequestBuilder, Url};

use super::references::Viewer;
use crate::context::Context;

/// Any answer slower than this counts as an error, not a latency.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Signing in hashes a password: far slower than a read.
const LOGIN_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Session {
    pub token: Arc<str>,
    pub viewer: Viewer,
}

/// Signs in seeded person 1; the token's claims say which session the
/// references check.
pub async fn sign_in(ctx: &Context, base: &str) -> Result<Session, String> {
    let handle = (ctx.seed.person_handle)(1);
    eprintln!("reads: signing in as {handle}");
    let body = serde_json::json!({ "login": handle, "password": ctx.seed.password });
    let request = ctx
        .http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&body);
    let tokens = tokio::time::timeout(LOGIN_TIMEOUT, json_of(request))
        .await
        .map_err(|_| format!("no answer to signing in within {LOGIN_TIMEOUT:?}"))?
        .map_err(|e| format!("signing in as {handle}: {e}"))?;
    let token = tokens["access_token"]
        .as_str()
        .ok_or("signing in gave no access token")?;
    let claims = noxchat::core::tokens::TokenKeys::new(ctx.secret.as_bytes())
        .verify_access(token)
        .map_err(|e| format!("the access token does not verify with the bench's secret: {e}"))?;
    Ok(Session {
        token: Arc::from(token),
        viewer: Viewer {
            user: claims.sub,
            session: claims.sid,
        },
    })
}

pub fn url(base: &str, path: &str, params: &[(&str, &str)]) -> Result<Url, String> {
    let mut url = Url::parse(&format!("{base}{path}")).map_err(|e| format!("{base}{path}: {e}"))?;
    if !params.is_empty() {
        url.query_pairs_mut().extend_pairs(params);
    }
    Ok(url)
}

/// One measured request: the whole body read, anything but 2xx an error.
pub async fn fetch(http: reqwest::Client, url: Url, token: Arc<str>) -> Result<(), String> {
    let request = http.get(url).bearer_auth(&*token);
    tokio::time::timeout(REQUEST_TIMEOUT, read_whole(request))
        .await
        .map_err(|_| format!("no answer within {REQUEST_TIMEOUT:?}"))?
}

async fn read_whole(request: RequestBuilder) -> Result<(), String> {
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    response.bytes().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("answered {status}"))
    }
}

/// One page as JSON, for checking answers and walking cursors.
pub async fn get_json(
    http: &reqwest::Client,
    url: Url,
    token: &str,
) -> Result<serde_json::Value, String> {
    let shown = url.to_string();
    let request = http.get(url).bearer_auth(token);
    tokio::time::timeout(REQUEST_TIMEOUT, json_of(request))
        .await
        .map_err(|_| format!("GET {shown}: no answer within {REQUEST_TIMEOUT:?}"))?
        .map_err(|e| format!("GET {shown}: {e}"))
}

/// The JSON body of a 2xx answer; otherwise the status and the start of
/// the problem document.
async fn json_of(request: RequestBuilder) -> Result<serde_json::Value, String> {
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    if !status.is_success() {
        let text = response.text().await.unwrap_or_default();
        return Err(format!(
            "{status}: {}",
            text.chars().take(300).collect::<String>()
        ));
    }
    response
        .json::<serde_json::Value>()
        .await
        .map_err(|e| e.to_string())
}
