import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Link, MemoryRouter, Route, Routes } from "react-router";

import { chatNoticeText } from "@/app/chat-notice";
import { Layout } from "@/app/layout";
import { PageHeading } from "@/components/ui/page-heading";
import type { ChatMessage, Conversation } from "@/features/chat/api/chat-api";
import { chatKeys } from "@/features/chat/keys";
import { authSession, type Me } from "@/lib/auth-session";

function Page({ title }: { title: string }) {
  return (
    <>
      <PageHeading>{title}</PageHeading>
      <Link to="/people">Go to people</Link>
    </>
  );
}

function renderApp() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <MantineProvider env="test">
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={["/forum"]}>
          <Routes>
            <Route element={<Layout />}>
              <Route path="/forum" element={<Page title="Forum" />} />
              <Route path="/people" element={<Page title="People" />} />
            </Route>
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return queryClient;
}

/** The live connection's word on the badge (it alone sets it). */
const setUnread = (queryClient: QueryClient, count: number) => act(() => void queryClient.setQueryData(chatKeys.unread, count));

beforeEach(() => {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const path = new URL(request.url).pathname;
      if (path === "/api/v1/friends/summary") return Response.json({ friends: 0, incoming: 0, outgoing: 0 });
      if (path === "/api/v1/notifications/unread-count") return Response.json({ unread_count: 0 });
      return Response.json({ items: [], next_cursor: null });
    }),
  );
  authSession.accept({
    access_token: "token",
    expires_in: 900,
    user: { id: "id-me", handle: "me", display_name: "Me", avatar: { small: "", large: "", is_default: true } } as Me,
  } as Parameters<typeof authSession.accept>[0]);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  authSession.clear();
});

describe("the messenger in the app’s frame", { timeout: 15_000 }, () => {
  it("links to the chats with the unread count, and puts the count in the tab's title on every page", async () => {
    const queryClient = renderApp();
    const chats = screen.getAllByRole("link", { name: "Chats" })[0];
    expect(chats).toHaveAttribute("href", "/chats");
    await vi.waitFor(() => expect(document.title).toBe("Forum · NoxChat"));

    setUnread(queryClient, 3);
    await vi.waitFor(() => expect(document.title).toBe("(3) Forum · NoxChat"));
    expect(screen.getAllByRole("link", { name: "Chats 3 unread messages" }).length).toBeGreaterThan(0);

    // A page naming the tab keeps the count in front.
    await userEvent.click(screen.getByRole("link", { name: "Go to people" }));
    await vi.waitFor(() => expect(document.title).toBe("(3) People · NoxChat"));

    setUnread(queryClient, 0);
    await vi.waitFor(() => expect(document.title).toBe("People · NoxChat"));
    expect(screen.getAllByRole("link", { name: "Chats" }).length).toBeGreaterThan(0);
  });

  it("offers no chats to a signed-out reader", () => {
    authSession.clear();
    renderApp();
    expect(screen.queryByRole("link", { name: /Chats/ })).toBeNull();
  });
});

describe("the notice of a message elsewhere", () => {
  const anna = { id: "id-anna", handle: "anna", display_name: "Anna", avatar: { large: "", small: "", is_default: true }, role: "user" as const };
  const message = (body: string | null): ChatMessage => ({
    id: "m1",
    conversation_id: "c1",
    seq: 4,
    client_id: "00000000-0000-4000-8000-000000000000",
    created_at: "2026-11-21T10:00:00Z",
    deleted: false,
    images: [],
    sender: anna,
    body,
  });

  it("says who wrote what, and where when it is a room", () => {
    expect(chatNoticeText(message("See you   at\nnine"), undefined)).toBe("Anna: See you at nine");
    const room = { kind: "room", title: "Weekend trip" } as Conversation;
    expect(chatNoticeText(message(null), room)).toBe("Anna in “Weekend trip”: Picture");
    expect(chatNoticeText(message("x".repeat(200)), undefined)).toMatch(/^Anna: x{89}…$/);
  });
});
