// Sending in a conversation: through the outbox (shown at once, sent in
// order, retried safely), and the "typing" mark for the others.
import { useCallback, useMemo, useRef } from "react";

import type { Picture } from "@/features/chat/api/chat-api";
import { useOutbox } from "@/features/chat/hooks/use-outbox";
import { sendTyping } from "@/features/chat/live";
import type { PendingMessage } from "@/features/chat/store/outbox";

/** The server passes a typing mark on at most every 2 seconds; more would be wasted. */
export const TYPING_INTERVAL_MS = 2000;

/**
 * Returns:
 * - `send(body, pictures?)`: queues a message (body null or trimmed text; pictures already uploaded)
 *   and returns it as pending (null when signed out);
 * - `retry(clientId)`: a failed one goes again; `discard(clientId)`: drops a pending one;
 * - `typing()`: call on every edit of the draft: tells the others at most every 2 s.
 */
export interface SendMessage {
  send: (body: string | null, pictures?: Picture[]) => PendingMessage | null;
  retry: (clientId: string) => void;
  discard: (clientId: string) => void;
  typing: () => void;
}

export function useSendMessage(conversationId: string): SendMessage {
  const outbox = useOutbox();
  const lastTyping = useRef({ conversationId, at: 0 });

  const typing = useCallback(() => {
    const now = Date.now();
    const last = lastTyping.current;
    if (last.conversationId === conversationId && now - last.at < TYPING_INTERVAL_MS) return;
    lastTyping.current = { conversationId, at: now };
    sendTyping(conversationId);
  }, [conversationId]);

  return useMemo(
    () => ({
      send: (body: string | null, pictures: Picture[] = []) => {
        // A sent message ends the typing: the next keystroke may say so at once.
        lastTyping.current = { conversationId, at: 0 };
        return outbox ? outbox.send(conversationId, body, pictures) : null;
      },
      retry: (clientId: string) => outbox?.retry(clientId),
      discard: (clientId: string) => outbox?.discard(clientId),
      typing,
    }),
    [outbox, conversationId, typing],
  );
}
