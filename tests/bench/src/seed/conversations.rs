//! The direct conversations and their history.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

/// Messages of each seeded direct conversation.
const MESSAGES_EACH: i64 = 50;

/// `conversations` direct conversations, the k-th between people 2k − 1
/// and 2k, each of `MESSAGES_EACH` messages taking turns, three days ago;
/// both have read everything (no unread badge to start from).
pub(super) fn insert_conversations(
    conn: &mut PgConnection,
    conversations: i64,
    people: i64,
) -> i64 {
    assert!(
        2 * conversations <= people,
        "{conversations} conversations need {} people",
        2 * conversations
    );
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        conn.batch_execute(PAIRS_TABLE)?;
        let made = diesel::sql_query(PAIRS)
            .bind::<BigInt, _>(conversations)
            .execute(conn)?;
        for statement in [CONVERSATIONS, MEMBERS, MESSAGES] {
            diesel::sql_query(statement)
                .bind::<BigInt, _>(MESSAGES_EACH)
                .execute(conn)?;
        }
        Ok(i64::try_from(made).unwrap_or(i64::MAX))
    })
    .expect("insert the conversations")
}

const PAIRS_TABLE: &str = "CREATE TEMPORARY TABLE bench_pairs (
    k bigint NOT NULL, conversation_id uuid NOT NULL, first_id uuid NOT NULL,
    second_id uuid NOT NULL, opened_at timestamptz NOT NULL
) ON COMMIT DROP";

const PAIRS: &str = "INSERT INTO bench_pairs (k, conversation_id, first_id, second_id, opened_at)
SELECT k, gen_random_uuid(), a.id, b.id, now() - interval '3 days' + k * interval '1 second'
FROM generate_series(1, $1) AS k
JOIN users a ON a.handle = 'bench_' || lpad((2 * k - 1)::text, 6, '0')
JOIN users b ON b.handle = 'bench_' || lpad((2 * k)::text, 6, '0')";

/// The smaller id first, as `chat::queries::direct` keeps it.
const CONVERSATIONS: &str = "INSERT INTO conversations (id, kind, direct_low, direct_high, last_seq, created_at)
SELECT conversation_id, 'direct', LEAST(first_id, second_id), GREATEST(first_id, second_id), $1, opened_at
FROM bench_pairs";

const MEMBERS: &str = "INSERT INTO conversation_members (conversation_id, user_id, joined_at, last_read_seq, activity_at)
SELECT p.conversation_id, m.user_id, p.opened_at, $1, p.opened_at + $1 * interval '1 minute'
FROM bench_pairs p CROSS JOIN LATERAL (VALUES (p.first_id), (p.second_id)) AS m(user_id)";

const MESSAGES: &str = "INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, body, created_at)
SELECT gen_random_uuid(), p.conversation_id, s.seq,
       CASE WHEN s.seq % 2 = 1 THEN p.first_id ELSE p.second_id END,
       gen_random_uuid(),
       lines.texts[1 + (s.seq * 5 + p.k) % array_length(lines.texts, 1)],
       p.opened_at + s.seq * interval '1 minute'
FROM bench_pairs p
CROSS JOIN generate_series(1, $1) AS s(seq)
CROSS JOIN (SELECT ARRAY[
    'Привет! Как дела?', 'Hi! How are you?',
    'Всё хорошо, спасибо. Ты завтра придёшь?', 'All good, thanks. Are you coming tomorrow?',
    'Да, буду к семи.', 'Yes, I will be there by seven.',
    'Отлично, тогда до встречи.', 'Great, see you then.',
    'Посмотри ссылку, которую я прислал на форуме.', 'Have a look at the link I posted on the forum.',
    'Ок, вечером посмотрю.', 'Sure, I will read it tonight.'
] AS texts) AS lines";
