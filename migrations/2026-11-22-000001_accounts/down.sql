DROP TABLE outbound_emails;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE users;
