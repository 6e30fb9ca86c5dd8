import { InfiniteQueryObserver, QueryClient } from "@tanstack/react-query";

import type { Conversation, MessagePage } from "@/features/chat/api/chat-api";
import { historyItems, listItems, type ConversationsData, type MessagesData } from "@/features/chat/cache";
import { chatKeys } from "@/features/chat/keys";
import {
  isOnline,
  onOwnMessage,
  onReconnect,
  registerChatLive,
  sendTyping,
  subscribeTyping,
  typingIn,
  viewConversation,
  type ChatConnection,
} from "@/features/chat/live";
import { anna, boris, chatMessage, conversation, conversationsData, me, messagesData } from "@/features/chat/test-support";
import { LiveRegistry, type ConnectionState, type Ready } from "@/lib/realtime";

function setUp() {
  const registry = new LiveRegistry();
  const queryClient = new QueryClient();
  const notice = vi.fn();
  const connection: ChatConnection & { state: ConnectionState; listeners: Set<() => void> } = {
    state: "online",
    listeners: new Set(),
    sendTyping: vi.fn(),
    getState: () => connection.state,
    subscribe: (listener) => {
      connection.listeners.add(listener);
      return () => connection.listeners.delete(listener);
    },
  };
  registerChatLive(registry, queryClient, () => me.id, notice, connection);
  queryClient.setQueryData<ConversationsData>(
    chatKeys.conversations(),
    conversationsData(
      [
        conversation("c1", { last_message: chatMessage("c1", 3), unread_count: 1, last_read_seq: 2 }),
        conversation("c2", { last_message: chatMessage("c2", 9), members: [me, anna, boris], kind: "room", title: "Friends" }),
      ],
      [conversation("c3", { last_message: chatMessage("c3", 1) })],
    ),
  );
  queryClient.setQueryData<MessagesData>(chatKeys.messages("c2"), messagesData("c2", [[6, 9], [1, 5]]));
  const list = () => listItems(queryClient.getQueryData<ConversationsData>(chatKeys.conversations()));
  const order = () => list().map((item) => `${item.id}:${item.last_message?.seq ?? "-"}:${item.unread_count}`);
  const seqs = (id: string) => historyItems(queryClient.getQueryData<MessagesData>(chatKeys.messages(id))).map((message) => message.seq);
  const inList = (id: string) => list().find((item) => item.id === id);
  const unread = () => queryClient.getQueryData<number>(chatKeys.unread);
  return { registry, queryClient, notice, connection, list, order, seqs, inList, unread };
}

/** A page of history: seqs `from` to `to`. */
const page = (id: string, from: number, to: number): MessagePage => ({
  items: Array.from({ length: to - from + 1 }, (_, i) => chatMessage(id, from + i)),
  has_more: false,
});

const ready = (changes: Partial<Ready> = {}) => ({ counts: { unread_messages: 4 }, online: [], ...changes }) as unknown as Ready;

afterEach(() => viewConversation(null));

