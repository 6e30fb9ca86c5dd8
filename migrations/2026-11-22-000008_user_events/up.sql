-- What a person's devices must learn, in order: each event is written in the
-- transaction of the change that causes it, numbered per person without gaps
-- (the position row is locked until commit, so a rolled-back change takes
-- its number with it). Clients read what they missed after their position.
CREATE TABLE user_event_positions (
    user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    last_seq bigint NOT NULL CHECK (last_seq > 0)
);

CREATE TABLE user_events (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    seq bigint NOT NULL,
    event jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, seq)
);

CREATE INDEX user_events_created_at_idx ON user_events (created_at);
