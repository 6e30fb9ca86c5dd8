// The live connection: one WebSocket per tab, authenticated with the
// in-memory access token (never in the URL), resumed after the last event
// this tab received, reconnected with backoff and jitter. Features do not
// talk to it: they register what they do with each event in a LiveRegistry,
// which the app composes.
import { CLOSE_CODES, type ClientFrame, type LiveEvent, type LiveEventOf, type ServerFrame, type ServerFrameOf } from "@/api/realtime";

export type Ready = ServerFrameOf<"ready">;
export type Presence = ServerFrameOf<"presence">;
/** A post was added to the topic this tab shows (not an event: nothing to resume). */
export type TopicPostAdded = ServerFrameOf<"topic_post_added">;
/** The topic this tab shows was renamed, moved, pinned, locked or deleted (or undone): read it again. */
export type TopicChanged = ServerFrameOf<"topic_changed">;
/** Someone is typing in one of my conversations, for `expires_in_ms` (ephemeral: never resumed). */
export type UserTyping = ServerFrameOf<"user_typing">;
export type ConnectionState = "idle" | "connecting" | "online" | "reconnecting" | "offline";

type Handler<T> = (value: T) => void;

/** Who reacts to what: the one place features hook into live updates. */
export class LiveRegistry {
  private readonly events = new Map<string, Set<Handler<LiveEvent>>>();
  private readonly readies = new Set<(ready: Ready, fresh: boolean) => void>();
  private readonly presences = new Set<Handler<Presence>>();
  private readonly topicPosts = new Set<Handler<TopicPostAdded>>();
  private readonly topicChanges = new Set<Handler<TopicChanged>>();
  private readonly typings = new Set<Handler<UserTyping>>();
  private readonly resyncs = new Set<() => void>();

  on<T extends LiveEvent["type"]>(type: T, handler: Handler<LiveEventOf<T>>): () => void {
    const handlers = this.events.get(type) ?? new Set();
    this.events.set(type, handlers);
    handlers.add(handler as Handler<LiveEvent>);
    return () => handlers.delete(handler as Handler<LiveEvent>);
  }

  /**
   * On every `ready`. `fresh` when this tab had no events yet: its counts are
   * then the truth; after a reconnect, the events resumed bring them up to date.
   */
  onReady(handler: (ready: Ready, fresh: boolean) => void): () => void {
    return add(this.readies, handler);
  }

  onPresence(handler: Handler<Presence>): () => void {
    return add(this.presences, handler);
  }

  /** Posts added to the topic this tab said it shows (`Realtime.viewTopic`). */
  onTopicPostAdded(handler: Handler<TopicPostAdded>): () => void {
    return add(this.topicPosts, handler);
  }

  /** Changes to the topic this tab said it shows (`Realtime.viewTopic`): its title, category, pin, lock, or its deletion. */
  onTopicChanged(handler: Handler<TopicChanged>): () => void {
    return add(this.topicChanges, handler);
  }

  /** Someone typing in one of my conversations (`Realtime.sendTyping` is the other side). */
  onUserTyping(handler: Handler<UserTyping>): () => void {
    return add(this.typings, handler);
  }

  /** When events may have been missed: reload what is shown. */
  onResync(handler: () => void): () => void {
    return add(this.resyncs, handler);
  }

  event(event: LiveEvent): void {
    this.events.get(event.type)?.forEach((handler) => handler(event));
  }

  ready(frame: Ready, fresh: boolean): void {
    this.readies.forEach((handler) => handler(frame, fresh));
  }

  presence(frame: Presence): void {
    this.presences.forEach((handler) => handler(frame));
  }

  topicPostAdded(frame: TopicPostAdded): void {
    this.topicPosts.forEach((handler) => handler(frame));
  }

  topicChanged(frame: TopicChanged): void {
    this.topicChanges.forEach((handler) => handler(frame));
  }

  userTyping(frame: UserTyping): void {
    this.typings.forEach((handler) => handler(frame));
  }

