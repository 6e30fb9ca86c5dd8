// The sending queue. A message is shown at once as pending and goes out in
// the background: per conversation one at a time and in order, each with the
// client_id it got when typed, so a retry (after a lost answer, a reload, a
// network cut, a request that hung and was given up after 15 s) answers the
// message already made instead of making a second. Network trouble and 5xx
// are tried again with backoff; while the browser is offline nothing is
// tried and nothing counts against the message; a 4xx is final.
//
// The queue is kept in localStorage per person, so what was typed offline
// survives a reload; what waited there more than a day is not sent on its
// own but shown as failed, for the person to send or drop. One tab sends a
// person's queue (it holds a Web Lock while it lives, and the next tab takes
// over when it closes): the others show what is stored and hand their
// messages, retries and discards to it. Without Web Locks every tab sends,
// and each re-reads and merges the stored queue before writing it.
import type { QueryClient } from "@tanstack/react-query";

import { sendMessage, type ChatMessage, type NewMessage, type Picture } from "@/features/chat/api/chat-api";
import { messageArrived } from "@/features/chat/cache";
import { outboxStorageKey } from "@/features/chat/keys";
import { onOwnMessage, onReconnect } from "@/features/chat/live";
import { authSession } from "@/lib/auth-session";
import { queryClient } from "@/lib/query-client";
import { ApiProblem, networkProblem, type Problem } from "@/lib/problem";

export type PendingState = "sending" | "failed";

export interface PendingMessage {
  /** crypto.randomUUID(), kept across retries: the server answers the same message. */
  clientId: string;
  conversationId: string;
  body: string | null;
  uploadIds: string[];
  /** For showing them while pending. */
  pictures: Picture[];
  /** ISO. */
  createdAt: string;
  /** ISO: when the person last asked for it to go again; the day after which it is no longer sent on its own counts from this (or createdAt). */
  retriedAt?: string;
  state: PendingState;
  attempts: number;
  /** Why it failed ("failed" only): show it with problemMessage. */
  error?: ApiProblem;
}

export interface Outbox {
  send(conversationId: string, body: string | null, pictures: Picture[]): PendingMessage;
  /** A failed one goes again, with the conversation's earlier ones that failed for passing reasons (in order). */
  retry(clientId: string): void;
  discard(clientId: string): void;
  /** In order. The same array until something changes. */
  pending(conversationId: string): PendingMessage[];
  /** For useSyncExternalStore. */
  subscribe(listener: () => void): () => void;
  /** Changes identity when anything changes. */
  getSnapshot(): unknown;
}

/** What the tabs of one person tell each other about the queue. */
export type TabMessage =
  | { type: "send"; message: StoredMessage }
  | { type: "retry"; clientId: string }
  | { type: "discard"; clientId: string }
  | { type: "taken"; clientId: string }
  | { type: "delivered"; message: ChatMessage }
  | { type: "owner" };

export interface TabChannel {
  post(message: TabMessage): void;
  close(): void;
}

/** The part of the Web Locks API used: the lock is held until the callback's promise settles. */
export interface TabLocks {
  request(name: string, callback: () => Promise<void> | void): Promise<unknown>;
}

export interface OutboxOptions {
  /** Whose queue: the storage key. */
  userId: string;
  /** Sends one message; `signal` aborts it (the outbox gives up after SEND_TIMEOUT_MS, or on `resume`). */
  post: (conversationId: string, message: NewMessage, signal: AbortSignal) => Promise<ChatMessage>;
  /** The server has the message: put it where it is shown. */
  delivered: (message: ChatMessage) => void;
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null;
  /** False while the browser says it is offline. */
  isOnline?: () => boolean;
  /** Calls `resume` whenever the network or the live connection comes back; returns how to stop. */
  watchOnline?: (resume: () => void) => () => void;
  /** Calls back when another tab changed the stored queue (the `storage` event); returns how to stop. */
  watchStorage?: (changed: () => void) => () => void;
  /** Web Locks: one tab sends the person's queue. Null: every tab sends. */
  locks?: TabLocks | null;
  /** A BroadcastChannel between the person's tabs (named per person). Null: every tab sends. */
  channel?: ((name: string, receive: (message: TabMessage) => void) => TabChannel) | null;
  newId?: () => string;
  now?: () => Date;
}

