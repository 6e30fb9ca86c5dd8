-- Storing a new message in one round trip: its number, its row, every
-- member's list and the sender's read mark, and each member's event with
-- whether to alert them and their badge. It took five statements (and as
-- many waits for a busy database) inside the send's transaction before.
--
-- The caller has locked the conversation row (`FOR NO KEY UPDATE`) and read
-- its `last_seq`, so it knows the new number and writes the message and the
-- event as members will read them; the database adds what only it knows.
-- `event` is the member's event without `alert` and `unread_messages`,
-- which are added per member: no alert for one's own message nor where one
-- muted the conversation, and the badge is the unread messages across the
-- member's conversations that are not muted, this one included.
CREATE FUNCTION chat_send(
    conversation uuid,
    new_seq bigint,
    message uuid,
    sender uuid,
    client uuid,
    message_body text,
    sent_at timestamptz,
    event jsonb
)
RETURNS TABLE (recipient uuid, event_seq bigint, alert boolean, unread_messages bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    recipients uuid[];
    payloads jsonb[];
BEGIN
    UPDATE conversations SET last_seq = new_seq
    WHERE id = conversation AND last_seq = new_seq - 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'conversation % is not at message %', conversation, new_seq - 1;
    END IF;
    INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, body, created_at)
    VALUES (message, conversation, new_seq, sender, client, message_body, sent_at);
    UPDATE conversation_members m
    SET activity_at = sent_at,
        last_read_seq = CASE WHEN m.user_id = sender THEN new_seq ELSE m.last_read_seq END
    WHERE m.conversation_id = conversation;
    SELECT array_agg(r.user_id ORDER BY r.user_id),
           array_agg(event || jsonb_build_object(
               'alert', NOT r.muted AND r.user_id <> sender,
               'unread_messages', (
                   SELECT COALESCE(SUM(c.last_seq - m.last_read_seq), 0)::bigint
                   FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id
                   WHERE m.user_id = r.user_id AND NOT m.muted
               )
           ) ORDER BY r.user_id)
    INTO recipients, payloads
    FROM conversation_members r
    WHERE r.conversation_id = conversation;
    RETURN QUERY
        SELECT p.recipient, p.event_seq,
               (given.payload->>'alert')::boolean,
               (given.payload->>'unread_messages')::bigint
        FROM publish_events(recipients, payloads, sent_at) p
        JOIN unnest(recipients, payloads) AS given(id, payload) ON given.id = p.recipient;
END
$$;
