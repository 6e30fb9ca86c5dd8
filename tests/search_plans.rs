//! At scale the search statements are answered by the full-text indexes:
//! never a sequential scan of the posts or the topics.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::support::TestApp;

/// 20,000 topics and 100,000 posts of ordinary words, Russian and English;
/// a handful mention a rare word.
const FILL: &str = "
WITH words AS (
    SELECT ARRAY['сервер','настройка','форум','вопрос','ответ','server','forum',
                 'question','answer','running','postgres','память','диск','network'] AS w
)
INSERT INTO topics (id, category_id, title, created_at, last_activity_at)
SELECT gen_random_uuid(), (SELECT id FROM categories LIMIT 1),
       w[1 + n % 14] || ' ' || w[1 + (n / 14) % 14] || ' ' || n,
       now(), now()
FROM generate_series(1, 20000) AS n, words;
WITH words AS (
    SELECT ARRAY['сервер','настройка','форум','вопрос','ответ','server','forum',
                 'question','answer','running','postgres','память','диск','network'] AS w
), numbered AS (
    SELECT id, row_number() OVER () AS k FROM topics
)
INSERT INTO posts (id, topic_id, number, source, html, created_at)
SELECT gen_random_uuid(), numbered.id, n / 20000 + 1,
       w[1 + n % 14] || ' ' || w[1 + (n / 7) % 14] || ' ' || w[1 + (n / 3) % 14]
           || CASE WHEN n % 20000 = 0 THEN ' kubernetes' ELSE '' END,
       '', now()
FROM generate_series(0, 99999) AS n
JOIN numbered ON numbered.k = 1 + n % 20000, words;
ANALYZE topics;
ANALYZE posts;
";

#[tokio::test]
async fn topic_and_post_searches_use_the_full_text_indexes_at_100k_posts() {
    let app = TestApp::spawn().await;
    let url = app.db.url.clone();
    let plans = tokio::task::spawn_blocking(move || {
        let mut conn = PgConnection::establish(&url).unwrap();
        // The vocabulary is not what is measured here: fill faster without it.
        conn.batch_execute("ALTER TABLE posts DISABLE TRIGGER posts_search_words")
            .unwrap();
        conn.batch_execute(FILL).unwrap();
        let mut plans = Vec::new();
        for text in ["kubernetes", "сервер настр", "postgres"] {
            let words = noxchat::search::postgres::Words::of(text).unwrap();
            let query = noxchat::search::postgres::text_query(&mut conn, &words).unwrap();
            plans.push((
                text,
                noxchat::search::postgres::explain_topics(&mut conn, &query).unwrap(),
                noxchat::search::postgres::explain_posts(&mut conn, &query).unwrap(),
            ));
        }
        plans
    })
    .await
    .unwrap();
    for (text, topics, posts) in plans {
        if std::env::var_os("NOXCHAT_SHOW_PLANS").is_some() {
            println!("topics for {text:?}:\n{topics}\n\nposts for {text:?}:\n{posts}\n");
        }
        for (plan, table) in [(&topics, "topics"), (&posts, "posts")] {
            assert!(
                !plan.contains(&format!("Seq Scan on {table}")),
                "sequential scan of {table} for {text:?}:\n{plan}"
            );
        }
        assert!(topics.contains("topics_search_idx"), "{text:?}:\n{topics}");
        assert!(
            topics.contains("posts_first_search_idx"),
            "{text:?}:\n{topics}"
        );
        assert!(posts.contains("posts_search_idx"), "{text:?}:\n{posts}");
    }
}
