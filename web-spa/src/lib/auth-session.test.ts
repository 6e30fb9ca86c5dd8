import { AuthSession } from "@/lib/auth-session";

const user = {
  id: "u1",
  handle: "anna",
  display_name: "Анна",
  email: "anna@example.org",
  email_verified: false,
  locale: "ru" as const,
  created_at: "2026-01-01T00:00:00Z",
  bio: "",
  avatar: { large: "/a.svg", small: "/a.svg", is_default: true },
  message_privacy: "everyone" as const,
  online_status_visibility: "friends" as const,
  show_online_status: true,
};

function tokens(accessToken: string, expiresIn = 900) {
  return { access_token: accessToken, token_type: "Bearer", expires_in: expiresIn, refresh_token: "r", user };
}

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

describe("AuthSession", () => {
  it("shares one refresh among a burst of callers", async () => {
    let calls = 0;
    const session = new AuthSession(async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return jsonResponse(200, tokens(`token-${calls}`));
    });
    const results = await Promise.all(Array.from({ length: 8 }, () => session.token()));
    expect(calls).toBe(1);
    expect(new Set(results)).toEqual(new Set(["token-1"]));
    expect(session.getState()).toEqual({ status: "signed-in", user });
  });

  it("refreshes before a token that is about to expire is used", async () => {
    let now = 0;
    let calls = 0;
    const session = new AuthSession(
      async () => {
        calls += 1;
        return jsonResponse(200, tokens(`token-${calls}`));
      },
      () => now,
    );
    session.accept(tokens("first", 900));
    expect(await session.token()).toBe("first");
    now = 898_000;
    expect(await session.token()).toBe("token-1");
    expect(calls).toBe(1);
  });

  it("becomes anonymous when the refresh cookie is refused", async () => {
    const session = new AuthSession(async () => jsonResponse(401, { code: "invalid_refresh_token" }));
    expect(await session.refresh()).toBe(false);
    expect(session.getState()).toEqual({ status: "anonymous" });
    expect(await session.token()).toBeNull();
  });

  it("tells subscribers when the user changes", () => {
    const session = new AuthSession(async () => jsonResponse(500, {}));
    const seen: string[] = [];
    session.subscribe(() => seen.push(session.getState().status));
    session.accept(tokens("t"));
    session.clear();
    expect(seen).toEqual(["signed-in", "anonymous"]);
  });
});

describe("AuthSession when the server is unreachable", () => {
  it("does not sign out on a 5xx and tries again later", async () => {
    vi.useFakeTimers();
    let status = 502;
    const session = new AuthSession(async () =>
      status === 200 ? jsonResponse(200, tokens("back")) : jsonResponse(status, {}),
    );
    session.accept(tokens("first", 900));
    expect(await session.refresh()).toBe(false);
    expect(session.getState().status).toBe("signed-in");
    status = 200;
    await vi.advanceTimersByTimeAsync(16_000);
    expect(await session.token()).toBe("back");
    vi.useRealTimers();
  });
});