/** Tries per message before it is marked failed. */
export const MAX_ATTEMPTS = 5;
const FIRST_RETRY_MS = 1000;
/** A send with no answer after this long is given up (and tried again, as a network failure). */
export const SEND_TIMEOUT_MS = 15_000;
/** A message waiting longer than this is not sent on its own any more: the person decides. */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** The wait after failed try `attempt` (1-based): 1 s, 2 s, 4 s, 8 s… */
export function retryDelay(attempt: number): number {
  return FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1);
}

/** Whether asking again may help: no answer, the server's trouble, or a limit that passes. */
export function isTemporary(error: unknown): boolean {
  if (!(error instanceof ApiProblem)) return true;
  const status = error.status;
  return status === 0 || status >= 500 || status === 401 || status === 408 || status === 429;
}

/** The Web Lock (and BroadcastChannel) of a person's queue. */
export function outboxLockName(userId: string): string {
  return `noxchat-outbox-${userId}`;
}

export type StoredMessage = Omit<PendingMessage, "error"> & { error?: Problem };

const toStored = ({ error, ...item }: PendingMessage): StoredMessage => ({ ...item, ...(error ? { error: error.problem } : {}) });
const fromStored = ({ error, ...item }: StoredMessage): PendingMessage => ({ ...item, ...(error ? { error: new ApiProblem(error) } : {}) });
const serialized = (item: PendingMessage) => JSON.stringify(toStored(item));
const byCreation = (a: PendingMessage, b: PendingMessage) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0);

function browserLocks(): TabLocks | null {
  const locks = globalThis.navigator?.locks;
  return locks ? { request: (name, callback) => locks.request(name, () => callback()) } : null;
}

function browserChannel(): Required<OutboxOptions>["channel"] {
  if (typeof BroadcastChannel !== "function") return null;
  return (name, receive) => {
    const channel = new BroadcastChannel(name);
    channel.onmessage = (event: MessageEvent<TabMessage>) => receive(event.data);
    return { post: (message) => channel.postMessage(message), close: () => channel.close() };
  };
}

interface Flight {
  clientId: string;
  controller: AbortController;
}

export class MessageOutbox implements Outbox {
  private items: PendingMessage[] = [];
  /** The stored queue as last read or written, by client_id: what another tab changed since is told apart from what changed here. */
  private base = new Map<string, string>();
  /** A follower's messages handed to the sending tab and not yet taken by it. */
  private readonly forwarded = new Map<string, PendingMessage>();
  /** Per conversation, the request on its way. */
  private readonly inFlight = new Map<string, Flight>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly listeners = new Set<() => void>();
  private readonly byConversation = new Map<string, PendingMessage[]>();
  private readonly cleanups: (() => void)[] = [];
  private readonly channel: TabChannel | null = null;
  /** The tab sending this queue, or one that shows it and hands its messages over. */
  private role: "owner" | "follower" = "owner";
  private stopped = false;
  private releaseLock: () => void = () => undefined;
  private readonly options: Required<OutboxOptions>;
  readonly userId: string;

  constructor(options: OutboxOptions) {
    const key = outboxStorageKey(options.userId);
    this.options = {
      storage: globalThis.localStorage ?? null,
      isOnline: () => globalThis.navigator?.onLine !== false,
      watchOnline: () => () => undefined,
      watchStorage: (changed) => {
        const listener = (event: StorageEvent) => {
          if (event.key === null || event.key === key) changed();
        };
        globalThis.addEventListener?.("storage", listener);
        return () => globalThis.removeEventListener?.("storage", listener);
      },
      locks: browserLocks(),
      channel: browserChannel(),
      newId: () => crypto.randomUUID(),
      now: () => new Date(),
      ...options,
    };
    this.userId = options.userId;
    this.items = this.readStored() ?? [];
    this.cleanups.push(this.options.watchStorage(() => this.storageChanged()));
    const { locks, channel } = this.options;
    if (locks && channel) {
      // Until this tab holds the queue's lock, another sends it.
      this.role = "follower";
      this.channel = channel(outboxLockName(this.userId), (message) => this.received(message));
      const held = new Promise<void>((resolve) => (this.releaseLock = resolve));
      locks
        .request(outboxLockName(this.userId), () => {
          if (this.stopped) return;
          this.takeOver();
          return held; // for as long as this queue lives (the browser lets go when the tab closes)
        })
        .catch(() => undefined);
    }
    this.cleanups.push(this.options.watchOnline(() => this.resume()));
    if (this.role === "owner") this.start();
  }

