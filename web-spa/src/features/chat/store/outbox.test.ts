import type { ChatMessage, NewMessage } from "@/features/chat/api/chat-api";
import { outboxStorageKey } from "@/features/chat/keys";
import {
  MAX_ATTEMPTS,
  MessageOutbox,
  SEND_TIMEOUT_MS,
  outboxLockName,
  type OutboxOptions,
  type TabChannel,
  type TabLocks,
  type TabMessage,
} from "@/features/chat/store/outbox";
import { ApiProblem, networkProblem } from "@/lib/problem";

/** A server the test answers by hand: each POST waits until the test settles it. */
function setUp(options: Partial<OutboxOptions> = {}) {
  const requests: {
    conversationId: string;
    message: NewMessage;
    signal: AbortSignal;
    resolve: (message: ChatMessage) => void;
    reject: (error: unknown) => void;
  }[] = [];
  const delivered: ChatMessage[] = [];
  const stored = new Map<string, string>();
  const network = { online: true, resume: () => {} };
  let ids = 0;
  const make = () =>
    new MessageOutbox({
      userId: "me",
      post: (conversationId, message, signal) =>
        new Promise((resolve, reject) => requests.push({ conversationId, message, signal, resolve, reject })),
      delivered: (message) => delivered.push(message),
      storage: { getItem: (key) => stored.get(key) ?? null, setItem: (key, value) => void stored.set(key, value), removeItem: (key) => void stored.delete(key) },
      isOnline: () => network.online,
      watchOnline: (resume) => {
        network.resume = resume;
        return () => undefined;
      },
      newId: () => `client-${++ids}`,
      now: () => new Date("2026-11-22T10:00:00Z"),
      locks: null,
      ...options,
    });
  const outbox = make();
  /** What the server was asked so far: "conversation/client_id". */
  const asked = () => requests.map((request) => `${request.conversationId}/${request.message.client_id}`);
  const answer = async (index: number, seq: number) => {
    const request = requests[index];
    if (!request) throw new Error(`no request ${index}`);
    request.resolve(serverMessage(request.conversationId, request.message.client_id, seq));
    await settle();
  };
  const fail = async (index: number, error: unknown = networkProblem()) => {
    requests[index]?.reject(error);
    await settle();
  };
  const states = (conversationId: string) => outbox.pending(conversationId).map((item) => `${item.body}:${item.state}`);
  return { outbox, make, requests, asked, answer, fail, delivered, stored, network, states };
}

function serverMessage(conversationId: string, clientId: string, seq: number): ChatMessage {
  return {
    id: `m${seq}`,
    conversation_id: conversationId,
    client_id: clientId,
    seq,
    body: "text",
    images: [],
    deleted: false,
    created_at: "2026-11-22T10:00:01Z",
  };
}

const settle = async () => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

