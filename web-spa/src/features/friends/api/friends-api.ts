// My friends and friend requests.
import type { components } from "@/api/schema";
import { api, call } from "@/lib/api-client";

export type FriendsSummary = components["schemas"]["FriendsSummary"];
export type RelatedUser = components["schemas"]["RelatedUser"];
export type FriendRequestItem = components["schemas"]["FriendRequestItem"];
export type ListKind = "friends" | "incoming" | "outgoing";

export interface ListPage {
  items: { key: string; user: RelatedUser["user"]; at: string }[];
  next_cursor: string | null;
}

export async function friendsSummary(): Promise<FriendsSummary> {
  return call(api.GET("/api/v1/friends/summary"));
}

export async function listPage(kind: ListKind, q: string, cursor: string | null): Promise<ListPage> {
  const query: { q?: string; cursor?: string } = {};
  if (q.trim()) query.q = q.trim();
  if (cursor) query.cursor = cursor;
  if (kind === "friends") {
    const page = await call(api.GET("/api/v1/friends", { params: { query } }));
    return { items: page.items.map((f) => ({ key: f.user.id, user: f.user, at: f.since })), next_cursor: page.next_cursor ?? null };
  }
  const path = kind === "incoming" ? "/api/v1/friends/requests/incoming" : "/api/v1/friends/requests/outgoing";
  const page = await call(api.GET(path, { params: { query } }));
  return { items: page.items.map((r) => ({ key: r.id, user: r.user, at: r.created_at })), next_cursor: page.next_cursor ?? null };
}

export async function answer(id: string, accept: boolean): Promise<void> {
  const path = accept ? "/api/v1/friends/requests/{id}/accept" : "/api/v1/friends/requests/{id}/decline";
  await call(api.POST(path, { params: { path: { id } }, parseAs: "text" }));
}

export async function cancel(id: string): Promise<void> {
  await call(api.DELETE("/api/v1/friends/requests/{id}", { params: { path: { id } }, parseAs: "text" }));
}

export async function unfriend(handle: string): Promise<void> {
  await call(api.DELETE("/api/v1/friends/{handle}", { params: { path: { handle } }, parseAs: "text" }));
}
