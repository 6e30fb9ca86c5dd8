//! The bench people.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::count;

/// The people up to `total` users in all, `bench_000001` … (see
/// `person_handle`), alternately Russian and English speakers with common
/// first and last names (so that names repeat and a misspelt one still
/// finds someone), all verified and signing in with the demo password.
/// Returns how many were added.
pub(super) fn insert_people(conn: &mut PgConnection, total: i64) -> i64 {
    let existing = count(conn, "SELECT count(*) AS count FROM users");
    let people = total - existing;
    assert!(people > 0, "the database already has {existing} users");
    let hash = noxchat::core::passwords::hash_here(noxchat::seed::DEMO_PASSWORD)
        .expect("hash the demo password");
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        diesel::sql_query(PEOPLE)
            .bind::<BigInt, _>(people)
            .bind::<Text, _>(&hash)
            .execute(conn)
    })
    .expect("insert the people");
    people
}

const PEOPLE: &str = "INSERT INTO users (id, email, handle, display_name, password_hash, locale, email_verified_at, created_at)
SELECT gen_random_uuid(),
       'bench_' || lpad(g.n::text, 6, '0') || '@bench.noxchat.local',
       'bench_' || lpad(g.n::text, 6, '0'),
       CASE WHEN g.n % 2 = 1
            THEN names.ru_first[1 + g.k % 40] || ' ' || names.ru_last[1 + (g.k * 7 + g.k / 40) % 30]
                 || CASE WHEN g.k % 40 >= 20 THEN 'а' ELSE '' END
            ELSE names.en_first[1 + g.k % 40] || ' ' || names.en_last[1 + (g.k * 7 + g.k / 40) % 30]
       END,
       $2,
       CASE WHEN g.n % 2 = 1 THEN 'ru' ELSE 'en' END,
       now(),
       now() - g.n * interval '10 seconds'
FROM (SELECT n, (n - 1) / 2 AS k FROM generate_series(1, $1) AS n) AS g
CROSS JOIN (SELECT
    ARRAY['Александр', 'Алексей', 'Андрей', 'Дмитрий', 'Сергей', 'Иван', 'Михаил', 'Николай',
          'Павел', 'Артём', 'Максим', 'Егор', 'Владимир', 'Константин', 'Олег', 'Юрий',
          'Григорий', 'Фёдор', 'Степан', 'Тимофей',
          'Анна', 'Мария', 'Елена', 'Ольга', 'Наталья', 'Екатерина', 'Татьяна', 'Ирина',
          'Светлана', 'Юлия', 'Анастасия', 'Дарья', 'Ксения', 'Полина', 'Вера', 'Людмила',
          'Алёна', 'Софья', 'Варвара', 'Галина'] AS ru_first,
    ARRAY['Петров', 'Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Соколов', 'Лебедев', 'Козлов',
          'Новиков', 'Морозов', 'Волков', 'Соловьёв', 'Васильев', 'Зайцев', 'Павлов', 'Семёнов',
          'Голубев', 'Виноградов', 'Богданов', 'Воробьёв', 'Фёдоров', 'Михайлов', 'Беляев',
          'Тарасов', 'Белов', 'Комаров', 'Орлов', 'Киселёв', 'Макаров', 'Ильин'] AS ru_last,
    ARRAY['Alexander', 'Peter', 'John', 'Michael', 'David', 'James', 'Robert', 'William',
          'Thomas', 'Daniel', 'Matthew', 'Andrew', 'Christopher', 'Joseph', 'Samuel', 'Benjamin',
          'Henry', 'George', 'Edward', 'Oliver',
          'Emily', 'Sarah', 'Jessica', 'Olivia', 'Sophie', 'Charlotte', 'Emma', 'Grace',
          'Hannah', 'Lucy', 'Alice', 'Amelia', 'Isabella', 'Victoria', 'Catherine', 'Elizabeth',
          'Rebecca', 'Rachel', 'Natalie', 'Eleanor'] AS en_first,
    ARRAY['Peterson', 'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis',
          'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Thompson',
          'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King',
          'Wright', 'Scott', 'Green', 'Baker', 'Adams'] AS en_last
) AS names";
