// The sending queue. A message is shown at once as pending and goes out in
// the background: per conversation one at a time and in order, each with the
// client_id it got when typed, so a retry (after a lost answer, a reload, a
// network cut) answers the message already made instead of making a second.
// Network trouble and 5xx are tried again with backoff; while the browser is
// offline nothing is tried and nothing counts against the message; a 4xx is
// final. The queue is kept in localStorage per person, so what was typed
// offline survives a reload.
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
  state: PendingState;
  attempts: number;
  /** Why it failed ("failed" only): show it with problemMessage. */
  error?: ApiProblem;
}

export interface Outbox {
  send(conversationId: string, body: string | null, pictures: Picture[]): PendingMessage;
  /** A failed one: back to "sending". */
  retry(clientId: string): void;
  discard(clientId: string): void;
  /** In order. The same array until something changes. */
  pending(conversationId: string): PendingMessage[];
  /** For useSyncExternalStore. */
  subscribe(listener: () => void): () => void;
  /** Changes identity when anything changes. */
  getSnapshot(): unknown;
}

export interface OutboxOptions {
  /** Whose queue: the storage key. */
  userId: string;
  post: (conversationId: string, message: NewMessage) => Promise<ChatMessage>;
  /** The server has the message: put it where it is shown. */
  delivered: (message: ChatMessage) => void;
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null;
  /** False while the browser says it is offline. */
  isOnline?: () => boolean;
  /** Calls `resume` whenever the network or the live connection comes back; returns how to stop. */
  watchOnline?: (resume: () => void) => () => void;
  newId?: () => string;
  now?: () => Date;
}

/** Tries per message before it is marked failed. */
export const MAX_ATTEMPTS = 5;
const FIRST_RETRY_MS = 1000;

/** The wait after failed try `attempt` (1-based): 1 s, 2 s, 4 s, 8 s… */
export function retryDelay(attempt: number): number {
  return FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1);
}

/** Whether asking again may help: no answer, the server's trouble, or a limit that passes. */
function transient(error: unknown): boolean {
  if (!(error instanceof ApiProblem)) return true;
  const status = error.status;
  return status === 0 || status >= 500 || status === 401 || status === 408 || status === 429;
}

type Stored = Omit<PendingMessage, "error"> & { error?: Problem };

export class MessageOutbox implements Outbox {
  private items: PendingMessage[] = [];
  private readonly inFlight = new Set<string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly listeners = new Set<() => void>();
  private readonly byConversation = new Map<string, PendingMessage[]>();
  private readonly stopWatching: () => void;
  private stopped = false;
  private readonly options: Required<OutboxOptions>;
  readonly userId: string;

  constructor(options: OutboxOptions) {
    this.options = {
      storage: globalThis.localStorage ?? null,
      isOnline: () => globalThis.navigator?.onLine !== false,
      watchOnline: () => () => undefined,
      newId: () => crypto.randomUUID(),
      now: () => new Date(),
      ...options,
    };
    this.userId = options.userId;
    this.items = this.load();
    this.stopWatching = this.options.watchOnline(() => this.resume());
    this.conversations().forEach((id) => this.pump(id));
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
    this.pump(conversationId);
    return message;
  }

  retry(clientId: string): void {
    const message = this.find(clientId);
    if (!message || message.state !== "failed") return;
    this.update(clientId, { state: "sending", attempts: 0, error: undefined });
    this.pump(message.conversationId);
  }

  discard(clientId: string): void {
    const message = this.find(clientId);
    if (!message) return;
    this.change(this.items.filter((item) => item.clientId !== clientId));
    this.pump(message.conversationId);
  }

  /** The server has it (the live connection brought it): nothing more to send. */
  confirm(clientId: string): void {
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
   * The network or the live connection is back: what waits goes now, and
   * what failed for want of a network is tried again (the person should not
   * have to retry what only the network stopped).
   */
  resume(): void {
    if (this.stopped) return;
    const revived = this.items.map((item) =>
      item.state === "failed" && transient(item.error) ? { ...item, state: "sending" as const, attempts: 0, error: undefined } : item,
    );
    if (revived.some((item, i) => item !== this.items[i])) this.change(revived);
    for (const [conversationId, timer] of this.timers) {
      clearTimeout(timer);
      this.timers.delete(conversationId);
    }
    this.conversations().forEach((id) => this.pump(id));
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Signed out, or another person signed in: this queue stops (it stays stored for its person). */
  stop(): void {
    this.stopped = true;
    this.stopWatching();
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
  }

  /** Sends the conversation's first waiting message, unless one is on its way or waiting for its next try. */
  private pump(conversationId: string): void {
    if (this.stopped || this.inFlight.has(conversationId) || this.timers.has(conversationId)) return;
    const next = this.items.find((item) => item.conversationId === conversationId && item.state === "sending");
    // Offline: it waits for `resume`, its tries untouched.
    if (!next || !this.options.isOnline()) return;
    this.inFlight.add(conversationId);
    this.update(next.clientId, { attempts: next.attempts + 1 });
    const request: NewMessage = { client_id: next.clientId, body: next.body, upload_ids: next.uploadIds };
    this.options
      .post(conversationId, request)
      .then(
        (message) => {
          this.options.delivered(message);
          this.confirm(next.clientId);
        },
        (error: unknown) => this.failed(next.clientId, error),
      )
      .finally(() => {
        this.inFlight.delete(conversationId);
        this.pump(conversationId);
      });
  }

  private failed(clientId: string, error: unknown): void {
    const message = this.find(clientId);
    if (!message || this.stopped) return; // discarded or confirmed meanwhile
    const problem = error instanceof ApiProblem ? error : networkProblem();
    if (!transient(problem)) {
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
    // Given up. What was queued after it in the conversation would only
    // overtake it, so it fails too, and goes again with it (in order) on a retry or a reconnect.
    const after = this.items.slice(this.items.indexOf(message));
    const stopped = new Set(after.filter((item) => item.conversationId === message.conversationId && item.state === "sending").map((item) => item.clientId));
    this.change(this.items.map((item) => (stopped.has(item.clientId) ? { ...item, state: "failed", error: problem } : item)));
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

  private change(items: PendingMessage[]): void {
    this.items = items;
    this.byConversation.clear();
    this.save();
    this.listeners.forEach((listener) => listener());
  }

  private load(): PendingMessage[] {
    try {
      const stored = JSON.parse(this.options.storage?.getItem(outboxStorageKey(this.options.userId)) ?? "[]") as Stored[];
      if (!Array.isArray(stored)) return [];
      return stored.map(({ error, ...item }) => ({ ...item, ...(error ? { error: new ApiProblem(error) } : {}) }));
    } catch {
      return []; // unreadable: nothing to resume
    }
  }

  private save(): void {
    const key = outboxStorageKey(this.options.userId);
    try {
      if (!this.items.length) this.options.storage?.removeItem(key);
      else {
        const stored: Stored[] = this.items.map(({ error, ...item }) => ({ ...item, ...(error ? { error: error.problem } : {}) }));
        this.options.storage?.setItem(key, JSON.stringify(stored));
      }
    } catch {
      // Storage full or refused: the queue still works, only not across a reload.
    }
  }
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
    post: sendMessage,
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