const problem = (status: number, code = "invalid_text") =>
  new ApiProblem({ type: "about:blank", title: "Problem", status, detail: "No.", code: code as never });

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("the outbox", () => {
  it("shows a message as sending at once, sends it with its client_id, and hands the server's message over", async () => {
    const { outbox, asked, answer, delivered, states, requests } = setUp();
    const pending = outbox.send("c1", "Hello", []);
    expect(pending).toMatchObject({ clientId: "client-1", conversationId: "c1", body: "Hello", state: "sending", createdAt: "2026-11-22T10:00:00.000Z" });
    expect(states("c1")).toEqual(["Hello:sending"]);
    expect(asked()).toEqual(["c1/client-1"]);
    expect(requests[0]?.message).toEqual({ client_id: "client-1", body: "Hello", upload_ids: [] });
    await answer(0, 7);
    expect(delivered.map((message) => message.seq)).toEqual([7]);
    expect(states("c1")).toEqual([]);
  });

  it("sends the pictures' upload ids and keeps the pictures to show meanwhile", () => {
    const { outbox, requests } = setUp();
    const picture = { id: "u1", url: "/a.jpg", thumbnail_url: "/a-t.jpg", width: 10, height: 10, thumbnail_width: 10, thumbnail_height: 10 };
    const pending = outbox.send("c1", null, [picture]);
    expect(pending.pictures).toEqual([picture]);
    expect(requests[0]?.message).toEqual({ client_id: "client-1", body: null, upload_ids: ["u1"] });
  });

  it("sends one message of a conversation at a time, in order, while other conversations go their own way", async () => {
    const { outbox, asked, answer } = setUp();
    outbox.send("c1", "one", []);
    outbox.send("c1", "two", []);
    outbox.send("c2", "elsewhere", []);
    expect(asked()).toEqual(["c1/client-1", "c2/client-3"]);
    await answer(0, 1);
    expect(asked()).toEqual(["c1/client-1", "c2/client-3", "c1/client-2"]);
  });

  it("tries again after a network error with the same client_id, waiting 1 s, then 2 s, then 4 s", async () => {
    const { outbox, asked, fail, answer, states } = setUp();
    outbox.send("c1", "Hello", []);
    await fail(0);
    expect(states("c1")).toEqual(["Hello:sending"]);
    vi.advanceTimersByTime(999);
    expect(asked()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(asked()).toEqual(["c1/client-1", "c1/client-1"]);
    await fail(1, problem(503, "unavailable"));
    vi.advanceTimersByTime(1999);
    expect(asked()).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(asked()).toHaveLength(3);
    await fail(2, problem(500, "internal_error"));
    vi.advanceTimersByTime(4000);
    expect(asked()).toEqual(Array(4).fill("c1/client-1"));
    await answer(3, 1);
    expect(states("c1")).toEqual([]);
  });

  it("marks a message failed after the last try, with what went wrong, and the ones after it with it", async () => {
    const { outbox, asked, fail, states } = setUp();
    outbox.send("c1", "one", []);
    outbox.send("c1", "two", []);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      await fail(attempt);
      vi.advanceTimersByTime(60_000);
    }
    expect(asked()).toEqual(Array(MAX_ATTEMPTS).fill("c1/client-1"));
    expect(states("c1")).toEqual(["one:failed", "two:failed"]);
    expect(outbox.pending("c1")[0]?.error?.code).toBe("network_error");
  });

  it("sends a failed message again when asked, from a fresh count of tries, and the next in turn", async () => {
    const { outbox, asked, fail, answer, states } = setUp();
    outbox.send("c1", "one", []);
    outbox.send("c1", "two", []);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      await fail(attempt);
      vi.advanceTimersByTime(60_000);
    }
    outbox.retry("client-1");
    expect(states("c1")).toEqual(["one:sending", "two:failed"]);
    expect(asked().at(-1)).toBe("c1/client-1");
    expect(outbox.pending("c1")[0]?.attempts).toBe(1);
    await answer(MAX_ATTEMPTS, 1);
    expect(states("c1")).toEqual(["two:failed"]);
    outbox.retry("client-2");
    expect(asked().at(-1)).toBe("c1/client-2");
  });

  it("takes a 4xx as final: failed at once with the problem, and the next message goes", async () => {
    const { outbox, asked, fail, states } = setUp();
    outbox.send("c1", "too long", []);
    outbox.send("c1", "fine", []);
    await fail(0, problem(403, "cannot_message"));
    expect(states("c1")).toEqual(["too long:failed", "fine:sending"]);
    expect(outbox.pending("c1")[0]?.error?.code).toBe("cannot_message");
    expect(asked()).toEqual(["c1/client-1", "c1/client-2"]);
    vi.advanceTimersByTime(60_000);
    expect(asked()).toHaveLength(2);
  });

  it("tries a 408, 429 or 401 again, as they pass", async () => {
    const { outbox, asked, fail } = setUp();
    outbox.send("c1", "Hello", []);
    await fail(0, problem(429, "rate_limited"));
    await vi.advanceTimersByTimeAsync(1000);
    await fail(1, problem(401, "token_expired"));
    await vi.advanceTimersByTimeAsync(2000);
    await fail(2, problem(408, "upload_timed_out"));
    await vi.advanceTimersByTimeAsync(4000);
    expect(asked()).toHaveLength(4);
  });

  it("tries nothing while the browser is offline, counts nothing against the message, and sends in order once back", async () => {
    const { outbox, asked, network, answer, states } = setUp();
    network.online = false;
    outbox.send("c1", "one", []);
    outbox.send("c1", "two", []);
    vi.advanceTimersByTime(10 * 60_000);
    expect(asked()).toEqual([]);
    expect(states("c1")).toEqual(["one:sending", "two:sending"]);
    network.online = true;
    network.resume();
    expect(asked()).toEqual(["c1/client-1"]);
    await answer(0, 1);
    expect(asked()).toEqual(["c1/client-1", "c1/client-2"]);
  });

  it("does not count a try the network cut off, and goes at once when it is back instead of waiting out the backoff", async () => {
    const { outbox, asked, network, fail } = setUp();
    outbox.send("c1", "Hello", []);
    network.online = false;
    await fail(0);
    expect(outbox.pending("c1")[0]).toMatchObject({ state: "sending", attempts: 0 });
    vi.advanceTimersByTime(60_000);
    expect(asked()).toHaveLength(1);
    network.online = true;
    network.resume();
    expect(asked()).toHaveLength(2);
  });

  it("on reconnect, skips the backoff's wait and sends again what failed for want of a network, but not what the server refused", async () => {
    const { outbox, asked, fail, states, network } = setUp();
    outbox.send("c1", "refused", []);
    await fail(0, problem(400));
    outbox.send("c1", "lost", []);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      await fail(attempt);
      vi.advanceTimersByTime(60_000);
    }
    expect(states("c1")).toEqual(["refused:failed", "lost:failed"]);
    network.resume();
    expect(states("c1")).toEqual(["refused:failed", "lost:sending"]);
    expect(asked().at(-1)).toBe("c1/client-2");
  });

  it("forgets a discarded message, and one the live connection already brought", async () => {
    const { outbox, states, answer, delivered } = setUp();
    outbox.send("c1", "one", []);
    outbox.send("c1", "two", []);
    outbox.discard("client-2");
    expect(states("c1")).toEqual(["one:sending"]);
    outbox.confirm("client-1");
    expect(states("c1")).toEqual([]);
    // The answer still comes, and is still the truth.
    await answer(0, 1);
    expect(delivered).toHaveLength(1);
    expect(states("c1")).toEqual([]);
  });

  it("on a retry of a later message, sends first the conversation's earlier ones that failed for passing reasons, in order", async () => {
    const { outbox, asked, fail, answer, states } = setUp();
    outbox.send("c1", "refused", []);
    await fail(0, problem(400));
    outbox.send("c1", "one", []);
    outbox.send("c1", "two", []);
    outbox.send("c1", "three", []);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      await fail(attempt);
      vi.advanceTimersByTime(60_000);
    }
    expect(states("c1")).toEqual(["refused:failed", "one:failed", "two:failed", "three:failed"]);
    outbox.retry("client-3");
    expect(states("c1")).toEqual(["refused:failed", "one:sending", "two:sending", "three:failed"]);
    expect(asked().at(-1)).toBe("c1/client-2");
    await answer(MAX_ATTEMPTS + 1, 1);
    expect(asked().at(-1)).toBe("c1/client-3");
    await answer(MAX_ATTEMPTS + 2, 2);
    expect(states("c1")).toEqual(["refused:failed", "three:failed"]);
    expect(asked()).toHaveLength(MAX_ATTEMPTS + 3);
  });

  it("gives up a send with no answer after 15 s and tries it again, as after a network error", async () => {
    const { outbox, asked, requests, states, answer } = setUp();
    outbox.send("c1", "Hello", []);
    await vi.advanceTimersByTimeAsync(SEND_TIMEOUT_MS - 1);
    expect(requests[0]?.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests[0]?.signal.aborted).toBe(true);
    expect(states("c1")).toEqual(["Hello:sending"]);
    expect(asked()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked()).toEqual(["c1/client-1", "c1/client-1"]);
    await answer(1, 1);
    expect(states("c1")).toEqual([]);
  });

  it("on reconnect, gives up a request still on its way and sends it again at once, with the same client_id", async () => {
    const { outbox, asked, requests, network, answer, states, delivered } = setUp();
    outbox.send("c1", "Hello", []);
    outbox.send("c1", "next", []);
    network.resume();
    expect(requests[0]?.signal.aborted).toBe(true);
    expect(asked()).toEqual(["c1/client-1", "c1/client-1"]);
    expect(outbox.pending("c1")[0]?.attempts).toBe(1);
    // The given-up request's failure changes nothing.
    requests[0]?.reject(networkProblem());
    await settle();
    expect(asked()).toHaveLength(2);
    await answer(1, 1);
    expect(asked().at(-1)).toBe("c1/client-2");
    expect(delivered.map((message) => message.seq)).toEqual([1]);
    expect(states("c1")).toEqual(["next:sending"]);
  });

  it("hands nothing over once stopped (the cache may be another person's now), and keeps the message stored", async () => {
    const { outbox, requests, delivered, stored } = setUp();
    outbox.send("c1", "Hello", []);
    outbox.stop();
    requests[0]?.resolve(serverMessage("c1", "client-1", 1));
    await settle();
    expect(delivered).toEqual([]);
    expect(JSON.parse(stored.get(outboxStorageKey("me")) ?? "[]")).toMatchObject([{ clientId: "client-1" }]);
  });

  it("does not send on its own what was stored more than a day ago: failed, with what followed it, until the person retries", async () => {
    const { stored, make, asked, network, answer } = setUp();
    const waiting = (clientId: string, body: string, createdAt: string) => ({
      clientId,
      conversationId: "c1",
      body,
      uploadIds: [],
      pictures: [],
      createdAt,
      state: "sending",
      attempts: 0,
    });
    stored.set(
      outboxStorageKey("me"),
      JSON.stringify([waiting("old", "last week", "2026-11-15T10:00:00.000Z"), waiting("newer", "an hour ago", "2026-11-22T09:00:00.000Z")]),
    );
    const reloaded = make();
    const states = () => reloaded.pending("c1").map((item) => `${item.body}:${item.state}`);
    expect(states()).toEqual(["last week:failed", "an hour ago:failed"]);
    expect(asked()).toEqual([]);
    network.resume();
    expect(states()).toEqual(["last week:failed", "an hour ago:failed"]);
    expect(asked()).toEqual([]);
    reloaded.retry("newer");
    expect(asked()).toEqual(["c1/old"]);
    await answer(0, 1);
    expect(asked()).toEqual(["c1/old", "c1/newer"]);
  });

  it("keeps the queue per person across a reload, and goes on sending it with the same client_ids", async () => {
    const { outbox, stored, network, make, asked, requests } = setUp();
    network.online = false;
    outbox.send("c1", "typed offline", []);
    expect(JSON.parse(stored.get(outboxStorageKey("me")) ?? "[]")).toMatchObject([{ clientId: "client-1", body: "typed offline", state: "sending" }]);
    outbox.stop();
    network.online = true;
    const reloaded = make();
    expect(reloaded.pending("c1").map((item) => item.clientId)).toEqual(["client-1"]);
    expect(asked()).toEqual(["c1/client-1"]);
    requests[0]?.resolve(serverMessage("c1", "client-1", 3));
    await settle();
    expect(stored.has(outboxStorageKey("me"))).toBe(false);
  });

  it("restores a failed message's problem after a reload", async () => {
    const { outbox, fail, make } = setUp();
    outbox.send("c1", "Hello", []);
    await fail(0, problem(403, "cannot_message"));
    outbox.stop();
    const error = make().pending("c1")[0]?.error;
    expect(error).toBeInstanceOf(ApiProblem);
    expect(error?.code).toBe("cannot_message");
  });

  it("gives the same list until something changes, for useSyncExternalStore", () => {
    const { outbox } = setUp();
    const listener = vi.fn();
    outbox.subscribe(listener);
    const before = outbox.getSnapshot();
    expect(outbox.pending("c1")).toBe(outbox.pending("c1"));
    outbox.send("c1", "Hello", []);
    expect(listener).toHaveBeenCalled();
    expect(outbox.getSnapshot()).not.toBe(before);
  });
});

