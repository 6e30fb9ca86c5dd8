DROP FUNCTION chat_send(uuid, bigint, uuid, uuid, uuid, text, timestamptz, jsonb);
