import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import type { ChatMessage, Conversation, MessagePage } from "@/features/chat/api/chat-api";
import { MessageList } from "@/features/chat/components/message-list";
import { registerChatLive } from "@/features/chat/live";
import { outboxFor } from "@/features/chat/store/outbox";
import { anna, boris, chatMessage, conversation, me } from "@/features/chat/test-support";
import { authSession, type Me } from "@/lib/auth-session";
import { LiveRegistry } from "@/lib/realtime";

// A hundred and twenty messages take a few seconds to render in jsdom, more on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

interface Asked {
  method: string;
  path: string;
  query: string;
  body: unknown;
}

/**
 * The server: conversation "c1" with `history` (oldest first), served 50 at
 * a time from the newest, `before` a seq for older ones (answered once what
 * `holdOlder` gives for that seq has settled); sending answers `send`.
 */
function serve(
  history: ChatMessage[],
  send?: (body: { client_id: string; body: string | null }) => Response | Promise<Response>,
  holdOlder?: (before: number) => Promise<void> | undefined,
): Asked[] {
  const asked: Asked[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      const body: unknown = request.method === "GET" ? null : await request.clone().json().catch(() => null);
      asked.push({ method: request.method, path: url.pathname, query: url.search, body });
      if (url.pathname === "/api/v1/conversations/c1/messages" && request.method === "GET") {
        const before = Number(url.searchParams.get("before") ?? Infinity);
        if (Number.isFinite(before)) await holdOlder?.(before);
        const older = history.filter((message) => message.seq < before);
        const page: MessagePage = { items: older.slice(-50), has_more: older.length > 50 };
        return Response.json(page);
      }
      if (url.pathname === "/api/v1/conversations/c1/messages" && request.method === "POST" && send) {
        return send(body as { client_id: string; body: string | null });
      }
      if (url.pathname === "/api/v1/conversations/c1/read") return Response.json({ last_read_seq: (body as { seq: number }).seq, unread_count: 0 });
      return new Promise<Response>(() => undefined); // anything else: no answer yet
    }),
  );
  return asked;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => chatMessage("c1", from + i));

/** A local time today (or `daysAgo` days before), as the server writes it. */
function at(hours: number, minutes: number, daysAgo = 0): string {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysAgo, hours, minutes).toISOString();
}

function renderList(shown: Conversation = conversation("c1")) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const registry = new LiveRegistry();
  registerChatLive(registry, queryClient, () => me.id, vi.fn(), { sendTyping: vi.fn(), getState: () => "online", subscribe: () => () => undefined });
  render(
    <MantineProvider>
      <QueryClientProvider client={queryClient}>
        <MessageList conversation={shown} me={me.id} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  const arrives = (message: ChatMessage) => act(() => registry.event({ type: "message_created", conversation_id: "c1", message, alert: true }));
  return { queryClient, arrives };
}

/**
 * jsdom lays nothing out: the messages region is laid out as 300 px high,
 * its content as 40 px of top matter then a row of 60 px per message,
 * scrolled by `scrollTop`.
 */
