import { LiveRegistry, Realtime, backoff, type SocketLike } from "@/lib/realtime";

class FakeSocket implements SocketLike {
  sent: unknown[] = [];
  closedWith: number | null = null;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number) {
    this.closedWith = code ?? 1000;
  }
  open() {
    this.onopen?.({});
  }
  receive(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code: number) {
    this.onclose?.({ code });
  }
}

function ready(position: number) {
  return {
    type: "ready",
    user: { id: "me" },
    session_id: "s1",
    position,
    counts: { incoming_friend_requests: 2 },
    online: [],
    heartbeat: { interval_ms: 20000, timeout_ms: 60000 },
  };
}

function event(seq: number, type = "friendship_ended") {
  return { type: "event", seq, at: "2026-11-22T00:00:00Z", event: { type, user_ids: ["a", "b"] } };
}

function setUp(options: { refresh?: () => Promise<boolean>; signedIn?: () => boolean; token?: () => Promise<string | null> } = {}) {
  const sockets: FakeSocket[] = [];
  const timers: { run: () => void; ms: number }[] = [];
  const registry = new LiveRegistry();
  const seen: string[] = [];
  const signOut = vi.fn();
  registry.on("friendship_ended", () => seen.push("friendship_ended"));
  registry.onResync(() => seen.push("resync"));
  const realtime = new Realtime({
    registry,
    url: () => "ws://test/api/v1/realtime",
    token: options.token ?? (async () => "token-1"),
    refresh: options.refresh ?? (async () => true),
    signedIn: options.signedIn ?? (() => true),
    signOut,
    openSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    random: () => 0.5,
    setTimer: (run, ms) => timers.push({ run, ms }),
    clearTimer: () => {},
  });
  return { realtime, sockets, timers, seen, signOut };
}

function at<T>(items: T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`nothing at ${index}`);
  return item;
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("Realtime", () => {
  it("authenticates first, then resumes from the position it was given", async () => {
    const { realtime, sockets, seen } = setUp();
    realtime.start();
    await flush();
    at(sockets, 0).open();
    expect(at(sockets, 0).sent).toEqual([{ type: "authenticate", token: "token-1" }]);
    at(sockets, 0).receive(ready(7));
    expect(at(sockets, 0).sent[1]).toEqual({ type: "resume", after: 7 });
    expect(realtime.getState()).toBe("online");
    expect(seen).toEqual(["resync"]);
  });

  it("after a drop, reconnects with backoff and resumes after the last event, skipping repeats", async () => {
    const { realtime, sockets, timers, seen } = setUp();
    realtime.start();
    await flush();
    at(sockets, 0).open();
    at(sockets, 0).receive(ready(3));
    at(sockets, 0).receive(event(4));
    at(sockets, 0).drop(1012);
    expect(realtime.getState()).toBe("reconnecting");
    expect(timers).toHaveLength(1);
    at(timers, 0).run();
    await flush();
    at(sockets, 1).open();
    at(sockets, 1).receive(ready(5));
    expect(at(sockets, 1).sent[1]).toEqual({ type: "resume", after: 4 });
    at(sockets, 1).receive(event(4));
    at(sockets, 1).receive(event(5));
    expect(seen).toEqual(["resync", "friendship_ended", "friendship_ended"]);
  });

  it("reloads when the server asks for a resync, and goes on from its position", async () => {
    const { realtime, sockets, seen } = setUp();
    realtime.start();
    await flush();
    at(sockets, 0).open();
    at(sockets, 0).receive(ready(3));
    at(sockets, 0).receive({ type: "resync_required", position: 9 });
    at(sockets, 0).receive(event(9));
    at(sockets, 0).receive(event(10));
    expect(seen).toEqual(["resync", "resync", "friendship_ended"]);
  });

  it("going offline drops the socket and waits; back online it reconnects at once and resumes", async () => {
    const { realtime, sockets, timers, seen } = setUp();
    realtime.start();
    await flush();
    at(sockets, 0).open();
    at(sockets, 0).receive(ready(3));
    at(sockets, 0).receive(event(4));
    realtime.wentOffline();
    expect(realtime.getState()).toBe("offline");
    expect(at(sockets, 0).closedWith).toBe(1000);
    // What the dropped socket says afterwards changes nothing, and no retry is timed.
    at(sockets, 0).drop(1006);
    at(sockets, 0).receive(event(5));
    expect(timers).toHaveLength(0);
    expect(sockets).toHaveLength(1);
    realtime.retryNow();
    await flush();
    at(sockets, 1).open();
    at(sockets, 1).receive(ready(6));
    expect(at(sockets, 1).sent[1]).toEqual({ type: "resume", after: 4 });
    expect(realtime.getState()).toBe("online");
    expect(seen).toEqual(["resync", "friendship_ended"]);
  });

  it("signs the tab out when its session ends, and does not reconnect", async () => {
    const { realtime, sockets, timers, signOut } = setUp();
    realtime.start();
    await flush();
    at(sockets, 0).open();
    at(sockets, 0).receive(ready(0));
    at(sockets, 0).receive({ type: "event", seq: 1, at: "2026-11-22T00:00:00Z", event: { type: "session_ended", session_id: "s1" } });
    expect(signOut).toHaveBeenCalledTimes(1);
    at(sockets, 0).drop(4004);
    expect(timers).toHaveLength(0);
  });

  it("refreshes an expired token and reconnects at once", async () => {
    const refresh = vi.fn(async () => true);
    const { realtime, sockets, timers } = setUp({ refresh });
    realtime.start();
    await flush();
    at(sockets, 0).drop(4002);
    await flush();
    await flush();
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(sockets).toHaveLength(2);
    expect(timers).toHaveLength(0);
  });

  it("stops when signed out and ignores the old socket's close", async () => {
    const { realtime, sockets, timers } = setUp();
    realtime.start();
    await flush();
    realtime.stop();
    expect(at(sockets, 0).closedWith).toBe(1000);
    at(sockets, 0).drop(1000);
    expect(timers).toHaveLength(0);
    expect(realtime.getState()).toBe("idle");
  });
});

