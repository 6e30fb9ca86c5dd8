//! The forum's pages at scale: served by index ranges (query plans at half a
//! million posts), and in a number of SQL statements that does not grow with
//! the page size (no N+1).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::connection::InstrumentationEvent;
use diesel::prelude::*;
use noxchat::core::{TopicId, UserId};
use noxchat::forum::dto::ReadDirection;
use noxchat::forum::posts::queries::{self as posts, Stretch};
use noxchat::forum::topics::queries as topics;

use crate::support::TestApp;

/// The topic with many posts.
const LONG_TOPIC: &str = "00000000-0000-7000-8000-000000000001";

/// Fills the database in SQL: 100 people, 10 categories, `topics` topics of
/// 22 posts each (one in a thousand pinned), and the long topic with
/// `long_posts` posts.
fn fill_forum(conn: &mut PgConnection, topics: i32, long_posts: i32) {
    for statement in [
        "INSERT INTO users (id, email, handle, display_name, password_hash)
         SELECT gen_random_uuid(), 'u' || n || '@example.org', 'user_' || n, 'User ' || n, 'x'
         FROM generate_series(1, 100) AS n",
        "INSERT INTO categories (id, slug, name, position)
         SELECT gen_random_uuid(), 'c' || n, 'Category ' || n, n + 1 FROM generate_series(1, 9) AS n",
        "INSERT INTO topics (id, category_id, author_id, title, created_at, last_activity_at,
                             last_post_number, reply_count, pinned)
         SELECT gen_random_uuid(),
                (SELECT id FROM categories ORDER BY position OFFSET n % 10 LIMIT 1),
                (SELECT id FROM users ORDER BY handle OFFSET n % 100 LIMIT 1),
                'Topic number ' || n,
                now() - n * interval '1 minute', now() - n * interval '1 minute',
                22, 21, n % 1000 = 0
         FROM generate_series(1, $TOPICS) AS n",
        "INSERT INTO topics (id, category_id, author_id, title, created_at, last_activity_at,
                             last_post_number, reply_count)
         SELECT '00000000-0000-7000-8000-000000000001', id, NULL, 'The long one',
                now() - interval '1 year', now(), $LONG, $LONG - 1
         FROM categories WHERE slug = 'general'",
        "INSERT INTO posts (id, topic_id, number, author_id, source, html, created_at)
         SELECT gen_random_uuid(), t.id, n, t.author_id, 'Post ' || n, '<p>Post ' || n || '</p>', t.created_at
         FROM topics t CROSS JOIN generate_series(1, 22) AS n
         WHERE t.id <> '00000000-0000-7000-8000-000000000001'",
        "INSERT INTO posts (id, topic_id, number, source, html, created_at)
         SELECT gen_random_uuid(), '00000000-0000-7000-8000-000000000001', n, 'Post ' || n,
                '<p>Post ' || n || '</p>', now()
         FROM generate_series(1, $LONG) AS n",
        "ANALYZE",
    ] {
        let statement = statement
            .replace("$TOPICS", &topics.to_string())
            .replace("$LONG", &long_posts.to_string());
        diesel::sql_query(statement).execute(conn).unwrap();
    }
}

fn assert_served_by_indexes(what: &str, plan: &str) {
    if std::env::var_os("NOXCHAT_SHOW_PLANS").is_some() {
        println!("plan for {what}:\n{plan}\n");
    }
    for table in ["topics", "posts"] {
        assert!(
            !plan.contains(&format!("Seq Scan on {table}")),
            "{what} reads every row of {table}:\n{plan}"
        );
    }
    assert!(plan.contains("Index"), "{what} uses no index:\n{plan}");
    assert!(
        !plan.contains("Sort"),
        "{what} sorts instead of reading in index order:\n{plan}"
    );
}

