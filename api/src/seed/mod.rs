//! `noxchat seed`: a small, believable community for people trying NoxChat:
//! Russian and English speakers with bios and avatars, friendships and
//! pending friend requests, and a living forum (`forum`); or, for
//! benchmarks, a forum of any size filled in SQL (`bulk`).

use crate::core::{Locale, UserId};
use diesel::prelude::*;
use image::{DynamicImage, ImageFormat};

use crate::accounts::models::NewUser;
use crate::config::Config;
use crate::db::schema::users;
use crate::friends::queries as friends;
use crate::media::avatars::{self, AvatarStore};
use crate::media::pictures::PictureStore;

pub mod bulk;
pub mod forum;

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "nox-demo-2026";

struct Person {
    handle: &'static str,
    name: &'static str,
    locale: Locale,
    bio: &'static str,
    /// Which embedded picture the avatar is made from, if any.
    picture: Option<usize>,
}

const PEOPLE: &[Person] = &[
    Person {
        handle: "anna",
        name: "Анна Смирнова",
        locale: Locale::Ru,
        bio: "Читаю всё подряд, веду книжный клуб по четвергам.",
        picture: Some(0),
    },
    Person {
        handle: "boris",
        name: "Борис Иванов",
        locale: Locale::Ru,
        bio: "Инженер, чиню велосипеды и старые радиоприёмники.",
        picture: Some(1),
    },
    Person {
        handle: "katya",
        name: "Екатерина Волкова",
        locale: Locale::Ru,
        bio: "Фотограф. Люблю горы и плёнку.",
        picture: Some(2),
    },
    Person {
        handle: "dmitry",
        name: "Дмитрий Соколов",
        locale: Locale::Ru,
        bio: "",
        picture: None,
    },
    Person {
        handle: "olga",
        name: "Ольга Кузнецова",
        locale: Locale::Ru,
        bio: "Учу английский и учу английскому.",
        picture: Some(0),
    },
    Person {
        handle: "sergey",
        name: "Сергей Попов",
        locale: Locale::Ru,
        bio: "Играю в шахматы по переписке.",
        picture: None,
    },
    Person {
        handle: "masha",
        name: "Мария Лебедева",
        locale: Locale::Ru,
        bio: "Садовник-любитель: томаты, розы, терпение.",
        picture: Some(1),
    },
    Person {
        handle: "ivan",
        name: "Иван Морозов",
        locale: Locale::Ru,
        bio: "Пишу музыку для игр.",
        picture: Some(2),
    },
    Person {
        handle: "alice",
        name: "Alice Johnson",
        locale: Locale::En,
        bio: "Runs the weekend hiking group. Ask me about trails.",
        picture: Some(1),
    },
    Person {
        handle: "bob",
        name: "Bob Miller",
        locale: Locale::En,
        bio: "Home cook, bread baker, occasional food critic.",
        picture: Some(0),
    },
    Person {
        handle: "carol",
        name: "Carol Davies",
        locale: Locale::En,
        bio: "",
        picture: None,
    },
    Person {
        handle: "dave",
        name: "Dave Thompson",
        locale: Locale::En,
        bio: "Rust and coffee, in that order.",
        picture: Some(2),
    },
    Person {
        handle: "emma",
        name: "Emma Wilson",
        locale: Locale::En,
        bio: "Learning Russian, one song at a time.",
        picture: Some(1),
    },
    Person {
        handle: "frank",
        name: "Frank Moore",
        locale: Locale::En,
        bio: "Amateur astronomer. Clear skies!",
        picture: None,
    },
    Person {
        handle: "grace",
        name: "Grace Lee",
        locale: Locale::En,
        bio: "Board games every Friday.",
        picture: Some(0),
    },
    Person {
        handle: "henry",
        name: "Henry Clark",
        locale: Locale::En,
        bio: "Photographs trains; not sorry.",
        picture: Some(2),
    },
];

/// Friendships, by index into `PEOPLE`.
const FRIENDS: &[(usize, usize)] = &[
    (0, 1),
    (0, 2),
    (0, 4),
    (1, 3),
    (1, 5),
    (2, 6),
    (2, 7),
    (4, 6),
    (5, 7),
    (3, 7),
    (8, 9),
    (8, 11),
    (8, 12),
    (9, 10),
    (10, 13),
    (11, 14),
    (12, 15),
    (13, 14),
    (0, 12),
    (2, 15),
    (4, 12),
    (7, 11),
    (1, 8),
];

/// Pending requests (sender, recipient).
const REQUESTS: &[(usize, usize)] = &[
    (3, 0),
    (6, 0),
    (9, 0),
    (0, 8),
    (14, 2),
    (5, 11),
    (15, 6),
    (10, 4),
];

