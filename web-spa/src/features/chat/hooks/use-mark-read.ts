// Marks a conversation read as its messages are seen, and says which
// conversation is on screen (its messages bring no in-app notice).
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";

import { chatKeys, markRead, type Conversation } from "@/features/chat/api/chat-api";
import { readByMe } from "@/features/chat/cache";
import { viewConversation } from "@/features/chat/live";

/** Seen messages are told in one request after this long without another. */
export const MARK_READ_DEBOUNCE_MS = 500;

/**
 * Returns `markRead(seq)`: call it with the newest seq actually seen (the
 * caller checks it is on screen and the tab visible). Never backwards, never
 * twice for the same seq, debounced; the chat list's and this conversation's
 * unread counts drop at once, the badge when the server's event says.
 */
export function useMarkRead(conversationId: string): (seq: number) => void {
  const queryClient = useQueryClient();
  const state = useRef({ seen: 0, sent: 0, timer: null as ReturnType<typeof setTimeout> | null });

  useEffect(() => {
    viewConversation(conversationId);
    const marks = state.current;
    return () => {
      viewConversation(null);
      if (marks.timer) clearTimeout(marks.timer);
      marks.timer = null;
      marks.seen = 0;
      marks.sent = 0;
    };
  }, [conversationId]);

  const flush = useCallback(() => {
    const marks = state.current;
    marks.timer = null;
    const seq = marks.seen;
    if (seq <= marks.sent) return;
    marks.sent = seq;
    // The badge drops by what this conversation had unread, until the server's own count comes.
    const conversation = queryClient.getQueryData<Conversation>(chatKeys.conversation(conversationId));
    if (conversation && !conversation.muted && seq >= (conversation.last_message?.seq ?? 0)) {
      queryClient.setQueryData<number>(chatKeys.unread, (unread) => (unread === undefined ? unread : Math.max(0, unread - conversation.unread_count)));
    }
    readByMe(queryClient, conversationId, seq);
    markRead(conversationId, seq).catch(() => {
      // Not marked after all: the counts are read again, and the next call marks it anew.
      if (state.current.sent === seq) Object.assign(state.current, { seen: 0, sent: 0 });
      void queryClient.invalidateQueries({ queryKey: chatKeys.conversation(conversationId) });
      void queryClient.invalidateQueries({ queryKey: chatKeys.conversations() });
    });
  }, [queryClient, conversationId]);

  return useCallback(
    (seq: number) => {
      const marks = state.current;
      const known = queryClient.getQueryData<Conversation>(chatKeys.conversation(conversationId))?.last_read_seq ?? 0;
      if (seq <= Math.max(marks.seen, known)) return;
      marks.seen = seq;
      if (marks.timer) clearTimeout(marks.timer);
      marks.timer = setTimeout(flush, MARK_READ_DEBOUNCE_MS);
    },
    [queryClient, conversationId, flush],
  );
}
