// A conversation's messages: the history (newest page first, older pages
// loaded upwards) merged with my messages still on their way, each shown
// once — a pending message gives way to the server's copy the moment it is
// in the cache, under the same key, so the list does not flicker. A
// client_id is unique per sender only, so keys pair it with the sender.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useMemo, useSyncExternalStore } from "react";

import { chatKeys, listMessages, type ChatMessage } from "@/features/chat/api/chat-api";
import { historyItems } from "@/features/chat/cache";
import { useOutbox } from "@/features/chat/hooks/use-outbox";
import type { PendingMessage } from "@/features/chat/store/outbox";

/**
 * One row of the list: `key` is "sender id:client_id" ("gone:client_id" for a
 * deleted account), the same for my message while pending and once sent.
 */
export type MessageItem =
  | { key: string; pending: false; message: ChatMessage }
  | { key: string; pending: true; message: PendingMessage };

/**
 * Returns:
 * - `items`: MessageItem[], oldest first: the history, then my pending ones in the order sent;
 * - `messages`: ChatMessage[] (the history alone, oldest first), `pending`: PendingMessage[];
 * - `newestSeq`: the newest message's seq (null: none yet), for marking read;
 * - `isPending` (first load), `error` (unknown, null when fine; 404 `conversation_not_found`);
 * - `isFetching`: the history is being read (first load, read again, or an older page);
 * - `hasOlder`, `loadOlder()`, `isLoadingOlder`: the page before the oldest loaded;
 * - `refetch()`.
 */
export interface MessagesResult {
  items: MessageItem[];
  messages: ChatMessage[];
  pending: PendingMessage[];
  newestSeq: number | null;
  isPending: boolean;
  isFetching: boolean;
  error: unknown;
  hasOlder: boolean;
  loadOlder: () => void;
  isLoadingOlder: boolean;
  refetch: () => void;
}

const NONE: PendingMessage[] = [];
const noStore = () => () => undefined;

export function useMessages(conversationId: string): MessagesResult {
  const query = useInfiniteQuery({
    queryKey: chatKeys.messages(conversationId),
    queryFn: ({ pageParam }) => listMessages(conversationId, pageParam === null ? {} : { before: pageParam }),
    initialPageParam: null as number | null,
    // The next page is the older one, just before the oldest loaded.
    getNextPageParam: (last) => (last.has_more ? (last.items[0]?.seq ?? null) : null),
    // Live events keep it current; a resync reads it again.
    staleTime: Infinity,
  });
  const outbox = useOutbox();
  const queued = useSyncExternalStore(
    outbox?.subscribe ?? noStore,
    () => outbox?.pending(conversationId) ?? NONE,
    () => NONE,
  );

  const me = outbox?.userId ?? null;
  const messages = useMemo(() => historyItems(query.data), [query.data]);
  const { items, pending } = useMemo(() => {
    const shown = messages.map((message): MessageItem => ({ key: `${message.sender?.id ?? "gone"}:${message.client_id}`, pending: false, message }));
    const sent = new Set(shown.map((item) => item.key));
    const waiting = queued.filter((message) => !sent.has(`${me}:${message.clientId}`));
    return {
      pending: waiting,
      items: [...shown, ...waiting.map((message): MessageItem => ({ key: `${me}:${message.clientId}`, pending: true, message }))],
    };
  }, [messages, queued, me]);

  return {
    items,
    messages,
    pending,
    newestSeq: messages.at(-1)?.seq ?? null,
    isPending: query.isPending,
    isFetching: query.isFetching,
    error: query.error,
    hasOlder: query.hasNextPage,
    // Never at the cost of a read already on its way (a resync's): it would be dropped.
    loadOlder: () => void query.fetchNextPage({ cancelRefetch: false }),
    isLoadingOlder: query.isFetchingNextPage,
    refetch: () => void query.refetch(),
  };
}
