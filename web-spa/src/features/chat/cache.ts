// How news of a conversation rewrites the cached history and chat list, in
// place: live events, the outbox's answers and optimistic read marks share
// these, so nothing is read again for something the client already knows,
// and a message that arrives twice (by the live connection and as the
// answer to sending it) is still shown once.
import type { InfiniteData, QueryClient } from "@tanstack/react-query";

import type { ChatMessage, Conversation, ConversationPage, MessagePage } from "@/features/chat/api/chat-api";
import { chatKeys } from "@/features/chat/keys";
import { attachChatCache } from "@/features/chat/live";

/** A conversation's history: pages[0] is the newest stretch; each next page is older (its `before` seq as param). */
export type MessagesData = InfiniteData<MessagePage, number | null>;
/** The chat list, latest activity first. */
export type ConversationsData = InfiniteData<ConversationPage, string | null>;

// ---- messages -----------------------------------------------------------------

const bySeq = (a: ChatMessage, b: ChatMessage) => a.seq - b.seq;

/**
 * The history with a new message in its place by seq, once: one already
 * there is kept (the first copy to arrive wins; edits come as their own
 * events). A message older than everything loaded is left for the page that
 * will load it.
 */
export function withMessage(data: MessagesData | undefined, message: ChatMessage): MessagesData | undefined {
  if (!data || data.pages.some((page) => page.items.some((item) => item.seq === message.seq))) return data;
  // Pages are contiguous stretches, newest first: the first that starts below it takes it.
  const index = data.pages.findIndex((page, i) => {
    const oldest = page.items[0];
    if (oldest === undefined || message.seq > oldest.seq) return true;
    // Older than all loaded, and the conversation's beginning is loaded: it goes first.
    return !page.has_more && i === data.pages.length - 1;
  });
  if (index < 0) return data;
  return {
    ...data,
    pages: data.pages.map((page, i) => (i === index ? { ...page, items: [...page.items, message].sort(bySeq) } : page)),
  };
}

/** The history with the message of the same seq replaced (an edit); nothing added. */
export function withReplaced(data: MessagesData | undefined, message: ChatMessage): MessagesData | undefined {
  return mapMessages(data, message.seq, () => message);
}

/** The history with message `seq` deleted: its place stays, its words and pictures go. */
export function withDeleted(data: MessagesData | undefined, seq: number): MessagesData | undefined {
  return mapMessages(data, seq, (message) => ({ ...message, deleted: true, body: null, images: [] }));
}

function mapMessages(data: MessagesData | undefined, seq: number, change: (message: ChatMessage) => ChatMessage): MessagesData | undefined {
  if (!data || !data.pages.some((page) => page.items.some((item) => item.seq === seq))) return data;
  return {
    ...data,
    pages: data.pages.map((page) =>
      page.items.some((item) => item.seq === seq) ? { ...page, items: page.items.map((item) => (item.seq === seq ? change(item) : item)) } : page,
    ),
  };
}

/** The loaded messages, oldest first, each once. */
export function historyItems(data: { pages: MessagePage[] } | undefined): ChatMessage[] {
  if (!data) return [];
  const seen = new Set<number>();
  const items: ChatMessage[] = [];
  // Pages go newest first; their items oldest first.
  for (const page of [...data.pages].reverse()) {
    for (const item of page.items) {
      if (seen.has(item.seq)) continue;
      seen.add(item.seq);
      items.push(item);
    }
  }
  return items.sort(bySeq);
}

// ---- conversations ------------------------------------------------------------

/** The chat list with one conversation changed in place (if it is there). */
export function withConversation(list: ConversationsData | undefined, id: string, change: (conversation: Conversation) => Conversation): ConversationsData | undefined {
  if (!list || !list.pages.some((page) => page.items.some((item) => item.id === id))) return list;
  return {
    ...list,
    pages: list.pages.map((page) => ({ ...page, items: page.items.map((item) => (item.id === id ? change(item) : item)) })),
  };
}

/** The chat list with the conversation changed and moved to the top (new activity). */
export function withOnTop(list: ConversationsData | undefined, id: string, change: (conversation: Conversation) => Conversation): ConversationsData | undefined {
  const found = list?.pages.flatMap((page) => page.items).find((item) => item.id === id);
  if (!list || !found) return list;
  const pages = list.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== id) }));
  const [first, ...rest] = pages;
  if (!first) return list;
  return { ...list, pages: [{ ...first, items: [change(found), ...first.items] }, ...rest] };
}

export function withoutConversation(list: ConversationsData | undefined, id: string): ConversationsData | undefined {
  if (!list || !list.pages.some((page) => page.items.some((item) => item.id === id))) return list;
  return { ...list, pages: list.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== id) })) };
}

export function inList(list: ConversationsData | undefined, id: string): boolean {
  return !!list?.pages.some((page) => page.items.some((item) => item.id === id));
}

/** The list's conversations in order, each once (a live update may have moved one up). */
export function listItems(list: { pages: ConversationPage[] } | undefined): Conversation[] {
  const seen = new Set<string>();
  return (list?.pages ?? []).flatMap((page) => page.items).filter((item) => !seen.has(item.id) && !!seen.add(item.id));
}

