//! Search at scale on the PostgreSQL engine: 25,000 topics and 500,000
//! posts of Russian and English words, and what topic and post searches
//! cost, through the code the server runs (first pages, signed out).
//! Prints figures; asserts nothing.
//!
//! `scripts/with-postgres.sh cargo run --release -p noxchat --example bench_search`
//! (`DATABASE_SERVER` picks the server, default `postgres://postgres@127.0.0.1:5432`;
//! `BENCH_POSTS` the number of posts).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use noxchat::search::domain::Filters;
use noxchat::search::postgres::{Words, posts, text_query, topics};

const ROUNDS: usize = 50;

/// Topics of three words, posts of twelve, from 60 common words; one post
/// in 5,000 also says `kubernetes`.
const FILL: &str = "
ALTER TABLE posts DISABLE TRIGGER posts_search_words;
CREATE TEMP TABLE vocabulary AS SELECT ARRAY[
  'сервер','настройка','форум','вопрос','ответ','память','диск','сеть','база','данные',
  'запрос','индекс','таблица','ошибка','версия','обновление','пользователь','пароль','доступ','резервная',
  'копия','репликация','мониторинг','нагрузка','скорость','кэш','очередь','сообщение','поиск','страница',
  'server','forum','question','answer','running','postgres','memory','disk','network','database',
  'query','index','table','error','version','update','user','password','access','backup',
  'replication','monitoring','load','speed','cache','queue','message','search','page','config'
] AS w;
INSERT INTO topics (id, category_id, title, created_at, last_activity_at)
SELECT gen_random_uuid(), (SELECT id FROM categories LIMIT 1),
       w[1 + n % 60] || ' ' || w[1 + (n * 7) % 60] || ' ' || w[1 + (n * 13) % 60],
       now() - (n || ' minutes')::interval, now()
FROM generate_series(1, $TOPICS) AS n, vocabulary;
CREATE TEMP TABLE numbered AS SELECT id, row_number() OVER () AS k FROM topics;
CREATE INDEX ON numbered (k);
INSERT INTO posts (id, topic_id, number, source, html, created_at)
SELECT gen_random_uuid(), numbered.id, n / $TOPICS + 1,
       (SELECT string_agg(w[1 + ((n * 31 + i * 17 + i * i * n) % 60)], ' ')
        FROM generate_series(1, 12) AS i)
           || CASE WHEN n % 5000 = 0 THEN ' kubernetes' ELSE '' END,
       '', now() - (n || ' seconds')::interval
FROM generate_series(0, $POSTS - 1) AS n
JOIN numbered ON numbered.k = 1 + n % $TOPICS, vocabulary;
INSERT INTO search_words (word)
SELECT search_words_of(source) FROM posts GROUP BY 1 ON CONFLICT DO NOTHING;
ALTER TABLE posts ENABLE TRIGGER posts_search_words;
ANALYZE topics; ANALYZE posts; ANALYZE search_words;
";

fn main() {
    let server = std::env::var("DATABASE_SERVER")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned());
    let posts_wanted: i64 = std::env::var("BENCH_POSTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500_000);
    let topics_wanted = (posts_wanted / 20).max(1);
    let name = format!("noxchat_bench_search_{}", std::process::id());
    let url = format!("{server}/{name}");
    noxchat::db::prepare(&url).expect("the database is made and migrated");
    let _dropped = DropOnExit {
        server: server.clone(),
        name,
    };
    let mut conn = PgConnection::establish(&url).expect("the database answers");
    let started = Instant::now();
    conn.batch_execute(
        &FILL
            .replace("$TOPICS", &topics_wanted.to_string())
            .replace("$POSTS", &posts_wanted.to_string()),
    )
    .expect("the forum is written");
    println!(
        "{topics_wanted} topics and {posts_wanted} posts written and indexed in {:.0} s; {ROUNDS} rounds each\n",
        started.elapsed().as_secs_f64()
    );
    println!("| search | topics: mean ms | p99 ms | posts: mean ms | p99 ms |");
    println!("|---|---|---|---|---|");
    for (label, text) in [
        ("a rare word", "kubernetes"),
        ("a rare word, misspelt", "kubernetse"),
        ("a rare word, half typed", "kubern"),
        ("a common word", "сервер"),
        ("two common words", "настройка репликация"),
        ("a common prefix", "re"),
    ] {
        let (topic_times, post_times) = measure(&mut conn, text);
        println!(
            "| {label} (`{text}`) | {:.2} | {:.2} | {:.2} | {:.2} |",
            mean(&topic_times),
            p99(&topic_times),
            mean(&post_times),
            p99(&post_times)
        );
    }
}

fn measure(conn: &mut PgConnection, text: &str) -> (Vec<Duration>, Vec<Duration>) {
    let words = Words::of(text).unwrap();
    let filters = Filters::default();
    let mut topic_times = Vec::new();
    let mut post_times = Vec::new();
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let query = text_query(conn, &words).unwrap();
        topics(conn, &query, &filters, None, None, 21).unwrap();
        topic_times.push(started.elapsed());
        let started = Instant::now();
        let query = text_query(conn, &words).unwrap();
        posts(conn, &query, &filters, None, None, 21).unwrap();
        post_times.push(started.elapsed());
    }
    topic_times.sort_unstable();
    post_times.sort_unstable();
    (topic_times, post_times)
}

fn mean(times: &[Duration]) -> f64 {
    times.iter().map(Duration::as_secs_f64).sum::<f64>() * 1000.0 / times.len() as f64
}

fn p99(times: &[Duration]) -> f64 {
    times[(times.len() - 1) * 99 / 100].as_secs_f64() * 1000.0
}

/// The bench's database, dropped however the bench ends.
struct DropOnExit {
    server: String,
    name: String,
}

impl Drop for DropOnExit {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&format!("{}/postgres", self.server)) {
            let _ = admin.batch_execute(&format!("DROP DATABASE \"{}\" WITH (FORCE)", self.name));
        }
    }
}
