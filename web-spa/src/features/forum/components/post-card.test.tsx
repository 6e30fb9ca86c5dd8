import { MantineProvider } from "@mantine/core";
import { Notifications, notifications } from "@mantine/notifications";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";

import type { Post } from "@/features/forum/api/forum-api";
import { PostCard, type PostCardProps } from "@/features/forum/components/post-card";
import { authSession, type Me } from "@/lib/auth-session";

const TOPIC = { id: "0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f", title: "Notifications", locked: false };
const ANNA = { id: "u-anna", handle: "anna", display_name: "Anna", avatar: { small: "/a-64.jpg", large: "/a-256.jpg", is_default: true }, role: "user" as const };

function annasPost(changes: Partial<Post> = {}): Post {
  return {
    id: "p7",
    topic_id: TOPIC.id,
    number: 7,
    author: ANNA,
    body: "Bells **ring** when a reply comes",
    html: "<p>Bells <strong>ring</strong> when a reply comes</p>",
    created_at: "2026-11-21T10:00:00Z",
    revision: 1,
    like_count: 2,
    liked: false,
    images: [],
    ...changes,
  };
}

function signInAs(id: string, role: "user" | "moderator" = "user") {
  authSession.accept({ access_token: "token", expires_in: 900, user: { id, handle: id, role } as Me } as Parameters<typeof authSession.accept>[0]);
}

interface Sent {
  method: string;
  path: string;
  search: string;
  body: unknown;
}

/** Answers each request with `answer(method path)`; records what was asked. */
function serve(answer: (route: string, url: URL) => Response | Promise<Response>): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      const text = await request.text();
      sent.push({ method: request.method, path: url.pathname, search: url.search, body: text ? JSON.parse(text) : null });
      return answer(`${request.method} ${url.pathname}`, url);
    }),
  );
  return sent;
}

const problem = (status: number, code: string, extra: object = {}) =>
  Response.json(
    { type: `urn:noxchat:problem:${code}`, title: "Problem", status, detail: `Problem: ${code}`, code, ...extra },
    { status, headers: { "content-type": "application/problem+json" } },
  );

