// Moderation: the reports queue, the moderators' log, bans, a topic's pin,
// lock, category, title and removal, moderators (admins) and categories (admins).
import type { components } from "@/api/schema";
import { api, call } from "@/lib/api-client";
import { reasonQuery } from "@/lib/reason-query";

export type Report = components["schemas"]["Report"];
export type ReportStatus = components["schemas"]["ReportStatus"];
export type ReportPage = components["schemas"]["Page_Report"];
export type LoggedAction = components["schemas"]["LoggedAction"];
export type LogPage = components["schemas"]["Page_LoggedAction"];
export type ModeratorAction = components["schemas"]["ModeratorAction"];
export type Ban = components["schemas"]["Ban"];
export type BanPage = components["schemas"]["Page_Ban"];
export type Category = components["schemas"]["Category"];
export type UserSummary = components["schemas"]["UserSummary"];
/** A topic as the forum shows it (named from the API: the forum's own modules are not this feature's to import). */
export type Topic = components["schemas"]["Topic"];
export type StaffRole = "moderator" | "admin";

export const moderationKeys = {
  reports: (status: ReportStatus) => ["moderation", "reports", status] as const,
  log: () => ["moderation", "log"] as const,
  bans: () => ["moderation", "bans"] as const,
  categories: () => ["moderation", "categories"] as const,
};

/**
 * The forum's cached lists and topics. Named here rather than imported: the
 * forum's key factory is not one of the pieces features may share, and a
 * moderator's change (a pin, a move, a new category) must show there too.
 */
export const FORUM_CACHE = ["forum"] as const;
/** The forum's lists of topics and categories, without the topic being read (re-reading it counts a view). */
export const FORUM_LISTS = [
  ["forum", "topics"],
  ["forum", "categories"],
  ["forum", "category"],
] as const;

function pageQuery(cursor: string | null): { cursor?: string } {
  return cursor ? { cursor } : {};
}

// --- reports ---

/** Open reports oldest first (the longest waiting on top); handled ones newest first. */
export async function listReports(status: ReportStatus, cursor: string | null): Promise<ReportPage> {
  return call(api.GET("/api/v1/reports", { params: { query: { status, ...pageQuery(cursor) } } }));
}

export async function handleReport(id: string, outcome: "resolve" | "dismiss", reason?: string): Promise<void> {
  const path = outcome === "resolve" ? "/api/v1/reports/{id}/resolve" : "/api/v1/reports/{id}/dismiss";
  await call(api.POST(path, { params: { path: { id }, query: reasonQuery(reason) }, parseAs: "text" }));
}

// --- the log ---

export async function listLog(cursor: string | null): Promise<LogPage> {
  return call(api.GET("/api/v1/moderation/log", { params: { query: pageQuery(cursor) } }));
}

// --- bans ---

export async function listBans(cursor: string | null): Promise<BanPage> {
  return call(api.GET("/api/v1/bans", { params: { query: pageQuery(cursor) } }));
}

/** Bans someone until `until` (an ISO time), or for good when it is null. */
export async function banUser(handle: string, reason: string, until: string | null): Promise<Ban> {
  return call(api.PUT("/api/v1/bans/{handle}", { params: { path: { handle } }, body: { reason: reason.trim(), until } }));
}

export async function liftBan(handle: string, reason?: string): Promise<void> {
  await call(api.DELETE("/api/v1/bans/{handle}", { params: { path: { handle }, query: reasonQuery(reason) }, parseAs: "text" }));
}

// --- moderators (admins) ---

export async function setModerator(handle: string, moderator: boolean): Promise<void> {
  const options = { params: { path: { handle } }, parseAs: "text" } as const;
  await call(moderator ? api.PUT("/api/v1/moderators/{handle}", options) : api.DELETE("/api/v1/moderators/{handle}", options));
}

// --- one topic ---

export type TopicSwitch = "pin" | "unpin" | "lock" | "unlock";

/** Pins, unpins, locks or unlocks a topic; the server answers with the topic as it now is. */
export async function switchTopic(id: string, change: TopicSwitch, reason?: string): Promise<Topic> {
  const options = { params: { path: { id }, query: reasonQuery(reason) } };
  switch (change) {
    case "pin":
      return call(api.PUT("/api/v1/topics/{id}/pin", options));
    case "unpin":
      return call(api.DELETE("/api/v1/topics/{id}/pin", options));
    case "lock":
      return call(api.PUT("/api/v1/topics/{id}/lock", options));
    case "unlock":
      return call(api.DELETE("/api/v1/topics/{id}/lock", options));
  }
}

export async function moveTopic(id: string, category: string, reason?: string): Promise<Topic> {
  return call(api.PUT("/api/v1/topics/{id}/category", { params: { path: { id }, query: reasonQuery(reason) }, body: { category } }));
}

export async function renameTopic(id: string, title: string, reason?: string): Promise<Topic> {
  return call(api.PATCH("/api/v1/topics/{id}", { params: { path: { id }, query: reasonQuery(reason) }, body: { title: title.trim() } }));
}

export async function deleteTopic(id: string, reason?: string): Promise<void> {
  await call(api.DELETE("/api/v1/topics/{id}", { params: { path: { id }, query: reasonQuery(reason) }, parseAs: "text" }));
}

// --- categories (admins) ---

export interface CategoryFields {
  name: string;
  slug: string;
  description: string;
}

export async function listCategories(): Promise<Category[]> {
  return (await call(api.GET("/api/v1/categories"))).items;
}

export async function createCategory(fields: CategoryFields): Promise<Category> {
  return call(api.POST("/api/v1/categories", { body: trimmed(fields) }));
}

/** Sends only what changed: an unchanged slug is not a "taken" slug. */
export async function updateCategory(before: Category, fields: CategoryFields): Promise<Category> {
  const after = trimmed(fields);
  const body: Partial<CategoryFields> = {};
  if (after.name !== before.name) body.name = after.name;
  if (after.slug !== before.slug) body.slug = after.slug;
  if (after.description !== before.description) body.description = after.description;
  return call(api.PATCH("/api/v1/categories/{slug}", { params: { path: { slug: before.slug } }, body }));
}

export async function deleteCategory(slug: string): Promise<void> {
  await call(api.DELETE("/api/v1/categories/{slug}", { params: { path: { slug } }, parseAs: "text" }));
}

export async function reorderCategories(slugs: string[]): Promise<void> {
  await call(api.PUT("/api/v1/categories/order", { body: { slugs }, parseAs: "text" }));
}

function trimmed(fields: CategoryFields): CategoryFields {
  return { name: fields.name.trim(), slug: fields.slug.trim(), description: fields.description.trim() };
}
