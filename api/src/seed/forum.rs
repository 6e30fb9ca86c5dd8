//! The demo community's forum: a few categories and about fifty topics of
//! a few thousand posts in Russian and English over the last two months,
//! with likes, quotes, mentions and pictures, written through the forum's
//! own queries so that every counter is what the server would have kept.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::SeedError;
use crate::core::{CategoryId, TopicId, UploadId, UserId};
use crate::db::schema::{topics, uploads};
use crate::forum::likes::set_like;
use crate::forum::posts::queries::{self as posts, NewPost};
use crate::forum::queries as categories;
use crate::forum::topics::queries as topic_queries;
use crate::media::pictures::{self, PictureStore};

pub struct ForumReport {
    pub topics: usize,
    pub posts: usize,
    pub likes: usize,
}

const CATEGORIES: &[(&str, &str, &str)] = &[
    (
        "books",
        "Книги · Books",
        "Что читаем, что советуем. What we read and recommend.",
    ),
    (
        "tech",
        "Техника · Tech",
        "Железо, софт и ремонт. Hardware, software, repairs.",
    ),
    (
        "photo",
        "Фото · Photo",
        "Снимки, камеры, плёнка. Pictures, cameras, film.",
    ),
];

const TITLES: &[&str] = &[
    "Что вы читаете этой зимой?",
    "What are you reading this winter?",
    "Посоветуйте фантастику для начинающих",
    "Best science fiction for a beginner",
    "Книжный клуб: «Мастер и Маргарита»",
    "Book club: The Left Hand of Darkness",
    "Бумажные книги или электронные?",
    "Paper books or e-readers?",
    "Как починить старый радиоприёмник",
    "Fixing an old valve radio",
    "Какой ноутбук взять для работы?",
    "Which laptop for programming?",
    "Линукс на домашнем компьютере: опыт",
    "Linux at home: a year later",
    "Самодельная метеостанция",
    "A home-made weather station",
    "Велосипед зимой: шины и смазка",
    "Winter cycling: tyres and grease",
    "Плёнка в 2026 году — жива?",
    "Is film photography still alive?",
    "Горы Алтая: фотоотчёт",
    "Photo report: the Scottish Highlands",
    "Объектив для портретов до 30 тысяч",
    "A portrait lens on a budget",
    "Ночная съёмка без штатива",
    "Night photography without a tripod",
    "Знакомство: расскажите о себе",
    "Introductions: say hello",
    "Правила форума — обсуждение",
    "Forum rules: discussion",
    "Томаты на балконе",
    "Tomatoes on a balcony",
    "Шахматы по переписке: кто играет?",
    "Correspondence chess, anyone?",
    "Учим английский вместе",
    "Learning Russian together",
    "Лучший чай для долгих вечеров",
    "The best tea for long evenings",
    "Городские прогулки: маршруты",
    "City walks: your routes",
    "Старые компьютеры: коллекции",
    "Retro computers: show your collection",
    "Музыка для работы",
    "Music to work to",
    "Настольные игры на выходные",
    "Board games for the weekend",
    "Рецепт идеального борща",
    "The perfect sourdough",
    "Куда поехать весной?",
    "Where to travel in spring?",
];

const RUSSIAN: &[&str] = &[
    "Согласен, у меня было то же самое.",
    "А я попробовал по-другому, и получилось лучше.",
    "Спасибо, очень полезно!",
    "Интересная мысль, но есть нюанс.",
    "Можно подробнее про **первый** шаг?",
    "Вчера как раз об этом думал.",
    "Главное — не торопиться и всё проверять дважды.",
    "Мне кажется, тут всё зависит от бюджета.",
    "Попробуйте так:\n\n1. сначала почистить контакты;\n2. потом проверить питание.",
    "Хорошая тема, подписался.",
    "Есть ссылка на источник? Например, [википедия](https://ru.wikipedia.org/).",
    "У нас в клубе было похожее обсуждение в прошлом году.",
];

const ENGLISH: &[&str] = &[
    "Same here, it happened to me last year.",
    "I tried another way and it worked better.",
    "Thanks, that helps a lot!",
    "Interesting point, though there's a catch.",
    "Could you say more about the *first* step?",
    "I was thinking about this just yesterday.",
    "Take your time and check everything twice.",
    "It really depends on the budget, I think.",
    "Try this:\n\n- clean the contacts first\n- then check the power supply",
    "Great topic, following.",
    "Any source for that? See [Wikipedia](https://en.wikipedia.org/).",
    "We had a similar discussion at the club last year.",
];

/// A small deterministic sequence, so every seed is the same forum.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from((self.0 >> 33) % sides.max(1) as u64).unwrap_or(0)
    }
}

