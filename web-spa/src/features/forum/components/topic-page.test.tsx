import { MantineProvider } from "@mantine/core";
import { focusManager, QueryClient, QueryClientProvider, type InfiniteData } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";

import { forumKeys, type Post, type PostPage, type Topic } from "@/features/forum/api/forum-api";
import { TopicPage } from "@/features/forum/components/topic-page";
import { registerForumLive } from "@/features/forum/live";
import { authSession, type Me } from "@/lib/auth-session";
import { LiveRegistry } from "@/lib/realtime";

const TOPIC_ID = "0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f";
const ME = "u1";

// Pages of post cards take a few seconds to render in jsdom, more on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

/** The topic on the server: `last` grows as posts are added. */
let last = 25;
let reading: Topic["reading"] = null;
/** What a moderator did to it meanwhile. */
let locked = false;
let deleted = false;

function topic(): Topic {
  return {
    id: TOPIC_ID,
    title: "How do notifications work?",
    category: { id: "c1", slug: "general", name: "General" },
    created_at: "2026-11-20T10:00:00Z",
    last_activity_at: "2026-11-21T10:00:00Z",
    reply_count: last - 1,
    view_count: 7,
    last_post_number: last,
    pinned: false,
    locked,
    reading,
    watch_level: reading ? "normal" : null,
  };
}

function post(number: number): Post {
  return {
    id: `post-${number}`,
    topic_id: TOPIC_ID,
    number,
    author: { id: "u2", handle: "anna", display_name: "Anna", avatar: { small: "/a-64.jpg", large: "/a-256.jpg", is_default: true }, role: "user" },
    body: `Post **${number}**`,
    // Post 300 links to post 310 of the same topic, as a quote would; post 22 back to post 12.
    html:
      number === 300
        ? `<p>See <a href="/forum/t/${TOPIC_ID}?post=310">#310</a></p>`
        : number === 22
          ? `<p>Back to <a href="/forum/t/${TOPIC_ID}?post=12">#12</a></p>`
          : `<p>Post <strong>${number}</strong></p>`,
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
    if (request.method === "GET") requests.push(url);
    if (url.pathname === `/api/v1/topics/${TOPIC_ID}` && deleted) {
      return Response.json(
        { type: "urn:noxchat:problem:topic_not_found", title: "Not Found", status: 404, detail: "x", code: "topic_not_found" },
        { status: 404, headers: { "content-type": "application/problem+json" } },
      );
    }
    if (url.pathname === `/api/v1/topics/${TOPIC_ID}`) return Response.json(topic());
    if (request.method === "POST" && url.pathname === `/api/v1/topics/${TOPIC_ID}/posts`) {
      last += 1;
      return Response.json({ ...post(last), author: { ...post(last).author, id: ME } }, { status: 201 });
    }
    if (url.pathname !== `/api/v1/topics/${TOPIC_ID}/posts`) {
      return Response.json({ type: "about:blank", title: "Not Found", status: 404, detail: "x", code: "not_found" }, { status: 404 });
    }
    const from = Number(url.searchParams.get("from") ?? 1);
    const before = url.searchParams.get("direction") === "before";
    const first = before ? Math.max(1, from - 20) : from;
    const end = before ? from - 1 : Math.min(last, from + 19);
    const items = Array.from({ length: Math.max(0, end - first + 1) }, (_, i) => post(first + i));
    const more = before ? first > 1 : end < last;
    return Response.json({ items, next_cursor: more ? "opaque" : null });
  });
}

const topicRequests = (requests: URL[]) => requests.filter((url) => url.pathname === `/api/v1/topics/${TOPIC_ID}`).length;

const postRequests = (requests: URL[]) =>
  requests
    .filter((url) => url.pathname.endsWith("/posts"))
    .map((url) => `${url.searchParams.get("direction") ?? "after"} ${url.searchParams.get("from")}`);

/**
 * jsdom lays nothing out: each post is laid out as a row 100 px high, under
 * a page scrolled by `scrollTop`; scrolling to a post puts it at the top.
 */
