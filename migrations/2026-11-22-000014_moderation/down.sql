DROP TABLE moderation_log;
DROP TABLE reports;
DROP TABLE bans;
