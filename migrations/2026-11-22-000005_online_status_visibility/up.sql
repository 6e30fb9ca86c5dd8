-- Who sees when someone was last online: everyone, friends or nobody. The
-- default is friends; a person who showed it to everyone (the old default)
-- now shows it to friends, and one who hid it keeps it hidden.
ALTER TABLE users
    ADD COLUMN online_status_visibility text NOT NULL DEFAULT 'friends'
        CHECK (online_status_visibility IN ('everyone', 'friends', 'nobody'));

UPDATE users SET online_status_visibility = 'nobody' WHERE NOT show_online_status;

ALTER TABLE users DROP COLUMN show_online_status;