const ROW = 60;
const TOP = 40;
const VIEW = 300;
let scrollTop = 0;
const region = () => document.querySelector<HTMLElement>('section[aria-label="Messages"]');
const rows = () => [...document.querySelectorAll<HTMLElement>("li[data-key]")];
const contentHeight = () => TOP + rows().length * ROW;
const bottom = () => contentHeight() - VIEW;
function box(top: number, height: number): DOMRect {
  return { top, bottom: top + height, height, left: 0, right: 800, width: 800, x: 0, y: top, toJSON: () => ({}) } as DOMRect;
}
function layOut() {
  scrollTop = 0;
  vi.spyOn(Element.prototype, "getBoundingClientRect").mockImplementation(function (this: Element) {
    const index = this instanceof HTMLLIElement ? rows().indexOf(this) : -1;
    return index < 0 ? box(0, 0) : box(TOP + index * ROW - scrollTop, ROW);
  });
  const define = (name: string, get: (element: HTMLElement) => number, set?: (value: number) => void) =>
    Object.defineProperty(HTMLElement.prototype, name, {
      configurable: true,
      get(this: HTMLElement) {
        return this === region() ? get(this) : 0;
      },
      set(this: HTMLElement, value: number) {
        if (this === region()) set?.(value);
      },
    });
  define("scrollTop", () => scrollTop, (value) => (scrollTop = Math.max(0, Math.min(value, bottom()))));
  define("scrollHeight", contentHeight);
  define("clientHeight", () => VIEW);
}
function unLayOut() {
  for (const name of ["scrollTop", "scrollHeight", "clientHeight"]) delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name];
}
/** The reader scrolls the messages to `top`. */
function scrollTo(top: number) {
  scrollTop = top;
  fireEvent.scroll(region()!);
}
const rowOf = (text: string) => screen.getByText(text).closest("li")!;

beforeEach(() => {
  localStorage.clear();
  authSession.accept({ access_token: "token", expires_in: 900, user: { id: me.id, handle: me.handle } as Me } as Parameters<typeof authSession.accept>[0]);
});
afterEach(() => {
  cleanup();
  outboxFor(me.id).stop();
  authSession.clear();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  unLayOut();
});

describe("MessageList: how messages are shown", () => {
  it("groups messages by day under a heading, and by sender: a room names the sender once per run of their messages", async () => {
    serve([
      chatMessage("c1", 1, { body: "Good night", created_at: at(22, 0, 1) }),
      chatMessage("c1", 2, { body: "Morning!", created_at: at(9, 0) }),
      chatMessage("c1", 3, { body: "Coffee?", created_at: at(9, 2) }),
      chatMessage("c1", 4, { body: "Yes", created_at: at(9, 3), sender: boris }),
      // Anna again, but after Boris: a new run, named again.
      chatMessage("c1", 5, { body: "On my way", created_at: at(9, 4) }),
      // Anna once more, a quarter of an hour later: a new run too.
      chatMessage("c1", 6, { body: "Here", created_at: at(9, 20) }),
      chatMessage("c1", 7, { body: "See you", created_at: at(9, 21), sender: me }),
    ]);
    renderList(conversation("c1", { kind: "room", title: "Coffee", members: [me, anna, boris] }));
    await screen.findByText("See you");

    expect(screen.getAllByRole("heading", { level: 3 }).map((heading) => heading.textContent)).toEqual(["Yesterday", "Today"]);
    const [yesterday, today] = screen.getAllByRole("list");
    expect(within(yesterday!).getAllByRole("listitem")).toHaveLength(1);
    expect(within(today!).getAllByRole("listitem")).toHaveLength(6);

    // The name shows over the first message of each run; the others say it to screen readers only.
    const named = (text: string) => within(rowOf(text)).queryByText(/^(Anna|Boris|You)$/)?.textContent ?? null;
    expect(["Good night", "Morning!", "Coffee?", "Yes", "On my way", "Here", "See you"].map(named)).toEqual([
      "Anna",
      "Anna",
      null,
      "Boris",
      "Anna",
      "Anna",
      null,
    ]);
    expect(within(rowOf("Coffee?")).getByText("Anna:")).toBeInTheDocument();
    expect(within(rowOf("See you")).getByText("You:")).toBeInTheDocument();
  });

  it("makes web addresses links that open apart, and shows edited and deleted messages as such", async () => {
    serve([
      chatMessage("c1", 1, { body: "See https://example.com/tea_(drink)), or javascript:alert(1)" }),
      chatMessage("c1", 2, { body: "Fixed typo", edited_at: "2026-11-22T10:05:00Z" }),
      chatMessage("c1", 3, { body: null, deleted: true }),
    ]);
    renderList();
    const link = await screen.findByRole("link", { name: "https://example.com/tea_(drink)" });
    expect(link).toHaveAttribute("href", "https://example.com/tea_(drink)");
    expect(link).toHaveAttribute("target", "_blank");
    expect(link).toHaveAttribute("rel", "noopener noreferrer nofollow");
    expect(screen.getAllByRole("link")).toHaveLength(1);
    expect(within(rowOf("Fixed typo")).getByText("edited")).toBeInTheDocument();
    expect(screen.getByText("Message deleted")).toBeInTheDocument();
  });

  it("ticks my messages: read in a direct chat up to the other's read mark, and spells out the newest one's state", async () => {
    serve([chatMessage("c1", 1, { body: "First", sender: me }), chatMessage("c1", 2, { body: "Second", sender: me })]);
    renderList(conversation("c1", { read_marks: [{ user_id: anna.id, last_read_seq: 1 }] }));
    await screen.findByText("Second");
    expect(within(rowOf("First")).getByText("Read")).toBeInTheDocument();
    expect(within(rowOf("Second")).getByText("Sent")).toBeInTheDocument();
  });

  it("tells in a room how many have read my message", async () => {
    serve([chatMessage("c1", 4, { body: "Lunch?", sender: me })]);
    renderList(
      conversation("c1", {
        kind: "room",
        members: [me, anna, boris],
        read_marks: [
          { user_id: anna.id, last_read_seq: 4 },
          { user_id: boris.id, last_read_seq: 9 },
        ],
      }),
    );
    expect(await screen.findByText("Read by 2")).toBeInTheDocument();
  });
});

