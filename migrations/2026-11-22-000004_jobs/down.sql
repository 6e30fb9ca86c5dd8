CREATE TABLE outbound_emails (
    id uuid PRIMARY KEY,
    recipient text NOT NULL,
    subject text NOT NULL,
    text_body text NOT NULL,
    html_body text NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    failed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX outbound_emails_due_idx ON outbound_emails (next_attempt_at)
    WHERE failed_at IS NULL;

-- Queued emails go back to the outbox; other kinds of job did not exist before.
INSERT INTO outbound_emails (id, recipient, subject, text_body, html_body, attempts, next_attempt_at, last_error, failed_at, created_at)
SELECT id, payload->>'to', payload->>'subject', payload->>'text_body', payload->>'html_body',
       attempts, run_at, last_error, dead_at, created_at
FROM jobs
WHERE kind = 'send_email';

DROP TABLE jobs;
