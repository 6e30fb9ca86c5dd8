// The chat list and one conversation. Live events keep both current in place
// (see live.ts), so they are read again only when events may have been
// missed or a conversation changed.
import { useInfiniteQuery, useQuery, useQueryClient, type UseQueryResult } from "@tanstack/react-query";
import { useMemo } from "react";

import { chatKeys, getConversation, listConversations, type Conversation } from "@/features/chat/api/chat-api";
import { listItems, type ConversationsData } from "@/features/chat/cache";

/**
 * Returns:
 * - `conversations`: Conversation[], latest activity first, each once (live reordering included);
 * - `isPending` (first load), `error` (unknown: show with problemMessage; null when fine),
 * - `hasMore`, `loadMore()`, `isLoadingMore`: the next (older) page of the list;
 * - `refetch()`.
 */
export interface ConversationsResult {
  conversations: Conversation[];
  isPending: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore: () => void;
  isLoadingMore: boolean;
  refetch: () => void;
}

export function useConversations(): ConversationsResult {
  const query = useInfiniteQuery({
    queryKey: chatKeys.conversations(),
    queryFn: ({ pageParam }) => listConversations(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
  });
  const conversations = useMemo(() => listItems(query.data), [query.data]);
  return {
    conversations,
    isPending: query.isPending,
    error: query.error,
    hasMore: query.hasNextPage,
    // Never at the cost of a read already on its way (a resync's): it would be dropped.
    loadMore: () => void query.fetchNextPage({ cancelRefetch: false }),
    isLoadingMore: query.isFetchingNextPage,
    refetch: () => void query.refetch(),
  };
}

/**
 * One conversation: a plain `UseQueryResult<Conversation>` (`data`, `isPending`,
 * `error`: a 404 `conversation_not_found` when it is not mine or I left).
 * Shown at once from the chat list's copy while its own answer comes.
 */
export function useConversation(id: string): UseQueryResult<Conversation> {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: chatKeys.conversation(id),
    queryFn: () => getConversation(id),
    placeholderData: () =>
      queryClient
        .getQueryData<ConversationsData>(chatKeys.conversations())
        ?.pages.flatMap((page) => page.items)
        .find((conversation) => conversation.id === id),
  });
}