  send(conversationId: string, body: string | null, pictures: Picture[]): PendingMessage {
    const message: PendingMessage = {
      clientId: this.options.newId(),
      conversationId,
      body,
      uploadIds: pictures.map((picture) => picture.id),
      pictures,
      createdAt: this.options.now().toISOString(),
      state: "sending",
      attempts: 0,
    };
    this.change([...this.items, message]);
    if (this.role === "follower") {
      this.forwarded.set(message.clientId, message);
      this.channel?.post({ type: "send", message: toStored(message) });
    } else {
      this.pump(conversationId);
    }
    return message;
  }

  retry(clientId: string): void {
    const message = this.find(clientId);
    if (!message || message.state !== "failed") return;
    // The conversation's earlier messages that failed for passing reasons go first, in order: none is overtaken.
    const last = this.items.indexOf(message);
    const retriedAt = this.options.now().toISOString();
    this.change(
      this.items.map((item, i) =>
        item === message || (i < last && item.conversationId === message.conversationId && item.state === "failed" && isTemporary(item.error))
          ? { ...item, state: "sending" as const, attempts: 0, error: undefined, retriedAt }
          : item,
      ),
    );
    if (this.role === "follower") this.channel?.post({ type: "retry", clientId });
    else this.pump(message.conversationId);
  }

  discard(clientId: string): void {
    const message = this.find(clientId);
    if (!message) return;
    this.forwarded.delete(clientId);
    this.change(this.items.filter((item) => item.clientId !== clientId));
    if (this.role === "follower") this.channel?.post({ type: "discard", clientId });
    else this.pump(message.conversationId);
  }

  /** The server has it (the live connection brought it): nothing more to send. */
  confirm(clientId: string): void {
    this.forwarded.delete(clientId);
    if (this.find(clientId)) this.change(this.items.filter((item) => item.clientId !== clientId));
  }

  pending(conversationId: string): PendingMessage[] {
    let list = this.byConversation.get(conversationId);
    if (!list) {
      list = this.items.filter((item) => item.conversationId === conversationId);
      this.byConversation.set(conversationId, list);
    }
    return list;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): unknown => this.items;

  /**
   * The network or the live connection is back: what waits goes now (a
   * request still hanging is given up and made again: the same client_id),
   * and what failed for want of a network is tried again (the person should
   * not have to retry what only the network stopped) — in each conversation
   * up to one that waited too long, which waits for the person.
   */
  resume(): void {
    if (this.stopped || this.role !== "owner") return;
    const held = new Set<string>();
    const revived = this.items.map((item) => {
      if (item.state !== "failed" || held.has(item.conversationId) || !isTemporary(item.error)) return item;
      if (this.stale(item)) {
        held.add(item.conversationId);
        return item;
      }
      return { ...item, state: "sending" as const, attempts: 0, error: undefined };
    });
    if (revived.some((item, i) => item !== this.items[i])) this.change(revived);
    for (const [conversationId, timer] of this.timers) {
      clearTimeout(timer);
      this.timers.delete(conversationId);
    }
    for (const [conversationId, flight] of this.inFlight) {
      this.inFlight.delete(conversationId);
      flight.controller.abort();
      // That try is not held against it.
      const message = this.find(flight.clientId);
      if (message) this.update(flight.clientId, { attempts: Math.max(0, message.attempts - 1) });
    }
    this.conversations().forEach((id) => this.pump(id));
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Signed out, or another person signed in: this queue stops (it stays stored for its person) and another tab may take it. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.cleanups.forEach((cleanup) => cleanup());
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
    this.inFlight.forEach((flight) => flight.controller.abort());
    this.channel?.close();
    this.releaseLock();
  }

