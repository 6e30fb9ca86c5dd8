ALTER TABLE categories DROP CONSTRAINT categories_description_length;
DROP TABLE topic_watches;
DROP TABLE topic_reads;
DROP TABLE post_likes;
DROP TABLE post_revisions;
DROP TABLE posts;
DROP TABLE topics;
DROP TABLE forum_stats;