describe("MessageList: my messages on their way", () => {
  it("shows a message at once as sending, one the server refused as not sent with why, and Retry sends it again", async () => {
    const sent: string[] = [];
    serve([chatMessage("c1", 1, { body: "Hello" })], (body) => {
      sent.push(body.body ?? "");
      if (body.body === "Refused") {
        return Response.json(
          { type: "urn:noxchat:problem:cannot_message", title: "Forbidden", status: 403, detail: "No.", code: "cannot_message" },
          { status: 403, headers: { "content-type": "application/problem+json" } },
        );
      }
      return new Promise<Response>(() => undefined); // on its way for ever
    });
    const { queryClient } = renderList();
    await screen.findByText("Hello");
    const outbox = outboxFor(me.id, queryClient);
    const retry = vi.spyOn(outbox, "retry");
    let refused = "";
    act(() => {
      refused = outbox.send("c1", "Refused", []).clientId;
      outbox.send("c1", "Waiting", []);
    });

    // Shown at once, in the order written, mine.
    expect(within(rowOf("Refused")).getByText("You:")).toBeInTheDocument();
    const failed = await within(rowOf("Refused")).findByText(/^Not sent: /);
    expect(failed).toHaveTextContent("Not sent: This person does not take messages from you.");
    await waitFor(() => expect(sent).toEqual(["Refused", "Waiting"]));
    expect(within(rowOf("Waiting")).getByText("Sending")).toBeInTheDocument();
    expect(within(rowOf("Waiting")).queryByRole("button", { name: "Retry" })).toBeNull();

    await userEvent.click(within(rowOf("Refused")).getByRole("button", { name: "Retry" }));
    expect(retry).toHaveBeenCalledWith(refused);
    // Again with the same client id: the server would answer the message it made, never a second.
    await waitFor(() => expect(within(rowOf("Refused")).getByText("Sending")).toBeInTheDocument());
  });
});

