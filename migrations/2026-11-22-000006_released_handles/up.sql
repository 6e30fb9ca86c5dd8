-- A handle given up, by a rename or a deleted account, is held for its last
-- owner for 30 days, so nobody can take it over to pass for them.
CREATE TABLE released_handles (
    handle text PRIMARY KEY,
    -- NULL once the account is gone: then nobody may take it while held.
    previous_owner uuid REFERENCES users (id) ON DELETE SET NULL,
    released_at timestamptz NOT NULL
);

CREATE INDEX released_handles_released_at_idx ON released_handles (released_at);
