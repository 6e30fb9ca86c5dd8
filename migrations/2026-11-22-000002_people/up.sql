-- People: profile fields and privacy settings, avatars, friendships,
-- friend requests, blocks, and trigram indexes for the user directory.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE users
    ADD COLUMN bio text NOT NULL DEFAULT '' CHECK (char_length(bio) <= 500),
    -- Stem of the stored avatar files; NULL shows a generated default.
    ADD COLUMN avatar_key text,
    ADD COLUMN message_privacy text NOT NULL DEFAULT 'everyone'
        CHECK (message_privacy IN ('everyone', 'friends', 'nobody')),
    ADD COLUMN show_online_status boolean NOT NULL DEFAULT true,
    ADD COLUMN last_seen_at timestamptz;

CREATE INDEX users_display_name_trgm_idx ON users USING gin (lower(display_name) gin_trgm_ops);
CREATE INDEX users_handle_trgm_idx ON users USING gin (handle gin_trgm_ops);
CREATE INDEX users_display_name_order_idx ON users (lower(display_name), id);

CREATE TABLE friend_requests (
    id uuid PRIMARY KEY,
    sender_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipient_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (sender_id <> recipient_id),
    UNIQUE (sender_id, recipient_id)
);

CREATE INDEX friend_requests_recipient_idx ON friend_requests (recipient_id, created_at DESC);

-- One row per direction, so "my friends" is a plain index range.
CREATE TABLE friendships (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    friend_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, friend_id),
    CHECK (user_id <> friend_id)
);

CREATE TABLE blocks (
    blocker_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    blocked_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
);

-- "Who blocked me?": the directory leaves those users out.
CREATE INDEX blocks_blocked_idx ON blocks (blocked_id);

-- Prefix matches for one- and two-letter searches, which trigrams cannot serve.
CREATE INDEX users_handle_prefix_idx ON users (handle text_pattern_ops);
CREATE INDEX users_display_name_prefix_idx ON users (lower(display_name) text_pattern_ops);