/**
 * One browser's tabs of the same person: one localStorage (a write is a
 * `storage` event in the other tabs), Web Locks (unless `locks` is false)
 * and BroadcastChannels, all answering later, as a browser does.
 */
function browser(options: { locks?: boolean } = {}) {
  const stored = new Map<string, string>();
  const watchers = new Set<{ tab: number; changed: () => void }>();
  const told = (tab: number) => watchers.forEach((watcher) => watcher.tab !== tab && queueMicrotask(() => watchers.has(watcher) && watcher.changed()));
  const storage = (tab: number) => ({
    getItem: (key: string) => stored.get(key) ?? null,
    setItem: (key: string, value: string) => {
      stored.set(key, value);
      told(tab);
    },
    removeItem: (key: string) => {
      stored.delete(key);
      told(tab);
    },
  });
  const waiting: { name: string; granted: () => Promise<void> | void; done: () => void }[] = [];
  const held = new Set<string>();
  const grant = () => {
    for (const turn of [...waiting]) {
      if (held.has(turn.name)) continue;
      waiting.splice(waiting.indexOf(turn), 1);
      held.add(turn.name);
      void Promise.resolve()
        .then(turn.granted)
        .finally(() => {
          held.delete(turn.name);
          turn.done();
          grant();
        });
    }
  };
  const locks: TabLocks = {
    request: (name, granted) =>
      new Promise<void>((done) => {
        waiting.push({ name, granted, done });
        queueMicrotask(grant);
      }),
  };
  const members = new Set<{ name: string; receive: (message: TabMessage) => void }>();
  const channel = (name: string, receive: (message: TabMessage) => void): TabChannel => {
    const member = { name, receive };
    members.add(member);
    return {
      post: (message) =>
        members.forEach((other) => {
          if (other !== member && other.name === name) queueMicrotask(() => members.has(other) && other.receive(structuredClone(message)));
        }),
      close: () => members.delete(member),
    };
  };
  const requests: { tab: number; conversationId: string; message: NewMessage; resolve: (message: ChatMessage) => void }[] = [];
  const delivered: string[] = [];
  let ids = 0;
  let tabs = 0;
  const open = () => {
    const tab = ++tabs;
    return new MessageOutbox({
      userId: "me",
      post: (conversationId, message) => new Promise((resolve) => requests.push({ tab, conversationId, message, resolve })),
      delivered: (message) => delivered.push(`${tab}:${message.seq}`),
      storage: storage(tab),
      isOnline: () => true,
      watchStorage: (changed) => {
        const watcher = { tab, changed };
        watchers.add(watcher);
        return () => watchers.delete(watcher);
      },
      locks: options.locks === false ? null : locks,
      channel: options.locks === false ? null : channel,
      newId: () => `client-${++ids}`,
      now: () => new Date("2026-11-22T10:00:00Z"),
    });
  };
  /** Which tab asked the server what: "tab:client_id". */
  const asked = () => requests.map((request) => `${request.tab}:${request.message.client_id}`);
  const storedIds = () =>
    (JSON.parse(stored.get(outboxStorageKey("me")) ?? "[]") as { clientId: string }[]).map((item) => item.clientId).sort();
  return { open, asked, requests, delivered, storedIds, storage, held };
}

