-- One table for all background work (emails, clean-ups, later search
-- indexing and notifications), replacing the mail-only outbox.
CREATE TABLE jobs (
    id uuid PRIMARY KEY,
    kind text NOT NULL,
    payload jsonb NOT NULL,
    run_at timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- A worker owns a job while `leased_until` is in the future and it holds
    -- `lease_token`; it settles the job only while it still holds the token.
    leased_until timestamptz,
    lease_token uuid,
    last_error text,
    dead_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE dead_at IS NULL;

-- Everything still in the outbox becomes a job, queued mail included. An
-- email that had already failed for good keeps its recipient and subject but
-- not its body, which holds a one-time link.
INSERT INTO jobs (id, kind, payload, run_at, attempts, last_error, dead_at, created_at)
SELECT
    id,
    'send_email',
    jsonb_build_object(
        'to', recipient,
        'subject', subject,
        'text_body', CASE WHEN failed_at IS NULL THEN text_body ELSE '[removed after the email failed for good]' END,
        'html_body', CASE WHEN failed_at IS NULL THEN html_body ELSE '[removed after the email failed for good]' END
    ),
    next_attempt_at,
    attempts,
    last_error,
    failed_at,
    created_at
FROM outbound_emails;

DROP TABLE outbound_emails;
