-- The messenger: direct conversations (one per pair of people) and rooms,
-- their members with each one's read mark, and messages numbered 1, 2, 3,
-- … per conversation without gaps (the conversation row is locked while a
-- message takes its number).
CREATE TABLE conversations (
    id uuid PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('direct', 'room')),
    title text CHECK (title IS NULL OR char_length(title) BETWEEN 1 AND 100),
    owner_id uuid REFERENCES users (id) ON DELETE SET NULL,
    -- A direct conversation's two people, the smaller id first: one per pair.
    direct_low uuid REFERENCES users (id) ON DELETE CASCADE,
    direct_high uuid REFERENCES users (id) ON DELETE CASCADE,
    last_seq bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    created_at timestamptz NOT NULL,
    CHECK ((kind = 'direct') = (direct_low IS NOT NULL AND direct_high IS NOT NULL)),
    CHECK (direct_low < direct_high),
    UNIQUE (direct_low, direct_high)
);

CREATE INDEX conversations_owner_idx ON conversations (owner_id);
CREATE INDEX conversations_direct_high_idx ON conversations (direct_high);

CREATE TABLE conversation_members (
    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at timestamptz NOT NULL,
    last_read_seq bigint NOT NULL DEFAULT 0 CHECK (last_read_seq >= 0),
    muted boolean NOT NULL DEFAULT false,
    -- When the conversation last changed, for this member's chat list; NULL
    -- keeps it out of the list (a direct conversation not yet written in,
    -- for the person who did not open it).
    activity_at timestamptz,
    PRIMARY KEY (conversation_id, user_id)
);

-- My chat list, latest activity first.
CREATE INDEX conversation_members_list_idx
    ON conversation_members (user_id, activity_at DESC, conversation_id DESC)
    WHERE activity_at IS NOT NULL;
CREATE INDEX conversation_members_user_idx ON conversation_members (user_id);

CREATE TABLE messages (
    id uuid PRIMARY KEY,
    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq bigint NOT NULL CHECK (seq >= 1),
    sender_id uuid REFERENCES users (id) ON DELETE SET NULL,
    -- Chosen by the sender's client: a retry finds the message it sent.
    client_id uuid NOT NULL,
    body text CHECK (body IS NULL OR char_length(body) BETWEEN 1 AND 4000),
    created_at timestamptz NOT NULL,
    edited_at timestamptz,
    deleted_at timestamptz,
    UNIQUE (conversation_id, seq),
    UNIQUE (sender_id, client_id)
);

CREATE TABLE message_images (
    message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    upload_id uuid NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    position integer NOT NULL CHECK (position BETWEEN 1 AND 10),
    PRIMARY KEY (message_id, upload_id)
);

CREATE INDEX message_images_upload_idx ON message_images (upload_id);
