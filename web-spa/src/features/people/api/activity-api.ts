// What a person wrote in the forum, for their profile: the topics they
// started (as the forum lists them: pinned ones first, then by latest
// activity) and their posts, newest first, a page at a time.
import type { components } from "@/api/schema";
import { api, call } from "@/lib/api-client";

export type AuthoredTopic = components["schemas"]["TopicSummary"];
export type AuthoredTopicPage = components["schemas"]["Page_TopicSummary"];
export type UserPost = components["schemas"]["UserPost"];
export type UserPostPage = components["schemas"]["Page_UserPost"];

export type ActivityKind = "topics" | "posts";

/**
 * Query keys. The viewer is part of them: what the server leaves out (a
 * blocked person's, a hidden category's) differs from one reader to another.
 */
export const activityKeys = {
  list: (viewer: string, handle: string, kind: ActivityKind) => ["people", "activity", viewer, handle, kind] as const,
};

export async function listAuthoredTopics(handle: string, cursor: string | null): Promise<AuthoredTopicPage> {
  const query = { author: handle, ...(cursor ? { cursor } : {}) };
  return call(api.GET("/api/v1/topics", { params: { query } }));
}

export async function listUserPosts(handle: string, cursor: string | null): Promise<UserPostPage> {
  const query = cursor ? { cursor } : {};
  return call(api.GET("/api/v1/users/{handle}/posts", { params: { path: { handle }, query } }));
}
