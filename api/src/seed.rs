//! `noxchat seed`: demo accounts, so a person trying NoxChat can sign in at once.

use argon2::password_hash::PasswordHasher as _;
use diesel::prelude::*;
use uuid::Uuid;

use crate::accounts::models::NewUser;
use crate::db::schema::users;

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "nox-demo-2026";

const DEMO_PEOPLE: &[(&str, &str, &str)] = &[
    ("anna", "Анна Смирнова", "ru"),
    ("boris", "Борис Иванов", "ru"),
    ("katya", "Екатерина Волкова", "ru"),
    ("dmitry", "Дмитрий Соколов", "ru"),
    ("alice", "Alice Johnson", "en"),
    ("bob", "Bob Miller", "en"),
    ("carol", "Carol Davies", "en"),
    ("dave", "Dave Thompson", "en"),
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(
        "the database already has {0} users; run `noxchat seed --force` to add the demo accounts anyway"
    )]
    NotEmpty(i64),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("cannot connect: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("hashing: {0}")]
    Hash(String),
}

/// Adds the demo accounts that are missing; returns how many were added.
pub fn seed(database_url: &str, force: bool) -> Result<usize, SeedError> {
    let mut conn = PgConnection::establish(database_url)?;
    let existing: i64 = users::table.count().get_result(&mut conn)?;
    if existing > 0 && !force {
        return Err(SeedError::NotEmpty(existing));
    }
    let argon2 = crate::accounts::passwords::Passwords::argon2();
    conn.transaction(|conn| {
        let mut added = 0;
        for (handle, name, locale) in DEMO_PEOPLE {
            let hash = argon2
                .hash_password(DEMO_PASSWORD.as_bytes())
                .map_err(|e| SeedError::Hash(e.to_string()))?
                .to_string();
            let email = format!("{handle}@demo.noxchat.local");
            added += diesel::insert_into(users::table)
                .values((
                    NewUser {
                        id: Uuid::now_v7(),
                        email: &email,
                        handle,
                        display_name: name,
                        password_hash: &hash,
                        locale,
                    },
                    users::email_verified_at.eq(chrono::Utc::now()),
                ))
                .on_conflict_do_nothing()
                .execute(conn)?;
        }
        Ok(added)
    })
}

pub fn demo_handles() -> impl Iterator<Item = &'static str> {
    DEMO_PEOPLE.iter().map(|(handle, _, _)| *handle)
}
