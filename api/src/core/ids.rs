//! Typed identifiers: every entity id is its own type, so a `TopicId` passed
//! where a `UserId` is expected does not compile. Each maps to a PostgreSQL
//! `uuid`, serialises as the bare UUID string and appears in the OpenAPI
//! document as a named `format: uuid` string.

macro_rules! entity_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        #[serde(transparent)]
        pub struct $name(uuid::Uuid);

        impl $name {
            /// A new, time-ordered id (UUID v7), so recent rows share index pages.
            pub fn generate() -> Self {
                Self(uuid::Uuid::now_v7())
            }

            pub const fn from_uuid(id: uuid::Uuid) -> Self {
                Self(id)
            }

            /// The id that no row has: a neutral bound for keyset queries.
            pub const fn nil() -> Self {
                Self(uuid::Uuid::nil())
            }

            pub const fn as_uuid(self) -> uuid::Uuid {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map(Self)
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Uuid, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <uuid::Uuid as diesel::serialize::ToSql<diesel::sql_types::Uuid, diesel::pg::Pg>>::to_sql(&self.0, out)
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Uuid, diesel::pg::Pg> for $name {
            fn from_sql(value: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                <uuid::Uuid as diesel::deserialize::FromSql<diesel::sql_types::Uuid, diesel::pg::Pg>>::from_sql(value).map(Self)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
                    .examples([serde_json::json!("0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f")])
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

entity_id!(
    /// A person's account.
    UserId
);
entity_id!(
    /// A sign-in session (one device or browser).
    SessionId
);
entity_id!(
    /// A pending friend request.
    FriendRequestId
);
entity_id!(
    /// A unit of background work.
    JobId
);
entity_id!(
    /// A forum category.
    CategoryId
);
entity_id!(
    /// A forum topic.
    TopicId
);
entity_id!(
    /// A post in a forum topic.
    PostId
);
entity_id!(
    /// An entry of a person's notification inbox.
    NotificationId
);
entity_id!(
    /// An uploaded picture.
    UploadId
);
entity_id!(
    /// A direct conversation or a room.
    ConversationId
);
entity_id!(
    /// A message in a conversation.
    MessageId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialise_as_bare_uuid_strings() {
        let id = UserId::generate();
        let json = serde_json::to_string(&id).expect("serialises");
        assert_eq!(json, format!("\"{}\"", id.as_uuid()));
        let back: UserId = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, id);
        assert!(serde_json::from_str::<UserId>("\"not-a-uuid\"").is_err());
    }
}