/** Lets the tabs' messages, storage events and lock grants go round. */
const goRound = async () => {
  for (let i = 0; i < 30; i += 1) await Promise.resolve();
};

describe("a person's tabs", () => {
  it("share one queue: the tab holding its lock sends it; another shows it and hands its messages over", async () => {
    const tabs = browser();
    const first = tabs.open();
    await goRound();
    const second = tabs.open();
    await goRound();
    expect(tabs.held.has(outboxLockName("me"))).toBe(true);

    const sent = second.send("c1", "from the second tab", []);
    expect(second.pending("c1")).toEqual([sent]);
    await goRound();
    expect(tabs.asked()).toEqual(["1:client-1"]);
    expect(first.pending("c1").map((item) => item.clientId)).toEqual(["client-1"]);
    expect(second.pending("c1").map((item) => item.clientId)).toEqual(["client-1"]);

    first.send("c1", "from the first tab", []);
    await goRound();
    expect(second.pending("c1").map((item) => item.body)).toEqual(["from the second tab", "from the first tab"]);
    tabs.requests[0]?.resolve(serverMessage("c1", "client-1", 1));
    await goRound();
    // Shown in both tabs' histories; sent on from the first in order.
    expect(tabs.delivered).toEqual(["1:1", "2:1"]);
    expect(tabs.asked()).toEqual(["1:client-1", "1:client-2"]);
    expect(second.pending("c1").map((item) => item.clientId)).toEqual(["client-2"]);
    expect(tabs.storedIds()).toEqual(["client-2"]);

    // Dropping it from the second tab drops it where it is sent.
    second.discard("client-2");
    await goRound();
    expect(first.pending("c1")).toEqual([]);
    expect(tabs.storedIds()).toEqual([]);
  });

  it("take the queue over when the tab sending it closes, and send what it left, with the same client_ids", async () => {
    const tabs = browser();
    const first = tabs.open();
    await goRound();
    const second = tabs.open();
    await goRound();
    first.send("c1", "one", []);
    await goRound();
    expect(tabs.asked()).toEqual(["1:client-1"]);
    first.stop();
    await goRound();
    expect(tabs.asked()).toEqual(["1:client-1", "2:client-1"]);
    tabs.requests[1]?.resolve(serverMessage("c1", "client-1", 1));
    await goRound();
    expect(second.pending("c1")).toEqual([]);
    expect(tabs.storedIds()).toEqual([]);
  });

  it("without Web Locks, merge the stored queue before writing: neither loses the other's message nor brings back one sent", async () => {
    const tabs = browser({ locks: false });
    const first = tabs.open();
    const second = tabs.open();
    first.send("c1", "one", []);
    // Before the second tab hears of it.
    second.send("c2", "two", []);
    expect(tabs.storedIds()).toEqual(["client-1", "client-2"]);
    await goRound();
    expect(first.pending("c2").map((item) => item.clientId)).toEqual(["client-2"]);
    expect(second.pending("c1").map((item) => item.clientId)).toEqual(["client-1"]);

    tabs.requests.find((request) => request.tab === 1 && request.message.client_id === "client-1")?.resolve(serverMessage("c1", "client-1", 1));
    await goRound();
    expect(tabs.storedIds()).toEqual(["client-2"]);
    expect(second.pending("c1")).toEqual([]);
    second.send("c2", "three", []);
    expect(tabs.storedIds()).toEqual(["client-2", "client-3"]);
  });

  it("drop the queue when another tab forgot it (an explicit sign-out), even while sending it", async () => {
    const tabs = browser();
    const first = tabs.open();
    await goRound();
    first.send("c1", "one", []);
    first.send("c1", "two", []);
    tabs.storage(0).removeItem(outboxStorageKey("me"));
    await goRound();
    expect(first.pending("c1")).toEqual([]);
    first.send("c2", "after", []);
    expect(tabs.storedIds()).toEqual(["client-3"]);
  });
});
