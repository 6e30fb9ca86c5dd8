import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";

import type { Report } from "@/features/moderation/api/moderation-api";
import { ModerationLayout } from "@/features/moderation/components/moderation-layout";
import { ReportsPage } from "@/features/moderation/components/reports-page";
import { authSession, type Me } from "@/lib/auth-session";

const TOPIC_ID = "0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f";
const avatar = { small: "/a-64.jpg", large: "/a-256.jpg", is_default: true };

function report(id: string, number: number, reason: string, words: string): Report {
  return {
    id,
    reason,
    status: "open",
    created_at: "2026-11-21T10:00:00Z",
    reporter: { id: "u2", handle: "boris", display_name: "Boris", avatar, role: "user" },
    post: {
      id: `post-${number}`,
      topic_id: TOPIC_ID,
      number,
      author: { id: "u3", handle: "vera", display_name: "Vera", avatar, role: "user" },
      body: words,
      html: `<p>${words}</p>`,
      created_at: "2026-11-21T09:00:00Z",
      revision: 1,
      like_count: 0,
      images: [],
    },
  };
}

const queue = [report("r1", 3, "Spam", "Buy cheap watches"), report("r2", 7, "Rude", "You are all wrong")];

function signIn(role: Me["role"]) {
  authSession.accept({ access_token: "token", expires_in: 900, user: { id: "u1", handle: "anna", role } as Me } as Parameters<
    typeof authSession.accept
  >[0]);
}

function renderQueue() {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter initialEntries={["/moderation/reports"]}>
          <Routes>
            <Route path="/moderation" element={<ModerationLayout />}>
              <Route path="reports" element={<ReportsPage />} />
            </Route>
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

afterEach(() => {
  // Unmounted first: signing out would otherwise re-render the page outside the test.
  cleanup();
  vi.unstubAllGlobals();
  authSession.clear();
});

describe("the reports queue", () => {
  it("lists open reports with the post, who reported it and why", async () => {
    signIn("moderator");
    const asked: URL[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        asked.push(new URL(request.url));
        return Response.json({ items: queue, next_cursor: null });
      }),
    );
    renderQueue();
    const first = await screen.findByRole("article", { name: "Report on post #3" });
    expect(within(first).getByText("Spam")).toBeInTheDocument();
    expect(within(first).getByText("Buy cheap watches")).toBeInTheDocument();
    expect(within(first).getByRole("link", { name: "Boris (@boris)" })).toHaveAttribute("href", "/users/boris");
    expect(within(first).getByRole("link", { name: "Open post #3 in its topic" })).toHaveAttribute("href", `/forum/t/${TOPIC_ID}?post=3`);
    expect(screen.getByRole("article", { name: "Report on post #7" })).toBeInTheDocument();
    expect(asked[0]?.pathname).toBe("/api/v1/reports");
    expect(asked[0]?.searchParams.get("status")).toBe("open");
  });

  it("takes a resolved report off the queue, sending the moderator's note", async () => {
    signIn("moderator");
    const handled: { method: string; url: URL }[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        const url = new URL(request.url);
        if (request.method === "GET") return Response.json({ items: queue, next_cursor: null });
        handled.push({ method: request.method, url });
        return new Response(null, { status: 204 });
      }),
    );
    renderQueue();
    const first = await screen.findByRole("article", { name: "Report on post #3" });
    await userEvent.type(within(first).getByRole("textbox", { name: /Note for the log/ }), "Post removed");
    await userEvent.click(within(first).getByRole("button", { name: "Resolve" }));

    await vi.waitFor(() => expect(screen.queryByRole("article", { name: "Report on post #3" })).toBeNull());
    expect(screen.getByRole("article", { name: "Report on post #7" })).toBeInTheDocument();
    expect(handled).toHaveLength(1);
    expect(handled[0]?.method).toBe("POST");
    expect(handled[0]?.url.pathname).toBe("/api/v1/reports/r1/resolve");
    expect(handled[0]?.url.searchParams.get("reason")).toBe("Post removed");
  });

  it("shows the handled reports when asked", async () => {
    signIn("moderator");
    const statuses: (string | null)[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        const status = new URL(request.url).searchParams.get("status");
        statuses.push(status);
        const items = status === "dismissed" ? [{ ...report("r9", 4, "Off topic", "Hello"), status: "dismissed", handled_at: "2026-11-22T10:00:00Z" }] : [];
        return Response.json({ items, next_cursor: null });
      }),
    );
    renderQueue();
    expect(await screen.findByText("No open reports. All clear.")).toBeInTheDocument();
    await userEvent.click(screen.getByText("Dismissed"));
    const handled = await screen.findByRole("article", { name: "Report on post #4" });
    expect(within(handled).getByText(/Dismissed by/)).toBeInTheDocument();
    expect(within(handled).queryByRole("button", { name: "Resolve" })).toBeNull();
    expect(statuses).toEqual(["open", "dismissed"]);
  });

  it("tells someone who is not a moderator that the page is not for them, and asks nothing", async () => {
    signIn("user");
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    renderQueue();
    expect(await screen.findByText("For moderators only")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Moderation" })).toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });
});