describe("messages arriving live", () => {
  it("go to the end of their conversation's history, and the conversation to the top of the list with one more unread", () => {
    const { registry, order, seqs, unread } = setUp();
    registry.event({ type: "message_created", conversation_id: "c2", message: chatMessage("c2", 10), unread_messages: 5 });
    expect(seqs("c2")).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(order()).toEqual(["c2:10:1", "c1:3:1", "c3:1:0"]);
    expect(unread()).toBe(5);
  });

  it("are shown once, however often they arrive (live and as the answer to sending)", () => {
    const { registry, order, seqs } = setUp();
    const message = { type: "message_created", conversation_id: "c2", message: chatMessage("c2", 10) } as const;
    registry.event(message);
    registry.event(message);
    registry.event({ ...message, message: chatMessage("c2", 9) });
    expect(seqs("c2")).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(order()).toEqual(["c2:10:1", "c1:3:1", "c3:1:0"]);
  });

  it("read the history again, rather than show it with a hole, when one comes beyond the next seq", () => {
    const { registry, queryClient, seqs } = setUp();
    registry.event({ type: "message_created", conversation_id: "c2", message: chatMessage("c2", 11) });
    expect(seqs("c2").slice(-2)).toEqual([8, 9]);
    expect(queryClient.getQueryState(chatKeys.messages("c2"))?.isInvalidated).toBe(true);
  });

  it("are not lost to a first read of the history on its way: that read is dropped and the history read again", async () => {
    const { registry, queryClient, seqs } = setUp();
    const answers: ((page: MessagePage) => void)[] = [];
    const observer = new InfiniteQueryObserver(queryClient, {
      queryKey: chatKeys.messages("c1"),
      queryFn: () => new Promise<MessagePage>((resolve) => answers.push(resolve)),
      initialPageParam: null as number | null,
      getNextPageParam: () => null,
      staleTime: Infinity,
    });
    const stop = observer.subscribe(() => undefined);
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    registry.event({ type: "message_created", conversation_id: "c1", message: chatMessage("c1", 4) });
    // The answer as the server had it before the message.
    answers[0]?.(page("c1", 1, 3));
    await vi.waitFor(() => expect(answers).toHaveLength(2));
    answers[1]?.(page("c1", 1, 4));
    await vi.waitFor(() => expect(seqs("c1")).toEqual([1, 2, 3, 4]));
    stop();
  });

  it("are not lost to a read of the loaded history on its way (a resync's): the history is read again", async () => {
    const { registry, queryClient, seqs } = setUp();
    const server = { newest: 9 };
    let answer = () => undefined as void;
    const held = new Promise<void>((resolve) => (answer = resolve));
    const observer = new InfiniteQueryObserver(queryClient, {
      queryKey: chatKeys.messages("c2"),
      queryFn: async ({ pageParam }: { pageParam: number | null }) => {
        const newest = server.newest;
        await held;
        return pageParam === null ? { ...page("c2", 6, newest), has_more: true } : page("c2", 1, 5);
      },
      initialPageParam: null as number | null,
      getNextPageParam: (last: MessagePage) => (last.has_more ? (last.items[0]?.seq ?? null) : null),
      staleTime: Infinity,
    });
    const stop = observer.subscribe(() => undefined);
    registry.resync();
    await vi.waitFor(() => expect(queryClient.getQueryState(chatKeys.messages("c2"))?.fetchStatus).toBe("fetching"));
    server.newest = 10;
    registry.event({ type: "message_created", conversation_id: "c2", message: chatMessage("c2", 10) });
    answer();
    await vi.waitFor(() => expect(queryClient.getQueryState(chatKeys.messages("c2"))?.fetchStatus).toBe("idle"));
    expect(seqs("c2")).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    stop();
  });

  it("of my own move the conversation up as read, and are handed to the outbox, with no notice", () => {
    const { registry, order, inList, notice } = setUp();
    const own = vi.fn();
    const stop = onOwnMessage(own);
    const message = chatMessage("c1", 4, { sender: me });
    registry.event({ type: "message_created", conversation_id: "c1", message });
    stop();
    expect(order()[0]).toBe("c1:4:0");
    expect(inList("c1")?.last_read_seq).toBe(4);
    expect(own).toHaveBeenCalledWith(message);
    expect(notice).not.toHaveBeenCalled();
  });

  it("from others bring a notice, except in the conversation on screen or when they ask for no alert", () => {
    const { registry, notice } = setUp();
    registry.event({ type: "message_created", conversation_id: "c1", message: chatMessage("c1", 4), alert: true });
    expect(notice).toHaveBeenCalledWith(expect.objectContaining({ seq: 4 }), expect.objectContaining({ id: "c1" }));
    viewConversation("c1");
    registry.event({ type: "message_created", conversation_id: "c1", message: chatMessage("c1", 5), alert: true });
    registry.event({ type: "message_created", conversation_id: "c3", message: chatMessage("c3", 2), alert: false });
    expect(notice).toHaveBeenCalledTimes(1);
  });

  it("in a conversation the list does not have yet read the list again", () => {
    const { registry, queryClient } = setUp();
    registry.event({ type: "message_created", conversation_id: "c9", message: chatMessage("c9", 1) });
    expect(queryClient.getQueryState(chatKeys.conversations())?.isInvalidated).toBe(true);
  });

  it("leave an unloaded history alone: it is read when opened", () => {
    const { registry, queryClient } = setUp();
    registry.event({ type: "message_created", conversation_id: "c1", message: chatMessage("c1", 4) });
    expect(queryClient.getQueryData(chatKeys.messages("c1"))).toBeUndefined();
  });

  it("update the conversation cached on its own too", () => {
    const { registry, queryClient } = setUp();
    queryClient.setQueryData<Conversation>(chatKeys.conversation("c3"), conversation("c3", { last_message: chatMessage("c3", 1) }));
    registry.event({ type: "message_created", conversation_id: "c3", message: chatMessage("c3", 2) });
    expect(queryClient.getQueryData<Conversation>(chatKeys.conversation("c3"))).toMatchObject({ unread_count: 1, last_message: { seq: 2 } });
  });
});

