-- A person's posts, the latest first (their profile), read in index order;
-- it also serves everything the author-only index did.
CREATE INDEX posts_author_recent_idx ON posts (author_id, created_at DESC, id DESC);
DROP INDEX posts_author_idx;
