//! How a person appears on the wire, in every feature: the list entry
//! (`UserSummary`), avatar URLs, the account's own view (`MeResponse`) and the
//! closed sets a profile holds (language, who may message me).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ids::UserId;
use super::text_enum::text_enum;
use super::users::User;

text_enum! {
    /// The language a user reads NoxChat (and its emails) in.
    pub enum Locale {
        En = "en",
        Ru = "ru",
    }
}

// `text_enum!` cannot take `#[default]`, so the impl is written out.
#[allow(clippy::derivable_impls)]
impl Default for Locale {
    fn default() -> Self {
        Self::En
    }
}

impl Locale {
    /// The best supported language of an `Accept-Language` header.
    pub fn from_accept_language(header: Option<&str>) -> Self {
        let Some(header) = header else {
            return Self::default();
        };
        let mut best: Option<(f32, Self)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let locale = match tag.split('-').next() {
                Some("ru") => Self::Ru,
                Some("en") => Self::En,
                _ => continue,
            };
            if best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, locale));
            }
        }
        best.map(|(_, locale)| locale).unwrap_or_default()
    }
}

text_enum! {
    /// What a person may do beyond their own things.
    pub enum Role {
        /// Writes, likes, reports: everyone.
        User = "user",
        /// Also removes and restores posts, locks, pins and moves topics,
        /// and handles reports.
        Moderator = "moderator",
        /// Also manages categories, bans people and appoints moderators.
        Admin = "admin",
    }
}

// `text_enum!` cannot take `#[default]`, so the impl is written out.
#[allow(clippy::derivable_impls)]
impl Default for Role {
    fn default() -> Self {
        Self::User
    }
}

text_enum! {
    /// Who may start a chat with me.
    pub enum MessagePrivacy {
        Everyone = "everyone",
        Friends = "friends",
        Nobody = "nobody",
    }
}

text_enum! {
    /// Who sees when I was last online (never people signed out).
    pub enum OnlineStatusVisibility {
        Everyone = "everyone",
        Friends = "friends",
        Nobody = "nobody",
    }
}

/// Where a user's avatar can be fetched, in the two stored sizes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
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
    pub fn of(user_id: UserId, display_name: &str, avatar_key: Option<&str>) -> Self {
        match avatar_key {
            Some(key) => Self {
                large: format!("/media/avatars/{key}-256.jpg"),
                small: format!("/media/avatars/{key}-64.jpg"),
                is_default: false,
            },
            None => {
                let url = initials_url(user_id, display_name);
                Self {
                    large: url.clone(),
                    small: url,
                    is_default: true,
                }
            }
        }
    }
}

/// Up to two initials: of the first two words, upper-cased.
fn initials_of(display_name: &str) -> String {
    let letters: String = display_name
        .split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        "?".to_owned()
    } else {
        letters
    }
}

/// A hue (0–359) that stays the same for a user across renames.
fn hue_of(user_id: UserId) -> u16 {
    let id = user_id.as_uuid();
    let bytes = id.as_bytes();
    let mixed = bytes.iter().fold(0u32, |acc, b| {
        acc.wrapping_mul(31).wrapping_add(u32::from(*b))
    });
    u16::try_from(mixed % 360).unwrap_or(0)
}

fn initials_url(user_id: UserId, display_name: &str) -> String {
    let initials = initials_of(display_name);
    let encoded: String = initials
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("/media/initials/{}/{encoded}.svg", hue_of(user_id))
}

/// A user as shown in lists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UserSummary {
    pub id: UserId,
    #[schema(example = "anna_k")]
    pub handle: String,
    #[schema(example = "Анна Каренина")]
    pub display_name: String,
    pub avatar: AvatarUrls,
    /// Moderators and admins show a badge by their name.
    pub role: Role,
}

impl UserSummary {
    pub fn new(
        id: UserId,
        handle: String,
        display_name: String,
        avatar_key: Option<&str>,
        role: Role,
    ) -> Self {
        let avatar = AvatarUrls::of(id, &display_name, avatar_key);
        Self {
            id,
            handle,
            display_name,
            avatar,
            role,
        }
    }
}

