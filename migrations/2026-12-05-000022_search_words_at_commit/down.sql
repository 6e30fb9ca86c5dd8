-- Back to learning each row's words as it is written (000019), deadlocks
-- between concurrent writers included. Sessions keep their (unused) table
-- of noted words until they end.
DROP TRIGGER users_search_words_learn ON users;
DROP TRIGGER posts_search_words_learn ON posts;
DROP TRIGGER topics_search_words_learn ON topics;
DROP TRIGGER users_handle_search_words ON users;
DROP TRIGGER users_name_search_words ON users;
DROP TRIGGER posts_search_words ON posts;
DROP TRIGGER topics_search_words ON topics;
DROP FUNCTION search_words_learn_noted();
DROP FUNCTION search_words_note();

CREATE FUNCTION search_words_learn() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_words (word)
    SELECT search_words_of(coalesce(to_jsonb(NEW) ->> TG_ARGV[0], ''))
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER topics_search_words AFTER INSERT OR UPDATE OF title ON topics
    FOR EACH ROW EXECUTE FUNCTION search_words_learn('title');
CREATE TRIGGER posts_search_words AFTER INSERT OR UPDATE OF source ON posts
    FOR EACH ROW EXECUTE FUNCTION search_words_learn('source');
CREATE TRIGGER users_name_search_words AFTER INSERT OR UPDATE OF display_name ON users
    FOR EACH ROW EXECUTE FUNCTION search_words_learn('display_name');
CREATE TRIGGER users_handle_search_words AFTER INSERT OR UPDATE OF handle ON users
    FOR EACH ROW EXECUTE FUNCTION search_words_learn('handle');
