//! The forum beyond what the server's own seed writes: the long topic,
//! and which category is the busiest.

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Uuid};

use crate::context::person_handle;

/// Posts of the long topic ("jump to post 4,000").
pub(super) const LONG_TOPIC_POSTS: i32 = 5_000;
/// The long topic's posts are written by the first this many people.
const LONG_TOPIC_AUTHORS: i64 = 1_000;

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Uuid)]
    id: uuid::Uuid,
}

/// One topic of `LONG_TOPIC_POSTS` posts of a paragraph or two, in the
/// category with the most topics, started by `bench_000001` a month ago
/// and written by the first thousand people; with the counters a real
/// topic keeps (its numbers, the category's, the authors', the watch).
pub(super) fn insert_long_topic(conn: &mut PgConnection) -> uuid::Uuid {
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        let topic = diesel::sql_query(LONG_TOPIC)
            .bind::<Integer, _>(LONG_TOPIC_POSTS)
            .get_result::<Id>(conn)?
            .id;
        diesel::sql_query(LONG_TOPIC_POSTS_SQL)
            .bind::<Uuid, _>(topic)
            .bind::<Integer, _>(LONG_TOPIC_POSTS)
            .bind::<Text, _>(person_handle(1))
            .bind::<Text, _>(person_handle(LONG_TOPIC_AUTHORS))
            .execute(conn)?;
        for counters in [LONG_TOPIC_CATEGORY, LONG_TOPIC_STATS, LONG_TOPIC_WATCH] {
            diesel::sql_query(counters)
                .bind::<Uuid, _>(topic)
                .execute(conn)?;
        }
        Ok(topic)
    })
    .expect("insert the long topic")
}

const LONG_TOPIC: &str =
    "INSERT INTO topics (id, category_id, author_id, title, created_at, last_activity_at,
                    last_post_number, reply_count)
SELECT gen_random_uuid(), place.id, author.id,
       'Длинная тема: пять тысяч ответов · A long thread of five thousand posts',
       now() - interval '30 days', now() - interval '1 hour', $1, $1 - 1
FROM (SELECT id FROM categories ORDER BY topic_count DESC, position LIMIT 1) AS place,
     (SELECT id FROM users WHERE handle = 'bench_000001') AS author
RETURNING id";

/// Post n is in Russian when n is even, in English when odd: three of the
/// six sentences of its language, never the same one twice.
const LONG_TOPIC_POSTS_SQL: &str = "INSERT INTO posts (id, topic_id, number, author_id, source, html, created_at)
SELECT gen_random_uuid(), t.id, g.n,
       CASE WHEN g.n = 1 THEN t.author_id
            ELSE authors.ids[1 + (g.n * 37) % array_length(authors.ids, 1)] END,
       lines.texts[1 + 2 * (g.n % 6) + g.n % 2] || ' ' || lines.texts[1 + 2 * ((g.n * 5 + 3) % 6) + g.n % 2]
           || E'\\n\\n' || lines.texts[1 + 2 * ((g.n * 7 + 4) % 6) + g.n % 2],
       '<p>' || lines.texts[1 + 2 * (g.n % 6) + g.n % 2] || ' ' || lines.texts[1 + 2 * ((g.n * 5 + 3) % 6) + g.n % 2]
           || E'</p>\\n<p>' || lines.texts[1 + 2 * ((g.n * 7 + 4) % 6) + g.n % 2] || '</p>',
       t.created_at + (t.last_activity_at - t.created_at) * g.n / $2
FROM topics t
CROSS JOIN generate_series(1, $2) AS g(n)
CROSS JOIN (SELECT array_agg(id ORDER BY handle) AS ids FROM users
            WHERE handle BETWEEN $3 AND $4) AS authors
CROSS JOIN (SELECT ARRAY[
    'Перечитал всю тему с начала и понял, что половину вопросов мы уже обсуждали пару лет назад.',
    'I went through the whole thread again and realised we had covered half of these questions years ago.',
    'Самое надёжное решение, которое я нашёл, — не торопиться и проверять каждое изменение отдельно.',
    'The most reliable approach I have found is to go slowly and check every change on its own.',
    'У меня похожая история: сначала всё работало, потом после обновления пришлось настраивать заново.',
    'Similar story here: everything worked at first, then after an update I had to set it all up again.',
    'Спасибо за подробный ответ, особенно за ссылки на документацию и примеры.',
    'Thanks for the detailed answer, especially for the links to the documentation and the examples.',
    'Не согласен с предыдущим сообщением: на практике разница заметна только под нагрузкой.',
    'I disagree with the previous post: in practice the difference only shows under load.',
    'Добавлю в первое сообщение краткое резюме, чтобы новичкам не читать всё подряд.',
    'I will add a short summary to the first post so newcomers do not have to read everything.'
] AS texts) AS lines
WHERE t.id = $1";

const LONG_TOPIC_CATEGORY: &str = "UPDATE categories c SET topic_count = c.topic_count + 1,
    last_activity_at = GREATEST(c.last_activity_at, t.last_activity_at)
FROM topics t WHERE t.id = $1 AND c.id = t.category_id";

const LONG_TOPIC_STATS: &str = "INSERT INTO forum_stats (user_id, topics, posts)
SELECT author_id, (count(*) FILTER (WHERE number = 1))::int, count(*)::int
FROM posts WHERE topic_id = $1 AND author_id IS NOT NULL GROUP BY author_id
ON CONFLICT (user_id) DO UPDATE SET topics = forum_stats.topics + EXCLUDED.topics,
                                    posts = forum_stats.posts + EXCLUDED.posts";

const LONG_TOPIC_WATCH: &str = "INSERT INTO topic_watches (user_id, topic_id, level)
SELECT author_id, id, 'watching' FROM topics WHERE id = $1 AND author_id IS NOT NULL
ON CONFLICT DO NOTHING";

#[derive(QueryableByName)]
struct Slug {
    #[diesel(sql_type = Text)]
    slug: String,
}

pub(super) fn busiest_category(conn: &mut PgConnection) -> String {
    diesel::sql_query("SELECT slug FROM categories ORDER BY topic_count DESC, position LIMIT 1")
        .get_result::<Slug>(conn)
        .expect("the bench database has categories")
        .slug
}