describe("Realtime and the topic shown", () => {
  it("tells the server which topic the tab shows, after ready and again after each reconnect", async () => {
    const { realtime, sockets, timers } = setUp();
    realtime.viewTopic("t1");
    realtime.start();
    await flush();
    at(sockets, 0).open();
    // Nothing but authentication before the server is ready.
    expect(at(sockets, 0).sent).toEqual([{ type: "authenticate", token: "token-1" }]);
    at(sockets, 0).receive(ready(3));
    expect(at(sockets, 0).sent.slice(1)).toEqual([
      { type: "resume", after: 3 },
      { type: "view_topic", topic_id: "t1" },
    ]);
    realtime.viewTopic("t2");
    realtime.viewTopic("t2");
    expect(at(sockets, 0).sent.slice(3)).toEqual([{ type: "view_topic", topic_id: "t2" }]);

    at(sockets, 0).drop(1012);
    realtime.viewTopic("t3"); // while away: said once the next connection is ready
    at(timers, 0).run();
    await flush();
    at(sockets, 1).open();
    at(sockets, 1).receive(ready(3));
    expect(at(sockets, 1).sent.slice(1)).toEqual([
      { type: "resume", after: 3 },
      { type: "view_topic", topic_id: "t3" },
    ]);
  });

  it("says when the tab shows no topic any more, and says nothing of it to a new connection", async () => {
    const { realtime, sockets, timers } = setUp();
    realtime.start();
    await flush();
    at(sockets, 0).open();
    at(sockets, 0).receive(ready(3));
    realtime.viewTopic("t1");
    realtime.viewTopic(null);
    expect(at(sockets, 0).sent.slice(2)).toEqual([
      { type: "view_topic", topic_id: "t1" },
      { type: "view_topic", topic_id: null },
    ]);
    at(sockets, 0).drop(1012);
    at(timers, 0).run();
    await flush();
    at(sockets, 1).open();
    at(sockets, 1).receive(ready(3));
    expect(at(sockets, 1).sent).toHaveLength(2);
  });

  it("hands posts added to the shown topic to the registry", async () => {
    const registry = new LiveRegistry();
    const added = vi.fn();
    registry.onTopicPostAdded(added);
    const sockets: FakeSocket[] = [];
    const realtime = new Realtime({
      registry,
      url: () => "ws://test",
      token: async () => "token",
      refresh: async () => true,
      signedIn: () => true,
      signOut: () => {},
      openSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
    });
    realtime.start();
    await flush();
    at(sockets, 0).open();
    at(sockets, 0).receive(ready(3));
    const frame = { type: "topic_post_added", topic_id: "t1", number: 8, author_id: "u2" };
    at(sockets, 0).receive(frame);
    expect(added).toHaveBeenCalledWith(frame);
    realtime.stop();
  });

  it("hands changes to the shown topic to the registry, and to nothing else", async () => {
    const registry = new LiveRegistry();
    const changed = vi.fn();
    const added = vi.fn();
    const resynced = vi.fn();
    registry.onTopicChanged(changed);
    registry.onTopicPostAdded(added);
    const sockets: FakeSocket[] = [];
    const realtime = new Realtime({
      registry,
      url: () => "ws://test",
      token: async () => "token",
      refresh: async () => true,
      signedIn: () => true,
      signOut: () => {},
      openSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
    });
    realtime.viewTopic("t1");
    realtime.start();
    await flush();
    at(sockets, 0).open();
    at(sockets, 0).receive(ready(3));
    registry.onResync(resynced);
    const frame = { type: "topic_changed", topic_id: "t1" };
    at(sockets, 0).receive(frame);
    expect(changed).toHaveBeenCalledTimes(1);
    expect(changed).toHaveBeenCalledWith(frame);
    expect(added).not.toHaveBeenCalled();
    expect(resynced).not.toHaveBeenCalled();
    // Nothing goes back to the server: the topic is read again over HTTP, by whoever listens.
    expect(at(sockets, 0).sent).toEqual([
      { type: "authenticate", token: "token" },
      { type: "resume", after: 3 },
      { type: "view_topic", topic_id: "t1" },
    ]);
    realtime.stop();
  });
});

