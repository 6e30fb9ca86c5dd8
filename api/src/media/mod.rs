//! Media: avatar processing and storage, and serving stored files.

pub mod avatars;
mod initials;
mod serve;

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

pub use serve::routes;

/// Where a user's avatar can be fetched, in the two stored sizes.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AvatarUrls {
    /// 256×256.
    #[schema(example = "/media/avatars/3f9a…-256.jpg")]
    pub large: String,
    /// 64×64, for lists.
    #[schema(example = "/media/avatars/3f9a…-64.jpg")]
    pub small: String,
    /// True when no avatar was uploaded and these point at generated initials.
    pub is_default: bool,
}

impl AvatarUrls {
    pub fn of(user_id: Uuid, display_name: &str, avatar_key: Option<&str>) -> Self {
        match avatar_key {
            Some(key) => Self {
                large: format!("/media/avatars/{key}-256.jpg"),
                small: format!("/media/avatars/{key}-64.jpg"),
                is_default: false,
            },
            None => {
                let url = initials::url(user_id, display_name);
                Self {
                    large: url.clone(),
                    small: url,
                    is_default: true,
                }
            }
        }
    }
}
