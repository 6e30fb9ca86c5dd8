// What the composer asks of the server: pictures uploaded (the upload itself
// is shared with the messenger, in lib/upload), Markdown rendered as a post
// would show it, and people to @mention.
import type { components } from "@/api/schema";
import { api, call } from "@/lib/api-client";

export { MAX_PICTURE_BYTES, MAX_PICTURES, PICTURE_TYPES, uploadPicture, type Picture, type UploadOptions } from "@/lib/upload";

export type MentionCandidate = components["schemas"]["UserSummary"];

/** The safe HTML the server would show for `body`; `topicId` lets quotes of `post:N` name their authors. */
export async function previewPost(body: string, topicId?: string): Promise<string> {
  const request = topicId ? { body, topic_id: topicId } : { body };
  return (await call(api.POST("/api/v1/posts/preview", { body: request }))).html;
}

/** A few people from the directory whose name or handle matches `text`, best first. */
export async function findMentionCandidates(text: string): Promise<MentionCandidate[]> {
  return (await call(api.GET("/api/v1/users", { params: { query: { q: text, limit: 5 } } }))).items;
}
