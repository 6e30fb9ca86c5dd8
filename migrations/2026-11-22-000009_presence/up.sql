-- Who is online, kept by the server instances that hold their connections.
-- An instance renews `alive_until` while it runs; the rows of one that
-- stopped renewing (it crashed) are swept by the others, so nobody stays
-- online forever. A person is online while any live instance holds a row.
CREATE TABLE realtime_instances (
    id uuid PRIMARY KEY,
    alive_until timestamptz NOT NULL
);

CREATE TABLE presence (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instance_id uuid NOT NULL REFERENCES realtime_instances (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, instance_id)
);

CREATE INDEX presence_instance_idx ON presence (instance_id);
