// What the live connection changes in the messenger: messages merged into
// the cached history and the chat list (in place, never read again unless
// events may have been missed), the unread badge as the server counts it,
// and two ephemeral things no request can tell: who is online and who is
// typing. Loaded with the app (the nav badge needs it), so it imports only
// the keys and types: the code that rewrites cached messages (cache.ts)
// comes with the messenger's screens and attaches itself here — before it
// has loaded nothing of the messenger is cached, so there is nothing to rewrite.
import type { QueryClient } from "@tanstack/react-query";

import type { ChatMessage, Conversation } from "@/features/chat/api/chat-api";
import type * as Cache from "@/features/chat/cache";
import { chatKeys, outboxStorageKey } from "@/features/chat/keys";
import type { ConnectionState, LiveRegistry } from "@/lib/realtime";

type CacheOps = Pick<typeof Cache, "messageArrived" | "messageEdited" | "messageDeleted" | "readByMe" | "readByOther" | "setConversation" | "withoutConversation">;
let cache: CacheOps | null = null;

/** cache.ts calls this as it loads. */
export function attachChatCache(ops: CacheOps): void {
  cache = ops;
}

/** What the messenger needs of the connection (the app passes its `Realtime`). */
export interface ChatConnection {
  sendTyping(conversationId: string): void;
  getState(): ConnectionState;
  subscribe(listener: () => void): () => void;
}

/** Tells the person of a message from someone else in a conversation they are not looking at. */
export type ChatNotice = (message: ChatMessage, conversation: Conversation | undefined) => void;

type Listener = () => void;

// ---- the conversation on screen -------------------------------------------

let openConversation: string | null = null;

/** The conversation on screen (null: none): its messages bring no notice. `useMarkRead` says it. */
export function viewConversation(conversationId: string | null): void {
  openConversation = conversationId;
}

// ---- the connection, for typing and for the outbox --------------------------

let connection: ChatConnection | null = null;
const reconnectListeners = new Set<Listener>();
const ownMessageListeners = new Set<(message: ChatMessage) => void>();

/** Sends the `typing` frame for a conversation (a no-op while not connected). */
export function sendTyping(conversationId: string): void {
  connection?.sendTyping(conversationId);
}

/** The connection's state ("idle" before the app passes one). */
export function connectionState(): ConnectionState {
  return connection?.getState() ?? "idle";
}

/** Follows the connection's state (for `useSyncExternalStore`). */
export function subscribeConnection(listener: Listener): () => void {
  return connection?.subscribe(listener) ?? (() => undefined);
}

/** Each time the connection is (re)established: the outbox tries again at once. */
export function onReconnect(listener: Listener): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

/** My own messages as the live connection brings them (sent from here or another device). */
export function onOwnMessage(listener: (message: ChatMessage) => void): () => void {
  ownMessageListeners.add(listener);
  return () => ownMessageListeners.delete(listener);
}

// ---- presence ---------------------------------------------------------------

const online = new Set<string>();
const presenceListeners = new Set<Listener>();

export function isOnline(userId: string): boolean {
  return online.has(userId);
}

export function subscribePresence(listener: Listener): () => void {
  presenceListeners.add(listener);
  return () => presenceListeners.delete(listener);
}

function presenceChanged(): void {
  presenceListeners.forEach((listener) => listener());
}

// ---- typing -----------------------------------------------------------------

/** Per conversation: who types, until when (their own timers take them off). */
const typing = new Map<string, Map<string, ReturnType<typeof setTimeout>>>();
/** Per conversation, the ids typing now: a stable array until it changes (for useSyncExternalStore). */
const typingSnapshots = new Map<string, readonly string[]>();
const typingListeners = new Set<Listener>();
const NOBODY: readonly string[] = [];

/** The ids of the people typing in a conversation now, in the order they began. */
export function typingIn(conversationId: string): readonly string[] {
  return typingSnapshots.get(conversationId) ?? NOBODY;
}

export function subscribeTyping(listener: Listener): () => void {
  typingListeners.add(listener);
  return () => typingListeners.delete(listener);
}

function setTyping(conversationId: string, userId: string, expiresInMs: number | null): void {
  const people = typing.get(conversationId) ?? new Map<string, ReturnType<typeof setTimeout>>();
  const had = people.has(userId);
  clearTimeout(people.get(userId));
  if (expiresInMs === null) {
    if (!had) return;
    people.delete(userId);
  } else {
    people.set(userId, setTimeout(() => setTyping(conversationId, userId, null), expiresInMs));
    if (had) return; // the same people: nothing to tell
  }
  if (people.size) typing.set(conversationId, people);
  else typing.delete(conversationId);
  if (people.size) typingSnapshots.set(conversationId, [...people.keys()]);
  else typingSnapshots.delete(conversationId);
  typingListeners.forEach((listener) => listener());
}

function forgetEphemeral(): void {
  for (const [conversationId, people] of typing) for (const userId of people.keys()) setTyping(conversationId, userId, null);
  online.clear();
  presenceChanged();
}

