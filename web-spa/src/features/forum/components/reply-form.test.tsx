import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createRef } from "react";
import { MemoryRouter } from "react-router";

import type { Post } from "@/features/forum/api/forum-api";
import { ReplyForm, type ReplyFormHandle } from "@/features/forum/components/reply-form";
import { authSession, type Me } from "@/lib/auth-session";

const TOPIC_ID = "0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f";
const DRAFT_KEY = `noxchat:draft:reply:u1:${TOPIC_ID}`;

// Typing into the form takes a while in jsdom, more on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const sent: Post = {
  id: "p2",
  topic_id: TOPIC_ID,
  number: 2,
  author: null,
  body: "See you there",
  html: "<p>See you there</p>",
  created_at: "2026-11-21T10:00:00Z",
  revision: 1,
  like_count: 0,
  images: [],
};

const quoted: Post = {
  ...sent,
  id: "p1",
  number: 1,
  author: { id: "u2", handle: "boris", display_name: "Boris", avatar: { small: "", large: "", is_default: true }, role: "user" },
  body: "Shall we meet at noon? Or later?",
};

function signIn(role: "user" | "moderator" = "user", id = "u1") {
  authSession.accept({ access_token: "token", expires_in: 900, user: { id, handle: id, role } as Me } as Parameters<typeof authSession.accept>[0]);
}

function renderForm(locked = false) {
  const onSent = vi.fn();
  const handle = createRef<ReplyFormHandle>();
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>
          <ReplyForm topic={{ id: TOPIC_ID, locked }} onSent={onSent} ref={handle} />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { onSent, handle };
}

/** Answers every request with `post`, and keeps what was asked. */
function serve(post: Post) {
  const requests: { url: string; method: string; body: unknown; auth: string | null }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      requests.push({ url: request.url, method: request.method, body: await request.json(), auth: request.headers.get("Authorization") });
      return Response.json(post, { status: 201 });
    }),
  );
  return requests;
}

const field = () => screen.getByRole("textbox", { name: "Your reply" });

beforeEach(() => localStorage.clear());
afterEach(() => {
  vi.unstubAllGlobals();
  // Unmounted first: signing out re-renders a form that is still shown.
  cleanup();
  authSession.clear();
});

