-- A registration waits here until the link emailed to its address is
-- opened; only then is the account created. So registering answers the
-- same whether or not the address has an account, and only its owner learns.
CREATE TABLE pending_registrations (
    id uuid PRIMARY KEY,
    email text NOT NULL,
    handle text NOT NULL,
    display_name text NOT NULL,
    password_hash text NOT NULL,
    locale text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);

CREATE INDEX pending_registrations_expires_at_idx ON pending_registrations (expires_at);
