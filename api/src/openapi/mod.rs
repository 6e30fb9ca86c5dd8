//! The OpenAPI document. Paths are collected from the same `.service(...)`
//! calls that register the routes, so the spec cannot miss an endpoint, and
//! `complete` adds what each operation's shape implies.

pub mod asyncapi;
mod complete;

use actix_web::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::{AppExt, UtoipaApp};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "NoxChat API",
        description = "A forum and a messenger in one. JSON over HTTP under `/api/v1`; every error is an RFC 9457 `application/problem+json` document with a stable `code`. Authenticate with `Authorization: Bearer <access_token>` from `/api/v1/auth/login`. Live events and presence come over the WebSocket at `/api/v1/realtime`, described by the AsyncAPI 3 document at [/api/asyncapi.json](/api/asyncapi.json).",
        license(name = "AGPL-3.0-or-later"),
    ),
    modifiers(&BearerAuth),
    components(schemas(crate::error::Problem)),
    tags(
        (name = "accounts", description = "Registration, sign-in sessions, email verification and password recovery"),
        (name = "people", description = "Profiles, avatars, account deletion and the user directory"),
        (name = "friends", description = "Friend requests and friendships"),
        (name = "blocks", description = "Blocking users"),
        (name = "media", description = "Avatar images"),
        (name = "forum", description = "Categories, topics, posts, likes, read positions and watching. Reading needs no account"),
        (name = "chat", description = "The messenger: direct conversations and rooms, messages, read marks and muting; every change also arrives live"),
        (name = "search", description = "One search for topics, posts, people and my messages: Russian and English, stemmed, typo-tolerant, best first, with highlights"),
        (name = "notifications", description = "My inbox: replies, quotes, mentions, likes, friend requests and moderators' actions; each also arrives live"),
        (name = "moderation", description = "Reports, bans and the moderation log: for moderators and admins"),
        (name = "events", description = "My event log: what my devices must learn, in order, to catch up after being away"),
        (name = "realtime", description = "The live WebSocket: my events as they happen, and presence. Its frames, error codes and close codes are described by the AsyncAPI 3 document at `/api/asyncapi.json`"),
        (name = "operations", description = "Health probes"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "Access token from `/api/v1/auth/login` or `/api/v1/auth/refresh`",
                    ))
                    .build(),
            ),
        );
    }
}

/// Registers every API route on `app` and records it in the spec.
pub fn with_api_routes<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Error = actix_web::Error,
            InitError = (),
        >,
{
    app.openapi(ApiDoc::openapi())
        .service(crate::health::healthz)
        .service(crate::health::readyz)
        .configure(crate::media::file_routes)
        .service(
            utoipa_actix_web::scope("/api/v1")
                .configure(crate::accounts::routes)
                .configure(crate::people::routes)
                .configure(crate::media::routes)
                .configure(crate::friends::routes)
                .configure(crate::forum::routes)
                .configure(crate::chat::routes)
                .configure(crate::search::routes)
                .configure(crate::notifications::handlers::endpoints)
                .configure(crate::moderation::handlers::endpoints)
                .configure(crate::events::handlers::endpoints)
                .configure(crate::realtime::handlers::endpoints),
        )
}

/// The complete spec, as served at `/api/openapi.json` and committed in `openapi/`.
pub fn spec() -> utoipa::openapi::OpenApi {
    finish(
        with_api_routes(App::new().into_utoipa_app())
            .split_for_parts()
            .1,
    )
}

/// Applies [`complete::complete`] to the routes' document.
pub fn finish(generated: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let mut value = serde_json::to_value(&generated).expect("the OpenAPI document serialises");
    complete::complete(&mut value);
    serde_json::from_value(value).expect("the completed document is still OpenAPI")
}

pub fn spec_json() -> String {
    let mut json = spec()
        .to_pretty_json()
        .expect("the OpenAPI document serialises");
    json.push('\n');
    json
}