const ROW = 100;
let scrollTop = 0;
let scrolledTo: number[] = [];
function rowOf(element: Element): number | null {
  if (!(element instanceof HTMLLIElement) || !element.dataset.number || !element.parentElement) return null;
  return [...element.parentElement.children].indexOf(element);
}
function box(top: number, height: number): DOMRect {
  return { top, bottom: top + height, height, left: 0, right: 800, width: 800, x: 0, y: top, toJSON: () => ({}) } as DOMRect;
}
function layOut() {
  scrollTop = 0;
  scrolledTo = [];
  vi.spyOn(Element.prototype, "getBoundingClientRect").mockImplementation(function (this: Element) {
    const row = rowOf(this);
    return row === null ? box(0, 0) : box(row * ROW - scrollTop, ROW);
  });
  Element.prototype.scrollIntoView = function (this: Element) {
    const row = rowOf(this);
    if (row === null || !(this instanceof HTMLElement)) return;
    scrolledTo.push(Number(this.dataset.number));
    scrollTop = row * ROW;
    window.dispatchEvent(new Event("scroll"));
  };
  window.scrollBy = ((_x: number, y: number) => {
    scrollTop += y;
  }) as typeof window.scrollBy;
}

function Address() {
  return <output aria-label="Address">{useLocation().search}</output>;
}

function renderAt(path: string, prepare: (client: QueryClient) => void = () => undefined) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  prepare(client);
  const registry = new LiveRegistry();
  const viewTopic = vi.fn();
  registerForumLive(registry, client, viewTopic);
  const view = render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route
              path="/forum/t/:id"
              element={
                <>
                  <TopicPage />
                  <Address />
                </>
              }
            />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
  const postAdded = (number: number, author: string) =>
    act(() => registry.topicPostAdded({ type: "topic_post_added", topic_id: TOPIC_ID, number, author_id: author }));
  const topicChanged = (topicId = TOPIC_ID) => act(() => registry.topicChanged({ type: "topic_changed", topic_id: topicId }));
  /** The connection came back (not the first time): the events resume, the topic's frames do not. */
  const reconnected = () => act(() => registry.ready({} as never, false));
  return { view, viewTopic, postAdded, topicChanged, reconnected, client };
}

function signIn() {
  authSession.accept({ access_token: "token", expires_in: 900, user: { id: ME, handle: "me" } as Me } as Parameters<typeof authSession.accept>[0]);
}

const shownNumbers = () =>
  within(screen.getByRole("list", { name: "Posts" }))
    .getAllByRole("article")
    .map((article) => Number(article.id.replace("post-", "")));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const address = () => screen.getByRole("status", { name: "Address" }).textContent;

beforeEach(() => {
  authSession.clear();
  sessionStorage.clear();
  last = 25;
  reading = null;
  locked = false;
  deleted = false;
  layOut();
});
afterEach(() => {
  // Unmounted before the session ends, so signing out renders nothing.
  cleanup();
  // The page writes where the reader is straight into the browser's address.
  window.history.replaceState(null, "", "/");
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  authSession.clear();
});

