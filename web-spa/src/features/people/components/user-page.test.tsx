import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";

import type { AuthoredTopic, UserPost } from "@/features/people/api/activity-api";
import { UserPage } from "@/features/people/components/user-page";
import { authSession } from "@/lib/auth-session";
import { setLanguage } from "@/lib/i18n";

const anna = {
  id: "id-anna",
  handle: "anna",
  display_name: "Anna",
  avatar: { large: "", small: "", is_default: true },
  bio: "",
  created_at: "2026-01-10T10:00:00Z",
  relationship: null,
  stats: { friends: 2, topics: 3, posts: 7, likes_received: 4 },
};

function topic(id: string, title: string, changes: Partial<AuthoredTopic> = {}): AuthoredTopic {
  return {
    id,
    title,
    category: { id: "c1", slug: "general", name: "General" },
    created_at: "2026-11-20T10:00:00Z",
    last_activity_at: "2026-11-21T10:00:00Z",
    reply_count: 3,
    view_count: 40,
    last_post_number: 4,
    pinned: false,
    locked: false,
    author: null,
    reading: null,
    ...changes,
  };
}

function post(id: string, number: number, changes: Partial<UserPost> = {}): UserPost {
  return {
    id,
    number,
    topic: { id: "t1", title: "Backups at home" },
    created_at: "2026-11-22T10:00:00Z",
    html: "<p>Use <strong>restic</strong>.</p>",
    like_count: 0,
    ...changes,
  };
}

type Page<T> = { items: T[]; next_cursor: string | null };

function problem(status: number, code: string) {
  return Response.json(
    { type: `urn:noxchat:problem:${code}`, title: "x", status, detail: "x", code },
    { status, headers: { "content-type": "application/problem+json" } },
  );
}

/** Answers Anna's profile, her topics and her posts, pages by cursor (the first under ""); records what was asked. */
function serve(answers: { topics?: Record<string, Page<AuthoredTopic>>; posts?: Record<string, Page<UserPost>> | Response }) {
  const asked: URL[] = [];
  const page = <T,>(pages: Record<string, Page<T>> | undefined, url: URL) =>
    Response.json(pages?.[url.searchParams.get("cursor") ?? ""] ?? { items: [], next_cursor: null });
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      asked.push(url);
      if (url.pathname === "/api/v1/users/anna") return Response.json(anna);
      if (url.pathname === "/api/v1/topics") return page(answers.topics, url);
      if (url.pathname === "/api/v1/users/anna/posts") {
        return answers.posts instanceof Response ? answers.posts.clone() : page(answers.posts, url);
      }
      return problem(404, "route_not_found");
    }),
  );
  return asked;
}

function Where() {
  const location = useLocation();
  return <output aria-label="location">{location.pathname + location.search}</output>;
}

function renderAt(path: string) {
  render(
    <MantineProvider env="test">
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path="/users/:handle" element={<UserPage />} />
          </Routes>
          <Where />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

const location = () => screen.getByRole("status", { name: "location" }).textContent;

function row(list: HTMLElement, text: string) {
  const item = within(list).getAllByRole("listitem").find((li) => li.textContent?.includes(text));
  if (!item) throw new Error(`no row with ${text}`);
  return within(item);
}

beforeEach(() => authSession.clear());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  setLanguage("en");
});

