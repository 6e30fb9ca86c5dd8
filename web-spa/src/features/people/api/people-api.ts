// The directory, public profiles, and the actions a profile page offers.
import type { components } from "@/api/schema";
import { api, call } from "@/lib/api-client";

export type UserPage = components["schemas"]["Page_UserSummary"];
export type PublicProfile = components["schemas"]["PublicProfile"];

export async function searchUsers(q: string, cursor: string | null): Promise<UserPage> {
  const query: { q?: string; cursor?: string } = {};
  if (q.trim()) query.q = q.trim();
  if (cursor) query.cursor = cursor;
  return call(api.GET("/api/v1/users", { params: { query } }));
}

export async function getUser(handle: string): Promise<PublicProfile> {
  return call(api.GET("/api/v1/users/{handle}", { params: { path: { handle } } }));
}

export async function sendFriendRequest(handle: string): Promise<void> {
  await call(api.POST("/api/v1/friends/requests", { body: { handle } }));
}

export async function answerFriendRequest(id: string, accept: boolean): Promise<void> {
  const path = accept ? "/api/v1/friends/requests/{id}/accept" : "/api/v1/friends/requests/{id}/decline";
  await call(api.POST(path, { params: { path: { id } }, parseAs: "text" }));
}

export async function cancelFriendRequest(id: string): Promise<void> {
  await call(api.DELETE("/api/v1/friends/requests/{id}", { params: { path: { id } }, parseAs: "text" }));
}

export async function removeFriend(handle: string): Promise<void> {
  await call(api.DELETE("/api/v1/friends/{handle}", { params: { path: { handle } }, parseAs: "text" }));
}

export async function setBlocked(handle: string, blocked: boolean): Promise<void> {
  const request = blocked
    ? api.PUT("/api/v1/blocks/{handle}", { params: { path: { handle } }, parseAs: "text" })
    : api.DELETE("/api/v1/blocks/{handle}", { params: { path: { handle } }, parseAs: "text" });
  await call(request);
}