  /** This tab sends the queue: what waited too long waits for the person, the rest goes. */
  private start(): void {
    this.expire();
    this.conversations().forEach((id) => this.pump(id));
  }

  /** The lock is ours (the sending tab closed): take the queue as stored, with what this tab handed over and may not have been taken. */
  private takeOver(): void {
    this.role = "owner";
    const stored = this.readStored() ?? [];
    const taken = new Set(stored.map((item) => item.clientId));
    const handed = [...this.forwarded.values()].filter((item) => !taken.has(item.clientId));
    this.forwarded.clear();
    this.change([...stored, ...handed]);
    this.channel?.post({ type: "owner" });
    this.start();
  }

  private received(message: TabMessage): void {
    if (this.stopped) return;
    if (this.role === "owner") {
      if (message.type === "send") {
        if (!this.find(message.message.clientId)) {
          this.change([...this.items, fromStored(message.message)]);
          this.pump(message.message.conversationId);
        }
        this.channel?.post({ type: "taken", clientId: message.message.clientId });
      } else if (message.type === "retry") this.retry(message.clientId);
      else if (message.type === "discard") this.discard(message.clientId);
      return;
    }
    if (message.type === "taken") {
      this.forwarded.delete(message.clientId);
      this.showStored();
    } else if (message.type === "delivered") {
      this.options.delivered(message.message);
      this.forwarded.delete(message.message.client_id);
      this.showStored();
    } else if (message.type === "owner") {
      // A new tab sends now: what the last one had not taken goes to it.
      this.forwarded.forEach((item) => this.channel?.post({ type: "send", message: toStored(item) }));
    }
  }

  /** Another tab wrote the stored queue. */
  private storageChanged(): void {
    if (this.stopped) return;
    if (this.role === "follower") {
      this.showStored();
      return;
    }
    const stored = this.readStored(false);
    if (!stored) return;
    const merged = this.merge(this.items, stored);
    this.base = snapshot(stored);
    if (merged.length !== this.items.length || merged.some((item, i) => item !== this.items[i])) this.show(merged);
    // Without Web Locks each tab sends: what another added goes from here too (the client_id makes it one message).
    this.conversations().forEach((id) => this.pump(id));
  }

  /** A follower shows what the sending tab stored, and what it handed over that is not there yet. */
  private showStored(): void {
    const stored = this.readStored() ?? [];
    const there = new Set(stored.map((item) => item.clientId));
    this.show(this.reuse([...stored, ...[...this.forwarded.values()].filter((item) => !there.has(item.clientId))]));
  }

  /** Sends the conversation's first waiting message, unless one is on its way or waiting for its next try. */
  private pump(conversationId: string): void {
    if (this.stopped || this.role !== "owner" || this.inFlight.has(conversationId) || this.timers.has(conversationId)) return;
    const next = this.items.find((item) => item.conversationId === conversationId && item.state === "sending");
    // Offline: it waits for `resume`, its tries untouched.
    if (!next || !this.options.isOnline()) return;
    if (this.stale(next)) {
      this.expire();
      return;
    }
    const flight: Flight = { clientId: next.clientId, controller: new AbortController() };
    const { signal } = flight.controller;
    this.inFlight.set(conversationId, flight);
    const timeout = setTimeout(() => flight.controller.abort(new DOMException("No answer in time.", "TimeoutError")), SEND_TIMEOUT_MS);
    // Given up (timed out, resumed, stopped): whatever the request still does, this try is over.
    const abandoned = new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
    this.update(next.clientId, { attempts: next.attempts + 1 });
    const request: NewMessage = { client_id: next.clientId, body: next.body, upload_ids: next.uploadIds };
    let answer: Promise<ChatMessage>;
    try {
      answer = this.options.post(conversationId, request, signal);
    } catch (error) {
      answer = Promise.reject(error);
    }
    Promise.race([answer, abandoned])
      .then(
        (message) => {
          // Stopped: the cache may be another person's now; the stored copy goes again later, answered by this same message.
          if (this.stopped) return;
          this.options.delivered(message);
          this.channel?.post({ type: "delivered", message });
          this.confirm(next.clientId);
        },
        (error: unknown) => {
          if (this.inFlight.get(conversationId) === flight) this.failed(next.clientId, error);
        },
      )
      .finally(() => {
        clearTimeout(timeout);
        if (this.inFlight.get(conversationId) !== flight) return; // `resume` sent it again meanwhile
        this.inFlight.delete(conversationId);
        this.pump(conversationId);
      });
  }

