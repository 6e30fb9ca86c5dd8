// My account: profile, avatar, password, privacy, sessions, deletion.
import type { components } from "@/api/schema";
import { api, call } from "@/lib/api-client";
import { authSession, type Me } from "@/lib/auth-session";
import { ApiProblem, isProblem, networkProblem } from "@/lib/problem";

export type ProfileChanges = components["schemas"]["UpdateMeRequest"];
export type SessionInfo = components["schemas"]["SessionResponse"];

export async function updateProfile(changes: ProfileChanges): Promise<Me> {
  const me = await call(api.PATCH("/api/v1/me", { body: changes }));
  authSession.updateUser(me);
  return me;
}

/** Multipart upload; the server crops and resizes, and returns the account. */
export async function uploadAvatar(file: File): Promise<Me> {
  const form = new FormData();
  form.append("file", file);
  const token = await authSession.token();
  let response: Response;
  try {
    response = await fetch("/api/v1/me/avatar", {
      method: "PUT",
      body: form,
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
  } catch {
    throw networkProblem();
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw isProblem(body) ? new ApiProblem(body) : networkProblem();
  const me = body as Me;
  authSession.updateUser(me);
  return me;
}

export async function removeAvatar(): Promise<Me> {
  const me = await call(api.DELETE("/api/v1/me/avatar"));
  authSession.updateUser(me);
  return me;
}

export async function changePassword(current_password: string, new_password: string): Promise<void> {
  await call(api.PUT("/api/v1/me/password", { body: { current_password, new_password }, parseAs: "text" }));
}

export async function listSessions(): Promise<SessionInfo[]> {
  return (await call(api.GET("/api/v1/auth/sessions"))).items;
}

export async function endSession(id: string): Promise<void> {
  await call(api.DELETE("/api/v1/auth/sessions/{id}", { params: { path: { id } }, parseAs: "text" }));
}

export async function deleteAccount(password: string): Promise<void> {
  await call(api.DELETE("/api/v1/me", { body: { password }, parseAs: "text" }));
  authSession.clear();
}
