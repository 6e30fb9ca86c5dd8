//! What every feature needs about a person and about lists, and nothing
//! else: typed ids, the user row and its wire shapes, authentication, shared
//! validation, and the list vocabulary. Features depend on this module and on
//! infrastructure, never on each other.

pub mod text_enum;

pub mod auth;
pub mod chat;
pub mod clock;
pub mod directory;
pub mod handles;
pub mod ids;
pub mod list;
pub mod passwords;
pub mod pictures;
pub mod profile;
pub mod text;
pub mod tokens;
pub mod users;
pub mod validation;
pub mod vocabulary;
pub mod work_pool;

pub use auth::{AuthUser, MaybeAuthUser};
pub use clock::Clock;
pub use ids::{
    CategoryId, ConversationId, FriendRequestId, JobId, MessageId, NotificationId, PostId,
    SessionId, TopicId, UploadId, UserId,
};
pub use profile::{
    AvatarUrls, Locale, MeResponse, MessagePrivacy, OnlineStatusVisibility, Role, UserSummary,
};
pub use users::User;