  resync(): void {
    this.resyncs.forEach((handler) => handler());
  }
}

function add<T>(set: Set<T>, item: T): () => void {
  set.add(item);
  return () => set.delete(item);
}

/** What the connection needs from a browser: tests pass fakes. */
export interface SocketLike {
  send(data: string): void;
  close(code?: number): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
}

export interface RealtimeOptions {
  registry: LiveRegistry;
  url: () => string;
  token: () => Promise<string | null>;
  /** Gets a fresh access token; false when it could not (signed out, or unreachable). */
  refresh: () => Promise<boolean>;
  /** Whether someone is still signed in (a failed refresh may be a network blip). */
  signedIn: () => boolean;
  /** The session ended (here or elsewhere): sign this tab out. */
  signOut: () => void;
  openSocket?: (url: string) => SocketLike;
  random?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  now?: () => number;
}

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
/** A connection that lasted this long was a good one: the backoff starts over. */
const STABLE_MS = 10_000;

/** The wait before reconnect attempt `attempt` (0-based): doubling, capped, jittered. */
export function backoff(attempt: number, random: number): number {
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

export class Realtime {
  private state: ConnectionState = "idle";
  private socket: SocketLike | null = null;
  private lastSeq: number | null = null;
  private userId: string | null = null;
  private sessionId: string | null = null;
  private attempts = 0;
  private onlineSince = 0;
  /** Bumped by every connect and stop: a connect that finds it changed gives up. */
  private generation = 0;
  private timer: unknown = null;
  private running = false;
  /** The topic this tab shows: the server is told on every connection. */
  private viewedTopic: string | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly options: Required<RealtimeOptions>;

  constructor(options: RealtimeOptions) {
    this.options = {
      openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      random: Math.random,
      setTimer: (run, ms) => setTimeout(run, ms),
      clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
      now: () => Date.now(),
      ...options,
    };
  }

  getState = (): ConnectionState => this.state;

  subscribe = (listener: () => void): (() => void) => add(this.listeners, listener);

  /** Connects (once signed in); a no-op when already running. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempts = 0;
    void this.connect();
  }

  /** Disconnects and forgets where this tab was (signed out). */
  stop(): void {
    this.running = false;
    this.generation += 1;
    this.lastSeq = null;
    this.userId = null;
    this.sessionId = null;
    this.cancelTimer();
    this.dropSocket();
    this.setState("idle");
  }

  /**
   * The topic this tab shows (null: none), so the server tells it of posts
   * added there. Kept across reconnects: each new connection is told again.
   */
  viewTopic(topicId: string | null): void {
    if (topicId === this.viewedTopic) return;
    this.viewedTopic = topicId;
    // Before `ready` the server takes nothing but authentication; `ready` sends it.
    if (this.state === "online") this.sendViewedTopic();
  }

  private sendViewedTopic(): void {
    const frame: ClientFrame = { type: "view_topic", topic_id: this.viewedTopic };
    this.socket?.send(JSON.stringify(frame));
  }

  /**
   * Tells the other members of a conversation that this person is typing.
   * Only while connected: a typing mark is worth nothing later, so it is
   * dropped rather than queued. The caller keeps to one every 2 seconds (the
   * server passes on no more).
   */
  sendTyping(conversationId: string): void {
    if (this.state !== "online") return;
    const frame: ClientFrame = { type: "typing", conversation_id: conversationId };
    this.socket?.send(JSON.stringify(frame));
  }

  /** The network is back: try at once rather than at the next backoff. */
  retryNow(): void {
    if (!this.running || this.state === "online" || this.state === "connecting") return;
    this.cancelTimer();
    this.setState("reconnecting");
    void this.connect();
  }

  /**
   * The browser says it is offline. An open socket is as good as gone (a
   * browser can take minutes to notice a dead one), so it is dropped and
   * nothing is tried until `retryNow` on the way back, which resumes after
   * the last event received: nothing is lost, nothing comes twice.
   */
  wentOffline(): void {
    if (!this.running) return;
    this.cancelTimer();
    // A connect in flight is abandoned too.
    this.generation += 1;
    this.dropSocket();
    this.setState("offline");
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.dropSocket();
    if (this.lastSeq === null && this.attempts === 0) this.setState("connecting");
    else if (this.state !== "offline") this.setState("reconnecting");
    const token = await this.options.token();
    // Stopped, or another connect began, while the token came.
    if (!this.running || generation !== this.generation) return;
    if (!token) {
      this.stop();
      return;
    }
    const socket = this.options.openSocket(this.options.url());
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: "authenticate", token }));
    socket.onmessage = (message) => {
      if (this.socket !== socket || typeof message.data !== "string") return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(message.data) as ServerFrame;
      } catch {
        console.warn("realtime: a frame that is not JSON");
        return;
      }
      this.receive(frame);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      void this.closed(event.code, generation);
    };
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
  }

  private receive(frame: ServerFrame): void {
    switch (frame.type) {
      case "ready": {
        // Another account signed in (in another tab): nothing of the last one carries over.
        if (this.userId !== null && this.userId !== frame.user.id) this.lastSeq = null;
        this.userId = frame.user.id;
        this.sessionId = frame.session_id;
        this.onlineSince = this.options.now();
        const first = this.lastSeq === null;
        const after = this.lastSeq ?? frame.position;
        this.lastSeq = after;
        this.socket?.send(JSON.stringify({ type: "resume", after }));
        // Each connection starts with no topic shown: it is told of the one there is.
        if (this.viewedTopic !== null) this.sendViewedTopic();
        this.setState("online");
        this.options.registry.ready(frame, first);
        // What the page loaded before this position was known may be older
        // than it: read it again once.
        if (first) this.options.registry.resync();
        break;
      }
      case "event":
        if (this.lastSeq !== null && frame.seq <= this.lastSeq) return;
        this.lastSeq = frame.seq;
        this.options.registry.event(frame.event);
        if (frame.event.type === "session_ended" && frame.event.session_id === this.sessionId) this.options.signOut();
        break;
      case "resync_required":
        this.lastSeq = frame.position;
        this.options.registry.resync();
        break;
      case "presence":
        this.options.registry.presence(frame);
        break;
      case "user_typing":
        this.options.registry.userTyping(frame);
        break;
      case "topic_post_added":
        this.options.registry.topicPostAdded(frame);
        break;
      case "topic_changed":
        this.options.registry.topicChanged(frame);
        break;
      case "error":
        console.warn(`realtime: ${frame.code}: ${frame.message}`);
        break;
    }
  }

  private async closed(code: number, generation: number): Promise<void> {
    if (!this.running) return;
    if (this.onlineSince && this.options.now() - this.onlineSince >= STABLE_MS) this.attempts = 0;
    this.onlineSince = 0;
    if (code === CLOSE_CODES.session_ended) {
      this.options.signOut();
      return;
    }
    if (code === CLOSE_CODES.authentication_expected) {
      console.error("realtime: the server refused this client's first frame");
      this.setState("offline");
      return;
    }
    if (code === CLOSE_CODES.unauthorized || code === CLOSE_CODES.token_expired) {
      // A fresh token, or (when the session is gone) signed out; a refresh
      // that failed for want of a network is neither, and is tried again.
      const refreshed = await this.options.refresh();
      if (!this.running || generation !== this.generation) return;
      if (!refreshed && !this.options.signedIn()) {
        this.options.signOut();
        return;
      }
      if (refreshed && this.attempts === 0) {
        this.attempts += 1;
        void this.connect();
        return;
      }
    }
    const wait = backoff(this.attempts, this.options.random());
    this.attempts += 1;
    if (this.state !== "offline") this.setState("reconnecting");
    this.timer = this.options.setTimer(() => {
      this.timer = null;
      void this.connect();
    }, wait);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.options.clearTimer(this.timer);
    this.timer = null;
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    this.listeners.forEach((listener) => listener());
  }
}
