import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";

import { SearchPage } from "@/features/search/components/search-page";
import { authSession } from "@/lib/auth-session";

const topicHit = {
  type: "topic",
  id: "t1",
  title: "Как настроить сервер",
  title_highlight: "Как <mark>настроить</mark> <mark>сервер</mark>",
  excerpt: "",
  category: { id: "c1", slug: "general", name: "General" },
  author: null,
  created_at: "2026-11-20T10:00:00Z",
  last_activity_at: "2026-11-21T10:00:00Z",
  reply_count: 0,
};

const categories = {
  items: [{ id: "c1", slug: "general", name: "General", description: "", position: 1, topic_count: 1 }],
  next_cursor: null,
};

function problem(status: number, code: string) {
  return Response.json(
    { type: `urn:noxchat:problem:${code}`, title: "x", status, detail: "x", code },
    { status, headers: { "content-type": "application/problem+json" } },
  );
}

/** Answers the categories, and each search with `answer`; records the searches asked. */
function serve(searches: URL[], answer: (url: URL) => Response) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      if (url.pathname === "/api/v1/categories") return Response.json(categories);
      searches.push(url);
      return answer(url);
    }),
  );
}

function Where() {
  const location = useLocation();
  return <output aria-label="location">{location.pathname + location.search}</output>;
}

function renderAt(path: string) {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path="/search" element={<SearchPage />} />
          </Routes>
          <Where />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

const location = () => screen.getByRole("status", { name: "location" }).textContent;

beforeEach(() => authSession.clear());
afterEach(() => vi.unstubAllGlobals());

describe("SearchPage", () => {
  it("searches what the URL says, with the field filled and two tabs for a signed-out reader", async () => {
    const searches: URL[] = [];
    serve(searches, () => Response.json({ items: [topicHit], next_cursor: null }));
    renderAt("/search?q=настроить%20сервир&type=people");
    expect(screen.getByRole("search", { name: "Search terms and filters" })).toBeInTheDocument();
    expect(screen.getByRole("searchbox", { name: "Search for" })).toHaveValue("настроить сервир");
    // Signed out there is no people search: topics instead.
    expect(screen.getAllByRole("tab").map((tab) => tab.textContent)).toEqual(["Topics", "Posts"]);
    expect(screen.getByRole("tab", { name: "Topics" })).toHaveAttribute("aria-selected", "true");
    const link = await screen.findByRole("link", { name: "Как настроить сервер" });
    expect(link).toHaveAttribute("href", "/forum/t/t1");
    expect(link.querySelectorAll("mark")).toHaveLength(2);
    expect(searches[0]?.searchParams.get("q")).toBe("настроить сервир");
    expect(searches[0]?.searchParams.get("type")).toBe("topics");
    expect(screen.getByRole("link", { name: "Sign in to search people and your messages." })).toHaveAttribute("href", "/login");
  });

  it("keeps the words, the tab and the category in the URL", async () => {
    const searches: URL[] = [];
    serve(searches, () => Response.json({ items: [], next_cursor: null }));
    renderAt("/search");
    expect(screen.getByText("Type the words to search for.")).toBeInTheDocument();
    expect(searches).toEqual([]);

    await userEvent.type(screen.getByRole("searchbox", { name: "Search for" }), "backup{Enter}");
    expect(await screen.findByText("Nothing found for “backup”.")).toBeInTheDocument();
    expect(location()).toBe("/search?q=backup&type=topics");

    await userEvent.click(screen.getByRole("tab", { name: "Posts" }));
    expect(location()).toBe("/search?q=backup&type=posts");
    await screen.findByRole("option", { name: "General" });
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Category" }), "General");
    expect(location()).toBe("/search?q=backup&type=posts&category=c1");
    await screen.findByText("Nothing found for “backup”.");
    const last = searches.at(-1);
    expect([last?.searchParams.get("type"), last?.searchParams.get("category")]).toEqual(["posts", "c1"]);
  });

  it("says what went wrong, by the problem's code", async () => {
    serve([], () => problem(503, "search_unavailable"));
    renderAt("/search?q=backup&type=topics");
    expect(await screen.findByText("Search is unavailable for a moment. Try again shortly.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
