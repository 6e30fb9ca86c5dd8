// One post's actions: likes, edits and their revisions, deletion and
// restoring, reports.
import type { components } from "@/api/schema";
import type { Post } from "@/features/forum/api/forum-api";
import { api, call } from "@/lib/api-client";
import { reasonQuery } from "@/lib/reason-query";

export type LikeState = components["schemas"]["LikeState"];
export type Revision = components["schemas"]["Revision"];
export type UserSummary = components["schemas"]["UserSummary"];
export type LikersPage = components["schemas"]["Page_UserSummary"];

export const postKeys = {
  revisions: (id: string, revision: number) => ["forum", "post", id, "revisions", revision] as const,
  likers: (id: string, count: number) => ["forum", "post", id, "likers", count] as const,
};

export async function getPost(id: string): Promise<Post> {
  return call(api.GET("/api/v1/posts/{id}", { params: { path: { id } } }));
}

/** Likes or unlikes a post; either again is no change. */
export async function setLiked(id: string, liked: boolean): Promise<LikeState> {
  const options = { params: { path: { id } } };
  return call(liked ? api.PUT("/api/v1/posts/{id}/like", options) : api.DELETE("/api/v1/posts/{id}/like", options));
}

/** The people who liked a post, the latest first. */
export async function listLikers(id: string, cursor: string | null): Promise<LikersPage> {
  return call(api.GET("/api/v1/posts/{id}/likes", { params: { path: { id }, query: cursor ? { cursor } : {} } }));
}

/** Replaces a post's Markdown; `imageIds` replaces its pictures, and leaving it out keeps them. */
export async function editPost(id: string, body: string, imageIds?: string[]): Promise<Post> {
  return call(api.PATCH("/api/v1/posts/{id}", { params: { path: { id } }, body: imageIds ? { body, image_ids: imageIds } : { body } }));
}

/** Every version of a post, oldest first; the last is the current one. */
export async function listRevisions(id: string): Promise<Revision[]> {
  return (await call(api.GET("/api/v1/posts/{id}/revisions", { params: { path: { id } } }))).items;
}

/** Deletes a post: one's own, or anyone's as a moderator (who may say why, for the log). */
export async function deletePost(id: string, reason?: string): Promise<void> {
  await call(api.DELETE("/api/v1/posts/{id}", { params: { path: { id }, query: reasonQuery(reason) }, parseAs: "text" }));
}

/** Brings a deleted post back (moderators). */
export async function restorePost(id: string, reason?: string): Promise<Post> {
  return call(api.POST("/api/v1/posts/{id}/restore", { params: { path: { id }, query: reasonQuery(reason) } }));
}

/** Tells the moderators what is wrong with a post; once per person. */
export async function reportPost(id: string, reason: string): Promise<void> {
  await call(api.POST("/api/v1/posts/{id}/report", { params: { path: { id } }, body: { reason }, parseAs: "text" }));
}
