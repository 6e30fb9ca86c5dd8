// The live connection: one WebSocket per tab, authenticated with the
// in-memory access token (never in the URL), resumed after the last event
// this tab received, reconnected with backoff and jitter. Features do not
// talk to it: they register what they do with each event in a LiveRegistry,
// which the app composes.
import { CLOSE_CODES, type LiveEvent, type LiveEventOf, type ServerFrame, type ServerFrameOf } from "@/api/realtime";

export type Ready = ServerFrameOf<"ready">;
export type Presence = ServerFrameOf<"presence">;
export type ConnectionState = "idle" | "connecting" | "online" | "reconnecting" | "offline";

type Handler<T> = (value: T) => void;

/** Who reacts to what: the one place features hook into live updates. */
export class LiveRegistry {
  private readonly events = new Map<string, Set<Handler<LiveEvent>>>();
  private readonly readies = new Set<Handler<Ready>>();
  private readonly presences = new Set<Handler<Presence>>();
  private readonly resyncs = new Set<() => void>();

  on<T extends LiveEvent["type"]>(type: T, handler: Handler<LiveEventOf<T>>): () => void {
    const handlers = this.events.get(type) ?? new Set();
    this.events.set(type, handlers);
    handlers.add(handler as Handler<LiveEvent>);
    return () => handlers.delete(handler as Handler<LiveEvent>);
  }

  /** On every `ready`: the counts a client shows at once. */
  onReady(handler: Handler<Ready>): () => void {
    return add(this.readies, handler);
  }

  onPresence(handler: Handler<Presence>): () => void {
    return add(this.presences, handler);
  }

  /** When events may have been missed: reload what is shown. */
  onResync(handler: () => void): () => void {
    return add(this.resyncs, handler);
  }

  event(event: LiveEvent): void {
    this.events.get(event.type)?.forEach((handler) => handler(event));
  }

  ready(frame: Ready): void {
    this.readies.forEach((handler) => handler(frame));
  }

  presence(frame: Presence): void {
    this.presences.forEach((handler) => handler(frame));
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
  /** Gets a fresh access token; false when signed out. */
  refresh: () => Promise<boolean>;
  /** The session ended (here or elsewhere): sign this tab out. */
  signOut: () => void;
  openSocket?: (url: string) => SocketLike;
  random?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

/** The wait before reconnect attempt `attempt` (0-based): doubling, capped, jittered. */
export function backoff(attempt: number, random: number): number {
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

export class Realtime {
  private state: ConnectionState = "idle";
  private socket: SocketLike | null = null;
  private lastSeq: number | null = null;
  private sessionId: string | null = null;
  private attempts = 0;
  private timer: unknown = null;
  private running = false;
  private readonly listeners = new Set<() => void>();
  private readonly options: Required<RealtimeOptions>;

  constructor(options: RealtimeOptions) {
    this.options = {
      openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      random: Math.random,
      setTimer: (run, ms) => setTimeout(run, ms),
      clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
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
    this.lastSeq = null;
    this.sessionId = null;
    this.cancelTimer();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
    this.setState("idle");
  }

  /** The network is back: try at once rather than at the next backoff. */
  retryNow(): void {
    if (!this.running || this.socket) return;
    this.cancelTimer();
    void this.connect();
  }

  /** The browser says it is offline: no point in trying until it is back. */
  wentOffline(): void {
    if (this.running && this.state !== "online") this.setState("offline");
  }

  private async connect(): Promise<void> {
    this.setState(this.lastSeq === null && this.attempts === 0 ? "connecting" : "reconnecting");
    const token = await this.options.token();
    if (!this.running) return;
    if (!token) {
      this.stop();
      return;
    }
    const socket = this.options.openSocket(this.options.url());
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: "authenticate", token }));
    socket.onmessage = (message) => {
      if (this.socket === socket && typeof message.data === "string") this.receive(JSON.parse(message.data) as ServerFrame);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      void this.closed(event.code);
    };
  }

  private receive(frame: ServerFrame): void {
    switch (frame.type) {
      case "ready": {
        this.attempts = 0;
        this.sessionId = frame.session_id;
        const first = this.lastSeq === null;
        const after = this.lastSeq ?? frame.position;
        this.lastSeq = after;
        this.socket?.send(JSON.stringify({ type: "resume", after }));
        this.setState("online");
        this.options.registry.ready(frame);
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
      case "error":
        console.warn(`realtime: ${frame.code}: ${frame.message}`);
        break;
    }
  }

  private async closed(code: number): Promise<void> {
    if (!this.running) return;
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
      // A fresh token, or (when the session is gone) signed out.
      if (await this.options.refresh()) {
        if (this.running) void this.connect();
      } else {
        this.options.signOut();
      }
      return;
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