describe("TopicPage: where the reader is", () => {
  it("shows the title, the category and the posts from the first, then loads more by number", async () => {
    const requests: URL[] = [];
    vi.stubGlobal("fetch", serve(requests));
    renderAt(`/forum/t/${TOPIC_ID}`);
    expect(await screen.findByRole("heading", { name: "How do notifications work?" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "General" })).toHaveAttribute("href", "/forum/c/general");
    await screen.findByRole("article", { name: "Post 1 by Anna" });
    expect(shownNumbers()).toEqual(range(1, 20));
    expect(scrolledTo).toEqual([]); // the top of the topic stays where the page starts
    expect(screen.queryByRole("button", { name: "Show earlier posts" })).toBeNull();

    await userEvent.click(screen.getByRole("button", { name: "Load more posts" }));
    await screen.findByRole("article", { name: "Post 25 by Anna" });
    expect(shownNumbers()).toEqual(range(1, 25));
    expect(postRequests(requests)).toEqual(["after 1", "after 21"]);
    expect(screen.queryByRole("button", { name: "Load more posts" })).toBeNull();
  });

  it("opens a signed-in reader at their first unread post, at the top of the screen, with the posts before it there too", async () => {
    signIn();
    last = 60;
    reading = { status: "unread", unread_count: 16, continue_at: 45 };
    const requests: URL[] = [];
    vi.stubGlobal("fetch", serve(requests));
    renderAt(`/forum/t/${TOPIC_ID}`);
    await screen.findByRole("article", { name: "Post 45 by Anna" });
    // The page before it and the page from it on, asked for together.
    expect(postRequests(requests).sort()).toEqual(["after 45", "before 45"]);
    expect(shownNumbers()).toEqual(range(25, 60));
    expect(scrolledTo.at(-1)).toBe(45);
    expect(scrollTop).toBe(20 * ROW);

    // Earlier posts go above without moving what the reader looks at.
    await userEvent.click(screen.getByRole("button", { name: "Show earlier posts" }));
    await screen.findByRole("article", { name: "Post 5 by Anna" });
    expect(shownNumbers()).toEqual(range(5, 60));
    expect(screen.getByRole("article", { name: "Post 45 by Anna" }).closest("li")?.getBoundingClientRect().top).toBe(0);
    expect(postRequests(requests).at(-1)).toBe("before 25");
  });

  it("opens at ?post=N rather than where the reader left off, and the address follows the reader without reloading the posts", async () => {
    signIn();
    reading = { status: "unread", unread_count: 3, continue_at: 23 };
    const requests: URL[] = [];
    vi.stubGlobal("fetch", serve(requests));
    renderAt(`/forum/t/${TOPIC_ID}?post=12`);
    await screen.findByRole("article", { name: "Post 12 by Anna" });
    expect(scrolledTo).toEqual([12]);
    expect(shownNumbers()).toEqual(range(1, 25));

    // Scrolled on to post 20: a reload would come back there. The address
    // changes in place, under the router: nothing renders again for it.
    scrollTop = 19 * ROW;
    fireEvent.scroll(window);
    await waitFor(() => expect(window.location.search).toBe("?post=20"));
    expect(address()).toBe("?post=12");
    expect(shownNumbers()).toEqual(range(1, 25));
    expect(postRequests(requests)).toHaveLength(2);

    // A link back to the post first asked for still goes there.
    await userEvent.click(screen.getByRole("link", { name: "#12" }));
    expect(scrolledTo.at(-1)).toBe(12);
    expect(postRequests(requests)).toHaveLength(2);
  });

  it("opens where the server says the reader left off, not where the cached topic does, reading the topic once", async () => {
    signIn();
    last = 60;
    reading = { status: "unread", unread_count: 16, continue_at: 45 };
    const requests: URL[] = [];
    vi.stubGlobal("fetch", serve(requests));
    // From an earlier visit; the reader has read on elsewhere since.
    renderAt(`/forum/t/${TOPIC_ID}`, (client) =>
      client.setQueryData(forumKeys.topic(ME, TOPIC_ID), { ...topic(), reading: { status: "unread", unread_count: 56, continue_at: 5 } }),
    );
    await screen.findByRole("article", { name: "Post 45 by Anna" });
    expect(postRequests(requests).sort()).toEqual(["after 45", "before 45"]);
    expect(scrolledTo.at(-1)).toBe(45);
    expect(topicRequests(requests)).toBe(1);
  });

  it("keeps the posts read further up whole when they are read again", async () => {
    signIn();
    last = 45;
    reading = { status: "unread", unread_count: 16, continue_at: 30 };
    const requests: URL[] = [];
    vi.stubGlobal("fetch", serve(requests));
    const { client } = renderAt(`/forum/t/${TOPIC_ID}`);
    await screen.findByRole("article", { name: "Post 30 by Anna" });
    await userEvent.click(screen.getByRole("button", { name: "Show earlier posts" }));
    await screen.findByRole("article", { name: "Post 1 by Anna" });
    expect(shownNumbers()).toEqual(range(1, 45));
    const asked = postRequests(requests).length;

    // Coming back to the tab reads nothing again.
    act(() => {
      focusManager.setFocused(false);
      focusManager.setFocused(true);
    });
    expect(postRequests(requests)).toHaveLength(asked);
    act(() => focusManager.setFocused(undefined));

    // Read again all the same (a moderator's change): the first page read is
    // the one before post 10, which reaches post 1; the rest follow on from it.
    await act(() => client.invalidateQueries({ queryKey: ["forum"] }));
    expect(postRequests(requests).slice(asked)).toEqual(["before 10", "after 10"]);
    expect(shownNumbers()).toEqual(range(1, 29));
    await userEvent.click(screen.getByRole("button", { name: "Load more posts" }));
    await screen.findByRole("article", { name: "Post 45 by Anna" });
    expect(shownNumbers()).toEqual(range(1, 45));
  });

  it("jumps to any post number: reads the posts around it, with more both ways; a shown one is scrolled to", async () => {
    last = 400;
    const requests: URL[] = [];
    vi.stubGlobal("fetch", serve(requests));
    renderAt(`/forum/t/${TOPIC_ID}`);
    await screen.findByRole("article", { name: "Post 1 by Anna" });

    await userEvent.type(screen.getByRole("textbox", { name: "Go to post (1–400)" }), "300");
    await userEvent.click(screen.getByRole("button", { name: "Go" }));
    await screen.findByRole("article", { name: "Post 300 by Anna" });
    expect(shownNumbers()).toEqual(range(280, 319));
    expect(scrolledTo.at(-1)).toBe(300);
    expect(document.activeElement).toBe(screen.getByRole("article", { name: "Post 300 by Anna" }));
    expect(address()).toBe("?post=300");
    expect(postRequests(requests).slice(1).sort()).toEqual(["after 300", "before 300"]);
    expect(screen.getByRole("button", { name: "Show earlier posts" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Load more posts" })).toBeInTheDocument();

    // A link in a post to one shown: no reading, no reload.
    await userEvent.click(screen.getByRole("link", { name: "#310" }));
    expect(scrolledTo.at(-1)).toBe(310);
    expect(address()).toBe("?post=310");
    expect(postRequests(requests)).toHaveLength(3);

    // Beyond the last post: the last.
    await userEvent.clear(screen.getByRole("textbox", { name: "Go to post (1–400)" }));
    await userEvent.type(screen.getByRole("textbox", { name: "Go to post (1–400)" }), "1000");
    await userEvent.click(screen.getByRole("button", { name: "Go" }));
    await screen.findByRole("article", { name: "Post 400 by Anna" });
    expect(shownNumbers()).toEqual(range(380, 400));
    expect(scrolledTo.at(-1)).toBe(400);
  });
});

describe("TopicPage: posts added while reading", () => {
  it("tells the connection which topic is shown, and that none is once the reader leaves", async () => {
    vi.stubGlobal("fetch", serve([]));
    const { view, viewTopic } = renderAt(`/forum/t/${TOPIC_ID}`);
    await screen.findByRole("article", { name: "Post 1 by Anna" });
    expect(viewTopic).toHaveBeenLastCalledWith(TOPIC_ID);
    view.unmount();
    expect(viewTopic).toHaveBeenLastCalledWith(null);
  });

  it("counts someone else's new posts on a button, adding none until it is pressed", async () => {
    signIn();
    last = 5;
    const requests: URL[] = [];
    vi.stubGlobal("fetch", serve(requests));
    const { postAdded } = renderAt(`/forum/t/${TOPIC_ID}`);
    await screen.findByRole("article", { name: "Post 5 by Anna" });

    last = 7;
    postAdded(6, "u2");
    postAdded(7, "u3");
    const button = await screen.findByRole("button", { name: "2 new replies" });
    // Announced politely, where the page is.
    expect(button.closest("[role=status]")).not.toBeNull();
    expect(shownNumbers()).toEqual(range(1, 5));
    expect(postRequests(requests)).toEqual(["after 1"]);
    // The topic's numbers follow: the jump control reaches the new posts.
    expect(screen.getByRole("textbox", { name: "Go to post (1–7)" })).toBeInTheDocument();

    await userEvent.click(button);
    await screen.findByRole("article", { name: "Post 7 by Anna" });
    expect(shownNumbers()).toEqual(range(1, 7));
    expect(postRequests(requests)).toEqual(["after 1", "after 6"]);
    expect(screen.queryByRole("button", { name: /new repl/ })).toBeNull();
    // The first new post is brought into view and takes the focus.
    expect(scrolledTo.at(-1)).toBe(6);
    expect(document.activeElement).toBe(screen.getByRole("article", { name: "Post 6 by Anna" }));
  });

  it("adds the reader's own new post (written elsewhere) at once", async () => {
    signIn();
    last = 5;
    const requests: URL[] = [];
    vi.stubGlobal("fetch", serve(requests));
    const { postAdded } = renderAt(`/forum/t/${TOPIC_ID}`);
    await screen.findByRole("article", { name: "Post 5 by Anna" });

    last = 6;
    postAdded(6, ME);
    await screen.findByRole("article", { name: "Post 6 by Anna" });
    expect(shownNumbers()).toEqual(range(1, 6));
    expect(screen.queryByRole("button", { name: /new repl/ })).toBeNull();
    expect(scrolledTo).toEqual([]); // the page does not move
  });

  it("looks for posts added while the connection was down, and reads the topic again", async () => {
    signIn();
    last = 5;
    const requests: URL[] = [];
    vi.stubGlobal("fetch", serve(requests));
    const { reconnected } = renderAt(`/forum/t/${TOPIC_ID}`);
    await screen.findByRole("article", { name: "Post 5 by Anna" });
    expect(topicRequests(requests)).toBe(1);

    last = 7;
    reconnected();
    expect(await screen.findByRole("button", { name: "2 new replies" })).toBeInTheDocument();
    expect(shownNumbers()).toEqual(range(1, 5));
    await waitFor(() => expect(topicRequests(requests)).toBe(2));
    expect(screen.getByRole("textbox", { name: "Go to post (1–7)" })).toBeInTheDocument();
  });

  it("leaves new posts to 'Load more posts' while the posts shown do not reach the end", async () => {
    signIn();
    const requests: URL[] = [];
    vi.stubGlobal("fetch", serve(requests));
    const { postAdded } = renderAt(`/forum/t/${TOPIC_ID}`);
    await screen.findByRole("article", { name: "Post 20 by Anna" });
    last = 26;
    postAdded(26, "u2");
    expect(screen.queryByRole("button", { name: /new repl/ })).toBeNull();
    expect(postRequests(requests)).toEqual(["after 1"]);
  });
});

describe("TopicPage: a moderator changes the topic while it is read", () => {
  it("reads the topic again when it is locked: the reply form gives way to the locked note, without a reload", async () => {
    signIn();
    last = 5;
    const requests: URL[] = [];
    vi.stubGlobal("fetch", serve(requests));
    const { topicChanged } = renderAt(`/forum/t/${TOPIC_ID}`);
    await screen.findByRole("article", { name: "Post 5 by Anna" });
    expect(await screen.findByRole("form", { name: "Reply" })).toBeInTheDocument();
    expect(screen.queryByText("Locked")).toBeNull();
    expect(topicRequests(requests)).toBe(1);

    // Another topic's change is no concern of this page.
    topicChanged("another-topic");
    locked = true;
    topicChanged();
    expect(await screen.findByText("This topic is locked: only moderators can post in it.")).toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Reply" })).toBeNull();
    expect(screen.queryByRole("textbox", { name: "Your reply" })).toBeNull();
    expect(screen.getByText("Locked")).toBeInTheDocument();
    expect(topicRequests(requests)).toBe(2);
    // The posts shown stay: only the topic is read again.
    expect(shownNumbers()).toEqual(range(1, 5));
    expect(postRequests(requests)).toEqual(["after 1"]);
  });

  it("says the topic was deleted when reading it again finds it gone, and stops following it", async () => {
    signIn();
    last = 5;
    vi.stubGlobal("fetch", serve([]));
    const { topicChanged, viewTopic } = renderAt(`/forum/t/${TOPIC_ID}`);
    await screen.findByRole("article", { name: "Post 5 by Anna" });
    expect(viewTopic).toHaveBeenLastCalledWith(TOPIC_ID);

    deleted = true;
    topicChanged();
    expect(await screen.findByText("This topic was deleted.")).toBeInTheDocument();
    expect(screen.queryByRole("article")).toBeNull();
    expect(screen.queryByRole("form", { name: "Reply" })).toBeNull();
    // The way back to its category.
    expect(screen.getByRole("link", { name: "General" })).toHaveAttribute("href", "/forum/c/general");
    expect(viewTopic).toHaveBeenLastCalledWith(null);
  });
});

describe("TopicPage: the reader's own reply", () => {
  async function reply(text: string) {
    await userEvent.type(await screen.findByRole("textbox", { name: "Your reply" }), text);
    await userEvent.click(screen.getByRole("button", { name: "Send reply" }));
  }

  it("joins the posts shown when they reach the end", async () => {
    signIn();
    last = 5;
    const requests: URL[] = [];
    vi.stubGlobal("fetch", serve(requests));
    const { postAdded } = renderAt(`/forum/t/${TOPIC_ID}`);
    await screen.findByRole("article", { name: "Post 5 by Anna" });
    await reply("Thanks");
    await screen.findByRole("article", { name: "Post 6 by Anna" });
    // The server then says so to every tab showing the topic: nothing more to do.
    postAdded(6, ME);
    expect(shownNumbers()).toEqual(range(1, 6));
    expect(screen.queryByRole("button", { name: /new repl/ })).toBeNull();
    expect(postRequests(requests).filter((asked) => asked.startsWith("after"))).toEqual(["after 1"]);
  });

  it("takes a reader further up the topic to their reply", async () => {
    signIn();
    vi.stubGlobal("fetch", serve([]));
    renderAt(`/forum/t/${TOPIC_ID}`);
    await screen.findByRole("article", { name: "Post 1 by Anna" });
    await reply("Thanks");
    await screen.findByRole("article", { name: "Post 26 by Anna" });
    expect(shownNumbers()).toEqual(range(6, 26));
    expect(scrolledTo.at(-1)).toBe(26);
    // The router moves in a transition, begun outside the test's act: it lands a little later.
    await waitFor(() => expect(address()).toBe("?post=26"));
  });
});

describe("TopicPage: a like", () => {
  it("sets the server's like count on the post as it is by then, keeping an edit that came meanwhile", async () => {
    signIn();
    last = 5;
    let answer!: (response: Response) => void;
    const server = serve([]);
    vi.stubGlobal(
      "fetch",
      vi.fn((request: Request) =>
        new URL(request.url).pathname === "/api/v1/posts/post-3/like" ? new Promise<Response>((resolve) => (answer = resolve)) : server(request),
      ),
    );
    const { client } = renderAt(`/forum/t/${TOPIC_ID}`);
    const third = await screen.findByRole("article", { name: "Post 3 by Anna" });
    await userEvent.click(within(third).getByRole("button", { name: "Like" }));

    // Post 3 is edited while the like is on its way.
    act(() =>
      client.setQueryData<InfiniteData<PostPage>>(forumKeys.posts(ME, TOPIC_ID, 1), (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((page) => ({
                ...page,
                items: page.items.map((item) => (item.number === 3 ? { ...item, html: "<p>Post three, edited</p>", revision: 2 } : item)),
              })),
            }
          : data,
      ),
    );
    answer(Response.json({ liked: true, like_count: 4 }));
    const edited = screen.getByRole("article", { name: "Post 3 by Anna" });
    expect(await within(edited).findByRole("button", { name: "4 likes: see who liked it" })).toBeInTheDocument();
    expect(within(edited).getByText("Post three, edited")).toBeInTheDocument();
    expect(within(edited).getByRole("button", { name: "Like" })).toHaveAttribute("aria-pressed", "true");
  });
});

describe("TopicPage: no topic", () => {
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