describe("edits and deletions arriving live", () => {
  it("replace the message in the history and in the list's preview", () => {
    const { registry, queryClient, inList } = setUp();
    const edited = chatMessage("c2", 9, { body: "fixed", edited_at: "2026-11-22T11:00:00Z" });
    registry.event({ type: "message_edited", conversation_id: "c2", message: edited });
    const history = historyItems(queryClient.getQueryData<MessagesData>(chatKeys.messages("c2")));
    expect(history.at(-1)?.body).toBe("fixed");
    expect(inList("c2")?.last_message?.body).toBe("fixed");
  });

  it("keep a deleted message's place, without its words and pictures", () => {
    const { registry, queryClient, inList } = setUp();
    registry.event({ type: "message_deleted", conversation_id: "c2", seq: 9 });
    registry.event({ type: "message_deleted", conversation_id: "c2", seq: 2 });
    const history = historyItems(queryClient.getQueryData<MessagesData>(chatKeys.messages("c2")));
    expect(history.filter((message) => message.deleted).map((message) => [message.seq, message.body])).toEqual([
      [2, null],
      [9, null],
    ]);
    expect(inList("c2")?.last_message).toMatchObject({ deleted: true, body: null });
  });
});

describe("read marks arriving live", () => {
  it("of mine clear the conversation's unread count and take the server's badge", () => {
    const { registry, inList, unread } = setUp();
    registry.event({ type: "conversation_read", conversation_id: "c1", user_id: me.id, seq: 3, unread_messages: 0 });
    expect(inList("c1")).toMatchObject({ unread_count: 0, last_read_seq: 3 });
    expect(unread()).toBe(0);
  });

  it("of mine short of the last message read the counts again", () => {
    const { registry, queryClient } = setUp();
    queryClient.setQueryData<ConversationsData>(chatKeys.conversations(), (list) => list);
    registry.event({ type: "conversation_read", conversation_id: "c2", user_id: me.id, seq: 5, unread_messages: 3 });
    expect(queryClient.getQueryState(chatKeys.conversations())?.isInvalidated).toBe(true);
  });

  it("of others move their mark forward, never back, for the read ticks", () => {
    const { registry, inList } = setUp();
    registry.event({ type: "conversation_read", conversation_id: "c2", user_id: anna.id, seq: 8 });
    registry.event({ type: "conversation_read", conversation_id: "c2", user_id: boris.id, seq: 9 });
    registry.event({ type: "conversation_read", conversation_id: "c2", user_id: anna.id, seq: 7 });
    expect(inList("c2")?.read_marks).toEqual([
      { user_id: anna.id, last_read_seq: 8 },
      { user_id: boris.id, last_read_seq: 9 },
    ]);
    expect(inList("c2")?.unread_count).toBe(0);
  });
});

describe("conversation changes arriving live", () => {
  it("mute and unmute in place, with the badge as the server counts it", () => {
    const { registry, inList, unread } = setUp();
    registry.event({ type: "conversation_muted", conversation_id: "c1", muted: true, unread_messages: 2 });
    expect(inList("c1")?.muted).toBe(true);
    expect(unread()).toBe(2);
  });

  it("read a changed conversation and the list again", () => {
    const { registry, queryClient } = setUp();
    queryClient.setQueryData<Conversation>(chatKeys.conversation("c2"), conversation("c2"));
    registry.event({ type: "conversation_changed", conversation_id: "c2" });
    expect(queryClient.getQueryState(chatKeys.conversation("c2"))?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(chatKeys.conversations())?.isInvalidated).toBe(true);
  });

  it("take a conversation I left out of the list and forget its messages", () => {
    const { registry, queryClient, order, unread } = setUp();
    registry.event({ type: "conversation_left", conversation_id: "c2", unread_messages: 1 });
    expect(order()).toEqual(["c1:3:1", "c3:1:0"]);
    expect(queryClient.getQueryData(chatKeys.messages("c2"))).toBeUndefined();
    expect(unread()).toBe(1);
  });
});