/// Small images the avatars are made from (the test fixtures), recoloured
/// per person; the forum shows them as they are.
const PICTURES: [&[u8]; 3] = [
    include_bytes!("../../../tests/fixtures/images/landscape.png"),
    include_bytes!("../../../tests/fixtures/images/alpha.png"),
    include_bytes!("../../../tests/fixtures/images/animated.gif"),
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(
        "the database already has {0} users; run `noxchat seed --force` to add the demo community anyway"
    )]
    NotEmpty(i64),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("cannot connect: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("hashing: {0}")]
    Hash(String),
    #[error("avatar: {0}")]
    Avatar(String),
    #[error("forum: {0}")]
    Forum(String),
}

pub struct SeedReport {
    pub people: usize,
    pub friendships: usize,
    pub requests: usize,
    pub forum: forum::ForumReport,
}

/// Adds the demo people that are missing, with their avatars, friendships and requests.
pub fn seed(config: &Config, force: bool) -> Result<SeedReport, SeedError> {
    let mut conn = PgConnection::establish(&config.database_url)?;
    let existing: i64 = users::table.count().get_result(&mut conn)?;
    if existing > 0 && !force {
        return Err(SeedError::NotEmpty(existing));
    }
    let store = AvatarStore::new(&config.data_dir, config.secret.expose().as_bytes());
    let pictures = PictureStore::new(&config.data_dir);
    let mut written_keys = Vec::new();
    let mut written_pictures = Vec::new();
    let result = conn.transaction(|conn| {
        let mut ids: Vec<Option<UserId>> = Vec::with_capacity(PEOPLE.len());
        for (index, person) in PEOPLE.iter().enumerate() {
            let hash = crate::core::passwords::hash_here(DEMO_PASSWORD)
                .map_err(|e| SeedError::Hash(e.to_string()))?;
            let id = UserId::generate();
            let email = format!("{}@demo.noxchat.local", person.handle);
            let inserted = diesel::insert_into(users::table)
                .values((
                    NewUser {
                        id,
                        email: &email,
                        handle: person.handle,
                        display_name: person.name,
                        password_hash: &hash,
                        locale: person.locale,
                        email_verified_at: Some(chrono::Utc::now()),
                    },
                    users::bio.eq(person.bio),
                ))
                .on_conflict_do_nothing()
                .execute(conn)?;
            if inserted == 0 {
                ids.push(None);
                continue;
            }
            if let Some(picture) = person.picture {
                let key = store_avatar(&store, id, picture, index)?;
                written_keys.push(key.clone());
                diesel::update(users::table.find(id))
                    .set(users::avatar_key.eq(key))
                    .execute(conn)?;
            }
            ids.push(Some(id));
        }
        let pair = |(a, b): &(usize, usize)| {
            Some((
                ids.get(*a).copied().flatten()?,
                ids.get(*b).copied().flatten()?,
            ))
        };
        let mut report = SeedReport {
            people: ids.iter().flatten().count(),
            friendships: 0,
            requests: 0,
            forum: forum::ForumReport {
                topics: 0,
                posts: 0,
                likes: 0,
            },
        };
        for (a, b) in FRIENDS.iter().filter_map(pair) {
            friends::befriend(conn, a, b)?;
            report.friendships += 1;
        }
        for (sender, recipient) in REQUESTS.iter().filter_map(pair) {
            friends::insert_request(conn, sender, recipient)?;
            report.requests += 1;
        }
        let people: Vec<(&str, UserId)> = users::table
            .filter(users::handle.eq_any(demo_handles()))
            .select((users::handle, users::id))
            .load::<(String, UserId)>(conn)?
            .into_iter()
            .filter_map(|(handle, id)| Some((demo_handles().find(|h| *h == handle)?, id)))
            .collect();
        report.forum = forum::seed_forum(conn, &people, &pictures, &mut written_pictures)?;
        Ok(report)
    });
    if result.is_err() {
        // Nothing half-written: the rows rolled back, so the files go too.
        for key in &written_keys {
            if let Err(error) = store.delete(key) {
                tracing::warn!(%error, "could not remove a seeded avatar's files");
            }
        }
        for key in &written_pictures {
            if let Err(error) = pictures.delete(key) {
                tracing::warn!(%error, "could not remove a seeded picture's files");
            }
        }
    }
    result
}

fn store_avatar(
    store: &AvatarStore,
    user_id: UserId,
    picture: usize,
    variant: usize,
) -> Result<String, SeedError> {
    let source =
        image::load_from_memory(PICTURES[picture]).map_err(|e| SeedError::Avatar(e.to_string()))?;
    let hue = i32::try_from(variant * 47 % 360).unwrap_or(0);
    let tinted = DynamicImage::ImageRgba8(image::imageops::huerotate(&source, hue));
    let mut png = Vec::new();
    tinted
        .write_to(&mut std::io::Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|e| SeedError::Avatar(e.to_string()))?;
    let processed = avatars::process(&png).map_err(|e| SeedError::Avatar(e.to_string()))?;
    store
        .save(user_id, &processed)
        .map_err(|e| SeedError::Avatar(e.to_string()))
}

pub fn demo_handles() -> impl Iterator<Item = &'static str> {
    PEOPLE.iter().map(|person| person.handle)
}