describe("UserPage activity", () => {
  it("shows the topics the person started, each linking to its topic, with its category and replies", async () => {
    const asked = serve({ topics: { "": { items: [topic("t1", "Backups at home"), topic("t2", "Quiet hours", { reply_count: 1 })], next_cursor: null } } });
    renderAt("/users/anna");
    const list = await screen.findByRole("list", { name: "Topics started by Anna" });
    expect(screen.getByRole("tab", { name: "Topics" })).toHaveAttribute("aria-selected", "true");
    expect(within(list).getByRole("link", { name: "Backups at home" })).toHaveAttribute("href", "/forum/t/t1");
    expect(within(list).getByRole("link", { name: "Quiet hours" })).toHaveAttribute("href", "/forum/t/t2");
    const first = row(list, "Backups at home");
    expect(first.getByRole("link", { name: "General" })).toHaveAttribute("href", "/forum/c/general");
    expect(first.getByText(/3 replies/)).toBeInTheDocument();
    expect(row(list, "Quiet hours").getByText(/1 reply\b/)).toBeInTheDocument();
    expect(asked.find((url) => url.pathname === "/api/v1/topics")?.searchParams.get("author")).toBe("anna");
    // The posts are asked for only when their tab is opened.
    expect(asked.some((url) => url.pathname.endsWith("/posts"))).toBe(false);
  });

  it("switches to the posts, each linking to that post in its topic, with a few lines of it", async () => {
    serve({
      posts: { "": { items: [post("p9", 9, { like_count: 2 }), post("p5", 5, { topic: { id: "t7", title: "Quiet hours" } })], next_cursor: null } },
    });
    renderAt("/users/anna");
    await userEvent.click(await screen.findByRole("tab", { name: "Posts" }));
    expect(location()).toBe("/users/anna?tab=posts");
    const list = await screen.findByRole("list", { name: "Posts by Anna" });
    expect(within(list).getByRole("link", { name: "Backups at home" })).toHaveAttribute("href", "/forum/t/t1?post=9");
    expect(within(list).getByRole("link", { name: "Quiet hours" })).toHaveAttribute("href", "/forum/t/t7?post=5");
    const liked = row(list, "Backups at home");
    expect(liked.getByText(/post 9/)).toBeInTheDocument();
    expect(liked.getByText(/2 likes/)).toBeInTheDocument();
    expect(row(list, "Quiet hours").queryByText(/like/)).toBeNull();
    // The server's HTML, shown as HTML.
    expect(liked.getByText("restic").tagName).toBe("STRONG");
    expect(liked.getByText("restic").closest(".post-body")).not.toBeNull();

    await userEvent.click(screen.getByRole("tab", { name: "Topics" }));
    expect(location()).toBe("/users/anna");
    expect(await screen.findByText("No topics yet.")).toBeInTheDocument();
  });

  it("opens on the tab the address names", async () => {
    serve({ posts: { "": { items: [post("p9", 9)], next_cursor: null } } });
    renderAt("/users/anna?tab=posts");
    expect(await screen.findByRole("list", { name: "Posts by Anna" })).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Posts" })).toHaveAttribute("aria-selected", "true");
  });

  it("loads more, a page at a time, until there is no more", async () => {
    const asked = serve({
      topics: {
        "": { items: [topic("t1", "First page topic")], next_cursor: "c2" },
        c2: { items: [topic("t2", "Second page topic")], next_cursor: null },
      },
    });
    renderAt("/users/anna");
    await screen.findByRole("link", { name: "First page topic" });
    expect(screen.queryByRole("link", { name: "Second page topic" })).toBeNull();

    await userEvent.click(screen.getByRole("button", { name: "Load more topics" }));
    expect(await screen.findByRole("link", { name: "Second page topic" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "First page topic" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Load more topics" })).toBeNull();
    const second = asked.filter((url) => url.pathname === "/api/v1/topics").at(-1);
    expect([second?.searchParams.get("author"), second?.searchParams.get("cursor")]).toEqual(["anna", "c2"]);
  });

  it("says when there are no posts yet, and what went wrong when they cannot be read", async () => {
    serve({ posts: problem(503, "unavailable") });
    renderAt("/users/anna?tab=posts");
    expect(await screen.findByText("The server is busy. Try again in a moment.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
    cleanup();

    serve({});
    renderAt("/users/anna?tab=posts");
    expect(await screen.findByText("No posts yet.")).toBeInTheDocument();
    expect(screen.queryByRole("list", { name: "Posts by Anna" })).toBeNull();
  });

  it("speaks Russian, with the plural forms", async () => {
    setLanguage("ru");
    serve({ topics: { "": { items: [topic("t1", "Пять ответов", { reply_count: 5 }), topic("t2", "Два ответа", { reply_count: 2 })], next_cursor: null } } });
    renderAt("/users/anna");
    const list = await screen.findByRole("list", { name: "Темы, которые начал(а) Anna" });
    expect(row(list, "Пять ответов").getByText(/5 ответов/)).toBeInTheDocument();
    expect(row(list, "Два ответа").getByText(/2 ответа/)).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Сообщения" })).toBeInTheDocument();
  });
});
