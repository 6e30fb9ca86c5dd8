-- Each person's inbox: what others did that concerns them. A like
-- notification stands for every like of one post (new likes add to its
-- count and make it unread again); a post notifies each person once.
CREATE TABLE notifications (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN (
        'reply', 'quote', 'mention', 'like', 'friend_request', 'friend_accepted', 'moderation'
    )),
    -- Who did it (the latest liker, for likes); NULL once their account is gone.
    actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
    -- What it is about, with the title and number as they were, so that it
    -- still reads well once the topic or post is gone.
    topic_id uuid REFERENCES topics (id) ON DELETE SET NULL,
    topic_title text,
    post_id uuid REFERENCES posts (id) ON DELETE SET NULL,
    post_number integer,
    count integer NOT NULL DEFAULT 1 CHECK (count >= 1),
    -- For moderation: what a moderator did, and why.
    action text CHECK (action IN (
        'post_removed', 'post_restored', 'topic_locked', 'topic_unlocked',
        'topic_moved', 'topic_renamed', 'topic_deleted'
    )),
    reason text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    read_at timestamptz
);

-- The inbox, newest first; the unread count.
CREATE INDEX notifications_inbox_idx ON notifications (user_id, updated_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
-- One like notification per post and person; one notification per post and
-- person for replies, quotes and mentions (so delivering twice adds nothing).
CREATE UNIQUE INDEX notifications_likes_idx ON notifications (user_id, post_id) WHERE kind = 'like';
CREATE UNIQUE INDEX notifications_posts_idx ON notifications (user_id, post_id)
    WHERE kind IN ('reply', 'quote', 'mention');
-- For the foreign keys' clean-ups.
CREATE INDEX notifications_actor_idx ON notifications (actor_id);
CREATE INDEX notifications_topic_idx ON notifications (topic_id);
CREATE INDEX notifications_post_idx ON notifications (post_id);
