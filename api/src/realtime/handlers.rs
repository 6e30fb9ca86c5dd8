//! The gateway's one HTTP endpoint: the WebSocket upgrade.

use actix_web::{HttpRequest, HttpResponse, get, web};

use super::connection;
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

pub fn endpoints(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(connect);
}

/// Opens the real-time WebSocket.
///
/// The protocol (frames both ways, close codes, error codes) is described
/// by the AsyncAPI 3 document at `/api/asyncapi.json`. The first frame must be
/// `{"type":"authenticate","token":"<access token>"}` within 5 seconds.
#[utoipa::path(
    tag = "realtime",
    responses(
        (status = 101, description = "Switched to the WebSocket protocol"),
        (status = 400, description = "`websocket_required`: not a WebSocket upgrade request"),
    )
)]
#[get("/realtime")]
pub async fn connect(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (response, session, stream) = actix_ws::handle(&req, body).map_err(|error| {
        ApiError::bad_request(
            ErrorCode::WebsocketRequired,
            format!("This endpoint speaks WebSocket only: {error}."),
        )
    })?;
    actix_web::rt::spawn(connection::serve(state.into_inner(), session, stream));
    Ok(response)
}
