-- Indexes for the foreign keys that deleting an account sets to NULL, so
-- that deleting one does not read these tables whole.
CREATE INDEX post_revisions_editor_idx ON post_revisions (editor_id);
CREATE INDEX reports_handled_by_idx ON reports (handled_by);
CREATE INDEX bans_banned_by_idx ON bans (banned_by);
