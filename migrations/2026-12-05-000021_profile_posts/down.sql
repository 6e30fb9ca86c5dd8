CREATE INDEX posts_author_idx ON posts (author_id);
DROP INDEX posts_author_recent_idx;
