import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";

import type { Post } from "@/features/forum/api/forum-api";
import { ReplyForm } from "@/features/forum/components/reply-form";
import { authSession, type Me } from "@/lib/auth-session";

const TOPIC_ID = "0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f";
const DRAFT_KEY = `noxchat:draft:reply:${TOPIC_ID}`;

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

function signIn() {
  authSession.accept({ access_token: "token", expires_in: 900, user: { id: "u1", handle: "anna" } as Me } as Parameters<typeof authSession.accept>[0]);
}

function renderForm(locked = false) {
  const onSent = vi.fn();
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>
          <ReplyForm topic={{ id: TOPIC_ID, locked }} onSent={onSent} />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return onSent;
}

beforeEach(() => sessionStorage.clear());
afterEach(() => {
  vi.unstubAllGlobals();
  authSession.clear();
});

describe("ReplyForm", () => {
  it("sends the reply, hands the new post on and forgets the draft", async () => {
    signIn();
    const requests: { url: string; method: string; body: unknown; auth: string | null }[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        requests.push({ url: request.url, method: request.method, body: await request.json(), auth: request.headers.get("Authorization") });
        return Response.json(sent, { status: 201 });
      }),
    );
    const onSent = renderForm();
    await userEvent.type(screen.getByRole("textbox", { name: "Your reply" }), "See you there");
    await userEvent.click(screen.getByRole("button", { name: "Send reply" }));
    await vi.waitFor(() => expect(onSent).toHaveBeenCalledWith(sent));
    expect(requests).toEqual([
      { url: expect.stringContaining(`/api/v1/topics/${TOPIC_ID}/posts`), method: "POST", body: { body: "See you there" }, auth: "Bearer token" },
    ]);
    expect(screen.getByRole("textbox", { name: "Your reply" })).toHaveValue("");
    expect(sessionStorage.getItem(DRAFT_KEY)).toBeNull();
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
    const onSent = renderForm();
    await userEvent.type(screen.getByRole("textbox", { name: "Your reply" }), "x");
    await userEvent.click(screen.getByRole("button", { name: "Send reply" }));
    const field = screen.getByRole("textbox", { name: "Your reply" });
    await vi.waitFor(() => expect(field).toHaveAccessibleDescription(expect.stringContaining("must be 1 to 20000 characters")));
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(field).toHaveValue("x");
    expect(onSent).not.toHaveBeenCalled();
  });

  it("keeps the draft across a reload", async () => {
    signIn();
    renderForm();
    await userEvent.type(screen.getByRole("textbox", { name: "Your reply" }), "Half a thought");
    expect(sessionStorage.getItem(DRAFT_KEY)).toBe("Half a thought");
    // A reload: the form mounts afresh and finds the text.
    document.body.innerHTML = "";
    renderForm();
    expect(screen.getByRole("textbox", { name: "Your reply" })).toHaveValue("Half a thought");
  });

  it("offers a sign-in link to a visitor and nothing in a locked topic", () => {
    authSession.clear();
    renderForm();
    expect(screen.getByRole("link", { name: "Sign in to reply" })).toHaveAttribute("href", "/login");
    expect(screen.queryByRole("textbox")).toBeNull();
    document.body.innerHTML = "";
    signIn();
    renderForm(true);
    expect(screen.getByText(/This topic is locked/)).toBeInTheDocument();
    expect(screen.queryByRole("textbox")).toBeNull();
  });
});
