import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";

import type { Category, TopicSummary } from "@/features/forum/api/forum-api";
import { CategoryPage } from "@/features/forum/components/category-page";
import { authSession, type Me } from "@/lib/auth-session";

const category: Category = {
  id: "c1",
  slug: "general",
  name: "General",
  description: "Anything at all",
  position: 0,
  topic_count: 2,
  last_activity_at: "2026-11-21T10:00:00Z",
};

function topic(id: string, title: string): TopicSummary {
  return {
    id,
    title,
    category: { id: "c1", slug: "general", name: "General" },
    created_at: "2026-11-20T10:00:00Z",
    last_activity_at: "2026-11-21T10:00:00Z",
    reply_count: 1,
    view_count: 3,
    last_post_number: 2,
    pinned: false,
    locked: false,
    author: null,
    reading: null,
  };
}

/** Every topic for the latest, one for mine, none unread. */
function serve(asked: (string | null)[]) {
  return vi.fn(async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname === "/api/v1/categories/general") return Response.json(category);
    if (url.pathname !== "/api/v1/categories/general/topics") return Response.json({ items: [], next_cursor: null });
    const filter = url.searchParams.get("filter");
    asked.push(filter);
    const items = filter === "unread" ? [] : filter === "mine" ? [topic("t2", "Mine")] : [topic("t1", "Welcome"), topic("t2", "Mine")];
    return Response.json({ items, next_cursor: null });
  });
}

function Address() {
  return <output aria-label="Address">{useLocation().search}</output>;
}

function renderAt(path: string) {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route
              path="/forum/c/:slug"
              element={
                <>
                  <CategoryPage />
                  <Address />
                </>
              }
            />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

const titles = () => screen.queryAllByRole("listitem").map((item) => item.querySelector("a")?.textContent);

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  authSession.clear();
});

describe("CategoryPage filters", () => {
  it("lets a signed-in reader show the latest, the unread or their own topics, kept in the address", async () => {
    authSession.accept({ access_token: "token", expires_in: 900, user: { id: "u1", handle: "me" } as Me } as Parameters<typeof authSession.accept>[0]);
    const asked: (string | null)[] = [];
    vi.stubGlobal("fetch", serve(asked));
    renderAt("/forum/c/general");
    await screen.findByRole("link", { name: "Welcome" });
    expect(screen.getByRole("radio", { name: "Latest" })).toBeChecked();

    await userEvent.click(screen.getByRole("radio", { name: "Unread" }));
    expect(await screen.findByText("Nothing unread here.")).toBeInTheDocument();
    expect(screen.getByRole("status", { name: "Address" })).toHaveTextContent("?filter=unread");

    await userEvent.click(screen.getByRole("radio", { name: "Mine" }));
    await screen.findByRole("link", { name: "Mine" });
    expect(titles()).toEqual(["Mine"]);
    expect(asked).toEqual([null, "unread", "mine"]);
  });

  it("opens with the filter in the address", async () => {
    authSession.accept({ access_token: "token", expires_in: 900, user: { id: "u1", handle: "me" } as Me } as Parameters<typeof authSession.accept>[0]);
    const asked: (string | null)[] = [];
    vi.stubGlobal("fetch", serve(asked));
    renderAt("/forum/c/general?filter=mine");
    await screen.findByRole("link", { name: "Mine" });
    expect(screen.getByRole("radio", { name: "Mine" })).toBeChecked();
    expect(asked).toEqual(["mine"]);
  });

  it("shows a visitor the latest topics only, with no filters", async () => {
    const asked: (string | null)[] = [];
    vi.stubGlobal("fetch", serve(asked));
    renderAt("/forum/c/general?filter=unread");
    await screen.findByRole("link", { name: "Welcome" });
    expect(screen.queryByRole("radiogroup", { name: "Which topics" })).toBeNull();
    expect(asked).toEqual([null]);
  });
});