describe("MessageList: where the reader is", () => {
  it("opens at the newest message and keeps the one on screen in place when older ones are put above, even scrolled while they load", async () => {
    layOut();
    let release: () => void = () => undefined;
    const asked = serve(range(1, 120), undefined, (before) => (before === 21 ? new Promise<void>((resolve) => (release = resolve)) : undefined));
    renderList();
    await screen.findByText("message 120");
    expect(scrollTop).toBe(bottom());

    scrollTo(0);
    const first = rowOf("message 71");
    expect(first.getBoundingClientRect().top).toBe(TOP);
    await userEvent.click(screen.getByRole("button", { name: "Show earlier messages" }));
    await screen.findByText("message 21");
    expect(asked.filter((request) => request.method === "GET").map((request) => request.query)).toEqual(["?limit=50", "?limit=50&before=71"]);
    // Fifty rows above it now, and it has not moved.
    expect(rows().indexOf(rowOf("message 71"))).toBe(50);
    expect(rowOf("message 71").getBoundingClientRect().top).toBe(TOP);
    expect(scrollTop).toBe(50 * ROW);

    // The next page is slow, and the reader goes on scrolling up meanwhile: where they got to is kept, not where they asked.
    scrollTo(100);
    await userEvent.click(screen.getByRole("button", { name: "Show earlier messages" }));
    await waitFor(() => expect(asked.map((request) => request.query)).toContain("?limit=50&before=21"));
    scrollTo(10);
    expect(rowOf("message 21").getBoundingClientRect().top).toBe(TOP - 10);
    await act(async () => release());
    await screen.findByText("message 1");
    expect(rows().indexOf(rowOf("message 21"))).toBe(20);
    expect(rowOf("message 21").getBoundingClientRect().top).toBe(TOP - 10);
    expect(scrollTop).toBe(10 + 20 * ROW);
  });

  it("stays at the bottom as messages arrive while the reader is there", async () => {
    layOut();
    serve(range(1, 10));
    const { arrives } = renderList();
    await screen.findByText("message 10");
    arrives(chatMessage("c1", 11));
    await screen.findByText("message 11");
    expect(scrollTop).toBe(bottom());
    expect(screen.queryByRole("button", { name: /Jump to latest/ })).toBeNull();
  });

  it("scrolled up, leaves the view alone when a message arrives and offers to jump to it, counting the new ones", async () => {
    layOut();
    serve(range(1, 20));
    const { arrives } = renderList();
    await screen.findByText("message 20");

    scrollTo(100);
    expect(screen.getByRole("button", { name: "Jump to latest" })).toBeInTheDocument();
    arrives(chatMessage("c1", 21, { sender: boris }));
    arrives(chatMessage("c1", 22, { sender: boris }));
    await screen.findByText("message 22");
    expect(scrollTop).toBe(100);
    expect(screen.getByRole("button", { name: "Jump to latest (2 new)" })).toBeInTheDocument();
    // Screen readers hear of them, politely.
    expect(screen.getAllByText("New message from Boris")).toHaveLength(2);
    expect(screen.getAllByText("New message from Boris")[0]!.closest("[aria-live]")).toHaveAttribute("aria-live", "polite");

    await userEvent.click(screen.getByRole("button", { name: "Jump to latest (2 new)" }));
    expect(scrollTop).toBe(bottom());
    expect(screen.queryByRole("button", { name: /Jump to latest/ })).toBeNull();
  });

  it("marks the conversation read up to the newest message once it is seen", async () => {
    const asked = serve(range(1, 12));
    renderList(conversation("c1", { last_read_seq: 3, unread_count: 9 }));
    await screen.findByText("message 12");
    // Up to the newest in the end. On a loaded machine the list may be seen
    // in steps (a mark at 11, then 12) or the mark told twice; the server
    // ignores a repeat. It never goes back, nor past the newest.
    const reads = () =>
      asked
        .filter((request) => request.path.endsWith("/read"))
        .map((request) => (request.body as { seq: number }).seq);
    await waitFor(() => expect(reads().at(-1)).toBe(12));
    const marks = reads();
    expect(marks.every((seq, i) => seq > 3 && seq <= 12 && seq >= (marks[i - 1] ?? seq))).toBe(true);
  });
});