  private failed(clientId: string, error: unknown): void {
    const message = this.find(clientId);
    if (!message || this.stopped) return; // discarded or confirmed meanwhile
    const problem = error instanceof ApiProblem ? error : networkProblem();
    if (!isTemporary(problem)) {
      this.update(clientId, { state: "failed", error: problem });
      return;
    }
    if (!this.options.isOnline()) {
      // Cut off while it was on its way: that try does not count.
      this.update(clientId, { attempts: message.attempts - 1 });
      return;
    }
    if (message.attempts < MAX_ATTEMPTS) {
      const conversationId = message.conversationId;
      this.timers.set(
        conversationId,
        setTimeout(() => {
          this.timers.delete(conversationId);
          this.pump(conversationId);
        }, retryDelay(message.attempts)),
      );
      return;
    }
    this.failFrom(message, problem);
  }

  /**
   * Marks a message failed, and what was queued after it in its conversation
   * with it: it would only overtake it. They go again with it (in order) on a
   * retry or a reconnect.
   */
  private failFrom(message: PendingMessage, problem: ApiProblem): void {
    const after = this.items.slice(this.items.indexOf(message));
    const failing = new Set(after.filter((item) => item.conversationId === message.conversationId && item.state === "sending").map((item) => item.clientId));
    this.change(this.items.map((item) => (failing.has(item.clientId) ? { ...item, state: "failed" as const, error: problem } : item)));
  }

  /** Messages that waited more than a day are not sent on their own: failed, for the person to send or drop. */
  private expire(): void {
    // Per conversation, from the first such message on (what follows it would overtake it).
    const failing = new Set<string>();
    const items = this.items.map((item) => {
      if (item.state !== "sending" || this.inFlight.has(item.conversationId)) return item;
      if (!failing.has(item.conversationId) && !this.stale(item)) return item;
      failing.add(item.conversationId);
      return { ...item, state: "failed" as const, error: networkProblem() };
    });
    if (failing.size) this.change(items);
  }

  private stale(item: PendingMessage): boolean {
    const since = Date.parse(item.retriedAt ?? item.createdAt);
    return this.options.now().getTime() - since > STALE_AFTER_MS;
  }

  private conversations(): string[] {
    return [...new Set(this.items.map((item) => item.conversationId))];
  }

  private find(clientId: string): PendingMessage | undefined {
    return this.items.find((item) => item.clientId === clientId);
  }

  private update(clientId: string, changes: Partial<PendingMessage>): void {
    this.change(this.items.map((item) => (item.clientId === clientId ? { ...item, ...changes } : item)));
  }

  /** A change made here: kept, written down by the sending tab (a stopped queue writes nothing), and shown. */
  private change(items: PendingMessage[]): void {
    this.show(this.role === "owner" && !this.stopped ? this.save(items) : items);
  }

  private show(items: PendingMessage[]): void {
    this.items = items;
    this.byConversation.clear();
    this.listeners.forEach((listener) => listener());
  }

  /** The stored queue (null: unreadable, or no storage). With `remember`, it is what later changes are told apart from. */
  private readStored(remember = true): PendingMessage[] | null {
    let stored: StoredMessage[];
    try {
      const text = this.options.storage?.getItem(outboxStorageKey(this.userId));
      if (text === undefined) return null;
      stored = JSON.parse(text ?? "[]") as StoredMessage[];
      if (!Array.isArray(stored)) return null;
    } catch {
      return null; // unreadable: nothing to go by
    }
    const items = stored.map(fromStored);
    if (remember) this.base = snapshot(items);
    return items;
  }

