//! The people directory at 100,000 people: what a search for a common
//! fragment costs next to a page of the alphabetical list, through the same
//! code the server runs. Prints figures; asserts nothing.
//!
//! `scripts/with-postgres.sh cargo run --release -p noxchat --example bench_directory`
//! (`DATABASE_SERVER` picks the server, default `postgres://postgres@127.0.0.1:5432`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use noxchat::core::UserId;
use noxchat::core::directory;
use noxchat::core::list::{ListParams, ListQuery};

const PEOPLE: i64 = 100_000;
const ROUNDS: usize = 300;

const FILL: &str = "
INSERT INTO users (id, email, handle, display_name, password_hash)
SELECT gen_random_uuid(), 'u' || n || '@example.org', 'user_' || n,
  (ARRAY['Александр','Алексей','Alexander','Jackson','Peterson','Мария','Ольга',
         'Иван','Anderson','Boris'])[1 + n % 10] || ' ' ||
  (ARRAY['Иванов','Smith','Johnson','Петров','Robinson','Sidorov','Wilson',
         'Кузнецов','Harrison','Lee'])[1 + (n / 10) % 10] || ' ' || substr(md5(n::text), 1, 4),
  'x'
FROM generate_series(1, $PEOPLE) AS n;
ANALYZE users;
ANALYZE search_words;
";

fn main() {
    let server = std::env::var("DATABASE_SERVER")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned());
    let name = format!("noxchat_bench_directory_{}", std::process::id());
    let url = format!("{server}/{name}");
    noxchat::db::prepare(&url).expect("the database is made and migrated");
    let _dropped = DropOnExit {
        server: server.clone(),
        name: name.clone(),
    };
    let mut conn = PgConnection::establish(&url).expect("the database answers");
    let started = Instant::now();
    conn.batch_execute(&FILL.replace("$PEOPLE", &PEOPLE.to_string()))
        .expect("people are written");
    println!(
        "{PEOPLE} people written in {:.1} s; {ROUNDS} rounds each\n",
        started.elapsed().as_secs_f64()
    );
    println!("| request | mean ms | p50 ms | p99 ms | × list page |");
    println!("|---|---|---|---|---|");
    let list = measure(&mut conn, None);
    report("list page (no q)", &list, &list);
    for text in ["son", "алекс", "алексей", "ив", "Alexnader", "user_4242"] {
        let figures = measure(&mut conn, Some(text));
        report(&format!("q={text}"), &figures, &list);
    }
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

/// The time of each of [`ROUNDS`] first pages for `text`, sorted.
fn measure(conn: &mut PgConnection, text: Option<&str>) -> Vec<Duration> {
    let viewer = UserId::generate();
    let mut times: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let query = ListQuery::parse(ListParams {
                q: text.map(str::to_owned),
                cursor: None,
                limit: None,
            })
            .unwrap();
            let started = Instant::now();
            let page = directory::search(conn, viewer, &query).unwrap();
            let elapsed = started.elapsed();
            assert!(!page.items.is_empty(), "{text:?} finds people");
            elapsed
        })
        .collect();
    times.sort_unstable();
    times
}

fn report(label: &str, times: &[Duration], list: &[Duration]) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mean = |t: &[Duration]| t.iter().map(|d| ms(*d)).sum::<f64>() / t.len() as f64;
    let at = |q: f64| ms(times[((times.len() - 1) as f64 * q) as usize]);
    println!(
        "| {label} | {:.2} | {:.2} | {:.2} | {:.1} |",
        mean(times),
        at(0.5),
        at(0.99),
        mean(times) / mean(list)
    );
}