// ---- the handlers -------------------------------------------------------------

export function registerChatLive(
  registry: LiveRegistry,
  queryClient: QueryClient,
  me: () => string | null,
  notice: ChatNotice,
  chatConnection?: ChatConnection,
): void {
  connection = chatConnection ?? null;
  const setUnread = (count: number | null | undefined) => {
    if (typeof count === "number") queryClient.setQueryData<number>(chatKeys.unread, Math.max(0, count));
  };
  const cachedConversation = (id: string): Conversation | undefined =>
    queryClient.getQueryData<Conversation>(chatKeys.conversation(id)) ??
    queryClient
      .getQueryData<Cache.ConversationsData>(chatKeys.conversations())
      ?.pages.flatMap((page) => page.items)
      .find((conversation) => conversation.id === id);
  /** Rewrites the cache; should something be cached without the code to do it, it is read again instead. */
  const withCache = (run: (ops: CacheOps) => void) => {
    if (cache) run(cache);
    else if (queryClient.getQueryCache().findAll({ queryKey: chatKeys.all }).some((query) => query.queryKey[1] !== chatKeys.unread[1])) {
      void queryClient.invalidateQueries({ queryKey: chatKeys.all, predicate: (query) => query.queryKey[1] !== chatKeys.unread[1] });
    }
  };

  registry.on("message_created", (event) => {
    setUnread(event.unread_messages);
    const message = event.message;
    const mine = message.sender?.id === me();
    // They sent what they were typing.
    if (message.sender) setTyping(event.conversation_id, message.sender.id, null);
    withCache((ops) => ops.messageArrived(queryClient, message, mine));
    if (mine) ownMessageListeners.forEach((listener) => listener(message));
    else if (event.alert !== false && event.conversation_id !== openConversation) {
      notice(message, cachedConversation(event.conversation_id));
    }
  });
  registry.on("message_edited", (event) => withCache((ops) => ops.messageEdited(queryClient, event.message)));
  registry.on("message_deleted", (event) => withCache((ops) => ops.messageDeleted(queryClient, event.conversation_id, event.seq)));
  registry.on("conversation_read", (event) => {
    if (event.user_id === me()) {
      setUnread(event.unread_messages);
      withCache((ops) => ops.readByMe(queryClient, event.conversation_id, event.seq));
    } else {
      withCache((ops) => ops.readByOther(queryClient, event.conversation_id, event.user_id, event.seq));
    }
  });
  registry.on("conversation_muted", (event) => {
    setUnread(event.unread_messages);
    withCache((ops) => ops.setConversation(queryClient, event.conversation_id, (conversation) => ({ ...conversation, muted: event.muted })));
  });
  registry.on("conversation_changed", (event) => {
    void queryClient.invalidateQueries({ queryKey: chatKeys.conversation(event.conversation_id) });
    void queryClient.invalidateQueries({ queryKey: chatKeys.conversations() });
  });
  registry.on("conversation_left", (event) => {
    setUnread(event.unread_messages);
    withCache((ops) => queryClient.setQueryData<Cache.ConversationsData>(chatKeys.conversations(), (list) => ops.withoutConversation(list, event.conversation_id)));
    queryClient.removeQueries({ queryKey: chatKeys.messages(event.conversation_id) });
    // A page still showing it reads it again, and learns (404) that it is gone.
    void queryClient.invalidateQueries({ queryKey: chatKeys.conversation(event.conversation_id) });
  });

  registry.onReady((ready) => {
    // The count is the truth at this moment on every connection; events
    // resumed after it carry the count as it was after each of them.
    setUnread(ready.counts.unread_messages);
    online.clear();
    ready.online.forEach((userId) => online.add(userId));
    presenceChanged();
    reconnectListeners.forEach((listener) => listener());
    // Typed-offline messages of an earlier visit go out even if the messenger is not opened.
    resumeStoredOutbox(me());
  });
  registry.onPresence((frame) => {
    if (frame.online === online.has(frame.user_id)) return;
    if (frame.online) online.add(frame.user_id);
    else online.delete(frame.user_id);
    presenceChanged();
  });
  registry.onUserTyping((frame) => {
    if (frame.user_id !== me()) setTyping(frame.conversation_id, frame.user_id, frame.expires_in_ms);
  });
  registry.onResync(() => {
    // Everything but the badge (only the connection sets it) is read again.
    void queryClient.invalidateQueries({ queryKey: chatKeys.all, predicate: (query) => query.queryKey[1] !== chatKeys.unread[1] });
  });
  connection?.subscribe(() => {
    if (connection?.getState() === "idle") forgetEphemeral(); // signed out
  });
}

function resumeStoredOutbox(userId: string | null): void {
  if (userId === null) return;
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(outboxStorageKey(userId));
  } catch {
    return; // storage refused (private mode): nothing was kept
  }
  if (stored && stored !== "[]") void import("@/features/chat/store/outbox").then((module) => module.outboxFor(userId));
}
