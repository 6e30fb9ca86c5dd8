// Marks a conversation read as its messages are seen, and says which
// conversation is on screen (its messages bring no in-app notice).
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";

import { chatKeys, markRead, type Conversation } from "@/features/chat/api/chat-api";
import { readByMe } from "@/features/chat/cache";
import { viewConversation } from "@/features/chat/live";
import { isTemporary } from "@/features/chat/store/outbox";

/** Seen messages are told in one request after this long without another. */
export const MARK_READ_DEBOUNCE_MS = 500;
/** A mark the server did not take for a passing reason is told again after 1 s, 2 s, 4 s…, this many times in all. */
export const MARK_READ_TRIES = 5;

/** One conversation's read marks: the newest seen, the newest told (or being told), and the wait before telling. */
interface Marks {
  conversationId: string;
  seen: number;
  sent: number;
  timer: ReturnType<typeof setTimeout> | null;
  failures: number;
}

/**
 * Returns `markRead(seq)`: call it with the newest seq actually seen (the
 * caller checks it is on screen and the tab visible). Never backwards, never
 * twice for the same seq, debounced; the chat list's and this conversation's
 * unread counts drop at once, the badge when the server's event says. A
 * mark still waiting when the conversation closes is told at once (it was
 * seen), and one that failed for a passing reason is told again.
 */
export function useMarkRead(conversationId: string): (seq: number) => void {
  const queryClient = useQueryClient();
  const state = useRef<Marks | null>(null);

  useEffect(() => {
    viewConversation(conversationId);
    return () => {
      viewConversation(null);
      const marks = state.current;
      if (marks?.conversationId !== conversationId) return;
      state.current = null;
      if (marks.timer) {
        clearTimeout(marks.timer);
        flush(queryClient, marks);
      }
    };
  }, [queryClient, conversationId]);

  return useCallback(
    (seq: number) => {
      let marks = state.current;
      if (marks?.conversationId !== conversationId) {
        marks = { conversationId, seen: 0, sent: 0, timer: null, failures: 0 };
        state.current = marks;
      }
      const known = queryClient.getQueryData<Conversation>(chatKeys.conversation(conversationId))?.last_read_seq ?? 0;
      if (seq <= Math.max(marks.seen, known)) return;
      marks.seen = seq;
      if (marks.timer) clearTimeout(marks.timer);
      const waiting = marks;
      marks.timer = setTimeout(() => flush(queryClient, waiting), MARK_READ_DEBOUNCE_MS);
    },
    [queryClient, conversationId],
  );
}

function flush(queryClient: QueryClient, marks: Marks): void {
  marks.timer = null;
  const { conversationId } = marks;
  const seq = marks.seen;
  if (seq <= marks.sent) return;
  const before = marks.sent;
  marks.sent = seq;
  // The badge drops by what this conversation had unread, until the server's own count comes.
  const conversation = queryClient.getQueryData<Conversation>(chatKeys.conversation(conversationId));
  if (conversation && !conversation.muted && seq >= (conversation.last_message?.seq ?? 0)) {
    queryClient.setQueryData<number>(chatKeys.unread, (unread) => (unread === undefined ? unread : Math.max(0, unread - conversation.unread_count)));
  }
  readByMe(queryClient, conversationId, seq);
  markRead(conversationId, seq).then(
    () => {
      marks.failures = 0;
    },
    (error: unknown) => {
      if (marks.sent !== seq) return; // a later mark is on its way: it says more
      marks.sent = before;
      marks.failures += 1;
      if (isTemporary(error) && marks.failures < MARK_READ_TRIES) {
        // Told again after a wait (or sooner, with a newer seq or when the conversation closes).
        marks.timer ??= setTimeout(() => flush(queryClient, marks), 1000 * 2 ** (marks.failures - 1));
        return;
      }
      // Not marked after all: the counts are read again, and the next sighting marks it anew.
      Object.assign(marks, { seen: before, failures: 0 });
      void queryClient.invalidateQueries({ queryKey: chatKeys.conversation(conversationId) });
      void queryClient.invalidateQueries({ queryKey: chatKeys.conversations() });
    },
  );
}
