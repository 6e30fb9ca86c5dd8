// The signed-in session: the access token lives in memory only; the refresh
// token is an httpOnly cookie the browser sends to /api/v1/auth. Refreshes
// are single-flight: a burst of callers shares one request.
import type { components } from "@/api/schema";

export type Me = components["schemas"]["MeResponse"];
type TokenResponse = components["schemas"]["TokenResponse"];

export type SessionState =
  | { status: "loading" }
  | { status: "anonymous" }
  | { status: "signed-in"; user: Me };

type Listener = () => void;

/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;
/** When the server cannot be reached, ask again after this long. */
const RETRY_MS = 15_000;

export class AuthSession {
  private accessToken: string | null = null;
  private expiresAt = 0;
  private state: SessionState = { status: "loading" };
  private inflight: Promise<boolean> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private listeners = new Set<Listener>();

  constructor(
    private readonly fetcher: typeof fetch = (...args) => fetch(...args),
    private readonly now: () => number = () => Date.now(),
  ) {}

  getState = (): SessionState => this.state;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Takes the tokens of a sign-in or refresh. */
  accept(tokens: TokenResponse): void {
    this.accessToken = tokens.access_token;
    this.expiresAt = this.now() + tokens.expires_in * 1000;
    this.setState({ status: "signed-in", user: tokens.user });
    this.schedule(tokens.expires_in * 1000 - REFRESH_MARGIN_MS);
  }

  /** Updates the signed-in user after a profile change. */
  updateUser(user: Me): void {
    if (this.state.status === "signed-in") this.setState({ status: "signed-in", user });
  }

  /** Forgets the session locally (after sign-out or when the server ended it). */
  clear(): void {
    this.accessToken = null;
    this.expiresAt = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.setState({ status: "anonymous" });
  }

  /** A valid access token, refreshing first when it is about to expire. */
  async token(): Promise<string | null> {
    if (this.accessToken && this.now() < this.expiresAt - 5_000) return this.accessToken;
    if (this.state.status === "anonymous" && !this.timer) return null;
    const ok = await this.refresh();
    return ok ? this.accessToken : null;
  }

  /**
   * Exchanges the refresh cookie for new tokens. Concurrent calls in this tab
   * share one request, and tabs take turns (Web Locks), so each sends the
   * cookie the previous one received instead of replaying a used token.
   */
  refresh(): Promise<boolean> {
    if (!this.inflight) {
      const locks = globalThis.navigator?.locks;
      const run = () => this.doRefresh();
      const turn: Promise<boolean> = locks ? locks.request("noxchat-refresh", () => run()).then((ok) => ok) : run();
      this.inflight = turn.finally(() => {
        this.inflight = null;
      });
    }
    return this.inflight;
  }

  private async doRefresh(): Promise<boolean> {
    let response: Response;
    try {
      response = await this.fetcher("/api/v1/auth/refresh", { method: "POST", credentials: "same-origin" });
    } catch {
      return this.unreachable();
    }
    if (response.status === 401) {
      // The cookie is missing, expired or revoked: really signed out.
      this.clear();
      return false;
    }
    if (!response.ok) return this.unreachable();
    this.accept((await response.json()) as TokenResponse);
    return true;
  }

  /** Offline, or the server answered 5xx: not a sign-out. Try again soon. */
  private unreachable(): boolean {
    if (this.state.status === "loading") this.setState({ status: "anonymous" });
    this.schedule(RETRY_MS);
    return false;
  }

  private schedule(inMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, Math.max(inMs, 5_000));
  }

  private setState(state: SessionState): void {
    this.state = state;
    this.listeners.forEach((listener) => listener());
  }
}

export const authSession = new AuthSession();
