DROP INDEX bans_banned_by_idx;
DROP INDEX reports_handled_by_idx;
DROP INDEX post_revisions_editor_idx;
