//! Serves the web app's build (`NOXCHAT_SPA_DIR`): files as they are, the
//! index for every other page (client-side routes), hashed assets cached
//! for a year, the index never cached. `/api` and `/media` are never shadowed.

use std::path::{Component, Path, PathBuf};

use actix_web::http::{Method, header};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};

use crate::error::{ApiError, ErrorCode};

#[derive(Clone, Debug)]
pub struct SpaDir(pub PathBuf);

/// The app's default service: a file of the web app, its index, or a 404
/// problem document for API paths and when no app is built.
pub async fn serve_or_not_found(req: HttpRequest, spa: Option<web::Data<SpaDir>>) -> HttpResponse {
    let path = req.path().to_owned();
    let is_page_request = matches!(*req.method(), Method::GET | Method::HEAD)
        && !path.starts_with("/api/")
        && path != "/api"
        && !path.starts_with("/media/");
    let Some(spa) = spa.filter(|_| is_page_request) else {
        return not_found(&req);
    };
    let root = spa.0.clone();
    let found = web::block(move || read_app_file(&root, &path)).await;
    match found {
        Ok(Some((bytes, content_type, immutable))) => {
            let cache = if immutable {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            };
            HttpResponse::Ok()
                .content_type(content_type)
                .insert_header((header::CACHE_CONTROL, cache))
                .body(bytes)
        }
        _ => not_found(&req),
    }
}

fn not_found(req: &HttpRequest) -> HttpResponse {
    ApiError::not_found(
        ErrorCode::RouteNotFound,
        format!("There is no {} {} here.", req.method(), req.path()),
    )
    .error_response()
}

/// The file for `path` under `root`, or the index when there is no such
/// file; `None` when there is no index either (no app built).
fn read_app_file(root: &Path, path: &str) -> Option<(Vec<u8>, &'static str, bool)> {
    if let Some(file) = safe_join(root, path).filter(|file| file.is_file()) {
        let bytes = std::fs::read(&file).ok()?;
        let immutable = path.starts_with("/assets/");
        return Some((bytes, content_type(&file), immutable));
    }
    // A missing file (say an old hashed chunk after a deploy) is a 404, not a page.
    if Path::new(path).extension().is_some() {
        return None;
    }
    let index = root.join("index.html");
    let bytes = std::fs::read(index).ok()?;
    Some((bytes, "text/html; charset=utf-8", false))
}

/// Joins a URL path under `root`, refusing anything that would leave it.
fn safe_join(root: &Path, path: &str) -> Option<PathBuf> {
    let relative = Path::new(path.trim_start_matches('/'));
    if relative.as_os_str().is_empty() {
        return None;
    }
    let mut joined = root.to_path_buf();
    for component in relative.components() {
        match component {
            Component::Normal(part) => joined.push(part),
            _ => return None,
        }
    }
    Some(joined)
}

fn content_type(file: &Path) -> &'static str {
    match file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_app_folder() {
        let root = Path::new("/srv/app");
        assert_eq!(
            safe_join(root, "/assets/a.js"),
            Some(PathBuf::from("/srv/app/assets/a.js"))
        );
        assert_eq!(safe_join(root, "/../etc/passwd"), None);
        assert_eq!(safe_join(root, "/assets/../../x"), None);
        assert_eq!(safe_join(root, "/"), None);
    }
}
