-- Read receipts: on by default; someone who turns them off neither sends
-- nor sees them, as in the messengers people know.
ALTER TABLE users ADD COLUMN read_receipts boolean NOT NULL DEFAULT true;
