-- Keeping the forum civil: bans, reports of posts, and a log of every
-- moderator's action.

-- A banned person reads but cannot post, like, report, message or upload.
CREATE TABLE bans (
    user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- NULL: for good.
    until timestamptz,
    reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
    banned_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE reports (
    id uuid PRIMARY KEY,
    post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    reporter_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
    created_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
    handled_by uuid REFERENCES users (id) ON DELETE SET NULL,
    handled_at timestamptz,
    -- Each person reports a post once.
    UNIQUE (post_id, reporter_id)
);

-- The moderators' queue, oldest first; and the handled ones, newest first.
CREATE INDEX reports_queue_idx ON reports (status, created_at, id);
CREATE INDEX reports_reporter_idx ON reports (reporter_id);

CREATE TABLE moderation_log (
    id uuid PRIMARY KEY,
    moderator_id uuid REFERENCES users (id) ON DELETE SET NULL,
    action text NOT NULL CHECK (action IN (
        'topic_pinned', 'topic_unpinned', 'topic_locked', 'topic_unlocked', 'topic_moved',
        'topic_renamed', 'topic_deleted', 'post_removed', 'post_restored',
        'user_banned', 'user_unbanned', 'report_resolved', 'report_dismissed'
    )),
    -- Whose content or account it concerned.
    target_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
    topic_id uuid REFERENCES topics (id) ON DELETE SET NULL,
    -- The topic's title then, so that a deleted topic still reads.
    topic_title text,
    post_id uuid REFERENCES posts (id) ON DELETE SET NULL,
    reason text,
    created_at timestamptz NOT NULL
);

CREATE INDEX moderation_log_newest_idx ON moderation_log (created_at DESC, id DESC);
CREATE INDEX moderation_log_moderator_idx ON moderation_log (moderator_id);
CREATE INDEX moderation_log_target_idx ON moderation_log (target_user_id);
CREATE INDEX moderation_log_topic_idx ON moderation_log (topic_id);
CREATE INDEX moderation_log_post_idx ON moderation_log (post_id);