impl From<&User> for UserSummary {
    fn from(user: &User) -> Self {
        Self::new(
            user.id,
            user.handle.clone(),
            user.display_name.clone(),
            user.avatar_key.as_deref(),
            user.role,
        )
    }
}

/// The signed-in user's own account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MeResponse {
    pub id: UserId,
    #[schema(example = "anna_k")]
    pub handle: String,
    #[schema(example = "Анна Каренина")]
    pub display_name: String,
    #[schema(example = "anna@example.org")]
    pub email: String,
    pub email_verified: bool,
    pub locale: Locale,
    pub created_at: DateTime<Utc>,
    pub bio: String,
    pub avatar: AvatarUrls,
    /// Who may message me.
    pub message_privacy: MessagePrivacy,
    /// Who sees when I was last online.
    pub online_status_visibility: OnlineStatusVisibility,
    /// Deprecated: whether anyone may see it (`online_status_visibility` is
    /// not `nobody`).
    #[schema(deprecated)]
    pub show_online_status: bool,
    /// `user`, `moderator` or `admin`.
    #[serde(default)]
    pub role: Role,
    /// Whether I send and see read receipts in conversations.
    #[serde(default = "receipts_on")]
    pub read_receipts: bool,
}

fn receipts_on() -> bool {
    true
}

impl From<&User> for MeResponse {
    fn from(user: &User) -> Self {
        Self {
            id: user.id,
            handle: user.handle.clone(),
            display_name: user.display_name.clone(),
            email: user.email.clone(),
            email_verified: user.email_verified_at.is_some(),
            locale: user.locale,
            created_at: user.created_at,
            bio: user.bio.clone(),
            avatar: AvatarUrls::of(user.id, &user.display_name, user.avatar_key.as_deref()),
            message_privacy: user.message_privacy,
            online_status_visibility: user.online_status_visibility,
            show_online_status: user.online_status_visibility != OnlineStatusVisibility::Nobody,
            role: user.role,
            read_receipts: user.read_receipts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_follows_accept_language_quality() {
        assert_eq!(
            Locale::from_accept_language(Some("ru-RU,ru;q=0.9,en;q=0.8")),
            Locale::Ru
        );
        assert_eq!(
            Locale::from_accept_language(Some("de-DE, en;q=0.5, ru;q=0.4")),
            Locale::En
        );
        assert_eq!(Locale::from_accept_language(Some("fr")), Locale::En);
        assert_eq!(Locale::from_accept_language(None), Locale::En);
    }

    #[test]
    fn initials_take_the_first_letters_of_two_words() {
        assert_eq!(initials_of("Анна Каренина"), "АК");
        assert_eq!(initials_of("alice"), "A");
        assert_eq!(initials_of("Jean Paul Sartre"), "JP");
        assert_eq!(initials_of("!!!"), "?");
    }

    #[test]
    fn urls_are_percent_encoded_and_stable() {
        let id = UserId::nil();
        assert_eq!(
            initials_url(id, "Анна Каренина"),
            initials_url(id, "Анна Каренина")
        );
        assert!(initials_url(id, "Анна Каренина").ends_with("/%D0%90%D0%9A.svg"));
    }

    #[test]
    fn stored_values_round_trip_and_unknown_ones_are_errors() {
        for locale in Locale::ALL {
            let json = serde_json::to_string(locale).expect("serialises");
            assert_eq!(json, format!("\"{}\"", locale.as_str()));
        }
        for privacy in MessagePrivacy::ALL {
            let json = serde_json::to_string(privacy).expect("serialises");
            assert_eq!(json, format!("\"{}\"", privacy.as_str()));
        }
        assert_eq!(MessagePrivacy::Friends.as_str(), "friends");
        assert!(serde_json::from_str::<MessagePrivacy>("\"friend\"").is_err());
    }
}
