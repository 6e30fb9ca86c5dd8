//! `noxchat seed --topics N --posts M`: a forum of any size for
//! benchmarks, written in a few set-based statements (a million posts in
//! minutes, not hours), with every counter the server keeps made true at
//! the end. Its 200 authors (`bulk<run>_<n>`) sign in with the demo password.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};

use super::{DEMO_PASSWORD, SeedError};
use crate::config::Config;

/// How many people write the bulk forum.
const AUTHORS: i32 = 200;

pub struct BulkReport {
    pub topics: i64,
    pub posts: i64,
    /// The handles' prefix of this run's authors.
    pub prefix: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// Adds `topics` topics holding `posts` posts in all (each topic at least
/// its opening post), spread over every category.
pub fn bulk(config: &Config, topics: u32, posts: u32) -> Result<BulkReport, SeedError> {
    if topics == 0 || posts < topics {
        return Err(SeedError::Forum(
            "--topics must be at least 1 and --posts at least as many".into(),
        ));
    }
    let mut conn = PgConnection::establish(&config.database_url)?;
    let hash = crate::core::passwords::hash_here(DEMO_PASSWORD)
        .map_err(|e| SeedError::Hash(e.to_string()))?;
    let run: String = uuid::Uuid::new_v4().simple().to_string()[..6].to_owned();
    let prefix = format!("bulk{run}_");
    let (topics, posts) = (i64::from(topics), i64::from(posts));
    conn.transaction(|conn| {
        diesel::sql_query(
            "INSERT INTO users (id, email, handle, display_name, password_hash, email_verified_at)
             SELECT gen_random_uuid(), $1 || n || '@demo.noxchat.local', $1 || n,
                    (ARRAY['Анна','Boris','Ivan','Мария','Olga','Sam'])[1 + n % 6] || ' ' || n, $2, now()
             FROM generate_series(1, $3) AS n",
        )
        .bind::<Text, _>(&prefix)
        .bind::<Text, _>(&hash)
        .bind::<Integer, _>(AUTHORS)
        .execute(conn)?;
        // Topics take `posts / topics` posts each, the first few one more.
        diesel::sql_query(
            "WITH authors AS (
                 SELECT array_agg(id ORDER BY handle) AS ids FROM users WHERE handle LIKE $1 || '%'
             ), places AS (
                 SELECT array_agg(id ORDER BY position) AS ids FROM categories
             )
             INSERT INTO topics (id, category_id, author_id, title, created_at, last_activity_at,
                                 last_post_number, reply_count, pinned)
             SELECT gen_random_uuid(),
                    places.ids[1 + n % array_length(places.ids, 1)],
                    authors.ids[1 + n % array_length(authors.ids, 1)],
                    (ARRAY['Обсуждение', 'Discussion', 'Вопрос', 'Question'])[1 + n % 4] || ' ' || $1 || n,
                    now() - n * interval '1 minute' - interval '1 day',
                    now() - n * interval '1 minute',
                    $3 / $2 + (n <= $3 % $2)::int,
                    $3 / $2 + (n <= $3 % $2)::int - 1,
                    n % 5000 = 0
             FROM generate_series(1, $2) AS n, authors, places",
        )
        .bind::<Text, _>(&prefix)
        .bind::<BigInt, _>(topics)
        .bind::<BigInt, _>(posts)
        .execute(conn)?;
        diesel::sql_query(
            "WITH authors AS (
                 SELECT array_agg(id ORDER BY handle) AS ids FROM users WHERE handle LIKE $1 || '%'
             ), lines AS (
                 SELECT ARRAY['Согласен, у меня было то же самое.', 'Same here, it happened to me last year.',
                              'Спасибо, очень полезно!', 'Thanks, that helps a lot!',
                              'Интересная мысль, но есть нюанс.', 'Interesting point, though there is a catch.',
                              'Главное не торопиться и всё проверять дважды.', 'Take your time and check everything twice.'] AS texts
             )
             INSERT INTO posts (id, topic_id, number, author_id, source, html, created_at)
             SELECT gen_random_uuid(), t.id, g.n,
                    CASE WHEN g.n = 1 THEN t.author_id
                         ELSE authors.ids[1 + (g.n * 7 + abs(hashtext(t.id::text))) % array_length(authors.ids, 1)] END,
                    lines.texts[1 + (g.n + abs(hashtext(t.id::text))) % 8],
                    '<p>' || lines.texts[1 + (g.n + abs(hashtext(t.id::text))) % 8] || '</p>',
                    t.created_at + (t.last_activity_at - t.created_at) * g.n / t.last_post_number
             FROM topics t
             CROSS JOIN LATERAL generate_series(1, t.last_post_number) AS g(n)
             CROSS JOIN authors CROSS JOIN lines
             WHERE t.title LIKE '% ' || $1 || '%'",
        )
        .bind::<Text, _>(&prefix)
        .execute(conn)?;
        // The counters the writes of the server keep, made true once.
        for statement in [
            "UPDATE categories c SET topic_count = c.topic_count + added.count,
                 last_activity_at = GREATEST(c.last_activity_at, added.latest)
             FROM (SELECT category_id, count(*)::int AS count, max(last_activity_at) AS latest
                   FROM topics WHERE title LIKE '% ' || $1 || '%' GROUP BY category_id) AS added
             WHERE c.id = added.category_id",
            "INSERT INTO forum_stats (user_id, topics, posts)
             SELECT u.id,
                    (SELECT count(*) FROM topics t WHERE t.author_id = u.id)::int,
                    (SELECT count(*) FROM posts p WHERE p.author_id = u.id)::int
             FROM users u WHERE u.handle LIKE $1 || '%'",
            "INSERT INTO topic_watches (user_id, topic_id, level)
             SELECT author_id, id, 'watching' FROM topics
             WHERE title LIKE '% ' || $1 || '%' ON CONFLICT DO NOTHING",
        ] {
            diesel::sql_query(statement)
                .bind::<Text, _>(&prefix)
                .execute(conn)?;
        }
        Ok::<_, SeedError>(())
    })?;
    diesel::sql_query("ANALYZE topics").execute(&mut conn)?;
    diesel::sql_query("ANALYZE posts").execute(&mut conn)?;
    let count = |conn: &mut PgConnection, sql: &str| -> Result<i64, SeedError> {
        Ok(diesel::sql_query(sql)
            .bind::<Text, _>(&prefix)
            .get_result::<Count>(conn)?
            .count)
    };
    Ok(BulkReport {
        topics: count(
            &mut conn,
            "SELECT count(*) AS count FROM topics WHERE title LIKE '% ' || $1 || '%'",
        )?,
        posts: count(
            &mut conn,
            "SELECT count(*) AS count FROM posts p JOIN topics t ON t.id = p.topic_id \
             WHERE t.title LIKE '% ' || $1 || '%'",
        )?,
        prefix,
    })
}
