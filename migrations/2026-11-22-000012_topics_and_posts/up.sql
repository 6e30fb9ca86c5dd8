-- Topics and their posts, with everything the forum's pages read kept
-- ready: counters are changed by the writes that change them, in the same
-- transaction, never recomputed; every list is a range of one index.

-- A person's forum figures for their profile.
CREATE TABLE forum_stats (
    user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    topics integer NOT NULL DEFAULT 0 CHECK (topics >= 0),
    posts integer NOT NULL DEFAULT 0 CHECK (posts >= 0),
    likes_received integer NOT NULL DEFAULT 0 CHECK (likes_received >= 0)
);

CREATE TABLE topics (
    id uuid PRIMARY KEY,
    -- Not cascading: a category is deleted only once it is empty.
    category_id uuid NOT NULL REFERENCES categories (id),
    -- What people wrote stays when their account goes, unsigned.
    author_id uuid REFERENCES users (id) ON DELETE SET NULL,
    title text NOT NULL CHECK (char_length(title) BETWEEN 3 AND 200),
    created_at timestamptz NOT NULL,
    last_activity_at timestamptz NOT NULL,
    -- The number the newest post took: locking this row numbers a topic's
    -- posts without gaps (a rolled-back post gives its number back).
    last_post_number integer NOT NULL DEFAULT 1 CHECK (last_post_number >= 1),
    -- Posts after the first that are not deleted.
    reply_count integer NOT NULL DEFAULT 0 CHECK (reply_count >= 0),
    view_count bigint NOT NULL DEFAULT 0 CHECK (view_count >= 0),
    pinned boolean NOT NULL DEFAULT false,
    locked boolean NOT NULL DEFAULT false
);

-- Pinned first, then latest activity: across the forum and per category.
CREATE INDEX topics_listing_idx ON topics (pinned DESC, last_activity_at DESC, id DESC);
CREATE INDEX topics_category_listing_idx
    ON topics (category_id, pinned DESC, last_activity_at DESC, id DESC);
CREATE INDEX topics_author_idx ON topics (author_id);

CREATE TABLE posts (
    id uuid PRIMARY KEY,
    topic_id uuid NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    number integer NOT NULL CHECK (number >= 1),
    author_id uuid REFERENCES users (id) ON DELETE SET NULL,
    -- The Markdown as written, and the safe HTML rendered from it.
    source text NOT NULL CHECK (char_length(source) BETWEEN 1 AND 20000),
    html text NOT NULL,
    reply_to integer CHECK (reply_to >= 1),
    like_count integer NOT NULL DEFAULT 0 CHECK (like_count >= 0),
    revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
    created_at timestamptz NOT NULL,
    edited_at timestamptz,
    -- Deleted posts keep their number and text; only moderators read it.
    deleted_at timestamptz,
    deleted_by_moderator boolean NOT NULL DEFAULT false,
    -- Jumping to post 4000 of a topic is a lookup in this index.
    UNIQUE (topic_id, number)
);

CREATE INDEX posts_author_idx ON posts (author_id);

-- Every earlier version of an edited post.
CREATE TABLE post_revisions (
    post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    revision integer NOT NULL,
    source text NOT NULL,
    -- When this version was written, and by whom.
    created_at timestamptz NOT NULL,
    editor_id uuid REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (post_id, revision)
);

CREATE TABLE post_likes (
    post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (post_id, user_id)
);

-- Who liked a post, newest first; and an account's likes, for its deletion.
CREATE INDEX post_likes_newest_idx ON post_likes (post_id, created_at DESC, user_id DESC);
CREATE INDEX post_likes_user_idx ON post_likes (user_id);

-- How far each person has read each topic they opened.
CREATE TABLE topic_reads (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    topic_id uuid NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    last_read_number integer NOT NULL CHECK (last_read_number >= 0),
    PRIMARY KEY (user_id, topic_id)
);

CREATE INDEX topic_reads_topic_idx ON topic_reads (topic_id);

-- Topics a person follows (notified of every reply) or muted (never
-- notified); no row is the default.
CREATE TABLE topic_watches (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    topic_id uuid NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    level text NOT NULL CHECK (level IN ('watching', 'muted')),
    PRIMARY KEY (user_id, topic_id)
);

CREATE INDEX topic_watches_topic_idx ON topic_watches (topic_id) WHERE level = 'watching';

ALTER TABLE categories
    ADD CONSTRAINT categories_description_length CHECK (char_length(description) <= 500);
