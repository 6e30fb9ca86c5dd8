import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";

import type { Post, Topic } from "@/features/forum/api/forum-api";
import { TopicPage } from "@/features/forum/components/topic-page";
import { authSession } from "@/lib/auth-session";

const TOPIC_ID = "0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f";
const LAST = 25;

const topic: Topic = {
  id: TOPIC_ID,
  title: "How do notifications work?",
  category: { id: "c1", slug: "general", name: "General" },
  created_at: "2026-11-20T10:00:00Z",
  last_activity_at: "2026-11-21T10:00:00Z",
  reply_count: LAST - 1,
  view_count: 7,
  last_post_number: LAST,
  pinned: false,
  locked: false,
  reading: null,
  watch_level: null,
};

function post(number: number): Post {
  return {
    id: `post-${number}`,
    topic_id: TOPIC_ID,
    number,
    author: { id: "u1", handle: "anna", display_name: "Anna", avatar: { small: "/a-64.jpg", large: "/a-256.jpg", is_default: true } },
    body: `Post **${number}**`,
    html: `<p>Post <strong>${number}</strong></p>`,
    created_at: "2026-11-21T10:00:00Z",
    revision: 1,
    like_count: 0,
    images: [],
  };
}

/** The server's paging: 20 posts from `from` on, or the 20 just before it. */
function serve(requests: URL[]) {
  return vi.fn(async (request: Request) => {
    const url = new URL(request.url);
    requests.push(url);
    if (url.pathname === `/api/v1/topics/${TOPIC_ID}`) return Response.json(topic);
    const from = Number(url.searchParams.get("from") ?? 1);
    const before = url.searchParams.get("direction") === "before";
    const first = before ? Math.max(1, from - 20) : from;
    const last = before ? from - 1 : Math.min(LAST, from + 19);
    const items = Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => post(first + i));
    const more = before ? first > 1 : last < LAST;
    return Response.json({ items, next_cursor: more ? "opaque" : null });
  });
}

function renderAt(path: string) {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path="/forum/t/:id" element={<TopicPage />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

const shownNumbers = () =>
  within(screen.getByRole("list", { name: "Posts" }))
    .getAllByRole("article")
    .map((article) => Number(article.id.replace("post-", "")));

beforeEach(() => authSession.clear());
afterEach(() => vi.unstubAllGlobals());

describe("TopicPage", () => {
  it("shows the title, the category and the posts' HTML, then loads more by number", async () => {
    const requests: URL[] = [];
    vi.stubGlobal("fetch", serve(requests));
    renderAt(`/forum/t/${TOPIC_ID}`);
    expect(await screen.findByRole("heading", { name: "How do notifications work?" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "General" })).toHaveAttribute("href", "/forum/c/general");
    const opening = await screen.findByRole("article", { name: "Post 1 by Anna" });
    expect(within(opening).getByText("1", { selector: "strong" })).toBeInTheDocument();
    expect(within(opening).getByRole("link", { name: "Anna" })).toHaveAttribute("href", "/users/anna");
    expect(shownNumbers()).toHaveLength(20);
    expect(screen.queryByRole("button", { name: "Show earlier posts" })).toBeNull();

    await userEvent.click(screen.getByRole("button", { name: "Load more posts" }));
    await screen.findByRole("article", { name: `Post ${LAST} by Anna` });
    expect(shownNumbers()).toEqual(Array.from({ length: LAST }, (_, i) => i + 1));
    const postsAsked = requests.filter((url) => url.pathname.endsWith("/posts")).map((url) => url.searchParams.get("from"));
    expect(postsAsked).toEqual(["1", "21"]);
    expect(screen.queryByRole("button", { name: "Load more posts" })).toBeNull();
  });

  it("opens at ?post=N and reads the posts before it on request", async () => {
    const requests: URL[] = [];
    vi.stubGlobal("fetch", serve(requests));
    // jsdom lays nothing out, so has no scrollIntoView.
    const scrollIntoView = vi.fn();
    Element.prototype.scrollIntoView = scrollIntoView;
    renderAt(`/forum/t/${TOPIC_ID}?post=22`);
    await screen.findByRole("article", { name: "Post 22 by Anna" });
    expect(shownNumbers()).toEqual([22, 23, 24, 25]);
    expect((scrollIntoView.mock.contexts[0] as Element).id).toBe("post-22");

    await userEvent.click(screen.getByRole("button", { name: "Show earlier posts" }));
    await screen.findByRole("article", { name: "Post 2 by Anna" });
    expect(shownNumbers()[0]).toBe(2);
    const earlier = requests.find((url) => url.searchParams.get("direction") === "before");
    expect(earlier?.searchParams.get("from")).toBe("22");
  });

  it("says so when there is no such topic", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () =>
        Response.json(
          { type: "urn:noxchat:problem:topic_not_found", title: "Not Found", status: 404, detail: "x", code: "topic_not_found" },
          { status: 404, headers: { "content-type": "application/problem+json" } },
        ),
      ),
    );
    renderAt(`/forum/t/${TOPIC_ID}`);
    expect(await screen.findByText("There is no such topic.")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Forum" })).toHaveAttribute("href", "/forum");
  });
});
