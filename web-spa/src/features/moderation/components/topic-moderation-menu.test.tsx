import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";

import type { Topic } from "@/features/moderation/api/moderation-api";
import { TopicModerationMenu } from "@/features/moderation/components/topic-moderation-menu";
import { authSession, type Me } from "@/lib/auth-session";

const TOPIC_ID = "0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f";

const topic: Topic = {
  id: TOPIC_ID,
  title: "How do notifications work?",
  category: { id: "c1", slug: "general", name: "General" },
  created_at: "2026-11-20T10:00:00Z",
  last_activity_at: "2026-11-21T10:00:00Z",
  reply_count: 4,
  view_count: 7,
  last_post_number: 5,
  pinned: false,
  locked: false,
  reading: null,
  watch_level: null,
};

function signIn(role: Me["role"]) {
  authSession.accept({ access_token: "token", expires_in: 900, user: { id: "u1", handle: "anna", role } as Me } as Parameters<
    typeof authSession.accept
  >[0]);
}

function renderMenu() {
  const onChanged = vi.fn();
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter initialEntries={[`/forum/t/${TOPIC_ID}`]}>
          <Routes>
            <Route path="/forum/t/:id" element={<TopicModerationMenu topic={topic} onChanged={onChanged} />} />
            <Route path="/forum/c/:slug" element={<p>Category page</p>} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return onChanged;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  authSession.clear();
});

describe("TopicModerationMenu", () => {
  it("is not there for someone signed out or an ordinary member", () => {
    renderMenu();
    expect(screen.queryByRole("button", { name: "Moderation" })).toBeNull();
    cleanup();
    signIn("user");
    renderMenu();
    expect(screen.queryByRole("button", { name: "Moderation" })).toBeNull();
  });

  it("locks the topic for a moderator, with a note, and hands on the locked topic", async () => {
    signIn("moderator");
    const requests: { method: string; url: URL }[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        requests.push({ method: request.method, url: new URL(request.url) });
        return Response.json({ ...topic, locked: true });
      }),
    );
    const onChanged = renderMenu();
    await userEvent.click(screen.getByRole("button", { name: "Moderation" }));
    await userEvent.click(await screen.findByRole("menuitem", { name: "Lock" }));
    const dialog = await screen.findByRole("dialog", { name: "Lock this topic?" });
    expect(dialog).toHaveTextContent("Only moderators will be able to post in it.");
    await userEvent.type(screen.getByRole("textbox", { name: /Note for the log/ }), "Heated");
    await userEvent.click(screen.getByRole("button", { name: "Lock" }));

    await vi.waitFor(() => expect(onChanged).toHaveBeenCalledWith({ ...topic, locked: true }));
    expect(requests).toHaveLength(1);
    expect(requests[0]?.method).toBe("PUT");
    expect(requests[0]?.url.pathname).toBe(`/api/v1/topics/${TOPIC_ID}/lock`);
    expect(requests[0]?.url.searchParams.get("reason")).toBe("Heated");
    await vi.waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("deletes the topic only after confirming, then opens its category", async () => {
    signIn("admin");
    const requests: { method: string; url: URL }[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        requests.push({ method: request.method, url: new URL(request.url) });
        return new Response(null, { status: 204 });
      }),
    );
    renderMenu();
    await userEvent.click(screen.getByRole("button", { name: "Moderation" }));
    await userEvent.click(await screen.findByRole("menuitem", { name: "Delete topic…" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete this topic?" });
    expect(dialog).toHaveTextContent("all its 5 posts will be deleted for good");
    expect(requests).toEqual([]);
    await userEvent.click(screen.getByRole("button", { name: "Delete topic" }));

    expect(await screen.findByText("Category page")).toBeInTheDocument();
    expect(requests.map(({ method, url }) => `${method} ${url.pathname}`)).toEqual([`DELETE /api/v1/topics/${TOPIC_ID}`]);
  });
});
