//! Stopping on SIGTERM and SIGINT.

use tokio::signal::unix::{Signal, SignalKind, signal};

/// SIGTERM and SIGINT, listened for from before the server accepts its
/// first connection: a signal that came earlier would kill the process
/// without the graceful stop.
pub(super) struct StopSignals(Option<(Signal, Signal)>);

impl StopSignals {
    pub(super) fn listen() -> Self {
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(terminate), Ok(interrupt)) => Self(Some((terminate, interrupt))),
            _ => {
                tracing::warn!("cannot listen for stop signals; stop the server by killing it");
                Self(None)
            }
        }
    }

    pub(super) async fn received(self) {
        match self.0 {
            Some((mut terminate, mut interrupt)) => {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = interrupt.recv() => {}
                }
            }
            None => std::future::pending().await,
        }
    }
}
