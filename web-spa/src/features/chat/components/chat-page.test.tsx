import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import { MemoryRouter, Route, Routes } from "react-router";

import type { Conversation, MessagePage } from "@/features/chat/api/chat-api";
import { ChatPage } from "@/features/chat/components/chat-page";
import { registerChatLive } from "@/features/chat/live";
import { outboxFor } from "@/features/chat/store/outbox";
import { anna, boris, chatMessage, conversation, me } from "@/features/chat/test-support";
import { authSession, type Me } from "@/lib/auth-session";
import { LiveRegistry, type ConnectionState } from "@/lib/realtime";

vi.setConfig({ testTimeout: 30_000 });

const direct = conversation("c1", {
  members: [me, anna],
  unread_count: 2,
  last_message: chatMessage("c1", 7, { body: "See you at 6\nbring the map" }),
  last_activity_at: "2026-11-22T10:00:07Z",
});
const room = conversation("c2", {
  kind: "room",
  title: "Book club",
  owner: me,
  members: [me, anna, boris],
  muted: true,
  unread_count: 5,
  last_message: chatMessage("c2", 3, { body: "I'll bring tea", sender: me }),
  last_activity_at: "2026-11-22T09:00:00Z",
});
const quiet = conversation("c3", {
  members: [me, boris],
  last_message: chatMessage("c3", 2, { body: null, deleted: true, sender: boris }),
  last_activity_at: "2026-11-21T09:00:00Z",
});

function serve(conversations: Conversation[]) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      if (url.pathname === "/api/v1/conversations") return Response.json({ items: conversations, next_cursor: null });
      const found = conversations.find((item) => url.pathname === `/api/v1/conversations/${item.id}`);
      if (found) return Response.json(found);
      const messages = /^\/api\/v1\/conversations\/(\w+)\/messages$/.exec(url.pathname);
      if (messages) {
        const page: MessagePage = { items: [chatMessage(messages[1]!, 1, { body: "Welcome!" }), chatMessage(messages[1]!, 2, { body: "Hi all", sender: me })], has_more: false };
        return Response.json(page);
      }
      if (url.pathname.endsWith("/read")) return Response.json({ last_read_seq: 2, unread_count: 0 });
      return Response.json({ type: "about:blank", title: "Not Found", status: 404, detail: "x", code: "not_found" }, { status: 404 });
    }),
  );
}

function renderAt(path: string, connection = fakeConnection("online")) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const registry = new LiveRegistry();
  registerChatLive(registry, queryClient, () => me.id, vi.fn(), connection);
  render(
    <MantineProvider>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path="/chats/:id?" element={<ChatPage />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return registry;
}

/** A connection whose state the test moves. */
function fakeConnection(initial: ConnectionState) {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    sendTyping: vi.fn(),
    getState: () => state,
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next: ConnectionState) {
      state = next;
      listeners.forEach((listener) => listener());
    },
  };
}

const chatList = () => within(screen.getByRole("navigation", { name: "Conversations" }));
/** The links' names: what a screen reader says for each conversation, in order. */
const linkNames = () => chatList().getAllByRole("link").map((link) => link.getAttribute("aria-label"));

beforeEach(() => {
  localStorage.clear();
  authSession.accept({ access_token: "token", expires_in: 900, user: { id: me.id, handle: me.handle } as Me } as Parameters<typeof authSession.accept>[0]);
});
afterEach(() => {
  cleanup();
  outboxFor(me.id).stop();
  authSession.clear();
  vi.unstubAllGlobals();
});

