ALTER TABLE users ADD COLUMN show_online_status boolean NOT NULL DEFAULT true;
UPDATE users SET show_online_status = false WHERE online_status_visibility = 'nobody';
ALTER TABLE users DROP COLUMN online_status_visibility;
