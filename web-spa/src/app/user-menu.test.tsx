import { MantineProvider } from "@mantine/core";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";

import UserMenu from "@/app/user-menu";
import { notify } from "@/components/ui/notify";
import { outboxStorageKey } from "@/features/chat/keys";
import { authSession, type Me } from "@/lib/auth-session";

vi.mock("@/components/ui/notify", () => ({ notify: vi.fn() }));

const user = { id: "id-me", handle: "me", display_name: "Me", role: "user", avatar: { small: "", large: "", is_default: true } } as Me;

function signOut(logout: () => Response) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => logout()),
  );
  render(
    <MantineProvider env="test">
      <MemoryRouter>
        <UserMenu user={user} />
      </MemoryRouter>
    </MantineProvider>,
  );
  return (async () => {
    await userEvent.click(screen.getByRole("button", { name: "Account menu" }));
    await userEvent.click(await screen.findByRole("menuitem", { name: "Sign out" }));
  })();
}

/** Two messages typed and not sent yet. */
const waiting = () => [0, 1].map((i) => ({ clientId: `c-${i}`, conversationId: "c1", body: `unsent ${i}`, uploadIds: [], pictures: [], createdAt: "2026-11-22T10:00:00Z", state: "sending", attempts: 0 }));

beforeEach(() => {
  localStorage.clear();
  authSession.accept({ access_token: "token", expires_in: 900, user } as Parameters<typeof authSession.accept>[0]);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.mocked(notify).mockClear();
  authSession.clear();
});

describe("signing out", () => {
  it("forgets the messages still waiting to go, and says how many were not sent", async () => {
    localStorage.setItem(outboxStorageKey(user.id), JSON.stringify(waiting()));
    await signOut(() => new Response(null, { status: 204 }));
    await vi.waitFor(() => expect(authSession.getState().status).toBe("anonymous"));
    expect(localStorage.getItem(outboxStorageKey(user.id))).toBeNull();
    expect(notify).toHaveBeenCalledWith("You are signed out.");
    expect(notify).toHaveBeenCalledWith("2 messages were not sent.", { error: true });
  });

  it("keeps them when the server could not sign out (still signed in)", async () => {
    localStorage.setItem(outboxStorageKey(user.id), JSON.stringify(waiting()));
    await signOut(() => Response.json({ type: "about:blank", title: "x", status: 503, detail: "x", code: "internal_error" }, { status: 503 }));
    await vi.waitFor(() => expect(notify).toHaveBeenCalled());
    expect(authSession.getState().status).toBe("signed-in");
    expect(JSON.parse(localStorage.getItem(outboxStorageKey(user.id)) ?? "[]")).toHaveLength(2);
  });

  it("says nothing of messages when none waited", async () => {
    await signOut(() => new Response(null, { status: 204 }));
    await vi.waitFor(() => expect(notify).toHaveBeenCalledWith("You are signed out."));
    expect(notify).toHaveBeenCalledTimes(1);
  });
});
