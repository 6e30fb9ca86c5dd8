import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";

import type { Conversation, MessagePage } from "@/features/chat/api/chat-api";
import { chatKeys, outboxStorageKey } from "@/features/chat/keys";
import { useConversations } from "@/features/chat/hooks/use-conversations";
import { MARK_READ_DEBOUNCE_MS, useMarkRead } from "@/features/chat/hooks/use-mark-read";
import { useMessages } from "@/features/chat/hooks/use-messages";
import { useOnline } from "@/features/chat/hooks/use-online";
import { useSendMessage } from "@/features/chat/hooks/use-send-message";
import { useTyping } from "@/features/chat/hooks/use-typing";
import { useUnreadBadge } from "@/features/chat/hooks/use-unread-badge";
import { registerChatLive, type ChatConnection } from "@/features/chat/live";
import { outboxFor } from "@/features/chat/store/outbox";
import { anna, boris, chatMessage, conversation, me } from "@/features/chat/test-support";
import { authSession, type Me } from "@/lib/auth-session";
import { LiveRegistry, type Ready } from "@/lib/realtime";

interface Asked {
  method: string;
  path: string;
  query: string;
  body: unknown;
  authorization?: string | null;
}

interface Serve {
  send?: (body: { client_id: string; body: string | null }) => Response | Promise<Response>;
  /** Holds a read of the history (once asked) until the promise settles. */
  hold?: () => Promise<void> | undefined;
  /** The answer to a read mark. */
  read?: () => Response;
  /** The chat list's first (and only) page. */
  conversations?: () => Conversation[];
  /** The answer to a session refresh. */
  refresh?: () => Response;
}

/** A server with one conversation, "c1", of 1–120 messages; sending answers the message it makes. */
function serve(options: Serve = {}): Asked[] {
  const asked: Asked[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: Request | string, init?: RequestInit) => {
      const request = typeof input === "string" ? new Request(new URL(input, "http://localhost"), init) : input;
      const url = new URL(request.url);
      const body: unknown = request.method === "GET" ? null : await request.clone().json().catch(() => null);
      asked.push({ method: request.method, path: url.pathname, query: url.search, body, authorization: request.headers.get("Authorization") });
      if (url.pathname === "/api/v1/auth/refresh" && options.refresh) return options.refresh();
      if (url.pathname === "/api/v1/conversations/c1/messages" && request.method === "GET") {
        await options.hold?.();
        const before = Number(url.searchParams.get("before") ?? 121);
        const limit = Number(url.searchParams.get("limit"));
        const from = Math.max(1, before - limit);
        const page: MessagePage = { items: Array.from({ length: before - from }, (_, i) => chatMessage("c1", from + i)), has_more: from > 1 };
        return Response.json(page);
      }
      if (url.pathname === "/api/v1/conversations/c1/messages" && request.method === "POST") {
        const sent = body as { client_id: string; body: string | null };
        if (options.send) return options.send(sent);
        return Response.json(chatMessage("c1", 121, { client_id: sent.client_id, body: sent.body, sender: me }), { status: 201 });
      }
      if (url.pathname === "/api/v1/conversations/c1/read") return options.read?.() ?? Response.json({ last_read_seq: 120, unread_count: 0 });
      if (url.pathname === "/api/v1/conversations") {
        const items = options.conversations?.() ?? [conversation("c1", { members: [me, anna, boris], unread_count: 3, last_message: chatMessage("c1", 120) })];
        return Response.json({ items, next_cursor: null });
      }
      if (url.pathname === "/api/v1/conversations/c1") return Response.json(conversation("c1", { members: [me, anna, boris], unread_count: 3, last_read_seq: 117, last_message: chatMessage("c1", 120) }));
      return Response.json({ code: "not_found", status: 404, title: "x", detail: "x", type: "x" }, { status: 404 });
    }),
  );
  return asked;
}