describe("Realtime and the messenger", () => {
  it("says this person is typing only while connected, and drops it otherwise", async () => {
    const { realtime, sockets, timers } = setUp();
    realtime.sendTyping("c1"); // not even started
    realtime.start();
    await flush();
    at(sockets, 0).open();
    realtime.sendTyping("c1"); // authenticating: the server takes nothing else yet
    at(sockets, 0).receive(ready(3));
    realtime.sendTyping("c1");
    expect(at(sockets, 0).sent).toEqual([
      { type: "authenticate", token: "token-1" },
      { type: "resume", after: 3 },
      { type: "typing", conversation_id: "c1" },
    ]);
    at(sockets, 0).drop(1012);
    realtime.sendTyping("c1"); // while away: not kept for later
    at(timers, 0).run();
    await flush();
    at(sockets, 1).open();
    at(sockets, 1).receive(ready(3));
    expect(at(sockets, 1).sent).toEqual([
      { type: "authenticate", token: "token-1" },
      { type: "resume", after: 3 },
    ]);
    realtime.stop();
  });

  it("hands others typing to the registry, without counting them as events", async () => {
    const registry = new LiveRegistry();
    const typing = vi.fn();
    const resynced = vi.fn();
    registry.onUserTyping(typing);
    const sockets: FakeSocket[] = [];
    const realtime = new Realtime({
      registry,
      url: () => "ws://test",
      token: async () => "token",
      refresh: async () => true,
      signedIn: () => true,
      signOut: () => {},
      openSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
    });
    realtime.start();
    await flush();
    at(sockets, 0).open();
    at(sockets, 0).receive(ready(3));
    registry.onResync(resynced);
    const frame = { type: "user_typing", conversation_id: "c1", user_id: "u2", expires_in_ms: 5000 };
    at(sockets, 0).receive(frame);
    expect(typing).toHaveBeenCalledWith(frame);
    // The next event after the position still counts: typing moved nothing.
    const seen = vi.fn();
    registry.on("friendship_ended", seen);
    at(sockets, 0).receive(event(4));
    expect(seen).toHaveBeenCalledTimes(1);
    expect(resynced).not.toHaveBeenCalled();
    realtime.stop();
  });
});

describe("Realtime under trouble", () => {
  it("keeps one socket when the network comes back while a token is on its way", async () => {
    const waiting: ((token: string) => void)[] = [];
    const slowToken = () => new Promise<string>((resolve) => waiting.push(resolve));
    const releaseAll = () => waiting.splice(0).forEach((resolve) => resolve("token"));
    const { realtime, sockets, timers } = setUp({ token: slowToken });
    realtime.start();
    releaseAll();
    await flush();
    at(sockets, 0).drop(1006);
    // The backoff's attempt and the browser's "online" both connect…
    at(timers, 0).run();
    realtime.retryNow();
    expect(waiting).toHaveLength(2);
    releaseAll();
    await flush();
    // …and only the latest opens a socket.
    expect(sockets).toHaveLength(2);
    expect(at(sockets, 0).closedWith).toBeNull();
  });

  it("does not sign out when a refresh fails for want of a network, and tries again later", async () => {
    const { realtime, sockets, timers, signOut } = setUp({ refresh: async () => false, signedIn: () => true });
    realtime.start();
    await flush();
    at(sockets, 0).drop(4002);
    await flush();
    expect(signOut).not.toHaveBeenCalled();
    expect(timers).toHaveLength(1);
  });

  it("signs out when the refresh says the session is gone", async () => {
    const { realtime, sockets, signOut } = setUp({ refresh: async () => false, signedIn: () => false });
    realtime.start();
    await flush();
    at(sockets, 0).drop(4001);
    await flush();
    expect(signOut).toHaveBeenCalledTimes(1);
  });

  it("forgets the last account's position when another account's ready arrives", async () => {
    const { realtime, sockets, timers } = setUp();
    realtime.start();
    await flush();
    at(sockets, 0).open();
    at(sockets, 0).receive(ready(3));
    at(sockets, 0).receive(event(4));
    at(sockets, 0).drop(1012);
    at(timers, 0).run();
    await flush();
    at(sockets, 1).open();
    at(sockets, 1).receive({ ...ready(1), user: { id: "someone-else" } });
    expect(at(sockets, 1).sent[1]).toEqual({ type: "resume", after: 1 });
  });
});

describe("backoff", () => {
  it("doubles from half a second to at most thirty, with jitter in the upper half", () => {
    expect(backoff(0, 0)).toBe(250);
    expect(backoff(0, 1)).toBe(500);
    expect(backoff(3, 0.5)).toBe(3000);
    expect(backoff(20, 1)).toBe(30_000);
    expect(backoff(20, 0)).toBe(15_000);
  });
});