#[tokio::test]
async fn topic_lists_topic_pages_and_jumps_are_index_ranges_at_half_a_million_posts() {
    let app = TestApp::spawn().await;
    let url = app.db.url.clone();
    let plans = tokio::task::spawn_blocking(move || {
        let mut conn = PgConnection::establish(&url).unwrap();
        // 20 000 × 22 + 60 000 posts.
        fill_forum(&mut conn, 20_000, 60_000);
        let count: i64 = diesel::sql_query("SELECT count(*) AS count FROM posts")
            .get_result::<Count>(&mut conn)
            .unwrap()
            .count;
        assert!(count >= 500_000, "{count} posts");
        let category: noxchat::core::CategoryId = noxchat::forum::queries::find(&mut conn, "c3")
            .unwrap()
            .unwrap()
            .id;
        let long: TopicId = LONG_TOPIC.parse().unwrap();
        let midway = (false, chrono::Utc::now() - chrono::Duration::days(7), long);
        let pinned = (true, chrono::Utc::now() - chrono::Duration::days(7), long);
        let stretch = |from, direction| Stretch {
            from,
            direction,
            limit: 21,
        };
        vec![
            (
                "the forum's first page",
                topics::explain_list(&mut conn, None, None, 21).unwrap(),
            ),
            (
                "a later page of the forum",
                topics::explain_list(&mut conn, None, Some(midway), 21).unwrap(),
            ),
            (
                "a page that starts among the pinned topics",
                topics::explain_list(&mut conn, Some(category), Some(pinned), 21).unwrap(),
            ),
            (
                "a category's first page",
                topics::explain_list(&mut conn, Some(category), None, 21).unwrap(),
            ),
            (
                "a later page of a category",
                topics::explain_list(&mut conn, Some(category), Some(midway), 21).unwrap(),
            ),
            (
                "a topic's first posts",
                posts::explain_page(&mut conn, long, stretch(1, ReadDirection::After)).unwrap(),
            ),
            (
                "jumping to post 40 000",
                posts::explain_page(&mut conn, long, stretch(40_000, ReadDirection::After))
                    .unwrap(),
            ),
            (
                "the posts before post 40 000",
                posts::explain_page(&mut conn, long, stretch(40_000, ReadDirection::Before))
                    .unwrap(),
            ),
        ]
    })
    .await
    .unwrap();
    for (what, plan) in plans {
        assert_served_by_indexes(what, &plan);
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    count: i64,
}

/// Counts the statements a connection sends.
#[derive(Clone, Default)]
struct StatementCounter(Arc<AtomicUsize>);

impl StatementCounter {
    fn install(conn: &mut PgConnection) -> Self {
        let counter = Self::default();
        let seen = counter.0.clone();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if matches!(event, InstrumentationEvent::StartQuery { .. }) {
                seen.fetch_add(1, Ordering::SeqCst);
            }
        });
        counter
    }

    /// The statements `work` sends.
    fn during(&self, work: impl FnOnce()) -> usize {
        let before = self.0.load(Ordering::SeqCst);
        work();
        self.0.load(Ordering::SeqCst) - before
    }
}

#[tokio::test]
async fn a_page_takes_the_same_few_statements_whatever_its_size() {
    let app = TestApp::spawn().await;
    let url = app.db.url.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = PgConnection::establish(&url).unwrap();
        fill_forum(&mut conn, 200, 300);
        // A reader who opened some topics and liked some posts, so that
        // positions and likes are read for every page.
        diesel::sql_query(
            "INSERT INTO topic_reads (user_id, topic_id, last_read_number)
             SELECT (SELECT id FROM users WHERE handle = 'user_1'), id, 3
             FROM topics WHERE last_activity_at > now() - interval '2 hours'",
        )
        .execute(&mut conn)
        .unwrap();
        diesel::sql_query(
            "INSERT INTO post_likes (post_id, user_id, created_at)
             SELECT id, (SELECT id FROM users WHERE handle = 'user_1'), now()
             FROM posts WHERE topic_id = '00000000-0000-7000-8000-000000000001' AND number % 3 = 0",
        )
        .execute(&mut conn)
        .unwrap();
        let reader: UserId = diesel::sql_query("SELECT id FROM users WHERE handle = 'user_1'")
            .get_result::<Reader>(&mut conn)
            .unwrap()
            .id;
        let long: TopicId = LONG_TOPIC.parse().unwrap();
        let counter = StatementCounter::install(&mut conn);
        let mut sizes = Vec::new();
        for limit in [2_i64, 50] {
            let listing = counter.during(|| {
                let page = topics::list(
                    &mut conn,
                    None,
                    topics::Selection::default(),
                    None,
                    limit,
                    Some(reader),
                )
                .unwrap();
                assert_eq!(page.len() as i64, limit);
            });
            let reading = counter.during(|| {
                let stretch = Stretch {
                    from: 100,
                    direction: ReadDirection::After,
                    limit,
                };
                let page = posts::page(&mut conn, long, stretch, Some(reader), false)
                    .unwrap()
                    .unwrap();
                assert_eq!(page.len() as i64, limit);
            });
            sizes.push((limit, listing, reading));
        }
        let (_, small_list, small_page) = sizes[0];
        let (_, large_list, large_page) = sizes[1];
        assert_eq!(small_list, large_list, "topic list statements: {sizes:?}");
        assert_eq!(small_page, large_page, "topic page statements: {sizes:?}");
        assert!(small_list <= 4 && small_page <= 4, "{sizes:?}");
    })
    .await
    .unwrap();
}

#[derive(QueryableByName)]
struct Reader {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: UserId,
}
