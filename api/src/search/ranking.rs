//! Where a page of ranked results stopped: exact matches first, then by
//! score, then by id; every engine pages by this key.

use serde::{Deserialize, Serialize};

/// The last hit of a page, as its cursor carries it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankKey {
    /// 0: every word matched as typed; 1: only with a correction.
    #[serde(rename = "m")]
    pub miss: i32,
    #[serde(rename = "s")]
    pub score: f64,
    #[serde(rename = "i")]
    pub id: uuid::Uuid,
}