function setUp() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const registry = new LiveRegistry();
  const notice = vi.fn();
  const connection: ChatConnection = { sendTyping: vi.fn(), getState: () => "online", subscribe: () => () => undefined };
  registerChatLive(registry, queryClient, () => me.id, notice, connection);
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
  return { queryClient, registry, notice, connection, wrapper };
}

const signIn = (expiresIn = 900) =>
  authSession.accept({ access_token: "token", expires_in: expiresIn, user: { id: me.id, handle: me.handle } as Me } as Parameters<typeof authSession.accept>[0]);
const unavailable = () => Response.json({ type: "about:blank", title: "Unavailable", status: 503, detail: "Later.", code: "internal_error" }, { status: 503 });

beforeEach(() => {
  localStorage.clear();
  signIn();
});
afterEach(() => {
  outboxFor(me.id).stop();
  authSession.clear();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  vi.useRealTimers();
});


describe("useMessages", () => {
  it("loads the newest messages first and older ones on demand, just before the oldest loaded", async () => {
    const asked = serve();
    const { wrapper } = setUp();
    const { result } = renderHook(() => useMessages("c1"), { wrapper });
    await waitFor(() => expect(result.current.isPending).toBe(false));
    expect(result.current.messages.map((message) => message.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 71 + i));
    expect(result.current.newestSeq).toBe(120);
    expect(result.current.hasOlder).toBe(true);
    act(() => result.current.loadOlder());
    await waitFor(() => expect(result.current.messages).toHaveLength(100));
    expect(asked.map((request) => request.query)).toEqual(["?limit=50", "?limit=50&before=71"]);
    expect(result.current.messages[0]?.seq).toBe(21);
  });

  it("shows my message at once as pending after the history, and in its place once sent, under the same key", async () => {
    let answer: ((response: Response) => void) | null = null;
    serve({ send: () => new Promise((resolve) => (answer = resolve)) });
    const { wrapper } = setUp();
    const { result } = renderHook(() => ({ messages: useMessages("c1"), sender: useSendMessage("c1") }), { wrapper });
    await waitFor(() => expect(result.current.messages.isPending).toBe(false));
    let clientId = "";
    act(() => {
      clientId = result.current.sender.send("Hi there")?.clientId ?? "";
    });
    const last = () => result.current.messages.items.at(-1);
    const key = `${me.id}:${clientId}`;
    expect(last()).toMatchObject({ key, pending: true, message: { body: "Hi there", state: "sending" } });
    await waitFor(() => expect(answer).not.toBeNull());
    await act(async () => answer?.(Response.json(chatMessage("c1", 121, { client_id: clientId, body: "Hi there", sender: me }), { status: 201 })));
    await waitFor(() => expect(last()?.pending).toBe(false));
    expect(last()).toMatchObject({ key, message: { seq: 121, body: "Hi there" } });
    expect(result.current.messages.items.filter((item) => item.key === key)).toHaveLength(1);
  });

  it("never shows a message twice when the live connection brings it before the answer", async () => {
    let answer: ((response: Response) => void) | null = null;
    serve({ send: () => new Promise((resolve) => (answer = resolve)) });
    const { wrapper, registry } = setUp();
    const { result } = renderHook(() => ({ messages: useMessages("c1"), sender: useSendMessage("c1") }), { wrapper });
    await waitFor(() => expect(result.current.messages.isPending).toBe(false));
    let clientId = "";
    act(() => {
      clientId = result.current.sender.send("Hi")?.clientId ?? "";
    });
    const message = chatMessage("c1", 121, { client_id: clientId, body: "Hi", sender: me });
    const key = `${me.id}:${clientId}`;
    act(() => registry.event({ type: "message_created", conversation_id: "c1", message }));
    await waitFor(() => expect(result.current.messages.items.filter((item) => item.key === key)).toEqual([{ key, pending: false, message }]));
    expect(result.current.messages.pending).toEqual([]);
    await waitFor(() => expect(answer).not.toBeNull());
    await act(async () => answer?.(Response.json(message, { status: 200 })));
    expect(result.current.messages.items.filter((item) => item.key === key)).toHaveLength(1);
  });

  it("keys messages by sender and client_id: another's message with my pending one's client_id hides nothing", async () => {
    // Anna's message 120 has this client_id (unique per sender only).
    const clash = "client-c1-120";
    vi.spyOn(crypto, "randomUUID").mockReturnValue(clash as ReturnType<typeof crypto.randomUUID>);
    serve({ send: () => new Promise(() => undefined) });
    const { wrapper } = setUp();
    const { result } = renderHook(() => ({ messages: useMessages("c1"), sender: useSendMessage("c1") }), { wrapper });
    await waitFor(() => expect(result.current.messages.isPending).toBe(false));
    act(() => void result.current.sender.send("Hi"));
    const keys = result.current.messages.items.map((item) => item.key);
    expect(keys.slice(-2)).toEqual([`${anna.id}:${clash}`, `${me.id}:${clash}`]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(result.current.messages.pending.map((message) => message.body)).toEqual(["Hi"]);
  });

  it("loads older messages without dropping a read of the history on its way (a resync's), and says it is reading", async () => {
    const gate = { held: undefined as Promise<void> | undefined, release: () => undefined as void };
    const asked = serve({ hold: () => gate.held });
    const { wrapper, queryClient } = setUp();
    const { result } = renderHook(() => useMessages("c1"), { wrapper });
    await waitFor(() => expect(result.current.isPending).toBe(false));
    expect(result.current.isFetching).toBe(false);
    gate.held = new Promise((resolve) => (gate.release = resolve));
    act(() => void queryClient.invalidateQueries({ queryKey: chatKeys.messages("c1") }));
    await waitFor(() => expect(result.current.isFetching).toBe(true));
    act(() => result.current.loadOlder());
    gate.held = undefined;
    gate.release();
    await waitFor(() => expect(result.current.isFetching).toBe(false));
    expect(asked.map((request) => request.query)).toEqual(["?limit=50", "?limit=50"]);
    expect(result.current.messages).toHaveLength(50);
  });
});

describe("the signed-in person's outbox", () => {
  it("sends with its own person's token", async () => {
    const asked = serve();
    const outbox = outboxFor(me.id);
    outbox.send("c1", "Hello", []);
    await vi.waitFor(() => expect(outbox.pending("c1")).toEqual([]));
    expect(asked.filter((request) => request.method === "POST").map((request) => request.authorization)).toEqual(["Bearer token"]);
  });

  it("sends nothing as another person a refresh signed in (another tab's cookie), and stops, the message kept for its person", async () => {
    const asked = serve({
      refresh: () => Response.json({ access_token: "boris-token", expires_in: 900, user: { id: boris.id, handle: boris.handle } }),
    });
    // The token is about to expire: the next request refreshes first.
    signIn(1);
    const outbox = outboxFor(me.id);
    outbox.send("c1", "mine", []);
    await vi.waitFor(() => expect(outbox.isStopped).toBe(true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked.filter((request) => request.path === "/api/v1/conversations/c1/messages")).toEqual([]);
    expect(JSON.parse(localStorage.getItem(outboxStorageKey(me.id)) ?? "[]")).toMatchObject([{ body: "mine" }]);
  });

  it("stops when they sign out, keeping their unsent messages stored for their return", () => {
    vi.stubGlobal("navigator", { onLine: false });
    const outbox = outboxFor(me.id);
    outbox.send("c1", "typed offline", []);
    act(() => authSession.clear());
    expect(outbox.isStopped).toBe(true);
    authSession.accept({ access_token: "token", expires_in: 900, user: { id: me.id, handle: me.handle } as Me } as Parameters<typeof authSession.accept>[0]);
    const again = outboxFor(me.id);
    expect(again).not.toBe(outbox);
    expect(again.pending("c1").map((message) => message.body)).toEqual(["typed offline"]);
  });
});

describe("useMarkRead", () => {
  it("tells the server the newest seq seen, once, after a pause, and drops the unread counts at once", async () => {
    const asked = serve();
    const { wrapper, queryClient } = setUp();
    queryClient.setQueryData(chatKeys.unread, 5);
    queryClient.setQueryData<Conversation>(chatKeys.conversation("c1"), conversation("c1", { unread_count: 3, last_read_seq: 117, last_message: chatMessage("c1", 120) }));
    vi.useFakeTimers();
    const { result } = renderHook(() => useMarkRead("c1"), { wrapper });
    act(() => {
      result.current(118);
      result.current(120);
      result.current(119);
    });
    await act(async () => vi.advanceTimersByTimeAsync(MARK_READ_DEBOUNCE_MS));
    const marks = asked.filter((request) => request.path.endsWith("/read"));
    expect(marks.map((request) => request.body)).toEqual([{ seq: 120 }]);
    expect(queryClient.getQueryData<Conversation>(chatKeys.conversation("c1"))).toMatchObject({ unread_count: 0, last_read_seq: 120 });
    expect(queryClient.getQueryData(chatKeys.unread)).toBe(2);
    act(() => result.current(120));
    await act(async () => vi.advanceTimersByTimeAsync(MARK_READ_DEBOUNCE_MS));
    expect(asked.filter((request) => request.path.endsWith("/read"))).toHaveLength(1);
  });

  it("tells a mark again, after a wait, when the server could not take it", async () => {
    let failures = 1;
    const asked = serve({ read: () => (failures-- > 0 ? unavailable() : Response.json({ last_read_seq: 120, unread_count: 0 })) });
    const { wrapper, queryClient } = setUp();
    queryClient.setQueryData<Conversation>(chatKeys.conversation("c1"), conversation("c1", { unread_count: 3, last_read_seq: 117, last_message: chatMessage("c1", 120) }));
    vi.useFakeTimers();
    const { result } = renderHook(() => useMarkRead("c1"), { wrapper });
    const marks = () => asked.filter((request) => request.path.endsWith("/read")).map((request) => request.body);
    act(() => result.current(120));
    await act(async () => vi.advanceTimersByTimeAsync(MARK_READ_DEBOUNCE_MS));
    expect(marks()).toEqual([{ seq: 120 }]);
    await act(async () => vi.advanceTimersByTimeAsync(2000));
    expect(marks()).toEqual([{ seq: 120 }, { seq: 120 }]);
    await act(async () => vi.advanceTimersByTimeAsync(60_000));
    expect(marks()).toHaveLength(2);
  });

  it("tells a mark still waiting when the conversation closes, rather than drop it (it was seen)", async () => {
    const asked = serve();
    const { wrapper, queryClient } = setUp();
    queryClient.setQueryData<Conversation>(chatKeys.conversation("c1"), conversation("c1", { last_read_seq: 117 }));
    vi.useFakeTimers();
    const { result, unmount } = renderHook(() => useMarkRead("c1"), { wrapper });
    act(() => result.current(120));
    unmount();
    await act(async () => vi.advanceTimersByTimeAsync(0));
    expect(asked.filter((request) => request.path.endsWith("/read")).map((request) => request.body)).toEqual([{ seq: 120 }]);
  });

  it("sends nothing at or below the read mark the server already has", async () => {
    const asked = serve();
    const { wrapper, queryClient } = setUp();
    queryClient.setQueryData<Conversation>(chatKeys.conversation("c1"), conversation("c1", { last_read_seq: 117 }));
    vi.useFakeTimers();
    const { result } = renderHook(() => useMarkRead("c1"), { wrapper });
    act(() => result.current(117));
    await act(async () => vi.advanceTimersByTimeAsync(MARK_READ_DEBOUNCE_MS));
    expect(asked).toEqual([]);
  });

  it("marks its conversation as the one on screen: its messages bring no notice", () => {
    serve();
    const { wrapper, registry, notice } = setUp();
    const { unmount } = renderHook(() => useMarkRead("c1"), { wrapper });
    registry.event({ type: "message_created", conversation_id: "c1", message: chatMessage("c1", 121) });
    expect(notice).not.toHaveBeenCalled();
    unmount();
    registry.event({ type: "message_created", conversation_id: "c1", message: chatMessage("c1", 122) });
    expect(notice).toHaveBeenCalledTimes(1);
  });
});

describe("useSendMessage's typing", () => {
  it("tells the others at most every 2 seconds, and at once after a message was sent", () => {
    serve();
    const { wrapper, connection } = setUp();
    vi.useFakeTimers();
    const { result } = renderHook(() => useSendMessage("c1"), { wrapper });
    act(() => result.current.typing());
    act(() => result.current.typing());
    vi.advanceTimersByTime(1999);
    act(() => result.current.typing());
    expect(connection.sendTyping).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    act(() => result.current.typing());
    expect(connection.sendTyping).toHaveBeenCalledTimes(2);
    act(() => void result.current.send("done"));
    act(() => result.current.typing());
    expect(connection.sendTyping).toHaveBeenCalledTimes(3);
    expect(connection.sendTyping).toHaveBeenCalledWith("c1");
  });
});

describe("useTyping, useOnline, useUnreadBadge and useConversations", () => {
  it("name the members typing in a conversation", async () => {
    serve();
    const { wrapper, registry } = setUp();
    const { result } = renderHook(() => useTyping("c1"), { wrapper });
    await waitFor(() => expect(result.current).toEqual([]));
    act(() => registry.userTyping({ type: "user_typing", conversation_id: "c1", user_id: boris.id, expires_in_ms: 5000 }));
    await waitFor(() => expect(result.current).toEqual(["Boris"]));
  });

  it("say who is online as the connection tells", () => {
    const { wrapper, registry } = setUp();
    const { result } = renderHook(() => [useOnline(anna.id), useOnline(null)], { wrapper });
    expect(result.current).toEqual([false, false]);
    act(() => registry.ready({ counts: { unread_messages: 0 }, online: [anna.id] } as unknown as Ready, true));
    expect(result.current).toEqual([true, false]);
    act(() => registry.presence({ type: "presence", user_id: anna.id, online: false }));
    expect(result.current).toEqual([false, false]);
  });

  it("show the server's unread count from ready and events, and 0 signed out", async () => {
    const { wrapper, registry } = setUp();
    const { result } = renderHook(() => useUnreadBadge(), { wrapper });
    expect(result.current).toBe(0);
    act(() => registry.ready({ counts: { unread_messages: 3 }, online: [] } as unknown as Ready, true));
    await waitFor(() => expect(result.current).toBe(3));
    act(() => registry.event({ type: "message_created", conversation_id: "c1", message: chatMessage("c1", 121), unread_messages: 4 }));
    await waitFor(() => expect(result.current).toBe(4));
    act(() => authSession.clear());
    expect(result.current).toBe(0);
  });

  it("load more conversations without dropping a read of the list on its way (a resync's)", async () => {
    let unread = 3;
    serve({ conversations: () => [conversation("c1", { unread_count: unread })] });
    const { wrapper, queryClient } = setUp();
    const { result } = renderHook(() => useConversations(), { wrapper });
    await waitFor(() => expect(result.current.conversations).toHaveLength(1));
    unread = 7;
    act(() => void queryClient.invalidateQueries({ queryKey: chatKeys.conversations() }));
    act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.conversations[0]?.unread_count).toBe(7));
  });

  it("list conversations, moving one up as a message arrives", async () => {
    serve();
    const { wrapper, registry } = setUp();
    const { result } = renderHook(() => useConversations(), { wrapper });
    await waitFor(() => expect(result.current.conversations).toHaveLength(1));
    expect(result.current.hasMore).toBe(false);
    act(() => registry.event({ type: "message_created", conversation_id: "c1", message: chatMessage("c1", 121) }));
    await waitFor(() => expect(result.current.conversations[0]).toMatchObject({ unread_count: 4, last_message: { seq: 121 } }));
  });
});