  /** Writes the queue, merged with what other tabs stored since this one last read or wrote it; returns what was written. */
  private save(items: PendingMessage[]): PendingMessage[] {
    const key = outboxStorageKey(this.userId);
    const merged = this.merge(items, this.readStored(false));
    try {
      if (!merged.length) this.options.storage?.removeItem(key);
      else this.options.storage?.setItem(key, JSON.stringify(merged.map(toStored)));
      this.base = snapshot(merged);
    } catch {
      // Storage full or refused: the queue still works, only not across a reload.
    }
    return merged;
  }

  /**
   * Mine with what another tab did since `base`: its new messages join (in
   * order of writing), what it removed (sent, discarded, signed out) goes,
   * and of a message changed on both sides mine wins.
   */
  private merge(mine: PendingMessage[], stored: PendingMessage[] | null): PendingMessage[] {
    if (!stored) return mine;
    const theirs = new Map(stored.map((item) => [item.clientId, item]));
    const here = new Set(mine.map((item) => item.clientId));
    const merged: PendingMessage[] = [];
    for (const item of mine) {
      const other = theirs.get(item.clientId);
      const known = this.base.get(item.clientId);
      if (!other) {
        if (known === undefined) merged.push(item); // new here; otherwise gone elsewhere
        continue;
      }
      merged.push(known === serialized(item) && serialized(other) !== known ? other : item);
    }
    const added = stored.filter((item) => !here.has(item.clientId) && !this.base.has(item.clientId));
    if (!added.length) return merged;
    return [...merged, ...added].sort(byCreation);
  }

  /** The same objects for unchanged messages, so the lists shown stay the same. */
  private reuse(items: PendingMessage[]): PendingMessage[] {
    const current = new Map(this.items.map((item) => [item.clientId, item]));
    return items.map((item) => {
      const same = current.get(item.clientId);
      return same && serialized(same) === serialized(item) ? same : item;
    });
  }
}

function snapshot(items: PendingMessage[]): Map<string, string> {
  return new Map(items.map((item) => [item.clientId, serialized(item)]));
}

let current: MessageOutbox | null = null;
let cache: QueryClient = queryClient;

/**
 * The signed-in person's queue (one per tab): made on first use, restoring
 * what was stored, and replaced when another person signs in. Sent messages
 * go into `client`'s cache (the app's; tests pass their own).
 */
export function outboxFor(userId: string, client: QueryClient = queryClient): MessageOutbox {
  cache = client;
  if (current && current.userId === userId && !current.isStopped) return current;
  current?.stop();
  const outbox: MessageOutbox = new MessageOutbox({
    userId,
    post: async (conversationId, message, signal) => {
      // Sent as the queue's person with their own token, never with whatever
      // a refresh brings (the cookie may be another person's, signed in in
      // another tab): then this queue stops, unsent.
      const token = await authSession.token();
      const state = authSession.getState();
      if (state.status !== "signed-in" || state.user.id !== userId) {
        outbox.stop();
        throw new Error("The queue's person is no longer signed in.");
      }
      if (!token) throw networkProblem(); // no fresh token now (offline): later
      return sendMessage(conversationId, message, { token, signal });
    },
    delivered: (message) => messageArrived(cache, message, true),
    watchOnline: (resume) => {
      addEventListener("online", resume);
      const stopReconnect = onReconnect(resume);
      // The live connection brought my message (the answer to sending it was lost): it is sent.
      const stopOwn = onOwnMessage((message) => outbox.confirm(message.client_id));
      // Signed out (or another person in): this queue waits, stored, for its person's return.
      const stopSession = authSession.subscribe(() => {
        const state = authSession.getState();
        if (state.status === "anonymous" || (state.status === "signed-in" && state.user.id !== userId)) outbox.stop();
      });
      return () => {
        removeEventListener("online", resume);
        stopReconnect();
        stopOwn();
        stopSession();
      };
    },
  });
  current = outbox;
  return outbox;
}
