// Searching topics, posts, people and my messages, and the categories to narrow by.
import type { components } from "@/api/schema";
import { api, call } from "@/lib/api-client";

export type SearchHit = components["schemas"]["Page_SearchHit"]["items"][number];
export type SearchPage = components["schemas"]["Page_SearchHit"];
export type Category = components["schemas"]["Category"];

/** What is sought; people and messages need a signed-in reader. */
export type SearchKind = "topics" | "posts" | "people" | "messages";
export const PUBLIC_KINDS: readonly SearchKind[] = ["topics", "posts"];
export const ALL_KINDS: readonly SearchKind[] = ["topics", "posts", "people", "messages"];

/** The server refuses a filter its kind does not take, so only these carry a category. */
export function takesCategory(kind: SearchKind): boolean {
  return kind === "topics" || kind === "posts";
}

/** The most characters the server takes in `q`. */
export const MAX_QUERY_LENGTH = 100;

export interface SearchRequest {
  q: string;
  kind: SearchKind;
  /** A category's id; ignored for the kinds that do not take one. */
  category: string | null;
}

/** Query keys. What a search finds depends on who asks, so the results carry the viewer. */
export const searchKeys = {
  categories: () => ["search", "categories"] as const,
  results: (viewer: string, request: SearchRequest) =>
    ["search", "results", viewer, request.kind, request.q, takesCategory(request.kind) ? (request.category ?? "*") : "*"] as const,
};

export async function listCategories(): Promise<Category[]> {
  return (await call(api.GET("/api/v1/categories"))).items;
}

export async function search(request: SearchRequest, cursor: string | null): Promise<SearchPage> {
  const query: { q: string; type: SearchKind; category?: string; cursor?: string } = { q: request.q, type: request.kind };
  if (request.category && takesCategory(request.kind)) query.category = request.category;
  if (cursor) query.cursor = cursor;
  return call(api.GET("/api/v1/search", { params: { query } }));
}
