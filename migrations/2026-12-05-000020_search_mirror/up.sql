-- Search through Meilisearch (when MEILI_URL is set): every change to what
-- it indexes is queued here by the database itself, in the writing
-- transaction, so that no code path can forget it and nothing is lost
-- while Meilisearch is away; the indexer sends the current state of each
-- queued thing and then removes its rows. Without Meilisearch nothing is
-- queued (the server says which at start).
CREATE TABLE search_mirror (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    enabled boolean NOT NULL DEFAULT false,
    -- While `noxchat search reindex` fills fresh indexes, changes wait in
    -- the queue, to be applied to the fresh indexes once they are live. A
    -- lease: a rebuild that dies holds nothing for long.
    rebuilding_until timestamptz,
    -- Set when mirroring is switched on: what was written while it was off
    -- never reached the indexes, which the indexer then rebuilds.
    needs_rebuild boolean NOT NULL DEFAULT false
);
INSERT INTO search_mirror DEFAULT VALUES;

CREATE TABLE search_index_queue (
    id bigserial PRIMARY KEY,
    -- `topic_posts`: every post of a topic (it moved to another category).
    kind text NOT NULL CHECK (kind IN ('topic', 'post', 'message', 'person', 'topic_posts')),
    entity_id uuid NOT NULL,
    queued_at timestamptz NOT NULL DEFAULT now(),
    -- Taken by an indexer until then (one that died gives it back).
    claimed_until timestamptz
);
CREATE INDEX search_index_queue_entity_idx ON search_index_queue (entity_id);

CREATE FUNCTION search_enqueue(queued_kind text, queued_id uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT enabled FROM search_mirror) THEN
        INSERT INTO search_index_queue (kind, entity_id) VALUES (queued_kind, queued_id);
        -- Background work, like jobs: the same listener wakes the indexer.
        PERFORM pg_notify('noxchat_jobs', '');
    END IF;
END
$$;

CREATE FUNCTION search_queue_topic() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM search_enqueue('topic', OLD.id);
    ELSE
        PERFORM search_enqueue('topic', NEW.id);
        IF TG_OP = 'UPDATE' AND OLD.category_id <> NEW.category_id THEN
            PERFORM search_enqueue('topic_posts', NEW.id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER topics_search_queue
    AFTER INSERT OR DELETE OR UPDATE OF title, category_id, author_id ON topics
    FOR EACH ROW EXECUTE FUNCTION search_queue_topic();

CREATE FUNCTION search_queue_post() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed posts%ROWTYPE;
BEGIN
    IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
    PERFORM search_enqueue('post', changed.id);
    -- A topic is also found by its first post.
    IF changed.number = 1 AND TG_OP <> 'DELETE' THEN
        PERFORM search_enqueue('topic', changed.topic_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER posts_search_queue
    AFTER INSERT OR DELETE OR UPDATE OF source, deleted_at, author_id ON posts
    FOR EACH ROW EXECUTE FUNCTION search_queue_post();

-- A message or a person: queued under the kind the trigger names.
CREATE FUNCTION search_queue_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM search_enqueue(TG_ARGV[0], OLD.id);
    ELSE
        PERFORM search_enqueue(TG_ARGV[0], NEW.id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER messages_search_queue
    AFTER INSERT OR DELETE OR UPDATE OF body, deleted_at, sender_id ON messages
    FOR EACH ROW EXECUTE FUNCTION search_queue_row('message');
CREATE TRIGGER users_search_queue
    AFTER INSERT OR DELETE OR UPDATE OF handle, display_name ON users
    FOR EACH ROW EXECUTE FUNCTION search_queue_row('person');