describe("the connection", () => {
  it("sets the badge from every ready, and tells the outbox it may send again", () => {
    const { registry, unread } = setUp();
    const reconnected = vi.fn();
    const stop = onReconnect(reconnected);
    registry.ready(ready(), true);
    expect(unread()).toBe(4);
    registry.ready(ready({ counts: { unread_messages: 6 } as Ready["counts"] }), false);
    expect(unread()).toBe(6);
    expect(reconnected).toHaveBeenCalledTimes(2);
    stop();
  });

  it("reads everything again after a resync, except the badge it alone sets", () => {
    const { registry, queryClient } = setUp();
    queryClient.setQueryData(chatKeys.unread, 3);
    registry.resync();
    expect(queryClient.getQueryState(chatKeys.messages("c2"))?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(chatKeys.conversations())?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(chatKeys.unread)?.isInvalidated).toBe(false);
  });

  it("knows who is online from ready and presence frames", () => {
    const { registry } = setUp();
    registry.ready(ready({ online: [anna.id] }), true);
    expect(isOnline(anna.id)).toBe(true);
    registry.presence({ type: "presence", user_id: boris.id, online: true });
    registry.presence({ type: "presence", user_id: anna.id, online: false, last_seen_at: "2026-11-22T10:00:00Z" });
    expect([isOnline(anna.id), isOnline(boris.id)]).toEqual([false, true]);
    registry.ready(ready({ online: [] }), false);
    expect(isOnline(boris.id)).toBe(false);
  });

  it("passes typing on to the connection", () => {
    const { connection } = setUp();
    sendTyping("c1");
    expect(connection.sendTyping).toHaveBeenCalledWith("c1");
  });
});

describe("who is typing", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("lists the others typing until their mark expires, each on its own clock", () => {
    const { registry } = setUp();
    const changed = vi.fn();
    const stop = subscribeTyping(changed);
    registry.userTyping({ type: "user_typing", conversation_id: "c2", user_id: anna.id, expires_in_ms: 5000 });
    vi.advanceTimersByTime(3000);
    registry.userTyping({ type: "user_typing", conversation_id: "c2", user_id: boris.id, expires_in_ms: 5000 });
    expect(typingIn("c2")).toEqual([anna.id, boris.id]);
    const snapshot = typingIn("c2");
    // Anna types on: her mark is renewed (to 9 s), and nothing changes for the screen.
    vi.advanceTimersByTime(1000);
    registry.userTyping({ type: "user_typing", conversation_id: "c2", user_id: anna.id, expires_in_ms: 5000 });
    expect(typingIn("c2")).toBe(snapshot);
    vi.advanceTimersByTime(4000); // 8 s: Boris's mark is over
    expect(typingIn("c2")).toEqual([anna.id]);
    vi.advanceTimersByTime(1000);
    expect(typingIn("c2")).toEqual([]);
    expect(changed).toHaveBeenCalledTimes(4);
    stop();
  });

  it("takes someone off when their message arrives, and never lists me", () => {
    const { registry } = setUp();
    registry.userTyping({ type: "user_typing", conversation_id: "c1", user_id: anna.id, expires_in_ms: 5000 });
    registry.userTyping({ type: "user_typing", conversation_id: "c1", user_id: me.id, expires_in_ms: 5000 });
    expect(typingIn("c1")).toEqual([anna.id]);
    registry.event({ type: "message_created", conversation_id: "c1", message: chatMessage("c1", 4) });
    expect(typingIn("c1")).toEqual([]);
  });

  it("forgets everyone typing and online when signed out", () => {
    const { registry, connection } = setUp();
    registry.ready(ready({ online: [anna.id] }), true);
    registry.userTyping({ type: "user_typing", conversation_id: "c1", user_id: anna.id, expires_in_ms: 5000 });
    connection.state = "idle";
    connection.listeners.forEach((listener) => listener());
    expect(typingIn("c1")).toEqual([]);
    expect(isOnline(anna.id)).toBe(false);
  });
});