describe("ReplyForm", () => {
  it("sends the reply, hands the new post on and forgets the draft", async () => {
    signIn();
    const requests = serve(sent);
    const { onSent } = renderForm();
    await userEvent.type(field(), "See you there");
    await userEvent.click(screen.getByRole("button", { name: "Send reply" }));
    await vi.waitFor(() => expect(onSent).toHaveBeenCalledWith(sent));
    expect(requests).toEqual([
      { url: expect.stringContaining(`/api/v1/topics/${TOPIC_ID}/posts`), method: "POST", body: { body: "See you there" }, auth: "Bearer token" },
    ]);
    expect(field()).toHaveValue("");
    expect(localStorage.getItem(DRAFT_KEY)).toBeNull();
  });

  it("quotes a post as a reply to it, and sends the quote with the pictures and the post answered", async () => {
    signIn();
    // Pictures uploaded before a reload are still part of the draft.
    localStorage.setItem(DRAFT_KEY, JSON.stringify({ body: "", replyTo: null, imageIds: ["pic-1"] }));
    const requests = serve(sent);
    const { handle, onSent } = renderForm();

    act(() => handle.current?.quote(quoted, " Shall we meet at noon? "));
    expect(field()).toHaveValue('[quote="boris, post:1"]\nShall we meet at noon?\n[/quote]\n\n');
    expect(field()).toHaveFocus();
    expect(screen.getByText("Replying to #1")).toBeInTheDocument();

    await userEvent.type(field(), "Noon is fine.");
    await userEvent.click(screen.getByRole("button", { name: "Send reply" }));
    await vi.waitFor(() => expect(onSent).toHaveBeenCalled());
    expect(requests[0]?.body).toEqual({
      body: '[quote="boris, post:1"]\nShall we meet at noon?\n[/quote]\n\nNoon is fine.',
      image_ids: ["pic-1"],
      reply_to: 1,
    });
    expect(screen.queryByText(/Replying to/)).toBeNull();
  });

  it("starts a reply to a post, which can be taken back", async () => {
    signIn();
    const requests = serve(sent);
    const { handle } = renderForm();
    act(() => handle.current?.replyTo(quoted));
    expect(field()).toHaveFocus();
    expect(screen.getByText("Replying to #1")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Stop replying to #1" }));
    expect(screen.queryByText(/Replying to/)).toBeNull();
    await userEvent.type(field(), "Just a comment");
    await userEvent.click(screen.getByRole("button", { name: "Send reply" }));
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]?.body).toEqual({ body: "Just a comment" });
  });

  it("shows the server's complaint about the body on the field", async () => {
    signIn();
    vi.stubGlobal(
      "fetch",
      vi.fn(async () =>
        Response.json(
          {
            type: "urn:noxchat:problem:validation_failed",
            title: "Unprocessable Entity",
            status: 422,
            detail: "Some fields are invalid.",
            code: "validation_failed",
            errors: { body: ["must be 1 to 20000 characters"] },
            error_codes: { body: ["body_length"] },
          },
          { status: 422, headers: { "content-type": "application/problem+json" } },
        ),
      ),
    );
    const { onSent } = renderForm();
    await userEvent.type(field(), "x");
    await userEvent.click(screen.getByRole("button", { name: "Send reply" }));
    await vi.waitFor(() => expect(field()).toHaveAccessibleDescription(expect.stringContaining("must be 1 to 20000 characters")));
    expect(field()).toHaveAttribute("aria-invalid", "true");
    expect(field()).toHaveValue("x");
    expect(onSent).not.toHaveBeenCalled();
  });

  it("keeps the draft, and the post it answers, across a reload", async () => {
    signIn();
    const { handle } = renderForm();
    act(() => handle.current?.replyTo(quoted));
    await userEvent.type(field(), "Half a thought");
    expect(JSON.parse(localStorage.getItem(DRAFT_KEY) ?? "null")).toEqual({ body: "Half a thought", replyTo: 1, imageIds: [] });
    // A reload: the form mounts afresh and finds the text.
    cleanup();
    renderForm();
    expect(field()).toHaveValue("Half a thought");
    expect(screen.getByText("Replying to #1")).toBeInTheDocument();
  });

  it("keeps what was written while the reply was on its way", async () => {
    signIn();
    let answer!: (response: Response) => void;
    const requests: unknown[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        requests.push(await request.json());
        return new Promise<Response>((resolve) => (answer = resolve));
      }),
    );
    const { handle, onSent } = renderForm();
    act(() => handle.current?.replyTo(quoted));
    await userEvent.type(field(), "See you there");
    await userEvent.click(screen.getByRole("button", { name: "Send reply" }));
    await vi.waitFor(() => expect(requests).toEqual([{ body: "See you there", reply_to: 1 }]));

    await userEvent.clear(field());
    await userEvent.type(field(), "And bring the maps");
    answer(Response.json(sent, { status: 201 }));
    await vi.waitFor(() => expect(onSent).toHaveBeenCalledWith(sent));
    // The newer text stays; the post it answered went with the reply.
    expect(field()).toHaveValue("And bring the maps");
    expect(screen.queryByText(/Replying to/)).toBeNull();
    expect(JSON.parse(localStorage.getItem(DRAFT_KEY) ?? "null")).toEqual({ body: "And bring the maps", replyTo: null, imageIds: [] });
  });

  it("keeps each person's drafts to them on a shared browser", async () => {
    signIn();
    renderForm();
    await userEvent.type(field(), "Only mine");
    cleanup();
    authSession.clear();
    signIn("user", "u2");
    renderForm();
    expect(field()).toHaveValue("");
    cleanup();
    authSession.clear();
    signIn();
    renderForm();
    expect(field()).toHaveValue("Only mine");
  });

  it("offers a sign-in link to a visitor and nothing in a locked topic", () => {
    authSession.clear();
    renderForm();
    expect(screen.getByRole("link", { name: "Sign in to reply" })).toHaveAttribute("href", "/login");
    expect(screen.queryByRole("textbox")).toBeNull();
    cleanup();
    signIn();
    renderForm(true);
    expect(screen.getByText(/This topic is locked/)).toBeInTheDocument();
    expect(screen.queryByRole("textbox")).toBeNull();
  });

  it("lets a moderator reply in a locked topic, saying so", () => {
    signIn("moderator");
    renderForm(true);
    expect(screen.getByText("This topic is locked. As a moderator, you can still reply.")).toBeInTheDocument();
    expect(field()).toBeInTheDocument();
  });
});
