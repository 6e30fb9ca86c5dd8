-- Full-text search in PostgreSQL, the default backend: Russian and English
-- stemmed alike (the `russian` configuration stems Latin words as
-- English), each text's vector kept by PostgreSQL itself as the text
-- changes, in the same transaction, and indexed.
CREATE TEXT SEARCH CONFIGURATION noxchat (COPY = pg_catalog.russian);

ALTER TABLE topics
    ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('noxchat', title)) STORED;
CREATE INDEX topics_search_idx ON topics USING gin (search_vector);

ALTER TABLE posts
    ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('noxchat', source)) STORED;
CREATE INDEX posts_search_idx ON posts USING gin (search_vector);
-- A topic is also found by its first post: a small index of those alone.
CREATE INDEX posts_first_search_idx ON posts USING gin (search_vector) WHERE number = 1;

ALTER TABLE messages
    ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('noxchat', coalesce(body, ''))) STORED;
CREATE INDEX messages_search_idx ON messages USING gin (search_vector);

-- Every word of five letters or more written where everyone may read it
-- (titles, posts, names; not private messages, whose words a search could
-- otherwise probe for; no numbers), lower-cased, `ё` as
-- `е`: where a misspelt word of a query finds the word meant (by trigrams,
-- then by edit distance). Only ever grows; a word nobody uses any more
-- only widens a query to something that matches nothing.
CREATE TABLE search_words (
    word text PRIMARY KEY
);
CREATE INDEX search_words_trgm_idx ON search_words USING gin (word gin_trgm_ops);

CREATE FUNCTION search_words_of(content text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT DISTINCT lexeme
    FROM unnest(to_tsvector('simple', translate(content, 'Ёё', 'Ее')))
    WHERE char_length(lexeme) BETWEEN 5 AND 40
      -- Numbers (in handles, dates, versions) are not misspelt words.
      AND lexeme !~ '[0-9]'
    ORDER BY lexeme
$$;

-- The column to learn from is the trigger's argument. In sorted order, so that two writers adding the same new words wait for
-- each other instead of deadlocking.
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

INSERT INTO search_words (word)
SELECT search_words_of(display_name || ' ' || handle) FROM users
UNION SELECT search_words_of(title) FROM topics
UNION SELECT search_words_of(source) FROM posts
ON CONFLICT DO NOTHING;