function renderCard(post: Post, props: Partial<PostCardProps> = {}) {
  const handlers = { onQuote: vi.fn(), onReply: vi.fn(), onChanged: vi.fn(), onPatched: vi.fn() };
  const view = render(
    <MantineProvider>
      <Notifications />
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter>
          <PostCard post={post} topic={TOPIC} {...handlers} {...props} />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { ...handlers, view, article: screen.getByRole("article", { name: "Post 7 by Anna" }) };
}

async function openMenuItem(name: string) {
  await userEvent.click(screen.getByRole("button", { name: "More actions for post 7" }));
  await userEvent.click(await screen.findByRole("menuitem", { name }));
}

afterEach(() => {
  // Unmount before signing out, so no card updates outside the test.
  cleanup();
  vi.unstubAllGlobals();
  authSession.clear();
  getSelection()?.removeAllRanges();
  // The notifications' store outlives a test; a full one would queue the next test's.
  notifications.clean();
});

describe("PostCard", () => {
  it("shows the author, a share link to the post number and the rendered text", () => {
    const { article } = renderCard(annasPost());
    expect(within(article).getByRole("link", { name: "Anna" })).toHaveAttribute("href", "/users/anna");
    expect(within(article).getByRole("link", { name: "Link to post 7" })).toHaveAttribute("href", `/forum/t/${TOPIC.id}?post=7`);
    expect(within(article).getByText("ring", { selector: "strong" })).toBeInTheDocument();
  });

  it("marks a moderator's post with a badge by the name, and nobody else's", () => {
    const { article } = renderCard(annasPost({ author: { ...ANNA, role: "moderator" } }));
    expect(within(article).getByText("Moderator")).toBeInTheDocument();
    expect(within(article).queryByText("Admin")).toBeNull();
    cleanup();

    const { article: usersPost } = renderCard(annasPost());
    expect(within(usersPost).queryByText("Moderator")).toBeNull();
    expect(within(usersPost).queryByText("Admin")).toBeNull();
    cleanup();

    const { article: adminsPost } = renderCard(annasPost({ author: { ...ANNA, role: "admin" } }));
    expect(within(adminsPost).getByText("Admin")).toBeInTheDocument();
  });

  it("likes at once, then keeps the server's count and tells the page the like alone", async () => {
    signInAs("u-bob");
    let answer!: (response: Response) => void;
    const sent = serve(() => new Promise((resolve) => (answer = resolve)));
    const { onChanged, onPatched } = renderCard(annasPost());
    const like = screen.getByRole("button", { name: "Like" });
    expect(like).toHaveAttribute("aria-pressed", "false");

    await userEvent.click(like);
    // Before the server answers.
    expect(like).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByRole("button", { name: "3 likes: see who liked it" })).toBeInTheDocument();
    expect(sent).toMatchObject([{ method: "PUT", path: "/api/v1/posts/p7/like" }]);

    answer(Response.json({ liked: true, like_count: 5 }));
    await screen.findByRole("button", { name: "5 likes: see who liked it" });
    // Not the whole post as it was when liked: the page may have a newer one by now.
    expect(onPatched).toHaveBeenCalledWith(7, { liked: true, like_count: 5 });
    expect(onChanged).not.toHaveBeenCalled();
  });

  it("takes an optimistic like back when the server refuses it", async () => {
    signInAs("u-bob");
    let answer!: (response: Response) => void;
    const sent = serve(() => new Promise((resolve) => (answer = resolve)));
    const { onChanged, onPatched } = renderCard(annasPost({ liked: true, like_count: 1 }));
    const like = screen.getByRole("button", { name: "Like" });
    expect(like).toHaveAttribute("aria-pressed", "true");

    await userEvent.click(like);
    expect(like).toHaveAttribute("aria-pressed", "false");
    expect(screen.queryByRole("button", { name: /likes?: see who liked it/ })).toBeNull();
    expect(sent).toMatchObject([{ method: "DELETE", path: "/api/v1/posts/p7/like" }]);

    answer(problem(403, "blocked_by_user"));
    await vi.waitFor(() => expect(like).toHaveAttribute("aria-pressed", "true"));
    expect(screen.getByRole("button", { name: "1 like: see who liked it" })).toBeInTheDocument();
    expect(await screen.findByText("This user does not accept requests from you.")).toBeInTheDocument();
    expect(onChanged).not.toHaveBeenCalled();
    expect(onPatched).not.toHaveBeenCalled();
  });

  it("quotes the words selected inside the post", async () => {
    signInAs("u-bob");
    const { onQuote, article } = renderCard(annasPost());
    const range = document.createRange();
    range.selectNodeContents(within(article).getByText("ring", { selector: "strong" }));
    getSelection()!.addRange(range);

    await userEvent.click(screen.getByRole("button", { name: "Quote" }));
    expect(onQuote).toHaveBeenCalledWith(expect.objectContaining({ number: 7 }), "ring");
  });

  it("quotes the whole Markdown when nothing in the post is selected", async () => {
    signInAs("u-bob");
    const outside = document.createElement("p");
    outside.textContent = "Somewhere else";
    document.body.append(outside);
    const { onQuote } = renderCard(annasPost());
    const range = document.createRange();
    range.selectNodeContents(outside);
    getSelection()!.addRange(range);

    await userEvent.click(screen.getByRole("button", { name: "Quote" }));
    expect(onQuote).toHaveBeenCalledWith(expect.objectContaining({ number: 7 }), "Bells **ring** when a reply comes");
    outside.remove();
  });

  it("replies and copies a link to the post", async () => {
    signInAs("u-bob");
    const user = userEvent.setup();
    const { onReply } = renderCard(annasPost());
    await user.click(screen.getByRole("button", { name: "Reply" }));
    expect(onReply).toHaveBeenCalledWith(expect.objectContaining({ number: 7 }));

    await user.click(screen.getByRole("button", { name: "Share" }));
    expect(await navigator.clipboard.readText()).toBe(`${location.origin}/forum/t/${TOPIC.id}?post=7`);
    expect(await screen.findByText("Link to the post copied")).toBeInTheDocument();
  });

  it("shows a visitor the like count, and lets them share the post", async () => {
    const user = userEvent.setup();
    renderCard(annasPost());
    expect(screen.getByRole("button", { name: "2 likes: see who liked it" })).toBeInTheDocument();
    for (const name of ["Like", "Reply", "Quote", "More actions for post 7"]) {
      expect(screen.queryByRole("button", { name })).toBeNull();
    }
    await user.click(screen.getByRole("button", { name: "Share" }));
    expect(await navigator.clipboard.readText()).toBe(`${location.origin}/forum/t/${TOPIC.id}?post=7`);
  });

  it("offers no reply or quote in a locked topic but to moderators", () => {
    signInAs("u-bob");
    renderCard(annasPost(), { topic: { ...TOPIC, locked: true } });
    expect(screen.queryByRole("button", { name: "Reply" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Quote" })).toBeNull();
    expect(screen.getByRole("button", { name: "Like" })).toBeInTheDocument();
    cleanup();

    signInAs("u-mod", "moderator");
    renderCard(annasPost(), { topic: { ...TOPIC, locked: true } });
    expect(screen.getByRole("button", { name: "Reply" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Quote" })).toBeInTheDocument();
  });

  it("deletes one's own post only after confirmation", async () => {
    signInAs("u-anna");
    const gone = annasPost({ deleted: { at: "2026-11-22T10:00:00Z", by_moderator: false }, body: null, html: null });
    const sent = serve((route) => (route === "DELETE /api/v1/posts/p7" ? new Response(null, { status: 204 }) : Response.json(gone)));
    const { onChanged } = renderCard(annasPost());
    expect(screen.queryByRole("button", { name: "Like" })).toBeNull();

    await openMenuItem("Delete");
    const dialog = await screen.findByRole("dialog", { name: "Delete post 7?" });
    expect(sent).toEqual([]);
    // The author gives no reason: that is for moderators' log.
    expect(within(dialog).queryByRole("textbox")).toBeNull();

    await userEvent.click(within(dialog).getByRole("button", { name: "Delete" }));
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalledWith(gone));
    expect(sent.map((request) => `${request.method} ${request.path}${request.search}`)).toEqual(["DELETE /api/v1/posts/p7", "GET /api/v1/posts/p7"]);
    expect(await screen.findByText("This post was deleted.")).toBeInTheDocument();
  });

  it("lets a moderator give a reason for deleting, then restore the dimmed post", async () => {
    signInAs("u-mod", "moderator");
    const removed = annasPost({ deleted: { at: "2026-11-22T10:00:00Z", by_moderator: true } });
    const sent = serve((route) => {
      if (route === "DELETE /api/v1/posts/p7") return new Response(null, { status: 204 });
      if (route === "GET /api/v1/posts/p7") return Response.json(removed);
      return Response.json(annasPost());
    });
    const { onChanged } = renderCard(annasPost());

    await openMenuItem("Delete");
    const dialog = await screen.findByRole("dialog", { name: "Delete post 7?" });
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Reason for the moderation log (optional)" }), "Spam");
    await userEvent.click(within(dialog).getByRole("button", { name: "Delete" }));
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalledWith(removed));
    expect(sent[0]).toMatchObject({ method: "DELETE", search: "?reason=Spam" });

    expect(await screen.findByText("This post was removed by a moderator.")).toBeInTheDocument();
    expect(screen.getByText("ring", { selector: "strong" })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Restore" }));
    await vi.waitFor(() => expect(onChanged).toHaveBeenLastCalledWith(annasPost()));
    expect(sent.at(-1)).toMatchObject({ method: "POST", path: "/api/v1/posts/p7/restore" });
  });

  it("edits one's own post in place and hands on the saved version", async () => {
    signInAs("u-anna");
    const edited = annasPost({ body: "Bells ring softly", html: "<p>Bells ring softly</p>", revision: 2, edited_at: "2026-11-22T10:00:00Z" });
    const sent = serve(() => Response.json(edited));
    const { onChanged } = renderCard(annasPost());

    await openMenuItem("Edit");
    const field = await screen.findByRole("textbox", { name: "Post text" });
    expect(field).toHaveValue("Bells **ring** when a reply comes");
    await userEvent.clear(field);
    await userEvent.type(field, "Bells ring softly");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    await vi.waitFor(() => expect(onChanged).toHaveBeenCalledWith(edited));
    expect(sent).toEqual([{ method: "PATCH", path: "/api/v1/posts/p7", search: "", body: { body: "Bells ring softly" } }]);
    expect(await screen.findByText("Bells ring softly")).toBeInTheDocument();
    expect(screen.queryByRole("textbox", { name: "Post text" })).toBeNull();
    expect(screen.getByRole("button", { name: "edited: show the edit history" })).toBeInTheDocument();
  });

  it("keeps the editor open with the server's complaint about the text", async () => {
    signInAs("u-anna");
    serve(() => problem(422, "validation_failed", { errors: { body: ["must be 1 to 20000 characters"] } }));
    const { onChanged } = renderCard(annasPost());
    await openMenuItem("Edit");
    await userEvent.click(await screen.findByRole("button", { name: "Save" }));
    const field = screen.getByRole("textbox", { name: "Post text" });
    await vi.waitFor(() => expect(field).toHaveAccessibleDescription(expect.stringContaining("must be 1 to 20000 characters")));
    expect(onChanged).not.toHaveBeenCalled();
  });

  it("shows the revisions, each later one as a word diff", async () => {
    serve(() =>
      Response.json({
        items: [
          { revision: 1, body: "the cat sat", created_at: "2026-11-21T10:00:00Z", editor: ANNA },
          { revision: 2, body: "the dog sat", created_at: "2026-11-21T11:00:00Z", editor: ANNA },
        ],
        next_cursor: null,
      }),
    );
    renderCard(annasPost({ revision: 2, edited_at: "2026-11-21T11:00:00Z" }));
    await userEvent.click(screen.getByRole("button", { name: "edited: show the edit history" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit history of post 7" });
    await within(dialog).findByRole("heading", { name: "Version 2 (current)" });
    expect(within(dialog).getByText("the cat sat")).toBeInTheDocument();
    expect(dialog.querySelector("del")).toHaveTextContent("[removed: cat]");
    expect(dialog.querySelector("ins")).toHaveTextContent("[added: dog]");
  });

  it("reports the post with the reader's reason", async () => {
    signInAs("u-bob");
    const sent = serve(() => new Response(null, { status: 204 }));
    renderCard(annasPost());
    await openMenuItem("Report");
    const dialog = await screen.findByRole("dialog", { name: "Report post 7" });
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Reason" }), "Advertising");
    await userEvent.click(within(dialog).getByRole("button", { name: "Send report" }));
    expect(await screen.findByText("Thank you: the moderators will look at the post.")).toBeInTheDocument();
    expect(sent).toEqual([{ method: "POST", path: "/api/v1/posts/p7/report", search: "", body: { reason: "Advertising" } }]);
  });

  it("explains that the post was reported already", async () => {
    signInAs("u-bob");
    serve(() => problem(409, "already_reported"));
    renderCard(annasPost());
    await openMenuItem("Report");
    const dialog = await screen.findByRole("dialog", { name: "Report post 7" });
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Reason" }), "Advertising");
    await userEvent.click(within(dialog).getByRole("button", { name: "Send report" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("You have reported this post already");
  });

  it("opens the post's pictures in a viewer and goes between them with the arrow keys", async () => {
    const picture = (id: string) => ({
      id,
      url: `/media/uploads/${id}.jpg`,
      width: 1600,
      height: 1200,
      thumbnail_url: `/media/uploads/${id}-thumb.jpg`,
      thumbnail_width: 400,
      thumbnail_height: 300,
    });
    renderCard(
      annasPost({
        html: '<p>Look: <img src="/media/uploads/one.jpg" alt="A harbour at dawn"></p>',
        images: [picture("one"), picture("two")],
      }),
    );
    await userEvent.click(screen.getByRole("button", { name: "Open the picture: A harbour at dawn" }));
    const dialog = await screen.findByRole("dialog", { name: "A harbour at dawn" });
    expect(within(dialog).getByRole("img", { name: "A harbour at dawn" })).toHaveAttribute("src", "/media/uploads/one.jpg");

    await userEvent.keyboard("{ArrowRight}");
    await vi.waitFor(() => expect(dialog.querySelector("img")).toHaveAttribute("src", "/media/uploads/two.jpg"));
    expect(dialog).toHaveAccessibleName("Picture 2 of 2");
    await userEvent.keyboard("{ArrowLeft}");
    await vi.waitFor(() => expect(dialog.querySelector("img")).toHaveAttribute("src", "/media/uploads/one.jpg"));
    // The thumbnail of the picture apart from the text opens the same viewer.
    expect(screen.getByRole("button", { name: "Open picture 1" })).toBeInTheDocument();
  });
});
