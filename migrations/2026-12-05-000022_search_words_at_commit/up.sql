-- The search vocabulary (`search_words`) is learnt at commit, in one sorted
-- insert per transaction, instead of row by row as text is written.
--
-- Row by row, a transaction held every new word it had inserted (its index
-- entry) until it ended, and went on writing meanwhile: creating a topic
-- learns the title, updates the category, then learns the first post. Two
-- people creating topics at once deadlocked (a 503) when each held a new
-- word the other then wrote, or when one held a new word and waited for the
-- category row while the other, holding that row, wrote the word. Sorting
-- each insert could not help: the waits cross statements and other locks.
--
-- Now each row's words are noted in a table of the session's own (no other
-- transaction sees or waits for it), and a deferred trigger adds them to
-- the vocabulary as the transaction commits, after every lock it takes
-- otherwise, in a single statement in sorted order. A transaction meeting
-- another's uncommitted new word there waits for one that is itself
-- committing and waits for nothing but words; since both insert in sorted
-- order, no two wait for each other. Words still reach the vocabulary with
-- the text that holds them, at the same commit. (`SET CONSTRAINTS ALL
-- IMMEDIATE` would learn them early and bring the deadlock back: nothing
-- uses it.)

DROP TRIGGER users_handle_search_words ON users;
DROP TRIGGER users_name_search_words ON users;
DROP TRIGGER posts_search_words ON posts;
DROP TRIGGER topics_search_words ON topics;
DROP FUNCTION search_words_learn();

-- Notes the words of the column the trigger names for this transaction.
-- The table is made at the session's first write and emptied at every
-- commit; the setting, local to the transaction, says there is something
-- to learn.
CREATE FUNCTION search_words_note() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass('pg_temp.search_words_noted') IS NULL THEN
        CREATE TEMPORARY TABLE search_words_noted (word text NOT NULL) ON COMMIT DELETE ROWS;
    END IF;
    INSERT INTO pg_temp.search_words_noted (word)
    SELECT search_words_of(coalesce(to_jsonb(NEW) ->> TG_ARGV[0], ''));
    PERFORM set_config('noxchat.search_words_noted', 'yes', true);
    RETURN NULL;
END
$$;

-- Deferred, so it runs at commit, once per row written: the first call
-- learns every word noted so far, sorted; the others find nothing to do.
CREATE FUNCTION search_words_learn_noted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('noxchat.search_words_noted', true) = 'yes' THEN
        INSERT INTO search_words (word)
        SELECT DISTINCT word FROM pg_temp.search_words_noted ORDER BY word
        ON CONFLICT DO NOTHING;
        DELETE FROM pg_temp.search_words_noted;
        PERFORM set_config('noxchat.search_words_noted', 'no', true);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER topics_search_words AFTER INSERT OR UPDATE OF title ON topics
    FOR EACH ROW EXECUTE FUNCTION search_words_note('title');
CREATE TRIGGER posts_search_words AFTER INSERT OR UPDATE OF source ON posts
    FOR EACH ROW EXECUTE FUNCTION search_words_note('source');
CREATE TRIGGER users_name_search_words AFTER INSERT OR UPDATE OF display_name ON users
    FOR EACH ROW EXECUTE FUNCTION search_words_note('display_name');
CREATE TRIGGER users_handle_search_words AFTER INSERT OR UPDATE OF handle ON users
    FOR EACH ROW EXECUTE FUNCTION search_words_note('handle');

CREATE CONSTRAINT TRIGGER topics_search_words_learn AFTER INSERT OR UPDATE OF title ON topics
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION search_words_learn_noted();
CREATE CONSTRAINT TRIGGER posts_search_words_learn AFTER INSERT OR UPDATE OF source ON posts
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION search_words_learn_noted();
CREATE CONSTRAINT TRIGGER users_search_words_learn
    AFTER INSERT OR UPDATE OF display_name, handle ON users
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION search_words_learn_noted();
