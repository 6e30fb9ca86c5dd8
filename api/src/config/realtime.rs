//! The WebSocket gateway's and presence's timings.

use std::time::Duration;

use super::ConfigError;
use super::values::parse_number;

/// The WebSocket gateway's timings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RealtimeSettings {
    /// The first frame must authenticate within this.
    pub authentication_timeout: Duration,
    /// The server pings this often.
    pub heartbeat_interval: Duration,
    /// A client heard nothing from for this long is closed (4005).
    pub heartbeat_timeout: Duration,
    /// A client that has not taken a frame for this long is too slow (4008).
    pub send_timeout: Duration,
    /// A person stays online this long after their last connection closed.
    pub presence_grace: Duration,
}

impl RealtimeSettings {
    pub(super) fn from_lookup(
        lookup: &impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let millis = |variable, default, floor: u64| {
            parse_number(lookup, variable, default)
                .map(|ms: u64| Duration::from_millis(ms.max(floor)))
        };
        Ok(Self {
            authentication_timeout: Duration::from_secs(5),
            heartbeat_interval: millis("NOXCHAT_REALTIME_PING_MS", 20_000, 100)?,
            heartbeat_timeout: millis("NOXCHAT_REALTIME_TIMEOUT_MS", 60_000, 200)?,
            send_timeout: millis("NOXCHAT_REALTIME_SEND_TIMEOUT_MS", 10_000, 100)?,
            presence_grace: millis("NOXCHAT_PRESENCE_GRACE_MS", 5_000, 0)?,
        })
    }
}
