-- The forum's categories, in the order admins give them. A fresh
-- installation has one, so the forum works at once. The counts are kept by
-- the writes that change them (topics, later), never recomputed.
CREATE TABLE categories (
    id uuid PRIMARY KEY,
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 50),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    description text NOT NULL DEFAULT '',
    position integer NOT NULL,
    topic_count integer NOT NULL DEFAULT 0 CHECK (topic_count >= 0),
    last_activity_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX categories_position_idx ON categories (position, id);

INSERT INTO categories (id, slug, name, description, position)
VALUES (gen_random_uuid(), 'general', 'General', 'Anything that fits nowhere else.', 1);