describe("ChatPage: the chat list", () => {
  it("shows each conversation's name, last message, unread count and muting, and finds them by name", async () => {
    serve([direct, room, quiet]);
    renderAt("/chats");
    expect(await screen.findByRole("heading", { level: 1, name: "Chats" })).toBeInTheDocument();
    const annaLink = await chatList().findByRole("link", { name: /^Anna/ });
    expect(annaLink).toHaveAttribute("href", "/chats/c1");
    expect(annaLink).toHaveTextContent("See you at 6");
    expect(annaLink).not.toHaveTextContent("bring the map");
    expect(annaLink).toHaveAccessibleName(/^Anna, See you at 6, .+, 2 unread messages$/);
    const roomLink = chatList().getByRole("link", { name: /^Book club/ });
    expect(roomLink).toHaveTextContent("You: I'll bring tea");
    expect(roomLink).toHaveAccessibleName(/^Book club, You: I'll bring tea, .+, 5 unread messages, muted$/);
    expect(chatList().getByRole("link", { name: /^Boris/ })).toHaveTextContent("Message deleted");

    await userEvent.type(screen.getByRole("searchbox", { name: "Search chats" }), "BOOK");
    expect(linkNames()).toHaveLength(1);
    expect(linkNames()[0]).toMatch(/^Book club/);
    await userEvent.clear(screen.getByRole("searchbox", { name: "Search chats" }));
    await userEvent.type(screen.getByRole("searchbox", { name: "Search chats" }), "nobody");
    expect(chatList().getByText("No chats match.")).toBeInTheDocument();
  });

  it("moves a conversation to the top when a message arrives in it", async () => {
    serve([direct, room, quiet]);
    const registry = renderAt("/chats");
    await chatList().findByRole("link", { name: /^Anna/ });
    expect(linkNames().map((name) => name?.split(",")[0])).toEqual(["Anna", "Book club", "Boris"]);
    act(() => registry.event({ type: "message_created", conversation_id: "c3", message: chatMessage("c3", 3, { body: "Are you there?", sender: boris }) }));
    await waitFor(() => expect(linkNames().map((name) => name?.split(",")[0])).toEqual(["Boris", "Anna", "Book club"]));
    expect(chatList().getAllByRole("link")[0]).toHaveAccessibleName(/^Boris, Are you there\?, .+, 1 unread message$/);
  });
});

describe("ChatPage: a conversation beside the list", () => {
  it("names the room, counts its members, says who is typing, and marks it current in the list", async () => {
    serve([direct, room, quiet]);
    const registry = renderAt("/chats/c2");
    expect(await screen.findByRole("heading", { level: 2, name: "Book club" })).toBeInTheDocument();
    expect(screen.getByText("3 members")).toBeInTheDocument();
    expect(await screen.findByText("Hi all")).toBeInTheDocument();
    expect(chatList().getByRole("link", { name: /^Book club/ })).toHaveAttribute("aria-current", "page");
    expect(screen.getByRole("button", { name: "Room settings" })).toBeInTheDocument();

    act(() => registry.userTyping({ type: "user_typing", conversation_id: "c2", user_id: anna.id, expires_in_ms: 5000 }));
    const typing = screen.getByText("Anna is typing…");
    // Readable in both schemes: the app's dimmed grey in italics, not the primary colour's filled shade (2.7:1 on the dark background).
    expect(typing.style.color).toBe("var(--mantine-color-dimmed)");
    expect(typing.style.fontStyle).toBe("italic");
    expect(screen.queryByText("3 members")).toBeNull();
  });

  it("says, where one writes, that what is sent while offline waits, and stops saying it once back", async () => {
    serve([direct, room, quiet]);
    const connection = fakeConnection("online");
    renderAt("/chats/c2", connection);
    expect(await screen.findByText("Hi all")).toBeInTheDocument();
    expect(screen.queryByText(/You are offline/)).toBeNull();
    act(() => connection.set("offline"));
    expect(screen.getByRole("status")).toHaveTextContent("You are offline. What you send waits here and goes out when you are back online.");
    act(() => connection.set("online"));
    expect(screen.queryByText(/You are offline/)).toBeNull();
  });

  it("says so when the conversation is not one of mine", async () => {
    serve([direct]);
    renderAt("/chats/c9");
    expect(await screen.findByRole("link", { name: "All chats" })).toHaveAttribute("href", "/chats");
  });

  it("has no serious accessibility problems", async () => {
    serve([direct, room, quiet]);
    renderAt("/chats/c1");
    await screen.findByText("Hi all");
    await screen.findByRole("link", { name: /^Book club/ });
    const result = await axe.run(document.body, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] },
      rules: { "color-contrast": { enabled: false } },
    });
    expect(result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
  });
});
