DROP FUNCTION publish_events(uuid[], jsonb[], timestamptz);