/// Writes the forum for `people` (handle and id), unless it has topics
/// already. The picture files written are pushed to `written`.
pub fn seed_forum(
    conn: &mut PgConnection,
    people: &[(&str, UserId)],
    store: &PictureStore,
    written: &mut Vec<String>,
) -> Result<ForumReport, SeedError> {
    let mut report = ForumReport {
        topics: 0,
        posts: 0,
        likes: 0,
    };
    let existing: i64 = topics::table.count().get_result(conn)?;
    if existing > 0 || people.len() < 2 {
        return Ok(report);
    }
    let now = Utc::now();
    let mut places: Vec<CategoryId> = Vec::new();
    if let Some(general) = categories::find(conn, "general")? {
        places.push(general.id);
    }
    for (slug, name, description) in CATEGORIES {
        let row = match categories::find(conn, slug)? {
            Some(row) => row,
            None => categories::insert(conn, slug, name, description, now)
                .map_err(|error| SeedError::Forum(error.to_string()))?,
        };
        places.push(row.id);
    }
    let pictures = seed_pictures(conn, people[0].1, store, written, now)?;
    let mut dice = Dice(2026);
    for (index, title) in TITLES.iter().enumerate() {
        let russian = index % 2 == 0;
        let with_pictures = index % 9 == 4;
        // The pictures are the first person's uploads: they post them.
        let author = if with_pictures {
            people[0]
        } else {
            people[dice.roll(people.len())]
        };
        // Topics begin over the last two months, the oldest first.
        let mut at =
            now - Duration::days(60) + Duration::hours(i64::try_from(index).unwrap_or(0) * 28);
        let category = places[index % places.len()];
        let topic = topic_queries::insert(conn, category, author.1, title, at)?;
        let opening = sentence(&mut dice, russian);
        let images: Vec<UploadId> = if with_pictures {
            pictures.clone()
        } else {
            Vec::new()
        };
        write_post(conn, topic, author.1, &opening, None, 1, at, &images)?;
        let mut authors = vec![author.0];
        let replies = 20 + dice.roll(120);
        for _ in 0..replies {
            at += Duration::minutes(5 + i64::try_from(dice.roll(90)).unwrap_or(0));
            if at > now {
                break;
            }
            let writer = people[dice.roll(people.len())];
            let mut body = sentence(&mut dice, russian);
            let mut reply_to = None;
            if authors.len() > 2 && dice.roll(7) == 0 {
                let quoted = 1 + dice.roll(authors.len());
                let quoted_author = authors[quoted - 1];
                body = format!(
                    "[quote=\"{quoted_author}, post:{quoted}\"]\n{}\n[/quote]\n{body}",
                    sentence(&mut dice, russian)
                );
                reply_to = i32::try_from(quoted).ok();
            } else if dice.roll(5) == 0 {
                let mentioned = people[dice.roll(people.len())].0;
                body = format!("@{mentioned} {body}");
            }
            let number = topic_queries::take_next_number(conn, topic, at)?;
            let post = write_post(conn, topic, writer.1, &body, reply_to, number, at, &[])?;
            authors.push(writer.0);
            report.posts += 1;
            for _ in 0..dice.roll(4) {
                let liker = people[dice.roll(people.len())].1;
                if liker != writer.1 && set_like(conn, &post, liker, 1)? {
                    report.likes += 1;
                }
            }
        }
        report.topics += 1;
        report.posts += 1;
    }
    Ok(report)
}

fn sentence(dice: &mut Dice, russian: bool) -> String {
    let pool = if russian { RUSSIAN } else { ENGLISH };
    let first = pool[dice.roll(pool.len())];
    if dice.roll(3) == 0 {
        format!("{first} {}", pool[dice.roll(pool.len())])
    } else {
        first.to_owned()
    }
}

#[allow(clippy::too_many_arguments)]
fn write_post(
    conn: &mut PgConnection,
    topic: TopicId,
    author: UserId,
    body: &str,
    reply_to: Option<i32>,
    number: i32,
    at: DateTime<Utc>,
    images: &[UploadId],
) -> Result<posts::PostRow, SeedError> {
    let rendered = posts::render(conn, topic, body)?;
    let new = NewPost {
        topic,
        author,
        source: body,
        rendered: &rendered,
        reply_to,
    };
    let id = posts::insert(conn, &new, number, at)?;
    if !images.is_empty() {
        posts::attach_images(conn, id, author, images, at)
            .map_err(|error| SeedError::Forum(error.to_string()))?;
    }
    posts::lock(conn, id)?
        .map(|locked| locked.post)
        .ok_or_else(|| SeedError::Forum("a seeded post is gone".into()))
}

/// The embedded pictures, uploaded by `owner`.
fn seed_pictures(
    conn: &mut PgConnection,
    owner: UserId,
    store: &PictureStore,
    written: &mut Vec<String>,
    now: DateTime<Utc>,
) -> Result<Vec<UploadId>, SeedError> {
    let mut ids = Vec::new();
    for bytes in super::PICTURES {
        let picture = pictures::process(bytes).map_err(|e| SeedError::Avatar(e.to_string()))?;
        let key = store
            .save(&picture)
            .map_err(|e| SeedError::Avatar(e.to_string()))?;
        written.push(key.clone());
        let id = UploadId::generate();
        let size = |(w, h): (u32, u32)| {
            (
                i32::try_from(w).unwrap_or(i32::MAX),
                i32::try_from(h).unwrap_or(i32::MAX),
            )
        };
        let ((width, height), (thumb_width, thumb_height)) =
            (size(picture.display_size), size(picture.thumbnail_size));
        diesel::insert_into(uploads::table)
            .values((
                uploads::id.eq(id),
                uploads::owner_id.eq(owner),
                uploads::key.eq(&key),
                uploads::width.eq(width),
                uploads::height.eq(height),
                uploads::thumbnail_width.eq(thumb_width),
                uploads::thumbnail_height.eq(thumb_height),
                uploads::created_at.eq(now),
            ))
            .execute(conn)?;
        ids.push(id);
    }
    Ok(ids)
}
