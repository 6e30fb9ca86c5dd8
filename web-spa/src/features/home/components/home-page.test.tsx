import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";

import type { LatestTopic } from "@/features/home/api/latest-topics-api";
import { HomePage } from "@/features/home/components/home-page";
import { authSession } from "@/lib/auth-session";

function topic(id: string, title: string, changes: Partial<LatestTopic> = {}): LatestTopic {
  return {
    id,
    title,
    category: { id: "c1", slug: "general", name: "General" },
    created_at: "2026-11-20T10:00:00Z",
    last_activity_at: "2026-11-21T10:00:00Z",
    reply_count: 0,
    view_count: 3,
    last_post_number: 1,
    pinned: false,
    locked: false,
    author: null,
    reading: null,
    ...changes,
  };
}

/** Answers the latest topics with `answer`; records what was asked. */
function serve(answer: () => Response) {
  const asked: URL[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      asked.push(url);
      return url.pathname === "/api/v1/topics" ? answer() : new Response(null, { status: 404 });
    }),
  );
  return asked;
}

function renderHome() {
  render(
    <MantineProvider env="test">
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter>
          <HomePage />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

beforeEach(() => authSession.clear());
afterEach(() => vi.unstubAllGlobals());

describe("HomePage latest topics", () => {
  it("lists the forum's latest topics, each linking to its page, with a way into the forum", async () => {
    const asked = serve(() =>
      Response.json({
        items: [topic("t1", "Backups at home", { reply_count: 4 }), topic("t2", "Welcome", { category: { id: "c2", slug: "news", name: "News" }, reply_count: 1 })],
        next_cursor: "more",
      }),
    );
    renderHome();
    // What the page showed before stays.
    expect(screen.getByRole("link", { name: "Join NoxChat" })).toHaveAttribute("href", "/register");
    const list = await screen.findByRole("list", { name: "Latest topics" });
    expect(screen.getByRole("heading", { level: 2, name: "Latest topics" })).toBeInTheDocument();
    const items = within(list).getAllByRole("listitem");
    expect(items.map((item) => within(item).getByRole("link").textContent)).toEqual(["Backups at home", "Welcome"]);
    expect(within(list).getByRole("link", { name: "Backups at home" })).toHaveAttribute("href", "/forum/t/t1");
    expect(within(items[0]!).getByText(/General · 4 replies/)).toBeInTheDocument();
    expect(within(items[1]!).getByText(/News · 1 reply\b/)).toBeInTheDocument();
    expect(items[1]?.querySelector("time")).toHaveAttribute("datetime", "2026-11-21T10:00:00Z");
    expect(screen.getByRole("link", { name: "Go to the forum" })).toHaveAttribute("href", "/forum");
    expect(asked[0]?.searchParams.get("limit")).toBe("20");
  });

  it("leaves out the pinned topics the list starts with, showing the ten with the latest activity", async () => {
    const pinned = [topic("p1", "Rules", { pinned: true }), topic("p2", "Read me first", { pinned: true })];
    const latest = Array.from({ length: 18 }, (_, i) => topic(`t${i + 1}`, `Topic ${i + 1}`));
    serve(() => Response.json({ items: [...pinned, ...latest], next_cursor: "more" }));
    renderHome();
    const list = await screen.findByRole("list", { name: "Latest topics" });
    const titles = within(list)
      .getAllByRole("listitem")
      .map((item) => within(item).getByRole("link").textContent);
    expect(titles).toEqual(Array.from({ length: 10 }, (_, i) => `Topic ${i + 1}`));
  });

  it("says when the forum has no topics yet", async () => {
    serve(() => Response.json({ items: [], next_cursor: null }));
    renderHome();
    expect(await screen.findByText("Nobody has started a topic yet.")).toBeInTheDocument();
  });

  it("says what went wrong when the topics cannot be read", async () => {
    serve(() =>
      Response.json(
        { type: "urn:noxchat:problem:unavailable", title: "x", status: 503, detail: "x", code: "unavailable" },
        { status: 503, headers: { "content-type": "application/problem+json" } },
      ),
    );
    renderHome();
    expect(await screen.findByText("The server is busy. Try again in a moment.")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Go to the forum" })).toBeInTheDocument();
  });
});
