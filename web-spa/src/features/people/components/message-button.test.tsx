import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";

import type { PublicProfile } from "@/features/people/api/people-api";
import { UserPage } from "@/features/people/components/user-page";
import { authSession, type Me } from "@/lib/auth-session";
import { setLanguage } from "@/lib/i18n";

function profile(changes: Partial<PublicProfile> = {}): PublicProfile {
  return {
    id: "id-anna",
    handle: "anna",
    display_name: "Anna",
    avatar: { large: "", small: "", is_default: true },
    bio: "",
    created_at: "2026-01-10T10:00:00Z",
    relationship: "friends",
    blocked: false,
    stats: { friends: 2, topics: 0, posts: 0, likes_received: 0 },
    ...changes,
  };
}

interface Sent {
  path: string;
  body: unknown;
}

/** Anna's profile, her (empty) activity, and opening our direct chat: made as c1, or answered with `answer`. */
function serve(anna: PublicProfile, answer?: Response): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      if (url.pathname === "/api/v1/users/anna") return Response.json(anna);
      if (url.pathname === "/api/v1/conversations/direct") {
        sent.push({ path: url.pathname, body: await request.json() });
        return answer ?? Response.json({ id: "c1", kind: "direct", members: [], unread_count: 0, last_read_seq: 0, muted: false, last_activity_at: "2026-11-21T10:00:00Z" }, { status: 201 });
      }
      return Response.json({ items: [], next_cursor: null });
    }),
  );
  return sent;
}

function Where() {
  const location = useLocation();
  return <output aria-label="location">{location.pathname}</output>;
}

function renderProfile() {
  render(
    <MantineProvider env="test">
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter initialEntries={["/users/anna"]}>
          <Routes>
            <Route path="/users/:handle" element={<UserPage />} />
            <Route path="/chats/:id" element={null} />
          </Routes>
          <Where />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

const location = () => screen.getByRole("status", { name: "location" }).textContent;

beforeEach(() => {
  authSession.accept({ access_token: "token", expires_in: 900, user: { id: "id-me", handle: "me" } as Me } as Parameters<typeof authSession.accept>[0]);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  authSession.clear();
  void setLanguage("en");
});

describe("Message on a profile", { timeout: 15_000 }, () => {
  it("opens our direct conversation", async () => {
    const sent = serve(profile());
    renderProfile();
    await userEvent.click(await screen.findByRole("button", { name: "Message" }));
    await vi.waitFor(() => expect(location()).toBe("/chats/c1"));
    expect(sent).toEqual([{ path: "/api/v1/conversations/direct", body: { user_id: "id-anna" } }]);
  });

  it("says next to the button, in words, when they do not accept my messages", async () => {
    serve(profile({ relationship: "none" }), Response.json({ type: "x", title: "x", status: 403, detail: "x", code: "cannot_message" }, { status: 403 }));
    renderProfile();
    await userEvent.click(await screen.findByRole("button", { name: "Message" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Anna does not accept messages from you.");
    expect(location()).toBe("/users/anna");
  });

  it("is not offered on my own page, to someone I blocked, or to a signed-out reader", async () => {
    for (const anna of [profile({ relationship: "self" }), profile({ blocked: true }), profile({ relationship: null, blocked: null })]) {
      serve(anna);
      renderProfile();
      await screen.findByRole("heading", { name: "Anna" });
      expect(screen.queryByRole("button", { name: "Message" })).toBeNull();
      cleanup();
    }
  });

  it("speaks Russian", async () => {
    void setLanguage("ru");
    serve(profile());
    renderProfile();
    expect(await screen.findByRole("button", { name: "Написать" })).toBeInTheDocument();
  });
});
