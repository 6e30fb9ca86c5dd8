-- Publishing events in one round trip: each recipient's next number, the
-- event row and the notification that wakes the gateways, for any number
-- of recipients at once (a new message's members, each with an event of
-- their own). It did three statements per recipient before, the most
-- frequent writes of the messenger.
--
-- Recipients are numbered in id order, as `events::publish` always locked
-- them, so two publishers never wait for each other in a circle. The
-- notification names the recipient and the event's number (`<uuid>:<seq>`):
-- a gateway whose connection has sent that event already (it was handed
-- over in-process) need not read the log again. Notifications are
-- delivered on commit only, as before.
CREATE FUNCTION publish_events(recipients uuid[], payloads jsonb[], published_at timestamptz)
RETURNS TABLE (recipient uuid, event_seq bigint)
LANGUAGE plpgsql AS $$
BEGIN
    FOR recipient, event_seq IN
        WITH numbered AS (
            INSERT INTO user_event_positions AS p (user_id, last_seq)
            SELECT r.id, 1 FROM unnest(recipients) AS r(id) ORDER BY r.id
            ON CONFLICT (user_id) DO UPDATE SET last_seq = p.last_seq + 1
            RETURNING p.user_id, p.last_seq
        )
        INSERT INTO user_events AS e (user_id, seq, event, created_at)
        SELECT n.user_id, n.last_seq, given.payload, published_at
        FROM numbered n
        JOIN unnest(recipients, payloads) AS given(id, payload) ON given.id = n.user_id
        RETURNING e.user_id, e.seq
    LOOP
        PERFORM pg_notify('noxchat_events', recipient::text || ':' || event_seq::text);
        RETURN NEXT;
    END LOOP;
END
$$;