/** A new message counted into a conversation: its preview, activity, and (from others) one more unread. */
export function countMessage(conversation: Conversation, message: ChatMessage, mine: boolean): Conversation {
  // This very message counted already (it came live and as an answer), or an older one arriving late.
  const last = conversation.last_message;
  if (last && message.seq <= last.seq) return conversation;
  return {
    ...conversation,
    last_message: message,
    last_activity_at: message.created_at,
    // Sending marks my own message read, and so everything before it.
    last_read_seq: mine ? Math.max(conversation.last_read_seq, message.seq) : conversation.last_read_seq,
    unread_count: mine ? 0 : conversation.unread_count + 1,
  };
}

// ---- on the query client -------------------------------------------------------

/** Changes a conversation wherever it is cached: on its own and in the list. */
export function setConversation(queryClient: QueryClient, id: string, change: (conversation: Conversation) => Conversation): void {
  queryClient.setQueryData<Conversation>(chatKeys.conversation(id), (conversation) => (conversation ? change(conversation) : conversation));
  queryClient.setQueryData<ConversationsData>(chatKeys.conversations(), (list) => withConversation(list, id, change));
}

/** The newest seq in a loaded history (0: none). */
function newestSeq(data: MessagesData): number {
  return data.pages.reduce((newest, page) => Math.max(newest, page.items.at(-1)?.seq ?? 0), 0);
}

/**
 * Rewrites a conversation's cached history in place; `change` returning
 * undefined means it cannot be (a hole: messages were missed). While the
 * history is not loaded or being read (its answer, read before this news,
 * would overwrite the change — and with staleTime: Infinity nothing would
 * read it again), and on a hole, it is read again instead: the read on its
 * way is dropped, the history read anew if shown, else when next shown.
 */
function changeHistory(queryClient: QueryClient, id: string, change: (data: MessagesData) => MessagesData | undefined): void {
  const queryKey = chatKeys.messages(id);
  const query = queryClient.getQueryCache().find<MessagesData>({ queryKey, exact: true });
  if (!query) return; // never opened: it is read when opened
  const data = query.state.data;
  const fetching = query.state.fetchStatus !== "idle";
  const changed = data === undefined || fetching ? undefined : change(data);
  if (changed !== undefined) {
    if (changed !== data) queryClient.setQueryData<MessagesData>(queryKey, changed);
    return;
  }
  if (fetching) void queryClient.cancelQueries({ queryKey, exact: true });
  void queryClient.invalidateQueries({ queryKey, exact: true });
}

/** A message arrived (live, or as the answer to sending it): into its history, and its conversation to the top. */
export function messageArrived(queryClient: QueryClient, message: ChatMessage, mine: boolean): void {
  const id = message.conversation_id;
  // Seqs have no gaps: one beyond the next proves some were missed, so the history is read again rather than shown with a hole.
  changeHistory(queryClient, id, (data) => (message.seq > newestSeq(data) + 1 ? undefined : withMessage(data, message)));
  queryClient.setQueryData<Conversation>(chatKeys.conversation(id), (conversation) => (conversation ? countMessage(conversation, message, mine) : conversation));
  const list = queryClient.getQueryData<ConversationsData>(chatKeys.conversations());
  if (!list) return;
  if (inList(list, id)) {
    queryClient.setQueryData<ConversationsData>(chatKeys.conversations(), withOnTop(list, id, (conversation) => countMessage(conversation, message, mine)));
  } else {
    // A conversation new to this list (someone wrote first): read the list again.
    void queryClient.invalidateQueries({ queryKey: chatKeys.conversations() });
  }
}

export function messageEdited(queryClient: QueryClient, message: ChatMessage): void {
  const id = message.conversation_id;
  changeHistory(queryClient, id, (data) => withReplaced(data, message));
  setConversation(queryClient, id, (conversation) =>
    conversation.last_message?.seq === message.seq ? { ...conversation, last_message: message } : conversation,
  );
}

export function messageDeleted(queryClient: QueryClient, id: string, seq: number): void {
  changeHistory(queryClient, id, (data) => withDeleted(data, seq));
  setConversation(queryClient, id, (conversation) =>
    conversation.last_message?.seq === seq
      ? { ...conversation, last_message: { ...conversation.last_message, deleted: true, body: null, images: [] } }
      : conversation,
  );
}

/**
 * I read a conversation up to `seq` (here or on another device): nothing
 * is unread once the last message is read; short of it, the server's count
 * is read again.
 */
export function readByMe(queryClient: QueryClient, id: string, seq: number): void {
  let partly = false;
  setConversation(queryClient, id, (conversation) => {
    if (seq <= conversation.last_read_seq) return conversation;
    const all = seq >= (conversation.last_message?.seq ?? 0);
    partly ||= !all;
    return { ...conversation, last_read_seq: seq, unread_count: all ? 0 : conversation.unread_count };
  });
  if (partly) {
    void queryClient.invalidateQueries({ queryKey: chatKeys.conversation(id) });
    void queryClient.invalidateQueries({ queryKey: chatKeys.conversations() });
  }
}

/** Another member read up to `seq`: their read mark moves forward (for "read" ticks). */
export function readByOther(queryClient: QueryClient, id: string, userId: string, seq: number): void {
  setConversation(queryClient, id, (conversation) => {
    const marks = conversation.read_marks;
    const mark = marks.find((item) => item.user_id === userId);
    if (mark && mark.last_read_seq >= seq) return conversation;
    const others = marks.filter((item) => item.user_id !== userId);
    return { ...conversation, read_marks: [...others, { user_id: userId, last_read_seq: seq }] };
  });
}

// The live handlers (loaded with the app, without this module) use these from now on.
attachChatCache({ messageArrived, messageEdited, messageDeleted, readByMe, readByOther, setConversation, withoutConversation });
